/*
 * traffic.c: DNSKEY re-query storms and RFC 8145 key tag signals in packet
 * captures (anchorwatch traffic FILE...).
 *
 * A resolver that missed a root KSK event keeps asking the root for its
 * DNSKEY set, and (RFC 8145) tells whoever it asks which root keys it
 * trusts: in _ta-XXXX[-YYYY...] query names (section 5) and in the
 * edns-key-tag EDNS0 option, code 14 (section 4).  This file counts, per
 * source address, the DNS queries of pcap and pcapng files read through
 * libpcap: link types Ethernet (with 802.1Q/802.1ad tags), Linux cooked v1
 * and v2, and raw IP; IPv4 and IPv6; UDP to port 53.  DNS over TCP is
 * counted but not parsed (no reassembly yet), as are IP fragments.
 *
 * Every frame is untrusted: the parser reads with explicit bounds, never
 * allocates, and counts what it cannot parse as malformed.  Sources live in
 * an open-addressing hash table that doubles at 70% load, so memory is at
 * most sizeof(struct traffic_src) / 0.35 = 160 bytes per distinct source.
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

#define T_INITIAL_CAP 1024
#define T_VLAN_MAX 4         /* stacked 802.1Q/802.1ad tags we skip */
#define T_EXTHDR_MAX 8       /* IPv6 extension headers we walk */
#define T_PTR_MAX 16         /* compression pointers in one name */
#define T_TYPE_DS 43
#define T_TYPE_DNSKEY 48
#define T_TYPE_OPT 41
#define T_OPT_KEYTAG 14

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
	t->tab = calloc(T_INITIAL_CAP, sizeof(*t->tab));
	if (t->tab == NULL)
		return -1;
	t->cap = T_INITIAL_CAP;
	return 0;
}

void
traffic_free(struct traffic *t)
{
	if (t == NULL)
		return;
	free(t->tab);
	t->tab = NULL;
	t->cap = t->n = 0;
}

/* The two halves of the address, multiplied and folded (a murmur3-style
 * finalizer): cheap, and mixes every input bit into the low bits the
 * table mask keeps. */
static size_t
traffic_hash(const uint8_t addr[16])
{
	uint64_t a, b, h;

	memcpy(&a, addr, 8);
	memcpy(&b, addr + 8, 8);
	h = a * 0x9e3779b97f4a7c15ULL ^ b;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (size_t)h;
}

struct traffic_src *
traffic_lookup(const struct traffic *t, const uint8_t addr[16])
{
	size_t i, mask = t->cap - 1;

	for (i = traffic_hash(addr) & mask; t->tab[i].used; i = (i + 1) & mask)
		if (memcmp(t->tab[i].addr, addr, 16) == 0)
			return &t->tab[i];
	return NULL;
}

