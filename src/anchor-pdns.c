/*
 * anchor-pdns.c: what a PowerDNS Recursor trusts for the root.
 *
 * The Recursor has no RFC 5011 (its docs say so): every root anchor is
 * static, so the reader only has to find out which DS records the daemon
 * ends up with.  It follows the daemon's own order (4.8 pdns/arguments.cc,
 * rec-lua-conf.cc, validate-recursor.cc; 5.x settings/cxxsupport.cc):
 *  - the settings: recursor.conf and its include-dir (pdns-conf.c);
 *    dnssec= (off and process-no-validate do not validate; process, the
 *    default since 4.5, log-fail and validate do), lua-config-file=,
 *    setuid=, socket-dir=;
 *  - recursor.yml (5.x, not packaged here): recursor.include_dir *.yml,
 *    dnssec.validation, dnssec.trustanchors (a root entry replaces the
 *    built-in DS set), dnssec.trustanchorfile;
 *  - the Lua config, its calls found by luascan.c: addTA('.', 'DS rdata')
 *    adds, clearTA() and clearTA('.') drop what is there,
 *    readTrustAnchorsFromFile(path) REPLACES every anchor with the file's
 *    DS/DNSKEY records (updateTrustAnchorsFromFile builds a new map),
 *    dofile(path) is followed;
 *  - the built-in root DS set of the installed version (pdns-daemon.c).
 * What makes pdns_recursor exit at start is r->refused: Lua it cannot
 * load, a DS it cannot parse, a file it cannot open, an unknown dnssec
 * mode, a setting it does not know (its own --config=check), Lua and YAML
 * anchors mixed; each was seen with the real 4.8.8.
 * pdns_loaded asks the running daemon with `rec_control get-tas`.
 * Every file is hostile: bounded loads, no NUL bytes, bounded lines and
 * tokens, strict numbers, "file:line: what is wrong" on any error.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "anchorwatch.h"

#define PD_TOK_MAX 4096         /* one Lua token */
#define PD_YAML_DEPTH 8         /* nesting of recursor.yml */
#define PD_DEFAULT_USER "pdns"

/* ---- small helpers -------------------------------------------------------- */

/* Load path, refusing NUL bytes; the tokenizers count lines from 1 as
 * they pass newlines.  The caller frees f->buf. */
static int
pdns_load(const char *path, struct textfile *f, char *err, size_t errlen)
{
	if (fileio_open_text(path, f, err, errlen) == -1)
		return -1;
	f->line = 1;
	return 0;
}

/*
 * A path as the daemon opens it: relative names are taken from "/", the
 * working directory of the packaged service.  -1 if too long.
 */
