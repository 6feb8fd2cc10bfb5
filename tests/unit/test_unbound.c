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
 * tests/data/unbound/refused/ holds configs unbound refuses to start with,
 * and tests/data/unbound/real/ real-world trees (README.md there).
 * test_checkconf runs unbound-checkconf, the referee, on every config and
 * anchor file fixture.
 */
#include <sys/wait.h>

#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define GOOD(p) DATA("unbound/good/" p)
#define BAD(p) DATA("unbound/bad/" p)
#define T 1795853116LL

static char err[AW_ERR_MAX];

/* autotrust_read without the markers, in read_ok's shape. */
static int
read_autr(const char *path, struct source *s, char *e, size_t elen)
{
	return autotrust_read(path, s, NULL, e, elen);
}

/* A zeroed source, read with fn from path, which must succeed. */
static struct source *
read_ok(int (*fn)(const char *, struct source *, char *, size_t),
    const char *path)
{
	static struct source s;

	memset(&s, 0, sizeof(s));
	err[0] = '\0';
	if (fn(path, &s, err, sizeof(err)) != 0)
		fail_msg("%s: %s", path, err);
	assert_string_equal(s.path, path);
	return &s;
}

/* Run the unbound reader on config (may be "") and extra anchor files. */
static int
read_conf(const char *config, const char **files, size_t nfiles,
    struct resolver *r)
{
	struct resolver_conf rc;
	size_t i;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "unbound");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	for (i = 0; i < nfiles; i++)
		snprintf(rc.anchor_files[i], sizeof(rc.anchor_files[i]), "%s",
		    files[i]);
	rc.nanchor_files = nfiles;
	snprintf(r->name, sizeof(r->name), "test");
	err[0] = '\0';
	return unbound_read(&rc, r, UNIT_NOW, err, sizeof(err));
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

static void
check_source(const struct source *s, enum src_kind kind, const char *path,
    const char *decl_file, unsigned decl_line, size_t nanchors)
{
	assert_int_equal(s->kind, kind);
	assert_string_equal(s->path, path);
	assert_string_equal(s->decl_file, decl_file);
	assert_int_equal(s->decl_line, decl_line);
	assert_int_equal(s->nanchors, nanchors);
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

#define REFUSED(p) DATA("unbound/refused/" p)

/* Each config unbound refuses to start with: the reader says where and
 * quotes unbound's rule, and still reads every source. */
static void
test_refused(void **state)
{
	static const struct {
		const char *file, *where, *rule;
	} cases[] = {
		{ "static-autr.conf", ":6: ", "trust anchor presented twice" },
		{ "inline-autr.conf", ":6: ", "trust anchor presented twice" },
		{ "two-autr.conf", ":5: ", "trust anchor presented twice" },
		{ "id-then-seed.conf", ":5: ", "trust anchor presented twice" },
		{ "static-seed.conf", ":6: ",
		    "anchor cannot be with and without autotrust" },
		{ "tk-autr.conf", ":6: ",
		    "anchor cannot be with and without autotrust" },
		{ "empty-autr.conf", ":5: ", "failed to read" },
		{ "revoked-late.conf", ":5: ",
		    "REVOKED statement must be at start of file" },
		{ "modcfg-typo.conf", ":5: ", "Unknown value in module-config, "
		    "module: 'validater'" },
		{ "modcfg-empty.conf", ":4: ", "error: no modules specified" },
		{ "insecure-autr.conf", ":6: ",
		    "trust anchor presented twice" },
		{ "insecure-seed.conf", ":6: ",
		    "anchor cannot be with and without autotrust" },
		{ "autr-mixed.conf", ":5: ",
		    "file has mismatching data inside" },
		{ "autr-noval.conf", ":5: ",
		    "could not parse auto-trust-anchor-file" },
		{ "autr-close.conf", ":5: ",
		    "could not parse auto-trust-anchor-file" },
		{ "autr-open.conf", ":5: ",
		    "could not parse auto-trust-anchor-file" },
	};
	char path[AW_PATH_MAX], want[AW_ERR_MAX];
	struct resolver r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), REFUSED("%s"), cases[i].file);
		if (read_conf(path, NULL, 0, &r) != 0)
			fail_msg("%s: %s", path, err);
		snprintf(want, sizeof(want), "%s%sunbound refuses to start: "
		    "\"%s\"", path, cases[i].where, cases[i].rule);
		if (strncmp(r.refused, want, strlen(want)) != 0)
			fail_msg("%s: got \"%s\", want \"%s...\"", path,
			    r.refused, want);
		if (strncmp(cases[i].file, "modcfg", 6) != 0) {
			assert_int_equal(r.dnssec, DNSSEC_ON);
			assert_true(r.nsources >= 1);
		}
		resolver_free(&r);
	}
}

