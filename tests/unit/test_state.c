/*
 * test_state.c: the agent's history.  A roll seen run by run (KSK-2017
 * signing, KSK-2024 published, the roll, KSK-2017 revoked and gone), the
 * file written and read back, what a compliant resolver trusts on each
 * date, a clock that goes back, and hostile files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "fsync-count.h"

#include "ksk.h"

#define DAY 86400LL
#define T0 1736553600LL		/* 2025-01-11 */
#define HOLD (30 * DAY)

static struct rootview rv;
static struct history h;
static char err[AW_ERR_MAX];

/* A root view: KSK-2017 (revoked if rev17, absent if !with17) signing if
 * sign17, KSK-2024 if with24, signing if sign24. */
static void
view(int with17, int rev17, int sign17, int with24, int sign24)
{
	struct anchor a;
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	memset(&rv, 0, sizeof(rv));
	rv.is_secure = 1;
	if (with17) {
		assert_int_equal(keyset_parse_rr(KSK2017, &a, err,
		    sizeof(err)), 1);
		if (rev17) {
			a.key.flags |= DNSKEY_F_REVOKE;
			len = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
			a.key.tag = keyset_tag(rd, (size_t)len);
		}
		rv.keys[rv.nkeys++] = a.key;
		if (sign17) {
			rv.signer_algs[rv.nsigners] = 8;
			rv.signers[rv.nsigners++] = a.key.tag;
		}
	}
	if (with24) {
		assert_int_equal(keyset_parse_rr(KSK2024, &a, err,
		    sizeof(err)), 1);
		rv.keys[rv.nkeys++] = a.key;
		if (sign24) {
			rv.signer_algs[rv.nsigners] = 8;
			rv.signers[rv.nsigners++] = 38696;
		}
	}
}

static const struct hist_key *
entry(uint16_t tag)
{
	size_t i;

	for (i = 0; i < h.n; i++)
		if (h.keys[i].key.tag == tag)
			return &h.keys[i];
	return NULL;
}

/* The 2024-2027 roll, one run on each date. */
static void
play(void)
{
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 0, 0);
	state_update(&h, &rv, T0 - DAY);
	view(1, 0, 1, 1, 0);		/* KSK-2024 published */
	state_update(&h, &rv, T0);
	state_update(&h, &rv, T0 + 40 * DAY);
	view(1, 0, 0, 1, 1);		/* the roll */
	state_update(&h, &rv, T0 + 600 * DAY);
	view(1, 1, 1, 1, 1);		/* KSK-2017 revoked, self-signed */
	state_update(&h, &rv, T0 + 700 * DAY);
	view(0, 0, 0, 1, 1);		/* and gone */
	state_update(&h, &rv, T0 + 800 * DAY);
}

static void
test_update(void **state)
{
	const struct hist_key *k17, *k24;

	(void)state;
	play();
	assert_int_equal(h.n, 2);
	assert_non_null(k17 = entry(20326));
	assert_non_null(k24 = entry(38696));
	assert_int_equal(k17->first_seen, T0 - DAY);
	assert_int_equal(k17->last_seen, T0 + 700 * DAY);
	assert_int_equal(k17->first_signing, T0 - DAY);
	assert_int_equal(k17->last_signing, T0 + 40 * DAY);
	assert_int_equal(k17->revoked_seen, T0 + 700 * DAY);
	assert_int_equal(k24->first_seen, T0);
	assert_int_equal(k24->first_signing, T0 + 600 * DAY);
	assert_int_equal(k24->revoked_seen, 0);
	assert_int_equal(h.last_run, T0 + 800 * DAY);
}

