/*
 * lazy-crypto.h: libcrypto: the S/MIME signature of IANA's root-anchors.xml
 * (fix); loaded at its first call (lazy.h).
 */
#ifndef AW_LAZY_CRYPTO_H
#define AW_LAZY_CRYPTO_H

#include <openssl/bio.h>
#include <openssl/pem.h>	/* before cms.h, for PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lazy.h"

#ifndef AW_CRYPTO_SONAME
/* Debian's; the Makefile finds it */
#define AW_CRYPTO_SONAME "libcrypto.so.3"
#endif

#define AW_CRYPTO_FUNCS(X) \
	X(BIO_f_buffer) \
	X(BIO_free) \
	X(BIO_free_all) \
	X(BIO_new) \
	X(BIO_new_mem_buf) \
	X(BIO_push) \
	X(BIO_read) \
	X(BIO_s_mem) \
	X(CMS_ContentInfo_free) \
	X(CMS_get0_signers) \
	X(CMS_get0_type) \
	X(CMS_is_detached) \
	X(CMS_verify) \
	X(ERR_clear_error) \
	X(ERR_get_error_all) \
	X(ERR_reason_error_string) \
	X(OBJ_obj2nid) \
	X(OPENSSL_sk_free) \
	X(OPENSSL_sk_num) \
	X(OPENSSL_sk_value) \
	X(PEM_read_bio_CMS) \
	X(PEM_read_bio_X509) \
	X(X509_NAME_print_ex) \
	X(X509_STORE_add_cert) \
	X(X509_STORE_free) \
	X(X509_STORE_get0_param) \
	X(X509_STORE_new) \
	X(X509_VERIFY_PARAM_set_flags) \
	X(X509_VERIFY_PARAM_set_purpose) \
	X(X509_VERIFY_PARAM_set_time) \
	X(X509_check_email) \
	X(X509_free) \
	X(X509_get_key_usage) \
	X(X509_get_subject_name) \
	X(d2i_CMS_bio)

enum {
#define X(f) AW_LAZY_crypto_##f,
	AW_CRYPTO_FUNCS(X)
#undef X
	AW_LAZY_crypto_N
};
extern struct lazylib aw_lazy_crypto;

/* OpenSSL's typed stack functions (sk_X509_num ...) are inline calls of
 * OPENSSL_sk_*, bound to the library when its headers are read: use
 * OPENSSL_sk_* through the table instead. */
#define BIO_f_buffer AW_LAZY(crypto, BIO_f_buffer)
#define BIO_free AW_LAZY(crypto, BIO_free)
#define BIO_free_all AW_LAZY(crypto, BIO_free_all)
#define BIO_new AW_LAZY(crypto, BIO_new)
#define BIO_new_mem_buf AW_LAZY(crypto, BIO_new_mem_buf)
#define BIO_push AW_LAZY(crypto, BIO_push)
#define BIO_read AW_LAZY(crypto, BIO_read)
#define BIO_s_mem AW_LAZY(crypto, BIO_s_mem)
#define CMS_ContentInfo_free AW_LAZY(crypto, CMS_ContentInfo_free)
#define CMS_get0_signers AW_LAZY(crypto, CMS_get0_signers)
#define CMS_get0_type AW_LAZY(crypto, CMS_get0_type)
#define CMS_is_detached AW_LAZY(crypto, CMS_is_detached)
#define CMS_verify AW_LAZY(crypto, CMS_verify)
#define ERR_clear_error AW_LAZY(crypto, ERR_clear_error)
#define ERR_get_error_all AW_LAZY(crypto, ERR_get_error_all)
#define ERR_reason_error_string AW_LAZY(crypto, ERR_reason_error_string)
#define OBJ_obj2nid AW_LAZY(crypto, OBJ_obj2nid)
#define OPENSSL_sk_free AW_LAZY(crypto, OPENSSL_sk_free)
#define OPENSSL_sk_num AW_LAZY(crypto, OPENSSL_sk_num)
#define OPENSSL_sk_value AW_LAZY(crypto, OPENSSL_sk_value)
#define PEM_read_bio_CMS AW_LAZY(crypto, PEM_read_bio_CMS)
#define PEM_read_bio_X509 AW_LAZY(crypto, PEM_read_bio_X509)
#define X509_NAME_print_ex AW_LAZY(crypto, X509_NAME_print_ex)
#define X509_STORE_add_cert AW_LAZY(crypto, X509_STORE_add_cert)
#define X509_STORE_free AW_LAZY(crypto, X509_STORE_free)
#define X509_STORE_get0_param AW_LAZY(crypto, X509_STORE_get0_param)
#define X509_STORE_new AW_LAZY(crypto, X509_STORE_new)
#define X509_VERIFY_PARAM_set_flags AW_LAZY(crypto, X509_VERIFY_PARAM_set_flags)
#define X509_VERIFY_PARAM_set_purpose \
	AW_LAZY(crypto, X509_VERIFY_PARAM_set_purpose)
#define X509_VERIFY_PARAM_set_time AW_LAZY(crypto, X509_VERIFY_PARAM_set_time)
#define X509_check_email AW_LAZY(crypto, X509_check_email)
#define X509_free AW_LAZY(crypto, X509_free)
#define X509_get_key_usage AW_LAZY(crypto, X509_get_key_usage)
#define X509_get_subject_name AW_LAZY(crypto, X509_get_subject_name)
#define d2i_CMS_bio AW_LAZY(crypto, d2i_CMS_bio)

#endif /* AW_LAZY_CRYPTO_H */
