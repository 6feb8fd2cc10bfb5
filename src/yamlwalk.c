/*
 * yamlwalk.c: the one YAML schema walker, over libyaml.
 *
 * anchorwatch reads five YAML formats: its own anchorwatch.yaml, the
 * calendar (events.yaml) and replay scenarios, and two resolvers' files,
 * Knot Resolver 6's config.yaml and PowerDNS Recursor 5's recursor.yml.
 * Each file is parsed here twice: first as libyaml events, to screen it
 * (syntax, one document at most, a bounded depth, and in anchorwatch's
 * own files no aliases, anchors or tags), then as a libyaml document, a
 * tree whose aliases point at their anchored node.  The readers then
 * walk the tree by schema: a table of keys per mapping, typed leaves.
 *
 * The strictness switch (YW_OWN) is the difference between the two kinds
 * of file.  anchorwatch's own files refuse what their schema does not
 * need: aliases, anchors, tags, unknown and duplicate keys, wrong types,
 * nesting deeper than the schema.  A resolver's file is read as its daemon
 * reads it: ordinary YAML (aliases and anchors are legal: kresctl loads
 * with PyYAML, pdns_recursor with serde_yaml), keys the reader has no use
 * for are skipped, and what the daemon's loader refuses (duplicate keys,
 * PyYAML's merge keys under Knot's loader) is found for the reader to
 * report.  Aliases cannot blow the walk up: the tree holds each node
 * once, the walk is bounded in depth and in node visits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "anchorwatch.h"

#define YW_SHOW_MAX 48		/* bytes of a bad value quoted in an error */
#define YW_VISITS_MAX 1000000	/* nodes walked, aliases counted each time */
#define YW_NODES_MAX 100000	/* nodes in a document: bounds its memory */

struct yamlwalk {
	yaml_document_t doc;
	int have_doc;
	const char *path;
	const char *buf;
	size_t len;
	unsigned flags;
	int depth;		/* of the collection being walked */
	int depth_max;		/* of the walk (own files: the schema's) */
	unsigned long visits;
	unsigned end_line;
	unsigned key_line;	/* of the key being read */
	char key[96];		/* "root.timeout": the key being read */
	char *err;
	size_t errlen;
};

int
yamlwalk_error(struct yamlwalk *w, unsigned line, const char *fmt, ...)
{
	char msg[AW_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->errlen > 0)
		snprintf(w->err, w->errlen, "%s:%u: %s", w->path, line, msg);
	return -1;
}

const char *
yamlwalk_show(char *out, size_t outlen, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 4 < outlen && i < YW_SHOW_MAX; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len)
		n += (size_t)snprintf(out + n, outlen - n, "...");
	out[n] = '\0';
	return out;
}

/* libyaml's own error (syntax, encoding, undefined alias); returns -1. */
static int
yamlwalk_parser_error(struct yamlwalk *w, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "YAML error";
	unsigned line = 1;
	size_t i;

	if (p->error == YAML_MEMORY_ERROR)
		fatalx("%s: out of memory", w->path);
	if (p->error == YAML_READER_ERROR) {
		for (i = 0; i < p->problem_offset && i < w->len; i++)
			if (w->buf[i] == '\n')
				line++;
	} else
		line = (unsigned)p->problem_mark.line + 1;
	if (p->context != NULL)
		return yamlwalk_error(w, line, "%s (%s)", problem, p->context);
	return yamlwalk_error(w, line, "%s", problem);
}

/* What an own file never needs on any event; NULL when e is fine. */
static const char *
yamlwalk_refused(const yaml_event_t *e)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return "aliases (*) are not allowed";
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = e->data.sequence_start.anchor;
		tag = e->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = e->data.mapping_start.anchor;
		tag = e->data.mapping_start.tag;
		break;
	default:
		break;
	}
	if (anchor != NULL)
		return "anchors (&) are not allowed";
	if (tag != NULL)
		return "tags (!) are not allowed";
	return NULL;
}

