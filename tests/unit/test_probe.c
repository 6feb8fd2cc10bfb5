/*
 * test_probe.c: the resolver probes' untrusted input: addresses from the
 * config, and replies from the network (id and QR checked, TXT strings
 * bounded and made printable, truncation and pointer loops refused; a
 * reply to another question dropped while the probe waits for its own).
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

/* A reply to id with one TXT answer ". 20326 38696" (trustanchor.unbound
 * CH TXT), flags QR RD RA AD. */
static size_t
reply(unsigned char *b, uint16_t id)
{
	static const char name[] = "\x0btrustanchor\x07unbound";
	static const char txt[] = ". 20326 38696";
	size_t o = 0;

	b[o++] = id >> 8; b[o++] = id & 0xff;
	b[o++] = 0x81; b[o++] = 0xa0;		/* QR RD, RA AD, NOERROR */
	b[o++] = 0; b[o++] = 1; b[o++] = 0; b[o++] = 1;
	b[o++] = 0; b[o++] = 0; b[o++] = 0; b[o++] = 0;
	memcpy(b + o, name, sizeof(name));	/* with its final 0 */
	o += sizeof(name);
	b[o++] = 0; b[o++] = 16; b[o++] = 0; b[o++] = 3;
	b[o++] = 0xc0; b[o++] = 12;		/* answer owner: the qname */
	b[o++] = 0; b[o++] = 16; b[o++] = 0; b[o++] = 3;
	b[o++] = 0; b[o++] = 0; b[o++] = 0; b[o++] = 0;
	b[o++] = 0; b[o++] = (unsigned char)(sizeof(txt));
	b[o++] = (unsigned char)(sizeof(txt) - 1);
	memcpy(b + o, txt, sizeof(txt) - 1);
	return o + sizeof(txt) - 1;
}

static void
test_parse_reply(void **state)
{
	struct probe_answer pa;
	unsigned char b[512];
	size_t n = reply(b, 0x4242);

	(void)state;
	assert_int_equal(probe_parse(b, n, 0x4242, &pa), 0);
	assert_int_equal(pa.rcode, 0);
	assert_true(pa.ad);
	assert_int_equal(pa.ancount, 1);
	assert_string_equal(pa.txt, ". 20326 38696");
	/* another question's reply is not believed */
	assert_int_equal(probe_parse(b, n, 0x4243, &pa), -1);
	b[2] &= 0x7f;				/* a query, not a reply */
	assert_int_equal(probe_parse(b, n, 0x4242, &pa), -1);
}

