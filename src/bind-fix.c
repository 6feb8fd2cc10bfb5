/*
 * bind-fix.c: the repair of a BIND 9 named (anchorwatch fix, issue 10).
 *
 * BIND's repair hook of the reader table (anchor-bind.c's row, aw-fix.h):
 *  - the root entries of trust-anchors, managed-keys and trusted-keys
 *    clauses in the files named.conf includes, and in the bindkeys-file
 *    named reads with dnssec-validation auto, are rewritten to trust what
 *    the trust set says, by the writer of that grammar (bind-conf-write.c):
 *    initial-key or initial-ds stay RFC 5011 (RFC 5011 section 2),
 *    static-key or static-ds stay static;
 *  - clauses in the main configuration (the config of anchorwatch.yaml,
 *    /etc/bind/named.conf by default) are never written: the repair is
 *    refused and the new clause printed as a suggestion;
 *  - named's key zone (managed-keys.bind) is named's own file: when it
 *    does not trust a key of the trust set, `rndc managed-keys destroy`
 *    is planned, and the reload (`rndc reconfig`) starts it again from the
 *    initial keys just written.  Observed with named 9.18.49: a new
 *    initial-key plus `rndc reconfig` leaves an existing key zone as it
 *    is, `rndc managed-keys refresh` cannot validate past the roll, and
 *    destroy plus reconfig with only the old key in the config still
 *    fails; destroy then reconfig after the rewrite validates at once.
 * No clock: `now` is what the caller gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define BF_RNDC "/usr/sbin/rndc"
#define BF_CONFIG "/etc/bind/named.conf"

/* 1 if clause b has root entries and some key of t->keys is in none. */
static int
is_bind_block_lacking(const struct bind_block *b, const struct fix_trust *t)
{
	size_t i, j;
	int root = 0, have;

	for (i = 0; i < b->nentries; i++)
		root |= b->entries[i].is_root;
	for (j = 0; root && j < t->nkeys; j++) {
		for (i = 0, have = 0; i < b->nentries && !have; i++)
			have = b->entries[i].is_root &&
			    is_anchor_for(&b->entries[i].anchor, &t->keys[j]);
		if (!have)
			return 1;
	}
	return 0;
}

/* 1 if clause b has a root entry to remove, or lacks a key of t->keys. */
static int
is_bind_block_stale(const struct bind_block *b, const struct fix_trust *t)
{
	size_t i;

	for (i = 0; i < b->nentries; i++)
		if (b->entries[i].is_root &&
		    !is_fix_kept(t, &b->entries[i].anchor))
			return 1;
	return is_bind_block_lacking(b, t);
}

/*
 * 1 if old (file as loaded now) has its anchor clauses where c read them:
 * the same offsets for each clause and entry, parsed again on their own.
 * Otherwise the file changed between the two reads.
 */
static int
is_bind_same_layout(const struct bind_conf *c, const char *file,
    const char *old)
{
	struct bind_conf *now = xcalloc(1, sizeof(*now));
	const struct bind_block *a, *b, **mine = NULL;
	char why[AW_ERR_MAX];
	size_t i, k, n = 0, seen = 0;
	int same = 0;

	now->main = file;
	now->bindkeys_grammar = c->bindkeys_grammar;
	memcpy(now->nc.cwd, c->nc.cwd, sizeof(now->nc.cwd));
	namedconf_open_text(&now->nc, file, old);
	if (bind_conf_parse_open(now, why, sizeof(why)) == -1)
		goto done;
	mine = xreallocarray(NULL, now->nblocks + 1, sizeof(*mine));
	for (i = 0; i < now->nblocks; i++)
		if (strcmp(now->blocks[i].file, file) == 0)
			mine[n++] = &now->blocks[i];
	/* c holds them once per time the file is included */
	for (i = 0; i < c->nblocks; i++) {
		a = &c->blocks[i];
		if (strcmp(a->file, file) != 0)
			continue;
		if (n == 0)
			goto done;
		b = mine[seen++ % n];
		if (a->off != b->off || a->end != b->end ||
		    a->close != b->close || a->nentries != b->nentries)
			goto done;
		for (k = 0; k < a->nentries; k++)
			if (a->entries[k].off != b->entries[k].off ||
			    a->entries[k].end != b->entries[k].end)
				goto done;
	}
	same = n == 0 || (seen > 0 && seen % n == 0);
done:
	free(mine);
	bind_conf_free(now);
	return same;
}

