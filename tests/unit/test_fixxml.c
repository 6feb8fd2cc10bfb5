/*
 * test_fixxml.c: the root-anchors.xml trust source of `fix` (fix-xml.c).
 *
 * tests/data/fixxml/ (made by its gen.sh) holds a test CA, signers it
 * issued (dnssec@iana.org, someone@iana.org, an expired one), a signer of
 * another CA, and RFC 9718 files with the real root KSKs and their real
 * digests, each with its detached DER signature.  Everything is judged at
 * 2026-12-04 12:00 UTC: KSK-2010 (19036) is past its validUntil, KSK-2017
 * (20326) and KSK-2024 (38696) are valid.
 *
 * tests/data/fixxml/iana-2011/ holds IANA's own root-anchors.xml and
 * root-anchors.p7s as published in 2011 (see its SOURCE): the real
 * signature is checked against the shipped etc/anchorwatch/icannbundle.pem.
 * AW_ICANN_DIR names another directory holding the pair instead.
 */
#include <sys/stat.h>

#include "unit.h"

#define FX(p) DATA("fixxml/" p)

static char err[AW_ERR_MAX];
static struct fix_trust t;

static long long
at(const char *iso)
{
	long long v;

	assert_int_equal(date_parse(iso, strlen(iso), 0, &v), 0);
	return v;
}

#define NOW at("2026-12-04T12:00:00Z")

/* fix_trust_xml of fixture NAME.xml with signature p7s against ca. */
static int
run(const char *xml, const char *p7s, const char *ca, long long now)
{
	memset(&t, 0, sizeof(t));
	err[0] = '\0';
	return fix_trust_xml(xml, p7s, ca, now, &t, err, sizeof(err));
}

/* 1 if t holds the key of tag, as a SEP key without REVOKE. */
static int
has_key(uint16_t tag)
{
	size_t i;

	for (i = 0; i < t.nkeys; i++)
		if (t.keys[i].tag == tag)
			return (t.keys[i].flags & DNSKEY_F_SEP) &&
			    !(t.keys[i].flags & DNSKEY_F_REVOKE);
	return 0;
}

#define assert_contains(s, sub) do {					\
	if (strstr((s), (sub)) == NULL)					\
		fail_msg("\"%s\" lacks \"%s\"", (s), (sub));		\
} while (0)

