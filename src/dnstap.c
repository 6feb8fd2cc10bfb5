/*
 * dnstap.c: DNS queries from dnstap (https://dnstap.info) for anchorwatch
 * traffic: Dnstap messages, the Frame Streams reader that counts them, and
 * Frame Streams files.  A resolver's live stream on a unix socket is
 * dnstap-listen.c's.
 *
 * A capture on the wire does not show what a resolver asks over TLS, from
 * a host we cannot tap, or through a NAT; dnstap does, straight from the
 * daemon.  Each Frame Streams data frame holds one protobuf Dnstap message
 * (src/dnstap.proto, the fields we read of the official schema), decoded
 * with protobuf-c; the Frame Streams framing is libfstrm's, over byte
 * streams of ours (here a stdio file; dnstap-listen.c's socket streams,
 * read through the same dnstap_reader and dnstap_drain).  The DNS message
 * itself goes to traffic_message(), which counts root DNSKEY queries and
 * RFC 8145 key tag signals (sections 4 and 5) per source.
 *
 * Per data frame: t->packets; an undecodable frame is t->malformed, and so
 * is a frame broken off (a file cut inside it, a writer gone in the middle
 * of it; not our own deadline), counted as a packet too.  A
 * Message of a *_QUERY type with a query_message is counted for the address
 * that sent it, query_address (4 bytes: IPv4, kept v4-mapped; 16: IPv6; any
 * other length: malformed), at query_time; *_RESPONSE types are
 * t->responses; anything else (other Dnstap types, unknown Message types, a
 * query without query_message) is t->other.
 *
 * What the daemons put in query_address of a RESOLVER_QUERY (measured on
 * loopback, tests/integration/t-dnstap.sh): unbound 1.17 and named 9.18
 * both send the local address their outgoing socket is bound to, 4 bytes
 * for IPv4, with the real source port in query_port and the server asked
 * in response_address.  By default both bind the wildcard, so the address
 * is 0.0.0.0 (:: for IPv6): the resolver's real address appears only with
 * unbound's outgoing-interface or BIND's query-source address set.  The
 * address is counted as sent: 0.0.0.0 then stands for "the resolver that
 * wrote this stream".  A Message without query_address (no daemon we know
 * sends one) is counted for "::", the same meaning.  A missing query_time
 * is the time the frame arrived (socket), or the last time seen before it
 * in the file (its modification time before the first).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dnstap-io.h"
#include "lazy-protobuf.h"
#include "dnstap.pb-c.h"

#define DT_FRAME_MAX (256 * 1024)  /* two 64 KiB DNS messages and more */

/* protobuf-c allocations: out of memory is fatal, as everywhere else. */
static void *
dt_alloc(void *ud, size_t n)
{
	void *p = malloc(n ? n : 1);

	(void)ud;
	if (p == NULL)
		fatalx("out of memory");
	return p;
}

static void
dt_free(void *ud, void *p)
{
	(void)ud;
	free(p);
}

static ProtobufCAllocator dt_allocator = { dt_alloc, dt_free, NULL };

int64_t
dnstap_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
is_query_type(Dnstap__Message__Type ty)
{
	switch (ty) {
	case DNSTAP__MESSAGE__TYPE__AUTH_QUERY:
	case DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY:
	case DNSTAP__MESSAGE__TYPE__CLIENT_QUERY:
	case DNSTAP__MESSAGE__TYPE__FORWARDER_QUERY:
	case DNSTAP__MESSAGE__TYPE__STUB_QUERY:
	case DNSTAP__MESSAGE__TYPE__TOOL_QUERY:
	case DNSTAP__MESSAGE__TYPE__UPDATE_QUERY:
		return 1;
	default:
		return 0;
	}
}

static int
is_response_type(Dnstap__Message__Type ty)
{
	switch (ty) {
	case DNSTAP__MESSAGE__TYPE__AUTH_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__RESOLVER_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__CLIENT_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__FORWARDER_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__STUB_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__TOOL_RESPONSE:
	case DNSTAP__MESSAGE__TYPE__UPDATE_RESPONSE:
		return 1;
	default:
		return 0;
	}
}

/*
 * The sender of a query Message into addr (IPv4 v4-mapped).  -1 if
 * query_address has a length no address has.  Absent: "::"; the wildcard
 * address the daemons send by default is kept (see the top of the file).
 */
static int
dnstap_source(const Dnstap__Message *m, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (!m->has_query_address)
		return 0;
	if (m->query_address.len == 4) {
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, m->query_address.data, 4);
		return 0;
	}
	if (m->query_address.len == 16) {
		memcpy(addr, m->query_address.data, 16);
		return 0;
	}
	return -1;
}

/* query_time of m in microseconds into *us, or fallback if absent.  -1 if
 * out of range (nanoseconds of a second or more, seconds beyond int64). */
