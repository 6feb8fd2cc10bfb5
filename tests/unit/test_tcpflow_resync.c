/*
 * test_tcpflow_resync.c: tcpflow.c where message boundaries are lost and
 * found again (issue 13): holes given up on time and at the end of the
 * flow or of the input, RST, a candidate boundary that claims a whole
 * window, and the count of every byte that is in no message.  Cuts of a
 * real capture at every byte are test_tcpflow_capture.c's.
 */
#include "tcpflow.h"

/* A message held after a hole: delivered when a later segment comes
 * more than TCPFLOW_HOLE_US after the hole opened, not before. */
static void
test_hole_time(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 100);    /* its second half never comes */
	stream_add(&st, 3, 40);
	stream_add(&st, 4, 40);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, st.off[1] + 50, 0), 0);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + st.off[2], 0,
	    st.b + st.off[2], 42, 1000), 0);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + st.off[3], 0,
	    st.b + st.off[3], 21, 1000 + TCPFLOW_HOLE_US), 0);
	check_all(0, 1);
	assert_int_equal(stats(ft).gaps, 0);
	/* past the bound: the hole goes, the held message counts, and the
	 * flow takes the new segment after it */
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + st.off[3] + 21,
	    0, st.b + st.off[3] + 21, 21, 1001 + TCPFLOW_HOLE_US), 0);
	assert_int_equal(got.n, 3);
	check_msg(0, 0);
	check_msg(1, 2);
	check_msg(2, 3);
	check_lost(ft, 1, 52, 1, 50);
	assert_int_equal(stats(ft).held, 2);
	tcpflow_free(ft);
}

/* A hole before the FIN, the segments after it held: the flow waits for
 * a retransmission; at the end of the input the hole is given up and
 * what was held counts.  A FIN that a hole keeps from ending its flow,
 * nothing held: the hole is counted at the end too. */
static void
test_hole_end(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 50);     /* never comes */
	stream_add(&st, 3, 60);
	stream_add(&st, 4, 70);
	syn(ft, 0);
	assert_int_equal(seg(ft, 0, 0, st.off[1], 0), 0);
	assert_int_equal(seg(ft, 0, st.off[2], st.off[3], 0), 0);
	assert_int_equal(seg(ft, 0, st.off[3], st.len, TCPFLOW_FIN), 0);
	check_all(0, 1);
	assert_int_equal(stats(ft).open, 1);
	/* another flow, its FIN after a hole with nothing held */
	assert_int_equal(seg_at(ft, cli2, srv, 5, 53, 0, TCPFLOW_SYN, NULL, 0,
	    1), 0);
	assert_int_equal(seg_at(ft, cli2, srv, 5, 53, 1, 0, st.b, 42, 1), 0);
	assert_int_equal(seg_at(ft, cli2, srv, 5, 53, 1 + st.off[2],
	    TCPFLOW_FIN, NULL, 0, 1), 0);
	assert_int_equal(got.n, 2);
	tcpflow_flush(ft, collect, &got);
	assert_int_equal(got.n, 4);
	check_msg(2, 2);
	check_msg(3, 3);
	check_lost(ft, 2, 2 * 52, 1, 0);
	assert_int_equal(stats(ft).open, 0);
	/* the end of the input again: nothing left */
	tcpflow_flush(ft, collect, &got);
	assert_int_equal(got.n, 4);
	tcpflow_free(ft);
}

/* RST: what both directions held after their holes is parsed at once;
 * a partial message is counted unparsed. */
static void
test_rst_held(void **state)
{
	struct tcpflow_table *ft = tcpflow_new(16);

	stream_add(&st, 1, 40);
	stream_add(&st, 2, 50);
	stream_add(&st, 3, 60);
	syn(ft, 0);
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 9, TCPFLOW_SYN, NULL,
	    0, 1), 0);
	assert_int_equal(seg(ft, 0, 0, 10, 0), 0);
	assert_int_equal(seg(ft, 0, st.off[1], st.len - 5, 0), 0);
	/* the answer: a hole, then message 2 whole */
	assert_int_equal(seg_at(ft, srv, cli, 53, 40000, 10 + 30, 0,
	    st.b + st.off[1], 52, 2), 0);
	assert_int_equal(got.n, 0);
	assert_int_equal(seg_at(ft, cli, srv, 40000, 53, 1 + st.len, TCPFLOW_RST,
	    NULL, 0, 3), 0);
	assert_int_equal(got.n, 2);
	check_msg(0, 1);
	assert_memory_equal(got.m[0].saddr, cli, 16);
	check_msg(1, 1);
	assert_memory_equal(got.m[1].saddr, srv, 16);
	check_lost(ft, 2, st.off[1] - 10 + 30, 2, 10 + 62 - 5);
	assert_int_equal(stats(ft).closed, 2);
	tcpflow_free(ft);
}

