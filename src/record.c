/*
 * record.c: the recorded result, state_dir/last-run.json.
 *
 * `run` (the timer, with the privileges it needs) writes it atomically at
 * the end of every run, an UNKNOWN one included; check_anchorwatch run
 * by the monitoring user reads it back.  json-c writes, escapes and
 * parses it.  Reading treats the file as untrusted: whoever could write
 * state_dir could write it, so every field is checked for type, range
 * and length, and a record that fails is refused whole, naming the file.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw-summary.h"
#include "lazy-json.h"

#define REC_FINDINGS_MAX 4096

/* ---- writing ------------------------------------------------------------ */

static json_object *
rec_tags(const uint16_t *tags, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(tags[i]));
	return a;
}

static json_object *
rec_root(const struct summary *s)
{
	json_object *o = json_object_new_object(), *a, *k;
	size_t i;

	json_object_object_add(o, "secure",
	    json_object_new_boolean(s->root_secure));
	json_object_object_add(o, "why", json_object_new_string(s->root_why));
	json_object_object_add(o, "signers",
	    json_object_new_int64((int64_t)s->nsigners));
	a = json_object_new_array();
	for (i = 0; i < s->nkeys; i++) {
		k = json_object_new_object();
		json_object_object_add(k, "keytag",
		    json_object_new_int(s->keys[i].tag));
		json_object_object_add(k, "algorithm",
		    json_object_new_int(s->keys[i].alg));
		json_object_object_add(k, "flags",
		    json_object_new_int(s->keys[i].flags));
		json_object_object_add(k, "signing",
		    json_object_new_boolean(s->keys[i].signing));
		json_object_object_add(k, "revoked",
		    json_object_new_boolean(s->keys[i].revoked));
		json_object_object_add(k, "agent_state",
		    json_object_new_string(s->keys[i].agent_state));
		json_object_array_add(a, k);
	}
	json_object_object_add(o, "keys", a);
	return o;
}

