/*
 * anchor-bind.c: what a BIND 9 named trusts for the root.
 *
 * Follows named.conf the way named 9.18 does (bin/named/server.c
 * configure_view_dnsseckeys, add_keydata_zone; lib/dns/zone.c
 * load_secroots, sync_keyzone):
 *  - include "file"; anywhere a statement may stand (nesting and loops
 *    refused); a relative name is opened in named's working directory, which
 *    the options directory changes as soon as it is parsed;
 *  - options { directory; managed-keys-directory; bindkeys-file;
 *    dnssec-validation auto|yes|no; } and per-view dnssec-validation;
 *  - trust-anchors and its synonym managed-keys, top level or in a view:
 *    static-key/static-ds are static anchors, initial-key/initial-ds are
 *    RFC 5011 managed (RFC 5011 section 2); trusted-keys are static.  Top
 *    level anchors count in every view;
 *  - dnssec-validation auto (the default) adds the root anchors of
 *    bind.keys when the file is readable, else the ones compiled into named
 *    (9.18.49: KSK-2017 20326 initial-key, KSK-2024 38696 initial-ds);
 *  - the RFC 5011 state: KEYDATA records in managed-keys.bind (no views) or
 *    <view>.mkeys (a hashed name for views with upper case or '/') in the
 *    managed-keys-directory, plus the transactions of its .jnl journal,
 *    which named writes on every refresh and folds into the file only now
 *    and then.  The journal is read through named-journalprint (execv, an
 *    argument vector, a time limit); transactions are applied from the
 *    file's SOA serial on, as named does at load.  A key is trusted when
 *    its remove hold-down is unset and its add hold-down has passed (or is
 *    zero: an initializing key); with a remove hold-down or the REVOKE bit
 *    it is Revoked; before its add hold-down it is AddPend.
 * bind_loaded asks the running daemon with `rndc managed-keys status`.
 * All input is hostile: bounded loads and tokens, no NUL bytes, strict
 * numbers; every error is "file:line: what is wrong".
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "anchorwatch.h"

#define BD_TOK_MAX 4096         /* one token of named.conf */
#define BD_ENTRY_MAX 8192       /* one trust anchor entry */
#define BD_DEPTH 16             /* nested includes */
#define BD_VIEWS_MAX 64
#define BD_BLOCKS_MAX 64        /* anchor clauses in one config */
#define BD_KEYS_MAX 64          /* key statements remembered */
#define BD_LINE_MAX 65536       /* one line of a zone file or journal */
#define BD_KD_MAX AW_ANCHOR_MAX /* KEYDATA records of the root */
#define BD_EXEC_MAX (16 * 1024 * 1024) /* output of a helper command */
#define BD_EXEC_TIMEOUT 5       /* seconds for a helper command */
#define BD_USER "bind"
#define BD_DEFAULTS "/etc/default/named"
#define BD_BINDKEYS "/etc/bind/bind.keys"
#define BD_CONFIG "/etc/bind/named.conf"
#define BD_JOURNALPRINT "/usr/bin/named-journalprint"
#define BD_RNDC "/usr/sbin/rndc"

enum bd_val { VAL_UNSET = -1, VAL_NO = 0, VAL_YES, VAL_AUTO };

/* named's built-in trust anchors (bind.keys of 9.18.49, root only). */
static const char bd_builtin[] =
    "trust-anchors {\n"
    ". initial-key 257 3 8 \"AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1"
    "vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtN"
    "ROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWg"
    "vIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIds"
    "IXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8su"
    "bX2Nn6UwNR1AkUTV74bU=\";\n"
    ". initial-ds 38696 8 2 \"683D2D0ACB8C9B712A1948B27F741219298D0A450D612C4"
    "83AF444A4C0FB2B16\";\n"
    "};\n";

/* A loaded file and a cursor into it. */
struct bd_file {
	char path[AW_PATH_MAX];
	char *buf;
	size_t len, pos;
	unsigned line;
};

struct bd_tok {
	char text[BD_TOK_MAX];
	int quoted;
	int eof;                      /* no more tokens */
	unsigned line;
	char file[AW_PATH_MAX];
};

/* One anchor clause: its static and its initializing anchors. */
struct bd_block {
	int view;                     /* index, -1 for top level */
	char file[AW_PATH_MAX];
	unsigned line;
	struct source st;             /* static-key, static-ds, trusted-keys */
	struct source init;           /* initial-key, initial-ds */
};

struct bd_view {
	char name[AW_NAME_MAX];
	int is_in;
	enum bd_val val;
	char where[AW_PATH_MAX + 16];
};

struct bd_key {
	char name[AW_NAME_MAX];
	char file[AW_PATH_MAX];
};

struct bd_conf {
	const char *main;             /* the config named by the user */
	struct bd_file files[BD_DEPTH + 1]; /* include stack */
	size_t depth;
	char cwd[AW_PATH_MAX];        /* named's working directory, "" unset */
	char mkdir[AW_PATH_MAX];      /* managed-keys-directory, "" unset */
	char bindkeys[AW_PATH_MAX];
	enum bd_val val;
	char where[AW_PATH_MAX + 16];
	struct bd_view views[BD_VIEWS_MAX];
	size_t nviews;
	struct bd_block *blocks;
	size_t nblocks;
	int have_controls;
	char ctl_addr[64];
	char ctl_port[8];
	char ctl_key[AW_NAME_MAX];
	struct bd_key keys[BD_KEYS_MAX];
	size_t nkeys;
};

/* One KEYDATA record (RFC 5011 state of one key, lib/dns keydata). */
struct bd_kd {
	uint32_t refresh, addhd, removehd;
	int placeholder;
	struct dnskey key;
	unsigned line;
};

struct bd_kdset {
	struct bd_kd kd[BD_KD_MAX];
	size_t n;
	uint32_t serial;
	int have_serial;
};

/* ---- small helpers ------------------------------------------------------ */

/* Load path into f, refusing NUL bytes.  Free f->buf when done. */
static int
bind_load(const char *path, struct bd_file *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->line = 1;
	return fileio_load_text(path, &f->buf, &f->len, err, errlen);
}

