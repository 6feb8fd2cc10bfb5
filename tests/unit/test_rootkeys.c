/*
 * test_rootkeys.c: Knot Resolver's root.keys as read on top of
 * zonefile.c: kresd's "; <State>:<timer>" comments give the RFC 5011 state
 * and, for a pending key, when kresd first saw it (the timer is that
 * sighting plus kresd's 30-day hold-down).  The reader reads no clock:
 * "trusted from" is the file's, whatever `now` the caller passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

extern const char *knot_sandbox;
extern const char *knot_workdir;

#define KSK2 2285                 /* the pending key of the fixture */
#define TIMER 1795858447LL        /* its "; AddPend:" timer */
#define DAY 86400LL

/* knot_read on a kresd.conf that add_file()s the fixture, at now. */
static void
read_rootkeys(struct resolver *r, long long now)
{
	char conf[] = "/tmp/aw-rootkeys-XXXXXX", err[AW_ERR_MAX];
	const char *text = "trust_anchors.add_file('kresd-addpend.keys')\n";
	struct resolver_conf rc;
	int fd;

	assert_true((fd = mkstemp(conf)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	memset(&rc, 0, sizeof(rc));
	memset(r, 0, sizeof(*r));
	snprintf(rc.name, sizeof(rc.name), "kresd");
	snprintf(rc.type, sizeof(rc.type), "knot-resolver");
	snprintf(rc.config, sizeof(rc.config), "%s", conf);
	snprintf(r->name, sizeof(r->name), "kresd");
	knot_workdir = DATA("zonefile");
	knot_sandbox = DATA("knot/good/sandbox-debian.lua");
	if (knot_read(&rc, r, now, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unlink(conf);
}

/* The AddPend key's sighting is its timer less kresd's hold-down. */
static void
test_addpend_sighting(void **state)
{
	const struct anchor *a;
	struct resolver r;

	read_rootkeys(&r, UNIT_NOW);
	assert_int_equal(r.nsources, 1);
	assert_int_equal(r.sources[0].nanchors, 2);
	a = &r.sources[0].anchors[1];
	assert_int_equal(keyset_anchor_tag(a), KSK2);
	assert_int_equal(a->state, KS_ADDPEND);
	assert_int_equal(a->lastchange, TIMER - 30 * DAY);
	resolver_free(&r);
}

/* events: the same "trusted from" (the timer) at any now before it. */
static void
test_trusted_from_any_now(void **state)
{
	struct event e = { .when = TIMER + 10 * DAY, .kind = EV_ROLL,
	    .requires = { KSK2 }, .nrequires = 1 };
	struct calendar cal;
	char why[2][AW_ERR_MAX], date[32], want[64];
	long long nows[2] = { TIMER - 20 * DAY, TIMER - 2 * DAY };
	struct resolver r;
	size_t i;

	memset(&cal, 0, sizeof(cal));
	cal.ev[0] = e;
	cal.n = 1;
	date_format(TIMER, DATE_DAY_OR_MINUTE, date, sizeof(date));
	snprintf(want, sizeof(want), "trusted from %s", date);
	for (i = 0; i < 2; i++) {
		read_rootkeys(&r, nows[i]);
		assert_int_equal(events_ready(&cal, &cal.ev[0], &r, nows[i],
		    0, why[i], sizeof(why[i])), RD_READY);
		if (strstr(why[i], want) == NULL)
			fail_msg("now %lld: \"%s\", want \"%s\"", nows[i],
			    why[i], want);
		resolver_free(&r);
	}
	assert_string_equal(why[0], why[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addpend_sighting),
		cmocka_unit_test(test_trusted_from_any_now),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
