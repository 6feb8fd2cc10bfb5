/*
 * output-nagios.c: the monitoring plugin contract.
 *
 * The first line is "ANCHORWATCH <STATE> - <summary> | <perfdata>", at
 * most NAGIOS_LINE_MAX bytes however many resolvers (NRPE's limit): the
 * summary is cut to fit, and the perfdata of the resolvers that do not
 * fit after the root's follows the long text (one line per finding, the
 * -v lines) after a line "|", a resolver a line: the plugin API's long
 * output with more perfdata, read by Nagios and Icinga 2 alike.  The
 * perfdata follows the monitoring-plugins guidelines,
 * 'label'=value[UOM];[warn];[crit];[min];[max], and its warn and crit are
 * the thresholds the findings were judged by.  The exit code (chosen by
 * the caller) is the state.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw-summary.h"

/* Comma-separated key tags of a finding, or "-". */
void
output_tags(const struct finding *f, char *buf, size_t len)
{
	size_t i, o = 0;

	snprintf(buf, len, "-");
	for (i = 0; i < f->ntags && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
		    f->tags[i]);
}

/* Text from files and answers must not end a line or start perfdata. */
static void
nagios_clean(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '|')
			*s = '/';
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

/* Append to a bounded line buffer; the end is cut, never overrun. */
static void
nagios_cat(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
nagios_cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t o = strlen(buf);
	va_list ap;

	if (o + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
}

/* The summary: the worst findings by resolver and code, or all is well. */
static void
nagios_summary(const struct summary *s, enum severity worst, char *buf,
    size_t len)
{
	const struct finding *f;
	char tags[64];
	size_t i, shown = 0, more = 0;

	if (s->unknown[0] != '\0') {
		nagios_cat(buf, len, "%s%s%s", s->unknown_code,
		    s->unknown_code[0] ? ": " : "", s->unknown);
		return;
	}
	/* -H: what the answers showed, and that they alone were judged */
	if (s->rep.n == 0 && s->nres == 1 && s->res[0].answers[0] != '\0') {
		nagios_cat(buf, len, "%s %s", s->res[0].name, s->res[0].answers);
		return;
	}
	if (s->rep.n == 0) {
		nagios_cat(buf, len, "%zu resolver%s trust%s the root's "
		    "signing key:", s->nres, s->nres == 1 ? "" : "s",
		    s->nres == 1 ? "s" : "");
		for (i = 0; i < s->nkeys; i++)
			if (s->keys[i].signing)
				nagios_cat(buf, len, " %u", s->keys[i].tag);
		return;
	}
	for (i = 0; i < s->rep.n; i++) {
		f = &s->rep.f[i];
		if (f->sev != worst || shown == 3) {
			more++;
			continue;
		}
		output_tags(f, tags, sizeof(tags));
		nagios_cat(buf, len, "%s%s %s%s%s%s", shown ? ", " : "",
		    f->resolver[0] ? f->resolver : "agent",
		    detect_code_name(f->code), f->ntags ? " (" : "",
		    f->ntags ? tags : "", f->ntags ? ")" : "");
		shown++;
	}
	if (more)
		nagios_cat(buf, len, ", %zu more", more);
}

/* Days (rounded up) of the nearest EVENT_AHEAD candidate of resolver
 * name ("" for any), or -1. */
static long long
nagios_event_days(const struct summary *s, const char *name)
{
	const struct finding *f;
	long long best = -1;
	size_t i;

	for (i = 0; i < s->rep.n; i++) {
		f = &s->rep.f[i];
		if (f->code != F_EVENT_AHEAD || (name[0] != '\0' &&
		    strcmp(f->resolver, name) != 0))
			continue;
		if (best == -1 || f->value < best)
			best = f->value;
	}
	return best < 0 ? -1 : (best + 86399) / 86400;
}

/* The root's figures, at the start of the first line's perfdata. */
static void
nagios_perf_root(const struct summary *s, long long now, char *buf,
    size_t len)
{
	nagios_cat(buf, len, "root_keys=%zu;;;0 root_signers=%zu;;;0",
	    s->nkeys, s->nsigners);
	if (s->next_when > now)
		nagios_cat(buf, len, " next_event_days=%lld;;;0",
		    (s->next_when - now + 86399) / 86400);
	if (s->storm_measured)
		nagios_cat(buf, len, " dnskey_rate=%.1f;%u;%u;0", s->storm_rate,
		    s->storm_warn, s->storm_crit);
}

/* One resolver's figures: trusted keys, probe age, days to the event it
 * would not survive. */
static void
nagios_perf_resolver(const struct summary *s, const struct sum_resolver *r,
    const struct thresholds *t, char *buf, size_t len)
{
	long long days = nagios_event_days(s, r->name);

	buf[0] = '\0';
	if (r->ntrusted >= 0)	/* -1: not known (-H) */
		nagios_cat(buf, len, "'%s_trusted'=%d;;1:;0", r->name,
		    r->ntrusted);
	if (r->probe_age >= 0) {
		nagios_cat(buf, len, " '%s_probe_age'=%llds;%lld;", r->name,
		    r->probe_age, t->probe_warn);
		if (t->probe_crit > 0)
			nagios_cat(buf, len, "%lld", t->probe_crit);
		nagios_cat(buf, len, ";0");
	}
	if (days >= 0)
		nagios_cat(buf, len, " '%s_event_days'=%lld;@0:%u;@0:%u;0",
		    r->name, days, t->warn_days, t->crit_days);
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/* -v: what each resolver trusts; -vv: where the verdict comes from and
 * the thresholds; -vvv: the root's keys. */
static void
nagios_verbose(const struct summary *s, const struct nagios_opts *o,
    FILE *out)
{
	const struct sum_resolver *r;
	size_t i, j;

	for (i = 0; o->verbose >= 1 && i < s->nres; i++) {
		r = &s->res[i];
		fprintf(out, "resolver %s (%s) trusts", r->name, r->type);
		for (j = 0; j < r->ntags; j++)
			fprintf(out, "%s %u", j ? "," : "", r->trusted[j]);
		if (r->ntags == 0)
			fprintf(out, " no root key");
		if (r->probe_age >= 0)
			fprintf(out, "; last RFC 5011 probe %lld s ago",
			    r->probe_age);
		fputc('\n', out);
	}
	if (o->verbose >= 2) {
		fprintf(out, "verdict: %s; thresholds: events warn %u days, "
		    "critical %u days; probe age warn %lld s, critical ",
		    o->source != NULL ? o->source : "live run",
		    o->thr->warn_days, o->thr->crit_days, o->thr->probe_warn);
		if (o->thr->probe_crit > 0)
			fprintf(out, "%lld s\n", o->thr->probe_crit);
		else
			fprintf(out, "none\n");
	}
	for (i = 0; o->verbose >= 3 && i < s->nkeys; i++)
		fprintf(out, "root key %u algorithm %u flags %u%s%s%s%s\n",
		    s->keys[i].tag, s->keys[i].alg, s->keys[i].flags,
		    s->keys[i].signing ? " signing" : "",
		    s->keys[i].revoked ? " revoked" : "",
		    s->keys[i].agent_state[0] ? "; agent: " : "",
		    s->keys[i].agent_state);
}

enum severity
output_nagios_summary(const struct summary *in, const struct nagios_opts *o,
    FILE *out)
{
	struct summary s = *in;
	enum severity worst;
	const struct finding *f;
	char line[NAGIOS_LINE_MAX], text[NAGIOS_LINE_MAX / 2], item[512];
	char tags[64], msg[AW_ERR_MAX];
	size_t i, nover = 0, *over;

	/* Judge a copy: the candidates stay for the perfdata. */
	memset(&s.rep, 0, sizeof(s.rep));
	report_append(&s.rep, &in->rep, 0);
	detect_grade(&s.rep, o->thr);
	worst = summary_worst(&s);
	text[0] = '\0';
	nagios_summary(&s, worst, text, sizeof(text));
	if (strlen(text) + 1 >= sizeof(text))
		memcpy(text + sizeof(text) - 4, "...", 4);
	nagios_clean(text);
	snprintf(line, sizeof(line), "ANCHORWATCH %s - %s | ",
	    detect_sev_name(worst), text);
	nagios_perf_root(in, in->time, line, sizeof(line));
	/* Each resolver's perfdata on the first line while it fits in
	 * NRPE's 1 KiB (with its newline); the rest after the long text. */
	over = xcalloc(in->nres + 1, sizeof(*over));
	for (i = 0; i < in->nres; i++) {
		nagios_perf_resolver(in, &in->res[i], o->thr, item,
		    sizeof(item));
		if (nover == 0 && strlen(line) + 1 + strlen(item) + 1 <
		    sizeof(line))
			nagios_cat(line, sizeof(line), " %s", item);
		else
			over[nover++] = i;
	}
	fprintf(out, "%s\n", line);
	for (i = 0; s.rep.n > 0 && i < in->nres; i++)
		if (in->res[i].answers[0] != '\0')
			fprintf(out, "%s %s\n", in->res[i].name,
			    in->res[i].answers);
	for (i = 0; i < s.rep.n; i++) {
		f = &s.rep.f[i];
		output_tags(f, tags, sizeof(tags));
		snprintf(msg, sizeof(msg), "%s", f->message);
		nagios_clean(msg);
		fprintf(out, "%s %s resolver=%s keytag=%s: %s\n",
		    detect_sev_name(f->sev), detect_code_name(f->code),
		    f->resolver[0] ? f->resolver : "-", tags, msg);
	}
	nagios_verbose(in, o, out);
	if (nover > 0)
		fprintf(out, "|\n");
	for (i = 0; i < nover; i++) {
		nagios_perf_resolver(in, &in->res[over[i]], o->thr, item,
		    sizeof(item));
		fprintf(out, "%s\n", item);
	}
	free(over);
	report_free(&s.rep);
	return worst;
}
