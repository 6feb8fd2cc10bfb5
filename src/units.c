/*
 * units.c: the command line a systemd unit runs a daemon with.
 *
 * When a resolver is not running, discover still wants to know which
 * configuration it would start with: Debian's kresd@.service passes two
 * -c options, pdns-recursor@.service a --config-name=%i.  This reads unit
 * files as systemd does (systemd.unit(5), systemd.service(5),
 * systemd.exec(5)), under a root prefix for the tests:
 *  - the fragment: the first of /etc/systemd/system, /run/systemd/system,
 *    /usr/lib/systemd/system, /lib/systemd/system holding the unit's name,
 *    or its template "name@.service"; a fragment that is empty or a link
 *    to /dev/null is masked;
 *  - its drop-ins, NAME.d/ and TEMPLATE.d/ *.conf of every directory,
 *    applied in the order of their file names, one name of a directory of
 *    higher priority hiding the same name below;
 *  - in [Service], the last ExecStart= (an empty one resets), its prefixes
 *    @ - : + ! stripped, split into words with quotes and backslash
 *    escapes; the specifiers %i %I %n %N %p %P %%; $NAME as a word of its
 *    own split at blanks, ${NAME} in place, from Environment= and
 *    EnvironmentFile= (a "-" before the file: it may be missing);
 *    WorkingDirectory=.
 * The unit chosen is an enabled one (a link in /etc/systemd/system/
 * *.wants or *.requires) if there is one, then a plain unit, then a
 * template whose command line does not need its instance.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define UN_FILE_MAX (64 * 1024)   /* one unit file, drop-in, env file */
#define UN_DROPINS_MAX 32
#define UN_ENV_MAX 32
#define UN_NAMES_MAX 4096         /* units looked at */
#define UN_LINE_MAX 4096

static const char *const un_dirs[] = { "/etc/systemd/system",
    "/run/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system" };
#define UN_NDIRS (sizeof(un_dirs) / sizeof(un_dirs[0]))

/* What the files of one unit say. */
struct un_state {
	char exec[UN_LINE_MAX];       /* the last ExecStart= */
	char workdir[AW_PATH_MAX];
	char env[UN_ENV_MAX][256];    /* NAME=value */
	size_t nenv;
	const char *prefix;
	const char *name;             /* "kresd@1.service" */
};

/* Add "NAME=value" to the environment, replacing NAME. */
static void
un_setenv(struct un_state *st, const char *kv, size_t n)
{
	const char *eq = memchr(kv, '=', n);
	size_t i, kl;

	if (eq == NULL || eq == kv || n >= sizeof(st->env[0]))
		return;
	kl = (size_t)(eq - kv) + 1;
	for (i = 0; i < st->nenv; i++)
		if (strncmp(st->env[i], kv, kl) == 0)
			break;
	if (i == st->nenv && st->nenv == UN_ENV_MAX)
		return;
	if (i == st->nenv)
		st->nenv++;
	memcpy(st->env[i], kv, n);
	st->env[i][n] = '\0';
}

/* The value of NAME[0..n), or NULL. */
static const char *
un_getenv(const struct un_state *st, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < st->nenv; i++)
		if (strncmp(st->env[i], name, n) == 0 && st->env[i][n] == '=')
			return st->env[i] + n + 1;
	return NULL;
}

/*
 * Next word of *p (quotes and backslashes as systemd takes them) into
 * out; *quoted tells whether any of it was quoted.  0 at the end.
 */
static int
un_word(const char **p, char *out, size_t outlen, int *quoted)
{
	const char *s = *p + strspn(*p, " \t");
	size_t n = 0;
	char q = 0;

	*quoted = 0;
	if (*s == '\0')
		return 0;
	for (; *s != '\0' && (q || (*s != ' ' && *s != '\t')); s++) {
		if (!q && (*s == '"' || *s == '\'')) {
			q = *s;
			*quoted = 1;
			continue;
		}
		if (q && *s == q) {
			q = 0;
			continue;
		}
		if (*s == '\\' && s[1] != '\0')
			s++;
		if (n + 1 < outlen)
			out[n++] = *s;
	}
	out[n] = '\0';
	*p = s;
	return 1;
}

/* Environment= words, or an EnvironmentFile= of NAME=value lines. */
static void
un_env_line(struct un_state *st, const char *v)
{
	char w[256];
	int q;

	while (un_word(&v, w, sizeof(w), &q))
		un_setenv(st, w, strlen(w));
}