static json_object *
rec_resolvers(const struct summary *s)
{
	json_object *a = json_object_new_array(), *o;
	const struct sum_resolver *r;
	size_t i;

	for (i = 0; i < s->nres; i++) {
		r = &s->res[i];
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "type", json_object_new_string(r->type));
		json_object_object_add(o, "ntrusted",
		    json_object_new_int(r->ntrusted));
		json_object_object_add(o, "trusted", rec_tags(r->trusted,
		    r->ntags));
		json_object_object_add(o, "probe_age", r->probe_age >= 0 ?
		    json_object_new_int64(r->probe_age) : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
rec_findings(const struct summary *s)
{
	json_object *a = json_object_new_array(), *o;
	const struct finding *f;
	size_t i;

	for (i = 0; i < s->rep.n; i++) {
		f = &s->rep.f[i];
		o = json_object_new_object();
		json_object_object_add(o, "code",
		    json_object_new_string(detect_code_name(f->code)));
		json_object_object_add(o, "severity",
		    json_object_new_string(detect_sev_name(f->sev)));
		json_object_object_add(o, "resolver",
		    json_object_new_string(f->resolver));
		json_object_object_add(o, "keytags", rec_tags(f->tags,
		    f->ntags));
		json_object_object_add(o, "message",
		    json_object_new_string(f->message));
		json_object_object_add(o, "value",
		    json_object_new_int64(f->value));
		json_object_array_add(a, o);
	}
	return a;
}

int
record_write(const char *state_dir, const struct summary *s, char *err,
    size_t errlen)
{
	json_object *top = json_object_new_object(), *o;
	char path[AW_PATH_MAX + 32], *nl;
	const char *text;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", state_dir, SUM_RECORD_NAME);
	json_object_object_add(top, "version",
	    json_object_new_int(SUM_RECORD_VERSION));
	json_object_object_add(top, "program",
	    json_object_new_string("anchorwatch " AW_VERSION));
	json_object_object_add(top, "time", json_object_new_int64(s->time));
	json_object_object_add(top, "written",
	    json_object_new_int64(s->written));
	json_object_object_add(top, "duration",
	    json_object_new_double(s->duration));
	o = NULL;
	if (s->unknown[0] != '\0') {
		o = json_object_new_object();
		json_object_object_add(o, "code",
		    json_object_new_string(s->unknown_code));
		json_object_object_add(o, "message",
		    json_object_new_string(s->unknown));
	}
	json_object_object_add(top, "unknown", o);
	json_object_object_add(top, "root", rec_root(s));
	o = NULL;
	if (s->next_when > 0) {
		o = json_object_new_object();
		json_object_object_add(o, "id",
		    json_object_new_string(s->next_id));
		json_object_object_add(o, "name",
		    json_object_new_string(s->next_name));
		json_object_object_add(o, "time",
		    json_object_new_int64(s->next_when));
	}
	json_object_object_add(top, "next_event", o);
	o = NULL;
	if (s->storm_measured) {
		o = json_object_new_object();
		json_object_object_add(o, "rate",
		    json_object_new_double(s->storm_rate));
		json_object_object_add(o, "warn",
		    json_object_new_int64(s->storm_warn));
		json_object_object_add(o, "critical",
		    json_object_new_int64(s->storm_crit));
	}
	json_object_object_add(top, "storm", o);
	json_object_object_add(top, "resolvers", rec_resolvers(s));
	json_object_object_add(top, "findings", rec_findings(s));
	text = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		fatalx("out of memory");
	if ((nl = malloc(strlen(text) + 2)) == NULL)
		fatalx("out of memory");
	snprintf(nl, strlen(text) + 2, "%s\n", text);
	rc = fileio_write_atomic(path, nl, strlen(nl), err, errlen);
	free(nl);
	json_object_put(top);
	return rc;
}

void
record_unknown(const char *state_dir, const char *label, const char *msg)
{
	struct summary s;
	char err[AW_ERR_MAX];

	memset(&s, 0, sizeof(s));
	s.time = s.written = time(NULL);
	snprintf(s.unknown_code, sizeof(s.unknown_code), "%s",
	    label ? label : "");
	snprintf(s.unknown, sizeof(s.unknown), "%s", msg);
	if (record_write(state_dir, &s, err, sizeof(err)) == -1)
		log_warnx("%s", err);
}

/* ---- reading ------------------------------------------------------------ */

struct rec_in {
	const char *path;
	char *err;
	size_t errlen;
};

static int
rec_bad(struct rec_in *in, const char *what)
{
	snprintf(in->err, in->errlen, "%s: not a record of anchorwatch: %s",
	    in->path, what);
	return -1;
}

/* Member key of o of type t (NULL allowed when nullable). */
static int
rec_get(struct rec_in *in, json_object *o, const char *key, json_type t,
    int nullable, json_object **out)
{
	char what[96];

	*out = NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, out)) {
		snprintf(what, sizeof(what), "\"%s\" missing", key);
		return rec_bad(in, what);
	}
	if (*out == NULL && nullable)
		return 0;
	if (!json_object_is_type(*out, t) && !(t == json_type_double &&
	    json_object_is_type(*out, json_type_int))) {
		snprintf(what, sizeof(what), "\"%s\" has the wrong type", key);
		return rec_bad(in, what);
	}
	return 0;
}

static int
rec_str(struct rec_in *in, json_object *o, const char *key, char *buf,
    size_t len)
{
	json_object *v;
	char what[96];

	if (rec_get(in, o, key, json_type_string, 0, &v) == -1)
		return -1;
	if ((size_t)json_object_get_string_len(v) >= len ||
	    memchr(json_object_get_string(v), '\0',
	    (size_t)json_object_get_string_len(v)) != NULL) {
		snprintf(what, sizeof(what), "\"%s\" too long", key);
		return rec_bad(in, what);
	}
	memcpy(buf, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v) + 1);
	return 0;
}

static int
rec_int(struct rec_in *in, json_object *o, const char *key, long long lo,
    long long hi, long long *out)
{
	json_object *v;
	char what[96];

	if (rec_get(in, o, key, json_type_int, 0, &v) == -1)
		return -1;
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno != 0 || *out < lo || *out > hi) {
		snprintf(what, sizeof(what), "\"%s\" out of range", key);
		return rec_bad(in, what);
	}
	return 0;
}

static int
rec_tags_in(struct rec_in *in, json_object *o, const char *key,
    uint16_t *tags, size_t max, size_t *n)
{
	json_object *a;
	long long v;
	size_t i;

	if (rec_get(in, o, key, json_type_array, 0, &a) == -1)
		return -1;
	if (json_object_array_length(a) > max)
		return rec_bad(in, "too many key tags");
	*n = 0;
	for (i = 0; i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);

		if (!json_object_is_type(e, json_type_int) ||
		    (v = json_object_get_int64(e)) < 0 || v > 65535)
			return rec_bad(in, "a key tag is not 0..65535");
		tags[(*n)++] = (uint16_t)v;
	}
	return 0;
}

