/*
 * test_traffic_input.c: what `anchorwatch traffic` is given (issue 12): a
 * FIFO, a device or a directory as an input, a --merge or a --baseline
 * file is refused at once, named, instead of blocking in open(2) for
 * ever, and so by each reader on its own (one swapped in after the
 * command looked at the name is refused as it is opened); merged counters stop at 2^64-1 instead of wrapping, and carry
 * every counter, those of DNS over TCP too (issue 13); -t is taken,
 * range-checked, and cuts a listen to fit.
 */
#include "traffic.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <sys/stat.h>
#include <time.h>

#define COUNTS_TEST_HEADER_LINE "source,queries,dnskey_root,dnskey_tld," \
	"dnskey_other,ds_tld,ds_other,signals,root_tags,dnskey_per_min," \
	"ds_share,validating,verdict"

/* traffic_main on argv (NULL-terminated) into *buf; the result.  A FIFO
 * that blocks is killed by the alarm: the test program dies, a failure.
 * (A -t of av re-arms it shorter.) */
static int
run_guarded(char **av, char *err, size_t errlen, char **buf)
{
	size_t len = 0;
	FILE *out;
	int argc, rc;

	for (argc = 0; av[argc] != NULL; argc++)
		;
	*buf = NULL;
	assert_non_null(out = open_memstream(buf, &len));
	alarm(10);
	rc = traffic_main(argc, av, defconf, out, err, errlen);
	alarm(0);
	fclose(out);
	return rc;
}

/* traffic_main refuses av (whose last word is path) naming path and
 * saying what it is. */
static void
expect_refused(char **av, const char *path, const char *what)
{
	char err[AW_ERR_MAX], *buf;

	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	if (strstr(err, path) == NULL || strstr(err, what) == NULL ||
	    strstr(err, "not a regular file") == NULL)
		fail_msg("%s", err);
}

static void
test_not_regular(void **state)
{
	char fifo[256], *av[6];

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/in.fifo", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	av[0] = "traffic", av[1] = "--merge", av[2] = fifo, av[3] = NULL;
	expect_refused(av, fifo, "a FIFO");
	av[1] = fifo, av[2] = NULL;
	expect_refused(av, fifo, "a FIFO");
	av[1] = "--csv", av[2] = "--baseline", av[3] = fifo;
	av[4] = "/nonexistent.pcap", av[5] = NULL;
	expect_refused(av, fifo, "a FIFO");
	av[1] = "/dev/null", av[2] = NULL;
	expect_refused(av, "/dev/null", "a character device");
	av[1] = tmpdir;
	expect_refused(av, tmpdir, "a directory");
	unlink(fifo);
}

/* reader(path) is refused (-1) at once, naming path and saying what it
 * is; a reader that blocks in open(2) is killed by the alarm. */
static void
reader_refuses(int (*reader)(struct traffic *, const char *, char *,
    size_t), const char *path, const char *what)
{
	char err[AW_ERR_MAX], want[512];
	struct traffic t;
	int rc;

	assert_int_equal(traffic_init(&t), 0);
	alarm(10);
	rc = reader(&t, path, err, sizeof(err));
	alarm(0);
	snprintf(want, sizeof(want), "%s: %s, not a regular file", path,
	    what);
	if (rc != -1 || strstr(err, want) == NULL)
		fail_msg("%s: %d, %s", path, rc, err);
	assert_int_equal(t.packets, 0);
	traffic_free(&t);
}

/* Each reader checks what it opened, not the name the command looked
 * at: a FIFO swapped in afterwards (here: given to the reader itself)
 * is refused without waiting for a writer, and so are a device and a
 * directory.  The sniffers say "not mine" at once. */
static void
test_readers_not_regular(void **state)
{
	int (*const readers[])(struct traffic *, const char *, char *,
	    size_t) = { traffic_read_counts, dnstap_read_file,
	    capture_read_file };
	char fifo[256];
	size_t i;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/swapped.fifo", tmpdir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		reader_refuses(readers[i], fifo, "a FIFO");
		reader_refuses(readers[i], "/dev/zero", "a character device");
		reader_refuses(readers[i], tmpdir, "a directory");
	}
	alarm(10);
	assert_int_equal(is_traffic_counts_file(fifo), 0);
	assert_int_equal(is_dnstap_file(fifo), 0);
	alarm(0);
	unlink(fifo);
}

