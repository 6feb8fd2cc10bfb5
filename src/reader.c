/*
 * reader.c: the table of resolver readers.
 *
 * Each resolver product has one reader (anchor-<type>.c) that turns its
 * configuration into a list of anchor sources, and defines its row of
 * this table: type name, Debian's config path, process, config flag,
 * user, RFC 5011 capability and rules, loaded-anchor hook and the words
 * of its advice.  Everything downstream (config.c's type list, discover,
 * detect.c, probe.c, replay.c, the outputs) asks the table or sees only
 * struct resolver; no type name is spelled anywhere else.  A new type is a
 * new reader file with its row and one line here.  The resolver object
 * the readers fill is resolver.c's: the readers call it, this table
 * only points at the readers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* In the order discover lists what it finds.  The first is the type of a
 * replay profile that names none: unbound, whose autotrust.c is the
 * reference RFC 5011 state machine. */
static const struct reader *const readers[] = {
	&unbound_reader,
	&bind_reader,
	&knot_reader,
	&pdns_reader,
	&resolved_reader,
	&dnsmasq_reader,
};

const struct reader *const *
reader_all(size_t *n)
{
	*n = sizeof(readers) / sizeof(readers[0]);
	return readers;
}

const struct reader *
reader_default(void)
{
	return readers[0];
}

/* The reader for type, or NULL if the type is unknown. */
const struct reader *
reader_find(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (strcmp(readers[i]->type, type) == 0)
			return readers[i];
	return NULL;
}

int
reader_read(const struct reader *rd, const struct resolver_conf *rc,
    struct resolver *r, long long now, char *err, size_t errlen)
{
	char what[AW_NAME_MAX + 16];
	int rv;

	snprintf(what, sizeof(what), "resolver %s", rc->name);
	if (r->name[0] == '\0')
		snprintf(r->name, sizeof(r->name), "%s", rc->name);
	fileio_cap_begin(AW_READ_FILES_MAX, AW_READ_BYTES_MAX, what);
	rv = rd->read(rc, r, now, err, errlen);
	fileio_cap_world(r->world_writable, sizeof(r->world_writable));
	fileio_cap_end();
	/* The sources' cap speaks through r->error, whatever rv says. */
	if (rv == 0 && r->error[0] != '\0') {
		if (err != r->error)
			snprintf(err, errlen, "%s", r->error);
		rv = -1;
	}
	return rv;
}
