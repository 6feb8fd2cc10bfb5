/*
 * events-ready.c: which resolver survives each root KSK event (the
 * calendar and who signs when are events.c's).
 *
 * A resolver survives an event when, by its date, it trusts every key the
 * event requires: it trusts the key now (Valid, Missing or static, RFC 5011
 * section 4), or holds it in AddPend with a hold-down that ends before the
 * event, or manages its anchors by RFC 5011 and the key is still to be
 * published early enough to clear the hold-down in time.  All of that
 * holds only while the resolver validates: RFC 5011 (section 2) takes a
 * new key only from a root DNSKEY set that a trusted key signs, so a
 * resolver that trusts no key signing the root at a date is broken from
 * that date on, learns nothing more, and is ready for no later event.
 * EVENT_AHEAD names each coming event within events.warn_days that a
 * resolver is not ready for; `anchorwatch events` lists them, with the
 * past events a resolver did not survive.  Pure: the clock is passed in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"
#include "aw-summary.h"

#define EV_DAY 86400LL

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

/*
 * When r will trust key tag, as far as its files tell: now if it trusts
 * it, the end of the hold-down if it holds it in AddPend, or, if r follows
 * RFC 5011 and the calendar publishes the key, a hold-down from its
 * publication or from now, whichever is later.  Returns 1 with *from and a
 * phrase in how, 0 if never.  Whether r keeps validating long enough to
 * get there is events_fate's question.
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
			if (is_trusted_anchor(s, a)) {
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
	if (!managed || !is_event_about(cal, EV_PUBLISH, tag, &pub))
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

/* c if it is nearer to t than best on the side dir (-1 before, 1 after),
 * else best (0: none yet). */
static long long
nearer(long long best, long long c, long long t, int dir)
{
	if (c <= 0 || (dir < 0 ? c >= t : c <= t))
		return best;
	return best == 0 || (dir < 0 ? c > best : c < best) ? c : best;
}

/* The nearest moment before (dir -1) or after (dir 1) t at which who
 * signs the root may change: a signing event of the calendar, a key the
 * history first saw signing or saw signing for the last time.  0: none. */
static long long
next_change(const struct calendar *cal, long long t, int dir)
{
	const struct history *h = cal->hist;
	long long best = 0;
	size_t i;

	for (i = 0; i < cal->n; i++)
		if (is_signing_event(&cal->ev[i]))
			best = nearer(best, cal->ev[i].when, t, dir);
	for (i = 0; h != NULL && i < h->n; i++) {
		if (h->keys[i].first_signing <= 0)
			continue;
		best = nearer(best, h->keys[i].first_signing, t, dir);
		best = nearer(best, h->keys[i].last_signing + 1, t, dir);
	}
	return best;
}

/* "38696" or "19036,20326" (sep between) into buf; "-" for none. */
static void
events_tags(const uint16_t *tags, size_t n, const char *sep, char *buf,
    size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? sep : "",
		    tags[i]);
	if (n == 0)
		snprintf(buf, len, "-");
}

/* When a resolver stops validating (events_fate). */
struct fate {
	long long broken;             /* 0: not as far as is known */
	int past;                     /* at or before now */
	const struct event *ev;       /* the calendar's record, or NULL */
	uint16_t signers[EV_TAGS_MAX]; /* who signs from then */
	size_t nsigners;
	int from_hist;                /* the history dates it */
	int undated;                  /* trusts no key now: since when? */
	char why[224];                /* "trusts 20326; the root is ..." */
};

/* The tags r trusts now, as "19036, 20326" into buf; how many. */
static size_t
trusted_now(const struct resolver *r, uint16_t *tags, size_t max,
    char *buf, size_t len)
{
	const struct source *s;
	size_t i, j, n = 0;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors && n < max; j++)
			if (is_trusted_anchor(s, &s->anchors[j]))
				tags[n++] = keyset_anchor_tag(&s->anchors[j]);
	}
	events_tags(tags, n, ", ", buf, len);
	return n;
}

/* 1 if one of a[0..na) is among b[0..nb). */
static int
is_any_of(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i] == b[j])
				return 1;
	return 0;
}

#define FATE_TRUSTED_MAX 16	/* trusted keys looked at */
#define FATE_STEPS (2 * EV_MAX + 2 * AW_HIST_MAX + 1)

/* f->broken at t, signed by tags[0..n) then (the history said so if fh). */
static void
fate_set(struct fate *f, long long t, const uint16_t *tags, size_t n,
    int fh)
{
	f->broken = t;
	memcpy(f->signers, tags, n * sizeof(tags[0]));
	f->nsigners = n;
	f->from_hist = fh;
}

/* Looking back from now: the first moment since which no key r trusts
 * now has signed the root (f->signers: who signed then; f->why: who signs
 * now).  Returns the last moment before it at which one did (0 if
 * unknown). */
