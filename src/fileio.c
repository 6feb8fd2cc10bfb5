/*
 * fileio.c: the only place that reads or replaces whole files.
 *
 * Reads are bounded: fstat first, refuse anything but a regular file or
 * anything larger than the caller's cap, then read exactly that much.
 * Writes are atomic: a temporary file in the same directory gets the old
 * file's owner and mode, is flushed and synced, renamed over the old one,
 * the directory is synced, and the result is read back.  On any failure
 * the old file is left byte for byte as it was.  An append (a log that
 * its reader knows may end cut short) is one write, cut back to the old
 * size when it fails.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

/* What kind of file mode m is, for an error: "a FIFO", ... */
static const char *
fileio_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" :
	    S_ISSOCK(m) ? "a socket" : S_ISCHR(m) ? "a character device" :
	    S_ISBLK(m) ? "a block device" : S_ISLNK(m) ? "a symbolic link" :
	    "not a plain file";
}

/*
 * Open path with flags (O_RDONLY and more) without blocking, whatever it
 * is (a FIFO with no writer, a device), and refuse anything but a regular
 * file, naming what it is.  The descriptor, its stat in *st; or -1 with
 * err.
 */
static int
fileio_open_regular(const char *path, int flags, mode_t mode,
    struct stat *st, char *err, size_t errlen)
{
	int fd;

	if ((fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
	    mode)) == -1) {
		snprintf(err, errlen, "%s: cannot read: %s", path, errno ==
		    ELOOP && (flags & O_NOFOLLOW) ? "a symbolic link, refused"
		    : strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1) {
		snprintf(err, errlen, "%s: cannot stat: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s: %s, not a regular file", path,
		    fileio_kind(st->st_mode));
		close(fd);
		return -1;
	}
	return fd;
}

/* What one reader_read may still read (fileio_cap_begin); off when
 * maxfiles is 0.  world: the first file it read that every user may
 * write, said as fileio_cap_world gives it. */
static struct {
	size_t files, bytes, maxfiles, maxbytes;
	const char *what;
	char world[AW_ERR_MAX];
} fileio_cap;

void
fileio_cap_begin(size_t maxfiles, size_t maxbytes, const char *what)
{
	fileio_cap.files = fileio_cap.bytes = 0;
	fileio_cap.maxfiles = maxfiles;
	fileio_cap.maxbytes = maxbytes;
	fileio_cap.what = what;
	fileio_cap.world[0] = '\0';
}

int
fileio_cap_world(char *why, size_t whylen)
{
	if (fileio_cap.world[0] == '\0')
		return 0;
	snprintf(why, whylen, "%s", fileio_cap.world);
	return 1;
}

void
fileio_cap_end(void)
{
	memset(&fileio_cap, 0, sizeof(fileio_cap));
}

/* Count a file of size bytes against the cap: 0, or -1 with err naming
 * the cap that it would pass. */
static int
fileio_cap_take(const char *path, size_t size, char *err, size_t errlen)
{
	if (fileio_cap.maxfiles == 0)
		return 0;
	if (fileio_cap.files >= fileio_cap.maxfiles) {
		snprintf(err, errlen, "%s: %s reads more than %zu files "
		    "(anchorwatch's cap on files read per resolver)", path,
		    fileio_cap.what, fileio_cap.maxfiles);
		return -1;
	}
	if (size > fileio_cap.maxbytes - fileio_cap.bytes) {
		snprintf(err, errlen, "%s: %s reads more than %zu bytes "
		    "(anchorwatch's cap on bytes read per resolver)", path,
		    fileio_cap.what, fileio_cap.maxbytes);
		return -1;
	}
	fileio_cap.files++;
	fileio_cap.bytes += size;
	return 0;
}

/* Read all of fd (a regular file, stat st) of at most max bytes. */
static int
fileio_read_fd(int fd, const struct stat *st, const char *path, size_t max,
    char **buf, size_t *len, char *err, size_t errlen)
{
	size_t off = 0;
	ssize_t n;
	char *b;

	if (st->st_size < 0 || (unsigned long long)st->st_size > max) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
		return -1;
	}
	if (fileio_cap_take(path, (size_t)st->st_size, err, errlen) == -1)
		return -1;
	if (fileio_cap.maxfiles > 0 && (st->st_mode & S_IWOTH) &&
	    fileio_cap.world[0] == '\0')
		snprintf(fileio_cap.world, sizeof(fileio_cap.world), "%s is "
		    "writable by every user (mode %04o): anyone on this host "
		    "can change what the resolver trusts; chmod o-w it", path,
		    (unsigned)(st->st_mode & 07777));
	b = xcalloc(1, (size_t)st->st_size + 1);
	while (off < (size_t)st->st_size) {
		n = read(fd, b + off, (size_t)st->st_size - off);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: read failed: %s", path,
			    n == 0 ? "file shrank" : strerror(errno));
			free(b);
			return -1;
		}
		off += (size_t)n;
	}
	b[off] = '\0';
	*buf = b;
	*len = off;
	return 0;
}

