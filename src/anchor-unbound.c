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

#define UB_DEFAULT_DIR "/etc/unbound"
#define UB_DEFAULT_USER "unbound"

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
		rv = autotrust_parse(&f, s, NULL, err, errlen);
	} else if (strstr(f.buf, "trusted-keys") != NULL ||
	    strstr(f.buf, "trust-anchors") != NULL) {
		rv = namedconf_read_trusted_keys(path, s, err, errlen);
	} else {
		s->kind = SRC_FILE;
		rv = zonefile_parse_static(&f, s, err, errlen);
	}
	free(f.buf);
	return rv;
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
	*source_add_anchor(s) = a;
	return 0;
}

/* The option that declares an anchor of this kind, for messages. */
static const char *
unbound_option(const struct ub_decl *d)
{
	if (d->insecure)
		return "domain-insecure";
	switch (d->kind) {
	case SRC_AUTO:
		return "auto-trust-anchor-file";
	case SRC_FILE:
		return "trust-anchor-file";
	case SRC_INLINE:
		return "trust-anchor";
	default:
		return "trusted-keys-file";
	}
}

/*
 * One anchor file option: a source per file (trusted-keys-file globs).
 * d records what its file gave, for unbound_refusal().  unbound opens
 * anchor files once it runs as its user (daemon/unbound.c perform_setup
 * drops privileges before the validator reads them): one that user
 * cannot read stops it ("error reading trust-anchor-file"), r->refused.
 */
static int
unbound_source(struct ub_decl *d, const char *path, struct resolver *r,
    char *err, size_t errlen)
{
	struct source *s = resolver_add_source(r);
	char why[AW_ERR_MAX];
	int rv;

	s->kind = d->kind;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", d->file);
	s->decl_line = d->line;
	switch (d->kind) {
	case SRC_AUTO:
		rv = autotrust_read(path, s, &d->autr, err, errlen);
		break;
	case SRC_FILE:
		rv = zonefile_read_static(path, s, err, errlen);
		break;
	default:
		rv = namedconf_read_trusted_keys(path, s, err, errlen);
		break;
	}
	d->read = rv == 0;
	d->nroot += s->nanchors;
	if (rv == 0 && r->refused[0] == '\0' &&
	    !is_readable_by(path, r->user, why, sizeof(why)))
		snprintf(r->refused, sizeof(r->refused), "%s:%u: unbound "
		    "refuses to start: \"error reading %s: %s\": %s",
		    d->file, d->line, unbound_option(d), d->value, why);
	return rv;
}

/* A trusted-keys-file pattern: one source per match, none if no match. */
static int
unbound_glob(struct ub_decl *d, const char *pattern,
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
		rv = unbound_source(d, g.gl_pathv[k], r, err, errlen);
	globfree(&g);
	return rv;
}

/* Read every anchor option the config named, in order. */
static int
unbound_apply(struct ub_conf *c, struct resolver *r, char *err,
    size_t errlen)
{
	struct ub_decl *d;
	char path[AW_PATH_MAX];
	size_t i, n;
	int rv;

	for (i = 0, rv = 0; i < c->ndecl && rv == 0; i++) {
		d = &c->decl[i];
		n = r->nsources;
		if (d->insecure)
			continue;
		if (d->kind == SRC_INLINE) {
			rv = unbound_inline(d, r, err, errlen);
			d->nroot = r->nsources - n;
		} else if (d->value[0] == '\0')
			continue;       /* "" means none, as in unbound */
		else if (unbound_conf_path(c, d->value, path,
		    sizeof(path)) == -1) {
			snprintf(err, errlen, "%s:%u: file name too long",
			    d->file, d->line);
			rv = -1;
		} else if (d->kind == SRC_TRUSTED_KEYS &&
		    strpbrk(path, "*?[{~") != NULL)
			rv = unbound_glob(d, path, r, err, errlen);
		else
			rv = unbound_source(d, path, r, err, errlen);
	}
	return rv;
}

/* r->refused for auto-trust-anchor-file d, by unbound's rule (quoted). */
static void
unbound_refuse(struct resolver *r, const struct ub_decl *d, const char *rule,
    const char *what, const struct ub_decl *other)
{
	char also[AW_PATH_MAX + 64] = "";

	if (other != NULL)
		snprintf(also, sizeof(also), " (%s at %s:%u)",
		    unbound_option(other), other->file, other->line);
	snprintf(r->refused, sizeof(r->refused), "%s:%u: unbound refuses to "
	    "start: \"%s\": auto-trust-anchor-file %s %s%s", d->file,
	    d->line, rule, d->value, what, also);
}

