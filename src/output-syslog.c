/*
 * output-syslog.c: cron mode's voice.  One syslog(3) message per finding,
 * "SEVERITY CODE resolver=NAME keytag=TAGS msgid=AWnnn: message", the code
 * verbatim and a message id fixed per code, so that log alerting can
 * match either.
 */
#include <string.h>
#include <syslog.h>

#include "anchorwatch.h"
#include "aw-summary.h"

static const struct {
	const char *name;
	int facility;
} facilities[] = {
	{ "daemon", LOG_DAEMON }, { "user", LOG_USER },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

int
output_syslog_facility(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcmp(facilities[i].name, name) == 0)
			return facilities[i].facility;
	return LOG_DAEMON;
}

void
output_syslog(const struct run *run)
{
	const struct finding *f;
	char tags[64];
	size_t i;
	int prio;

	if (run->rep.n == 0)
		return;
	openlog("anchorwatch", LOG_PID, output_syslog_facility(
	    run->cfg->syslog_facility));
	for (i = 0; i < run->rep.n; i++) {
		f = &run->rep.f[i];
		prio = f->sev == SEV_CRITICAL ? LOG_CRIT : f->sev == SEV_WARNING
		    ? LOG_WARNING : f->sev == SEV_OK ? LOG_NOTICE : LOG_ERR;
		output_tags(f, tags, sizeof(tags));
		syslog(prio, "%s %s resolver=%s keytag=%s msgid=AW%u: %s",
		    detect_sev_name(f->sev), detect_code_name(f->code),
		    f->resolver[0] ? f->resolver : "-", tags,
		    detect_msgid(f->code), f->message);
	}
	closelog();
}
