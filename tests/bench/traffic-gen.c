/*
 * traffic-gen.c: a synthetic capture for the `anchorwatch traffic`
 * benchmark (issue 5).  Writes N UDP DNS queries over Ethernet/IPv4 from S
 * sources in random order to a pcap file with libpcap's pcap_dump:
 * ordinary A queries, with planted sources that storm (root DNSKEY every
 * packet) and sources that signal only KSK-2010 (_ta-4a5c).  The counts it
 * planted are printed, so the benchmark can check them.
 *
 * usage: traffic-gen FILE PACKETS SOURCES
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
	/* 198.18.0.0/15 (RFC 2544 benchmarking): a file, never a packet */
	f[26] = 198;
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

int
main(int argc, char *argv[])
{
	unsigned char f[256];
	unsigned long n, s, i, dnskey = 0, ta = 0;
	struct pcap_pkthdr h;
	pcap_dumper_t *d;
	pcap_t *p;
	unsigned src;
	int kind;

	if (argc != 4 || (n = strtoul(argv[2], NULL, 10)) == 0 ||
	    (s = strtoul(argv[3], NULL, 10)) <= STORMERS + SIGNALLERS ||
	    s > 131072) {
		fprintf(stderr, "usage: traffic-gen FILE PACKETS SOURCES\n");
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
		h.caplen = h.len = (bpf_u_int32)gen_packet(f, src, (unsigned)i,
		    kind);
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(p);
	printf("packets %lu sources %lu root_dnskey %lu ta_signals %lu\n", n,
	    s, dnskey, ta);
	return 0;
}
