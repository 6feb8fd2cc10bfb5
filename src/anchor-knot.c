/*
 * anchor-knot.c: what a Knot Resolver daemon (kresd 5.x, 6.x) trusts for
 * the root.
 *
 * kresd 5.x is configured in Lua.  Lua is not run here: a tokenizer that
 * knows Lua's strings ('...', "...", [[...]], [==[...]==]) and comments
 * (--, --[[ ]]) finds the calls that decide the root trust anchor, with
 * literal arguments only, in file order, ignoring control flow:
 *  - trust_anchors.add_file(path [, readonly]): the root keyset becomes the
 *    file, RFC 5011 managed (RFC 5011 section 2) unless readonly is true;
 *  - trust_anchors.add('. DS ...'): static records; kresd 5.6 then trusts
 *    only the records of the LAST add() call (keyset_publish replaces the
 *    store although it logs "extending"; observed with the real daemon),
 *    and refuses to start when the root keyset is managed;
 *  - trust_anchors.remove('.'): no root anchor, validation off;
 *  - trust_anchors.set_insecure({...'.'...}): refused by kresd while a
 *    root anchor exists (the config fails to load), else validation off;
 *  - modules.unload('ta_update'): managed keysets stop being updated;
 *  - user('name', ...): the user kresd runs as; dofile('file'): nested.
 * Anything else, and any call whose arguments are not literals, is
 * ignored.  Before the config, kresd's sandbox.lua loads a compiled-in
 * default: Debian (and upstream's .deb) build with keyfile_default
 * /usr/share/dns/root.key read-only; upstream's default build and its RPMs
 * use a managed root.keys.  The reader takes it from the installed
 * sandbox.lua, or assumes Debian's.
 *
 * kresd 6.x is configured in YAML (config.yaml, read here with libyaml's
 * event API): dnssec: false, or dnssec: { enable:, trust-anchors: [],
 * negative-trust-anchors: [], trust-anchors-files: [{file:, read-only:}] },
 * applied in the order the 6.x manager renders them to Lua (inline
 * anchors, negative anchors, files).
 *
 * root.keys, the file kresd rewrites: one record a line followed by
 * " ; <State>:<timer> ; KeyTag:<tag>"; keys kresd must not trust (AddPend,
 * Revoked, Removed, Start) are written commented out with "; " in front.
 * A record without a state is Valid.  kresd rewrites the file after every
 * successful refresh, so its mtime is the last successful probe.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "anchorwatch.h"

#define KN_LINE_MAX 8192       /* one physical line of a key file */
#define KN_REC_MAX 8192        /* one record, parentheses joined */
#define KN_STR_MAX 16384       /* one Lua string literal */
#define KN_YAML_DEPTH 16       /* nesting of config.yaml */
#define KN_YAML_LIST_MAX 32    /* items of one 6.x dnssec list */
#define KN_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */
#define KN_USER "knot-resolver"
#define KN_CONFIG5 "/etc/knot-resolver/kresd.conf"
#define KN_CONFIG6 "/etc/knot-resolver/config.yaml"
#define KN_KEYFILE "/usr/share/dns/root.key"

/*
 * Test hooks (not in anchorwatch.h): the sandbox.lua that holds kresd's
 * compiled-in default (NULL: search where packages install it) and the
 * directory relative file names resolve in (the Debian unit's
 * WorkingDirectory).
 */
const char *knot_sandbox = NULL;
const char *knot_workdir = "/var/lib/knot-resolver";

/* A loaded file and a cursor into it. */
/* The root keyset as kresd would hold it after each statement. */
struct kn_conf {
	struct source *root;          /* NULL: no root anchor */
	int managed;                  /* RFC 5011 updates the root keyset */
	int nta_root;                 /* '.' is a negative trust anchor */
	char off_where[AW_PATH_MAX + 16]; /* what turned validation off */
	char user[AW_NAME_MAX];
	struct luascan_stack stack;   /* Lua files being read */
	int refused;                  /* the error is what kresd refuses */
};

/* ---- files and lines ---------------------------------------------------- */

/* name resolved in dir unless absolute, into out.  0 or -1 (too long). */
static int
knot_path(const char *dir, const char *name, char *out, size_t outlen)
{
	int n;

	if (name[0] == '/' || dir[0] == '\0')
		n = snprintf(out, outlen, "%s", name);
	else
		n = snprintf(out, outlen, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- key files: root.keys and plain DS/DNSKEY files --------------------- */

/*
 * The state of a kresd key comment " <State>:<timer> ; KeyTag:N".
 * Returns 1 with *st set, 0 if the comment names no state kresd knows
 * (kresd then keeps its default), -1 (why) on an out of range timer.
 */
static int
knot_state(const char *c, enum ks_state *st, char *why, size_t whylen)
{
	static const struct {
		const char *word;
		enum ks_state st;
	} states[] = { { "Start", KS_START }, { "AddPend", KS_ADDPEND },
	    { "Valid", KS_VALID }, { "Missing", KS_MISSING },
	    { "Revoked", KS_REVOKED }, { "Removed", KS_REMOVED } };
	unsigned long long v = 0;
	size_t i, n = 0;

	while (*c == ' ' || *c == '\t')
		c++;
	while (isalpha((unsigned char)c[n]))
		n++;
	if (n == 0 || c[n] != ':')
		return 0;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strlen(states[i].word) == n &&
		    strncmp(c, states[i].word, n) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0]))
		return 0;
	for (c += n + 1; isdigit((unsigned char)*c); c++) {
		if (v > (KN_TIME_MAX - (unsigned)(*c - '0')) / 10) {
			snprintf(why, whylen, "%s timer out of range",
			    states[i].word);
			return -1;
		}
		v = v * 10 + (unsigned)(*c - '0');
	}
	*st = states[i].st;
	return 1;
}

