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
 * kresd 6.x is configured in YAML (config.yaml, read here with
 * yamlwalk.c as kresctl reads it: aliases legal, unknown keys skipped):
 * dnssec: false, or dnssec: { enable:, trust-anchors: [],
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

#include "anchorwatch.h"

#define KN_LINE_MAX 8192       /* one line of an inline add() */
#define KN_STR_MAX 16384       /* one Lua string literal */
#define KN_NAME_MAX 256        /* one name of a 6.x list */
#define KN_YAML_DEPTH 16       /* nesting of config.yaml */
#define KN_YAML_LIST_MAX 32    /* items of one 6.x dnssec list */
#define KN_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */
#define KN_HOLDDOWN (30LL * 86400) /* ta_update.lua hold_down_time */
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
 * Returns 1 with *st and *timer (0 if none) set, 0 if the comment names
 * no state kresd knows (kresd then keeps its default), -1 (why) on an out
 * of range timer.
 */
static int
knot_state(const char *c, enum ks_state *st, long long *timer, char *why,
    size_t whylen)
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
	*timer = (long long)v;
	return 1;
}

/*
 * Give a the state a kresd comment names.  kresd's timer is when the
 * state ends (ta_update.lua: AddPend and Revoked at their sighting plus
 * hold_down_time, Missing plus four times it), so the sighting, which
 * events.c counts the add hold-down from, is the timer less the
 * hold-down.  Returns 1 if the comment named a state, 0, or -1 (why).
 */
static int
knot_anchor_state(struct anchor *a, const char *comment, char *why,
    size_t whylen)
{
	long long timer = 0;
	enum ks_state st;
	int r;

	if (comment[0] == ';')
		comment++;
	if ((r = knot_state(comment, &st, &timer, why, whylen)) != 1)
		return r;
	a->state = st;
	a->lastchange = 0;
	if (timer > KN_HOLDDOWN && (st == KS_ADDPEND || st == KS_REVOKED))
		a->lastchange = timer - KN_HOLDDOWN;
	else if (timer > 4 * KN_HOLDDOWN && st == KS_MISSING)
		a->lastchange = timer - 4 * KN_HOLDDOWN;
	return 1;
}

/* Add anchor a (line) to s; -1 (why) when s is full. */
static int
knot_add_anchor(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen)
{
	return zonefile_add(s, a, line, why, whylen);
}

/* What reading a key file collects. */
struct kn_keys {
	struct source *s;
	size_t nother;               /* records that are not root anchors */
};

/*
 * A "; " line of root.keys: kresd loads it if the rest parses as a record
 * with a state it knows, and ignores it as a comment otherwise.
 */
