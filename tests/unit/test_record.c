/*
 * test_record.c: the recorded result (record.c), its judgment by the
 * plugin's output (output-nagios.c, detect_grade) and the Prometheus
 * textfile (output-prom.c).
 */
#include <sys/stat.h>

#include "unit.h"
#include "aw-summary.h"

#define DAY 86400LL
#define T0 1796400000LL		/* 2026-12-04 */

static char dir[64];
static char path[128];
static char err[AW_ERR_MAX];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aw-test-record-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, SUM_RECORD_NAME);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* A summary of n resolvers named with prefix, one EVENT_AHEAD candidate
 * (10 days) and one PROBE_OVERDUE candidate (2 days) on the first. */
static void
make(struct summary *s, size_t n, const char *prefix)
{
	uint16_t tag = 20326;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->time = T0;
	s->written = time(NULL);
	s->duration = 1.5;
	s->root_secure = 1;
	s->nsigners = 1;
	s->nkeys = 2;
	s->keys[0] = (struct sum_key){ 20326, 8, 257, 0, 0, "VALID" };
	s->keys[1] = (struct sum_key){ 38696, 8, 257, 1, 0, "VALID" };
	s->res = xcalloc(n, sizeof(*s->res));
	for (i = 0; i < n; i++) {
		snprintf(s->res[i].name, sizeof(s->res[i].name), "%s%zu",
		    prefix, i);
		snprintf(s->res[i].type, sizeof(s->res[i].type), "unbound");
		s->res[i].ntrusted = 1;
		s->res[i].trusted[0] = 20326;
		s->res[i].ntags = 1;
		s->res[i].probe_age = i == 0 ? 2 * DAY : 3600;
	}
	s->nres = n;
	snprintf(s->next_id, sizeof(s->next_id), "ksk2017-revoke");
	snprintf(s->next_name, sizeof(s->next_name), "KSK-2017 \"revoked\"");
	s->next_when = T0 + 10 * DAY;
	detect_add(&s->rep, F_EVENT_AHEAD, SEV_WARNING, s->res[0].name, &tag,
	    1, "revocation is in 10 days and needs key 38696 | not this");
	s->rep.f[0].value = 10 * DAY - 5;
	detect_add(&s->rep, F_PROBE_OVERDUE, SEV_WARNING, s->res[0].name,
	    NULL, 0, "last successful RFC 5011 probe was 172800 s ago");
	s->rep.f[1].value = 2 * DAY;
}

/* What output_nagios_summary prints and returns with thresholds t. */
static enum severity
nagios(const struct summary *s, const struct thresholds *t, char **out)
{
	struct nagios_opts o = { t, 0, NULL };
	size_t len;
	FILE *f = open_memstream(out, &len);
	enum severity w;

	assert_non_null(f);
	w = output_nagios_summary(s, &o, f);
	assert_int_equal(fclose(f), 0);
	return w;
}

