/*
 * test_traffic_frag.c: IPv4 and IPv6 fragments put back together by
 * traffic-frag.c (issue 13): any order, extension headers on both sides
 * of the IPv6 fragment header, overlaps and contradictions refused (and
 * the datagram's later fragments with them), exact copies dropped alone,
 * the 60 s time-out by capture time (also going backwards), the caps on
 * datagrams, bytes and fragments, malformed fragments, atomic fragments,
 * fragments cut by the snapshot length, and reassembly counted toward the
 * depth limit of tunnels.
 */
#include "encap.h"

#define S 1000000LL		/* a second in microseconds */

/* The number of pieces of size bytes of IP packet q's payload. */
static size_t
npieces(const struct pkt *q, size_t size)
{
	size_t hl = q->b[0] >> 4 == 4 ? 20 : 40;

	return (q->len - hl + size - 1) / size;
}

/* Fragment i (pieces of size bytes) of IPv4 packet q, id id, framed. */
static void
frag4(struct pkt *f, const struct pkt *q, size_t size, size_t i, unsigned id)
{
	size_t n = npieces(q, size), len = q->len - 20 - i * size;

	if (len > size)
		len = size;
	memcpy(f->b, q->b + 20 + i * size, len);
	f->len = len;
	push(f, q->b, 20);
	put16(f->b + 2, (unsigned)(20 + len));
	put16(f->b + 4, id);
	put16(f->b + 6, (unsigned)(i * size / 8) | (i + 1 < n ? 0x2000 : 0));
	push_eth(f, 0x0800);
}

/* Fragment i of IPv6 packet q, id id: with a destination options header
 * before the fragment header when pre. */
static void
frag6(struct pkt *f, const struct pkt *q, size_t size, size_t i,
    uint32_t id, int pre)
{
	size_t n = npieces(q, size), len = q->len - 40 - i * size;
	uint8_t fh[8] = { q->b[6] }, dopt[8] = { 44, 0, 1, 4 };

	if (len > size)
		len = size;
	memcpy(f->b, q->b + 40 + i * size, len);
	f->len = len;
	put16(fh + 2, (unsigned)(i * size) | (i + 1 < n));
	put16(fh + 4, id >> 16), put16(fh + 6, id & 0xffff);
	push(f, fh, 8);
	if (pre)
		push(f, dopt, 8);
	push(f, q->b, 40);
	f->b[6] = pre ? 60 : 44;
	put16(f->b + 4, (unsigned)(f->len - 40));
	push_eth(f, 0x86dd);
}

/* q with an empty destination options header after its IPv6 header (in
 * the fragmentable part, then). */
static void
with_dopt(struct pkt *q)
{
	uint8_t d[8] = { 17, 0, 1, 4 }, h[40];

	memcpy(h, q->b, 40);
	q->len -= 40;
	memmove(q->b, q->b + 40, q->len);
	push(q, d, 8);
	h[6] = 60;
	put16(h + 4, (unsigned)q->len);
	push(q, h, 40);
}

/* Send fragments order[0..n) of q (v4, or v6 with pre) at time ts. */
static void
send_order(struct traffic *t, const struct pkt *q, size_t size,
    const size_t *order, size_t n, unsigned id, int pre, int64_t ts)
{
	struct pkt f;
	size_t i;

	for (i = 0; i < n; i++) {
		if (q->b[0] >> 4 == 4)
			frag4(&f, q, size, order[i], id);
		else
			frag6(&f, q, size, order[i], id, pre);
		count_at(t, f.b, f.len, f.len, ts);
	}
}

/* Fragments 0..n-1 in order k: 0 forward, 1 backward, 2 in strides of
 * 5 (n prime to 5). */
static void
order_of(int k, size_t n, size_t *o)
{
	size_t i;

	for (i = 0; i < n; i++)
		o[i] = k == 0 ? i : k == 1 ? n - 1 - i : i * 5 % n;
}

/* Each packet in each order: IPv4, IPv6 with a destination options
 * header before the fragment header, IPv6 with one after it. */
static void
test_orders(void **state)
{
	struct traffic t;
	struct pkt q[3];
	size_t o[16], i, n;
	int k;

	(void)state;
	pkt_query(&q[0], A4, 4);
	pkt_query(&q[1], B6, 16);
	pkt_query(&q[2], B6, 16);
	with_dopt(&q[2]);
	assert_int_equal(traffic_init(&t), 0);
	for (k = 0; k < 3; k++)
		for (i = 0; i < 3; i++) {
			n = npieces(&q[i], 8);
			assert_true(n > 2 && n < 16 && n % 5 != 0);
			order_of(k, n, o);
			send_order(&t, &q[i], 8, o, n, 100 * (unsigned)i +
			    (unsigned)k, i == 1, 0);
		}
	traffic_flush(&t);
	assert_int_equal(root_of(&t, A4, 4), 3);
	assert_int_equal(root_of(&t, B6, 16), 6);
	assert_int_equal(traffic_lookup(&t, B6)->signals, 6);
	assert_int_equal(t.frag.reassembled, 9);
	assert_int_equal(t.frag.overlaps + t.malformed + t.other, 0);
	assert_int_equal(traffic_frag_held(&t), 0);
	assert_accounted(&t);
	traffic_free(&t);
}

