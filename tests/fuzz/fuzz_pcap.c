/*
 * fuzz_pcap.c: pcap and pcapng files (capture.c: libpcap opens and
 * checks them; classic pcap records are then walked in place in a
 * mapping), every packet counted, the counts reported.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic *t = malloc(sizeof(*t));
	char err[AW_ERR_MAX];

	if (t == NULL || traffic_init(t) == -1)
		abort();
	if (capture_read_file(t, fuzz_file("capture.pcap", data, size), err,
	    sizeof(err)) == 0) {
		traffic_flush(t);
		fuzz_report(t);
	}
	traffic_free(t);
	free(t);
	return 0;
}
