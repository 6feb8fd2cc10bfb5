/*
 * unbound.h: what test_unbound.c and test_unbound_real.c share: the
 * fixture paths and the unbound reader run on them.
 */
#ifndef TEST_UNBOUND_H
#define TEST_UNBOUND_H
#include <sys/wait.h>

#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define GOOD(p) DATA("unbound/good/" p)
#define BAD(p) DATA("unbound/bad/" p)
#define T 1795853116LL

static char err[AW_ERR_MAX];

/* autotrust_read without the markers, in read_ok's shape. */
static inline int
read_autr(const char *path, struct source *s, char *e, size_t elen)
{
	return autotrust_read(path, s, NULL, e, elen);
}

/* A zeroed source, read with fn from path, which must succeed. */
static inline struct source *
read_ok(int (*fn)(const char *, struct source *, char *, size_t),
    const char *path)
{
	static struct source s;

	source_free(&s);	/* the previous call's */
	err[0] = '\0';
	if (fn(path, &s, err, sizeof(err)) != 0)
		fail_msg("%s: %s", path, err);
	assert_string_equal(s.path, path);
	return &s;
}

/* Run the unbound reader on config (may be "") and extra anchor files. */
static inline int
read_conf(const char *config, const char **files, size_t nfiles,
    struct resolver *r)
{
	struct resolver_conf rc;
	size_t i;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "unbound");
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	for (i = 0; i < nfiles; i++)
		snprintf(rc.anchor_files[i], sizeof(rc.anchor_files[i]), "%s",
		    files[i]);
	rc.nanchor_files = nfiles;
	snprintf(r->name, sizeof(r->name), "test");
	err[0] = '\0';
	return unbound_read(&rc, r, UNIT_NOW, err, sizeof(err));
}


static inline void
check_source(const struct source *s, enum src_kind kind, const char *path,
    const char *decl_file, unsigned decl_line, size_t nanchors)
{
	assert_int_equal(s->kind, kind);
	assert_string_equal(s->path, path);
	assert_string_equal(s->decl_file, decl_file);
	assert_int_equal(s->decl_line, decl_line);
	assert_int_equal(s->nanchors, nanchors);
}


#endif /* TEST_UNBOUND_H */
