/*
 * test_config.c: config_load against good and hostile YAML.
 *
 * Good fixtures check every field lands where it belongs and that empty
 * input means defaults.  Each hostile fixture names one check in config.c
 * and asserts the exact "file:line:" of the offending node and the words
 * of that check's message, so removing the check fails its test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define GOOD(f) DATA("config/good/" f)
#define BAD(f) DATA("config/bad/" f)

/* Both are over a megabyte: keep them off the stack. */
static struct config cfg;
static struct config want;
static char err[AW_ERR_MAX];

/* One hostile fixture: where it must fail and what must be said. */
struct bad {
	const char *path;
	unsigned line;
	const char *what;
};

/* Load path, which must fail at line with a message containing what. */
static void
expect_bad(const char *path, unsigned line, const char *what)
{
	char prefix[AW_PATH_MAX + 32];

	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
	err[0] = '\0';
	if (config_load(&cfg, path, err, sizeof(err)) != -1)
		fail_msg("%s: loaded, want an error", path);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		fail_msg("got \"%s\", want prefix \"%s\"", err, prefix);
	if (strstr(err + strlen(prefix), what) == NULL)
		fail_msg("got \"%s\", want \"%s\" in it", err, what);
}

static void
test_bad(void **state)
{
	const struct bad *b = *state;

	expect_bad(b->path, b->line, b->what);
}

/* Load path, which must succeed. */
static void
load_good(const char *path)
{
	err[0] = '\0';
	if (config_load(&cfg, path, err, sizeof(err)) != 0)
		fail_msg("%s: %s", path, err);
	assert_string_equal(cfg.path, path);
}

static void
test_defaults(void **state)
{
	config_defaults(&cfg);
	assert_string_equal(cfg.path, "");
	assert_string_equal(cfg.state_dir, "/var/lib/anchorwatch");
	assert_string_equal(cfg.anchor_file, "/var/lib/anchorwatch/root.key");
	assert_string_equal(cfg.bootstrap, "/usr/share/dns/root.key");
	assert_int_equal(cfg.nstub, 0);
	assert_int_equal(cfg.timeout, 10);
	assert_int_equal(cfg.add_holddown, 2592000);
	assert_int_equal(cfg.del_holddown, 2592000);
	assert_int_equal(cfg.keep_missing, 31622400);
	assert_int_equal(cfg.probe_overdue, 259200);
	assert_string_equal(cfg.syslog_facility, "daemon");
	assert_int_equal(cfg.nresolvers, 0);
}

/* An input that must mean exactly the defaults. */
static void
expect_defaults(const char *path)
{
	load_good(path);
	config_defaults(&want);
	snprintf(want.path, sizeof(want.path), "%s", path);
	assert_memory_equal(&cfg, &want, sizeof(cfg));
}

static void
test_empty_file(void **state)
{
	expect_defaults(GOOD("empty.yaml"));
}

static void
test_empty_document(void **state)
{
	expect_defaults(GOOD("empty-doc.yaml"));
}

static void
test_minimal(void **state)
{
	load_good(GOOD("minimal.yaml"));
	assert_int_equal(cfg.nresolvers, 1);
	assert_string_equal(cfg.resolvers[0].name, "local");
	assert_string_equal(cfg.resolvers[0].type, "unbound");
	assert_string_equal(cfg.resolvers[0].config,
	    "/etc/unbound/unbound.conf");
	assert_int_equal(cfg.resolvers[0].nanchor_files, 0);
	assert_string_equal(cfg.resolvers[0].address, "");
	assert_int_equal(cfg.resolvers[0].line, 2);
	assert_string_equal(cfg.anchor_file, "/var/lib/anchorwatch/root.key");
	assert_int_equal(cfg.timeout, 10);
}

