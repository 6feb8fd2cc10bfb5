/*
 * access.c: whether a user may read or write a path, as the kernel would
 * decide for a resolver daemon's user: its uid and groups (from
 * /etc/passwd and /etc/group, else NSS), the mode bits, an ACL, and a
 * file system mounted read-only as the host's init sees it.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

/*
 * Groups of user (primary gid first) from /etc/group, read directly:
 * resolver daemons run as local system users, and going through NSS
 * loads modules (systemd's among them) that cost more time and memory
 * than the whole root query.
 */
static void
fileio_local_groups(const char *user, gid_t gid, gid_t *groups, int *ngroups)
{
	struct group *gr;
	FILE *f;
	int n = 0, i;

	groups[n++] = gid;
	if ((f = fopen("/etc/group", "re")) == NULL) {
		*ngroups = n;
		return;
	}
	while (n < *ngroups && (gr = fgetgrent(f)) != NULL)
		for (i = 0; gr->gr_mem[i] != NULL; i++)
			if (strcmp(gr->gr_mem[i], user) == 0) {
				groups[n++] = gr->gr_gid;
				break;
			}
	fclose(f);
	*ngroups = n;
}

/* Identity of user: uid and groups.  "" and "root" are uid 0.  Local
 * users come from /etc/passwd; others through NSS. */
static int
fileio_identity(const char *user, uid_t *uid, gid_t *groups, int *ngroups)
{
	struct passwd *pw = NULL;
	FILE *f;

	if (user[0] == '\0' || strcmp(user, "root") == 0) {
		*uid = 0;
		*ngroups = 0;
		return 0;
	}
	if ((f = fopen("/etc/passwd", "re")) != NULL) {
		while ((pw = fgetpwent(f)) != NULL &&
		    strcmp(pw->pw_name, user) != 0)
			;
		if (pw != NULL) {
			*uid = pw->pw_uid;
			fileio_local_groups(user, pw->pw_gid, groups, ngroups);
		}
		fclose(f);
		if (pw != NULL)
			return 0;
	}
	if ((pw = getpwnam(user)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	if (getgrouplist(user, pw->pw_gid, groups, ngroups) == -1)
		*ngroups = 0;
	return 0;
}

/* 1 if uid with groups may perform access mode bits want (4 = read,
 * 2 = write, 1 = search) on an object with stat st, by the classic mode
 * bits. */
static int
fileio_may(const struct stat *st, uid_t uid, const gid_t *groups,
    int ngroups, unsigned want)
{
	int i;

	if (uid == 0)
		return 1;
	if (st->st_uid == uid)
		return ((st->st_mode >> 6) & want) == want;
	for (i = 0; i < ngroups; i++)
		if (groups[i] == st->st_gid)
			return ((st->st_mode >> 3) & want) == want;
	return (st->st_mode & want) == want;
}

/*
 * Whether dir is on a read-only mount as the host's init sees it: a
 * sandboxed anchorwatch (systemd's ProtectSystem=strict) sees every mount
 * read-only, the resolvers do not.  The longest mount point of
 * /proc/1/mountinfo above dir decides, by its per-mount options (field
 * 6).  1 read-only, 0 writable, -1 when it cannot tell.
 */
static int
fileio_init_ro(const char *dir)
{
	char real[PATH_MAX], line[4096], mp[PATH_MAX], opts[512];
	size_t best = 0, n;
	FILE *f;
	int ro = -1;

	if (realpath(dir, real) == NULL ||
	    (f = fopen("/proc/1/mountinfo", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s %511s", mp, opts) != 2)
			continue;
		n = strlen(mp);
		if (strncmp(real, mp, n) != 0 || (real[n] != '/' &&
		    real[n] != '\0' && strcmp(mp, "/") != 0) || n < best)
			continue;
		best = n;
		ro = strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' ||
		    opts[2] == '\0');
	}
	fclose(f);
	return ro;
}

int
is_writable_by(const char *path, const char *user, char *why, size_t whylen)
{
	char dir[AW_PATH_MAX];
	gid_t groups[256];
	int ngroups = 256;
	struct stat st;
	struct statvfs vfs;
	uid_t uid;

	if (fileio_dirname(path, dir, sizeof(dir)) == -1) {
		snprintf(why, whylen, "%s: path too long", path);
		return 0;
	}
	if (fileio_identity(user, &uid, groups, &ngroups) == -1) {
		snprintf(why, whylen, "user \"%s\" does not exist", user);
		return 0;
	}
	if (stat(dir, &st) == -1) {
		snprintf(why, whylen, "%s: %s", dir, strerror(errno));
		return 0;
	}
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) &&
	    fileio_init_ro(dir) != 0) {
		snprintf(why, whylen, "%s is on a read-only file system", dir);
		return 0;
	}
	if (!fileio_may(&st, uid, groups, ngroups, 3)) {
		snprintf(why, whylen, "directory %s is not writable by %s",
		    dir, user[0] ? user : "root");
		return 0;
	}
	if (stat(path, &st) == 0 &&
	    !fileio_may(&st, uid, groups, ngroups, 2)) {
		snprintf(why, whylen, "%s is not writable by %s", path,
		    user[0] ? user : "root");
		return 0;
	}
	return 1;
}



/* 1 if an access ACL is on path: its mode bits then do not tell. */
static int
has_acl(const char *path)
{
	return getxattr(path, "system.posix_acl_access", NULL, 0) > 0;
}

int
is_readable_by(const char *path, const char *user, char *why, size_t whylen)
{
	gid_t groups[256];
	int ngroups = 256;
	struct stat st;
	uid_t uid;

	if (fileio_identity(user, &uid, groups, &ngroups) == -1 || uid == 0 ||
	    stat(path, &st) == -1 || has_acl(path) ||
	    fileio_may(&st, uid, groups, ngroups, 4))
		return 1;
	snprintf(why, whylen, "%s is not readable by %s (mode %04o, owner "
	    "uid %lu)", path, user, (unsigned)(st.st_mode & 07777),
	    (unsigned long)st.st_uid);
	return 0;
}
