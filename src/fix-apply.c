/*
 * fix-apply.c: carrying out a repair plan (fix.c), the way unbound-anchor
 * treats a resolver's files: on any failure they stay as they were.
 *
 * Per resolver: every file is checked unchanged since the plan was made,
 * backed up beside itself under a dated, hidden name (no daemon reads a
 * dot file from an include directory), replaced atomically
 * (fileio_write_atomic: same directory, owner and mode kept, fsync,
 * rename, directory fsync, read back), the commands run, and then the
 * resolver is read again through its own reader, which must trust what
 * the trust set says.  Anything short of that puts every file back.  Only
 * then the reload runs (argument vectors, no shell: spawn.c), and the
 * resolver is asked whether it validates again (probe.c: AD on the signed
 * name).  The caller holds the run lock.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anchorwatch.h"

#define FIX_PROBE_TRIES 20      /* re-check: tries, half a second apart */

/* ".NAME.anchorwatch-YYYYmmddTHHMMSSZ" beside path, into out. */
static int
fix_backup_name(const char *path, long long now, char *out, size_t outlen)
{
	const char *base = strrchr(path, '/');
	char stamp[32];
	struct tm tm;
	time_t t = (time_t)now;
	int n;

	base = base ? base + 1 : path;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
		return -1;
	n = snprintf(out, outlen, "%.*s.%s.anchorwatch-%s",
	    (int)(base - path), path, base, stamp);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* The backup of e: the old content, owner and mode of the original. */
static int
fix_backup(const struct fix_edit *e, long long now, char *err, size_t errlen)
{
	char bak[AW_PATH_MAX + 64];
	struct stat st;

	if (!e->existed)
		return 0;
	if (stat(e->path, &st) == -1 ||
	    fix_backup_name(e->path, now, bak, sizeof(bak)) == -1) {
		snprintf(err, errlen, "%s: cannot name its backup", e->path);
		return -1;
	}
	if (fileio_write_atomic(bak, e->old, e->oldlen, err, errlen) == -1)
		return -1;
	if (chown(bak, st.st_uid, st.st_gid) == -1 ||
	    chmod(bak, st.st_mode & 07777) == -1) {
		snprintf(err, errlen, "%s: cannot give it the owner and mode "
		    "of %s: %s", bak, e->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* 0 if e->path still holds what the plan saw. */
static int
fix_unchanged(const struct fix_edit *e, char *err, size_t errlen)
{
	char *now = NULL;
	size_t len = 0;
	int same;

	if (!e->existed) {
		if (access(e->path, F_OK) == -1 && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: created by someone else since the "
		    "plan was made", e->path);
		return -1;
	}
	if (fileio_load(e->path, AW_FILE_MAX, &now, &len, err, errlen) == -1)
		return -1;
	same = len == e->oldlen && memcmp(now, e->old, len) == 0;
	free(now);
	if (!same)
		snprintf(err, errlen, "%s: changed since the plan was made",
		    e->path);
	return same ? 0 : -1;
}

/* Put edits [0, n) back as the plan found them. */
static void
fix_restore(const struct fix_plan *p, size_t n)
{
	char err[AW_ERR_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!p->edits[i].existed) {
			if (unlink(p->edits[i].path) == -1 && errno != ENOENT)
				log_warnx("%s: cannot remove: %s",
				    p->edits[i].path, strerror(errno));
			continue;
		}
		if (fileio_write_atomic(p->edits[i].path, p->edits[i].old,
		    p->edits[i].oldlen, err, sizeof(err)) == -1)
			log_warnx("%s", err);
	}
}

/* 1 if some source of r trusts key k. */
static int
is_fix_trusted_by(const struct resolver *r, const struct dnskey *k)
{
	size_t i, j;

	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++)
			if (is_trusted_anchor(&r->sources[i],
			    &r->sources[i].anchors[j]) &&
			    is_anchor_for(&r->sources[i].anchors[j], k))
				return 1;
	return 0;
}

/*
 * Read the resolver again through its reader: it must read cleanly,
 * trust every key of t, and the files written must hold no anchor the
 * trust set does not keep.  0, or -1 with why.
 */
static int
fix_read_back(const struct resolver_conf *rc, const struct fix_trust *t,
    const struct fix_plan *p, long long now, char *why, size_t whylen)
{
	const struct reader *rd = reader_find(rc->type);
	struct resolver r;
	size_t i, j, k;
	int rv = -1;

	memset(&r, 0, sizeof(r));
	if (rd == NULL || reader_read(rd, rc, &r, now, why, whylen) == -1)
		goto out;
	if (r.refused[0] != '\0') {
		snprintf(why, whylen, "read back: %s", r.refused);
		goto out;
	}
	for (i = 0; i < t->nkeys; i++)
		if (!is_fix_trusted_by(&r, &t->keys[i])) {
			snprintf(why, whylen, "read back: key %u is not "
			    "trusted after the change", t->keys[i].tag);
			goto out;
		}
	for (i = 0; i < r.nsources; i++)
		for (j = 0; j < p->nedits; j++)
			for (k = 0; strcmp(r.sources[i].path,
			    p->edits[j].path) == 0 &&
			    k < r.sources[i].nanchors; k++)
				if (!is_fix_kept(t, &r.sources[i].anchors[k])) {
					snprintf(why, whylen, "%s:%u: read "
					    "back: key %u is still there",
					    p->edits[j].path,
					    r.sources[i].anchors[k].line,
					    keyset_anchor_tag(
					    &r.sources[i].anchors[k]));
					goto out;
				}
	rv = 0;
out:
	resolver_free(&r);
	return rv;
}

/* Owner and mode of each perm; on failure, those done are put back. */
static int
fix_perms(const struct fix_plan *p, char *err, size_t errlen)
{
	struct stat old[FIX_PERMS_MAX];
	size_t i;

	for (i = 0; i < p->nperms; i++) {
		const struct fix_perm *f = &p->perms[i];

		if (lstat(f->path, &old[i]) == -1 || S_ISLNK(old[i].st_mode) ||
		    chown(f->path, f->uid, f->gid) == -1 ||
		    chmod(f->path, f->mode) == -1) {
			snprintf(err, errlen, "%s: cannot set owner and mode: "
			    "%s", f->path, errno ? strerror(errno) :
			    "a symbolic link");
			while (i-- > 0) {
				(void)!chown(p->perms[i].path, old[i].st_uid,
				    old[i].st_gid);
				(void)!chmod(p->perms[i].path,
				    old[i].st_mode & 07777);
			}
			return -1;
		}
	}
	return 0;
}

/* Run one command; 0 if it exited 0, else -1 with err. */
static int
fix_run(const struct fix_cmd *c, unsigned timeout, char *err, size_t errlen)
{
	char *argv[FIX_ARGV_MAX + 1], *out = NULL, *nl;
	size_t i, outlen = 0;
	int status = 0;

	for (i = 0; i < c->argc; i++)
		argv[i] = (char *)c->argv[i];
	argv[i] = NULL;
	if (spawn_read(argv, timeout, 4096, 1, &out, &outlen, &status, err,
	    errlen) == -1)
		return -1;
	if (status != 0) {
		if ((nl = strchr(out, '\n')) != NULL)
			*nl = '\0';
		snprintf(err, errlen, "%s exited with status %d%s%s",
		    c->argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    out[0] ? ": " : "", out);
	}
	free(out);
	return status == 0 ? 0 : -1;
}

/* Ask the resolver whether it validates (AD on the signed name or on
 * ". DNSKEY"), for a while: a restarted daemon takes time to answer. */
static void
fix_recheck(const struct config *c, const struct resolver_conf *rc,
    const struct rootview *rv, struct fix_result *res)
{
	struct resolver r;
	const struct probe_result *pr = &r.probe;
	int i, k;

	res->validates = -1;
	if (rc->address[0] == '\0' || !c->probes) {
		snprintf(res->recheck, sizeof(res->recheck), "not asked: it "
		    "has no address (resolvers.address) or probes are off");
		return;
	}
	for (i = 0; i < FIX_PROBE_TRIES; i++) {
		memset(&r, 0, sizeof(r));
		snprintf(r.type, sizeof(r.type), "%s", rc->type);
		probe_resolver(c, rc, rv, &r);
		for (k = 1; k >= 0; k--)
			if (pr->checked[k] && pr->rcode[k] == 0 && pr->ad[k]) {
				res->validates = 1;
				snprintf(res->recheck, sizeof(res->recheck),
				    "validates again: AD set on %s",
				    k ? c->signed_name : ". DNSKEY");
				return;
			}
		res->validates = pr->reachable ? 0 : -1;
		usleep(500000);
	}
	snprintf(res->recheck, sizeof(res->recheck), pr->reachable ?
	    "does not validate yet: no AD from %s" : "%s does not answer",
	    rc->address);
}

void
fix_apply(const struct config *c, const struct resolver_conf *rc,
    const struct fix_trust *t, const struct rootview *rv, long long now,
    const struct fix_plan *p, struct fix_result *res)
{
	char *err = res->why;
	size_t i, errlen = sizeof(res->why);

	memset(res, 0, sizeof(*res));
	res->validates = -1;
	for (i = 0; i < p->nedits; i++)
		if (fix_unchanged(&p->edits[i], err, errlen) == -1 ||
		    fix_backup(&p->edits[i], now, err, errlen) == -1)
			goto fail;
	for (i = 0; i < p->nedits; i++)
		if (fileio_write_atomic(p->edits[i].path, p->edits[i].text,
		    p->edits[i].len, err, errlen) == -1) {
			fix_restore(p, i + 1);
			goto fail;
		}
	if (fix_perms(p, err, errlen) == -1) {
		fix_restore(p, p->nedits);
		goto fail;
	}
	/* The commands before the read-back: they finish what the files
	 * start (BIND: `rndc managed-keys destroy` lets the key zone go, so
	 * that the initial keys just written are what named trusts). */
	for (i = 0; i < p->ncmds; i++)
		if (fix_run(&p->cmds[i], c->fix.reload_timeout, err,
		    errlen) == -1) {
			fix_restore(p, p->nedits);
			goto fail;
		}
	if (p->nedits > 0 && fix_read_back(rc, t, p, now, err, errlen) == -1) {
		fix_restore(p, p->nedits);
		goto fail;
	}
	res->applied = 1;
	if (p->reload.argc > 0 && fix_run(&p->reload, c->fix.reload_timeout,
	    err, errlen) == -1)
		goto fail;
	fix_recheck(c, rc, rv, res);
	return;
fail:
	res->failed = 1;
}

/* 1 if the resolver has a finding a repair is for. */
static int
is_fix_wanted(const struct report *rep, const char *name)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		if (strcmp(rep->f[i].resolver, name) != 0)
			continue;
		switch (rep->f[i].code) {
		case F_ANCHOR_STALE:
		case F_SUCCESSOR_NOT_TRUSTED:
		case F_REVOKED_STILL_TRUSTED:
		case F_ZONE_MARKED_REVOKED:
		case F_ANCHOR_NOT_WRITABLE:
		case F_NO_ANCHOR:
		case F_EVENT_AHEAD:
		case F_PROBE_OVERDUE:
			return 1;
		default:
			break;
		}
	}
	return 0;
}

