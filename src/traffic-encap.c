/*
 * traffic-encap.c: the tunnels and label stacks that an ISP's tap delivers
 * around the DNS queries anchorwatch traffic counts (traffic.c).
 *
 * Each decoder checks one header with explicit bounds and says what it
 * carries (an ethertype, or an Ethernet frame) and where; traffic.c hands
 * that on to its own layers, so tunnels nest in any order and the source
 * counted is that of the innermost IP header.  traffic.c counts each
 * header toward TRAFFIC_ENCAP_MAX (a frame nested deeper is malformed);
 * as every header is at least 4 bytes long, no frame loops.  What is not
 * a header read here (another GRE version, an unknown ERSPAN version, a
 * PPP control protocol, an MPLS payload that is neither IP nor an
 * Ethernet pseudowire with its control word) is other.  No decoder
 * allocates, counts or calls out: each is a pure function of its bytes.
 *
 *	GRE		RFC 2784, with the key and sequence number of RFC 2890
 *			(IP protocol 47); version 0, no RFC 1701 routing
 *	ERSPAN		types I and II (GRE protocol 0x88BE; type I has no GRE
 *			sequence number and no header of its own) and III
 *			(0x22EB, its optional platform subheader skipped);
 *			draft-foschiano-erspan-03
 *	VXLAN		RFC 7348, UDP port 4789, the I flag set
 *	Geneve		RFC 8926, UDP port 6081, version 0, options walked
 *	MPLS		RFC 3032 label stacks (ethertypes 0x8847, 0x8848) of
 *			up to E_MPLS_MAX labels; the payload by its explicit
 *			null label or first nibble (RFC 4928), 0 meaning the
 *			control word of an Ethernet pseudowire (RFC 4385,
 *			RFC 4448)
 *	PPPoE		RFC 2516 sessions (0x8864) carrying PPP (RFC 1661)
 *			IPv4 (0x0021) or IPv6 (0x0057), protocol field
 *			compressed or not
 *	IP in IP	RFC 2003 and RFC 4213 (IP protocols 4 and 41)
 *	Ethernet	transparent Ethernet bridging (0x6558: gretap, Geneve)
 */
#include <stdint.h>
#include <string.h>

#include "anchorwatch.h"

#define E_GRE_C 0x8000		/* checksum present */
#define E_GRE_R 0x4000		/* RFC 1701 routing present */
#define E_GRE_K 0x2000		/* key present */
#define E_GRE_S 0x1000		/* sequence number present */
#define E_GRE_VER 0x0007
#define E_ET_IP4 0x0800
#define E_ET_IP6 0x86dd
#define E_ET_TEB 0x6558		/* transparent Ethernet bridging */
#define E_ET_ERSPAN 0x88be	/* ERSPAN types I and II */
#define E_ET_ERSPAN3 0x22eb
#define E_ET_MPLS 0x8847
#define E_ET_MPLS_MC 0x8848
#define E_ET_PPPOE 0x8864
#define E_MPLS_MAX 16		/* labels in one stack */

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* p[off..len) is of ethertype et: 1. */
static int
encap_is(struct traffic_inner *in, uint16_t et, size_t off, size_t len)
{
	in->et = et;
	in->off = off;
	in->len = len - off;
	return 1;
}

/* p[off..len) is of GRE or Geneve protocol type proto: an ethertype,
 * 0x6558 meaning an Ethernet frame. */
static int
encap_proto(struct traffic_inner *in, uint16_t proto, size_t off,
    size_t len)
{
	return encap_is(in, proto == E_ET_TEB ? TRAFFIC_INNER_ETHERNET : proto,
	    off, len);
}

/* An IP packet at p[off..len) known by its first nibble (MPLS, ERSPAN III
 * frame type 2): -1 when empty, 0 when neither version. */
static int
encap_ip(struct traffic_inner *in, const uint8_t *p, size_t off, size_t len)
{
	if (off >= len)
		return -1;
	if (p[off] >> 4 == 4)
		return encap_is(in, E_ET_IP4, off, len);
	if (p[off] >> 4 == 6)
		return encap_is(in, E_ET_IP6, off, len);
	return 0;
}

/* An MPLS label stack and what its bottom label carries. */
static int
encap_mpls(const uint8_t *p, size_t len, struct traffic_inner *in)
{
	size_t off = 0;
	uint32_t label = 0;
	int i;

	for (i = 0;; i++) {
		if (i == E_MPLS_MAX || off + 4 > len)
			return -1;
		label = (uint32_t)rd16(p + off) << 4 | p[off + 2] >> 4;
		off += 4;
		if (p[off - 2] & 0x01)		/* bottom of stack */
			break;
	}
	if (label == 0)				/* IPv4 explicit null */
		return encap_is(in, E_ET_IP4, off, len);
	if (label == 2)				/* IPv6 explicit null */
		return encap_is(in, E_ET_IP6, off, len);
	if (off < len && p[off] >> 4 == 0) {	/* control word: Ethernet */
		if (off + 4 > len)
			return -1;
		return encap_is(in, TRAFFIC_INNER_ETHERNET, off + 4, len);
	}
	return encap_ip(in, p, off, len);
}

