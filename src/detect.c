/*
 * detect.c: findings, from what a resolver trusts and what the root serves.
 *
 * Every finding has a stable code (JSON and syslog carry it verbatim), a
 * severity, the resolver it is about, the key tags involved and one line an
 * operator can act on.  The rules follow RFC 5011: a key is trusted when it
 * is Valid or Missing (section 4), or configured statically; a key with the
 * REVOKE bit (section 2.1) is never trusted; a resolver can validate the
 * root only if a trusted key signs the root DNSKEY RRset (RFC 4035 5.2).
 *
 * Findings that need the live root are made only when the agent's own
 * answer was SECURE: an unreachable root is UNKNOWN for the agent.  One
 * verdict does not wait for it: a resolver that trusts no key signing the
 * root by the agent's history or the calendar (events_signers_at) at the
 * run's date is ANCHOR_STALE all the same, and its message says where the
 * verdict comes from.  An air-gapped host or a broken uplink must not
 * hide a resolver that is certainly broken.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"
#include "aw-summary.h"

static const char *const code_names[F_NCODES] = {
	[F_ANCHOR_STALE] = "ANCHOR_STALE",
	[F_SUCCESSOR_NOT_TRUSTED] = "SUCCESSOR_NOT_TRUSTED",
	[F_REVOKED_STILL_TRUSTED] = "REVOKED_STILL_TRUSTED",
	[F_ZONE_MARKED_REVOKED] = "ZONE_MARKED_REVOKED",
	[F_STATIC_ANCHOR] = "STATIC_ANCHOR",
	[F_ANCHOR_NOT_WRITABLE] = "ANCHOR_NOT_WRITABLE",
	[F_PROBE_OVERDUE] = "PROBE_OVERDUE",
	[F_NO_ANCHOR] = "NO_ANCHOR",
	[F_VALIDATION_OFF] = "VALIDATION_OFF",
	[F_VALIDATION_FAILING] = "VALIDATION_FAILING",
	[F_NOT_VALIDATING] = "NOT_VALIDATING",
	[F_SENTINEL_NOT_TRUSTED] = "SENTINEL_NOT_TRUSTED",
	[F_SENTINEL_DIFFERS] = "SENTINEL_DIFFERS",
	[F_LOADED_DIFFERS_FROM_DISK] = "LOADED_DIFFERS_FROM_DISK",
	[F_EVENT_AHEAD] = "EVENT_AHEAD",
	[F_RESOLVER_UNREACHABLE] = "RESOLVER_UNREACHABLE",
	[F_DNSKEY_STORM] = "DNSKEY_STORM",
	[F_ROOT_UNREACHABLE] = "ROOT_UNREACHABLE",
	[F_CONFIG_ERROR] = "CONFIG_ERROR",
	[F_CONFIG_REFUSED] = "CONFIG_REFUSED",
	[F_FIX_REFUSED] = "FIX_REFUSED",
	[F_FIX_APPLIED] = "FIX_APPLIED",
	[F_FIX_FAILED] = "FIX_FAILED",
	[F_CLOCK_SUSPECT] = "CLOCK_SUSPECT",
	[F_AGENT_ANCHOR_RESTORED] = "AGENT_ANCHOR_RESTORED",
	[F_WORLD_WRITABLE] = "WORLD_WRITABLE",
};

/* syslog message ids: fixed once given, never reused (anchorwatch(8)). */
static const unsigned short code_msgids[F_NCODES] = {
	[F_ANCHOR_STALE] = 101,
	[F_SUCCESSOR_NOT_TRUSTED] = 102,
	[F_REVOKED_STILL_TRUSTED] = 103,
	[F_ZONE_MARKED_REVOKED] = 104,
	[F_STATIC_ANCHOR] = 105,
	[F_ANCHOR_NOT_WRITABLE] = 106,
	[F_PROBE_OVERDUE] = 107,
	[F_NO_ANCHOR] = 108,
	[F_VALIDATION_OFF] = 109,
	[F_VALIDATION_FAILING] = 110,
	[F_NOT_VALIDATING] = 111,
	[F_SENTINEL_NOT_TRUSTED] = 112,
	[F_SENTINEL_DIFFERS] = 113,
	[F_LOADED_DIFFERS_FROM_DISK] = 114,
	[F_EVENT_AHEAD] = 115,
	[F_RESOLVER_UNREACHABLE] = 116,
	[F_DNSKEY_STORM] = 117,
	[F_ROOT_UNREACHABLE] = 118,
	[F_CONFIG_ERROR] = 119,
	[F_CONFIG_REFUSED] = 120,
	[F_FIX_REFUSED] = 121,
	[F_FIX_APPLIED] = 122,
	[F_FIX_FAILED] = 123,
	[F_CLOCK_SUSPECT] = 124,
	[F_AGENT_ANCHOR_RESTORED] = 125,
	[F_WORLD_WRITABLE] = 126,
};

