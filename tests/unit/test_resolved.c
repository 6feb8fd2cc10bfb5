/*
 * test_resolved.c: the systemd-resolved reader on fixture trees.
 *
 * systemd-resolved cannot run here (see README), so its files are tested
 * alone.  tests/data/resolved/debian/etc/systemd/resolved.conf is the file
 * of Debian's systemd-resolved 252.39 package as installed (extracted
 * with apt-get download + dpkg-deb -x); good/ and bad/ are hand-made
 * trees.  The reader takes the part of the config path before
 * /etc/systemd/resolved.conf as the root of the tree: the drop-in and
 * dnssec-trust-anchors.d directories (/etc, /run, /usr/local/lib,
 * /usr/lib, /lib) are looked up under it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RT_TYPE "systemd-resolved"
#include "reader.h"

#define R(p) DATA("resolved/" p "/etc/systemd/resolved.conf")

static void
test_debian(void **state)
{
	struct resolver r;

	/* As packaged: every line commented, DNSSEC=no by default, no
	 * anchor files: the built-in set of Debian's 252.39 binary. */
	read_ok(R("debian"), &r);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, R("debian"));
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
	assert_string_equal(tags(&r), "20326 38696");
	assert_string_equal(r.user, "systemd-resolve");
	resolver_free(&r);
}

static void
test_on(void **state)
{
	struct resolver r;

	/* DNSSEC=no, then 50-vendor.conf yes, then /etc's 60-local.conf
	 * allow-downgrade (it hides /usr/lib's 60-local.conf); /etc's
	 * root.positive hides /usr/lib's (19036); example.com is no root
	 * anchor and the built-ins are replaced */
	read_ok(R("good/on"), &r);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_string_equal(r.sources[0].path,
	    DATA("resolved/good/on/etc/dnssec-trust-anchors.d/root.positive"));
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.sources[0].anchors[0].is_ds, 1);
	assert_int_equal(r.sources[0].anchors[0].line, 3);
	assert_int_equal(r.sources[0].anchors[1].is_ds, 0);
	assert_int_equal(r.sources[0].anchors[1].line, 5);
	resolver_free(&r);
}

static void
test_masked(void **state)
{
	struct resolver r;

	/* /etc's root.positive links to /dev/null: /usr/lib's is hidden
	 * and nothing names the root, so the built-ins apply */
	read_ok(R("good/masked"), &r);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
	assert_string_equal(tags(&r), "20326 38696");
	resolver_free(&r);
}

static void
test_negative_root(void **state)
{
	struct resolver r;

	read_ok(R("good/negroot"), &r);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, DATA("resolved/good/negroot/etc/"
	    "dnssec-trust-anchors.d/all.negative:2"));
	resolver_free(&r);
}

#define TA(t) DATA("resolved/bad/" t "/etc/dnssec-trust-anchors.d/a.positive")

static void
test_bad(void **state)
{
	bad(R("bad/nul"), TA("nul"), 2);
	bad(R("bad/long"), TA("long"), 2);
	bad(R("bad/class"), TA("class"), 3);
	bad(R("bad/revoked"), TA("revoked"), 1);
	bad(R("bad/digest"), TA("digest"), 2);
	bad(R("bad/tag"), TA("tag"), 1);
	bad(R("bad/conf"),
	    DATA("resolved/bad/conf/etc/systemd/resolved.conf.d/x.conf"), 3);
	bad(R("bad/value"), R("bad/value"), 2);
	bad(R("bad/section"), R("bad/section"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_on),
		cmocka_unit_test(test_masked),
		cmocka_unit_test(test_negative_root),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
