/*
 * test_traffic_encap.c: the tunnels of traffic-encap.c as traffic.c opens
 * them (issue 13): each kind, over IPv4 and IPv6, counted for its inner
 * source; every truncation of every frame, uncut (malformed) and cut by
 * the snapshot length (counted from where the question is whole); the
 * depth limit and label stacks without end; the headers that are not
 * read (other); malformed EDNS after a good question; random mutations
 * under ASan, every frame in exactly one count.
 */
#include "encap.h"

#include <inttypes.h>

enum kind {
	K_GRE, K_GRE_CKS, K_GRE6, K_GRETAP, K_ERSPAN1, K_ERSPAN2, K_ERSPAN3,
	K_ERSPAN3_O, K_ERSPAN3_IP, K_VXLAN, K_VXLAN_QINQ, K_GENEVE,
	K_GENEVE_IP, K_MPLS, K_MPLS_NULL, K_MPLS_PW, K_PPPOE, K_PPPOE_PFC,
	K_IPIP, K_NESTED, K_MAX
};

/* Ethernet around the IP packet at the front of p (VLAN tags: tags). */
static void
l2(struct pkt *p, int tags)
{
	push_eth(p, et_of(p));
	if (tags)
		push_tag(p, 0x8100, 200), push_tag(p, 0x88a8, 100);
}

/* The query from src inside tunnel k, as an Ethernet frame. */
static void
build(struct pkt *p, enum kind k, const uint8_t *src, size_t alen)
{
	unsigned et;

	pkt_query(p, src, alen);
	et = et_of(p);
	switch (k) {
	case K_GRE:
		push_gre(p, 0, et), push_ip4(p, 47);
		break;
	case K_GRE_CKS:
		push_gre(p, 0xb000, et), push_ip4(p, 47);
		break;
	case K_GRE6:
		push_gre(p, 0x2000, et), push_ip6(p, 47);
		break;
	case K_GRETAP:
		l2(p, 0), push_gre(p, 0x2000, 0x6558), push_ip4(p, 47);
		break;
	case K_ERSPAN1:
		l2(p, 0), push_gre(p, 0, 0x88be), push_ip4(p, 47);
		break;
	case K_ERSPAN2:
		l2(p, 1), push_erspan2(p, 1), push_gre(p, 0x1000, 0x88be);
		push_ip4(p, 47);
		break;
	case K_ERSPAN3:
	case K_ERSPAN3_O:
		l2(p, 0), push_erspan3(p, 0, k == K_ERSPAN3_O);
		push_gre(p, 0x1000, 0x22eb), push_ip6(p, 47);
		break;
	case K_ERSPAN3_IP:
		push_erspan3(p, 2, 0), push_gre(p, 0x1000, 0x22eb);
		push_ip4(p, 47);
		break;
	case K_VXLAN:
	case K_VXLAN_QINQ:
		l2(p, k == K_VXLAN_QINQ), push_vxlan(p, 0x08), push_udp(p, 4789);
		push_ip4(p, 17);
		break;
	case K_GENEVE:
		l2(p, 0), push_geneve(p, 0x6558), push_udp(p, 6081);
		push_ip6(p, 17);
		break;
	case K_GENEVE_IP:
		push_geneve(p, et), push_udp(p, 6081), push_ip4(p, 17);
		break;
	case K_MPLS:
		push_mpls(p, 3, 1000);
		break;
	case K_MPLS_NULL:
		push_mpls(p, 2, et == 0x0800 ? 0 : 2);
		break;
	case K_MPLS_PW:
		l2(p, 0), push(p, (const uint8_t[4]){ 0 }, 4);
		push_mpls(p, 2, 3000);
		break;
	case K_PPPOE:
	case K_PPPOE_PFC:
		push_pppoe(p, et == 0x0800 ? 0x21 : 0x57, k == K_PPPOE_PFC);
		push_eth(p, 0x8864);
		return;
	case K_IPIP:
		push_ip4(p, et == 0x0800 ? 4 : 41);
		break;
	case K_NESTED:	/* PPPoE, GRE, MPLS, VXLAN, 802.1Q inside */
		l2(p, 1), push_vxlan(p, 0x08), push_udp(p, 4789);
		push_ip4(p, 17), push_mpls(p, 1, 30), push_gre(p, 0x2000, 0x8847);
		push_ip6(p, 47), push_pppoe(p, 0x57, 0), push_eth(p, 0x8864);
		return;
	case K_MAX:
		break;
	}
	if (k == K_MPLS || k == K_MPLS_NULL || k == K_MPLS_PW)
		push_eth(p, 0x8847);
	else
		push_eth(p, et_of(p));
}

/* Each kind, from an IPv4 and an IPv6 source: one root DNSKEY query with
 * its signal, for the inner source alone. */
