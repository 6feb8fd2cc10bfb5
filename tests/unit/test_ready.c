/*
 * test_ready.c: which resolver survives each root KSK event
 * (events-ready.c): readiness on synthetic resolvers at dates around the
 * real events (KSK-2010 19036, KSK-2017 20326, KSK-2024 38696), a
 * resolver broken from a roll on, the history dating a late roll, the
 * `events` listing and EVENT_AHEAD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw-summary.h"
#include "events.h"

/* ---- survival ------------------------------------------------------------ */

static enum ev_ready
ready(const char *id, struct resolver *r, long long now, const char *want)
{
	char why[AW_ERR_MAX];
	enum ev_ready rd;

	rd = events_ready(&cal, find(id), r, now, 0, why, sizeof(why));
	if (strcmp(why, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", id, why, want);
	return rd;
}

static void
test_ready_static(void **state)
{
	(void)state;
	give(&res[0], "s", SRC_FILE, 20326, KS_STATIC, 0);
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - DAY,
	    "NOT READY: does not trust 38696, needed by 2026-10-11 roll"),
	    RD_NOT_READY);
	/* at the roll it breaks: for what comes after, it is broken */
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026 - DAY,
	    "NOT READY: broken from the 2026-10-11 roll on (does not trust "
	    "38696)"), RD_NOT_READY);
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026,
	    "NOT READY: broken since the 2026-10-11 roll (trusts 20326; the "
	    "root is signed by 38696)"), RD_NOT_READY);
	give(&res[0], "s", SRC_FILE, 38696, KS_STATIC, 0);
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - DAY,
	    "ready (trusts 38696)"), RD_READY);
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026,
	    "ready (trusts 38696)"), RD_READY);
}

/* AddPend: ready if the hold-down ends by the event, to the second. */
static void
test_ready_addpend(void **state)
{
	(void)state;
	give(&res[0], "a", SRC_AUTO, 20326, KS_VALID, 0);
	give(&res[0], "a", SRC_AUTO, 38696, KS_ADDPEND,
	    T_ROLL_2026 - 30 * DAY);
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - DAY,
	    "ready (holds 38696 in AddPend, trusted from 2026-10-11)"),
	    RD_READY);
	res[0].sources[0].anchors[1].lastchange++;
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - DAY,
	    "NOT READY: holds 38696 in AddPend, trusted from 2026-10-11 "
	    "00:00, needed by 2026-10-11 roll"), RD_NOT_READY);
	/* a first sighting in the future counts from now */
	res[0].sources[0].anchors[1].lastchange = T_REVOKE_2027;
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - 40 * DAY,
	    "ready (holds 38696 in AddPend, trusted from 2026-10-01)"),
	    RD_READY);
	/* the hold-down ends after the roll, which breaks the resolver: it
	 * never validates again to finish it */
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026 - DAY,
	    "NOT READY: broken from the 2026-10-11 roll on (holds 38696 in "
	    "AddPend, trusted from 2026-11-09)"), RD_NOT_READY);
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026,
	    "NOT READY: broken since the 2026-10-11 roll (trusts 20326; the "
	    "root is signed by 38696)"), RD_NOT_READY);
	/* the same key in a ;;REVOKED file is of no use: nothing trusted,
	 * nothing validated, broken now (since when, nothing here says) */
	res[0].sources[0].is_zone_revoked = 1;
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026,
	    "NOT READY: broken now (it trusts no key)"), RD_NOT_READY);
	/* AddPend alone, hold-down done before the roll: a resolver that
	 * trusts no key validates no set, so it never finishes it */
	give(&res[1], "pending", SRC_AUTO, 38696, KS_ADDPEND,
	    T_ROLL_2026 - 60 * DAY);
	assert_int_equal(ready("ksk2024-roll", &res[1], T_ROLL_2026 - 50 * DAY,
	    "NOT READY: broken now (it trusts no key)"), RD_NOT_READY);
}

