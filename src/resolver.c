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
	{ "unbound", unbound_read },
};

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
