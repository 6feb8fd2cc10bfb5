/*
 * test_tcpflow.c: tcpflow.c on hand-cut TCP segments of one flow.  Each
 * case builds a stream of length-prefixed DNS-like messages, cuts it into
 * segments, delivers them in some order and checks the exact messages the
 * callback got, in order, and the counters: order, retransmissions,
 * overlaps, holes, sequence wrap, FIN and RST.  Many flows, randomized
 * and hostile segments are test_tcpflow_flows.c's.
 */
#include "tcpflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	assert_int_equal(s.unparsed + s.missing + s.hunts, 0);
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
	assert_int_equal(stats(ft).unparsed, 0);
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
	assert_int_equal(s.unparsed + s.missing, 0);
	tcpflow_free(ft);
}

/* A hole never filled: at the bound of segments held the flow gives it
 * up and finds the message that starts the first held segment. */
static void
test_gap(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
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
	check_lost(ft, 1, 102, 1, 0);
	assert_int_equal(stats(ft).hunts, 1);
	/* the missing segment late: old, ignored */
	assert_int_equal(seg(ft, 0, st.off[1], st.off[2], 0), 0);
	assert_int_equal(got.n, 2 + TCPFLOW_HELD_MAX);
	tcpflow_free(ft);
}

/* A segment too far ahead gives the hole up at once.  When the first
 * held segment starts inside a message, the flow hunts through it and
 * the held segments after it, and finds the next message. */
static void
test_gap_far(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);
	uint32_t far = 70000;

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 400);
	stream_add(&st, 3, 40);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, 10, 0), 0);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + far, 0,
	    st.b + st.off[2], st.mlen[2] + 2, 5), 0);
	check_msg(0, 2);
	check_lost(ft, 1, far - 10, 1, 10);
	tcpflow_free(ft);

	got_reset();
	ft = tcpflow_new(16);
	syn(ft, 0);
	/* hole [0, 100); held: the middle of message 2, then from inside
	 * it to the end */
	assert_int_equal(seg(ft, 0, 100, 200, 0), 0);
	assert_int_equal(seg(ft, 0, 150, st.len, 0), 0);
	assert_int_equal(got.n, 0);
	/* too far: the hole is given up, the held bytes are hunted through
	 * up to message 3; then the far segment is a hole of its own, and a
	 * copy of message 1 is found after it */
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + far, 0, st.b, 42,
	    5), 0);
	assert_int_equal(got.n, 2);
	check_msg(0, 2);
	check_msg(1, 0);
	check_lost(ft, 2, 100 + (far - st.len), 2, st.off[2] - 100);
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
 * counted unparsed; a later copy of its data is not counted again. */
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
	assert_int_equal(s.unparsed, 18);
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

/* RST ends both directions; what they held is parsed, found no whole
 * message here, and counted. */
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
	/* the answer's first 20 bytes; the query's partial message, and
	 * what it held after the hole [50, 60), inside a message */
	check_lost(ft, 1, 10, 0, 20 + 8 + 10);
	assert_int_equal(seg(ft, 0, 50, st.len, 0), 0);
	assert_int_equal(got.n, 1);
	/* RST of a flow never seen */
	assert_int_equal(seg_at(ft, cli2, srv, 1, 53, 0, TCPFLOW_RST, NULL, 0,
	    3), 0);
	assert_int_equal(stats(ft).flows, 2);
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
	};
	int r;

	r = cmocka_run_group_tests(tests, NULL, NULL);
	got_reset();
	return r;
}
