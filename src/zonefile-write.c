/*
 * zonefile-write.c: the new text of a file of DS/DNSKEY records in zone
 * file syntax after a repair (`anchorwatch fix`), written by the module
 * that reads that syntax (zonefile.c).
 *
 * The rewrite is an edit of the old text, not a new file: the old text is
 * parsed again exactly as its reader parsed it (RFC 1035 section 5.1, with
 * the reader's flags), each root anchor the reader found is located by its
 * line and checked to be the same record, and only those records change.
 * Comments, other owners, directives, blank lines, line ends (LF or CRLF)
 * and order stay byte for byte.  A record dropped whose owner the next
 * record inherits (a line that begins with a blank) hands its owner on
 * explicitly, so that no other record changes meaning.  New records go
 * where the last root anchor was, in the form of the file's own records
 * (RFC 4034 sections 2.2 and 5.3 presentation format).
 *
 * Used for unbound's trust-anchor-file and auto-trust-anchor-file
 * (autotrust.c builds on zonefile_rewrite), and for the static anchor
 * files of the other resolvers that zonefile.c reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anchorwatch.h"

/* One change of the old text: bytes [off, end) become text. */
struct zw_edit {
	size_t off, end;
	int first;              /* at equal offsets, before the others */
	char *text;             /* malloc'd */
};

/* What locating the anchors collects. */
struct zw_scan {
	struct zf_rewrite *w;
	enum zf_fate *fate;     /* per anchor of w->s */
	size_t *at;             /* per anchor: its record's start, or -1 */
	struct zw_edit *edits;
	size_t nedits, cap;
	int owner_pending;      /* a dropped record named the owner */
	char owner[ZF_NAME_MAX];
	size_t insert;          /* where added records go */
	int have_insert;
	char model[ZF_LINE_MAX]; /* prefix of the last record of the form */
	char eol[3];            /* the file's line end */
};

/* A growing buffer; out of memory is fatal. */
struct zw_buf {
	char *p;
	size_t len, cap;
};

static void
zw_put(struct zw_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Record edit [off, end) -> text (copied, n bytes). */
static void
zw_edit(struct zw_scan *sc, size_t off, size_t end, const char *text,
    size_t n)
{
	struct zw_edit *e;

	if (sc->nedits == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 8;
		sc->edits = xreallocarray(sc->edits, sc->cap,
		    sizeof(*sc->edits));
	}
	e = &sc->edits[sc->nedits++];
	e->first = 0;
	e->off = off;
	e->end = end;
	e->text = xreallocarray(NULL, n + 1, 1);
	memcpy(e->text, text, n);
	e->text[n] = '\0';
}

/* The end of the line that ends at off (past its LF), and its line end. */
static size_t
zw_line_end(const char *buf, size_t len, size_t off, char eol[3])
{
	if (off < len && buf[off] == '\r' && off + 1 < len &&
	    buf[off + 1] == '\n') {
		snprintf(eol, 3, "\r\n");
		return off + 2;
	}
	if (off < len && buf[off] == '\n') {
		snprintf(eol, 3, "\n");
		return off + 1;
	}
	return off;
}

/* The line end of the file's first line: CRLF or LF (the default). */
static void
zw_first_eol(const char *buf, size_t len, char eol[3])
{
	const char *lf = memchr(buf, '\n', len);

	snprintf(eol, 3, "%s", lf != NULL && lf > buf && lf[-1] == '\r' ?
	    "\r\n" : "\n");
}

/*
 * The prefix of a one-line record raw[0..n) of the root ("." first):
 * everything up to its rdata ("." [TTL] [class] TYPE and the blanks
 * after), into out.  0, or -1 when raw is not of type (DS or DNSKEY).
 */
static int
zw_prefix(const char *raw, size_t n, int is_ds, char *out, size_t outlen)
{
	const char *type = is_ds ? "DS" : "DNSKEY";
	size_t i = 0, w, k;

	if (n < 2 || raw[0] != '.' || (raw[1] != ' ' && raw[1] != '\t'))
		return -1;
	for (k = 0; k < 4 && i < n; k++) {
		while (i < n && (raw[i] == ' ' || raw[i] == '\t'))
			i++;
		for (w = i; i < n && raw[i] != ' ' && raw[i] != '\t' &&
		    raw[i] != ';' && raw[i] != '('; i++)
			;
		if (i - w == strlen(type) && strncasecmp(raw + w, type,
		    i - w) == 0) {
			while (i < n && (raw[i] == ' ' || raw[i] == '\t'))
				i++;
			if (i >= outlen)
				return -1;
			snprintf(out, outlen, "%.*s", (int)i, raw);
			return 0;
		}
	}
	return -1;
}

/* The anchor of s at line, or -1. */
static long
zw_anchor_at(const struct source *s, unsigned line)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		if (s->anchors[i].line == line)
			return (long)i;
	return -1;
}

