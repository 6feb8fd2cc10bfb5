/*
 * autotrust.c: unbound's auto-trust-anchor-file, the RFC 5011 state file
 * the daemon rewrites (validator/autotrust.c autr_read_file and
 * autr_write_file of unbound 1.17), read on top of zonefile.c.
 *
 * The agent's own anchor file is this format too (libunbound writes it),
 * so main.c and query.c read it here as well as the unbound reader.  What
 * the file adds to zone file records:
 *  - ";;" header lines at the start of a line: ;;id: OWNER CLASS names the
 *    trust point; ;;last_queried: ;;last_success: ;;next_probe_time:
 *    ;;query_failed: ;;query_interval: ;;retry_time: are the probe
 *    bookkeeping (RFC 5011 section 2.3 timers); ;;REVOKED before ;;id:
 *    marks a zone whose keys were all revoked, which unbound then reads no
 *    further and treats as having no anchor;
 *  - after each key, ;;state=N (RFC 5011 section 4 states, numbered as
 *    enum ks_state) ;;count=N (AddPend sightings) ;;lastchange=N (epoch
 *    seconds).  A key without them is a seed, trusted as Valid.
 * Nothing here reads the clock: every time comes from the file.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anchorwatch.h"

#define AT_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */

/* What reading one file collects besides the keys. */
struct at_read {
	struct source *s;
	struct autotrust_info *info;
	int seen;               /* which probe times were present */
};

/*
 * Leading decimal number at s of at most max; *end is set past it.
 * Returns 0, or -1 if there is no digit or it is out of range.
 */
