/*
 * knot-yaml.c: Knot Resolver 6.x config.yaml, read as kresctl reads it.
 *
 * kresctl loads the file with PyYAML's SafeLoader, its mapping
 * constructor replaced by one that raises on a duplicate key: ordinary
 * YAML, so anchors and aliases are legal and followed, but a key given
 * twice anywhere, or a merge key (<<), makes it refuse the file.  Only the
 * top level dnssec: key matters here: dnssec: false, or dnssec: {
 * enable:, trust-anchors: [], negative-trust-anchors: [],
 * trust-anchors-files: [{file:, read-only:}] }; other keys are skipped.
 * The walk is yamlwalk.c's; what the keys mean for the root keyset is the
 * reader's (anchor-knot.c), which applies struct knot_y6.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define KN_STR_MAX 16384       /* one string of a dnssec list */
#define KN_NAME_MAX 256        /* one name of a 6.x list */
#define KN_YAML_DEPTH 16       /* nesting of config.yaml */

/* The string v (shorter than KN_STR_MAX, no NUL) into *out, malloc'd. */
static int
ky_str(struct yamlwalk *w, const struct yaml_node_s *v, char **out)
{
	size_t len = 0;

	if (yamlwalk_scalar(v, &len) == NULL || len >= KN_STR_MAX)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: a string "
		    "shorter than %d bytes expected", yamlwalk_key(w),
		    KN_STR_MAX);
	*out = xcalloc(1, len + 1);
	return yamlwalk_string(w, v, *out, len + 1);
}

/* Room for one more item of a dnssec list. */
static int
ky_room(struct yamlwalk *w, const struct yaml_node_s *v, size_t n)
{
	if (n < KNOT_Y6_MAX)
		return 0;
	return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %d items",
	    yamlwalk_key(w), KNOT_Y6_MAX);
}

/* One record of dnssec.trust-anchors. */
static int
ky_ta(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;

	if (ky_room(w, v, d->nta) == -1 || ky_str(w, v, &d->ta[d->nta]) == -1)
		return -1;
	d->ta_line[d->nta++] = yamlwalk_line(v);
	return 0;
}

/* One name of dnssec.negative-trust-anchors: only "." matters here. */
static int
ky_nta(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;
	char name[KN_NAME_MAX];

	if (yamlwalk_string(w, v, name, sizeof(name)) == -1)
		return -1;
	if (strcmp(name, ".") == 0) {
		d->nta_root = 1;
		d->nta_line = yamlwalk_line(v);
	}
	return 0;
}

static int
ky_taf_file(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;

	return ky_str(w, v, &d->file[d->nfile]);
}

static int
ky_taf_ro(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;

	return yamlwalk_bool(w, v, &d->ro[d->nfile]);
}

static const struct yamlwalk_key ky_taf_keys[] = {
	{ "file", ky_taf_file, YWF_FUNC, 0, 0, 0 },
	{ "read-only", ky_taf_ro, YWF_FUNC, 0, 0, 0 },
};

/* One {file:, read-only:} item of dnssec.trust-anchors-files. */
static int
ky_taf(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;
	size_t i = d->nfile;

	if (ky_room(w, v, i) == -1 || yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	d->file_line[i] = yamlwalk_line(v);
	if (yamlwalk_map(w, v, "trust-anchors-files", "dnssec."
	    "trust-anchors-files.", ky_taf_keys, 2, d) == -1)
		return -1;
	if (d->file[i] == NULL)
		return yamlwalk_error(w, d->file_line[i], "dnssec."
		    "trust-anchors-files: item without file");
	d->nfile++;
	return 0;
}

/* A dnssec list: null (the schema's default) or a sequence. */
static int
ky_list(struct yamlwalk *w, const struct yaml_node_s *v,
    int (*fn)(struct yamlwalk *, const struct yaml_node_s *, void *),
    void *d)
{
	size_t len;
	const char *s = yamlwalk_scalar(v, &len);

	if (s != NULL && is_yamlwalk_plain(v) && (len == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "~") == 0))
		return 0;
	return yamlwalk_seq(w, v, fn, d);
}

static int
ky_tas(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_ta, arg);
}

static int
ky_ntas(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_nta, arg);
}

static int
ky_tafs(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return ky_list(w, v, ky_taf, arg);
}

