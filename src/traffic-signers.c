/*
 * traffic-signers.c: which root keys a source of anchorwatch traffic must
 * signal, from the root's state at the capture's own time.
 *
 * RFC 8145 key tag signals (sections 4 and 5) say which root keys a
 * resolver trusts.  It validates the root only while one of them signs the
 * root DNSKEY set; after the 2026-10-11 roll a resolver that signals only
 * 20326 is broken, before it one that signals only 38696 was.  So what is
 * stale depends on the date: the keys signing at a date come from
 * events_signers_at() (events.c): the agent's history (state_dir/history)
 * where it saw the root at or around that date, else the calendar
 * (events.file).
 *
 * The rule for a capture: a resolver's trusted keys do not change within
 * a capture (a new one takes a 30-day hold-down, RFC 5011 section 2.4.1),
 * so what it signals at any moment describes it throughout.  The span
 * [first query, last query] is therefore judged at every moment: the
 * signing sets at its start and at each date in it where they may change
 * (a calendar event, a key first or last seen signing in the history) are
 * kept, each distinct set once, and a source is SIGNALLING_STALE when, for
 * one of them, it signals none of its keys: it was (or became) unable to
 * validate during the capture.  A capture that spans a roll thus flags a
 * source that signals only the old key, and one that signals only the new.
 *
 * Without a calendar the history alone speaks; where neither knows the
 * date (no calendar and no history, or dates before the calendar's first
 * event), signals are not judged, and stderr says so: there is no fixed
 * list to fall back on, --trusted-tags names one.
 */
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* The dates that can open a new signing set: the span's start, then every
 * calendar event and history boundary inside it.  Their number in *n. */
static long long *
signers_points(const struct calendar *cal, const struct history *h,
    long long first, long long last, size_t *n)
{
	long long *p = xcalloc(1 + EV_MAX + 2 * AW_HIST_MAX, sizeof(*p)), t;
	size_t i;

	*n = 0;
	p[(*n)++] = first;
	for (i = 0; i < cal->n; i++)
		if (cal->ev[i].when > first && cal->ev[i].when <= last)
			p[(*n)++] = cal->ev[i].when;
	for (i = 0; h != NULL && i < h->n; i++) {
		if ((t = h->keys[i].first_signing) > first && t <= last)
			p[(*n)++] = t;
		if ((t = h->keys[i].last_signing + 1) > first && t <= last)
			p[(*n)++] = t;
	}
	return p;
}

static int
signers_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* 1 if set s holds the same tags as tags[0..n), in any order. */
static int
is_same_set(const struct traffic_signers *s, const uint16_t *tags, size_t n)
{
	size_t i, j;

	if (s->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < s->n && s->tags[j] != tags[i]; j++)
			;
		if (j == s->n)
			return 0;
	}
	return 1;
}

/* Add the set signing at t, if known and new; *hist, *calu: who spoke. */
static void
signers_add(struct traffic_opts *o, const struct calendar *cal,
    const struct history *h, long long t, int *hist, int *calu)
{
	uint16_t tags[TRAFFIC_TRUSTED_MAX];
	struct traffic_signers *s;
	int from_hist;
	size_t n, i;

	if ((n = events_signers_at(cal, h, t, tags, TRAFFIC_TRUSTED_MAX,
	    &from_hist)) == 0)
		return;
	for (i = 0; i < o->nsigners; i++)
		if (is_same_set(&o->signers[i], tags, n))
			return;
	if (o->nsigners == TRAFFIC_SIGNERS_MAX)
		return;		/* 8 rolls in one capture: cannot be */
	s = &o->signers[o->nsigners++];
	s->from = t;
	s->n = n;
	memcpy(s->tags, tags, n * sizeof(tags[0]));
	*(from_hist ? hist : calu) = 1;
}

void
traffic_signers_span(struct traffic_opts *o, const struct calendar *cal,
    const struct history *hist, long long first, long long last)
{
	long long *p;
	size_t n, i;
	int h = 0, c = 0;

	o->nsigners = 0;
	o->signers_by = NULL;
	p = signers_points(cal, hist, first, last, &n);
	qsort(p, n, sizeof(*p), signers_cmp);
	for (i = 0; i < n; i++)
		signers_add(o, cal, hist, p[i], &h, &c);
	free(p);
	if (h || c)
		o->signers_by = h && c ? "calendar+history" : h ? "history" :
		    "calendar";
}

/* The agent's history of c into h; 0 if there is none to use (said on
 * stderr when it cannot be read). */
static int
signers_history(const struct config *c, struct history *h)
{
	char path[AW_PATH_MAX + 16], err[AW_ERR_MAX];

	snprintf(path, sizeof(path), "%s/history", c->state_dir);
	if (state_load(path, h, err, sizeof(err)) == -1) {
		log_warnx("traffic: %s (the agent's history is not used)", err);
		return 0;
	}
	return h->n > 0;
}

int
traffic_signers_load(struct traffic_opts *o, const struct config *c,
    const struct traffic *t, char *err, size_t errlen)
{
	struct calendar *cal = xcalloc(1, sizeof(*cal));
	struct history *h = xcalloc(1, sizeof(*h));
	char d1[32], d2[32];
	long long first = t->first_us / 1000000, last = t->last_us / 1000000;
	int rc = -1, have_hist;

	if (events_load(cal, c, err, errlen) == -1)
		goto done;
	snprintf(o->calendar, sizeof(o->calendar), "%s", cal->path);
	have_hist = signers_history(c, h);
	traffic_signers_span(o, cal, have_hist ? h : NULL, first, last);
	date_format(first, DATE_DAY_OR_MINUTE, d1, sizeof(d1));
	date_format(last, DATE_DAY_OR_MINUTE, d2, sizeof(d2));
	if (cal->path[0] == '\0' && o->nsigners > 0)
		log_warnx("traffic: no calendar at %s (events.file): the keys "
		    "that sign the root come from the agent's history alone",
		    c->events.file);
	else if (o->nsigners == 0 && cal->path[0] == '\0')
		log_warnx("traffic: no calendar at %s (events.file), and no "
		    "history of the agent for %s to %s: key tag signals are not "
		    "judged (--trusted-tags names the keys to expect)",
		    c->events.file, d1, d2);
	else if (o->nsigners == 0)
		log_warnx("traffic: neither the calendar %s nor the agent's "
		    "history knows which keys signed the root from %s to %s: "
		    "key tag signals are not judged (--trusted-tags names the "
		    "keys to expect)", cal->path, d1, d2);
	rc = 0;
done:
	free(cal);
	free(h);
	return rc;
}

void
traffic_signers_text(const struct traffic_opts *o, char *buf, size_t len)
{
	const struct traffic_signers *s;
	int cal = o->signers_by != NULL &&
	    strstr(o->signers_by, "calendar") != NULL;
	char date[32];
	size_t i, j, k = 0;

	if (o->nsigners == 0) {
		snprintf(buf, len, "not known, key tag signals not judged");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < o->nsigners && k < len; i++) {
		s = &o->signers[i];
		for (j = 0; j < s->n && k < len; j++)
			k += (size_t)snprintf(buf + k, len - k, "%s%u",
			    j ? "," : i ? "; " : "", s->tags[j]);
		if (i > 0 && k < len) {	/* the first: from the start */
			date_format(s->from, DATE_DAY_OR_MINUTE, date,
			    sizeof(date));
			k += (size_t)snprintf(buf + k, len - k, " from %s",
			    date);
		}
	}
	if (k < len)
		snprintf(buf + k, len - k, " (%s%s%s)", o->signers_by,
		    cal ? " " : "", cal ? o->calendar : "");
}
