/*
 * test_traffic.c: traffic.c on synthetic captures.  Every capture is built
 * here from hand-made frames and written with libpcap's pcap_dump API (the
 * pcapng one by hand: libpcap writes no pcapng) into a temporary directory,
 * so the expected counts are known exactly.
 */
#include "traffic.h"

#include <json-c/json.h>

#include <sys/stat.h>
#include <sys/wait.h>

#define COUNTS_TEST_HEADER "source,queries,dnskey_root,dnskey_tld," \
	"dnskey_other,ds_tld,ds_other,signals,root_tags,dnskey_per_min," \
	"ds_share,validating,verdict"

/* The mixed Ethernet capture of test_counts: 60 s, four sources. */
static void
write_mixed(const char *name, size_t *nframes)
{
	static const uint16_t old[] = { 19036 };
	static const uint16_t cur[] = { 20326 };
	struct capture c;
	struct frame f;
	uint8_t q[512];
	size_t n = 0, ql;
	int i;

	cap_open(&c, DLT_EN10MB, name);
	/* A: a stale storm, 30 DNSKEY . in 60 s, signalling 19036 only. */
	for (i = 0; i < 30; i++, n++) {
		qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, old, 1);
		cap_add(&c, &f, i * 2);
	}
	/* B, IPv6 behind a VLAN tag: healthy. */
	qframe(&f, DLT_EN10MB, 1, B6, 16, ".", 48, cur, 1);
	cap_add(&c, &f, 1), n++;
	for (i = 0; i < 10; i++, n++) {
		qframe(&f, DLT_EN10MB, 1, B6, 16, "www.example.com", 1,
		    NULL, 0);
		cap_add(&c, &f, 3);
	}
	for (i = 0; i < 3; i++, n++) {
		qframe(&f, DLT_EN10MB, 2, B6, 16, "com", 43, NULL, 0);
		cap_add(&c, &f, 4);
	}
	for (i = 0; i < 2; i++, n++) {
		qframe(&f, DLT_EN10MB, 1, B6, 16, "example.com", 43, NULL, 0);
		cap_add(&c, &f, 5);
	}
	qframe(&f, DLT_EN10MB, 0, B6, 16, "_ta-4f66", 10, NULL, 0);
	cap_add(&c, &f, 6), n++;
	/* edns-key-tag speaks for the zone asked about: not the root. */
	qframe(&f, DLT_EN10MB, 0, B6, 16, "example.com", 48, old, 1);
	cap_add(&c, &f, 7), n++;
	/* C: both keys in a _ta- name; D: the old one only. */
	qframe(&f, DLT_EN10MB, 0, C4, 4, "_ta-4a5c-4f66", 10, NULL, 0);
	cap_add(&c, &f, 8), n++;
	qframe(&f, DLT_EN10MB, 0, D4, 4, "_TA-4A5C", 10, NULL, 0);
	cap_add(&c, &f, 9), n++;
	/* Not counted as queries: a response, DNS over TCP, a short IP
	 * header, a non-IP frame, a query to another port. */
	mkframe(&f, DLT_EN10MB, 0, C4, 4, 17, 53, 40000, q,
	    unit_dns_query(q, ".", 48, NULL, 0));
	f.b[14 + 20 + 8 + 2] |= 0x80;
	cap_add(&c, &f, 10), n++;
	/* DNS over TCP: a length-prefixed query in one segment, counted. */
	ql = unit_dns_query(q + 2, "example.com", 1, NULL, 0);
	put16(q, (unsigned)ql);
	mkframe(&f, DLT_EN10MB, 0, C4, 4, 6, 40001, 53, q, ql + 2);
	cap_add(&c, &f, 11), n++;
	qframe(&f, DLT_EN10MB, 0, C4, 4, ".", 48, NULL, 0);
	f.len = 14 + 10;
	cap_add(&c, &f, 12), n++;
	qframe(&f, DLT_EN10MB, 0, C4, 4, ".", 48, NULL, 0);
	put16(f.b + 12, 0x0806);
	cap_add(&c, &f, 13), n++;
	mkframe(&f, DLT_EN10MB, 0, C4, 4, 17, 40000, 5353, q,
	    unit_dns_query(q, ".", 48, NULL, 0));
	cap_add(&c, &f, 60), n++;
	cap_close(&c);
	*nframes = n;
}

