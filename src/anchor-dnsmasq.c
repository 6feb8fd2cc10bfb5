/*
 * anchor-dnsmasq.c: what a dnsmasq daemon trusts for the root.
 *
 * dnsmasq has no RFC 5011: its anchors are the DS records of its
 * trust-anchor options (RFC 4034 section 5), static by nature.  The reader
 * follows dnsmasq 2.90's option.c:
 *  - one option per line, "name=value" or "name", '#' starts a comment at
 *    the start of a line or after a blank, "..." quotes hide ',' and '#';
 *  - conf-file=FILE reads FILE in place; conf-dir=DIR[,.ext...][,*.ext...]
 *    reads DIR's regular files in name order, skipping names that start
 *    with '.', end in '~' or are #...#, those ending in a listed .ext, and
 *    (if any *.ext is given) those not ending in one; a missing conf-file
 *    or conf-dir stops the daemon, so it is an error here too;
 *  - trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DIGEST-TYPE,DIGEST;
 *  - dnssec turns validation on; without it dnsmasq does not validate;
 *  - conf-script runs a program whose output is config: its anchors cannot
 *    be known, so it is an error.
 * Debian's packaged service (init script and systemd-helper, both through
 * /usr/share/dnsmasq/init-system-common) adds to that command line: -7
 * CONFIG_DIR and -u DNSMASQ_USER from /etc/default/dnsmasq, DNSMASQ_OPTS,
 * and one --trust-anchor per DS record of /usr/share/dns/root.ds when that
 * file exists.  The reader models that when the config is
 * PREFIX/etc/dnsmasq.conf and PREFIX/usr/share/dnsmasq/init-system-common
 * exists; PREFIX is "" on a real host and a fixture tree in tests.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define DM_LINE_MAX 1024        /* dnsmasq reads lines of MAXDNAME */
#define DM_DEPTH_MAX 16         /* nested conf-file / conf-dir */
#define DM_DIR_MAX 256          /* files in one conf-dir */
#define DM_SUFFIX_MAX 16        /* extensions in one conf-dir */
#define DM_DEFAULT_USER "dnsmasq"
#define DM_DEBIAN_CONF "/etc/dnsmasq.conf"

struct dm_ctx {
	struct resolver *r;
	char stack[DM_DEPTH_MAX][AW_PATH_MAX];  /* files being read */
	size_t depth;
	int dnssec;
	char *err;
	size_t errlen;
};

static int dnsmasq_file(struct dm_ctx *, const char *, const char *,
    unsigned);

/*
 * trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DT,DIGEST from file:line.  A root
 * anchor becomes an inline source; other domains are not our business.
 */
