/*
 * probe.c: asking a running resolver what it really does.
 *
 * Files on disk can differ from what a daemon loaded, so each resolver with
 * an address is asked, over one UDP datagram per question:
 *   - whether it validates: ". DNSKEY" (and a configured signed name) must
 *     come back with AD (RFC 4035 3.2.3); SERVFAIL that resolves with CD=1
 *     means validation is failing (RFC 4035 3.2.2);
 *   - which root keys it trusts, by the key sentinel of RFC 8509 (section
 *     3.2: is-ta and not-ta answered SERVFAIL or not);
 *   - which anchors it loaded, where it says so (unbound's
 *     trustanchor.unbound CH TXT).
 * Replies are untrusted input: bounded, checked against the question, and
 * parsed with the same care as the root answer in query.c.  A reply is
 * taken only if it carries the query's ID and asks its one question (name,
 * type and class: RFC 5452 section 9.1); any other is dropped and the
 * probe waits on until its time-out, so that a spoofed or broken reply
 * cannot stand for the answer.
 */
#include <sys/socket.h>
#include <sys/random.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "anchorwatch.h"

#define PROBE_BUF 4096
#define CLASS_IN 1
#define CLASS_CH 3
#define TYPE_A 1
#define TYPE_TXT 16
#define TYPE_DNSKEY 48

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* "ip" or "ip@port" into a socket address (port 53 by default). */
int
probe_sockaddr(const char *addr, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *at;
	unsigned long port = 53;
	char *end;

	if ((at = strchr(addr, '@')) == NULL)
		at = addr + strlen(addr);
	if ((size_t)(at - addr) >= sizeof(host))
		return -1;
	memcpy(host, addr, (size_t)(at - addr));
	host[at - addr] = '\0';
	if (*at == '@') {
		errno = 0;
		port = strtoul(at + 1, &end, 10);
		if (at[1] == '\0' || *end != '\0' || errno || port == 0 ||
		    port > 65535)
			return -1;
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
	} else
		return -1;
	return 0;
}

/* Encode presentation name into wire form at q; returns its length. */
static int
probe_name(const char *name, unsigned char *q, size_t max)
{
	size_t o = 0, l;
	const char *dot;

	if (strcmp(name, ".") == 0) {
		q[0] = 0;
		return 1;
	}
	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot ? (size_t)(dot - name) : strlen(name);
		if (l == 0 || l > 63 || o + l + 2 > max || o + l + 2 > 255)
			return -1;
		q[o++] = (unsigned char)l;
		memcpy(q + o, name, l);
		o += l;
		name += l + (dot != NULL);
	}
	q[o++] = 0;
	return (int)o;
}

/* A query with RD, optional CD, and EDNS0 with DO (RFC 3225). */
static int
probe_build(unsigned char *q, size_t max, uint16_t id, const char *name,
    uint16_t type, uint16_t cls, int cd)
{
	int n;

	if (max < 12 + 4 + 11)
		return -1;
	memset(q, 0, 12);
	put16(q, id);
	q[2] = 0x01;			/* RD */
	q[3] = cd ? 0x10 : 0;		/* CD */
	put16(q + 4, 1);
	put16(q + 10, 1);		/* ARCOUNT: the OPT record */
	if ((n = probe_name(name, q + 12, max - 12 - 4 - 11)) == -1)
		return -1;
	n += 12;
	put16(q + n, type);
	put16(q + n + 2, cls);
	n += 4;
	q[n] = 0;			/* OPT owner "." */
	put16(q + n + 1, 41);
	put16(q + n + 3, 1232);		/* UDP payload size */
	q[n + 5] = 0;
	q[n + 6] = 0;
	put16(q + n + 7, 0x8000);	/* DO */
	put16(q + n + 9, 0);
	return n + 11;
}

/* Skip a possibly compressed name at *off (bounded, loop-proof). */
static int
probe_skip_name(const unsigned char *p, size_t len, size_t *off)
{
	size_t o = *off;
	int jumps = 0;

	for (;;) {
		if (o >= len)
			return -1;
		if ((p[o] & 0xc0) == 0xc0) {
			if (o + 1 >= len || ++jumps > 32)
				return -1;
			if (jumps == 1)
				*off = o + 2;
			o = (size_t)(p[o] & 0x3f) << 8 | p[o + 1];
			continue;
		}
		if (p[o] & 0xc0)
			return -1;
		if (p[o] == 0) {
			if (jumps == 0)
				*off = o + 1;
			return 0;
		}
		o += (size_t)p[o] + 1;
	}
}

