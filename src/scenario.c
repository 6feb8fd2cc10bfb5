/*
 * scenario.c: read a replay scenario (etc/anchorwatch/scenarios/).
 *
 * A scenario is anchorwatch's own YAML file: the root's key-signing keys
 * by name, a dated sequence of root DNSKEY sets (which keys are
 * published, with which flags, and which of them sign), and resolver
 * profiles.  replay.c plays it.  The file is untrusted input: size-capped,
 * walked by yamlwalk.c in its strict mode (no aliases, anchors, tags,
 * unknown or duplicate keys), dates by date.c, bounded counts, and
 * "FILE:LINE: problem" errors.
 *
 *   name: the 2024-2027 roll
 *   ttl: 172800                  # the root DNSKEY TTL, default 2 days
 *   end: 2027-06-01              # default: the last step
 *   keys: { ksk2017: ". IN DNSKEY 257 3 8 ...", ... }
 *   steps:
 *     - date: 2024-01-11T00:00   # YYYY-MM-DD[(T| )HH:MM[:SS]][Z]
 *       note: KSK-2024 published
 *       assumed: false
 *       keys: [ksk2017, {key: ksk2024, flags: 385}]
 *       sign: [ksk2017]
 *   profiles:
 *     - name: compliant          # kind: rfc5011 (default), static,
 *       kind: rfc5011            #   unwritable
 *       type: unbound            # the reader's type, default unbound
 *       variant: unbound         # rfc, unbound or knot RFC 5011 rules
 *       start: 2017-01-01
 *       anchors: [ksk2017]
 *       offline_from: 2018-09-01 # with offline_days: no probes then
 *       offline_days: 60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define SCN_DEPTH_MAX 5		/* top > steps > step > keys > key */
#define SCN_SHOW_MAX 40
#define SCN_DAYS_MAX 3660
#define SCN_YEAR_END 4133980800LL	/* 2101-01-01: dates before it */
#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A date value, not before the root was signed, not after 2100. */
static int
scenario_time(struct yamlwalk *w, const struct yaml_node_s *v, long long *out)
{
	char s[32], show[SCN_SHOW_MAX + 8];

	if (yamlwalk_string(w, v, s, sizeof(s)) == -1)
		return -1;
	if (date_parse(s, strlen(s), DATE_LOOSE, out) == -1 ||
	    *out >= SCN_YEAR_END)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "a UTC date (YYYY-MM-DD[THH:MM[:SS]][Z])", yamlwalk_key(w),
		    yamlwalk_show(show, sizeof(show), s, strlen(s)));
	if (*out < RFC5011_CLOCK_MIN)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: %s is before "
		    "the root was signed (2010-07-15)", yamlwalk_key(w), s);
	return 0;
}

/* A key name of keys: into *idx. */
static int
scenario_keyref(struct yamlwalk *w, const struct yaml_node_s *v,
    const struct scenario *s, size_t *idx)
{
	char name[SCN_NAME_MAX + 8], show[SCN_SHOW_MAX + 8];
	size_t i;

	if (yamlwalk_string(w, v, name, sizeof(name)) == -1)
		return -1;
	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, name) == 0) {
			*idx = i;
			return 0;
		}
	return yamlwalk_error(w, yamlwalk_line(v), "%s: no key \"%s\" in "
	    "keys:", yamlwalk_key(w), yamlwalk_show(show, sizeof(show), name,
	    strlen(name)));
}

/* keys: name: "DNSKEY record", one pair. */
static int
scenario_key(struct yamlwalk *w, const struct yaml_node_s *k,
    const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;
	struct scn_key *key;
	struct anchor a;
	char text[2048], err[AW_ERR_MAX];
	size_t i;

	if (s->nkeys == SCN_KEYS_MAX)
		return yamlwalk_error(w, yamlwalk_line(k), "keys: more than %d",
		    SCN_KEYS_MAX);
	key = &s->keys[s->nkeys];
	key->line = yamlwalk_line(k);
	yamlwalk_set_key(w, "keys: name");
	if (yamlwalk_string(w, k, key->name, sizeof(key->name)) == -1)
		return -1;
	if (key->name[0] == '\0' || strspn(key->name, "abcdefghijklmnop"
	    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(key->name))
		return yamlwalk_error(w, key->line, "keys: a name is 1-31 of "
		    "A-Z a-z 0-9 _ -");
	for (i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i].name, key->name) == 0)
			return yamlwalk_error(w, key->line, "keys: duplicate "
			    "name \"%s\"", key->name);
	yamlwalk_set_key(w, "keys");
	if (yamlwalk_string(w, v, text, sizeof(text)) == -1)
		return -1;
	if (keyset_parse_rr(text, &a, err, sizeof(err)) != 1 || a.is_ds)
		return yamlwalk_error(w, yamlwalk_line(v), "keys: %s: expected "
		    "a root DNSKEY record%s%s", key->name, err[0] ? ": " : "",
		    err[0] ? err : "");
	key->key = a.key;
	s->nkeys++;
	return 0;
}

