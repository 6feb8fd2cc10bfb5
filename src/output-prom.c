/*
 * output-prom.c: the Prometheus textfile (node_exporter's textfile
 * collector), written atomically by `run` where prometheus.textfile says.
 *
 * One metric family per figure, each with HELP and TYPE, in the text
 * exposition format 0.0.4; times in seconds, as Prometheus wants base
 * units.  Label values are escaped (backslash, double quote, newline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw-summary.h"

static const char *const sev_labels[] = {
	[SEV_OK] = "ok", [SEV_WARNING] = "warning",
	[SEV_CRITICAL] = "critical", [SEV_UNKNOWN] = "unknown",
};

/* A label value in the exposition format's escaping. */
static void
prom_label(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void
prom_family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* The worst severity of resolver name's findings. */
static enum severity
prom_resolver_sev(const struct summary *s, const char *name)
{
	enum severity w = SEV_OK;
	size_t i;

	for (i = 0; i < s->rep.n; i++)
		if (strcmp(s->rep.f[i].resolver, name) == 0)
			w = detect_worse(w, s->rep.f[i].sev);
	return w;
}

static void
prom_run(const struct summary *s, FILE *out)
{
	prom_family(out, "anchorwatch_last_run_timestamp_seconds",
	    "When the last run of anchorwatch ended (Unix time).");
	fprintf(out, "anchorwatch_last_run_timestamp_seconds %lld\n",
	    s->written);
	prom_family(out, "anchorwatch_last_run_duration_seconds",
	    "How long the last run took.");
	fprintf(out, "anchorwatch_last_run_duration_seconds %.3f\n",
	    s->duration);
	prom_family(out, "anchorwatch_status", "Worst severity of the last "
	    "run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	fprintf(out, "anchorwatch_status %d\n", (int)summary_worst(s));
}

static void
prom_findings(const struct summary *s, FILE *out)
{
	unsigned count[F_NCODES][SEV_UNKNOWN + 1];
	size_t i;
	int c, v;

	memset(count, 0, sizeof(count));
	for (i = 0; i < s->rep.n; i++)
		count[s->rep.f[i].code][s->rep.f[i].sev]++;
	prom_family(out, "anchorwatch_findings", "Findings of the last run "
	    "by code and severity.");
	for (c = 0; c < F_NCODES; c++)
		for (v = SEV_OK; v <= SEV_UNKNOWN; v++)
			fprintf(out, "anchorwatch_findings{code=\"%s\","
			    "severity=\"%s\"} %u\n",
			    detect_code_name((enum fcode)c), sev_labels[v],
			    count[c][v]);
}

static void
prom_root(const struct summary *s, FILE *out)
{
	const struct sum_key *k;
	size_t i;

	prom_family(out, "anchorwatch_root_secure", "1 if the root DNSKEY "
	    "set validated SECURE from the agent's own anchor.");
	fprintf(out, "anchorwatch_root_secure %d\n", s->root_secure ? 1 : 0);
	prom_family(out, "anchorwatch_root_key", "The root's key-signing "
	    "keys: state signing, published (not signing) or revoked.");
	for (i = 0; i < s->nkeys; i++) {
		k = &s->keys[i];
		fprintf(out, "anchorwatch_root_key{keytag=\"%u\",algorithm="
		    "\"%u\",state=\"%s\"} 1\n", k->tag, k->alg, k->revoked ?
		    "revoked" : k->signing ? "signing" : "published");
	}
	prom_family(out, "anchorwatch_agent_key_state", "RFC 5011 state of "
	    "each root key in the agent's own anchor file.");
	for (i = 0; i < s->nkeys; i++) {
		k = &s->keys[i];
		if (k->agent_state[0] == '\0')
			continue;
		fprintf(out, "anchorwatch_agent_key_state{keytag=\"%u\","
		    "state=\"", k->tag);
		prom_label(out, k->agent_state);
		fputs("\"} 1\n", out);
	}
	prom_family(out, "anchorwatch_next_event_seconds", "Seconds until "
	    "the next root KSK event a resolver can fail at.");
	if (s->next_when > s->time) {
		fputs("anchorwatch_next_event_seconds{event=\"", out);
		prom_label(out, s->next_id);
		fputs("\",name=\"", out);
		prom_label(out, s->next_name);
		fprintf(out, "\"} %lld\n", s->next_when - s->time);
	}
	if (s->storm_measured) {
		prom_family(out, "anchorwatch_dnskey_queries_per_minute",
		    "Root DNSKEY queries a minute from the busiest source.");
		fprintf(out, "anchorwatch_dnskey_queries_per_minute %.1f\n",
		    s->storm_rate);
	}
}

/* One sample of a per-resolver family. */
static void
prom_res(FILE *out, const char *family, const struct sum_resolver *r)
{
	fprintf(out, "%s{resolver=\"", family);
	prom_label(out, r->name);
	fputs("\",type=\"", out);
	prom_label(out, r->type);
	fputs("\"}", out);
}

static void
prom_resolvers(const struct summary *s, FILE *out)
{
	const struct sum_resolver *r;
	size_t i, j;

	prom_family(out, "anchorwatch_resolver_status", "Worst severity of "
	    "each resolver's findings: 0 OK, 1 WARNING, 2 CRITICAL, 3 "
	    "UNKNOWN.");
	for (i = 0; i < s->nres; i++) {
		prom_res(out, "anchorwatch_resolver_status", &s->res[i]);
		fprintf(out, " %d\n", (int)prom_resolver_sev(s,
		    s->res[i].name));
	}
	prom_family(out, "anchorwatch_resolver_trusted_keys", "Root keys each "
	    "resolver trusts for validation.");
	for (i = 0; i < s->nres; i++) {
		prom_res(out, "anchorwatch_resolver_trusted_keys", &s->res[i]);
		fprintf(out, " %d\n", s->res[i].ntrusted);
	}
	prom_family(out, "anchorwatch_resolver_trusts_key", "1 for each root "
	    "key tag a resolver trusts.");
	for (i = 0; i < s->nres; i++) {
		r = &s->res[i];
		for (j = 0; j < r->ntags; j++) {
			fputs("anchorwatch_resolver_trusts_key{resolver=\"", out);
			prom_label(out, r->name);
			fprintf(out, "\",keytag=\"%u\"} 1\n", r->trusted[j]);
		}
	}
	prom_family(out, "anchorwatch_resolver_probe_age_seconds", "Seconds "
	    "since each RFC 5011 resolver's last successful probe of the "
	    "root.");
	for (i = 0; i < s->nres; i++) {
		if (s->res[i].probe_age < 0)
			continue;
		prom_res(out, "anchorwatch_resolver_probe_age_seconds",
		    &s->res[i]);
		fprintf(out, " %lld\n", s->res[i].probe_age);
	}
}

void
output_prom_write(const struct summary *s, FILE *out)
{
	prom_run(s, out);
	prom_findings(s, out);
	prom_root(s, out);
	prom_resolvers(s, out);
}

int
output_prom(const char *path, const struct summary *s, char *err,
    size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatalx("out of memory");
	output_prom_write(s, f);
	if (fclose(f) != 0)
		fatalx("out of memory");
	rc = fileio_write_atomic(path, buf, len, err, errlen);
	free(buf);
	return rc;
}
