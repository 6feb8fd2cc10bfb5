/*
 * anchor-resolved.c: what systemd-resolved trusts for the root.
 *
 * systemd-resolved has no RFC 5011 (dnssec-trust-anchors.d(5): it "will
 * not update its trust anchor database from DNS servers"), so its anchors
 * are static.  The reader follows systemd 252 (Debian 12), and reads as it
 * does: resolved never refuses to start over these files, it logs a line
 * it cannot use and goes on, and so does the reader (t-resolved.sh checks
 * it against the daemon):
 *  - resolved.conf, then the resolved.conf.d/ *.conf drop-ins of /etc,
 *    /run, /usr/local/lib and /usr/lib (+ /lib) systemd/: [Resolve]
 *    DNSSEC= a boolean (any case) or allow-downgrade validates or not;
 *    another value, "" included, is ignored (the one before stands; with
 *    none, Debian's default "no", shown as "#DNSSEC=no" in its packaged
 *    resolved.conf).  A line without '=' is ignored; a section header not
 *    closed ends the reading of that file and of every drop-in after it;
 *  - dnssec-trust-anchors.d/ *.positive in the same directories: one
 *    "DOMAIN IN DS|DNSKEY ..." record a line, ';' lines are comments; a
 *    file name in an earlier directory hides the same name in later ones;
 *    files are read in name order (resolved-dns-trust-anchor.c).
 *    Algorithm and digest type by number or systemd's name (RSASHA256,
 *    SHA-256), a digest of any length, blanks in it skipped; a line with
 *    another class or type, bad numbers, an odd or non-hex digest, a key
 *    without the zone bit, with the revoke bit or protocol not 3 is
 *    ignored;
 *  - when no positive file holds a root anchor, the built-in DS set.
 *    Upstream 252 has 20326 only; Debian's 252.39 binary carries both
 *    20326 and 38696 (the digests are in /lib/systemd/systemd-resolved),
 *    and that is what is modelled;
 *  - a *.negative file listing the root turns validation off everywhere.
 * The repair (`anchorwatch fix`, below) writes .positive files by those
 * rules, not as zone files, and only in /etc/dnssec-trust-anchors.d.
 * Per-link DNSSEC= of systemd-networkd and runtime changes made with
 * resolvectl are not on disk in these files and are not seen.  A NUL byte
 * in a file is an error.
 *
 * Tests point rc->config at FIXTURE/etc/systemd/resolved.conf: the part
 * before /etc/systemd/resolved.conf is taken as the root of the tree in
 * which every directory above is looked up.  A config elsewhere is read as
 * the main file with the host's directories.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anchorwatch.h"

#define RS_LINE_MAX 4096
#define RS_FILES_MAX 256
#define RS_CONF "/etc/systemd/resolved.conf"
#define RS_USER "systemd-resolve"
#define RS_BINARY "/lib/systemd/systemd-resolved"

/* The search path of systemd 252 (CONF_PATHS_NULSTR, split /usr). */
static const char *const rs_dirs[] = {
	"/etc/", "/run/", "/usr/local/lib/", "/usr/lib/", "/lib/",
};

static const char *const rs_builtin[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC6834"
	    "57104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C48"
	    "3AF444A4C0FB2B16",
};

/* A loaded file, split in lines. */
struct rs_file {
	char *buf;
	size_t len, pos;
	unsigned line;
};

static int
rs_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;

	return strcmp(strrchr(x, '/') + 1, strrchr(y, '/') + 1);
}

/*
 * The files named *suffix in prefix + each search directory + sub, one per
 * file name (the earliest directory wins), sorted by file name.  Masked
 * files (links to /dev/null) are left out.  *out and its entries are
 * freed by the caller.
 */
