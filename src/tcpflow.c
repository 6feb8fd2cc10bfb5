/*
 * tcpflow.c: DNS over TCP, message by message, from captured segments:
 * the table of flows.
 *
 * Over TCP each DNS message is preceded by its length in two bytes
 * (RFC 1035 section 4.2.2, RFC 7766 section 8), and one connection may
 * carry many messages each way (RFC 7766 section 6.2.1).  anchorwatch
 * traffic sees the segments a capture holds, in the order it holds them:
 * retransmitted, reordered, some missing, some forged.  This file keeps
 * each direction of a connection (a flow, keyed by source and destination
 * address and port) and tcpflow-stream.c puts its bytes in order and cuts
 * them into messages (how, and what it trusts, is said there).  No I/O:
 * segments in, one callback per whole message out.
 *
 * Sequence numbers compare in serial arithmetic mod 2^32 (RFC 793 3.3).
 * A flow whose SYN is seen starts trusted at ISN + 1; one first seen with
 * data starts there, hunting for a message boundary.  A FIN ends the flow
 * once every byte before it is in (a hole may still be filled by a later
 * retransmission); an RST ends both directions at once.  A flow that ends
 * in any way (FIN, RST, a new SYN on its ports, eviction, expiry,
 * tcpflow_flush at the end of the input) first gives its holes up and
 * parses what it holds: a message complete in held data counts.  An
 * ended flow is kept as a tombstone without buffers, so that a late
 * retransmission cannot start it again and count its message twice;
 * tombstones are reused, oldest first, before any open flow is evicted.
 * Open flows are evicted least recently used first when max_flows are
 * held, and dropped after TCPFLOW_IDLE_US of capture time without a
 * segment.
 *
 * Memory: 120 bytes of struct tcpflow and 4 to 8 of hash bucket per flow
 * slot (slots double on demand up to max_flows).  Only while a flow has a
 * partial message, a candidate boundary or held segments does it own
 * more: a buffer that grows by doubling to TCPFLOW_WINDOW (65537) bytes,
 * dropped after any message over 4096 bytes, and held copies (at most
 * TCPFLOW_WINDOW bytes, a 512-byte array).  Worst case about 129 KiB per
 * flow, and while a hunt looks again at what a failed candidate buffered,
 * 64 KiB more for the flow being parsed; a flow whose segments carry
 * whole messages in order holds nothing, and its messages are passed to
 * the callback straight from the segment.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcpflow-flow.h"

#define TF_NONE UINT32_MAX
#define TF_SEG_MAX (1u << 30)  /* a longer segment cannot be sequenced */
#define TF_INITIAL 256         /* flow slots allocated first */
#define TF_EXPIRE_STEP 2       /* idle flows dropped per segment, at most */
#define TF_LATE_SYN (1u << 20) /* how far before the data a late SYN is */

struct tf_list {
	uint32_t head, tail;      /* most recent first */
};

struct tcpflow_table {
	struct tcpflow *f;
	uint32_t nf, capf, maxf;  /* slots used once, allocated, allowed */
	uint32_t *bucket;
	uint32_t bmask;
	uint32_t freelist;
	struct tf_list open, closed;
	uint64_t seed;
	struct tcpflow_stats st;
};

struct tf_key {
	const uint8_t *saddr, *daddr;
	uint16_t sport, dport;
};

static uint64_t
tf_mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* The key under the table's random seed, so that forged addresses cannot
 * be chosen to fall into one chain. */
static uint32_t
tf_hash(const struct tcpflow_table *ft, const struct tf_key *k)
{
	uint64_t w[4], h = ft->seed;
	size_t i;

	memcpy(w, k->saddr, 16);
	memcpy(w + 2, k->daddr, 16);
	for (i = 0; i < 4; i++)
		h = tf_mix(h, w[i]);
	h = tf_mix(h, (uint64_t)k->sport << 16 | k->dport);
	h *= 0xff51afd7ed558ccdULL;
	return (uint32_t)(h ^ h >> 32);
}

static uint32_t
tf_hash_flow(const struct tcpflow_table *ft, const struct tcpflow *f)
{
	struct tf_key k = { f->saddr, f->daddr, f->sport, f->dport };

	return tf_hash(ft, &k);
}

