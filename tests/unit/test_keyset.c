/*
 * test_keyset.c: DNSKEY/DS parsing, key tags, digests and anchor matching.
 *
 * Expected values come from outside this code: the root KSK tags and
 * SHA-256 digests published by IANA (tests/../root-ksks.txt), SHA-1 and
 * SHA-384 digests computed with ldns-key2ds, and tags of keys made with
 * ldns-keygen (-a RSASHA256 -b 2048 -k ., ECDSAP256SHA256, ECDSAP384SHA384,
 * ED25519) and revoked with ldns-revoke.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define K2010 "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0="
#define K2017 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU="
#define K2024 "AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc="
/* ldns-keygen -a RSASHA256 -b 2048 -k . : id 17831, revoked 17959 */
#define KTEST "AwEAAbZB5MX3FPrwp+eg7JXghan/rLyPbulDrf6Th7nKshYKspbWoXv2Ct+y9PH4EvUYIM1Smgud3So4lh2D7MIUJYZA+dTNyeQSMz/BDVIKErLFJ1qkX7Aa/Dd4cD/6mewLJ6Z2qiT58EOvs87OsloPaSlRx6XkpEi9NxCQBM8lQUfBKIuWnFV6VrjpTlE1Lkkk3R+/XQZtH8L8ppTihJhVa2V+OBmWq5gZ7VAyTGc8eE5CZZm9px5yKgJbMT7ycLFij28f0+Kxyi4yzMzwBKTWNzvmKhe7XOiy+STnzMX9I1t41LXloeo8WKDpKkabPN6aI6jPkBFmne39NlBzOJekbjc="
/* ECDSAP256SHA256 (64 bytes, "=="), id 20945 */
#define KP256 "DLShrg8+t7VX2ucAFT2jGvUsCmL0zSCY8mWEvhRguKsPHJoeQUJ+owYOQoONJ3r37FmTUb16E5Y3f1uN0B4aXA=="
/* ECDSAP384SHA384 (96 bytes, no padding), id 17501 */
#define KP384 "lQNd3ZZ0Z66fmTQJMf/Ts9kZVXE8Mh22wvgS7eq9ZSim+nTtBi9COpHhVfM0Vrw2Q6tyVpdZSEChmxFPvgwX6/h1VciF2HVzWKZ4XLUZKjLMUXuepNfAASL+/O0m538N"
/* ED25519 (32 bytes, "="), id 12257 */
#define KED "0cbtK7T8U4t4w7FFasTijHP/J+/xhBxENAsz0uPc94k="

#define DS2010 "49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5"
#define DS2017 "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"
#define DS2024 "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16"

static char err[AW_ERR_MAX];

/* Parse text that must be a root record. */
static void
must_parse(const char *text, struct anchor *a)
{
	int r = keyset_parse_rr(text, a, err, sizeof(err));

	if (r != 1)
		fail_msg("\"%.60s\": %d %s", text, r, err);
}

/* Parse ". IN DNSKEY flags 3 alg b64". */
static void
key_of(unsigned flags, unsigned alg, const char *b64, struct anchor *a)
{
	char text[2048];

	snprintf(text, sizeof(text), ". IN DNSKEY %u 3 %u %s", flags, alg, b64);
	must_parse(text, a);
	assert_false(a->is_ds);
	assert_int_equal(a->state, KS_STATIC);
}

static void
test_root_tags(void **state)
{
	struct anchor a;

	key_of(257, 8, K2010, &a);
	assert_int_equal(a.key.tag, 19036);
	assert_int_equal(keyset_anchor_tag(&a), 19036);
	assert_int_equal(a.key.keylen, 260);
	key_of(257, 8, K2017, &a);
	assert_int_equal(a.key.tag, 20326);
	key_of(257, 8, K2024, &a);
	assert_int_equal(a.key.tag, 38696);
}

