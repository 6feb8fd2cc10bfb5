/*
 * test_luascan.c: the Lua-call scanner on sources written in a temporary
 * file: which calls it finds, with which literal arguments, and which
 * errors are Lua's (the daemon will not load the file) or its own limits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

static char err[AW_ERR_MAX];
static char path[64];

/* Scan text; the calls found, one "name(args)" a line, into out. */
static int
scan(const char *text, char *out, size_t outlen, int *syntax)
{
	struct luascan_call *c = calloc(1, sizeof(*c));
	struct luascan *ls;
	size_t o = 0, i;
	FILE *fp;
	int fd, rv;

	snprintf(path, sizeof(path), "/tmp/test_luascan.XXXXXX");
	if (c == NULL || (fd = mkstemp(path)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL)
		fail_msg("setup failed");
	fputs(text, fp);
	fclose(fp);
	out[0] = '\0';
	err[0] = '\0';
	assert_non_null(ls = luascan_open(path, err, sizeof(err)));
	while ((rv = luascan_next(ls, c, err, sizeof(err))) == 1) {
		o += (size_t)snprintf(out + o, outlen - o, "%u:%s%s(", c->line,
		    c->name, c->literal ? "" : "?");
		for (i = 0; i < c->nargs; i++)
			o += (size_t)snprintf(out + o, outlen - o, "%s%d:%s",
			    i ? "," : "", (int)c->type[i], c->type[i] ==
			    LA_STR || c->type[i] == LA_NUM ? c->str[i] : "");
		o += (size_t)snprintf(out + o, outlen - o, ")\n");
	}
	*syntax = luascan_syntax(ls);
	luascan_close(ls);
	unlink(path);
	free(c);
	return rv;
}

static void
test_calls(void **state)
{
	char out[1024];
	int syn;

	assert_int_equal(scan("#!/usr/bin/lua\n"
	    "a.b:c('x', 2, true, nil)\n"
	    "f 'y' g {'p', \"q\"}\n"
	    "local t = h(i('z'))\n"
	    "pcall(function() addTA('.', 'ds') end)\n"
	    "function j.k(v) return v end\n"
	    "-- m('no')\n--[==[ n('no') ]==]\n"
	    "o([[\nlong]], 'a' .. 'b')\n", out, sizeof(out), &syn), 0);
	assert_string_equal(out,
	    "2:a.b:c(0:x,1:2,2:,4:)\n"
	    "3:f(0:y)\n"
	    "3:g(5:)\n"
	    "4:h?(6:)\n"
	    "4:i(0:z)\n"
	    "5:pcall?(6:)\n"
	    "5:addTA(0:.,0:ds)\n"
	    "9:o?(0:long,0:a)\n");
	/* escapes, LuaJIT's too */
	assert_int_equal(scan("e('\\x41\\066\\z\n   C\\u{e9}\\n')\n", out,
	    sizeof(out), &syn), 0);
	assert_string_equal(out, "1:e(0:ABC\xc3\xa9\n)\n");
	/* a backslash before CRLF, in a file with CRLF lines */
	assert_int_equal(scan("a('x\\\r\ny')\r\nb('z')\r\n", out,
	    sizeof(out), &syn), 0);
	assert_string_equal(out, "1:a(0:x\ny)\n3:b(0:z)\n");
}

static void
test_table_items(void **state)
{
	struct luascan_call *c = calloc(1, sizeof(*c));
	struct luascan *ls;
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_luascan.XXXXXX");
	if (c == NULL || (fd = mkstemp(path)) == -1 ||
	    (fp = fdopen(fd, "w")) == NULL)
		fail_msg("setup failed");
	fputs("s({'a', '.'; 'b'})\nt({'a', x})\n", fp);
	fclose(fp);
	assert_non_null(ls = luascan_open(path, err, sizeof(err)));
	assert_int_equal(luascan_next(ls, c, err, sizeof(err)), 1);
	assert_true(c->literal);
	assert_int_equal(c->nitems[0], 3);
	assert_true(is_luascan_item(c, 0, "."));
	assert_false(is_luascan_item(c, 0, "c"));
	assert_int_equal(luascan_next(ls, c, err, sizeof(err)), 1);
	assert_false(c->literal);
	assert_int_equal(luascan_next(ls, c, err, sizeof(err)), 0);
	luascan_close(ls);
	unlink(path);
	free(c);
}

/* Lua's syntax errors, and the scanner's own limits (not Lua's). */
static void
test_errors(void **state)
{
	static const struct {
		const char *text, *want;
		int syntax;
	} cases[] = {
		{ "a('x)\n", ":1: string not closed", 1 },
		{ "\n[==[ x ]]\n", ":2: long string not closed", 1 },
		{ "--[[ x\n", ":1: long comment not closed", 1 },
		{ "a('\\q')", ":1: invalid escape", 1 },
		{ "a('\\300')", ":1: invalid escape", 1 },
		{ "a('\\xg0')", ":1: invalid escape", 1 },
		{ "a(\n{)\n", ":2: ')' where '}' is needed (line 2)", 1 },
		{ "x = 1 }", ":1: '}' closes nothing", 1 },
		{ "while x do\nrepeat\nend", ":3: 'end' where 'until' is "
		  "needed (line 2)", 1 },
		{ "if x then\n", ":1: block without 'end'", 1 },
		{ "repeat\n", ":1: 'repeat' without 'until'", 1 },
		{ "a(\n", ":1: '(' not closed", 1 },
		{ "a('\\0')", ":1: NUL byte in string", 0 },
	};
	char out[256], want[128];
	size_t i;
	int syn;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(scan(cases[i].text, out, sizeof(out), &syn),
		    -1);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].want);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%zu: want \"%s\", got \"%s\"", i, want, err);
		assert_int_equal(syn, cases[i].syntax);
	}
	/* balanced blocks and brackets are fine */
	assert_int_equal(scan("for i = 1, 2 do if i then f(function() "
	    "return {[1] = 2} end) elseif x then else end end\nrepeat "
	    "until true\n", out, sizeof(out), &syn), 0);
	assert_string_equal(out, "1:f?(6:)\n");
	/* the calls inside a call's expression are found too */
	assert_int_equal(scan("t({'a', x('b')})\nu('a' .. v('c'), 'd')\n",
	    out, sizeof(out), &syn), 0);
	assert_string_equal(out, "1:t?(5:)\n1:x(0:b)\n2:u?(0:a)\n"
	    "2:v(0:c)\n");
}

