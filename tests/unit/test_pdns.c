/*
 * test_pdns.c: the PowerDNS Recursor reader on real-format fixtures.
 *
 * tests/data/pdns/good holds recursor.conf files (include-dir, comments,
 * continuations), Lua configs (addTA, clearTA, readTrustAnchorsFromFile,
 * dofile, long strings and comments) and 5.x recursor.yml settings;
 * tests/data/pdns/debian holds the files exactly as Debian's
 * pdns-recursor 4.8.8 installs them; tests/data/pdns/bad holds hostile
 * files, each of which must fail with "file:line:" naming the right line.
 * Files name each other with absolute paths, as the daemon needs: "@D@" in
 * a fixture stands for its directory and is replaced in a copy made under
 * a temporary directory before the tests run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RT_TYPE "pdns-recursor"
#define RT_DATA "pdns"
#include "reader.h"

#define K20326 20326
#define K38696 38696
#define K19036 19036

static void
test_debian(void **state)
{
	struct resolver r;
	struct source *s;

	/* Debian's recursor.conf names /etc/powerdns/recursor.lua, which
	 * dofile()s rootkeys.lua: root.key of dns-root-data replaces the
	 * built-in set. */
	read_ok(F("debian/recursor.conf"), &r);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_FILE);
	assert_string_equal(s->path, "/usr/share/dns/root.key");
	assert_string_equal(s->decl_file,
	    "/usr/share/pdns-recursor/lua-config/rootkeys.lua");
	assert_int_equal(s->decl_line, 3);
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(s->anchors[0].state, KS_STATIC);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_string_equal(r.user, "pdns");
	resolver_free(&r);
}

static void
test_builtin(void **state)
{
	struct resolver r;

	read_ok(F("good/builtin.conf"), &r);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
	/* the installed daemon is 4.8.8: 20326 alone */
	assert_string_equal(tags(&r), "20326");
	/* "dnssec=\" continued by "off", then dnssec=process: on */
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
}

static void
test_lua(void **state)
{
	struct resolver r;

	read_ok(F("good/lua.conf"), &r);
	/* clearTA() drops the built-ins; the commented 19036 and the
	 * method call do not count; example.com is not the root */
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.nsources, 2);
	assert_int_equal(r.sources[0].kind, SRC_INLINE);
	assert_string_equal(r.sources[0].decl_file, F("good/anchors.lua"));
	assert_int_equal(r.sources[0].decl_line, 3);
	assert_int_equal(r.sources[1].decl_line, 7);
	assert_string_equal(r.user, "pdns-test");
	/* log-fail in lua.conf, then validate in recursor.d/10-dnssec.conf;
	 * 20-skip.txt is not a .conf file */
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
}

static void
test_tafile(void **state)
{
	struct resolver r;

	/* readTrustAnchorsFromFile replaces 19036; a later addTA adds */
	read_ok(F("good/file.conf"), &r);
	assert_string_equal(tags(&r), "20326 38696 38696");
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_string_equal(r.sources[0].decl_file, F("good/file.lua"));
	assert_int_equal(r.sources[0].decl_line, 2);
	assert_int_equal(r.sources[1].kind, SRC_INLINE);
	resolver_free(&r);
}

static void
test_cleared_off(void **state)
{
	struct resolver r;
	char where[AW_PATH_MAX + 16];

	read_ok(F("good/cleared.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	snprintf(where, sizeof(where), "%s:2", F("good/cleared.conf"));
	assert_string_equal(r.dnssec_where, where);
	resolver_free(&r);
}

static void
test_yaml(void **state)
{
	struct resolver r;

	/* a root entry replaces the built-ins; include_dir files extend */
	read_ok(F("good/recursor.yml"), &r);
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.sources[0].kind, SRC_INLINE);
	assert_string_equal(r.sources[0].decl_file, F("good/recursor.yml"));
	assert_int_equal(r.sources[0].decl_line, 17);
	assert_string_equal(r.sources[1].decl_file, F("good/yml.d/50-new.yml"));
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);

	read_ok(F("good/override.yml"), &r);
	assert_string_equal(tags(&r), "38696");
	resolver_free(&r);

	read_ok(F("good/tafile.yml"), &r);
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_int_equal(r.sources[0].decl_line, 3);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	resolver_free(&r);
}

