/*
 * test_traffic_table.c: traffic-table.c, the table of sources: exact
 * counts and entries that stay where they were made across many
 * doublings of the index, and the memory the table holds (its own
 * account, t.bytes and t.peak_bytes) within the 256 bytes a source of
 * issue 13, growth included, at every size; and the order of the
 * reports (traffic_sorted, traffic_keys_sort), its heapsort fallback
 * included.  Behaviour, not timing: tests/bench/traffic.sh measures the
 * speed and the real peak RSS.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define TT_SOURCES 300000	/* 9 doublings of the index, 293 chunks */
#define TT_EVERY 97		/* sources whose entry address is kept */

/* Source i's address: IPv4 (v4-mapped) for even i, IPv6 for odd. */
static void
tt_addr(size_t i, uint8_t a[16])
{
	memset(a, 0, 16);
	if (i % 2 == 0) {
		a[10] = a[11] = 0xff;
		a[12] = 10;
	} else
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
	a[13] = (uint8_t)(i >> 16), a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

/* Sources made one by one, each counted 1 + i % 5 times, the first ones
 * again after all the growth: every count is exact, every entry is where
 * it was made, and the table never held more than 256 bytes a source. */
static void
test_table_growth(void **state)
{
	struct traffic t;
	struct traffic_src *s, **kept;
	uint8_t a[16];
	size_t i, k;

	(void)state;
	kept = calloc(TT_SOURCES / TT_EVERY + 1, sizeof(*kept));
	assert_non_null(kept);
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < TT_SOURCES; i++) {
		tt_addr(i, a);
		for (k = 0; k <= i % 5; k++) {
			assert_non_null(s = traffic_entry(&t, a));
			s->queries++;
		}
		assert_int_equal(t.n, i + 1);
		if (i % TT_EVERY == 0)
			kept[i / TT_EVERY] = s;
		/* The fixed start (an index of 1024 slots, a chunk) aside. */
		if (t.n >= 512 && t.peak_bytes > 256 * t.n)
			fail_msg("%zu sources: peak %zu bytes", t.n,
			    t.peak_bytes);
		assert_true(t.bytes <= t.peak_bytes);
	}
	assert_true(t.cap >= 262144);
	for (i = 0; i < TT_SOURCES; i++) {
		tt_addr(i, a);
		assert_non_null(s = traffic_lookup(&t, a));
		assert_memory_equal(s->addr, a, 16);
		assert_int_equal(s->queries, 1 + i % 5);
		assert_ptr_equal(s, traffic_nth(&t, i));
		if (i % TT_EVERY == 0)
			assert_ptr_equal(s, kept[i / TT_EVERY]);
	}
	a[0] = 0x30;		/* never seen */
	assert_null(traffic_lookup(&t, a));
	assert_int_equal(t.n, TT_SOURCES);
	traffic_free(&t);
	assert_int_equal(t.bytes, 0);
	free(kept);
}

/* The account at the worst points: just past each doubling of the index
 * (both indexes were held) the peak is under 256 bytes a source, and the
 * memory now is 64 bytes an entry plus at most 8 / 0.35 an index slot. */
static void
test_table_account(void **state)
{
	struct traffic t;
	uint8_t a[16];
	size_t i, cap;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	cap = t.cap;
	for (i = 0; i < TT_SOURCES; i++) {
		tt_addr(i, a);
		assert_non_null(traffic_entry(&t, a));
		if (t.cap == cap)
			continue;
		cap = t.cap;
		print_message("%zu sources: index %zu slots, %zu bytes, "
		    "peak %zu (%zu a source)\n", t.n, t.cap, t.bytes,
		    t.peak_bytes, t.peak_bytes / t.n);
		assert_true(t.peak_bytes <= 256 * t.n);
		assert_true(t.bytes <= t.n * 64 + t.cap * 8 +
		    (size_t)2 * TRAFFIC_CHUNK_BLOCK * TRAFFIC_CHUNK * 64);
	}
	traffic_free(&t);
}

