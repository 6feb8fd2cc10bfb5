/*
 * replay.c: `anchorwatch replay SCENARIO`.
 *
 * A scenario is a YAML file: the root's key-signing keys by name, a dated
 * sequence of root DNSKEY sets (which keys are published, with which
 * flags, and which of them sign), and resolver profiles.  Replay plays
 * the sets through the RFC 5011 machine (rfc5011.c) of every profile,
 * stepping the clock from probe to probe (the active refresh of RFC 5011
 * section 2.3, one a day for the root's TTL) so that hold-downs run as
 * they would, and runs the same detectors as check (detect.c, events.c)
 * at every such moment.  Every RFC 5011 profile also probes when a step
 * changes the root: otherwise the phase of its probe timer, not the RFC,
 * would decide whether it is seen trusting a just-revoked key for a few
 * hours (detect.c has no grace for that).  It prints what changes, dated: a key's state,
 * a finding that appears or clears.
 *
 * Profiles (kind):
 *   rfc5011     (the default) follows RFC 5011 from its start, with its anchors Valid;
 *               offline_from/offline_days: it makes no probe in that
 *               window and resumes at its end;
 *   static      trusts its anchors, whatever the root does;
 *   unwritable  an RFC 5011 resolver whose state file cannot be written:
 *               what it learns is lost (unbound exits, a restart reads the
 *               old file again), so it trusts what the file held at its
 *               start for ever, and the file's last probe stays its start.
 *
 * The agent's own RFC 5011 state (rootview.agent, which says when a key
 * is past its hold-down) comes from a reference machine that starts with
 * the scenario, trusting the keys that sign its first set.
 *
 * The scenario file is untrusted input: size-capped, libyaml events
 * against a fixed schema (no aliases, anchors, tags, unknown or duplicate
 * keys), bounded counts, and "FILE:LINE: problem" errors.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yaml.h>

#include "anchorwatch.h"

#define SCN_KEYS_MAX 8
#define SCN_STEPS_MAX 64
#define SCN_PROFILES_MAX 16
#define SCN_DEPTH_MAX 5		/* top > steps > step > keys > key */
#define SCN_NAME_MAX 32
#define SCN_NOTE_MAX 160
#define SCN_SHOW_MAX 40
#define SCN_DAYS_MAX 3660

enum prof_kind { PK_RFC5011, PK_STATIC, PK_UNWRITABLE };

struct scn_key {
	char name[SCN_NAME_MAX];
	struct dnskey key;
	unsigned line;
};

/* One published key of a step: index into keys[], flags as published. */
struct scn_pub {
	size_t key;
	uint16_t flags;
};

struct scn_step {
	long long when;
	char note[SCN_NOTE_MAX];
	int assumed;
	struct scn_pub pub[AW_RRSET_MAX];
	size_t npub;
	size_t sign[AW_RRSET_MAX];	/* indexes into keys[] */
	size_t nsign;
	unsigned line;
};

struct scn_profile {
	char name[AW_NAME_MAX];
	enum prof_kind kind;
	char type[24];
	enum rfc5011_variant variant;
	int have_variant;
	long long start;
	size_t anchors[SCN_KEYS_MAX];
	size_t nanchors;
	long long off_from;
	unsigned off_days;
	unsigned line;
	/* the run */
	struct rfc5011_params par;
	struct source tp;
	int started;
	struct finding *last;	/* findings at the previous moment */
	size_t nlast;
};

struct scenario {
	const char *path;
	char name[SCN_NOTE_MAX];
	uint32_t ttl;
	long long end;
	struct scn_key keys[SCN_KEYS_MAX];
	size_t nkeys;
	struct scn_step steps[SCN_STEPS_MAX];
	size_t nsteps;
	struct scn_profile prof[SCN_PROFILES_MAX];
	size_t nprof;
};

/* ---- the scenario parser --------------------------------------------- */

struct scn_reader {
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned line;
	int depth;
	const char *buf;
	size_t len;
	struct scenario *s;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
scn_error(struct scn_reader *r, unsigned line, const char *fmt, ...)
{
	char msg[AW_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, r->errlen, "%s:%u: %s", r->s->path, line, msg);
	return -1;
}

/* Untrusted text for a message: printable ASCII, cut short. */
static const char *
scn_show(char *out, size_t outlen, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && i < SCN_SHOW_MAX && n + 4 < outlen; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len)
		n += (size_t)snprintf(out + n, outlen - n, "...");
	out[n] = '\0';
	return out;
}

static int
scn_yaml_error(struct scn_reader *r)
{
	yaml_parser_t *p = &r->parser;
	unsigned line = (unsigned)p->problem_mark.line + 1;
	size_t i;

	if (p->error == YAML_MEMORY_ERROR)
		fatalx("%s: out of memory", r->s->path);
	if (p->error == YAML_READER_ERROR)
		for (i = 0, line = 1; i < p->problem_offset && i < r->len; i++)
			if (r->buf[i] == '\n')
				line++;
	return scn_error(r, line, "%s", p->problem ? p->problem :
	    "YAML error");
}

/* Next event, screened: no aliases, anchors, tags, or deep nesting. */
static int
scn_next(struct scn_reader *r)
{
	yaml_event_t *e = &r->ev;
	const char *why;

	yaml_event_delete(e);
	if (!yaml_parser_parse(&r->parser, e))
		return scn_yaml_error(r);
	r->line = (unsigned)e->start_mark.line + 1;
	if ((why = config_screen_event(e, &r->depth)) != NULL)
		return scn_error(r, r->line, "%s", why);
	if (r->depth > SCN_DEPTH_MAX)
		return scn_error(r, r->line, "nested too deeply");
	return 0;
}

