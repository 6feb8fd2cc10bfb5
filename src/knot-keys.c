/*
 * knot-keys.c: Knot Resolver's key files: root.keys, the file kresd
 * rewrites for an RFC 5011 managed keyset, and plain DS/DNSKEY files.
 *
 * The records are zone file syntax (zonefile.c).  In root.keys each is
 * followed by " ; <State>:<timer> ; KeyTag:<tag>"; keys kresd must not
 * trust (AddPend, Revoked, Removed, Start) are written commented out with
 * "; " in front.  A record without a state is Valid.  The timer of an
 * AddPend or Revoked key is the end of its hold-down (ta_update.lua's
 * hold_down_time, 30 days), so the key's first sighting is the timer less
 * the hold-down, whatever the clock says.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define KN_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */
#define KN_HOLDDOWN (30LL * 86400) /* ta_update.lua hold_down_time */

/*
 * The state of a kresd key comment " <State>:<timer> ; KeyTag:N".
 * Returns 1 with *st and *timer (0 if none) set, 0 if the comment names
 * no state kresd knows (kresd then keeps its default), -1 (why) on an out
 * of range timer.
 */
static int
knot_keys_state(const char *c, enum ks_state *st, long long *timer, char *why,
    size_t whylen)
{
	static const struct {
		const char *word;
		enum ks_state st;
	} states[] = { { "Start", KS_START }, { "AddPend", KS_ADDPEND },
	    { "Valid", KS_VALID }, { "Missing", KS_MISSING },
	    { "Revoked", KS_REVOKED }, { "Removed", KS_REMOVED } };
	unsigned long long v = 0;
	size_t i, n = 0;

	while (*c == ' ' || *c == '\t')
		c++;
	while (isalpha((unsigned char)c[n]))
		n++;
	if (n == 0 || c[n] != ':')
		return 0;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strlen(states[i].word) == n &&
		    strncmp(c, states[i].word, n) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0]))
		return 0;
	for (c += n + 1; isdigit((unsigned char)*c); c++) {
		if (v > (KN_TIME_MAX - (unsigned)(*c - '0')) / 10) {
			snprintf(why, whylen, "%s timer out of range",
			    states[i].word);
			return -1;
		}
		v = v * 10 + (unsigned)(*c - '0');
	}
	*st = states[i].st;
	*timer = (long long)v;
	return 1;
}

/*
 * Give a the state a kresd comment names.  kresd's timer is when the
 * state ends (ta_update.lua: AddPend and Revoked at their sighting plus
 * hold_down_time, Missing plus four times it), so the sighting, which
 * events.c counts the add hold-down from, is the timer less the
 * hold-down.  Returns 1 if the comment named a state, 0, or -1 (why).
 */
static int
knot_keys_anchor_state(struct anchor *a, const char *comment, char *why,
    size_t whylen)
{
	long long timer = 0;
	enum ks_state st;
	int r;

	if (comment[0] == ';')
		comment++;
	if ((r = knot_keys_state(comment, &st, &timer, why, whylen)) != 1)
		return r;
	a->state = st;
	a->lastchange = 0;
	if (timer > KN_HOLDDOWN && (st == KS_ADDPEND || st == KS_REVOKED))
		a->lastchange = timer - KN_HOLDDOWN;
	else if (timer > 4 * KN_HOLDDOWN && st == KS_MISSING)
		a->lastchange = timer - 4 * KN_HOLDDOWN;
	return 1;
}

/* Add anchor a (line) to s; -1 (why) when s is full. */
int
knot_keys_add(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen)
{
	return zonefile_add(s, a, line, why, whylen);
}

/* What reading a key file collects. */
struct kn_keys {
	struct source *s;
	size_t nother;               /* records that are not root anchors */
};

/*
 * The rest of a "; " line of root.keys (l, n) as a record: kresd loads it
 * if it parses as a root record with a state it knows, and ignores it as
 * a comment otherwise.  1 with *a filled, 0 for a comment, -1 (why).
 */
