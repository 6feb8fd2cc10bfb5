/*
 * anchor-pdns.c: what a PowerDNS Recursor trusts for the root.
 *
 * The Recursor has no RFC 5011 (its docs say so): every root anchor is
 * static, so the reader only has to find out which DS records the daemon
 * ends up with.  It follows the daemon's own order (4.8 pdns/arguments.cc,
 * rec-lua-conf.cc, validate-recursor.cc; 5.x settings/cxxsupport.cc):
 *  - recursor.conf: key=value lines, '#' comments (at the start or after a
 *    blank), '\' continuations, include-dir= *.conf files read after the
 *    main file in case-insensitive order, the last value wins; dnssec=
 *    (off and process-no-validate do not validate; process, the default
 *    since 4.5, log-fail and validate do), lua-config-file=, setuid=,
 *    socket-dir=;
 *  - recursor.yml (5.x, not packaged here): recursor.include_dir *.yml,
 *    dnssec.validation, dnssec.trustanchors (a root entry replaces the
 *    built-in DS set), dnssec.trustanchorfile;
 *  - the Lua config, evaluated as a list of top-level calls with literal
 *    arguments: addTA('.', 'DS rdata') adds, clearTA() and clearTA('.')
 *    drop what is there, readTrustAnchorsFromFile(path) REPLACES every
 *    anchor with the file's DS/DNSKEY records (updateTrustAnchorsFromFile
 *    builds a new map), dofile(path) is followed;
 *  - the built-in root DS set, which depends on the version: 20326 only
 *    up to 5.0.9 and 5.1.3 (Debian's 4.8.8 too), 20326 and 38696 from
 *    5.0.10, 5.1.4 and 5.2.0.  The version comes from
 *    `pdns_recursor --version`; if that fails the older set is assumed,
 *    so that a doubt shows as a stale anchor rather than as a false OK.
 * pdns_loaded asks the running daemon with `rec_control get-tas`.
 * Every file is hostile: bounded loads, no NUL bytes, bounded lines and
 * tokens, strict numbers, "file:line: what is wrong" on any error.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "anchorwatch.h"

#define PD_LINE_MAX 8192        /* one logical line of recursor.conf */
#define PD_TOK_MAX 4096         /* one Lua token */
#define PD_DEPTH_MAX 8          /* nested dofile() */
#define PD_INCLUDES_MAX 256     /* files in include-dir */
#define PD_YAML_DEPTH 8         /* nesting of recursor.yml */
#define PD_RUN_TIMEOUT 5        /* seconds for rec_control, --version */
#define PD_OUT_MAX 65536        /* output kept from a command */
#define PD_DEFAULT_USER "pdns"
#define PD_BINARY "/usr/sbin/pdns_recursor"
#define PD_REC_CONTROL "/usr/bin/rec_control"

/* The root DS records compiled into the daemon (pdns/root-dnssec.hh). */
static const char *const pd_root_ds[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC6834"
	    "57104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C48"
	    "3AF444A4C0FB2B16",
};

