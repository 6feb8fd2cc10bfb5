/*
 * test_dnsmasq.c: the dnsmasq reader on real-format fixtures.
 *
 * tests/data/dnsmasq/debian is a tree of the files Debian's dnsmasq 2.90
 * packages install, as installed (etc/dnsmasq.conf, etc/default/dnsmasq,
 * usr/share/dnsmasq/init-system-common with its root.ds hook, and
 * dns-root-data's usr/share/dns/root.ds); the reader takes the part before
 * /etc/dnsmasq.conf as the root of that tree.  good/debian-on is the same
 * with the two DNSSEC lines of dnsmasq.conf uncommented.  good/ and bad/
 * hold hand-made configs; "@D@" in them stands for their directory and is
 * replaced in a copy made before the tests run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RT_TYPE "dnsmasq"
#define RT_DATA "dnsmasq"
#include "reader.h"

static void
test_debian(void **state)
{
	struct resolver r;
	struct source *s;
	char want[AW_PATH_MAX];

	/* As installed: no dnssec option, but the service passes root.ds
	 * as --trust-anchor options all the same. */
	read_ok(F("debian/etc/dnsmasq.conf"), &r);
	assert_int_equal(r.nsources, 1);
	s = &r.sources[0];
	assert_int_equal(s->kind, SRC_FILE);
	snprintf(want, sizeof(want), "%s", F("debian/usr/share/dns/root.ds"));
	assert_string_equal(s->path, want);
	snprintf(want, sizeof(want), "%s",
	    F("debian/usr/share/dnsmasq/init-system-common"));
	assert_string_equal(s->decl_file, want);
	assert_int_equal(s->decl_line, 65);
	assert_string_equal(tags(&r), "20326 38696");
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	assert_string_equal(r.dnssec_where, F("debian/etc/dnsmasq.conf"));
	assert_string_equal(r.user, "dnsmasq");
	resolver_free(&r);
}

static void
test_debian_on(void **state)
{
	struct resolver r;
	char want[AW_PATH_MAX + 16];

	/* dnssec and conf-file=/usr/share/dnsmasq/trust-anchors.conf
	 * uncommented: 20326 once more, from the packaged file */
	read_ok(F("good/debian-on/etc/dnsmasq.conf"), &r);
	assert_string_equal(tags(&r), "20326 38696 20326");
	assert_int_equal(r.sources[1].kind, SRC_INLINE);
	assert_string_equal(r.sources[1].path,
	    "/usr/share/dnsmasq/trust-anchors.conf");
	assert_int_equal(r.sources[1].decl_line, 6);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	snprintf(want, sizeof(want), "%s:26",
	    F("good/debian-on/etc/dnsmasq.conf"));
	assert_string_equal(r.dnssec_where, want);
	resolver_free(&r);
}

/* DNSMASQ_OPTS="--conf-file=FILE": FILE instead of /etc/dnsmasq.conf */
static void
test_debian_alt(void **state)
{
	struct resolver r;
	char want[AW_PATH_MAX + 16];

	read_ok(F("good/debian-alt/etc/dnsmasq.conf"), &r);
	assert_string_equal(tags(&r), "38696");
	snprintf(want, sizeof(want), "%s:1",
	    F("good/debian-alt/etc/dnsmasq.alt"));
	assert_string_equal(r.dnssec_where, want);
	resolver_free(&r);
}