const char *
detect_code_name(enum fcode c)
{
	return (unsigned)c < F_NCODES ? code_names[c] : "?";
}

unsigned
detect_msgid(enum fcode c)
{
	return (unsigned)c < F_NCODES ? code_msgids[c] : AW_MSGID_ERROR;
}

unsigned
detect_msgid_of(const char *name)
{
	int c;

	for (c = 0; name != NULL && c < F_NCODES; c++)
		if (strcmp(code_names[c], name) == 0)
			return code_msgids[c];
	return AW_MSGID_ERROR;
}

const char *
detect_sev_name(enum severity s)
{
	switch (s) {
	case SEV_OK:
		return "OK";
	case SEV_WARNING:
		return "WARNING";
	case SEV_CRITICAL:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

/* Order for "worst": an agent that cannot see the root vouches for
 * nothing, so UNKNOWN outranks WARNING; a certain CRITICAL outranks both. */
enum severity
detect_worse(enum severity a, enum severity b)
{
	static const int rank[] = { 0, 1, 3, 2 };
	int ra = (unsigned)a < 4 ? rank[a] : 2, rb = (unsigned)b < 4 ? rank[b] : 2;

	return rb > ra ? b : a;
}

enum severity
detect_worst(const struct report *rep)
{
	enum severity w = SEV_OK;
	size_t i;

	for (i = 0; i < rep->n; i++)
		w = detect_worse(w, rep->f[i].sev);
	return w;
}

void
detect_add(struct report *rep, enum fcode code, enum severity sev,
    const char *resolver, const uint16_t *tags, size_t ntags,
    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 16;
		rep->f = xreallocarray(rep->f, rep->cap, sizeof(*rep->f));
	}
	f = &rep->f[rep->n++];
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->sev = sev;
	snprintf(f->resolver, sizeof(f->resolver), "%s", resolver);
	if (ntags > AW_TAGS_MAX)
		ntags = AW_TAGS_MAX;
	if (ntags > 0)
		memcpy(f->tags, tags, ntags * sizeof(*tags));
	f->ntags = ntags;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

void
detect_thresholds(const struct config *c, struct thresholds *t)
{
	t->warn_days = c->events.warn_days;
	t->crit_days = c->events.critical_days;
	t->probe_warn = c->probe_overdue;
	t->probe_crit = c->probe_critical;
}

/* The severity t gives candidate f, SEV_OK when it is below threshold. */
static enum severity
detect_grade_one(const struct finding *f, const struct thresholds *t)
{
	const long long day = 86400;

	if (f->code == F_EVENT_AHEAD)
		return f->value <= (long long)t->crit_days * day ?
		    SEV_CRITICAL : f->value <= (long long)t->warn_days * day ?
		    SEV_WARNING : SEV_OK;
	if (t->probe_crit > 0 && f->value > t->probe_crit)
		return SEV_CRITICAL;
	return f->value > t->probe_warn ? SEV_WARNING : SEV_OK;
}

void
detect_grade(struct report *rep, const struct thresholds *t)
{
	struct finding *f;
	size_t i, o = 0;

	for (i = 0; i < rep->n; i++) {
		f = &rep->f[i];
		if (f->code == F_EVENT_AHEAD || f->code == F_PROBE_OVERDUE) {
			if ((f->sev = detect_grade_one(f, t)) == SEV_OK)
				continue;
		}
		if (o != i)
			rep->f[o] = *f;
		o++;
	}
	rep->n = o;
}

void
report_append(struct report *to, const struct report *from, size_t first)
{
	const struct finding *f;
	size_t i;

	for (i = first; i < from->n; i++) {
		f = &from->f[i];
		detect_add(to, f->code, f->sev, f->resolver, f->tags, f->ntags,
		    "%s", f->message);
		to->f[to->n - 1].value = f->value;
	}
}

void
report_free(struct report *rep)
{
	free(rep->f);
	memset(rep, 0, sizeof(*rep));
}

void
detect_root(struct report *rep, const struct rootview *rv)
{
	if (rv->restored[0] != '\0')
		detect_add(rep, F_AGENT_ANCHOR_RESTORED, SEV_WARNING, "", NULL,
		    0, "%s", rv->restored);
	if (rv->is_secure)
		return;
	detect_add(rep, F_ROOT_UNREACHABLE, SEV_UNKNOWN, "", NULL, 0,
	    "no secure root DNSKEY answer for the agent: %s; checks that "
	    "need the live root were skipped", rv->why);
}

int
is_trusted_anchor(const struct source *s, const struct anchor *a)
{
	if (s->is_zone_revoked)
		return 0;
	if (!a->is_ds && (a->key.flags & DNSKEY_F_REVOKE))
		return 0;
	return a->state == KS_VALID || a->state == KS_MISSING ||
	    a->state == KS_STATIC;
}

/* The anchor of r that designates k (trusted ones only if trusted_only). */
static const struct anchor *
detect_find(const struct resolver *r, const struct dnskey *k,
    int trusted_only)
{
	const struct source *s;
	size_t i, j;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors; j++)
			if ((!trusted_only ||
			    is_trusted_anchor(s, &s->anchors[j])) &&
			    is_anchor_for(&s->anchors[j], k))
				return &s->anchors[j];
	}
	return NULL;
}

