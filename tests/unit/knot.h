/*
 * knot.h: what test_knot.c and test_knot_yaml.c share: the fixture
 * paths, the reader run on them with kresd's test hooks, and checks.
 */
#ifndef TEST_KNOT_H
#define TEST_KNOT_H
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

/* Test hooks of anchor-knot.c. */
extern const char *knot_sandbox;
extern const char *knot_workdir;

#define KD "tests/data/knot/"
#define GOOD(p) KD "good/" p
#define BAD(p) KD "bad/" p
#define KSK1 62641      /* the local root's keys of the fixtures */
#define KSK2 2285

static char err[AW_ERR_MAX];

/* Run the reader on config with extra anchor files; fixtures in dir. */
static inline int
read_in(const char *dir, const char *config, const char *extra,
    struct resolver *r)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "knot-resolver");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	if (extra != NULL) {
		snprintf(rc.anchor_files[0], sizeof(rc.anchor_files[0]), "%s",
		    extra);
		rc.nanchor_files = 1;
	}
	snprintf(r->name, sizeof(r->name), "test");
	knot_workdir = dir;
	knot_sandbox = strcmp(dir, KD "bad") == 0 ? BAD("sandbox.lua") :
	    strcmp(dir, KD "debian") == 0 ? KD "debian/sandbox.lua" :
	    GOOD("sandbox-debian.lua");
	err[0] = '\0';
	return knot_read(&rc, r, UNIT_NOW, err, sizeof(err));
}

/* The reader on a good fixture, which must succeed. */
static inline void
read_good(const char *config, struct resolver *r)
{
	if (read_in(KD "good", config, NULL, r) != 0)
		fail_msg("%s: %s", config, err);
	assert_string_equal(r->error, "");
}

/* A config holding text, in a temporary file; returns its path. */
static inline const char *
tmp_conf(const char *text)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_knot.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		fail_msg("mkstemp failed");
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* The root keyset is sources[0]: kind, file, declaring line. */
static inline const struct source *
check_source(const struct resolver *r, enum src_kind kind, const char *path,
    const char *decl, unsigned line, size_t nanchors)
{
	const struct source *s;

	assert_int_equal(r->nsources, 1);
	s = &r->sources[0];
	assert_int_equal(s->kind, kind);
	assert_string_equal(s->path, path);
	assert_string_equal(s->decl_file, decl);
	assert_int_equal(s->decl_line, line);
	assert_int_equal(s->nanchors, nanchors);
	assert_int_equal(r->dnssec, DNSSEC_ON);
	return s;
}

/* A root.keys read as kresd's add_file() would (managed). */
static inline const struct source *
read_keys(const char *name, size_t n, struct resolver *r)
{
	char text[256];

	snprintf(text, sizeof(text), "trust_anchors.add_file('%s')\n", name);
	read_good(tmp_conf(text), r);
	unlink(r->sources[0].decl_file);
	assert_int_equal(r->nsources, 1);
	assert_int_equal(r->sources[0].kind, SRC_AUTO);
	assert_int_equal(r->sources[0].nanchors, n);
	assert_true(r->sources[0].have_probe);   /* the file's mtime */
	assert_true(r->sources[0].last_success > 0);
	return &r->sources[0];
}

#endif /* TEST_KNOT_H */
