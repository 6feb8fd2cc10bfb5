/*
 * fuzz_p7s.c: the detached S/MIME signature of root-anchors.xml
 * (fix-smime.c: CMS in DER or PEM, verified against the configured CA at
 * a fixed now, every signer dnssec@iana.org).  The input is the
 * signature file; the data it must sign is the real fixture
 * tests/data/fixxml/good.xml, the CA its test CA (ca.pem).
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *xml;
	static size_t xmllen;
	char who[256], err[AW_ERR_MAX];

	if (xml == NULL)
		xml = fuzz_fixture("tests/data/fixxml/good.xml", &xmllen);
	(void)fix_smime_verify("good.xml", xml, xmllen,
	    fuzz_file("root-anchors.p7s", data, size),
	    FUZZ_SRCDIR "/tests/data/fixxml/ca.pem", FUZZ_NOW, who,
	    sizeof(who), err, sizeof(err));
	return 0;
}