/* Tags of r's trusted anchors, as "19036, 20326" into buf. */
static int
detect_trusted_tags(const struct resolver *r, char *buf, size_t len)
{
	const struct source *s;
	size_t i, j, o = 0;
	int n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors; j++) {
			if (!is_trusted_anchor(s, &s->anchors[j]))
				continue;
			if (o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%u",
				    n ? ", " : "",
				    keyset_anchor_tag(&s->anchors[j]));
			n++;
		}
	}
	return n;
}

/* What to do about a static anchor, and what an unwritable RFC 5011 file
 * does, in the words of each product (its row of the reader table). */
static const char *
detect_hint(const struct resolver *r, int unwritable)
{
	const struct reader *rd = reader_find(r->type);

	if (unwritable)
		return rd != NULL && rd->advice_unwritable != NULL ?
		    rd->advice_unwritable : "the resolver cannot follow a roll";
	return rd != NULL ? rd->advice_static :
	    "use an RFC 5011 managed anchor";
}

/* STATIC_ANCHOR: root anchors RFC 5011 does not manage (none: no finding) */
static void
detect_static(struct report *rep, const struct resolver *r,
    const struct source *s)
{
	uint16_t tags[AW_TAGS_MAX];
	char where[AW_PATH_MAX + 32] = "";
	size_t i, n = 0;

	for (i = 0; i < s->nanchors && n < AW_TAGS_MAX; i++)
		tags[n++] = keyset_anchor_tag(&s->anchors[i]);
	if (n == 0)
		return;
	if (s->decl_file[0] != '\0')
		snprintf(where, sizeof(where), " (named at %s:%u)",
		    s->decl_file, s->decl_line);
	detect_add(rep, F_STATIC_ANCHOR, SEV_WARNING, r->name, tags, n,
	    "static trust anchor in %s%s will not follow a root KSK roll: "
	    "%s", s->path, where, detect_hint(r, 0));
}

/* Findings from the files alone: static, not writable, ;;REVOKED,
 * probe age. */
static void
detect_sources(struct report *rep, struct resolver *r,
    const struct config *c, time_t now)
{
	char why[AW_ERR_MAX];
	const struct source *s;
	long long age;
	size_t i;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (s->kind != SRC_AUTO) {
			if (r->rfc5011)
				detect_static(rep, r, s);
			continue;
		}
		if (s->is_zone_revoked)
			detect_add(rep, F_ZONE_MARKED_REVOKED, SEV_CRITICAL,
			    r->name, NULL, 0, "%s is marked ;;REVOKED: the "
			    "resolver treats the root as insecure and does not "
			    "validate; reseed it (unbound-anchor -a %s) and "
			    "restart", s->path, s->path);
		if (!is_writable_by(s->path, r->user, why, sizeof(why)))
			detect_add(rep, F_ANCHOR_NOT_WRITABLE, SEV_CRITICAL,
			    r->name, NULL, 0, "RFC 5011 anchor %s cannot be "
			    "updated: %s (%s)", s->path, why,
			    detect_hint(r, 1));
		if (!s->have_probe || s->last_success <= 0)
			continue;
		age = (long long)now - s->last_success;
		if (age > r->probe_age)
			r->probe_age = age;
		/* A candidate whatever its age: detect_grade keeps it only
		 * past the threshold in force (config or check_anchorwatch
		 * -w/-c), so that a recorded run can be judged again. */
		detect_add(rep, F_PROBE_OVERDUE, SEV_WARNING, r->name, NULL, 0,
		    "last successful RFC 5011 probe in %s was %lld s ago: is "
		    "the resolver running and reaching the root?", s->path,
		    age);
		rep->f[rep->n - 1].value = age;
	}
}