static int
scenario_keys(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;

	if (yamlwalk_pairs(w, v, "keys", scenario_key, s) == -1)
		return -1;
	if (s->nkeys == 0)
		return yamlwalk_error(w, yamlwalk_line(v), "keys: no key");
	return 0;
}

uint16_t
scenario_tag(const struct dnskey *k, uint16_t flags)
{
	struct dnskey c = *k;
	unsigned char rd[AW_KEY_MAX + 4];
	int len;

	c.flags = flags;
	len = keyset_dnskey_rdata(&c, rd, sizeof(rd));
	return len > 0 ? keyset_tag(rd, (size_t)len) : 0;
}

/* What a step's keys and the keys: of a {key:, flags:} item read into. */
struct scenario_stepref {
	struct scenario *s;
	struct scn_step *st;
	struct scn_pub *p;
};

static int
scenario_pub_key(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario_stepref *r = arg;

	return scenario_keyref(w, v, r->s, &r->p->key);
}

static int
scenario_pub_flags(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario_stepref *r = arg;
	unsigned n;

	if (yamlwalk_uint(w, v, 0, 65535, &n) == -1)
		return -1;
	r->p->flags = (uint16_t)n;
	return 0;
}

static const struct yamlwalk_key scenario_pub_keys[] = {
	{ "key", scenario_pub_key, YWF_FUNC, 0, 0, 0 },
	{ "flags", scenario_pub_flags, YWF_FUNC, 0, 0, 0 },
};

/* One item of a step's keys: a name, or {key: name, flags: N}. */
static int
scenario_pubkey(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario_stepref *r = arg;
	struct scn_step *st = r->st;
	unsigned line = yamlwalk_line(v);
	struct scn_pub *p;

	if (st->npub == AW_RRSET_MAX)
		return yamlwalk_error(w, line, "keys: more than %d",
		    AW_RRSET_MAX);
	p = r->p = &st->pub[st->npub];
	p->key = SIZE_MAX;
	p->flags = 0;
	if (yamlwalk_type(v) == YW_SCALAR) {
		if (scenario_keyref(w, v, r->s, &p->key) == -1)
			return -1;
		p->flags = r->s->keys[p->key].key.flags;
	} else if (yamlwalk_type(v) == YW_MAPPING) {
		if (yamlwalk_map(w, v, "a step's key", "keys: ",
		    scenario_pub_keys, NITEMS(scenario_pub_keys), r) == -1)
			return -1;
		if (p->key == SIZE_MAX)
			return yamlwalk_error(w, line, "keys: an entry needs "
			    "key:");
		if (p->flags == 0)
			p->flags = r->s->keys[p->key].key.flags;
	} else
		return yamlwalk_error(w, line, "keys: expected a name or a "
		    "mapping");
	st->npub++;
	return 0;
}

/* Where a list of key names goes. */
struct scenario_keylist {
	const struct scenario *s;
	size_t *idx, max, *n;
};

static int
scenario_keylist_item(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct scenario_keylist *l = arg;

	if (yamlwalk_expect(w, v, YW_SCALAR) == -1)
		return -1;
	if (*l->n == l->max)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %zu",
		    yamlwalk_key(w), l->max);
	if (scenario_keyref(w, v, l->s, &l->idx[*l->n]) == -1)
		return -1;
	(*l->n)++;
	return 0;
}

