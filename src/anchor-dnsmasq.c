/*
 * anchor-dnsmasq.c: what a dnsmasq daemon trusts for the root.
 *
 * dnsmasq has no RFC 5011: its anchors are the DS records of its
 * trust-anchor options (RFC 4034 section 5), static by nature.  The reader
 * reads as dnsmasq 2.90's option.c does (read_file, one_file, one_opt);
 * where dnsmasq refuses to start, r->refused says so in dnsmasq's words
 * ("FILE:LINE: dnsmasq refuses to start: bad option"):
 *  - a file is read in pieces of at most 1024 bytes (fgets into MAXDNAME),
 *    each counted as a line; a NUL ends its piece;
 *  - "..." quotes hide ',', ' ' and the like (escapes \" \t \n \e \b \r
 *    \\; no closing quote is refused); '#' after a blank starts a comment;
 *    "name=value", blanks trimmed, also around '=';
 *  - the name must be an option of dnsmasq's, with a value if it needs
 *    one, without if it takes none; only the values below are checked;
 *  - conf-file=FILE reads FILE in place; conf-dir=DIR[,.ext...][,*.ext...]
 *    reads DIR's regular files in name order, skipping names that start
 *    with '.', end in '~' or are #...#, those ending in a listed .ext, and
 *    (if any *.ext is given) those not ending in one.  A file read already
 *    (same device and inode: a conf-file naming itself, a file named
 *    twice, a conf-dir holding the main file) is skipped, as one_file
 *    does.  A missing conf-file, conf-dir or conf-dir entry is refused;
 *  - trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DIGEST-TYPE,DIGEST: numbers of
 *    digits only (TAG to 65535, the others to 255) or "bad trust anchor";
 *    digest hex digits in groups split by ':' or '-', blanks ignored, or
 *    "bad HEX in trust anchor".  A digest of the wrong length is accepted
 *    (it never matches a key); the domain is not checked;
 *  - dnssec turns validation on; user= names the user it runs as (none:
 *    it stays root); conf-script runs a program whose output is config:
 *    its anchors cannot be known, so it is an error.
 * Debian's packaged service (init script and systemd-helper, both through
 * /usr/share/dnsmasq/init-system-common) adds to that command line: -7
 * CONFIG_DIR and -u DNSMASQ_USER from /etc/default/dnsmasq, DNSMASQ_OPTS
 * (whose --conf-file is read instead of dnsmasq.conf), and one
 * --trust-anchor per DS record of /usr/share/dns/root.ds if it exists.  The reader models that when the config is
 * PREFIX/etc/dnsmasq.conf and PREFIX/usr/share/dnsmasq/init-system-common
 * exists; PREFIX is "" on a real host and a fixture tree in tests.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define DM_LINE_MAX 1024        /* fgets into MAXDNAME (1025) bytes */
#define DM_DEPTH_MAX 16         /* nested conf-file / conf-dir */
#define DM_FILES_MAX 256        /* distinct files read */
#define DM_ANCHORS_MAX 256      /* root trust-anchor options */
#define DM_DIR_MAX 256          /* files in one conf-dir */
#define DM_SUFFIX_MAX 16        /* extensions in one conf-dir */
#define DM_DEFAULT_USER "dnsmasq"
#define DM_DEBIAN_CONF "/etc/dnsmasq.conf"

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

struct dm_ctx {
	struct resolver *r;
	dev_t dev[DM_FILES_MAX];        /* the files read, as one_file */
	ino_t ino[DM_FILES_MAX];        /* keeps them */
	size_t nread;
	size_t depth;
	size_t nanchors;
	int dnssec;
	char conffile[AW_PATH_MAX];     /* DNSMASQ_OPTS' --conf-file */
	char *err;
	size_t errlen;
};

static int dnsmasq_file(struct dm_ctx *, const char *, const char *,
    unsigned);

/* dnsmasq dies on what file:line says: r->refused, and nothing more is
 * read.  Returns -1. */
