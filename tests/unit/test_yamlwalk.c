/*
 * test_yamlwalk.c: the YAML schema walker (yamlwalk.c) and its strictness
 * switch.
 *
 * The same inline documents are walked as anchorwatch's own file (YW_OWN:
 * aliases, anchors, tags, unknown and duplicate keys refused, with their
 * line) and as a resolver's file (aliases legal and followed, unknown keys
 * skipped, duplicate and merge keys found for the reader to report).
 * Hostile aliases (a self-referencing node, an exponential fan-out) end
 * in an error, not a hang.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

static char err[AW_ERR_MAX];

/* What the test schema reads: a: scalar, list: [scalars], m: {b: uint}. */
struct doc {
	char a[64];
	char items[8][64];
	size_t nitems;
	unsigned b;
	int flag;
};

static int
rd_a(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_string(w, v, ((struct doc *)arg)->a, 64);
}

static int
rd_item(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct doc *d = arg;

	if (d->nitems == 8)
		return yamlwalk_error(w, yamlwalk_line(v), "too many");
	return yamlwalk_string(w, v, d->items[d->nitems++], 64);
}

static int
rd_list(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_seq(w, v, rd_item, arg);
}

static const struct yamlwalk_key m_keys[] = {
	{ "b", NULL, YWF_UINT, offsetof(struct doc, b), 1, 100 },
};

static int
rd_m(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	return yamlwalk_map(w, v, "m", "m.", m_keys, 1, arg);
}

static int
rd_flag(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_bool(w, v, &((struct doc *)arg)->flag);
}

static const struct yamlwalk_key top_keys[] = {
	{ "a", rd_a, YWF_FUNC, 0, 0, 0 },
	{ "list", rd_list, YWF_FUNC, 0, 0, 0 },
	{ "m", rd_m, YWF_FUNC, 0, 0, 0 },
	{ "flag", rd_flag, YWF_FUNC, 0, 0, 0 },
};

/* Walk text with flags into d; 0 or -1 with err. */
static int
walk(const char *text, unsigned flags, struct doc *d)
{
	struct yamlwalk *w;
	int rv = -1;

	memset(d, 0, sizeof(*d));
	err[0] = '\0';
	w = yamlwalk_open("t.yaml", text, strlen(text), flags, 8, err,
	    sizeof(err));
	if (w != NULL)
		rv = yamlwalk_top(w, top_keys, 4, d);
	yamlwalk_free(w);
	return rv;
}

/* text must fail with flags, err starting with want. */
static void
want_err(const char *text, unsigned flags, const char *want)
{
	struct doc d;

	if (walk(text, flags, &d) != -1)
		fail_msg("\"%s\": walked, want \"%s\"", text, want);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", text, err, want);
}

static void
test_good(void **state)
{
	struct doc d;

	(void)state;
	assert_int_equal(walk("a: x\nlist: [p, q]\nm: {b: 7}\nflag: true\n",
	    YW_OWN, &d), 0);
	assert_string_equal(d.a, "x");
	assert_int_equal(d.nitems, 2);
	assert_string_equal(d.items[1], "q");
	assert_int_equal(d.b, 7);
	assert_int_equal(d.flag, 1);
	/* empty input and a comment-only document: nothing walked */
	assert_int_equal(walk("", YW_OWN, &d), 0);
	assert_int_equal(walk("# nothing\n", YW_OWN, &d), 0);
	assert_int_equal(walk("---\n...\n", 0, &d), 0);
}

/* Aliases and anchors: refused in own files, followed in resolver ones. */
static void
test_aliases(void **state)
{
	static const char *text = "base: &b [p, q]\nlist: *b\na: x\n";
	struct doc d;

	(void)state;
	want_err(text, YW_OWN, "t.yaml:1: anchors (&) are not allowed");
	want_err("list: *b\n", YW_OWN, "t.yaml:1: aliases (*) are not "
	    "allowed");
	want_err("a: !!str x\n", YW_OWN, "t.yaml:1: tags (!) are not allowed");
	assert_int_equal(walk(text, 0, &d), 0);
	assert_int_equal(d.nitems, 2);
	assert_string_equal(d.items[0], "p");
	assert_string_equal(d.a, "x");
	/* an alias to a scalar anchor */
	assert_int_equal(walk("x: &v 42\nm: {b: *v}\n", 0, &d), 0);
	assert_int_equal(d.b, 42);
	/* an undefined alias is libyaml's error, with its line */
	want_err("a: x\nlist: *nope\n", 0, "t.yaml:2: ");
}

/* text as a resolver's file. */
static struct yamlwalk *
open_text(const char *text)
{
	return yamlwalk_open("t.yaml", text, strlen(text), 0, 8, err,
	    sizeof(err));
}

