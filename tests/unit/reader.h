/*
 * reader.h: what the reader tests on fixture trees share (test_dnsmasq,
 * test_pdns, test_resolved).  Define RT_TYPE (the reader's type name) and,
 * for fixtures that name each other by absolute path, RT_DATA (their
 * directory under tests/data) before including it.
 *
 * stage() copies tests/data/RT_DATA/{good,bad,debian} under a temporary
 * directory, replacing "@D@" in good/ and bad/ by the copy's directory;
 * F("good/x.conf") is the staged path.  read_conf() runs the reader of
 * RT_TYPE, as the config would, with its error in err.
 */
#ifndef READER_H
#define READER_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define RT_UNUSED __attribute__((unused))

static char tmp[256] RT_UNUSED;
static char err[AW_ERR_MAX];
static char path[AW_PATH_MAX] RT_UNUSED;

/* The staged copy of fixture p ("good/x.conf"). */
static inline const char *
F(const char *p)
{
	snprintf(path, sizeof(path), "%s/%s", tmp, p);
	return path;
}

#ifdef RT_DATA
static inline int
stage(void **state)
{
	char cmd[1024];

	snprintf(tmp, sizeof(tmp), "/tmp/test_" RT_DATA ".XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "cp -R tests/data/" RT_DATA "/good "
	    "tests/data/" RT_DATA "/bad tests/data/" RT_DATA "/debian %s/ && "
	    "for d in good bad; do find %s/$d -type f -exec "
	    "sed -i \"s|@D@|%s/$d|g\" {} +; done", tmp, tmp, tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static inline int
unstage(void **state)
{
	return unit_rmtree(tmp);
}
#endif

/* Run the reader of RT_TYPE on config. */
static inline int
read_conf(const char *config, struct resolver *r)
{
	struct resolver_conf rc;

	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "test");
	snprintf(rc.type, sizeof(rc.type), "%s", RT_TYPE);
	snprintf(rc.config, sizeof(rc.config), "%s", config);
	err[0] = '\0';
	return reader_find(RT_TYPE)->read(&rc, r, UNIT_NOW, err, sizeof(err));
}

static inline void
read_ok(const char *config, struct resolver *r)
{
	if (read_conf(config, r) != 0)
		fail_msg("%s: %s", config, err);
}

/* Root anchor tags of r, in order, as "20326 38696". */
static inline const char *
tags(const struct resolver *r)
{
	static char buf[256];
	size_t i, j, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nsources; i++)
		for (j = 0; j < r->sources[i].nanchors; j++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u",
			    o ? " " : "",
			    keyset_anchor_tag(&r->sources[i].anchors[j]));
	return buf;
}

/* The reader fails on config with an error starting "file:line:", and
 * keeps it in r.error too. */
static inline void
read_bad(const char *config, const char *file, unsigned line)
{
	struct resolver r;
	char want[AW_PATH_MAX + 16];

	snprintf(want, sizeof(want), "%s:%u:", file, line);
	assert_int_equal(read_conf(config, &r), -1);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("want \"%s...\", got \"%s\"", want, err);
	assert_string_equal(r.error, err);
	resolver_free(&r);
}

#ifdef RT_DATA
/* read_bad on the staged copies of config and file. */
static inline void
bad(const char *config, const char *file, unsigned line)
{
	char c[AW_PATH_MAX], f[AW_PATH_MAX];

	snprintf(c, sizeof(c), "%s", F(config));
	snprintf(f, sizeof(f), "%s", F(file));
	read_bad(c, f, line);
}
#else
#define bad read_bad
#endif
#endif