/* name resolved against dir ("" = as is) into out; -1 if too long. */
static int
bind_join(const char *dir, const char *name, char *out, size_t outlen)
{
	int n;

	if (name[0] == '/' || dir[0] == '\0')
		n = snprintf(out, outlen, "%s", name);
	else
		n = snprintf(out, outlen, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Strict decimal of at most max in s (whole string). */
static int
bind_num(const char *s, unsigned long long max, unsigned long long *v)
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

/* ---- named.conf tokens ---------------------------------------------------- */

/* Skip blanks and comments (//, #, C style) in f.  -1 on an open comment. */
static int
bind_skip(struct bd_file *f, char *err, size_t errlen)
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

/* Read one token of f at its cursor (not at the end) into t. */
static int
bind_word(struct bd_file *f, struct bd_tok *t, char *err, size_t errlen)
{
	const char *b = f->buf;
	size_t n = 0;

	t->line = f->line;
	t->quoted = b[f->pos] == '"';
	if (strchr("{};", b[f->pos]) != NULL) {
		snprintf(t->text, sizeof(t->text), "%c", b[f->pos++]);
		return 1;
	}
	for (f->pos += t->quoted; f->pos < f->len; f->pos++, n++) {
		if (t->quoted ? b[f->pos] == '"' : (isspace((unsigned char)
		    b[f->pos]) || strchr("{};\"#", b[f->pos]) != NULL ||
		    (b[f->pos] == '/' && (b[f->pos + 1] == '/' ||
		    b[f->pos + 1] == '*'))))
			break;
		if (t->quoted && b[f->pos] == '\\' && f->pos + 1 < f->len)
			f->pos++;       /* the escaped character itself */
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: token longer than %d "
			    "characters", f->path, t->line, BD_TOK_MAX);
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
	return 1;
}

/*
 * Next token of the include stack: at the end of an included file, the
 * file that included it goes on.  Returns 1, 0 at the very end (t->eof),
 * -1 with err set.
 */
static int
bind_tok(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	struct bd_file *f;

	t->eof = 0;
	for (;;) {
		f = &c->files[c->depth - 1];
		if (bind_skip(f, err, errlen) == -1)
			return -1;
		if (f->pos < f->len)
			break;
		if (c->depth == 1) {
			t->eof = 1;
			t->text[0] = '\0';
			t->quoted = 0;
			t->line = f->line;
			snprintf(t->file, sizeof(t->file), "%s", f->path);
			return 0;
		}
		free(f->buf);
		f->buf = NULL;
		c->depth--;
	}
	snprintf(t->file, sizeof(t->file), "%s", f->path);
	return bind_word(f, t, err, errlen);
}

/* 1 if t is the unquoted punctuation ch. */
static int
is_punct(const struct bd_tok *t, char ch)
{
	return !t->eof && !t->quoted && t->text[0] == ch && t->text[1] == '\0';
}

/* Read the next token and require punctuation ch. */
static int
bind_expect(struct bd_conf *c, struct bd_tok *t, char ch, const char *after,
    char *err, size_t errlen)
{
	if (bind_tok(c, t, err, errlen) == -1)
		return -1;
	if (!is_punct(t, ch)) {
		snprintf(err, errlen, "%s:%u: '%c' expected after %s",
		    t->file, t->line, ch, after);
		return -1;
	}
	return 0;
}

/* Read a value token (not punctuation) for option name. */
static int
bind_value(struct bd_conf *c, struct bd_tok *t, const char *name, char *err,
    size_t errlen)
{
	if (bind_tok(c, t, err, errlen) == -1)
		return -1;
	if (t->eof || (!t->quoted && strchr("{};", t->text[0]) != NULL)) {
		snprintf(err, errlen, "%s:%u: %s: value expected", t->file,
		    t->line, name);
		return -1;
	}
	return 0;
}

/*
 * Skip the rest of a statement whose first token was just read: up to its
 * ';' outside braces.  Returns 0 or -1 (err).
 */
static int
bind_skip_stmt(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	char file[AW_PATH_MAX];
	unsigned line = t->line;
	long depth = 0;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: statement not closed "
			    "(missing '}' or ';')", file, line);
			return -1;
		}
		if (is_punct(t, '{'))
			depth++;
		else if (is_punct(t, '}') && --depth < 0) {
			snprintf(err, errlen, "%s:%u: unexpected '}'",
			    t->file, t->line);
			return -1;
		} else if (is_punct(t, ';') && depth == 0)
			return 0;
	}
}

/* ---- include -------------------------------------------------------------- */

/* include "file"; with the name in t: push the file on the stack. */
static int
bind_include(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	char path[AW_PATH_MAX], real[PATH_MAX], other[PATH_MAX], why[AW_ERR_MAX];
	char from[AW_PATH_MAX];
	unsigned line = t->line;
	size_t i;

	snprintf(from, sizeof(from), "%s", t->file);
	if (bind_value(c, t, "include", err, errlen) == -1)
		return -1;
	if (t->text[0] == '\0' || bind_join(c->cwd, t->text, path,
	    sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: bad include file name", from,
		    line);
		return -1;
	}
	if (bind_expect(c, t, ';', "include", err, errlen) == -1)
		return -1;
	if (c->depth > BD_DEPTH) {
		snprintf(err, errlen, "%s:%u: includes nested deeper than %d",
		    from, line, BD_DEPTH);
		return -1;
	}
	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	for (i = 0; i < c->depth; i++) {
		if (realpath(c->files[i].path, other) == NULL)
			snprintf(other, sizeof(other), "%s", c->files[i].path);
		if (strcmp(other, real) == 0) {
			snprintf(err, errlen, "%s:%u: include loop: %s", from,
			    line, path);
			return -1;
		}
	}
	if (bind_load(path, &c->files[c->depth], why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s:%u: include: %s", from, line, why);
		return -1;
	}
	c->depth++;
	return 0;
}

/* ---- trust anchor clauses ------------------------------------------------- */

/* Append token t to the entry text (quoted tokens keep their quotes). */
static int
bind_entry_add(char *text, size_t *len, const struct bd_tok *t)
{
	int n;

	n = snprintf(text + *len, BD_ENTRY_MAX - *len, t->quoted ?
	    " \"%s\"" : " %s", t->text);
	if (n < 0 || (size_t)n >= BD_ENTRY_MAX - *len ||
	    (t->quoted && strchr(t->text, '"') != NULL))
		return -1;
	*len += (size_t)n;
	return 0;
}

/* Add anchor a to s; -1 (err) when s is full. */
static int
bind_add(struct source *s, const struct anchor *a, const char *file,
    unsigned line, char *err, size_t errlen)
{
	if (s->nanchors >= AW_ANCHOR_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d root anchors", file,
		    line, AW_ANCHOR_MAX);
		return -1;
	}
	s->anchors[s->nanchors] = *a;
	s->anchors[s->nanchors++].line = line;
	return 0;
}

/*
 * One entry of a clause, its first token in t, up to its ';'.  tk: a
 * trusted-keys clause (no anchor type word).
 */
static int
bind_entry(struct bd_conf *c, struct bd_tok *t, struct bd_block *b, int tk,
    char *err, size_t errlen)
{
	char text[BD_ENTRY_MAX], kind[16] = "", why[AW_ERR_MAX];
	char file[AW_PATH_MAX];
	unsigned line = t->line;
	struct anchor a;
	size_t len = 0, ntok = 0;
	int r;

	snprintf(file, sizeof(file), "%s", t->file);
	text[0] = '\0';
	do {
		if (t->eof || is_punct(t, '{') || is_punct(t, '}')) {
			snprintf(err, errlen, "%s:%u: trust anchor entry "
			    "without ';'", file, line);
			return -1;
		}
		if (++ntok == 2)
			snprintf(kind, sizeof(kind), "%s", t->text);
		if (bind_entry_add(text, &len, t) == -1) {
			snprintf(err, errlen, "%s:%u: trust anchor entry too "
			    "long", file, line);
			return -1;
		}
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
	} while (!is_punct(t, ';'));
	if (!tk && strcmp(kind, "initial-key") != 0 &&
	    strcmp(kind, "static-key") != 0 && strcmp(kind, "initial-ds") != 0 &&
	    strcmp(kind, "static-ds") != 0) {
		snprintf(err, errlen, "%s:%u: unknown anchor type \"%.32s\" "
		    "(initial-key, static-key, initial-ds or static-ds)", file,
		    line, kind);
		return -1;
	}
	if ((r = keyset_parse_trusted_key(text, &a, why, sizeof(why))) == -1) {
		snprintf(err, errlen, "%s:%u: %s", file, line, why);
		return -1;
	}
	if (r == 0)
		return 0;       /* another zone */
	if (!tk && strncmp(kind, "initial-", 8) == 0) {
		a.state = KS_VALID;
		return bind_add(&b->init, &a, file, line, err, errlen);
	}
	return bind_add(&b->st, &a, file, line, err, errlen);
}

