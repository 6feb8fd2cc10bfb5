/*
 * test_state.c: the agent's history.  A roll seen run by run (KSK-2017
 * signing, KSK-2024 published, the roll, KSK-2017 revoked and gone), the
 * file written and read back, what a compliant resolver trusts on each
 * date, a clock that goes back, and hostile files.  A run that only saw
 * known keys again appends one "seen" line, unsynced; anything new, a
 * cut last line or STATE_SEEN_MAX such lines make a whole rewrite.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "fsync-count.h"

#include "ksk.h"

#define DAY 86400LL
#define T0 1736553600LL		/* 2025-01-11 */
#define HOLD (30 * DAY)

static struct rootview rv;
static struct history h;
static char err[AW_ERR_MAX];

/* A root view: KSK-2017 (revoked if rev17, absent if !with17) signing if
 * sign17, KSK-2024 if with24, signing if sign24. */
static void
view(int with17, int rev17, int sign17, int with24, int sign24)
{
	struct anchor a;
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	memset(&rv, 0, sizeof(rv));
	rv.is_secure = 1;
	if (with17) {
		assert_int_equal(keyset_parse_rr(KSK2017, &a, err,
		    sizeof(err)), 1);
		if (rev17) {
			a.key.flags |= DNSKEY_F_REVOKE;
			len = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
			a.key.tag = keyset_tag(rd, (size_t)len);
		}
		rv.keys[rv.nkeys++] = a.key;
		if (sign17) {
			rv.signer_algs[rv.nsigners] = 8;
			rv.signers[rv.nsigners++] = a.key.tag;
		}
	}
	if (with24) {
		assert_int_equal(keyset_parse_rr(KSK2024, &a, err,
		    sizeof(err)), 1);
		rv.keys[rv.nkeys++] = a.key;
		if (sign24) {
			rv.signer_algs[rv.nsigners] = 8;
			rv.signers[rv.nsigners++] = 38696;
		}
	}
}

static const struct hist_key *
entry(uint16_t tag)
{
	size_t i;

	for (i = 0; i < h.n; i++)
		if (h.keys[i].key.tag == tag)
			return &h.keys[i];
	return NULL;
}

/* The 2024-2027 roll, one run on each date. */
static void
play(void)
{
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 0, 0);
	state_update(&h, &rv, T0 - DAY);
	view(1, 0, 1, 1, 0);		/* KSK-2024 published */
	state_update(&h, &rv, T0);
	state_update(&h, &rv, T0 + 40 * DAY);
	view(1, 0, 0, 1, 1);		/* the roll */
	state_update(&h, &rv, T0 + 600 * DAY);
	view(1, 1, 1, 1, 1);		/* KSK-2017 revoked, self-signed */
	state_update(&h, &rv, T0 + 700 * DAY);
	view(0, 0, 0, 1, 1);		/* and gone */
	state_update(&h, &rv, T0 + 800 * DAY);
}

static void
test_update(void **state)
{
	const struct hist_key *k17, *k24;

	(void)state;
	play();
	assert_int_equal(h.n, 2);
	assert_non_null(k17 = entry(20326));
	assert_non_null(k24 = entry(38696));
	assert_int_equal(k17->first_seen, T0 - DAY);
	assert_int_equal(k17->last_seen, T0 + 700 * DAY);
	assert_int_equal(k17->first_signing, T0 - DAY);
	assert_int_equal(k17->last_signing, T0 + 40 * DAY);
	assert_int_equal(k17->revoked_seen, T0 + 700 * DAY);
	assert_int_equal(k24->first_seen, T0);
	assert_int_equal(k24->first_signing, T0 + 600 * DAY);
	assert_int_equal(k24->revoked_seen, 0);
	assert_int_equal(h.last_run, T0 + 800 * DAY);
}

static void
test_compliant_trust(void **state)
{
	const struct hist_key *k17, *k24;

	(void)state;
	play();
	k17 = entry(20326);
	k24 = entry(38696);
	assert_false(is_compliant_trust(k24, T0 + 29 * DAY, HOLD, 366 * DAY));
	assert_true(is_compliant_trust(k24, T0 + 30 * DAY, HOLD, 366 * DAY));
	assert_true(is_compliant_trust(k17, T0 + 699 * DAY, HOLD, 366 * DAY));
	assert_false(is_compliant_trust(k17, T0 + 700 * DAY, HOLD, 366 * DAY));
	/* never seen before T0 - 1 day: not trusted before its hold-down */
	assert_false(is_compliant_trust(k17, T0 - DAY, HOLD, 366 * DAY));
	/* a key gone without revocation stays trusted while kept missing */
	assert_true(is_compliant_trust(k24, T0 + 900 * DAY, HOLD, 366 * DAY));
	assert_false(is_compliant_trust(k24, T0 + 1200 * DAY, HOLD,
	    366 * DAY));
}

