/*
 * main.c: arguments, modes and the mapping of results to exit codes.
 *
 * check   Nagios/Icinga plugin: status line, perfdata, detail lines, exit
 *         0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 * status  a report for a person (--json: for programs).
 * run     cron mode: silent when all is well, findings to syslog(3), a lock
 *         so that overlapping runs cannot collide, exit as for check.
 *
 * Every run is bounded by alarm(2) (-t); expiry is UNKNOWN, and in cron
 * mode it reaches syslog as well.  root.timeout bounds the root query
 * alone (query.c): the run goes on without the live root.  Nothing but
 * this file exits (fatalx aside, which is exit 3 as well).
 */
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "anchorwatch.h"
#include "aw-plugin.h"
#include "aw-priv.h"
#include "aw-summary.h"

#define DEFAULT_CONFIG "/etc/anchorwatch/anchorwatch.yaml"
#define DEFAULT_TIMEOUT 60

enum mode { MODE_CHECK, MODE_STATUS, MODE_RUN, MODE_EVENTS, MODE_FIX };

static enum mode main_mode;
static int main_json;
/* -H: the one resolver check asks, from its answers alone (remote.c),
 * and how many times -H was given. */
static const char *main_host;
static int main_nhost;
static int main_view;		/* -H with the recorded root: no writes */
static int main_apply;		/* fix --apply */
/* fix RESOLVER...: the names given (argv), or none: all. */
static char *const *main_only;
static size_t main_nonly;
/* 1 when --now moved the clock: the agent's history is then read, never
 * written (a question about another date must not change the record). */
static int main_now_set;
static long long main_now;	/* --now, epoch seconds */
/* The root KSK events (events.c), loaded by main_calendar. */
static struct calendar main_cal;
/* What SIGALRM sends to syslog in cron mode (main_prepare_syslog), and
 * the facility of cron mode's messages once the configuration is read. */
static int main_facility = LOG_DAEMON;
/* check_anchorwatch's options (plugin.c); anchorwatch check: defaults. */
static struct plugin_opts main_po = PLUGIN_OPTS_INIT;
static struct thresholds main_thr;
/* Once the configuration is read: where run records an UNKNOWN. */
static const struct config *main_cfg;
/* CLOCK_SUSPECT's message when the clock went back, "" if not. */
static char main_clock[AW_ERR_MAX];
/* How far back the clock may step between runs (NTP's corrections). */
#define CLOCK_SLACK 300

/* SIGALRM: the run took longer than -t.  Only async-signal-safe calls
 * here: kill(2) of a helper's group, write(2), send(2) of what
 * log_timeout_prepare made, _exit(2). */
static void
main_timeout(int sig)
{
	static const char plugin[] = "ANCHORWATCH UNKNOWN - timed out\n";
	static const char other[] = "anchorwatch: timed out\n";

	(void)sig;
	spawn_abort();		/* a helper running now, and its children */
	if (main_mode == MODE_CHECK)
		(void)!write(STDOUT_FILENO, plugin, sizeof(plugin) - 1);
	if (main_mode == MODE_RUN)
		log_timeout_send();
	(void)!write(STDERR_FILENO, other, sizeof(other) - 1);
	_exit(SEV_UNKNOWN);
}

/* A problem before any finding could be made: say so where the mode's
 * reader looks (plugin status line, syslog for cron, stderr always), and
 * exit 3.  label is the finding code, or NULL when none fits. */
static void __attribute__((noreturn))
main_unknown(const char *label, const char *msg)
{
	if (main_mode == MODE_CHECK)
		printf("ANCHORWATCH UNKNOWN - %s%s%s\n", label ? label : "",
		    label ? ": " : "", msg);
	fflush(stdout);
	if (main_mode == MODE_RUN && main_cfg != NULL && !main_now_set)
		record_unknown(main_cfg->state_dir, label, msg);
	if (main_mode == MODE_RUN) {
		openlog("anchorwatch", LOG_PID, main_facility);
		syslog(LOG_ERR, "UNKNOWN %s resolver=- keytag=- msgid=AW%u: %s",
		    label ? label : "ERROR", detect_msgid_of(label), msg);
		closelog();
	}
	log_warnx("%s", msg);
	exit(SEV_UNKNOWN);
}

