/*
 * test_dnstap_listen.c: dnstap-listen.c: dnstap_listen() fed by forked
 * writers (libfstrm's unix writer, or raw bytes for the stalled and
 * unidirectional cases), one or several at once, a writer that stalls, a
 * refused content type, paths that are not usable.  The messages are
 * built as for test_dnstap.c (dnstap.h).
 */
#include <grp.h>
#include <sys/stat.h>

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
 * hold_ms before STOP.  Exit 3 if the socket's mode is not 0600 (no
 * dnstap_group given). */
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
	if (stat(path, &st) == -1 || (st.st_mode & 07777) != 0600)
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 1, err, sizeof(err)), 0);
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 1, err, sizeof(err)), 0);
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 2, err, sizeof(err)), 0);
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 1, err, sizeof(err)), 0);
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 1, err, sizeof(err)), 0);
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
	assert_int_equal(dnstap_listen(&t, path, NULL, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);

	path_of(path, sizeof(path), "stale.sock");
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);			/* a stale socket file stays */
	assert_int_equal(dnstap_listen(&t, path, NULL, 0, err, sizeof(err)), 0);
	assert_int_equal(lstat(path, &st), -1);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(dnstap_listen(&t, path, NULL, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "another process listens"));
	close(fd);
	unlink(path);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(dnstap_listen(&t, big, NULL, 0, err, sizeof(err)), -1);
	assert_int_equal(dnstap_listen(&t, path, NULL, -1, err, sizeof(err)), -1);
	traffic_free(&t);
}

/* In a child: the stat of the socket at path once it is there (3 s at
 * most), written to fd. */
static pid_t
fork_stat(const char *path, int fd)
{
	struct stat st;
	pid_t pid = fork();
	int i;

	assert_true(pid != -1);
	if (pid != 0)
		return pid;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < 300 && (lstat(path, &st) == -1 ||
	    !S_ISSOCK(st.st_mode)); i++)
		poll(NULL, 0, 10);
	_exit(write(fd, &st, sizeof(st)) == sizeof(st) ? 0 : 2);
}

/* Listen one second on path with group; the socket's stat as seen while
 * it listened into *st. */
static void
listen_stat(const char *path, const char *group, struct stat *st)
{
	struct traffic t;
	char err[512];
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork_stat(path, p[1]);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, group, 1, err, sizeof(err)),
	    0);
	assert_int_equal(reap(pid), 0);
	assert_int_equal(read(p[0], st, sizeof(*st)), sizeof(*st));
	close(p[0]);
	close(p[1]);
	traffic_free(&t);
}

/* The socket is born root's (the caller's) and the resolvers' group's,
 * 0660, or the caller's alone, 0600: never writable by others. */
static void
test_listen_mode(void **state)
{
	struct group *gr = getgrnam("nogroup");
	struct traffic t;
	char path[256], err[512];
	struct stat st;
	mode_t mask = umask(077);

	(void)state;
	umask(mask);
	assert_non_null(gr);
	path_of(path, sizeof(path), "mode.sock");
	listen_stat(path, NULL, &st);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_uid, geteuid());
	listen_stat(path, "nogroup", &st);
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(st.st_gid, gr->gr_gid);
	assert_int_equal(st.st_uid, geteuid());
	assert_int_equal(umask(mask), mask);	/* the umask is back */
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, "no-such-group-aw", 0, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "no group named \"no-such-group-aw\""));
	assert_int_equal(lstat(path, &st), -1);
	traffic_free(&t);
}

/* A link at the path is refused, and what it points to keeps its mode. */
static void
test_listen_link(void **state)
{
	struct traffic t;
	char path[256], target[256], err[512];
	struct stat st;

	(void)state;
	path_of(target, sizeof(target), "target");
	write_bytes(target, "keep", 4);
	assert_int_equal(chmod(target, 0600), 0);
	path_of(path, sizeof(path), "link.sock");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(traffic_init(&t), 0);
	assert_int_equal(dnstap_listen(&t, path, NULL, 0, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
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
		cmocka_unit_test(test_listen_mode),
		cmocka_unit_test(test_listen_link),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