/* A PPPoE session packet: its length bounds the PPP frame in it. */
static int
encap_pppoe(const uint8_t *p, size_t len, int cut, struct traffic_inner *in)
{
	size_t n, hl;
	uint16_t proto;

	if (len < 7)
		return -1;
	if (p[0] != 0x11 || p[1] != 0)		/* version 1, type 1, data */
		return 0;
	n = rd16(p + 4);
	if (n > len - 6) {
		if (!cut)
			return -1;
		n = len - 6;
	}
	/* An odd first byte is a compressed protocol (RFC 1661 6.5). */
	hl = p[6] & 1 ? 1 : 2;
	if (n < hl)
		return -1;
	proto = hl == 1 ? p[6] : rd16(p + 6);
	if (proto != 0x0021 && proto != 0x0057)
		return 0;
	return encap_is(in, proto == 0x0021 ? E_ET_IP4 : E_ET_IP6, 6 + hl,
	    6 + n);
}

int
traffic_encap_ether(uint16_t et, const uint8_t *p, size_t len, int cut,
    struct traffic_inner *in)
{
	if (et == E_ET_MPLS || et == E_ET_MPLS_MC)
		return encap_mpls(p, len, in);
	if (et == E_ET_PPPOE)
		return encap_pppoe(p, len, cut, in);
	if (et == E_ET_TEB)
		return encap_is(in, TRAFFIC_INNER_ETHERNET, 0, len);
	return 0;
}

/* ERSPAN type II (seq: GRE had a sequence number; else type I, with no
 * header) or III at p[off..len), past the GRE header: the mirrored frame. */
static int
encap_erspan(uint16_t proto, int seq, const uint8_t *p, size_t off,
    size_t len, struct traffic_inner *in)
{
	const uint8_t *h = p + off;
	size_t hl = 12;

	if (proto == E_ET_ERSPAN && !seq)
		return encap_is(in, TRAFFIC_INNER_ETHERNET, off, len);
	if (len - off < 8)
		return -1;
	if (proto == E_ET_ERSPAN)
		return h[0] >> 4 != 1 ? 0 :
		    encap_is(in, TRAFFIC_INNER_ETHERNET, off + 8, len);
	if (h[0] >> 4 != 2)
		return 0;
	if (len - off >= hl && (h[11] & 0x01))	/* O: platform subheader */
		hl += 8;
	if (len - off < hl)
		return -1;
	switch (h[10] >> 2 & 0x1f) {		/* frame type */
	case 0:
		return encap_is(in, TRAFFIC_INNER_ETHERNET, off + hl, len);
	case 2:
		return encap_ip(in, p, off + hl, len);
	}
	return 0;
}

/* A GRE packet: flags, protocol, the optional words, the payload. */
static int
encap_gre(const uint8_t *p, size_t len, struct traffic_inner *in)
{
	uint16_t fl, proto;
	size_t hl = 4;

	if (len < 4)
		return -1;
	fl = rd16(p);
	proto = rd16(p + 2);
	if (fl & (E_GRE_VER | E_GRE_R))		/* PPTP's GRE, RFC 1701 */
		return 0;
	hl += fl & E_GRE_C ? 4 : 0;
	hl += fl & E_GRE_K ? 4 : 0;
	hl += fl & E_GRE_S ? 4 : 0;
	if (len < hl)
		return -1;
	if (proto == E_ET_ERSPAN || proto == E_ET_ERSPAN3)
		return encap_erspan(proto, (fl & E_GRE_S) != 0, p, hl, len,
		    in);
	return encap_proto(in, proto, hl, len);
}

int
traffic_encap_ip(int proto, const uint8_t *p, size_t len,
    struct traffic_inner *in)
{
	if (proto == 4)
		return encap_is(in, E_ET_IP4, 0, len);
	if (proto == 41)
		return encap_is(in, E_ET_IP6, 0, len);
	if (proto == 47)
		return encap_gre(p, len, in);
	return 0;
}

/* A Geneve header: version 0, its options walked to their stated end. */
static int
encap_geneve(const uint8_t *p, size_t len, struct traffic_inner *in)
{
	size_t hl, o;

	if (len < 8)
		return -1;
	if (p[0] >> 6 != 0)
		return 0;
	hl = 8 + (size_t)(p[0] & 0x3f) * 4;
	if (len < hl)
		return -1;
	for (o = 8; o < hl; o += 4 + (size_t)(p[o + 3] & 0x1f) * 4)
		if (o + 4 > hl)
			return -1;
	if (o != hl)
		return -1;
	return encap_proto(in, rd16(p + 2), hl, len);
}

int
traffic_encap_udp(uint16_t dport, const uint8_t *p, size_t len,
    struct traffic_inner *in)
{
	if (dport == 6081)
		return encap_geneve(p, len, in);
	if (dport != 4789)
		return 0;
	if (len < 8)
		return -1;
	if (!(p[0] & 0x08))		/* no I flag: not VXLAN as we read it */
		return 0;
	return encap_is(in, TRAFFIC_INNER_ETHERNET, 8, len);
}
