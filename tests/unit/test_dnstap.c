/*
 * test_dnstap.c: dnstap.c on hand-made dnstap streams.  Every Dnstap
 * message is built here with protobuf-c from the generated dnstap.pb-c.h,
 * written as Frame Streams with libfstrm's file writer into a temporary
 * directory, or sent to dnstap_listen() by a forked writer (libfstrm's
 * unix writer, or raw bytes for the stalled and unidirectional cases), so
 * that the expected counts are known exactly.
 */
#include "unit.h"

#include <fstrm.h>
#include <protobuf-c/protobuf-c.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dnstap.pb-c.h"

#define CT "protobuf:dnstap.Dnstap"
/* query_time_sec of the first query: a fixed time for files, the near
 * future for a live socket (which takes no query older than itself). */
static uint64_t t0 = 1700000000ULL;
#define FRAMES_MAX 6000

static char tmpdir[] = "/tmp/aw-dnstap-XXXXXX";

static const uint8_t v4[4] = { 192, 0, 2, 1 };
static const uint8_t v4m[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t zero16[16];

/* A list of data frames to write. */
struct frames {
	size_t n;
	uint8_t *p[FRAMES_MAX];
	size_t len[FRAMES_MAX];
};

/* One Dnstap message to build; type 0: a Dnstap without a Message. */
struct spec {
	int type;                  /* Dnstap__Message__Type */
	const uint8_t *addr;       /* NULL: no query_address */
	size_t alen;
	uint64_t sec;              /* 0: no query_time */
	uint32_t nsec;
	const char *qname;         /* NULL: no query_message */
	unsigned qtype;
	uint16_t keytag;           /* an edns-key-tag option if non-zero */
};


/* Pack the Dnstap message of sp and append it to f. */
static void
add(struct frames *f, const struct spec *sp)
{
	Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message m = DNSTAP__MESSAGE__INIT;
	uint8_t q[512];

	if (sp->type != 0) {
		d.message = &m;
		m.type = (Dnstap__Message__Type)sp->type;
	}
	if (sp->addr != NULL) {
		m.has_query_address = 1;
		m.query_address.data = (uint8_t *)sp->addr;
		m.query_address.len = sp->alen;
	}
	if (sp->sec != 0) {
		m.has_query_time_sec = m.has_query_time_nsec = 1;
		m.query_time_sec = sp->sec;
		m.query_time_nsec = sp->nsec;
	}
	if (sp->qname != NULL) {
		m.has_query_message = 1;
		m.query_message.data = q;
		m.query_message.len = unit_dns_query(q, sp->qname, sp->qtype,
		    &sp->keytag, sp->keytag != 0);
	}
	assert_true(f->n < FRAMES_MAX);
	f->len[f->n] = dnstap__dnstap__get_packed_size(&d);
	f->p[f->n] = malloc(f->len[f->n]);
	assert_non_null(f->p[f->n]);
	assert_int_equal(dnstap__dnstap__pack(&d, f->p[f->n]), f->len[f->n]);
	f->n++;
}

/* Append raw bytes as one frame. */
static void
add_raw(struct frames *f, const void *p, size_t len)
{
	assert_true(f->n < FRAMES_MAX);
	f->p[f->n] = malloc(len ? len : 1);
	assert_non_null(f->p[f->n]);
	memcpy(f->p[f->n], p, len);
	f->len[f->n++] = len;
}

static void
frames_free(struct frames *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->p[i]);
	f->n = 0;
}

static struct frames *
frames_new(void)
{
	struct frames *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	return f;
}

static void
path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* Write f as a Frame Streams file (START with content type ct, unless
 * NULL; the frames; STOP) with libfstrm's file writer; its size. */
