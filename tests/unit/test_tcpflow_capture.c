/*
 * test_tcpflow_capture.c: tcpflow.c on a real resolver's DNS over TCP,
 * tests/data/tcpflow/resolver-tcp.pcap (its README says how it was made:
 * unbound asking the harness root over one TCP connection, dig asking
 * unbound over another, the root's answers spanning segments).
 *
 * The oracle is this file's: the four streams put together from their
 * SYNs (the capture has no hole, copy or reordering: checked on loading)
 * and cut at every length prefix.  Then the capture is replayed
 *  - from every packet on (a capture started late);
 *  - from every byte of every data packet on, that packet's flow alone
 *    (a first segment that starts anywhere in a message);
 *  - without each data packet in turn (a segment never captured: a hole
 *    that never fills);
 * and each time tcpflow must deliver, flow by flow and in order, exactly
 * the messages that lie whole in what it was given after the first byte
 * it saw of each flow, and count every other byte as unparsed or missing.
 * Through traffic.c, the queries and messages counted at the end
 * (traffic_end) must be those too.
 */
#include "tcpflow.h"

#include <pcap/pcap.h>

#define CAP DATA("tcpflow/resolver-tcp.pcap")
#define PKT_MAX 512
#define FLOW_MAX 4
#define NONE ((size_t)-1)

struct pkt {
	uint8_t s[16], d[16];
	uint16_t sp, dp;
	uint32_t seq;
	uint8_t flags;
	uint8_t *pl, *frame;
	size_t len, framelen;
	int64_t ts;
	unsigned flow;
	size_t off;                /* of its first byte in its stream */
};

/* One flow of the capture, its messages, and what a replay expects. */
struct oflow {
	uint8_t s[16], d[16];
	uint16_t sp, dp;
	size_t syn;                /* packet index of its SYN */
	uint8_t b[65536];          /* the stream */
	size_t len;
	size_t moff[MSG_MAX], mlen[MSG_MAX], nmsg;
	/* a replay: messages at start or after, none cut by [hlo, hhi) */
	size_t start, hlo, hhi, next, got, gotbytes;
};

static struct pkt pk[PKT_MAX];
static size_t np;
static struct oflow of[FLOW_MAX];
static unsigned nf;
static unsigned bad;               /* messages not expected */

static unsigned
flow_of(const struct pkt *p)
{
	unsigned i;

	for (i = 0; i < nf; i++)
		if (of[i].sp == p->sp && of[i].dp == p->dp &&
		    memcmp(of[i].s, p->s, 16) == 0 &&
		    memcmp(of[i].d, p->d, 16) == 0)
			return i;
	assert_true(nf < FLOW_MAX);
	memcpy(of[nf].s, p->s, 16);
	memcpy(of[nf].d, p->d, 16);
	of[nf].sp = p->sp, of[nf].dp = p->dp;
	of[nf].syn = NONE;
	return nf++;
}

/* The IPv4 TCP segment of an Ethernet frame into p. */
static void
parse_frame(struct pkt *p, const uint8_t *fr, size_t n)
{
	size_t hl, tl, th;

	assert_true(n >= 14 + 20 + 20 && fr[12] == 8 && fr[13] == 0);
	fr += 14;
	hl = (size_t)(fr[0] & 15) * 4;
	tl = (size_t)fr[2] << 8 | fr[3];
	assert_int_equal(fr[9], 6);
	assert_true(tl <= n - 14);
	memset(p->s, 0, 16), memset(p->d, 0, 16);
	p->s[10] = p->s[11] = p->d[10] = p->d[11] = 0xff;
	memcpy(p->s + 12, fr + 12, 4);
	memcpy(p->d + 12, fr + 16, 4);
	fr += hl;
	p->sp = (uint16_t)(fr[0] << 8 | fr[1]);
	p->dp = (uint16_t)(fr[2] << 8 | fr[3]);
	p->seq = (uint32_t)fr[4] << 24 | (uint32_t)fr[5] << 16 |
	    (uint32_t)fr[6] << 8 | fr[7];
	p->flags = fr[13];
	th = (size_t)(fr[12] >> 4) * 4;
	p->len = tl - hl - th;
	p->pl = malloc(p->len ? p->len : 1);
	assert_non_null(p->pl);
	memcpy(p->pl, fr + th, p->len);
}

/* Put stream bytes of packet i in place; the capture holds each byte
 * once, in order. */
static void
place(size_t i)
{
	struct pkt *p = &pk[i];
	struct oflow *f = &of[p->flow];
	uint32_t isn = pk[f->syn].seq;

	if (p->flags & TCPFLOW_SYN) {
		assert_int_equal(p->len, 0);
		return;
	}
	if (p->len == 0)
		return;
	assert_true(f->syn != NONE && f->syn < i);
	p->off = p->seq - isn - 1;
	assert_int_equal(p->off, f->len);
	assert_true(f->len + p->len <= sizeof(f->b));
	memcpy(f->b + f->len, p->pl, p->len);
	f->len += p->len;
}

