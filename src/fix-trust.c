/*
 * fix-trust.c: which root keys a repair may write.
 *
 * A wrong key in a resolver's anchors hands the root to whoever holds it,
 * so a key is written only when it is known through a chain of trust:
 * the agent's own root DNSKEY answer, validated SECURE by libunbound from
 * the agent's RFC 5011 anchor, where the key signs the set or has been
 * published for the add hold-down (RFC 5011 2.4.1) in the agent's history;
 * or, without such an answer, an RFC 9718 root-anchors.xml whose S/MIME
 * signature verifies (fix-xml.c).  Like unwind, only SEP keys without the
 * REVOKE bit are ever taken; a key seen only in an answer that did not
 * validate is never written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

/* The agent's history entry for k, or NULL. */
static const struct hist_key *
fix_hist_of(const struct history *h, const struct dnskey *k)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++)
		if (is_same_key(&h->keys[i].key, k))
			return &h->keys[i];
	return NULL;
}

/* The trust set from a SECURE view. */
static void
fix_trust_view(const struct config *c, const struct rootview *rv,
    long long now, struct fix_trust *t)
{
	long long hold = events_holddown(c->add_holddown);
	const struct hist_key *hk;
	const struct dnskey *k;
	size_t i;

	t->from = FIX_FROM_VIEW;
	snprintf(t->how, sizeof(t->how), "the root DNSKEY set, validated "
	    "SECURE by libunbound from %s", c->anchor_file);
	for (i = 0; i < rv->nkeys; i++) {
		k = &rv->keys[i];
		if (!(k->flags & DNSKEY_F_SEP) || (k->flags & DNSKEY_F_REVOKE))
			continue;
		hk = fix_hist_of(rv->hist, k);
		if (is_signing(rv, k) || (hk != NULL && hk->first_seen > 0 &&
		    hk->first_seen + hold <= now)) {
			if (t->nkeys < FIX_KEYS_MAX)
				t->keys[t->nkeys++] = *k;
		} else if (t->nkeep < FIX_KEYS_MAX)
			t->keep[t->nkeep++] = *k;
	}
}

/* Keys by tag: the order of a root DNSKEY answer varies from one query
 * to the next, and a dry run must show what --apply then writes. */
static int
fix_tag_cmp(const void *a, const void *b)
{
	const struct dnskey *x = a, *y = b;

	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static void
fix_trust_sort(struct fix_trust *t)
{
	if (t->nkeys > 1)
		qsort(t->keys, t->nkeys, sizeof(t->keys[0]), fix_tag_cmp);
	if (t->nkeep > 1)
		qsort(t->keep, t->nkeep, sizeof(t->keep[0]), fix_tag_cmp);
}

void
fix_trust_build(const struct config *c, const struct rootview *rv,
    long long now, struct fix_trust *t)
{
	char err[AW_ERR_MAX];

	memset(t, 0, sizeof(*t));
	if (rv->is_secure) {
		fix_trust_view(c, rv, now, t);
		fix_trust_sort(t);
		if (t->nkeys > 0)
			return;
		memset(t, 0, sizeof(*t));
		snprintf(err, sizeof(err), "the validated root DNSKEY set "
		    "holds no usable key signing it");
	} else
		snprintf(err, sizeof(err), "the root DNSKEY answer is not "
		    "SECURE (%s)", rv->why[0] ? rv->why : "no answer");
	if (c->fix.anchors_xml[0] == '\0') {
		snprintf(t->why, sizeof(t->why), "%s and fix.anchors_xml is "
		    "not set: no key is written without a chain of trust",
		    err);
		return;
	}
	if (fix_trust_xml(c->fix.anchors_xml, c->fix.anchors_p7s,
	    c->fix.ca_cert, now, t, t->why, sizeof(t->why)) == -1) {
		memset(t->keys, 0, sizeof(t->keys));
		t->nkeys = t->nkeep = 0;
		t->from = FIX_FROM_NONE;
		return;
	}
	t->from = FIX_FROM_XML;
	fix_trust_sort(t);
}