/* A trust-anchors, managed-keys or trusted-keys clause; name in t. */
static int
bind_anchors(struct bd_conf *c, struct bd_tok *t, int view, char *err,
    size_t errlen)
{
	struct bd_block *b;
	int tk = strcmp(t->text, "trusted-keys") == 0;

	if (c->nblocks >= BD_BLOCKS_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d trust anchor "
		    "clauses", t->file, t->line, BD_BLOCKS_MAX);
		return -1;
	}
	c->blocks = xreallocarray(c->blocks, c->nblocks + 1,
	    sizeof(*c->blocks));
	b = &c->blocks[c->nblocks++];
	memset(b, 0, sizeof(*b));
	b->view = view;
	snprintf(b->file, sizeof(b->file), "%s", t->file);
	b->line = t->line;
	if (bind_expect(c, t, '{', "trust-anchors", err, errlen) == -1)
		return -1;
	for (;;) {
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
		if (is_punct(t, '}'))
			break;
		if (is_punct(t, ';'))
			continue;
		if (bind_entry(c, t, b, tk, err, errlen) == -1)
			return -1;
	}
	return bind_expect(c, t, ';', "'}'", err, errlen);
}

/* ---- options, view, controls --------------------------------------------- */

/* dnssec-validation value into *v and where it was said. */
static int
bind_validation(struct bd_conf *c, struct bd_tok *t, enum bd_val *v,
    char *where, size_t wlen, char *err, size_t errlen)
{
	static const char *yes[] = { "yes", "true", "1" };
	static const char *no[] = { "no", "false", "0" };
	size_t i;

	snprintf(where, wlen, "%s:%u", t->file, t->line);
	if (bind_value(c, t, "dnssec-validation", err, errlen) == -1)
		return -1;
	*v = VAL_UNSET;
	if (strcasecmp(t->text, "auto") == 0)
		*v = VAL_AUTO;
	for (i = 0; i < 3; i++) {
		if (strcasecmp(t->text, yes[i]) == 0)
			*v = VAL_YES;
		if (strcasecmp(t->text, no[i]) == 0)
			*v = VAL_NO;
	}
	if (*v == VAL_UNSET) {
		snprintf(err, errlen, "%s:%u: dnssec-validation: \"%.32s\" is "
		    "not auto, yes or no", t->file, t->line, t->text);
		return -1;
	}
	return bind_expect(c, t, ';', "dnssec-validation", err, errlen);
}

/* A path option of options { }: its value into dst (resolved). */
static int
bind_path_opt(struct bd_conf *c, struct bd_tok *t, char *dst, size_t dstlen,
    char *err, size_t errlen)
{
	char name[64];

	snprintf(name, sizeof(name), "%s", t->text);
	if (bind_value(c, t, name, err, errlen) == -1)
		return -1;
	if (t->text[0] == '\0' || bind_join(c->cwd, t->text, dst,
	    dstlen) == -1) {
		snprintf(err, errlen, "%s:%u: %s: bad path", t->file, t->line,
		    name);
		return -1;
	}
	return bind_expect(c, t, ';', name, err, errlen);
}

/* The body of options { ... }; after its '{'. */
static int
bind_options(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], file[AW_PATH_MAX];
	unsigned line = t->line;
	int r;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: options not closed",
			    file, line);
			return -1;
		}
		if (is_punct(t, '}'))
			return bind_expect(c, t, ';', "'}'", err, errlen);
		if (is_punct(t, ';'))
			r = 0;
		else if (is_punct(t, '{')) {
			snprintf(err, errlen, "%s:%u: unexpected '{'", t->file,
			    t->line);
			r = -1;
		} else if (t->quoted)
			r = bind_skip_stmt(c, t, err, errlen);
		else if (strcmp(t->text, "include") == 0)
			r = bind_include(c, t, err, errlen);
		else if (strcmp(t->text, "directory") == 0) {
			if ((r = bind_path_opt(c, t, dir, sizeof(dir), err,
			    errlen)) == 0)
				memcpy(c->cwd, dir, sizeof(dir));
		} else if (strcmp(t->text, "managed-keys-directory") == 0)
			r = bind_path_opt(c, t, c->mkdir, sizeof(c->mkdir), err,
			    errlen);
		else if (strcmp(t->text, "bindkeys-file") == 0)
			r = bind_path_opt(c, t, c->bindkeys,
			    sizeof(c->bindkeys), err, errlen);
		else if (strcmp(t->text, "dnssec-validation") == 0)
			r = bind_validation(c, t, &c->val, c->where,
			    sizeof(c->where), err, errlen);
		else
			r = bind_skip_stmt(c, t, err, errlen);
		if (r == -1)
			return -1;
	}
}

/* controls { inet ADDR [port N] allow { } [keys { "k"; }] ; ... }; */
static int
bind_controls(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	enum { W_NONE, W_ADDR, W_PORT, W_KEY } want = W_NONE;
	int depth = 0, inkeys = 0, first = !c->have_controls;
	unsigned line = t->line;
	char file[AW_PATH_MAX];

	snprintf(file, sizeof(file), "%s", t->file);
	c->have_controls = 1;
	for (;;) {
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: controls not closed",
			    file, line);
			return -1;
		}
		if (is_punct(t, '{'))
			depth++;
		else if (is_punct(t, '}')) {
			if (--depth < 0) {
				snprintf(err, errlen, "%s:%u: unexpected '}'",
				    t->file, t->line);
				return -1;
			}
			inkeys = 0;
		} else if (is_punct(t, ';') && depth == 0)
			return 0;
		else if (!first || is_punct(t, ';'))
			continue;
		else if (want == W_ADDR && c->ctl_addr[0] == '\0')
			snprintf(c->ctl_addr, sizeof(c->ctl_addr), "%s",
			    t->text);
		else if (want == W_PORT && c->ctl_port[0] == '\0')
			snprintf(c->ctl_port, sizeof(c->ctl_port), "%s",
			    t->text);
		else if (inkeys && c->ctl_key[0] == '\0')
			snprintf(c->ctl_key, sizeof(c->ctl_key), "%s", t->text);
		want = W_NONE;
		if (!t->quoted && strcmp(t->text, "inet") == 0)
			want = W_ADDR;
		else if (!t->quoted && strcmp(t->text, "port") == 0)
			want = W_PORT;
		else if (!t->quoted && strcmp(t->text, "keys") == 0)
			inkeys = 1;
	}
}