static int
dnstap_time(const Dnstap__Message *m, int64_t fallback, int64_t *us)
{
	if (!m->has_query_time_sec) {
		*us = fallback;
		return 0;
	}
	if (m->query_time_sec > (uint64_t)(INT64_MAX / 1000000 - 1) ||
	    (m->has_query_time_nsec && m->query_time_nsec >= 1000000000u))
		return -1;
	*us = (int64_t)m->query_time_sec * 1000000;
	if (m->has_query_time_nsec)
		*us += m->query_time_nsec / 1000;
	return 0;
}

/* Count one Message; *last gets its time when it has one. */
static void
dnstap_message(struct traffic *t, const Dnstap__Message *m, int64_t *last)
{
	uint8_t addr[16];
	int64_t us;

	if (is_response_type(m->type)) {
		t->responses++;
		return;
	}
	if (!is_query_type(m->type) || !m->has_query_message) {
		t->other++;
		return;
	}
	if (dnstap_source(m, addr) == -1 || dnstap_time(m, *last, &us) == -1) {
		t->malformed++;
		return;
	}
	if (m->has_query_time_sec)
		*last = us;
	if (t->since_us != 0 && us < t->since_us) {
		t->old++;
		return;
	}
	traffic_message(t, addr, m->query_message.data,
	    m->query_message.len, us);
}

/* Count one data frame (untrusted).  *last: see dnstap_message(). */
static void
dnstap_frame(struct traffic *t, const uint8_t *p, size_t len, int64_t *last)
{
	Dnstap__Dnstap *d;

	t->packets++;
	if ((d = dnstap__dnstap__unpack(&dt_allocator, len, p)) == NULL) {
		t->malformed++;
		return;
	}
	if (d->type == DNSTAP__DNSTAP__TYPE__MESSAGE && d->message != NULL)
		dnstap_message(t, d->message, last);
	else
		t->other++;
	dnstap__dnstap__free_unpacked(d, &dt_allocator);
}

/* ---- byte streams for libfstrm -------------------------------------- */

static fstrm_res
dt_op_nop(void *obj)
{
	(void)obj;
	return fstrm_res_success;
}

/* fread count bytes: stop at the end of the file, even inside the
 * request (io->pos then tells where it ended). */
static fstrm_res
dt_read_file(void *obj, void *data, size_t count)
{
	struct dt_io *io = obj;
	size_t n = fread(data, 1, count, io->fp);

	io->pos += n;
	if (n == count)
		return fstrm_res_success;
	if (ferror(io->fp)) {
		io->err = errno ? errno : EIO;
		return fstrm_res_failure;
	}
	return fstrm_res_stop;
}


/* As dnstap-io.h says. */
struct fstrm_reader *
dnstap_reader(struct dt_io *io, fstrm_rdwr_read_func rd,
    fstrm_rdwr_write_func wr, const char *content_type)
{
	struct fstrm_reader_options *ro;
	struct fstrm_reader *r;
	struct fstrm_rdwr *rw;

	if ((rw = fstrm_rdwr_init(io)) == NULL ||
	    (ro = fstrm_reader_options_init()) == NULL)
		fatalx("out of memory");
	fstrm_rdwr_set_open(rw, dt_op_nop);
	fstrm_rdwr_set_close(rw, dt_op_nop);
	fstrm_rdwr_set_read(rw, rd);
	if (content_type != NULL)
		fstrm_reader_options_add_content_type(ro, content_type,
		    strlen(content_type));
	/* With a write method, libfstrm's reader does the handshake. */
	if (wr != NULL)
		fstrm_rdwr_set_write(rw, wr);
	fstrm_reader_options_set_max_frame_size(ro, DT_FRAME_MAX);
	r = fstrm_reader_init(ro, &rw);
	fstrm_reader_options_destroy(&ro);
	fstrm_rdwr_destroy(&rw);	/* NULL when the reader took it */
	return r;
}

/* Why the stream of r over io ended, after res from fstrm_reader_read;
 * boundary is io->pos after the last whole frame. */
static enum dt_end
dt_end(struct fstrm_reader *r, const struct dt_io *io, fstrm_res res,
    uint64_t boundary)
{
	const struct fstrm_control *stop = NULL;

	if (res == fstrm_res_stop) {
		if (fstrm_reader_get_control(r, FSTRM_CONTROL_STOP, &stop) ==
		    fstrm_res_success && stop != NULL)
			return DT_END_STOP;
		return io->pos == boundary ? DT_END_EOF : DT_END_PARTIAL;
	}
	if (io->timedout)
		return DT_END_DEADLINE;
	return io->err ? DT_END_IOERR : DT_END_BAD;
}

/* As dnstap-io.h says. */
enum dt_end
dnstap_drain(struct fstrm_reader *r, struct dt_io *io, struct traffic *t,
    pthread_mutex_t *mu, int64_t *last, uint64_t *nframes)
{
	uint64_t boundary = io->pos;
	const uint8_t *p;
	size_t len;
	fstrm_res res;
	int64_t now;

	*nframes = 0;
	for (;;) {
		/* libfstrm 0.6.1 answers a frame longer than the maximum
		 * with success and the previous frame: p stays NULL then. */
		p = NULL;
		if ((res = fstrm_reader_read(r, &p, &len)) != fstrm_res_success)
			break;
		if (p == NULL) {
			res = fstrm_res_failure;
			break;
		}
		if (last == NULL)
			now = dnstap_wall_us();
		if (mu != NULL)
			pthread_mutex_lock(mu);
		dnstap_frame(t, p, len, last != NULL ? last : &now);
		if (mu != NULL)
			pthread_mutex_unlock(mu);
		boundary = io->pos;
		(*nframes)++;
	}
	return dt_end(r, io, res, boundary);
}

