/*
 * output-nagios.c: the monitoring plugin contract.
 *
 * One status line "ANCHORWATCH <STATE> - <summary> | <perfdata>", then one
 * line per finding; the exit code (chosen in main.c) is the state.  The
 * perfdata follows the monitoring-plugins guidelines:
 * 'label'=value[UOM];[warn];[crit];[min];[max].
 */
#include <stdio.h>
#include <string.h>

#include "anchorwatch.h"

/* Comma-separated key tags of f, or "-". */
void
output_tags(const struct finding *f, char *buf, size_t len)
{
	size_t i, o = 0;

	snprintf(buf, len, "-");
	for (i = 0; i < f->ntags && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : "",
		    f->tags[i]);
}

/* The summary: the worst findings by resolver and code, or all is well. */
static void
nagios_summary(const struct run *run, enum severity worst, FILE *out)
{
	const struct finding *f;
	char tags[64];
	size_t i, shown = 0, more = 0;

	/* -H: what the answers showed, and that they alone were judged */
	if (run->rep.n == 0 && run->nresolvers == 1 &&
	    run->resolvers[0].answers[0] != '\0') {
		fprintf(out, "%s %s", run->resolvers[0].name,
		    run->resolvers[0].answers);
		return;
	}
	if (run->rep.n == 0) {
		fprintf(out, "%zu resolver%s trust%s the root's signing key:",
		    run->nresolvers, run->nresolvers == 1 ? "" : "s",
		    run->nresolvers == 1 ? "s" : "");
		for (i = 0; i < run->rv->nkeys; i++)
			if ((run->rv->keys[i].flags & DNSKEY_F_SEP) &&
			    is_signing(run->rv, &run->rv->keys[i]))
				fprintf(out, " %u", run->rv->keys[i].tag);
		return;
	}
	for (i = 0; i < run->rep.n; i++) {
		f = &run->rep.f[i];
		if (f->sev != worst) {
			more++;
			continue;
		}
		if (shown == 3) {
			more++;
			continue;
		}
		output_tags(f, tags, sizeof(tags));
		fprintf(out, "%s%s %s%s%s%s", shown ? ", " : "",
		    f->resolver[0] ? f->resolver : "agent",
		    detect_code_name(f->code), f->ntags ? " (" : "",
		    f->ntags ? tags : "", f->ntags ? ")" : "");
		shown++;
	}
	if (more)
		fprintf(out, ", %zu more", more);
}

/* Perfdata: root keys, signers, and per resolver trusted keys and the
 * age of its last successful probe. */
static void
nagios_perfdata(const struct run *run, FILE *out)
{
	const struct resolver *r;
	size_t i;

	fprintf(out, " | root_keys=%zu;;;0 root_signers=%zu;;;0", run->rv->nkeys,
	    run->rv->nsigners);
	for (i = 0; i < run->nresolvers; i++) {
		r = &run->resolvers[i];
		if (r->ntrusted >= 0)	/* -1: not known (-H) */
			fprintf(out, " '%s_trusted'=%d;;1:;0", r->name,
			    r->ntrusted);
		if (r->probe_age >= 0)
			fprintf(out, " '%s_probe_age'=%llds;%u;;0", r->name,
			    r->probe_age, run->cfg->probe_overdue);
	}
	if (run->storm.measured && run->storm.why[0] == '\0')
		fprintf(out, " dnskey_rate=%.1f;%u;%u;0", run->storm.rate,
		    run->cfg->traffic.warn_rate, run->cfg->traffic.critical_rate);
}

void
output_nagios(const struct run *run, FILE *out)
{
	enum severity worst = detect_worst(&run->rep);
	const struct finding *f;
	char tags[64];
	size_t i;

	fprintf(out, "ANCHORWATCH %s - ", detect_sev_name(worst));
	nagios_summary(run, worst, out);
	nagios_perfdata(run, out);
	fputc('\n', out);
	for (i = 0; run->rep.n > 0 && i < run->nresolvers; i++)
		if (run->resolvers[i].answers[0] != '\0')
			fprintf(out, "%s %s\n", run->resolvers[i].name,
			    run->resolvers[i].answers);
	for (i = 0; i < run->rep.n; i++) {
		f = &run->rep.f[i];
		output_tags(f, tags, sizeof(tags));
		fprintf(out, "%s %s resolver=%s keytag=%s: %s\n",
		    detect_sev_name(f->sev), detect_code_name(f->code),
		    f->resolver[0] ? f->resolver : "-", tags, f->message);
	}
}