/* Add anchor a (line) to s; -1 (why) when s is full. */
static int
knot_add_anchor(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen)
{
	if (s->nanchors >= AW_ANCHOR_MAX) {
		snprintf(why, whylen, "more than %d anchors", AW_ANCHOR_MAX);
		return -1;
	}
	a->line = line;
	s->anchors[s->nanchors++] = *a;
	return 0;
}

/*
 * A "; " line of root.keys: kresd loads it if the rest parses as a record
 * with a state it knows, and ignores it as a comment otherwise.
 */
static int
knot_commented(struct source *s, const char *l, size_t n, unsigned line,
    char *why, size_t whylen)
{
	char text[KN_LINE_MAX + 1], scratch[AW_ERR_MAX], *semi;
	enum ks_state st;
	struct anchor a;
	int r;

	snprintf(text, sizeof(text), "%.*s", (int)n, l);
	if ((semi = strchr(text, ';')) == NULL)
		return 0;
	*semi = '\0';
	if (keyset_parse_rr(text, &a, scratch, sizeof(scratch)) != 1)
		return 0;
	if ((r = knot_state(semi + 1, &st, why, whylen)) != 1)
		return r;
	a.state = st;
	return knot_add_anchor(s, &a, line, why, whylen);
}

/* One record being joined from physical lines. */
struct kn_rec {
	char text[KN_REC_MAX];
	size_t tlen;
	char note[KN_LINE_MAX + 1];  /* first comment of the record */
	unsigned line;
	int depth;
	int cont;                    /* began with a blank: owner omitted */
};

/*
 * Feed one line into rec.  Returns 1 when a record is complete, 0 when it
 * needs more lines or the line was blank, -1 (why).
 */
static int
knot_rec_feed(struct kn_rec *rec, const char *l, size_t n, unsigned line,
    char *why, size_t whylen)
{
	size_t i, k;
	char c;

	if (rec->depth == 0) {
		rec->tlen = 0;
		rec->note[0] = '\0';
		rec->line = line;
		rec->cont = n > 0 && (l[0] == ' ' || l[0] == '\t');
	}
	for (i = 0; i < n && l[i] != ';'; i++) {
		c = l[i];
		if (c == ')' && rec->depth == 0) {
			snprintf(why, whylen, "')' without '('");
			return -1;
		}
		rec->depth += c == '(' ? 1 : c == ')' ? -1 : 0;
		if (c == '(' || c == ')' || c == '\t')
			c = ' ';
		if ((unsigned char)c < 0x20 || c == 0x7f) {
			snprintf(why, whylen, "control character in record");
			return -1;
		}
		if (rec->tlen + 2 >= sizeof(rec->text)) {
			snprintf(why, whylen, "record longer than %d "
			    "characters", KN_REC_MAX);
			return -1;
		}
		rec->text[rec->tlen++] = c;
	}
	if (rec->tlen + 2 >= sizeof(rec->text)) {
		snprintf(why, whylen, "record longer than %d characters",
		    KN_REC_MAX);
		return -1;
	}
	rec->text[rec->tlen++] = ' ';
	rec->text[rec->tlen] = '\0';
	if (i < n && rec->note[0] == '\0')
		snprintf(rec->note, sizeof(rec->note), "%.*s",
		    (int)(n - i - 1), l + i + 1);
	if (rec->depth > 0)
		return 0;
	for (k = 0; k < rec->tlen; k++)
		if (rec->text[k] != ' ')
			return 1;
	return 0;
}

/* $TTL n and $ORIGIN . are accepted; other directives are refused. */
static int
knot_directive(const char *t, char *why, size_t whylen)
{
	char dir[16] = "", arg[32] = "", more[8] = "";
	unsigned long long v = 0;
	const char *p;

	if (sscanf(t, "%15s %31s %7s", dir, arg, more) < 1 || more[0] != '\0')
		goto bad;
	if (strcasecmp(dir, "$ORIGIN") == 0 && strcmp(arg, ".") == 0)
		return 0;
	if (strcasecmp(dir, "$TTL") != 0 || arg[0] == '\0')
		goto bad;
	for (p = arg; isdigit((unsigned char)*p) && v <= 2147483647ULL; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p == '\0' && v <= 2147483647ULL)
		return 0;
bad:
	snprintf(why, whylen, "unsupported directive or bad value: %.40s", t);
	return -1;
}