static int
dnsmasq_anchor(struct dm_ctx *x, char *v, const char *file, unsigned line)
{
	char *f[7], text[AW_ERR_MAX], why[AW_ERR_MAX];
	struct source *s;
	struct anchor a;
	size_t n = 0, k;

	for (f[n++] = v; *v != '\0'; v++)
		if (*v == ',') {
			*v = '\0';
			if (n == 7)
				goto bad;
			f[n++] = v + 1;
		}
	k = n > 1 && (strcmp(f[1], "IN") == 0 || strcmp(f[1], "CH") == 0 ||
	    strcmp(f[1], "HS") == 0);
	if (n - k != 5)
		goto bad;
	if (strcmp(f[0], ".") != 0 && f[0][0] != '\0')
		return 0;
	if (k && strcmp(f[1], "IN") != 0)
		return 0;
	if (snprintf(text, sizeof(text), ". IN DS %s %s %s %s", f[k + 1],
	    f[k + 2], f[k + 3], f[k + 4]) >= (int)sizeof(text) ||
	    keyset_parse_rr(text, &a, why, sizeof(why)) != 1) {
		snprintf(x->err, x->errlen, "%s:%u: trust-anchor: %s", file,
		    line, why);
		return -1;
	}
	s = resolver_add_source(x->r);
	s->kind = SRC_INLINE;
	snprintf(s->path, sizeof(s->path), "%s", file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	a.line = line;
	s->anchors[s->nanchors++] = a;
	return 0;
bad:
	snprintf(x->err, x->errlen, "%s:%u: trust-anchor: expected DOMAIN,"
	    "[CLASS,]TAG,ALGORITHM,DIGEST-TYPE,DIGEST", file, line);
	return -1;
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

/* conf-dir=DIR[,.ext][,*.ext] from file:line. */
static int
dnsmasq_dir(struct dm_ctx *x, char *v, const char *file, unsigned line)
{
	char *skip[DM_SUFFIX_MAX], *only[DM_SUFFIX_MAX], *p, **names = NULL;
	char path[AW_PATH_MAX];
	size_t nskip = 0, nonly = 0, n = 0, i;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rv = 0;

	for (p = strchr(v, ','); p != NULL; p = strchr(p + 1, ',')) {
		*p = '\0';
		if (p[1] == '\0' || (p[1] == '*' && p[2] == '\0'))
			continue;
		if (nskip == DM_SUFFIX_MAX || nonly == DM_SUFFIX_MAX) {
			snprintf(x->err, x->errlen, "%s:%u: conf-dir: too "
			    "many extensions", file, line);
			return -1;
		}
		if (p[1] == '*')
			only[nonly++] = p + 2;
		else
			skip[nskip++] = p + 1;
	}
	if ((d = opendir(v)) == NULL) {
		snprintf(x->err, x->errlen, "%s:%u: conf-dir: cannot access "
		    "directory %s: %s", file, line, v, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_dir_wanted(de->d_name, skip, nskip, only, nonly))
			continue;
		if (n == DM_DIR_MAX || snprintf(path, sizeof(path), "%s/%s",
		    v, de->d_name) >= (int)sizeof(path)) {
			snprintf(x->err, x->errlen, "%s:%u: conf-dir %s: too "
			    "many files or name too long", file, line, v);
			rv = -1;
			break;
		}
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		if ((names[n++] = strdup(path)) == NULL)
			fatalx("out of memory");
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), dnsmasq_cmp);
	for (i = 0; i < n && rv == 0; i++)
		rv = dnsmasq_file(x, names[i], file, line);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rv;
}

/* One option name[=value] from file:line (file "" for the command line). */
static int
dnsmasq_option(struct dm_ctx *x, const char *name, char *v,
    const char *file, unsigned line)
{
	if (strcmp(name, "dnssec") == 0) {
		if (!x->dnssec) {
			x->dnssec = 1;
			snprintf(x->r->dnssec_where,
			    sizeof(x->r->dnssec_where), "%s:%u", file, line);
		}
		return 0;
	}
	if (strcmp(name, "conf-script") == 0) {
		snprintf(x->err, x->errlen, "%s:%u: conf-script: the anchors "
		    "of a script's output cannot be known", file, line);
		return -1;
	}
	if (v == NULL)
		return 0;
	if (strcmp(name, "trust-anchor") == 0)
		return dnsmasq_anchor(x, v, file, line);
	if (strcmp(name, "conf-dir") == 0)
		return dnsmasq_dir(x, v, file, line);
	if (strcmp(name, "conf-file") == 0)
		return v[0] == '\0' ? 0 : dnsmasq_file(x, v, file, line);
	if (strcmp(name, "user") == 0 &&
	    snprintf(x->r->user, sizeof(x->r->user), "%s", v) >=
	    (int)sizeof(x->r->user)) {
		snprintf(x->err, x->errlen, "%s:%u: user: name too long",
		    file, line);
		return -1;
	}
	return 0;
}

/*
 * One line of a config file: quotes removed (their content kept as is),
 * comments cut, blanks trimmed, then split at the first '='.
 */
static int
dnsmasq_line(struct dm_ctx *x, char *l, const char *file, unsigned line)
{
	char *p, *o, *name, *v = NULL;
	int white = 1, quoted = 0;

	for (p = o = l; *p != '\0'; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && *p == '#' && white)
			break;
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			snprintf(x->err, x->errlen, "%s:%u: control character",
			    file, line);
			return -1;
		}
		white = !quoted && (*p == ' ' || *p == '\t');
		*o++ = *p;
	}
	if (quoted) {
		snprintf(x->err, x->errlen, "%s:%u: missing \"", file, line);
		return -1;
	}
	*o = '\0';
	for (name = l; *name == ' ' || *name == '\t'; name++)
		;
	while (o > name && (o[-1] == ' ' || o[-1] == '\t'))
		*--o = '\0';
	if (*name == '\0')
		return 0;
	if ((p = strchr(name, '=')) != NULL) {
		for (v = p + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (*p = '\0'; p > name && (p[-1] == ' ' || p[-1] == '\t');)
			*--p = '\0';
	}
	return dnsmasq_option(x, name, v, file, line);
}