static int
pdns_path(const char *name, char *out, size_t outlen)
{
	int n;

	n = snprintf(out, outlen, "%s%s", name[0] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- anchors ---------------------------------------------------------------- */

/* Forget every root anchor read so far (clearTA, a trust anchor file). */
static void
pdns_clear(struct resolver *r)
{
	r->nsources = 0;
}

/*
 * DS rdata as pdns_recursor 4.8 reads it (DSRecordContent): key tag,
 * algorithm and digest type as unsigned decimals of 16, 8 and 8 bits,
 * then hex digits, blanks allowed between them, any count of them.  Fills
 * a; a DS that keyset_parse_rr refuses but the daemon takes (a short
 * digest, an unknown digest type) is kept with the digest it has: the
 * daemon holds it and it matches no key.  0, or -1 with why: the daemon
 * refuses it.
 */
static int
pdns_ds_parse(const char *rdata, struct anchor *a, char *why, size_t whylen)
{
	static const unsigned long max[3] = { 65535, 255, 255 };
	char text[LUASCAN_STR_MAX + 16];
	unsigned long v[3];
	const char *p = rdata;
	size_t i, nhex = 0;

	for (i = 0; i < 3; i++) {
		p += strspn(p, " \t\r\n");
		if (!isdigit((unsigned char)*p)) {
			snprintf(why, whylen, *p == '\0' ? "missing field" :
			    "expected digits");
			return -1;
		}
		for (v[i] = 0; isdigit((unsigned char)*p) && v[i] <= max[i];
		    p++)
			v[i] = v[i] * 10 + (unsigned long)(*p - '0');
		if (v[i] > max[i] || (*p != '\0' && !isspace((unsigned char)*p))) {
			snprintf(why, whylen, "field %zu out of range", i + 1);
			return -1;
		}
	}
	memset(a, 0, sizeof(*a));
	for (; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)*p)) {
			snprintf(why, whylen, "not a hexadecimal digit in the "
			    "digest");
			return -1;
		}
		if (nhex / 2 < AW_DIGEST_MAX)
			a->ds.digest[nhex / 2] |= (unsigned char)((isdigit(
			    (unsigned char)*p) ? *p - '0' : (tolower((unsigned
			    char)*p) - 'a' + 10)) << (nhex % 2 ? 0 : 4));
		nhex++;
	}
	if (nhex == 0) {
		snprintf(why, whylen, "missing field");
		return -1;
	}
	if ((size_t)snprintf(text, sizeof(text), ". IN DS %s", rdata) <
	    sizeof(text) && keyset_parse_rr(text, a, why, whylen) == 1)
		return 0;
	memset(a, 0, offsetof(struct anchor, ds));
	a->is_ds = 1;
	a->state = KS_STATIC;
	a->ds.tag = (uint16_t)v[0];
	a->ds.algorithm = (uint8_t)v[1];
	a->ds.digest_type = (uint8_t)v[2];
	a->ds.digestlen = (uint16_t)(nhex / 2 < AW_DIGEST_MAX ? nhex / 2 :
	    AW_DIGEST_MAX);
	return 0;
}

/*
 * Add the root DS given as rdata text ("20326 8 2 E06D...") as an inline
 * source declared at file:line.  Returns 0, or -1 with err set when the
 * daemon refuses the record.
 */
static int
pdns_add_ds(struct resolver *r, enum src_kind kind, const char *rdata,
    const char *file, unsigned line, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct source *s;
	struct anchor a;

	if (pdns_ds_parse(rdata, &a, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s:%u: bad DS record \"%.64s\": %s",
		    file, line, rdata, why);
		return -1;
	}
	s = resolver_add_source(r);
	s->kind = kind;
	snprintf(s->path, sizeof(s->path), "%s", file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	a.line = line;
	s->anchors[s->nanchors++] = a;
	return 0;
}

/* readTrustAnchorsFromFile / trustanchorfile: replaces every anchor. */
static int
pdns_tafile(struct resolver *r, const char *name, const char *file,
    unsigned line, char *err, size_t errlen)
{
	char path[AW_PATH_MAX], why[AW_ERR_MAX];
	struct source *s;

	if (name[0] == '\0' || pdns_path(name, path, sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: bad trust anchor file name",
		    file, line);
		return -1;
	}
	pdns_clear(r);
	s = resolver_add_source(r);
	s->kind = SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	if (unbound_read_static(path, s, why, sizeof(why)) == -1) {
		/* a file that is missing altogether has no line: say who
		 * named it */
		if (strncmp(why, path, strlen(path)) == 0 &&
		    why[strlen(path)] == ':' &&
		    isdigit((unsigned char)why[strlen(path) + 1]))
			snprintf(err, errlen, "%s", why);
		else
			snprintf(err, errlen, "%s:%u: %s", file, line, why);
		return -1;
	}
	return 0;
}

/* ---- the Lua config --------------------------------------------------------- */

/* The Lua config as pdns_recursor runs it. */
struct pd_lua {
	struct resolver *r;
	struct luascan_stack st;
	int refused;                    /* err is the daemon's refusal */
};

/* 1 if a Lua/DNS name is the root. */
static int
is_root_name(const char *s)
{
	return strcmp(s, ".") == 0;
}

/* err ("FILE:LINE: why") is why pdns_recursor will not start. */
static int
pdns_lua_refuse(struct pd_lua *l, char *err, size_t errlen)
{
	if (!l->refused)
		luascan_refuse(err, errlen, "pdns_recursor");
	l->refused = 1;
	return -1;
}

static int pdns_lua_file(struct pd_lua *, const char *, const char *,
    unsigned, char *, size_t);

/* Arguments of k as addTA and the like take them: literal strings and
 * numbers only (the reader cannot evaluate Lua; guessing would hide an
 * anchor).  0, or -1 with err. */
static int
pdns_lua_literal(const struct luascan_call *k, const char *file, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < k->nargs && k->literal; i++)
		if (k->type[i] != LA_STR && k->type[i] != LA_NUM)
			break;
	if (k->literal && i == k->nargs)
		return 0;
	snprintf(err, errlen, "%s:%u: %s: arguments are not literal strings "
	    "and numbers; the anchors cannot be known without running Lua",
	    file, k->line, k->name);
	return -1;
}