static int
dnsmasq_refuse(struct dm_ctx *x, const char *file, unsigned line,
    const char *fmt, ...)
{
	char why[AW_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(x->r->refused, sizeof(x->r->refused), "%s:%u: dnsmasq "
	    "refuses to start: %s", file, line, why);
	return -1;
}

static void
dnsmasq_unhide(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < DM_NMETA)
			*s = dm_meta[(unsigned char)*s];
}

/* option.c's split(): cut s at its first ',' (blanks around it too) and
 * return what follows, or NULL if there is none.  Hidden commas stay. */
static char *
dnsmasq_split(char *s)
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

/* A number of digits only (none is 0, as atoi) up to max: 1, else 0. */
static int
dnsmasq_number(char *s, unsigned long max, unsigned long *v)
{
	dnsmasq_unhide(s);
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
dnsmasq_hex(char *in, unsigned char *out, size_t outlen)
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

/* Add root anchor a from file:line to r: consecutive ones of one file
 * share a source. */
static int
dnsmasq_add(struct dm_ctx *x, const struct anchor *a, const char *file,
    unsigned line)
{
	struct source *s = x->r->nsources ?
	    &x->r->sources[x->r->nsources - 1] : NULL;

	if (x->nanchors++ == DM_ANCHORS_MAX) {
		snprintf(x->err, x->errlen, "%s:%u: more than %d root "
		    "trust-anchor options", file, line, DM_ANCHORS_MAX);
		return -1;
	}
	if (s == NULL || s->kind != SRC_INLINE || strcmp(s->path, file) != 0 ||
	    s->nanchors == AW_ANCHOR_MAX) {
		s = resolver_add_source(x->r);
		s->kind = SRC_INLINE;
		snprintf(s->path, sizeof(s->path), "%s", file);
		snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
		s->decl_line = line;
	}
	s->anchors[s->nanchors++] = *a;
	return 0;
}

/*
 * trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DT,DIGEST from file:line, as one_opt
 * checks it.  A root anchor of class IN is kept; others are not our
 * business.
 */
static int
dnsmasq_anchor(struct dm_ctx *x, char *v, const char *file, unsigned line)
{
	char *tag, *alg = NULL, *dt, *hex, *p, *o;
	unsigned long t, al, d;
	struct anchor a;
	int n, in = 1;

	if ((tag = dnsmasq_split(v)) != NULL &&
	    (alg = dnsmasq_split(tag)) != NULL && (strcmp(tag, "IN") == 0 ||
	    strcmp(tag, "CH") == 0 || strcmp(tag, "HS") == 0)) {
		in = strcmp(tag, "IN") == 0;
		tag = alg;
		alg = dnsmasq_split(tag);
	}
	if (tag == NULL || alg == NULL || (dt = dnsmasq_split(alg)) == NULL ||
	    (hex = dnsmasq_split(dt)) == NULL ||
	    !dnsmasq_number(tag, 0xffff, &t) ||
	    !dnsmasq_number(alg, 0xff, &al) || !dnsmasq_number(dt, 0xff, &d))
		return dnsmasq_refuse(x, file, line, "bad trust anchor");
	dnsmasq_unhide(hex);
	for (p = o = hex; *p != '\0'; p++)	/* RFC 4034: blanks allowed */
		if (!isspace((unsigned char)*p))
			*o++ = *p;
	*o = '\0';
	memset(&a, 0, sizeof(a));
	if ((n = dnsmasq_hex(hex, a.ds.digest, sizeof(a.ds.digest))) == -1)
		return dnsmasq_refuse(x, file, line, "bad HEX in trust anchor");
	dnsmasq_unhide(v);
	if (!in || (strcmp(v, ".") != 0 && v[0] != '\0'))
		return 0;
	a.is_ds = 1;
	a.ds.tag = (uint16_t)t;
	a.ds.algorithm = (uint8_t)al;
	a.ds.digest_type = (uint8_t)d;
	a.ds.digestlen = (uint16_t)(n < AW_DIGEST_MAX ? n : AW_DIGEST_MAX);
	a.state = KS_STATIC;
	a.line = line;
	return dnsmasq_add(x, &a, file, line);
}

static int
dnsmasq_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 if name ends in suffix (and is longer). */
static int
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* 1 if conf-dir reads the entry name, given its suffix lists. */
static int
is_dir_wanted(const char *name, char **skip, size_t nskip, char **only,
    size_t nonly)
{
	size_t n = strlen(name), i;

	if (n == 0 || name[0] == '.' || name[n - 1] == '~' ||
	    (name[0] == '#' && name[n - 1] == '#'))
		return 0;
	for (i = 0; i < nonly; i++)
		if (has_suffix(name, only[i]))
			break;
	if (nonly > 0 && i == nonly)
		return 0;
	for (i = 0; i < nskip; i++)
		if (has_suffix(name, skip[i]))
			return 0;
	return 1;
}

/* The regular files of conf-dir v (file:line) that dnsmasq reads, sorted,
 * into *out (freed by the caller); their count, or -1. */
static int
dnsmasq_dir_list(struct dm_ctx *x, char *v, const char *file,
    unsigned line, char ***out, size_t *n)
{
	char *skip[DM_SUFFIX_MAX], *only[DM_SUFFIX_MAX], *p, *next;
	char path[AW_PATH_MAX];
	size_t nskip = 0, nonly = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;

	for (p = dnsmasq_split(v); p != NULL; p = next) {
		next = dnsmasq_split(p);
		dnsmasq_unhide(p);
		if (p[0] == '\0' || strcmp(p, "*") == 0)
			continue;
		if (nskip == DM_SUFFIX_MAX || nonly == DM_SUFFIX_MAX) {
			snprintf(x->err, x->errlen, "%s:%u: conf-dir: too "
			    "many extensions", file, line);
			return -1;
		}
		if (p[0] == '*')
			only[nonly++] = p + 1;
		else
			skip[nskip++] = p;
	}
	dnsmasq_unhide(v);
	if ((d = opendir(v)) == NULL)
		return dnsmasq_refuse(x, file, line, "cannot access directory "
		    "%s: %s", v, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!is_dir_wanted(de->d_name, skip, nskip, only, nonly))
			continue;
		if (*n == DM_DIR_MAX || snprintf(path, sizeof(path), "%s/%s",
		    v, de->d_name) >= (int)sizeof(path)) {
			closedir(d);
			snprintf(x->err, x->errlen, "%s:%u: conf-dir %s: too "
			    "many files or name too long", file, line, v);
			return -1;
		}
		if (stat(path, &st) == -1) {
			closedir(d);
			return dnsmasq_refuse(x, file, line, "cannot access "
			    "%s: %s", path, strerror(errno));
		}
		if (!S_ISREG(st.st_mode))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		if (((*out)[(*n)++] = strdup(path)) == NULL)
			fatalx("out of memory");
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), dnsmasq_cmp);
	return 0;
}

