/*
 * anchor-bind.c: what a BIND 9 named trusts for the root.
 *
 * Composes the named.conf walk (bind-conf.c, over namedconf.c's grammar)
 * and the managed-keys database (bind-keys.c) the way named 9.18 does
 * (bin/named/server.c configure_view_dnsseckeys; lib/dns/zone.c
 * load_secroots):
 *  - each IN view (or the whole config without views) trusts its own and
 *    the top-level anchor clauses: static-key, static-ds and trusted-keys
 *    are static; initial-key and initial-ds are RFC 5011 managed (RFC 5011
 *    section 2), and their state is the view's key zone once named has
 *    written real KEYDATA there;
 *  - dnssec-validation auto (the default) adds the root anchors of the
 *    trust-anchors clauses of bind.keys (bindkeys-file) when the file is
 *    readable and parses as named's bindkeys grammar; named ignores its
 *    managed-keys and trusted-keys and, without a trust-anchors clause,
 *    takes the keys compiled into it (9.18.49: KSK-2017 20326 initial-key,
 *    KSK-2024 38696 initial-ds); trust-anchors without a root key stop it;
 *  - what named-checkconf (lib/bind9/check.c check_viewconf, which named
 *    runs at every load) refuses among trust anchors: a static root anchor
 *    with an explicit dnssec-validation auto, managed-keys together with
 *    trust-anchors, static and initializing anchors for one zone.  These
 *    set r->refused (named will not start or reload); the rest is read on;
 *  - an option named 9.18 no longer has (bind-conf.c) is refused first, as
 *    named's parser stops there; with no refusal of its own, the reader
 *    then asks named-checkconf (bind-check.c) about the rest of the
 *    grammar, which it does not model.
 * bind_loaded asks the running daemon with `rndc managed-keys status`.
 * No clock: KEYDATA states are taken at the `now` bind_read is given.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "anchorwatch.h"

#define BD_EXEC_TIMEOUT 5       /* seconds for rndc */
#define BD_USER "bind"
#define BD_DEFAULTS "/etc/default/named"
#define BD_CONFIG "/etc/bind/named.conf"
#define BD_RNDC "/usr/sbin/rndc"

/* ---- what named-checkconf refuses ---------------------------------------- */

/* 1 if block b is one of pass's blocks for view vi (see bind_refusals). */
static int
is_pass_block(const struct bind_block *b, int pass, int vi,
    enum bind_clause set)
{
	return b->view == (pass % 2 == 0 ? -1 : vi) &&
	    b->clause == (pass < 2 ? set : BIND_TK);
}

/* The first static entry for name in view vi, its clause in *in. */
static const struct bind_entry *
bind_static_entry(const struct bind_conf *c, int vi, enum bind_clause set,
    const char *name, const struct bind_block **in)
{
	size_t i, j;
	int pass;

	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < c->nblocks; i++) {
			if (!is_pass_block(&c->blocks[i], pass, vi, set))
				continue;
			for (j = 0; j < c->blocks[i].nentries; j++)
				if (c->blocks[i].entries[j].is_static &&
				    strcmp(c->blocks[i].entries[j].name,
				    name) == 0) {
					*in = &c->blocks[i];
					return &c->blocks[i].entries[j];
				}
		}
	return NULL;
}

/*
 * The trust anchor rules of check_viewconf (lib/bind9/check.c), which
 * named runs at every load, for view vi (-2 without views) with val the
 * dnssec-validation written for it (BIND_VAL_UNSET when not written: the
 * rule wants an explicit auto).  Sets r->refused at the first broken rule.
 * Entries count in check_ta_conflicts' order (the passes): top-level then
 * view trust-anchors (managed-keys when there is no trust-anchors), then
 * top-level and view trusted-keys.
 */
static void
bind_refusals(const struct bind_conf *c, int vi, enum bind_val val,
    struct resolver *r)
{
	const struct bind_block *b, *mk = NULL, *sb;
	const struct bind_entry *e, *st;
	enum bind_clause set = BIND_MK;
	size_t i, j;
	int pass;

