/*
 * pdns-conf.c: the PowerDNS Recursor's recursor.conf settings files.
 *
 * recursor.conf (4.x, and 5.x with the old-style settings) is "key=value"
 * lines as pdns/arguments.cc reads them: '#' starts a comment at the start
 * of a line or after a blank, a '\' at the end joins the next line,
 * "key+=value" extends a list, the last value of a key wins.  include-dir
 * names a directory whose *.conf files are read after the main file,
 * sorted case-insensitively.  Only the settings that decide the root trust
 * anchors and how to reach the daemon are kept (struct pd_conf).
 * is_pdns_conf_yaml says, as pdns_recursor 5.1 and later decide it by the
 * content, whether a recursor.conf holds YAML settings instead.  Every
 * file is hostile: bounded loads, no NUL bytes, bounded lines.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "anchorwatch.h"

#define PD_LINE_MAX 8192        /* one logical line of recursor.conf */
#define PD_INCLUDES_MAX 256     /* files in include-dir */
#define PD_YAML_DEPTH 64        /* nesting tried as YAML */

/* Store value v made at file:line into d; -1 if it does not fit. */
int
pdns_conf_set(struct pd_val *d, const char *v, const char *file, unsigned line,
    const char *name, char *err, size_t errlen)
{
	if (snprintf(d->v, sizeof(d->v), "%s", v) >= (int)sizeof(d->v)) {
		snprintf(err, errlen, "%s:%u: %s: value too long", file, line,
		    name);
		return -1;
	}
	snprintf(d->file, sizeof(d->file), "%s", file);
	d->line = line;
	return 0;
}

/* ---- recursor.conf ---------------------------------------------------------- */

/* One "key=value" setting of recursor.conf, at file:line. */
static int
pdns_conf_setting(struct pd_conf *c, const char *key, const char *val,
    const char *file, unsigned line, int main_file, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{ "dnssec", offsetof(struct pd_conf, dnssec) },
		{ "lua-config-file", offsetof(struct pd_conf, lua) },
		{ "setuid", offsetof(struct pd_conf, user) },
		{ "socket-dir", offsetof(struct pd_conf, socket_dir) },
		{ "include-dir", offsetof(struct pd_conf, include_dir) },
		{ "chroot", offsetof(struct pd_conf, chroot) },
		{ "config-name", offsetof(struct pd_conf, config_name) },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].name) != 0)
			continue;
		/* include-dir counts only in the main file: the daemon
		 * gathers includes once, after reading it */
		if (!main_file && strcmp(key, "include-dir") == 0)
			return 0;
		return pdns_conf_set((struct pd_val *)((char *)c + keys[i].off),
		    val, file, line, key, err, errlen);
	}
	return 0;
}

/* The first place c->want is set, into c->where. */
static void
pdns_conf_want(struct pd_conf *c, const char *key, const char *file,
    unsigned line)
{
	if (c->want[0] == '\0' || c->where.line != 0 ||
	    strcmp(key, c->want) != 0)
		return;
	snprintf(c->where.file, sizeof(c->where.file), "%s", file);
	c->where.line = line;
}

/* Trim blanks at both ends of s in place; returns the new start. */
static char *
pdns_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One logical line of recursor.conf (comments still in). */
static int
pdns_conf_line(struct pd_conf *c, char *line, const char *file,
    unsigned lno, int main_file, char *err, size_t errlen)
{
	char *p, *key, *val;
	size_t i;

	for (i = 0; line[i] != '\0'; i++)
		if (line[i] == '#' && (i == 0 ||
		    isspace((unsigned char)line[i - 1]))) {
			line[i] = '\0';
			break;
		}
	key = pdns_trim(line);
	if (*key == '\0')
		return 0;
	for (p = key; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			snprintf(err, errlen, "%s:%u: control character",
			    file, lno);
			return -1;
		}
	if ((p = strchr(key, '=')) == NULL) {
		pdns_conf_want(c, key, file, lno);
		return 0;       /* a bare boolean switch */
	}
	val = p + 1;
	if (p > key && p[-1] == '+')
		p--;            /* "key+=value" extends lists we do not use */
	*p = '\0';
	key = pdns_trim(key);
	val = pdns_trim(val);
	pdns_conf_want(c, key, file, lno);
	return pdns_conf_setting(c, key, val, file, lno, main_file, err,
	    errlen);
}