/* A complete record: an anchor of s, or counted in *nother. */
static int
knot_rec_done(struct kn_rec *rec, struct source *s, char *owner,
    size_t ownerlen, size_t *nother, char *why, size_t whylen)
{
	char text[KN_REC_MAX + 300];
	enum ks_state st;
	struct anchor a;
	const char *p = rec->text;
	size_t n = 0;
	int r;

	while (*p == ' ')
		p++;
	if (*p == '$' && !rec->cont)
		return knot_directive(p, why, whylen);
	if (!rec->cont) {
		while (p[n] != '\0' && p[n] != ' ')
			n++;
		if (n >= ownerlen) {
			snprintf(why, whylen, "owner name too long");
			return -1;
		}
		snprintf(owner, ownerlen, "%.*s", (int)n, p);
		p += n;
	} else if (owner[0] == '\0') {
		snprintf(why, whylen, "record without an owner name");
		return -1;
	}
	snprintf(text, sizeof(text), "%s %s", owner, p);
	if ((r = keyset_parse_rr(text, &a, why, whylen)) == -1)
		return -1;
	if ((r == 0 && s->nanchors > 0) || (r == 1 && *nother > 0)) {
		snprintf(why, whylen, "root anchors mixed with records of "
		    "another zone or type (kresd refuses the file)");
		return -1;
	}
	if (r == 0) {
		(*nother)++;
		return 0;
	}
	a.state = KS_VALID;
	if ((r = knot_state(rec->note, &st, why, whylen)) == -1)
		return -1;
	if (r == 1) {
		a.state = st;
		s->is_stateful = 1;
	}
	return knot_add_anchor(s, &a, rec->line, why, whylen);
}

/*
 * Read a kresd key file (root.keys, or any zone file of DS/DNSKEY
 * records) into s.  *nother counts records that are not root anchors.
 */
static int
knot_parse_keys(struct textfile *f, struct source *s, size_t *nother,
    char *err, size_t errlen)
{
	struct kn_rec *rec = xcalloc(1, sizeof(*rec));
	char owner[256] = "", why[AW_ERR_MAX];
	const char *l;
	size_t n;
	int r, rv = -1;

	while ((r = fileio_getline(f, KN_LINE_MAX, &l, &n)) != 0) {
		if (r == -1) {
			snprintf(why, sizeof(why), "line longer than %d "
			    "characters", KN_LINE_MAX);
			goto bad;
		}
		if (rec->depth == 0 && n >= 2 && l[0] == ';' && l[1] == ' ') {
			if (knot_commented(s, l + 2, n - 2, f->line, why,
			    sizeof(why)) == -1)
				goto bad;
			continue;
		}
		if ((r = knot_rec_feed(rec, l, n, f->line, why,
		    sizeof(why))) == -1)
			goto bad;
		if (r == 1 && knot_rec_done(rec, s, owner, sizeof(owner),
		    nother, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%u: %s", f->path, rec->line,
			    why);
			goto done;
		}
	}
	if (rec->depth > 0) {
		snprintf(err, errlen, "%s:%u: '(' not closed", f->path,
		    rec->line);
		goto done;
	}
	rv = 0;
	goto done;
bad:
	snprintf(err, errlen, "%s:%u: %s", f->path, f->line, why);
done:
	free(rec);
	return rv;
}

/*
 * Read key file path into s as kresd's add_file() would: a file mixing
 * root anchors with other records, or holding none, makes kresd refuse
 * it.  Returns 1 if the file holds the root's anchors, 0 if only another
 * zone's, -1 with err set.
 */
static int
knot_read_keyfile(const char *path, struct source *s, char *err,
    size_t errlen)
{
	struct textfile f;
	struct stat st;
	size_t nother = 0;
	int rv;

	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	rv = knot_parse_keys(&f, s, &nother, err, errlen);
	free(f.buf);
	if (rv == -1)
		return -1;
	if (s->nanchors == 0 && nother == 0) {
		snprintf(err, errlen, "%s:1: no trust anchor in file (kresd "
		    "refuses the file)", path);
		return -1;
	}
	if (s->kind == SRC_AUTO && stat(path, &st) == 0) {
		/* kresd rewrites the file after every successful refresh */
		s->have_probe = 1;
		s->last_success = (long long)st.st_mtime;
	}
	return s->nanchors > 0;
}

/* ---- what a statement does to the root keyset --------------------------- */

/*
 * trust_anchors.add_file(path, ro) at file:line; path is resolved already.
 * builtin: kresd's compiled-in default.
 */
static int
knot_add_file(struct kn_conf *c, const char *path, int ro, int builtin,
    const char *file, unsigned line, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct source *s;
	int r;

	s = xcalloc(1, sizeof(*s));
	s->kind = !ro ? SRC_AUTO : builtin ? SRC_BUILTIN : SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	if ((r = knot_read_keyfile(path, s, why, sizeof(why))) == -1) {
		if (file[0] == '\0')
			snprintf(err, errlen, "kresd built-in default anchor: "
			    "%s", why);
		else
			snprintf(err, errlen, "%s:%u: trust_anchors.add_file: "
			    "%s", file, line, why);
		free(s);
		return -1;
	}
	if (r == 0) {
		free(s);        /* another zone's anchors */
		return 0;
	}
	free(c->root);
	c->root = s;
	c->managed = !ro;
	return 0;
}

