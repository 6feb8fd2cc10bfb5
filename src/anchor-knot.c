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

/* ---- what a statement does to the root keyset --------------------------- */

/* Free a source of ours (xcalloc'd) and its anchors; NULL is safe. */
static void
knot_source_free(struct source *s)
{
	source_free(s);
	free(s);
}

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
	if ((r = knot_keys_read(path, s, why, sizeof(why))) == -1) {
		if (file[0] == '\0')
			snprintf(err, errlen, "kresd built-in default anchor: "
			    "%s", why);
		else
			snprintf(err, errlen, "%s:%u: trust_anchors.add_file: "
			    "%s", file, line, why);
		knot_source_free(s);
		return -1;
	}
	if (r == 0) {
		knot_source_free(s);        /* another zone's anchors */
		return 0;
	}
	knot_source_free(c->root);
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
		else if (knot_keys_add(s, &a, line, why, sizeof(why)) == -1)
			goto bad;
	}
	if (s->nanchors == 0) {
		knot_source_free(s);
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
		knot_source_free(s);
		return -1;
	}
	knot_source_free(c->root);
	c->root = s;
	c->managed = 0;
	return 0;
bad:
	snprintf(err, errlen, "%s:%u: trust_anchors.add: %s", file, line, why);
	knot_source_free(s);
	return -1;
}

