/*
 * tcpflow.c: DNS over TCP, message by message, from captured segments.
 *
 * Over TCP each DNS message is preceded by its length in two bytes
 * (RFC 1035 section 4.2.2, RFC 7766 section 8), and one connection may
 * carry many messages each way (RFC 7766 section 6.2.1).  anchorwatch
 * traffic sees the segments a capture holds, in the order it holds them:
 * retransmitted, reordered, some missing, some forged.  This file puts the
 * messages of each direction of a connection (a flow, keyed by source and
 * destination address and port) back together for traffic.c.  No I/O:
 * segments in, one callback per whole message out.
 *
 * Sequence numbers compare in serial arithmetic mod 2^32 (RFC 793 3.3).
 * Where messages begin, and how far that is trusted:
 *  - After a SYN the payload starts at ISN + 1 with a length prefix, and
 *    every boundary after it is known (trusted).
 *  - A flow first seen mid-stream (the capture started late) is taken to
 *    begin a message at its first data segment, on probation (resync): the
 *    first message must look like one, a length of at least 12 and a DNS
 *    header with a known opcode, Z clear and at most one question.  A flow
 *    picked up again after a gap is on the same probation.
 *  - A length under 12 (no room for a header; 0 is skipped when trusted) or
 *    a failed probation loses the flow's framing, and tcpflow_segment
 *    returns -1 for the segment that showed it.  A lost flow tries again,
 *    quietly, at the start of each later segment: clients and servers
 *    mostly write a message and its prefix in one go.
 * Retransmissions: bytes before the next one wanted are dropped.  The first
 * copy wins and overlapping bytes are not compared, so no message is
 * delivered twice (unless its flow was evicted or expired before the copy
 * came).  Segments ahead of a hole are copied and held, at most
 * TCPFLOW_HELD_MAX of them and TCPFLOW_WINDOW bytes, ending within
 * TCPFLOW_WINDOW bytes of the hole; one that does not fit gives the hole up
 * (a gap: its bytes and the partial message are counted lost) and the flow
 * resyncs at the first held segment, or at that segment.
 *
 * A FIN ends the flow once every byte before it is in (a hole may still be
 * filled by a later retransmission); an RST ends both directions at once.
 * The partial message of an ended flow is counted lost.  An ended flow is
 * kept as a tombstone without buffers, so that a late retransmission cannot
 * start it again and count its message twice; tombstones are reused, oldest
 * first, before any open flow is evicted.  Open flows are evicted least
 * recently used first when max_flows are held, and dropped after
 * TCPFLOW_IDLE_US of capture time without a segment.
 *
 * Memory: 104 bytes of struct tcpflow and 4 to 8 of hash bucket per flow
 * slot (slots double on demand up to max_flows).  Only while a flow has a
 * partial message or held segments does it own more: a message buffer that
 * grows by doubling to TCPFLOW_WINDOW (65537) bytes, dropped after any
 * message over TF_BUF_KEEP, and held copies (at most TCPFLOW_WINDOW bytes,
 * a 512-byte array).  Worst case about 129 KiB per flow; a flow whose
 * segments carry whole messages in order holds nothing, and its messages
 * are passed to the callback straight from the segment.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define TF_NONE UINT32_MAX
#define TF_HEAD 14             /* length prefix and DNS header */
#define TF_BUF_KEEP 4096       /* message buffer kept between messages */
#define TF_SEG_MAX (1u << 30)  /* a longer segment cannot be sequenced */
#define TF_INITIAL 256         /* flow slots allocated first */
#define TF_EXPIRE_STEP 2       /* idle flows dropped per segment, at most */
#define TF_LATE_SYN (1u << 20) /* how far before the data a late SYN is */

enum tf_state {
	TF_FREE = 0,        /* slot on the free list */
	TF_TRUSTED,         /* message boundaries known */
	TF_RESYNC,          /* first message after a guess, on probation */
	TF_LOST,            /* no boundary known: waits for a segment start */
	TF_CLOSED,          /* FIN or RST seen: a tombstone, no buffers */
};

struct tf_held {
	uint32_t seq, len;
	uint8_t *data;
};

