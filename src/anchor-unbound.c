/*
 * anchor-unbound.c: what an unbound daemon trusts for the root.
 *
 * Follows unbound.conf(5) of unbound 1.17 the way the daemon does: only
 * server: options count, include: and include-toplevel: splice other files
 * in (glob patterns, sorted), the chroot: prefix is stripped from anchor
 * file names and from directory:, and relative names are opened in the
 * working directory inside the chroot (daemon/unbound.c perform_setup and
 * validator/val_anchor.c anchors_apply_cfg).  Every anchor the config
 * names becomes one struct source, read with the matching reader:
 *  - auto-trust-anchor-file: the RFC 5011 state file the daemon rewrites
 *    (RFC 5011 section 4 states as ;;state=N, plus its probe bookkeeping);
 *  - trust-anchor-file: DS/DNSKEY records in zone file syntax (RFC 1035
 *    section 5.1: comments, parentheses, $TTL and $ORIGIN);
 *  - trusted-keys-file: BIND trusted-keys { ... }; blocks;
 *  - trust-anchor: one record inline in the config.
 * All files are hostile: bounded loads, bounded lines and tokens, no NUL
 * bytes, strict numbers, and every error is "file:line: what is wrong".
 */
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define UB_LINE_MAX 8192       /* one physical line of an anchor file */
#define UB_REC_MAX 8192        /* one record, parentheses joined */
#define UB_TOK_MAX 4096        /* one config token */
#define UB_INCLUDE_DEPTH 16    /* nested include: levels */
#define UB_DECL_MAX 256        /* anchor options in one config */
#define UB_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */
#define UB_DEFAULT_DIR "/etc/unbound"
#define UB_DEFAULT_USER "unbound"

/* A token of unbound.conf or of a BIND-syntax file. */
struct ub_tok {
	char text[UB_TOK_MAX];
	int quoted;
	unsigned line;
};

