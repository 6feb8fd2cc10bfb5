/*
 * plugin.c: anchorwatch as check_anchorwatch, a monitoring plugin.
 *
 * Called by that name (a link to the binary), it takes the options of the
 * monitoring-plugins guidelines: -C/--config, -w/--warning and
 * -c/--critical (days before an event, and optionally the age of a
 * resolver's last RFC 5011 probe), -H/--host, -t/--timeout,
 * -v/--verbose (repeatable), -h/--help and -V/--version (both exit 3, as
 * the guidelines say).  A bad argument is one UNKNOWN line with a short
 * usage, exit 3.
 *
 * Run by an unprivileged user (nagios under NRPE, icinga), it reports the
 * result the last privileged `anchorwatch run` recorded in state_dir,
 * judged with its own thresholds, and UNKNOWN when that record is older
 * than checks.record_max_age: the timer or cron is not running.  Run by
 * root, or with --live, it runs the whole check itself, as
 * `anchorwatch check` does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aw-summary.h"
#include "aw-plugin.h"

#define PLUGIN_NAME "check_anchorwatch"
#define PLUGIN_USAGE "usage: check_anchorwatch [-hvV] [-C file] " \
	"[-w days[,age]] [-c days[,age]] [-H address[@port]] [-t seconds] " \
	"[--live | --recorded]"

int
plugin_called(const char *argv0)
{
	const char *b = strrchr(argv0, '/');

	return strcmp(b != NULL ? b + 1 : argv0, PLUGIN_NAME) == 0;
}

static void
plugin_help(void)
{
	printf("%s (anchorwatch %s)\n"
	    "Checks that the DNSSEC-validating resolvers of this host trust "
	    "the root's\nkey-signing key, and will still trust it after the "
	    "coming root KSK events.\n\n%s\n\n"
	    "  -C, --config FILE     anchorwatch.yaml (default "
	    "/etc/anchorwatch/anchorwatch.yaml)\n"
	    "  -w, --warning DAYS[,AGE]\n"
	    "                        WARNING when a resolver would not survive "
	    "an event\n"
	    "                        within DAYS, or its last RFC 5011 probe is "
	    "older than\n"
	    "                        AGE (seconds, or with s, m, h, d); default "
	    "from the\n"
	    "                        configuration (events.warn_days, "
	    "checks.probe_overdue)\n"
	    "  -c, --critical DAYS[,AGE]\n"
	    "                        CRITICAL likewise (events.critical_days, "
	    "checks.probe_critical)\n"
	    "  -H, --host ADDRESS[@PORT]\n"
	    "                        judge the resolver at ADDRESS from its "
	    "answers alone\n"
	    "  -t, --timeout SECONDS UNKNOWN after this long (default 60)\n"
	    "  -v, --verbose         more lines: -v each resolver's keys, -vv "
	    "where the\n"
	    "                        verdict comes from and the thresholds, -vvv "
	    "the root's keys\n"
	    "      --live            run the check now (needs the rights of "
	    "`anchorwatch run`)\n"
	    "      --recorded        report the result `anchorwatch run` "
	    "recorded, even as root\n"
	    "  -h, --help            this help (exit 3)\n"
	    "  -V, --version         the version (exit 3)\n\n"
	    "Unprivileged, the result recorded by the last `anchorwatch run` "
	    "(the timer)\nin state_dir is reported; older than "
	    "checks.record_max_age, UNKNOWN.\nExit: 0 OK, 1 WARNING, 2 "
	    "CRITICAL, 3 UNKNOWN.  See anchorwatch(8).\n",
	    PLUGIN_NAME, AW_VERSION, PLUGIN_USAGE);
}

static void __attribute__((noreturn))
plugin_bad(const char *fmt, const char *arg)
{
	printf("ANCHORWATCH UNKNOWN - bad argument: ");
	printf(fmt, arg);
	printf("; %s\n", PLUGIN_USAGE);
	exit(SEV_UNKNOWN);
}

/* AGE: decimal seconds, or with one of s, m, h, d. */
static int
plugin_age(const char *s, long long *out)
{
	static const struct { char c; long long mul; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	long long mul = 1, v;
	char *end;
	size_t i;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (end[0] == units[i].c && end[1] == '\0')
				mul = units[i].mul;
		if (mul == 1 && !(end[0] == 's' && end[1] == '\0'))
			return -1;
	}
	if (v <= 0 || v > 31622400 / mul)
		return -1;
	*out = v * mul;
	return 0;
}

