/*
 * remote.c: -H ADDRESS[@PORT], a resolver known from its answers alone.
 *
 * An appliance, or a resolver on another host, keeps files anchorwatch
 * cannot read.  What it trusts can still be asked (probe.c) and judged
 * against the agent's own validated view of the root (query.c) and its
 * history (state.c):
 *   - it must validate: AD on ". DNSKEY" and on probes.signed_name (RFC
 *     4035 3.2.3); a SERVFAIL that CD=1 answers is validation failing
 *     (RFC 4035 3.2.2): the resolver is dark;
 *   - by the key sentinel (RFC 8509 section 3.2), it must trust a key that
 *     signs the root, should trust a key past its add hold-down (RFC 5011
 *     2.4.1) and should no longer trust a revoked one (RFC 5011 2.1; the
 *     sentinel is asked for the key's tag without the REVOKE bit, the tag
 *     the resolver knew it by);
 *   - each coming event of the calendar within events.warn_days must find
 *     the keys it requires trusted (events-ready.c).  The answers cannot
 *     tell a static anchor from a managed one, so the resolver is judged as
 *     one that follows RFC 5011 and learns a published key after a
 *     hold-down; a key past its hold-down that it still does not trust is
 *     SUCCESSOR_NOT_TRUSTED all the same.
 * No file-based finding is possible, and the output says that only answers
 * were judged.  The configuration's resolvers are not read (remote_config).
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"
#include "aw-summary.h"

#define REMOTE_TYPE "remote"
#define REMOTE_DAY 86400LL

int
remote_parse(const char *arg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned char buf[sizeof(struct in6_addr)];
	char host[INET6_ADDRSTRLEN];
	const char *at = strchr(arg, '@'), *p;
	size_t hl = at != NULL ? (size_t)(at - arg) : strlen(arg);
	unsigned long port = 0;
	socklen_t len;

	if (strlen(arg) >= AW_NAME_MAX || hl >= sizeof(host))
		goto bad;
	memcpy(host, arg, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, buf) != 1 &&
	    inet_pton(AF_INET6, host, buf) != 1)
		goto bad;
	if (at != NULL) {
		/* digits only: strtoul would take "+53", " 53", "-1" */
		for (p = at + 1; *p >= '0' && *p <= '9' && p - at <= 5; p++)
			port = port * 10 + (unsigned long)(*p - '0');
		if (p == at + 1 || *p != '\0' || port == 0 || port > 65535)
			goto bad;
	}
	if (probe_sockaddr(arg, &ss, &len) == -1)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "-H \"%.*s\": expected an IPv4 or IPv6 address, "
	    "optionally @PORT (1 to 65535): 192.0.2.53, 2001:db8::53@5353",
	    AW_NAME_MAX, arg);
	return -1;
}

void
remote_config(struct config *c)
{
	c->nresolvers = 0;
	c->resolvers_given = 1;		/* and nothing to discover */
	c->probes = 1;			/* asking is all -H does */
	c->traffic.dnstap_socket[0] = '\0';	/* this host's traffic */
	c->traffic.interface[0] = '\0';
}

/* The tag the resolver knew key k by: without the REVOKE bit. */
static uint16_t
remote_plain_tag(const struct dnskey *k)
{
	unsigned char rd[4 + AW_KEY_MAX];
	struct dnskey plain = *k;
	int n;

	if (!(k->flags & DNSKEY_F_REVOKE))
		return k->tag;
	plain.flags &= (uint16_t)~DNSKEY_F_REVOKE;
	if ((n = keyset_dnskey_rdata(&plain, rd, sizeof(rd))) < 0)
		return k->tag;
	return keyset_tag(rd, (size_t)n);
}

/* tag into the ascending tags[0..n) unless there (at most max); the new
 * n.  In tag order, as the root's answers come in any order. */
static size_t
remote_tag_add(uint16_t *tags, size_t n, size_t max, uint16_t tag)
{
	size_t i;

	for (i = 0; i < n && tags[i] < tag; i++)
		;
	if ((i < n && tags[i] == tag) || n == max)
		return n;
	memmove(tags + i + 1, tags + i, (n - i) * sizeof(tags[0]));
	tags[i] = tag;
	return n + 1;
}

