/*
 * config.c: read /etc/anchorwatch/anchorwatch.yaml.
 *
 * The configuration names the resolvers to watch and tunes the agent's own
 * root query.  It is anchorwatch's own file, walked by yamlwalk.c in its
 * strict mode against the fixed schema below: each mapping has a table of
 * known keys, and anything the schema does not expect (unknown or
 * duplicate keys, a sequence where a scalar belongs, aliases, anchors,
 * tags, a second document, nesting deeper than the schema) is an error
 * reported as "file:line: what is wrong".  The file is read whole,
 * size-capped, first.  The events: section's extra events have the
 * calendar's schema (calendar.c).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
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
#define CFG_SUN_PATH 108	/* sizeof(sockaddr_un.sun_path) on Linux */
#define CFG_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	"0123456789._-"
#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const config_facilities[] = {
	"daemon", "user", "local0", "local1", "local2", "local3", "local4",
	"local5", "local6", "local7",
};

/* What the top-level keys write into, and what is checked at the end. */
struct config_top {
	struct config *c;
	unsigned state_dir_line;
	unsigned events_line;
	unsigned checks_line;
};

/* What the resolver entry's keys write into. */
struct config_entry {
	struct config *c;
	struct resolver_conf *rc;
};

#define CFG_OFF(f) offsetof(struct config, f)
#define RC_OFF(f) offsetof(struct resolver_conf, f)
#define CFG_UINT(n, f, lo, hi) { n, NULL, YWF_UINT, CFG_OFF(f), lo, hi }
#define CFG_PATH(n, f) { n, NULL, YWF_PATH, CFG_OFF(f), 0, 0 }

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
	c->record_max_age = 93600;
	c->probes = 1;
	c->probe_timeout = 2;
	c->traffic.seconds = 30;
	c->traffic.warn_rate = 2;
	c->traffic.critical_rate = 6;
	snprintf(c->syslog_facility, sizeof(c->syslog_facility), "daemon");
	snprintf(c->events.file, sizeof(c->events.file),
	    AW_DATADIR "/events.yaml");
	c->events.warn_days = 30;
	c->fix.reload_timeout = 30;
	snprintf(c->fix.ca_cert, sizeof(c->fix.ca_cert), "%s",
	    AW_DATADIR "/icannbundle.pem");
	c->events.critical_days = 7;
}

/* One item of a list of fixed-size strings (struct config_list). */
struct config_list {
	char *arr;
	size_t stride, max, *n;
	int (*check)(struct yamlwalk *, const struct yaml_node_s *,
	    const char *);
};

static int
config_list_item(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config_list *l = arg;
	char *item = l->arr + *l->n * l->stride;

	if (yamlwalk_expect(w, v, YW_SCALAR) == -1)
		return -1;
	if (*l->n == l->max)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %zu "
		    "items", yamlwalk_key(w), l->max);
	if (yamlwalk_string(w, v, item, l->stride) == -1 ||
	    l->check(w, v, item) == -1)
		return -1;
	(*l->n)++;
	return 0;
}

/*
 * Read a sequence of at most max scalars into an array of fixed-size
 * strings, each passing check; *n is the count.
 */
static int
config_list(struct yamlwalk *w, const struct yaml_node_s *v, char *arr,
    size_t stride, size_t max, size_t *n,
    int (*check)(struct yamlwalk *, const struct yaml_node_s *,
    const char *))
{
	struct config_list l = { arr, stride, max, n, check };

	*n = 0;
	return yamlwalk_seq(w, v, config_list_item, &l);
}

/* A string that must be one of list[0..n) into out. */
static int
config_enum(struct yamlwalk *w, const struct yaml_node_s *v,
    const char *const *list, size_t n, const char *what, char *out,
    size_t outlen)
{
	size_t i;

	if (yamlwalk_enum(w, v, list, n, what, &i) == -1)
		return -1;
	snprintf(out, outlen, "%s", list[i]);
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
	if (yamlwalk_decimal(at + 1, strlen(at + 1), 65535, &port) == -1)
		return 0;
	return port >= 1 && port <= 65535;
}

