/*
 * luascan.c: the calls of a Lua file, with their literal arguments.
 *
 * Two daemons are configured in Lua: Knot Resolver 5.x (kresd.conf, run
 * by LuaJIT) and the PowerDNS Recursor (lua-config-file).  anchorwatch
 * does not run Lua: this scanner knows Lua's lexical grammar (Lua 5.1
 * reference manual 2.1; LuaJIT 2.1 escapes \xXX, \z and \u{XXX}) and
 * hands the reader each call "name.chain(args)", "name 'str'" and
 * "name {table}" in file order, its arguments kept when they are
 * literals (strings, numbers, true, false, nil, flat tables of strings).
 * Control flow is ignored: the readers say what each call means.
 *
 * What the scanner finds that Lua itself refuses to load (an unclosed
 * string, long bracket or comment, an invalid escape, brackets that do
 * not match, a block without its "end") is a syntax error: both daemons
 * exit at start on it.  luascan_syntax() tells such errors from the
 * scanner's own limits (string length, nesting), which are not the
 * daemon's.  Every file is hostile: bounded loads, no NUL bytes, bounded
 * tokens, "file:line: what is wrong".
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define LS_NEST_MAX 200         /* LuaJIT's LJ_MAX_XLEVEL */

enum ls_tt { LT_EOF, LT_NAME, LT_STR, LT_NUM, LT_PUNCT };

struct ls_tok {
	enum ls_tt type;
	char text[LUASCAN_STR_MAX];
	size_t len;
	unsigned line;
	size_t off;                     /* where it starts in the file */
};

struct luascan {
	struct textfile f;
	int syntax;                     /* the last error is Lua's */
	char open[LS_NEST_MAX];         /* ( [ { or f (function, if, do:
	                                   closed by end), r (repeat) */
	unsigned open_line[LS_NEST_MAX];
	size_t nopen;
	struct ls_tok t;
	int peeked;                     /* give t again */
};

static const char *const ls_keywords[] = { "and", "break", "do", "else",
    "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true",
    "until", "while" };

static int
is_keyword(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(ls_keywords) / sizeof(ls_keywords[0]); i++)
		if (strcmp(s, ls_keywords[i]) == 0)
			return 1;
	return 0;
}

/* A syntax error of Lua's at line: "FILE:LINE: what". */
static int
ls_syntax(struct luascan *ls, unsigned line, char *err, size_t errlen,
    const char *what)
{
	snprintf(err, errlen, "%s:%u: %s", ls->f.path, line, what);
	ls->syntax = 1;
	return -1;
}

/* Level of a long bracket "[==[" at pos, or -1 if there is none. */
static int
ls_long_open(const struct textfile *f, size_t pos)
{
	size_t i = pos + 1;

	if (pos >= f->len || f->buf[pos] != '[')
		return -1;
	while (i < f->len && f->buf[i] == '=')
		i++;
	if (i >= f->len || f->buf[i] != '[' || i - pos - 1 > 64)
		return -1;
	return (int)(i - pos - 1);
}

/*
 * Skip a long bracket of level lvl opened at f->pos; copy its body to t
 * when t != NULL (a first newline is dropped, as Lua does).  0 or -1.
 */
static int
ls_long(struct luascan *ls, int lvl, struct ls_tok *t, const char *what,
    char *err, size_t errlen)
{
	struct textfile *f = &ls->f;
	unsigned start = f->line;
	char msg[64];
	size_t i, n = 0;

	f->pos += (size_t)lvl + 2;
	if (f->pos < f->len && f->buf[f->pos] == '\r')
		f->pos++;
	if (f->pos < f->len && f->buf[f->pos] == '\n') {
		f->pos++;
		f->line++;
	}
	for (; f->pos < f->len; f->pos++) {
		if (f->buf[f->pos] == ']') {
			for (i = 1; f->pos + i < f->len &&
			    f->buf[f->pos + i] == '=' && i <= (size_t)lvl; i++)
				;
			if (i == (size_t)lvl + 1 && f->pos + i < f->len &&
			    f->buf[f->pos + i] == ']') {
				f->pos += i + 1;
				if (t != NULL)
					t->text[n] = '\0', t->len = n;
				return 0;
			}
		}
		if (f->buf[f->pos] == '\n')
			f->line++;
		if (t == NULL)
			continue;
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: string longer than %d "
			    "characters", f->path, start, LUASCAN_STR_MAX);
			return -1;
		}
		t->text[n++] = f->buf[f->pos];
	}
	snprintf(msg, sizeof(msg), "%s not closed", what);
	return ls_syntax(ls, start, err, errlen, msg);
}