/* Double the table; -1 (and the old table kept) if out of memory. */
static int
traffic_grow(struct traffic *t)
{
	struct traffic_src *nt;
	size_t i, j, ncap = t->cap * 2, mask = ncap - 1;

	if ((nt = calloc(ncap, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (!t->tab[i].used)
			continue;
		for (j = traffic_hash(t->tab[i].addr) & mask; nt[j].used;
		    j = (j + 1) & mask)
			;
		nt[j] = t->tab[i];
	}
	free(t->tab);
	t->tab = nt;
	t->cap = ncap;
	return 0;
}

/* The entry for addr, made if new; NULL once TRAFFIC_SOURCES_MAX sources
 * are known or memory runs out (the query is then counted as dropped). */
static struct traffic_src *
traffic_source(struct traffic *t, const uint8_t addr[16])
{
	size_t i, mask;

	if ((t->n + 1) * 10 > t->cap * 7) {
		if (t->n >= TRAFFIC_SOURCES_MAX || traffic_grow(t) == -1)
			goto known;
	}
	mask = t->cap - 1;
	for (i = traffic_hash(addr) & mask; t->tab[i].used; i = (i + 1) & mask)
		if (memcmp(t->tab[i].addr, addr, 16) == 0)
			return &t->tab[i];
	memcpy(t->tab[i].addr, addr, 16);
	t->tab[i].used = 1;
	t->n++;
	return &t->tab[i];
known:
	return traffic_lookup(t, addr);
}

static void
traffic_add_tag(struct traffic_src *s, uint16_t tag)
{
	size_t i;

	for (i = 0; i < s->ntags; i++)
		if (s->tags[i] == tag)
			return;
	if (s->ntags < TRAFFIC_TAGS_MAX)
		s->tags[s->ntags++] = tag;
}

/*
 * Walk the name at off in msg[0..len): its end (the offset after the name
 * in the message as laid out, pointers followed for the label count only)
 * goes to *end, the number of labels to *nlabels, and the offset of the
 * first label's length byte to *first.  -1 if malformed.
 */
static int
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

/* One DNS message sent from addr.  Returns -1 if malformed. */
static int
traffic_dns(struct traffic *t, const uint8_t addr[16], const uint8_t *msg,
    size_t len, int64_t ts_us)
{
	uint16_t tags[TRAFFIC_TAGS_MAX], qtype;
	size_t end, first, nt = 0, i;
	unsigned nl;
	int edns, n;
	struct traffic_src *s;

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
	    &edns)) == -1)
		return -1;
	if (t->queries++ == 0)
		t->first_us = t->last_us = ts_us;
	if (ts_us < t->first_us)
		t->first_us = ts_us;
	if (ts_us > t->last_us)
		t->last_us = ts_us;
	if ((s = traffic_source(t, addr)) == NULL) {
		t->dropped++;
		return 0;
	}
	s->queries++;
	if (qtype == T_TYPE_DNSKEY && nl == 0)
		s->dnskey_root++;
	else if (qtype == T_TYPE_DNSKEY)
		s->dnskey_other++;
	else if (qtype == T_TYPE_DS && nl == 1)
		s->ds_tld++;
	else if (qtype == T_TYPE_DS)
		s->ds_other++;
	/* The option speaks for the zone asked about: root only, here. */
	if (edns && nl == 0) {
		s->signals++;
		nt = (size_t)n;
	} else if (nl == 1 && (nt = dns_ta_label(msg + first + 1,
	    msg[first], tags, TRAFFIC_TAGS_MAX)) > 0)
		s->signals++;
	for (i = 0; i < nt; i++)
		traffic_add_tag(s, tags[i]);
	return 0;
}

/* Transport: proto at p[0..len) from addr.  -1 if malformed. */
static int
traffic_l4(struct traffic *t, int proto, const uint8_t addr[16],
    const uint8_t *p, size_t len)
{
	size_t ulen;

	if (proto == 6) {
		size_t hl;

		if (len < 20 || (hl = (size_t)(p[12] >> 4) * 4) < 20 || hl > len)
			return -1;
		if ((rd16(p) == 53 || rd16(p + 2) == 53) && len > hl)
			t->tcp_dns++;
		else
			t->other++;
		return 0;
	}
	if (proto != 17) {
		t->other++;
		return 0;
	}
	if (len < 8 || (ulen = rd16(p + 4)) < 8 || ulen > len)
		return -1;
	if (rd16(p + 2) != 53) {
		if (rd16(p) == 53)
			t->responses++;
		else
			t->other++;
		return 0;
	}
	return traffic_dns(t, addr, p + 8, ulen - 8, t->now_us);
}

static int
traffic_ip4(struct traffic *t, const uint8_t *p, size_t len)
{
	uint8_t addr[16] = { [10] = 0xff, [11] = 0xff };
	size_t hl, tl;

	if (len < 20 || p[0] >> 4 != 4 || (hl = (size_t)(p[0] & 15) * 4) < 20
	    || (tl = rd16(p + 2)) < hl || tl > len)
		return -1;
	if (rd16(p + 6) & 0x3fff) {	/* MF or an offset: a fragment */
		t->other++;
		return 0;
	}
	memcpy(addr + 12, p + 12, 4);
	return traffic_l4(t, p[9], addr, p + hl, tl - hl);
}