static int
resolved_list(const char *prefix, const char *sub, const char *suffix,
    char ***out, size_t *n, char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], path[AW_PATH_MAX], real[PATH_MAX];
	struct dirent *de;
	struct stat st;
	size_t i, k, nl, sl = strlen(suffix);
	DIR *d;

	*out = NULL;
	*n = 0;
	for (i = 0; i < sizeof(rs_dirs) / sizeof(rs_dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s%s%s", prefix, rs_dirs[i], sub);
		if ((d = opendir(dir)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			nl = strlen(de->d_name);
			if (de->d_name[0] == '.' || nl <= sl ||
			    strcmp(de->d_name + nl - sl, suffix) != 0)
				continue;
			for (k = 0; k < *n; k++)
				if (strcmp(strrchr((*out)[k], '/') + 1,
				    de->d_name) == 0)
					break;
			if (k < *n)
				continue;       /* hidden by an earlier dir */
			if (*n >= RS_FILES_MAX || snprintf(path, sizeof(path),
			    "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
				snprintf(err, errlen, "%s: too many files or "
				    "name too long", dir);
				closedir(d);
				return -1;
			}
			*out = xreallocarray(*out, *n + 1, sizeof(**out));
			if (((*out)[(*n)++] = strdup(path)) == NULL)
				fatalx("out of memory");
		}
		closedir(d);
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), rs_cmp);
	/* masked entries still hide later ones; drop them only now */
	for (i = 0; i < *n; i++)
		if ((realpath((*out)[i], real) != NULL &&
		    strcmp(real, "/dev/null") == 0) ||
		    (stat((*out)[i], &st) == 0 && !S_ISREG(st.st_mode)))
			(*out)[i][0] = '\0';
	return 0;
}

static void
resolved_free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* Load path; refuse NUL bytes. */
static int
resolved_load(const char *path, struct rs_file *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	if (fileio_load_text(path, &f->buf, &f->len, err, errlen) == -1)
		return -1;
	return 0;
}

/*
 * Next line of f, blanks stripped at both ends, into l (RS_LINE_MAX + 1).
 * 1, 0 at the end.  A longer line is given as "" (resolved cannot use
 * one: no anchor or setting is that long).
 */
static int
resolved_getline(struct rs_file *f, char *l)
{
	const char *s;
	size_t n;

	if (!fileio_nextline(f->buf, f->len, &f->pos, &s, &n))
		return 0;
	f->line++;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > RS_LINE_MAX)
		n = 0;
	memcpy(l, s, n);
	l[n] = '\0';
	return 1;
}

/* ---- resolved.conf ------------------------------------------------------- */

/*
 * DNSSEC= value v at path:line into r, as resolved's
 * config_parse_dnssec_mode: a boolean (any case) or "allow-downgrade";
 * anything else, "" included, is logged and ignored by resolved.
 */
static void
resolved_dnssec(struct resolver *r, const char *v, const char *path,
    unsigned line)
{
	static const char *const on[] = { "yes", "true", "on", "1", "y",
	    "t" };
	static const char *const off[] = { "no", "false", "off", "0", "n",
	    "f" };
	size_t i;

	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++)
		if (strcasecmp(v, on[i]) == 0 ||
		    strcmp(v, "allow-downgrade") == 0) {
			r->dnssec = DNSSEC_ON;
			r->dnssec_where[0] = '\0';
			return;
		}
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if (strcasecmp(v, off[i]) == 0) {
			r->dnssec = DNSSEC_OFF;
			snprintf(r->dnssec_where, sizeof(r->dnssec_where),
			    "%s:%u", path, line);
			return;
		}
}

/*
 * One resolved.conf file: only [Resolve] DNSSEC= matters.  As systemd's
 * config parser, a line without '=' is ignored, and a section header not
 * closed ends the reading of this file and of the drop-ins after it:
 * returns 1 then, 0 when done, -1 if the file cannot be read.
 */
static int
resolved_conf_file(struct resolver *r, const char *path, char *err,
    size_t errlen)
{
	struct rs_file f;
	char *l = xcalloc(1, RS_LINE_MAX + 1), *eq, *v;
	int in_resolve = 0, rv = 0;

	if (resolved_load(path, &f, err, errlen) == -1) {
		free(l);
		return -1;
	}
	while (rv == 0 && resolved_getline(&f, l) == 1) {
		if (l[0] == '\0' || l[0] == '#' || l[0] == ';')
			continue;
		if (l[0] == '[') {
			rv = l[strlen(l) - 1] != ']';
			in_resolve = strcmp(l, "[Resolve]") == 0;
			continue;
		}
		if ((eq = strchr(l, '=')) == NULL)
			continue;
		for (v = eq + 1; isspace((unsigned char)*v); v++)
			;
		for (*eq = '\0'; eq > l && isspace((unsigned char)eq[-1]);)
			*--eq = '\0';
		if (in_resolve && strcmp(l, "DNSSEC") == 0)
			resolved_dnssec(r, v, path, f.line);
	}
	free(l);
	free(f.buf);
	return rv;
}

