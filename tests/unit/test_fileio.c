/*
 * test_fileio.c: bounded loads, atomic replacement (owner and mode kept,
 * old file intact on failure), the run lock, the writability and
 * readability judgements and files every user may write.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "unit.h"
#include "fsync-count.h"

static char dir[64], path[128];
static char err[AW_ERR_MAX];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aw-fileio.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void
put(const char *p, const char *text, mode_t mode)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void
test_load_bounded(void **state)
{
	char *buf;
	size_t len;

	(void)state;
	put(path, "0123456789", 0644);
	assert_int_equal(fileio_load(path, 10, &buf, &len, err, sizeof(err)),
	    0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "0123456789");
	free(buf);
	assert_int_equal(fileio_load(path, 9, &buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "larger than 9 bytes"));
	assert_null(buf);
	assert_int_equal(fileio_load(dir, 100, &buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(fileio_load("/nonexistent/x", 100, &buf, &len, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x: cannot read"));
}

static void
test_atomic_keeps_mode_and_owner(void **state)
{
	struct stat st;
	char *buf;
	size_t len;

	(void)state;
	put(path, "old\n", 0640);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(fileio_write_atomic(path, "new\n", 4, err,
	    sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    0);
	assert_string_equal(buf, "new\n");
	free(buf);
}

/* fileio_replace, not durable, syncs the content but not the directory
 * (the history's writes: one fsync less on every check); the content is
 * replaced, owner and mode kept, as fileio_write_atomic does, which syncs
 * both. */
static void
test_replace_not_durable(void **state)
{
	struct stat st;
	char *buf;
	size_t len;

	(void)state;
	put(path, "old\n", 0640);
	fsyncs = 0;
	assert_int_equal(fileio_replace(path, "new\n", 4, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(fsyncs, 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    0);
	assert_string_equal(buf, "new\n");
	free(buf);
	fsyncs = 0;
	assert_int_equal(fileio_write_atomic(path, "newer\n", 6, err,
	    sizeof(err)), 0);
	assert_int_equal(fsyncs, 2);
}

/* A write that fails half-way (file size limit) leaves the old file as it
 * was and no temporary file behind. */
static void
test_atomic_failure_leaves_old(void **state)
{
	struct rlimit old, lim;
	struct dirent *de;
	char *buf;
	size_t len;
	DIR *d;
	int n = 0;

	(void)state;
	put(path, "old\n", 0644);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 2;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(fileio_write_atomic(path, "new and longer\n", 15, err,
	    sizeof(err)), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_non_null(strstr(err, "cannot write"));
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    0);
	assert_string_equal(buf, "old\n");
	free(buf);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	assert_int_equal(n, 1);		/* hidden temporary files count */
	/* A write that succeeds leaves the file alone there too. */
	assert_int_equal(fileio_write_atomic(path, "new\n", 4, err,
	    sizeof(err)), 0);
	n = 0;
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.' || strlen(de->d_name) > 2;
	closedir(d);
	assert_int_equal(n, 1);
}

static void
test_lock(void **state)
{
	int fd, fd2;

	(void)state;
	fd = fileio_lock(path, 0, err, sizeof(err));
	assert_true(fd >= 0);
	/* flock locks belong to the open file description: a second open in
	 * the same process conflicts like another process would */
	fd2 = fileio_lock(path, 0, err, sizeof(err));
	assert_int_equal(fd2, -1);
	assert_non_null(strstr(err, "another anchorwatch run holds the lock"));
	close(fd);
	fd2 = fileio_lock(path, 0, err, sizeof(err));
	assert_true(fd2 >= 0);
	close(fd2);
}

/* A FIFO (or any other non-regular file) is refused at once, naming it:
 * an open that waited for a writer would hold the run until -t. */
static void
test_load_fifo(void **state)
{
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(5);	/* a blocking open dies here, failing the test */
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    -1);
	alarm(0);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "a FIFO, not a regular file"));
	assert_null(buf);
}

/* The lock is never taken through a symbolic link (which could create a
 * file anywhere root can), nor on a FIFO (which would block). */
