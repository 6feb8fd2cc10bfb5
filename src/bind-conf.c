/*
 * bind-conf.c: the statements of named.conf that decide what named 9.18
 * trusts, read through namedconf.c's grammar (bin/named/server.c
 * configure_view_dnsseckeys, lib/isccfg/namedconf.c for the clauses):
 *  - include "file"; anywhere a statement may stand; a relative name is
 *    opened in named's working directory, which options { directory; }
 *    changes as soon as it is parsed;
 *  - options { directory; managed-keys-directory; bindkeys-file;
 *    dnssec-validation; }, view "name" [class] { ... } with its own
 *    dnssec-validation, controls and key (where rndc reaches named);
 *  - trust-anchors, managed-keys and trusted-keys clauses, top level or in
 *    a view, each kept with its file, line and byte offsets, and its root
 *    anchors split into static and initializing (RFC 5011 section 2).
 * A bindkeys-file is read with named's bindkeys grammar: only those three
 * clauses and include.  Every other statement is skipped whole, noting the
 * first option named 9.18 no longer has (its parser stops there).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "anchorwatch.h"

#define BIND_BINDKEYS "/etc/bind/bind.keys"

/* ---- trust anchor clauses ---------------------------------------------- */

/* Add anchor a to s; -1 (err) when s is full. */
int
bind_conf_add(struct source *s, const struct anchor *a, const char *file,
    unsigned line, char *err, size_t errlen)
{
	if (s->nanchors >= AW_ANCHOR_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d root anchors", file,
		    line, AW_ANCHOR_MAX);
		return -1;
	}
	*source_add_anchor(s) = *a;
	s->anchors[s->nanchors - 1].line = line;
	return 0;
}

/* Keep entry e of block b: static or initializing, root only. */
static int
bind_conf_keep(struct bind_block *b, const struct namedconf_entry *e, char *err,
    size_t errlen)
{
	struct anchor a = e->anchor;
	struct bind_entry *n;
	size_t i;

	if (b->nentries >= BIND_ENTRIES_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d entries in one "
		    "clause", e->file, e->line, BIND_ENTRIES_MAX);
		return -1;
	}
	b->entries = xreallocarray(b->entries, b->nentries + 1,
	    sizeof(*b->entries));
	n = &b->entries[b->nentries++];
	for (i = 0; e->name[i] != '\0' && i + 2 < sizeof(n->name); i++)
		n->name[i] = (char)tolower((unsigned char)e->name[i]);
	if (i == 0 || n->name[i - 1] != '.')
		n->name[i++] = '.';
	n->name[i] = '\0';
	snprintf(n->kind, sizeof(n->kind), "%s", e->kind);
	n->is_static = e->is_static;
	n->is_root = e->is_root;
	n->anchor = e->anchor;
	n->line = e->line;
	n->off = e->off;
	n->end = e->end;
	if (strcmp(e->file, b->file) != 0)
		b->is_split = 1;
	if (!e->is_root)
		return 0;       /* another zone */
	if (!e->is_static) {
		a.state = KS_VALID;
		return bind_conf_add(&b->init, &a, e->file, e->line, err,
		    errlen);
	}
	return bind_conf_add(&b->st, &a, e->file, e->line, err, errlen);
}

/* A trust-anchors, managed-keys or trusted-keys clause; name in t. */
static int
bind_conf_anchors(struct bind_conf *c, struct namedconf_tok *t, int view,
    char *err, size_t errlen)
{
	struct namedconf_entry *e = xcalloc(1, sizeof(*e));
	struct bind_block *b;
	int rv = -1;

	if (c->nblocks >= BIND_BLOCKS_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d trust anchor "
		    "clauses", t->file, t->line, BIND_BLOCKS_MAX);
		goto done;
	}
	c->blocks = xreallocarray(c->blocks, c->nblocks + 1,
	    sizeof(*c->blocks));
	b = &c->blocks[c->nblocks++];
	memset(b, 0, sizeof(*b));
	b->view = view;
	b->clause = strcmp(t->text, "trusted-keys") == 0 ? BIND_TK :
	    strcmp(t->text, "managed-keys") == 0 ? BIND_MK : BIND_TA;
	snprintf(b->file, sizeof(b->file), "%s", t->file);
	b->line = t->line;
	b->off = t->off;
	if (namedconf_expect(&c->nc, t, '{', "trust-anchors", err,
	    errlen) == -1)
		goto done;
	for (;;) {
		if (namedconf_tok(&c->nc, t, err, errlen) == -1)
			goto done;
		if (is_namedconf_punct(t, '}'))
			break;
		if (is_namedconf_punct(t, ';'))
			continue;
		if (namedconf_entry(&c->nc, t, b->clause == BIND_TK, e, err,
		    errlen) == -1 || bind_conf_keep(b, e, err, errlen) == -1)
			goto done;
		if (strcmp(t->file, b->file) != 0)
			b->is_split = 1;        /* its ';' */
	}
	b->close = t->off;
	if (strcmp(t->file, b->file) != 0)
		b->is_split = 1;
	if (namedconf_expect(&c->nc, t, ';', "'}'", err, errlen) == -1)
		goto done;
	b->end = t->end;
	rv = 0;
