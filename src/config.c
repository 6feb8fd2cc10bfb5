/*
 * config.c: read /etc/anchorwatch/anchorwatch.yaml.
 *
 * The configuration names the resolvers to watch and tunes the agent's own
 * root query.  It is parsed with libyaml's event API against a fixed schema:
 * each mapping has a table of known keys, and anything the schema does not
 * expect (unknown or duplicate keys, a sequence where a scalar belongs,
 * aliases, anchors, tags, a second document, nesting deeper than the schema)
 * is an error reported as "file:line: what is wrong".  The file is read
 * whole, size-capped, before libyaml sees it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "anchorwatch.h"

#define CFG_DEPTH_MAX 4		/* top > resolvers > entry > anchor_files */
#define CFG_DEPTH_EXTRA 5	/* top > events > extra > entry > keys */
#define CFG_HOLD_MAX 31622400	/* 366 days */
#define CFG_SHOW_MAX 48		/* bytes of a bad value quoted in an error */

static const char *const cfg_facilities[] = {
	"daemon", "user", "local0", "local1", "local2", "local3", "local4",
	"local5", "local6", "local7",
};

/* Parser state: the current event, where it starts, and the output. */
struct cfg_reader {
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned line;		/* 1-based line of ev */
	int depth;		/* open mappings and sequences */
	int depth_max;		/* CFG_DEPTH_MAX, or deeper in events.extra */
	const char *path;
	const char *buf;
	size_t len;
	char keypath[64];	/* "root.timeout": key being read */
	unsigned state_dir_line;
	struct config *c;
	struct resolver_conf *rc;	/* entry being read, else NULL */
	struct event *evt;		/* event entry being read, else NULL */
	struct calendar *cal;		/* calendar file being read */
	unsigned events_line;		/* line of the events: key */
	char *err;
	size_t errlen;
};

enum cfg_kind {
	CK_PATH,		/* absolute path into char[AW_PATH_MAX] */
	CK_NUMBER,		/* plain decimal into unsigned, min..max */
	CK_FUNC,		/* fn reads the value itself */
};

/* One key of a mapping; off is the field's offset in the section's struct. */
struct cfg_key {
	const char *name;
	enum cfg_kind kind;
	size_t off;
	unsigned min, max;
	int (*fn)(struct cfg_reader *);
};

static int cfg_state_dir(struct cfg_reader *);
static int cfg_root(struct cfg_reader *);
static int cfg_checks(struct cfg_reader *);
static int cfg_syslog(struct cfg_reader *);
static int cfg_probes(struct cfg_reader *);
static int cfg_enabled(struct cfg_reader *);
static int cfg_signed_name(struct cfg_reader *);
static int cfg_sentinel_domain(struct cfg_reader *);
static int cfg_resolvers(struct cfg_reader *);
static int cfg_stub(struct cfg_reader *);
static int cfg_facility(struct cfg_reader *);
static int cfg_name(struct cfg_reader *);
static int cfg_type(struct cfg_reader *);
static int cfg_anchor_files(struct cfg_reader *);
static int cfg_address(struct cfg_reader *);
static int cfg_events(struct cfg_reader *);
static int cfg_extra(struct cfg_reader *);
static int cfg_ev_id(struct cfg_reader *);
static int cfg_ev_date(struct cfg_reader *);
static int cfg_ev_name(struct cfg_reader *);
static int cfg_ev_kind(struct cfg_reader *);
static int cfg_ev_keys(struct cfg_reader *);
static int cfg_ev_requires(struct cfg_reader *);
static int cfg_ev_assumed(struct cfg_reader *);
static int cfg_cal_version(struct cfg_reader *);
static int cfg_cal_events(struct cfg_reader *);
static int cfg_traffic(struct cfg_reader *);
static int cfg_interface(struct cfg_reader *);

#define CFG_OFF(f) offsetof(struct config, f)
#define RC_OFF(f) offsetof(struct resolver_conf, f)

static const struct cfg_key cfg_top_keys[] = {
	{ "state_dir", CK_FUNC, 0, 0, 0, cfg_state_dir },
	{ "root", CK_FUNC, 0, 0, 0, cfg_root },
	{ "checks", CK_FUNC, 0, 0, 0, cfg_checks },
	{ "syslog", CK_FUNC, 0, 0, 0, cfg_syslog },
	{ "probes", CK_FUNC, 0, 0, 0, cfg_probes },
	{ "resolvers", CK_FUNC, 0, 0, 0, cfg_resolvers },
	{ "events", CK_FUNC, 0, 0, 0, cfg_events },
	{ "traffic", CK_FUNC, 0, 0, 0, cfg_traffic },
};

#define CFG_SUN_PATH 108	/* sizeof(sockaddr_un.sun_path) on Linux */

static const struct cfg_key cfg_traffic_keys[] = {
	{ "dnstap_socket", CK_PATH, CFG_OFF(traffic.dnstap_socket), 0, 0,
	    NULL },
	{ "interface", CK_FUNC, 0, 0, 0, cfg_interface },
	{ "seconds", CK_NUMBER, CFG_OFF(traffic.seconds), 1, 300, NULL },
	{ "warn_rate", CK_NUMBER, CFG_OFF(traffic.warn_rate), 1, 1000000,
	    NULL },
	{ "critical_rate", CK_NUMBER, CFG_OFF(traffic.critical_rate), 1,
	    1000000, NULL },
};

