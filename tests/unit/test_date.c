/*
 * test_date.c: the one date grammar (date.c), read and written.
 *
 * Every accepted form gives the epoch second computed independently (the
 * values are the well-known ones: the epoch, the 2018 and 2026 rolls,
 * leap days); every malformed, nonexistent or out-of-range date is
 * refused in each mode; each print style round-trips through the parser.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define T_ROLL_2018 1539273600LL	/* 2018-10-11T16:00:00Z */
#define T_ROLL_2026 1791676800LL	/* 2026-10-11 */

struct ok {
	const char *s;
	unsigned flags;
	long long t;
};

static void
test_good(void **state)
{
	static const struct ok ok[] = {
		{ "1970-01-01", 0, 0 },
		{ "1970-01-01T00:00:01Z", 0, 1 },
		{ "2018-10-11T16:00:00Z", 0, T_ROLL_2018 },
		{ "2026-10-11", 0, T_ROLL_2026 },
		{ "2024-02-29", 0, 1709164800 },	/* leap year */
		{ "2000-02-29", 0, 951782400 },		/* 400-year leap */
		{ "2000-03-01", 0, 951868800 },
		{ "2100-03-01", 0, 4107542400 },
		{ "2038-01-19T03:14:08Z", 0, 2147483648LL }, /* past 32 bits */
		{ "9999-12-31T23:59:59Z", 0, 253402300799LL },
		{ "0", DATE_EPOCH, 0 },
		{ "1791676800", DATE_EPOCH, T_ROLL_2026 },
		{ "99999999999", DATE_EPOCH, 99999999999LL },
		{ "2018-10-11 16:00", DATE_LOOSE, T_ROLL_2018 },
		{ "2018-10-11T16:00", DATE_LOOSE, T_ROLL_2018 },
		{ "2018-10-11T16:00Z", DATE_LOOSE, T_ROLL_2018 },
		{ "2018-10-11 16:00:00", DATE_LOOSE, T_ROLL_2018 },
		{ "2018-10-11T16:00:00Z", DATE_LOOSE, T_ROLL_2018 },
		{ "2026-10-11Z", DATE_LOOSE, T_ROLL_2026 },
		{ "20181011160000", DATE_DNS, T_ROLL_2018 },
		{ "20240229000000", DATE_DNS, 1709164800 },
		{ "20181011160000", DATE_DNS | DATE_EPOCH, T_ROLL_2018 },
	};
	long long t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		t = -1;
		if (date_parse(ok[i].s, strlen(ok[i].s), ok[i].flags, &t) != 0)
			fail_msg("refused \"%s\"", ok[i].s);
		if (t != ok[i].t)
			fail_msg("\"%s\": %lld, want %lld", ok[i].s, t,
			    ok[i].t);
	}
	/* only len bytes are read */
	assert_int_equal(date_parse("2026-10-11T99", 10, 0, &t), 0);
	assert_int_equal(t, T_ROLL_2026);
}

static void
test_bad(void **state)
{
	static const struct {
		const char *s;
		unsigned flags;
	} bad[] = {
		{ "", 0 }, { "", DATE_EPOCH }, { "", DATE_LOOSE },
		{ "2027-02-29", 0 }, { "2100-02-29", 0 },	/* no Feb 29 */
		{ "1900-02-29", DATE_LOOSE },
		{ "2027-02-30", 0 }, { "2027-04-31", 0 }, { "2027-13-01", 0 },
		{ "2027-00-10", 0 }, { "2027-01-00", 0 }, { "2027-01-32", 0 },
		{ "1969-12-31", 0 }, { "1969-12-31", DATE_LOOSE },
		{ "2027-1-05", 0 }, { "2027-01-5", 0 }, { "27-01-05", 0 },
		{ "2027/01/05", 0 }, { " 2027-01-05", 0 }, { "2027-01-05 ", 0 },
		{ "2027-01-05T12:00:00", 0 },		/* strict: Z needed */
		{ "2027-01-05 12:00:00Z", 0 },		/* strict: T needed */
		{ "2027-01-05T12:00Z", 0 },		/* strict: seconds */
		{ "2027-01-05t12:00:00z", 0 },
		{ "2027-01-05T24:00:00Z", 0 }, { "2027-01-05T12:60:00Z", 0 },
		{ "2027-01-05T12:00:60Z", 0 },		/* no leap second */
		{ "2027-01-05T12:00:00+01:00", DATE_LOOSE },
		{ "2027-01-05T12", DATE_LOOSE },
		{ "2027-01-05T1:00", DATE_LOOSE },
		{ "2027-01-05T12:00:0", DATE_LOOSE },
		{ "2027-01-05X12:00", DATE_LOOSE },
		{ "1791676800", 0 }, { "1791676800", DATE_LOOSE },
		{ "+1791676800", DATE_EPOCH }, { "-1", DATE_EPOCH },
		{ "1791676800s", DATE_EPOCH }, { "123456789012", DATE_EPOCH },
		{ "1e9", DATE_EPOCH }, { "0x10", DATE_EPOCH },
		{ "\xef\xbc\x92" "027-01-05", 0 },	/* fullwidth digit */
		{ "20181011160000", 0 }, { "20181011160000", DATE_EPOCH },
		{ "20270229000000", DATE_DNS }, { "20181011240000", DATE_DNS },
		{ "20181011160060", DATE_DNS }, { "2018101116000", DATE_DNS },
		{ "2018101116000x", DATE_DNS }, { "19691231000000", DATE_DNS },
	};
	long long t = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_parse(bad[i].s, strlen(bad[i].s), bad[i].flags, &t) !=
		    -1)
			fail_msg("accepted \"%s\" (flags %u)", bad[i].s,
			    bad[i].flags);
	assert_int_equal(t, 42);	/* untouched on failure */
}

static void
test_format(void **state)
{
	char buf[40];

	(void)state;
	date_format(T_ROLL_2026, DATE_DAY_OR_MINUTE, buf, sizeof(buf));
	assert_string_equal(buf, "2026-10-11");
	date_format(T_ROLL_2018, DATE_DAY_OR_MINUTE, buf, sizeof(buf));
	assert_string_equal(buf, "2018-10-11 16:00");
	date_format(T_ROLL_2026, DATE_MINUTE, buf, sizeof(buf));
	assert_string_equal(buf, "2026-10-11 00:00");
	date_format(T_ROLL_2018 + 59, DATE_ISO, buf, sizeof(buf));
	assert_string_equal(buf, "2018-10-11T16:00:59Z");
	date_format(951782400 + 3661, DATE_SECONDS, buf, sizeof(buf));
	assert_string_equal(buf, "2000-02-29 01:01:01 UTC");
	date_format(0, DATE_ISO, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	date_format(-1, DATE_ISO, buf, sizeof(buf));
	assert_string_equal(buf, "@-1");
	date_format(253402300800LL, DATE_ISO, buf, sizeof(buf));
	assert_string_equal(buf, "@253402300800");
	date_format(T_ROLL_2026, DATE_ISO, buf, 5);	/* cut, terminated */
	assert_string_equal(buf, "2026");
}

/* Every day from 1970 to 2400 prints as it parses. */
static void
test_round_trip(void **state)
{
	char buf[40];
	long long t, back;

	(void)state;
	for (t = 0; t < 13569465600LL; t += 86400 + 3599) {
		date_format(t, DATE_ISO, buf, sizeof(buf));
		if (date_parse(buf, strlen(buf), 0, &back) != 0 || back != t)
			fail_msg("%lld -> \"%s\" -> %lld", t, buf, back);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