/* A counts file whose totals and one source hold big. */
static void
write_counts(const char *path, uint64_t big)
{
	char text[1024];

	snprintf(text, sizeof(text), "#anchorwatch-traffic-counts 1 "
	    "first_us=1800000000000000 last_us=1800000060000000 span_us=0 "
	    "packets=%" PRIu64 " queries=%" PRIu64 " responses=%" PRIu64
	    " tcp_segments=%" PRIu64 " malformed=%" PRIu64 " other=%" PRIu64
	    " dropped=%" PRIu64 " zones_unnamed=%" PRIu64 "\n"
	    COUNTS_TEST_HEADER_LINE "\n"
	    "192.0.2.1,%" PRIu64 ",0,0,0,0,4294967295,0,-,0.000,0.0000,?,ok\n"
	    "#zone . 4294967295 0\n", big, big, big, big, big, big, big, big,
	    big);
	write_text(path, text);
}

/* Three counts files at INT64_MAX, then two at 2^64-2: every counter
 * stops at its largest value, and the merge reads back. */
static void
test_merge_saturates(void **state)
{
	static const char max64[] = "18446744073709551615";
	char p[4][256], err[AW_ERR_MAX], *buf, *av[8];
	const char *k[] = { "packets", "queries", "responses",
	    "tcp_segments", "malformed", "other", "dropped", "zones_unnamed" };
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		snprintf(p[i], sizeof(p[i]), "%s/shard%zu.csv", tmpdir, i);
	for (i = 0; i < 3; i++)
		write_counts(p[i], INT64_MAX);
	av[0] = "traffic", av[1] = "--merge", av[2] = "--csv";
	av[3] = p[0], av[4] = p[1], av[5] = p[2], av[6] = NULL;
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), 0);
	for (i = 0; i < 8; i++) {
		snprintf(want, sizeof(want), " %s=%s", k[i], max64);
		if (strstr(buf, want) == NULL)
			fail_msg("no%s in:\n%s", want, buf);
	}
	assert_non_null(strstr(buf, "\n192.0.2.1,18446744073709551615,"
	    "0,0,0,0,4294967295,0,"));
	assert_non_null(strstr(buf, "\n#zone . 4294967295 0\n"));
	/* what a merge wrote is a counts file a merge reads */
	write_text(p[3], buf);
	free(buf);
	av[3] = p[3], av[4] = p[3], av[5] = NULL;
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), 0);
	snprintf(want, sizeof(want), " queries=%s", max64);
	assert_non_null(strstr(buf, want));
	free(buf);
	write_counts(p[0], UINT64_MAX - 1);
	write_counts(p[1], UINT64_MAX - 1);
	av[3] = p[0], av[4] = p[1], av[5] = NULL;
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), 0);
	assert_non_null(strstr(buf, "\n192.0.2.1,18446744073709551615,"));
	assert_non_null(strstr(buf, want));
	free(buf);
}

/* A TCP segment from src (IPv4) port sport to 53: seq, flags, payload. */
static void
tcp_frame(struct frame *f, const uint8_t *src, unsigned sport, uint32_t seq,
    uint8_t flags, const uint8_t *pl, size_t n)
{
	uint8_t *t;

	mkframe(f, DLT_EN10MB, 0, src, 4, 6, sport, 53, pl, n);
	t = f->b + 14 + 20;
	put16(t + 4, seq >> 16);
	put16(t + 6, seq & 0xffff);
	t[13] = flags;
}

/* Three flows of DNS over TCP into c, root DNSKEY queries: from A4
 * whole from its SYN; from C4 taken up 5 bytes into its first message;
 * from A4 again with its second message never captured.  7 messages, 2
 * resyncs, 1 hole, ql - 3 bytes unparsed (ql: a message's length). */
static size_t
write_tcp(struct capture *c)
{
	uint8_t q[512], s[3 * 512];
	struct frame f;
	size_t ql, m;
	int i;

	ql = unit_dns_query(q + 2, ".", 48, NULL, 0);
	put16(q, (unsigned)ql);
	m = ql + 2;
	for (i = 0; i < 3; i++)
		memcpy(s + i * m, q, m), s[i * m + 3] = (uint8_t)i;
	tcp_frame(&f, A4, 40010, 100, TCPFLOW_SYN, s, 0);
	cap_add(c, &f, 10);
	tcp_frame(&f, A4, 40010, 101, 0, s, 3 * m);
	cap_add(c, &f, 10);
	tcp_frame(&f, A4, 40010, 101 + 3 * m, TCPFLOW_FIN, s, 0);
	cap_add(c, &f, 10);
	tcp_frame(&f, C4, 40011, 7000, 0, s + 5, 3 * m - 5);
	cap_add(c, &f, 20);
	tcp_frame(&f, A4, 40012, 0, TCPFLOW_SYN, s, 0);
	cap_add(c, &f, 30);
	tcp_frame(&f, A4, 40012, 1, 0, s, m);
	cap_add(c, &f, 30);
	tcp_frame(&f, A4, 40012, 1 + 2 * (uint32_t)m, 0, s + 2 * m, m);
	cap_add(c, &f, 30);
	return ql;
}