/* ---- dnssec-trust-anchors.d ------------------------------------------------ */

/* systemd's DNSSEC algorithm and digest names (exact case); a number up
 * to 255 does as well. */
static const char *const rs_algs[256] = {
	[1] = "RSAMD5", [2] = "DH", [3] = "DSA", [4] = "ECC", [5] = "RSASHA1",
	[6] = "DSA-NSEC3-SHA1", [7] = "RSASHA1-NSEC3-SHA1", [8] = "RSASHA256",
	[10] = "RSASHA512", [12] = "ECC-GOST", [13] = "ECDSAP256SHA256",
	[14] = "ECDSAP384SHA384", [15] = "ED25519", [16] = "ED448",
	[252] = "INDIRECT", [253] = "PRIVATEDNS", [254] = "PRIVATEOID",
};
static const char *const rs_digests[256] = {
	[1] = "SHA-1", [2] = "SHA-256", [3] = "GOST_R_34.11-94",
	[4] = "SHA-384",
};

/* The number of name s in names, or of s itself up to max; -1. */
static long
resolved_number(const char *s, const char *const *names, unsigned long max)
{
	unsigned long v;
	size_t i;

	for (i = 0; names != NULL && i < 256; i++)
		if (names[i] != NULL && strcmp(s, names[i]) == 0)
			return (long)i;
	if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s) ||
	    strlen(s) > 5 || (v = strtoul(s, NULL, 10)) > max)
		return -1;
	return (long)v;
}

/* The next blank-separated word of *p, cut in place; NULL if none. */
static char *
resolved_word(char **p)
{
	char *w = *p + strspn(*p, " \t"), *e;

	if (*w == '\0')
		return NULL;
	e = w + strcspn(w, " \t");
	*p = e + strspn(e, " \t");
	if (*e != '\0')
		*e = '\0';
	return w;
}

/* A DS digest as unhexmem reads it (blanks skipped, an even number of
 * hex digits) into a; 0, or -1. */
static int
resolved_hex(const char *p, struct anchor *a)
{
	char pair[3] = "";
	size_t n = 0;

	for (; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)*p))
			return -1;
		pair[n++ % 2] = *p;
		if (n % 2 == 0 && n / 2 <= AW_DIGEST_MAX)
			a->ds.digest[n / 2 - 1] = (unsigned char)strtoul(pair,
			    NULL, 16);
	}
	if (n == 0 || n % 2 != 0)
		return -1;
	a->ds.digestlen = (uint16_t)(n / 2 < AW_DIGEST_MAX ? n / 2 :
	    AW_DIGEST_MAX);
	return 0;
}

/*
 * One line of a .positive file, as dns_trust_anchor_load_positive reads
 * it: "DOMAIN IN DS TAG ALG DIGEST-TYPE HEX" or "DOMAIN IN DNSKEY FLAGS 3
 * ALG BASE64".  1 and a for a root anchor resolved takes, 0 for anything
 * else: another domain, or a line resolved logs and ignores (class not
 * IN, missing fields, bad numbers or digest, a key without the zone bit
 * or with the revoke bit).  A digest of any length is taken.
 */