static void
test_counts(void **state)
{
	struct traffic t;
	struct traffic_opts o;
	struct traffic_src *s;
	char path[256], err[AW_ERR_MAX];
	size_t n;

	write_mixed("mixed.pcap", &n);
	assert_int_equal(traffic_init(&t), 0);
	snprintf(path, sizeof(path), "%s/mixed.pcap", tmpdir);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(t.truncated, 0);
	assert_int_equal(t.packets, n);
	assert_int_equal(t.queries, 30 + 18 + 2 + 1);
	assert_int_equal(t.responses, 1);
	assert_int_equal(t.tcp_segments, 1);
	assert_int_equal(t.malformed, 1);
	assert_int_equal(t.other, 2);
	assert_int_equal(t.n, 4);
	/* The span is that of the queries: 0 to 58 s. */
	assert_int_equal(t.last_us - t.first_us, 58 * 1000000LL);

	s = traffic_lookup(&t, mapped(A4));
	assert_non_null(s);
	assert_int_equal(s->queries, 30);
	assert_int_equal(s->dnskey_root, 30);
	assert_int_equal(s->signals, 30);
	assert_int_equal(s->ntags, 1);
	assert_int_equal(s->tags[0], 19036);

	s = traffic_lookup(&t, B6);
	assert_non_null(s);
	assert_int_equal(s->queries, 18);
	assert_int_equal(s->dnskey_root, 1);
	assert_int_equal(s->dnskey_other, 1);
	assert_int_equal(s->ds_tld, 3);
	assert_int_equal(s->ds_other, 2);
	assert_int_equal(s->signals, 2);
	assert_int_equal(s->ntags, 1);
	assert_int_equal(s->tags[0], 20326);

	s = traffic_lookup(&t, mapped(C4));
	assert_non_null(s);
	assert_int_equal(s->queries, 2);	/* one of them over TCP */
	assert_int_equal(s->ntags, 2);
	assert_int_equal(s->tags[0], 19036);
	assert_int_equal(s->tags[1], 20326);

	memset(&o, 0, sizeof(o));
	o.dnskey_rate = 5;
	assert_int_equal(traffic_parse_tags("20326,38696", &o), 0);
	s = traffic_lookup(&t, mapped(A4));
	assert_true(traffic_dnskey_rate(&t, s) > 29.9);
	assert_true(is_traffic_storming(&t, s, &o));
	assert_true(is_traffic_stale(s, &o));
	s = traffic_lookup(&t, B6);
	assert_false(is_traffic_storming(&t, s, &o));
	assert_false(is_traffic_stale(s, &o));
	assert_false(is_traffic_stale(traffic_lookup(&t, mapped(C4)), &o));
	assert_true(is_traffic_stale(traffic_lookup(&t, mapped(D4)), &o));
	o.dnskey_rate = 31;
	assert_false(is_traffic_storming(&t, traffic_lookup(&t, mapped(A4)),
	    &o));
	traffic_free(&t);
}

/* One query per link type, each in its own file. */
static void
test_linktypes(void **state)
{
	static const int dlts[] = { DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
	    DLT_IPV4 };
	char path[256], err[AW_ERR_MAX];
	struct capture c;
	struct frame f;
	struct traffic t;
	size_t i;

	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		snprintf(path, sizeof(path), "link%zu.pcap", i);
		cap_open(&c, dlts[i], path);
		qframe(&f, dlts[i], 0, A4, 4, ".", 48, NULL, 0);
		cap_add(&c, &f, 0);
		if (dlts[i] != DLT_IPV4) {
			qframe(&f, dlts[i], 0, B6, 16, ".", 48, NULL, 0);
			cap_add(&c, &f, 0);
		}
		cap_close(&c);
		assert_int_equal(capture_read_file(&t, c.path, err,
		    sizeof(err)), 0);
	}
	assert_int_equal(t.packets, 7);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(traffic_lookup(&t, mapped(A4))->dnskey_root, 4);
	assert_int_equal(traffic_lookup(&t, B6)->dnskey_root, 3);
	traffic_free(&t);
}