/* Check that s, just read from v, is "ip[@port]". */
static int
config_check_address(struct yamlwalk *w, const struct yaml_node_s *v,
    const char *s)
{
	char show[CFG_SHOW_MAX + 8];

	if (valid_address(s))
		return 0;
	return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not an IP "
	    "address with optional @port (1..65535)", yamlwalk_key(w),
	    yamlwalk_show(show, sizeof(show), s, strlen(s)));
}

/* ---- the global sections --------------------------------------------- */

static int
config_stub(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = arg;

	return config_list(w, v, &c->stub[0][0], sizeof(c->stub[0]),
	    CFG_STUB_MAX, &c->nstub, config_check_address);
}

static const struct yamlwalk_key config_root_keys[] = {
	CFG_PATH("anchor_file", anchor_file),
	CFG_PATH("bootstrap", bootstrap),
	{ "stub", config_stub, YWF_FUNC, 0, 0, 0 },
	CFG_UINT("timeout", timeout, 1, 300),
	CFG_UINT("add_holddown", add_holddown, 0, CFG_HOLD_MAX),
	CFG_UINT("del_holddown", del_holddown, 0, CFG_HOLD_MAX),
	CFG_UINT("keep_missing", keep_missing, 0, CFG_HOLD_MAX),
};

static const struct yamlwalk_key config_checks_keys[] = {
	CFG_UINT("probe_overdue", probe_overdue, 1, CFG_HOLD_MAX),
	CFG_UINT("probe_critical", probe_critical, 0, CFG_HOLD_MAX),
	CFG_UINT("record_max_age", record_max_age, 60, CFG_HOLD_MAX),
};

static const struct yamlwalk_key config_prometheus_keys[] = {
	CFG_PATH("textfile", prometheus_textfile),
};

/* syslog.facility: one of config_facilities. */
static int
config_facility(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = arg;

	return config_enum(w, v, config_facilities, NITEMS(config_facilities),
	    "facility", c->syslog_facility, sizeof(c->syslog_facility));
}

static const struct yamlwalk_key config_syslog_keys[] = {
	{ "facility", config_facility, YWF_FUNC, 0, 0, 0 },
};

/* probes.enabled: true or false. */
static int
config_enabled(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_bool(w, v, &((struct config *)arg)->probes);
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
config_domain(struct yamlwalk *w, const struct yaml_node_s *v, char *out)
{
	char show[CFG_SHOW_MAX + 8];

	if (yamlwalk_string(w, v, out, 256) == -1)
		return -1;
	if (!valid_domain(out))
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "a domain name", yamlwalk_key(w), yamlwalk_show(show,
		    sizeof(show), out, strlen(out)));
	return 0;
}

static int
config_signed_name(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return config_domain(w, v, ((struct config *)arg)->signed_name);
}

static int
config_sentinel_domain(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	return config_domain(w, v, ((struct config *)arg)->sentinel_domain);
}

static const struct yamlwalk_key config_probes_keys[] = {
	{ "enabled", config_enabled, YWF_FUNC, 0, 0, 0 },
	CFG_UINT("timeout", probe_timeout, 1, 30),
	{ "signed_name", config_signed_name, YWF_FUNC, 0, 0, 0 },
	{ "sentinel_domain", config_sentinel_domain, YWF_FUNC, 0, 0, 0 },
};

/* traffic.interface, a network interface name (or "any"), and
 * traffic.dnstap_group, a group name. */
static int
config_traffic_name(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct traffic_conf *tc = &((struct config *)arg)->traffic;
	int is_if = strcmp(yamlwalk_key(w), "traffic.interface") == 0;
	char *s = is_if ? tc->interface : tc->dnstap_group;
	char show[CFG_SHOW_MAX + 8];
	size_t len;

	if (yamlwalk_string(w, v, s, is_if ? sizeof(tc->interface) :
	    sizeof(tc->dnstap_group)) == -1)
		return -1;
	len = strlen(s);
	if (len == 0 || len > (is_if ? 15u : 32u) || s[0] == '-' ||
	    strspn(s, is_if ? CFG_NAME_CHARS ":@" : CFG_NAME_CHARS) != len)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "%s name", yamlwalk_key(w), yamlwalk_show(show,
		    sizeof(show), s, len), is_if ? "an interface" : "a group");
	return 0;
}

