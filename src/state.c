/*
 * state.c: the agent's own history of the root DNSKEY set.
 *
 * Each run that gets a SECURE answer records every key of the validated
 * set: when it was first and last seen, first and last seen signing the
 * set, and first seen with the REVOKE bit (RFC 5011 section 2.1).  From
 * that, for any date, follows what an RFC 5011 resolver that has been
 * running all along must trust: a key is trusted once the add hold-down
 * (section 2.4.1) has passed since it was first seen, until it is revoked
 * or, gone from the set, its remove hold-down has passed.
 *
 * The file is small, versioned and meant to be read by a person:
 *
 *	anchorwatch-history 1
 *	last-run 2026-11-28T10:00:00Z
 *	key 20326 8 first 2017-07-11T00:00:00Z last 2026-11-28T10:00:00Z
 *	    signing 2018-10-11T16:00:00Z 2026-10-11T16:00:00Z revoked -
 *	    AwEAAaz/...
 *
 * (one line per key: the indented lines above are one), then the
 * sightings of later runs, one line each:
 *
 *	seen 2026-11-28T11:00:00Z keys 20326 38696 signing 38696
 *
 * (the keys seen, by tag, and those seen signing, or "-").  A run that
 * only saw again what the file already knows appends such a line
 * (state_save); one that saw anything new (a key, a first signature, a
 * revocation), or finds STATE_SEEN_MAX of them, writes the file whole,
 * atomically (fileio_replace: not durable) with the sightings folded in.
 * Neither is synced to disk: a crash may lose the last run's sightings,
 * which the next run records again.  A last line without its newline is
 * an append cut short, left out (and the file written whole next).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nettle/base64.h>

#include "anchorwatch.h"

#define STATE_MAGIC "anchorwatch-history 1"
#define STATE_LINE_MAX 4096
#define STATE_SEEN_MAX 128	/* "seen" lines before a whole rewrite */

/* t as 2026-11-28T10:00:00Z, or "-" for 0. */
static void
state_time(long long t, char *buf, size_t len)
{
	if (t <= 0)
		snprintf(buf, len, "-");
	else
		date_format(t, DATE_ISO, buf, len);
}

/* Parse what state_time writes; -1 if malformed or before 2010. */
static int
state_parse_time(const char *s, long long *t)
{
	if (strcmp(s, "-") == 0) {
		*t = 0;
		return 0;
	}
	if (date_parse(s, strlen(s), 0, t) == -1 || *t < 1262304000LL)
		return -1;
	return 0;
}

/* The history entry for key k (same key, REVOKE bit aside), or NULL. */
static struct hist_key *
state_find(struct history *h, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (is_same_key(&h->keys[i].key, k))
			return &h->keys[i];
	return NULL;
}

void
state_update(struct history *h, const struct rootview *rv, long long now)
{
	const struct dnskey *k;
	struct hist_key *e;
	size_t i, j;
	int signs;

	if (!rv->is_secure)
		return;
	h->last_run = now;
	for (i = 0; i < rv->nkeys; i++) {
		k = &rv->keys[i];
		if (!(k->flags & DNSKEY_F_SEP))
			continue;	/* zone signing keys are not anchors */
		if ((e = state_find(h, k)) == NULL) {
			if (h->n == AW_HIST_MAX)
				continue;
			e = &h->keys[h->n++];
			memset(e, 0, sizeof(*e));
			e->key = *k;
			e->key.flags &= ~DNSKEY_F_REVOKE;
			e->first_seen = now;
		}
		/* First sightings are kept as first recorded: a clock that
		 * went back must not move them earlier and so shorten a
		 * hold-down (it may only delay one). */
		if (now > e->last_seen)
			e->last_seen = now;
		for (signs = 0, j = 0; j < rv->nsigners; j++)
			if (rv->signers[j] == k->tag &&
			    rv->signer_algs[j] == k->algorithm)
				signs = 1;
		if (signs && !(k->flags & DNSKEY_F_REVOKE)) {
			if (e->first_signing == 0)
				e->first_signing = now;
			if (now > e->last_signing)
				e->last_signing = now;
		}
		if ((k->flags & DNSKEY_F_REVOKE) && e->revoked_seen == 0)
			e->revoked_seen = now;
	}
}