static off_t
write_file(const char *path, const char *ct, const struct frames *f)
{
	struct fstrm_writer_options *wo = fstrm_writer_options_init();
	struct fstrm_file_options *fo = fstrm_file_options_init();
	struct fstrm_writer *w;
	struct stat st;
	size_t i;

	if (ct != NULL)
		fstrm_writer_options_add_content_type(wo, ct, strlen(ct));
	fstrm_file_options_set_file_path(fo, path);
	w = fstrm_file_writer_init(fo, wo);
	assert_non_null(w);
	assert_int_equal(fstrm_writer_open(w), fstrm_res_success);
	for (i = 0; i < f->n; i++)
		assert_int_equal(fstrm_writer_write(w, f->p[i], f->len[i]),
		    fstrm_res_success);
	fstrm_writer_destroy(&w);
	fstrm_file_options_destroy(&fo);
	fstrm_writer_options_destroy(&wo);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
write_bytes(const char *path, const void *p, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The whole of a file into *len bytes (malloc'd). */
static uint8_t *
read_bytes(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p = malloc(1 << 20);

	assert_non_null(fp);
	assert_non_null(p);
	*len = fread(p, 1, 1 << 20, fp);
	fclose(fp);
	return p;
}

/* Every frame lands in exactly one counter. */
static void
assert_balanced(struct traffic *t)
{
	assert_int_equal(t->packets, t->malformed + t->responses + t->other +
	    t->queries);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The frames of the main file test: 3 resolver queries for ". DNSKEY"
 * from IPv4, client queries from IPv6 (a _ta- signal, a DS with an
 * edns-key-tag, ". DNSKEY" with one), a response, a query Message
 * without query_message, a Dnstap without a Message, an unknown Message
 * type, a query without an address. */
static void
main_frames(struct frames *f)
{
	int i;

	for (i = 0; i < 3; i++)
		add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY,
		    v4, 4, t0 + (uint64_t)i * 10, 500000, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 1, 0, "_ta-4f66.", 1, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 2, 0, "org.", 43, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 3, 0, ".", 48, 38696 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_RESPONSE, v4,
	    4, t0, 0, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0, 0, NULL, 0, 0 });
	add(f, &(struct spec){ 0, NULL, 0, 0, 0, NULL, 0, 0 });
	add(f, &(struct spec){ 99, v4, 4, t0, 0, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__STUB_QUERY, NULL, 0,
	    t0 + 5, 0, "www.example.", 1, 0 });
}

/* What main_frames() must count into t. */
static void
assert_main_counts(struct traffic *t)
{
	struct traffic_src *s;

	assert_int_equal(t->packets, 11);
	assert_int_equal(t->queries, 7);
	assert_int_equal(t->responses, 1);
	assert_int_equal(t->other, 3);
	assert_int_equal(t->malformed, 0);
	assert_int_equal(t->n, 3);
	assert_non_null(s = traffic_lookup(t, v4m));
	assert_int_equal(s->queries, 3);
	assert_int_equal(s->dnskey_root, 3);
	assert_int_equal(s->signals, 0);
	assert_non_null(s = traffic_lookup(t, v6));
	assert_int_equal(s->queries, 3);
	assert_int_equal(s->dnskey_root, 1);
	assert_int_equal(s->ds_tld, 1);
	assert_int_equal(s->signals, 2);
	assert_int_equal(s->ntags, 2);
	assert_int_equal(s->tags[0], 20326);
	assert_int_equal(s->tags[1], 38696);
	assert_non_null(s = traffic_lookup(t, zero16));
	assert_int_equal(s->queries, 1);
	assert_balanced(t);
}

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

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In a child: a libfstrm unix writer connected to path (retried until
 * the listener is there, 3 s at most), or _exit(2). */
static struct fstrm_writer *
child_writer(const char *path)
{
	struct fstrm_unix_writer_options *uo;
	struct fstrm_writer_options *wo;
	struct fstrm_writer *w;
	int i;

	for (i = 0; i < 300; i++) {
		uo = fstrm_unix_writer_options_init();
		wo = fstrm_writer_options_init();
		fstrm_unix_writer_options_set_socket_path(uo, path);
		fstrm_writer_options_add_content_type(wo, CT, strlen(CT));
		w = fstrm_unix_writer_init(uo, wo);
		fstrm_unix_writer_options_destroy(&uo);
		fstrm_writer_options_destroy(&wo);
		if (w != NULL && fstrm_writer_open(w) == fstrm_res_success)
			return w;
		fstrm_writer_destroy(&w);
		poll(NULL, 0, 10);
	}
	_exit(2);
}

/* In a child: a raw connection to path, retried as above, or _exit(2). */
static int
child_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, i;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	for (i = 0; i < 300; i++) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			_exit(2);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
		close(fd);
		poll(NULL, 0, 10);
	}
	_exit(2);
}

/* Fork a writer: frames f[from..to) through libfstrm's unix writer, then
 * hold_ms before STOP.  Exit 3 if the socket's mode is not 0666. */
