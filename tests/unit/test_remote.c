/*
 * test_remote.c: -H ADDRESS[@PORT] (remote.c): the address as given on
 * the command line, and the verdicts from a resolver's answers alone, on
 * the real root KSKs (KSK-2017 20326, KSK-2024 38696; KSK-2010 19036,
 * published revoked as 19164).
 */
#include "unit.h"

#include "ksk.h"

static struct rootview rv;
static struct resolver res;
static struct config cfg;
static struct report rep;
static struct calendar cal;
static const long long now = 1795853116;	/* 2026-11-28 */

/* ---- the address ------------------------------------------------------- */

static void
test_parse_good(void **state)
{
	static const char *const good[] = {
		"192.0.2.53", "192.0.2.53@53", "127.0.0.1@5353",
		"10.0.0.1@65535", "::1", "2001:db8::53@5353",
		"::ffff:192.0.2.1@1", "fe80::1",
	};
	char err[AW_ERR_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (remote_parse(good[i], err, sizeof(err)) != 0)
			fail_msg("refused %s: %s", good[i], err);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "@53", "example.org", "localhost", "1.2.3", "1.2.3.4.5",
		"256.1.1.1", "0x7f.0.0.1", "127.0.0.1@", "127.0.0.1@0",
		"127.0.0.1@65536", "127.0.0.1@99999999999", "127.0.0.1@+53",
		"127.0.0.1@-1", "127.0.0.1@ 53", "127.0.0.1@53 ",
		" 127.0.0.1", "127.0.0.1@53@53", "127.0.0.1:53",
		"[::1]@53", "::1@53x", "fe80::1%lo", "2001:db8::53:",
		"2001:db8:0:0:0:0:0:0:1",
		"1111:2222:3333:4444:5555:6666:7777:8888@65535xxxxxxxxxxxxxxxx",
	};
	char err[AW_ERR_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (remote_parse(bad[i], err, sizeof(err)) != -1)
			fail_msg("took \"%s\"", bad[i]);
		assert_non_null(strstr(err, "-H \""));
		assert_null(strchr(err, '\n'));
	}
}