/* A setting and where it was made. */
struct pd_val {
	char v[AW_PATH_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
};

/* What the settings files say. */
struct pd_conf {
	struct pd_val dnssec, lua, user, socket_dir, include_dir, chroot;
	struct pd_val config_name, tafile;
	int have_yaml_tas;              /* dnssec.trustanchors had a root */
	struct pd_val yaml_ta;          /* where, for the mixing check */
};

/* A loaded file. */
/* ---- small helpers -------------------------------------------------------- */

/* Load path, refusing NUL bytes; the tokenizers count lines from 1 as
 * they pass newlines.  The caller frees f->buf. */
static int
pdns_load(const char *path, struct textfile *f, char *err, size_t errlen)
{
	if (fileio_open_text(path, f, err, errlen) == -1)
		return -1;
	f->line = 1;
	return 0;
}

/* Store value v made at file:line into d; -1 if it does not fit. */
static int
pdns_set(struct pd_val *d, const char *v, const char *file, unsigned line,
    const char *name, char *err, size_t errlen)
{
	if (snprintf(d->v, sizeof(d->v), "%s", v) >= (int)sizeof(d->v)) {
		snprintf(err, errlen, "%s:%u: %s: value too long", file, line,
		    name);
		return -1;
	}
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	return 0;
}

/*
 * A path as the daemon opens it: relative names are taken from "/", the
 * working directory of the packaged service.  -1 if too long.
 */
static int
pdns_path(const char *name, char *out, size_t outlen)
{
	int n;

	n = snprintf(out, outlen, "%s%s", name[0] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- anchors ---------------------------------------------------------------- */

/* Forget every root anchor read so far (clearTA, a trust anchor file). */
static void
pdns_clear(struct resolver *r)
{
	r->nsources = 0;
}

/*
 * Add the root DS given as rdata text ("20326 8 2 E06D...") as an inline
 * source declared at file:line.  Returns 0, or -1 with err set.
 */
static int
pdns_add_ds(struct resolver *r, enum src_kind kind, const char *rdata,
    const char *file, unsigned line, char *err, size_t errlen)
{
	char text[PD_TOK_MAX + 16], why[AW_ERR_MAX];
	struct source *s;
	struct anchor a;

	if (snprintf(text, sizeof(text), ". IN DS %s", rdata) >=
	    (int)sizeof(text) || keyset_parse_rr(text, &a, why,
	    sizeof(why)) != 1) {
		snprintf(err, errlen, "%s:%u: bad DS record \"%.64s\"%s%s",
		    file, line, rdata, why[0] ? ": " : "", why);
		return -1;
	}
	s = resolver_add_source(r);
	s->kind = kind;
	snprintf(s->path, sizeof(s->path), "%s", file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	a.line = line;
	s->anchors[s->nanchors++] = a;
	return 0;
}

/*
 * Parse "PowerDNS Recursor X.Y.Z" in out; 1 if the built-in set of that
 * version holds KSK-2024 (38696), 0 if not or if no version is found.
 */
int
pdns_builtin_has_38696(const char *out)
{
	unsigned long v[3] = { 0, 0, 0 };
	const char *p;
	char *end;
	int i;

	if ((p = strstr(out, "PowerDNS Recursor ")) == NULL)
		return 0;
	p += 18;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		errno = 0;
		v[i] = strtoul(p, &end, 10);
		if (errno != 0 || v[i] > 1000)
			return 0;
		p = end;
		if (i < 2 && *p++ != '.')
			return 0;
	}
	if (v[0] != 5)
		return v[0] > 5;
	if (v[1] == 0)
		return v[2] >= 10;
	if (v[1] == 1)
		return v[2] >= 4;
	return 1;
}


/* The built-in root DS set of the installed daemon, as one source. */
static void
pdns_builtin(struct resolver *r)
{
	char *argv[] = { PD_BINARY, "--version", NULL };
	char *out, why[AW_ERR_MAX];
	struct source *s;
	struct anchor a;
	size_t i, n = 1, len;
	int st;

	/* it prints its version on stderr */
	if (spawn_read(argv, PD_RUN_TIMEOUT, PD_OUT_MAX, 1, &out, &len, &st,
	    why, sizeof(why)) == 0 && pdns_builtin_has_38696(out))
		n = 2;
	free(out);
	s = resolver_add_source(r);
	s->kind = SRC_BUILTIN;
	snprintf(s->path, sizeof(s->path), "%s (built-in)", PD_BINARY);
	for (i = 0; i < n; i++)
		if (keyset_parse_rr(pd_root_ds[i], &a, why, sizeof(why)) == 1)
			s->anchors[s->nanchors++] = a;
}

/* readTrustAnchorsFromFile / trustanchorfile: replaces every anchor. */
static int
pdns_tafile(struct resolver *r, const char *name, const char *file,
    unsigned line, char *err, size_t errlen)
{
	char path[AW_PATH_MAX], why[AW_ERR_MAX];
	struct source *s;

	if (name[0] == '\0' || pdns_path(name, path, sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: bad trust anchor file name",
		    file, line);
		return -1;
	}
	pdns_clear(r);
	s = resolver_add_source(r);
	s->kind = SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	if (zonefile_read_static(path, s, why, sizeof(why)) == -1) {
		/* a file that is missing altogether has no line: say who
		 * named it */
		if (strncmp(why, path, strlen(path)) == 0 &&
		    why[strlen(path)] == ':' &&
		    isdigit((unsigned char)why[strlen(path) + 1]))
			snprintf(err, errlen, "%s", why);
		else
			snprintf(err, errlen, "%s:%u: %s", file, line, why);
		return -1;
	}
	return 0;
}

/* ---- the Lua config --------------------------------------------------------- */

enum pd_ltok { LT_END, LT_NAME, LT_STRING, LT_NUMBER, LT_PUNCT };

struct pd_lua {
	struct textfile f;
	enum pd_ltok t;
	char text[PD_TOK_MAX];
	unsigned tline;
	int peeked;
};

/* Level of a long bracket "[==[" at p (0 for "[["), or -1 if none. */
static int
pdns_lua_level(const struct textfile *f, size_t p)
{
	int lv = 0;

	if (p >= f->len || f->buf[p] != '[')
		return -1;
	for (p++; p < f->len && f->buf[p] == '='; p++)
		lv++;
	return p < f->len && f->buf[p] == '[' ? lv : -1;
}

/*
 * Skip a long bracket of level lv opening at f->pos, copying its body into
 * out (if not NULL).  Returns 0, or -1 with err set if it never closes.
 */
static int
pdns_lua_long(struct pd_lua *l, int lv, char *out, size_t outlen,
    const char *what, char *err, size_t errlen)
{
	struct textfile *f = &l->f;
	unsigned start = f->line;
	size_t n = 0, k;

	f->pos += (size_t)lv + 2;
	if (f->pos < f->len && f->buf[f->pos] == '\n') {
		f->pos++;
		f->line++;
	}
	for (; f->pos < f->len; f->pos++) {
		if (f->buf[f->pos] == ']') {
			for (k = 1; f->pos + k < f->len &&
			    f->buf[f->pos + k] == '='; k++)
				;
			if (k == (size_t)lv + 1 && f->pos + k < f->len &&
			    f->buf[f->pos + k] == ']') {
				f->pos += k + 1;
				if (out != NULL)
					out[n] = '\0';
				return 0;
			}
		}
		if (f->buf[f->pos] == '\n')
			f->line++;
		if (out != NULL) {
			if (n + 1 >= outlen) {
				snprintf(err, errlen, "%s:%u: %s longer than "
				    "%d characters", f->path, start, what,
				    PD_TOK_MAX);
				return -1;
			}
			out[n++] = f->buf[f->pos];
		}
	}
	snprintf(err, errlen, "%s:%u: %s not closed", f->path, start, what);
	return -1;
}

/* A quoted Lua string at f->pos into l->text.  0 or -1 (err). */
static int
pdns_lua_string(struct pd_lua *l, char *err, size_t errlen)
{
	struct textfile *f = &l->f;
	char q = f->buf[f->pos++], c;
	size_t n = 0;

	while (f->pos < f->len && f->buf[f->pos] != q) {
		c = f->buf[f->pos++];
		if (c == '\n')
			break;
		if (c == '\\') {
			if (f->pos >= f->len)
				break;
			c = f->buf[f->pos++];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == '\n')
				f->line++;
		}
		if (n + 1 >= sizeof(l->text)) {
			snprintf(err, errlen, "%s:%u: string longer than %d "
			    "characters", f->path, l->tline, PD_TOK_MAX);
			return -1;
		}
		l->text[n++] = c;
	}
	if (f->pos >= f->len || f->buf[f->pos] != q) {
		snprintf(err, errlen, "%s:%u: string not closed", f->path,
		    l->tline);
		return -1;
	}
	f->pos++;
	l->text[n] = '\0';
	return 0;
}

/* Skip blanks and comments.  0 or -1 (an unclosed long comment). */
static int
pdns_lua_skip(struct pd_lua *l, char *err, size_t errlen)
{
	struct textfile *f = &l->f;
	int lv;

	while (f->pos < f->len) {
		if (f->buf[f->pos] == '\n') {
			f->line++;
			f->pos++;
		} else if (isspace((unsigned char)f->buf[f->pos]))
			f->pos++;
		else if (f->pos + 1 < f->len && f->buf[f->pos] == '-' &&
		    f->buf[f->pos + 1] == '-') {
			f->pos += 2;
			if ((lv = pdns_lua_level(f, f->pos)) >= 0) {
				if (pdns_lua_long(l, lv, NULL, 0, "comment",
				    err, errlen) == -1)
					return -1;
				continue;
			}
			while (f->pos < f->len && f->buf[f->pos] != '\n')
				f->pos++;
		} else
			break;
	}
	return 0;
}

/* Next token into l.  0 (LT_END at the end) or -1 with err set. */
static int
pdns_lua_next(struct pd_lua *l, char *err, size_t errlen)
{
	struct textfile *f = &l->f;
	size_t n = 0;
	int lv;
	char c;

	if (l->peeked) {
		l->peeked = 0;
		return 0;
	}
	if (pdns_lua_skip(l, err, errlen) == -1)
		return -1;
	l->tline = f->line;
	l->text[0] = '\0';
	if (f->pos >= f->len) {
		l->t = LT_END;
		return 0;
	}
	c = f->buf[f->pos];
	if (c == '"' || c == '\'') {
		l->t = LT_STRING;
		return pdns_lua_string(l, err, errlen);
	}
	if ((lv = pdns_lua_level(f, f->pos)) >= 0) {
		l->t = LT_STRING;
		return pdns_lua_long(l, lv, l->text, sizeof(l->text),
		    "string", err, errlen);
	}
	if (isalnum((unsigned char)c) || c == '_') {
		l->t = isdigit((unsigned char)c) ? LT_NUMBER : LT_NAME;
		while (f->pos < f->len && (isalnum((unsigned char)
		    f->buf[f->pos]) || strchr("_.:", f->buf[f->pos]) != NULL)) {
			if (n + 1 >= sizeof(l->text)) {
				snprintf(err, errlen, "%s:%u: name longer "
				    "than %d characters", f->path, l->tline,
				    PD_TOK_MAX);
				return -1;
			}
			l->text[n++] = f->buf[f->pos++];
		}
		l->text[n] = '\0';
		return 0;
	}
	l->t = LT_PUNCT;
	l->text[0] = c;
	l->text[1] = '\0';
	f->pos++;
	return 0;
}

#define PD_ARGS_MAX 4

/* Literal arguments of a call. */
struct pd_args {
	char v[PD_ARGS_MAX][PD_TOK_MAX];
	int is_str[PD_ARGS_MAX];
	size_t n;
};

/*
 * The arguments of a call to fn, after its name: "(lit, lit)" or one
 * string literal.  Anything but literals is refused: the reader cannot
 * evaluate Lua, and guessing would hide an anchor.
 */
static int
pdns_lua_args(struct pd_lua *l, const char *fn, struct pd_args *a,
    char *err, size_t errlen)
{
	unsigned line = l->tline;

	a->n = 0;
	if (pdns_lua_next(l, err, errlen) == -1)
		return -1;
	if (l->t == LT_STRING) {
		a->is_str[0] = 1;
		memcpy(a->v[a->n++], l->text, sizeof(l->text));
		return 0;
	}
	if (l->t != LT_PUNCT || l->text[0] != '(')
		goto bad;
	for (;;) {
		if (pdns_lua_next(l, err, errlen) == -1)
			return -1;
		if (a->n == 0 && l->t == LT_PUNCT && l->text[0] == ')')
			return 0;
		if ((l->t != LT_STRING && l->t != LT_NUMBER) ||
		    a->n >= PD_ARGS_MAX)
			goto bad;
		a->is_str[a->n] = l->t == LT_STRING;
		memcpy(a->v[a->n++], l->text, sizeof(l->text));
		if (pdns_lua_next(l, err, errlen) == -1)
			return -1;
		if (l->t == LT_PUNCT && l->text[0] == ')')
			return 0;
		if (l->t != LT_PUNCT || l->text[0] != ',')
			goto bad;
	}
bad:
	snprintf(err, errlen, "%s:%u: %s: arguments are not literal strings "
	    "and numbers; the anchors cannot be known without running Lua",
	    l->f.path, line, fn);
	return -1;
}

/* 1 if a Lua/DNS name is the root. */
static int
is_root_name(const char *s)
{
	return strcmp(s, ".") == 0;
}

static int pdns_lua_file(const char *, struct resolver *, char stack[][AW_PATH_MAX],
    size_t, const char *, unsigned, char *, size_t);

/* One call of a function that concerns anchors.  0 or -1 (err). */
static int
pdns_lua_call(struct pd_lua *l, struct resolver *r, char stack[][AW_PATH_MAX],
    size_t depth, char *err, size_t errlen)
{
	struct pd_args *a = xcalloc(1, sizeof(*a));
	char fn[64], path[AW_PATH_MAX];
	unsigned line = l->tline;
	const char *file = l->f.path;
	int rv = -1;

	snprintf(fn, sizeof(fn), "%s", l->text);
	if (pdns_lua_args(l, fn, a, err, errlen) == -1)
		goto done;
	if (strcmp(fn, "addTA") == 0 || strcmp(fn, "addDS") == 0) {
		if (a->n != 2 || !a->is_str[0] || !a->is_str[1]) {
			snprintf(err, errlen, "%s:%u: %s: needs a name and a DS "
			    "record", file, line, fn);
			goto done;
		}
		rv = is_root_name(a->v[0]) ? pdns_add_ds(r, SRC_INLINE,
		    a->v[1], file, line, err, errlen) : 0;
	} else if (strcmp(fn, "clearTA") == 0 || strcmp(fn, "clearDS") == 0) {
		if (a->n == 0 || is_root_name(a->v[0]))
			pdns_clear(r);
		rv = 0;
	} else if (strcmp(fn, "readTrustAnchorsFromFile") == 0) {
		if (a->n < 1 || a->n > 2 || !a->is_str[0]) {
			snprintf(err, errlen, "%s:%u: %s: needs a file name",
			    file, line, fn);
			goto done;
		}
		rv = pdns_tafile(r, a->v[0], file, line, err, errlen);
	} else {
		if (a->n != 1 || !a->is_str[0] ||
		    pdns_path(a->v[0], path, sizeof(path)) == -1) {
			snprintf(err, errlen, "%s:%u: dofile: needs a file name",
			    file, line);
			goto done;
		}
		rv = pdns_lua_file(path, r, stack, depth + 1, file, line, err,
		    errlen);
	}
done:
	free(a);
	return rv;
}

/* 1 if name is a Lua function that changes the root anchors. */
static int
is_ta_call(const char *name)
{
	static const char *const fns[] = { "addTA", "addDS", "clearTA",
	    "clearDS", "readTrustAnchorsFromFile", "dofile" };
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (strcmp(name, fns[i]) == 0)
			return 1;
	return 0;
}

/*
 * Evaluate a Lua config file (dofile'd from from:fline when depth > 0).
 * Other statements are skipped token by token.
 */
static int
pdns_lua_file(const char *path, struct resolver *r,
    char stack[][AW_PATH_MAX], size_t depth, const char *from, unsigned fline,
    char *err, size_t errlen)
{
	struct pd_lua *l;
	char why[AW_ERR_MAX];
	size_t i;
	int rv = -1, prev_dot = 0;

	if (depth >= PD_DEPTH_MAX) {
		snprintf(err, errlen, "%s:%u: dofile nested deeper than %d",
		    from, fline, PD_DEPTH_MAX);
		return -1;
	}
	for (i = 0; i < depth; i++) {
		if (strcmp(stack[i], path) == 0) {
			snprintf(err, errlen, "%s:%u: dofile loop: %s", from,
			    fline, path);
			return -1;
		}
	}
	snprintf(stack[depth], AW_PATH_MAX, "%s", path);
	l = xcalloc(1, sizeof(*l));
	if (pdns_load(path, &l->f, why, sizeof(why)) == -1) {
		if (from != NULL && strncmp(why, path, strlen(path)) == 0 &&
		    !isdigit((unsigned char)why[strlen(path) + 1]))
			snprintf(err, errlen, "%s:%u: %s", from, fline, why);
		else
			snprintf(err, errlen, "%s", why);
		free(l);
		return -1;
	}
	for (;;) {
		if (pdns_lua_next(l, err, errlen) == -1)
			goto done;
		if (l->t == LT_END)
			break;
		/* "x.addTA(" or "x:addTA(" is somebody else's function */
		if (l->t == LT_NAME && !prev_dot && is_ta_call(l->text) &&
		    pdns_lua_call(l, r, stack, depth, err, errlen) == -1)
			goto done;
		prev_dot = l->t == LT_PUNCT && (l->text[0] == '.' ||
		    l->text[0] == ':');
	}
	rv = 0;
done:
	free(l->f.buf);
	free(l);
	return rv;
}

/* ---- recursor.conf ---------------------------------------------------------- */

/* One "key=value" setting of recursor.conf, at file:line. */
static int
pdns_conf_setting(struct pd_conf *c, const char *key, const char *val,
    const char *file, unsigned line, int main_file, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "dnssec", offsetof(struct pd_conf, dnssec) },
		{ "lua-config-file", offsetof(struct pd_conf, lua) },
		{ "setuid", offsetof(struct pd_conf, user) },
		{ "socket-dir", offsetof(struct pd_conf, socket_dir) },
		{ "include-dir", offsetof(struct pd_conf, include_dir) },
		{ "chroot", offsetof(struct pd_conf, chroot) },
		{ "config-name", offsetof(struct pd_conf, config_name) },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].name) != 0)
			continue;
		/* include-dir counts only in the main file: the daemon
		 * gathers includes once, after reading it */
		if (!main_file && strcmp(key, "include-dir") == 0)
			return 0;
		return pdns_set((struct pd_val *)((char *)c + keys[i].off),
		    val, file, line, key, err, errlen);
	}
	return 0;
}

