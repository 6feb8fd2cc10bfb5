/*
 * fix-xml.c: keys from an RFC 9718 root-anchors.xml and its detached
 * S/MIME signature.  PLACEHOLDER until the XML trust path lands: it
 * refuses every file, so nothing is ever written from one.
 */
#include <stdio.h>

#include "anchorwatch.h"

int
fix_trust_xml(const char *xml, const char *p7s, const char *ca,
    long long now, struct fix_trust *t, char *err, size_t errlen)
{
	(void)p7s;
	(void)ca;
	(void)now;
	(void)t;
	snprintf(err, errlen, "%s: root-anchors.xml is not read yet", xml);
	return -1;
}
