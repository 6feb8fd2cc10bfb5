/*
 * test_rfc5011.c: the RFC 5011 state machine, transition by transition,
 * against the RFC text (sections 2.1, 2.3, 2.4.1, 2.4.2 and the state
 * table of section 4), the unbound and Knot Resolver variants, a clock
 * that goes backwards, and keys that come and go.  Real root KSKs.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "ksk.h"

#define DAY 86400LL
#define T0 1499731200LL		/* 2017-07-11 00:00 UTC */
#define HD (30 * DAY)

static struct source tp;
static struct rfc5011_params par;
static struct rfc5011_result res;

/* The observed set: keys and the tags that signed it. */
static struct dnskey okeys[8];
static uint16_t osig[8];
static struct rfc5011_obs obs;

static struct anchor
anchor_of(const char *text)
{
	struct anchor a;
	char err[AW_ERR_MAX];

	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), 1);
	return a;
}

/* Start tp with the given anchors (NULL-terminated), variant v. */
static void
start(enum rfc5011_variant v, const char *a1, const char *a2)
{
	struct anchor a[2];
	size_t n = 0;

	rfc5011_defaults(&par, v);
	a[n++] = anchor_of(a1);
	if (a2 != NULL)
		a[n++] = anchor_of(a2);
	assert_int_equal(rfc5011_init(&tp, a, n, T0 - DAY), 0);
}

/* tp is as before was: the same fields and the same anchors. */
static void
assert_same_tp(const struct source *before)
{
	struct source x = *before, y = tp;

	assert_int_equal(before->nanchors, tp.nanchors);
	assert_memory_equal(before->anchors, tp.anchors,
	    tp.nanchors * sizeof(tp.anchors[0]));
	x.anchors = y.anchors = NULL;
	x.anchorcap = y.anchorcap = 0;
	assert_memory_equal(&x, &y, sizeof(x));
}

/* Empty the observation. */
static void
clear(void)
{
	memset(&obs, 0, sizeof(obs));
	obs.keys = okeys;
	obs.signers = osig;
	obs.ttl = 172800;
}

/* Publish text with flags; signing if sign.  Returns the published tag. */
static uint16_t
pub(const char *text, uint16_t flags, int sign)
{
	struct dnskey *k = &okeys[obs.nkeys++];
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	*k = anchor_of(text).key;
	k->flags = flags;
	len = keyset_dnskey_rdata(k, rd, sizeof(rd));
	assert_true(len > 0);
	k->tag = keyset_tag(rd, (size_t)len);
	if (sign)
		osig[obs.nsigners++] = k->tag;
	return k->tag;
}

static int
probe(long long t)
{
	return rfc5011_probe(&tp, &par, &obs, t, &res);
}

/* State of the tracked key with (unrevoked) tag, or -1 if not tracked. */
static int
state_of(uint16_t tag)
{
	size_t i;

	for (i = 0; i < tp.nanchors; i++) {
		struct dnskey k = tp.anchors[i].key;
		unsigned char rd[AW_KEY_MAX + 4];
		int len;

		k.flags &= (uint16_t)~DNSKEY_F_REVOKE;
		len = keyset_dnskey_rdata(&k, rd, sizeof(rd));
		if ((tp.anchors[i].is_ds ? tp.anchors[i].ds.tag :
		    keyset_tag(rd, (size_t)len)) == tag)
			return (int)tp.anchors[i].state;
	}
	return -1;
}

/* 1 if res holds tag: from -> to by event. */
static int
has_change(uint16_t tag, enum ks_state from, enum ks_state to,
    enum rfc5011_event ev)
{
	size_t i;

	for (i = 0; i < res.n; i++)
		if (res.c[i].tag == tag && res.c[i].from == from &&
		    res.c[i].to == to && res.c[i].event == ev)
			return 1;
	return 0;
}

/* The 2017 publication: KSK-2010 signs, KSK-2017 new. */
static void
set_published(void)
{
	clear();
	pub(KSK2010, 257, 1);
	pub(KSK2017, 257, 0);
}

