/*
 * test_resolver.c: the reader table (reader.c), which is everything a
 * resolver type means.  Each row is complete and its type unique;
 * anchorwatch.yaml accepts exactly the table's types; and no source file
 * but the readers and reader.c spells a type name, so that a new type
 * is one reader file and one row.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct config cfg;
static char err[AW_ERR_MAX];

static int
is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static void
test_rows_complete(void **state)
{
	const struct reader *const *rd;
	size_t i, j, n;

	(void)state;
	rd = reader_all(&n);
	assert_true(n >= 6);
	assert_true(n <= READERS_MAX);
	for (i = 0; i < n; i++) {
		const struct reader *r = rd[i];

		if (!is_set(r->type) || r->read == NULL ||
		    !is_set(r->default_config) || r->default_config[0] != '/' ||
		    !is_set(r->process) || strlen(r->process) > 15 ||
		    !is_set(r->user) || !is_set(r->advice_static))
			fail_msg("row %zu (%s) is incomplete", i,
			    r->type ? r->type : "?");
		/* what an unwritable RFC 5011 file does is said exactly by
		 * the products that keep one */
		if ((r->advice_unwritable != NULL) != (r->rfc5011 != 0))
			fail_msg("%s: advice_unwritable and rfc5011 disagree",
			    r->type);
		if (r->config_flag != NULL && r->config_flag[0] != '-')
			fail_msg("%s: config flag %s", r->type, r->config_flag);
		if (r->variant != RFC5011_PLAIN &&
		    r->variant != RFC5011_UNBOUND && r->variant != RFC5011_KNOT)
			fail_msg("%s: variant %d", r->type, r->variant);
		if (r->rfc5011 == 0 && r->variant != RFC5011_PLAIN)
			fail_msg("%s: no RFC 5011 but rules", r->type);
		/* one way to ask the daemon what it loaded, at most */
		if (r->loaded != NULL && r->loaded_chaos != NULL)
			fail_msg("%s: two loaded-anchor hooks", r->type);
		assert_ptr_equal(reader_find(r->type), r);
		for (j = 0; j < i; j++)
			if (strcmp(rd[j]->type, r->type) == 0 ||
			    strcmp(rd[j]->default_config,
			    r->default_config) == 0)
				fail_msg("rows %zu and %zu share a type or "
				    "config", j, i);
	}
	assert_null(reader_find("nsd"));
	assert_null(reader_find(""));
	assert_ptr_equal(reader_default(), rd[0]);
}

/* Load a config with one resolver of type; config_load's result. */
static int
load_type(const char *type)
{
	char yaml[256], path[64];

	snprintf(yaml, sizeof(yaml), "resolvers:\n  - name: r1\n    type: "
	    "\"%s\"\n    config: /etc/r1.conf\n", type);
	return unit_load_yaml(&cfg, yaml, path, err, sizeof(err));
}

static void
test_config_types(void **state)
{
	static const char *const others[] = { "nsd", "Unbound", "unbound ",
	    "knot", "pdns", "resolved", "named", "" };
	const struct reader *const *rd;
	size_t i, n;

	(void)state;
	rd = reader_all(&n);
	for (i = 0; i < n; i++) {
		if (load_type(rd[i]->type) != 0)
			fail_msg("%s: %s", rd[i]->type, err);
		assert_string_equal(cfg.resolvers[0].type, rd[i]->type);
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(load_type(others[i]), -1);
		assert_non_null(strstr(err, "unknown resolver type"));
	}
	/* the refusal lists every type of the table */
	for (i = 0; i < n; i++)
		assert_non_null(strstr(err, rd[i]->type));
}

/* 1 if line spells type as a C string literal. */
static int
has_literal(const char *line, const char *type)
{
	char lit[64];

	snprintf(lit, sizeof(lit), "\"%s\"", type);
	return strstr(line, lit) != NULL;
}

/* A reader's own files: anchor-TYPE.c and the parts it is split into,
 * named after the product (bind-keys.c, unbound-conf.c, pdns-conf.c). */
static int
is_reader_file(const char *name)
{
	static const char *const prefixes[] = { "anchor-", "bind-",
	    "unbound-", "knot-", "pdns-", "dnsmasq-", "resolved-" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/*
 * No type name outside the readers and reader.c.  The names of the RFC
 * 5011 rule sets in scenario files ("variant: unbound") are not resolver
 * types: rfc5011.c's variant_names lines (indexed by RFC5011_) and the
 * lines listing them with "rfc" are left out.
 */
static void
test_no_type_elsewhere(void **state)
{
	const struct reader *const *rd;
	char path[512], line[1024];
	struct dirent *de;
	size_t i, n, nfiles = 0;
	unsigned ln;
	DIR *d;
	FILE *f;

	(void)state;
	rd = reader_all(&n);
	assert_non_null(d = opendir("src"));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 3 || (strcmp(de->d_name + l - 2, ".c") != 0 &&
		    strcmp(de->d_name + l - 2, ".h") != 0) ||
		    is_reader_file(de->d_name) ||
		    strcmp(de->d_name, "reader.c") == 0)
			continue;
		snprintf(path, sizeof(path), "src/%s", de->d_name);
		assert_non_null(f = fopen(path, "r"));
		nfiles++;
		for (ln = 1; fgets(line, sizeof(line), f) != NULL; ln++) {
			if ((strcmp(de->d_name, "rfc5011.c") == 0 &&
			    strstr(line, "[RFC5011_") != NULL) ||
			    strstr(line, "\"rfc\"") != NULL)
				continue;
			for (i = 0; i < n; i++)
				if (has_literal(line, rd[i]->type))
					fail_msg("%s:%u spells type \"%s\"",
					    path, ln, rd[i]->type);
		}
		fclose(f);
	}
	closedir(d);
	assert_true(nfiles >= 20);
}

/* Past AW_SOURCES_MAX sources a resolver is a CONFIG_ERROR naming the
 * cap, and takes no more memory. */
static void
test_sources_cap(void **state)
{
	struct resolver r;
	struct source *s, *last = NULL;
	int i;

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), "many");
	for (i = 0; i < AW_SOURCES_MAX + 10; i++) {
		s = resolver_add_source(&r);
		s->decl_line = (unsigned)i + 1;
		if (i >= AW_SOURCES_MAX)
			assert_ptr_equal(s, last);
		last = s;
	}
	assert_int_equal(r.nsources, AW_SOURCES_MAX);
	assert_non_null(strstr(r.error, "resolver many: more than 1024 trust "
	    "anchor sources (anchorwatch's cap per resolver)"));
	resolver_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_config_types),
		cmocka_unit_test(test_no_type_elsewhere),
		cmocka_unit_test(test_sources_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