/* A clock that goes back must not make a hold-down shorter. */
static void
test_clock_backwards(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	state_update(&h, &rv, T0);
	state_update(&h, &rv, T0 - 20 * DAY);
	assert_int_equal(entry(38696)->first_seen, T0);
	assert_int_equal(entry(38696)->last_seen, T0);
	assert_false(is_compliant_trust(entry(38696), T0 + 15 * DAY, HOLD,
	    366 * DAY));
}

static void
test_insecure_not_recorded(void **state)
{
	(void)state;
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	rv.is_secure = 0;
	state_update(&h, &rv, T0);
	assert_int_equal(h.n, 0);
	assert_int_equal(h.last_run, 0);
}

/* a and b hold the same keys with the same dates. */
static void
assert_same(const struct history *a, const struct history *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	assert_int_equal(a->last_run, b->last_run);
	for (i = 0; i < a->n; i++)
		assert_memory_equal(&a->keys[i], &b->keys[i],
		    sizeof(a->keys[i]));
}

/* A fresh path for a history file, none there yet. */
static void
tmp_path(char *path)
{
	int fd;

	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	unlink(path);
}

static off_t
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* Save h over old at path, synced (a whole rewrite) or not (appended)
 * as expected, and read it back into back: the same history. */
static void
save_read(const char *path, const struct history *old, int synced,
    struct history *back)
{
	fsyncs = 0;
	assert_int_equal(state_save(path, old, &h, err, sizeof(err)), 0);
	assert_int_equal(fsyncs, synced);
	assert_int_equal(state_load(path, back, err, sizeof(err)), 0);
	assert_same(back, &h);
}

static void
test_round_trip(void **state)
{
	static struct history back;
	char path[] = "/tmp/aw-state.XXXXXX", *buf;
	size_t len;

	(void)state;
	play();
	tmp_path(path);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 0);		/* no file: the first run */
	assert_int_equal(back.size, 0);
	fsyncs = 0;
	assert_int_equal(state_save(path, &back, &h, err, sizeof(err)), 0);
	/* The content is synced before the rename; the directory is not (a
	 * crash may bring back the history before, never a cut one). */
	assert_int_equal(fsyncs, 1);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_same(&back, &h);
	assert_int_equal(back.nseen, 0);
	assert_int_equal(back.size, (size_t)file_size(path));
	state_format(&h, &buf, &len);
	assert_non_null(strstr(buf, "key 20326 257 8 first 2025-01-10T00:00:00Z "));
	assert_non_null(strstr(buf, "revoked 2026-12-12T00:00:00Z"));
	free(buf);
	unlink(path);
}

/*
 * Run after run of the same root: each appends one line, not synced, and
 * the file read back is the history in memory; a run in the same second
 * writes nothing; a new key, a first signature or a revocation writes
 * the file whole, sightings folded in.
 */
