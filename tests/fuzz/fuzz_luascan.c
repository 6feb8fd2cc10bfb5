/*
 * fuzz_luascan.c: the Lua-call scanner (luascan.c) of kresd.conf and the
 * PowerDNS Recursor's Lua files: every call of the input, as the readers
 * walk them.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct luascan_call *c = malloc(sizeof(*c));
	char err[AW_ERR_MAX];
	struct luascan *ls;
	size_t i;

	if (c == NULL)
		abort();
	ls = luascan_open(fuzz_file("kresd.conf", data, size), err,
	    sizeof(err));
	while (ls != NULL && luascan_next(ls, c, err, sizeof(err)) == 1)
		for (i = 0; i < c->nargs && i < LUASCAN_ARGS_MAX; i++)
			(void)is_luascan_item(c, i, ".");
	if (ls != NULL)
		(void)luascan_syntax(ls);
	luascan_close(ls);
	free(c);
	return 0;
}