static int
knot_keys_commented_rr(const char *l, size_t n, struct anchor *a, char *why,
    size_t whylen)
{
	char text[ZF_LINE_MAX + 1], scratch[AW_ERR_MAX], *semi;

	snprintf(text, sizeof(text), "%.*s", (int)n, l);
	if ((semi = strchr(text, ';')) == NULL)
		return 0;
	*semi = '\0';
	if (keyset_parse_rr(text, a, scratch, sizeof(scratch)) != 1)
		return 0;
	return knot_keys_anchor_state(a, semi + 1, why, whylen);
}

/* $TTL n and $ORIGIN . are accepted; other directives are refused. */
static int
knot_keys_directive(const char *t, char *why, size_t whylen)
{
	char dir[16] = "", arg[32] = "", more[8] = "";
	unsigned long long v = 0;
	const char *p;

	if (sscanf(t, "%15s %31s %7s", dir, arg, more) < 1 || more[0] != '\0')
		goto bad;
	if (strcasecmp(dir, "$ORIGIN") == 0 && strcmp(arg, ".") == 0)
		return 0;
	if (strcasecmp(dir, "$TTL") != 0 || arg[0] == '\0')
		goto bad;
	for (p = arg; isdigit((unsigned char)*p) && v <= 2147483647ULL; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p == '\0' && v <= 2147483647ULL)
		return 0;
bad:
	snprintf(why, whylen, "unsupported directive or bad value: %.40s", t);
	return -1;
}

/*
 * Item z of a key file as kresd loads it: 1 with *a for a root anchor
 * (commented out with "; " or not; its state from its comment, *stated
 * set if the comment named one), 2 for a record of another zone or type,
 * 0 for anything else (a comment, a directive kresd accepts), -1 (why).
 */
static int
knot_keys_rec(const struct zonefile_rec *z, struct anchor *a, int *stated,
    char *why, size_t whylen)
{
	int r;

	*stated = 0;
	if (z->kind == ZF_COMMENT) {
		if (z->rawlen < 2 || z->raw[0] != ';' || z->raw[1] != ' ')
			return 0;
		r = knot_keys_commented_rr(z->raw + 2, z->rawlen - 2, a, why,
		    whylen);
		*stated = r == 1;
		return r;
	}
	if (z->kind == ZF_DIRECTIVE)
		return knot_keys_directive(z->text, why, whylen);
	if (z->kind != ZF_RECORD)
		return 0;
	if ((r = keyset_parse_rr(z->text, a, why, whylen)) != 1)
		return r == 0 ? 2 : -1;
	a->state = KS_VALID;
	if ((r = knot_keys_anchor_state(a, z->comment, why, whylen)) == -1)
		return -1;
	*stated = r == 1;
	return 1;
}

/* One item of a key file: an anchor of k->s, or counted in k->nother. */
static int
knot_keys_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct kn_keys *k = arg;
	struct anchor a;
	int r, stated;

	if ((r = knot_keys_rec(z, &a, &stated, why, whylen)) <= 0)
		return r;
	if ((r == 2 && k->s->nanchors > 0) || (r == 1 && k->nother > 0)) {
		snprintf(why, whylen, "root anchors mixed with records of "
		    "another zone or type (kresd refuses the file)");
		return -1;
	}
	if (r == 2) {
		k->nother++;
		return 0;
	}
	/* a state comment on a record: a file kresd manages */
	if (stated && z->kind == ZF_RECORD)
		k->s->is_stateful = 1;
	return knot_keys_add(k->s, &a, z->line, why, whylen);
}

/*
 * Read key file path into s as kresd's add_file() would: a file mixing
 * root anchors with other records, or holding none, makes kresd refuse
 * it.  Returns 1 if the file holds the root's anchors, 0 if only another
 * zone's, -1 with err set.
 */