/* Read one recursor.conf file. */
int
pdns_conf_file(struct pd_conf *c, const char *path, int main_file,
    char *err, size_t errlen)
{
	struct textfile f;
	char *line = xcalloc(1, PD_LINE_MAX + 1);
	const char *s;
	size_t n, ln = 0;
	unsigned start = 0;
	int rv = -1;

	if (fileio_open_text(path, &f, err, errlen) == -1) {
		free(line);
		return -1;
	}
	for (f.line = 0; fileio_nextline(f.buf, f.len, &f.pos, &s, &n); ) {
		f.line++;
		if (ln == 0)
			start = f.line;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		    s[n - 1] == '\r'))
			n--;
		if (ln + n > PD_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line longer than %d "
			    "characters", path, start, PD_LINE_MAX);
			goto done;
		}
		memcpy(line + ln, s, n);
		ln += n;
		line[ln] = '\0';
		if (ln > 0 && line[ln - 1] == '\\') {
			line[--ln] = '\0';
			continue;
		}
		if (pdns_conf_line(c, line, path, start, main_file, err,
		    errlen) == -1)
			goto done;
		ln = 0;
	}
	if (ln > 0 && pdns_conf_line(c, line, path, start, main_file, err,
	    errlen) == -1)
		goto done;
	rv = 0;
done:
	free(line);
	free(f.buf);
	return rv;
}

static int
pdns_cmp_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The files of an include directory whose names end in ext, sorted
 * case-insensitively as the daemon does; *names is freed by the caller
 * (each entry and the array).  -1 (err) if the directory cannot be read.
 */
int
pdns_conf_list_dir(const char *dir, const char *ext, const struct pd_val *where,
    char ***names, size_t *n, char *err, size_t errlen)
{
	struct dirent *de;
	DIR *d;
	size_t el = strlen(ext), nl;
	char path[AW_PATH_MAX];

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s:%u: include directory %s: %s",
		    where->file, where->line, dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl <= el ||
		    strcmp(de->d_name + nl - el, ext) != 0)
			continue;
		if (*n >= PD_INCLUDES_MAX || snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
			snprintf(err, errlen, "%s:%u: include directory %s: "
			    "too many files or name too long", where->file,
			    where->line, dir);
			closedir(d);
			return -1;
		}
		*names = xreallocarray(*names, *n + 1, sizeof(**names));
		if (((*names)[*n] = strdup(path)) == NULL)
			fatalx("out of memory");
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), pdns_cmp_ci);
	return 0;
}

void
pdns_conf_free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- old-style or YAML ------------------------------------------------------ */

/*
 * One top-level pair of a recursor.conf tried as YAML: serde_yaml takes
 * it into pdns_recursor's Recursorsettings only if the key names one of
 * its sections (the struct denies unknown fields) and the value is a
 * mapping or nothing at all ("incoming:" followed by comments only).
 */
static int
pdns_conf_section(struct yamlwalk *w, const struct yaml_node_s *k,
    const struct yaml_node_s *v, void *arg)
{
	/* settings/table.py of 5.0 to 5.4, less "commands" (no YAML) */
	static const char *const sections[] = { "carbon", "dnssec", "ecs",
	    "incoming", "logging", "nod", "outgoing", "packetcache",
	    "recordcache", "recursor", "snmp", "webservice" };
	const char *s;
	size_t i, len;

	if ((s = yamlwalk_scalar(k, &len)) == NULL)
		return -1;
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strlen(sections[i]) == len && memcmp(s, sections[i],
		    len) == 0)
			break;
	if (i == sizeof(sections) / sizeof(sections[0]))
		return -1;
	if (yamlwalk_type(v) == YW_MAPPING)
		return 0;
	return yamlwalk_scalar(v, &len) != NULL && len == 0 &&
	    is_yamlwalk_plain(v) ? 0 : -1;
}

/*
 * pdns_recursor 5.1 and later (rec-main.cc, settings/cxxsupport.cc) first
 * parse recursor.conf with serde_yaml into their settings struct, and
 * read it old-style only if that fails.  Old-style "key=value" lines are
 * a YAML string (or no YAML at all, "a=b: c" a mapping of an unknown
 * key), so they stay old-style; one document that is empty or maps
 * section names to mappings is YAML.  Keys inside a section are not
 * checked here: an unknown one makes 5.x fall back to old-style, which
 * then refuses the "section:" lines.
 */
int
is_pdns_conf_yaml(const char *path)
{
	struct yamlwalk *w;
	struct textfile f;
	const struct yaml_node_s *top;
	char err[AW_ERR_MAX];
	int yaml = 0;

	if (fileio_open_text(path, &f, err, sizeof(err)) == -1)
		return 0;
	w = yamlwalk_open(path, f.buf, f.len, 0, PD_YAML_DEPTH, err,
	    sizeof(err));
	if (w != NULL) {
		top = yamlwalk_root(w);
		yaml = top == NULL || (yamlwalk_type(top) == YW_MAPPING &&
		    yamlwalk_pairs(w, top, "top level", pdns_conf_section,
		    NULL) == 0);
	}
	yamlwalk_free(w);
	free(f.buf);
	return yaml;
}
