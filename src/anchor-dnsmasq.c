/*
 * anchor-dnsmasq.c: what a dnsmasq daemon trusts for the root.
 *
 * dnsmasq has no RFC 5011: its anchors are the DS records of its
 * trust-anchor options (RFC 4034 section 5), static by nature.  The reader
 * reads as dnsmasq 2.90's option.c does (read_file, one_file, one_opt);
 * where dnsmasq refuses to start, r->refused says so in dnsmasq's words
 * ("FILE:LINE: dnsmasq refuses to start: bad option"):
 *  - a file is read in pieces of at most 1024 bytes (fgets into MAXDNAME),
 *    each counted as a line; a NUL ends its piece; each piece is an option
 *    line as dnsmasq-opt.c reads it (quotes, comments, name=value; the
 *    name must be an option of dnsmasq's, with a value if it needs one,
 *    without if it takes none);
 *  - conf-file=FILE reads FILE in place; conf-dir=DIR[,.ext...][,*.ext...]
 *    reads DIR's regular files in name order, skipping names that start
 *    with '.', end in '~' or are #...#, those ending in a listed .ext, and
 *    (if any *.ext is given) those not ending in one.  A file read already
 *    (same device and inode: a conf-file naming itself, a file named
 *    twice, a conf-dir holding the main file) is skipped, as one_file
 *    does.  A missing conf-file, conf-dir or conf-dir entry is refused;
 *  - trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DIGEST-TYPE,DIGEST as
 *    dnsmasq-opt.c reads it: "bad trust anchor", "bad HEX in trust
 *    anchor".  A digest of the wrong length is accepted (it never matches
 *    a key); the domain is not checked;
 *  - dnssec turns validation on; user= names the user it runs as (none:
 *    it stays root); conf-script runs a program whose output is config:
 *    its anchors cannot be known, so it is an error.
 * Debian's packaged service (init script and systemd-helper, both through
 * /usr/share/dnsmasq/init-system-common) adds to that command line: -7
 * CONFIG_DIR and -u DNSMASQ_USER from /etc/default/dnsmasq, DNSMASQ_OPTS
 * (whose --conf-file is read instead of dnsmasq.conf), and one
 * --trust-anchor per DS record of /usr/share/dns/root.ds if it exists.
 * The reader models that when the config is PREFIX/etc/dnsmasq.conf and
 * PREFIX/usr/share/dnsmasq/init-system-common exists; PREFIX is "" on a
 * real host and a fixture tree in tests.
 *
 * The repair (`anchorwatch fix`) rewrites only the files the main
 * configuration includes (conf-file, conf-dir, CONFIG_DIR), through
 * dnsmasq-opt.c, and the zone files of root.ds and anchor_files, through
 * zonefile-write.c: the main file and /etc/default/dnsmasq are the
 * operator's, so their anchors are only suggested.  dnsmasq reads trust
 * anchors when it starts: its reload is a restart.
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

#define DM_DEPTH_MAX 16         /* nested conf-file / conf-dir */
#define DM_FILES_MAX 256        /* distinct files read */
#define DM_DIR_MAX 256          /* files in one conf-dir */
#define DM_SUFFIX_MAX 16        /* extensions in one conf-dir */
#define DM_DEFAULT_USER "dnsmasq"
#define DM_DEBIAN_CONF "/etc/dnsmasq.conf"

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

/* Add root anchor a from file:line to r: consecutive ones of one file
 * share a source. */
