/*
 * test_knot.c: the Knot Resolver reader on real-format fixtures.
 *
 * tests/data/knot/good/kresd-*.keys were written by the real kresd 5.6.0
 * (Debian 12) following a roll of the harness's local root: Valid,
 * AddPend (commented out), Missing, Revoked (commented out, stored under
 * the unrevoked key), and after the revoked key was purged.  The configs
 * are Lua (kresd 5.x) and YAML (kresd 6.x, not packaged for Debian 12:
 * fixtures written after the 6.0 and 6.1 schemas).  sandbox-*.lua are
 * stand-ins for kresd's sandbox.lua, whose add_file() line is the
 * compiled-in default.  tests/data/knot/debian/ holds kresd.conf and
 * root.key exactly as Debian installs them.  tests/data/knot/bad/ holds
 * hostile files; each must fail with "FILE:LINE:" naming the right line.
 * The 6.x YAML configs are test_knot_yaml.c's.
 */
#include "knot.h"

/* ---- root.keys as the real kresd 5.6 writes it ------------------------- */

static void
test_keys_states(void **state)
{
	const struct source *s;
	struct resolver r;

	s = read_keys("kresd-valid.keys", 1, &r);
	check_anchor(&s->anchors[0], 0, KSK1, KS_VALID, 1);
	resolver_free(&r);
	/* AddPend is written commented out: loaded, not trusted */
	s = read_keys("kresd-addpend.keys", 2, &r);
	check_anchor(&s->anchors[0], 0, KSK1, KS_VALID, 1);
	check_anchor(&s->anchors[1], 0, KSK2, KS_ADDPEND, 2);
	resolver_free(&r);
	s = read_keys("kresd-two-valid.keys", 2, &r);
	check_anchor(&s->anchors[1], 0, KSK2, KS_VALID, 2);
	resolver_free(&r);
	s = read_keys("kresd-missing.keys", 2, &r);
	check_anchor(&s->anchors[1], 0, KSK2, KS_MISSING, 2);
	resolver_free(&r);
	/* Revoked: commented out, kept under the unrevoked key (flags 257) */
	s = read_keys("kresd-revoked.keys", 2, &r);
	check_anchor(&s->anchors[1], 0, KSK2, KS_VALID, 2);
	check_anchor(&s->anchors[0], 0, KSK1, KS_REVOKED, 1);
	assert_int_equal(s->anchors[0].key.flags, 257);
	resolver_free(&r);
	s = read_keys("kresd-after.keys", 1, &r);
	check_anchor(&s->anchors[0], 0, KSK2, KS_VALID, 1);
	resolver_free(&r);
}

static void
test_keys_formats(void **state)
{
	const struct source *s;
	struct resolver r;

	/* kresd's bootstrap output: DS records without states: Valid */
	s = read_keys("bootstrap.keys", 2, &r);
	check_anchor(&s->anchors[0], 1, 20326, KS_VALID, 2);
	check_anchor(&s->anchors[1], 1, 38696, KS_VALID, 3);
	resolver_free(&r);
	/* zone file syntax: $TTL, $ORIGIN, parentheses, omitted owner */
	s = read_keys("paren.keys", 2, &r);
	check_anchor(&s->anchors[0], 0, KSK1, KS_VALID, 4);
	check_anchor(&s->anchors[1], 1, KSK2, KS_VALID, 7);
	resolver_free(&r);
	s = read_keys("seed.key", 1, &r);
	check_anchor(&s->anchors[0], 0, KSK1, KS_VALID, 1);
	resolver_free(&r);
}

/* ---- kresd 5.x Lua configs --------------------------------------------- */