/* Skip blanks and comments.  0, or -1 on an unclosed long comment. */
static int
ls_skip(struct luascan *ls, char *err, size_t errlen)
{
	struct textfile *f = &ls->f;
	const char *b = f->buf;
	int lvl;

	while (f->pos < f->len) {
		if (b[f->pos] == '\n') {
			f->line++;
			f->pos++;
		} else if (isspace((unsigned char)b[f->pos])) {
			f->pos++;
		} else if (b[f->pos] == '-' && f->pos + 1 < f->len &&
		    b[f->pos + 1] == '-') {
			f->pos += 2;
			if ((lvl = ls_long_open(f, f->pos)) >= 0) {
				if (ls_long(ls, lvl, NULL, "long comment",
				    err, errlen) == -1)
					return -1;
				continue;
			}
			while (f->pos < f->len && b[f->pos] != '\n')
				f->pos++;
		} else if (f->pos == 0 && b[0] == '#') {
			/* a first line "#!..." is skipped by lua_load */
			while (f->pos < f->len && b[f->pos] != '\n')
				f->pos++;
		} else
			break;
	}
	return 0;
}

/* n hex digits at f->pos into *v; -1 if they are not there. */
static int
ls_hex(struct textfile *f, size_t n, unsigned long *v)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		if (f->pos >= f->len || !isxdigit((unsigned char)f->buf[f->pos]))
			return -1;
		c = (char)tolower((unsigned char)f->buf[f->pos++]);
		*v = *v * 16 + (unsigned long)(isdigit((unsigned char)c) ?
		    c - '0' : c - 'a' + 10);
	}
	return 0;
}

/* \u{XXX} at f->pos (after the u) as UTF-8 into t; -1 if refused. */
static int
ls_utf8(struct textfile *f, struct ls_tok *t)
{
	unsigned long v = 0;
	size_t n = 0;

	if (f->pos >= f->len || f->buf[f->pos++] != '{')
		return -1;
	while (f->pos < f->len && f->buf[f->pos] != '}')
		if (ls_hex(f, 1, &v) == -1 || v > 0x7FFFFFFF || ++n > 8)
			return -1;
	if (n == 0 || f->pos >= f->len || v == 0 ||
	    t->len + 6 >= sizeof(t->text))
		return -1;
	f->pos++;
	if (v < 0x80) {
		t->text[t->len++] = (char)v;
		return 0;
	}
	/* the lead byte, then 6 bits a byte: 2 to 6 bytes (LuaJIT) */
	for (n = 1; n < 6 && v >= (1UL << (5 * n + 6)); n++)
		;
	t->text[t->len++] = (char)((0xFF00 >> (n + 1)) | (v >> (6 * n)));
	while (n-- > 0)
		t->text[t->len++] = (char)(0x80 | ((v >> (6 * n)) & 0x3F));
	return 0;
}

/* The escape at f->pos (after '\\') appended to t; -1 if Lua refuses it,
 * -2 for a \0 (Lua's, but it would cut the readers' C strings). */
