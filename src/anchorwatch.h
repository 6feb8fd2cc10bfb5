/*
 * anchorwatch.h: the one internal header.
 *
 * anchorwatch compares what each resolver on this host trusts for the root
 * zone (its trust anchors and RFC 5011 state) with the live root DNSKEY set,
 * which the agent fetches and validates itself through libunbound.  The data
 * model below is shared by the config parser, the key code, the resolver
 * readers, the root query, the detectors and the output sinks.
 *
 * Conventions: functions return 0 on success and -1 on failure, or a pointer
 * or NULL; predicates are is_* and return 1 or 0.  Errors travel as text in a
 * caller-supplied buffer, formatted "file:line: what is wrong".  Nothing but
 * main.c exits.
 */
#ifndef ANCHORWATCH_H
#define ANCHORWATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <time.h>

#define AW_VERSION "0.1.0"

#define AW_NAME_MAX 64      /* resolver name, user name */
#define AW_PATH_MAX 1024    /* any path we keep */
#define AW_ERR_MAX 512      /* one error or finding message */
#define AW_KEY_MAX 1024     /* DNSKEY public key bytes (RSA-4096 is 516) */
#define AW_DIGEST_MAX 64    /* DS digest bytes (SHA-384 is 48) */
#define AW_RRSET_MAX 32     /* keys in one root DNSKEY RRset, signers too */
#define AW_ANCHOR_MAX 64    /* anchors in one source */
#define AW_FILE_MAX (1024 * 1024) /* largest config or anchor file read */
#define AW_TAGS_MAX 8       /* key tags named in one finding */

#define DNSKEY_F_ZONE 0x0100
#define DNSKEY_F_REVOKE 0x0080
#define DNSKEY_F_SEP 0x0001

/* Nagios plugin states; the numeric values are the exit codes. */
enum severity {
	SEV_OK = 0,
	SEV_WARNING = 1,
	SEV_CRITICAL = 2,
	SEV_UNKNOWN = 3,
};

/* ---- keyset.c: DNSKEY and DS records (RFC 4034) ------------------------ */

struct dnskey {
	uint16_t flags;
	uint8_t protocol;
	uint8_t algorithm;
	uint16_t tag;       /* RFC 4034 appendix B, over the rdata as it is */
	uint16_t keylen;
	unsigned char key[AW_KEY_MAX];
};

struct ds {
	uint16_t tag;
	uint8_t algorithm;
	uint8_t digest_type;
	uint16_t digestlen;
	unsigned char digest[AW_DIGEST_MAX];
};

/* RFC 5011 key states; the numbers are unbound's ;;state=N. */
enum ks_state {
	KS_START = 0,
	KS_ADDPEND = 1,
	KS_VALID = 2,
	KS_MISSING = 3,
	KS_REVOKED = 4,
	KS_REMOVED = 5,
	KS_STATIC = 6,      /* not RFC 5011 managed: trusted as long as present */
};

/* One trust anchor: a DNSKEY or a DS for the root, with its state. */
struct anchor {
	int is_ds;
	struct dnskey key;  /* when !is_ds */
	struct ds ds;       /* when is_ds */
	enum ks_state state;
	unsigned count;     /* unbound ;;count (AddPend sightings) */
	long long lastchange; /* unbound ;;lastchange, epoch; 0 if unknown */
	unsigned line;      /* line of the record in its file */
};

/* Parse wire rdata of a DNSKEY; computes the tag. */
int keyset_dnskey_from_rdata(struct dnskey *k, const unsigned char *rd,
    size_t len);
/* Wire rdata of a DNSKEY into out; returns its length or -1 if too small. */
int keyset_dnskey_rdata(const struct dnskey *k, unsigned char *out,
    size_t outlen);
/* RFC 4034 appendix B key tag of DNSKEY rdata. */
uint16_t keyset_tag(const unsigned char *rd, size_t len);
/*
 * Parse one presentation-format record, already joined onto one line, with
 * comments removed: "owner [ttl] [class] DNSKEY|DS rdata".  Returns 1 and
 * fills a (a->is_ds, key or ds, state KS_STATIC) for a root DNSKEY or DS,
 * 0 for a record of another owner or type, -1 with err set on malformed input.
 */
int keyset_parse_rr(const char *text, struct anchor *a, char *err,
    size_t errlen);
/*
 * Parse a trusted-keys / trust-anchors clause entry: "name flags proto alg
 * "base64"" or the initial-key/static-key forms.  Same returns as above.
 */
int keyset_parse_trusted_key(const char *text, struct anchor *a, char *err,
    size_t errlen);
/* 1 if ds is a digest of k (owner "."), using libcrypto. */
int is_ds_of(const struct ds *ds, const struct dnskey *k);
/* 1 if a and b hold the same public key, ignoring the REVOKE flag. */
int is_same_key(const struct dnskey *a, const struct dnskey *b);
/* 1 if the anchor designates key k (DNSKEY match or DS digest match). */
int is_anchor_for(const struct anchor *a, const struct dnskey *k);
/* Tag the anchor is known by (key tag, or DS key tag). */
uint16_t keyset_anchor_tag(const struct anchor *a);
const char *keyset_state_name(enum ks_state s);

/* ---- fileio.c: bounded loads, atomic writes, locks, permissions ------- */

/* Read a whole regular file of at most max bytes; *buf is NUL-terminated
 * and must be freed by the caller. */
int fileio_load(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errlen);
/* fileio_load of a text file for a parser (AW_FILE_MAX at most): a NUL
 * byte is refused as "FILE:LINE: NUL byte in file". */
int fileio_load_text(const char *path, char **buf, size_t *len, char *err,
    size_t errlen);
/* Next line of buf[0..len) from *pos, without its LF or CRLF, into *l and
 * *n; *pos moves past it.  Returns 1, or 0 at the end. */
int fileio_nextline(const char *buf, size_t len, size_t *pos, const char **l,
    size_t *n);
/* Line number (from 1) of offset off in buf. */
unsigned fileio_lineof(const char *buf, size_t off);

/* A text file being read line by line by a reader (anchor-*.c). */
struct textfile {
	const char *path;            /* the caller's string, kept */
	char *buf;                   /* freed by the caller */
	size_t len, pos;
	unsigned line;               /* of the last line returned */
};

/* fileio_load_text of path into f.  0 or -1 with err. */
int fileio_open_text(const char *path, struct textfile *f, char *err,
    size_t errlen);
/* Next line of f (without its end of line) in *l and *n.  Returns 1, 0 at
 * the end, -1 if it is longer than max. */
int fileio_getline(struct textfile *f, size_t max, const char **l,
    size_t *n);
/* Replace path atomically with data, keeping owner and mode of the old
 * file (or mode 0644 if there was none); verify by reading back. */
int fileio_write_atomic(const char *path, const char *data, size_t len,
    char *err, size_t errlen);
/* Take an exclusive lock on path (created if needed), waiting for it if
 * wait, else failing at once when another run holds it.  Returns the
 * descriptor or -1 with err set. */
int fileio_lock(const char *path, int wait, char *err, size_t errlen);
/*
 * 1 if user (a name; "" or "root" means uid 0) could create and replace
 * path: write permission on its directory and, if it exists, on the file,
 * and the file system is not read-only.  0 with why set otherwise.
 */
int is_writable_by(const char *path, const char *user, char *why,
    size_t whylen);

/* ---- spawn.c: another program's output -------------------------------- */

/*
 * Run argv (argv[0] a full path; no shell) with stdin, and stderr unless
 * merge, on /dev/null, for at most timeout seconds, taking at most max
 * bytes of its output into *out (NUL-terminated, freed by the caller).
 * *status gets its wait status.  Returns 0 when it ran to its end, -1 with
 * err set (then it was killed, and *out is NULL).
 */
int spawn_read(char *const argv[], unsigned timeout, size_t max, int merge,
    char **out, size_t *outlen, int *status, char *err, size_t errlen);

/* ---- events.c, events-ready.c: the root KSK calendar, who survives ---- */

#define EV_MAX 64           /* events in one calendar, all origins */
#define EV_EXTRA_MAX 16     /* events.extra entries in anchorwatch.yaml */
#define EV_TAGS_MAX 4       /* key tags of one event */
#define EV_EPOCH_MIN 1279152000LL /* 2010-07-15 00:00 UTC: the root signed */

/* What happens at an event; "trust" is the end of an add hold-down. */
enum ev_kind { EV_PUBLISH, EV_TRUST, EV_ROLL, EV_REVOKE, EV_REMOVE, EV_OTHER };
/* Where an event comes from. */
enum ev_origin { EVO_CALENDAR, EVO_CONFIG, EVO_LEARNED };

struct event {
	char id[32];                  /* "ksk2017-revoke"; "" if none */
	char name[128];
	long long when;               /* epoch seconds, UTC */
	enum ev_kind kind;
	enum ev_origin origin;
	int assumed;                  /* the date is not yet published */
	uint16_t keys[EV_TAGS_MAX];   /* the keys it is about */
	size_t nkeys;
	uint16_t requires[EV_TAGS_MAX]; /* each must be trusted by then */
	size_t nrequires;
	unsigned line;                /* in its file (calendar or config) */
};