/* 1 if a and b are the same anchor (the same key or the same DS). */
static int
is_same_anchor(const struct anchor *a, const struct anchor *b)
{
	if (a->is_ds != b->is_ds)
		return 0;
	if (!a->is_ds)
		return a->key.flags == b->key.flags &&
		    is_same_key(&a->key, &b->key);
	return a->ds.tag == b->ds.tag && a->ds.algorithm == b->ds.algorithm &&
	    a->ds.digest_type == b->ds.digest_type &&
	    a->ds.digestlen == b->ds.digestlen &&
	    memcmp(a->ds.digest, b->ds.digest, a->ds.digestlen) == 0;
}

/* The anchor's record, located: its fate as edits of the old text. */
static int
zw_anchor(struct zw_scan *sc, const struct zonefile_rec *z, size_t i,
    char *why, size_t whylen)
{
	struct zf_rewrite *w = sc->w;
	const struct anchor *a = &w->s->anchors[i];
	struct anchor now;
	char line[ZF_LINE_MAX];
	size_t end = zw_line_end(w->old, w->oldlen, z->end, sc->eol);

	if (keyset_parse_rr(z->text, &now, why, whylen) != 1 ||
	    !is_same_anchor(a, &now)) {
		snprintf(why, whylen, "the record is no longer the anchor "
		    "read there (tag %u): the file changed", (unsigned)
		    keyset_anchor_tag(a));
		return -1;
	}
	sc->at[i] = z->off;
	if (z->line == z->lastline && a->is_ds == (w->form == ZF_FORM_DS))
		zw_prefix(z->raw, z->rawlen, a->is_ds, sc->model,
		    sizeof(sc->model));
	sc->insert = end;
	sc->have_insert = 1;
	if (sc->fate[i] == ZF_KEEP)
		return 0;
	if (sc->fate[i] == ZF_DROP) {
		zw_edit(sc, z->off, end, "", 0);
		if (!z->owner_omitted) {
			sc->owner_pending = 1;
			snprintf(sc->owner, sizeof(sc->owner), "%s", z->owner);
		}
		return 0;
	}
	/* ZF_RENEW: the record is replaced by the line of its key */
	if (w->line(w->arg, a, sc->model[0] ? sc->model : w->prefix, line,
	    sizeof(line)) == -1) {
		snprintf(why, whylen, "the new record for tag %u does not fit",
		    (unsigned)keyset_anchor_tag(a));
		return -1;
	}
	zw_edit(sc, z->off, z->end, line, strlen(line));
	return 0;
}

/* Each record of the old text: root anchors of s get their fate; a
 * record that inherits a dropped owner gets it written out. */
static int
zw_item(void *arg, const struct zonefile_rec *z, char *why, size_t whylen)
{
	struct zw_scan *sc = arg;
	long i;

	if (z->kind != ZF_RECORD)
		return 0;
	if ((i = zw_anchor_at(sc->w->s, z->line)) >= 0) {
		if (zw_anchor(sc, z, (size_t)i, why, whylen) == -1)
			return -1;
		if (sc->fate[i] == ZF_DROP)
			return 0;
	}
	if (sc->owner_pending && z->owner_omitted)
		zw_edit(sc, z->off, z->off, sc->owner, strlen(sc->owner));
	sc->owner_pending = 0;
	return 0;
}

/* The records to add, at sc->insert (after the last root anchor, or at
 * the end of the file), each in the file's own form. */
