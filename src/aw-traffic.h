/*
 * aw-traffic.h: traffic: captures, dnstap, TCP reassembly, counts and
 * reports.
 * Part of anchorwatch.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 */
#ifndef AW_AW_TRAFFIC_H
#define AW_AW_TRAFFIC_H

/* ---- traffic.c: DNS queries in captures (RFC 8145 key tag signals) ---- */

#define TRAFFIC_TAGS_MAX 4          /* distinct root key tags per source */
#define TRAFFIC_TRUSTED_MAX 16
#define TRAFFIC_SOURCES_MAX (1u << 24)  /* beyond: counted as dropped */

/* One source address; IPv4 is kept v4-mapped.  64 bytes: one cache line. */
struct traffic_src {
	uint8_t addr[16];
	uint8_t used;
	uint8_t ntags;               /* root key tags signalled, distinct */
	uint16_t tags[TRAFFIC_TAGS_MAX];
	uint32_t dnskey_root;        /* DNSKEY ? . */
	uint32_t dnskey_tld;         /* DNSKEY ? one-label name */
	uint32_t dnskey_other;
	uint32_t ds_tld;             /* DS ? one-label name (asked of the root) */
	uint32_t ds_other;
	uint32_t signals;            /* _ta- names and edns-key-tag options */
	uint64_t queries;
};

/* A parsed query waiting for its table entry, which was prefetched when
 * the query was parsed (traffic.c: a lookup is nearly always a cache miss
 * once the table outgrows the caches). */
struct tcpflow_table;

#define TRAFFIC_ZONE_NAME_MAX 64     /* wire bytes of a zone named */
#define TRAFFIC_ZONES_MAX 65536      /* zones named; beyond, counted */

/* DNSKEY and DS queries for one zone (traffic-zones.c).  76 bytes. */
struct traffic_zone {
	uint8_t name[TRAFFIC_ZONE_NAME_MAX];  /* wire form, lower case */
	uint8_t len;
	uint8_t used;
	uint32_t dnskey, ds;
};

struct traffic_zones {
	struct traffic_zone *tab;    /* open addressing, linear probing */
	size_t cap, n;
	uint64_t unnamed;            /* long names, names past the limit */
};

struct traffic_pending {
	uint8_t addr[16];
	uint64_t hash;
	struct traffic_src *cand;    /* its entry, maybe (prefetched) */
	uint8_t kind;                /* T_K_* of traffic.c */
	uint8_t signal;
	uint8_t ntags;
	uint16_t tags[TRAFFIC_TAGS_MAX];
};

#define TRAFFIC_TCP_FLOWS 4096      /* TCP streams reassembled at once */
#define TRAFFIC_RING 16              /* queries between prefetch and use */
#define TRAFFIC_ENCAP_MAX 8          /* tunnel headers (and reassemblies)
                                      * in one frame; deeper: malformed */

/* IP fragment reassembly (traffic-frag.c): what is held at once, and for
 * how long by the capture's clock (RFC 1122 3.3.2, RFC 8200 4.5). */
#define TRAFFIC_FRAG_DATAGRAMS 1024  /* datagrams in reassembly */
#define TRAFFIC_FRAG_BYTES ((size_t)4 << 20) /* their memory, all told */
#define TRAFFIC_FRAG_PIECES 64       /* fragments of one datagram */
#define TRAFFIC_FRAG_TIMEOUT_US (60 * 1000000LL)

struct traffic_frags;

/* What became of IP fragments (counted per datagram but fragments). */
struct traffic_frag_stats {
	uint64_t fragments;          /* fragments taken into reassembly */
	uint64_t reassembled;        /* datagrams made whole */
	uint64_t overlaps;           /* refused: overlapping or contradicting
	                              * fragments (RFC 5722) */
	uint64_t expired;            /* incomplete after the time-out */
	uint64_t evicted;            /* dropped at a cap of memory */
};

/*
 * The sources (traffic-table.c): entries in chunks of TRAFFIC_CHUNK that
 * never move once made, found through an index of 8-byte slots (open
 * addressing, linear probing): entry number + 1 in the low 32 bits (0: an
 * empty slot), the high 32 bits of the address's hash in the high ones.
 * Only the index is rebuilt when it grows, so the peak memory of a growth
 * is the entries (64 bytes a source) and the old and new index.
 */
