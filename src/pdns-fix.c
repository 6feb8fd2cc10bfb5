/*
 * pdns-fix.c: the repair of a PowerDNS Recursor (anchorwatch fix, issue
 * 10): its row's repair hook (anchor-pdns.c).
 *
 * The Recursor has no RFC 5011: every root anchor is static and lives in
 * what the reader found it in (anchor-pdns.c):
 *  - a root addTA/addDS call of the lua-config-file (or a file it
 *    dofile()s): the root calls the daemon takes are rewritten in place
 *    by luascan-write.c, the calls of kept keys byte for byte, the others
 *    removed, an addTA('.', "<SHA-256 DS>") added for each key to trust
 *    after the last of them; every other byte of the Lua stays;
 *  - a trust anchor file (readTrustAnchorsFromFile, 5.x
 *    dnssec.trustanchorfile): zone file records, rewritten by
 *    zonefile-write.c;
 *  - dnssec.trustanchors of the YAML settings: main configuration, the
 *    entry to put there is suggested, never applied;
 *  - the daemon's built-in DS set: the addTA lines to put in the Lua
 *    config are suggested.
 * The new keys go where the daemon takes its anchors last: the Lua file,
 * else the trust anchor file.  The reload is `rec_control
 * reload-lua-config`: 4.x runs the Lua config again (the anchor file
 * with it); 5.x reloads the Lua config or its YAML equivalents
 * (dnssec.trustanchors, dnssec.trustanchorfile).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

const char *const pdns_fix_reload[] = { "/usr/bin/rec_control",
    "reload-lua-config", NULL };

/* The root sources of a Recursor, by where they live. */
struct pf_srcs {
	const struct source *lua[AW_ANCHOR_MAX];   /* addTA calls */
	size_t nlua;
	const struct source *file[CFG_FILES_MAX + 1]; /* anchor files */
	size_t nfile;
	const struct source *yaml[AW_ANCHOR_MAX];  /* dnssec.trustanchors */
	size_t nyaml;
	const struct source *builtin;
	struct source all;            /* every root anchor, for what is
	                                 missing */
};

/* 1 if path is a YAML settings file (where dnssec.trustanchors are). */
static int
is_pf_yaml(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && strcmp(path + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
	    is_pdns_conf_yaml(path);
}

/* Sort the sources of r into *f. */
static void
pdns_fix_sort(const struct resolver *r, struct pf_srcs *f)
{
	const struct source *s;
	size_t i, j;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors && f->all.nanchors <
		    AW_ANCHOR_MAX; j++)
			*source_add_anchor(&f->all) = s->anchors[j];
		if (s->kind == SRC_BUILTIN)
			f->builtin = s;
		else if (s->kind == SRC_FILE && f->nfile <= CFG_FILES_MAX)
			f->file[f->nfile++] = s;
		else if (s->kind == SRC_INLINE && is_pf_yaml(s->decl_file) &&
		    f->nyaml < AW_ANCHOR_MAX)
			f->yaml[f->nyaml++] = s;
		else if (s->kind == SRC_INLINE && f->nlua < AW_ANCHOR_MAX)
			f->lua[f->nlua++] = s;
	}
}

/* The SHA-256 DS rdata of k into buf; 0 or -1. */
static int
pdns_fix_ds(const struct dnskey *k, char *buf, size_t len)
{
	struct ds d;

	if (keyset_ds_of_key(k, 2, &d) == -1)
		return -1;
	return keyset_format_ds(&d, buf, len);
}

/* What the Lua rewrite of one file needs. */
struct pf_lua {
	const struct pf_srcs *f;
	const struct fix_trust *t;
	const char *path;
	unsigned line;                /* of the last root call seen */
	size_t nth;                   /* root calls seen on that line */
	char why[AW_ERR_MAX];
};

/*
 * A root addTA/addDS call the daemon took (the Lua source of path made
 * at its line; the nth call of a line, the nth source of it) stays if
 * the trust set keeps its DS; other calls are left.
 */
