/*
 * traffic-mix.c: a large mixed capture for the `anchorwatch traffic`
 * benchmark (issue 13 item 6), made of real ones (tests/data/captures,
 * see its SOURCES): their packets, all of them in turn, again and again
 * until PACKETS are written, most of them not DNS queries.  Round r of
 * the replication rewrites the source address of every untagged Ethernet
 * IPv4 or IPv6 packet (the last three bytes XORed with one of SOURCES
 * values, so the queries come from many sources; one round, one value, so
 * a TCP stream stays one stream) and fixes the IPv4 header checksum and
 * the UDP or TCP one (RFC 1624); times go up one microsecond a packet
 * from the first capture's first.  Every Ethernet capture is read with
 * libpcap and written with pcap_dump, microsecond times.
 *
 * usage: traffic-mix OUT PACKETS SOURCES IN.pcap...
 */
#include <pcap/pcap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIX_MAX 4096		/* packets kept from the inputs */

struct mix_pkt {
	struct pcap_pkthdr h;
	unsigned char *b;
};

/* The checksum at c, with 16-bit word old (at an even offset) become new
 * (RFC 1624 eqn. 3).  A UDP checksum of 0 (none) stays 0. */
static void
mix_fix(unsigned char *c, unsigned old, unsigned new, int udp)
{
	unsigned long s = (unsigned)(c[0] << 8 | c[1]);

	if (udp && s == 0)
		return;
	s = (~s & 0xffff) + (~old & 0xffff) + new;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	c[0] = (unsigned char)(s >> 8);
	c[1] = (unsigned char)s;
}

/* XOR the 24-bit v into the address bytes a[0..3) (a at an odd offset
 * of the header: a[-1] starts a word), fixing the checksum at ck (NULL:
 * none) word by word. */
static void
mix_addr(unsigned char *a, unsigned v, unsigned char *ck, int udp)
{
	unsigned o1 = (unsigned)(a[-1] << 8 | a[0]);
	unsigned o2 = (unsigned)(a[1] << 8 | a[2]);

	a[0] ^= (unsigned char)(v >> 16);
	a[1] ^= (unsigned char)(v >> 8);
	a[2] ^= (unsigned char)v;
	if (ck == NULL)
		return;
	mix_fix(ck, o1, (unsigned)(a[-1] << 8 | a[0]), udp);
	mix_fix(ck, o2, (unsigned)(a[1] << 8 | a[2]), udp);
}

/* The IPv4 header checksum of ip[0..hl), computed again. */
static void
mix_sum(unsigned char *ip, size_t hl)
{
	unsigned long s = 0;
	size_t i;

	ip[10] = ip[11] = 0;
	for (i = 0; i + 1 < hl; i += 2)
		s += (unsigned)(ip[i] << 8 | ip[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	ip[10] = (unsigned char)(~s >> 8);
	ip[11] = (unsigned char)~s;
}

/* Frame f (caplen n) with its source rewritten by v. */
static void
mix_rewrite(unsigned char *f, size_t n, unsigned v)
{
	unsigned char *ip = f + 14, *l4 = NULL;
	size_t hl;
	int proto;

	if (n < 14 + 40 || f[12] != 0x08 || f[13] != 0x00) {
		if (n < 14 + 40 || f[12] != 0x86 || f[13] != 0xdd)
			return;
		proto = ip[6];		/* IPv6: the UDP or TCP right after */
		if (proto == 6 && n >= 14 + 40 + 18)
			l4 = ip + 40 + 16;
		else if (proto == 17 && n >= 14 + 40 + 8)
			l4 = ip + 40 + 6;
		mix_addr(ip + 8 + 13, v, l4, proto == 17);
		return;
	}
	hl = (size_t)(ip[0] & 15) * 4;
	proto = ip[9];
	if ((ip[6] & 0x3f) == 0 && ip[7] == 0) {	/* not a fragment */
		if (proto == 6 && n >= 14 + hl + 18)
			l4 = ip + hl + 16;
		else if (proto == 17 && n >= 14 + hl + 8)
			l4 = ip + hl + 6;
	}
	mix_addr(ip + 13, v, l4, proto == 17);
	mix_sum(ip, hl);
}

int
main(int argc, char *argv[])
{
	static struct mix_pkt pk[MIX_MAX];
	char ebuf[PCAP_ERRBUF_SIZE];
	unsigned char f[65536];
	unsigned long n, s, i, k = 0, np = 0, r;
	struct pcap_pkthdr *h, oh;
	const unsigned char *data;
	pcap_dumper_t *d;
	pcap_t *p;
	long base = -1;
	int a;

	if (argc < 5 || (n = strtoul(argv[2], NULL, 10)) == 0 ||
	    (s = strtoul(argv[3], NULL, 10)) == 0 || s > (1ul << 24)) {
		fprintf(stderr, "usage: traffic-mix OUT PACKETS SOURCES "
		    "IN.pcap...\n");
		return 2;
	}
	for (a = 4; a < argc; a++) {
		if ((p = pcap_open_offline(argv[a], ebuf)) == NULL ||
		    pcap_datalink(p) != DLT_EN10MB) {
			fprintf(stderr, "traffic-mix: %s: not Ethernet (%s)\n",
			    argv[a], p ? "" : ebuf);
			return 1;
		}
		while (np < MIX_MAX && pcap_next_ex(p, &h, &data) == 1) {
			if (h->caplen > sizeof(f))
				continue;
			pk[np].h = *h;
			if ((pk[np].b = malloc(h->caplen)) == NULL)
				return 1;
			memcpy(pk[np].b, data, h->caplen);
			if (base < 0)
				base = h->ts.tv_sec;
			np++;
		}
		pcap_close(p);
	}
	if (np == 0 || (p = pcap_open_dead(DLT_EN10MB, 262144)) == NULL ||
	    (d = pcap_dump_open(p, argv[1])) == NULL) {
		fprintf(stderr, "traffic-mix: nothing read, or cannot write "
		    "%s\n", argv[1]);
		return 1;
	}
	for (r = 0; k < n; r++) {
		/* an odd multiplier: distinct for distinct r % s < 2^24 */
		unsigned v = (unsigned)(((r % s) * 2654435761ul) & 0xffffff);

		for (i = 0; i < np && k < n; i++, k++) {
			memcpy(f, pk[i].b, pk[i].h.caplen);
			mix_rewrite(f, pk[i].h.caplen, v);
			oh = pk[i].h;
			oh.ts.tv_sec = base + (long)(k / 1000000);
			oh.ts.tv_usec = (long)(k % 1000000);
			pcap_dump((u_char *)d, &oh, f);
		}
	}
	pcap_dump_close(d);
	pcap_close(p);
	printf("packets %lu rounds %lu of %lu packets, %lu source values\n",
	    k, r, np, r < s ? r : s);
	return 0;
}