/* Trim blanks at both ends of s in place; returns the new start. */
static char *
pdns_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One logical line of recursor.conf (comments still in). */
static int
pdns_conf_line(struct pd_conf *c, char *line, const char *file,
    unsigned lno, int main_file, char *err, size_t errlen)
{
	char *p, *key, *val;
	size_t i;

	for (i = 0; line[i] != '\0'; i++)
		if (line[i] == '#' && (i == 0 ||
		    isspace((unsigned char)line[i - 1]))) {
			line[i] = '\0';
			break;
		}
	key = pdns_trim(line);
	if (*key == '\0')
		return 0;
	for (p = key; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			snprintf(err, errlen, "%s:%u: control character",
			    file, lno);
			return -1;
		}
	if ((p = strchr(key, '=')) == NULL)
		return 0;       /* a bare boolean switch */
	val = p + 1;
	if (p > key && p[-1] == '+')
		p--;            /* "key+=value" extends lists we do not use */
	*p = '\0';
	key = pdns_trim(key);
	val = pdns_trim(val);
	return pdns_conf_setting(c, key, val, file, lno, main_file, err,
	    errlen);
}

/* Read one recursor.conf file. */
static int
pdns_conf_file(struct pd_conf *c, const char *path, int main_file,
    char *err, size_t errlen)
{
	struct textfile f;
	char *line = xcalloc(1, PD_LINE_MAX + 1);
	const char *s;
	size_t n, ln = 0;
	unsigned start = 0;
	int rv = -1;

	if (pdns_load(path, &f, err, errlen) == -1) {
		free(line);
		return -1;
	}
	for (f.line = 0; fileio_nextline(f.buf, f.len, &f.pos, &s, &n); ) {
		f.line++;
		if (ln == 0)
			start = f.line;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r'))
			n--;
		if (ln + n > PD_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line longer than %d "
			    "characters", path, start, PD_LINE_MAX);
			goto done;
		}
		memcpy(line + ln, s, n);
		ln += n;
		line[ln] = '\0';
		if (ln > 0 && line[ln - 1] == '\\') {
			line[--ln] = '\0';
			continue;
		}
		if (pdns_conf_line(c, line, path, start, main_file, err,
		    errlen) == -1)
			goto done;
		ln = 0;
	}
	if (ln > 0 && pdns_conf_line(c, line, path, start, main_file, err,
	    errlen) == -1)
		goto done;
	rv = 0;
