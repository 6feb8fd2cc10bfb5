/*
 * fuzz_dnstap.c: dnstap files (dnstap.c: Frame Streams through libfstrm,
 * each data frame a protobuf Dnstap message decoded with protobuf-c, its
 * DNS message counted), the counts reported.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic *t = malloc(sizeof(*t));
	const char *path = fuzz_file("capture.dnstap", data, size);
	char err[AW_ERR_MAX];

	if (t == NULL || traffic_init(t) == -1)
		abort();
	(void)is_dnstap_file(path);
	if (dnstap_read_file(t, path, err, sizeof(err)) == 0) {
		traffic_flush(t);
		fuzz_report(t);
	}
	traffic_free(t);
	free(t);
	return 0;
}
