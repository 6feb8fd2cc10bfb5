/*
 * test_events.c: the root KSK calendar (the shipped events.yaml, hostile
 * calendars, operators' events), --now's time parser, the countdowns the
 * agent's file adds, and who signs the root at a date (by the calendar,
 * by the agent's history).  Who survives each event is test_ready.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"

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
	    AW_DATADIR "/events.yaml");
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
	assert_int_equal(calendar_load(path, &c, err, sizeof(err)), -1);
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
	assert_string_equal(c.events.file, AW_DATADIR "/events.yaml");
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
	a = source_add_anchor(&agent);
	a->key.tag = 4242;
	a->key.flags = 257;
	a->state = KS_ADDPEND;
	a->lastchange = T_REVOKE_2027;
	a = source_add_anchor(&agent);	/* in the calendar: skipped */
	a->key.tag = 38696;
	a->key.flags = 257;
	a->state = KS_ADDPEND;
	a->lastchange = T_ROLL_2026;
	a = source_add_anchor(&agent);	/* revoked: skipped */
	a->key.tag = 4243;
	a->key.flags = 257 | DNSKEY_F_REVOKE;
	a->state = KS_ADDPEND;
	a->lastchange = T_ROLL_2026;
	a = source_add_anchor(&agent);	/* Valid: skipped */
	a->key.tag = 4244;
	a->key.flags = 257;
	a->state = KS_VALID;
	a->lastchange = T_ROLL_2026;
	events_learn(&cal, &agent, 0);
	source_free(&agent);
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

/* ---- who signs ----------------------------------------------------------- */

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
#define BADCASE(f, l, w) { "bad/" f, test_bad, NULL, NULL, \
	&(struct badcase){ f, l, w } }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_calendar),
		T(test_extra),
		T(test_missing),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_config_bad),
		T(test_learn),
		T(test_signers_calendar),
		T(test_signers_history),
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
