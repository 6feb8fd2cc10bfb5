/*
 * traffic.h: what the traffic tests share (test_traffic, test_signers):
 * DNS query frames built by hand for any link type, pcap files written
 * with libpcap's pcap_dump API into a temporary directory, and
 * traffic_main run in memory with a configuration of the test's own
 * (defconf: the calendar of this tree, the agent's state under tmpdir).
 */
#ifndef TRAFFIC_H
#define TRAFFIC_H
#include "unit.h"

#include <pcap/pcap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define TT_UNUSED __attribute__((unused))

static char tmpdir[] = "/tmp/aw-traffic-XXXXXX";
/* The configuration traffic_main reads without -c (written by setup). */
static char defconf[256];

struct frame {
	uint8_t b[1600];
	size_t len;
};

static inline void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* UDP (proto 17) or TCP (6) from sport to dport around payload. */
static inline size_t
l4(uint8_t *p, int proto, unsigned sport, unsigned dport, const uint8_t *pl,
    size_t n)
{
	size_t hl = proto == 17 ? 8 : 20;

	memset(p, 0, hl);
	put16(p, sport);
	put16(p + 2, dport);
	if (proto == 17)
		put16(p + 4, (unsigned)(8 + n));
	else
		p[12] = 5 << 4;
	memcpy(p + hl, pl, n);
	return hl + n;
}

/* An IP packet from src (4 or 16 bytes) to a fixed address. */
static inline size_t
ip(uint8_t *p, const uint8_t *src, size_t alen, int proto, unsigned sport,
    unsigned dport, const uint8_t *pl, size_t n)
{
	size_t hl = alen == 4 ? 20 : 40, len;

	memset(p, 0, hl);
	len = l4(p + hl, proto, sport, dport, pl, n);
	if (alen == 4) {
		p[0] = 0x45;
		put16(p + 2, (unsigned)(hl + len));
		p[8] = 64;
		p[9] = (uint8_t)proto;
		memcpy(p + 12, src, 4);
		p[16] = 198, p[17] = 41, p[18] = 0, p[19] = 4;
	} else {
		p[0] = 0x60;
		put16(p + 4, (unsigned)len);
		p[6] = (uint8_t)proto;
		p[7] = 64;
		memcpy(p + 8, src, 16);
		p[24] = 0x20, p[25] = 0x01, p[39] = 1;
	}
	return hl + len;
}

/* Wrap an IP packet for link type dlt; vlan: number of 802.1Q tags. */
static inline void
link_wrap(struct frame *f, int dlt, int vlan, const uint8_t *pkt, size_t n)
{
	unsigned et = (pkt[0] >> 4) == 4 ? 0x0800 : 0x86dd;
	size_t o = 0;
	int i;

	memset(f->b, 0, sizeof(f->b));
	if (dlt == DLT_EN10MB) {
		o = 12;
		for (i = 0; i < vlan; i++, o += 4) {
			put16(f->b + o, 0x8100);
			put16(f->b + o + 2, 100 + (unsigned)i);
		}
		put16(f->b + o, et);
		o += 2;
	} else if (dlt == DLT_LINUX_SLL) {
		put16(f->b + 14, et);
		o = 16;
	} else if (dlt == DLT_LINUX_SLL2) {
		put16(f->b, et);
		o = 20;
	}
	memcpy(f->b + o, pkt, n);
	f->len = o + n;
}

static inline void
mkframe(struct frame *f, int dlt, int vlan, const uint8_t *src, size_t alen,
    int proto, unsigned sport, unsigned dport, const uint8_t *pl, size_t n)
{
	uint8_t pkt[1500];

	link_wrap(f, dlt, vlan, pkt, ip(pkt, src, alen, proto, sport, dport,
	    pl, n));
}

/* A query frame from src, UDP to 53. */
static inline void
qframe(struct frame *f, int dlt, int vlan, const uint8_t *src, size_t alen,
    const char *name, unsigned qtype, const uint16_t *tags, size_t ntags)
{
	uint8_t q[512];

	mkframe(f, dlt, vlan, src, alen, 17, 40000, 53, q,
	    unit_dns_query(q, name, qtype, tags, ntags));
}

struct capture {
	pcap_t *dead;
	pcap_dumper_t *d;
	char path[128];
	long sec;
};

static inline void
cap_open(struct capture *c, int dlt, const char *name)
{
	snprintf(c->path, sizeof(c->path), "%s/%s", tmpdir, name);
	c->dead = pcap_open_dead(dlt, 65535);
	assert_non_null(c->dead);
	c->d = pcap_dump_open(c->dead, c->path);
	assert_non_null(c->d);
	c->sec = 1700000000;
}

