/*
 * test_unbound.c: the unbound reader on real-format fixtures.
 *
 * tests/data/unbound/good/ holds files unbound 1.17 itself accepts
 * (checked with unbound-checkconf): autr files as the daemon writes them
 * in each RFC 5011 state, a seed, a zone-file anchor file, BIND-syntax
 * trusted keys, and configs with include globs, clauses, chroot and
 * directory.  tests/data/unbound/bad/ holds hostile files; each must fail
 * cleanly with an error naming the right file and line (unbound itself
 * accepts most of them, skipping what it cannot use).
 * What unbound refuses to start with, unbound-checkconf as the referee and
 * the real-world trees are test_unbound_real.c's.
 */
#include "unbound.h"

static void
test_autr_pending(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-pending.key"));

	assert_int_equal(s->kind, SRC_AUTO);
	assert_true(s->have_probe);
	assert_false(s->is_zone_revoked);
	assert_int_equal(s->last_queried, T);
	assert_int_equal(s->last_success, T - 5);
	assert_int_equal(s->next_probe_time, T + 43200);
	assert_int_equal(s->query_failed, 2);
	assert_int_equal(s->query_interval, 43200);
	assert_int_equal(s->retry_time, 8640);
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 38696, KS_ADDPEND, 9);
	assert_int_equal(s->anchors[0].count, 1);
	assert_int_equal(s->anchors[0].lastchange, T);
	check_anchor(&s->anchors[1], 0, 20326, KS_VALID, 10);
	assert_int_equal(s->anchors[1].count, 0);
	assert_int_equal(s->anchors[1].lastchange, T - 86400);
}

static void
test_autr_revoked_key(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-revoked.key"));
	struct anchor k;

	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 38696, KS_VALID, 9);
	check_anchor(&s->anchors[1], 0, 20454, KS_REVOKED, 10);
	assert_int_equal(s->anchors[1].key.flags, 385);
	assert_int_equal(s->anchors[1].lastchange, T - 50);
	/* the revoked entry is still the KSK-2017 key */
	assert_int_equal(keyset_parse_rr(". IN DS 20326 8 2 E06D44B80B8F1D39A95"
	    "C0B0D7C65D08458E880409BBC683457104237C7F8EC8D", &k, err,
	    sizeof(err)), 1);
	assert_true(is_anchor_for(&k, &s->anchors[1].key));
	assert_false(s->is_zone_revoked);
}

static void
test_autr_missing(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-missing.key"));

	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_MISSING, 9);
	assert_int_equal(s->anchors[0].lastchange, T - 7);
	check_anchor(&s->anchors[1], 0, 38696, KS_VALID, 10);
}

static void
test_autr_zone_revoked(void **state)
{
	struct source *s = read_ok(read_autr,
	    GOOD("autr-zone-revoked.key"));

	assert_true(s->is_zone_revoked);
	assert_true(s->have_probe);
	assert_int_equal(s->last_success, T - 5);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 20454, KS_REVOKED, 15);
}

/* A seed the daemon has not rewritten yet: trusted, no probe data. */
static void
test_autr_seed(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-seed.key"));

	assert_false(s->have_probe);
	assert_false(s->is_zone_revoked);
	assert_int_equal(s->last_success, 0);
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 2);
	assert_int_equal(s->anchors[0].count, 0);
	assert_int_equal(s->anchors[0].lastchange, 0);
	check_anchor(&s->anchors[1], 1, 38696, KS_VALID, 3);
}

/* have_probe needs the daemon's whole probe header, not a part of it. */
static void
test_autr_partial_header(void **state)
{
	struct source *s = read_ok(read_autr,
	    GOOD("autr-partial.key"));

	assert_false(s->have_probe);
	assert_int_equal(s->last_queried, T);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 38696, KS_VALID, 4);
}

static void
test_autr_other_zone(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-other.key"));

	assert_int_equal(s->nanchors, 0);
}

/* $TTL, $ORIGIN, comments, parentheses, "@" and an omitted owner. */
/*
 * What unbound 1.17 makes of odd autr files (autotrust.c parse_comments,
 * parse_var_line; checked with the daemon's trustanchor.unbound): an
 * undefined ;;state= is Start ("considered NewKey"), only the digit after
 * "state=" counts, ;;count= is an atoi cut to 8 bits, a header number is
 * (unsigned)strtol, and a key it cannot load is skipped.
 */
