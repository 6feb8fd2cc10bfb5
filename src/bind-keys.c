/*
 * bind-keys.c: named's managed-keys database, the RFC 5011 state of BIND 9.
 *
 * named (9.18: lib/dns/zone.c sync_keyzone, keyfetch_done, load_secroots)
 * keeps one KEYDATA record (type 65533, lib/dns/rdata/generic/
 * keydata_65533.c) per key of a managed zone in managed-keys.bind, or
 * <view>.mkeys (a hashed name for views with upper case or '/'), in the
 * managed-keys-directory.  The rdata is three times, then the DNSKEY
 * fields:
 *  - refresh: when named next asks for the DNSKEY set ("next refresh");
 *  - add hold-down: the END of the RFC 5011 section 2.4.1 hold-down, when
 *    trust begins.  named sets it to first sighting + 30 days (AddPend,
 *    "trust pending: <it>"), or to the time it trusted an initializing
 *    key; once reached it is "trusted since: <it>"; 0 for an initializing
 *    key never yet verified ("no trust", trusted all the same);
 *  - remove hold-down: 0, or for a revoked key revocation + 30 days, when
 *    named deletes it ("remove at").
 * named writes each refresh into the .jnl journal and folds it into the
 * file only now and then; the journal is read through named-journalprint
 * (execv, an argument vector, a time limit) and its transactions applied
 * from the file's SOA serial on, as named does at load.
 * All input is hostile: bounded loads and lines, strict numbers, and every
 * error is "file:line: what is wrong".  No clock: states are at `now`.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "anchorwatch.h"

#define BK_LINE_MAX 65536       /* one line of a zone file or journal */
#define BK_KD_MAX AW_ANCHOR_MAX /* KEYDATA records of the root */
#define BK_EXEC_MAX (16 * 1024 * 1024) /* output of named-journalprint */
#define BK_EXEC_TIMEOUT 5       /* seconds for it */
#define BK_JOURNALPRINT "/usr/bin/named-journalprint"

/* One KEYDATA record (RFC 5011 state of one key, lib/dns keydata). */
struct bk_kd {
	uint32_t refresh, addhd, removehd;
	int placeholder;
	struct dnskey key;
	unsigned line;
};

struct bk_kdset {
	struct bk_kd kd[BK_KD_MAX];
	size_t n;
	uint32_t serial;
	int have_serial;
};

/* A 14-digit YYYYMMDDHHMMSS time (dns_time32_fromtext) into *v. */
static int
bind_keys_time(const char *s, uint32_t *v)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int f[6], i, leap;
	long long days = 0, y;

	if (strlen(s) != 14)
		return -1;
	for (i = 0; i < 14; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (sscanf(s, "%4d%2d%2d%2d%2d%2d", &f[0], &f[1], &f[2], &f[3], &f[4],
	    &f[5]) != 6)
		return -1;
	leap = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > mdays[f[1] - 1] +
	    (f[1] == 2 && leap) || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return -1;
	for (y = 1970; y < f[0]; y++)
		days += (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 :
		    365;
	for (y = 1969; y >= f[0]; y--)
		days -= (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 :
		    365;
	for (i = 0; i < f[1] - 1; i++)
		days += mdays[i];
	if (leap && f[1] > 2)
		days++;
	days += f[2] - 1;
	*v = (uint32_t)(days * 86400 + f[3] * 3600 + f[4] * 60 + f[5]);
	return 0;
}

/* Split the next blank-separated word off *p into w. */
static size_t
bind_keys_split(const char **p, char *w, size_t wlen)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (s[n] != '\0' && s[n] != ' ' && s[n] != '\t')
		n++;
	snprintf(w, wlen, "%.*s", (int)n, s);
	*p = s + n;
	return n;
}

/* Hex digits of text (blanks skipped) into out; returns length or -1. */
static int
bind_keys_hex(const char *text, unsigned char *out, size_t outlen)
{
	size_t n = 0;
	int hi = -1, d;

	for (; *text != '\0'; text++) {
		if (*text == ' ' || *text == '\t')
			continue;
		if (!isxdigit((unsigned char)*text))
			return -1;
		d = isdigit((unsigned char)*text) ? *text - '0' :
		    tolower((unsigned char)*text) - 'a' + 10;
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= outlen)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | d);
		hi = -1;
	}
	return hi >= 0 ? -1 : (int)n;
}