/* One event of the screening pass; *depth, *docs and *nodes follow it. */
static int
yamlwalk_screen_event(struct yamlwalk *w, const yaml_event_t *e, int cap,
    int *depth, int *docs, unsigned long *nodes)
{
	unsigned line = (unsigned)e->start_mark.line + 1;
	const char *why;

	if ((w->flags & YW_OWN) && (why = yamlwalk_refused(e)) != NULL)
		return yamlwalk_error(w, line, "%s", why);
	if ((e->type == YAML_SCALAR_EVENT ||
	    e->type == YAML_SEQUENCE_START_EVENT ||
	    e->type == YAML_MAPPING_START_EVENT) && ++*nodes > YW_NODES_MAX)
		return yamlwalk_error(w, line, "more than %d nodes",
		    YW_NODES_MAX);
	switch (e->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return yamlwalk_error(w, line,
			    "more than one document");
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++*depth > cap)
			return yamlwalk_error(w, line, "nested too deeply");
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		(*depth)--;
		break;
	case YAML_STREAM_END_EVENT:
		w->end_line = line;
		break;
	default:
		break;
	}
	return 0;
}

/* The screening pass over the events of the whole input; 0 or -1. */
static int
yamlwalk_screen(struct yamlwalk *w, int cap)
{
	yaml_parser_t p;
	yaml_event_t e;
	int depth = 0, docs = 0, rv = 0, done = 0;
	unsigned long nodes = 0;

	if (!yaml_parser_initialize(&p))
		fatalx("%s: out of memory", __func__);
	yaml_parser_set_input_string(&p, (const unsigned char *)w->buf,
	    w->len);
	while (!done && rv == 0) {
		if (!yaml_parser_parse(&p, &e)) {
			rv = yamlwalk_parser_error(w, &p);
			break;
		}
		rv = yamlwalk_screen_event(w, &e, cap, &depth, &docs, &nodes);
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	return rv;
}

struct yamlwalk *
yamlwalk_open(const char *path, const char *buf, size_t len, unsigned flags,
    int depth_max, char *err, size_t errlen)
{
	struct yamlwalk *w = xcalloc(1, sizeof(*w));
	yaml_parser_t p;
	int ok;

	w->path = path;
	w->buf = buf;
	w->len = len;
	w->flags = flags;
	w->depth_max = depth_max;
	w->err = err;
	w->errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (yamlwalk_screen(w, depth_max) == -1) {
		free(w);
		return NULL;
	}
	if (!yaml_parser_initialize(&p))
		fatalx("%s: out of memory", __func__);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	ok = yaml_parser_load(&p, &w->doc);
	if (!ok)
		yamlwalk_parser_error(w, &p);
	yaml_parser_delete(&p);
	if (!ok) {
		free(w);
		return NULL;
	}
	w->have_doc = 1;
	return w;
}

void
yamlwalk_free(struct yamlwalk *w)
{
	if (w == NULL)
		return;
	if (w->have_doc)
		yaml_document_delete(&w->doc);
	free(w);
}

const struct yaml_node_s *
yamlwalk_root(const struct yamlwalk *w)
{
	const yaml_node_t *n;

	n = yaml_document_get_root_node((yaml_document_t *)&w->doc);
	if (n == NULL || (n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.length == 0 &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE))
		return NULL;
	return n;
}

unsigned
yamlwalk_end_line(const struct yamlwalk *w)
{
	return w->end_line;
}

unsigned
yamlwalk_line(const struct yaml_node_s *n)
{
	return (unsigned)n->start_mark.line + 1;
}

enum yw_type
yamlwalk_type(const struct yaml_node_s *n)
{
	return n->type == YAML_MAPPING_NODE ? YW_MAPPING :
	    n->type == YAML_SEQUENCE_NODE ? YW_SEQUENCE : YW_SCALAR;
}

static const char *const yw_words[] = {
	[YW_SCALAR] = "a scalar", [YW_SEQUENCE] = "a sequence",
	[YW_MAPPING] = "a mapping",
};

const char *
yamlwalk_what(const struct yaml_node_s *n)
{
	return yw_words[yamlwalk_type(n)];
}

const char *
yamlwalk_key(const struct yamlwalk *w)
{
	return w->key;
}

unsigned
yamlwalk_key_line(const struct yamlwalk *w)
{
	return w->key_line;
}

void
yamlwalk_set_key(struct yamlwalk *w, const char *key)
{
	snprintf(w->key, sizeof(w->key), "%s", key);
}

/* Set the walk's nesting limit; returns the one before. */
int
yamlwalk_depth_max(struct yamlwalk *w, int max)
{
	int old = w->depth_max;

	w->depth_max = max;
	return old;
}

/* The node at index i of the document (libyaml counts from 1). */
static const yaml_node_t *
yamlwalk_node(const struct yamlwalk *w, int i)
{
	return yaml_document_get_node((yaml_document_t *)&w->doc, i);
}

/* Before handing child c of the collection at w->depth to a schema: the
 * nesting and visit bounds. */
static int
yamlwalk_enter(struct yamlwalk *w, const yaml_node_t *c)
{
	if (++w->visits > YW_VISITS_MAX)
		return yamlwalk_error(w, yamlwalk_line(c), "more than %d "
		    "nodes (aliases expanded)", YW_VISITS_MAX);
	if (c->type != YAML_SCALAR_NODE && w->depth + 1 > w->depth_max)
		return yamlwalk_error(w, yamlwalk_line(c), "nested too deeply");
	return 0;
}

/* 1 if scalar k is the key name. */
static int
is_key(const yaml_node_t *k, const char *name)
{
	return k->type == YAML_SCALAR_NODE &&
	    k->data.scalar.length == strlen(name) &&
	    memcmp(k->data.scalar.value, name, k->data.scalar.length) == 0;
}

/* Index of key k in keys, or -1. */
static int
yamlwalk_lookup(const struct yamlwalk_key *keys, size_t nkeys,
    const yaml_node_t *k)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (is_key(k, keys[i].name))
			return (int)i;
	return -1;
}