static void
test_revoked_tags(void **state)
{
	struct anchor a;

	key_of(385, 8, K2010, &a);
	assert_int_equal(a.key.tag, 19164);
	key_of(385, 8, K2017, &a);
	assert_int_equal(a.key.tag, 20454);
	key_of(385, 8, K2024, &a);
	assert_int_equal(a.key.tag, 38824);
	key_of(385, 8, KTEST, &a);
	assert_int_equal(a.key.tag, 17959);     /* ldns-revoke */
}

/* Tags over wire rdata agree with the parsed ones, both ways. */
static void
test_rdata_roundtrip(void **state)
{
	unsigned char rd[4 + AW_KEY_MAX];
	struct dnskey k;
	struct anchor a;
	int n;

	key_of(257, 8, K2024, &a);
	n = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
	assert_int_equal(n, 264);
	assert_int_equal(rd[0], 1);
	assert_int_equal(rd[1], 1);
	assert_int_equal(rd[2], 3);
	assert_int_equal(rd[3], 8);
	assert_int_equal(keyset_tag(rd, (size_t)n), 38696);
	assert_int_equal(keyset_dnskey_from_rdata(&k, rd, (size_t)n), 0);
	assert_int_equal(k.tag, 38696);
	assert_true(is_same_key(&k, &a.key));
	rd[1] = 0x81;                           /* REVOKE */
	assert_int_equal(keyset_dnskey_from_rdata(&k, rd, (size_t)n), 0);
	assert_int_equal(k.tag, 38824);
	assert_int_equal(keyset_dnskey_rdata(&a.key, rd, 263), -1);
	assert_int_equal(keyset_dnskey_from_rdata(&k, rd, 4), -1);
	assert_int_equal(keyset_dnskey_from_rdata(&k, rd, 3), -1);
}

/* Wire keys: at least one key byte, at most AW_KEY_MAX. */
static void
test_rdata_limits(void **state)
{
	static unsigned char big[4 + AW_KEY_MAX + 1] = { 1, 1, 3, 8 };
	struct dnskey k;

	assert_int_equal(keyset_dnskey_from_rdata(&k, big, sizeof(big)), -1);
	assert_int_equal(keyset_dnskey_from_rdata(&k, big, sizeof(big) - 1),
	    0);
	assert_int_equal(k.keylen, AW_KEY_MAX);
	assert_int_equal(keyset_dnskey_from_rdata(&k, big, 5), 0);
	assert_int_equal(k.keylen, 1);
	assert_int_equal(k.flags, 257);
}

/* RFC 4034 appendix B.1: algorithm 1 uses bytes of the modulus. */
static void
test_tag_alg1(void **state)
{
	unsigned char rd[] = { 1, 1, 3, 1, 3, 1, 0, 1, 0xaa, 0xbb, 0x12,
	    0x34, 0x56 };

	assert_int_equal(keyset_tag(rd, sizeof(rd)), 0x1234);
}

static void
test_ds_sha256_root(void **state)
{
	const char *keys[] = { K2010, K2017, K2024 };
	const char *ds[] = { ". IN DS 19036 8 2 " DS2010,
	    ". IN DS 20326 8 2 " DS2017, ". 86400 IN DS 38696 8 2 " DS2024 };
	struct anchor k[3], d[3];
	size_t i, j;

	for (i = 0; i < 3; i++) {
		key_of(257, 8, keys[i], &k[i]);
		must_parse(ds[i], &d[i]);
		assert_true(d[i].is_ds);
		assert_int_equal(d[i].ds.digestlen, 32);
		assert_int_equal(keyset_anchor_tag(&d[i]), k[i].key.tag);
	}
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			assert_int_equal(is_ds_of(&d[i].ds, &k[j].key), i == j);
	d[1].ds.digest[31] ^= 1;
	assert_false(is_ds_of(&d[1].ds, &k[1].key));
}

