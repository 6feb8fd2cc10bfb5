/*
 * test_detect.c: the findings logic, one rule at a time, on the real root
 * KSKs (KSK-2010 19036, KSK-2017 20326, KSK-2024 38696).
 */
#include <sys/stat.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "aw-summary.h"

#include "ksk.h"

static struct rootview rv;
static struct resolver res;
static struct config cfg;
static struct report rep;
static char dir[64];
static const time_t now = 1795853116;

static struct dnskey
key(const char *text)
{
	struct anchor a;
	char err[AW_ERR_MAX];

	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), 1);
	return a.key;
}

/* Put text into the root RRset; signing if sign. */
static struct dnskey *
root_add(const char *text, uint16_t flags, int sign)
{
	return unit_root_add(&rv, text, flags, sign);
}

static void
agent_add(const char *text, enum ks_state st)
{
	struct anchor *a = source_add_anchor(&rv.agent);

	a->key = key(text);
	a->state = st;
	rv.have_agent = 1;
}

static struct source *
source_add(enum src_kind kind)
{
	struct source *s = resolver_add_source(&res);

	s->kind = kind;
	snprintf(s->path, sizeof(s->path), "%s/root.key", dir);
	return s;
}

static void
anchor_add(struct source *s, const char *text, enum ks_state st)
{
	struct anchor *a = source_add_anchor(s);
	char err[AW_ERR_MAX];

	assert_int_equal(keyset_parse_rr(text, a, err, sizeof(err)), 1);
	a->state = st;
}

static int
setup(void **state)
{
	(void)state;
	memset(&rv, 0, sizeof(rv));
	memset(&res, 0, sizeof(res));
	memset(&rep, 0, sizeof(rep));
	config_defaults(&cfg);
	rv.is_secure = 1;
	snprintf(res.name, sizeof(res.name), "edge1");
	res.rfc5011 = 1;
	snprintf(dir, sizeof(dir), "/tmp/aw-detect.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/root.key", dir);
	unlink(p);
	rmdir(dir);
	resolver_free(&res);
	source_free(&rv.agent);
	report_free(&rep);
	return 0;
}

/* Number of findings with code c; the last one into *out. */
static int
count(enum fcode c, const struct finding **out)
{
	return unit_count(&rep, c, out);
}

static void
run(void)
{
	struct thresholds t;

	detect_root(&rep, &rv);
	detect_resolver(&rep, &rv, &res, &cfg, now);
	detect_thresholds(&cfg, &t);
	detect_grade(&rep, &t);
}

static void
test_current_auto_is_ok(void **state)
{
	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	agent_add(KSK2017, KS_VALID);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	anchor_add(&res.sources[0], KSK2024, KS_ADDPEND);
	run();
	assert_int_equal(rep.n, 0);
	assert_int_equal(detect_worst(&rep), SEV_OK);
	assert_int_equal(res.ntrusted, 1);
}

static void
test_stale_names_the_signing_key(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_AUTO), KSK2010, KS_VALID);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->ntags, 1);
	assert_int_equal(f->tags[0], 20326);
	assert_non_null(strstr(f->message, "20326"));
	assert_non_null(strstr(f->message, "19036"));
	assert_int_equal(detect_worst(&rep), SEV_CRITICAL);
}

static void
test_stale_ds_anchor(void **state)
{
	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_FILE), DS2010, KS_STATIC);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 1);
	assert_int_equal(count(F_STATIC_ANCHOR, NULL), 1);
}

static void
test_addpend_anchor_is_not_trusted(void **state)
{
	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_ADDPEND);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 1);
	assert_int_equal(res.ntrusted, 0);
}

static void
test_static_anchor(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_FILE), KSK2017, KS_STATIC);
	run();
	assert_int_equal(count(F_STATIC_ANCHOR, &f), 1);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->tags[0], 20326);
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	assert_int_equal(detect_worst(&rep), SEV_WARNING);
}

/* A product without RFC 5011 (PowerDNS, dnsmasq, resolved): static is
 * all it has, so no STATIC_ANCHOR; staleness is still found. */
