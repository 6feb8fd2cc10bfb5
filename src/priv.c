/*
 * priv.c: a run gives up what it does not need, once what needs more is
 * done (the lock taken, the daemons of the host discovered).
 *
 * Always: no_new_privs, so that nothing it runs can gain privileges
 * (setuid programs, file capabilities).  Started as root:
 *
 *   - reading modes (check, status, run, events, fix without --apply) run
 *     as the owner of state_dir (the packages make it the user
 *     anchorwatch; a root-owned state_dir keeps uid 0) with one capability,
 *     CAP_DAC_READ_SEARCH, to read the resolvers' files and keys, also
 *     ambient so that rndc, unbound-control and rec_control read theirs;
 *     CAP_NET_RAW besides when traffic.interface is to be captured.  The
 *     bounding set is cut to the same, and where the kernel offers
 *     Landlock, nothing is written outside the directories the mode writes
 *     in (state_dir, the agent's anchor file, the Prometheus textfile, the
 *     dnstap socket) and /dev/null; its absence is not an error;
 *   - writing modes (fix --apply, run with fix.auto) keep uid 0 and its
 *     capabilities (with no_new_privs): they write anchor files owned by
 *     the resolvers and run reload commands that restart daemons, which
 *     need what root has.
 *
 * Capabilities are set with the raw capset(2) interface and prctl(2):
 * five calls do not justify libcap.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"
#include "aw-priv.h"

/* Linux 6.2's, missing from Debian 12's headers (6.1). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#endif

/* The capabilities of a plan, as a mask. */
static uint64_t
priv_mask(const struct priv_plan *p)
{
	uint64_t m = 1ULL << CAP_DAC_READ_SEARCH;

	if (p->raw)
		m |= 1ULL << CAP_NET_RAW;
	/* The dnstap socket made in the resolver's group (setfsgid around
	 * bind): reading is CAP_DAC_READ_SEARCH's already, so no more. */
	if (p->setgid)
		m |= 1ULL << CAP_SETGID;
	return m;
}

static int
priv_capset(uint64_t mask)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)mask;
	d[1].effective = d[1].permitted = d[1].inheritable =
	    (uint32_t)(mask >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

/* The bounding set down to mask (while CAP_SETPCAP is still held). */
static int
priv_bound(uint64_t mask, char *err, size_t errlen)
{
	int c;

	for (c = 0; c <= CAP_LAST_CAP; c++)
		if (!(mask & 1ULL << c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) ==
		    -1 && errno != EINVAL) {
			snprintf(err, errlen, "cannot drop capability %d from "
			    "the bounding set: %s", c, strerror(errno));
			return -1;
		}
	return 0;
}

/* The capabilities to mask, the ambient set raised to it (the programs
 * it runs keep them). */
static int
priv_caps(uint64_t mask, char *err, size_t errlen)
{
	int c;

	if (priv_capset(mask) == -1) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	for (c = 0; c <= CAP_LAST_CAP; c++)
		if ((mask & 1ULL << c) && prctl(PR_CAP_AMBIENT,
		    PR_CAP_AMBIENT_RAISE, c, 0, 0) == -1) {
			snprintf(err, errlen, "cannot raise ambient capability "
			    "%d: %s", c, strerror(errno));
			return -1;
		}
	return 0;
}

/* Become uid (and its groups), keeping the capabilities of mask. */
static int
priv_become(uid_t uid, uint64_t mask, char *err, size_t errlen)
{
	struct passwd *pw = getpwuid(uid);
	gid_t gid;

	if (pw == NULL) {
		snprintf(err, errlen, "state_dir is owned by uid %u, which has "
		    "no passwd entry", (unsigned)uid);
		return -1;
	}
	gid = pw->pw_gid;
	if (initgroups(pw->pw_name, gid) == -1 || setresgid(gid, gid, gid) ==
	    -1 || prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		snprintf(err, errlen, "cannot become %s: %s", pw->pw_name,
		    strerror(errno));
		return -1;
	}
	return priv_caps(mask, err, errlen);
}

int
priv_shed(char *err, size_t errlen)
{
	if (geteuid() == 0)
		return 0;
	/* EPERM: a seccomp filter forbids capset (a unit's SystemCallFilter
	 * without it); the process keeps what the unit gave, no more. */
	if (priv_capset(0) == -1 && errno != EPERM) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- Landlock ------------------------------------------------------------ */

/* The write-like file system rights of Landlock ABI abi. */
static uint64_t
priv_ll_rights(long abi)
{
	uint64_t r = LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_FIFO |
	    LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	return r;
}

/* Allow rights beneath path (a directory, or a file for its own rights);
 * a path that does not exist (yet) is skipped. */
static int
priv_ll_allow(int rs, const char *path, uint64_t rights, char *err,
    size_t errlen)
{
	struct landlock_path_beneath_attr pb;
	struct stat st;
	int fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s",
		    path, strerror(errno)), -1);
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		rights &= LANDLOCK_ACCESS_FS_WRITE_FILE |
		    LANDLOCK_ACCESS_FS_TRUNCATE;
	pb.allowed_access = rights;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0);
	if (rc == -1)
		snprintf(err, errlen, "landlock rule for %s: %s", path,
		    strerror(errno));
	close(fd);
	return rc;
}