/* addTA/addDS(name, ds): the daemon parses every DS, keeps the root's. */
static int
pdns_lua_add(struct pd_lua *l, const struct luascan_call *k,
    const char *file, char *err, size_t errlen)
{
	struct resolver tmp;
	int rv;

	if (k->nargs != 2 || k->type[0] != LA_STR || k->type[1] != LA_STR) {
		snprintf(err, errlen, "%s:%u: %s: needs a name and a DS record",
		    file, k->line, k->name);
		return pdns_lua_refuse(l, err, errlen);
	}
	memset(&tmp, 0, sizeof(tmp));
	rv = pdns_add_ds(is_root_name(k->str[0]) ? l->r : &tmp, SRC_INLINE,
	    k->str[1], file, k->line, err, errlen);
	resolver_free(&tmp);
	return rv == -1 ? pdns_lua_refuse(l, err, errlen) : 0;
}

/* One call of file; the functions that change the root anchors count. */
static int
pdns_lua_call(struct pd_lua *l, const struct luascan_call *k,
    const char *file, char *err, size_t errlen)
{
	static const char *const fns[] = { "addTA", "addDS", "clearTA",
	    "clearDS", "readTrustAnchorsFromFile", "dofile" };
	char path[AW_PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (strcmp(k->name, fns[i]) == 0)
			break;
	if (i == sizeof(fns) / sizeof(fns[0]))
		return 0;
	if (pdns_lua_literal(k, file, err, errlen) == -1)
		return -1;
	if (i < 2)
		return pdns_lua_add(l, k, file, err, errlen);
	if (i < 4) {
		if (k->nargs == 0 || is_luascan_item(k, 0, "."))
			pdns_clear(l->r);
		return 0;
	}
	if (k->nargs < 1 || (i == 4 && k->nargs > 2) || (i == 5 &&
	    k->nargs > 1) || k->type[0] != LA_STR ||
	    pdns_path(k->str[0], path, sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: %s: needs a file name", file,
		    k->line, k->name);
		return pdns_lua_refuse(l, err, errlen);
	}
	if (i == 4)
		return pdns_tafile(l->r, k->str[0], file, k->line, err,
		    errlen) == -1 ? pdns_lua_refuse(l, err, errlen) : 0;
	return pdns_lua_file(l, path, file, k->line, err, errlen);
}

/*
 * Run a Lua config file (dofile'd from from:fline, or named by
 * lua-config-file there).  Lua that does not load, a file that cannot
 * be opened, a call the daemon rejects: it refuses to start.
 */
static int
pdns_lua_file(struct pd_lua *l, const char *path, const char *from,
    unsigned fline, char *err, size_t errlen)
{
	struct luascan_call *k;
	struct luascan *ls;
	char why[AW_ERR_MAX];
	int rv;

	if (luascan_push(&l->st, path, from, fline, err, errlen) == -1)
		return l->st.loop ? pdns_lua_refuse(l, err, errlen) : -1;
	if ((ls = luascan_open(path, why, sizeof(why))) == NULL) {
		luascan_pop(&l->st);
		if (strncmp(why, path, strlen(path)) == 0 &&
		    isdigit((unsigned char)why[strlen(path) + 1]))
			snprintf(err, errlen, "%s", why);
		else
			snprintf(err, errlen, "%s:%u: %s", from, fline, why);
		/* a file that is there but holds what we cannot read is
		 * our limit, not the daemon's */
		return access(path, F_OK) == 0 ? -1 : pdns_lua_refuse(l, err,
		    errlen);
	}
	k = xcalloc(1, sizeof(*k));
	while ((rv = luascan_next(ls, k, err, errlen)) == 1)
		if (pdns_lua_call(l, k, path, err, errlen) == -1)
			break;
	if (rv == -1 && luascan_syntax(ls))
		pdns_lua_refuse(l, err, errlen);
	luascan_pop(&l->st);
	luascan_close(ls);
	free(k);
	return rv == 0 ? 0 : -1;
}

/* ---- recursor.yml (5.x) ------------------------------------------------------ */

struct pd_yaml {
	yaml_parser_t p;
	yaml_event_t ev;
	const char *path;
	struct pd_conf *c;
	struct resolver *r;
	int main_file;
	char *err;
	size_t errlen;
};

/* The libyaml error as "file:line: ...". */
static int
pdns_yaml_error(struct pd_yaml *y)
{
	snprintf(y->err, y->errlen, "%s:%lu: YAML: %s", y->path,
	    (unsigned long)(y->p.problem_mark.line + 1),
	    y->p.problem != NULL ? y->p.problem : "syntax error");
	return -1;
}

/* Next event; aliases are refused (a settings file has no use for them). */
static int
pdns_yaml_next(struct pd_yaml *y)
{
	yaml_event_delete(&y->ev);
	if (!yaml_parser_parse(&y->p, &y->ev))
		return pdns_yaml_error(y);
	if (y->ev.type == YAML_ALIAS_EVENT) {
		snprintf(y->err, y->errlen, "%s:%lu: YAML aliases are not "
		    "supported", y->path,
		    (unsigned long)(y->ev.start_mark.line + 1));
		return -1;
	}
	return 0;
}

static unsigned
pdns_yaml_line(const struct pd_yaml *y)
{
	return (unsigned)y->ev.start_mark.line + 1;
}

/* Skip the node whose first event is current. */
static int
pdns_yaml_skip(struct pd_yaml *y)
{
	int depth = 0;

	do {
		if (y->ev.type == YAML_MAPPING_START_EVENT ||
		    y->ev.type == YAML_SEQUENCE_START_EVENT)
			depth++;
		else if (y->ev.type == YAML_MAPPING_END_EVENT ||
		    y->ev.type == YAML_SEQUENCE_END_EVENT)
			depth--;
		if (depth > PD_YAML_DEPTH) {
			snprintf(y->err, y->errlen, "%s:%u: YAML nested "
			    "deeper than %d", y->path, pdns_yaml_line(y),
			    PD_YAML_DEPTH);
			return -1;
		}
		if (depth == 0)
			return 0;
		if (pdns_yaml_next(y) == -1)
			return -1;
	} while (y->ev.type != YAML_STREAM_END_EVENT);
	return 0;
}

/* The current event must be a scalar: its value into out. */
static int
pdns_yaml_scalar(struct pd_yaml *y, const char *key, char *out,
    size_t outlen)
{
	if (y->ev.type != YAML_SCALAR_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a single value is "
		    "expected", y->path, pdns_yaml_line(y), key);
		return -1;
	}
	if (y->ev.data.scalar.length >= outlen) {
		snprintf(y->err, y->errlen, "%s:%u: %s: value too long",
		    y->path, pdns_yaml_line(y), key);
		return -1;
	}
	memcpy(out, y->ev.data.scalar.value, y->ev.data.scalar.length);
	out[y->ev.data.scalar.length] = '\0';
	if (strlen(out) != y->ev.data.scalar.length) {
		snprintf(y->err, y->errlen, "%s:%u: %s: NUL in value",
		    y->path, pdns_yaml_line(y), key);
		return -1;
	}
	return 0;
}

