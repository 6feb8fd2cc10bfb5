/*
 * pcap-loop.c: the ceiling for `anchorwatch traffic` on a pcap file: a
 * bare libpcap read loop (pcap_next_ex, nothing done per packet but adding
 * up the captured bytes).  Prints the packet count.
 *
 * usage: pcap-loop FILE
 */
#include <pcap/pcap.h>

#include <stdio.h>

int
main(int argc, char *argv[])
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0, bytes = 0;
	pcap_t *p;

	if (argc != 2 || (p = pcap_open_offline(argv[1], ebuf)) == NULL) {
		fprintf(stderr, "usage: pcap-loop FILE\n");
		return 2;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		n++;
		bytes += h->caplen + data[0];
	}
	pcap_close(p);
	printf("%lu packets %lu bytes\n", n, bytes);
	return 0;
}
