/*
 * fuzz_journal.c: the transactions of named's managed-keys journal
 * (bind-keys.c bind_keys_journal_apply), as named-journalprint prints
 * them ("add|del OWNER TTL CLASS TYPE RDATA" from "del SOA" to the next).
 * The binary .jnl is BIND's own format, read by BIND's own tool; what
 * anchorwatch parses is that tool's output, and running the tool per
 * input would fuzz the tool.  The static function is reached by
 * including bind-keys.c here (this object then defines bind-keys.c's
 * symbols, and the library's copy is not linked).  The input is applied
 * twice: to an empty set (the journal is all there is) and to the state
 * of a key zone with serial 1 and a root key.
 */
#include "../../src/bind-keys.c"

#include "fuzz.h"

static const char fz_zone[] =
    "$ORIGIN .\n"
    "$TTL 0\n"
    "@ IN SOA . . 1 0 0 0 0\n"
    ". KEYDATA 20261204120000 20180311000000 19700101000000 257 3 8 "
    "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7Hrx"
    "RixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyW"
    "bRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b5"
    "8Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmS"
    "VIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1Ak"
    "UTV74bU=\n";

/* The key zone's state, read once. */
static const struct bk_kdset *
fz_base(void)
{
	static struct bk_kdset *base;
	char err[AW_ERR_MAX] = "";
	const char *zone;

	if (base != NULL)
		return base;
	if ((base = calloc(1, sizeof(*base))) == NULL)
		abort();
	zone = fuzz_file("managed-keys.bind", (const uint8_t *)fz_zone,
	    sizeof(fz_zone) - 1);
	if (bind_keys_read_keyzone(zone, base, err, sizeof(err)) == -1 ||
	    base->n != 1) {
		fprintf(stderr, "the key zone of fuzz_journal.c: %s\n", err);
		abort();
	}
	return base;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_kdset *set = calloc(1, sizeof(*set));
	char *text, err[AW_ERR_MAX];
	int i;

	if (set == NULL)
		abort();
	for (i = 0; i < 2; i++) {
		if (i == 1)
			*set = *fz_base();
		text = fuzz_text(data, size);
		(void)bind_keys_journal_apply("managed-keys.bind.jnl", text,
		    set, err, sizeof(err));
		free(text);
	}
	free(set);
	return 0;
}