static const struct cfg_key cfg_events_keys[] = {
	{ "file", CK_PATH, CFG_OFF(events.file), 0, 0, NULL },
	{ "warn_days", CK_NUMBER, CFG_OFF(events.warn_days), 1, 366, NULL },
	{ "critical_days", CK_NUMBER, CFG_OFF(events.critical_days), 0, 366,
	    NULL },
	{ "extra", CK_FUNC, 0, 0, 0, cfg_extra },
};

/* One event, in the calendar file or in events.extra. */
static const struct cfg_key cfg_event_keys[] = {
	{ "id", CK_FUNC, 0, 0, 0, cfg_ev_id },
	{ "date", CK_FUNC, 0, 0, 0, cfg_ev_date },
	{ "name", CK_FUNC, 0, 0, 0, cfg_ev_name },
	{ "kind", CK_FUNC, 0, 0, 0, cfg_ev_kind },
	{ "keys", CK_FUNC, 0, 0, 0, cfg_ev_keys },
	{ "requires", CK_FUNC, 0, 0, 0, cfg_ev_requires },
	{ "assumed", CK_FUNC, 0, 0, 0, cfg_ev_assumed },
};

/* The calendar file (events.yaml). */
static const struct cfg_key cfg_cal_keys[] = {
	{ "version", CK_FUNC, 0, 0, 0, cfg_cal_version },
	{ "events", CK_FUNC, 0, 0, 0, cfg_cal_events },
};

static const struct cfg_key cfg_root_keys[] = {
	{ "anchor_file", CK_PATH, CFG_OFF(anchor_file), 0, 0, NULL },
	{ "bootstrap", CK_PATH, CFG_OFF(bootstrap), 0, 0, NULL },
	{ "stub", CK_FUNC, 0, 0, 0, cfg_stub },
	{ "timeout", CK_NUMBER, CFG_OFF(timeout), 1, 300, NULL },
	{ "add_holddown", CK_NUMBER, CFG_OFF(add_holddown), 0, CFG_HOLD_MAX,
	    NULL },
	{ "del_holddown", CK_NUMBER, CFG_OFF(del_holddown), 0, CFG_HOLD_MAX,
	    NULL },
	{ "keep_missing", CK_NUMBER, CFG_OFF(keep_missing), 0, CFG_HOLD_MAX,
	    NULL },
};

static const struct cfg_key cfg_checks_keys[] = {
	{ "probe_overdue", CK_NUMBER, CFG_OFF(probe_overdue), 1, CFG_HOLD_MAX,
	    NULL },
};

static const struct cfg_key cfg_probes_keys[] = {
	{ "enabled", CK_FUNC, 0, 0, 0, cfg_enabled },
	{ "timeout", CK_NUMBER, CFG_OFF(probe_timeout), 1, 30, NULL },
	{ "signed_name", CK_FUNC, 0, 0, 0, cfg_signed_name },
	{ "sentinel_domain", CK_FUNC, 0, 0, 0, cfg_sentinel_domain },
};

static const struct cfg_key cfg_syslog_keys[] = {
	{ "facility", CK_FUNC, 0, 0, 0, cfg_facility },
};

static const struct cfg_key cfg_resolver_keys[] = {
	{ "name", CK_FUNC, 0, 0, 0, cfg_name },
	{ "type", CK_FUNC, 0, 0, 0, cfg_type },
	{ "config", CK_PATH, RC_OFF(config), 0, 0, NULL },
	{ "anchor_files", CK_FUNC, 0, 0, 0, cfg_anchor_files },
	{ "address", CK_FUNC, 0, 0, 0, cfg_address },
};

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

void
config_defaults(struct config *c)
{
	memset(c, 0, offsetof(struct config, resolvers));
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/anchorwatch");
	snprintf(c->anchor_file, sizeof(c->anchor_file),
	    "/var/lib/anchorwatch/root.key");
	snprintf(c->bootstrap, sizeof(c->bootstrap), "/usr/share/dns/root.key");
	c->timeout = 10;
	c->add_holddown = 2592000;
	c->del_holddown = 2592000;
	c->keep_missing = 31622400;
	c->probe_overdue = 259200;
	c->probes = 1;
	c->probe_timeout = 2;
	c->traffic.seconds = 30;
	c->traffic.warn_rate = 2;
	c->traffic.critical_rate = 6;
	snprintf(c->syslog_facility, sizeof(c->syslog_facility), "daemon");
	snprintf(c->events.file, sizeof(c->events.file),
	    "/etc/anchorwatch/events.yaml");
	c->events.warn_days = 30;
	c->events.critical_days = 7;
}

/* Format "path:line: message" into the caller's buffer; returns -1. */
static int __attribute__((format(printf, 3, 4)))
cfg_error(struct cfg_reader *r, unsigned line, const char *fmt, ...)
{
	char msg[AW_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->errlen > 0)
		snprintf(r->err, r->errlen, "%s:%u: %s", r->path, line, msg);
	return -1;
}

/*
 * Copy untrusted text into out for an error message: printable ASCII only,
 * the rest shown as '?', cut at CFG_SHOW_MAX bytes.  Returns out.
 */