/* key "name" { ... }; remember which file defines it (for rndc -k). */
static int
bind_key(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	char file[AW_PATH_MAX];

	snprintf(file, sizeof(file), "%s", t->file);
	if (bind_value(c, t, "key", err, errlen) == -1)
		return -1;
	if (c->nkeys < BD_KEYS_MAX) {
		snprintf(c->keys[c->nkeys].name, sizeof(c->keys[0].name),
		    "%s", t->text);
		snprintf(c->keys[c->nkeys++].file, sizeof(c->keys[0].file),
		    "%s", file);
	}
	return bind_skip_stmt(c, t, err, errlen);
}

static int bind_body(struct bd_conf *, struct bd_tok *, int, char *,
    size_t);

/* view "name" [class] { ... }; name in the next token. */
static int
bind_view(struct bd_conf *c, struct bd_tok *t, char *err, size_t errlen)
{
	struct bd_view *v;

	if (c->nviews >= BD_VIEWS_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d views", t->file,
		    t->line, BD_VIEWS_MAX);
		return -1;
	}
	v = &c->views[c->nviews];
	memset(v, 0, sizeof(*v));
	v->val = VAL_UNSET;
	v->is_in = 1;
	if (bind_value(c, t, "view", err, errlen) == -1)
		return -1;
	if (snprintf(v->name, sizeof(v->name), "%s", t->text) >=
	    (int)sizeof(v->name) || t->text[0] == '\0') {
		snprintf(err, errlen, "%s:%u: bad view name", t->file, t->line);
		return -1;
	}
	if (bind_tok(c, t, err, errlen) == -1)
		return -1;
	if (!is_punct(t, '{')) {
		if (t->eof || t->quoted || strchr("};", t->text[0]) != NULL) {
			snprintf(err, errlen, "%s:%u: '{' expected after view",
			    t->file, t->line);
			return -1;
		}
		v->is_in = strcasecmp(t->text, "IN") == 0;
		if (bind_expect(c, t, '{', "view class", err, errlen) == -1)
			return -1;
	}
	c->nviews++;
	return bind_body(c, t, (int)c->nviews - 1, err, errlen);
}

/*
 * Statements of the top level (view -1) or of a view body (its index,
 * after the '{').  Returns 0 at the end of the body, -1 (err).
 */
static int
bind_body(struct bd_conf *c, struct bd_tok *t, int view, char *err,
    size_t errlen)
{
	struct bd_view *v = view >= 0 ? &c->views[view] : NULL;
	char file[AW_PATH_MAX];
	unsigned line = t->line;
	int r;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (bind_tok(c, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			if (v == NULL)
				return 0;
			snprintf(err, errlen, "%s:%u: view \"%s\" not closed",
			    file, line, v->name);
			return -1;
		}
		if (is_punct(t, '}') && v != NULL)
			return bind_expect(c, t, ';', "'}'", err, errlen);
		if (is_punct(t, ';'))
			continue;
		if (is_punct(t, '}') || is_punct(t, '{')) {
			snprintf(err, errlen, "%s:%u: unexpected '%s'", t->file,
			    t->line, t->text);
			return -1;
		}
		if (t->quoted)
			r = bind_skip_stmt(c, t, err, errlen);
		else if (strcmp(t->text, "include") == 0)
			r = bind_include(c, t, err, errlen);
		else if (strcmp(t->text, "trust-anchors") == 0 ||
		    strcmp(t->text, "managed-keys") == 0 ||
		    strcmp(t->text, "trusted-keys") == 0)
			r = bind_anchors(c, t, view, err, errlen);
		else if (v != NULL && strcmp(t->text, "dnssec-validation") == 0)
			r = bind_validation(c, t, &v->val, v->where,
			    sizeof(v->where), err, errlen);
		else if (v == NULL && strcmp(t->text, "options") == 0)
			r = bind_expect(c, t, '{', "options", err, errlen) ||
			    bind_options(c, t, err, errlen);
		else if (v == NULL && strcmp(t->text, "view") == 0)
			r = bind_view(c, t, err, errlen);
		else if (v == NULL && strcmp(t->text, "controls") == 0)
			r = bind_controls(c, t, err, errlen);
		else if (strcmp(t->text, "key") == 0)
			r = bind_key(c, t, err, errlen);
		else
			r = bind_skip_stmt(c, t, err, errlen);
		if (r != 0)
			return -1;
	}
}

/* Parse the file loaded in c->files[0] (the bottom of the stack). */
static int
bind_parse_loaded(struct bd_conf *c, char *err, size_t errlen)
{
	struct bd_tok *t = xcalloc(1, sizeof(*t));
	int rv;

	c->depth = 1;
	rv = bind_body(c, t, -1, err, errlen);
	while (c->depth > 0)
		free(c->files[--c->depth].buf);
	free(t);
	return rv;
}

/* Parse the config file path. */
static int
bind_parse(struct bd_conf *c, const char *path, char *err, size_t errlen)
{
	c->depth = 0;
	if (bind_load(path, &c->files[0], err, errlen) == -1)
		return -1;
	return bind_parse_loaded(c, err, errlen);
}

static void
bind_conf_free(struct bd_conf *c)
{
	if (c == NULL)
		return;
	while (c->depth > 0)
		free(c->files[--c->depth].buf);
	free(c->blocks);
	free(c);
}

/* ---- managed-keys.bind: KEYDATA records ---------------------------------- */

/* A 14-digit YYYYMMDDHHMMSS time (dns_time32_fromtext) into *v. */
static int
bind_time(const char *s, uint32_t *v)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int f[6], i, leap;
	long long days = 0, y;

	if (strlen(s) != 14)
		return -1;
	for (i = 0; i < 14; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (sscanf(s, "%4d%2d%2d%2d%2d%2d", &f[0], &f[1], &f[2], &f[3], &f[4],
	    &f[5]) != 6)
		return -1;
	leap = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > mdays[f[1] - 1] +
	    (f[1] == 2 && leap) || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return -1;
	for (y = 1970; y < f[0]; y++)
		days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 :
		    365;
	for (y = 1969; y >= f[0]; y--)
		days -= (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 :
		    365;
	for (i = 0; i < f[1] - 1; i++)
		days += mdays[i];
	if (leap && f[1] > 2)
		days++;
	days += f[2] - 1;
	*v = (uint32_t)(days * 86400 + f[3] * 3600 + f[4] * 60 + f[5]);
	return 0;
}

/* Split the next blank-separated word off *p into w. */
static size_t
bind_split(const char **p, char *w, size_t wlen)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (s[n] != '\0' && s[n] != ' ' && s[n] != '\t')
		n++;
	snprintf(w, wlen, "%.*s", (int)n, s);
	*p = s + n;
	return n;
}

