/*
 * test_events.c: the root KSK calendar (the shipped events.yaml, hostile
 * calendars, operators' events), --now's time parser, and the survival
 * logic on synthetic resolvers at dates around the real events: KSK-2010
 * 19036, KSK-2017 20326, KSK-2024 38696.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define CALENDAR "etc/anchorwatch/events.yaml"
#define DAY 86400LL
#define T_2017_06_01 1496275200LL
#define T_2017_09_01 1504224000LL
#define T_ROLL_2018 1539273600LL	/* 2018-10-11 16:00 */
#define T_ROLL_2026 1791676800LL	/* 2026-10-11 */
#define T_REVOKE_2027 1799625600LL	/* 2027-01-11, assumed */

static struct calendar cal;
static struct config cfg;
static struct report rep;
static struct resolver res[4];

static int
setup(void **state)
{
	char err[AW_ERR_MAX];

	(void)state;
	config_defaults(&cfg);
	snprintf(cfg.events.file, sizeof(cfg.events.file), CALENDAR);
	memset(&cal, 0, sizeof(cal));
	if (events_load(&cal, &cfg, err, sizeof(err)) == -1) {
		print_error("%s\n", err);
		return -1;
	}
	memset(&rep, 0, sizeof(rep));
	memset(res, 0, sizeof(res));
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		resolver_free(&res[i]);
	memset(res, 0, sizeof(res));
	report_free(&rep);
	return 0;
}

/* Give r a source of kind k with one anchor for tag in state st. */
static struct anchor *
give(struct resolver *r, const char *name, enum src_kind k, uint16_t tag,
    enum ks_state st, long long lastchange)
{
	struct source *s = NULL;
	struct anchor *a;
	size_t i;

	snprintf(r->name, sizeof(r->name), "%s", name);
	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].kind == k)
			s = &r->sources[i];
	if (s == NULL) {
		s = resolver_add_source(r);
		s->kind = k;
	}
	a = &s->anchors[s->nanchors++];
	a->is_ds = k != SRC_AUTO;
	if (a->is_ds)
		a->ds.tag = tag;
	else {
		a->key.tag = tag;
		a->key.flags = 257;
	}
	a->state = st;
	a->lastchange = lastchange;
	return a;
}

static const struct event *
find(const char *id)
{
	size_t i;

	for (i = 0; i < cal.n; i++)
		if (strcmp(cal.ev[i].id, id) == 0)
			return &cal.ev[i];
	fail_msg("no event %s", id);
	return NULL;
}

/* ---- time ---------------------------------------------------------------- */

static void
test_time_good(void **state)
{
	static const struct {
		const char *s;
		long long t;
	} ok[] = {
		{ "2027-01-05", 1799107200 },
		{ "2027-01-05T12:00:00Z", 1799150400 },
		{ "2024-02-29", 1709164800 },
		{ "2000-03-01", 951868800 },
		{ "2100-03-01", 4107542400 },
		{ "2018-10-11T16:00:00Z", T_ROLL_2018 },
		{ "1799107200", 1799107200 },
		{ "0", 0 },
	};
	long long t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(events_parse_time(ok[i].s, strlen(ok[i].s),
		    &t), 0);
		assert_int_equal(t, ok[i].t);
	}
	/* only len bytes are read: "2027-01-05" out of a longer buffer */
	assert_int_equal(events_parse_time("2027-01-05T99", 10, &t), 0);
	assert_int_equal(t, 1799107200);
}