static pid_t
fork_writer(const char *path, const struct frames *f, size_t from,
    size_t to, int hold_ms)
{
	struct fstrm_writer *w;
	struct stat st;
	pid_t pid = fork();
	size_t i;

	assert_true(pid != -1);
	if (pid != 0)
		return pid;
	w = child_writer(path);
	if (stat(path, &st) == -1 || (st.st_mode & 07777) != 0666)
		_exit(3);
	for (i = from; i < to; i++)
		if (fstrm_writer_write(w, f->p[i], f->len[i]) !=
		    fstrm_res_success)
			_exit(4);
	if (hold_ms > 0)
		poll(NULL, 0, hold_ms);
	/* STOP, and wait for FINISH: fails if the reader is gone. */
	_exit(fstrm_writer_destroy(&w) == fstrm_res_success ? 0 : 5);
}

/* Fork a raw writer: bytes b[0..len), then hold_ms with the connection
 * open. */
static pid_t
fork_raw(const char *path, const uint8_t *b, size_t len, int hold_ms)
{
	pid_t pid = fork();
	int fd;

	assert_true(pid != -1);
	if (pid != 0)
		return pid;
	fd = child_connect(path);
	if (write(fd, b, len) != (ssize_t)len)
		_exit(4);
	poll(NULL, 0, hold_ms);
	_exit(0);
}

