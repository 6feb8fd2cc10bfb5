/*
 * test_tcpflow.c: tcpflow.c on hand-cut TCP segments.  Each case builds a
 * stream of length-prefixed DNS-like messages, cuts it into segments,
 * delivers them in some order and checks the exact messages the callback
 * got, in order, and the counters.  Then randomized streams with
 * reordering and duplication, and a loop of hostile segments (run it under
 * make SANITIZE=1 unit).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX 4096

static const uint8_t cli[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
static const uint8_t cli2[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 2 };
static const uint8_t srv[16] = { [10] = 0xff, [11] = 0xff, 198, 41, 0, 4 };

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

static struct got got;

static void
got_reset(void)
{
	size_t i;

	for (i = 0; i < got.n; i++)
		free(got.m[i].p);
	got.n = 0;
}

static void
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

static struct stream st;

/* A DNS-like query of len bytes (12 at least): id, RD, one question, the
 * rest a pattern of id and position. */
static void
stream_add(struct stream *s, unsigned id, size_t len)
{
	uint8_t *p = s->b + s->len + 2;
	size_t i;

	assert_true(len >= 12 && len <= 65535);
	assert_true(s->len + 2 + len <= sizeof(s->b) && s->n < MSG_MAX);
	s->off[s->n] = s->len;
	s->mlen[s->n++] = len;
	s->b[s->len] = (uint8_t)(len >> 8);
	s->b[s->len + 1] = (uint8_t)len;
	p[0] = (uint8_t)(id >> 8);
	p[1] = (uint8_t)id;
	p[2] = 0x01;
	p[3] = 0x00;
	p[4] = 0, p[5] = len >= 17 ? 1 : 0;
	memset(p + 6, 0, 6);
	for (i = 12; i < len; i++)
		p[i] = (uint8_t)(id * 7 + i);
	s->len += 2 + len;
}

/* Raw bytes into the stream (a bad prefix, a zero-length message). */
static void
stream_raw(struct stream *s, const void *b, size_t n)
{
	memcpy(s->b + s->len, b, n);
	s->len += n;
}

static void
stream_reset(struct stream *s)
{
	s->len = s->n = 0;
}

/* Message k of the stream is got message j, byte for byte. */
static void
check_msg(size_t j, size_t k)
{
	assert_true(j < got.n);
	assert_int_equal(got.m[j].len, st.mlen[k]);
	assert_memory_equal(got.m[j].p, st.b + st.off[k] + 2, st.mlen[k]);
}

/* The stream's messages first..first+n-1 are exactly what was got. */
static void
check_all(size_t first, size_t n)
{
	size_t i;

	assert_int_equal(got.n, n);
	for (i = 0; i < n; i++)
		check_msg(i, first + i);
}

static int
seg_at(struct tcpflow_table *ft, const uint8_t *s, const uint8_t *d,
    uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
    const uint8_t *p, size_t len, int64_t ts)
{
	return tcpflow_segment(ft, s, sport, d, dport, seq, flags, p, len, ts,
	    collect, &got);
}

/* Client to server, stream bytes [from, to) at isn + 1 + from. */
static int
seg(struct tcpflow_table *ft, uint32_t isn, size_t from, size_t to,
    uint8_t flags)
{
	return seg_at(ft, cli, srv, 40000, 53, isn + 1 + (uint32_t)from, flags,
	    st.b + from, to - from, 1000);
}

static int
syn(struct tcpflow_table *ft, uint32_t isn)
{
	return seg_at(ft, cli, srv, 40000, 53, isn, TCPFLOW_SYN, NULL, 0, 1000);
}

static struct tcpflow_stats
stats(struct tcpflow_table *ft)
{
	struct tcpflow_stats s;

	tcpflow_stats(ft, &s);
	return s;
}

static int
setup(void **state)
{
	got_reset();
	stream_reset(&st);
	return 0;
}

static void
test_in_order(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 17);
	stream_add(&st, 3, 300);
	assert_int_equal(syn(ft, 1000), 0);
	assert_int_equal(got.n, 0);
	assert_int_equal(seg(ft, 1000, 0, 42, 0), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(seg(ft, 1000, 42, st.len, 0), 0);
	check_all(0, 3);
	assert_memory_equal(got.m[0].saddr, cli, 16);
	assert_int_equal(got.m[2].ts, 1000);
	s = stats(ft);
	assert_int_equal(s.flows, 1);
	assert_int_equal(s.open, 1);
	assert_int_equal(s.messages, 3);
	assert_int_equal(s.held, 0);
	assert_int_equal(s.lost_bytes, 0);
	tcpflow_free(ft);
	tcpflow_free(NULL);
}