static enum luascan_fate
pdns_fix_fate(void *arg, const struct luascan_call *c)
{
	struct pf_lua *l = arg;
	const struct source *s;
	size_t i, n, nth;

	if ((strcmp(c->name, "addTA") != 0 && strcmp(c->name, "addDS") != 0) ||
	    c->nargs != 2 || c->type[0] != LA_STR ||
	    strcmp(c->str[0], ".") != 0)
		return LUASCAN_OTHER;
	nth = l->line == c->line ? ++l->nth : (l->nth = 0);
	l->line = c->line;
	for (i = 0; i < l->f->nlua; i++) {
		s = l->f->lua[i];
		if (strcmp(s->decl_file, l->path) != 0 ||
		    s->decl_line != c->line || s->nanchors == 0 || nth-- > 0)
			continue;
		if (is_fix_kept(l->t, &s->anchors[0]))
			return LUASCAN_KEEP;
		n = strlen(l->why);
		snprintf(l->why + n, sizeof(l->why) - n, "%sremove %u",
		    n ? ", " : "", keyset_anchor_tag(&s->anchors[0]));
		return LUASCAN_DROP;
	}
	return LUASCAN_OTHER;
}

/* The addTA lines for the keys of add, into a malloc'd string; the
 * "add K" words appended to why. */
static char *
pdns_fix_lines(const struct dnskey *const *add, size_t nadd, char *why,
    size_t whylen)
{
	char ds[AW_DIGEST_MAX * 2 + 32], *out = xcalloc(1, 1);
	size_t i, n = 0, w;

	for (i = 0; i < nadd; i++) {
		if (pdns_fix_ds(add[i], ds, sizeof(ds)) == -1)
			continue;
		out = xreallocarray(out, n + strlen(ds) + 32, 1);
		n += (size_t)snprintf(out + n, strlen(ds) + 32,
		    "addTA('.', \"%s\")\n", ds);
		w = strlen(why);
		snprintf(why + w, whylen - w, "%sadd %u", w ? ", " : "",
		    add[i]->tag);
	}
	return out;
}

/* Rewrite the root calls of Lua file path; the keys of add go there. */
static int
pdns_fix_lua(const struct pf_srcs *f, const struct fix_trust *t,
    const char *path, const struct dnskey *const *add, size_t nadd,
    struct fix_plan *p, char *err, size_t errlen)
{
	struct pf_lua *l = xcalloc(1, sizeof(*l));
	struct luascan_rewrite w;
	char addwhy[AW_ERR_MAX] = "";
	size_t n;
	int rv = -1;

	l->f = f;
	l->t = t;
	l->path = path;
	memset(&w, 0, sizeof(w));
	w.path = path;
	w.fate = pdns_fix_fate;
	w.arg = l;
	w.add = pdns_fix_lines(add, nadd, addwhy, sizeof(addwhy));
	if (luascan_rewrite(&w, err, errlen) == 0) {
		n = strlen(l->why);
		snprintf(l->why + n, sizeof(l->why) - n, "%s%s", n &&
		    addwhy[0] ? ", " : "", addwhy);
		rv = fix_plan_file(p, path, w.text, w.len, l->why, err,
		    errlen);
	}
	free((char *)w.add);
	free(w.text);
	free(l);
	return rv;
}

/* Rewrite the static anchor file of s; the keys of add go there. */
static int
pdns_fix_file(const struct source *s, const struct fix_trust *t,
    const struct dnskey *const *add, size_t nadd, struct fix_plan *p,
    char *err, size_t errlen)
{
	struct zf_rewrite w;
	char *old;
	size_t oldlen;
	int rv;

	if (fileio_load_text(s->path, &old, &oldlen, err, errlen) == -1)
		return -1;
	memset(&w, 0, sizeof(w));
	w.path = s->path;
	w.old = old;
	w.oldlen = oldlen;
	w.s = s;
	w.t = t;
	w.add = add;
	w.nadd = nadd;
	rv = zonefile_rewrite_static(&w, err, errlen);
	if (rv == 0)
		rv = fix_plan_file(p, s->path, w.text, w.len, w.why, err,
		    errlen);
	free(w.text);
	free(old);
	return rv;
}

