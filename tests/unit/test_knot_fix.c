/*
 * test_knot_fix.c: the repair of Knot Resolver (anchorwatch fix): the
 * root.keys writer of knot-keys.c against exact expected files under
 * tests/data/knot/fix/, what it writes read back by the same reader, and
 * the repair hook of anchor-knot.c (files planned, suggestions, refusal).
 */
#include "unit.h"
#include "fixset.h"
#include "knot.h"

#define FD KD "fix/"

/* 1 if some anchor of s that kresd trusts designates k. */
static int
is_trusting(const struct source *s, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < s->nanchors; i++)
		if (is_trusted_anchor(s, &s->anchors[i]) &&
		    is_anchor_for(&s->anchors[i], k))
			return 1;
	return 0;
}

/*
 * Rewrite FD in under t: the result must be FD out byte for byte, say
 * why, read back (knot_keys_read) trusting every key of t and holding
 * nothing t does not keep, and be left as it is by a second rewrite.
 */
static void
check_write(const char *in, int keep, const char *out, const char *why)
{
	char path[AW_PATH_MAX], tmp[] = "/tmp/aw-knot-fix-XXXXXX";
	char w[AW_ERR_MAX], *text, *want, *again;
	size_t len, wantlen, againlen, i;
	struct fix_trust t;
	struct source *s = xcalloc(1, sizeof(*s));
	FILE *f;
	int fd;

	fixset_trust(&t, keep);
	snprintf(path, sizeof(path), FD "%s", in);
	assert_int_equal(knot_keys_write(path, &t, &text, &len, w, sizeof(w),
	    err, sizeof(err)), 0);
	snprintf(path, sizeof(path), FD "%s", out);
	assert_int_equal(fileio_load(path, AW_FILE_MAX, &want, &wantlen, err,
	    sizeof(err)), 0);
	assert_int_equal(len, wantlen);
	assert_memory_equal(text, want, len);
	assert_string_equal(w, why);
	/* read back as kresd reads it */
	assert_true((fd = mkstemp(tmp)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	s->kind = SRC_AUTO;
	assert_int_equal(knot_keys_read(tmp, s, err, sizeof(err)), 1);
	for (i = 0; i < t.nkeys; i++)
		assert_true(is_trusting(s, &t.keys[i]));
	for (i = 0; i < s->nanchors; i++)
		assert_true(is_fix_kept(&t, &s->anchors[i]));
	assert_false(is_fix_needed(&t, s));
	assert_int_equal(knot_keys_write(tmp, &t, &again, &againlen, w,
	    sizeof(w), err, sizeof(err)), 0);
	unlink(tmp);
	assert_int_equal(againlen, len);
	assert_memory_equal(again, text, len);
	assert_string_equal(w, "");
	free(again);
	source_free(s);
	free(text);
	free(want);
	free(s);
}

/* kresd stuck on KSK-2017 after the roll. */
static void
test_stale(void **state)
{
	(void)state;
	check_write("stale.keys", 0, "stale.expected",
	    "remove 20326, add 38696");
	/* 20326 still published: it stays, 38696 is added after it */
	check_write("stale.keys", 1, "stale-keep.expected", "add 38696");
}

/* 38696 commented out in AddPend: written again as Valid. */
static void
test_addpend(void **state)
{
	(void)state;
	check_write("addpend.keys", 1, "addpend.expected", "add 38696");
	check_write("addpend.keys", 0, "addpend-gone.expected",
	    "remove 20326, add 38696");
}

/* A revoked key's commented record goes; the operator's comment stays. */
static void
test_revoked(void **state)
{
	(void)state;
	check_write("revoked.keys", 0, "revoked.expected", "remove 20326");
}

/* kresd's bootstrap file of DS records: new keys as SHA-256 DS. */
static void
test_ds(void **state)
{
	(void)state;
	check_write("ds.keys", 0, "ds.expected", "remove 20326");
	/* no LF at the end of the file: one is added before the new DS */
	check_write("ds-stale.keys", 0, "ds-stale.expected",
	    "remove 20326, remove 19036, add 38696");
}

/* Files the writer refuses: another zone's keys, one kresd refuses. */
static void
test_write_refused(void **state)
{
	struct fix_trust t;
	char w[AW_ERR_MAX], *text;
	size_t len;

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(knot_keys_write(GOOD("other-zone.keys"), &t, &text,
	    &len, w, sizeof(w), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no root anchor"));
	assert_null(text);
	assert_int_equal(knot_keys_write(BAD("paren.keys"), &t, &text, &len,
	    w, sizeof(w), err, sizeof(err)), -1);
	assert_int_equal(knot_keys_write(FD "missing.keys", &t, &text, &len,
	    w, sizeof(w), err, sizeof(err)), -1);
}

/* The hook on config (in FD) under t: its return; *p the plan. */
static int
repair(const char *config, int keep, struct fix_plan *p)
{
	char path[AW_PATH_MAX];
	struct resolver r;
	struct resolver_conf rc;
	struct fix_trust t;
	int rv;

	fixset_trust(&t, keep);
	snprintf(path, sizeof(path), FD "%s", config);
	if (read_in(KD "fix", path, NULL, &r) != 0)
		fail_msg("%s: %s", config, err);
	memset(&rc, 0, sizeof(rc));
	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	rv = knot_reader.repair(&rc, &r, &t, UNIT_NOW, p, err, sizeof(err));
	resolver_free(&r);
	return rv;
}

/* A managed root.keys is planned rewritten, as the writer says. */
static void
test_hook_managed(void **state)
{
	struct fix_plan p;
	char *want;
	size_t len;

	(void)state;
	assert_int_equal(repair("managed.conf", 0, &p), 0);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FD "stale.keys");
	assert_string_equal(p.edits[0].why, "remove 20326, add 38696");
	assert_int_equal(fileio_load(FD "stale.expected", AW_FILE_MAX, &want,
	    &len, err, sizeof(err)), 0);
	assert_int_equal(p.edits[0].len, len);
	assert_memory_equal(p.edits[0].text, want, len);
	assert_int_equal(p.suggestlen, 0);
	free(want);
	fix_plan_free(&p);
	/* kresd reads anchors at start: Debian's restart of its instances */
	assert_string_equal(knot_reader.reload[0], "/usr/bin/systemctl");
	assert_string_equal(knot_reader.reload[1], "try-restart");
	assert_string_equal(knot_reader.reload[2], "kresd@*.service");
	assert_null(knot_reader.reload[3]);
}

/* Anchors in the Lua config are main configuration: suggested only. */
static void
test_hook_inline(void **state)
{
	struct fix_plan p;

	(void)state;
	assert_int_equal(repair("inline.conf", 0, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_string_equal(p.suggest, "# " FD "inline.conf:2: the root "
	    "anchors there are to be replaced by:\n"
	    "trust_anchors.add('. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F"
	    "741219298D0A450D612C483AF444A4C0FB2B16')\n");
	fix_plan_free(&p);
	/* kresd 5.6 keeps only the last add(): two keys, one call */
	assert_int_equal(repair("inline.conf", 1, &p), 0);
	assert_string_equal(p.suggest, "# " FD "inline.conf:2: the root "
	    "anchors there are to be replaced by:\n"
	    "trust_anchors.add([[\n"
	    ". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C"
	    "483AF444A4C0FB2B16\n"
	    ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC68"
	    "3457104237C7F8EC8D\n]])\n");
	fix_plan_free(&p);
}

/* A read-only key file: its zone file records rewritten in their own
 * form (zonefile-write.c), no state comment added. */
static void
test_hook_readonly(void **state)
{
	struct fix_plan p;
	char *want;
	size_t len;

	(void)state;
	assert_int_equal(repair("readonly.conf", 0, &p), 0);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FD "static.keys");
	assert_string_equal(p.edits[0].why, "add 38696, remove 20326");
	assert_int_equal(fileio_load(FD "static.expected", AW_FILE_MAX, &want,
	    &len, err, sizeof(err)), 0);
	assert_int_equal(p.edits[0].len, len);
	assert_memory_equal(p.edits[0].text, want, len);
	free(want);
	fix_plan_free(&p);
}

/* A read-only file in root.keys form (state comments, a commented out
 * AddPend): written as kresd writes it, not as plain records. */
static void
test_hook_readonly_state(void **state)
{
	struct fix_plan p;
	char *want;
	size_t len;

	(void)state;
	assert_int_equal(repair("ro-state.conf", 1, &p), 0);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FD "addpend.keys");
	assert_string_equal(p.edits[0].why, "add 38696");
	assert_int_equal(fileio_load(FD "addpend.expected", AW_FILE_MAX,
	    &want, &len, err, sizeof(err)), 0);
	assert_int_equal(p.edits[0].len, len);
	assert_memory_equal(p.edits[0].text, want, len);
	free(want);
	fix_plan_free(&p);
}

/* dnssec/trust-anchors of a 6.x config.yaml: suggested as YAML items. */
static void
test_hook_yaml(void **state)
{
	struct fix_plan p;

	(void)state;
	assert_int_equal(repair("config.yaml", 0, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_string_equal(p.suggest, "# " FD "config.yaml:3: the root "
	    "anchors there are to be replaced by:\n"
	    "    - '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A4"
	    "50D612C483AF444A4C0FB2B16'\n");
	fix_plan_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_addpend),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_ds),
		cmocka_unit_test(test_write_refused),
		cmocka_unit_test(test_hook_managed),
		cmocka_unit_test(test_hook_inline),
		cmocka_unit_test(test_hook_readonly),
		cmocka_unit_test(test_hook_readonly_state),
		cmocka_unit_test(test_hook_yaml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