/* Refuse path if it is being read already or nesting is too deep. */
static int
dnsmasq_push(struct dm_ctx *x, const char *path, const char *from,
    unsigned line)
{
	char real[PATH_MAX];
	size_t i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	if (x->depth >= DM_DEPTH_MAX || strlen(real) >= AW_PATH_MAX) {
		snprintf(x->err, x->errlen, "%s:%u: conf-file nested deeper "
		    "than %d", from, line, DM_DEPTH_MAX);
		return -1;
	}
	for (i = 0; i < x->depth; i++)
		if (strcmp(x->stack[i], real) == 0) {
			snprintf(x->err, x->errlen, "%s:%u: conf-file loop: %s",
			    from, line, path);
			return -1;
		}
	memcpy(x->stack[x->depth++], real, strlen(real) + 1);
	return 0;
}

/* Read a config file (named at from:fline, or the main one if from is
 * NULL). */
static int
dnsmasq_file(struct dm_ctx *x, const char *path, const char *from,
    unsigned fline)
{
	char *buf, *l = NULL, why[AW_ERR_MAX];
	const char *s, *nul;
	size_t len, pos = 0, n;
	unsigned line = 0;
	int rv = -1;

	if (dnsmasq_push(x, path, from ? from : path, fline) == -1)
		return -1;
	if (fileio_load(path, AW_FILE_MAX, &buf, &len, why,
	    sizeof(why)) == -1) {
		if (from != NULL)
			snprintf(x->err, x->errlen, "%s:%u: %s", from, fline,
			    why);
		else
			snprintf(x->err, x->errlen, "%s", why);
		x->depth--;
		return -1;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		snprintf(x->err, x->errlen, "%s:%u: NUL byte in file", path,
		    fileio_lineof(buf, (size_t)(nul - buf)));
		goto done;
	}
	l = xcalloc(1, DM_LINE_MAX + 1);
	while (fileio_nextline(buf, len, &pos, &s, &n)) {
		line++;
		if (n > DM_LINE_MAX) {
			snprintf(x->err, x->errlen, "%s:%u: line longer than "
			    "%d characters", path, line, DM_LINE_MAX);
			goto done;
		}
		memcpy(l, s, n);
		l[n] = '\0';
		if (dnsmasq_line(x, l, path, line) == -1)
			goto done;
	}
	rv = 0;
done:
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

/* The long options of DNSMASQ_OPTS that matter ("--name=value"). */
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
		if (dnsmasq_option(x, w, eq, file, line) == -1)
			return -1;
	}
	return 0;
}

/* The line of ROOT_DS= in init-system-common, 0 if not found. */
static unsigned
dnsmasq_rootds_line(const char *common)
{
	char *buf;
	const char *p;
	size_t len;
	char why[AW_ERR_MAX];
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
		if (fileio_load(def, AW_FILE_MAX, &buf, &len, x->err,
		    x->errlen) == -1)
			return -1;
		if (memchr(buf, '\0', len) != NULL) {
			snprintf(x->err, x->errlen, "%s:%u: NUL byte in file",
			    def, fileio_lineof(buf, (size_t)((char *)memchr(
			    buf, '\0', len) - buf)));
			goto done;
		}
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
	int rv = -1;

	x->r = r;
	x->err = err;
	x->errlen = errlen;
	snprintf(r->user, sizeof(r->user), "%s", DM_DEFAULT_USER);
	if (n >= k && strcmp(config + n - k, DM_DEBIAN_CONF) == 0) {
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(n - k), config);
		if (dnsmasq_debian(x, prefix) == -1)
			goto done;
	}
	if (dnsmasq_file(x, config, NULL, 0) == -1)
		goto done;
	if (zonefile_read_static_files(rc, r, err, errlen) == -1)
		goto done;
	if (!x->dnssec) {
		r->dnssec = DNSSEC_OFF;
		/* no line says so: the option is simply absent */
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s",
		    config);
	} else
		r->dnssec = DNSSEC_ON;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(x);
	return rv;
}
