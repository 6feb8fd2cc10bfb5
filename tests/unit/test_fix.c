/*
 * test_fix.c: the core of `anchorwatch fix`: the trust set (fix-trust.c),
 * what stays and what is added (fix.c), the dry run's unified diff, plans
 * of files, and the config keys of fix.
 */
#include "unit.h"
#include "ksk.h"

static const long long day = 86400;
static const long long now = 1796342400;	/* 2026-12-04 */

static struct dnskey
key(const char *text, uint16_t flags)
{
	struct anchor a;
	unsigned char rd[AW_KEY_MAX + 4];
	char err[AW_ERR_MAX];
	int len;

	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), 1);
	a.key.flags = flags;
	len = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
	assert_true(len > 0);
	a.key.tag = keyset_tag(rd, (size_t)len);
	return a.key;
}

/* A SECURE view: 38696 signs; 20326 published; 19036 revoked; a ZSK. */
static void
view(struct rootview *rv, struct history *h)
{
	memset(rv, 0, sizeof(*rv));
	memset(h, 0, sizeof(*h));
	rv->is_secure = 1;
	rv->keys[rv->nkeys++] = key(KSK2024, 257);
	rv->keys[rv->nkeys++] = key(KSK2017, 257);
	rv->keys[rv->nkeys++] = key(KSK2010, 257 | DNSKEY_F_REVOKE);
	rv->keys[rv->nkeys++] = key(KSK2010, 256);
	rv->signers[rv->nsigners] = 38696;
	rv->signer_algs[rv->nsigners++] = 8;
	rv->hist = h;
}

static void
test_trust_view(void **state)
{
	struct rootview rv;
	struct history h;
	struct config c;
	struct fix_trust t;

	(void)state;
	config_defaults(&c);
	view(&rv, &h);
	/* 20326 first seen 10 days ago: inside the 30-day hold-down. */
	h.keys[0].key = rv.keys[1];
	h.keys[0].first_seen = now - 10 * day;
	h.n = 1;
	fix_trust_build(&c, &rv, now, &t);
	assert_int_equal(t.from, FIX_FROM_VIEW);
	assert_int_equal(t.nkeys, 1);
	assert_int_equal(t.keys[0].tag, 38696);
	assert_int_equal(t.nkeep, 1);
	assert_int_equal(t.keep[0].tag, 20326);
	/* Past its hold-down in the agent's history: written too. */
	h.keys[0].first_seen = now - 31 * day;
	fix_trust_build(&c, &rv, now, &t);
	assert_int_equal(t.nkeys, 2);
	/* In tag order, whatever the order of the answer. */
	assert_int_equal(t.keys[0].tag, 20326);
	assert_int_equal(t.keys[1].tag, 38696);
	assert_int_equal(t.nkeep, 0);
	/* A configured hold-down counts. */
	c.add_holddown = 60;
	h.keys[0].first_seen = now - 61;
	fix_trust_build(&c, &rv, now, &t);
	assert_int_equal(t.nkeys, 2);
}

static void
test_trust_refused(void **state)
{
	struct rootview rv;
	struct history h;
	struct config c;
	struct fix_trust t;

	(void)state;
	config_defaults(&c);
	view(&rv, &h);
	rv.is_secure = 0;
	snprintf(rv.why, sizeof(rv.why), "validation failure <. DNSKEY IN>");
	fix_trust_build(&c, &rv, now, &t);
	assert_int_equal(t.from, FIX_FROM_NONE);
	assert_int_equal(t.nkeys, 0);
	assert_non_null(strstr(t.why, "not SECURE (validation failure"));
	assert_non_null(strstr(t.why, "fix.anchors_xml is not set"));
	/* Secure, but nothing signing it is usable (only a revoked key). */
	view(&rv, &h);
	rv.signers[0] = 19036;
	rv.keys[0] = rv.keys[2];
	rv.nkeys = 1;
	fix_trust_build(&c, &rv, now, &t);
	assert_int_equal(t.from, FIX_FROM_NONE);
	assert_non_null(strstr(t.why, "no usable key"));
}