/* Section 2.3: active refresh and retry. */
static void
test_intervals(void **state)
{
	(void)state;
	assert_int_equal(rfc5011_query_interval(172800, 0), 86400);
	assert_int_equal(rfc5011_retry_interval(172800, 0), 17280);
	assert_int_equal(rfc5011_query_interval(100 * 86400, 0), 15 * 86400);
	assert_int_equal(rfc5011_retry_interval(100 * 86400, 0), 86400);
	assert_int_equal(rfc5011_query_interval(600, 0), 3600);
	assert_int_equal(rfc5011_retry_interval(600, 0), 3600);
	/* RRSIG expiration: half of 4 days is 2 days, above TTL/2 */
	assert_int_equal(rfc5011_query_interval(172800, 4 * DAY), 86400);
	assert_int_equal(rfc5011_query_interval(172800, 10 * 3600), 5 * 3600);
	assert_int_equal(rfc5011_retry_interval(172800, 20 * 3600), 7200);
	/* the probe sets them, and the next probe time */
	start(RFC5011_PLAIN, KSK2010, NULL);
	clear();
	pub(KSK2010, 257, 1);
	obs.sig_expire = T0 + 10 * 3600;
	assert_int_equal(probe(T0), 0);
	assert_int_equal(tp.query_interval, 5 * 3600);
	assert_int_equal(tp.retry_time, 3600);
	assert_int_equal(tp.next_probe_time, T0 + 5 * 3600);
	assert_int_equal(tp.last_success, T0);
}

/* NewKey: Start -> AddPend on a validated set with a new SEP key. */
static void
test_newkey(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	pub(KSK2024, 256, 0);		/* a ZSK: not tracked */
	assert_int_equal(probe(T0), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_true(has_change(20326, KS_START, KS_ADDPEND, KE_NEWKEY));
	assert_int_equal(state_of(38696), -1);
	assert_int_equal(state_of(19036), KS_VALID);
	assert_int_equal(res.n, 1);
}

/* A set no trusted key signs does not count: no NewKey, probe failed. */
static void
test_not_validated(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, NULL);
	clear();
	pub(KSK2010, 257, 0);
	pub(KSK2017, 257, 1);
	tp.last_success = T0 - DAY;
	assert_int_equal(probe(T0), 1);
	assert_int_equal(state_of(20326), -1);
	assert_int_equal(tp.query_failed, 1);
	assert_int_equal(tp.last_success, T0 - DAY);
	assert_int_equal(tp.next_probe_time, T0 + 17280);	/* TTL/10 */
	/* no answer at all: the same */
	assert_int_equal(rfc5011_probe(&tp, &par, NULL, T0 + 3600, &res), 1);
	assert_int_equal(tp.query_failed, 2);
}

/* AddTime (2.4.1): 30 days in every validated set seen, checked when a
 * validated set holds the key; a failed probe does not end it. */
static void
test_addtime(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 + HD - 1), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(rfc5011_probe(&tp, &par, NULL, T0 + HD, &res), 1);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + HD), 0);
	assert_int_equal(state_of(20326), KS_VALID);
	assert_true(has_change(20326, KS_ADDPEND, KS_VALID, KE_ADDTIME));
	/* a TTL above the hold-down is the hold-down (2.4.1) */
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	obs.ttl = (uint32_t)(40 * DAY);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 + HD), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + 40 * DAY), 0);
	assert_int_equal(state_of(20326), KS_VALID);
}

/* unbound: the hold-down strictly exceeded, two sightings, and time alone
 * ends it even on a failed probe. */
static void
test_unbound_addtime(void **state)
{
	(void)state;
	start(RFC5011_UNBOUND, KSK2010, NULL);
	set_published();
	assert_int_equal(probe(T0), 0);
	assert_int_equal(tp.anchors[1].count, 1);
	/* one sighting only: the hold-down passes, the key waits */
	assert_int_equal(rfc5011_probe(&tp, &par, NULL, T0 + HD + 1, &res),
	    1);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	/* exactly 30 days is not enough for unbound */
	start(RFC5011_UNBOUND, KSK2010, NULL);
	set_published();
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 + DAY), 0);
	assert_int_equal(probe(T0 + HD), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	/* two sightings and the hold-down past: a failed probe ends it */
	assert_int_equal(rfc5011_probe(&tp, &par, NULL, T0 + HD + 1, &res),
	    1);
	assert_int_equal(state_of(20326), KS_VALID);
	assert_true(has_change(20326, KS_ADDPEND, KS_VALID, KE_ADDTIME));
}

/* KeyRem on AddPend: back to Start, forgotten; when it comes back its
 * hold-down starts over. */
static void
test_addpend_comes_and_goes(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	assert_int_equal(probe(T0), 0);
	clear();
	pub(KSK2010, 257, 1);
	assert_int_equal(probe(T0 + 10 * DAY), 0);
	assert_true(has_change(20326, KS_ADDPEND, KS_START, KE_KEYREM));
	assert_int_equal(state_of(20326), -1);
	set_published();
	assert_int_equal(probe(T0 + 20 * DAY), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + HD + DAY), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + 20 * DAY + HD), 0);
	assert_int_equal(state_of(20326), KS_VALID);
}