static const char *
cfg_show(char *out, size_t outlen, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 4 < outlen && i < CFG_SHOW_MAX; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < len)
		n += snprintf(out + n, outlen - n, "...");
	out[n] = '\0';
	return out;
}

/* Line of byte offset off in the input, for libyaml's reader errors. */
static unsigned
cfg_offset_line(const struct cfg_reader *r, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off && i < r->len; i++)
		if (r->buf[i] == '\n')
			line++;
	return line;
}

/* Report libyaml's own error (syntax, encoding); returns -1. */
static int
cfg_yaml_error(struct cfg_reader *r)
{
	yaml_parser_t *p = &r->parser;
	const char *problem = p->problem ? p->problem : "YAML error";
	unsigned line;

	if (p->error == YAML_MEMORY_ERROR)
		fatalx("%s: out of memory", r->path);
	if (p->error == YAML_READER_ERROR)
		line = cfg_offset_line(r, p->problem_offset);
	else
		line = (unsigned)p->problem_mark.line + 1;
	if (p->context != NULL)
		return cfg_error(r, line, "%s (%s)", problem, p->context);
	return cfg_error(r, line, "%s", problem);
}

/* What an event is, for "expected X, got Y" messages. */
static const char *
cfg_evname(yaml_event_type_t t)
{
	switch (t) {
	case YAML_SCALAR_EVENT:
		return "a scalar";
	case YAML_SEQUENCE_START_EVENT:
		return "a sequence";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return "the end of a collection";
	default:
		return "something else";
	}
}

/*
 * Refuse what the schema never needs on any event: aliases, anchors,
 * explicit tags, and nesting deeper than CFG_DEPTH_MAX.  Returns 0 or -1.
 */
const char *
config_screen_event(const struct yaml_event_s *e, int *depth)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return "aliases (*) are not allowed";
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = e->data.sequence_start.anchor;
		tag = e->data.sequence_start.tag;
		(*depth)++;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = e->data.mapping_start.anchor;
		tag = e->data.mapping_start.tag;
		(*depth)++;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		(*depth)--;
		break;
	default:
		break;
	}
	if (anchor != NULL)
		return "anchors (&) are not allowed";
	if (tag != NULL)
		return "tags (!) are not allowed";
	return NULL;
}

static int
cfg_screen(struct cfg_reader *r)
{
	const char *why;

	if ((why = config_screen_event(&r->ev, &r->depth)) != NULL)
		return cfg_error(r, r->line, "%s", why);
	if (r->depth > (r->depth_max ? r->depth_max : CFG_DEPTH_MAX))
		return cfg_error(r, r->line, "nested too deeply");
	return 0;
}

/* Replace the current event with the next one; returns 0 or -1. */
static int
cfg_next(struct cfg_reader *r)
{
	yaml_event_delete(&r->ev);
	if (!yaml_parser_parse(&r->parser, &r->ev))
		return cfg_yaml_error(r);
	r->line = (unsigned)r->ev.start_mark.line + 1;	/* input <= 1 MB */
	return cfg_screen(r);
}

/* Read the next event and insist on type t (the value of r->keypath). */
static int
cfg_expect(struct cfg_reader *r, yaml_event_type_t t)
{
	if (cfg_next(r) == -1)
		return -1;
	if (r->ev.type != t)
		return cfg_error(r, r->line, "%s: expected %s, got %s",
		    r->keypath, cfg_evname(t), cfg_evname(r->ev.type));
	return 0;
}

/* Check the current event's scalar and copy it into buf, NUL-terminated. */
static int
cfg_copy_scalar(struct cfg_reader *r, char *buf, size_t buflen)
{
	const char *v = (const char *)r->ev.data.scalar.value;
	size_t len = r->ev.data.scalar.length;

	if (memchr(v, '\0', len) != NULL)
		return cfg_error(r, r->line, "%s: value contains a NUL byte",
		    r->keypath);
	if (len >= buflen)
		return cfg_error(r, r->line, "%s: value longer than %zu bytes",
		    r->keypath, buflen - 1);
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

/* Read a scalar value of any style into buf. */
static int
cfg_string(struct cfg_reader *r, char *buf, size_t buflen)
{
	if (cfg_expect(r, YAML_SCALAR_EVENT) == -1)
		return -1;
	return cfg_copy_scalar(r, buf, buflen);
}

/* Check that p, just read from the current event, is an absolute path. */
static int
cfg_check_path(struct cfg_reader *r, const char *p)
{
	char show[CFG_SHOW_MAX + 8];

	if (p[0] == '\0')
		return cfg_error(r, r->line, "%s: path is empty", r->keypath);
	if (p[0] != '/')
		return cfg_error(r, r->line, "%s: path \"%s\" is not absolute",
		    r->keypath, cfg_show(show, sizeof(show), p, strlen(p)));
	return 0;
}

/* Read an absolute path into buf (AW_PATH_MAX bytes). */
static int
cfg_path(struct cfg_reader *r, char *buf)
{
	if (cfg_string(r, buf, AW_PATH_MAX) == -1)
		return -1;
	return cfg_check_path(r, buf);
}

/*
 * Parse s[0..len) as decimal digits into *out: no sign, no unit, no leading
 * zero, no octal or hex.  Values above max come out as max + 1, so there is
 * no overflow however long the input.  Returns 0, or -1 if not digits.
 */
static int
cfg_decimal(const char *s, size_t len, unsigned max, unsigned long long *out)
{
	unsigned long long n = 0;
	size_t i;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (unsigned)(s[i] - '0');
		if (n > max)
			n = (unsigned long long)max + 1;
	}
	*out = n;
	return 0;
}