/* The tags to ask the sentinel about: the root's KSKs (a revoked one by
 * its tag without REVOKE) and the keys required by the calendar's events
 * within events.warn_days. */
static size_t
remote_tags(const struct rootview *rv, const struct config *c, long long now,
    uint16_t *tags, size_t max)
{
	const struct event *e;
	size_t i, j, n = 0;

	for (i = 0; rv->is_secure && i < rv->nkeys; i++)
		if (rv->keys[i].flags & DNSKEY_F_SEP)
			n = remote_tag_add(tags, n, max,
			    remote_plain_tag(&rv->keys[i]));
	for (i = 0; rv->cal != NULL && i < rv->cal->n; i++) {
		e = &rv->cal->ev[i];
		if (e->when <= now || e->kind == EV_TRUST || e->when - now >
		    (long long)c->events.warn_days * REMOTE_DAY)
			continue;
		for (j = 0; j < e->nrequires; j++)
			n = remote_tag_add(tags, n, max, e->requires[j]);
	}
	return n;
}

/* The sentinel's verdict on tag; *asked 0 if it was not asked. */
static enum sentinel_verdict
remote_verdict(const struct probe_result *pr, uint16_t tag, int *asked)
{
	size_t i;

	for (i = 0; i < pr->nsentinel; i++)
		if (pr->sentinel_tags[i] == tag) {
			*asked = 1;
			return pr->sentinel[i];
		}
	*asked = 0;
	return SENTINEL_NO_ANSWER;
}

/* Validation and the sentinel on the root's KSKs (probe_resolver), then
 * the sentinel on the other tags remote_tags names. */
static void
remote_probe(const struct config *c, const struct rootview *rv,
    struct resolver *r, long long now)
{
	struct resolver_conf *rc = xcalloc(1, sizeof(*rc));
	struct probe_result *pr = &r->probe;
	uint16_t tags[AW_RRSET_MAX];
	enum sentinel_verdict v;
	size_t i, n;
	int asked;

	snprintf(rc->name, sizeof(rc->name), "%s", r->name);
	snprintf(rc->type, sizeof(rc->type), "%s", r->type);
	snprintf(rc->address, sizeof(rc->address), "%s", r->name);
	probe_resolver(c, rc, rv, r);
	free(rc);
	if (!pr->reachable || c->sentinel_domain[0] == '\0' || !rv->is_secure)
		return;
	n = remote_tags(rv, c, now, tags, AW_RRSET_MAX);
	for (i = 0; i < n && pr->nsentinel < AW_RRSET_MAX; i++) {
		(void)remote_verdict(pr, tags[i], &asked);
		if (asked || probe_sentinel_tag(c, pr->address, tags[i],
		    &v) == -1)
			continue;
		pr->sentinel_tags[pr->nsentinel] = tags[i];
		pr->sentinel[pr->nsentinel++] = v;
	}
}

/* Key tags of the KSKs signing the root into tags; how many. */
static size_t
remote_signing(const struct rootview *rv, uint16_t *tags, size_t max)
{
	size_t i, n = 0;

	for (i = 0; rv->is_secure && i < rv->nkeys && n < max; i++)
		if ((rv->keys[i].flags & DNSKEY_F_SEP) &&
		    is_signing(rv, &rv->keys[i]))
			tags[n++] = rv->keys[i].tag;
	return n;
}

/* ". DNSKEY answers NOERROR" and the like, when nothing else can be
 * judged: RESOLVER_UNREACHABLE (it does not answer what -H asks). */
static void
remote_unjudged(struct report *rep, const struct resolver *r, char *what,
    size_t whatlen)
{
	const struct probe_result *pr = &r->probe;
	char how[96];

	if (!pr->checked[0])
		snprintf(how, sizeof(how), "truncated (TC: UDP only here; "
		    "probes.signed_name would be asked instead)");
	else if (pr->rcode[0] == 2)
		snprintf(how, sizeof(how), "SERVFAIL, and with CD=1 as well: "
		    "it does not reach the root");
	else if (pr->rcode[0] == 5)
		snprintf(how, sizeof(how), "REFUSED: it does not serve "
		    "this host (access control?)");
	else
		snprintf(how, sizeof(how), "with rcode %d", pr->rcode[0]);
	detect_add(rep, F_RESOLVER_UNREACHABLE, SEV_UNKNOWN, r->name, NULL, 0,
	    "%s answers . DNSKEY %s: nothing could be judged (with -H, only "
	    "its answers are)", pr->address, how);
	snprintf(what, whatlen, "its validation could not be judged");
}