/* Base64 of the key bytes into out. */
static void
state_b64(const struct dnskey *k, char *out, size_t outlen)
{
	if (outlen < BASE64_ENCODE_RAW_LENGTH((size_t)k->keylen) + 1) {
		out[0] = '\0';
		return;
	}
	base64_encode_raw(out, k->keylen, k->key);
	out[BASE64_ENCODE_RAW_LENGTH((size_t)k->keylen)] = '\0';
}

int
state_format(const struct history *h, char **buf, size_t *len)
{
	char first[32], last[32], fs[32], ls[32], rev[32], run[32];
	char b64[AW_KEY_MAX * 2];
	const struct hist_key *e;
	FILE *f;
	size_t i;

	if ((f = open_memstream(buf, len)) == NULL)
		fatalx("out of memory");
	state_time(h->last_run, run, sizeof(run));
	fprintf(f, "%s\n# the root DNSKEY set as this agent validated it; "
	    "written by anchorwatch, read by it\nlast-run %s\n", STATE_MAGIC,
	    run);
	for (i = 0; i < h->n; i++) {
		e = &h->keys[i];
		state_time(e->first_seen, first, sizeof(first));
		state_time(e->last_seen, last, sizeof(last));
		state_time(e->first_signing, fs, sizeof(fs));
		state_time(e->last_signing, ls, sizeof(ls));
		state_time(e->revoked_seen, rev, sizeof(rev));
		state_b64(&e->key, b64, sizeof(b64));
		fprintf(f, "key %u %u %u first %s last %s signing %s %s "
		    "revoked %s %s\n", e->key.tag, e->key.flags,
		    e->key.algorithm, first, last, fs, ls, rev, b64);
	}
	if (fclose(f) != 0)
		fatalx("out of memory");
	return 0;
}

/* One "key ..." line into e; -1 with why set. */
static int
state_parse_key(char *line, struct hist_key *e, char *why, size_t whylen)
{
	char *w[14], *save = NULL, *p;
	char text[AW_KEY_MAX * 2 + 64];
	struct anchor a;
	int n = 0;

	for (p = strtok_r(line, " ", &save); p != NULL && n < 14;
	    p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	if (n != 14 || p != NULL || strcmp(w[0], "key") != 0 ||
	    strcmp(w[4], "first") != 0 || strcmp(w[6], "last") != 0 ||
	    strcmp(w[8], "signing") != 0 || strcmp(w[11], "revoked") != 0) {
		snprintf(why, whylen, "malformed key line");
		return -1;
	}
	if ((size_t)snprintf(text, sizeof(text), ". IN DNSKEY %s 3 %s %s",
	    w[2], w[3], w[13]) >= sizeof(text) ||
	    keyset_parse_rr(text, &a, why, whylen) != 1)
		return -1;
	memset(e, 0, sizeof(*e));
	e->key = a.key;
	if (strtoul(w[1], NULL, 10) != e->key.tag) {
		snprintf(why, whylen, "key tag %s does not match the key (%u)",
		    w[1], e->key.tag);
		return -1;
	}
	if (state_parse_time(w[5], &e->first_seen) == -1 ||
	    state_parse_time(w[7], &e->last_seen) == -1 ||
	    state_parse_time(w[9], &e->first_signing) == -1 ||
	    state_parse_time(w[10], &e->last_signing) == -1 ||
	    state_parse_time(w[12], &e->revoked_seen) == -1 ||
	    e->first_seen == 0 || e->last_seen < e->first_seen) {
		snprintf(why, whylen, "malformed or inconsistent times");
		return -1;
	}
	return 0;
}

/* The key of h with tag s, or NULL with why set (none, or two). */
static struct hist_key *
state_by_tag(struct history *h, const char *s, char *why, size_t whylen)
{
	struct hist_key *e = NULL;
	unsigned long tag;
	char *end;
	size_t i;

	errno = 0;
	tag = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    tag > 65535) {
		snprintf(why, whylen, "malformed key tag \"%s\"", s);
		return NULL;
	}
	for (i = 0; i < h->n; i++) {
		if (h->keys[i].key.tag != tag)
			continue;
		if (e != NULL) {
			snprintf(why, whylen, "key tag %lu names two keys", tag);
			return NULL;
		}
		e = &h->keys[i];
	}
	if (e == NULL)
		snprintf(why, whylen, "key tag %lu names no key above", tag);
	return e;
}

/*
 * One "seen TIME keys TAG... signing TAG..." line applied to h, as
 * state_update would have recorded that run: the keys seen then, and
 * those seen signing (among them).  -1 with why set.
 */
