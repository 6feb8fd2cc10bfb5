/*
 * keyset.c: DNSKEY and DS records, the currency of every trust anchor.
 *
 * Every resolver reader turns its files into struct anchor through the two
 * text parsers here, and the detectors compare anchors with the live root
 * keys through the predicates here, so there is exactly one notion of "the
 * same key" in the program.  Implements RFC 4034 section 2 (DNSKEY rdata
 * and presentation format), section 5 (DS: digest over owner name and
 * DNSKEY rdata) and appendix B (key tag), RFC 5011 section 2.1 (the REVOKE
 * flag, which changes the key tag but not the key), RFC 3658/4509/6605
 * digest types 1, 2 and 4, and the BIND trusted-keys / trust-anchors entry
 * syntax.  All input is untrusted text: numbers are range checked, base64
 * and hex are validated before decoding, and key material is kept and
 * compared in binary.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <nettle/base64.h>
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>

#include "anchorwatch.h"

#define KEYSET_B64_MAX (((AW_KEY_MAX + 2) / 3) * 4)  /* encoded key, max */
#define KEYSET_HEX_MAX (AW_DIGEST_MAX * 2)
#define KEYSET_MD_MAX SHA384_DIGEST_SIZE  /* the longest DS digest */

/* A token of a record: a pointer into the text and a length. */
struct keyset_tok {
	const char *p;
	size_t len;
	int quoted;
};

/* Parse state over one record text. */
struct keyset_cur {
	const char *p;
	int quotes;         /* honour "..." (BIND syntax) */
};

/*
 * Next whitespace-separated token, or a "quoted" one when cur->quotes.
 * Returns 1 with t set, 0 at the end, -1 on an unterminated quote.
 */
static int
keyset_next(struct keyset_cur *cur, struct keyset_tok *t)
{
	const char *p = cur->p, *e;

	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		cur->p = p;
		return 0;
	}
	if (cur->quotes && *p == '"') {
		if ((e = strchr(p + 1, '"')) == NULL)
			return -1;
		t->p = p + 1;
		t->len = (size_t)(e - p - 1);
		t->quoted = 1;
		cur->p = e + 1;
		return 1;
	}
	for (e = p; *e != '\0' && !isspace((unsigned char)*e); e++)
		if (cur->quotes && *e == '"')
			break;
	t->p = p;
	t->len = (size_t)(e - p);
	t->quoted = 0;
	cur->p = e;
	return 1;
}

/* 1 if token t is exactly s, ignoring case. */
static int
is_tok(const struct keyset_tok *t, const char *s)
{
	return strlen(s) == t->len && strncasecmp(t->p, s, t->len) == 0;
}

/*
 * Strict unsigned decimal: digits only, no sign, at most max.  Returns 0
 * with *v set, -1 otherwise.
 */