static const struct yamlwalk_key config_traffic_keys[] = {
	CFG_PATH("dnstap_socket", traffic.dnstap_socket),
	{ "dnstap_group", config_traffic_name, YWF_FUNC, 0, 0, 0 },
	{ "interface", config_traffic_name, YWF_FUNC, 0, 0, 0 },
	CFG_UINT("seconds", traffic.seconds, 1, 300),
	CFG_UINT("warn_rate", traffic.warn_rate, 1, 1000000),
	CFG_UINT("critical_rate", traffic.critical_rate, 1, 1000000),
};

/* fix.auto: true or false. */
static int
config_fix_auto(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_bool(w, v, &((struct config *)arg)->fix.autofix);
}

static const struct yamlwalk_key config_fix_keys[] = {
	{ "auto", config_fix_auto, YWF_FUNC, 0, 0, 0 },
	CFG_UINT("reload_timeout", fix.reload_timeout, 1, 600),
	CFG_PATH("anchors_xml", fix.anchors_xml),
	CFG_PATH("anchors_p7s", fix.anchors_p7s),
	CFG_PATH("ca_cert", fix.ca_cert),
};

/* events.extra: the calendar's schema, the one place nesting five deep. */
static int
config_extra(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = arg;
	int rv, old;

	old = yamlwalk_depth_max(w, CFG_DEPTH_EXTRA);
	rv = calendar_events(w, v, "events.extra", c->events.extra,
	    EV_EXTRA_MAX, &c->events.nextra, EVO_CONFIG);
	yamlwalk_depth_max(w, old);
	return rv;
}

static const struct yamlwalk_key config_events_keys[] = {
	CFG_PATH("file", events.file),
	CFG_UINT("warn_days", events.warn_days, 1, 366),
	CFG_UINT("critical_days", events.critical_days, 0, 366),
	{ "extra", config_extra, YWF_FUNC, 0, 0, 0 },
};

/* A section: a mapping value with its own key table; name is its key. */
static int
config_section(struct yamlwalk *w, const struct yaml_node_s *v,
    const char *name, const struct yamlwalk_key *keys, size_t nkeys,
    void *arg)
{
	char prefix[32];

	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	snprintf(prefix, sizeof(prefix), "%s.", name);
	return yamlwalk_map(w, v, name, prefix, keys, nkeys, arg);
}

static int
config_root(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return config_section(w, v, "root", config_root_keys,
	    NITEMS(config_root_keys), ((struct config_top *)arg)->c);
}

static int
config_checks(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	((struct config_top *)arg)->checks_line = yamlwalk_key_line(w);
	return config_section(w, v, "checks", config_checks_keys,
	    NITEMS(config_checks_keys), ((struct config_top *)arg)->c);
}

static int
config_prometheus(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return config_section(w, v, "prometheus", config_prometheus_keys,
	    NITEMS(config_prometheus_keys), ((struct config_top *)arg)->c);
}

static int
config_syslog(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return config_section(w, v, "syslog", config_syslog_keys,
	    NITEMS(config_syslog_keys), ((struct config_top *)arg)->c);
}

static int
config_probes(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return config_section(w, v, "probes", config_probes_keys,
	    NITEMS(config_probes_keys), ((struct config_top *)arg)->c);
}

static int
config_traffic(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = ((struct config_top *)arg)->c;
	struct traffic_conf *tc = &c->traffic;
	unsigned line = yamlwalk_key_line(w);	/* errors name the section */

	if (config_section(w, v, "traffic", config_traffic_keys,
	    NITEMS(config_traffic_keys), c) == -1)
		return -1;
	if (tc->dnstap_socket[0] != '\0' && tc->interface[0] != '\0')
		return yamlwalk_error(w, line, "traffic: dnstap_socket and "
		    "interface exclude each other");
	if (tc->critical_rate < tc->warn_rate)
		return yamlwalk_error(w, line, "traffic: critical_rate %u is "
		    "below warn_rate %u", tc->critical_rate, tc->warn_rate);
	if (strlen(tc->dnstap_socket) >= CFG_SUN_PATH)
		return yamlwalk_error(w, line, "traffic: dnstap_socket is "
		    "longer than a unix socket path can be (%d bytes)",
		    CFG_SUN_PATH - 1);
	return 0;
}