/* A setting that is a scalar, into d (seen: duplicate check). */
static int
pdns_yaml_val(struct pd_yaml *y, const char *key, struct pd_val *d,
    int *seen)
{
	char v[AW_PATH_MAX];

	if (*seen) {
		snprintf(y->err, y->errlen, "%s:%u: %s given twice", y->path,
		    pdns_yaml_line(y), key);
		return -1;
	}
	*seen = 1;
	if (pdns_yaml_next(y) == -1 || pdns_yaml_scalar(y, key, v,
	    sizeof(v)) == -1)
		return -1;
	return pdns_conf_set(d, v, y->path, pdns_yaml_line(y), key, y->err,
	    y->errlen);
}

/* One dnssec.trustanchors entry: {name: ..., dsrecords: [...]}. */
static int
pdns_yaml_ta(struct pd_yaml *y)
{
	char key[32], name[256] = "", ds[PD_TOK_MAX];
	unsigned line = pdns_yaml_line(y);
	struct resolver tmp;
	size_t k;
	int rv = -1;

	memset(&tmp, 0, sizeof(tmp));
	if (y->ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: an entry "
		    "must be a mapping", y->path, line);
		return -1;
	}
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			goto done;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (pdns_yaml_scalar(y, "trustanchors", key, sizeof(key)) == -1)
			goto done;
		if (pdns_yaml_next(y) == -1)
			goto done;
		if (strcmp(key, "name") == 0) {
			if (pdns_yaml_scalar(y, "name", name,
			    sizeof(name)) == -1)
				goto done;
		} else if (strcmp(key, "dsrecords") == 0) {
			if (y->ev.type != YAML_SEQUENCE_START_EVENT) {
				snprintf(y->err, y->errlen, "%s:%u: dsrecords:"
				    " a sequence is expected", y->path,
				    pdns_yaml_line(y));
				goto done;
			}
			for (;;) {
				if (pdns_yaml_next(y) == -1)
					goto done;
				if (y->ev.type == YAML_SEQUENCE_END_EVENT)
					break;
				if (pdns_yaml_scalar(y, "dsrecords", ds,
				    sizeof(ds)) == -1 || pdns_add_ds(&tmp,
				    SRC_INLINE, ds, y->path,
				    pdns_yaml_line(y), y->err, y->errlen) == -1)
					goto done;
			}
		} else {
			snprintf(y->err, y->errlen, "%s:%u: trustanchors: "
			    "unknown key %s", y->path, pdns_yaml_line(y), key);
			goto done;
		}
	}
	if (name[0] == '\0') {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: entry "
		    "without a name", y->path, line);
		goto done;
	}
	if (is_root_name(name)) {
		if (!y->c->have_yaml_tas) {
			pdns_clear(y->r);  /* the built-in set is replaced */
			y->c->have_yaml_tas = 1;
			pdns_conf_set(&y->c->yaml_ta, "trustanchors", y->path,
			    line, "trustanchors", y->err, y->errlen);
		}
		for (k = 0; k < tmp.nsources; k++)
			*resolver_add_source(y->r) = tmp.sources[k];
	}
	rv = 0;