/* SHA-1 and SHA-384 digests, as computed by ldns-key2ds -1 / -4. */
static void
test_ds_sha1_sha384(void **state)
{
	struct anchor k, d1, d4, dt;

	key_of(257, 8, K2017, &k);
	must_parse(". IN DS 20326 8 1 ae1ea5b974d4c858b740bd03e3ced7ebfcbd1724",
	    &d1);
	must_parse(". IN DS 20326 8 4 538f47ba9bb88908e1dc335d6dfd51ca66b4d82"
	    "4192e6e6e210ae8cc18ece46a0f62b9f0d2f88dfc87d4bb8b8aed21cb", &d4);
	assert_int_equal(d1.ds.digestlen, 20);
	assert_int_equal(d4.ds.digestlen, 48);
	assert_true(is_ds_of(&d1.ds, &k.key));
	assert_true(is_ds_of(&d4.ds, &k.key));
	/* same digest under a wrong key tag or algorithm does not match */
	dt = d1;
	dt.ds.tag = 20327;
	assert_false(is_ds_of(&dt.ds, &k.key));
	dt = d1;
	dt.ds.algorithm = 13;
	assert_false(is_ds_of(&dt.ds, &k.key));
	key_of(257, 8, KTEST, &k);
	must_parse(". IN DS 17831 8 2 3a27d800d9bd2189222568555d690c0afc4dc1a9"
	    "3444450944765c6333bd2bf9", &d1);
	assert_true(is_ds_of(&d1.ds, &k.key));
}

/* A static DS anchor still designates its key once the root revokes it. */
static void
test_anchor_for_revoked(void **state)
{
	struct anchor ds, dnskey, k, rev, other, zsk;

	must_parse(". IN DS 20326 8 2 " DS2017, &ds);
	key_of(257, 8, K2017, &k);
	key_of(385, 8, K2017, &rev);
	key_of(257, 8, K2024, &other);
	key_of(256, 8, K2017, &zsk);
	assert_true(is_anchor_for(&ds, &k.key));
	assert_true(is_anchor_for(&ds, &rev.key));
	assert_false(is_ds_of(&ds.ds, &rev.key));
	assert_false(is_anchor_for(&ds, &other.key));
	must_parse(". IN DS 38696 8 2 " DS2024, &ds);
	assert_false(is_anchor_for(&ds, &rev.key));
	key_of(257, 8, K2017, &dnskey);
	assert_true(is_anchor_for(&dnskey, &rev.key));
	assert_true(is_same_key(&rev.key, &k.key));
	assert_false(is_same_key(&zsk.key, &k.key));
	assert_false(is_anchor_for(&dnskey, &other.key));
	assert_false(is_anchor_for(&dnskey, &zsk.key));
}

/* Keys whose length leaves 0, 1 or 2 '=' of padding. */
static void
test_b64_padding(void **state)
{
	struct anchor a;

	key_of(257, 13, KP256, &a);
	assert_int_equal(a.key.keylen, 64);
	assert_int_equal(a.key.tag, 20945);
	key_of(257, 14, KP384, &a);
	assert_int_equal(a.key.keylen, 96);
	assert_int_equal(a.key.tag, 17501);
	key_of(257, 15, KED, &a);
	assert_int_equal(a.key.keylen, 32);
	assert_int_equal(a.key.tag, 12257);
	assert_int_equal(a.key.key[31], 0x89);
	key_of(257, 8, "AAEC", &a);
	assert_int_equal(a.key.keylen, 3);
	key_of(257, 8, "AAE=", &a);
	assert_int_equal(a.key.keylen, 2);
	key_of(257, 8, "AA==", &a);
	assert_int_equal(a.key.keylen, 1);
	/* split by whitespace anywhere, also inside a quantum */
	key_of(257, 15, "0cbtK7T8U4t4w7FFasTij HP/J+/xhBxENAsz0uP\tc94k=", &a);
	assert_int_equal(a.key.tag, 12257);
}

static void
test_b64_bad(void **state)
{
	const char *bad[] = { "A===", "====", "AA=A", "A=AA", "AAE", "AAECA",
	    "AA!C", "AAE=AAEC", "=AAA", "AA=", "AAEC=" };
	char text[128];
	struct anchor a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), ". DNSKEY 257 3 8 %s", bad[i]);
		if (keyset_parse_rr(text, &a, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_non_null(strstr(err, "base64"));
	}
}