static long long
fate_past(const struct calendar *cal, const struct resolver *r,
    long long now, struct fate *f)
{
	uint16_t trusted[FATE_TRUSTED_MAX], tags[EV_TAGS_MAX];
	char have[128], sig[64];
	long long t;
	size_t nt, n, steps;
	int fh;

	nt = trusted_now(r, trusted, FATE_TRUSTED_MAX, have, sizeof(have));
	/* Nothing trusted (;;REVOKED, only AddPend keys) cannot be dated:
	 * such a resolver does not validate, other findings say so. */
	for (t = now, steps = 0; nt > 0 && t > 0 && steps++ < FATE_STEPS;
	    t = next_change(cal, t, -1)) {
		n = events_signers_at(cal, cal->hist, t, tags, EV_TAGS_MAX,
		    &fh);
		if (n == 0)
			break;
		if (is_any_of(tags, n, trusted, nt))
			return t;
		fate_set(f, t, tags, n, fh);
		if (f->past++)
			continue;	/* the words say who signs now */
		events_tags(tags, n, ",", sig, sizeof(sig));
		snprintf(f->why, sizeof(f->why), "trusts %s; %s %s", have, fh ?
		    "the agent saw the root signed by" : "the root is signed "
		    "by", sig);
	}
	return 0;
}

/* Looking ahead: the first change at which r trusts none of the signers
 * by then (each key from the date trusted_from gives).  Returns the last
 * moment checked before it. */
static long long
fate_ahead(const struct calendar *cal, const struct resolver *r,
    long long now, unsigned holddown, struct fate *f)
{
	uint16_t tags[EV_TAGS_MAX];
	char how[160];
	long long t, from, ok = now;
	size_t n, i;
	int fh;

	for (t = next_change(cal, now, 1); t > 0; t = next_change(cal, t, 1)) {
		n = events_signers_at(cal, cal->hist, t, tags, EV_TAGS_MAX,
		    &fh);
		for (i = 0; i < n; i++)
			if (trusted_from(cal, r, tags[i], now, holddown, &from,
			    how, sizeof(how)) && from <= t)
				break;
		if (i < n || n == 0) {
			ok = t;
			continue;
		}
		fate_set(f, t, tags, n, fh);
		if (!trusted_from(cal, r, tags[0], now, holddown, &from, how,
		    sizeof(how)))
			snprintf(how, sizeof(how), "does not trust %u",
			    tags[0]);
		snprintf(f->why, sizeof(f->why), "%s", how);
		break;
	}
	return ok;
}

/*
 * When r stops validating the root DNSKEY set, as its files, the history
 * and the calendar tell (RFC 5011 section 2: a resolver learns a new key
 * only from a set it validates): since a moment already past (f->past),
 * or from a coming change; a hold-down it cannot finish because it breaks
 * first does not count, as fate_ahead stops at the break.  f->ev is the
 * calendar's record of that change: the last signing event up to the
 * break, if it names a key signing then and comes after the last moment
 * r was seen to validate (a roll the history saw come later is dated by
 * the history).  A resolver that trusts no key now (only AddPend ones, a
 * file marked ;;REVOKED) validates nothing, so it finishes no hold-down:
 * broken now, since a date nothing here knows.
 */
static void
events_fate(const struct calendar *cal, const struct resolver *r,
    long long now, unsigned holddown, struct fate *f)
{
	uint16_t tags[FATE_TRUSTED_MAX];
	char have[8];
	long long ok;

	memset(f, 0, sizeof(*f));
	if (trusted_now(r, tags, FATE_TRUSTED_MAX, have, sizeof(have)) == 0) {
		f->broken = now;
		f->past = f->undated = 1;
		snprintf(f->why, sizeof(f->why), "it trusts no key");
		return;
	}
	ok = fate_past(cal, r, now, f);
	if (!f->past)
		ok = fate_ahead(cal, r, now, holddown, f);
	if (f->broken > 0 &&
	    (f->ev = events_signing_event(cal, f->broken)) != NULL &&
	    (f->ev->when <= ok || !is_any_of(f->ev->requires,
	    f->ev->nrequires, f->signers, f->nsigners)))
		f->ev = NULL;
}

/* "broken since the 2026-10-11 roll (trusts 20326; the root is signed
 * by 38696)", or "broken from the 2026-10-11 roll on (...)" when it is
 * still to come. */
static void
fate_text(const struct fate *f, char *buf, size_t len)
{
	char date[32], when[64];

	if (f->undated) {
		snprintf(buf, len, "broken now (%s)", f->why);
		return;
	}
	date_format(f->ev != NULL ? f->ev->when : f->broken,
	    DATE_DAY_OR_MINUTE, date, sizeof(date));
	if (f->ev != NULL)
		snprintf(when, sizeof(when), "the %s %s", date,
		    kind_nouns[f->ev->kind]);
	else
		snprintf(when, sizeof(when), "%s", date);
	snprintf(buf, len, "broken %s %s%s (%s)", f->past ? "since" : "from",
	    when, f->past ? "" : " on", f->why);
}