/* conf-dir=DIR[,.ext][,*.ext] from file:line. */
static int
dnsmasq_dir(struct dm_ctx *x, char *v, const char *file, unsigned line)
{
	char **names = NULL;
	size_t n = 0, i;
	int rv;

	rv = dnsmasq_dir_list(x, v, file, line, &names, &n);
	for (i = 0; i < n && rv == 0; i++)
		rv = dnsmasq_file(x, names[i], file, line);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rv;
}

/* Whether option name takes a value: 0 never, 1 always, 2 optionally; -1
 * if dnsmasq has no such option. */
static int
dnsmasq_has_arg(const char *name)
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

/* One option name[=v] from file:line (v still hidden, NULL if no '='). */
static int
dnsmasq_option(struct dm_ctx *x, const char *name, char *v,
    const char *file, unsigned line)
{
	int has = dnsmasq_has_arg(name);

	if (has == -1)
		return dnsmasq_refuse(x, file, line, "bad option");
	if (has == 0 && v != NULL)
		return dnsmasq_refuse(x, file, line, "extraneous parameter");
	if (has == 1 && v == NULL)
		return dnsmasq_refuse(x, file, line, "missing parameter");
	if (strcmp(name, "dnssec") == 0) {
		if (!x->dnssec) {
			x->dnssec = 1;
			snprintf(x->r->dnssec_where,
			    sizeof(x->r->dnssec_where), "%s:%u", file, line);
		}
	} else if (strcmp(name, "conf-script") == 0) {
		snprintf(x->err, x->errlen, "%s:%u: conf-script: the anchors "
		    "of a script's output cannot be known", file, line);
		return -1;
	} else if (strcmp(name, "trust-anchor") == 0)
		return dnsmasq_anchor(x, v, file, line);
	else if (strcmp(name, "conf-dir") == 0)
		return dnsmasq_dir(x, v, file, line);
	else if (strcmp(name, "conf-file") == 0 && v != NULL && v[0] != '\0') {
		dnsmasq_unhide(v);
		return dnsmasq_file(x, v, file, line);
	} else if (strcmp(name, "user") == 0) {
		if (v != NULL)
			dnsmasq_unhide(v);
		/* no name: dnsmasq keeps running as root */
		if (snprintf(x->r->user, sizeof(x->r->user), "%s",
		    v != NULL ? v : "") >= (int)sizeof(x->r->user)) {
			snprintf(x->err, x->errlen, "%s:%u: user: name too "
			    "long", file, line);
			return -1;
		}
	}
	return 0;
}