/*
 * The new content of file, whose stale clauses c holds, as a planned
 * edit.  The file is loaded again here; the result is parsed back (with
 * the bindkeys grammar for a bindkeys-file) and must hold only kept root
 * entries and every key of t->keys in each clause, or nothing is planned.
 */
static int
bind_repair_file(const struct bind_conf *c, const char *file,
    const struct fix_trust *t, struct fix_plan *p, char *err, size_t errlen)
{
	char why[AW_ERR_MAX] = "", *old = NULL, *text = NULL;
	struct bind_conf *back = xcalloc(1, sizeof(*back));
	size_t oldlen, len, i, n = p->nedits;
	int rv = -1;

	for (i = 0; i < c->nblocks; i++)
		if (c->blocks[i].is_split &&
		    strcmp(c->blocks[i].file, file) == 0) {
			snprintf(err, errlen, "%s:%u: this trust anchor clause "
			    "stands across files: it cannot be rewritten",
			    file, c->blocks[i].line);
			goto done;
		}
	if (fileio_load_text(file, &old, &oldlen, err, errlen) == -1)
		goto done;
	if (!is_bind_same_layout(c, file, old)) {
		snprintf(err, errlen, "%s: changed while being read", file);
		goto done;
	}
	if (bind_conf_write_file(c, file, old, oldlen, t, &text, &len, why,
	    sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: its trust anchor clauses cannot be "
		    "rewritten", file);
		goto done;
	}
	back->main = file;
	back->bindkeys_grammar = c->bindkeys_grammar;
	memcpy(back->nc.cwd, c->nc.cwd, sizeof(back->nc.cwd));
	namedconf_open_text(&back->nc, file, text);
	if (bind_conf_parse_open(back, err, errlen) == -1)
		goto done;
	for (i = 0; i < back->nblocks; i++)
		if (strcmp(back->blocks[i].file, file) == 0 &&
		    is_bind_block_stale(&back->blocks[i], t)) {
			snprintf(err, errlen, "%s:%u: the rewritten clause does "
			    "not read back as planned", file,
			    back->blocks[i].line);
			goto done;
		}
	if (fix_plan_file(p, file, text, len, why, err, errlen) == -1)
		goto done;
	if (p->nedits > n && (p->edits[n].oldlen != oldlen ||
	    memcmp(p->edits[n].old, old, oldlen) != 0)) {
		snprintf(err, errlen, "%s: changed while being read", file);
		goto done;
	}
	rv = 0;
done:
	bind_conf_free(back);
	free(old);
	free(text);
	return rv;
}

/* A static clause repaired: the RFC 5011 entries that would spare the
 * next repair are suggested (once), never written. */
static void
bind_repair_suggest_rfc5011(const struct bind_block *b,
    const struct fix_trust *t, struct fix_plan *p)
{
	const struct bind_entry *e = NULL;
	char *text;
	size_t i, len;

	for (i = 0; i < b->nentries && e == NULL; i++)
		if (b->entries[i].is_root)
			e = &b->entries[i];
	if (e == NULL || !e->is_static || (p->suggest != NULL &&
	    strstr(p->suggest, "RFC 5011") != NULL) ||
	    bind_conf_write_initial(t, e->anchor.is_ds, &text, &len) == -1)
		return;
	fix_plan_suggest(p, "# %s:%u: static root anchors need this repair at "
	    "every root KSK roll; for named to follow the roll itself (RFC "
	    "5011), put in place of the clause's root entries:\n%s", b->file,
	    b->line, text);
	free(text);
}