/* A pcapng file by hand (SHB, IDB, two EPBs): libpcap reads it. */
static void
test_pcapng(void **state)
{
	static const uint64_t ts[2];
	char path[256], err[AW_ERR_MAX];
	struct traffic t;

	snprintf(path, sizeof(path), "%s/two.pcapng", tmpdir);
	pcapng_write(path, ts, 2);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), 0);
	assert_int_equal(t.packets, 2);
	assert_int_equal(traffic_lookup(&t, mapped(A4))->dnskey_root, 2);
	traffic_free(&t);
}

/* A file cut inside its last packet: read up to it, with a warning. */
static void
test_truncated(void **state)
{
	char path[256], err[AW_ERR_MAX];
	struct traffic t;
	size_t n;
	long sz;
	FILE *fp;

	write_mixed("cut.pcap", &n);
	snprintf(path, sizeof(path), "%s/cut.pcap", tmpdir);
	assert_non_null(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(path, sz - 5), 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), 0);
	assert_int_equal(t.truncated, 1);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(t.packets, n - 1);
	/* Cut in the file header: not a capture at all. */
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), -1);
	assert_int_equal(capture_read_file(&t, "/nonexistent/x.pcap", err,
	    sizeof(err)), -1);
	traffic_free(&t);
}

static void
swap32at(uint8_t *p)
{
	uint8_t x = p[0], y = p[1];

	p[0] = p[3], p[1] = p[2], p[2] = y, p[3] = x;
}

/* Read path and check the counts are those of write_mixed's file. */
static void
expect_mixed(const char *path, const struct traffic *ref)
{
	char err[AW_ERR_MAX];
	struct traffic t;

	assert_int_equal(traffic_init(&t), 0);
	if (capture_read_file(&t, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(err, "");
	assert_int_equal(t.packets, ref->packets);
	assert_int_equal(t.queries, ref->queries);
	assert_int_equal(t.malformed, ref->malformed);
	assert_int_equal(t.responses, ref->responses);
	assert_true(t.first_us == ref->first_us && t.last_us == ref->last_us);
	assert_int_equal(traffic_lookup(&t, mapped(A4))->dnskey_root, 30);
	assert_int_equal(traffic_lookup(&t, B6)->ds_tld, 3);
	traffic_free(&t);
}

/*
 * capture.c walks classic pcap files itself: the same counts as libpcap
 * (which reads the file from a pipe on standard input, "-": a FIFO by
 * name is refused) in either byte order
 * and with nanosecond timestamps; a record larger than any snapshot length
 * ends the read like a truncation.
 */
static void
test_walk(void **state)
{
	char path[256], err[AW_ERR_MAX];
	struct traffic ref, t;
	uint8_t *b;
	size_t n, len, off;
	pid_t pid;
	int status, fds[2], in;

	write_mixed("walk.pcap", &n);
	snprintf(path, sizeof(path), "%s/walk.pcap", tmpdir);
	assert_int_equal(traffic_init(&ref), 0);
	assert_int_equal(capture_read_file(&ref, path, err, sizeof(err)), 0);
	assert_int_equal(ref.packets, n);
	b = slurp(path, &len);
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		int bad = write(fds[1], b, len) != (ssize_t)len;

		free(b);	/* nothing left for valgrind to call lost */
		traffic_free(&ref);
		_exit(bad);
	}
	close(fds[1]);
	assert_true((in = dup(0)) != -1);
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	expect_mixed("-", &ref);
	assert_int_equal(dup2(in, 0), 0);
	close(in);
	clearerr(stdin);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);

	/* Big-endian: every header field swapped. */
	for (off = 0; off < 24; off += 4)
		swap32at(b + off);
	b[4] = 0, b[5] = 2, b[6] = 0, b[7] = 4;	/* version 2.4, u16s */
	for (off = 24; off < len;) {
		uint32_t caplen;

		memcpy(&caplen, b + off + 8, 4);
		swap32at(b + off), swap32at(b + off + 4);
		swap32at(b + off + 8), swap32at(b + off + 12);
		off += 16 + caplen;
	}
	snprintf(path, sizeof(path), "%s/walk-be.pcap", tmpdir);
	spit(path, b, len);
	expect_mixed(path, &ref);
	free(b);

	/* Nanoseconds: the same microseconds after the division. */
	snprintf(path, sizeof(path), "%s/walk.pcap", tmpdir);
	b = slurp(path, &len);
	b[0] = 0x4d, b[1] = 0x3c;		/* a1b23c4d, little-endian */
	for (off = 24; off < len;) {
		uint32_t caplen, frac;

		memcpy(&frac, b + off + 4, 4);
		frac *= 1000;
		memcpy(b + off + 4, &frac, 4);
		memcpy(&caplen, b + off + 8, 4);
		off += 16 + caplen;
	}
	snprintf(path, sizeof(path), "%s/walk-ns.pcap", tmpdir);
	spit(path, b, len);
	expect_mixed(path, &ref);

	/* A record claiming 300000 bytes: read stops there, with a warning. */
	b[24 + 8] = 0xe0, b[24 + 9] = 0x93, b[24 + 10] = 0x04;
	snprintf(path, sizeof(path), "%s/walk-big.pcap", tmpdir);
	spit(path, b, len);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(capture_read_file(&t, path, err, sizeof(err)), 0);
	assert_int_equal(t.truncated, 1);
	assert_non_null(strstr(err, "larger"));
	assert_int_equal(t.packets, 0);
	traffic_free(&t);
	free(b);
	traffic_free(&ref);
}

