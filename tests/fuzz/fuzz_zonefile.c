/*
 * fuzz_zonefile.c: DS/DNSKEY records in zone file syntax (zonefile.c and
 * the record parser of keyset.c): the input as a static anchor file, as
 * unbound reads one (zonefile_read_static), then item by item with
 * sldns's parentheses rules, each record's text given to keyset_parse_rr.
 */
#include <stdlib.h>

#include "fuzz.h"

static int
fz_item(void *arg, const struct zonefile_rec *z, char *why, size_t whylen)
{
	struct anchor a;

	(void)arg;
	if (z->kind == ZF_RECORD)
		(void)keyset_parse_rr(z->text, &a, why, whylen);
	why[0] = '\0';
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *s = calloc(1, sizeof(*s));
	const char *path = fuzz_file("root.key", data, size);
	char err[AW_ERR_MAX];
	struct textfile f;

	if (s == NULL)
		abort();
	(void)zonefile_read_static(path, s, err, sizeof(err));
	if (fileio_open_text(path, &f, err, sizeof(err)) == 0) {
		(void)zonefile_parse_as(&f, ZF_SLDNS | ZF_PAREN_REPORT, fz_item,
		    NULL, err, sizeof(err));
		free(f.buf);
	}
	source_free(s);
	free(s);
	return 0;
}