/* KEYDATA rdata in text form (after the type) into kd.  0 or -1 (why). */
static int
bind_keys_kd_rdata(const char *p, struct bk_kd *kd, char *why, size_t whylen)
{
	unsigned char rd[12 + 4 + AW_KEY_MAX];
	char w[64], text[BK_LINE_MAX + 16];
	unsigned long long len;
	struct anchor a;
	int n, i;

	memset(kd, 0, sizeof(*kd));
	bind_keys_split(&p, w, sizeof(w));
	if (strcmp(w, "\\#") == 0) {    /* RFC 3597 generic form */
		bind_keys_split(&p, w, sizeof(w));
		if (namedconf_num(w, sizeof(rd), &len) == -1 ||
		    (n = bind_keys_hex(p, rd, sizeof(rd))) == -1 ||
		    (unsigned long long)n != len || n < 16) {
			snprintf(why, whylen, "bad KEYDATA rdata");
			return -1;
		}
		kd->refresh = (uint32_t)rd[0] << 24 | rd[1] << 16 | rd[2] << 8 |
		    rd[3];
		kd->addhd = (uint32_t)rd[4] << 24 | rd[5] << 16 | rd[6] << 8 |
		    rd[7];
		kd->removehd = (uint32_t)rd[8] << 24 | rd[9] << 16 |
		    rd[10] << 8 | rd[11];
		kd->placeholder = rd[12] == 0 && rd[13] == 0 && rd[14] == 0 &&
		    rd[15] == 0;
		if (kd->placeholder)
			return 0;
		if (keyset_dnskey_from_rdata(&kd->key, rd + 12,
		    (size_t)n - 12) == -1) {
			snprintf(why, whylen, "bad KEYDATA key");
			return -1;
		}
		return 0;
	}
	for (i = 0; i < 3; i++) {
		if (bind_keys_time(w, i == 0 ? &kd->refresh : i == 1 ?
		    &kd->addhd : &kd->removehd) == -1) {
			snprintf(why, whylen, "bad KEYDATA time \"%.20s\" "
			    "(YYYYMMDDHHMMSS)", w);
			return -1;
		}
		bind_keys_split(&p, w, sizeof(w));
	}
	if (strcmp(w, "0") == 0 && strncmp(p, " 0 0", 4) == 0 &&
	    p[4] == '\0') {
		kd->placeholder = 1;
		return 0;
	}
	snprintf(text, sizeof(text), ". DNSKEY %s%s", w, p);
	if (keyset_parse_rr(text, &a, why, whylen) != 1) {
		if (why[0] == '\0')
			snprintf(why, whylen, "bad KEYDATA key");
		return -1;
	}
	kd->key = a.key;
	return 0;
}

/*
 * One record of the key zone, joined onto one line, owner complete:
 * "owner [ttl] [class] type rdata".  SOA sets the serial, KEYDATA of the
 * root is returned in kd (1); anything else 0; -1 (why).
 */
static int
bind_keys_kd_record(const char *text, struct bk_kdset *set, struct bk_kd *kd,
    char *why, size_t whylen)
{
	char owner[256], w[64], serial[32];
	const char *p = text;
	unsigned long long v;
	int i;

	bind_keys_split(&p, owner, sizeof(owner));
	for (i = 0; i < 3; i++) {
		bind_keys_split(&p, w, sizeof(w));
		if (!isdigit((unsigned char)w[0]) && strcasecmp(w, "IN") != 0)
			break;
	}
	if (strcmp(owner, ".") != 0)
		return 0;
	if (strcasecmp(w, "SOA") == 0) {
		bind_keys_split(&p, serial, sizeof(serial));
		bind_keys_split(&p, serial, sizeof(serial));
		bind_keys_split(&p, serial, sizeof(serial));
		if (namedconf_num(serial, UINT32_MAX, &v) == -1) {
			snprintf(why, whylen, "bad SOA serial");
			return -1;
		}
		set->serial = (uint32_t)v;
		set->have_serial = 1;
		return 0;
	}
	if (strcasecmp(w, "KEYDATA") != 0 && strcasecmp(w, "TYPE65533") != 0)
		return 0;
	return bind_keys_kd_rdata(p, kd, why, whylen) == -1 ? -1 : 1;
}

