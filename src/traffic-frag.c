/*
 * traffic-frag.c: IPv4 and IPv6 fragments put back together for anchorwatch
 * traffic (traffic.c), so that a DNS query sent in fragments (a large
 * EDNS option, a small MTU inside a tunnel) is counted, once, for its
 * source.
 *
 * A datagram is known by its addresses and identification, and for IPv4
 * its protocol (RFC 791, "Fragmentation and Reassembly"; RFC 8200 4.5).
 * Its fragments are copied into a buffer that grows to the largest end
 * seen; it is whole when its last fragment (MF clear) has come and the
 * lengths of the fragments, which may not overlap, add up to its length.
 * The whole payload goes back to traffic.c (to its transport layer, or
 * to the IPv6 header chain after the fragment header) and is counted as
 * what it is.
 *
 * Hostile fragments cannot make it hold much or for long:
 *  - a fragment that overlaps another of its datagram, or contradicts its
 *    length, gets the whole datagram refused (RFC 5722 for IPv6, done for
 *    IPv4 too: overlaps are how fragments evade monitors); an exact copy
 *    of a fragment already held is dropped alone (RFC 8200 4.5).  A
 *    refused datagram stays known, empty, until its time-out, so that its
 *    late fragments are dropped too instead of starting it again;
 *  - at most TRAFFIC_FRAG_DATAGRAMS datagrams and TRAFFIC_FRAG_BYTES bytes
 *    (buffers and entries) are held, TRAFFIC_FRAG_PIECES fragments per
 *    datagram: beyond, the oldest datagrams are dropped (evicted);
 *  - a datagram still incomplete TRAFFIC_FRAG_TIMEOUT_US (60 s, RFC 1122
 *    3.3.2, RFC 8200 4.5) after its first fragment, by the capture's own
 *    timestamps, expires;
 *  - a fragment that is not a multiple of 8 bytes long but the last, or
 *    that ends past 65535 bytes, is malformed.
 * traffic.c keeps what cannot be put back out of here: fragments cut by
 * the snapshot length, and IPv6 atomic fragments (RFC 6946), which are
 * whole.  This file calls nothing of traffic.c: it takes fragments and
 * gives whole datagrams back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define F_BUCKETS 2048		/* hash chains; a power of two */
#define F_PAYLOAD_MAX 65535	/* the end of the last fragment, at most */

/* Which datagram: v4-mapped addresses for IPv4. */
struct frag_key {
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;		/* IPv4's; 0 for IPv6 */
	uint8_t v6;
};

struct frag_piece {
	uint16_t off, len;
};

struct frag_dgram {
	struct frag_key key;
	struct frag_dgram *hnext;		/* hash chain */
	struct frag_dgram *older, *newer;	/* in order of arrival */
	int64_t first_us;
	uint8_t *data;
	size_t cap;			/* bytes of data */
	size_t total;			/* length, once the last one came */
	size_t have;			/* bytes held */
	unsigned npieces;
	int last, refused;
	struct frag_piece pieces[TRAFFIC_FRAG_PIECES];
};

