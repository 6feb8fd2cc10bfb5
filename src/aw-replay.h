/*
 * aw-replay.h: the RFC 5011 state machine, scenario files and replay.
 * Part of anchorwatch.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 */
#ifndef AW_AW_REPLAY_H
#define AW_AW_REPLAY_H

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

#endif /* AW_AW_REPLAY_H */