/* SYN with data (TCP Fast Open), a copy of the SYN, and the answer on
 * the other direction after a SYN-ACK. */
static void
test_syn_data(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	uint8_t resp[2 + 60];

	stream_add(&st, 1, 30);
	stream_add(&st, 2, 30);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 5000, TCPFLOW_SYN,
	    st.b, 32, 1), 0);
	check_all(0, 1);
	/* the SYN again, with its data: nothing new */
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 5000, TCPFLOW_SYN,
	    st.b, 32, 2), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(seg(ft, 5000, 32, st.len, 0), 0);
	check_all(0, 2);

	memcpy(resp, st.b, 2 + 30);
	resp[0] = 0, resp[1] = 60;
	resp[4] |= 0x80;            /* QR */
	memset(resp + 32, 0xab, 30);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 77, TCPFLOW_SYN,
	    NULL, 0, 3), 0);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 78, 0, resp,
	    sizeof(resp), 4), 0);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.m[2].len, 60);
	assert_memory_equal(got.m[2].p, resp + 2, 60);
	assert_memory_equal(got.m[2].saddr, srv, 16);
	assert_int_equal(got.m[2].ts, 4);
	assert_int_equal(stats(ft).flows, 2);
	tcpflow_free(ft);
}

static void
test_split_prefix(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);

	stream_add(&st, 1, 300);
	stream_add(&st, 2, 20);
	stream_raw(&st, "\0\0", 2);      /* empty, its prefix split too */
	stream_add(&st, 3, 30);
	syn(ft, 7);
	assert_int_equal(seg(ft, 7, 0, 1, 0), 0);
	assert_int_equal(seg(ft, 7, 1, 2, 0), 0);
	assert_int_equal(seg(ft, 7, 2, 100, 0), 0);
	assert_int_equal(got.n, 0);
	/* the end of one message and the first prefix byte of the next */
	assert_int_equal(seg(ft, 7, 100, 303, 0), 0);
	check_all(0, 1);
	assert_int_equal(seg(ft, 7, 303, 310, 0), 0);
	assert_int_equal(seg(ft, 7, 310, 325, 0), 0);
	check_all(0, 2);
	assert_int_equal(seg(ft, 7, 325, 327, 0), 0);
	assert_int_equal(seg(ft, 7, 327, st.len, 0), 0);
	check_all(0, 3);
	tcpflow_free(ft);
}

static void
test_one_byte(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	size_t i;

	stream_add(&st, 1, 12);
	stream_add(&st, 2, 100);
	stream_add(&st, 3, 5000);
	syn(ft, 0xffffff00);
	for (i = 0; i < st.len; i++)
		assert_int_equal(seg(ft, 0xffffff00, i, i + 1, 0), 0);
	check_all(0, 3);
	assert_int_equal(stats(ft).lost_bytes, 0);
	tcpflow_free(ft);
}

/* Several messages in one segment, a zero-length one among them
 * (skipped), and one that ends in the next segment. */
static void
test_several(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	static const uint8_t zero[2] = { 0, 0 };

	stream_add(&st, 1, 20);
	stream_add(&st, 2, 30);
	stream_raw(&st, zero, 2);
	stream_add(&st, 3, 40);
	stream_add(&st, 4, 50);
	stream_add(&st, 5, 60);
	syn(ft, 1);
	assert_int_equal(seg(ft, 1, 0, st.off[4] + 10, 0), 0);
	check_all(0, 4);
	assert_int_equal(seg(ft, 1, st.off[4] + 10, st.len, 0), 0);
	check_all(0, 5);
	tcpflow_free(ft);
}