/* Append the character-strings of TXT rdata to pa->txt, space-separated. */
static void
probe_txt(const unsigned char *rd, size_t rdlen, struct probe_answer *pa)
{
	size_t i = 0, o = strlen(pa->txt), n, k;

	while (i < rdlen) {
		n = rd[i++];
		if (i + n > rdlen)
			return;
		if (o > 0 && o + 1 < sizeof(pa->txt))
			pa->txt[o++] = ' ';
		for (k = 0; k < n && o + 1 < sizeof(pa->txt); k++) {
			unsigned char c = rd[i + k];
			pa->txt[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		pa->txt[o] = '\0';
		i += n;
	}
}

int
probe_parse(const unsigned char *p, size_t len, uint16_t id,
    struct probe_answer *pa)
{
	size_t off = 12, i, an;
	uint16_t type, rdlen;

	memset(pa, 0, sizeof(*pa));
	pa->rcode = -1;
	if (len < 12 || get16(p) != id || !(p[2] & 0x80))
		return -1;
	pa->rcode = p[3] & 0x0f;
	pa->ad = (p[3] & 0x20) != 0;
	pa->tc = (p[2] & 0x02) != 0;
	an = get16(p + 6);
	for (i = 0; i < get16(p + 4); i++)
		if (probe_skip_name(p, len, &off) == -1 || (off += 4) > len)
			return -1;
	for (i = 0; i < an; i++) {
		if (probe_skip_name(p, len, &off) == -1 || off + 10 > len)
			return -1;
		type = get16(p + off);
		rdlen = get16(p + off + 8);
		off += 10;
		if (off + rdlen > len)
			return -1;
		if (type == TYPE_TXT)
			probe_txt(p + off, rdlen, pa);
		pa->ancount++;
		off += rdlen;
	}
	return 0;
}

static unsigned char
probe_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

int
is_probe_answer_to(const unsigned char *p, size_t len, const unsigned char *q,
    size_t qlen)
{
	size_t o = 12, i;

	if (len < 12 || qlen < 12 || get16(p) != get16(q) || !(p[2] & 0x80) ||
	    get16(p + 4) != 1)
		return 0;
	/* Our name is uncompressed, so the reply's must be too: a pointer
	 * (0xc0) is never our label length (at most 63). */
	for (;;) {
		if (o >= len || o >= qlen || p[o] != q[o])
			return 0;
		if (q[o] == 0)
			break;
		if (o + 1 + q[o] > len || o + 1 + q[o] > qlen)
			return 0;
		for (i = o + 1; i <= o + q[o]; i++)
			if (probe_lower(p[i]) != probe_lower(q[i]))
				return 0;
		o += 1 + (size_t)q[o];
	}
	o++;
	return o + 4 <= len && o + 4 <= qlen && memcmp(p + o, q + o, 4) == 0;
}

/* Milliseconds left until deadline, or 0. */
static int
probe_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* Send q, wait for the matching reply until the deadline. */
static int
probe_exchange(int fd, const unsigned char *q, size_t qlen, uint16_t id,
    unsigned timeout_ms, struct probe_answer *pa)
{
	unsigned char buf[PROBE_BUF];
	struct timespec deadline;
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;
	int left;

	if (send(fd, q, qlen, 0) != (ssize_t)qlen)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	while ((left = probe_left(&deadline)) > 0) {
		if (poll(&pfd, 1, left) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), 0)) < 0)
			return -1;	/* ICMP refused, and the like */
		/* a reply to another question is dropped, not believed */
		if (is_probe_answer_to(buf, (size_t)n, q, qlen) &&
		    probe_parse(buf, (size_t)n, id, pa) == 0)
			return 0;
	}
	return -1;
}

