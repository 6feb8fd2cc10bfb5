/*
 * anchor-resolved.c: placeholder while the reader is being written (issue 3).
 * It reports that the type cannot be read yet, as a CONFIG_ERROR.
 */
#include <stdio.h>

#include "anchorwatch.h"

int
resolved_read(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	(void)r;
	snprintf(err, errlen, "resolver %s: type %s is not supported yet",
	    rc->name, rc->type);
	return -1;
}