/* Retransmissions, whole and partial, never count a message twice. */
static void
test_retransmission(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);

	stream_add(&st, 1, 50);
	stream_add(&st, 2, 80);
	syn(ft, 100);
	assert_int_equal(seg(ft, 100, 0, 52, 0), 0);
	assert_int_equal(seg(ft, 100, 0, 52, 0), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(seg(ft, 100, 52, 90, 0), 0);
	assert_int_equal(seg(ft, 100, 52, 90, 0), 0);
	assert_int_equal(seg(ft, 100, 0, 90, 0), 0);
	assert_int_equal(seg(ft, 100, 60, 70, 0), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(seg(ft, 100, 90, st.len, 0), 0);
	assert_int_equal(seg(ft, 100, 0, st.len, 0), 0);
	check_all(0, 2);
	assert_int_equal(stats(ft).messages, 2);
	tcpflow_free(ft);
}

/* A segment overlapping what was consumed: only its new bytes count, and
 * where the copies differ the first one wins. */
static void
test_overlap(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	uint8_t alt[300];

	stream_add(&st, 1, 100);
	stream_add(&st, 2, 100);
	stream_add(&st, 3, 50);
	syn(ft, 9);
	assert_int_equal(seg(ft, 9, 0, 60, 0), 0);
	memcpy(alt, st.b, st.len);
	memset(alt + 40, 0xee, 20);     /* conflicts with what was taken */
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 9 + 1 + 40, 0,
	    alt + 40, 150 - 40, 1000), 0);
	check_all(0, 1);
	assert_int_equal(seg(ft, 9, 120, st.len, 0), 0);
	check_all(0, 3);
	tcpflow_free(ft);
}

/* Segments ahead of a hole are held, duplicates of held ones too, and
 * stitched when the hole fills. */
static void
test_out_of_order(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

	stream_add(&st, 1, 100);
	stream_add(&st, 2, 100);
	stream_add(&st, 3, 100);
	stream_add(&st, 4, 100);
	syn(ft, 50);
	assert_int_equal(seg(ft, 50, 0, 90, 0), 0);
	assert_int_equal(seg(ft, 50, 150, 250, 0), 0);
	assert_int_equal(seg(ft, 50, 250, st.len, 0), 0);
	assert_int_equal(seg(ft, 50, 150, 250, 0), 0);   /* a copy */
	assert_int_equal(seg(ft, 50, 160, 200, 0), 0);   /* inside one */
	assert_int_equal(got.n, 0);
	assert_int_equal(stats(ft).held, 2);
	assert_int_equal(seg(ft, 50, 120, 150, 0), 0);
	assert_int_equal(got.n, 0);
	assert_int_equal(seg(ft, 50, 80, 125, 0), 0);    /* fills, overlaps */
	check_all(0, 4);
	s = stats(ft);
	assert_int_equal(s.held, 3);
	assert_int_equal(s.gaps, 0);
	assert_int_equal(s.lost_bytes, 0);
	tcpflow_free(ft);
}

/* A hole never filled: at the bound the flow gives it up and resyncs at
 * the first held segment. */
static void
test_gap(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;
	size_t i;

	stream_add(&st, 0, 30);
	stream_add(&st, 1, 100);            /* never arrives */
	for (i = 2; i < 2 + TCPFLOW_HELD_MAX + 1; i++)
		stream_add(&st, (unsigned)i, 50);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, 32, 0), 0);
	for (i = 2; i < 2 + TCPFLOW_HELD_MAX; i++)
		assert_int_equal(seg(ft, 0, st.off[i], st.off[i] + 52, 0), 0);
	check_all(0, 1);
	assert_int_equal(stats(ft).gaps, 0);
	assert_int_equal(seg(ft, 0, st.off[i], st.off[i] + 52, 0), 0);
	assert_int_equal(got.n, 2 + TCPFLOW_HELD_MAX);
	check_msg(0, 0);
	for (i = 1; i < got.n; i++)
		check_msg(i, i + 1);
	s = stats(ft);
	assert_int_equal(s.gaps, 1);
	assert_int_equal(s.lost_bytes, 102);
	/* the missing segment late: old, ignored */
	assert_int_equal(seg(ft, 0, st.off[1], st.off[2], 0), 0);
	assert_int_equal(got.n, 2 + TCPFLOW_HELD_MAX);
	tcpflow_free(ft);
}

/* A segment too far ahead gives the hole up at once; a held segment that
 * starts inside a message fails its probation (-1) and the flow comes
 * back at the next segment that starts one. */
