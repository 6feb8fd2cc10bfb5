/*
 * events.c: the root KSK calendar, and who signs the root at a date.
 *
 * The mission is to warn before a root KSK event breaks a resolver, not
 * after.  The events come from three places: the calendar file
 * (/usr/share/anchorwatch/events.yaml: the dated publications, rolls,
 * revocations and removals of the root KSKs, some of them with assumed
 * dates), the operator's own events (events.extra in anchorwatch.yaml; one
 * with the id of a calendar event replaces it), and the agent's own
 * RFC 5011 file: a key it holds in AddPend becomes trusted by compliant
 * resolvers when its add hold-down ends (RFC 5011 section 2.4.1), counted
 * from its first sighting (unbound's ;;lastchange of an AddPend key).
 * Who signs the root DNSKEY set at a date comes from the agent's history
 * where it saw the root, else from the calendar.  Which resolver survives
 * each event is events-ready.c's.  Everything here but events_load works
 * from memory with the clock passed in, so it works the same when the
 * live root cannot be reached.  Key tags identify keys (the calendar
 * holds no key material); a tag collision would need a second root KSK
 * with the same tag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "anchorwatch.h"

#define EV_DAY 86400LL
#define EV_HOLDDOWN 2592000u		/* RFC 5011 2.4.1: 30 days */
#define EV_DEFAULT_FILE AW_DATADIR "/events.yaml"

unsigned
events_holddown(unsigned configured)
{
	return configured ? configured : EV_HOLDDOWN;
}

/* By date, then in file order (qsort is not stable: line breaks ties). */
static int
events_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	if (x->origin != y->origin)
		return x->origin < y->origin ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * The calendar file, then the extras.  The default calendar may be absent
 * (cal->path stays ""); a file named in the configuration may not.
 */
int
events_load(struct calendar *cal, const struct config *c, char *err,
    size_t errlen)
{
	const struct event *x;
	struct stat st;
	size_t i, j;

	memset(cal, 0, sizeof(*cal));
	if (strcmp(c->events.file, EV_DEFAULT_FILE) != 0 ||
	    stat(c->events.file, &st) == 0) {
		if (calendar_load(c->events.file, cal, err, errlen) == -1)
			return -1;
		snprintf(cal->path, sizeof(cal->path), "%s", c->events.file);
	}
	for (i = 0; i < c->events.nextra; i++) {
		x = &c->events.extra[i];
		for (j = 0; x->id[0] != '\0' && j < cal->n; j++)
			if (strcmp(cal->ev[j].id, x->id) == 0)
				break;
		if (x->id[0] == '\0' || j == cal->n) {
			if (cal->n == EV_MAX) {
				snprintf(err, errlen, "%s:%u: events.extra: more "
				    "than %d events with the calendar", c->path,
				    x->line, EV_MAX);
				return -1;
			}
			j = cal->n++;
		}
		cal->ev[j] = *x;
	}
	qsort(cal->ev, cal->n, sizeof(cal->ev[0]), events_cmp);
	return 0;
}

int
is_event_about(const struct calendar *cal, enum ev_kind k, uint16_t tag,
    long long *when)
{
	size_t i, j;

	for (i = 0; i < cal->n; i++)
		for (j = 0; j < cal->ev[i].nkeys; j++)
			if (cal->ev[i].kind == k && cal->ev[i].keys[j] == tag) {
				if (when != NULL)
					*when = cal->ev[i].when;
				return 1;
			}
	return 0;
}

void
events_learn(struct calendar *cal, const struct source *agent,
    unsigned holddown)
{
	const struct anchor *a;
	struct event *e;
	char seen[32];
	size_t i;

	for (i = 0; i < agent->nanchors && cal->n < EV_MAX; i++) {
		a = &agent->anchors[i];
		if (a->is_ds || a->state != KS_ADDPEND || a->lastchange <= 0 ||
		    (a->key.flags & DNSKEY_F_REVOKE) ||
		    is_event_about(cal, EV_TRUST, a->key.tag, NULL))
			continue;
		e = &cal->ev[cal->n++];
		memset(e, 0, sizeof(*e));
		e->when = a->lastchange + events_holddown(holddown);
		e->kind = EV_TRUST;
		e->origin = EVO_LEARNED;
		e->keys[0] = e->requires[0] = a->key.tag;
		e->nkeys = e->nrequires = 1;
		date_format(a->lastchange, DATE_DAY_OR_MINUTE, seen, sizeof(seen));
		snprintf(e->name, sizeof(e->name), "KSK %u becomes trusted by "
		    "compliant resolvers (first seen %s)", a->key.tag, seen);
	}
	qsort(cal->ev, cal->n, sizeof(cal->ev[0]), events_cmp);
}

int
is_signing_event(const struct event *e)
{
	return e->kind != EV_TRUST && e->nrequires > 0;
}

const struct event *
events_signing_event(const struct calendar *cal, long long t)
{
	const struct event *last = NULL;
	size_t i;

	for (i = 0; i < cal->n; i++)
		if (cal->ev[i].when <= t && is_signing_event(&cal->ev[i]) &&
		    (last == NULL || cal->ev[i].when >= last->when))
			last = &cal->ev[i];
	return last;
}

const struct event *
events_signing_since(const struct calendar *cal, long long t)
{
	const struct event *last, *e;
	size_t i;

	if ((last = events_signing_event(cal, t)) == NULL)
		return NULL;
	for (i = cal->n; i-- > 0;) {
		e = &cal->ev[i];
		if (e->when > last->when || !is_signing_event(e))
			continue;
		if (e->nrequires != last->nrequires || memcmp(e->requires,
		    last->requires, e->nrequires * sizeof(e->requires[0])) != 0)
			break;
		if (e->when < last->when || e < last)
			last = e;
	}
	return last;
}

/* The keys the history saw signing at t, or, for t after its last run,
 * the keys signing at that run when the calendar has no roll since. */
static size_t
signers_hist(const struct calendar *cal, const struct history *h,
    long long t, uint16_t *tags, size_t max)
{
	const struct hist_key *k;
	long long at = t;
	size_t i, n = 0;

	if (h->last_run > 0 && t > h->last_run) {
		for (i = 0; i < cal->n; i++)
			if (cal->ev[i].kind == EV_ROLL &&
			    cal->ev[i].when > h->last_run &&
			    cal->ev[i].when <= t)
				return 0;
		at = h->last_run;
	}
	for (i = 0; i < h->n && n < max; i++) {
		k = &h->keys[i];
		if (k->first_signing > 0 && k->first_signing <= at &&
		    at <= k->last_signing)
			tags[n++] = k->key.tag;
	}
	return n;
}

size_t
events_signers_at(const struct calendar *cal, const struct history *hist,
    long long t, uint16_t *tags, size_t max, int *from_hist)
{
	const struct event *last;
	size_t n;

	*from_hist = 0;
	if (hist != NULL && (n = signers_hist(cal, hist, t, tags, max)) > 0) {
		*from_hist = 1;
		return n;
	}
	if ((last = events_signing_event(cal, t)) == NULL)
		return 0;
	for (n = 0; n < last->nrequires && n < max; n++)
		tags[n] = last->requires[n];
	return n;
}
