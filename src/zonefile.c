/*
 * zonefile.c: DS and DNSKEY records in zone file syntax, the one place
 * that reads them.
 *
 * RFC 1035 section 5.1 master file format as the resolvers read their
 * anchor files: one record a line, or several lines joined by
 * parentheses; ';' starts a comment; a line that begins with a blank has
 * the previous record's owner; "@" is the origin; $ORIGIN and $TTL lines
 * (section 5.1, RFC 2308 section 4).  Used by unbound's trust-anchor-file
 * and auto-trust-anchor-file (autotrust.c), Knot Resolver's root.keys
 * (anchor-knot.c), and the extra anchor files an operator names for any
 * resolver.  zonefile_parse() hands each record, directive and comment
 * line to the caller with its lines, byte offsets and comments, so that
 * each format interprets its own comments (unbound's ;;state=, kresd's
 * "; Valid:") on top, and a writer can later find what to replace.
 *
 * Hostile input: bounded lines and records, no control characters, an
 * unbalanced parenthesis is an error, every error is "file:line: why".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* A record being joined from physical lines, and what it inherits. */
struct zf_state {
	char text[ZF_REC_MAX];   /* data, parentheses and tabs made blanks */
	size_t tlen;
	char note[ZF_REC_MAX];   /* the comments of its lines */
	size_t nlen;
	char full[ZF_REC_MAX + ZF_NAME_MAX + 2]; /* owner completed */
	char owner[ZF_NAME_MAX]; /* the last owner, absolute */
	char origin[ZF_NAME_MAX];
	unsigned line;           /* where the record starts */
	size_t off;
	int depth;               /* open parentheses */
	unsigned flags;          /* ZF_SLDNS */
	size_t end;              /* past the last line fed */
	int cont;                /* began with a blank: owner omitted */
};

/* Append n bytes of s to buf (length *len, size max); -1 if too long. */
static int
zonefile_append(char *buf, size_t *len, size_t max, const char *s, size_t n)
{
	if (n >= max - *len)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/* Split the next blank-separated word off *p; its length, 0 at the end. */
static size_t
zonefile_word(const char **p, const char **w)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ')
		s++;
	while (s[n] != '\0' && s[n] != ' ')
		n++;
	*w = s;
	*p = s + n;
	return n;
}

/* 1 if name (n bytes) ends in an unescaped '.': it is absolute. */
static int
is_absolute(const char *name, size_t n)
{
	size_t bs = 0;

	if (n == 0 || name[n - 1] != '.')
		return 0;
	while (bs + 1 < n && name[n - 2 - bs] == '\\')
		bs++;
	return bs % 2 == 0;
}

/*
 * The absolute form of name (n bytes) under origin into out: "@" is the
 * origin, a relative name gets the origin appended.  0 or -1 (why).
 */
static int
zonefile_absolute(const char *name, size_t n, const char *origin, char *out,
    size_t outlen, char *why, size_t whylen)
{
	int r;

	if (n == 1 && name[0] == '@')
		r = snprintf(out, outlen, "%s", origin);
	else if (is_absolute(name, n))
		r = snprintf(out, outlen, "%.*s", (int)n, name);
	else
		r = snprintf(out, outlen, "%.*s.%s", (int)n, name,
		    strcmp(origin, ".") == 0 ? "" : origin);
	if (r < 0 || (size_t)r >= outlen) {
		snprintf(why, whylen, "owner name too long");
		return -1;
	}
	return 0;
}

/*
 * Feed one physical line into st: data to st->text with parentheses
 * joined, comments to st->note.  Returns 1 when a record is complete, 0
 * when it needs more lines or the line has no data, -1 (why).
 */
static int
zonefile_feed(struct zf_state *st, const char *l, size_t n, unsigned line,
    size_t off, char *why, size_t whylen)
{
	size_t i, k;
	char c;

	if (st->depth == 0) {
		st->tlen = st->nlen = 0;
		st->text[0] = st->note[0] = '\0';
		st->line = line;
		st->off = off;
		st->cont = n > 0 && (l[0] == ' ' || l[0] == '\t');
	}
	for (i = 0; i < n && l[i] != ';'; i++) {
		c = l[i];
		if (c == ')' && st->depth == 0 &&
		    (st->flags & (ZF_SLDNS | ZF_PAREN_REPORT))) {
			/* sldns closes the token off: record, line dropped */
			st->tlen = st->nlen = 0;
			st->text[0] = st->note[0] = '\0';
			return st->flags & ZF_PAREN_REPORT ? 2 : 0;
		}
		if (c == ')' && st->depth == 0) {
			snprintf(why, whylen, "')' without '('");
			return -1;
		}
		st->depth += c == '(' ? 1 : c == ')' ? -1 : 0;
		if (c == '(' || c == ')' || c == '\t')
			c = ' ';
		if ((unsigned char)c < 0x20 || c == 0x7f) {
			snprintf(why, whylen, "control character in record");
			return -1;
		}
		if (zonefile_append(st->text, &st->tlen, sizeof(st->text), &c,
		    1) == -1)
			goto toolong;
	}
	if (zonefile_append(st->text, &st->tlen, sizeof(st->text), " ", 1) ||
	    (i < n && ((st->nlen > 0 && zonefile_append(st->note, &st->nlen,
	    sizeof(st->note), " ", 1)) || zonefile_append(st->note,
	    &st->nlen, sizeof(st->note), l + i, n - i))))
		goto toolong;
	if (st->depth > 0)
		return 0;
	for (k = 0; k < st->tlen; k++)
		if (st->text[k] != ' ')
			return 1;
	return 0;
toolong:
	snprintf(why, whylen, "record longer than %d characters", ZF_REC_MAX);
	return -1;
}

