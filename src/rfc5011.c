/*
 * rfc5011.c: the RFC 5011 state machine, pure.
 *
 * Old state + one observation + the clock -> new state.  The state of a
 * trust point is a struct source (see anchorwatch.h); an observation is
 * the DNSKEY RRset one active refresh received.  Nothing here reads a
 * file, asks the DNS or calls time(): the agent's history, the replay of
 * dated scenarios and the tests drive the same code.
 *
 * RFC 5011 sections implemented:
 *   2.1   revocation: a self-signed key with the REVOKE bit is revoked at
 *         once, whether or not the rest of the set validates;
 *   2.3   active refresh: query interval MAX(1 hr, MIN(15 days, TTL/2,
 *         sig/2)), retry MAX(1 hr, MIN(1 day, TTL/10, sig/10));
 *   2.4.1 add hold-down: MAX(30 days, original TTL) of presence in every
 *         validated set seen, checked when a validated set holds the key;
 *   2.4.2 remove hold-down: a Revoked key absent that long is Removed;
 *   4     the state table: events NewKey, AddTime, RemTime, KeyRem,
 *         KeyPres, Revoked over Start, AddPend, Valid, Missing, Revoked,
 *         Removed.
 *
 * Variants, as the products behave (read from their sources):
 *   unbound (validator/autotrust.c): AddPend -> Valid needs the hold-down
 *         passed (strictly) and at least 2 sightings (the "two validated
 *         sets" of 2.4.1); that check also runs on a probe that failed;
 *         a Missing key is dropped after keep-missing when another key is
 *         Valid; Start and Removed keys are not kept.
 *   Knot Resolver (modules/ta_update/ta_update.lua): a Missing key is
 *         dropped when it has been missing for 4 hold-downs; the remove
 *         hold-down runs from the revocation and is checked while the
 *         revoked key is still published; Removed keys are not kept.
 *
 * A key that comes and goes: an AddPend key that disappears goes back to
 * Start (KeyRem) and is forgotten, so its hold-down starts over when it
 * comes back; a Missing key that reappears is Valid again (KeyPres).
 */
#include <string.h>

#include "anchorwatch.h"

#define HOUR 3600LL
#define DAY (24 * HOUR)

void
rfc5011_defaults(struct rfc5011_params *p, enum rfc5011_variant v)
{
	memset(p, 0, sizeof(*p));
	p->variant = v;
	p->add_holddown = RFC5011_HOLDDOWN;
	p->del_holddown = RFC5011_HOLDDOWN;
	if (v == RFC5011_UNBOUND)
		p->keep_missing = 366 * 86400;	/* unbound's default */
}

static const char *const variant_names[] = {
	[RFC5011_PLAIN] = "rfc",
	[RFC5011_UNBOUND] = "unbound",
	[RFC5011_KNOT] = "knot",
};

int
rfc5011_variant_from_name(const char *name, enum rfc5011_variant *v)
{
	size_t i;

	for (i = 0; i < sizeof(variant_names) / sizeof(variant_names[0]); i++)
		if (strcmp(name, variant_names[i]) == 0) {
			*v = (enum rfc5011_variant)i;
			return 0;
		}
	return -1;
}

const char *
rfc5011_variant_name(enum rfc5011_variant v)
{
	return (unsigned)v <= RFC5011_KNOT ? variant_names[v] : "?";
}

const char *
rfc5011_event_name(enum rfc5011_event e)
{
	static const char *const names[] = {
		[KE_NEWKEY] = "NewKey", [KE_ADDTIME] = "AddTime",
		[KE_REMTIME] = "RemTime", [KE_KEYREM] = "KeyRem",
		[KE_KEYPRES] = "KeyPres", [KE_REVOKED] = "Revoked",
		[KE_PURGE] = "Purge",
	};

	return (unsigned)e <= KE_PURGE ? names[e] : "?";
}

static long long
min3(long long a, long long b, long long c)
{
	long long m = a < b ? a : b;

	return m < c ? m : c;
}

/* MAX(1 hr, MIN(cap, ttl/div, sig/div)); an unknown sig does not count. */
static unsigned
rfc5011_interval(uint32_t ttl, long long sig_left, long long cap, int div)
{
	long long x;

	x = min3(cap, (long long)ttl / div,
	    sig_left > 0 ? sig_left / div : cap);
	return (unsigned)(x < HOUR ? HOUR : x);
}

unsigned
rfc5011_query_interval(uint32_t ttl, long long sig_left)
{
	return rfc5011_interval(ttl, sig_left, 15 * DAY, 2);
}

