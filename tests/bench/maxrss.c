/*
 * maxrss.c: run a command and print, in KiB, the peak resident set size
 * of the largest process of its whole tree: the command and every
 * process it started, whether it waited for them or not.  This process
 * is their subreaper (PR_SET_CHILD_SUBREAPER): a child that outlives its
 * parent is handed to it, and it collects every one before it reads its
 * children's usage.  GNU time reads the usage of the processes the
 * command itself collected, and so misses a child it leaves to end on
 * its own (anchorwatch's root query process, which makes the good copy
 * while the run ends).
 *
 * usage: maxrss COMMAND [ARG ...]   (prints KiB on stderr; exits as the
 * command did)
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	pid_t pid, w;
	int status, rc = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss command [arg ...]\n");
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1) {
		perror("maxrss: PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("maxrss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	/* Every process of the tree, down to the last orphan. */
	while ((w = wait(&status)) != -1 || errno == EINTR)
		if (w == pid)
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
			    WTERMSIG(status);
	if (getrusage(RUSAGE_CHILDREN, &ru) == -1) {
		perror("maxrss: getrusage");
		return 2;
	}
	fprintf(stderr, "%ld\n", ru.ru_maxrss);
	return rc;
}
