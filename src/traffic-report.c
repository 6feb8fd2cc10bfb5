/*
 * traffic-report.c: the verdicts and outputs of anchorwatch traffic, its
 * counts files and their merge, and the command itself.
 *
 * Verdicts per source (issue 5; RFC 8145 section 8 on what signals mean):
 *  - STORMING: root DNSKEY queries per minute above --dnskey-rate, or, with
 *    a --baseline, at least BASE_FACTOR times the source's own baseline
 *    rate (only for sources with root DNSKEY queries in the baseline, and
 *    at least BASE_MIN of them now: a single query is no storm).
 *  - SIGNALLING_STALE: every root key tag the source signals is outside
 *    --trusted-tags (a key no longer signing, or revoked).
 *  - validating yes/no/?: the validator heuristic.  A validating resolver
 *    asks the root for the DS of the TLDs it uses (and the root DNSKEY); a
 *    non-validating one never does.  Sources that asked for the root
 *    DNSKEY, or with at least VAL_MIN queries of which a share at or above
 *    --ds-share asked for the DS of a TLD, are validators; "?" below
 *    VAL_MIN queries.  Meant for captures at the root, where every query
 *    is one to the root.
 *
 * A counts file is the CSV of --csv: a comment line with the totals and
 * the span, a header, a row per source.  --merge adds counts files up (the
 * shards of one capture, counted on many machines); a baseline may be a
 * counts file or a capture.  Rates are over the span of the queries seen,
 * at least a minute, or over the listening time of a live capture.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define BASE_FACTOR 10.0
#define BASE_MIN 10
#define VAL_MIN 10
#define COUNTS_MAGIC "#anchorwatch-traffic-counts 1"
#define COUNTS_HEADER "source,queries,dnskey_root,dnskey_tld,dnskey_other," \
	"ds_tld,ds_other,signals,root_tags,dnskey_per_min,ds_share," \
	"validating,verdict"
#define COUNTS_ZONE "#zone "
#define COUNTS_LINE_MAX 512

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

	if (rate > o->dnskey_rate)
		return 1;
	base = traffic_base_rate(o, s);
	return base > 0 && s->dnskey_root >= BASE_MIN &&
	    rate >= BASE_FACTOR * base;
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

/* DS among the questions about one-label names and the root. */
static double
traffic_ds_share(const struct traffic_src *s)
{
	return s->queries ? (double)s->ds_tld / (double)s->queries : 0;
}

/* "yes", "no" or "?" (too few queries to tell). */
static const char *
traffic_validating(const struct traffic_src *s, const struct traffic_opts *o)
{
	if (s->dnskey_root > 0 || (s->queries >= VAL_MIN &&
	    traffic_ds_share(s) >= o->ds_share))
		return "yes";
	return s->queries >= VAL_MIN ? "no" : "?";
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

void
traffic_source_name(const struct traffic_src *s, char *buf, size_t len)
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
		return "STORMING+SIGNALLING_STALE";
	return st ? "STORMING" : sl ? "SIGNALLING_STALE" : "ok";
}

