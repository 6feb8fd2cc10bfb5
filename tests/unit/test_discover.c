/*
 * test_discover.c: discover on a fixture host (tests/data/discover/host):
 * config files where Debian puts them, daemons by /proc/PID/comm, and
 * their addresses from /proc/PID/net/udp{,6} matched to socket inodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define HOST DATA("discover/host")

static const struct found *
find(const struct found *f, size_t n, const char *type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].rd->type, type) == 0)
			return &f[i];
	return NULL;
}

static void
test_discover_host(void **state)
{
	struct found f[16];
	const struct found *u, *p;
	size_t n;

	(void)state;
	n = discover_run(HOST, f, 16);
	assert_int_equal(n, 3);
	assert_non_null(u = find(f, n, "unbound"));
	/* the daemon's -c wins over the packaged default */
	assert_string_equal(u->config, "/srv/u/unbound.conf");
	assert_int_equal(u->pid, 4242);
	/* port 53 wins over the control port; the socket of another
	 * process (inode 999) is not its */
	assert_string_equal(u->address, "127.0.0.11@53");
	assert_non_null(p = find(f, n, "pdns-recursor"));
	/* --config-dir=/srv/pdns --config-name=edge */
	assert_string_equal(p->config, "/srv/pdns/recursor-edge.conf");
	assert_int_equal(p->pid, 99);
	/* no port 53: the port it has; :: becomes ::1 */
	assert_string_equal(p->address, "::1@5300");
	assert_null(find(f, n, "bind"));
}

static void
test_discover_to_config(void **state)
{
	static struct config c;
	struct found f[16];
	size_t n;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	config_defaults(&c);
	n = discover_run(HOST, f, 16);
	discover_to_config(&c, f, n);
	assert_int_equal(c.nresolvers, 3);
	assert_string_equal(c.resolvers[0].type, "unbound");
	assert_string_equal(c.resolvers[0].config, "/srv/u/unbound.conf");
	assert_string_equal(c.resolvers[0].address, "127.0.0.11@53");
	assert_non_null(mem = open_memstream(&buf, &len));
	discover_print(mem, f, n);
	fclose(mem);
	assert_non_null(strstr(buf, "  - name: unbound\n    type: unbound\n"
	    "    config: /srv/u/unbound.conf\n    address: 127.0.0.11@53"));
	free(buf);
}

static void
test_discover_nothing(void **state)
{
	struct found f[4];

	(void)state;
	assert_int_equal(discover_run("/nonexistent", f, 4), 0);
}

/*
 * kresd's every -c, in order (process 300 of the host fixture: the
 * second glued to its flag and relative to the daemon's cwd, which is
 * its rundir already: the rundir argument is not applied twice).
 */
static void
test_discover_kresd(void **state)
{
	struct found f[16];
	const struct found *k;
	static struct config c;
	char *buf = NULL;
	size_t n, len = 0;
	FILE *mem;

	(void)state;
	n = discover_run(HOST, f, 16);
	assert_non_null(k = find(f, n, "knot-resolver"));
	assert_int_equal(k->pid, 300);
	assert_int_equal(k->nconfig_pre, 1);
	assert_string_equal(k->config_pre[0], "/usr/lib/x86_64-linux-gnu/"
	    "knot-resolver/distro-preconfig.lua");
	assert_string_equal(k->config, "/var/lib/knot-resolver/conf.d/"
	    "main.conf");
	/* the YAML block lists them, the config last */
	assert_non_null(mem = open_memstream(&buf, &len));
	discover_print(mem, f, n);
	fclose(mem);
	assert_non_null(strstr(buf, "    config: [/usr/lib/x86_64-linux-gnu/"
	    "knot-resolver/distro-preconfig.lua, /var/lib/knot-resolver/"
	    "conf.d/main.conf]\n"));
	free(buf);
	config_defaults(&c);
	discover_to_config(&c, f, n);
	assert_int_equal(c.resolvers[1].nconfig_pre, 1);
	assert_string_equal(c.resolvers[1].config, k->config);
}