/*
 * Does it validate?  VALIDATION_FAILING (dark: a SERVFAIL that CD=1
 * answers, naming the keys that sign the root) or NOT_VALIDATING (no AD),
 * else RESOLVER_UNREACHABLE when ". DNSKEY" got no answer to judge by.
 * Returns 1 if it validates; what gets the words for the status.
 */
static int
remote_validation(struct report *rep, const struct rootview *rv,
    const struct resolver *r, const struct config *c, char *what,
    size_t whatlen)
{
	const struct probe_result *pr = &r->probe;
	const char *names[2] = { ". DNSKEY", c->signed_name };
	uint16_t sig[AW_TAGS_MAX];
	size_t ns = remote_signing(rv, sig, AW_TAGS_MAX);
	char signers[128] = "";
	int i;

	if (ns > 0)
		snprintf(signers, sizeof(signers), "; the root is signed by "
		    "key %u: an anchor without it (trusting only an older key) "
		    "or a wrong clock does this", sig[0]);
	for (i = 0; i < 2; i++) {
		if (!pr->checked[i])
			continue;
		if (pr->rcode[i] == 2 && pr->cd_rcode[i] == 0) {
			detect_add(rep, F_VALIDATION_FAILING, SEV_CRITICAL,
			    r->name, sig, ns, "%s answers SERVFAIL for %s, "
			    "and answers it with CD=1: validation fails there, "
			    "the resolver is dark for every signed name%s",
			    pr->address, names[i], signers);
			snprintf(what, whatlen, "does not validate (SERVFAIL "
			    "for %s, answered with CD=1)", names[i]);
			return 0;
		}
		if (pr->rcode[i] == 0 && !pr->ad[i]) {
			detect_add(rep, F_NOT_VALIDATING, SEV_CRITICAL, r->name,
			    NULL, 0, "%s answers %s without the AD bit: it "
			    "does not validate DNSSEC (validation off, or no "
			    "trust anchor)", pr->address, names[i]);
			snprintf(what, whatlen, "does not validate (no AD on "
			    "%s)", names[i]);
			return 0;
		}
	}
	/* A truncated ". DNSKEY" (a revocation makes the set large; UDP
	 * only here): probes.signed_name, if set, tells instead. */
	if (!pr->checked[0] && pr->checked[1] && pr->rcode[1] == 0) {
		snprintf(what, whatlen, "validates (AD on %s; . DNSKEY came "
		    "truncated)", c->signed_name);
		return 1;
	}
	if (!pr->checked[0] || pr->rcode[0] != 0) {
		remote_unjudged(rep, r, what, whatlen);
		return 0;
	}
	snprintf(what, whatlen, "validates (AD on . DNSKEY%s%s)",
	    pr->checked[1] && pr->ad[1] ? " and " : "",
	    pr->checked[1] && pr->ad[1] ? c->signed_name : "");
	return 1;
}

/*
 * 1 while a change to k that the agent's history dates (its revocation
 * if revoked, else the end of its add hold-down) is younger than one
 * active refresh of RFC 5011 2.3, MAX(1 hour, MIN(15 days, TTL/2)): the
 * resolver may not have asked for the root DNSKEY set since.
 */
static int
is_remote_grace(const struct rootview *rv, const struct dnskey *k,
    const struct config *c, long long now)
{
	long long refresh = rv->ttl / 2, since = 0;
	const struct hist_key *e;
	size_t i;

	if (refresh > 15 * REMOTE_DAY)
		refresh = 15 * REMOTE_DAY;
	if (refresh < 3600)
		refresh = 3600;
	for (i = 0; rv->hist != NULL && i < rv->hist->n && since == 0; i++) {
		e = &rv->hist->keys[i];
		if (!is_same_key(&e->key, k))
			continue;
		since = (k->flags & DNSKEY_F_REVOKE) ? e->revoked_seen :
		    e->first_seen + events_holddown(c->add_holddown);
	}
	return since > 0 && now - since < refresh;
}