static void
test_static_by_nature(void **state)
{
	(void)state;
	res.rfc5011 = 0;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_FILE), KSK2017, KS_STATIC);
	run();
	assert_int_equal(rep.n, 0);
	report_free(&rep);
	rv.nsigners = 0;
	rv.nkeys = 0;
	root_add(KSK2024, 257, 1);
	run();
	assert_int_equal(count(F_STATIC_ANCHOR, NULL), 0);
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 1);
}

static void
test_successor_published(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	agent_add(KSK2017, KS_VALID);
	agent_add(KSK2024, KS_VALID);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	run();
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, &f), 1);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->tags[0], 38696);
}

static void
test_successor_within_holddown_is_quiet(void **state)
{
	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 0);
	agent_add(KSK2017, KS_VALID);
	agent_add(KSK2024, KS_ADDPEND);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	run();
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 0);
}

static void
test_successor_signing_is_critical(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	root_add(KSK2024, 257, 1);
	agent_add(KSK2024, KS_VALID);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	anchor_add(&res.sources[0], KSK2024, KS_ADDPEND);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->message, "AddPend"));
}

static void
test_revoked_still_trusted(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2010, 385, 1);
	root_add(KSK2017, 257, 1);
	agent_add(KSK2017, KS_VALID);
	anchor_add(source_add(SRC_FILE), DS2010, KS_STATIC);
	anchor_add(&res.sources[0], KSK2017, KS_STATIC);
	run();
	assert_int_equal(count(F_REVOKED_STILL_TRUSTED, &f), 1);
	assert_int_equal(f->tags[0], 19036);
	assert_non_null(strstr(f->message, "19164"));
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
}

static void
test_revoked_in_autr_is_fine(void **state)
{
	struct source *s;

	(void)state;
	root_add(KSK2010, 385, 1);
	root_add(KSK2017, 257, 1);
	s = source_add(SRC_AUTO);
	anchor_add(s, KSK2010, KS_REVOKED);
	s->anchors[0].key.flags = 385;
	anchor_add(s, KSK2017, KS_VALID);
	run();
	assert_int_equal(rep.n, 0);
}

