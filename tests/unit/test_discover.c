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
	assert_int_equal(n, 2);
	assert_non_null(u = find(f, n, "unbound"));
	/* the daemon's -c wins over the packaged default */
	assert_string_equal(u->config, "/srv/u/unbound.conf");
	assert_int_equal(u->pid, 4242);
	/* port 53 wins over the control port; the socket of another
	 * process (inode 999) is not its */
	assert_string_equal(u->address, "127.0.0.11@53");
	assert_non_null(p = find(f, n, "pdns-recursor"));
	assert_string_equal(p->config, "/etc/powerdns/recursor.conf");
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
	assert_int_equal(c.nresolvers, 2);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover_host),
		cmocka_unit_test(test_discover_to_config),
		cmocka_unit_test(test_discover_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
