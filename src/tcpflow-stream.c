/*
 * tcpflow-stream.c: the bytes of one direction of a DNS over TCP
 * connection, in order, cut into messages (RFC 1035 section 4.2.2, RFC
 * 7766 section 8: a two-byte length before each message).  tcpflow.c
 * finds the flow of a segment; this file puts its bytes in order and
 * finds its messages.
 *
 * Order.  Bytes before the next one wanted (a retransmission) are
 * dropped: the first copy wins, so no message is delivered twice.
 * Segments ahead of a hole are copied and held, at most TCPFLOW_HELD_MAX
 * of them and TCPFLOW_WINDOW bytes, ending within TCPFLOW_WINDOW bytes of
 * the hole, for at most TCPFLOW_HOLE_US of capture time (a retransmission
 * comes within a few round trips; a segment the capture missed never
 * does).  Past any of these bounds, or when the flow ends, the hole is
 * given up: what was buffered before it is settled (below), and the flow
 * hunts from the first held byte.
 *
 * Boundaries.  After a SYN the stream starts with a length prefix and
 * every boundary after it is known: the flow is trusted, and takes each
 * length as it comes (0 is skipped; under 12, no room for a header, loses
 * the boundaries).  A flow first seen mid-stream, one after a hole given
 * up, and one that lost its boundaries hunts: it resynchronises on the
 * first byte position where a whole DNS message parses, with exactly one
 * question: a length, and a message of that length whose header says
 * QDCOUNT 1 and whose question and resource records (by the counts of
 * its header) parse to exactly its end.  Its names are labels of at most
 * 63 bytes, at most 255 bytes long, ending in the root label or in a
 * compression pointer to an earlier name.  Inside a message the odds that
 * another position parses so are slight; query bodies and the records of
 * responses were taken for boundaries by a weaker test.  A position whose
 * message is not all in yet is a candidate: the flow buffers from it
 * (never more than TCPFLOW_WINDOW bytes, as a length says at most 65535)
 * until it can be judged, and the positions after a failed candidate are
 * looked at in turn.  A candidate is judged again only when the bytes its
 * judgement stopped at are in; the messages behind it come once it is
 * judged, with the time of the segment that decided it.  When the flow
 * ends, or gives a hole up, a candidate still waiting is judged on what is
 * there (settled): it fails, and the messages whole behind it are still
 * found.
 *
 * Every byte taken is either part of a message delivered (or of an empty
 * one skipped) or counted unparsed: skipped by a hunt, a partial message
 * at a hole or at the end.  Bytes of a hole given up are counted missing.
 */
#include <stdlib.h>
#include <string.h>

#include "tcpflow-flow.h"

#define TF_BUF_KEEP 4096        /* message buffer kept between messages */
#define TF_MSG_MIN 17           /* header, the root name, type, class */

/* What a position judged by tf_judge is. */
enum { TF_NO, TF_YES, TF_MORE };

static inline size_t
tf_rd16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/* A message being judged: m[0..len), avail bytes of it at hand, and
 * when they are not enough, how many the next step wants. */
struct tf_msg {
	const uint8_t *m;
	size_t avail, len, want;
};

/*
 * Can n bytes be read at pos of the message?  1 yes; else 0 with *r:
 * TF_NO if the message cannot hold them, TF_MORE if more must come first
 * (w->want says how many).
 */
static int
tf_room(struct tf_msg *w, size_t pos, size_t n, int *r)
{
	if (pos + n <= w->avail)
		return 1;
	if (pos + n > w->len || w->avail == w->len) {
		*r = TF_NO;
		return 0;
	}
	w->want = pos + n;
	*r = TF_MORE;
	return 0;
}

/* Step over the name at *pos of the message: labels up to the root label
 * or a pointer to an earlier name (at 12 or after, before this one). */
static int
tf_name(struct tf_msg *w, size_t *pos)
{
	size_t start = *pos, total = 0, to;
	int r;

	for (;;) {
		if (!tf_room(w, *pos, 1, &r))
			return r;
		if (w->m[*pos] == 0) {
			(*pos)++;
			return TF_YES;
		}
		if ((w->m[*pos] & 0xc0) == 0xc0) {
			if (!tf_room(w, *pos, 2, &r))
				return r;
			to = tf_rd16(w->m + *pos) & 0x3fff;
			*pos += 2;
			return to >= 12 && to < start ? TF_YES : TF_NO;
		}
		if (w->m[*pos] & 0xc0)
			return TF_NO;
		total += 1 + (size_t)w->m[*pos];
		if (total > 254)
			return TF_NO;
		*pos += 1 + (size_t)w->m[*pos];
	}
}