static void
test_lock_hostile(void **state)
{
	char target[160];
	struct stat st;

	(void)state;
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(fileio_lock(path, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(lstat(target, &st), -1);	/* nothing created */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(5);
	assert_int_equal(fileio_lock(path, 1, err, sizeof(err)), -1);
	alarm(0);
	assert_non_null(strstr(err, "not a regular file"));
}

/* The owner and mode copied after another program replaced a file land
 * on that file alone: a symbolic link swapped in is refused, and what it
 * points to (root's) keeps its owner and mode. */
static void
test_keep_owner(void **state)
{
	char victim[160];
	struct stat old, st;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	put(victim, "root's\n", 0600);
	put(path, "old\n", 0644);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(stat(path, &old), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(fileio_keep_owner(path, &old, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* a regular file there gets them */
	assert_int_equal(unlink(path), 0);
	put(path, "new\n", 0600);
	assert_int_equal(fileio_keep_owner(path, &old, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 07777, 0644);
}

/* state_dir: refused when a symbolic link, not a directory, someone
 * else's, or writable by group or others. */
static void
test_check_dir(void **state)
{
	char link[160];

	(void)state;
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(fileio_check_dir(dir, "state_dir", err, sizeof(err)), 0);
	assert_int_equal(chmod(dir, 0775), 0);
	assert_int_equal(fileio_check_dir(dir, "state_dir", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by its group"));
	assert_non_null(strstr(err, dir));
	assert_int_equal(chmod(dir, 01777), 0);
	assert_int_equal(fileio_check_dir(dir, "state_dir", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by others"));
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	if (geteuid() == 0) {
		/* root becomes state_dir's owner before writing (priv.c) */
		assert_int_equal(fileio_check_dir(dir, "state_dir", err, sizeof(err)), 0);
	} else {
		assert_int_equal(fileio_check_dir(dir, "state_dir", err, sizeof(err)), -1);
		assert_non_null(strstr(err, "belongs to uid 65534"));
	}
	/* anyone but root or the owner is refused */
	if (geteuid() == 0 && fork() == 0) {
		if (setresgid(65533, 65533, 65533) == -1 ||
		    setresuid(65533, 65533, 65533) == -1)
			_exit(2);
		_exit(fileio_check_dir(dir, "state_dir", err, sizeof(err)) == -1 &&
		    strstr(err, "belongs to uid 65534") != NULL ? 0 : 1);
	} else if (geteuid() == 0) {
		int st;

		assert_int_not_equal(wait(&st), -1);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(chown(dir, 0, 0), 0);
	snprintf(link, sizeof(link), "%s.link", dir);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(fileio_check_dir(link, "state_dir", err, sizeof(err)), -1);
	unlink(link);
	assert_non_null(strstr(err, "a symbolic link, not a directory"));
	put(path, "x", 0600);
	assert_int_equal(fileio_check_dir(path, "state_dir", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a directory"));
}

/* Load path n times, each within the cap. */
static void
load_times(int n)
{
	char *buf;
	size_t len;

	while (n-- > 0) {
		assert_int_equal(fileio_load(path, 100, &buf, &len, err,
		    sizeof(err)), 0);
		free(buf);
	}
}

/* The cap on what one resolver's reading may load: files and bytes. */
static void
test_cap(void **state)
{
	char *buf;
	size_t len;

	(void)state;
	put(path, "0123456789", 0644);
	fileio_cap_begin(3, 25, "resolver x");
	load_times(2);
	/* 30 bytes would pass 25 */
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "resolver x reads more than 25 bytes"));
	fileio_cap_begin(2, 1000, "resolver y");
	load_times(2);
	assert_int_equal(fileio_load(path, 100, &buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "resolver y reads more than 2 files"));
	fileio_cap_end();
	load_times(1);
}

static void
test_writable_by(void **state)
{
	char why[AW_ERR_MAX];

	(void)state;
	if (geteuid() != 0)
		skip();		/* chown: a package build runs as a user */
	put(path, "x", 0644);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_true(is_writable_by(path, "", why, sizeof(why)));
	assert_false(is_writable_by(path, "nobody", why, sizeof(why)));
	assert_non_null(strstr(why, "not writable by nobody"));
	assert_int_equal(chown(dir, 65534, 65534), 0);
	/* directory now nobody's, the file still root's 0644 */
	assert_false(is_writable_by(path, "nobody", why, sizeof(why)));
	assert_non_null(strstr(why, path));
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_true(is_writable_by(path, "nobody", why, sizeof(why)));
	assert_false(is_writable_by(path, "no-such-user-aw", why,
	    sizeof(why)));
	assert_non_null(strstr(why, "does not exist"));
}

/* Read by a user, by the file's mode bits; unknowable is readable. */
static void
test_readable_by(void **state)
{
	char why[AW_ERR_MAX];

	(void)state;
	put(path, "x", 0600);
	assert_true(is_readable_by(path, "", why, sizeof(why)));
	assert_false(is_readable_by(path, "nobody", why, sizeof(why)));
	assert_non_null(strstr(why, "f is not readable by nobody (mode 0600"));
	assert_true(is_readable_by(path, "no-such-user-aw", why,
	    sizeof(why)));
	assert_int_equal(chmod(path, 0644), 0);
	assert_true(is_readable_by(path, "nobody", why, sizeof(why)));
}

/* A file every user may write: named by the cap, refused as one of
 * anchorwatch's own. */
static void
test_world_writable(void **state)
{
	char *buf, why[AW_ERR_MAX];
	size_t len;

	(void)state;
	put(path, "x", 0646);
	assert_int_equal(fileio_load_own(path, 100, &buf, &len, err,
	    sizeof(err)), -1);
	assert_null(buf);
	assert_non_null(strstr(err, "writable by every user (mode 0646): "
	    "refused"));
	fileio_cap_begin(3, 100, "resolver x");
	assert_false(fileio_cap_world(why, sizeof(why)));
	load_times(1);
	assert_true(fileio_cap_world(why, sizeof(why)));
	assert_non_null(strstr(why, "f is writable by every user (mode "
	    "0646)"));
	fileio_cap_end();
	assert_false(fileio_cap_world(why, sizeof(why)));
	assert_int_equal(chmod(path, 0644), 0);
	load_times(1);
	assert_int_equal(fileio_load_own(path, 100, &buf, &len, err,
	    sizeof(err)), 0);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_load_bounded),
		T(test_atomic_keeps_mode_and_owner),
		T(test_atomic_failure_leaves_old),
		T(test_replace_not_durable),
		T(test_lock),
		T(test_load_fifo),
		T(test_lock_hostile),
		T(test_keep_owner),
		T(test_check_dir),
		T(test_cap),
		T(test_writable_by),
		T(test_readable_by),
		T(test_world_writable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