/* Hex digits of text (blanks skipped) into out; returns length or -1. */
static int
bind_hex(const char *text, unsigned char *out, size_t outlen)
{
	size_t n = 0;
	int hi = -1, d;

	for (; *text != '\0'; text++) {
		if (*text == ' ' || *text == '\t')
			continue;
		if (!isxdigit((unsigned char)*text))
			return -1;
		d = isdigit((unsigned char)*text) ? *text - '0' :
		    tolower((unsigned char)*text) - 'a' + 10;
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= outlen)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | d);
		hi = -1;
	}
	return hi >= 0 ? -1 : (int)n;
}

/* KEYDATA rdata in text form (after the type) into kd.  0 or -1 (why). */
static int
bind_kd_rdata(const char *p, struct bd_kd *kd, char *why, size_t whylen)
{
	unsigned char rd[12 + 4 + AW_KEY_MAX];
	char w[64], text[BD_LINE_MAX + 16];
	unsigned long long len;
	struct anchor a;
	int n, i;

	memset(kd, 0, sizeof(*kd));
	bind_split(&p, w, sizeof(w));
	if (strcmp(w, "\\#") == 0) {    /* RFC 3597 generic form */
		bind_split(&p, w, sizeof(w));
		if (bind_num(w, sizeof(rd), &len) == -1 ||
		    (n = bind_hex(p, rd, sizeof(rd))) == -1 ||
		    (unsigned long long)n != len || n < 16) {
			snprintf(why, whylen, "bad KEYDATA rdata");
			return -1;
		}
		kd->refresh = (uint32_t)rd[0] << 24 | rd[1] << 16 | rd[2] << 8 |
		    rd[3];
		kd->addhd = (uint32_t)rd[4] << 24 | rd[5] << 16 | rd[6] << 8 |
		    rd[7];
		kd->removehd = (uint32_t)rd[8] << 24 | rd[9] << 16 |
		    rd[10] << 8 | rd[11];
		kd->placeholder = rd[12] == 0 && rd[13] == 0 && rd[14] == 0 &&
		    rd[15] == 0;
		if (kd->placeholder)
			return 0;
		if (keyset_dnskey_from_rdata(&kd->key, rd + 12,
		    (size_t)n - 12) == -1) {
			snprintf(why, whylen, "bad KEYDATA key");
			return -1;
		}
		return 0;
	}
	for (i = 0; i < 3; i++) {
		if (bind_time(w, i == 0 ? &kd->refresh : i == 1 ? &kd->addhd :
		    &kd->removehd) == -1) {
			snprintf(why, whylen, "bad KEYDATA time \"%.20s\" "
			    "(YYYYMMDDHHMMSS)", w);
			return -1;
		}
		bind_split(&p, w, sizeof(w));
	}
	if (strcmp(w, "0") == 0 && strncmp(p, " 0 0", 4) == 0 &&
	    p[4] == '\0') {
		kd->placeholder = 1;
		return 0;
	}
	snprintf(text, sizeof(text), ". DNSKEY %s%s", w, p);
	if (keyset_parse_rr(text, &a, why, whylen) != 1) {
		if (why[0] == '\0')
			snprintf(why, whylen, "bad KEYDATA key");
		return -1;
	}
	kd->key = a.key;
	return 0;
}

/*
 * One record of the key zone, joined onto one line, owner complete:
 * "owner [ttl] [class] type rdata".  SOA sets the serial, KEYDATA of the
 * root is returned in kd (1); anything else 0; -1 (why).
 */
static int
bind_kd_record(const char *text, struct bd_kdset *set, struct bd_kd *kd,
    char *why, size_t whylen)
{
	char owner[256], w[64], serial[32];
	const char *p = text;
	unsigned long long v;
	int i;

	bind_split(&p, owner, sizeof(owner));
	for (i = 0; i < 3; i++) {
		bind_split(&p, w, sizeof(w));
		if (!isdigit((unsigned char)w[0]) && strcasecmp(w, "IN") != 0)
			break;
	}
	if (strcmp(owner, ".") != 0)
		return 0;
	if (strcasecmp(w, "SOA") == 0) {
		bind_split(&p, serial, sizeof(serial));
		bind_split(&p, serial, sizeof(serial));
		bind_split(&p, serial, sizeof(serial));
		if (bind_num(serial, UINT32_MAX, &v) == -1) {
			snprintf(why, whylen, "bad SOA serial");
			return -1;
		}
		set->serial = (uint32_t)v;
		set->have_serial = 1;
		return 0;
	}
	if (strcasecmp(w, "KEYDATA") != 0 && strcasecmp(w, "TYPE65533") != 0)
		return 0;
	return bind_kd_rdata(p, kd, why, whylen) == -1 ? -1 : 1;
}

/* Add kd to set; -1 (why) when full. */
static int
bind_kd_add(struct bd_kdset *set, const struct bd_kd *kd, char *why,
    size_t whylen)
{
	if (set->n >= BD_KD_MAX) {
		snprintf(why, whylen, "more than %d KEYDATA records",
		    BD_KD_MAX);
		return -1;
	}
	set->kd[set->n++] = *kd;
	return 0;
}

/*
 * Feed one physical line of a zone file into rec (parentheses joined,
 * ';' comments dropped).  Returns 1 when a record is complete, 0 if it
 * needs more lines or is blank, -1 (why).
 */
static int
bind_zone_feed(char *rec, size_t *rlen, int *depth, const char *l, size_t n,
    char *why, size_t whylen)
{
	size_t i;
	char ch;

	for (i = 0; i < n && l[i] != ';'; i++) {
		ch = l[i];
		if (ch == '(')
			(*depth)++;
		else if (ch == ')' && --(*depth) < 0) {
			snprintf(why, whylen, "')' without '('");
			return -1;
		}
		if (ch == '(' || ch == ')' || ch == '\t' || ch == '\r')
			ch = ' ';
		if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '"') {
			snprintf(why, whylen, "unexpected character in record");
			return -1;
		}
		if (*rlen + 2 >= BD_LINE_MAX) {
			snprintf(why, whylen, "record longer than %d "
			    "characters", BD_LINE_MAX);
			return -1;
		}
		rec[(*rlen)++] = ch;
	}
	rec[(*rlen)++] = ' ';
	rec[*rlen] = '\0';
	if (*depth > 0)
		return 0;
	for (i = 0; i < *rlen; i++)
		if (rec[i] != ' ')
			return 1;
	return 0;
}

/*
 * A complete record rec (its first line started with a blank if cont):
 * directives, owner completion ("@" and relative names against $ORIGIN),
 * then bind_kd_record.
 */
static int
bind_zone_record(char *rec, int cont, char *origin, char *owner,
    struct bd_kdset *set, unsigned line, char *why, size_t whylen)
{
	char text[BD_LINE_MAX + 512], first[256];
	const char *p = rec;
	struct bd_kd kd;
	int r;

