/*
 * test_zonefile.c: the zone file record module (zonefile.c) on its own:
 * what it hands its caller (kind, text with the owner completed, comments,
 * lines and byte offsets), $ORIGIN and $TTL as unbound's sldns applies
 * them, and the static anchor file reader built on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define ZDATA(p) DATA("zonefile/" p)

/* What the callback saw, one line per item. */
static char seen[4096];

static int
record_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	size_t n = strlen(seen);

	snprintf(seen + n, sizeof(seen) - n, "%d %u-%u %zu-%zu [%s] [%s]\n",
	    (int)z->kind, z->line, z->lastline, z->off, z->end, z->text,
	    z->comment);
	return 0;
}

static void
test_items(void **state)
{
	struct textfile f;
	char err[AW_ERR_MAX];

	seen[0] = '\0';
	assert_int_equal(fileio_open_text(ZDATA("items.zone"), &f, err,
	    sizeof(err)), 0);
	if (zonefile_parse(&f, record_item, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	free(f.buf);
	assert_string_equal(seen,
	    "2 1-1 0-8 [] [; header]\n"
	    "1 2-2 9-16 [$TTL 60 ] []\n"
	    "0 3-4 17-68 [. IN DNSKEY   257 3 8    AwEAAQ==    ] "
	    "[; first ; second]\n"
	    "2 6-6 70-82 [] [; indented]\n"
	    "0 7-7 83-102 [. 60 IN DS 1 8 2 00 ] []\n");
}

/* An error stops the parse at the item's line, with the callback's why. */
static int
refuse_ds(void *arg, const struct zonefile_rec *z, char *why, size_t whylen)
{
	if (z->kind == ZF_RECORD && strstr(z->text, " DS ") != NULL) {
		snprintf(why, whylen, "no DS here");
		return -1;
	}
	return 0;
}

static void
test_callback_error(void **state)
{
	struct textfile f;
	char err[AW_ERR_MAX];

	assert_int_equal(fileio_open_text(ZDATA("items.zone"), &f, err,
	    sizeof(err)), 0);
	assert_int_equal(zonefile_parse(&f, refuse_ds, NULL, err,
	    sizeof(err)), -1);
	free(f.buf);
	assert_string_equal(err, ZDATA("items.zone") ":7: no DS here");
}

static int
ignore_item(void *arg, const struct zonefile_rec *z, char *why, size_t whylen)
{
	return 0;
}

/* The line of the first ZF_PAREN item seen. */
static unsigned paren_at;

static int
note_paren(void *arg, const struct zonefile_rec *z, char *why, size_t whylen)
{
	if (z->kind == ZF_PAREN && paren_at == 0)
		paren_at = z->line;
	return 0;
}

/* Without ZF_SLDNS parentheses must balance (what Knot's root.keys
 * reading needs); with it they are counted as unbound's sldns does. */
static void
test_parentheses(void **state)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{ DATA("unbound/good/sldns-close.ds"), ":3: ')' without '('" },
		{ DATA("unbound/good/sldns-paren.ds"), ":3: '(' not closed" },
	};
	char err[AW_ERR_MAX], want[AW_ERR_MAX];
	struct textfile f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fileio_open_text(cases[i].file, &f, err,
		    sizeof(err)), 0);
		assert_int_equal(zonefile_parse(&f, ignore_item, NULL, err,
		    sizeof(err)), -1);
		free(f.buf);
		snprintf(want, sizeof(want), "%s%s", cases[i].file,
		    cases[i].want);
		assert_string_equal(err, want);
		assert_int_equal(fileio_open_text(cases[i].file, &f, err,
		    sizeof(err)), 0);
		assert_int_equal(zonefile_parse_as(&f, ZF_SLDNS, ignore_item,
		    NULL, err, sizeof(err)), 0);
		free(f.buf);
		/* ZF_PAREN_REPORT: handed over at its line, no failure */
		assert_int_equal(fileio_open_text(cases[i].file, &f, err,
		    sizeof(err)), 0);
		paren_at = 0;
		assert_int_equal(zonefile_parse_as(&f, ZF_PAREN_REPORT,
		    note_paren, NULL, err, sizeof(err)), 0);
		free(f.buf);
		assert_int_equal(paren_at, 3);
	}
}

/* $ORIGIN moves "@", relative and omitted owners; $INCLUDE is skipped. */
static void
test_origin(void **state)
{
	struct source s;
	char err[AW_ERR_MAX];

	memset(&s, 0, sizeof(s));
	if (zonefile_read_static(DATA("unbound/good/origin-at.ds"), &s, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.kind, SRC_FILE);
	assert_int_equal(s.nanchors, 1);
	assert_int_equal(s.anchors[0].line, 6);
	assert_int_equal(keyset_anchor_tag(&s.anchors[0]), 20326);
	source_free(&s);
	if (zonefile_read_static(DATA("unbound/good/origin.ds"), &s, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(s.nanchors, 1);
	assert_int_equal(s.anchors[0].line, 3);
	source_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_callback_error),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_parentheses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