static void
test_append(void **state)
{
	static struct history old, back;
	char path[] = "/tmp/aw-state.XXXXXX", *buf;
	const char *line;
	off_t size;
	size_t len;

	(void)state;
	tmp_path(path);
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);		/* KSK-2024 published */
	state_update(&h, &rv, T0);
	assert_int_equal(state_save(path, NULL, &h, err, sizeof(err)), 0);
	size = file_size(path);

	assert_int_equal(state_load(path, &old, err, sizeof(err)), 0);
	h = old;
	state_update(&h, &rv, T0 + 3600);
	fsyncs = 0;
	assert_int_equal(state_save(path, &old, &h, err, sizeof(err)), 0);
	assert_int_equal(fsyncs, 0);
	assert_int_equal(fileio_load(path, AW_FILE_MAX, &buf, &len, err,
	    sizeof(err)), 0);
	line = "seen 2025-01-11T01:00:00Z keys 20326 38696 signing 20326\n";
	assert_int_equal(len, (size_t)size + strlen(line));
	assert_memory_equal(buf + size, line, strlen(line));
	free(buf);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_same(&back, &h);
	assert_int_equal(back.nseen, 1);

	/* The same second again: nothing to write. */
	old = back;
	state_update(&h, &rv, T0 + 3600);
	assert_int_equal(state_save(path, &old, &h, err, sizeof(err)), 0);
	assert_int_equal(file_size(path), size + (off_t)strlen(line));

	/* KSK-2024 seen alone, not signing: only its sighting. */
	view(0, 0, 0, 1, 0);
	state_update(&h, &rv, T0 + 7200);
	assert_int_equal(state_save(path, &old, &h, err, sizeof(err)), 0);
	assert_int_equal(state_load(path, &back, err, sizeof(err)), 0);
	assert_same(&back, &h);
	assert_int_equal(back.nseen, 2);
	assert_int_equal(entry(20326)->last_seen, T0 + 3600);

	/* The roll: KSK-2024's first signature is new, the file whole. */
	old = back;
	view(1, 0, 0, 1, 1);
	state_update(&h, &rv, T0 + 10800);
	save_read(path, &old, 1, &back);
	assert_int_equal(back.nseen, 0);
	assert_int_equal(entry(38696)->first_signing, T0 + 10800);
	unlink(path);
}

/* STATE_SEEN_MAX lines, and the next run writes the file whole. */
static void
test_append_folds(void **state)
{
	static struct history old;
	char path[] = "/tmp/aw-state.XXXXXX";
	off_t size;
	int i;

	(void)state;
	tmp_path(path);
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 1);
	state_update(&h, &rv, T0);
	assert_int_equal(state_save(path, NULL, &h, err, sizeof(err)), 0);
	size = file_size(path);
	for (i = 1; i <= 129; i++) {
		assert_int_equal(state_load(path, &old, err, sizeof(err)), 0);
		assert_int_equal(old.nseen, i - 1);
		h = old;
		state_update(&h, &rv, T0 + i * 60);
		fsyncs = 0;
		assert_int_equal(state_save(path, &old, &h, err, sizeof(err)),
		    0);
		assert_int_equal(fsyncs, i == 129);
	}
	assert_int_equal(state_load(path, &old, err, sizeof(err)), 0);
	assert_int_equal(old.nseen, 0);
	assert_int_equal(file_size(path), size);
	assert_same(&old, &h);
	assert_int_equal(old.last_run, T0 + 129 * 60);
	unlink(path);
}

/*
 * A run ended while appending: a last line without its newline (zeros
 * where a crash lost the data) is left out, and the next save writes the
 * file whole instead of appending after it.  A NUL byte in a line the
 * agent wrote whole is an error naming the line.
 */
static void
test_torn_tail(void **state)
{
	static struct history old, back;
	static const char *tails[] = { "seen 2025-01-1", "se", "\0\0\0\0\0" };
	char path[] = "/tmp/aw-state.XXXXXX", text[8192];
	size_t i, len;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/aw-state.XXXXXX");
		tmp_path(path);
		memset(&h, 0, sizeof(h));
		view(1, 0, 1, 1, 0);
		state_update(&h, &rv, T0);
		assert_int_equal(state_save(path, NULL, &h, err, sizeof(err)),
		    0);
		assert_non_null(f = fopen(path, "a"));
		assert_int_equal(fwrite(tails[i], 1, i == 2 ? 5 :
		    strlen(tails[i]), f), i == 2 ? 5 : strlen(tails[i]));
		fclose(f);
		assert_int_equal(state_load(path, &old, err, sizeof(err)), 0);
		assert_int_equal(old.torn, 1);
		assert_same(&old, &h);
		h = old;
		state_update(&h, &rv, T0 + 60);
		save_read(path, &old, 1, &back);	/* whole */
		assert_int_equal(back.torn, 0);
		unlink(path);
	}
	len = (size_t)snprintf(text, sizeof(text), "anchorwatch-history 1\n"
	    "last-run 2025-01-11T00:00:00Z\n");
	text[10] = '\0';
	assert_int_equal(state_parse("h", text, len, &back, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "h:1: NUL byte in file");
}

/* The file changed since it was read (another writer, an editor): no
 * append to what this run did not read; the file is written whole. */