/* Strict decimal in [lo, hi]. */
static int
main_number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/*
 * A reader's error names the file and line at fault.  When the fault is a
 * file named in anchorwatch.yaml that cannot be read at all, it has no line
 * of its own: point at the resolver's entry in anchorwatch.yaml instead.
 */
static void
main_locate(const struct config *c, const struct resolver_conf *rc,
    char *err, size_t errlen)
{
	char tmp[AW_ERR_MAX];
	const char *p;
	size_t i, n;

	if (err[0] == '\0') {
		snprintf(err, errlen, "%s:%u: resolver %s: cannot be read",
		    c->path, rc->line, rc->name);
		return;
	}
	for (i = 0; i <= rc->nanchor_files; i++) {
		p = i == 0 ? rc->config : rc->anchor_files[i - 1];
		n = strlen(p);
		if (n > 0 && strncmp(err, p, n) == 0 && err[n] == ':' &&
		    !isdigit((unsigned char)err[n + 1])) {
			snprintf(tmp, sizeof(tmp), "%s:%u: resolver %s: %s",
			    c->path, rc->line, rc->name, err);
			snprintf(err, errlen, "%s", tmp);
			return;
		}
	}
}

/* Read every configured resolver; failures become CONFIG_ERROR later. */
static struct resolver *
main_read_resolvers(const struct config *c, long long now)
{
	const struct resolver_conf *rc;
	const struct reader *rd;
	struct resolver *rs, *r;
	size_t i;

	rs = xcalloc(c->nresolvers ? c->nresolvers : 1, sizeof(*rs));
	for (i = 0; i < c->nresolvers; i++) {
		rc = &c->resolvers[i];
		r = &rs[i];
		snprintf(r->name, sizeof(r->name), "%s", rc->name);
		snprintf(r->type, sizeof(r->type), "%s", rc->type);
		if ((rd = reader_find(rc->type)) != NULL)
			r->rfc5011 = rd->rfc5011;
		if (rd == NULL)
			snprintf(r->error, sizeof(r->error), "%s:%u: unknown "
			    "resolver type \"%s\"", c->path, rc->line,
			    rc->type);
		else if (reader_read(rd, rc, r, now, r->error,
		    sizeof(r->error)) == -1)
			main_locate(c, rc, r->error, sizeof(r->error));
	}
	return rs;
}

/* Make state_dir if it is missing (the package normally creates it),
 * and refuse one that others could write in. */
static void
main_state_dir(const struct config *c)
{
	char msg[AW_ERR_MAX], dir[AW_PATH_MAX];

	if (mkdir(c->state_dir, 0755) == -1 && errno != EEXIST) {
		snprintf(msg, sizeof(msg), "%s: cannot create state_dir: %s",
		    c->state_dir, strerror(errno));
		main_unknown(NULL, msg);
	}
	/* Run as root, anchorwatch writes there, and in the directory of
	 * its anchor file: whoever else may write there could point those
	 * writes at any file. */
	if (fileio_check_dir(c->state_dir, "state_dir", msg,
	    sizeof(msg)) == -1 || (fileio_dirname(c->anchor_file, dir,
	    sizeof(dir)) == 0 && strcmp(dir, c->state_dir) != 0 &&
	    fileio_check_dir(dir, "the directory of root.anchor_file", msg,
	    sizeof(msg)) == -1)) {
		main_cfg = NULL;	/* no record written in it either */
		main_unknown(NULL, msg);
	}
}

/*
 * Write the run's verdict in the mode's form: the plugin's lines for
 * check; for run the record, the Prometheus textfile and syslog.  rep
 * holds the candidates (cand: before detect_grade) and what fix added;
 * run->rep is graded.  Returns the exit code of check and run.
 */