/* Every global key of full.yaml. */
static void
test_full_globals(void **state)
{
	load_good(GOOD("full.yaml"));
	assert_string_equal(cfg.state_dir, "/srv/anchorwatch");
	assert_string_equal(cfg.anchor_file, "/srv/anchorwatch/agent.key");
	assert_string_equal(cfg.bootstrap, "/etc/anchorwatch/bootstrap.key");
	assert_int_equal(cfg.nstub, 2);
	assert_string_equal(cfg.stub[0], "192.0.2.1");
	assert_string_equal(cfg.stub[1], "2001:db8::53@5353");
	assert_int_equal(cfg.timeout, 30);
	assert_int_equal(cfg.add_holddown, 60);
	assert_int_equal(cfg.del_holddown, 0);
	assert_int_equal(cfg.keep_missing, 31622400);
	assert_int_equal(cfg.probe_overdue, 86400);
	assert_string_equal(cfg.syslog_facility, "local3");
	assert_int_equal(cfg.probes, 0);
	assert_int_equal(cfg.probe_timeout, 5);
	assert_string_equal(cfg.signed_name, "www.example.com.");
	assert_string_equal(cfg.sentinel_domain, "sentinel.example.com");
}

/* The resolvers of full.yaml, block and flow style. */
static void
test_full_resolvers(void **state)
{
	const struct resolver_conf *rc = cfg.resolvers;

	load_good(GOOD("full.yaml"));
	assert_int_equal(cfg.nresolvers, 3);
	assert_string_equal(rc[0].name, "edge1");
	assert_string_equal(rc[0].type, "unbound");
	assert_string_equal(rc[0].config, "/etc/unbound/unbound.conf");
	assert_string_equal(rc[0].address, "127.0.0.1@53");
	assert_int_equal(rc[0].nanchor_files, 0);
	assert_int_equal(rc[0].line, 23);
	assert_string_equal(rc[1].name, "yes");	/* bool-like: a string */
	assert_string_equal(rc[1].type, "unbound");
	assert_string_equal(rc[1].config, "");
	assert_int_equal(rc[1].nanchor_files, 2);
	assert_string_equal(rc[1].anchor_files[0], "/var/lib/unbound/root.key");
	assert_string_equal(rc[1].anchor_files[1], "/etc/unbound/static.key");
	assert_int_equal(rc[1].line, 27);
	assert_string_equal(rc[2].name, "inline.flow-1");
	assert_string_equal(rc[2].config, "/etc/u.conf");
	assert_string_equal(rc[2].address, "::1");
	assert_int_equal(rc[2].line, 32);
}

/* config: as a list of paths: the last is config, the others
 * config_pre in order; a plain path leaves config_pre empty. */
static void
test_config_list(void **state)
{
	const struct resolver_conf *rc = cfg.resolvers;

	(void)state;
	load_good(GOOD("config-list.yaml"));
	assert_int_equal(cfg.nresolvers, 3);
	assert_int_equal(rc[0].nconfig_pre, 1);
	assert_string_equal(rc[0].config_pre[0],
	    "/usr/lib/knot-resolver/distro-preconfig.lua");
	assert_string_equal(rc[0].config, "/etc/knot-resolver/kresd.conf");
	assert_int_equal(rc[1].nconfig_pre, 0);
	assert_string_equal(rc[1].config, "/etc/knot-resolver/kresd.conf");
	assert_int_equal(rc[2].nconfig_pre, CFG_PRE_MAX);
	assert_string_equal(rc[2].config_pre[0], "/p/1.lua");
	assert_string_equal(rc[2].config_pre[3], "/p/4.lua");
	assert_string_equal(rc[2].config, "/etc/k.conf");
	load_good(GOOD("full.yaml"));
	assert_int_equal(rc[0].nconfig_pre, 0);
	assert_string_equal(rc[0].config, "/etc/unbound/unbound.conf");
}

/* anchor_file follows state_dir unless given. */
static void
test_state_dir_derives_anchor_file(void **state)
{
	load_good(GOOD("state-dir.yaml"));
	assert_string_equal(cfg.state_dir, "/srv/aw/");
	assert_string_equal(cfg.anchor_file, "/srv/aw/root.key");
}

/* No resolvers key means "discover"; an empty list means none. */
static void
test_resolvers_given(void **state)
{
	(void)state;
	load_good(GOOD("empty-list.yaml"));
	assert_int_equal(cfg.nresolvers, 0);
	assert_int_equal(cfg.resolvers_given, 1);
	load_good(GOOD("minimal.yaml"));
	assert_int_equal(cfg.resolvers_given, 1);
	load_good(GOOD("empty.yaml"));
	assert_int_equal(cfg.resolvers_given, 0);
}