#define TRAFFIC_CHUNK 1024            /* entries a chunk (64 KiB) */
#define TRAFFIC_CHUNK_BLOCK 32        /* chunks of a 2 MiB block, once
                                       * TRAFFIC_CHUNK_BLOCK are made */

struct traffic {
	struct traffic_src **chunk;  /* entry i: chunk[i / TRAFFIC_CHUNK] */
	size_t nchunks, chunkcap;    /* chunks made, room in chunk[] */
	uint64_t *index;
	size_t cap, n;               /* cap: index slots, a power of two;
	                              * n: sources (entries 0..n-1) */
	size_t bytes, peak_bytes;    /* the table's memory, now and at most */
	uint64_t packets, queries, responses, tcp_segments, malformed, other;
	/* DNS over TCP, from the flows at traffic_end (and counts files) */
	uint64_t tcp_messages;       /* messages reassembled */
	uint64_t tcp_resyncs;        /* message boundaries found again */
	uint64_t tcp_holes;          /* holes given up on */
	uint64_t tcp_unparsed;       /* bytes in no message */
	uint64_t dropped;            /* queries from sources beyond the cap */
	int64_t first_us, last_us;   /* span of the DNS queries seen */
	int64_t now_us;              /* time of the packet being parsed */
	int64_t span_us;             /* listening time of a live capture */
	int64_t since_us;            /* live dnstap: queries asked before this
	                              * (queued by the writer) are old */
	uint64_t old;                /* and so not counted */
	int live_dlt;                /* link type of the live capture */
	int truncated;               /* a file ended inside a packet */
	/* The frame being parsed: tunnel headers crossed, cut short by the
	 * snapshot length (captured < original length). */
	unsigned depth;
	int cut;
	int tunnel;                  /* the frame crossed a tunnel header */
	int clamped;                 /* an IP or UDP length ran past the cut */
	uint64_t encapsulated;       /* frames inside at least one tunnel */
	uint64_t snapped;            /* frames cut by the snapshot length */
	uint64_t snapped_lost;       /* of them: cut before what was needed
	                              * (the end of a DNS question) */
	uint64_t edns_malformed;     /* queries counted whose records after
	                              * the question (EDNS) are malformed */
	struct traffic_frag_stats frag;
	struct traffic_frags *frags; /* IP reassembly, made on first use */
	struct tcpflow_table *flows; /* DNS over TCP, made on first use */
	struct traffic_zones zones;  /* DNSKEY and DS queries by zone */
	struct traffic_pending ring[TRAFFIC_RING];
	unsigned rhead, rn;          /* oldest pending query, how many */
};

enum traffic_format { TRAFFIC_TEXT, TRAFFIC_CSV, TRAFFIC_JSON };

#define TRAFFIC_SIGNERS_MAX 8        /* distinct signing sets in a span */

/* Keys that sign the root, from a time within a capture's span on. */
struct traffic_signers {
	long long from;              /* epoch seconds; 0: --trusted-tags */
	uint16_t tags[TRAFFIC_TRUSTED_MAX];
	size_t n;
};

struct traffic_opts {
	double dnskey_rate;          /* root DNSKEY per minute: STORMING at */
	int rate_given;              /* --dnskey-rate (else traffic.warn_rate) */
	/* The root's signers over the capture (traffic-signers.c), or the
	 * one set of --trusted-tags: a source that signals tags but none of
	 * one of these sets is SIGNALLING_STALE.  None: not judged. */
	struct traffic_signers signers[TRAFFIC_SIGNERS_MAX];
	size_t nsigners;
	const char *signers_by;      /* "trusted-tags", "calendar", "history",
	                              * "calendar+history", or NULL: none */
	char calendar[AW_PATH_MAX];  /* the calendar read, "" if none */
	const char *config;          /* -c FILE, or NULL */
	enum traffic_format format;
	size_t top;                  /* rows of the readable list */
	double ds_share;             /* validator heuristic threshold */
	int merge;                   /* inputs must be counts files */
	const char *baseline;        /* a capture or counts file, or NULL */
	struct traffic *base;        /* its counts, or NULL */
	const char *socket;          /* dnstap socket to listen on, or NULL */
	const char *iface;           /* interface to capture on, or NULL */
	unsigned seconds;            /* how long to listen */
	unsigned timeout;            /* -t: the whole run, 0: unbounded */
};

int traffic_init(struct traffic *t);
void traffic_free(struct traffic *t);
/* Count one captured frame of link type dlt (pcap DLT_*) of which len
 * bytes of wirelen were captured; untrusted. */
