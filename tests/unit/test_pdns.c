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

/* pdns-daemon.c's test hook: the daemon asked for its version. */
extern const char *pdns_daemon_binary;

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

/*
 * recursor.conf in YAML (PowerDNS's own 5.x packages install one): read
 * as YAML, as pdns_recursor 5.1 and later do, with the installed 4.8.8
 * too (it reads no YAML: the file is judged as the 5.x it is for).
 */
static void
test_yaml_conf(void **state)
{
	const char *installed = pdns_daemon_binary;
	struct resolver r;

	/* A host whose pdns_recursor says 4.x or 5.0 refuses it: they read
	 * recursor.conf old-style only ("unknown setting 'dnssec:'"). */
	if (access(installed, X_OK) == 0) {
		read_ok(F("good/y5/recursor.conf"), &r);
		if (strstr(r.refused, "y5/recursor.conf:3: ") == NULL)
			fail_msg("refused: \"%s\"", r.refused);
		resolver_free(&r);
	}
	/* With no daemon to ask, 5.1 and later: YAML by its content. */
	pdns_daemon_binary = "/nonexistent/pdns_recursor";
	read_ok(F("good/yaml.conf"), &r);
	assert_string_equal(r.refused, "");
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].kind, SRC_FILE);
	assert_string_equal(r.sources[0].decl_file, F("good/yaml.conf"));
	assert_int_equal(r.sources[0].decl_line, 5);
	assert_string_equal(tags(&r), "20326 38696");
	/* include_dir: 10-off.yml is read, 20-old.conf is not */
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, F("good/yaml.d/10-off.yml:3"));
	resolver_free(&r);
	pdns_daemon_binary = installed;

	/* old-style with colons in its values stays old-style */
	read_ok(F("good/colon.conf"), &r);
	assert_string_equal(r.refused, "");
	assert_string_equal(tags(&r), "20326");
	assert_int_equal(r.sources[0].kind, SRC_BUILTIN);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	resolver_free(&r);
}

/* What 5.1 and later take for YAML in a recursor.conf. */
static void
test_is_yaml_conf(void **state)
{
	assert_true(is_pdns_conf_yaml(F("good/yaml.conf")));
	assert_true(is_pdns_conf_yaml(F("good/empty.conf")));
	assert_false(is_pdns_conf_yaml(F("good/colon.conf")));
	assert_false(is_pdns_conf_yaml(F("good/colon-map.conf")));
	assert_false(is_pdns_conf_yaml(F("good/builtin.conf")));
	assert_false(is_pdns_conf_yaml(F("good/lua.conf")));
	assert_false(is_pdns_conf_yaml(F("bad/yaml-section.conf")));
	assert_false(is_pdns_conf_yaml(F("bad/yaml-scalar.conf")));
	assert_false(is_pdns_conf_yaml(F("bad/nul.conf")));
	assert_false(is_pdns_conf_yaml("/nonexistent/recursor.conf"));
}

static void
test_version(void **state)
{
	unsigned v[3];

	assert_false(pdns_daemon_has_38696("Nov 28 09:29:18 PowerDNS "
	    "Recursor 4.8.8 (C) 2001-2022 PowerDNS.COM BV"));
	assert_false(pdns_daemon_has_38696("PowerDNS Recursor 5.0.9"));
	assert_true(pdns_daemon_has_38696("PowerDNS Recursor 5.0.10"));
	assert_false(pdns_daemon_has_38696("PowerDNS Recursor 5.1.3"));
	assert_true(pdns_daemon_has_38696("PowerDNS Recursor 5.1.4"));
	assert_true(pdns_daemon_has_38696("PowerDNS Recursor 5.2.0"));
	assert_true(pdns_daemon_has_38696("PowerDNS Recursor 6.0.0"));
	assert_false(pdns_daemon_has_38696("PowerDNS Recursor 5.2"));
	assert_false(pdns_daemon_has_38696("PowerDNS Recursor 99999999999."
	    "1.1"));
	assert_false(pdns_daemon_has_38696("nothing"));
	assert_int_equal(pdns_daemon_version("PowerDNS Recursor 5.1.2 (C)",
	    v), 0);
	assert_true(v[0] == 5 && v[1] == 1 && v[2] == 2);
	assert_int_equal(pdns_daemon_version("PowerDNS Recursor 5.1", v), -1);
	assert_true(v[0] == 0 && v[1] == 0 && v[2] == 0);
}