static void
test_zone_marked_revoked(void **state)
{
	struct source *s;
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	s = source_add(SRC_AUTO);
	s->is_zone_revoked = 1;
	anchor_add(s, KSK2017, KS_REVOKED);
	run();
	assert_int_equal(count(F_ZONE_MARKED_REVOKED, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	/* it does not fail, it silently stops validating */
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
}

static void
test_not_writable(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	if (getpwnam("nobody") != NULL && geteuid() == getpwnam("nobody")->pw_uid)
		skip();		/* nobody would own the file it cannot write */
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	chmod(dir, 0755);
	snprintf(res.user, sizeof(res.user), "nobody");
	run();
	assert_int_equal(count(F_ANCHOR_NOT_WRITABLE, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->message, "nobody"));
	report_free(&rep);
	res.user[0] = '\0';	/* root may write */
	run();
	assert_int_equal(count(F_ANCHOR_NOT_WRITABLE, NULL), 0);
}

static void
test_probe_overdue(void **state)
{
	struct source *s;
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	s = source_add(SRC_AUTO);
	anchor_add(s, KSK2017, KS_VALID);
	s->have_probe = 1;
	s->last_success = now - 1000;
	cfg.probe_overdue = 2000;
	run();
	assert_int_equal(count(F_PROBE_OVERDUE, NULL), 0);
	assert_int_equal(res.probe_age, 1000);
	cfg.probe_overdue = 999;
	run();
	assert_int_equal(count(F_PROBE_OVERDUE, &f), 1);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->value, 1000);
	/* checks.probe_critical: CRITICAL past it, WARNING up to it */
	cfg.probe_critical = 1000;
	report_free(&rep);
	run();
	assert_int_equal(count(F_PROBE_OVERDUE, &f), 1);
	assert_int_equal(f->sev, SEV_WARNING);
	cfg.probe_critical = 999;
	report_free(&rep);
	run();
	assert_int_equal(count(F_PROBE_OVERDUE, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
}

static void
test_root_unreachable_no_calendar(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	rv.is_secure = 0;
	snprintf(rv.why, sizeof(rv.why), "no answer within 5 s");
	anchor_add(source_add(SRC_AUTO), KSK2010, KS_VALID);
	run();
	assert_int_equal(count(F_ROOT_UNREACHABLE, &f), 1);
	assert_int_equal(f->sev, SEV_UNKNOWN);
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	assert_int_equal(detect_worst(&rep), SEV_UNKNOWN);
}

/* The shipped calendar into cal, for the verdicts without the live root. */
static struct calendar cal;

static void
offline(void)
{
	char err[AW_ERR_MAX];

	snprintf(cfg.events.file, sizeof(cfg.events.file),
	    "etc/anchorwatch/events.yaml");
	if (events_load(&cal, &cfg, err, sizeof(err)) == -1)
		fail_msg("%s", err);
	rv.is_secure = 0;
	snprintf(rv.why, sizeof(rv.why), "no answer within 5 s");
	rv.cal = &cal;
}

/* Without the live root the calendar still says who signs: on
 * 2026-11-28 a resolver trusting only KSK-2017 is broken, CRITICAL, and
 * the message says the verdict is the calendar's. */
static void
test_root_unreachable_calendar(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	offline();
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	anchor_add(&res.sources[0], KSK2024, KS_ADDPEND);
	run();
	assert_int_equal(count(F_ROOT_UNREACHABLE, NULL), 1);
	assert_int_equal(count(F_ANCHOR_STALE, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->ntags, 1);
	assert_int_equal(f->tags[0], 38696);
	assert_string_equal(f->message, "trusts 20326, but by the calendar "
	    "the root DNSKEY set is signed by key 38696 since 2026-10-11 "
	    "(KSK-2024 signs the root DNSKEY RRset, KSK-2017 no longer): "
	    "validation fails for every name; add key 38696 to its anchors "
	    "and restart (verdict from the calendar: the live root did not "
	    "answer)");
	assert_int_equal(detect_worst(&rep), SEV_CRITICAL);
	/* before the roll, KSK-2017 still signs */
	report_free(&rep);
	detect_resolver(&rep, &rv, &res, &cfg, 1791676800 - 1);
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
}

/* ... and a resolver that trusts KSK-2024 is not stale; no calendar, no
 * verdict. */
static void
test_root_unreachable_calendar_ok(void **state)
{
	(void)state;
	offline();
	anchor_add(source_add(SRC_FILE), DS2010, KS_STATIC);
	anchor_add(&res.sources[0], KSK2024, KS_STATIC);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	report_free(&rep);
	res.sources[0].nanchors = 1;	/* KSK-2010 alone */
	rv.cal = NULL;
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	rv.cal = &cal;
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 1);
}

/* Where the agent's history saw the root, it speaks instead: here the
 * roll came late, and KSK-2017 still signed on the run's date. */
static void
test_root_unreachable_history(void **state)
{
	static struct history hist;
	const struct finding *f = NULL;

	(void)state;
	offline();
	memset(&hist, 0, sizeof(hist));
	hist.n = 1;
	hist.keys[0].key = key(KSK2017);
	hist.keys[0].first_signing = 1539273600;	/* 2018-10-11 16:00 */
	hist.keys[0].last_signing = hist.last_run = now - 3600;
	rv.hist = &hist;
	cal.hist = &hist;
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
	/* a resolver trusting KSK-2024 alone is stale by the history */
	report_free(&rep);
	res.sources[0].anchors[0].key = key(KSK2024);
	run();
	assert_int_equal(count(F_ANCHOR_STALE, &f), 1);
	assert_int_equal(f->tags[0], 20326);
	assert_non_null(strstr(f->message, "trusts 38696, but by the agent's "
	    "history the root DNSKEY set is signed by key 20326: "));
	assert_non_null(strstr(f->message, "(verdict from the agent's "
	    "history: the live root did not answer)"));
}

static void
test_config_error_and_no_anchor(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	snprintf(res.error, sizeof(res.error), "/x/unbound.conf:3: bad");
	run();
	assert_int_equal(count(F_CONFIG_ERROR, &f), 1);
	assert_int_equal(f->sev, SEV_UNKNOWN);
	assert_string_equal(f->message, "/x/unbound.conf:3: bad");
	report_free(&rep);
	res.error[0] = '\0';
	run();
	assert_int_equal(count(F_NO_ANCHOR, NULL), 1);
}

static void
test_validation_off(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_FILE), KSK2010, KS_STATIC);
	res.dnssec = DNSSEC_OFF;
	snprintf(res.dnssec_where, sizeof(res.dnssec_where), "/x:3");
	run();
	assert_int_equal(count(F_VALIDATION_OFF, &f), 1);
	assert_non_null(strstr(f->message, "/x:3"));
	/* its anchors are not used: no verdict on them */
	assert_int_equal(count(F_ANCHOR_STALE, NULL), 0);
}

static void
test_probe_validation(void **state)
{
	struct probe_result *pr = &res.probe;

	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	pr->done = pr->reachable = 1;
	pr->checked[0] = 1;
	pr->rcode[0] = 0;
	pr->ad[0] = 1;
	run();
	assert_int_equal(rep.n, 0);
	pr->rcode[0] = 2;
	pr->cd_rcode[0] = 0;
	run();
	assert_int_equal(count(F_VALIDATION_FAILING, NULL), 1);
	report_free(&rep);
	pr->cd_rcode[0] = 2;		/* SERVFAIL with CD too: not DNSSEC */
	run();
	assert_int_equal(count(F_VALIDATION_FAILING, NULL), 0);
	pr->rcode[0] = 0;
	pr->ad[0] = 0;
	run();
	assert_int_equal(count(F_NOT_VALIDATING, NULL), 1);
	report_free(&rep);
	pr->reachable = 0;
	pr->checked[0] = 0;
	run();
	assert_int_equal(count(F_RESOLVER_UNREACHABLE, NULL), 1);
}

static void
test_probe_sentinel(void **state)
{
	struct probe_result *pr = &res.probe;
	const struct finding *f = NULL;
	struct dnskey *k24;

	(void)state;
	root_add(KSK2017, 257, 1);
	k24 = root_add(KSK2024, 257, 0);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	pr->done = pr->reachable = 1;
	pr->nsentinel = 2;
	pr->sentinel_tags[0] = 20326;
	pr->sentinel_tags[1] = k24->tag;
	pr->sentinel[0] = SENTINEL_TRUSTED;
	pr->sentinel[1] = SENTINEL_UNTRUSTED;
	run();
	assert_int_equal(rep.n, 0);
	/* the daemon trusts 38696 although its files do not */
	pr->sentinel[1] = SENTINEL_TRUSTED;
	run();
	assert_int_equal(count(F_SENTINEL_DIFFERS, &f), 1);
	assert_int_equal(f->tags[0], 38696);
	report_free(&rep);
	/* the daemon does not trust the signing key */
	pr->sentinel[0] = SENTINEL_UNTRUSTED;
	pr->sentinel[1] = SENTINEL_UNTRUSTED;
	run();
	assert_int_equal(count(F_SENTINEL_NOT_TRUSTED, &f), 1);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->tags[0], 20326);
	report_free(&rep);
	/* no support: no verdict */
	pr->sentinel[0] = pr->sentinel[1] = SENTINEL_NO_ANSWER;
	run();
	assert_int_equal(rep.n, 0);
}