	bind_split(&p, first, sizeof(first));
	if (!cont && first[0] == '$') {
		if (strcasecmp(first, "$ORIGIN") == 0) {
			bind_split(&p, origin, 256);
			return 0;
		}
		if (strcasecmp(first, "$TTL") == 0)
			return 0;
		snprintf(why, whylen, "unsupported directive %.32s", first);
		return -1;
	}
	if (cont)
		p = rec;
	else if (strcmp(first, "@") == 0)
		snprintf(owner, 256, "%s", origin);
	else if (first[0] != '\0' && first[strlen(first) - 1] == '.')
		snprintf(owner, 256, "%s", first);
	else
		snprintf(owner, 256, "%s.%s", first, strcmp(origin, ".") == 0 ?
		    "" : origin);
	if (owner[0] == '\0') {
		snprintf(why, whylen, "record without an owner name");
		return -1;
	}
	snprintf(text, sizeof(text), "%s %s", owner, p);
	if ((r = bind_kd_record(text, set, &kd, why, whylen)) != 1)
		return r;
	kd.line = line;
	return bind_kd_add(set, &kd, why, whylen);
}

/* Read the key zone file path into set.  A missing file is no error. */
static int
bind_read_keyzone(const char *path, struct bd_kdset *set, char *err,
    size_t errlen)
{
	char *rec = xcalloc(1, BD_LINE_MAX + 1), origin[256] = ".";
	char owner[256] = "", why[AW_ERR_MAX] = "";
	struct bd_file f;
	const char *l, *e;
	size_t n, rlen = 0;
	unsigned start = 0;
	int depth = 0, cont = 0, r, rv = -1;

	if (access(path, F_OK) == -1 && errno == ENOENT) {
		free(rec);
		return 0;
	}
	if (bind_load(path, &f, err, errlen) == -1) {
		free(rec);
		return -1;
	}
	f.line = 0;
	while (f.pos < f.len) {
		l = f.buf + f.pos;
		e = memchr(l, '\n', f.len - f.pos);
		n = e != NULL ? (size_t)(e - l) : f.len - f.pos;
		f.pos += n + (e != NULL);
		f.line++;
		if (depth == 0) {
			rlen = 0;
			start = f.line;
			cont = n > 0 && (l[0] == ' ' || l[0] == '\t');
		}
		if ((r = bind_zone_feed(rec, &rlen, &depth, l, n, why,
		    sizeof(why))) == -1 || (r == 1 && bind_zone_record(rec,
		    cont, origin, owner, set, start, why, sizeof(why)) == -1)) {
			snprintf(err, errlen, "%s:%u: %s", path, f.line, why);
			goto done;
		}
	}
	if (depth > 0) {
		snprintf(err, errlen, "%s:%u: '(' not closed", path, start);
		goto done;
	}
	rv = 0;
done:
	free(rec);
	free(f.buf);
	return rv;
}

/* 1 if a and b are the same KEYDATA record. */
static int
is_same_kd(const struct bd_kd *a, const struct bd_kd *b)
{
	if (a->refresh != b->refresh || a->addhd != b->addhd ||
	    a->removehd != b->removehd || a->placeholder != b->placeholder)
		return 0;
	return a->placeholder || (a->key.flags == b->key.flags &&
	    is_same_key(&a->key, &b->key));
}

/*
 * Apply named-journalprint output (lines "add|del owner ttl class type
 * rdata") to set: transactions run from "del SOA <serial>" to the next,
 * and count only when they start at the serial reached so far.
 */