struct tcpflow {
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint8_t state;
	uint8_t quiet;            /* resyncing from TF_LOST: no -1 */
	uint8_t has_isn, has_fin;
	uint8_t nheld, heldcap;
	uint32_t isn, next_seq, fin_seq;
	uint32_t prev, next;      /* in ft->open (LRU) or ft->closed (FIFO) */
	uint32_t hnext;           /* hash chain, or the free list */
	uint32_t buflen, bufcap;  /* partial message, prefix included */
	uint32_t heldbytes;
	int64_t last_us;
	uint8_t *buf;
	struct tf_held *held;     /* sorted by seq */
};

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

/* What a segment's messages go to. */
struct tf_ctx {
	struct tcpflow_table *ft;
	void (*cb)(void *, const uint8_t *, const uint8_t *, size_t, int64_t);
	void *arg;
	int64_t ts_us;
};

static inline size_t
tf_rd16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

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

/* Free what f buffers (partial message, held segments), counted lost. */
static void
tf_drop(struct tcpflow_table *ft, struct tcpflow *f)
{
	size_t i;

	ft->st.lost_bytes += (uint64_t)f->buflen + f->heldbytes;
	for (i = 0; i < f->nheld; i++)
		free(f->held[i].data);
	free(f->held);
	free(f->buf);
	f->held = NULL;
	f->buf = NULL;
	f->nheld = f->heldcap = 0;
	f->buflen = f->bufcap = f->heldbytes = 0;
}

void
tcpflow_free(struct tcpflow_table *ft)
{
	uint32_t i;

	if (ft == NULL)
		return;
	for (i = 0; i < ft->nf; i++)
		tf_drop(ft, &ft->f[i]);
	free(ft->f);
	free(ft->bucket);
	free(ft);
}

void
tcpflow_stats(const struct tcpflow_table *ft, struct tcpflow_stats *st)
{
	*st = ft->st;
}

/* Take flow i out of the table: buffers, hash chain, list; the slot goes
 * to the free list. */
static void
tf_remove(struct tcpflow_table *ft, uint32_t i)
{
	struct tcpflow *f = &ft->f[i];
	uint32_t *pp = &ft->bucket[tf_hash_flow(ft, f) & ft->bmask];

	tf_drop(ft, f);
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
 * open flow (evicted).  May move ft->f. */
static uint32_t
tf_slot(struct tcpflow_table *ft)
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
			tf_remove(ft, ft->closed.tail);
		else {
			ft->st.evicted++;
			tf_remove(ft, ft->open.tail);
		}
	}
	if (ft->freelist == TF_NONE)
		return ft->nf++;
	i = ft->freelist;
	ft->freelist = ft->f[i].hnext;
	return i;
}

/* Where a new or restarted flow begins: after its SYN, or here. */
static void
tf_start(struct tcpflow *f, uint32_t seq, int syn)
{
	f->has_isn = syn;
	f->isn = seq;
	f->next_seq = syn ? seq + 1 : seq;
	f->state = syn ? TF_TRUSTED : TF_RESYNC;
	f->quiet = 0;
	f->has_fin = 0;
}

/* A new open flow with key k (hash h), most recently used. */
static uint32_t
tf_create(struct tcpflow_table *ft, const struct tf_key *k, uint32_t seq,
    int syn)
{
	struct tcpflow *f;
	uint32_t i = tf_slot(ft), b;

	f = &ft->f[i];
	memset(f, 0, sizeof(*f));
	memcpy(f->saddr, k->saddr, 16);
	memcpy(f->daddr, k->daddr, 16);
	f->sport = k->sport;
	f->dport = k->dport;
	tf_start(f, seq, syn);
	b = tf_hash(ft, k) & ft->bmask;
	f->hnext = ft->bucket[b];
	ft->bucket[b] = i;
	tf_push(ft, &ft->open, i);
	ft->st.flows++;
	ft->st.open++;
	return i;
}

/* End flow i (FIN or RST): its partial message is lost; it stays as a
 * tombstone. */
static void
tf_close(struct tcpflow_table *ft, uint32_t i)
{
	struct tcpflow *f = &ft->f[i];

	if (f->state == TF_CLOSED)
		return;
	tf_drop(ft, f);
	tf_unlink(ft, &ft->open, i);
	f->state = TF_CLOSED;
	tf_push(ft, &ft->closed, i);
	ft->st.open--;
	ft->st.closed++;
}