static int
is_traffic_flagged(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o)
{
	return is_traffic_storming(t, s, o) || is_traffic_stale(s, o);
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
traffic_sorted(struct traffic *t)
{
	struct traffic_src **v;
	size_t i, n = 0;

	traffic_flush(t);
	v = xcalloc(t->n ? t->n : 1, sizeof(*v));
	for (i = 0; i < t->cap; i++)
		if (t->tab[i].used)
			v[n++] = &t->tab[i];
	qsort(v, n, sizeof(*v), traffic_cmp);
	return v;
}

static uint64_t
traffic_tcp_messages(const struct traffic *t)
{
	struct tcpflow_stats st;

	if (t->flows == NULL)
		return 0;
	tcpflow_stats(t->flows, &st);
	return st.messages;
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

void
traffic_print(struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char a[INET6_ADDRSTRLEN], tg[64];
	size_t i, nflag = 0;

	for (i = 0; i < t->n; i++)
		nflag += (size_t)is_traffic_flagged(t, v[i], o);
	fprintf(out, "%" PRIu64 " packets, %" PRIu64 " DNS queries from %zu "
	    "sources over %.1f s; %zu flagged\n", t->packets, t->queries, t->n,
	    traffic_span_min(t) * 60, nflag);
	fprintf(out, "DNS over TCP: %" PRIu64 " segments, %" PRIu64
	    " messages reassembled\n", t->tcp_segments,
	    traffic_tcp_messages(t));
	fprintf(out, "not counted: %" PRIu64 " responses, %" PRIu64
	    " malformed, %" PRIu64 " other, %" PRIu64 " beyond the source "
	    "limit", t->responses, t->malformed, t->other, t->dropped);
	if (t->old > 0)
		fprintf(out, ", %" PRIu64 " asked before listening began",
		    t->old);
	fputc('\n', out);
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

void
traffic_csv(struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char a[INET6_ADDRSTRLEN], tg[64], name[TRAFFIC_ZONE_NAME_MAX * 4 + 2];
	struct traffic_zone **z;
	size_t i;

	fprintf(out, COUNTS_MAGIC " first_us=%" PRId64 " last_us=%" PRId64
	    " span_us=%" PRId64 " packets=%" PRIu64 " queries=%" PRIu64
	    " responses=%" PRIu64 " tcp_segments=%" PRIu64 " malformed=%"
	    PRIu64 " other=%" PRIu64 " dropped=%" PRIu64 " zones_unnamed=%"
	    PRIu64 "\n", t->first_us, t->last_us, t->span_us, t->packets,
	    t->queries, t->responses, t->tcp_segments, t->malformed, t->other,
	    t->dropped, t->zones.unnamed);
	fprintf(out, "%s\n", COUNTS_HEADER);
	for (i = 0; i < t->n; i++) {
		traffic_source_name(v[i], a, sizeof(a));
		traffic_tags(v[i], tg, sizeof(tg));
		fprintf(out, "%s,%" PRIu64 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32
		    ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%s,%.3f,%.4f,%s,%s\n",
		    a, v[i]->queries, v[i]->dnskey_root, v[i]->dnskey_tld,
		    v[i]->dnskey_other, v[i]->ds_tld, v[i]->ds_other,
		    v[i]->signals, tg, traffic_dnskey_rate(t, v[i]),
		    traffic_ds_share(v[i]), traffic_validating(v[i], o),
		    traffic_verdict(t, v[i], o));
	}
	free(v);
	z = traffic_zones_sorted(&t->zones);
	for (i = 0; i < t->zones.n; i++) {
		traffic_zone_text(z[i], name, sizeof(name));
		fprintf(out, COUNTS_ZONE "%s %" PRIu32 " %" PRIu32 "\n", name,
		    z[i]->dnskey, z[i]->ds);
	}
	free(z);
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

/* One JSON document: totals, every flagged source, the top list. */
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
	traffic_json_add(doc, "tcp_messages", traffic_tcp_messages(t));
	traffic_json_add(doc, "malformed", t->malformed);
	traffic_json_add(doc, "other", t->other);
	traffic_json_add(doc, "dropped", t->dropped);
	traffic_json_add(doc, "old", t->old);
	json_object_object_add(doc, "truncated",
	    json_object_new_boolean(t->truncated));
	json_object_object_add(doc, "dnskey_rate",
	    json_object_new_double(o->dnskey_rate));
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

/* ---- counts files ------------------------------------------------------ */

/* A decimal at *p up to the next sep (or end), into *v; -1 if malformed. */
static int
counts_num(char **p, char sep, uint64_t max, uint64_t *v)
{
	char *end;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	*v = strtoull(*p, &end, 10);
	if (errno != 0 || *v > max || (*end != sep && *end != '\0'))
		return -1;
	*p = *end == sep ? end + 1 : end;
	return 0;
}

/* The totals line: "key=value" words after the magic. */
static int
counts_totals(struct traffic *t, char *line)
{
	static const char *const keys[] = { "first_us", "last_us", "span_us",
	    "packets", "queries", "responses", "tcp_segments", "malformed",
	    "other", "dropped", "zones_unnamed" };
	uint64_t v[11];
	char *p = line + strlen(COUNTS_MAGIC);
	size_t i;

	for (i = 0; i < 11; i++) {
		size_t kl = strlen(keys[i]);

		if (*p++ != ' ' || strncmp(p, keys[i], kl) != 0 || p[kl] != '=')
			return -1;
		p += kl + 1;
		if (counts_num(&p, ' ', INT64_MAX, &v[i]) == -1)
			return -1;
		if (*p != '\0')
			p--;	/* counts_num ate the separator */
	}
	if (*p != '\0')
		return -1;
	if (v[4] > 0 && (t->queries == 0 || (int64_t)v[0] < t->first_us))
		t->first_us = (int64_t)v[0];
	if (v[4] > 0 && (t->queries == 0 || (int64_t)v[1] > t->last_us))
		t->last_us = (int64_t)v[1];
	if ((int64_t)v[2] > t->span_us)
		t->span_us = (int64_t)v[2];
	t->packets += v[3], t->queries += v[4], t->responses += v[5];
	t->tcp_segments += v[6], t->malformed += v[7], t->other += v[8];
	t->dropped += v[9];
	t->zones.unnamed += v[10];
	return 0;
}

/* One source row, added to its entry.  -1 if malformed. */
static int
counts_row(struct traffic *t, char *line)
{
	uint64_t v[8];
	uint8_t addr[16] = { [10] = 0xff, [11] = 0xff };
	struct traffic_src *s;
	char *p = strchr(line, ','), *tags;
	size_t i;

	if (p == NULL)
		return -1;
	*p++ = '\0';
	if (inet_pton(AF_INET, line, addr + 12) != 1 &&
	    inet_pton(AF_INET6, line, addr) != 1)
		return -1;
	for (i = 0; i < 7; i++)
		if (counts_num(&p, ',', i == 0 ? UINT64_MAX : UINT32_MAX,
		    &v[i]) == -1)
			return -1;
	if ((p = strchr(tags = p, ',')) == NULL)
		return -1;
	*p = '\0';
	if ((s = traffic_entry(t, addr)) == NULL) {
		t->dropped += v[0];
		return 0;
	}
	s->queries += v[0];
	s->dnskey_root = traffic_add32(s->dnskey_root, v[1]);
	s->dnskey_tld = traffic_add32(s->dnskey_tld, v[2]);
	s->dnskey_other = traffic_add32(s->dnskey_other, v[3]);
	s->ds_tld = traffic_add32(s->ds_tld, v[4]);
	s->ds_other = traffic_add32(s->ds_other, v[5]);
	s->signals = traffic_add32(s->signals, v[6]);
	if (strcmp(tags, "-") == 0)
		return 0;
	for (p = tags; *p != '\0';) {
		if (counts_num(&p, ' ', 65535, &v[7]) == -1)
			return -1;
		traffic_add_tag(s, (uint16_t)v[7]);
	}
	return 0;
}

/* "#zone NAME DNSKEY DS", added to the zone table.  -1 if malformed. */
static int
counts_zone(struct traffic *t, char *line)
{
	char *p = strchr(line += strlen(COUNTS_ZONE), ' ');
	uint8_t w[256];
	uint64_t dnskey, ds;
	size_t n;

	if (p == NULL)
		return -1;
	*p++ = '\0';
	if (traffic_zone_parse(line, w, &n) == -1 ||
	    counts_num(&p, ' ', UINT32_MAX, &dnskey) == -1 ||
	    counts_num(&p, ' ', UINT32_MAX, &ds) == -1 || *p != '\0')
		return -1;
	traffic_zone_add(&t->zones, w, n, dnskey, ds);
	return 0;
}

int
is_traffic_counts_file(const char *path)
{
	char buf[sizeof(COUNTS_MAGIC)];
	FILE *fp;
	int is;

	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	is = fread(buf, 1, sizeof(buf) - 1, fp) == sizeof(buf) - 1 &&
	    memcmp(buf, COUNTS_MAGIC, sizeof(buf) - 1) == 0;
	fclose(fp);
	return is;
}

int
traffic_read_counts(struct traffic *t, const char *path, char *err,
    size_t errlen)
{
	char line[COUNTS_LINE_MAX + 2];
	unsigned lineno = 0;
	int rc = -1;
	FILE *fp;

	err[0] = '\0';
	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strlen(line);

		lineno++;
		if (n == 0 || line[n - 1] != '\n' || n > COUNTS_LINE_MAX)
			goto bad;
		line[n - 1] = '\0';
		if (lineno == 1 ? strncmp(line, COUNTS_MAGIC,
		    strlen(COUNTS_MAGIC)) != 0 || counts_totals(t, line) == -1 : lineno == 2 ? strcmp(line, COUNTS_HEADER) !=
		    0 : strncmp(line, COUNTS_ZONE, strlen(COUNTS_ZONE)) == 0 ?
		    counts_zone(t, line) == -1 : counts_row(t, line) == -1)
			goto bad;
	}
	if (ferror(fp) || lineno < 2) {
		lineno++;
		goto bad;
	}
	rc = 0;
	goto done;
bad:
	snprintf(err, errlen, "%s:%u: not a line of an anchorwatch traffic "
	    "counts file", path, lineno);
done:
	fclose(fp);
	return rc;
}

/* ---- the command ------------------------------------------------------- */

/* A number of option arg within [lo, hi] into *v; -1 if not. */
static int
traffic_optnum(const char *arg, double lo, double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	return errno || *end || end == arg || !(*v >= lo && *v <= hi) ? -1 : 0;
}

/* Options of the traffic command; -1 with err if bad. */
static int
traffic_options(int argc, char *argv[], struct traffic_opts *o, char *err,
    size_t errlen)
{
	static const struct option lo[] = {
		{ "baseline", required_argument, NULL, 'B' },
		{ "csv", no_argument, NULL, 'C' },
		{ "dnskey-rate", required_argument, NULL, 'R' },
		{ "dnstap-socket", required_argument, NULL, 'D' },
		{ "ds-share", required_argument, NULL, 'S' },
		{ "interface", required_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'J' },
		{ "merge", no_argument, NULL, 'M' },
		{ "seconds", required_argument, NULL, 'W' },
		{ "top", required_argument, NULL, 'T' },
		{ "trusted-tags", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	double v;
	int ch;

	memset(o, 0, sizeof(*o));
	o->dnskey_rate = 5;
	o->ds_share = 0.05;
	o->top = 20;
	o->seconds = 60;
	traffic_parse_tags("20326,38696", o);
	optind = 0;		/* glibc: start afresh (tests call us again) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'B': o->baseline = optarg; break;
		case 'C': o->format = TRAFFIC_CSV; break;
		case 'D': o->socket = optarg; break;
		case 'I': o->iface = optarg; break;
		case 'J': o->format = TRAFFIC_JSON; break;
		case 'M': o->merge = 1; break;
		case 'R':
			if (traffic_optnum(optarg, 0, 1e9, &o->dnskey_rate))
				goto bad;
			break;
		case 'S':
			if (traffic_optnum(optarg, 0, 1, &o->ds_share))
				goto bad;
			break;
		case 'T':
			if (traffic_optnum(optarg, 0, 1e9, &v) || v != (size_t)v)
				goto bad;
			o->top = (size_t)v;
			break;
		case 'W':
			if (traffic_optnum(optarg, 1, 86400, &v) ||
			    v != (unsigned)v)
				goto bad;
			o->seconds = (unsigned)v;
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
	if (optind >= argc && o->socket == NULL && o->iface == NULL) {
		snprintf(err, errlen, "traffic: no capture file given");
		return -1;
	}
	if (o->socket != NULL && o->iface != NULL) {
		snprintf(err, errlen, "traffic: --dnstap-socket and "
		    "--interface exclude each other");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "traffic: bad value for an option: %s", optarg);
	return -1;
}

int
traffic_read_any(struct traffic *t, const char *path, int merge, char *err,
    size_t errlen)
{
	if (is_traffic_counts_file(path))
		return traffic_read_counts(t, path, err, errlen);
	if (merge) {
		snprintf(err, errlen, "%s: --merge: not a counts file (made by"
		    " anchorwatch traffic --csv)", path);
		return -1;
	}
	if (is_dnstap_file(path))
		return dnstap_read_file(t, path, err, errlen);
	return capture_read_file(t, path, err, errlen);
}

/* Every input of the command into t: files, or the live source. */
static int
traffic_inputs(struct traffic *t, int argc, char *argv[],
    const struct traffic_opts *o, char *err, size_t errlen)
{
	if (o->socket != NULL || o->iface != NULL) {
		t->span_us = (int64_t)o->seconds * 1000000;
		return o->socket != NULL ? dnstap_listen(t, o->socket,
		    (int)o->seconds, err, errlen) : capture_live(t, o->iface,
		    o->seconds, err, errlen);
	}
	for (; optind < argc; optind++) {
		if (traffic_read_any(t, argv[optind], o->merge, err, errlen)
		    == -1)
			return -1;
		if (err[0] != '\0')
			log_warnx("%s", err);
	}
	return 0;
}

int
traffic_main(int argc, char *argv[], FILE *out, char *err, size_t errlen)
{
	struct traffic_opts o;
	struct traffic t, base;
	int flagged = -1;
	size_t i;

	if (traffic_options(argc, argv, &o, err, errlen) == -1)
		return -1;
	if (traffic_init(&t) == -1 || traffic_init(&base) == -1)
		fatalx("out of memory");
	err[0] = '\0';
	if (o.baseline != NULL) {
		if (traffic_read_any(&base, o.baseline, 0, err, errlen) == -1)
			goto done;
		if (err[0] != '\0')
			log_warnx("%s", err);
		o.base = &base;
	}
	if (traffic_inputs(&t, argc, argv, &o, err, errlen) == -1)
		goto done;
	err[0] = '\0';
	if (o.format == TRAFFIC_CSV)
		traffic_csv(&t, &o, out);
	else if (o.format == TRAFFIC_JSON)
		traffic_json(&t, &o, out);
	else
		traffic_print(&t, &o, out);
	flagged = 0;
	for (i = 0; i < t.cap; i++)
		if (t.tab[i].used && is_traffic_flagged(&t, &t.tab[i], &o))
			flagged = 1;
done:
	traffic_free(&t);
	traffic_free(&base);
	return flagged;
}