/* 1 if x must come before y in the reports: most root DNSKEY queries,
 * then most queries, then the address (the order's definition, kept
 * apart from traffic-report.c's integers). */
static int
tt_before(const struct traffic_src *x, const struct traffic_src *y)
{
	if (x->dnskey_root != y->dnskey_root)
		return x->dnskey_root > y->dnskey_root;
	if (x->queries != y->queries)
		return x->queries > y->queries;
	return memcmp(x->addr, y->addr, 16) < 0;
}

/* Sources made in a shuffled order with few distinct counts (many ties,
 * broken by the address), a count past 2^32 among them: traffic_sorted
 * gives each once, in order. */
static void
test_sorted(void **state)
{
	struct traffic t;
	struct traffic_src *s, **v;
	uint8_t a[16];
	size_t i, n = 20000, j;
	unsigned r = 12345;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < n; i++) {
		j = (i * 7919) % n;		/* 7919 is prime: a shuffle */
		tt_addr(j, a);
		assert_non_null(s = traffic_entry(&t, a));
		r = r * 1103515245u + 12345u;
		s->dnskey_root = (r >> 16) % 7 == 0 ? (r >> 8) % 3 : 0;
		s->queries = s->dnskey_root + (r >> 20) % 40;
		if (j == 4321)	/* first: the most of both */
			s->dnskey_root = 3, s->queries = (uint64_t)1 << 33;
	}
	v = traffic_sorted(&t);
	assert_ptr_equal(v[0], traffic_lookup(&t, (tt_addr(4321, a), a)));
	for (i = 1; i < n; i++)
		if (!tt_before(v[i - 1], v[i]))
			fail_msg("entries %zu and %zu out of order", i - 1, i);
	free(v);
	traffic_free(&t);
}

/* traffic_keys_sort at every depth, down to heapsort alone (0), on keys in
 * a random order and in the reverse of theirs: sorted, none lost. */
static void
test_keys_sort(void **state)
{
	static const unsigned depths[] = { 0, 1, 3, 64 };
	struct traffic_key *k;
	size_t n = 5000, i, d, pass;
	uint64_t sum;
	unsigned r = 777;

	(void)state;
	assert_non_null(k = calloc(n, sizeof(*k)));
	for (d = 0; d < sizeof(depths) / sizeof(depths[0]); d++)
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < n; i++) {
				r = r * 1103515245u + 12345u;
				k[i].dnskey_root = pass ? (uint32_t)i : r % 3;
				k[i].queries = pass ? 0 : (r >> 8) % 5;
				k[i].a0 = pass ? 0 : r >> 4;
				k[i].a1 = pass ? n - i : i;
				k[i].i = (uint32_t)i;
			}
			if (pass)	/* descending: the reverse of the order */
				for (i = 0; i < n; i++)
					k[i].dnskey_root = (uint32_t)(n - i);
			traffic_keys_sort(k, n, depths[d]);
			for (sum = 0, i = 0; i < n; i++) {
				sum += k[i].i;
				if (i == 0)
					continue;
				if (k[i - 1].dnskey_root > k[i].dnskey_root ||
				    (k[i - 1].dnskey_root == k[i].dnskey_root &&
				    (k[i - 1].queries > k[i].queries ||
				    (k[i - 1].queries == k[i].queries &&
				    (k[i - 1].a0 > k[i].a0 || (k[i - 1].a0 ==
				    k[i].a0 && k[i - 1].a1 >= k[i].a1))))))
					fail_msg("depth %u, pass %zu: keys %zu "
					    "and %zu out of order", depths[d],
					    pass, i - 1, i);
			}
			assert_int_equal(sum, (uint64_t)n * (n - 1) / 2);
		}
	free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_growth),
		cmocka_unit_test(test_table_account),
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_keys_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