static enum severity
main_output(const struct run *run, const struct report *cand, time_t start,
    FILE *out)
{
	struct nagios_opts no = { &main_thr, main_po.verbose, NULL };
	enum severity worst = detect_worst(&run->rep);
	struct summary s;
	char err[AW_ERR_MAX];

	if (main_mode != MODE_CHECK && main_mode != MODE_RUN) {
		if (main_json)
			output_json(run, out);
		else
			output_text(run, out);
		return worst;
	}
	summary_build(&s, run, cand, start);
	if (main_mode == MODE_CHECK)
		worst = output_nagios_summary(&s, &no, out);
	if (main_mode == MODE_RUN && !main_now_set &&
	    record_write(run->cfg->state_dir, &s, err, sizeof(err)) == -1)
		log_warnx("%s", err);
	if (main_mode == MODE_RUN && run->cfg->prometheus_textfile[0] != '\0') {
		/* The textfile shows the verdict as the findings were judged. */
		report_free(&s.rep);
		s.rep = run->rep;
		if (output_prom(run->cfg->prometheus_textfile, &s, err,
		    sizeof(err)) == -1)
			log_warnx("%s", err);
		memset(&s.rep, 0, sizeof(s.rep));
	}
	if (main_mode == MODE_RUN)
		output_syslog(run);
	summary_free(&s);
	return worst;
}

/* Findings for every resolver against rv, into run->rep. */
static void
main_detect(struct run *run, const struct rootview *rv)
{
	size_t i;

	report_free(&run->rep);
	run->rv = rv;
	detect_root(&run->rep, rv);
	for (i = 0; i < run->nresolvers; i++)
		detect_resolver(&run->rep, rv, &run->resolvers[i], run->cfg,
		    run->now);
	if (rv->have_agent)
		events_learn(&main_cal, &rv->agent, run->cfg->add_holddown);
	events_detect(&run->rep, &main_cal, run->resolvers, run->nresolvers,
	    run->cfg, run->now);
	detect_storm(&run->rep, &run->storm, run->cfg);
	if (main_clock[0] != '\0')
		detect_add(&run->rep, F_CLOCK_SUSPECT, SEV_UNKNOWN, "", NULL, 0,
		    "%s", main_clock);
}

static struct history main_hist;
static int main_hist_read;	/* 1 read, -1 unreadable (said), 0 not yet */

/* Read the agent's history, once (while the root query is in flight,
 * from main_meanwhile, or else when it is needed): 0, or -1 when it
 * cannot be read, said on stderr. */
static int
main_history_read(const struct config *cfg)
{
	char path[AW_PATH_MAX + 16], err[AW_ERR_MAX];

	if (main_hist_read == 0) {
		snprintf(path, sizeof(path), "%s/history", cfg->state_dir);
		main_hist_read = state_load(path, &main_hist, err,
		    sizeof(err)) == 0 ? 1 : -1;
		if (main_hist_read == -1)
			log_warnx("%s", err);
	}
	return main_hist_read == 1 ? 0 : -1;
}

/*
 * The agent's history (state_dir/history): add this run's SECURE view
 * (rv; NULL for `events`, which only reads) to it and write it back, then
 * let the detectors and the calendar (main_cal.hist) see it.  A history that
 * cannot be read or written is said on stderr, and the run goes on
 * without it: it sharpens findings, it is not needed for them.
 */
static void
main_history(const struct config *cfg, struct rootview *rv, time_t now)
{
	static struct history old;
	struct history *hist = &main_hist;
	char path[AW_PATH_MAX + 16], err[AW_ERR_MAX], last[32], at[32];

	if (main_history_read(cfg) == -1)
		return;
	snprintf(path, sizeof(path), "%s/history", cfg->state_dir);
	/* The clock went back since the last run: this run's dates are not
	 * written, lest a first sighting move and shorten a hold-down. */
	if (!main_now_set && hist->last_run > (long long)now + CLOCK_SLACK) {
		date_format(hist->last_run, DATE_DAY_OR_MINUTE, last,
		    sizeof(last));
		date_format(now, DATE_DAY_OR_MINUTE, at, sizeof(at));
		snprintf(main_clock, sizeof(main_clock), "the clock went "
		    "back: it says %s, but the last run was at %s (%s); the "
		    "history is not updated until the clock passes that: "
		    "check NTP", at, last, path);
	}
	if (!main_now_set && !main_view && main_clock[0] == '\0' &&
	    rv != NULL && rv->is_secure) {
		old = *hist;
		state_update(hist, rv, now);
		if (state_save(path, &old, hist, err, sizeof(err)) == -1)
			log_warnx("%s", err);
	}
	if (rv != NULL)
		rv->hist = hist;
	main_cal.hist = hist;
}

