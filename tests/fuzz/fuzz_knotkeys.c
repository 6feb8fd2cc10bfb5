/*
 * fuzz_knotkeys.c: Knot Resolver's root.keys (knot-keys.c: zone file
 * records with kresd's state comments, commented-out records).
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *s = calloc(1, sizeof(*s));
	char err[AW_ERR_MAX];

	if (s == NULL)
		abort();
	(void)knot_keys_read(fuzz_file("root.keys", data, size), s, err,
	    sizeof(err));
	source_free(s);
	free(s);
	return 0;
}
