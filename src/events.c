/*
 * events.c: the root KSK calendar, and which resolver survives each event.
 *
 * The mission is to warn before a root KSK event breaks a resolver, not
 * after.  The events come from three places: the calendar file
 * (/etc/anchorwatch/events.yaml: the dated publications, rolls,
 * revocations and removals of the root KSKs, some of them with assumed
 * dates), the operator's own events (events.extra in anchorwatch.yaml; one
 * with the id of a calendar event replaces it), and the agent's own
 * RFC 5011 file: a key it holds in AddPend becomes trusted by compliant
 * resolvers when its add hold-down ends (RFC 5011 section 2.4.1), counted
 * from its first sighting (unbound's ;;lastchange of an AddPend key).
 *
 * A resolver survives an event when, by its date, it trusts every key the
 * event requires: it trusts the key now (Valid, Missing or static, RFC 5011
 * section 4), or holds it in AddPend with a hold-down that ends before the
 * event, or manages its anchors by RFC 5011 and the key is still to be
 * published early enough to clear the hold-down in time.  Everything here
 * but events_load works from memory with the clock passed in, so it works
 * the same when the live root cannot be reached.  Key tags identify keys
 * (the calendar holds no key material); a tag collision would need a
 * second root KSK with the same tag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "anchorwatch.h"

#define EV_DAY 86400LL
#define EV_HOLDDOWN 2592000u		/* RFC 5011 2.4.1: 30 days */
#define EV_DEFAULT_FILE "/etc/anchorwatch/events.yaml"

static const char *const kind_words[] = {
	[EV_PUBLISH] = "publish", [EV_TRUST] = "trust", [EV_ROLL] = "roll",
	[EV_REVOKE] = "revoke", [EV_REMOVE] = "remove", [EV_OTHER] = "other",
};

/* The event as a noun after its date: "2026-10-11 roll". */
static const char *const kind_nouns[] = {
	[EV_PUBLISH] = "publication", [EV_TRUST] = "end of add hold-down",
	[EV_ROLL] = "roll", [EV_REVOKE] = "revocation",
	[EV_REMOVE] = "removal", [EV_OTHER] = "event",
};

/* The hold-down a compliant resolver applies: the configured one, else
 * the RFC's 30 days. */
static unsigned
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

/* 1 if cal has an event of kind k about key tag. */
static int
has_event(const struct calendar *cal, enum ev_kind k, uint16_t tag,
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
		    has_event(cal, EV_TRUST, a->key.tag, NULL))
			continue;
		e = &cal->ev[cal->n++];
		memset(e, 0, sizeof(*e));
		e->when = a->lastchange + events_holddown(holddown);
		e->kind = EV_TRUST;
		e->origin = EVO_LEARNED;
		e->keys[0] = e->requires[0] = a->key.tag;
		e->nkeys = e->nrequires = 1;
		date_format(a->lastchange, DATE_DAY_OR_MINUTE, seen,
		    sizeof(seen));
		snprintf(e->name, sizeof(e->name), "KSK %u becomes trusted by "
		    "compliant resolvers (first seen %s)", a->key.tag, seen);
	}
	qsort(cal->ev, cal->n, sizeof(cal->ev[0]), events_cmp);
}

/* 1 if the resolver trusts anchor a of source s now (as detect.c). */
static int
is_trusted_now(const struct source *s, const struct anchor *a)
{
	if (s->is_zone_revoked)
		return 0;
	if (!a->is_ds && (a->key.flags & DNSKEY_F_REVOKE))
		return 0;
	return a->state == KS_VALID || a->state == KS_MISSING ||
	    a->state == KS_STATIC;
}

/*
 * When r will trust key tag, as far as its files tell: now if it trusts
 * it, the end of the hold-down if it holds it in AddPend, or, if r follows
 * RFC 5011 and the calendar publishes the key, a hold-down from its
 * publication or from now, whichever is later.  Returns 1 with *from and a
 * phrase in how, 0 if never.
 */
