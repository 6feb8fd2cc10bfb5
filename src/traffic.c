/*
 * traffic.c: DNSKEY re-query storms and RFC 8145 key tag signals: the
 * packet parser and the per-source counts of anchorwatch traffic.
 *
 * A resolver that missed a root KSK event keeps asking the root for its
 * DNSKEY set, and (RFC 8145) tells whoever it asks which root keys it
 * trusts: in _ta-XXXX[-YYYY...] query names (section 5) and in the
 * edns-key-tag EDNS0 option, code 14 (section 4).  This file counts, per
 * source address, the DNS queries of captured frames (capture.c reads
 * files and interfaces, dnstap.c dnstap): link types Ethernet (with
 * 802.1Q/802.1ad tags), Linux cooked v1 and v2, and raw IP; IPv4 and IPv6;
 * UDP to port 53, and DNS over TCP through tcpflow.c's reassembly.  The
 * tunnels around them are traffic-encap.c's, IP fragments traffic-frag.c's:
 * both hand their payload back to the layers here, so the innermost
 * source is counted.  A frame cut by the snapshot length counts when its
 * DNS question was captured whole; records after the question that do not
 * parse leave the question counted (without its EDNS signal), and are
 * counted apart.  traffic-report.c judges and prints.
 *
 * Every frame is untrusted: the parser reads with explicit bounds, never
 * allocates (but for the bounded IP reassembly), and counts what it cannot
 * parse as malformed.  Sources live in traffic-table.c's table: 64-byte
 * entries that never move, found through an index of 8-byte slots that
 * doubles at 70% load: at most 64 + 3 * 8 / 0.7 = 99 bytes per distinct
 * source while the index grows (126 counting the chunks made ahead, see
 * test_traffic_table.c), 106 measured by tests/bench/traffic.sh.  The
 * parsed query waits TRAFFIC_RING packets for its entry: its index slot
 * is prefetched when it is queued, its entry half way, as a table of many
 * sources misses the caches.
 */
#include <pcap/pcap.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "anchorwatch.h"

#define T_VLAN_MAX 4         /* stacked 802.1Q/802.1ad tags we skip */
#define T_ET_8021Q 0x8100
#define T_ET_8021AD 0x88a8
#define T_ET_QINQ 0x9100     /* the tag of QinQ before 802.1ad */
#define T_EXTHDR_MAX 8       /* IPv6 extension headers we walk */
#define T_PTR_MAX 16         /* compression pointers in one name */
#define T_TYPE_DS 43
#define T_TYPE_DNSKEY 48
#define T_TYPE_OPT 41
#define T_OPT_KEYTAG 14

/* What a query asked, for the counter it goes to. */
enum {
	T_K_OTHER, T_K_DNSKEY_ROOT, T_K_DNSKEY_TLD, T_K_DNSKEY_OTHER,
	T_K_DS_TLD, T_K_DS_OTHER,
};

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int
traffic_init(struct traffic *t)
{
	memset(t, 0, sizeof(*t));
	return traffic_table_init(t);
}

void
traffic_free(struct traffic *t)
{
	if (t == NULL)
		return;
	traffic_table_free(t);
	tcpflow_free(t->flows);
	t->flows = NULL;
	traffic_frag_free(t->frags);
	t->frags = NULL;
	traffic_zones_free(&t->zones);
}

/* The entry of addr (hash h), or NULL with the empty slot where it would
 * go in *slot.  Only an entry whose slot has the same high hash bits is
 * compared. */
static inline struct traffic_src *
traffic_find(const struct traffic *t, const uint8_t addr[16], uint64_t h,
    size_t *slot)
{
	size_t i, mask = t->cap - 1;
	uint64_t v;
	struct traffic_src *s;

	for (i = (size_t)h & mask; (v = t->index[i]) != 0; i = (i + 1) & mask) {
		if (v >> 32 != h >> 32)
			continue;
		s = traffic_nth(t, (uint32_t)v - 1);
		if (memcmp(s->addr, addr, 16) == 0)
			return s;
	}
	*slot = i;
	return NULL;
}