/*
 * What unbound 1.17 refuses when its validator applies the anchors
 * (validator/val_anchor.c anchors_apply_cfg, validator/autotrust.c
 * autr_read_file; unbound-checkconf applies the same): the static anchors
 * (and a domain-insecure root, also a trust point) first, then the
 * auto-trust-anchor-files, last declared first (its option lists are
 * built by prepending).  A ;;id: for a zone that already has an anchor is
 * "trust anchor presented twice"; seed keys for a zone with a static
 * anchor are each skipped ("anchor cannot be with and without autotrust")
 * and a file that yields no trust point fails ("failed to read"); keys of
 * two zones in one file are "mismatching data"; a ;;REVOKED file reads no
 * further and adds nothing.
 */
static void
unbound_refusal(const struct ub_conf *c, struct resolver *r)
{
	const struct ub_decl *st = NULL, *au = NULL, *d;
	size_t i;

	for (i = 0; i < c->ndecl && st == NULL; i++)
		if ((c->decl[i].kind != SRC_AUTO && c->decl[i].nroot > 0) ||
		    c->decl[i].insecure)
			st = &c->decl[i];
	for (i = c->ndecl; i-- > 0 && r->refused[0] == '\0';) {
		d = &c->decl[i];
		if (d->kind != SRC_AUTO || !d->read || d->autr.revoked_first)
			continue;
		if (d->autr.revoked_late != 0)
			unbound_refuse(r, d, "REVOKED statement must be at "
			    "start of file", "has ;;REVOKED after its ;;id:",
			    NULL);
		else if (d->autr.paren_line != 0)
			unbound_refuse(r, d, "could not parse "
			    "auto-trust-anchor-file", "has parentheses that "
			    "do not match", NULL);
		else if (d->autr.unparsable != 0)
			unbound_refuse(r, d, "could not parse "
			    "auto-trust-anchor-file", "has a ;; line without "
			    "its number", NULL);
		else if (d->autr.mixed_line != 0)
			unbound_refuse(r, d, "file has mismatching data "
			    "inside", "holds keys of more than one zone",
			    NULL);
		else if (d->autr.id_line != 0 &&
		    strcmp(d->autr.id_zone, ".") == 0) {
			if (st != NULL || au != NULL)
				unbound_refuse(r, d, "trust anchor presented "
				    "twice", "names \".\" in ;;id: while "
				    "\".\" already has an anchor", st != NULL ?
				    st : au);
			au = d;
		} else if (d->autr.id_line == 0 && d->nroot > 0) {
			if (au == NULL && st != NULL)
				unbound_refuse(r, d, "anchor cannot be with "
				    "and without autotrust", "holds keys for "
				    "\".\" which has a static anchor", st);
			au = au != NULL ? au : d;
		} else if (d->autr.id_line == 0 && d->autr.nkeys == 0)
			unbound_refuse(r, d, "failed to read", "holds no "
			    "trust anchor", NULL);
	}
}

/*
 * r->refused when module-config names no module, or one unbound 1.17 has
 * under no build (services/modstack.c module_list_avail; which of them a
 * build links, unbound -V says): the daemon does not start.
 */
static void
unbound_modules(const struct ub_conf *c, struct resolver *r)
{
	static const char *known[] = { "dns64", "python", "dynlib",
	    "cachedb", "ipsecmod", "subnetcache", "ipset", "respip",
	    "validator", "iterator" };
	const char *m = c->module;
	size_t n, i;

	if (m[strspn(m, " \t")] == '\0') {
		snprintf(r->refused, sizeof(r->refused), "%s: unbound refuses "
		    "to start: \"error: no modules specified\" in "
		    "module-config", c->module_where);
		return;
	}
	for (m += strspn(m, " \t"); *m != '\0'; m += strspn(m, " \t")) {
		n = strcspn(m, " \t");
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i]) == n && strncmp(m, known[i],
			    n) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0])) {
			snprintf(r->refused, sizeof(r->refused), "%s: unbound "
			    "refuses to start: \"Unknown value in "
			    "module-config, module: '%.*s'\"", c->module_where,
			    n > 64 ? 64 : (int)n, m);
			return;
		}
		m += n;
	}
}