static void
test_append_stale(void **state)
{
	static struct history old, back;
	char path[] = "/tmp/aw-state.XXXXXX";
	FILE *f;

	(void)state;
	tmp_path(path);
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	state_update(&h, &rv, T0);
	assert_int_equal(state_save(path, NULL, &h, err, sizeof(err)), 0);
	assert_int_equal(state_load(path, &old, err, sizeof(err)), 0);
	assert_non_null(f = fopen(path, "a"));
	fputs("# a note\n", f);
	fclose(f);
	errno = 0;
	assert_int_equal(fileio_append(path, "x\n", 2, old.size), -1);
	assert_int_equal(errno, ESTALE);
	h = old;
	state_update(&h, &rv, T0 + 60);
	save_read(path, &old, 1, &back);
	unlink(path);
}

static void
test_hostile(void **state)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *why;
	} bad[] = {
		{ "anchorwatch-history 2\n", 1, "not an anchorwatch history" },
		{ "", 1, "empty history" },
		{ "anchorwatch-history 1\nlast-run yesterday\n", 2,
		    "malformed last-run" },
		{ "anchorwatch-history 1\nkey 1 2 3\n", 2, "malformed key" },
		{ "anchorwatch-history 1\n\nkey 20326 257 8 first "
		    "2017-07-11T00:00:00Z last 2017-07-10T00:00:00Z signing - - "
		    "revoked - AwEAAaz=\n", 3, "" },
		{ "anchorwatch-history 1\nkey 1 257 8 first 2017-07-11T00:00:00Z "
		    "last 2018-01-01T00:00:00Z signing - - revoked - "
		    "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4R"
		    "gWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNRO"
		    "xVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8ef"
		    "S3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL"
		    "3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm"
		    "+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=\n", 2,
		    "does not match the key" },
		{ "anchorwatch-history 1\nkey 20326 257 8 first 1999-01-01T00:00:00Z "
		    "last 2018-01-01T00:00:00Z signing - - revoked - X\n", 2,
		    "" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys 20326 "
		    "signing -\n", 2, "key tag 20326 names no key above" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys - "
		    "signing - -\n", 2, "malformed key tag \"-\"" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys -\n",
		    2, "malformed seen line" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z signing -\n",
		    2, "malformed seen line" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys "
		    "signing -\n", 2, "malformed seen line" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys - "
		    "signing\n", 2, "malformed seen line" },
		{ "anchorwatch-history 1\nseen 2009-01-11T00:00:00Z keys - "
		    "signing -\n", 2, "malformed time" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys - "
		    "signing -\nkey 1 2 3\n", 3, "after the seen lines" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys 99999 "
		    "signing -\n", 2, "malformed key tag" },
		{ "anchorwatch-history 1\nseen 2025-01-11T00:00:00Z keys +1 "
		    "signing -\n", 2, "malformed key tag" },
	};
	char buf[4096], prefix[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i].text);
		assert_int_equal(state_parse("h", buf, strlen(buf), &h, err,
		    sizeof(err)), -1);
		snprintf(prefix, sizeof(prefix), "h:%u: ", bad[i].line);
		if (strncmp(err, prefix, strlen(prefix)) != 0 ||
		    strstr(err, bad[i].why) == NULL)
			fail_msg("case %zu: %s", i, err);
	}
}

/* "seen" lines against real key lines: a key seen signing must be seen,
 * and a tag must name one key. */
static void
test_seen_hostile(void **state)
{
	char *buf, text[8192];
	size_t len;

	(void)state;
	memset(&h, 0, sizeof(h));
	view(1, 0, 1, 1, 0);
	state_update(&h, &rv, T0);
	state_format(&h, &buf, &len);
	snprintf(text, sizeof(text), "%sseen 2025-01-12T00:00:00Z keys 20326 "
	    "signing 38696\n", buf);
	assert_int_equal(state_parse("h", text, strlen(text), &h, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "h:6: key tag 38696 signing but not seen");
	snprintf(text, sizeof(text), "%sseen 2025-01-12T00:00:00Z keys 20326 "
	    "38696 signing 38696\n", buf);
	assert_int_equal(state_parse("h", text, strlen(text), &h, err,
	    sizeof(err)), 0);
	assert_int_equal(entry(38696)->first_signing, T0 + DAY);
	assert_int_equal(entry(20326)->last_seen, T0 + DAY);
	assert_int_equal(h.nseen, 1);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_compliant_trust),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_insecure_not_recorded),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_append_folds),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_append_stale),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_seen_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
