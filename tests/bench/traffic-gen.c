/*
 * traffic-gen.c: a synthetic capture for the `anchorwatch traffic`
 * benchmark (issue 5).  Writes N UDP DNS queries over Ethernet/IPv4 from S
 * sources in random order to a pcap file with libpcap's pcap_dump:
 * ordinary A queries, with planted sources that storm (root DNSKEY every
 * packet) and sources that signal only KSK-2010 (_ta-4a5c).  The counts it
 * planted are printed, so the benchmark can check them.  With TCP, that
 * percentage of the queries goes over DNS over TCP instead, each source
 * on one connection taken up mid-stream (no SYN: the capture started
 * late), one query a segment but every eighth split in its middle.
 *
 * usage: traffic-gen FILE PACKETS SOURCES [TCP]
 */
#include <arpa/inet.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORMERS 50		/* sources 1..50 ask . DNSKEY in every query */
#define SIGNALLERS 50		/* sources 51..100 send _ta-4a5c. NULL */

static size_t
gen_name(unsigned char *p, const char *name)
{
	size_t o = 0, l;
	const char *dot;

	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot ? (size_t)(dot - name) : strlen(name);
		p[o++] = (unsigned char)l;
		memcpy(p + o, name, l);
		o += l;
		name += l + (dot != NULL);
	}
	p[o++] = 0;
	return o;
}

/* One Ethernet/IPv4/UDP/DNS query from source src into f; its length. */
static size_t
gen_packet(unsigned char *f, unsigned src, unsigned id, int kind)
{
	size_t dns = 14 + 20 + 8, o = dns + 12;
	uint16_t qtype = 1;
	size_t ulen;

	memset(f, 0, dns + 12);
	f[12] = 0x08;				/* IPv4 */
	f[14] = 0x45;
	f[22] = 64;
	f[23] = 17;				/* UDP */
	/* 198.18.0.0/15 (RFC 2544 benchmarking): a file, never a packet;
	 * past 131,072 sources, 199.18/15 to 205.18/15 as well */
	f[26] = (unsigned char)(198 + (src >> 17));
	f[27] = (unsigned char)(18 | ((src >> 16) & 1));
	f[28] = (unsigned char)(src >> 8);
	f[29] = (unsigned char)src;
	f[30] = 192; f[31] = 0; f[32] = 2; f[33] = 53;
	f[34] = (unsigned char)(1024 + (id & 0x3fff)) >> 8;
	f[36] = 0; f[37] = 53;			/* to port 53 */
	f[dns] = (unsigned char)(id >> 8);
	f[dns + 1] = (unsigned char)id;
	f[dns + 2] = 0x01;			/* RD */
	f[dns + 5] = 1;				/* QDCOUNT */
	if (kind == 1) {
		f[o++] = 0;			/* . DNSKEY */
		qtype = 48;
	} else if (kind == 2) {
		o += gen_name(f + o, "_ta-4a5c");
		qtype = 10;			/* NULL */
	} else
		o += gen_name(f + o, "www.example.com");
	f[o++] = (unsigned char)(qtype >> 8);
	f[o++] = (unsigned char)qtype;
	f[o++] = 0;
	f[o++] = 1;
	ulen = o - 34;
	f[38] = (unsigned char)(ulen >> 8);
	f[39] = (unsigned char)ulen;
	f[16] = (unsigned char)((o - 14) >> 8);
	f[17] = (unsigned char)(o - 14);
	return o;
}

/* The UDP query frame f of length n as DNS over TCP on the connection
 * of its source (next: its next sequence number), into t; its length.
 * A split query goes as two frames: the first cut bytes (from 0), then
 * the rest (from = cut, cut 0). */
static size_t
gen_tcp(unsigned char *t, const unsigned char *f, size_t n, uint32_t *next,
    size_t from, size_t cut)
{
	size_t dl = n - 42, len = cut ? cut : dl + 2 - from;

	memcpy(t, f, 34);
	t[23] = 6;				/* TCP */
	t[16] = (unsigned char)((20 + 20 + len) >> 8);
	t[17] = (unsigned char)(20 + 20 + len);
	memset(t + 34, 0, 20);
	t[34] = 40000 >> 8, t[35] = 40000 & 0xff; /* one port a source */
	t[37] = 53;
	t[38] = (unsigned char)(*next >> 24);
	t[39] = (unsigned char)(*next >> 16);
	t[40] = (unsigned char)(*next >> 8);
	t[41] = (unsigned char)*next;
	t[46] = 5 << 4;
	t[47] = 0x18;				/* PSH ACK */
	t[54] = (unsigned char)(dl >> 8);	/* the length prefix */
	t[55] = (unsigned char)dl;
	memcpy(t + 56, f + 42, dl);
	if (from > 0)
		memmove(t + 54, t + 54 + from, len);
	*next += (uint32_t)len;
	return 54 + len;
}

int
main(int argc, char *argv[])
{
	static uint32_t next[(1 << 20) + 1];
	unsigned char f[256], t[256];
	unsigned long n, s, i, dnskey = 0, ta = 0, tcp = 0, ntcp = 0;
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	pcap_t *p;
	unsigned src;
	size_t fl, cut;
	int kind;

	if ((argc != 4 && argc != 5) ||
	    (n = strtoul(argv[2], NULL, 10)) == 0 ||
	    (s = strtoul(argv[3], NULL, 10)) <= STORMERS + SIGNALLERS ||
	    s > (1 << 20) || (argc == 5 &&
	    (tcp = strtoul(argv[4], NULL, 10)) > 100)) {
		fprintf(stderr, "usage: traffic-gen FILE PACKETS SOURCES "
		    "[TCP]\n");
		return 2;
	}
	if ((p = pcap_open_dead(DLT_EN10MB, 65535)) == NULL ||
	    (d = pcap_dump_open(p, argv[1])) == NULL) {
		fprintf(stderr, "traffic-gen: cannot write %s\n", argv[1]);
		return 1;
	}
	srandom(8145);
	for (i = 0; i < n; i++) {
		src = 1 + (unsigned)(random() % s);
		kind = src <= STORMERS ? 1 : src <= STORMERS + SIGNALLERS ?
		    2 : 0;
		dnskey += kind == 1;
		ta += kind == 2;
		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = 1795852800 + (long)(i / 100000);
		h.ts.tv_usec = (long)(i % 100000) * 10;
		fl = gen_packet(f, src, (unsigned)i, kind);
		if (tcp == 0 || (unsigned long)(random() % 100) >= tcp) {
			h.caplen = h.len = (bpf_u_int32)fl;
			pcap_dump((u_char *)d, &h, f);
			continue;
		}
		if (next[src] == 0)
			next[src] = (uint32_t)random() | 1;
		if (++ntcp % 8 == 0) {
			cut = (fl - 42 + 2) / 2;
			h.caplen = h.len = (bpf_u_int32)gen_tcp(t, f, fl,
			    &next[src], 0, cut);
			pcap_dump((u_char *)d, &h, t);
			fl = gen_tcp(t, f, fl, &next[src], cut, 0);
		} else
			fl = gen_tcp(t, f, fl, &next[src], 0, 0);
		h.caplen = h.len = (bpf_u_int32)fl;
		pcap_dump((u_char *)d, &h, t);
	}
	pcap_dump_close(d);
	pcap_close(p);
	printf("packets %lu sources %lu root_dnskey %lu ta_signals %lu "
	    "tcp_queries %lu\n", n, s, dnskey, ta, ntcp);
	return 0;
}