static int
zw_add(struct zw_scan *sc, char *err, size_t errlen)
{
	struct zf_rewrite *w = sc->w;
	struct zw_buf b = { NULL, 0, 0 };
	struct anchor a;
	char line[ZF_LINE_MAX];
	size_t i, at = sc->have_insert ? sc->insert : w->oldlen;

	if (w->nadd == 0)
		return 0;
	if (at > 0 && w->old[at - 1] != '\n')
		zw_put(&b, sc->eol, strlen(sc->eol));
	for (i = 0; i < w->nadd; i++) {
		memset(&a, 0, sizeof(a));
		a.key = *w->add[i];
		a.state = KS_VALID;
		if (w->form == ZF_FORM_DS) {
			a.is_ds = 1;
			if (keyset_ds_of_key(w->add[i], 2, &a.ds) == -1)
				goto toolong;
		}
		if (w->line(w->arg, &a, sc->model[0] ? sc->model : w->prefix,
		    line, sizeof(line)) == -1)
			goto toolong;
		zw_put(&b, line, strlen(line));
		zw_put(&b, sc->eol, strlen(sc->eol));
	}
	zw_edit(sc, at, at, b.p, b.len);
	sc->edits[sc->nedits - 1].first = 1;
	free(b.p);
	return 0;
toolong:
	snprintf(err, errlen, "%s: the new record for tag %u does not fit",
	    w->path, (unsigned)w->add[i]->tag);
	free(b.p);
	return -1;
}

static int
zw_cmp(const void *a, const void *b)
{
	const struct zw_edit *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->first != y->first)
		return y->first - x->first;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* The old text with the edits of sc (and w->drop) applied, into w. */
static int
zw_apply(struct zw_scan *sc, char *err, size_t errlen)
{
	struct zf_rewrite *w = sc->w;
	struct zw_buf b = { NULL, 0, 0 };
	size_t i, pos = 0;

	for (i = 0; i < w->ndrop; i++)
		zw_edit(sc, w->drop[i].off, w->drop[i].end, "", 0);
	if (sc->nedits > 0)
		qsort(sc->edits, sc->nedits, sizeof(*sc->edits), zw_cmp);
	zw_put(&b, "", 0);
	for (i = 0; i < sc->nedits; i++) {
		if (sc->edits[i].off < pos || sc->edits[i].end > w->oldlen) {
			snprintf(err, errlen, "%s: changes overlap", w->path);
			free(b.p);
			return -1;
		}
		zw_put(&b, w->old + pos, sc->edits[i].off - pos);
		zw_put(&b, sc->edits[i].text, strlen(sc->edits[i].text));
		pos = sc->edits[i].end;
	}
	zw_put(&b, w->old + pos, w->oldlen - pos);
	w->text = b.p;
	w->len = b.len;
	return 0;
}

/* "add 38696, remove 20326, remove revoked 20454" into w->why. */
static void
zw_why(struct zf_rewrite *w, const enum zf_fate *fate)
{
	const struct anchor *a;
	size_t i, n = 0;
	int r;

	w->why[0] = '\0';
	for (i = 0; i < w->nadd; i++) {
		r = snprintf(w->why + n, sizeof(w->why) - n, "%sadd %u",
		    n ? ", " : "", (unsigned)w->add[i]->tag);
		n = r < 0 || (size_t)r >= sizeof(w->why) - n ? n : n + r;
	}
	for (i = 0; i < w->s->nanchors; i++) {
		a = &w->s->anchors[i];
		if (fate[i] == ZF_KEEP)
			continue;
		r = snprintf(w->why + n, sizeof(w->why) - n, "%s%s %u",
		    n ? ", " : "", fate[i] == ZF_RENEW ? "trust" :
		    !a->is_ds && (a->key.flags & DNSKEY_F_REVOKE) ?
		    "remove revoked" : "remove", (unsigned)keyset_anchor_tag(a));
		n = r < 0 || (size_t)r >= sizeof(w->why) - n ? n : n + r;
	}
}

