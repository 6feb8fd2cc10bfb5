/*
 * test_unbound_real.c: what unbound refuses to start with
 * (tests/data/unbound/refused/), module-config, unbound-checkconf as the
 * referee on every config and anchor file fixture, and the real-world
 * trees of tests/data/unbound/real/ (README.md there).
 */
#include "unbound.h"

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
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_refused),
		cmocka_unit_test(test_module_config),
		cmocka_unit_test(test_checkconf),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
