/*
 * fuzz_counts.c: the counts file of `traffic --csv` (traffic-counts.c),
 * as --merge and --baseline read it.  Counts it accepts are reported, and
 * the counts file written from them must be read again: the module that
 * reads the format writes it.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic *t = malloc(2 * sizeof(*t));
	struct traffic_opts *o = calloc(1, sizeof(*o));
	char err[AW_ERR_MAX], *csv = NULL;
	size_t csvlen = 0;
	FILE *mem;

	if (t == NULL || o == NULL || traffic_init(&t[0]) == -1 ||
	    traffic_init(&t[1]) == -1)
		abort();
	if (traffic_read_counts(&t[0], fuzz_file("counts.csv", data, size),
	    err, sizeof(err)) == -1)
		goto done;
	traffic_flush(&t[0]);
	fuzz_report(&t[0]);
	o->top = 20;
	if ((mem = open_memstream(&csv, &csvlen)) == NULL)
		abort();
	traffic_csv(&t[0], o, mem);
	if (fclose(mem) != 0)
		abort();
	if (traffic_read_counts(&t[1], fuzz_file("again.csv",
	    (const uint8_t *)csv, csvlen), err, sizeof(err)) == -1 ||
	    t[1].queries != t[0].queries) {
		fprintf(stderr, "counts written are not read back: %s\n", err);
		abort();
	}
done:
	free(csv);
	traffic_free(&t[0]);
	traffic_free(&t[1]);
	free(o);
	free(t);
	return 0;
}