/* What unbound accepts: no refusal. */
static void
test_not_refused(void **state)
{
	static const char *ok[] = { "seed-then-id.conf",
	    "static-revoked.conf", "modcfg-respip.conf", "modcfg-subnet.conf",
	    "chroot.conf", "glued.conf", "insecure-other.conf" };
	char path[AW_PATH_MAX];
	struct resolver r;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(path, sizeof(path), GOOD("%s"), ok[i]);
		if (read_conf(path, NULL, 0, &r) != 0)
			fail_msg("%s: %s", path, err);
		if (r.refused[0] != '\0')
			fail_msg("%s: refused: %s", path, r.refused);
		assert_int_equal(r.dnssec, DNSSEC_ON);
		if (r.nsources < 1)
			fail_msg("%s: no anchor read", path);
		resolver_free(&r);
	}
}

/* module-config without the validator module: validation is off where
 * the last module-config says so, and no anchor is read or refused. */
static void
test_module_config(void **state)
{
	static const struct {
		const char *file;
		int off;
		unsigned line;
	} cases[] = {
		{ "modcfg-iterator.conf", 1, 5 },
		{ "modcfg-last.conf", 1, 7 },
		{ "modcfg-respip.conf", 0, 0 },
		{ "modcfg-subnet.conf", 0, 0 },
	};
	char path[AW_PATH_MAX], where[AW_PATH_MAX + 16];
	struct resolver r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), GOOD("%s"), cases[i].file);
		if (read_conf(path, NULL, 0, &r) != 0)
			fail_msg("%s: %s", path, err);
		assert_string_equal(r.refused, "");
		if (cases[i].off) {
			snprintf(where, sizeof(where), "%s:%u", path,
			    cases[i].line);
			assert_int_equal(r.dnssec, DNSSEC_OFF);
			assert_string_equal(r.dnssec_where, where);
			assert_int_equal(r.nsources, 0);
		} else {
			assert_int_equal(r.dnssec, DNSSEC_ON);
			assert_int_equal(r.nsources, 1);
		}
		resolver_free(&r);
	}
}

#define CHECKCONF "/usr/sbin/unbound-checkconf"

/*
 * The rule unbound-checkconf's output names first, of those unbound
 * applies when it loads the anchors; NULL if none.
 */
static const char *
checkconf_rule(const char *out)
{
	/* what unbound-checkconf prints, and the daemon's words for it */
	static const struct {
		const char *checkconf, *rule;
	} rules[] = {
		{ "trust anchor presented twice", NULL },
		{ "anchor cannot be with and without autotrust", NULL },
		{ "failed to read", NULL },
		{ "REVOKED statement must be at start of file", NULL },
		{ "has mismatching data inside", "file has mismatching data "
		    "inside" },
		{ "could not parse auto-trust-anchor-file", NULL },
		{ "but that module is not available",
		    "Unknown value in module-config" },
		{ "module conf '' is not known to work",
		    "no modules specified" },
	};
	const char *first = NULL, *p;
	size_t i, k = 0;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if ((p = strstr(out, rules[i].checkconf)) != NULL &&
		    (first == NULL || p < first)) {
			first = p;
			k = i;
		}
	if (first == NULL)
		return NULL;
	return rules[k].rule != NULL ? rules[k].rule : rules[k].checkconf;
}

/*
 * One config fixture against unbound-checkconf: the reader refuses it
 * exactly when unbound does, with unbound's rule; what checkconf accepts
 * in good/ and refused/ the reader reads.  unbound-checkconf initialises
 * the validator whatever module-config says (smallapp/unbound-checkconf.c
 * checkconf()), the daemon only when it is listed: a config without it is
 * judged by the daemon instead (t-unbound-roll.sh).  Returns 1 if
 * unbound refused it.
 */