/* trust_anchors.add(text): kresd then trusts these records only. */
static int
knot_add_inline(struct kn_conf *c, const char *text, const char *file,
    unsigned line, char *err, size_t errlen)
{
	char rr[KN_LINE_MAX + 1], why[AW_ERR_MAX], *semi;
	struct source *s = xcalloc(1, sizeof(*s));
	const char *p = text, *e;
	size_t nother = 0, n;
	struct anchor a;
	int r;

	s->kind = SRC_INLINE;
	snprintf(s->path, sizeof(s->path), "%s", file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		n = (size_t)(e - p);
		if (n > KN_LINE_MAX) {
			snprintf(why, sizeof(why), "record too long");
			goto bad;
		}
		snprintf(rr, sizeof(rr), "%.*s", (int)n, p);
		if ((semi = strchr(rr, ';')) != NULL)
			*semi = '\0';
		if (strspn(rr, " \t\r") == strlen(rr))
			continue;
		if ((r = keyset_parse_rr(rr, &a, why, sizeof(why))) == -1)
			goto bad;
		if (r == 0)
			nother++;
		else if (knot_add_anchor(s, &a, line, why, sizeof(why)) == -1)
			goto bad;
	}
	if (s->nanchors == 0) {
		free(s);
		return 0;
	}
	if (nother > 0) {
		snprintf(why, sizeof(why), "root anchors mixed with other "
		    "records (kresd refuses them)");
		goto bad;
	}
	if (c->root != NULL && c->managed) {
		snprintf(err, errlen, "%s:%u: kresd refuses to start: "
		    "trust_anchors.add: the root keyset (%s) is RFC 5011 "
		    "managed", file, line, c->root->path);
		c->refused = 1;
		free(s);
		return -1;
	}
	free(c->root);
	c->root = s;
	c->managed = 0;
	return 0;
bad:
	snprintf(err, errlen, "%s:%u: trust_anchors.add: %s", file, line, why);
	free(s);
	return -1;
}

/* trust_anchors.remove('.'): no root anchor, validation off. */
static void
knot_remove_root(struct kn_conf *c, const char *what, const char *file,
    unsigned line)
{
	free(c->root);
	c->root = NULL;
	c->managed = 0;
	snprintf(c->off_where, sizeof(c->off_where), "%s:%u (%s)", file, line,
	    what);
}

/* set_insecure with '.' in it: refused while the root has an anchor. */
static int
knot_nta_root(struct kn_conf *c, int has_root, const char *file,
    unsigned line, char *err, size_t errlen)
{
	c->nta_root = has_root;
	if (!has_root)
		return 0;
	if (c->root != NULL) {
		snprintf(err, errlen, "%s:%u: kresd refuses to start: "
		    "negative trust anchor for '.' while the root has a trust "
		    "anchor", file, line);
		c->refused = 1;
		return -1;
	}
	snprintf(c->off_where, sizeof(c->off_where), "%s:%u (negative trust "
	    "anchor for '.')", file, line);
	return 0;
}

/* ---- kresd.conf: the calls that decide the root keyset ----------------- */

static int knot_lua_file(struct kn_conf *, const char *, int, const char *,
    unsigned, char *, size_t);

/* err is what makes kresd exit at start (its Lua raises an error). */
static int
knot_lua_refuse(struct kn_conf *c, char *err, size_t errlen)
{
	if (!c->refused)
		luascan_refuse(err, errlen, "kresd");
	c->refused = 1;
	return -1;
}

/* A file kresd would find missing: it raises an error (seen with 5.6). */
static int
knot_lua_missing(struct kn_conf *c, const struct luascan_call *k,
    const char *file, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) == 0)
		return 0;
	snprintf(err, errlen, "%s:%u: %s: %s: no such file", file, k->line,
	    k->name, path);
	return knot_lua_refuse(c, err, errlen);
}

/* 1 if argument i of k is a Lua true value (neither false nor nil). */
static int
is_true_arg(const struct luascan_call *k, size_t i)
{
	return k->nargs > i && k->type[i] != LA_FALSE && k->type[i] != LA_NIL;
}

/* A file name argument resolved in kresd's working directory. */
static int
knot_lua_path(const struct luascan_call *k, const char *file, char *path,
    char *err, size_t errlen)
{
	if (k->str[0][0] != '\0' && knot_path(knot_workdir, k->str[0], path,
	    AW_PATH_MAX) == 0)
		return 0;
	snprintf(err, errlen, "%s:%u: %s: bad file name", file, k->line,
	    k->name);
	return -1;
}