done:
	free(e);
	return rv;
}

/* ---- options, view, controls --------------------------------------------- */

/*
 * Options named 9.18 no longer has: its parser says "option 'X' no longer
 * exists" and stops (CFG_CLAUSEFLAG_ANCIENT in lib/isccfg/namedconf.c).
 * Those of view_clauses and zone_clauses stand in options and views, the
 * others in options only, lwres at the top level only (elsewhere they are
 * unknown options, left to named-checkconf).
 */
static const char *const bind_removed_view[] = {
	"acache-cleaning-interval", "acache-enable", "additional-from-auth",
	"additional-from-cache", "allow-v6-synthesis", "cache-file",
	"cleaning-interval", "dnssec-enable", "dnssec-lookaside", "fetch-glue",
	"filter-aaaa", "filter-aaaa-on-v4", "filter-aaaa-on-v6",
	"maintain-ixfr-base", "max-acache-size", "max-ixfr-log-size",
	"min-roots", "nosit-udp-size", "queryport-pool-ports",
	"queryport-pool-updateinterval", "request-sit", "rfc2308-type1",
	"topology", "use-queryport-pool",
};
static const char *const bind_removed_options[] = {
	"deallocate-on-exit", "fake-iquery", "geoip-use-ecs",
	"has-old-clients", "host-statistics", "host-statistics-max",
	"multiple-cnames", "named-xfer", "serial-queries", "sit-secret",
	"statistics-interval", "treat-cr-as-space", "use-id-pool", "use-ixfr",
};

/* Where an option stands, for bind_conf_removed. */
enum bind_where { BIND_IN_TOP, BIND_IN_OPTIONS, BIND_IN_VIEW };