static int
ky_enable(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct knot_y6 *d = arg;
	int on;

	d->off_line = yamlwalk_line(v);
	if (yamlwalk_bool(w, v, &on) == -1)
		return -1;
	d->off = !on;
	return 0;
}

static const struct yamlwalk_key ky_dnssec_keys[] = {
	{ "enable", ky_enable, YWF_FUNC, 0, 0, 0 },
	{ "trust-anchors", ky_tas, YWF_FUNC, 0, 0, 0 },
	{ "negative-trust-anchors", ky_ntas, YWF_FUNC, 0, 0, 0 },
	{ "trust-anchors-files", ky_tafs, YWF_FUNC, 0, 0, 0 },
};

/* dnssec: a mapping, or (6.0) a boolean. */
static int
ky_dnssec(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	if (yamlwalk_type(v) == YW_SCALAR)
		return ky_enable(w, v, arg);
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	return yamlwalk_map(w, v, "dnssec", "dnssec.", ky_dnssec_keys,
	    sizeof(ky_dnssec_keys) / sizeof(ky_dnssec_keys[0]), arg);
}

static const struct yamlwalk_key ky_top_keys[] = {
	{ "dnssec", ky_dnssec, YWF_FUNC, 0, 0, 0 },
};

/*
 * What kresctl's YAML loader refuses although the YAML is well formed:
 * it is PyYAML's SafeLoader with its mapping constructor replaced to
 * raise on duplicate keys (anywhere in the document), and that
 * constructor no longer applies merge keys (<<), for which SafeLoader
 * then has no constructor.  Into refused, "" when none.
 */
static void
ky_refused(const struct yamlwalk *w, const char *path, char *refused,
    size_t len)
{
	char key[64];
	unsigned line;

	if (yamlwalk_find_dup(w, &line, key, sizeof(key)))
		snprintf(refused, len, "%s:%u: kresctl refuses the "
		    "configuration: duplicate key \"%s\"", path, line, key);
	else if (yamlwalk_find_merge(w, &line))
		snprintf(refused, len, "%s:%u: kresctl refuses the "
		    "configuration: merge key (<<) (its YAML loader has no "
		    "constructor for it)", path, line);
}

/*
 * Read a 6.x config.yaml as kresctl does: ordinary YAML (aliases and
 * anchors legal), only the top level dnssec: key read, other keys
 * skipped, into d (freed with knot_yaml_free).  What kresctl would refuse
 * although the YAML is well formed goes to refused ("" when nothing);
 * what the file says is still read (the first of duplicate keys).
 */
int
knot_yaml_read(const char *path, struct knot_y6 *d, char *refused,
    size_t refusedlen, char *err, size_t errlen)
{
	struct yamlwalk *w;
	struct textfile f;
	int rv = -1;

	memset(d, 0, sizeof(*d));
	refused[0] = '\0';
	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	w = yamlwalk_open(path, f.buf, f.len, 0, KN_YAML_DEPTH, err, errlen);
	if (w != NULL && yamlwalk_top(w, ky_top_keys, 1, d) == 0) {
		ky_refused(w, path, refused, refusedlen);
		rv = 0;
	}
	yamlwalk_free(w);
	free(f.buf);
	return rv;
}

void
knot_yaml_free(struct knot_y6 *d)
{
	size_t i;

	for (i = 0; i < KNOT_Y6_MAX; i++) {
		free(d->ta[i]);
		free(d->file[i]);
	}
	memset(d, 0, sizeof(*d));
}

/* 1 if path is a 6.x YAML config: by its name, else by its first line. */
int
knot_yaml_is_config(const char *path)
{
	const char *ext = strrchr(path, '.'), *p;
	char buf[512], why[AW_ERR_MAX];
	size_t n;
	FILE *fp;

	if (ext != NULL && (strcmp(ext, ".yaml") == 0 ||
	    strcmp(ext, ".yml") == 0))
		return 1;
	/* Not blocking on a FIFO: the reader's load says what is wrong. */
	if ((fp = fileio_fopen(path, why, sizeof(why))) == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		p = buf + strspn(buf, " \t\r\n");
		if (*p == '\0' || *p == '#' || strncmp(p, "--", 2) == 0)
			continue;
		fclose(fp);
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz-_");
		return n > 0 && p == buf && p[n] == ':' && (p[n + 1] == ' ' ||
		    p[n + 1] == '\n' || p[n + 1] == '\r' || p[n + 1] == '\0');
	}
	fclose(fp);
	return 0;
}