static void
test_autr_lenient(void **state)
{
	struct source *s = read_ok(read_autr, GOOD("autr-badstate.key"));

	assert_int_equal(s->nanchors, 2);       /* daemon: ". 20326" */
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 9);
	check_anchor(&s->anchors[1], 0, 38696, KS_START, 10);
	s = read_ok(read_autr, GOOD("autr-hugestate.key"));
	assert_int_equal(s->nanchors, 1);       /* daemon: none trusted */
	check_anchor(&s->anchors[0], 0, 20326, KS_ADDPEND, 9);
	s = read_ok(read_autr, GOOD("autr-hugecount.key"));
	check_anchor(&s->anchors[0], 0, 20326, KS_VALID, 9);
	assert_int_equal(s->anchors[0].count, 255);
	s = read_ok(read_autr, GOOD("autr-overflow.key"));
	assert_int_equal(s->last_success, 4294967295LL);
	s = read_ok(read_autr, GOOD("autr-truncated.key"));
	assert_int_equal(s->nanchors, 1);       /* line 10 cut short */
	check_anchor(&s->anchors[0], 0, 38696, KS_VALID, 9);
	s = read_ok(read_autr, GOOD("autr-nostate.key"));
	assert_int_equal(s->nanchors, 1);       /* no ;;state= after ;;id: */
	check_anchor(&s->anchors[0], 0, 38696, KS_VALID, 9);
	s = read_ok(read_autr, GOOD("autr-badb64.key"));
	assert_int_equal(s->nanchors, 0);       /* daemon: a key of no use */
}

static void
test_static(void **state)
{
	struct source *s = read_ok(zonefile_read_static, GOOD("root.ds"));

	assert_int_equal(s->kind, SRC_FILE);
	assert_false(s->have_probe);
	assert_int_equal(s->nanchors, 3);
	check_anchor(&s->anchors[0], 1, 20326, KS_STATIC, 5);
	check_anchor(&s->anchors[1], 0, 17831, KS_STATIC, 7);
	assert_int_equal(s->anchors[1].key.keylen, 260);
	check_anchor(&s->anchors[2], 1, 38696, KS_STATIC, 16);
}

/* Parentheses as unbound's sldns counts them (checked with the daemon's
 * trustanchor.unbound): a ')' too many drops its record, a '(' open at
 * the end of the file ends the record there. */
static void
test_static_sldns(void **state)
{
	struct source *s;

	s = read_ok(zonefile_read_static, GOOD("sldns-close.ds"));

	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 1, 20326, KS_STATIC, 2);
	s = read_ok(zonefile_read_static, GOOD("sldns-paren.ds"));
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 20326, KS_STATIC, 3);
}

static void
test_trusted_keys(void **state)
{
	struct source *s = read_ok(namedconf_read_trusted_keys,
	    GOOD("tk/a.keys"));

	assert_int_equal(s->kind, SRC_TRUSTED_KEYS);
	assert_int_equal(s->nanchors, 1);
	check_anchor(&s->anchors[0], 0, 20326, KS_STATIC, 4);
	/* unbound ignores trust-anchors blocks: nothing trusted from b */
	s = read_ok(namedconf_read_trusted_keys, GOOD("tk/b.keys"));
	assert_int_equal(s->nanchors, 0);
}

