/*
 * unit.h: what every cmocka unit test includes.  Tests run from the top of
 * the tree; fixtures live under tests/data/.
 */
#ifndef UNIT_H
#define UNIT_H
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "anchorwatch.h"

#define DATA(p) "tests/data/" p
/* The clock a reader is given in tests that do not pin a date. */
#define UNIT_NOW ((long long)time(NULL))

/*
 * Write yaml to a temporary file, load it into c and remove it; the file's
 * name into path (64 bytes), config_load's result returned.  The file is
 * gone before any assertion can jump out.
 */
static inline int
unit_load_yaml(struct config *c, const char *yaml, char *path, char *err,
    size_t errlen)
{
	FILE *f;
	int fd, rv;

	snprintf(path, 64, "/tmp/aw-test-config-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("mkstemp: %s", strerror(errno));
	fputs(yaml, f);
	assert_int_equal(fclose(f), 0);
	err[0] = '\0';
	rv = config_load(c, path, err, errlen);
	unlink(path);
	return rv;
}

/*
 * A DNS query into p: name (dotted, "." for the root) of type qtype, id
 * 0x1234; with ntags, an OPT record carrying the RFC 8145 edns-key-tag
 * option with those tags.  Returns its length (p needs 12 + 256 + 4 + 11
 * + 2 * ntags bytes).
 */
static inline size_t
unit_dns_query(uint8_t *p, const char *name, unsigned qtype,
    const uint16_t *tags, size_t ntags)
{
	size_t o = 12, i;
	const char *s = name;

	memset(p, 0, 12);
	p[0] = 0x12, p[1] = 0x34, p[5] = 1, p[11] = ntags ? 1 : 0;
	while (*s != '\0' && strcmp(s, ".") != 0) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);

		p[o++] = (uint8_t)n;
		memcpy(p + o, s, n);
		o += n;
		s += n + (dot ? 1 : 0);
	}
	p[o++] = 0;
	p[o++] = (uint8_t)(qtype >> 8), p[o++] = (uint8_t)qtype;
	p[o++] = 0, p[o++] = 1;
	if (ntags) {
		size_t rdlen = 4 + 2 * ntags;

		p[o++] = 0;			/* OPT owner: the root */
		p[o++] = 0, p[o++] = 41;	/* type OPT */
		p[o++] = 0x04, p[o++] = 0xd0;	/* 1232 bytes */
		memset(p + o, 0, 4), o += 4;	/* extended rcode, flags */
		p[o++] = (uint8_t)(rdlen >> 8), p[o++] = (uint8_t)rdlen;
		p[o++] = 0, p[o++] = 14;	/* edns-key-tag */
		p[o++] = (uint8_t)(2 * ntags >> 8), p[o++] = (uint8_t)(2 * ntags);
		for (i = 0; i < ntags; i++) {
			p[o++] = (uint8_t)(tags[i] >> 8);
			p[o++] = (uint8_t)tags[i];
		}
	}
	return o;
}
/* Anchor a is a DS (is_ds) or DNSKEY with key tag tag, in state st, read
 * from line line of its file. */
static inline void
check_anchor(const struct anchor *a, int is_ds, uint16_t tag,
    enum ks_state st, unsigned line)
{
	assert_int_equal(a->is_ds, is_ds);
	assert_int_equal(keyset_anchor_tag(a), tag);
	assert_int_equal(a->state, st);
	assert_int_equal(a->line, line);
}

/* Put the DNSKEY of text (presentation form) into rv's root RRset with
 * flags, its tag computed; signing the RRset if sign.  Returns it. */
static inline struct dnskey *
unit_root_add(struct rootview *rv, const char *text, uint16_t flags,
    int sign)
{
	struct dnskey *k = &rv->keys[rv->nkeys++];
	unsigned char rd[AW_KEY_MAX + 4];
	struct anchor a;
	char err[AW_ERR_MAX];
	int len;

	assert_int_equal(keyset_parse_rr(text, &a, err, sizeof(err)), 1);
	*k = a.key;
	k->flags = flags;
	len = keyset_dnskey_rdata(k, rd, sizeof(rd));
	assert_true(len > 0);
	k->tag = keyset_tag(rd, (size_t)len);
	if (sign) {
		rv->signer_algs[rv->nsigners] = k->algorithm;
		rv->signers[rv->nsigners++] = k->tag;
	}
	return k;
}

/* Number of findings of rep with code c; the last one into *out (out may
 * be NULL). */
static inline int
unit_count(const struct report *rep, enum fcode c,
    const struct finding **out)
{
	size_t i;
	int n = 0;

	for (i = 0; i < rep->n; i++)
		if (rep->f[i].code == c) {
			n++;
			if (out != NULL)
				*out = &rep->f[i];
		}
	return n;
}
/* Remove dir (a test's temporary directory) and all it holds: 0, or -1
 * if that fails.  A teardown's last word. */
static inline int
unit_rmtree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
