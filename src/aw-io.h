/*
 * aw-io.h: files and other programs.  fileio.c is the only place that
 * opens files whole: bounded loads that never block, the caps of one
 * resolver's reading, atomic writes and links, the run lock, and the
 * checks on what root writes through (state_dir, owner and mode copied by
 * descriptor); spawn.c runs other programs.  Included by anchorwatch.h,
 * which it needs for AW_* sizes.
 */
#ifndef AW_AW_IO_H
#define AW_AW_IO_H

#include <stdio.h>
#include <sys/stat.h>

/* ---- fileio.c: bounded loads, atomic writes, locks, permissions ------- */

/* Read a whole regular file of at most max bytes; *buf is NUL-terminated
 * and must be freed by the caller. */
int fileio_load(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen);
/* fileio_load of one of anchorwatch's own files (its configuration): one
 * every user may write (mode o+w) is refused, naming it. */
int fileio_load_own(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen);
/* fileio_load of a text file for a parser (AW_FILE_MAX at most): a NUL
 * byte is refused as "FILE:LINE: NUL byte in file". */
int fileio_load_text(const char *path, char **buf, size_t *len, char *err,
    size_t errlen);
/* Next line of buf[0..len) from *pos, without its LF or CRLF, into *l and
 * *n; *pos moves past it.  Returns 1, or 0 at the end. */
int fileio_nextline(const char *buf, size_t len, size_t *pos, const char **l,
    size_t *n);
/* name as a daemon opens it: relative names from dir ("" or an absolute
 * name: as it is), into out.  0, or -1 if it does not fit. */
int fileio_join(const char *dir, const char *name, char *out,
    size_t outlen);
/* Line number (from 1) of offset off in buf. */
unsigned fileio_lineof(const char *buf, size_t off);

/* A text file being read line by line by a reader (anchor-*.c). */
struct textfile {
	const char *path;            /* the caller's string, kept */
	char *buf;                   /* freed by the caller */
	size_t len, pos;
	unsigned line;               /* of the last line returned */
};

/* fileio_load_text of path into f.  0 or -1 with err. */
int fileio_open_text(const char *path, struct textfile *f, char *err,
    size_t errlen);
/* Next line of f (without its end of line) in *l and *n.  Returns 1, 0 at
 * the end, -1 if it is longer than max. */
int fileio_getline(struct textfile *f, size_t max, const char **l,
    size_t *n);
/* Replace path atomically with data, keeping owner and mode of the old
 * file (or mode 0644 if there was none); verify by reading back. */
int fileio_write_atomic(const char *path, const char *data, size_t len,
    char *err, size_t errlen);
/* fileio_write_atomic, but the directory synced only if durable: the
 * content is on disk before the rename, and a crash leaves either the
 * old file or the new one, whole (for a file whose last version may be
 * lost, not its every version). */
int fileio_replace(const char *path, const char *data, size_t len,
    int durable, char *err, size_t errlen);
/* 0 if buf (len bytes, read from path) holds no NUL byte; else -1 with
 * err "path:line: NUL byte in file". */
int fileio_no_nul(const char *path, const char *buf, size_t len, char *err,
    size_t errlen);
/* 1 if no process has pid (or it is no process id): what a process of
 * that pid left behind is nobody's. */
int is_gone(long pid);
/* Remove from dir the temporary names of fileio_replace (.BASE.awPID-N)
 * that a process killed between naming its new file and renaming it
 * left; a live process's stay.  What cannot be removed is said. */
void fileio_sweep_tmp(const char *dir);
/* Append data (len bytes) to path, a regular file of size bytes (not
 * reached through a symbolic link), in one write: no sync, the caller's
 * reader leaves out a last line cut short.  -1 (errno set) when path is
 * not as expected, or the write failed, which leaves its old size. */
int fileio_append(const char *path, const char *data, size_t len,
    size_t size);
