/*
 * fuzz.c: the helpers of fuzz.h, linked into every fuzz target.
 *
 * The private directory lives on /dev/shm when there is one (a file
 * written per input should cost a memory copy, not a disk write), else
 * under TMPDIR or /tmp.  replay.c makes it before forking, so that every
 * child writes into the same one and only the parent removes it.
 */
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char fz_dir[256];
static pid_t fz_owner;
static int fz_keep;             /* fuzz_rm: keep the directory itself */

static void __attribute__((noreturn))
fuzz_die(const char *what, const char *path)
{
	fprintf(stderr, "fuzz: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

static int
fuzz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (ftw->level == 0 && fz_keep)
		return 0;
	if (flag == FTW_DP)
		(void)rmdir(path);
	else
		(void)unlink(path);
	return 0;
}

/* Remove the private directory and all that the targets left in it. */
static void
fuzz_cleanup(void)
{
	if (fz_dir[0] == '\0' || getpid() != fz_owner)
		return;
	(void)nftw(fz_dir, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_dir(void)
{
	const char *base = getenv("TMPDIR");
	struct stat st;

	if (fz_dir[0] != '\0')
		return fz_dir;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
	    access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	else if (base == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(fz_dir, sizeof(fz_dir), "%s/aw-fuzz-XXXXXX", base);
	if (mkdtemp(fz_dir) == NULL)
		fuzz_die("mkdtemp", fz_dir);
	fz_owner = getpid();
	atexit(fuzz_cleanup);
	return fz_dir;
}

void
fuzz_clear(void)
{
	fz_keep = 1;
	(void)nftw(fuzz_dir(), fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
	fz_keep = 0;
}

const char *
fuzz_path(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", fuzz_dir(), name);
	return p;
}

const char *
fuzz_file(const char *name, const uint8_t *data, size_t size)
{
	const char *p = fuzz_path(name);
	char dir[512], *slash;
	size_t off = 0, base = strlen(fuzz_dir());
	ssize_t w;
	int fd;

	/* The directories of a name like etc/systemd/resolved.conf. */
	snprintf(dir, sizeof(dir), "%s", p);
	for (slash = dir + base + 1; (slash = strchr(slash, '/')) != NULL;
	    *slash++ = '/') {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			fuzz_die("mkdir", dir);
	}
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
	    -1)
		fuzz_die("open", p);
	while (off < size) {
		if ((w = write(fd, data + off, size - off)) <= 0)
			fuzz_die("write", p);
		off += (size_t)w;
	}
	/* Its times are FUZZ_NOW: what a parser takes from them (dnstap.c
	 * dates queries without a time by the file's) is the same each run. */
	if (futimens(fd, (const struct timespec[2]){ { FUZZ_NOW, 0 },
	    { FUZZ_NOW, 0 } }) == -1)
		fuzz_die("futimens", p);
	if (close(fd) == -1)
		fuzz_die("close", p);
	return p;
}

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

FILE *
fuzz_null(void)
{
	static FILE *null;

	if (null == NULL && (null = fopen("/dev/null", "we")) == NULL)
		fuzz_die("fopen", "/dev/null");
	return null;
}

void
fuzz_report(struct traffic *t)
{
	struct traffic_opts *o = calloc(1, sizeof(*o));

	if (o == NULL)
		abort();
	o->ds_share = 0.05;
	o->top = 20;
	o->seconds = 60;
	o->signers[0].tags[0] = 20326;
	o->signers[0].tags[1] = 38696;
	o->signers[0].n = 2;
	o->nsigners = 1;
	o->signers_by = "trusted-tags";
	traffic_print(t, o, fuzz_null());
	traffic_json(t, o, fuzz_null());
	traffic_csv(t, o, fuzz_null());
	free(o);
}

char *
fuzz_fixture(const char *rel, size_t *len)
{
	char p[1024];
	struct stat st;
	char *b;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", FUZZ_SRCDIR, rel);
	if ((f = fopen(p, "rbe")) == NULL || fstat(fileno(f), &st) == -1)
		fuzz_die("open", p);
	if ((b = malloc((size_t)st.st_size + 1)) == NULL)
		abort();
	if (fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		fuzz_die("read", p);
	fclose(f);
	b[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return b;
}