static int
ls_escape(struct textfile *f, struct ls_tok *t)
{
	static const char from[] = "abfnrtv\\\"'\n", to[] = "\a\b\f\n\r\t\v"
	    "\\\"'\n";
	unsigned long v = 0;
	const char *p;
	unsigned i;
	char c;

	if (f->pos >= f->len)
		return -1;
	c = f->buf[f->pos];
	if (c != '\0' && (p = strchr(from, c)) != NULL) {
		f->line += c == '\n';
		f->pos++;
		t->text[t->len++] = to[p - from];
		return 0;
	}
	if (c == '\r') {         /* a backslash and a CRLF: a newline */
		f->pos += 1 + (f->pos + 1 < f->len && f->buf[f->pos + 1] ==
		    '\n');
		f->line++;
		t->text[t->len++] = '\n';
		return 0;
	}
	if (c == 'z') {
		for (f->pos++; f->pos < f->len &&
		    isspace((unsigned char)f->buf[f->pos]); f->pos++)
			f->line += f->buf[f->pos] == '\n';
		return 0;
	}
	if (c == 'u') {
		f->pos++;
		return ls_utf8(f, t);
	}
	if (c == 'x') {
		f->pos++;
		if (ls_hex(f, 2, &v) == -1)
			return -1;
	} else {
		for (i = 0; i < 3 && f->pos < f->len &&
		    isdigit((unsigned char)f->buf[f->pos]); i++, f->pos++)
			v = v * 10 + (unsigned long)(f->buf[f->pos] - '0');
		if (i == 0 || v > 255)
			return -1;
	}
	if (v == 0)
		return -2;      /* Lua's, but it would cut a C string */
	t->text[t->len++] = (char)v;
	return 0;
}

/* A '...' or "..." string at f->pos into t. */
static int
ls_short_str(struct luascan *ls, struct ls_tok *t, char *err, size_t errlen)
{
	struct textfile *f = &ls->f;
	char q = f->buf[f->pos++], c;
	int r;

	t->len = 0;
	while (f->pos < f->len && f->buf[f->pos] != q) {
		if (t->len + 8 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: string longer than %d "
			    "characters", f->path, t->line, LUASCAN_STR_MAX);
			return -1;
		}
		c = f->buf[f->pos];
		if (c == '\n')
			break;
		f->pos++;
		if (c != '\\')
			t->text[t->len++] = c;
		else if ((r = ls_escape(f, t)) == -1)
			return ls_syntax(ls, f->line, err, errlen,
			    "invalid escape in string");
		else if (r == -2) {
			snprintf(err, errlen, "%s:%u: NUL byte in string (\\0 "
			    "escape): not supported", f->path, f->line);
			return -1;
		}
	}
	if (f->pos >= f->len || f->buf[f->pos] != q)
		return ls_syntax(ls, t->line, err, errlen, "string not closed");
	f->pos++;
	t->text[t->len] = '\0';
	return 0;
}

/* Brackets and blocks: open c at line, or close with c.  0 or -1. */
static int
ls_nest(struct luascan *ls, char c, unsigned line, char *err, size_t errlen)
{
	static const char opens[] = "([{fr", closes[] = ")]}eu";
	static const char *const names[] = { ")", "]", "}", "end", "until" };
	const char *p;
	char msg[96];

	if ((p = strchr(opens, c)) != NULL) {
		if (ls->nopen >= LS_NEST_MAX) {
			snprintf(err, errlen, "%s:%u: nested deeper than %d",
			    ls->f.path, line, LS_NEST_MAX);
			return -1;
		}
		ls->open_line[ls->nopen] = line;
		ls->open[ls->nopen++] = c;
		return 0;
	}
	p = strchr(closes, c);
	if (ls->nopen > 0 && ls->open[ls->nopen - 1] == opens[p - closes]) {
		ls->nopen--;
		return 0;
	}
	if (ls->nopen == 0)
		snprintf(msg, sizeof(msg), "'%s' closes nothing",
		    names[p - closes]);
	else
		snprintf(msg, sizeof(msg), "'%s' where '%s' is needed (line "
		    "%u)", names[p - closes], names[strchr(opens,
		    ls->open[ls->nopen - 1]) - opens], ls->open_line[ls->nopen -
		    1]);
	return ls_syntax(ls, line, err, errlen, msg);
}