/* One pair of a mapping: its key checked against the schema, its value
 * to the key's fn.  *seen tracks keys read (tables of <= 32 keys). */
static int
yamlwalk_pair(struct yamlwalk *w, const yaml_node_pair_t *pr,
    const char *where, const char *prefix, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg, unsigned *seen)
{
	const yaml_node_t *k = yamlwalk_node(w, pr->key);
	const yaml_node_t *v = yamlwalk_node(w, pr->value);
	char show[YW_SHOW_MAX + 8];
	int own = (w->flags & YW_OWN) != 0, i;

	if (k == NULL || v == NULL)
		return yamlwalk_error(w, w->end_line, "broken document");
	if (k->type != YAML_SCALAR_NODE)
		return yamlwalk_error(w, yamlwalk_line(k), "expected a key in "
		    "%s, got %s", where, yamlwalk_what(k));
	yamlwalk_show(show, sizeof(show), (const char *)k->data.scalar.value,
	    k->data.scalar.length);
	if ((i = yamlwalk_lookup(keys, nkeys, k)) == -1)
		return own ? yamlwalk_error(w, yamlwalk_line(k), "unknown key "
		    "\"%s\" in %s", show, where) : 0;
	if (*seen & (1u << i))
		return own ? yamlwalk_error(w, yamlwalk_line(k), "duplicate "
		    "key \"%s\" in %s", show, where) : 0;
	*seen |= 1u << i;
	w->key_line = yamlwalk_line(k);
	snprintf(w->key, sizeof(w->key), "%s%s", prefix, keys[i].name);
	if (yamlwalk_enter(w, v) == -1)
		return -1;
	switch (keys[i].field) {
	case YWF_UINT:
		return yamlwalk_uint(w, v, keys[i].min, keys[i].max,
		    (unsigned *)(void *)((char *)arg + keys[i].off));
	case YWF_PATH:
		return yamlwalk_path(w, v, (char *)arg + keys[i].off);
	case YWF_FUNC:
		break;
	}
	return keys[i].fn(w, v, arg);
}