/* The shipped example loads, and the defaults it documents are true. */
static void
test_example(void **state)
{
	const char *path = "etc/anchorwatch.yaml";

	load_good(path);
	assert_int_equal(cfg.nresolvers, 1);
	assert_string_equal(cfg.resolvers[0].type, "unbound");
	assert_string_equal(cfg.resolvers[0].config,
	    "/etc/unbound/unbound.conf");
	assert_string_equal(cfg.resolvers[0].address, "127.0.0.1@53");
	config_defaults(&want);
	snprintf(want.path, sizeof(want.path), "%s", path);
	memcpy(want.resolvers, cfg.resolvers, sizeof(want.resolvers));
	want.nresolvers = cfg.nresolvers;
	want.resolvers_given = 1;
	assert_memory_equal(&cfg, &want, sizeof(cfg));
}

static void
test_cannot_read(void **state)
{
	const char *path = DATA("config/does-not-exist.yaml");

	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_string_equal(err, DATA("config/does-not-exist.yaml")
	    ": cannot read: No such file or directory");
}

/* A 2 MB file is refused before libyaml sees it. */
static void
test_too_large(void **state)
{
	char path[] = "/tmp/aw-test-config-XXXXXX", prefix[64];
	size_t i, big = 2 * 1024 * 1024;
	FILE *f;
	int fd, rv;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("mkstemp: %s", strerror(errno));
	for (i = 0; i < big / 32; i++)
		fputs("# ............................\n", f);
	assert_int_equal(fclose(f), 0);
	rv = config_load(&cfg, path, err, sizeof(err));
	unlink(path);
	assert_int_equal(rv, -1);
	snprintf(prefix, sizeof(prefix), "%s: ", path);
	assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
	assert_non_null(strstr(err, "larger than"));
}

/* A short error buffer truncates the message; it never overflows. */
static void
test_short_err_buffer(void **state)
{
	char small[12];

	memset(small, 'x', sizeof(small));
	assert_int_equal(config_load(&cfg, BAD("unknown-top.yaml"), small,
	    sizeof(small)), -1);
	assert_int_equal(small[sizeof(small) - 1], '\0');
	assert_int_equal(strncmp(small, "tests/data/", sizeof(small) - 1), 0);
}

/* ---- traffic: the DNSKEY_STORM listener (inline YAML) ---------------- */

/* One inline config: where it must fail and what must be said. */
struct bad_text {
	const char *yaml;
	unsigned line;
	const char *what;
};

/* unit_load_yaml into cfg and err. */
static int
load_text(const char *yaml, char *path)
{
	return unit_load_yaml(&cfg, yaml, path, err, sizeof(err));
}

/* Load yaml, which must succeed. */
static void
load_good_text(const char *yaml)
{
	char path[64];

	if (load_text(yaml, path) != 0)
		fail_msg("%s", err);
}

static void
test_bad_text(void **state)
{
	const struct bad_text *b = *state;
	char path[64], prefix[96];

	if (load_text(b->yaml, path) != -1)
		fail_msg("loaded \"%s\", want an error", b->yaml);
	snprintf(prefix, sizeof(prefix), "%s:%u: ", path, b->line);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		fail_msg("got \"%s\", want prefix \"%s\"", err, prefix);
	if (strstr(err + strlen(prefix), b->what) == NULL)
		fail_msg("got \"%s\", want \"%s\" in it", err, b->what);
}

/* No traffic: section: nothing to listen on, 30 s at 2 and 6 a minute. */
static void
test_traffic_defaults(void **state)
{
	config_defaults(&cfg);
	assert_string_equal(cfg.traffic.dnstap_socket, "");
	assert_string_equal(cfg.traffic.interface, "");
	assert_int_equal(cfg.traffic.seconds, 30);
	assert_int_equal(cfg.traffic.warn_rate, 2);
	assert_int_equal(cfg.traffic.critical_rate, 6);
	/* An empty section is the defaults (the resolver entries behind
	 * nresolvers are left as earlier tests filled them). */
	load_good_text("traffic: {}\n");
	config_defaults(&want);
	memcpy(want.path, cfg.path, sizeof(want.path));
	assert_memory_equal(&cfg, &want, offsetof(struct config, resolvers));
}

