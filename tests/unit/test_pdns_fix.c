/*
 * test_pdns_fix.c: the repair of a PowerDNS Recursor (pdns-fix.c, with
 * luascan-write.c for its Lua and zonefile-write.c for its anchor files):
 * exact expected files under tests/data/pdns/fix/ (staged under a
 * temporary directory, "@D@" replaced by it as in test_pdns.c), the
 * result read back by the reader, a second repair finding nothing to do,
 * and the lines suggested for what is never written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "fixset.h"

#define DS38696 "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C" \
    "483AF444A4C0FB2B16"

static char tmp[256];
static char err[AW_ERR_MAX];

/* The staged copy of fixture p. */
static const char *
FX(const char *p)
{
	static char path[4][AW_PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", tmp, p);
	return path[i];
}

static int
stage(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/test_pdns_fix.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "cp tests/data/pdns/fix/* %s/ && "
	    "sed -i \"s|@D@|%s|g\" %s/*", tmp, tmp, tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int
unstage(void **state)
{
	(void)state;
	return unit_rmtree(tmp);
}

/* Read the staged config and plan its repair into p; the hook's return. */
static int
repair(const char *config, const struct fix_trust *t, struct resolver *r,
    struct fix_plan *p)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	memset(p, 0, sizeof(*p));
	snprintf(rc.type, sizeof(rc.type), "pdns-recursor");
	snprintf(rc.config, sizeof(rc.config), "%s", FX(config));
	if (pdns_reader.read(&rc, r, UNIT_NOW, err, sizeof(err)) != 0)
		fail_msg("%s: %s", config, err);
	assert_string_equal(r->refused, "");
	err[0] = '\0';
	return pdns_reader.repair(&rc, r, t, UNIT_NOW, p, err, sizeof(err));
}

/* Edit i of p: file, why, and text equal to the staged want file. */
static void
check_edit(const struct fix_plan *p, size_t i, const char *file,
    const char *want, const char *why)
{
	char *text, got[AW_PATH_MAX];
	size_t len;
	FILE *f;

	assert_true(i < p->nedits);
	assert_string_equal(p->edits[i].path, FX(file));
	assert_string_equal(p->edits[i].why, why);
	if (fileio_load(FX(want), AW_FILE_MAX, &text, &len, err,
	    sizeof(err)) == -1)
		len = 0, text = NULL;
	if (text == NULL || len != p->edits[i].len ||
	    memcmp(text, p->edits[i].text, len)) {
		snprintf(got, sizeof(got), "/tmp/test_pdns_fix.%s", want);
		if ((f = fopen(got, "w")) != NULL) {
			fwrite(p->edits[i].text, 1, p->edits[i].len, f);
			fclose(f);
		}
		fail_msg("%s: not as %s (see %s)", file, want, got);
	}
	free(text);
}

/* Write the plan's files (staged copies), read back: the tags the
 * daemon then has are tags, and a second repair plans nothing. */
static void
check_back(const char *config, const struct fix_trust *t,
    const struct fix_plan *p, const char *tags)
{
	struct resolver r;
	struct fix_plan again;
	char got[256] = "";
	size_t i, j, o = 0;
	FILE *f;

	for (i = 0; i < p->nedits; i++) {
		assert_non_null(f = fopen(p->edits[i].path, "w"));
		assert_int_equal(fwrite(p->edits[i].text, 1, p->edits[i].len,
		    f), p->edits[i].len);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(repair(config, t, &r, &again), 0);
	for (i = 0; i < r.nsources; i++)
		for (j = 0; j < r.sources[i].nanchors; j++)
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%u",
			    o ? " " : "",
			    keyset_anchor_tag(&r.sources[i].anchors[j]));
	assert_string_equal(got, tags);
	assert_int_equal(again.nedits, 0);
	assert_int_equal(again.suggestlen, 0);
	fix_plan_free(&again);
	resolver_free(&r);
}

/* The root addTA of the Lua config: 20326 replaced by 38696 in place;
 * the other zone's addTA, addNTA and the comments stay. */
static void
test_lua(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 1);
	assert_int_equal(repair("stale.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "stale.lua", "stale-keep.lua.expected",
	    "add 38696");
	fix_plan_free(&p);
	resolver_free(&r);
	fixset_trust(&t, 0);
	assert_int_equal(repair("stale.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "stale.lua", "stale.lua.expected",
	    "remove 20326, add 38696");
	assert_int_equal(p.suggestlen, 0);
	resolver_free(&r);
	check_back("stale.conf", &t, &p, "38696");
	fix_plan_free(&p);
	assert_string_equal(pdns_reader.reload[0], "/usr/bin/rec_control");
	assert_string_equal(pdns_reader.reload[1], "reload-lua-config");
	assert_null(pdns_reader.reload[2]);
}

/* Root calls across a dofile(): each file loses its stale calls, the new
 * key goes after the last root call the daemon runs; a call sharing its
 * line with another leaves the other. */
static void
test_dofile(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("dofile.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 2);
	check_edit(&p, 0, "main.lua", "main.lua.expected", "remove 20326");
	check_edit(&p, 1, "more.lua", "more.lua.expected",
	    "remove 19036, add 38696");
	resolver_free(&r);
	check_back("dofile.conf", &t, &p, "38696");
	fix_plan_free(&p);
}

/* Two root calls on one line: the nth call is the nth anchor of that
 * line; the one that goes takes the blanks before it, not the line. */
static void
test_oneline(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 1);
	assert_int_equal(repair("oneline.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "oneline.lua", "oneline.lua.expected",
	    "remove 19036, add 38696");
	resolver_free(&r);
	check_back("oneline.conf", &t, &p, "20326 38696");
	fix_plan_free(&p);
}

/* The last root call ends the file without a line end: one is added
 * before the new call. */
static void
test_nolf(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 1);
	assert_int_equal(repair("nolf.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "nolf.lua", "nolf.lua.expected", "add 38696");
	resolver_free(&r);
	check_back("nolf.conf", &t, &p, "20326 38696");
	fix_plan_free(&p);
}

/* A root call inside an expression cannot go without breaking the Lua:
 * refused, nothing planned. */
static void
test_expr_refused(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;
	char want[AW_PATH_MAX + 64];

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("expr.conf", &t, &r, &p), -1);
	snprintf(want, sizeof(want), "%s:1: addTA is not a statement of its "
	    "own: it cannot be removed", FX("expr.lua"));
	assert_string_equal(err, want);
	assert_int_equal(p.nedits, 0);
	fix_plan_free(&p);
	resolver_free(&r);
}

/* Lua that adds to a built-in set holding a key to remove: the Lua has
 * nothing to change; clearTA('.') is suggested. */
static void
test_plus_builtin(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("plus.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_non_null(p.suggest);
	assert_non_null(strstr(p.suggest, "hold a key to remove: put "
	    "clearTA('.') at the top of the lua-config-file\n"));
	fix_plan_free(&p);
	resolver_free(&r);
	/* with 20326 kept, nothing to do at all */
	fixset_trust(&t, 1);
	assert_int_equal(repair("plus.conf", &t, &r, &p), 0);
	assert_true(is_fix_plan_empty(&p));
	assert_int_equal(p.suggestlen, 0);
	fix_plan_free(&p);
	resolver_free(&r);
}

/* readTrustAnchorsFromFile: the zone file is rewritten (zonefile-write.c). */
static void
test_tafile(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("tafile.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "stale.key", "stale.key.expected",
	    "add 38696, remove 20326");
	resolver_free(&r);
	check_back("tafile.conf", &t, &p, "38696");
	fix_plan_free(&p);
	/* 5.x YAML settings: dnssec.trustanchorfile, the same file form */
	assert_int_equal(repair("tafile.yml", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_edit(&p, 0, "yaml.key", "yaml.key.expected",
	    "add 38696, remove 20326");
	assert_int_equal(p.suggestlen, 0);
	resolver_free(&r);
	check_back("tafile.yml", &t, &p, "38696");
	fix_plan_free(&p);
}

/* dnssec.trustanchors in the YAML settings: suggested, never written. */
static void
test_yaml(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	char want[1024];

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("inline.yml", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 0);
	snprintf(want, sizeof(want), "# %s:6: dnssec.trustanchors: the root "
	    "entry is to be:\n  - name: .\n    dsrecords:\n      - '"
	    DS38696 "'\n", FX("inline.yml"));
	assert_string_equal(p.suggest, want);
	fix_plan_free(&p);
	resolver_free(&r);
}

/* The daemon's built-in set (4.8.8: 20326 alone): the Lua lines to add
 * are suggested. */
static void
test_builtin(void **state)
{
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	fixset_trust(&t, 0);
	assert_int_equal(repair("builtin.conf", &t, &r, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_non_null(strstr(p.suggest, "are not current: in its "
	    "lua-config-file:\nclearTA('.')\naddTA('.', \"" DS38696
	    "\")\n"));
	fix_plan_free(&p);
	resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lua),
		cmocka_unit_test(test_dofile),
		cmocka_unit_test(test_oneline),
		cmocka_unit_test(test_nolf),
		cmocka_unit_test(test_expr_refused),
		cmocka_unit_test(test_plus_builtin),
		cmocka_unit_test(test_tafile),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_builtin),
	};

	return cmocka_run_group_tests(tests, stage, unstage);
}