/*
 * Plan every file of c holding a stale root clause.  Clauses in mainfile
 * (the main configuration; NULL for a bindkeys-file) are never written:
 * their new text is suggested and *main set.  0, or -1 (err).
 */
static int
bind_repair_conf(const struct bind_conf *c, const char *mainfile,
    const struct fix_trust *t, struct fix_plan *p, int *main, char *err,
    size_t errlen)
{
	const struct bind_block *b;
	char why[AW_ERR_MAX] = "", *text, *old;
	size_t i, j, len, oldlen;

	for (i = 0; i < c->nblocks; i++) {
		b = &c->blocks[i];
		if (!is_bind_block_stale(b, t))
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(c->blocks[j].file, b->file) == 0 &&
			    is_bind_block_stale(&c->blocks[j], t))
				break;
		if (mainfile == NULL || strcmp(b->file, mainfile) != 0) {
			if (j == i && bind_repair_file(c, b->file, t, p, err,
			    errlen) == -1)
				return -1;
			bind_repair_suggest_rfc5011(b, t, p);
			continue;
		}
		*main = 1;
		if (fileio_load_text(b->file, &old, &oldlen, err,
		    errlen) == -1)
			return -1;
		if (bind_conf_write_block(old, oldlen, b, t, &text, &len, why,
		    sizeof(why)) == 0) {
			fix_plan_suggest(p, "# %s:%u: replace this clause with:"
			    "\n%s", b->file, b->line, text);
			free(text);
		}
		free(old);
	}
	return 0;
}

/* 1 if a key of t->keys is not trusted (Valid) in the key zone of s. */
static int
is_bind_keyzone_stale(const struct source *s, const struct fix_trust *t)
{
	size_t i, j;

	if (s->kind != SRC_AUTO || !s->is_stateful)
		return 0;
	for (j = 0; j < t->nkeys; j++) {
		for (i = 0; i < s->nanchors; i++)
			if (s->anchors[i].state == KS_VALID &&
			    is_anchor_for(&s->anchors[i], &t->keys[j]))
				break;
		if (i == s->nanchors)
			return 1;
	}
	return 0;
}

/*
 * A key zone that does not trust what it must: named never adds a new
 * initial key to a key zone that has keys for the name (`rndc reconfig`
 * and `rndc managed-keys refresh` leave it as it is, and a refresh cannot
 * validate past the roll); `rndc managed-keys destroy` and the reload
 * (`rndc reconfig`) start it again from the initial keys just written.
 */
static int
bind_repair_keyzones(const struct bind_conf *c, const struct resolver *r,
    const struct fix_trust *t, struct fix_plan *p, char *err, size_t errlen)
{
	const char *argv[16] = { BF_RNDC };
	char keyfile[AW_PATH_MAX];
	size_t i, n;

	for (i = 0; i < r->nsources; i++) {
		if (!is_bind_keyzone_stale(&r->sources[i], t))
			continue;
		n = bind_conf_rndc_args(c, argv, keyfile, sizeof(keyfile));
		argv[n++] = "managed-keys";
		argv[n++] = "destroy";
		if (r->sources[i].view[0] != '\0') {
			argv[n++] = "IN";
			argv[n++] = r->sources[i].view;
		}
		argv[n] = NULL;
		if (fix_plan_command(p, argv) == -1) {
			snprintf(err, errlen, "%s: too many views to "
			    "reinitialize", r->sources[i].path);
			return -1;
		}
	}
	return 0;
}

/* 1 if a view named reads with dnssec-validation auto. */
static int
is_bind_auto(const struct bind_conf *c)
{
	size_t i;
	enum bind_val v;

	if (c->nviews == 0)
		return c->val == BIND_VAL_AUTO || c->val == BIND_VAL_UNSET;
	for (i = 0; i < c->nviews; i++) {
		v = c->views[i].val != BIND_VAL_UNSET ? c->views[i].val :
		    c->val;
		if (c->views[i].is_in && (v == BIND_VAL_AUTO ||
		    v == BIND_VAL_UNSET))
			return 1;
	}
	return 0;
}