/* Index of the flow with key k (hash h), or TF_NONE. */
static uint32_t
tf_find(const struct tcpflow_table *ft, const struct tf_key *k, uint32_t h)
{
	const struct tcpflow *f;
	uint32_t i;

	for (i = ft->bucket[h & ft->bmask]; i != TF_NONE; i = f->hnext) {
		f = &ft->f[i];
		if (f->sport == k->sport && f->dport == k->dport &&
		    memcmp(f->saddr, k->saddr, 16) == 0 &&
		    memcmp(f->daddr, k->daddr, 16) == 0)
			return i;
	}
	return TF_NONE;
}

static void
tf_unlink(struct tcpflow_table *ft, struct tf_list *l, uint32_t i)
{
	struct tcpflow *f = &ft->f[i];

	if (f->prev != TF_NONE)
		ft->f[f->prev].next = f->next;
	else
		l->head = f->next;
	if (f->next != TF_NONE)
		ft->f[f->next].prev = f->prev;
	else
		l->tail = f->prev;
	f->prev = f->next = TF_NONE;
}

static void
tf_push(struct tcpflow_table *ft, struct tf_list *l, uint32_t i)
{
	struct tcpflow *f = &ft->f[i];

	f->prev = TF_NONE;
	f->next = l->head;
	if (l->head != TF_NONE)
		ft->f[l->head].prev = i;
	else
		l->tail = i;
	l->head = i;
}

/* Rebuild the buckets, enough for every slot allocated. */
static void
tf_rehash(struct tcpflow_table *ft)
{
	size_t nb = (size_t)ft->bmask + 1, b;
	uint32_t i;

	while (nb < ft->capf)
		nb *= 2;
	free(ft->bucket);
	ft->bucket = xreallocarray(NULL, nb, sizeof(*ft->bucket));
	memset(ft->bucket, 0xff, nb * sizeof(*ft->bucket));
	ft->bmask = (uint32_t)(nb - 1);
	for (i = 0; i < ft->nf; i++) {
		if (ft->f[i].state == TF_FREE)
			continue;
		b = tf_hash_flow(ft, &ft->f[i]) & ft->bmask;
		ft->f[i].hnext = ft->bucket[b];
		ft->bucket[b] = i;
	}
}

struct tcpflow_table *
tcpflow_new(size_t max_flows)
{
	struct tcpflow_table *ft;

	ft = xcalloc(1, sizeof(*ft));
	if (max_flows < 1)
		max_flows = 1;
	if (max_flows > TCPFLOW_FLOWS_MAX)
		max_flows = TCPFLOW_FLOWS_MAX;
	ft->maxf = (uint32_t)max_flows;
	ft->capf = ft->maxf < TF_INITIAL ? ft->maxf : TF_INITIAL;
	ft->f = xcalloc(ft->capf, sizeof(*ft->f));
	ft->freelist = TF_NONE;
	ft->open.head = ft->open.tail = TF_NONE;
	ft->closed.head = ft->closed.tail = TF_NONE;
	if (getentropy(&ft->seed, sizeof(ft->seed)) == -1)
		ft->seed = (uint64_t)(uintptr_t)ft * 0x9e3779b97f4a7c15ULL;
	tf_rehash(ft);
	return ft;
}

void
tcpflow_free(struct tcpflow_table *ft)
{
	uint32_t i;

	if (ft == NULL)
		return;
	for (i = 0; i < ft->nf; i++)
		tcpflow_stream_end(NULL, &ft->f[i], &ft->st);
	free(ft->f);
	free(ft->bucket);
	free(ft);
}

void
tcpflow_stats(const struct tcpflow_table *ft, struct tcpflow_stats *st)
{
	*st = ft->st;
}

/* Flow i ends: with c, what it holds is parsed first, its messages at
 * the time of its last segment; without, dropped. */
static void
tf_end(struct tcpflow_table *ft, uint32_t i, const struct tf_ctx *c)
{
	struct tf_ctx at;

	if (c == NULL) {
		tcpflow_stream_end(NULL, &ft->f[i], &ft->st);
		return;
	}
	at = *c;
	at.ts_us = ft->f[i].last_us;
	tcpflow_stream_end(&at, &ft->f[i], &ft->st);
}