static int
bind_journal_apply(const char *path, char *out, struct bd_kdset *set,
    char *err, size_t errlen)
{
	char op[8], why[AW_ERR_MAX] = "";
	struct bd_kdset soa;
	struct bd_kd kd;
	unsigned line = 0;
	int on = 0, r;
	size_t i;
	char *l, *next;
	const char *p;

	for (l = out; l != NULL && *l != '\0'; l = next) {
		if ((next = strchr(l, '\n')) != NULL)
			*next++ = '\0';
		line++;
		p = l;
		bind_split(&p, op, sizeof(op));
		if (strcmp(op, "add") != 0 && strcmp(op, "del") != 0)
			continue;       /* headers of -x */
		memset(&soa, 0, sizeof(soa));
		if ((r = bind_kd_record(p, &soa, &kd, why, sizeof(why))) == -1)
			goto bad;
		if (soa.have_serial) {
			if (op[0] == 'd' && !set->have_serial) {
				/* No file yet: the journal is all there is. */
				set->serial = soa.serial;
				set->have_serial = 1;
			}
			if (op[0] == 'd')
				on = soa.serial == set->serial;
			else if (on)
				set->serial = soa.serial;
			continue;
		}
		if (r == 0 || !on)
			continue;
		if (op[0] == 'a') {
			kd.line = 0;
			if (bind_kd_add(set, &kd, why, sizeof(why)) == -1)
				goto bad;
			continue;
		}
		for (i = 0; i < set->n; i++)
			if (is_same_kd(&set->kd[i], &kd))
				break;
		if (i < set->n)
			set->kd[i] = set->kd[--set->n];
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: journal record %u: %s", path, line, why);
	return -1;
}

/* The newest state: path, then the transactions of path.jnl if any. */
static int
bind_read_state(const char *path, struct bd_kdset *set, char *err,
    size_t errlen)
{
	char jnl[AW_PATH_MAX + 8], why[AW_ERR_MAX], *out;
	char *argv[] = { (char *)BD_JOURNALPRINT, jnl, NULL };
	size_t outlen;
	int status, rv;

	memset(set, 0, sizeof(*set));
	if (bind_read_keyzone(path, set, err, errlen) == -1)
		return -1;
	snprintf(jnl, sizeof(jnl), "%s.jnl", path);
	if (access(jnl, F_OK) == -1)
		return 0;
	if (spawn_read(argv, BD_EXEC_TIMEOUT, BD_EXEC_MAX, 0, &out, &outlen,
	    &status, why, sizeof(why)) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		if (out == NULL || why[0] == '\0')
			snprintf(why, sizeof(why), "%s failed",
			    BD_JOURNALPRINT);
		snprintf(err, errlen, "%s: cannot read the journal (%s); "
		    "`rndc managed-keys sync` folds it into %s", jnl, why,
		    path);
		free(out);
		return -1;
	}
	rv = bind_journal_apply(jnl, out, set, err, errlen);
	free(out);
	return rv;
}

/* ---- putting it together ------------------------------------------------ */

/* The key zone file of view name (isc_file_sanitize) into out. */
static int
bind_mkeys_path(const char *dir, const char *view, char *out, size_t outlen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char hash[2 * EVP_MAX_MD_SIZE + 1], name[128];
	const char *base = view, *ext = "mkeys";

	if (view[0] == '\0' || strcmp(view, "_default") == 0) {
		base = "managed-keys";
		ext = "bind";
	}
	if (EVP_Digest(base, strlen(base), md, &mdlen, EVP_sha256(),
	    NULL) != 1)
		return -1;
	for (i = 0; i < mdlen; i++)
		snprintf(hash + 2 * i, 3, "%02x", md[i]);
	snprintf(name, sizeof(name), "%s.%s", hash, ext);
	if (bind_join(dir, name, out, outlen) == 0 && access(out, F_OK) == 0)
		return 0;
	hash[16] = '\0';
	snprintf(name, sizeof(name), "%s.%s", hash, ext);
	if (bind_join(dir, name, out, outlen) == 0 && (access(out, F_OK) == 0 ||
	    strpbrk(base, "\\/ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL))
		return 0;
	if (snprintf(name, sizeof(name), "%s.%s", base, ext) >=
	    (int)sizeof(name))
		return -1;
	return bind_join(dir, name, out, outlen);
}

/* Map a KEYDATA record to an anchor (load_secroots' rules at now). */
static void
bind_kd_anchor(const struct bd_kd *kd, time_t now, struct anchor *a)
{
	memset(a, 0, sizeof(*a));
	a->key = kd->key;
	a->line = kd->line;
	a->lastchange = kd->addhd;
	if (kd->removehd != 0 || (kd->key.flags & DNSKEY_F_REVOKE))
		a->state = KS_REVOKED;
	else if ((time_t)kd->addhd > now)
		a->state = KS_ADDPEND;
	else
		a->state = KS_VALID;
}

/*
 * The RFC 5011 source of a view: the key zone's KEYDATA when it has real
 * records for the root, else the initializing anchors of the config
 * (named trusts them until its first refresh).
 */
static int
bind_auto_source(const struct bd_conf *c, const char *view,
    const struct source *init, struct resolver *r, char *err,
    size_t errlen)
{
	struct bd_kdset *set = xcalloc(1, sizeof(*set));
	const char *dir = c->mkdir[0] != '\0' ? c->mkdir : c->cwd[0] != '\0' ?
	    c->cwd : "/";
	struct source *s = resolver_add_source(r);
	time_t now = time(NULL);
	size_t i;
	int real = 0, rv = -1;

	*s = *init;
	s->kind = SRC_AUTO;
	snprintf(s->view, sizeof(s->view), "%s", view);
	if (bind_mkeys_path(dir, view, s->path, sizeof(s->path)) == -1) {
		snprintf(err, errlen, "%s:%u: managed keys file name too long",
		    s->decl_file, s->decl_line);
		goto done;
	}
	if (bind_read_state(s->path, set, err, errlen) == -1)
		goto done;
	for (i = 0; i < set->n; i++)
		real |= !set->kd[i].placeholder;
	if (real) {
		s->nanchors = 0;
		for (i = 0; i < set->n; i++)
			if (!set->kd[i].placeholder)
				bind_kd_anchor(&set->kd[i], now,
				    &s->anchors[s->nanchors++]);
	}
	rv = 0;
done:
	free(set);
	return rv;
}

/* Static anchors of block b as a source of view. */
static void
bind_static_source(const struct bd_conf *c, const struct bd_block *b,
    const char *view, struct resolver *r)
{
	struct source *s;

	if (b->st.nanchors == 0)
		return;
	s = resolver_add_source(r);
	*s = b->st;
	s->kind = strcmp(b->file, c->main) == 0 ? SRC_INLINE : SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", b->file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", b->file);
	s->decl_line = b->line;
	snprintf(s->view, sizeof(s->view), "%s", view);
}

/* Append the initializing anchors of b to init (declared at the first). */
static int
bind_collect(struct source *init, const struct bd_block *b, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < b->init.nanchors; i++) {
		if (init->decl_file[0] == '\0') {
			snprintf(init->decl_file, sizeof(init->decl_file),
			    "%s", b->file);
			init->decl_line = b->init.anchors[i].line;
		}
		if (bind_add(init, &b->init.anchors[i], b->file,
		    b->init.anchors[i].line, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/*
 * dnssec-validation auto: the trust-anchors of bind.keys when readable
 * (named falls back on its built-ins otherwise), into bk (parsed there).
 */
static int
bind_builtin(const struct bd_conf *c, struct bd_conf *bk, char *err,
    size_t errlen)
{
	const char *path = c->bindkeys[0] != '\0' ? c->bindkeys : BD_BINDKEYS;
	struct bd_file *f = &bk->files[0];

	bk->main = path;
	if (access(path, R_OK) == 0)
		return bind_parse(bk, path, err, errlen);
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "named built-in trust anchors");
	if ((f->buf = strdup(bd_builtin)) == NULL)
		fatalx("out of memory");
	f->len = strlen(bd_builtin);
	f->line = 1;
	bk->main = f->path;
	return bind_parse_loaded(bk, err, errlen);
}

/* Sources of one view (name "" when there are no views). */
static int
bind_apply_view(const struct bd_conf *c, int vi, const char *name,
    enum bd_val val, const char *vwhere, struct resolver *r, char *err,
    size_t errlen)
{
	struct source *init = xcalloc(1, sizeof(*init));
	struct bd_conf *bk = NULL;
	size_t i;
	int rv = -1;

	for (i = 0; i < c->nblocks; i++) {
		if (c->blocks[i].view != vi && c->blocks[i].view != -1)
			continue;
		bind_static_source(c, &c->blocks[i], name, r);
		if (bind_collect(init, &c->blocks[i], err, errlen) == -1)
			goto done;
	}
	if (val == VAL_AUTO) {
		bk = xcalloc(1, sizeof(*bk));
		if (bind_builtin(c, bk, err, errlen) == -1)
			goto done;
		for (i = 0; i < bk->nblocks; i++) {
			if (bk->blocks[i].view != -1)
				continue;
			bind_static_source(bk, &bk->blocks[i], name, r);
			if (init->decl_file[0] == '\0' && vwhere[0] != '\0') {
				snprintf(init->decl_file,
				    sizeof(init->decl_file), "%.*s",
				    (int)strcspn(vwhere, ":"), vwhere);
				init->decl_line = (unsigned)strtoul(vwhere +
				    strcspn(vwhere, ":") + 1, NULL, 10);
			}
			if (bind_collect(init, &bk->blocks[i], err,
			    errlen) == -1)
				goto done;
		}
	}
	rv = init->nanchors > 0 ? bind_auto_source(c, name, init, r, err,
	    errlen) : 0;
done:
	bind_conf_free(bk);
	free(init);
	return rv;
}

/* Every IN view's sources; DNSSEC_OFF when no view validates. */
static int
bind_apply(const struct bd_conf *c, struct resolver *r, char *err,
    size_t errlen)
{
	const struct bd_view *v;
	const char *where;
	enum bd_val val;
	size_t i;
	int on = 0, nin = 0;
	char off[sizeof(r->dnssec_where)] = "";

	for (i = 0; i < (c->nviews > 0 ? c->nviews : 1); i++) {
		v = c->nviews > 0 ? &c->views[i] : NULL;
		if (v != NULL && !v->is_in)
			continue;
		nin++;
		val = v != NULL && v->val != VAL_UNSET ? v->val : c->val;
		where = v != NULL && v->val != VAL_UNSET ? v->where : c->where;
		if (val == VAL_UNSET)
			val = VAL_AUTO; /* named's default (config.c) */
		if (val == VAL_NO) {
			if (off[0] == '\0')
				snprintf(off, sizeof(off), "%s", where);
			continue;
		}
		on = 1;
		if (bind_apply_view(c, v != NULL ? (int)i : -2, v != NULL ?
		    v->name : "", val, val == VAL_AUTO && (v == NULL ||
		    v->val == VAL_UNSET) && c->val == VAL_UNSET ? "" : where, r,
		    err, errlen) == -1)
			return -1;
	}
	if (nin > 0 && !on) {
		r->dnssec = DNSSEC_OFF;
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s", off);
	}
	return 0;
}

/*
 * The user named runs as: -u USER in OPTIONS of /etc/default/named (what
 * named.service passes); OPTIONS without -u means root; no file, "bind".
 */
static void
bind_user(struct resolver *r)
{
	struct bd_file f;
	char why[AW_ERR_MAX], *p, *q, *e;

	snprintf(r->user, sizeof(r->user), "%s", BD_USER);
	if (access(BD_DEFAULTS, R_OK) == -1 ||
	    bind_load(BD_DEFAULTS, &f, why, sizeof(why)) == -1)
		return;
	for (p = f.buf; p != NULL && *p != '\0'; p = e) {
		if ((e = strchr(p, '\n')) != NULL)
			*e++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "OPTIONS=", 8) != 0)
			continue;
		r->user[0] = '\0';
		for (q = p + 8; (q = strstr(q, "-u")) != NULL; q += 2) {
			if (q[-1] != '"' && q[-1] != '\'' && q[-1] != ' ' &&
			    q[-1] != '=')
				continue;
			q += 2;
			q += strspn(q, " \t");
			snprintf(r->user, sizeof(r->user), "%.*s",
			    (int)strcspn(q, " \t\"'"), q);
			break;
		}
	}
	free(f.buf);
}

int
bind_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct bd_conf *c = xcalloc(1, sizeof(*c));
	size_t i;
	int rv = -1;

	c->main = rc->config[0] != '\0' ? rc->config : BD_CONFIG;
	c->val = VAL_UNSET;
	bind_user(r);
	if (bind_parse(c, c->main, err, errlen) == -1 ||
	    bind_apply(c, r, err, errlen) == -1)
		goto done;
	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++)
		if (unbound_read_trusted_keys(rc->anchor_files[i],
		    resolver_add_source(r), err, errlen) == -1)
			goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	bind_conf_free(c);
	return rv;
}

/* ---- rndc managed-keys status --------------------------------------------- */

/* Add tag to r->loaded once. */
static void
bind_loaded_add(struct resolver *r, uint16_t tag)
{
	size_t i;

	for (i = 0; i < r->nloaded; i++)
		if (r->loaded[i] == tag)
			return;
	if (r->nloaded < AW_RRSET_MAX)
		r->loaded[r->nloaded++] = tag;
}

/*
 * Parse the status text: "name: ." opens the root's keys, each "keyid: N"
 * then its "flags:" and one of "trusted since", "trust pending", "trust
 * revoked", "no trust".  A key is loaded when trusted, or when "no trust"
 * marks an initializing key (add hold-down 0) without REVOKE, which
 * load_secroots trusts too.  Returns 1 if the root has managed keys.
 */
static int
bind_status_parse(char *out, struct resolver *r)
{
	char *l, *next, *p;
	unsigned long long v = 0;
	int root = 0, seen = 0, have = 0, revoke = 0, none = 0;
	uint16_t tag = 0;

	for (l = out; l != NULL && *l != '\0'; l = next) {
		if ((next = strchr(l, '\n')) != NULL)
			*next++ = '\0';
		p = l + strspn(l, " \t");
		if (strncmp(p, "view:", 5) == 0 || strncmp(p, "name:", 5) == 0)
			have = 0;
		if (strncmp(p, "name:", 5) == 0) {
			p += 5 + strspn(p + 5, " \t");
			root = strcmp(p, ".") == 0;
			seen |= root;
		} else if (strncmp(p, "keyid:", 6) == 0) {
			p += 6 + strspn(p + 6, " \t");
			have = bind_num(p, 65535, &v) == 0;
			tag = (uint16_t)v;
			revoke = none = 0;
		} else if (strncmp(p, "flags:", 6) == 0) {
			revoke = strstr(p, "REVOKE") != NULL;
			none = strstr(p, "(none)") != NULL;
		} else if (root && have && (strncmp(p, "trusted since", 13) ==
		    0 || (strncmp(p, "no trust", 8) == 0 && !revoke && !none)))
			bind_loaded_add(r, tag);
	}
	return seen;
}

/* Where rndc reaches named: the first controls inet, its key's file. */
static void
bind_rndc_args(const struct bd_conf *c, char **argv, char *keyfile,
    size_t keylen)
{
	size_t n = 1, i;

	if (c->have_controls && c->ctl_addr[0] != '\0') {
		argv[n++] = (char *)"-s";
		if (strcmp(c->ctl_addr, "*") == 0 ||
		    strcmp(c->ctl_addr, "0.0.0.0") == 0)
			argv[n++] = (char *)"127.0.0.1";
		else if (strcmp(c->ctl_addr, "::") == 0)
			argv[n++] = (char *)"::1";
		else
			argv[n++] = (char *)c->ctl_addr;
		if (c->ctl_port[0] != '\0' && strcmp(c->ctl_port, "*") != 0) {
			argv[n++] = (char *)"-p";
			argv[n++] = (char *)c->ctl_port;
		}
		for (i = 0; i < c->nkeys; i++) {
			if (strcmp(c->keys[i].name, c->ctl_key) != 0 ||
			    strcmp(c->keys[i].file, c->main) == 0)
				continue;
			snprintf(keyfile, keylen, "%s", c->keys[i].file);
			argv[n++] = (char *)"-k";
			argv[n++] = keyfile;
			break;
		}
	}
	argv[n++] = (char *)"managed-keys";
	argv[n++] = (char *)"status";
	argv[n] = NULL;
}

int
bind_loaded(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct bd_conf *c = xcalloc(1, sizeof(*c));
	char keyfile[AW_PATH_MAX], why[AW_ERR_MAX], *out = NULL;
	char *argv[12] = { (char *)BD_RNDC };
	size_t outlen;
	int status;

	c->main = rc->config[0] != '\0' ? rc->config : BD_CONFIG;
	c->val = VAL_UNSET;
	/* A config that cannot be read is bind_read's to report. */
	if (bind_parse(c, c->main, why, sizeof(why)) == -1)
		c->have_controls = 0;
	bind_rndc_args(c, argv, keyfile, sizeof(keyfile));
	r->have_loaded = 0;
	r->nloaded = 0;
	if (spawn_read(argv, BD_EXEC_TIMEOUT, AW_FILE_MAX, 0, &out, &outlen,
	    &status, why, sizeof(why)) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0 && bind_status_parse(out, r)) {
		r->have_loaded = 1;
		snprintf(r->loaded_how, sizeof(r->loaded_how),
		    "rndc managed-keys status");
	} else
		r->nloaded = 0;
	free(out);
	bind_conf_free(c);
	(void)err;
	(void)errlen;
	return 0;
}

/* BIND's row of the reader table (resolver.c). */
const struct reader bind_reader = {
	.type = "bind",
	.read = bind_read,
	.default_config = BD_CONFIG,
	.process = "named",
	.config_flag = "-c",
	.user = BD_USER,
	.rfc5011 = 1,
	.variant = RFC5011_PLAIN,
	.loaded = bind_loaded,
	.advice_static = "use initial-key or initial-ds in trust-anchors",
	.advice_unwritable = "named cannot record the new key and keeps "
	    "failing over",
};
