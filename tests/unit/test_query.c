/*
 * test_query.c: parsing the DNS reply to ". DNSKEY" (untrusted input):
 * a well-formed answer, then truncation at every length, compression
 * loops, out-of-range pointers and random corruption.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "ksk.h"

static struct rootview rv;

struct msg {
	unsigned char b[4096];
	size_t len;
	size_t ancount_at;
};

static void
put16(struct msg *m, unsigned v)
{
	m->b[m->len++] = (unsigned char)(v >> 8);
	m->b[m->len++] = (unsigned char)v;
}

static void
put32(struct msg *m, unsigned long v)
{
	put16(m, (unsigned)(v >> 16));
	put16(m, (unsigned)(v & 0xffff));
}

/* Header and question ". DNSKEY IN"; answers added after. */
static void
msg_start(struct msg *m)
{
	memset(m, 0, sizeof(*m));
	put16(m, 0x1234);
	put16(m, 0x8180);
	put16(m, 1);
	m->ancount_at = m->len;
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
	m->b[m->len++] = 0;
	put16(m, 48);
	put16(m, 1);
}

static void
msg_rr(struct msg *m, unsigned type, const unsigned char *rd, size_t rdlen)
{
	unsigned an = (unsigned)(m->b[m->ancount_at] << 8 |
	    m->b[m->ancount_at + 1]) + 1;

	m->b[m->ancount_at] = (unsigned char)(an >> 8);
	m->b[m->ancount_at + 1] = (unsigned char)an;
	put16(m, 0xc00c);	/* pointer to the question's "." */
	put16(m, type);
	put16(m, 1);
	put32(m, 172800);
	put16(m, (unsigned)rdlen);
	memcpy(m->b + m->len, rd, rdlen);
	m->len += rdlen;
}

/* A reply with KSK-2017 and an RRSIG over DNSKEY by tag 20326. */
static void
msg_good(struct msg *m)
{
	struct anchor a;
	unsigned char rd[AW_KEY_MAX + 4], sig[18 + 1 + 256];
	char err[AW_ERR_MAX];
	int len;

	assert_int_equal(keyset_parse_rr(KSK2017, &a, err, sizeof(err)), 1);
	len = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
	assert_true(len > 0);
	msg_start(m);
	msg_rr(m, 48, rd, (size_t)len);
	memset(sig, 0xab, sizeof(sig));
	sig[0] = 0; sig[1] = 48;	/* type covered */
	sig[2] = 8;			/* algorithm */
	sig[16] = 20326 >> 8; sig[17] = 20326 & 0xff;
	sig[18] = 0;			/* signer "." */
	msg_rr(m, 46, sig, sizeof(sig));
}

static void
test_good_answer(void **state)
{
	struct msg m;
	char err[AW_ERR_MAX];

	(void)state;
	msg_good(&m);
	memset(&rv, 0, sizeof(rv));
	assert_int_equal(query_parse_answer(m.b, m.len, &rv, err,
	    sizeof(err)), 0);
	assert_int_equal(rv.nkeys, 1);
	assert_int_equal(rv.keys[0].tag, 20326);
	assert_int_equal(rv.keys[0].flags, 257);
	assert_int_equal(rv.nsigners, 1);
	assert_int_equal(rv.signers[0], 20326);
	assert_int_equal(rv.ttl, 172800);
	assert_true(is_signing(&rv, &rv.keys[0]));
	rv.keys[0].flags |= DNSKEY_F_REVOKE;
	assert_false(is_signing(&rv, &rv.keys[0]));
}

static void
test_truncated_everywhere(void **state)
{
	struct msg m;
	char err[AW_ERR_MAX];
	size_t cut;

	(void)state;
	msg_good(&m);
	for (cut = 0; cut < m.len; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);

		memcpy(copy, m.b, cut);
		memset(&rv, 0, sizeof(rv));
		assert_int_equal(query_parse_answer(copy, cut, &rv, err,
		    sizeof(err)), -1);
		assert_true(strncmp(err, "answer:", 7) == 0);
		free(copy);
	}
}

static void
test_compression_loop(void **state)
{
	struct msg m;
	char err[AW_ERR_MAX];

	(void)state;
	msg_good(&m);
	/* the first answer's owner points at itself */
	m.b[17] = 0xc0;
	m.b[18] = 17;
	assert_int_equal(query_parse_answer(m.b, m.len, &rv, err,
	    sizeof(err)), -1);
	msg_good(&m);
	m.b[18] = 0xff;		/* pointer past the end */
	m.b[17] = 0xcf;
	assert_int_equal(query_parse_answer(m.b, m.len, &rv, err,
	    sizeof(err)), -1);
}

static void
test_too_many_keys(void **state)
{
	struct msg m;
	char err[AW_ERR_MAX];
	unsigned char rd[8] = { 1, 1, 3, 8, 1, 2, 3, 4 };
	int i;

	(void)state;
	msg_start(&m);
	for (i = 0; i <= AW_RRSET_MAX; i++)
		msg_rr(&m, 48, rd, sizeof(rd));
	assert_int_equal(query_parse_answer(m.b, m.len, &rv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "more than"));
}

static void
test_no_keys(void **state)
{
	struct msg m;
	char err[AW_ERR_MAX];

	(void)state;
	msg_start(&m);
	assert_int_equal(query_parse_answer(m.b, m.len, &rv, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "no root DNSKEY"));
}

/* Random corruption: must never crash (run under ASan in make check). */
static void
test_random_corruption(void **state)
{
	struct msg m, c;
	char err[AW_ERR_MAX];
	int i, j, ok = 0;

	(void)state;
	srandom(5011);
	msg_good(&m);
	for (i = 0; i < 20000; i++) {
		c = m;
		for (j = 0; j < 1 + (int)(random() % 4); j++)
			c.b[random() % c.len] = (unsigned char)random();
		memset(&rv, 0, sizeof(rv));
		if (query_parse_answer(c.b, c.len, &rv, err, sizeof(err)) == 0)
			ok++;
		assert_true(rv.nkeys <= AW_RRSET_MAX);
	}
	assert_true(ok > 0);	/* some corruptions stay parseable */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_answer),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_compression_loop),
		cmocka_unit_test(test_too_many_keys),
		cmocka_unit_test(test_no_keys),
		cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