static void
anchor_key(struct source *s, const char *text, uint16_t flags)
{
	struct anchor *a = source_add_anchor(s);

	a->key = key(text, flags);
	a->state = KS_STATIC;
}

static void
test_kept_missing(void **state)
{
	struct rootview rv;
	struct history h;
	struct config c;
	struct fix_trust t;
	struct source s;
	const struct dnskey *miss[FIX_KEYS_MAX];
	struct ds ds;

	(void)state;
	config_defaults(&c);
	view(&rv, &h);
	fix_trust_build(&c, &rv, now, &t);
	memset(&s, 0, sizeof(s));
	anchor_key(&s, KSK2017, 257);
	anchor_key(&s, KSK2010, 257);
	assert_true(is_fix_kept(&t, &s.anchors[0]));	/* published */
	assert_false(is_fix_kept(&t, &s.anchors[1]));	/* revoked */
	assert_int_equal(fix_missing(&t, &s, miss, FIX_KEYS_MAX), 1);
	assert_int_equal(miss[0]->tag, 38696);
	assert_true(is_fix_needed(&t, &s));
	/* A DS of 38696 designates it: nothing missing once 2010 goes. */
	s.nanchors = 1;
	assert_int_equal(keyset_ds_of_key(&t.keys[0], 2, &ds), 0);
	s.anchors[1].is_ds = 1;
	s.anchors[1].ds = ds;
	s.anchors[1].state = KS_STATIC;
	s.nanchors = 2;
	assert_int_equal(fix_missing(&t, &s, miss, FIX_KEYS_MAX), 0);
	assert_false(is_fix_needed(&t, &s));
	/* unbound's ;;REVOKED trust point always needs the repair. */
	s.is_zone_revoked = 1;
	assert_true(is_fix_needed(&t, &s));
	source_free(&s);
}

static void
test_format(void **state)
{
	struct dnskey k = key(KSK2024, 257);
	struct ds ds;
	char buf[2048];

	(void)state;
	assert_int_equal(keyset_ds_of_key(&k, 2, &ds), 0);
	assert_int_equal(keyset_format_ds(&ds, buf, sizeof(buf)), 0);
	/* IANA's DS of KSK-2024 (root-ksks.txt). */
	assert_string_equal(buf, "38696 8 2 683D2D0ACB8C9B712A1948B27F741219"
	    "298D0A450D612C483AF444A4C0FB2B16");
	assert_int_equal(keyset_format_dnskey(&k, buf, sizeof(buf)), 0);
	assert_string_equal(buf, KSK2024 + strlen(". IN DNSKEY "));
	assert_int_equal(keyset_format_dnskey(&k, buf, 40), -1);
	assert_int_equal(keyset_ds_of_key(&k, 3, &ds), -1);
}

/* fix_diff of old into new, as a string. */
static char *
diff(const char *old, const char *new)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fix_diff(f, "f", old, strlen(old), new, strlen(new));
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_diff(void **state)
{
	char *d;

	(void)state;
	d = diff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nX\nf\ng\nh\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -2,7 +2,7 @@\n b\n c\n d\n"
	    "-e\n+X\n f\n g\n h\n");
	free(d);
	/* An addition at the end, after a last line without LF. */
	d = diff("a\nb", "a\nb\nc\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -1,2 +1,3 @@\n a\n-b\n"
	    "\\ No newline at end of file\n+b\n+c\n");
	free(d);
	/* A new file. */
	d = diff("", "x\n");
	assert_string_equal(d, "--- f\n+++ f\n@@ -0,0 +1 @@\n+x\n");
	free(d);
	/* Everything goes. */
	d = diff("x\ny\n", "");
	assert_string_equal(d, "--- f\n+++ f\n@@ -1,2 +0,0 @@\n-x\n-y\n");
	free(d);
}