/* Take flow i out of the table: it ends (tf_end), leaves its hash chain
 * and list, and its slot goes to the free list. */
static void
tf_remove(struct tcpflow_table *ft, uint32_t i, const struct tf_ctx *c)
{
	struct tcpflow *f = &ft->f[i];
	uint32_t *pp = &ft->bucket[tf_hash_flow(ft, f) & ft->bmask];

	tf_end(ft, i, c);
	while (*pp != i && *pp != TF_NONE)
		pp = &ft->f[*pp].hnext;
	if (*pp == i)
		*pp = f->hnext;
	if (f->state == TF_CLOSED)
		tf_unlink(ft, &ft->closed, i);
	else {
		tf_unlink(ft, &ft->open, i);
		ft->st.open--;
	}
	f->state = TF_FREE;
	f->hnext = ft->freelist;
	ft->freelist = i;
}

/* A slot for a new flow: a free one, a new one while fewer than max_flows
 * are allocated, else the oldest tombstone, else the least recently used
 * open flow (evicted, its messages parsed).  May move ft->f. */
static uint32_t
tf_slot(struct tcpflow_table *ft, const struct tf_ctx *c)
{
	uint32_t i;

	if (ft->freelist == TF_NONE && ft->nf == ft->capf &&
	    ft->capf < ft->maxf) {
		ft->capf = ft->capf > ft->maxf / 2 ? ft->maxf : ft->capf * 2;
		ft->f = xreallocarray(ft->f, ft->capf, sizeof(*ft->f));
		if (ft->capf > ft->bmask + 1)
			tf_rehash(ft);
	}
	if (ft->freelist == TF_NONE && ft->nf == ft->capf) {
		if (ft->closed.tail != TF_NONE)
			tf_remove(ft, ft->closed.tail, c);
		else {
			ft->st.evicted++;
			tf_remove(ft, ft->open.tail, c);
		}
	}
	if (ft->freelist == TF_NONE)
		return ft->nf++;
	i = ft->freelist;
	ft->freelist = ft->f[i].hnext;
	return i;
}

/* Where a new or restarted flow begins: trusted after its SYN, or here,
 * hunting. */
static void
tf_start(struct tcpflow_table *ft, struct tcpflow *f, uint32_t seq, int syn)
{
	f->has_isn = syn;
	f->isn = seq;
	f->next_seq = syn ? seq + 1 : seq;
	f->state = syn ? TF_TRUSTED : TF_HUNT;
	f->has_fin = 0;
	if (!syn)
		ft->st.hunts++;
}

/* A new open flow with key k, most recently used. */
static uint32_t
tf_create(struct tcpflow_table *ft, const struct tf_key *k, uint32_t seq,
    int syn, const struct tf_ctx *c)
{
	struct tcpflow *f;
	uint32_t i = tf_slot(ft, c), b;

	f = &ft->f[i];
	memset(f, 0, sizeof(*f));
	memcpy(f->saddr, k->saddr, 16);
	memcpy(f->daddr, k->daddr, 16);
	f->sport = k->sport;
	f->dport = k->dport;
	tf_start(ft, f, seq, syn);
	b = tf_hash(ft, k) & ft->bmask;
	f->hnext = ft->bucket[b];
	ft->bucket[b] = i;
	tf_push(ft, &ft->open, i);
	ft->st.flows++;
	ft->st.open++;
	return i;
}

/* End flow i (FIN or RST; tf_end); it stays as a tombstone. */
static void
tf_close(struct tcpflow_table *ft, uint32_t i, const struct tf_ctx *c)
{
	struct tcpflow *f = &ft->f[i];

	if (f->state == TF_CLOSED)
		return;
	tf_end(ft, i, c);
	tf_unlink(ft, &ft->open, i);
	f->state = TF_CLOSED;
	tf_push(ft, &ft->closed, i);
	ft->st.open--;
	ft->st.closed++;
}

/* Drop at most TF_EXPIRE_STEP flows idle for over TCPFLOW_IDLE_US at now
 * from the old end of each list (an open one's messages parsed). */
