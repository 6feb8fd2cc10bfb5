/*
 * test_bind.c: the BIND 9 reader on fixtures in named 9.18's formats.
 *
 * tests/data/bind/debian/ holds the config exactly as Debian's bind9
 * package installs it (/etc/bind/named.conf*, bind.keys);
 * tests/data/bind/good/ views, legacy statements, dnssec-validation no and
 * yes without anchors, and key zones (managed-keys.bind, <view>.mkeys) in
 * the style named dumps them and in the RFC 3597 generic form its journal
 * tool prints.  tests/data/bind/bad/ holds hostile files; each must fail
 * cleanly with an error naming the right file and line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define GOOD(p) DATA("bind/good/" p)
#define BAD(p) DATA("bind/bad/" p)

static char err[AW_ERR_MAX];

static int
read_conf(const char *config, struct resolver *r)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "bind");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	snprintf(r->name, sizeof(r->name), "test");
	err[0] = '\0';
	return bind_read(&rc, r, UNIT_NOW, err, sizeof(err));
}

static void
check_anchor(const struct anchor *a, int is_ds, uint16_t tag,
    enum ks_state st, unsigned line)
{
	assert_int_equal(a->is_ds, is_ds);
	assert_int_equal(keyset_anchor_tag(a), tag);
	assert_int_equal(a->state, st);
	assert_int_equal(a->line, line);
}

/* Debian's files as installed: dnssec-validation auto, bind.keys. */
static void
test_debian(void **state)
{
	struct resolver r;
	struct source *s;

	(void)state;
	if (access("/etc/bind/bind.keys", R_OK) == -1)
		skip();
	if (read_conf(DATA("bind/debian/named.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.user, "bind");
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_AUTO);
	assert_string_equal(s->path, "/var/cache/bind/managed-keys.bind");
	assert_string_equal(s->decl_file, "/etc/bind/named.conf.options");
	assert_int_equal(s->decl_line, 21);
	assert_string_equal(s->view, "");
	if (access(s->path, F_OK) == 0) {
		resolver_free(&r);
		skip();         /* a named ran here: its state wins */
	}
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 46);
	check_anchor(&s->anchors[1], 1, 38696, KS_VALID, 57);
	resolver_free(&r);
}

/* The installed files parse the same as the fixture copies. */
static void
test_debian_fixture_is_installed(void **state)
{
	static const char *names[] = { "named.conf", "named.conf.options",
	    "named.conf.local", "named.conf.default-zones", "bind.keys" };
	char a[512], b[512], *x, *y;
	size_t i, xl, yl;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(a, sizeof(a), "/etc/bind/%s", names[i]);
		snprintf(b, sizeof(b), DATA("bind/debian/%s"), names[i]);
		if (access(a, R_OK) == -1)
			continue;
		if (fileio_load(a, AW_FILE_MAX, &x, &xl, err, sizeof(err)) ||
		    fileio_load(b, AW_FILE_MAX, &y, &yl, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(xl, yl);
		assert_memory_equal(x, y, xl);
		free(x);
		free(y);
	}
}

/* Views: own anchors and validation, top level anchors in each, key zone
 * states, hashed .mkeys name, CHAOS view ignored. */
static void
test_views(void **state)
{
	struct resolver r;
	struct source *s;

	(void)state;
	if (read_conf(GOOD("views.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 3);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_INLINE);
	assert_string_equal(s->view, "internal");
	assert_string_equal(s->decl_file, GOOD("views.conf"));
	assert_int_equal(s->decl_line, 13);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 20326, KS_STATIC, 14);
	s = &r.sources[1];
	assert_int_equal(s->kind, SRC_AUTO);
	assert_string_equal(s->view, "internal");
	assert_string_equal(s->path, GOOD("mk/internal.mkeys"));
	assert_int_equal(s->decl_line, 9);
	assert_int_equal(s->nanchors, 3);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 10);
	check_anchor(&s->anchors[1], 0, 38696, KS_ADDPEND, 22);
	check_anchor(&s->anchors[2], 0, 38824, KS_REVOKED, 34);
	s = &r.sources[2];
	assert_int_equal(s->kind, SRC_AUTO);
	assert_string_equal(s->view, "External");
	/* upper case: isc_file_sanitize's truncated SHA-256 of the name */
	assert_string_equal(s->path, GOOD("mk/68c114ea9c8c6604.mkeys"));
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 1, 38696, KS_VALID, 9);
	check_anchor(&s->anchors[1], 0, 20326, KS_VALID, 20);
	resolver_free(&r);
}

/* managed-keys and trusted-keys through a relative include after
 * directory; a placeholder-only key zone leaves the config's keys. */
static void
test_legacy(void **state)
{
	struct resolver r;
	struct source *s;

	(void)state;
	if (read_conf(GOOD("legacy.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 2);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_FILE);
	assert_string_equal(s->path, GOOD("inc/anchors.conf"));
	assert_int_equal(s->decl_line, 5);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 38696, KS_STATIC, 6);
	s = &r.sources[1];
	assert_int_equal(s->kind, SRC_AUTO);
	assert_string_equal(s->path, GOOD("mk/legacy/managed-keys.bind"));
	assert_string_equal(s->decl_file, GOOD("inc/anchors.conf"));
	assert_int_equal(s->decl_line, 3);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 3);
	resolver_free(&r);
}

/* A key zone in RFC 3597 form: the file's key replaces the config's. */
static void
test_generic(void **state)
{
	struct resolver r;

	(void)state;
	if (read_conf(GOOD("generic.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].nanchors, 1);
	check_anchor(&r.sources[0].anchors[0], 0, 20326, KS_VALID, 4);
	resolver_free(&r);
}

/* No bind.keys: named's compiled-in anchors (9.18.49: 20326, 38696). */
static void
test_builtin(void **state)
{
	struct resolver r;
	struct source *s;

	(void)state;
	if (read_conf(GOOD("builtin.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_AUTO);
	assert_string_equal(s->path, "/nonexistent/managed-keys.bind");
	assert_string_equal(s->decl_file, "named built-in trust anchors");
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 2);
	check_anchor(&s->anchors[1], 1, 38696, KS_VALID, 3);
	resolver_free(&r);
}

static void
test_validation_off(void **state)
{
	struct resolver r;

	(void)state;
	if (read_conf(GOOD("off.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, GOOD("off.conf") ":3");
	assert_int_equal(r.nsources, 0);
	resolver_free(&r);
}

/* dnssec-validation yes and no anchor: nothing (NO_ANCHOR downstream). */
static void
test_yes_without_anchor(void **state)
{
	struct resolver r;

	(void)state;
	if (read_conf(GOOD("none.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	assert_int_equal(r.nsources, 0);
	resolver_free(&r);
}

/* Each hostile file fails with "FILE:LINE:" naming the right place. */
static void
test_bad(void **state)
{
	static const struct {
		const char *conf, *where;
	} cases[] = {
		{ "b64.conf", "b64.conf:3:" },
		{ "brace.conf", "brace.conf:1: options not closed" },
		{ "comment.conf", "comment.conf:2: comment not closed" },
		{ "deep.conf", "deep.conf:1: include loop" },
		{ "longtoken.conf", "longtoken.conf:3: token longer" },
		{ "loop-a.conf", "loop-b.conf:3: include loop" },
		{ "missing-include.conf", "missing-include.conf:3: include:" },
		{ "mkeys-paren.conf", "mkp/managed-keys.bind:4:" },
		{ "mkeys-serial.conf", "mks/managed-keys.bind:3: bad SOA" },
		{ "mkeys-time.conf", "mkt/managed-keys.bind:3: bad KEYDATA time" },
		{ "nul.conf", "nul.conf:3: NUL byte" },
		{ "overflow.conf", "overflow.conf:3: bad flags" },
		{ "quote.conf", "quote.conf:2: quote not closed" },
		{ "stray.conf", "stray.conf:2: unexpected '}'" },
		{ "truncated.conf", "truncated.conf:2:" },
		{ "type.conf", "type.conf:2: unknown anchor type" },
		{ "validation.conf", "validation.conf:2: dnssec-validation" },
		{ "view-open.conf", "view-open.conf:1: view \"a\" not closed" },
	};
	struct resolver r;
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), BAD("%s"), cases[i].conf);
		if (read_conf(path, &r) != -1)
			fail_msg("%s: read succeeded", path);
		if (strstr(err, cases[i].where) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", path, err,
			    cases[i].where);
		assert_string_equal(r.error, err);
		resolver_free(&r);
	}
}

/* A missing config is an error naming it; loaded leaves have_loaded 0
 * when rndc cannot reach a daemon. */
static void
test_missing_and_loaded(void **state)
{
	struct resolver_conf rc;
	struct resolver r;

	(void)state;
	assert_int_equal(read_conf(BAD("no-such.conf"), &r), -1);
	assert_non_null(strstr(err, BAD("no-such.conf")));
	resolver_free(&r);
	memset(&rc, 0, sizeof(rc));
	memset(&r, 0, sizeof(r));
	snprintf(rc.config, sizeof(rc.config), "%s", GOOD("legacy.conf"));
	/* controls names 127.0.0.1:953; nothing answers in a test run
	 * without named, and a failing rndc is no error. */
	if (access("/usr/sbin/rndc", X_OK) == 0 &&
	    system("rndc status >/dev/null 2>&1") == 0)
		skip();
	assert_int_equal(bind_loaded(&rc, &r, err, sizeof(err)), 0);
	assert_int_equal(r.have_loaded, 0);
	assert_int_equal(r.nloaded, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_debian_fixture_is_installed),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_generic),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_validation_off),
		cmocka_unit_test(test_yes_without_anchor),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_missing_and_loaded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
