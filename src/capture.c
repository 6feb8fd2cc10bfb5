/*
 * capture.c: packets into the traffic counter (traffic.c) from pcap and
 * pcapng files and from a live interface, through libpcap.
 *
 * A file is opened by fileio_fopen (a regular file only: a FIFO or a
 * device swapped in for it is refused, never waited on; a pipe comes as
 * standard input, "-") and checked by libpcap.  For the classic pcap
 * format in a regular file the records are then walked here, in a buffer filled by
 * large pread() calls: libpcap's reader makes two fread() calls and a copy
 * per packet, which is a third of the time of a whole count of a large
 * capture (see tests/bench/traffic.sh).  The walk is the 16-byte record
 * header of the format (tcpdump's pcap-savefile(5)): seconds, microseconds
 * or nanoseconds, captured and original length, in the byte order of the
 * file's magic number.  It reads the size the file had when opened, and a
 * file that shrinks meanwhile ends the walk with a warning (a memory
 * mapping would die of SIGBUS there).  pcapng, pipes and the modified pcap
 * variants stay with libpcap.  Either way a file that ends inside a record
 * is read up to its last whole packet and reported.  A packet whose time
 * is beyond what microseconds in 64 bits hold (a pcapng timestamp with its
 * high bit set) is counted as malformed, as dnstap.c does.
 *
 * A live capture (traffic --interface, check with traffic.interface) asks
 * the kernel for port 53 and IP fragments only (CAP_FILTER: a fragment
 * but the first has no port to match; traffic-frag.c puts them back), so
 * tunnels are read from files alone; it polls against a monotonic
 * deadline, and
 * never blocks past it: no traffic at all is a valid answer.
 *
 * libpcap is loaded here, at the first capture (capture_lib): no other
 * command reads one, and libpcap with the libraries it needs (dbus,
 * systemd, gcrypt, lzma, zstd, lz4, cap, gpg-error) made every start of
 * `check` 1.4 ms slower (tests/bench/check-vs-unbound-anchor.sh).
 */
#include <fstrm.h>
#include <pcap/pcap.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "anchorwatch.h"

#define CAP_MAGIC_US 0xa1b2c3d4u
#define CAP_MAGIC_NS 0xa1b23c4du
#define CAP_SNAP_MAX 262144u	/* libpcap's largest snapshot length */
#define CAP_BUF ((size_t)1 << 20)	/* the buffer; > a record */
#define CAP_READ ((size_t)128 << 10)	/* read at a time: what the kernel
					 * copies stays in the caches until
					 * it is walked */
#define CAP_DROP ((size_t)4 << 20)	/* mapped: walked pages given back
					 * by this much, so that the walk
					 * of a large file stays small */
#define CAP_FILTER "port 53 or (ip[6:2] & 0x3fff != 0) or " \
	"(ip6 and ip6[6] == 44)"

#ifndef AW_PCAP_SONAME
#define AW_PCAP_SONAME "libpcap.so.0.8"	/* Debian's; the Makefile finds it */
#endif

/* The functions of libpcap used here, as X(name without "pcap_"). */
#define CAP_FUNCS \
	X(open_offline) X(fopen_offline) X(file) X(datalink) X(next_ex) \
	X(geterr) X(close) X(create) X(set_snaplen) X(set_promisc) \
	X(set_immediate_mode) X(activate) X(setnonblock) X(compile) \
	X(setfilter) X(freecode) X(get_selectable_fd) X(dispatch)

/* libpcap's functions, once capture_lib has loaded it. */
static struct {
	void *h;
#define X(f) __typeof__(pcap_##f) *f;
	CAP_FUNCS
#undef X
} lib;

/* Load libpcap (AW_PCAP_SONAME) into lib, once; the main thread only.
 * 0, or -1 with err. */
