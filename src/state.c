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
 * (one line per key: the indented lines above are one).  It is written
 * atomically (fileio_replace: not durable, see state_save) and read back
 * with the same parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "anchorwatch.h"

#define STATE_MAGIC "anchorwatch-history 1"
#define STATE_LINE_MAX 4096

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
	if (outlen < (size_t)(4 * ((k->keylen + 2) / 3) + 1)) {
		out[0] = '\0';
		return;
	}
	EVP_EncodeBlock((unsigned char *)out, k->key, k->keylen);
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
	if (fileio_load_text(path, &buf, &len, err, errlen) == -1)
		return -1;
	rc = state_parse(path, buf, len, h, err, errlen);
	free(buf);
	return rc;
}

int
state_save(const char *path, const struct history *h, char *err,
    size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

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
