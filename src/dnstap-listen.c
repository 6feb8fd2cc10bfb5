/*
 * dnstap-listen.c: a resolver's live dnstap stream on a unix socket, for
 * anchorwatch traffic and for check's storm measurement.
 *
 * The socket is made at the path given and listened on for a fixed time,
 * a hard deadline; a stale socket there is replaced, any other file
 * refused.  It is born with its final owner, group and mode (a umask and
 * the file-system gid of the thread that binds it), never changed by
 * path afterwards, which a link swapped in would redirect: root's and
 * traffic.dnstap_group's, 0660, or root's alone, 0600, without a group.
 * Never writable by others.  Each writer gets a
 * thread of its own (at most DT_CONN_MAX at once) and a non-blocking byte
 * stream polled against the deadline, so that a writer stalled mid-frame
 * cannot hold us.  The first control frame decides the mode: READY opens
 * libfstrm's bidirectional READY/ACCEPT/START ... STOP/FINISH handshake
 * (unbound's and BIND's default), START a unidirectional stream (unbound's
 * dnstap-bidirectional: no).  The frames themselves are counted by
 * dnstap.c, under one lock; a query without query_time gets the time its
 * frame arrived.
 */
#include <sys/fsuid.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dnstap-io.h"

#define DT_CONN_MAX 16             /* concurrent writers on the socket */

/* What a writer on the socket speaks. */
enum dt_mode {
	DT_SOCK_UNI,              /* a writer that starts with START */
	DT_SOCK_BIDI,             /* one that starts with READY: handshake */
};

/* The socket side: the listening socket and its writers. */
struct dt_conn {
	pthread_t th;
	int used;                 /* a thread was started for it */
	int done;                 /* it has ended (under mu) */
	struct dt_io io;
	struct dt_server *sv;
};

struct dt_server {
	struct traffic *t;
	pthread_mutex_t mu;       /* guards t and the done flags */
	int64_t deadline;
	struct dt_conn conn[DT_CONN_MAX];
};

static int64_t
dt_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the byte stream of an accepted socket ------------------------- */

/* Wait until io->fd is ready for events, or the deadline passes (-1,
 * io->timedout set).  0 means: try again. */
static int
dt_wait(struct dt_io *io, short events)
{
	struct pollfd pfd = { .fd = io->fd, .events = events };
	int64_t left = -1;
	int n;

	if (io->deadline >= 0) {
		left = io->deadline - dt_mono_ms();
		if (left <= 0) {
			io->timedout = 1;
			return -1;
		}
	}
	n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
	if (n == 0 && io->deadline >= 0 && dt_mono_ms() >= io->deadline) {
		io->timedout = 1;
		return -1;
	}
	if (n == -1 && errno != EINTR) {
		io->err = errno;
		return -1;
	}
	return 0;
}

/* Read exactly count bytes from the socket, polling against the
 * deadline; stop at the peer's end of stream. */
static fstrm_res
dt_read_sock(void *obj, void *data, size_t count)
{
	struct dt_io *io = obj;
	uint8_t *p = data;
	size_t got = 0;
	ssize_t n;

	while (got < count && io->preoff < io->npre)
		p[got++] = io->pre[io->preoff++];
	while (got < count) {
		if ((n = read(io->fd, p + got, count - got)) > 0) {
			got += (size_t)n;
			io->pos += (uint64_t)n;
		} else if (n == 0) {
			return fstrm_res_stop;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (dt_wait(io, POLLIN) == -1)
				return fstrm_res_failure;
		} else if (errno != EINTR) {
			io->err = errno;
			return fstrm_res_failure;
		}
	}
	return fstrm_res_success;
}

/* Write a control frame (ACCEPT, FINISH) to the socket; never SIGPIPE. */
static fstrm_res
dt_write_sock(void *obj, const struct iovec *iov, int iovcnt)
{
	struct dt_io *io = obj;
	int i;

	for (i = 0; i < iovcnt; i++) {
		const uint8_t *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;
		ssize_t n;

		while (left > 0) {
			if ((n = send(io->fd, p, left, MSG_NOSIGNAL)) > 0) {
				p += n;
				left -= (size_t)n;
			} else if (n == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK)) {
				if (dt_wait(io, POLLOUT) == -1)
					return fstrm_res_failure;
			} else if (n == 0 || errno != EINTR) {
				return fstrm_res_failure;
			}
		}
	}
	return fstrm_res_success;
}