/* 1 if name is in list (n names). */
static int
is_bind_listed(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

/* Keep the first option t that named 9.18 no longer has in c->refused. */
static void
bind_conf_removed(struct bind_conf *c, const struct namedconf_tok *t,
    enum bind_where in)
{
	int gone;

	if (c->refused[0] != '\0' || t->quoted)
		return;
	if (in == BIND_IN_TOP)
		gone = strcmp(t->text, "lwres") == 0;
	else
		gone = is_bind_listed(t->text, bind_removed_view,
		    sizeof(bind_removed_view) / sizeof(bind_removed_view[0])) ||
		    (in == BIND_IN_OPTIONS && is_bind_listed(t->text,
		    bind_removed_options, sizeof(bind_removed_options) /
		    sizeof(bind_removed_options[0])));
	if (gone)
		snprintf(c->refused, sizeof(c->refused), "%s:%u: named "
		    "refuses to start: option '%s' no longer exists", t->file,
		    t->line, t->text);
}

/* dnssec-validation value into *v and where it was said. */
static int
bind_conf_validation(struct bind_conf *c, struct namedconf_tok *t,
    enum bind_val *v, char *where, size_t wlen, char *err, size_t errlen)
{
	static const char *yes[] = { "yes", "true", "1" };
	static const char *no[] = { "no", "false", "0" };
	size_t i;

	snprintf(where, wlen, "%s:%u", t->file, t->line);
	if (namedconf_value(&c->nc, t, "dnssec-validation", err, errlen) == -1)
		return -1;
	*v = BIND_VAL_UNSET;
	if (strcasecmp(t->text, "auto") == 0)
		*v = BIND_VAL_AUTO;
	for (i = 0; i < 3; i++) {
		if (strcasecmp(t->text, yes[i]) == 0)
			*v = BIND_VAL_YES;
		if (strcasecmp(t->text, no[i]) == 0)
			*v = BIND_VAL_NO;
	}
	if (*v == BIND_VAL_UNSET) {
		snprintf(err, errlen, "%s:%u: dnssec-validation: \"%.32s\" is "
		    "not auto, yes or no", t->file, t->line, t->text);
		return -1;
	}
	return namedconf_expect(&c->nc, t, ';', "dnssec-validation", err,
	    errlen);
}

/* A path option of options { }: its value into dst (resolved). */
static int
bind_conf_path_opt(struct bind_conf *c, struct namedconf_tok *t, char *dst,
    size_t dstlen, char *err, size_t errlen)
{
	char name[64];

	snprintf(name, sizeof(name), "%s", t->text);
	if (namedconf_value(&c->nc, t, name, err, errlen) == -1)
		return -1;
	if (t->text[0] == '\0' || fileio_join(c->nc.cwd, t->text, dst,
	    dstlen) == -1) {
		snprintf(err, errlen, "%s:%u: %s: bad path", t->file, t->line,
		    name);
		return -1;
	}
	return namedconf_expect(&c->nc, t, ';', name, err, errlen);
}

/* The body of options { ... }; after its '{'. */
static int
bind_conf_options(struct bind_conf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	char dir[AW_PATH_MAX], file[AW_PATH_MAX];
	unsigned line = t->line;
	int r;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (namedconf_tok(&c->nc, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: options not closed",
			    file, line);
			return -1;
		}
		if (is_namedconf_punct(t, '}'))
			return namedconf_expect(&c->nc, t, ';', "'}'", err,
			    errlen);
		if (is_namedconf_punct(t, ';'))
			r = 0;
		else if (is_namedconf_punct(t, '{')) {
			snprintf(err, errlen, "%s:%u: unexpected '{'", t->file,
			    t->line);
			r = -1;
		} else if (t->quoted)
			r = namedconf_skip_stmt(&c->nc, t, err, errlen);
		else if (strcmp(t->text, "include") == 0)
			r = namedconf_include(&c->nc, t, err, errlen);
		else if (strcmp(t->text, "directory") == 0) {
			if ((r = bind_conf_path_opt(c, t, dir, sizeof(dir), err,
			    errlen)) == 0)
				memcpy(c->nc.cwd, dir, sizeof(dir));
		} else if (strcmp(t->text, "managed-keys-directory") == 0)
			r = bind_conf_path_opt(c, t, c->mkdir,
			    sizeof(c->mkdir), err, errlen);
		else if (strcmp(t->text, "bindkeys-file") == 0)
			r = bind_conf_path_opt(c, t, c->bindkeys,
			    sizeof(c->bindkeys), err, errlen);
		else if (strcmp(t->text, "dnssec-validation") == 0)
			r = bind_conf_validation(c, t, &c->val, c->where,
			    sizeof(c->where), err, errlen);
		else {
			bind_conf_removed(c, t, BIND_IN_OPTIONS);
			r = namedconf_skip_stmt(&c->nc, t, err, errlen);
		}
		if (r == -1)
			return -1;
	}
}