done:
	free(line);
	free(f.buf);
	return rv;
}

static int
pdns_cmp_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The files of an include directory whose names end in ext, sorted
 * case-insensitively as the daemon does; *names is freed by the caller
 * (each entry and the array).  -1 (err) if the directory cannot be read.
 */
static int
pdns_list_dir(const char *dir, const char *ext, const struct pd_val *where,
    char ***names, size_t *n, char *err, size_t errlen)
{
	struct dirent *de;
	DIR *d;
	size_t el = strlen(ext), nl;
	char path[AW_PATH_MAX];

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s:%u: include directory %s: %s",
		    where->file, where->line, dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl <= el ||
		    strcmp(de->d_name + nl - el, ext) != 0)
			continue;
		if (*n >= PD_INCLUDES_MAX || snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
			snprintf(err, errlen, "%s:%u: include directory %s: "
			    "too many files or name too long", where->file,
			    where->line, dir);
			closedir(d);
			return -1;
		}
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		if (((*names)[*n] = strdup(path)) == NULL)
			fatalx("out of memory");
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), pdns_cmp_ci);
	return 0;
}

static void
pdns_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- recursor.yml (5.x) ------------------------------------------------------ */

struct pd_yaml {
	yaml_parser_t p;
	yaml_event_t ev;
	const char *path;
	struct pd_conf *c;
	struct resolver *r;
	int main_file;
	char *err;
	size_t errlen;
};