static int
rec_bool(struct rec_in *in, json_object *o, const char *key, int *out)
{
	json_object *v;

	if (rec_get(in, o, key, json_type_boolean, 0, &v) == -1)
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

static int
rec_root_in(struct rec_in *in, json_object *top, struct summary *s)
{
	json_object *root, *a, *k;
	struct sum_key *o;
	long long v;
	size_t i;

	if (rec_get(in, top, "root", json_type_object, 0, &root) == -1 ||
	    rec_bool(in, root, "secure", &s->root_secure) == -1 ||
	    rec_str(in, root, "why", s->root_why, sizeof(s->root_why)) == -1 ||
	    rec_int(in, root, "signers", 0, AW_RRSET_MAX, &v) == -1 ||
	    rec_get(in, root, "keys", json_type_array, 0, &a) == -1)
		return -1;
	s->nsigners = (size_t)v;
	if (json_object_array_length(a) > AW_RRSET_MAX)
		return rec_bad(in, "too many root keys");
	for (i = 0; i < json_object_array_length(a); i++) {
		k = json_object_array_get_idx(a, i);
		o = &s->keys[s->nkeys++];
		if (rec_int(in, k, "keytag", 0, 65535, &v) == -1)
			return -1;
		o->tag = (uint16_t)v;
		if (rec_int(in, k, "algorithm", 0, 255, &v) == -1)
			return -1;
		o->alg = (uint8_t)v;
		if (rec_int(in, k, "flags", 0, 65535, &v) == -1)
			return -1;
		o->flags = (uint16_t)v;
		if (rec_bool(in, k, "signing", &o->signing) == -1 ||
		    rec_bool(in, k, "revoked", &o->revoked) == -1 ||
		    rec_str(in, k, "agent_state", o->agent_state,
		    sizeof(o->agent_state)) == -1)
			return -1;
	}
	return 0;
}

static int
rec_resolvers_in(struct rec_in *in, json_object *top, struct summary *s)
{
	json_object *a, *e, *v;
	struct sum_resolver *r;
	long long n;
	size_t i;

	if (rec_get(in, top, "resolvers", json_type_array, 0, &a) == -1)
		return -1;
	if (json_object_array_length(a) > CFG_RESOLVERS_MAX)
		return rec_bad(in, "too many resolvers");
	s->res = xcalloc(json_object_array_length(a) + 1, sizeof(*s->res));
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		r = &s->res[s->nres++];
		if (rec_str(in, e, "name", r->name, sizeof(r->name)) == -1 ||
		    rec_str(in, e, "type", r->type, sizeof(r->type)) == -1 ||
		    rec_int(in, e, "ntrusted", 0, INT_MAX, &n) == -1 ||
		    rec_tags_in(in, e, "trusted", r->trusted, AW_TAGS_MAX,
		    &r->ntags) == -1 ||
		    rec_get(in, e, "probe_age", json_type_int, 1, &v) == -1)
			return -1;
		r->ntrusted = (int)n;
		r->probe_age = -1;
		if (v != NULL && rec_int(in, e, "probe_age", 0, LLONG_MAX,
		    &r->probe_age) == -1)
			return -1;
	}
	return 0;
}

/* The enum of a code or severity name, or -1. */
static int
rec_code(const char *name)
{
	int c;

	for (c = 0; c < F_NCODES; c++)
		if (strcmp(detect_code_name((enum fcode)c), name) == 0)
			return c;
	return -1;
}

static int
rec_sev(const char *name)
{
	int v;

	for (v = SEV_OK; v <= SEV_UNKNOWN; v++)
		if (strcmp(detect_sev_name((enum severity)v), name) == 0)
			return v;
	return -1;
}