/* The body of tf_judge: the header, the question, the records. */
static int
tf_parse(struct tf_msg *w)
{
	size_t pos = 12, nrr, i;
	int r;

	if (!tf_room(w, 0, 6, &r))
		return r;
	if (tf_rd16(w->m + 4) != 1)
		return TF_NO;
	if (!tf_room(w, 0, 12, &r))
		return r;
	/* each record takes 11 bytes at least, the question 5 */
	nrr = tf_rd16(w->m + 6) + tf_rd16(w->m + 8) + tf_rd16(w->m + 10);
	if (12 + 5 + 11 * nrr > w->len)
		return TF_NO;
	if ((r = tf_name(w, &pos)) != TF_YES)
		return r;
	pos += 4;
	for (i = 0; i < nrr; i++) {
		if ((r = tf_name(w, &pos)) != TF_YES)
			return r;
		if (!tf_room(w, pos, 10, &r))
			return r;
		pos += 10 + tf_rd16(w->m + pos + 8);
	}
	if (pos != w->len)
		return TF_NO;
	w->want = w->len;
	return w->avail == w->len ? TF_YES : TF_MORE;
}

/*
 * Is the position p, with have bytes from it at hand, the start of a
 * whole message (TF_YES), not one (TF_NO), or not yet known (TF_MORE,
 * never when final: the stream ends there)?  *need: the bytes from p
 * that a message takes (TF_YES), or that the next step of the judgement
 * wants (TF_MORE).
 */
static int
tf_judge(const uint8_t *p, size_t have, int final, size_t *need)
{
	struct tf_msg w;
	int r;

	*need = 2;
	if (have < 2)
		return final ? TF_NO : TF_MORE;
	w.m = p + 2;
	w.len = tf_rd16(p);
	w.avail = have - 2 < w.len ? have - 2 : w.len;
	w.want = w.len;
	if (w.len < TF_MSG_MIN)
		return TF_NO;
	r = tf_parse(&w);
	*need = 2 + (r == TF_YES ? w.len : w.want);
	return r == TF_MORE && final ? TF_NO : r;
}

static void
tf_deliver(const struct tf_ctx *c, struct tcpflow *f, const uint8_t *msg,
    size_t len)
{
	c->st->messages++;
	c->cb(c->arg, f->saddr, msg, len, c->ts_us);
}

/* Append n bytes to f's buffer (never over TCPFLOW_WINDOW). */
static void
tf_append(struct tcpflow *f, const uint8_t *p, size_t n)
{
	size_t need = (size_t)f->buflen + n, cap;

	if (n == 0)
		return;
	if (need > f->bufcap) {
		cap = f->bufcap ? f->bufcap : 128;
		while (cap < need)
			cap *= 2;
		if (cap > TCPFLOW_WINDOW)
			cap = TCPFLOW_WINDOW;
		f->buf = xreallocarray(f->buf, cap, 1);
		f->bufcap = (uint32_t)cap;
	}
	memcpy(f->buf + f->buflen, p, n);
	f->buflen += (uint32_t)n;
}

/* The buffer is empty: drop it if a long message grew it. */
static void
tf_trim(struct tcpflow *f)
{
	f->buflen = 0;
	if (f->bufcap > TF_BUF_KEEP) {
		free(f->buf);
		f->buf = NULL;
		f->bufcap = 0;
	}
}

static void
tf_hunt_start(const struct tf_ctx *c, struct tcpflow *f)
{
	f->state = TF_HUNT;
	c->st->hunts++;
}

/*
 * A trusted flow takes q[0..n): each message it completes is delivered,
 * straight from q when whole there, a partial one at the end buffered.
 * Returns the bytes taken: n, or fewer when a length under 12 lost the
 * boundaries (its first byte counted unparsed; the flow then hunts from
 * the next byte, which the caller gives it).
 */
static size_t
tf_trusted(const struct tf_ctx *c, struct tcpflow *f, const uint8_t *q,
    size_t n)
{
	size_t i = 0, len, want, k;

	while (i < n) {
		if (f->buflen == 0 && n - i >= 2) {
			len = tf_rd16(q + i);
			if (len != 0 && len < 12)
				goto lost;
			if (n - i >= 2 + len) {
				if (len > 0)
					tf_deliver(c, f, q + i + 2, len);
				i += 2 + len;
				continue;
			}
		}
		want = f->buflen < 2 ? 2 - f->buflen :
		    2 + tf_rd16(f->buf) - f->buflen;
		k = want < n - i ? want : n - i;
		tf_append(f, q + i, k);
		i += k;
		if (f->buflen < 2)
			continue;
		len = tf_rd16(f->buf);
		if (len != 0 && len < 12) {
			/* its first byte was buffered, its second is q[i - 1]:
			 * hunt from there */
			c->st->unparsed++;
			f->buflen = 0;
			tf_hunt_start(c, f);
			return i - 1;
		}
		if (f->buflen == 2 + len) {
			if (len > 0)
				tf_deliver(c, f, f->buf + 2, len);
			tf_trim(f);
		}
	}
	return n;
lost:
	c->st->unparsed++;
	tf_hunt_start(c, f);
	return i + 1;
}

