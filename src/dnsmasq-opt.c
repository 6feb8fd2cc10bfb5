/*
 * dnsmasq-opt.c: dnsmasq's configuration lines and option values, and its
 * trust-anchor= option, read and written.
 *
 * dnsmasq 2.90 (option.c) reads a line as read_file does: "..." quotes
 * hide the bytes that would split or end a value (meta[]; escapes \" \t
 * \n \e \b \r \\; no closing quote is refused), '#' after a blank starts
 * a comment, "name=value" with blanks trimmed, also around '='; a name is
 * an option of its opts[], with a value, without, or either.  Values are
 * cut at ',' (split()), and trust-anchor=DOMAIN,[CLASS,]TAG,ALG,
 * DIGEST-TYPE,DIGEST is read as one_opt does: numbers of digits only (TAG
 * to 65535, the others to 255), the digest as util.c's parse_hex (hex
 * digit groups between ':' or '-', blanks of RFC 4034's presentation
 * skipped).  anchor-dnsmasq.c reads the files (conf-file, conf-dir,
 * Debian's service); this file is the line format, and the one that
 * writes it back: a repair (`anchorwatch fix`) removes the options of root
 * DS records (RFC 4034 section 5) no longer to be trusted and adds one per
 * new key, everything else of the file kept byte for byte.
 *
 * Lines are counted as dnsmasq counts them: fgets pieces of at most
 * DNSMASQ_PIECE_MAX bytes, each one line of its messages.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* dnsmasq 2.90's options (option.c opts[]) by whether they take a value:
 * never, always, or optionally. */
static const char dm_opts_none[] =
	" version no-hosts no-poll help no-daemon bogus-priv selfmx "
	"filterwin2k strict-order no-resolv expand-hosts localmx no-negcache "
	"no-round-robin domain-needed bind-interfaces read-ethers "
	"keep-in-foreground dhcp-authoritative localise-queries no-ping "
	"leasefile-ro script-on-renewal clear-on-reload tftp-secure "
	"tftp-no-fail tftp-lowercase tftp-single-port tftp-no-blocksize "
	"log-dhcp dhcp-no-override stop-dns-rebind all-servers dhcp-fqdn test "
	"rebind-localhost-ok strip-mac strip-subnet proxy-dnssec "
	"dhcp-sequential-ip conntrack dhcp-client-update enable-ra "
	"bind-dynamic dnssec dnssec-debug dnssec-no-timecheck quiet-dhcp "
	"quiet-dhcp6 quiet-ra dns-loop-detect script-arp dhcp-rapid-commit "
	"dhcp-ignore-clid log-debug quiet-tftp no-ident filter-A filter-AAAA ";
static const char dm_opts_value[] =
	" servers-file mx-host mx-target port dhcp-lease dhcp-host dhcp-range "
	"dhcp-option dhcp-boot domain domain-suffix interface listen-address "
	"bogus-nxdomain ignore-address filter-rr server rev-server local "
	"address conf-script local-ttl cache-rr addn-hosts hostsdir query-port "
	"except-interface no-dhcp-interface no-dhcpv4-interface "
	"no-dhcpv6-interface dhcp-lease-max alias dhcp-vendorclass "
	"dhcp-userclass dhcp-ignore edns-packet-max srv-host txt-record "
	"caa-record dns-rr dhcp-mac dhcp-script conf-dir log-facility "
	"dns-forward-max tftp-root tftp-max tftp-mtu ptr-record naptr-record "
	"bridge-interface shared-network dhcp-option-force dhcp-circuitid "
	"dhcp-remoteid dhcp-subscrid dhcp-pxe-vendor interface-name "
	"dhcp-hostsfile dhcp-optsfile dhcp-hostsdir dhcp-optsdir "
	"tftp-port-range rebind-domain-ok dhcp-match dhcp-name-match neg-ttl "
	"max-ttl min-cache-ttl max-cache-ttl dhcp-scriptuser min-port max-port "
	"cname pxe-prompt pxe-service tag-if add-cpe-id dhcp-luascript "
	"dhcp-duid host-record auth-zone auth-server auth-ttl auth-soa "
	"auth-sec-servers auth-peer ipset nftset connmark-allowlist "
	"synth-domain trust-anchor dnssec-timestamp dnssec-limits dhcp-relay "
	"ra-param dhcp-ttl dhcp-reply-delay dumpfile dumpmask dynamic-host "
	"port-limit max-tcp-connections ";