/* "20326, 38696" into buf, or "no key". */
static void
remote_tag_list(const uint16_t *tags, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	snprintf(buf, len, "no key");
	for (i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? ", " : "",
		    tags[i]);
}

/*
 * The root's KSKs against the sentinel's verdicts (yes: the tags it
 * trusts): SENTINEL_NOT_TRUSTED when it trusts none that signs,
 * SUCCESSOR_NOT_TRUSTED for a key past its hold-down it does not trust,
 * REVOKED_STILL_TRUSTED for a revoked one it does.
 */
static void
remote_judge_keys(struct report *rep, const struct rootview *rv,
    const struct resolver *r, const struct config *c, long long now,
    const uint16_t *yes, size_t ny)
{
	const struct probe_result *pr = &r->probe;
	uint16_t sig[AW_TAGS_MAX], tag;
	const struct dnskey *k;
	enum sentinel_verdict v;
	char have[128];
	size_t i, ns = 0, nsig;
	int asked, ok = 0;

	remote_tag_list(yes, ny, have, sizeof(have));
	nsig = remote_signing(rv, sig, AW_TAGS_MAX);
	for (i = 0; i < nsig; i++) {
		v = remote_verdict(pr, sig[i], &asked);
		if (v == SENTINEL_TRUSTED)
			ok = 1;
		else if (v == SENTINEL_UNTRUSTED)
			sig[ns++] = sig[i];
	}
	if (!ok && ns > 0)
		detect_add(rep, F_SENTINEL_NOT_TRUSTED, SEV_CRITICAL, r->name,
		    sig, ns, "by the RFC 8509 key sentinel, %s does not trust "
		    "key %u, which signs the root (it trusts %s): it fails to "
		    "validate once its cached root keys expire; add key %u to "
		    "its anchors", pr->address, sig[0], have, sig[0]);
	for (i = 0; i < rv->nkeys; i++) {
		k = &rv->keys[i];
		if (!(k->flags & DNSKEY_F_SEP))
			continue;
		tag = remote_plain_tag(k);
		if (k->flags & DNSKEY_F_REVOKE) {
			if (remote_verdict(pr, tag, &asked) == SENTINEL_TRUSTED &&
			    !is_remote_grace(rv, k, c, now))
				detect_add(rep, F_REVOKED_STILL_TRUSTED,
				    SEV_WARNING, r->name, &tag, 1, "by the RFC "
				    "8509 key sentinel, %s still trusts key %u, "
				    "which the root has revoked (published as %u "
				    "with the REVOKE bit): remove it from its "
				    "anchors", pr->address, tag, k->tag);
			continue;
		}
		if (remote_verdict(pr, tag, &asked) != SENTINEL_UNTRUSTED ||
		    !is_past_holddown(rv, k, c, now) ||
		    is_remote_grace(rv, k, c, now) || (!ok && is_signing(rv, k)))
			continue;
		detect_add(rep, F_SUCCESSOR_NOT_TRUSTED, is_signing(rv, k) ?
		    SEV_CRITICAL : SEV_WARNING, r->name, &tag, 1, "by the RFC "
		    "8509 key sentinel, %s does not trust root key %u, past its "
		    "add hold-down (it trusts %s): it goes dark when key %u "
		    "alone signs the root; add it to its anchors", pr->address,
		    tag, have, tag);
	}
}

/*
 * The coming events (events_detect), for a resolver whose trust is what
 * the sentinel said: one RFC 5011 source (remote.c's opening comment)
 * holding the trusted tags.  r keeps it; resolver_free frees it.
 */
static void
remote_events(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, long long now,
    const uint16_t *yes, size_t ny)
{
	struct source *s;
	struct anchor *a;
	size_t i;

	if (rv->cal == NULL)
		return;
	s = resolver_add_source(r);
	s->kind = SRC_AUTO;
	snprintf(s->path, sizeof(s->path), "the answers of %s", r->name);
	for (i = 0; i < ny && s->nanchors < AW_ANCHOR_MAX; i++) {
		a = source_add_anchor(s);
		a->key.flags = DNSKEY_F_ZONE | DNSKEY_F_SEP;
		a->key.tag = yes[i];
		a->state = KS_VALID;
	}
	events_detect(rep, rv->cal, r, 1, c, now);
}