/* One piece of a file as read_file takes it: quotes resolved and their
 * content hidden, blanks made ' ', the comment cut.  0, or -1 if refused. */
static int
dnsmasq_unquote(struct dm_ctx *x, char *l, const char *file, unsigned line)
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
				if ((e = memchr(dm_meta, *p, DM_NMETA)) != NULL)
					*p = (char)(e - dm_meta);
			}
			if (*p == '\0')
				return dnsmasq_refuse(x, file, line,
				    "missing \"");
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

/* One piece of a config file from file:line. */
static int
dnsmasq_line(struct dm_ctx *x, char *l, const char *file, unsigned line)
{
	char *name, *v = NULL, *eq;
	size_t n;

	if (dnsmasq_unquote(x, l, file, line) == -1)
		return -1;
	for (name = l; *name == ' '; name++)
		;
	for (n = strlen(name); n > 0 && name[n - 1] == ' '; n--)
		;
	if (n == 0)
		return 0;
	name[n] = '\0';
	if ((eq = strchr(name, '=')) != NULL) {
		for (v = eq + 1; *v == ' '; v++)
			;
		for (n = (size_t)(eq - name) + 1; n > 0 &&
		    (name[n - 1] == ' ' || name[n - 1] == '='); n--)
			name[n - 1] = '\0';
	}
	return dnsmasq_option(x, name, v, file, line);
}

/* "from:line: ", or "" for the main config (from NULL), into buf. */
static const char *
dnsmasq_at(char *buf, size_t len, const char *from, unsigned line)
{
	buf[0] = '\0';
	if (from != NULL)
		snprintf(buf, len, "%s:%u: ", from, line);
	return buf;
}

/*
 * Note path as read, as one_file does before opening it: 1 if it was read
 * already (skip it), 0 if not, -1 if it cannot be read.  from:line names
 * it (from NULL: the main config).
 */