static void
test_round_trip(void **state)
{
	struct summary s, r;
	struct stat st;

	(void)state;
	make(&s, 3, "ub");
	snprintf(s.unknown, sizeof(s.unknown), "x");
	s.unknown[0] = '\0';
	assert_int_equal(record_write(dir, &s, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(record_read(path, &r, err, sizeof(err)), 0);
	assert_int_equal(r.time, s.time);
	assert_int_equal(r.written, s.written);
	assert_int_equal(r.nkeys, 2);
	assert_int_equal(r.keys[1].tag, 38696);
	assert_true(r.keys[1].signing);
	assert_string_equal(r.keys[0].agent_state, "VALID");
	assert_int_equal(r.nres, 3);
	assert_string_equal(r.res[2].name, "ub2");
	assert_int_equal(r.res[0].probe_age, 2 * DAY);
	assert_int_equal(r.res[1].trusted[0], 20326);
	assert_int_equal(r.rep.n, 2);
	assert_int_equal(r.rep.f[0].code, F_EVENT_AHEAD);
	assert_int_equal(r.rep.f[0].value, 10 * DAY - 5);
	assert_int_equal(r.rep.f[0].tags[0], 20326);
	assert_string_equal(r.next_name, "KSK-2017 \"revoked\"");
	assert_int_equal(r.next_when, T0 + 10 * DAY);
	assert_int_equal(summary_worst(&r), SEV_WARNING);
	summary_free(&r);
	/* An UNKNOWN run is recorded as one. */
	snprintf(s.unknown, sizeof(s.unknown), "cannot create state_dir");
	snprintf(s.unknown_code, sizeof(s.unknown_code), "CONFIG_ERROR");
	assert_int_equal(record_write(dir, &s, err, sizeof(err)), 0);
	assert_int_equal(record_read(path, &r, err, sizeof(err)), 0);
	assert_int_equal(summary_worst(&r), SEV_UNKNOWN);
	assert_string_equal(r.unknown, "cannot create state_dir");
	summary_free(&r);
	summary_free(&s);
}

/* Write text as the record and read it: -1 with err naming the file. */
static void
refused(const char *text, const char *why)
{
	struct summary r;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(record_read(path, &r, err, sizeof(err)), -1);
	if (strstr(err, path) == NULL || strstr(err, why) == NULL)
		fail_msg("\"%s\" lacks the path or \"%s\"", err, why);
}

#define REC_HEAD "{\"version\":1,\"time\":1,\"written\":2,\"duration\":0," \
	"\"unknown\":null,\"next_event\":null,\"storm\":null,"
#define REC_ROOT "\"root\":{\"secure\":true,\"why\":\"\",\"signers\":1," \
	"\"keys\":[]},"

static void
test_hostile(void **state)
{
	struct summary r;
	char *big;
	size_t i;

	(void)state;
	refused("", "not a record");
	refused("{", "not a record");
	refused("[1]", "not a record");
	refused("{\"version\":2}", "\"version\" out of range");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[]}", "\"findings\" missing");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[],\"findings\":[]} x",
	    "not a record");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[{\"name\":\"a\",\"type\":"
	    "\"unbound\",\"ntrusted\":1,\"trusted\":[70000],\"probe_age\":"
	    "null}],\"findings\":[]}", "key tag");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[],\"findings\":[{\"code\":"
	    "\"NOPE\",\"severity\":\"OK\",\"resolver\":\"\",\"keytags\":[],"
	    "\"message\":\"m\",\"value\":0}]}", "unknown finding code");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[],\"findings\":[{\"code\":"
	    "\"ANCHOR_STALE\",\"severity\":\"BAD\",\"resolver\":\"\","
	    "\"keytags\":[],\"message\":\"m\",\"value\":0}]}",
	    "unknown severity");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[{\"name\":\"aaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\","
	    "\"type\":\"unbound\",\"ntrusted\":1,\"trusted\":[],\"probe_age\":"
	    "null}],\"findings\":[]}", "\"name\" too long");
	refused(REC_HEAD REC_ROOT "\"resolvers\":[{\"name\":\"a\\u0000b\","
	    "\"type\":\"unbound\",\"ntrusted\":1,\"trusted\":[],\"probe_age\":"
	    "null}],\"findings\":[]}", "\"name\" too long");
	refused(REC_HEAD "\"root\":{\"secure\":1,\"why\":\"\",\"signers\":1,"
	    "\"keys\":[]},\"resolvers\":[],\"findings\":[]}",
	    "\"secure\" has the wrong type");
	/* Nesting deeper than any record: refused, not recursed into. */
	big = xcalloc(1, 20001);
	for (i = 0; i < 10000; i++)
		big[i] = '[';
	for (; i < 20000; i++)
		big[i] = ']';
	refused(big, "not a record");
	free(big);
	/* A record that parses. */
	refused(REC_HEAD REC_ROOT "\"resolvers\":[],\"findings\":[]}x",
	    "not a record");
	{
		FILE *f = fopen(path, "w");

		fputs(REC_HEAD REC_ROOT "\"resolvers\":[],\"findings\":[]}\n",
		    f);
		fclose(f);
	}
	assert_int_equal(record_read(path, &r, err, sizeof(err)), 0);
	summary_free(&r);
}

/* The plugin's judgment follows the thresholds it is given. */
static void
test_grade(void **state)
{
	struct thresholds t = { 30, 7, 3 * DAY, 0 };
	struct summary s;
	char *out;

	(void)state;
	make(&s, 1, "ub");
	/* events warn 30, crit 7; probe warn 3 days: the event warns */
	assert_int_equal(nagios(&s, &t, &out), SEV_WARNING);
	assert_non_null(strstr(out, "ANCHORWATCH WARNING - ub0 EVENT_AHEAD"));
	assert_null(strstr(out, "PROBE_OVERDUE"));
	assert_non_null(strstr(out, "'ub0_event_days'=10;@0:30;@0:7;0"));
	assert_non_null(strstr(out, "'ub0_probe_age'=172800s;259200;;0"));
	assert_non_null(strstr(out, " next_event_days=10;;;0"));
	/* A '|' of a message is not perfdata. */
	assert_non_null(strstr(out, "needs key 38696 / not this"));
	free(out);
	/* -c 10: CRITICAL; -w 5 -c 1: nothing about the event */
	t.crit_days = 10;
	assert_int_equal(nagios(&s, &t, &out), SEV_CRITICAL);
	free(out);
	t.warn_days = 5;
	t.crit_days = 1;
	assert_int_equal(nagios(&s, &t, &out), SEV_OK);
	assert_non_null(strstr(out, "ANCHORWATCH OK - 1 resolver trusts the "
	    "root's signing key: 38696 |"));
	free(out);
	/* probe age: warn at 1 day, critical at 2 days (not past it) */
	t.probe_warn = DAY;
	assert_int_equal(nagios(&s, &t, &out), SEV_WARNING);
	assert_non_null(strstr(out, "WARNING PROBE_OVERDUE resolver=ub0"));
	free(out);
	t.probe_crit = DAY + 1;
	assert_int_equal(nagios(&s, &t, &out), SEV_CRITICAL);
	assert_non_null(strstr(out, "'ub0_probe_age'=172800s;86400;86401;0"));
	free(out);
	summary_free(&s);
}