/* trust_anchors.remove('.'): no root anchor, validation off. */
static void
knot_remove_root(struct kn_conf *c, const char *what, const char *file,
    unsigned line)
{
	knot_source_free(c->root);
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
	if (k->str[0][0] != '\0' && fileio_join(knot_workdir, k->str[0], path,
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

/* ---- kresd 6.x config.yaml (read by knot-yaml.c) --------------------- */

/* Apply what config.yaml says, in the order the 6.x manager renders it. */
static int
knot_y6_apply(struct kn_conf *c, const struct knot_y6 *d, const char *path,
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
		if (d->file[i][0] == '\0' || fileio_join(dir, d->file[i], file,
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

/* A 6.x config.yaml (knot-yaml.c) applied to c; what kresctl refuses
 * goes to r->refused. */
static int
knot_yaml_file(struct kn_conf *c, const char *path, struct resolver *r,
    char *err, size_t errlen)
{
	struct knot_y6 *d = xcalloc(1, sizeof(*d));
	int rv;

	rv = knot_yaml_read(path, d, r->refused, sizeof(r->refused), err,
	    errlen);
	if (rv == 0)
		rv = knot_y6_apply(c, d, path, err, errlen);
	knot_yaml_free(d);
	free(d);
	return rv;
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
		if (knot_keys_read(s->path, s, err, errlen) == -1)
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
	    errlen) == -1 || (knot_yaml_is_config(cfg) ? knot_yaml_file(c, cfg, r,
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
		source_copy(s, c->root);
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
	knot_source_free(c->root);
	free(c);
	return rv;
}

/* ---- the repair (anchorwatch fix) --------------------------------------- */

/*
 * kresd reads its anchors only at start.  Debian's package restarts every
 * instance the same way (its postinst: try-restart 'kresd@*.service').
 */
static const char *const knot_reload[] = { "/usr/bin/systemctl",
    "try-restart", "kresd@*.service", NULL };

/* The SHA-256 DS rdata of k into buf; 0 or -1. */
static int
knot_ds_text(const struct dnskey *k, char *buf, size_t len)
{
	struct ds d;

	if (keyset_ds_of_key(k, 2, &d) == -1)
		return -1;
	return keyset_format_ds(&d, buf, len);
}

/*
 * Root anchors in the configuration itself (trust_anchors.add() in Lua,
 * dnssec/trust-anchors in a 6.x config.yaml): main configuration, never
 * written; the lines that replace them are suggested.  kresd 5.6 trusts
 * the records of its last add() call only: several keys go in one call.
 */
static void
knot_suggest_inline(const struct source *s, const struct fix_trust *t,
    struct fix_plan *p)
{
	int yaml = knot_yaml_is_config(s->decl_file);
	const struct dnskey *k[FIX_KEYS_MAX * 2];
	char ds[AW_DIGEST_MAX * 2 + 32];
	size_t i, j, n = 0;

	for (i = 0; i < t->nkeys; i++)
		k[n++] = &t->keys[i];
	for (i = 0; i < t->nkeep; i++)      /* kept where it is there */
		for (j = 0; j < s->nanchors; j++)
			if (is_anchor_for(&s->anchors[j], &t->keep[i])) {
				k[n++] = &t->keep[i];
				break;
			}
	fix_plan_suggest(p, "# %s:%u: the root anchors there are to be "
	    "replaced by:", s->decl_file, s->decl_line);
	for (i = 0; i < n; i++) {
		if (knot_ds_text(k[i], ds, sizeof(ds)) == -1)
			continue;
		if (yaml)
			fix_plan_suggest(p, "    - '. IN DS %s'", ds);
		else if (n == 1)
			fix_plan_suggest(p, "trust_anchors.add('. IN DS %s')",
			    ds);
		else
			fix_plan_suggest(p, "%s. IN DS %s%s", i == 0 ?
			    "trust_anchors.add([[\n" : "", ds, i + 1 == n ?
			    "\n]])" : "");
	}
}

/* A root.keys kresd manages: rewritten by knot-keys.c. */
static int
knot_repair_keys(const struct source *s, const struct fix_trust *t,
    struct fix_plan *p, char *err, size_t errlen)
{
	char why[AW_ERR_MAX], *text;
	size_t len;
	int rv;

	if (knot_keys_write(s->path, t, &text, &len, why, sizeof(why), err,
	    errlen) == -1)
		return -1;
	rv = fix_plan_file(p, s->path, text, len, why, err, errlen);
	free(text);
	return rv;
}

/* 1 if s, a key file, is in root.keys form: kresd's state comments on
 * its records, or records commented out with a state (a file kresd
 * managed before it was made read-only or ta_update unloaded). */
static int
is_knot_stateful(const struct source *s)
{
	size_t i;

	if (s->kind != SRC_FILE || s->is_stateful)
		return s->kind == SRC_FILE;
	for (i = 0; i < s->nanchors; i++)
		if (s->anchors[i].state != KS_VALID)
			return 1;
	return 0;
}

/* A read-only key file: zone file records, rewritten by zonefile-write.c
 * (records kept byte for byte, new ones in the file's own form). */
static int
knot_repair_static(const struct source *s, const struct fix_trust *t,
    struct fix_plan *p, char *err, size_t errlen)
{
	struct zf_rewrite w;
	char *old;
	int rv;

	memset(&w, 0, sizeof(w));
	if (fileio_load_text(s->path, &old, &w.oldlen, err, errlen) == -1)
		return -1;
	w.path = s->path;
	w.old = old;
	w.s = s;
	w.t = t;
	if ((rv = zonefile_rewrite_static(&w, err, errlen)) == 0)
		rv = fix_plan_file(p, s->path, w.text, w.len, w.why, err,
		    errlen);
	free(w.text);
	free(old);
	return rv;
}

/*
 * 1 if s needs a repair: is_fix_needed, or a key to trust that kresd
 * holds but does not trust (AddPend that will not become Valid: the
 * file is read-only, or kresd cannot validate to count the hold-down).
 */
static int
is_knot_fix_needed(const struct fix_trust *t, const struct source *s)
{
	size_t i, j;

	if (is_fix_needed(t, s))
		return 1;
	for (i = 0; i < t->nkeys; i++) {
		for (j = 0; j < s->nanchors; j++)
			if (is_trusted_anchor(s, &s->anchors[j]) &&
			    is_anchor_for(&s->anchors[j], &t->keys[i]))
				break;
		if (j == s->nanchors)
			return 1;
	}
	return 0;
}

/*
 * Knot Resolver's repair hook: each root source that needs it.  A
 * managed root.keys (or one in its form) is rewritten by knot-keys.c, a
 * read-only key file of plain records by zonefile-write.c; anchors in
 * the configuration and the packaged default (/usr/share/dns/root.key,
 * dns-root-data's) are left alone with the lines to change suggested.
 */
static int
knot_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p, char *err,
    size_t errlen)
{
	const struct source *s;
	size_t i;

	(void)rc;
	(void)now;
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (!is_knot_fix_needed(t, s))
			continue;
		if (s->kind == SRC_AUTO || is_knot_stateful(s)) {
			if (knot_repair_keys(s, t, p, err, errlen) == -1)
				return -1;
		} else if (s->kind == SRC_INLINE)
			knot_suggest_inline(s, t, p);
		else if (s->kind == SRC_BUILTIN)
			fix_plan_suggest(p, "# %s is the packaged default "
			    "(dns-root-data): update that package, or let "
			    "kresd manage a file of its own:\n"
			    "trust_anchors.add_file('root.keys')", s->path);
		else if (knot_repair_static(s, t, p, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* kresd's options that take a value (kresd 5 daemon/main.c), so that
 * discover does not take the value for its run directory. */
static const char *const knot_valued[] = { "-a", "--addr", "-t", "--tls",
    "-S", "--fd", NULL };

/* Knot Resolver's row of the reader table (reader.c). */
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
	.repair = knot_repair,
	.reload = knot_reload,
};
