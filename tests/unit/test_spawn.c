/*
 * test_spawn.c: how spawn.c runs the helpers (rndc, rec_control,
 * named-journalprint, the reload commands) (issue 12): a clean
 * environment, an absolute path or nothing, and on its time limit the
 * helper's whole process group stopped, a grandchild that ignores SIGTERM
 * included, the helper reaped; a helper that closes its output and stays
 * does not hold the run past its limit.
 */
#include "unit.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>

static char tmpdir[] = "/tmp/aw-spawn-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return unit_rmtree(tmpdir);
}

/* An executable shell script tmpdir/name of body; its path into path. */
static void
script(const char *name, const char *body, char *path, size_t len)
{
	FILE *fp;

	snprintf(path, len, "%s/%s", tmpdir, name);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "#!/bin/sh\n%s", body);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

/* 1 if process pid is gone or a zombie (its parent may be a PID 1 that
 * does not reap), waiting up to 2 s for it. */
static int
is_dead(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	for (i = 0; i < 200; i++) {
		if ((fp = fopen(path, "r")) == NULL)
			return 1;
		p = fgets(buf, sizeof(buf), fp);
		fclose(fp);
		/* "pid (comm) S ...": the state after the last ')' */
		if (p != NULL && (p = strrchr(buf, ')')) != NULL &&
		    p[1] == ' ' && p[2] == 'Z')
			return 1;
		usleep(10000);
	}
	return 0;
}

/* The helper sees PATH and LC_ALL, nothing of ours. */
static void
test_clean_env(void **state)
{
	char *argv[] = { "/usr/bin/env", NULL }, *out, err[AW_ERR_MAX];
	size_t len;
	int status;

	(void)state;
	assert_int_equal(setenv("AW_SECRET", "leaked", 1), 0);
	assert_int_equal(setenv("LANG", "de_DE.UTF-8", 1), 0);
	assert_int_equal(spawn_read(argv, 5, 4096, 0, &out, &len, &status,
	    err, sizeof(err)), 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
	    "LC_ALL=C\n");
	free(out);
	unsetenv("AW_SECRET");
	unsetenv("LANG");
}

/* A helper gets no descriptor of ours beyond its three. */
static void
test_no_fds(void **state)
{
	char *argv[] = { "/bin/ls", "/proc/self/fd", NULL }, *out;
	char err[AW_ERR_MAX];
	size_t len;
	int status, fd;

	(void)state;
	assert_true((fd = open("/dev/null", O_RDONLY)) > 2);	/* no CLOEXEC */
	assert_int_equal(spawn_read(argv, 5, 4096, 0, &out, &len, &status,
	    err, sizeof(err)), 0);
	close(fd);
	/* 0 1 2, and the directory ls reads */
	assert_string_equal(out, "0\n1\n2\n3\n");
	free(out);
}

/* A name without a leading slash is not looked up: it is refused. */
static void
test_relative_refused(void **state)
{
	char *rel[] = { "env", NULL }, *dot[] = { "./env", NULL };
	char *out, err[AW_ERR_MAX];
	size_t len;
	int status;

	(void)state;
	assert_int_equal(spawn_read(rel, 5, 4096, 0, &out, &len, &status, err,
	    sizeof(err)), -1);
	assert_null(out);
	assert_non_null(strstr(err, "env: not an absolute path"));
	assert_int_equal(spawn_read(dot, 5, 4096, 0, &out, &len, &status, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "./env: not an absolute path"));
}

/* The pids a script wrote into file, two of them. */
static void
read_pids(const char *file, pid_t *a, pid_t *b)
{
	long x = 0, y = 0;
	FILE *fp;
	int i;

	for (i = 0; i < 100 && access(file, F_OK) == -1; i++)
		usleep(10000);
	assert_non_null(fp = fopen(file, "r"));
	assert_int_equal(fscanf(fp, "%ld %ld", &x, &y), 2);
	fclose(fp);
	assert_true(x > 1 && y > 1);
	*a = (pid_t)x, *b = (pid_t)y;
}

/*
 * Run the script name of body, which writes "$$ $!" into "$1" and does
 * not end, with a time limit of 1 s: it must fail, within 3 s (an alarm
 * kills this program if it hangs, as the old code did); its error into
 * err, its wait status into *status, the two pids it wrote into *a, *b.
 */
static void
run_stuck(const char *name, const char *body, char *err, size_t errlen,
    int *status, pid_t *a, pid_t *b)
{
	char path[256], pids[256], *argv[3], *out;
	struct timespec t0, t1;
	size_t len;

	snprintf(pids, sizeof(pids), "%s/%s.pids", tmpdir, name);
	script(name, body, path, sizeof(path));
	argv[0] = path, argv[1] = pids, argv[2] = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(20);
	assert_int_equal(spawn_read(argv, 1, 4096, 0, &out, &len, status,
	    err, errlen), -1);
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_null(out);
	assert_true(t1.tv_sec - t0.tv_sec <= 3);
	read_pids(pids, a, b);
}

/* On its time limit the helper and the grandchild it forked are killed,
 * though both ignore SIGTERM, and the helper is reaped: none lives. */
static void
test_group_killed(void **state)
{
	char err[AW_ERR_MAX];
	pid_t helper, grandchild;
	int status;

	(void)state;
	run_stuck("hang", "trap '' TERM\n/bin/sleep 300 &\n"
	    "echo $$ $! >\"$1\"\nexec /bin/sleep 300\n", err, sizeof(err),
	    &status, &helper, &grandchild);
	assert_non_null(strstr(err, "no answer within 1 s"));
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_true(is_dead(helper));
	assert_true(is_dead(grandchild));
	/* reaped: not a child of ours any more */
	assert_int_equal(waitpid(helper, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* A helper that closes its output and stays is stopped at its limit,
 * with what it forked. */
static void
test_closed_output(void **state)
{
	char err[AW_ERR_MAX];
	pid_t helper, grandchild;
	int status;

	(void)state;
	run_stuck("closed", "exec >/dev/null\n/bin/sleep 300 &\n"
	    "echo $$ $! >\"$1\"\nexec /bin/sleep 300\n", err, sizeof(err),
	    &status, &helper, &grandchild);
	assert_non_null(strstr(err, "still running after 1 s"));
	assert_true(is_dead(helper));
	assert_true(is_dead(grandchild));
}

/* A helper that ends: its output and status, and the status in words. */
static void
test_status(void **state)
{
	char path[256], *argv[2], *out, err[AW_ERR_MAX], words[64];
	size_t len;
	int status;

	(void)state;
	script("fails", "echo out; echo err >&2; exit 3\n", path,
	    sizeof(path));
	argv[0] = path, argv[1] = NULL;
	assert_int_equal(spawn_read(argv, 5, 4096, 1, &out, &len, &status,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "out\nerr\n");
	free(out);
	spawn_status(status, words, sizeof(words));
	assert_string_equal(words, "exited with status 3");
	spawn_status(SIGKILL, words, sizeof(words));	/* as wait(2) sets */
	assert_string_equal(words, "killed by signal 9 (Killed)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_env),
		cmocka_unit_test(test_no_fds),
		cmocka_unit_test(test_relative_refused),
		cmocka_unit_test(test_group_killed),
		cmocka_unit_test(test_closed_output),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