int
probe_query(const char *addr, const char *name, uint16_t type, uint16_t cls,
    int cd, unsigned timeout_ms, struct probe_answer *pa)
{
	struct sockaddr_storage ss;
	unsigned char q[512];
	socklen_t sslen;
	uint16_t id;
	int fd, qlen, rc;

	memset(pa, 0, sizeof(*pa));
	pa->rcode = -1;
	if (probe_sockaddr(addr, &ss, &sslen) == -1 ||
	    getrandom(&id, sizeof(id), 0) != sizeof(id) ||
	    (qlen = probe_build(q, sizeof(q), id, name, type, cls, cd)) == -1)
		return -1;
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		close(fd);
		return -1;
	}
	rc = probe_exchange(fd, q, (size_t)qlen, id, timeout_ms, pa);
	close(fd);
	return rc;
}

/* Does the resolver validate? ". DNSKEY", then the signed name. */
static void
probe_validation(const struct config *c, const char *addr,
    struct probe_result *pr)
{
	struct probe_answer a;
	const char *names[2] = { ".", c->signed_name };
	uint16_t types[2] = { TYPE_DNSKEY, TYPE_A };
	int i;

	for (i = 0; i < 2; i++) {
		if (names[i][0] == '\0')
			continue;
		if (probe_query(addr, names[i], types[i], CLASS_IN, 0,
		    c->probe_timeout * 1000, &a) == -1) {
			if (!pr->reachable)
				return;
			continue;
		}
		pr->reachable = 1;
		/* A truncated answer says nothing of validation: a client
		 * would ask again over TCP (a root DNSKEY set during a
		 * revocation is over 1232 bytes). */
		if (a.tc && a.rcode == 0)
			continue;
		pr->checked[i] = 1;
		pr->rcode[i] = a.rcode;
		pr->ad[i] = a.ad;
		if (a.rcode == 2 && probe_query(addr, names[i], types[i],
		    CLASS_IN, 1, c->probe_timeout * 1000, &a) == 0)
			pr->cd_rcode[i] = a.rcode;
		else
			pr->cd_rcode[i] = -1;
	}
}

/* The RFC 8509 label for tag under domain: the key tag is five decimal
 * digits, zero-padded (section 2); "is-ta-85" is no sentinel for 00085. */
int
probe_sentinel_name(char *buf, size_t len, int is, uint16_t tag,
    const char *domain)
{
	int n;

	n = snprintf(buf, len, "root-key-sentinel-%s-ta-%05u.%s",
	    is ? "is" : "not", tag, domain);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * The verdict of one is-ta / not-ta pair.  The SERVFAIL that carries the
 * verdict is asked again: a passing SERVFAIL (the resolver re-priming its
 * anchor, say) must not read as a verdict, so an answer that changes is
 * taken as no answer.
 */
static enum sentinel_verdict
probe_sentinel_verdict(const struct config *c, const char *addr,
    uint16_t tag, int is, int nt)
{
	struct probe_answer again;
	char name[300];
	int trusted;

	if (!((is == 0 && nt == 2) || (is == 2 && nt == 0)))
		return SENTINEL_NO_ANSWER;
	trusted = is == 0;
	if (probe_sentinel_name(name, sizeof(name), !trusted, tag,
	    c->sentinel_domain) == -1 || probe_query(addr, name, TYPE_A, CLASS_IN, 0,
	    c->probe_timeout * 1000, &again) == -1 || again.rcode != 2)
		return SENTINEL_NO_ANSWER;
	return trusted ? SENTINEL_TRUSTED : SENTINEL_UNTRUSTED;
}

int
probe_sentinel_tag(const struct config *c, const char *addr, uint16_t tag,
    enum sentinel_verdict *v)
{
	struct probe_answer is, nt;
	char name[300];

	if (probe_sentinel_name(name, sizeof(name), 1, tag,
	    c->sentinel_domain) == -1 || probe_query(addr, name, TYPE_A,
	    CLASS_IN, 0, c->probe_timeout * 1000, &is) == -1)
		return -1;
	if (probe_sentinel_name(name, sizeof(name), 0, tag,
	    c->sentinel_domain) == -1 || probe_query(addr, name, TYPE_A,
	    CLASS_IN, 0, c->probe_timeout * 1000, &nt) == -1)
		return -1;
	*v = probe_sentinel_verdict(c, addr, tag, is.rcode, nt.rcode);
	return 0;
}

/* RFC 8509: which of the root's keys does the running daemon trust? */
static void
probe_sentinel(const struct config *c, const struct rootview *rv,
    const char *addr, struct probe_result *pr)
{
	enum sentinel_verdict v;
	size_t i;

	for (i = 0; i < rv->nkeys && pr->nsentinel < AW_RRSET_MAX; i++) {
		const struct dnskey *k = &rv->keys[i];

		if (!(k->flags & DNSKEY_F_SEP) || (k->flags & DNSKEY_F_REVOKE))
			continue;
		if (probe_sentinel_tag(c, addr, k->tag, &v) == -1)
			continue;
		pr->reachable = 1;
		pr->sentinel_tags[pr->nsentinel] = k->tag;
		pr->sentinel[pr->nsentinel++] = v;
	}
}

/* A daemon that tells its loaded anchors at a CH TXT name (unbound's
 * trustanchor.unbound): TXT ". 20326 38696". */
static void
probe_chaos_loaded(const struct config *c, const char *addr,
    const char *qname, struct resolver *r)
{
	struct probe_answer a;
	const char *p;
	char *end;
	unsigned long v;

	if (probe_query(addr, qname, TYPE_TXT, CLASS_CH, 0,
	    c->probe_timeout * 1000, &a) == -1 || a.rcode != 0 ||
	    strncmp(a.txt, ". ", 2) != 0)
		return;
	r->have_loaded = 1;
	r->nloaded = 0;
	snprintf(r->loaded_how, sizeof(r->loaded_how), "%s CH TXT", qname);
	for (p = a.txt + 2; *p != '\0' && r->nloaded < AW_RRSET_MAX; p = end) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		v = strtoul(p, &end, 10);
		if (v > 65535)
			break;
		r->loaded[r->nloaded++] = (uint16_t)v;
	}
}