static void
test_gap_far(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	uint32_t far = 70000;
	struct tcpflow_stats s;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 400);
	stream_add(&st, 3, 40);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, 10, 0), 0);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + far, 0,
	    st.b + st.off[2], st.mlen[2] + 2, 5), 0);
	check_msg(0, 2);
	s = stats(ft);
	assert_int_equal(s.gaps, 1);
	assert_int_equal(s.lost_bytes, far);
	tcpflow_free(ft);

	got_reset();
	ft = tcpflow_new(16);
	syn(ft, 0);
	/* hole [0, 100); held: the middle of message 2, then message 3 */
	assert_int_equal(seg(ft, 0, 100, 200, 0), 0);
	assert_int_equal(seg(ft, 0, st.off[2], st.len, 0), 0);
	/* too far: the hole is given up, the first held segment starts inside
	 * a message and fails probation (-1), the rest held is dropped with
	 * the lost flow, and the far segment itself is tried quietly */
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + far, 0, st.b, 42,
	    5), -1);
	check_all(0, 1);
	s = stats(ft);
	assert_int_equal(s.gaps, 1);
	assert_int_equal(s.lost, 1);
	assert_int_equal(s.lost_bytes, 100 + 100 + 42 + (far - 200));
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + far + 42, 0,
	    st.b + st.off[2], st.mlen[2] + 2, 6), 0);
	assert_int_equal(got.n, 2);
	check_msg(1, 2);
	tcpflow_free(ft);
}

/* Sequence numbers across 2^32, in order and not. */
static void
test_wrap(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	uint32_t isn = 0xffffffffu - 50;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 40);
	stream_add(&st, 3, 40);
	syn(ft, isn);
	assert_int_equal(seg(ft, isn, 0, 42, 0), 0);
	assert_int_equal(seg(ft, isn, 84, st.len, 0), 0);   /* 2^32 + 33 */
	assert_int_equal(got.n, 1);
	assert_int_equal(seg(ft, isn, 42, 84, 0), 0);       /* spans 2^32 */
	check_all(0, 3);
	assert_int_equal(seg(ft, isn, 0, st.len, 0), 0);
	assert_int_equal(got.n, 3);
	tcpflow_free(ft);
}

/* FIN delivers what is whole and ends the flow; its partial message is
 * lost; a later copy of its data is not counted again. */
static void
test_fin(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 40);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, 60, 0), 0);
	assert_int_equal(seg(ft, 0, 60, 60, TCPFLOW_FIN), 0);
	check_all(0, 1);
	s = stats(ft);
	assert_int_equal(s.open, 0);
	assert_int_equal(s.closed, 1);
	assert_int_equal(s.lost_bytes, 18);
	assert_int_equal(seg(ft, 0, 0, st.len, 0), 0);
	assert_int_equal(seg(ft, 0, 42, st.len, 0), 0);
	assert_int_equal(got.n, 1);
	assert_int_equal(stats(ft).flows, 1);

	/* a new connection on the same ports; its data carries the FIN */
	got_reset();
	syn(ft, 900);
	assert_int_equal(stats(ft).open, 1);
	assert_int_equal(seg(ft, 900, 0, st.len, TCPFLOW_FIN), 0);
	check_all(0, 2);
	assert_int_equal(stats(ft).open, 0);

	/* a FIN ahead of a hole waits for it */
	got_reset();
	syn(ft, 5000);
	assert_int_equal(seg(ft, 5000, 42, st.len, TCPFLOW_FIN), 0);
	assert_int_equal(stats(ft).open, 1);
	assert_int_equal(seg(ft, 5000, 0, 42, 0), 0);
	check_all(0, 2);
	s = stats(ft);
	assert_int_equal(s.open, 0);
	assert_int_equal(s.closed, 3);
	assert_int_equal(s.flows, 3);
	tcpflow_free(ft);
}

/* RST ends both directions, buffers and all. */
static void
test_rst(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 40);
	syn(ft, 0);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 10, TCPFLOW_SYN,
	    NULL, 0, 1), 0);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 11, 0, st.b, 20, 1),
	    0);
	assert_int_equal(seg(ft, 0, 0, 50, 0), 0);
	assert_int_equal(seg(ft, 0, 60, 70, 0), 0);
	check_all(0, 1);
	assert_int_equal(stats(ft).open, 2);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 31, TCPFLOW_RST,
	    st.b, 5, 2), 0);
	s = stats(ft);
	assert_int_equal(s.open, 0);
	assert_int_equal(s.closed, 2);
	assert_int_equal(s.lost_bytes, 20 + 8 + 10);
	assert_int_equal(seg(ft, 0, 50, st.len, 0), 0);
	assert_int_equal(got.n, 1);
	/* RST of a flow never seen */
	assert_int_equal(seg_at(ft, cli2, srv, 1, 53, 0, TCPFLOW_RST, NULL, 0,
	    3), 0);
	assert_int_equal(stats(ft).flows, 2);
	tcpflow_free(ft);
}