/* The second stage of traffic_queue's prefetch: the first entry the
 * index (in the cache by now) has with q's high hash bits is q's
 * candidate, prefetched.  Entries never move, so it stays valid. */
static inline void
traffic_prefetch(const struct traffic *t, struct traffic_pending *q)
{
	size_t i, mask = t->cap - 1;
	uint64_t v, h = q->hash;

	for (i = (size_t)h & mask; (v = t->index[i]) != 0; i = (i + 1) & mask)
		if (v >> 32 == h >> 32) {
			q->cand = traffic_nth(t, (uint32_t)v - 1);
			__builtin_prefetch(q->cand, 1);
			return;
		}
}

struct traffic_src *
traffic_lookup(struct traffic *t, const uint8_t addr[16])
{
	size_t slot;

	traffic_flush(t);
	return traffic_find(t, addr, traffic_hash(addr), &slot);
}

/* The entry for addr (hash h), made if new; NULL once TRAFFIC_SOURCES_MAX
 * sources are known or memory runs out (the query is then dropped). */
static struct traffic_src *
traffic_source(struct traffic *t, const uint8_t addr[16], uint64_t h)
{
	struct traffic_src *s;
	size_t slot = 0;

	if ((s = traffic_find(t, addr, h, &slot)) != NULL)
		return s;
	if (t->n >= TRAFFIC_SOURCES_MAX)
		return NULL;
	if ((t->n + 1) * 10 > t->cap * 7) {
		if (traffic_table_grow(t) == -1)
			return NULL;
		(void)traffic_find(t, addr, h, &slot);
	}
	return traffic_table_add(t, addr, h, slot);
}

/*
 * Walk the name at off in msg[0..len): its end (the offset after the name
 * in the message as laid out, pointers followed for the label count only)
 * goes to *end, the number of labels to *nlabels, and the offset of the
 * first label's length byte to *first.  -1 if malformed.
 */
static inline __attribute__((always_inline)) int
dns_name(const uint8_t *msg, size_t len, size_t off, size_t *end,
    unsigned *nlabels, size_t *first)
{
	size_t pos = off, total = 1;
	unsigned ptrs = 0;
	int jumped = 0;

	*nlabels = 0;
	*first = off;
	for (;;) {
		uint8_t c;

		if (pos >= len)
			return -1;
		c = msg[pos];
		if (c == 0) {
			if (!jumped)
				*end = pos + 1;
			return 0;
		}
		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (pos + 1 >= len || ++ptrs > T_PTR_MAX)
				return -1;
			to = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
			if (to >= pos)
				return -1;	/* only backwards: no loops */
			if (!jumped)
				*end = pos + 2;
			jumped = 1;
			if (*nlabels == 0)
				*first = to;
			pos = to;
			continue;
		}
		if (c & 0xc0)
			return -1;
		total += (size_t)c + 1;
		if (total > 255 || pos + 1 + c > len)
			return -1;
		if (*nlabels == 0)
			*first = pos;
		(*nlabels)++;
		pos += 1 + (size_t)c;
	}
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* RFC 8145 section 5: label "_ta-" then 4-hex-digit tags joined by "-".
 * Fills tags (at most max) and returns how many, or 0 if not a signal. */
static size_t
dns_ta_label(const uint8_t *l, size_t n, uint16_t *tags, size_t max)
{
	size_t i, nt = 0;

	if (n < 8 || (n - 3) % 5 != 0 || l[0] != '_' ||
	    (l[1] | 0x20) != 't' || (l[2] | 0x20) != 'a')
		return 0;
	for (i = 3; i < n; i += 5) {
		int d0, d1, d2, d3;

		if (l[i] != '-')
			return 0;
		d0 = hexval(l[i + 1]), d1 = hexval(l[i + 2]);
		d2 = hexval(l[i + 3]), d3 = hexval(l[i + 4]);
		if (d0 < 0 || d1 < 0 || d2 < 0 || d3 < 0)
			return 0;
		if (nt < max)
			tags[nt] = (uint16_t)(d0 << 12 | d1 << 8 | d2 << 4 | d3);
		nt++;
	}
	return nt < max ? nt : max;
}