static int
load(void **state)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct oflow *f;
	pcap_t *pc;
	size_t o;

	if ((pc = pcap_open_offline(CAP, ebuf)) == NULL)
		fail_msg("%s", ebuf);
	assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		assert_true(np < PKT_MAX && h->caplen == h->len);
		parse_frame(&pk[np], data, h->caplen);
		pk[np].frame = malloc(h->caplen);
		assert_non_null(pk[np].frame);
		memcpy(pk[np].frame, data, h->caplen);
		pk[np].framelen = h->caplen;
		pk[np].ts = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
		pk[np].flow = flow_of(&pk[np]);
		if (pk[np].flags & TCPFLOW_SYN)
			of[pk[np].flow].syn = np;
		place(np++);
	}
	pcap_close(pc);
	assert_int_equal(nf, 4);
	for (f = of; f < of + nf; f++) {
		for (o = 0; o + 2 <= f->len; o += 2 + f->mlen[f->nmsg++]) {
			assert_true(f->nmsg < MSG_MAX);
			f->moff[f->nmsg] = o;
			f->mlen[f->nmsg] = (size_t)f->b[o] << 8 | f->b[o + 1];
		}
		assert_int_equal(o, f->len);
		assert_true(f->nmsg >= 40);
	}
	return 0;
}

static int
unload(void **state)
{
	size_t i;

	for (i = 0; i < np; i++)
		free(pk[i].pl), free(pk[i].frame);
	return 0;
}

/* Is message j of f one a replay must deliver? */
static int
is_expected(const struct oflow *f, size_t j)
{
	size_t a = f->moff[j], b = a + 2 + f->mlen[j];

	return f->start != NONE && a >= f->start && (b <= f->hlo ||
	    a >= f->hhi);
}

static void
expect_none(void)
{
	unsigned i;

	for (i = 0; i < nf; i++) {
		of[i].start = NONE;
		of[i].hlo = of[i].hhi = 0;
		of[i].next = of[i].got = of[i].gotbytes = 0;
	}
	bad = 0;
}

/* Flow i from its start as packets first.. give it (skip bytes of the
 * first one): from its SYN if they hold it, else from the first byte. */
static void
expect_from(unsigned i, size_t first, size_t skip)
{
	struct oflow *f = &of[i];
	size_t k;

	if (f->syn >= first) {
		f->start = 0;
		return;
	}
	for (k = first; k < np; k++)
		if (pk[k].flow == i && pk[k].len > skip) {
			f->start = pk[k].off + skip;
			return;
		}
}

/* The next message of f expected, or NONE. */
static size_t
next_expected(struct oflow *f)
{
	while (f->next < f->nmsg && !is_expected(f, f->next))
		f->next++;
	return f->next < f->nmsg ? f->next : NONE;
}

/* A message delivered: the next one expected of a flow from saddr. */
static void
check_cb(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t len, int64_t ts)
{
	struct oflow *f;
	size_t j;

	for (f = of; f < of + nf; f++) {
		if (memcmp(f->s, saddr, 16) != 0 ||
		    (j = next_expected(f)) == NONE || f->mlen[j] != len ||
		    memcmp(f->b + f->moff[j] + 2, msg, len) != 0)
			continue;
		f->next++, f->got++;
		f->gotbytes += 2 + len;
		return;
	}
	bad++;
}

/* After a replay: every message expected came, nothing else did. */
static void
check_got(const char *what, size_t k, size_t o)
{
	struct oflow *f;

	if (bad > 0)
		fail_msg("%s %zu+%zu: %u messages not expected", what, k, o,
		    bad);
	for (f = of; f < of + nf; f++)
		if (next_expected(f) != NONE)
			fail_msg("%s %zu+%zu: flow %u: message %zu of %zu "
			    "missing (%zu got)", what, k, o, (unsigned)(f - of),
			    f->next, f->nmsg, f->got);
}

/* Replay packets first.. (skip bytes of the first; all flows, or the
 * first's alone), without packet drop, then the end of the input.  The
 * bytes given that are in no message delivered must be unparsed. */