/* No anchor statement: the compiled-in default of sandbox.lua. */
static void
test_builtin(void **state)
{
	const struct source *s;
	struct resolver r;

	read_good(GOOD("none.conf"), &r);
	s = check_source(&r, SRC_BUILTIN, KD "good/builtin-root.key",
	    GOOD("sandbox-debian.lua"), 13, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 1);
	check_anchor(&s->anchors[1], 0, 38696, KS_VALID, 2);
	assert_string_equal(r.user, "knot-resolver");
	resolver_free(&r);
	/* an RPM-style build: a managed root.keys by default */
	knot_sandbox = GOOD("sandbox-managed.lua");
	memset(&r, 0, sizeof(r));
	{
		struct resolver_conf rc;

		memset(&rc, 0, sizeof(rc));
		snprintf(rc.config, sizeof(rc.config), GOOD("none.conf"));
		assert_int_equal(knot_read(&rc, &r, UNIT_NOW, err, sizeof(err)), 0);
	}
	check_source(&r, SRC_AUTO, KD "good/builtin-root.keys",
	    GOOD("sandbox-managed.lua"), 5, 1);
	resolver_free(&r);
}

static void
test_add_file(void **state)
{
	struct resolver r;

	read_good(GOOD("addfile-managed.conf"), &r);
	check_source(&r, SRC_AUTO, KD "good/kresd-two-valid.keys",
	    GOOD("addfile-managed.conf"), 3, 2);
	resolver_free(&r);
	read_good(GOOD("addfile-ro.conf"), &r);
	check_source(&r, SRC_FILE, KD "good/seed.key", GOOD("addfile-ro.conf"),
	    2, 1);
	assert_false(r.sources[0].have_probe);
	assert_string_equal(r.user, "knot-resolver");
	resolver_free(&r);
	read_good(GOOD("stringcall.conf"), &r);
	check_source(&r, SRC_AUTO, KD "good/kresd-valid.keys",
	    GOOD("stringcall.conf"), 1, 1);
	resolver_free(&r);
	/* a file for another zone leaves the root alone */
	read_good(GOOD("other-zone.conf"), &r);
	check_source(&r, SRC_BUILTIN, KD "good/builtin-root.key",
	    GOOD("sandbox-debian.lua"), 13, 2);
	resolver_free(&r);
	/* modules.unload('ta_update'): the managed file is no longer updated */
	read_good(GOOD("unload.conf"), &r);
	check_source(&r, SRC_FILE, KD "good/kresd-two-valid.keys",
	    GOOD("unload.conf"), 1, 2);
	resolver_free(&r);
	read_good(GOOD("dofile.conf"), &r);
	check_source(&r, SRC_FILE, KD "good/seed.key", KD "good/dofile-inc.lua",
	    1, 1);
	resolver_free(&r);
}

/* trust_anchors.add(): kresd 5.6 trusts only the last call's records. */
static void
test_add_inline(void **state)
{
	const struct source *s;
	struct resolver r;

	read_good(GOOD("add-inline.conf"), &r);
	s = check_source(&r, SRC_INLINE, GOOD("add-inline.conf"),
	    GOOD("add-inline.conf"), 3, 1);
	check_anchor(&s->anchors[0], 1, KSK2, KS_STATIC, 3);
	resolver_free(&r);
	read_good(GOOD("add-long.conf"), &r);
	s = check_source(&r, SRC_INLINE, GOOD("add-long.conf"),
	    GOOD("add-long.conf"), 1, 2);
	check_anchor(&s->anchors[0], 1, KSK1, KS_STATIC, 1);
	check_anchor(&s->anchors[1], 1, KSK2, KS_STATIC, 1);
	resolver_free(&r);
	/* \n, \x2e and \056 escapes */
	read_good(GOOD("add-escapes.conf"), &r);
	s = check_source(&r, SRC_INLINE, GOOD("add-escapes.conf"),
	    GOOD("add-escapes.conf"), 1, 2);
	check_anchor(&s->anchors[1], 1, KSK2, KS_STATIC, 1);
	resolver_free(&r);
}