/* fileio_load; own: anchorwatch's own file, refused if every user may
 * write it. */
static int
fileio_load_as(const char *path, int own, size_t max, char **buf,
    size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc = -1;

	*buf = NULL;
	*len = 0;
	if ((fd = fileio_open_regular(path, O_RDONLY, 0, &st, err, errlen)) ==
	    -1)
		return -1;
	if (own && (st.st_mode & S_IWOTH))
		snprintf(err, errlen, "%s: writable by every user (mode %04o): "
		    "refused (anyone could change what anchorwatch does); "
		    "chmod o-w it", path, (unsigned)(st.st_mode & 07777));
	else
		rc = fileio_read_fd(fd, &st, path, max, buf, len, err, errlen);
	close(fd);
	return rc;
}

int
fileio_load(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen)
{
	return fileio_load_as(path, 0, max, buf, len, err, errlen);
}

int
fileio_load_own(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen)
{
	return fileio_load_as(path, 1, max, buf, len, err, errlen);
}

unsigned
fileio_lineof(const char *buf, size_t off)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (buf[i] == '\n')
			n++;
	return n;
}

int
fileio_nextline(const char *buf, size_t len, size_t *pos, const char **l,
    size_t *n)
{
	const char *s, *e;

	if (*pos >= len)
		return 0;
	s = buf + *pos;
	e = memchr(s, '\n', len - *pos);
	*n = e != NULL ? (size_t)(e - s) : len - *pos;
	*pos += *n + (e != NULL);
	if (*n > 0 && s[*n - 1] == '\r')
		(*n)--;
	*l = s;
	return 1;
}

int
fileio_open_text(const char *path, struct textfile *f, char *err,
    size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->path = path;
	return fileio_load_text(path, &f->buf, &f->len, err, errlen);
}

int
fileio_getline(struct textfile *f, size_t max, const char **l, size_t *n)
{
	if (!fileio_nextline(f->buf, f->len, &f->pos, l, n))
		return 0;
	f->line++;
	return *n > max ? -1 : 1;
}

int
fileio_no_nul(const char *path, const char *buf, size_t len, char *err,
    size_t errlen)
{
	const char *nul;

	if ((nul = memchr(buf, '\0', len)) == NULL)
		return 0;
	snprintf(err, errlen, "%s:%u: NUL byte in file", path,
	    fileio_lineof(buf, (size_t)(nul - buf)));
	return -1;
}

int
fileio_load_text(const char *path, char **buf, size_t *len, char *err,
    size_t errlen)
{
	if (fileio_load(path, AW_FILE_MAX, buf, len, err, errlen) == -1)
		return -1;
	if (fileio_no_nul(path, *buf, *len, err, errlen) == -1) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

int
fileio_dirname(const char *path, char *dir, size_t dirlen)
{
	char tmp[AW_PATH_MAX];

	if (strlen(path) >= sizeof(tmp))
		return -1;
	strcpy(tmp, path);
	if ((size_t)snprintf(dir, dirlen, "%s", dirname(tmp)) >= dirlen)
		return -1;
	return 0;
}

/* Write all of data to fd, then flush it to disk. */
static int
fileio_write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return fsync(fd);
}

/* Sync the directory holding path so the rename is durable. */
static int
fileio_sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * A file for the new content in dir, where path will be: unnamed
 * (O_TMPFILE) where the file system allows it, so that a run killed
 * while writing leaves nothing behind; else a hidden ".BASE.XXXXXX" (no
 * daemon reads a dot file from an include directory).  *named says
 * which; tmp gets the name of a named one.  The descriptor, or -1.
 */