int
knot_keys_read(const char *path, struct source *s, char *err,
    size_t errlen)
{
	struct kn_keys k = { s, 0 };
	struct textfile f;
	struct stat st;
	int rv;

	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	rv = zonefile_parse(&f, knot_keys_item, &k, err, errlen);
	free(f.buf);
	if (rv == -1)
		return -1;
	if (s->nanchors == 0 && k.nother == 0) {
		snprintf(err, errlen, "%s:1: no trust anchor in file (kresd "
		    "refuses the file)", path);
		return -1;
	}
	if (s->kind == SRC_AUTO && stat(path, &st) == 0) {
		/* kresd rewrites the file after every successful refresh */
		s->have_probe = 1;
		s->last_success = (long long)st.st_mtime;
	}
	return s->nanchors > 0;
}


/* ---- rewriting root.keys (anchorwatch fix) ------------------------------ */

#define KN_TTL 172800          /* the root DNSKEY TTL; kresd ignores it */

/* What rewriting a root.keys collects on its way through the file. */
struct kn_write {
	const struct fix_trust *t;
	const char *buf;
	size_t len;
	size_t drop_off[AW_ANCHOR_MAX], drop_end[AW_ANCHOR_MAX];
	size_t ndrop;
	size_t after;                /* past the last root record's line */
	int have_root, is_ds;        /* the first root record was a DS */
	struct anchor kept[AW_ANCHOR_MAX]; /* trusted records kept */
	size_t nkept;
	char why[AW_ERR_MAX];        /* "add 38696, remove 20326" */
};

/* Append ", what tag" (or "what tag" first) to w->why. */
static void
knot_keys_why(struct kn_write *w, const char *what, unsigned tag)
{
	size_t n = strlen(w->why);

	snprintf(w->why + n, sizeof(w->why) - n, "%s%s %u", n ? ", " : "",
	    what, tag);
}

/* 1 if a designates a key of t->keys (one the resolver must trust). */
static int
is_knot_keys_to_trust(const struct fix_trust *t, const struct anchor *a)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (is_anchor_for(a, &t->keys[i]))
			return 1;
	return 0;
}

/*
 * Decide the fate of root anchor a, the record at bytes [off, end) of the
 * file: kept if the trust set keeps it and kresd trusts it (or it is a
 * key only to keep, in whatever state kresd has it); a key to trust that
 * kresd does not trust yet (AddPend, Start, Revoked) is dropped here and
 * written again as Valid; every other root anchor is dropped.
 */
static int
knot_keys_decide(struct kn_write *w, const struct anchor *a, size_t off,
    size_t end, char *why, size_t whylen)
{
	int trusted = a->state == KS_VALID || a->state == KS_MISSING;

	if (!w->have_root) {
		w->have_root = 1;
		w->is_ds = a->is_ds;
	}
	if (end < w->len && w->buf[end] == '\r')
		end++;
	if (end < w->len && w->buf[end] == '\n')
		end++;
	w->after = end;
	if (is_fix_kept(w->t, a) && (trusted ||
	    !is_knot_keys_to_trust(w->t, a))) {
		if (trusted)
			w->kept[w->nkept++] = *a;
		return 0;
	}
	if (w->ndrop == AW_ANCHOR_MAX) {
		snprintf(why, whylen, "more than %d anchors", AW_ANCHOR_MAX);
		return -1;
	}
	w->drop_off[w->ndrop] = off;
	w->drop_end[w->ndrop++] = end;
	if (!is_fix_kept(w->t, a))
		knot_keys_why(w, "remove", keyset_anchor_tag(a));
	return 0;
}

/* One item of the file being rewritten (zonefile_parse's callback). */
static int
knot_keys_plan(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct kn_write *w = arg;
	struct anchor a;
	int r, stated;

	if (w->nkept == AW_ANCHOR_MAX) {
		snprintf(why, whylen, "more than %d anchors", AW_ANCHOR_MAX);
		return -1;
	}
	if ((r = knot_keys_rec(z, &a, &stated, why, whylen)) != 1)
		return r == -1 ? -1 : 0;
	return knot_keys_decide(w, &a, z->off, z->end, why, whylen);
}