/* A copy of fixture name with byte off changed, into path (64 bytes). */
static void
tampered(const char *name, size_t off, char *path)
{
	char *buf;
	size_t len;
	FILE *f;
	int fd;

	assert_int_equal(fileio_load(name, AW_FILE_MAX, &buf, &len, err,
	    sizeof(err)), 0);
	assert_true(off < len);
	buf[off] ^= 0x01;
	snprintf(path, 64, "/tmp/aw-test-fixxml-XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(buf);
}

/* IANA's three KSKs: 20326 and 38696 kept, 19036 refused by name. */
static void
test_good(void **state)
{
	(void)state;
	assert_int_equal(run(FX("good.xml"), FX("good.p7s"), FX("ca.pem"),
	    NOW), 0);
	assert_int_equal(t.nkeys, 2);
	assert_true(has_key(20326));
	assert_true(has_key(38696));
	assert_false(has_key(19036));
	assert_contains(t.how, "good.xml, signed by ");
	assert_contains(t.how, "dnssec@iana.org");
	assert_contains(t.how, "ca.pem");
	assert_contains(t.how, "not used: Kjqmt7v (19036): validUntil "
	    "2019-01-11T00:00:00Z has passed");
}

/* The shape IANA publishes: 19036 has no PublicKey and is expired; the
 * date is the reason given. */
static void
test_iana_shape(void **state)
{
	(void)state;
	assert_int_equal(run(FX("iana.xml"), FX("iana.p7s"), FX("ca.pem"),
	    NOW), 0);
	assert_int_equal(t.nkeys, 2);
	assert_true(has_key(20326) && has_key(38696));
	assert_contains(t.how, "not used: Kjqmt7v (19036): validUntil "
	    "2019-01-11T00:00:00Z has passed");
}

/* RFC 9718's own layout: comments, Digest and PublicKey folded. */
static void
test_folded(void **state)
{
	(void)state;
	assert_int_equal(run(FX("folded.xml"), FX("folded.p7s"), FX("ca.pem"),
	    NOW), 0);
	assert_int_equal(t.nkeys, 1);
	assert_true(has_key(38696));
}

/* validFrom in the future (and a zone offset: 13:00+02:00 is 11:00Z). */
static void
test_not_yet_valid(void **state)
{
	(void)state;
	assert_int_equal(run(FX("future.xml"), FX("future.p7s"), FX("ca.pem"),
	    NOW), 0);
	assert_int_equal(t.nkeys, 1);
	assert_true(has_key(20326));
	assert_contains(t.how, "Kmyv6jo (38696): not valid before "
	    "2027-01-01T00:00:00Z");
	assert_int_equal(run(FX("future.xml"), FX("future.p7s"), FX("ca.pem"),
	    at("2026-12-04T10:59:59Z")), -1);
	assert_contains(err, "Klajeyz (20326): not valid before "
	    "2026-12-04T11:00:00Z; Kmyv6jo (38696): not valid before");
	assert_int_equal(run(FX("future.xml"), FX("future.p7s"), FX("ca.pem"),
	    at("2026-12-04T11:00:00Z")), 0);
}

/* The same signature in PEM is read too. */
static void
test_good_pem(void **state)
{
	(void)state;
	assert_int_equal(run(FX("good.xml"), FX("good.p7s.pem"), FX("ca.pem"),
	    NOW), 0);
	assert_int_equal(t.nkeys, 2);
	assert_true(has_key(20326) && has_key(38696));
}

/* One byte of the XML changed: the signature fails, nothing is read. */
static void
test_bad_signature(void **state)
{
	char path[64];
	int rv;

	(void)state;
	tampered(FX("good.xml"), 1000, path);
	rv = run(path, FX("good.p7s"), FX("ca.pem"), NOW);
	unlink(path);
	assert_int_equal(rv, -1);
	assert_int_equal(t.nkeys, 0);
	assert_contains(err, "does not verify against");
}

/* A corrupt signature file. */
static void
test_bad_p7s(void **state)
{
	char path[64];
	int rv;

	(void)state;
	rv = run(FX("good.xml"), FX("good.xml"), FX("ca.pem"), NOW);
	assert_int_equal(rv, -1);
	assert_contains(err, "not a CMS (PKCS #7) signature");
	tampered(FX("good.p7s"), 1400, path);
	rv = run(FX("good.xml"), path, FX("ca.pem"), NOW);
	unlink(path);
	assert_int_equal(rv, -1);
	assert_int_equal(t.nkeys, 0);
}

/* A signer of another CA, or the good signer under another CA. */
static void
test_other_ca(void **state)
{
	(void)state;
	assert_int_equal(run(FX("good.xml"), FX("good.othersigner.p7s"),
	    FX("ca.pem"), NOW), -1);
	assert_contains(err, "does not verify against tests/data/fixxml/"
	    "ca.pem: certificate verify error");
	assert_int_equal(run(FX("good.xml"), FX("good.p7s"), FX("otherca.pem"),
	    NOW), -1);
	assert_contains(err, "does not verify");
	assert_int_equal(t.nkeys, 0);
}

/* The right CA, but the signer is not dnssec@iana.org. */
static void
test_wrong_signer(void **state)
{
	(void)state;
	assert_int_equal(run(FX("good.xml"), FX("good.someone.p7s"),
	    FX("ca.pem"), NOW), -1);
	assert_contains(err, "someone@iana.org\", not dnssec@iana.org");
	assert_int_equal(t.nkeys, 0);
}

/* The signer's certificate expired before now (checked at now, not at the
 * clock: the same file verifies in 2020). */
static void
test_signer_expired(void **state)
{
	(void)state;
	assert_int_equal(run(FX("good.xml"), FX("good.oldsigner.p7s"),
	    FX("ca.pem"), NOW), -1);
	assert_contains(err, "certificate has expired");
}

/* A KeyDigest whose validUntil passed is refused by name; the rest stay. */
static void
test_expired_key(void **state)
{
	(void)state;
	assert_int_equal(run(FX("expired.xml"), FX("expired.p7s"),
	    FX("ca.pem"), NOW), 0);
	assert_int_equal(t.nkeys, 1);
	assert_true(has_key(38696));
	assert_contains(t.how, "Klajeyz (20326): validUntil "
	    "2026-10-11T00:00:00Z has passed");
	/* The day before that validUntil, both are valid. */
	assert_int_equal(run(FX("expired.xml"), FX("expired.p7s"),
	    FX("ca.pem"), at("2026-10-10T23:59:59Z")), 0);
	assert_int_equal(t.nkeys, 2);
}

/* No valid KeyDigest left: the file is refused. */
static void
test_all_expired(void **state)
{
	(void)state;
	assert_int_equal(run(FX("allexpired.xml"), FX("allexpired.p7s"),
	    FX("ca.pem"), NOW), -1);
	assert_string_equal(err, "tests/data/fixxml/allexpired.xml: no key "
	    "to trust: Kjqmt7v (19036): validUntil 2019-01-11T00:00:00Z has "
	    "passed");
	assert_int_equal(t.nkeys, 0);
}

/* A Digest that is not the key's (RFC 9718 4.1.2: MUST NOT use it). */
static void
test_wrong_digest(void **state)
{
	(void)state;
	assert_int_equal(run(FX("wrongdigest.xml"), FX("wrongdigest.p7s"),
	    FX("ca.pem"), NOW), 0);
	assert_int_equal(t.nkeys, 1);
	assert_true(has_key(20326));
	assert_false(has_key(38696));
	assert_contains(t.how, "Kmyv6jo (38696): Digest does not match its "
	    "PublicKey and Flags");
	/* The same KeyDigest alone: no key left, the file is refused. */
	assert_int_equal(run(FX("onlywrong.xml"), FX("onlywrong.p7s"),
	    FX("ca.pem"), NOW), -1);
	assert_contains(err, "onlywrong.xml: no key to trust: Kmyv6jo "
	    "(38696): Digest does not match");
}

/* A digest alone (no PublicKey) gives nothing to write. */
static void
test_no_public_key(void **state)
{
	(void)state;
	assert_int_equal(run(FX("nokey.xml"), FX("nokey.p7s"), FX("ca.pem"),
	    NOW), -1);
	assert_contains(err, "Klajeyz (20326): no PublicKey and Flags");
}

/* Hostile or broken XML, each signed: "FILE:LINE: problem". */
static void
test_hostile(void **state)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "doctype", "doctype.xml:2: DOCTYPE refused" },
		{ "zone", "zone.xml:3: Zone \"example.\" is not the root zone" },
		{ "deep", "deep.xml:13: <b> nested deeper than RFC 9718" },
		{ "unknown", "unknown.xml:10: unexpected <Note>" },
		{ "attr", "attr.xml:12: unknown attribute colour of KeyDigest" },
		{ "nozone", "nozone.xml:12: validFrom is not a date and time "
		    "with a zone" },
		{ "badnum", "badnum.xml:21: <KeyTag> of KeyDigest Kmyv6jo is "
		    "not a decimal number" },
		{ "text", "text.xml:3: text outside a field" },
		{ "zone2", "zone2.xml:28: unexpected <Zone> (RFC 9718: one "
		    "Zone, then KeyDigest elements)" },
		{ "zonetab", "zonetab.xml:3: Zone \".?x\" is not the root" },
		{ "truncated", "truncated.xml:" },
	};
	char xml[64], p7s[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(xml, sizeof(xml), FX("%s.xml"), cases[i].name);
		snprintf(p7s, sizeof(p7s), FX("%s.p7s"), cases[i].name);
		assert_int_equal(run(xml, p7s, FX("ca.pem"), NOW), -1);
		assert_contains(err, cases[i].want);
		assert_int_equal(t.nkeys, 0);
	}
	assert_contains(err, ": unclosed token");
}