static void
test_keys(void **state)
{
	struct yamlwalk *w;
	struct doc d;
	char key[64];
	unsigned line = 0;

	(void)state;
	want_err("a: x\nzz: 1\n", YW_OWN, "t.yaml:2: unknown key \"zz\" in "
	    "top level");
	want_err("m:\n  b: 1\n  b: 2\n", YW_OWN, "t.yaml:3: duplicate key "
	    "\"b\" in m");
	want_err("? [a]\n: x\n", YW_OWN, "t.yaml:1: expected a key in top "
	    "level, got a sequence");
	/* resolver files: unknown keys skipped, the first of two taken */
	assert_int_equal(walk("zz: {deep: [1]}\na: x\na: y\n", 0, &d), 0);
	assert_string_equal(d.a, "x");
	/* ... and the duplicate found wherever it is, once per mapping */
	w = open_text("a: x\nq:\n  r: 1\n  s: 2\n  r: 3\n");
	assert_non_null(w);
	assert_int_equal(yamlwalk_find_dup(w, &line, key, sizeof(key)), 1);
	assert_int_equal(line, 5);
	assert_string_equal(key, "r");
	assert_int_equal(yamlwalk_find_merge(w, &line), 0);
	yamlwalk_free(w);
	w = open_text("b: &b {\"<<\": 1}\nc:\n  y: 1\n  <<: *b\n");
	assert_non_null(w);
	assert_int_equal(yamlwalk_find_dup(w, &line, key, sizeof(key)), 0);
	assert_int_equal(yamlwalk_find_merge(w, &line), 1);
	assert_int_equal(line, 4);	/* the quoted "<<" is a plain key */
	yamlwalk_free(w);
}

static void
test_types(void **state)
{
	struct doc d;

	(void)state;
	want_err("a: [x]\n", YW_OWN, "t.yaml:1: a: expected a scalar, got a "
	    "sequence");
	want_err("list: x\n", 0, "t.yaml:1: list: expected a sequence, got a "
	    "scalar");
	want_err("m: {b: 0}\n", YW_OWN, "t.yaml:1: m.b: 0 is out of range "
	    "1..100");
	want_err("m: {b: \"7\"}\n", YW_OWN, "t.yaml:1: m.b: \"7\" is not a "
	    "plain decimal");
	want_err("m: {b: 07}\n", YW_OWN, "t.yaml:1: m.b: \"07\" is not a "
	    "plain decimal");
	want_err("a: \"x\\0y\"\n", 0, "t.yaml:1: a: value contains a NUL");
	want_err("[a, b]\n", YW_OWN, "t.yaml:1: top level: expected a "
	    "mapping, got a sequence");
	want_err("a: x\n---\na: y\n", 0, "t.yaml:2: more than one document");
	/* booleans: own files say true or false, resolver files YAML 1.1 */
	want_err("flag: yes\n", YW_OWN, "t.yaml:1: flag: unknown boolean");
	assert_int_equal(walk("flag: yes\n", 0, &d), 0);
	assert_int_equal(d.flag, 1);
	assert_int_equal(walk("flag: Off\n", 0, &d), 0);
	assert_int_equal(d.flag, 0);
	want_err("flag: \"yes\"\n", 0, "t.yaml:1: flag: \"yes\" is not true");
}

/* Any node, walked to its leaves. */
static int
rd_any(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	if (yamlwalk_type(v) == YW_SEQUENCE)
		return yamlwalk_seq(w, v, rd_any, arg);
	return 0;
}

static int
rd_any_pair(struct yamlwalk *w, const struct yaml_node_s *k,
    const struct yaml_node_s *v, void *arg)
{
	(void)k;
	return rd_any(w, v, arg);
}

/* Nesting: the screening cap, the walk's limit, hostile aliases. */
static void
test_bounds(void **state)
{
	char big[4096], *flat;
	struct yamlwalk *w;
	size_t i, n = 0;

	(void)state;
	want_err("zz: [[[[[[[[[1]]]]]]]]]\n", 0, "t.yaml:1: nested too "
	    "deeply");
	/* a node that contains itself: walked until the depth limit */
	want_err("list: &x [*x]\n", 0, "t.yaml:1: ");
	/* a flat document of 100001 nodes: refused before it is built */
	flat = xcalloc(1, 2 * 100001 + 16);
	memcpy(flat, "a: [", 4);
	for (i = 0; i < 100000; i++)
		memcpy(flat + 4 + 2 * i, "1,", 2);
	memcpy(flat + 4 + 2 * i, "]\n", 2);
	w = yamlwalk_open("t.yaml", flat, strlen(flat), 0, 8, err,
	    sizeof(err));
	free(flat);
	assert_null(w);
	assert_string_equal(err, "t.yaml:1: more than 100000 nodes");
	/* 10^7 paths through 70 nodes: the visit bound ends it */
	n += (size_t)snprintf(big, sizeof(big), "x0: &a0 [q, q, q, q, q, q, q,"
	    " q, q, q]\n");
	for (i = 1; i < 7; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "x%zu: &a%zu "
		    "[*a%zu, *a%zu, *a%zu, *a%zu, *a%zu, *a%zu, *a%zu, *a%zu, "
		    "*a%zu, *a%zu]\n", i, i, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1, i - 1, i - 1, i - 1, i - 1);
	w = yamlwalk_open("t.yaml", big, n, 0, 16, err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(yamlwalk_pairs(w, yamlwalk_root(w), "top level",
	    rd_any_pair, NULL), -1);
	if (strstr(err, "t.yaml:1: more than 1000000 nodes") == NULL)
		fail_msg("got \"%s\"", err);
	yamlwalk_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
