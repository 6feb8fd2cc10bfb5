/*
 * query.c: the agent's own, validated view of the root DNSKEY set.
 *
 * Each run builds a fresh libunbound context whose only trust anchor is the
 * agent's auto-trust-anchor-file, so the agent itself follows RFC 5011 from
 * one run to the next (RFC 5011 section 2: each run is one active refresh).
 * `. DNSKEY` must come back SECURE; anything else is reported, not worked
 * around.  The reply is then parsed (RFC 1035 section 4, RFC 4034 sections
 * 2 and 3) for the keys and for the key tags of the RRSIGs over the set.
 *
 * The query is synchronous, in a child process of its own (a libunbound
 * worker thread made a run a third slower): root.timeout ends that
 * process (its own alarm), never the run, which goes on without the live
 * root and reports ROOT_UNREACHABLE with every other finding.  The child
 * sends back the parsed view; the parent alone keeps the anchor file's
 * owner and mode and reads what libunbound left in it.  While the child
 * asks, the parent does the caller's work that needs no root answer (the
 * resolver probes, probe.c), so that the two overlap.
 *
 * permit-small-holddown is never set here: Debian's libunbound divides by
 * zero with it and short TTLs.  The hold-downs themselves are honoured.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unbound.h>
#include <fcntl.h>
#include <unistd.h>

#include "anchorwatch.h"
#include "aw-priv.h"

#define TYPE_DNSKEY 48
#define TYPE_RRSIG 46
#define CLASS_IN 1

/* 1 if path is an anchor file libunbound can start from: it parses and
 * holds a trust point (a root DNSKEY or DS); 0 with why otherwise. */
static int
is_usable_anchor(const char *path, char *why, size_t whylen)
{
	struct source s;
	int ok = 0;

	memset(&s, 0, sizeof(s));
	if (autotrust_read(path, &s, NULL, why, whylen) == -1)
		goto done;
	if (!(ok = s.nanchors > 0))
		snprintf(why, whylen, "%s: no root DNSKEY or DS in it (empty "
		    "or cut short)", path);
done:
	source_free(&s);
	return ok;
}

/* Write the bootstrap file's content to the agent's anchor file. */
static int
query_seed_from_bootstrap(const struct config *c, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (!is_usable_anchor(c->bootstrap, err, errlen)) {
		snprintf(err + strlen(err), errlen - strlen(err), "; cannot "
		    "seed %s from it", c->anchor_file);
		return -1;
	}
	if (fileio_load(c->bootstrap, AW_FILE_MAX, &buf, &len, err,
	    errlen) == -1)
		return -1;
	rc = fileio_write_atomic(c->anchor_file, buf, len, err, errlen);
	free(buf);
	return rc;
}

/* Seed the agent's anchor file from the bootstrap file if it is missing. */
static int
query_seed(const struct config *c, char *err, size_t errlen)
{
	struct stat st;

	if (lstat(c->anchor_file, &st) == 0)
		return 0;
	if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", c->anchor_file,
		    strerror(errno));
		return -1;
	}
	return query_seed_from_bootstrap(c, err, errlen);
}

/*
 * The agent's anchor file is its memory of RFC 5011 from run to run, and
 * libunbound replaces it after every probe: on a full disk with an empty
 * or cut file, which it then cannot start from.  The last file that held
 * a trust point is kept beside it as FILE.good, a hard link: made without
 * writing a byte (a full disk allows it), and never changed, since
 * libunbound and fileio replace files by rename, never in place.
 */
static void
query_good_name(const struct config *c, char *out, size_t len)
{
	snprintf(out, len, "%s.good", c->anchor_file);
}

/*
 * Make the agent's anchor file usable again if it is not: a link to the
 * good copy when that is usable, else seeded from the bootstrap file.
 * when says when it was found ("before the query", ...).  What was done
 * is appended to note (notelen), and said on stderr.  0 when the file is
 * usable (again), -1 with err.
 */
