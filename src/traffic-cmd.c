/*
 * traffic-cmd.c: the command anchorwatch traffic: its options, its
 * configuration (-c, else the default one if it exists, else defaults:
 * traffic.warn_rate is the default --dnskey-rate, events.file and
 * state_dir say where the calendar and the agent's history are), its
 * inputs (capture, dnstap and counts files, or a live source), and its
 * report.  -t bounds the whole run (alarm(2); main.c's handler says so
 * and exits 3), a listen cut to fit.  An input that is not a regular
 * file (a FIFO, a device, a socket, a directory) is refused before it is
 * sniffed, and by each reader's own open should one be swapped in
 * meanwhile (fileio_fopen checks what it opened): opened for reading, a
 * FIFO with no writer blocks for ever.
 */
#include <sys/param.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

int
traffic_parse_tags(const char *s, struct traffic_opts *o)
{
	struct traffic_signers *set = &o->signers[0];

	memset(set, 0, sizeof(*set));
	o->nsigners = 1;
	o->signers_by = "trusted-tags";
	for (;;) {
		char *end;
		unsigned long v;

		if (*s < '0' || *s > '9' || set->n == TRAFFIC_TRUSTED_MAX)
			return -1;
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || v > 65535 || end - s > 5)
			return -1;
		set->tags[set->n++] = (uint16_t)v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/* A number of option arg within [lo, hi] into *v; -1 if not. */
static int
traffic_optnum(const char *arg, double lo, double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	return errno || *end || end == arg || !(*v >= lo && *v <= hi) ? -1 : 0;
}

/* Options of the traffic command; -1 with err if bad. */
static int
traffic_options(int argc, char *argv[], struct traffic_opts *o, char *err,
    size_t errlen)
{
	static const struct option lo[] = {
		{ "baseline", required_argument, NULL, 'B' },
		{ "config", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "dnskey-rate", required_argument, NULL, 'R' },
		{ "dnstap-socket", required_argument, NULL, 'D' },
		{ "ds-share", required_argument, NULL, 'S' },
		{ "interface", required_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'J' },
		{ "merge", no_argument, NULL, 'M' },
		{ "seconds", required_argument, NULL, 'W' },
		{ "timeout", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'T' },
		{ "trusted-tags", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	double v;
	int ch;

	memset(o, 0, sizeof(*o));
	o->ds_share = 0.05;
	o->top = 20;
	o->seconds = 60;
	optind = 0;		/* glibc: start afresh (tests call us again) */
	while ((ch = getopt_long(argc, argv, "c:t:", lo, NULL)) != -1) {
		switch (ch) {
		case 'B': o->baseline = optarg; break;
		case 'c': o->config = optarg; break;
		case 'C': o->format = TRAFFIC_CSV; break;
		case 'D': o->socket = optarg; break;
		case 'I': o->iface = optarg; break;
		case 'J': o->format = TRAFFIC_JSON; break;
		case 'M': o->merge = 1; break;
		case 'R':
			if (traffic_optnum(optarg, 0, 1e9, &o->dnskey_rate))
				goto bad;
			o->rate_given = 1;
			break;
		case 'S':
			if (traffic_optnum(optarg, 0, 1, &o->ds_share))
				goto bad;
			break;
		case 'T':
			if (traffic_optnum(optarg, 0, 1e9, &v) || v != (size_t)v)
				goto bad;
			o->top = (size_t)v;
			break;
		case 't':
			if (traffic_optnum(optarg, 1, 86400, &v) ||
			    v != (unsigned)v)
				goto bad;
			o->timeout = (unsigned)v;
			break;
		case 'W':
			if (traffic_optnum(optarg, 1, 86400, &v) ||
			    v != (unsigned)v)
				goto bad;
			o->seconds = (unsigned)v;
			break;
		case 'A':
			if (traffic_parse_tags(optarg, o) == -1)
				goto bad;
			break;
		default:
			snprintf(err, errlen, "traffic: unknown option");
			return -1;
		}
	}
	if (optind >= argc && o->socket == NULL && o->iface == NULL) {
		snprintf(err, errlen, "traffic: no capture file given");
		return -1;
	}
	if (o->socket != NULL && o->iface != NULL) {
		snprintf(err, errlen, "traffic: --dnstap-socket and "
		    "--interface exclude each other");
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "traffic: bad value for an option: %s", optarg);
	return -1;
}

int
traffic_read_any(struct traffic *t, const char *path, int merge, char *err,
    size_t errlen)
{
	const char *cut;
	FILE *fp;

	/* Anything but a regular file is refused at once, named, before its
	 * first bytes are sniffed; each reader's own open refuses again one
	 * swapped in meanwhile (fileio_fopen: the type of what was opened,
	 * never waiting on a FIFO). */
	if (strcmp(path, "-") != 0) {
		if ((fp = fileio_fopen(path, err, errlen)) == NULL)
			return -1;
		fclose(fp);
	}
	if (is_traffic_counts_file(path))
		return traffic_read_counts(t, path, err, errlen);
	if (merge) {
		snprintf(err, errlen, "%s: --merge: not a counts file (made by"
		    " anchorwatch traffic --csv)", path);
		return -1;
	}
	if ((cut = capture_cut_header(path)) != NULL) {
		t->truncated = 1;
		snprintf(err, errlen, "%s: a %s file cut inside its first "
		    "header (no packet in it)", path, cut);
		return 0;
	}
	if (is_dnstap_file(path))
		return dnstap_read_file(t, path, err, errlen);
	return capture_read_file(t, path, err, errlen);
}

/* Every input of the command into t: files, or the live source. */
static int
traffic_inputs(struct traffic *t, int argc, char *argv[],
    const struct traffic_opts *o, const struct config *c, char *err,
    size_t errlen)
{
	if (o->socket != NULL || o->iface != NULL) {
		t->span_us = (int64_t)o->seconds * 1000000;
		return o->socket != NULL ? dnstap_listen(t, o->socket,
		    c->traffic.dnstap_group, (int)o->seconds, err, errlen) :
		    capture_live(t, o->iface, o->seconds, err, errlen);
	}
	for (; optind < argc; optind++) {
		if (traffic_read_any(t, argv[optind], o->merge, err, errlen)
		    == -1)
			return -1;
		if (err[0] != '\0')
			log_warnx("%s", err);
	}
	return 0;
}

/*
 * The configuration: -c, else defconf if it exists, else the defaults;
 * then what the options take from it.  The caller frees *c.  -1 with err
 * if it cannot be read.
 */
static int
traffic_config(struct traffic_opts *o, const char *defconf,
    struct config **c, char *err, size_t errlen)
{
	*c = xcalloc(1, sizeof(**c));
	if (o->config == NULL && access(defconf, F_OK) == -1)
		config_defaults(*c);
	else if (config_load(*c, o->config ? o->config : defconf, err,
	    errlen) == -1)
		return -1;
	if (!o->rate_given)
		o->dnskey_rate = (*c)->traffic.warn_rate;
	return 0;
}

int
traffic_main(int argc, char *argv[], const char *defconf, FILE *out,
    char *err, size_t errlen)
{
	struct traffic_opts o;
	struct traffic t, base;
	struct config *c = NULL;
	int flagged = -1;
	size_t i;

	if (traffic_options(argc, argv, &o, err, errlen) == -1)
		return -1;
	/* A listen is cut to what -t leaves, a second kept for the report:
	 * it then ends as it would, its socket removed. */
	if (o.timeout > 0 && (o.socket != NULL || o.iface != NULL) &&
	    o.seconds >= o.timeout)
		o.seconds = o.timeout > 1 ? o.timeout - 1 : 1;
	if (o.timeout > 0)
		alarm(o.timeout);
	if (traffic_config(&o, defconf, &c, err, errlen) == -1) {
		free(c);
		return -1;
	}
	if (traffic_init(&t) == -1 || traffic_init(&base) == -1)
		fatalx("out of memory");
	err[0] = '\0';
	if (o.baseline != NULL) {
		if (traffic_read_any(&base, o.baseline, 0, err, errlen) == -1)
			goto done;
		if (err[0] != '\0')
			log_warnx("%s", err);
		traffic_end(&base);
		o.base = &base;
	}
	if (traffic_inputs(&t, argc, argv, &o, c, err, errlen) == -1)
		goto done;
	traffic_end(&t);
	err[0] = '\0';
	/* The root's signers at the capture's time, unless --trusted-tags
	 * named the keys; no queries, nothing to judge. */
	if (o.nsigners == 0 && t.queries > 0 &&
	    traffic_signers_load(&o, c, &t, err, errlen) == -1)
		goto done;
	if (o.format == TRAFFIC_CSV)
		traffic_csv(&t, &o, out);
	else if (o.format == TRAFFIC_JSON)
		traffic_json(&t, &o, out);
	else
		traffic_print(&t, &o, out);
	flagged = 0;
	for (i = 0; i < t.n; i++)
		if (is_traffic_flagged(&t, traffic_nth(&t, i), &o))
			flagged = 1;
done:
	traffic_free(&t);
	traffic_free(&base);
	free(c);
	return flagged;
}

void
storm_listen(struct storm *s, const struct traffic_conf *tc, unsigned left)
{
	struct traffic t;
	size_t i;
	int rc;

	if (tc->dnstap_socket[0] == '\0' && tc->interface[0] == '\0')
		return;
	s->measured = 1;
	s->seconds = MIN(tc->seconds, left > 1 ? left - 1 : 0);
	if (s->seconds == 0) {
		snprintf(s->why, sizeof(s->why), "no time left within -t");
		return;
	}
	if (traffic_init(&t) == -1)
		fatalx("out of memory");
	rc = tc->dnstap_socket[0] != '\0' ? dnstap_listen(&t,
	    tc->dnstap_socket, tc->dnstap_group, (int)s->seconds, s->why,
	    sizeof(s->why)) :
	    capture_live(&t, tc->interface, s->seconds, s->why,
	    sizeof(s->why));
	if (rc == 0)
		s->why[0] = '\0';
	traffic_end(&t);
	for (i = 0; rc == 0 && i < t.n; i++) {
		if (traffic_nth(&t, i)->dnskey_root <= s->count)
			continue;
		s->count = traffic_nth(&t, i)->dnskey_root;
		traffic_source_name(traffic_nth(&t, i), s->source,
		    sizeof(s->source));
	}
	if (s->count >= STORM_MIN)
		s->rate = (double)s->count * 60 / s->seconds;
	traffic_free(&t);
}