static int
trusted_from(const struct calendar *cal, const struct resolver *r,
    uint16_t tag, long long now, unsigned holddown, long long *from,
    char *how, size_t howlen)
{
	const struct source *s;
	const struct anchor *a;
	char d1[32], d2[32];
	long long pub;
	int managed = 0;
	size_t i, j;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (s->kind == SRC_AUTO && !s->is_zone_revoked)
			managed = 1;
		for (j = 0; j < s->nanchors; j++) {
			a = &s->anchors[j];
			if (keyset_anchor_tag(a) != tag)
				continue;
			if (is_trusted_now(s, a)) {
				*from = now;
				snprintf(how, howlen, "trusts %u", tag);
				return 1;
			}
			if (a->state != KS_ADDPEND || s->is_zone_revoked)
				continue;
			/* A first sighting in the future is a clock problem:
			 * count the hold-down from now. */
			*from = (a->lastchange > 0 && a->lastchange <= now ?
			    a->lastchange : now) + holddown;
			date_format(*from, DATE_DAY_OR_MINUTE, d1, sizeof(d1));
			snprintf(how, howlen, "holds %u in AddPend, trusted "
			    "from %s", tag, d1);
			return 1;
		}
	}
	if (!managed || !has_event(cal, EV_PUBLISH, tag, &pub))
		return 0;
	/* Not in its file: it sees the key at its next probe at the
	 * earliest, which is now for a key already published. */
	*from = (pub > now ? pub : now) + holddown;
	date_format(pub, DATE_DAY_OR_MINUTE, d1, sizeof(d1));
	date_format(*from, DATE_DAY_OR_MINUTE, d2, sizeof(d2));
	if (pub > now)
		snprintf(how, howlen, "learns %u when it is published %s, "
		    "trusted from %s", tag, d1, d2);
	else
		snprintf(how, howlen, "has not seen %u (published %s), "
		    "trusted from %s at the earliest", tag, d1, d2);
	return 1;
}

/*
 * Readiness of r for e.  The failing tags go into bad (*nbad of them);
 * what gets why, in words: "trusts 38696" when ready, "does not trust
 * 38696" when not, or why there is no answer.
 */
static enum ev_ready
events_judge(const struct calendar *cal, const struct event *e,
    const struct resolver *r, long long now, unsigned holddown,
    uint16_t *bad, size_t *nbad, char *what, size_t whatlen)
{
	char how[160], ok[320] = "", no[320] = "";
	long long from;
	size_t i;

	*nbad = 0;
	if (r->error[0] != '\0') {
		snprintf(what, whatlen, "its configuration cannot be read "
		    "(CONFIG_ERROR)");
		return RD_UNKNOWN;
	}
	if (r->dnssec == DNSSEC_OFF || r->nsources == 0) {
		snprintf(what, whatlen, "it does not validate");
		return RD_UNKNOWN;
	}
	for (i = 0; i < e->nrequires; i++) {
		if (!trusted_from(cal, r, e->requires[i], now, holddown,
		    &from, how, sizeof(how)))
			snprintf(how, sizeof(how), "does not trust %u",
			    e->requires[i]);
		else if (from <= e->when) {
			snprintf(ok + strlen(ok), sizeof(ok) - strlen(ok),
			    "%s%s", ok[0] ? "; " : "", how);
			continue;
		}
		bad[(*nbad)++] = e->requires[i];
		snprintf(no + strlen(no), sizeof(no) - strlen(no), "%s%s",
		    no[0] ? "; " : "", how);
	}
	snprintf(what, whatlen, "%s", *nbad > 0 ? no : ok[0] ? ok :
	    "nothing required");
	return *nbad > 0 ? RD_NOT_READY : RD_READY;
}

/* why: "ready (trusts 38696)", "NOT READY: does not trust 38696, needed
 * by 2026-10-11 roll", "unknown: ..."; for the end of a hold-down, which
 * breaks nothing, "in step (...)" or "behind compliant resolvers (...)". */
enum ev_ready
events_ready(const struct calendar *cal, const struct event *e,
    const struct resolver *r, long long now, unsigned holddown, char *why,
    size_t whylen)
{
	uint16_t bad[EV_TAGS_MAX];
	char what[AW_ERR_MAX], date[32];
	enum ev_ready rd;
	size_t nbad;

	rd = events_judge(cal, e, r, now, events_holddown(holddown), bad,
	    &nbad, what, sizeof(what));
	date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
	if (e->kind == EV_TRUST && rd != RD_UNKNOWN)	/* breaks nothing */
		snprintf(why, whylen, "%s (%s)", rd == RD_READY ? "in step" :
		    "behind compliant resolvers", what);
	else if (rd == RD_READY)
		snprintf(why, whylen, "ready (%s)", what);
	else if (rd == RD_NOT_READY)
		snprintf(why, whylen, "NOT READY: %s, needed by %s %s%s", what,
		    date, kind_nouns[e->kind], e->assumed ? " (assumed date)" :
		    "");
	else
		snprintf(why, whylen, "unknown: %s", what);
	return rd;
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
			    cal->ev[i].when > h->last_run && cal->ev[i].when <= t)
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
	const struct event *last = NULL;
	size_t i, n;

	*from_hist = 0;
	if (hist != NULL && (n = signers_hist(cal, hist, t, tags, max)) > 0) {
		*from_hist = 1;
		return n;
	}
	for (i = 0; i < cal->n; i++)
		if (cal->ev[i].when <= t && cal->ev[i].kind != EV_TRUST &&
		    cal->ev[i].nrequires > 0)
			last = &cal->ev[i];
	if (last == NULL)
		return 0;
	for (n = 0; n < last->nrequires && n < max; n++)
		tags[n] = last->requires[n];
	return n;
}