/*
 * A hunting flow with nothing buffered looks at q[0..n) (final: the
 * stream ends there): at the first position where a whole message parses
 * it delivers it, trusts the flow and returns the bytes up to the
 * message's end; at a candidate not yet judged it buffers the rest.  The
 * bytes skipped are counted unparsed.
 */
static size_t
tf_hunt(const struct tf_ctx *c, struct tcpflow *f, const uint8_t *q,
    size_t n, int final)
{
	size_t i, need;

	for (i = 0; i < n; i++) {
		switch (tf_judge(q + i, n - i, final, &need)) {
		case TF_YES:
			c->st->unparsed += i;
			c->st->resyncs++;
			f->state = TF_TRUSTED;
			tf_deliver(c, f, q + i + 2, need - 2);
			return i + need;
		case TF_MORE:
			c->st->unparsed += i;
			tf_append(f, q + i, n - i);
			f->need = (uint32_t)need;
			return n;
		}
	}
	c->st->unparsed += n;
	return n;
}

/*
 * The candidate buffered at buf[0] of a hunting flow takes from q[0..n)
 * the bytes it needs (*took of them).  1: it was a message, delivered,
 * the flow trusted; -1: it was not (its first byte counted unparsed: the
 * rest of the buffer is to be looked at again); 0: it waits for more.
 */
static int
tf_candidate(const struct tf_ctx *c, struct tcpflow *f, const uint8_t *q,
    size_t n, int final, size_t *took)
{
	size_t want = f->need - f->buflen, need;
	int r;

	*took = want < n ? want : n;
	tf_append(f, q, *took);
	if (f->buflen < f->need && !final)
		return 0;
	r = tf_judge(f->buf, f->buflen, final, &need);
	if (r == TF_MORE) {
		f->need = (uint32_t)need;
		return 0;
	}
	if (r == TF_NO) {
		c->st->unparsed++;
		return -1;
	}
	c->st->resyncs++;
	f->state = TF_TRUSTED;
	tf_deliver(c, f, f->buf + 2, need - 2);
	tf_trim(f);
	return 1;
}

/*
 * The in-order bytes p[0..n) of f (next_seq already past them), or with
 * final (n == 0) the end of its stream: every message they complete is
 * delivered.  When a buffered candidate fails, the bytes buffered after
 * its first one are looked at again (own) before the rest of p; the
 * buffer is only ever filled as the last step on a piece, so own is never
 * given up twice.
 */
static void
tf_stream(const struct tf_ctx *c, struct tcpflow *f, const uint8_t *p,
    size_t n, int final)
{
	uint8_t *own = NULL;
	const uint8_t *q = p;
	size_t qn = n, k;

	for (;;) {
		if (qn == 0 && own != NULL) {
			free(own);
			own = NULL;
			q = p, qn = n;
			continue;
		}
		if (f->state == TF_HUNT && f->buflen > 0) {
			if (qn == 0 && !final)
				break;
			if (tf_candidate(c, f, q, qn, final, &k) == -1) {
				p = q + k, n = qn - k;
				own = f->buf;
				q = own + 1, qn = f->buflen - 1;
				f->buf = NULL;
				f->buflen = f->bufcap = 0;
			} else
				q += k, qn -= k;
			continue;
		}
		if (qn == 0)
			break;
		k = f->state == TF_HUNT ? tf_hunt(c, f, q, qn, final) :
		    tf_trusted(c, f, q, qn);
		q += k, qn -= k;
	}
}

/* The stream ends here for now (a hole, or its end): a waiting candidate
 * is judged on what is there, and a partial message counted unparsed. */
static void
tf_settle(const struct tf_ctx *c, struct tcpflow *f)
{
	static const uint8_t none[1];

	/* Not NULL: tf_stream steps its pointer by 0, undefined on NULL
	 * (clang's UBSan; found by fuzz_tcpflow). */
	tf_stream(c, f, none, 0, 1);
	c->st->unparsed += f->buflen;
	tf_trim(f);
}

/*
 * Copy and hold a segment that starts after next_seq.  0, or -1 when it is
 * beyond the bound: ending more than TCPFLOW_WINDOW bytes after next_seq,
 * or TCPFLOW_HELD_MAX segments or TCPFLOW_WINDOW bytes held already.
 */
