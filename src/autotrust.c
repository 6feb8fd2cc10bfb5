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
 *    seconds).  A key without them is a seed, trusted as Valid, before
 *    any ;;id: line; after one, unbound ignores it.
 * Nothing here reads the clock: every time comes from the file.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "anchorwatch.h"

/* What reading one file collects besides the keys. */
struct at_read {
	struct source *s;
	struct autotrust_info *info;
	int seen;               /* which probe times were present */
};

/*
 * strtol(s, &end, 10) as unbound calls it on these files, without errno:
 * blanks and a sign first, saturated at LONG_MAX / LONG_MIN.  *digits is
 * 0 when there is no number at all.
 */
static long long
autotrust_strtol(const char *s, int *digits)
{
	unsigned long long v = 0, max = 9223372036854775807ULL;
	int neg;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	neg = *s == '-';
	s += *s == '-' || *s == '+';
	for (*digits = 0; *s >= '0' && *s <= '9'; s++, (*digits)++)
		if (v <= max)
			v = v > (max + 1 - (unsigned)(*s - '0')) / 10 ?
			    max + 1 : v * 10 + (unsigned)(*s - '0');
	if (v > max + (unsigned)neg)
		v = max + (unsigned)neg;
	return neg ? -(long long)(v - 1) - 1 : (long long)v;
}

/* atoi(s) as glibc has it: the long of strtol cut to an int. */
static int
autotrust_atoi(const char *s)
{
	int digits;

	return (int)(unsigned)(unsigned long long)autotrust_strtol(s,
	    &digits);
}

/*
 * The ;;state=N ;;count=N ;;lastchange=N trailer unbound writes after a
 * key, read as autotrust.c parse_comments does: no "state=" is a seed,
 * Valid; the state is the one digit after it, any other digit or
 * character an undefined state, taken as Start ("considered NewKey");
 * the count is an atoi cut to 8 bits, lastchange an atoi looked for after
 * the count.  Returns 0, or 1 when unbound drops the key (a "state=",
 * "count=" or "lastchange=" with nothing after it).
 */