static int
is_any_zone_revoked(const struct resolver *r)
{
	size_t i;

	for (i = 0; i < r->nsources; i++)
		if (r->sources[i].is_zone_revoked)
			return 1;
	return 0;
}

/* ANCHOR_STALE: no trusted key signs the RRset.  Returns 1 if stale. */
static int
detect_stale(struct report *rep, const struct rootview *rv,
    const struct resolver *r)
{
	uint16_t tags[AW_TAGS_MAX];
	char have[256];
	size_t i, n = 0;

	for (i = 0; i < rv->nkeys; i++) {
		if (!is_signing(rv, &rv->keys[i]))
			continue;
		if (detect_find(r, &rv->keys[i], 1) != NULL)
			return 0;
		if (n < AW_TAGS_MAX)
			tags[n++] = rv->keys[i].tag;
	}
	if (n == 0)
		return 0;
	if (detect_trusted_tags(r, have, sizeof(have)) == 0)
		snprintf(have, sizeof(have), "no key");
	detect_add(rep, F_ANCHOR_STALE, SEV_CRITICAL, r->name, tags, n,
	    "trusts %s, but the root DNSKEY set is signed by key %u: "
	    "validation fails for every name; add key %u to its anchors "
	    "and restart", have, tags[0], tags[0]);
	return 1;
}

/* 1 if k is past its add hold-down: the agent's own RFC 5011 state holds
 * it Valid (or Missing), or the agent's history first saw it at least an
 * add hold-down ago (which survives a re-seeded anchor file). */
int
is_past_holddown(const struct rootview *rv, const struct dnskey *k,
    const struct config *c, time_t now)
{
	const struct anchor *a;
	size_t i;

	for (i = 0; rv->hist != NULL && i < rv->hist->n; i++)
		if (is_same_key(&rv->hist->keys[i].key, k) &&
		    is_compliant_trust(&rv->hist->keys[i], now,
		    c->add_holddown ? c->add_holddown : AW_ADD_HOLDDOWN,
		    c->keep_missing ? c->keep_missing : AW_KEEP_MISSING))
			return 1;
	if (!rv->have_agent)
		return 0;
	for (i = 0; i < rv->agent.nanchors; i++) {
		a = &rv->agent.anchors[i];
		if (is_anchor_for(a, k) && (a->state == KS_VALID ||
		    a->state == KS_MISSING))
			return 1;
	}
	return 0;
}

/*
 * An RFC 5011 resolver learns of a change at its next active refresh
 * (section 2.3), up to a query interval after the agent did.  Within that
 * grace it is not behind, only not yet told: returns 1 if r follows RFC
 * 5011 and the agent's history dates the change (since) less than r's
 * query interval (a day if it does not say) before now.
 */
static int
is_in_refresh_grace(const struct resolver *r, long long since, time_t now)
{
	long long grace = 86400;
	size_t i;
	int managed = 0;

	for (i = 0; i < r->nsources; i++) {
		if (r->sources[i].kind != SRC_AUTO)
			continue;
		managed = 1;
		if (r->sources[i].query_interval > 0)
			grace = r->sources[i].query_interval;
	}
	return managed && since > 0 && (long long)now - since < grace;
}

/* What the history says of k: when it was first seen revoked, or when its
 * add hold-down ended; 0 when the history does not know k. */
static long long
detect_since(const struct rootview *rv, const struct dnskey *k, int revoked,
    const struct config *c)
{
	const struct hist_key *e;
	size_t i;

	for (i = 0; rv->hist != NULL && i < rv->hist->n; i++) {
		e = &rv->hist->keys[i];
		if (!is_same_key(&e->key, k))
			continue;
		if (revoked)
			return e->revoked_seen;
		return e->first_seen + (c->add_holddown ? c->add_holddown :
		    AW_ADD_HOLDDOWN);
	}
	return 0;
}