/* The calendar, the operator's events and what the agent's anchor file
 * implies into main_cal.  A bad calendar is bad input: exit 3. */
static void
main_calendar(const struct config *cfg)
{
	struct source agent;
	char err[AW_ERR_MAX];

	if (events_load(&main_cal, cfg, err, sizeof(err)) == -1)
		main_unknown("CONFIG_ERROR", err);
	if (access(cfg->anchor_file, F_OK) == -1)
		return;
	memset(&agent, 0, sizeof(agent));
	if (autotrust_read(cfg->anchor_file, &agent, NULL, err, sizeof(err)) ==
	    -1)
		log_warnx("%s", err);
	else
		events_learn(&main_cal, &agent, cfg->add_holddown);
	source_free(&agent);
}

/* No resolvers: key in the config: check what this host has. */
static void
main_discover(struct config *cfg)
{
	/* Static: 400 KB on main's stack (inlined) would fault before a
	 * word could be said, where address space is short. */
	static struct found f[CFG_RESOLVERS_MAX];
	size_t n;

	n = discover_run("", f, CFG_RESOLVERS_MAX);
	discover_to_config(cfg, f, n);
}

/* Seconds of -t (budget) left since start. */
static unsigned
main_left(time_t start, unsigned budget)
{
	time_t used = time(NULL) - start;

	return used < 0 ? budget : used >= (time_t)budget ? 0 :
	    budget - (unsigned)used;
}

/* What this run needs from here on (priv.c): the rest is given up. */
static void
main_drop(const struct config *cfg)
{
	char err[AW_ERR_MAX];

	if (priv_drop_config(cfg, (main_mode == MODE_FIX && main_apply) ||
	    (main_mode == MODE_RUN && cfg->fix.autofix && !main_now_set),
	    cfg->traffic.interface[0] != '\0' && main_mode != MODE_FIX &&
	    main_mode != MODE_EVENTS, err, sizeof(err)) == -1)
		main_unknown(NULL, err);
}

/* fix RESOLVER...: every name must be a configured resolver. */
static void
main_fix_names(const struct config *cfg)
{
	char msg[AW_ERR_MAX];
	size_t i, j;

	for (i = 0; i < main_nonly; i++) {
		for (j = 0; j < cfg->nresolvers; j++)
			if (strcmp(main_only[i], cfg->resolvers[j].name) == 0)
				break;
		if (j == cfg->nresolvers) {
			snprintf(msg, sizeof(msg), "fix: no resolver named "
			    "\"%s\" in %s", main_only[i], cfg->path);
			main_unknown(NULL, msg);
		}
	}
}

/*
 * `fix`, and `run` with fix.auto (not with --now: files change only for
 * the real date): repairs after the findings.  fix prints its plan or
 * what it did and returns its own exit code; run adds FIX_* findings to
 * what goes to syslog and exits as before.
 */
static enum severity
main_fix(struct run *run, const struct rootview *rv)
{
	struct fix_run fr;
	enum severity rc;
	const struct finding *f;
	size_t i, first = run->rep.n;

	if (main_mode != MODE_FIX && (main_mode != MODE_RUN ||
	    !run->cfg->fix.autofix || main_now_set))
		return detect_worst(&run->rep);
	memset(&fr, 0, sizeof(fr));
	fr.cfg = run->cfg;
	fr.rv = rv;
	fr.rs = run->resolvers;
	fr.n = run->nresolvers;
	fr.now = run->now;
	fr.apply = main_mode == MODE_RUN || main_apply;
	fr.quiet = main_mode == MODE_RUN;
	if (main_mode == MODE_FIX) {
		fr.only = main_only;
		fr.nonly = main_nonly;
	}
	rc = fix_resolvers(&fr, &run->rep, main_mode == MODE_FIX ? stdout :
	    NULL);
	if (main_mode != MODE_FIX)
		return detect_worst(&run->rep);
	for (i = first; fr.apply && i < run->rep.n; i++) {
		f = &run->rep.f[i];
		printf("%s %s resolver=%s: %s\n", detect_sev_name(f->sev),
		    detect_code_name(f->code), f->resolver, f->message);
	}
	return rc;
}

