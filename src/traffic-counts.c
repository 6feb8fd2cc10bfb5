/*
 * traffic-counts.c: the counts file of anchorwatch traffic (--csv), written
 * and read back.
 *
 * A counts file is a comment line with the totals and the span, a header,
 * a row per source, and a "#zone NAME DNSKEY DS" line per zone asked for
 * DNSKEY or DS.  --merge adds counts files up (the shards of one capture,
 * counted on many machines), each counter stopping at its largest value
 * (2^64-1, or 2^32-1 for the per-source kinds) rather than wrapping; a
 * --baseline may be a counts file too.  Read
 * back, every line is untrusted: numbers are range-checked, addresses
 * parsed with inet_pton, lines bounded, and a bad line is named by file and
 * line.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define COUNTS_MAGIC "#anchorwatch-traffic-counts "
#define COUNTS_VERSION 3        /* 1: without the TCP counters, old and
                                 * truncated; 2: without the tunnel,
                                 * fragment, cut frame and malformed EDNS
                                 * counters; both still read */
#define COUNTS_HEADER "source,queries,dnskey_root,dnskey_tld,dnskey_other," \
	"ds_tld,ds_other,signals,root_tags,dnskey_per_min,ds_share," \
	"validating,verdict"
#define COUNTS_ZONE "#zone "
#define COUNTS_LINE_MAX 1024

/* The words of the totals line, in order, each with the version that
 * brought it and where it is kept: a time (int64_t), the truncated flag
 * (written 0 or 1), or a counter (uint64_t, added up by a merge). */
enum counts_kind { KEY_TIME, KEY_FLAG, KEY_COUNT };
#define KEY(name, since, kind, field) \
	{ name, since, kind, offsetof(struct traffic, field) }
static const struct counts_key {
	const char *name;
	int since;
	enum counts_kind kind;
	size_t off;
} counts_keys[] = {
	KEY("first_us", 1, KEY_TIME, first_us),
	KEY("last_us", 1, KEY_TIME, last_us),
	KEY("span_us", 1, KEY_TIME, span_us),
	KEY("packets", 1, KEY_COUNT, packets),
	KEY("queries", 1, KEY_COUNT, queries),
	KEY("responses", 1, KEY_COUNT, responses),
	KEY("tcp_segments", 1, KEY_COUNT, tcp_segments),
	KEY("tcp_messages", 2, KEY_COUNT, tcp_messages),
	KEY("tcp_resyncs", 2, KEY_COUNT, tcp_resyncs),
	KEY("tcp_holes", 2, KEY_COUNT, tcp_holes),
	KEY("tcp_unparsed", 2, KEY_COUNT, tcp_unparsed),
	KEY("malformed", 1, KEY_COUNT, malformed),
	KEY("other", 1, KEY_COUNT, other),
	KEY("dropped", 1, KEY_COUNT, dropped),
	KEY("old", 2, KEY_COUNT, old),
	KEY("truncated", 2, KEY_FLAG, truncated),
	KEY("zones_unnamed", 1, KEY_COUNT, zones.unnamed),
	KEY("encapsulated", 3, KEY_COUNT, encapsulated),
	KEY("snapped", 3, KEY_COUNT, snapped),
	KEY("snapped_lost", 3, KEY_COUNT, snapped_lost),
	KEY("edns_malformed", 3, KEY_COUNT, edns_malformed),
	KEY("fragments", 3, KEY_COUNT, frag.fragments),
	KEY("reassembled", 3, KEY_COUNT, frag.reassembled),
	KEY("frag_overlaps", 3, KEY_COUNT, frag.overlaps),
	KEY("frag_expired", 3, KEY_COUNT, frag.expired),
	KEY("frag_evicted", 3, KEY_COUNT, frag.evicted),
};
#define COUNTS_NKEYS (sizeof(counts_keys) / sizeof(counts_keys[0]))
#define KEY_AT(t, i, type) ((type *)(void *)((char *)(t) + counts_keys[i].off))