static int
knot_commented(struct source *s, const char *l, size_t n, unsigned line,
    char *why, size_t whylen)
{
	char text[ZF_LINE_MAX + 1], scratch[AW_ERR_MAX], *semi;
	struct anchor a;
	int r;

	snprintf(text, sizeof(text), "%.*s", (int)n, l);
	if ((semi = strchr(text, ';')) == NULL)
		return 0;
	*semi = '\0';
	if (keyset_parse_rr(text, &a, scratch, sizeof(scratch)) != 1)
		return 0;
	if ((r = knot_anchor_state(&a, semi + 1, why, whylen)) != 1)
		return r;
	return knot_add_anchor(s, &a, line, why, whylen);
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

/* One item of a key file: an anchor of k->s, or counted in k->nother. */
static int
knot_key_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct kn_keys *k = arg;
	struct anchor a;
	int r;

	if (z->kind == ZF_COMMENT) {
		if (z->rawlen < 2 || z->raw[0] != ';' || z->raw[1] != ' ')
			return 0;
		return knot_commented(k->s, z->raw + 2, z->rawlen - 2,
		    z->line, why, whylen);
	}
	if (z->kind == ZF_DIRECTIVE)
		return knot_directive(z->text, why, whylen);
	if ((r = keyset_parse_rr(z->text, &a, why, whylen)) == -1)
		return -1;
	if ((r == 0 && k->s->nanchors > 0) || (r == 1 && k->nother > 0)) {
		snprintf(why, whylen, "root anchors mixed with records of "
		    "another zone or type (kresd refuses the file)");
		return -1;
	}
	if (r == 0) {
		k->nother++;
		return 0;
	}
	a.state = KS_VALID;
	if ((r = knot_anchor_state(&a, z->comment, why, whylen)) == -1)
		return -1;
	if (r == 1)
		k->s->is_stateful = 1;
	return knot_add_anchor(k->s, &a, z->line, why, whylen);
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
	struct kn_keys k = { s, 0 };
	struct textfile f;
	struct stat st;
	int rv;

	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	rv = zonefile_parse(&f, knot_key_item, &k, err, errlen);
	free(f.buf);
	if (rv == -1)
		return -1;
	if (s->nanchors == 0 && k.nother == 0) {
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

/* The string v (shorter than KN_STR_MAX, no NUL) into *out, malloc'd. */
static int
ky_str(struct yamlwalk *w, const struct yaml_node_s *v, char **out)
{
	size_t len = 0;

	if (yamlwalk_scalar(v, &len) == NULL || len >= KN_STR_MAX)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: a string "
		    "shorter than %d bytes expected", yamlwalk_key(w),
		    KN_STR_MAX);
	*out = xcalloc(1, len + 1);
	return yamlwalk_string(w, v, *out, len + 1);
}

/* Room for one more item of a dnssec list. */
static int
ky_room(struct yamlwalk *w, const struct yaml_node_s *v, size_t n)
{
	if (n < KN_YAML_LIST_MAX)
		return 0;
	return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %d items",
	    yamlwalk_key(w), KN_YAML_LIST_MAX);
}

/* One record of dnssec.trust-anchors. */
static int
ky_ta(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;

	if (ky_room(w, v, d->nta) == -1 || ky_str(w, v, &d->ta[d->nta]) == -1)
		return -1;
	d->ta_line[d->nta++] = yamlwalk_line(v);
	return 0;
}

/* One name of dnssec.negative-trust-anchors: only "." matters here. */
static int
ky_nta(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;
	char name[KN_NAME_MAX];

	if (yamlwalk_string(w, v, name, sizeof(name)) == -1)
		return -1;
	if (strcmp(name, ".") == 0) {
		d->nta_root = 1;
		d->nta_line = yamlwalk_line(v);
	}
	return 0;
}

static int
ky_taf_file(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;

	return ky_str(w, v, &d->file[d->nfile]);
}

static int
ky_taf_ro(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;

	return yamlwalk_bool(w, v, &d->ro[d->nfile]);
}

static const struct yamlwalk_key ky_taf_keys[] = {
	{ "file", ky_taf_file, YWF_FUNC, 0, 0, 0 },
	{ "read-only", ky_taf_ro, YWF_FUNC, 0, 0, 0 },
};

/* One {file:, read-only:} item of dnssec.trust-anchors-files. */
static int
ky_taf(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;
	size_t i = d->nfile;

	if (ky_room(w, v, i) == -1 || yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	d->file_line[i] = yamlwalk_line(v);
	if (yamlwalk_map(w, v, "trust-anchors-files", "dnssec."
	    "trust-anchors-files.", ky_taf_keys, 2, d) == -1)
		return -1;
	if (d->file[i] == NULL)
		return yamlwalk_error(w, d->file_line[i], "dnssec."
		    "trust-anchors-files: item without file");
	d->nfile++;
	return 0;
}

/* A dnssec list: null (the schema's default) or a sequence. */
static int
ky_list(struct yamlwalk *w, const struct yaml_node_s *v,
    int (*fn)(struct yamlwalk *, const struct yaml_node_s *, void *),
    void *d)
{
	size_t len;
	const char *s = yamlwalk_scalar(v, &len);

	if (s != NULL && is_yamlwalk_plain(v) && (len == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "~") == 0))
		return 0;
	return yamlwalk_seq(w, v, fn, d);
}

static int
ky_tas(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_ta, arg);
}

static int
ky_ntas(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_nta, arg);
}

static int
ky_tafs(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_taf, arg);
}

static int
ky_enable(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct kn_y6 *d = arg;
	int on;

	d->off_line = yamlwalk_line(v);
	if (yamlwalk_bool(w, v, &on) == -1)
		return -1;
	d->off = !on;
	return 0;
}