/* The libyaml error as "file:line: ...". */
static int
pdns_yaml_error(struct pd_yaml *y)
{
	snprintf(y->err, y->errlen, "%s:%lu: YAML: %s", y->path,
	    (unsigned long)(y->p.problem_mark.line + 1),
	    y->p.problem != NULL ? y->p.problem : "syntax error");
	return -1;
}

/* Next event; aliases are refused (a settings file has no use for them). */
static int
pdns_yaml_next(struct pd_yaml *y)
{
	yaml_event_delete(&y->ev);
	if (!yaml_parser_parse(&y->p, &y->ev))
		return pdns_yaml_error(y);
	if (y->ev.type == YAML_ALIAS_EVENT) {
		snprintf(y->err, y->errlen, "%s:%lu: YAML aliases are not "
		    "supported", y->path,
		    (unsigned long)(y->ev.start_mark.line + 1));
		return -1;
	}
	return 0;
}

static unsigned
pdns_yaml_line(const struct pd_yaml *y)
{
	return (unsigned)y->ev.start_mark.line + 1;
}

/* Skip the node whose first event is current. */
static int
pdns_yaml_skip(struct pd_yaml *y)
{
	int depth = 0;

	do {
		if (y->ev.type == YAML_MAPPING_START_EVENT ||
		    y->ev.type == YAML_SEQUENCE_START_EVENT)
			depth++;
		else if (y->ev.type == YAML_MAPPING_END_EVENT ||
		    y->ev.type == YAML_SEQUENCE_END_EVENT)
			depth--;
		if (depth > PD_YAML_DEPTH) {
			snprintf(y->err, y->errlen, "%s:%u: YAML nested "
			    "deeper than %d", y->path, pdns_yaml_line(y),
			    PD_YAML_DEPTH);
			return -1;
		}
		if (depth == 0)
			return 0;
		if (pdns_yaml_next(y) == -1)
			return -1;
	} while (y->ev.type != YAML_STREAM_END_EVENT);
	return 0;
}

