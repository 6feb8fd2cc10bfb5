/*
 * fuzz_packet.c: traffic's wire parser (traffic.c traffic_packet): link
 * layers, VLAN tags, IPv4 and IPv6 with extension headers, UDP, TCP into
 * the reassembly (tcpflow.c), the DNS query; then the counts reported.
 * Tunnels (traffic-encap.c) and IP fragments (traffic-frag.c) too.
 * Input: one byte choosing the link type (its low 6 bits), the time
 * between frames (bit 6: 10 s, for the fragments' time-out, else 1 ms)
 * and whether every frame was cut by the snapshot length (bit 7), then
 * frames, each a 2-byte big-endian length and its bytes (the last one cut
 * where the input ends): a frame sequence as a capture gives it.  Every
 * frame must land in exactly one count (see test_traffic.c test_hostile).
 */
#include <stdlib.h>
#include <string.h>

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
	int64_t ts = FUZZ_NOW * 1000000, step;
	struct tcpflow_stats st;
	size_t off = 1, n, cut;
	int dlt;

	if (t == NULL || traffic_init(t) == -1)
		abort();
	if (size < 1)
		goto done;
	dlt = fz_dlt[(data[0] & 0x3f) % (sizeof(fz_dlt) / sizeof(fz_dlt[0]))];
	step = data[0] & 0x40 ? 10000000 : 1000;
	cut = data[0] >> 7;
	while (off < size) {
		n = size - off < 2 ? 0 : (size_t)(data[off] << 8 |
		    data[off + 1]);
		off += size - off < 2 ? size - off : 2;
		if (n > size - off)
			n = size - off;
		traffic_packet(t, dlt, data + off, n, n + cut, ts);
		off += n;
		ts += step;
	}
	traffic_flush(t);
	memset(&st, 0, sizeof(st));
	if (t->flows != NULL)
		tcpflow_stats(t->flows, &st);
	if (t->packets + st.messages + t->frag.reassembled != t->queries +
	    t->responses + t->tcp_segments + t->malformed + t->other +
	    t->frag.fragments + t->snapped_lost)
		abort();
	fuzz_report(t);
done:
	traffic_free(t);
	free(t);
	return 0;
}
