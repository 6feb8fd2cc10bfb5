/*
 * luascan-write.c: a Lua file rewritten as an edit of its own text, for
 * `anchorwatch fix` (the PowerDNS Recursor's lua-config-file).
 *
 * The calls are found by the same scanner that reads them (luascan.c), so
 * what is written is what the reader will read back.  The caller says of
 * each call whether it stays, goes, or is none of its business; a call
 * that goes takes its line with it when nothing else stands on that line
 * (blanks and a ';' aside); the lines to add go after the line of the last
 * call the caller cared about, else at the end.  Every other byte of the
 * file stays as it was: comments, other calls, line ends.  A call to
 * remove that is not a statement of its own ("x = addTA(...)") is
 * refused: taking it out would leave Lua the daemon cannot load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define LW_DROPS_MAX 256        /* calls one rewrite removes */

/* The rewrite in progress: ranges of the old text to leave out. */
struct lw_state {
	const char *buf;
	size_t len;
	size_t off[LW_DROPS_MAX], end[LW_DROPS_MAX];
	size_t ndrop;
	size_t at;                      /* where the new lines go */
	int matched;
};

/* 1 if buf[from, to) holds only blanks and ';', then maybe a short
 * comment ("--", not a long one "--[["). */
static int
is_lw_blank(const char *buf, size_t from, size_t to)
{
	for (; from < to; from++) {
		if (buf[from] == '-' && from + 1 < to && buf[from + 1] == '-')
			return from + 2 == to || buf[from + 2] != '[';
		if (strchr(" \t\r;", buf[from]) == NULL)
			return 0;
	}
	return 1;
}

/* Past the blanks from off. */
static size_t
lw_skip_blanks(const struct lw_state *st, size_t off)
{
	while (off < st->len && (st->buf[off] == ' ' || st->buf[off] == '\t'))
		off++;
	return off;
}

/* Past the end of the line holding offset off (its LF included). */
static size_t
lw_line_end(const struct lw_state *st, size_t off)
{
	while (off < st->len && st->buf[off] != '\n')
		off++;
	return off < st->len ? off + 1 : off;
}

/*
 * 1 if what stands before offset off on its line (from bol) ends a
 * statement, so that a call there is a statement of its own and can go:
 * nothing, or a ';', a closing bracket or quote (a call before it), or
 * one of the words then, do, else, end.  "x = addTA(...)" is not one.
 */
static int
is_lw_stmt_start(const char *buf, size_t bol, size_t off)
{
	static const char *const words[] = { "then", "do", "else", "end" };
	size_t i, n;

	while (off > bol && (buf[off - 1] == ' ' || buf[off - 1] == '\t'))
		off--;
	if (off == bol || strchr(";)]}\"'", buf[off - 1]) != NULL)
		return 1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (off - bol >= n && memcmp(buf + off - n, words[i], n) == 0 &&
		    (off - bol == n || strchr(" \t;)", buf[off - n - 1])))
			return 1;
	}
	return 0;
}

/* Call c goes: its bytes, or its whole line if nothing else is there. */
static int
lw_drop(struct lw_state *st, const struct luascan_call *c, const char *path,
    char *err, size_t errlen)
{
	size_t bol = c->off, eol, end = c->end, q, off;

	if (st->ndrop == LW_DROPS_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d calls to remove",
		    path, c->line, LW_DROPS_MAX);
		return -1;
	}
	while (bol > 0 && st->buf[bol - 1] != '\n')
		bol--;
	if (!is_lw_stmt_start(st->buf, bol, c->off)) {
		snprintf(err, errlen, "%s:%u: %s is not a statement of its "
		    "own: it cannot be removed", path, c->line, c->name);
		return -1;
	}
	/* its ';' goes with it: Lua 5.1 has no empty statement */
	if ((q = lw_skip_blanks(st, end)) < st->len && st->buf[q] == ';')
		end = lw_skip_blanks(st, q + 1);
	eol = lw_line_end(st, end);
	if (is_lw_blank(st->buf, bol, c->off) && is_lw_blank(st->buf, end,
	    eol > end && st->buf[eol - 1] == '\n' ? eol - 1 : eol)) {
		st->off[st->ndrop] = bol;
		st->end[st->ndrop++] = eol;
	} else {
		/* last on its line: the blanks before it go too */
		off = c->off;
		q = lw_skip_blanks(st, end);
		if (q == st->len || st->buf[q] == '\n' || st->buf[q] == '\r') {
			while (off > bol && (st->buf[off - 1] == ' ' ||
			    st->buf[off - 1] == '\t'))
				off--;
			end = q;
		}
		st->off[st->ndrop] = off;
		st->end[st->ndrop++] = end;
	}
	return 0;
}

/* Assemble the new text: the old one without the drops, w->add at st->at. */
static void
lw_build(const struct lw_state *st, struct luascan_rewrite *w)
{
	size_t addlen = w->add != NULL ? strlen(w->add) : 0, n = 0, pos = 0;
	size_t i;
	char *o = xreallocarray(NULL, st->len + addlen + 2, 1);

	for (i = 0; i < st->ndrop && st->off[i] < st->at; i++) {
		memcpy(o + n, st->buf + pos, st->off[i] - pos);
		n += st->off[i] - pos;
		pos = st->end[i];
	}
	if (pos < st->at) {
		memcpy(o + n, st->buf + pos, st->at - pos);
		n += st->at - pos;
		pos = st->at;
	}
	if (addlen > 0 && n > 0 && o[n - 1] != '\n')
		o[n++] = '\n';
	memcpy(o + n, w->add != NULL ? w->add : "", addlen);
	n += addlen;
	for (; i < st->ndrop; i++) {
		memcpy(o + n, st->buf + pos, st->off[i] - pos);
		n += st->off[i] - pos;
		pos = st->end[i];
	}
	memcpy(o + n, st->buf + pos, st->len - pos);
	n += st->len - pos;
	o[n] = '\0';
	w->text = o;
	w->len = n;
}

int
luascan_rewrite(struct luascan_rewrite *w, char *err, size_t errlen)
{
	struct luascan_call *c = xcalloc(1, sizeof(*c));
	struct lw_state st;
	struct luascan *ls;
	enum luascan_fate f;
	int r;

	w->text = NULL;
	w->len = 0;
	if ((ls = luascan_open(w->path, err, errlen)) == NULL) {
		free(c);
		return -1;
	}
	memset(&st, 0, sizeof(st));
	st.buf = luascan_text(ls, &st.len);
	st.at = st.len;
	while ((r = luascan_next(ls, c, err, errlen)) == 1) {
		if ((f = w->fate(w->arg, c)) == LUASCAN_OTHER)
			continue;
		if (!c->literal) {
			snprintf(err, errlen, "%s:%u: %s: arguments are not "
			    "literals: not rewritten", w->path, c->line,
			    c->name);
			r = -1;
			break;
		}
		if (f == LUASCAN_DROP && lw_drop(&st, c, w->path, err,
		    errlen) == -1) {
			r = -1;
			break;
		}
		st.at = lw_line_end(&st, c->end);
		st.matched = 1;
	}
	if (r == 0)
		lw_build(&st, w);
	luascan_close(ls);
	free(c);
	return r == 0 ? 0 : -1;
}
