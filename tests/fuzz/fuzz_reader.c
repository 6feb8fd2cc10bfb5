/*
 * fuzz_reader.c: each resolver's main configuration, read by its reader
 * as check reads it (the row's read function): unbound.conf
 * (unbound-conf.c), named.conf (bind-conf.c), kresd.conf and Knot 6
 * config.yaml, recursor.conf and recursor.yml (pdns-conf.c), systemd's
 * resolved.conf, dnsmasq.conf (dnsmasq-opt.c).  Input: one byte choosing
 * the reader (and its file's form), then the file.  No daemon is asked:
 * named-checkconf and pdns_recursor are pointed at nothing, so no program
 * runs.  Files the input names (includes, anchor files) are looked up as
 * the daemon would, in the private directory and on this host.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

extern const char *pdns_daemon_binary;

/* The file name for type (form: the second file form, if any). */
static const char *
fz_name(const char *type, int form)
{
	static const struct {
		const char *type, *name[2];
	} names[] = {
		{ "unbound", { "unbound.conf", "unbound.conf" } },
		{ "bind", { "named.conf", "named.conf" } },
		{ "knot-resolver", { "kresd.conf", "config.yaml" } },
		{ "pdns-recursor", { "recursor.conf", "recursor.yml" } },
		{ "systemd-resolved", { "etc/systemd/resolved.conf",
		    "etc/systemd/resolved.conf" } },
		{ "dnsmasq", { "etc/dnsmasq.conf", "etc/dnsmasq.conf" } },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].type, type) == 0)
			return names[i].name[form];
	return "config";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolver_conf *rc = calloc(1, sizeof(*rc));
	struct resolver *r = calloc(1, sizeof(*r));
	const struct reader *const *all;
	const struct reader *rd;
	char err[AW_ERR_MAX];
	size_t n;

	if (rc == NULL || r == NULL)
		abort();
	if (size < 1)
		goto done;
	fuzz_clear();
	bind_check_use("", 0);
	pdns_daemon_binary = "/nonexistent/pdns_recursor";
	all = reader_all(&n);
	rd = all[(data[0] & 0x7f) % n];
	snprintf(rc->name, sizeof(rc->name), "fuzz");
	snprintf(rc->type, sizeof(rc->type), "%s", rd->type);
	snprintf(rc->config, sizeof(rc->config), "%s",
	    fuzz_file(fz_name(rd->type, data[0] >> 7), data + 1, size - 1));
	(void)rd->read(rc, r, FUZZ_NOW, err, sizeof(err));
	resolver_free(r);
done:
	free(r);
	free(rc);
	return 0;
}