static int
checkconf_one(const char *path, int must_read)
{
	char *argv[] = { CHECKCONF, (char *)path, NULL };
	char why[AW_ERR_MAX], *out = NULL;
	const char *rule;
	struct resolver r;
	size_t outlen;
	int status, rv;

	if (spawn_read(argv, 20, AW_FILE_MAX, 1, &out, &outlen, &status, why,
	    sizeof(why)) == -1)
		fail_msg("%s: %s", path, why);
	rule = checkconf_rule(out);
	rv = read_conf(path, NULL, 0, &r);
	if (r.dnssec == DNSSEC_OFF && rule != NULL &&
	    strstr(rule, "module") == NULL)
		rule = NULL;    /* anchor rules, which need the validator */
	if (rule != NULL && strstr(r.refused, rule) == NULL)
		fail_msg("%s: unbound-checkconf refuses (%s), the reader "
		    "says \"%s\" (%s)", path, rule, r.refused, err);
	else if (rule == NULL && r.refused[0] != '\0')
		fail_msg("%s: the reader refuses (%s), unbound-checkconf "
		    "does not: %s", path, r.refused, out);
	if (must_read && rv != 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		fail_msg("%s: unbound accepts it, the reader fails: %s", path,
		    err);
	resolver_free(&r);
	free(out);
	return rule != NULL;
}

/*
 * Each anchor file fixture matching pattern, alone in a config with
 * option, against unbound-checkconf.  Returns how many there were.
 */
static size_t
checkconf_files(const char *pattern, const char *option, int must_read)
{
	char conf[] = "/tmp/aw-unbound-anchor-XXXXXX", real[PATH_MAX];
	glob_t g;
	size_t k;
	FILE *f;
	int fd;

	memset(&g, 0, sizeof(g));
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	for (k = 0; k < g.gl_pathc; k++) {
		assert_non_null(realpath(g.gl_pathv[k], real));
		assert_true((fd = mkstemp(conf)) >= 0);
		assert_non_null(f = fdopen(fd, "w"));
		fprintf(f, "server:\n\tusername: \"\"\n\t%s: \"%s\"\n", option,
		    real);
		assert_int_equal(fclose(f), 0);
		checkconf_one(conf, must_read);
		unlink(conf);
		memcpy(conf + strlen(conf) - 6, "XXXXXX", 6);
	}
	globfree(&g);
	return k;
}

/* Every config fixture, good, refused and bad, against unbound-checkconf. */
static void
test_checkconf(void **state)
{
	static const struct {
		const char *pattern;
		int must_read, must_refuse;
	} dirs[] = {
		{ GOOD("*.conf"), 1, 0 },
		{ REFUSED("*.conf"), 1, 1 },
		{ BAD("*.conf"), 0, 0 },
	};
	size_t i, k, n = 0, nrefused = 0;
	glob_t g;
	int ref;

	if (access(CHECKCONF, X_OK) != 0)
		skip();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		memset(&g, 0, sizeof(g));
		assert_int_equal(glob(dirs[i].pattern, 0, NULL, &g), 0);
		for (k = 0; k < g.gl_pathc; k++, n++) {
			ref = checkconf_one(g.gl_pathv[k], dirs[i].must_read);
			if (dirs[i].must_refuse && !ref)
				fail_msg("%s: unbound accepts it",
				    g.gl_pathv[k]);
			nrefused += ref;
		}
		globfree(&g);
	}
	assert_true(n >= 25);
	assert_true(nrefused >= 17);
	/* anchor files, each alone in a config */
	n = checkconf_files(GOOD("autr-*.key"), "auto-trust-anchor-file", 1);
	n += checkconf_files(GOOD("*.ds"), "trust-anchor-file", 1);
	n += checkconf_files(GOOD("tk/*.keys"), "trusted-keys-file", 1);
	n += checkconf_files(BAD("autr-*.key"), "auto-trust-anchor-file", 0);
	n += checkconf_files(BAD("static-*.ds"), "trust-anchor-file", 0);
	n += checkconf_files(BAD("tk-*.keys"), "trusted-keys-file", 0);
	n += checkconf_files(REFUSED("*.key"), "auto-trust-anchor-file", 0);
	assert_true(n >= 30);
}

/* Real-world trees (tests/data/unbound/real/README.md), staged with "@D@"
 * replaced by their copy's directory. */