static int
fileio_open_tmp(const char *dir, const char *base, char *tmp, size_t tmplen,
    int *named)
{
	int fd;

	*named = 0;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd != -1 || (errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL))
		return fd;
	*named = 1;
	if ((size_t)snprintf(tmp, tmplen, "%s/.%s.XXXXXX", dir, base) >=
	    tmplen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkostemp(tmp, O_CLOEXEC);
}

/* Give the unnamed file fd a hidden name beside path (tmp), now that it
 * is whole: the rename needs one. */
static int
fileio_name_tmp(int fd, const char *dir, const char *base, char *tmp,
    size_t tmplen)
{
	char proc[64];
	unsigned i;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (i = 0; i < 100; i++) {
		if ((size_t)snprintf(tmp, tmplen, "%s/.%s.aw%ld-%u", dir, base,
		    (long)getpid(), i) >= tmplen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp,
		    AT_SYMLINK_FOLLOW) == 0 || (errno == ENOENT &&
		    linkat(fd, "", AT_FDCWD, tmp, AT_EMPTY_PATH) == 0))
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int
fileio_write_atomic(const char *path, const char *data, size_t len,
    char *err, size_t errlen)
{
	return fileio_replace(path, data, len, 1, err, errlen);
}

int
fileio_replace(const char *path, const char *data, size_t len, int durable,
    char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], tmp[AW_PATH_MAX + 64], *back = NULL;
	const char *base = strrchr(path, '/');
	struct stat st;
	int fd, have_old, named;
	size_t backlen;

	base = base ? base + 1 : path;
	tmp[0] = '\0';
	if (fileio_dirname(path, dir, sizeof(dir)) == -1) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	have_old = stat(path, &st) == 0;
	if ((fd = fileio_open_tmp(dir, base, tmp, sizeof(tmp), &named)) ==
	    -1) {
		snprintf(err, errlen, "%s: cannot create a temporary file in "
		    "%s: %s", path, dir, strerror(errno));
		return -1;
	}
	if ((have_old && (fchown(fd, st.st_uid, st.st_gid) == -1 ||
	    fchmod(fd, st.st_mode & 07777) == -1)) ||
	    (!have_old && fchmod(fd, 0644) == -1) ||
	    fileio_write_all(fd, data, len) == -1 ||
	    (!named && fileio_name_tmp(fd, dir, base, tmp, sizeof(tmp)) ==
	    -1)) {
		snprintf(err, errlen, "%s: cannot write the new content: %s",
		    path, strerror(errno));
		close(fd);
		if (tmp[0] != '\0')
			unlink(tmp);
		return -1;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: cannot replace: %s", path,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (durable && fileio_sync_dir(dir) == -1) {
		snprintf(err, errlen, "%s: cannot sync directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (fileio_load(path, len, &back, &backlen, err, errlen) == -1)
		return -1;
	if (backlen != len || memcmp(back, data, len) != 0) {
		snprintf(err, errlen, "%s: read back differs from what was "
		    "written", path);
		free(back);
		return -1;
	}
	free(back);
	return 0;
}

int
is_gone(long pid)
{
	return pid <= 0 || pid > INT_MAX || (kill((pid_t)pid, 0) == -1 &&
	    errno == ESRCH);
}

/* 1 if name is a temporary name of fileio_name_tmp, .BASE.awPID-N, of a
 * process that is gone. */
static int
fileio_is_dead_tmp(const char *name)
{
	const char *aw = strrchr(name, '.');
	char *end;
	long pid;

	if (name[0] != '.' || aw == NULL || aw == name ||
	    strncmp(aw, ".aw", 3) != 0 || !isdigit((unsigned char)aw[3]))
		return 0;
	errno = 0;
	pid = strtol(aw + 3, &end, 10);
	if (*end != '-' || errno != 0 || !isdigit((unsigned char)end[1]))
		return 0;
	for (end++; isdigit((unsigned char)*end); end++)
		;
	return *end == '\0' && is_gone(pid);
}

void
fileio_sweep_tmp(const char *dir)
{
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (fileio_is_dead_tmp(de->d_name) &&
		    unlinkat(dirfd(d), de->d_name, 0) == -1 && errno != ENOENT)
			log_warnx("%s/%s: %s", dir, de->d_name,
			    strerror(errno));
	closedir(d);
}

int
fileio_append(const char *path, const char *data, size_t len, size_t size)
{
	char err[AW_ERR_MAX];
	struct stat st;
	ssize_t n;
	int fd, e;

	if ((fd = fileio_open_regular(path, O_WRONLY | O_APPEND | O_NOFOLLOW,
	    0, &st, err, sizeof(err))) == -1)
		return -1;
	if ((size_t)st.st_size != size) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	while ((n = write(fd, data, len)) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)len) {
		e = n == -1 ? errno : ENOSPC;
		/* never a cut line left to the next one */
		(void)ftruncate(fd, (off_t)size);
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int
fileio_link_atomic(const char *src, const char *dst, int durable,
    char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], tmp[AW_PATH_MAX + 64];

	if (fileio_dirname(dst, dir, sizeof(dir)) == -1 ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.aw-link.%ld", dst,
	    (long)getpid()) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", dst);
		return -1;
	}
	(void)unlink(tmp);	/* one a killed run of ours left */
	if (link(src, tmp) == -1 || rename(tmp, dst) == -1) {
		snprintf(err, errlen, "%s: cannot link %s there: %s", dst, src,
		    strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	/* rename(2) of two links to one file does nothing: tmp stays. */
	(void)unlink(tmp);
	if (durable && fileio_sync_dir(dir) == -1) {
		snprintf(err, errlen, "%s: cannot sync directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
fileio_lock(const char *path, int wait, char *err, size_t errlen)
{
	struct stat st;
	int fd, rc;

	/* Read-only and 0644: a monitoring user other than the one cron runs
	 * as can still take the lock.  Never through a symbolic link (it
	 * would create a file wherever it points), never blocking on a
	 * FIFO: a regular file or nothing. */
	if ((fd = fileio_open_regular(path, O_RDONLY | O_CREAT | O_NOFOLLOW,
	    0644, &st, err, errlen)) == -1)
		return -1;
	while ((rc = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))) == -1 &&
	    errno == EINTR)
		;
	if (rc == -1) {
		snprintf(err, errlen, "%s: %s", path, errno == EWOULDBLOCK ?
		    "another anchorwatch run holds the lock" : strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
fileio_check_dir(const char *dir, const char *what, char *err,
    size_t errlen)
{
	struct stat st;

	if (lstat(dir, &st) == -1) {
		snprintf(err, errlen, "%s %s: %s", what, dir,
		    strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s %s is %s, not a directory: "
		    "refused", what, dir, fileio_kind(st.st_mode));
		return -1;
	}
	/* Root runs as state_dir's owner (priv.c) before it writes there;
	 * anyone else must own it. */
	if (st.st_uid != 0 && st.st_uid != geteuid() && geteuid() != 0) {
		snprintf(err, errlen, "%s %s belongs to uid %lu, "
		    "neither root nor the user running anchorwatch: refused "
		    "(its owner could redirect what is written there)", what,
		    dir, (unsigned long)st.st_uid);
		return -1;
	}
	if (st.st_mode & 022) {
		snprintf(err, errlen, "%s %s is writable by %s (mode "
		    "%04o): refused (they could redirect what is written "
		    "there); make it writable by its owner alone", what, dir,
		    (st.st_mode & 002) ? "others" : "its group",
		    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int
fileio_keep_owner(const char *path, const struct stat *old, char *err,
    size_t errlen)
{
	char why[AW_ERR_MAX];
	struct stat st;
	int fd, rc = 0;

	if ((fd = fileio_open_regular(path, O_RDONLY | O_NOFOLLOW, 0, &st,
	    why, sizeof(why))) == -1) {
		snprintf(err, errlen, "%s: owner and mode not restored: %s",
		    path, why);
		return -1;
	}
	if (((st.st_uid != old->st_uid || st.st_gid != old->st_gid) &&
	    fchown(fd, old->st_uid, old->st_gid) == -1) ||
	    ((st.st_mode & 07777) != (old->st_mode & 07777) &&
	    fchmod(fd, old->st_mode & 07777) == -1)) {
		snprintf(err, errlen, "%s: cannot restore owner and mode: %s",
		    path, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

FILE *
fileio_fopen(const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	int fd;

	if ((fd = fileio_open_regular(path, O_RDONLY, 0, &st, err, errlen)) ==
	    -1)
		return NULL;
	if ((f = fdopen(fd, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

int
fileio_join(const char *dir, const char *name, char *out, size_t outlen)
{
	int n;

	if (name[0] == '/' || dir[0] == '\0')
		n = snprintf(out, outlen, "%s", name);
	else
		n = snprintf(out, outlen, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