void traffic_packet(struct traffic *t, int dlt, const uint8_t *p,
    size_t len, size_t wirelen, int64_t ts_us);
/* One DNS message (query or response) sent by addr (IPv4 v4-mapped) at
 * ts_us, from a source without link and IP layers (dnstap, a reassembled
 * TCP stream); untrusted.  A malformed message is counted as such. */
void traffic_message(struct traffic *t, const uint8_t addr[16],
    const uint8_t *msg, size_t len, int64_t ts_us);
/* The two halves of the address, multiplied and folded (a murmur3-style
 * finalizer): cheap, and mixes every input bit into the low bits the
 * index mask keeps and the high ones its slots keep. */
static inline uint64_t
traffic_hash2(uint64_t a, uint64_t b)
{
	uint64_t h;

	h = a * 0x9e3779b97f4a7c15ULL ^ b;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}
/* The same of an address: its two halves as the host reads them. */
static inline uint64_t
traffic_hash(const uint8_t addr[16])
{
	uint64_t a, b;

	memcpy(&a, addr, 8);
	memcpy(&b, addr + 8, 8);
	return traffic_hash2(a, b);
}
/* Entry i (< t->n) of the sources, in the order they were made. */
static inline struct traffic_src *
traffic_nth(const struct traffic *t, size_t i)
{
	return &t->chunk[i / TRAFFIC_CHUNK][i % TRAFFIC_CHUNK];
}
/* The entry of addr, made if new (NULL past the source limit). */
struct traffic_src *traffic_entry(struct traffic *t, const uint8_t addr[16]);
/* Add a signalled root tag to s once, at most TRAFFIC_TAGS_MAX (inline:
 * it is on the per-query path). */
static inline void
traffic_add_tag(struct traffic_src *s, uint16_t tag)
{
	size_t i;

	for (i = 0; i < s->ntags; i++)
		if (s->tags[i] == tag)
			return;
	if (s->ntags < TRAFFIC_TAGS_MAX)
		s->tags[s->ntags++] = tag;
}
/* Count the queries still pending; every reader calls it at its end. */
void traffic_flush(struct traffic *t);
/* The end of all input: the TCP flows end (tcpflow_flush: a message
 * whole in what they hold counts), their counters go to t, the pending
 * queries are counted.  Before a report; t stays readable. */
void traffic_end(struct traffic *t);
/* The entry of addr, or NULL (pending queries are counted first). */
struct traffic_src *traffic_lookup(struct traffic *t, const uint8_t addr[16]);

