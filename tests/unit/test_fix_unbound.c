/*
 * test_fix_unbound.c: the writers of unbound's anchor files for `fix`:
 * static zone-file anchors (zonefile-write.c) and the autotrust file
 * (autotrust.c), each on a fixture under tests/data/unbound/fix/ with the
 * exact text expected (FIXTURE.CASE.want), read back by the same reader;
 * then the unbound reader's repair hook on whole configurations.
 *
 * Trust sets: "roll" trusts KSK-2024 (38696) and KSK-2017 (20326), as
 * the root is today; "after" only 38696, as after 20326's revocation.
 * AW_WRITE_WANT=1 writes the .got files beside the fixtures for review.
 */
#include "ksk.h"
#include "unbound.h"

#define FIX(p) DATA("unbound/fix/" p)
#define NOW 1796371200LL        /* 2026-12-04T08:00:00Z */

/* Key k of the root reference into *out. */
static void
key_of(const char *rr, struct dnskey *out)
{
	struct anchor a;

	assert_int_equal(keyset_parse_rr(rr, &a, err, sizeof(err)), 1);
	*out = a.key;
}

/* The trust set: 38696, and with roll 20326 too. */
static void
trust(struct fix_trust *t, int roll)
{
	memset(t, 0, sizeof(*t));
	t->from = FIX_FROM_VIEW;
	key_of(KSK2024, &t->keys[t->nkeys++]);
	if (roll)
		key_of(KSK2017, &t->keys[t->nkeys++]);
	assert_int_equal(t->keys[0].tag, 38696);
}

/* Compare got (len) with the file want; AW_WRITE_WANT=1 writes got
 * beside it as .got for review. */
static void
check_want(const char *want, const char *got, size_t len)
{
	char path[AW_PATH_MAX], *exp = NULL;
	size_t explen = 0;
	FILE *f;

	if (getenv("AW_WRITE_WANT") != NULL) {
		snprintf(path, sizeof(path), "%s.got", want);
		assert_non_null(f = fopen(path, "w"));
		fwrite(got, 1, len, f);
		fclose(f);
	}
	if (fileio_load(want, AW_FILE_MAX, &exp, &explen, err,
	    sizeof(err)) == -1)
		fail_msg("%s", err);
	if (explen != len || memcmp(exp, got, len) != 0)
		fail_msg("%s: got:\n%.*s", want, (int)len, got);
	free(exp);
}

/* The anchors of text (a temporary file) as reader fn reads them. */
static void
reread(int (*fn)(const char *, struct source *, char *, size_t),
    const char *text, size_t len, struct source *s)
{
	char path[] = "/tmp/aw-test-fix-XXXXXX";
	FILE *f;
	int fd;

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fwrite(text, 1, len, f);
	assert_int_equal(fclose(f), 0);
	source_free(s);
	if (fn(path, s, err, sizeof(err)) != 0) {
		unlink(path);
		fail_msg("%s", err);
	}
	unlink(path);
}

/* 1 if s trusts k (an anchor for it, not revoked or removed). */
static int
is_trusted_in(const struct source *s, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		if (is_anchor_for(&s->anchors[i], k) &&
		    s->anchors[i].state != KS_REVOKED &&
		    s->anchors[i].state != KS_ADDPEND &&
		    s->anchors[i].state != KS_START &&
		    s->anchors[i].state != KS_REMOVED)
			return 1;
	return 0;
}

/*
 * File NAME (autr: an autotrust file) repaired under roll or
 * after: the text is NAME.CASE.want, why as given, and the same reader
 * reads it back trusting exactly t's keys, with no ;;REVOKED.
 */
