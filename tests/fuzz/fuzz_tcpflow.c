/*
 * fuzz_tcpflow.c: DNS over TCP reassembly (tcpflow.c): segments of up to
 * eight flows, in and out of order, overlapping, with holes, SYN, FIN and
 * RST, idle gaps, in a table of four flows (so that flows are evicted).
 * Input: segments, each a 6-byte head and its payload:
 *   flow (bits 0-2: client port, bit 3: server to client), flags (the TCP
 *   flags byte's FIN, SYN, RST; bit 6: 4 s pass before it, longer than a
 *   hole is held; bit 7: 61 s, longer than a flow is kept idle), a signed
 *   16-bit offset of its sequence number from the flow's next expected
 *   one (so that a stream is easy to make and to break), payload length
 *   (16 bits, cut where the input ends).  Then the input ends
 *   (tcpflow_flush: what the flows hold is parsed).
 * Every message delivered is read whole; one longer than a length prefix
 * can say is a crash.
 */
#include <stdlib.h>

#include "fuzz.h"

static const uint8_t fz_cli[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
static const uint8_t fz_srv[16] = { [10] = 0xff, [11] = 0xff, 198, 41, 0,
	4 };

/* Where the bytes of each message are summed, so that all are read. */
static volatile uint8_t fz_sink;

static void
fz_msg(void *arg, const uint8_t saddr[16], const uint8_t *msg, size_t len,
    int64_t ts_us)
{
	uint8_t sum = 0;
	size_t i;

	(void)ts_us;
	if (len > 65535 || (saddr[15] != 1 && saddr[15] != 4))
		abort();
	for (i = 0; i < len; i++)
		sum += msg[i];
	fz_sink = sum;
	++*(size_t *)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcpflow_table *ft = tcpflow_new(4);
	uint32_t next[16] = { 0 };
	int64_t ts = FUZZ_NOW * 1000000;
	struct tcpflow_stats st;
	size_t off = 0, n, msgs = 0;
	unsigned f;
	uint32_t seq;
	int16_t d;

	while (size - off >= 6) {
		f = data[off] & 15;
		d = (int16_t)(data[off + 2] << 8 | data[off + 3]);
		n = (size_t)(data[off + 4] << 8 | data[off + 5]);
		if (data[off + 1] & 0x40)
			ts += 4 * 1000000LL;
		if (data[off + 1] & 0x80)
			ts += 61 * 1000000LL;
		seq = next[f] + (uint32_t)(int32_t)d;
		off += 6;
		if (n > size - off)
			n = size - off;
		if (f & 8)
			(void)tcpflow_segment(ft, fz_srv, 53, fz_cli,
			    (uint16_t)(40000 + (f & 7)), seq,
			    data[off - 5] & 0x07, data + off, n, ts, fz_msg,
			    &msgs);
		else
			(void)tcpflow_segment(ft, fz_cli,
			    (uint16_t)(40000 + (f & 7)), fz_srv, 53, seq,
			    data[off - 5] & 0x07, data + off, n, ts, fz_msg,
			    &msgs);
		next[f] = seq + (uint32_t)n + ((data[off - 5] & 0x02) != 0);
		off += n;
		ts += 1000;
	}
	tcpflow_flush(ft, fz_msg, &msgs);
	tcpflow_stats(ft, &st);
	if (st.messages != msgs || st.open != 0)
		abort();
	tcpflow_free(ft);
	return 0;
}
