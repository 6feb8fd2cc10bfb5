/*
 * fsync-count.h: every fsync(2) of the code under test counted in fsyncs,
 * then done.  The definition here takes the place of libc's for the whole
 * test program (test_fileio, test_state), so include it in one file only.
 */
#ifndef AW_FSYNC_COUNT_H
#define AW_FSYNC_COUNT_H

#include <sys/syscall.h>
#include <unistd.h>

static int fsyncs;

int fsync(int fd);

int
fsync(int fd)
{
	fsyncs++;
	return (int)syscall(SYS_fsync, fd);
}

#endif /* AW_FSYNC_COUNT_H */
