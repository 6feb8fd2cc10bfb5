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
 *  - YAML settings (5.x, not packaged here): recursor.yml, or a
 *    recursor.conf that 5.1+ takes as YAML (is_pdns_conf_yaml), with
 *    recursor.include_dir *.yml,
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
	resolver_free(r);	/* its sources only */
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
	*source_add_anchor(s) = a;
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
	if (zonefile_read_static(path, s, why, sizeof(why)) == -1) {
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

/*
 * pdns_recursor 5.x reads recursor.yml with serde_yaml: ordinary YAML
 * (aliases and anchors legal), each section and trust anchor a struct
 * that denies unknown fields (a merge key, <<, among them: serde_yaml
 * does not merge), a key given twice refused.  Only the
 * settings below are read, with yamlwalk.c in resolver mode; other
 * sections and keys are skipped.
 */
struct pd_yaml {
	struct pd_conf *c;
	struct resolver *r;
	const char *path;
	int main_file;
	char *err;
	size_t errlen;
};

/* The scalar settings read, by key path, and where they go. */
static const struct {
	const char *key;
	size_t off;
	int main_only;                  /* include_dir: the main file only */
} pd_yaml_vals[] = {
	{ "dnssec.validation", offsetof(struct pd_conf, dnssec), 0 },
	{ "dnssec.trustanchorfile", offsetof(struct pd_conf, tafile), 0 },
	{ "recursor.lua_config_file", offsetof(struct pd_conf, lua), 0 },
	{ "recursor.setuid", offsetof(struct pd_conf, user), 0 },
	{ "recursor.socket_dir", offsetof(struct pd_conf, socket_dir), 0 },
	{ "recursor.config_name", offsetof(struct pd_conf, config_name), 0 },
	{ "recursor.include_dir", offsetof(struct pd_conf, include_dir), 1 },
};

/* A scalar setting of pd_yaml_vals, into its pd_val. */
static int
pdns_yaml_val(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct pd_yaml *y = arg;
	char val[AW_PATH_MAX];
	size_t i;

	for (i = 0; strcmp(pd_yaml_vals[i].key, yamlwalk_key(w)) != 0; i++)
		;
	if (pd_yaml_vals[i].main_only && !y->main_file)
		return 0;
	if (yamlwalk_string(w, v, val, sizeof(val)) == -1)
		return -1;
	return pdns_conf_set((struct pd_val *)(void *)((char *)y->c +
	    pd_yaml_vals[i].off), val, y->path, yamlwalk_line(v),
	    strchr(yamlwalk_key(w), '.') + 1, y->err, y->errlen);
}

/* One key of a dnssec.trustanchors entry into tmp (name: into name). */
struct pd_ta {
	struct pd_yaml *y;
	struct resolver tmp;
	char name[256];
};

static int
pdns_yaml_ds(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct pd_ta *t = arg;
	char ds[PD_TOK_MAX];

	if (yamlwalk_string(w, v, ds, sizeof(ds)) == -1)
		return -1;
	return pdns_add_ds(&t->tmp, SRC_INLINE, ds, t->y->path,
	    yamlwalk_line(v), t->y->err, t->y->errlen);
}

static int
pdns_yaml_ta_key(struct yamlwalk *w, const struct yaml_node_s *k,
    const struct yaml_node_s *v, void *arg)
{
	struct pd_ta *t = arg;
	char key[32];

	yamlwalk_set_key(w, "trustanchors");
	if (yamlwalk_string(w, k, key, sizeof(key)) == -1)
		return -1;
	yamlwalk_set_key(w, key);
	if (strcmp(key, "name") == 0)
		return yamlwalk_string(w, v, t->name, sizeof(t->name));
	if (strcmp(key, "dsrecords") == 0)
		return yamlwalk_seq(w, v, pdns_yaml_ds, t);
	return yamlwalk_error(w, yamlwalk_line(k), "trustanchors: unknown "
	    "key %s: pdns_recursor refuses it", key);
}

/* One dnssec.trustanchors entry: {name: ..., dsrecords: [...]}; a root
 * entry replaces the built-in set (the first one) and adds to it. */
static int
pdns_yaml_ta(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct pd_ta *t = xcalloc(1, sizeof(*t));
	struct pd_yaml *y = arg;
	unsigned line = yamlwalk_line(v);
	size_t k;
	int rv = -1;

	t->y = y;
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1 ||
	    yamlwalk_pairs(w, v, "trustanchors", pdns_yaml_ta_key, t) == -1)
		goto done;
	if (t->name[0] == '\0') {
		yamlwalk_error(w, line, "trustanchors: entry without a name");
		goto done;
	}
	if (is_root_name(t->name)) {
		if (!y->c->have_yaml_tas) {
			pdns_clear(y->r);  /* the built-in set is replaced */
			y->c->have_yaml_tas = 1;
			pdns_conf_set(&y->c->yaml_ta, "trustanchors", y->path,
			    line, "trustanchors", y->err, y->errlen);
		}
		for (k = 0; k < t->tmp.nsources; k++)
			source_copy(resolver_add_source(y->r),
			    &t->tmp.sources[k]);
	}
	rv = 0;
done:
	resolver_free(&t->tmp);
	free(t);
	return rv;
}

/* dnssec.trustanchors: a sequence of entries; "!override" replaces. */
static int
pdns_yaml_tas(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	struct pd_yaml *y = arg;
	const char *tag = yamlwalk_tag(v);

	if (yamlwalk_expect(w, v, YW_SEQUENCE) == -1)
		return -1;
	if (tag != NULL && strcmp(tag, "!override") == 0 &&
	    y->c->have_yaml_tas)
		pdns_clear(y->r);
	return yamlwalk_seq(w, v, pdns_yaml_ta, y);
}

