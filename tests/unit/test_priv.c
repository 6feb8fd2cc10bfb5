/*
 * test_priv.c: Landlock in priv.c (issue 12).  Where this kernel offers
 * it, a process after priv_drop of a reading plan writes beneath
 * state_dir, the directory of each file of the plan and /dev/null, and
 * nowhere else: creating, appending, truncating, removing, making a
 * directory or a link elsewhere fails with EACCES, while reading
 * anywhere still works (the resolvers' files are read where they are).
 * On a kernel without it (here: a seccomp filter failing Landlock's
 * system calls with ENOSYS, as such a kernel does) priv_landlock says so
 * (0) and priv_drop goes on without an error.  Each case runs in a child
 * process: Landlock and no_new_privs cannot be undone.  Neither needs
 * root; as root, priv_drop also keeps uid 0 (state_dir is root's) and
 * CAP_DAC_READ_SEARCH alone, which t-priv.sh reads from /proc.
 */
#include "unit.h"

#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <fcntl.h>

#include "aw-priv.h"

static char tmpdir[] = "/tmp/aw-priv-XXXXXX";
/* This kernel's Landlock ABI version, 0 without it. */
static long abi;

static int
setup(void **state)
{
	(void)state;
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		abi = 0;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return unit_rmtree(tmpdir);
}

/* tmpdir/name into buf. */
static const char *
at(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

/* Run child() in a child process; assert it exits 0 (else it said on
 * stderr which step failed). */
static void
in_child(int (*child)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == 0)
		_exit(child());
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child: status %#x", status);
}

/* 0 if rc is -1 with EACCES (what Landlock answers), else complain. */
static int
denied(int rc, const char *what)
{
	if (rc == -1 && errno == EACCES)
		return 0;
	fprintf(stderr, "%s: %s, want EACCES\n", what, rc == -1 ?
	    strerror(errno) : "allowed");
	return 1;
}

/* 0 if rc is not -1, else complain. */
static int
allowed(int rc, const char *what)
{
	if (rc != -1)
		return 0;
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	return 1;
}

/* A reading plan: state_dir tmpdir/state and the agent's anchor file in
 * tmpdir/anchor (not made yet: its directory counts). */
static int
drop_reading(char *err, size_t errlen)
{
	static char sd[256], anchor[256];
	struct priv_plan p = { NULL, 0, 0, 0, { NULL }, 0 };

	p.state_dir = at(sd, sizeof(sd), "state");
	p.writes[p.nwrite++] = p.state_dir;
	p.writes[p.nwrite++] = at(anchor, sizeof(anchor), "anchor/root.key");
	return priv_drop(&p, err, errlen);
}

static int
child_confined(void)
{
	char err[AW_ERR_MAX], p[256];
	int bad = 0;

	if (drop_reading(err, sizeof(err)) == -1) {
		fprintf(stderr, "priv_drop: %s\n", err);
		return 1;
	}
	bad |= allowed(open(at(p, sizeof(p), "state/new"), O_WRONLY |
	    O_CREAT | O_CLOEXEC, 0600), "create in state_dir");
	bad |= allowed(open(at(p, sizeof(p), "anchor/root.key"), O_WRONLY |
	    O_CREAT | O_CLOEXEC, 0600), "create beside the anchor file");
	bad |= allowed(open("/dev/null", O_WRONLY | O_CLOEXEC), "/dev/null");
	bad |= denied(open(at(p, sizeof(p), "out/new"), O_WRONLY | O_CREAT |
	    O_CLOEXEC, 0600), "create elsewhere");
	bad |= denied(open(at(p, sizeof(p), "out/kept"), O_WRONLY |
	    O_APPEND | O_CLOEXEC), "append elsewhere");
	/* truncate(2) is Landlock's from ABI 3 (Linux 6.2) */
	if (abi >= 3)
		bad |= denied(truncate(at(p, sizeof(p), "out/kept"), 0),
		    "truncate elsewhere");
	bad |= denied(unlink(at(p, sizeof(p), "out/kept")),
	    "remove elsewhere");
	bad |= denied(mkdir(at(p, sizeof(p), "out/dir"), 0700),
	    "mkdir elsewhere");
	bad |= denied(symlink("/etc/shadow", at(p, sizeof(p), "out/link")),
	    "symlink elsewhere");
	bad |= allowed(open(at(p, sizeof(p), "out/kept"), O_RDONLY |
	    O_CLOEXEC), "read elsewhere");
	return bad;
}

/* Where the kernel has Landlock, a reading run writes only where its
 * plan says. */
static void
test_confined(void **state)
{
	char p[256], buf[16];
	struct stat st;
	int fd;

	(void)state;
	if (abi < 1)
		skip();
	assert_int_equal(mkdir(at(p, sizeof(p), "state"), 0755), 0);
	assert_int_equal(mkdir(at(p, sizeof(p), "anchor"), 0755), 0);
	assert_int_equal(mkdir(at(p, sizeof(p), "out"), 0755), 0);
	assert_true((fd = open(at(p, sizeof(p), "out/kept"), O_WRONLY |
	    O_CREAT | O_CLOEXEC, 0644)) != -1);
	assert_int_equal(write(fd, "kept\n", 5), 5);
	close(fd);
	in_child(child_confined);
	/* nothing elsewhere changed */
	assert_true((fd = open(at(p, sizeof(p), "out/kept"), O_RDONLY |
	    O_CLOEXEC)) != -1);
	assert_int_equal(read(fd, buf, sizeof(buf)), 5);
	close(fd);
	assert_memory_equal(buf, "kept\n", 5);
	assert_int_equal(lstat(at(p, sizeof(p), "out/new"), &st), -1);
	assert_int_equal(lstat(at(p, sizeof(p), "out/dir"), &st), -1);
	assert_int_equal(lstat(at(p, sizeof(p), "out/link"), &st), -1);
	assert_int_equal(stat(at(p, sizeof(p), "state/new"), &st), 0);
}

/* Landlock's three system calls fail with ENOSYS from here on, in this
 * process and its children: a kernel built without it. */
static int
hide_landlock(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    SYS_landlock_create_ruleset, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_add_rule, 2,
		    0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_landlock_restrict_self,
		    1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1 ? -1 : 0;
}

static int
child_absent(void)
{
	const char *dirs[1];
	char err[AW_ERR_MAX], p[256];
	int bad = 0;

	if (hide_landlock() == -1) {
		fprintf(stderr, "seccomp: %s\n", strerror(errno));
		return 1;
	}
	err[0] = '\0';
	dirs[0] = at(p, sizeof(p), "state");
	if (priv_landlock(dirs, 1, err, sizeof(err)) != 0 || err[0] != '\0') {
		fprintf(stderr, "priv_landlock: not 0: %s\n", err);
		bad = 1;
	}
	if (drop_reading(err, sizeof(err)) == -1) {
		fprintf(stderr, "priv_drop: %s\n", err);
		return 1;
	}
	/* nothing confines it: the files' modes alone decide */
	bad |= allowed(open(at(p, sizeof(p), "out/free"), O_WRONLY | O_CREAT |
	    O_CLOEXEC, 0600), "create elsewhere");
	return bad;
}

/* Without Landlock the plan goes on: no error, nothing confined. */
static void
test_absent(void **state)
{
	char p[256];
	struct stat st;

	(void)state;
	(void)mkdir(at(p, sizeof(p), "state"), 0755);
	(void)mkdir(at(p, sizeof(p), "out"), 0755);
	in_child(child_absent);
	assert_int_equal(stat(at(p, sizeof(p), "out/free"), &st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confined),
		cmocka_unit_test(test_absent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