/* ---- the socket ----------------------------------------------------- */

/*
 * The mode a writer speaks, from the head of its first control frame
 * (escape, length, type), which is read into io->pre to be read again
 * by libfstrm: READY opens the bidirectional handshake (unbound's and
 * BIND's default), START a unidirectional stream (unbound with
 * dnstap-bidirectional: no).  -1 for anything else, or no head in time.
 */
static int
dt_sock_mode(struct dt_io *io, enum dt_mode *m)
{
	uint8_t *h = io->pre;

	if (dt_read_sock(io, h, sizeof(io->pre)) != fstrm_res_success)
		return -1;
	io->npre = sizeof(io->pre);
	if (memcmp(h, "\0\0\0\0", 4) != 0 || memcmp(h + 8, "\0\0\0", 3) != 0)
		return -1;
	if (h[11] == FSTRM_CONTROL_READY)
		*m = DT_SOCK_BIDI;
	else if (h[11] == FSTRM_CONTROL_START)
		*m = DT_SOCK_UNI;
	else
		return -1;
	return 0;
}

/* One writer's connection, in its own thread, until it stops, breaks
 * or the deadline passes. */
static void *
dt_serve(void *arg)
{
	struct dt_conn *c = arg;
	struct dt_server *sv = c->sv;
	struct fstrm_reader *r = NULL;
	enum dt_end e = DT_END_STOP;
	enum dt_mode m;
	uint64_t nframes;

	/* A failed handshake (another content type, garbage, a writer
	 * gone) is not counted: no frame of it was seen. */
	if (dt_sock_mode(&c->io, &m) == 0) {
		if ((r = dnstap_reader(&c->io, dt_read_sock, m ==
		    DT_SOCK_BIDI ? dt_write_sock : NULL, DT_CONTENT_TYPE)) ==
		    NULL)
			fatalx("out of memory");
		if (fstrm_reader_open(r) == fstrm_res_success)
			e = dnstap_drain(r, &c->io, sv->t, &sv->mu, NULL,
			    &nframes);
	}
	/* Destroying a stopped bidirectional reader sends FINISH. */
	fstrm_reader_destroy(&r);
	close(c->io.fd);
	pthread_mutex_lock(&sv->mu);
	/* Broken off inside a frame, or garbage after the handshake; our
	 * own deadline, or a writer gone between frames, is no fault. */
	if (e == DT_END_PARTIAL || e == DT_END_BAD)
		sv->t->packets++, sv->t->malformed++;
	c->done = 1;
	pthread_mutex_unlock(&sv->mu);
	return NULL;
}

/* A free connection slot, joining finished threads; NULL if all busy. */
static struct dt_conn *
dt_slot(struct dt_server *sv)
{
	struct dt_conn *c, *free_slot = NULL;
	size_t i;

	for (i = 0; i < DT_CONN_MAX; i++) {
		c = &sv->conn[i];
		pthread_mutex_lock(&sv->mu);
		if (c->used && c->done) {
			pthread_mutex_unlock(&sv->mu);
			pthread_join(c->th, NULL);
			c->used = 0;
		} else {
			pthread_mutex_unlock(&sv->mu);
		}
		if (!c->used && free_slot == NULL)
			free_slot = c;
	}
	return free_slot;
}