static const char dm_opts_maybe[] =
	" log-queries user group resolv-file cache-size dhcp-leasefile "
	"local-service pid-file conf-file enable-dbus enable-ubus "
	"bootp-dynamic dhcp-ignore-names enable-tftp tftp-unique-root "
	"log-async dhcp-broadcast dhcp-alternate-port dhcp-proxy "
	"dhcp-generate-names add-mac add-subnet connmark-allowlist-enable "
	"dnssec-check-unsigned umbrella fast-dns-retry use-stale-cache ";

/* option.c's meta[]: inside quotes each of these is kept as its index, so
 * that it does not split or end anything; values are unhidden when used
 * (and so is any byte below 32 in the file, as dnsmasq does). */
static const char dm_meta[] = "\000123456 \b\t\n78\r90abcdefABCDE\033F:,.";
#define DM_NMETA (sizeof(dm_meta) - 1)

static int
dnsmasq_opt_hide(int c)
{
	const char *e = memchr(dm_meta, c, DM_NMETA);

	return e != NULL ? (int)(e - dm_meta) : c;
}

void
dnsmasq_opt_unhide(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < DM_NMETA)
			*s = dm_meta[(unsigned char)*s];
}

char *
dnsmasq_opt_split(char *s)
{
	char *comma;
	size_t n;

	if (s == NULL || (comma = strchr(s, ',')) == NULL)
		return NULL;
	n = (size_t)(comma - s);
	*comma++ = '\0';
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	while (*comma == ' ')
		comma++;
	return comma;
}

int
dnsmasq_opt_has_arg(const char *name)
{
	const char *const lists[] = { dm_opts_none, dm_opts_value,
	    dm_opts_maybe };
	char key[64];
	int i;

	if (strchr(name, ' ') != NULL || snprintf(key, sizeof(key), " %s ",
	    name) >= (int)sizeof(key))
		return -1;
	for (i = 0; i < 3; i++)
		if (strstr(lists[i], key) != NULL)
			return i;
	return -1;
}

/* One piece of a file as read_file takes it: quotes resolved and their
 * content hidden, blanks made ' ', the comment cut.  0, or -1 with why if refused. */
static int
dnsmasq_opt_unquote(char *l, const char **why)
{
	static const char esc[] = "\"tnebr\\", to[] = "\"\t\n\033\b\r\\";
	char *p, *e;
	int white = 1;

	for (p = l; *p != '\0'; p++) {
		if (*p == '"') {
			memmove(p, p + 1, strlen(p + 1) + 1);
			for (; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0' &&
				    (e = strchr(esc, p[1])) != NULL) {
					memmove(p, p + 1, strlen(p + 1) + 1);
					*p = to[e - esc];
				}
				*p = (char)dnsmasq_opt_hide((unsigned char)*p);
			}
			if (*p == '\0') {
				*why = "missing \"";
				return -1;
			}
			memmove(p, p + 1, strlen(p + 1) + 1);
			if (*p == '\0')
				break;
		}
		if (isspace((unsigned char)*p)) {
			*p = ' ';
			white = 1;
		} else if (white && *p == '#') {
			*p = '\0';
			break;
		} else
			white = 0;
	}
	return 0;
}

int
dnsmasq_opt_line(char *l, char **name, char **v, const char **why)
{
	char *eq;
	size_t n;

	*v = NULL;
	if (dnsmasq_opt_unquote(l, why) == -1)
		return -1;
	for (*name = l; **name == ' '; (*name)++)
		;
	for (n = strlen(*name); n > 0 && (*name)[n - 1] == ' '; n--)
		;
	if (n == 0)
		return 0;
	(*name)[n] = '\0';
	if ((eq = strchr(*name, '=')) != NULL) {
		for (*v = eq + 1; **v == ' '; (*v)++)
			;
		for (n = (size_t)(eq - *name) + 1; n > 0 &&
		    ((*name)[n - 1] == ' ' || (*name)[n - 1] == '='); n--)
			(*name)[n - 1] = '\0';
	}
	return 1;
}

/* A number of digits only (none is 0, as atoi) up to max: 1, else 0. */
static int
dnsmasq_opt_number(char *s, unsigned long max, unsigned long *v)
{
	dnsmasq_opt_unhide(s);
	*v = strtoul(s, NULL, 10);
	return strspn(s, "0123456789") == strlen(s) && strlen(s) < 10 &&
	    *v <= max;
}

/*
 * util.c's parse_hex of a digest, blanks already gone: groups of hex
 * digits between ':' or '-', two digits a byte (an odd last one a byte of
 * its own), a lone '*' a wildcard byte.  Bytes into out (at most outlen
 * kept); their count, or -1 for anything else.
 */