static void
test_loaded_differs(void **state)
{
	const struct finding *f = NULL;

	(void)state;
	root_add(KSK2017, 257, 1);
	anchor_add(source_add(SRC_AUTO), KSK2017, KS_VALID);
	res.have_loaded = 1;
	res.nloaded = 1;
	res.loaded[0] = 20326;
	run();
	assert_int_equal(rep.n, 0);
	res.loaded[0] = 19036;
	run();
	assert_int_equal(count(F_LOADED_DIFFERS_FROM_DISK, &f), 1);
	assert_int_equal(f->ntags, 2);	/* 19036 loaded, 20326 on disk */
	assert_int_equal(f->tags[0], 19036);
	assert_int_equal(f->tags[1], 20326);
}

/* An RFC 5011 resolver hears of a revocation or a new key at its next
 * refresh: within its query interval of the agent's first sighting it is
 * not yet behind; a static one has no such grace. */
static void
test_refresh_grace(void **state)
{
	static struct history hist;
	struct hist_key *e;
	struct source *s;
	struct dnskey *k;

	(void)state;
	root_add(KSK2010, 385, 1);
	root_add(KSK2017, 257, 1);
	k = root_add(KSK2024, 257, 0);
	memset(&hist, 0, sizeof(hist));
	e = &hist.keys[hist.n++];
	e->key = key(KSK2010);
	e->first_seen = now - 900 * 86400;
	e->last_seen = now;
	e->revoked_seen = now - 3600;		/* revoked an hour ago */
	e = &hist.keys[hist.n++];
	e->key = *k;
	e->first_seen = now - 30 * 86400 - 3600; /* past hold-down an hour ago */
	e->last_seen = now;
	rv.hist = &hist;
	s = source_add(SRC_AUTO);
	anchor_add(s, KSK2010, KS_VALID);
	anchor_add(s, KSK2017, KS_VALID);
	s->query_interval = 43200;
	run();
	assert_int_equal(count(F_REVOKED_STILL_TRUSTED, NULL), 0);
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 0);
	s->query_interval = 1800;		/* it should have refreshed */
	run();
	assert_int_equal(count(F_REVOKED_STILL_TRUSTED, NULL), 1);
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 1);
	report_free(&rep);
	s->query_interval = 43200;
	s->kind = SRC_FILE;			/* static: told by nobody */
	run();
	assert_int_equal(count(F_REVOKED_STILL_TRUSTED, NULL), 1);
	assert_int_equal(count(F_SUCCESSOR_NOT_TRUSTED, NULL), 1);
}

