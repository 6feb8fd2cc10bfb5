/*
 * test_bindfix.c: BIND's repair (bind-fix.c) and the trust anchor clause
 * writer (bind-conf-write.c) on fixtures under tests/data/bind/fix/.
 *
 * Each case reads a named.conf with the BIND reader, plans its repair
 * under a trust set of the real root KSKs (KSK-2017 20326, KSK-2024
 * 38696), and compares every planned file with an exact expected copy
 * (NAME.expected beside it) and the dry run (fix_print) with dryrun.txt.
 * Nothing is written: planning only reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define FIX(p) DATA("bind/fix/" p)
/* 2026-12-04 12:00 UTC: KSK-2024 signs, KSK-2017 is still published. */
#define FIX_NOW 1796385600LL

static char err[AW_ERR_MAX];

static const char ksk2017[] = ". IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI"
    "96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgn"
    "Lh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBx"
    "WezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6n"
    "WeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnX"
    "GXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=";
static const char ksk2024[] = ". IN DNSKEY 257 3 8 AwEAAa96jeuknZlaeSrvyAJj"
    "6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWO"
    "mOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1"
    "jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB"
    "+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBev"
    "YtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=";

/* A trust set: KSK-2024 to trust, and KSK-2017 too when both. */
static void
trust(struct fix_trust *t, int both)
{
	struct anchor a;

	memset(t, 0, sizeof(*t));
	t->from = FIX_FROM_VIEW;
	snprintf(t->how, sizeof(t->how), "test");
	assert_int_equal(keyset_parse_rr(ksk2024, &a, err, sizeof(err)), 1);
	t->keys[t->nkeys++] = a.key;
	if (!both)
		return;
	assert_int_equal(keyset_parse_rr(ksk2017, &a, err, sizeof(err)), 1);
	t->keys[t->nkeys++] = a.key;
}

/* Read config with the BIND reader and plan its repair under t: the
 * hook's result; the plan in p (the caller frees it). */
static int
plan(const char *config, const struct fix_trust *t, struct resolver *r,
    struct resolver_conf *rc, struct fix_plan *p)
{
	memset(rc, 0, sizeof(*rc));
	memset(r, 0, sizeof(*r));
	memset(p, 0, sizeof(*p));
	snprintf(rc->name, sizeof(rc->name), "ns1");
	snprintf(rc->type, sizeof(rc->type), "bind");
	snprintf(rc->config, sizeof(rc->config), "%s", config);
	snprintf(r->name, sizeof(r->name), "ns1");
	snprintf(p->resolver, sizeof(p->resolver), "ns1");
	err[0] = '\0';
	if (bind_read(rc, r, FIX_NOW, err, sizeof(err)) != 0)
		fail_msg("read %s: %s", config, err);
	return bind_reader.repair(rc, r, t, FIX_NOW, p, err, sizeof(err));
}

/* The whole of path (NUL-terminated) into *len. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf;

	if (fileio_load(path, AW_FILE_MAX, &buf, len, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return buf;
}

/* Edit e's text is exactly the file expected. */
static void
check_text(const char *text, size_t len, const char *expected)
{
	size_t n;
	char *want = slurp(expected, &n);

	if (n != len || memcmp(want, text, n) != 0) {
		fprintf(stderr, "---- got:\n%.*s---- want (%s):\n%s",
		    (int)len, text, expected, want);
		free(want);
		fail_msg("%s differs", expected);
	}
	free(want);
}

/* The dry run of p, as fix prints it, equals the file expected. */
static void
check_dryrun(const struct fix_plan *p, const char *expected)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fix_print(f, p);
	assert_int_equal(fclose(f), 0);
	check_text(buf, len, expected);
	free(buf);
}

static void
done(struct resolver *r, struct fix_plan *p)
{
	fix_plan_free(p);
	resolver_free(r);
}

/* A static root key in an include file: replaced by KSK-2024 in the same
 * kind; the other zone, the comments and the rest byte for byte. */
static void
test_static_include(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("static/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FIX("static/anchors.conf"));
	assert_string_equal(p.edits[0].why, "remove 20326, add 38696");
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("static/anchors.conf.expected"));
	assert_int_equal(p.ncmds, 0);
	check_dryrun(&p, FIX("static/dryrun.txt"));
	done(&r, &p);
}