	for (i = 0; i < c->nblocks; i++) {
		b = &c->blocks[i];
		if (b->view != vi && b->view != -1)
			continue;
		if (b->clause == BIND_TA)
			set = BIND_TA;
		if (b->clause == BIND_MK && (mk == NULL || (mk->view == -1 &&
		    b->view == vi)))
			mk = b;
	}
	if (r->refused[0] != '\0')
		return;
	if (set == BIND_TA && mk != NULL) {
		snprintf(r->refused, sizeof(r->refused), "%s:%u: named "
		    "refuses to start: use of managed-keys is not allowed "
		    "when trust-anchors is also in use", mk->file, mk->line);
		return;
	}
	if (val == BIND_VAL_AUTO &&
	    (st = bind_static_entry(c, vi, set, ".", &sb)) != NULL) {
		snprintf(r->refused, sizeof(r->refused), "%s:%u: named "
		    "refuses to start: static trust anchor for root zone "
		    "cannot be used with 'dnssec-validation auto'", sb->file,
		    st->line);
		return;
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->nblocks; i++) {
			b = &c->blocks[i];
			if (!is_pass_block(b, pass, vi, set))
				continue;
			for (j = 0; j < b->nentries; j++) {
				e = &b->entries[j];
				if (e->is_static || (st = bind_static_entry(c,
				    vi, set, e->name, &sb)) == NULL)
					continue;
				snprintf(r->refused, sizeof(r->refused),
				    "%s:%u: named refuses to start: static "
				    "and initializing keys cannot be used for "
				    "the same domain. static key defined at "
				    "%s:%u", b->file, e->line, sb->file,
				    st->line);
				return;
			}
		}
}

/* ---- sources ------------------------------------------------------------- */

/*
 * The RFC 5011 source of a view: the key zone's KEYDATA (bind-keys.c) when
 * it has real records for the root, else the initializing anchors of the
 * config (named trusts them until its first refresh).
 */
static int
bind_auto_source(const struct bind_conf *c, const char *view,
    const struct source *init, long long now, struct resolver *r,
    char *err, size_t errlen)
{
	const char *dir = c->mkdir[0] != '\0' ? c->mkdir :
	    c->nc.cwd[0] != '\0' ? c->nc.cwd : "/";
	struct source *s = resolver_add_source(r);

	source_copy(s, init);
	s->kind = SRC_AUTO;
	snprintf(s->view, sizeof(s->view), "%s", view);
	if (bind_keys_path(dir, view, s->path, sizeof(s->path)) == -1) {
		snprintf(err, errlen, "%s:%u: managed keys file name too long",
		    s->decl_file, s->decl_line);
		return -1;
	}
	return bind_keys_read(s, now, err, errlen);
}

/* Static anchors of block b as a source of view. */
static void
bind_static_source(const struct bind_conf *c, const struct bind_block *b,
    const char *view, struct resolver *r)
{
	struct source *s;

	if (b->st.nanchors == 0)
		return;
	s = resolver_add_source(r);
	source_copy(s, &b->st);
	s->kind = strcmp(b->file, c->main) == 0 ? SRC_INLINE : SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", b->file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", b->file);
	s->decl_line = b->line;
	snprintf(s->view, sizeof(s->view), "%s", view);
}

