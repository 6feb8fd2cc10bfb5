/*
 * test_resolved.c: the systemd-resolved reader on fixture trees.
 *
 * The reader on files alone; t-resolved.sh runs the real daemon (252) on
 * the same kinds of lines.  tests/data/resolved/debian/etc/systemd/
 * resolved.conf is the file of Debian's systemd-resolved 252.39 package
 * as installed (extracted with apt-get download + dpkg-deb -x); good/,
 * ignored/ (lines resolved logs and ignores) and bad/ are hand-made
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

/* What resolved takes in a .positive file: mnemonics of algorithm and
 * digest type, a digest split by blanks, a digest of any length. */
static void
test_forms(void **state)
{
	struct resolver r;

	read_ok(R("good/forms"), &r);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_string_equal(tags(&r), "20326 38696 1");
	assert_int_equal(r.sources[0].anchors[0].ds.digestlen, 32);
	assert_int_equal(r.sources[0].anchors[0].ds.digest[16], 0x58);
	assert_int_equal(r.sources[0].anchors[2].ds.digestlen, 2);
	assert_int_equal(r.sources[0].anchors[2].line, 4);
	resolver_free(&r);
}

/* resolved never refuses to start over its files: it logs a line it
 * cannot use and goes on (t-resolved.sh shows it with the daemon).  The
 * reader reads them the same way. */
static void
test_ignored(void **state)
{
	static const char *const builtin[] = { "long", "class", "revoked",
	    "tag" };
	struct resolver r;
	size_t i;

	/* the one root anchor line is ignored: the built-ins apply */
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		char p[AW_PATH_MAX];

		snprintf(p, sizeof(p), DATA("resolved/ignored/%s/etc/systemd/"
		    "resolved.conf"), builtin[i]);
		read_ok(p, &r);
		assert_int_equal(r.nsources, 1);
		assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
		assert_int_equal(r.dnssec, DNSSEC_ON);
		resolver_free(&r);
	}
	/* a digest that is not hex: that line only */
	read_ok(R("ignored/digest"), &r);
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_string_equal(tags(&r), "20326");
	resolver_free(&r);
	/* "DNSSEC" without '=' in a drop-in: DNSSEC=yes stands */
	read_ok(R("ignored/conf"), &r);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
	/* DNSSEC=maybe: the default (no) stands */
	read_ok(R("ignored/value"), &r);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, R("ignored/value"));
	resolver_free(&r);
	/* DNSSEC= after DNSSEC=yes: yes stands */
	read_ok(R("ignored/empty"), &r);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
	/* "[Resolve" ends the reading: DNSSEC=yes after it, in the file and
	 * in a drop-in, is never read; DNSSEC=no before it stands */
	read_ok(R("ignored/section"), &r);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	resolver_free(&r);
	read_ok(R("ignored/stop"), &r);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, R("ignored/stop") ":2");
	resolver_free(&r);
}

/* A NUL byte is an error still: what resolved makes of it is not known. */
static void
test_bad(void **state)
{
	bad(R("bad/nul"), DATA("resolved/bad/nul/etc/dnssec-trust-anchors.d/"
	    "a.positive"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_on),
		cmocka_unit_test(test_masked),
		cmocka_unit_test(test_negative_root),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