static const struct yamlwalk_key ky_dnssec_keys[] = {
	{ "enable", ky_enable, YWF_FUNC, 0, 0, 0 },
	{ "trust-anchors", ky_tas, YWF_FUNC, 0, 0, 0 },
	{ "negative-trust-anchors", ky_ntas, YWF_FUNC, 0, 0, 0 },
	{ "trust-anchors-files", ky_tafs, YWF_FUNC, 0, 0, 0 },
};

/* dnssec: a mapping, or (6.0) a boolean. */
static int
ky_dnssec(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	if (yamlwalk_type(v) == YW_SCALAR)
		return ky_enable(w, v, arg);
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	return yamlwalk_map(w, v, "dnssec", "dnssec.", ky_dnssec_keys,
	    sizeof(ky_dnssec_keys) / sizeof(ky_dnssec_keys[0]), arg);
}

static const struct yamlwalk_key ky_top_keys[] = {
	{ "dnssec", ky_dnssec, YWF_FUNC, 0, 0, 0 },
};

/*
 * What kresctl's YAML loader refuses although the YAML is well formed:
 * it is PyYAML's SafeLoader with its mapping constructor replaced to
 * raise on duplicate keys (anywhere in the document), and that
 * constructor no longer applies merge keys (<<), for which SafeLoader
 * then has no constructor.  Into refused, "" when none.
 */
static void
ky_refused(const struct yamlwalk *w, const char *path, char *refused,
    size_t len)
{
	char key[64];
	unsigned line;

	if (yamlwalk_find_dup(w, &line, key, sizeof(key)))
		snprintf(refused, len, "%s:%u: kresctl refuses the "
		    "configuration: duplicate key \"%s\"", path, line, key);
	else if (yamlwalk_find_merge(w, &line))
		snprintf(refused, len, "%s:%u: kresctl refuses the "
		    "configuration: merge key (<<) (its YAML loader has no "
		    "constructor for it)", path, line);
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

/*
 * Read a 6.x config.yaml as kresctl does: ordinary YAML (aliases and
 * anchors legal), only the top level dnssec: key read, other keys
 * skipped.  What kresctl would refuse goes to r->refused, and what the
 * file says is still applied (the first of duplicate keys).
 */
static int
knot_yaml_file(struct kn_conf *c, const char *path, struct resolver *r,
    char *err, size_t errlen)
{
	struct kn_y6 *d = xcalloc(1, sizeof(*d));
	struct yamlwalk *w;
	struct textfile f;
	size_t i;
	int rv = -1;

	if (fileio_open_text(path, &f, err, errlen) == -1) {
		free(d);
		return -1;
	}
	w = yamlwalk_open(path, f.buf, f.len, 0, KN_YAML_DEPTH, err, errlen);
	if (w != NULL && yamlwalk_top(w, ky_top_keys, 1, d) == 0) {
		ky_refused(w, path, r->refused, sizeof(r->refused));
		rv = knot_y6_apply(c, d, path, err, errlen);
	}
	yamlwalk_free(w);
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
	    errlen) == -1 || (is_yaml_config(cfg) ? knot_yaml_file(c, cfg, r,
	    err, errlen) == -1 : knot_lua_file(c, cfg, 0, NULL, 0, err,
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

/* kresd's options that take a value (kresd 5 daemon/main.c), so that
 * discover does not take the value for its run directory. */
static const char *const knot_valued[] = { "-a", "--addr", "-t", "--tls",
    "-S", "--fd", NULL };

/* Knot Resolver's row of the reader table (resolver.c). */
const struct reader knot_reader = {
	.type = "knot-resolver",
	.read = knot_read,
	.default_config = KN_CONFIG5,
	.process = "kresd",
	.config_flag = "-c",
	.config_flag_long = "--config",
	.cmdline = RC_FLAG_EACH,
	.cmdline_valued = knot_valued,
	.user = KN_USER,
	.rfc5011 = 1,
	.variant = RFC5011_KNOT,
	.advice_static = "let kresd manage the file (not read-only)",
	.advice_unwritable = "kresd cannot record the new key",
};