/* A name, keyword or number at f->pos into t. */
static int
ls_word(struct luascan *ls, struct ls_tok *t, char *err, size_t errlen)
{
	struct textfile *f = &ls->f;
	const char *b = f->buf;
	size_t n = 0;

	t->type = isdigit((unsigned char)b[f->pos]) ? LT_NUM : LT_NAME;
	while (f->pos + n < f->len && (isalnum((unsigned char)b[f->pos + n]) ||
	    b[f->pos + n] == '_' || (t->type == LT_NUM &&
	    b[f->pos + n] == '.')))
		n++;
	if (n >= LUASCAN_NAME_MAX) {
		snprintf(err, errlen, "%s:%u: name longer than %d characters",
		    f->path, t->line, LUASCAN_NAME_MAX);
		return -1;
	}
	memcpy(t->text, b + f->pos, n);
	t->text[n] = '\0';
	t->len = n;
	f->pos += n;
	if (t->type != LT_NAME)
		return 0;
	if (strcmp(t->text, "function") == 0 || strcmp(t->text, "if") == 0 ||
	    strcmp(t->text, "do") == 0)
		return ls_nest(ls, 'f', t->line, err, errlen);
	if (strcmp(t->text, "repeat") == 0)
		return ls_nest(ls, 'r', t->line, err, errlen);
	if (strcmp(t->text, "end") == 0)
		return ls_nest(ls, 'e', t->line, err, errlen);
	if (strcmp(t->text, "until") == 0)
		return ls_nest(ls, 'u', t->line, err, errlen);
	return 0;
}

/* Next token into ls->t.  0 (LT_EOF at the end) or -1. */
static int
ls_tok(struct luascan *ls, char *err, size_t errlen)
{
	struct textfile *f = &ls->f;
	struct ls_tok *t = &ls->t;
	int lvl;
	char c;

	if (ls->peeked) {
		ls->peeked = 0;
		return 0;
	}
	if (ls_skip(ls, err, errlen) == -1)
		return -1;
	t->line = f->line;
	t->off = f->pos;
	t->len = 0;
	t->text[0] = '\0';
	if (f->pos >= f->len) {
		t->type = LT_EOF;
		if (ls->nopen == 0)
			return 0;
		return ls_syntax(ls, ls->open_line[ls->nopen - 1], err, errlen,
		    ls->open[ls->nopen - 1] == '(' ? "'(' not closed" :
		    ls->open[ls->nopen - 1] == '[' ? "'[' not closed" :
		    ls->open[ls->nopen - 1] == '{' ? "'{' not closed" :
		    ls->open[ls->nopen - 1] == 'r' ? "'repeat' without "
		    "'until'" : "block without 'end'");
	}
	c = f->buf[f->pos];
	if (c == '"' || c == '\'') {
		t->type = LT_STR;
		return ls_short_str(ls, t, err, errlen);
	}
	if ((lvl = ls_long_open(f, f->pos)) >= 0) {
		t->type = LT_STR;
		return ls_long(ls, lvl, t, "long string", err, errlen);
	}
	if (isalnum((unsigned char)c) || c == '_')
		return ls_word(ls, t, err, errlen);
	t->type = LT_PUNCT;
	t->text[0] = c;
	t->text[1] = '\0';
	t->len = 1;
	f->pos++;
	if (strchr("([{)]}", c) != NULL)
		return ls_nest(ls, c, t->line, err, errlen);
	return 0;
}

static int
is_punct(const struct ls_tok *t, char c)
{
	return t->type == LT_PUNCT && t->text[0] == c;
}

/* The table constructor just opened, as argument i of c: its string
 * items, NUL-separated; anything else makes c not literal. */
