/*
 * traffic-table.c: the table of sources of anchorwatch traffic, and its
 * memory.
 *
 * A capture can hold millions of sources, and the issue 13 goal is at
 * most 256 bytes a source at the peak, growth included.  A table of the
 * 64-byte entries themselves that doubles at 70% load holds the old and
 * the new table while it moves them: 3 * 64 / 0.7 = 274 bytes a source
 * then.  So the entries live in chunks that never move, made one after
 * the other (64 bytes a source, the last chunk partly used), and what
 * grows is an index of 8-byte slots that holds an entry's number and 32
 * bits of its hash.  The index doubles at 70% load, rebuilt from the
 * entries (read in order, so the old index is not walked): at most
 * 3 * 8 / 0.7 = 35 bytes a source while both indexes are held, 23 after.
 * t->bytes and t->peak_bytes count all of it.  The lookups are traffic.c's
 * (on the per-query path); they prefetch the index slot, then the entry.
 *
 * Large blocks (an index of 2 MiB or more, the chunks past the first
 * TRAFFIC_CHUNK_BLOCK, made TRAFFIC_CHUNK_BLOCK at a time) are asked for
 * on transparent huge pages: random lookups among millions of sources
 * miss the TLB as much as the caches.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "anchorwatch.h"

#define TT_INITIAL_CAP 1024	/* index slots of an empty table */
#define TT_HUGE ((size_t)2 << 20)	/* a transparent huge page */

/* sz bytes (not zeroed) on 64-byte lines, on huge pages from TT_HUGE
 * on (rounded up: the rounded size goes to *sz); NULL if out of memory. */
static void *
traffic_table_alloc(size_t *sz)
{
	size_t align = 64;
	void *p;

	if (*sz >= TT_HUGE)
		align = TT_HUGE;
	*sz = (*sz + align - 1) & ~(align - 1);
	if ((p = aligned_alloc(align, *sz)) == NULL)
		return NULL;
	if (align == TT_HUGE)
		(void)madvise(p, *sz, MADV_HUGEPAGE);	/* a hint only */
	return p;
}

/* n bytes more (or fewer) held; the peak follows. */
static void
traffic_table_account(struct traffic *t, size_t more, size_t fewer)
{
	t->bytes += more;
	if (t->bytes > t->peak_bytes)
		t->peak_bytes = t->bytes;
	t->bytes -= fewer;
}

/* A zeroed index of cap slots, its size in *sz; NULL if out of memory. */
static uint64_t *
traffic_table_index(size_t cap, size_t *sz)
{
	uint64_t *ix;

	*sz = cap * sizeof(*ix);
	if ((ix = traffic_table_alloc(sz)) != NULL)
		memset(ix, 0, *sz);
	return ix;
}

int
traffic_table_init(struct traffic *t)
{
	size_t sz;

	t->chunk = NULL;
	t->nchunks = t->chunkcap = t->n = 0;
	t->bytes = t->peak_bytes = 0;
	if ((t->index = traffic_table_index(TT_INITIAL_CAP, &sz)) == NULL)
		return -1;
	t->cap = TT_INITIAL_CAP;
	traffic_table_account(t, sz, 0);
	return 0;
}

void
traffic_table_free(struct traffic *t)
{
	size_t j;

	for (j = 0; j < t->nchunks; j++)
		if (j < TRAFFIC_CHUNK_BLOCK || j % TRAFFIC_CHUNK_BLOCK == 0)
			free(t->chunk[j]);	/* a chunk, or a block's first */
	free(t->chunk);
	free(t->index);
	t->chunk = NULL;
	t->index = NULL;
	t->nchunks = t->chunkcap = t->cap = t->n = 0;
	t->bytes = 0;
}

/* Slot of hash h in the index ix of cap slots that holds no entry like
 * it: the first empty one from h on. */
static size_t
traffic_table_empty(const uint64_t *ix, size_t cap, uint64_t h)
{
	size_t i, mask = cap - 1;

	for (i = (size_t)h & mask; ix[i] != 0; i = (i + 1) & mask)
		;
	return i;
}

int
traffic_table_grow(struct traffic *t)
{
	uint64_t *ix, h;
	size_t i, sz, ncap = t->cap * 2;

	if ((ix = traffic_table_index(ncap, &sz)) == NULL)
		return -1;
	traffic_table_account(t, sz, t->cap * sizeof(*ix));
	for (i = 0; i < t->n; i++) {
		h = traffic_hash(traffic_nth(t, i)->addr);
		ix[traffic_table_empty(ix, ncap, h)] = (h >> 32 << 32) | (i + 1);
	}
	free(t->index);
	t->index = ix;
	t->cap = ncap;
	return 0;
}

/* Room for the entry numbered t->n: a chunk made (alone for the first
 * TRAFFIC_CHUNK_BLOCK, then TRAFFIC_CHUNK_BLOCK at a time in one block)
 * when it starts one.  -1 if out of memory. */
static int
traffic_table_chunk(struct traffic *t)
{
	struct traffic_src **v, *b;
	size_t i, k, sz, j = t->n / TRAFFIC_CHUNK;

	if (j < t->nchunks)
		return 0;
	if (t->nchunks + TRAFFIC_CHUNK_BLOCK > t->chunkcap) {
		k = t->chunkcap ? t->chunkcap * 2 : TRAFFIC_CHUNK_BLOCK * 2;
		if ((v = reallocarray(t->chunk, k, sizeof(*v))) == NULL)
			return -1;
		traffic_table_account(t, k * sizeof(*v),
		    t->chunkcap * sizeof(*v));
		t->chunk = v;
		t->chunkcap = k;
	}
	k = j < TRAFFIC_CHUNK_BLOCK ? 1 : TRAFFIC_CHUNK_BLOCK;
	sz = k * TRAFFIC_CHUNK * sizeof(*b);
	if ((b = traffic_table_alloc(&sz)) == NULL)
		return -1;
	traffic_table_account(t, sz, 0);
	for (i = 0; i < k; i++)
		t->chunk[j + i] = b + i * TRAFFIC_CHUNK;
	t->nchunks += k;
	return 0;
}

struct traffic_src *
traffic_table_add(struct traffic *t, const uint8_t addr[16], uint64_t h,
    size_t slot)
{
	struct traffic_src *s;

	if (traffic_table_chunk(t) == -1)
		return NULL;
	s = traffic_nth(t, t->n);
	memset(s, 0, sizeof(*s));
	memcpy(s->addr, addr, 16);
	s->used = 1;
	t->index[slot] = (h >> 32 << 32) | (t->n + 1);
	t->n++;
	return s;
}