int
priv_landlock(const char *const *dirs, size_t n, char *err, size_t errlen)
{
	struct landlock_ruleset_attr ra;
	uint64_t rights;
	size_t i;
	long abi;
	int rs;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return 0;	/* no Landlock here: not an error */
	rights = priv_ll_rights(abi);
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = rights;
	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	    0)) == -1) {
		snprintf(err, errlen, "landlock: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (dirs[i] != NULL && dirs[i][0] != '\0' &&
		    priv_ll_allow(rs, dirs[i], rights, err, errlen) == -1) {
			close(rs);
			return -1;
		}
	if (priv_ll_allow(rs, "/dev/null", rights, err, errlen) == -1 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) == -1) {
		if (err[0] == '\0')
			snprintf(err, errlen, "landlock: %s", strerror(errno));
		close(rs);
		return -1;
	}
	close(rs);
	return 1;
}

/* ---- the plan -------------------------------------------------------------- */

int
priv_drop(const struct priv_plan *p, char *err, size_t errlen)
{
	char dirs[PRIV_DIRS_MAX][AW_PATH_MAX];
	const char *dp[PRIV_DIRS_MAX];
	uint64_t mask = priv_mask(p);
	struct stat st;
	size_t i, n = 0;

	err[0] = '\0';
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	/* fix writes the resolvers' files and restarts them: its reload
	 * commands (a service restart) need what root has. */
	if (p->write)
		return 0;
	if (geteuid() == 0) {
		if (stat(p->state_dir, &st) == -1) {
			if (errno != ENOENT) {
				snprintf(err, errlen, "%s: %s", p->state_dir,
				    strerror(errno));
				return -1;
			}
			st.st_uid = 0;	/* events reads, makes no state_dir */
		}
		if (priv_bound(mask, err, errlen) == -1)
			return -1;
		if (!p->write && st.st_uid != 0) {
			if (priv_become(st.st_uid, mask, err, errlen) == -1)
				return -1;
		} else if (priv_caps(mask, err, errlen) == -1)
			return -1;
	}
	for (i = 0; i < p->nwrite && n < PRIV_DIRS_MAX; i++) {
		if (p->writes[i] == NULL || p->writes[i][0] == '\0')
			continue;
		if (stat(p->writes[i], &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(dirs[n], sizeof(dirs[n]), "%s", p->writes[i]);
		else if (fileio_dirname(p->writes[i], dirs[n],
		    sizeof(dirs[n])) == -1)
			continue;	/* too long: Landlock refuses it */
		dp[n] = dirs[n];
		n++;
	}
	return priv_landlock(dp, n, err, errlen) == -1 ? -1 : 0;
}

int
priv_drop_config(const struct config *cfg, int write, int raw, char *err,
    size_t errlen)
{
	struct priv_plan p = { cfg->state_dir, write, raw, 0, { NULL }, 0 };

	p.setgid = cfg->traffic.dnstap_socket[0] != '\0' &&
	    cfg->traffic.dnstap_group[0] != '\0';

	p.writes[p.nwrite++] = cfg->state_dir;
	p.writes[p.nwrite++] = cfg->anchor_file;
	p.writes[p.nwrite++] = cfg->prometheus_textfile;
	p.writes[p.nwrite++] = cfg->traffic.dnstap_socket;
	return priv_drop(&p, err, errlen);
}
