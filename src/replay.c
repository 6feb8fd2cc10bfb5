/*
 * replay.c: `anchorwatch replay SCENARIO`.
 *
 * A scenario is a YAML file: the root's key-signing keys by name, a dated
 * sequence of root DNSKEY sets (which keys are published, with which
 * flags, and which of them sign), and resolver profiles.  Replay plays
 * the sets through the RFC 5011 machine (rfc5011.c) of every profile,
 * stepping the clock from probe to probe (the active refresh of RFC 5011
 * section 2.3, one a day for the root's TTL) so that hold-downs run as
 * they would, and runs the same detectors as check (detect.c, events.c)
 * at every such moment.  Every RFC 5011 profile also probes when a step
 * changes the root: otherwise the phase of its probe timer, not the RFC,
 * would decide whether it is seen trusting a just-revoked key for a few
 * hours (detect.c has no grace for that).  It prints what changes, dated: a key's state,
 * a finding that appears or clears.
 *
 * Profiles (kind):
 *   rfc5011     (the default) follows RFC 5011 from its start, with its anchors Valid;
 *               offline_from/offline_days: it makes no probe in that
 *               window and resumes at its end;
 *   static      trusts its anchors, whatever the root does;
 *   unwritable  an RFC 5011 resolver whose state file cannot be written:
 *               what it learns is lost (unbound exits, a restart reads the
 *               old file again), so it trusts what the file held at its
 *               start for ever, and the file's last probe stays its start.
 *
 * The agent's own RFC 5011 state (rootview.agent, which says when a key
 * is past its hold-down) comes from a reference machine that starts with
 * the scenario, trusting the keys that sign its first set.
 *
 * The scenario file, untrusted input, is read by scenario.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"
#include "aw-summary.h"

/* ---- the replay ------------------------------------------------------- */

/* "2018-10-11 16:00" */
static void
replay_date(long long t, char *buf, size_t len)
{
	date_format(t, DATE_MINUTE, buf, len);
}

/* The root as step st publishes it (the agent's state comes later). */
static void
replay_rootview(const struct scenario *s, const struct scn_step *st,
    struct rootview *rv)
{
	struct dnskey *k;
	size_t i, j;

	source_free(&rv->agent);	/* the last step's copy */
	memset(rv, 0, sizeof(*rv));
	rv->is_secure = 1;
	rv->ttl = s->ttl;
	for (i = 0; i < st->npub; i++) {
		k = &rv->keys[rv->nkeys++];
		*k = s->keys[st->pub[i].key].key;
		k->flags = st->pub[i].flags;
		k->tag = scenario_tag(k, k->flags);
	}
	for (i = 0; i < st->nsign; i++) {
		for (j = 0; st->pub[j].key != st->sign[i]; j++)
			;
		rv->signers[rv->nsigners] = rv->keys[j].tag;
		rv->signer_algs[rv->nsigners++] = rv->keys[j].algorithm;
	}
}

/* The profile's anchors as anchor records. */
static size_t
replay_anchors(const struct scenario *s, const struct scn_profile *p,
    struct anchor *a)
{
	size_t i;

	for (i = 0; i < p->nanchors; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].key = s->keys[p->anchors[i]].key;
		a[i].state = KS_VALID;
	}
	return p->nanchors;
}

/* The keys that sign step st, unrevoked: the reference's anchors. */
static size_t
replay_first_anchors(const struct scenario *s, const struct scn_step *st,
    struct anchor *a)
{
	size_t i, j, n = 0;

	for (i = 0; i < st->nsign; i++) {
		for (j = 0; st->pub[j].key != st->sign[i]; j++)
			;
		if (st->pub[j].flags & DNSKEY_F_REVOKE)
			continue;
		memset(&a[n], 0, sizeof(a[n]));
		a[n].key = s->keys[st->sign[i]].key;
		a[n++].state = KS_VALID;
	}
	return n;
}

static void
replay_print_changes(FILE *out, long long t, const char *who,
    const struct rfc5011_result *res)
{
	char date[32];
	size_t i;

	replay_date(t, date, sizeof(date));
	for (i = 0; i < res->n; i++)
		fprintf(out, "%s  %-15s key %u %s -> %s (%s)\n", date, who,
		    res->c[i].tag, keyset_state_name(res->c[i].from),
		    keyset_state_name(res->c[i].to),
		    rfc5011_event_name(res->c[i].event));
}

/* 1 if p is offline at t. */
static int
is_offline(const struct scn_profile *p, long long t)
{
	return p->off_days > 0 && t >= p->off_from &&
	    t < p->off_from + (long long)p->off_days * 86400;
}

