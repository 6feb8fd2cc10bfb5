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
#include <sys/wait.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#define GOOD(p) DATA("bind/good/" p)
#define BAD(p) DATA("bind/bad/" p)
#define REFUSED(p) DATA("bind/refused/" p)
#define CHECKCONF "/usr/bin/named-checkconf"

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
	if (read_conf(REFUSED("views.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 3);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_INLINE);
	assert_string_equal(s->view, "internal");
	assert_string_equal(s->decl_file, REFUSED("views.conf"));
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
	if (read_conf(REFUSED("legacy.conf"), &r) != 0)
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
	snprintf(rc.config, sizeof(rc.config), "%s", REFUSED("legacy.conf"));
	/* controls names 127.0.0.1:953; nothing answers in a test run
	 * without named, and a failing rndc is no error. */
	if (access("/usr/sbin/rndc", X_OK) == 0 &&
	    system("rndc status >/dev/null 2>&1") == 0)
		skip();
	assert_int_equal(bind_loaded(&rc, &r, err, sizeof(err)), 0);
	assert_int_equal(r.have_loaded, 0);
	assert_int_equal(r.nloaded, 0);
}

/* The trust anchor rules named-checkconf (and named at every load)
 * applies: r->refused at the entry it names, the rest still read. */
static void
test_refusals(void **state)
{
	static const struct {
		const char *conf, *where, *rule;
	} cases[] = {
		{ REFUSED("static-auto.conf"), REFUSED("static-auto.conf:9: "),
		    "static trust anchor for root zone cannot be used with "
		    "'dnssec-validation auto'" },
		{ REFUSED("trusted-auto.conf"), REFUSED("trusted-auto.conf:11: "),
		    "static trust anchor for root zone cannot be used with "
		    "'dnssec-validation auto'" },
		{ REFUSED("view-static-ds.conf"),
		    REFUSED("view-static-ds.conf:10: "), "static trust anchor "
		    "for root zone cannot be used with 'dnssec-validation "
		    "auto'" },
		{ REFUSED("both.conf"), REFUSED("both.conf:9: "), "use of "
		    "managed-keys is not allowed when trust-anchors is also in "
		    "use" },
		{ REFUSED("views.conf"), REFUSED("views.conf:9: "), "static "
		    "and initializing keys cannot be used for the same domain. "
		    "static key defined at " REFUSED("views.conf:14") },
		{ REFUSED("legacy.conf"), GOOD("inc/anchors.conf:3: "), "static "
		    "and initializing keys cannot be used for the same domain. "
		    "static key defined at " GOOD("inc/anchors.conf:6") },
		{ REFUSED("other-zone-mixed.conf"),
		    REFUSED("other-zone-mixed.conf:10: "), "static and "
		    "initializing keys cannot be used for the same domain. "
		    "static key defined at " REFUSED("other-zone-mixed.conf:9") },
		{ REFUSED("removed-option.conf"),
		    REFUSED("removed-option.conf:6: "), "option 'dnssec-enable' "
		    "no longer exists" },
		{ REFUSED("removed-view.conf"), REFUSED("removed-view.conf:8: "),
		    "option 'dnssec-lookaside' no longer exists" },
		/* the parser stops there: check.c's anchor rules come after */
		{ REFUSED("removed-first.conf"),
		    REFUSED("removed-first.conf:11: "), "option 'lwres' no "
		    "longer exists" },
		{ GOOD("static-yes.conf"), NULL, NULL },
		{ GOOD("static-default.conf"), NULL, NULL },
		{ GOOD("builtin.conf"), NULL, NULL },
		{ GOOD("generic.conf"), NULL, NULL },
	};
	char want[AW_ERR_MAX];
	struct resolver r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (read_conf(cases[i].conf, &r) != 0)
			fail_msg("%s: %s", cases[i].conf, err);
		if (cases[i].where == NULL)
			want[0] = '\0';
		else
			snprintf(want, sizeof(want), "%snamed refuses to "
			    "start: %s", cases[i].where, cases[i].rule);
		if (strcmp(r.refused, want) != 0)
			fail_msg("%s: refused \"%s\", want \"%s\"",
			    cases[i].conf, r.refused, want);
		assert_true(r.nsources > 0);
		resolver_free(&r);
	}
}

/* The tags of r's sources, in order, as "t1 t2 ...". */
static void
tags_of(const struct resolver *r, char *buf, size_t len)
{
	size_t i, j, n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors && n < len; j++)
			n += (size_t)snprintf(buf + n, len - n, "%s%u",
			    n ? " " : "", keyset_anchor_tag(
			    &r->sources[i].anchors[j]));
}

/* bindkeys-file as named 9.18 reads it: only trust-anchors; managed-keys
 * alone or a file it cannot parse leave it on its built-in keys. */
