/*
 * test_storm.c: DNSKEY_STORM (detect_storm) from what check and run
 * measured of the local root DNSKEY rate: thresholds, the STORM_MIN floor,
 * a socket that cannot be listened on.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct config cfg;
static struct report rep;

static int
setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	memset(&rep, 0, sizeof(rep));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	report_free(&rep);
	return 0;
}

/* The one finding of the run, which must have code c. */
static const struct finding *
only(enum fcode c)
{
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.f[0].code, c);
	return &rep.f[0];
}

/* What main_storm measured: count root DNSKEY queries from src in secs. */
static struct storm
storm(const char *src, uint32_t n, unsigned secs, double rate)
{
	struct storm s;

	memset(&s, 0, sizeof(s));
	s.measured = 1;
	s.seconds = secs;
	snprintf(s.source, sizeof(s.source), "%s", src);
	s.count = n;
	s.rate = rate;
	return s;
}

/* Not configured (or not run): not a word, whatever else is set. */
static void
test_storm_not_measured(void **state)
{
	struct storm s = storm("192.0.2.7", 600, 30, 1200);

	(void)state;
	s.measured = 0;
	snprintf(s.why, sizeof(s.why), "ignored");
	detect_storm(&rep, &s, &cfg);
	assert_int_equal(rep.n, 0);
}

/* One query in a short window is a daily refresh, not a storm, however
 * high the rate it works out to (STORM_MIN); nor is a rate below warn. */
static void
test_storm_below_min_or_warn(void **state)
{
	struct storm s = storm("192.0.2.7", STORM_MIN - 1, 1, 60);

	(void)state;
	detect_storm(&rep, &s, &cfg);
	assert_int_equal(rep.n, 0);
	s = storm("192.0.2.7", STORM_MIN, 30, 1.9);	/* warn_rate 2 */
	detect_storm(&rep, &s, &cfg);
	assert_int_equal(rep.n, 0);
	s = storm("192.0.2.7", 0, 30, 0);
	detect_storm(&rep, &s, &cfg);
	assert_int_equal(rep.n, 0);
}

/* From warn_rate (inclusive) to below critical_rate: one WARNING for the
 * agent (no resolver, no key tags) naming the source and its rate. */
static void
test_storm_warning(void **state)
{
	const struct finding *f;
	struct storm s = storm("2001:db8::53", 3, 60, 3);

	(void)state;
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(f->resolver, "");
	assert_int_equal(f->ntags, 0);
	assert_non_null(strstr(f->message, "2001:db8::53 asked for the root "
	    "DNSKEY set 3 times in 60 s (3.0 a minute; warning at 2, "
	    "critical at 6)"));
	assert_string_equal(detect_code_name(f->code), "DNSKEY_STORM");
	report_free(&rep);
	s = storm("192.0.2.7", 2, 60, 2);		/* exactly warn_rate */
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_non_null(strstr(f->message, "(2.0 a minute;"));
}

/* critical_rate and above: CRITICAL, and so the run's worst. */
static void
test_storm_critical(void **state)
{
	const struct finding *f;
	struct storm s = storm("127.0.0.12", 3, 30, 6);	/* exactly crit */

	(void)state;
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->message, "127.0.0.12 asked for the root "
	    "DNSKEY set 3 times in 30 s (6.0 a minute;"));
	assert_int_equal(detect_worst(&rep), SEV_CRITICAL);
	report_free(&rep);
	/* The thresholds are the configured ones. */
	cfg.traffic.warn_rate = 1;
	cfg.traffic.critical_rate = 5;
	s = storm("127.0.0.12", 6, 25, 14.4);
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->message, "6 times in 25 s (14.4 a minute; "
	    "warning at 1, critical at 5)"));
	report_free(&rep);
	s = storm("127.0.0.12", 2, 25, 4.8);
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_WARNING);
}

/* Could not listen: UNKNOWN with the reason, counts or no counts. */
static void
test_storm_cannot_listen(void **state)
{
	const struct finding *f;
	struct storm s = storm("127.0.0.12", 60, 30, 120);

	(void)state;
	snprintf(s.why, sizeof(s.why), "/nonexistent/dnstap.sock: No such "
	    "file or directory");
	detect_storm(&rep, &s, &cfg);
	f = only(F_DNSKEY_STORM);
	assert_int_equal(f->sev, SEV_UNKNOWN);
	assert_string_equal(f->resolver, "");
	assert_string_equal(f->message, "cannot listen for DNSKEY queries: "
	    "/nonexistent/dnstap.sock: No such file or directory");
	assert_int_equal(detect_worst(&rep), SEV_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_storm_not_measured),
		T(test_storm_below_min_or_warn),
		T(test_storm_warning),
		T(test_storm_critical),
		T(test_storm_cannot_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