/* fix: anchors_p7s goes with anchors_xml (a file that cannot be
 * verified is never used). */
static int
config_fix(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = ((struct config_top *)arg)->c;
	unsigned line = yamlwalk_key_line(w);

	if (config_section(w, v, "fix", config_fix_keys,
	    NITEMS(config_fix_keys), c) == -1)
		return -1;
	if ((c->fix.anchors_xml[0] == '\0') != (c->fix.anchors_p7s[0] == '\0'))
		return yamlwalk_error(w, line, "fix: anchors_xml and "
		    "anchors_p7s go together");
	return 0;
}

static int
config_events(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config_top *t = arg;

	t->events_line = yamlwalk_key_line(w);
	return config_section(w, v, "events", config_events_keys,
	    NITEMS(config_events_keys), t->c);
}

/* ---- resolvers --------------------------------------------------------- */

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
config_name(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config_entry *e = arg;
	char name[AW_PATH_MAX], show[CFG_SHOW_MAX + 8];
	size_t i;

	if (yamlwalk_string(w, v, name, sizeof(name)) == -1)
		return -1;
	if (!valid_name(name))
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "1-63 of A-Z a-z 0-9 . _ -", yamlwalk_key(w),
		    yamlwalk_show(show, sizeof(show), name, strlen(name)));
	for (i = 0; i < e->c->nresolvers; i++)
		if (strcmp(e->c->resolvers[i].name, name) == 0)
			return yamlwalk_error(w, yamlwalk_line(v), "duplicate "
			    "resolver name \"%s\" (first at line %u)", name,
			    e->c->resolvers[i].line);
	memcpy(e->rc->name, name, strlen(name) + 1);	/* valid_name: fits */
	return 0;
}

/* resolver.type: the type of a row of the reader table (reader.c). */
static int
config_type(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct resolver_conf *rc = ((struct config_entry *)arg)->rc;
	const struct reader *const *rd;
	const char *types[READERS_MAX];
	size_t i, n;

	rd = reader_all(&n);
	for (i = 0; i < n && i < NITEMS(types); i++)
		types[i] = rd[i]->type;
	return config_enum(w, v, types, i, "resolver type", rc->type,
	    sizeof(rc->type));
}

/*
 * resolver.config: a path, or a list of paths the daemon reads in order
 * (kresd -c PRE -c CONF): the last is config, the others config_pre.
 */
static int
config_config(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct resolver_conf *rc = ((struct config_entry *)arg)->rc;
	char all[CFG_PRE_MAX + 1][AW_PATH_MAX];
	size_t n, i;

	if (yamlwalk_type(v) != YW_SEQUENCE)
		return yamlwalk_path(w, v, rc->config);
	if (config_list(w, v, &all[0][0], sizeof(all[0]), CFG_PRE_MAX + 1, &n,
	    yamlwalk_check_path) == -1)
		return -1;
	if (n == 0)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: empty list",
		    yamlwalk_key(w));
	for (i = 0; i + 1 < n; i++)
		memcpy(rc->config_pre[i], all[i], sizeof(all[i]));
	rc->nconfig_pre = n - 1;
	memcpy(rc->config, all[n - 1], sizeof(all[n - 1]));
	return 0;
}

static int
config_anchor_files(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct resolver_conf *rc = ((struct config_entry *)arg)->rc;

	return config_list(w, v, &rc->anchor_files[0][0],
	    sizeof(rc->anchor_files[0]), CFG_FILES_MAX, &rc->nanchor_files,
	    yamlwalk_check_path);
}

static int
config_address(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct resolver_conf *rc = ((struct config_entry *)arg)->rc;

	if (yamlwalk_string(w, v, rc->address, sizeof(rc->address)) == -1)
		return -1;
	return config_check_address(w, v, rc->address);
}

/* A word of a command: any non-empty text. */
static int
config_check_word(struct yamlwalk *w, const struct yaml_node_s *v,
    const char *s)
{
	if (s[0] == '\0')
		return yamlwalk_error(w, yamlwalk_line(v), "%s: an empty word",
		    yamlwalk_key(w));
	return 0;
}

/* resolvers.reload: argv of the command run after a repair (execv, no
 * shell), so its first word is a full path. */