int
yamlwalk_map(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, const char *prefix, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg)
{
	const yaml_node_pair_t *pr;
	unsigned seen = 0;
	int rv = 0;

	if (m->type != YAML_MAPPING_NODE)
		return yamlwalk_error(w, yamlwalk_line(m), "%s: expected a "
		    "mapping, got %s", where, yamlwalk_what(m));
	w->depth++;
	for (pr = m->data.mapping.pairs.start; rv == 0 &&
	    pr < m->data.mapping.pairs.top; pr++)
		rv = yamlwalk_pair(w, pr, where, prefix, keys, nkeys, arg,
		    &seen);
	w->depth--;
	return rv;
}

int
yamlwalk_top(struct yamlwalk *w, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg)
{
	const yaml_node_t *top = yamlwalk_root(w);

	if (top == NULL)
		return 0;
	if (top->type != YAML_MAPPING_NODE)
		return yamlwalk_error(w, yamlwalk_line(top), "top level: "
		    "expected a mapping, got %s", yamlwalk_what(top));
	return yamlwalk_map(w, top, "top level", "", keys, nkeys, arg);
}

int
yamlwalk_pairs(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, int (*fn)(struct yamlwalk *,
    const struct yaml_node_s *, const struct yaml_node_s *, void *),
    void *arg)
{
	const yaml_node_pair_t *pr;
	const yaml_node_t *k, *v;
	int rv = 0;

	if (yamlwalk_expect(w, m, YW_MAPPING) == -1)
		return -1;
	w->depth++;
	for (pr = m->data.mapping.pairs.start; rv == 0 &&
	    pr < m->data.mapping.pairs.top; pr++) {
		k = yamlwalk_node(w, pr->key);
		v = yamlwalk_node(w, pr->value);
		if (k == NULL || v == NULL)
			rv = yamlwalk_error(w, w->end_line, "broken document");
		else if (k->type != YAML_SCALAR_NODE)
			rv = yamlwalk_error(w, yamlwalk_line(k), "expected a "
			    "key in %s, got %s", where, yamlwalk_what(k));
		else if ((rv = yamlwalk_enter(w, v)) == 0) {
			w->key_line = yamlwalk_line(k);
			rv = fn(w, k, v, arg);
		}
	}
	w->depth--;
	return rv;
}

int
yamlwalk_seq(struct yamlwalk *w, const struct yaml_node_s *s,
    int (*fn)(struct yamlwalk *, const struct yaml_node_s *, void *),
    void *arg)
{
	const yaml_node_item_t *it;
	const yaml_node_t *v;
	char key[sizeof(w->key)];
	int rv = 0;

	if (yamlwalk_expect(w, s, YW_SEQUENCE) == -1)
		return -1;
	memcpy(key, w->key, sizeof(key));
	w->depth++;
	for (it = s->data.sequence.items.start; rv == 0 &&
	    it < s->data.sequence.items.top; it++) {
		if ((v = yamlwalk_node(w, *it)) == NULL)
			rv = yamlwalk_error(w, w->end_line, "broken document");
		else if ((rv = yamlwalk_enter(w, v)) == 0)
			rv = fn(w, v, arg);
		memcpy(w->key, key, sizeof(key));
	}
	w->depth--;
	return rv;
}

int
yamlwalk_expect(struct yamlwalk *w, const struct yaml_node_s *n,
    enum yw_type t)
{
	if (yamlwalk_type(n) == t)
		return 0;
	return yamlwalk_error(w, yamlwalk_line(n), "%s: expected %s, got %s",
	    w->key, yw_words[t], yamlwalk_what(n));
}