/* A sequence of key names into idx[], at most max. */
static int
scenario_keylist(struct yamlwalk *w, const struct yaml_node_s *v,
    const struct scenario *s, size_t *idx, size_t max, size_t *n)
{
	struct scenario_keylist l = { s, idx, max, n };

	*n = 0;
	return yamlwalk_seq(w, v, scenario_keylist_item, &l);
}

static int
scenario_step_date(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return scenario_time(w, v, &((struct scenario_stepref *)arg)->st->when);
}

static int
scenario_step_note(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scn_step *st = ((struct scenario_stepref *)arg)->st;

	return yamlwalk_string(w, v, st->note, sizeof(st->note));
}

static int
scenario_step_assumed(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct scn_step *st = ((struct scenario_stepref *)arg)->st;

	return yamlwalk_bool(w, v, &st->assumed);
}

static int
scenario_step_keys(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_seq(w, v, scenario_pubkey, arg);
}

static int
scenario_step_sign(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario_stepref *r = arg;

	return scenario_keylist(w, v, r->s, r->st->sign, AW_RRSET_MAX,
	    &r->st->nsign);
}

static const struct yamlwalk_key scenario_step_keys_tab[] = {
	{ "date", scenario_step_date, YWF_FUNC, 0, 0, 0 },
	{ "note", scenario_step_note, YWF_FUNC, 0, 0, 0 },
	{ "assumed", scenario_step_assumed, YWF_FUNC, 0, 0, 0 },
	{ "keys", scenario_step_keys, YWF_FUNC, 0, 0, 0 },
	{ "sign", scenario_step_sign, YWF_FUNC, 0, 0, 0 },
};

/* Check a step just read: dated after the previous one, signers
 * published, a key published once. */
static int
scenario_check_step(struct yamlwalk *w, const struct scenario *s,
    const struct scn_step *st)
{
	size_t i, j;

	if (st->when == 0)
		return yamlwalk_error(w, st->line, "step has no date");
	if (s->nsteps > 0 && st->when <= s->steps[s->nsteps - 1].when)
		return yamlwalk_error(w, st->line, "step is not after the one "
		    "before");
	if (st->npub == 0 || st->nsign == 0)
		return yamlwalk_error(w, st->line, "step needs keys: and "
		    "sign:");
	for (i = 0; i < st->npub; i++)
		for (j = i + 1; j < st->npub; j++)
			if (st->pub[i].key == st->pub[j].key)
				return yamlwalk_error(w, st->line, "key %s is "
				    "published twice",
				    s->keys[st->pub[i].key].name);
	for (i = 0; i < st->nsign; i++) {
		for (j = 0; j < st->npub && st->pub[j].key != st->sign[i]; j++)
			;
		if (j == st->npub)
			return yamlwalk_error(w, st->line, "key %s signs but "
			    "is not published", s->keys[st->sign[i]].name);
	}
	return 0;
}

static int
scenario_step(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;
	struct scenario_stepref r = { s, NULL, NULL };

	if (yamlwalk_type(v) != YW_MAPPING)
		return yamlwalk_error(w, yamlwalk_line(v), "steps: expected a "
		    "mapping");
	if (s->nsteps == SCN_STEPS_MAX)
		return yamlwalk_error(w, yamlwalk_line(v), "steps: more than "
		    "%d", SCN_STEPS_MAX);
	r.st = &s->steps[s->nsteps];
	memset(r.st, 0, sizeof(*r.st));
	r.st->line = yamlwalk_line(v);
	if (yamlwalk_map(w, v, "a step", "", scenario_step_keys_tab,
	    NITEMS(scenario_step_keys_tab), &r) == -1 ||
	    scenario_check_step(w, s, r.st) == -1)
		return -1;
	s->nsteps++;
	return 0;
}

static int
scenario_steps(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;

	if (s->nkeys == 0)
		return yamlwalk_error(w, yamlwalk_key_line(w), "steps: keys: "
		    "must come first");
	if (yamlwalk_seq(w, v, scenario_step, s) == -1)
		return -1;
	if (s->nsteps == 0)
		return yamlwalk_error(w, yamlwalk_line(v), "steps: no step");
	return 0;
}

/* What a profile's keys read into. */
struct scenario_profref {
	struct scenario *s;
	struct scn_profile *p;
};