/* Skip one resource record at *off; -1 if malformed. */
static int
dns_skip_rr(const uint8_t *msg, size_t len, size_t *off, uint16_t *type,
    size_t *rdoff, size_t *rdlen)
{
	size_t end, first;
	unsigned nl;

	if (dns_name(msg, len, *off, &end, &nl, &first) == -1 ||
	    end + 10 > len)
		return -1;
	*type = rd16(msg + end);
	*rdlen = rd16(msg + end + 8);
	*rdoff = end + 10;
	if (*rdoff + *rdlen > len)
		return -1;
	*off = *rdoff + *rdlen;
	return 0;
}

/* The edns-key-tag option of the OPT record, if any, after the question
 * ending at off.  Returns the number of tags put in tags, -1 if the rest
 * of the message is malformed. */
static int
dns_edns_tags(const uint8_t *msg, size_t len, size_t off, uint16_t *tags,
    size_t max, int *seen)
{
	unsigned an = rd16(msg + 6), ns = rd16(msg + 8), ar = rd16(msg + 10);
	unsigned i;
	size_t nt = 0;

	*seen = 0;
	for (i = 0; i < an + ns + ar; i++) {
		size_t rdoff, rdlen, o;
		uint16_t type;

		if (dns_skip_rr(msg, len, &off, &type, &rdoff, &rdlen) == -1)
			return -1;
		if (i < an + ns || type != T_TYPE_OPT)
			continue;
		for (o = rdoff; o + 4 <= rdoff + rdlen;) {
			uint16_t code = rd16(msg + o), olen = rd16(msg + o + 2);
			size_t k;

			if (o + 4 + olen > rdoff + rdlen)
				return -1;
			if (code == T_OPT_KEYTAG) {
				if (olen == 0 || olen % 2 != 0)
					return -1;
				*seen = 1;
				for (k = 0; k < olen && nt < max; k += 2)
					tags[nt++] = rd16(msg + o + 4 + k);
			}
			o += 4 + olen;
		}
	}
	return (int)nt;
}

/* Count the parsed query q into its source's entry. */
static void
traffic_apply(struct traffic *t, const struct traffic_pending *q)
{
	struct traffic_src *s = q->cand;
	size_t i;

	if ((s == NULL || memcmp(s->addr, q->addr, 16) != 0) &&
	    (s = traffic_source(t, q->addr, q->hash)) == NULL) {
		t->dropped++;
		return;
	}
	s->queries++;
	switch (q->kind) {
	case T_K_DNSKEY_ROOT: s->dnskey_root++; break;
	case T_K_DNSKEY_TLD: s->dnskey_tld++; break;
	case T_K_DNSKEY_OTHER: s->dnskey_other++; break;
	case T_K_DS_TLD: s->ds_tld++; break;
	case T_K_DS_OTHER: s->ds_other++; break;
	}
	s->signals += q->signal;
	for (i = 0; i < q->ntags; i++)
		traffic_add_tag(s, q->tags[i]);
}

void
traffic_flush(struct traffic *t)
{
	for (; t->rn > 0; t->rn--) {
		traffic_apply(t, &t->ring[t->rhead]);
		t->rhead = (t->rhead + 1) % TRAFFIC_RING;
	}
}

/*
 * Queue the parsed query: its index slot is prefetched now, its entry
 * TRAFFIC_RING / 2 queries later (the slot read by then), and it is
 * counted TRAFFIC_RING queries later, so that the memory latency of one
 * lookup overlaps the parsing of the next packets.  What is prefetched
 * may be stale after the index grows; that costs a miss, never a wrong
 * count.
 */