/* Every key of the section, block style. */
static void
test_traffic_keys(void **state)
{
	load_good_text("traffic:\n"
	    "  dnstap_socket: /run/anchorwatch/dnstap.sock\n"
	    "  dnstap_group: dnstap\n"
	    "  seconds: 45\n"
	    "  warn_rate: 3\n"
	    "  critical_rate: 12\n"
	    "resolvers: []\n");
	assert_string_equal(cfg.traffic.dnstap_socket,
	    "/run/anchorwatch/dnstap.sock");
	assert_string_equal(cfg.traffic.dnstap_group, "dnstap");
	assert_string_equal(cfg.traffic.interface, "");
	assert_int_equal(cfg.traffic.seconds, 45);
	assert_int_equal(cfg.traffic.warn_rate, 3);
	assert_int_equal(cfg.traffic.critical_rate, 12);
	assert_int_equal(cfg.resolvers_given, 1);
}

/* interface instead of the socket, flow style, limits inclusive: equal
 * rates are allowed (then every storm is CRITICAL). */
static void
test_traffic_interface(void **state)
{
	load_good_text("traffic: {interface: eth0.100, seconds: 300, "
	    "warn_rate: 1000000, critical_rate: 1000000}\n");
	assert_string_equal(cfg.traffic.interface, "eth0.100");
	assert_string_equal(cfg.traffic.dnstap_socket, "");
	assert_int_equal(cfg.traffic.seconds, 300);
	assert_int_equal(cfg.traffic.warn_rate, 1000000);
	assert_int_equal(cfg.traffic.critical_rate, 1000000);
	load_good_text("traffic:\n  interface: any\n  seconds: 1\n"
	    "  warn_rate: 1\n  critical_rate: 1\n");
	assert_string_equal(cfg.traffic.interface, "any");
	assert_int_equal(cfg.traffic.seconds, 1);
	load_good_text("traffic:\n  interface: enp0s31f6-x_:@\n");
	assert_string_equal(cfg.traffic.interface, "enp0s31f6-x_:@");
}

#define BADCASE(f, l, w) { "bad/" f, test_bad, NULL, NULL, \
	(void *)&(const struct bad){ BAD(f), l, w } }

