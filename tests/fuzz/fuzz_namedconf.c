/*
 * fuzz_namedconf.c: the named.conf grammar (namedconf.c tokens, includes,
 * anchor clause entries) and the statements bind-conf.c keeps, on each
 * input three ways: as named.conf, as a bindkeys-file (its grammar of
 * three clauses) and as an unbound trusted-keys-file.
 */
#include <stdlib.h>

#include "fuzz.h"

static void
fz_conf(const char *path, int bindkeys)
{
	struct bind_conf *c = calloc(1, sizeof(*c));
	char err[AW_ERR_MAX];

	if (c == NULL)
		abort();
	c->main = path;
	c->val = BIND_VAL_UNSET;
	c->bindkeys_grammar = bindkeys;
	(void)bind_conf_parse(c, path, err, sizeof(err));
	bind_conf_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("named.conf", data, size);
	struct source *s = calloc(1, sizeof(*s));
	char err[AW_ERR_MAX];

	if (s == NULL)
		abort();
	fz_conf(path, 0);
	fz_conf(path, 1);
	(void)namedconf_read_trusted_keys(path, s, err, sizeof(err));
	source_free(s);
	free(s);
	return 0;
}
