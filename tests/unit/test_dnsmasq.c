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

#include "unit.h"

static char tmp[256];
static char err[AW_ERR_MAX];
static char path[AW_PATH_MAX];

static const char *
F(const char *p)
{
	snprintf(path, sizeof(path), "%s/%s", tmp, p);
	return path;
}

static int
stage(void **state)
{
	char cmd[1024];

	snprintf(tmp, sizeof(tmp), "/tmp/test_dnsmasq.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "cp -R tests/data/dnsmasq/good "
	    "tests/data/dnsmasq/bad tests/data/dnsmasq/debian %s/ && "
	    "for d in good bad; do find %s/$d -type f -exec "
	    "sed -i \"s|@D@|%s/$d|g\" {} +; done", tmp, tmp, tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int
unstage(void **state)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int
read_conf(const char *config, struct resolver *r)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "dnsmasq");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	err[0] = '\0';
	return dnsmasq_read(&rc, r, err, sizeof(err));
}

static void
read_ok(const char *config, struct resolver *r)
{
	if (read_conf(config, r) != 0)
		fail_msg("%s: %s", config, err);
}

static const char *
tags(const struct resolver *r)
{
	static char buf[256];
	size_t i, j, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
			    o ? " " : "",
			    keyset_anchor_tag(&r->sources[i].anchors[j]));
	return buf;
}

static void
bad(const char *config, const char *file, unsigned line)
{
	struct resolver r;
	char f[AW_PATH_MAX], want[AW_PATH_MAX + 16];

	snprintf(f, sizeof(f), "%s", F(file));
	assert_int_equal(read_conf(F(config), &r), -1);
	snprintf(want, sizeof(want), "%s:%u:", f, line);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("want \"%s...\", got \"%s\"", want, err);
	assert_string_equal(r.error, err);
	resolver_free(&r);
}

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