static int
tf_hold(const struct tf_ctx *c, struct tcpflow *f, uint32_t seq,
    const uint8_t *p, size_t n)
{
	uint32_t off = seq - f->next_seq, hoff;
	size_t i;

	if (off > TCPFLOW_WINDOW || n > TCPFLOW_WINDOW - off ||
	    n > TCPFLOW_WINDOW - f->heldbytes || f->nheld >= TCPFLOW_HELD_MAX)
		return -1;
	for (i = 0; i < f->nheld; i++) {
		hoff = f->held[i].seq - f->next_seq;
		if (hoff > off)
			break;
		if (hoff + f->held[i].len >= off + n)
			return 0;       /* a copy of what is held */
	}
	if (f->nheld == 0)
		f->hole_us = c->ts_us;
	if (f->nheld == f->heldcap) {
		f->heldcap = f->heldcap ? f->heldcap * 2 : 4;
		f->held = xreallocarray(f->held, f->heldcap, sizeof(*f->held));
	}
	memmove(f->held + i + 1, f->held + i,
	    (f->nheld - i) * sizeof(*f->held));
	f->held[i].seq = seq;
	f->held[i].len = (uint32_t)n;
	f->held[i].data = xreallocarray(NULL, n, 1);
	memcpy(f->held[i].data, p, n);
	f->nheld++;
	f->heldbytes += (uint32_t)n;
	c->st->held++;
	return 0;
}

/* Take the held segments the stream has reached. */
static void
tf_stitch(const struct tf_ctx *c, struct tcpflow *f)
{
	struct tf_held h;
	uint32_t back;

	while (f->nheld > 0) {
		h = f->held[0];
		back = f->next_seq - h.seq;
		if ((int32_t)back < 0)
			break;
		f->nheld--;
		f->heldbytes -= h.len;
		memmove(f->held, f->held + 1, f->nheld * sizeof(*f->held));
		if (back < h.len) {
			f->next_seq = h.seq + h.len;
			tf_stream(c, f, h.data + back, h.len - back, 0);
		}
		free(h.data);
	}
}

/* Give the hole at next_seq up: what came before it is settled, its bytes
 * are missing, and the flow hunts from the first held segment, or from
 * seq if none. */
static void
tf_gap(const struct tf_ctx *c, struct tcpflow *f, uint32_t seq)
{
	uint32_t to = f->nheld > 0 ? f->held[0].seq : seq;

	tf_settle(c, f);
	c->st->gaps++;
	c->st->missing += (uint32_t)(to - f->next_seq);
	f->next_seq = to;
	tf_hunt_start(c, f);
	tf_stitch(c, f);
}

/* 1 if the hole of f has waited longer than TCPFLOW_HOLE_US at now. */
static int
is_tf_hole_old(const struct tcpflow *f, int64_t now)
{
	return f->nheld > 0 && now > f->hole_us &&
	    (uint64_t)now - (uint64_t)f->hole_us > (uint64_t)TCPFLOW_HOLE_US;
}

void
tcpflow_stream_data(const struct tf_ctx *c, struct tcpflow *f,
    uint32_t seq, const uint8_t *p, size_t n)
{
	uint32_t back;
	int i;

	if (is_tf_hole_old(f, c->ts_us))
		tf_gap(c, f, seq);
	for (i = 0; i < TCPFLOW_HELD_MAX + 2; i++) {
		back = f->next_seq - seq;
		if ((int32_t)back >= 0) {
			if (back >= n)
				return;
			f->next_seq = seq + (uint32_t)n;
			tf_stream(c, f, p + back, n - back, 0);
			tf_stitch(c, f);
			return;
		}
		if (tf_hold(c, f, seq, p, n) == 0)
			return;
		tf_gap(c, f, seq);
	}
}

void
tcpflow_stream_end(const struct tf_ctx *c, struct tcpflow *f,
    struct tcpflow_stats *st)
{
	size_t i;

	if (c != NULL) {
		while (f->nheld > 0)
			tf_gap(c, f, 0);
		tf_settle(c, f);
		if (f->has_fin && (int32_t)(f->fin_seq - f->next_seq) > 0) {
			c->st->gaps++;          /* a hole before the FIN */
			c->st->missing += f->fin_seq - f->next_seq;
		}
	}
	st->unparsed += (uint64_t)f->buflen + f->heldbytes;
	for (i = 0; i < f->nheld; i++)
		free(f->held[i].data);
	free(f->held);
	free(f->buf);
	f->held = NULL;
	f->buf = NULL;
	f->nheld = f->heldcap = 0;
	f->buflen = f->bufcap = f->heldbytes = 0;
}