/* controls { inet ADDR [port N] allow { } [keys { "k"; }] ; ... }; */
static int
bind_conf_controls(struct bind_conf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	enum { W_NONE, W_ADDR, W_PORT, W_KEY } want = W_NONE;
	int depth = 0, inkeys = 0, first = !c->have_controls;
	unsigned line = t->line;
	char file[AW_PATH_MAX];

	snprintf(file, sizeof(file), "%s", t->file);
	c->have_controls = 1;
	for (;;) {
		if (namedconf_tok(&c->nc, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			snprintf(err, errlen, "%s:%u: controls not closed",
			    file, line);
			return -1;
		}
		if (is_namedconf_punct(t, '{'))
			depth++;
		else if (is_namedconf_punct(t, '}')) {
			if (--depth < 0) {
				snprintf(err, errlen, "%s:%u: unexpected '}'",
				    t->file, t->line);
				return -1;
			}
			inkeys = 0;
		} else if (is_namedconf_punct(t, ';') && depth == 0)
			return 0;
		else if (!first || is_namedconf_punct(t, ';'))
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
bind_conf_key(struct bind_conf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	char file[AW_PATH_MAX];

	snprintf(file, sizeof(file), "%s", t->file);
	if (namedconf_value(&c->nc, t, "key", err, errlen) == -1)
		return -1;
	if (c->nkeys < BIND_KEYS_MAX) {
		snprintf(c->keys[c->nkeys].name, sizeof(c->keys[0].name),
		    "%s", t->text);
		snprintf(c->keys[c->nkeys++].file, sizeof(c->keys[0].file),
		    "%s", file);
	}
	return namedconf_skip_stmt(&c->nc, t, err, errlen);
}

static int bind_conf_body(struct bind_conf *, struct namedconf_tok *, int,
    char *, size_t);

/* view "name" [class] { ... }; name in the next token. */
static int
bind_conf_view(struct bind_conf *c, struct namedconf_tok *t, char *err,
    size_t errlen)
{
	struct bind_view *v;

	if (c->nviews >= BIND_VIEWS_MAX) {
		snprintf(err, errlen, "%s:%u: more than %d views", t->file,
		    t->line, BIND_VIEWS_MAX);
		return -1;
	}
	v = &c->views[c->nviews];
	memset(v, 0, sizeof(*v));
	v->val = BIND_VAL_UNSET;
	v->is_in = 1;
	if (namedconf_value(&c->nc, t, "view", err, errlen) == -1)
		return -1;
	if (snprintf(v->name, sizeof(v->name), "%s", t->text) >=
	    (int)sizeof(v->name) || t->text[0] == '\0') {
		snprintf(err, errlen, "%s:%u: bad view name", t->file, t->line);
		return -1;
	}
	if (namedconf_tok(&c->nc, t, err, errlen) == -1)
		return -1;
	if (!is_namedconf_punct(t, '{')) {
		if (t->eof || t->quoted || strchr("};", t->text[0]) != NULL) {
			snprintf(err, errlen, "%s:%u: '{' expected after view",
			    t->file, t->line);
			return -1;
		}
		v->is_in = strcasecmp(t->text, "IN") == 0;
		if (namedconf_expect(&c->nc, t, '{', "view class", err,
		    errlen) == -1)
			return -1;
	}
	c->nviews++;
	return bind_conf_body(c, t, (int)c->nviews - 1, err, errlen);
}

/* 1 if t starts a statement of named's bindkeys grammar (namedconf.c
 * cfg_type_bindkeys in lib/isccfg, and include). */
static int
is_bindkeys_stmt(const struct namedconf_tok *t)
{
	return !t->quoted && (strcmp(t->text, "include") == 0 ||
	    strcmp(t->text, "trust-anchors") == 0 ||
	    strcmp(t->text, "managed-keys") == 0 ||
	    strcmp(t->text, "trusted-keys") == 0);
}

/*
 * Statements of the top level (view -1) or of a view body (its index,
 * after the '{').  Returns 0 at the end of the body, -1 (err).
 */
static int
bind_conf_body(struct bind_conf *c, struct namedconf_tok *t, int view,
    char *err, size_t errlen)
{
	struct bind_view *v = view >= 0 ? &c->views[view] : NULL;
	char file[AW_PATH_MAX];
	unsigned line = t->line;
	int r;

	snprintf(file, sizeof(file), "%s", t->file);
	for (;;) {
		if (namedconf_tok(&c->nc, t, err, errlen) == -1)
			return -1;
		if (t->eof) {
			if (v == NULL)
				return 0;
			snprintf(err, errlen, "%s:%u: view \"%s\" not closed",
			    file, line, v->name);
			return -1;
		}
		if (is_namedconf_punct(t, '}') && v != NULL)
			return namedconf_expect(&c->nc, t, ';', "'}'", err,
			    errlen);
		if (is_namedconf_punct(t, ';'))
			continue;
		if (is_namedconf_punct(t, '}') || is_namedconf_punct(t, '{')) {
			snprintf(err, errlen, "%s:%u: unexpected '%s'", t->file,
			    t->line, t->text);
			return -1;
		}
		if (c->bindkeys_grammar && !is_bindkeys_stmt(t)) {
			snprintf(err, errlen, "%s:%u: \"%.32s\" is not a "
			    "bindkeys-file statement", t->file, t->line,
			    t->text);
			return -1;
		}
		if (t->quoted)
			r = namedconf_skip_stmt(&c->nc, t, err, errlen);
		else if (strcmp(t->text, "include") == 0)
			r = namedconf_include(&c->nc, t, err, errlen);
		else if (strcmp(t->text, "trust-anchors") == 0 ||
		    strcmp(t->text, "managed-keys") == 0 ||
		    strcmp(t->text, "trusted-keys") == 0)
			r = bind_conf_anchors(c, t, view, err, errlen);
		else if (v != NULL && strcmp(t->text, "dnssec-validation") == 0)
			r = bind_conf_validation(c, t, &v->val, v->where,
			    sizeof(v->where), err, errlen);
		else if (v == NULL && strcmp(t->text, "options") == 0)
			r = namedconf_expect(&c->nc, t, '{', "options", err,
			    errlen) ||
			    bind_conf_options(c, t, err, errlen);
		else if (v == NULL && strcmp(t->text, "view") == 0)
			r = bind_conf_view(c, t, err, errlen);
		else if (v == NULL && strcmp(t->text, "controls") == 0)
			r = bind_conf_controls(c, t, err, errlen);
		else if (strcmp(t->text, "key") == 0)
			r = bind_conf_key(c, t, err, errlen);
		else {
			bind_conf_removed(c, t, v != NULL ? BIND_IN_VIEW :
			    BIND_IN_TOP);
			r = namedconf_skip_stmt(&c->nc, t, err, errlen);
		}
		if (r != 0)
			return -1;
	}
}

/* Parse what c->nc has open: the whole of it, includes closed after. */
int
bind_conf_parse_open(struct bind_conf *c, char *err, size_t errlen)
{
	struct namedconf_tok *t = xcalloc(1, sizeof(*t));
	int rv;

	rv = bind_conf_body(c, t, -1, err, errlen);
	namedconf_close(&c->nc);
	free(t);
	return rv;
}

/* Parse the config file path. */
int
bind_conf_parse(struct bind_conf *c, const char *path, char *err, size_t errlen)
{
	if (namedconf_open(&c->nc, path, err, errlen) == -1)
		return -1;
	return bind_conf_parse_open(c, err, errlen);
}

/* ---- named's built-in keys, rndc ----------------------------------------- */

/* named's built-in trust anchors (bind.keys of 9.18.49, root only). */
static const char bind_conf_builtin_keys[] =
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

/*
 * dnssec-validation auto: named's root anchors, parsed.  Those of
 * bind.keys (bindkeys-file) when named can read and parse it with its
 * bindkeys grammar and it has a trust-anchors clause; else the keys
 * compiled into named: a file it cannot parse, or one with managed-keys or
 * trusted-keys only, leaves named on them ("root zone key not found",
 * "using built-in root key").  Only trust-anchors clauses count.  *file
 * is 1 for the bindkeys-file, 0 for the built-in keys.  The caller frees.
 */
struct bind_conf *
bind_conf_builtin(const struct bind_conf *c, int *file)
{
	const char *path = c->bindkeys[0] != '\0' ? c->bindkeys : BIND_BINDKEYS;
	struct bind_conf *bk = xcalloc(1, sizeof(*bk));
	char why[AW_ERR_MAX];
	size_t i;

	bk->bindkeys_grammar = 1;
	bk->main = path;
	/* named reads it after chdir to the options directory */
	memcpy(bk->nc.cwd, c->nc.cwd, sizeof(bk->nc.cwd));
	*file = 1;
	if (access(path, R_OK) == 0 && bind_conf_parse(bk, path, why,
	    sizeof(why)) == 0)
		for (i = 0; i < bk->nblocks; i++)
			if (bk->blocks[i].clause == BIND_TA)
				return bk;
	bind_conf_free(bk);
	bk = xcalloc(1, sizeof(*bk));
	*file = 0;
	bk->main = "named built-in trust anchors";
	namedconf_open_text(&bk->nc, bk->main, bind_conf_builtin_keys);
	if (bind_conf_parse_open(bk, why, sizeof(why)) == -1)
		fatalx("%s", why);      /* bind_conf_builtin_keys is ours */
	return bk;
}

/* Where rndc reaches named: the first controls inet, its key's file;
 * argv[0] is rndc, the options follow; returns the words so far. */
size_t
bind_conf_rndc_args(const struct bind_conf *c, const char **argv, char *keyfile,
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
			argv[n++] = "-k";
			argv[n++] = keyfile;
			break;
		}
	}
	return n;
}

void
bind_conf_free(struct bind_conf *c)
{
	if (c == NULL)
		return;
	namedconf_close(&c->nc);
	while (c->nblocks > 0) {
		c->nblocks--;
		free(c->blocks[c->nblocks].entries);
		source_free(&c->blocks[c->nblocks].st);
		source_free(&c->blocks[c->nblocks].init);
	}
	free(c->blocks);
	free(c);
}

