/*
 * fuzz_tooloutput.c: what anchorwatch reads of other programs' output
 * (untrusted, bounded): named-checkconf's refusal (bind-check.c),
 * `pdns_recursor --version` and `rec_control get-tas` (pdns-daemon.c).
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resolver *r = calloc(1, sizeof(*r));
	char *out = fuzz_text(data, size), refused[AW_ERR_MAX];
	unsigned v[3];

	if (r == NULL)
		abort();
	(void)bind_check_parse(out, refused, sizeof(refused));
	(void)pdns_daemon_version(out, v);
	(void)pdns_daemon_has_38696(out);
	(void)pdns_daemon_parse_tas(out, r);
	free(out);
	resolver_free(r);
	free(r);
	return 0;
}