/* dnssec-validation auto: the bindkeys-file named reads, as any include;
 * the keys compiled into named cannot be changed: refused when they lack
 * a key to trust (an extra one only waits, unused, for a key zone to
 * start from). */
static int
bind_repair_bindkeys(const struct bind_conf *c, const struct fix_trust *t,
    struct fix_plan *p, char *err, size_t errlen)
{
	struct bind_conf *bk;
	size_t i;
	int file, rv = 0, main = 0;

	if (!is_bind_auto(c))
		return 0;
	bk = bind_conf_builtin(c, &file);
	for (i = 0; i < bk->nblocks && !file; i++)
		if (is_bind_block_lacking(&bk->blocks[i], t)) {
			snprintf(err, errlen, "named's built-in root keys lack "
			    "a key to trust: upgrade named, or give it a "
			    "bindkeys-file (options { bindkeys-file; }) "
			    "holding the keys");
			rv = -1;
		}
	if (file && bind_repair_conf(bk, NULL, t, p, &main, err,
	    errlen) == -1)
		rv = -1;
	bind_conf_free(bk);
	return rv;
}

/*
 * The repair hook (struct reader, aw-fix.h): root entries of the
 * trust-anchors, managed-keys and trusted-keys clauses of every include
 * file and of the bindkeys-file rewritten (bind-conf-write.c); clauses in
 * the main configuration (rc->config) only suggested, and then nothing is
 * written; a key zone that does not trust every key of t->keys destroyed
 * through rndc, so that the reload starts it from the new initial keys.
 */
int
bind_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p, char *err,
    size_t errlen)
{
	struct bind_conf *c = xcalloc(1, sizeof(*c));
	int main = 0, rv = -1;
	size_t i, n = 0;

	c->main = rc->config[0] != '\0' ? rc->config : BF_CONFIG;
	c->val = BIND_VAL_UNSET;
	if (r->dnssec == DNSSEC_OFF) {
		fix_plan_suggest(p, "# %s: validation is off: put "
		    "\"dnssec-validation auto;\" in options instead",
		    r->dnssec_where);
		rv = 0;
		goto done;
	}
	/* A key zone is named's to keep: its revoked and missing keys are
	 * its business, a key to trust that it does not is the repair's. */
	for (i = 0; i < r->nsources; i++)
		n += r->sources[i].is_stateful ?
		    is_bind_keyzone_stale(&r->sources[i], t) :
		    is_fix_needed(t, &r->sources[i]);
	if (n == 0) {
		rv = 0;
		goto done;
	}
	if (bind_conf_parse(c, c->main, err, errlen) == -1 ||
	    bind_repair_conf(c, c->main, t, p, &main, err, errlen) == -1 ||
	    bind_repair_bindkeys(c, t, p, err, errlen) == -1)
		goto done;
	if (main) {
		/* a half-repaired config is not offered: nothing is written */
		for (i = 0; i < p->nedits; i++) {
			free(p->edits[i].old);
			free(p->edits[i].text);
		}
		p->nedits = 0;
		snprintf(p->refused, sizeof(p->refused), "%s: root trust "
		    "anchors in the main configuration are never rewritten: "
		    "the clauses to put there are suggested below", c->main);
		rv = 0;
		goto done;
	}
	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].kind == SRC_TRUSTED_KEYS &&
		    is_fix_needed(t, &r->sources[i])) {
			snprintf(err, errlen, "%s: an anchor file of "
			    "anchorwatch.yaml, not one named.conf includes: "
			    "not rewritten", r->sources[i].path);
			goto done;
		}
	rv = bind_repair_keyzones(c, r, t, p, err, errlen);
done:
	bind_conf_free(c);
	(void)now;
	return rv;
}

