/*
 * replay.c: a fuzz target without libFuzzer.  Linked with one
 * tests/fuzz/fuzz_NAME.c and the sanitized library (build-san/), it runs
 * LLVMFuzzerTestOneInput on each file named on its command line, and on
 * each file of each directory named (in name order); with no argument, on
 * its corpus, tests/fuzz/corpus/NAME/ (from the top of the tree, where
 * tests/run.sh runs it).  So `make check` replays every seed and every
 * reproducer of a crash under ASan and UBSan, with gcc or clang.
 *
 * Each input runs in a child process of its own, with a time limit, so
 * that one crash, leak (LeakSanitizer reports at the child's exit) or
 * hang is one failed test and the others still run.  TAP on stdout, one
 * test per input file.
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

/* The child: one input, as libFuzzer gives it (a buffer of exactly its
 * size, so that reading past it is caught). */
static void __attribute__((noreturn))
rp_child(const char *path)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	FILE *f;
	long sz;

	alarm(RP_TIMEOUT);
	if ((f = fopen(path, "rbe")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (sz = ftell(f)) < 0 || (size_t)sz > RP_FILE_MAX) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		exit(2);
	}
	rewind(f);
	if ((buf = malloc(sz > 0 ? (size_t)sz : 1)) == NULL)
		abort();
	n = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	if (n != (size_t)sz) {
		fprintf(stderr, "replay: %s: short read\n", path);
		exit(2);
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	exit(0);
}

int
main(int argc, char *argv[])
{
	struct rp_list l = { NULL, 0, 0 };
	int i, failed = 0, st;
	size_t k;
	pid_t pid;

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
	(void)fuzz_dir();
	printf("1..%zu\n", l.n);
	fflush(stdout);
	for (k = 0; k < l.n; k++) {
		if ((pid = fork()) == -1) {
			perror("fork");
			return 2;
		}
		if (pid == 0)
			rp_child(l.p[k]);
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("ok %zu - %s %s\n", k + 1, FUZZ_NAME, l.p[k]);
		} else {
			failed++;
			printf("not ok %zu - %s %s: %s %d\n", k + 1, FUZZ_NAME,
			    l.p[k], WIFSIGNALED(st) ? "signal" : "exit",
			    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		}
		fflush(stdout);
		free(l.p[k]);
	}
	free(l.p);
	return failed > 0;
}