done:
	resolver_free(&tmp);
	return rv;
}

/* dnssec.trustanchors: a sequence of entries; "!override" replaces. */
static int
pdns_yaml_tas(struct pd_yaml *y)
{
	if (pdns_yaml_next(y) == -1)
		return -1;
	if (y->ev.type != YAML_SEQUENCE_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: trustanchors: a sequence "
		    "is expected", y->path, pdns_yaml_line(y));
		return -1;
	}
	if (y->ev.data.sequence_start.tag != NULL &&
	    strcmp((const char *)y->ev.data.sequence_start.tag,
	    "!override") == 0 && y->c->have_yaml_tas)
		pdns_clear(y->r);
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if (pdns_yaml_ta(y) == -1)
			return -1;
	}
}

/* One section mapping (recursor:, dnssec:, others skipped). */
static int
pdns_yaml_section(struct pd_yaml *y, const char *sect)
{
	char key[64];
	int seen[8] = { 0 }, tas = 0;
	struct pd_conf *c = y->c;

	if (pdns_yaml_next(y) == -1)
		return -1;
	if (strcmp(sect, "recursor") != 0 && strcmp(sect, "dnssec") != 0)
		return pdns_yaml_skip(y);
	if (y->ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a mapping is expected",
		    y->path, pdns_yaml_line(y), sect);
		return -1;
	}
	for (;;) {
		if (pdns_yaml_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (pdns_yaml_scalar(y, sect, key, sizeof(key)) == -1)
			return -1;
		if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "validation") == 0) {
			if (pdns_yaml_val(y, key, &c->dnssec, &seen[0]) == -1)
				return -1;
		} else if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "trustanchorfile") == 0) {
			if (pdns_yaml_val(y, key, &c->tafile, &seen[1]) == -1)
				return -1;
		} else if (strcmp(sect, "dnssec") == 0 && strcmp(key,
		    "trustanchors") == 0) {
			if (tas++ > 0) {
				snprintf(y->err, y->errlen, "%s:%u: %s given "
				    "twice", y->path, pdns_yaml_line(y), key);
				return -1;
			}
			if (pdns_yaml_tas(y) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "lua_config_file") == 0) {
			if (pdns_yaml_val(y, key, &c->lua, &seen[2]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "setuid") == 0) {
			if (pdns_yaml_val(y, key, &c->user, &seen[3]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "socket_dir") == 0) {
			if (pdns_yaml_val(y, key, &c->socket_dir,
			    &seen[4]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "config_name") == 0) {
			if (pdns_yaml_val(y, key, &c->config_name,
			    &seen[5]) == -1)
				return -1;
		} else if (strcmp(sect, "recursor") == 0 && strcmp(key,
		    "include_dir") == 0 && y->main_file) {
			if (pdns_yaml_val(y, key, &c->include_dir,
			    &seen[6]) == -1)
				return -1;
		} else if (pdns_yaml_next(y) == -1 || pdns_yaml_skip(y) == -1)
			return -1;
	}
}

/* Read one YAML settings file; sections merge into c and r. */
static int
pdns_yaml_file(struct pd_conf *c, struct resolver *r, const char *path,
    int main_file, char *err, size_t errlen)
{
	struct pd_yaml y;
	struct textfile f;
	char sect[64], seen[16][64];
	size_t nseen = 0, i;
	int rv = -1;

	if (pdns_load(path, &f, err, errlen) == -1)
		return -1;
	memset(&y, 0, sizeof(y));
	y.path = path;
	y.c = c;
	y.r = r;
	y.main_file = main_file;
	y.err = err;
	y.errlen = errlen;
	if (!yaml_parser_initialize(&y.p))
		fatalx("out of memory");
	yaml_parser_set_input_string(&y.p, (const unsigned char *)f.buf,
	    f.len);
	if (!yaml_parser_parse(&y.p, &y.ev)) {
		pdns_yaml_error(&y);
		goto out;
	}
	/* stream start, document start (an empty file has none) */
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_STREAM_END_EVENT) {
		rv = 0;
		goto done;
	}
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_SCALAR_EVENT && y.ev.data.scalar.length == 0) {
		rv = 0;         /* a document of comments only */
		goto done;
	}
	if (y.ev.type != YAML_MAPPING_START_EVENT) {
		snprintf(err, errlen, "%s:%u: the settings must be a mapping "
		    "of sections", path, pdns_yaml_line(&y));
		goto done;
	}
	for (;;) {
		if (pdns_yaml_next(&y) == -1)
			goto done;
		if (y.ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (pdns_yaml_scalar(&y, "section", sect, sizeof(sect)) == -1)
			goto done;
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], sect) == 0) {
				snprintf(err, errlen, "%s:%u: section %s given "
				    "twice", path, pdns_yaml_line(&y), sect);
				goto done;
			}
		if (nseen < 16)
			memcpy(seen[nseen++], sect, sizeof(sect));
		if (pdns_yaml_section(&y, sect) == -1)
			goto done;
	}
	if (pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type == YAML_DOCUMENT_END_EVENT && pdns_yaml_next(&y) == -1)
		goto done;
	if (y.ev.type != YAML_STREAM_END_EVENT) {
		snprintf(err, errlen, "%s:%u: more than one YAML document",
		    path, pdns_yaml_line(&y));
		goto done;
	}
	rv = 0;