const char *
yamlwalk_scalar(const struct yaml_node_s *n, size_t *len)
{
	if (n->type != YAML_SCALAR_NODE)
		return NULL;
	*len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

int
is_yamlwalk_plain(const struct yaml_node_s *n)
{
	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

const char *
yamlwalk_tag(const struct yaml_node_s *n)
{
	const char *t = (const char *)n->tag;

	/* the composer gives untagged nodes the default tags */
	if (t == NULL || strncmp(t, "tag:yaml.org,2002:", 18) == 0)
		return NULL;
	return t;
}

int
yamlwalk_string(struct yamlwalk *w, const struct yaml_node_s *n, char *buf,
    size_t buflen)
{
	const char *v;
	size_t len = 0;

	if (yamlwalk_expect(w, n, YW_SCALAR) == -1)
		return -1;
	v = yamlwalk_scalar(n, &len);
	if (memchr(v, '\0', len) != NULL)
		return yamlwalk_error(w, yamlwalk_line(n), "%s: value contains "
		    "a NUL byte", w->key);
	if (len >= buflen)
		return yamlwalk_error(w, yamlwalk_line(n), "%s: value longer "
		    "than %zu bytes", w->key, buflen - 1);
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

int
yamlwalk_check_path(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *p)
{
	char show[YW_SHOW_MAX + 8];

	if (p[0] == '\0')
		return yamlwalk_error(w, yamlwalk_line(n), "%s: path is empty",
		    w->key);
	if (p[0] != '/')
		return yamlwalk_error(w, yamlwalk_line(n), "%s: path \"%s\" is "
		    "not absolute", w->key, yamlwalk_show(show, sizeof(show), p,
		    strlen(p)));
	return 0;
}

int
yamlwalk_path(struct yamlwalk *w, const struct yaml_node_s *n, char *buf)
{
	if (yamlwalk_string(w, n, buf, AW_PATH_MAX) == -1)
		return -1;
	return yamlwalk_check_path(w, n, buf);
}

int
yamlwalk_decimal(const char *s, size_t len, unsigned max,
    unsigned long long *out)
{
	unsigned long long n = 0;
	size_t i;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (unsigned)(s[i] - '0');
		if (n > max)
			n = (unsigned long long)max + 1;
	}
	*out = n;
	return 0;
}

int
yamlwalk_uint(struct yamlwalk *w, const struct yaml_node_s *n, unsigned min,
    unsigned max, unsigned *out)
{
	char show[YW_SHOW_MAX + 8];
	unsigned long long v;
	const char *s;
	size_t len = 0;

	if (yamlwalk_expect(w, n, YW_SCALAR) == -1)
		return -1;
	s = yamlwalk_scalar(n, &len);
	yamlwalk_show(show, sizeof(show), s, len);
	if (!is_yamlwalk_plain(n) || yamlwalk_decimal(s, len, max, &v) == -1)
		return yamlwalk_error(w, yamlwalk_line(n), "%s: \"%s\" is not "
		    "a plain decimal number", w->key, show);
	if (v < min || v > max)
		return yamlwalk_error(w, yamlwalk_line(n), "%s: %s is out of "
		    "range %u..%u", w->key, show, min, max);
	*out = (unsigned)v;
	return 0;
}

int
yamlwalk_enum(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *const *list, size_t nlist, const char *what, size_t *idx)
{
	char v[AW_NAME_MAX], show[YW_SHOW_MAX + 8], all[160] = "";
	size_t i;

	if (yamlwalk_string(w, n, v, sizeof(v)) == -1)
		return -1;
	for (i = 0; i < nlist; i++) {
		if (strcmp(v, list[i]) == 0) {
			*idx = i;
			return 0;
		}
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
		    i > 0 ? ", " : "", list[i]);
	}
	return yamlwalk_error(w, yamlwalk_line(n), "%s: unknown %s \"%s\" (one "
	    "of: %s)", w->key, what, yamlwalk_show(show, sizeof(show), v,
	    strlen(v)), all);
}

int
yamlwalk_bool(struct yamlwalk *w, const struct yaml_node_s *n, int *out)
{
	static const char *const own[] = { "true", "false" };
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
	    "Yes", "YES", "on", "On", "ON" }, *const no[] = { "false",
	    "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	char show[YW_SHOW_MAX + 8];
	const char *s;
	size_t i, len = 0;

	if (w->flags & YW_OWN) {
		if (yamlwalk_enum(w, n, own, 2, "boolean", &i) == -1)
			return -1;
		*out = i == 0;
		return 0;
	}
	if ((s = yamlwalk_scalar(n, &len)) != NULL && is_yamlwalk_plain(n))
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (is_key(n, yes[i]) || is_key(n, no[i])) {
				*out = is_key(n, yes[i]);
				return 0;
			}
		}
	return yamlwalk_error(w, yamlwalk_line(n), "%s: \"%s\" is not true or "
	    "false", w->key, s != NULL ? yamlwalk_show(show, sizeof(show), s,
	    len) : yamlwalk_what(n));
}