unsigned
rfc5011_retry_interval(uint32_t ttl, long long sig_left)
{
	return rfc5011_interval(ttl, sig_left, DAY, 10);
}

int
is_rfc5011_trusted(const struct source *tp, const struct anchor *a)
{
	if (tp->is_zone_revoked)
		return 0;
	if (!a->is_ds && (a->key.flags & DNSKEY_F_REVOKE))
		return 0;
	return a->state == KS_VALID || a->state == KS_MISSING;
}

void
rfc5011_obs_from_rootview(struct rfc5011_obs *o, const struct rootview *rv)
{
	memset(o, 0, sizeof(*o));
	o->keys = rv->keys;
	o->nkeys = rv->nkeys;
	o->signers = rv->signers;
	o->signer_algs = rv->signer_algs;
	o->nsigners = rv->nsigners;
	o->ttl = rv->ttl;
}

int
rfc5011_init(struct source *tp, const struct anchor *a, size_t n,
    long long now)
{
	size_t i;

	if (n > AW_ANCHOR_MAX)
		return -1;
	source_free(tp);
	source_reserve(tp, n);
	tp->kind = SRC_AUTO;
	tp->is_stateful = 1;
	tp->have_probe = 1;
	tp->last_queried = now;
	for (i = 0; i < n; i++) {
		tp->anchors[i] = a[i];
		tp->anchors[i].state = KS_VALID;
		tp->anchors[i].count = 0;
		tp->anchors[i].lastchange = now;
	}
	tp->nanchors = n;
	return 0;
}

/* The tag of a tracked key without its REVOKE bit (DS: its key tag). */
static uint16_t
rfc5011_tag(const struct anchor *a)
{
	struct dnskey k;
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	if (a->is_ds || !(a->key.flags & DNSKEY_F_REVOKE))
		return keyset_anchor_tag(a);
	k = a->key;
	k.flags &= (uint16_t)~DNSKEY_F_REVOKE;
	len = keyset_dnskey_rdata(&k, rd, sizeof(rd));
	return len > 0 ? keyset_tag(rd, (size_t)len) : a->key.tag;
}

static void
rfc5011_note(struct rfc5011_result *res, const struct anchor *a,
    enum ks_state from, enum ks_state to, enum rfc5011_event ev)
{
	struct rfc5011_change *c;

	if (res == NULL || res->n == RFC5011_CHANGES_MAX)
		return;
	c = &res->c[res->n++];
	c->tag = rfc5011_tag(a);
	c->from = from;
	c->to = to;
	c->event = ev;
}

/* Move a to state s at clock t (its timer restarts). */
static void
rfc5011_set(struct anchor *a, enum ks_state s, long long t,
    enum rfc5011_event ev, struct rfc5011_result *res)
{
	rfc5011_note(res, a, a->state, s, ev);
	a->state = s;
	a->lastchange = t;
}

/* 1 if the timer of a, started at a->lastchange, has run hold seconds by
 * clock t.  unbound wants it strictly exceeded. */
static int
is_elapsed(const struct rfc5011_params *p, const struct anchor *a,
    long long t, long long hold)
{
	if (p->variant == RFC5011_UNBOUND)
		return t - a->lastchange > hold;
	return t - a->lastchange >= hold;
}

/* The tracked anchor for key k (DNSKEY ignoring REVOKE, or DS), or NULL. */
static struct anchor *
rfc5011_find(struct source *tp, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < tp->nanchors; i++)
		if (is_anchor_for(&tp->anchors[i], k))
			return &tp->anchors[i];
	return NULL;
}

/* 1 if the observation holds an RRSIG by k (as published). */
static int
is_signed_by(const struct rfc5011_obs *o, const struct dnskey *k)
{
	size_t i;

	for (i = 0; i < o->nsigners; i++)
		if (o->signers[i] == k->tag && (o->signer_algs == NULL ||
		    o->signer_algs[i] == k->algorithm))
			return 1;
	return 0;
}

static int
is_sep(const struct dnskey *k)
{
	return (k->flags & DNSKEY_F_ZONE) && (k->flags & DNSKEY_F_SEP);
}

/* Section 2.1: every self-signed revoked SEP key we trust becomes
 * Revoked, before anything else is believed. */
static void
rfc5011_revocations(struct source *tp, const struct rfc5011_obs *o,
    long long t, struct rfc5011_result *res)
{
	const struct dnskey *k;
	struct anchor *a;
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		k = &o->keys[i];
		if (!is_sep(k) || !(k->flags & DNSKEY_F_REVOKE) ||
		    !is_signed_by(o, k) || (a = rfc5011_find(tp, k)) == NULL)
			continue;
		if (a->state != KS_VALID && a->state != KS_MISSING)
			continue;
		a->is_ds = 0;
		a->key = *k;		/* now known by its revoked tag */
		rfc5011_set(a, KS_REVOKED, t, KE_REVOKED, res);
	}
}