done:
	yaml_event_delete(&y.ev);
out:
	yaml_parser_delete(&y.p);
	free(f.buf);
	return rv;
}

/* ---- putting it together ---------------------------------------------------- */

/* 1 if path names a YAML settings file. */
static int
is_yaml(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && strcmp(path + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(path + n - 5, ".yaml") == 0);
}

/* The settings: main file, then the include directory. */
static int
pdns_settings(const char *config, struct pd_conf *c, struct resolver *r,
    char *err, size_t errlen)
{
	int yaml = is_yaml(config);
	char **names;
	size_t n, i;
	int rv;

	rv = yaml ? pdns_yaml_file(c, r, config, 1, err, errlen) :
	    pdns_conf_file(c, config, 1, err, errlen);
	if (rv == -1 || c->include_dir.v[0] == '\0')
		return rv;
	if (pdns_conf_list_dir(c->include_dir.v, yaml ? ".yml" : ".conf",
	    &c->include_dir, &names, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n && rv == 0; i++)
		rv = yaml ? pdns_yaml_file(c, r, names[i], 0, err, errlen) :
		    pdns_conf_file(c, names[i], 0, err, errlen);
	pdns_conf_free_names(names, n);
	return rv;
}

/*
 * A setting the installed pdns_recursor does not know makes it exit at
 * start (pdns_daemon_unknown asks its checker); it is looked up in the
 * files read.  0, or -1 with the refusal in err.
 */
static int
pdns_check_known(const char *config, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct resolver tmp;
	struct pd_conf *c = xcalloc(1, sizeof(*c));

	if (is_yaml(config) || pdns_daemon_unknown(config, c->want,
	    sizeof(c->want)) == 0) {
		free(c);
		return 0;
	}
	memset(&tmp, 0, sizeof(tmp));
	(void)pdns_settings(config, c, &tmp, why, sizeof(why));
	if (c->where.line != 0)
		snprintf(err, errlen, "%s:%u: pdns_recursor refuses to start: "
		    "unknown setting '%s'", c->where.file, c->where.line,
		    c->want);
	else
		snprintf(err, errlen, "%s: pdns_recursor refuses to start: "
		    "unknown setting '%s'", config, c->want);
	resolver_free(&tmp);
	free(c);
	return -1;
}

/* dnssec= / dnssec.validation into r->dnssec. */
static int
pdns_mode(const struct pd_conf *c, struct resolver *r, char *err,
    size_t errlen)
{
	const char *m = c->dnssec.v;

	r->dnssec = DNSSEC_ON;
	if (m[0] == '\0' || strcmp(m, "process") == 0 ||
	    strcmp(m, "log-fail") == 0 || strcmp(m, "validate") == 0)
		return 0;
	if (strcmp(m, "off") == 0 || strcmp(m, "process-no-validate") == 0) {
		r->dnssec = DNSSEC_OFF;
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s:%u",
		    c->dnssec.file, c->dnssec.line);
		return 0;
	}
	snprintf(err, errlen, "%s:%u: pdns_recursor refuses to start: "
	    "dnssec: unknown mode \"%.32s\"", c->dnssec.file, c->dnssec.line,
	    m);
	return -1;
}