static int
rec_findings_in(struct rec_in *in, json_object *top, struct summary *s)
{
	json_object *a, *e;
	char code[32], sev[16], name[AW_NAME_MAX], msg[AW_ERR_MAX];
	uint16_t tags[AW_TAGS_MAX];
	size_t i, ntags;
	long long value;
	int c, v;

	if (rec_get(in, top, "findings", json_type_array, 0, &a) == -1)
		return -1;
	if (json_object_array_length(a) > REC_FINDINGS_MAX)
		return rec_bad(in, "too many findings");
	for (i = 0; i < json_object_array_length(a); i++) {
		e = json_object_array_get_idx(a, i);
		if (rec_str(in, e, "code", code, sizeof(code)) == -1 ||
		    rec_str(in, e, "severity", sev, sizeof(sev)) == -1 ||
		    rec_str(in, e, "resolver", name, sizeof(name)) == -1 ||
		    rec_str(in, e, "message", msg, sizeof(msg)) == -1 ||
		    rec_tags_in(in, e, "keytags", tags, AW_TAGS_MAX,
		    &ntags) == -1 ||
		    rec_int(in, e, "value", LLONG_MIN, LLONG_MAX, &value) == -1)
			return -1;
		if ((c = rec_code(code)) == -1)
			return rec_bad(in, "unknown finding code");
		if ((v = rec_sev(sev)) == -1)
			return rec_bad(in, "unknown severity");
		detect_add(&s->rep, (enum fcode)c, (enum severity)v, name, tags,
		    ntags, "%s", msg);
		s->rep.f[s->rep.n - 1].value = value;
	}
	return 0;
}

static int
rec_top_in(struct rec_in *in, json_object *top, struct summary *s)
{
	json_object *o;
	long long v;

	if (rec_int(in, top, "version", SUM_RECORD_VERSION,
	    SUM_RECORD_VERSION, &v) == -1 ||
	    rec_int(in, top, "time", 0, LLONG_MAX, &s->time) == -1 ||
	    rec_int(in, top, "written", 0, LLONG_MAX, &s->written) == -1 ||
	    rec_get(in, top, "duration", json_type_double, 0, &o) == -1)
		return -1;
	s->duration = json_object_get_double(o);
	if (rec_get(in, top, "unknown", json_type_object, 1, &o) == -1 ||
	    (o != NULL && (rec_str(in, o, "code", s->unknown_code,
	    sizeof(s->unknown_code)) == -1 || rec_str(in, o, "message",
	    s->unknown, sizeof(s->unknown)) == -1)))
		return -1;
	if (o != NULL && s->unknown[0] == '\0')
		return rec_bad(in, "an empty \"unknown\"");
	if (rec_get(in, top, "next_event", json_type_object, 1, &o) == -1 ||
	    (o != NULL && (rec_str(in, o, "id", s->next_id,
	    sizeof(s->next_id)) == -1 || rec_str(in, o, "name", s->next_name,
	    sizeof(s->next_name)) == -1 || rec_int(in, o, "time", 1,
	    LLONG_MAX, &s->next_when) == -1)))
		return -1;
	if (rec_get(in, top, "storm", json_type_object, 1, &o) == -1)
		return -1;
	if (o != NULL) {
		json_object *r;

		s->storm_measured = 1;
		if (rec_get(in, o, "rate", json_type_double, 0, &r) == -1)
			return -1;
		s->storm_rate = json_object_get_double(r);
		if (rec_int(in, o, "warn", 0, UINT_MAX, &v) == -1)
			return -1;
		s->storm_warn = (unsigned)v;
		if (rec_int(in, o, "critical", 0, UINT_MAX, &v) == -1)
			return -1;
		s->storm_crit = (unsigned)v;
	}
	return 0;
}

int
record_read(const char *path, struct summary *s, char *err, size_t errlen)
{
	struct rec_in in = { path, err, errlen };
	struct json_tokener *tok;
	json_object *top;
	char *buf;
	size_t len, end = 0;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (fileio_load(path, SUM_RECORD_MAX, &buf, &len, err, errlen) == -1)
		return -1;
	if ((tok = json_tokener_new_ex(8)) == NULL)
		fatalx("out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	top = json_tokener_parse_ex(tok, buf, (int)len);
	if (top != NULL)
		for (end = json_tokener_get_parse_end(tok); end < len &&
		    strchr(" \t\r\n", buf[end]) != NULL; end++)
			;
	if (top == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    end != len)
		snprintf(err, errlen, "%s:%u: not a record of anchorwatch: %s",
		    path, fileio_lineof(buf, json_tokener_get_parse_end(tok)),
		    top == NULL || json_tokener_get_error(tok) !=
		    json_tokener_success ? json_tokener_error_desc(
		    json_tokener_get_error(tok)) : "data after the end");
	else if (rec_top_in(&in, top, s) == 0 && rec_root_in(&in, top, s) == 0 &&
	    rec_resolvers_in(&in, top, s) == 0 &&
	    rec_findings_in(&in, top, s) == 0)
		rc = 0;
	json_object_put(top);
	json_tokener_free(tok);
	free(buf);
	if (rc == -1)
		summary_free(s);
	return rc;
}
