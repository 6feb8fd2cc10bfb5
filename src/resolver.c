/*
 * resolver.c: the resolver object (struct resolver) the readers fill and
 * everything downstream reads.  The table of readers is reader.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* Append a zeroed source to r and return it; out of memory is fatal. */
struct source *
resolver_add_source(struct resolver *r)
{
	struct source *s;

	if (r->nsources == AW_SOURCES_MAX) {
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof(r->error), "resolver %s: more "
			    "than %d trust anchor sources (anchorwatch's cap "
			    "per resolver)", r->name, AW_SOURCES_MAX);
		s = &r->sources[r->nsources - 1];
		memset(s, 0, sizeof(*s));
		return s;
	}
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