static int
capture_lib(char *err, size_t errlen)
{
	void *h;

	if (lib.h != NULL)
		return 0;
	if ((h = dlopen(AW_PCAP_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(err, errlen, "cannot load libpcap: %s", dlerror());
		return -1;
	}
	/* As dlsym(3) shows it: a function pointer through void *. */
#define X(f) \
	if ((*(void **)&lib.f = dlsym(h, "pcap_" #f)) == NULL) { \
		snprintf(err, errlen, "%s: no pcap_" #f, AW_PCAP_SONAME); \
		dlclose(h); \
		return -1; \
	}
	CAP_FUNCS
#undef X
	lib.h = h;
	return 0;
}

/* The classic pcap file being walked: b[lo..hi) read and not yet walked,
 * pos the offset of b[hi] in the file, size the file's size when opened. */
struct cap_in {
	int fd;
	uint8_t *b;
	size_t lo, hi;
	off_t pos, size;
	int err;		/* errno of a failed read, or 0 */
	int mapped;		/* b maps the whole file (capture_walk_map) */
	size_t dropped;		/* mapped: b[0..dropped) given back */
};

static uint32_t
cap_rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Microseconds since the epoch of a libpcap time into *us; -1 if beyond
 * int64 (a pcapng timestamp is any 64-bit number) or before 1970. */
static int
capture_us(const struct timeval *tv, int64_t *us)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000 ||
	    tv->tv_sec > INT64_MAX / 1000000 - 1)
		return -1;
	*us = (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
	return 0;
}

/* One packet of libpcap into t: counted as malformed when its time is out
 * of range (capture_us). */
static void
capture_packet(struct traffic *t, int dlt, const struct pcap_pkthdr *h,
    const u_char *data)
{
	int64_t us;

	if (capture_us(&h->ts, &us) == -1) {
		t->packets++, t->malformed++;
		return;
	}
	traffic_packet(t, dlt, data, h->caplen, h->len, us);
}

/* At least need bytes in in->b[lo..hi), read up to the file's size when
 * opened; returns 0, or -1 when the file ends first (in->err: why, if a
 * read failed). */
static int
capture_refill(struct cap_in *in, size_t need)
{
	ssize_t n;

	if (in->mapped)
		return -1;	/* all of it is there */
	memmove(in->b, in->b + in->lo, in->hi - in->lo);
	in->hi -= in->lo;
	in->lo = 0;
	while (in->hi < need && in->pos < in->size) {
		size_t want = CAP_BUF - in->hi;

		if (want > CAP_READ)
			want = CAP_READ;

		if ((off_t)want > in->size - in->pos)
			want = (size_t)(in->size - in->pos);
		if ((n = pread(in->fd, in->b + in->hi, want, in->pos)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0) {
			in->err = n == -1 ? errno : 0;
			break;
		}
		in->hi += (size_t)n;
		in->pos += n;
	}
	return in->hi >= need ? 0 : -1;
}

/* capture_refill only when the buffer holds too little: inline, as it is
 * asked twice a packet. */
static inline int
capture_fill(struct cap_in *in, size_t need)
{
	return in->hi - in->lo >= need ? 0 : capture_refill(in, need);
}

/* Why the walk of in ended inside a record, into err. */
static void
capture_why(const struct cap_in *in, const char *what, char *err,
    size_t errlen)
{
	if (in->err != 0)
		snprintf(err, errlen, "%s", strerror(in->err));
	else if (in->pos < in->size)
		snprintf(err, errlen, "the file shrank to %lld bytes while "
		    "being read (it had %lld)", (long long)in->pos,
		    (long long)in->size);
	else
		snprintf(err, errlen, "%s", what);
}

static const uint8_t cap_zero[16];

/* The mapping being walked, for capture_sigbus (NULL when none), and
 * whether a page of it had to be replaced. */
static uint8_t *volatile cap_map;
static volatile size_t cap_maplen, cap_page;
static volatile sig_atomic_t cap_cut;

/* Mapped: 1 if the file is now shorter than it was when mapped (its
 * size then in->pos), 0 if not. */
static int
capture_shrunk(struct cap_in *in)
{
	struct stat st;

	if (fstat(in->fd, &st) == -1 || st.st_size >= in->size)
		return 0;
	in->pos = st.st_size;
	return 1;
}

/* Walk the records of the classic pcap file in, from its first record.
 * Returns 0, or -1 with the reason in err when it ends inside a record
 * or shrinks. */
static int
capture_walk(struct traffic *t, int dlt, struct cap_in *in, int swap,
    int ns, char *err, size_t errlen)
{
	char what[96];

	for (;;) {
		const uint8_t *r;
		uint32_t caplen;
		int64_t ts;

		if (capture_fill(in, 16) == -1) {
			if (in->hi == in->lo && in->err == 0 &&
			    in->pos == in->size)
				return 0;
			capture_why(in, "truncated record header", err,
			    errlen);
			return -1;
		}
		r = in->b + in->lo;
		/* Mapped, the bytes past a new end of the file read as zeros
		 * up to the end of its page (then SIGBUS): a zero header is
		 * checked against the file's size. */
		if (in->mapped && memcmp(r, cap_zero, 16) == 0 &&
		    capture_shrunk(in)) {
			capture_why(in, "", err, errlen);
			return -1;
		}
		caplen = cap_rd32(r + 8, swap);
		if (caplen > CAP_SNAP_MAX) {
			snprintf(err, errlen, "record of %u bytes, larger than"
			    " any snapshot length", caplen);
			return -1;
		}
		if (capture_fill(in, 16 + (size_t)caplen) == -1) {
			snprintf(what, sizeof(what), "truncated dump file; "
			    "tried to read %u captured bytes, only got %zu",
			    caplen, in->hi - in->lo - 16);
			capture_why(in, what, err, errlen);
			return -1;
		}
		r = in->b + in->lo;
		ts = (int64_t)cap_rd32(r, swap) * 1000000 +
		    (ns ? cap_rd32(r + 4, swap) / 1000 : cap_rd32(r + 4, swap));
		traffic_packet(t, dlt, r + 16, caplen, cap_rd32(r + 12, swap),
		    ts);
		if (in->mapped) {
			if (cap_cut) {
				/* shrank, else a page that could not be read */
				if (!capture_shrunk(in))
					in->err = EIO;
				capture_why(in, "", err, errlen);
				return -1;
			}
			if (in->lo - in->dropped >= 2 * CAP_DROP) {
				(void)madvise(in->b + in->dropped, CAP_DROP,
				    MADV_DONTNEED);
				in->dropped += CAP_DROP;
			}
		}
		in->lo += 16 + (size_t)caplen;
	}
}

/*
 * SIGBUS in the mapping: a page past the file's end, which shrank under
 * the walk, or one that could not be read (an I/O error).  The page is
 * replaced with a page of zeros and the load that faulted is done again:
 * the packet being parsed reads zeros there, and capture_walk stops
 * after it (cap_cut).  No jump out of the parser, which may be half way
 * through a change of the table or of a TCP stream.  Anywhere else, or if
 * the page cannot be replaced: the default, a crash as without this
 * handler.  (mmap(2) is a system call, safe in a handler on Linux.)
 */
static void
capture_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uint8_t *a = si->si_addr, *m = cap_map;
	size_t pg = cap_page;
	void *at = (void *)((uintptr_t)a & ~(uintptr_t)(pg - 1));

	(void)ctx;
	if (m != NULL && a >= m && a < m + cap_maplen && mmap(at, pg,
	    PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    MAP_FAILED) {
		cap_cut = 1;
		return;
	}
	signal(sig, SIG_DFL);	/* the fault comes again, and kills */
}

/*
 * Walk in's file through a read-only mapping of its size when opened:
 * no copy by read(2) (a tenth of the time of a walk of a large capture),
 * walked pages given back as it goes.  A file cut meanwhile is read up to
 * the cut, as capture_walk says; the packet the cut went through may be
 * read with zeros where its bytes went (capture_sigbus).  -2 when it
 * cannot be mapped (then read), else as capture_walk.
 */
static int
capture_walk_map(struct traffic *t, int dlt, struct cap_in *in, int swap,
    int ns, char *err, size_t errlen)
{
	struct sigaction sa, old;
	uint8_t *m;
	int rc;

	if ((unsigned long long)in->size > SIZE_MAX || (m = mmap(NULL,
	    (size_t)in->size, PROT_READ, MAP_PRIVATE, in->fd, 0)) ==
	    MAP_FAILED)
		return -2;
	(void)madvise(m, (size_t)in->size, MADV_SEQUENTIAL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = capture_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	cap_cut = 0;
	cap_page = (size_t)sysconf(_SC_PAGESIZE);
	cap_maplen = (size_t)in->size;
	cap_map = m;
	(void)sigaction(SIGBUS, &sa, &old);
	in->mapped = 1;
	in->b = m;
	in->lo = 24;
	in->hi = (size_t)in->size;
	in->pos = in->size;
	rc = capture_walk(t, dlt, in, swap, ns, err, errlen);
	(void)sigaction(SIGBUS, &old, NULL);
	cap_map = NULL;
	in->mapped = 0;
	(void)munmap(m, (size_t)in->size);
	return rc;
}

/* The classic pcap file libpcap opened as pc, walked here (capture_walk):
 * 1 walked (0, or -1 with err), or 0 if it is not one to walk here (then
 * libpcap reads it): not a regular file, another format, or too small. */
static int
capture_walk_file(struct traffic *t, pcap_t *pc, int dlt, int *rc,
    char *err, size_t errlen)
{
	FILE *fp = lib.file(pc);
	struct cap_in in = { .fd = -1 };
	struct stat st;
	uint32_t magic;
	int swap, ns;

	if (fp == NULL || (in.fd = fileno(fp)) == -1 || fstat(in.fd, &st) ==
	    -1 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
	    pread(in.fd, &magic, 4, 0) != 4 || (magic != CAP_MAGIC_US &&
	    magic != CAP_MAGIC_NS && magic != __builtin_bswap32(CAP_MAGIC_US)
	    && magic != __builtin_bswap32(CAP_MAGIC_NS)))
		return 0;
	(void)posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	swap = magic != CAP_MAGIC_US && magic != CAP_MAGIC_NS;
	ns = cap_rd32((const uint8_t *)&magic, swap) == CAP_MAGIC_NS;
	in.size = st.st_size;
	if ((*rc = capture_walk_map(t, dlt, &in, swap, ns, err, errlen)) !=
	    -2)
		return 1;
	in.b = xcalloc(1, CAP_BUF);
	in.lo = in.hi = 0;
	in.pos = 24;
	*rc = capture_walk(t, dlt, &in, swap, ns, err, errlen);
	free(in.b);
	return 1;
}

/* A classic pcap shorter than its 24-byte
 * header, a pcapng file ending inside its section header block or the
 * block after it (libpcap reads the first interface when it opens), or a
 * dnstap file ending inside its START frame (dnstap.c's test wants it
 * whole), which libpcap or fstrm would refuse. */
const char *
capture_cut_header(const char *path)
{
	uint8_t h[12], b[8];
	uint32_t w, len, len2;
	struct stat st;
	const char *kind = NULL;
	ssize_t n;
	int fd, swap;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (n = pread(fd, h, sizeof(h), 0)) < 4)
		goto done;
	w = cap_rd32(h, 0);
	if (w == CAP_MAGIC_US || w == CAP_MAGIC_NS ||
	    w == __builtin_bswap32(CAP_MAGIC_US) ||
	    w == __builtin_bswap32(CAP_MAGIC_NS)) {
		kind = st.st_size < 24 ? "pcap" : NULL;
	} else if (w == 0x0a0d0d0au) {
		kind = "pcapng";
		if (n < 12)
			goto done;
		/* the byte-order magic says how to read the lengths */
		if (cap_rd32(h + 8, 0) != 0x1a2b3c4du &&
		    cap_rd32(h + 8, 1) != 0x1a2b3c4du) {
			kind = NULL;
			goto done;
		}
		swap = cap_rd32(h + 8, 0) != 0x1a2b3c4du;
		len = cap_rd32(h + 4, swap);
		if (st.st_size >= (off_t)len + 8) {
			if (pread(fd, b, 8, len) != 8 ||
			    (len2 = cap_rd32(b + 4, swap)) < 12 ||
			    st.st_size >= (off_t)len + len2)
				kind = NULL;
		}
	} else if (w == 0) {
		/* escape, START control frame length, type 2 */
		len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
		    (uint32_t)h[6] << 8 | h[7];
		kind = "dnstap";
		if ((n >= 8 && (len < 4 ||
		    len > FSTRM_CONTROL_FRAME_LENGTH_MAX)) || (n >= 12 &&
		    memcmp(h + 8, "\0\0\0\2", 4) != 0) ||
		    (n >= 8 && st.st_size >= (off_t)len + 8))
			kind = NULL;
	}
done:
	close(fd);
	return kind;
}

int
capture_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE], why[160];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	FILE *fp;
	int dlt, rc;

	err[0] = '\0';
	if (capture_lib(err, errlen) == -1)
		return -1;
	/* "-" is standard input, as libpcap takes it; a file is a regular
	 * one only: a FIFO would block in open(2) for ever. */
	if (strcmp(path, "-") == 0)
		pc = lib.open_offline(path, ebuf);
	else if ((fp = fileio_fopen(path, err, errlen)) == NULL)
		return -1;
	else if ((pc = lib.fopen_offline(fp, ebuf)) == NULL)
		fclose(fp);
	if (pc == NULL) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	dlt = lib.datalink(pc);
	if (!capture_walk_file(t, pc, dlt, &rc, why, sizeof(why))) {
		while ((rc = lib.next_ex(pc, &h, &data)) == 1)
			capture_packet(t, dlt, h, data);
		if (rc == PCAP_ERROR)
			snprintf(why, sizeof(why), "%s", lib.geterr(pc));
	}
	traffic_flush(t);
	if (rc == -1 || rc == PCAP_ERROR) {
		t->truncated = 1;
		snprintf(err, errlen, "%s: %s (read up to the last whole "
		    "packet)", path, why);
	}
	lib.close(pc);
	return 0;
}

static void
capture_live_packet(u_char *arg, const struct pcap_pkthdr *h,
    const u_char *data)
{
	struct traffic *t = (struct traffic *)arg;

	capture_packet(t, t->live_dlt, h, data);
}

/* Milliseconds from now to the deadline at, never negative. */
static int
capture_left_ms(const struct timespec *at)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(at->tv_sec - now.tv_sec) * 1000 +
	    (at->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* An activated, non-blocking capture of DNS on iface, or NULL. */
static pcap_t *
capture_open_live(const char *iface, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *pc;

	if ((pc = lib.create(iface, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", iface, ebuf);
		return NULL;
	}
	if (lib.set_snaplen(pc, 65535) != 0 || lib.set_promisc(pc, 0) != 0
	    || lib.set_immediate_mode(pc, 1) != 0 || lib.activate(pc) < 0 ||
	    lib.setnonblock(pc, 1, ebuf) != 0 ||
	    lib.compile(pc, &prog, CAP_FILTER, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s: %s", iface, lib.geterr(pc));
		lib.close(pc);
		return NULL;
	}
	if (lib.setfilter(pc, &prog) != 0) {
		snprintf(err, errlen, "%s: %s", iface, lib.geterr(pc));
		lib.freecode(&prog);
		lib.close(pc);
		return NULL;
	}
	lib.freecode(&prog);
	return pc;
}

int
capture_live(struct traffic *t, const char *iface, unsigned seconds,
    char *err, size_t errlen)
{
	struct timespec at;
	struct pollfd pfd;
	pcap_t *pc;
	int ms, rc = 0;

	err[0] = '\0';
	if (capture_lib(err, errlen) == -1)
		return -1;
	if ((pc = capture_open_live(iface, err, errlen)) == NULL)
		return -1;
	t->live_dlt = lib.datalink(pc);
	pfd.fd = lib.get_selectable_fd(pc);
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += seconds;
	while ((ms = capture_left_ms(&at)) > 0) {
		if (poll(&pfd, 1, ms < 100 ? ms : 100) == -1 && errno != EINTR)
			break;
		if (lib.dispatch(pc, -1, capture_live_packet, (u_char *)t) ==
		    PCAP_ERROR) {
			snprintf(err, errlen, "%s: %s", iface, lib.geterr(pc));
			rc = -1;	/* a rate over half a window is wrong */
			break;
		}
	}
	traffic_flush(t);
	lib.close(pc);
	return rc;
}