/* The line of a zone file record: prefix and presentation rdata. */
static int
zw_line_plain(void *arg, const struct anchor *a, const char *prefix,
    char *buf, size_t len)
{
	char rdata[ZF_LINE_MAX];
	int n;

	if ((a->is_ds ? keyset_format_ds(&a->ds, rdata, sizeof(rdata)) :
	    keyset_format_dnskey(&a->key, rdata, sizeof(rdata))) == -1)
		return -1;
	n = snprintf(buf, len, "%s%s", prefix, rdata);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
zonefile_rewrite(struct zf_rewrite *w, char *err, size_t errlen)
{
	struct zw_scan sc;
	struct textfile f;
	char defprefix[32];
	size_t i;
	int rv = -1;

	memset(&sc, 0, sizeof(sc));
	sc.w = w;
	sc.fate = xcalloc(w->s->nanchors + 1, sizeof(*sc.fate));
	sc.at = xcalloc(w->s->nanchors + 1, sizeof(*sc.at));
	zw_first_eol(w->old, w->oldlen, sc.eol);
	snprintf(defprefix, sizeof(defprefix), ". IN %s ", w->form ==
	    ZF_FORM_DS ? "DS" : "DNSKEY");
	if (w->prefix == NULL)
		w->prefix = defprefix;
	if (w->line == NULL)
		w->line = zw_line_plain;
	for (i = 0; i < w->s->nanchors; i++) {
		sc.fate[i] = w->fate != NULL ? w->fate(w->arg, &w->s->anchors[i])
		    : is_fix_kept(w->t, &w->s->anchors[i]) ? ZF_KEEP : ZF_DROP;
		sc.at[i] = (size_t)-1;
	}
	memset(&f, 0, sizeof(f));
	f.path = w->path;
	f.buf = xreallocarray(NULL, w->oldlen + 1, 1);
	memcpy(f.buf, w->old, w->oldlen);
	f.buf[w->oldlen] = '\0';
	f.len = w->oldlen;
	if (zonefile_parse_as(&f, w->flags, zw_item, &sc, err, errlen) == -1)
		goto done;
	for (i = 0; i < w->s->nanchors; i++)
		if (sc.at[i] == (size_t)-1) {
			snprintf(err, errlen, "%s:%u: no anchor record there "
			    "any more: the file changed", w->path,
			    w->s->anchors[i].line);
			goto done;
		}
	if (zw_add(&sc, err, errlen) == -1 || zw_apply(&sc, err,
	    errlen) == -1)
		goto done;
	zw_why(w, sc.fate);
	rv = 0;
done:
	for (i = 0; i < sc.nedits; i++)
		free(sc.edits[i].text);
	free(sc.edits);
	free(sc.fate);
	free(sc.at);
	free(f.buf);
	if (w->prefix == defprefix)
		w->prefix = NULL;
	return rv;
}

int
zonefile_rewrite_static(struct zf_rewrite *w, char *err, size_t errlen)
{
	const struct dnskey *add[FIX_KEYS_MAX];
	size_t i;
	int rv;

	w->flags = ZF_SLDNS;
	w->form = ZF_FORM_DNSKEY;
	for (i = 0; i < w->s->nanchors; i++)
		if (w->s->anchors[i].is_ds)
			w->form = ZF_FORM_DS;
	if (w->add != NULL)
		return zonefile_rewrite(w, err, errlen);
	w->nadd = fix_missing(w->t, w->s, add, FIX_KEYS_MAX);
	w->add = add;
	rv = zonefile_rewrite(w, err, errlen);
	w->add = NULL;
	return rv;
}

/*
 * Plan (fix_plan_file) the repair of static anchor file s as
 * zonefile_read_static read it: its root anchors t does not keep dropped,
 * add[0..nadd) added in the file's form (add NULL: fix_missing(t, s)), as
 * zonefile_rewrite_static writes it.  For the static files of the readers
 * of other formats (dnsmasq's root.ds, resolvers[].anchor_files).  Nothing
 * to change plans nothing.  0, or -1 with err.
 */
int
zonefile_plan_static(struct fix_plan *p, const struct source *s,
    const struct fix_trust *t, const struct dnskey *const *add, size_t nadd,
    char *err, size_t errlen)
{
	const struct fix_edit *e;
	struct zf_rewrite w;
	char *old = NULL;
	size_t oldlen;
	int rv = -1;

	if (fileio_load(s->path, AW_FILE_MAX, &old, &oldlen, err, errlen) == -1)
		return -1;
	memset(&w, 0, sizeof(w));
	w.path = s->path;
	w.old = old;
	w.oldlen = oldlen;
	w.s = s;
	w.t = t;
	w.add = add;
	w.nadd = nadd;
	if (zonefile_rewrite_static(&w, err, errlen) == -1 ||
	    fix_plan_file(p, s->path, w.text, w.len, w.why, err, errlen) == -1)
		goto done;
	e = p->nedits > 0 ? &p->edits[p->nedits - 1] : NULL;
	if (e != NULL && strcmp(e->path, s->path) == 0 && (e->oldlen !=
	    oldlen || memcmp(e->old, old, oldlen) != 0)) {
		snprintf(err, errlen, "%s: changed while planned", s->path);
		goto done;
	}
	rv = 0;
done:
	free(w.text);
	free(old);
	return rv;
}
