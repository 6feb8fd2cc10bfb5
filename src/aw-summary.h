/*
 * aw-summary.h: what a run found, in a form that outlives it.
 *
 * A summary is what the plugin, the Prometheus textfile and the recorded
 * result are made from: the live run builds one (summary.c), `run` writes
 * it to state_dir/last-run.json (record.c), and check_anchorwatch, run by
 * an unprivileged monitoring user, reads it back and judges it with its
 * own thresholds (plugin.c).  Its findings are candidates until
 * detect_grade has judged them.
 */
#ifndef AW_AW_SUMMARY_H
#define AW_AW_SUMMARY_H

#include "anchorwatch.h"
#include "aw-probe.h"

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
void output_text(const struct run *run, FILE *out);
void output_json(const struct run *run, FILE *out);
void output_syslog(const struct run *run);   /* syslog(3) */
/* The LOG_* facility of a syslog_facility name (LOG_DAEMON if unknown). */
int output_syslog_facility(const char *name);

/* detect.c: EVENT_AHEAD and PROBE_OVERDUE are found as candidates (events within
 * EV_HORIZON_DAYS, every probe age) and graded against thresholds: those of
 * the configuration, or check_anchorwatch's -w and -c. */
#define EV_HORIZON_DAYS 366
struct thresholds {
	unsigned warn_days, crit_days;        /* days before an event */
	long long probe_warn, probe_crit;     /* probe age, s; crit 0: none */
};
void detect_thresholds(const struct config *c, struct thresholds *t);
/* Set the severity of each candidate, drop those below threshold. */
void detect_grade(struct report *rep, const struct thresholds *t);

#define SUM_RECORD_NAME "last-run.json"
#define SUM_RECORD_VERSION 1
/* A record larger than this is not one of ours. */
#define SUM_RECORD_MAX (4 * 1024 * 1024)

struct sum_key {
	uint16_t tag;
	uint8_t alg;
	uint16_t flags;
	int signing;                  /* signs the root DNSKEY set */
	int revoked;                  /* REVOKE bit set */
	char agent_state[16];         /* the agent's RFC 5011 state, "" none */
};

struct sum_resolver {
	char name[AW_NAME_MAX];
	char type[24];
	int ntrusted;
	uint16_t trusted[AW_TAGS_MAX];
	size_t ntags;
	long long probe_age;          /* seconds, -1 when unknown */
	char answers[AW_ERR_MAX];     /* -H: what its answers showed */
};

struct summary {
	long long time;               /* the run's clock (--now moves it) */
	long long written;            /* the wall clock at its end */
	double duration;              /* seconds the run took */
	int root_secure;
	char root_why[AW_ERR_MAX];
	struct sum_key keys[AW_RRSET_MAX];
	size_t nkeys, nsigners;
	struct sum_resolver *res;
	size_t nres;
	struct report rep;
	/* The next root KSK event a resolver can fail at, "" if none. */
	char next_id[32];
	char next_name[128];
	long long next_when;
	/* DNSKEY_STORM measurement (traffic:), when made. */
	int storm_measured;
	double storm_rate;
	unsigned storm_warn, storm_crit;
	/* A run that could not judge (exit 3) says why here. */
	char unknown[AW_ERR_MAX];
	char unknown_code[32];        /* finding code, "" when none fits */
};

/* From a finished run; findings from rep (the candidates). */
void summary_build(struct summary *s, const struct run *run,
    const struct report *rep, long long started);
void summary_free(struct summary *s);
/* The worst severity: UNKNOWN for a run that could not judge. */
enum severity summary_worst(const struct summary *s);

/* record.c: state_dir/last-run.json, written atomically (mode 0644). */
int record_write(const char *state_dir, const struct summary *s, char *err,
    size_t errlen);
/* A run that could not judge: a record saying so (errors to stderr). */
void record_unknown(const char *state_dir, const char *label,
    const char *msg);
/* Read path into s (untrusted: every field checked).  -1: err says why,
 * naming the file. */
int record_read(const char *path, struct summary *s, char *err,
    size_t errlen);

/* output-prom.c: the Prometheus textfile, written atomically. */
int output_prom(const char *path, const struct summary *s, char *err,
    size_t errlen);
void output_prom_write(const struct summary *s, FILE *out);

/* output-nagios.c: the plugin's output from a summary of candidates,
 * judged by o->thr; verbose as -v gave it.  Returns the state (the exit
 * code). */
struct nagios_opts {
	const struct thresholds *thr;
	int verbose;
	const char *source;           /* "recorded ... ago", or NULL: live */
};
enum severity output_nagios_summary(const struct summary *s,
    const struct nagios_opts *o, FILE *out);
/* The longest first line (status and perfdata), NRPE's limit. */
#define NAGIOS_LINE_MAX 1024

#endif /* AW_AW_SUMMARY_H */