/* SUCCESSOR_NOT_TRUSTED and REVOKED_STILL_TRUSTED. */
static void
detect_keys(struct report *rep, const struct rootview *rv,
    const struct resolver *r, int stale, const struct config *c, time_t now)
{
	const struct dnskey *k;
	const struct anchor *a;
	uint16_t tag;
	size_t i;

	for (i = 0; i < rv->nkeys; i++) {
		k = &rv->keys[i];
		if (!(k->flags & DNSKEY_F_SEP))
			continue;
		if (k->flags & DNSKEY_F_REVOKE) {
			if ((a = detect_find(r, k, 1)) == NULL ||
			    is_in_refresh_grace(r, detect_since(rv, k, 1, c),
			    now))
				continue;
			tag = keyset_anchor_tag(a);
			detect_add(rep, F_REVOKED_STILL_TRUSTED, SEV_WARNING,
			    r->name, &tag, 1, "trusts key %u, which the root "
			    "has revoked (published as %u with the REVOKE "
			    "bit): remove it from its anchors", tag, k->tag);
			continue;
		}
		if (!is_past_holddown(rv, k, c, now) ||
		    detect_find(r, k, 1) != NULL)
			continue;
		if (stale && is_signing(rv, k))
			continue;	/* already named by ANCHOR_STALE */
		if (is_in_refresh_grace(r, detect_since(rv, k, 0, c), now))
			continue;
		a = detect_find(r, k, 0);
		if (a != NULL && a->state == KS_ADDPEND)
			detect_add(rep, F_SUCCESSOR_NOT_TRUSTED,
			    is_signing(rv, k) ? SEV_CRITICAL : SEV_WARNING,
			    r->name, &k->tag, 1, "root key %u is past its "
			    "hold-down but the resolver still holds it in "
			    "AddPend: it is not probing the root often enough, "
			    "or it started late", k->tag);
		else
			detect_add(rep, F_SUCCESSOR_NOT_TRUSTED,
			    is_signing(rv, k) ? SEV_CRITICAL : SEV_WARNING,
			    r->name, &k->tag, 1, "root key %u is past its "
			    "hold-down but is not among the resolver's "
			    "anchors: add it before it signs the root", k->tag);
	}
}

/* 1 if r's files trust a key with tag (any anchor of that tag). */
static int
is_file_trusted_tag(const struct resolver *r, uint16_t tag)
{
	const struct source *s;
	size_t i, j;

	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors; j++)
			if (is_trusted_anchor(s, &s->anchors[j]) &&
			    keyset_anchor_tag(&s->anchors[j]) == tag)
				return 1;
	}
	return 0;
}

/*
 * ANCHOR_STALE without the live root: none of the keys signing the root
 * at now, by the history or the calendar, is among r's trusted tags (the
 * calendar holds tags only).  Nothing when neither knows.
 */
static void
detect_stale_offline(struct report *rep, const struct rootview *rv,
    const struct resolver *r, time_t now)
{
	uint16_t tags[EV_TAGS_MAX];
	const struct event *e;
	char have[256], since[192] = "", date[32];
	size_t i, n;
	int fh;

	if (rv->cal == NULL || (n = events_signers_at(rv->cal, rv->hist, now,
	    tags, EV_TAGS_MAX, &fh)) == 0)
		return;
	for (i = 0; i < n; i++)
		if (is_file_trusted_tag(r, tags[i]))
			return;
	if (detect_trusted_tags(r, have, sizeof(have)) == 0)
		snprintf(have, sizeof(have), "no key");
	if (!fh && (e = events_signing_since(rv->cal, now)) != NULL) {
		date_format(e->when, DATE_DAY_OR_MINUTE, date, sizeof(date));
		snprintf(since, sizeof(since), " since %s (%s)", date, e->name);
	}
	detect_add(rep, F_ANCHOR_STALE, SEV_CRITICAL, r->name, tags, n,
	    "trusts %s, but by %s the root DNSKEY set is signed by key %u%s: "
	    "validation fails for every name; add key %u to its anchors and "
	    "restart (verdict from %s: the live root did not answer)", have,
	    fh ? "the agent's history" : "the calendar", tags[0], since,
	    tags[0], fh ? "the agent's history" : "the calendar");
}