static int
config_reload(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct resolver_conf *rc = ((struct config_entry *)arg)->rc;

	if (config_list(w, v, &rc->reload[0][0], sizeof(rc->reload[0]),
	    NITEMS(rc->reload), &rc->nreload, config_check_word) == -1)
		return -1;
	if (rc->nreload == 0 || rc->reload[0][0] != '/')
		return yamlwalk_error(w, yamlwalk_line(v), "reload: expected "
		    "a list of words, the first a full path (it is run "
		    "without a shell)");
	return 0;
}

static const struct yamlwalk_key config_resolver_keys[] = {
	{ "name", config_name, YWF_FUNC, 0, 0, 0 },
	{ "type", config_type, YWF_FUNC, 0, 0, 0 },
	{ "config", config_config, YWF_FUNC, 0, 0, 0 },
	{ "anchor_files", config_anchor_files, YWF_FUNC, 0, 0, 0 },
	{ "address", config_address, YWF_FUNC, 0, 0, 0 },
	{ "reload", config_reload, YWF_FUNC, 0, 0, 0 },
};

/* One resolvers entry. */
static int
config_resolver(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = arg;
	struct config_entry e = { c, NULL };
	struct resolver_conf *rc;
	unsigned line = yamlwalk_line(v);

	if (yamlwalk_type(v) != YW_MAPPING)
		return yamlwalk_error(w, line, "resolvers: expected a mapping, "
		    "got %s", yamlwalk_what(v));
	if (c->nresolvers == CFG_RESOLVERS_MAX)
		return yamlwalk_error(w, line, "more than %d resolvers",
		    CFG_RESOLVERS_MAX);
	rc = e.rc = &c->resolvers[c->nresolvers];
	memset(rc, 0, sizeof(*rc));
	rc->line = line;
	if (yamlwalk_map(w, v, "resolver", "resolver.", config_resolver_keys,
	    NITEMS(config_resolver_keys), &e) == -1)
		return -1;
	if (rc->name[0] == '\0')
		return yamlwalk_error(w, line, "resolver entry has no name");
	if (rc->type[0] == '\0')
		return yamlwalk_error(w, line, "resolver \"%s\" has no type",
		    rc->name);
	if (rc->config[0] == '\0' && rc->nanchor_files == 0)
		return yamlwalk_error(w, line, "resolver \"%s\" needs config "
		    "or anchor_files", rc->name);
	c->nresolvers++;
	return 0;
}

/* resolvers: a sequence of mappings. */
static int
config_resolvers(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config *c = ((struct config_top *)arg)->c;

	if (yamlwalk_expect(w, v, YW_SEQUENCE) == -1)
		return -1;
	c->resolvers_given = 1;
	return yamlwalk_seq(w, v, config_resolver, c);
}

/* ---- the file ----------------------------------------------------------- */

static int
config_state_dir(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct config_top *t = arg;

	t->state_dir_line = yamlwalk_line(v);
	return yamlwalk_path(w, v, t->c->state_dir);
}

static const struct yamlwalk_key config_top_keys[] = {
	{ "state_dir", config_state_dir, YWF_FUNC, 0, 0, 0 },
	{ "root", config_root, YWF_FUNC, 0, 0, 0 },
	{ "checks", config_checks, YWF_FUNC, 0, 0, 0 },
	{ "syslog", config_syslog, YWF_FUNC, 0, 0, 0 },
	{ "prometheus", config_prometheus, YWF_FUNC, 0, 0, 0 },
	{ "probes", config_probes, YWF_FUNC, 0, 0, 0 },
	{ "resolvers", config_resolvers, YWF_FUNC, 0, 0, 0 },
	{ "events", config_events, YWF_FUNC, 0, 0, 0 },
	{ "traffic", config_traffic, YWF_FUNC, 0, 0, 0 },
	{ "fix", config_fix, YWF_FUNC, 0, 0, 0 },
};

/* What holds across sections; anchor_file defaults to
 * <state_dir>/root.key unless given. */
