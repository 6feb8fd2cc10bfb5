/*
 * resolver.c: the table of resolver readers and the resolver object.
 *
 * Each resolver product has one reader (anchor-<type>.c) that turns its
 * configuration into a list of anchor sources; everything downstream
 * (detect.c, the outputs) sees only struct resolver.
 */
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

static const struct reader readers[] = {
	{ "unbound", unbound_read, "/etc/unbound/unbound.conf", "unbound",
	    "-c", 1, NULL },
	{ "bind", bind_read, "/etc/bind/named.conf", "named", "-c", 1,
	    bind_loaded },
	{ "knot-resolver", knot_read, "/etc/knot-resolver/kresd.conf", "kresd",
	    "-c", 1, NULL },
	{ "pdns-recursor", pdns_read, "/etc/powerdns/recursor.conf",
	    "pdns_recursor", NULL, 0, pdns_loaded },
	{ "systemd-resolved", resolved_read, "/etc/systemd/resolved.conf",
	    "systemd-resolve", NULL, 0, NULL },
	{ "dnsmasq", dnsmasq_read, "/etc/dnsmasq.conf", "dnsmasq", "-C", 0,
	    NULL },
};

const struct reader *
reader_all(size_t *n)
{
	*n = sizeof(readers) / sizeof(readers[0]);
	return readers;
}

/* The reader for type, or NULL if the type is unknown. */
const struct reader *
reader_find(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (strcmp(readers[i].type, type) == 0)
			return &readers[i];
	return NULL;
}

/* Append a zeroed source to r and return it; out of memory is fatal. */
struct source *
resolver_add_source(struct resolver *r)
{
	struct source *s;

	r->sources = xreallocarray(r->sources, r->nsources + 1,
	    sizeof(*r->sources));
	s = &r->sources[r->nsources++];
	memset(s, 0, sizeof(*s));
	return s;
}

void
resolver_free(struct resolver *r)
{
	if (r == NULL)
		return;
	free(r->sources);
	r->sources = NULL;
	r->nsources = 0;
}