/* 1 if r's readiness can be judged: readable, validating, with anchors;
 * else why not in what. */
static int
is_judgeable(const struct resolver *r, char *what, size_t whatlen)
{
	if (r->error[0] != '\0') {
		snprintf(what, whatlen, "its configuration cannot be read "
		    "(CONFIG_ERROR)");
		return 0;
	}
	if (r->dnssec == DNSSEC_OFF || r->nsources == 0) {
		snprintf(what, whatlen, "it does not validate");
		return 0;
	}
	return 1;
}

/*
 * r broke before e (f): the keys e requires that r does not trust by the
 * break (now, for a break already past), else the keys signing from the
 * break, into bad.
 */
static void
broken_tags(const struct calendar *cal, const struct event *e,
    const struct resolver *r, const struct fate *f, long long now,
    unsigned holddown, uint16_t *bad, size_t *nbad)
{
	uint16_t trusted[FATE_TRUSTED_MAX];
	char how[160];
	long long from;
	size_t i, nt;

	nt = trusted_now(r, trusted, FATE_TRUSTED_MAX, how, sizeof(how));
	for (i = 0; i < e->nrequires; i++)
		if (f->past ? !is_any_of(&e->requires[i], 1, trusted, nt) :
		    !trusted_from(cal, r, e->requires[i], now, holddown, &from,
		    how, sizeof(how)) || from > f->broken)
			bad[(*nbad)++] = e->requires[i];
	if (*nbad > 0)
		return;
	memcpy(bad, f->signers, f->nsigners * sizeof(bad[0]));
	*nbad = f->nsigners;
}

/*
 * Readiness of r for e.  The failing tags go into bad (*nbad of them);
 * what gets why, in words: "trusts 38696" when ready, "does not trust
 * 38696" when not, "broken since ..." when r stops validating before e
 * (*broken then 1 for a break to come, 2 for one already past), or why
 * there is no answer.
 */