static int
dnsmasq_opt_hex(char *in, unsigned char *out, size_t outlen)
{
	size_t n = 0, k, g;
	char pair[3] = "", *r;

	for (;; in = r + 1) {
		for (r = in; *r != '\0' && *r != ':' && *r != '-'; r++)
			if (*r != '*' && !isxdigit((unsigned char)*r))
				return -1;
		g = (size_t)(r - in);
		if (g == 1 && *in == '*')
			n++;
		else if (memchr(in, '*', g) != NULL)
			return -1;
		else
			for (k = 0; k < g; k += 2, n++) {
				pair[0] = in[k];
				pair[1] = k + 1 < g ? in[k + 1] : '\0';
				if (n < outlen)
					out[n] = (unsigned char)strtoul(pair,
					    NULL, 16);
			}
		if (*r == '\0' || n > INT_MAX / 2)
			return (int)n;
	}
}

int
dnsmasq_opt_parse(char *v, struct anchor *a, const char **why)
{
	char *tag, *alg = NULL, *dt, *hex, *p, *o;
	unsigned long t, al, d;
	int n, in = 1;

	if ((tag = dnsmasq_opt_split(v)) != NULL &&
	    (alg = dnsmasq_opt_split(tag)) != NULL &&
	    (strcmp(tag, "IN") == 0 || strcmp(tag, "CH") == 0 ||
	    strcmp(tag, "HS") == 0)) {
		in = strcmp(tag, "IN") == 0;
		tag = alg;
		alg = dnsmasq_opt_split(tag);
	}
	*why = "bad trust anchor";
	if (tag == NULL || alg == NULL ||
	    (dt = dnsmasq_opt_split(alg)) == NULL ||
	    (hex = dnsmasq_opt_split(dt)) == NULL ||
	    !dnsmasq_opt_number(tag, 0xffff, &t) ||
	    !dnsmasq_opt_number(alg, 0xff, &al) ||
	    !dnsmasq_opt_number(dt, 0xff, &d))
		return -1;
	dnsmasq_opt_unhide(hex);
	for (p = o = hex; *p != '\0'; p++)	/* RFC 4034: blanks allowed */
		if (!isspace((unsigned char)*p))
			*o++ = *p;
	*o = '\0';
	memset(a, 0, sizeof(*a));
	*why = "bad HEX in trust anchor";
	if ((n = dnsmasq_opt_hex(hex, a->ds.digest, sizeof(a->ds.digest))) ==
	    -1)
		return -1;
	*why = NULL;
	dnsmasq_opt_unhide(v);
	if (!in || (strcmp(v, ".") != 0 && v[0] != '\0'))
		return 0;
	a->is_ds = 1;
	a->ds.tag = (uint16_t)t;
	a->ds.algorithm = (uint8_t)al;
	a->ds.digest_type = (uint8_t)d;
	a->ds.digestlen = (uint16_t)(n < AW_DIGEST_MAX ? n : AW_DIGEST_MAX);
	a->state = KS_STATIC;
	return 1;
}

/* ---- writing ---------------------------------------------------------- */

