/*
 * unbound-conf.c: unbound.conf(5) of unbound 1.17, parsed the way the
 * daemon's lexer and util/config_file.c read it, for the unbound reader.
 *
 * Only server: options count; include: and include-toplevel: splice other
 * files in (glob patterns, sorted; include-toplevel: ends the clause);
 * directory: moves where relative includes resolve.  The options kept are
 * those that decide the root trust: chroot:, username:, directory:,
 * module-config: (the validator module must be listed for any anchor to
 * be used) and the anchor options auto-trust-anchor-file:,
 * trust-anchor-file:, trusted-keys-file: and trust-anchor:, each kept with
 * its file and line in declaration order for the reader
 * (anchor-unbound.c) to resolve after the whole parse, as the daemon does,
 * and domain-insecure: "." (for unbound a trust point of the root too).
 * Hostile input: bounded files, tokens, nesting; include loops refused.
 */
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

static int is_clause(const char *);
static int is_wanted(const char *);

/*
 * unbound's lexer ends a keyword at its colon: "server:include:" as
 * pfSense writes it is two tokens.  Cut t (n bytes, unquoted, just read)
 * after a leading clause name, include or wanted option and its colon, and
 * give the rest back to f.  Other words with colons (IPv6 addresses) stay.
 */
static void
unbound_conf_split(struct textfile *f, struct ub_tok *t, size_t n)
{
	char *colon = strchr(t->text, ':');
	size_t k;

	if (colon == NULL || colon == t->text || colon[1] == '\0')
		return;
	k = (size_t)(colon - t->text);
	*colon = '\0';
	if (is_clause(t->text) || is_wanted(t->text) ||
	    strcmp(t->text, "include") == 0 ||
	    strcmp(t->text, "include-toplevel") == 0) {
		colon[1] = '\0';
		f->pos -= n - k - 1;
	}
	*colon = ':';
}

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
	if (!q)
		unbound_conf_split(f, t, n);
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
unbound_conf_join(const char *dir, const char *name, char *out, size_t outlen)
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
int
unbound_conf_path(const struct ub_conf *c, const char *nm, char *out,
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
	} else if (unbound_conf_join(dir, nm, in, sizeof(in)) == -1)
		return -1;
	if (cl == 0)
		return snprintf(out, outlen, "%s", in) >= (int)outlen ? -1 : 0;
	return unbound_conf_join(c->chroot, in[0] == '\0' ? "/" : in, out,
	    outlen);
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
		r = unbound_conf_join(c->incdir, pat, full, sizeof(full));
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
		r = unbound_conf_file(c, g.gl_pathv[i], from, line, err,
		    errlen);
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
	memset(d, 0, sizeof(*d));
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
		    unbound_conf_join(c->incdir, v, dir, sizeof(dir)) == 0)
			v = dir;
		return unbound_conf_str(c->incdir, sizeof(c->incdir), v, file,
		    line, name, err, errlen);
	}
	if (strcmp(name, "domain-insecure") == 0) {
		/* the root as an insecure point: a trust point for unbound */
		if (strcmp(v, ".") != 0)
			return 0;
		if (unbound_conf_decl(c, SRC_INLINE, v, file, line, err,
		    errlen) == -1)
			return -1;
		c->decl[c->ndecl - 1].insecure = 1;
		return 0;
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
	if (strcmp(name, "module-config") == 0) {
		snprintf(c->module_where, sizeof(c->module_where), "%s:%u",
		    file, line);
		return unbound_conf_str(c->module, sizeof(c->module), v, file,
		    line, name, err, errlen);
	}
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
	    strcmp(name, "trust-anchor") == 0 ||
	    strcmp(name, "module-config") == 0 ||
	    strcmp(name, "domain-insecure") == 0;
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

int
unbound_conf_read(struct ub_conf *c, const char *path, char *err,
    size_t errlen)
{
	return unbound_conf_file(c, path, NULL, 0, err, errlen);
}
