/*
 * fuzz_history.c: the agent's history of the root DNSKEY set (state.c),
 * parsed from a buffer as state_load parses its file; a history it
 * accepts must be written (state_format) into text it accepts again,
 * holding the same keys.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history *h = calloc(2, sizeof(*h));
	char *buf = fuzz_text(data, size), *out = NULL, err[AW_ERR_MAX];
	size_t len;

	if (h == NULL)
		abort();
	if (state_parse("history", buf, size, &h[0], err, sizeof(err)) == 0) {
		if (state_format(&h[0], &out, &len) == -1)
			abort();
		if (state_parse("history", out, len, &h[1], err,
		    sizeof(err)) == -1 || h[1].n != h[0].n) {
			fprintf(stderr, "history written is not read back: "
			    "%s\n", err);
			abort();
		}
		free(out);
	}
	free(buf);
	free(h);
	return 0;
}