/* The events: key of anchorwatch.yaml. */
struct events_conf {
	char file[AW_PATH_MAX];       /* the calendar */
	unsigned warn_days;
	unsigned critical_days;
	struct event extra[EV_EXTRA_MAX];
	size_t nextra;
};

struct history;
struct calendar {
	char path[AW_PATH_MAX];       /* the calendar file read */
	struct event ev[EV_MAX];
	size_t n;
	/* The agent's history, which dates what the root did better than
	 * the calendar where it saw it (events_signers_at); NULL if none.
	 * Set by the caller after events_load. */
	const struct history *hist;
};

/* Readiness of one resolver for one event. */
enum ev_ready { RD_READY, RD_NOT_READY, RD_UNKNOWN };

struct config;
struct resolver;
struct source;
struct report;

/* calendar.c: read a calendar file (the events.yaml schema) into cal,
 * appending; "FILE:LINE: problem" in err on -1. */
int calendar_load(const char *path, struct calendar *cal, char *err,
    size_t errlen);
struct yamlwalk;
struct yaml_node_s;
/* calendar.c: a YAML sequence of events (the calendar's events:, and
 * events.extra of anchorwatch.yaml) into arr[*n..max); 0 or -1. */
int calendar_events(struct yamlwalk *w, const struct yaml_node_s *seq,
    const char *section, struct event *arr, size_t max, size_t *n,
    enum ev_origin origin);
/* The calendar file of c, then c's extras (an extra with the id of a
 * calendar event replaces it); sorted by date.  0 or -1 with err. */
int events_load(struct calendar *cal, const struct config *c, char *err,
    size_t errlen);
/* The add hold-down a compliant resolver applies: configured (seconds),
 * else RFC 5011's 30 days. */
unsigned events_holddown(unsigned configured);
/* 1 if cal has an event of kind k about key tag; its date into *when
 * (may be NULL). */
int is_event_about(const struct calendar *cal, enum ev_kind k, uint16_t tag,
    long long *when);
/* 1 if e says who signs the root from its date on: it requires keys and
 * is not a mere end of hold-down. */
int is_signing_event(const struct event *e);
/* The last such event at or before t, or NULL. */
const struct event *events_signing_event(const struct calendar *cal,
    long long t);
/* The first of the signing events up to t that require the same keys as
 * that last one (since when they sign, by the calendar), or NULL. */
const struct event *events_signing_since(const struct calendar *cal,
    long long t);
/* Pure: add the countdowns the agent's own RFC 5011 file implies (a key in
 * AddPend becomes trusted at its first sighting + hold-down). */
void events_learn(struct calendar *cal, const struct source *agent,
    unsigned holddown);
/* Pure: will r survive e?  why gets the readiness text.  A resolver
 * learns keys by RFC 5011 only while it validates: one that trusts no key
 * signing the root at a date (cal->hist or the calendar) is broken from
 * then on, and ready for nothing after it. */
enum ev_ready events_ready(const struct calendar *cal, const struct event *e,
    const struct resolver *r, long long now, unsigned holddown, char *why,
    size_t whylen);
/*
 * Pure: the key tags that sign the root DNSKEY set at time t, as far as
 * it can be known without the live root: from the agent's history (hist,
 * may be NULL) when it saw the root at t (the keys its runs saw signing
 * on both sides of t; after its last run, the keys signing then unless
 * the calendar has a roll in between), else from the calendar (the keys
 * required by the last event at or before t that is not an end of
 * hold-down).  Returns how many tags went into tags (at
 * most max), 0 if nothing is known; *from_hist says which source spoke.
 */
size_t events_signers_at(const struct calendar *cal,
    const struct history *hist, long long t, uint16_t *tags, size_t max,
    int *from_hist);
/* Pure: EVENT_AHEAD findings for the resolvers, at now: each coming
 * event (within events.warn_days) a resolver is not ready for, including
 * one it cannot be ready for because it is broken before it. */
void events_detect(struct report *rep, const struct calendar *cal,
    const struct resolver *rs, size_t n, const struct config *c,
    long long now);
/* The `anchorwatch events` listing: the past events a resolver did not
 * survive, then the coming events with each resolver's readiness. */
void events_print(FILE *out, const struct calendar *cal,
    const struct resolver *rs, size_t n, const struct config *c,
    long long now);

/* ---- date.c: the one date grammar (UTC, ISO 8601 calendar dates) ------ */

#define DATE_EPOCH 0x1   /* also 1 to 11 digits of epoch seconds */
#define DATE_LOOSE 0x2   /* also "YYYY-MM-DD[( |T)HH:MM[:SS]][Z]" */
#define DATE_DNS 0x4     /* also YYYYMMDDHHmmSS (RFC 4034 3.2, KEYDATA) */

enum date_style {
	DATE_DAY_OR_MINUTE,  /* "2026-10-11", "2018-10-11 16:00" if not 00:00 */
	DATE_MINUTE,         /* "2018-10-11 16:00" */
	DATE_ISO,            /* "2018-10-11T16:00:00Z" */
	DATE_SECONDS,        /* "2018-10-11 16:00:00 UTC" */
};

/* Parse s[0..len): "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", plus what flags
 * allow, into epoch seconds.  Dates must exist, years 1970..9999.  0 or
 * -1.  No lower bound beyond 1970 here: callers apply theirs. */
int date_parse(const char *s, size_t len, unsigned flags, long long *out);
/* t in the given style into buf ("@t" outside 1970..9999). */
void date_format(long long t, enum date_style style, char *buf, size_t len);

/* ---- yamlwalk.c: the YAML schema walker ------------------------------- */

/*
 * One YAML document read whole (libyaml's document API), then walked by
 * schema.  YW_OWN: anchorwatch's own file (anchorwatch.yaml, events.yaml,
 * scenarios): aliases, anchors and tags are refused, unknown and
 * duplicate keys too.  Without it: a resolver's file, read as its daemon
 * reads it: aliases and anchors legal, unknown keys skipped.  Errors are
 * "FILE:LINE: problem".
 */
#define YW_OWN 0x1

enum yw_type { YW_SCALAR, YW_SEQUENCE, YW_MAPPING };

/* What a key of a schema is: read by its fn, or a field of the struct
 * at arg (at off) the walker fills itself. */
enum yw_field {
	YWF_FUNC,     /* fn(w, value, arg) */
	YWF_UINT,     /* unsigned, plain decimal in min..max */
	YWF_PATH,     /* char[AW_PATH_MAX], an absolute path */
};

/* One key of a mapping's schema. */
struct yamlwalk_key {
	const char *name;
	int (*fn)(struct yamlwalk *w, const struct yaml_node_s *v, void *arg);
	enum yw_field field;
	size_t off;
	unsigned min, max;
};

/* Parse buf[0..len) (path names it in errors); depth_max bounds nesting
 * (own files: the schema's deepest; resolver files: a safety cap).  NULL
 * with err on failure.  Free with yamlwalk_free. */
struct yamlwalk *yamlwalk_open(const char *path, const char *buf, size_t len,
    unsigned flags, int depth_max, char *err, size_t errlen);
void yamlwalk_free(struct yamlwalk *w);
/* The document's top node; NULL if there is none (empty input, or only
 * comments). */