/* 1 if a key the trust point trusts signs the observed set. */
static int
is_validated(struct source *tp, const struct rfc5011_obs *o)
{
	const struct anchor *a;
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		if ((o->keys[i].flags & DNSKEY_F_REVOKE) ||
		    !is_signed_by(o, &o->keys[i]))
			continue;
		if ((a = rfc5011_find(tp, &o->keys[i])) != NULL &&
		    is_rfc5011_trusted(tp, a))
			return 1;
	}
	return 0;
}

/* Every trusted key revoked: the trust point is revoked (;;REVOKED). */
static void
rfc5011_check_revoked(struct source *tp)
{
	size_t i, revoked = 0;

	for (i = 0; i < tp->nanchors; i++) {
		if (is_rfc5011_trusted(tp, &tp->anchors[i]))
			return;
		if (tp->anchors[i].state == KS_REVOKED)
			revoked++;
	}
	if (revoked > 0)
		tp->is_zone_revoked = 1;
}

/* Number of SEP keys of o the trust point does not know yet. */
static size_t
rfc5011_count_new(struct source *tp, const struct rfc5011_obs *o)
{
	size_t i, n = 0;

	for (i = 0; i < o->nkeys; i++)
		if (is_sep(&o->keys[i]) &&
		    !(o->keys[i].flags & DNSKEY_F_REVOKE) &&
		    rfc5011_find(tp, &o->keys[i]) == NULL)
			n++;
	return n;
}

/* The published copy of a's key in o, or NULL when absent. */
static const struct dnskey *
rfc5011_seen(const struct anchor *a, const struct rfc5011_obs *o)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (is_sep(&o->keys[i]) && is_anchor_for(a, &o->keys[i]))
			return &o->keys[i];
	return NULL;
}

/* AddTime for an AddPend key seen in a validated set (or, for unbound,
 * at any probe).  The hold-down is MAX(add hold-down, TTL) (2.4.1). */
static void
rfc5011_addtime(const struct rfc5011_params *p, struct anchor *a,
    long long t, uint32_t ttl, struct rfc5011_result *res)
{
	long long hold = p->add_holddown > ttl ? p->add_holddown : ttl;

	if (a->state != KS_ADDPEND || !is_elapsed(p, a, t, hold))
		return;
	if (p->variant == RFC5011_UNBOUND && a->count < 2)
		return;
	rfc5011_set(a, KS_VALID, t, KE_ADDTIME, res);
	a->count = 0;
}

/* The row of the state table for one tracked key; returns 1 if the key
 * is to be forgotten (back to Start, or purged). */
static int
rfc5011_step(struct source *tp, const struct rfc5011_params *p,
    struct anchor *a, const struct rfc5011_obs *o, long long t,
    int nvalid, struct rfc5011_result *res)
{
	const struct dnskey *k = rfc5011_seen(a, o);
	int revoked_seen = k != NULL && (k->flags & DNSKEY_F_REVOKE);

	if (k != NULL && !revoked_seen && a->is_ds) {
		a->is_ds = 0;		/* the DS anchor meets its key */
		a->key = *k;
	}
	switch (a->state) {
	case KS_ADDPEND:
		if (k == NULL || revoked_seen) {
			rfc5011_set(a, KS_START, t, KE_KEYREM, res);
			return 1;
		}
		if (a->count < 250)
			a->count++;
		rfc5011_addtime(p, a, t, o->ttl, res);
		return 0;
	case KS_VALID:
		if (k == NULL)
			rfc5011_set(a, KS_MISSING, t, KE_KEYREM, res);
		return 0;
	case KS_MISSING:
		if (k != NULL && !revoked_seen) {
			rfc5011_set(a, KS_VALID, t, KE_KEYPRES, res);
			return 0;
		}
		if ((p->variant == RFC5011_KNOT &&
		    is_elapsed(p, a, t, 4LL * p->add_holddown)) ||
		    (p->variant == RFC5011_UNBOUND && p->keep_missing > 0 &&
		    nvalid > 0 && is_elapsed(p, a, t, p->keep_missing))) {
			rfc5011_set(a, KS_REMOVED, t, KE_PURGE, res);
			return 1;
		}
		return 0;
	case KS_REVOKED:
		if (p->variant == RFC5011_KNOT) {
			if (k == NULL || !is_elapsed(p, a, t, p->del_holddown))
				return 0;
		} else if (k != NULL) {
			a->lastchange = t;	/* absent for RemTime from now */
			return 0;
		} else if (!is_elapsed(p, a, t, p->del_holddown))
			return 0;
		rfc5011_set(a, KS_REMOVED, t, KE_REMTIME, res);
		return p->variant != RFC5011_PLAIN;
	default:
		return 0;
	}
}

