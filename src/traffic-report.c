/*
 * traffic-report.c: the verdicts of anchorwatch traffic, and its readable
 * and JSON reports.
 *
 * Verdicts per source (issue 5; RFC 8145 section 8 on what signals mean):
 *  - STORMING: at least STORM_MIN root DNSKEY queries, at a rate per
 *    minute of at least --dnskey-rate (by default traffic.warn_rate, the
 *    rate at which check warns of DNSKEY_STORM: the two agree), or, with
 *    a --baseline, at least BASE_FACTOR times the source's own baseline
 *    rate (only for sources with root DNSKEY queries in the baseline, and
 *    at least BASE_MIN of them now: a single query is no storm).
 *  - SIGNALLING_STALE: the source signals root key tags, but none of the
 *    keys that sign the root at some time of the capture (the sets of
 *    traffic-signers.c), or none of --trusted-tags.
 *  - validating yes/no/?: the validator heuristic.  A validating resolver
 *    asks the root for the DS of the TLDs it uses (and the root DNSKEY); a
 *    non-validating one never does.  Sources that asked for the root
 *    DNSKEY, or with at least VAL_MIN queries of which a share at or above
 *    --ds-share asked for the DS of a TLD, are validators; "?" below
 *    VAL_MIN queries.  Meant for captures at the root, where every query
 *    is one to the root.
 *
 * Rates are over the span of the queries seen, at least a minute, or over
 * the listening time of a live capture.  The counts file (--csv) is
 * traffic-counts.c's, the command traffic-cmd.c's.
 */
#include <arpa/inet.h>

#include <endian.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"
#include "lazy-json.h"

#define BASE_FACTOR 10.0
#define BASE_MIN 10
#define VAL_MIN 10

static double
traffic_span_min(const struct traffic *t)
{
	double span = t->span_us > 0 ? (double)t->span_us / 1e6 :
	    (double)(t->last_us - t->first_us) / 1e6;

	return (span < 60 ? 60 : span) / 60;
}

double
traffic_dnskey_rate(const struct traffic *t, const struct traffic_src *s)
{
	return (double)s->dnskey_root / traffic_span_min(t);
}

/* The baseline rate of s's address, or -1 if it has none to compare. */
static double
traffic_base_rate(const struct traffic_opts *o, const struct traffic_src *s)
{
	struct traffic_src *b;

	if (o->base == NULL || (b = traffic_lookup(o->base, s->addr)) == NULL
	    || b->dnskey_root == 0)
		return -1;
	return traffic_dnskey_rate(o->base, b);
}

int
is_traffic_storming(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	double rate = traffic_dnskey_rate(t, s), base;

	if (s->dnskey_root >= STORM_MIN && rate >= o->dnskey_rate)
		return 1;
	base = traffic_base_rate(o, s);
	return base > 0 && s->dnskey_root >= BASE_MIN &&
	    rate >= BASE_FACTOR * base;
}

/* 1 if s signals one of the keys of set k. */
static int
is_signalling(const struct traffic_src *s, const struct traffic_signers *k)
{
	size_t i, j;

	for (i = 0; i < s->ntags; i++)
		for (j = 0; j < k->n; j++)
			if (s->tags[i] == k->tags[j])
				return 1;
	return 0;
}

int
is_traffic_stale(const struct traffic_src *s, const struct traffic_opts *o)
{
	size_t i;

	if (s->ntags == 0)
		return 0;
	for (i = 0; i < o->nsigners; i++)
		if (!is_signalling(s, &o->signers[i]))
			return 1;
	return 0;
}

/* DS among the questions about one-label names and the root. */
double
traffic_ds_share(const struct traffic_src *s)
{
	return s->queries ? (double)s->ds_tld / (double)s->queries : 0;
}

/* "yes", "no" or "?" (too few queries to tell). */
const char *
traffic_validating(const struct traffic_src *s, const struct traffic_opts *o)
{
	if (s->dnskey_root > 0 || (s->queries >= VAL_MIN &&
	    traffic_ds_share(s) >= o->ds_share))
		return "yes";
	return s->queries >= VAL_MIN ? "no" : "?";
}