/* Add kd to set; -1 (why) when full. */
static int
bind_keys_kd_add(struct bk_kdset *set, const struct bk_kd *kd, char *why,
    size_t whylen)
{
	if (set->n >= BK_KD_MAX) {
		snprintf(why, whylen, "more than %d KEYDATA records",
		    BK_KD_MAX);
		return -1;
	}
	set->kd[set->n++] = *kd;
	return 0;
}

/*
 * Feed one physical line of a zone file into rec (parentheses joined,
 * ';' comments dropped).  Returns 1 when a record is complete, 0 if it
 * needs more lines or is blank, -1 (why).
 */
static int
bind_keys_zone_feed(char *rec, size_t *rlen, int *depth, const char *l,
    size_t n, char *why, size_t whylen)
{
	size_t i;
	char ch;

	for (i = 0; i < n && l[i] != ';'; i++) {
		ch = l[i];
		if (ch == '(')
			(*depth)++;
		else if (ch == ')' && --(*depth) < 0) {
			snprintf(why, whylen, "')' without '('");
			return -1;
		}
		if (ch == '(' || ch == ')' || ch == '\t' || ch == '\r')
			ch = ' ';
		if ((unsigned char)ch < 0x20 || ch == 0x7f || ch == '"') {
			snprintf(why, whylen, "unexpected character in record");
			return -1;
		}
		if (*rlen + 2 >= BK_LINE_MAX) {
			snprintf(why, whylen, "record longer than %d "
			    "characters", BK_LINE_MAX);
			return -1;
		}
		rec[(*rlen)++] = ch;
	}
	rec[(*rlen)++] = ' ';
	rec[*rlen] = '\0';
	if (*depth > 0)
		return 0;
	for (i = 0; i < *rlen; i++)
		if (rec[i] != ' ')
			return 1;
	return 0;
}

/*
 * A complete record rec (its first line started with a blank if cont):
 * directives, owner completion ("@" and relative names against $ORIGIN),
 * then bind_keys_kd_record.
 */
static int
bind_keys_zone_record(char *rec, int cont, char *origin, char *owner,
    struct bk_kdset *set, unsigned line, char *why, size_t whylen)
{
	char text[BK_LINE_MAX + 512], first[256];
	const char *p = rec;
	struct bk_kd kd;
	int r;

	bind_keys_split(&p, first, sizeof(first));
	if (!cont && first[0] == '$') {
		if (strcasecmp(first, "$ORIGIN") == 0) {
			bind_keys_split(&p, origin, 256);
			return 0;
		}
		if (strcasecmp(first, "$TTL") == 0)
			return 0;
		snprintf(why, whylen, "unsupported directive %.32s", first);
		return -1;
	}
	if (cont)
		p = rec;
	else if (strcmp(first, "@") == 0)
		snprintf(owner, 256, "%s", origin);
	else if (first[0] != '\0' && first[strlen(first) - 1] == '.')
		snprintf(owner, 256, "%s", first);
	else
		snprintf(owner, 256, "%s.%s", first, strcmp(origin, ".") == 0 ?
		    "" : origin);
	if (owner[0] == '\0') {
		snprintf(why, whylen, "record without an owner name");
		return -1;
	}
	snprintf(text, sizeof(text), "%s %s", owner, p);
	if ((r = bind_keys_kd_record(text, set, &kd, why, whylen)) != 1)
		return r;
	kd.line = line;
	return bind_keys_kd_add(set, &kd, why, whylen);
}