static int
query_restore(const struct config *c, const char *when, char *note,
    size_t notelen, char *err, size_t errlen)
{
	char why[AW_ERR_MAX], gwhy[AW_ERR_MAX], good[AW_PATH_MAX + 8];
	size_t n = strlen(note);

	if (is_usable_anchor(c->anchor_file, why, sizeof(why)))
		return 0;
	query_good_name(c, good, sizeof(good));
	if (is_usable_anchor(good, gwhy, sizeof(gwhy))) {
		if (fileio_link_atomic(good, c->anchor_file, 1, err,
		    errlen) == -1)
			return -1;
		snprintf(note + n, notelen - n, "%sthe agent's anchor file was "
		    "unusable %s (libunbound could not write it: a full "
		    "disk?): %s; restored from %s, the last good copy",
		    n > 0 ? "; " : "", when, why, good);
	} else {
		if (query_seed_from_bootstrap(c, err, errlen) == -1)
			return -1;
		snprintf(note + n, notelen - n, "%sthe agent's anchor file was "
		    "unusable %s (libunbound could not write it: a full "
		    "disk?): %s; no good copy (%s): seeded again from %s",
		    n > 0 ? "; " : "", when, why, gwhy, c->bootstrap);
	}
	log_warnx("%s", note + n + (n > 0 ? 2 : 0));
	return 0;
}

/* In the query process, once its reply is sent: an anchor file that
 * libunbound left usable becomes the good copy, while the parent reads
 * it (query_restore, which restores the good copy only when it is not
 * usable, and so never at the same time).  A failure is said, and the
 * old good copy stays.  The directory is not synced (one fsync less on
 * every run): lost in a crash, the link leaves the good copy before it,
 * itself a good one. */
static void
query_keep_good(const struct config *c)
{
	char good[AW_PATH_MAX + 8], err[AW_ERR_MAX];

	if (!is_usable_anchor(c->anchor_file, err, sizeof(err)))
		return;
	query_good_name(c, good, sizeof(good));
	if (fileio_link_atomic(c->anchor_file, good, 0, err,
	    sizeof(err)) == -1)
		log_warnx("%s", err);
}

/* 1 if name is one of libunbound's temporary anchor files for base,
 * base.PID-THREAD-HEX (autr_write_file), left by a process that is gone;
 * 0 if not. */
static int
query_is_ub_tmp(const char *name, const char *base)
{
	size_t n = strlen(base);
	long pid;
	int part;

	if (strncmp(name, base, n) != 0 || name[n] != '.')
		return 0;
	name += n + 1;
	pid = strtol(name, NULL, 10);
	for (part = 0; part < 3; part++) {
		if (!(part == 2 ? isxdigit((unsigned char)*name) :
		    isdigit((unsigned char)*name)))
			return 0;
		while (part == 2 ? isxdigit((unsigned char)*name) :
		    isdigit((unsigned char)*name))
			name++;
		if (*name != (part == 2 ? '\0' : '-'))
			return 0;
		name++;
	}
	/* Alive: an unbound writing its own file beside the agent's. */
	return is_gone(pid);
}

/* 1 if name is the link base.good.aw-link.PID (fileio_link_atomic) of a
 * query process that is gone, killed while making the good copy. */
static int
query_is_link_tmp(const char *name, const char *base)
{
	size_t n = strlen(base);
	char *end;
	long pid;

	if (strncmp(name, base, n) != 0 ||
	    strncmp(name + n, ".good.aw-link.", 14) != 0 ||
	    !isdigit((unsigned char)name[n + 14]))
		return 0;
	errno = 0;
	pid = strtol(name + n + 14, &end, 10);
	return *end == '\0' && errno == 0 && is_gone(pid);
}

/*
 * Remove what a killed root query left beside the anchor file: libunbound
 * writes base.PID-THREAD-HEX and renames it into place, and the query
 * process links base.good.aw-link.PID before renaming it to base.good; a
 * run killed (cron with its process group, root.timeout) in between
 * leaves them.  The run holds state_dir's lock, so no query of another
 * run writes there.
 */