/* Include globs, clauses, every anchor kind, directory. */
static void
test_conf(void **state)
{
	const char *conf = GOOD("unbound.conf");
	struct resolver r;

	if (read_conf(conf, NULL, 0, &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.user, "unbound");
	assert_int_equal(r.nsources, 5);
	check_source(&r.sources[0], SRC_AUTO, GOOD("autr-pending.key"),
	    GOOD("conf.d/10-autr.conf"), 2, 2);
	assert_true(r.sources[0].have_probe);
	check_source(&r.sources[1], SRC_FILE, GOOD("root.ds"), conf, 16, 3);
	check_source(&r.sources[2], SRC_TRUSTED_KEYS, GOOD("tk/a.keys"), conf,
	    17, 1);
	check_source(&r.sources[3], SRC_TRUSTED_KEYS, GOOD("tk/b.keys"), conf,
	    17, 0);
	check_source(&r.sources[4], SRC_INLINE, conf, conf, 18, 1);
	check_anchor(&r.sources[4].anchors[0], 1, 38696, KS_STATIC, 18);
	/* unbound itself will not start with a static anchor and a ;;id: */
	assert_string_equal(r.refused, GOOD("conf.d/10-autr.conf") ":2: "
	    "unbound refuses to start: \"trust anchor presented twice\": "
	    "auto-trust-anchor-file autr-pending.key names \".\" in ;;id: "
	    "while \".\" already has an anchor (trust-anchor-file at "
	    GOOD("unbound.conf") ":16)");
	resolver_free(&r);
}

/* chroot: prefixes stripped, names opened inside the jail. */
static void
test_conf_chroot(void **state)
{
	const char *jail = GOOD("jail/etc/unbound/");
	const char *conf = GOOD("chroot.conf");
	char p[4][AW_PATH_MAX];
	struct resolver r;

	snprintf(p[0], sizeof(p[0]), "%srel.ds", jail);
	snprintf(p[1], sizeof(p[1]), "%sstatic.ds", jail);
	snprintf(p[2], sizeof(p[2]), "%sabs.ds", jail);
	snprintf(p[3], sizeof(p[3]), "%stk.keys", jail);
	if (read_conf(conf, NULL, 0, &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.user, "");
	assert_int_equal(r.nsources, 4);
	check_source(&r.sources[0], SRC_FILE, p[0], conf, 5, 1);
	check_anchor(&r.sources[0].anchors[0], 0, 38696, KS_STATIC, 1);
	check_source(&r.sources[1], SRC_FILE, p[1], conf, 6, 1);
	check_source(&r.sources[2], SRC_FILE, p[2], conf, 7, 1);
	check_source(&r.sources[3], SRC_TRUSTED_KEYS, p[3],
	    GOOD("jail/etc/unbound/top.conf"), 3, 1);
	resolver_free(&r);
}

static unsigned
lines_in(const char *s)
{
	unsigned n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * Host paths for absolute chroot and directory settings, as unbound-
 * checkconf shows them; the files do not exist, so the read fails, but
 * the source keeps the path the daemon would open.
 */
static void
test_conf_paths(void **state)
{
	static const struct {
		const char *settings, *path;
	} cases[] = {
		{ "auto-trust-anchor-file: \"/var/lib/unbound/root.key\"",
		    "/var/lib/unbound/root.key" },
		{ "auto-trust-anchor-file: root.key",
		    "/etc/unbound/root.key" },
		{ "directory: \"\"\n auto-trust-anchor-file: x/root.key",
		    "x/root.key" },
		{ "chroot: /nx/jail\n directory: /nx/jail/etc/unbound\n"
		    " auto-trust-anchor-file: root.key",
		    "/nx/jail/etc/unbound/root.key" },
		{ "chroot: /nx/jail\n auto-trust-anchor-file: root.key",
		    "/nx/jail/etc/unbound/root.key" },
		{ "chroot: /nx/jail\n directory: /var/x\n"
		    " auto-trust-anchor-file: /nx/jail/var/root.key",
		    "/nx/jail/var/root.key" },
		{ "chroot: /nx/jail\n directory: /nx/jail\n"
		    " auto-trust-anchor-file: root.key", "/nx/jail/root.key" },
		{ "chroot: /nx/jail\n directory: /nx/jail\n"
		    " auto-trust-anchor-file: /etc/root.key",
		    "/nx/jail/etc/root.key" },
	};
	char tmp[] = "/tmp/aw-test-XXXXXX";
	struct resolver r;
	FILE *fp;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strcpy(tmp, "/tmp/aw-test-XXXXXX");
		assert_true((fd = mkstemp(tmp)) != -1);
		assert_non_null(fp = fdopen(fd, "w"));
		fprintf(fp, "server:\n %s\n", cases[i].settings);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(read_conf(tmp, NULL, 0, &r), -1);
		unlink(tmp);
		assert_int_equal(r.nsources, 1);
		assert_string_equal(r.sources[0].path, cases[i].path);
		assert_int_equal(r.sources[0].decl_line, 2 +
		    lines_in(cases[i].settings));
		assert_non_null(strstr(err, "cannot read"));
		assert_string_equal(r.error, err);
		assert_string_equal(r.user, "unbound");
		resolver_free(&r);
	}
}

/* Extra anchor files: their kind is guessed from the content. */
static void
test_anchor_files(void **state)
{
	const char *files[] = { GOOD("autr-zone-revoked.key"), GOOD("root.ds"),
	    GOOD("tk/b.keys"), GOOD("autr-seed.key") };
	struct resolver r;

	if (read_conf("", files, 4, &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.user, "unbound");
	assert_int_equal(r.nsources, 4);
	check_source(&r.sources[0], SRC_AUTO, files[0], "", 0, 1);
	assert_true(r.sources[0].is_zone_revoked);
	check_source(&r.sources[1], SRC_FILE, files[1], "", 0, 3);
	check_source(&r.sources[2], SRC_TRUSTED_KEYS, files[2], "", 0, 0);
	/* a bare seed has no autotrust marker: read as static records */
	check_source(&r.sources[3], SRC_FILE, files[3], "", 0, 2);
	assert_int_equal(r.sources[3].anchors[0].state, KS_STATIC);
	resolver_free(&r);
}

enum which { AUTR, STATIC, TK, CONF };

/* Each hostile fixture fails, and err starts with the expected place. */
static void
test_bad(void **state)
{
	static const struct {
		enum which rd;
		const char *file, *where, *why;
	} bad[] = {
		{ AUTR, "autr-longline.key", ":9: ", "longer" },
		{ AUTR, "autr-longkey.key", ":9: ", "longer" },
		{ AUTR, "autr-nul.key", ":3: ", "NUL" },
		{ AUTR, "autr-toomany.key", ":73: ", "more than 64" },
		{ STATIC, "static-proto.ds", ":3: ", "protocol" },
		{ STATIC, "static-dslen.ds", ":3: ", "32 bytes" },
		{ STATIC, "static-number.ds", ":2: ", "flags" },
		{ STATIC, "static-empty.ds", ":1: ", "key" },
		{ TK, "tk-quote.keys", ":3: ", "quote" },
		{ TK, "tk-block.keys", ":2: ", "not closed" },
		{ TK, "tk-comment.keys", ":2: ", "comment" },
		{ TK, "tk-b64.keys", ":3: ", "base64" },
		{ CONF, "conf-quote.conf", ":4: ", "quote" },
		{ CONF, "conf-squote.conf", ":2: ", "quote" },
		{ CONF, "conf-outside.conf", ":2: ", "outside" },
		{ CONF, "conf-toplevel.conf", ":3: ", "outside" },
		{ CONF, "conf-inline.conf", ":3: ", "hex" },
		{ CONF, "conf-longtoken.conf", ":3: ", "longer" },
		{ CONF, "conf-noinclude.conf", ":3: ", "does-not-exist" },
		{ CONF, "conf-novalue.conf", ":2: ", "chroot" },
		{ CONF, "conf-nul.conf", ":3: ", "NUL" },
		{ CONF, "conf-user.conf", ":2: ", "username" },
		{ CONF, "conf-missing.conf", ":4: ", "missing.ds: cannot read" },
	};
	char path[AW_PATH_MAX], where[AW_PATH_MAX];
	struct resolver r;
	struct source s;
	size_t i;
	int rv;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), BAD("%s"), bad[i].file);
		snprintf(where, sizeof(where), "%s%s", path, bad[i].where);
		memset(&s, 0, sizeof(s));
		err[0] = '\0';
		if (bad[i].rd == AUTR)
			rv = read_autr(path, &s, err, sizeof(err));
		else if (bad[i].rd == STATIC)
			rv = zonefile_read_static(path, &s, err, sizeof(err));
		else if (bad[i].rd == TK)
			rv = namedconf_read_trusted_keys(path, &s, err,
			    sizeof(err));
		else {
			rv = read_conf(path, NULL, 0, &r);
			resolver_free(&r);
		}
		source_free(&s);
		if (rv != -1)
			fail_msg("%s: accepted", path);
		if (strncmp(err, where, strlen(where)) != 0 ||
		    strstr(err, bad[i].why) == NULL)
			fail_msg("%s: got \"%s\", want \"%s...%s\"", path, err,
			    where, bad[i].why);
	}
}

