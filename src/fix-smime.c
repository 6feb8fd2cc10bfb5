/*
 * fix-smime.c: the detached S/MIME signature of IANA's root-anchors.xml
 * (root-anchors.p7s: CMS, RFC 5652; RFC 9718 section 3.2), the trust of
 * the second key source of `anchorwatch fix` (fix-xml.c).
 *
 * The signature is verified with OpenSSL over the exact bytes of the file
 * against the certificate(s) of fix.ca_cert and nothing else: no system
 * store, the root's self-signature checked, the S/MIME signing purpose, and
 * every certificate valid at `now` (the run's time, not the clock).  The
 * intermediate CAs travel inside the .p7s.  Beyond the chain, as
 * unbound-anchor does, every signer must be dnssec@iana.org with a key
 * usage allowing digital signatures: the ICANN CA also issues e-mail
 * certificates to people, and none of them may speak for the root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "anchorwatch.h"
#include "lazy-crypto.h"

#define FIX_SMIME_P7S_MAX (64 * 1024)  /* IANA's, with its chain: 5 KB */
#define FIX_SMIME_CA_MAX (256 * 1024)
#define FIX_SMIME_SIGNER "dnssec@iana.org"

/* The last OpenSSL error as text ("certificate has expired"), queue
 * cleared. */
static void
fix_smime_error(char *buf, size_t len)
{
	const char *data = NULL, *last = NULL;
	unsigned long e, code = 0;
	int flags = 0;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		code = e;
		last = (flags & ERR_TXT_STRING) ? data : NULL;
	}
	if (code == 0)
		snprintf(buf, len, "unknown error");
	else if (last != NULL && last[0] != '\0')
		snprintf(buf, len, "%s: %s", ERR_reason_error_string(code) ?
		    ERR_reason_error_string(code) : "error", last);
	else
		snprintf(buf, len, "%s", ERR_reason_error_string(code) ?
		    ERR_reason_error_string(code) : "error");
}

/* A store holding only the certificates of the PEM file ca, checked at
 * now.  NULL with err. */
static X509_STORE *
fix_smime_store(const char *ca, long long now, char *err, size_t errlen)
{
	X509_STORE *store = NULL;
	X509_VERIFY_PARAM *param;
	BIO *bio = NULL;
	char *buf = NULL;
	size_t len, n = 0;
	X509 *x;

	if (fileio_load(ca, FIX_SMIME_CA_MAX, &buf, &len, err, errlen) == -1)
		return NULL;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL ||
	    (store = X509_STORE_new()) == NULL)
		fatalx("out of memory");
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(store, x) != 1)
			fatalx("out of memory");
		X509_free(x);
		n++;
	}
	ERR_clear_error();	/* the end of the file reads as an error */
	BIO_free(bio);
	free(buf);
	if (n == 0) {
		snprintf(err, errlen, "%s: no PEM certificate", ca);
		X509_STORE_free(store);
		return NULL;
	}
	param = X509_STORE_get0_param(store);
	X509_VERIFY_PARAM_set_time(param, (time_t)now);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CHECK_SS_SIGNATURE);
	X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SMIME_SIGN);
	return store;
}

/* The CMS signature in p7s, DER (as IANA ships it) or PEM.  NULL with
 * err. */
static CMS_ContentInfo *
fix_smime_cms(const char *p7s, char *err, size_t errlen)
{
	CMS_ContentInfo *cms;
	char *buf = NULL, why[160];
	size_t len;
	BIO *bio;

	if (fileio_load(p7s, FIX_SMIME_P7S_MAX, &buf, &len, err, errlen) == -1)
		return NULL;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL)
		fatalx("out of memory");
	if (len >= 11 && memcmp(buf, "-----BEGIN ", 11) == 0)
		cms = PEM_read_bio_CMS(bio, NULL, NULL, NULL);
	else
		cms = d2i_CMS_bio(bio, NULL);
	BIO_free(bio);
	free(buf);
	if (cms == NULL) {
		fix_smime_error(why, sizeof(why));
		snprintf(err, errlen, "%s: not a CMS (PKCS #7) signature in DER "
		    "or PEM (%s)", p7s, why);
		return NULL;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    CMS_is_detached(cms) != 1) {
		snprintf(err, errlen, "%s: not a detached signature (SignedData "
		    "without content)", p7s);
		CMS_ContentInfo_free(cms);
		return NULL;
	}
	return cms;
}

