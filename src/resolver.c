/*
 * resolver.c: the resolver object (struct resolver) the readers fill and
 * everything downstream reads, and its anchor sources (struct source),
 * whose anchors are sized to what they hold.  The table of readers is
 * reader.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

struct anchor *
source_add_anchor(struct source *s)
{
	struct anchor *a;

	source_reserve(s, s->nanchors + 1);
	a = &s->anchors[s->nanchors++];
	memset(a, 0, sizeof(*a));
	return a;
}

void
source_reserve(struct source *s, size_t n)
{
	size_t cap = s->anchorcap ? s->anchorcap : 1;

	if (n <= s->anchorcap)
		return;
	while (cap < n)
		cap *= 2;
	s->anchors = xreallocarray(s->anchors, cap, sizeof(*s->anchors));
	s->anchorcap = cap;
}

void
source_copy(struct source *dst, const struct source *src)
{
	if (dst == src)
		return;
	source_free(dst);
	*dst = *src;
	dst->anchors = NULL;
	dst->anchorcap = 0;
	if (src->nanchors > 0) {
		source_reserve(dst, src->nanchors);
		memcpy(dst->anchors, src->anchors,
		    src->nanchors * sizeof(*src->anchors));
	}
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	free(s->anchors);
	memset(s, 0, sizeof(*s));
}

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
		source_free(s);
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
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsources; i++)
		source_free(&r->sources[i]);
	free(r->sources);
	r->sources = NULL;
	r->nsources = 0;
}