static void
test_many_sources(void **state)
{
	struct traffic t;
	struct frame f;
	uint8_t a[4] = { 10, 0, 0, 0 };
	unsigned i;

	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < 5000; i++) {
		a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
		qframe(&f, DLT_EN10MB, 0, a, 4, ".", 48, NULL, 0);
		traffic_packet(&t, DLT_EN10MB, f.b, f.len, f.len, 0);
		if (i % 7 == 0)
			traffic_packet(&t, DLT_EN10MB, f.b, f.len, f.len, 0);
	}
	traffic_flush(&t);
	assert_int_equal(t.n, 5000);
	assert_true(t.cap >= 8192);
	for (i = 0; i < 5000; i++) {
		a[2] = (uint8_t)(i >> 8), a[3] = (uint8_t)i;
		assert_int_equal(traffic_lookup(&t, mapped(a))->queries,
		    i % 7 == 0 ? 2 : 1);
	}
	assert_int_equal(sizeof(struct traffic_src), 64);
	traffic_free(&t);
}

/* Random mutations of valid frames, each in a buffer of its exact length
 * (so ASan sees any over-read): every frame lands in exactly one count
 * (a fragment: in those taken into reassembly), and every message
 * reassembled from TCP, and every datagram from fragments, in one more. */
static void
test_hostile(void **state)
{
	static const uint16_t tags[] = { 20326, 38696 };
	struct traffic t;
	struct frame base[7], f;
	static const int dl[7] = { DLT_EN10MB, DLT_EN10MB, DLT_LINUX_SLL,
	    DLT_LINUX_SLL2, DLT_RAW, DLT_EN10MB, DLT_EN10MB };
	struct tcpflow_stats st;
	unsigned long i, iters = 200000;
	uint8_t *buf, q[512];
	size_t k, nmut, ql;

	qframe(&base[0], DLT_EN10MB, 0, A4, 4, ".", 48, tags, 2);
	qframe(&base[1], DLT_EN10MB, 2, B6, 16, "_ta-4f66-9728", 10, NULL, 0);
	qframe(&base[2], DLT_LINUX_SLL, 0, A4, 4, "com", 43, tags, 1);
	qframe(&base[3], DLT_LINUX_SLL2, 0, B6, 16, ".", 48, tags, 2);
	qframe(&base[4], DLT_RAW, 0, B6, 16, "a.b.c.d.e", 1, NULL, 0);
	qframe(&base[5], DLT_EN10MB, 0, C4, 4, "x", 48, tags, 2);
	ql = unit_dns_query(q + 2, ".", 48, tags, 2);
	put16(q, (unsigned)ql);
	mkframe(&base[6], DLT_EN10MB, 0, D4, 4, 6, 40002, 53, q, ql + 2);
	srandom(5);
	assert_int_equal(traffic_init(&t), 0);
	for (i = 0; i < iters; i++) {
		f = base[i % 7];
		if (i % 7 == 6) {	/* a new TCP flow, any sequence */
			put16(f.b + 34, (unsigned)(i / 7) & 0xffff);
			put16(f.b + 38, (unsigned)random() & 0xffff);
		}
		nmut = 1 + (size_t)random() % 6;
		for (k = 0; k < nmut; k++)
			f.b[(size_t)random() % f.len] = (uint8_t)random();
		if (random() % 3 == 0)
			f.len = (size_t)random() % (f.len + 1);
		buf = malloc(f.len ? f.len : 1);
		assert_non_null(buf);
		memcpy(buf, f.b, f.len);
		traffic_packet(&t, dl[i % 7], buf, f.len, f.len, (int64_t)i);
		free(buf);
	}
	assert_int_equal(t.packets, iters);
	assert_non_null(t.flows);
	tcpflow_stats(t.flows, &st);
	traffic_end(&t);
	assert_null(t.flows);
	print_message("%llu TCP messages, %llu of them at the end\n",
	    (unsigned long long)t.tcp_messages,
	    (unsigned long long)(t.tcp_messages - st.messages));
	assert_true(t.tcp_messages > iters / 40);
	assert_int_equal(t.packets + t.tcp_messages + t.frag.reassembled,
	    t.queries + t.responses + t.tcp_segments + t.malformed + t.other +
	    t.frag.fragments);
	assert_true(t.malformed > iters / 10);
	assert_true(t.queries > iters / 10);
	traffic_flush(&t);
	for (k = 0; k < t.n; k++)
		assert_true(traffic_nth(&t, k)->ntags <= TRAFFIC_TAGS_MAX);
	traffic_free(&t);
}