static int
state_parse_seen(struct history *h, char *line, char *why, size_t whylen)
{
	char *w[2 * AW_HIST_MAX + 6], *save = NULL, *p;
	struct hist_key *e;
	long long t;
	size_t n = 0, i, sig;

	for (p = strtok_r(line, " ", &save); p != NULL && n < sizeof(w) /
	    sizeof(w[0]); p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	for (sig = 3; sig < n && strcmp(w[sig], "signing") != 0; sig++)
		;
	/* "-" stands alone for no key */
	if (p != NULL || n < 6 || strcmp(w[2], "keys") != 0 || sig == n ||
	    sig == 3 || sig + 1 == n) {
		snprintf(why, whylen, "malformed seen line");
		return -1;
	}
	if (state_parse_time(w[1], &t) == -1 || t == 0) {
		snprintf(why, whylen, "malformed time");
		return -1;
	}
	h->last_run = t;
	for (i = 3; i < n; i++) {
		if (i == sig)
			continue;
		if (strcmp(w[i], "-") == 0 && ((i == 3 && sig == 4) ||
		    (i == sig + 1 && n == sig + 2)))
			continue;
		if ((e = state_by_tag(h, w[i], why, whylen)) == NULL)
			return -1;
		if (i < sig) {
			if (t > e->last_seen)
				e->last_seen = t;
			continue;
		}
		if (e->last_seen < t) {
			snprintf(why, whylen, "key tag %s signing but not seen",
			    w[i]);
			return -1;
		}
		if (e->first_signing == 0)
			e->first_signing = t;
		if (t > e->last_signing)
			e->last_signing = t;
	}
	h->nseen++;
	return 0;
}

/* Parse one line of the file at line number ln. */
static int
state_parse_line(struct history *h, char *l, unsigned ln, char *why,
    size_t whylen)
{
	if (ln == 1)
		return strcmp(l, STATE_MAGIC) == 0 ? 0 :
		    (snprintf(why, whylen, "not an anchorwatch history "
		    "(version 1) file"), -1);
	if (l[0] == '#' || l[0] == '\0')
		return 0;
	if (strncmp(l, "last-run ", 9) == 0)
		return state_parse_time(l + 9, &h->last_run) == 0 ? 0 :
		    (snprintf(why, whylen, "malformed last-run"), -1);
	if (strncmp(l, "seen ", 5) == 0)
		return state_parse_seen(h, l, why, whylen);
	if (h->nseen > 0) {
		snprintf(why, whylen, "a key line after the seen lines");
		return -1;
	}
	if (h->n == AW_HIST_MAX) {
		snprintf(why, whylen, "more than %d keys", AW_HIST_MAX);
		return -1;
	}
	if (state_parse_key(l, &h->keys[h->n], why, whylen) == -1)
		return -1;
	h->n++;
	return 0;
}

int
state_parse(const char *path, char *buf, size_t len, struct history *h,
    char *err, size_t errlen)
{
	char why[AW_ERR_MAX], *l, *nl;
	unsigned ln = 0;

	memset(h, 0, sizeof(*h));
	h->size = len;
	/* Past the last newline: an append cut short (a crash may leave
	 * its bytes as zeros), never a line the agent wrote whole. */
	for (nl = buf + len; nl > buf && nl[-1] != '\n'; nl--)
		;
	if (nl > buf && nl < buf + len) {
		h->torn = 1;
		len = (size_t)(nl - buf);
	}
	if (fileio_no_nul(path, buf, len, err, errlen) == -1)
		return -1;
	for (l = buf; l < buf + len; l = nl + 1) {
		ln++;
		if ((nl = memchr(l, '\n', (size_t)(buf + len - l))) == NULL)
			nl = buf + len;
		*nl = '\0';
		if (nl - l > STATE_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line too long", path, ln);
			return -1;
		}
		if (state_parse_line(h, l, ln, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%u: %s", path, ln, why);
			return -1;
		}
	}
	if (ln == 0) {
		snprintf(err, errlen, "%s:1: empty history file", path);
		return -1;
	}
	return 0;
}

int
state_load(const char *path, struct history *h, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	memset(h, 0, sizeof(*h));
	if (access(path, F_OK) == -1)
		return 0;	/* the first run */
	if (fileio_load(path, AW_FILE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	rc = state_parse(path, buf, len, h, err, errlen);
	if (rc == 0 && h->torn)
		log_warnx("%s: its last line was cut (a run ended while "
		    "writing it): left out; the file is written whole next",
		    path);
	free(buf);
	return rc;
}

/* Append to line (len, off used) the tags of the keys whose last
 * sighting (signing: last signature) h moved from old, or " -"; *any
 * says whether there was one.  The new off (len or more: cut). */
static size_t
state_tags(char *line, size_t len, size_t off, const struct history *old,
    const struct history *h, int signing, int *any)
{
	size_t i;

	for (*any = 0, i = 0; i < h->n && off < len; i++)
		if (signing ? h->keys[i].last_signing !=
		    old->keys[i].last_signing : h->keys[i].last_seen !=
		    old->keys[i].last_seen) {
			off += (size_t)snprintf(line + off, len - off, " %u",
			    h->keys[i].key.tag);
			*any = 1;
		}
	if (!*any && off < len)
		off += (size_t)snprintf(line + off, len - off, " -");
	return off;
}

/*
 * The "seen" line that turns old into h, into line (len): 0, 1 when h is
 * old (nothing to write), or -1 when h holds more than this run's
 * sightings of keys old knows (or old is not a whole file to append to).
 * The line is checked by reading it back onto old, with the parser, and
 * comparing.
 */
static int
state_seen_line(const struct history *old, const struct history *h,
    char *line, size_t len)
{
	static struct history back;
	char when[32], why[AW_ERR_MAX], copy[STATE_LINE_MAX];
	const struct hist_key *a, *b;
	size_t i, j, off;
	int seen, signing;

	if (old->size == 0 || old->torn || old->nseen >= STATE_SEEN_MAX ||
	    old->n != h->n || h->n == 0 || h->last_run == 0)
		return -1;
	for (i = 0; i < h->n; i++) {
		a = &old->keys[i];
		b = &h->keys[i];
		if (!is_same_key(&a->key, &b->key) ||
		    a->key.tag != b->key.tag ||
		    a->first_seen != b->first_seen ||
		    a->first_signing != b->first_signing ||
		    a->revoked_seen != b->revoked_seen)
			return -1;
		for (j = 0; j < i; j++)
			if (h->keys[j].key.tag == b->key.tag)
				return -1;	/* a tag would name two */
	}
	state_time(h->last_run, when, sizeof(when));
	off = (size_t)snprintf(line, len, "seen %s keys", when);
	off = state_tags(line, len, off, old, h, 0, &seen);
	if (off < len)
		off += (size_t)snprintf(line + off, len - off, " signing");
	off = state_tags(line, len, off, old, h, 1, &signing);
	if (off < len)
		off += (size_t)snprintf(line + off, len - off, "\n");
	if (!seen && !signing && h->last_run == old->last_run)
		return 1;	/* nothing new: a run in the same second */
	if (off >= len || off >= sizeof(copy))
		return -1;
	memcpy(copy, line, off - 1);
	copy[off - 1] = '\0';
	back = *old;
	if (state_parse_seen(&back, copy, why, sizeof(why)) == -1 ||
	    back.last_run != h->last_run)
		return -1;
	for (i = 0; i < h->n; i++)
		if (back.keys[i].last_seen != h->keys[i].last_seen ||
		    back.keys[i].last_signing != h->keys[i].last_signing ||
		    back.keys[i].first_signing != h->keys[i].first_signing)
			return -1;
	return 0;
}

int
state_save(const char *path, const struct history *old,
    const struct history *h, char *err, size_t errlen)
{
	char line[STATE_LINE_MAX], *buf;
	size_t len;
	int rc;

	/* Only this run's sightings: one line at the end, without the
	 * new file, sync and rename that cost more than the query. */
	if (old != NULL && (rc = state_seen_line(old, h, line,
	    sizeof(line))) != -1 && (rc == 1 ||
	    fileio_append(path, line, strlen(line), old->size) == 0))
		return 0;
	state_format(h, &buf, &len);
	/* Not durable: a crash may bring back the history before this run,
	 * which the next run updates again. */
	rc = fileio_replace(path, buf, len, 0, err, errlen);
	free(buf);
	return rc;
}

int
is_compliant_trust(const struct hist_key *e, long long t,
    long long add_holddown, long long keep_missing)
{
	if (e->first_seen == 0 || t < e->first_seen + add_holddown)
		return 0;	/* still in its add hold-down */
	if (e->revoked_seen != 0 && t >= e->revoked_seen)
		return 0;	/* revoked: never trusted again */
	/* gone from the set: Missing, still trusted, until dropped */
	return t <= e->last_seen + keep_missing;
}