/* Start profile p at t: its anchors, its first probe. */
static void
replay_start(const struct scenario *s, struct scn_profile *p, long long t)
{
	struct anchor a[SCN_KEYS_MAX];
	size_t i, n;

	n = replay_anchors(s, p, a);
	rfc5011_defaults(&p->par, p->variant);
	(void)rfc5011_init(&p->tp, a, n, t);	/* n <= SCN_KEYS_MAX */
	p->tp.last_success = t;
	p->tp.next_probe_time = t;
	if (p->kind == PK_STATIC) {
		p->tp.kind = SRC_FILE;
		p->tp.is_stateful = 0;
		p->tp.have_probe = 0;
		for (i = 0; i < p->tp.nanchors; i++)
			p->tp.anchors[i].state = KS_STATIC;
	}
	p->started = 1;
}

/* One probe of p at t, if it is due or the root just changed (step);
 * prints the key changes. */
static void
replay_probe(FILE *out, struct scn_profile *p, const struct rootview *rv,
    long long t, int step)
{
	struct rfc5011_result res;
	struct rfc5011_obs obs;

	if (p->kind != PK_RFC5011 || (!step && t < p->tp.next_probe_time))
		return;
	if (is_offline(p, t)) {
		p->tp.next_probe_time = p->off_from +
		    (long long)p->off_days * 86400;
		return;
	}
	rfc5011_obs_from_rootview(&obs, rv);
	if (rfc5011_probe(&p->tp, &p->par, &obs, t, &res) == -1) {
		p->tp.next_probe_time = t + 86400;	/* full: try later */
		return;
	}
	replay_print_changes(out, t, p->name, &res);
}

/* Same finding: code and tags, and severity if sev (messages carry
 * ages, which change at every moment). */
static int
is_same_finding(const struct finding *a, const struct finding *b, int sev)
{
	return a->code == b->code && (!sev || a->sev == b->sev) &&
	    a->ntags == b->ntags &&
	    memcmp(a->tags, b->tags, a->ntags * sizeof(a->tags[0])) == 0;
}

static int
is_in(const struct finding *f, const struct finding *list, size_t n,
    int sev)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_same_finding(f, &list[i], sev))
			return 1;
	return 0;
}

/* The findings for p at t, as detect and events make them. */
static void
replay_findings(const struct scenario *s, struct scn_profile *p,
    const struct rootview *rv, const struct calendar *cal,
    const struct config *c, long long t, struct report *rep)
{
	const struct reader *rd = reader_find(p->type);
	struct resolver r;
	struct report all;
	struct thresholds thr;
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(&all, 0, sizeof(all));
	snprintf(r.name, sizeof(r.name), "%s", p->name);
	snprintf(r.type, sizeof(r.type), "%s", p->type);
	r.rfc5011 = rd != NULL ? rd->rfc5011 : 1;
	snprintf(p->tp.path, sizeof(p->tp.path), "%s/root.key", p->name);
	r.sources = &p->tp;
	r.nsources = 1;
	detect_resolver(&all, rv, &r, c, (time_t)t);
	events_detect(&all, cal, &r, 1, c, t);
	detect_thresholds(c, &thr);
	detect_grade(&all, &thr);
	/* The file system check of detect is about this host, not about the
	 * profile: the profile's kind says whether it can write. */
	for (i = 0; i < all.n; i++)
		if (all.f[i].code != F_ANCHOR_NOT_WRITABLE)
			detect_add(rep, all.f[i].code, all.f[i].sev,
			    all.f[i].resolver, all.f[i].tags, all.f[i].ntags,
			    "%s", all.f[i].message);
	if (p->kind == PK_UNWRITABLE)
		detect_add(rep, F_ANCHOR_NOT_WRITABLE, SEV_CRITICAL, p->name,
		    NULL, 0, "RFC 5011 anchor %s cannot be updated (the "
		    "profile's file is not writable): %s", p->tp.path,
		    rd != NULL && rd->advice_unwritable != NULL ?
		    rd->advice_unwritable : "the resolver cannot follow a roll");
	report_free(&all);
	(void)s;
}

/* The worse of a and b, by detect's order. */
static enum severity
replay_worse(enum severity a, enum severity b)
{
	struct finding f[2];
	struct report two = { f, 2, 2 };

	memset(f, 0, sizeof(f));
	f[0].sev = a;
	f[1].sev = b;
	return detect_worst(&two);
}