static void
test_dnssec_off(void **state)
{
	struct resolver r;

	read_good(GOOD("remove.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, GOOD("remove.conf") ":4 "
	    "(trust_anchors.remove('.'))");
	resolver_free(&r);
	read_good(GOOD("nta.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, GOOD("nta.conf") ":2 (negative "
	    "trust anchor for '.')");
	resolver_free(&r);
	read_good(GOOD("remove-readd.conf"), &r);
	check_source(&r, SRC_AUTO, KD "good/kresd-valid.keys",
	    GOOD("remove-readd.conf"), 2, 1);
	resolver_free(&r);
	read_good(GOOD("nta-other.conf"), &r);
	check_source(&r, SRC_BUILTIN, KD "good/builtin-root.key",
	    GOOD("sandbox-debian.lua"), 13, 2);
	resolver_free(&r);
}

/* Comments and strings hide calls; only the last line counts. */
static void
test_comments(void **state)
{
	struct resolver r;

	read_good(GOOD("comments.conf"), &r);
	check_source(&r, SRC_FILE, KD "good/seed.key", GOOD("comments.conf"),
	    9, 1);
	resolver_free(&r);
}

/*
 * What the reader does not understand is ignored: non-literal arguments,
 * aliases of trust_anchors, mode('permissive') and modules.unload
 * ('validate') (the real kresd 5.6 still answers SERVFAIL for a stale
 * anchor with either), control flow (the call inside "if false" counts).
 */
static void
test_ignored(void **state)
{
	struct resolver r;

	read_good(GOOD("ignored.conf"), &r);
	check_source(&r, SRC_FILE, KD "good/seed.key", GOOD("ignored.conf"),
	    13, 1);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
}

static void
test_user(void **state)
{
	struct resolver r;

	read_good(GOOD("user.conf"), &r);
	assert_string_equal(r.user, "kresd");
	resolver_free(&r);
}

/* Extra anchor files of anchorwatch.yaml: with states, RFC 5011. */
static void
test_extra(void **state)
{
	struct resolver r;

	if (read_in(KD "good", GOOD("none.conf"), GOOD("kresd-addpend.keys"),
	    &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 2);
	assert_int_equal(r.sources[1].kind, SRC_AUTO);
	assert_int_equal(r.sources[1].nanchors, 2);
	resolver_free(&r);
	/* every key Valid, with state comments: still kresd's managed file */
	if (read_in(KD "good", GOOD("none.conf"), GOOD("kresd-two-valid.keys"),
	    &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.sources[1].kind, SRC_AUTO);
	resolver_free(&r);
	if (read_in(KD "good", GOOD("none.conf"), GOOD("seed.key"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.sources[1].kind, SRC_FILE);
	resolver_free(&r);
}

/* ---- Debian's files, as installed --------------------------------------- */

static void
test_debian(void **state)
{
	const struct source *s;
	struct resolver r;

	/* Debian's sandbox.lua: add_file('/usr/share/dns/root.key', true);
	 * our stand-in names the copy of that file */
	if (read_in(KD "debian", KD "debian/kresd.conf", NULL, &r) != 0)
		fail_msg("%s", err);
	s = check_source(&r, SRC_BUILTIN, KD "debian/root.key",
	    KD "debian/sandbox.lua", 3, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 1);
	check_anchor(&s->anchors[1], 0, 38696, KS_VALID, 2);
	assert_string_equal(r.user, "knot-resolver");
	resolver_free(&r);
	/* and the files installed on this host, when they are */
	knot_sandbox = NULL;
	if (access("/usr/lib/x86_64-linux-gnu/knot-resolver/sandbox.lua",
	    R_OK) != 0 || access("/usr/share/dns/root.key", R_OK) != 0)
		skip();
	memset(&r, 0, sizeof(r));
	{
		struct resolver_conf rc;

		memset(&rc, 0, sizeof(rc));
		snprintf(rc.config, sizeof(rc.config), KD "debian/kresd.conf");
		knot_workdir = "/var/lib/knot-resolver";
		assert_int_equal(knot_read(&rc, &r, UNIT_NOW, err, sizeof(err)), 0);
	}
	s = check_source(&r, SRC_BUILTIN, "/usr/share/dns/root.key",
	    "/usr/lib/x86_64-linux-gnu/knot-resolver/sandbox.lua", 515, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 1);
	check_anchor(&s->anchors[1], 0, 38696, KS_VALID, 2);
	assert_string_equal(r.user, "knot-resolver");
	resolver_free(&r);
}

/* ---- hostile files ------------------------------------------------------- */

static void
test_bad(void **state)
{
	static const char *cases[][2] = {
	    /* Lua */
	    { "nul.conf", "nul.conf:3: NUL byte" },
	    { "hugestr.conf", "hugestr.conf:2: string longer" },
	    { "nulesc.conf", "nulesc.conf:1: NUL byte in string" },
	    { "longname.conf", "longname.conf:2: name longer" },
	    { "addfile-badkeys.conf", "addfile-badkeys.conf:2: trust_anchors."
	      "add_file: " KD "bad/trunc.keys:2: " },
	    /* key files */
	    { "trunc.keys", "trunc.keys:2: " },
	    { "timer.keys", "timer.keys:1: Valid timer out of range" },
	    { "timer-commented.keys", "timer-commented.keys:2: AddPend" },
	    { "longline.keys", "longline.keys:3: line longer" },
	    { "nul.keys", "nul.keys:2: NUL byte" },
	    { "paren.keys", "paren.keys:1: '(' not closed" },
	    { "close.keys", "close.keys:1: ')' without '('" },
	    { "mixed.keys", "mixed.keys:2: root anchors mixed" },
	    { "empty.keys", "empty.keys:1: no trust anchor" },
	    { "toomany.keys", "toomany.keys:65: more than 64 anchors" },
	    { "b64.keys", "b64.keys:2: DNSKEY public key" },
	    { "directive.keys", "directive.keys:1: unsupported directive" },
	    { "ttl.keys", "ttl.keys:1: unsupported directive or bad value" },
	};
	char path[AW_PATH_MAX];
	struct resolver r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), KD "bad/%s", cases[i][0]);
		if (strstr(path, ".keys") != NULL)
			assert_int_equal(read_in(KD "bad", GOOD("none.conf"),
			    path, &r), -1);
		else
			assert_int_equal(read_in(KD "bad", path, NULL, &r), -1);
		if (strstr(err, cases[i][1]) == NULL ||
		    strstr(r.error, cases[i][1]) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i][0],
			    err, cases[i][1]);
		resolver_free(&r);
	}
}

/* ---- what kresd refuses (issue 9) ------------------------------------- */

/*
 * Lua that LuaJIT will not load, and calls kresd refuses: the reader
 * returns 0 with "FILE:LINE: kresd refuses to start: why" in r.refused
 * (CONFIG_REFUSED), and keeps what was read before.
 */
static void
test_lua_refused(void **state)
{
	static const char *cases[][2] = {
	    { "str.conf", "str.conf:3: kresd refuses to start: string not "
	      "closed" },
	    { "longstr.conf", "longstr.conf:2: kresd refuses to start: long "
	      "string not closed" },
	    { "longcomment.conf", "longcomment.conf:4: kresd refuses to "
	      "start: long comment not closed" },
	    { "paren.conf", "paren.conf:2: kresd refuses to start: '(' not "
	      "closed" },
	    { "table.conf", "table.conf:1: kresd refuses to start: '{' not "
	      "closed" },
	    { "badesc.conf", "badesc.conf:3: kresd refuses to start: invalid "
	      "escape" },
	    { "hexesc.conf", "hexesc.conf:2: kresd refuses to start: invalid "
	      "escape" },
	    { "noend.conf", "noend.conf:2: kresd refuses to start: block "
	      "without 'end'" },
	    { "mismatch.conf", "mismatch.conf:3: kresd refuses to start: ')' "
	      "where '}' is needed (line 1)" },
	    { "closes.conf", "closes.conf:2: kresd refuses to start: 'end' "
	      "closes nothing" },
	    { "add-managed.conf", "add-managed.conf:2: kresd refuses to start:"
	      " trust_anchors.add: the root keyset" },
	    { "nta-root.conf", "nta-root.conf:2: kresd refuses to start: "
	      "negative trust anchor for '.'" },
	    /* files missing, records kresd cannot parse (kresd 5.6 raises
	     * an error for each) */
	    { "dofile-missing.conf", "dofile-missing.conf:2: kresd refuses to "
	      "start: dofile: " },
	    { "addfile-missing.conf", "addfile-missing.conf:1: kresd refuses "
	      "to start: trust_anchors.add_file: " },
	    { "addfile-empty.conf", "addfile-empty.conf:1: kresd refuses to "
	      "start: trust_anchors.add_file: bad file name" },
	    { "add-bad.conf", "add-bad.conf:1: kresd refuses to start: "
	      "trust_anchors.add: DS" },
	    { "add-mixed.conf", "add-mixed.conf:1: kresd refuses to start: "
	      "trust_anchors.add: root anchors mixed" },
	    /* dofile in a loop: LuaJIT's stack overflows */
	    { "loop.conf", "loop-b.conf:2: kresd refuses to start: dofile "
	      "loop" },
	    /* 6.x renders it to the same Lua call */
	    { "nta-root.yaml", "nta-root.yaml:2: kresd refuses to start: "
	      "negative trust anchor for '.'" },
	};
	char path[AW_PATH_MAX], want[AW_ERR_MAX];
	struct resolver r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), KD "bad/%s", cases[i][0]);
		snprintf(want, sizeof(want), KD "bad/%s", cases[i][1]);
		if (read_in(KD "bad", path, NULL, &r) != 0)
			fail_msg("%s: %s", cases[i][0], err);
		assert_string_equal(r.error, "");
		if (strncmp(r.refused, want, strlen(want)) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i][0],
			    r.refused, want);
		resolver_free(&r);
	}
	/* what was read before the refusal stays: hexesc.conf's line 1 */
	assert_int_equal(read_in(KD "bad", BAD("hexesc.conf"), NULL, &r), 0);
	assert_int_equal(r.nsources, 1);
	assert_string_equal(r.sources[0].path, KD "bad/../good/seed.key");
	resolver_free(&r);
}