/* Read a plain (unquoted) decimal number in min..max into *out. */
static int
cfg_number(struct cfg_reader *r, unsigned min, unsigned max, unsigned *out)
{
	const char *v;
	char show[CFG_SHOW_MAX + 8];
	unsigned long long n;
	size_t len;

	if (cfg_expect(r, YAML_SCALAR_EVENT) == -1)
		return -1;
	v = (const char *)r->ev.data.scalar.value;
	len = r->ev.data.scalar.length;
	cfg_show(show, sizeof(show), v, len);
	if (r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    cfg_decimal(v, len, max, &n) == -1)
		return cfg_error(r, r->line, "%s: \"%s\" is not a plain "
		    "decimal number", r->keypath, show);
	if (n < min || n > max)
		return cfg_error(r, r->line, "%s: %s is out of range %u..%u",
		    r->keypath, show, min, max);
	*out = (unsigned)n;
	return 0;
}

/* 1 if s is "IPv4-or-IPv6" or "IPv4-or-IPv6@port", port 1..65535. */
static int
valid_address(const char *s)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];
	const char *at = strchr(s, '@');
	size_t iplen = at ? (size_t)(at - s) : strlen(s);
	unsigned long long port;

	if (iplen == 0 || iplen >= sizeof(ip))
		return 0;
	memcpy(ip, s, iplen);
	ip[iplen] = '\0';
	if (inet_pton(AF_INET, ip, bin) != 1 &&
	    inet_pton(AF_INET6, ip, bin) != 1)
		return 0;
	if (at == NULL)
		return 1;
	if (cfg_decimal(at + 1, strlen(at + 1), 65535, &port) == -1)
		return 0;
	return port >= 1 && port <= 65535;
}

/* Check that s, just read from the current event, is "ip[@port]". */
static int
cfg_check_address(struct cfg_reader *r, const char *s)
{
	char show[CFG_SHOW_MAX + 8];

	if (valid_address(s))
		return 0;
	return cfg_error(r, r->line, "%s: \"%s\" is not an IP address with "
	    "optional @port (1..65535)", r->keypath,
	    cfg_show(show, sizeof(show), s, strlen(s)));
}

/*
 * Read a sequence of at most max scalars into an array of fixed-size
 * strings, each passing check; *n is the count.
 */
static int
cfg_list(struct cfg_reader *r, char *arr, size_t stride, size_t max,
    size_t *n, int (*check)(struct cfg_reader *, const char *))
{
	if (cfg_expect(r, YAML_SEQUENCE_START_EVENT) == -1)
		return -1;
	for (*n = 0;; (*n)++) {
		char *item = arr + *n * stride;

		if (cfg_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return cfg_error(r, r->line, "%s: expected a scalar, "
			    "got %s", r->keypath, cfg_evname(r->ev.type));
		if (*n == max)
			return cfg_error(r, r->line, "%s: more than %zu items",
			    r->keypath, max);
		if (cfg_copy_scalar(r, item, stride) == -1 ||
		    check(r, item) == -1)
			return -1;
	}
}

/*
 * Read a value that must be one of list[0..n) into out; the error names
 * what it is and the accepted values.
 */
static int
cfg_enum(struct cfg_reader *r, const char *const *list, size_t n,
    const char *what, char *out, size_t outlen)
{
	char v[AW_NAME_MAX], show[CFG_SHOW_MAX + 8], all[128] = "";
	size_t i;

	if (cfg_string(r, v, sizeof(v)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(v, list[i]) == 0) {
			snprintf(out, outlen, "%s", list[i]);
			return 0;
		}
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
		    i > 0 ? ", " : "", list[i]);
	}
	return cfg_error(r, r->line, "%s: unknown %s \"%s\" (one of: %s)",
	    r->keypath, what, cfg_show(show, sizeof(show), v, strlen(v)), all);
}

/* Find key k in a table; returns its index or -1. */
static int
cfg_lookup(const struct cfg_key *keys, size_t nkeys, const char *k,
    size_t klen)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (strlen(keys[i].name) == klen &&
		    memcmp(keys[i].name, k, klen) == 0)
			return (int)i;
	return -1;
}

/* Read the value of key k into the section's struct at base. */
static int
cfg_value(struct cfg_reader *r, const struct cfg_key *k, char *base)
{
	switch (k->kind) {
	case CK_PATH:
		return cfg_path(r, base + k->off);
	case CK_NUMBER:
		return cfg_number(r, k->min, k->max,
		    (unsigned *)(void *)(base + k->off));
	case CK_FUNC:
		return k->fn(r);
	}
	return -1;
}

/*
 * Read the keys of a mapping whose start event was just consumed, up to
 * and including its end.  section names it in messages ("" at top level).
 * Duplicates are tracked in a bit mask: tables hold at most 32 keys.
 */