/* "DAYS" or "DAYS,AGE" into *days and *age (-1: not given). */
static int
plugin_threshold(const char *arg, long *days, long long *age)
{
	char buf[64], *comma, *end;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", arg);
	*age = -1;
	if ((comma = strchr(buf, ',')) != NULL) {
		*comma = '\0';
		if (plugin_age(comma + 1, age) == -1)
			return -1;
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	*days = strtol(buf, &end, 10);
	return *end != '\0' || errno != 0 || *days > EV_HORIZON_DAYS ? -1 : 0;
}

void
plugin_parse(int argc, char *argv[], struct plugin_opts *po)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "critical", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "live", no_argument, NULL, 'L' },
		{ "recorded", no_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "warning", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:c:hH:t:vVw:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			po->config = optarg;
			break;
		case 'c':
			if (plugin_threshold(optarg, &po->crit_days,
			    &po->crit_age) == -1)
				plugin_bad("-c \"%s\": expected DAYS[,AGE] "
				    "(0..366 days; AGE seconds or with s, m, h, "
				    "d)", optarg);
			break;
		case 'w':
			if (plugin_threshold(optarg, &po->warn_days,
			    &po->warn_age) == -1)
				plugin_bad("-w \"%s\": expected DAYS[,AGE] "
				    "(0..366 days; AGE seconds or with s, m, h, "
				    "d)", optarg);
			break;
		case 'H':
			po->host = optarg;
			break;
		case 'L':
			po->live = 1;
			break;
		case 'R':
			po->recorded = 1;
			break;
		case 't':
			errno = 0;
			po->timeout = strtol(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' ||
			    errno != 0 || po->timeout < 1 || po->timeout > 86400)
				plugin_bad("-t \"%s\": expected seconds, 1 to "
				    "86400", optarg);
			break;
		case 'v':
			po->verbose++;
			break;
		case 'h':
			plugin_help();
			exit(SEV_UNKNOWN);
		case 'V':
			printf("%s (anchorwatch %s)\n", PLUGIN_NAME,
			    AW_VERSION);
			exit(SEV_UNKNOWN);
		case ':':
			plugin_bad("%s needs a value", argv[optind - 1]);
		default:
			plugin_bad("%s is not an option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		plugin_bad("\"%s\" is not an option", argv[optind]);
	if (po->live && po->recorded)
		plugin_bad("%s: one of --live and --recorded", "--live");
}

int
plugin_thresholds(const struct config *c, const struct plugin_opts *po,
    struct thresholds *t, char *err, size_t errlen)
{
	detect_thresholds(c, t);
	if (po->warn_days >= 0)
		t->warn_days = (unsigned)po->warn_days;
	if (po->crit_days >= 0)
		t->crit_days = (unsigned)po->crit_days;
	if (po->warn_age > 0)
		t->probe_warn = po->warn_age;
	if (po->crit_age > 0)
		t->probe_crit = po->crit_age;
	if (t->crit_days > t->warn_days) {
		snprintf(err, errlen, "critical days (%u) more than warning "
		    "days (%u)", t->crit_days, t->warn_days);
		return -1;
	}
	if (t->probe_crit > 0 && t->probe_crit < t->probe_warn) {
		snprintf(err, errlen, "critical probe age (%lld s) less than "
		    "warning (%lld s)", t->probe_crit, t->probe_warn);
		return -1;
	}
	return 0;
}

int
plugin_wants_record(const struct plugin_opts *po)
{
	if (po->recorded)
		return 1;
	return !po->live && po->host == NULL && geteuid() != 0;
}

int
plugin_recorded(const struct config *c, const struct plugin_opts *po,
    const struct thresholds *t)
{
	struct nagios_opts no = { t, po->verbose, NULL };
	struct summary s;
	char path[AW_PATH_MAX + 32], err[AW_ERR_MAX], source[AW_PATH_MAX + 96];
	long long now = time(NULL), age;
	enum severity worst;

	snprintf(path, sizeof(path), "%s/%s", c->state_dir, SUM_RECORD_NAME);
	if (access(path, F_OK) == -1 && errno == ENOENT) {
		printf("ANCHORWATCH UNKNOWN - no recorded result: %s does not "
		    "exist; has `anchorwatch run` (anchorwatch.timer or cron) "
		    "run yet?\n", path);
		return SEV_UNKNOWN;
	}
	if (record_read(path, &s, err, sizeof(err)) == -1) {
		printf("ANCHORWATCH UNKNOWN - %s\n", err);
		return SEV_UNKNOWN;
	}
	age = now - s.written;
	if (age > (long long)c->record_max_age || age < -300) {
		printf("ANCHORWATCH UNKNOWN - recorded result %s is %lld s "
		    "old (checks.record_max_age %u s): is anchorwatch.timer "
		    "(or cron) running `anchorwatch run`?\n", path,
		    age, c->record_max_age);
		summary_free(&s);
		return SEV_UNKNOWN;
	}
	snprintf(source, sizeof(source), "recorded in %s %lld s ago", path,
	    age < 0 ? 0 : age);
	no.source = source;
	worst = output_nagios_summary(&s, &no, stdout);
	summary_free(&s);
	return worst;
}

int
plugin_root_view(const struct config *c, struct rootview *rv, char *err,
    size_t errlen)
{
	struct summary s;
	char path[AW_PATH_MAX + 32];
	long long age;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", c->state_dir, SUM_RECORD_NAME);
	if (record_read(path, &s, err, errlen) == -1)
		return -1;
	age = (long long)time(NULL) - s.written;
	if (age > (long long)c->record_max_age || s.unknown[0] != '\0') {
		snprintf(err, errlen, "-H: %s cannot be written by this user, "
		    "and the root view recorded in %s is %s: is "
		    "anchorwatch.timer running?", c->state_dir, path,
		    s.unknown[0] != '\0' ? "of a run that could not judge" :
		    "too old");
		summary_free(&s);
		return -1;
	}
	memset(rv, 0, sizeof(*rv));
	rv->is_secure = s.root_secure;
	snprintf(rv->why, sizeof(rv->why), "%s", s.root_why);
	for (i = 0; i < s.nkeys; i++) {
		rv->keys[rv->nkeys].tag = s.keys[i].tag;
		rv->keys[rv->nkeys].flags = s.keys[i].flags;
		rv->keys[rv->nkeys].algorithm = s.keys[i].alg;
		rv->keys[rv->nkeys++].protocol = 3;
		if (s.keys[i].signing) {
			rv->signers[rv->nsigners] = s.keys[i].tag;
			rv->signer_algs[rv->nsigners++] = s.keys[i].alg;
		}
	}
	summary_free(&s);
	return 0;
}