static int
autotrust_num(const char *s, const char **end, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long n = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if ((unsigned)(*p - '0') > max ||
		    n > (max - (unsigned)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (p == s)
		return -1;
	*end = p;
	*v = n;
	return 0;
}

/*
 * The ;;state=N ;;count=N ;;lastchange=N trailer unbound writes after a
 * key.  A key without one is a seed, which unbound trusts: Valid.
 */
static int
autotrust_trailer(const char *note, struct anchor *a, char *why,
    size_t whylen)
{
	unsigned long long v;
	const char *p, *end;

	a->count = 0;
	a->lastchange = 0;
	if ((p = strstr(note, ";;state=")) == NULL) {
		a->state = KS_VALID;
		return 0;
	}
	if (autotrust_num(p + 8, &end, KS_REMOVED, &v) == -1 ||
	    (*end != '\0' && *end != ' ' && *end != '\t' && *end != ';')) {
		snprintf(why, whylen, "bad ;;state= value");
		return -1;
	}
	a->state = (enum ks_state)v;
	if ((p = strstr(note, ";;count=")) != NULL) {
		if (autotrust_num(p + 8, &end, UINT_MAX, &v) == -1) {
			snprintf(why, whylen, "bad ;;count= value");
			return -1;
		}
		a->count = (unsigned)v;
	}
	if ((p = strstr(note, ";;lastchange=")) != NULL) {
		if (autotrust_num(p + 13, &end, AT_TIME_MAX, &v) == -1) {
			snprintf(why, whylen, "bad ;;lastchange= value");
			return -1;
		}
		a->lastchange = (long long)v;
	}
	return 0;
}

/* Value of a header line ";;name: N ;;human date" into *v. */
static int
autotrust_value(const char *l, const char *name, unsigned long long max,
    unsigned long long *v, char *why, size_t whylen)
{
	const char *p = l + strlen(name), *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (autotrust_num(p, &end, max, v) == -1) {
		snprintf(why, whylen, "bad %s value", name);
		return -1;
	}
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' && strncmp(end, ";;", 2) != 0) {
		snprintf(why, whylen, "extra text after %s value", name);
		return -1;
	}
	return 0;
}

/* ;;id: OWNER CLASS and ;;REVOKED: where they are, for the reader. */
static void
autotrust_marker(struct at_read *u, const char *line, unsigned lineno)
{
	struct autotrust_info *in = u->info;
	const char *p;
	size_t n;

	if (strncmp(line, ";;REVOKED", 9) == 0) {
		u->s->is_zone_revoked = 1;
		if (in->id_line == 0)
			in->revoked_first = 1;
		else if (in->revoked_late == 0)
			in->revoked_late = lineno;
		return;
	}
	if (strncmp(line, ";;id: ", 6) != 0 || in->id_line != 0)
		return;
	p = line + 6;
	n = strcspn(p, " ");
	in->id_line = lineno;
	snprintf(in->id_zone, sizeof(in->id_zone), "%.*s", (int)n, p);
	if (in->owner[0] == '\0')
		snprintf(in->owner, sizeof(in->owner), "%s", in->id_zone);
}

/*
 * A key of zone owner at line: unbound keeps one trust point per file, a
 * key of another zone than the first is "mismatching data".
 */
static void
autotrust_zone(struct autotrust_info *in, const char *owner, unsigned line)
{
	if (in->owner[0] == '\0')
		snprintf(in->owner, sizeof(in->owner), "%s", owner);
	else if (strcasecmp(in->owner, owner) != 0 && in->mixed_line == 0)
		in->mixed_line = line;
}

/*
 * One ";;" line (the daemon's probe bookkeeping and markers).  u->seen
 * collects which probe times were present.
 */
static int
autotrust_header(struct at_read *u, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	static const char *names[] = { ";;last_queried:", ";;last_success:",
	    ";;next_probe_time:", ";;retry_time:", ";;query_failed:",
	    ";;query_interval:" };
	char line[ZF_LINE_MAX + 1];
	struct source *s = u->s;
	unsigned long long v;
	size_t i;

	snprintf(line, sizeof(line), "%.*s", (int)z->rawlen, z->raw);
	autotrust_marker(u, line, z->line);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(line, names[i], strlen(names[i])) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return 0;       /* ;;id:, ;;REVOKED and comments */
	if (autotrust_value(line, names[i], i < 4 ? AT_TIME_MAX : UINT_MAX,
	    &v, why, whylen) == -1)
		return -1;
	if (i == 0)
		s->last_queried = (long long)v;
	else if (i == 1)
		s->last_success = (long long)v;
	else if (i == 2)
		s->next_probe_time = (long long)v;
	else if (i == 3)
		s->retry_time = (long long)v;
	else if (i == 4)
		s->query_failed = (unsigned)v;
	else
		s->query_interval = (unsigned)v;
	u->seen |= 1 << i;
	return 0;
}

/* 1 if record text (owner first) is a DS or DNSKEY of any owner. */
static int
is_key_record(const char *text)
{
	char w[16];
	const char *p = text;
	size_t n, k;

	for (k = 0; k < 4; k++) {
		p += strspn(p, " ");
		p += strcspn(p, " ");   /* owner, then TTL or class */
		p += strspn(p, " ");
		n = strcspn(p, " ");
		snprintf(w, sizeof(w), "%.*s", n < sizeof(w) ? (int)n : 0, p);
		if (strcasecmp(w, "DS") == 0 || strcasecmp(w, "DNSKEY") == 0)
			return 1;
	}
	return 0;
}

/* One item of the file: a ";;" header line or a key with its trailer. */
static int
autotrust_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct at_read *u = arg;
	struct anchor a;
	int r;

	if (z->kind == ZF_COMMENT && z->rawlen >= 2 && z->raw[0] == ';' &&
	    z->raw[1] == ';')
		return autotrust_header(u, z, why, whylen);
	if (z->kind != ZF_RECORD)
		return 0;       /* unbound skips $TTL and $INCLUDE lines */
	if (is_key_record(z->text)) {
		u->info->nkeys++;
		autotrust_zone(u->info, z->owner, z->line);
	}
	if ((r = keyset_parse_rr(z->text, &a, why, whylen)) <= 0)
		return r;
	if (autotrust_trailer(z->comment, &a, why, whylen) == -1)
		return -1;
	return zonefile_add(u->s, &a, z->line, why, whylen);
}

int
autotrust_parse(struct textfile *f, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen)
{
	struct autotrust_info scratch;
	struct at_read u;

	memset(&scratch, 0, sizeof(scratch));
	if (info == NULL)
		info = &scratch;
	memset(info, 0, sizeof(*info));
	u.s = s;
	u.info = info;
	u.seen = 0;
	s->kind = SRC_AUTO;
	if (zonefile_parse(f, autotrust_item, &u, err, errlen) == -1)
		return -1;
	if ((u.seen & 7) == 7)
		s->have_probe = 1;
	return 0;
}

int
autotrust_read(const char *path, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen)
{
	struct textfile f;
	int rv;

	if (zonefile_open(path, s, SRC_AUTO, &f, err, errlen) == -1)
		return -1;
	rv = autotrust_parse(&f, s, info, err, errlen);
	free(f.buf);
	return rv;
}
