/*
 * test_namedconf.c: the named.conf grammar (namedconf.c) on its own.
 *
 * tests/data/bind/grammar/tokens.conf has the three comment kinds, a
 * string with escaped quotes, braces and semicolons, an include (resolved
 * against the working directory the caller sets) and a trust-anchors
 * entry; each token must come with its file, line and exact byte offsets,
 * which the writer of the next issue relies on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define GRAMMAR(p) DATA("bind/grammar/" p)

static char err[AW_ERR_MAX];

/* Next token of c, which must be text (quoted or not) at line in file. */
static void
expect_tok(struct namedconf *c, struct namedconf_tok *t, const char *text,
    int quoted, const char *file, unsigned line)
{
	if (namedconf_tok(c, t, err, sizeof(err)) != 1)
		fail_msg("want \"%s\": %s", text, t->eof ? "end" : err);
	if (strcmp(t->text, text) != 0 || t->quoted != quoted ||
	    strcmp(t->file, file) != 0 || t->line != line)
		fail_msg("got \"%s\" (quoted %d) at %s:%u, want \"%s\" (%d) "
		    "at %s:%u", t->text, t->quoted, t->file, t->line, text,
		    quoted, file, line);
}

/* Tokens, comments, escapes, include and the end, with their places. */
static void
test_tokens(void **state)
{
	struct namedconf *c = xcalloc(1, sizeof(*c));
	struct namedconf_tok *t = xcalloc(1, sizeof(*t));
	struct namedconf_entry *e = xcalloc(1, sizeof(*e));
	const char *f = GRAMMAR("tokens.conf"), *inc = GRAMMAR("inc.conf");
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(fileio_load_text(f, &buf, &len, err, sizeof(err)), 0);
	assert_int_equal(namedconf_open(c, f, err, sizeof(err)), 0);
	snprintf(c->cwd, sizeof(c->cwd), "%s", GRAMMAR(""));
	expect_tok(c, t, "a", 0, f, 4);
	assert_int_equal(t->off, (size_t)(strstr(buf, " a \"") + 1 - buf));
	assert_int_equal(t->end, t->off + 1);
	expect_tok(c, t, "b \"q\" c", 1, f, 4);
	/* the string's bytes, quotes and escapes included */
	assert_int_equal(t->off, (size_t)(strstr(buf, "\"b") - buf));
	assert_int_equal(t->end - t->off, strlen("\"b \\\"q\\\" c\""));
	expect_tok(c, t, "{", 0, f, 4);
	expect_tok(c, t, "x", 0, f, 4);
	expect_tok(c, t, ";", 0, f, 4);
	expect_tok(c, t, "}", 0, f, 4);
	assert_true(is_namedconf_punct(t, '}'));
	expect_tok(c, t, ";", 0, f, 4);
	expect_tok(c, t, "include", 0, f, 5);
	assert_int_equal(namedconf_include(c, t, err, sizeof(err)), 0);
	expect_tok(c, t, "inner", 0, inc, 1);
	expect_tok(c, t, "v", 1, inc, 1);
	expect_tok(c, t, ";", 0, inc, 1);
	/* back in the including file after the include's end */
	expect_tok(c, t, "trust-anchors", 0, f, 6);
	assert_int_equal(namedconf_expect(c, t, '{', "trust-anchors", err,
	    sizeof(err)), 0);
	expect_tok(c, t, "example.", 0, f, 7);
	assert_int_equal(namedconf_entry(c, t, 0, e, err, sizeof(err)), 0);
	assert_string_equal(e->name, "example.");
	assert_string_equal(e->kind, "static-ds");
	assert_true(e->is_static);
	assert_false(e->is_root);
	assert_int_equal(e->line, 7);
	assert_int_equal(e->off, (size_t)(strstr(buf, "example.") - buf));
	assert_int_equal(buf[e->end - 1], ';');
	assert_int_equal(buf[e->end], '\n');
	assert_int_equal(namedconf_expect(c, t, '}', "entry", err,
	    sizeof(err)), 0);
	assert_int_equal(namedconf_expect(c, t, ';', "}", err, sizeof(err)),
	    0);
	expect_tok(c, t, "end", 0, f, 9);
	assert_int_equal(namedconf_skip_stmt(c, t, err, sizeof(err)), 0);
	assert_int_equal(namedconf_tok(c, t, err, sizeof(err)), 0);
	assert_true(t->eof);
	assert_int_equal(t->off, len);
	namedconf_close(c);
	free(buf);
	free(c);
	free(t);
	free(e);
}

/* Text in memory reads the same way; strict numbers. */
static void
test_text_and_numbers(void **state)
{
	struct namedconf *c = xcalloc(1, sizeof(*c));
	struct namedconf_tok *t = xcalloc(1, sizeof(*t));
	unsigned long long v = 0;

	(void)state;
	namedconf_open_text(c, "mem", "k \"open");
	expect_tok(c, t, "k", 0, "mem", 1);
	assert_int_equal(namedconf_tok(c, t, err, sizeof(err)), -1);
	assert_string_equal(err, "mem:1: quote not closed");
	namedconf_open_text(c, "mem", "/* never closed\n");
	assert_int_equal(namedconf_tok(c, t, err, sizeof(err)), -1);
	assert_string_equal(err, "mem:1: comment not closed");
	namedconf_close(c);
	assert_int_equal(namedconf_num("65535", 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(namedconf_num("65536", 65535, &v), -1);
	assert_int_equal(namedconf_num("", 10, &v), -1);
	assert_int_equal(namedconf_num("1x", 10, &v), -1);
	free(c);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_text_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