/* state_dir made, the lock taken (cron runs skip a turn, a plugin check
 * waits, bounded by alarm) and given to state_dir's owner, who takes it
 * on its own in the runs of the timer. */
static void
main_lock(const struct config *cfg)
{
	char err[AW_ERR_MAX], lock[AW_PATH_MAX + 32];
	struct stat st;
	int fd;

	main_state_dir(cfg);
	snprintf(lock, sizeof(lock), "%s/anchorwatch.lock", cfg->state_dir);
	if ((fd = fileio_lock(lock, main_mode != MODE_RUN, err,
	    sizeof(err))) == -1) {
		main_cfg = NULL;	/* the run holding it records */
		main_unknown(NULL, err);
	}
	if (geteuid() == 0 && stat(cfg->state_dir, &st) == 0 &&
	    st.st_uid != 0 && fchown(fd, st.st_uid, st.st_gid) == -1)
		log_warnx("%s: %s", lock, strerror(errno));
}

/* While the root query is in flight (query_root's during): read what
 * each resolver holds, ask the probes that need no root answer, read the
 * agent's history, and remove what a killed run left in state_dir. */
struct main_meanwhile {
	struct run *run;
	struct probe_batch *probes;
};

static void
main_meanwhile(void *arg)
{
	struct main_meanwhile *m = arg;
	struct run *run = m->run;

	run->resolvers = main_read_resolvers(run->cfg, run->now);
	run->nresolvers = run->cfg->nresolvers;
	*m->probes = (struct probe_batch){ run->cfg, run->resolvers,
	    run->nresolvers, 0 };
	probe_ask(m->probes);
	(void)main_history_read(run->cfg);
	if (!main_view)
		fileio_sweep_tmp(run->cfg->state_dir);
}

static int
main_run(struct config *cfg, unsigned budget)
{
	static struct rootview rv;
	struct report cand = { 0 };
	struct probe_batch probes;
	size_t graded;
	struct run run;
	struct main_meanwhile meanwhile = { &run, &probes };
	char err[AW_ERR_MAX];
	enum severity worst;
	time_t start = time(NULL);
	unsigned left;
	size_t i;

	/* Signatures cannot be judged before the root was signed. */
	if (start < EV_EPOCH_MIN) {
		char when[32], msg[AW_ERR_MAX];

		date_format(start, DATE_DAY_OR_MINUTE, when, sizeof(when));
		snprintf(msg, sizeof(msg), "the clock says %s, before the root "
		    "was signed (2010-07-15): nothing can be judged; set the "
		    "clock (NTP)", when);
		main_unknown("CLOCK_SUSPECT", msg);
	}
	/* -H by a user who cannot write state_dir: plugin_root_view.  Root
	 * can, once main_lock made it. */
	main_view = main_host != NULL && geteuid() != 0 &&
	    access(cfg->state_dir, W_OK) == -1;
	if (!main_view)
		main_lock(cfg);
	if (!cfg->resolvers_given)
		main_discover(cfg);
	main_drop(cfg);
	if (main_mode == MODE_FIX)
		main_fix_names(cfg);
	memset(&run, 0, sizeof(run));
	run.cfg = cfg;
	run.now = main_now_set ? (time_t)main_now : start;
	main_calendar(cfg);
	/* The root query gets root.timeout, within what -t leaves (keeping
	 * a second for the rest); its end is the query's, not the run's.
	 * The resolvers are read, and the probes that need no root answer
	 * asked, while it is in flight. */
	left = main_left(start, budget);
	if (main_view) {
		if (plugin_root_view(cfg, &rv, err, sizeof(err)) == -1)
			main_unknown(NULL, err);
		main_meanwhile(&meanwhile);
	} else if (query_root(cfg, MIN(cfg->timeout, left > 1 ? left - 1 : 1),
	    main_meanwhile, &meanwhile, &rv, err, sizeof(err)) == -1)
		main_unknown(NULL, err);
	rv.cal = &main_cal;
	main_history(cfg, &rv, run.now);
	probe_finish(&probes, &rv);
	if (main_mode != MODE_FIX && (left = main_left(start, budget)) > 0)
		storm_listen(&run.storm, &cfg->traffic, left);
	main_detect(&run, &rv);
	if (main_host != NULL)
		remote_check(&run, &rv, main_host);
	report_append(&cand, &run.rep, 0);
	detect_grade(&run.rep, &main_thr);
	graded = run.rep.n;
	worst = main_fix(&run, &rv);
	report_append(&cand, &run.rep, graded);	/* FIX_* findings */
	if (main_mode != MODE_FIX)
		worst = main_output(&run, &cand, start, stdout);
	for (i = 0; i < run.nresolvers; i++)
		resolver_free(&run.resolvers[i]);
	free(run.resolvers);
	report_free(&run.rep);
	report_free(&cand);
	query_reap();
	return worst;
}

