/*
 * test_bindcheck.c: how the BIND reader runs named-checkconf (bind-check.c)
 * and takes its word.
 *
 * tests/data/bind/checker/ holds stand-ins for named-checkconf: one that
 * says what argument vector it got, one with warnings before a hostile
 * error line (terminal escapes, a message longer than any kept), one with
 * warnings only, one that accepts, one that says nothing located, one
 * killed by a signal, one that never answers.  The real named-checkconf's
 * word on real fixtures is in test_bind.c (test_checkconf_agrees).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

#define FAKE(p) DATA("bind/checker/" p)
#define CONF DATA("bind/good/static-yes.conf")

static char err[AW_ERR_MAX];

/* bind_read on config with checker path as named-checkconf. */
static int
read_with(const char *checker, const char *config, struct resolver *r)
{
	static char abs[4096];	/* spawn.c runs absolute paths only */
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.type, sizeof(rc.type), "bind");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	if (checker[0] != '\0' && realpath(checker, abs) != NULL)
		checker = abs;
	bind_check_use(checker, 1);
	err[0] = '\0';
	return bind_read(&rc, r, UNIT_NOW, err, sizeof(err));
}

/* What each stand-in's output and exit make of the reader's verdict. */
static void
test_fakes(void **state)
{
	static char hostile[AW_ERR_MAX];
	const struct {
		const char *checker, *want;
	} cases[] = {
		{ FAKE("args.sh"), CONF ":1: named refuses to start: argv 2 -i "
		    CONF },
		{ FAKE("hostile.sh"), hostile },
		{ FAKE("warnings.sh"), "b.conf:5: named refuses to start: both "
		    "initial and static entries for the root zone are present" },
		{ FAKE("accept.sh"), "" },
		{ FAKE("unlocated.sh"), "" },
		{ FAKE("crash.sh"), "" },
		{ DATA("bind/checker/none"), "" },
		{ "", "" },
	};
	struct resolver r;
	size_t i, n;

	(void)state;
	/* every byte that is not printable ASCII becomes '?'; the message is
	 * cut at 300 bytes */
	n = (size_t)snprintf(hostile, sizeof(hostile), "named.conf?[2J:14: "
	    "named refuses to start: unknown option ?]0;owned?");
	memset(hostile + n, 'x', 300 - strlen("unknown option ?]0;owned?"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (read_with(cases[i].checker, CONF, &r) != 0)
			fail_msg("%s: %s", cases[i].checker, err);
		if (strcmp(r.refused, cases[i].want) != 0)
			fail_msg("%s: refused \"%s\", want \"%s\"",
			    cases[i].checker, r.refused, cases[i].want);
		assert_string_equal(r.error, "");
		resolver_free(&r);
	}
	bind_check_use("", 0);
}

/* A checker that never answers is given its time and no more: the reader
 * says nothing of it and goes on. */
static void
test_slow(void **state)
{
	struct timespec t0, t1;
	struct resolver r;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (read_with(FAKE("slow.sh"), CONF, &r) != 0)
		fail_msg("%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(r.refused, "");
	assert_true(r.nsources > 0);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	resolver_free(&r);
	bind_check_use("", 0);
}

/* The checker runs only after a reading without a refusal of the reader's
 * own: its rule stays, and a config it cannot read is a CONFIG_ERROR
 * alone, not also a refusal. */
static void
test_reader_first(void **state)
{
	struct resolver r;

	(void)state;
	if (read_with(FAKE("args.sh"), DATA("bind/refused/static-auto.conf"),
	    &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.refused, DATA("bind/refused/static-auto.conf")
	    ":9: named refuses to start: static trust anchor for root zone "
	    "cannot be used with 'dnssec-validation auto'");
	resolver_free(&r);
	if (read_with(FAKE("args.sh"), DATA("bind/refused/removed-view.conf"),
	    &r) != 0)
		fail_msg("%s", err);
	assert_string_equal(r.refused, DATA("bind/refused/removed-view.conf")
	    ":8: named refuses to start: option 'dnssec-lookaside' no longer "
	    "exists");
	resolver_free(&r);
	assert_int_equal(read_with(FAKE("args.sh"),
	    DATA("bind/bad/missing-include.conf"), &r), -1);
	assert_string_equal(r.refused, "");
	assert_string_not_equal(r.error, "");
	resolver_free(&r);
	bind_check_use("", 0);
}

/* The parser alone, on text as named-checkconf prints it. */
static void
test_parse(void **state)
{
	char out[AW_ERR_MAX];

	(void)state;
	out[0] = '\0';
	assert_int_equal(bind_check_parse("", out, sizeof(out)), 0);
	assert_int_equal(bind_check_parse("x.conf:0: line zero\n:3: no file\n"
	    "y.conf:99999999999: too big\nz.conf:4:no blank\n", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(bind_check_parse("\n/etc/bind/named.conf.options:21: "
	    "unknown option 'max-stale-ttl:'\n\n/etc/bind/named.conf.options:"
	    "21: parsing failed: failure\n", out, sizeof(out)), 1);
	assert_string_equal(out, "/etc/bind/named.conf.options:21: named "
	    "refuses to start: unknown option 'max-stale-ttl:'");
	/* a file name with a colon: split at the first ":LINE: " */
	assert_int_equal(bind_check_parse("a:b.conf:7: bad", out, sizeof(out)),
	    1);
	assert_string_equal(out, "a:b.conf:7: named refuses to start: bad");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fakes),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_reader_first),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