static int
keyset_num(const struct keyset_tok *t, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long n = 0;
	size_t i;

	if (t->len == 0)
		return -1;
	for (i = 0; i < t->len; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return -1;
		if ((unsigned)(t->p[i] - '0') > max ||
		    n > (max - (unsigned)(t->p[i] - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(t->p[i] - '0');
	}
	*v = n;
	return 0;
}

/* Read the next token as a number of at most max, or fail with err. */
static int
keyset_field(struct keyset_cur *cur, const char *what,
    unsigned long long max, unsigned long long *v, char *err, size_t errlen)
{
	struct keyset_tok t;
	int r;

	if ((r = keyset_next(cur, &t)) != 1) {
		if (r == -1)
			snprintf(err, errlen, "unterminated quote");
		else
			snprintf(err, errlen, "record ends before the %s", what);
		return -1;
	}
	if (keyset_num(&t, max, v) == -1) {
		snprintf(err, errlen, "bad %s \"%.*s\" (0-%llu)", what,
		    t.len > 20 ? 20 : (int)t.len, t.p, max);
		return -1;
	}
	return 0;
}

/*
 * Concatenate the remaining tokens (whitespace and quotes dropped) into
 * out of size outlen.  Returns the length, or -1 if it does not fit or a
 * quote is unterminated.
 */
static int
keyset_rest(struct keyset_cur *cur, char *out, size_t outlen)
{
	struct keyset_tok t;
	size_t n = 0, i;
	int r;

	while ((r = keyset_next(cur, &t)) == 1) {
		for (i = 0; i < t.len; i++) {
			if (isspace((unsigned char)t.p[i]))
				continue;
			if (n + 1 >= outlen)
				return -1;
			out[n++] = t.p[i];
		}
	}
	if (r == -1)
		return -1;
	out[n] = '\0';
	return (int)n;
}

/* 1 if c belongs to the base64 alphabet (RFC 4648 section 4). */
static int
is_b64(int c)
{
	return isalnum(c) || c == '+' || c == '/';
}

/*
 * Decode base64 text of len characters into out (at least len / 4 * 3
 * bytes), checked here to be canonical: the alphabet, '=' only as the
 * last one or two, a length a multiple of 4.  Returns the decoded length
 * or -1.
 */
static int
keyset_b64(const char *in, size_t len, unsigned char *out)
{
	struct base64_decode_ctx ctx;
	size_t i, pad = 0, n = 0;

	if (len == 0 || len % 4 != 0 || len > KEYSET_B64_MAX + 4)
		return -1;
	for (i = 0; i < len; i++) {
		if (in[i] == '=' && i >= len - 2) {
			pad++;
			continue;
		}
		if (pad > 0 || !is_b64((unsigned char)in[i]))
			return -1;
	}
	if (pad == 2 && in[len - 2] != '=')
		return -1;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, out, len, in) ||
	    !base64_decode_final(&ctx) || n > len / 4 * 3)
		return -1;
	return (int)n;
}

/* Decode hex text into out (outlen bytes).  Returns the length or -1. */
static int
keyset_hex(const char *in, size_t len, unsigned char *out, size_t outlen)
{
	size_t i;
	int hi, lo;

	if (len == 0 || len % 2 != 0 || len / 2 > outlen)
		return -1;
	for (i = 0; i < len; i += 2) {
		if (!isxdigit((unsigned char)in[i]) ||
		    !isxdigit((unsigned char)in[i + 1]))
			return -1;
		hi = isdigit((unsigned char)in[i]) ? in[i] - '0' :
		    tolower((unsigned char)in[i]) - 'a' + 10;
		lo = isdigit((unsigned char)in[i + 1]) ? in[i + 1] - '0' :
		    tolower((unsigned char)in[i + 1]) - 'a' + 10;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (int)(len / 2);
}

/* RFC 4034 appendix B key tag of DNSKEY rdata; appendix B.1 for alg 1. */
uint16_t
keyset_tag(const unsigned char *rd, size_t len)
{
	unsigned long ac = 0;
	size_t i;

	if (len >= 4 && rd[3] == 1) {
		if (len < 7)
			return 0;
		return (uint16_t)(rd[len - 3] << 8 | rd[len - 2]);
	}
	for (i = 0; i < len; i++)
		ac += (i & 1) ? rd[i] : (unsigned long)rd[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

int
keyset_dnskey_rdata(const struct dnskey *k, unsigned char *out,
    size_t outlen)
{
	if (k->keylen > AW_KEY_MAX || outlen < 4 + (size_t)k->keylen)
		return -1;
	out[0] = (unsigned char)(k->flags >> 8);
	out[1] = (unsigned char)(k->flags & 0xff);
	out[2] = k->protocol;
	out[3] = k->algorithm;
	memcpy(out + 4, k->key, k->keylen);
	return 4 + k->keylen;
}

/* Parse wire rdata (flags, protocol, algorithm, key) and compute the tag. */
int
keyset_dnskey_from_rdata(struct dnskey *k, const unsigned char *rd,
    size_t len)
{
	memset(k, 0, sizeof(*k));
	if (len <= 4 || len - 4 > AW_KEY_MAX)
		return -1;
	k->flags = (uint16_t)(rd[0] << 8 | rd[1]);
	k->protocol = rd[2];
	k->algorithm = rd[3];
	k->keylen = (uint16_t)(len - 4);
	memcpy(k->key, rd + 4, len - 4);
	k->tag = keyset_tag(rd, len);
	return 0;
}

/* Recompute k->tag from its fields. */
static void
keyset_retag(struct dnskey *k)
{
	unsigned char rd[4 + AW_KEY_MAX];
	int n;

	if ((n = keyset_dnskey_rdata(k, rd, sizeof(rd))) > 0)
		k->tag = keyset_tag(rd, (size_t)n);
}

/* Required digest length of a DS digest type; 0 if the type is unknown. */
static size_t
keyset_digest_len(uint8_t type)
{
	switch (type) {
	case 1:
		return 20;      /* SHA-1, RFC 3658 */
	case 2:
		return 32;      /* SHA-256, RFC 4509 */
	case 3:
		return 32;      /* GOST R 34.11-94, RFC 5933 */
	case 4:
		return 48;      /* SHA-384, RFC 6605 */
	default:
		return 0;
	}
}

/* Fill a as a DNSKEY anchor from its fields and base64 key text. */
static int
keyset_fill_dnskey(struct anchor *a, unsigned long long flags,
    unsigned long long proto, unsigned long long alg, const char *b64,
    size_t b64len, char *err, size_t errlen)
{
	unsigned char buf[KEYSET_B64_MAX + 4];
	int n;

	if (proto != 3) {
		snprintf(err, errlen, "DNSKEY protocol %llu is not 3", proto);
		return -1;
	}
	if (b64len == 0) {
		snprintf(err, errlen, "DNSKEY has no public key");
		return -1;
	}
	if ((n = keyset_b64(b64, b64len, buf)) < 0) {
		snprintf(err, errlen, "DNSKEY public key is not valid base64%s",
		    b64len > KEYSET_B64_MAX ? " or too long" : "");
		return -1;
	}
	if (n == 0 || n > AW_KEY_MAX) {
		snprintf(err, errlen, "DNSKEY public key of %d bytes", n);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->key.flags = (uint16_t)flags;
	a->key.protocol = (uint8_t)proto;
	a->key.algorithm = (uint8_t)alg;
	a->key.keylen = (uint16_t)n;
	memcpy(a->key.key, buf, (size_t)n);
	keyset_retag(&a->key);
	a->state = KS_STATIC;
	return 1;
}

/* Fill a as a DS anchor from its fields and hex digest text. */
static int
keyset_fill_ds(struct anchor *a, unsigned long long tag,
    unsigned long long alg, unsigned long long type, const char *hex,
    size_t hexlen, char *err, size_t errlen)
{
	unsigned char d[AW_DIGEST_MAX];
	size_t want = keyset_digest_len((uint8_t)type);
	int n;

	if ((n = keyset_hex(hex, hexlen, d, sizeof(d))) <= 0) {
		snprintf(err, errlen, "DS digest is not valid hex of at most "
		    "%d bytes", AW_DIGEST_MAX);
		return -1;
	}
	if (want != 0 && (size_t)n != want) {
		snprintf(err, errlen, "DS digest type %llu needs %zu bytes, "
		    "not %d", type, want, n);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->is_ds = 1;
	a->ds.tag = (uint16_t)tag;
	a->ds.algorithm = (uint8_t)alg;
	a->ds.digest_type = (uint8_t)type;
	a->ds.digestlen = (uint16_t)n;
	memcpy(a->ds.digest, d, (size_t)n);
	a->state = KS_STATIC;
	return 1;
}

/*
 * Parse the rdata fields at cur: three numbers then base64 (DNSKEY) or
 * hex (DS).  Returns 1 or -1 with err set.
 */
static int
keyset_rdata(struct keyset_cur *cur, int is_ds, struct anchor *a,
    char *err, size_t errlen)
{
	char data[KEYSET_B64_MAX + 8];
	unsigned long long f1, f2, f3;
	int n;

	if (keyset_field(cur, is_ds ? "key tag" : "flags", 65535, &f1, err,
	    errlen) == -1 ||
	    keyset_field(cur, is_ds ? "algorithm" : "protocol", 255, &f2, err,
	    errlen) == -1 ||
	    keyset_field(cur, is_ds ? "digest type" : "algorithm", 255, &f3,
	    err, errlen) == -1)
		return -1;
	if ((n = keyset_rest(cur, data, sizeof(data))) < 0) {
		snprintf(err, errlen, "%s too long or unterminated",
		    is_ds ? "DS digest" : "DNSKEY public key");
		return -1;
	}
	if (is_ds)
		return keyset_fill_ds(a, f1, f2, f3, data, (size_t)n, err,
		    errlen);
	return keyset_fill_dnskey(a, f1, f2, f3, data, (size_t)n, err, errlen);
}

/*
 * "owner [ttl] [class] TYPE rdata", ttl and class in either order.
 * Returns 1 for a root DNSKEY/DS, 0 for another owner or type, -1 on
 * malformed input.
 */
int
keyset_parse_rr(const char *text, struct anchor *a, char *err,
    size_t errlen)
{
	struct keyset_cur cur = { text, 0 };
	struct keyset_tok owner, t;
	unsigned long long ttl;
	int i, have_ttl = 0, have_class = 0;

	if (keyset_next(&cur, &owner) != 1) {
		snprintf(err, errlen, "empty record");
		return -1;
	}
	for (i = 0; i < 3; i++) {
		if (keyset_next(&cur, &t) != 1) {
			snprintf(err, errlen, "record has no type");
			return -1;
		}
		if (!have_ttl && isdigit((unsigned char)t.p[0])) {
			if (keyset_num(&t, 2147483647ULL, &ttl) == -1) {
				snprintf(err, errlen, "bad TTL");
				return -1;
			}
			have_ttl = 1;
		} else if (!have_class && (is_tok(&t, "IN") ||
		    is_tok(&t, "CH") || is_tok(&t, "HS") || is_tok(&t, "CS"))) {
			if (!is_tok(&t, "IN"))
				return 0;
			have_class = 1;
		} else
			break;
	}
	if (owner.len != 1 || owner.p[0] != '.')
		return 0;
	if (is_tok(&t, "DNSKEY"))
		return keyset_rdata(&cur, 0, a, err, errlen);
	if (is_tok(&t, "DS"))
		return keyset_rdata(&cur, 1, a, err, errlen);
	return 0;
}

/*
 * One BIND trusted-keys or trust-anchors entry without its ';':
 * name [initial-key|static-key|initial-ds|static-ds] n n n "data".
 * Returns 1 for the root, 0 for another name, -1 on malformed input.
 */
int
keyset_parse_trusted_key(const char *text, struct anchor *a, char *err,
    size_t errlen)
{
	struct keyset_cur cur = { text, 1 }, save;
	struct keyset_tok name, t;
	int is_ds = 0, r;

	if ((r = keyset_next(&cur, &name)) != 1) {
		snprintf(err, errlen, "%s", r == 0 ? "empty trusted key entry" :
		    "unterminated quote");
		return -1;
	}
	save = cur;
	if ((r = keyset_next(&cur, &t)) != 1) {
		snprintf(err, errlen, "%s", r == 0 ?
		    "trusted key entry ends after the name" :
		    "unterminated quote");
		return -1;
	}
	if (is_tok(&t, "initial-ds") || is_tok(&t, "static-ds"))
		is_ds = 1;
	else if (!is_tok(&t, "initial-key") && !is_tok(&t, "static-key"))
		cur = save;     /* trusted-keys: no keyword */
	if (name.len != 1 || name.p[0] != '.')
		return 0;
	return keyset_rdata(&cur, is_ds, a, err, errlen);
}

/* Compute the DS digest of k (owner ".") with the given type into md. */
static int
keyset_digest(const struct dnskey *k, uint8_t type, unsigned char *md,
    unsigned int *mdlen)
{
	unsigned char buf[1 + 4 + AW_KEY_MAX];
	const struct nettle_hash *alg;
	union {
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha384_ctx sha384;
	} ctx;
	int n;

	switch (type) {
	case 1:
		alg = &nettle_sha1;
		break;
	case 2:
		alg = &nettle_sha256;
		break;
	case 4:
		alg = &nettle_sha384;
		break;
	default:
		return -1;
	}
	buf[0] = 0;             /* the root's wire name */
	if ((n = keyset_dnskey_rdata(k, buf + 1, sizeof(buf) - 1)) < 0)
		return -1;
	alg->init(&ctx);
	alg->update(&ctx, (size_t)n + 1, buf);
	alg->digest(&ctx, alg->digest_size, md);
	*mdlen = alg->digest_size;
	return 0;
}

int
is_ds_of(const struct ds *ds, const struct dnskey *k)
{
	unsigned char md[KEYSET_MD_MAX], rd[4 + AW_KEY_MAX];
	unsigned int mdlen = 0;
	int n;

	if (ds->algorithm != k->algorithm)
		return 0;
	if ((n = keyset_dnskey_rdata(k, rd, sizeof(rd))) < 0 ||
	    keyset_tag(rd, (size_t)n) != ds->tag)
		return 0;
	if (keyset_digest(k, ds->digest_type, md, &mdlen) == -1)
		return 0;
	return mdlen == ds->digestlen && memcmp(md, ds->digest, mdlen) == 0;
}

int
is_same_key(const struct dnskey *a, const struct dnskey *b)
{
	return (a->flags & ~DNSKEY_F_REVOKE) == (b->flags & ~DNSKEY_F_REVOKE) &&
	    a->protocol == b->protocol && a->algorithm == b->algorithm &&
	    a->keylen == b->keylen && a->keylen <= AW_KEY_MAX &&
	    memcmp(a->key, b->key, a->keylen) == 0;
}

/*
 * A DS anchor still designates its key after the key is revoked: the
 * digest was made over the flags without REVOKE, so try both.
 */
int
is_anchor_for(const struct anchor *a, const struct dnskey *k)
{
	struct dnskey plain;

	if (!a->is_ds)
		return is_same_key(&a->key, k);
	if (is_ds_of(&a->ds, k))
		return 1;
	if ((k->flags & DNSKEY_F_REVOKE) == 0)
		return 0;
	plain = *k;
	plain.flags &= (uint16_t)~DNSKEY_F_REVOKE;
	keyset_retag(&plain);
	return is_ds_of(&a->ds, &plain);
}

uint16_t
keyset_anchor_tag(const struct anchor *a)
{
	return a->is_ds ? a->ds.tag : a->key.tag;
}

const char *
keyset_state_name(enum ks_state s)
{
	switch (s) {
	case KS_START:
		return "Start";
	case KS_ADDPEND:
		return "AddPend";
	case KS_VALID:
		return "Valid";
	case KS_MISSING:
		return "Missing";
	case KS_REVOKED:
		return "Revoked";
	case KS_REMOVED:
		return "Removed";
	case KS_STATIC:
		return "static";
	}
	return "unknown";
}

int
keyset_ds_of_key(const struct dnskey *k, uint8_t type, struct ds *out)
{
	unsigned char md[KEYSET_MD_MAX];
	unsigned int mdlen = 0;

	if (keyset_digest(k, type, md, &mdlen) == -1 || mdlen > AW_DIGEST_MAX)
		return -1;
	memset(out, 0, sizeof(*out));
	out->tag = k->tag;
	out->algorithm = k->algorithm;
	out->digest_type = type;
	out->digestlen = (uint16_t)mdlen;
	memcpy(out->digest, md, mdlen);
	return 0;
}

int
keyset_format_dnskey(const struct dnskey *k, char *buf, size_t len)
{
	char b64[BASE64_ENCODE_RAW_LENGTH(AW_KEY_MAX) + 1];
	int n;

	if (k->keylen > AW_KEY_MAX)
		return -1;
	base64_encode_raw(b64, k->keylen, k->key);
	b64[BASE64_ENCODE_RAW_LENGTH(k->keylen)] = '\0';
	n = snprintf(buf, len, "%u %u %u %s", k->flags, k->protocol,
	    k->algorithm, b64);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
keyset_format_ds(const struct ds *d, char *buf, size_t len)
{
	size_t i, off;
	int n;

	n = snprintf(buf, len, "%u %u %u ", d->tag, d->algorithm,
	    d->digest_type);
	if (n < 0 || (size_t)n + (size_t)d->digestlen * 2 >= len)
		return -1;
	off = (size_t)n;
	for (i = 0; i < d->digestlen; i++, off += 2)
		snprintf(buf + off, len - off, "%02X", d->digest[i]);
	return 0;
}