/* KeyRem on Valid: Missing, still trusted; KeyPres: Valid again. */
static void
test_missing_comes_back(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, KSK2017);
	clear();
	pub(KSK2010, 257, 1);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(state_of(20326), KS_MISSING);
	assert_true(has_change(20326, KS_VALID, KS_MISSING, KE_KEYREM));
	assert_true(is_rfc5011_trusted(&tp, &tp.anchors[1]));
	/* the RFC keeps a Missing key however long */
	assert_int_equal(probe(T0 + 1000 * DAY), 0);
	assert_int_equal(state_of(20326), KS_MISSING);
	set_published();
	assert_int_equal(probe(T0 + 1001 * DAY), 0);
	assert_int_equal(state_of(20326), KS_VALID);
	assert_true(has_change(20326, KS_MISSING, KS_VALID, KE_KEYPRES));
	/* a Missing key that signs still validates the set */
	clear();
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0 + 1002 * DAY), 0);
	assert_int_equal(state_of(19036), KS_MISSING);
	assert_int_equal(probe(T0 + 1003 * DAY), 0);
}

/* Revoked (2.1): self-signed with the REVOKE bit; RemTime (2.4.2): absent
 * for the remove hold-down; the RFC keeps Removed keys, so the key is not
 * taken as new again. */
static void
test_revoke_remove(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, KSK2017);
	/* REVOKE bit without its own signature: nothing */
	clear();
	pub(KSK2010, 385, 0);
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(state_of(19036), KS_VALID);
	clear();
	assert_int_equal(pub(KSK2010, 385, 1), 19164);
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0 + DAY), 0);
	assert_int_equal(state_of(19036), KS_REVOKED);
	assert_true(has_change(19036, KS_VALID, KS_REVOKED, KE_REVOKED));
	assert_false(is_rfc5011_trusted(&tp, &tp.anchors[0]));
	/* still published: the remove hold-down waits */
	assert_int_equal(probe(T0 + 40 * DAY), 0);
	assert_int_equal(state_of(19036), KS_REVOKED);
	clear();
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0 + 41 * DAY), 0);
	assert_int_equal(probe(T0 + 40 * DAY + HD - 1), 0);
	assert_int_equal(state_of(19036), KS_REVOKED);
	assert_int_equal(probe(T0 + 40 * DAY + HD), 0);
	assert_int_equal(state_of(19036), KS_REMOVED);
	assert_true(has_change(19036, KS_REVOKED, KS_REMOVED, KE_REMTIME));
	/* back unrevoked: Removed stays Removed, not NewKey */
	clear();
	pub(KSK2010, 257, 0);
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0 + 100 * DAY), 0);
	assert_int_equal(state_of(19036), KS_REMOVED);
	assert_int_equal(res.n, 0);
}

/* Every trusted key revoked: the trust point is revoked and stops. */
static void
test_tp_revoked(void **state)
{
	(void)state;
	start(RFC5011_UNBOUND, KSK2010, NULL);
	clear();
	pub(KSK2010, 385, 1);
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0), 1);
	assert_int_equal(state_of(19036), KS_REVOKED);
	assert_int_equal(tp.is_zone_revoked, 1);
	assert_int_equal(state_of(20326), -1);
	set_published();
	assert_int_equal(probe(T0 + DAY), 1);
	assert_int_equal(state_of(19036), KS_REVOKED);
	assert_int_equal(res.n, 0);
}

/* Knot Resolver: Missing dropped after 4 hold-downs; the remove hold-down
 * runs from the revocation while the key is published. */
static void
test_knot(void **state)
{
	(void)state;
	start(RFC5011_KNOT, KSK2010, KSK2017);
	clear();
	pub(KSK2010, 257, 1);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(state_of(20326), KS_MISSING);
	assert_int_equal(probe(T0 + 4 * HD - 1), 0);
	assert_int_equal(state_of(20326), KS_MISSING);
	assert_int_equal(probe(T0 + 4 * HD), 0);
	assert_int_equal(state_of(20326), -1);
	assert_true(has_change(20326, KS_MISSING, KS_REMOVED, KE_PURGE));
	start(RFC5011_KNOT, KSK2010, KSK2017);
	clear();
	pub(KSK2010, 385, 1);
	pub(KSK2017, 257, 1);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 + HD), 0);
	assert_true(has_change(19036, KS_REVOKED, KS_REMOVED, KE_REMTIME));
	assert_int_equal(state_of(19036), -1);
}