static int
dnsmasq_add(struct dm_ctx *x, const struct anchor *a, const char *file,
    unsigned line)
{
	struct source *s = x->r->nsources ?
	    &x->r->sources[x->r->nsources - 1] : NULL;

	if (x->nanchors++ == DNSMASQ_ANCHORS_MAX) {
		snprintf(x->err, x->errlen, "%s:%u: more than %d root "
		    "trust-anchor options", file, line, DNSMASQ_ANCHORS_MAX);
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
	*source_add_anchor(s) = *a;
	return 0;
}

/* trust-anchor=DOMAIN,[CLASS,]TAG,ALG,DT,DIGEST from file:line, as one_opt
 * checks it (dnsmasq-ta.c).  A root anchor of class IN is kept; others
 * are not our business. */
static int
dnsmasq_anchor(struct dm_ctx *x, char *v, const char *file, unsigned line)
{
	struct anchor a;
	const char *why;
	int rv = dnsmasq_opt_parse(v, &a, &why);

	if (rv == -1)
		return dnsmasq_refuse(x, file, line, "%s", why);
	if (rv == 0)
		return 0;
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

	for (p = dnsmasq_opt_split(v); p != NULL; p = next) {
		next = dnsmasq_opt_split(p);
		dnsmasq_opt_unhide(p);
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
	dnsmasq_opt_unhide(v);
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

/* One option name[=v] from file:line (v still hidden, NULL if no '='). */
static int
dnsmasq_option(struct dm_ctx *x, const char *name, char *v,
    const char *file, unsigned line)
{
	int has = dnsmasq_opt_has_arg(name);

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
		dnsmasq_opt_unhide(v);
		return dnsmasq_file(x, v, file, line);
	} else if (strcmp(name, "user") == 0) {
		if (v != NULL)
			dnsmasq_opt_unhide(v);
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

/* One piece of a config file from file:line. */
static int
dnsmasq_line(struct dm_ctx *x, char *l, const char *file, unsigned line)
{
	char *name, *v;
	const char *why;
	int rv = dnsmasq_opt_line(l, &name, &v, &why);

	if (rv == -1)
		return dnsmasq_refuse(x, file, line, "%s", why);
	return rv == 0 ? 0 : dnsmasq_option(x, name, v, file, line);
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
 * NULL), in fgets pieces of at most DNSMASQ_PIECE_MAX bytes. */
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
	l = xcalloc(1, DNSMASQ_PIECE_MAX + 1);
	x->depth++;
	while (pos < len && rv == 0) {
		for (n = 0; pos < len && n < DNSMASQ_PIECE_MAX;)
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

/* ---- repair (anchorwatch fix) ------------------------------------------- */

#define DM_MAIN_MAX 3

/*
 * The files fix never rewrites: the main configuration (rc's, or the
 * --conf-file of Debian's DNSMASQ_OPTS) and /etc/default/dnsmasq, a sh
 * file; into main (DM_MAIN_MAX); their count.  main[0] is the one in use.
 */
static size_t
dnsmasq_main(const struct resolver_conf *rc, char main[][AW_PATH_MAX])
{
	const char *config = rc->config[0] ? rc->config : DM_DEBIAN_CONF;
	char val[AW_PATH_MAX], why[AW_ERR_MAX], *buf, *w, *save = NULL;
	size_t n = strlen(config), k = strlen(DM_DEBIAN_CONF), len, nm = 1;
	unsigned line;

	snprintf(main[0], AW_PATH_MAX, "%s", config);
	if (n < k || strcmp(config + n - k, DM_DEBIAN_CONF) != 0)
		return nm;
	snprintf(val, sizeof(val), "%.*s/usr/share/dnsmasq/init-system-common",
	    (int)(n - k), config);
	if (access(val, R_OK) == -1)
		return nm;	/* no Debian service: as the reader */
	snprintf(main[nm++], AW_PATH_MAX, "%.*s/etc/default/dnsmasq",
	    (int)(n - k), config);
	if (fileio_load_text(main[1], &buf, &len, why, sizeof(why)) == -1)
		return nm;
	if (dnsmasq_shvar(buf, "DNSMASQ_OPTS", val, sizeof(val), &line))
		for (w = strtok_r(val, " \t", &save); w != NULL;
		    w = strtok_r(NULL, " \t", &save))
			if (strncmp(w, "--conf-file=", 12) == 0 && w[12]) {
				snprintf(main[2], AW_PATH_MAX, "%s", main[0]);
				snprintf(main[0], AW_PATH_MAX, "%s", w + 12);
				nm = DM_MAIN_MAX;
			}
	free(buf);
	return nm;
}

/* 1 if fix may rewrite the anchors of s: trust-anchor= options of a file
 * the main configuration includes (conf-file, conf-dir), or a zone file
 * (Debian's root.ds, resolvers[].anchor_files). */
static int
is_dnsmasq_writable(const struct source *s, char main[][AW_PATH_MAX],
    size_t nmain)
{
	size_t i;

	for (i = 0; i < nmain; i++)
		if (strcmp(s->path, main[i]) == 0)
			return 0;
	return s->kind == SRC_INLINE || s->kind == SRC_FILE;
}

/* 1 if some root anchor of r designates k. */
static int
is_dnsmasq_trusting(const struct resolver *r, const struct dnskey *k)
{
	size_t i, j;

	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++)
			if (is_anchor_for(&r->sources[i].anchors[j], k))
				return 1;
	return 0;
}

/*
 * Every root anchor is where fix does not write (the main configuration,
 * /etc/default/dnsmasq, a zone file): the repair is refused, and the
 * lines of an included file that would hold them are suggested.
 */
static void
dnsmasq_refuse_main(const struct resolver *r, const char *main,
    const struct fix_trust *t, const struct ds *add, size_t nadd,
    struct fix_plan *p)
{
	char line[AW_DIGEST_MAX * 2 + 64], inc[AW_PATH_MAX];
	const char *sl = strrchr(main, '/');
	const struct anchor *a;
	size_t i, j;

	snprintf(inc, sizeof(inc), "%.*strust-anchors.conf",
	    sl ? (int)(sl - main + 1) : 0, main);
	snprintf(p->refused, sizeof(p->refused), "no root trust-anchor= is "
	    "in a file %s includes, and fix never changes the main "
	    "configuration: move them to %s as suggested", main, inc);
	fix_plan_suggest(p, "# add to %s:\nconf-file=%s\n# and write %s:",
	    main, inc, inc);
	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++) {
			a = &r->sources[i].anchors[j];
			if (is_fix_kept(t, a) && a->is_ds &&
			    dnsmasq_opt_format(&a->ds, line, sizeof(line)) == 0)
				fix_plan_suggest(p, "%s", line);
		}
	for (i = 0; i < nadd; i++)
		if (dnsmasq_opt_format(&add[i], line, sizeof(line)) == 0)
			fix_plan_suggest(p, "%s", line);
	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++)
			fix_plan_suggest(p, "# then remove %s:%u (key %u)",
			    r->sources[i].path, r->sources[i].anchors[j].line,
			    keyset_anchor_tag(&r->sources[i].anchors[j]));
}

/*
 * dnsmasq's repair: the root trust-anchor= options of the files the main
 * configuration includes, and the zone files of its anchors (root.ds,
 * anchor_files: zonefile-write.c).  Those t does not keep are removed; a
 * DS (SHA-256) of each key of t no anchor names is added after the root
 * anchors of the last such file.  An anchor fix may not rewrite is left
 * alone and its removal suggested.  With no such file to write, the
 * repair is refused: p->refused is set and 0 returned, so that fix prints
 * the suggested lines of an included file (a -1 drops them with the plan).
 */
static int
dnsmasq_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p,
    char *err, size_t errlen)
{
	char main[DM_MAIN_MAX][AW_PATH_MAX];
	size_t nmain = dnsmasq_main(rc, main), i, j, k, n, nadd = 0;
	const struct source *s, *target = NULL;
	const struct dnskey *addk[FIX_KEYS_MAX], *k1;
	struct ds add[FIX_KEYS_MAX];
	int due = 0, rv = 0;

	for (i = 0; i < t->nkeys; i++)
		if (!is_dnsmasq_trusting(r, &t->keys[i]))
			addk[nadd++] = &t->keys[i];
	/* in tag order: t has the answer's, which varies from one query to
	 * the next, and the dry run and --apply must write the same */
	for (i = 1; i < nadd; i++)
		for (j = i; j > 0 && addk[j - 1]->tag > addk[j]->tag; j--) {
			k1 = addk[j];
			addk[j] = addk[j - 1];
			addk[j - 1] = k1;
		}
	for (i = 0, n = nadd, nadd = 0; i < n; i++)
		if (keyset_ds_of_key(addk[i], 2, &add[nadd]) == 0)
			addk[nadd++] = addk[i];
	for (i = 0; i < r->nsources; i++) {
		s = &r->sources[i];
		if (s->nanchors > 0 && is_dnsmasq_writable(s, main, nmain))
			target = s;
		for (j = 0; j < s->nanchors; j++)
			due |= !is_fix_kept(t, &s->anchors[j]);
	}
	if (target == NULL && (nadd > 0 || due))
		dnsmasq_refuse_main(r, main[0], t, add, nadd, p);
	for (i = 0; i < r->nsources && target != NULL && rv == 0; i++) {
		s = &r->sources[i];
		n = strcmp(s->path, target->path) == 0 ? nadd : 0;
		for (k = 0; k < i && strcmp(r->sources[k].path, s->path); k++)
			;
		if (k < i)
			continue;	/* that file is planned already */
		if (is_dnsmasq_writable(s, main, nmain))
			rv = s->kind == SRC_FILE ? zonefile_plan_static(p, s, t,
			    addk, n, err, errlen) : dnsmasq_opt_plan(r, s->path,
			    t, add, n, p, err, errlen);
		else
			for (j = 0; j < s->nanchors; j++)
				if (!is_fix_kept(t, &s->anchors[j]))
					fix_plan_suggest(p, "# remove %s:%u "
					    "(key %u: no longer to be trusted)",
					    s->path, s->anchors[j].line,
					    keyset_anchor_tag(&s->anchors[j]));
	}
	return rv;
}

/* dnsmasq reads its trust anchors only when it starts. */
static const char *const dm_reload[] = {
	"/usr/bin/systemctl", "restart", "dnsmasq", NULL,
};

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
	.repair = dnsmasq_repair,
	.reload = dm_reload,
};