static void
test_worst_order(void **state)
{
	(void)state;
	detect_add(&rep, F_STATIC_ANCHOR, SEV_WARNING, "a", NULL, 0, "w");
	assert_int_equal(detect_worst(&rep), SEV_WARNING);
	detect_add(&rep, F_ROOT_UNREACHABLE, SEV_UNKNOWN, "", NULL, 0, "u");
	assert_int_equal(detect_worst(&rep), SEV_UNKNOWN);
	detect_add(&rep, F_ANCHOR_STALE, SEV_CRITICAL, "a", NULL, 0, "c");
	assert_int_equal(detect_worst(&rep), SEV_CRITICAL);
	assert_string_equal(detect_code_name(F_ANCHOR_STALE), "ANCHOR_STALE");
	assert_string_equal(detect_code_name(F_NO_ANCHOR), "NO_ANCHOR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_current_auto_is_ok),
		T(test_stale_names_the_signing_key),
		T(test_stale_ds_anchor),
		T(test_addpend_anchor_is_not_trusted),
		T(test_static_anchor),
		T(test_static_by_nature),
		T(test_successor_published),
		T(test_successor_within_holddown_is_quiet),
		T(test_successor_signing_is_critical),
		T(test_revoked_still_trusted),
		T(test_revoked_in_autr_is_fine),
		T(test_zone_marked_revoked),
		T(test_not_writable),
		T(test_probe_overdue),
		T(test_root_unreachable_no_calendar),
		T(test_root_unreachable_calendar),
		T(test_root_unreachable_calendar_ok),
		T(test_root_unreachable_history),
		T(test_config_error_and_no_anchor),
		T(test_validation_off),
		T(test_probe_validation),
		T(test_probe_sentinel),
		T(test_loaded_differs),
		T(test_refresh_grace),
		T(test_worst_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