static int
ls_table(struct luascan *ls, struct luascan_call *c, size_t i, char *err,
    size_t errlen)
{
	size_t lvl = ls->nopen - 1, n = 0;

	c->type[i] = LA_TABLE;
	for (;;) {
		if (ls_tok(ls, err, errlen) == -1)
			return -1;
		if (ls->nopen == lvl)
			break;
		if (ls->t.type == LT_STR && n + ls->t.len + 1 <
		    sizeof(c->str[i])) {
			memcpy(c->str[i] + n, ls->t.text, ls->t.len + 1);
			n += ls->t.len + 1;
			c->nitems[i]++;
		} else if (!is_punct(&ls->t, ',') && !is_punct(&ls->t, ';')) {
			c->literal = 0;
			ls->peeked = 1;
			break;
		}
	}
	return 0;
}

/* The current token as argument of c, if it is a literal. */
static int
ls_arg(struct luascan *ls, struct luascan_call *c, char *err, size_t errlen)
{
	const struct ls_tok *t = &ls->t;
	size_t i = c->nargs;

	if (i >= LUASCAN_ARGS_MAX) {
		c->literal = 0;
		i = LUASCAN_ARGS_MAX - 1;       /* scratch */
	} else
		c->nargs++;
	c->type[i] = LA_OTHER;
	if (t->type == LT_STR) {
		c->type[i] = LA_STR;
		memcpy(c->str[i], t->text, t->len + 1);
		c->len[i] = t->len;
	} else if (t->type == LT_NUM) {
		c->type[i] = LA_NUM;
		memcpy(c->str[i], t->text, t->len + 1);
	} else if (is_punct(t, '{'))
		return ls_table(ls, c, i, err, errlen);
	else if (strcmp(t->text, "true") == 0)
		c->type[i] = LA_TRUE;
	else if (strcmp(t->text, "false") == 0)
		c->type[i] = LA_FALSE;
	else if (strcmp(t->text, "nil") == 0)
		c->type[i] = LA_NIL;
	else {
		c->literal = 0;
		ls->peeked = 1;
	}
	return 0;
}

/*
 * The argument list of c, its '(' just read.  At the first argument that
 * is not a literal, c is not literal and the scan goes on from that token:
 * the calls inside an expression ("pcall(function() f('x') end)") are
 * calls too.
 */
static int
ls_args(struct luascan *ls, struct luascan_call *c, char *err, size_t errlen)
{
	size_t lvl = ls->nopen - 1;
	int want = 1;

	for (;;) {
		if (ls_tok(ls, err, errlen) == -1)
			return -1;
		if (ls->nopen == lvl)
			return 0;
		if (want && ls_arg(ls, c, err, errlen) == -1)
			return -1;
		if (!c->literal)
			return 0;
		if (want)
			want = 0;
		else if (is_punct(&ls->t, ','))
			want = 1;
		else {
			c->literal = 0;
			ls->peeked = 1;
			return 0;
		}
	}
}

struct luascan *
luascan_open(const char *path, char *err, size_t errlen)
{
	struct luascan *ls = xcalloc(1, sizeof(*ls));

	if (fileio_open_text(path, &ls->f, err, errlen) == -1) {
		free(ls);
		return NULL;
	}
	ls->f.line = 1;
	return ls;
}

void
luascan_close(struct luascan *ls)
{
	if (ls == NULL)
		return;
	free(ls->f.buf);
	free(ls);
}

const char *
luascan_text(const struct luascan *ls, size_t *len)
{
	*len = ls->f.len;
	return ls->f.buf;
}

int
luascan_syntax(const struct luascan *ls)
{
	return ls->syntax;
}

/*
 * The next call: a chain of names joined by '.' or ':' (not a keyword,
 * not after "function") followed by '(', a string or '{'.
 */