/* 1 if module-config value m lists the validator module. */
static int
is_validating(const char *m)
{
	size_t n;

	for (m += strspn(m, " \t"); *m != '\0'; m += strspn(m, " \t")) {
		n = strcspn(m, " \t");
		if (n == 9 && strncmp(m, "validator", 9) == 0)
			return 1;
		m += n;
	}
	return 0;
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
		if (unbound_conf_read(c, rc->config, err, errlen) == -1)
			goto done;
		snprintf(r->user, sizeof(r->user), "%s", c->user);
		if (c->module_where[0] != '\0')
			unbound_modules(c, r);
		if (c->module_where[0] != '\0' && !is_validating(c->module)) {
			/* no validator module: no anchor is even read */
			r->dnssec = DNSSEC_OFF;
			snprintf(r->dnssec_where, sizeof(r->dnssec_where),
			    "%s", c->module_where);
			rv = 0;
			goto done;
		}
		if (unbound_apply(c, r, err, errlen) == -1)
			goto done;
		if (r->refused[0] == '\0')
			unbound_refusal(c, r);
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

/* ---- repairs (anchorwatch fix) ------------------------------------------ */

/*
 * The auto-trust-anchor-file s of the root, repaired by autotrust.c.  A
 * file of another zone is left alone (its ;;REVOKED is that zone's).
 */
static int
unbound_repair_auto(const struct source *s, const struct fix_trust *t,
    struct fix_plan *p, char *err, size_t errlen)
{
	struct autotrust_info info;
	struct textfile f;
	struct source *tmp = xcalloc(1, sizeof(*tmp));
	char why[AW_ERR_MAX], *text = NULL;
	size_t len;
	int rv = -1;

	if (fileio_open_text(s->path, &f, err, errlen) == -1) {
		free(tmp);
		return -1;
	}
	if (autotrust_parse(&f, tmp, &info, err, errlen) == -1)
		goto done;
	if (strcmp(info.owner, ".") != 0) {
		rv = 0;
		goto done;
	}
	if (autotrust_rewrite(s->path, f.buf, f.len, s, t, &text, &len, why,
	    sizeof(why), err, errlen) == -1 || fix_plan_file(p, s->path,
	    text, len, why, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	free(text);
	free(f.buf);
	source_free(tmp);
	free(tmp);
	return rv;
}

/* A static trust-anchor-file s, repaired by zonefile-write.c: add (n)
 * added in the file's own form (DS if it holds a DS). */
static int
unbound_repair_file(const struct source *s, const struct fix_trust *t,
    const struct dnskey *const *add, size_t n, struct fix_plan *p,
    char *err, size_t errlen)
{
	struct zf_rewrite w;
	char *old = NULL;
	int rv = -1;

	memset(&w, 0, sizeof(w));
	if (fileio_load_text(s->path, &old, &w.oldlen, err, errlen) == -1)
		return -1;
	w.path = s->path;
	w.old = old;
	w.s = s;
	w.t = t;
	w.add = add;
	w.nadd = n;
	if (zonefile_rewrite_static(&w, err, errlen) == 0 &&
	    fix_plan_file(p, s->path, w.text, w.len, w.why, err, errlen) == 0)
		rv = 0;
	free(w.text);
	free(old);
	return rv;
}

/* The main configuration's inline trust-anchor: lines: what to remove
 * and (if no file takes them) what to add, suggested. */
static void
unbound_repair_inline(const struct resolver *r, const struct fix_trust *t,
    const struct dnskey *const *add, size_t n, struct fix_plan *p)
{
	const struct source *s;
	char rdata[ZF_LINE_MAX];
	struct ds ds;
	size_t i, j;
	int is_ds = 0;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; s->kind == SRC_INLINE && j < s->nanchors; j++) {
			is_ds |= s->anchors[j].is_ds;
			if (!is_fix_kept(t, &s->anchors[j]))
				fix_plan_suggest(p, "# remove the trust-anchor: "
				    "of key %u at %s:%u",
				    (unsigned)keyset_anchor_tag(&s->anchors[j]),
				    s->decl_file, s->decl_line);
		}
	}
	for (i = 0; i < n; i++) {
		if (is_ds && keyset_ds_of_key(add[i], 2, &ds) == 0 &&
		    keyset_format_ds(&ds, rdata, sizeof(rdata)) == 0)
			fix_plan_suggest(p, "server: trust-anchor: \". DS %s\"",
			    rdata);
		else if (!is_ds && keyset_format_dnskey(add[i], rdata,
		    sizeof(rdata)) == 0)
			fix_plan_suggest(p, "server: trust-anchor: \". DNSKEY "
			    "%s\"", rdata);
	}
}

/*
 * The keys to add to the static anchors of r: those no static anchor
 * that stays designates (unbound makes one trust point of them all).
 */
static size_t
unbound_static_missing(const struct resolver *r, const struct fix_trust *t,
    const struct dnskey **add)
{
	struct source *all = xcalloc(1, sizeof(*all));
	const struct source *s;
	size_t i, j, n;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; s->kind != SRC_AUTO && j < s->nanchors &&
		    all->nanchors < AW_ANCHOR_MAX; j++)
			if (is_fix_kept(t, &s->anchors[j]))
				*source_add_anchor(all) = s->anchors[j];
	}
	n = fix_missing(t, all, add, FIX_KEYS_MAX);
	source_free(all);
	free(all);
	return n;
}

