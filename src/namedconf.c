/*
 * namedconf.c: the named.conf grammar, in one place.
 *
 * BIND 9's configuration language (lib/isccfg/parser.c of named 9.18) as
 * far as anchorwatch needs it: "strings" with backslash escapes, words,
 * the punctuation { } ;, comments of three kinds (# and // to the end of
 * the line, C style), and include "file"; which splices another file in
 * where a statement may stand (a relative name resolves against the
 * caller's working directory; loops and deep nesting refused).  Every
 * token carries its file, line and byte offsets, so a clause read here can
 * be found again byte for byte by the writer that will live here too.
 *
 * Users: the BIND reader (named.conf, bind.keys) and unbound's
 * trusted-keys-file reader (namedconf_read_trusted_keys), which reads only
 * trusted-keys { } clauses, as unbound 1.17 does (validator/val_anchor.c).
 * All input is hostile: bounded loads and tokens, no NUL bytes, and every
 * error is "file:line: what is wrong".
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define NC_ENTRY_MAX 8192       /* one trust anchor entry */

/* Load path as file number c->depth (not yet counted). */
static int
namedconf_load(struct namedconf *c, const char *path, char *err,
    size_t errlen)
{
	struct namedconf_file *f = &c->files[c->depth];

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->line = 1;
	return fileio_load_text(path, &f->buf, &f->len, err, errlen);
}

int
namedconf_open(struct namedconf *c, const char *path, char *err,
    size_t errlen)
{
	namedconf_close(c);
	if (namedconf_load(c, path, err, errlen) == -1)
		return -1;
	c->depth = 1;
	return 0;
}

void
namedconf_open_text(struct namedconf *c, const char *name, const char *text)
{
	struct namedconf_file *f = &c->files[0];

	namedconf_close(c);
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", name);
	if ((f->buf = strdup(text)) == NULL)
		fatalx("out of memory");
	f->len = strlen(text);
	f->line = 1;
	c->depth = 1;
}

void
namedconf_close(struct namedconf *c)
{
	if (c == NULL)
		return;
	while (c->depth > 0) {
		free(c->files[--c->depth].buf);
		c->files[c->depth].buf = NULL;
	}
}

int
namedconf_num(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long n = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if ((unsigned)(*p - '0') > max ||
		    n > (max - (unsigned)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (p == s || *p != '\0')
		return -1;
	*v = n;
	return 0;
}

/* ---- tokens ------------------------------------------------------------- */

/* Skip blanks and comments (//, #, C style) in f.  -1 on an open comment. */
static int
namedconf_skip(struct namedconf_file *f, char *err, size_t errlen)
{
	const char *b = f->buf, *e;
	unsigned start;

	while (f->pos < f->len) {
		if (b[f->pos] == '\n') {
			f->line++;
			f->pos++;
		} else if (isspace((unsigned char)b[f->pos])) {
			f->pos++;
		} else if (b[f->pos] == '#' || (b[f->pos] == '/' &&
		    b[f->pos + 1] == '/')) {
			while (f->pos < f->len && b[f->pos] != '\n')
				f->pos++;
		} else if (b[f->pos] == '/' && b[f->pos + 1] == '*') {
			start = f->line;
			if ((e = strstr(b + f->pos + 2, "*/")) == NULL) {
				snprintf(err, errlen, "%s:%u: comment not "
				    "closed", f->path, start);
				return -1;
			}
			f->line += fileio_lineof(b + f->pos,
			    (size_t)(e - b) - f->pos) - 1;
			f->pos = (size_t)(e - b) + 2;
		} else
			break;
	}
	return 0;
}

/* 1 if b[pos] ends an unquoted word. */
static int
is_word_end(const char *b, size_t pos)
{
	return isspace((unsigned char)b[pos]) ||
	    strchr("{};\"#", b[pos]) != NULL ||
	    (b[pos] == '/' && (b[pos + 1] == '/' || b[pos + 1] == '*'));
}

/* Read one token of f at its cursor (not at the end) into t. */
static int
namedconf_word(struct namedconf_file *f, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	const char *b = f->buf;
	size_t n = 0;

	t->line = f->line;
	t->off = f->pos;
	t->quoted = b[f->pos] == '"';
	if (strchr("{};", b[f->pos]) != NULL) {
		snprintf(t->text, sizeof(t->text), "%c", b[f->pos++]);
		t->end = f->pos;
		return 1;
	}
	for (f->pos += t->quoted; f->pos < f->len; f->pos++, n++) {
		if (t->quoted ? b[f->pos] == '"' : is_word_end(b, f->pos))
			break;
		if (t->quoted && b[f->pos] == '\\' && f->pos + 1 < f->len)
			f->pos++;       /* the escaped character itself */
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: token longer than %d "
			    "characters", f->path, t->line, NAMEDCONF_TOK_MAX);
			return -1;
		}
		if (b[f->pos] == '\n')
			f->line++;
		t->text[n] = b[f->pos];
	}
	t->text[n] = '\0';
	if (t->quoted && f->pos++ >= f->len) {
		snprintf(err, errlen, "%s:%u: quote not closed", f->path,
		    t->line);
		return -1;
	}
	t->end = f->pos;
	return 1;
}