static int
flow_seg(struct tcpflow_table *ft, unsigned port, uint32_t seq,
    uint8_t flags, size_t from, size_t to)
{
	return seg_at(ft, cli, srv, (uint16_t)port, 53, seq, flags,
	    st.b + from, to - from, 1000);
}

/* At max_flows the least recently used open flow goes; tombstones of
 * ended flows go before any open one. */
static void
test_eviction(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(3);
	struct tcpflow_stats s;
	unsigned p;

	stream_add(&st, 1, 40);
	for (p = 1; p <= 3; p++) {          /* A B C, each half a message */
		flow_seg(ft, p, 0, TCPFLOW_SYN, 0, 0);
		flow_seg(ft, p, 1, 0, 0, 10);
	}
	flow_seg(ft, 1, 11, 0, 10, 20);     /* A used again */
	flow_seg(ft, 4, 0, TCPFLOW_SYN, 0, 0);      /* D evicts B */
	s = stats(ft);
	assert_int_equal(s.evicted, 1);
	assert_int_equal(s.lost_bytes, 10);
	assert_int_equal(s.open, 3);
	flow_seg(ft, 1, 21, 0, 20, 42);
	flow_seg(ft, 3, 11, 0, 10, 42);
	assert_int_equal(got.n, 2);
	/* B's rest starts inside a message: a mid-stream flow, refused;
	 * it evicts D, now the least recently used */
	assert_int_equal(flow_seg(ft, 2, 11, 0, 10, 42), -1);
	assert_int_equal(got.n, 2);
	s = stats(ft);
	assert_int_equal(s.evicted, 2);
	assert_int_equal(s.lost, 1);
	/* A ends; the next flow takes its tombstone, C and B stay */
	flow_seg(ft, 1, 43, TCPFLOW_FIN, 0, 0);
	flow_seg(ft, 5, 0, TCPFLOW_SYN, 0, 0);
	s = stats(ft);
	assert_int_equal(s.evicted, 2);
	assert_int_equal(s.open, 3);
	flow_seg(ft, 3, 43, 0, 0, 42);
	flow_seg(ft, 5, 1, 0, 0, 42);
	assert_int_equal(got.n, 4);
	for (p = 0; p < 4; p++)
		check_msg(p, 0);
	tcpflow_free(ft);

	ft = tcpflow_new(0);                /* one flow at least */
	flow_seg(ft, 1, 0, TCPFLOW_SYN, 0, 0);
	flow_seg(ft, 2, 0, TCPFLOW_SYN, 0, 0);
	assert_int_equal(stats(ft).evicted, 1);
	tcpflow_free(ft);
}

/* Many flows: the table grows to max_flows, then evicts; every lookup
 * still finds its own flow.  And the arguments refused. */
static void
test_many_flows(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(1000);
	struct tcpflow_stats s;
	uint8_t a[16];
	unsigned i;

	stream_add(&st, 1, 40);
	memcpy(a, cli, 16);
	for (i = 0; i < 3000; i++) {
		a[13] = (uint8_t)(i >> 8), a[14] = (uint8_t)i;
		seg_at(ft, a, srv, (uint16_t)i, 53, i, TCPFLOW_SYN, NULL, 0, 1);
		seg_at(ft, a, srv, (uint16_t)i, 53, i + 1, 0, st.b, 20, 1);
	}
	s = stats(ft);
	assert_int_equal(s.open, 1000);
	assert_int_equal(s.evicted, 2000);
	assert_int_equal(s.lost_bytes, 2000 * 20);
	for (i = 2000; i < 3000; i++) {
		a[13] = (uint8_t)(i >> 8), a[14] = (uint8_t)i;
		seg_at(ft, a, srv, (uint16_t)i, 53, i + 21, 0, st.b + 20, 22,
		    1);
		assert_int_equal(got.n, i - 2000 + 1);
		assert_memory_equal(got.m[got.n - 1].saddr, a, 16);
		check_msg(got.n - 1, 0);
	}
	assert_int_equal(stats(ft).flows, 3000);
	assert_int_equal(stats(ft).evicted, 2000);
	tcpflow_free(ft);

	ft = tcpflow_new(SIZE_MAX);
	assert_int_equal(tcpflow_segment(ft, cli, 1, srv, 53, 0, 0, st.b, 42,
	    0, NULL, NULL), -1);
	assert_int_equal(seg_at(ft, cli, srv, 1, 53, 0, 0, NULL, 5, 0), -1);
	assert_int_equal(stats(ft).flows, 0);
	tcpflow_free(ft);
}

