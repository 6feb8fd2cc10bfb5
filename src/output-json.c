/*
 * output-json.c: `anchorwatch status --json`, for other programs.
 *
 * json-c builds and escapes the document: messages carry file names and
 * other text from untrusted files, and escaping is not hand-written here.
 */
#include <stdio.h>

#include "anchorwatch.h"
#include "lazy-json.h"
#include "aw-summary.h"

static const char *const src_kinds[] = {
	[SRC_AUTO] = "auto",
	[SRC_FILE] = "file",
	[SRC_INLINE] = "inline",
	[SRC_TRUSTED_KEYS] = "trusted-keys",
	[SRC_BUILTIN] = "builtin",
};

/* epoch, or null for 0 */
static json_object *
json_time(long long t)
{
	return t > 0 ? json_object_new_int64(t) : NULL;
}

/* What the agent's history says of k: first seen, signing, revoked. */
static void
json_history(json_object *o, const struct rootview *rv,
    const struct dnskey *k)
{
	const struct hist_key *e;
	size_t i;

	for (i = 0; rv->hist != NULL && i < rv->hist->n; i++) {
		e = &rv->hist->keys[i];
		if (!is_same_key(&e->key, k))
			continue;
		json_object_object_add(o, "first_seen",
		    json_time(e->first_seen));
		json_object_object_add(o, "first_signing",
		    json_time(e->first_signing));
		json_object_object_add(o, "revoked_seen",
		    json_time(e->revoked_seen));
		return;
	}
}

static json_object *
json_key(const struct rootview *rv, const struct dnskey *k)
{
	json_object *o = json_object_new_object();
	const char *agent = NULL;
	size_t i;

	for (i = 0; rv->have_agent && i < rv->agent.nanchors; i++)
		if (is_anchor_for(&rv->agent.anchors[i], k))
			agent = keyset_state_name(rv->agent.anchors[i].state);
	json_object_object_add(o, "keytag", json_object_new_int(k->tag));
	json_object_object_add(o, "flags", json_object_new_int(k->flags));
	json_object_object_add(o, "algorithm",
	    json_object_new_int(k->algorithm));
	json_object_object_add(o, "sep",
	    json_object_new_boolean(k->flags & DNSKEY_F_SEP));
	json_object_object_add(o, "revoked",
	    json_object_new_boolean(k->flags & DNSKEY_F_REVOKE));
	json_object_object_add(o, "signing",
	    json_object_new_boolean(is_signing(rv, k)));
	json_object_object_add(o, "agent_state",
	    agent ? json_object_new_string(agent) : NULL);
	json_history(o, rv, k);
	return o;
}

/* Without the live root: who signs by the history or the calendar, and
 * which of them says so ("judged_by", "judged_signers"). */
static void
json_judged(json_object *o, const struct rootview *rv, long long now)
{
	uint16_t tags[EV_TAGS_MAX];
	json_object *a;
	size_t i, n;
	int fh;

	n = rv->cal == NULL ? 0 : events_signers_at(rv->cal, rv->hist, now,
	    tags, EV_TAGS_MAX, &fh);
	if (n == 0)
		return;
	json_object_object_add(o, "judged_by", json_object_new_string(fh ?
	    "history" : "calendar"));
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(tags[i]));
	json_object_object_add(o, "judged_signers", a);
}

static json_object *
json_root(const struct rootview *rv, long long now)
{
	json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "secure",
	    json_object_new_boolean(rv->is_secure));
	if (!rv->is_secure) {
		json_object_object_add(o, "why",
		    json_object_new_string(rv->why));
		json_judged(o, rv, now);
	}
	json_object_object_add(o, "ttl", json_object_new_int64(rv->ttl));
	a = json_object_new_array();
	for (i = 0; i < rv->nkeys; i++)
		json_object_array_add(a, json_key(rv, &rv->keys[i]));
	json_object_object_add(o, "keys", a);
	a = json_object_new_array();
	for (i = 0; i < rv->nsigners; i++)
		json_object_array_add(a, json_object_new_int(rv->signers[i]));
	json_object_object_add(o, "signers", a);
	return o;
}

static json_object *
json_source(const struct source *s)
{
	json_object *o = json_object_new_object(), *a, *x;
	size_t i;

	json_object_object_add(o, "kind",
	    json_object_new_string(src_kinds[s->kind]));
	json_object_object_add(o, "path", json_object_new_string(s->path));
	if (s->decl_file[0]) {
		json_object_object_add(o, "declared_in",
		    json_object_new_string(s->decl_file));
		json_object_object_add(o, "declared_line",
		    json_object_new_int((int)s->decl_line));
	}
	json_object_object_add(o, "zone_revoked",
	    json_object_new_boolean(s->is_zone_revoked));
	if (s->have_probe)
		json_object_object_add(o, "last_success",
		    json_object_new_int64(s->last_success));
	a = json_object_new_array();
	for (i = 0; i < s->nanchors; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "keytag", json_object_new_int(
		    keyset_anchor_tag(&s->anchors[i])));
		json_object_object_add(x, "type", json_object_new_string(
		    s->anchors[i].is_ds ? "DS" : "DNSKEY"));
		json_object_object_add(x, "state", json_object_new_string(
		    keyset_state_name(s->anchors[i].state)));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "anchors", a);
	return o;
}

