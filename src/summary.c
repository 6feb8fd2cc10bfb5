/*
 * summary.c: a finished run, reduced to what outlives it (aw-summary.h).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw-summary.h"

/* The agent's RFC 5011 state of root key k, "" when it holds none. */
static void
summary_agent_state(const struct rootview *rv, const struct dnskey *k,
    char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; rv->have_agent && i < rv->agent.nanchors; i++)
		if (is_anchor_for(&rv->agent.anchors[i], k))
			snprintf(buf, len, "%s",
			    keyset_state_name(rv->agent.anchors[i].state));
}

static void
summary_keys(struct summary *s, const struct rootview *rv)
{
	const struct dnskey *k;
	struct sum_key *o;
	size_t i;

	s->root_secure = rv->is_secure;
	snprintf(s->root_why, sizeof(s->root_why), "%s", rv->why);
	s->nsigners = rv->nsigners;
	for (i = 0; i < rv->nkeys && s->nkeys < AW_RRSET_MAX; i++) {
		k = &rv->keys[i];
		if (!(k->flags & DNSKEY_F_SEP))
			continue;		/* the KSKs are what anchors are */
		o = &s->keys[s->nkeys++];
		o->tag = k->tag;
		o->alg = k->algorithm;
		o->flags = k->flags;
		o->signing = is_signing(rv, k);
		o->revoked = (k->flags & DNSKEY_F_REVOKE) != 0;
		summary_agent_state(rv, k, o->agent_state,
		    sizeof(o->agent_state));
	}
}

/* The tags r trusts, each once. */
static void
summary_trusted(struct sum_resolver *o, const struct resolver *r)
{
	const struct source *src;
	uint16_t tag;
	size_t i, j, k;

	for (i = 0; i < r->nsources; i++) {
		src = &r->sources[i];
		for (j = 0; j < src->nanchors; j++) {
			if (!is_trusted_anchor(src, &src->anchors[j]))
				continue;
			tag = keyset_anchor_tag(&src->anchors[j]);
			for (k = 0; k < o->ntags && o->trusted[k] != tag; k++)
				;
			if (k == o->ntags && o->ntags < AW_TAGS_MAX)
				o->trusted[o->ntags++] = tag;
		}
	}
}

/* The next event a resolver can fail at: coming, requiring keys, not a
 * mere end of hold-down (events-ready.c's hazards). */
static void
summary_next_event(struct summary *s, const struct calendar *cal,
    long long now)
{
	const struct event *e;
	size_t i;

	for (i = 0; cal != NULL && i < cal->n; i++) {
		e = &cal->ev[i];
		if (e->when <= now || e->nrequires == 0 || e->kind == EV_TRUST)
			continue;
		if (s->next_when != 0 && e->when >= s->next_when)
			continue;
		s->next_when = e->when;
		snprintf(s->next_id, sizeof(s->next_id), "%s", e->id);
		snprintf(s->next_name, sizeof(s->next_name), "%s", e->name);
	}
}

void
summary_build(struct summary *s, const struct run *run,
    const struct report *rep, long long started)
{
	const struct resolver *r;
	struct sum_resolver *o;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->time = run->now;
	s->written = time(NULL);
	s->duration = s->written >= started ? (double)(s->written - started) :
	    0;
	if (run->rv != NULL) {
		summary_keys(s, run->rv);
		summary_next_event(s, run->rv->cal, run->now);
	}
	s->res = xcalloc(run->nresolvers ? run->nresolvers : 1,
	    sizeof(*s->res));
	for (i = 0; i < run->nresolvers; i++) {
		r = &run->resolvers[i];
		o = &s->res[s->nres++];
		snprintf(o->name, sizeof(o->name), "%s", r->name);
		snprintf(o->type, sizeof(o->type), "%s", r->type);
		o->ntrusted = r->ntrusted;
		o->probe_age = r->probe_age;
		snprintf(o->answers, sizeof(o->answers), "%s", r->answers);
		summary_trusted(o, r);
	}
	report_append(&s->rep, rep, 0);
	s->storm_measured = run->storm.measured && run->storm.why[0] == '\0';
	s->storm_rate = run->storm.rate;
	s->storm_warn = run->cfg->traffic.warn_rate;
	s->storm_crit = run->cfg->traffic.critical_rate;
}

void
summary_free(struct summary *s)
{
	free(s->res);
	report_free(&s->rep);
	memset(s, 0, sizeof(*s));
}

enum severity
summary_worst(const struct summary *s)
{
	return s->unknown[0] != '\0' ? SEV_UNKNOWN : detect_worst(&s->rep);
}