/* Include loops and nesting are refused at the include naming them. */
static void
test_bad_includes(void **state)
{
	struct resolver r;
	const char *want;

	assert_int_equal(read_conf(BAD("loop.conf"), NULL, 0, &r), -1);
	want = BAD("loop-b.conf") ":2: include loop";
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);
	resolver_free(&r);
	assert_int_equal(read_conf(BAD("deep/d00.conf"), NULL, 0, &r), -1);
	want = BAD("deep/d16.conf") ":2: includes nested deeper than 16";
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);
	resolver_free(&r);
	/* 16 levels are fine: d04 reaches d20, which does not exist */
	assert_int_equal(read_conf(BAD("deep/d04.conf"), NULL, 0, &r), -1);
	want = BAD("deep/d19.conf") ":2: include: ";
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);
	resolver_free(&r);
}

/* A bad anchor file named by the config: its own line, sources kept. */
static void
test_bad_anchor_in_conf(void **state)
{
	struct resolver r;
	const char *want = BAD("autr-longline.key") ":9: line longer";

	assert_int_equal(read_conf(BAD("conf-badautr.conf"), NULL, 0, &r), -1);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got \"%s\"", err);
	assert_string_equal(r.error, err);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].nanchors, 0);
	assert_int_equal(r.sources[0].decl_line, 3);
	resolver_free(&r);
	assert_int_equal(read_conf(BAD("no-such.conf"), NULL, 0, &r), -1);
	assert_non_null(strstr(err, "no-such.conf"));
	resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_autr_pending),
		cmocka_unit_test(test_autr_revoked_key),
		cmocka_unit_test(test_autr_missing),
		cmocka_unit_test(test_autr_zone_revoked),
		cmocka_unit_test(test_autr_seed),
		cmocka_unit_test(test_autr_partial_header),
		cmocka_unit_test(test_autr_other_zone),
		cmocka_unit_test(test_autr_lenient),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_static_sldns),
		cmocka_unit_test(test_trusted_keys),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_conf_chroot),
		cmocka_unit_test(test_conf_paths),
		cmocka_unit_test(test_anchor_files),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_includes),
		cmocka_unit_test(test_bad_anchor_in_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