static void
test_compliant_trust(void **state)
{
	const struct hist_key *k17, *k24;

	(void)state;
	play();
	k17 = entry(20326);
	k24 = entry(38696);
	assert_false(is_compliant_trust(k24, T0 + 29 * DAY, HOLD, 366 * DAY));
	assert_true(is_compliant_trust(k24, T0 + 30 * DAY, HOLD, 366 * DAY));
	assert_true(is_compliant_trust(k17, T0 + 699 * DAY, HOLD, 366 * DAY));
	assert_false(is_compliant_trust(k17, T0 + 700 * DAY, HOLD, 366 * DAY));
	/* never seen before T0 - 1 day: not trusted before its hold-down */
	assert_false(is_compliant_trust(k17, T0 - DAY, HOLD, 366 * DAY));
	/* a key gone without revocation stays trusted while kept missing */
	assert_true(is_compliant_trust(k24, T0 + 900 * DAY, HOLD, 366 * DAY));
	assert_false(is_compliant_trust(k24, T0 + 1200 * DAY, HOLD,
	    366 * DAY));
}

/* A clock that goes back must not make a hold-down shorter. */
static void
test_clock_backwards(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	state_update(&h, &rv, T0);
	state_update(&h, &rv, T0 - 20 * DAY);
	assert_int_equal(entry(38696)->first_seen, T0);
	assert_int_equal(entry(38696)->last_seen, T0);
	assert_false(is_compliant_trust(entry(38696), T0 + 15 * DAY, HOLD,
	    366 * DAY));
}

static void
test_insecure_not_recorded(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	rv.is_secure = 0;
	state_update(&h, &rv, T0);
	assert_int_equal(h.n, 0);
	assert_int_equal(h.last_run, 0);
}

static void
test_round_trip(void **state)
{
	static struct history back;
	char path[] = "/tmp/aw-state.XXXXXX", *buf;
	size_t len;
	int fd;

	(void)state;
	play();
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 0);		/* no file: the first run */
	fsyncs = 0;
	assert_int_equal(state_save(path, &h, err, sizeof(err)), 0);
	/* The content is synced before the rename; the directory is not (a
	 * crash may bring back the history before, never a cut one). */
	assert_int_equal(fsyncs, 1);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_memory_equal(&back, &h, sizeof(h));
	state_format(&h, &buf, &len);
	assert_non_null(strstr(buf, "key 20326 257 8 first 2025-01-10T00:00:00Z "));
	assert_non_null(strstr(buf, "revoked 2026-12-12T00:00:00Z"));
	free(buf);
	unlink(path);
}

static void
test_hostile(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *why;
	} bad[] = {
		{ "anchorwatch-history 2\n", 1, "not an anchorwatch history" },
		{ "", 1, "empty history" },
		{ "anchorwatch-history 1\nlast-run yesterday\n", 2,
		    "malformed last-run" },
		{ "anchorwatch-history 1\nkey 1 2 3\n", 2, "malformed key" },
		{ "anchorwatch-history 1\n\nkey 20326 257 8 first "
		    "2017-07-11T00:00:00Z last 2017-07-10T00:00:00Z signing - - "
		    "revoked - AwEAAaz=\n", 3, "" },
		{ "anchorwatch-history 1\nkey 1 257 8 first 2017-07-11T00:00:00Z "
		    "last 2018-01-01T00:00:00Z signing - - revoked - "
		    "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4R"
		    "gWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNRO"
		    "xVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8ef"
		    "S3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL"
		    "3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm"
		    "+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=\n", 2,
		    "does not match the key" },
		{ "anchorwatch-history 1\nkey 20326 257 8 first 1999-01-01T00:00:00Z "
		    "last 2018-01-01T00:00:00Z signing - - revoked - X\n", 2,
		    "" },
	};
	char buf[4096], prefix[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i].text);
		assert_int_equal(state_parse("h", buf, strlen(buf), &h, err,
		    sizeof(err)), -1);
		snprintf(prefix, sizeof(prefix), "h:%u: ", bad[i].line);
		if (strncmp(err, prefix, strlen(prefix)) != 0 ||
		    strstr(err, bad[i].why) == NULL)
			fail_msg("case %zu: %s", i, err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_compliant_trust),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_insecure_not_recorded),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