/* unbound keep-missing: a Missing key goes when another key is Valid. */
static void
test_unbound_keep_missing(void **state)
{
	(void)state;
	start(RFC5011_UNBOUND, KSK2010, KSK2017);
	par.keep_missing = (unsigned)(10 * DAY);
	clear();
	pub(KSK2010, 257, 1);
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 + 10 * DAY), 0);
	assert_int_equal(state_of(20326), KS_MISSING);
	assert_int_equal(probe(T0 + 10 * DAY + 1), 0);
	assert_int_equal(state_of(20326), -1);
	assert_true(has_change(20326, KS_MISSING, KS_REMOVED, KE_PURGE));
}

/* A clock that goes back stands still: hold-downs are delayed, never
 * shortened, even for a key that comes and goes meanwhile. */
static void
test_clock_backwards(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	assert_int_equal(probe(T0), 0);
	assert_int_equal(probe(T0 - 10 * DAY), 0);
	assert_int_equal(tp.last_queried, T0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	/* gone and back while the clock is 20 days behind */
	clear();
	pub(KSK2010, 257, 1);
	assert_int_equal(probe(T0 - 20 * DAY), 0);
	set_published();
	assert_int_equal(probe(T0 - 15 * DAY), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	/* its hold-down counts from T0 (the clock's high mark), not T0-15d */
	assert_int_equal(probe(T0 + 15 * DAY), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + HD - 1), 0);
	assert_int_equal(state_of(20326), KS_ADDPEND);
	assert_int_equal(probe(T0 + HD), 0);
	assert_int_equal(state_of(20326), KS_VALID);
}

/* Refused: a clock before 2010-07-15, or more keys than fit. */
static void
test_refused(void **state)
{
	struct source before;
	struct anchor *a;
	size_t i;

	(void)state;
	memset(&before, 0, sizeof(before));
	start(RFC5011_PLAIN, KSK2010, NULL);
	set_published();
	source_copy(&before, &tp);
	assert_int_equal(probe(RFC5011_CLOCK_MIN - 1), -1);
	assert_same_tp(&before);
	/* a trust point already full of tracked keys */
	for (i = tp.nanchors; i < AW_ANCHOR_MAX; i++) {
		a = source_add_anchor(&tp);
		*a = tp.anchors[0];
		a->key.algorithm = 13;	/* another key */
		a->key.key[0] = (unsigned char)i;
	}
	source_copy(&before, &tp);
	assert_int_equal(probe(T0), -1);
	assert_same_tp(&before);
	source_free(&before);
	assert_int_equal(rfc5011_init(&tp, tp.anchors, AW_ANCHOR_MAX + 1, T0),
	    -1);
}

/* A DS anchor (root.ds) trusts its key, which then replaces it. */
static void
test_ds_anchor(void **state)
{
	(void)state;
	start(RFC5011_PLAIN, DS2010, NULL);
	assert_int_equal(tp.anchors[0].is_ds, 1);
	set_published();
	assert_int_equal(probe(T0), 0);
	assert_int_equal(tp.anchors[0].is_ds, 0);
	assert_int_equal(tp.anchors[0].key.tag, 19036);
	assert_int_equal(state_of(19036), KS_VALID);
	assert_int_equal(state_of(20326), KS_ADDPEND);
}

static void
test_names(void **state)
{
	enum rfc5011_variant v;

	(void)state;
	assert_int_equal(rfc5011_variant_from_name("knot", &v), 0);
	assert_int_equal(v, RFC5011_KNOT);
	assert_int_equal(rfc5011_variant_from_name("bind", &v), -1);
	assert_string_equal(rfc5011_variant_name(RFC5011_UNBOUND), "unbound");
	assert_string_equal(rfc5011_event_name(KE_KEYPRES), "KeyPres");
	assert_string_equal(rfc5011_event_name(KE_REVOKED), "Revoked");
	rfc5011_defaults(&par, RFC5011_UNBOUND);
	assert_int_equal(par.add_holddown, 30 * 86400);
	assert_int_equal(par.keep_missing, 366 * 86400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_newkey),
		cmocka_unit_test(test_not_validated),
		cmocka_unit_test(test_addtime),
		cmocka_unit_test(test_unbound_addtime),
		cmocka_unit_test(test_addpend_comes_and_goes),
		cmocka_unit_test(test_missing_comes_back),
		cmocka_unit_test(test_revoke_remove),
		cmocka_unit_test(test_tp_revoked),
		cmocka_unit_test(test_knot),
		cmocka_unit_test(test_unbound_keep_missing),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ds_anchor),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