int
namedconf_tok(struct namedconf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	struct namedconf_file *f;

	t->eof = 0;
	for (;;) {
		f = &c->files[c->depth - 1];
		if (namedconf_skip(f, err, errlen) == -1)
			return -1;
		if (f->pos < f->len)
			break;
		if (c->depth == 1) {
			t->eof = 1;
			t->text[0] = '\0';
			t->quoted = 0;
			t->line = f->line;
			t->off = t->end = f->len;
			snprintf(t->file, sizeof(t->file), "%s", f->path);
			return 0;
		}
		free(f->buf);
		f->buf = NULL;
		c->depth--;
	}
	snprintf(t->file, sizeof(t->file), "%s", f->path);
	return namedconf_word(f, t, err, errlen);
}

int
is_namedconf_punct(const struct namedconf_tok *t, char ch)
{
	return !t->eof && !t->quoted && t->text[0] == ch && t->text[1] == '\0';
}

int
namedconf_expect(struct namedconf *c, struct namedconf_tok *t, char ch,
    const char *after, char *err, size_t errlen)
{
	if (namedconf_tok(c, t, err, errlen) == -1)
		return -1;
	if (!is_namedconf_punct(t, ch)) {
		snprintf(err, errlen, "%s:%u: '%c' expected after %s",
		    t->file, t->line, ch, after);
		return -1;
	}
	return 0;
}

int
namedconf_value(struct namedconf *c, struct namedconf_tok *t,
    const char *name, char *err, size_t errlen)
{
	if (namedconf_tok(c, t, err, errlen) == -1)
		return -1;
	if (t->eof || (!t->quoted && strchr("{};", t->text[0]) != NULL)) {
		snprintf(err, errlen, "%s:%u: %s: value expected", t->file,
		    t->line, name);
		return -1;
	}
	return 0;
}

int
namedconf_skip_stmt(struct namedconf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	char file[AW_PATH_MAX];
	unsigned line = t->line;
	long depth = 0;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (namedconf_tok(c, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: statement not closed "
			    "(missing '}' or ';')", file, line);
			return -1;
		}
		if (is_namedconf_punct(t, '{'))
			depth++;
		else if (is_namedconf_punct(t, '}') && --depth < 0) {
			snprintf(err, errlen, "%s:%u: unexpected '}'",
			    t->file, t->line);
			return -1;
		} else if (is_namedconf_punct(t, ';') && depth == 0)
			return 0;
	}
}

/* 1 if path is one of the files being read (an include loop). */
static int
is_open_file(const struct namedconf *c, const char *path)
{
	char real[PATH_MAX], other[PATH_MAX];
	size_t i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	for (i = 0; i < c->depth; i++) {
		if (realpath(c->files[i].path, other) == NULL)
			snprintf(other, sizeof(other), "%s", c->files[i].path);
		if (strcmp(other, real) == 0)
			return 1;
	}
	return 0;
}