/* ---- files ---------------------------------------------------------- */

int
is_dnstap_file(const char *path)
{
	uint8_t h[12];
	char why[AW_ERR_MAX];
	uint32_t clen;
	FILE *fp;
	size_t n;

	if ((fp = fileio_fopen(path, why, sizeof(why))) == NULL)
		return 0;
	n = fread(h, 1, sizeof(h), fp);
	fclose(fp);
	if (n != sizeof(h))
		return 0;
	/* Escape (a zero length), control frame length, type START (2). */
	clen = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
	    (uint32_t)h[6] << 8 | h[7];
	return memcmp(h, "\0\0\0\0", 4) == 0 && clen >= 4 &&
	    clen <= FSTRM_CONTROL_FRAME_LENGTH_MAX &&
	    memcmp(h + 8, "\0\0\0\2", 4) == 0;
}

/* 0 if the START frame of r names our content type or none; -1 with
 * "PATH: ..." in err otherwise. */
static int
dt_check_type(struct fstrm_reader *r, const char *path, char *err,
    size_t errlen)
{
	const struct fstrm_control *start = NULL;
	const uint8_t *ct;
	char shown[64];
	size_t n = 0, i, len;

	if (fstrm_reader_get_control(r, FSTRM_CONTROL_START, &start) !=
	    fstrm_res_success || start == NULL ||
	    fstrm_control_get_num_field_content_type(start, &n) !=
	    fstrm_res_success)
		goto bad;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (fstrm_control_get_field_content_type(start, i, &ct,
		    &len) != fstrm_res_success)
			goto bad;
		if (len == strlen(DT_CONTENT_TYPE) &&
		    memcmp(ct, DT_CONTENT_TYPE, len) == 0)
			return 0;
	}
	/* Show the first one, made printable. */
	fstrm_control_get_field_content_type(start, 0, &ct, &len);
	for (i = 0; i < len && i < sizeof(shown) - 1; i++)
		shown[i] = ct[i] >= 0x20 && ct[i] < 0x7f ? (char)ct[i] : '?';
	shown[i] = '\0';
	snprintf(err, errlen, "%s: Frame Streams content type \"%s\", not "
	    "%s", path, shown, DT_CONTENT_TYPE);
	return -1;
bad:
	snprintf(err, errlen, "%s: no Frame Streams START frame", path);
	return -1;
}

/* The warning for a file whose stream ended with e, or none. */
static void
dt_file_warning(struct traffic *t, enum dt_end e, const struct dt_io *io,
    uint64_t nframes, const char *path, char *err, size_t errlen)
{
	const char *why;

	switch (e) {
	case DT_END_STOP:
		return;
	case DT_END_EOF:
		why = "ends without a STOP frame (still being written, or cut "
		    "between frames)";
		break;
	case DT_END_PARTIAL:
		why = "truncated inside a frame";
		t->packets++, t->malformed++;	/* the broken frame */
		break;
	case DT_END_IOERR:
		why = strerror(io->err);
		break;
	default:
		why = "undecodable Frame Streams data";
		t->packets++, t->malformed++;
		break;
	}
	t->truncated = 1;
	snprintf(err, errlen, "%s: %s after %llu frames (read up to the last "
	    "whole frame)", path, why, (unsigned long long)nframes);
}

int
dnstap_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen)
{
	struct dt_io io = { .fd = -1, .deadline = -1 };
	struct fstrm_reader *r = NULL;
	struct stat st;
	enum dt_end e;
	uint64_t nframes;
	int64_t last;
	int rc = -1;

	err[0] = '\0';
	/* A regular file only: a FIFO would block in open(2) for ever. */
	if ((io.fp = fileio_fopen(path, err, errlen)) == NULL)
		goto done;
	if (fstat(fileno(io.fp), &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if ((r = dnstap_reader(&io, dt_read_file, NULL, NULL)) == NULL)
		fatalx("out of memory");
	if (fstrm_reader_open(r) != fstrm_res_success) {
		snprintf(err, errlen, "%s: not a Frame Streams file", path);
		goto done;
	}
	if (dt_check_type(r, path, err, errlen) == -1)
		goto done;
	last = (int64_t)st.st_mtim.tv_sec * 1000000 +
	    st.st_mtim.tv_nsec / 1000;
	e = dnstap_drain(r, &io, t, NULL, &last, &nframes);
	traffic_flush(t);
	dt_file_warning(t, e, &io, nframes, path, err, errlen);
	rc = 0;
done:
	fstrm_reader_destroy(&r);
	if (io.fp != NULL)
		fclose(io.fp);
	return rc;
}