static enum ev_ready
events_judge(const struct calendar *cal, const struct event *e,
    const struct resolver *r, long long now, unsigned holddown,
    uint16_t *bad, size_t *nbad, char *what, size_t whatlen, int *broken)
{
	char how[160], ok[320] = "", no[320] = "";
	struct fate f;
	long long from;
	size_t i;

	*nbad = 0;
	*broken = 0;
	if (!is_judgeable(r, what, whatlen))
		return RD_UNKNOWN;
	events_fate(cal, r, now, holddown, &f);
	if (f.broken > 0 && f.broken < e->when) {
		broken_tags(cal, e, r, &f, now, holddown, bad, nbad);
		fate_text(&f, what, whatlen);
		*broken = f.past && !f.undated ? 2 : 1;
		return RD_NOT_READY;
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
 * by 2026-10-11 roll", "NOT READY: broken since the 2026-10-11 roll
 * (...)", "unknown: ..."; for the end of a hold-down, which breaks
 * nothing, "in step (...)" or "behind compliant resolvers (...)". */
enum ev_ready
events_ready(const struct calendar *cal, const struct event *e,
    const struct resolver *r, long long now, unsigned holddown, char *why,
    size_t whylen)
{
	uint16_t bad[EV_TAGS_MAX];
	char what[AW_ERR_MAX], date[32];
	enum ev_ready rd;
	size_t nbad;
	int broken;

	rd = events_judge(cal, e, r, now, events_holddown(holddown), bad,
	    &nbad, what, sizeof(what), &broken);
	date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
	if (e->kind == EV_TRUST && broken)	/* breaks nothing itself */
		snprintf(why, whylen, "behind compliant resolvers: %s", what);
	else if (e->kind == EV_TRUST && rd != RD_UNKNOWN)
		snprintf(why, whylen, "%s (%s)", rd == RD_READY ? "in step" :
		    "behind compliant resolvers", what);
	else if (rd == RD_READY)
		snprintf(why, whylen, "ready (%s)", what);
	else if (rd == RD_NOT_READY && broken)
		snprintf(why, whylen, "NOT READY: %s", what);
	else if (rd == RD_NOT_READY)
		snprintf(why, whylen, "NOT READY: %s, needed by %s %s%s", what,
		    date, kind_nouns[e->kind], e->assumed ? " (assumed date)" :
		    "");
	else
		snprintf(why, whylen, "unknown: %s", what);
	return rd;
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
	static const char *const verb[] = { "", "is ", "has been " };
	unsigned hd = events_holddown(c->add_holddown);
	char why[AW_ERR_MAX], date[32];
	const struct event *e;
	uint16_t bad[EV_TAGS_MAX];
	enum severity sev;
	long long left;
	size_t i, j, nbad;
	int broken;

	for (i = 0; i < cal->n; i++) {
		e = &cal->ev[i];
		left = e->when - now;
		/* Candidates up to a year ahead: detect_grade keeps those
		 * within the warning threshold in force. */
		if (!is_hazard(e, now) || left > (long long)EV_HORIZON_DAYS *
		    EV_DAY)
			continue;
		sev = left <= (long long)c->events.critical_days * EV_DAY ?
		    SEV_CRITICAL : SEV_WARNING;
		date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
		for (j = 0; j < n; j++) {
			if (events_judge(cal, e, &rs[j], now, hd, bad, &nbad,
			    why, sizeof(why), &broken) != RD_NOT_READY)
				continue;
			detect_add(rep, F_EVENT_AHEAD, sev, rs[j].name, bad,
			    nbad, "%s %s (%s%s) is in %lld day%s and needs key "
			    "%u; this resolver %s%s", date, kind_nouns[e->kind],
			    e->name, e->assumed ? "; date assumed" : "",
			    (left + EV_DAY - 1) / EV_DAY, left > EV_DAY ? "s" :
			    "", bad[0], verb[broken], why);
			rep->f[rep->n - 1].value = left;
		}
	}
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

/* The heading line of one entry of the listing. */
static void
print_heading(FILE *out, long long when, const char *kind,
    const uint16_t *keys, size_t nkeys, const char *source, const char *name)
{
	char date[32], tags[64];

	date_format(when, DATE_DAY_OR_MINUTE, date, sizeof(date));
	events_tags(keys, nkeys, ",", tags, sizeof(tags));
	fprintf(out, "\n%-16s  %-7s  keys %-11s  %-9s  %s\n", date, kind, tags,
	    source, name);
}

/* 1 if f is a break listed under event e, or, for e NULL, under a change
 * the history dates d. */
static int
is_listed_under(const struct fate *f, const struct event *e, long long d)
{
	return f->past && !f->undated && f->ev == e && (e != NULL ||
	    f->broken == d);
}

/*
 * The past events the resolvers did not survive (f[j] says when each
 * broke): the calendar's, then the changes only the agent's history
 * dates.  Returns 1 if there was any.
 */
static int
print_past(FILE *out, const struct calendar *cal, const struct resolver *rs,
    const struct fate *f, size_t n)
{
	const struct event *e;
	size_t i, j, k;
	long long d;
	int any = 0;

	for (i = 0; i <= cal->n; i++) {
		e = i < cal->n ? &cal->ev[i] : NULL;
		for (j = 0; j < n; j++) {
			d = f[j].broken;
			if (!is_listed_under(&f[j], e, d))
				continue;
			for (k = 0; k < j && !is_listed_under(&f[k], e, d); k++)
				;
			if (k < j)
				continue;	/* under a heading already */
			if (!any)
				fprintf(out, "\nPast events a resolver did not "
				    "survive:\n");
			any = 1;
			if (e != NULL)
				print_heading(out, e->when, kind_words[e->kind],
				    e->keys, e->nkeys, events_source(e),
				    e->name);
			else
				print_heading(out, d, "change", f[j].signers,
				    f[j].nsigners, "history", "the agent saw "
				    "another key signing the root DNSKEY set");
			for (k = j; k < n; k++)
				if (is_listed_under(&f[k], e, d))
					fprintf(out, "    %s: did not survive "
					    "it (%s)\n", rs[k].name, f[k].why);
		}
	}
	return any;
}

void
events_print(FILE *out, const struct calendar *cal,
    const struct resolver *rs, size_t n, const struct config *c,
    long long now)
{
	unsigned hd = events_holddown(c->add_holddown);
	char date[32], why[AW_ERR_MAX];
	const struct event *e;
	struct fate *f;
	size_t i, j, shown = 0;

	date_format(now, DATE_DAY_OR_MINUTE, date, sizeof(date));
	fprintf(out, "Root KSK events after %s (calendar: %s; warnings %u "
	    "days, critical %u days ahead)\n", date, cal->path[0] ?
	    cal->path : "none", c->events.warn_days, c->events.critical_days);
	f = xcalloc(n ? n : 1, sizeof(*f));
	for (j = 0; j < n; j++)
		if (is_judgeable(&rs[j], why, sizeof(why)))
			events_fate(cal, &rs[j], now, hd, &f[j]);
	if (print_past(out, cal, rs, f, n))
		fprintf(out, "\nComing events:\n");
	free(f);
	for (i = 0; i < cal->n; i++) {
		e = &cal->ev[i];
		if (e->when <= now)
			continue;
		shown++;
		print_heading(out, e->when, kind_words[e->kind], e->keys,
		    e->nkeys, events_source(e), e->name);
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