/* Apply call k of file; sandbox: only add_file counts (the builtin). */
static int
knot_lua_apply(struct kn_conf *c, const struct luascan_call *k,
    const char *file, int sandbox, char *err, size_t errlen)
{
	char path[AW_PATH_MAX];

	if (!k->literal || k->nargs == 0)
		return 0;
	if (strcmp(k->name, "trust_anchors.add_file") == 0 &&
	    k->type[0] == LA_STR) {
		if (knot_lua_path(k, file, path, err, errlen) == -1)
			return sandbox ? -1 : knot_lua_refuse(c, err, errlen);
		if (!sandbox && knot_lua_missing(c, k, file, path, err,
		    errlen) == -1)
			return -1;
		return knot_add_file(c, path, is_true_arg(k, 1), sandbox,
		    file, k->line, err, errlen);
	}
	if (sandbox)
		return 0;
	/* kresd refuses records it cannot parse, mixed with other zones' */
	if (strcmp(k->name, "trust_anchors.add") == 0 && k->type[0] == LA_STR)
		return knot_add_inline(c, k->str[0], file, k->line, err,
		    errlen) == -1 ? knot_lua_refuse(c, err, errlen) : 0;
	if (strcmp(k->name, "trust_anchors.remove") == 0 &&
	    k->type[0] == LA_STR && is_luascan_item(k, 0, "."))
		knot_remove_root(c, "trust_anchors.remove('.')", file, k->line);
	else if (strcmp(k->name, "trust_anchors.set_insecure") == 0 &&
	    k->type[0] == LA_TABLE)
		return knot_nta_root(c, is_luascan_item(k, 0, "."), file,
		    k->line, err, errlen);
	else if (strcmp(k->name, "modules.unload") == 0 &&
	    is_luascan_item(k, 0, "ta_update") && k->type[0] == LA_STR) {
		c->managed = 0;         /* the file is no longer updated */
		if (c->root != NULL && c->root->kind == SRC_AUTO)
			c->root->kind = SRC_FILE;
	} else if (strcmp(k->name, "user") == 0 && k->type[0] == LA_STR)
		snprintf(c->user, sizeof(c->user), "%s", k->str[0]);
	else if (strcmp(k->name, "dofile") == 0 && k->type[0] == LA_STR) {
		if (knot_lua_path(k, file, path, err, errlen) == -1 ||
		    knot_lua_missing(c, k, file, path, err, errlen) == -1)
			return knot_lua_refuse(c, err, errlen);
		return knot_lua_file(c, path, 0, file, k->line, err, errlen);
	}
	return 0;
}

/*
 * Read one Lua file (from from:line when nested, else from == NULL).  A
 * syntax error makes kresd refuse the file: then c->refused is set.
 */
static int
knot_lua_file(struct kn_conf *c, const char *path, int sandbox,
    const char *from, unsigned line, char *err, size_t errlen)
{
	struct luascan_call *k;
	struct luascan *ls;
	char why[AW_ERR_MAX];
	int rv;

	if (luascan_push(&c->stack, path, from != NULL ? from : path, line,
	    err, errlen) == -1) {
		if (c->stack.loop && !c->refused) {
			luascan_refuse(err, errlen, "kresd");
			c->refused = 1;         /* Lua: stack overflow */
		}
		return -1;
	}
	if ((ls = luascan_open(path, why, sizeof(why))) == NULL) {
		if (from != NULL)
			snprintf(err, errlen, "%s:%u: dofile: %s", from, line,
			    why);
		else
			snprintf(err, errlen, "%s", why);
		luascan_pop(&c->stack);
		return -1;
	}
	k = xcalloc(1, sizeof(*k));
	while ((rv = luascan_next(ls, k, err, errlen)) == 1)
		if (knot_lua_apply(c, k, path, sandbox, err, errlen) == -1)
			break;
	if (rv == -1 && luascan_syntax(ls) && !c->refused) {
		luascan_refuse(err, errlen, "kresd");
		c->refused = 1;
	}
	luascan_pop(&c->stack);
	luascan_close(ls);
	free(k);
	return rv == 0 ? 0 : -1;
}

/* ---- kresd 6.x config.yaml ---------------------------------------------- */

/* What the dnssec: section of a 6.x config says. */
struct kn_y6 {
	int off;                      /* dnssec: false or enable: false */
	unsigned off_line;
	char *ta[KN_YAML_LIST_MAX];   /* trust-anchors, malloc'd */
	unsigned ta_line[KN_YAML_LIST_MAX];
	size_t nta;
	int nta_root;
	unsigned nta_line;
	char *file[KN_YAML_LIST_MAX]; /* trust-anchors-files, malloc'd */
	int ro[KN_YAML_LIST_MAX];
	unsigned file_line[KN_YAML_LIST_MAX];
	size_t nfile;
};

struct kn_yaml {
	yaml_parser_t p;
	yaml_event_t ev;
	int have_ev;
	int depth;
	const char *path;
	char *err;
	size_t errlen;
};

/* Line (1-based) of the current event. */
static unsigned
ky_line(const struct kn_yaml *y)
{
	return (unsigned)y->ev.start_mark.line + 1;
}

/* Next event; aliases, anchors and over-deep documents are refused. */
static int
ky_next(struct kn_yaml *y)
{
	if (y->have_ev)
		yaml_event_delete(&y->ev);
	y->have_ev = 0;
	if (!yaml_parser_parse(&y->p, &y->ev)) {
		snprintf(y->err, y->errlen, "%s:%u: %s", y->path,
		    (unsigned)y->p.problem_mark.line + 1,
		    y->p.problem != NULL ? y->p.problem : "YAML error");
		return -1;
	}
	y->have_ev = 1;
	switch (y->ev.type) {
	case YAML_ALIAS_EVENT:
		snprintf(y->err, y->errlen, "%s:%u: YAML aliases are not "
		    "supported", y->path, ky_line(y));
		return -1;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (++y->depth > KN_YAML_DEPTH) {
			snprintf(y->err, y->errlen, "%s:%u: nested deeper than "
			    "%d", y->path, ky_line(y), KN_YAML_DEPTH);
			return -1;
		}
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		y->depth--;
		break;
	default:
		break;
	}
	return 0;
}