/*
 * Counts files: the CSV of two shards of a capture, merged, is the CSV of
 * the whole; a baseline counts file turns a tenfold rise into STORMING; a
 * bad line is named by file and line; --merge takes counts files only.
 */
static void
test_counts_merge(void **state)
{
	char whole[256], a[256], b[256], ca[256], cb[256], bad[256];
	char *out, *full, *av[12];
	struct capture c;
	struct frame f;
	int i;

	snprintf(whole, sizeof(whole), "%s/whole.pcap", tmpdir);
	cap_open(&c, DLT_EN10MB, "shard-a.pcap");
	for (i = 0; i < 40; i++) {
		qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, NULL, 0);
		cap_add(&c, &f, i * 3);
	}
	cap_close(&c);
	cap_open(&c, DLT_EN10MB, "shard-b.pcap");
	for (i = 0; i < 20; i++) {
		qframe(&f, DLT_EN10MB, 0, i % 2 ? A4 : C4, 4, "_ta-4a5c", 10,
		    NULL, 0);
		cap_add(&c, &f, 60 + i * 3);
	}
	cap_close(&c);
	snprintf(a, sizeof(a), "%s/shard-a.pcap", tmpdir);
	snprintf(b, sizeof(b), "%s/shard-b.pcap", tmpdir);
	snprintf(ca, sizeof(ca), "%s/a.csv", tmpdir);
	snprintf(cb, sizeof(cb), "%s/b.csv", tmpdir);
	av[0] = "traffic", av[1] = "--csv", av[2] = a, av[3] = b;
	av[4] = NULL;
	assert_int_equal(run_main(av, &full), 1);
	av[3] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	write_text(ca, out);
	free(out);
	av[2] = b;
	assert_int_equal(run_main(av, &out), 1);
	write_text(cb, out);
	free(out);
	av[1] = "--csv", av[2] = "--merge", av[3] = ca, av[4] = cb;
	av[5] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_string_equal(out, full);
	free(out);
	free(full);

	/* Baseline: A asked 40 times in 117 s before; 4 times in 60 s now
	 * is calm, 40 in 60 s (twice the rate) too, 400 in 60 s storms. */
	cap_open(&c, DLT_EN10MB, "now.pcap");
	for (i = 0; i < 400; i++) {
		qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, NULL, 0);
		cap_add(&c, &f, i * 60 / 400);
	}
	cap_close(&c);
	snprintf(b, sizeof(b), "%s/now.pcap", tmpdir);
	av[1] = "--dnskey-rate", av[2] = "1000", av[3] = b, av[4] = NULL;
	assert_int_equal(run_main(av, &out), 0);
	free(out);
	av[3] = "--baseline", av[4] = ca, av[5] = b, av[6] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(strstr(out, "STORMING"));
	free(out);
	av[4] = a;		/* the baseline may be a capture too */
	av[5] = "--json", av[6] = b, av[7] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(strstr(out, "\"baseline_dnskey_per_min\""));
	free(out);

	snprintf(bad, sizeof(bad), "%s/bad.csv", tmpdir);
	write_text(bad, "#anchorwatch-traffic-counts 1 first_us=0 last_us=0 "
	    "span_us=0 packets=1 queries=1 responses=0 tcp_segments=0 "
	    "malformed=0 other=0 dropped=0 zones_unnamed=0\n"
	    COUNTS_TEST_HEADER "\n"
	    "192.0.2.1,1,0,0,0,0,0,0,-,0,0,?,ok\n"
	    "192.0.2.300,1,0,0,0,0,0,0,-,0,0,?,ok\n");
	av[1] = "--merge", av[2] = bad, av[3] = NULL;
	assert_int_equal(run_main(av, &out), -1);
	assert_non_null(strstr(out, "bad.csv:4:"));
	free(out);
	write_text(bad, "#anchorwatch-traffic-counts 1 first_us=0\n");
	assert_int_equal(run_main(av, &out), -1);
	assert_non_null(strstr(out, "bad.csv:1:"));
	free(out);
	av[2] = a;
	assert_int_equal(run_main(av, &out), -1);
	assert_non_null(strstr(out, "not a counts file"));
	free(out);
}