static void
test_bindkeys(void **state)
{
	static const struct {
		const char *conf, *tags, *decl;
	} cases[] = {
		{ GOOD("bk-ta.conf"), "19036", GOOD("bk/ta.keys") },
		{ GOOD("bk-managed.conf"), "20326 38696",
		    "named built-in trust anchors" },
		{ GOOD("bk-bad.conf"), "20326 38696",
		    "named built-in trust anchors" },
	};
	struct resolver r;
	char tags[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (read_conf(cases[i].conf, &r) != 0)
			fail_msg("%s: %s", cases[i].conf, err);
		tags_of(&r, tags, sizeof(tags));
		if (strcmp(tags, cases[i].tags) != 0)
			fail_msg("%s: tags \"%s\", want \"%s\"", cases[i].conf,
			    tags, cases[i].tags);
		assert_int_equal(r.nsources, 1);
		assert_string_equal(r.sources[0].decl_file, cases[i].decl);
		assert_string_equal(r.refused, "");
		resolver_free(&r);
	}
	/* trust-anchors without the root: "root key not loaded" */
	if (read_conf(DATA("bind/named-refuses/bk-noroot.conf"), &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.refused, DATA("bind/named-refuses/noroot.keys")
	    ": named refuses to start: root key not loaded (its trust-anchors "
	    "hold no key for '.')");
	resolver_free(&r);
}

/*
 * 1 if named-checkconf's output out has the line of refusal ref
 * ("FILE:LINE: named refuses to start: RULE"): its own "F:LINE: RULE",
 * F the name as written (FILE ends with it), RULE up to its first '.'
 * or quote (checkconf names other files as written too).
 */
static int
has_checkconf_line(const char *out, const char *ref)
{
	const char *rule = strstr(ref, ": named refuses to start: "), *l, *c;
	size_t fl, n;

	if (rule == NULL)
		return 0;
	fl = (size_t)(rule - ref);      /* "FILE:LINE" */
	rule += strlen(": named refuses to start: ");
	n = strcspn(rule, ".'");
	for (l = out; l != NULL && *l != '\0'; l = strchr(l, '\n') ?
	    strchr(l, '\n') + 1 : NULL) {
		if ((c = strstr(l, ": ")) == NULL || strchr(l, '\n') < c)
			continue;
		/* l..c is "F:LINE": F a suffix of FILE, same LINE */
		if ((size_t)(c - l) > fl || strncmp(ref + fl - (size_t)(c - l),
		    l, (size_t)(c - l)) != 0 || (ref + fl - (c - l) > ref &&
		    ref[fl - (size_t)(c - l) - 1] != '/'))
			continue;
		if (strncmp(c + 2, rule, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * "FILE:LINE: named refuses to start: MESSAGE" from named-checkconf's
 * first line of output out, into buf.
 */
static void
checkconf_first(const char *out, char *buf, size_t len)
{
	const char *m = strstr(out, ": ");     /* after "FILE:LINE" */

	assert_non_null(m);
	snprintf(buf, len, "%.*s: named refuses to start: %.*s",
	    (int)(m - out), out, (int)strcspn(m + 2, "\n"), m + 2);
}

/*
 * named-checkconf is the referee: on every fixture of good/, refused/ and
 * debian/ it accepts exactly the good ones, and the reader on its own (no
 * checker run) sets r->refused exactly where it fails, at the file, line
 * and rule it names.  refused/checker/ holds what only the full grammar
 * knows (an unknown option, a value of the wrong type): the reader alone
 * reads them without a refusal, and with the installed checker run after
 * its reading it refuses them in the checker's words.  With the checker,
 * the reader's own refusals stay as they were, and good ones stay good.
 */
static void
test_checkconf_agrees(void **state)
{
	static const char *const pats[] = { GOOD("*.conf"),
	    REFUSED("*.conf"), REFUSED("checker/*.conf"),
	    DATA("bind/debian/named.conf") };
	char *argv[] = { (char *)CHECKCONF, NULL, NULL }, *out = NULL;
	char why[AW_ERR_MAX], own[AW_ERR_MAX], want[AW_ERR_MAX];
	struct resolver r;
	size_t i, k, outlen, nrefused = 0, nchecker = 0;
	int status, refuses;
	glob_t g;

	(void)state;
	if (access(CHECKCONF, X_OK) == -1)
		skip();
	for (k = 0; k < 4; k++) {
		assert_int_equal(glob(pats[k], 0, NULL, &g), 0);
		refuses = k == 1 || k == 2;
		for (i = 0; i < g.gl_pathc; i++) {
			argv[1] = g.gl_pathv[i];
			assert_int_equal(spawn_read(argv, 10, 1 << 20, 1, &out,
			    &outlen, &status, why, sizeof(why)), 0);
			assert_true(WIFEXITED(status));
			if ((WEXITSTATUS(status) != 0) != refuses)
				fail_msg("%s: named-checkconf exit %d:\n%s",
				    g.gl_pathv[i], WEXITSTATUS(status), out);
			bind_check_use("", 0);
			if (read_conf(g.gl_pathv[i], &r) != 0)
				fail_msg("%s: %s", g.gl_pathv[i], err);
			if ((r.refused[0] != '\0') != (k == 1))
				fail_msg("%s: reader refused \"%s\", "
				    "named-checkconf:\n%s", g.gl_pathv[i],
				    r.refused, out);
			if (k == 1 && !has_checkconf_line(out, r.refused))
				fail_msg("%s: \"%s\" is not in "
				    "named-checkconf's:\n%s", g.gl_pathv[i],
				    r.refused, out);
			snprintf(own, sizeof(own), "%s", r.refused);
			resolver_free(&r);
			/* now with the installed checker after the reading */
			bind_check_use(NULL, 0);
			if (read_conf(g.gl_pathv[i], &r) != 0)
				fail_msg("%s: %s", g.gl_pathv[i], err);
			if (k == 2)
				checkconf_first(out, want, sizeof(want));
			else
				snprintf(want, sizeof(want), "%s", own);
			if (strcmp(r.refused, want) != 0)
				fail_msg("%s: with the checker, refused \"%s\", "
				    "want \"%s\"", g.gl_pathv[i], r.refused,
				    want);
			nrefused += k == 1;
			nchecker += k == 2;
			free(out);
			out = NULL;
			resolver_free(&r);
		}
		globfree(&g);
	}
	bind_check_use("", 0);
	assert_true(nrefused >= 9);
	assert_true(nchecker >= 2);
}

/*
 * Epoch seconds of what `rndc managed-keys status` (the file path) says
 * after what ("trusted since", "trust pending") for key tag; -1 if not.
 */
static long long
status_date(const char *path, unsigned tag, const char *what)
{
	char line[256];
	struct tm tm;
	unsigned cur = 0;
	long long t = -1;
	const char *p;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (t == -1 && fgets(line, sizeof(line), f) != NULL) {
		p = line + strspn(line, " \t");
		if (sscanf(p, "keyid: %u", &cur) == 1 || cur != tag ||
		    strncmp(p, what, strlen(what)) != 0)
			continue;
		memset(&tm, 0, sizeof(tm));
		if (strptime(p + strlen(what) + 2, "%a, %d %b %Y %H:%M:%S GMT",
		    &tm) != NULL)
			t = (long long)timegm(&tm);
	}
	fclose(f);
	return t;
}

/*
 * KEYDATA fields by their meaning, on a key zone a real named 9.18 wrote,
 * against what its rndc printed: the add hold-down is when trust begins
 * ("trusted since" once passed, "trust pending" before), and the state is
 * taken at the now the reader is given, not the clock: one second before
 * the pending key's date it is AddPend, first seen a BIND month earlier;
 * at that date it is trusted since then.
 */
static void
test_keydata_named(void **state)
{
	static const char status[] = GOOD("named/status.txt");
	long long since = status_date(status, 16955, "trusted since");
	long long pend = status_date(status, 31765, "trust pending");
	struct resolver r;
	struct resolver_conf rc;
	const struct source *s;

	(void)state;
	assert_true(since > 0 && pend > since);
	memset(&rc, 0, sizeof(rc));
	snprintf(rc.config, sizeof(rc.config), "%s", GOOD("named.conf"));
	memset(&r, 0, sizeof(r));
	if (bind_read(&rc, &r, pend - 1, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_string_equal(s->path, GOOD("named/managed-keys.bind"));
	assert_int_equal(s->nanchors, 2);
	check_anchor(&s->anchors[0], 0, 16955, KS_VALID, 10);
	assert_int_equal(s->anchors[0].lastchange, since);
	check_anchor(&s->anchors[1], 0, 31765, KS_ADDPEND, 22);
	assert_int_equal(s->anchors[1].lastchange + BIND_KEYS_MONTH, pend);
	resolver_free(&r);
	memset(&r, 0, sizeof(r));
	if (bind_read(&rc, &r, pend, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	s = &r.sources[0];
	check_anchor(&s->anchors[0], 0, 16955, KS_VALID, 10);
	assert_int_equal(s->anchors[0].lastchange, since);
	check_anchor(&s->anchors[1], 0, 31765, KS_VALID, 22);
	assert_int_equal(s->anchors[1].lastchange, pend);
	resolver_free(&r);
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
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bindkeys),
		cmocka_unit_test(test_checkconf_agrees),
		cmocka_unit_test(test_keydata_named),
	};

	/* The reader's own rules; a test that wants the checker says so. */
	bind_check_use("", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