int
luascan_next(struct luascan *ls, struct luascan_call *c, char *err,
    size_t errlen)
{
	char chain[LUASCAN_NAME_MAX] = "";
	int prev_sep = 0, prev_name = 0, defn = 0;
	struct ls_tok *t = &ls->t;
	size_t n, off = 0;

	for (;;) {
		if (ls_tok(ls, err, errlen) == -1)
			return -1;
		if (t->type == LT_EOF)
			return 0;
		if (prev_name && !defn && (is_punct(t, '(') ||
		    t->type == LT_STR || is_punct(t, '{'))) {
			memset(c, 0, offsetof(struct luascan_call, str));
			memcpy(c->name, chain, sizeof(chain));
			c->line = t->line;
			c->literal = 1;
			c->off = off;
			if (is_punct(t, '(') ? ls_args(ls, c, err, errlen) :
			    ls_arg(ls, c, err, errlen))
				return -1;
			c->end = ls->f.pos;
			return 1;
		}
		if (t->type == LT_NAME && !is_keyword(t->text)) {
			if (!prev_sep || strlen(chain) + t->len + 1 >=
			    sizeof(chain))
				chain[0] = '\0';
			if (chain[0] == '\0')
				off = t->off;
			strcat(chain, t->text);
			prev_name = 1;
			prev_sep = 0;
			continue;
		}
		prev_sep = prev_name && (is_punct(t, '.') || is_punct(t, ':'));
		if (prev_sep) {
			n = strlen(chain);
			if (n + 2 > sizeof(chain))  /* full: start again */
				chain[0] = '\0';
			else {
				chain[n] = t->text[0];
				chain[n + 1] = '\0';
			}
		} else
			chain[0] = '\0';
		/* "function a.b(x)" defines a.b, it does not call it */
		defn = t->type == LT_NAME && strcmp(t->text, "function") == 0 ?
		    1 : prev_sep ? defn : 0;
		prev_name = 0;
	}
}

int
is_luascan_item(const struct luascan_call *c, size_t i, const char *s)
{
	const char *p;
	size_t k;

	if (i >= c->nargs)
		return 0;
	if (c->type[i] == LA_STR)
		return strcmp(c->str[i], s) == 0;
	if (c->type[i] != LA_TABLE)
		return 0;
	for (k = 0, p = c->str[i]; k < c->nitems[i]; k++, p += strlen(p) + 1)
		if (strcmp(p, s) == 0)
			return 1;
	return 0;
}

/*
 * Enter path (resolved) on the stack of files being read; refuse a loop
 * and nesting deeper than LUASCAN_DEPTH_MAX.  from:line names the call.
 */
int
luascan_push(struct luascan_stack *st, const char *path, const char *from,
    unsigned line, char *err, size_t errlen)
{
	char real[PATH_MAX];
	size_t i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	if (st->depth >= LUASCAN_DEPTH_MAX || strlen(real) >= AW_PATH_MAX) {
		snprintf(err, errlen, "%s:%u: dofile nested deeper than %d",
		    from, line, LUASCAN_DEPTH_MAX);
		return -1;
	}
	for (i = 0; i < st->depth; i++) {
		if (strcmp(st->path[i], real) == 0) {
			snprintf(err, errlen, "%s:%u: dofile loop: %s", from,
			    line, path);
			st->loop = 1;
			return -1;
		}
	}
	memcpy(st->path[st->depth++], real, strlen(real) + 1);
	return 0;
}

void
luascan_pop(struct luascan_stack *st)
{
	if (st->depth > 0)
		st->depth--;
}

/*
 * err "FILE:LINE: why" becomes "FILE:LINE: DAEMON refuses to start: why":
 * what the reader found is the daemon's reason not to run.
 */
void
luascan_refuse(char *err, size_t errlen, const char *daemon)
{
	char why[AW_ERR_MAX];
	size_t at = 0, i;

	for (i = 0; err[i] != '\0' && at == 0; i++) {
		if (err[i] != ':' || !isdigit((unsigned char)err[i + 1]))
			continue;
		at = i + 1 + strspn(err + i + 1, "0123456789");
		at = err[at] == ':' && err[at + 1] == ' ' ? at + 2 : 0;
	}
	if (at >= errlen)
		return;
	snprintf(why, sizeof(why), "%s", err + at);
	snprintf(err + at, errlen - at, "%s refuses to start: %s", daemon, why);
}