/* Append the initializing anchors of b to init (declared at the first). */
static int
bind_collect(struct source *init, const struct bind_block *b, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < b->init.nanchors; i++) {
		if (init->decl_file[0] == '\0') {
			snprintf(init->decl_file, sizeof(init->decl_file),
			    "%s", b->file);
			init->decl_line = b->init.anchors[i].line;
		}
		if (bind_conf_add(init, &b->init.anchors[i], b->file,
		    b->init.anchors[i].line, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* named's root anchors for dnssec-validation auto into init and r. */
static int
bind_auto_anchors(const struct bind_conf *c, const char *name,
    const char *vwhere, struct source *init, struct resolver *r, char *err,
    size_t errlen)
{
	const struct bind_block *b;
	struct bind_conf *bk;
	size_t i, n = 0;
	int file, rv = -1;

	bk = bind_conf_builtin(c, &file);
	for (i = 0; i < bk->nblocks; i++) {
		b = &bk->blocks[i];
		if (b->view != -1 || b->clause != BIND_TA)
			continue;
		n += b->st.nanchors + b->init.nanchors;
		bind_static_source(bk, b, name, r);
		if (init->decl_file[0] == '\0' && vwhere[0] != '\0') {
			snprintf(init->decl_file, sizeof(init->decl_file),
			    "%.*s", (int)strcspn(vwhere, ":"), vwhere);
			init->decl_line = (unsigned)strtoul(vwhere +
			    strcspn(vwhere, ":") + 1, NULL, 10);
		}
		if (bind_collect(init, b, err, errlen) == -1)
			goto done;
	}
	/* configure_view_dnsseckeys: "root key not loaded", named stops. */
	if (file && n == 0 && r->refused[0] == '\0')
		snprintf(r->refused, sizeof(r->refused), "%s: named refuses "
		    "to start: root key not loaded (its trust-anchors hold no "
		    "key for '.')", bk->main);
	rv = 0;
done:
	bind_conf_free(bk);
	return rv;
}

/* Sources of one view (name "" when there are no views). */
static int
bind_apply_view(const struct bind_conf *c, int vi, const char *name,
    enum bind_val val, const char *vwhere, long long now, struct resolver *r,
    char *err, size_t errlen)
{
	struct source *init = xcalloc(1, sizeof(*init));
	size_t i;
	int rv = -1;

	for (i = 0; i < c->nblocks; i++) {
		if (c->blocks[i].view != vi && c->blocks[i].view != -1)
			continue;
		bind_static_source(c, &c->blocks[i], name, r);
		if (bind_collect(init, &c->blocks[i], err, errlen) == -1)
			goto done;
	}
	if (val == BIND_VAL_AUTO && bind_auto_anchors(c, name, vwhere, init, r,
	    err, errlen) == -1)
		goto done;
	rv = init->nanchors > 0 ? bind_auto_source(c, name, init, now, r, err,
	    errlen) : 0;
done:
	source_free(init);
	free(init);
	return rv;
}

/* Every IN view's sources; DNSSEC_OFF when no view validates. */
static int
bind_apply(const struct bind_conf *c, long long now, struct resolver *r,
    char *err, size_t errlen)
{
	const struct bind_view *v;
	const char *where;
	enum bind_val val;
	size_t i;
	int on = 0, nin = 0;
	char off[sizeof(r->dnssec_where)] = "";

	for (i = 0; i < (c->nviews > 0 ? c->nviews : 1); i++) {
		v = c->nviews > 0 ? &c->views[i] : NULL;
		bind_refusals(c, v != NULL ? (int)i : -2, v != NULL &&
		    v->val != BIND_VAL_UNSET ? v->val : c->val, r);
		if (v != NULL && !v->is_in)
			continue;
		nin++;
		val = v != NULL && v->val != BIND_VAL_UNSET ? v->val : c->val;
		where = v != NULL && v->val != BIND_VAL_UNSET ? v->where :
		    c->where;
		if (val == BIND_VAL_UNSET)
			val = BIND_VAL_AUTO; /* named's default (config.c) */
		if (val == BIND_VAL_NO) {
			if (off[0] == '\0')
				snprintf(off, sizeof(off), "%s", where);
			continue;
		}
		on = 1;
		/* auto by default: no line said it */
		if (val == BIND_VAL_AUTO && (v == NULL ||
		    v->val == BIND_VAL_UNSET) && c->val == BIND_VAL_UNSET)
			where = "";
		if (bind_apply_view(c, v != NULL ? (int)i : -2, v != NULL ?
		    v->name : "", val, where, now, r, err, errlen) == -1)
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
	struct textfile f;
	char why[AW_ERR_MAX], *p, *q, *e;

	snprintf(r->user, sizeof(r->user), "%s", BD_USER);
	if (access(BD_DEFAULTS, R_OK) == -1 ||
	    fileio_open_text(BD_DEFAULTS, &f, why, sizeof(why)) == -1)
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
	struct bind_conf *c = xcalloc(1, sizeof(*c));
	size_t i;
	int rv = -1;

	c->main = rc->config[0] != '\0' ? rc->config : BD_CONFIG;
	c->val = BIND_VAL_UNSET;
	bind_user(r);
	if (bind_conf_parse(c, c->main, err, errlen) == -1)
		goto done;
	/* named's parser stops at a removed option, before check.c */
	snprintf(r->refused, sizeof(r->refused), "%s", c->refused);
	if (bind_apply(c, now, r, err, errlen) == -1)
		goto done;
	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++)
		if (namedconf_read_trusted_keys(rc->anchor_files[i],
		    resolver_add_source(r), err, errlen) == -1)
			goto done;
	/* The rest of named's grammar: its own checker, where installed. */
	if (r->refused[0] == '\0')
		bind_check_run(c->main, r->refused, sizeof(r->refused));
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	bind_conf_free(c);
	return rv;
}

/* ---- rndc managed-keys status ------------------------------------------ */

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
			have = namedconf_num(p, 65535, &v) == 0;
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

int
bind_loaded(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct bind_conf *c = xcalloc(1, sizeof(*c));
	char keyfile[AW_PATH_MAX], why[AW_ERR_MAX], *out = NULL;
	const char *argv[12] = { BD_RNDC };
	size_t outlen, n;
	int status;

	c->main = rc->config[0] != '\0' ? rc->config : BD_CONFIG;
	c->val = BIND_VAL_UNSET;
	/* A config that cannot be read is bind_read's to report. */
	if (bind_conf_parse(c, c->main, why, sizeof(why)) == -1)
		c->have_controls = 0;
	n = bind_conf_rndc_args(c, argv, keyfile, sizeof(keyfile));
	argv[n++] = "managed-keys";
	argv[n++] = "status";
	argv[n] = NULL;
	r->have_loaded = 0;
	r->nloaded = 0;
	if (spawn_read((char **)argv, BD_EXEC_TIMEOUT, AW_FILE_MAX, 0, &out,
	    &outlen, &status, why, sizeof(why)) == 0 && WIFEXITED(status) &&
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

/* After a repair: named reads its files again (bind-fix.c). */
static const char *const bd_reload[] = { BD_RNDC, "reconfig", NULL };

/* BIND's row of the reader table (reader.c). */
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
	.repair = bind_repair,
	.reload = bd_reload,
};
