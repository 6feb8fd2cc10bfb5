/*
 * aw-plugin.h: check_anchorwatch, the monitoring plugin (plugin.c).
 */
#ifndef AW_AW_PLUGIN_H
#define AW_AW_PLUGIN_H

#include "aw-summary.h"

struct plugin_opts {
	const char *config;           /* -C */
	long warn_days, crit_days;    /* -w, -c DAYS; -1: the config's */
	long long warn_age, crit_age; /* -w, -c ,AGE seconds; -1: config's */
	int verbose;                  /* -v count */
	long timeout;                 /* -t */
	const char *host;             /* -H, or NULL */
	int live, recorded;           /* --live, --recorded */
};
#define PLUGIN_OPTS_INIT { NULL, -1, -1, -1, -1, 0, 0, NULL, 0, 0 }

/* 1 if argv0 names check_anchorwatch. */
int plugin_called(const char *argv0);
/* Parse check_anchorwatch's options; -h, -V and bad arguments exit 3. */
void plugin_parse(int argc, char *argv[], struct plugin_opts *po);
/* The thresholds in force: the configuration's, -w and -c over them. */
int plugin_thresholds(const struct config *c, const struct plugin_opts *po,
    struct thresholds *t, char *err, size_t errlen);
/* 1 if the recorded result is to be reported (unprivileged, --recorded). */
int plugin_wants_record(const struct plugin_opts *po);
/* Report state_dir's record with thresholds t; returns the exit code. */
int plugin_recorded(const struct config *c, const struct plugin_opts *po,
    const struct thresholds *t);

/* -H by a user who cannot write state_dir: the root DNSKEY set as the
 * last run recorded it (tags, flags, algorithms, signers; no key
 * material) into rv.  -1 with err when there is none fresh enough. */
int plugin_root_view(const struct config *c, struct rootview *rv,
    char *err, size_t errlen);

#endif /* AW_AW_PLUGIN_H */