static struct traffic_pending *
traffic_queue(struct traffic *t, const uint8_t addr[16])
{
	struct traffic_pending *q;
	uint64_t a, b;

	if (t->rn == TRAFFIC_RING) {
		traffic_apply(t, &t->ring[t->rhead]);
		q = &t->ring[t->rhead];
		t->rhead = (t->rhead + 1) % TRAFFIC_RING;
	} else
		q = &t->ring[(t->rhead + t->rn++) % TRAFFIC_RING];
	/* Two 8-byte loads and stores, as traffic_ip4 wrote the address:
	 * one 16-byte load of it would wait for both stores to retire. */
	memcpy(&a, addr, 8);
	memcpy(&b, addr + 8, 8);
	memcpy(q->addr, &a, 8);
	memcpy(q->addr + 8, &b, 8);
	q->hash = traffic_hash2(a, b);
	q->cand = NULL;
	__builtin_prefetch(&t->index[(size_t)q->hash & (t->cap - 1)]);
	if (t->rn > TRAFFIC_RING / 2)
		traffic_prefetch(t, &t->ring[(t->rhead + t->rn - 1 -
		    TRAFFIC_RING / 2) % TRAFFIC_RING]);
	return q;
}

/* The counter a question of qtype with nl labels goes to. */
static uint8_t
traffic_kind(uint16_t qtype, unsigned nl)
{
	if (qtype == T_TYPE_DNSKEY)
		return nl == 0 ? T_K_DNSKEY_ROOT : nl == 1 ? T_K_DNSKEY_TLD :
		    T_K_DNSKEY_OTHER;
	if (qtype == T_TYPE_DS)
		return nl == 1 ? T_K_DS_TLD : T_K_DS_OTHER;
	return T_K_OTHER;
}

/* One DNS message sent from addr.  Returns -1 if malformed. */
static int
traffic_dns(struct traffic *t, const uint8_t addr[16], const uint8_t *msg,
    size_t len, int64_t ts_us)
{
	uint16_t tags[TRAFFIC_TAGS_MAX], qtype;
	size_t end, first, nt = 0;
	unsigned nl;
	int edns, n;
	struct traffic_pending *q;

	if (len < 12)
		return -1;
	if (msg[2] & 0x80) {
		t->responses++;
		return 0;
	}
	if (rd16(msg + 4) != 1 ||
	    dns_name(msg, len, 12, &end, &nl, &first) == -1 || end + 4 > len)
		return -1;
	qtype = rd16(msg + end);
	if ((n = dns_edns_tags(msg, len, end + 4, tags, TRAFFIC_TAGS_MAX,
	    &edns)) == -1) {
		/* The question stands; what follows it speaks for nothing. */
		if (!t->clamped)
			t->edns_malformed++;
		n = edns = 0;
	}
	if (t->queries++ == 0)
		t->first_us = t->last_us = ts_us;
	if (ts_us < t->first_us)
		t->first_us = ts_us;
	if (ts_us > t->last_us)
		t->last_us = ts_us;
	/* The option speaks for the zone asked about: root only, here. */
	if (edns && nl == 0)
		nt = (size_t)n;
	else if (nl == 1)
		nt = dns_ta_label(msg + first + 1, msg[first], tags,
		    TRAFFIC_TAGS_MAX);
	if (qtype == T_TYPE_DNSKEY || qtype == T_TYPE_DS)
		traffic_zone_count(&t->zones, msg, len, 12, qtype == T_TYPE_DS);
	q = traffic_queue(t, addr);
	q->kind = traffic_kind(qtype, nl);
	q->signal = (edns && nl == 0) || nt > 0;
	q->ntags = (uint8_t)nt;
	memcpy(q->tags, tags, nt * sizeof(tags[0]));
	return 0;
}

/* A message reassembled from a DNS over TCP stream. */
static void
traffic_tcp_message(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t len, int64_t ts_us)
{
	struct traffic *t = arg;
	int clamped = t->clamped;

	t->clamped = 0;		/* what the stream delivers is whole */
	traffic_message(t, saddr, msg, len, ts_us);
	t->clamped = clamped;
}