void
traffic_source_name(const struct traffic_src *s, char *buf, size_t len)
{
	static const uint8_t v4m[12] = { [10] = 0xff, [11] = 0xff };
	char *p = buf;
	int i;

	if (memcmp(s->addr, v4m, 12) != 0) {
		inet_ntop(AF_INET6, s->addr, buf, (socklen_t)len);
		return;
	}
	if (len < INET_ADDRSTRLEN) {
		inet_ntop(AF_INET, s->addr + 12, buf, (socklen_t)len);
		return;
	}
	/* By hand: glibc's inet_ntop formats IPv4 with sprintf, 3% of the
	 * counts file of a capture of many sources. */
	for (i = 12; i < 16; i++) {
		if (s->addr[i] >= 100)
			*p++ = (char)('0' + s->addr[i] / 100);
		if (s->addr[i] >= 10)
			*p++ = (char)('0' + s->addr[i] / 10 % 10);
		*p++ = (char)('0' + s->addr[i] % 10);
		*p++ = i < 15 ? '.' : '\0';
	}
}

void
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

const char *
traffic_verdict(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	int st = is_traffic_storming(t, s, o), sl = is_traffic_stale(s, o);

	if (st && sl)
		return "STORMING+SIGNALLING_STALE";
	return st ? "STORMING" : sl ? "SIGNALLING_STALE" : "ok";
}

int
is_traffic_flagged(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	return is_traffic_storming(t, s, o) || is_traffic_stale(s, o);
}

/* 1 if x comes before y. */
static inline int
traffic_key_lt(const struct traffic_key *x, const struct traffic_key *y)
{
	if (x->dnskey_root != y->dnskey_root)
		return x->dnskey_root < y->dnskey_root;
	if (x->queries != y->queries)
		return x->queries < y->queries;
	if (x->a0 != y->a0)
		return x->a0 < y->a0;
	return x->a1 < y->a1;
}

static inline void
traffic_key_swap(struct traffic_key *a, struct traffic_key *b)
{
	struct traffic_key t = *a;

	*a = *b;
	*b = t;
}

/* Move k[r] down the max-heap k[0..n) to its place. */
static void
traffic_key_sift(struct traffic_key *k, size_t r, size_t n)
{
	size_t c;

	for (; (c = 2 * r + 1) < n; r = c) {
		if (c + 1 < n && traffic_key_lt(&k[c], &k[c + 1]))
			c++;
		if (!traffic_key_lt(&k[r], &k[c]))
			return;
		traffic_key_swap(&k[r], &k[c]);
	}
}

/* Heapsort of k[0..n): where quicksort goes too deep (a capture whose
 * sources come in an order made to defeat the median of three). */
static void
traffic_key_heapsort(struct traffic_key *k, size_t n)
{
	size_t i;

	for (i = n / 2; i > 0; i--)
		traffic_key_sift(k, i - 1, n);
	for (i = n; i > 1; i--) {
		traffic_key_swap(&k[0], &k[i - 1]);
		traffic_key_sift(k, 0, i - 1);
	}
}

/*
 * Sort k[0..n): introsort (quicksort with the median of three, Hoare's
 * partition, heapsort past depth levels, insertion sort below 16), in
 * place and with the comparison inlined: glibc's qsort called a function
 * per comparison and copied the keys to a buffer as large (4% of a run).
 */
