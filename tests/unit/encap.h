/*
 * encap.h: what test_traffic_encap.c and test_traffic_frag.c share:
 * packets built from the inside out (a DNS query, then each header pushed
 * in front of it), and traffic_packet run on an exact-length copy of a
 * frame, so that ASan sees any read past its end.
 */
#ifndef ENCAP_H
#define ENCAP_H
#include "traffic.h"

/* A packet, its bytes at b[0..len). */
struct pkt {
	uint8_t b[8192];
	size_t len;
};

static const uint8_t OUT4[4] TT_UNUSED = { 192, 0, 2, 200 };
static const uint8_t OUT6[16] TT_UNUSED = { 0x20, 0x01, 0x0d, 0xb8,
	[15] = 0xc8 };
static const uint16_t TAG[] TT_UNUSED = { 20326 };

/* The bytes of the OPT record with one edns-key-tag that ends a query. */
#define OPT_LEN (11 + 4 + 2)

static inline void
push(struct pkt *p, const uint8_t *h, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	memmove(p->b + n, p->b, p->len);
	memcpy(p->b, h, n);
	p->len += n;
}

/* The query ". DNSKEY" from src (4 or 16 bytes), with the key tag
 * 20326 in an OPT record, as an IP packet. */
static inline void
pkt_query(struct pkt *p, const uint8_t *src, size_t alen)
{
	uint8_t q[512];

	p->len = ip(p->b, src, alen, 17, 40000, 53, q,
	    unit_dns_query(q, ".", 48, TAG, 1));
}

