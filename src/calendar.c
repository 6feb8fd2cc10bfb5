/*
 * calendar.c: the root KSK calendar file (events.yaml) and its event
 * schema, which events.extra of anchorwatch.yaml shares.
 *
 * The calendar is anchorwatch's own file: walked by yamlwalk.c in its
 * strict mode (no aliases, anchors, tags, unknown or duplicate keys), dates
 * by date.c.  It lives apart from config.c (which reads events.extra with
 * calendar_events) and events.c (which loads the calendar with
 * calendar_load and judges resolvers by it), so that neither calls the
 * other.
 *
 *   version: 1
 *   events:
 *     - id: ksk2017-revoke          # [a-z0-9-], optional, unique
 *       date: 2027-01-11            # or 2027-01-11T00:00:00Z, epoch seconds
 *       name: KSK-2017 revoked      # printable ASCII
 *       kind: revoke                # publish trust roll revoke remove other
 *       keys: [20326]               # the keys it is about
 *       requires: [38696]           # what a resolver must trust by then
 *       assumed: true               # the date is not announced yet
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define CAL_DEPTH_MAX 4		/* top > events > entry > keys */
#define CAL_SHOW_MAX 48
#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* event.id: [a-z0-9-], 1 to 31 bytes. */
static int
calendar_id(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct event *e = arg;
	char show[CAL_SHOW_MAX + 8];
	size_t len;

	if (yamlwalk_string(w, v, e->id, sizeof(e->id)) == -1)
		return -1;
	len = strlen(e->id);
	if (len == 0 || strspn(e->id, "abcdefghijklmnopqrstuvwxyz0123456789-")
	    != len)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "1-31 of a-z 0-9 -", yamlwalk_key(w), yamlwalk_show(show,
		    sizeof(show), e->id, len));
	return 0;
}

/* event.date: ISO 8601 UTC or epoch seconds, not before the root was
 * signed. */
static int
calendar_date(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct event *e = arg;
	char s[64], show[CAL_SHOW_MAX + 8];

	if (yamlwalk_string(w, v, s, sizeof(s)) == -1)
		return -1;
	yamlwalk_show(show, sizeof(show), s, strlen(s));
	if (date_parse(s, strlen(s), DATE_EPOCH, &e->when) == -1)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or epoch seconds",
		    yamlwalk_key(w), show);
	if (e->when < EV_EPOCH_MIN)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: %s is before "
		    "2010-07-15, when the root was signed", yamlwalk_key(w),
		    show);
	return 0;
}

/* event.name: printable ASCII, 1 to 127 bytes (it reaches terminals and
 * syslog). */
static int
calendar_name(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct event *e = arg;
	size_t i, len;

	if (yamlwalk_string(w, v, e->name, sizeof(e->name)) == -1)
		return -1;
	len = strlen(e->name);
	if (len == 0)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: empty",
		    yamlwalk_key(w));
	for (i = 0; i < len; i++)
		if (e->name[i] < 0x20 || e->name[i] > 0x7e)
			return yamlwalk_error(w, yamlwalk_line(v), "%s: not "
			    "printable ASCII", yamlwalk_key(w));
	return 0;
}

/* event.kind: the words of enum ev_kind, in its order. */
static int
calendar_kind(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	static const char *const kinds[] = { "publish", "trust", "roll",
	    "revoke", "remove", "other" };
	struct event *e = arg;
	size_t i;

	if (yamlwalk_enum(w, v, kinds, NITEMS(kinds), "event kind", &i) == -1)
		return -1;
	e->kind = (enum ev_kind)i;
	return 0;
}

/* Where a list of key tags goes. */
struct calendar_tags {
	uint16_t *tags;
	size_t *n;
};

/* One key tag, 0..65535, plain. */
static int
calendar_tag(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct calendar_tags *t = arg;
	char show[CAL_SHOW_MAX + 8];
	unsigned long long n;
	const char *s;
	size_t len;

	if (yamlwalk_expect(w, v, YW_SCALAR) == -1)
		return -1;
	if (*t->n == EV_TAGS_MAX)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %d "
		    "key tags", yamlwalk_key(w), EV_TAGS_MAX);
	s = yamlwalk_scalar(v, &len);
	yamlwalk_show(show, sizeof(show), s, len);
	if (!is_yamlwalk_plain(v) || yamlwalk_decimal(s, len, 65535, &n) ==
	    -1 || n > 65535)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: \"%s\" is not "
		    "a key tag (0..65535)", yamlwalk_key(w), show);
	t->tags[(*t->n)++] = (uint16_t)n;
	return 0;
}

/* A sequence of at most EV_TAGS_MAX key tags into tags. */
static int
calendar_tags(struct yamlwalk *w, const struct yaml_node_s *v, uint16_t *tags,
    size_t *n)
{
	struct calendar_tags t = { tags, n };

	*n = 0;
	return yamlwalk_seq(w, v, calendar_tag, &t);
}

