/*
 * fuzz_keydata.c: named's managed-keys database (bind-keys.c): KEYDATA
 * records in a key zone file, their RFC 5011 state at a fixed now.  The
 * input has no journal beside it (fuzz_journal.c reads journals).
 */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source *s = calloc(1, sizeof(*s));
	const char *path = fuzz_file("managed-keys.bind", data, size);
	char err[AW_ERR_MAX];

	if (s == NULL)
		abort();
	snprintf(s->path, sizeof(s->path), "%s", path);
	(void)bind_keys_read(s, FUZZ_NOW, err, sizeof(err));
	source_free(s);
	free(s);
	return 0;
}
