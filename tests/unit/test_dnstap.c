/*
 * test_dnstap.c: dnstap.c on hand-made dnstap files: every Dnstap message
 * is built here (dnstap.h) and written as Frame Streams into a temporary
 * directory, so that the expected counts are known exactly; then cut,
 * garbled, undecodable and mutated files.  The socket is
 * test_dnstap_listen.c's.
 */
#include "dnstap.h"

static void
test_file_counts(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];

	(void)state;
	main_frames(f);
	path_of(path, sizeof(path), "main.fstrm");
	write_file(path, CT, f);
	assert_int_equal(is_dnstap_file(path), 1);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_main_counts(&t);
	assert_int_equal(t.truncated, 0);
	/* 500000 ns of the first query are 500 us. */
	assert_true(t.first_us == (int64_t)t0 * 1000000 + 500);
	assert_true(t.last_us == (int64_t)(t0 + 20) * 1000000 + 500);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* A START frame without a content type is accepted. */
static void
test_file_no_content_type(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];

	(void)state;
	main_frames(f);
	path_of(path, sizeof(path), "untyped.fstrm");
	write_file(path, NULL, f);
	assert_int_equal(is_dnstap_file(path), 1);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_main_counts(&t);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

static void
test_file_wrong_type(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];

	(void)state;
	main_frames(f);
	path_of(path, sizeof(path), "other.fstrm");
	write_file(path, "protobuf:other.Thing\x01", f);
	assert_int_equal(is_dnstap_file(path), 1);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "\"protobuf:other.Thing?\""));
	assert_int_equal(t.packets, 0);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* Cut inside the last data frame: the frames before it are counted, the
 * cut one is malformed, with a warning; cut between frames (no STOP):
 * all counted, a warning, nothing malformed. */
static void
test_file_truncated(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];
	off_t size;

	(void)state;
	main_frames(f);
	path_of(path, sizeof(path), "cut.fstrm");
	size = write_file(path, CT, f);
	/* STOP is 12 bytes: escape, length 4, type. */
	assert_int_equal(truncate(path, size - 12 - 3), 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "truncated inside a frame after 10 frames"));
	assert_int_equal(t.packets, 11);	/* the cut one too */
	assert_int_equal(t.malformed, 1);
	assert_int_equal(t.queries, 6);
	assert_balanced(&t);
	assert_int_equal(t.truncated, 1);
	traffic_free(&t);

	write_file(path, CT, f);
	assert_int_equal(truncate(path, size - 12), 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "without a STOP frame"));
	assert_main_counts(&t);
	assert_int_equal(t.truncated, 1);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

static void
test_file_garbage(void **state)
{
	static const uint8_t pcap[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4 };
	uint8_t junk[300];
	struct traffic t;
	char path[256], err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	path_of(path, sizeof(path), "junk");
	write_bytes(path, junk, sizeof(junk));
	assert_int_equal(is_dnstap_file(path), 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a Frame Streams file"));
	write_bytes(path, pcap, sizeof(pcap));
	assert_int_equal(is_dnstap_file(path), 0);
	write_bytes(path, "", 0);
	assert_int_equal(is_dnstap_file(path), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), -1);
	path_of(path, sizeof(path), "no-such-file");
	assert_int_equal(is_dnstap_file(path), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(dnstap_read_file(&t, tmpdir, err, sizeof(err)), -1);
	assert_int_equal(t.packets, 0);
	traffic_free(&t);
}

/* Frames that do not decode, or decode to something impossible. */
static void
test_file_undecodable(void **state)
{
	static const uint8_t bad1[] = { 0xff, 0xff, 0xff };
	static const uint8_t notype[] = { 0x72, 0x00 }; /* message {}, no type */
	static const uint8_t a5[5] = { 10, 0, 0, 1, 9 };
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];

	(void)state;
	add_raw(f, bad1, sizeof(bad1));
	add_raw(f, notype, sizeof(notype));
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY, a5, 5,
	    t0, 0, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY, v4, 4,
	    t0, 1000000000u, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY, v4, 4,
	    t0, 0, ".", 48, 0 });
	path_of(path, sizeof(path), "bad.fstrm");
	write_file(path, CT, f);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t.packets, 5);
	assert_int_equal(t.malformed, 4);
	assert_int_equal(t.queries, 1);
	assert_non_null(traffic_lookup(&t, v4m));
	assert_balanced(&t);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* A frame length beyond any dnstap frame: the stream cannot go on. */
static void
test_file_bad_stream(void **state)
{
	static const uint8_t huge[4] = { 0x7f, 0xff, 0xff, 0xff };
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];
	uint8_t *b;
	size_t len;

	(void)state;
	main_frames(f);
	path_of(path, sizeof(path), "huge.fstrm");
	write_file(path, CT, f);
	b = read_bytes(path, &len);
	memcpy(b + len - 12, huge, 4);	/* over the STOP frame */
	write_bytes(path, b, len);
	free(b);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "undecodable Frame Streams data after 11"));
	assert_int_equal(t.packets, 12);
	assert_int_equal(t.malformed, 1);
	assert_balanced(&t);
	assert_int_equal(t.truncated, 1);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* Thousands of randomly corrupted frames, then corrupted files: no
 * crash (run under ASan by make SANITIZE=1), every frame counted once. */
static void
test_mutations(void **state)
{
	struct frames *good = frames_new(), *f = frames_new();
	struct traffic t;
	char path[256], err[512];
	uint8_t *b, *m;
	size_t i, k, len;

	(void)state;
	srandom(8145);
	main_frames(good);
	for (i = 0; i < 5000; i++) {
		size_t which = (size_t)random() % good->n;

		add_raw(f, good->p[which], good->len[which]);
		for (k = 0; k < 1 + (size_t)random() % 4; k++)
			f->p[f->n - 1][(size_t)random() % f->len[f->n - 1]] =
			    (uint8_t)random();
		/* Shorter, never empty: a zero length is an escape. */
		if (random() % 4 == 0)
			f->len[f->n - 1] = 1 + (size_t)random() %
			    f->len[f->n - 1];
	}
	path_of(path, sizeof(path), "mutated.fstrm");
	write_file(path, CT, f);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_read_file(&t, path, err, sizeof(err)), 0);
	assert_int_equal(t.packets, 5000);
	assert_true(t.malformed > 0);
	assert_balanced(&t);
	traffic_free(&t);

	write_file(path, CT, good);
	b = read_bytes(path, &len);
	m = malloc(len);
	assert_non_null(m);
	for (i = 0; i < 2000; i++) {
		memcpy(m, b, len);
		for (k = 0; k < 1 + (size_t)random() % 3; k++)
			m[(size_t)random() % len] = (uint8_t)random();
		write_bytes(path, m, 1 + (size_t)random() % len);
		assert_int_equal(traffic_init(&t), 0);
		if (dnstap_read_file(&t, path, err, sizeof(err)) == 0)
			assert_balanced(&t);
		traffic_free(&t);
	}
	free(m);
	free(b);
	frames_free(f);
	frames_free(good);
	free(f);
	free(good);
}

/* ---- the socket ----------------------------------------------------- */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_counts),
		cmocka_unit_test(test_file_no_content_type),
		cmocka_unit_test(test_file_wrong_type),
		cmocka_unit_test(test_file_truncated),
		cmocka_unit_test(test_file_garbage),
		cmocka_unit_test(test_file_undecodable),
		cmocka_unit_test(test_file_bad_stream),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