/* A $ line: $ORIGIN is applied; every directive is passed on. */
static int
zonefile_directive(struct zf_state *st, struct zonefile_rec *z, char *why,
    size_t whylen)
{
	const char *p = z->text, *w, *arg, *more;
	size_t wn, an;

	wn = zonefile_word(&p, &w);
	an = zonefile_word(&p, &arg);
	z->kind = ZF_DIRECTIVE;
	if (wn == 7 && strncasecmp(w, "$ORIGIN", 7) == 0) {
		if (an == 0 || zonefile_word(&p, &more) != 0) {
			snprintf(why, whylen, "$ORIGIN needs one name");
			return -1;
		}
		/* a relative $ORIGIN is taken from the root, as sldns does */
		return zonefile_absolute(arg, an, ".", st->origin,
		    sizeof(st->origin), why, whylen);
	}
	return 0;
}

/* Complete the owner of a record; the text handed on is st->full. */
static int
zonefile_owner(struct zf_state *st, struct zonefile_rec *z, char *why,
    size_t whylen)
{
	const char *p = st->text, *w;
	size_t wn;

	if (st->cont) {
		if (st->owner[0] == '\0') {
			snprintf(why, whylen, "record without an owner name");
			return -1;
		}
	} else {
		wn = zonefile_word(&p, &w);
		if (zonefile_absolute(w, wn, st->origin, st->owner,
		    sizeof(st->owner), why, whylen) == -1)
			return -1;
	}
	while (*p == ' ')
		p++;
	snprintf(st->full, sizeof(st->full), "%s %s", st->owner, p);
	z->kind = ZF_RECORD;
	z->text = st->full;
	z->owner = st->owner;
	z->owner_omitted = st->cont;
	return 0;
}

/* Hand the complete record or directive in st to fn. */
static int
zonefile_done(struct zf_state *st, const struct textfile *f, size_t end,
    zonefile_fn fn, void *arg, char *why, size_t whylen)
{
	struct zonefile_rec z;
	const char *p = st->text;

	memset(&z, 0, sizeof(z));
	while (*p == ' ')
		p++;
	z.line = st->line;
	z.lastline = f->line;
	z.off = st->off;
	z.end = end;
	z.comment = st->note;
	z.owner = "";
	z.raw = f->buf + st->off;
	z.rawlen = end - st->off;
	if (*p == '$' && !st->cont) {
		z.text = p;
		if (zonefile_directive(st, &z, why, whylen) == -1)
			return -1;
	} else if (zonefile_owner(st, &z, why, whylen) == -1)
		return -1;
	return fn(arg, &z, why, whylen);
}

/* A parenthesis that does not balance, at line, for fn (ZF_PAREN). */
static int
zonefile_paren(const struct textfile *f, unsigned line, zonefile_fn fn,
    void *arg, char *why, size_t whylen)
{
	struct zonefile_rec z;

	memset(&z, 0, sizeof(z));
	z.kind = ZF_PAREN;
	z.text = z.owner = z.comment = "";
	z.raw = f->buf;
	z.line = z.lastline = line;
	return fn(arg, &z, why, whylen);
}

/* A line with no data outside a record: a comment line for fn. */
static int
zonefile_comment(const struct zf_state *st, const struct textfile *f,
    const char *l, size_t n, zonefile_fn fn, void *arg, char *why,
    size_t whylen)
{
	struct zonefile_rec z;

	memset(&z, 0, sizeof(z));
	z.kind = ZF_COMMENT;
	z.text = "";
	z.owner = "";
	z.comment = st->note;
	z.raw = l;
	z.rawlen = n;
	z.line = z.lastline = f->line;
	z.off = (size_t)(l - f->buf);
	z.end = z.off + n;
	return fn(arg, &z, why, whylen);
}

int
zonefile_parse(struct textfile *f, zonefile_fn fn, void *arg, char *err,
    size_t errlen)
{
	return zonefile_parse_as(f, 0, fn, arg, err, errlen);
}

