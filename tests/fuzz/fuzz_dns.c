/*
 * fuzz_dns.c: DNS messages, through each parser that reads them: the
 * root DNSKEY answer (query.c query_parse_answer), a probe's reply
 * (probe.c probe_parse, its ID taken from the input so that the rest is
 * read) and a query counted by traffic (traffic.c traffic_message, as
 * dnstap and TCP reassembly hand messages over), whose counts are then
 * reported (text and JSON, thrown away).
 */
#include <stdlib.h>

#include "fuzz.h"

static const uint8_t fz_addr[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2,
	1 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rootview *rv = calloc(1, sizeof(*rv));
	struct traffic *t = malloc(sizeof(*t));
	struct probe_answer pa;
	char err[AW_ERR_MAX];
	uint16_t id;

	if (rv == NULL || t == NULL || traffic_init(t) == -1)
		abort();
	(void)query_parse_answer(data, size, rv, err, sizeof(err));
	id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
	(void)probe_parse(data, size, id, &pa);
	traffic_message(t, fz_addr, data, size, FUZZ_NOW * 1000000);
	traffic_flush(t);
	fuzz_report(t);
	traffic_free(t);
	free(t);
	free(rv);
	return 0;
}