/* The files and commands of p in a line, for FIX_APPLIED. */
static void
fix_summary(const struct fix_plan *p, char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < p->nedits && off < len; i++, off += (size_t)n)
		if ((n = snprintf(buf + off, len - off, "%s%s (%s)",
		    off ? ", " : "", p->edits[i].path, p->edits[i].why)) < 0)
			return;
	for (i = 0; i < p->nperms && off < len; i++, off += (size_t)n)
		if ((n = snprintf(buf + off, len - off, "%s%s (owner, mode)",
		    off ? ", " : "", p->perms[i].path)) < 0)
			return;
	for (i = 0; i < p->ncmds && off < len; i++, off += (size_t)n)
		if ((n = snprintf(buf + off, len - off, "%sran %s %s",
		    off ? ", " : "", p->cmds[i].argv[0],
		    p->cmds[i].argc > 1 ? p->cmds[i].argv[1] : "")) < 0)
			return;
}

enum severity
fix_resolvers(const struct fix_run *fr, struct report *rep, FILE *out)
{
	const struct config *c = fr->cfg;
	struct fix_plan *plans;
	struct fix_result res;
	struct fix_trust t;
	enum severity worst = SEV_OK;
	char sum[AW_ERR_MAX];
	size_t i;

	fix_trust_build(c, fr->rv, fr->now, &t);
	plans = xcalloc(fr->n ? fr->n : 1, sizeof(*plans));
	fix_plan_all(c, &t, fr->rs, fr->n, fr->only, fr->nonly, fr->now,
	    plans);
	for (i = 0; i < fr->n; i++) {
		struct fix_plan *p = &plans[i];

		if (p->refused[0] != '\0') {
			if (!fr->quiet || is_fix_wanted(rep, p->resolver)) {
				detect_add(rep, F_FIX_REFUSED, SEV_CRITICAL,
				    p->resolver, NULL, 0, "%s", p->refused);
				worst = SEV_CRITICAL;
			}
		} else if (!fr->apply) {
			if (!is_fix_plan_empty(p) && worst == SEV_OK)
				worst = SEV_WARNING;
		} else if (!is_fix_plan_empty(p)) {
			fix_apply(c, &c->resolvers[i], &t, fr->rv, fr->now, p,
			    &res);
			fix_summary(p, sum, sizeof(sum));
			if (res.failed) {
				detect_add(rep, F_FIX_FAILED, SEV_CRITICAL,
				    p->resolver, NULL, 0, "%s%s", res.applied ?
				    "written, then " : "nothing written: ",
				    res.why);
				worst = SEV_CRITICAL;
			} else
				detect_add(rep, F_FIX_APPLIED, res.validates ==
				    1 ? SEV_OK : SEV_WARNING, p->resolver, NULL,
				    0, "%s; keys from %s; %s", sum, t.how,
				    res.recheck);
			if (!res.failed && res.validates != 1 &&
			    worst == SEV_OK)
				worst = SEV_WARNING;
		}
		if (out != NULL && !fr->apply)
			fix_print(out, p);
		else if (out != NULL && p->suggestlen > 0)
			fprintf(out, "%s: suggested for the main configuration "
			    "(not applied):\n%s", p->resolver, p->suggest);
		fix_plan_free(p);
	}
	free(plans);
	return worst;
}