/* Drop at most TF_EXPIRE_STEP flows idle for over TCPFLOW_IDLE_US at now
 * from the old end of each list. */
static void
tf_expire(struct tcpflow_table *ft, int64_t now)
{
	uint32_t i;
	int n;

	if (now < INT64_MIN + TCPFLOW_IDLE_US)
		return;
	for (n = 0; n < TF_EXPIRE_STEP; n++) {
		i = ft->open.tail;
		if (i == TF_NONE || ft->f[i].last_us >= now - TCPFLOW_IDLE_US)
			break;
		ft->st.expired++;
		tf_remove(ft, i);
	}
	for (n = 0; n < TF_EXPIRE_STEP; n++) {
		i = ft->closed.tail;
		if (i == TF_NONE || ft->f[i].last_us >= now - TCPFLOW_IDLE_US)
			break;
		tf_remove(ft, i);
	}
}

/*
 * A SYN on a known flow i: a copy of the one seen (ignored), a late one
 * for a flow first seen mid-stream (its ISN is noted), or a new connection
 * on the same addresses and ports (the flow starts again, trusted).
 */
static void
tf_syn(struct tcpflow_table *ft, uint32_t i, uint32_t seq)
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
		tf_drop(ft, f);
	tf_start(f, seq, 1);
	ft->st.flows++;
}

/* 1 if h (12 bytes at least) can open a DNS message of len bytes: opcode
 * QUERY, IQUERY, STATUS, NOTIFY, UPDATE or DSO, Z clear, at most one
 * question (RFC 1035 4.1.1, RFC 6895 2). */
static int
is_tf_dns_head(const uint8_t *h, size_t len)
{
	unsigned opcode = (h[2] >> 3) & 0xf;
	size_t qd = tf_rd16(h + 4);

	if (opcode == 3 || opcode > 6 || (h[3] & 0x40) != 0 || qd > 1)
		return 0;
	return qd == 0 || len >= 12 + 5;
}

/*
 * Can the message whose prefix starts at m (have bytes of it at hand, 2 at
 * least) be taken?  0 yes, 1 it is empty and skipped, -1 no.
 */
static int
tf_check(const struct tcpflow *f, const uint8_t *m, size_t have)
{
	size_t len = tf_rd16(m);

	if (len == 0)
		return f->state == TF_TRUSTED ? 1 : -1;
	if (len < 12)
		return -1;
	if (f->state == TF_RESYNC && have >= TF_HEAD &&
	    !is_tf_dns_head(m + 2, len))
		return -1;
	return 0;
}

/* The flow lost its framing (rest more bytes of the segment with it):
 * -1, or 0 when it was only a quiet attempt to resync. */
static int
tf_lose(struct tcpflow_table *ft, struct tcpflow *f, size_t rest)
{
	int quiet = f->quiet;

	ft->st.lost_bytes += rest;
	tf_drop(ft, f);
	f->state = TF_LOST;
	f->quiet = 0;
	if (quiet)
		return 0;
	ft->st.lost++;
	return -1;
}

static void
tf_deliver(struct tf_ctx *c, struct tcpflow *f, const uint8_t *msg,
    size_t len)
{
	c->ft->st.messages++;
	f->state = TF_TRUSTED;
	f->quiet = 0;
	c->cb(c->arg, f->saddr, msg, len, c->ts_us);
}

/* Append n bytes to f's partial message (never over TCPFLOW_WINDOW). */
static void
tf_append(struct tcpflow *f, const uint8_t *p, size_t n)
{
	size_t need = (size_t)f->buflen + n, cap;

	if (need > f->bufcap) {
		cap = f->bufcap ? f->bufcap : 128;
		while (cap < need)
			cap *= 2;
		if (cap > TCPFLOW_WINDOW)
			cap = TCPFLOW_WINDOW;
		f->buf = xreallocarray(f->buf, cap, 1);
		f->bufcap = (uint32_t)cap;
	}
	memcpy(f->buf + f->buflen, p, n);
	f->buflen += (uint32_t)n;
}

/*
 * Add the first of p[0..n) (n > 0) that f's partial message still wants,
 * *took of them, and deliver it once whole.  0, or -1 if it cannot be
 * taken (tf_check).
 */