int
dnsmasq_opt_format(const struct ds *ds, char *buf, size_t len)
{
	char rd[AW_DIGEST_MAX * 2 + 32], *p;
	int n;

	if (keyset_format_ds(ds, rd, sizeof(rd)) == -1)
		return -1;
	for (p = rd; *p != '\0'; p++)	/* "TAG ALG DT HEX" */
		if (*p == ' ')
			*p = ',';
	n = snprintf(buf, len, "trust-anchor=.,%s", rd);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The end of the piece of buf[0..len) that starts at pos, as fgets into
 * dnsmasq's line buffer cuts it. */
static size_t
dnsmasq_opt_piece(const char *buf, size_t len, size_t pos)
{
	size_t n = 0;

	while (pos < len && n++ < DNSMASQ_PIECE_MAX)
		if (buf[pos++] == '\n')
			break;
	return pos;
}

/* 1 if piece number line is one of drop[0..ndrop). */
static int
is_dnsmasq_opt_dropped(unsigned line, const unsigned *drop, size_t ndrop)
{
	size_t i;

	for (i = 0; i < ndrop; i++)
		if (drop[i] == line)
			return 1;
	return 0;
}

/* Append the trust-anchor= lines of add[0..nadd) to *out (at *len),
 * after a line feed if what is there does not end with one. */
static int
dnsmasq_opt_append(char **out, size_t *len, const struct ds *add,
    size_t nadd)
{
	char line[AW_DIGEST_MAX * 2 + 64];
	size_t i, n;

	if (*len > 0 && (*out)[*len - 1] != '\n') {
		*out = xreallocarray(*out, *len + 2, 1);
		(*out)[(*len)++] = '\n';
	}
	for (i = 0; i < nadd; i++) {
		if (dnsmasq_opt_format(&add[i], line, sizeof(line)) == -1)
			return -1;
		n = strlen(line);
		*out = xreallocarray(*out, *len + n + 2, 1);
		memcpy(*out + *len, line, n);
		*len += n;
		(*out)[(*len)++] = '\n';
	}
	return 0;
}

int
dnsmasq_opt_rewrite(const char *path, const char *old, size_t oldlen,
    const unsigned *drop, size_t ndrop, unsigned after, const struct ds *add,
    size_t nadd, char **out, size_t *outlen, char *err, size_t errlen)
{
	size_t pos = 0, end, len = 0;
	unsigned line = 0;
	int whole = 1;          /* the piece starts a line */
	char *o = xcalloc(1, oldlen + 1);

	err[0] = '\0';
	for (; pos < oldlen; pos = end, whole = old[end - 1] == '\n') {
		end = dnsmasq_opt_piece(old, oldlen, pos);
		if (!is_dnsmasq_opt_dropped(++line, drop, ndrop)) {
			memcpy(o + len, old + pos, end - pos);
			len += end - pos;
		} else if (!whole || (end < oldlen && old[end - 1] != '\n')) {
			snprintf(err, errlen, "%s:%u: this trust-anchor= is "
			    "part of a line longer than %d bytes: not "
			    "rewritten", path, line, DNSMASQ_PIECE_MAX);
			goto fail;
		}
		if (line == after && dnsmasq_opt_append(&o, &len, add,
		    nadd) == -1)
			goto fail;
		o = xreallocarray(o, len + oldlen - end + 1, 1);
	}
	if ((after == 0 || after > line) && dnsmasq_opt_append(&o, &len, add,
	    nadd) == -1)
		goto fail;
	o[len] = '\0';
	*out = o;
	*outlen = len;
	return 0;
fail:
	if (err[0] == '\0')
		snprintf(err, errlen, "%s: a trust anchor does not fit", path);
	free(o);
	return -1;
}

/* Append " TAG" to a tag list (the why of an edit). */
static void
dnsmasq_opt_tag(char *buf, size_t len, const char *lead, uint16_t tag)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s%u", n ? ", " : "", lead, tag);
}

int
dnsmasq_opt_plan(const struct resolver *r, const char *path,
    const struct fix_trust *t, const struct ds *add, size_t nadd,
    struct fix_plan *p, char *err, size_t errlen)
{
	unsigned drop[DNSMASQ_ANCHORS_MAX], after = 0;
	char why[AW_ERR_MAX] = "", *old = NULL, *text = NULL;
	size_t i, j, ndrop = 0, oldlen, len;
	const struct anchor *a;
	int rv = -1;

	for (i = 0; i < r->nsources; i++)
		for (j = 0; strcmp(r->sources[i].path, path) == 0 &&
		    j < r->sources[i].nanchors; j++) {
			a = &r->sources[i].anchors[j];
			after = a->line > after ? a->line : after;
			if (!is_fix_kept(t, a) && ndrop < DNSMASQ_ANCHORS_MAX) {
				drop[ndrop++] = a->line;
				dnsmasq_opt_tag(why, sizeof(why), "remove ",
				    keyset_anchor_tag(a));
			}
		}
	for (i = 0; i < nadd; i++)
		dnsmasq_opt_tag(why, sizeof(why), "add ", add[i].tag);
	if (ndrop == 0 && nadd == 0)
		return 0;
	if (fileio_load(path, AW_FILE_MAX, &old, &oldlen, err, errlen) ==
	    -1 || dnsmasq_opt_rewrite(path, old, oldlen, drop, ndrop, after,
	    add, nadd, &text, &len, err, errlen) == -1 ||
	    fix_plan_file(p, path, text, len, why, err, errlen) == -1)
		goto done;
	/* the plan's old content must be the one rewritten */
	if (p->nedits > 0 && strcmp(p->edits[p->nedits - 1].path, path) ==
	    0 && (p->edits[p->nedits - 1].oldlen != oldlen ||
	    memcmp(p->edits[p->nedits - 1].old, old, oldlen) != 0)) {
		snprintf(err, errlen, "%s: changed while planned", path);
		goto done;
	}
	rv = 0;
done:
	free(old);
	free(text);
	return rv;
}