/* A long argument is cut in the message, which stays one line. */
static void
test_parse_long(void **state)
{
	char arg[4096], err[AW_ERR_MAX];

	(void)state;
	memset(arg, '1', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	assert_int_equal(remote_parse(arg, err, sizeof(err)), -1);
	assert_true(strlen(err) < 200);
}

/* -H: no resolver of the file is read or discovered, no traffic is
 * listened to, and probes are on. */
static void
test_config(void **state)
{
	(void)state;
	config_defaults(&cfg);
	cfg.nresolvers = 2;
	cfg.probes = 0;
	snprintf(cfg.traffic.interface, sizeof(cfg.traffic.interface), "lo");
	snprintf(cfg.traffic.dnstap_socket, sizeof(cfg.traffic.dnstap_socket),
	    "/run/dnstap.sock");
	remote_config(&cfg);
	assert_int_equal(cfg.nresolvers, 0);
	assert_int_equal(cfg.resolvers_given, 1);
	assert_int_equal(cfg.probes, 1);
	assert_string_equal(cfg.traffic.interface, "");
	assert_string_equal(cfg.traffic.dnstap_socket, "");
}

/* ---- the verdicts -------------------------------------------------------- */

/* Put text into the root RRset with flags; signing if sign. */
static void
root_add(const char *text, uint16_t flags, int sign)
{
	(void)unit_root_add(&rv, text, flags, sign);
}

/* The agent holds text Valid: past its hold-down. */
static void
agent_valid(const char *text)
{
	struct anchor *a = source_add_anchor(&rv.agent);
	char err[AW_ERR_MAX];

	assert_int_equal(keyset_parse_rr(text, a, err, sizeof(err)), 1);
	a->state = KS_VALID;
	rv.have_agent = 1;
}

/* The resolver answered . DNSKEY (and the signed name) with AD. */
static void
answers_ad(void)
{
	struct probe_result *pr = &res.probe;

	pr->done = pr->reachable = 1;
	pr->checked[0] = pr->checked[1] = 1;
	pr->ad[0] = pr->ad[1] = 1;
}

/* The usual world: KSK-2017 signs, the resolver validates. */
static void
signed_2017(void)
{
	root_add(KSK2017, 257, 1);
	answers_ad();
}

static void
sentinel(uint16_t tag, enum sentinel_verdict v)
{
	struct probe_result *pr = &res.probe;

	pr->sentinel_tags[pr->nsentinel] = tag;
	pr->sentinel[pr->nsentinel++] = v;
}

static int
setup(void **state)
{
	(void)state;
	memset(&rv, 0, sizeof(rv));
	memset(&res, 0, sizeof(res));
	memset(&rep, 0, sizeof(rep));
	memset(&cal, 0, sizeof(cal));
	config_defaults(&cfg);
	snprintf(cfg.signed_name, sizeof(cfg.signed_name), "www.example");
	snprintf(cfg.sentinel_domain, sizeof(cfg.sentinel_domain),
	    "sentinel.example");
	rv.is_secure = 1;
	rv.ttl = 172800;
	snprintf(res.name, sizeof(res.name), "192.0.2.53");
	snprintf(res.probe.address, sizeof(res.probe.address), "192.0.2.53");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	resolver_free(&res);
	report_free(&rep);
	source_free(&rv.agent);
	return 0;
}

/* Number of findings with code c; the last into *out. */
static int
count(enum fcode c, const struct finding **out)
{
	return unit_count(&rep, c, out);
}

/* Exactly one finding with code c, of severity sev: it. */
static const struct finding *
one(enum fcode c, enum severity sev)
{
	const struct finding *f = NULL;

	assert_int_equal(count(c, &f), 1);
	assert_int_equal(f->sev, sev);
	return f;
}

static void
judge(void)
{
	remote_detect(&rep, &rv, &res, &cfg, now);
}

static void
test_unreachable(void **state)
{
	const struct finding *f;

	(void)state;
	root_add(KSK2017, 257, 1);
	res.probe.done = 1;
	judge();
	assert_int_equal(rep.n, 1);
	f = one(F_RESOLVER_UNREACHABLE, SEV_UNKNOWN);
	assert_string_equal(f->resolver, "192.0.2.53");
	assert_int_equal(res.ntrusted, -1);
	assert_non_null(strstr(res.answers, "judged from its answers alone"));
}

/* Trusting the key that signs: no finding; the words say what it
 * trusts and that only answers were judged. */
static void
test_current(void **state)
{
	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	agent_valid(KSK2024);
	answers_ad();
	sentinel(20326, SENTINEL_TRUSTED);
	sentinel(38696, SENTINEL_TRUSTED);
	judge();
	assert_int_equal(rep.n, 0);
	assert_int_equal(res.ntrusted, 2);
	assert_string_equal(res.answers, "validates (AD on . DNSKEY and "
	    "www.example); by the RFC 8509 key sentinel it trusts 20326, "
	    "38696; judged from its answers alone (-H: no files read)");
}

static void
test_not_validating(void **state)
{
	(void)state;
	signed_2017();
	res.probe.ad[0] = 0;
	sentinel(20326, SENTINEL_NO_ANSWER);
	judge();
	assert_int_equal(rep.n, 1);
	(void)one(F_NOT_VALIDATING, SEV_CRITICAL);
	assert_non_null(strstr(res.answers, "does not validate"));
}

/* Dark: SERVFAIL that CD=1 answers; the key that signs is named. */
static void
test_dark(void **state)
{
	const struct finding *f;

	(void)state;
	root_add(KSK2017, 257, 0);
	root_add(KSK2024, 257, 1);
	answers_ad();
	res.probe.rcode[0] = 2;
	res.probe.ad[0] = 0;
	res.probe.cd_rcode[0] = 0;
	judge();
	f = one(F_VALIDATION_FAILING, SEV_CRITICAL);
	assert_int_equal(f->ntags, 1);
	assert_int_equal(f->tags[0], 38696);
	assert_non_null(strstr(f->message, "is dark"));
	assert_int_equal(rep.n, 1);
}

/* SERVFAIL with CD=1 too, or REFUSED: nothing to judge by: UNKNOWN. */
static void
test_unjudged(void **state)
{
	const struct finding *f;

	(void)state;
	signed_2017();
	res.probe.rcode[0] = 5;
	judge();
	f = one(F_RESOLVER_UNREACHABLE, SEV_UNKNOWN);
	assert_non_null(strstr(f->message, "REFUSED"));
}

/* A truncated . DNSKEY: the signed name's AD tells. */
static void
test_truncated(void **state)
{
	(void)state;
	signed_2017();
	res.probe.checked[0] = 0;
	sentinel(20326, SENTINEL_TRUSTED);
	judge();
	assert_int_equal(rep.n, 0);
	assert_non_null(strstr(res.answers, "validates (AD on www.example; "
	    ". DNSKEY came truncated)"));
}

static void
test_signer_not_trusted(void **state)
{
	const struct finding *f;

	(void)state;
	root_add(KSK2017, 257, 0);
	root_add(KSK2024, 257, 1);
	answers_ad();
	sentinel(20326, SENTINEL_TRUSTED);
	sentinel(38696, SENTINEL_UNTRUSTED);
	agent_valid(KSK2024);
	judge();
	f = one(F_SENTINEL_NOT_TRUSTED, SEV_CRITICAL);
	assert_int_equal(f->tags[0], 38696);
	assert_non_null(strstr(f->message, "it trusts 20326"));
	/* named once: not SUCCESSOR_NOT_TRUSTED as well */
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 0);
}