/*
 * What the sentinel says it trusts, judged (remote_judge_keys,
 * remote_events).  Returns how many of the tags asked it trusts, or -1
 * when it gave no verdict; what gets the words for the status.
 */
static int
remote_keys(struct report *rep, const struct rootview *rv, struct resolver *r,
    const struct config *c, long long now, char *what, size_t whatlen)
{
	uint16_t tags[AW_RRSET_MAX], yes[AW_RRSET_MAX], no[AW_RRSET_MAX];
	char ys[128], ns[128];
	enum sentinel_verdict v;
	size_t i, n, ny = 0, nn = 0;
	int asked;

	n = remote_tags(rv, c, now, tags, AW_RRSET_MAX);
	for (i = 0; i < n; i++) {
		v = remote_verdict(&r->probe, tags[i], &asked);
		if (v == SENTINEL_TRUSTED)
			yes[ny++] = tags[i];
		else if (v == SENTINEL_UNTRUSTED)
			no[nn++] = tags[i];
	}
	if (ny + nn == 0) {
		snprintf(what, whatlen, "it gives no RFC 8509 key sentinel "
		    "verdict, so which root keys it trusts is not known");
		return -1;
	}
	remote_tag_list(yes, ny, ys, sizeof(ys));
	remote_tag_list(no, nn, ns, sizeof(ns));
	snprintf(what, whatlen, "by the RFC 8509 key sentinel it trusts %s%s%s%s",
	    ys, nn ? ", not " : "", nn ? ns : "", ny + nn < n ?
	    " (no verdict on the others)" : "");
	remote_judge_keys(rep, rv, r, c, now, yes, ny);
	/* An event is judged only on a verdict for every key it names. */
	if (ny + nn == n)
		remote_events(rep, rv, r, c, now, yes, ny);
	return (int)ny;
}

void
remote_detect(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, long long now)
{
	char val[AW_ERR_MAX / 2], keys[AW_ERR_MAX / 2] = "";

	r->ntrusted = -1;		/* not known: no perfdata */
	r->probe_age = -1;
	if (!r->probe.reachable) {
		detect_add(rep, F_RESOLVER_UNREACHABLE, SEV_UNKNOWN, r->name,
		    NULL, 0, "no answer from %s within probes.timeout (%u s): "
		    "nothing could be judged (with -H, only its answers are)",
		    r->probe.address, c->probe_timeout);
		snprintf(val, sizeof(val), "did not answer");
	} else if (!remote_validation(rep, rv, r, c, val, sizeof(val)))
		;		/* the sentinel needs a validating resolver */
	else if (!rv->is_secure)
		snprintf(keys, sizeof(keys), "its root keys were not judged "
		    "(the agent has no secure view of the root)");
	else if (c->sentinel_domain[0] == '\0')
		snprintf(keys, sizeof(keys), "which root keys it trusts was "
		    "not asked (probes.sentinel_domain is not set)");
	else
		r->ntrusted = remote_keys(rep, rv, r, c, now, keys,
		    sizeof(keys));
	snprintf(r->answers, sizeof(r->answers), "%s%s%s; judged from its "
	    "answers alone (-H: no files read)", val, keys[0] ? "; " : "",
	    keys);
}

void
remote_check(struct run *run, const struct rootview *rv, const char *addr)
{
	struct resolver *r = xcalloc(1, sizeof(*r));
	size_t i;

	snprintf(r->name, sizeof(r->name), "%s", addr);
	snprintf(r->type, sizeof(r->type), "%s", REMOTE_TYPE);
	remote_probe(run->cfg, rv, r, run->now);
	remote_detect(&run->rep, rv, r, run->cfg, run->now);
	/* The configuration's resolvers: none, by remote_config. */
	for (i = 0; i < run->nresolvers; i++)
		resolver_free(&run->resolvers[i]);
	free(run->resolvers);
	run->resolvers = r;
	run->nresolvers = 1;
}