/* Replace dst atomically with a hard link to src (same file system):
 * no byte is written, so it works on a full disk; then, if durable, sync
 * the directory.  0 or -1 with err. */
int fileio_link_atomic(const char *src, const char *dst, int durable,
    char *err, size_t errlen);
/* Take an exclusive lock on path (created if needed; a regular file,
 * never reached through a symbolic link), waiting for it if wait, else
 * failing at once when another run holds it.  Returns the descriptor or
 * -1 with err set. */
int fileio_lock(const char *path, int wait, char *err, size_t errlen);
/*
 * Every fileio_load between begin and end counts against a cap: at most
 * maxfiles files and maxbytes bytes in all (what: who reads, for the
 * error, "the configuration of resolver x"; kept, not copied).  A load
 * past either fails naming the cap.  One resolver's reading at a time.
 */
void fileio_cap_begin(size_t maxfiles, size_t maxbytes, const char *what);
/* 1 with why naming the first file read since fileio_cap_begin that every
 * user may write (mode o+w: anyone could change it), else 0. */
int fileio_cap_world(char *why, size_t whylen);
void fileio_cap_end(void);
/*
 * dir (what: "state_dir", ...) is safe for root to write in: a
 * directory, not a symbolic link, owned by root or by the user running
 * anchorwatch, and writable by no one else (group and others).  0, or -1
 * with err naming it and what is wrong.
 */
int fileio_check_dir(const char *dir, const char *what, char *err,
    size_t errlen);
/*
 * Give the file at path (just replaced by another program) owner and
 * mode of old, through a descriptor: a symbolic link or anything but a
 * regular file found there is refused, never followed.  0 or -1 with err.
 */
int fileio_keep_owner(const char *path, const struct stat *old, char *err,
    size_t errlen);
/* fopen(path, "re") of a regular file only, never blocking on a FIFO or a
 * device; NULL with err otherwise. */
FILE *fileio_fopen(const char *path, char *err, size_t errlen);
/*
 * 1 if user (a name; "" or "root" means uid 0) could create and replace
 * path: write permission on its directory and, if it exists, on the file,
 * and the file system is not read-only.  0 with why set otherwise.
 */
int is_writable_by(const char *path, const char *user, char *why,
    size_t whylen);
/*
 * 0 with why set if user (a name) could not read path by the file's mode
 * bits; 1 if it could, and when that cannot be told (user unknown here,
 * uid 0, no such file, an access ACL).  The directories above are not
 * judged: a copy of a tree in a private directory would read as broken.
 */
int is_readable_by(const char *path, const char *user, char *why,
    size_t whylen);

/* The directory part of path (dirname(3): "." for a bare name, "/" for
 * the root) into dir.  -1 when it does not fit. */
int fileio_dirname(const char *path, char *dir, size_t dirlen);

/* ---- spawn.c: another program's output -------------------------------- */

/*
 * Run argv (argv[0] an absolute path, else refused; no shell) with a clean
 * environment, in its own process group, with stdin, and stderr unless
 * merge, on /dev/null, for at most timeout seconds, taking at most max
 * bytes of its output into *out (NUL-terminated, freed by the caller).
 * *status gets its wait status.  Returns 0 when it ran to its end, -1 with
 * err set (then it was not run, or it and its group were killed, and *out
 * is NULL).
 */
int spawn_read(char *const argv[], unsigned timeout, size_t max, int merge,
    char **out, size_t *outlen, int *status, char *err, size_t errlen);
/* A wait status in words: "exited with status 1", "killed by signal 9
 * (Killed)". */
void spawn_status(int status, char *buf, size_t len);
/* From a signal handler: SIGKILL to the group of the program running now,
 * if any (async-signal-safe). */
void spawn_abort(void);
/* Wait for the child pid to end (through EINTR), its status in *status. */
void spawn_reap(pid_t pid, int *status);

#endif /* AW_AW_IO_H */