static void
check_fix(int autr, const char *name, int roll, const char *why)
{
	int (*rd)(const char *, struct source *, char *, size_t) = autr ?
	    read_autr : zonefile_read_static;
	char path[AW_PATH_MAX], want[AW_PATH_MAX];
	struct source *s = xcalloc(1, sizeof(*s)), *back;
	struct zf_rewrite w;
	struct fix_trust t;
	char *old = NULL;
	size_t i;
	int rv;

	trust(&t, roll);
	snprintf(path, sizeof(path), FIX("%s"), name);
	snprintf(want, sizeof(want), "%s.%s.want", path, roll ? "roll" :
	    "after");
	memset(&w, 0, sizeof(w));
	if (rd(path, s, err, sizeof(err)) != 0 || fileio_load_text(path,
	    &old, &w.oldlen, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	w.path = path;
	w.old = old;
	w.s = s;
	w.t = &t;
	rv = autr ? autotrust_rewrite(path, old, w.oldlen, s, &t, &w.text,
	    &w.len, w.why, sizeof(w.why), err, sizeof(err)) :
	    zonefile_rewrite_static(&w, err, sizeof(err));
	if (rv != 0)
		fail_msg("%s", err);
	check_want(want, w.text, w.len);
	assert_string_equal(w.why, why);
	back = xcalloc(1, sizeof(*back));
	reread(rd, w.text, w.len, back);
	assert_false(back->is_zone_revoked);
	for (i = 0; i < t.nkeys; i++)
		assert_true(is_trusted_in(back, &t.keys[i]));
	assert_int_equal(back->nanchors, t.nkeys);
	source_free(back);
	free(back);
	free(w.text);
	free(old);
	source_free(s);
	free(s);
}

static void
test_static_dnskey(void **state)
{
	check_fix(0, "static.key", 1, "add 38696");
	check_fix(0, "static.key", 0, "add 38696, remove 20326");
}

/* A DS file gets a SHA-256 DS; its CRLF line ends are kept. */
static void
test_static_ds(void **state)
{
	check_fix(0, "static.ds", 0, "add 38696, remove 20326");
}

/* A dropped record whose owner the next one inherited: the owner is
 * written out; the parenthesised record goes whole. */
static void
test_static_multiline(void **state)
{
	check_fix(0, "static-multi.key", 0, "remove 20326");
	check_fix(0, "static-multi.key", 1, "");
}

/* No anchor yet and no final line end: the record goes at the end. */
static void
test_static_empty(void **state)
{
	check_fix(0, "static-empty.key", 1, "add 38696, add 20326");
}

/* The file changed since it was read: refused, nothing produced. */
static void
test_static_changed(void **state)
{
	struct source *s = xcalloc(1, sizeof(*s));
	struct zf_rewrite w;
	struct fix_trust t;
	char *old = NULL;

	trust(&t, 0);
	memset(&w, 0, sizeof(w));
	if (zonefile_read_static(FIX("static.key"), s, err, sizeof(err)) ||
	    fileio_load_text(FIX("static.ds"), &old, &w.oldlen, err,
	    sizeof(err)))
		fail_msg("%s", err);
	w.path = FIX("static.ds");
	w.old = old;
	w.s = s;
	w.t = &t;
	assert_int_equal(zonefile_rewrite_static(&w, err, sizeof(err)), -1);
	assert_null(w.text);
	assert_string_equal(err, FIX("static.ds") ":3: no anchor record there "
	    "any more: the file changed");
	s->anchors[0].line = 2;   /* a DS where a DNSKEY was read */
	assert_int_equal(zonefile_rewrite_static(&w, err, sizeof(err)), -1);
	assert_null(w.text);
	assert_non_null(strstr(err, "is no longer the anchor read there"));
	free(old);
	source_free(s);
	free(s);
}

/* ;;REVOKED and unbound's note cleared, the revoked key removed, the
 * successor added Valid in the daemon's own line, its lastchange the
 * file's last_success (the same text on every run). */
static void
test_autr_revoked(void **state)
{
	check_fix(1, "autr-revoked.key", 0, "clear ;;REVOKED, add 38696, "
	    "remove revoked 20454");
	/* only unbound's own note goes: a line it did not write stays */
	check_fix(1, "autr-revoked-note.key", 0, "clear ;;REVOKED, add 38696, "
	    "remove revoked 20454");
}

/* A key to trust that waits in AddPend is written anew as Valid, in
 * place; the old key goes. */
static void
test_autr_addpend(void **state)
{
	check_fix(1, "autr-addpend.key", 0, "trust 38696, remove 20326");
	check_fix(1, "autr-addpend.key", 1, "trust 38696");
}

/* A seed file (no probe header): the key is added as a plain record, a
 * seed unbound reads as Valid. */
static void
test_autr_seed(void **state)
{
	check_fix(1, "autr-seed.key", 1, "add 38696");
}

/* ---- the unbound reader's repair hook on whole configurations ---------- */

/* Read config conf and plan its repair under roll or after into p;
 * the hook's return. */
static int
plan_of(const char *conf, int roll, struct fix_plan *p)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_trust t;
	int rv;

	if (read_conf(conf, NULL, 0, &r) != 0)
		fail_msg("%s: %s", conf, err);
	trust(&t, roll);
	memset(&rc, 0, sizeof(rc));
	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	rv = unbound_reader.repair(&rc, &r, &t, NOW, p, err, sizeof(err));
	resolver_free(&r);
	return rv;
}

/* Edit i of p replaces path with the text of want, saying why. */
static void
check_edit(const struct fix_plan *p, size_t i, const char *path,
    const char *want, const char *why)
{
	assert_true(i < p->nedits);
	assert_string_equal(p->edits[i].path, path);
	assert_true(p->edits[i].existed);
	check_want(want, p->edits[i].text, p->edits[i].len);
	assert_string_equal(p->edits[i].why, why);
}

/* A static trust-anchor-file: rewritten; RFC 5011 suggested. */
static void
test_hook_static(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("static.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, FIX("static.key"), FIX("static.key.after.want"),
	    "add 38696, remove 20326");
	assert_int_equal(p.ncmds, 0);
	assert_string_equal(p.suggest, "# to follow the root's key rolls "
	    "(RFC 5011), name " FIX("static.key") " in auto-trust-anchor-file: "
	    "instead of trust-anchor-file: (unbound must be able to write it "
	    "and its directory)\n");
	fix_plan_free(&p);
	assert_int_equal(plan_of(FIX("static.conf"), 1, &p), 0);
	check_edit(&p, 0, FIX("static.key"), FIX("static.key.roll.want"),
	    "add 38696");
	fix_plan_free(&p);
	/* the file repaired: nothing to change, nothing suggested */
	assert_int_equal(plan_of(FIX("current.conf"), 1, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_null(p.suggest);
	fix_plan_free(&p);
}

/* Two static files: one trust point; the key to add goes to the first,
 * the second only loses its stale DS. */
static void
test_hook_two_files(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("two.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 2);
	check_edit(&p, 0, FIX("static.key"), FIX("static.key.after.want"),
	    "add 38696, remove 20326");
	assert_string_equal(p.edits[1].path, FIX("static.ds"));
	assert_string_equal(p.edits[1].text, "; DS of the root KSK\r\n"
	    "; trailing comment\r\n");
	assert_string_equal(p.edits[1].why, "remove 20326");
	fix_plan_free(&p);
}

/* An inline trust-anchor: is the main configuration: suggested, in its
 * own form (DS), never written. */
static void
test_hook_inline(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("inline.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_string_equal(p.suggest, "# remove the trust-anchor: of key "
	    "20326 at " FIX("inline.conf") ":3\nserver: trust-anchor: \". DS "
	    "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444"
	    "A4C0FB2B16\"\n");
	fix_plan_free(&p);
}

/* The root's autotrust file marked ;;REVOKED: cleared, the successor
 * trusted (the text of the writer test). */
static void
test_hook_revoked(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("revoked.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, FIX("autr-revoked.key"),
	    FIX("autr-revoked.key.after.want"), "clear ;;REVOKED, add 38696, "
	    "remove revoked 20454");
	assert_null(p.suggest);
	fix_plan_free(&p);
}

/* Validation off, or no anchor: the lines for unbound.conf, no file. */
static void
test_hook_suggest_only(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("noval.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_string_equal(p.suggest, "# " FIX("noval.conf") ":3: validation "
	    "is off; to validate:\nserver: module-config: \"validator "
	    "iterator\"\n");
	fix_plan_free(&p);
	assert_int_equal(plan_of(FIX("none.conf"), 0, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_string_equal(p.suggest, "# no trust anchor for the root: "
	    "unbound does not validate; seed one with unbound-anchor -a and "
	    "add:\nserver: auto-trust-anchor-file: "
	    "\"/var/lib/unbound/root.key\"\n");
	fix_plan_free(&p);
}

/* A trusted-keys-file that must change: refused with the reason. */
static void
test_hook_trusted_keys(void **state)
{
	struct fix_plan p;

	assert_int_equal(plan_of(FIX("tk.conf"), 0, &p), -1);
	assert_string_equal(err, "the root's static anchors are in a "
	    "trusted-keys-file, which this repair does not rewrite: add key "
	    "38696 by hand, or use auto-trust-anchor-file");
	fix_plan_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_dnskey),
		cmocka_unit_test(test_static_ds),
		cmocka_unit_test(test_static_multiline),
		cmocka_unit_test(test_static_empty),
		cmocka_unit_test(test_static_changed),
		cmocka_unit_test(test_autr_revoked),
		cmocka_unit_test(test_autr_addpend),
		cmocka_unit_test(test_autr_seed),
		cmocka_unit_test(test_hook_static),
		cmocka_unit_test(test_hook_two_files),
		cmocka_unit_test(test_hook_inline),
		cmocka_unit_test(test_hook_revoked),
		cmocka_unit_test(test_hook_suggest_only),
		cmocka_unit_test(test_hook_trusted_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