static void
test_parse_hostile(void **state)
{
	struct probe_answer pa;
	unsigned char b[512], c[512];
	size_t n = reply(b, 7), cut;
	int i, j;

	(void)state;
	for (cut = 0; cut < n; cut++)
		assert_int_equal(probe_parse(b, cut, 7, &pa), -1);
	memcpy(c, b, n);
	c[37] = 0xc0;				/* answer owner points at itself */
	c[38] = 37;
	assert_int_equal(probe_parse(c, n, 7, &pa), -1);
	memcpy(c, b, n);
	c[n - 14] = 200;			/* TXT string longer than rdata */
	assert_int_equal(probe_parse(c, n, 7, &pa), 0);
	assert_true(strlen(pa.txt) < sizeof(pa.txt));
	memcpy(c, b, n);
	c[n - 3] = 0x01;			/* unprintable byte in TXT */
	assert_int_equal(probe_parse(c, n, 7, &pa), 0);
	assert_non_null(strchr(pa.txt, '?'));
	srandom(8509);
	for (i = 0; i < 20000; i++) {
		memcpy(c, b, n);
		for (j = 0; j < 3; j++)
			c[random() % n] = (unsigned char)random();
		(void)probe_parse(c, n, (uint16_t)(c[0] << 8 | c[1]), &pa);
		assert_true(strlen(pa.txt) < sizeof(pa.txt));
	}
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;

	(void)state;
	assert_int_equal(probe_sockaddr("127.0.0.1", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 53);
	assert_int_equal(probe_sockaddr("::1@5353", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 5353);
	assert_int_equal(probe_sockaddr("127.0.0.1@0", &ss, &len), -1);
	assert_int_equal(probe_sockaddr("127.0.0.1@65536", &ss, &len), -1);
	assert_int_equal(probe_sockaddr("127.0.0.1@", &ss, &len), -1);
	assert_int_equal(probe_sockaddr("localhost", &ss, &len), -1);
	assert_int_equal(probe_sockaddr("1.2.3.4@53x", &ss, &len), -1);
}

/* RFC 8509 section 2: the tag is five digits, zero-padded. */
static void
test_sentinel_name(void **state)
{
	char b[300];

	(void)state;
	assert_int_equal(probe_sentinel_name(b, sizeof(b), 1, 85,
	    "sentinel.example"), 0);
	assert_string_equal(b, "root-key-sentinel-is-ta-00085.sentinel.example");
	assert_int_equal(probe_sentinel_name(b, sizeof(b), 0, 20326, "s.ex"),
	    0);
	assert_string_equal(b, "root-key-sentinel-not-ta-20326.s.ex");
	assert_int_equal(probe_sentinel_name(b, 20, 0, 20326, "s.ex"), -1);
}

/* Nobody listens: -1 at once or within the time-out, never a hang. */
static void
test_query_no_server(void **state)
{
	struct probe_answer pa;

	(void)state;
	assert_int_equal(probe_query("127.0.0.1@9", ".", 48, 1, 0, 300, &pa),
	    -1);
	assert_int_equal(pa.rcode, -1);
	assert_int_equal(probe_query("127.0.0.1", "a..b", 1, 1, 0, 300, &pa),
	    -1);
}

/* The question of reply() as a query of id: header and question. */
static size_t
query_of_reply(unsigned char *q, uint16_t id)
{
	unsigned char b[512];

	(void)reply(b, id);
	memcpy(q, b, 12 + 21 + 4);
	q[2] = 0x01, q[3] = 0;			/* RD; no QR */
	q[7] = 0;				/* no answer */
	return 12 + 21 + 4;
}

/* A reply counts only if it asks the query's one question: the name in
 * any case, its type, its class; not another, not none, not two. */
static void
test_answer_to(void **state)
{
	unsigned char b[512], c[512], q[64];
	size_t n = reply(b, 0x4242), ql = query_of_reply(q, 0x4242), cut;

	(void)state;
	assert_true(is_probe_answer_to(b, n, q, ql));
	memcpy(c, b, n);
	c[13] = 'T', c[18] = 'A';		/* TrustAnchor: same name */
	assert_true(is_probe_answer_to(c, n, q, ql));
	c[14] = 'x';				/* another name */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[12 + 21 + 1] = 1;			/* type A */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[12 + 21 + 3] = 1;			/* class IN */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[5] = 0;				/* no question */
	assert_false(is_probe_answer_to(c, n, q, ql));
	c[5] = 2;				/* two */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[1] ^= 1;				/* another ID */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[2] &= 0x7f;				/* a query */
	assert_false(is_probe_answer_to(c, n, q, ql));
	memcpy(c, b, n);
	c[12] = 0xc0, c[13] = 12;		/* the name as a pointer */
	assert_false(is_probe_answer_to(c, n, q, ql));
	for (cut = 0; cut < 12 + 21 + 4; cut++)
		assert_false(is_probe_answer_to(b, cut, q, ql));
}

/* What fake_resolver answers, under the query's ID. */
enum fake_mode {
	FAKE_RIGHT,	/* reply() to trustanchor.unbound CH TXT, else the
			 * query made a reply (QR RA AD, no answer) */
	FAKE_OTHER,	/* reply() whatever is asked */
	FAKE_OTHER_THEN_RIGHT,	/* reply(), then 300 ms later as FAKE_RIGHT */
};

/* The reply of FAKE_RIGHT to the query q[0..n) into b; its length. */
static size_t
right_reply(unsigned char *b, const unsigned char *q, size_t n)
{
	size_t len = reply(b, (uint16_t)(q[0] << 8 | q[1]));

	if (n >= 12 + 21 + 4 && memcmp(q + 12, b + 12, 21 + 4) == 0)
		return len;
	memcpy(b, q, n);
	b[2] |= 0x80, b[3] = 0xa0;
	return n;
}

/* A resolver on 127.0.0.1 that answers as mode says, in a child; its port
 * into *port. */
static pid_t
fake_resolver_mode(unsigned *port, enum fake_mode mode)
{
	struct sockaddr_in sin, from;
	socklen_t len = sizeof(sin);
	unsigned char q[512], b[512];
	ssize_t n;
	pid_t pid;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	if ((pid = fork()) == 0) {
		alarm(10);
		for (;;) {
			len = sizeof(from);
			if ((n = recvfrom(fd, q, sizeof(q), 0,
			    (struct sockaddr *)&from, &len)) < 2)
				continue;
			if (mode != FAKE_RIGHT)
				(void)sendto(fd, b, reply(b, (uint16_t)(q[0] <<
				    8 | q[1])), 0, (struct sockaddr *)&from,
				    len);
			if (mode == FAKE_OTHER || n < 12)
				continue;
			if (mode == FAKE_OTHER_THEN_RIGHT)
				usleep(300000);
			(void)sendto(fd, b, right_reply(b, q, (size_t)n), 0,
			    (struct sockaddr *)&from, len);
		}
	}
	close(fd);
	assert_true(pid > 0);
	return pid;
}

static pid_t
fake_resolver(unsigned *port)
{
	return fake_resolver_mode(port, FAKE_RIGHT);
}

static void
stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A reply with the right ID to another question is dropped, and the
 * probe waits on for the right one until its time-out. */
static void
test_query_other_question(void **state)
{
	struct probe_answer pa;
	char addr[32];
	unsigned port;
	pid_t pid;

	(void)state;
	pid = fake_resolver_mode(&port, FAKE_OTHER);
	snprintf(addr, sizeof(addr), "127.0.0.1@%u", port);
	assert_int_equal(probe_query(addr, ".", 48, 1, 0, 1000, &pa), -1);
	assert_int_equal(pa.rcode, -1);
	assert_false(pa.ad);
	assert_int_equal(probe_query(addr, "trustanchor.unbound", 1, 3, 0,
	    1000, &pa), -1);			/* CH A, not CH TXT */
	/* its own question is answered */
	assert_int_equal(probe_query(addr, "TrustAnchor.Unbound", 16, 3, 0,
	    1000, &pa), 0);
	assert_string_equal(pa.txt, ". 20326 38696");
	stop(pid);
	pid = fake_resolver_mode(&port, FAKE_OTHER_THEN_RIGHT);
	snprintf(addr, sizeof(addr), "127.0.0.1@%u", port);
	assert_int_equal(probe_query(addr, ".", 48, 1, 0, 3000, &pa), 0);
	assert_int_equal(pa.rcode, 0);
	assert_true(pa.ad);
	assert_int_equal(pa.ancount, 0);
	assert_string_equal(pa.txt, "");
	stop(pid);
}

/* probe_resolver on a resolver of type at 127.0.0.1@port, probes with a
 * time-out of timeout seconds and no sentinel or signed name, into *r. */
static void
probe_fake(unsigned port, const char *type, unsigned timeout,
    struct resolver *r)
{
	struct resolver_conf rc;
	struct rootview rv;
	struct config c;

	config_defaults(&c);
	c.probes = 1;
	c.probe_timeout = timeout;
	c.signed_name[0] = c.sentinel_domain[0] = '\0';
	memset(&rv, 0, sizeof(rv));
	memset(&rc, 0, sizeof(rc));
	snprintf(rc.address, sizeof(rc.address), "127.0.0.1@%u", port);
	snprintf(rc.type, sizeof(rc.type), "%s", type);
	memset(r, 0, sizeof(*r));
	probe_resolver(&c, &rc, &rv, r);
}

/* A resolver that only ever answers another question with AD does not
 * look validating: it is not even reachable. */
static void
test_other_question_not_validating(void **state)
{
	struct resolver r;
	unsigned port;
	pid_t pid;

	(void)state;
	pid = fake_resolver_mode(&port, FAKE_OTHER);
	probe_fake(port, dnsmasq_reader.type, 1, &r);
	assert_true(r.probe.done);
	assert_false(r.probe.reachable);
	assert_false(r.probe.checked[0]);
	assert_false(r.probe.ad[0]);
	stop(pid);
}

/* Whether the running daemon is asked what it loaded, and how, comes from
 * its row of the reader table: unbound's names a CH TXT query. */
static void
test_loaded_by_row(void **state)
{
	struct resolver r;
	unsigned port;
	pid_t pid;

	(void)state;
	pid = fake_resolver(&port);
	probe_fake(port, unbound_reader.type, 2, &r);
	assert_true(r.probe.reachable);
	assert_true(r.have_loaded);
	assert_int_equal(r.nloaded, 2);
	assert_int_equal(r.loaded[0], 20326);
	assert_int_equal(r.loaded[1], 38696);
	assert_string_equal(r.loaded_how, "trustanchor.unbound CH TXT");
	/* a row with neither hook: the same answers are not asked for */
	probe_fake(port, dnsmasq_reader.type, 2, &r);
	assert_true(r.probe.reachable);
	assert_false(r.have_loaded);
	stop(pid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_sentinel_name),
		cmocka_unit_test(test_query_no_server),
		cmocka_unit_test(test_loaded_by_row),
		cmocka_unit_test(test_answer_to),
		cmocka_unit_test(test_query_other_question),
		cmocka_unit_test(test_other_question_not_validating),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