/* The decimal of v at p; the end. */
static char *
counts_dec(char *p, uint64_t v)
{
	char d[20];
	size_t n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

/* ",", then v as %.Nf (the common 0 without printf); the end. */
static char *
counts_fixed(char *p, const char *end, double v, int prec)
{
	*p++ = ',';
	if (v == 0) {
		memcpy(p, "0.0000", (size_t)prec + 2);
		return p + prec + 2;
	}
	return p + snprintf(p, (size_t)(end - p), "%.*f", prec, v);
}

/* ",", then str (a word of ours, short); the end. */
static char *
counts_str(char *p, const char *end, const char *str)
{
	size_t n = strlen(str), room = (size_t)(end - p);

	if (room < 2)
		return p;		/* never: the row has room */
	if (n > room - 2)
		n = room - 2;
	*p++ = ',';
	memcpy(p, str, n);
	return p + n;
}

/* The row of s: what a fprintf of it wrote, by hand, as a capture of
 * millions of sources spent a quarter of its time in fprintf. */
static void
counts_out_row(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o, FILE *out)
{
	char row[512], *p = row, *end = row + sizeof(row);
	const uint32_t c[] = { s->dnskey_root, s->dnskey_tld, s->dnskey_other,
	    s->ds_tld, s->ds_other, s->signals };
	size_t i;

	traffic_source_name(s, p, INET6_ADDRSTRLEN);
	p += strlen(p);
	*p++ = ',';
	p = counts_dec(p, s->queries);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		*p++ = ',';
		p = counts_dec(p, c[i]);
	}
	*p++ = ',';
	if (s->ntags == 0)
		*p++ = '-';
	for (i = 0; i < s->ntags; i++) {
		if (i > 0)
			*p++ = ' ';
		p = counts_dec(p, s->tags[i]);
	}
	p = counts_fixed(p, end, traffic_dnskey_rate(t, s), 3);
	p = counts_fixed(p, end, traffic_ds_share(s), 4);
	p = counts_str(p, end, traffic_validating(s, o));
	p = counts_str(p, end, traffic_verdict(t, s, o));
	*p++ = '\n';
	fwrite(row, 1, (size_t)(p - row), out);
}

void
traffic_csv(struct traffic *t, const struct traffic_opts *o, FILE *out)
{
	struct traffic_src **v = traffic_sorted(t);
	char name[TRAFFIC_ZONE_NAME_MAX * 4 + 2];
	struct traffic_zone **z;
	size_t i;

	fprintf(out, COUNTS_MAGIC "%d", COUNTS_VERSION);
	for (i = 0; i < COUNTS_NKEYS; i++)
		if (counts_keys[i].kind == KEY_TIME)
			fprintf(out, " %s=%" PRId64, counts_keys[i].name,
			    *KEY_AT(t, i, int64_t));
		else if (counts_keys[i].kind == KEY_FLAG)
			fprintf(out, " %s=%d", counts_keys[i].name,
			    *KEY_AT(t, i, int) != 0);
		else
			fprintf(out, " %s=%" PRIu64, counts_keys[i].name,
			    *KEY_AT(t, i, uint64_t));
	fputc('\n', out);
	fprintf(out, "%s\n", COUNTS_HEADER);
	for (i = 0; i < t->n; i++)
		counts_out_row(t, v[i], o, out);
	free(v);
	z = traffic_zones_sorted(&t->zones);
	for (i = 0; i < t->zones.n; i++) {
		traffic_zone_text(z[i], name, sizeof(name));
		fprintf(out, COUNTS_ZONE "%s %" PRIu32 " %" PRIu32 "\n", name,
		    z[i]->dnskey, z[i]->ds);
	}
	free(z);
}

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

/* The counters and the flag read from a totals line, added to t. */
static void
counts_add(struct traffic *t, const uint64_t *v)
{
	size_t i;

	for (i = 0; i < COUNTS_NKEYS; i++)
		if (counts_keys[i].kind == KEY_COUNT)
			*KEY_AT(t, i, uint64_t) = traffic_add64(
			    *KEY_AT(t, i, uint64_t), v[i]);
		else if (counts_keys[i].kind == KEY_FLAG && v[i])
			*KEY_AT(t, i, int) = 1;
}

/* The totals line: "key=value" words after the magic and the version. */
static int
counts_totals(struct traffic *t, char *line)
{
	uint64_t v[COUNTS_NKEYS] = { 0 }, version;
	char *p = line + strlen(COUNTS_MAGIC);
	size_t i, kl;

	if (counts_num(&p, ' ', COUNTS_VERSION, &version) == -1 ||
	    version < 1 || p[-1] != ' ')
		return -1;
	p--;
	for (i = 0; i < COUNTS_NKEYS; i++) {
		if (counts_keys[i].since > (int)version)
			continue;
		kl = strlen(counts_keys[i].name);
		if (*p++ != ' ' || strncmp(p, counts_keys[i].name, kl) != 0 ||
		    p[kl] != '=')
			return -1;
		p += kl + 1;
		/* times are int64, counters uint64 (a merge saturates) */
		if (counts_num(&p, ' ', counts_keys[i].kind == KEY_TIME ?
		    INT64_MAX : counts_keys[i].kind == KEY_FLAG ? 1 :
		    UINT64_MAX, &v[i]) == -1)
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
	counts_add(t, v);
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
		t->dropped = traffic_add64(t->dropped, v[0]);
		return 0;
	}
	s->queries = traffic_add64(s->queries, v[0]);
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
	char buf[sizeof(COUNTS_MAGIC)], why[AW_ERR_MAX];
	FILE *fp;
	int is;

	if ((fp = fileio_fopen(path, why, sizeof(why))) == NULL)
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
	/* A regular file only: a FIFO would block in open(2) for ever. */
	if ((fp = fileio_fopen(path, err, errlen)) == NULL)
		return -1;
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