static void
test_good(void **state)
{
	struct resolver r;

	read_ok(F("good/dnsmasq.conf"), &r);
	/* trust-anchors.conf, the inline one with class IN, then conf.d:
	 * only 10-old.conf (the others are .bak, not *.conf, hidden, or
	 * #...#); example.com and the comment do not count */
	assert_string_equal(tags(&r), "20326 38696 19036");
	assert_int_equal(r.sources[1].decl_line, 5);
	assert_string_equal(r.sources[2].decl_file,
	    F("good/conf.d/10-old.conf"));
	assert_string_equal(r.user, "dnsmasq-test");
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);

	read_ok(F("good/off.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_OFF);
	resolver_free(&r);
}

/* A file included again is skipped, as dnsmasq's one_file does. */
static void
test_once(void **state)
{
	struct resolver r;

	/* loop.conf includes loop-b.conf, which includes loop.conf */
	read_ok(F("good/loop.conf"), &r);
	assert_int_equal(r.nsources, 0);
	assert_int_equal(r.dnssec, DNSSEC_ON);
	resolver_free(&r);
	/* a conf-file naming itself: its anchor once */
	read_ok(F("good/self.conf"), &r);
	assert_string_equal(tags(&r), "38696");
	resolver_free(&r);
	/* one file by three names (another path, a symbolic link) */
	read_ok(F("good/twice.conf"), &r);
	assert_string_equal(tags(&r), "20326");
	assert_string_equal(r.sources[0].path, F("good/trust-anchors.conf"));
	resolver_free(&r);
	/* a conf-dir holding the main file reads only the others */
	read_ok(F("good/selfdir/main.conf"), &r);
	assert_string_equal(tags(&r), "38696");
	assert_string_equal(r.sources[0].path, F("good/selfdir/z-anchor.conf"));
	resolver_free(&r);
}

/* What dnsmasq reads as it reads it: fgets pieces, quotes, separators. */
static void
test_forms(void **state)
{
	struct resolver r;

	/* the NUL ends line 2's piece: its trust-anchor is not read */
	read_ok(F("good/nul.conf"), &r);
	assert_int_equal(r.nsources, 0);
	resolver_free(&r);
	/* ".", blanks around ',' and '=', ':' '-' ' ' in the digest: the
	 * real KSK-2017 DS; an empty user= leaves dnsmasq root */
	read_ok(F("good/forms.conf"), &r);
	assert_string_equal(tags(&r), "20326");
	assert_int_equal(r.sources[0].anchors[0].ds.digestlen, 32);
	assert_int_equal(r.sources[0].anchors[0].ds.digest[4], 0x0B);
	assert_string_equal(r.user, "");
	resolver_free(&r);
	read_ok(F("good/notroot.conf"), &r);
	assert_int_equal(r.nsources, 0);
	resolver_free(&r);
}

/* The reader refuses what dnsmasq refuses, with dnsmasq's words. */
static void
refused(const char *config, const char *file, unsigned line,
    const char *why)
{
	struct resolver r;
	char want[AW_ERR_MAX];

	snprintf(want, sizeof(want), "%s", F(file));
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
	    ":%u: dnsmasq refuses to start: %s", line, why);
	if (read_conf(F(config), &r) != 0)
		fail_msg("%s: %s", config, err);
	assert_string_equal(r.refused, want);
	assert_string_equal(r.error, "");
	resolver_free(&r);
}

static void
test_bad(void **state)
{
	struct resolver r;
	char why[AW_ERR_MAX];

	refused("bad/longline.conf", "bad/longline.conf", 3, "bad option");
	refused("bad/quote.conf", "bad/quote.conf", 3, "missing \"");
	refused("bad/fields.conf", "bad/fields.conf", 2, "bad trust anchor");
	refused("bad/tag.conf", "bad/tag.conf", 3, "bad trust anchor");
	refused("bad/hex.conf", "bad/hex.conf", 1, "bad HEX in trust anchor");
	refused("bad/unknown.conf", "bad/unknown.conf", 2, "bad option");
	refused("bad/comment.conf", "bad/comment.conf", 2, "bad option");
	refused("bad/extraneous.conf", "bad/extraneous.conf", 2,
	    "extraneous parameter");
	refused("bad/missing.conf", "bad/missing.conf", 3,
	    "missing parameter");
	snprintf(why, sizeof(why), "cannot access directory %s: No such file "
	    "or directory", F("bad/nonexistent"));
	refused("bad/nodir.conf", "bad/nodir.conf", 2, why);
	snprintf(why, sizeof(why), "cannot read %s: No such file or directory",
	    F("bad/nonexistent.conf"));
	refused("bad/nofile.conf", "bad/nofile.conf", 2, why);
	snprintf(why, sizeof(why), "cannot access %s: No such file or "
	    "directory", F("bad/broken.d/a.conf"));
	refused("bad/broken.conf", "bad/broken.conf", 3, why);
	/* what was read before the refusal stands */
	refused("bad/wildcard.conf", "bad/wildcard.conf", 3,
	    "bad HEX in trust anchor");
	read_ok(F("bad/wildcard.conf"), &r);
	assert_string_equal(tags(&r), "20326");
	resolver_free(&r);
	/* dnsmasq runs the script; its anchors cannot be known here */
	bad("bad/script.conf", "bad/script.conf", 4);
}

