/*
 * test_capture.c: capture.c against files that fight back (issue 12): a
 * classic pcap file cut short by another process while it is walked (it
 * was walked in a memory mapping, and the process died of SIGBUS), and
 * pcapng records whose timestamps are beyond what microseconds in 64 bits
 * hold (a signed overflow, found by UBSan); files cut inside their first
 * header (issue 13).
 */
#include "traffic.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
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

/* A file that cannot be mapped (the address space is short) is read with
 * pread instead, every packet counted: the walk's fallback. */
static void
test_unmappable(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
	(void)state;
	skip();		/* ASan reserves more address space than the limit */
#else
	char path[256], err[AW_ERR_MAX];
	unsigned long pages = 0;
	struct traffic t;
	struct rlimit rl;
	FILE *f;
	size_t n;
	pid_t pid;
	int st;

	(void)state;
	snprintf(path, sizeof(path), "%s/unmappable.pcap", tmpdir);
	write_big(path, (size_t)64 << 20, &n);
	assert_non_null(f = fopen("/proc/self/statm", "r"));
	assert_int_equal(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		/* 16 MiB of room: no mapping of the 64 MiB file */
		rl.rlim_cur = rl.rlim_max = pages * (rlim_t)sysconf(
		    _SC_PAGESIZE) + ((rlim_t)16 << 20);
		if (setrlimit(RLIMIT_AS, &rl) == -1 || traffic_init(&t) == -1 ||
		    capture_read_file(&t, path, err, sizeof(err)) == -1)
			_exit(2);
		_exit(t.packets == n && t.queries == n && err[0] == '\0' ? 0 :
		    1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	unlink(path);
#endif
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

/* Read the first n bytes of src as traffic does: 0, or -1 with err. */
static int
read_prefix(const uint8_t *src, size_t n, struct traffic *t, char *err,
    size_t errlen)
{
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "%s/cut", tmpdir);
	spit(path, src, n);
	assert_int_equal(traffic_init(t), 0);
	rc = traffic_read_any(t, path, 0, err, errlen);
	traffic_free(t);
	return rc;
}

/* A classic pcap, a pcapng and a dnstap file cut at every byte inside
 * their first header (for pcapng its section header and first interface
 * block, which libpcap reads on opening) are read as a cut capture is: no
 * packet, a warning, truncated set (issue 13, Reach 4).  Shorter than the
 * 4 bytes that tell the format, or whole, they are not; a pcapng file
 * whose byte-order magic is wrong is refused. */
static void
test_cut_header(void **state)
{
	static const uint8_t dt[] = { 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 2,
	    0, 0, 0, 1, 0, 0, 0, 0x16, 'p', 'r', 'o', 't', 'o', 'b', 'u',
	    'f', ':', 'd', 'n', 's', 't', 'a', 'p', '.', 'D', 'n', 's', 't',
	    'a', 'p' };
	static const uint64_t ts[] = { 1800000000000000ull };
	char path[256], err[AW_ERR_MAX];
	const uint8_t *src[3];
	size_t hlen[3], i, n, len;
	uint8_t pcap[24], *ng, bad[64];
	struct traffic t;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/whole.pcapng", tmpdir);
	pcapng_write(path, ts, 1);
	assert_non_null(ng = slurp(path, &len));
	hlen[1] = (size_t)ng[4] | (size_t)ng[5] << 8;
	hlen[1] += (size_t)ng[hlen[1] + 4] | (size_t)ng[hlen[1] + 5] << 8;
	assert_true(hlen[1] < len);
	snprintf(path, sizeof(path), "%s/big.pcap", tmpdir);
	write_big(path, (size_t)1 << 20, &n);
	assert_non_null(fp = fopen(path, "rb"));
	assert_int_equal(fread(pcap, 1, sizeof(pcap), fp), sizeof(pcap));
	fclose(fp);
	src[0] = pcap, hlen[0] = sizeof(pcap);
	src[1] = ng;
	src[2] = dt, hlen[2] = sizeof(dt);
	for (i = 0; i < 3; i++) {
		for (n = 1; n < 4; n++)
			assert_int_equal(read_prefix(src[i], n, &t, err,
			    sizeof(err)), -1);
		for (n = 4; n < hlen[i]; n++) {
			if (read_prefix(src[i], n, &t, err, sizeof(err)) != 0 ||
			    strstr(err, "cut inside its first header") == NULL ||
			    !t.truncated || t.packets != 0)
				fail_msg("format %zu cut at %zu: %s", i, n, err);
		}
		assert_true(read_prefix(src[i], hlen[i], &t, err,
		    sizeof(err)) >= 0);
		assert_null(strstr(err, "first header"));
	}
	/* the whole pcapng counts its packet */
	assert_int_equal(read_prefix(ng, len, &t, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* a wrong byte-order magic is not a cut file */
	memcpy(bad, ng, sizeof(bad));
	bad[8] ^= 0xff;
	for (n = 12; n < sizeof(bad); n += 7)
		assert_int_equal(read_prefix(bad, n, &t, err, sizeof(err)),
		    -1);
	free(ng);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink),
		cmocka_unit_test(test_unmappable),
		cmocka_unit_test(test_pcapng_time),
		cmocka_unit_test(test_cut_header),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