/* Counter k of the JSON document of traffic_main on av ("a.b": member b
 * of object a). */
static int64_t
json_count(char **av, const char *k)
{
	char err[AW_ERR_MAX], *buf, outer[64];
	struct json_object *doc, *v;
	const char *dot = strchr(k, '.');
	int64_t n;

	assert_true(run_guarded(av, err, sizeof(err), &buf) >= 0);
	assert_non_null(doc = json_tokener_parse(buf));
	free(buf);
	v = doc;
	if (dot != NULL) {
		snprintf(outer, sizeof(outer), "%.*s", (int)(dot - k), k);
		if (!json_object_object_get_ex(doc, outer, &v))
			fail_msg("no %s", outer);
		k = dot + 1;
	}
	if (!json_object_object_get_ex(v, k, &v))
		fail_msg("no %s", k);
	n = json_object_is_type(v, json_type_boolean) ?
	    json_object_get_boolean(v) : json_object_get_int64(v);
	json_object_put(doc);
	return n;
}

/* DNS over TCP through a counts file: the merge of a capture's counts
 * with themselves is twice its counts, the TCP counters included; old
 * and truncated are carried; a version 1 file, without them, is read. */
static void
test_merge_tcp(void **state)
{
	static const char *const k[] = { "tcp_segments", "tcp_messages",
	    "tcp_resyncs", "tcp_holes", "tcp_unparsed_bytes", "queries" };
	char pcap[256], csv[256], old[256], err[AW_ERR_MAX], *buf, *av[8];
	int64_t want[6];
	struct capture c;
	size_t i, ql;

	(void)state;
	cap_open(&c, DLT_EN10MB, "tcp.pcap");
	ql = write_tcp(&c);
	cap_close(&c);
	want[0] = 7, want[1] = 7, want[2] = 2, want[3] = 1;
	want[4] = (int64_t)ql - 3, want[5] = 7;
	snprintf(pcap, sizeof(pcap), "%s/tcp.pcap", tmpdir);
	snprintf(csv, sizeof(csv), "%s/tcp.csv", tmpdir);
	snprintf(old, sizeof(old), "%s/old.csv", tmpdir);
	av[0] = "traffic", av[1] = "--json", av[2] = pcap, av[3] = NULL;
	for (i = 0; i < 6; i++)
		assert_int_equal(json_count(av, k[i]), want[i]);
	av[1] = "--csv";
	assert_true(run_guarded(av, err, sizeof(err), &buf) >= 0);
	write_text(csv, buf);
	free(buf);
	av[1] = "--merge", av[2] = "--json", av[3] = csv, av[4] = csv;
	av[5] = NULL;
	for (i = 0; i < 6; i++)
		assert_int_equal(json_count(av, k[i]), 2 * want[i]);
	assert_int_equal(json_count(av, "truncated"), 0);
	/* a version 1 file adds its own, and no TCP counter */
	write_counts(old, 5);
	av[4] = old;
	assert_int_equal(json_count(av, "tcp_messages"), 7);
	assert_int_equal(json_count(av, "tcp_segments"), 7 + 5);
	write_text(old, "#anchorwatch-traffic-counts 2 first_us=0 last_us=0 "
	    "span_us=0 packets=3 queries=0 responses=0 tcp_segments=0 "
	    "tcp_messages=0 tcp_resyncs=0 tcp_holes=0 tcp_unparsed=0 "
	    "malformed=0 other=0 dropped=0 old=3 truncated=1 "
	    "zones_unnamed=0\n" COUNTS_TEST_HEADER_LINE "\n");
	assert_int_equal(json_count(av, "old"), 3);
	assert_int_equal(json_count(av, "truncated"), 1);
	/* version 4 is not known; truncated is 0 or 1 */
	write_text(old, "#anchorwatch-traffic-counts 4 first_us=0\n");
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	assert_non_null(strstr(err, "old.csv:1:"));
}

/* The counters of tunnels, fragments, cut frames and malformed EDNS go
 * through a counts file (version 3): a merge of a file with itself is
 * twice each, and reads back; a version 2 file, without them, is read. */