/* Validation as the running daemon answers: VALIDATION_FAILING when a
 * SERVFAIL goes away with CD=1, NOT_VALIDATING when answers lack AD. */
static void
detect_validation(struct report *rep, const struct resolver *r,
    const struct config *c)
{
	const struct probe_result *pr = &r->probe;
	const char *names[2] = { ". DNSKEY", c->signed_name };
	int i;

	for (i = 0; i < 2; i++) {
		if (!pr->checked[i])
			continue;
		if (pr->rcode[i] == 2 && pr->cd_rcode[i] == 0) {
			detect_add(rep, F_VALIDATION_FAILING, SEV_CRITICAL,
			    r->name, NULL, 0, "%s answers SERVFAIL for %s but "
			    "answers with CD=1: DNSSEC validation fails there",
			    pr->address, names[i]);
			return;
		}
		if (pr->rcode[i] == 0 && !pr->ad[i]) {
			detect_add(rep, F_NOT_VALIDATING, SEV_CRITICAL,
			    r->name, NULL, 0, "%s answers %s without the AD "
			    "bit: the running resolver does not validate",
			    pr->address, names[i]);
			return;
		}
	}
}

/* RFC 8509: the running daemon's trust, by the key sentinel, against the
 * root and against its files. */
static void
detect_sentinel(struct report *rep, const struct rootview *rv,
    const struct resolver *r)
{
	const struct probe_result *pr = &r->probe;
	uint16_t differ[AW_TAGS_MAX], signing[AW_TAGS_MAX];
	size_t i, j, nd = 0, ns = 0;
	int supported = 0, ok = 0, trusted;

	for (i = 0; i < pr->nsentinel; i++) {
		if (pr->sentinel[i] == SENTINEL_NO_ANSWER)
			continue;
		supported = 1;
		trusted = pr->sentinel[i] == SENTINEL_TRUSTED;
		if (trusted != is_file_trusted_tag(r, pr->sentinel_tags[i]) &&
		    nd < AW_TAGS_MAX)
			differ[nd++] = pr->sentinel_tags[i];
		for (j = 0; j < rv->nkeys; j++)
			if (rv->keys[j].tag == pr->sentinel_tags[i] &&
			    is_signing(rv, &rv->keys[j])) {
				if (trusted)
					ok = 1;
				else if (ns < AW_TAGS_MAX)
					signing[ns++] = rv->keys[j].tag;
			}
	}
	if (!supported)
		return;
	if (!ok && ns > 0)
		detect_add(rep, F_SENTINEL_NOT_TRUSTED, SEV_CRITICAL, r->name,
		    signing, ns, "by the RFC 8509 key sentinel, the running "
		    "resolver at %s does not trust key %u, which signs the "
		    "root: it fails to validate", pr->address, signing[0]);
	if (nd > 0)
		detect_add(rep, F_SENTINEL_DIFFERS, SEV_WARNING, r->name,
		    differ, nd, "by the RFC 8509 key sentinel, the running "
		    "resolver at %s %s key %u, but its files %s: it was not "
		    "reloaded, or it reads other files", pr->address,
		    is_file_trusted_tag(r, differ[0]) ? "does not trust" :
		    "trusts", differ[0], is_file_trusted_tag(r, differ[0]) ?
		    "do" : "do not");
}

/* The daemon's own list of loaded anchors against its files. */
static void
detect_loaded(struct report *rep, const struct resolver *r)
{
	uint16_t differ[AW_TAGS_MAX];
	const struct source *s;
	size_t i, j, k, n = 0;
	uint16_t tag;

	for (i = 0; i < r->nloaded; i++)
		if (!is_file_trusted_tag(r, r->loaded[i]) && n < AW_TAGS_MAX)
			differ[n++] = r->loaded[i];
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		for (j = 0; j < s->nanchors; j++) {
			if (!is_trusted_anchor(s, &s->anchors[j]))
				continue;
			tag = keyset_anchor_tag(&s->anchors[j]);
			for (k = 0; k < r->nloaded && r->loaded[k] != tag; k++)
				;
			if (k == r->nloaded && n < AW_TAGS_MAX)
				differ[n++] = tag;
		}
	}
	if (n > 0)
		detect_add(rep, F_LOADED_DIFFERS_FROM_DISK, SEV_WARNING,
		    r->name, differ, n, "the running daemon (%s) and its "
		    "files disagree on key %u: reload it, or find who changed "
		    "the files", r->loaded_how, differ[0]);
}