static void
un_env_file(struct un_state *st, const char *v)
{
	char path[AW_PATH_MAX], err[AW_ERR_MAX], *buf, w[256];
	const char *l, *p;
	size_t len, pos = 0, n;
	int q;

	if (*v == '-')
		v++;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", st->prefix, v) >=
	    sizeof(path) || fileio_load(path, UN_FILE_MAX, &buf, &len, err,
	    sizeof(err)) == -1)
		return;
	while (fileio_nextline(buf, len, &pos, &l, &n)) {
		char line[UN_LINE_MAX];

		if (n >= sizeof(line))
			continue;
		memcpy(line, l, n);
		line[n] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '#' || *p == ';' || strchr(p, '=') == NULL)
			continue;
		/* NAME=value, the value quoted or not: one word */
		n = (size_t)(strchr(p, '=') - p) + 1;
		memcpy(w, p, n < sizeof(w) ? n : sizeof(w) - 1);
		p += n;
		if (n < sizeof(w) && un_word(&p, w + n, sizeof(w) - n, &q))
			un_setenv(st, w, strlen(w));
		else if (n < sizeof(w))
			un_setenv(st, w, n);
	}
	free(buf);
}

/* One unit file or drop-in: its [Service] settings into st. */
static void
un_read(struct un_state *st, const char *path)
{
	char err[AW_ERR_MAX], line[UN_LINE_MAX], *buf;
	const char *l, *v;
	size_t len, pos = 0, n, ln = 0;
	int service = 0;

	if (fileio_load(path, UN_FILE_MAX, &buf, &len, err, sizeof(err)) == -1)
		return;
	while (fileio_nextline(buf, len, &pos, &l, &n)) {
		if (ln + n >= sizeof(line)) {
			ln = 0;
			continue;
		}
		memcpy(line + ln, l, n);
		ln += n;
		line[ln] = '\0';
		if (ln > 0 && line[ln - 1] == '\\') {
			line[ln - 1] = ' ';     /* continued */
			continue;
		}
		ln = 0;
		l = line + strspn(line, " \t");
		if (*l == '[') {
			service = strncmp(l, "[Service]", 9) == 0;
			continue;
		}
		if (!service || *l == '#' || *l == ';' ||
		    (v = strchr(l, '=')) == NULL)
			continue;
		n = (size_t)(v - l);
		while (n > 0 && isspace((unsigned char)l[n - 1]))
			n--;
		v += 1 + strspn(v + 1, " \t");
		if (n == 9 && strncmp(l, "ExecStart", 9) == 0)
			snprintf(st->exec, sizeof(st->exec), "%s", v);
		else if (n == 16 && strncmp(l, "WorkingDirectory", 16) == 0)
			snprintf(st->workdir, sizeof(st->workdir), "%s",
			    v + (*v == '-'));
		else if (n == 11 && strncmp(l, "Environment", 11) == 0)
			un_env_line(st, v);
		else if (n == 15 && strncmp(l, "EnvironmentFile", 15) == 0)
			un_env_file(st, v);
	}
	free(buf);
}

/* 1 if path is a unit file that is there and not masked. */
static int
is_unit_file(const char *path)
{
	char target[64];
	struct stat sb;
	ssize_t n;

	if ((n = readlink(path, target, sizeof(target) - 1)) > 0) {
		target[n] = '\0';
		if (strcmp(target, "/dev/null") == 0)
			return 0;
	}
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

static int
un_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;

	return strcmp(strrchr(x, '/'), strrchr(y, '/'));
}

/* The drop-ins of unit (and of template, if not NULL), in order. */
static void
un_dropins(struct un_state *st, const char *unit, const char *tmpl)
{
	char *files[UN_DROPINS_MAX], dir[AW_PATH_MAX], p[AW_PATH_MAX + 256];
	const char *names[2] = { tmpl, unit };
	size_t nf = 0, i, k, d;
	struct dirent *de;
	DIR *dp;

	for (d = 0; d < UN_NDIRS; d++)
		for (k = 0; k < 2; k++) {
			if (names[k] == NULL || (size_t)snprintf(dir,
			    sizeof(dir), "%s%s/%s.d", st->prefix, un_dirs[d],
			    names[k]) >= sizeof(dir) ||
			    (dp = opendir(dir)) == NULL)
				continue;
			while ((de = readdir(dp)) != NULL && nf < UN_DROPINS_MAX) {
				if (strlen(de->d_name) < 6 || strcmp(de->d_name +
				    strlen(de->d_name) - 5, ".conf") != 0)
					continue;
				for (i = 0; i < nf; i++)
					if (strcmp(strrchr(files[i], '/') + 1,
					    de->d_name) == 0)
						break;
				if (i < nf)
					continue;  /* hidden by a higher one */
				snprintf(p, sizeof(p), "%s/%s", dir,
				    de->d_name);
				if ((files[nf] = strdup(p)) == NULL)
					fatalx("out of memory");
				nf++;
			}
			closedir(dp);
		}
	qsort(files, nf, sizeof(files[0]), un_cmp);
	for (i = 0; i < nf; i++) {
		un_read(st, files[i]);
		free(files[i]);
	}
}