/* The current event must be a scalar: its value into out. */
static int
pdns_yaml_scalar(struct pd_yaml *y, const char *key, char *out,
    size_t outlen)
{
	if (y->ev.type != YAML_SCALAR_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a single value is "
		    "expected", y->path, pdns_yaml_line(y), key);
		return -1;
	}
	if (y->ev.data.scalar.length >= outlen) {
		snprintf(y->err, y->errlen, "%s:%u: %s: value too long",
		    y->path, pdns_yaml_line(y), key);
		return -1;
	}
	memcpy(out, y->ev.data.scalar.value, y->ev.data.scalar.length);
	out[y->ev.data.scalar.length] = '\0';
	if (strlen(out) != y->ev.data.scalar.length) {
		snprintf(y->err, y->errlen, "%s:%u: %s: NUL in value",
		    y->path, pdns_yaml_line(y), key);
		return -1;
	}
	return 0;
}

/* A setting that is a scalar, into d (seen: duplicate check). */
static int
pdns_yaml_val(struct pd_yaml *y, const char *key, struct pd_val *d,
    int *seen)
{
	char v[AW_PATH_MAX];

	if (*seen) {
		snprintf(y->err, y->errlen, "%s:%u: %s given twice", y->path,
		    pdns_yaml_line(y), key);
		return -1;
	}
	*seen = 1;
	if (pdns_yaml_next(y) == -1 || pdns_yaml_scalar(y, key, v,
	    sizeof(v)) == -1)
		return -1;
	return pdns_set(d, v, y->path, pdns_yaml_line(y), key, y->err,
	    y->errlen);
}

/* One dnssec.trustanchors entry: {name: ..., dsrecords: [...]}. */
static int
pdns_yaml_ta(struct pd_yaml *y)
{
	char key[32], name[256] = "", ds[PD_TOK_MAX];
	unsigned line = pdns_yaml_line(y);
	struct resolver tmp;
	size_t k;
	int rv = -1;

	memset(&tmp, 0, sizeof(tmp));
	if (y->ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: an entry "
		    "must be a mapping", y->path, line);
		return -1;
	}
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			goto done;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (pdns_yaml_scalar(y, "trustanchors", key, sizeof(key)) == -1)
			goto done;
		if (pdns_yaml_next(y) == -1)
			goto done;
		if (strcmp(key, "name") == 0) {
			if (pdns_yaml_scalar(y, "name", name,
			    sizeof(name)) == -1)
				goto done;
		} else if (strcmp(key, "dsrecords") == 0) {
			if (y->ev.type != YAML_SEQUENCE_START_EVENT) {
				snprintf(y->err, y->errlen, "%s:%u: dsrecords:"
				    " a sequence is expected", y->path,
				    pdns_yaml_line(y));
				goto done;
			}
			for (;;) {
				if (pdns_yaml_next(y) == -1)
					goto done;
				if (y->ev.type == YAML_SEQUENCE_END_EVENT)
					break;
				if (pdns_yaml_scalar(y, "dsrecords", ds,
				    sizeof(ds)) == -1 || pdns_add_ds(&tmp,
				    SRC_INLINE, ds, y->path,
				    pdns_yaml_line(y), y->err, y->errlen) == -1)
					goto done;
			}
		} else {
			snprintf(y->err, y->errlen, "%s:%u: trustanchors: "
			    "unknown key %s", y->path, pdns_yaml_line(y), key);
			goto done;
		}
	}
	if (name[0] == '\0') {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: entry "
		    "without a name", y->path, line);
		goto done;
	}
	if (is_root_name(name)) {
		if (!y->c->have_yaml_tas) {
			pdns_clear(y->r);  /* the built-in set is replaced */
			y->c->have_yaml_tas = 1;
			pdns_set(&y->c->yaml_ta, "trustanchors", y->path,
			    line, "trustanchors", y->err, y->errlen);
		}
		for (k = 0; k < tmp.nsources; k++)
			*resolver_add_source(y->r) = tmp.sources[k];
	}
	rv = 0;
done:
	resolver_free(&tmp);
	return rv;
}

/* dnssec.trustanchors: a sequence of entries; "!override" replaces. */
static int
pdns_yaml_tas(struct pd_yaml *y)
{
	if (pdns_yaml_next(y) == -1)
		return -1;
	if (y->ev.type != YAML_SEQUENCE_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: a sequence "
		    "is expected", y->path, pdns_yaml_line(y));
		return -1;
	}
	if (y->ev.data.sequence_start.tag != NULL &&
	    strcmp((const char *)y->ev.data.sequence_start.tag,
	    "!override") == 0 && y->c->have_yaml_tas)
		pdns_clear(y->r);
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (pdns_yaml_ta(y) == -1)
			return -1;
	}
}