/* Start a thread for the accepted fd; closes it if none can be had. */
static void
dt_start(struct dt_server *sv, int fd)
{
	struct dt_conn *c;

	if ((c = dt_slot(sv)) == NULL) {
		log_warnx("dnstap: more than %d writers at once; refused one",
		    DT_CONN_MAX);
		close(fd);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->sv = sv;
	c->io.fd = fd;
	c->io.deadline = sv->deadline;
	if (pthread_create(&c->th, NULL, dt_serve, c) != 0) {
		close(fd);
		return;
	}
	c->used = 1;
}

/* 0 if nothing is at path, or a socket nobody listens on (then removed);
 * -1 with err otherwise: never remove another kind of file. */
static int
dt_clear_path(const char *path, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, busy;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* Refused: stale.  Accepted, or a full backlog: someone's. */
	busy = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
	    errno == EAGAIN;
	close(fd);
	if (busy) {
		snprintf(err, errlen, "%s: another process listens there",
		    path);
		return -1;
	}
	if (unlink(path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The gid of group (a name, or "" for none: the caller's own) into *gid,
 * and the mode the socket gets.  -1 with err for an unknown group. */
static int
dt_group(const char *group, gid_t *gid, mode_t *mode, char *err,
    size_t errlen)
{
	struct group *gr;

	*gid = getegid();
	*mode = 0600;
	if (group == NULL || group[0] == '\0')
		return 0;
	if ((gr = getgrnam(group)) == NULL) {
		snprintf(err, errlen, "traffic.dnstap_group: no group named "
		    "\"%s\"", group);
		return -1;
	}
	*gid = gr->gr_gid;
	*mode = 0660;
	return 0;
}

/*
 * bind(2) fd to sun, the file made with mode and group gid from the
 * start: umask and file-system gid set around the call (the gid only in
 * this thread; no other thread runs yet).  0 or -1 with errno.
 */
static int
dt_bind_as(int fd, const struct sockaddr_un *sun, gid_t gid, mode_t mode)
{
	mode_t oldmask = umask(~mode & 0777);
	gid_t oldgid = (gid_t)setfsgid(gid);
	int rc, e;

	rc = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	e = errno;
	setfsgid(oldgid);
	umask(oldmask);
	errno = e;
	return rc;
}

/* The listening socket at path, owned by us and group (see dt_group),
 * its inode into *st; -1 with err. */
static int
dt_bind(const char *path, const char *group, struct stat *st, char *err,
    size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t mode;
	gid_t gid;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path) || path[0] == '\0') {
		snprintf(err, errlen, "%s: not usable as a unix socket path "
		    "(empty, or %zu bytes or more)", path, sizeof(sun.sun_path));
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (dt_group(group, &gid, &mode, err, errlen) == -1 ||
	    dt_clear_path(path, &sun, err, errlen) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (dt_bind_as(fd, &sun, gid, mode) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (lstat(path, st) == -1 || listen(fd, DT_CONN_MAX) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* A set-group-ID directory, or a gid we may not take, gives it
	 * another group: the resolvers would not reach it. */
	if (st->st_gid != gid) {
		snprintf(err, errlen, "%s: the socket got group %lu, not %s's "
		    "%lu (a set-group-ID directory, or not run as root?)",
		    path, (unsigned long)st->st_gid, group && group[0] ?
		    group : "the user", (unsigned long)gid);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	unlink(path);
	return -1;
}

/* Accept writers on lfd until the deadline. */
static void
dt_accept_loop(struct dt_server *sv, int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	int64_t left;
	int fd;

	while ((left = sv->deadline - dt_mono_ms()) > 0) {
		if (poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left) <= 0)
			continue;
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			dt_start(sv, fd);
		else if (errno == EMFILE || errno == ENFILE ||
		    errno == ENOBUFS || errno == ENOMEM)
			poll(NULL, 0, 100);	/* do not spin on it */
	}
}

int
dnstap_listen(struct traffic *t, const char *path, const char *group,
    int seconds, char *err, size_t errlen)
{
	struct dt_server *sv;
	struct stat st, now;
	size_t i;
	int lfd;

	err[0] = '\0';
	if (seconds < 0) {
		snprintf(err, errlen, "dnstap: negative listening time");
		return -1;
	}
	if ((lfd = dt_bind(path, group, &st, err, errlen)) == -1)
		return -1;
	sv = xcalloc(1, sizeof(*sv));
	sv->t = t;
	pthread_mutex_init(&sv->mu, NULL);
	sv->deadline = dt_mono_ms() + (int64_t)seconds * 1000;
	t->since_us = dnstap_wall_us();
	dt_accept_loop(sv, lfd);
	close(lfd);
	/* Remove our socket, not what someone may have put there since. */
	if (lstat(path, &now) == 0 && now.st_dev == st.st_dev &&
	    now.st_ino == st.st_ino)
		unlink(path);
	/* Every thread's reads and writes end at the same deadline. */
	for (i = 0; i < DT_CONN_MAX; i++)
		if (sv->conn[i].used)
			pthread_join(sv->conn[i].th, NULL);
	traffic_flush(t);
	pthread_mutex_destroy(&sv->mu);
	free(sv);
	return 0;
}