/* a + b, stopping at UINT64_MAX (counts files added up). */
static inline uint64_t
traffic_add64(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* a + b, stopping at UINT32_MAX (counts added up from files and zones). */
static inline uint32_t
traffic_add32(uint32_t a, uint64_t b)
{
	return b > UINT32_MAX - (uint64_t)a ? UINT32_MAX : (uint32_t)(a + b);
}

/* ---- traffic-table.c: the table of sources ----------------------------- */

/* The empty table, its index of initial size; -1 if out of memory. */
int traffic_table_init(struct traffic *t);
void traffic_table_free(struct traffic *t);
/* The index doubled, rebuilt from the entries; -1 (and the index kept)
 * if out of memory. */
int traffic_table_grow(struct traffic *t);
/* A new, zeroed entry for addr (hash h), numbered t->n, put in the
 * index at its empty slot (traffic.c found it); NULL if out of memory. */
struct traffic_src *traffic_table_add(struct traffic *t,
    const uint8_t addr[16], uint64_t h, size_t slot);

/* ---- traffic-encap.c: tunnels and stacks around IP --------------------- */

#define TRAFFIC_INNER_ETHERNET 0     /* inner.et of an Ethernet frame */

/* What a tunnel header carries: p[off..off + len), of ethertype et. */
struct traffic_inner {
	size_t off, len;
	uint16_t et;                 /* or TRAFFIC_INNER_ETHERNET */
};

/*
 * The decoders of one header at p[0..len) (untrusted; cut: the frame was
 * cut by the snapshot length, so a length past its end is the cut).
 * Each returns 1 with *in set, 0 when it is not a header read here (the
 * frame is other), -1 when it is malformed.
 */
/* Ethertype et that is not IP: MPLS, PPPoE sessions, Ethernet (0x6558). */
int traffic_encap_ether(uint16_t et, const uint8_t *p, size_t len, int cut,
    struct traffic_inner *in);
/* IP protocol proto that is not UDP or TCP: GRE (and ERSPAN in it), IPv4
 * and IPv6 in IP. */
int traffic_encap_ip(int proto, const uint8_t *p, size_t len,
    struct traffic_inner *in);
/* A UDP payload to dport: VXLAN (4789), Geneve (6081). */
int traffic_encap_udp(uint16_t dport, const uint8_t *p, size_t len,
    struct traffic_inner *in);

/* ---- traffic-frag.c: IPv4 and IPv6 fragments reassembled --------------- */

/*
 * The IPv4 fragment p[0..len) (len: its total length; hl its header's), or
 * the IPv6 fragment header at p[0..len) and what follows it, of a packet
 * from src to dst (16 bytes each), at t->now_us.  Returns 1 with the whole
 * payload in *out (malloc'd: the caller frees it) and its length in
 * *outlen, 0 when held (or dropped: counted in t->frag), -1 if malformed.
 */
int traffic_frag_ip4(struct traffic *t, const uint8_t *p, size_t hl,
    size_t len, uint8_t **out, size_t *outlen);
int traffic_frag_ip6(struct traffic *t, const uint8_t *src,
    const uint8_t *dst, const uint8_t *p, size_t len, uint8_t **out,
    size_t *outlen);
/* Datagrams still held, incomplete (not those refused). */
size_t traffic_frag_held(const struct traffic *t);
void traffic_frag_free(struct traffic_frags *f);

/* ---- traffic-report.c: verdicts, the readable and JSON reports -------- */

/* Root DNSKEY queries per minute over the capture span (at least 60 s). */
double traffic_dnskey_rate(const struct traffic *t,
    const struct traffic_src *s);
int is_traffic_storming(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o);
int is_traffic_stale(const struct traffic_src *s,
    const struct traffic_opts *o);
/* Either of the two. */
int is_traffic_flagged(const struct traffic *t, const struct traffic_src *s,
    const struct traffic_opts *o);
/* "STORMING", "SIGNALLING_STALE", both joined by "+", or "ok". */
const char *traffic_verdict(const struct traffic *t,
    const struct traffic_src *s, const struct traffic_opts *o);
/* The share of s's queries that asked the DS of a TLD. */
double traffic_ds_share(const struct traffic_src *s);
/* The validator heuristic: "yes", "no" or "?" (too few queries). */
const char *traffic_validating(const struct traffic_src *s,
    const struct traffic_opts *o);
/* The used entries of t, most root DNSKEY queries first; caller frees. */
struct traffic_src **traffic_sorted(struct traffic *t);
/*
 * A source's place in that order, most root DNSKEY queries first, then
 * most queries, then address, as integers compared in a row: sorting
 * pointers into the table followed one, a cache miss, at every
 * comparison (6% of a run over 183,501 sources).  32 bytes.
 */
struct traffic_key {
	uint64_t queries;             /* inverted: most first */
	uint64_t a0, a1;              /* the address, big-endian halves */
	uint32_t dnskey_root;         /* inverted */
	uint32_t i;                   /* the entry */
};
/* Sort k[0..n) in that order: introsort, heapsort past depth levels of
 * quicksort (traffic_sorted gives 2 log2 n). */
void traffic_keys_sort(struct traffic_key *k, size_t n, unsigned depth);
/* The address of s, as text. */
void traffic_source_name(const struct traffic_src *s, char *buf, size_t len);
/* The root key tags s signalled, "20326 38696", or "-". */
void traffic_tags(const struct traffic_src *s, char *buf, size_t len);
void traffic_print(struct traffic *t, const struct traffic_opts *o,
    FILE *out);
void traffic_json(struct traffic *t, const struct traffic_opts *o,
    FILE *out);

/* ---- traffic-counts.c: the counts file (--csv), written and read ------ */

void traffic_csv(struct traffic *t, const struct traffic_opts *o,
    FILE *out);
/* 1 if path starts as a counts file (traffic --csv). */
int is_traffic_counts_file(const char *path);
/* Add the counts file path to t; -1 with "FILE:LINE: why" in err. */
int traffic_read_counts(struct traffic *t, const char *path, char *err,
    size_t errlen);

/* ---- traffic-signers.c: which keys sign the root during a capture ---- */

struct calendar;
struct history;
/*
 * Pure: the sets of keys that sign the root at some time of [first, last]
 * (epoch seconds), by events_signers_at (the agent's history hist, may be
 * NULL, then the calendar), into o->signers in time order, each distinct
 * set once; o->signers_by says what spoke.  Nothing known: no sets.
 */
void traffic_signers_span(struct traffic_opts *o, const struct calendar *cal,
    const struct history *hist, long long first, long long last);
/*
 * The calendar and the agent's history of c (state_dir/history) into
 * o->signers for t's span, with a warning on stderr when the calendar is
 * missing or nothing is known.  -1 with err if the calendar is bad.
 */
int traffic_signers_load(struct traffic_opts *o, const struct config *c,
    const struct traffic *t, char *err, size_t errlen);
/* The signing sets as text: "38696 from 2026-10-11 (calendar FILE)". */
void traffic_signers_text(const struct traffic_opts *o, char *buf,
    size_t len);

/* ---- traffic-cmd.c: the command ---------------------------------------- */

/* "20326,38696" into the one signing set of o (--trusted-tags); -1 if
 * malformed. */
int traffic_parse_tags(const char *s, struct traffic_opts *o);
/* A counts, dnstap, pcap or pcapng file into t, by its first bytes (only
 * counts files if merge); as capture_read_file for warnings.  Anything
 * but a regular file is refused ("-": standard input, a capture). */
int traffic_read_any(struct traffic *t, const char *path, int merge,
    char *err, size_t errlen);
/* anchorwatch traffic [options] FILE...: 0 nothing flagged, 1 a source
 * flagged, -1 with err on bad arguments or an unreadable file.  defconf:
 * the configuration read without -c, when it exists.  With -t it arms
 * alarm(2): the caller has set the SIGALRM handler. */
int traffic_main(int argc, char *argv[], const char *defconf, FILE *out,
    char *err, size_t errlen);

/* ---- traffic-zones.c: DNSKEY and DS queries by zone ------------------- */

/* Count the DNSKEY (or DS) question named at off in msg[0..len). */
void traffic_zone_count(struct traffic_zones *z, const uint8_t *msg,
    size_t len, size_t off, int is_ds);
/* Add counts for the wire name w[0..n) (lower case). */
void traffic_zone_add(struct traffic_zones *z, const uint8_t *w, size_t n,
    uint64_t dnskey, uint64_t ds);
void traffic_zones_free(struct traffic_zones *z);
/* The zone's name as text ("example.com.", "."), with \DDD for bytes
 * other than printable ASCII and for . , ; \ " inside labels. */
void traffic_zone_text(const struct traffic_zone *e, char *buf, size_t len);
/* The reverse, into w[256] (lower case); -1 if not such a text. */
int traffic_zone_parse(const char *s, uint8_t *w, size_t *n);
/* The used entries, most queries first; the caller frees the array. */
struct traffic_zone **traffic_zones_sorted(const struct traffic_zones *z);

/* ---- capture.c: pcap and pcapng files, live interfaces -------------- */

/* Count every packet of a pcap or pcapng file.  -1 with err if it cannot
 * be opened; a truncated file is read up to its last whole packet, with
 * t->truncated set and a warning in err, and returns 0. */
int capture_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen);
/* "pcap", "pcapng" or "dnstap" if the file at path is one cut inside its
 * first header (read as a cut capture: no packet, a warning); NULL if not,
 * or shorter than the 4 bytes that tell. */