static int
traffic_ip6(struct traffic *t, const uint8_t *p, size_t len)
{
	size_t off = 40, pl;
	int nh, i;

	if (len < 40 || p[0] >> 4 != 6 || (pl = rd16(p + 4)) + 40 > len)
		return -1;
	len = pl + 40;
	nh = p[6];
	for (i = 0; i < T_EXTHDR_MAX; i++) {
		if (nh == 44) {		/* fragment */
			t->other++;
			return 0;
		}
		if (nh != 0 && nh != 43 && nh != 60)
			return traffic_l4(t, nh, p + 8, p + off, len - off);
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
	if (et == 0x0800)
		return traffic_ip4(t, p, len);
	if (et == 0x86dd)
		return traffic_ip6(t, p, len);
	t->other++;
	return 0;
}

static int
traffic_frame(struct traffic *t, int dlt, const uint8_t *p, size_t len)
{
	size_t off;
	uint16_t et;
	int i;

	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			return -1;
		et = rd16(p + 12);
		off = 14;
		for (i = 0; (et == 0x8100 || et == 0x88a8) && i < T_VLAN_MAX;
		    i++) {
			if (off + 4 > len)
				return -1;
			et = rd16(p + off + 2);
			off += 4;
		}
		return traffic_ether(t, et, p + off, len - off);
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
    int64_t ts_us)
{
	t->packets++;
	t->now_us = ts_us;
	if (traffic_frame(t, dlt, p, len) == -1)
		t->malformed++;
}

void
traffic_message(struct traffic *t, const uint8_t addr[16],
    const uint8_t *msg, size_t len, int64_t ts_us)
{
	if (traffic_dns(t, addr, msg, len, ts_us) == -1)
		t->malformed++;
}

int
traffic_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int dlt, rc;

	err[0] = '\0';
	if ((pc = pcap_open_offline(path, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	dlt = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1)
		traffic_packet(t, dlt, data, h->caplen,
		    (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec);
	if (rc == PCAP_ERROR) {
		t->truncated = 1;
		snprintf(err, errlen, "%s: %s (read up to the last whole "
		    "packet)", path, pcap_geterr(pc));
	}
	pcap_close(pc);
	return 0;
}

double
traffic_dnskey_rate(const struct traffic *t, const struct traffic_src *s)
{
	double span = (double)(t->last_us - t->first_us) / 1e6;

	if (span < 60)
		span = 60;
	return (double)s->dnskey_root * 60 / span;
}

int
is_traffic_storming(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	return traffic_dnskey_rate(t, s) > o->dnskey_rate;
}

int
is_traffic_stale(const struct traffic_src *s, const struct traffic_opts *o)
{
	size_t i, j;

	if (s->ntags == 0)
		return 0;
	for (i = 0; i < s->ntags; i++)
		for (j = 0; j < o->ntrusted; j++)
			if (s->tags[i] == o->trusted[j])
				return 0;
	return 1;
}

int
traffic_parse_tags(const char *s, struct traffic_opts *o)
{
	o->ntrusted = 0;
	for (;;) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9' || o->ntrusted == TRAFFIC_TRUSTED_MAX)
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v > 65535 || end - s > 5)
			return -1;
		o->trusted[o->ntrusted++] = (uint16_t)v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

static void
traffic_addr(const struct traffic_src *s, char *buf, size_t len)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };

	if (memcmp(s->addr, v4m, 12) == 0)
		inet_ntop(AF_INET, s->addr + 12, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, s->addr, buf, (socklen_t)len);
}

static void
traffic_tags(const struct traffic_src *s, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < s->ntags && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? " " : "",
		    s->tags[i]);
	if (s->ntags == 0)
		snprintf(buf, len, "-");
}

static const char *
traffic_verdict(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	int st = is_traffic_storming(t, s, o), sl = is_traffic_stale(s, o);

	if (st && sl)
		return "STORMING,SIGNALLING_STALE";
	return st ? "STORMING" : sl ? "SIGNALLING_STALE" : "ok";
}

/* Most root DNSKEY queries first, then most queries, then address. */
static int
traffic_cmp(const void *a, const void *b)
{
	const struct traffic_src *x = *(const struct traffic_src *const *)a;
	const struct traffic_src *y = *(const struct traffic_src *const *)b;

	if (x->dnskey_root != y->dnskey_root)
		return x->dnskey_root < y->dnskey_root ? 1 : -1;
	if (x->queries != y->queries)
		return x->queries < y->queries ? 1 : -1;
	return memcmp(x->addr, y->addr, 16);
}

/* The used entries, sorted; the caller frees. */
static struct traffic_src **
traffic_sorted(const struct traffic *t)
{
	struct traffic_src **v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < t->cap; i++)
		if (t->tab[i].used)
			v[n++] = &t->tab[i];
	qsort(v, n, sizeof(*v), traffic_cmp);
	return v;
}