/* One section mapping (recursor:, dnssec:, others skipped). */
static int
pdns_yaml_section(struct pd_yaml *y, const char *sect)
{
	char key[64];
	int seen[8] = { 0 }, tas = 0;
	struct pd_conf *c = y->c;

	if (pdns_yaml_next(y) == -1)
		return -1;
	if (strcmp(sect, "recursor") != 0 && strcmp(sect, "dnssec") != 0)
		return pdns_yaml_skip(y);
	if (y->ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a mapping is expected",
		    y->path, pdns_yaml_line(y), sect);
		return -1;
	}
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (pdns_yaml_scalar(y, sect, key, sizeof(key)) == -1)
			return -1;
		if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "validation") == 0) {
			if (pdns_yaml_val(y, key, &c->dnssec, &seen[0]) == -1)
				return -1;
		} else if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "trustanchorfile") == 0) {
			if (pdns_yaml_val(y, key, &c->tafile, &seen[1]) == -1)
				return -1;
		} else if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "trustanchors") == 0) {
			if (tas++ > 0) {
				snprintf(y->err, y->errlen, "%s:%u: %s given "
				    "twice", y->path, pdns_yaml_line(y), key);
				return -1;
			}
			if (pdns_yaml_tas(y) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "lua_config_file") == 0) {
			if (pdns_yaml_val(y, key, &c->lua, &seen[2]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "setuid") == 0) {
			if (pdns_yaml_val(y, key, &c->user, &seen[3]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "socket_dir") == 0) {
			if (pdns_yaml_val(y, key, &c->socket_dir,
			    &seen[4]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "config_name") == 0) {
			if (pdns_yaml_val(y, key, &c->config_name,
			    &seen[5]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "include_dir") == 0 && y->main_file) {
			if (pdns_yaml_val(y, key, &c->include_dir,
			    &seen[6]) == -1)
				return -1;
		} else if (pdns_yaml_next(y) == -1 || pdns_yaml_skip(y) == -1)
			return -1;
	}
}

/* Read one YAML settings file; sections merge into c and r. */
static int
pdns_yaml_file(struct pd_conf *c, struct resolver *r, const char *path,
    int main_file, char *err, size_t errlen)
{
	struct pd_yaml y;
	struct textfile f;
	char sect[64], seen[16][64];
	size_t nseen = 0, i;
	int rv = -1;

	if (pdns_load(path, &f, err, errlen) == -1)
		return -1;
	memset(&y, 0, sizeof(y));
	y.path = path;
	y.c = c;
	y.r = r;
	y.main_file = main_file;
	y.err = err;
	y.errlen = errlen;
	if (!yaml_parser_initialize(&y.p))
		fatalx("out of memory");
	yaml_parser_set_input_string(&y.p, (const unsigned char *)f.buf,
	    f.len);
	if (!yaml_parser_parse(&y.p, &y.ev)) {
		pdns_yaml_error(&y);
		goto out;
	}
	/* stream start, document start (an empty file has none) */
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_STREAM_END_EVENT) {
		rv = 0;
		goto done;
	}
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_SCALAR_EVENT && y.ev.data.scalar.length == 0) {
		rv = 0;         /* a document of comments only */
		goto done;
	}
	if (y.ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(err, errlen, "%s:%u: the settings must be a mapping "
		    "of sections", path, pdns_yaml_line(&y));
		goto done;
	}
	for (;;) {
		if (pdns_yaml_next(&y) == -1)
			goto done;
		if (y.ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (pdns_yaml_scalar(&y, "section", sect, sizeof(sect)) == -1)
			goto done;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], sect) == 0) {
				snprintf(err, errlen, "%s:%u: section %s given "
				    "twice", path, pdns_yaml_line(&y), sect);
				goto done;
			}
		if (nseen < 16)
			memcpy(seen[nseen++], sect, sizeof(sect));
		if (pdns_yaml_section(&y, sect) == -1)
			goto done;
	}
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_DOCUMENT_END_EVENT && pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type != YAML_STREAM_END_EVENT) {
		snprintf(err, errlen, "%s:%u: more than one YAML document",
		    path, pdns_yaml_line(&y));
		goto done;
	}
	rv = 0;
done:
	yaml_event_delete(&y.ev);
out:
	yaml_parser_delete(&y.p);
	free(f.buf);
	return rv;
}

/* ---- putting it together ---------------------------------------------------- */

/* 1 if path names a YAML settings file. */
static int
is_yaml(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && strcmp(path + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(path + n - 5, ".yaml") == 0);
}

/* The settings: main file, then the include directory. */
static int
pdns_settings(const char *config, struct pd_conf *c, struct resolver *r,
    char *err, size_t errlen)
{
	int yaml = is_yaml(config);
	char **names;
	size_t n, i;
	int rv;

	rv = yaml ? pdns_yaml_file(c, r, config, 1, err, errlen) :
	    pdns_conf_file(c, config, 1, err, errlen);
	if (rv == -1 || c->include_dir.v[0] == '\0')
		return rv;
	if (pdns_list_dir(c->include_dir.v, yaml ? ".yml" : ".conf",
	    &c->include_dir, &names, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n && rv == 0; i++)
		rv = yaml ? pdns_yaml_file(c, r, names[i], 0, err, errlen) :
		    pdns_conf_file(c, names[i], 0, err, errlen);
	pdns_free_names(names, n);
	return rv;
}

/* dnssec= / dnssec.validation into r->dnssec. */
static int
pdns_mode(const struct pd_conf *c, struct resolver *r, char *err,
    size_t errlen)
{
	const char *m = c->dnssec.v;

	r->dnssec = DNSSEC_ON;
	if (m[0] == '\0' || strcmp(m, "process") == 0 ||
	    strcmp(m, "log-fail") == 0 || strcmp(m, "validate") == 0)
		return 0;
	if (strcmp(m, "off") == 0 || strcmp(m, "process-no-validate") == 0) {
		r->dnssec = DNSSEC_OFF;
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s:%u",
		    c->dnssec.file, c->dnssec.line);
		return 0;
	}
	snprintf(err, errlen, "%s:%u: dnssec: unknown mode \"%.32s\"",
	    c->dnssec.file, c->dnssec.line, m);
	return -1;
}