/* An anchor option of unbound.conf, resolved after the whole parse. */
struct ub_decl {
	enum src_kind kind;
	char value[UB_TOK_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
};

enum ub_clause { CL_NONE, CL_SERVER, CL_OTHER };

/* What the config parse collects. */
struct ub_conf {
	char chroot[AW_PATH_MAX];
	char directory[AW_PATH_MAX];  /* last directory:, as written */
	char incdir[AW_PATH_MAX];     /* where relative includes resolve */
	char user[AW_NAME_MAX];
	struct ub_decl *decl;
	size_t ndecl;
	char stack[UB_INCLUDE_DEPTH + 1][AW_PATH_MAX]; /* files being read */
	size_t depth;
	enum ub_clause clause;
};

typedef int (*ub_parser)(struct textfile *, struct source *, char *, size_t);

/* ---- files and lines ---------------------------------------------------- */

/* Append n bytes of s to buf (length *len, size max); -1 if too long. */
static int
unbound_append(char *buf, size_t *len, size_t max, const char *s, size_t n)
{
	if (n >= max - *len)
		return -1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/*
 * Leading decimal number at s of at most max; *end is set past it.
 * Returns 0, or -1 if there is no digit or it is out of range.
 */
static int
unbound_num(const char *s, const char **end, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long n = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if ((unsigned)(*p - '0') > max ||
		    n > (max - (unsigned)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
	}
	if (p == s)
		return -1;
	*end = p;
	*v = n;
	return 0;
}

/* Add anchor a (from line) to s; -1 with why set when s is full. */
static int
unbound_add(struct source *s, struct anchor *a, unsigned line, char *why,
    size_t whylen)
{
	return zonefile_add(s, a, line, why, whylen);
}

/* ---- auto-trust-anchor-file ------------------------------------------- */

/*
 * The ;;state=N ;;count=N ;;lastchange=N trailer unbound writes after a
 * key.  A key without one is a seed, which unbound trusts: Valid.
 */
static int
unbound_autr_trailer(const char *note, struct anchor *a, char *why,
    size_t whylen)
{
	unsigned long long v;
	const char *p, *end;

	a->count = 0;
	a->lastchange = 0;
	if ((p = strstr(note, ";;state=")) == NULL) {
		a->state = KS_VALID;
		return 0;
	}
	if (unbound_num(p + 8, &end, KS_REMOVED, &v) == -1 ||
	    (*end != '\0' && *end != ' ' && *end != '\t' && *end != ';')) {
		snprintf(why, whylen, "bad ;;state= value");
		return -1;
	}
	a->state = (enum ks_state)v;
	if ((p = strstr(note, ";;count=")) != NULL) {
		if (unbound_num(p + 8, &end, UINT_MAX, &v) == -1) {
			snprintf(why, whylen, "bad ;;count= value");
			return -1;
		}
		a->count = (unsigned)v;
	}
	if ((p = strstr(note, ";;lastchange=")) != NULL) {
		if (unbound_num(p + 13, &end, UB_TIME_MAX, &v) == -1) {
			snprintf(why, whylen, "bad ;;lastchange= value");
			return -1;
		}
		a->lastchange = (long long)v;
	}
	return 0;
}

/* Value of an autr header line ";;name: N ;;human date" into *v. */
static int
unbound_autr_value(const char *l, const char *name, unsigned long long max,
    unsigned long long *v, char *why, size_t whylen)
{
	const char *p = l + strlen(name), *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (unbound_num(p, &end, max, v) == -1) {
		snprintf(why, whylen, "bad %s value", name);
		return -1;
	}
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' && strncmp(end, ";;", 2) != 0) {
		snprintf(why, whylen, "extra text after %s value", name);
		return -1;
	}
	return 0;
}

/*
 * One ";;" line of an autr file (the daemon's probe bookkeeping and the
 * ;;REVOKED marker).  *seen collects which probe times were present.
 */
static int
unbound_autr_header(struct source *s, const char *l, size_t n, int *seen,
    char *why, size_t whylen)
{
	static const char *names[] = { ";;last_queried:", ";;last_success:",
	    ";;next_probe_time:", ";;retry_time:", ";;query_failed:",
	    ";;query_interval:" };
	char line[UB_LINE_MAX + 1];
	unsigned long long v;
	size_t i;

	snprintf(line, sizeof(line), "%.*s", (int)n, l);
	if (strncmp(line, ";;REVOKED", 9) == 0) {
		s->is_zone_revoked = 1;
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(line, names[i], strlen(names[i])) == 0)
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return 0;       /* ;;id: and comments */
	if (unbound_autr_value(line, names[i], i < 4 ? UB_TIME_MAX : UINT_MAX,
	    &v, why, whylen) == -1)
		return -1;
	if (i == 0)
		s->last_queried = (long long)v;
	else if (i == 1)
		s->last_success = (long long)v;
	else if (i == 2)
		s->next_probe_time = (long long)v;
	else if (i == 3)
		s->retry_time = (long long)v;
	else if (i == 4)
		s->query_failed = (unsigned)v;
	else
		s->query_interval = (unsigned)v;
	*seen |= 1 << i;
	return 0;
}

/* What reading an autr file collects besides the keys. */
struct ub_autr {
	struct source *s;
	int seen;               /* which probe times were present */
};

/* One item of an autr file: a ";;" header line or a key with its trailer. */
static int
unbound_autr_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct ub_autr *u = arg;
	struct anchor a;
	int r;

	if (z->kind == ZF_COMMENT && z->rawlen >= 2 && z->raw[0] == ';' &&
	    z->raw[1] == ';')
		return unbound_autr_header(u->s, z->raw, z->rawlen, &u->seen,
		    why, whylen);
	if (z->kind != ZF_RECORD)
		return 0;       /* unbound skips $TTL and $INCLUDE lines */
	if ((r = keyset_parse_rr(z->text, &a, why, whylen)) <= 0)
		return r;
	if (unbound_autr_trailer(z->comment, &a, why, whylen) == -1)
		return -1;
	return zonefile_add(u->s, &a, z->line, why, whylen);
}

static int
unbound_parse_autr(struct textfile *f, struct source *s, char *err,
    size_t errlen)
{
	struct ub_autr u = { s, 0 };

	if (zonefile_parse(f, unbound_autr_item, &u, err, errlen) == -1)
		return -1;
	if ((u.seen & 7) == 7)
		s->have_probe = 1;
	return 0;
}

/* ---- BIND syntax (trusted-keys-file) ----------------------------------- */

/* Skip blanks and # // and C comments in f; -1 on an unclosed comment. */
static int
unbound_tk_skip(struct textfile *f, char *err, size_t errlen)
{
	const char *b = f->buf, *e;
	unsigned start;

	while (f->pos < f->len) {
		if (b[f->pos] == '\n')
			f->line++;
		if (isspace((unsigned char)b[f->pos])) {
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

/*
 * Next token of a BIND-syntax file: a "string" (newlines allowed), one of
 * { } ;, or a word.  Returns 1, 0 at the end, -1 with err set.
 */
static int
unbound_tk_tok(struct textfile *f, struct ub_tok *t, char *err, size_t errlen)
{
	const char *b = f->buf;
	size_t n = 0;

	if (unbound_tk_skip(f, err, errlen) == -1)
		return -1;
	if (f->pos >= f->len)
		return 0;
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
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: token longer than %d "
			    "characters", f->path, t->line, UB_TOK_MAX);
			return -1;
		}
		if (b[f->pos] == '\n')
			f->line++;
		t->text[n] = b[f->pos] == '\n' ? ' ' : b[f->pos];
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
 * Collect one entry of a block up to its ';' and add it to s.  first is
 * its first token.  Returns 0, or -1 with err set.
 */
static int
unbound_tk_entry(struct textfile *f, struct ub_tok *t, struct source *s,
    char *err, size_t errlen)
{
	char text[UB_REC_MAX], why[AW_ERR_MAX];
	size_t len = 0;
	unsigned line = t->line;
	struct anchor a;
	int r;

	do {
		if (!t->quoted && (t->text[0] == '{' || t->text[0] == '}')) {
			snprintf(err, errlen, "%s:%u: unexpected '%c' in "
			    "entry", f->path, t->line, t->text[0]);
			return -1;
		}
		if (unbound_append(text, &len, sizeof(text), t->quoted ?
		    " \"" : " ", t->quoted ? 2 : 1) || unbound_append(text,
		    &len, sizeof(text), t->text, strlen(t->text)) ||
		    (t->quoted && unbound_append(text, &len, sizeof(text),
		    "\"", 1))) {
			snprintf(err, errlen, "%s:%u: entry too long", f->path,
			    line);
			return -1;
		}
		if ((r = unbound_tk_tok(f, t, err, errlen)) == -1)
			return -1;
		if (r == 0) {
			snprintf(err, errlen, "%s:%u: entry without ';'",
			    f->path, line);
			return -1;
		}
	} while (t->quoted || t->text[0] != ';');
	if ((r = keyset_parse_trusted_key(text, &a, why, sizeof(why))) == 1)
		r = unbound_add(s, &a, line, why, sizeof(why));
	if (r == -1)
		snprintf(err, errlen, "%s:%u: %s", f->path, line, why);
	return r == -1 ? -1 : 0;
}

/* The body of a trusted-keys/trust-anchors block, up to its "};". */
static int
unbound_tk_block(struct textfile *f, struct ub_tok *t, struct source *s,
    char *err, size_t errlen)
{
	unsigned line = t->line;
	int r;

	if ((r = unbound_tk_tok(f, t, err, errlen)) != 1 || t->quoted ||
	    t->text[0] != '{') {
		if (r != -1)
			snprintf(err, errlen, "%s:%u: '{' expected", f->path,
			    line);
		return -1;
	}
	for (;;) {
		if ((r = unbound_tk_tok(f, t, err, errlen)) == -1)
			return -1;
		if (r == 0) {
			snprintf(err, errlen, "%s:%u: block not closed",
			    f->path, line);
			return -1;
		}
		if (!t->quoted && t->text[0] == '}')
			break;
		if (unbound_tk_entry(f, t, s, err, errlen) == -1)
			return -1;
	}
	if ((r = unbound_tk_tok(f, t, err, errlen)) != 1 || t->quoted ||
	    t->text[0] != ';') {
		if (r != -1)
			snprintf(err, errlen, "%s:%u: ';' expected after '}'",
			    f->path, f->line);
		return -1;
	}
	return 0;
}

/*
 * Parse f as BIND syntax; everything outside the blocks is ignored.  Only
 * trusted-keys blocks count: unbound 1.17 (validator/val_anchor.c) skips
 * BIND 9.15's trust-anchors blocks, so their keys are not trusted by it.
 */
static int
unbound_parse_tk(struct textfile *f, struct source *s, char *err,
    size_t errlen)
{
	struct ub_tok *t = xcalloc(1, sizeof(*t));
	int r;

	f->line = 1;
	while ((r = unbound_tk_tok(f, t, err, errlen)) == 1) {
		if (t->quoted || strcmp(t->text, "trusted-keys") != 0)
			continue;
		if ((r = unbound_tk_block(f, t, s, err, errlen)) == -1)
			break;
	}
	free(t);
	return r == -1 ? -1 : 0;
}

/* ---- the public readers ------------------------------------------------- */

/* Load path and run parse over it into s (kind). */
static int
unbound_read_with(const char *path, struct source *s, ub_parser parse,
    enum src_kind kind, char *err, size_t errlen)
{
	struct textfile f;
	int rv;

	if (zonefile_open(path, s, kind, &f, err, errlen) == -1)
		return -1;
	rv = parse(&f, s, err, errlen);
	free(f.buf);
	return rv;
}

int
unbound_read_autr(const char *path, struct source *s, char *err,
    size_t errlen)
{
	return unbound_read_with(path, s, unbound_parse_autr, SRC_AUTO, err,
	    errlen);
}

int
unbound_read_trusted_keys(const char *path, struct source *s, char *err,
    size_t errlen)
{
	return unbound_read_with(path, s, unbound_parse_tk, SRC_TRUSTED_KEYS,
	    err, errlen);
}

/* An anchor file named in anchorwatch.yaml: its kind from its content. */
static int
unbound_read_guess(const char *path, struct resolver *r, char *err,
    size_t errlen)
{
	struct textfile f;
	struct source *s;
	int rv;

	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	s = resolver_add_source(r);
	snprintf(s->path, sizeof(s->path), "%s", path);
	if (strstr(f.buf, ";;id:") != NULL ||
	    strncmp(f.buf, "; autotrust trust anchor file", 29) == 0) {
		s->kind = SRC_AUTO;
		rv = unbound_parse_autr(&f, s, err, errlen);
	} else if (strstr(f.buf, "trusted-keys") != NULL ||
	    strstr(f.buf, "trust-anchors") != NULL) {
		s->kind = SRC_TRUSTED_KEYS;
		rv = unbound_parse_tk(&f, s, err, errlen);
	} else {
		s->kind = SRC_FILE;
		rv = zonefile_parse_static(&f, s, err, errlen);
	}
	free(f.buf);
	return rv;
}

/* ---- unbound.conf -------------------------------------------------------- */

/*
 * Next token of unbound.conf: a word or a "..." / '...' string, with #
 * comments skipped.  Returns 1, 0 at the end, -1 with err set.
 */
static int
unbound_conf_tok(struct textfile *f, struct ub_tok *t, char *err,
    size_t errlen)
{
	const char *b = f->buf;
	size_t n = 0;
	char q = 0;

	for (; f->pos < f->len; f->pos++) {
		if (b[f->pos] == '#')
			while (f->pos + 1 < f->len && b[f->pos + 1] != '\n')
				f->pos++;
		else if (b[f->pos] == '\n')
			f->line++;
		else if (!isspace((unsigned char)b[f->pos]))
			break;
	}
	if (f->pos >= f->len)
		return 0;
	t->line = f->line;
	if ((t->quoted = b[f->pos] == '"' || b[f->pos] == '\'') != 0)
		q = b[f->pos++];
	for (; f->pos < f->len; f->pos++, n++) {
		if (q ? b[f->pos] == q : (isspace((unsigned char)b[f->pos]) ||
		    strchr("#\"'", b[f->pos]) != NULL))
			break;
		if (q == '\'' && b[f->pos] == '\n')
			break;
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: token longer than %d "
			    "characters", f->path, t->line, UB_TOK_MAX);
			return -1;
		}
		if (b[f->pos] == '\n')
			f->line++;
		t->text[n] = b[f->pos];
	}
	t->text[n] = '\0';
	if (q && (f->pos >= f->len || b[f->pos] != q)) {
		snprintf(err, errlen, "%s:%u: quote not closed", f->path,
		    t->line);
		return -1;
	}
	f->pos += q != 0;
	return 1;
}

/* 1 if t is an attribute keyword ("name:"). */
static int
is_keyword(const struct ub_tok *t)
{
	size_t n = strlen(t->text);

	return !t->quoted && n > 1 && t->text[n - 1] == ':';
}

/* 1 if name (without ':') opens a clause of unbound.conf. */
static int
is_clause(const char *name)
{
	static const char *clauses[] = { "server", "remote-control",
	    "stub-zone", "forward-zone", "auth-zone", "view", "python",
	    "dynlib", "rpz", "dnscrypt", "cachedb", "dnstap", "ipset" };
	size_t i;

	for (i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++)
		if (strcmp(name, clauses[i]) == 0)
			return 1;
	return 0;
}

/* Join dir and name with one '/' into out.  Returns 0 or -1 (too long). */
static int
unbound_join(const char *dir, const char *name, char *out, size_t outlen)
{
	size_t dl = strlen(dir);
	int slash, n;

	slash = dl > 0 && dir[dl - 1] != '/' && name[0] != '/';
	if (dl > 0 && dir[dl - 1] == '/' && name[0] == '/')
		name++;
	n = snprintf(out, outlen, "%s%s%s", dir, slash ? "/" : "", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/*
 * The host path the daemon opens for anchor file name nm: with a chroot,
 * its prefix is stripped from nm and from the directory, and nm is opened
 * inside the chroot, relative to the directory unless absolute.
 */
static int
unbound_host_path(const struct ub_conf *c, const char *nm, char *out,
    size_t outlen)
{
	char in[AW_PATH_MAX];
	const char *dir = c->directory;
	size_t cl = strlen(c->chroot);

	if (cl > 0 && strncmp(nm, c->chroot, cl) == 0)
		nm += cl;
	if (cl > 0 && strncmp(dir, c->chroot, cl) == 0)
		dir += cl;
	if (nm[0] == '/' || dir[0] == '\0') {
		if (snprintf(in, sizeof(in), "%s", nm) >= (int)sizeof(in))
			return -1;
	} else if (unbound_join(dir, nm, in, sizeof(in)) == -1)
		return -1;
	if (cl == 0)
		return snprintf(out, outlen, "%s", in) >= (int)outlen ? -1 : 0;
	return unbound_join(c->chroot, in[0] == '\0' ? "/" : in, out, outlen);
}

static int unbound_conf_file(struct ub_conf *, const char *, const char *,
    unsigned, char *, size_t);

/* include: pattern, from file:line; glob patterns as unbound expands them. */
static int
unbound_conf_include(struct ub_conf *c, const char *pat, const char *from,
    unsigned line, char *err, size_t errlen)
{
	char full[AW_PATH_MAX];
	glob_t g;
	size_t i;
	int r;

	if (pat[0] != '/' && c->incdir[0] != '\0')
		r = unbound_join(c->incdir, pat, full, sizeof(full));
	else
		r = snprintf(full, sizeof(full), "%s", pat) >=
		    (int)sizeof(full) ? -1 : 0;
	if (pat[0] == '\0' || r == -1) {
		snprintf(err, errlen, "%s:%u: bad include file name", from,
		    line);
		return -1;
	}
	if (strpbrk(full, "*?[{~") == NULL)
		return unbound_conf_file(c, full, from, line, err, errlen);
	memset(&g, 0, sizeof(g));
	r = glob(full, GLOB_ERR | GLOB_BRACE | GLOB_TILDE, NULL, &g);
	if (r != 0) {
		globfree(&g);
		if (r == GLOB_NOMATCH)
			return 0;
		return unbound_conf_file(c, full, from, line, err, errlen);
	}
	for (i = 0, r = 0; i < g.gl_pathc && r == 0; i++)
		r = unbound_conf_file(c, g.gl_pathv[i], from, line, err, errlen);
	globfree(&g);
	return r;
}

/* Remember an anchor option of server: for after the parse. */
static int
unbound_conf_decl(struct ub_conf *c, enum src_kind kind, const char *value,
    const char *file, unsigned line, char *err, size_t errlen)
{
	struct ub_decl *d;

	if (c->ndecl >= UB_DECL_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d trust anchor "
		    "options", file, line, UB_DECL_MAX);
		return -1;
	}
	c->decl = xreallocarray(c->decl, c->ndecl + 1, sizeof(*c->decl));
	d = &c->decl[c->ndecl++];
	d->kind = kind;
	snprintf(d->value, sizeof(d->value), "%s", value);
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	return 0;
}

/* Store a string option value into dst; -1 if it does not fit. */
static int
unbound_conf_str(char *dst, size_t dstlen, const char *v, const char *file,
    unsigned line, const char *name, char *err, size_t errlen)
{
	if (snprintf(dst, dstlen, "%s", v) >= (int)dstlen) {
		snprintf(err, errlen, "%s:%u: %s: value too long", file, line,
		    name);
		return -1;
	}
	return 0;
}

/* A server: option we care about, with its value v. */
static int
unbound_conf_server(struct ub_conf *c, const char *name, const char *v,
    const char *file, unsigned line, char *err, size_t errlen)
{
	char dir[AW_PATH_MAX];

	if (strcmp(name, "chroot") == 0)
		return unbound_conf_str(c->chroot, sizeof(c->chroot), v, file,
		    line, name, err, errlen);
	if (strcmp(name, "username") == 0)
		return unbound_conf_str(c->user, sizeof(c->user), v, file,
		    line, name, err, errlen);
	if (strcmp(name, "directory") == 0) {
		if (unbound_conf_str(c->directory, sizeof(c->directory), v,
		    file, line, name, err, errlen) == -1)
			return -1;
		if (v[0] == '\0')
			return 0;
		if (v[0] != '/' && c->incdir[0] != '\0' &&
		    unbound_join(c->incdir, v, dir, sizeof(dir)) == 0)
			v = dir;
		return unbound_conf_str(c->incdir, sizeof(c->incdir), v, file,
		    line, name, err, errlen);
	}
	if (strcmp(name, "auto-trust-anchor-file") == 0)
		return unbound_conf_decl(c, SRC_AUTO, v, file, line, err,
		    errlen);
	if (strcmp(name, "trust-anchor-file") == 0)
		return unbound_conf_decl(c, SRC_FILE, v, file, line, err,
		    errlen);
	if (strcmp(name, "trusted-keys-file") == 0)
		return unbound_conf_decl(c, SRC_TRUSTED_KEYS, v, file, line,
		    err, errlen);
	if (strcmp(name, "trust-anchor") == 0)
		return unbound_conf_decl(c, SRC_INLINE, v, file, line, err,
		    errlen);
	return 0;
}

/* 1 if name is a server: option whose value we need. */
static int
is_wanted(const char *name)
{
	return strcmp(name, "chroot") == 0 || strcmp(name, "username") == 0 ||
	    strcmp(name, "directory") == 0 ||
	    strcmp(name, "auto-trust-anchor-file") == 0 ||
	    strcmp(name, "trust-anchor-file") == 0 ||
	    strcmp(name, "trusted-keys-file") == 0 ||
	    strcmp(name, "trust-anchor") == 0;
}

/* Handle keyword t of f; v is scratch for its value. */
static int
unbound_conf_keyword(struct ub_conf *c, struct textfile *f, struct ub_tok *t,
    struct ub_tok *v, char *err, size_t errlen)
{
	char *name = t->text;
	int top, r;

	name[strlen(name) - 1] = '\0';
	if (is_clause(name)) {
		c->clause = strcmp(name, "server") == 0 ? CL_SERVER : CL_OTHER;
		return 0;
	}
	top = strcmp(name, "include-toplevel") == 0;
	if (!top && strcmp(name, "include") != 0) {
		if (c->clause == CL_NONE) {
			snprintf(err, errlen, "%s:%u: %s: outside a clause",
			    f->path, t->line, name);
			return -1;
		}
		if (c->clause != CL_SERVER || !is_wanted(name))
			return 0;
	}
	if ((r = unbound_conf_tok(f, v, err, errlen)) != 1 || is_keyword(v)) {
		if (r != -1)
			snprintf(err, errlen, "%s:%u: %s: value expected",
			    f->path, t->line, name);
		return -1;
	}
	if (!top && strcmp(name, "include") != 0)
		return unbound_conf_server(c, name, v->text, f->path, t->line,
		    err, errlen);
	if (top)
		c->clause = CL_NONE;
	r = unbound_conf_include(c, v->text, f->path, t->line, err, errlen);
	if (top)
		c->clause = CL_NONE;
	return r;
}

/* Refuse path if it is already being read or nesting is too deep. */
static int
unbound_conf_push(struct ub_conf *c, const char *path, const char *from,
    unsigned line, char *err, size_t errlen)
{
	char real[PATH_MAX];
	size_t i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	if (c->depth > UB_INCLUDE_DEPTH || strlen(real) >= AW_PATH_MAX) {
		snprintf(err, errlen, "%s:%u: includes nested deeper than %d",
		    from, line, UB_INCLUDE_DEPTH);
		return -1;
	}
	for (i = 0; i < c->depth; i++) {
		if (strcmp(c->stack[i], real) == 0) {
			snprintf(err, errlen, "%s:%u: include loop: %s",
			    from, line, path);
			return -1;
		}
	}
	memcpy(c->stack[c->depth++], real, strlen(real) + 1);
	return 0;
}

/* Parse one config file (included from from:line when from != NULL). */
static int
unbound_conf_file(struct ub_conf *c, const char *path, const char *from,
    unsigned line, char *err, size_t errlen)
{
	struct ub_tok *t, *v;
	struct textfile f;
	char why[AW_ERR_MAX];
	int r;

	if (unbound_conf_push(c, path, from != NULL ? from : path, line, err,
	    errlen) == -1)
		return -1;
	if (fileio_open_text(path, &f, why, sizeof(why)) == -1) {
		if (from != NULL)
			snprintf(err, errlen, "%s:%u: include: %s", from, line,
			    why);
		else
			snprintf(err, errlen, "%s", why);
		c->depth--;
		return -1;
	}
	f.line = 1;
	t = xcalloc(1, sizeof(*t));
	v = xcalloc(1, sizeof(*v));
	while ((r = unbound_conf_tok(&f, t, err, errlen)) == 1)
		if (is_keyword(t) && (r = unbound_conf_keyword(c, &f, t, v,
		    err, errlen)) == -1)
			break;
	c->depth--;
	free(t);
	free(v);
	free(f.buf);
	return r == -1 ? -1 : 0;
}

/*
 * An inline trust-anchor: "RR".  A root record becomes a source of its
 * own, named by the config file.  Returns 0 or -1 (err).
 */
static int
unbound_inline(const struct ub_decl *d, struct resolver *r, char *err,
    size_t errlen)
{
	char text[UB_TOK_MAX], why[AW_ERR_MAX], *semi;
	struct source *s;
	struct anchor a;
	int rv;

	snprintf(text, sizeof(text), "%s", d->value);
	if ((semi = strchr(text, ';')) != NULL)
		*semi = '\0';
	if ((rv = keyset_parse_rr(text, &a, why, sizeof(why))) == -1) {
		snprintf(err, errlen, "%s:%u: trust-anchor: %s", d->file,
		    d->line, why);
		return -1;
	}
	if (rv == 0)
		return 0;       /* another zone */
	s = resolver_add_source(r);
	s->kind = SRC_INLINE;
	snprintf(s->path, sizeof(s->path), "%s", d->file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", d->file);
	s->decl_line = d->line;
	a.line = d->line;
	s->anchors[s->nanchors++] = a;
	return 0;
}

/* One anchor file option: a source per file (trusted-keys-file globs). */
static int
unbound_conf_source(const struct ub_decl *d,
    const char *path, struct resolver *r, char *err, size_t errlen)
{
	struct source *s = resolver_add_source(r);

	s->kind = d->kind;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", d->file);
	s->decl_line = d->line;
	switch (d->kind) {
	case SRC_AUTO:
		return unbound_read_autr(path, s, err, errlen);
	case SRC_FILE:
		return zonefile_read_static(path, s, err, errlen);
	default:
		return unbound_read_trusted_keys(path, s, err, errlen);
	}
}

/* A trusted-keys-file pattern: one source per match, none if no match. */
static int
unbound_conf_glob(const struct ub_decl *d, const char *pattern,
    struct resolver *r, char *err, size_t errlen)
{
	glob_t g;
	size_t k;
	int rv = 0;

	memset(&g, 0, sizeof(g));
	if (glob(pattern, GLOB_ERR | GLOB_BRACE | GLOB_TILDE, NULL, &g) != 0) {
		globfree(&g);
		return 0;
	}
	for (k = 0; k < g.gl_pathc && rv == 0; k++)
		rv = unbound_conf_source(d, g.gl_pathv[k], r, err, errlen);
	globfree(&g);
	return rv;
}

/* Read every anchor option the config named, in order. */
static int
unbound_conf_apply(const struct ub_conf *c, struct resolver *r, char *err,
    size_t errlen)
{
	const struct ub_decl *d;
	char path[AW_PATH_MAX];
	size_t i;
	int rv;

	for (i = 0, rv = 0; i < c->ndecl && rv == 0; i++) {
		d = &c->decl[i];
		if (d->kind == SRC_INLINE)
			rv = unbound_inline(d, r, err, errlen);
		else if (d->value[0] == '\0')
			continue;       /* "" means none, as in unbound */
		else if (unbound_host_path(c, d->value, path,
		    sizeof(path)) == -1) {
			snprintf(err, errlen, "%s:%u: file name too long",
			    d->file, d->line);
			rv = -1;
		} else if (d->kind == SRC_TRUSTED_KEYS &&
		    strpbrk(path, "*?[{~") != NULL)
			rv = unbound_conf_glob(d, path, r, err, errlen);
		else
			rv = unbound_conf_source(d, path, r, err, errlen);
	}
	return rv;
}

/*
 * The unbound reader: the config named in rc (if any), then each extra
 * anchor file of rc.  On failure r keeps the sources read so far.
 */
int
unbound_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct ub_conf *c = xcalloc(1, sizeof(*c));
	size_t i;
	int rv = -1;

	snprintf(c->directory, sizeof(c->directory), "%s", UB_DEFAULT_DIR);
	snprintf(c->user, sizeof(c->user), "%s", UB_DEFAULT_USER);
	snprintf(r->user, sizeof(r->user), "%s", UB_DEFAULT_USER);
	if (rc->config[0] != '\0') {
		if (unbound_conf_file(c, rc->config, NULL, 0, err,
		    errlen) == -1)
			goto done;
		snprintf(r->user, sizeof(r->user), "%s", c->user);
		if (unbound_conf_apply(c, r, err, errlen) == -1)
			goto done;
	}
	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++)
		if (unbound_read_guess(rc->anchor_files[i], r, err,
		    errlen) == -1)
			goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(c->decl);
	free(c);
	return rv;
}
