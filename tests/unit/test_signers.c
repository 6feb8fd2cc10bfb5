/*
 * test_signers.c: anchorwatch traffic judges key tag signals by the root's
 * state at the capture's own time (traffic-signers.c), catches a stale
 * named's two root DNSKEY queries a minute by default, and lists every
 * flagged source in --json and --csv whatever --top says.  The captures
 * are made here, dated around the 2026-10-11 roll of the calendar of this
 * tree; the signals are RFC 8145 edns-key-tag options (code 14) and _ta-
 * query names.
 */
#include "traffic.h"

#include <fcntl.h>
#include <json-c/json.h>

#include <sys/stat.h>

#define ROLL 1791676800L	/* 2026-10-11, KSK-2024 signs from then */
#define DAY 86400L
#define K2017 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4R" \
	"gWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnI" \
	"DdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tar" \
	"pVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLY" \
	"A4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn" \
	"6UwNR1AkUTV74bU="
#define K2024 "AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidlt" \
	"pkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8" \
	"e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q" \
	"8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+" \
	"u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9G" \
	"NUUeayffKC73PYc="

static const uint16_t T2017[] = { 20326 };

/*
 * A capture starting at sec, each source signalling once, dsec apart:
 * A4 edns-key-tag 20326 on DNSKEY ., C4 "_ta-4f66" (20326), D4
 * "_ta-9728" (38696), B6 "_ta-4f66-9728" (both).
 */
static void
write_signals(const char *name, long sec, long dsec)
{
	struct capture c;
	struct frame f;

	cap_open(&c, DLT_EN10MB, name);
	c.sec = sec;
	qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, T2017, 1);
	cap_add(&c, &f, 0);
	qframe(&f, DLT_EN10MB, 0, C4, 4, "_ta-4f66", 10, NULL, 0);
	cap_add(&c, &f, dsec);
	qframe(&f, DLT_EN10MB, 0, B6, 16, "_ta-4f66-9728", 10, NULL, 0);
	cap_add(&c, &f, 2 * dsec);
	qframe(&f, DLT_EN10MB, 0, D4, 4, "_ta-9728", 10, NULL, 0);
	cap_add(&c, &f, 3 * dsec);
	cap_close(&c);
}

/* The verdict column of addr's row in a counts file (CSV) text; "" if
 * there is no such row. */
static const char *
verdict(const char *csv, const char *addr)
{
	static char v[64];
	const char *p = csv, *end, *comma;
	size_t n = strlen(addr);

	v[0] = '\0';
	for (; p != NULL && *p != '\0'; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		if (strncmp(p, addr, n) != 0 || p[n] != ',')
			continue;
		for (comma = end; comma > p && comma[-1] != ','; comma--)
			;
		snprintf(v, sizeof(v), "%.*s", (int)(end - comma), comma);
		break;
	}
	return v;
}

/* The verdicts of write_signals' sources A4 (20326 by EDNS), C4 (20326 by
 * _ta-), B6 (both) and D4 (38696) in a counts file text. */
static void
expect(const char *csv, const char *a, const char *c, const char *b,
    const char *d)
{
	assert_string_equal(verdict(csv, "192.0.2.1"), a);
	assert_string_equal(verdict(csv, "192.0.2.3"), c);
	assert_string_equal(verdict(csv, "2001:db8::2"), b);
	assert_string_equal(verdict(csv, "203.0.113.9"), d);
}

/* traffic --csv [extra] FILE with the test's configuration; its output. */
static char *
csv_of(const char *file, const char *extra, const char *arg)
{
	char path[256], *av[8], *out;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, file);
	av[n++] = "traffic", av[n++] = "--csv";
	if (extra != NULL)
		av[n++] = (char *)extra, av[n++] = (char *)arg;
	av[n++] = path, av[n] = NULL;
	if (run_main(av, &out) == -1)
		fail_msg("%s", out);
	return out;
}

/* Before the roll 20326 signs: a source that signals only it is fine, one
 * that signals only 38696 is not; after, the other way round. */
static void
test_roll(void **state)
{
	char *out;

	write_signals("before.pcap", ROLL - 10 * DAY, 5);
	out = csv_of("before.pcap", NULL, NULL);
	expect(out, "ok", "ok", "ok", "SIGNALLING_STALE");
	free(out);

	write_signals("after.pcap", ROLL + 9 * DAY, 5);
	out = csv_of("after.pcap", NULL, NULL);
	expect(out, "SIGNALLING_STALE", "SIGNALLING_STALE", "ok", "ok");
	free(out);

	/* --trusted-tags still decides when given. */
	out = csv_of("after.pcap", "--trusted-tags", "20326");
	assert_string_equal(verdict(out, "192.0.2.1"), "ok");
	assert_string_equal(verdict(out, "203.0.113.9"), "SIGNALLING_STALE");
	free(out);
}

