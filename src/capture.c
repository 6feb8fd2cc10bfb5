/*
 * capture.c: packets into the traffic counter (traffic.c) from pcap and
 * pcapng files and from a live interface, through libpcap.
 *
 * libpcap opens and checks every file.  For the classic pcap format in a
 * regular file the records are then walked in place in a read-only
 * mapping: libpcap's reader makes two fread() calls and a copy per packet,
 * which is a third of the time of a whole count of a large capture (see
 * tests/bench/traffic.sh).  The walk is the 16-byte record header of the
 * format (tcpdump's pcap-savefile(5)): seconds, microseconds or
 * nanoseconds, captured and original length, in the byte order of the
 * file's magic number.  pcapng, pipes and the modified pcap variants stay
 * with libpcap.  Either way a file that ends inside a record is read up
 * to its last whole packet and reported.
 *
 * A live capture (traffic --interface, check with traffic.interface) asks
 * the kernel for port 53 only, polls against a monotonic deadline, and
 * never blocks past it: no traffic at all is a valid answer.
 */
#include <pcap/pcap.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "anchorwatch.h"

#define CAP_MAGIC_US 0xa1b2c3d4u
#define CAP_MAGIC_NS 0xa1b23c4du
#define CAP_SNAP_MAX 262144u	/* libpcap's largest snapshot length */
#define CAP_DROP ((size_t)32 << 20)	/* walked pages let go in steps */

static uint32_t
cap_rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Let go of the pages of m[gone..off) already walked, so that resident
 * memory stays that of the sources, not of the file; returns the new
 * start of what is kept. */
static size_t
capture_drop(const uint8_t *m, size_t gone, size_t off)
{
	size_t end = off & ~(size_t)(CAP_DROP - 1);

	if (end > gone)
		(void)madvise((void *)(m + gone), end - gone, MADV_DONTNEED);
	return end > gone ? end : gone;
}

/* Walk the records of the mapped classic pcap file m[0..len).  Returns 0,
 * or -1 with the reason in err when it ends inside a record. */
static int
capture_walk(struct traffic *t, int dlt, const uint8_t *m, size_t len,
    char *err, size_t errlen)
{
	uint32_t magic = cap_rd32(m, 0);
	int swap = magic != CAP_MAGIC_US && magic != CAP_MAGIC_NS;
	int64_t div = cap_rd32(m, swap) == CAP_MAGIC_NS ? 1000 : 1;
	size_t off = 24, gone = 0;

	while (off < len) {
		uint32_t caplen;
		int64_t ts;

		if (len - off < 16) {
			snprintf(err, errlen, "truncated record header");
			return -1;
		}
		caplen = cap_rd32(m + off + 8, swap);
		if (caplen > CAP_SNAP_MAX) {
			snprintf(err, errlen, "record of %u bytes, larger than"
			    " any snapshot length", caplen);
			return -1;
		}
		if (len - off - 16 < caplen) {
			snprintf(err, errlen, "truncated dump file; tried to "
			    "read %u captured bytes, only got %zu", caplen,
			    len - off - 16);
			return -1;
		}
		ts = (int64_t)cap_rd32(m + off, swap) * 1000000 +
		    cap_rd32(m + off + 4, swap) / div;
		traffic_packet(t, dlt, m + off + 16, caplen, ts);
		off += 16 + (size_t)caplen;
		if (off - gone >= CAP_DROP)
			gone = capture_drop(m, gone, off);
	}
	return 0;
}

/* The classic pcap file libpcap opened as pc, mapped whole, or NULL (then
 * libpcap reads it): not a regular file, another format, or too small. */
static const uint8_t *
capture_map(pcap_t *pc, size_t *len)
{
	FILE *fp = pcap_file(pc);
	struct stat st;
	uint32_t magic;
	void *m;
	int fd;

	if (fp == NULL || (fd = fileno(fp)) == -1 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode) || st.st_size < 24 ||
	    (uint64_t)st.st_size > SIZE_MAX || pread(fd, &magic, 4, 0) != 4 ||
	    (magic != CAP_MAGIC_US && magic != CAP_MAGIC_NS &&
	    magic != __builtin_bswap32(CAP_MAGIC_US) &&
	    magic != __builtin_bswap32(CAP_MAGIC_NS)))
		return NULL;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	(void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	*len = (size_t)st.st_size;
	return m;
}

int
capture_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE], why[160];
	struct pcap_pkthdr *h;
	const u_char *data;
	const uint8_t *m;
	size_t mlen;
	pcap_t *pc;
	int dlt, rc;

	err[0] = '\0';
	if ((pc = pcap_open_offline(path, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, ebuf);
		return -1;
	}
	dlt = pcap_datalink(pc);
	if ((m = capture_map(pc, &mlen)) != NULL) {
		rc = capture_walk(t, dlt, m, mlen, why, sizeof(why));
		munmap((void *)m, mlen);
	} else {
		while ((rc = pcap_next_ex(pc, &h, &data)) == 1)
			traffic_packet(t, dlt, data, h->caplen,
			    (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec);
		if (rc == PCAP_ERROR)
			snprintf(why, sizeof(why), "%s", pcap_geterr(pc));
	}
	traffic_flush(t);
	if (rc == -1 || rc == PCAP_ERROR) {
		t->truncated = 1;
		snprintf(err, errlen, "%s: %s (read up to the last whole "
		    "packet)", path, why);
	}
	pcap_close(pc);
	return 0;
}

static void
capture_live_packet(u_char *arg, const struct pcap_pkthdr *h,
    const u_char *data)
{
	struct traffic *t = (struct traffic *)arg;

	traffic_packet(t, t->live_dlt, data, h->caplen,
	    (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec);
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

	if ((pc = pcap_create(iface, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", iface, ebuf);
		return NULL;
	}
	if (pcap_set_snaplen(pc, 65535) != 0 || pcap_set_promisc(pc, 0) != 0
	    || pcap_set_immediate_mode(pc, 1) != 0 || pcap_activate(pc) < 0 ||
	    pcap_setnonblock(pc, 1, ebuf) != 0 ||
	    pcap_compile(pc, &prog, "port 53", 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s: %s", iface, pcap_geterr(pc));
		pcap_close(pc);
		return NULL;
	}
	if (pcap_setfilter(pc, &prog) != 0) {
		snprintf(err, errlen, "%s: %s", iface, pcap_geterr(pc));
		pcap_freecode(&prog);
		pcap_close(pc);
		return NULL;
	}
	pcap_freecode(&prog);
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
	if ((pc = capture_open_live(iface, err, errlen)) == NULL)
		return -1;
	t->live_dlt = pcap_datalink(pc);
	pfd.fd = pcap_get_selectable_fd(pc);
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += seconds;
	while ((ms = capture_left_ms(&at)) > 0) {
		if (poll(&pfd, 1, ms < 100 ? ms : 100) == -1 && errno != EINTR)
			break;
		if (pcap_dispatch(pc, -1, capture_live_packet, (u_char *)t) ==
		    PCAP_ERROR) {
			snprintf(err, errlen, "%s: %s", iface, pcap_geterr(pc));
			rc = -1;	/* a rate over half a window is wrong */
			break;
		}
	}
	traffic_flush(t);
	pcap_close(pc);
	return rc;
}