/*
 * Anchors of a config: built-ins, YAML, Lua, trust anchor file.  -1 with
 * err, and *refused set when it is what the daemon refuses.
 */
static int
pdns_anchors(const char *config, struct pd_conf *c, struct resolver *r,
    int *refused, char *err, size_t errlen)
{
	char path[AW_PATH_MAX];
	struct pd_lua *l;
	int rv;

	pdns_daemon_builtin(r);
	if (pdns_settings(config, c, r, err, errlen) == -1)
		return -1;
	if (pdns_check_known(config, err, errlen) == -1 ||
	    pdns_mode(c, r, err, errlen) == -1) {
		*refused = 1;
		return -1;
	}
	if (c->lua.v[0] != '\0' && (c->have_yaml_tas || c->tafile.v[0])) {
		snprintf(err, errlen, "%s:%u: pdns_recursor refuses to start: "
		    "lua_config_file and the YAML trust anchor settings (%s:%u) "
		    "are both set", c->lua.file, c->lua.line,
		    c->have_yaml_tas ? c->yaml_ta.file : c->tafile.file,
		    c->have_yaml_tas ? c->yaml_ta.line : c->tafile.line);
		*refused = 1;
		return -1;
	}
	if (c->tafile.v[0] != '\0')
		return pdns_tafile(r, c->tafile.v, c->tafile.file,
		    c->tafile.line, err, errlen);
	if (c->lua.v[0] == '\0')
		return 0;
	if (pdns_path(c->lua.v, path, sizeof(path)) == -1) {
		snprintf(err, errlen, "%s:%u: lua-config-file: name too long",
		    c->lua.file, c->lua.line);
		return -1;
	}
	l = xcalloc(1, sizeof(*l));
	l->r = r;
	rv = pdns_lua_file(l, path, c->lua.file, c->lua.line, err, errlen);
	*refused = l->refused;
	free(l);
	return rv;
}

