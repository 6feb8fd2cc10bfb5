/*
 * fixset.h: what the repair hook tests share (test_knot_fix.c,
 * test_pdns_fix.c): real KSKs with their tags, and the trust set after
 * KSK-2024 took over from KSK-2017.  Include after unit.h.
 */
#ifndef UNIT_FIXSET_H
#define UNIT_FIXSET_H
#include "ksk.h"

/* A real KSK (ksk.h) as a key, its tag computed. */
static inline struct dnskey
fixset_key(const char *text)
{
	struct anchor a;
	unsigned char rd[AW_KEY_MAX + 4];
	char why[AW_ERR_MAX];
	int len;

	assert_int_equal(keyset_parse_rr(text, &a, why, sizeof(why)), 1);
	len = keyset_dnskey_rdata(&a.key, rd, sizeof(rd));
	assert_true(len > 0);
	a.key.tag = keyset_tag(rd, (size_t)len);
	return a.key;
}

/* After the roll: 38696 to trust; 20326 kept (still published) if keep. */
static inline void
fixset_trust(struct fix_trust *t, int keep)
{
	memset(t, 0, sizeof(*t));
	t->from = FIX_FROM_VIEW;
	t->keys[t->nkeys++] = fixset_key(KSK2024);
	if (keep)
		t->keep[t->nkeep++] = fixset_key(KSK2017);
}
#endif /* UNIT_FIXSET_H */