/* Empty, missing, oversized files and an unset signature or CA. */
static void
test_files(void **state)
{
	char path[64];
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(run(FX("empty.xml"), FX("good.p7s"), FX("ca.pem"),
	    NOW), -1);
	assert_string_equal(err, "tests/data/fixxml/empty.xml: empty file");
	assert_int_equal(run(FX("absent.xml"), FX("good.p7s"), FX("ca.pem"),
	    NOW), -1);
	assert_contains(err, "absent.xml: cannot read");
	assert_int_equal(run(FX("good.xml"), "", FX("ca.pem"), NOW), -1);
	assert_contains(err, "fix.anchors_p7s is not set");
	assert_int_equal(run(FX("good.xml"), FX("good.p7s"), "", NOW), -1);
	assert_contains(err, "fix.ca_cert is not set");
	assert_int_equal(run(FX("good.xml"), FX("good.p7s"), FX("good.xml"),
	    NOW), -1);
	assert_contains(err, "good.xml: no PEM certificate");
	snprintf(path, sizeof(path), "/tmp/aw-test-fixxml-XXXXXX");
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fseek(f, 300 * 1024, SEEK_SET), 0);
	fputc('<', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run(path, FX("good.p7s"), FX("ca.pem"), NOW), -1);
	unlink(path);
	assert_contains(err, "larger than");
}

