/*
 * fix-xml.c: root keys from IANA's root-anchors.xml (RFC 9718, which
 * obsoletes RFC 7958), the second trust source of `anchorwatch fix`.
 *
 * The file is trusted only through its detached S/MIME signature,
 * verified by fix-smime.c over its exact bytes before anything parses
 * them, so unsigned bytes never reach the parser.
 *
 * The XML is parsed with libexpat, as unbound-anchor does, strictly
 * against RFC 9718 section 2.2's schema: the size is capped, nesting is
 * at most TrustAnchor > KeyDigest > field, a DOCTYPE (and so any DTD or
 * entity) is refused, and every error says "FILE:LINE: what".  Each
 * KeyDigest of zone "." that carries PublicKey and Flags (RFC 9718's
 * publickeyinfo) gives a key: its KeyTag, Algorithm and Digest must be
 * those of the key (section 4.1.2: "MUST NOT use that KeyDigest"
 * otherwise), it must be a SEP key without REVOKE, and it must be valid
 * at now (validFrom <= now < validUntil, section 4.1.1).  A KeyDigest that
 * fails is refused by name.  A digest alone gives no key: the trust set
 * holds keys, and each resolver's file is written from them.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "anchorwatch.h"
#include "lazy-expat.h"

#define FIXXML_SIZE_MAX (256 * 1024)  /* IANA's file is under 2 KB */
#define FIXXML_DEPTH_MAX 3            /* TrustAnchor > KeyDigest > field */
#define FIXXML_DIGESTS_MAX 16         /* KeyDigest elements in a file */
#define FIXXML_TEXT_MAX 4096          /* one field: a 4096-bit key fits */
#define FIXXML_ID_MAX 64

/* The elements of RFC 9718 section 2.2, and where each may appear. */
enum fixxml_el {
	FX_NONE = -1,
	FX_TRUSTANCHOR,
	FX_ZONE,
	FX_KEYDIGEST,
	FX_KEYTAG,          /* the fields of a KeyDigest, in schema order */
	FX_ALGORITHM,
	FX_DIGESTTYPE,
	FX_DIGEST,
	FX_PUBLICKEY,
	FX_FLAGS,
	FX_COUNT,
};

static const char *const fixxml_names[FX_COUNT] = {
	"TrustAnchor", "Zone", "KeyDigest", "KeyTag", "Algorithm",
	"DigestType", "Digest", "PublicKey", "Flags",
};

#define FX_FIELD(e) ((e) >= FX_KEYTAG)
#define FX_BIT(e) (1u << (e))
#define FX_NEEDED (FX_BIT(FX_KEYTAG) | FX_BIT(FX_ALGORITHM) | \
	FX_BIT(FX_DIGESTTYPE) | FX_BIT(FX_DIGEST))

/* The KeyDigest being read. */
struct fixxml_kd {
	char id[FIXXML_ID_MAX];
	unsigned long line;
	long long from, until;
	int has_until;
	unsigned seen;                      /* FX_BIT of each field read */
	char field[FX_COUNT][FIXXML_TEXT_MAX];
};

/* Parse state; x->t gets the keys, x->unused the refusals by name. */
struct fixxml {
	XML_Parser p;
	const char *path;
	long long now;
	struct fix_trust *t;
	char *err;
	size_t errlen;
	int failed;
	unsigned depth;
	enum fixxml_el parent;              /* element at depth 2 */
	enum fixxml_el leaf;                /* element whose text is read */
	char text[FIXXML_TEXT_MAX];
	size_t textlen;
	int zone_seen;
	unsigned ndigests;
	struct fixxml_kd kd;
	char unused[AW_ERR_MAX];
};

/* ---- the XML ------------------------------------------------------------ */

/* At most 40 bytes of hostile text s, fit for one line of a message:
 * anything but printable ASCII shown as '?'.  Returns buf. */