static int
tf_fill(struct tf_ctx *c, struct tcpflow *f, const uint8_t *p, size_t n,
    size_t *took)
{
	size_t want, len;

	want = f->buflen < 2 ? 2 : 2 + tf_rd16(f->buf);
	*took = want - f->buflen < n ? want - f->buflen : n;
	tf_append(f, p, *took);
	if (f->buflen < 2)
		return 0;
	switch (tf_check(f, f->buf, f->buflen)) {
	case -1:
		return -1;
	case 1:
		f->buflen = 0;
		return 0;
	}
	len = tf_rd16(f->buf);
	if (f->buflen < 2 + len)
		return 0;
	f->buflen = 0;
	tf_deliver(c, f, f->buf + 2, len);
	if (f->bufcap > TF_BUF_KEEP) {
		free(f->buf);
		f->buf = NULL;
		f->bufcap = 0;
	}
	return 0;
}

/*
 * Take n bytes of p that start at next_seq: deliver each message they
 * complete, straight from p when it is whole there, and buffer a partial
 * one at the end.  0, or -1 if the flow lost its framing (tf_lose).
 */
static int
tf_consume(struct tf_ctx *c, struct tcpflow *f, const uint8_t *p, size_t n)
{
	size_t len, took;
	int r;

	f->next_seq += (uint32_t)n;
	while (n > 0) {
		if (f->buflen == 0 && n >= 2) {
			if ((r = tf_check(f, p, n)) == -1)
				return tf_lose(c->ft, f, n);
			len = r == 1 ? 0 : tf_rd16(p);
			if (n >= 2 + len) {
				if (r == 0)
					tf_deliver(c, f, p + 2, len);
				p += 2 + len;
				n -= 2 + len;
				continue;
			}
		}
		if (tf_fill(c, f, p, n, &took) == -1)
			return tf_lose(c->ft, f, n - took);
		p += took;
		n -= took;
	}
	return 0;
}

/*
 * Copy and hold a segment that starts after next_seq.  0, or -1 when it is
 * beyond the bound: ending more than TCPFLOW_WINDOW bytes after next_seq,
 * or TCPFLOW_HELD_MAX segments or TCPFLOW_WINDOW bytes held already.
 */
static int
tf_hold(struct tcpflow_table *ft, struct tcpflow *f, uint32_t seq,
    const uint8_t *p, size_t n)
{
	uint32_t off = seq - f->next_seq, hoff;
	size_t i;

	if (off > TCPFLOW_WINDOW || n > TCPFLOW_WINDOW - off ||
	    n > TCPFLOW_WINDOW - f->heldbytes || f->nheld >= TCPFLOW_HELD_MAX)
		return -1;
	for (i = 0; i < f->nheld; i++) {
		hoff = f->held[i].seq - f->next_seq;
		if (hoff > off)
			break;
		if (hoff + f->held[i].len >= off + n)
			return 0;       /* a copy of what is held */
	}
	if (f->nheld == f->heldcap) {
		f->heldcap = f->heldcap ? f->heldcap * 2 : 4;
		f->held = xreallocarray(f->held, f->heldcap, sizeof(*f->held));
	}
	memmove(f->held + i + 1, f->held + i,
	    (f->nheld - i) * sizeof(*f->held));
	f->held[i].seq = seq;
	f->held[i].len = (uint32_t)n;
	f->held[i].data = xreallocarray(NULL, n, 1);
	memcpy(f->held[i].data, p, n);
	f->nheld++;
	f->heldbytes += (uint32_t)n;
	ft->st.held++;
	return 0;
}

/* Consume the held segments the stream has reached.  0, or -1 as
 * tf_consume. */
static int
tf_stitch(struct tf_ctx *c, struct tcpflow *f)
{
	struct tf_held h;
	uint32_t back;
	int ret = 0;

	while (f->nheld > 0 && f->state != TF_LOST) {
		h = f->held[0];
		back = f->next_seq - h.seq;
		if ((int32_t)back < 0)
			break;
		f->nheld--;
		f->heldbytes -= h.len;
		memmove(f->held, f->held + 1, f->nheld * sizeof(*f->held));
		if (back < h.len && tf_consume(c, f, h.data + back,
		    h.len - back) == -1)
			ret = -1;
		free(h.data);
	}
	return ret;
}

