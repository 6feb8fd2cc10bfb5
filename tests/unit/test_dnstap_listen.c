/*
 * test_dnstap_listen.c: dnstap-listen.c: dnstap_listen() fed by forked
 * writers (libfstrm's unix writer, or raw bytes for the stalled and
 * unidirectional cases), one or several at once, a writer that stalls, a
 * refused content type, paths that are not usable.  The messages are
 * built as for test_dnstap.c (dnstap.h).
 */
#include "dnstap.h"

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
		cmocka_unit_test(test_listen_counts),
		cmocka_unit_test(test_listen_concurrent),
		cmocka_unit_test(test_listen_stalled),
		cmocka_unit_test(test_listen_refused),
		cmocka_unit_test(test_listen_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