/* Read the key zone file path into set.  A missing file is no error. */
static int
bind_keys_read_keyzone(const char *path, struct bk_kdset *set, char *err,
    size_t errlen)
{
	char *rec = NULL, origin[256] = ".", owner[256] = "";
	char why[AW_ERR_MAX] = "";
	struct textfile f;
	const char *l;
	size_t n, rlen = 0;
	unsigned start = 0;
	int depth = 0, cont = 0, r, rv = -1;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	rec = xcalloc(1, BK_LINE_MAX + 1);
	while ((r = fileio_getline(&f, BK_LINE_MAX, &l, &n)) != 0) {
		if (depth == 0) {
			rlen = 0;
			start = f.line;
			cont = n > 0 && (l[0] == ' ' || l[0] == '\t');
		}
		if (r == -1)
			snprintf(why, sizeof(why), "line longer than %d "
			    "characters", BK_LINE_MAX);
		if (r == -1 || (r = bind_keys_zone_feed(rec, &rlen, &depth, l,
		    n, why, sizeof(why))) == -1 || (r == 1 &&
		    bind_keys_zone_record(rec, cont, origin, owner, set, start,
		    why, sizeof(why)) == -1)) {
			snprintf(err, errlen, "%s:%u: %s", path, f.line, why);
			goto done;
		}
	}
	if (depth > 0) {
		snprintf(err, errlen, "%s:%u: '(' not closed", path, start);
		goto done;
	}
	rv = 0;
done:
	free(rec);
	free(f.buf);
	return rv;
}

/* 1 if a and b are the same KEYDATA record. */
static int
is_same_kd(const struct bk_kd *a, const struct bk_kd *b)
{
	if (a->refresh != b->refresh || a->addhd != b->addhd ||
	    a->removehd != b->removehd || a->placeholder != b->placeholder)
		return 0;
	return a->placeholder || (a->key.flags == b->key.flags &&
	    is_same_key(&a->key, &b->key));
}

/*
 * Apply named-journalprint output (lines "add|del owner ttl class type
 * rdata") to set: transactions run from "del SOA <serial>" to the next,
 * and count only when they start at the serial reached so far.
 */