/* RFC 5011 resolvers learn a key published later; static ones do not. */
static void
test_ready_publish(void **state)
{
	(void)state;
	give(&res[0], "auto", SRC_AUTO, 19036, KS_VALID, 0);
	give(&res[1], "static", SRC_FILE, 19036, KS_STATIC, 0);
	assert_int_equal(ready("ksk2017-roll", &res[0], T_2017_06_01,
	    "ready (learns 20326 when it is published 2017-07-11, trusted "
	    "from 2017-08-10)"), RD_READY);
	assert_int_equal(ready("ksk2017-roll", &res[1], T_2017_06_01,
	    "NOT READY: does not trust 20326, needed by 2018-10-11 16:00 "
	    "roll"), RD_NOT_READY);
	/* published but not yet seen: a hold-down from now, at best */
	assert_int_equal(ready("ksk2017-roll", &res[0], T_2017_09_01,
	    "ready (has not seen 20326 (published 2017-07-11), trusted from "
	    "2017-10-01 at the earliest)"), RD_READY);
	/* started on 2018-10-01 with only KSK-2010: too late */
	assert_int_equal(ready("ksk2017-roll", &res[0], T_ROLL_2018 - 10 * DAY -
	    16 * 3600, "NOT READY: has not seen 20326 (published 2017-07-11), "
	    "trusted from 2018-10-31 at the earliest, needed by 2018-10-11 "
	    "16:00 roll"), RD_NOT_READY);
	/* through every earlier roll: KSK-2010 managed from 2017 learns
	 * KSK-2017, which lets it learn KSK-2024; static KSK-2010 breaks at
	 * the 2018 roll and stays broken */
	assert_int_equal(ready("ksk2024-roll", &res[0], T_2017_06_01,
	    "ready (learns 38696 when it is published 2025-01-11, trusted "
	    "from 2025-02-10)"), RD_READY);
	assert_int_equal(ready("ksk2024-roll", &res[1], T_2017_06_01,
	    "NOT READY: broken from the 2018-10-11 16:00 roll on (does not "
	    "trust 20326)"), RD_NOT_READY);
	/* with KSK-2010 only in 2026: broken since 2018, it never sees
	 * KSK-2024 */
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - 60 * DAY,
	    "NOT READY: broken since the 2018-10-11 16:00 roll (trusts 19036; "
	    "the root is signed by 20326)"), RD_NOT_READY);
	/* a key the calendar never publishes: an RFC 5011 resolver
	 * cannot be counted on to learn it */
	{
		struct event e = { .when = T_ROLL_2026, .kind = EV_OTHER,
		    .requires = { 4242 }, .nrequires = 1 };
		char why[AW_ERR_MAX];

		assert_int_equal(events_ready(&cal, &e, &res[0], T_2017_09_01,
		    0, why, sizeof(why)), RD_NOT_READY);
		assert_string_equal(why, "NOT READY: does not trust 4242, "
		    "needed by 2026-10-11 event");
	}
}

static void
test_ready_unknown(void **state)
{
	(void)state;
	give(&res[0], "broken", SRC_FILE, 38696, KS_STATIC, 0);
	snprintf(res[0].error, sizeof(res[0].error), "x:1: bad");
	assert_int_equal(ready("ksk2024-roll", &res[0], T_ROLL_2026 - DAY,
	    "unknown: its configuration cannot be read (CONFIG_ERROR)"),
	    RD_UNKNOWN);
	give(&res[1], "off", SRC_FILE, 20326, KS_STATIC, 0);
	res[1].dnssec = DNSSEC_OFF;
	assert_int_equal(ready("ksk2024-roll", &res[1], T_ROLL_2026 - DAY,
	    "unknown: it does not validate"), RD_UNKNOWN);
	snprintf(res[2].name, sizeof(res[2].name), "none");
	assert_int_equal(ready("ksk2024-roll", &res[2], T_ROLL_2026 - DAY,
	    "unknown: it does not validate"), RD_UNKNOWN);
}

/* ---- resolvers that break ------------------------------------------------ */


/* The example: on 2027-01-20 an RFC 5011 resolver trusting only
 * KSK-2017 is not "ready, has not seen 38696": it has been broken since
 * the 2026-10-11 roll, and a managed resolver learns nothing then. */
static void
test_ready_broken(void **state)
{
	long long t = T_REVOKE_2027 + 9 * DAY;	/* 2027-01-20 */

	(void)state;
	give(&res[0], "auto2017", SRC_AUTO, 20326, KS_VALID, 0);
	assert_int_equal(ready("ksk2017-remove", &res[0], t, "NOT READY: "
	    "broken since the 2026-10-11 roll (trusts 20326; the root is "
	    "signed by 38696)"), RD_NOT_READY);
	/* a key that never signed: broken since the root was signed */
	give(&res[1], "odd", SRC_FILE, 4242, KS_STATIC, 0);
	assert_int_equal(ready("ksk2017-remove", &res[1], t, "NOT READY: "
	    "broken since the 2010-07-15 event (trusts 4242; the root is "
	    "signed by 38696)"), RD_NOT_READY);
}

/* A break the history saw later than the calendar's date is dated by
 * the history, and said to be. */