const struct yaml_node_s *yamlwalk_root(const struct yamlwalk *w);
/* Line of the end of input (for "the file is empty" and the like). */
unsigned yamlwalk_end_line(const struct yamlwalk *w);
unsigned yamlwalk_line(const struct yaml_node_s *n);
enum yw_type yamlwalk_type(const struct yaml_node_s *n);
/* "a scalar", "a sequence", "a mapping": for messages. */
const char *yamlwalk_what(const struct yaml_node_s *n);
/* "FILE:LINE: message" into the walker's error buffer; returns -1. */
int yamlwalk_error(struct yamlwalk *w, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The key being read, "root.timeout", for messages; settable. */
const char *yamlwalk_key(const struct yamlwalk *w);
void yamlwalk_set_key(struct yamlwalk *w, const char *key);
/* Line of that key, until a deeper key is read. */
unsigned yamlwalk_key_line(const struct yamlwalk *w);
/* The nesting limit of own files, raised where a schema goes deeper. */
int yamlwalk_depth_max(struct yamlwalk *w, int max);
/* Untrusted text for a message: printable ASCII, cut short. */
const char *yamlwalk_show(char *out, size_t outlen, const char *s,
    size_t len);
/* Walk the mapping m by keys (prefix + name is the key path): each known
 * key's fn once.  Unknown and duplicate keys: errors in own files; in
 * resolver files skipped and the first taken.  where names m in
 * messages ("top level", "root").  0 or -1. */
int yamlwalk_map(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, const char *prefix, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg);
/* The document's top level, a mapping walked by keys ("top level" in
 * messages); nothing to do for an empty document.  0 or -1. */
int yamlwalk_top(struct yamlwalk *w, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg);
/* A mapping of free keys (names the schema does not fix): fn on each
 * pair, keys must be scalars; where names m in messages.  0 or -1. */
int yamlwalk_pairs(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, int (*fn)(struct yamlwalk *,
    const struct yaml_node_s *, const struct yaml_node_s *, void *),
    void *arg);
/* fn on each item of sequence s, in order; 0 or -1. */
int yamlwalk_seq(struct yamlwalk *w, const struct yaml_node_s *s,
    int (*fn)(struct yamlwalk *, const struct yaml_node_s *, void *),
    void *arg);
/* n must be of type t: "KEY: expected a mapping, got a scalar". */
int yamlwalk_expect(struct yamlwalk *w, const struct yaml_node_s *n,
    enum yw_type t);
/* The scalar n (any style) into buf: no NUL inside, must fit. */
int yamlwalk_string(struct yamlwalk *w, const struct yaml_node_s *n,
    char *buf, size_t buflen);
/* The raw scalar of n, its length in *len; NULL if n is no scalar. */
const char *yamlwalk_scalar(const struct yaml_node_s *n, size_t *len);
/* 1 if n is a plain (unquoted) scalar. */
int is_yamlwalk_plain(const struct yaml_node_s *n);
/* n's explicit tag ("!override"), or NULL. */
const char *yamlwalk_tag(const struct yaml_node_s *n);
/* An absolute path into buf (AW_PATH_MAX bytes). */
int yamlwalk_path(struct yamlwalk *w, const struct yaml_node_s *n, char *buf);
/* p, just read from n, must be an absolute path. */
int yamlwalk_check_path(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *p);
/* A plain decimal (no sign, no leading zero) in min..max. */
int yamlwalk_uint(struct yamlwalk *w, const struct yaml_node_s *n,
    unsigned min, unsigned max, unsigned *out);
/* s[0..len) as such a decimal, values above max as max + 1; 0 or -1. */
int yamlwalk_decimal(const char *s, size_t len, unsigned max,
    unsigned long long *out);
/* One of list[0..nlist) into *idx; what names the kind in the error. */
int yamlwalk_enum(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *const *list, size_t nlist, const char *what, size_t *idx);
/* A boolean: own files true or false; resolver files YAML 1.1's words
 * (yes/no/on/off in three cases, as PyYAML reads them). */
int yamlwalk_bool(struct yamlwalk *w, const struct yaml_node_s *n, int *out);
/* Resolver files: the first duplicate key or merge key (<<) anywhere in
 * the document, whatever the schema reads: line and key into the
 * arguments, 1 if found. */
int yamlwalk_find_dup(const struct yamlwalk *w, unsigned *line, char *key,
    size_t keylen);
int yamlwalk_find_merge(const struct yamlwalk *w, unsigned *line);

/* ---- config.c: /etc/anchorwatch/anchorwatch.yaml ----------------------- */

#define CFG_STUB_MAX 8
#define CFG_FILES_MAX 16
#define CFG_PRE_MAX 4
#define CFG_RESOLVERS_MAX 64

struct resolver_conf {
	char name[AW_NAME_MAX];
	char type[24];
	char config[AW_PATH_MAX];         /* "" if not given */
	/* Files the daemon reads before config, in order, when it is given
	 * several (kresd -c PRE -c CONF: Debian's kresd@.service); in
	 * anchorwatch.yaml the last item of a config: list is config. */
	char config_pre[CFG_PRE_MAX][AW_PATH_MAX];
	size_t nconfig_pre;
	char anchor_files[CFG_FILES_MAX][AW_PATH_MAX];
	size_t nanchor_files;
	char address[128];                /* "ip@port", "" if not given */
	unsigned line;                    /* line of the entry in the config */
};

/* traffic: where check and run listen for the local DNSKEY rate. */
struct traffic_conf {
	char dnstap_socket[AW_PATH_MAX];  /* "" = none */
	char interface[32];               /* "" = none */
	unsigned seconds;                 /* listening time */
	unsigned warn_rate;               /* root DNSKEY per minute */
	unsigned critical_rate;
};

struct config {
	char path[AW_PATH_MAX];
	char state_dir[AW_PATH_MAX];
	char anchor_file[AW_PATH_MAX];
	char bootstrap[AW_PATH_MAX];
	char stub[CFG_STUB_MAX][128];     /* "ip" or "ip@port" */
	size_t nstub;
	unsigned timeout;                 /* seconds, root query */
	unsigned add_holddown;            /* seconds, 0 = libunbound default */
	unsigned del_holddown;
	unsigned keep_missing;
	unsigned probe_overdue;           /* seconds, checks.probe_overdue */
	char syslog_facility[16];         /* "daemon" by default */
	int probes;                       /* probes.enabled */
	unsigned probe_timeout;           /* probes.timeout, seconds */
	char signed_name[256];            /* probes.signed_name, "" = none */
	char sentinel_domain[256];        /* probes.sentinel_domain */
	struct events_conf events;        /* events: (events.c) */
	struct traffic_conf traffic;      /* traffic: DNSKEY_STORM */
	size_t nresolvers;
	int resolvers_given;              /* the key was there (even if []) */
	/* Last: entries are cleared as they are filled, so a small config
	 * touches only the memory it uses. */
	struct resolver_conf resolvers[CFG_RESOLVERS_MAX];
};

/* Defaults for every key. */
void config_defaults(struct config *c);
/* Load and validate path into c (defaults first).  err: "FILE:LINE: ..." */
int config_load(struct config *c, const char *path, char *err,
    size_t errlen);

/* ---- resolver.c and anchor-*.c: what each resolver trusts ------------- */

enum src_kind {
	SRC_AUTO,          /* RFC 5011 managed file (auto-trust-anchor-file,
	                      BIND managed-keys.bind, Knot root.keys) */
	SRC_FILE,          /* static file of DS/DNSKEY records */
	SRC_INLINE,        /* static record in the resolver's config */
	SRC_TRUSTED_KEYS,  /* static trusted-keys syntax file */
	SRC_BUILTIN,       /* compiled into the daemon (static unless a
	                      state file makes it SRC_AUTO) */
};

/* Is validation on for a resolver, as its configuration says? */
enum dnssec_mode {
	DNSSEC_ON = 0,     /* validating (the default for every reader) */
	DNSSEC_OFF,        /* dnssec-validation no, dnssec off, ... */
};

/* Where a resolver gets its anchors from, and what is in it. */
struct source {
	enum src_kind kind;
	char path[AW_PATH_MAX];       /* as the daemon opens it (chroot applied);
	                                 for SRC_INLINE the config file */
	char decl_file[AW_PATH_MAX];  /* config file naming it, "" if none */
	unsigned decl_line;
	int is_zone_revoked;          /* unbound ;;REVOKED marker */
	int have_probe;               /* the autr header lines were present */
	long long last_queried;
	long long last_success;
	long long next_probe_time;
	long long retry_time;
	unsigned query_failed;
	unsigned query_interval;
	char view[AW_NAME_MAX];       /* BIND view, "" if none */
	int is_stateful;              /* the file records RFC 5011 states */
	struct anchor anchors[AW_ANCHOR_MAX];
	size_t nanchors;
};

enum sentinel_verdict {
	SENTINEL_NO_ANSWER = 0,      /* both or neither answered: no support */
	SENTINEL_TRUSTED,            /* is-ta answers, not-ta SERVFAILs */
	SENTINEL_UNTRUSTED,          /* is-ta SERVFAILs, not-ta answers */
};

/* What probing the running resolver at its address found (probe.c). */
struct probe_result {
	int done;                     /* an address was configured: probed */
	int reachable;                /* it answered at least once */
	char address[128];
	/* [0]: ". DNSKEY", [1]: probes.signed_name A */
	int checked[2];
	int rcode[2];
	int ad[2];
	int cd_rcode[2];              /* rcode with CD=1 after a SERVFAIL */
	uint16_t sentinel_tags[AW_RRSET_MAX];
	enum sentinel_verdict sentinel[AW_RRSET_MAX];
	size_t nsentinel;
};

struct resolver {
	char name[AW_NAME_MAX];
	char type[24];
	char user[AW_NAME_MAX];       /* user the daemon runs as; "" = root */
	struct source *sources;       /* malloc'd array */
	size_t nsources;
	char error[AW_ERR_MAX];       /* set if reading failed: "file:line: .." */
	/* Set by the reader when the daemon itself would refuse this
	 * configuration (will not start or reload): "file:line: named
	 * refuses ...: why".  The rest was still read. */
	char refused[AW_ERR_MAX];
	int rfc5011;                  /* reader->rfc5011, set by main.c */
	enum dnssec_mode dnssec;
	char dnssec_where[AW_PATH_MAX + 16]; /* "file:line" saying it is off */
	/* What the running daemon says it trusts (probe.c, reader->loaded). */
	int have_loaded;
	char loaded_how[64];          /* "trustanchor.unbound CH TXT", ... */
	uint16_t loaded[AW_RRSET_MAX];
	size_t nloaded;
	struct probe_result probe;
	/* filled by detect for perfdata */
	int ntrusted;
	long long probe_age;          /* seconds since last success; -1 none */
};

/*
 * One row of the reader table: everything a resolver type means.  Each
 * reader file defines its own row (unbound_reader at the end of
 * anchor-unbound.c, ...); resolver.c lists them.  A new type is a new
 * anchor-<type>.c with its row, and one line in resolver.c.
 */
struct reader {
	const char *type;             /* the type: of anchorwatch.yaml */
	/* Fill r from rc.  On failure return -1 with err set; r keeps what was
	 * read so far and must still be freed with resolver_free.  An empty
	 * rc->config means the reader's default_config. */
	int (*read)(const struct resolver_conf *rc, struct resolver *r,
	    long long now, char *err, size_t errlen);
	/* Where Debian's package puts the main config, for discover. */
	const char *default_config;
	/* Process name (comm) of the daemon, for discover. */
	const char *process;
	/* Its command-line option naming the config file ("-c"), or NULL,
	 * and its long spelling ("--conf-file"), or NULL. */
	const char *config_flag;
	const char *config_flag_long;
	/* How discover finds the config files on its command line. */
	enum reader_cmdline {
		RC_FLAG_LAST = 0,  /* the last config_flag counts */
		RC_FLAG_EACH,      /* every config_flag is run, in order; the
		                      last is config, the others config_pre;
		                      a bare argument is the run directory */
		RC_DIR_NAME,       /* --config-dir=D and --config-name=N:
		                      D/recursor-N.yml, else .conf */
	} cmdline;
	/* Options taking a value (so that it is not a bare argument), for
	 * RC_FLAG_EACH; NULL-terminated, or NULL. */
	const char *const *cmdline_valued;
	/* The user the packaged daemon runs as (the reader may learn
	 * another from the config); the owner RFC 5011 files need. */
	const char *user;
	/* 1 if the product can follow RFC 5011: a static anchor there is a
	 * choice worth a STATIC_ANCHOR warning; elsewhere it is all there is. */
	int rfc5011;
	/* Its RFC 5011 rules (enum rfc5011_variant), replay's default. */
	int variant;
	/* Optional: ask the running daemon which root keys it has loaded
	 * (rndc, rec_control, ...); fills r->loaded.  0, or -1 with err. */
	int (*loaded)(const struct resolver_conf *rc, struct resolver *r,
	    char *err, size_t errlen);
	/* Optional: the CH TXT name at which the daemon tells its loaded
	 * root key tags (". 20326 38696"), asked by probe.c at its address. */
	const char *loaded_chaos;
	/* Advice of STATIC_ANCHOR: how this product gets an RFC 5011
	 * managed anchor, or how its static one is kept current. */
	const char *advice_static;
	/* What follows when its RFC 5011 file cannot be written
	 * (ANCHOR_NOT_WRITABLE); NULL if it keeps no such file. */
	const char *advice_unwritable;
};

#define READERS_MAX 16     /* rows of the table */

/* The rows, each defined in its reader's file. */
extern const struct reader unbound_reader, bind_reader, knot_reader,
    pdns_reader, resolved_reader, dnsmasq_reader;

const struct reader *reader_find(const char *type);
/* The table itself, for discover and config: *n pointers to rows. */
const struct reader *const *reader_all(size_t *n);
/* The type a replay profile has when it names none. */
const struct reader *reader_default(void);
/* Add an empty source to r and return it, zeroed; out of memory is fatal. */
struct source *resolver_add_source(struct resolver *r);
void resolver_free(struct resolver *r);

/* anchor-unbound.c */
int unbound_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
/* ---- namedconf.c: the named.conf grammar (BIND, unbound trusted-keys) -- */

#define NAMEDCONF_TOK_MAX 4096  /* one token */
#define NAMEDCONF_DEPTH 16      /* nested includes */

/* One file of the include stack and the cursor into it. */
struct namedconf_file {
	char path[AW_PATH_MAX];
	char *buf;
	size_t len, pos;
	unsigned line;
};

/* A named.conf being read: the include stack (files[0] the outermost). */
struct namedconf {
	struct namedconf_file files[NAMEDCONF_DEPTH + 1];
	size_t depth;
	char cwd[AW_PATH_MAX];   /* relative includes resolve here; "" as is */
};

/* A token and where it stands: file, line, bytes [off, end) of its file. */
struct namedconf_tok {
	char text[NAMEDCONF_TOK_MAX];
	int quoted;              /* a "string" (quotes and escapes removed) */
	int eof;                 /* no more tokens */
	unsigned line;
	size_t off, end;
	char file[AW_PATH_MAX];
};

/* One entry of a trust-anchors, managed-keys or trusted-keys clause. */
struct namedconf_entry {
	char name[256];          /* the zone, as written */
	char kind[16];           /* initial-key, ...; "" in trusted-keys */
	int is_static;           /* static-key, static-ds or trusted-keys */
	int is_root;             /* anchor holds it (the zone is ".") */
	struct anchor anchor;
	char file[AW_PATH_MAX];
	unsigned line;
	size_t off, end;         /* its bytes, up to and with its ';' */
};

/* Load path as the outermost file of c (closing what c had open). */
int namedconf_open(struct namedconf *c, const char *path, char *err,
    size_t errlen);
/* The same for text in memory, named name in messages. */
void namedconf_open_text(struct namedconf *c, const char *name,
    const char *text);
/* Free every file c holds open; c itself is the caller's. */
void namedconf_close(struct namedconf *c);
/* Next token into t: 1, 0 at the very end (t->eof), -1 with err.  At the
 * end of an included file the including file goes on. */
int namedconf_tok(struct namedconf *c, struct namedconf_tok *t, char *err,
    size_t errlen);
/* 1 if t is the unquoted punctuation ch. */
int is_namedconf_punct(const struct namedconf_tok *t, char ch);
/* Next token, which must be punctuation ch ("'ch' expected after after"). */
int namedconf_expect(struct namedconf *c, struct namedconf_tok *t, char ch,
    const char *after, char *err, size_t errlen);
/* Next token, which must be a value (no punctuation) of option name. */
int namedconf_value(struct namedconf *c, struct namedconf_tok *t,
    const char *name, char *err, size_t errlen);
/* Skip the rest of the statement whose first token is in t, up to its ';'
 * outside braces. */
int namedconf_skip_stmt(struct namedconf *c, struct namedconf_tok *t,
    char *err, size_t errlen);
/* include "file"; (the include word in t): push the file. */
int namedconf_include(struct namedconf *c, struct namedconf_tok *t,
    char *err, size_t errlen);
/* One entry of an anchor clause, its first token in t, up to its ';'; tk
 * for trusted-keys (no anchor type word).  0 or -1 with err. */
int namedconf_entry(struct namedconf *c, struct namedconf_tok *t, int tk,
    struct namedconf_entry *e, char *err, size_t errlen);
/* name resolved against dir ("" = as is) into out; -1 if too long. */
int namedconf_join(const char *dir, const char *name, char *out,
    size_t outlen);
/* Strict decimal of at most max, the whole of s. */
int namedconf_num(const char *s, unsigned long long max,
    unsigned long long *v);
/* An unbound trusted-keys-file: only its trusted-keys clauses count, as
 * unbound reads it; root anchors into s (kind SRC_TRUSTED_KEYS). */
int namedconf_read_trusted_keys(const char *path, struct source *s,
    char *err, size_t errlen);

/* ---- bind-keys.c: named's managed-keys database (KEYDATA) ------------- */

#define BIND_KEYS_MONTH (30LL * 86400) /* dns_zone_mkey_month: hold-downs */

/* The key zone file of view ("" or _default: managed-keys.bind) in dir
 * (isc_file_sanitize's names) into out.  0 or -1 if too long. */
int bind_keys_path(const char *dir, const char *view, char *out,
    size_t outlen);
/*
 * Read the key zone s->path and the transactions of its .jnl (through
 * named-journalprint).  When it holds real KEYDATA for the root, they
 * replace s->anchors, in their state at now (load_secroots' rules); else
 * s is left as it is.  A missing file is no error.  0 or -1 with err.
 */
int bind_keys_read(struct source *s, long long now, char *err,
    size_t errlen);

/* ---- bind-conf.c: the statements of named.conf that named's trust needs */

#define BIND_VIEWS_MAX 64
#define BIND_BLOCKS_MAX 64      /* anchor clauses in one config */
#define BIND_KEYS_MAX 64        /* key statements remembered */

/* dnssec-validation, BIND_VAL_UNSET when not written. */
enum bind_val { BIND_VAL_UNSET = -1, BIND_VAL_NO = 0, BIND_VAL_YES,
	BIND_VAL_AUTO };

/* The three anchor clauses (synonyms trust-anchors and managed-keys are
 * told apart: named-checkconf refuses them together). */
enum bind_clause { BIND_TA, BIND_MK, BIND_TK };

#define BIND_ENTRIES_MAX 1024    /* entries of one anchor clause */

/* An entry of an anchor clause, any zone: for named-checkconf's rules. */
struct bind_entry {
	char name[256];               /* lower case, ending in a dot */
	int is_static;                /* static-*, or in trusted-keys */
	unsigned line;
};

/* One anchor clause: where it stands, its entries, its root anchors. */
struct bind_block {
	int view;                     /* index, -1 for top level */
	enum bind_clause clause;
	char file[AW_PATH_MAX];
	unsigned line;
	size_t off, end;              /* its bytes in file, "};" included */
	struct bind_entry *entries;   /* malloc'd, in file order */
	size_t nentries;
	struct source st;             /* static-key, static-ds, trusted-keys */
	struct source init;           /* initial-key, initial-ds */
};

/* A view: its name, class IN or not, its own dnssec-validation. */
struct bind_view {
	char name[AW_NAME_MAX];
	int is_in;
	enum bind_val val;
	char where[AW_PATH_MAX + 16];
};

/* A key statement: the file defining it (for rndc -k). */
struct bind_key {
	char name[AW_NAME_MAX];
	char file[AW_PATH_MAX];
};

/* What the named.conf walk keeps. */
struct bind_conf {
	const char *main;             /* the config named by the user */
	struct namedconf nc;          /* tokens, includes, working directory */
	int bindkeys_grammar;         /* a bindkeys-file: its 3 clauses only */
	char mkdir[AW_PATH_MAX];      /* managed-keys-directory, "" unset */
	char bindkeys[AW_PATH_MAX];
	enum bind_val val;
	char where[AW_PATH_MAX + 16];
	struct bind_view views[BIND_VIEWS_MAX];
	size_t nviews;
	struct bind_block *blocks;
	size_t nblocks;
	int have_controls;
	char ctl_addr[64];
	char ctl_port[8];
	char ctl_key[AW_NAME_MAX];
	struct bind_key keys[BIND_KEYS_MAX];
	size_t nkeys;
};

/* Parse the config file path into c (c->main, c->val set by the caller;
 * c->bindkeys_grammar for a bindkeys-file).  0 or -1 with err. */
int bind_conf_parse(struct bind_conf *c, const char *path, char *err,
    size_t errlen);
/* The same for what c->nc has open already. */
int bind_conf_parse_open(struct bind_conf *c, char *err, size_t errlen);
/* Free c and what it holds; NULL is safe. */
void bind_conf_free(struct bind_conf *c);
/* Add anchor a (at file:line) to s; -1 (err) when s is full. */
int bind_conf_add(struct source *s, const struct anchor *a, const char *file,
    unsigned line, char *err, size_t errlen);

/* ---- zonefile.c: DS/DNSKEY records in zone file syntax ---------------- */

#define ZF_LINE_MAX 8192    /* one physical line */
#define ZF_REC_MAX 8192     /* one record, parentheses joined */
#define ZF_NAME_MAX 1025    /* an owner name in presentation format */

enum zf_kind {
	ZF_RECORD,          /* a resource record */
	ZF_DIRECTIVE,       /* a $ line ($ORIGIN already applied) */
	ZF_COMMENT,         /* a line holding only a comment */
	ZF_PAREN,           /* with ZF_PAREN_REPORT: a ')' too many (its
	                       record dropped) or a '(' open at the end */
};

/* One item of a zone file, as zonefile_parse() hands it to its caller.
 * The strings live until the callback returns. */
struct zonefile_rec {
	enum zf_kind kind;
	const char *text;   /* record: "OWNER rest" on one line, the owner
	                       absolute, comments and parentheses removed;
	                       directive: "$NAME args"; comment: "" */
	const char *owner;  /* record: its absolute owner ("." the root) */
	int owner_omitted;  /* record: the line began with a blank */
	const char *comment; /* record: its lines' comments from each ';',
	                        joined by blanks ("" if none); comment line:
	                        the line from its ';' */
	const char *raw;    /* the file's bytes [off, end) */
	size_t rawlen;
	unsigned line, lastline; /* first and last physical line */
	size_t off, end;    /* byte offsets in the file buffer */
};

/* Called for each item; 0 to go on, -1 with why set to stop (reported as
 * "FILE:LINE: why" at the item's first line). */
typedef int (*zonefile_fn)(void *arg, const struct zonefile_rec *z,
    char *why, size_t whylen);
/* Parse f (fileio_open_text) from its position, calling fn for every
 * record, directive and comment line.  0, or -1 with err set. */
int zonefile_parse(struct textfile *f, zonefile_fn fn, void *arg, char *err,
    size_t errlen);
/* zonefile_parse with flags: ZF_SLDNS counts parentheses as unbound's
 * sldns does (a ')' too many drops its record, a '(' open at the end of
 * the file ends the record) instead of refusing them. */
#define ZF_SLDNS 0x1
/* ZF_PAREN_REPORT: hand parentheses that do not balance to the caller as
 * ZF_PAREN items instead of failing. */
#define ZF_PAREN_REPORT 0x2
int zonefile_parse_as(struct textfile *f, unsigned flags, zonefile_fn fn,
    void *arg, char *err, size_t errlen);
/* Add anchor a found at line to s; -1 (why) when s is full. */
int zonefile_add(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen);
/* Set s->kind (and s->path if empty) and load path into f; a file that
 * cannot be loaded is reported at s's declaring config line if any. */
int zonefile_open(const char *path, struct source *s, enum src_kind kind,
    struct textfile *f, char *err, size_t errlen);
/* Static anchors of f into s, as unbound reads a trust-anchor-file:
 * root DS/DNSKEY records, other records and $INCLUDE skipped. */
int zonefile_parse_static(struct textfile *f, struct source *s, char *err,
    size_t errlen);
/* zonefile_open + zonefile_parse_static of path (kind SRC_FILE). */
int zonefile_read_static(const char *path, struct source *s, char *err,
    size_t errlen);
/* rc's anchor_files, each a static anchor file, as sources of r: the extra
 * files an operator names for a resolver whose own format has no such file
 * (dnsmasq, PowerDNS, systemd-resolved). */
int zonefile_read_static_files(const struct resolver_conf *rc,
    struct resolver *r, char *err, size_t errlen);

/* ---- autotrust.c: unbound's auto-trust-anchor-file (RFC 5011 state) --- */

/* What an autotrust file says besides its keys, for unbound's rules on
 * which anchors may be combined (validator/autotrust.c autr_read_file). */
struct autotrust_info {
	char id_zone[ZF_NAME_MAX];    /* ;;id: owner, "" if none */
	unsigned id_line;             /* its line, 0 if none */
	int revoked_first;            /* ;;REVOKED before any ;;id: */
	unsigned revoked_late;        /* line of a ;;REVOKED after ;;id: */
	size_t nkeys;                 /* DS/DNSKEY records of any owner */
	char owner[ZF_NAME_MAX];      /* the zone of ;;id: or the first key */
	unsigned mixed_line;          /* first key of another zone, 0 if none */
	unsigned unparsable;          /* first ;; header line with no number */
	unsigned paren_line;          /* first unbalanced parenthesis */
};

/* Parse f as an autotrust file into s (kind SRC_AUTO: root keys with their
 * RFC 5011 state, probe times); info (may be NULL) gets the markers.
 * 0, or -1 with err "FILE:LINE: problem". */
int autotrust_parse(struct textfile *f, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen);
/* zonefile_open + autotrust_parse of path. */
int autotrust_read(const char *path, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen);

/* ---- unbound-conf.c: unbound.conf, for the unbound reader ------------ */

#define UB_TOK_MAX 4096        /* one config token */
#define UB_INCLUDE_DEPTH 16    /* nested include: levels */
#define UB_DECL_MAX 256        /* anchor options in one config */

/* A token of unbound.conf or of a BIND-syntax file. */
struct ub_tok {
	char text[UB_TOK_MAX];
	int quoted;
	unsigned line;
};

/* An anchor option of unbound.conf, resolved after the whole parse; the
 * reader fills what reading its file found. */
struct ub_decl {
	enum src_kind kind;
	char value[UB_TOK_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
	int insecure;                 /* domain-insecure: "." (no anchor) */
	int read;                     /* its file was read */
	size_t nroot;                 /* root anchors it gave */
	struct autotrust_info autr;   /* for an auto-trust-anchor-file */
};

enum ub_clause { CL_NONE, CL_SERVER, CL_OTHER };

/* What the config parse collects. */
struct ub_conf {
	char chroot[AW_PATH_MAX];
	char directory[AW_PATH_MAX];  /* last directory:, as written */
	char incdir[AW_PATH_MAX];     /* where relative includes resolve */
	char user[AW_NAME_MAX];
	char module[UB_TOK_MAX];      /* last module-config:, "" if none */
	char module_where[AW_PATH_MAX + 16]; /* its "file:line" */
	struct ub_decl *decl;         /* malloc'd, in declaration order */
	size_t ndecl;
	char stack[UB_INCLUDE_DEPTH + 1][AW_PATH_MAX]; /* files being read */
	size_t depth;
	enum ub_clause clause;
};

/* Parse config file path (and its includes) into c, whose directory and
 * user hold the defaults.  0, or -1 with err "FILE:LINE: problem". */
int unbound_conf_read(struct ub_conf *c, const char *path, char *err,
    size_t errlen);
/* The host path the daemon opens for anchor file name nm (chroot prefix
 * stripped, relative to directory:, inside the chroot).  0 or -1. */
int unbound_conf_path(const struct ub_conf *c, const char *nm, char *out,
    size_t outlen);

/* anchor-bind.c: BIND 9 named.conf, bind.keys, managed-keys.bind/.mkeys */
int bind_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
int bind_loaded(const struct resolver_conf *rc, struct resolver *r,
    char *err, size_t errlen);
/* anchor-knot.c: Knot Resolver 5.x kresd.conf (Lua), 6.x config.yaml,
 * root.keys */
int knot_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
/* anchor-pdns.c: PowerDNS Recursor recursor.conf / recursor.yml, Lua */
int pdns_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
int pdns_loaded(const struct resolver_conf *rc, struct resolver *r,
    char *err, size_t errlen);
/* pdns-daemon.c: what the installed PowerDNS Recursor says */
/* 1 if `pdns_recursor --version` output out names a version whose
 * built-in root anchors include KSK-2024 (38696). */
int pdns_daemon_has_38696(const char *out);
/* The built-in root DS set of the installed daemon, as a source of r. */
void pdns_daemon_builtin(struct resolver *r);
/* 1 if config is DIR/recursor[-NAME].conf or .yml: DIR and NAME ("" for
 * none) as --config-dir and --config-name would give them. */
int pdns_daemon_name(const char *config, char *dir, size_t dirlen,
    char *name, size_t namelen);
/* 1 with the name of a setting of config (recursor[-NAME].conf) that the
 * installed daemon's --config=check does not know, else 0. */
int pdns_daemon_unknown(const char *config, char *name, size_t namelen);
/* `rec_control get-tas` output into r->loaded (root DS tags); 0 or -1. */
int pdns_daemon_parse_tas(const char *out, struct resolver *r);
/* Ask the running daemon (socket dir, config name; "" for defaults). */
void pdns_daemon_tas(const char *sockdir, const char *name,
    struct resolver *r);
/* pdns-conf.c: PowerDNS Recursor recursor.conf settings, for its reader */
struct pd_val {                       /* a setting and where it was made */
	char v[AW_PATH_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
};
struct pd_conf {                      /* what the settings files say */
	struct pd_val dnssec, lua, user, socket_dir, include_dir, chroot;
	struct pd_val config_name, tafile;
	int have_yaml_tas;              /* dnssec.trustanchors had a root */
	struct pd_val yaml_ta;          /* where, for the mixing check */
	char want[64];                  /* a setting to find, or "" */
	struct pd_val where;            /* where it is first set (line 0:
	                                   nowhere) */
};
/* Store value v made at file:line into d; -1 if it does not fit. */
int pdns_conf_set(struct pd_val *d, const char *v, const char *file,
    unsigned line, const char *name, char *err, size_t errlen);
/* Read one recursor.conf into c (include-dir kept only from the main
 * file).  0 or -1 with "FILE:LINE: why". */
int pdns_conf_file(struct pd_conf *c, const char *path, int main_file,
    char *err, size_t errlen);
/* The files of include directory dir ending in ext, sorted as the daemon
 * does, into *names (pdns_conf_free_names); where names the setting. */
int pdns_conf_list_dir(const char *dir, const char *ext,
    const struct pd_val *where, char ***names, size_t *n, char *err,
    size_t errlen);
void pdns_conf_free_names(char **names, size_t n);
/* anchor-resolved.c: systemd-resolved resolved.conf, dnssec-trust-anchors.d */
int resolved_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
/* anchor-dnsmasq.c: dnsmasq.conf, conf-file, conf-dir, trust-anchor= */
int dnsmasq_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);

/* ---- luascan.c: the calls of a Lua file (kresd.conf, PowerDNS Lua) ---- */

#define LUASCAN_ARGS_MAX 4      /* arguments kept of one call */
#define LUASCAN_STR_MAX 16384   /* one string literal */
#define LUASCAN_NAME_MAX 256    /* one name, or a dotted chain */
#define LUASCAN_DEPTH_MAX 8     /* nested dofile() */

/* What an argument is; LA_OTHER: an expression (call not literal). */
enum luascan_arg { LA_STR, LA_NUM, LA_TRUE, LA_FALSE, LA_NIL, LA_TABLE,
	LA_OTHER };

/* One call "a.b:c(args)", "f 'str'" or "f {table}". */
struct luascan_call {
	char name[LUASCAN_NAME_MAX];  /* the chain as written: "a.b:c" */
	unsigned line;
	int literal;                  /* every argument is a literal */
	size_t nargs;
	enum luascan_arg type[LUASCAN_ARGS_MAX];
	size_t len[LUASCAN_ARGS_MAX];    /* of an LA_STR */
	size_t nitems[LUASCAN_ARGS_MAX]; /* strings of an LA_TABLE */
	/* Last: LA_STR and LA_NUM text; an LA_TABLE's string items, each
	 * NUL-terminated, one after the other. */
	char str[LUASCAN_ARGS_MAX][LUASCAN_STR_MAX];
};

/* The files being read, for dofile() loops and depth. */
struct luascan_stack {
	char path[LUASCAN_DEPTH_MAX][AW_PATH_MAX];
	size_t depth;
	int loop;                     /* push failed on a loop: the daemon
	                                 overflows its stack and exits */
};

struct luascan;
/* Load path for scanning; NULL with err.  Freed by luascan_close. */
struct luascan *luascan_open(const char *path, char *err, size_t errlen);
void luascan_close(struct luascan *ls);
/* The next call into *c: 1, 0 at the end of the file, -1 with "FILE:LINE:
 * why" in err (then luascan_syntax says whether Lua refuses the file). */
int luascan_next(struct luascan *ls, struct luascan_call *c, char *err,
    size_t errlen);
/* 1 if the last error of ls is a Lua syntax error (the daemon will not
 * load the file), 0 if it is one of the scanner's limits. */
int luascan_syntax(const struct luascan *ls);
/* 1 if argument i of c is the string s, or a table holding it. */
int is_luascan_item(const struct luascan_call *c, size_t i, const char *s);
/* Enter path on st (loops and depth refused: "from:line: ..."); pop. */
int luascan_push(struct luascan_stack *st, const char *path,
    const char *from, unsigned line, char *err, size_t errlen);
void luascan_pop(struct luascan_stack *st);
/* err "FILE:LINE: why" into "FILE:LINE: DAEMON refuses to start: why". */
void luascan_refuse(char *err, size_t errlen, const char *daemon);

/* ---- query.c: the agent's own, validated view of the root -------------- */

struct rootview {
	int is_secure;                /* the DNSKEY answer validated SECURE */
	char why[AW_ERR_MAX];         /* when not */
	struct dnskey keys[AW_RRSET_MAX];
	size_t nkeys;
	uint16_t signers[AW_RRSET_MAX]; /* key tags of RRSIGs over the RRset */
	uint8_t signer_algs[AW_RRSET_MAX];
	size_t nsigners;
	uint32_t ttl;
	struct source agent;          /* the agent's anchor file after the run */
	int have_agent;
	const struct history *hist;   /* the agent's history, or NULL */
	/* The calendar (its hist set too), for verdicts without the live
	 * root; NULL if none. */
	const struct calendar *cal;
};

/* Resolve ". DNSKEY" with a fresh libunbound context, in a process of its
 * own that is ended after timeout seconds (root.timeout).  Returns 0 when
 * a query was made, answered or not (rv->is_secure tells the outcome,
 * rv->why why not), -1 on a setup error. */
int query_root(const struct config *c, unsigned timeout, struct rootview *rv,
    char *err, size_t errlen);
/* 1 if key k of the root RRset signs the RRset (tag and algorithm match an
 * RRSIG and the key is not revoked). */
int is_signing(const struct rootview *rv, const struct dnskey *k);
/* Parse a DNS message holding the answer to ". DNSKEY" (untrusted). */
int query_parse_answer(const unsigned char *pkt, size_t len,
    struct rootview *rv, char *err, size_t errlen);

/* ---- units.c: the command line of a systemd unit ---------------------- */

#define UNIT_ARGS_MAX 64

struct unit_cmd {
	char name[256];               /* "kresd@1.service" */
	char path[AW_PATH_MAX];       /* its fragment, without the prefix */
	char workdir[AW_PATH_MAX];    /* WorkingDirectory=, "" if none */
	char *argv[UNIT_ARGS_MAX + 1];  /* into buf; argv[0] the program */
	size_t argc, used;
	char buf[8192];
};

/* The unit under prefix ("" for this host) that runs the program named
 * process: an enabled one first, then a plain unit, then a template that
 * needs no instance.  1 with *u filled, 0 if there is none. */
int units_find(const char *prefix, const char *process, struct unit_cmd *u);

/* ---- discover.c: the resolvers of this host --------------------------- */

struct found {
	const struct reader *rd;
	char config[AW_PATH_MAX];     /* from its command line, else the
	                                 default config if it exists, else "" */
	/* files it reads before config (kresd's earlier -c), in order */
	char config_pre[CFG_PRE_MAX][AW_PATH_MAX];
	size_t nconfig_pre;
	pid_t pid;                    /* a running daemon, 0 if none */
	char address[128];            /* where it answers, "" if unknown */
	char unit[256];               /* the systemd unit read when it does
	                                 not run, "" if none */
	char note[AW_ERR_MAX];        /* a warning about it, "" if none */
};

/* Look for every known resolver under prefix ("" for this host): config
 * files where Debian installs them, running daemons, their command lines
 * and sockets, and the systemd units of those that do not run.  Returns
 * how many were found (at most max). */
size_t discover_run(const char *prefix, struct found *out, size_t max);
/* Add the found resolvers to c as entries. */
void discover_to_config(struct config *c, const struct found *f, size_t n);
/* A ready "resolvers:" block for anchorwatch.yaml. */
void discover_print(FILE *out, const struct found *f, size_t n);

/* ---- state.c: the agent's history of the root DNSKEY set --------------- */

#define AW_HIST_MAX 32
#define AW_ADD_HOLDDOWN (30LL * 86400)  /* RFC 5011 2.4.1, unbound's default */
#define AW_KEEP_MISSING (366LL * 86400) /* unbound's keep-missing default */

struct hist_key {
	struct dnskey key;            /* as published, REVOKE bit cleared */
	long long first_seen;         /* epoch; 0 = never */
	long long last_seen;
	long long first_signing;      /* first seen signing the set */
	long long last_signing;
	long long revoked_seen;       /* first seen with the REVOKE bit */
};

struct history {
	struct hist_key keys[AW_HIST_MAX];
	size_t n;
	long long last_run;
};

/* Read path (a missing file is an empty history).  "FILE:LINE:" errors. */
int state_load(const char *path, struct history *h, char *err,
    size_t errlen);
/* Parse a history held in buf (modified); as state_load. */
int state_parse(const char *path, char *buf, size_t len, struct history *h,
    char *err, size_t errlen);
/* Record a SECURE root view seen at now (KSKs only). */
void state_update(struct history *h, const struct rootview *rv,
    long long now);
/* The file's text into *buf (malloc'd). */
int state_format(const struct history *h, char **buf, size_t *len);
/* Write atomically, read back. */
int state_save(const char *path, const struct history *h, char *err,
    size_t errlen);
/* 1 if an RFC 5011 resolver running all along trusts key e at time t. */
int is_compliant_trust(const struct hist_key *e, long long t,
    long long add_holddown, long long keep_missing);

/* ---- rfc5011.c: the RFC 5011 state machine (pure) --------------------- */

/*
 * A trust point's RFC 5011 state is a struct source (SRC_AUTO): anchors[]
 * are the tracked keys, each with its state, lastchange (when its running
 * timer started: entry into AddPend or Missing, the revocation, or the
 * last sighting of a Revoked key) and count (sightings while AddPend);
 * last_queried is the latest clock reading seen: a clock that goes back
 * stands still for the machine, which delays hold-downs and never
 * shortens one.  last_success, next_probe_time, query_interval,
 * retry_time and query_failed follow section 2.3; is_zone_revoked is set
 * once every trusted key has been revoked (unbound's ;;REVOKED), and the
 * machine then stops.  No I/O and no time(): the clock is an argument.
 */
#define RFC5011_CLOCK_MIN 1279152000LL /* 2010-07-15: earlier is refused */
#define RFC5011_HOLDDOWN (30U * 86400) /* add and remove hold-down, 2.4 */

enum rfc5011_variant {
	RFC5011_PLAIN,      /* as the RFC is written */
	RFC5011_UNBOUND,    /* Valid needs 2 sightings too; AddTime also on a
	                       failed probe; Missing dropped after keep_missing
	                       when another key is Valid */
	RFC5011_KNOT,       /* Missing dropped after 4 add hold-downs; the
	                       remove hold-down runs from the revocation */
};

/* The events of section 4.1, and KE_PURGE: a variant dropped the key. */
enum rfc5011_event {
	KE_NEWKEY, KE_ADDTIME, KE_REMTIME, KE_KEYREM, KE_KEYPRES, KE_REVOKED,
	KE_PURGE,
};

struct rfc5011_params {
	enum rfc5011_variant variant;
	unsigned add_holddown;        /* seconds (2.4.1) */
	unsigned del_holddown;        /* remove hold-down, seconds (2.4.2) */
	unsigned keep_missing;        /* unbound; 0 = keep forever */
};

/* One observation: the DNSKEY RRset a probe received.  signers are the
 * tags (and algorithms, if signer_algs) of the RRSIGs that verified. */
struct rfc5011_obs {
	const struct dnskey *keys;
	size_t nkeys;
	const uint16_t *signers;
	const uint8_t *signer_algs;   /* NULL: match on tags alone */
	size_t nsigners;
	uint32_t ttl;                 /* original TTL */
	long long sig_expire;         /* earliest RRSIG expiration; 0 unknown */
};

struct rfc5011_change {
	uint16_t tag;                 /* the key's tag without REVOKE */
	enum ks_state from, to;       /* to KS_START/KS_REMOVED: dropped */
	enum rfc5011_event event;
};

#define RFC5011_CHANGES_MAX (2 * AW_ANCHOR_MAX)

struct rfc5011_result {
	struct rfc5011_change c[RFC5011_CHANGES_MAX];
	size_t n;
};

/* Hold-downs and keep-missing as the variant's product ships them. */
void rfc5011_defaults(struct rfc5011_params *p, enum rfc5011_variant v);
/* "rfc", "unbound", "knot" <-> variant; _from_name 0 or -1. */
int rfc5011_variant_from_name(const char *name, enum rfc5011_variant *v);
const char *rfc5011_variant_name(enum rfc5011_variant v);
/* "NewKey", "AddTime", ..., "Purge". */
const char *rfc5011_event_name(enum rfc5011_event e);
/* Start tp at now from n configured anchors: DNSKEYs and DS (a DS becomes
 * its DNSKEY at the first sighting), all Valid.  0, or -1 if n is too
 * many. */
int rfc5011_init(struct source *tp, const struct anchor *a, size_t n,
    long long now);
/*
 * One active refresh at now.  obs is what it received, NULL for no answer.
 * Self-signed revocations apply first (2.1); then the set counts only if
 * a trusted key signs it.  Returns 0 when obs validated and the state
 * table ran, 1 when the probe failed (no answer, or not validated), -1
 * when refused (clock before RFC5011_CLOCK_MIN, more keys than
 * AW_ANCHOR_MAX), tp unchanged.  res (may be NULL) gets the transitions.
 */
int rfc5011_probe(struct source *tp, const struct rfc5011_params *p,
    const struct rfc5011_obs *obs, long long now,
    struct rfc5011_result *res);
/* Section 2.3: MAX(1 hr, MIN(15 days, TTL/2, sig/2)) and MAX(1 hr,
 * MIN(1 day, TTL/10, sig/10)); sig_left <= 0 means unknown. */
unsigned rfc5011_query_interval(uint32_t ttl, long long sig_left);
unsigned rfc5011_retry_interval(uint32_t ttl, long long sig_left);
/* 1 if the trust point uses a for validation (Valid or Missing). */
int is_rfc5011_trusted(const struct source *tp, const struct anchor *a);
/* The observation a validated rootview stands for. */
void rfc5011_obs_from_rootview(struct rfc5011_obs *o,
    const struct rootview *rv);

/* ---- scenario.c: the replay scenario files ----------------------------- */

#define SCN_KEYS_MAX 8
#define SCN_STEPS_MAX 64
#define SCN_PROFILES_MAX 16
#define SCN_NAME_MAX 32
#define SCN_NOTE_MAX 160

enum prof_kind { PK_RFC5011, PK_STATIC, PK_UNWRITABLE };

struct scn_key {
	char name[SCN_NAME_MAX];
	struct dnskey key;
	unsigned line;
};

/* One published key of a step: index into keys[], flags as published. */
struct scn_pub {
	size_t key;
	uint16_t flags;
};

struct scn_step {
	long long when;
	char note[SCN_NOTE_MAX];
	int assumed;
	struct scn_pub pub[AW_RRSET_MAX];
	size_t npub;
	size_t sign[AW_RRSET_MAX];	/* indexes into keys[] */
	size_t nsign;
	unsigned line;
};

struct scn_profile {
	char name[AW_NAME_MAX];
	enum prof_kind kind;
	char type[24];
	enum rfc5011_variant variant;
	int have_variant;
	long long start;
	size_t anchors[SCN_KEYS_MAX];
	size_t nanchors;
	long long off_from;
	unsigned off_days;
	unsigned line;
	/* the run */
	struct rfc5011_params par;
	struct source tp;
	int started;
	struct finding *last;	/* findings at the previous moment */
	size_t nlast;
};

/* A scenario as scenario.c reads it; the run fields of each profile are
 * replay.c's. */
struct scenario {
	const char *path;
	char name[SCN_NOTE_MAX];
	uint32_t ttl;
	long long end;
	struct scn_key keys[SCN_KEYS_MAX];
	size_t nkeys;
	struct scn_step steps[SCN_STEPS_MAX];
	size_t nsteps;
	struct scn_profile prof[SCN_PROFILES_MAX];
	size_t nprof;
};

/* Load scenario file path into s (zeroed by the caller); 0, or -1 with
 * "FILE:LINE: problem" in err. */
int scenario_load(const char *path, struct scenario *s, char *err,
    size_t errlen);
/* The tag of key k published with flags. */
uint16_t scenario_tag(const struct dnskey *k, uint16_t flags);

/* ---- replay.c: anchorwatch replay SCENARIO ---------------------------- */

/* Play the scenario file path against its resolver profiles and print the
 * dated timeline to out.  Returns the worst severity seen, or -1 with
 * "FILE:LINE: problem" in err for a bad scenario. */
int replay_run(const char *path, FILE *out, char *err, size_t errlen);

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
	uint8_t kind;                /* T_K_* of traffic.c */
	uint8_t signal;
	uint8_t ntags;
	uint16_t tags[TRAFFIC_TAGS_MAX];
};

#define TRAFFIC_TCP_FLOWS 4096      /* TCP streams reassembled at once */
#define TRAFFIC_RING 16              /* queries between prefetch and use */

struct traffic {
	struct traffic_src *tab;     /* open addressing, linear probing */
	size_t cap, n;               /* cap: a power of two */
	uint64_t packets, queries, responses, tcp_segments, malformed, other;
	uint64_t dropped;            /* queries from sources beyond the cap */
	int64_t first_us, last_us;   /* span of the DNS queries seen */
	int64_t now_us;              /* time of the packet being parsed */
	int64_t span_us;             /* listening time of a live capture */
	int64_t since_us;            /* live dnstap: queries asked before this
	                              * (queued by the writer) are old */
	uint64_t old;                /* and so not counted */
	int live_dlt;                /* link type of the live capture */
	int truncated;               /* a file ended inside a packet */
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
};

int traffic_init(struct traffic *t);
void traffic_free(struct traffic *t);
/* Count one captured frame of link type dlt (pcap DLT_*); untrusted. */
void traffic_packet(struct traffic *t, int dlt, const uint8_t *p,
    size_t len, int64_t ts_us);
/* One DNS message (query or response) sent by addr (IPv4 v4-mapped) at
 * ts_us, from a source without link and IP layers (dnstap, a reassembled
 * TCP stream); untrusted.  A malformed message is counted as such. */
void traffic_message(struct traffic *t, const uint8_t addr[16],
    const uint8_t *msg, size_t len, int64_t ts_us);
/* The entry of addr, made if new (NULL past the source limit). */
struct traffic_src *traffic_entry(struct traffic *t, const uint8_t addr[16]);
void traffic_add_tag(struct traffic_src *s, uint16_t tag);
/* Count the queries still pending; every reader calls it at its end. */
void traffic_flush(struct traffic *t);
/* The entry of addr, or NULL (pending queries are counted first). */
struct traffic_src *traffic_lookup(struct traffic *t, const uint8_t addr[16]);

/* a + b, stopping at UINT32_MAX (counts added up from files and zones). */
static inline uint32_t
traffic_add32(uint32_t a, uint64_t b)
{
	return b > UINT32_MAX - (uint64_t)a ? UINT32_MAX : (uint32_t)(a + b);
}

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
 * counts files if merge); as capture_read_file for warnings. */