static int
dnsmasq_once(struct dm_ctx *x, const char *path, const char *from,
    unsigned line, struct stat *st)
{
	char at[AW_PATH_MAX + 16];
	size_t i;

	if (stat(path, st) == -1) {
		if (from != NULL && (errno == ENOENT || errno == ENOTDIR))
			return dnsmasq_refuse(x, from, line, "cannot read "
			    "%s: %s", path, strerror(errno));
		snprintf(x->err, x->errlen, "%s%s: cannot read: %s",
		    dnsmasq_at(at, sizeof(at), from, line), path,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < x->nread; i++)
		if (x->dev[i] == st->st_dev && x->ino[i] == st->st_ino)
			return 1;
	if (x->nread == DM_FILES_MAX || x->depth == DM_DEPTH_MAX) {
		snprintf(x->err, x->errlen, "%s%s: more than %d files or "
		    "nested deeper than %d", dnsmasq_at(at, sizeof(at), from,
		    line), path, DM_FILES_MAX, DM_DEPTH_MAX);
		return -1;
	}
	x->dev[x->nread] = st->st_dev;
	x->ino[x->nread++] = st->st_ino;
	return 0;
}

/* Read a config file (named at from:fline, or the main one if from is
 * NULL), in fgets pieces of at most DM_LINE_MAX bytes. */
static int
dnsmasq_file(struct dm_ctx *x, const char *path, const char *from,
    unsigned fline)
{
	char *buf, *l, why[AW_ERR_MAX], at[AW_PATH_MAX + 16];
	size_t len, pos = 0, n;
	unsigned line = 0;
	struct stat st;
	int rv = 0;

	if ((rv = dnsmasq_once(x, path, from, fline, &st)) != 0)
		return rv == 1 ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return 0;	/* fgets on a directory reads nothing */
	if (fileio_load(path, AW_FILE_MAX, &buf, &len, why,
	    sizeof(why)) == -1) {
		snprintf(x->err, x->errlen, "%s%s", dnsmasq_at(at, sizeof(at),
		    from, fline), why);
		return -1;
	}
	l = xcalloc(1, DM_LINE_MAX + 1);
	x->depth++;
	while (pos < len && rv == 0) {
		for (n = 0; pos < len && n < DM_LINE_MAX;)
			if ((l[n++] = buf[pos++]) == '\n')
				break;
		l[n] = '\0';	/* a NUL before ends the piece */
		rv = dnsmasq_line(x, l, path, ++line);
	}
	x->depth--;
	free(l);
	free(buf);
	return rv;
}

/* ---- Debian's packaged service ------------------------------------------- */

/*
 * The value of VAR in a sh variable file (/etc/default/dnsmasq), with one
 * level of quotes removed, and its line; 0 if it is not set.
 */
static int
dnsmasq_shvar(const char *buf, const char *var, char *out, size_t outlen,
    unsigned *line)
{
	const char *p = buf, *e;
	size_t vl = strlen(var), n;
	unsigned ln = 0;
	int found = 0;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		ln++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, var, vl) != 0 || p[vl] != '=')
			continue;
		p += vl + 1;
		n = (size_t)(e - p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n >= 2 && (p[0] == '"' || p[0] == '\'') &&
		    p[n - 1] == p[0]) {
			p++;
			n -= 2;
		}
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		*line = ln;
		found = 1;       /* the last assignment wins */
	}
	return found;
}

/* The long options of DNSMASQ_OPTS that matter ("--name=value").  A
 * --conf-file there is read instead of /etc/dnsmasq.conf. */