/* JSON: totals, the flagged sources, the validator heuristic. */
static void
test_json(void **state)
{
	char path[256], *out, *av[6];
	struct json_object *doc, *fl, *top, *v;
	size_t n;

	write_mixed("json.pcap", &n);
	snprintf(path, sizeof(path), "%s/json.pcap", tmpdir);
	av[0] = "traffic", av[1] = "--json", av[2] = path, av[3] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(doc = json_tokener_parse(out));
	assert_true(json_object_object_get_ex(doc, "packets", &v));
	assert_int_equal(json_object_get_int64(v), (int64_t)n);
	assert_true(json_object_object_get_ex(doc, "tcp_messages", &v));
	assert_int_equal(json_object_get_int64(v), 1);
	assert_true(json_object_object_get_ex(doc, "flagged", &fl));
	assert_int_equal(json_object_array_length(fl), 2);
	v = json_object_object_get(json_object_array_get_idx(fl, 0),
	    "source");
	assert_string_equal(json_object_get_string(v), "192.0.2.1");
	assert_true(json_object_object_get_ex(doc, "top", &top));
	assert_int_equal(json_object_array_length(top), 4);
	/* 2001:db8::2: 3 DS of 18 queries, a validator. */
	v = json_object_array_get_idx(top, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(v,
	    "validating")), "yes");
	json_object_put(doc);
	free(out);
	/* A higher --ds-share and no DNSKEY: the same source would be "no";
	 * C4 has too few queries to tell. */
	av[1] = "--ds-share", av[2] = "0.5", av[3] = path, av[4] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(strstr(out, "192.0.2.3 "));
	free(out);
}