static void
test_time_bad(void **state)
{
	static const char *const bad[] = {
		"", "2027-1-05", "2027-01-5", "2027-02-29", "2100-02-29",
		"2027-02-30", "2027-13-01", "2027-00-10", "2027-01-00",
		"2027-01-32", "2027-01-05T12:00:00", "2027-01-05T24:00:00Z",
		"2027-01-05T12:60:00Z", "2027-01-05T12:00:60Z",
		"2027-01-05 12:00:00Z", "2027-01-05T12:00:00+01:00",
		"2027-01-05t12:00:00z", "+1799107200", "-1", "1799107200s",
		"123456789012", "1e9", "0x10", " 2027-01-05", "2027/01/05",
		"1969-12-31", "２０２７-01-05",
	};
	long long t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (events_parse_time(bad[i], strlen(bad[i]), &t) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void
test_date(void **state)
{
	char buf[32];

	(void)state;
	events_date(T_ROLL_2026, buf, sizeof(buf));
	assert_string_equal(buf, "2026-10-11");
	events_date(T_ROLL_2018, buf, sizeof(buf));
	assert_string_equal(buf, "2018-10-11 16:00");
}

/* ---- the calendar ------------------------------------------------------- */

static void
test_calendar(void **state)
{
	const struct event *e;
	size_t i;

	(void)state;
	assert_string_equal(cal.path, CALENDAR);
	assert_int_equal(cal.n, 11);
	for (i = 1; i < cal.n; i++)
		assert_true(cal.ev[i - 1].when <= cal.ev[i].when);
	e = find("ksk2017-roll");
	assert_int_equal(e->when, T_ROLL_2018);
	assert_int_equal(e->kind, EV_ROLL);
	assert_int_equal(e->requires[0], 20326);
	e = find("ksk2024-roll");
	assert_int_equal(e->when, T_ROLL_2026);
	assert_false(e->assumed);
	e = find("ksk2017-revoke");
	assert_int_equal(e->kind, EV_REVOKE);
	assert_true(e->assumed);
	assert_int_equal(e->when, T_REVOKE_2027);
	assert_int_equal(e->nrequires, 1);
	assert_int_equal(e->requires[0], 38696);
	assert_int_equal(e->keys[0], 20326);
	assert_true(find("ksk2017-remove")->assumed);
	assert_false(find("ksk2010-revoke")->assumed);
	assert_int_equal(find("ksk2024-publish")->kind, EV_PUBLISH);
	assert_int_equal(find("ksk2024-trust")->when,
	    find("ksk2024-publish")->when + 30 * DAY);
}

/* An operator's event with a calendar id replaces it; others are added. */
static void
test_extra(void **state)
{
	struct event *x = cfg.events.extra;
	char err[AW_ERR_MAX];
	size_t n = cal.n;

	(void)state;
	snprintf(x[0].id, sizeof(x[0].id), "ksk2017-revoke");
	snprintf(x[0].name, sizeof(x[0].name), "announced");
	x[0].when = T_REVOKE_2027 + 20 * DAY;
	x[0].kind = EV_REVOKE;
	x[0].origin = EVO_CONFIG;
	x[0].requires[0] = 38696;
	x[0].nrequires = 1;
	snprintf(x[1].name, sizeof(x[1].name), "our own");
	x[1].when = T_ROLL_2026 - DAY;
	x[1].origin = EVO_CONFIG;
	cfg.events.nextra = 2;
	assert_int_equal(events_load(&cal, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cal.n, n + 1);
	assert_string_equal(find("ksk2017-revoke")->name, "announced");
	assert_false(find("ksk2017-revoke")->assumed);
	assert_int_equal(find("ksk2017-revoke")->origin, EVO_CONFIG);
	assert_int_equal(find("ksk2024-roll")[-1].when, T_ROLL_2026 - DAY);
}

/* The default calendar may be missing; a configured one may not. */
static void
test_missing(void **state)
{
	char err[AW_ERR_MAX];

	(void)state;
	snprintf(cfg.events.file, sizeof(cfg.events.file),
	    "/etc/anchorwatch/events.yaml");
	if (access(cfg.events.file, F_OK) == 0)
		skip();
	assert_int_equal(events_load(&cal, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cal.n, 0);
	assert_string_equal(cal.path, "");
	snprintf(cfg.events.file, sizeof(cfg.events.file),
	    "/nonexistent/events.yaml");
	assert_int_equal(events_load(&cal, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/events.yaml"));
}

struct badcase {
	const char *file;
	unsigned line;
	const char *what;
};

static void
test_bad(void **state)
{
	const struct badcase *b = *state;
	char path[256], err[AW_ERR_MAX], want[300];
	struct calendar c;

	snprintf(path, sizeof(path), DATA("events/bad/%s"), b->file);
	memset(&c, 0, sizeof(c));
	assert_int_equal(config_load_events(path, &c, err, sizeof(err)), -1);
	assert_int_equal(c.n, 0);
	snprintf(want, sizeof(want), "%s:%u: ", path, b->line);
	if (strncmp(err, want, strlen(want)) != 0 ||
	    strstr(err, b->what) == NULL)
		fail_msg("%s: got \"%s\", want \"%s...%s\"", b->file, err,
		    want, b->what);
}

/* ---- the events: keys of anchorwatch.yaml ------------------------------- */

static void
test_config_keys(void **state)
{
	static struct config c;
	char err[AW_ERR_MAX];

	(void)state;
	if (config_load(&c, DATA("events/config/good.yaml"), err,
	    sizeof(err)) == -1)
		fail_msg("%s", err);
	assert_string_equal(c.events.file, "/srv/events.yaml");
	assert_int_equal(c.events.warn_days, 60);
	assert_int_equal(c.events.critical_days, 14);
	assert_int_equal(c.events.nextra, 2);
	assert_string_equal(c.events.extra[0].id, "ksk2017-revoke");
	assert_int_equal(c.events.extra[0].when, T_REVOKE_2027 + 9 * DAY);
	assert_int_equal(c.events.extra[0].origin, EVO_CONFIG);
	assert_int_equal(c.events.extra[0].line, 7);
	assert_int_equal(c.events.extra[1].kind, EV_OTHER);
	assert_true(c.events.extra[1].assumed);
	assert_int_equal(c.events.extra[1].requires[0], 38696);
	/* the defaults */
	config_defaults(&c);
	assert_string_equal(c.events.file, "/etc/anchorwatch/events.yaml");
	assert_int_equal(c.events.warn_days, 30);
	assert_int_equal(c.events.critical_days, 7);
}

static void
test_config_bad(void **state)
{
	static const struct badcase bad[] = {
		{ "crit-over-warn.yaml", 1, "events: critical_days (8) is "
		    "more than warn_days (7)" },
		{ "warn-zero.yaml", 2, "events.warn_days: 0 is out of range "
		    "1..366" },
		{ "extra-noname.yaml", 3, "events.extra: an event needs a "
		    "date and a name" },
		{ "extra-deep.yaml", 5, "nested too deeply" },
		{ "extra-unknown.yaml", 5, "unknown key \"colour\" in "
		    "events.extra" },
		{ "relative.yaml", 2, "events.file: path \"events.yaml\" is "
		    "not absolute" },
	};
	static struct config c;
	char path[256], err[AW_ERR_MAX], want[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), DATA("events/config/%s"),
		    bad[i].file);
		assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s:%u: %s", path, bad[i].line,
		    bad[i].what);
		if (strcmp(err, want) != 0)
			fail_msg("got \"%s\", want \"%s\"", err, want);
	}
}

/* ---- learned events ------------------------------------------------------ */

static void
test_learn(void **state)
{
	static struct source agent;
	struct anchor *a;
	size_t i, n = cal.n;

	(void)state;
	memset(&agent, 0, sizeof(agent));
	a = &agent.anchors[agent.nanchors++];
	a->key.tag = 4242;
	a->key.flags = 257;
	a->state = KS_ADDPEND;
	a->lastchange = T_REVOKE_2027;
	a = &agent.anchors[agent.nanchors++];	/* in the calendar: skipped */
	a->key.tag = 38696;
	a->key.flags = 257;
	a->state = KS_ADDPEND;
	a->lastchange = T_ROLL_2026;
	a = &agent.anchors[agent.nanchors++];	/* revoked: skipped */
	a->key.tag = 4243;
	a->key.flags = 257 | DNSKEY_F_REVOKE;
	a->state = KS_ADDPEND;
	a->lastchange = T_ROLL_2026;
	a = &agent.anchors[agent.nanchors++];	/* Valid: skipped */
	a->key.tag = 4244;
	a->key.flags = 257;
	a->state = KS_VALID;
	a->lastchange = T_ROLL_2026;
	events_learn(&cal, &agent, 0);
	assert_int_equal(cal.n, n + 1);
	for (i = 0; cal.ev[i].origin != EVO_LEARNED; i++)
		assert_true(i + 1 < cal.n);
	assert_int_equal(cal.ev[i].when, T_REVOKE_2027 + 30 * DAY);
	assert_int_equal(cal.ev[i].kind, EV_TRUST);
	assert_int_equal(cal.ev[i].requires[0], 4242);
	assert_string_equal(cal.ev[i].name, "KSK 4242 becomes trusted by "
	    "compliant resolvers (first seen 2027-01-11)");
	/* sorted in: before the removal of 2027-03-22 */
	assert_string_equal(cal.ev[i + 1].id, "ksk2017-remove");
	events_learn(&cal, &agent, 3600);	/* twice: no duplicate */
	assert_int_equal(cal.n, n + 1);
}

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
	/* the same key in a ;;REVOKED file is of no use; nothing trusted
	 * dates no break */
	res[0].sources[0].is_zone_revoked = 1;
	assert_int_equal(ready("ksk2017-revoke", &res[0], T_ROLL_2026,
	    "NOT READY: does not trust 38696, needed by 2027-01-11 "
	    "revocation (assumed date)"), RD_NOT_READY);
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

/* ---- who signs, and resolvers that break ------------------------------- */

static struct history hist;

/* hist: key tag signing over [from, to]; last_run the latest to. */
static void
hsign(uint16_t tag, long long from, long long to)
{
	struct hist_key *k = &hist.keys[hist.n++];

	memset(k, 0, sizeof(*k));
	k->key.tag = tag;
	k->key.flags = 257;
	k->first_seen = k->first_signing = from;
	k->last_seen = k->last_signing = to;
	if (to > hist.last_run)
		hist.last_run = to;
}

/* The signers at t as "a,b" (by hist if h), and whether hist spoke. */
static const char *
signers(const struct history *h, long long t, int *fh)
{
	static char buf[64];
	uint16_t tags[EV_TAGS_MAX];
	size_t i, n, o = 0;

	n = events_signers_at(&cal, h, t, tags, EV_TAGS_MAX, fh);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
		    i ? "," : "", tags[i]);
	return buf;
}

static void
test_signers_calendar(void **state)
{
	int fh;

	(void)state;
	assert_string_equal(signers(NULL, EV_EPOCH_MIN - 1, &fh), "");
	assert_string_equal(signers(NULL, EV_EPOCH_MIN, &fh), "19036");
	assert_false(fh);
	assert_string_equal(signers(NULL, T_2017_09_01, &fh), "19036");
	assert_string_equal(signers(NULL, T_ROLL_2018 - 1, &fh), "19036");
	assert_string_equal(signers(NULL, T_ROLL_2018, &fh), "20326");
	/* the end of KSK-2024's hold-down (2025-02-10) is no signer change */
	assert_string_equal(signers(NULL, T_ROLL_2026 - DAY, &fh), "20326");
	assert_string_equal(signers(NULL, T_ROLL_2026, &fh), "38696");
	assert_string_equal(signers(NULL, T_REVOKE_2027 + DAY, &fh), "38696");
	/* an empty history leaves it to the calendar */
	memset(&hist, 0, sizeof(hist));
	assert_string_equal(signers(&hist, T_ROLL_2026, &fh), "38696");
	assert_false(fh);
}

/* The history wins where it saw the root: here the 2026 roll came ten
 * days late, on 2026-10-21. */
static void
test_signers_history(void **state)
{
	int fh;

	(void)state;
	memset(&hist, 0, sizeof(hist));
	hsign(20326, T_ROLL_2018, T_ROLL_2026 + 9 * DAY);
	hsign(38696, T_ROLL_2026 + 10 * DAY, T_ROLL_2026 + 40 * DAY);
	assert_string_equal(signers(&hist, T_ROLL_2026 + 5 * DAY, &fh),
	    "20326");
	assert_true(fh);
	assert_string_equal(signers(&hist, T_ROLL_2026 + 20 * DAY, &fh),
	    "38696");
	assert_true(fh);
	/* between two runs that saw different signers: the calendar */
	assert_string_equal(signers(&hist, T_ROLL_2026 + 9 * DAY + 1, &fh),
	    "38696");
	assert_false(fh);
	/* before the history begins: the calendar */
	assert_string_equal(signers(&hist, T_2017_09_01, &fh), "19036");
	assert_false(fh);
	/* after its last run, with no roll in the calendar since: what it
	 * saw last, past the revocation too */
	assert_string_equal(signers(&hist, T_REVOKE_2027 + DAY, &fh),
	    "38696");
	assert_true(fh);
	/* a last run before a calendar roll: the calendar after the roll */
	memset(&hist, 0, sizeof(hist));
	hsign(20326, T_ROLL_2018, T_ROLL_2026 - 30 * DAY);
	assert_string_equal(signers(&hist, T_ROLL_2026 - DAY, &fh), "20326");
	assert_true(fh);
	assert_string_equal(signers(&hist, T_ROLL_2026 + DAY, &fh), "38696");
	assert_false(fh);
}

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

/* ---- EVENT_AHEAD ---------------------------------------------------------- */

/* Findings for res[0..3) at now: how many, the worst severity. */
static size_t
ahead(long long now, enum severity *worst)
{
	report_free(&rep);
	events_detect(&rep, &cal, res, 3, &cfg, now);
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

#define BADCASE(f, l, w) { "bad/" f, test_bad, NULL, NULL, \
	&(struct badcase){ f, l, w } }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_good),
		cmocka_unit_test(test_time_bad),
		cmocka_unit_test(test_date),
		T(test_calendar),
		T(test_extra),
		T(test_missing),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_config_bad),
		T(test_learn),
		T(test_ready_static),
		T(test_ready_addpend),
		T(test_ready_publish),
		T(test_ready_unknown),
		T(test_signers_calendar),
		T(test_signers_history),
		T(test_ready_broken),
		T(test_ready_history),
		T(test_print_past),
		T(test_detect_window),
		T(test_detect_late),
		T(test_detect_config),
		BADCASE("no-version.yaml", 1, "no \"version: 1\" line"),
		BADCASE("version-2.yaml", 1, "version: 2 is out of range 1..1"),
		BADCASE("bad-date.yaml", 3, "events.date: \"2027-02-30\" is "
		    "not YYYY-MM-DD"),
		BADCASE("early-date.yaml", 3, "is before 2010-07-15"),
		BADCASE("zone-date.yaml", 3, "is not YYYY-MM-DD"),
		BADCASE("huge-epoch.yaml", 3, "is not YYYY-MM-DD"),
		BADCASE("no-name.yaml", 3, "an event needs a date and a name"),
		BADCASE("ctrl-name.yaml", 4, "events.name: not printable"),
		BADCASE("long-name.yaml", 4, "events.name: value longer than "
		    "127 bytes"),
		BADCASE("nul.yaml", 4, "NUL byte"),
		BADCASE("bad-kind.yaml", 5, "unknown event kind \"rollover\""),
		BADCASE("bad-tag.yaml", 5, "\"65536\" is not a key tag"),
		BADCASE("neg-tag.yaml", 5, "\"-1\" is not a key tag"),
		BADCASE("quoted-tag.yaml", 5, "\"20326\" is not a key tag"),
		BADCASE("many-tags.yaml", 5, "events.keys: more than 4 key "
		    "tags"),
		BADCASE("dup-id.yaml", 6, "duplicate id \"a\" (first at line "
		    "3)"),
		BADCASE("bad-id.yaml", 3, "\"KSK_2017\" is not 1-31 of a-z"),
		BADCASE("unknown-key.yaml", 5, "unknown key \"when\" in "
		    "events"),
		BADCASE("dup-key.yaml", 4, "duplicate key \"date\""),
		BADCASE("alias.yaml", 3, "anchors (&) are not allowed"),
		BADCASE("bool.yaml", 5, "unknown boolean \"yes\""),
		BADCASE("deep.yaml", 5, "nested too deeply"),
		BADCASE("item-scalar.yaml", 3, "events: expected a mapping, "
		    "got a scalar"),
		BADCASE("too-many.yaml", 131, "events: more than 64 events"),
		BADCASE("two-docs.yaml", 3, "more than one document"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