/* 1 if e is something a resolver can fail at: it is coming, it requires
 * keys, and it is not a mere end of hold-down (a key trusted late breaks
 * nothing until it signs). */
static int
is_hazard(const struct event *e, long long now)
{
	return e->when > now && e->nrequires > 0 && e->kind != EV_TRUST;
}

void
events_detect(struct report *rep, const struct calendar *cal,
    const struct resolver *rs, size_t n, const struct config *c,
    long long now)
{
	unsigned hd = events_holddown(c->add_holddown);
	char why[AW_ERR_MAX], date[32];
	const struct event *e;
	uint16_t bad[EV_TAGS_MAX];
	enum severity sev;
	long long left;
	size_t i, j, nbad;

	for (i = 0; i < cal->n; i++) {
		e = &cal->ev[i];
		left = e->when - now;
		if (!is_hazard(e, now) ||
		    left > (long long)c->events.warn_days * EV_DAY)
			continue;
		sev = left <= (long long)c->events.critical_days * EV_DAY ?
		    SEV_CRITICAL : SEV_WARNING;
		date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
		for (j = 0; j < n; j++) {
			if (events_judge(cal, e, &rs[j], now, hd, bad, &nbad,
			    why, sizeof(why)) != RD_NOT_READY)
				continue;
			detect_add(rep, F_EVENT_AHEAD, sev, rs[j].name, bad,
			    nbad, "%s %s (%s%s) is in %lld day%s and needs key "
			    "%u; this resolver %s", date, kind_nouns[e->kind],
			    e->name, e->assumed ? "; date assumed" : "",
			    (left + EV_DAY - 1) / EV_DAY, left > EV_DAY ? "s" :
			    "", bad[0], why);
		}
	}
}

/* "38696" or "19036,20326" into buf. */
static void
events_tags(const uint16_t *tags, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
		    tags[i]);
	if (n == 0)
		snprintf(buf, len, "-");
}

/* Whose date it is. */
static const char *
events_source(const struct event *e)
{
	if (e->origin == EVO_LEARNED)
		return "learned";
	if (e->assumed)
		return "ASSUMED";
	return e->origin == EVO_CONFIG ? "operator" : "published";
}

void
events_print(FILE *out, const struct calendar *cal,
    const struct resolver *rs, size_t n, const struct config *c,
    long long now)
{
	unsigned hd = events_holddown(c->add_holddown);
	char date[32], tags[64], why[AW_ERR_MAX];
	const struct event *e;
	size_t i, j, shown = 0;

	date_format(now, DATE_DAY_OR_MINUTE, date, sizeof(date));
	fprintf(out, "Root KSK events after %s (calendar: %s; warnings %u "
	    "days, critical %u days ahead)\n", date, cal->path[0] ?
	    cal->path : "none", c->events.warn_days, c->events.critical_days);
	for (i = 0; i < cal->n; i++) {
		e = &cal->ev[i];
		if (e->when <= now)
			continue;
		shown++;
		date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
		events_tags(e->keys, e->nkeys, tags, sizeof(tags));
		fprintf(out, "\n%-16s  %-7s  keys %-11s  %-9s  %s\n", date,
		    kind_words[e->kind], tags, events_source(e), e->name);
		if (e->nrequires == 0)
			continue;
		if (n == 0)
			fprintf(out, "    (no resolvers configured)\n");
		for (j = 0; j < n; j++) {
			events_ready(cal, e, &rs[j], now, hd, why, sizeof(why));
			fprintf(out, "    %s: %s\n", rs[j].name, why);
		}
	}
	if (shown == 0)
		fprintf(out, "\nno coming events\n");
}