/* Overlaps and contradictions refuse the datagram, its later fragments
 * too; an exact copy is dropped alone; a changed copy is refused. */
static void
test_overlaps(void **state)
{
	static const size_t all[] = { 0, 1, 2 }, rest[] = { 1, 2 };
	struct traffic t;
	struct pkt q, f;

	(void)state;
	pkt_query(&q, A4, 4);
	assert_int_equal(npieces(&q, 16), 3);
	assert_int_equal(traffic_init(&t), 0);
	/* [0,16) then [8,24): refused, and the rest changes nothing. */
	send_order(&t, &q, 16, all, 1, 1, 0, 0);
	frag4(&f, &q, 8, 1, 1);
	put16(f.b + 14 + 6, 0x2000 | 1);
	count(&t, &f);
	send_order(&t, &q, 16, rest, 2, 1, 0, 0);
	assert_int_equal(t.frag.overlaps, 1);
	/* A last fragment ending before data held: a contradiction. */
	send_order(&t, &q, 16, rest + 1, 1, 2, 0, 0);
	frag4(&f, &q, 16, 1, 2);
	put16(f.b + 14 + 6, 1);			/* MF clear at 16 */
	count(&t, &f);
	assert_int_equal(t.frag.overlaps, 2);
	/* An exact copy: dropped alone, the datagram completes. */
	send_order(&t, &q, 16, (const size_t[]){ 0, 1, 1, 2 }, 4, 3, 0, 0);
	/* A copy with other bytes: refused. */
	send_order(&t, &q, 16, all, 2, 4, 0, 0);
	frag4(&f, &q, 16, 1, 4);
	f.b[f.len - 1] ^= 0xff;
	count(&t, &f);
	send_order(&t, &q, 16, rest + 1, 1, 4, 0, 0);
	/* Same id, another protocol: another datagram. */
	frag4(&f, &q, 16, 1, 5);
	f.b[14 + 9] = 99;
	count(&t, &f);
	send_order(&t, &q, 16, all, 3, 5, 0, 0);
	traffic_flush(&t);
	assert_int_equal(t.frag.overlaps, 3);
	assert_int_equal(root_of(&t, A4, 4), 2);
	assert_int_equal(traffic_frag_held(&t), 1);	/* protocol 99's */
	assert_int_equal(t.malformed, 0);
	assert_accounted(&t);
	traffic_free(&t);
}

/* 60 s from the first fragment by the capture's clock: 61 s is too
 * late, 59 s is not, and a clock going backwards expires nothing. */
static void
test_timeout(void **state)
{
	static const size_t first[] = { 0 }, rest[] = { 1, 2 };
	struct traffic t;
	struct pkt q;

	(void)state;
	pkt_query(&q, A4, 4);
	assert_int_equal(traffic_init(&t), 0);
	send_order(&t, &q, 16, first, 1, 1, 0, 0);
	send_order(&t, &q, 16, rest, 2, 1, 0, 61 * S);
	assert_int_equal(t.frag.expired, 1);
	assert_int_equal(t.queries, 0);
	send_order(&t, &q, 16, first, 1, 2, 0, 100 * S);
	send_order(&t, &q, 16, rest, 2, 2, 0, 159 * S);
	send_order(&t, &q, 16, first, 1, 3, 0, 500 * S);
	send_order(&t, &q, 16, rest, 2, 3, 0, 450 * S);
	traffic_flush(&t);
	assert_int_equal(t.queries, 2);
	/* and the datagram 1's late fragments began, at 159 s */
	assert_int_equal(t.frag.expired, 2);
	assert_int_equal(traffic_frag_held(&t), 0);
	traffic_free(&t);
}

/* An IPv4 fragment of len zero bytes at offset off, id id. */
static uint8_t *
raw_frag(size_t len, size_t off, int more, unsigned id, size_t *flen)
{
	uint8_t *b = calloc(1, 14 + 20 + len);

	assert_non_null(b);
	put16(b + 12, 0x0800);
	b[14] = 0x45, b[14 + 9] = 17;
	put16(b + 14 + 2, (unsigned)(20 + len));
	put16(b + 14 + 4, id);
	put16(b + 14 + 6, (unsigned)(off / 8) | (more ? 0x2000 : 0));
	memcpy(b + 14 + 12, A4, 4);
	*flen = 14 + 20 + len;
	return b;
}