int
zonefile_parse_as(struct textfile *f, unsigned flags, zonefile_fn fn,
    void *arg, char *err, size_t errlen)
{
	struct zf_state *st = xcalloc(1, sizeof(*st));
	char why[AW_ERR_MAX];
	const char *l;
	size_t n, off;
	int r, rv = -1;

	st->flags = flags;
	snprintf(st->origin, sizeof(st->origin), ".");
	while ((r = fileio_getline(f, ZF_LINE_MAX, &l, &n)) != 0) {
		if (r == -1) {
			snprintf(why, sizeof(why), "line longer than %d "
			    "characters", ZF_LINE_MAX);
			goto bad;
		}
		off = (size_t)(l - f->buf);
		st->end = off + n;
		if ((r = zonefile_feed(st, l, n, f->line, off, why,
		    sizeof(why))) == -1 || (r == 2 && zonefile_paren(f,
		    f->line, fn, arg, why, sizeof(why)) == -1))
			goto bad;
		if (r == 0 && st->depth == 0 && st->nlen > 0 &&
		    zonefile_comment(st, f, l, n, fn, arg, why,
		    sizeof(why)) == -1)
			goto bad;
		if (r == 1 && zonefile_done(st, f, off + n, fn, arg, why,
		    sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%u: %s", f->path, st->line,
			    why);
			goto done;
		}
	}
	if (st->depth > 0 && (flags & ZF_PAREN_REPORT)) {
		if (zonefile_paren(f, st->line, fn, arg, why,
		    sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%u: %s", f->path, st->line,
			    why);
			goto done;
		}
		st->depth = 0;
	}
	if (st->depth > 0 && !(flags & ZF_SLDNS)) {
		snprintf(err, errlen, "%s:%u: '(' not closed", f->path,
		    st->line);
		goto done;
	}
	/* sldns ends an open record at the end of the file */
	if (st->depth > 0 && st->tlen > strspn(st->text, " ") &&
	    zonefile_done(st, f, st->end, fn, arg, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s:%u: %s", f->path, st->line, why);
		goto done;
	}
	rv = 0;
	goto done;
bad:
	snprintf(err, errlen, "%s:%u: %s", f->path, f->line, why);
done:
	free(st);
	return rv;
}

/* ---- static anchor files, as unbound reads a trust-anchor-file ------- */

/*
 * One item of a static file: a DS or DNSKEY of the root becomes an anchor
 * of the source; other owners and types are skipped, as are $INCLUDE and
 * other directives (sldns ignores them in a trust-anchor-file).  Its
 * parentheses as sldns counts them: a ')' too many drops the record, a
 * '(' still open at the end of the file ends the record there.
 */
static int
zonefile_static_rec(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct source *s = arg;
	struct anchor a;
	int r;

	if (z->kind != ZF_RECORD)
		return 0;
	if ((r = keyset_parse_rr(z->text, &a, why, whylen)) <= 0)
		return r;
	return zonefile_add(s, &a, z->line, why, whylen);
}

int
zonefile_add(struct source *s, struct anchor *a, unsigned line, char *why,
    size_t whylen)
{
	if (s->nanchors >= AW_ANCHOR_MAX) {
		snprintf(why, whylen, "more than %d anchors", AW_ANCHOR_MAX);
		return -1;
	}
	a->line = line;
	*source_add_anchor(s) = *a;
	return 0;
}

int
zonefile_open(const char *path, struct source *s, enum src_kind kind,
    struct textfile *f, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];

	s->kind = kind;
	if (s->path[0] == '\0')
		snprintf(s->path, sizeof(s->path), "%s", path);
	if (fileio_open_text(path, f, why, sizeof(why)) == 0)
		return 0;
	if (s->decl_file[0] != '\0')
		snprintf(err, errlen, "%s:%u: %s", s->decl_file, s->decl_line,
		    why);
	else
		snprintf(err, errlen, "%s", why);
	return -1;
}

int
zonefile_parse_static(struct textfile *f, struct source *s, char *err,
    size_t errlen)
{
	return zonefile_parse_as(f, ZF_SLDNS, zonefile_static_rec, s, err,
	    errlen);
}

int
zonefile_read_static(const char *path, struct source *s, char *err,
    size_t errlen)
{
	struct textfile f;
	int rv;

	if (zonefile_open(path, s, SRC_FILE, &f, err, errlen) == -1)
		return -1;
	rv = zonefile_parse_static(&f, s, err, errlen);
	free(f.buf);
	return rv;
}

int
zonefile_read_static_files(const struct resolver_conf *rc,
    struct resolver *r, char *err, size_t errlen)
{
	struct source *s;
	size_t i;

	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++) {
		s = resolver_add_source(r);
		s->kind = SRC_FILE;
		snprintf(s->path, sizeof(s->path), "%s", rc->anchor_files[i]);
		if (zonefile_read_static(rc->anchor_files[i], s, err,
		    errlen) == -1)
			return -1;
	}
	return 0;
}