/* A capture from an hour before the roll to an hour after: a resolver's
 * anchors do not change within it, so only one that signals both keys
 * validates throughout. */
static void
test_span(void **state)
{
	struct json_object *doc, *sg, *v;
	char path[256], *av[5], *out;

	write_signals("span.pcap", ROLL - 3600, 2400);
	out = csv_of("span.pcap", NULL, NULL);
	expect(out, "SIGNALLING_STALE", "SIGNALLING_STALE",
	    "ok", "SIGNALLING_STALE");
	free(out);

	snprintf(path, sizeof(path), "%s/span.pcap", tmpdir);
	av[0] = "traffic", av[1] = "--json", av[2] = path, av[3] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(doc = json_tokener_parse(out));
	assert_true(json_object_object_get_ex(doc, "root_signers", &sg));
	assert_int_equal(json_object_array_length(sg), 2);
	v = json_object_array_get_idx(sg, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(v,
	    "from")), "2026-10-11");
	v = json_object_array_get_idx(json_object_object_get(v, "tags"), 0);
	assert_int_equal(json_object_get_int(v), 38696);
	assert_true(json_object_object_get_ex(doc, "root_signers_by", &v));
	assert_string_equal(json_object_get_string(v), "calendar");
	json_object_put(doc);
	free(out);
}

/* A configuration in tmpdir/name: the calendar of this tree (unless
 * nocal), state in tmpdir/dir, and extra lines. */
static void
write_config(const char *name, const char *dir, int nocal,
    const char *extra, char *path, size_t len)
{
	char cwd[512], text[2048];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(path, len, "%s/%s", tmpdir, name);
	snprintf(text, sizeof(text), "state_dir: %s/%s\n%s%s%s%s", tmpdir,
	    dir, nocal ? "" : "events:\n  file: ", nocal ? "" : cwd,
	    nocal ? "" : "/etc/anchorwatch/events.yaml\n", extra);
	write_text(path, text);
}

/* The agent's history in tmpdir/dir: it saw the roll at 16:00 UTC, not at
 * the calendar's midnight. */
static void
write_history(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/history", tmpdir, dir);
	write_text(path, "anchorwatch-history 1\n"
	    "last-run 2026-12-01T00:00:00Z\n"
	    "key 20326 257 8 first 2017-07-11T00:00:00Z last "
	    "2026-12-01T00:00:00Z signing 2018-10-11T16:00:00Z "
	    "2026-10-11T15:00:00Z revoked - " K2017 "\n"
	    "key 38696 257 8 first 2025-01-11T00:00:00Z last "
	    "2026-12-01T00:00:00Z signing 2026-10-11T16:00:00Z "
	    "2026-12-01T00:00:00Z revoked - " K2024 "\n");
}

/* At 08:00 on the day of the roll the calendar says 38696 signs; the
 * agent's history, which saw 20326 signing until 15:00, wins. */
static void
test_history(void **state)
{
	char conf[256], *out;

	write_history("hstate");
	write_config("hist.yaml", "hstate", 0, "", conf, sizeof(conf));
	write_signals("morning.pcap", ROLL + 8 * 3600, 5);
	out = csv_of("morning.pcap", NULL, NULL);
	assert_string_equal(verdict(out, "192.0.2.1"), "SIGNALLING_STALE");
	free(out);
	out = csv_of("morning.pcap", "-c", conf);
	expect(out, "ok", "ok", "ok", "SIGNALLING_STALE");
	free(out);
	/* The evening: the history and the calendar agree. */
	write_signals("evening.pcap", ROLL + 20 * 3600, 5);
	out = csv_of("evening.pcap", "--config", conf);
	assert_string_equal(verdict(out, "192.0.2.1"), "SIGNALLING_STALE");
	assert_string_equal(verdict(out, "203.0.113.9"), "ok");
	free(out);
}

/* Run av with stderr into tmpdir/stderr; its text in *err (freed by the
 * caller). */
static int
run_stderr(char **av, char **out, char **err)
{
	char path[256];
	size_t len;
	int fd, saved, rc;

	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	fflush(stderr);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = run_main(av, out);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	*err = (char *)slurp(path, &len);
	return rc;
}

/* No calendar: the history alone speaks; neither: signals are not judged,
 * and stderr says so. */
