/*
 * bind-conf-write.c: named.conf trust anchor clauses, rewritten.
 *
 * The writing half of bind-conf.c (which reads trust-anchors, managed-keys
 * and trusted-keys clauses through namedconf.c's grammar, keeping the
 * byte offsets of each clause and entry).  A repair (issue 10, anchor-
 * bind.c's hook) makes the root entries of a clause say what the trust
 * set says (aw-fix.h): an entry designating a key to trust or keep stays
 * byte for byte; any other root entry goes, with its line when nothing
 * else stands on it (a comment after it on that line goes too); each key
 * of t->keys that no remaining root entry of that clause designates is
 * added after the last root entry, indented like it, in the clause's own
 * kind: initial-key or initial-ds for RFC 5011 (RFC 5011 section 2),
 * static-key or static-ds where the operator chose static, a bare key in
 * trusted-keys; DS entries get a SHA-256 digest, as bind.keys has.
 * Everything else (comments, other zones, other statements, order) is
 * copied as it was.  No clock, no I/O: bytes in, bytes out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* A growing output buffer. */
struct bw_buf {
	char *p;
	size_t len, cap;
};

static void
bw_put(struct bw_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Start of the line holding offset off. */
static size_t
bw_line_start(const char *t, size_t off)
{
	while (off > 0 && t[off - 1] != '\n')
		off--;
	return off;
}

/* 1 if t[from, to) holds only blanks. */
static int
is_bw_blank(const char *t, size_t from, size_t to)
{
	for (; from < to; from++)
		if (t[from] != ' ' && t[from] != '\t' && t[from] != '\r')
			return 0;
	return 1;
}

/*
 * Where the line of an entry ending at end ends, past its newline: when
 * only blanks, or blanks and a # or // comment, follow the entry up to
 * the newline (or to limit).  Otherwise (something else on the line)
 * returns end.
 */
static size_t
bw_rest_of_line(const char *t, size_t end, size_t limit)
{
	size_t p = end;

	while (p < limit && (t[p] == ' ' || t[p] == '\t' || t[p] == '\r'))
		p++;
	if (p < limit && (t[p] == '#' || (t[p] == '/' && p + 1 < limit &&
	    t[p + 1] == '/')))
		while (p < limit && t[p] != '\n')
			p++;
	if (p < limit && t[p] == '\n')
		return p + 1;
	return p == limit ? p : end;
}

/* The bytes [from, to) an entry's removal takes out of t. */
static void
bw_entry_span(const char *t, const struct bind_entry *e, size_t limit,
    size_t *from, size_t *to)
{
	size_t ls = bw_line_start(t, e->off), rest;

	rest = bw_rest_of_line(t, e->end, limit);
	if (rest != e->end && is_bw_blank(t, ls, e->off)) {
		*from = ls;     /* the whole line(s) */
		*to = rest;
		return;
	}
	*from = e->off;
	*to = e->end;
	while (*to < limit && (t[*to] == ' ' || t[*to] == '\t'))
		(*to)++;
}

/* One entry for key k of the kind of model (its clause's first root
 * entry), "\t. initial-key 257 3 8 \"...\";" without the newline. */
static int
bw_format_entry(const struct bind_entry *model, const struct dnskey *k,
    struct bw_buf *out)
{
	char text[4 * AW_KEY_MAX], *sp;
	struct ds ds;

	if (model->anchor.is_ds) {
		if (keyset_ds_of_key(k, 2, &ds) == -1 ||
		    keyset_format_ds(&ds, text, sizeof(text)) == -1)
			return -1;
	} else if (keyset_format_dnskey(k, text, sizeof(text)) == -1)
		return -1;
	/* the last field (key or digest) quoted, as named's grammar has it */
	if ((sp = strrchr(text, ' ')) == NULL)
		return -1;
	*sp = '\0';
	bw_put(out, ". ", 2);
	if (model->kind[0] != '\0') {
		bw_put(out, model->kind, strlen(model->kind));
		bw_put(out, " ", 1);
	}
	bw_put(out, text, strlen(text));
	bw_put(out, " \"", 2);
	bw_put(out, sp + 1, strlen(sp + 1));
	bw_put(out, "\";", 2);
	return 0;
}

/* Append ", " or the lead to why, then the word and tag. */
static void
bw_why(char *why, size_t len, const char *word, unsigned tag)
{
	size_t n = strlen(why);

	snprintf(why + n, len - n, "%s%s %u", n > 0 ? ", " : "", word, tag);
}

/* 1 if some kept root entry of b designates k. */
static int
is_bw_designated(const struct bind_block *b, const struct fix_trust *t,
    const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < b->nentries; i++)
		if (b->entries[i].is_root && is_fix_kept(t, &b->entries[i].anchor)
		    && is_anchor_for(&b->entries[i].anchor, k))
			return 1;
	return 0;
}

/* The new entries of b (keys no kept entry designates), each on a line
 * of its own indented like last; inline_ 1: after last on its line, each
 * after a blank; 2: in the place of last (removed), each before one. */