static const char *
fixxml_show(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < 40 && i + 1 < len; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* Stop the parse with "FILE:LINE: what". */
static void __attribute__((format(printf, 2, 3)))
fixxml_fail(struct fixxml *x, const char *fmt, ...)
{
	char msg[AW_ERR_MAX];
	va_list ap;

	if (x->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->errlen, "%s:%lu: %s", x->path,
	    (unsigned long)XML_GetCurrentLineNumber(x->p), msg);
	x->failed = 1;
	XML_StopParser(x->p, XML_FALSE);
}

/*
 * An xsd:dateTime as IANA writes it, "2024-07-18T00:00:00+00:00": seconds
 * may have a fraction (dropped), the zone is Z or +-HH:MM and required.
 * 0 with *out (epoch seconds), or -1.
 */
static int
fixxml_date(const char *s, long long *out)
{
	size_t len = strlen(s), i = 19;
	unsigned hh, mm;
	char buf[21];

	if (len < 20 || s[10] != 'T')
		return -1;
	memcpy(buf, s, 19);
	buf[19] = 'Z';
	if (date_parse(buf, 20, 0, out) == -1)
		return -1;
	if (s[i] == '.') {
		if (!isdigit((unsigned char)s[++i]))
			return -1;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (s[i] == 'Z' && s[i + 1] == '\0')
		return 0;
	if ((s[i] != '+' && s[i] != '-') || len - i != 6 || s[i + 3] != ':' ||
	    !isdigit((unsigned char)s[i + 1]) ||
	    !isdigit((unsigned char)s[i + 2]) ||
	    !isdigit((unsigned char)s[i + 4]) ||
	    !isdigit((unsigned char)s[i + 5]))
		return -1;
	hh = (unsigned)(s[i + 1] - '0') * 10 + (unsigned)(s[i + 2] - '0');
	mm = (unsigned)(s[i + 4] - '0') * 10 + (unsigned)(s[i + 5] - '0');
	if (hh > 14 || mm > 59)
		return -1;
	*out += (s[i] == '+' ? -1 : 1) * (long long)(hh * 3600 + mm * 60);
	return 0;
}

/* The attributes of a KeyDigest: id, validFrom, optional validUntil. */
static void
fixxml_kd_attrs(struct fixxml *x, const XML_Char **atts)
{
	struct fixxml_kd *kd = &x->kd;
	int i, have_from = 0;
	char show[48];
	size_t n;

	memset(kd, 0, sizeof(*kd));
	kd->line = XML_GetCurrentLineNumber(x->p);
	for (i = 0; atts[i] != NULL && !x->failed; i += 2) {
		if (strcmp(atts[i], "id") == 0) {
			n = strlen(atts[i + 1]);
			if (n == 0 || n >= sizeof(kd->id) ||
			    strspn(atts[i + 1], "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
				fixxml_fail(x, "KeyDigest id is not a short "
				    "name of letters and digits");
			else
				memcpy(kd->id, atts[i + 1], n + 1);
		} else if (strcmp(atts[i], "validFrom") == 0) {
			if (fixxml_date(atts[i + 1], &kd->from) == -1)
				fixxml_fail(x, "validFrom is not a date and "
				    "time with a zone (xsd:dateTime)");
			have_from = 1;
		} else if (strcmp(atts[i], "validUntil") == 0) {
			if (fixxml_date(atts[i + 1], &kd->until) == -1)
				fixxml_fail(x, "validUntil is not a date and "
				    "time with a zone (xsd:dateTime)");
			kd->has_until = 1;
		} else
			fixxml_fail(x, "unknown attribute %s of KeyDigest",
			    fixxml_show(atts[i], show, sizeof(show)));
	}
	if (!x->failed && (kd->id[0] == '\0' || !have_from))
		fixxml_fail(x, "KeyDigest without %s", kd->id[0] == '\0' ?
		    "id" : "validFrom");
}

/* The element named name, or FX_NONE. */
static enum fixxml_el
fixxml_element(const char *name)
{
	int i;

	for (i = 0; i < FX_COUNT; i++)
		if (strcmp(name, fixxml_names[i]) == 0)
			return (enum fixxml_el)i;
	return FX_NONE;
}

/* 1 if el may open at the current depth (already counted). */
static int
is_fixxml_placed(const struct fixxml *x, enum fixxml_el el)
{
	switch (x->depth) {
	case 1:
		return el == FX_TRUSTANCHOR;
	case 2:
		return (el == FX_ZONE && !x->zone_seen && x->ndigests == 0) ||
		    (el == FX_KEYDIGEST && x->zone_seen);
	default:
		return x->parent == FX_KEYDIGEST && FX_FIELD(el) &&
		    !(x->kd.seen & FX_BIT(el));
	}
}

static void
fixxml_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct fixxml *x = arg;
	enum fixxml_el el = fixxml_element(name);
	char show[48];
	int i;

	if (x->failed)
		return;
	fixxml_show(name, show, sizeof(show));
	if (++x->depth > FIXXML_DEPTH_MAX) {
		fixxml_fail(x, "<%s> nested deeper than RFC 9718 allows",
		    show);
		return;
	}
	if (el == FX_NONE || !is_fixxml_placed(x, el)) {
		fixxml_fail(x, "unexpected <%s>%s", show, el == FX_ZONE ||
		    el == FX_KEYDIGEST ? " (RFC 9718: one Zone, then "
		    "KeyDigest elements)" : "");
		return;
	}
	if (x->depth == 2)
		x->parent = el;
	if (el == FX_KEYDIGEST) {
		if (++x->ndigests > FIXXML_DIGESTS_MAX)
			fixxml_fail(x, "more than %d KeyDigest elements",
			    FIXXML_DIGESTS_MAX);
		else
			fixxml_kd_attrs(x, atts);
		return;
	}
	for (i = 0; atts[i] != NULL; i += 2)
		if (el != FX_TRUSTANCHOR || (strcmp(atts[i], "id") != 0 &&
		    strcmp(atts[i], "source") != 0)) {
			fixxml_fail(x, "unknown attribute %s of %s",
			    fixxml_show(atts[i], show, sizeof(show)),
			    fixxml_names[el]);
			return;
		}
	x->leaf = el == FX_TRUSTANCHOR ? FX_NONE : el;
	x->textlen = 0;
}

static void
fixxml_text(void *arg, const XML_Char *s, int len)
{
	struct fixxml *x = arg;
	int i;

	if (x->failed)
		return;
	if (x->leaf == FX_NONE) {
		for (i = 0; i < len; i++)
			if (!isspace((unsigned char)s[i])) {
				fixxml_fail(x, "text outside a field");
				return;
			}
		return;
	}
	if ((size_t)len >= sizeof(x->text) - x->textlen) {
		fixxml_fail(x, "<%s> longer than %d bytes", fixxml_names[x->leaf],
		    FIXXML_TEXT_MAX - 1);
		return;
	}
	memcpy(x->text + x->textlen, s, (size_t)len);
	x->textlen += (size_t)len;
}

/* x->text without surrounding white space, NUL-terminated. */
static const char *
fixxml_trimmed(struct fixxml *x)
{
	char *s = x->text, *e = x->text + x->textlen;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/*
 * A field's text: numbers are plain digits, Digest hex and PublicKey
 * base64, each possibly folded over lines (keyset.c reads the rest).
 */
static int
is_fixxml_field_text(enum fixxml_el el, const char *s)
{
	const char *ok = "0123456789";

	if (el == FX_DIGEST)
		ok = "0123456789abcdefABCDEF \t\r\n";
	else if (el == FX_PUBLICKEY)
		ok = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/= \t\r\n";
	return s[0] != '\0' && strspn(s, ok) == strlen(s);
}

static void fixxml_keydigest(struct fixxml *x);

static void
fixxml_end(void *arg, const XML_Char *name)
{
	struct fixxml *x = arg;
	enum fixxml_el el = fixxml_element(name);
	char show[48];
	const char *s;

	if (x->failed)
		return;
	x->depth--;
	if (el == FX_ZONE) {
		s = fixxml_trimmed(x);
		if (strcmp(s, ".") != 0)
			fixxml_fail(x, "Zone \"%s\" is not the root zone (.)",
			    fixxml_show(s, show, sizeof(show)));
		x->zone_seen = 1;
	} else if (FX_FIELD(el)) {
		s = fixxml_trimmed(x);
		if (!is_fixxml_field_text(el, s))
			fixxml_fail(x, "<%s> of KeyDigest %s is not %s", name,
			    x->kd.id, el == FX_DIGEST ? "hex" : el ==
			    FX_PUBLICKEY ? "base64" : "a decimal number");
		snprintf(x->kd.field[el], sizeof(x->kd.field[el]), "%s", s);
		x->kd.seen |= FX_BIT(el);
	} else if (el == FX_KEYDIGEST)
		fixxml_keydigest(x);
	x->leaf = FX_NONE;
}

/* A DOCTYPE would bring a DTD and entities: never in root-anchors.xml. */
static void
fixxml_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	fixxml_fail(arg, "DOCTYPE refused: root-anchors.xml has no DTD or "
	    "entities");
}

/* ---- judging one KeyDigest ----------------------------------------------- */

/* Add "ID (TAG): why" to the refusals by name. */
static void __attribute__((format(printf, 2, 3)))
fixxml_unused(struct fixxml *x, const char *fmt, ...)
{
	size_t n = strlen(x->unused);
	va_list ap;

	if (n + 3 >= sizeof(x->unused))
		return;
	n += (size_t)snprintf(x->unused + n, sizeof(x->unused) - n, "%s%s "
	    "(%s): ", n > 0 ? "; " : "", x->kd.id, x->kd.field[FX_KEYTAG]);
	if (n >= sizeof(x->unused))
		return;
	va_start(ap, fmt);
	vsnprintf(x->unused + n, sizeof(x->unused) - n, fmt, ap);
	va_end(ap);
}

/* Why the dates of x->kd exclude x->now, into why; 0 if they do not. */
static int
fixxml_dates(const struct fixxml *x, char *why, size_t whylen)
{
	char date[32];

	if (x->kd.from > x->now) {
		date_format(x->kd.from, DATE_ISO, date, sizeof(date));
		snprintf(why, whylen, "not valid before %s", date);
	} else if (x->kd.has_until && x->kd.until <= x->now) {
		date_format(x->kd.until, DATE_ISO, date, sizeof(date));
		snprintf(why, whylen, "validUntil %s has passed", date);
	} else
		return 0;
	return -1;
}

/*
 * Why key k, digest ds and the dates of x->kd do not give a key to trust
 * at x->now, into why; 0 if they do.
 */
static int
fixxml_judge(const struct fixxml *x, const struct ds *ds,
    const struct dnskey *k, char *why, size_t whylen)
{
	if (ds->tag != k->tag)
		snprintf(why, whylen, "KeyTag is not the tag of its key (%u)",
		    k->tag);
	else if (ds->digest_type != 2 && ds->digest_type != 4)
		snprintf(why, whylen, "DigestType %u is neither SHA-256 (2) "
		    "nor SHA-384 (4)", ds->digest_type);
	else if (!is_ds_of(ds, k))
		snprintf(why, whylen, "Digest does not match its PublicKey "
		    "and Flags");
	else if (!(k->flags & DNSKEY_F_ZONE) || !(k->flags & DNSKEY_F_SEP))
		snprintf(why, whylen, "Flags %u: not a zone key-signing key",
		    k->flags);
	else if (k->flags & DNSKEY_F_REVOKE)
		snprintf(why, whylen, "Flags %u: revoked", k->flags);
	else
		return fixxml_dates(x, why, whylen);
	return -1;
}

/* Add k to the keys to trust, once. */
static void
fixxml_take(struct fixxml *x, const struct dnskey *k)
{
	struct fix_trust *t = x->t;
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (is_same_key(&t->keys[i], k))
			return;
	if (t->nkeys == FIX_KEYS_MAX)
		fixxml_unused(x, "more than %d keys", FIX_KEYS_MAX);
	else
		t->keys[t->nkeys++] = *k;
}

/*
 * The end of a KeyDigest: its fields as a DS and, with PublicKey and
 * Flags, a DNSKEY, through keyset.c's record parser (one notion of a
 * valid record); then judged.
 */
static void
fixxml_keydigest(struct fixxml *x)
{
	struct fixxml_kd *kd = &x->kd;
	struct anchor ds, key;
	char rr[FIXXML_TEXT_MAX + 64], why[AW_ERR_MAX];
	int i, pk = (kd->seen & FX_BIT(FX_PUBLICKEY)) != 0;

	for (i = FX_KEYTAG; i <= FX_DIGEST; i++)
		if (!(kd->seen & FX_BIT(i))) {
			fixxml_fail(x, "KeyDigest %s (line %lu) has no <%s>",
			    kd->id, kd->line, fixxml_names[i]);
			return;
		}
	if (pk != ((kd->seen & FX_BIT(FX_FLAGS)) != 0)) {
		fixxml_fail(x, "KeyDigest %s has %s without %s", kd->id,
		    pk ? "PublicKey" : "Flags", pk ? "Flags" : "PublicKey");
		return;
	}
	snprintf(rr, sizeof(rr), ". IN DS %s %s %s %s", kd->field[FX_KEYTAG],
	    kd->field[FX_ALGORITHM], kd->field[FX_DIGESTTYPE],
	    kd->field[FX_DIGEST]);
	if (keyset_parse_rr(rr, &ds, why, sizeof(why)) != 1) {
		fixxml_fail(x, "KeyDigest %s: %s", kd->id, why);
		return;
	}
	if (!pk) {
		if (fixxml_dates(x, why, sizeof(why)) == -1)
			fixxml_unused(x, "%s", why);
		else
			fixxml_unused(x, "no PublicKey and Flags: a digest "
			    "alone gives no key to write");
		return;
	}
	snprintf(rr, sizeof(rr), ". IN DNSKEY %s 3 %s %s", kd->field[FX_FLAGS],
	    kd->field[FX_ALGORITHM], kd->field[FX_PUBLICKEY]);
	if (keyset_parse_rr(rr, &key, why, sizeof(why)) != 1) {
		fixxml_fail(x, "KeyDigest %s: %s", kd->id, why);
		return;
	}
	if (fixxml_judge(x, &ds.ds, &key.key, why, sizeof(why)) == -1)
		fixxml_unused(x, "%s", why);
	else
		fixxml_take(x, &key.key);
}

/* ---- the file ----------------------------------------------------------- */

/* Parse buf[0..len) into x->t->keys.  0, or -1 with x->err set. */
static int
fixxml_parse(struct fixxml *x, const char *buf, size_t len)
{
	enum XML_Status st;

	if ((x->p = XML_ParserCreate(NULL)) == NULL)
		fatalx("out of memory");
	XML_SetUserData(x->p, x);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetStartDoctypeDeclHandler(x->p, fixxml_doctype);
	XML_SetElementHandler(x->p, fixxml_start, fixxml_end);
	XML_SetCharacterDataHandler(x->p, fixxml_text);
	x->leaf = FX_NONE;
	x->parent = FX_NONE;
	st = XML_Parse(x->p, buf, (int)len, 1);
	if (st != XML_STATUS_OK && !x->failed) {
		snprintf(x->err, x->errlen, "%s:%lu: %s", x->path,
		    (unsigned long)XML_GetCurrentLineNumber(x->p),
		    XML_ErrorString(XML_GetErrorCode(x->p)));
		x->failed = 1;
	}
	if (!x->failed && x->ndigests == 0)
		fixxml_fail(x, "no KeyDigest");
	XML_ParserFree(x->p);
	x->p = NULL;
	return x->failed ? -1 : 0;
}

int
fix_trust_xml(const char *xml, const char *p7s, const char *ca,
    long long now, struct fix_trust *t, char *err, size_t errlen)
{
	struct fixxml *x = NULL;
	char *buf = NULL, who[256];
	size_t len;
	int rv = -1;

	t->nkeys = 0;
	if (p7s[0] == '\0' || ca[0] == '\0') {
		snprintf(err, errlen, "%s: fix.%s is not set: an unverified "
		    "root-anchors.xml is never used", xml, p7s[0] == '\0' ?
		    "anchors_p7s" : "ca_cert");
		return -1;
	}
	if (fileio_load(xml, FIXXML_SIZE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	if (len == 0) {
		snprintf(err, errlen, "%s: empty file", xml);
		goto done;
	}
	if (fix_smime_verify(xml, buf, len, p7s, ca, now, who, sizeof(who),
	    err, errlen) == -1)
		goto done;
	x = xcalloc(1, sizeof(*x));
	x->path = xml;
	x->now = now;
	x->t = t;
	x->err = err;
	x->errlen = errlen;
	if (fixxml_parse(x, buf, len) == -1)
		goto done;
	if (t->nkeys == 0) {
		snprintf(err, errlen, "%s: no key to trust: %s", xml, x->unused);
		goto done;
	}
	snprintf(t->how, sizeof(t->how), "%s, signed by %s (verified against "
	    "%s)%s%s", xml, who, ca, x->unused[0] ? "; not used: " : "",
	    x->unused);
	rv = 0;
done:
	if (rv == -1)
		t->nkeys = 0;
	free(x);
	free(buf);
	return rv;
}