static void
test_merge_encap(void **state)
{
	static const char *const k[] = { "encapsulated", "snapped",
	    "snapped_lost", "edns_malformed", "ip_fragments.fragments",
	    "ip_fragments.reassembled", "ip_fragments.overlaps",
	    "ip_fragments.expired", "ip_fragments.evicted" };
	char csv[256], twice[256], err[AW_ERR_MAX], *buf, *av[8];
	size_t i;

	(void)state;
	snprintf(csv, sizeof(csv), "%s/encap.csv", tmpdir);
	snprintf(twice, sizeof(twice), "%s/twice.csv", tmpdir);
	write_text(csv, "#anchorwatch-traffic-counts 3 first_us=0 last_us=0 "
	    "span_us=0 packets=40 queries=0 responses=0 tcp_segments=0 "
	    "tcp_messages=0 tcp_resyncs=0 tcp_holes=0 tcp_unparsed=0 "
	    "malformed=0 other=0 dropped=0 old=0 truncated=0 "
	    "zones_unnamed=0 encapsulated=1 snapped=2 snapped_lost=3 "
	    "edns_malformed=4 fragments=5 reassembled=6 frag_overlaps=7 "
	    "frag_expired=8 frag_evicted=9\n" COUNTS_TEST_HEADER_LINE "\n");
	av[0] = "traffic", av[1] = "--merge", av[2] = "--json", av[3] = csv;
	av[4] = csv, av[5] = NULL;
	for (i = 0; i < 9; i++)
		assert_int_equal(json_count(av, k[i]), 2 * (int64_t)(i + 1));
	av[2] = "--csv";
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), 0);
	assert_non_null(strstr(buf, " encapsulated=2 snapped=4 "
	    "snapped_lost=6 edns_malformed=8 fragments=10 reassembled=12 "
	    "frag_overlaps=14 frag_expired=16 frag_evicted=18\n"));
	write_text(twice, buf);
	free(buf);
	av[2] = "--json", av[3] = twice, av[4] = csv;
	assert_int_equal(json_count(av, "ip_fragments.evicted"), 27);
	/* version 2 ends at zones_unnamed; a version 3 line cut there is not
	 * read as version 3 */
	write_text(twice, "#anchorwatch-traffic-counts 2 first_us=0 last_us=0 "
	    "span_us=0 packets=3 queries=0 responses=0 tcp_segments=0 "
	    "tcp_messages=0 tcp_resyncs=0 tcp_holes=0 tcp_unparsed=0 "
	    "malformed=0 other=0 dropped=0 old=0 truncated=0 "
	    "zones_unnamed=0\n" COUNTS_TEST_HEADER_LINE "\n");
	assert_int_equal(json_count(av, "encapsulated"), 1);
	assert_int_equal(json_count(av, "packets"), 43);
	write_text(twice, "#anchorwatch-traffic-counts 3 first_us=0 last_us=0 "
	    "span_us=0 packets=3 queries=0 responses=0 tcp_segments=0 "
	    "tcp_messages=0 tcp_resyncs=0 tcp_holes=0 tcp_unparsed=0 "
	    "malformed=0 other=0 dropped=0 old=0 truncated=0 "
	    "zones_unnamed=0\n" COUNTS_TEST_HEADER_LINE "\n");
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	assert_non_null(strstr(err, "twice.csv:1:"));
}

/* -t: 1 to 86400; a listen longer than it is cut to end in time. */
static void
test_timeout(void **state)
{
	char err[AW_ERR_MAX], sock[256], *buf, *av[8];
	struct timespec a, b;

	(void)state;
	av[0] = "traffic", av[1] = "-t", av[2] = "0";
	av[3] = "/nonexistent.pcap", av[4] = NULL;
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	assert_non_null(strstr(err, "bad value"));
	av[2] = "86401";
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	av[1] = "--timeout", av[2] = "1.5";
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), -1);
	free(buf);
	/* without a handler, SIGALRM at 2 s would kill this program */
	snprintf(sock, sizeof(sock), "%s/dt.sock", tmpdir);
	av[1] = "--timeout", av[2] = "2", av[3] = "--dnstap-socket";
	av[4] = sock, av[5] = "--seconds", av[6] = "30", av[7] = NULL;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(run_guarded(av, err, sizeof(err), &buf), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_non_null(strstr(buf, "0 packets"));
	free(buf);
	assert_true(b.tv_sec - a.tv_sec <= 2);
	assert_int_equal(access(sock, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_readers_not_regular),
		cmocka_unit_test(test_merge_saturates),
		cmocka_unit_test(test_merge_tcp),
		cmocka_unit_test(test_merge_encap),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