static int
resolved_positive(char *l, struct anchor *a)
{
	char *p = l, *dom, *cls, *type, *f[3], text[RS_LINE_MAX + 64], why[8];
	long n[3];

	if ((dom = resolved_word(&p)) == NULL || strcmp(dom, ".") != 0 ||
	    (cls = resolved_word(&p)) == NULL || strcasecmp(cls, "IN") != 0 ||
	    (type = resolved_word(&p)) == NULL ||
	    (f[0] = resolved_word(&p)) == NULL ||
	    (f[1] = resolved_word(&p)) == NULL ||
	    (f[2] = resolved_word(&p)) == NULL || *p == '\0' ||
	    (n[0] = resolved_number(f[0], NULL, 65535)) == -1)
		return 0;
	memset(a, 0, sizeof(*a));
	a->state = KS_STATIC;
	if (strcasecmp(type, "DS") == 0) {
		if ((n[1] = resolved_number(f[1], rs_algs, 255)) == -1 ||
		    (n[2] = resolved_number(f[2], rs_digests, 255)) == -1 ||
		    resolved_hex(p, a) == -1)
			return 0;
		a->is_ds = 1;
		a->ds.tag = (uint16_t)n[0];
		a->ds.algorithm = (uint8_t)n[1];
		a->ds.digest_type = (uint8_t)n[2];
		return 1;
	}
	if (strcasecmp(type, "DNSKEY") != 0 || strcmp(f[1], "3") != 0 ||
	    !(n[0] & DNSKEY_F_ZONE) || (n[0] & DNSKEY_F_REVOKE) ||
	    (n[2] = resolved_number(f[2], rs_algs, 255)) == -1)
		return 0;
	snprintf(text, sizeof(text), ". IN DNSKEY %ld 3 %ld %s", n[0], n[2],
	    p);
	return keyset_parse_rr(text, a, why, sizeof(why)) == 1;
}

/* Read one .positive file into a source of r (if it has root anchors). */
static int
resolved_positive_file(struct resolver *r, const char *path, char *err,
    size_t errlen)
{
	struct rs_file f;
	struct source *s = NULL;
	struct anchor a;
	char *l = xcalloc(1, RS_LINE_MAX + 1);
	int rv = -1;

	if (resolved_load(path, &f, err, errlen) == -1) {
		free(l);
		return -1;
	}
	while (resolved_getline(&f, l) == 1) {
		if (l[0] == ';' || resolved_positive(l, &a) != 1)
			continue;
		if (s == NULL) {
			s = resolver_add_source(r);
			s->kind = SRC_FILE;
			snprintf(s->path, sizeof(s->path), "%s", path);
		}
		if (s->nanchors >= AW_ANCHOR_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d anchors",
			    path, f.line, AW_ANCHOR_MAX);
			goto done;
		}
		a.line = f.line;
		*source_add_anchor(s) = a;
	}
	rv = 0;
done:
	free(l);
	free(f.buf);
	return rv;
}

/* A .negative file listing the root: validation is off for everything. */
static int
resolved_negative_file(struct resolver *r, const char *path, char *err,
    size_t errlen)
{
	struct rs_file f;
	char *l = xcalloc(1, RS_LINE_MAX + 1);

	if (resolved_load(path, &f, err, errlen) == -1) {
		free(l);
		return -1;
	}
	while (resolved_getline(&f, l) == 1)
		if (strcmp(l, ".") == 0 && r->dnssec == DNSSEC_ON) {
			r->dnssec = DNSSEC_OFF;
			snprintf(r->dnssec_where, sizeof(r->dnssec_where),
			    "%s:%u", path, f.line);
		}
	free(l);
	free(f.buf);
	return 0;
}

