/*
 * fuzz_fields.c: the parsers of one field or one line of text, each on
 * the input as one NUL-terminated string: dates in every form date.c
 * reads, a zone file record and a trusted-keys entry (keyset.c), a
 * dnsmasq config line and its trust-anchor= value (dnsmasq-opt.c), a
 * zone name of a counts file (traffic-zones.c), --trusted-tags
 * (traffic-cmd.c), a probe address (probe.c).
 */
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct traffic_opts *o = calloc(1, sizeof(*o));
	char *s = fuzz_text(data, size), *name, *v, err[AW_ERR_MAX];
	struct sockaddr_storage ss;
	socklen_t sl;
	struct anchor a;
	const char *why;
	long long t;
	uint8_t w[256];
	size_t n;

	if (o == NULL)
		abort();
	(void)date_parse(s, size, DATE_EPOCH | DATE_LOOSE | DATE_DNS, &t);
	(void)date_parse(s, strlen(s), 0, &t);
	(void)keyset_parse_rr(s, &a, err, sizeof(err));
	(void)keyset_parse_trusted_key(s, &a, err, sizeof(err));
	(void)traffic_zone_parse(s, w, &n);
	(void)traffic_parse_tags(s, o);
	(void)probe_sockaddr(s, &ss, &sl);
	if (strlen(s) <= DNSMASQ_PIECE_MAX &&
	    dnsmasq_opt_line(s, &name, &v, &why) == 1 && v != NULL) {
		(void)dnsmasq_opt_has_arg(name);
		(void)dnsmasq_opt_parse(v, &a, &why);
	}
	free(s);
	free(o);
	return 0;
}