void
traffic_print(const struct traffic *t, const struct traffic_opts *o,
    FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char a[INET6_ADDRSTRLEN], tg[64];
	size_t i;

	fprintf(out, "%" PRIu64 " packets, %" PRIu64 " DNS queries from %zu "
	    "sources over %.1f s\n", t->packets, t->queries, t->n,
	    (double)(t->last_us - t->first_us) / 1e6);
	fprintf(out, "not counted: %" PRIu64 " responses, %" PRIu64
	    " DNS over TCP (not parsed), %" PRIu64 " malformed, %" PRIu64
	    " other, %" PRIu64 " beyond the source limit\n", t->responses,
	    t->tcp_dns, t->malformed, t->other, t->dropped);
	fprintf(out, "%-39s %9s %10s %8s %8s %-15s %s\n", "source", "queries",
	    "dnskey/min", "dnskey.", "ds-tld", "root-tags", "verdict");
	for (i = 0; i < t->n && i < o->top; i++) {
		traffic_addr(v[i], a, sizeof(a));
		traffic_tags(v[i], tg, sizeof(tg));
		fprintf(out, "%-39s %9" PRIu64 " %10.1f %8" PRIu32 " %8" PRIu32
		    " %-15s %s\n", a, v[i]->queries,
		    traffic_dnskey_rate(t, v[i]), v[i]->dnskey_root,
		    v[i]->ds_tld, tg, traffic_verdict(t, v[i], o));
	}
	free(v);
}

void
traffic_csv(const struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char a[INET6_ADDRSTRLEN], tg[64];
	size_t i;

	fprintf(out, "source,queries,dnskey_root,dnskey_other,ds_tld,ds_other,"
	    "signals,root_tags,verdict\n");
	for (i = 0; i < t->n; i++) {
		traffic_addr(v[i], a, sizeof(a));
		traffic_tags(v[i], tg, sizeof(tg));
		fprintf(out, "%s,%" PRIu64 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32
		    ",%" PRIu32 ",%" PRIu32 ",%s,%s\n", a, v[i]->queries,
		    v[i]->dnskey_root, v[i]->dnskey_other, v[i]->ds_tld,
		    v[i]->ds_other, v[i]->signals, tg,
		    traffic_verdict(t, v[i], o));
	}
	free(v);
}

/* Options of the traffic command; -1 with err if bad. */
static int
traffic_options(int argc, char *argv[], struct traffic_opts *o, char *err,
    size_t errlen)
{
	static const struct option lo[] = {
		{ "csv", no_argument, NULL, 'C' },
		{ "dnskey-rate", required_argument, NULL, 'R' },
		{ "top", required_argument, NULL, 'T' },
		{ "trusted-tags", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	o->dnskey_rate = 5;
	o->top = 20;
	traffic_parse_tags("20326,38696", o);
	optind = 0;		/* glibc: start afresh (tests call us again) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		errno = 0;
		switch (ch) {
		case 'C':
			o->csv = 1;
			break;
		case 'R':
			o->dnskey_rate = strtod(optarg, &end);
			if (errno || *end || end == optarg ||
			    !(o->dnskey_rate >= 0 && o->dnskey_rate <= 1e9))
				goto bad;
			break;
		case 'T':
			o->top = (size_t)strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-')
				goto bad;
			break;
		case 'A':
			if (traffic_parse_tags(optarg, o) == -1)
				goto bad;
			break;
		default:
			snprintf(err, errlen, "traffic: unknown option");
			return -1;
		}
	}
	if (optind >= argc) {
		snprintf(err, errlen, "traffic: no capture file given");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "traffic: bad value for an option: %s", optarg);
	return -1;
}

int
traffic_main(int argc, char *argv[], FILE *out, char *err, size_t errlen)
{
	struct traffic_opts o;
	struct traffic t;
	size_t i;
	int flagged = 0;

	if (traffic_options(argc, argv, &o, err, errlen) == -1)
		return -1;
	if (traffic_init(&t) == -1)
		fatalx("out of memory");
	for (; optind < argc; optind++) {
		if (traffic_read_file(&t, argv[optind], err, errlen) == -1) {
			traffic_free(&t);
			return -1;
		}
		if (err[0] != '\0')
			log_warnx("%s", err);
	}
	err[0] = '\0';
	if (o.csv)
		traffic_csv(&t, &o, out);
	else
		traffic_print(&t, &o, out);
	for (i = 0; i < t.cap; i++)
		if (t.tab[i].used && (is_traffic_storming(&t, &t.tab[i], &o) ||
		    is_traffic_stale(&t.tab[i], &o)))
			flagged = 1;
	traffic_free(&t);
	return flagged;
}