/* However many resolvers, the first line is at most 1 KiB, and every
 * resolver's perfdata is there, on it or after the "|" line. */
static void
test_line_limit(void **state)
{
	struct thresholds t = { 30, 7, 3 * DAY, 0 };
	struct summary s;
	char *out, *nl, name[96];
	size_t i;

	(void)state;
	make(&s, CFG_RESOLVERS_MAX, "a-resolver-with-a-long-name-of-sixty-"
	    "characters-");
	assert_int_equal(nagios(&s, &t, &out), SEV_WARNING);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	assert_true(nl - out + 1 <= NAGIOS_LINE_MAX);
	assert_non_null(strstr(out, "\n|\n"));
	for (i = 0; i < CFG_RESOLVERS_MAX; i++) {
		snprintf(name, sizeof(name), "'%s_trusted'=1;;1:;0",
		    s.res[i].name);
		assert_non_null(strstr(out, name));
	}
	free(out);
	/* A few resolvers: everything on the first line. */
	summary_free(&s);
	make(&s, 3, "ub");
	assert_int_equal(nagios(&s, &t, &out), SEV_WARNING);
	assert_null(strstr(out, "\n|\n"));
	nl = strchr(out, '\n');
	*nl = '\0';
	assert_non_null(strstr(out, "'ub2_trusted'=1;;1:;0"));
	free(out);
	summary_free(&s);
}

static void
test_prom(void **state)
{
	struct summary s;
	char *buf, line[512], fam[128];
	size_t len;
	FILE *f;
	unsigned nsamples = 0, nfindings = 0;

	(void)state;
	make(&s, 2, "ub");
	detect_grade(&s.rep, &(struct thresholds){ 30, 7, 3 * DAY, 0 });
	assert_non_null(f = open_memstream(&buf, &len));
	output_prom_write(&s, f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "anchorwatch_status 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_findings{code=\"EVENT_AHEAD\""
	    ",severity=\"warning\"} 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_findings{code=\"PROBE_OVERDUE"
	    "\",severity=\"warning\"} 0\n"));
	assert_non_null(strstr(buf, "anchorwatch_root_key{keytag=\"38696\","
	    "algorithm=\"8\",state=\"signing\"} 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_root_key{keytag=\"20326\","
	    "algorithm=\"8\",state=\"published\"} 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_next_event_seconds{event=\""
	    "ksk2017-revoke\",name=\"KSK-2017 \\\"revoked\\\"\"} 864000\n"));
	assert_non_null(strstr(buf, "anchorwatch_resolver_status{resolver=\""
	    "ub0\",type=\"unbound\"} 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_resolver_trusts_key{resolver="
	    "\"ub1\",keytag=\"20326\"} 1\n"));
	assert_non_null(strstr(buf, "anchorwatch_resolver_probe_age_seconds{"
	    "resolver=\"ub0\",type=\"unbound\"} 172800\n"));
	/* Every sample belongs to the family of the TYPE line before it. */
	assert_non_null(f = fmemopen(buf, len, "r"));
	fam[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "# TYPE %127s gauge", fam) == 1)
			continue;
		if (line[0] == '#')
			continue;
		assert_true(fam[0] != '\0');
		assert_int_equal(strncmp(line, fam, strlen(fam)), 0);
		assert_true(line[strlen(fam)] == ' ' ||
		    line[strlen(fam)] == '{');
		nsamples++;
		if (strncmp(line, "anchorwatch_findings{", 21) == 0)
			nfindings++;
	}
	fclose(f);
	assert_int_equal(nfindings, F_NCODES * 4);
	assert_true(nsamples > nfindings + 10);
	free(buf);
	summary_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test(test_grade),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_prom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
