/*
 * dnstap.h: what the dnstap tests share (test_dnstap, on Frame Streams
 * files; test_dnstap_listen, on the socket): Dnstap messages built with
 * protobuf-c from the generated dnstap.pb-c.h, lists of frames written as
 * Frame Streams with libfstrm's file writer into a temporary directory,
 * and the frames of the main case with the counts they must give.
 */
#ifndef DNSTAP_TEST_H
#define DNSTAP_TEST_H
#include "unit.h"

#define DT_UNUSED __attribute__((unused))

#include <fstrm.h>
#include <protobuf-c/protobuf-c.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dnstap.pb-c.h"

#define CT "protobuf:dnstap.Dnstap"
/* query_time_sec of the first query: a fixed time for files, the near
 * future for a live socket (which takes no query older than itself). */
static uint64_t t0 DT_UNUSED = 1700000000ULL;
#define FRAMES_MAX 6000

static char tmpdir[] = "/tmp/aw-dnstap-XXXXXX";

static const uint8_t v4[4] DT_UNUSED = { 192, 0, 2, 1 };
static const uint8_t v4m[16] DT_UNUSED = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
static const uint8_t v6[16] DT_UNUSED = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t zero16[16] DT_UNUSED;

/* A list of data frames to write. */
struct frames {
	size_t n;
	uint8_t *p[FRAMES_MAX];
	size_t len[FRAMES_MAX];
};

/* One Dnstap message to build; type 0: a Dnstap without a Message. */
struct spec {
	int type;                  /* Dnstap__Message__Type */
	const uint8_t *addr;       /* NULL: no query_address */
	size_t alen;
	uint64_t sec;              /* 0: no query_time */
	uint32_t nsec;
	const char *qname;         /* NULL: no query_message */
	unsigned qtype;
	uint16_t keytag;           /* an edns-key-tag option if non-zero */
};


/* Pack the Dnstap message of sp and append it to f. */
static inline void
add(struct frames *f, const struct spec *sp)
{
	Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message m = DNSTAP__MESSAGE__INIT;
	uint8_t q[512];

	if (sp->type != 0) {
		d.message = &m;
		m.type = (Dnstap__Message__Type)sp->type;
	}
	if (sp->addr != NULL) {
		m.has_query_address = 1;
		m.query_address.data = (uint8_t *)sp->addr;
		m.query_address.len = sp->alen;
	}
	if (sp->sec != 0) {
		m.has_query_time_sec = m.has_query_time_nsec = 1;
		m.query_time_sec = sp->sec;
		m.query_time_nsec = sp->nsec;
	}
	if (sp->qname != NULL) {
		m.has_query_message = 1;
		m.query_message.data = q;
		m.query_message.len = unit_dns_query(q, sp->qname, sp->qtype,
		    &sp->keytag, sp->keytag != 0);
	}
	assert_true(f->n < FRAMES_MAX);
	f->len[f->n] = dnstap__dnstap__get_packed_size(&d);
	f->p[f->n] = malloc(f->len[f->n]);
	assert_non_null(f->p[f->n]);
	assert_int_equal(dnstap__dnstap__pack(&d, f->p[f->n]), f->len[f->n]);
	f->n++;
}

/* Append raw bytes as one frame. */
static inline void
add_raw(struct frames *f, const void *p, size_t len)
{
	assert_true(f->n < FRAMES_MAX);
	f->p[f->n] = malloc(len ? len : 1);
	assert_non_null(f->p[f->n]);
	memcpy(f->p[f->n], p, len);
	f->len[f->n++] = len;
}

static inline void
frames_free(struct frames *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->p[i]);
	f->n = 0;
}

static inline struct frames *
frames_new(void)
{
	struct frames *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	return f;
}

static inline void
path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* Write f as a Frame Streams file (START with content type ct, unless
 * NULL; the frames; STOP) with libfstrm's file writer; its size. */