/* fix_trust_build falls back on the XML when the view is not SECURE. */
static void
test_trust_build(void **state)
{
	static struct config c;
	static struct rootview rv;

	(void)state;
	config_defaults(&c);
	memset(&rv, 0, sizeof(rv));
	snprintf(rv.why, sizeof(rv.why), "bogus");
	fix_trust_build(&c, &rv, NOW, &t);
	assert_int_equal(t.from, FIX_FROM_NONE);
	assert_contains(t.why, "fix.anchors_xml is not set");
	snprintf(c.fix.anchors_xml, sizeof(c.fix.anchors_xml), FX("good.xml"));
	snprintf(c.fix.anchors_p7s, sizeof(c.fix.anchors_p7s), FX("good.p7s"));
	snprintf(c.fix.ca_cert, sizeof(c.fix.ca_cert), FX("ca.pem"));
	fix_trust_build(&c, &rv, NOW, &t);
	assert_int_equal(t.from, FIX_FROM_XML);
	assert_int_equal(t.nkeys, 2);
	snprintf(c.fix.anchors_p7s, sizeof(c.fix.anchors_p7s),
	    FX("good.someone.p7s"));
	fix_trust_build(&c, &rv, NOW, &t);
	assert_int_equal(t.from, FIX_FROM_NONE);
	assert_int_equal(t.nkeys, 0);
	assert_contains(t.why, "not dnssec@iana.org");
}

/*
 * IANA's own files of 2011 against the shipped ICANN root CA: the
 * signature (dnssec@iana.org under the ICANN EMAIL CA, chain in the .p7s)
 * verifies at 2012-01-01, and the file is then refused, its only
 * KeyDigest (19036) having no PublicKey; in 2026 the signer's
 * certificate has expired; against another CA it does not verify.
 */
static void
test_icann_real(void **state)
{
	const char *dir = getenv("AW_ICANN_DIR");
	char xml[AW_PATH_MAX], p7s[AW_PATH_MAX];

	(void)state;
	if (dir == NULL || dir[0] == '\0')
		dir = FX("iana-2011");
	snprintf(xml, sizeof(xml), "%s/root-anchors.xml", dir);
	snprintf(p7s, sizeof(p7s), "%s/root-anchors.p7s", dir);
	assert_int_equal(run(xml, p7s, "etc/anchorwatch/icannbundle.pem",
	    at("2012-01-01T00:00:00Z")), -1);
	assert_contains(err, "no key to trust: Kjqmt7v (19036): no PublicKey");
	assert_int_equal(run(xml, p7s, "etc/anchorwatch/icannbundle.pem",
	    NOW), -1);
	assert_contains(err, "certificate has expired");
	assert_int_equal(run(xml, p7s, FX("ca.pem"),
	    at("2012-01-01T00:00:00Z")), -1);
	assert_contains(err, "does not verify");
	/* One byte of the XML changed: the real signature no longer holds. */
	{
		char copy[] = "/tmp/aw-icann-XXXXXX";
		char cxml[AW_PATH_MAX], cmd[3 * AW_PATH_MAX];
		assert_non_null(mkdtemp(copy));
		snprintf(cxml, sizeof(cxml), "%s/root-anchors.xml", copy);
		snprintf(cmd, sizeof(cmd),
		    "sed 's/19036/19037/' '%s' > '%s'", xml, cxml);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(run(cxml, p7s,
		    "etc/anchorwatch/icannbundle.pem",
		    at("2012-01-01T00:00:00Z")), -1);
		assert_contains(err, "does not verify");
		unlink(cxml);
		rmdir(copy);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_iana_shape),
		cmocka_unit_test(test_not_yet_valid),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_good_pem),
		cmocka_unit_test(test_bad_signature),
		cmocka_unit_test(test_bad_p7s),
		cmocka_unit_test(test_other_ca),
		cmocka_unit_test(test_wrong_signer),
		cmocka_unit_test(test_signer_expired),
		cmocka_unit_test(test_expired_key),
		cmocka_unit_test(test_all_expired),
		cmocka_unit_test(test_wrong_digest),
		cmocka_unit_test(test_no_public_key),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_trust_build),
		cmocka_unit_test(test_icann_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