/* Run fn on each file of the list (masked ones are ""). */
static int
resolved_each(struct resolver *r, const char *prefix, const char *sub,
    const char *suffix, int (*fn)(struct resolver *, const char *, char *,
    size_t), char *err, size_t errlen)
{
	char **l;
	size_t n, i;
	int rv = 0;

	if (resolved_list(prefix, sub, suffix, &l, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n && rv == 0; i++)
		if (l[i][0] != '\0')
			rv = fn(r, l[i], err, errlen);
	resolved_free_list(l, n);
	return rv;
}

/* The built-in DS set, when no positive file names the root. */
static void
resolved_builtin(struct resolver *r)
{
	struct source *s = resolver_add_source(r);
	char why[AW_ERR_MAX];
	struct anchor a;
	size_t i;

	s->kind = SRC_BUILTIN;
	snprintf(s->path, sizeof(s->path), "%s (built-in)", RS_BINARY);
	for (i = 0; i < sizeof(rs_builtin) / sizeof(rs_builtin[0]); i++)
		if (keyset_parse_rr(rs_builtin[i], &a, why, sizeof(why)) == 1)
			*source_add_anchor(s) = a;
}

/*
 * The systemd-resolved reader: resolved.conf and its drop-ins for DNSSEC=,
 * the trust anchor directories, the built-ins, then rc's extra anchor
 * files (static zone files).
 */
int
resolved_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	const char *config = rc->config[0] ? rc->config : RS_CONF;
	char prefix[AW_PATH_MAX] = "";
	size_t n = strlen(config), k = strlen(RS_CONF);
	int rv = -1, st;

	snprintf(r->user, sizeof(r->user), "%s", RS_USER);
	r->dnssec = DNSSEC_OFF;
	snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s", config);
	if (n >= k && strcmp(config + n - k, RS_CONF) == 0)
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(n - k), config);
	/* a broken section header ends the reading of all config files */
	if ((st = resolved_conf_file(r, config, err, errlen)) == 0)
		st = resolved_each(r, prefix, "systemd/resolved.conf.d",
		    ".conf", resolved_conf_file, err, errlen);
	if (st == -1 ||
	    resolved_each(r, prefix, "dnssec-trust-anchors.d", ".positive",
	    resolved_positive_file, err, errlen) == -1 ||
	    resolved_each(r, prefix, "dnssec-trust-anchors.d", ".negative",
	    resolved_negative_file, err, errlen) == -1)
		goto done;
	if (r->nsources == 0)
		resolved_builtin(r);
	if (zonefile_read_static_files(rc, r, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	return rv;
}

/* ---- repair (anchorwatch fix) ------------------------------------------- */

#define RS_TA_DIR "/etc/dnssec-trust-anchors.d/"

/* A root record of a .positive file as resolved reads it: ". IN DS TAG
 * ALG DT HEX" (digest type 2 for a key) or ". IN DNSKEY FLAGS 3 ALG
 * BASE64", with its line feed, appended to *out (at *len). */
static int
resolved_record(char **out, size_t *len, const struct anchor *a,
    const struct dnskey *k, int dnskey)
{
	char rd[AW_KEY_MAX * 2 + 64];
	struct ds ds;
	size_t n;
	int rv;

	if ((k == NULL && (a == NULL || !a->is_ds || dnskey)) ||
	    (k != NULL && !dnskey && keyset_ds_of_key(k, 2, &ds) == -1))
		return -1;
	if (k != NULL && dnskey)
		rv = keyset_format_dnskey(k, rd, sizeof(rd));
	else
		rv = keyset_format_ds(k != NULL ? &ds : &a->ds, rd, sizeof(rd));
	if (rv == -1)
		return -1;
	n = strlen(rd);
	*out = xreallocarray(*out, *len + n + 16, 1);
	*len += (size_t)snprintf(*out + *len, n + 16, ". IN %s %s\n",
	    dnskey ? "DNSKEY" : "DS", rd);
	return 0;
}

/* 1 if line is the line of an anchor of s that t does not keep. */
static int
is_resolved_dropped(const struct source *s, const struct fix_trust *t,
    unsigned line)
{
	size_t i;

	for (i = 0; s != NULL && i < s->nanchors; i++)
		if (s->anchors[i].line == line && !is_fix_kept(t, &s->anchors[i]))
			return 1;
	return 0;
}

/*
 * The new content of a .positive file: old[0..oldlen) (the file of
 * source s, or the one a new file in /etc hides; s NULL: none) without the
 * lines of the root anchors of s that t does not keep, and then, after its
 * last root anchor (or at the end), the records of add (the anchors
 * add[0..nadd), or else the keys keys[0..nkeys)), DNSKEYs if dnskey.
 * *out malloc'd.  0, or -1 if a record does not fit.
 */
static int
resolved_rewrite(const char *old, size_t oldlen, const struct source *s,
    const struct fix_trust *t, const struct anchor *add, size_t nadd,
    const struct dnskey *const *keys, size_t nkeys, int dnskey, char **out,
    size_t *outlen)
{
	size_t pos = 0, start, n, len = 0, i;
	unsigned line = 0, after = 0;
	const char *l;
	int rv = 0;

	for (i = 0; s != NULL && i < s->nanchors; i++)
		after = s->anchors[i].line > after ? s->anchors[i].line : after;
	*out = xcalloc(1, oldlen + 1);
	for (start = 0; fileio_nextline(old, oldlen, &pos, &l, &n);
	    start = pos) {
		if (!is_resolved_dropped(s, t, ++line)) {
			memcpy(*out + len, old + start, pos - start);
			len += pos - start;
		}
		if (line != after)
			continue;
		if (len > 0 && (*out)[len - 1] != '\n')
			(*out)[len++] = '\n';	/* room: it had no LF */
		for (i = 0; i < nadd + nkeys && rv == 0; i++)
			rv = resolved_record(out, &len, i < nadd ? &add[i] :
			    NULL, i < nadd ? NULL : keys[i - nadd], dnskey);
		*out = xreallocarray(*out, len + oldlen - pos + 2, 1);
	}
	if (after == 0 || after > line) {
		*out = xreallocarray(*out, len + 2, 1);
		if (len > 0 && (*out)[len - 1] != '\n')
			(*out)[len++] = '\n';
		for (i = 0; i < nadd + nkeys && rv == 0; i++)
			rv = resolved_record(out, &len, i < nadd ? &add[i] :
			    NULL, i < nadd ? NULL : keys[i - nadd], dnskey);
	}
	(*out)[len] = '\0';
	*outlen = len;
	if (rv == -1) {
		free(*out);
		*out = NULL;
	}
	return rv;
}

/*
 * Where the repair of positive file src writes: src itself when it is in
 * PREFIX/etc/dnssec-trust-anchors.d, else the file of the same name there,
 * which hides it (dnssec-trust-anchors.d(5)).  src "": root.positive.
 * base: the file that name stands for now (the earliest of the search
 * path), "" if none.  0, or -1 if a name does not fit.
 */
static int
resolved_target(const char *prefix, const char *src, char *out,
    char *base)
{
	const char *name = src[0] ? strrchr(src, '/') + 1 : "root.positive";
	struct stat st;
	size_t i;

	base[0] = '\0';
	if (snprintf(out, AW_PATH_MAX, "%s" RS_TA_DIR "%s", prefix, name) >=
	    AW_PATH_MAX)
		return -1;
	for (i = 0; i < sizeof(rs_dirs) / sizeof(rs_dirs[0]); i++) {
		snprintf(base, AW_PATH_MAX, "%s%sdnssec-trust-anchors.d/%s",
		    prefix, rs_dirs[i], name);
		if (stat(base, &st) == 0)
			return 0;
	}
	base[0] = '\0';
	return 0;
}

/* Plan the new content of positive file s, or (s NULL) of the new
 * root.positive that replaces the built-in anchors b. */
static int
resolved_plan(const char *prefix, const struct source *s,
    const struct source *b, const struct fix_trust *t,
    const struct dnskey *const *miss, size_t nmiss, struct fix_plan *p,
    char *err, size_t errlen)
{
	char path[AW_PATH_MAX], base[AW_PATH_MAX], why[AW_ERR_MAX] = "";
	char *old = NULL, *text = NULL;
	size_t oldlen = 0, len, i, ndnskey = 0, nadd = 0;
	struct anchor add[AW_ANCHOR_MAX];
	const struct anchor *a;
	struct stat st;
	int rv = -1;

	for (i = 0; s == NULL && i < b->nanchors; i++)
		if (is_fix_kept(t, &b->anchors[i]))
			add[nadd++] = b->anchors[i];
	for (i = 0; i < (s ? s : b)->nanchors; i++) {
		a = &(s ? s : b)->anchors[i];
		ndnskey += !a->is_ds;
		if (!is_fix_kept(t, a))
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
			    "%sremove %u", why[0] ? ", " : "",
			    keyset_anchor_tag(a));
	}
	for (i = 0; i < nmiss; i++)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sadd %u",
		    why[0] ? ", " : "", miss[i]->tag);
	if (resolved_target(prefix, s ? s->path : "", path, base) == -1) {
		snprintf(err, errlen, "%s: name too long", s ? s->path : prefix);
		return -1;
	}
	if (s == NULL)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "; "
		    "replaces the built-in anchors of %s", RS_BINARY);
	else if (strcmp(path, s->path) != 0)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "; "
		    "hides %s", s->path);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (masked?): not "
		    "replaced", path);
		return -1;
	}
	*strrchr(path, '/') = '\0';	/* Debian's systemd has none */
	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: no such directory (fix creates "
		    "none): mkdir -m 0755 %s, then fix again", path, path);
		return -1;
	}
	path[strlen(path)] = '/';
	if (base[0] != '\0' && fileio_load_text(base, &old, &oldlen, err,
	    errlen) == -1)
		return -1;
	if (resolved_rewrite(old ? old : "", oldlen, s, t, add, nadd, miss,
	    nmiss, s != NULL && ndnskey == s->nanchors && ndnskey > 0, &text,
	    &len) == -1)
		snprintf(err, errlen, "%s: a record does not fit", path);
	else
		rv = fix_plan_file(p, path, text, len, why, err, errlen);
	free(old);
	free(text);
	return rv;
}