/* A flow seen idle for TCPFLOW_IDLE_US is dropped. */
static void
test_idle(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

	stream_add(&st, 1, 40);
	seg_at(ft, cli, srv, 1, 53, 0, TCPFLOW_SYN, NULL, 0, 0);
	seg_at(ft, cli, srv, 1, 53, 1, 0, st.b, 10, 5);
	seg_at(ft, cli, srv, 2, 53, 0, TCPFLOW_SYN, NULL, 0, 6);
	seg_at(ft, cli, srv, 3, 53, 0, TCPFLOW_SYN, NULL, 0,
	    TCPFLOW_IDLE_US + 5);
	assert_int_equal(stats(ft).expired, 0);
	seg_at(ft, cli, srv, 3, 53, 0, TCPFLOW_SYN, NULL, 0,
	    TCPFLOW_IDLE_US + 6);
	s = stats(ft);
	assert_int_equal(s.expired, 1);
	assert_int_equal(s.lost_bytes, 10);
	assert_int_equal(s.open, 2);
	seg_at(ft, cli, srv, 3, 53, 0, 0, NULL, 0, TCPFLOW_IDLE_US + 7);
	assert_int_equal(stats(ft).expired, 2);
	tcpflow_free(ft);
}

/* Capture started late: the first data segment is taken as a message
 * start if it looks like one. */
static void
test_midstream(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;
	uint8_t bad[20];

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 60);
	stream_add(&st, 3, 60);
	assert_int_equal(seg_at(ft, cli, srv, 1, 53, 777, 0, st.b, 42, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 1, 53, 777 + 42, 0, st.b + 42,
	    10, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 1, 53, 777 + 52, 0, st.b + 52,
	    st.len - 52, 1), 0);
	check_all(0, 3);
	/* a pure ACK makes no flow */
	assert_int_equal(seg_at(ft, cli, srv, 9, 53, 1, 0, NULL, 0, 1), 0);
	assert_int_equal(stats(ft).flows, 1);

	/* starts inside a message; then a segment that starts one */
	got_reset();
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 100, 0, st.b + 44 + 10,
	    30, 1), -1);
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 130, 0, st.b + 44 + 40,
	    22, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 152, 0, st.b + st.off[2],
	    62, 1), 0);
	check_all(2, 1);
	s = stats(ft);
	assert_int_equal(s.lost, 1);
	assert_int_equal(s.lost_bytes, 52);

	/* a header that is no DNS header: opcode 3, or two questions;
	 * checked as soon as 14 bytes are in */
	got_reset();
	memcpy(bad, st.b, sizeof(bad));
	bad[4] = 0x18;
	assert_int_equal(seg_at(ft, cli, srv, 3, 53, 0, 0, bad, 8, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 3, 53, 8, 0, bad + 8, 12, 1),
	    -1);
	memcpy(bad, st.b, sizeof(bad));
	bad[7] = 2;
	assert_int_equal(seg_at(ft, cli, srv, 4, 53, 0, 0, bad, 20, 1), -1);
	/* a zero length is no message start either */
	bad[0] = bad[1] = 0;
	assert_int_equal(seg_at(ft, cli, srv, 5, 53, 0, 0, bad, 20, 1), -1);
	assert_int_equal(got.n, 0);
	tcpflow_free(ft);
}

/* A length under 12 on a trusted flow loses it (-1, once); the next
 * segment that starts a message brings it back. */
static void
test_bad_prefix(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	static const uint8_t short5[7] = { 0, 5, 1, 2, 3, 4, 5 };
	size_t a;

	stream_add(&st, 1, 40);
	stream_raw(&st, short5, sizeof(short5));
	a = st.len;
	stream_raw(&st, "\x00\x03\x03\x04", 4);
	stream_add(&st, 2, 40);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, a, 0), -1);
	check_all(0, 1);
	assert_int_equal(seg(ft, 0, a, a + 4, 0), 0);   /* quiet */
	assert_int_equal(seg(ft, 0, a + 4, st.len, 0), 0);
	check_all(0, 2);
	assert_int_equal(stats(ft).lost, 1);
	assert_int_equal(stats(ft).lost_bytes, 7 + 4);
	/* trusted again after the resync: a zero length is skipped */
	a = st.len;
	stream_raw(&st, "\0\0", 2);
	stream_add(&st, 3, 12);
	assert_int_equal(seg(ft, 0, a, st.len, 0), 0);
	check_all(0, 3);
	assert_int_equal(stats(ft).lost, 1);
	tcpflow_free(ft);
}