int
namedconf_include(struct namedconf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	char path[AW_PATH_MAX], why[AW_ERR_MAX], from[AW_PATH_MAX];
	unsigned line = t->line;

	snprintf(from, sizeof(from), "%s", t->file);
	if (namedconf_value(c, t, "include", err, errlen) == -1)
		return -1;
	if (t->text[0] == '\0' || fileio_join(c->cwd, t->text, path,
	    sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: bad include file name", from,
		    line);
		return -1;
	}
	if (namedconf_expect(c, t, ';', "include", err, errlen) == -1)
		return -1;
	if (c->depth > NAMEDCONF_DEPTH) {
		snprintf(err, errlen, "%s:%u: includes nested deeper than %d",
		    from, line, NAMEDCONF_DEPTH);
		return -1;
	}
	if (is_open_file(c, path)) {
		snprintf(err, errlen, "%s:%u: include loop: %s", from, line,
		    path);
		return -1;
	}
	if (namedconf_load(c, path, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s:%u: include: %s", from, line, why);
		return -1;
	}
	c->depth++;
	return 0;
}

/* ---- trust anchor entries ---------------------------------------------- */

/* Append token t to the entry text (quoted tokens keep their quotes). */
static int
namedconf_entry_add(char *text, size_t *len, const struct namedconf_tok *t)
{
	int n;

	n = snprintf(text + *len, NC_ENTRY_MAX - *len, t->quoted ?
	    " \"%s\"" : " %s", t->text);
	if (n < 0 || (size_t)n >= NC_ENTRY_MAX - *len ||
	    (t->quoted && strchr(t->text, '"') != NULL))
		return -1;
	*len += (size_t)n;
	return 0;
}

int
namedconf_entry(struct namedconf *c, struct namedconf_tok *t, int tk,
    struct namedconf_entry *e, char *err, size_t errlen)
{
	char text[NC_ENTRY_MAX], why[AW_ERR_MAX];
	size_t len = 0, ntok = 0;
	int r;

	memset(e, 0, sizeof(*e));
	snprintf(e->file, sizeof(e->file), "%s", t->file);
	e->line = t->line;
	e->off = t->off;
	text[0] = '\0';
	do {
		if (t->eof || is_namedconf_punct(t, '{') ||
		    is_namedconf_punct(t, '}')) {
			snprintf(err, errlen, "%s:%u: trust anchor entry "
			    "without ';'", e->file, e->line);
			return -1;
		}
		if (++ntok == 1)
			snprintf(e->name, sizeof(e->name), "%s", t->text);
		if (ntok == 2 && !tk)
			snprintf(e->kind, sizeof(e->kind), "%s", t->text);
		if (namedconf_entry_add(text, &len, t) == -1) {
			snprintf(err, errlen, "%s:%u: trust anchor entry too "
			    "long", e->file, e->line);
			return -1;
		}
		if (namedconf_tok(c, t, err, errlen) == -1)
			return -1;
	} while (!is_namedconf_punct(t, ';'));
	e->end = t->end;
	if (!tk && strcmp(e->kind, "initial-key") != 0 &&
	    strcmp(e->kind, "static-key") != 0 &&
	    strcmp(e->kind, "initial-ds") != 0 &&
	    strcmp(e->kind, "static-ds") != 0) {
		snprintf(err, errlen, "%s:%u: unknown anchor type \"%.32s\" "
		    "(initial-key, static-key, initial-ds or static-ds)",
		    e->file, e->line, e->kind);
		return -1;
	}
	e->is_static = tk || strncmp(e->kind, "static-", 7) == 0;
	if ((r = keyset_parse_trusted_key(text, &e->anchor, why,
	    sizeof(why))) == -1) {
		snprintf(err, errlen, "%s:%u: %s", e->file, e->line, why);
		return -1;
	}
	e->anchor.line = e->line;
	e->is_root = r == 1;
	return 0;
}

/* ---- unbound's trusted-keys-file ---------------------------------------- */

/* The body of a trusted-keys clause after its name, up to its "};". */
static int
namedconf_tk_clause(struct namedconf *c, struct namedconf_tok *t,
    struct source *s, char *err, size_t errlen)
{
	struct namedconf_entry *e = xcalloc(1, sizeof(*e));
	unsigned line = t->line;
	int rv = -1;

	if (namedconf_expect(c, t, '{', "trusted-keys", err, errlen) == -1)
		goto done;
	for (;;) {
		if (namedconf_tok(c, t, err, errlen) == -1)
			goto done;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: trusted-keys not closed",
			    t->file, line);
			goto done;
		}
		if (is_namedconf_punct(t, '}'))
			break;
		if (is_namedconf_punct(t, ';'))
			continue;
		if (namedconf_entry(c, t, 1, e, err, errlen) == -1)
			goto done;
		if (!e->is_root)
			continue;
		if (s->nanchors >= AW_ANCHOR_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d root "
			    "anchors", e->file, e->line, AW_ANCHOR_MAX);
			goto done;
		}
		*source_add_anchor(s) = e->anchor;
	}
	rv = namedconf_expect(c, t, ';', "'}'", err, errlen);
done:
	free(e);
	return rv;
}

int
namedconf_read_trusted_keys(const char *path, struct source *s, char *err,
    size_t errlen)
{
	struct namedconf *c = xcalloc(1, sizeof(*c));
	struct namedconf_tok *t = xcalloc(1, sizeof(*t));
	char why[AW_ERR_MAX];
	int r, rv = -1;

	s->kind = SRC_TRUSTED_KEYS;
	if (s->path[0] == '\0')
		snprintf(s->path, sizeof(s->path), "%s", path);
	if (namedconf_open(c, path, why, sizeof(why)) == -1) {
		if (s->decl_file[0] != '\0')
			snprintf(err, errlen, "%s:%u: %s", s->decl_file,
			    s->decl_line, why);
		else
			snprintf(err, errlen, "%s", why);
		goto done;
	}
	/* unbound skips everything but trusted-keys clauses, token by
	 * token (trust-anchors of BIND 9.15 on are not its syntax). */
	while ((r = namedconf_tok(c, t, err, errlen)) == 1)
		if (!t->quoted && strcmp(t->text, "trusted-keys") == 0 &&
		    namedconf_tk_clause(c, t, s, err, errlen) == -1)
			goto done;
	rv = r == -1 ? -1 : 0;
done:
	namedconf_close(c);
	free(c);
	free(t);
	return rv;
}
