/*
 * fuzz_config.c: anchorwatch.yaml (config.c over the strict yamlwalk.c
 * schema walker), loaded as main.c loads it, from a file.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c = malloc(sizeof(*c));
	char err[AW_ERR_MAX];

	if (c == NULL)
		abort();
	(void)config_load(c, fuzz_file("anchorwatch.yaml", data, size), err,
	    sizeof(err));
	free(c);
	return 0;
}