static int
scn_expect(struct scn_reader *r, yaml_event_type_t t, const char *what)
{
	if (scn_next(r) == -1)
		return -1;
	if (r->ev.type == t)
		return 0;
	if (r->ev.type == YAML_STREAM_END_EVENT)
		return scn_error(r, r->line, "the file is empty");
	return scn_error(r, r->line, "%s: expected %s", what,
	    t == YAML_SCALAR_EVENT ? "a scalar" :
	    t == YAML_SEQUENCE_START_EVENT ? "a sequence" :
	    t == YAML_MAPPING_START_EVENT ? "a mapping" : "the end");
}

/* The current scalar into buf (NUL-terminated, no NUL inside). */
static int
scn_copy(struct scn_reader *r, const char *what, char *buf, size_t buflen)
{
	const char *v = (const char *)r->ev.data.scalar.value;
	size_t len = r->ev.data.scalar.length;

	if (memchr(v, '\0', len) != NULL)
		return scn_error(r, r->line, "%s: NUL byte in value", what);
	if (len >= buflen)
		return scn_error(r, r->line, "%s: longer than %zu bytes", what,
		    buflen - 1);
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

static int
scn_string(struct scn_reader *r, const char *what, char *buf, size_t buflen)
{
	if (scn_expect(r, YAML_SCALAR_EVENT, what) == -1)
		return -1;
	return scn_copy(r, what, buf, buflen);
}

/* A plain decimal in [min, max]. */
static int
scn_number(struct scn_reader *r, const char *what, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char v[16], show[SCN_SHOW_MAX + 8];
	unsigned long n = 0;
	size_t i, len;

	if (scn_expect(r, YAML_SCALAR_EVENT, what) == -1)
		return -1;
	len = r->ev.data.scalar.length;
	scn_show(show, sizeof(show), (char *)r->ev.data.scalar.value, len);
	if (len == 0 || len >= sizeof(v) || (len > 1 &&
	    r->ev.data.scalar.value[0] == '0') ||
	    r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return scn_error(r, r->line, "%s: \"%s\" is not a number in "
		    "%lu..%lu", what, show, min, max);
	memcpy(v, r->ev.data.scalar.value, len);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)v[i]))
			return scn_error(r, r->line, "%s: \"%s\" is not a "
			    "number in %lu..%lu", what, show, min, max);
		n = n * 10 + (unsigned long)(v[i] - '0');
	}
	if (n < min || n > max)
		return scn_error(r, r->line, "%s: %s is out of range %lu..%lu",
		    what, show, min, max);
	*out = n;
	return 0;
}

/* true or false. */
static int
scn_bool(struct scn_reader *r, const char *what, int *out)
{
	char v[8];

	if (scn_string(r, what, v, sizeof(v)) == -1)
		return -1;
	if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return scn_error(r, r->line, "%s: expected true or false",
		    what);
	*out = v[0] == 't';
	return 0;
}

/* Digits s[0..n) into *v; -1 unless all digits. */
static int
scn_digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * A UTC date: YYYY-MM-DD, optionally followed by "T" or " " and HH:MM or
 * HH:MM:SS, optionally "Z".  0 with *out in epoch seconds, or -1.
 */