static int
cfg_map(struct cfg_reader *r, const char *section, const struct cfg_key *keys,
    size_t nkeys, void *base)
{
	const char *where = section[0] ? section : "top level";
	char show[CFG_SHOW_MAX + 8];
	unsigned seen = 0;
	int i;

	for (;;) {
		if (cfg_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return cfg_error(r, r->line, "expected a key in %s, "
			    "got %s", where, cfg_evname(r->ev.type));
		cfg_show(show, sizeof(show), (char *)r->ev.data.scalar.value,
		    r->ev.data.scalar.length);
		i = cfg_lookup(keys, nkeys, (char *)r->ev.data.scalar.value,
		    r->ev.data.scalar.length);
		if (i == -1)
			return cfg_error(r, r->line, "unknown key \"%s\" in %s",
			    show, where);
		if (seen & (1u << i))
			return cfg_error(r, r->line,
			    "duplicate key \"%s\" in %s", show, where);
		seen |= 1u << i;
		snprintf(r->keypath, sizeof(r->keypath), "%s%s%s", section,
		    section[0] ? "." : "", keys[i].name);
		if (cfg_value(r, &keys[i], base) == -1)
			return -1;
	}
}

/* Read a nested section: a mapping value with its own key table. */
static int
cfg_section(struct cfg_reader *r, const char *section,
    const struct cfg_key *keys, size_t nkeys, void *base)
{
	if (cfg_expect(r, YAML_MAPPING_START_EVENT) == -1)
		return -1;
	return cfg_map(r, section, keys, nkeys, base);
}

static int
cfg_state_dir(struct cfg_reader *r)
{
	if (cfg_path(r, r->c->state_dir) == -1)
		return -1;
	r->state_dir_line = r->line;
	return 0;
}

static int
cfg_root(struct cfg_reader *r)
{
	return cfg_section(r, "root", cfg_root_keys, NITEMS(cfg_root_keys),
	    r->c);
}

static int
cfg_checks(struct cfg_reader *r)
{
	return cfg_section(r, "checks", cfg_checks_keys,
	    NITEMS(cfg_checks_keys), r->c);
}

static int
cfg_syslog(struct cfg_reader *r)
{
	return cfg_section(r, "syslog", cfg_syslog_keys,
	    NITEMS(cfg_syslog_keys), r->c);
}

static int
cfg_stub(struct cfg_reader *r)
{
	return cfg_list(r, &r->c->stub[0][0], sizeof(r->c->stub[0]),
	    CFG_STUB_MAX, &r->c->nstub, cfg_check_address);
}

/* syslog.facility: one of cfg_facilities. */
static int
cfg_facility(struct cfg_reader *r)
{
	return cfg_enum(r, cfg_facilities, NITEMS(cfg_facilities), "facility",
	    r->c->syslog_facility, sizeof(r->c->syslog_facility));
}

static int
cfg_probes(struct cfg_reader *r)
{
	return cfg_section(r, "probes", cfg_probes_keys,
	    NITEMS(cfg_probes_keys), r->c);
}

static int
cfg_traffic(struct cfg_reader *r)
{
	struct traffic_conf *tc = &r->c->traffic;
	unsigned line = r->line;	/* the errors name the section's key */

	if (cfg_section(r, "traffic", cfg_traffic_keys,
	    NITEMS(cfg_traffic_keys), r->c) == -1)
		return -1;
	if (tc->dnstap_socket[0] != '\0' && tc->interface[0] != '\0')
		return cfg_error(r, line, "traffic: dnstap_socket and "
		    "interface exclude each other");
	if (tc->critical_rate < tc->warn_rate)
		return cfg_error(r, line, "traffic: critical_rate %u is "
		    "below warn_rate %u", tc->critical_rate, tc->warn_rate);
	if (strlen(tc->dnstap_socket) >= CFG_SUN_PATH)
		return cfg_error(r, line, "traffic: dnstap_socket is longer "
		    "than a unix socket path can be (%d bytes)",
		    CFG_SUN_PATH - 1);
	return 0;
}

/* traffic.interface: a network interface name (or "any"). */
static int
cfg_interface(struct cfg_reader *r)
{
	char *v = r->c->traffic.interface, show[CFG_SHOW_MAX + 8];
	size_t len;

	if (cfg_string(r, v, sizeof(r->c->traffic.interface)) == -1)
		return -1;
	len = strlen(v);
	if (len == 0 || len > 15 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:@-") != len)
		return cfg_error(r, r->line, "%s: \"%s\" is not an interface "
		    "name", r->keypath, cfg_show(show, sizeof(show), v, len));
	return 0;
}

/* probes.enabled: true or false. */
static int
cfg_enabled(struct cfg_reader *r)
{
	static const char *const bools[] = { "true", "false" };
	char v[8];

	if (cfg_enum(r, bools, NITEMS(bools), "boolean", v, sizeof(v)) == -1)
		return -1;
	r->c->probes = strcmp(v, "true") == 0;
	return 0;
}

/* 1 if s is a domain name anchorwatch can put in a query: labels of
 * [A-Za-z0-9_-], 1 to 63 bytes, 253 in all, optional final dot. */
static int
valid_domain(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", s[i]) == NULL ||
		    ++label > 63)
			return 0;
	}
	return label > 0;
}