static void
test_each(void **state)
{
	struct traffic t;
	struct pkt p;
	int k;

	(void)state;
	for (k = 0; k < K_MAX; k++) {
		assert_int_equal(traffic_init(&t), 0);
		build(&p, k, A4, 4);
		count(&t, &p);
		build(&p, k, B6, 16);
		count(&t, &p);
		traffic_flush(&t);
		if (t.queries != 2 || t.n != 2)
			fail_msg("kind %d: %" PRIu64 " queries, %zu sources, "
			    "%" PRIu64 " malformed, %" PRIu64 " other", k,
			    t.queries, t.n, t.malformed, t.other);
		assert_int_equal(root_of(&t, A4, 4), 1);
		assert_int_equal(root_of(&t, B6, 16), 1);
		assert_int_equal(traffic_lookup(&t, B6)->signals, 1);
		assert_int_equal(t.encapsulated, 2);
		assert_int_equal(t.malformed + t.other, 0);
		traffic_free(&t);
	}
}

/* Every prefix of every frame: uncut, malformed (never a query, never
 * other); cut by the snapshot length, a query from where the question
 * ends (without its signal: the OPT record is cut), else counted as cut,
 * not as malformed. */
static void
test_truncations(void **state)
{
	struct traffic t, c;
	struct pkt p;
	size_t n, qend;
	int k;

	(void)state;
	for (k = 0; k < K_MAX; k++) {
		build(&p, k, k % 2 ? B6 : A4, k % 2 ? 16 : 4);
		qend = p.len - OPT_LEN;
		assert_int_equal(traffic_init(&t), 0);
		assert_int_equal(traffic_init(&c), 0);
		for (n = 0; n < p.len; n++) {
			count_at(&t, p.b, n, n, 0);
			count_at(&c, p.b, n, p.len, 0);
		}
		traffic_flush(&c);
		if (t.malformed != p.len || t.queries + t.other != 0)
			fail_msg("kind %d: %" PRIu64 " of %zu prefixes "
			    "malformed", k, t.malformed, p.len);
		if (c.queries != p.len - qend || c.snapped_lost != qend ||
		    c.snapped != p.len || c.malformed != 0)
			fail_msg("kind %d cut: %" PRIu64 " queries, %" PRIu64
			    " lost, want %zu and %zu", k, c.queries,
			    c.snapped_lost, p.len - qend, qend);
		assert_int_equal(traffic_lookup(&c, k % 2 ? B6 :
		    mapped(A4))->signals, 0);
		assert_int_equal(c.edns_malformed, 0);
		traffic_free(&t);
		traffic_free(&c);
	}
}

/* GRE in GRE: 8 deep counted, 9 malformed; Ethernet in Ethernet (0x6558)
 * 300 deep malformed without a deep stack; MPLS stacks of 16 labels
 * read, of 17 or without a bottom malformed; Geneve options overrunning
 * their length malformed. */
static void
test_depth(void **state)
{
	struct traffic t;
	struct pkt p;
	int i, d;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	for (d = 8; d <= 9; d++) {
		pkt_query(&p, A4, 4);
		push_gre_nest(&p, d), push_eth(&p, 0x0800);
		count(&t, &p);
	}
	assert_int_equal(t.queries, 1);
	assert_int_equal(t.malformed, 1);
	pkt_query(&p, A4, 4);
	push_eth(&p, 0x0800);
	for (i = 0; i < 300; i++)
		push_eth(&p, 0x6558);
	count(&t, &p);
	assert_int_equal(t.malformed, 2);
	for (d = 16; d <= 17; d++) {
		pkt_query(&p, A4, 4);
		push_mpls(&p, d, 1000), push_eth(&p, 0x8847);
		count(&t, &p);
	}
	assert_int_equal(t.queries, 2);
	assert_int_equal(t.malformed, 3);
	pkt_query(&p, A4, 4);
	push_mpls(&p, 3, 1000);
	for (i = 0; i < 12; i += 4)
		p.b[i + 2] &= 0xfe;		/* no bottom of stack */
	push_eth(&p, 0x8847);
	count(&t, &p);
	assert_int_equal(t.malformed, 4);
	/* A Geneve option running past the options' stated length. */
	pkt_query(&p, A4, 4);
	push_eth(&p, 0x0800), push_geneve(&p, 0x6558);
	p.b[19] = 3;
	push_udp(&p, 6081), push_ip4(&p, 17), push_eth(&p, 0x0800);
	count(&t, &p);
	assert_int_equal(t.malformed, 5);
	assert_int_equal(t.other, 0);
	traffic_free(&t);
}