/* Anchors of a config: built-ins, YAML, Lua, trust anchor file. */
static int
pdns_anchors(const char *config, struct pd_conf *c, struct resolver *r,
    char *err, size_t errlen)
{
	char (*stack)[AW_PATH_MAX];
	char path[AW_PATH_MAX];
	int rv;

	pdns_builtin(r);
	if (pdns_settings(config, c, r, err, errlen) == -1 ||
	    pdns_mode(c, r, err, errlen) == -1)
		return -1;
	if (c->lua.v[0] != '\0' && (c->have_yaml_tas || c->tafile.v[0])) {
		snprintf(err, errlen, "%s:%u: lua_config_file and the YAML "
		    "trust anchor settings (%s:%u) are both set: the recursor "
		    "refuses to mix them", c->lua.file, c->lua.line,
		    c->have_yaml_tas ? c->yaml_ta.file : c->tafile.file,
		    c->have_yaml_tas ? c->yaml_ta.line : c->tafile.line);
		return -1;
	}
	if (c->tafile.v[0] != '\0')
		return pdns_tafile(r, c->tafile.v, c->tafile.file,
		    c->tafile.line, err, errlen);
	if (c->lua.v[0] == '\0')
		return 0;
	if (pdns_path(c->lua.v, path, sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: lua-config-file: name too long",
		    c->lua.file, c->lua.line);
		return -1;
	}
	stack = xcalloc(PD_DEPTH_MAX, AW_PATH_MAX);
	rv = pdns_lua_file(path, r, stack, 0, c->lua.file, c->lua.line, err,
	    errlen);
	free(stack);
	return rv;
}

/*
 * The PowerDNS Recursor reader: rc->config (recursor.conf, or a .yml
 * settings file) and the extra anchor files of rc, which are read as
 * static zone files.
 */
int
pdns_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct pd_conf *c = xcalloc(1, sizeof(*c));
	const char *config = rc->config[0] ? rc->config :
	    "/etc/powerdns/recursor.conf";
	int rv = -1;

	snprintf(r->user, sizeof(r->user), "%s", PD_DEFAULT_USER);
	if (pdns_anchors(config, c, r, err, errlen) == -1)
		goto done;
	if (c->user.v[0] != '\0')
		snprintf(r->user, sizeof(r->user), "%s", c->user.v);
	if (zonefile_read_static_files(rc, r, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(c);
	return rv;
}

/* ---- the running daemon --------------------------------------------------- */

/*
 * Parse `rec_control get-tas` output into r->loaded: after "Configured
 * Trust Anchors:", a zone name line, then one "\t\tTAG ALG DT DIGEST" line
 * per DS.  Returns 0, or -1 if the output is not in that form.
 */
int
pdns_parse_tas(const char *out, struct resolver *r)
{
	const char *p = out, *e;
	char line[512], *end;
	unsigned long tag;
	int root = 0, head = 0;
	size_t n;

	r->nloaded = 0;
	for (; *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n >= sizeof(line))
			return -1;
		memcpy(line, p, n);
		line[n] = '\0';
		if (strncmp(line, "Configured Trust Anchors:", 25) == 0) {
			head = 1;
			continue;
		}
		if (!head || line[0] == '\0')
			continue;
		if (line[0] != '\t' && line[0] != ' ') {
			root = strcmp(line, ".") == 0;
			continue;
		}
		if (!root)
			continue;
		errno = 0;
		tag = strtoul(line + strspn(line, " \t"), &end, 10);
		if (errno != 0 || tag > 65535 || *end != ' ')
			return -1;
		if (r->nloaded < AW_RRSET_MAX)
			r->loaded[r->nloaded++] = (uint16_t)tag;
	}
	return head ? 0 : -1;
}

/*
 * Ask the running recursor what it trusts (`rec_control get-tas`, at the
 * socket-dir of its config).  No rec_control, no daemon, or an answer we
 * do not understand: 0 with r->have_loaded 0.
 */
int
pdns_loaded(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct pd_conf *c = xcalloc(1, sizeof(*c));
	struct resolver tmp;
	const char *config = rc->config[0] ? rc->config :
	    "/etc/powerdns/recursor.conf";
	char sock[AW_PATH_MAX + 16], name[AW_PATH_MAX + 16], *out;
	char *argv[8], why[AW_ERR_MAX];
	size_t len;
	int st, n = 0;

	r->have_loaded = 0;
	memset(&tmp, 0, sizeof(tmp));
	if (pdns_settings(config, c, &tmp, err, errlen) == -1) {
		err[0] = '\0';  /* pdns_read reports the config */
		goto done;
	}
	argv[n++] = PD_REC_CONTROL;
	if (c->socket_dir.v[0] != '\0') {
		snprintf(sock, sizeof(sock), "--socket-dir=%s%s", c->chroot.v,
		    c->socket_dir.v);
		argv[n++] = sock;
	}
	if (c->config_name.v[0] != '\0') {
		snprintf(name, sizeof(name), "--config-name=%s",
		    c->config_name.v);
		argv[n++] = name;
	}
	argv[n++] = "--timeout=" "5";
	argv[n++] = "get-tas";
	argv[n] = NULL;
	if (spawn_read(argv, PD_RUN_TIMEOUT, PD_OUT_MAX, 1, &out, &len, &st,
	    why, sizeof(why)) == 0 && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0 && pdns_parse_tas(out, r) == 0) {
		r->have_loaded = 1;
		snprintf(r->loaded_how, sizeof(r->loaded_how),
		    "rec_control get-tas");
	}
	free(out);
done:
	resolver_free(&tmp);
	free(c);
	return 0;
}