/*
 * The PowerDNS Recursor reader: rc->config (recursor.conf, or a .yml
 * settings file) and the extra anchor files of rc, which are read as
 * static zone files.
 */
int
pdns_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct pd_conf *c = xcalloc(1, sizeof(*c));
	const char *config = rc->config[0] ? rc->config :
	    "/etc/powerdns/recursor.conf";
	int rv = -1, refused = 0;

	snprintf(r->user, sizeof(r->user), "%s", PD_DEFAULT_USER);
	if (pdns_anchors(config, c, r, &refused, err, errlen) == -1) {
		if (!refused)
			goto done;
		/* it will not start; what was read so far is kept */
		snprintf(r->refused, sizeof(r->refused), "%s", err);
		err[0] = '\0';
	}
	if (c->user.v[0] != '\0')
		snprintf(r->user, sizeof(r->user), "%s", c->user.v);
	if (unbound_read_static_files(rc, r, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(c);
	return rv;
}

/* ---- the running daemon --------------------------------------------------- */

/*
 * Ask the running recursor what it trusts (`rec_control get-tas`, at the
 * socket-dir of its config).  No rec_control, no daemon, or an answer we
 * do not understand: 0 with r->have_loaded 0.
 */
int
pdns_loaded(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct pd_conf *c = xcalloc(1, sizeof(*c));
	struct resolver tmp;
	const char *config = rc->config[0] ? rc->config :
	    "/etc/powerdns/recursor.conf";
	char sock[AW_PATH_MAX * 2] = "", dir[AW_PATH_MAX], name[AW_PATH_MAX];

	r->have_loaded = 0;
	memset(&tmp, 0, sizeof(tmp));
	if (pdns_settings(config, c, &tmp, err, errlen) == -1)
		err[0] = '\0';  /* pdns_read reports the config */
	else {
		if (c->socket_dir.v[0] != '\0')
			snprintf(sock, sizeof(sock), "%s%s", c->chroot.v,
			    c->socket_dir.v);
		/* recursor-NAME.conf is read by a daemon started with
		 * --config-name=NAME, whose control socket is named so */
		if (c->config_name.v[0] != '\0' || !pdns_daemon_name(config,
		    dir, sizeof(dir), name, sizeof(name)))
			snprintf(name, sizeof(name), "%s", c->config_name.v);
		pdns_daemon_tas(sock, name, r);
	}
	resolver_free(&tmp);
	free(c);
	return 0;
}