/* Skip the node that starts with the current event. */
static int
ky_skip(struct kn_yaml *y)
{
	int d = y->depth;

	if (y->ev.type != YAML_MAPPING_START_EVENT &&
	    y->ev.type != YAML_SEQUENCE_START_EVENT)
		return 0;
	while (y->depth >= d)
		if (ky_next(y) == -1)
			return -1;
	return 0;
}

static const char *
ky_scalar(const struct kn_yaml *y)
{
	return (const char *)y->ev.data.scalar.value;
}

/* The current event as a YAML 1.1 boolean (kresd's manager uses PyYAML). */
static int
ky_bool(struct kn_yaml *y, const char *key, int *v)
{
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes",
	    "YES", "on", "On", "ON" }, *no[] = { "false", "False", "FALSE",
	    "no", "No", "NO", "off", "Off", "OFF" };
	size_t i;

	if (y->ev.type == YAML_SCALAR_EVENT &&
	    y->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcmp(ky_scalar(y), yes[i]) == 0) {
				*v = 1;
				return 0;
			}
			if (strcmp(ky_scalar(y), no[i]) == 0) {
				*v = 0;
				return 0;
			}
		}
	}
	snprintf(y->err, y->errlen, "%s:%u: %s: true or false expected",
	    y->path, ky_line(y), key);
	return -1;
}

/* The current event as a string of at most KN_STR_MAX bytes. */
static int
ky_str(struct kn_yaml *y, const char *key, char **out)
{
	if (y->ev.type != YAML_SCALAR_EVENT || y->ev.data.scalar.length >=
	    KN_STR_MAX || strlen(ky_scalar(y)) != y->ev.data.scalar.length) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a string (shorter "
		    "than %d bytes, no NUL) expected", y->path, ky_line(y),
		    key, KN_STR_MAX);
		return -1;
	}
	*out = xcalloc(1, y->ev.data.scalar.length + 1);
	memcpy(*out, ky_scalar(y), y->ev.data.scalar.length);
	return 0;
}

/* Expect the start of a sequence for key. */
static int
ky_want(struct kn_yaml *y, yaml_event_type_t type, const char *key)
{
	if (y->ev.type == type)
		return 0;
	snprintf(y->err, y->errlen, "%s:%u: %s: %s expected", y->path,
	    ky_line(y), key, type == YAML_SEQUENCE_START_EVENT ? "a list" :
	    "a mapping");
	return -1;
}

/* The current event must be a mapping key (a scalar). */
static int
ky_key(struct kn_yaml *y)
{
	if (y->ev.type == YAML_SCALAR_EVENT)
		return 0;
	snprintf(y->err, y->errlen, "%s:%u: a key expected", y->path,
	    ky_line(y));
	return -1;
}

/* One {file:, read-only:} item of trust-anchors-files. */
static int
ky_taf(struct kn_yaml *y, struct kn_y6 *d)
{
	size_t i = d->nfile;
	int seen_ro = 0;

	if (ky_want(y, YAML_MAPPING_START_EVENT, "trust-anchors-files") == -1)
		return -1;
	d->file_line[i] = ky_line(y);
	d->nfile++;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ky_key(y) == -1)
			return -1;
		if (strcmp(ky_scalar(y), "file") == 0 && d->file[i] == NULL) {
			if (ky_next(y) == -1 || ky_str(y, "file",
			    &d->file[i]) == -1)
				return -1;
		} else if (strcmp(ky_scalar(y), "read-only") == 0 && !seen_ro) {
			seen_ro = 1;
			if (ky_next(y) == -1 || ky_bool(y, "read-only",
			    &d->ro[i]) == -1)
				return -1;
		} else if (strcmp(ky_scalar(y), "file") == 0 ||
		    strcmp(ky_scalar(y), "read-only") == 0) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key %s",
			    y->path, ky_line(y), ky_scalar(y));
			return -1;
		} else if (ky_next(y) == -1 || ky_skip(y) == -1)
			return -1;
	}
	if (d->file[i] == NULL) {
		snprintf(y->err, y->errlen, "%s:%u: trust-anchors-files: item "
		    "without file", y->path, d->file_line[i]);
		return -1;
	}
	return 0;
}

/* A list under key: each item read by one of the three handlers. */
static int
ky_list(struct kn_yaml *y, struct kn_y6 *d, const char *key)
{
	char *s;

	if (ky_want(y, YAML_SEQUENCE_START_EVENT, key) == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if ((strcmp(key, "trust-anchors") == 0 ? d->nta :
		    strcmp(key, "trust-anchors-files") == 0 ? d->nfile : 0) >=
		    KN_YAML_LIST_MAX) {
			snprintf(y->err, y->errlen, "%s:%u: %s: more than %d "
			    "items", y->path, ky_line(y), key,
			    KN_YAML_LIST_MAX);
			return -1;
		}
		if (strcmp(key, "trust-anchors-files") == 0) {
			if (ky_taf(y, d) == -1)
				return -1;
			continue;
		}
		if (ky_str(y, key, &s) == -1)
			return -1;
		if (strcmp(key, "trust-anchors") == 0) {
			d->ta_line[d->nta] = ky_line(y);
			d->ta[d->nta++] = s;
			continue;
		}
		if (strcmp(s, ".") == 0) {
			d->nta_root = 1;
			d->nta_line = ky_line(y);
		}
		free(s);
	}
}