/* Not running: Debian's own unit files (copied from the packages of
 * Debian 12): kresd@.service's two -c, pdns-recursor.service (the
 * template needs an instance), a masked kresd.service. */
static void
test_discover_debian_units(void **state)
{
	struct found f[16];
	const struct found *k, *p, *u;
	size_t n;

	(void)state;
	n = discover_run(DATA("discover/debian-units"), f, 16);
	assert_non_null(k = find(f, n, "knot-resolver"));
	assert_int_equal(k->pid, 0);
	assert_string_equal(k->unit, "kresd@.service");
	assert_int_equal(k->nconfig_pre, 1);
	assert_string_equal(k->config_pre[0], "/usr/lib/x86_64-linux-gnu/"
	    "knot-resolver/distro-preconfig.lua");
	assert_string_equal(k->config, "/etc/knot-resolver/kresd.conf");
	assert_non_null(p = find(f, n, "pdns-recursor"));
	assert_string_equal(p->unit, "pdns-recursor.service");
	assert_string_equal(p->config, "/etc/powerdns/recursor.conf");
	/* unbound -d -p $DAEMON_OPTS, no /etc/default/unbound: no -c */
	assert_non_null(u = find(f, n, "unbound"));
	assert_string_equal(u->unit, "unbound.service");
	assert_string_equal(u->config, "");
	assert_null(find(f, n, "dnsmasq"));     /* runs a helper script */
}

/* Overrides: an enabled template instance and its drop-in, a
 * WorkingDirectory and --config=, EnvironmentFile and $VAR, Environment=
 * and ${VAR}, "@" (argv[0] given), "--config-dir DIR" (pdns_recursor
 * refuses it). */
static void
test_discover_local_units(void **state)
{
	struct found f[16];
	const struct found *e;
	char *buf = NULL;
	size_t n, len = 0;
	FILE *mem;

	(void)state;
	n = discover_run(DATA("discover/local-units"), f, 16);
	assert_non_null(e = find(f, n, "pdns-recursor"));
	assert_string_equal(e->unit, "pdns-recursor@lab.service");
	/* recursor-lab.yml is there: 5.x reads it first */
	assert_string_equal(e->config, "/srv/pdns/recursor-lab.yml");
	assert_non_null(e = find(f, n, "knot-resolver"));
	assert_int_equal(e->nconfig_pre, 2);
	assert_string_equal(e->config_pre[1], "/srv/kresd/extra.lua");
	assert_string_equal(e->config, "/srv/kresd/kresd.conf");
	assert_non_null(e = find(f, n, "unbound"));
	assert_string_equal(e->config, "/srv/unbound/u.conf");
	assert_non_null(e = find(f, n, "bind"));
	assert_string_equal(e->config, "/srv/named/named.conf");
	assert_non_null(e = find(f, n, "dnsmasq"));
	assert_string_equal(e->config, "/srv/d/dnsmasq.conf");
	/* kresd's rundir: relative -c names are taken from it, and the
	 * value of -a is not it */
	n = discover_run(DATA("discover/rundir"), f, 16);
	assert_non_null(e = find(f, n, "knot-resolver"));
	assert_int_equal(e->nconfig_pre, 1);
	assert_string_equal(e->config_pre[0], "/var/lib/knot-resolver/../kr/"
	    "pre.lua");
	assert_string_equal(e->config, "/var/lib/knot-resolver/../kr/"
	    "kresd.conf");
	n = discover_run(DATA("discover/spaced"), f, 16);
	assert_non_null(e = find(f, n, "pdns-recursor"));
	assert_string_equal(e->note, "pdns_recursor refuses to start: "
	    "--config-dir needs '=' and a value");
	assert_non_null(mem = open_memstream(&buf, &len));
	discover_print(mem, f, n);
	fclose(mem);
	assert_non_null(strstr(buf, "    # warning: pdns_recursor refuses"));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover_host),
		cmocka_unit_test(test_discover_to_config),
		cmocka_unit_test(test_discover_nothing),
		cmocka_unit_test(test_discover_kresd),
		cmocka_unit_test(test_discover_debian_units),
		cmocka_unit_test(test_discover_local_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