/*
 * unbound's repair: the root's auto-trust-anchor-file (autotrust.c), its
 * static trust-anchor-files (zonefile-write.c; the keys to add go to the
 * first), the lines of unbound.conf suggested (inline trust-anchor:,
 * validation off, no anchor, static to RFC 5011).  A trusted-keys-file
 * that must change is refused: its writer is BIND's format.
 */
static int
unbound_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p,
    char *err, size_t errlen)
{
	const struct dnskey *add[FIX_KEYS_MAX] = { NULL };
	const struct source *s;
	size_t i, n, k[SRC_BUILTIN + 1] = { 0 }, nfile = 0, before;

	if (r->dnssec == DNSSEC_OFF) {
		fix_plan_suggest(p, "# %s: validation is off; to validate:",
		    r->dnssec_where);
		fix_plan_suggest(p, "server: module-config: \"validator "
		    "iterator\"");
		return 0;
	}
	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].nanchors > 0 || r->sources[i].is_zone_revoked)
			k[r->sources[i].kind]++;
	n = k[SRC_FILE] + k[SRC_INLINE] + k[SRC_TRUSTED_KEYS] > 0 ?
	    unbound_static_missing(r, t, add) : 0;
	if (n > 0 && k[SRC_FILE] + k[SRC_INLINE] == 0) {
		snprintf(err, errlen, "the root's static anchors are in a "
		    "trusted-keys-file, which this repair does not rewrite: "
		    "add key %u by hand, or use auto-trust-anchor-file",
		    (unsigned)add[0]->tag);
		return -1;
	}
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		before = p->nedits;
		if (s->kind == SRC_AUTO) {
			if (unbound_repair_auto(s, t, p, err, errlen))
				return -1;
		} else if (s->kind == SRC_TRUSTED_KEYS && is_fix_needed(t, s)) {
			snprintf(err, errlen, "%s: a trusted-keys-file is not "
			    "rewritten by this repair: change it by hand, or "
			    "use auto-trust-anchor-file", s->path);
			return -1;
		} else if (s->kind == SRC_FILE && s->nanchors > 0) {
			if (unbound_repair_file(s, t, add, nfile++ ? 0 : n, p,
			    err, errlen) == -1)
				return -1;
			if (p->nedits > before)
				fix_plan_suggest(p, "# to follow the root's key "
				    "rolls (RFC 5011), name %s in "
				    "auto-trust-anchor-file: instead of "
				    "trust-anchor-file: (unbound must be able "
				    "to write it and its directory)", s->path);
		}
	}
	unbound_repair_inline(r, t, add, nfile > 0 ? 0 : n, p);
	if (k[SRC_AUTO] + k[SRC_FILE] + k[SRC_INLINE] +
	    k[SRC_TRUSTED_KEYS] == 0) {
		fix_plan_suggest(p, "# no trust anchor for the root: unbound "
		    "does not validate; seed one with unbound-anchor -a and "
		    "add:");
		fix_plan_suggest(p, "server: auto-trust-anchor-file: "
		    "\"/var/lib/unbound/root.key\"");
	}
	return 0;
}

/* unbound-control reload: the daemon reads its config and anchor files
 * again (an autotrust file too; it writes that file only after a probe). */
static const char *const unbound_reload[] = {
	"/usr/sbin/unbound-control", "reload", NULL,
};

/* unbound's row of the reader table (reader.c). */
const struct reader unbound_reader = {
	.type = "unbound",
	.read = unbound_read,
	.default_config = "/etc/unbound/unbound.conf",
	.process = "unbound",
	.config_flag = "-c",
	.user = UB_DEFAULT_USER,
	.rfc5011 = 1,
	.variant = RFC5011_UNBOUND,
	.loaded_chaos = "trustanchor.unbound",
	.advice_static = "use auto-trust-anchor-file",
	.advice_unwritable = "unbound exits on its next probe",
	.repair = unbound_repair,
	.reload = unbound_reload,
};
