/*
 * fuzz_autotrust.c: unbound's auto-trust-anchor-file (autotrust.c: RFC
 * 5011 states and probe times in zone file comments), the agent's own
 * root.key included.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *s = calloc(1, sizeof(*s));
	struct autotrust_info info;
	char err[AW_ERR_MAX];

	if (s == NULL)
		abort();
	(void)autotrust_read(fuzz_file("root.key", data, size), s, &info, err,
	    sizeof(err));
	source_free(s);
	free(s);
	return 0;
}
