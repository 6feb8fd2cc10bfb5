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
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <time.h>

/* The Makefile passes both, from VERSION and PKGDATADIR; these fallbacks
 * are for a compile by hand.  AW_DATADIR holds the shipped calendar and
 * CA certificate (replaced on upgrade; the operator's own go in /etc). */
#ifndef AW_VERSION
#define AW_VERSION "0.1.0"
#endif
#ifndef AW_DATADIR
#define AW_DATADIR "/usr/share/anchorwatch"
#endif

#define AW_NAME_MAX 64      /* resolver name, user name */
#define AW_PATH_MAX 1024    /* any path we keep */
#define AW_ERR_MAX 512      /* one error or finding message */
#define AW_KEY_MAX 1024     /* DNSKEY public key bytes (RSA-4096 is 516) */
#define AW_DIGEST_MAX 64    /* DS digest bytes (SHA-384 is 48) */
#define AW_RRSET_MAX 32     /* keys in one root DNSKEY RRset, signers too */
#define AW_ANCHOR_MAX 64    /* anchors in one source */
#define AW_FILE_MAX (1024 * 1024) /* largest config or anchor file read */
/* What reading one resolver may take (reader_read): files and bytes
 * loaded, includes and anchor files all counted, and anchor sources.
 * Far above real configurations; an include fan-out or a glob of
 * thousands of files stops there with a CONFIG_ERROR naming the cap. */
#define AW_READ_FILES_MAX 256
#define AW_READ_BYTES_MAX (16 * 1024 * 1024)
#define AW_SOURCES_MAX 1024
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
/* The DS of key k (owner ".") with digest type (2: SHA-256, 4: SHA-384)
 * into out.  0, or -1 for an unknown type. */
int keyset_ds_of_key(const struct dnskey *k, uint8_t type, struct ds *out);
/* Presentation rdata: "257 3 8 AwEAA..." (base64 on one line) and
 * "38696 8 2 683D2D0A..." (upper-case hex).  0, or -1 if it does not fit. */
int keyset_format_dnskey(const struct dnskey *k, char *buf, size_t len);
int keyset_format_ds(const struct ds *d, char *buf, size_t len);
/* 1 if the anchor designates key k (DNSKEY match or DS digest match). */
int is_anchor_for(const struct anchor *a, const struct dnskey *k);
/* Tag the anchor is known by (key tag, or DS key tag). */
uint16_t keyset_anchor_tag(const struct anchor *a);
const char *keyset_state_name(enum ks_state s);

/* fileio.c and spawn.c: files and other programs. */
#include "aw-io.h"

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
struct fix_trust;
struct fix_plan;

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
	/* resolvers.reload: the command after a repair, argv; 0 words:
	 * the reader's default. */
	char reload[8][AW_PATH_MAX / 4];
	size_t nreload;
	unsigned line;                    /* line of the entry in the config */
};

/* traffic: where check and run listen for the local DNSKEY rate. */
struct traffic_conf {
	char dnstap_socket[AW_PATH_MAX];  /* "" = none */
	char dnstap_group[AW_NAME_MAX];   /* the socket's group; "" = none */
	char interface[32];               /* "" = none */
	unsigned seconds;                 /* listening time */
	unsigned warn_rate;               /* root DNSKEY per minute */
	unsigned critical_rate;
};

