/*
 * events.h: what test_events (the calendar, events.c) and test_ready
 * (who survives, events-ready.c) share: the shipped calendar loaded by
 * setup(), the real dates around it, synthetic resolvers (give) and an
 * agent's history (hsign).
 */
#ifndef EVENTS_H
#define EVENTS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define EV_UNUSED __attribute__((unused))

#define CALENDAR "etc/anchorwatch/events.yaml"
#define DAY 86400LL
#define T_2017_06_01 1496275200LL
#define T_2017_09_01 1504224000LL
#define T_ROLL_2018 1539273600LL	/* 2018-10-11 16:00 */
#define T_ROLL_2026 1791676800LL	/* 2026-10-11 */
#define T_REVOKE_2027 1799625600LL	/* 2027-01-11, assumed */

static struct calendar cal;
static struct config cfg;
static struct report rep EV_UNUSED;
static struct resolver res[4];
static struct history hist EV_UNUSED;

static EV_UNUSED int
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
	memset(&hist, 0, sizeof(hist));
	return 0;
}

static EV_UNUSED int
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
static EV_UNUSED struct anchor *
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
	a = source_add_anchor(s);
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

static EV_UNUSED const struct event *
find(const char *id)
{
	size_t i;

	for (i = 0; i < cal.n; i++)
		if (strcmp(cal.ev[i].id, id) == 0)
			return &cal.ev[i];
	fail_msg("no event %s", id);
	return NULL;
}


/* hist: key tag signing over [from, to]; last_run the latest to. */
static EV_UNUSED void
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


#endif /* EVENTS_H */