static int
scn_parse_time(const char *s, long long *out)
{
	struct tm tm;
	size_t len = strlen(s);
	int y, mo, d, h = 0, mi = 0, sec = 0;
	time_t t;

	if (len > 0 && s[len - 1] == 'Z')
		len--;
	if ((len != 10 && len != 16 && len != 19) || s[4] != '-' ||
	    s[7] != '-' || scn_digits(s, 4, &y) == -1 ||
	    scn_digits(s + 5, 2, &mo) == -1 || scn_digits(s + 8, 2, &d) == -1)
		return -1;
	if (len > 10 && ((s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
	    scn_digits(s + 11, 2, &h) == -1 ||
	    scn_digits(s + 14, 2, &mi) == -1))
		return -1;
	if (len == 19 && (s[16] != ':' || scn_digits(s + 17, 2, &sec) == -1))
		return -1;
	if (y < 2010 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	if (tm.tm_mday != d)		/* 2018-02-30 */
		return -1;
	*out = (long long)t;
	return 0;
}

/* A date value, not before the root was signed. */
static int
scn_time(struct scn_reader *r, const char *what, long long *out)
{
	char v[32], show[SCN_SHOW_MAX + 8];

	if (scn_string(r, what, v, sizeof(v)) == -1)
		return -1;
	if (scn_parse_time(v, out) == -1)
		return scn_error(r, r->line, "%s: \"%s\" is not a UTC date "
		    "(YYYY-MM-DD[THH:MM[:SS]][Z])", what,
		    scn_show(show, sizeof(show), v, strlen(v)));
	if (*out < RFC5011_CLOCK_MIN)
		return scn_error(r, r->line, "%s: %s is before the root was "
		    "signed (2010-07-15)", what, v);
	return 0;
}

/* A key name of keys: into *idx. */
static int
scn_keyref(struct scn_reader *r, const char *what, size_t *idx)
{
	char v[SCN_NAME_MAX + 8], show[SCN_SHOW_MAX + 8];
	size_t i;

	if (scn_copy(r, what, v, sizeof(v)) == -1)
		return -1;
	for (i = 0; i < r->s->nkeys; i++)
		if (strcmp(r->s->keys[i].name, v) == 0) {
			*idx = i;
			return 0;
		}
	return scn_error(r, r->line, "%s: no key \"%s\" in keys:", what,
	    scn_show(show, sizeof(show), v, strlen(v)));
}

/*
 * Read a mapping (start just consumed) key by key: fn(r, arg, key) reads
 * each value.  names lists the keys allowed (at most 16); duplicates and
 * unknown keys are errors.
 */
static int
scn_map(struct scn_reader *r, const char *where, const char *const *names,
    size_t nnames, int (*fn)(struct scn_reader *, void *, size_t), void *arg)
{
	char show[SCN_SHOW_MAX + 8];
	const char *k;
	unsigned seen = 0;
	size_t i, klen;

	for (;;) {
		if (scn_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return scn_error(r, r->line, "expected a key in %s",
			    where);
		k = (const char *)r->ev.data.scalar.value;
		klen = r->ev.data.scalar.length;
		for (i = 0; i < nnames; i++)
			if (strlen(names[i]) == klen &&
			    memcmp(names[i], k, klen) == 0)
				break;
		scn_show(show, sizeof(show), k, klen);
		if (i == nnames)
			return scn_error(r, r->line, "unknown key \"%s\" in %s",
			    show, where);
		if (seen & (1u << i))
			return scn_error(r, r->line, "duplicate key \"%s\" in "
			    "%s", show, where);
		seen |= 1u << i;
		if (fn(r, arg, i) == -1)
			return -1;
	}
}

/* keys: name: "DNSKEY record" */
static int
scn_keys(struct scn_reader *r)
{
	struct scenario *s = r->s;
	struct scn_key *k;
	struct anchor a;
	char text[2048], err[AW_ERR_MAX];
	size_t i;

	if (scn_expect(r, YAML_MAPPING_START_EVENT, "keys") == -1)
		return -1;
	for (;;) {
		if (scn_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return scn_error(r, r->line, "keys: expected a name");
		if (s->nkeys == SCN_KEYS_MAX)
			return scn_error(r, r->line, "keys: more than %d",
			    SCN_KEYS_MAX);
		k = &s->keys[s->nkeys];
		k->line = r->line;
		if (scn_copy(r, "keys: name", k->name, sizeof(k->name)) == -1)
			return -1;
		if (k->name[0] == '\0' || strspn(k->name, "abcdefghijklmnop"
		    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
		    strlen(k->name))
			return scn_error(r, r->line, "keys: a name is 1-31 of "
			    "A-Z a-z 0-9 _ -");
		for (i = 0; i < s->nkeys; i++)
			if (strcmp(s->keys[i].name, k->name) == 0)
				return scn_error(r, r->line, "keys: duplicate "
				    "name \"%s\"", k->name);
		if (scn_string(r, "keys", text, sizeof(text)) == -1)
			return -1;
		if (keyset_parse_rr(text, &a, err, sizeof(err)) != 1 ||
		    a.is_ds)
			return scn_error(r, r->line, "keys: %s: expected a "
			    "root DNSKEY record%s%s", k->name,
			    err[0] ? ": " : "", err[0] ? err : "");
		k->key = a.key;
		s->nkeys++;
	}
	if (s->nkeys == 0)
		return scn_error(r, r->line, "keys: no key");
	return 0;
}

/* The tag of key k published with flags. */
static uint16_t
scn_tag(const struct dnskey *k, uint16_t flags)
{
	struct dnskey c = *k;
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	c.flags = flags;
	len = keyset_dnskey_rdata(&c, rd, sizeof(rd));
	return len > 0 ? keyset_tag(rd, (size_t)len) : 0;
}

static const char *const scn_pubkey_names[] = { "key", "flags" };

static int
scn_pubkey_value(struct scn_reader *r, void *arg, size_t i)
{
	struct scn_pub *p = arg;
	unsigned long n;

	if (i == 0) {
		if (scn_expect(r, YAML_SCALAR_EVENT, "keys") == -1)
			return -1;
		return scn_keyref(r, "keys: key", &p->key);
	}
	if (scn_number(r, "keys: flags", 0, 65535, &n) == -1)
		return -1;
	p->flags = (uint16_t)n;
	return 0;
}

/* One item of a step's keys: a name, or {key: name, flags: N}. */
static int
scn_pubkey(struct scn_reader *r, struct scn_step *st)
{
	struct scn_pub *p;
	unsigned line = r->line;

	if (st->npub == AW_RRSET_MAX)
		return scn_error(r, line, "keys: more than %d", AW_RRSET_MAX);
	p = &st->pub[st->npub];
	p->key = SIZE_MAX;
	p->flags = 0;
	if (r->ev.type == YAML_SCALAR_EVENT) {
		if (scn_keyref(r, "keys", &p->key) == -1)
			return -1;
		p->flags = r->s->keys[p->key].key.flags;
	} else if (r->ev.type == YAML_MAPPING_START_EVENT) {
		if (scn_map(r, "a step's key", scn_pubkey_names, 2,
		    scn_pubkey_value, p) == -1)
			return -1;
		if (p->key == SIZE_MAX)
			return scn_error(r, line, "keys: an entry needs key:");
		if (p->flags == 0)
			p->flags = r->s->keys[p->key].key.flags;
	} else
		return scn_error(r, line, "keys: expected a name or a "
		    "mapping");
	st->npub++;
	return 0;
}

/* A sequence of key names into idx[], at most max. */
static int
scn_keylist(struct scn_reader *r, const char *what, size_t *idx, size_t max,
    size_t *n)
{
	if (scn_expect(r, YAML_SEQUENCE_START_EVENT, what) == -1)
		return -1;
	for (*n = 0;;) {
		if (scn_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return scn_error(r, r->line, "%s: expected a key name",
			    what);
		if (*n == max)
			return scn_error(r, r->line, "%s: more than %zu", what,
			    max);
		if (scn_keyref(r, what, &idx[*n]) == -1)
			return -1;
		(*n)++;
	}
}

static const char *const scn_step_names[] = {
	"date", "note", "assumed", "keys", "sign",
};

static int
scn_step_value(struct scn_reader *r, void *arg, size_t i)
{
	struct scn_step *st = arg;

	switch (i) {
	case 0:
		return scn_time(r, "date", &st->when);
	case 1:
		return scn_string(r, "note", st->note, sizeof(st->note));
	case 2:
		return scn_bool(r, "assumed", &st->assumed);
	case 3:
		if (scn_expect(r, YAML_SEQUENCE_START_EVENT, "keys") == -1)
			return -1;
		for (;;) {
			if (scn_next(r) == -1)
				return -1;
			if (r->ev.type == YAML_SEQUENCE_END_EVENT)
				return 0;
			if (scn_pubkey(r, st) == -1)
				return -1;
		}
	default:
		return scn_keylist(r, "sign", st->sign, AW_RRSET_MAX,
		    &st->nsign);
	}
}

/* Check a step just read: dated after the previous one, signers
 * published, a key published once. */
static int
scn_check_step(struct scn_reader *r, const struct scn_step *st)
{
	const struct scenario *s = r->s;
	size_t i, j;

	if (st->when == 0)
		return scn_error(r, st->line, "step has no date");
	if (s->nsteps > 0 && st->when <= s->steps[s->nsteps - 1].when)
		return scn_error(r, st->line, "step is not after the one "
		    "before");
	if (st->npub == 0 || st->nsign == 0)
		return scn_error(r, st->line, "step needs keys: and sign:");
	for (i = 0; i < st->npub; i++)
		for (j = i + 1; j < st->npub; j++)
			if (st->pub[i].key == st->pub[j].key)
				return scn_error(r, st->line, "key %s is "
				    "published twice",
				    s->keys[st->pub[i].key].name);
	for (i = 0; i < st->nsign; i++) {
		for (j = 0; j < st->npub && st->pub[j].key != st->sign[i]; j++)
			;
		if (j == st->npub)
			return scn_error(r, st->line, "key %s signs but is not "
			    "published", s->keys[st->sign[i]].name);
	}
	return 0;
}

static int
scn_steps(struct scn_reader *r)
{
	struct scenario *s = r->s;
	struct scn_step *st;

	if (scn_expect(r, YAML_SEQUENCE_START_EVENT, "steps") == -1)
		return -1;
	for (;;) {
		if (scn_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return scn_error(r, r->line, "steps: expected a "
			    "mapping");
		if (s->nsteps == SCN_STEPS_MAX)
			return scn_error(r, r->line, "steps: more than %d",
			    SCN_STEPS_MAX);
		st = &s->steps[s->nsteps];
		memset(st, 0, sizeof(*st));
		st->line = r->line;
		if (scn_map(r, "a step", scn_step_names, 5, scn_step_value,
		    st) == -1 || scn_check_step(r, st) == -1)
			return -1;
		s->nsteps++;
	}
	if (s->nsteps == 0)
		return scn_error(r, r->line, "steps: no step");
	return 0;
}

static const char *const scn_prof_names[] = {
	"name", "kind", "type", "variant", "start", "anchors",
	"offline_from", "offline_days",
};

static int
scn_prof_value(struct scn_reader *r, void *arg, size_t i)
{
	static const char *const kinds[] = { "rfc5011", "static",
	    "unwritable" };
	struct scn_profile *p = arg;
	char v[AW_NAME_MAX], show[SCN_SHOW_MAX + 8];
	unsigned long n;
	size_t k;

	switch (i) {
	case 0:
		if (scn_string(r, "name", p->name, sizeof(p->name)) == -1)
			return -1;
		if (p->name[0] == '\0' || strspn(p->name, "abcdefghijklmnop"
		    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
		    strlen(p->name))
			return scn_error(r, r->line, "name: 1-63 of A-Z a-z "
			    "0-9 . _ -");
		return 0;
	case 1:
		if (scn_string(r, "kind", v, sizeof(v)) == -1)
			return -1;
		for (k = 0; k < 3; k++)
			if (strcmp(v, kinds[k]) == 0) {
				p->kind = (enum prof_kind)k;
				return 0;
			}
		return scn_error(r, r->line, "kind: \"%s\" is not rfc5011, "
		    "static or unwritable", scn_show(show, sizeof(show), v,
		    strlen(v)));
	case 2:
		if (scn_string(r, "type", p->type, sizeof(p->type)) == -1)
			return -1;
		if (reader_find(p->type) == NULL)
			return scn_error(r, r->line, "type: unknown resolver "
			    "type \"%s\"", scn_show(show, sizeof(show),
			    p->type, strlen(p->type)));
		return 0;
	case 3:
		if (scn_string(r, "variant", v, sizeof(v)) == -1)
			return -1;
		if (rfc5011_variant_from_name(v, &p->variant) == -1)
			return scn_error(r, r->line, "variant: \"%s\" is not "
			    "rfc, unbound or knot", scn_show(show, sizeof(show),
			    v, strlen(v)));
		p->have_variant = 1;
		return 0;
	case 4:
		return scn_time(r, "start", &p->start);
	case 5:
		return scn_keylist(r, "anchors", p->anchors, SCN_KEYS_MAX,
		    &p->nanchors);
	case 6:
		return scn_time(r, "offline_from", &p->off_from);
	default:
		if (scn_number(r, "offline_days", 1, SCN_DAYS_MAX, &n) == -1)
			return -1;
		p->off_days = (unsigned)n;
		return 0;
	}
}

/* Defaults and checks of a profile just read. */
static int
scn_check_profile(struct scn_reader *r, struct scn_profile *p)
{
	size_t i;

	if (p->name[0] == '\0' || p->nanchors == 0)
		return scn_error(r, p->line, "profile needs name: and "
		    "anchors:");
	for (i = 0; i < r->s->nprof; i++)
		if (strcmp(r->s->prof[i].name, p->name) == 0)
			return scn_error(r, p->line, "duplicate profile name "
			    "\"%s\"", p->name);
	if ((p->off_from != 0) != (p->off_days != 0))
		return scn_error(r, p->line, "offline_from and offline_days "
		    "go together");
	if (p->off_from != 0 && p->kind != PK_RFC5011)
		return scn_error(r, p->line, "offline is for kind rfc5011");
	if (p->type[0] == '\0')
		snprintf(p->type, sizeof(p->type), "%s",
		    reader_default()->type);
	if (!p->have_variant)	/* the type was checked when it was read */
		p->variant = (enum rfc5011_variant)
		    reader_find(p->type)->variant;
	return 0;
}

static int
scn_profiles(struct scn_reader *r)
{
	struct scenario *s = r->s;
	struct scn_profile *p;

	if (scn_expect(r, YAML_SEQUENCE_START_EVENT, "profiles") == -1)
		return -1;
	for (;;) {
		if (scn_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return scn_error(r, r->line, "profiles: expected a "
			    "mapping");
		if (s->nprof == SCN_PROFILES_MAX)
			return scn_error(r, r->line, "profiles: more than %d",
			    SCN_PROFILES_MAX);
		p = &s->prof[s->nprof];
		memset(p, 0, sizeof(*p));
		p->line = r->line;
		if (scn_map(r, "a profile", scn_prof_names, 8,
		    scn_prof_value, p) == -1 || scn_check_profile(r, p) == -1)
			return -1;
		s->nprof++;
	}
	if (s->nprof == 0)
		return scn_error(r, r->line, "profiles: no profile");
	return 0;
}

static const char *const scn_top_names[] = {
	"name", "ttl", "end", "keys", "steps", "profiles",
};

static int
scn_top_value(struct scn_reader *r, void *arg, size_t i)
{
	struct scenario *s = r->s;
	unsigned long n;

	(void)arg;
	switch (i) {
	case 0:
		return scn_string(r, "name", s->name, sizeof(s->name));
	case 1:
		if (scn_number(r, "ttl", 1, 2147483647UL, &n) == -1)
			return -1;
		s->ttl = (uint32_t)n;
		return 0;
	case 2:
		return scn_time(r, "end", &s->end);
	case 3:
		return scn_keys(r);
	case 4:
		if (s->nkeys == 0)
			return scn_error(r, r->line, "steps: keys: must come "
			    "first");
		return scn_steps(r);
	default:
		if (s->nkeys == 0)
			return scn_error(r, r->line, "profiles: keys: must "
			    "come first");
		return scn_profiles(r);
	}
}

/* The stream: one document, a mapping with the top-level keys. */
static int
scn_stream(struct scn_reader *r)
{
	struct scenario *s = r->s;

	if (scn_expect(r, YAML_STREAM_START_EVENT, "file") == -1 ||
	    scn_expect(r, YAML_DOCUMENT_START_EVENT, "file") == -1 ||
	    scn_expect(r, YAML_MAPPING_START_EVENT, "top level") == -1 ||
	    scn_map(r, "top level", scn_top_names, 6, scn_top_value,
	    NULL) == -1 ||
	    scn_expect(r, YAML_DOCUMENT_END_EVENT, "file") == -1)
		return -1;
	if (scn_next(r) == -1)
		return -1;
	if (r->ev.type != YAML_STREAM_END_EVENT)
		return scn_error(r, r->line, "more than one document");
	if (s->nsteps == 0 || s->nprof == 0)
		return scn_error(r, r->line, "the scenario needs steps: and "
		    "profiles:");
	if (s->end == 0)
		s->end = s->steps[s->nsteps - 1].when;
	if (s->end < s->steps[s->nsteps - 1].when)
		return scn_error(r, r->line, "end: is before the last step");
	if (s->ttl == 0)
		s->ttl = 172800;
	return 0;
}

/* Load path into s; -1 with err. */
static int
scn_load(const char *path, struct scenario *s, char *err, size_t errlen)
{
	struct scn_reader r;
	char *buf = NULL;
	size_t len = 0;
	int rv;

	memset(&r, 0, sizeof(r));
	s->path = path;
	if (fileio_load_text(path, &buf, &len, err, errlen) == -1)
		return -1;
	r.buf = buf;
	r.len = len;
	r.s = s;
	r.err = err;
	r.errlen = errlen;
	if (!yaml_parser_initialize(&r.parser))
		fatalx("out of memory");
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf,
	    len);
	rv = scn_stream(&r);
	yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	free(buf);
	return rv;
}

/* ---- the replay ------------------------------------------------------- */

/* "2018-10-11 16:00" */
static void
replay_date(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* The root as step st publishes it (the agent's state comes later). */
static void
replay_rootview(const struct scenario *s, const struct scn_step *st,
    struct rootview *rv)
{
	struct dnskey *k;
	size_t i, j;

	memset(rv, 0, sizeof(*rv));
	rv->is_secure = 1;
	rv->ttl = s->ttl;
	for (i = 0; i < st->npub; i++) {
		k = &rv->keys[rv->nkeys++];
		*k = s->keys[st->pub[i].key].key;
		k->flags = st->pub[i].flags;
		k->tag = scn_tag(k, k->flags);
	}
	for (i = 0; i < st->nsign; i++) {
		for (j = 0; st->pub[j].key != st->sign[i]; j++)
			;
		rv->signers[rv->nsigners] = rv->keys[j].tag;
		rv->signer_algs[rv->nsigners++] = rv->keys[j].algorithm;
	}
}

/* The profile's anchors as anchor records. */
static size_t
replay_anchors(const struct scenario *s, const struct scn_profile *p,
    struct anchor *a)
{
	size_t i;

	for (i = 0; i < p->nanchors; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].key = s->keys[p->anchors[i]].key;
		a[i].state = KS_VALID;
	}
	return p->nanchors;
}

/* The keys that sign step st, unrevoked: the reference's anchors. */
static size_t
replay_first_anchors(const struct scenario *s, const struct scn_step *st,
    struct anchor *a)
{
	size_t i, j, n = 0;

	for (i = 0; i < st->nsign; i++) {
		for (j = 0; st->pub[j].key != st->sign[i]; j++)
			;
		if (st->pub[j].flags & DNSKEY_F_REVOKE)
			continue;
		memset(&a[n], 0, sizeof(a[n]));
		a[n].key = s->keys[st->sign[i]].key;
		a[n++].state = KS_VALID;
	}
	return n;
}

static void
replay_print_changes(FILE *out, long long t, const char *who,
    const struct rfc5011_result *res)
{
	char date[32];
	size_t i;

	replay_date(t, date, sizeof(date));
	for (i = 0; i < res->n; i++)
		fprintf(out, "%s  %-15s key %u %s -> %s (%s)\n", date, who,
		    res->c[i].tag, keyset_state_name(res->c[i].from),
		    keyset_state_name(res->c[i].to),
		    rfc5011_event_name(res->c[i].event));
}

/* 1 if p is offline at t. */
static int
is_offline(const struct scn_profile *p, long long t)
{
	return p->off_days > 0 && t >= p->off_from &&
	    t < p->off_from + (long long)p->off_days * 86400;
}

/* Start profile p at t: its anchors, its first probe. */
static void
replay_start(const struct scenario *s, struct scn_profile *p, long long t)
{
	struct anchor a[SCN_KEYS_MAX];
	size_t i, n;

	n = replay_anchors(s, p, a);
	rfc5011_defaults(&p->par, p->variant);
	(void)rfc5011_init(&p->tp, a, n, t);	/* n <= SCN_KEYS_MAX */
	p->tp.last_success = t;
	p->tp.next_probe_time = t;
	if (p->kind == PK_STATIC) {
		p->tp.kind = SRC_FILE;
		p->tp.is_stateful = 0;
		p->tp.have_probe = 0;
		for (i = 0; i < p->tp.nanchors; i++)
			p->tp.anchors[i].state = KS_STATIC;
	}
	p->started = 1;
}

/* One probe of p at t, if it is due or the root just changed (step);
 * prints the key changes. */
static void
replay_probe(FILE *out, struct scn_profile *p, const struct rootview *rv,
    long long t, int step)
{
	struct rfc5011_result res;
	struct rfc5011_obs obs;

	if (p->kind != PK_RFC5011 || (!step && t < p->tp.next_probe_time))
		return;
	if (is_offline(p, t)) {
		p->tp.next_probe_time = p->off_from +
		    (long long)p->off_days * 86400;
		return;
	}
	rfc5011_obs_from_rootview(&obs, rv);
	if (rfc5011_probe(&p->tp, &p->par, &obs, t, &res) == -1) {
		p->tp.next_probe_time = t + 86400;	/* full: try later */
		return;
	}
	replay_print_changes(out, t, p->name, &res);
}

/* Same finding: code and tags, and severity if sev (messages carry
 * ages, which change at every moment). */
static int
is_same_finding(const struct finding *a, const struct finding *b, int sev)
{
	return a->code == b->code && (!sev || a->sev == b->sev) &&
	    a->ntags == b->ntags &&
	    memcmp(a->tags, b->tags, a->ntags * sizeof(a->tags[0])) == 0;
}

static int
is_in(const struct finding *f, const struct finding *list, size_t n,
    int sev)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_same_finding(f, &list[i], sev))
			return 1;
	return 0;
}

/* The findings for p at t, as detect and events make them. */
static void
replay_findings(const struct scenario *s, struct scn_profile *p,
    const struct rootview *rv, const struct calendar *cal,
    const struct config *c, long long t, struct report *rep)
{
	const struct reader *rd = reader_find(p->type);
	struct resolver r;
	struct report all;
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(&all, 0, sizeof(all));
	snprintf(r.name, sizeof(r.name), "%s", p->name);
	snprintf(r.type, sizeof(r.type), "%s", p->type);
	r.rfc5011 = rd != NULL ? rd->rfc5011 : 1;
	snprintf(p->tp.path, sizeof(p->tp.path), "%s/root.key", p->name);
	r.sources = &p->tp;
	r.nsources = 1;
	detect_resolver(&all, rv, &r, c, (time_t)t);
	events_detect(&all, cal, &r, 1, c, t);
	/* The file system check of detect is about this host, not about the
	 * profile: the profile's kind says whether it can write. */
	for (i = 0; i < all.n; i++)
		if (all.f[i].code != F_ANCHOR_NOT_WRITABLE)
			detect_add(rep, all.f[i].code, all.f[i].sev,
			    all.f[i].resolver, all.f[i].tags, all.f[i].ntags,
			    "%s", all.f[i].message);
	if (p->kind == PK_UNWRITABLE)
		detect_add(rep, F_ANCHOR_NOT_WRITABLE, SEV_CRITICAL, p->name,
		    NULL, 0, "RFC 5011 anchor %s cannot be updated (the "
		    "profile's file is not writable): %s", p->tp.path,
		    rd != NULL && rd->advice_unwritable != NULL ?
		    rd->advice_unwritable : "the resolver cannot follow a roll");
	report_free(&all);
	(void)s;
}

/* The worse of a and b, by detect's order. */
static enum severity
replay_worse(enum severity a, enum severity b)
{
	struct finding f[2];
	struct report two = { f, 2, 2 };

	memset(f, 0, sizeof(f));
	f[0].sev = a;
	f[1].sev = b;
	return detect_worst(&two);
}

/* Print what changed in p's findings since the last moment; keep these. */
static void
replay_diff(FILE *out, struct scn_profile *p, struct report *now,
    long long t, enum severity *worst)
{
	char date[32], tags[64];
	size_t i;

	replay_date(t, date, sizeof(date));
	for (i = 0; i < p->nlast; i++)
		if (!is_in(&p->last[i], now->f, now->n, 0)) {
			output_tags(&p->last[i], tags, sizeof(tags));
			fprintf(out, "%s  %-15s cleared  %s keytag=%s\n", date,
			    p->name, detect_code_name(p->last[i].code), tags);
		}
	for (i = 0; i < now->n; i++) {
		if (is_in(&now->f[i], p->last, p->nlast, 1))
			continue;
		output_tags(&now->f[i], tags, sizeof(tags));
		fprintf(out, "%s  %-15s %-8s %s keytag=%s: %s\n", date,
		    p->name, detect_sev_name(now->f[i].sev),
		    detect_code_name(now->f[i].code), tags,
		    now->f[i].message);
		if (worst != NULL)
			*worst = replay_worse(*worst, now->f[i].sev);
	}
	free(p->last);
	p->last = now->f;
	p->nlast = now->n;
	memset(now, 0, sizeof(*now));
}

/* The unrevoked signers of st: what a resolver needs then. */
static void
replay_requires(const struct scenario *s, const struct scn_step *st,
    uint16_t *tags, size_t *n)
{
	size_t j, k;

	*n = 0;
	for (j = 0; j < st->nsign && *n < EV_TAGS_MAX; j++) {
		for (k = 0; st->pub[k].key != st->sign[j]; k++)
			;
		if (!(st->pub[k].flags & DNSKEY_F_REVOKE))
			tags[(*n)++] = s->keys[st->sign[j]].key.tag;
	}
}

/* 1 if b publishes with the REVOKE bit a key a published without. */
static int
is_revoking(const struct scn_step *a, const struct scn_step *b)
{
	size_t j, k;

	for (j = 0; j < b->npub; j++)
		for (k = 0; k < a->npub; k++)
			if (b->pub[j].key == a->pub[k].key &&
			    (b->pub[j].flags & DNSKEY_F_REVOKE) &&
			    !(a->pub[k].flags & DNSKEY_F_REVOKE))
				return 1;
	return 0;
}

/* The scenario's own calendar: every change of the root between steps,
 * each needing the keys that sign after it. */
static void
replay_calendar(const struct scenario *s, struct calendar *cal)
{
	const struct scn_step *a, *b;
	struct event *e;
	size_t i;

	memset(cal, 0, sizeof(*cal));
	snprintf(cal->path, sizeof(cal->path), "%s", s->path);
	for (i = 1; i < s->nsteps && cal->n < EV_MAX; i++) {
		a = &s->steps[i - 1];
		b = &s->steps[i];
		e = &cal->ev[cal->n];
		memset(e, 0, sizeof(*e));
		e->when = b->when;
		e->origin = EVO_CALENDAR;
		e->assumed = b->assumed;
		e->line = b->line;
		snprintf(e->name, sizeof(e->name), "%s", b->note[0] ? b->note :
		    "root DNSKEY change");
		replay_requires(s, b, e->requires, &e->nrequires);
		replay_requires(s, a, e->keys, &e->nkeys);
		e->kind = EV_OTHER;
		if (e->nkeys != e->nrequires || memcmp(e->keys, e->requires,
		    e->nkeys * sizeof(e->keys[0])) != 0)
			e->kind = EV_ROLL;
		else if (is_revoking(a, b))
			e->kind = EV_REVOKE;
		else if (b->npub < a->npub)
			e->kind = EV_REMOVE;
		else if (b->npub > a->npub)
			e->kind = EV_PUBLISH;
		memcpy(e->keys, e->requires, sizeof(e->keys));
		e->nkeys = e->nrequires;
		if (e->kind == EV_PUBLISH)
			e->nrequires = 0;	/* publishing breaks nothing */
		cal->n++;
	}
}

/* The next moment after t: a step, a probe, a start, or the end. */
static long long
replay_next(const struct scenario *s, const struct source *ref, long long t,
    size_t si)
{
	const struct scn_profile *p;
	long long n = s->end;
	size_t i;

	if (si + 1 < s->nsteps && s->steps[si + 1].when < n)
		n = s->steps[si + 1].when;
	if (ref->next_probe_time > t && ref->next_probe_time < n)
		n = ref->next_probe_time;
	for (i = 0; i < s->nprof; i++) {
		p = &s->prof[i];
		if (!p->started && p->start > t && p->start < n)
			n = p->start;
		if (p->started && p->kind == PK_RFC5011 &&
		    p->tp.next_probe_time > t && p->tp.next_probe_time < n)
			n = p->tp.next_probe_time;
	}
	return n > t ? n : t + 1;
}

/* The header: what is replayed, and who. */
static void
replay_header(FILE *out, const struct scenario *s)
{
	const struct scn_profile *p;
	char d1[32], d2[32];
	size_t i, j;

	replay_date(s->steps[0].when, d1, sizeof(d1));
	replay_date(s->end, d2, sizeof(d2));
	fprintf(out, "# replay %s: %s .. %s\n", s->name[0] ? s->name :
	    s->path, d1, d2);
	for (i = 0; i < s->nprof; i++) {
		p = &s->prof[i];
		replay_date(p->start, d1, sizeof(d1));
		fprintf(out, "# profile %s: %s%s%s, %s, from %s, anchors", p->name,
		    p->kind == PK_STATIC ? "static" : p->kind == PK_UNWRITABLE ?
		    "unwritable RFC 5011 " : "RFC 5011 ",
		    p->kind == PK_STATIC ? "" : rfc5011_variant_name(p->variant),
		    p->kind == PK_STATIC ? "" : " rules", p->type, d1);
		for (j = 0; j < p->nanchors; j++)
			fprintf(out, " %s", s->keys[p->anchors[j]].name);
		if (p->off_days > 0) {
			replay_date(p->off_from, d1, sizeof(d1));
			fprintf(out, ", offline %u days from %s", p->off_days,
			    d1);
		}
		fprintf(out, "\n");
	}
}

/* A step's line: the root set, signers, note. */
static void
replay_step_line(FILE *out, const struct scenario *s,
    const struct rootview *rv, const struct scn_step *st)
{
	char date[32];
	size_t i;

	replay_date(st->when, date, sizeof(date));
	fprintf(out, "%s  %-15s keys", date, "root");
	for (i = 0; i < rv->nkeys; i++)
		fprintf(out, " %u%s", rv->keys[i].tag,
		    rv->keys[i].flags & DNSKEY_F_REVOKE ? "(revoked)" : "");
	fprintf(out, ", signed by");
	for (i = 0; i < rv->nsigners; i++)
		fprintf(out, " %u", rv->signers[i]);
	fprintf(out, "%s%s%s\n", st->note[0] ? ": " : "", st->note,
	    st->assumed ? " (assumed date)" : "");
	(void)s;
}

/* The reference machine: the agent's own RFC 5011 state. */
static void
replay_reference(struct source *ref, const struct rfc5011_params *par,
    const struct rootview *rv, long long t, int step)
{
	struct rfc5011_obs obs;

	if (!step && t < ref->next_probe_time)
		return;
	rfc5011_obs_from_rootview(&obs, rv);
	if (rfc5011_probe(ref, par, &obs, t, NULL) == -1)
		ref->next_probe_time = t + 86400;
}

/* Play s to out; returns the worst severity seen. */
static enum severity
replay_play(struct scenario *s, FILE *out)
{
	static struct rootview rv;
	static struct source ref;
	static struct config cfg;
	static struct calendar cal;
	struct rfc5011_params rpar;
	struct anchor a[AW_RRSET_MAX];
	enum severity worst = SEV_OK;
	struct report rep;
	long long t = s->steps[0].when;
	size_t si = 0, i;

	config_defaults(&cfg);
	replay_calendar(s, &cal);
	/* libunbound's rules: the strictest, so a compliant resolver is
	 * never held to a key before an unbound would trust it. */
	rfc5011_defaults(&rpar, RFC5011_UNBOUND);
	(void)rfc5011_init(&ref, a, replay_first_anchors(s, &s->steps[0], a),
	    t);
	for (i = 0; i < s->nprof; i++)
		if (s->prof[i].start < t)
			s->prof[i].start = t;
	replay_header(out, s);
	for (;;) {
		while (si + 1 < s->nsteps && s->steps[si + 1].when <= t)
			si++;
		replay_rootview(s, &s->steps[si], &rv);
		if (s->steps[si].when == t)
			replay_step_line(out, s, &rv, &s->steps[si]);
		replay_reference(&ref, &rpar, &rv, t, s->steps[si].when == t);
		rv.agent = ref;
		rv.have_agent = 1;
		for (i = 0; i < s->nprof; i++) {
			if (!s->prof[i].started && s->prof[i].start <= t)
				replay_start(s, &s->prof[i], t);
			if (s->prof[i].started)
				replay_probe(out, &s->prof[i], &rv, t,
				    s->steps[si].when == t);
		}
		for (i = 0; i < s->nprof; i++) {
			if (!s->prof[i].started)
				continue;
			memset(&rep, 0, sizeof(rep));
			replay_findings(s, &s->prof[i], &rv, &cal, &cfg, t,
			    &rep);
			replay_diff(out, &s->prof[i], &rep, t, &worst);
		}
		if (t >= s->end)
			break;
		t = replay_next(s, &ref, t, si);
	}
	return worst;
}

int
replay_run(const char *path, FILE *out, char *err, size_t errlen)
{
	struct scenario *s;
	enum severity worst;
	size_t i;

	s = xcalloc(1, sizeof(*s));
	if (scn_load(path, s, err, errlen) == -1) {
		free(s);
		return -1;
	}
	worst = replay_play(s, out);
	for (i = 0; i < s->nprof; i++)
		free(s->prof[i].last);
	free(s);
	return (int)worst;
}
