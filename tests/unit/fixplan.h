/*
 * fixplan.h: what the repair tests of the static-anchor readers share
 * (test_dnsmasq_fix, test_resolved_fix).  Define FP_TYPE (the reader's
 * type) and FP_DATA (its directory under tests/data) first.
 *
 * fp_stage() copies tests/data/FP_DATA/fix under a temporary directory,
 * "@D@" in every file replaced by the copy's directory; FP("x/y") is the
 * staged path.  fp_trust() makes the trust set a repair gets from the
 * real root as of 2026-12-04 (KSK-2024 signs, KSK-2017 published) or
 * after KSK-2017's revocation.  fp_plan() plans the repair of a config
 * through fix_plan_all, as `anchorwatch fix` does (with fp_extra, if set,
 * as its anchor_files); fp_edit_is() compares
 * one planned file with an expected output file (tests/data/FP_DATA/fix,
 * "@D@" replaced too).
 */
#ifndef FIXPLAN_H
#define FIXPLAN_H
#include "unit.h"
#include "ksk.h"

static char fp_tmp[256];
static char fp_path[AW_PATH_MAX];
static struct config fp_cfg;
static const char *fp_extra;    /* staged path of an anchor_files entry */

static inline const char *
FP(const char *p)
{
	snprintf(fp_path, sizeof(fp_path), "%s/%s", fp_tmp, p);
	return fp_path;
}

static inline int
fp_stage(void **state)
{
	char cmd[1024];

	snprintf(fp_tmp, sizeof(fp_tmp), "/tmp/test_fix_" FP_DATA ".XXXXXX");
	if (mkdtemp(fp_tmp) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "cp -R tests/data/" FP_DATA "/fix/. %s/ "
	    "&& find %s -type f -exec sed -i \"s|@D@|%s|g\" {} +", fp_tmp,
	    fp_tmp, fp_tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static inline int
fp_unstage(void **state)
{
	return unit_rmtree(fp_tmp);
}

/* A DNSKEY of a presentation record, its tag computed. */
static inline struct dnskey
fp_key(const char *text)
{
	struct anchor a;
	char why[AW_ERR_MAX];

	assert_int_equal(keyset_parse_rr(text, &a, why, sizeof(why)), 1);
	return a.key;
}

enum fp_when {
	FP_NOW,         /* 38696 signs, 20326 published: both to trust */
	FP_HOLD,        /* 20326 inside the agent's hold-down: kept only */
	FP_REVOKED,     /* 20326 revoked: 38696 alone */
	FP_NOW_SWAPPED, /* FP_NOW, the keys in the other order (an answer's
	                   order varies from one query to the next) */
};

static inline void
fp_trust(struct fix_trust *t, enum fp_when when)
{
	memset(t, 0, sizeof(*t));
	t->from = FIX_FROM_VIEW;
	snprintf(t->how, sizeof(t->how), "the test's view");
	if (when == FP_NOW_SWAPPED)
		t->keys[t->nkeys++] = fp_key(KSK2017);
	t->keys[t->nkeys++] = fp_key(KSK2024);
	if (when == FP_NOW)
		t->keys[t->nkeys++] = fp_key(KSK2017);
	else if (when == FP_HOLD)
		t->keep[t->nkeep++] = fp_key(KSK2017);
}

/* Read config (staged path rel) with FP_TYPE's reader and plan its
 * repair under when into p (fp_done frees both). */
static inline void
fp_plan(const char *rel, enum fp_when when, struct resolver *r,
    struct fix_plan *p)
{
	struct resolver_conf *rc = &fp_cfg.resolvers[0];
	struct fix_trust t;
	char why[AW_ERR_MAX];

	config_defaults(&fp_cfg);
	memset(rc, 0, sizeof(*rc));
	snprintf(rc->name, sizeof(rc->name), "r1");
	snprintf(rc->type, sizeof(rc->type), "%s", FP_TYPE);
	snprintf(rc->config, sizeof(rc->config), "%s", FP(rel));
	if (fp_extra != NULL) {
		snprintf(rc->anchor_files[0], sizeof(rc->anchor_files[0]), "%s",
		    FP(fp_extra));
		rc->nanchor_files = 1;
	}
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "r1");
	snprintf(r->type, sizeof(r->type), "%s", FP_TYPE);
	if (reader_find(FP_TYPE)->read(rc, r, UNIT_NOW, why,
	    sizeof(why)) != 0)
		fail_msg("%s: %s", rel, why);
	fp_trust(&t, when);
	fix_plan_all(&fp_cfg, &t, r, 1, NULL, 0, UNIT_NOW, p);
}

static inline void
fp_done(struct resolver *r, struct fix_plan *p)
{
	fix_plan_free(p);
	resolver_free(r);
}

/* The staged file rel with "@D@" replaced, as a malloc'd string. */
static inline char *
fp_want(const char *rel, size_t *len)
{
	char *buf, why[AW_ERR_MAX];

	if (fileio_load(FP(rel), AW_FILE_MAX, &buf, len, why,
	    sizeof(why)) == -1)
		fail_msg("%s", why);
	return buf;
}

/* Edit i of p rewrites staged path rel, and its new content is the
 * staged file want. */
static inline void
fp_edit_is(const struct fix_plan *p, size_t i, const char *rel,
    const char *want)
{
	char *w;
	size_t len;

	assert_true(i < p->nedits);
	assert_string_equal(p->edits[i].path, FP(rel));
	w = fp_want(want, &len);
	if (len != p->edits[i].len || memcmp(w, p->edits[i].text, len) != 0)
		fail_msg("%s: got\n%s\nwant\n%s", rel, p->edits[i].text, w);
	free(w);
}
#endif