static int
config_finish(struct yamlwalk *w, struct config_top *t)
{
	struct config *c = t->c;
	const char *sep;
	int n;

	if (c->probe_critical != 0 && c->probe_critical < c->probe_overdue)
		return yamlwalk_error(w, t->checks_line, "checks: "
		    "probe_critical (%u) is less than probe_overdue (%u)",
		    c->probe_critical, c->probe_overdue);
	if (c->events.critical_days > c->events.warn_days)
		return yamlwalk_error(w, t->events_line, "events: "
		    "critical_days (%u) is more than warn_days (%u)",
		    c->events.critical_days, c->events.warn_days);
	if (c->anchor_file[0] != '\0')
		return 0;
	sep = c->state_dir[strlen(c->state_dir) - 1] == '/' ? "" : "/";
	n = snprintf(c->anchor_file, sizeof(c->anchor_file), "%s%sroot.key",
	    c->state_dir, sep);
	if (n < 0 || (size_t)n >= sizeof(c->anchor_file))
		return yamlwalk_error(w, t->state_dir_line, "state_dir: too "
		    "long to hold root.key");
	return 0;
}

/*
 * Load path into c, defaults first.  On -1, err holds "path:line: why" and
 * c is half-filled: the caller must not use it.
 */
int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct config_top t = { c, 0, 0, 0 };
	struct yamlwalk *w;
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
	if (fileio_load_own(path, AW_FILE_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	c->anchor_file[0] = '\0';	/* "" until given: see config_finish */
	w = yamlwalk_open(path, buf, len, YW_OWN, CFG_DEPTH_EXTRA, err,
	    errlen);
	if (w != NULL) {
		yamlwalk_depth_max(w, CFG_DEPTH_MAX);
		if (yamlwalk_top(w, config_top_keys, NITEMS(config_top_keys),
		    &t) == 0 && config_finish(w, &t) == 0)
			rv = 0;
	}
	yamlwalk_free(w);
	free(buf);
	return rv;
}

/*
 * syslog.facility of path, for what is logged before the configuration is
 * read or when it cannot be: a forgiving pass over libyaml's events that
 * stops at the first error, keeping what it found before.  The name into
 * buf; "daemon" when there is none.
 */
#define PEEK_DEPTH 8
void
config_peek_facility(const char *path, char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	char *text = NULL, err[AW_ERR_MAX];
	const char *v;
	size_t n = 0, i;
	/* Per depth: a mapping whose next node is a key. */
	int is_map[PEEK_DEPTH] = { 0 }, want_key[PEEK_DEPTH] = { 0 };
	int depth = 0, in_syslog = 0, at_facility = 0, done = 0, start;

	snprintf(buf, len, "daemon");
	if (fileio_load(path, AW_FILE_MAX, &text, &n, err, sizeof(err)) == -1)
		return;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
	while (!done && yaml_parser_parse(&p, &ev)) {
		start = ev.type == YAML_MAPPING_START_EVENT ||
		    ev.type == YAML_SEQUENCE_START_EVENT;
		v = ev.type == YAML_SCALAR_EVENT ?
		    (const char *)ev.data.scalar.value : NULL;
		if ((start || v != NULL) && depth > 0 && is_map[depth] &&
		    want_key[depth]) {
			/* A key: which section, which key of syslog. */
			if (depth == 1)
				in_syslog = v != NULL && strcmp(v, "syslog") == 0;
			else if (depth == 2)
				at_facility = v != NULL &&
				    strcmp(v, "facility") == 0;
			want_key[depth] = 0;
		} else if (v != NULL) {
			for (i = 0; depth == 2 && in_syslog && at_facility &&
			    i < NITEMS(config_facilities); i++)
				if (strcmp(v, config_facilities[i]) == 0) {
					snprintf(buf, len, "%s",
					    config_facilities[i]);
					done = 1;
				}
			want_key[depth] = 1;
		}
		if (start && ++depth < PEEK_DEPTH) {
			is_map[depth] = ev.type == YAML_MAPPING_START_EVENT;
			want_key[depth] = 1;
		} else if (start || ev.type == YAML_STREAM_END_EVENT) {
			done = 1;
		} else if (ev.type == YAML_MAPPING_END_EVENT ||
		    ev.type == YAML_SEQUENCE_END_EVENT) {
			if (depth-- == 2)
				in_syslog = 0;
			want_key[depth] = 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	free(text);
}
