/*
 * tcpflow.h: what the tcpflow.c tests share (test_tcpflow, on hand-cut
 * segments of one stream; test_tcpflow_flows, on many flows, randomized
 * and hostile ones): a stream of length-prefixed DNS-like messages, the
 * callback that collects what tcpflow.c delivers, and the checks.
 */
#ifndef TCPFLOW_H
#define TCPFLOW_H
#include "unit.h"

#define TF_UNUSED __attribute__((unused))

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX 4096

static const uint8_t cli[16] TF_UNUSED = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
static const uint8_t cli2[16] TF_UNUSED = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 2 };
static const uint8_t srv[16] TF_UNUSED = { [10] = 0xff, [11] = 0xff, 198, 41, 0, 4 };

struct got_msg {
	uint8_t *p;
	size_t len;
	uint8_t saddr[16];
	int64_t ts;
};

struct got {
	struct got_msg m[MSG_MAX];
	size_t n;
};

static struct got got TF_UNUSED;

static inline void
got_reset(void)
{
	size_t i;

	for (i = 0; i < got.n; i++)
		free(got.m[i].p);
	got.n = 0;
}

static inline void
collect(void *arg, const uint8_t saddr[16], const uint8_t *msg, size_t len,
    int64_t ts)
{
	struct got_msg *g;

	assert_ptr_equal(arg, &got);
	assert_true(got.n < MSG_MAX);
	g = &got.m[got.n++];
	g->p = malloc(len ? len : 1);
	assert_non_null(g->p);
	memcpy(g->p, msg, len);
	g->len = len;
	memcpy(g->saddr, saddr, 16);
	g->ts = ts;
}

/* A stream of length-prefixed messages, and where each one starts. */
struct stream {
	uint8_t b[300000];
	size_t len;
	size_t off[MSG_MAX];       /* of each message's prefix */
	size_t mlen[MSG_MAX];
	size_t n;
};

static struct stream st TF_UNUSED;

/*
 * A DNS query of len bytes (12 at least) with id, that parses whole (as a
 * hunting flow wants) but for lengths 12 to 16 and 18: under 28 bytes a
 * question of one label sized to fit (17: the root); from 28 on the question "." and an
 * additional TXT record whose data, a pattern of id and position, fills
 * the rest.
 */
static inline void
stream_add(struct stream *s, unsigned id, size_t len)
{
	uint8_t *p = s->b + s->len + 2;
	size_t i, o = 12;

	assert_true(len >= 12 && len <= 65535);
	assert_true(s->len + 2 + len <= sizeof(s->b) && s->n < MSG_MAX);
	s->off[s->n] = s->len;
	s->mlen[s->n++] = len;
	s->b[s->len] = (uint8_t)(len >> 8);
	s->b[s->len + 1] = (uint8_t)len;
	memset(p, 0, len < 28 ? len : 28);
	p[0] = (uint8_t)(id >> 8);
	p[1] = (uint8_t)id;
	p[2] = 0x01;
	p[5] = len >= 17 ? 1 : 0;
	if (len >= 28) {
		p[11] = 1;                      /* ARCOUNT */
		p[14] = 1, p[16] = 1;           /* . A IN */
		p[19] = 16, p[21] = 1;          /* . TXT IN, TTL 0 */
		p[26] = (uint8_t)((len - 28) >> 8);
		p[27] = (uint8_t)(len - 28);
		o = 28;
	} else if (len >= 19) {
		p[12] = (uint8_t)(len - 18);    /* a label, then the root */
		memset(p + 13, 'a' + id % 26, len - 18);
		p[len - 3] = 1, p[len - 1] = 1; /* A IN */
		o = len;
	} else if (len == 17)
		o = len;
	for (i = o; i < len; i++)
		p[i] = (uint8_t)(id * 7 + i);
	s->len += 2 + len;
}

/* Raw bytes into the stream (a bad prefix, a zero-length message). */
static inline void
stream_raw(struct stream *s, const void *b, size_t n)
{
	memcpy(s->b + s->len, b, n);
	s->len += n;
}

static inline void
stream_reset(struct stream *s)
{
	s->len = s->n = 0;
}

/* Message k of the stream is got message j, byte for byte. */
static inline void
check_msg(size_t j, size_t k)
{
	assert_true(j < got.n);
	assert_int_equal(got.m[j].len, st.mlen[k]);
	assert_memory_equal(got.m[j].p, st.b + st.off[k] + 2, st.mlen[k]);
}

/* The stream's messages first..first+n-1 are exactly what was got. */
static inline void
check_all(size_t first, size_t n)
{
	size_t i;

	assert_int_equal(got.n, n);
	for (i = 0; i < n; i++)
		check_msg(i, first + i);
}

static inline int
seg_at(struct tcpflow_table *ft, const uint8_t *s, const uint8_t *d,
    uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
    const uint8_t *p, size_t len, int64_t ts)
{
	return tcpflow_segment(ft, s, sport, d, dport, seq, flags, p, len, ts,
	    collect, &got);
}

/* Client to server, stream bytes [from, to) at isn + 1 + from. */
static inline int
seg(struct tcpflow_table *ft, uint32_t isn, size_t from, size_t to,
    uint8_t flags)
{
	return seg_at(ft, cli, srv, 40000, 53, isn + 1 + (uint32_t)from, flags,
	    st.b + from, to - from, 1000);
}

static inline int
syn(struct tcpflow_table *ft, uint32_t isn)
{
	return seg_at(ft, cli, srv, 40000, 53, isn, TCPFLOW_SYN, NULL, 0, 1000);
}

static inline struct tcpflow_stats
stats(struct tcpflow_table *ft)
{
	struct tcpflow_stats s;

	tcpflow_stats(ft, &s);
	return s;
}

/* A xorshift generator: random tests that are the same every run. */
static uint64_t rng TF_UNUSED = 88172645463325252ULL;

static inline uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

/* The counters of holes given up, their bytes, boundaries found again
 * and bytes in no message. */
static inline void
check_lost(struct tcpflow_table *ft, uint64_t gaps, uint64_t missing,
    uint64_t resyncs, uint64_t unparsed)
{
	struct tcpflow_stats s = stats(ft);

	assert_int_equal(s.gaps, gaps);
	assert_int_equal(s.missing, missing);
	assert_int_equal(s.resyncs, resyncs);
	assert_int_equal(s.unparsed, unparsed);
}

static inline int
setup(void **state)
{
	got_reset();
	stream_reset(&st);
	return 0;
}
#endif