static int
autotrust_trailer(const char *note, struct anchor *a)
{
	const char *p, *c;
	int v;

	a->count = 0;
	a->lastchange = 0;
	a->state = KS_VALID;
	if ((p = strstr(note, "state=")) == NULL)
		return 0;
	if (p[6] == '\0')
		return 1;
	a->state = p[6] >= '0' && p[6] <= '5' ? (enum ks_state)(p[6] - '0') :
	    KS_START;
	c = note;
	if ((p = strstr(note, "count=")) != NULL) {
		if (p[6] == '\0')
			return 1;
		a->count = (unsigned)(unsigned char)autotrust_atoi(p + 6);
		c = p + 6;
	}
	if ((p = strstr(c, "lastchange=")) != NULL) {
		if (p[11] == '\0')
			return 1;
		v = autotrust_atoi(p + 11);
		a->lastchange = v;
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
 * One ";;" line (the daemon's probe bookkeeping and markers), read as
 * autotrust.c parse_var_line does: the value is (unsigned)strtol, cut to
 * 8 bits for query_failed; a line with no number makes unbound refuse
 * the file (info->unparsable).  u->seen collects which probe times were
 * present.
 */
static void
autotrust_header(struct at_read *u, const struct zonefile_rec *z)
{
	static const char *names[] = { ";;last_queried: ", ";;last_success: ",
	    ";;next_probe_time: ", ";;retry_time: ", ";;query_failed: ",
	    ";;query_interval: " };
	char line[ZF_LINE_MAX + 1];
	struct source *s = u->s;
	unsigned v;
	size_t i;
	int digits;

	snprintf(line, sizeof(line), "%.*s", (int)z->rawlen, z->raw);
	autotrust_marker(u, line, z->line);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(line, names[i], strlen(names[i])) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return;         /* ;;id:, ;;REVOKED and comments */
	v = (unsigned)(unsigned long long)autotrust_strtol(line +
	    strlen(names[i]), &digits);
	if (digits == 0) {
		if (u->info->unparsable == 0)
			u->info->unparsable = z->line;
		return;
	}
	if (i == 0)
		s->last_queried = v;
	else if (i == 1)
		s->last_success = v;
	else if (i == 2)
		s->next_probe_time = v;
	else if (i == 3)
		s->retry_time = v;
	else if (i == 4)
		s->query_failed = v & 0xff;
	else
		s->query_interval = v;
	u->seen |= 1 << i;
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
	char scratch[AW_ERR_MAX];
	struct anchor a;
	int r;

	if (z->kind == ZF_COMMENT && z->rawlen >= 2 && z->raw[0] == ';' &&
	    z->raw[1] == ';') {
		autotrust_header(u, z);
		return 0;
	}
	if (z->kind == ZF_PAREN && u->info->paren_line == 0)
		u->info->paren_line = z->line;  /* read_multiline fails */
	if (z->kind != ZF_RECORD)
		return 0;       /* unbound skips $TTL and $INCLUDE lines */
	if (is_key_record(z->text)) {
		u->info->nkeys++;
		autotrust_zone(u->info, z->owner, z->line);
	}
	/* unbound logs a key it cannot load and reads on ("failed to load
	 * trust anchor ... skipping"): no anchor from it here either */
	if ((r = keyset_parse_rr(z->text, &a, scratch, sizeof(scratch))) <= 0)
		return 0;
	if (autotrust_trailer(z->comment, &a) == 1)
		return 0;
	/* after a ;;id: header every key needs its ;;state= (parse_comments:
	 * "trust anchor in state file has no ;;state= annotation, ignoring") */
	if (u->info->id_line != 0 && strstr(z->comment, "state=") == NULL)
		return 0;
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
	if (zonefile_parse_as(f, ZF_PAREN_REPORT, autotrust_item, &u, err,
	    errlen) == -1)
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

/* ---- the writer: a repaired autotrust file ------------------------------ */

/* unbound's five comment lines after ;;REVOKED (autr_write_contents). */
static const char *const autotrust_revoked_note[] = {
	";;REVOKED",
	"; The zone has all keys revoked, and is",
	"; considered as if it has no trust anchors.",
	"; the remainder of the file is the last probe.",
	"; to restart the trust anchor, overwrite this file.",
	"; with one containing valid DNSKEYs or DSes.",
};

/* What the writer's hooks need. */
struct at_write {
	const struct fix_trust *t;
	long long when;         /* ;;lastchange of the keys written */
};

/* The key of t->keys that anchor a designates, or NULL. */
static const struct dnskey *
autotrust_trusted(const struct fix_trust *t, const struct anchor *a)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (is_anchor_for(a, &t->keys[i]))
			return &t->keys[i];
	return NULL;
}

/*
 * The fate of a key of the file: a DS unbound always trusts, kept if t
 * keeps it; a revoked key goes (RFC 5011 2.1: never trusted again); a key
 * to trust stays if unbound trusts it (Valid, Missing: autr_assemble),
 * else it is written anew as Valid; a key t keeps in its hold-down stays
 * as it is; every other goes.
 */
static enum zf_fate
autotrust_fate(void *arg, const struct anchor *a)
{
	const struct at_write *aw = arg;

	if (a->is_ds)
		return is_fix_kept(aw->t, a) ? ZF_KEEP : ZF_DROP;
	if (a->state == KS_REVOKED || (a->key.flags & DNSKEY_F_REVOKE))
		return ZF_DROP;
	if (autotrust_trusted(aw->t, a) != NULL)
		return a->state == KS_VALID || a->state == KS_MISSING ?
		    ZF_KEEP : ZF_RENEW;
	return is_fix_kept(aw->t, a) ? ZF_KEEP : ZF_DROP;
}

/* Key size in bits as sldns prints it (sldns_rr_dnskey_key_size_raw). */
static unsigned
autotrust_key_bits(const struct dnskey *k)
{
	size_t exp, off, n;

	switch (k->algorithm) {
	case 1: case 5: case 7: case 8: case 10:
		if (k->keylen == 0)
			return 0;
		exp = k->key[0];
		off = 1;
		if (exp == 0) {
			if (k->keylen <= 3)
				return 0;
			exp = (size_t)k->key[1] << 8 | k->key[2];
			off = 3;
		}
		if (exp + off > k->keylen)
			return 0;
		for (n = k->keylen - exp - off; n > 0 &&
		    k->key[k->keylen - n] == 0; n--)
			;
		return (unsigned)n * 8;
	case 13: case 15:
		return 256;
	case 14:
		return 384;
	case 16:
		return 456;
	default:
		return 0;
	}
}

/*
 * The line unbound writes for a trusted key (autr_write_contents): the
 * record as sldns prints it, its ;{id...} comment, then ;;state=2 [  VALID
 * ] ;;count=0 ;;lastchange=WHEN and that date as ctime has it (UTC here:
 * the daemon uses its local time, and reads only the number).
 */
static int
autotrust_line(void *arg, const struct anchor *a, const char *prefix,
    char *buf, size_t len)
{
	const struct at_write *aw = arg;
	const struct dnskey *k = autotrust_trusted(aw->t, a);
	char rdata[ZF_LINE_MAX], date[64];
	struct tm tm;
	time_t when = (time_t)aw->when;
	int n;

	if (k == NULL || keyset_format_dnskey(k, rdata, sizeof(rdata)) == -1 ||
	    gmtime_r(&when, &tm) == NULL)
		return -1;
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	n = snprintf(buf, len, "%s%s ;{id = %u (%s), size = %ub} ;;state=%d "
	    "[  VALID  ] ;;count=0 ;;lastchange=%lld ;;%s", prefix, rdata,
	    (unsigned)k->tag, k->flags & DNSKEY_F_SEP ? "ksk" : "zsk",
	    autotrust_key_bits(k), (int)KS_VALID, aw->when, date);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The ;;REVOKED marker and unbound's note after it, as ranges of old
 * (only lines exactly as unbound writes them); how many into drop. */
static size_t
autotrust_revoked_lines(const char *old, size_t oldlen,
    struct zf_span *drop, size_t max)
{
	const char *l;
	size_t pos = 0, start, n, k = 0, nd = 0;
	const size_t nnote = sizeof(autotrust_revoked_note) /
	    sizeof(autotrust_revoked_note[0]);

	while (nd < max && (start = pos, fileio_nextline(old, oldlen, &pos, &l,
	    &n))) {
		if (n >= 2 && l[0] == ';' && l[1] == ';' && strncmp(l,
		    ";;REVOKED", 9) != 0)
			break;          /* ;;id: and the rest of the header */
		if (k == 0 && (n < 9 || strncmp(l, ";;REVOKED", 9) != 0))
			continue;
		if (k > 0 && (k == nnote || n != strlen(
		    autotrust_revoked_note[k]) || memcmp(l,
		    autotrust_revoked_note[k], n) != 0))
			break;
		drop[nd].off = start;
		drop[nd++].end = pos;
		k++;
	}
	return nd;
}

int
autotrust_rewrite(const char *path, const char *old, size_t oldlen,
    const struct source *s, const struct fix_trust *t, char **text,
    size_t *len, char *why, size_t whylen, char *err, size_t errlen)
{
	const struct dnskey *add[FIX_KEYS_MAX];
	struct zf_span drop[8];
	struct at_write aw = { t, s->last_success ? s->last_success :
	    s->last_queried };
	struct zf_rewrite w;
	size_t i, j, n;

	memset(&w, 0, sizeof(w));
	w.path = path;
	w.old = old;
	w.oldlen = oldlen;
	w.flags = ZF_PAREN_REPORT;
	w.s = s;
	w.t = t;
	w.fate = autotrust_fate;
	/* a seed file (no probe header): a key is a plain record, Valid */
	w.line = s->have_probe ? autotrust_line : NULL;
	w.arg = &aw;
	w.prefix = ".\t172800\tIN\tDNSKEY\t";
	for (i = 0, n = 0; i < t->nkeys; i++) {
		for (j = 0; j < s->nanchors; j++)
			if (autotrust_fate(&aw, &s->anchors[j]) != ZF_DROP &&
			    is_anchor_for(&s->anchors[j], &t->keys[i]))
				break;
		if (j == s->nanchors)
			add[n++] = &t->keys[i];
	}
	w.add = add;
	w.nadd = n;
	w.ndrop = autotrust_revoked_lines(old, oldlen, drop, 8);
	w.drop = drop;
	if (zonefile_rewrite(&w, err, errlen) == -1)
		return -1;
	*text = w.text;
	*len = w.len;
	snprintf(why, whylen, "%s%s%s", w.ndrop > 0 ? "clear ;;REVOKED" : "",
	    w.ndrop > 0 && w.why[0] ? ", " : "", w.why);
	return 0;
}