static int
calendar_keys(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct event *e = arg;

	return calendar_tags(w, v, e->keys, &e->nkeys);
}

static int
calendar_requires(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct event *e = arg;

	return calendar_tags(w, v, e->requires, &e->nrequires);
}

static int
calendar_assumed(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	return yamlwalk_bool(w, v, &((struct event *)arg)->assumed);
}

static const struct yamlwalk_key calendar_event_keys[] = {
	{ "id", calendar_id, YWF_FUNC, 0, 0, 0 },
	{ "date", calendar_date, YWF_FUNC, 0, 0, 0 },
	{ "name", calendar_name, YWF_FUNC, 0, 0, 0 },
	{ "kind", calendar_kind, YWF_FUNC, 0, 0, 0 },
	{ "keys", calendar_keys, YWF_FUNC, 0, 0, 0 },
	{ "requires", calendar_requires, YWF_FUNC, 0, 0, 0 },
	{ "assumed", calendar_assumed, YWF_FUNC, 0, 0, 0 },
};

/* Where a list of events goes. */
struct calendar_list {
	const char *section;
	struct event *arr;
	size_t max, *n;
	enum ev_origin origin;
};

/* One event mapping: a date and a name, its id unique. */
static int
calendar_event(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct calendar_list *l = arg;
	char prefix[32];
	struct event *e;
	size_t i;

	if (yamlwalk_type(v) != YW_MAPPING)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: expected a "
		    "mapping, got %s", l->section, yamlwalk_what(v));
	if (*l->n == l->max)
		return yamlwalk_error(w, yamlwalk_line(v), "%s: more than %zu "
		    "events", l->section, l->max);
	e = &l->arr[*l->n];
	memset(e, 0, sizeof(*e));
	e->kind = EV_OTHER;
	e->origin = l->origin;
	e->line = yamlwalk_line(v);
	snprintf(prefix, sizeof(prefix), "%s.", l->section);
	if (yamlwalk_map(w, v, l->section, prefix, calendar_event_keys,
	    NITEMS(calendar_event_keys), e) == -1)
		return -1;
	if (e->when == 0 || e->name[0] == '\0')
		return yamlwalk_error(w, e->line, "%s: an event needs a date "
		    "and a name", l->section);
	for (i = 0; e->id[0] != '\0' && i < *l->n; i++)
		if (strcmp(l->arr[i].id, e->id) == 0)
			return yamlwalk_error(w, e->line, "%s: duplicate id "
			    "\"%s\" (first at line %u)", l->section, e->id,
			    l->arr[i].line);
	(*l->n)++;
	return 0;
}

int
calendar_events(struct yamlwalk *w, const struct yaml_node_s *seq,
    const char *section, struct event *arr, size_t max, size_t *n,
    enum ev_origin origin)
{
	struct calendar_list l = { section, arr, max, n, origin };

	return yamlwalk_seq(w, seq, calendar_event, &l);
}

/* The calendar file's top level: version: and events:. */
struct calendar_file {
	struct calendar *cal;
	int have_version;
};

/* version: 1, the only calendar format there is. */
static int
calendar_version(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	unsigned version;

	((struct calendar_file *)arg)->have_version = 1;
	return yamlwalk_uint(w, v, 1, 1, &version);
}

static int
calendar_file_events(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	struct calendar *cal = ((struct calendar_file *)arg)->cal;

	return calendar_events(w, v, "events", cal->ev, EV_MAX, &cal->n,
	    EVO_CALENDAR);
}

static const struct yamlwalk_key calendar_top_keys[] = {
	{ "version", calendar_version, YWF_FUNC, 0, 0, 0 },
	{ "events", calendar_file_events, YWF_FUNC, 0, 0, 0 },
};

/*
 * Read the calendar file path into cal (its events appended after cal->n;
 * version: is required).  On -1, err holds "path:line: why" and cal keeps
 * the events before the file.
 */
int
calendar_load(const char *path, struct calendar *cal, char *err,
    size_t errlen)
{
	struct calendar_file f = { cal, 0 };
	struct yamlwalk *w;
	size_t before = cal->n;
	char *buf = NULL;
	size_t len = 0;
	int rv = -1;

	if (errlen > 0)
		err[0] = '\0';
	if (fileio_load_text(path, &buf, &len, err, errlen) == -1)
		return -1;
	w = yamlwalk_open(path, buf, len, YW_OWN, CAL_DEPTH_MAX, err, errlen);
	if (w != NULL && yamlwalk_top(w, calendar_top_keys,
	    NITEMS(calendar_top_keys), &f) == 0)
		rv = f.have_version ? 0 : yamlwalk_error(w, 1, "no \"version: "
		    "1\" line");
	if (rv == -1)
		cal->n = before;
	yamlwalk_free(w);
	free(buf);
	return rv;
}