static inline off_t
write_file(const char *path, const char *ct, const struct frames *f)
{
	struct fstrm_writer_options *wo = fstrm_writer_options_init();
	struct fstrm_file_options *fo = fstrm_file_options_init();
	struct fstrm_writer *w;
	struct stat st;
	size_t i;

	if (ct != NULL)
		fstrm_writer_options_add_content_type(wo, ct, strlen(ct));
	fstrm_file_options_set_file_path(fo, path);
	w = fstrm_file_writer_init(fo, wo);
	assert_non_null(w);
	assert_int_equal(fstrm_writer_open(w), fstrm_res_success);
	for (i = 0; i < f->n; i++)
		assert_int_equal(fstrm_writer_write(w, f->p[i], f->len[i]),
		    fstrm_res_success);
	fstrm_writer_destroy(&w);
	fstrm_file_options_destroy(&fo);
	fstrm_writer_options_destroy(&wo);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static inline void
write_bytes(const char *path, const void *p, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The whole of a file into *len bytes (malloc'd). */
static inline uint8_t *
read_bytes(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p = malloc(1 << 20);

	assert_non_null(fp);
	assert_non_null(p);
	*len = fread(p, 1, 1 << 20, fp);
	fclose(fp);
	return p;
}

/* Every frame lands in exactly one counter. */
static inline void
assert_balanced(struct traffic *t)
{
	assert_int_equal(t->packets, t->malformed + t->responses + t->other +
	    t->queries);
}

static inline int
setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static inline int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The frames of the main file test: 3 resolver queries for ". DNSKEY"
 * from IPv4, client queries from IPv6 (a _ta- signal, a DS with an
 * edns-key-tag, ". DNSKEY" with one), a response, a query Message
 * without query_message, a Dnstap without a Message, an unknown Message
 * type, a query without an address. */
static inline void
main_frames(struct frames *f)
{
	int i;

	for (i = 0; i < 3; i++)
		add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_QUERY,
		    v4, 4, t0 + (uint64_t)i * 10, 500000, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 1, 0, "_ta-4f66.", 1, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 2, 0, "org.", 43, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0 + 3, 0, ".", 48, 38696 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__RESOLVER_RESPONSE, v4,
	    4, t0, 0, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__CLIENT_QUERY, v6, 16,
	    t0, 0, NULL, 0, 0 });
	add(f, &(struct spec){ 0, NULL, 0, 0, 0, NULL, 0, 0 });
	add(f, &(struct spec){ 99, v4, 4, t0, 0, ".", 48, 0 });
	add(f, &(struct spec){ DNSTAP__MESSAGE__TYPE__STUB_QUERY, NULL, 0,
	    t0 + 5, 0, "www.example.", 1, 0 });
}

/* What main_frames() must count into t. */
static inline void
assert_main_counts(struct traffic *t)
{
	struct traffic_src *s;

	assert_int_equal(t->packets, 11);
	assert_int_equal(t->queries, 7);
	assert_int_equal(t->responses, 1);
	assert_int_equal(t->other, 3);
	assert_int_equal(t->malformed, 0);
	assert_int_equal(t->n, 3);
	assert_non_null(s = traffic_lookup(t, v4m));
	assert_int_equal(s->queries, 3);
	assert_int_equal(s->dnskey_root, 3);
	assert_int_equal(s->signals, 0);
	assert_non_null(s = traffic_lookup(t, v6));
	assert_int_equal(s->queries, 3);
	assert_int_equal(s->dnskey_root, 1);
	assert_int_equal(s->ds_tld, 1);
	assert_int_equal(s->signals, 2);
	assert_int_equal(s->ntags, 2);
	assert_int_equal(s->tags[0], 20326);
	assert_int_equal(s->tags[1], 38696);
	assert_non_null(s = traffic_lookup(t, zero16));
	assert_int_equal(s->queries, 1);
	assert_balanced(t);
}
#endif