/* Give the hole at next_seq up: it and the partial message are lost; the
 * flow resyncs at the first held segment, or at seq if none. */
static int
tf_gap(struct tf_ctx *c, struct tcpflow *f, uint32_t seq)
{
	uint32_t to = f->nheld > 0 ? f->held[0].seq : seq;

	c->ft->st.gaps++;
	c->ft->st.lost_bytes += (uint64_t)f->buflen + (to - f->next_seq);
	f->buflen = 0;
	f->next_seq = to;
	f->state = TF_RESYNC;
	return tf_stitch(c, f);
}

/*
 * The payload p[0..n) at seq of an open flow: old bytes dropped, bytes at
 * next_seq consumed, bytes ahead held or, beyond the bound, a gap.  On a
 * lost flow, a segment that starts at or after next_seq is a quiet resync
 * attempt.  0, or -1 if the flow lost its framing.
 */
static int
tf_data(struct tf_ctx *c, struct tcpflow *f, uint32_t seq, const uint8_t *p,
    size_t n)
{
	uint32_t back;
	int i, ret = 0;

	for (i = 0; i < TCPFLOW_HELD_MAX + 2; i++) {
		back = f->next_seq - seq;
		if (f->state == TF_LOST) {
			if ((int32_t)back > 0) {
				if (back < n) {
					c->ft->st.lost_bytes += n - back;
					f->next_seq = seq + (uint32_t)n;
				}
				return ret;
			}
			c->ft->st.lost_bytes += (uint32_t)(seq - f->next_seq);
			f->next_seq = seq;
			f->state = TF_RESYNC;
			f->quiet = 1;
			back = 0;
		}
		if ((int32_t)back >= 0) {
			if (back >= n)
				return ret;
			if (tf_consume(c, f, p + back, n - back) == -1)
				ret = -1;
			return tf_stitch(c, f) == -1 ? -1 : ret;
		}
		if (tf_hold(c->ft, f, seq, p, n) == 0)
			return ret;
		if (tf_gap(c, f, seq) == -1)
			ret = -1;
	}
	return ret;
}

/* RST: both directions end now, whatever they hold. */
static void
tf_reset(struct tcpflow_table *ft, const struct tf_key *k, uint32_t i)
{
	struct tf_key rk = { k->daddr, k->saddr, k->dport, k->sport };
	uint32_t j;

	if (i != TF_NONE)
		tf_close(ft, i);
	if ((j = tf_find(ft, &rk, tf_hash(ft, &rk))) != TF_NONE)
		tf_close(ft, j);
}

int
tcpflow_segment(struct tcpflow_table *ft, const uint8_t saddr[16],
    uint16_t sport, const uint8_t daddr[16], uint16_t dport, uint32_t seq,
    uint8_t flags, const uint8_t *payload, size_t len, int64_t ts_us,
    void (*cb)(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t msglen, int64_t ts_us), void *arg)
{
	struct tf_key k = { saddr, daddr, sport, dport };
	struct tf_ctx c = { ft, cb, arg, ts_us };
	struct tcpflow *f;
	int syn = (flags & TCPFLOW_SYN) != 0, ret = 0;
	uint32_t i;

	if (cb == NULL || len > TF_SEG_MAX || (len > 0 && payload == NULL))
		return -1;
	tf_expire(ft, ts_us);
	i = tf_find(ft, &k, tf_hash(ft, &k));
	if (flags & TCPFLOW_RST) {
		tf_reset(ft, &k, i);
		return 0;
	}
	if (i == TF_NONE) {
		if (!syn && len == 0)
			return 0;
		i = tf_create(ft, &k, seq, syn);
	} else if (syn)
		tf_syn(ft, i, seq);
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
		ret = tf_data(&c, f, seq, payload, len);
	if (flags & TCPFLOW_FIN) {
		f->has_fin = 1;
		f->fin_seq = seq + (uint32_t)len;
	}
	if (f->has_fin && (f->state == TF_LOST ||
	    (int32_t)(f->fin_seq - f->next_seq) <= 0))
		tf_close(ft, i);
	return ret;
}
