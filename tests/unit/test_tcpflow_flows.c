/*
 * test_tcpflow_flows.c: tcpflow.c on many flows: eviction of the least
 * recently used, idle expiry, flows taken up midstream, bad length
 * prefixes, the largest message; then randomized streams with reordering
 * and duplication, and a loop of hostile segments (run it under make
 * SANITIZE=1 unit).  One flow's segments are test_tcpflow.c's.
 */
#include "tcpflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_int_equal(s.unparsed, 10);
	assert_int_equal(s.open, 3);
	flow_seg(ft, 1, 21, 0, 20, 42);
	flow_seg(ft, 3, 11, 0, 10, 42);
	assert_int_equal(got.n, 2);
	/* B's rest starts inside a message: a mid-stream flow, which hunts
	 * and finds nothing whole; it evicts D, now the least recently used */
	assert_int_equal(flow_seg(ft, 2, 11, 0, 10, 42), 0);
	assert_int_equal(got.n, 2);
	s = stats(ft);
	assert_int_equal(s.evicted, 2);
	assert_int_equal(s.hunts, 1);
	assert_int_equal(s.resyncs, 0);
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
	assert_int_equal(s.unparsed, 2000 * 20);
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
	assert_int_equal(s.unparsed, 10);
	assert_int_equal(s.open, 2);
	seg_at(ft, cli, srv, 3, 53, 0, 0, NULL, 0, TCPFLOW_IDLE_US + 7);
	assert_int_equal(stats(ft).expired, 2);
	tcpflow_free(ft);
}

/* Capture started late: a flow first seen with data hunts for the first
 * position where a whole message parses, wherever its segments start. */
static void
test_midstream(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	struct tcpflow_stats s;

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
	s = stats(ft);
	assert_int_equal(s.flows, 1);
	assert_int_equal(s.hunts, 1);
	assert_int_equal(s.resyncs, 1);

	/* starts inside a message: its rest is skipped, counted unparsed */
	got_reset();
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 100, 0, st.b + 44 + 10,
	    30, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 130, 0, st.b + 44 + 40,
	    22, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 2, 53, 152, 0, st.b + st.off[2],
	    62, 1), 0);
	check_all(2, 1);
	s = stats(ft);
	assert_int_equal(s.resyncs, 2);
	assert_int_equal(s.unparsed, 52);

	/* starts right after a length prefix (the message's own header
	 * first, its ID then taken for a length by a weaker test), with the
	 * next message split after its prefix.  A position inside message 1
	 * passes the test as far as the bytes go (QDCOUNT 1: its ANCOUNT;
	 * then a name...) and claims 256 bytes: messages 2 and 3 wait
	 * behind it until it is judged, here when the FIN ends the stream */
	got_reset();
	assert_int_equal(seg_at(ft, cli, srv, 3, 53, 0, 0, st.b + 2,
	    st.off[2] + 2 - 2, 1), 0);
	assert_int_equal(seg_at(ft, cli, srv, 3, 53, st.off[2], 0,
	    st.b + st.off[2] + 2, st.len - st.off[2] - 2, 1), 0);
	assert_int_equal(got.n, 0);
	assert_int_equal(seg_at(ft, cli, srv, 3, 53, st.len - 2, TCPFLOW_FIN,
	    NULL, 0, 1), 0);
	check_all(1, 2);
	s = stats(ft);
	assert_int_equal(s.unparsed, 52 + 40);
	assert_int_equal(s.resyncs, 3);
	assert_int_equal(s.closed, 1);

	/* the same without a FIN: the end of the input judges it */
	got_reset();
	assert_int_equal(seg_at(ft, cli, srv, 4, 53, 0, 0, st.b + 2,
	    st.len - 2, 1), 0);
	assert_int_equal(got.n, 0);
	tcpflow_flush(ft, collect, &got);
	check_all(1, 2);
	assert_int_equal(stats(ft).open, 0);
	tcpflow_free(ft);
}

/* A length under 12 on a trusted flow loses the boundaries; the flow
 * hunts from the next byte and finds the next whole message, in the
 * same segment or a later one. */
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
	assert_int_equal(seg(ft, 0, 0, a, 0), 0);
	check_all(0, 1);
	assert_int_equal(seg(ft, 0, a, a + 4, 0), 0);
	assert_int_equal(seg(ft, 0, a + 4, st.len, 0), 0);
	check_all(0, 2);
	check_lost(ft, 0, 0, 1, 7 + 4);
	assert_int_equal(stats(ft).hunts, 1);
	/* trusted again after the resync: a zero length is skipped */
	a = st.len;
	stream_raw(&st, "\0\0", 2);
	stream_add(&st, 3, 12);
	assert_int_equal(seg(ft, 0, a, st.len, 0), 0);
	check_all(0, 3);
	assert_int_equal(stats(ft).hunts, 1);
	/* the bad length split over two segments: the hunt starts at its
	 * second byte */
	a = st.len;
	stream_raw(&st, "\x00\x0b", 2);
	stream_add(&st, 4, 30);
	assert_int_equal(seg(ft, 0, a, a + 1, 0), 0);
	assert_int_equal(seg(ft, 0, a + 1, st.len, 0), 0);
	check_all(0, 4);
	check_lost(ft, 0, 0, 2, 7 + 4 + 2);
	assert_int_equal(stats(ft).hunts, 2);
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
	assert_int_equal(stats(ft).unparsed, 0);
	tcpflow_free(ft);
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
		assert_int_equal(s.hunts, 0);
		assert_int_equal(s.unparsed + s.missing, 0);
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
	print_message("fuzz: %llu flows, %llu messages, %llu resyncs of %llu "
	    "hunts, %llu gaps\n", (unsigned long long)s.flows,
	    (unsigned long long)s.messages, (unsigned long long)s.resyncs,
	    (unsigned long long)s.hunts, (unsigned long long)s.gaps);
	tcpflow_flush(ft, fuzz_cb, NULL);
	assert_int_equal(stats(ft).open, 0);
	tcpflow_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
