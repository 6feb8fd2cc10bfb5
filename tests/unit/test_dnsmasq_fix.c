/*
 * test_dnsmasq_fix.c: dnsmasq's repair (`anchorwatch fix`): the
 * trust-anchor= writer of dnsmasq-opt.c and the hook of anchor-dnsmasq.c,
 * on the trees of tests/data/dnsmasq/fix, against exact expected files.
 *
 *	inc/	anchors in a conf-file (KSK-2017, a non-root one) and a
 *		conf-dir file (KSK-2010); a hidden backup in the conf-dir
 *	main/	every root anchor in the main configuration: refused
 *	mixed/	a stale anchor in the main configuration, a current one in
 *		a conf-file
 *	noeol/	CRLF lines and last lines without a line feed
 *	long/	an anchor in the second fgets piece of a long line
 *	debian/	Debian's service with root.ds (a zone file) only
 *	old/	KSK-2010 only, in a conf-file
 */
#define FP_TYPE "dnsmasq"
#define FP_DATA "dnsmasq"
#include "fixplan.h"

/* The line dnsmasq's own trust-anchors.conf has for KSK-2017. */
static void
test_format(void **state)
{
	struct anchor a;
	char line[256], v[256];
	const char *why;
	struct dnskey k = fp_key(KSK2017);

	(void)state;
	assert_int_equal(keyset_ds_of_key(&k, 2, &a.ds), 0);
	assert_int_equal(dnsmasq_opt_format(&a.ds, line, sizeof(line)), 0);
	assert_string_equal(line, "trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C"
	    "0B0D7C65D08458E880409BBC683457104237C7F8EC8D");
	/* read back by the parser: the same DS */
	snprintf(v, sizeof(v), "%s", line + strlen("trust-anchor="));
	assert_int_equal(dnsmasq_opt_parse(v, &a, &why), 1);
	assert_true(is_anchor_for(&a, &k));
	assert_int_equal(dnsmasq_opt_format(&a.ds, line, 20), -1);
}

/* Included files are rewritten: the stale anchor goes where it was, the
 * new one takes its place in the last file; the rest stays. */
static void
test_included(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan("inc/dnsmasq.conf", FP_NOW, &r, &p);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "inc/conf.d/10-old.conf", "inc/want/10-old.conf");
	assert_string_equal(p.edits[0].why, "remove 19036, add 38696");
	assert_int_equal(p.reload.argc, 3);
	assert_string_equal(p.reload.argv[0], "/usr/bin/systemctl");
	assert_string_equal(p.reload.argv[1], "restart");
	assert_string_equal(p.reload.argv[2], "dnsmasq");
	fp_done(&r, &p);
	/* KSK-2017 inside the hold-down: kept all the same */
	fp_plan("inc/dnsmasq.conf", FP_HOLD, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "inc/conf.d/10-old.conf", "inc/want/10-old.conf");
	fp_done(&r, &p);
	/* KSK-2017 revoked: its line goes, the non-root one stays */
	fp_plan("inc/dnsmasq.conf", FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 2);
	fp_edit_is(&p, 0, "inc/anchors.conf", "inc/want/anchors-revoked.conf");
	assert_string_equal(p.edits[0].why, "remove 20326");
	fp_edit_is(&p, 1, "inc/conf.d/10-old.conf", "inc/want/10-old.conf");
	fp_done(&r, &p);
}

/* Every anchor in the main configuration: refused, the lines suggested,
 * nothing planned. */
static void
test_main_refused(void **state)
{
	struct resolver r;
	struct fix_plan p;
	char *want;
	size_t len;

	(void)state;
	fp_plan("main/dnsmasq.conf", FP_NOW, &r, &p);
	assert_non_null(strstr(p.refused, "fix never changes the main "
	    "configuration"));
	assert_int_equal(p.nedits, 0);
	want = fp_want("main/want.suggest", &len);
	assert_string_equal(p.suggest, want);
	free(want);
	fp_done(&r, &p);
}

/* A stale anchor in the main configuration stays there, its removal
 * suggested; the included file gets the new key. */
static void
test_mixed(void **state)
{
	struct resolver r;
	struct fix_plan p;
	char *want;
	size_t len;

	(void)state;
	fp_plan("mixed/dnsmasq.conf", FP_NOW, &r, &p);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "mixed/ta.conf", "mixed/want/ta.conf");
	want = fp_want("mixed/want.suggest", &len);
	assert_string_equal(p.suggest, want);
	free(want);
	fp_done(&r, &p);
}

/* Line ends kept as they are; a last line without LF gets one before a
 * new line follows it. */
static void
test_line_ends(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan("noeol/dnsmasq.conf", FP_NOW, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "noeol/ta2.conf", "noeol/want/ta2-now.conf");
	fp_done(&r, &p);
	fp_plan("noeol/dnsmasq.conf", FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 2);
	fp_edit_is(&p, 0, "noeol/ta.conf", "noeol/want/ta-revoked.conf");
	fp_edit_is(&p, 1, "noeol/ta2.conf", "noeol/want/ta2-revoked.conf");
	fp_done(&r, &p);
}

/* An anchor dnsmasq reads from the second piece of a long line cannot be
 * removed alone: the repair is refused. */
static void
test_long_line(void **state)
{
	struct resolver r;
	struct fix_plan p;
	char want[AW_PATH_MAX + 64];

	(void)state;
	fp_plan("long/dnsmasq.conf", FP_NOW, &r, &p);
	snprintf(want, sizeof(want), "%s:2: this trust-anchor= is part of a "
	    "line longer than 1024 bytes", FP("long/ta.conf"));
	if (strncmp(p.refused, want, strlen(want)) != 0)
		fail_msg("refused: %s", p.refused);
	assert_int_equal(p.nedits, 0);
	fp_done(&r, &p);
}

/* Debian's root.ds hook: the zone file is rewritten by zonefile-write.c,
 * in its own form, which the service's sed turns into --trust-anchor. */
static void
test_debian_rootds(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan("debian/etc/dnsmasq.conf", FP_NOW, &r, &p);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "debian/usr/share/dns/root.ds", "debian/want/root.ds");
	fp_done(&r, &p);
	fp_plan("debian/etc/dnsmasq.conf", FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "debian/usr/share/dns/root.ds",
	    "debian/want/root-revoked.ds");
	fp_done(&r, &p);
}

/* Nothing to do: nothing planned, nothing refused. */
static void
test_nothing(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan("noeol/want/ta2-now.conf", FP_NOW, &r, &p);
	assert_true(is_fix_plan_empty(&p));
	assert_string_equal(p.refused, "");
	fp_done(&r, &p);
}

/* Two keys to add go in key tag order whatever the order of the answer
 * they came in: the dry run and --apply must write the same. */
static void
test_order(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan("old/dnsmasq.conf", FP_NOW, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "old/ta.conf", "old/want/ta.conf");
	fp_done(&r, &p);
	fp_plan("old/dnsmasq.conf", FP_NOW_SWAPPED, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "old/ta.conf", "old/want/ta.conf");
	fp_done(&r, &p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_included),
		cmocka_unit_test(test_main_refused),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_debian_rootds),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, fp_stage, fp_unstage);
}
