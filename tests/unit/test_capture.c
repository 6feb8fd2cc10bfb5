/*
 * test_capture.c: capture.c against files that fight back (issue 12): a
 * classic pcap file cut short by another process while it is walked (it
 * was walked in a memory mapping, and the process died of SIGBUS), and
 * pcapng records whose timestamps are beyond what microseconds in 64 bits
 * hold (a signed overflow, found by UBSan).
 */
#include "traffic.h"

#include <pthread.h>
#include <sched.h>

#define SHRINK_BYTES ((size_t)128 << 20)	/* walked for a while */
#define SHRINK_TO 100007			/* inside a record */

/* The cutter: waits until the walk has counted a packet, then truncates
 * the file under it. */
struct cutter {
	const char *path;
	struct traffic *t;
	uint64_t at;		/* packets counted when it cut */
};

static void *
cutter_run(void *arg)
{
	struct cutter *c = arg;

	while ((c->at = __atomic_load_n(&c->t->packets, __ATOMIC_RELAXED))
	    == 0)
		sched_yield();
	if (truncate(c->path, SHRINK_TO) == -1)
		c->at = 0;
	return NULL;
}

/* A classic pcap file of about bytes bytes, one query per record; the
 * number of records into *n. */
static void
write_big(const char *path, size_t bytes, size_t *n)
{
	static const uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, DLT_EN10MB, 0, 0, 0 };
	size_t chunk = (size_t)1 << 20, rec, o, i;
	struct frame f;
	uint8_t *b;
	FILE *fp;

	qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, NULL, 0);
	rec = 16 + f.len;
	assert_non_null(b = malloc(chunk));
	for (o = 0; o + rec <= chunk; o += rec) {
		memset(b + o, 0, 16);
		b[o] = 1;				/* 1 s after 1970 */
		b[o + 8] = b[o + 12] = (uint8_t)f.len;	/* < 256 */
		memcpy(b + o + 16, f.b, f.len);
	}
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(hdr, 1, sizeof(hdr), fp), sizeof(hdr));
	for (i = 0; i < bytes / chunk; i++)
		assert_int_equal(fwrite(b, 1, o, fp), o);
	assert_int_equal(fclose(fp), 0);
	*n = bytes / chunk * (o / rec);
	free(b);
}

/* Cut to SHRINK_TO bytes while it is walked: what was read is counted,
 * the warning says the file shrank, and the process lives.  A cut that
 * came after half the walk (the cutter not scheduled in time) proves
 * nothing: tried again, up to 5 times. */
static void
test_shrink(void **state)
{
	char path[256], err[AW_ERR_MAX];
	struct traffic t;
	struct cutter c;
	pthread_t th;
	size_t n;
	int try;

	(void)state;
	snprintf(path, sizeof(path), "%s/shrink.pcap", tmpdir);
	for (try = 0; try < 5; try++) {
		write_big(path, SHRINK_BYTES, &n);
		assert_int_equal(traffic_init(&t), 0);
		c.path = path, c.t = &t, c.at = 0;
		assert_int_equal(pthread_create(&th, NULL, cutter_run, &c), 0);
		assert_int_equal(capture_read_file(&t, path, err, sizeof(err)),
		    0);
		assert_int_equal(pthread_join(th, NULL), 0);
		assert_true(c.at > 0);
		if (c.at < n / 2)
			break;
		traffic_free(&t);
	}
	assert_true(try < 5);
	assert_true(t.packets >= c.at && t.packets < n);
	assert_int_equal(t.truncated, 1);
	assert_non_null(strstr(err, "shrank"));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "read up to the last whole packet"));
	traffic_free(&t);
	unlink(path);
}

/* Timestamps with the high bit set (and the largest one) are beyond int64
 * microseconds: such a packet is malformed, as in dnstap.c, and the times
 * of the others stand. */
static void
test_pcapng_time(void **state)
{
	static const uint64_t ts[] = { 1800000000000000ull,
	    0x8000000000000000ull, 0xffffffffffffffffull,
	    0xffffffff00000000ull, 1800000060000000ull };
	char path[256], err[AW_ERR_MAX];
	struct traffic t;

	(void)state;
	snprintf(path, sizeof(path), "%s/time.pcapng", tmpdir);
	pcapng_write(path, ts, 5);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t.packets, 5);
	assert_int_equal(t.malformed, 3);
	assert_int_equal(t.queries, 2);
	assert_true(t.first_us == 1800000000000000ll);
	assert_true(t.last_us == 1800000060000000ll);
	traffic_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_pcapng_time),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