/* TTL and class are optional, in either order; the type any case. */
static void
test_rr_forms(void **state)
{
	const char *ok[] = { ". DNSKEY 257 3 15 " KED,
	    ". 3600 IN DNSKEY 257 3 15 " KED, ". IN 3600 DNSKEY 257 3 15 " KED,
	    ".\tin\tdnskey 257 3 15 " KED, ". 0 DnsKey 257 3 15 " KED };
	struct anchor a;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&a, 0xff, sizeof(a));
		must_parse(ok[i], &a);
		assert_int_equal(a.key.tag, 12257);
		assert_int_equal(a.state, KS_STATIC);
		assert_int_equal(a.count, 0);
	}
	assert_int_equal(keyset_parse_rr("example. IN DNSKEY 257 3 8 " KED, &a,
	    err, sizeof(err)), 0);
	assert_int_equal(keyset_parse_rr("example. DS 1 2 3 garbage", &a,
	    err, sizeof(err)), 0);
	assert_int_equal(keyset_parse_rr(". IN NS a.root-servers.net.", &a,
	    err, sizeof(err)), 0);
	assert_int_equal(keyset_parse_rr(". CH DNSKEY 257 3 8 " KED, &a,
	    err, sizeof(err)), 0);
	assert_int_equal(keyset_parse_rr(".. DNSKEY 257 3 8 " KED, &a,
	    err, sizeof(err)), 0);
}

/* Each malformed record fails with a message naming the problem. */
static void
test_rr_bad(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ ". 2147483648 IN DNSKEY 257 3 8 " KED, "TTL" },
		{ ". 99999999999999999999999 DNSKEY 257 3 8 " KED, "TTL" },
		{ ". DNSKEY 65536 3 8 " KED, "flags" },
		{ ". DNSKEY 18446744073709551873 3 8 " KED, "flags" },
		{ ". DNSKEY -1 3 8 " KED, "flags" },
		{ ". DNSKEY 0x101 3 8 " KED, "flags" },
		{ ". DNSKEY 257 4 8 " KED, "protocol" },
		{ ". DNSKEY 257 3 256 " KED, "algorithm" },
		{ ". DNSKEY 257 3 8", "key" },
		{ ". DNSKEY 257 3", "algorithm" },
		{ ". DS 20326 8 2 " DS2017 "00", "32 bytes" },
		{ ". DS 20326 8 1 " DS2017, "20 bytes" },
		{ ". DS 20326 8 4 " DS2017, "48 bytes" },
		{ ". DS 20326 8 2 E06", "hex" },
		{ ". DS 20326 8 2 G06D", "hex" },
		{ ". DS 20326 8 2", "hex" },
		{ ". DS 65536 8 2 " DS2017, "key tag" },
		{ ".", "type" },
		{ "", "empty" },
	};
	struct anchor a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (keyset_parse_rr(bad[i].text, &a, err, sizeof(err)) != -1)
			fail_msg("accepted \"%.50s\"", bad[i].text);
		if (strstr(err, bad[i].why) == NULL)
			fail_msg("\"%.50s\": \"%s\" lacks \"%s\"", bad[i].text,
			    err, bad[i].why);
	}
}

/* Unknown digest types are kept as they are; known ones checked. */
static void
test_ds_other_types(void **state)
{
	struct anchor a;

	must_parse(". DS 1 8 99 0102030405", &a);
	assert_int_equal(a.ds.digest_type, 99);
	assert_int_equal(a.ds.digestlen, 5);
	assert_int_equal(a.ds.digest[4], 5);
	assert_false(is_ds_of(&a.ds, &a.key));
}

