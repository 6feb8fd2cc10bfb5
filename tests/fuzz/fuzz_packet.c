/*
 * fuzz_packet.c: traffic's wire parser (traffic.c traffic_packet): link
 * layers, VLAN tags, IPv4 and IPv6 with extension headers, UDP, TCP into
 * the reassembly (tcpflow.c), the DNS query; then the counts reported.
 * Input: one byte choosing the link type, then frames, each a 2-byte
 * big-endian length and its bytes (the last one cut where the input
 * ends), 1 ms apart: a frame sequence as a capture gives it.
 */
#include <stdlib.h>

#include <pcap/dlt.h>

#include "fuzz.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static const int fz_dlt[] = { DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
	DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic *t = malloc(sizeof(*t));
	int64_t ts = FUZZ_NOW * 1000000;
	size_t off = 1, n;
	int dlt;

	if (t == NULL || traffic_init(t) == -1)
		abort();
	if (size < 1)
		goto done;
	dlt = fz_dlt[data[0] % (sizeof(fz_dlt) / sizeof(fz_dlt[0]))];
	while (off < size) {
		n = size - off < 2 ? 0 : (size_t)(data[off] << 8 |
		    data[off + 1]);
		off += size - off < 2 ? size - off : 2;
		if (n > size - off)
			n = size - off;
		traffic_packet(t, dlt, data + off, n, ts);
		off += n;
		ts += 1000;
	}
	traffic_flush(t);
	fuzz_report(t);
done:
	traffic_free(t);
	free(t);
	return 0;
}