/* The longest message, in 1000-byte segments, some out of order. */
static void
test_large(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	size_t o;

	stream_add(&st, 1, 65535);
	stream_add(&st, 2, 20);
	syn(ft, 3);
	for (o = 0; o < st.len; o += 2000) {
		if (o + 1000 < st.len)
			seg(ft, 3, o + 1000, o + 2000 < st.len ? o + 2000 :
			    st.len, 0);
		seg(ft, 3, o, o + 1000 < st.len ? o + 1000 : st.len, 0);
	}
	check_all(0, 2);
	assert_int_equal(stats(ft).lost_bytes, 0);
	tcpflow_free(ft);
}

static uint64_t rng = 88172645463325252ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

struct cut {
	size_t from, to;
};

/* Random messages cut into random segments, sent with reordering within
 * a few segments, copies and re-cut overlaps: exactly the messages. */
static void
test_random(void **state)
{
	static struct cut c[60000];
	struct tcpflow_table *ft;
	struct tcpflow_stats s;
	struct cut t;
	size_t nc, sent, i, k, len, maxend, skips;
	unsigned round;
	uint32_t isn;

	for (round = 0; round < 60; round++) {
		got_reset();
		stream_reset(&st);
		ft = tcpflow_new(4);
		isn = round % 3 == 0 ? 0xffffffffu - rnd(20000) :
		    (uint32_t)rnd(0xffffffffu);
		for (i = 0, k = 1 + rnd(80); i < k; i++) {
			len = rnd(10) == 0 ? 12 + rnd(9000) : 12 + rnd(300);
			if (round == 7 && i == 3)
				len = 65535;
			stream_add(&st, (unsigned)i, len);
		}
		for (nc = 0, i = 0; i < st.len; nc++, i = c[nc - 1].to) {
			len = rnd(4) == 0 ? 1 + rnd(8) : 1 + rnd(1460);
			c[nc].from = i;
			c[nc].to = i + len < st.len ? i + len : st.len;
		}
		syn(ft, isn);
		for (sent = 0, maxend = 0, skips = 0; sent < nc;) {
			/* one of the next 6, but the first after 4 others */
			k = skips >= 4 ? sent : sent + rnd(6);
			if (k >= nc)
				k = nc - 1;
			skips = k == sent ? 0 : skips + 1;
			/* send c[k], keep c[sent..] in order otherwise */
			seg(ft, isn, c[k].from, c[k].to,
			    c[k].to == st.len ? TCPFLOW_FIN : 0);
			if (c[k].to > maxend)
				maxend = c[k].to;
			t = c[k];
			memmove(c + sent + 1, c + sent,
			    (k - sent) * sizeof(*c));
			c[sent++] = t;
			if (rnd(8) == 0) {  /* a copy of something sent */
				i = sent - 1 - rnd(sent < 10 ? sent : 10);
				seg(ft, isn, c[i].from, c[i].to, 0);
			}
			if (rnd(8) == 0 && maxend > 0) {    /* re-cut */
				i = maxend - 1 - rnd(maxend < 3000 ? maxend :
				    3000);
				seg(ft, isn, i, i + 1 + rnd(maxend - i), 0);
			}
		}
		check_all(0, st.n);
		s = stats(ft);
		assert_int_equal(s.gaps, 0);
		assert_int_equal(s.lost, 0);
		assert_int_equal(s.lost_bytes, 0);
		assert_int_equal(s.open, 0);
		assert_int_equal(s.messages, st.n);
		tcpflow_free(ft);
	}
}

static uint64_t fuzz_sum;

static void
fuzz_cb(void *arg, const uint8_t saddr[16], const uint8_t *msg, size_t len,
    int64_t ts)
{
	size_t i;

	assert_true(len >= 12 && len <= 65535);
	for (i = 0; i < len; i++)
		fuzz_sum += msg[i];
	fuzz_sum += saddr[15];
}

/* Hostile segments: random and mutated stream pieces on a few flows, any
 * flags, wild sequence numbers and clocks.  Nothing may crash, read out
 * of bounds or leak (ASan), and the counters stay consistent. */