/* Specifiers of word w expanded into out; -1 if one needs the instance
 * and there is none. */
static int
un_spec(const struct un_state *st, const char *w, char *out, size_t outlen)
{
	const char *at = strchr(st->name, '@'), *dot = strrchr(st->name, '.');
	char inst[256] = "", pfx[256];
	size_t o = 0, n;
	const char *v;

	snprintf(pfx, sizeof(pfx), "%.*s", (int)((at ? at : dot) - st->name),
	    st->name);
	if (at != NULL)
		snprintf(inst, sizeof(inst), "%.*s", (int)(dot - at - 1),
		    at + 1);
	for (; *w != '\0'; w++) {
		v = NULL;
		if (*w == '%' && w[1] != '\0') {
			w++;
			if (*w == 'i' || *w == 'I') {
				if (inst[0] == '\0')
					return -1;
				v = inst;
			} else if (*w == 'n')
				v = st->name;
			else if (*w == 'N')
				v = st->name;   /* close enough for paths */
			else if (*w == 'p' || *w == 'P')
				v = pfx;
			else if (*w == '%')
				v = "%";
		}
		if (v == NULL) {
			if (o + 1 < outlen)
				out[o++] = *w;
			continue;
		}
		n = strlen(v);
		if (o + n < outlen) {
			memcpy(out + o, v, n);
			o += n;
		}
	}
	out[o] = '\0';
	return 0;
}

/* Append word w, with ${NAME} expanded, to u. */
static void
un_push(struct unit_cmd *u, const struct un_state *st, const char *w)
{
	char out[AW_PATH_MAX];
	const char *e, *v;
	size_t o = 0, n;

	for (; *w != '\0'; w++) {
		if (w[0] == '$' && w[1] == '{' && (e = strchr(w, '}')) != NULL) {
			v = un_getenv(st, w + 2, (size_t)(e - w - 2));
			n = v != NULL ? strlen(v) : 0;
			if (n > 0 && o + n < sizeof(out))
				memcpy(out + o, v, n), o += n;
			w = e;
		} else if (o + 1 < sizeof(out))
			out[o++] = *w;
	}
	out[o] = '\0';
	n = strlen(out) + 1;
	if (u->argc >= UNIT_ARGS_MAX || u->used + n > sizeof(u->buf))
		return;
	memcpy(u->buf + u->used, out, n);
	u->argv[u->argc++] = u->buf + u->used;
	u->argv[u->argc] = NULL;
	u->used += n;
}

/* st->exec as words into u; -1 if there is none or it needs an
 * instance the unit does not have. */
static int
un_argv(const struct un_state *st, struct unit_cmd *u)
{
	const char *p = st->exec, *v;
	char w[AW_PATH_MAX], x[AW_PATH_MAX], sub[AW_PATH_MAX];
	int q, at = 0, first = 1;

	p += strspn(p, " \t");
	for (; *p != '\0' && strchr("@-:+!", *p) != NULL; p++)
		at |= *p == '@';
	u->argc = u->used = 0;
	while (un_word(&p, w, sizeof(w), &q)) {
		if (un_spec(st, w, x, sizeof(x)) == -1)
			return -1;
		if (at && u->argc == 1 && first) {
			first = 0;      /* "@path argv0 args": argv0 dropped */
			continue;
		}
		/* "$NAME" as a word of its own: its value split at blanks */
		if (!q && x[0] == '$' && x[1] != '{' && x[1] != '\0' &&
		    (v = un_getenv(st, x + 1, strlen(x + 1))) != NULL) {
			while (un_word(&v, sub, sizeof(sub), &q))
				un_push(u, st, sub);
		} else if (!(x[0] == '$' && x[1] != '{' && !q))
			un_push(u, st, x);
	}
	return u->argc > 0 ? 0 : -1;
}

/*
 * Unit name (an instance "a@b.service", or a plain unit or a template)
 * read into u: 0, or -1 if masked, missing, or its command line is not
 * known.
 */