#define BADTEXT(n, y, l, w) { "traffic/" n, test_bad_text, NULL, NULL, \
	(void *)&(const struct bad_text){ y, l, w } }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full_globals),
		cmocka_unit_test(test_full_resolvers),
		cmocka_unit_test(test_config_list),
		cmocka_unit_test(test_state_dir_derives_anchor_file),
		cmocka_unit_test(test_resolvers_given),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_cannot_read),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_short_err_buffer),
		/* keys */
		BADCASE("unknown-top.yaml", 3,
		    "unknown key \"statedir\" in top level"),
		BADCASE("unknown-nested.yaml", 4,
		    "unknown key \"timout\" in root"),
		BADCASE("unknown-resolver-key.yaml", 5,
		    "unknown key \"adress\" in resolver"),
		BADCASE("dup-key.yaml", 4, "duplicate key \"timeout\" in root"),
		BADCASE("dup-section.yaml", 5,
		    "duplicate key \"root\" in top level"),
		/* types and structure */
		BADCASE("type-seq-for-scalar.yaml", 3,
		    "state_dir: expected a scalar, got a sequence"),
		BADCASE("type-scalar-for-map.yaml", 3,
		    "root: expected a mapping, got a scalar"),
		BADCASE("type-map-for-seq.yaml", 3,
		    "resolvers: expected a sequence, got a mapping"),
		BADCASE("type-top-seq.yaml", 2,
		    "top level: expected a mapping, got a sequence"),
		BADCASE("type-top-scalar.yaml", 2,
		    "top level: expected a mapping, got a scalar"),
		BADCASE("type-list-item.yaml", 4,
		    "root.stub: expected a scalar, got a sequence"),
		BADCASE("type-resolver-item.yaml", 5,
		    "resolvers: expected a mapping, got a scalar"),
		BADCASE("type-map-key.yaml", 3,
		    "expected a key in root, got a mapping"),
		BADCASE("alias.yaml", 4, "aliases"),
		BADCASE("anchor.yaml", 4, "anchors"),
		BADCASE("tag.yaml", 3, "tags"),
		BADCASE("two-docs.yaml", 2, "more than one document"),
		BADCASE("deep.yaml", 6, "nested too deeply"),
		BADCASE("tab.yaml", 2,
		    "found character that cannot start any token"),
		BADCASE("binary.yaml", 3, "control characters are not allowed"),
		BADCASE("nul-escape.yaml", 1,
		    "state_dir: value contains a NUL"),
		/* resolvers */
		BADCASE("dup-name.yaml", 10,
		    "duplicate resolver name \"edge1\" (first at line 2)"),
		BADCASE("bad-name.yaml", 2, "\"edge/1\" is not 1-63 of"),
		BADCASE("long-name.yaml", 2, "is not 1-63 of"),
		BADCASE("missing-name.yaml", 6, "resolver entry has no name"),
		BADCASE("missing-type.yaml", 5,
		    "resolver \"edge2\" has no type"),
		BADCASE("unknown-type.yaml", 3,
		    "unknown resolver type \"powerdns\""),
		BADCASE("no-source.yaml", 3, "needs config or anchor_files"),
		BADCASE("probes-domain.yaml", 3,
		    "probes.sentinel_domain: \"bad..domain\" is not a domain"),
		BADCASE("probes-bool.yaml", 2, "unknown boolean \"yes\""),
		BADCASE("probes-timeout.yaml", 2, "probes.timeout"),
		BADCASE("too-many-resolvers.yaml", 67,
		    "more than 64 resolvers"),
		/* paths */
		BADCASE("relative-path.yaml", 4, "resolver.config: path "
		    "\"etc/unbound/unbound.conf\" is not absolute"),
		BADCASE("relative-list.yaml", 6, "resolver.anchor_files: path "
		    "\"root.key\" is not absolute"),
		BADCASE("empty-path.yaml", 2, "root.bootstrap: path is empty"),
		BADCASE("long-path.yaml", 2,
		    "root.bootstrap: value longer than 1023 bytes"),
		BADCASE("long-state-dir.yaml", 2,
		    "state_dir: too long to hold root.key"),
		/* config: as a list */
		BADCASE("config-list-long.yaml", 4,
		    "resolver.config: more than 5 items"),
		BADCASE("config-list-relative.yaml", 6, "resolver.config: "
		    "path \"kresd.conf\" is not absolute"),
		BADCASE("config-list-empty.yaml", 4,
		    "resolver.config: empty list"),
		BADCASE("config-list-nested.yaml", 5,
		    "nested too deeply"),
		/* addresses */
		BADCASE("bad-stub.yaml", 4,
		    "root.stub: \"192.0.2.300\" is not an IP address"),
		BADCASE("port-0.yaml", 3,
		    "root.stub: \"192.0.2.1@0\" is not an IP address"),
		BADCASE("port-65536.yaml", 5,
		    "resolver.address: \"::1@65536\" is not an IP address"),
		BADCASE("too-many-stubs.yaml", 4,
		    "root.stub: more than 8 items"),
		/* numbers and enumerations */
		BADCASE("overflow.yaml", 2,
		    "root.timeout: 99999999999999999999 is out of range"),
		BADCASE("overflow-wrap.yaml", 3, "root.timeout: "
		    "18446744073709551626 is out of range 1..300"),
		BADCASE("negative.yaml", 2,
		    "root.add_holddown: \"-1\" is not a plain decimal number"),
		BADCASE("unit.yaml", 2,
		    "root.timeout: \"10s\" is not a plain decimal number"),
		BADCASE("quoted-number.yaml", 2,
		    "checks.probe_overdue: \"3600\" is not a plain decimal"),
		BADCASE("leading-zero.yaml", 2,
		    "root.timeout: \"010\" is not a plain decimal number"),
		BADCASE("range-zero.yaml", 2,
		    "root.timeout: 0 is out of range 1..300"),
		BADCASE("range-high.yaml", 2, "root.keep_missing: 31622401 is "
		    "out of range 0..31622400"),
		BADCASE("facility.yaml", 2,
		    "syslog.facility: unknown facility \"kern\""),
		/* traffic: */
		cmocka_unit_test(test_traffic_defaults),
		cmocka_unit_test(test_traffic_keys),
		cmocka_unit_test(test_traffic_interface),
		BADTEXT("relative-socket", "state_dir: /tmp\ntraffic:\n"
		    "  dnstap_socket: run/dnstap.sock\n", 3,
		    "traffic.dnstap_socket: path \"run/dnstap.sock\" is not "
		    "absolute"),
		BADTEXT("empty-socket", "traffic: {dnstap_socket: \"\"}\n", 1,
		    "traffic.dnstap_socket: path is empty"),
		BADTEXT("bad-group", "traffic: {dnstap_group: \"a b\"}\n", 1,
		    "traffic.dnstap_group: \"a b\" is not a group name"),
		/* Checks across keys name the traffic: key's line. */
		BADTEXT("socket-and-interface", "traffic:\n"
		    "  dnstap_socket: /run/dnstap.sock\n  interface: lo\n"
		    "resolvers: []\n", 1,
		    "traffic: dnstap_socket and interface exclude each other"),
		BADTEXT("critical-below-warn", "state_dir: /tmp\ntraffic:\n"
		    "  warn_rate: 5\n  critical_rate: 4\n", 2,
		    "traffic: critical_rate 4 is below warn_rate 5"),
		BADTEXT("socket-path-too-long", "traffic:\n  dnstap_socket: "
		    "/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 1,
		    "traffic: dnstap_socket is longer than a unix socket path"),
		BADTEXT("flow-critical-below-warn",
		    "traffic: {warn_rate: 3, critical_rate: 2}\n", 1,
		    "traffic: critical_rate 2 is below warn_rate 3"),
		BADTEXT("interface-slash", "traffic:\n  interface: eth0/1\n",
		    2, "traffic.interface: \"eth0/1\" is not an interface name"),
		BADTEXT("interface-space", "traffic: {interface: \"eth 0\"}\n",
		    1, "traffic.interface: \"eth 0\" is not an interface name"),
		BADTEXT("interface-16", "traffic:\n"
		    "  interface: abcdefghijklmnop\n", 2,
		    "traffic.interface: \"abcdefghijklmnop\" is not an "
		    "interface name"),
		BADTEXT("interface-empty", "traffic: {interface: \"\"}\n", 1,
		    "traffic.interface: \"\" is not an interface name"),
		BADTEXT("interface-long", "traffic:\n  interface: "
		    "abcdefghijklmnopqrstuvwxyz0123456789\n", 2,
		    "traffic.interface: value longer than 31 bytes"),
		BADTEXT("unknown-key", "traffic:\n  seconds: 10\n"
		    "  rate: 5\n", 3, "unknown key \"rate\" in traffic"),
		BADTEXT("dup-key", "traffic:\n  seconds: 10\n  seconds: 20\n",
		    3, "duplicate key \"seconds\" in traffic"),
		BADTEXT("not-a-map", "traffic: [lo]\n", 1,
		    "traffic: expected a mapping, got a sequence"),
		BADTEXT("seconds-0", "traffic:\n  seconds: 0\n", 2,
		    "traffic.seconds: 0 is out of range 1..300"),
		BADTEXT("seconds-301", "traffic:\n  seconds: 301\n", 2,
		    "traffic.seconds: 301 is out of range 1..300"),
		BADTEXT("warn-0", "traffic:\n  warn_rate: 0\n", 2,
		    "traffic.warn_rate: 0 is out of range 1..1000000"),
		BADTEXT("critical-high", "traffic:\n"
		    "  critical_rate: 1000001\n", 2,
		    "traffic.critical_rate: 1000001 is out of range 1..1000000"),
		BADTEXT("critical-overflow", "traffic:\n"
		    "  critical_rate: 99999999999999999999999\n", 2,
		    "traffic.critical_rate: 99999999999999999999999 is out of "
		    "range"),
		BADTEXT("warn-float", "traffic:\n  warn_rate: 1.5\n", 2,
		    "traffic.warn_rate: \"1.5\" is not a plain decimal number"),
		BADTEXT("seconds-unit", "traffic:\n  seconds: 30s\n", 2,
		    "traffic.seconds: \"30s\" is not a plain decimal number"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