/* 1 if s holds an anchor the trust set does not keep. */
static int
is_pf_stale(const struct fix_trust *t, const struct source *s)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		if (!is_fix_kept(t, &s->anchors[i]))
			return 1;
	return 0;
}

/* Anchors the files cannot carry: the lines to write by hand. */
static void
pdns_fix_suggest(const struct pf_srcs *f, const struct fix_trust *t,
    int target, struct fix_plan *p)
{
	char ds[AW_DIGEST_MAX * 2 + 32];
	size_t i;

	if (f->nyaml > 0) {
		fix_plan_suggest(p, "# %s:%u: dnssec.trustanchors: the root "
		    "entry is to be:\n  - name: .\n    dsrecords:",
		    f->yaml[0]->decl_file, f->yaml[0]->decl_line);
		for (i = 0; i < t->nkeys; i++)
			if (pdns_fix_ds(&t->keys[i], ds, sizeof(ds)) == 0)
				fix_plan_suggest(p, "      - '%s'", ds);
		return;
	}
	if (f->builtin == NULL || (!target && !is_pf_stale(t, f->builtin)))
		return;
	if (!target) {
		/* the files add to built-ins that hold a key to remove */
		fix_plan_suggest(p, "# the built-in root anchors of %s hold a "
		    "key to remove: put clearTA('.') at the top of the "
		    "lua-config-file", f->builtin->path);
		return;
	}
	fix_plan_suggest(p, "# the built-in root anchors of %s are not "
	    "current: in its lua-config-file:\nclearTA('.')",
	    f->builtin->path);
	for (i = 0; i < t->nkeys; i++)
		if (pdns_fix_ds(&t->keys[i], ds, sizeof(ds)) == 0)
			fix_plan_suggest(p, "addTA('.', \"%s\")", ds);
}

/* 1 if path is one of the Lua files of f before index i. */
static int
is_pf_seen(const struct pf_srcs *f, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(f->lua[j]->decl_file, f->lua[i]->decl_file) == 0)
			return 1;
	return 0;
}

int
pdns_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p, char *err,
    size_t errlen)
{
	struct pf_srcs *f = xcalloc(1, sizeof(*f));
	const struct dnskey *add[FIX_KEYS_MAX];
	const char *last = NULL;
	size_t nadd, i, n;
	int rv = -1;

	(void)rc;
	(void)now;
	pdns_fix_sort(r, f);
	if (!is_fix_needed(t, &f->all)) {
		source_free(&f->all);
		free(f);
		return 0;
	}
	nadd = fix_missing(t, &f->all, add, FIX_KEYS_MAX);
	/* the daemon takes the Lua config after any anchor file */
	if (f->nlua > 0)
		last = f->lua[f->nlua - 1]->decl_file;
	for (i = 0; i < f->nfile; i++) {
		n = last == NULL && i + 1 == f->nfile ? nadd : 0;
		if ((n > 0 || is_pf_stale(t, f->file[i])) && pdns_fix_file(
		    f->file[i], t, add, n, p, err, errlen) == -1)
			goto done;
	}
	for (i = 0; i < f->nlua; i++)
		if (!is_pf_seen(f, i) && pdns_fix_lua(f, t,
		    f->lua[i]->decl_file, add, strcmp(f->lua[i]->decl_file,
		    last) == 0 ? nadd : 0, p, err, errlen) == -1)
			goto done;
	pdns_fix_suggest(f, t, f->nlua == 0 && f->nfile == 0, p);
	rv = 0;
done:
	source_free(&f->all);
	free(f);
	return rv;
}