static void
test_caps(void **state)
{
	struct traffic t;
	uint8_t *b;
	size_t n, i;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < TRAFFIC_FRAG_DATAGRAMS + 76; i++) {
		b = raw_frag(8, 0, 1, (unsigned)i, &n);
		count_at(&t, b, n, n, 0);
		free(b);
	}
	assert_int_equal(traffic_frag_held(&t), TRAFFIC_FRAG_DATAGRAMS);
	assert_int_equal(t.frag.evicted, 76);
	traffic_free(&t);
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < 100; i++) {
		b = raw_frag(60000, 0, 1, (unsigned)i, &n);
		count_at(&t, b, n, n, 0);
		free(b);
	}
	assert_true(traffic_frag_held(&t) * 60000 <= TRAFFIC_FRAG_BYTES);
	assert_true(traffic_frag_held(&t) >= 60);
	assert_int_equal(t.frag.evicted, 100 - traffic_frag_held(&t));
	traffic_free(&t);
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i <= TRAFFIC_FRAG_PIECES; i++) {
		b = raw_frag(8, i * 8, 1, 7, &n);
		count_at(&t, b, n, n, 0);
		free(b);
	}
	assert_int_equal(t.frag.evicted, 1);
	assert_int_equal(traffic_frag_held(&t), 0);
	traffic_free(&t);
}

/* Malformed fragments: not a multiple of 8 but the last, empty but the
 * last, past 65535 bytes, an IPv6 fragment header cut short. */
static void
test_malformed(void **state)
{
	struct traffic t;
	struct pkt q, f;
	uint8_t *b;
	size_t n;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	b = raw_frag(12, 0, 1, 1, &n);
	count_at(&t, b, n, n, 0);
	free(b);
	b = raw_frag(0, 8, 1, 1, &n);
	count_at(&t, b, n, n, 0);
	free(b);
	b = raw_frag(16, 65528, 0, 1, &n);
	count_at(&t, b, n, n, 0);
	free(b);
	pkt_query(&q, B6, 16);
	frag6(&f, &q, 24, 0, 1, 0);
	f.len = 14 + 40 + 4;
	put16(f.b + 14 + 4, 4);
	count(&t, &f);
	assert_int_equal(t.malformed, 4);
	assert_int_equal(t.frag.fragments, 0);
	traffic_free(&t);
}

/* An atomic fragment is whole; a cut first fragment counts when its
 * question is in it, a cut later one is lost (counted apart). */
static void
test_atomic_and_cut(void **state)
{
	struct traffic t;
	struct pkt q, f;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	pkt_query(&q, B6, 16);
	frag6(&f, &q, 512, 0, 9, 0);		/* one piece: offset 0, M 0 */
	count(&t, &f);
	assert_int_equal(t.queries, 1);
	assert_int_equal(t.frag.fragments, 0);
	frag6(&f, &q, 40, 0, 10, 1);		/* cut after the question */
	count_at(&t, f.b, f.len - 2, f.len, 0);
	frag6(&f, &q, 40, 1, 10, 1);
	count_at(&t, f.b, f.len - 2, f.len, 0);
	pkt_query(&q, A4, 4);
	frag4(&f, &q, 40, 0, 10);
	count_at(&t, f.b, f.len - 2, f.len, 0);
	frag4(&f, &q, 40, 1, 10);
	count_at(&t, f.b, f.len - 2, f.len, 0);
	traffic_flush(&t);
	assert_int_equal(root_of(&t, B6, 16), 2);
	assert_int_equal(root_of(&t, A4, 4), 1);
	assert_int_equal(t.snapped_lost, 2);
	assert_int_equal(t.frag.fragments + t.malformed, 0);
	assert_accounted(&t);
	traffic_free(&t);
}

/* A tunnel in fragments: the inner source counted; a reassembly counts
 * toward the depth limit (7 GRE inside: 8 deep; 8 inside: malformed). */
static void
test_nested(void **state)
{
	static const size_t rev[] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
	struct traffic t;
	struct pkt q;
	size_t n;
	int d;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	for (d = 7; d <= 8; d++) {
		pkt_query(&q, B6, 16);
		push_gre_nest(&q, d);
		n = npieces(&q, 48);
		assert_true(n <= 10);
		send_order(&t, &q, 48, rev + 10 - n, n, 77 + (unsigned)d, 0,
		    0);
	}
	traffic_flush(&t);
	assert_int_equal(t.frag.reassembled, 2);
	assert_int_equal(root_of(&t, B6, 16), 1);
	assert_int_equal(t.malformed, 1);
	traffic_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_atomic_and_cut),
		cmocka_unit_test(test_nested),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