static void
test_ready_history(void **state)
{
	(void)state;
	memset(&hist, 0, sizeof(hist));
	hsign(20326, T_ROLL_2018, T_ROLL_2026 + 9 * DAY);
	hsign(38696, T_ROLL_2026 + 10 * DAY, T_ROLL_2026 + 40 * DAY);
	cal.hist = &hist;
	give(&res[0], "s", SRC_FILE, 20326, KS_STATIC, 0);
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026 + 50 *
	    DAY, "NOT READY: broken since 2026-10-20 00:00 (trusts 20326; the "
	    "agent saw the root signed by 38696)"), RD_NOT_READY);
	/* on 2026-10-15 the history saw 20326 still signing: no break yet,
	 * and the coming one is the calendar's next signer change it knows */
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026 + 5 *
	    DAY, "NOT READY: broken from 2026-10-20 00:00 on (does not trust "
	    "38696)"), RD_NOT_READY);
	cal.hist = NULL;
}

/* The listing: the past events a resolver did not survive come first,
 * the calendar's and those only the history dates. */
static void
test_print_past(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	give(&res[0], "static2017", SRC_FILE, 20326, KS_STATIC, 0);
	give(&res[1], "both", SRC_FILE, 38696, KS_STATIC, 0);
	assert_non_null(f = open_memstream(&buf, &len));
	events_print(f, &cal, res, 2, &cfg, T_REVOKE_2027 + 9 * DAY);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "\nPast events a resolver did not "
	    "survive:\n\n2026-10-11        roll     keys 38696,20326  "
	    "published  KSK-2024 signs the root DNSKEY RRset, KSK-2017 no "
	    "longer\n    static2017: did not survive it (trusts 20326; the "
	    "root is signed by 38696)\n\nComing events:\n"));
	assert_null(strstr(buf, "both: did not survive"));
	assert_non_null(strstr(buf, "    both: ready (trusts 38696)\n"));
	free(buf);
	/* a roll the history saw later than the calendar: its own entry */
	memset(&hist, 0, sizeof(hist));
	hsign(20326, T_ROLL_2018, T_ROLL_2026 + 9 * DAY);
	hsign(38696, T_ROLL_2026 + 10 * DAY, T_ROLL_2026 + 40 * DAY);
	cal.hist = &hist;
	assert_non_null(f = open_memstream(&buf, &len));
	events_print(f, &cal, res, 2, &cfg, T_ROLL_2026 + 50 * DAY);
	assert_int_equal(fclose(f), 0);
	cal.hist = NULL;
	assert_non_null(strstr(buf, "\n2026-10-20 00:00  change   keys 38696  "
	    "      history    the agent saw another key signing the root "
	    "DNSKEY set\n    static2017: did not survive it (trusts 20326; "
	    "the agent saw the root signed by 38696)\n"));
	assert_null(strstr(buf, "\n2026-10-11        roll"));
	free(buf);
}

/* ---- EVENT_AHEAD --------------------------------------------------------- */

/* Findings for res[0..3) at now: how many, the worst severity. */
static size_t
ahead(long long now, enum severity *worst)
{
	struct thresholds t;

	report_free(&rep);
	events_detect(&rep, &cal, res, 3, &cfg, now);
	detect_thresholds(&cfg, &t);
	detect_grade(&rep, &t);
	*worst = detect_worst(&rep);
	return rep.n;
}

static void
test_detect_window(void **state)
{
	enum severity w;

	(void)state;
	give(&res[0], "static2017", SRC_FILE, 20326, KS_STATIC, 0);
	give(&res[1], "both", SRC_FILE, 20326, KS_STATIC, 0);
	give(&res[1], "both", SRC_FILE, 38696, KS_STATIC, 0);
	assert_int_equal(ahead(T_ROLL_2026 - 30 * DAY - 1, &w), 0);
	assert_int_equal(ahead(T_ROLL_2026 - 30 * DAY, &w), 1);
	assert_int_equal(w, SEV_WARNING);
	assert_int_equal(rep.f[0].code, F_EVENT_AHEAD);
	assert_string_equal(rep.f[0].resolver, "static2017");
	assert_int_equal(rep.f[0].ntags, 1);
	assert_int_equal(rep.f[0].tags[0], 38696);
	assert_string_equal(rep.f[0].message, "2026-10-11 roll (KSK-2024 "
	    "signs the root DNSKEY RRset, KSK-2017 no longer) is in 30 days "
	    "and needs key 38696; this resolver does not trust 38696");
	assert_int_equal(ahead(T_ROLL_2026 - 7 * DAY - 1, &w), 1);
	assert_int_equal(w, SEV_WARNING);
	assert_int_equal(ahead(T_ROLL_2026 - 7 * DAY, &w), 1);
	assert_int_equal(w, SEV_CRITICAL);
	assert_non_null(strstr(rep.f[0].message, "is in 7 days"));
	assert_int_equal(ahead(T_ROLL_2026 - 1, &w), 1);
	assert_non_null(strstr(rep.f[0].message, "is in 1 day and"));
	/* at and after the event: other findings take over */
	assert_int_equal(ahead(T_ROLL_2026, &w), 0);
	/* the assumed revocation: only static2017 is still short of 38696 */
	assert_int_equal(ahead(T_REVOKE_2027 - 10 * DAY, &w), 1);
	assert_int_equal(w, SEV_WARNING);
	assert_string_equal(rep.f[0].resolver, "static2017");
	assert_non_null(strstr(rep.f[0].message, "2027-01-11 revocation "
	    "(KSK-2017 revoked, published as 20454 with the REVOKE bit; date "
	    "assumed) is in 10 days"));
}