/* KSK-2017 still trusted: kept as it is, KSK-2024 added after it. */
static void
test_static_add(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 1);
	assert_int_equal(plan(FIX("static/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].why, "add 38696");
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("static/anchors.conf.add"));
	done(&r, &p);
}

/* static-ds: a SHA-256 DS of KSK-2024, IANA's digest. */
static void
test_static_ds(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("ds/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("ds/anchors.conf.expected"));
	/* RFC 5011 suggested in the clause's form: initial-ds */
	assert_non_null(strstr(p.suggest, "\t. initial-ds 38696 8 2 \"683D2D0A"
	    "CB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16\";\n"));
	done(&r, &p);
}

/* initial-key over three lines (bind.keys' layout), relative include
 * under options directory: the new key as initial-key, same indent. */
static void
test_initial_include(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 1);
	assert_int_equal(plan(FIX("initial/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FIX("initial/anchors.conf"));
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("initial/anchors.conf.expected"));
	assert_int_equal(p.ncmds, 0);   /* no key zone yet */
	assert_null(p.suggest);         /* RFC 5011 already */
	done(&r, &p);
}

/* One line "trust-anchors { ... };": the new entry stays on it. */
static void
test_inline(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("inline/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("inline/anchors.conf.expected"));
	done(&r, &p);
}

/* Anchors in named.conf itself: refused, the new clause suggested,
 * nothing planned to be written or run. */
static void
test_main_config(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("main/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 0);
	assert_int_equal(p.ncmds, 0);
	assert_non_null(strstr(p.refused, "main configuration"));
	check_dryrun(&p, FIX("main/dryrun.txt"));
	done(&r, &p);
}

/* dnssec-validation auto with a bindkeys-file of KSK-2017 only: the file
 * named reads is rewritten like an include. */
static void
test_bindkeys(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 1);
	assert_int_equal(plan(FIX("bk/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FIX("bk/bind.keys"));
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("bk/bind.keys.expected"));
	done(&r, &p);
}

/* The config is right but the key zone holds KSK-2024 in AddPend only:
 * `rndc managed-keys destroy` through the controls of named.conf. */
static void
test_keyzone(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;
	size_t i;
	char line[1024] = "";

	(void)state;
	trust(&t, 1);
	assert_int_equal(plan(FIX("keyzone/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 0);
	assert_int_equal(p.ncmds, 1);
	for (i = 0; i < p.cmds[0].argc; i++) {
		strcat(line, i ? " " : "");
		strcat(line, p.cmds[0].argv[i]);
	}
	assert_string_equal(line, "/usr/sbin/rndc -s 127.0.0.31 -p 9530 -k "
	    FIX("keyzone/rndc.key") " managed-keys destroy");
	done(&r, &p);
}

/* Already right: nothing planned. */
static void
test_nothing(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("current/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_true(is_fix_plan_empty(&p));
	assert_int_equal(p.suggestlen, 0);
	done(&r, &p);
}

/* A healthy key zone with the old key revoked, on named's built-in
 * keys (which still hold KSK-2017): named's own business, no plan. */
static void
test_keyzone_ok(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("zoneok/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_true(is_fix_plan_empty(&p));
	done(&r, &p);
}

/* A key to trust that named's built-in keys lack (KSK-2010 here): they
 * cannot be written, a new key zone would not trust it: refused. */
static void
test_builtin_lacks(void **state)
{
	static const char ksk2010[] = ". IN DNSKEY 257 3 8 AwEAAagAIKlVZrpC6"
	    "Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQq"
	    "BGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496"
	    "M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBt"
	    "uA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQ"
	    "ageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0"
	    "=";
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;
	struct anchor a;

	(void)state;
	trust(&t, 0);
	assert_int_equal(keyset_parse_rr(ksk2010, &a, err, sizeof(err)), 1);
	t.keys[t.nkeys++] = a.key;
	assert_int_equal(plan(FIX("zoneok/named.conf"), &t, &r, &rc, &p), -1);
	assert_non_null(strstr(err, "built-in root keys lack"));
	done(&r, &p);
}

/* A view with its own include and <view>.mkeys: the include rewritten,
 * that view's key zone alone destroyed; the CH view left alone. */
static void
test_views(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 1);
	assert_int_equal(plan(FIX("views/named.conf"), &t, &r, &rc, &p), 0);
	assert_string_equal(p.refused, "");
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].path, FIX("views/internal.conf"));
	assert_string_equal(p.edits[0].why, "add 38696");
	assert_int_equal(p.ncmds, 1);
	assert_int_equal(p.cmds[0].argc, 5);
	assert_string_equal(p.cmds[0].argv[0], "/usr/sbin/rndc");
	assert_string_equal(p.cmds[0].argv[2], "destroy");
	assert_string_equal(p.cmds[0].argv[3], "IN");
	assert_string_equal(p.cmds[0].argv[4], "internal");
	done(&r, &p);
}

/* dnssec-validation no: the stale include is not touched; switching
 * validation on is suggested for the main configuration. */
static void
test_validation_off(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("off/named.conf"), &t, &r, &rc, &p), 0);
	assert_true(is_fix_plan_empty(&p));
	assert_string_equal(p.suggest, "# " FIX("off/named.conf") ":2: "
	    "validation is off: put \"dnssec-validation auto;\" in options "
	    "instead\n");
	done(&r, &p);
}

/* trusted-keys (deprecated, still read by 9.18): a bare key added. */
static void
test_trusted_keys(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("tk/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(p.nedits, 1);
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("tk/anchors.conf.expected"));
	done(&r, &p);
}

/* One file included in two views: rewritten once, as for one. */
static void
test_included_twice(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("twice/named.conf"), &t, &r, &rc, &p), 0);
	assert_int_equal(r.nsources, 2);
	assert_int_equal(p.nedits, 1);
	assert_string_equal(p.edits[0].why, "remove 20326, add 38696");
	check_text(p.edits[0].text, p.edits[0].len,
	    FIX("ds/anchors.conf.expected"));
	done(&r, &p);
}

/* The writer takes only offsets that fit the bytes it is given. */
static void
test_writer_bounds(void **state)
{
	struct bind_conf *c = calloc(1, sizeof(*c));
	struct fix_trust t;
	struct bind_block *b;
	char *old, *out = NULL, why[AW_ERR_MAX] = "";
	size_t oldlen, outlen, keep;

	(void)state;
	assert_non_null(c);
	trust(&t, 0);
	c->main = FIX("static/anchors.conf");
	c->val = BIND_VAL_UNSET;
	assert_int_equal(bind_conf_parse(c, c->main, err, sizeof(err)), 0);
	assert_int_equal(c->nblocks, 1);
	b = &c->blocks[0];
	old = slurp(c->main, &oldlen);
	assert_int_equal(bind_conf_write_block(old, oldlen, b, &t, &out,
	    &outlen, why, sizeof(why)), 0);
	free(out);
	keep = b->entries[1].end;
	b->entries[1].end = b->close + 1;       /* past the clause */
	assert_int_equal(bind_conf_write_block(old, oldlen, b, &t, &out,
	    &outlen, why, sizeof(why)), -1);
	b->entries[1].end = keep;
	b->entries[1].off = b->entries[0].off;  /* overlapping */
	assert_int_equal(bind_conf_write_block(old, oldlen, b, &t, &out,
	    &outlen, why, sizeof(why)), -1);
	assert_int_equal(bind_conf_write_block(old, b->end - 1, b, &t, &out,
	    &outlen, why, sizeof(why)), -1);  /* a shorter file */
	free(old);
	bind_conf_free(c);
}

/* A clause begun in an include and ended in named.conf: refused. */
static void
test_split(void **state)
{
	struct resolver_conf rc;
	struct resolver r;
	struct fix_plan p;
	struct fix_trust t;

	(void)state;
	trust(&t, 0);
	assert_int_equal(plan(FIX("split/named.conf"), &t, &r, &rc, &p), -1);
	assert_non_null(strstr(err, "stands across files"));
	done(&r, &p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_static_include),
		cmocka_unit_test(test_static_add),
		cmocka_unit_test(test_static_ds),
		cmocka_unit_test(test_initial_include),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_main_config),
		cmocka_unit_test(test_bindkeys),
		cmocka_unit_test(test_keyzone),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_keyzone_ok),
		cmocka_unit_test(test_builtin_lacks),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_validation_off),
		cmocka_unit_test(test_included_twice),
		cmocka_unit_test(test_trusted_keys),
		cmocka_unit_test(test_writer_bounds),
	};

	bind_check_use("", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