static void
test_no_calendar(void **state)
{
	char conf[256], path[256], *av[6], *out, *err;

	if (access(AW_DATADIR "/events.yaml", F_OK) == 0)
		skip();		/* installed: the default calendar exists */
	write_signals("nocal.pcap", ROLL + 9 * DAY, 5);
	snprintf(path, sizeof(path), "%s/nocal.pcap", tmpdir);
	write_config("nocal.yaml", "nostate", 1, "", conf, sizeof(conf));
	av[0] = "traffic", av[1] = "-c", av[2] = conf, av[3] = "--csv";
	av[4] = path, av[5] = NULL;
	assert_int_equal(run_stderr(av, &out, &err), 0);
	assert_string_equal(verdict(out, "192.0.2.1"), "ok");
	assert_string_equal(verdict(out, "203.0.113.9"), "ok");
	assert_non_null(strstr(err, "no calendar at " AW_DATADIR
	    "/events.yaml"));
	assert_non_null(strstr(err, "not judged"));
	free(out);
	free(err);

	write_history("nocalstate");
	write_config("nocalh.yaml", "nocalstate", 1, "", conf, sizeof(conf));
	av[2] = conf;
	assert_int_equal(run_stderr(av, &out, &err), 1);
	assert_string_equal(verdict(out, "192.0.2.1"), "SIGNALLING_STALE");
	assert_string_equal(verdict(out, "203.0.113.9"), "ok");
	assert_non_null(strstr(err, "from the agent's history alone"));
	free(out);
	free(err);
}

/* A stale named asks for the root DNSKEY set about twice a minute: caught
 * by default, as check's traffic.warn_rate (2) catches it; not at the old
 * default of 5, nor at a configured warn_rate of 3. */
static void
test_default_rate(void **state)
{
	struct capture c;
	struct frame f;
	char conf[256], *out;
	int i;

	cap_open(&c, DLT_EN10MB, "named.pcap");
	c.sec = ROLL + 50 * DAY;
	for (i = 0; i <= 20; i++) {		/* 21 in 10 minutes */
		qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, NULL, 0);
		cap_add(&c, &f, i * 30);
	}
	qframe(&f, DLT_EN10MB, 0, C4, 4, ".", 48, NULL, 0);
	cap_add(&c, &f, 100);			/* one query: no storm */
	cap_close(&c);
	out = csv_of("named.pcap", NULL, NULL);
	assert_string_equal(verdict(out, "192.0.2.1"), "STORMING");
	assert_string_equal(verdict(out, "192.0.2.3"), "ok");
	free(out);
	out = csv_of("named.pcap", "--dnskey-rate", "5");
	assert_string_equal(verdict(out, "192.0.2.1"), "ok");
	free(out);
	write_config("rate.yaml", "rstate", 0, "traffic:\n  warn_rate: 3\n",
	    conf, sizeof(conf));
	out = csv_of("named.pcap", "-c", conf);
	assert_string_equal(verdict(out, "192.0.2.1"), "ok");
	free(out);

	/* Two queries in 30 s are STORM_MIN at 2 a minute. */
	cap_open(&c, DLT_EN10MB, "two.pcap");
	c.sec = ROLL + 50 * DAY;
	qframe(&f, DLT_EN10MB, 0, A4, 4, ".", 48, NULL, 0);
	cap_add(&c, &f, 0);
	cap_add(&c, &f, 30);
	cap_close(&c);
	out = csv_of("two.pcap", NULL, NULL);
	assert_string_equal(verdict(out, "192.0.2.1"), "STORMING");
	free(out);
}

/* --top cuts the readable list only: --json lists every flagged source,
 * --csv every source. */
static void
test_top(void **state)
{
	struct json_object *doc, *v;
	char path[256], *av[6], *out;

	write_signals("top.pcap", ROLL + 9 * DAY, 5);
	snprintf(path, sizeof(path), "%s/top.pcap", tmpdir);
	av[0] = "traffic", av[1] = "--top", av[2] = "1", av[3] = "--json";
	av[4] = path, av[5] = NULL;
	assert_int_equal(run_main(av, &out), 1);
	assert_non_null(doc = json_tokener_parse(out));
	assert_true(json_object_object_get_ex(doc, "flagged", &v));
	assert_int_equal(json_object_array_length(v), 2);
	assert_true(json_object_object_get_ex(doc, "top", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(doc);
	free(out);
	av[3] = "--csv";
	assert_int_equal(run_main(av, &out), 1);
	assert_string_equal(verdict(out, "192.0.2.1"), "SIGNALLING_STALE");
	assert_string_equal(verdict(out, "192.0.2.3"), "SIGNALLING_STALE");
	assert_string_equal(verdict(out, "203.0.113.9"), "ok");
	assert_string_equal(verdict(out, "2001:db8::2"), "ok");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roll),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_no_calendar),
		cmocka_unit_test(test_default_rate),
		cmocka_unit_test(test_top),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
