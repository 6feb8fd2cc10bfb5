/*
 * aw-probe.h: asking the running resolvers (probe.c), and what check and
 * run measured of the local DNSKEY rate.
 * Part of anchorwatch.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 */
#ifndef AW_AW_PROBE_H
#define AW_AW_PROBE_H

/* ---- probe.c: asking the running resolver ----------------------------- */

struct probe_answer {
	int rcode;                    /* -1: no (valid) answer */
	int ad;
	int tc;
	unsigned ancount;
	char txt[512];                /* TXT strings, space-separated */
};

struct sockaddr_storage;
/* "ip[@port]" into a socket address; -1 if malformed. */
int probe_sockaddr(const char *addr, struct sockaddr_storage *ss,
    socklen_t *len);
/* One question over UDP with RD, EDNS0 DO and optionally CD. */
int probe_query(const char *addr, const char *name, uint16_t type,
    uint16_t cls, int cd, unsigned timeout_ms, struct probe_answer *pa);
/* 1 if the reply p[0..len) answers the query q[0..qlen): its ID, QR,
 * and the one question (name without case, type, class); else 0. */
int is_probe_answer_to(const unsigned char *p, size_t len,
    const unsigned char *q, size_t qlen);
/* Parse a reply to query id (untrusted input). */
int probe_parse(const unsigned char *p, size_t len, uint16_t id,
    struct probe_answer *pa);
/* The RFC 8509 sentinel name (is-ta if is, else not-ta) for tag. */
int probe_sentinel_name(char *buf, size_t len, int is, uint16_t tag,
    const char *domain);
/* RFC 8509: ask the resolver at addr whether it trusts key tag (is-ta and
 * not-ta under probes.sentinel_domain) into *v.  0, or -1 when it did
 * not answer both names. */
int probe_sentinel_tag(const struct config *c, const char *addr,
    uint16_t tag, enum sentinel_verdict *v);
/* Run every probe for one resolver into r->probe and r->loaded. */
void probe_resolver(const struct config *c, const struct resolver_conf *rc,
    const struct rootview *rv, struct resolver *r);
/* The probes of c's resolvers (rs[i] for c->resolvers[i]), in two steps
 * so that most run while the root query is in flight: probe_ask (query
 * _root's during) asks what needs no root answer (validation, CH TXT of
 * loaded anchors); probe_finish asks those too if probe_ask did not run,
 * then what needs rv (the key sentinel), and runs the readers' loaded()
 * hooks.  The results are probe_resolver's for each resolver. */
struct probe_batch {
	const struct config *c;
	struct resolver *rs;
	size_t n;
	int asked;
};
void probe_ask(void *batch);
void probe_finish(struct probe_batch *b, const struct rootview *rv);

/* ---- remote.c: -H ADDRESS[@PORT], a resolver known from its answers -- */

struct run;
struct report;
/* 0 if arg is an IPv4 or IPv6 address, optionally @PORT (1 to 65535),
 * shorter than AW_NAME_MAX; else -1 with a one-line err. */
int remote_parse(const char *arg, char *err, size_t errlen);
/* -H given: the configuration's resolvers are neither read nor
 * discovered, this host's traffic is not listened to, probes are on. */
void remote_config(struct config *c);
/* Ask the resolver at addr (remote_parse accepted it) and judge its
 * answers against rv: it becomes run's one resolver (the empty list of
 * remote_config's configuration is freed), its findings go to run->rep. */
void remote_check(struct run *run, const struct rootview *rv,
    const char *addr);
/* Pure: findings from r->probe against rv (and rv->cal, if set) at now;
 * sets r->answers, r->ntrusted (-1: not known). */
void remote_detect(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, long long now);

/* What check and run measured of the local DNSKEY rate (traffic:). */
struct storm {
	int measured;                 /* 0: not configured or not run */
	char why[AW_ERR_MAX];         /* why it could not listen, or "" */
	unsigned seconds;             /* listened */
	char source[64];              /* the busiest root DNSKEY asker */
	uint32_t count;               /* its root DNSKEY queries */
	double rate;                  /* per minute; 0 below STORM_MIN */
};

#define STORM_MIN 2     /* one query in a short window is no storm */

#endif /* AW_AW_PROBE_H */