/*
 * dnsmasq --test is the referee: on every fixture, where it refuses
 * ("dnsmasq: WHY at line N of FILE", or "dnsmasq: WHY"), the reader says
 * the same in r.refused; where it accepts, the reader reads it without
 * error.  bad/script.conf is the one exception: dnsmasq runs the script,
 * the reader cannot know its output.  (bad/broken.d/a.conf, a dangling
 * link, is no config of its own.)
 */
static void
test_referee(void **state)
{
	char cmd[1024], out[2048], want[AW_ERR_MAX], *msg, *at, *of, *e;
	char files[64][AW_PATH_MAX];
	size_t n = 0, i, nrefused = 0;
	struct resolver r;
	FILE *p;

	if (access("/usr/sbin/dnsmasq", X_OK) != 0)
		skip();
	snprintf(cmd, sizeof(cmd), "find %s/good %s/bad -name '*.conf' "
	    "-xtype f | sort", tmp, tmp);
	assert_non_null(p = popen(cmd, "r"));
	while (n < 64 && fgets(files[n], sizeof(files[n]), p) != NULL) {
		files[n][strcspn(files[n], "\n")] = '\0';
		n++;
	}
	pclose(p);
	assert_true(n >= 30);
	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "/usr/sbin/dnsmasq --test "
		    "--conf-file='%s' 2>&1", files[i]);
		assert_non_null(p = popen(cmd, "r"));
		out[fread(out, 1, sizeof(out) - 1, p)] = '\0';
		pclose(p);
		if ((e = strrchr(out, '\n')) != NULL && e[1] == '\0')
			*e = '\0';
		if (strstr(files[i], "/bad/script.conf") != NULL)
			continue;
		if (strstr(out, "syntax check OK") != NULL) {
			if (read_conf(files[i], &r) != 0 || r.refused[0])
				fail_msg("dnsmasq accepts %s: %s%s", files[i],
				    err, r.refused);
			resolver_free(&r);
			continue;
		}
		if ((msg = strstr(out, "dnsmasq: ")) == NULL)
			fail_msg("%s: dnsmasq said %s", files[i], out);
		msg += strlen("dnsmasq: ");
		nrefused++;
		assert_int_equal(read_conf(files[i], &r), 0);
		if ((at = strstr(msg, " at line ")) != NULL &&
		    (of = strstr(at, " of /")) != NULL) {
			snprintf(want, sizeof(want), "%s:%u: dnsmasq refuses "
			    "to start: %.*s", of + 4, (unsigned)strtoul(at + 9,
			    NULL, 10), (int)(at - msg), msg);
			assert_string_equal(r.refused, want);
		} else {
			snprintf(want, sizeof(want), ": dnsmasq refuses to "
			    "start: %s", msg);
			e = strstr(r.refused, want);
			if (e == NULL || strlen(e) != strlen(want))
				fail_msg("%s: want ...%s, got %s", files[i],
				    want, r.refused);
		}
		resolver_free(&r);
	}
	print_message("# %zu fixtures, %zu refused by dnsmasq\n", n, nrefused);
	assert_true(nrefused >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_debian_on),
		cmocka_unit_test(test_debian_alt),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_referee),
	};

	return cmocka_run_group_tests(tests, stage, unstage);
}