/* --now: strictly parsed, and not before the root was signed. */
static void
main_set_now(const char *arg)
{
	if (date_parse(arg, strlen(arg), DATE_EPOCH, &main_now) == -1)
		main_unknown(NULL, "--now: expected YYYY-MM-DD, "
		    "YYYY-MM-DDTHH:MM:SSZ (UTC) or epoch seconds");
	if (main_now < EV_EPOCH_MIN)
		main_unknown(NULL, "--now: before 2010-07-15, when the root "
		    "was signed");
	main_now_set = 1;
}

/* `anchorwatch events`: files and the calendar only, no network. */
static int
main_events(struct config *cfg)
{
	struct resolver *rs;
	size_t i;

	if (!cfg->resolvers_given)
		main_discover(cfg);
	main_drop(cfg);
	long long now = main_now_set ? main_now : (long long)time(NULL);

	rs = main_read_resolvers(cfg, now);
	main_calendar(cfg);
	main_history(cfg, NULL, now);
	events_print(stdout, &main_cal, rs, cfg->nresolvers, cfg, now);
	for (i = 0; i < cfg->nresolvers; i++)
		resolver_free(&rs[i]);
	free(rs);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "apply", no_argument, NULL, 'A' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "live", no_argument, NULL, 'L' },
		{ "now", required_argument, NULL, 'n' },
		{ "recorded", no_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct config cfg;
	const char *conf = DEFAULT_CONFIG, *now_arg = NULL;
	char err[AW_ERR_MAX];
	long timeout = DEFAULT_TIMEOUT;
	int ch;

	/* traffic [options] FILE...: offline, its own options (traffic.c). */
	if (argc > 1 && strcmp(argv[1], "traffic") == 0) {
		int rc;

		main_mode = MODE_STATUS;	/* errors to stderr alone */
		signal(SIGALRM, main_timeout);	/* armed by its -t */
		if ((rc = traffic_main(argc - 1, argv + 1, DEFAULT_CONFIG,
		    stdout, err, sizeof(err))) == -1)
			main_unknown(NULL, err);
		return rc;
	}
	/* check_anchorwatch: the plugin's options (plugin.c). */
	if (plugin_called(argv[0])) {
		main_mode = MODE_CHECK;
		plugin_parse(argc, argv, &main_po);
		if (main_po.config != NULL)
			conf = main_po.config;
		if (main_po.timeout > 0)
			timeout = main_po.timeout;
		if ((main_host = main_po.host) != NULL)
			main_nhost = 1;
		goto mode_set;
	}
	if (argc > 1 && strcmp(argv[argc - 1], "check") == 0)
		main_mode = MODE_CHECK;
	while ((ch = getopt_long(argc, argv, "c:hH:jn:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'A':
			main_apply = 1;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			help_usage(stdout, DEFAULT_CONFIG, DEFAULT_TIMEOUT);
			return 0;
		case 'H':
			main_host = optarg;	/* checked once the mode is known */
			main_nhost++;
			break;
		case 'j':
			main_json = 1;
			break;
		case 'L':
			main_po.live = 1;
			break;
		case 'R':
			main_po.recorded = 1;
			break;
		case 'n':
			now_arg = optarg;	/* parsed once the mode is known */
			break;
		case 't':
			if (main_number(optarg, 1, 86400, &timeout) == -1)
				main_unknown(NULL,
				    "-t: expected seconds, 1 to 86400");
			break;
		case 'V':
			printf("anchorwatch %s\n", AW_VERSION);
			return 0;
		default:
			help_usage(stderr, DEFAULT_CONFIG, DEFAULT_TIMEOUT);
			return SEV_UNKNOWN;
		}
	}
	/* replay SCENARIO: offline, needs no configuration (replay.c). */
	if (optind == argc - 2 && strcmp(argv[optind], "replay") == 0) {
		int rc;

		main_mode = MODE_STATUS;	/* errors to stderr alone */
		signal(SIGALRM, main_timeout);
		alarm((unsigned)timeout);
		rc = replay_run(argv[optind + 1], stdout, err, sizeof(err));
		if (rc == -1)
			main_unknown(NULL, err);
		return rc;
	}
	if (optind < argc && strcmp(argv[optind], "fix") == 0) {
		main_mode = MODE_FIX;
		main_only = &argv[optind + 1];
		main_nonly = (size_t)(argc - optind - 1);
	} else if (optind != argc - 1 || main_apply) {
		help_usage(stderr, DEFAULT_CONFIG, DEFAULT_TIMEOUT);
		return SEV_UNKNOWN;
	}
	if (main_mode == MODE_FIX)
		;
	else if (strcmp(argv[optind], "check") == 0)
		main_mode = MODE_CHECK;
	else if (strcmp(argv[optind], "status") == 0)
		main_mode = MODE_STATUS;
	else if (strcmp(argv[optind], "run") == 0)
		main_mode = MODE_RUN;
	else if (strcmp(argv[optind], "events") == 0)
		main_mode = MODE_EVENTS;
	else if (strcmp(argv[optind], "discover") == 0) {
		static struct found f[CFG_RESOLVERS_MAX];

		discover_print(stdout, f, discover_run("", f,
		    CFG_RESOLVERS_MAX));
		return 0;
	}
	else {
		help_usage(stderr, DEFAULT_CONFIG, DEFAULT_TIMEOUT);
		return SEV_UNKNOWN;
	}
	if ((main_po.live || main_po.recorded) && main_mode != MODE_CHECK) {
		help_usage(stderr, DEFAULT_CONFIG, DEFAULT_TIMEOUT);
		return SEV_UNKNOWN;
	}
mode_set:
	log_plugin_line(main_mode == MODE_CHECK);
	if (now_arg != NULL)
		main_set_now(now_arg);
	if (main_host != NULL && (main_mode != MODE_CHECK || main_nhost > 1))
		main_unknown(NULL, "-H: once, and only with check");
	if (main_host != NULL && remote_parse(main_host, err, sizeof(err)) == -1)
		main_unknown(NULL, err);
	if (main_apply && main_now_set)
		main_unknown(NULL, "fix --apply: not with --now (files are "
		    "only ever changed for the real date)");
	if (main_mode == MODE_RUN) {
		/* Errors before the configuration is read (or when it cannot
		 * be) go to the facility it names. */
		config_peek_facility(conf, err, sizeof(err));
		main_facility = output_syslog_facility(err);
		log_timeout_prepare(main_facility, (unsigned)timeout);
	}
	signal(SIGALRM, main_timeout);
	alarm((unsigned)timeout);
	if (config_load(&cfg, conf, err, sizeof(err)) == -1)
		main_unknown("CONFIG_ERROR", err);
	main_cfg = &cfg;
	if (plugin_thresholds(&cfg, &main_po, &main_thr, err,
	    sizeof(err)) == -1)
		main_unknown(NULL, err);
	if (main_mode == MODE_CHECK && !main_now_set &&
	    plugin_wants_record(&main_po))
		return plugin_recorded(&cfg, &main_po, &main_thr);
	if (main_mode == MODE_RUN) {
		main_facility = output_syslog_facility(cfg.syslog_facility);
		log_timeout_prepare(main_facility, (unsigned)timeout);
	}
	if (main_mode == MODE_EVENTS)
		return main_events(&cfg);
	if (main_host != NULL)
		remote_config(&cfg);
	return main_run(&cfg, (unsigned)timeout);
}