/* The reader with files kresd runs before config (its first -c). */
static int
read_pre(const char *pre1, const char *pre2, const char *config,
    struct resolver *r)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.type, sizeof(rc.type), "knot-resolver");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	snprintf(rc.config_pre[0], sizeof(rc.config_pre[0]), "%s", pre1);
	rc.nconfig_pre = 1;
	if (pre2 != NULL) {
		snprintf(rc.config_pre[1], sizeof(rc.config_pre[1]), "%s",
		    pre2);
		rc.nconfig_pre = 2;
	}
	knot_workdir = KD "good";
	knot_sandbox = GOOD("sandbox-debian.lua");
	err[0] = '\0';
	return knot_read(&rc, r, UNIT_NOW, err, sizeof(err));
}

/*
 * config_pre: kresd -c PRE -c CONF runs PRE first.  An anchor set there
 * holds unless the config changes it; Debian's distro-preconfig.lua
 * (copied from knot-resolver 5.6.0-1+deb12u1) sets none, so the
 * compiled-in default stays; a refusal in PRE is the daemon's too.
 */
static void
test_config_pre(void **state)
{
	struct resolver r;

	assert_int_equal(read_pre(GOOD("pre.lua"), NULL, GOOD("plain.conf"),
	    &r), 0);
	check_source(&r, SRC_FILE, KD "good/seed.key", GOOD("pre.lua"), 2, 1);
	resolver_free(&r);
	/* in order: the config's unload comes after pre's add_file */
	assert_int_equal(read_pre(KD "debian/distro-preconfig.lua",
	    GOOD("pre.lua"), GOOD("unload.conf"), &r), 0);
	check_source(&r, SRC_FILE, KD "good/kresd-two-valid.keys",
	    GOOD("unload.conf"), 1, 2);
	resolver_free(&r);
	assert_int_equal(read_pre(KD "debian/distro-preconfig.lua", NULL,
	    GOOD("plain.conf"), &r), 0);
	check_source(&r, SRC_BUILTIN, KD "good/builtin-root.key",
	    GOOD("sandbox-debian.lua"), 13, 2);
	assert_string_equal(r.refused, "");
	resolver_free(&r);
	assert_int_equal(read_pre(BAD("str.conf"), NULL, GOOD("plain.conf"),
	    &r), 0);
	assert_non_null(strstr(r.refused, "str.conf:3: kresd refuses"));
	resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_states),
		cmocka_unit_test(test_keys_formats),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_add_file),
		cmocka_unit_test(test_add_inline),
		cmocka_unit_test(test_dnssec_off),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_extra),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_lua_refused),
		cmocka_unit_test(test_config_pre),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