static void
tf_expire(struct tcpflow_table *ft, const struct tf_ctx *c)
{
	int64_t now = c->ts_us;
	uint32_t i;
	int n;

	if (now < INT64_MIN + TCPFLOW_IDLE_US)
		return;
	for (n = 0; n < TF_EXPIRE_STEP; n++) {
		i = ft->open.tail;
		if (i == TF_NONE || ft->f[i].last_us >= now - TCPFLOW_IDLE_US)
			break;
		ft->st.expired++;
		tf_remove(ft, i, c);
	}
	for (n = 0; n < TF_EXPIRE_STEP; n++) {
		i = ft->closed.tail;
		if (i == TF_NONE || ft->f[i].last_us >= now - TCPFLOW_IDLE_US)
			break;
		tf_remove(ft, i, c);
	}
}

/*
 * A SYN on a known flow i: a copy of the one seen (ignored), a late one
 * for a flow first seen mid-stream (its ISN is noted), or a new connection
 * on the same addresses and ports (the old one ends, the flow starts
 * again, trusted).
 */
static void
tf_syn(struct tcpflow_table *ft, uint32_t i, uint32_t seq,
    const struct tf_ctx *c)
{
	struct tcpflow *f = &ft->f[i];

	if (f->has_isn && seq == f->isn)
		return;
	if (!f->has_isn && f->state != TF_CLOSED &&
	    f->next_seq - (seq + 1) < TF_LATE_SYN) {
		f->has_isn = 1;
		f->isn = seq;
		return;
	}
	if (f->state == TF_CLOSED) {
		tf_unlink(ft, &ft->closed, i);
		tf_push(ft, &ft->open, i);
		ft->st.open++;
	} else
		tf_end(ft, i, c);
	tf_start(ft, f, seq, 1);
	ft->st.flows++;
}

/* RST: both directions end now. */
static void
tf_reset(struct tcpflow_table *ft, const struct tf_key *k, uint32_t i,
    const struct tf_ctx *c)
{
	struct tf_key rk = { k->daddr, k->saddr, k->dport, k->sport };
	uint32_t j;

	if (i != TF_NONE)
		tf_close(ft, i, c);
	if ((j = tf_find(ft, &rk, tf_hash(ft, &rk))) != TF_NONE)
		tf_close(ft, j, c);
}

int
tcpflow_segment(struct tcpflow_table *ft, const uint8_t saddr[16],
    uint16_t sport, const uint8_t daddr[16], uint16_t dport, uint32_t seq,
    uint8_t flags, const uint8_t *payload, size_t len, int64_t ts_us,
    void (*cb)(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t msglen, int64_t ts_us), void *arg)
{
	struct tf_key k = { saddr, daddr, sport, dport };
	struct tf_ctx c = { &ft->st, cb, arg, ts_us };
	struct tcpflow *f;
	int syn = (flags & TCPFLOW_SYN) != 0;
	uint32_t i;

	if (cb == NULL || len > TF_SEG_MAX || (len > 0 && payload == NULL))
		return -1;
	tf_expire(ft, &c);
	i = tf_find(ft, &k, tf_hash(ft, &k));
	if (flags & TCPFLOW_RST) {
		tf_reset(ft, &k, i, &c);
		return 0;
	}
	if (i == TF_NONE) {
		if (!syn && len == 0)
			return 0;
		i = tf_create(ft, &k, seq, syn, &c);
	} else if (syn)
		tf_syn(ft, i, seq, &c);
	f = &ft->f[i];
	if (f->state == TF_CLOSED)
		return 0;
	if (ft->open.head != i) {
		tf_unlink(ft, &ft->open, i);
		tf_push(ft, &ft->open, i);
	}
	f->last_us = ts_us;
	seq += (uint32_t)syn;
	if (len > 0)
		tcpflow_stream_data(&c, f, seq, payload, len);
	if (flags & TCPFLOW_FIN) {
		f->has_fin = 1;
		f->fin_seq = seq + (uint32_t)len;
	}
	if (f->has_fin && (int32_t)(f->fin_seq - f->next_seq) <= 0)
		tf_close(ft, i, &c);
	return 0;
}

void
tcpflow_flush(struct tcpflow_table *ft,
    void (*cb)(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t msglen, int64_t ts_us), void *arg)
{
	struct tf_ctx c = { &ft->st, cb, arg, 0 };

	while (ft->open.tail != TF_NONE)
		tf_remove(ft, ft->open.tail, cb != NULL ? &c : NULL);
}