/* The dnssec: value (after its key). */
static int
ky_dnssec(struct kn_yaml *y, struct kn_y6 *d)
{
	static const char *lists[] = { "trust-anchors",
	    "negative-trust-anchors", "trust-anchors-files" };
	unsigned seen = 0, bit;
	size_t i;
	int on;

	if (y->ev.type == YAML_SCALAR_EVENT) {
		d->off_line = ky_line(y);
		if (ky_bool(y, "dnssec", &on) == -1)
			return -1;
		d->off = !on;
		return 0;
	}
	if (ky_want(y, YAML_MAPPING_START_EVENT, "dnssec") == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (ky_key(y) == -1)
			return -1;
		for (i = 0; i < 3 && strcmp(ky_scalar(y), lists[i]) != 0; i++)
			;
		bit = strcmp(ky_scalar(y), "enable") == 0 ? 16 : 1U << i;
		if (bit == 8) {
			if (ky_next(y) == -1 || ky_skip(y) == -1)
				return -1;
			continue;
		}
		if (seen & bit) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key "
			    "dnssec.%s", y->path, ky_line(y), ky_scalar(y));
			return -1;
		}
		seen |= bit;
		if (ky_next(y) == -1)
			return -1;
		if (bit == 16) {
			d->off_line = ky_line(y);
			if (ky_bool(y, "dnssec.enable", &on) == -1)
				return -1;
			d->off = !on;
		} else if (ky_list(y, d, lists[i]) == -1)
			return -1;
	}
}

/* Walk the document: only the top-level dnssec: key is read. */
static int
ky_document(struct kn_yaml *y, struct kn_y6 *d)
{
	int seen = 0;

	if (ky_next(y) == -1 || ky_next(y) == -1)   /* stream, document */
		return -1;
	if (y->ev.type == YAML_STREAM_END_EVENT)
		return 0;
	if (ky_next(y) == -1)
		return -1;
	if (y->ev.type == YAML_SCALAR_EVENT && ky_scalar(y)[0] == '\0')
		return 0;                           /* empty document */
	if (ky_want(y, YAML_MAPPING_START_EVENT, "top level") == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ky_key(y) == -1)
			return -1;
		if (strcmp(ky_scalar(y), "dnssec") != 0) {
			if (ky_next(y) == -1 || ky_skip(y) == -1)
				return -1;
			continue;
		}
		if (seen++) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key "
			    "dnssec", y->path, ky_line(y));
			return -1;
		}
		if (ky_next(y) == -1 || ky_dnssec(y, d) == -1)
			return -1;
	}
	if (ky_next(y) == -1 || ky_next(y) == -1)   /* document end, next */
		return -1;
	if (y->ev.type != YAML_STREAM_END_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: more than one YAML "
		    "document", y->path, ky_line(y));
		return -1;
	}
	return 0;
}