/* The record line kresd writes for key k, Valid: its DS if ds. */
static int
knot_keys_line(const struct dnskey *k, int ds, char *buf, size_t len)
{
	char rdata[AW_KEY_MAX * 2];
	struct ds d;
	int n;

	if (ds ? keyset_ds_of_key(k, 2, &d) == -1 || keyset_format_ds(&d,
	    rdata, sizeof(rdata)) == -1 : keyset_format_dnskey(k, rdata,
	    sizeof(rdata)) == -1)
		return -1;
	/* kres.rr2str pads the owner to 20 columns, then tabs */
	n = snprintf(buf, len, "%-20s\t%u\t%s\t%s ; Valid: ; KeyTag:%u\n", ".",
	    KN_TTL, ds ? "DS" : "DNSKEY", rdata, k->tag);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* 1 if a kept record of w designates k. */
static int
is_knot_keys_kept(const struct kn_write *w, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < w->nkept; i++)
		if (is_anchor_for(&w->kept[i], k))
			return 1;
	return 0;
}

/* The new content: the old one without the dropped records, with a Valid
 * record for each key to trust that no kept record designates after the
 * last root record.  *out is malloc'd. */
static int
knot_keys_build(struct kn_write *w, char **out, size_t *outlen, char *why,
    size_t whylen)
{
	char line[AW_KEY_MAX * 2 + 128];
	size_t i, n = 0, pos = 0, cap = w->len + 1;
	char *o = xreallocarray(NULL, cap, 1);

	for (i = 0; i <= w->ndrop; i++) {
		size_t to = i < w->ndrop ? w->drop_off[i] : w->after;

		memcpy(o + n, w->buf + pos, to - pos);
		n += to - pos;
		pos = i < w->ndrop ? w->drop_end[i] : w->after;
	}
	for (i = 0; i < w->t->nkeys; i++) {
		if (is_knot_keys_kept(w, &w->t->keys[i]))
			continue;
		if (knot_keys_line(&w->t->keys[i], w->is_ds, line,
		    sizeof(line)) == -1) {
			snprintf(why, whylen, "key %u: cannot be written",
			    w->t->keys[i].tag);
			free(o);
			return -1;
		}
		o = xreallocarray(o, cap += strlen(line) + 1, 1);
		if (n > 0 && o[n - 1] != '\n')
			o[n++] = '\n';
		memcpy(o + n, line, strlen(line));
		n += strlen(line);
		knot_keys_why(w, "add", w->t->keys[i].tag);
	}
	o = xreallocarray(o, cap += w->len - pos + 1, 1);
	memcpy(o + n, w->buf + pos, w->len - pos);
	n += w->len - pos;
	o[n] = '\0';
	*out = o;
	*outlen = n;
	return 0;
}

int
knot_keys_write(const char *path, const struct fix_trust *t, char **out,
    size_t *outlen, char *why, size_t whylen, char *err, size_t errlen)
{
	struct kn_write *w = xcalloc(1, sizeof(*w));
	struct textfile f;
	int rv = -1;

	*out = NULL;
	*outlen = 0;
	if (fileio_open_text(path, &f, err, errlen) == -1) {
		free(w);
		return -1;
	}
	w->t = t;
	w->buf = f.buf;
	w->len = f.len;
	if (zonefile_parse(&f, knot_keys_plan, w, err, errlen) == -1)
		goto done;
	if (!w->have_root) {
		snprintf(err, errlen, "%s: no root anchor to rewrite", path);
		goto done;
	}
	if (knot_keys_build(w, out, outlen, why, whylen) == -1) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto done;
	}
	snprintf(why, whylen, "%s", w->why);
	rv = 0;
done:
	free(f.buf);
	free(w);
	return rv;
}