/* A TCP segment to or from port 53, into the reassembly (tcpflow.c). */
static int
traffic_tcp(struct traffic *t, const uint8_t *src, const uint8_t *dst,
    const uint8_t *p, size_t len)
{
	size_t hl;
	uint16_t sport, dport;

	if (len < 20 || (hl = (size_t)(p[12] >> 4) * 4) < 20 || hl > len)
		return -1;
	sport = rd16(p), dport = rd16(p + 2);
	if (sport != 53 && dport != 53) {
		t->other++;
		return 0;
	}
	if (t->flows == NULL)
		t->flows = tcpflow_new(TRAFFIC_TCP_FLOWS);
	if (tcpflow_segment(t->flows, src, sport, dst, dport,
	    (uint32_t)rd16(p + 4) << 16 | rd16(p + 6), p[13], p + hl, len - hl,
	    t->now_us, traffic_tcp_message, t) == -1)
		return -1;
	t->tcp_segments++;
	return 0;
}

/* The length a header at p[0..len) gives its packet, n, checked: n, or
 * what of it was captured when the frame was cut (then n > len is the
 * cut, not a lie); 0 if it lies (n < min, or n > len uncut), or if
 * less than min was captured. */
static inline size_t
traffic_len(struct traffic *t, size_t n, size_t min, size_t len)
{
	if (n <= len)
		return n < min ? 0 : n;
	if (!t->cut || len < min)
		return 0;
	t->clamped = 1;
	return len;
}

static int traffic_ethernet(struct traffic *, const uint8_t *, size_t);
static int traffic_ether(struct traffic *, uint16_t, const uint8_t *, size_t);
static int traffic_ip6_chain(struct traffic *, int, const uint8_t *,
    const uint8_t *, const uint8_t *, size_t);

/* What the tunnel header at p carries (traffic-encap.c's answer rc, and
 * in), one level deeper: -1 past TRAFFIC_ENCAP_MAX. */
static int
traffic_inner(struct traffic *t, int rc, const uint8_t *p,
    const struct traffic_inner *in)
{
	if (rc != 1) {
		t->other += rc == 0;
		return rc;
	}
	if (t->depth >= TRAFFIC_ENCAP_MAX)
		return -1;
	t->depth++;
	t->tunnel = 1;
	if (in->et == TRAFFIC_INNER_ETHERNET)
		return traffic_ethernet(t, p + in->off, in->len);
	return traffic_ether(t, in->et, p + in->off, in->len);
}

/* Transport: proto at p[0..len) from src to dst.  -1 if malformed. */
static int
traffic_l4(struct traffic *t, int proto, const uint8_t *src,
    const uint8_t *dst, const uint8_t *p, size_t len)
{
	size_t ulen;
	uint16_t dport;
	struct traffic_inner in;

	if (proto == 6)
		return traffic_tcp(t, src, dst, p, len);
	if (proto != 17)
		return traffic_inner(t, traffic_encap_ip(proto, p, len, &in), p,
		    &in);
	if (len < 8 || (ulen = traffic_len(t, rd16(p + 4), 8, len)) == 0)
		return -1;
	if ((dport = rd16(p + 2)) != 53) {
		if (dport == 4789 || dport == 6081)
			return traffic_inner(t, traffic_encap_udp(dport, p + 8,
			    ulen - 8, &in), p + 8, &in);
		if (rd16(p) == 53)
			t->responses++;
		else
			t->other++;
		return 0;
	}
	return traffic_dns(t, src, p + 8, ulen - 8, t->now_us);
}

/* A datagram made whole from fragments (buf[0..n), from traffic-frag.c),
 * one level deeper, to the IPv6 chain from nh (v6) or to the transport
 * proto; buf freed. */
static int
traffic_whole(struct traffic *t, uint8_t *buf, size_t n, int v6, int proto,
    const uint8_t *src, const uint8_t *dst)
{
	int rc = -1;

	if (t->depth++ < TRAFFIC_ENCAP_MAX)
		rc = v6 ? traffic_ip6_chain(t, proto, src, dst, buf, n) :
		    traffic_l4(t, proto, src, dst, buf, n);
	free(buf);
	return rc;
}

