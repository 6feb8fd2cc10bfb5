/*
 * output-text.c: `anchorwatch status`, a report for a person.
 *
 * What the root serves (as the agent validated it), then per resolver where
 * its anchors come from, their RFC 5011 state and its findings, so that an
 * operator woken at night sees the cause and the fix on one screen.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "anchorwatch.h"
#include "aw-summary.h"

/* UTC date of t into buf, or "never". */
static const char *
text_date(long long t, char *buf, size_t len)
{
	if (t <= 0)
		return "never";
	date_format(t, DATE_SECONDS, buf, len);
	return buf;
}

/* The agent's RFC 5011 state for root key k. */
static const char *
text_agent_state(const struct rootview *rv, const struct dnskey *k)
{
	size_t i;

	for (i = 0; rv->have_agent && i < rv->agent.nanchors; i++)
		if (is_anchor_for(&rv->agent.anchors[i], k))
			return keyset_state_name(rv->agent.anchors[i].state);
	return "unknown";
}

/* What key k does for the RRset: signs it, only self-signs as a revoked
 * key (RFC 5011 section 2.1), or is only published. */
static const char *
text_role(const struct rootview *rv, const struct dnskey *k)
{
	size_t i;

	if (is_signing(rv, k))
		return "signs the set";
	for (i = 0; i < rv->nsigners; i++)
		if (rv->signers[i] == k->tag)
			return "self-signs, revoked";
	return "published";
}

/* The agent's history of k, on a line of its own. */
static void
text_history(const struct rootview *rv, const struct dnskey *k, FILE *out)
{
	const struct hist_key *e;
	char d1[40], d2[40];
	size_t i;

	for (i = 0; rv->hist != NULL && i < rv->hist->n; i++) {
		e = &rv->hist->keys[i];
		if (!is_same_key(&e->key, k))
			continue;
		fprintf(out, "             first seen %s, %s%s\n",
		    text_date(e->first_seen, d1, sizeof(d1)),
		    e->first_signing ? "signing since " : "not seen signing",
		    e->first_signing ? text_date(e->first_signing, d2,
		    sizeof(d2)) : "");
		return;
	}
}

static void
text_root(const struct rootview *rv, long long now, FILE *out)
{
	uint16_t tags[EV_TAGS_MAX];
	const struct dnskey *k;
	size_t i, n;
	int fh;

	if (!rv->is_secure) {
		fprintf(out, "root: NOT VALIDATED: %s\n", rv->why);
		n = rv->cal == NULL ? 0 : events_signers_at(rv->cal, rv->hist,
		    now, tags, EV_TAGS_MAX, &fh);
		if (n == 0)
			return;
		fprintf(out, "  resolvers judged by %s instead: signed by",
		    fh ? "the agent's history" : "the calendar");
		for (i = 0; i < n; i++)
			fprintf(out, " %u", tags[i]);
		fprintf(out, "\n");
		return;
	}
	fprintf(out, "root: DNSKEY set SECURE, %zu keys, TTL %u\n", rv->nkeys,
	    rv->ttl);
	for (i = 0; i < rv->nkeys; i++) {
		k = &rv->keys[i];
		fprintf(out, "  key %5u  flags %3u (%s%s)  alg %u  %s  agent: %s\n",
		    k->tag, k->flags, k->flags & DNSKEY_F_SEP ? "KSK" : "ZSK",
		    k->flags & DNSKEY_F_REVOKE ? ", REVOKED" : "",
		    k->algorithm, text_role(rv, k), k->flags & DNSKEY_F_SEP ?
		    text_agent_state(rv, k) : "-");
		text_history(rv, k, out);
	}
}

static void
text_source(const struct source *s, FILE *out)
{
	static const char *const kinds[] = {
		[SRC_AUTO] = "RFC 5011 managed",
		[SRC_FILE] = "static file",
		[SRC_INLINE] = "static, in config",
		[SRC_TRUSTED_KEYS] = "static trusted-keys",
		[SRC_BUILTIN] = "built into the daemon",
	};
	const struct anchor *a;
	char d[40];
	size_t i;

	fprintf(out, "  %s: %s\n", kinds[s->kind], s->path);
	if (s->decl_file[0])
		fprintf(out, "    named at %s:%u\n", s->decl_file, s->decl_line);
	if (s->is_zone_revoked)
		fprintf(out, "    ;;REVOKED: the root is treated as insecure\n");
	if (s->have_probe)
		fprintf(out, "    last success %s, failed queries %u\n",
		    text_date(s->last_success, d, sizeof(d)), s->query_failed);
	for (i = 0; i < s->nanchors; i++) {
		a = &s->anchors[i];
		fprintf(out, "    %s %5u  %s", a->is_ds ? "DS    " : "DNSKEY",
		    keyset_anchor_tag(a), keyset_state_name(a->state));
		if (a->lastchange > 0)
			fprintf(out, " since %s", text_date(a->lastchange, d,
			    sizeof(d)));
		fputc('\n', out);
	}
}

/* What the running daemon answered. */
static void
text_probe(const struct resolver *r, FILE *out)
{
	static const char *const words[] = { "no answer", "trusted",
	    "not trusted" };
	const struct probe_result *pr = &r->probe;
	size_t i;

	if (!pr->done)
		return;
	fprintf(out, "  running at %s: ", pr->address);
	if (!pr->reachable) {
		fprintf(out, "no answer\n");
		return;
	}
	if (pr->checked[0])
		fprintf(out, ". DNSKEY rcode %d%s", pr->rcode[0],
		    pr->ad[0] ? ", AD" : ", no AD");
	fputc('\n', out);
	for (i = 0; i < pr->nsentinel; i++)
		fprintf(out, "    key sentinel %5u: %s\n", pr->sentinel_tags[i],
		    words[pr->sentinel[i]]);
	if (r->have_loaded) {
		fprintf(out, "    loaded (%s):", r->loaded_how);
		for (i = 0; i < r->nloaded; i++)
			fprintf(out, " %u", r->loaded[i]);
		fputc('\n', out);
	}
}

void
output_text(const struct run *run, FILE *out)
{
	const struct resolver *r;
	const struct finding *f;
	char tags[64];
	size_t i, j;

	text_root(run->rv, run->now, out);
	for (i = 0; i < run->nresolvers; i++) {
		r = &run->resolvers[i];
		fprintf(out, "\nresolver %s (%s, runs as %s)\n", r->name, r->type,
		    r->user[0] ? r->user : "root");
		for (j = 0; j < r->nsources; j++)
			text_source(&r->sources[j], out);
		text_probe(r, out);
	}
	fprintf(out, "\nfindings:%s\n", run->rep.n ? "" : " none");
	for (i = 0; i < run->rep.n; i++) {
		f = &run->rep.f[i];
		output_tags(f, tags, sizeof(tags));
		fprintf(out, "  %-8s %s %s [%s]\n    %s\n", detect_sev_name(f->sev),
		    f->resolver[0] ? f->resolver : "agent",
		    detect_code_name(f->code), tags, f->message);
	}
	fprintf(out, "\nverdict: %s\n", detect_sev_name(detect_worst(&run->rep)));
}