/* Apply what config.yaml says, in the order the 6.x manager renders it. */
static int
knot_y6_apply(struct kn_conf *c, const struct kn_y6 *d, const char *path,
    char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], *slash, file[AW_PATH_MAX];
	size_t i;

	if (d->off) {
		knot_remove_root(c, "dnssec disabled", path, d->off_line);
		return 0;
	}
	for (i = 0; i < d->nta; i++)
		if (knot_add_inline(c, d->ta[i], path, d->ta_line[i], err,
		    errlen) == -1)
			return -1;
	if (knot_nta_root(c, d->nta_root, path, d->nta_line, err,
	    errlen) == -1)
		return -1;
	/* 6.x resolves relative names against the config's directory */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (i = 0; i < d->nfile; i++) {
		if (d->file[i][0] == '\0' || knot_path(dir, d->file[i], file,
		    sizeof(file)) == -1) {
			snprintf(err, errlen, "%s:%u: bad file name", path,
			    d->file_line[i]);
			return -1;
		}
		if (knot_add_file(c, file, d->ro[i], 0, path, d->file_line[i],
		    err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Read a 6.x config.yaml. */
static int
knot_yaml_file(struct kn_conf *c, const char *path, char *err,
    size_t errlen)
{
	struct kn_y6 *d = xcalloc(1, sizeof(*d));
	struct kn_yaml y;
	struct textfile f;
	size_t i;
	int rv = -1;

	if (fileio_open_text(path, &f, err, errlen) == -1) {
		free(d);
		return -1;
	}
	memset(&y, 0, sizeof(y));
	y.path = path;
	y.err = err;
	y.errlen = errlen;
	if (!yaml_parser_initialize(&y.p))
		fatalx("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&y.p, (const unsigned char *)f.buf,
	    f.len);
	if (ky_document(&y, d) == 0)
		rv = knot_y6_apply(c, d, path, err, errlen);
	if (y.have_ev)
		yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.p);
	for (i = 0; i < KN_YAML_LIST_MAX; i++) {
		free(d->ta[i]);
		free(d->file[i]);
	}
	free(d);
	free(f.buf);
	return rv;
}

/* 1 if path is a 6.x YAML config: by its name, else by its first line. */
static int
is_yaml_config(const char *path)
{
	const char *ext = strrchr(path, '.'), *p;
	char buf[512];
	size_t n;
	FILE *fp;

	if (ext != NULL && (strcmp(ext, ".yaml") == 0 ||
	    strcmp(ext, ".yml") == 0))
		return 1;
	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		p = buf + strspn(buf, " \t\r\n");
		if (*p == '\0' || *p == '#' || strncmp(p, "--", 2) == 0)
			continue;
		fclose(fp);
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz-_");
		return n > 0 && p == buf && p[n] == ':' && (p[n + 1] == ' ' ||
		    p[n + 1] == '\n' || p[n + 1] == '\r' || p[n + 1] == '\0');
	}
	fclose(fp);
	return 0;
}

/* ---- the reader -------------------------------------------------------- */

/*
 * kresd's compiled-in default anchor, from the installed sandbox.lua; if
 * none is found, Debian's: /usr/share/dns/root.key, read-only.
 */
static int
knot_builtin(struct kn_conf *c, char *err, size_t errlen)
{
	static const char *pats[] = { "/usr/lib/*/knot-resolver/sandbox.lua",
	    "/usr/lib/knot-resolver/sandbox.lua",
	    "/usr/lib64/knot-resolver/sandbox.lua" };
	char path[AW_PATH_MAX] = "";
	glob_t g;
	size_t i;

	if (knot_sandbox != NULL)
		snprintf(path, sizeof(path), "%s", knot_sandbox);
	for (i = 0; knot_sandbox == NULL && path[0] == '\0' &&
	    i < sizeof(pats) / sizeof(pats[0]); i++) {
		memset(&g, 0, sizeof(g));
		if (glob(pats[i], 0, NULL, &g) == 0 && g.gl_pathc > 0)
			snprintf(path, sizeof(path), "%s", g.gl_pathv[0]);
		globfree(&g);
	}
	if (path[0] != '\0' && knot_lua_file(c, path, 1, NULL, 0, err,
	    errlen) == -1)
		return -1;
	if (c->root != NULL)
		return 0;
	return knot_add_file(c, KN_KEYFILE, 1, 1, "", 0, err, errlen);
}

/* Extra anchor files named in anchorwatch.yaml: key files of kresd's. */
static int
knot_extra(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct source *s;
	size_t i;

	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++) {
		s = resolver_add_source(r);
		s->kind = SRC_FILE;
		snprintf(s->path, sizeof(s->path), "%s", rc->anchor_files[i]);
		if (knot_read_keyfile(s->path, s, err, errlen) == -1)
			return -1;
		/* state comments: a file kresd manages (RFC 5011) */
		if (s->is_stateful)
			s->kind = SRC_AUTO;
	}
	return 0;
}

/* The files kresd runs before its config (its first -c options, as
 * Debian's kresd@.service gives distro-preconfig.lua), in order. */
static int
knot_lua_pre(struct kn_conf *c, const struct resolver_conf *rc, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < rc->nconfig_pre && i < CFG_PRE_MAX; i++)
		if (knot_lua_file(c, rc->config_pre[i], 0, NULL, 0, err,
		    errlen) == -1)
			return -1;
	return 0;
}

/*
 * The Knot Resolver reader: the builtin default, the files kresd runs
 * first, then the config (Lua or YAML), then the extra anchor files of
 * rc.  What kresd refuses goes to r->refused.  The root keyset left at the
 * end is one source; none means validation is off.
 */
int
knot_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct kn_conf *c = xcalloc(1, sizeof(*c));
	const char *cfg = rc->config;
	struct source *s;
	int rv = -1;

	snprintf(c->user, sizeof(c->user), "%s", KN_USER);
	if (cfg[0] == '\0')
		cfg = access(KN_CONFIG5, F_OK) != 0 &&
		    access(KN_CONFIG6, F_OK) == 0 ? KN_CONFIG6 : KN_CONFIG5;
	if (knot_builtin(c, err, errlen) == -1 || knot_lua_pre(c, rc, err,
	    errlen) == -1 || (is_yaml_config(cfg) ? knot_yaml_file(c, cfg, err,
	    errlen) == -1 : knot_lua_file(c, cfg, 0, NULL, 0, err,
	    errlen) == -1)) {
		if (!c->refused)
			goto done;
		/* kresd will not start; what was read so far is kept */
		snprintf(r->refused, sizeof(r->refused), "%s", err);
		err[0] = '\0';
	}
	snprintf(r->user, sizeof(r->user), "%s", c->user);
	if (c->root != NULL) {
		s = resolver_add_source(r);
		*s = *c->root;
	}
	if (c->root == NULL || c->nta_root) {
		r->dnssec = DNSSEC_OFF;
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s",
		    c->off_where);
	}
	if (knot_extra(rc, r, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(c->root);
	free(c);
	return rv;
}