/* 1 if s is a .positive file of the trust anchor directories. */
static int
is_resolved_positive(const struct resolver_conf *rc, const struct source *s)
{
	size_t i, n = strlen(s->path);

	for (i = 0; i < rc->nanchor_files; i++)
		if (strcmp(s->path, rc->anchor_files[i]) == 0)
			return 0;
	return s->kind == SRC_FILE && n > 9 &&
	    strcmp(s->path + n - 9, ".positive") == 0;
}

/*
 * systemd-resolved's repair: in each .positive file holding root anchors,
 * those t does not keep are removed; each key of t that no anchor names
 * is added (a DS, or a DNSKEY in a file of DNSKEYs only) after the root
 * anchors of the last file.  A file outside /etc is hidden by a patched
 * one of the same name in /etc.  The built-in anchors are replaced by a
 * new root.positive there.  rc's anchor_files go to zonefile-write.c.
 */
static int
resolved_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p,
    char *err, size_t errlen)
{
	const char *config = rc->config[0] ? rc->config : RS_CONF;
	const struct dnskey *miss[FIX_KEYS_MAX], *k1;
	const struct source *last = NULL, *s;
	size_t n = strlen(config), k = strlen(RS_CONF), i, j, nmiss = 0;
	char prefix[AW_PATH_MAX] = "";
	int found;

	if (n >= k && strcmp(config + n - k, RS_CONF) == 0)
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(n - k), config);
	for (i = 0; i < t->nkeys; i++) {	/* named by no source */
		for (j = 0, found = 0; j < r->nsources && !found; j++)
			for (k = 0; k < r->sources[j].nanchors && !found; k++)
				found = is_anchor_for(&r->sources[j].anchors[k],
				    &t->keys[i]);
		if (!found)	/* in tag order, not the answer's: below */
			miss[nmiss++] = &t->keys[i];
	}
	for (i = 1; i < nmiss; i++)
		for (j = i; j > 0 && miss[j - 1]->tag > miss[j]->tag; j--) {
			k1 = miss[j];
			miss[j] = miss[j - 1];
			miss[j - 1] = k1;
		}
	for (i = 0; i < r->nsources; i++)
		if (is_resolved_positive(rc, &r->sources[i]))
			last = &r->sources[i];
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (s->kind == SRC_BUILTIN && is_fix_needed(t, s)) {
			if (resolved_plan(prefix, NULL, s, t, miss, nmiss, p,
			    err, errlen) == -1)
				return -1;
		} else if (is_resolved_positive(rc, s)) {
			if (resolved_plan(prefix, s, NULL, t, miss, s == last ?
			    nmiss : 0, p, err, errlen) == -1)
				return -1;
		} else if (s->kind == SRC_FILE &&	/* anchor_files */
		    zonefile_plan_static(p, s, t, miss, 0, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* resolved 252 reads its trust anchors only when it starts: no ExecReload
 * nor SIGHUP (those came with 256, systemd PR 31951), so a restart. */
static const char *const rs_reload[] = {
	"/usr/bin/systemctl", "restart", "systemd-resolved", NULL,
};

/* systemd-resolved's row of the reader table (reader.c).  Its process
 * name is cut to the kernel's 15 characters of comm. */
const struct reader resolved_reader = {
	.type = "systemd-resolved",
	.read = resolved_read,
	.default_config = RS_CONF,
	.process = "systemd-resolve",
	.user = RS_USER,
	.variant = RFC5011_PLAIN,
	.advice_static = "systemd-resolved has no RFC 5011: add each new "
	    "root KSK's DS to /etc/dnssec-trust-anchors.d/root.positive "
	    "before it signs",
	.repair = resolved_repair,
	.reload = rs_reload,
};