static struct tcpflow_stats
replay(size_t first, size_t skip, size_t drop, int alone)
{
	struct tcpflow_table *ft = tcpflow_new(alone ? 2 : 8);
	struct tcpflow_stats s;
	uint64_t given = 0, gotb = 0, ngot = 0;
	size_t i, o;
	struct pkt *p;

	for (i = first; i < np; i++) {
		p = &pk[i];
		if (i == drop || (alone && p->flow != pk[first].flow))
			continue;
		o = i == first ? skip : 0;
		given += p->len - o;
		assert_int_equal(tcpflow_segment(ft, p->s, p->sp, p->d, p->dp,
		    p->seq + (uint32_t)o, p->flags, p->pl + o, p->len - o,
		    p->ts, check_cb, NULL), 0);
	}
	tcpflow_flush(ft, check_cb, NULL);
	tcpflow_stats(ft, &s);
	tcpflow_free(ft);
	for (i = 0; i < nf; i++)
		gotb += of[i].gotbytes, ngot += of[i].got;
	assert_int_equal(s.messages, bad + ngot);
	if (bad == 0)
		assert_int_equal(s.unparsed, given - gotb);
	assert_int_equal(s.open, 0);
	return s;
}

/* The capture from each packet on: every flow whose SYN is gone is
 * taken up where its first segment starts, often inside a message. */
static void
test_every_packet(void **state)
{
	struct tcpflow_stats s;
	size_t k, nhunt = 0;
	unsigned i;

	for (k = 0; k < np; k++) {
		expect_none();
		for (i = 0; i < nf; i++)
			expect_from(i, k, 0);
		s = replay(k, 0, NONE, 0);
		check_got("from packet", k, 0);
		assert_int_equal(s.gaps, 0);
		nhunt += s.hunts > 0;
	}
	assert_true(nhunt > np / 2);
}

/* The capture from every byte of every data packet on, that packet's
 * flow alone: it hunts once, and finds the first whole message after. */
static void
test_every_byte(void **state)
{
	struct tcpflow_stats s;
	size_t k, o, ncuts = 0, nres = 0;

	for (k = 0; k < np; k++) {
		for (o = 0; o < pk[k].len; o++) {
			expect_none();
			expect_from(pk[k].flow, k, o);
			s = replay(k, o, NONE, 1);
			check_got("from byte", k, o);
			assert_int_equal(s.hunts, 1);
			assert_int_equal(s.resyncs, of[pk[k].flow].got > 0);
			ncuts++, nres += s.resyncs;
		}
	}
	print_message("%zu cuts, %zu resynchronised\n", ncuts, nres);
	assert_true(ncuts > 50000);
}

/* The capture without one data packet: the hole never fills; the flow
 * gives it up at the end of the input at the latest, and delivers every
 * message it does not cut, before it and after it. */
static void
test_every_hole(void **state)
{
	struct tcpflow_stats s;
	size_t d, nholes = 0;
	unsigned i;

	for (d = 0; d < np; d++) {
		if (pk[d].len == 0)
			continue;
		expect_none();
		for (i = 0; i < nf; i++)
			expect_from(i, 0, 0);
		of[pk[d].flow].hlo = pk[d].off;
		of[pk[d].flow].hhi = pk[d].off + pk[d].len;
		s = replay(0, 0, d, 0);
		check_got("without packet", d, 0);
		assert_int_equal(s.missing, pk[d].len);
		assert_int_equal(s.gaps, 1);
		nholes++;
	}
	assert_true(nholes > 200);
}

/* Through traffic.c: the frames from each packet on, and without each
 * data packet, count the queries and messages expected. */
static void
test_traffic_counts(void **state)
{
	struct traffic t;
	size_t k, j, q, m, mode;
	unsigned i;

	for (mode = 0; mode < 2; mode++) {
		for (k = 0; k < np; k++) {
			if (mode == 1 && pk[k].len == 0)
				continue;
			expect_none();
			for (i = 0; i < nf; i++)
				expect_from(i, mode ? 0 : k, 0);
			if (mode == 1) {
				of[pk[k].flow].hlo = pk[k].off;
				of[pk[k].flow].hhi = pk[k].off + pk[k].len;
			}
			for (i = 0, q = m = 0; i < nf; i++)
				for (j = 0; j < of[i].nmsg; j++) {
					if (!is_expected(&of[i], j))
						continue;
					m++;
					q += (of[i].b[of[i].moff[j] + 4] & 0x80)
					    == 0;
				}
			assert_int_equal(traffic_init(&t), 0);
			for (j = mode ? 0 : k; j < np; j++)
				if (mode == 0 || j != k)
					traffic_packet(&t, DLT_EN10MB,
					    pk[j].frame, pk[j].framelen,
					    pk[j].framelen, pk[j].ts);
			traffic_end(&t);
			assert_null(t.flows);
			assert_int_equal(t.queries, q);
			assert_int_equal(t.tcp_messages, m);
			assert_int_equal(t.responses, m - q);
			assert_int_equal(t.malformed, 0);
			traffic_free(&t);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_packet),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_every_hole),
		cmocka_unit_test(test_traffic_counts),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