int traffic_read_any(struct traffic *t, const char *path, int merge,
    char *err, size_t errlen);
/* anchorwatch traffic [options] FILE...: 0 nothing flagged, 1 a source
 * flagged, -1 with err on bad arguments or an unreadable file.  defconf:
 * the configuration read without -c, when it exists. */
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
	uint64_t lost;               /* framing lost: segments that gave -1 */
	uint64_t lost_bytes;         /* payload bytes never delivered */
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
 * called for each whole DNS message this segment completes, in stream
 * order; msg is valid during the call only, and cb must not call back
 * into ft.  Returns 0, or -1 if the segment can only be counted as
 * malformed (the flow lost its message framing).
 */
int tcpflow_segment(struct tcpflow_table *ft, const uint8_t saddr[16],
    uint16_t sport, const uint8_t daddr[16], uint16_t dport, uint32_t seq,
    uint8_t flags, const uint8_t *payload, size_t len, int64_t ts_us,
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
 * Listen on a unix stream socket at path (mode 0666; a stale socket there
 * is replaced, any other file refused) for `seconds` seconds, a hard
 * deadline: count what the resolver's bidirectional Frame Streams
 * connections (several at once) send, then close and remove the socket.
 * Span and reporting are the caller's.  -1 with err on a setup failure.
 */
int dnstap_listen(struct traffic *t, const char *path, int seconds,
    char *err, size_t errlen);

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
/* Parse a reply to query id (untrusted input). */
int probe_parse(const unsigned char *p, size_t len, uint16_t id,
    struct probe_answer *pa);
/* The RFC 8509 sentinel name (is-ta if is, else not-ta) for tag. */
int probe_sentinel_name(char *buf, size_t len, int is, uint16_t tag,
    const char *domain);
/* Run every probe for one resolver into r->probe and r->loaded. */
void probe_resolver(const struct config *c, const struct resolver_conf *rc,
    const struct rootview *rv, struct resolver *r);

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

/* ---- detect.c: findings ------------------------------------------------ */

enum fcode {
	F_ANCHOR_STALE,
	F_SUCCESSOR_NOT_TRUSTED,
	F_REVOKED_STILL_TRUSTED,
	F_ZONE_MARKED_REVOKED,
	F_STATIC_ANCHOR,
	F_ANCHOR_NOT_WRITABLE,
	F_PROBE_OVERDUE,
	F_NO_ANCHOR,
	F_VALIDATION_OFF,
	F_VALIDATION_FAILING,
	F_NOT_VALIDATING,
	F_SENTINEL_NOT_TRUSTED,
	F_SENTINEL_DIFFERS,
	F_LOADED_DIFFERS_FROM_DISK,
	F_EVENT_AHEAD,
	F_RESOLVER_UNREACHABLE,
	F_DNSKEY_STORM,
	F_ROOT_UNREACHABLE,
	F_CONFIG_ERROR,
	F_CONFIG_REFUSED,
	F_NCODES
};

struct finding {
	enum fcode code;
	enum severity sev;
	char resolver[AW_NAME_MAX];   /* "" when about the agent itself */
	uint16_t tags[AW_TAGS_MAX];
	size_t ntags;
	char message[AW_ERR_MAX];
};

struct report {
	struct finding *f;
	size_t n, cap;
};

const char *detect_code_name(enum fcode c);
const char *detect_sev_name(enum severity s);
/* Worst severity: CRITICAL > UNKNOWN > WARNING > OK. */
enum severity detect_worst(const struct report *rep);
/* Append a finding; out of memory is fatal (exit 3) there. */
void detect_add(struct report *rep, enum fcode code, enum severity sev,
    const char *resolver, const uint16_t *tags, size_t ntags,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* 1 if a resolver relies on anchor a of its source s for validation:
 * Valid, Missing or static, without the REVOKE bit, in a file not marked
 * ;;REVOKED (RFC 5011 section 4). */
int is_trusted_anchor(const struct source *s, const struct anchor *a);
/* Findings about the agent's own view of the root. */
void detect_root(struct report *rep, const struct rootview *rv);
/* Pure: DNSKEY_STORM from what main.c measured. */
void detect_storm(struct report *rep, const struct storm *s,
    const struct config *c);
/* Findings for one resolver; fills r->ntrusted and r->probe_age. */
void detect_resolver(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, time_t now);
void report_free(struct report *rep);

/* ---- output-*.c -------------------------------------------------------- */

struct run {
	const struct config *cfg;
	const struct rootview *rv;
	struct resolver *resolvers;
	size_t nresolvers;
	struct report rep;
	time_t now;
	struct storm storm;
};

/* Comma-separated key tags of a finding, or "-". */
void output_tags(const struct finding *f, char *buf, size_t len);
void output_nagios(const struct run *run, FILE *out);
void output_text(const struct run *run, FILE *out);
void output_json(const struct run *run, FILE *out);
void output_syslog(const struct run *run);   /* syslog(3) */
/* The LOG_* facility of a syslog_facility name (LOG_DAEMON if unknown). */
int output_syslog_facility(const char *name);

/* ---- log.c ------------------------------------------------------------- */

void log_setprog(const char *name);
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Out of memory and the like: message, exit 3 (UNKNOWN). */
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);

#endif /* ANCHORWATCH_H */