/* An IPv4 fragment p[0..tl).  Cut by the snapshot length, it cannot be
 * put back: the first is read as far as it goes, the others are lost. */
static int
traffic_frag4(struct traffic *t, const uint8_t *p, size_t hl, size_t tl,
    const uint8_t *src, const uint8_t *dst)
{
	uint8_t *buf;
	size_t n;
	int rc;

	if (t->clamped)
		return rd16(p + 6) & 0x1fff ? -1 :
		    traffic_l4(t, p[9], src, dst, p + hl, tl - hl);
	if ((rc = traffic_frag_ip4(t, p, hl, tl, &buf, &n)) != 1)
		return rc;
	return traffic_whole(t, buf, n, 0, p[9], src, dst);
}

/* The IPv6 fragment header at p[0..len) and what follows, as
 * traffic_frag4; an atomic fragment (offset 0, M clear: RFC 6946) is
 * whole. */
static int
traffic_frag6(struct traffic *t, const uint8_t *src, const uint8_t *dst,
    const uint8_t *p, size_t len)
{
	uint8_t *buf;
	size_t n;
	int rc;

	if (len < 8)
		return -1;
	if ((rd16(p + 2) & 0xfff9) == 0 || t->clamped)
		return rd16(p + 2) & 0xfff8 ? -1 :
		    traffic_ip6_chain(t, p[0], src, dst, p + 8, len - 8);
	if ((rc = traffic_frag_ip6(t, src, dst, p, len, &buf, &n)) != 1)
		return rc;
	return traffic_whole(t, buf, n, 1, p[0], src, dst);
}

/* The IPv4 address at p, v4-mapped (::ffff:a.b.c.d) into a, in two
 * 8-byte stores that traffic_queue's 8-byte loads take at once. */
static inline void
traffic_mapped(uint8_t a[16], const uint8_t *p)
{
	uint64_t lo = 0, hi;
	uint32_t v;

	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	hi = 0xffff0000u | (uint64_t)v << 32;
#else
	hi = (uint64_t)0xffff << 32 | v;
#endif
	memcpy(a, &lo, 8);
	memcpy(a + 8, &hi, 8);
}

static int
traffic_ip4(struct traffic *t, const uint8_t *p, size_t len)
{
	uint8_t src[16], dst[16];
	size_t hl, tl;

	if (len < 20 || p[0] >> 4 != 4 || (hl = (size_t)(p[0] & 15) * 4) < 20
	    || (tl = traffic_len(t, rd16(p + 2), hl, len)) == 0)
		return -1;
	traffic_mapped(src, p + 12);
	traffic_mapped(dst, p + 16);
	if (rd16(p + 6) & 0x3fff)	/* MF or an offset: a fragment */
		return traffic_frag4(t, p, hl, tl, src, dst);
	return traffic_l4(t, p[9], src, dst, p + hl, tl - hl);
}

static int
traffic_ip6(struct traffic *t, const uint8_t *p, size_t len)
{
	size_t pl;

	if (len < 40 || p[0] >> 4 != 6 ||
	    (pl = traffic_len(t, (size_t)rd16(p + 4) + 40, 40, len)) == 0)
		return -1;
	return traffic_ip6_chain(t, p[6], p + 8, p + 24, p + 40, pl - 40);
}

/* The IPv6 headers from next header nh on, at p[0..len): extension
 * headers, a fragment, then the transport. */
static int
traffic_ip6_chain(struct traffic *t, int nh, const uint8_t *src,
    const uint8_t *dst, const uint8_t *p, size_t len)
{
	size_t off = 0;
	int i;

	for (i = 0; i < T_EXTHDR_MAX; i++) {
		if (nh == 44)
			return traffic_frag6(t, src, dst, p + off, len - off);
		if (nh != 0 && nh != 43 && nh != 60)
			return traffic_l4(t, nh, src, dst, p + off, len - off);
		if (off + 8 > len || off + 8 + (size_t)p[off + 1] * 8 > len)
			return -1;
		nh = p[off];
		off += 8 + (size_t)p[off + 1] * 8;
	}
	return -1;
}

