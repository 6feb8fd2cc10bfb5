/*
 * test_dnsmasq.c: the dnsmasq reader on real-format fixtures.
 *
 * tests/data/dnsmasq/debian is a tree of the files Debian's dnsmasq 2.90
 * packages install, as installed (etc/dnsmasq.conf, etc/default/dnsmasq,
 * usr/share/dnsmasq/init-system-common with its root.ds hook, and
 * dns-root-data's usr/share/dns/root.ds); the reader takes the part before
 * /etc/dnsmasq.conf as the root of that tree.  good/debian-on is the same
 * with the two DNSSEC lines of dnsmasq.conf uncommented.  good/ and bad/
 * hold hand-made configs; "@D@" in them stands for their directory and is
 * replaced in a copy made before the tests run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RT_TYPE "dnsmasq"
#define RT_DATA "dnsmasq"
#include "reader.h"

static void
test_debian(void **state)
{
	struct resolver r;
	struct source *s;
	char want[AW_PATH_MAX];

	/* As installed: no dnssec option, but the service passes root.ds
	 * as --trust-anchor options all the same. */
	read_ok(F("debian/etc/dnsmasq.conf"), &r);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_FILE);
	snprintf(want, sizeof(want), "%s", F("debian/usr/share/dns/root.ds"));
	assert_string_equal(s->path, want);
	snprintf(want, sizeof(want), "%s",
	    F("debian/usr/share/dnsmasq/init-system-common"));
	assert_string_equal(s->decl_file, want);
	assert_int_equal(s->decl_line, 65);
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, F("debian/etc/dnsmasq.conf"));
	assert_string_equal(r.user, "dnsmasq");
	resolver_free(&r);
}

static void
test_debian_on(void **state)
{
	struct resolver r;
	char want[AW_PATH_MAX + 16];

	/* dnssec and conf-file=/usr/share/dnsmasq/trust-anchors.conf
	 * uncommented: 20326 once more, from the packaged file */
	read_ok(F("good/debian-on/etc/dnsmasq.conf"), &r);
	assert_string_equal(tags(&r), "20326 38696 20326");
	assert_int_equal(r.sources[1].kind, SRC_INLINE);
	assert_string_equal(r.sources[1].path,
	    "/usr/share/dnsmasq/trust-anchors.conf");
	assert_int_equal(r.sources[1].decl_line, 6);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	snprintf(want, sizeof(want), "%s:26",
	    F("good/debian-on/etc/dnsmasq.conf"));
	assert_string_equal(r.dnssec_where, want);
	resolver_free(&r);
}

static void
test_good(void **state)
{
	struct resolver r;

	read_ok(F("good/dnsmasq.conf"), &r);
	/* trust-anchors.conf, the inline one with class IN, then conf.d:
	 * only 10-old.conf (the others are .bak, not *.conf, hidden, or
	 * #...#); example.com and the comment do not count */
	assert_string_equal(tags(&r), "20326 38696 19036");
	assert_int_equal(r.sources[1].decl_line, 5);
	assert_string_equal(r.sources[2].decl_file,
	    F("good/conf.d/10-old.conf"));
	assert_string_equal(r.user, "dnsmasq-test");
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);

	read_ok(F("good/off.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	resolver_free(&r);
}

static void
test_bad(void **state)
{
	bad("bad/nul.conf", "bad/nul.conf", 2);
	bad("bad/longline.conf", "bad/longline.conf", 2);
	bad("bad/quote.conf", "bad/quote.conf", 3);
	bad("bad/fields.conf", "bad/fields.conf", 2);
	bad("bad/tag.conf", "bad/tag.conf", 3);
	bad("bad/hex.conf", "bad/hex.conf", 1);
	bad("bad/loop.conf", "bad/loop-b.conf", 3);
	bad("bad/nodir.conf", "bad/nodir.conf", 2);
	bad("bad/nofile.conf", "bad/nofile.conf", 2);
	bad("bad/script.conf", "bad/script.conf", 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_debian_on),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, stage, unstage);
}
