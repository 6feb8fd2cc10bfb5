/*
 * tcpflow-flow.h: what tcpflow.c (the table of flows: lookup, eviction,
 * expiry, SYN, FIN, RST) and tcpflow-stream.c (the bytes of one flow:
 * order, holes, message boundaries, resynchronisation) share.  tcpflow.c
 * calls tcpflow-stream.c, never the other way round.
 */
#ifndef TCPFLOW_FLOW_H
#define TCPFLOW_FLOW_H
#include "anchorwatch.h"

enum tf_state {
	TF_FREE = 0,        /* slot on the free list */
	TF_TRUSTED,         /* message boundaries known */
	TF_HUNT,            /* boundaries unknown: looking for a message */
	TF_CLOSED,          /* ended: a tombstone, no buffers */
};

struct tf_held {
	uint32_t seq, len;
	uint8_t *data;
};

/* One direction of a connection.  120 bytes. */
struct tcpflow {
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint8_t state;
	uint8_t has_isn, has_fin;
	uint8_t nheld, heldcap;
	uint32_t isn, next_seq, fin_seq;
	uint32_t prev, next;      /* in the open (LRU) or closed (FIFO) list */
	uint32_t hnext;           /* hash chain, or the free list */
	uint32_t buflen, bufcap;  /* trusted: a partial message, prefix and
	                           * all; hunting: bytes from a candidate on */
	uint32_t need;            /* hunting: bytes the candidate at buf[0]
	                           * needs to be judged */
	uint32_t heldbytes;
	int64_t last_us;          /* time of the flow's last segment */
	int64_t hole_us;          /* when the first segment after the hole
	                           * was held */
	uint8_t *buf;
	struct tf_held *held;     /* sorted by seq */
};

/* Where a flow's messages go, and the counters of its table. */
struct tf_ctx {
	struct tcpflow_stats *st;
	void (*cb)(void *, const uint8_t *, const uint8_t *, size_t, int64_t);
	void *arg;
	int64_t ts_us;
};

/*
 * The payload p[0..n) (n > 0) at seq of an open flow: old bytes dropped,
 * bytes at next_seq taken, bytes ahead held or, past the bounds (or held
 * longer than TCPFLOW_HOLE_US), the hole before them given up.
 */
void tcpflow_stream_data(const struct tf_ctx *c, struct tcpflow *f,
    uint32_t seq, const uint8_t *p, size_t n);
/*
 * The flow ends (FIN, RST, eviction, expiry, end of input): every hole
 * is given up and what is held is parsed for messages; then its buffers
 * are freed, the bytes in no message counted unparsed.  c NULL: freed
 * and counted only (st then gets the count).
 */
void tcpflow_stream_end(const struct tf_ctx *c, struct tcpflow *f,
    struct tcpflow_stats *st);

#endif /* TCPFLOW_FLOW_H */