/* Zones by name: case folded, hostile bytes escaped and read back, long
 * names and names past the limit counted but not named. */
static void
test_zones(void **state)
{
	static const uint8_t odd[] = { 5, 'A', '.', ',', ' ', 0xff, 3, 'C',
	    'o', 'M', 0 };
	static const uint8_t lower[] = { 5, 'a', '.', ',', ' ', 0xff, 3, 'c',
	    'o', 'm', 0 };
	struct traffic_zones z;
	struct traffic_zone **v;
	uint8_t msg[512], w[256], big[80];
	char text[300];
	size_t n, i;

	memset(&z, 0, sizeof(z));
	memset(msg, 0, 12);
	memcpy(msg + 12, odd, sizeof(odd));
	traffic_zone_count(&z, msg, 12 + sizeof(odd), 12, 0);
	traffic_zone_count(&z, msg, 12 + sizeof(odd), 12, 1);
	memcpy(msg + 12, lower, sizeof(lower));
	traffic_zone_count(&z, msg, 12 + sizeof(lower), 12, 1);
	assert_int_equal(z.n, 1);
	v = traffic_zones_sorted(&z);
	assert_int_equal(v[0]->dnskey, 1);
	assert_int_equal(v[0]->ds, 2);
	traffic_zone_text(v[0], text, sizeof(text));
	assert_string_equal(text, "a\\046\\044\\032\\255.com.");
	assert_int_equal(traffic_zone_parse(text, w, &n), 0);
	assert_int_equal(n, sizeof(lower));
	assert_memory_equal(w, lower, n);
	free(v);
	assert_int_equal(traffic_zone_parse("com", w, &n), -1);
	assert_int_equal(traffic_zone_parse("a..com.", w, &n), -1);
	assert_int_equal(traffic_zone_parse("a\\999.", w, &n), -1);
	assert_int_equal(traffic_zone_parse("a b.", w, &n), -1);
	assert_int_equal(traffic_zone_parse(".", w, &n), 0);
	assert_int_equal(n, 1);
	/* A pointer loop and a name running off the message: not counted. */
	msg[12] = 0xc0, msg[13] = 12;
	traffic_zone_count(&z, msg, 14, 12, 0);
	msg[12] = 40;
	traffic_zone_count(&z, msg, 20, 12, 0);
	assert_int_equal(z.n, 1);
	/* 70 wire bytes: counted, not named. */
	memset(big, 'x', sizeof(big));
	big[0] = 68, big[69] = 0;
	traffic_zone_add(&z, big, 70, 1, 0);
	assert_int_equal(z.unnamed, 1);
	/* Past TRAFFIC_ZONES_MAX names the new ones go unnamed. */
	for (i = 0; i < TRAFFIC_ZONES_MAX + 100; i++) {
		big[0] = 4, big[5] = 0;
		memcpy(big + 1, &i, 4);
		traffic_zone_add(&z, big, 6, 1, 0);
	}
	assert_int_equal(z.n, TRAFFIC_ZONES_MAX);
	assert_true(z.unnamed >= 100);
	traffic_zones_free(&z);
}

static void
test_parse_tags(void **state)
{
	struct traffic_opts o;

	assert_int_equal(traffic_parse_tags("20326", &o), 0);
	assert_int_equal(o.nsigners, 1);
	assert_int_equal(o.signers[0].n, 1);
	assert_int_equal(traffic_parse_tags("1,65535", &o), 0);
	assert_int_equal(o.nsigners, 1);
	assert_int_equal(o.signers[0].n, 2);
	assert_int_equal(o.signers[0].tags[1], 65535);
	assert_int_equal(traffic_parse_tags("65536", &o), -1);
	assert_int_equal(traffic_parse_tags("1,", &o), -1);
	assert_int_equal(traffic_parse_tags("", &o), -1);
	assert_int_equal(traffic_parse_tags("-1", &o), -1);
	assert_int_equal(traffic_parse_tags("1 2", &o), -1);
	assert_int_equal(traffic_parse_tags("000020326", &o), -1);
}