/* For qsort: pair keys by their text, then by position. */
struct yw_keyref {
	const yaml_node_t *k;
	size_t pos;
};

static int
yamlwalk_keycmp(const void *a, const void *b)
{
	const struct yw_keyref *x = a, *y = b;
	size_t lx = x->k->data.scalar.length, ly = y->k->data.scalar.length;
	int c;

	if ((c = memcmp(x->k->data.scalar.value, y->k->data.scalar.value,
	    lx < ly ? lx : ly)) != 0)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The earliest key of mapping m that repeats an earlier one, or NULL.
 * Sorted, not pairwise: a hostile mapping may have 100000 keys. */
static const yaml_node_t *
yamlwalk_dup_in(const struct yamlwalk *w, const yaml_node_t *m)
{
	size_t n = (size_t)(m->data.mapping.pairs.top -
	    m->data.mapping.pairs.start), i, k = 0, best = SIZE_MAX;
	const yaml_node_t *found = NULL, *key;
	struct yw_keyref *r;

	if (n < 2)
		return NULL;
	r = xcalloc(n, sizeof(*r));
	for (i = 0; i < n; i++) {
		key = yamlwalk_node(w, m->data.mapping.pairs.start[i].key);
		if (key != NULL && key->type == YAML_SCALAR_NODE) {
			r[k].k = key;
			r[k++].pos = i;
		}
	}
	qsort(r, k, sizeof(*r), yamlwalk_keycmp);
	for (i = 1; i < k; i++)
		if (r[i].k->data.scalar.length ==
		    r[i - 1].k->data.scalar.length &&
		    memcmp(r[i].k->data.scalar.value,
		    r[i - 1].k->data.scalar.value,
		    r[i].k->data.scalar.length) == 0 && r[i].pos < best) {
			best = r[i].pos;
			found = r[i].k;
		}
	free(r);
	return found;
}

/* Every mapping of the document once (aliases are not copies). */
int
yamlwalk_find_dup(const struct yamlwalk *w, unsigned *line, char *key,
    size_t keylen)
{
	const yaml_node_t *n, *k;

	for (n = w->doc.nodes.start; n < w->doc.nodes.top; n++) {
		if (n->type != YAML_MAPPING_NODE ||
		    (k = yamlwalk_dup_in(w, n)) == NULL)
			continue;
		*line = yamlwalk_line(k);
		yamlwalk_show(key, keylen, (const char *)k->data.scalar.value,
		    k->data.scalar.length);
		return 1;
	}
	return 0;
}

int
yamlwalk_find_merge(const struct yamlwalk *w, unsigned *line)
{
	const yaml_node_pair_t *pr;
	const yaml_node_t *n, *k;

	for (n = w->doc.nodes.start; n < w->doc.nodes.top; n++) {
		if (n->type != YAML_MAPPING_NODE)
			continue;
		for (pr = n->data.mapping.pairs.start;
		    pr < n->data.mapping.pairs.top; pr++) {
			k = yamlwalk_node(w, pr->key);
			if (k != NULL && is_yamlwalk_plain(k) &&
			    is_key(k, "<<")) {
				*line = yamlwalk_line(k);
				return 1;
			}
		}
	}
	return 0;
}
