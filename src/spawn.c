/*
 * spawn.c: running another program and reading what it prints.
 *
 * Some daemons tell what they loaded only through their own tools (rndc,
 * rec_control), and BIND's journal is readable only through
 * named-journalprint.  Those run here: by full path with execv and an
 * argument vector, never through a shell; stdin and (unless merged)
 * stderr on /dev/null; a time limit after which the child is killed; and
 * a cap on how much output is taken.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anchorwatch.h"

/* Milliseconds of timeout seconds left since t0, or 0. */
static int
spawn_left(const struct timespec *t0, unsigned timeout)
{
	struct timespec t1;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (long)timeout * 1000 - ((t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000);
	return ms > 0 ? (int)ms : 0;
}

/* The child: stdin and stderr (unless merge) on /dev/null, stdout into
 * the pipe, then argv. */
static void __attribute__((noreturn))
spawn_child(char *const argv[], int out, int merge)
{
	int devnull;

	devnull = open("/dev/null", O_RDWR);
	if (devnull == -1 || dup2(devnull, 0) == -1 || dup2(out, 1) == -1 ||
	    dup2(merge ? out : devnull, 2) == -1)
		_exit(127);
	execv(argv[0], argv);
	_exit(127);
}

/* Read fd to its end into a buffer of at most max bytes, within timeout
 * seconds from t0.  Returns the buffer (NUL-terminated) or NULL. */
static char *
spawn_collect(int fd, const char *prog, const struct timespec *t0,
    unsigned timeout, size_t max, size_t *len, char *err, size_t errlen)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t cap = max < 65536 ? max : 65536;
	char *buf = xcalloc(1, cap + 1);
	ssize_t got;
	int n, ms;

	*len = 0;
	for (;;) {
		if ((ms = spawn_left(t0, timeout)) == 0) {
			snprintf(err, errlen, "%s: no answer within %u s", prog,
			    timeout);
			break;
		}
		if ((n = poll(&pfd, 1, ms)) <= 0) {
			if (n == -1 && errno != EINTR) {
				snprintf(err, errlen, "poll: %s",
				    strerror(errno));
				break;
			}
			continue;
		}
		if (*len == cap) {
			if (cap >= max) {
				snprintf(err, errlen, "%s: more than %zu bytes "
				    "of output", prog, max);
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		if ((got = read(fd, buf + *len, cap - *len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(err, errlen, "read: %s", strerror(errno));
			break;
		}
		if (got == 0) {
			buf[*len] = '\0';
			return buf;
		}
		*len += (size_t)got;
	}
	free(buf);
	return NULL;
}

int
spawn_read(char *const argv[], unsigned timeout, size_t max, int merge,
    char **out, size_t *outlen, int *status, char *err, size_t errlen)
{
	struct timespec t0;
	pid_t pid;
	int p[2];

	*out = NULL;
	*outlen = 0;
	if (access(argv[0], X_OK) == -1) {
		snprintf(err, errlen, "%s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		spawn_child(argv, p[1], merge);
	close(p[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = spawn_collect(p[0], argv[0], &t0, timeout, max, outlen, err,
	    errlen);
	if (*out == NULL)
		kill(pid, SIGKILL);
	close(p[0]);
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
	return *out == NULL ? -1 : 0;
}