static int
bind_keys_journal_apply(const char *path, char *out, struct bk_kdset *set,
    char *err, size_t errlen)
{
	char op[8], why[AW_ERR_MAX] = "";
	struct bk_kdset soa;
	struct bk_kd kd;
	unsigned line = 0;
	int on = 0, r;
	size_t i;
	char *l, *next;
	const char *p;

	for (l = out; l != NULL && *l != '\0'; l = next) {
		if ((next = strchr(l, '\n')) != NULL)
			*next++ = '\0';
		line++;
		p = l;
		bind_keys_split(&p, op, sizeof(op));
		if (strcmp(op, "add") != 0 && strcmp(op, "del") != 0)
			continue;       /* headers of -x */
		memset(&soa, 0, sizeof(soa));
		if ((r = bind_keys_kd_record(p, &soa, &kd, why,
		    sizeof(why))) == -1)
			goto bad;
		if (soa.have_serial) {
			if (op[0] == 'd' && !set->have_serial) {
				/* No file yet: the journal is all there is. */
				set->serial = soa.serial;
				set->have_serial = 1;
			}
			if (op[0] == 'd')
				on = soa.serial == set->serial;
			else if (on)
				set->serial = soa.serial;
			continue;
		}
		if (r == 0 || !on)
			continue;
		if (op[0] == 'a') {
			kd.line = 0;
			if (bind_keys_kd_add(set, &kd, why, sizeof(why)) == -1)
				goto bad;
			continue;
		}
		for (i = 0; i < set->n; i++)
			if (is_same_kd(&set->kd[i], &kd))
				break;
		if (i < set->n)
			set->kd[i] = set->kd[--set->n];
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: journal record %u: %s", path, line, why);
	return -1;
}

/* The newest state: path, then the transactions of path.jnl if any. */
static int
bind_keys_read_state(const char *path, struct bk_kdset *set, char *err,
    size_t errlen)
{
	char jnl[AW_PATH_MAX + 8], why[AW_ERR_MAX] = "", how[64], *out;
	char *argv[] = { (char *)BK_JOURNALPRINT, jnl, NULL };
	size_t outlen;
	int status, rv;

	memset(set, 0, sizeof(*set));
	if (bind_keys_read_keyzone(path, set, err, errlen) == -1)
		return -1;
	snprintf(jnl, sizeof(jnl), "%s.jnl", path);
	if (access(jnl, F_OK) == -1)
		return 0;
	if (spawn_read(argv, BK_EXEC_TIMEOUT, BK_EXEC_MAX, 0, &out, &outlen,
	    &status, why, sizeof(why)) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		/* It ran to its end and failed: say how (spawn_read said
		 * nothing); else spawn_read's reason stands. */
		if (out != NULL) {
			spawn_status(status, how, sizeof(how));
			snprintf(why, sizeof(why), "%s %s", BK_JOURNALPRINT,
			    how);
		}
		snprintf(err, errlen, "%s: cannot read the journal (%s); "
		    "`rndc managed-keys sync` folds it into %s", jnl, why,
		    path);
		free(out);
		return -1;
	}
	rv = bind_keys_journal_apply(jnl, out, set, err, errlen);
	free(out);
	return rv;
}

/* ---- the key zone of a view ---------------------------------------------- */

int
bind_keys_path(const char *dir, const char *view, char *out, size_t outlen)
{
	unsigned char md[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	char hash[2 * SHA256_DIGEST_SIZE + 1], name[128];
	unsigned int i;
	const char *base = view, *ext = "mkeys";

	if (view[0] == '\0' || strcmp(view, "_default") == 0) {
		base = "managed-keys";
		ext = "bind";
	}
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(base), (const uint8_t *)base);
	sha256_digest(&ctx, sizeof(md), md);
	for (i = 0; i < sizeof(md); i++)
		snprintf(hash + 2 * i, 3, "%02x", md[i]);
	snprintf(name, sizeof(name), "%s.%s", hash, ext);
	if (fileio_join(dir, name, out, outlen) == 0 &&
	    access(out, F_OK) == 0)
		return 0;
	hash[16] = '\0';
	snprintf(name, sizeof(name), "%s.%s", hash, ext);
	if (fileio_join(dir, name, out, outlen) == 0 &&
	    (access(out, F_OK) == 0 ||
	    strpbrk(base, "\\/ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL))
		return 0;
	if (snprintf(name, sizeof(name), "%s.%s", base, ext) >=
	    (int)sizeof(name))
		return -1;
	return fileio_join(dir, name, out, outlen);
}

/*
 * Map a KEYDATA record to an anchor in its state at now (load_secroots:
 * a remove hold-down means revoked, an add hold-down still ahead means
 * pending, anything else is trusted).  lastchange is when it entered that
 * state: trust began at the add hold-down's end; a pending key was first
 * seen a month before it; a revoked one a month before its removal.
 */
static void
bind_keys_kd_anchor(const struct bk_kd *kd, long long now, struct anchor *a)
{
	memset(a, 0, sizeof(*a));
	a->key = kd->key;
	a->line = kd->line;
	if (kd->removehd != 0 || (kd->key.flags & DNSKEY_F_REVOKE)) {
		a->state = KS_REVOKED;
		if (kd->removehd > BIND_KEYS_MONTH)
			a->lastchange = kd->removehd - BIND_KEYS_MONTH;
	} else if ((long long)kd->addhd > now) {
		a->state = KS_ADDPEND;
		if (kd->addhd > BIND_KEYS_MONTH)
			a->lastchange = kd->addhd - BIND_KEYS_MONTH;
	} else {
		a->state = KS_VALID;
		a->lastchange = kd->addhd;      /* 0: initializing key */
	}
}

int
bind_keys_read(struct source *s, long long now, char *err, size_t errlen)
{
	struct bk_kdset *set = xcalloc(1, sizeof(*set));
	size_t i;
	int real = 0, rv = -1;

	if (bind_keys_read_state(s->path, set, err, errlen) == -1)
		goto done;
	for (i = 0; i < set->n; i++)
		real |= !set->kd[i].placeholder;
	if (real) {
		s->is_stateful = 1;     /* named's own RFC 5011 state */
		s->nanchors = 0;
		for (i = 0; i < set->n; i++)
			if (!set->kd[i].placeholder)
				bind_keys_kd_anchor(&set->kd[i], now,
				    source_add_anchor(s));
	}
	rv = 0;
done:
	free(set);
	return rv;
}