static const struct {
	const char *tree, *conf;
	const char *autr;         /* the RFC 5011 file, "" if none */
	const char *off;          /* "file:line" turning validation off */
	uint16_t tag;             /* a key the autr file holds */
} real[] = {
	{ "debian12", "etc/unbound/unbound.conf", "var/lib/unbound/root.key",
	    "", 38696 },
	{ "debian12-pihole", "etc/unbound/unbound.conf",
	    "var/lib/unbound/root.key", "", 38696 },
	{ "debian12-smartdnssort", "etc/unbound/unbound.conf", "",
	    "etc/unbound/unbound.conf.d/smartdnssort.conf:52", 0 },
	{ "pfsense27", "var/unbound/unbound.conf", "",
	    "var/unbound/unbound.conf:25", 0 },
	{ "klutchell", "etc/unbound/unbound.conf", "etc/unbound/root.key", "",
	    20326 },
	{ "mvance", "opt/unbound/etc/unbound/unbound.conf",
	    "opt/unbound/etc/unbound/var/root.key", "", 38696 },
	{ "openbsd", "var/unbound/etc/unbound.conf", "", "", 0 },
};

/* Copy tree under dir and replace @D@ in its files; 0 or -1. */
static int
stage_tree(const char *tree, const char *dir)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), "cp -r " DATA("unbound/real/%s") " %s/ && "
	    "grep -rl @D@ %s/%s | xargs -r sed -i 's#@D@#%s/%s#g'", tree, dir,
	    dir, tree, dir, tree);
	return system(cmd) == 0 ? 0 : -1;
}

/* unbound-checkconf -f -o auto-trust-anchor-file conf: the host path of
 * its RFC 5011 file (one only), into out. */
static void
checkconf_autr(const char *conf, char *out, size_t outlen)
{
	char *argv[] = { CHECKCONF, "-f", "-o", "auto-trust-anchor-file",
	    (char *)conf, NULL };
	char why[AW_ERR_MAX], *text = NULL;
	size_t len;
	int status;

	if (spawn_read(argv, 20, 65536, 0, &text, &len, &status, why,
	    sizeof(why)) == -1)
		fail_msg("%s: %s", conf, why);
	text[strcspn(text, "\n")] = '\0';
	snprintf(out, outlen, "%s", text);
	free(text);
}

/* What each real tree trusts, as the reader and unbound-checkconf see it. */
static void
test_real(void **state)
{
	char dir[] = "/tmp/aw-unbound-real.XXXXXX", conf[AW_PATH_MAX];
	char want[AW_PATH_MAX + 64], ub[AW_PATH_MAX];
	const struct source *s;
	struct resolver r;
	size_t i;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		assert_int_equal(stage_tree(real[i].tree, dir), 0);
		snprintf(conf, sizeof(conf), "%s/%s/%s", dir, real[i].tree,
		    real[i].conf);
		if (read_conf(conf, NULL, 0, &r) != 0)
			fail_msg("%s: %s", real[i].tree, err);
		assert_string_equal(r.refused, "");
		if (real[i].autr[0] == '\0' && real[i].off[0] == '\0') {
			assert_int_equal(r.dnssec, DNSSEC_ON);
			assert_int_equal(r.nsources, 0);
		} else if (real[i].autr[0] == '\0') {
			snprintf(want, sizeof(want), "%s/%s/%s", dir,
			    real[i].tree, real[i].off);
			assert_int_equal(r.dnssec, DNSSEC_OFF);
			assert_string_equal(r.dnssec_where, want);
		} else {
			snprintf(want, sizeof(want), "%s/%s/%s", dir,
			    real[i].tree, real[i].autr);
			assert_int_equal(r.dnssec, DNSSEC_ON);
			assert_int_equal(r.nsources, 1);
			s = &r.sources[0];
			assert_int_equal(s->kind, SRC_AUTO);
			assert_string_equal(s->path, want);
			assert_true(s->nanchors >= 1);
			assert_int_equal(keyset_anchor_tag(&s->anchors[
			    s->nanchors - 1]), real[i].tag);
			if (access(CHECKCONF, X_OK) == 0) {
				checkconf_autr(conf, ub, sizeof(ub));
				assert_string_equal(ub, want);
			}
		}
		if (access(CHECKCONF, X_OK) == 0 && (r.user[0] == '\0' ||
		    getpwnam(r.user) != NULL))
			checkconf_one(conf, 1);
		resolver_free(&r);
	}
	snprintf(conf, sizeof(conf), "rm -rf %s", dir);
	assert_int_equal(system(conf), 0);
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
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_refused),
		cmocka_unit_test(test_module_config),
		cmocka_unit_test(test_checkconf),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