/* Findings from asking the running daemon. */
static void
detect_probe(struct report *rep, const struct rootview *rv,
    const struct resolver *r, const struct config *c)
{
	if (r->probe.done && !r->probe.reachable)
		detect_add(rep, F_RESOLVER_UNREACHABLE, SEV_WARNING, r->name,
		    NULL, 0, "no answer from %s: is the resolver running? "
		    "(its files were still checked)", r->probe.address);
	detect_validation(rep, r, c);
	if (rv->is_secure)
		detect_sentinel(rep, rv, r);
	if (r->have_loaded)
		detect_loaded(rep, r);
}

void
detect_resolver(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, time_t now)
{
	char have[256];
	int stale;

	r->ntrusted = 0;
	r->probe_age = -1;
	if (r->error[0] != '\0') {
		detect_add(rep, F_CONFIG_ERROR, SEV_UNKNOWN, r->name, NULL, 0,
		    "%s", r->error);
		return;
	}
	/* The daemon will not start (or reload) with this: whatever its
	 * anchors, it is not serving with them. */
	if (r->refused[0] != '\0')
		detect_add(rep, F_CONFIG_REFUSED, SEV_CRITICAL, r->name, NULL,
		    0, "%s", r->refused);
	if (r->world_writable[0] != '\0')
		detect_add(rep, F_WORLD_WRITABLE, SEV_WARNING, r->name, NULL,
		    0, "%s", r->world_writable);
	if (r->dnssec == DNSSEC_OFF) {
		detect_add(rep, F_VALIDATION_OFF, SEV_WARNING, r->name, NULL, 0,
		    "DNSSEC validation is switched off%s%s: its root anchors "
		    "are not used", r->dnssec_where[0] ? " at " : "",
		    r->dnssec_where);
		return;
	}
	r->ntrusted = detect_trusted_tags(r, have, sizeof(have));
	detect_sources(rep, r, c, now);
	detect_probe(rep, rv, r, c);
	if (r->nsources == 0) {
		detect_add(rep, F_NO_ANCHOR, SEV_WARNING, r->name, NULL, 0,
		    "no root trust anchor is configured: the resolver does "
		    "not validate DNSSEC");
		return;
	}
	/* A ;;REVOKED resolver does not fail, it silently stops validating:
	 * ZONE_MARKED_REVOKED says so, ANCHOR_STALE would mislead. */
	stale = r->ntrusted > 0 || !is_any_zone_revoked(r);
	if (!rv->is_secure) {
		if (stale)
			detect_stale_offline(rep, rv, r, now);
		return;
	}
	if (stale)
		stale = detect_stale(rep, rv, r);
	detect_keys(rep, rv, r, stale, c, now);
}

/*
 * DNSKEY_STORM: the busiest root DNSKEY asker heard on the local dnstap
 * socket or interface (main.c listens), at the configured rates per
 * minute.  A resolver that lost its trust anchor re-asks every few
 * seconds to minutes; a healthy one once a day (RFC 5011 2.3 at most
 * every hour).  Fewer than STORM_MIN queries are never a storm, so a
 * healthy daily refresh that falls in the window is not flagged.
 */
void
detect_storm(struct report *rep, const struct storm *s,
    const struct config *c)
{
	const struct traffic_conf *tc = &c->traffic;
	enum severity sev;

	if (!s->measured)
		return;
	if (s->why[0] != '\0') {
		detect_add(rep, F_DNSKEY_STORM, SEV_UNKNOWN, "", NULL, 0,
		    "cannot listen for DNSKEY queries: %s", s->why);
		return;
	}
	if (s->count < STORM_MIN || s->rate < tc->warn_rate)
		return;
	sev = s->rate >= tc->critical_rate ? SEV_CRITICAL : SEV_WARNING;
	detect_add(rep, F_DNSKEY_STORM, sev, "", NULL, 0, "%s asked for the "
	    "root DNSKEY set %u times in %u s (%.1f a minute; warning at %u, "
	    "critical at %u): a resolver that lost its trust anchor re-asks",
	    s->source, s->count, s->seconds, s->rate, tc->warn_rate,
	    tc->critical_rate);
}