static int
reap(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
test_listen_counts(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], err[512];
	struct stat st;
	pid_t pid;

	(void)state;
	t0 = (uint64_t)time(NULL) + 5;
	main_frames(f);
	path_of(path, sizeof(path), "aw.sock");
	pid = fork_writer(path, f, 0, f->n, 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, 1, err, sizeof(err)), 0);
	assert_int_equal(reap(pid), 0);
	assert_main_counts(&t);
	assert_int_equal(t.old, 0);
	traffic_free(&t);
	frames_free(f);

	/* Queries a writer queued before we listened are not counted: a
	 * check would otherwise take a day's backlog for a storm. */
	t0 = (uint64_t)time(NULL) - 3600;
	main_frames(f);
	pid = fork_writer(path, f, 0, f->n, 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, 1, err, sizeof(err)), 0);
	assert_int_equal(reap(pid), 0);
	assert_int_equal(t.queries, 0);
	assert_true(t.old > 0);
	t0 = 1700000000ULL;
	/* Gone when done. */
	assert_int_equal(lstat(path, &st), -1);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* Two writers at once: one holds its connection open past the deadline
 * between frames while the other sends everything; then a unidirectional
 * writer (START first, as unbound's dnstap-bidirectional: no). */
static void
test_listen_concurrent(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	char path[256], file[256], err[512];
	uint8_t *b;
	size_t len;
	pid_t a, c, u;
	int64_t began;

	(void)state;
	t0 = (uint64_t)time(NULL) + 5;
	main_frames(f);
	path_of(path, sizeof(path), "conc.sock");
	path_of(file, sizeof(file), "uni.fstrm");
	write_file(file, CT, f);
	b = read_bytes(file, &len);
	a = fork_writer(path, f, 0, 3, 4000);
	c = fork_writer(path, f, 3, f->n, 0);
	u = fork_raw(path, b, len, 0);
	assert_int_equal(traffic_init(&t), 0);
	began = mono_ms();
	assert_int_equal(dnstap_listen(&t, path, 2, err, sizeof(err)), 0);
	assert_true(mono_ms() - began < 2800);
	kill(a, SIGKILL);
	reap(a);
	assert_int_equal(reap(c), 0);
	assert_int_equal(reap(u), 0);
	assert_int_equal(t.packets, 2 * f->n);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(t.queries, 14);
	assert_balanced(&t);
	traffic_free(&t);
	free(b);
	frames_free(f);
	free(f);
}

/* The control frame of type ty (with our content type unless ACCEPT)
 * into b, escape included; its length. */
static size_t
control(uint8_t *b, size_t max, fstrm_control_type ty)
{
	struct fstrm_control *c = fstrm_control_init();
	size_t len = max;

	assert_int_equal(fstrm_control_set_type(c, ty), fstrm_res_success);
	if (ty == FSTRM_CONTROL_READY || ty == FSTRM_CONTROL_START)
		fstrm_control_add_field_content_type(c,
		    (const uint8_t *)CT, strlen(CT));
	assert_int_equal(fstrm_control_encode(c, b, &len,
	    FSTRM_CONTROL_FLAG_WITH_HEADER), fstrm_res_success);
	fstrm_control_destroy(&c);
	return len;
}

/* A writer that does the handshake, sends one whole frame and stalls in
 * the middle of the next must not hold dnstap_listen past its deadline;
 * nor must one that stalls inside its READY frame. */
static void
test_listen_stalled(void **state)
{
	struct frames *f = frames_new();
	struct traffic t;
	uint8_t b[2048], ack[512];
	char path[256], err[512];
	size_t n;
	pid_t pid, half;
	int64_t began;
	int fd;

	(void)state;
	t0 = (uint64_t)time(NULL) + 5;
	main_frames(f);
	path_of(path, sizeof(path), "stall.sock");
	half = fork_raw(path, (const uint8_t *)"\0\0\0\0\0\0", 6, 5000);
	if ((pid = fork()) == 0) {
		fd = child_connect(path);
		n = control(b, sizeof(b), FSTRM_CONTROL_READY);
		if (write(fd, b, n) != (ssize_t)n || read(fd, ack, 8) != 8)
			_exit(4);
		n = control(b, sizeof(b), FSTRM_CONTROL_START);
		b[n] = 0, b[n + 1] = 0, b[n + 2] = 0;
		b[n + 3] = (uint8_t)f->len[0];
		memcpy(b + n + 4, f->p[0], f->len[0]);
		n += 4 + f->len[0];
		memcpy(b + n, "\0\0\0\x40\x01\x02", 6);	/* 64 bytes, 2 sent */
		if (write(fd, b, n + 6) != (ssize_t)(n + 6))
			_exit(4);
		poll(NULL, 0, 5000);
		_exit(0);
	}
	assert_true(pid != -1);
	assert_int_equal(traffic_init(&t), 0);
	began = mono_ms();
	assert_int_equal(dnstap_listen(&t, path, 1, err, sizeof(err)), 0);
	assert_true(mono_ms() - began < 1800);
	kill(pid, SIGKILL);
	kill(half, SIGKILL);
	reap(pid);
	reap(half);
	assert_int_equal(t.packets, 1);
	assert_int_equal(t.queries, 1);
	assert_int_equal(t.malformed, 0);
	traffic_free(&t);
	frames_free(f);
	free(f);
}

/* A writer of another content type is refused at the handshake; garbage
 * instead of a handshake is dropped; neither counts. */
static void
test_listen_refused(void **state)
{
	struct traffic t;
	uint8_t b[512];
	char path[256], err[512];
	size_t n;
	pid_t g, o;

	(void)state;
	path_of(path, sizeof(path), "refuse.sock");
	memset(b, 0x5a, sizeof(b));
	g = fork_raw(path, b, sizeof(b), 0);
	n = control(b, sizeof(b), FSTRM_CONTROL_START);
	memcpy(b + n - 6, "XXXXXX", 6);	/* the content type's tail */
	o = fork_raw(path, b, n, 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, 1, err, sizeof(err)), 0);
	assert_int_equal(reap(g), 0);
	assert_int_equal(reap(o), 0);
	assert_int_equal(t.packets, 0);
	assert_int_equal(t.malformed, 0);
	traffic_free(&t);
}

/* Only a socket is ever replaced; a live one is not stolen. */
static void
test_listen_path(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct traffic t;
	char path[256], err[512], big[200];
	struct stat st;
	int fd;

	(void)state;
	assert_int_equal(traffic_init(&t), 0);
	path_of(path, sizeof(path), "plain");
	write_bytes(path, "keep", 4);
	assert_int_equal(dnstap_listen(&t, path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);

	path_of(path, sizeof(path), "stale.sock");
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);			/* a stale socket file stays */
	assert_int_equal(dnstap_listen(&t, path, 0, err, sizeof(err)), 0);
	assert_int_equal(lstat(path, &st), -1);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(dnstap_listen(&t, path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another process listens"));
	close(fd);
	unlink(path);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(dnstap_listen(&t, big, 0, err, sizeof(err)), -1);
	assert_int_equal(dnstap_listen(&t, path, -1, err, sizeof(err)), -1);
	traffic_free(&t);
}

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
		cmocka_unit_test(test_listen_counts),
		cmocka_unit_test(test_listen_concurrent),
		cmocka_unit_test(test_listen_stalled),
		cmocka_unit_test(test_listen_refused),
		cmocka_unit_test(test_listen_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