/* fix: repairs. */
struct fix_conf {
	int autofix;                      /* fix.auto: run applies them */
	char anchors_xml[AW_PATH_MAX];    /* root-anchors.xml, "" = none */
	char anchors_p7s[AW_PATH_MAX];    /* its detached signature */
	char ca_cert[AW_PATH_MAX];        /* the CA that signs it */
	unsigned reload_timeout;          /* seconds for each command */
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
	unsigned probe_critical;          /* seconds, 0: never CRITICAL */
	unsigned record_max_age;          /* seconds, checks.record_max_age */
	char prometheus_textfile[AW_PATH_MAX]; /* "" = none */
	char syslog_facility[16];         /* "daemon" by default */
	int probes;                       /* probes.enabled */
	unsigned probe_timeout;           /* probes.timeout, seconds */
	char signed_name[256];            /* probes.signed_name, "" = none */
	char sentinel_domain[256];        /* probes.sentinel_domain */
	struct events_conf events;        /* events: (events.c) */
	struct traffic_conf traffic;      /* traffic: DNSKEY_STORM */
	struct fix_conf fix;              /* fix: repairs */
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
/* syslog.facility of path, read forgivingly ("daemon" if none). */
void config_peek_facility(const char *path, char *buf, size_t len);

/* ---- reader.c, resolver.c, anchor-*.c: what each resolver trusts ------ */

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
	/* nanchors anchors (at most AW_ANCHOR_MAX, which the readers
	 * check), room for anchorcap: owned by the source, grown by
	 * source_add_anchor, freed by source_free.  A struct source is
	 * copied with source_copy, never by assignment. */
	struct anchor *anchors;
	size_t nanchors, anchorcap;
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
	/* Set by reader_read when a file it read is writable by every user:
	 * "path is writable by every user (mode 0666): ...". */
	char world_writable[AW_ERR_MAX];
	int rfc5011;                  /* reader->rfc5011, set by main.c */
	enum dnssec_mode dnssec;
	char dnssec_where[AW_PATH_MAX + 16]; /* "file:line" saying it is off */
	/* What the running daemon says it trusts (probe.c, reader->loaded). */
	int have_loaded;
	char loaded_how[64];          /* "trustanchor.unbound CH TXT", ... */
	uint16_t loaded[AW_RRSET_MAX];
	size_t nloaded;
	struct probe_result probe;
	/* -H (remote.c): what its answers alone showed; "" otherwise */
	char answers[AW_ERR_MAX];
	/* filled by detect for perfdata */
	int ntrusted;
	long long probe_age;          /* seconds since last success; -1 none */
};

/*
 * One row of the reader table: everything a resolver type means.  Each
 * reader file defines its own row (unbound_reader at the end of
 * anchor-unbound.c, ...); reader.c lists them.  A new type is a new
 * anchor-<type>.c with its row, and one line in reader.c.
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
	/* Optional: plan the repair of r under t (fix.c): new contents of
	 * the files it reads, in their own formats (written by the module
	 * that parses each), commands, lines to suggest for the main
	 * configuration.  0, or -1 with err (the plan is then refused). */
	int (*repair)(const struct resolver_conf *rc, const struct resolver *r,
	    const struct fix_trust *t, long long now, struct fix_plan *p,
	    char *err, size_t errlen);
	/* The command that makes the daemon read its anchors again after
	 * a repair (argv, NULL-terminated; resolvers.reload overrides). */
	const char *const *reload;
};

#define READERS_MAX 16     /* rows of the table */

/* The rows, each defined in its reader's file. */
extern const struct reader unbound_reader, bind_reader, knot_reader,
    pdns_reader, resolved_reader, dnsmasq_reader;

const struct reader *reader_find(const char *type);
/* rd->read under the caps of one resolver's reading (AW_READ_FILES_MAX,
 * AW_READ_BYTES_MAX, AW_SOURCES_MAX): as rd->read, -1 with err naming
 * the cap that was passed. */
int reader_read(const struct reader *rd, const struct resolver_conf *rc,
    struct resolver *r, long long now, char *err, size_t errlen);
/* The table itself, for discover and config: *n pointers to rows. */
const struct reader *const *reader_all(size_t *n);
/* The type a replay profile has when it names none. */
const struct reader *reader_default(void);
/* Append a zeroed anchor to s (grown as needed) and return it; out of
 * memory is fatal.  The caller keeps AW_ANCHOR_MAX. */
struct anchor *source_add_anchor(struct source *s);
/* Room for n anchors in s: s->anchors[0..n) may then be written. */
void source_reserve(struct source *s, size_t n);
/* dst becomes a copy of src, anchors included (dst's own freed first). */
void source_copy(struct source *dst, const struct source *src);
/* Free s's anchors and zero s.  source_free(NULL) is safe. */
void source_free(struct source *s);
/* Add an empty source to r and return it, zeroed; out of memory is fatal.
 * Past AW_SOURCES_MAX it sets r->error (the cap) and hands out the last
 * source again, emptied: memory stays bounded, and the resolver is a
 * CONFIG_ERROR. */
struct source *resolver_add_source(struct resolver *r);
void resolver_free(struct resolver *r);

/* anchor-unbound.c */
int unbound_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
#include "aw-formats.h"

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
	/* Not "": the agent's anchor file was found unusable (empty, cut,
	 * unparsable) and restored or seeded again: what and how. */
	char restored[AW_ERR_MAX * 2];
	const struct history *hist;   /* the agent's history, or NULL */
	/* The calendar (its hist set too), for verdicts without the live
	 * root; NULL if none. */
	const struct calendar *cal;
};