void
traffic_keys_sort(struct traffic_key *k, size_t n, unsigned depth)
{
	struct traffic_key p;
	size_t m, i, j;

	while (n > 16) {
		if (depth-- == 0) {
			traffic_key_heapsort(k, n);
			return;
		}
		m = n / 2;
		if (traffic_key_lt(&k[m], &k[0]))
			traffic_key_swap(&k[m], &k[0]);
		if (traffic_key_lt(&k[n - 1], &k[0]))
			traffic_key_swap(&k[n - 1], &k[0]);
		if (traffic_key_lt(&k[n - 1], &k[m]))
			traffic_key_swap(&k[n - 1], &k[m]);
		p = k[m];
		/* Hoare: k[0..j] not after p, k[j+1..n) not before it, both
		 * parts not empty (p is k[m], k[0] <= p <= k[n - 1]). */
		for (i = 0, j = n - 1;; i++, j--) {
			while (traffic_key_lt(&k[i], &p))
				i++;
			while (traffic_key_lt(&p, &k[j]))
				j--;
			if (i >= j)
				break;
			traffic_key_swap(&k[i], &k[j]);
		}
		/* the smaller part by recursion, the larger in this loop */
		if (j + 1 < n - j - 1) {
			traffic_keys_sort(k, j + 1, depth);
			k += j + 1;
			n -= j + 1;
		} else {
			traffic_keys_sort(k + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && traffic_key_lt(&k[j], &k[j - 1]); j--)
			traffic_key_swap(&k[j], &k[j - 1]);
}

/* The used entries, sorted, the input ended first; the caller frees. */
struct traffic_src **
traffic_sorted(struct traffic *t)
{
	struct traffic_src **v, *s;
	struct traffic_key *k;
	unsigned depth;
	size_t i;

	traffic_end(t);
	k = xcalloc(t->n ? t->n : 1, sizeof(*k));
	for (i = 0; i < t->n; i++) {
		s = traffic_nth(t, i);
		k[i].queries = ~s->queries;
		k[i].dnskey_root = ~s->dnskey_root;
		memcpy(&k[i].a0, s->addr, 8);
		memcpy(&k[i].a1, s->addr + 8, 8);
		k[i].a0 = be64toh(k[i].a0);
		k[i].a1 = be64toh(k[i].a1);
		k[i].i = (uint32_t)i;
	}
	for (i = t->n, depth = 0; i > 1; i >>= 1)
		depth += 2;
	traffic_keys_sort(k, t->n, depth);
	v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	for (i = 0; i < t->n; i++)
		v[i] = traffic_nth(t, k[i].i);
	free(k);
	return v;
}

/* The zones most asked for DNSKEY or DS, after the sources. */
static void
traffic_print_zones(const struct traffic *t, const struct traffic_opts *o,
    FILE *out)
{
	struct traffic_zone **z;
	char name[TRAFFIC_ZONE_NAME_MAX * 4 + 2];
	size_t i;

	if (t->zones.n == 0 && t->zones.unnamed == 0)
		return;
	z = traffic_zones_sorted(&t->zones);
	fprintf(out, "\n%-39s %9s %9s\n", "zone", "dnskey", "ds");
	for (i = 0; i < t->zones.n && i < o->top; i++) {
		traffic_zone_text(z[i], name, sizeof(name));
		fprintf(out, "%-39s %9" PRIu32 " %9" PRIu32 "\n", name,
		    z[i]->dnskey, z[i]->ds);
	}
	if (t->zones.unnamed > 0)
		fprintf(out, "(%" PRIu64 " more for names too long or past the "
		    "limit of %u zones)\n", t->zones.unnamed, TRAFFIC_ZONES_MAX);
	free(z);
}

/* The lines of tunnels, fragments, cut frames and malformed EDNS, each
 * only when there was some (after the "not counted" line, unended). */
static void
traffic_print_reach(const struct traffic *t, FILE *out)
{
	const struct traffic_frag_stats *f = &t->frag;

	if (t->encapsulated > 0)
		fprintf(out, "\ntunnels: %" PRIu64 " frames decapsulated",
		    t->encapsulated);
	if (f->fragments > 0)
		fprintf(out, "\nIP fragments: %" PRIu64 ", %" PRIu64
		    " datagrams reassembled; refused for overlaps %" PRIu64
		    ", timed out %" PRIu64 ", dropped at a memory cap %" PRIu64
		    ", incomplete at the end %zu", f->fragments,
		    f->reassembled, f->overlaps, f->expired, f->evicted,
		    traffic_frag_held(t));
	if (t->snapped > 0)
		fprintf(out, "\ncut by the snapshot length: %" PRIu64
		    " frames, %" PRIu64 " of them before the end of the DNS "
		    "question (not counted)", t->snapped, t->snapped_lost);
	if (t->edns_malformed > 0)
		fprintf(out, "\nmalformed after the question: %" PRIu64
		    " queries (counted, without EDNS)", t->edns_malformed);
}

void
traffic_print(struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char a[INET6_ADDRSTRLEN], tg[64], sg[AW_ERR_MAX];
	size_t i, nflag = 0;

	for (i = 0; i < t->n; i++)
		nflag += (size_t)is_traffic_flagged(t, v[i], o);
	fprintf(out, "%" PRIu64 " packets, %" PRIu64 " DNS queries from %zu "
	    "sources over %.1f s; %zu flagged\n", t->packets, t->queries, t->n,
	    traffic_span_min(t) * 60, nflag);
	fprintf(out, "DNS over TCP: %" PRIu64 " segments, %" PRIu64
	    " messages reassembled; %" PRIu64 " resyncs, %" PRIu64 " bytes "
	    "not parsed, %" PRIu64 " holes given up\n", t->tcp_segments,
	    t->tcp_messages, t->tcp_resyncs, t->tcp_unparsed, t->tcp_holes);
	fprintf(out, "not counted: %" PRIu64 " responses, %" PRIu64
	    " malformed, %" PRIu64 " other, %" PRIu64 " beyond the source "
	    "limit", t->responses, t->malformed, t->other, t->dropped);
	if (t->old > 0)
		fprintf(out, ", %" PRIu64 " asked before listening began",
		    t->old);
	traffic_print_reach(t, out);
	traffic_signers_text(o, sg, sizeof(sg));
	fprintf(out, "\nkeys signing the root: %s; a storm from %g root "
	    "DNSKEY queries a minute\n", sg, o->dnskey_rate);
	fprintf(out, "%-39s %9s %10s %8s %8s %4s %-15s %s\n", "source",
	    "queries", "dnskey/min", "dnskey.", "ds-tld", "val", "root-tags",
	    "verdict");
	for (i = 0; i < t->n && i < o->top; i++) {
		traffic_source_name(v[i], a, sizeof(a));
		traffic_tags(v[i], tg, sizeof(tg));
		fprintf(out, "%-39s %9" PRIu64 " %10.1f %8" PRIu32 " %8" PRIu32
		    " %4s %-15s %s\n", a, v[i]->queries,
		    traffic_dnskey_rate(t, v[i]), v[i]->dnskey_root,
		    v[i]->ds_tld, traffic_validating(v[i], o), tg,
		    traffic_verdict(t, v[i], o));
	}
	free(v);
	traffic_print_zones(t, o, out);
}

static struct json_object *
traffic_json_src(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	struct json_object *j = json_object_new_object(), *a;
	char buf[INET6_ADDRSTRLEN];
	double base = traffic_base_rate(o, s);
	size_t i;

	traffic_source_name(s, buf, sizeof(buf));
	json_object_object_add(j, "source", json_object_new_string(buf));
	json_object_object_add(j, "queries",
	    json_object_new_int64((int64_t)s->queries));
	json_object_object_add(j, "dnskey_root",
	    json_object_new_int64(s->dnskey_root));
	json_object_object_add(j, "dnskey_tld",
	    json_object_new_int64(s->dnskey_tld));
	json_object_object_add(j, "dnskey_other",
	    json_object_new_int64(s->dnskey_other));
	json_object_object_add(j, "ds_tld", json_object_new_int64(s->ds_tld));
	json_object_object_add(j, "ds_other",
	    json_object_new_int64(s->ds_other));
	json_object_object_add(j, "signals",
	    json_object_new_int64(s->signals));
	a = json_object_new_array();
	for (i = 0; i < s->ntags; i++)
		json_object_array_add(a, json_object_new_int(s->tags[i]));
	json_object_object_add(j, "root_tags", a);
	json_object_object_add(j, "dnskey_per_min",
	    json_object_new_double(traffic_dnskey_rate(t, s)));
	if (base >= 0)
		json_object_object_add(j, "baseline_dnskey_per_min",
		    json_object_new_double(base));
	json_object_object_add(j, "ds_share",
	    json_object_new_double(traffic_ds_share(s)));
	json_object_object_add(j, "validating",
	    json_object_new_string(traffic_validating(s, o)));
	json_object_object_add(j, "storming",
	    json_object_new_boolean(is_traffic_storming(t, s, o)));
	json_object_object_add(j, "signalling_stale",
	    json_object_new_boolean(is_traffic_stale(s, o)));
	return j;
}

static void
traffic_json_add(struct json_object *j, const char *k, uint64_t v)
{
	json_object_object_add(j, k, json_object_new_int64((int64_t)v));
}

/* The zones most asked for DNSKEY or DS. */
static struct json_object *
traffic_json_zones(const struct traffic *t, const struct traffic_opts *o)
{
	struct traffic_zone **z = traffic_zones_sorted(&t->zones);
	struct json_object *a = json_object_new_array(), *j;
	char name[TRAFFIC_ZONE_NAME_MAX * 4 + 2];
	size_t i;

	for (i = 0; i < t->zones.n && i < o->top; i++) {
		traffic_zone_text(z[i], name, sizeof(name));
		j = json_object_new_object();
		json_object_object_add(j, "zone", json_object_new_string(name));
		json_object_object_add(j, "dnskey",
		    json_object_new_int64(z[i]->dnskey));
		json_object_object_add(j, "ds", json_object_new_int64(z[i]->ds));
		json_object_array_add(a, j);
	}
	free(z);
	return a;
}

/* The keys signing the root during the capture, and who says so. */
static void
traffic_json_signers(struct json_object *doc, const struct traffic_opts *o)
{
	struct json_object *a = json_object_new_array(), *j, *tags;
	char date[32];
	size_t i, k;

	for (i = 0; i < o->nsigners; i++) {
		j = json_object_new_object();
		if (o->signers[i].from > 0) {
			date_format(o->signers[i].from, DATE_DAY_OR_MINUTE,
			    date, sizeof(date));
			json_object_object_add(j, "from",
			    json_object_new_string(date));
		}
		tags = json_object_new_array();
		for (k = 0; k < o->signers[i].n; k++)
			json_object_array_add(tags,
			    json_object_new_int(o->signers[i].tags[k]));
		json_object_object_add(j, "tags", tags);
		json_object_array_add(a, j);
	}
	json_object_object_add(doc, "root_signers", a);
	json_object_object_add(doc, "root_signers_by", o->signers_by ?
	    json_object_new_string(o->signers_by) : NULL);
}

/* The counters of tunnels, fragments, cut frames, malformed EDNS. */
static void
traffic_json_reach(struct json_object *doc, const struct traffic *t)
{
	struct json_object *f = json_object_new_object();

	traffic_json_add(doc, "encapsulated", t->encapsulated);
	traffic_json_add(doc, "snapped", t->snapped);
	traffic_json_add(doc, "snapped_lost", t->snapped_lost);
	traffic_json_add(doc, "edns_malformed", t->edns_malformed);
	traffic_json_add(f, "fragments", t->frag.fragments);
	traffic_json_add(f, "reassembled", t->frag.reassembled);
	traffic_json_add(f, "overlaps", t->frag.overlaps);
	traffic_json_add(f, "expired", t->frag.expired);
	traffic_json_add(f, "evicted", t->frag.evicted);
	traffic_json_add(f, "incomplete", traffic_frag_held(t));
	json_object_object_add(doc, "ip_fragments", f);
}

/* One JSON document: totals, every flagged source (whatever --top says),
 * the top list. */
void
traffic_json(struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	struct json_object *doc = json_object_new_object(), *fl, *top;
	size_t i;

	traffic_json_add(doc, "packets", t->packets);
	traffic_json_add(doc, "queries", t->queries);
	traffic_json_add(doc, "sources", t->n);
	json_object_object_add(doc, "span_seconds",
	    json_object_new_double(traffic_span_min(t) * 60));
	traffic_json_add(doc, "responses", t->responses);
	traffic_json_add(doc, "tcp_segments", t->tcp_segments);
	traffic_json_add(doc, "tcp_messages", t->tcp_messages);
	traffic_json_add(doc, "tcp_resyncs", t->tcp_resyncs);
	traffic_json_add(doc, "tcp_unparsed_bytes", t->tcp_unparsed);
	traffic_json_add(doc, "tcp_holes", t->tcp_holes);
	traffic_json_add(doc, "malformed", t->malformed);
	traffic_json_add(doc, "other", t->other);
	traffic_json_add(doc, "dropped", t->dropped);
	traffic_json_add(doc, "old", t->old);
	traffic_json_reach(doc, t);
	json_object_object_add(doc, "truncated",
	    json_object_new_boolean(t->truncated));
	json_object_object_add(doc, "dnskey_rate",
	    json_object_new_double(o->dnskey_rate));
	traffic_json_signers(doc, o);
	fl = json_object_new_array();
	top = json_object_new_array();
	for (i = 0; i < t->n; i++) {
		if (is_traffic_flagged(t, v[i], o))
			json_object_array_add(fl, traffic_json_src(t, v[i], o));
		if (i < o->top)
			json_object_array_add(top, traffic_json_src(t, v[i],
			    o));
	}
	json_object_object_add(doc, "flagged", fl);
	json_object_object_add(doc, "top", top);
	json_object_object_add(doc, "zones", traffic_json_zones(t, o));
	traffic_json_add(doc, "zones_unnamed", t->zones.unnamed);
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(doc);
	free(v);
}