/* The command: CSV golden output, exit 1 when flagged, bad arguments. */
static void
test_main(void **state)
{
	char path[256], err[AW_ERR_MAX], *buf = NULL;
	char *av[8];
	size_t len = 0, n;
	FILE *out;

	write_mixed("main.pcap", &n);
	snprintf(path, sizeof(path), "%s/main.pcap", tmpdir);
	av[0] = "traffic", av[1] = "--csv", av[2] = path, av[3] = NULL;
	assert_non_null(out = open_memstream(&buf, &len));
	assert_int_equal(traffic_main(3, av, defconf, out, err,
	    sizeof(err)), 1);
	fclose(out);
	assert_string_equal(buf,
	    "#anchorwatch-traffic-counts 3 first_us=1700000000000000 "
	    "last_us=1700000058000000 span_us=0 packets=55 queries=51 "
	    "responses=1 tcp_segments=1 tcp_messages=1 tcp_resyncs=1 "
	    "tcp_holes=0 tcp_unparsed=0 malformed=1 other=2 dropped=0 old=0 "
	    "truncated=0 zones_unnamed=0 encapsulated=0 snapped=0 "
	    "snapped_lost=0 edns_malformed=0 fragments=0 reassembled=0 "
	    "frag_overlaps=0 frag_expired=0 frag_evicted=0\n"
	    "source,queries,dnskey_root,dnskey_tld,dnskey_other,ds_tld,"
	    "ds_other,signals,root_tags,dnskey_per_min,ds_share,validating,"
	    "verdict\n"
	    "192.0.2.1,30,30,0,0,0,0,30,19036,30.000,0.0000,yes,"
	    "STORMING+SIGNALLING_STALE\n"
	    "2001:db8::2,18,1,0,1,3,2,2,20326,1.000,0.1667,yes,ok\n"
	    "192.0.2.3,2,0,0,0,0,0,1,19036 20326,0.000,0.0000,?,ok\n"
	    "203.0.113.9,1,0,0,0,0,0,1,19036,0.000,0.0000,?,"
	    "SIGNALLING_STALE\n"
	    "#zone . 31 0\n"
	    "#zone com. 0 3\n"
	    "#zone example.com. 1 2\n");
	free(buf);

	av[1] = "--trusted-tags", av[2] = "19036", av[3] = "--dnskey-rate";
	av[4] = "40", av[5] = path, av[6] = NULL;
	buf = NULL;
	assert_non_null(out = open_memstream(&buf, &len));
	assert_int_equal(traffic_main(6, av, defconf, out, err,
	    sizeof(err)), 1);
	fclose(out);
	assert_non_null(strstr(buf, "4 sources"));
	assert_non_null(strstr(buf, "DNS over TCP: 1 segments, 1 messages"));
	assert_non_null(strstr(buf, "1 malformed"));
	assert_null(strstr(buf, "STORMING"));
	assert_non_null(strstr(buf, "20326           SIGNALLING_STALE"));
	free(buf);

	av[1] = "--dnskey-rate", av[2] = "x", av[3] = path, av[4] = NULL;
	assert_int_equal(traffic_main(4, av, defconf, stdout, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "bad value"));
	av[1] = "--trusted-tags", av[2] = "70000";
	assert_int_equal(traffic_main(4, av, defconf, stdout, err,
	    sizeof(err)), -1);
	av[1] = NULL;
	assert_int_equal(traffic_main(1, av, defconf, stdout, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "no capture file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_linktypes),
		cmocka_unit_test(test_pcapng),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_many_sources),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_parse_tags),
		cmocka_unit_test(test_main),
		cmocka_unit_test(test_counts_merge),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_zones),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
