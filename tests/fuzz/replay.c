/*
 * replay.c: a fuzz target without libFuzzer.  Linked with one
 * tests/fuzz/fuzz_NAME.c and the sanitized library (build-san/), it runs
 * LLVMFuzzerTestOneInput on each file named on its command line, and on
 * each file of each directory named (in name order); with no argument, on
 * its corpus, tests/fuzz/corpus/NAME/ (from the top of the tree, where
 * tests/run.sh runs it).  So `make check` replays every seed and every
 * reproducer of a crash under ASan and UBSan, with gcc or clang.
 *
 * The inputs run one after the other in a child process, each with a
 * time limit (a child per input would spend most of its time in
 * LeakSanitizer's check at exit); a crash, hang or leak is then found
 * again input by input (rp_judge), so that each is one failed test and
 * the others still run.  TAP on stdout, one test per input file.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME: the target's name (the Makefile defines it)"
#endif
#define RP_TIMEOUT 60           /* seconds for one input, sanitized */
#define RP_FILE_MAX (16u << 20) /* no corpus file is larger */

struct rp_list {
	char **p;
	size_t n, cap;
};

static void
rp_add(struct rp_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((l->p = realloc(l->p, l->cap * sizeof(*l->p))) == NULL)
			abort();
	}
	if ((l->p[l->n++] = strdup(path)) == NULL)
		abort();
}

static int
rp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* path, or the files of directory path (not recursive, no dot files),
 * into l.  -1 if it cannot be read. */
static int
rp_collect(struct rp_list *l, const char *path)
{
	char p[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (stat(path, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		rp_add(l, path);
		return 0;
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			rp_add(l, p);
	}
	closedir(d);
	return 0;
}

/* One input, as libFuzzer gives it (a buffer of exactly its size, so
 * that reading past it is caught).  -1 if it cannot be read. */
static int
rp_one(const char *path)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	FILE *f;
	long sz;

	if ((f = fopen(path, "rbe")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (sz = ftell(f)) < 0 || (size_t)sz > RP_FILE_MAX) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	rewind(f);
	if ((buf = malloc(sz > 0 ? (size_t)sz : 1)) == NULL)
		abort();
	n = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	if (n != (size_t)sz) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/*
 * Run the inputs idx[0..n) of l one after the other in a child, each with
 * its time limit; the child sends the position of each one that returns
 * through a pipe, and LeakSanitizer checks them all at its exit.  Returns
 * the child's wait status; *done gets how many returned.
 */
static int
rp_batch(const struct rp_list *l, const size_t *idx, size_t n, size_t *done)
{
	size_t i, got = 0;
	int p[2], st;
	ssize_t r;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		perror("replay: fork");
		exit(2);
	}
	if (pid == 0) {
		close(p[0]);
		for (i = 0; i < n; i++) {
			alarm(RP_TIMEOUT);
			if (rp_one(l->p[idx[i]]) == -1)
				exit(2);
			if (write(p[1], &i, sizeof(i)) != sizeof(i))
				abort();
		}
		alarm(0);
		exit(0);
	}
	close(p[1]);
	while ((r = read(p[0], &i, sizeof(i))) == sizeof(i) ||
	    (r == -1 && errno == EINTR))
		if (r > 0)
			got = i + 1;
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	*done = got;
	return st;
}

/*
 * Judge the inputs idx[0..n) into res (1 passed, -1 failed; status[] the
 * failed one's wait status): in one child if all pass; when one crashes or
 * hangs, it failed, and those before and after it run again (so that a
 * leak of theirs is still found); when only the exit fails (a leak), each
 * runs alone to say whose it is.
 */
static void
rp_judge(const struct rp_list *l, const size_t *idx, size_t n, int *res,
    int *status)
{
	size_t done, i;
	int st;

	if (n == 0)
		return;
	st = rp_batch(l, idx, n, &done);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		for (i = 0; i < n; i++)
			res[idx[i]] = 1;
	} else if (n == 1) {
		res[idx[0]] = -1;
		status[idx[0]] = st;
	} else if (done < n) {
		res[idx[done]] = -1;
		status[idx[done]] = st;
		rp_judge(l, idx, done, res, status);
		rp_judge(l, idx + done + 1, n - done - 1, res, status);
	} else {
		for (i = 0; i < n; i++)
			rp_judge(l, idx + i, 1, res, status);
	}
}

int
main(int argc, char *argv[])
{
	struct rp_list l = { NULL, 0, 0 };
	int i, failed = 0, *res, *status;
	size_t k, *idx;

	if (argc < 2) {
		if (rp_collect(&l, "tests/fuzz/corpus/" FUZZ_NAME) == -1) {
			printf("1..1\nnot ok 1 - %s: no corpus at "
			    "tests/fuzz/corpus/%s\n", FUZZ_NAME, FUZZ_NAME);
			return 1;
		}
	}
	for (i = 1; i < argc; i++)
		if (rp_collect(&l, argv[i]) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			return 2;
		}
	qsort(l.p, l.n, sizeof(*l.p), rp_cmp);
	idx = calloc(l.n + 1, sizeof(*idx));
	res = calloc(l.n + 1, sizeof(*res));
	status = calloc(l.n + 1, sizeof(*status));
	if (idx == NULL || res == NULL || status == NULL)
		abort();
	for (k = 0; k < l.n; k++)
		idx[k] = k;
	(void)fuzz_dir();
	rp_judge(&l, idx, l.n, res, status);
	printf("1..%zu\n", l.n);
	for (k = 0; k < l.n; k++) {
		if (res[k] == 1) {
			printf("ok %zu - %s %s\n", k + 1, FUZZ_NAME, l.p[k]);
		} else {
			failed++;
			printf("not ok %zu - %s %s: %s %d\n", k + 1, FUZZ_NAME,
			    l.p[k], WIFSIGNALED(status[k]) ? "signal" : "exit",
			    WIFSIGNALED(status[k]) ? WTERMSIG(status[k]) :
			    WEXITSTATUS(status[k]));
		}
		free(l.p[k]);
	}
	free(l.p);
	free(idx);
	free(res);
	free(status);
	return failed > 0;
}