static int
traffic_ether(struct traffic *t, uint16_t et, const uint8_t *p, size_t len)
{
	struct traffic_inner in;

	if (et == 0x0800)
		return traffic_ip4(t, p, len);
	if (et == 0x86dd)
		return traffic_ip6(t, p, len);
	return traffic_inner(t, traffic_encap_ether(et, p, len, t->cut, &in),
	    p, &in);
}

/* An Ethernet frame from its destination address, with 802.1Q tags. */
static int
traffic_ethernet(struct traffic *t, const uint8_t *p, size_t len)
{
	size_t off = 14;
	uint16_t et;
	int i;

	if (len < 14)
		return -1;
	et = rd16(p + 12);
	for (i = 0; (et == T_ET_8021Q || et == T_ET_8021AD || et == T_ET_QINQ)
	    && i < T_VLAN_MAX; i++) {
		if (off + 4 > len)
			return -1;
		et = rd16(p + off + 2);
		off += 4;
	}
	return traffic_ether(t, et, p + off, len - off);
}

static int
traffic_frame(struct traffic *t, int dlt, const uint8_t *p, size_t len)
{
	switch (dlt) {
	case DLT_EN10MB:	/* untagged IPv4 first: most of any capture */
		if (len >= 14 && p[12] == 0x08 && p[13] == 0x00)
			return traffic_ip4(t, p + 14, len - 14);
		return traffic_ethernet(t, p, len);
	case DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		return traffic_ether(t, rd16(p + 14), p + 16, len - 16);
	case DLT_LINUX_SLL2:
		if (len < 20)
			return -1;
		return traffic_ether(t, rd16(p), p + 20, len - 20);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (len < 1)
			return -1;
		if (p[0] >> 4 == 4)
			return traffic_ip4(t, p, len);
		if (p[0] >> 4 == 6)
			return traffic_ip6(t, p, len);
		return -1;
	default:
		t->other++;
		return 0;
	}
}

void
traffic_packet(struct traffic *t, int dlt, const uint8_t *p, size_t len,
    size_t wirelen, int64_t ts_us)
{
	int rc;

	t->packets++;
	t->now_us = ts_us;
	t->depth = 0;
	t->tunnel = t->clamped = 0;
	t->cut = len < wirelen;
	rc = traffic_frame(t, dlt, p, len);
	t->encapsulated += (uint64_t)t->tunnel;
	if (t->cut) {
		t->snapped++;
		t->snapped_lost += rc == -1;
	} else if (rc == -1)
		t->malformed++;
	t->cut = t->clamped = 0;	/* traffic_message is never cut */
}

void
traffic_message(struct traffic *t, const uint8_t addr[16],
    const uint8_t *msg, size_t len, int64_t ts_us)
{
	if (traffic_dns(t, addr, msg, len, ts_us) == -1)
		t->malformed++;
}

void
traffic_end(struct traffic *t)
{
	struct tcpflow_stats st;

	if (t->flows != NULL) {
		tcpflow_flush(t->flows, traffic_tcp_message, t);
		tcpflow_stats(t->flows, &st);
		t->tcp_messages = traffic_add64(t->tcp_messages, st.messages);
		t->tcp_resyncs = traffic_add64(t->tcp_resyncs, st.resyncs);
		t->tcp_holes = traffic_add64(t->tcp_holes, st.gaps);
		t->tcp_unparsed = traffic_add64(t->tcp_unparsed, st.unparsed);
		tcpflow_free(t->flows);
		t->flows = NULL;
	}
	traffic_flush(t);
}

struct traffic_src *
traffic_entry(struct traffic *t, const uint8_t addr[16])
{
	traffic_flush(t);
	return traffic_source(t, addr, traffic_hash(addr));
}