static inline void
cap_add(struct capture *c, const struct frame *f, long dsec)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = c->sec + dsec;
	h.caplen = h.len = (bpf_u_int32)f->len;
	pcap_dump((u_char *)c->d, &h, f->b);
}

static inline void
cap_close(struct capture *c)
{
	pcap_dump_close(c->d);
	pcap_close(c->dead);
}

static inline void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static const uint8_t A4[4] TT_UNUSED = { 192, 0, 2, 1 };
static const uint8_t B6[16] TT_UNUSED = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t C4[4] TT_UNUSED = { 192, 0, 2, 3 };
static const uint8_t D4[4] TT_UNUSED = { 203, 0, 113, 9 };

/* A pcapng file by hand (libpcap writes none): SHB, an IDB in
 * microseconds, and an EPB per 64-bit timestamp of ts[0..n), each the
 * query ". DNSKEY" from A4, every other one behind a VLAN tag. */
static inline void
pcapng_write(const char *path, const uint64_t *ts, size_t n)
{
	uint8_t b[4096];
	struct frame f;
	size_t o, pad, i;
	FILE *fp;

	memset(b, 0, sizeof(b));
	le32(b, 0x0a0d0d0a), le32(b + 4, 28), le32(b + 8, 0x1a2b3c4d);
	b[12] = 1;
	memset(b + 16, 0xff, 8);
	le32(b + 24, 28);
	o = 28;
	le32(b + o, 1), le32(b + o + 4, 20), b[o + 8] = DLT_EN10MB;
	le32(b + o + 12, 65535), le32(b + o + 16, 20);
	o += 20;
	for (i = 0; i < n && o + 32 + 512 < sizeof(b); i++) {
		qframe(&f, DLT_EN10MB, (int)(i & 1), A4, 4, ".", 48, NULL, 0);
		pad = (f.len + 3) & ~(size_t)3;
		le32(b + o, 6), le32(b + o + 4, (uint32_t)(32 + pad));
		le32(b + o + 12, (uint32_t)(ts[i] >> 32));
		le32(b + o + 16, (uint32_t)ts[i]);
		le32(b + o + 20, (uint32_t)f.len);
		le32(b + o + 24, (uint32_t)f.len);
		memcpy(b + o + 28, f.b, f.len);
		le32(b + o + 28 + pad, (uint32_t)(32 + pad));
		o += 32 + pad;
	}
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(b, 1, o, fp), o);
	assert_int_equal(fclose(fp), 0);
}

static inline const uint8_t *
mapped(const uint8_t *v4)
{
	static uint8_t a[16];

	memset(a, 0, 10);
	a[10] = a[11] = 0xff;
	memcpy(a + 12, v4, 4);
	return a;
}

/* The whole of a small file, NUL-terminated; the caller frees. */
static inline uint8_t *
slurp(const char *path, size_t *len)
{
	uint8_t *b;
	FILE *fp;
	long sz;

	assert_non_null(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	sz = ftell(fp);
	rewind(fp);
	assert_non_null(b = malloc((size_t)sz + 1));
	assert_int_equal(fread(b, 1, (size_t)sz, fp), (size_t)sz);
	fclose(fp);
	b[sz] = '\0';
	*len = (size_t)sz;
	return b;
}

/* path holds b[0..len) (and nothing else). */
static inline void
spit(const char *path, const uint8_t *b, size_t len)
{
	FILE *fp;

	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(b, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* traffic_main's output for the argument vector av, in *buf. */
static inline int
run_main(char **av, char **buf)
{
	char err[AW_ERR_MAX];
	size_t len = 0;
	FILE *out;
	int argc = 0, rc;

	while (av[argc] != NULL)
		argc++;
	*buf = NULL;
	assert_non_null(out = open_memstream(buf, &len));
	rc = traffic_main(argc, av, defconf, out, err, sizeof(err));
	fclose(out);
	if (rc == -1) {
		free(*buf);
		*buf = strdup(err);
	}
	return rc;
}

static inline void
write_text(const char *path, const char *text)
{
	spit(path, (const uint8_t *)text, strlen(text));
}

/* The temporary directory, and in it the default configuration: the
 * calendar of this tree (tests run from its top), state under tmpdir. */
static inline int
setup(void **state)
{
	char cwd[512], text[1400];

	if (mkdtemp(tmpdir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	snprintf(defconf, sizeof(defconf), "%s/aw.yaml", tmpdir);
	snprintf(text, sizeof(text), "state_dir: %s/state\nevents:\n  file: "
	    "%s/etc/anchorwatch/events.yaml\n", tmpdir, cwd);
	write_text(defconf, text);
	return 0;
}

static inline int
teardown(void **state)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}
#endif