static int
scenario_prof_name(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scn_profile *p = ((struct scenario_profref *)arg)->p;

	if (yamlwalk_string(w, v, p->name, sizeof(p->name)) == -1)
		return -1;
	if (p->name[0] == '\0' || strspn(p->name, "abcdefghijklmnop"
	    "qrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    strlen(p->name))
		return yamlwalk_error(w, yamlwalk_line(v), "name: 1-63 of A-Z "
		    "a-z 0-9 . _ -");
	return 0;
}

static int
scenario_prof_kind(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	static const char *const kinds[] = { "rfc5011", "static",
	    "unwritable" };
	size_t i;

	if (yamlwalk_enum(w, v, kinds, NITEMS(kinds), "profile kind", &i) ==
	    -1)
		return -1;
	((struct scenario_profref *)arg)->p->kind = (enum prof_kind)i;
	return 0;
}

static int
scenario_prof_type(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scn_profile *p = ((struct scenario_profref *)arg)->p;
	char show[SCN_SHOW_MAX + 8];

	if (yamlwalk_string(w, v, p->type, sizeof(p->type)) == -1)
		return -1;
	if (reader_find(p->type) == NULL)
		return yamlwalk_error(w, yamlwalk_line(v), "type: unknown "
		    "resolver type \"%s\"", yamlwalk_show(show, sizeof(show),
		    p->type, strlen(p->type)));
	return 0;
}

static int
scenario_prof_variant(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct scn_profile *p = ((struct scenario_profref *)arg)->p;
	char s[AW_NAME_MAX], show[SCN_SHOW_MAX + 8];

	if (yamlwalk_string(w, v, s, sizeof(s)) == -1)
		return -1;
	if (rfc5011_variant_from_name(s, &p->variant) == -1)
		return yamlwalk_error(w, yamlwalk_line(v), "variant: \"%s\" is "
		    "not rfc, unbound or knot", yamlwalk_show(show,
		    sizeof(show), s, strlen(s)));
	p->have_variant = 1;
	return 0;
}

static int
scenario_prof_start(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return scenario_time(w, v, &((struct scenario_profref *)arg)->p->start);
}

static int
scenario_prof_anchors(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct scenario_profref *r = arg;

	return scenario_keylist(w, v, r->s, r->p->anchors, SCN_KEYS_MAX,
	    &r->p->nanchors);
}

static int
scenario_prof_off_from(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct scn_profile *p = ((struct scenario_profref *)arg)->p;

	return scenario_time(w, v, &p->off_from);
}

static int
scenario_prof_off_days(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	return yamlwalk_uint(w, v, 1, SCN_DAYS_MAX,
	    &((struct scenario_profref *)arg)->p->off_days);
}

static const struct yamlwalk_key scenario_prof_keys[] = {
	{ "name", scenario_prof_name, YWF_FUNC, 0, 0, 0 },
	{ "kind", scenario_prof_kind, YWF_FUNC, 0, 0, 0 },
	{ "type", scenario_prof_type, YWF_FUNC, 0, 0, 0 },
	{ "variant", scenario_prof_variant, YWF_FUNC, 0, 0, 0 },
	{ "start", scenario_prof_start, YWF_FUNC, 0, 0, 0 },
	{ "anchors", scenario_prof_anchors, YWF_FUNC, 0, 0, 0 },
	{ "offline_from", scenario_prof_off_from, YWF_FUNC, 0, 0, 0 },
	{ "offline_days", scenario_prof_off_days, YWF_FUNC, 0, 0, 0 },
};

/* Defaults and checks of a profile just read. */
static int
scenario_check_profile(struct yamlwalk *w, const struct scenario *s,
    struct scn_profile *p)
{
	size_t i;

	if (p->name[0] == '\0' || p->nanchors == 0)
		return yamlwalk_error(w, p->line, "profile needs name: and "
		    "anchors:");
	for (i = 0; i < s->nprof; i++)
		if (strcmp(s->prof[i].name, p->name) == 0)
			return yamlwalk_error(w, p->line, "duplicate profile "
			    "name \"%s\"", p->name);
	if ((p->off_from != 0) != (p->off_days != 0))
		return yamlwalk_error(w, p->line, "offline_from and "
		    "offline_days go together");
	if (p->off_from != 0 && p->kind != PK_RFC5011)
		return yamlwalk_error(w, p->line, "offline is for kind "
		    "rfc5011");
	if (p->type[0] == '\0')
		snprintf(p->type, sizeof(p->type), "%s",
		    reader_default()->type);
	if (!p->have_variant)	/* the type was checked when it was read */
		p->variant = (enum rfc5011_variant)
		    reader_find(p->type)->variant;
	return 0;
}

static int
scenario_profile(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;
	struct scenario_profref r = { s, NULL };

	if (yamlwalk_type(v) != YW_MAPPING)
		return yamlwalk_error(w, yamlwalk_line(v), "profiles: expected "
		    "a mapping");
	if (s->nprof == SCN_PROFILES_MAX)
		return yamlwalk_error(w, yamlwalk_line(v), "profiles: more "
		    "than %d", SCN_PROFILES_MAX);
	r.p = &s->prof[s->nprof];
	memset(r.p, 0, sizeof(*r.p));
	r.p->line = yamlwalk_line(v);
	if (yamlwalk_map(w, v, "a profile", "", scenario_prof_keys,
	    NITEMS(scenario_prof_keys), &r) == -1 ||
	    scenario_check_profile(w, s, r.p) == -1)
		return -1;
	s->nprof++;
	return 0;
}

static int
scenario_profiles(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;

	if (s->nkeys == 0)
		return yamlwalk_error(w, yamlwalk_key_line(w), "profiles: "
		    "keys: must come first");
	if (yamlwalk_seq(w, v, scenario_profile, s) == -1)
		return -1;
	if (s->nprof == 0)
		return yamlwalk_error(w, yamlwalk_line(v), "profiles: no "
		    "profile");
	return 0;
}

static int
scenario_name(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct scenario *s = arg;

	return yamlwalk_string(w, v, s->name, sizeof(s->name));
}

static int
scenario_ttl(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	unsigned n;

	if (yamlwalk_uint(w, v, 1, 2147483647U, &n) == -1)
		return -1;
	((struct scenario *)arg)->ttl = n;
	return 0;
}

static int
scenario_end(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return scenario_time(w, v, &((struct scenario *)arg)->end);
}

static const struct yamlwalk_key scenario_top_keys[] = {
	{ "name", scenario_name, YWF_FUNC, 0, 0, 0 },
	{ "ttl", scenario_ttl, YWF_FUNC, 0, 0, 0 },
	{ "end", scenario_end, YWF_FUNC, 0, 0, 0 },
	{ "keys", scenario_keys, YWF_FUNC, 0, 0, 0 },
	{ "steps", scenario_steps, YWF_FUNC, 0, 0, 0 },
	{ "profiles", scenario_profiles, YWF_FUNC, 0, 0, 0 },
};

/* The document: a mapping with the top-level keys, then the checks of
 * the whole. */
static int
scenario_document(struct yamlwalk *w, struct scenario *s)
{
	const struct yaml_node_s *top = yamlwalk_root(w);
	unsigned end = yamlwalk_end_line(w);

	if (top == NULL)
		return yamlwalk_error(w, end, "the file is empty");
	if (yamlwalk_top(w, scenario_top_keys, NITEMS(scenario_top_keys),
	    s) == -1)
		return -1;
	if (s->nsteps == 0 || s->nprof == 0)
		return yamlwalk_error(w, end, "the scenario needs steps: and "
		    "profiles:");
	if (s->end == 0)
		s->end = s->steps[s->nsteps - 1].when;
	if (s->end < s->steps[s->nsteps - 1].when)
		return yamlwalk_error(w, end, "end: is before the last step");
	if (s->ttl == 0)
		s->ttl = 172800;
	return 0;
}

int
scenario_load(const char *path, struct scenario *s, char *err,
    size_t errlen)
{
	struct yamlwalk *w;
	char *buf = NULL;
	size_t len = 0;
	int rv = -1;

	s->path = path;
	if (fileio_load_text(path, &buf, &len, err, errlen) == -1)
		return -1;
	w = yamlwalk_open(path, buf, len, YW_OWN, SCN_DEPTH_MAX, err, errlen);
	if (w != NULL)
		rv = scenario_document(w, s);
	yamlwalk_free(w);
	free(buf);
	return rv;
}