static const char *const sentinel_words[] = { "no answer", "trusted",
    "not trusted" };

/* What the running daemon answered, or null when it was not asked. */
static json_object *
json_probe(const struct resolver *r)
{
	const struct probe_result *pr = &r->probe;
	json_object *o, *a, *x;
	size_t i;

	if (!pr->done)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "address",
	    json_object_new_string(pr->address));
	json_object_object_add(o, "reachable",
	    json_object_new_boolean(pr->reachable));
	if (pr->checked[0]) {
		json_object_object_add(o, "dnskey_rcode",
		    json_object_new_int(pr->rcode[0]));
		json_object_object_add(o, "dnskey_ad",
		    json_object_new_boolean(pr->ad[0]));
	}
	a = json_object_new_array();
	for (i = 0; i < pr->nsentinel; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "keytag",
		    json_object_new_int(pr->sentinel_tags[i]));
		json_object_object_add(x, "verdict", json_object_new_string(
		    sentinel_words[pr->sentinel[i]]));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "sentinel", a);
	if (r->have_loaded) {
		a = json_object_new_array();
		for (i = 0; i < r->nloaded; i++)
			json_object_array_add(a,
			    json_object_new_int(r->loaded[i]));
		json_object_object_add(o, "loaded", a);
		json_object_object_add(o, "loaded_how",
		    json_object_new_string(r->loaded_how));
	}
	return o;
}

static json_object *
json_resolver(const struct resolver *r)
{
	json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "type", json_object_new_string(r->type));
	json_object_object_add(o, "user", json_object_new_string(
	    r->user[0] ? r->user : "root"));
	json_object_object_add(o, "trusted", json_object_new_int(r->ntrusted));
	json_object_object_add(o, "dnssec", json_object_new_boolean(
	    r->dnssec != DNSSEC_OFF));
	json_object_object_add(o, "dnssec_off_at", r->dnssec_where[0] ?
	    json_object_new_string(r->dnssec_where) : NULL);
	json_object_object_add(o, "error", r->error[0] ?
	    json_object_new_string(r->error) : NULL);
	json_object_object_add(o, "refused", r->refused[0] ?
	    json_object_new_string(r->refused) : NULL);
	json_object_object_add(o, "probe_age", r->probe_age >= 0 ?
	    json_object_new_int64(r->probe_age) : NULL);
	a = json_object_new_array();
	for (i = 0; i < r->nsources; i++)
		json_object_array_add(a, json_source(&r->sources[i]));
	json_object_object_add(o, "sources", a);
	json_object_object_add(o, "probe", json_probe(r));
	return o;
}

static json_object *
json_finding(const struct finding *f)
{
	json_object *o = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(o, "resolver", f->resolver[0] ?
	    json_object_new_string(f->resolver) : NULL);
	json_object_object_add(o, "code",
	    json_object_new_string(detect_code_name(f->code)));
	json_object_object_add(o, "severity",
	    json_object_new_string(detect_sev_name(f->sev)));
	json_object_object_add(o, "keytag", f->ntags ?
	    json_object_new_int(f->tags[0]) : NULL);
	a = json_object_new_array();
	for (i = 0; i < f->ntags; i++)
		json_object_array_add(a, json_object_new_int(f->tags[i]));
	json_object_object_add(o, "keytags", a);
	json_object_object_add(o, "message",
	    json_object_new_string(f->message));
	return o;
}

void
output_json(const struct run *run, FILE *out)
{
	json_object *doc = json_object_new_object(), *a;
	size_t i;

	json_object_object_add(doc, "version",
	    json_object_new_string(AW_VERSION));
	json_object_object_add(doc, "time", json_object_new_int64(run->now));
	json_object_object_add(doc, "status", json_object_new_string(
	    detect_sev_name(detect_worst(&run->rep))));
	json_object_object_add(doc, "root", json_root(run->rv, run->now));
	a = json_object_new_array();
	for (i = 0; i < run->nresolvers; i++)
		json_object_array_add(a, json_resolver(&run->resolvers[i]));
	json_object_object_add(doc, "resolvers", a);
	a = json_object_new_array();
	for (i = 0; i < run->rep.n; i++)
		json_object_array_add(a, json_finding(&run->rep.f[i]));
	json_object_object_add(doc, "findings", a);
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE), out);
	fputc('\n', out);
	json_object_put(doc);
}