/* AW_KEY_MAX bytes is the largest key; one more is refused. */
static void
test_key_size_limit(void **state)
{
	static char text[4096];
	struct anchor a;
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), ". DNSKEY 257 3 8 ");
	memset(text + n, 'A', (AW_KEY_MAX / 3) * 4);
	memcpy(text + n + (AW_KEY_MAX / 3) * 4, "AQ==", 5);
	must_parse(text, &a);
	assert_int_equal(a.key.keylen, AW_KEY_MAX);
	assert_int_equal(a.key.key[AW_KEY_MAX - 1], 1);
	memcpy(text + n + (AW_KEY_MAX / 3) * 4, "AAE=", 5);
	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), -1);
	memset(text + n, 'A', 3000);
	text[n + 3000] = '\0';
	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), -1);
}

static void
test_trusted_key_forms(void **state)
{
	struct anchor a;

	assert_int_equal(keyset_parse_trusted_key(". 257 3 8 \"" K2017 "\"",
	    &a, err, sizeof(err)), 1);
	assert_int_equal(a.key.tag, 20326);
	assert_int_equal(a.state, KS_STATIC);
	assert_int_equal(keyset_parse_trusted_key("\".\" initial-key 257 3 8 "
	    "\"AwEAAa96jeuknZla eSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidl"
	    "tpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx"
	    "4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJ"
	    "Ng/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeG"
	    "yxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBe"
	    "vYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=\"", &a, err,
	    sizeof(err)), 1);
	assert_int_equal(a.key.tag, 38696);
	assert_int_equal(keyset_parse_trusted_key(". static-key 385 3 8 \""
	    K2010 "\"", &a, err, sizeof(err)), 1);
	assert_int_equal(a.key.tag, 19164);
	assert_int_equal(keyset_parse_trusted_key(". initial-ds 20326 8 2 \""
	    DS2017 "\"", &a, err, sizeof(err)), 1);
	assert_true(a.is_ds);
	assert_int_equal(a.ds.tag, 20326);
	assert_int_equal(keyset_parse_trusted_key("\".\" static-ds 38696 8 2 "
	    DS2024, &a, err, sizeof(err)), 1);
	assert_int_equal(a.ds.tag, 38696);
	assert_int_equal(keyset_parse_trusted_key("example. 257 3 8 \"" K2017
	    "\"", &a, err, sizeof(err)), 0);
	assert_int_equal(keyset_parse_trusted_key(". 257 3 8 \"" K2017, &a,
	    err, sizeof(err)), -1);
	assert_int_equal(keyset_parse_trusted_key(". initial-ds 20326 8 2 \""
	    K2017 "\"", &a, err, sizeof(err)), -1);
	assert_int_equal(keyset_parse_trusted_key(". static-key 257 2 8 \""
	    K2017 "\"", &a, err, sizeof(err)), -1);
	assert_int_equal(keyset_parse_trusted_key(".", &a, err, sizeof(err)),
	    -1);
}

static void
test_state_names(void **state)
{
	assert_string_equal(keyset_state_name(KS_START), "Start");
	assert_string_equal(keyset_state_name(KS_ADDPEND), "AddPend");
	assert_string_equal(keyset_state_name(KS_VALID), "Valid");
	assert_string_equal(keyset_state_name(KS_MISSING), "Missing");
	assert_string_equal(keyset_state_name(KS_REVOKED), "Revoked");
	assert_string_equal(keyset_state_name(KS_REMOVED), "Removed");
	assert_string_equal(keyset_state_name(KS_STATIC), "static");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_tags),
		cmocka_unit_test(test_revoked_tags),
		cmocka_unit_test(test_rdata_roundtrip),
		cmocka_unit_test(test_rdata_limits),
		cmocka_unit_test(test_tag_alg1),
		cmocka_unit_test(test_ds_sha256_root),
		cmocka_unit_test(test_ds_sha1_sha384),
		cmocka_unit_test(test_anchor_for_revoked),
		cmocka_unit_test(test_b64_padding),
		cmocka_unit_test(test_b64_bad),
		cmocka_unit_test(test_rr_forms),
		cmocka_unit_test(test_rr_bad),
		cmocka_unit_test(test_ds_other_types),
		cmocka_unit_test(test_key_size_limit),
		cmocka_unit_test(test_trusted_key_forms),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