static void
query_sweep(const struct config *c)
{
	const char *base = strrchr(c->anchor_file, '/');
	char dir[AW_PATH_MAX];
	struct dirent *de;
	DIR *d;

	base = base != NULL ? base + 1 : c->anchor_file;
	if (fileio_dirname(c->anchor_file, dir, sizeof(dir)) == -1 ||
	    (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if ((query_is_ub_tmp(de->d_name, base) ||
		    query_is_link_tmp(de->d_name, base)) &&
		    unlinkat(dirfd(d), de->d_name, 0) == -1 && errno != ENOENT)
			log_warnx("%s/%s: %s", dir, de->d_name,
			    strerror(errno));
	closedir(d);
}

/*
 * libunbound ends the whole process with exit(1) when it cannot write the
 * anchor file after a probe; find that out first and say so.
 */
static int
query_writable(const struct config *c, char *err, size_t errlen)
{
	char dir[AW_PATH_MAX];

	if (fileio_dirname(c->anchor_file, dir, sizeof(dir)) == -1 ||
	    access(c->anchor_file, R_OK | W_OK) == -1 ||
	    access(dir, W_OK | X_OK) == -1) {
		snprintf(err, errlen, "%s: the agent's anchor file (or its "
		    "directory) is not writable by this user: %s; run "
		    "anchorwatch as the owner of state_dir", c->anchor_file,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Set one libunbound option, "name:" value. */
static int
query_opt(struct ub_ctx *ctx, const char *name, unsigned val, char *err,
    size_t errlen)
{
	char v[32];
	int rc;

	if (val == 0)
		return 0;
	snprintf(v, sizeof(v), "%u", val);
	if ((rc = ub_ctx_set_option(ctx, name, v)) != 0) {
		snprintf(err, errlen, "libunbound: %s %s: %s", name, v,
		    ub_strerror(rc));
		return -1;
	}
	return 0;
}

/* A libunbound context that trusts only the agent's anchor file. */
static struct ub_ctx *
query_context(const struct config *c, char *err, size_t errlen)
{
	struct ub_ctx *ctx;
	size_t i;
	int rc;

	if ((ctx = ub_ctx_create()) == NULL) {
		snprintf(err, errlen, "libunbound: cannot create context");
		return NULL;
	}
	rc = 0;
	for (i = 0; rc == 0 && i < c->nstub; i++)
		rc = ub_ctx_set_stub(ctx, ".", c->stub[i], 0);
	if (rc == 0 && c->nstub > 0)
		rc = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no");
	if (rc == 0)
		rc = ub_ctx_add_ta_autr(ctx, c->anchor_file);
	if (rc != 0) {
		snprintf(err, errlen, "libunbound: %s", ub_strerror(rc));
		ub_ctx_delete(ctx);
		return NULL;
	}
	if (query_opt(ctx, "add-holddown:", c->add_holddown, err, errlen) ||
	    query_opt(ctx, "del-holddown:", c->del_holddown, err, errlen) ||
	    query_opt(ctx, "keep-missing:", c->keep_missing, err, errlen)) {
		ub_ctx_delete(ctx);
		return NULL;
	}
	return ctx;
}

/* Explain a result that is not SECURE. */
static void
query_why(const struct ub_result *r, char *why, size_t whylen)
{
	if (r->bogus)
		snprintf(why, whylen, "answer is BOGUS: %s",
		    r->why_bogus ? r->why_bogus : "no reason given");
	else if (r->rcode != 0)
		snprintf(why, whylen, "answer rcode %d (%s)", r->rcode,
		    r->rcode == 2 ? "SERVFAIL" : r->rcode == 5 ? "REFUSED" :
		    "error");
	else if (!r->havedata)
		snprintf(why, whylen, "no DNSKEY records in the answer");
	else
		snprintf(why, whylen, "answer is INSECURE: the agent has no "
		    "usable trust anchor (revoked or missing)");
}

/* What the query process sends back. */
struct query_reply {
	int rc;                       /* -1: no context, see err */
	char err[AW_ERR_MAX];
	struct rootview rv;           /* keys, signers, is_secure, why */
};

/* In the query process: resolve ". DNSKEY" into q->rv.  mode is the
 * anchor file's: libunbound replaces the file through a new one of its
 * own, let it be created with no more access than the old one had.  The
 * context, to delete once q is sent (libunbound has written the anchor
 * file by the time ub_resolve returns), or NULL. */
static struct ub_ctx *
query_child(const struct config *c, mode_t mode, struct query_reply *q)
{
	struct ub_ctx *ctx;
	struct ub_result *res = NULL;
	int rc;

	if ((ctx = query_context(c, q->err, sizeof(q->err))) == NULL) {
		q->rc = -1;
		return NULL;
	}
	umask(~mode & 0777);
	if ((rc = ub_resolve(ctx, ".", TYPE_DNSKEY, CLASS_IN, &res)) != 0)
		snprintf(q->rv.why, sizeof(q->rv.why), "libunbound: %s",
		    ub_strerror(rc));
	else {
		if (res->secure && !res->bogus && res->answer_packet != NULL) {
			if (query_parse_answer(res->answer_packet,
			    (size_t)res->answer_len, &q->rv, q->rv.why,
			    sizeof(q->rv.why)) == 0)
				q->rv.is_secure = 1;
		} else
			query_why(res, q->rv.why, sizeof(q->rv.why));
		ub_resolve_free(res);
	}
	return ctx;
}

/* Milliseconds on the monotonic clock (a time limit, not a date). */
static long long
query_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Read all of q from fd before end (query_ms).  1 when it came, 0 on
 * timeout, -1 when the query process ended without it. */
static int
query_wait(int fd, long long end, struct query_reply *q)
{
	long long left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*q)) {
		if ((left = end - query_ms()) <= 0)
			return 0;
		if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) <= 0)
			continue;	/* EINTR, or time to look again */
		n = read(fd, (char *)q + got, sizeof(*q) - got);
		if (n == 0 || (n == -1 && errno != EINTR && errno != EAGAIN))
			return -1;
		if (n > 0)
			got += (size_t)n;
	}
	return 1;
}

/* In the query process: all of q to fd.  0 or -1. */
static int
query_send(int fd, const struct query_reply *q)
{
	const char *b = (const char *)q;
	size_t off = 0;
	ssize_t n;

	while (off < sizeof(*q)) {
		if ((n = write(fd, b + off, sizeof(*q) - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* What the query process's end means: got as query_wait, status its wait
 * status.  0 with rv filled (its view, or why there is none), -1 with err
 * when it could not set libunbound up. */
static int
query_outcome(const struct query_reply *q, int got, int status,
    unsigned timeout, struct rootview *rv, char *err, size_t errlen)
{
	if (got == 1 && q->rc == -1) {
		snprintf(err, errlen, "%s", q->err);
		return -1;
	}
	if (got == 1)
		*rv = q->rv;
	else if (got == 0 || (WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGALRM))
		snprintf(rv->why, sizeof(rv->why), "no answer for . DNSKEY "
		    "within %u s (root.timeout)", timeout);
	else
		snprintf(rv->why, sizeof(rv->why), "the root query ended "
		    "without an answer (%s %d)", WIFSIGNALED(status) ?
		    "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
	return 0;
}

/* The query process that sent its reply and is still making the good
 * copy, and the pipe on which it says it is done (by closing it). */
static pid_t query_pending;
static int query_pending_fd = -1;

/* Run query_child in a process that root.timeout (timeout) ends, and
 * during(arg), if set, in this one meanwhile.  0 with the view in rv
 * (is_secure or why), -1 with err on a setup failure.  *whole is 1 when
 * the process sent its reply (it was not cut short). */
static int
query_fork(const struct config *c, unsigned timeout, mode_t mode,
    void (*during)(void *), void *arg, struct rootview *rv, int *whole,
    char *err, size_t errlen)
{
	static struct query_reply q;
	struct ub_ctx *ctx = NULL;
	int p[2], got, sent, status = 0;
	pid_t pid, parent = getpid();
	long long end = query_ms() + timeout * 1000LL;

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "cannot start the root query: %s",
		    strerror(errno));
		return -1;
	}
	fflush(NULL);		/* nothing buffered is written twice */
	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "cannot start the root query: %s",
		    strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		/* Dies with the run, whatever ends it. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(1);
		/* root.timeout, kept while the parent is busy with during() */
		signal(SIGALRM, SIG_DFL);
		alarm(timeout);
		close(p[0]);
		memset(&q, 0, sizeof(q));
		if (priv_shed(q.err, sizeof(q.err)) == -1)
			q.rc = -1;
		else
			ctx = query_child(c, mode, &q);
		alarm(0);	/* done in time: sending back is no part of it */
		sent = query_send(p[1], &q);
		/* The parent goes on meanwhile, and waits for the end of the
		 * pipe before its own (query_reap).  The kernel frees
		 * libunbound's memory at _exit, sooner than ub_ctx_delete. */
		if (ctx != NULL)
			query_keep_good(c);
		close(p[1]);
		_exit(sent == 0 ? 0 : 1);
	}
	close(p[1]);
	if (during != NULL)
		during(arg);
	memset(&q, 0, sizeof(q));
	/* The child's alarm ends it in time; this bounds one that hangs
	 * past it: a second more (alarm(2) counts whole seconds) after
	 * root.timeout, or after now if during() took longer. */
	if (query_ms() > end)
		end = query_ms();
	/* With the reply in, the child's good copy is made while this
	 * process judges: query_reap waits for it at the end. */
	got = query_wait(p[0], end + 1000, &q);
	*whole = got == 1;
	if (got == 1) {
		query_pending = pid;
		query_pending_fd = p[0];
	} else {
		kill(pid, SIGKILL);
		close(p[0]);
		spawn_reap(pid, &status);
	}
	return query_outcome(&q, got, status, timeout, rv, err, errlen);
}

/* Wait for the end of fd (its writer closed it) until end (query_ms).
 * 1 when it came, 0 on timeout. */
static int
query_wait_end(int fd, long long end)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long left;
	char b[64];
	ssize_t n;

	while ((left = end - query_ms()) > 0) {
		if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) <= 0)
			continue;
		if ((n = read(fd, b, sizeof(b))) == 0 ||
		    (n == -1 && errno != EINTR && errno != EAGAIN))
			return 1;
	}
	return 0;
}

void
query_reap(void)
{
	int status;

	if (query_pending == 0)
		return;
	/* The end of the pipe: the good copy is made (or the process
	 * ended).  Its exit, the freeing of its memory, is no part of the
	 * run: collected if it is over, else it ends by itself, or with
	 * this process (PR_SET_PDEATHSIG). */
	if (!query_wait_end(query_pending_fd, query_ms() + 5000))
		kill(query_pending, SIGKILL);
	close(query_pending_fd);
	(void)waitpid(query_pending, &status, WNOHANG);
	query_pending = 0;
	query_pending_fd = -1;
}

int
query_root(const struct config *c, unsigned timeout, void (*during)(void *),
    void *arg, struct rootview *rv, char *err, size_t errlen)
{
	char note[AW_ERR_MAX * 2] = "";
	struct stat st;
	int rc, whole = 0;

	memset(rv, 0, sizeof(*rv));
	if (query_seed(c, err, errlen) == -1 || query_writable(c, err,
	    errlen) == -1)
		return -1;
	/* Not a symbolic link: libunbound would replace it, and the owner
	 * and mode copied after would land on whatever it points to. */
	if (lstat(c->anchor_file, &st) == -1) {
		snprintf(err, errlen, "%s: %s", c->anchor_file,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s: refused", c->anchor_file,
		    S_ISLNK(st.st_mode) ? "a symbolic link" :
		    "not a regular file");
		return -1;
	}
	/* Whoever may write it decides what the agent trusts. */
	if (st.st_mode & S_IWOTH) {
		snprintf(err, errlen, "%s: writable by every user (mode %04o): "
		    "refused (anyone could make the agent trust any key); "
		    "chmod o-w it", c->anchor_file,
		    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	query_sweep(c);
	if (query_restore(c, "before the query", note, sizeof(note), err,
	    errlen) == -1)
		return -1;
	rc = query_fork(c, timeout, st.st_mode, during, arg, rv, &whole, err,
	    errlen);
	if (!whole)
		query_sweep(c);	/* root.timeout may have cut it short */
	if (rc == -1 ||
	    fileio_keep_owner(c->anchor_file, &st, err, errlen) == -1)
		return -1;
	/* libunbound rewrote the file while validating (or, cut short,
	 * left it as it was): read what the agent now holds, for the
	 * hold-down of new keys; restored first if it is not usable (read
	 * once when it is, as it nearly always is). */
	rc = autotrust_read(c->anchor_file, &rv->agent, NULL, err, errlen);
	if (rc == -1 || rv->agent.nanchors == 0) {
		source_free(&rv->agent);
		if (query_restore(c, "after libunbound rewrote it", note,
		    sizeof(note), err, errlen) == -1)
			return -1;
		rc = autotrust_read(c->anchor_file, &rv->agent, NULL, err,
		    errlen);
	}
	snprintf(rv->restored, sizeof(rv->restored), "%s", note);
	rv->have_agent = rc == 0;
	return rc;
}

/* Skip a possibly compressed name at *off; set *is_root if it is ".". */
static int
query_skip_name(const unsigned char *p, size_t len, size_t *off, int *is_root)
{
	size_t o = *off;
	int labels = 0, jumped = 0;

	*is_root = 0;
	for (;;) {
		if (o >= len)
			return -1;
		if ((p[o] & 0xc0) == 0xc0) {
			if (o + 1 >= len || ++jumped > 32)
				return -1;
			if (jumped == 1)
				*off = o + 2;
			o = (size_t)(p[o] & 0x3f) << 8 | p[o + 1];
			continue;
		}
		if (p[o] & 0xc0)
			return -1;
		if (p[o] == 0) {
			*is_root = labels == 0;
			if (!jumped)
				*off = o + 1;
			return 0;
		}
		labels++;
		o += (size_t)p[o] + 1;
	}
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Take one answer-section record into rv. */
static int
query_take_rr(const unsigned char *rd, uint16_t type, uint16_t rdlen,
    uint32_t ttl, struct rootview *rv, char *err, size_t errlen)
{
	if (type == TYPE_DNSKEY) {
		if (rv->nkeys == AW_RRSET_MAX) {
			snprintf(err, errlen, "answer: more than %d DNSKEYs",
			    AW_RRSET_MAX);
			return -1;
		}
		if (keyset_dnskey_from_rdata(&rv->keys[rv->nkeys], rd,
		    rdlen) == -1) {
			snprintf(err, errlen, "answer: malformed DNSKEY");
			return -1;
		}
		rv->nkeys++;
		rv->ttl = ttl;
	} else if (type == TYPE_RRSIG && rdlen >= 18 &&
	    get16(rd) == TYPE_DNSKEY) {
		if (rv->nsigners == AW_RRSET_MAX) {
			snprintf(err, errlen, "answer: more than %d RRSIGs",
			    AW_RRSET_MAX);
			return -1;
		}
		rv->signer_algs[rv->nsigners] = rd[2];
		rv->signers[rv->nsigners++] = get16(rd + 16);
	}
	return 0;
}

int
query_parse_answer(const unsigned char *p, size_t len, struct rootview *rv,
    char *err, size_t errlen)
{
	size_t off = 12, i, qd, an;
	uint16_t type, rdlen;
	uint32_t ttl;
	int is_root;

	rv->nkeys = rv->nsigners = 0;
	if (len < 12) {
		snprintf(err, errlen, "answer: truncated header");
		return -1;
	}
	qd = get16(p + 4);
	an = get16(p + 6);
	for (i = 0; i < qd; i++)
		if (query_skip_name(p, len, &off, &is_root) == -1 ||
		    (off += 4) > len)
			goto bad;
	for (i = 0; i < an; i++) {
		if (query_skip_name(p, len, &off, &is_root) == -1 ||
		    off + 10 > len)
			goto bad;
		type = get16(p + off);
		ttl = (uint32_t)get16(p + off + 4) << 16 | get16(p + off + 6);
		rdlen = get16(p + off + 8);
		off += 10;
		if (off + rdlen > len)
			goto bad;
		if (is_root && get16(p + off - 8) == CLASS_IN &&
		    query_take_rr(p + off, type, rdlen, ttl, rv, err,
		    errlen) == -1)
			return -1;
		off += rdlen;
	}
	if (rv->nkeys == 0) {
		snprintf(err, errlen, "answer: no root DNSKEY records");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "answer: malformed or truncated message");
	return -1;
}

int
is_signing(const struct rootview *rv, const struct dnskey *k)
{
	size_t i;

	if (k->flags & DNSKEY_F_REVOKE)
		return 0;
	for (i = 0; i < rv->nsigners; i++)
		if (rv->signers[i] == k->tag &&
		    rv->signer_algs[i] == k->algorithm)
			return 1;
	return 0;
}