struct traffic_frags {
	struct frag_dgram *bucket[F_BUCKETS];
	struct frag_dgram *oldest, *newest;
	size_t n, bytes;
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* FNV-1a over the key's bytes. */
static size_t
frag_hash(const struct frag_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 16777619u;
	return h & (F_BUCKETS - 1);
}

static struct frag_dgram **
frag_chain(struct traffic_frags *f, const struct frag_key *k)
{
	struct frag_dgram **pp = &f->bucket[frag_hash(k)];

	while (*pp != NULL && memcmp(&(*pp)->key, k, sizeof(*k)) != 0)
		pp = &(*pp)->hnext;
	return pp;
}

/* Forget d: off its chain and the arrival list, its memory freed. */
static void
frag_drop(struct traffic_frags *f, struct frag_dgram *d)
{
	struct frag_dgram **pp = frag_chain(f, &d->key);

	*pp = d->hnext;
	if (d->older != NULL)
		d->older->newer = d->newer;
	else
		f->oldest = d->newer;
	if (d->newer != NULL)
		d->newer->older = d->older;
	else
		f->newest = d->older;
	f->bytes -= sizeof(*d) + d->cap;
	f->n--;
	free(d->data);
	free(d);
}

/* Refuse d: its data freed, itself kept until its time-out. */
static void
frag_refuse(struct traffic *t, struct frag_dgram *d)
{
	t->frag.overlaps++;
	t->frags->bytes -= d->cap;
	free(d->data);
	d->data = NULL;
	d->cap = d->have = d->npieces = 0;
	d->refused = 1;
}

/* Drop the datagrams older than the time-out at now, oldest first. */
static void
frag_expire(struct traffic *t, int64_t now)
{
	struct traffic_frags *f = t->frags;

	while (f->oldest != NULL &&
	    now - f->oldest->first_us > TRAFFIC_FRAG_TIMEOUT_US) {
		t->frag.expired += !f->oldest->refused;
		frag_drop(f, f->oldest);
	}
}

/* Room for need more bytes, and for one more datagram unless grow is the
 * one that needs them: the oldest datagrams are dropped for it (never
 * grow itself). */
static void
frag_room(struct traffic *t, size_t need, const struct frag_dgram *grow)
{
	struct traffic_frags *f = t->frags;

	while (f->oldest != NULL && f->oldest != grow &&
	    ((grow == NULL && f->n >= TRAFFIC_FRAG_DATAGRAMS) ||
	    f->bytes + need > TRAFFIC_FRAG_BYTES)) {
		t->frag.evicted += !f->oldest->refused;
		frag_drop(f, f->oldest);
	}
}

/* The datagram of k, made if new or timed out (the capture's clock may
 * go backwards, past frag_expire). */
static struct frag_dgram *
frag_find(struct traffic *t, const struct frag_key *k)
{
	struct traffic_frags *f = t->frags;
	struct frag_dgram *d = *frag_chain(f, k);

	if (d != NULL && t->now_us - d->first_us <= TRAFFIC_FRAG_TIMEOUT_US)
		return d;
	if (d != NULL) {
		t->frag.expired += !d->refused;
		frag_drop(f, d);
	}
	frag_room(t, sizeof(*d), NULL);
	d = xcalloc(1, sizeof(*d));
	d->key = *k;
	d->first_us = t->now_us;
	*frag_chain(f, k) = d;
	d->older = f->newest;
	if (f->newest != NULL)
		f->newest->newer = d;
	else
		f->oldest = d;
	f->newest = d;
	f->n++;
	f->bytes += sizeof(*d);
	return d;
}

/* 1 if [off, off + len) clashes with a fragment d holds (or with its
 * length), 2 if it is an exact copy of one, else 0. */
static int
frag_clash(const struct frag_dgram *d, size_t off, size_t len, int more,
    const uint8_t *p)
{
	size_t i, end = off + len;

	if (d->last && (end > d->total || (!more && end != d->total)))
		return 1;
	for (i = 0; i < d->npieces; i++) {
		size_t a = d->pieces[i].off, b = a + d->pieces[i].len;

		if (off == a && end == b && memcmp(d->data + a, p, len) == 0)
			return 2;
		if (off < b && a < end)
			return 1;
		if (!more && b > end)
			return 1;	/* a last fragment before the data */
	}
	return 0;
}

/*
 * Fragment p[0..len) at offset off of datagram k (more: not the last).
 * Returns 1 with the whole payload in *out (the caller frees it) and its
 * length in *outlen; 0 if held (or dropped, and counted); -1 if malformed.
 */
static int
frag_add(struct traffic *t, const struct frag_key *k, size_t off, int more,
    const uint8_t *p, size_t len, uint8_t **out, size_t *outlen)
{
	struct frag_dgram *d;
	int c;

	if (off + len > F_PAYLOAD_MAX || (more && (len == 0 || len % 8 != 0)))
		return -1;
	if (t->frags == NULL)
		t->frags = xcalloc(1, sizeof(*t->frags));
	frag_expire(t, t->now_us);
	t->frag.fragments++;
	if ((d = frag_find(t, k))->refused)
		return 0;
	if ((c = frag_clash(d, off, len, more, p)) != 0) {
		if (c == 1)
			frag_refuse(t, d);
		return 0;
	}
	if (d->npieces == TRAFFIC_FRAG_PIECES) {
		t->frag.evicted++;
		frag_drop(t->frags, d);
		return 0;
	}
	if (off + len > d->cap) {
		frag_room(t, off + len - d->cap, d);
		if (t->frags->bytes + off + len - d->cap > TRAFFIC_FRAG_BYTES) {
			t->frag.evicted++;
			frag_drop(t->frags, d);
			return 0;
		}
		d->data = xreallocarray(d->data, 1, off + len);
		t->frags->bytes += off + len - d->cap;
		d->cap = off + len;
	}
	memcpy(d->data + off, p, len);
	d->pieces[d->npieces].off = (uint16_t)off;
	d->pieces[d->npieces++].len = (uint16_t)len;
	d->have += len;
	if (!more)
		d->last = 1, d->total = off + len;
	if (!d->last || d->have != d->total)
		return 0;
	*out = d->data;
	*outlen = d->total;
	t->frags->bytes -= d->cap;
	d->data = NULL;
	d->cap = 0;
	frag_drop(t->frags, d);
	t->frag.reassembled++;
	return 1;
}

int
traffic_frag_ip4(struct traffic *t, const uint8_t *p, size_t hl,
    size_t len, uint8_t **out, size_t *outlen)
{
	struct frag_key k;
	uint16_t fo = rd16(p + 6);

	memset(&k, 0, sizeof(k));
	k.src[10] = k.src[11] = k.dst[10] = k.dst[11] = 0xff;
	memcpy(k.src + 12, p + 12, 4);
	memcpy(k.dst + 12, p + 16, 4);
	k.id = rd16(p + 4);
	k.proto = p[9];
	return frag_add(t, &k, (size_t)(fo & 0x1fff) * 8, (fo & 0x2000) != 0,
	    p + hl, len - hl, out, outlen);
}

int
traffic_frag_ip6(struct traffic *t, const uint8_t *src, const uint8_t *dst,
    const uint8_t *p, size_t len, uint8_t **out, size_t *outlen)
{
	struct frag_key k;
	uint16_t fo;

	if (len < 8)
		return -1;
	fo = rd16(p + 2);
	memset(&k, 0, sizeof(k));
	memcpy(k.src, src, 16);
	memcpy(k.dst, dst, 16);
	k.id = (uint32_t)rd16(p + 4) << 16 | rd16(p + 6);
	k.v6 = 1;
	return frag_add(t, &k, fo & 0xfff8, fo & 1, p + 8, len - 8, out,
	    outlen);
}

size_t
traffic_frag_held(const struct traffic *t)
{
	const struct frag_dgram *d;
	size_t n = 0;

	for (d = t->frags == NULL ? NULL : t->frags->oldest; d != NULL;
	    d = d->newer)
		n += !d->refused;
	return n;
}

void
traffic_frag_free(struct traffic_frags *f)
{
	if (f == NULL)
		return;
	while (f->oldest != NULL)
		frag_drop(f, f->oldest);
	free(f);
}
