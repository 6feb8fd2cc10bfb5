/*
 * test_resolved_fix.c: systemd-resolved's repair (`anchorwatch fix`): the
 * .positive writer and hook of anchor-resolved.c, on the trees of
 * tests/data/resolved/fix, against exact expected files.
 *
 *	etc1/		root.positive in /etc: a DS of KSK-2017, a non-root
 *			DS and a CH line resolved ignores
 *	usr1/		vendor.positive in /usr/lib, DNSKEYs: hidden by one of
 *			the same name in /etc
 *	builtin1/	the built-in anchors only; /usr/lib has a root.positive
 *			without root anchors
 *	masked1/	the built-in anchors; /etc's root.positive masked
 *	nodir1/		the built-in anchors, no /etc/dnssec-trust-anchors.d
 *	extra1/		a current root.positive, and a zone file of anchors
 *			(anchor_files) with a stale one
 *	old1/		KSK-2010 only
 */
#define FP_TYPE "systemd-resolved"
#define FP_DATA "resolved"
#include "fixplan.h"

#define CONF(t) t "/etc/systemd/resolved.conf"

/* A file of /etc is rewritten in place: the new DS after the root ones,
 * the lines resolved ignores kept. */
static void
test_etc(void **state)
{
	struct resolver r;
	struct fix_plan p;
	char why[AW_ERR_MAX];

	(void)state;
	fp_plan(CONF("etc1"), FP_NOW, &r, &p);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "etc1/etc/dnssec-trust-anchors.d/root.positive",
	    "etc1/want/root.positive");
	assert_true(p.edits[0].existed);
	assert_string_equal(p.edits[0].why, "add 38696");
	assert_int_equal(p.reload.argc, 3);
	assert_string_equal(p.reload.argv[0], "/usr/bin/systemctl");
	assert_string_equal(p.reload.argv[2], "systemd-resolved");
	fp_done(&r, &p);
	fp_plan(CONF("etc1"), FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "etc1/etc/dnssec-trust-anchors.d/root.positive",
	    "etc1/want/root-revoked.positive");
	assert_string_equal(p.edits[0].why, "remove 20326, add 38696");
	fp_done(&r, &p);
	/* what the repair writes needs no repair */
	fp_plan(CONF("etc1"), FP_NOW, &r, &p);
	assert_int_equal(fileio_write_atomic(p.edits[0].path, p.edits[0].text,
	    p.edits[0].len, why, sizeof(why)), 0);
	fp_done(&r, &p);
	fp_plan(CONF("etc1"), FP_NOW, &r, &p);
	assert_true(is_fix_plan_empty(&p));
	fp_done(&r, &p);
}

/* A file of /usr/lib is not written: one of the same name in /etc,
 * holding its content patched (a DNSKEY among DNSKEYs), hides it. */
static void
test_usr(void **state)
{
	struct resolver r;
	struct fix_plan p;
	char why[AW_ERR_MAX];

	(void)state;
	fp_plan(CONF("usr1"), FP_NOW, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "usr1/etc/dnssec-trust-anchors.d/vendor.positive",
	    "usr1/want/vendor.positive");
	assert_false(p.edits[0].existed);
	snprintf(why, sizeof(why), "add 38696; hides %s",
	    FP("usr1/usr/lib/dnssec-trust-anchors.d/vendor.positive"));
	assert_string_equal(p.edits[0].why, why);
	fp_done(&r, &p);
}

/* The built-in anchors: nothing while they hold the keys; once one is
 * revoked, /etc/dnssec-trust-anchors.d/root.positive, with what the
 * /usr/lib file of that name held, replaces them. */
static void
test_builtin(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_plan(CONF("builtin1"), FP_NOW, &r, &p);
	assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
	assert_true(is_fix_plan_empty(&p));
	assert_string_equal(p.refused, "");
	fp_done(&r, &p);
	fp_plan(CONF("builtin1"), FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "builtin1/etc/dnssec-trust-anchors.d/root.positive",
	    "builtin1/want/root-revoked.positive");
	assert_false(p.edits[0].existed);
	assert_non_null(strstr(p.edits[0].why, "remove 20326; replaces the "
	    "built-in anchors"));
	fp_done(&r, &p);
	/* no directory to write in (Debian's systemd ships none): refused,
	 * with the command that makes one */
	fp_plan(CONF("nodir1"), FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 0);
	assert_non_null(strstr(p.refused, "/etc/dnssec-trust-anchors.d: no "
	    "such directory (fix creates none): mkdir -m 0755 "));
	fp_done(&r, &p);
	/* a masked root.positive in /etc is not replaced: refused */
	fp_plan(CONF("masked1"), FP_REVOKED, &r, &p);
	assert_int_equal(p.nedits, 0);
	assert_non_null(strstr(p.refused, "not a regular file (masked?)"));
	fp_done(&r, &p);
}

/* A zone file of anchor_files loses its stale anchor through
 * zonefile-write.c; the current root.positive is left alone. */
static void
test_anchor_files(void **state)
{
	struct resolver r;
	struct fix_plan p;

	(void)state;
	fp_extra = "extra1/extra.ds";
	fp_plan(CONF("extra1"), FP_NOW, &r, &p);
	fp_extra = NULL;
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "extra1/extra.ds", "extra1/want/extra.ds");
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
	fp_plan(CONF("old1"), FP_NOW, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "old1/etc/dnssec-trust-anchors.d/root.positive", "old1/want/root.positive");
	fp_done(&r, &p);
	fp_plan(CONF("old1"), FP_NOW_SWAPPED, &r, &p);
	assert_int_equal(p.nedits, 1);
	fp_edit_is(&p, 0, "old1/etc/dnssec-trust-anchors.d/root.positive", "old1/want/root.positive");
	fp_done(&r, &p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_etc),
		cmocka_unit_test(test_usr),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_anchor_files),
	};

	return cmocka_run_group_tests(tests, fp_stage, fp_unstage);
}