const char *capture_cut_header(const char *path);
/* check and run's traffic: listen on traffic.dnstap_socket or
 * traffic.interface (tc) for traffic.seconds, within left seconds (-t);
 * into s the busiest root DNSKEY asker, for detect_storm.  Nothing when
 * neither is set. */
struct storm;
void storm_listen(struct storm *s, const struct traffic_conf *tc,
    unsigned left);
/* Count DNS packets on interface iface for seconds seconds (a hard
 * deadline); -1 with err if it cannot be opened or fails midway. */
int capture_live(struct traffic *t, const char *iface, unsigned seconds,
    char *err, size_t errlen);

/* ---- tcpflow.c: DNS over TCP reassembly (RFC 1035 4.2.2, RFC 7766) ---- */

#define TCPFLOW_FIN 0x01            /* TCP flags byte */
#define TCPFLOW_SYN 0x02
#define TCPFLOW_RST 0x04
#define TCPFLOW_WINDOW (65535 + 2)  /* longest message with its prefix, and
                                       how far ahead of a hole data is held */
#define TCPFLOW_HELD_MAX 32         /* segments held ahead of a hole */
#define TCPFLOW_HOLE_US (3 * 1000000LL)  /* and for how long, at most */
#define TCPFLOW_IDLE_US (60 * 1000000LL) /* a flow idle longer is dropped */
#define TCPFLOW_FLOWS_MAX (1u << 24)    /* max_flows is capped there */

