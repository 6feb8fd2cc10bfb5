/*
 * date.c: the one date grammar of anchorwatch, read and written.
 *
 * Every date anchorwatch reads (the calendar, events.extra, --now, replay
 * scenarios, its own history file) or prints (reports, timelines, the
 * history file) goes through here, in UTC, proleptic Gregorian, with no
 * time zone and no locale: gmtime/strftime/strptime are used nowhere
 * else.  The grammar is ISO 8601's calendar date, "YYYY-MM-DD", optionally
 * followed by a time of day, "THH:MM:SSZ"; with DATE_EPOCH also 1 to 11
 * digits of epoch seconds, with DATE_LOOSE also the scenario files' forms
 * ("T" or a space, seconds and the "Z" optional), with DATE_DNS also
 * RFC 4034 section 3.2's YYYYMMDDHHmmSS.  Dates must exist
 * (no 2027-02-30), years are 1970..9999, leap seconds are refused.
 * Nothing here reads the clock.
 */
#include <stdio.h>
#include <string.h>

#include "anchorwatch.h"

#define DATE_DAY 86400LL
#define DATE_EPOCH_DIGITS 11	/* 99999999999: year 5138 */

/* Days since 1970-01-01 of a proleptic Gregorian date (valid input). */
static long long
date_days(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The civil date of day z (days since 1970-01-01, z >= 0). */
static void
date_civil(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n decimal digits of s into *v; -1 if any is not a digit. */
static int
date_digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

/* 1 if y-m-d exists, y in 1970..9999. */
static int
valid_day(unsigned y, unsigned m, unsigned d)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return y >= 1970 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap);
}

/* 1 if h:mi:se is a time of day (no leap second). */
static int
valid_time(unsigned h, unsigned mi, unsigned se)
{
	return h <= 23 && mi <= 59 && se <= 59;
}

/*
 * The time of day after a date, s[0..len) (len > 0): strict "THH:MM:SSZ",
 * or with loose also " " for "T", ":SS" and "Z" optional.  Seconds of the
 * day into *sec; -1 if malformed.
 */
static int
date_time_of_day(const char *s, size_t len, int loose, long long *sec)
{
	unsigned h, mi, se = 0;

	if (len > 0 && s[len - 1] == 'Z')
		len--;
	else if (!loose)
		return -1;
	if (loose && len == 0) {		/* "2018-10-11Z" */
		*sec = 0;
		return 0;
	}
	if (!(len == 9 || (loose && len == 6)) ||
	    !(s[0] == 'T' || (loose && s[0] == ' ')) || s[3] != ':' ||
	    date_digits(s + 1, 2, &h) == -1 ||
	    date_digits(s + 4, 2, &mi) == -1)
		return -1;
	if (len == 9 && (s[6] != ':' || date_digits(s + 7, 2, &se) == -1))
		return -1;
	if (!valid_time(h, mi, se))
		return -1;
	*sec = h * 3600LL + mi * 60LL + se;
	return 0;
}

/* RFC 4034 section 3.2's YYYYMMDDHHmmSS (14 digits), as DNS timestamps
 * and BIND's KEYDATA records print dates. */
static int
date_dns(const char *s, long long *out)
{
	unsigned y, mo, d, h, mi, se;

	if (date_digits(s, 4, &y) == -1 || date_digits(s + 4, 2, &mo) == -1 ||
	    date_digits(s + 6, 2, &d) == -1 || date_digits(s + 8, 2, &h) ==
	    -1 || date_digits(s + 10, 2, &mi) == -1 ||
	    date_digits(s + 12, 2, &se) == -1 || !valid_day(y, mo, d) ||
	    !valid_time(h, mi, se))
		return -1;
	*out = date_days(y, mo, d) * DATE_DAY + h * 3600LL + mi * 60LL + se;
	return 0;
}

/*
 * Parse s[0..len) by the grammar above (flags: DATE_EPOCH, DATE_LOOSE,
 * DATE_DNS)
 * into epoch seconds.  Returns 0, or -1 with *out untouched.
 */
int
date_parse(const char *s, size_t len, unsigned flags, long long *out)
{
	unsigned y, mo, d;
	long long v = 0, tod = 0;
	size_t i;

	if ((flags & DATE_DNS) && len == 14)
		return date_dns(s, out);
	for (i = 0; i < len && i <= DATE_EPOCH_DIGITS && s[i] >= '0' &&
	    s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == len) {
		if (!(flags & DATE_EPOCH) || len == 0 ||
		    len > DATE_EPOCH_DIGITS)
			return -1;
		*out = v;
		return 0;
	}
	if (len < 10 || s[4] != '-' || s[7] != '-' ||
	    date_digits(s, 4, &y) == -1 || date_digits(s + 5, 2, &mo) == -1 ||
	    date_digits(s + 8, 2, &d) == -1 || !valid_day(y, mo, d))
		return -1;
	if (len > 10 && date_time_of_day(s + 10, len - 10,
	    (flags & DATE_LOOSE) != 0, &tod) == -1)
		return -1;
	*out = date_days(y, mo, d) * DATE_DAY + tod;
	return 0;
}

/*
 * t as text in buf, in one of the styles of enum date_style.  A t before
 * 1970 or after 9999 is printed as "@t" (it cannot come from date_parse).
 */
void
date_format(long long t, enum date_style style, char *buf, size_t len)
{
	long long y, day = t / DATE_DAY, sec = t % DATE_DAY;
	unsigned m, d, h, mi, s;

	if (len == 0)
		return;
	if (t < 0 || t > 253402300799LL) {	/* 9999-12-31T23:59:59Z */
		snprintf(buf, len, "@%lld", t);
		return;
	}
	date_civil(day, &y, &m, &d);
	h = (unsigned)(sec / 3600);
	mi = (unsigned)(sec / 60 % 60);
	s = (unsigned)(sec % 60);
	switch (style) {
	case DATE_DAY_OR_MINUTE:
		if (sec == 0) {
			snprintf(buf, len, "%04lld-%02u-%02u", y, m, d);
			break;
		}
		/* FALLTHROUGH */
	case DATE_MINUTE:
		snprintf(buf, len, "%04lld-%02u-%02u %02u:%02u", y, m, d, h,
		    mi);
		break;
	case DATE_ISO:
		snprintf(buf, len, "%04lld-%02u-%02uT%02u:%02u:%02uZ", y, m, d,
		    h, mi, s);
		break;
	case DATE_SECONDS:
		snprintf(buf, len, "%04lld-%02u-%02u %02u:%02u:%02u UTC", y, m,
		    d, h, mi, s);
		break;
	}
}