static size_t
rfc5011_nvalid(const struct source *tp)
{
	size_t i, n = 0;

	for (i = 0; i < tp->nanchors; i++)
		if (tp->anchors[i].state == KS_VALID)
			n++;
	return n;
}

/* Drop anchors[i], keeping the order of the rest. */
static void
rfc5011_forget(struct source *tp, size_t i)
{
	memmove(&tp->anchors[i], &tp->anchors[i + 1],
	    (tp->nanchors - i - 1) * sizeof(tp->anchors[0]));
	tp->nanchors--;
}

/* NewKey: every SEP key of o not yet tracked (and not revoked) enters
 * AddPend, seen once.  Room was checked by the caller. */
static void
rfc5011_newkeys(struct source *tp, const struct rfc5011_obs *o, long long t,
    struct rfc5011_result *res)
{
	struct anchor *a;
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		if (!is_sep(&o->keys[i]) ||
		    (o->keys[i].flags & DNSKEY_F_REVOKE) ||
		    rfc5011_find(tp, &o->keys[i]) != NULL)
			continue;
		a = source_add_anchor(tp);
		a->key = o->keys[i];
		a->state = KS_START;
		rfc5011_set(a, KS_ADDPEND, t, KE_NEWKEY, res);
		a->count = 1;
	}
}

/* The state table over a validated observation. */
static void
rfc5011_table(struct source *tp, const struct rfc5011_params *p,
    const struct rfc5011_obs *o, long long t, struct rfc5011_result *res)
{
	size_t i, known = tp->nanchors;
	int nvalid;

	nvalid = (int)rfc5011_nvalid(tp);
	for (i = 0; i < known;) {
		if (rfc5011_step(tp, p, &tp->anchors[i], o, t, nvalid, res)) {
			rfc5011_forget(tp, i);
			known--;
		} else
			i++;
	}
	rfc5011_newkeys(tp, o, t, res);
}

/* A probe that brought nothing usable (ttl 0 when there was no answer):
 * section 2.3 retry; unbound still lets time alone end a hold-down
 * (autr_holddown_exceed). */
static void
rfc5011_failed(struct source *tp, const struct rfc5011_params *p,
    long long t, uint32_t ttl, struct rfc5011_result *res)
{
	size_t i;

	if (p->variant == RFC5011_UNBOUND)
		for (i = 0; i < tp->nanchors; i++)
			rfc5011_addtime(p, &tp->anchors[i], t, ttl, res);
	if (tp->last_success > 0)
		tp->query_failed++;
	if (tp->retry_time == 0)
		tp->retry_time = rfc5011_retry_interval(ttl, 0);
	tp->next_probe_time = t + tp->retry_time;
}

int
rfc5011_probe(struct source *tp, const struct rfc5011_params *p,
    const struct rfc5011_obs *obs, long long now,
    struct rfc5011_result *res)
{
	long long t, sig_left = 0;

	if (res != NULL)
		res->n = 0;
	if (now < RFC5011_CLOCK_MIN || (obs != NULL &&
	    tp->nanchors + rfc5011_count_new(tp, obs) > AW_ANCHOR_MAX))
		return -1;
	/* The machine's clock never runs back: it stands still instead. */
	t = now > tp->last_queried ? now : tp->last_queried;
	tp->last_queried = t;
	if (tp->is_zone_revoked)
		return 1;
	if (obs == NULL) {
		rfc5011_failed(tp, p, t, 0, res);
		return 1;
	}
	rfc5011_revocations(tp, obs, t, res);
	rfc5011_check_revoked(tp);
	if (tp->is_zone_revoked || !is_validated(tp, obs)) {
		rfc5011_failed(tp, p, t, obs->ttl, res);
		return 1;
	}
	rfc5011_table(tp, p, obs, t, res);
	if (obs->sig_expire > 0)
		sig_left = obs->sig_expire - t;
	tp->query_interval = rfc5011_query_interval(obs->ttl, sig_left);
	tp->retry_time = rfc5011_retry_interval(obs->ttl, sig_left);
	tp->last_success = t;
	tp->query_failed = 0;
	tp->next_probe_time = t + tp->query_interval;
	return 0;
}