static int
bw_additions(const char *t, const struct bind_block *b,
    const struct bind_entry *model, const struct bind_entry *last,
    const struct fix_trust *ft, int inline_, struct bw_buf *out, char *why,
    size_t whylen)
{
	size_t i, ls = bw_line_start(t, last->off), ind = ls;

	while (ind < last->off && (t[ind] == ' ' || t[ind] == '\t'))
		ind++;
	for (i = 0; i < ft->nkeys; i++) {
		if (is_bw_designated(b, ft, &ft->keys[i]))
			continue;
		if (inline_ == 1)
			bw_put(out, " ", 1);
		else if (inline_ == 0)
			bw_put(out, t + ls, ind - ls);
		if (bw_format_entry(model, &ft->keys[i], out) == -1)
			return -1;
		bw_put(out, inline_ == 2 ? " " : "\n", inline_ == 1 ? 0 : 1);
		bw_why(why, whylen, "add", ft->keys[i].tag);
	}
	return 0;
}

int
bind_conf_write_block(const char *t, size_t tlen, const struct bind_block *b,
    const struct fix_trust *ft, char **out, size_t *outlen, char *why,
    size_t whylen)
{
	const struct bind_entry *e, *model = NULL, *last = NULL;
	struct bw_buf o = { NULL, 0, 0 };
	size_t i, pos = b->off, from, to, ins = 0;
	int inline_ = 0;

	if (b->end > tlen || b->close >= b->end || b->off >= b->close)
		return -1;
	for (i = 0; i < b->nentries; i++) {
		e = &b->entries[i];
		if (e->off <= b->off || e->off >= e->end || e->end > b->close ||
		    (i > 0 && e->off < b->entries[i - 1].end))
			return -1;      /* not the bytes it was read from */
		if (e->is_root) {
			model = model != NULL ? model : e;
			last = e;
		}
	}
	if (last == NULL || b->is_split)
		return -1;
	/* Insert after the last root entry's line, or right after it when
	 * the clause goes on on that line. */
	ins = bw_rest_of_line(t, last->end, b->close);
	if (ins == last->end || t[ins - 1] != '\n') {
		ins = last->end;
		inline_ = 1;
	}
	for (i = 0; i < b->nentries; i++) {
		e = &b->entries[i];
		if (!e->is_root || is_fix_kept(ft, &e->anchor))
			continue;
		bw_entry_span(t, e, b->close, &from, &to);
		if (from < pos)
			from = pos;
		if (ins > from && ins <= to)
			ins = to;       /* the insertion point goes with it */
		if (e == last && inline_)
			inline_ = 2;    /* the new entries take its place */
		bw_put(&o, t + pos, from - pos);
		pos = to;
		bw_why(why, whylen, e->anchor.state == KS_REVOKED ||
		    (!e->anchor.is_ds && (e->anchor.key.flags &
		    DNSKEY_F_REVOKE)) ? "remove revoked" : "remove",
		    keyset_anchor_tag(&e->anchor));
	}
	if (ins < pos)
		ins = pos;
	/* the bytes up to the insertion point (after the removals) */
	bw_put(&o, t + pos, ins - pos);
	pos = ins;
	if (bw_additions(t, b, model, last, ft, inline_, &o, why,
	    whylen) == -1) {
		free(o.p);
		return -1;
	}
	bw_put(&o, t + pos, b->end - pos);
	*out = o.p;
	*outlen = o.len;
	return 0;
}

/* 1 if a block of c before b is the same clause (its file included
 * twice, in two views say): written once. */
static int
is_bw_seen(const struct bind_conf *c, const struct bind_block *b)
{
	const struct bind_block *o;

	for (o = c->blocks; o < b; o++)
		if (strcmp(o->file, b->file) == 0 && o->off == b->off &&
		    o->end == b->end)
			return 1;
	return 0;
}

/* 1 if block b of c is a clause of file with root entries. */
static int
is_bw_root_block(const struct bind_block *b, const char *file)
{
	size_t i;

	if (strcmp(b->file, file) != 0)
		return 0;
	for (i = 0; i < b->nentries; i++)
		if (b->entries[i].is_root)
			return 1;
	return 0;
}

int
bind_conf_write_file(const struct bind_conf *c, const char *file,
    const char *t, size_t tlen, const struct fix_trust *ft, char **out,
    size_t *outlen, char *why, size_t whylen)
{
	struct bw_buf o = { NULL, 0, 0 };
	const struct bind_block *b;
	size_t i, pos = 0, n;
	char *text;

	why[0] = '\0';
	for (i = 0; i < c->nblocks; i++) {
		b = &c->blocks[i];
		if (!is_bw_root_block(b, file) || is_bw_seen(c, b))
			continue;
		if (b->off < pos || bind_conf_write_block(t, tlen, b, ft,
		    &text, &n, why, whylen) == -1) {
			free(o.p);
			return -1;
		}
		bw_put(&o, t + pos, b->off - pos);
		bw_put(&o, text, n);
		free(text);
		pos = b->end;
	}
	bw_put(&o, t + pos, tlen - pos);
	*out = o.p;
	*outlen = o.len;
	return 0;
}

int
bind_conf_write_initial(const struct fix_trust *ft, int ds, char **out,
    size_t *outlen)
{
	struct bind_entry model;
	struct bw_buf o = { NULL, 0, 0 };
	size_t i;

	memset(&model, 0, sizeof(model));
	model.anchor.is_ds = ds;
	snprintf(model.kind, sizeof(model.kind), "%s", ds ? "initial-ds" :
	    "initial-key");
	for (i = 0; i < ft->nkeys; i++) {
		bw_put(&o, "\t", 1);
		if (bw_format_entry(&model, &ft->keys[i], &o) == -1) {
			free(o.p);
			return -1;
		}
		bw_put(&o, "\n", 1);
	}
	*out = o.p;
	*outlen = o.len;
	return 0;
}
