/*
 * fuzz_scenario.c: replay scenario files (scenario.c), loaded and, when
 * they load, played (replay.c) with the timeline thrown away: a scenario
 * the loader accepts must also play.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[AW_ERR_MAX];

	(void)replay_run(fuzz_file("scenario.yaml", data, size), fuzz_null(),
	    err, sizeof(err));
	return 0;
}