/* The successor past its hold-down, not trusted: it will go dark. */
static void
test_successor(void **state)
{
	const struct finding *f;

	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	agent_valid(KSK2024);
	answers_ad();
	sentinel(20326, SENTINEL_TRUSTED);
	sentinel(38696, SENTINEL_UNTRUSTED);
	judge();
	assert_int_equal(rep.n, 1);
	f = one(F_SUCCESSOR_NOT_TRUSTED, SEV_WARNING);
	assert_int_equal(f->tags[0], 38696);
	assert_non_null(strstr(f->message, "it trusts 20326): it goes dark "
	    "when key 38696 alone signs"));
	assert_string_equal(res.answers, "validates (AD on . DNSKEY and "
	    "www.example); by the RFC 8509 key sentinel it trusts 20326, not "
	    "38696; judged from its answers alone (-H: no files read)");
}

/* ... not while the agent's history dates its hold-down's end less than
 * one RFC 5011 refresh ago (a day for a TTL of two days). */
static void
test_successor_grace(void **state)
{
	static struct history hist;

	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	memset(&hist, 0, sizeof(hist));
	hist.keys[0].key = rv.keys[1];
	hist.keys[0].first_seen = now - AW_ADD_HOLDDOWN - 3600;
	hist.keys[0].last_seen = now;
	hist.n = 1;
	rv.hist = &hist;
	answers_ad();
	sentinel(20326, SENTINEL_TRUSTED);
	sentinel(38696, SENTINEL_UNTRUSTED);
	judge();
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 0);
	hist.keys[0].first_seen = now - AW_ADD_HOLDDOWN - 86400;
	judge();
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 1);
}

/* A key the root publishes revoked, still trusted: asked by the tag it
 * had without REVOKE (19036, published as 19164). */
static void
test_revoked(void **state)
{
	const struct finding *f;

	(void)state;
	root_add(KSK2010, 257 | DNSKEY_F_REVOKE, 1);
	root_add(KSK2017, 257, 1);
	assert_int_equal(rv.keys[0].tag, 19164);
	answers_ad();
	sentinel(19036, SENTINEL_TRUSTED);
	sentinel(20326, SENTINEL_TRUSTED);
	judge();
	assert_int_equal(rep.n, 1);
	f = one(F_REVOKED_STILL_TRUSTED, SEV_WARNING);
	assert_int_equal(f->tags[0], 19036);
	assert_non_null(strstr(f->message, "published as 19164"));
	/* and not once it dropped it */
	report_free(&rep);
	res.probe.sentinel[0] = SENTINEL_UNTRUSTED;
	judge();
	assert_int_equal(rep.n, 0);
}

/* No sentinel verdict (dnsmasq): OK, what it trusts is not known. */
static void
test_no_sentinel(void **state)
{
	(void)state;
	signed_2017();
	sentinel(20326, SENTINEL_NO_ANSWER);
	judge();
	assert_int_equal(rep.n, 0);
	assert_int_equal(res.ntrusted, -1);
	assert_non_null(strstr(res.answers, "so which root keys it trusts is "
	    "not known"));
	cfg.sentinel_domain[0] = '\0';
	judge();
	assert_non_null(strstr(res.answers, "probes.sentinel_domain is not "
	    "set"));
}

/* A roll in ten days needs 38696: EVENT_AHEAD when the sentinel says it
 * is not trusted, nothing when a verdict is missing. */
static void
test_event(void **state)
{
	const struct finding *f = NULL;
	struct event *e = &cal.ev[cal.n++];

	(void)state;
	snprintf(e->name, sizeof(e->name), "a roll");
	e->when = now + 10 * 86400;
	e->kind = EV_ROLL;
	e->keys[e->nkeys++] = 38696;
	e->requires[e->nrequires++] = 38696;
	rv.cal = &cal;
	signed_2017();
	sentinel(20326, SENTINEL_TRUSTED);
	judge();
	assert_int_equal(count(F_EVENT_AHEAD, NULL), 0);
	sentinel(38696, SENTINEL_UNTRUSTED);
	resolver_free(&res);
	judge();
	f = one(F_EVENT_AHEAD, SEV_WARNING);
	assert_int_equal(f->tags[0], 38696);
	report_free(&rep);
	resolver_free(&res);
	res.probe.sentinel[1] = SENTINEL_TRUSTED;
	judge();
	assert_int_equal(rep.n, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_config),
		T(test_unreachable),
		T(test_current),
		T(test_not_validating),
		T(test_dark),
		T(test_unjudged),
		T(test_truncated),
		T(test_signer_not_trusted),
		T(test_successor),
		T(test_successor_grace),
		T(test_revoked),
		T(test_no_sentinel),
		T(test_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