/* Print what changed in p's findings since the last moment; keep these. */
static void
replay_diff(FILE *out, struct scn_profile *p, struct report *now,
    long long t, enum severity *worst)
{
	char date[32], tags[64];
	size_t i;

	replay_date(t, date, sizeof(date));
	for (i = 0; i < p->nlast; i++)
		if (!is_in(&p->last[i], now->f, now->n, 0)) {
			output_tags(&p->last[i], tags, sizeof(tags));
			fprintf(out, "%s  %-15s cleared  %s keytag=%s\n", date,
			    p->name, detect_code_name(p->last[i].code), tags);
		}
	for (i = 0; i < now->n; i++) {
		if (is_in(&now->f[i], p->last, p->nlast, 1))
			continue;
		output_tags(&now->f[i], tags, sizeof(tags));
		fprintf(out, "%s  %-15s %-8s %s keytag=%s: %s\n", date,
		    p->name, detect_sev_name(now->f[i].sev),
		    detect_code_name(now->f[i].code), tags,
		    now->f[i].message);
		if (worst != NULL)
			*worst = replay_worse(*worst, now->f[i].sev);
	}
	free(p->last);
	p->last = now->f;
	p->nlast = now->n;
	memset(now, 0, sizeof(*now));
}

/* The unrevoked signers of st: what a resolver needs then. */
static void
replay_requires(const struct scenario *s, const struct scn_step *st,
    uint16_t *tags, size_t *n)
{
	size_t j, k;

	*n = 0;
	for (j = 0; j < st->nsign && *n < EV_TAGS_MAX; j++) {
		for (k = 0; st->pub[k].key != st->sign[j]; k++)
			;
		if (!(st->pub[k].flags & DNSKEY_F_REVOKE))
			tags[(*n)++] = s->keys[st->sign[j]].key.tag;
	}
}

/* 1 if b publishes with the REVOKE bit a key a published without. */
static int
is_revoking(const struct scn_step *a, const struct scn_step *b)
{
	size_t j, k;

	for (j = 0; j < b->npub; j++)
		for (k = 0; k < a->npub; k++)
			if (b->pub[j].key == a->pub[k].key &&
			    (b->pub[j].flags & DNSKEY_F_REVOKE) &&
			    !(a->pub[k].flags & DNSKEY_F_REVOKE))
				return 1;
	return 0;
}

/* The scenario's own calendar: every change of the root between steps,
 * each needing the keys that sign after it. */
static void
replay_calendar(const struct scenario *s, struct calendar *cal)
{
	const struct scn_step *a, *b;
	struct event *e;
	size_t i;

	memset(cal, 0, sizeof(*cal));
	snprintf(cal->path, sizeof(cal->path), "%s", s->path);
	for (i = 1; i < s->nsteps && cal->n < EV_MAX; i++) {
		a = &s->steps[i - 1];
		b = &s->steps[i];
		e = &cal->ev[cal->n];
		memset(e, 0, sizeof(*e));
		e->when = b->when;
		e->origin = EVO_CALENDAR;
		e->assumed = b->assumed;
		e->line = b->line;
		snprintf(e->name, sizeof(e->name), "%s", b->note[0] ? b->note :
		    "root DNSKEY change");
		replay_requires(s, b, e->requires, &e->nrequires);
		replay_requires(s, a, e->keys, &e->nkeys);
		e->kind = EV_OTHER;
		if (e->nkeys != e->nrequires || memcmp(e->keys, e->requires,
		    e->nkeys * sizeof(e->keys[0])) != 0)
			e->kind = EV_ROLL;
		else if (is_revoking(a, b))
			e->kind = EV_REVOKE;
		else if (b->npub < a->npub)
			e->kind = EV_REMOVE;
		else if (b->npub > a->npub)
			e->kind = EV_PUBLISH;
		memcpy(e->keys, e->requires, sizeof(e->keys));
		e->nkeys = e->nrequires;
		if (e->kind == EV_PUBLISH)
			e->nrequires = 0;	/* publishing breaks nothing */
		cal->n++;
	}
}

/* The next moment after t: a step, a probe, a start, or the end. */
static long long
replay_next(const struct scenario *s, const struct source *ref, long long t,
    size_t si)
{
	const struct scn_profile *p;
	long long n = s->end;
	size_t i;

	if (si + 1 < s->nsteps && s->steps[si + 1].when < n)
		n = s->steps[si + 1].when;
	if (ref->next_probe_time > t && ref->next_probe_time < n)
		n = ref->next_probe_time;
	for (i = 0; i < s->nprof; i++) {
		p = &s->prof[i];
		if (!p->started && p->start > t && p->start < n)
			n = p->start;
		if (p->started && p->kind == PK_RFC5011 &&
		    p->tp.next_probe_time > t && p->tp.next_probe_time < n)
			n = p->tp.next_probe_time;
	}
	return n > t ? n : t + 1;
}

