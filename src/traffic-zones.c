/*
 * traffic-zones.c: DNSKEY and DS queries by zone, over a whole capture.
 *
 * traffic.c counts per source whether a DNSKEY or DS question was about
 * the root, a TLD or a deeper name; this table says which zones: the
 * question name, lower-cased, of every DNSKEY and DS query (for DS, the
 * child zone whose DS the parent is asked for).  A storm after a root
 * KSK event shows up as DNSKEY for "."; a broken TLD or a popular zone's
 * failed roll as its own name.
 *
 * Names come from untrusted packets: they are copied with explicit bounds,
 * compression pointers followed backwards only and at most ZONE_PTR_MAX
 * times.  The table holds at most TRAFFIC_ZONES_MAX names of at most
 * TRAFFIC_ZONE_NAME_MAX wire bytes (76-byte entries, 5.2 MB at most): a
 * flood of random names cannot grow it further; longer names and names
 * beyond the limit are counted, not named.  Memory is thus bounded
 * whatever the capture holds.
 */
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define ZONE_PTR_MAX 16
#define ZONE_INITIAL_CAP 64

/* FNV-1a over the wire name: names are short, the table small. */
static uint64_t
zone_hash(const uint8_t *w, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * Copy the name at off in msg[0..len) to out (at most 255 bytes, ASCII
 * lower-cased) and return its wire length, or 0 if malformed.
 */
static size_t
zone_copy(const uint8_t *msg, size_t len, size_t off, uint8_t *out)
{
	size_t pos = off, n = 0;
	unsigned ptrs = 0;

	for (;;) {
		uint8_t c;
		size_t i;

		if (pos >= len)
			return 0;
		c = msg[pos];
		if (c == 0) {
			out[n++] = 0;
			return n;
		}
		if ((c & 0xc0) == 0xc0) {
			size_t to;

			if (pos + 1 >= len || ++ptrs > ZONE_PTR_MAX)
				return 0;
			to = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
			if (to >= pos)
				return 0;
			pos = to;
			continue;
		}
		if ((c & 0xc0) != 0 || pos + 1 + c > len || n + 1 + c + 1 > 255)
			return 0;
		out[n++] = c;
		for (i = 0; i < c; i++) {
			uint8_t b = msg[pos + 1 + i];

			out[n++] = b >= 'A' && b <= 'Z' ? b | 0x20 : b;
		}
		pos += 1 + (size_t)c;
	}
}

/* The slot of w in a table of cap entries (a power of two). */
static struct traffic_zone *
zone_slot(struct traffic_zone *tab, size_t cap, const uint8_t *w, size_t n)
{
	size_t i, mask = cap - 1;

	for (i = (size_t)zone_hash(w, n) & mask; tab[i].used;
	    i = (i + 1) & mask)
		if (tab[i].len == n && memcmp(tab[i].name, w, n) == 0)
			break;
	return &tab[i];
}

static void
zone_grow(struct traffic_zones *z)
{
	size_t ncap = z->cap ? z->cap * 2 : ZONE_INITIAL_CAP, i;
	struct traffic_zone *nt = xcalloc(ncap, sizeof(*nt));

	for (i = 0; i < z->cap; i++)
		if (z->tab[i].used)
			*zone_slot(nt, ncap, z->tab[i].name, z->tab[i].len) =
			    z->tab[i];
	free(z->tab);
	z->tab = nt;
	z->cap = ncap;
}

void
traffic_zone_add(struct traffic_zones *z, const uint8_t *w, size_t n,
    uint64_t dnskey, uint64_t ds)
{
	struct traffic_zone *e;

	if (n > TRAFFIC_ZONE_NAME_MAX) {
		z->unnamed = traffic_add64(traffic_add64(z->unnamed,
		    dnskey), ds);
		return;
	}
	e = z->cap ? zone_slot(z->tab, z->cap, w, n) : NULL;
	if (e == NULL || !e->used) {
		if (z->n >= TRAFFIC_ZONES_MAX) {
			z->unnamed = traffic_add64(traffic_add64(
			    z->unnamed, dnskey), ds);
			return;
		}
		if ((z->n + 1) * 10 > z->cap * 7) {
			zone_grow(z);
			e = zone_slot(z->tab, z->cap, w, n);
		}
		memcpy(e->name, w, n);
		e->len = (uint8_t)n;
		e->used = 1;
		z->n++;
	}
	e->dnskey = traffic_add32(e->dnskey, dnskey);
	e->ds = traffic_add32(e->ds, ds);
}

void
traffic_zone_count(struct traffic_zones *z, const uint8_t *msg, size_t len,
    size_t off, int is_ds)
{
	uint8_t w[256];
	size_t n;

	if ((n = zone_copy(msg, len, off, w)) == 0)
		return;		/* traffic.c parsed it already: cannot be */
	traffic_zone_add(z, w, n, !is_ds, is_ds);
}

void
traffic_zones_free(struct traffic_zones *z)
{
	free(z->tab);
	memset(z, 0, sizeof(*z));
}

void
traffic_zone_text(const struct traffic_zone *e, char *buf, size_t len)
{
	size_t i = 0, o = 0;

	if (e->len <= 1) {
		snprintf(buf, len, ".");
		return;
	}
	while (i < e->len && e->name[i] != 0) {
		size_t l = e->name[i++], k;

		for (k = 0; k < l && i < e->len; k++, i++) {
			uint8_t c = e->name[i];

			if (o + 5 > len)
				goto full;
			if (c > 0x20 && c < 0x7f && c != '.' && c != ',' &&
			    c != '\\' && c != '"' && c != ';')
				buf[o++] = (char)c;
			else
				o += (size_t)snprintf(buf + o, len - o,
				    "\\%03u", c);
		}
		if (o + 2 > len)
			goto full;
		buf[o++] = '.';
	}
full:
	buf[o < len ? o : len - 1] = '\0';
}

int
traffic_zone_parse(const char *s, uint8_t *w, size_t *n)
{
	size_t o = 0, lab = 0;

	if (strcmp(s, ".") == 0) {
		w[0] = 0, *n = 1;
		return 0;
	}
	w[o++] = 0;
	while (*s != '\0') {
		unsigned c = (unsigned char)*s++;

		if (c == '.') {
			if (w[lab] == 0)
				return -1;
			lab = o++;
			if (o > 255)
				return -1;
			w[lab] = 0;
			continue;
		}
		if (c == '\\') {
			if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9'
			    || s[2] < '0' || s[2] > '9')
				return -1;
			c = (unsigned)(s[0] - '0') * 100 +
			    (unsigned)(s[1] - '0') * 10 + (unsigned)(s[2] - '0');
			if (c > 255)
				return -1;
			s += 3;
		} else if (c <= 0x20 || c >= 0x7f)
			return -1;
		if (w[lab] == 63 || o >= 255)
			return -1;
		w[o++] = (uint8_t)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
		w[lab]++;
	}
	if (w[lab] != 0)	/* the text must end with the root's dot */
		return -1;
	*n = o;
	return 0;
}

/* Most queries first, then the name. */
static int
zone_cmp(const void *a, const void *b)
{
	const struct traffic_zone *x = *(const struct traffic_zone *const *)a;
	const struct traffic_zone *y = *(const struct traffic_zone *const *)b;
	uint64_t sx = (uint64_t)x->dnskey + x->ds, sy = (uint64_t)y->dnskey +
	    y->ds;

	if (sx != sy)
		return sx < sy ? 1 : -1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->name, y->name, x->len);
}

struct traffic_zone **
traffic_zones_sorted(const struct traffic_zones *z)
{
	struct traffic_zone **v = xcalloc(z->n ? z->n : 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < z->cap; i++)
		if (z->tab[i].used)
			v[n++] = &z->tab[i];
	qsort(v, n, sizeof(*v), zone_cmp);
	return v;
}