static void
test_version(void **state)
{
	assert_false(pdns_builtin_has_38696("Nov 28 09:29:18 PowerDNS "
	    "Recursor 4.8.8 (C) 2001-2022 PowerDNS.COM BV"));
	assert_false(pdns_builtin_has_38696("PowerDNS Recursor 5.0.9"));
	assert_true(pdns_builtin_has_38696("PowerDNS Recursor 5.0.10"));
	assert_false(pdns_builtin_has_38696("PowerDNS Recursor 5.1.3"));
	assert_true(pdns_builtin_has_38696("PowerDNS Recursor 5.1.4"));
	assert_true(pdns_builtin_has_38696("PowerDNS Recursor 5.2.0"));
	assert_true(pdns_builtin_has_38696("PowerDNS Recursor 6.0.0"));
	assert_false(pdns_builtin_has_38696("PowerDNS Recursor 5.2"));
	assert_false(pdns_builtin_has_38696("PowerDNS Recursor 99999999999."
	    "1.1"));
	assert_false(pdns_builtin_has_38696("nothing"));
}

static void
test_get_tas(void **state)
{
	struct resolver r;

	memset(&r, 0, sizeof(r));
	/* as rec_control 4.8 prints it */
	assert_int_equal(pdns_parse_tas("Configured Trust Anchors:\n"
	    "example.com.\n\t\t44030 8 2 d4c3\n.\n"
	    "\t\t20326 8 2 e06d44b80b8f\n\t\t38696 8 2 683d2d0a\n", &r), 0);
	assert_int_equal(r.nloaded, 2);
	assert_int_equal(r.loaded[0], 20326);
	assert_int_equal(r.loaded[1], 38696);
	assert_int_equal(pdns_parse_tas("Configured Trust Anchors:\n",
	    &r), 0);
	assert_int_equal(r.nloaded, 0);
	assert_int_equal(pdns_parse_tas("Unable to connect\n", &r), -1);
	assert_int_equal(pdns_parse_tas("Configured Trust Anchors:\n.\n"
	    "\t\t99999 8 2 00\n", &r), -1);
}

static void
test_loaded_no_daemon(void **state)
{
	struct resolver_conf rc;
	struct resolver r;

	memset(&rc, 0, sizeof(rc));
	memset(&r, 0, sizeof(r));
	snprintf(rc.config, sizeof(rc.config), "%s", F("good/lua.conf"));
	/* socket-dir /run/pdns-test has no daemon: no answer, no error */
	assert_int_equal(pdns_loaded(&rc, &r, err, sizeof(err)), 0);
	assert_int_equal(r.have_loaded, 0);
}

static void
test_bad(void **state)
{
	bad("bad/nul.conf", "bad/nul.conf", 2);
	bad("bad/longline.conf", "bad/longline.conf", 2);
	bad("bad/mode.conf", "bad/mode.conf", 2);
	bad("bad/nolua.conf", "bad/nolua.conf", 2);
	bad("bad/string.conf", "bad/string.lua", 3);
	bad("bad/comment.conf", "bad/comment.lua", 3);
	bad("bad/var.conf", "bad/var.lua", 3);
	bad("bad/concat.conf", "bad/concat.lua", 1);
	bad("bad/tag.conf", "bad/tag.lua", 3);
	bad("bad/loop.conf", "bad/loop/b.lua", 3);
	bad("bad/tafile.conf", "bad/tafile.lua", 1);
	bad("bad/tafilebad.conf", "bad/bad.key", 2);
	bad("bad/dup.yml", "bad/dup.yml", 3);
	bad("bad/merge.yml", "bad/merge.yml", 6);
	bad("bad/unterminated.yml", "bad/unterminated.yml", 5);
	bad("bad/mixed.yml", "bad/mixed.yml", 2);
	bad("bad/tamap.yml", "bad/tamap.yml", 3);
	bad("bad/deep.yml", "bad/deep.yml", 2);
	bad("bad/hex.yml", "bad/hex.yml", 5);
}

static void
test_missing(void **state)
{
	struct resolver r;

	assert_int_equal(read_conf(F("good/none.conf"), &r), -1);
	assert_non_null(strstr(err, "none.conf"));
	resolver_free(&r);
}

/* recursor.yml is ordinary YAML to serde_yaml: aliases are followed
 * into what their anchor names (they were refused before issue 9). */
static void
test_yaml_alias(void **state)
{
	struct resolver r;

	read_ok(F("good/alias.yml"), &r);
	assert_string_equal(tags(&r), "38696");
	assert_int_equal(r.sources[0].kind, SRC_INLINE);
	assert_int_equal(r.sources[0].decl_line, 9);
	assert_string_equal(r.user, "validate");
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_lua),
		cmocka_unit_test(test_tafile),
		cmocka_unit_test(test_cleared_off),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_get_tas),
		cmocka_unit_test(test_loaded_no_daemon),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_yaml_alias),
	};

	return cmocka_run_group_tests(tests, stage, unstage);
}