/* Resolve ". DNSKEY" with a fresh libunbound context, in a process of its
 * own that is ended after timeout seconds (root.timeout); during(arg), if
 * not NULL, runs in this process meanwhile (it must not need rv).  Returns
 * 0 when a query was made, answered or not (rv->is_secure tells the
 * outcome, rv->why why not), -1 on a setup error (during may not have
 * run). */
int query_root(const struct config *c, unsigned timeout,
    void (*during)(void *), void *arg, struct rootview *rv, char *err,
    size_t errlen);
/* Wait until the query process of the last query_root, which sent its
 * answer, has made the good copy of the agent's anchor file; collect it
 * if it has ended (else it ends by itself, or with this process). */
void query_reap(void);
/* 1 if key k of the root RRset signs the RRset (tag and algorithm match an
 * RRSIG and the key is not revoked). */
int is_signing(const struct rootview *rv, const struct dnskey *k);
/* Parse a DNS message holding the answer to ". DNSKEY" (untrusted). */
int query_parse_answer(const unsigned char *pkt, size_t len,
    struct rootview *rv, char *err, size_t errlen);

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
	/* The file as read: its size in bytes (0: none), its "seen" lines,
	 * and whether its last line was cut (no newline: a run ended while
	 * appending), which was left out. */
	size_t size;
	unsigned nseen;
	int torn;
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
/* Write h to path.  When old is the file as state_load read it and h
 * differs from it only by this run's sightings, one "seen" line is
 * appended; else the file is replaced atomically and read back. */
int state_save(const char *path, const struct history *old,
    const struct history *h, char *err, size_t errlen);
/* 1 if an RFC 5011 resolver running all along trusts key e at time t. */
int is_compliant_trust(const struct hist_key *e, long long t,
    long long add_holddown, long long keep_missing);

#include "aw-replay.h"

#include "aw-traffic.h"

#include "aw-fix.h"

#include "aw-probe.h"

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
	F_FIX_REFUSED,
	F_FIX_APPLIED,
	F_FIX_FAILED,
	F_CLOCK_SUSPECT,
	F_AGENT_ANCHOR_RESTORED,
	F_WORLD_WRITABLE,
	F_NCODES
};

struct finding {
	enum fcode code;
	enum severity sev;
	char resolver[AW_NAME_MAX];   /* "" when about the agent itself */
	uint16_t tags[AW_TAGS_MAX];
	size_t ntags;
	char message[AW_ERR_MAX];
	/* What detect_grade judges: EVENT_AHEAD seconds until the event,
	 * PROBE_OVERDUE the probe's age in seconds; 0 for the others. */
	long long value;
};

struct report {
	struct finding *f;
	size_t n, cap;
};

const char *detect_code_name(enum fcode c);
/* syslog message id: AW<n> (code_msgids); AW900 an error with no code,
 * AW901 the run timed out. */
#define AW_MSGID_ERROR 900
#define AW_MSGID_TIMEOUT 901
unsigned detect_msgid(enum fcode c);
unsigned detect_msgid_of(const char *name);
const char *detect_sev_name(enum severity s);
/* Worst severity: CRITICAL > UNKNOWN > WARNING > OK. */
enum severity detect_worst(const struct report *rep);
/* The worse of two severities, in detect_worst's order. */
enum severity detect_worse(enum severity a, enum severity b);
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
/* 1 if root key k is past its add hold-down by the agent's own view. */
int is_past_holddown(const struct rootview *rv, const struct dnskey *k,
    const struct config *c, time_t now);
/* Findings for one resolver; fills r->ntrusted and r->probe_age. */
void detect_resolver(struct report *rep, const struct rootview *rv,
    struct resolver *r, const struct config *c, time_t now);
void report_free(struct report *rep);
/* Append from's findings from index first on to to. */
void report_append(struct report *to, const struct report *from,
    size_t first);

/* help.c: the usage message, with the default config and -t. */
void help_usage(FILE *f, const char *config, int timeout);

/* ---- log.c ------------------------------------------------------------- */

void log_setprog(const char *name);
/* on: this process is the plugin (check mode): a fatal error then also
 * prints its one "ANCHORWATCH UNKNOWN - ..." line on stdout. */
void log_plugin_line(int on);
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Out of memory and the like: message, exit 3 (UNKNOWN). */
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2),
    noreturn));
/* Cron mode's word when -t expires, formatted ahead at facility for
 * budget seconds; sent from the SIGALRM handler (async-signal-safe). */
void log_timeout_prepare(int facility, unsigned budget);
void log_timeout_send(void);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);

#endif /* ANCHORWATCH_H */