static void
test_refuse(void **state)
{
	char e[AW_ERR_MAX];

	snprintf(e, sizeof(e), "/a:b/c.lua:12: string not closed");
	luascan_refuse(e, sizeof(e), "kresd");
	assert_string_equal(e, "/a:b/c.lua:12: kresd refuses to start: "
	    "string not closed");
	snprintf(e, sizeof(e), "no place");
	luascan_refuse(e, sizeof(e), "pdns_recursor");
	assert_string_equal(e, "pdns_recursor refuses to start: no place");
}

static void
test_stack(void **state)
{
	struct luascan_stack st;
	char p[32];
	size_t i;

	memset(&st, 0, sizeof(st));
	assert_int_equal(luascan_push(&st, "/nonexistent/a", "x", 1, err,
	    sizeof(err)), 0);
	assert_int_equal(luascan_push(&st, "/nonexistent/a", "y", 2, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "y:2: dofile loop: /nonexistent/a");
	for (i = 1; i < LUASCAN_DEPTH_MAX; i++) {
		snprintf(p, sizeof(p), "/nonexistent/%zu", i);
		assert_int_equal(luascan_push(&st, p, "x", 1, err,
		    sizeof(err)), 0);
	}
	assert_int_equal(luascan_push(&st, "/nonexistent/z", "z", 3, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "z:3: dofile nested deeper"));
	luascan_pop(&st);
	assert_int_equal(st.depth, LUASCAN_DEPTH_MAX - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_table_items),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