static inline void
push_eth(struct pkt *p, unsigned et)
{
	uint8_t h[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	put16(h + 12, et);
	push(p, h, 14);
}

/* An 802.1Q (or other) tag of type tpid in front of an Ethernet frame's
 * ethertype: pushed after push_eth, it goes between the addresses and
 * what was there. */
static inline void
push_tag(struct pkt *p, unsigned tpid, unsigned vid)
{
	uint8_t mac[12], h[4];

	memcpy(mac, p->b, 12);
	p->len -= 12;
	memmove(p->b, p->b + 12, p->len);
	put16(h, tpid);
	put16(h + 2, vid);
	push(p, h, 4);
	push(p, mac, 12);
}

/* The ethertype of the IP packet at the front of p. */
static inline unsigned
et_of(const struct pkt *p)
{
	return p->b[0] >> 4 == 6 ? 0x86dd : 0x0800;
}

static inline void
push_ip4(struct pkt *p, int proto)
{
	uint8_t h[20] = { 0x45, [8] = 64 };

	put16(h + 2, (unsigned)(p->len + 20));
	h[9] = (uint8_t)proto;
	memcpy(h + 12, OUT4, 4);
	h[16] = 192, h[17] = 0, h[18] = 2, h[19] = 201;
	push(p, h, 20);
}

static inline void
push_ip6(struct pkt *p, int nh)
{
	uint8_t h[40] = { 0x60 };

	put16(h + 4, (unsigned)p->len);
	h[6] = (uint8_t)nh;
	h[7] = 64;
	memcpy(h + 8, OUT6, 16);
	memcpy(h + 24, OUT6, 16);
	h[39] = 0xc9;
	push(p, h, 40);
}

static inline void
push_udp(struct pkt *p, unsigned dport)
{
	uint8_t h[8] = { 0xc3, 0x50 };

	put16(h + 2, dport);
	put16(h + 4, (unsigned)(p->len + 8));
	push(p, h, 8);
}

/* A GRE header: flags (C 0x8000, K 0x2000, S 0x1000, ...) and the words
 * they announce. */
static inline void
push_gre(struct pkt *p, unsigned flags, unsigned proto)
{
	uint8_t h[16] = { 0 };
	size_t n = 4;

	put16(h, flags);
	put16(h + 2, proto);
	n += flags & 0x8000 ? 4 : 0;
	n += flags & 0x2000 ? 4 : 0;
	n += flags & 0x1000 ? 4 : 0;
	memset(h + 4, 0x5a, n - 4);
	push(p, h, n);
}

/* d GRE (with a key) in IPv4 headers around the IP packet in p. */
static inline void
push_gre_nest(struct pkt *p, int d)
{
	int i;

	for (i = 0; i < d; i++)
		push_gre(p, 0x2000, et_of(p)), push_ip4(p, 47);
}

static inline void
push_vxlan(struct pkt *p, unsigned flags)
{
	uint8_t h[8] = { (uint8_t)flags, 0, 0, 0, 0, 0, 42, 0 };

	push(p, h, 8);
}

/* A Geneve header with two options (4 and 8 bytes of data). */
static inline void
push_geneve(struct pkt *p, unsigned proto)
{
	uint8_t h[8 + 8 + 12] = { 5, 0x40 };

	put16(h + 2, proto);
	h[6] = 42;
	put16(h + 8, 0x0102), h[10] = 0x80, h[11] = 1;
	put16(h + 16, 0xffff), h[18] = 1, h[19] = 2;
	push(p, h, sizeof(h));
}

/* n MPLS labels, the last one (bottom of stack) last. */
static inline void
push_mpls(struct pkt *p, int n, unsigned last)
{
	uint8_t h[4 * 32];
	int i;

	for (i = 0; i < n; i++) {
		unsigned label = i == n - 1 ? last : 16 + (unsigned)i;

		h[4 * i] = (uint8_t)(label >> 12);
		h[4 * i + 1] = (uint8_t)(label >> 4);
		h[4 * i + 2] = (uint8_t)(label << 4 | (i == n - 1));
		h[4 * i + 3] = 64;
	}
	push(p, h, 4 * (size_t)n);
}

/* A PPPoE session header and the PPP protocol (one byte if pfc). */
static inline void
push_pppoe(struct pkt *p, unsigned proto, int pfc)
{
	uint8_t h[8] = { 0x11, 0, 0x12, 0x34 };
	size_t n = pfc ? 7 : 8;

	put16(h + 4, (unsigned)(p->len + n - 6));
	if (pfc)
		h[6] = (uint8_t)proto;
	else
		put16(h + 6, proto);
	push(p, h, n);
}

static inline void
push_erspan2(struct pkt *p, unsigned ver)
{
	uint8_t h[8] = { (uint8_t)(ver << 4), 10, 0, 5, 0, 0, 0, 7 };

	push(p, h, 8);
}

/* An ERSPAN III header of frame type ft, with the platform subheader
 * when o. */
static inline void
push_erspan3(struct pkt *p, unsigned ft, int o)
{
	uint8_t h[20] = { 0x20, 10, 0, 5, 1, 2, 3, 4 };

	h[10] = (uint8_t)(ft << 2);
	h[11] = (uint8_t)(0x10 | (o ? 1 : 0));
	memset(h + 12, 0xaa, 8);
	push(p, h, o ? 20 : 12);
}

/* traffic_packet on an exact copy of p[0..len) captured of wire bytes. */
static inline void
count_at(struct traffic *t, const uint8_t *b, size_t len, size_t wire,
    int64_t ts)
{
	uint8_t *c = malloc(len ? len : 1);

	assert_non_null(c);
	memcpy(c, b, len);
	traffic_packet(t, DLT_EN10MB, c, len, wire, ts);
	free(c);
}

static inline void
count(struct traffic *t, const struct pkt *p)
{
	count_at(t, p->b, p->len, p->len, 0);
}

/* The root DNSKEY queries counted for src (4 or 16 bytes), 0 if none. */
static inline uint32_t
root_of(struct traffic *t, const uint8_t *src, size_t alen)
{
	struct traffic_src *s = traffic_lookup(t, alen == 4 ? mapped(src) :
	    src);

	return s == NULL ? 0 : s->dnskey_root;
}

/* Every frame in one count: each frame, each TCP message and each
 * datagram made whole lands in exactly one counter. */
static inline void
assert_accounted(struct traffic *t)
{
	struct tcpflow_stats st;

	memset(&st, 0, sizeof(st));
	if (t->flows != NULL)
		tcpflow_stats(t->flows, &st);
	assert_int_equal(t->packets + st.messages + t->frag.reassembled,
	    t->queries + t->responses + t->tcp_segments + t->malformed +
	    t->other + t->frag.fragments + t->snapped_lost);
}
#endif