/* The probes that need nothing of the root's answer: validation and, if
 * the resolver answered, the loaded anchors it lists at a CH TXT name. */
static void
probe_early(const struct config *c, const struct resolver_conf *rc,
    struct resolver *r)
{
	struct probe_result *pr = &r->probe;
	const struct reader *rd;

	memset(pr, 0, sizeof(*pr));
	if (rc->address[0] == '\0' || !c->probes)
		return;
	pr->done = 1;
	snprintf(pr->address, sizeof(pr->address), "%s", rc->address);
	probe_validation(c, rc->address, pr);
	if (!pr->reachable)
		return;		/* one time-out is enough to say so */
	if ((rd = reader_find(rc->type)) != NULL && rd->loaded_chaos != NULL)
		probe_chaos_loaded(c, rc->address, rd->loaded_chaos, r);
}

/* The probes that need rv (the key sentinel asks for the root's keys),
 * and a reader's loaded() hook, which may run a helper (rndc), not to be
 * bounded by root.timeout: after probe_early and the root query. */
static void
probe_late(const struct config *c, const struct resolver_conf *rc,
    const struct rootview *rv, struct resolver *r)
{
	struct probe_result *pr = &r->probe;
	char err[AW_ERR_MAX];
	const struct reader *rd;

	if (!pr->done || !pr->reachable)
		return;
	if (c->sentinel_domain[0] != '\0' && rv->is_secure)
		probe_sentinel(c, rv, rc->address, pr);
	if ((rd = reader_find(rc->type)) == NULL || rd->loaded_chaos != NULL)
		return;
	if (rd->loaded != NULL && rd->loaded(rc, r, err, sizeof(err)) == -1)
		r->have_loaded = 0;
}

void
probe_resolver(const struct config *c, const struct resolver_conf *rc,
    const struct rootview *rv, struct resolver *r)
{
	probe_early(c, rc, r);
	probe_late(c, rc, rv, r);
}

void
probe_ask(void *batch)
{
	struct probe_batch *b = batch;
	size_t i;

	for (i = 0; i < b->n; i++)
		probe_early(b->c, &b->c->resolvers[i], &b->rs[i]);
	b->asked = 1;
}

void
probe_finish(struct probe_batch *b, const struct rootview *rv)
{
	size_t i;

	if (!b->asked)
		probe_ask(b);
	for (i = 0; i < b->n; i++)
		probe_late(b->c, &b->c->resolvers[i], rv, &b->rs[i]);
}