static int
dnsmasq_opts(struct dm_ctx *x, char *opts, const char *file, unsigned line)
{
	char *w, *save = NULL, *eq;

	for (w = strtok_r(opts, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		if (strncmp(w, "--", 2) != 0)
			continue;
		w += 2;
		if ((eq = strchr(w, '=')) != NULL)
			*eq++ = '\0';
		if (strcmp(w, "conf-file") == 0 && eq != NULL)
			snprintf(x->conffile, sizeof(x->conffile), "%s", eq);
		else if (dnsmasq_option(x, w, eq, file, line) == -1)
			return -1;
	}
	return 0;
}

/* The line of ROOT_DS= in init-system-common, 0 if not found. */
static unsigned
dnsmasq_rootds_line(const char *common)
{
	char *buf, why[AW_ERR_MAX];
	const char *p;
	size_t len;
	unsigned n = 0;

	if (fileio_load(common, AW_FILE_MAX, &buf, &len, why,
	    sizeof(why)) == -1)
		return 0;
	if ((p = strstr(buf, "\nROOT_DS=")) != NULL)
		n = fileio_lineof(buf, (size_t)(p - buf) + 1);
	free(buf);
	return n;
}

/*
 * Debian's init-system-common: /etc/default/dnsmasq (CONFIG_DIR,
 * DNSMASQ_USER, DNSMASQ_OPTS) and the root.ds hook, under prefix.
 */
static int
dnsmasq_debian(struct dm_ctx *x, const char *prefix)
{
	char common[AW_PATH_MAX], def[AW_PATH_MAX], ds[AW_PATH_MAX];
	char val[AW_PATH_MAX], why[AW_ERR_MAX], *buf = NULL;
	struct source *s;
	unsigned line;
	size_t len;
	int rv = -1;

	snprintf(common, sizeof(common), "%s/usr/share/dnsmasq/"
	    "init-system-common", prefix);
	snprintf(def, sizeof(def), "%s/etc/default/dnsmasq", prefix);
	snprintf(ds, sizeof(ds), "%s/usr/share/dns/root.ds", prefix);
	if (access(common, R_OK) == -1)
		return 0;
	if (access(def, F_OK) == 0) {
		if (fileio_load_text(def, &buf, &len, x->err,
		    x->errlen) == -1)
			goto done;
		if (dnsmasq_shvar(buf, "DNSMASQ_USER", val, sizeof(val),
		    &line) && val[0] != '\0')
			snprintf(x->r->user, sizeof(x->r->user), "%s", val);
		if (dnsmasq_shvar(buf, "CONFIG_DIR", val, sizeof(val),
		    &line) && val[0] != '\0' &&
		    dnsmasq_dir(x, val, def, line) == -1)
			goto done;
		if (dnsmasq_shvar(buf, "DNSMASQ_OPTS", val, sizeof(val),
		    &line) && dnsmasq_opts(x, val, def, line) == -1)
			goto done;
	}
	if (access(ds, F_OK) == 0) {
		s = resolver_add_source(x->r);
		s->kind = SRC_FILE;
		snprintf(s->path, sizeof(s->path), "%s", ds);
		snprintf(s->decl_file, sizeof(s->decl_file), "%s", common);
		s->decl_line = dnsmasq_rootds_line(common);
		if (zonefile_read_static(ds, s, why, sizeof(why)) == -1) {
			snprintf(x->err, x->errlen, "%s", why);
			goto done;
		}
	}
	rv = 0;
done:
	free(buf);
	return rv;
}

/*
 * The dnsmasq reader: rc->config (default /etc/dnsmasq.conf) with its
 * conf-file / conf-dir tree, Debian's service additions when the config
 * is PREFIX/etc/dnsmasq.conf, then the extra anchor files of rc (read as
 * static zone files).
 */
int
dnsmasq_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct dm_ctx *x = xcalloc(1, sizeof(*x));
	const char *config = rc->config[0] ? rc->config : DM_DEBIAN_CONF;
	char prefix[AW_PATH_MAX];
	size_t n = strlen(config), k = strlen(DM_DEBIAN_CONF);
	int rv = 0;

	x->r = r;
	x->err = err;
	x->errlen = errlen;
	snprintf(r->user, sizeof(r->user), "%s", DM_DEFAULT_USER);
	if (n >= k && strcmp(config + n - k, DM_DEBIAN_CONF) == 0) {
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(n - k), config);
		rv = dnsmasq_debian(x, prefix);
		if (x->conffile[0] != '\0')
			config = x->conffile;
	}
	/* dnsmasq reads no more after a refusal: what was read stands */
	if (rv == 0 && (rv = dnsmasq_file(x, config, NULL, 0)) == 0)
		rv = zonefile_read_static_files(rc, r, err, errlen);
	r->dnssec = x->dnssec ? DNSSEC_ON : DNSSEC_OFF;
	if (!x->dnssec)	/* no line says so: the option is simply absent */
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s",
		    config);
	if (r->refused[0] != '\0')
		rv = 0;
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(x);
	return rv;
}

/* dnsmasq's row of the reader table (reader.c). */
const struct reader dnsmasq_reader = {
	.type = "dnsmasq",
	.read = dnsmasq_read,
	.default_config = DM_DEBIAN_CONF,
	.process = "dnsmasq",
	.config_flag = "-C",
	.config_flag_long = "--conf-file",
	.user = DM_DEFAULT_USER,
	.variant = RFC5011_PLAIN,
	.advice_static = "dnsmasq has no RFC 5011: add each new root KSK's "
	    "DS as a trust-anchor= option before it signs",
};
