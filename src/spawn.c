/*
 * spawn.c: running another program and reading what it prints.
 *
 * Some daemons tell what they loaded only through their own tools (rndc,
 * rec_control), BIND's journal is readable only through
 * named-journalprint, and a repair ends with the resolver's reload
 * command.  Those run here, and nowhere else:
 *   - by absolute path with execve and an argument vector, never through a
 *     shell; a relative path is refused, not looked up;
 *   - with a clean environment, PATH=/usr/sbin:/usr/bin:/sbin:/bin and
 *     LC_ALL=C and nothing of ours (a helper run as root must not take
 *     LD_PRELOAD, IFS or a locale from whoever started us), no descriptor
 *     but its three, a default signal mask and dispositions;
 *   - stdin and (unless merged) stderr on /dev/null;
 *   - in a process group of its own, so that on its time limit (its
 *     output not ended, or it not exited, in time) the whole group is
 *     stopped, what it forked included: SIGTERM, then SIGKILL after a
 *     short grace, and the child reaped.  Should anchorwatch
 *     itself be killed by -t meanwhile, spawn_abort() kills the group;
 *     should it die otherwise, the child gets SIGKILL (PR_SET_PDEATHSIG);
 *   - with a cap on how much output is taken.
 */
#include <sys/prctl.h>
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

#define SPAWN_GRACE_MS 500	/* after SIGTERM, before SIGKILL */

/* The process group running now, for spawn_abort (a signal handler). */
static volatile sig_atomic_t spawn_pgid;

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

/*
 * The child, between fork and exec: only async-signal-safe calls.  Its own
 * process group; SIGKILL if we die; a default signal mask and
 * dispositions (ignored ones survive exec); stdin and stderr (unless
 * merge) on /dev/null, stdout into the pipe; nothing else open; argv with
 * the clean environment.
 */
static void __attribute__((noreturn))
spawn_child(char *const argv[], int out, int merge, pid_t parent)
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	    "LC_ALL=C", NULL };
	struct sigaction dfl;
	sigset_t none;
	int devnull, sig;

	if (setpgid(0, 0) == -1 || prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
	    getppid() != parent)
		_exit(127);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	devnull = open("/dev/null", O_RDWR);
	if (devnull == -1 || dup2(devnull, 0) == -1 || dup2(out, 1) == -1 ||
	    dup2(merge ? out : devnull, 2) == -1)
		_exit(127);
	(void)close_range(3, ~0U, 0);
	execve(argv[0], argv, envp);
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

/* 1 once pid has exited (left a zombie, so that its pid and group stay
 * ours), waiting at most ms milliseconds; else 0. */
static int
spawn_exited(pid_t pid, int ms)
{
	const struct timespec tick = { 0, 10 * 1000000 };
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT)
		    == -1 && errno != EINTR)
			return 1;	/* not ours to wait for: gone */
		if (si.si_pid == pid)
			return 1;
		if (ms <= 0)
			return 0;
		nanosleep(&tick, NULL);
		ms -= 10;
	}
}

void
spawn_reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
}

/* Stop the group of pid: SIGTERM, SIGKILL once the child has exited or
 * after the grace (whatever it forked too), then reap the child. */
static void
spawn_stop(pid_t pid, int *status)
{
	(void)kill(-pid, SIGTERM);
	(void)spawn_exited(pid, SPAWN_GRACE_MS);
	(void)kill(-pid, SIGKILL);
	spawn_reap(pid, status);
}

void
spawn_abort(void)
{
	if (spawn_pgid > 0)
		(void)kill(-(pid_t)spawn_pgid, SIGKILL);
}

void
spawn_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status %#x", (unsigned)status);
}

int
spawn_read(char *const argv[], unsigned timeout, size_t max, int merge,
    char **out, size_t *outlen, int *status, char *err, size_t errlen)
{
	struct timespec t0;
	pid_t pid, parent = getpid();
	int p[2];

	*out = NULL;
	*outlen = 0;
	*status = 0;
	err[0] = '\0';
	if (argv[0] == NULL || argv[0][0] != '/') {
		snprintf(err, errlen, "%s: not an absolute path, not run",
		    argv[0] != NULL ? argv[0] : "(none)");
		return -1;
	}
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
		spawn_child(argv, p[1], merge, parent);
	(void)setpgid(pid, pid);	/* either of us may be first */
	spawn_pgid = pid;
	close(p[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = spawn_collect(p[0], argv[0], &t0, timeout, max, outlen, err,
	    errlen);
	close(p[0]);
	/* Its output ended: it has what is left of the time to exit.  What
	 * it started and left running after a clean exit (a daemon a reload
	 * command starts) is not ours to stop. */
	if (*out != NULL && !spawn_exited(pid, spawn_left(&t0, timeout))) {
		snprintf(err, errlen, "%s: still running after %u s", argv[0],
		    timeout);
		free(*out);
		*out = NULL;
	}
	if (*out == NULL)
		spawn_stop(pid, status);
	else
		spawn_reap(pid, status);
	spawn_pgid = 0;
	return *out == NULL ? -1 : 0;
}
