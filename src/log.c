/*
 * log.c: diagnostics on stderr and the one fatal path.
 *
 * Out of memory and other conditions that leave nothing sensible to report
 * end the program with exit 3, which a monitoring system reads as UNKNOWN:
 * a check that could not run must never look like OK, WARNING or CRITICAL.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <paths.h>
#include <signal.h>
#include <stdarg.h>
#include <syslog.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

static const char *log_prog = "anchorwatch";
/* The process whose fatal errors end in the plugin's status line (check
 * mode), or 0. */
static pid_t log_plugin_pid;

void
log_setprog(const char *name)
{
	log_prog = name;
}

static void
log_vwarnx(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", log_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_plugin_line(int on)
{
	log_plugin_pid = on ? getpid() : 0;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwarnx(fmt, ap);
	va_end(ap);
}

/*
 * In check mode the monitoring system reads stdout: whatever was half
 * written there is dropped and one status line is written with write(2),
 * which needs no memory (out of memory is what brings us here).  Only
 * the process that check mode started: a child's error is its own.
 */
static void
log_plugin_fatal(const char *msg)
{
	static const char head[] = "ANCHORWATCH UNKNOWN - ";

	if (log_plugin_pid == 0 || getpid() != log_plugin_pid)
		return;
	__fpurge(stdout);
	(void)!write(STDOUT_FILENO, head, sizeof(head) - 1);
	(void)!write(STDOUT_FILENO, msg, strlen(msg));
	(void)!write(STDOUT_FILENO, "\n", 1);
}

void
fatalx(const char *fmt, ...)
{
	static char msg[AW_ERR_MAX];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p != '\0'; p++)
		if (*p == '|' || *p == '\n')
			*p = *p == '|' ? '/' : ' ';
	log_plugin_fatal(msg);
	log_warnx("%s", msg);
	exit(SEV_UNKNOWN);
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		fatalx("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("out of memory");
	if ((q = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		fatalx("out of memory");
	return q;
}

/* What log_timeout_send sends: a datagram to the log socket. */
static int log_fd = -1;
static char log_msg[256];
static size_t log_len;

/*
 * Cron mode's word on -t expiry, made ready for log_timeout_send: syslog(3)
 * is not async-signal-safe, so the socket to the log is connected and the
 * datagram formatted now, at facility.  RFC 3164 form without the
 * timestamp, which the receiver adds.  Without a log socket, stderr alone
 * speaks.
 */
void
log_timeout_prepare(int facility, unsigned budget)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sigset_t alrm, old;
	int n;

	/* Not while the handler may be reading it. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	if (log_fd == -1) {
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", _PATH_LOG);
		if ((log_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
		    0)) != -1 && connect(log_fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			close(log_fd);
			log_fd = -1;
		}
	}
	n = snprintf(log_msg, sizeof(log_msg), "<%d>anchorwatch[%ld]: "
	    "UNKNOWN ERROR resolver=- keytag=- msgid=AW%u: timed out: the run "
	    "took longer than -t %u s", facility | LOG_ERR, (long)getpid(),
	    AW_MSGID_TIMEOUT, budget);
	log_len = n > 0 && (size_t)n < sizeof(log_msg) ? (size_t)n :
	    strlen(log_msg);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* From the SIGALRM handler (async-signal-safe): send what
 * log_timeout_prepare made, if there is a log socket. */
void
log_timeout_send(void)
{
	if (log_fd != -1)
		(void)!send(log_fd, log_msg, log_len, MSG_NOSIGNAL);
}