/* The header: what is replayed, and who. */
static void
replay_header(FILE *out, const struct scenario *s)
{
	const struct scn_profile *p;
	char d1[32], d2[32];
	size_t i, j;

	replay_date(s->steps[0].when, d1, sizeof(d1));
	replay_date(s->end, d2, sizeof(d2));
	fprintf(out, "# replay %s: %s .. %s\n", s->name[0] ? s->name :
	    s->path, d1, d2);
	for (i = 0; i < s->nprof; i++) {
		p = &s->prof[i];
		replay_date(p->start, d1, sizeof(d1));
		fprintf(out, "# profile %s: %s%s%s, %s, from %s, anchors", p->name,
		    p->kind == PK_STATIC ? "static" : p->kind == PK_UNWRITABLE ?
		    "unwritable RFC 5011 " : "RFC 5011 ",
		    p->kind == PK_STATIC ? "" : rfc5011_variant_name(p->variant),
		    p->kind == PK_STATIC ? "" : " rules", p->type, d1);
		for (j = 0; j < p->nanchors; j++)
			fprintf(out, " %s", s->keys[p->anchors[j]].name);
		if (p->off_days > 0) {
			replay_date(p->off_from, d1, sizeof(d1));
			fprintf(out, ", offline %u days from %s", p->off_days,
			    d1);
		}
		fprintf(out, "\n");
	}
}

/* A step's line: the root set, signers, note. */
static void
replay_step_line(FILE *out, const struct scenario *s,
    const struct rootview *rv, const struct scn_step *st)
{
	char date[32];
	size_t i;

	replay_date(st->when, date, sizeof(date));
	fprintf(out, "%s  %-15s keys", date, "root");
	for (i = 0; i < rv->nkeys; i++)
		fprintf(out, " %u%s", rv->keys[i].tag,
		    rv->keys[i].flags & DNSKEY_F_REVOKE ? "(revoked)" : "");
	fprintf(out, ", signed by");
	for (i = 0; i < rv->nsigners; i++)
		fprintf(out, " %u", rv->signers[i]);
	fprintf(out, "%s%s%s\n", st->note[0] ? ": " : "", st->note,
	    st->assumed ? " (assumed date)" : "");
	(void)s;
}

/* The reference machine: the agent's own RFC 5011 state. */
static void
replay_reference(struct source *ref, const struct rfc5011_params *par,
    const struct rootview *rv, long long t, int step)
{
	struct rfc5011_obs obs;

	if (!step && t < ref->next_probe_time)
		return;
	rfc5011_obs_from_rootview(&obs, rv);
	if (rfc5011_probe(ref, par, &obs, t, NULL) == -1)
		ref->next_probe_time = t + 86400;
}

/* Play s to out; returns the worst severity seen. */
static enum severity
replay_play(struct scenario *s, FILE *out)
{
	static struct rootview rv;
	static struct source ref;
	static struct config cfg;
	static struct calendar cal;
	struct rfc5011_params rpar;
	struct anchor a[AW_RRSET_MAX];
	enum severity worst = SEV_OK;
	struct report rep;
	long long t = s->steps[0].when;
	size_t si = 0, i;

	config_defaults(&cfg);
	replay_calendar(s, &cal);
	/* libunbound's rules: the strictest, so a compliant resolver is
	 * never held to a key before an unbound would trust it. */
	rfc5011_defaults(&rpar, RFC5011_UNBOUND);
	(void)rfc5011_init(&ref, a, replay_first_anchors(s, &s->steps[0], a),
	    t);
	for (i = 0; i < s->nprof; i++)
		if (s->prof[i].start < t)
			s->prof[i].start = t;
	replay_header(out, s);
	for (;;) {
		while (si + 1 < s->nsteps && s->steps[si + 1].when <= t)
			si++;
		replay_rootview(s, &s->steps[si], &rv);
		if (s->steps[si].when == t)
			replay_step_line(out, s, &rv, &s->steps[si]);
		replay_reference(&ref, &rpar, &rv, t, s->steps[si].when == t);
		source_copy(&rv.agent, &ref);
		rv.have_agent = 1;
		for (i = 0; i < s->nprof; i++) {
			if (!s->prof[i].started && s->prof[i].start <= t)
				replay_start(s, &s->prof[i], t);
			if (s->prof[i].started)
				replay_probe(out, &s->prof[i], &rv, t,
				    s->steps[si].when == t);
		}
		for (i = 0; i < s->nprof; i++) {
			if (!s->prof[i].started)
				continue;
			memset(&rep, 0, sizeof(rep));
			replay_findings(s, &s->prof[i], &rv, &cal, &cfg, t,
			    &rep);
			replay_diff(out, &s->prof[i], &rep, t, &worst);
		}
		if (t >= s->end)
			break;
		t = replay_next(s, &ref, t, si);
	}
	return worst;
}

int
replay_run(const char *path, FILE *out, char *err, size_t errlen)
{
	struct scenario *s;
	enum severity worst;
	size_t i;

	s = xcalloc(1, sizeof(*s));
	if (scenario_load(path, s, err, errlen) == -1) {
		free(s);
		return -1;
	}
	worst = replay_play(s, out);
	for (i = 0; i < s->nprof; i++) {
		free(s->prof[i].last);
		source_free(&s->prof[i].tp);
	}
	free(s);
	return (int)worst;
}
