/*
 * fuzz_calendar.c: the root KSK calendar (calendar.c, the events.yaml
 * schema), read from a file as events_load reads it.
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar *cal = calloc(1, sizeof(*cal));
	char err[AW_ERR_MAX];

	if (cal == NULL)
		abort();
	(void)calendar_load(fuzz_file("events.yaml", data, size), cal, err,
	    sizeof(err));
	free(cal);
	return 0;
}