static void
test_get_tas(void **state)
{
	struct resolver r;

	memset(&r, 0, sizeof(r));
	/* as rec_control 4.8 prints it */
	assert_int_equal(pdns_daemon_parse_tas("Configured Trust Anchors:\n"
	    "example.com.\n\t\t44030 8 2 d4c3\n.\n"
	    "\t\t20326 8 2 e06d44b80b8f\n\t\t38696 8 2 683d2d0a\n", &r), 0);
	assert_int_equal(r.nloaded, 2);
	assert_int_equal(r.loaded[0], 20326);
	assert_int_equal(r.loaded[1], 38696);
	assert_int_equal(pdns_daemon_parse_tas("Configured Trust Anchors:\n",
	    &r), 0);
	assert_int_equal(r.nloaded, 0);
	assert_int_equal(pdns_daemon_parse_tas("Unable to connect\n", &r), -1);
	assert_int_equal(pdns_daemon_parse_tas("Configured Trust Anchors:\n.\n"
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
	bad("bad/var.conf", "bad/var.lua", 3);
	bad("bad/concat.conf", "bad/concat.lua", 1);
	bad("bad/dup.yml", "bad/dup.yml", 3);
	bad("bad/merge.yml", "bad/merge.yml", 6);
	bad("bad/unterminated.yml", "bad/unterminated.yml", 5);
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

/* ---- what pdns_recursor refuses (issue 9) ------------------------------ */

/* A recursor.conf naming the Lua file lua (a staged fixture). */
static const char *
lua_conf(const char *lua)
{
	static char conf[AW_PATH_MAX];
	char l[AW_PATH_MAX];
	FILE *fp;

	snprintf(l, sizeof(l), "%s", F(lua));
	snprintf(conf, sizeof(conf), "%s/lua-test.conf", tmp);
	if ((fp = fopen(conf, "w")) == NULL)
		fail_msg("%s: cannot write", conf);
	fprintf(fp, "dnssec=validate\nlua-config-file=%s\n", l);
	fclose(fp);
	return conf;
}

/* The reader reads config with "FILE:LINE: pdns_recursor refuses to
 * start: why..." in r.refused (FILE staged), and no error. */
static void
refused(const char *config, const char *file, unsigned line,
    const char *why)
{
	char want[AW_ERR_MAX];
	struct resolver r;

	snprintf(want, sizeof(want), "%s:%u: pdns_recursor refuses to start: "
	    "%s", F(file), line, why);
	if (read_conf(config, &r) != 0)
		fail_msg("%s: %s", config, err);
	assert_string_equal(r.error, "");
	if (strncmp(r.refused, want, strlen(want)) != 0)
		fail_msg("want \"%s...\", got \"%s\"", want, r.refused);
	resolver_free(&r);
}

/*
 * Each of these makes the real pdns_recursor 4.8.8 exit at start
 * (t-pdns.sh runs it on the same fixtures): an unknown dnssec mode, Lua
 * that does not load, a DS it cannot parse, a file it cannot open.
 */
static void
test_refused(void **state)
{
	char c[AW_PATH_MAX];

	snprintf(c, sizeof(c), "%s", F("bad/mode.conf"));
	refused(c, "bad/mode.conf", 2, "dnssec: unknown mode \"paranoid\"");
	snprintf(c, sizeof(c), "%s", F("bad/nolua.conf"));
	refused(c, "bad/nolua.conf", 2, "");
	snprintf(c, sizeof(c), "%s", F("bad/string.conf"));
	refused(c, "bad/string.lua", 3, "string not closed");
	snprintf(c, sizeof(c), "%s", F("bad/comment.conf"));
	refused(c, "bad/comment.lua", 3, "long comment not closed");
	snprintf(c, sizeof(c), "%s", F("bad/tafile.conf"));
	refused(c, "bad/tafile.lua", 1, "");
	snprintf(c, sizeof(c), "%s", F("bad/tafilebad.conf"));
	refused(c, "bad/bad.key", 2, "");
	snprintf(c, sizeof(c), "%s", F("bad/mixed.yml"));
	refused(c, "bad/mixed.yml", 2, "lua_config_file and the YAML");
	refused(lua_conf("bad/refuse-syntax.lua"), "bad/refuse-syntax.lua", 2,
	    "'(' not closed");
	refused(lua_conf("bad/refuse-garbage.lua"), "bad/refuse-garbage.lua",
	    2, "bad DS record \"garbage\": expected digits");
	refused(lua_conf("bad/refuse-hex.lua"), "bad/refuse-hex.lua", 2,
	    "bad DS record \"20326 8 2 XYZ\": not a hexadecimal digit");
	refused(lua_conf("bad/refuse-tag.lua"), "bad/refuse-tag.lua", 2,
	    "bad DS record \"70000 8 2 e06d\": field 1 out of range");
	refused(lua_conf("bad/refuse-args.lua"), "bad/refuse-args.lua", 1,
	    "addTA: needs a name and a DS record");
	refused(lua_conf("bad/refuse-end.lua"), "bad/refuse-end.lua", 1,
	    "block without 'end'");
	refused(lua_conf("bad/refuse-dofile.lua"), "bad/refuse-dofile.lua", 2,
	    "/nonexistent/anchorwatch.lua: ");
	/* dofile in a loop: Lua's stack overflows */
	snprintf(c, sizeof(c), "%s", F("bad/loop.conf"));
	refused(c, "bad/loop/b.lua", 3, "dofile loop");
}

/*
 * A setting the installed pdns_recursor does not know: its own checker
 * (--config=check) says so, the reader names the file and line, in the
 * main file or an included one (recursor-NAME.conf: --config-name).
 * What it knows, Debian's recursor.conf included (test_debian), passes.
 */
static void
test_unknown_setting(void **state)
{
	struct resolver r;
	char c[AW_PATH_MAX];

	if (access("/usr/sbin/pdns_recursor", X_OK) != 0)
		skip();
	snprintf(c, sizeof(c), "%s", F("bad/unknown/recursor.conf"));
	refused(c, "bad/unknown/recursor.conf", 3, "unknown setting "
	    "'frobnicate'");
	snprintf(c, sizeof(c), "%s", F("bad/unknown-inc/recursor-lab.conf"));
	refused(c, "bad/unknown-inc/d/typo.conf", 2, "unknown setting "
	    "'lua-config-fle'");
	read_ok(F("good/known/recursor.conf"), &r);
	assert_string_equal(r.refused, "");
	resolver_free(&r);
}

/* What pdns_recursor 4.8.8 takes although keyset_parse_rr would not: a
 * short digest, an unknown digest type, a digest split by blanks. */
static void
test_accepted(void **state)
{
	struct resolver r;

	read_ok(lua_conf("good/accept-short.lua"), &r);
	assert_string_equal(r.refused, "");
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.sources[0].anchors[0].ds.digestlen, 5);
	resolver_free(&r);
	read_ok(lua_conf("good/accept-dt.lua"), &r);
	assert_string_equal(r.refused, "");
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.sources[0].anchors[0].ds.digest_type, 9);
	assert_int_equal(r.sources[1].anchors[0].ds.digestlen, 32);
	resolver_free(&r);
}

/* The --config-dir and --config-name a file name stands for. */
static void
test_daemon_name(void **state)
{
	char dir[AW_PATH_MAX], name[AW_PATH_MAX];

	assert_true(pdns_daemon_name("/etc/powerdns/recursor.conf", dir,
	    sizeof(dir), name, sizeof(name)));
	assert_string_equal(dir, "/etc/powerdns");
	assert_string_equal(name, "");
	assert_true(pdns_daemon_name("/srv/p/recursor-lab.yml", dir,
	    sizeof(dir), name, sizeof(name)));
	assert_string_equal(dir, "/srv/p");
	assert_string_equal(name, "lab");
	assert_true(pdns_daemon_name("/recursor-a.b.conf", dir, sizeof(dir),
	    name, sizeof(name)));
	assert_string_equal(dir, "/");
	assert_string_equal(name, "a.b");
	assert_false(pdns_daemon_name("/etc/recursor-.conf", dir, sizeof(dir),
	    name, sizeof(name)));
	assert_false(pdns_daemon_name("/etc/recursorx.conf", dir, sizeof(dir),
	    name, sizeof(name)));
	assert_false(pdns_daemon_name("/etc/recursor.lua", dir, sizeof(dir),
	    name, sizeof(name)));
	assert_false(pdns_daemon_name("recursor.conf", dir, sizeof(dir), name,
	    sizeof(name)));
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
		cmocka_unit_test(test_yaml_conf),
		cmocka_unit_test(test_is_yaml_conf),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_get_tas),
		cmocka_unit_test(test_loaded_no_daemon),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_yaml_alias),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_unknown_setting),
		cmocka_unit_test(test_daemon_name),
	};

	return cmocka_run_group_tests(tests, stage, unstage);
}