/* The diff, applied by patch(1) to old, gives new. */
static void
test_diff_patch(void **state)
{
	const char *old = "; comment\n. IN DS 20326 8 2 AB\n\nexample. IN DS 1 8 2 CD\n",
	    *new = "; comment\n. IN DS 38696 8 2 EF\n. IN DS 20326 8 2 AB\n\n"
	    "example. IN DS 1 8 2 CD\n";
	char dir[] = "/tmp/aw-fix-XXXXXX", path[128], cmd[512], *got;
	size_t len;
	FILE *f;
	char err[AW_ERR_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(fileio_write_atomic(path, old, strlen(old), err,
	    sizeof(err)), 0);
	snprintf(cmd, sizeof(cmd), "%s/d", dir);
	assert_non_null(f = fopen(cmd, "w"));
	fix_diff(f, "f", old, strlen(old), new, strlen(new));
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "cd %s && patch -s -o g f < d", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/g", dir);
	assert_int_equal(fileio_load(path, 4096, &got, &len, err,
	    sizeof(err)), 0);
	assert_string_equal(got, new);
	free(got);
	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_plan_file(void **state)
{
	char dir[] = "/tmp/aw-fix-XXXXXX", path[128], err[AW_ERR_MAX];
	struct fix_plan p;
	const char *argv[] = { "/bin/true", "x", NULL };

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(fix_plan_file(&p, path, "x\n", 2, "new", err,
	    sizeof(err)), 0);
	assert_int_equal(p.nedits, 1);
	assert_false(p.edits[0].existed);
	assert_int_equal(fileio_write_atomic(path, "x\n", 2, err,
	    sizeof(err)), 0);
	/* The same content plans nothing. */
	assert_int_equal(fix_plan_file(&p, path, "x\n", 2, "same", err,
	    sizeof(err)), 0);
	assert_int_equal(p.nedits, 1);
	assert_int_equal(fix_plan_file(&p, path, "y\n", 2, "other", err,
	    sizeof(err)), 0);
	assert_int_equal(p.nedits, 2);
	assert_true(p.edits[1].existed);
	assert_int_equal(p.edits[1].oldlen, 2);
	assert_memory_equal(p.edits[1].old, "x\n", 2);
	assert_int_equal(fix_plan_command(&p, argv), 0);
	assert_int_equal(p.cmds[0].argc, 2);
	fix_plan_suggest(&p, "trust-anchor-file: \"%s\"", path);
	assert_non_null(strstr(p.suggest, "trust-anchor-file"));
	assert_int_equal(p.suggest[p.suggestlen - 1], '\n');
	assert_false(is_fix_plan_empty(&p));
	fix_plan_free(&p);
	assert_true(is_fix_plan_empty(&p));
	unlink(path);
	rmdir(dir);
}

static void
test_config(void **state)
{
	static struct config c;
	char path[64], err[AW_ERR_MAX];

	(void)state;
	assert_int_equal(unit_load_yaml(&c, "resolvers:\n  - name: u\n"
	    "    type: unbound\n    config: /etc/unbound/unbound.conf\n"
	    "    reload: [/usr/sbin/unbound-control, -c, /x.conf, reload]\n"
	    "fix:\n  auto: true\n  reload_timeout: 9\n", path, err,
	    sizeof(err)), 0);
	assert_true(c.fix.autofix);
	assert_int_equal(c.fix.reload_timeout, 9);
	assert_int_equal(c.resolvers[0].nreload, 4);
	assert_string_equal(c.resolvers[0].reload[2], "/x.conf");
	assert_string_equal(c.fix.ca_cert, AW_DATADIR "/icannbundle.pem");
	/* Default: off. */
	assert_int_equal(unit_load_yaml(&c, "resolvers: []\n", path, err,
	    sizeof(err)), 0);
	assert_false(c.fix.autofix);
	/* Run without a shell: a full path first. */
	assert_int_equal(unit_load_yaml(&c, "resolvers:\n  - name: u\n"
	    "    type: unbound\n    config: /x\n    reload: [unbound-control,"
	    " reload]\n", path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":5: reload: expected a list of words"));
	assert_int_equal(unit_load_yaml(&c, "fix:\n  anchors_xml: /a.xml\n",
	    path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "anchors_xml and anchors_p7s go "
	    "together"));
	assert_int_equal(unit_load_yaml(&c, "fix:\n  auto: yes please\n",
	    path, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust_view),
		cmocka_unit_test(test_trust_refused),
		cmocka_unit_test(test_kept_missing),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_diff_patch),
		cmocka_unit_test(test_plan_file),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