static void
test_fuzz(void **state)
{
	static uint8_t pay[70000];
	struct tcpflow_table *ft = tcpflow_new(8);
	struct tcpflow_stats s;
	uint32_t base[16], seq;
	uint8_t sa[16], da[16], flags;
	unsigned i, f;
	size_t len, o, k;
	int64_t ts = 0;

	for (i = 0; i < 200; i++)
		stream_add(&st, i, 12 + rnd(rnd(4) ? 200 : 3000));
	for (i = 0; i < 16; i++)
		base[i] = (uint32_t)rnd(0xffffffffu);
	for (i = 0; i < 100000; i++) {
		f = rnd(16);
		memcpy(sa, (f & 1) ? srv : cli, 16);
		memcpy(da, (f & 1) ? cli : srv, 16);
		sa[15] ^= (uint8_t)(f >> 1);
		flags = (uint8_t)(rnd(10) == 0 ? TCPFLOW_SYN : 0);
		flags |= rnd(30) == 0 ? TCPFLOW_FIN : 0;
		flags |= rnd(60) == 0 ? TCPFLOW_RST : 0;
		flags |= rnd(100) == 0 ? (uint8_t)rnd(256) : 0;
		o = rnd((uint32_t)st.len);
		if (rnd(2)) {              /* a piece of the stream, mutated */
			len = rnd(3) == 0 ? rnd(70000) : rnd(2000);
			len = len < st.len - o ? len : st.len - o;
			memcpy(pay, st.b + o, len);
			if (len > 0 && rnd(3) == 0)
				pay[rnd((uint32_t)len)] ^= (uint8_t)rnd(256);
		} else {                    /* noise, often small bytes */
			len = rnd(5) == 0 ? rnd(8) : rnd(600);
			for (k = 0; k < len; k++)
				pay[k] = (uint8_t)rnd(rnd(2) ? 3 : 256);
		}
		seq = rnd(20) == 0 ? (uint32_t)rnd(0xffffffffu) :
		    base[f] + (uint32_t)o + rnd(200);
		if (rnd(50) == 0)
			base[f] += rnd(100000);
		ts += rnd(100) == 0 ? (int64_t)rnd(200) * 1000000 - 50000000 :
		    (int64_t)rnd(1000);
		tcpflow_segment(ft, sa, (uint16_t)(40000 + f % 3), da,
		    (uint16_t)(53 - f % 2), seq, flags, len ? pay : NULL, len,
		    rnd(1000) == 0 ? INT64_MIN + rnd(10) : ts, fuzz_cb,
		    NULL);
		s = stats(ft);
		assert_true(s.open <= 8);
	}
	s = stats(ft);
	assert_true(s.flows > 100);
	assert_true(s.messages > 0);
	print_message("fuzz: %llu flows, %llu messages, %llu lost, %llu gaps\n",
	    (unsigned long long)s.flows, (unsigned long long)s.messages,
	    (unsigned long long)s.lost, (unsigned long long)s.gaps);
	tcpflow_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_order, setup),
		cmocka_unit_test_setup(test_syn_data, setup),
		cmocka_unit_test_setup(test_split_prefix, setup),
		cmocka_unit_test_setup(test_one_byte, setup),
		cmocka_unit_test_setup(test_several, setup),
		cmocka_unit_test_setup(test_retransmission, setup),
		cmocka_unit_test_setup(test_overlap, setup),
		cmocka_unit_test_setup(test_out_of_order, setup),
		cmocka_unit_test_setup(test_gap, setup),
		cmocka_unit_test_setup(test_gap_far, setup),
		cmocka_unit_test_setup(test_wrap, setup),
		cmocka_unit_test_setup(test_fin, setup),
		cmocka_unit_test_setup(test_rst, setup),
		cmocka_unit_test_setup(test_eviction, setup),
		cmocka_unit_test_setup(test_many_flows, setup),
		cmocka_unit_test_setup(test_idle, setup),
		cmocka_unit_test_setup(test_midstream, setup),
		cmocka_unit_test_setup(test_bad_prefix, setup),
		cmocka_unit_test_setup(test_large, setup),
		cmocka_unit_test_setup(test_random, setup),
		cmocka_unit_test_setup(test_fuzz, setup),
	};
	int r;

	r = cmocka_run_group_tests(tests, NULL, NULL);
	got_reset();
	return r;
}
