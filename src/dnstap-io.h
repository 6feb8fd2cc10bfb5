/*
 * dnstap-io.h: what dnstap.c (Dnstap messages, files) and dnstap-listen.c
 * (the socket) share: a byte stream under an fstrm_reader, and the reader
 * that counts its frames.  dnstap-listen.c calls dnstap.c, never the
 * other way round.
 */
#ifndef DNSTAP_IO_H
#define DNSTAP_IO_H
#include "lazy-fstrm.h"
#include <pthread.h>
#include <stdio.h>

#include "anchorwatch.h"

#define DT_CONTENT_TYPE "protobuf:dnstap.Dnstap"

/* One byte stream under an fstrm_reader: a file or an accepted socket. */
struct dt_io {
	FILE *fp;                 /* a file; else fd, a non-blocking socket */
	int fd;
	int64_t deadline;         /* CLOCK_MONOTONIC ms; -1: none */
	uint64_t pos;             /* bytes read so far */
	int timedout;
	int err;                  /* errno of a failed read, 0 if none */
	uint8_t pre[12];          /* socket: the first frame's head, read */
	size_t npre, preoff;      /* to choose the mode, served again */
};

/* How a stream ended. */
enum dt_end {
	DT_END_STOP,              /* a STOP frame: a clean end */
	DT_END_EOF,               /* end of data between frames, no STOP */
	DT_END_PARTIAL,           /* end of data inside a frame */
	DT_END_BAD,               /* not Frame Streams any more */
	DT_END_IOERR,             /* read error (io->err) */
	DT_END_DEADLINE,          /* our own deadline cut it */
};

/*
 * An fstrm_reader over io that reads with rd and, with wr, does the
 * bidirectional handshake; with content_type, it accepts that type only.
 * NULL if libfstrm refuses.  The caller destroys it; io stays the
 * caller's.
 */
struct fstrm_reader *dnstap_reader(struct dt_io *io, fstrm_rdwr_read_func rd,
    fstrm_rdwr_write_func wr, const char *content_type);
/*
 * Count every data frame of the opened reader r over io; with mu, each
 * under the lock.  last: the time for a query without one (NULL: the
 * clock at receipt).  Returns how the stream ended; *nframes gets how
 * many data frames it had.
 */
enum dt_end dnstap_drain(struct fstrm_reader *r, struct dt_io *io,
    struct traffic *t, pthread_mutex_t *mu, int64_t *last,
    uint64_t *nframes);
/* The wall clock in microseconds (a live stream's receipt times). */
int64_t dnstap_wall_us(void);
#endif
