/*
 * fuzz_anchorsxml.c: IANA's root-anchors.xml (RFC 9718), as fix-xml.c
 * parses it with expat: elements, dates, digests checked against keys.
 * In anchorwatch the XML is parsed only after its signature verified
 * (fuzz_p7s.c fuzzes that check); a fuzzer cannot sign, so this target
 * reaches the static parser by including fix-xml.c (this object then
 * defines fix-xml.c's symbols, and the library's copy is not linked).
 */
#include "../../src/fix-xml.c"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fix_trust *t = calloc(1, sizeof(*t));
	struct fixxml *x = calloc(1, sizeof(*x));
	char err[AW_ERR_MAX];

	if (t == NULL || x == NULL)
		abort();
	if (size > FIXXML_SIZE_MAX)     /* fix_trust_xml loads no more */
		goto done;
	x->path = "root-anchors.xml";
	x->now = FUZZ_NOW;
	x->t = t;
	x->err = err;
	x->errlen = sizeof(err);
	(void)fixxml_parse(x, (const char *)data, size);
done:
	free(x);
	free(t);
	return 0;
}