/* A false candidate: a header with QDCOUNT 1, the root asked, and two
 * records, the first one's data running to the last byte of the 65535
 * it claims, where the second cannot fit.  The messages behind it wait
 * in at most TCPFLOW_WINDOW bytes, and come as soon as that last byte
 * is in and it is judged. */
static void
test_candidate_window(void **state)
{
	static const uint8_t fake[2 + 28] = { 0xff, 0xff, 0, 0, 0, 0, 0, 1,
	    0, 0, 0, 0, 0, 2, 0, 0, 1, 0, 1, 0, 0, 16, 0, 1, 0, 0, 0, 0,
	    0xff, 0xe2 };
	struct tcpflow_table *ft = tcpflow_new(16);
	size_t i, o, n;

	stream_raw(&st, fake, sizeof(fake));
	for (i = 0; st.len < 70000; i++)
		stream_add(&st, (unsigned)i, 100 + i % 50);
	/* mid-stream, in 1000-byte segments */
	for (o = 0, n = 0; o < st.len; o += 1000) {
		assert_int_equal(seg_at(ft, cli, srv, 1, 53, 5 + (uint32_t)o, 0,
		    st.b + o, st.len - o < 1000 ? st.len - o : 1000, 1), 0);
		if (o + 1000 < TCPFLOW_WINDOW)
			assert_int_equal(got.n, 0);
		else if (n == 0)
			n = got.n;
	}
	/* judged at 65537 bytes: the messages up to there came at once */
	assert_true(n > 400);
	tcpflow_flush(ft, collect, &got);
	check_all(0, st.n);
	check_lost(ft, 0, 0, 1, sizeof(fake));
	tcpflow_free(ft);
}

/* Noise, then messages, taken up in the noise, cut anywhere, some
 * segments lost: the bytes taken are exactly those delivered in messages
 * plus those counted unparsed, and the messages after the last hole
 * come. */
static void
test_accounting(void **state)
{
	struct tcpflow_table *ft;
	struct tcpflow_stats s;
	uint8_t noise[300];
	size_t i, k, o, n, len, given, delivered, after;
	unsigned round;

	rng = 0x2545f4914f6cdd1dULL;
	for (round = 0; round < 200; round++) {
		got_reset();
		stream_reset(&st);
		ft = tcpflow_new(4);
		n = 1 + rnd(sizeof(noise));
		for (k = 0; k < n; k++)
			noise[k] = (uint8_t)rnd(rnd(2) ? 4 : 256);
		stream_raw(&st, noise, n);
		for (i = 0; i < 30; i++)
			stream_add(&st, (unsigned)i, 12 + rnd(400));
		after = st.off[st.n - 3];   /* nothing lost from here */
		for (o = rnd(50), given = 0; o < st.len; o += len) {
			len = 1 + rnd(700);
			if (len > st.len - o)
				len = st.len - o;
			if (o + len < after && rnd(10) == 0)
				continue;
			seg_at(ft, cli, srv, 7, 53, (uint32_t)o, 0, st.b + o,
			    len, 1);
			given += len;
		}
		tcpflow_flush(ft, collect, &got);
		s = stats(ft);
		for (i = 0, delivered = 0; i < got.n; i++)
			delivered += 2 + got.m[i].len;
		assert_int_equal(s.unparsed + delivered, given);
		assert_int_equal(s.messages, got.n);
		assert_true(got.n >= 2);
		check_msg(got.n - 1, st.n - 1);
		check_msg(got.n - 2, st.n - 2);
		tcpflow_free(ft);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hole_time, setup),
		cmocka_unit_test_setup(test_hole_end, setup),
		cmocka_unit_test_setup(test_rst_held, setup),
		cmocka_unit_test_setup(test_candidate_window, setup),
		cmocka_unit_test_setup(test_accounting, setup),
	};
	int r;

	r = cmocka_run_group_tests(tests, NULL, NULL);
	got_reset();
	return r;
}