/* A domain name into out (256 bytes). */
static int
cfg_domain(struct cfg_reader *r, char *out)
{
	char show[CFG_SHOW_MAX + 8];

	if (cfg_string(r, out, 256) == -1)
		return -1;
	if (!valid_domain(out))
		return cfg_error(r, r->line, "%s: \"%s\" is not a domain name",
		    r->keypath, cfg_show(show, sizeof(show), out, strlen(out)));
	return 0;
}

static int
cfg_signed_name(struct cfg_reader *r)
{
	return cfg_domain(r, r->c->signed_name);
}

static int
cfg_sentinel_domain(struct cfg_reader *r)
{
	return cfg_domain(r, r->c->sentinel_domain);
}

/* 1 if s is a resolver name: [A-Za-z0-9._-]{1,63}. */
static int
valid_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= AW_NAME_MAX)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

/* resolver.name: well formed and not used by an earlier entry. */
static int
cfg_name(struct cfg_reader *r)
{
	char name[AW_PATH_MAX], show[CFG_SHOW_MAX + 8];
	size_t i;

	if (cfg_string(r, name, sizeof(name)) == -1)
		return -1;
	if (!valid_name(name))
		return cfg_error(r, r->line, "%s: \"%s\" is not 1-63 of "
		    "A-Z a-z 0-9 . _ -", r->keypath,
		    cfg_show(show, sizeof(show), name, strlen(name)));
	for (i = 0; i < r->c->nresolvers; i++)
		if (strcmp(r->c->resolvers[i].name, name) == 0)
			return cfg_error(r, r->line, "duplicate resolver name "
			    "\"%s\" (first at line %u)", name,
			    r->c->resolvers[i].line);
	memcpy(r->rc->name, name, strlen(name) + 1);	/* valid_name: fits */
	return 0;
}

/* resolver.type: the type of a row of the reader table (resolver.c). */
static int
cfg_type(struct cfg_reader *r)
{
	const struct reader *const *rd;
	const char *types[READERS_MAX];
	size_t i, n;

	rd = reader_all(&n);
	for (i = 0; i < n && i < NITEMS(types); i++)
		types[i] = rd[i]->type;
	return cfg_enum(r, types, i, "resolver type", r->rc->type,
	    sizeof(r->rc->type));
}

static int
cfg_anchor_files(struct cfg_reader *r)
{
	return cfg_list(r, &r->rc->anchor_files[0][0],
	    sizeof(r->rc->anchor_files[0]), CFG_FILES_MAX,
	    &r->rc->nanchor_files, cfg_check_path);
}

static int
cfg_address(struct cfg_reader *r)
{
	if (cfg_string(r, r->rc->address, sizeof(r->rc->address)) == -1)
		return -1;
	return cfg_check_address(r, r->rc->address);
}

/* Read one resolvers entry, whose mapping start is the current event. */
static int
cfg_resolver(struct cfg_reader *r)
{
	struct config *c = r->c;
	struct resolver_conf *rc;

	if (c->nresolvers == CFG_RESOLVERS_MAX)
		return cfg_error(r, r->line, "more than %d resolvers",
		    CFG_RESOLVERS_MAX);
	rc = r->rc = &c->resolvers[c->nresolvers];
	memset(rc, 0, sizeof(*rc));
	rc->line = r->line;
	if (cfg_map(r, "resolver", cfg_resolver_keys,
	    NITEMS(cfg_resolver_keys), rc) == -1)
		return -1;
	if (rc->name[0] == '\0')
		return cfg_error(r, rc->line, "resolver entry has no name");
	if (rc->type[0] == '\0')
		return cfg_error(r, rc->line, "resolver \"%s\" has no type",
		    rc->name);
	if (rc->config[0] == '\0' && rc->nanchor_files == 0)
		return cfg_error(r, rc->line, "resolver \"%s\" needs config or "
		    "anchor_files", rc->name);
	c->nresolvers++;
	r->rc = NULL;
	return 0;
}