/* A key first seen 20 days before the roll cannot reach Valid in time:
 * warned at once (and a static resolver with it is fine). */
static void
test_detect_late(void **state)
{
	enum severity w;

	(void)state;
	give(&res[0], "late", SRC_AUTO, 20326, KS_VALID, 0);
	give(&res[0], "late", SRC_AUTO, 38696, KS_ADDPEND,
	    T_ROLL_2026 - 20 * DAY);
	give(&res[1], "ontime", SRC_AUTO, 20326, KS_VALID, 0);
	give(&res[1], "ontime", SRC_AUTO, 38696, KS_ADDPEND,
	    T_ROLL_2026 - 30 * DAY);
	assert_int_equal(ahead(T_ROLL_2026 - 20 * DAY, &w), 1);
	assert_int_equal(w, SEV_WARNING);
	assert_string_equal(rep.f[0].resolver, "late");
	assert_string_equal(rep.f[0].message, "2026-10-11 roll (KSK-2024 "
	    "signs the root DNSKEY RRset, KSK-2017 no longer) is in 20 days "
	    "and needs key 38696; this resolver holds 38696 in AddPend, "
	    "trusted from 2026-10-21");
	/* after the roll: ontime's files hold 38696 Valid by then, and it is
	 * ready for the revocation; late's still hold it in AddPend, as it
	 * broke at the roll and never finished its hold-down */
	res[1].sources[0].anchors[1].state = KS_VALID;
	assert_int_equal(ahead(T_REVOKE_2027 - 5 * DAY, &w), 1);
	assert_int_equal(w, SEV_CRITICAL);
	assert_string_equal(rep.f[0].resolver, "late");
	assert_int_equal(rep.f[0].tags[0], 38696);
	assert_non_null(strstr(rep.f[0].message, "needs key 38696; this "
	    "resolver has been broken since the 2026-10-11 roll (trusts "
	    "20326; the root is signed by 38696)"));
	/* before the roll, the revocation is beyond a break still to come */
	cfg.events.warn_days = 366;
	assert_int_equal(ahead(T_ROLL_2026 - 20 * DAY, &w), 3);
	assert_non_null(strstr(rep.f[1].message, "2027-01-11 revocation"));
	assert_non_null(strstr(rep.f[1].message, "this resolver is broken "
	    "from the 2026-10-11 roll on (holds 38696 in AddPend, trusted "
	    "from 2026-10-21)"));
}

/* warn_days and critical_days are the operator's; trust events never warn. */
static void
test_detect_config(void **state)
{
	enum severity w;

	(void)state;
	give(&res[0], "static2017", SRC_FILE, 20326, KS_STATIC, 0);
	cfg.events.warn_days = 60;
	cfg.events.critical_days = 45;
	assert_int_equal(ahead(T_ROLL_2026 - 50 * DAY, &w), 1);
	assert_int_equal(w, SEV_WARNING);
	assert_int_equal(ahead(T_ROLL_2026 - 45 * DAY, &w), 1);
	assert_int_equal(w, SEV_CRITICAL);
	/* 2025-02-10, KSK-2024's end of hold-down: not a hazard */
	assert_int_equal(ahead(find("ksk2024-trust")->when - DAY, &w), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ready_static),
		T(test_ready_addpend),
		T(test_ready_publish),
		T(test_ready_unknown),
		T(test_ready_broken),
		T(test_ready_history),
		T(test_print_past),
		T(test_detect_window),
		T(test_detect_late),
		T(test_detect_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