/*
 * Every signer of a verified cms must be FIX_SMIME_SIGNER with a key usage
 * allowing digital signatures (unbound-anchor's rules).  0, or -1 with
 * err.  who gets the first signer's subject.
 */
static int
fix_smime_signers(CMS_ContentInfo *cms, const char *p7s, char *who,
    size_t wholen, char *err, size_t errlen)
{
	STACK_OF(X509) *signers = CMS_get0_signers(cms);
	char name[256];
	BIO *mem;
	int i, n, rv = 0;
	X509 *x;

	who[0] = '\0';
	/* OPENSSL_sk_*, not sk_X509_*: see lazy-crypto.h */
	for (i = 0; rv == 0 && i < OPENSSL_sk_num((OPENSSL_STACK *)signers);
	    i++) {
		x = OPENSSL_sk_value((OPENSSL_STACK *)signers, i);
		if ((mem = BIO_new(BIO_s_mem())) == NULL)
			fatalx("out of memory");
		X509_NAME_print_ex(mem, X509_get_subject_name(x), 0,
		    XN_FLAG_ONELINE);	/* control and 8-bit bytes escaped */
		n = BIO_read(mem, name, (int)sizeof(name) - 1);
		name[n > 0 ? n : 0] = '\0';
		BIO_free(mem);
		if (X509_check_email(x, FIX_SMIME_SIGNER, 0, 0) != 1) {
			snprintf(err, errlen, "%s: signed by \"%s\", not %s", p7s,
			    name, FIX_SMIME_SIGNER);
			rv = -1;
		} else if (!(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) ||
		    X509_get_key_usage(x) == UINT32_MAX) {
			snprintf(err, errlen, "%s: the signer \"%s\" may not make "
			    "digital signatures (key usage)", p7s, name);
			rv = -1;
		} else if (who[0] == '\0')
			snprintf(who, wholen, "%s", name);
	}
	OPENSSL_sk_free((OPENSSL_STACK *)signers);
	if (rv == 0 && who[0] == '\0') {
		snprintf(err, errlen, "%s: no signer", p7s);
		rv = -1;
	}
	return rv;
}

/* The signature p7s over buf[0..len), the bytes of xml (aw-fix.h). */
int
fix_smime_verify(const char *xml, const char *buf, size_t len, const char *p7s,
    const char *ca, long long now, char *who, size_t wholen, char *err,
    size_t errlen)
{
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	BIO *data = NULL, *mem;
	char why[200];
	int rv = -1;

	ERR_clear_error();
	if ((store = fix_smime_store(ca, now, err, errlen)) == NULL ||
	    (cms = fix_smime_cms(p7s, err, errlen)) == NULL)
		goto done;
	/* The bytes behind a buffering BIO: CMS_verify of OpenSSL up to
	 * 3.0.19 copies a memory BIO it is given with CMS_BINARY and leaks
	 * the copy when the signature's digest algorithms are unknown or
	 * none (openssl/openssl#30471, found by tests/fuzz/fuzz_p7s.c). */
	if ((mem = BIO_new_mem_buf(buf, (int)len)) == NULL ||
	    (data = BIO_new(BIO_f_buffer())) == NULL)
		fatalx("out of memory");
	BIO_push(data, mem);
	if (CMS_verify(cms, NULL, store, data, NULL, CMS_BINARY) != 1) {
		fix_smime_error(why, sizeof(why));
		snprintf(err, errlen, "%s: its signature %s does not verify "
		    "against %s: %s", xml, p7s, ca, why);
		goto done;
	}
	rv = fix_smime_signers(cms, p7s, who, wholen, err, errlen);
done:
	ERR_clear_error();
	BIO_free_all(data);
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	return rv;
}