/* resolvers: a sequence of mappings. */
static int
cfg_resolvers(struct cfg_reader *r)
{
	if (cfg_expect(r, YAML_SEQUENCE_START_EVENT) == -1)
		return -1;
	r->c->resolvers_given = 1;
	for (;;) {
		if (cfg_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return cfg_error(r, r->line, "resolvers: expected a "
			    "mapping, got %s", cfg_evname(r->ev.type));
		if (cfg_resolver(r) == -1)
			return -1;
	}
}

/* ---- events: the calendar file and events.extra (events.c uses them) --- */

static int
cfg_events(struct cfg_reader *r)
{
	r->events_line = r->line;
	return cfg_section(r, "events", cfg_events_keys,
	    NITEMS(cfg_events_keys), r->c);
}

/* event.id: [a-z0-9-], 1 to 31 bytes. */
static int
cfg_ev_id(struct cfg_reader *r)
{
	char *id = r->evt->id, show[CFG_SHOW_MAX + 8];
	size_t len;

	if (cfg_string(r, id, sizeof(r->evt->id)) == -1)
		return -1;
	len = strlen(id);
	if (len == 0 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    len)
		return cfg_error(r, r->line, "%s: \"%s\" is not 1-31 of a-z "
		    "0-9 -", r->keypath, cfg_show(show, sizeof(show), id, len));
	return 0;
}

/* event.date: ISO 8601 UTC or epoch seconds, not before the root was
 * signed. */
static int
cfg_ev_date(struct cfg_reader *r)
{
	char v[64], show[CFG_SHOW_MAX + 8];

	if (cfg_string(r, v, sizeof(v)) == -1)
		return -1;
	cfg_show(show, sizeof(show), v, strlen(v));
	if (events_parse_time(v, strlen(v), &r->evt->when) == -1)
		return cfg_error(r, r->line, "%s: \"%s\" is not YYYY-MM-DD, "
		    "YYYY-MM-DDTHH:MM:SSZ or epoch seconds", r->keypath, show);
	if (r->evt->when < EV_EPOCH_MIN)
		return cfg_error(r, r->line, "%s: %s is before 2010-07-15, "
		    "when the root was signed", r->keypath, show);
	return 0;
}

/* event.name: printable ASCII, 1 to 127 bytes (it reaches terminals and
 * syslog). */
static int
cfg_ev_name(struct cfg_reader *r)
{
	char *n = r->evt->name;
	size_t i, len;

	if (cfg_string(r, n, sizeof(r->evt->name)) == -1)
		return -1;
	len = strlen(n);
	if (len == 0)
		return cfg_error(r, r->line, "%s: empty", r->keypath);
	for (i = 0; i < len; i++)
		if (n[i] < 0x20 || n[i] > 0x7e)
			return cfg_error(r, r->line, "%s: not printable ASCII",
			    r->keypath);
	return 0;
}

/* event.kind: the words of enum ev_kind, in its order. */
static int
cfg_ev_kind(struct cfg_reader *r)
{
	static const char *const kinds[] = { "publish", "trust", "roll",
	    "revoke", "remove", "other" };
	char v[16];
	size_t i;

	if (cfg_enum(r, kinds, NITEMS(kinds), "event kind", v, sizeof(v)) ==
	    -1)
		return -1;
	for (i = 0; strcmp(v, kinds[i]) != 0; i++)
		;
	r->evt->kind = (enum ev_kind)i;
	return 0;
}

/* A sequence of at most EV_TAGS_MAX key tags, 0..65535, into tags. */
static int
cfg_tags(struct cfg_reader *r, uint16_t *tags, size_t *n)
{
	char show[CFG_SHOW_MAX + 8];
	unsigned long long v;
	const char *s;

	if (cfg_expect(r, YAML_SEQUENCE_START_EVENT) == -1)
		return -1;
	for (*n = 0;; (*n)++) {
		if (cfg_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (r->ev.type != YAML_SCALAR_EVENT)
			return cfg_error(r, r->line, "%s: expected a scalar, "
			    "got %s", r->keypath, cfg_evname(r->ev.type));
		if (*n == EV_TAGS_MAX)
			return cfg_error(r, r->line, "%s: more than %d key "
			    "tags", r->keypath, EV_TAGS_MAX);
		s = (const char *)r->ev.data.scalar.value;
		cfg_show(show, sizeof(show), s, r->ev.data.scalar.length);
		if (r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		    cfg_decimal(s, r->ev.data.scalar.length, 65535, &v) == -1 ||
		    v > 65535)
			return cfg_error(r, r->line, "%s: \"%s\" is not a key "
			    "tag (0..65535)", r->keypath, show);
		tags[*n] = (uint16_t)v;
	}
}

static int
cfg_ev_keys(struct cfg_reader *r)
{
	return cfg_tags(r, r->evt->keys, &r->evt->nkeys);
}

static int
cfg_ev_requires(struct cfg_reader *r)
{
	return cfg_tags(r, r->evt->requires, &r->evt->nrequires);
}

static int
cfg_ev_assumed(struct cfg_reader *r)
{
	static const char *const bools[] = { "true", "false" };
	char v[8];

	if (cfg_enum(r, bools, NITEMS(bools), "boolean", v, sizeof(v)) == -1)
		return -1;
	r->evt->assumed = strcmp(v, "true") == 0;
	return 0;
}

/*
 * A sequence of event mappings into arr (at most max, *n of them), each
 * with a date and a name, ids unique.  section names them in messages.
 */
static int
cfg_event_list(struct cfg_reader *r, const char *section, struct event *arr,
    size_t max, size_t *n, enum ev_origin origin)
{
	struct event *e;
	size_t i;

	if (cfg_expect(r, YAML_SEQUENCE_START_EVENT) == -1)
		return -1;
	for (;;) {
		if (cfg_next(r) == -1)
			return -1;
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			return cfg_error(r, r->line, "%s: expected a mapping, "
			    "got %s", section, cfg_evname(r->ev.type));
		if (*n == max)
			return cfg_error(r, r->line, "%s: more than %zu events",
			    section, max);
		e = r->evt = &arr[*n];
		memset(e, 0, sizeof(*e));
		e->kind = EV_OTHER;
		e->origin = origin;
		e->line = r->line;
		if (cfg_map(r, section, cfg_event_keys,
		    NITEMS(cfg_event_keys), e) == -1)
			return -1;
		if (e->when == 0 || e->name[0] == '\0')
			return cfg_error(r, e->line, "%s: an event needs a date "
			    "and a name", section);
		for (i = 0; e->id[0] != '\0' && i < *n; i++)
			if (strcmp(arr[i].id, e->id) == 0)
				return cfg_error(r, e->line, "%s: duplicate id "
				    "\"%s\" (first at line %u)", section,
				    e->id, arr[i].line);
		(*n)++;
		r->evt = NULL;
	}
}

/* events.extra: the one place the schema nests five deep. */
static int
cfg_extra(struct cfg_reader *r)
{
	int rv;

	r->depth_max = CFG_DEPTH_EXTRA;
	rv = cfg_event_list(r, "events.extra", r->c->events.extra,
	    EV_EXTRA_MAX, &r->c->events.nextra, EVO_CONFIG);
	r->depth_max = CFG_DEPTH_MAX;
	return rv;
}

/* version: 1, the only calendar format there is. */
static int
cfg_cal_version(struct cfg_reader *r)
{
	unsigned v;

	r->events_line = r->line;	/* marks that version: was there */
	return cfg_number(r, 1, 1, &v);
}

static int
cfg_cal_events(struct cfg_reader *r)
{
	return cfg_event_list(r, "events", r->cal->ev, EV_MAX, &r->cal->n,
	    EVO_CALENDAR);
}

/*
 * The stream: nothing, or one document that is empty or a mapping.  The
 * stream start event is current on entry.
 */
static int
cfg_stream(struct cfg_reader *r, const struct cfg_key *keys, size_t nkeys,
    void *base)
{
	if (cfg_next(r) == -1)
		return -1;
	if (r->ev.type == YAML_STREAM_END_EVENT)
		return 0;
	if (cfg_next(r) == -1)	/* past the document start */
		return -1;
	if (r->ev.type == YAML_MAPPING_START_EVENT) {
		if (cfg_map(r, "", keys, nkeys, base) == -1)
			return -1;
	} else if (r->ev.type != YAML_SCALAR_EVENT ||
	    r->ev.data.scalar.length != 0 ||
	    r->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return cfg_error(r, r->line, "top level: expected a mapping, "
		    "got %s", cfg_evname(r->ev.type));
	if (cfg_next(r) == -1)	/* the document end */
		return -1;
	if (cfg_next(r) == -1)
		return -1;
	if (r->ev.type != YAML_STREAM_END_EVENT)
		return cfg_error(r, r->line, "more than one document");
	return 0;
}

/* anchor_file defaults to <state_dir>/root.key unless given. */
static int
cfg_finish(struct cfg_reader *r)
{
	struct config *c = r->c;
	const char *sep;
	int n;

	if (c->events.critical_days > c->events.warn_days)
		return cfg_error(r, r->events_line, "events: critical_days "
		    "(%u) is more than warn_days (%u)",
		    c->events.critical_days, c->events.warn_days);
	if (c->anchor_file[0] != '\0')
		return 0;
	sep = c->state_dir[strlen(c->state_dir) - 1] == '/' ? "" : "/";
	n = snprintf(c->anchor_file, sizeof(c->anchor_file), "%s%sroot.key",
	    c->state_dir, sep);
	if (n < 0 || (size_t)n >= sizeof(c->anchor_file))
		return cfg_error(r, r->state_dir_line, "state_dir: too long "
		    "to hold root.key");
	return 0;
}

/*
 * Load path into c, defaults first.  On -1, err holds "path:line: why" and
 * c is half-filled: the caller must not use it.
 */
int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct cfg_reader r;
	char *buf = NULL;
	size_t len = 0;
	int rv = -1;

	config_defaults(c);
	if (errlen > 0)
		err[0] = '\0';
	if (strlen(path) >= sizeof(c->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	memcpy(c->path, path, strlen(path) + 1);
	if (fileio_load(path, AW_FILE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.buf = buf;
	r.len = len;
	r.c = c;
	r.err = err;
	r.errlen = errlen;
	c->anchor_file[0] = '\0';	/* "" until given: see cfg_finish */
	if (!yaml_parser_initialize(&r.parser))
		fatalx("%s: out of memory", __func__);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf,
	    len);
	if (cfg_expect(&r, YAML_STREAM_START_EVENT) == 0 &&
	    cfg_stream(&r, cfg_top_keys, NITEMS(cfg_top_keys), c) == 0 &&
	    cfg_finish(&r) == 0)
		rv = 0;
	yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	free(buf);
	return rv;
}

/*
 * Read the calendar file path into cal (its events appended after cal->n;
 * version: is required).  On -1, err holds "path:line: why" and cal keeps
 * the events before the file.
 */
int
config_load_events(const char *path, struct calendar *cal, char *err,
    size_t errlen)
{
	struct cfg_reader r;
	size_t before = cal->n;
	char *buf = NULL;
	size_t len = 0;
	int rv = -1;

	if (errlen > 0)
		err[0] = '\0';
	if (fileio_load_text(path, &buf, &len, err, errlen) == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.buf = buf;
	r.len = len;
	r.cal = cal;
	r.err = err;
	r.errlen = errlen;
	if (!yaml_parser_initialize(&r.parser))
		fatalx("%s: out of memory", __func__);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf,
	    len);
	if (cfg_expect(&r, YAML_STREAM_START_EVENT) == 0 &&
	    cfg_stream(&r, cfg_cal_keys, NITEMS(cfg_cal_keys), NULL) == 0)
		rv = 0;
	if (rv == 0 && r.events_line == 0)
		rv = cfg_error(&r, 1, "no \"version: 1\" line");
	if (rv == -1)
		cal->n = before;
	yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	free(buf);
	return rv;
}