static int
un_load(const char *prefix, const char *name, struct unit_cmd *u)
{
	struct un_state *st = xcalloc(1, sizeof(*st));
	char tmpl[256] = "", path[AW_PATH_MAX];
	const char *at = strchr(name, '@');
	size_t d, k;
	int rv = -1;

	st->prefix = prefix;
	st->name = name;
	if (at != NULL && at[1] != '.')
		snprintf(tmpl, sizeof(tmpl), "%.*s%s", (int)(at - name + 1),
		    name, strrchr(name, '.'));
	for (k = 0; k < 2 && rv == -1; k++)
		for (d = 0; d < UN_NDIRS; d++) {
			if ((k == 1 && tmpl[0] == '\0') ||
			    (size_t)snprintf(path, sizeof(path), "%s%s/%s",
			    prefix, un_dirs[d], k ? tmpl : name) >= sizeof(path)
			    || access(path, F_OK) != 0)
				continue;
			if (!is_unit_file(path))
				goto done;      /* masked */
			snprintf(u->path, sizeof(u->path), "%s/%s", un_dirs[d],
			    k ? tmpl : name);
			un_read(st, path);
			rv = 0;
			break;
		}
	if (rv == -1)
		goto done;
	un_dropins(st, name, tmpl[0] != '\0' ? tmpl : NULL);
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->workdir, sizeof(u->workdir), "%s", st->workdir);
	rv = un_argv(st, u);
done:
	free(st);
	return rv;
}

/* 1 if u runs the program called process. */
static int
is_unit_of(const struct unit_cmd *u, const char *process)
{
	const char *b = strrchr(u->argv[0], '/');

	return strcmp(b != NULL ? b + 1 : u->argv[0], process) == 0;
}

/* 1 if name ends in suffix. */
static int
is_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcmp(name + n - k, suffix) == 0;
}

/* Add name (a .service unit) to names unless it is there; *n grows. */
static void
un_add(char (*names)[256], int *enabled, size_t *n, size_t max,
    const char *name, int en)
{
	size_t i;

	if (*n >= max || strlen(name) >= 256 || !is_suffix(name, ".service"))
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(names[i], name) == 0)
			return;
	enabled[*n] = en;
	snprintf(names[(*n)++], 256, "%s", name);
}

/* Every entry of directory dir to un_add, enabled or not. */
static void
un_add_dir(const char *dir, char (*names)[256], int *enabled, size_t *n,
    size_t max, int en)
{
	struct dirent *de;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL)
		un_add(names, enabled, n, max, de->d_name, en);
	closedir(dp);
}

/* Names of the .service units under prefix into names (at most max):
 * the enabled ones first (links in *.wants and *.requires of
 * /etc/systemd/system), then the unit files of every directory. */
static size_t
un_names(const char *prefix, char (*names)[256], int *enabled, size_t max)
{
	char dir[AW_PATH_MAX], sub[AW_PATH_MAX + 256];
	struct dirent *de;
	size_t n = 0, d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s%s", prefix, un_dirs[0]);
	if ((dp = opendir(dir)) != NULL) {
		while ((de = readdir(dp)) != NULL) {
			if (!is_suffix(de->d_name, ".wants") &&
			    !is_suffix(de->d_name, ".requires"))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
			un_add_dir(sub, names, enabled, &n, max, 1);
		}
		closedir(dp);
	}
	for (d = 0; d < UN_NDIRS; d++) {
		snprintf(dir, sizeof(dir), "%s%s", prefix, un_dirs[d]);
		un_add_dir(dir, names, enabled, &n, max, 0);
	}
	return n;
}

int
units_find(const char *prefix, const char *process, struct unit_cmd *u)
{
	char (*names)[256] = xcalloc(UN_NAMES_MAX, sizeof(*names));
	int *enabled = xcalloc(UN_NAMES_MAX, sizeof(*enabled));
	struct unit_cmd *c = xcalloc(1, sizeof(*c));
	int best = -1, score;
	size_t n, i;

	n = un_names(prefix, names, enabled, UN_NAMES_MAX);
	for (i = 0; i < n; i++) {
		if (un_load(prefix, names[i], c) == -1 ||
		    !is_unit_of(c, process))
			continue;
		/* enabled, then a plain unit, then a bare template */
		score = enabled[i] ? 2 : strstr(names[i], "@.") == NULL;
		if (score > best) {
			best = score;
			*u = *c;
			/* argv points into buf: move it with the copy */
			for (size_t k = 0; k < u->argc; k++)
				u->argv[k] = u->buf + (c->argv[k] - c->buf);
		}
	}
	free(names);
	free(enabled);
	free(c);
	return best >= 0;
}