/* Headers that are not read here: other, neither query nor malformed. */
static void
test_other(void **state)
{
	struct traffic t;
	struct pkt p;
	int i;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < 11; i++) {
		pkt_query(&p, A4, 4);
		switch (i) {
		case 0:		/* GRE version 1 (PPTP) */
			push_gre(&p, 0x2001, 0x880b), push_ip4(&p, 47);
			break;
		case 1:		/* RFC 1701 routing */
			push_gre(&p, 0x4000, 0x0800), push_ip4(&p, 47);
			break;
		case 2:		/* VXLAN without the I flag */
			push_eth(&p, 0x0800), push_vxlan(&p, 0);
			push_udp(&p, 4789), push_ip4(&p, 17);
			break;
		case 3:		/* Geneve version 1 */
			push_geneve(&p, 0x0800), p.b[0] |= 0x40;
			push_udp(&p, 6081), push_ip4(&p, 17);
			break;
		case 4:		/* ERSPAN II of version 2 */
			push_eth(&p, 0x0800), push_erspan2(&p, 2);
			push_gre(&p, 0x1000, 0x88be), push_ip4(&p, 47);
			break;
		case 5:		/* ERSPAN III frame type 5 */
			push_erspan3(&p, 5, 0), push_gre(&p, 0x1000, 0x22eb);
			push_ip4(&p, 47);
			break;
		case 6:		/* PPP's LCP */
			push_pppoe(&p, 0xc021, 0);
			break;
		case 7:		/* an MPLS payload of nibble 5 */
			p.b[0] = 0x55, push_mpls(&p, 1, 1000);
			break;
		case 8:		/* ESP */
			push_ip4(&p, 50);
			break;
		case 9:		/* PPPoE of version 2 */
			push_pppoe(&p, 0x21, 0), p.b[0] = 0x21;
			break;
		case 10:	/* 802.1Q inside GRE: not a tunnel we open */
			push_gre(&p, 0, 0x8100), push_ip4(&p, 47);
			break;
		}
		if (i == 6 || i == 9)
			push_eth(&p, 0x8864);
		else if (i == 7)
			push_eth(&p, 0x8847);
		else
			push_eth(&p, et_of(&p));
		count(&t, &p);
		if (t.other != (uint64_t)i + 1)
			fail_msg("case %d: not other", i);
	}
	assert_int_equal(t.queries + t.malformed, 0);
	traffic_free(&t);
}

/* A good question with malformed records after it: counted, without the
 * signal, and the malformation counted apart; cut frames and a bad
 * question are not that. */
static void
test_edns(void **state)
{
	struct traffic t;
	struct pkt p;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	pkt_query(&p, A4, 4);
	p.b[p.len - 3] = 3;		/* edns-key-tag of odd length */
	push_eth(&p, 0x0800);
	count(&t, &p);
	pkt_query(&p, A4, 4);
	p.b[p.len - 7] = 0x40;		/* RDLENGTH past the message */
	push_eth(&p, 0x0800);
	count(&t, &p);
	traffic_flush(&t);
	assert_int_equal(t.queries, 2);
	assert_int_equal(t.edns_malformed, 2);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(root_of(&t, A4, 4), 2);
	assert_int_equal(traffic_lookup(&t, mapped(A4))->signals, 0);
	pkt_query(&p, A4, 4);
	push_eth(&p, 0x0800);
	count_at(&t, p.b, p.len - 1, p.len, 0);	/* cut inside the option */
	assert_int_equal(t.edns_malformed, 2);
	pkt_query(&p, A4, 4);
	p.b[20 + 8 + 5] = 2;		/* two questions */
	push_eth(&p, 0x0800);
	count(&t, &p);
	assert_int_equal(t.malformed, 1);
	assert_int_equal(t.queries, 3);
	traffic_free(&t);
}

/* Random mutations of every kind, cut or not, under ASan. */
static void
test_hostile(void **state)
{
	struct pkt base[K_MAX], p;
	struct traffic t;
	unsigned long i, iters = 100000;
	size_t k, n;

	(void)state;
	for (k = 0; k < K_MAX; k++)
		build(&base[k], (enum kind)k, k % 2 ? B6 : A4, k % 2 ? 16 : 4);
	srandom(13);
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < iters; i++) {
		p = base[i % K_MAX];
		for (n = 1 + (size_t)random() % 4; n > 0; n--)
			p.b[(size_t)random() % p.len] = (uint8_t)random();
		n = random() % 3 == 0 ? (size_t)random() % (p.len + 1) : p.len;
		count_at(&t, p.b, n, random() % 2 ? n : p.len,
		    (int64_t)i * 1000);
	}
	traffic_flush(&t);
	assert_int_equal(t.packets, iters);
	assert_accounted(&t);
	assert_true(t.queries > iters / 10);
	assert_true(t.malformed > iters / 20);
	traffic_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_edns),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