struct tcpflow_table;

/* Counters since tcpflow_new. */
struct tcpflow_stats {
	uint64_t flows;              /* flows started (SYN or first data) */
	uint64_t open;               /* open now */
	uint64_t closed;             /* ended by FIN or RST */
	uint64_t evicted;            /* open flows dropped for room (LRU) */
	uint64_t expired;            /* open flows dropped when idle */
	uint64_t gaps;               /* holes given up on */
	uint64_t missing;            /* bytes in those holes */
	uint64_t hunts;              /* message boundary unknown: a flow
	                              * taken up mid-stream, after a hole,
	                              * after a length under 12 */
	uint64_t resyncs;            /* boundaries found again by parsing */
	uint64_t unparsed;           /* bytes captured but in no message */
	uint64_t held;               /* segments held out of order */
	uint64_t messages;           /* messages delivered */
};

/* A table of at most max_flows flows (1 to TCPFLOW_FLOWS_MAX); beyond,
 * the least recently used one is evicted.  Out of memory is fatal. */
struct tcpflow_table *tcpflow_new(size_t max_flows);
void tcpflow_free(struct tcpflow_table *ft);
/*
 * One captured TCP segment, past the IP and TCP headers (untrusted):
 * addresses of 16 bytes (IPv4 v4-mapped), ports, sequence number, the
 * flags byte, payload[0..len).  cb(arg, saddr, msg, msglen, ts_us) is
 * called for each whole DNS message this segment completes (or that a
 * flow it evicts or expires holds), in stream order; msg is valid during
 * the call only, and cb must not call back into ft.  What cannot be cut
 * into messages is counted in the stats.  Returns 0, or -1 for arguments
 * that cannot be a segment (no cb, no payload, over 1 GiB).
 */
int tcpflow_segment(struct tcpflow_table *ft, const uint8_t saddr[16],
    uint16_t sport, const uint8_t daddr[16], uint16_t dport, uint32_t seq,
    uint8_t flags, const uint8_t *payload, size_t len, int64_t ts_us,
    void (*cb)(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t msglen, int64_t ts_us), void *arg);
/* The end of the input: every open flow ends, its holes given up and
 * the messages of what it holds passed to cb (as tcpflow_segment; NULL:
 * dropped, counted unparsed). */
void tcpflow_flush(struct tcpflow_table *ft,
    void (*cb)(void *arg, const uint8_t saddr[16], const uint8_t *msg,
    size_t msglen, int64_t ts_us), void *arg);
void tcpflow_stats(const struct tcpflow_table *ft, struct tcpflow_stats *st);

/* ---- dnstap.c: dnstap files and sockets (Frame Streams + protobuf) ---- */

/* 1 if the file at path starts as a Frame Streams file (a START frame). */
int is_dnstap_file(const char *path);
/*
 * Count every dnstap Message of a Frame Streams file of content type
 * "protobuf:dnstap.Dnstap" (or none) into t: *_QUERY Messages through
 * traffic_message() for their query_address, *_RESPONSE as responses.
 * -1 with "PATH: why" in err if it cannot be opened or is not Frame
 * Streams of that type.  A file cut inside a frame, or undecodable Frame
 * Streams data, is read up to the last whole frame, the broken one counted
 * as a malformed packet, t->truncated set and a warning left in err (also
 * for a file without a STOP frame); returns 0.  err[0] is '\0' when there
 * is nothing to say.
 */
int dnstap_read_file(struct traffic *t, const char *path, char *err,
    size_t errlen);
/*
 * Listen on a unix stream socket at path (a stale socket there is
 * replaced, any other file refused) for `seconds` seconds, a hard
 * deadline: count what the resolver's bidirectional Frame Streams
 * connections (several at once) send, then close and remove the socket.
 * The socket is created mode 0660 with group `group` (the resolvers'),
 * or 0600 when group is NULL or "": never writable by others.  Span and
 * reporting are the caller's.  -1 with err on a setup failure.
 */
int dnstap_listen(struct traffic *t, const char *path, const char *group,
    int seconds, char *err, size_t errlen);

#endif /* AW_AW_TRAFFIC_H */
