/*
 * fuzz_record.c: the recorded result, state_dir/last-run.json
 * (record.c record_read: json-c, then every field checked), which
 * check_anchorwatch reads as an unprivileged user.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "aw-summary.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct summary *s = malloc(sizeof(*s));
	char err[AW_ERR_MAX];

	if (s == NULL)
		abort();
	if (record_read(fuzz_file("last-run.json", data, size), s, err,
	    sizeof(err)) == 0)
		summary_free(s);
	free(s);
	return 0;
}