static const struct yamlwalk_key pd_dnssec_keys[] = {
	{ "validation", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "trustanchorfile", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "trustanchors", pdns_yaml_tas, YWF_FUNC, 0, 0, 0 },
};

static const struct yamlwalk_key pd_recursor_keys[] = {
	{ "lua_config_file", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "setuid", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "socket_dir", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "config_name", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
	{ "include_dir", pdns_yaml_val, YWF_FUNC, 0, 0, 0 },
};

static int
pdns_yaml_dnssec(struct yamlwalk *w, const struct yaml_node_s *v, void *arg)
{
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	return yamlwalk_map(w, v, "dnssec", "dnssec.", pd_dnssec_keys,
	    sizeof(pd_dnssec_keys) / sizeof(pd_dnssec_keys[0]), arg);
}

static int
pdns_yaml_recursor(struct yamlwalk *w, const struct yaml_node_s *v,
    void *arg)
{
	if (yamlwalk_expect(w, v, YW_MAPPING) == -1)
		return -1;
	return yamlwalk_map(w, v, "recursor", "recursor.", pd_recursor_keys,
	    sizeof(pd_recursor_keys) / sizeof(pd_recursor_keys[0]), arg);
}

static const struct yamlwalk_key pd_top_keys[] = {
	{ "dnssec", pdns_yaml_dnssec, YWF_FUNC, 0, 0, 0 },
	{ "recursor", pdns_yaml_recursor, YWF_FUNC, 0, 0, 0 },
};

/* Read one YAML settings file; sections merge into c and r.  A key given
 * twice anywhere is refused, as serde_yaml refuses it. */
static int
pdns_yaml_file(struct pd_conf *c, struct resolver *r, const char *path,
    int main_file, char *err, size_t errlen)
{
	struct pd_yaml y = { c, r, path, main_file, err, errlen };
	struct yamlwalk *w;
	struct textfile f;
	char key[64];
	unsigned line;
	int rv = -1;

	if (pdns_load(path, &f, err, errlen) == -1)
		return -1;
	w = yamlwalk_open(path, f.buf, f.len, 0, PD_YAML_DEPTH, err, errlen);
	if (w != NULL && yamlwalk_find_dup(w, &line, key, sizeof(key)))
		yamlwalk_error(w, line, "%s given twice: pdns_recursor refuses "
		    "duplicate keys", key);
	else if (w != NULL && yamlwalk_find_merge(w, &line))
		yamlwalk_error(w, line, "merge key (<<): serde_yaml does not "
		    "merge, and pdns_recursor refuses the unknown field");
	else if (w != NULL)
		rv = yamlwalk_top(w, pd_top_keys, 2, &y);
	yamlwalk_free(w);
	free(f.buf);
	return rv;
}

/* ---- putting it together ---------------------------------------------------- */

/*
 * 1 if the daemon of version v (all 0: none found) reads config as YAML
 * settings: a .yml file; a recursor.conf that 5.1 and later take as YAML,
 * judged by its content as they judge it (is_pdns_conf_yaml).  5.0 and
 * 4.x read recursor.conf old-style only: a file in YAML form there is
 * what they refuse ("unknown setting"), and the daemon installed here is
 * the one that will read it.  With no daemon to ask, the file is judged
 * as the 5.x it is written for.
 */
static int
is_yaml_conf(const char *config, const unsigned v[3])
{
	size_t n = strlen(config);

	if ((n > 4 && strcmp(config + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(config + n - 5, ".yaml") == 0))
		return 1;
	if (v[0] != 0 && (v[0] < 5 || (v[0] == 5 && v[1] == 0)))
		return 0;
	return is_pdns_conf_yaml(config);
}

/* The settings (YAML if yaml): main file, then the include directory. */
static int
pdns_settings(const char *config, int yaml, struct pd_conf *c,
    struct resolver *r, char *err, size_t errlen)
{
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
pdns_check_known(const char *config, int yaml, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct resolver tmp;
	struct pd_conf *c = xcalloc(1, sizeof(*c));

	if (yaml || pdns_daemon_unknown(config, c->want,
	    sizeof(c->want)) == 0) {
		free(c);
		return 0;
	}
	memset(&tmp, 0, sizeof(tmp));
	(void)pdns_settings(config, 0, c, &tmp, why, sizeof(why));
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
	unsigned v[3];
	int rv, yaml;

	pdns_daemon_builtin(r, v);
	yaml = is_yaml_conf(config, v);
	if (pdns_settings(config, yaml, c, r, err, errlen) == -1)
		return -1;
	if (pdns_check_known(config, yaml, err, errlen) == -1 ||
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
	if (zonefile_read_static_files(rc, r, err, errlen) == -1)
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
	unsigned v[3];

	r->have_loaded = 0;
	memset(&tmp, 0, sizeof(tmp));
	pdns_daemon_builtin(&tmp, v);
	if (pdns_settings(config, is_yaml_conf(config, v), c, &tmp, err,
	    errlen) == -1)
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

/* PowerDNS Recursor's row of the reader table (reader.c). */
const struct reader pdns_reader = {
	.type = "pdns-recursor",
	.read = pdns_read,
	.default_config = "/etc/powerdns/recursor.conf",
	.process = "pdns_recursor",
	.cmdline = RC_DIR_NAME,
	.user = PD_DEFAULT_USER,
	.variant = RFC5011_PLAIN,
	.loaded = pdns_loaded,
	.advice_static = "pdns_recursor has no RFC 5011: add each new root "
	    "KSK's DS (addTA, dnssec.trustanchors) before it signs",
	.repair = pdns_repair,
	.reload = pdns_fix_reload,
};
