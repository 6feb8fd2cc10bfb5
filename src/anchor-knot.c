/*
 * anchor-knot.c: what a Knot Resolver daemon (kresd 5.x, 6.x) trusts for
 * the root.
 *
 * kresd 5.x is configured in Lua.  Lua is not run here: a tokenizer that
 * knows Lua's strings ('...', "...", [[...]], [==[...]==]) and comments
 * (--, --[[ ]]) finds the calls that decide the root trust anchor, with
 * literal arguments only, in file order, ignoring control flow:
 *  - trust_anchors.add_file(path [, readonly]): the root keyset becomes the
 *    file, RFC 5011 managed (RFC 5011 section 2) unless readonly is true;
 *  - trust_anchors.add('. DS ...'): static records; kresd 5.6 then trusts
 *    only the records of the LAST add() call (keyset_publish replaces the
 *    store although it logs "extending"; observed with the real daemon),
 *    and refuses to start when the root keyset is managed;
 *  - trust_anchors.remove('.'): no root anchor, validation off;
 *  - trust_anchors.set_insecure({...'.'...}): refused by kresd while a
 *    root anchor exists (the config fails to load), else validation off;
 *  - modules.unload('ta_update'): managed keysets stop being updated;
 *  - user('name', ...): the user kresd runs as; dofile('file'): nested.
 * Anything else, and any call whose arguments are not literals, is
 * ignored.  Before the config, kresd's sandbox.lua loads a compiled-in
 * default: Debian (and upstream's .deb) build with keyfile_default
 * /usr/share/dns/root.key read-only; upstream's default build and its RPMs
 * use a managed root.keys.  The reader takes it from the installed
 * sandbox.lua, or assumes Debian's.
 *
 * kresd 6.x is configured in YAML (config.yaml, read here with libyaml's
 * event API): dnssec: false, or dnssec: { enable:, trust-anchors: [],
 * negative-trust-anchors: [], trust-anchors-files: [{file:, read-only:}] },
 * applied in the order the 6.x manager renders them to Lua (inline
 * anchors, negative anchors, files).
 *
 * root.keys, the file kresd rewrites: one record a line followed by
 * " ; <State>:<timer> ; KeyTag:<tag>"; keys kresd must not trust (AddPend,
 * Revoked, Removed, Start) are written commented out with "; " in front.
 * A record without a state is Valid.  kresd rewrites the file after every
 * successful refresh, so its mtime is the last successful probe.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "anchorwatch.h"

#define KN_LINE_MAX 8192       /* one line of an inline add() */
#define KN_STR_MAX 16384       /* one Lua string literal */
#define KN_NAME_MAX 256        /* one Lua name, or a dotted chain */
#define KN_ARGS_MAX 4          /* literal arguments we keep of one call */
#define KN_DEPTH_MAX 8         /* nested dofile() */
#define KN_YAML_DEPTH 16       /* nesting of config.yaml */
#define KN_YAML_LIST_MAX 32    /* items of one 6.x dnssec list */
#define KN_TIME_MAX 253402300799ULL /* 9999-12-31, epoch seconds */
#define KN_HOLDDOWN (30LL * 86400) /* ta_update.lua hold_down_time */
#define KN_USER "knot-resolver"
#define KN_CONFIG5 "/etc/knot-resolver/kresd.conf"
#define KN_CONFIG6 "/etc/knot-resolver/config.yaml"
#define KN_KEYFILE "/usr/share/dns/root.key"

/*
 * Test hooks (not in anchorwatch.h): the sandbox.lua that holds kresd's
 * compiled-in default (NULL: search where packages install it) and the
 * directory relative file names resolve in (the Debian unit's
 * WorkingDirectory).
 */
const char *knot_sandbox = NULL;
const char *knot_workdir = "/var/lib/knot-resolver";

/* A loaded file and a cursor into it. */
/* The root keyset as kresd would hold it after each statement. */
struct kn_conf {
	struct source *root;          /* NULL: no root anchor */
	int managed;                  /* RFC 5011 updates the root keyset */
	int nta_root;                 /* '.' is a negative trust anchor */
	char off_where[AW_PATH_MAX + 16]; /* what turned validation off */
	char user[AW_NAME_MAX];
	char stack[KN_DEPTH_MAX + 1][AW_PATH_MAX];
	size_t depth;
};

/* ---- files and lines ---------------------------------------------------- */

/* name resolved in dir unless absolute, into out.  0 or -1 (too long). */
static int
knot_path(const char *dir, const char *name, char *out, size_t outlen)
{
	int n;

	if (name[0] == '/' || dir[0] == '\0')
		n = snprintf(out, outlen, "%s", name);
	else
		n = snprintf(out, outlen, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* ---- key files: root.keys and plain DS/DNSKEY files --------------------- */

/*
 * The state of a kresd key comment " <State>:<timer> ; KeyTag:N".
 * Returns 1 with *st and *timer (0 if none) set, 0 if the comment names
 * no state kresd knows (kresd then keeps its default), -1 (why) on an out
 * of range timer.
 */
static int
knot_state(const char *c, enum ks_state *st, long long *timer, char *why,
    size_t whylen)
{
	static const struct {
		const char *word;
		enum ks_state st;
	} states[] = { { "Start", KS_START }, { "AddPend", KS_ADDPEND },
	    { "Valid", KS_VALID }, { "Missing", KS_MISSING },
	    { "Revoked", KS_REVOKED }, { "Removed", KS_REMOVED } };
	unsigned long long v = 0;
	size_t i, n = 0;

	while (*c == ' ' || *c == '\t')
		c++;
	while (isalpha((unsigned char)c[n]))
		n++;
	if (n == 0 || c[n] != ':')
		return 0;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strlen(states[i].word) == n &&
		    strncmp(c, states[i].word, n) == 0)
			break;
	if (i == sizeof(states) / sizeof(states[0]))
		return 0;
	for (c += n + 1; isdigit((unsigned char)*c); c++) {
		if (v > (KN_TIME_MAX - (unsigned)(*c - '0')) / 10) {
			snprintf(why, whylen, "%s timer out of range",
			    states[i].word);
			return -1;
		}
		v = v * 10 + (unsigned)(*c - '0');
	}
	*st = states[i].st;
	*timer = (long long)v;
	return 1;
}

/*
 * Give a the state a kresd comment names.  kresd's timer is when the
 * state ends (ta_update.lua: AddPend and Revoked at their sighting plus
 * hold_down_time, Missing plus four times it), so the sighting, which
 * events.c counts the add hold-down from, is the timer less the
 * hold-down.  Returns 1 if the comment named a state, 0, or -1 (why).
 */
static int
knot_anchor_state(struct anchor *a, const char *comment, char *why,
    size_t whylen)
{
	long long timer = 0;
	enum ks_state st;
	int r;

	if (comment[0] == ';')
		comment++;
	if ((r = knot_state(comment, &st, &timer, why, whylen)) != 1)
		return r;
	a->state = st;
	a->lastchange = 0;
	if (timer > KN_HOLDDOWN && (st == KS_ADDPEND || st == KS_REVOKED))
		a->lastchange = timer - KN_HOLDDOWN;
	else if (timer > 4 * KN_HOLDDOWN && st == KS_MISSING)
		a->lastchange = timer - 4 * KN_HOLDDOWN;
	return 1;
}

/* Add anchor a (line) to s; -1 (why) when s is full. */
static int
knot_add_anchor(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen)
{
	return zonefile_add(s, a, line, why, whylen);
}

/* What reading a key file collects. */
struct kn_keys {
	struct source *s;
	size_t nother;               /* records that are not root anchors */
};

/*
 * A "; " line of root.keys: kresd loads it if the rest parses as a record
 * with a state it knows, and ignores it as a comment otherwise.
 */
static int
knot_commented(struct source *s, const char *l, size_t n, unsigned line,
    char *why, size_t whylen)
{
	char text[ZF_LINE_MAX + 1], scratch[AW_ERR_MAX], *semi;
	struct anchor a;
	int r;

	snprintf(text, sizeof(text), "%.*s", (int)n, l);
	if ((semi = strchr(text, ';')) == NULL)
		return 0;
	*semi = '\0';
	if (keyset_parse_rr(text, &a, scratch, sizeof(scratch)) != 1)
		return 0;
	if ((r = knot_anchor_state(&a, semi + 1, why, whylen)) != 1)
		return r;
	return knot_add_anchor(s, &a, line, why, whylen);
}

/* $TTL n and $ORIGIN . are accepted; other directives are refused. */
static int
knot_directive(const char *t, char *why, size_t whylen)
{
	char dir[16] = "", arg[32] = "", more[8] = "";
	unsigned long long v = 0;
	const char *p;

	if (sscanf(t, "%15s %31s %7s", dir, arg, more) < 1 || more[0] != '\0')
		goto bad;
	if (strcasecmp(dir, "$ORIGIN") == 0 && strcmp(arg, ".") == 0)
		return 0;
	if (strcasecmp(dir, "$TTL") != 0 || arg[0] == '\0')
		goto bad;
	for (p = arg; isdigit((unsigned char)*p) && v <= 2147483647ULL; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (*p == '\0' && v <= 2147483647ULL)
		return 0;
bad:
	snprintf(why, whylen, "unsupported directive or bad value: %.40s", t);
	return -1;
}

/* One item of a key file: an anchor of k->s, or counted in k->nother. */
static int
knot_key_item(void *arg, const struct zonefile_rec *z, char *why,
    size_t whylen)
{
	struct kn_keys *k = arg;
	struct anchor a;
	int r;

	if (z->kind == ZF_COMMENT) {
		if (z->rawlen < 2 || z->raw[0] != ';' || z->raw[1] != ' ')
			return 0;
		return knot_commented(k->s, z->raw + 2, z->rawlen - 2,
		    z->line, why, whylen);
	}
	if (z->kind == ZF_DIRECTIVE)
		return knot_directive(z->text, why, whylen);
	if ((r = keyset_parse_rr(z->text, &a, why, whylen)) == -1)
		return -1;
	if ((r == 0 && k->s->nanchors > 0) || (r == 1 && k->nother > 0)) {
		snprintf(why, whylen, "root anchors mixed with records of "
		    "another zone or type (kresd refuses the file)");
		return -1;
	}
	if (r == 0) {
		k->nother++;
		return 0;
	}
	a.state = KS_VALID;
	if ((r = knot_anchor_state(&a, z->comment, why, whylen)) == -1)
		return -1;
	if (r == 1)
		k->s->is_stateful = 1;
	return knot_add_anchor(k->s, &a, z->line, why, whylen);
}

/*
 * Read key file path into s as kresd's add_file() would: a file mixing
 * root anchors with other records, or holding none, makes kresd refuse
 * it.  Returns 1 if the file holds the root's anchors, 0 if only another
 * zone's, -1 with err set.
 */
static int
knot_read_keyfile(const char *path, struct source *s, char *err,
    size_t errlen)
{
	struct kn_keys k = { s, 0 };
	struct textfile f;
	struct stat st;
	int rv;

	if (fileio_open_text(path, &f, err, errlen) == -1)
		return -1;
	rv = zonefile_parse(&f, knot_key_item, &k, err, errlen);
	free(f.buf);
	if (rv == -1)
		return -1;
	if (s->nanchors == 0 && k.nother == 0) {
		snprintf(err, errlen, "%s:1: no trust anchor in file (kresd "
		    "refuses the file)", path);
		return -1;
	}
	if (s->kind == SRC_AUTO && stat(path, &st) == 0) {
		/* kresd rewrites the file after every successful refresh */
		s->have_probe = 1;
		s->last_success = (long long)st.st_mtime;
	}
	return s->nanchors > 0;
}

/* ---- what a statement does to the root keyset --------------------------- */

/*
 * trust_anchors.add_file(path, ro) at file:line; path is resolved already.
 * builtin: kresd's compiled-in default.
 */
static int
knot_add_file(struct kn_conf *c, const char *path, int ro, int builtin,
    const char *file, unsigned line, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct source *s;
	int r;

	s = xcalloc(1, sizeof(*s));
	s->kind = !ro ? SRC_AUTO : builtin ? SRC_BUILTIN : SRC_FILE;
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	if ((r = knot_read_keyfile(path, s, why, sizeof(why))) == -1) {
		if (file[0] == '\0')
			snprintf(err, errlen, "kresd built-in default anchor: "
			    "%s", why);
		else
			snprintf(err, errlen, "%s:%u: trust_anchors.add_file: "
			    "%s", file, line, why);
		free(s);
		return -1;
	}
	if (r == 0) {
		free(s);        /* another zone's anchors */
		return 0;
	}
	free(c->root);
	c->root = s;
	c->managed = !ro;
	return 0;
}

/* trust_anchors.add(text): kresd then trusts these records only. */
static int
knot_add_inline(struct kn_conf *c, const char *text, const char *file,
    unsigned line, char *err, size_t errlen)
{
	char rr[KN_LINE_MAX + 1], why[AW_ERR_MAX], *semi;
	struct source *s = xcalloc(1, sizeof(*s));
	const char *p = text, *e;
	size_t nother = 0, n;
	struct anchor a;
	int r;

	s->kind = SRC_INLINE;
	snprintf(s->path, sizeof(s->path), "%s", file);
	snprintf(s->decl_file, sizeof(s->decl_file), "%s", file);
	s->decl_line = line;
	for (; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		n = (size_t)(e - p);
		if (n > KN_LINE_MAX) {
			snprintf(why, sizeof(why), "record too long");
			goto bad;
		}
		snprintf(rr, sizeof(rr), "%.*s", (int)n, p);
		if ((semi = strchr(rr, ';')) != NULL)
			*semi = '\0';
		if (strspn(rr, " \t\r") == strlen(rr))
			continue;
		if ((r = keyset_parse_rr(rr, &a, why, sizeof(why))) == -1)
			goto bad;
		if (r == 0)
			nother++;
		else if (knot_add_anchor(s, &a, line, why, sizeof(why)) == -1)
			goto bad;
	}
	if (s->nanchors == 0) {
		free(s);
		return 0;
	}
	if (nother > 0) {
		snprintf(why, sizeof(why), "root anchors mixed with other "
		    "records (kresd refuses them)");
		goto bad;
	}
	if (c->root != NULL && c->managed) {
		snprintf(why, sizeof(why), "the root keyset (%s) is RFC 5011 "
		    "managed: kresd refuses to start", c->root->path);
		goto bad;
	}
	free(c->root);
	c->root = s;
	c->managed = 0;
	return 0;
bad:
	snprintf(err, errlen, "%s:%u: trust_anchors.add: %s", file, line, why);
	free(s);
	return -1;
}

/* trust_anchors.remove('.'): no root anchor, validation off. */
static void
knot_remove_root(struct kn_conf *c, const char *what, const char *file,
    unsigned line)
{
	free(c->root);
	c->root = NULL;
	c->managed = 0;
	snprintf(c->off_where, sizeof(c->off_where), "%s:%u (%s)", file, line,
	    what);
}

/* set_insecure with '.' in it: refused while the root has an anchor. */
static int
knot_nta_root(struct kn_conf *c, int has_root, const char *file,
    unsigned line, char *err, size_t errlen)
{
	c->nta_root = has_root;
	if (!has_root)
		return 0;
	if (c->root != NULL) {
		snprintf(err, errlen, "%s:%u: negative trust anchor for '.' "
		    "while the root has a trust anchor: kresd refuses the "
		    "config", file, line);
		return -1;
	}
	snprintf(c->off_where, sizeof(c->off_where), "%s:%u (negative trust "
	    "anchor for '.')", file, line);
	return 0;
}

/* ---- Lua: tokens ------------------------------------------------------ */

enum kn_tt { KT_EOF, KT_NAME, KT_STR, KT_NUM, KT_PUNCT };

struct kn_tok {
	enum kn_tt type;
	char text[KN_STR_MAX];
	size_t len;
	unsigned line;
};

/* Level of a long bracket "[==[" at b[pos], or -1 if there is none. */
static int
knot_long_open(const struct textfile *f, size_t pos)
{
	size_t i = pos + 1;

	if (pos >= f->len || f->buf[pos] != '[')
		return -1;
	while (i < f->len && f->buf[i] == '=')
		i++;
	if (i >= f->len || f->buf[i] != '[' || i - pos - 1 > 64)
		return -1;
	return (int)(i - pos - 1);
}

/*
 * Skip a long bracket of level lvl opened at f->pos; copy its body to t
 * when t != NULL.  Returns 0, or -1 (err) if it is never closed.
 */
static int
knot_long(struct textfile *f, int lvl, struct kn_tok *t, const char *what,
    char *err, size_t errlen)
{
	unsigned start = f->line;
	size_t i, n = 0;

	f->pos += (size_t)lvl + 2;
	if (f->pos < f->len && f->buf[f->pos] == '\r')
		f->pos++;
	if (f->pos < f->len && f->buf[f->pos] == '\n') {
		f->pos++;
		f->line++;
	}
	for (; f->pos < f->len; f->pos++) {
		if (f->buf[f->pos] == ']') {
			for (i = 1; f->pos + i < f->len &&
			    f->buf[f->pos + i] == '=' && i <= (size_t)lvl; i++)
				;
			if (i == (size_t)lvl + 1 && f->pos + i < f->len &&
			    f->buf[f->pos + i] == ']') {
				f->pos += i + 1;
				if (t != NULL)
					t->text[n] = '\0', t->len = n;
				return 0;
			}
		}
		if (f->buf[f->pos] == '\n')
			f->line++;
		if (t == NULL)
			continue;
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: string longer than %d "
			    "characters", f->path, start, KN_STR_MAX);
			return -1;
		}
		t->text[n++] = f->buf[f->pos];
	}
	snprintf(err, errlen, "%s:%u: %s not closed", f->path, start, what);
	return -1;
}

/* Skip blanks and comments.  Returns 0, or -1 on an unclosed comment. */
static int
knot_lua_skip(struct textfile *f, char *err, size_t errlen)
{
	const char *b = f->buf;
	int lvl;

	while (f->pos < f->len) {
		if (b[f->pos] == '\n') {
			f->line++;
			f->pos++;
		} else if (isspace((unsigned char)b[f->pos])) {
			f->pos++;
		} else if (b[f->pos] == '-' && f->pos + 1 < f->len &&
		    b[f->pos + 1] == '-') {
			f->pos += 2;
			if ((lvl = knot_long_open(f, f->pos)) >= 0) {
				if (knot_long(f, lvl, NULL, "long comment",
				    err, errlen) == -1)
					return -1;
				continue;
			}
			while (f->pos < f->len && b[f->pos] != '\n')
				f->pos++;
		} else
			break;
	}
	return 0;
}

/* The escape at f->pos (after '\\') into *c; -1 if Lua refuses it. */
static int
knot_escape(struct textfile *f, char *c)
{
	static const char from[] = "abfnrtv\\\"'\n", to[] = "\a\b\f\n\r\t\v"
	    "\\\"'\n";
	const char *p;
	unsigned v = 0, i;

	if (f->pos >= f->len)
		return -1;
	if ((p = strchr(from, f->buf[f->pos])) != NULL) {
		*c = to[p - from];
		if (f->buf[f->pos] == '\n')
			f->line++;
		f->pos++;
		return 0;
	}
	if (f->buf[f->pos] == 'x') {
		for (i = 1; i < 3; i++) {
			if (f->pos + i >= f->len ||
			    !isxdigit((unsigned char)f->buf[f->pos + i]))
				return -1;
			v = v * 16 + (unsigned)(isdigit((unsigned char)
			    f->buf[f->pos + i]) ? f->buf[f->pos + i] - '0' :
			    (tolower((unsigned char)f->buf[f->pos + i]) - 'a' +
			    10));
		}
		f->pos += 3;
	} else {
		for (i = 0; i < 3 && f->pos < f->len &&
		    isdigit((unsigned char)f->buf[f->pos]); i++, f->pos++)
			v = v * 10 + (unsigned)(f->buf[f->pos] - '0');
		if (i == 0 || v > 255)
			return -1;
	}
	if (v == 0)
		return -1;      /* a NUL would cut our C string */
	*c = (char)v;
	return 0;
}

/* A '...' or "..." string at f->pos into t. */
static int
knot_short_str(struct textfile *f, struct kn_tok *t, char *err,
    size_t errlen)
{
	char q = f->buf[f->pos++], c;
	size_t n = 0;

	while (f->pos < f->len && f->buf[f->pos] != q) {
		c = f->buf[f->pos];
		if (c == '\n')
			break;
		f->pos++;
		if (c == '\\' && knot_escape(f, &c) == -1) {
			snprintf(err, errlen, "%s:%u: invalid escape in string",
			    f->path, f->line);
			return -1;
		}
		if (n + 1 >= sizeof(t->text)) {
			snprintf(err, errlen, "%s:%u: string longer than %d "
			    "characters", f->path, t->line, KN_STR_MAX);
			return -1;
		}
		t->text[n++] = c;
	}
	if (f->pos >= f->len || f->buf[f->pos] != q) {
		snprintf(err, errlen, "%s:%u: string not closed", f->path,
		    t->line);
		return -1;
	}
	f->pos++;
	t->text[n] = '\0';
	t->len = n;
	return 0;
}

/* Next Lua token of f into t.  Returns 0 (KT_EOF at the end) or -1. */
static int
knot_lua_tok(struct textfile *f, struct kn_tok *t, char *err, size_t errlen)
{
	const char *b = f->buf;
	size_t n = 0;
	int lvl;

	if (knot_lua_skip(f, err, errlen) == -1)
		return -1;
	t->line = f->line;
	t->len = 0;
	t->text[0] = '\0';
	if (f->pos >= f->len) {
		t->type = KT_EOF;
		return 0;
	}
	if (b[f->pos] == '"' || b[f->pos] == '\'') {
		t->type = KT_STR;
		return knot_short_str(f, t, err, errlen);
	}
	if ((lvl = knot_long_open(f, f->pos)) >= 0) {
		t->type = KT_STR;
		return knot_long(f, lvl, t, "long string", err, errlen);
	}
	if (isalpha((unsigned char)b[f->pos]) || b[f->pos] == '_' ||
	    isdigit((unsigned char)b[f->pos])) {
		t->type = isdigit((unsigned char)b[f->pos]) ? KT_NUM : KT_NAME;
		while (f->pos + n < f->len &&
		    (isalnum((unsigned char)b[f->pos + n]) ||
		    b[f->pos + n] == '_' || (t->type == KT_NUM &&
		    b[f->pos + n] == '.')))
			n++;
		if (n >= KN_NAME_MAX) {
			snprintf(err, errlen, "%s:%u: name longer than %d "
			    "characters", f->path, t->line, KN_NAME_MAX);
			return -1;
		}
		memcpy(t->text, b + f->pos, n);
		t->text[n] = '\0';
		t->len = n;
		f->pos += n;
		return 0;
	}
	t->type = KT_PUNCT;
	t->text[0] = b[f->pos++];
	t->text[1] = '\0';
	t->len = 1;
	return 0;
}

/* ---- Lua: calls ------------------------------------------------------- */

enum kn_at { KA_STR, KA_TRUE, KA_FALSE, KA_NIL, KA_NUM, KA_TABLE };

/* A call with the literal arguments we understand. */
struct kn_call {
	char name[KN_NAME_MAX];
	unsigned line;
	int understood;          /* every argument is a literal */
	size_t nargs;
	enum kn_at type[KN_ARGS_MAX];
	char str[KN_ARGS_MAX][KN_STR_MAX];
	int table_root[KN_ARGS_MAX];  /* a table holding the string '.' */
};

static int is_punct(const struct kn_tok *t, char c)
{
	return t->type == KT_PUNCT && t->text[0] == c;
}

/* Skip to the bracket closing the one just read (open), nesting counted. */
static int
knot_lua_close(struct textfile *f, struct kn_tok *t, char open, char *err,
    size_t errlen)
{
	char close = open == '(' ? ')' : '}';
	unsigned line = t->line;
	int depth = 1;

	while (depth > 0) {
		if (knot_lua_tok(f, t, err, errlen) == -1)
			return -1;
		if (t->type == KT_EOF) {
			snprintf(err, errlen, "%s:%u: '%c' not closed",
			    f->path, line, open);
			return -1;
		}
		if (is_punct(t, open))
			depth++;
		else if (is_punct(t, close))
			depth--;
	}
	return 0;
}

/* A table constructor of string literals; sets *root if '.' is one. */
static int
knot_lua_table(struct textfile *f, struct kn_tok *t, int *understood,
    int *root, char *err, size_t errlen)
{
	unsigned line = t->line;

	for (;;) {
		if (knot_lua_tok(f, t, err, errlen) == -1)
			return -1;
		if (is_punct(t, '}'))
			return 0;
		if (t->type == KT_STR) {
			*root |= strcmp(t->text, ".") == 0;
			continue;
		}
		if (is_punct(t, ',') || is_punct(t, ';'))
			continue;
		*understood = 0;
		if (t->type == KT_EOF) {
			snprintf(err, errlen, "%s:%u: '{' not closed", f->path,
			    line);
			return -1;
		}
		if (is_punct(t, '{') || is_punct(t, '('))
			if (knot_lua_close(f, t, t->text[0], err,
			    errlen) == -1)
				return -1;
	}
}

/* Store argument t of call c (the type says what it is). */
static void
knot_lua_arg(struct kn_call *c, const struct kn_tok *t, int root)
{
	size_t i = c->nargs;

	if (i >= KN_ARGS_MAX)
		return;
	c->nargs++;
	c->type[i] = KA_NUM;
	c->table_root[i] = root;
	if (t->type == KT_STR) {
		c->type[i] = KA_STR;
		memcpy(c->str[i], t->text, t->len + 1);
	} else if (is_punct(t, '}'))
		c->type[i] = KA_TABLE;
	else if (strcmp(t->text, "true") == 0)
		c->type[i] = KA_TRUE;
	else if (strcmp(t->text, "false") == 0)
		c->type[i] = KA_FALSE;
	else if (strcmp(t->text, "nil") == 0)
		c->type[i] = KA_NIL;
}

/*
 * The argument list of c after its '(' was read: literals separated by
 * commas.  Anything else makes c not understood.
 */
static int
knot_lua_args(struct textfile *f, struct kn_tok *t, struct kn_call *c,
    char *err, size_t errlen)
{
	int want_arg = 1, root;

	for (;;) {
		if (knot_lua_tok(f, t, err, errlen) == -1)
			return -1;
		if (is_punct(t, ')'))
			return 0;
		if (t->type == KT_EOF) {
			snprintf(err, errlen, "%s:%u: '(' not closed", f->path,
			    c->line);
			return -1;
		}
		if (!want_arg && is_punct(t, ',')) {
			want_arg = 1;
			continue;
		}
		root = 0;
		if (want_arg && is_punct(t, '{')) {
			if (knot_lua_table(f, t, &c->understood, &root, err,
			    errlen) == -1)
				return -1;
		} else if (!want_arg || (t->type != KT_STR &&
		    t->type != KT_NUM && strcmp(t->text, "true") != 0 &&
		    strcmp(t->text, "false") != 0 &&
		    strcmp(t->text, "nil") != 0)) {
			c->understood = 0;
			if ((is_punct(t, '(') || is_punct(t, '{')) &&
			    knot_lua_close(f, t, t->text[0], err, errlen) == -1)
				return -1;
			continue;
		}
		knot_lua_arg(c, t, root);
		want_arg = 0;
	}
}

static int knot_lua_file(struct kn_conf *, const char *, int, const char *,
    unsigned, char *, size_t);

/* 1 if argument i of c is the string s. */
static int
is_arg(const struct kn_call *c, size_t i, const char *s)
{
	return c->nargs > i && c->type[i] == KA_STR && strcmp(c->str[i], s) == 0;
}

/* Apply call c of file; sandbox: only add_file counts (the builtin). */
static int
knot_lua_apply(struct kn_conf *c, const struct kn_call *k, const char *file,
    int sandbox, char *err, size_t errlen)
{
	char path[AW_PATH_MAX];

	if (!k->understood || k->nargs == 0)
		return 0;
	if (strcmp(k->name, "trust_anchors.add_file") == 0 &&
	    k->type[0] == KA_STR) {
		if (k->str[0][0] == '\0' || knot_path(knot_workdir, k->str[0],
		    path, sizeof(path)) == -1) {
			snprintf(err, errlen, "%s:%u: trust_anchors.add_file: "
			    "bad file name", file, k->line);
			return -1;
		}
		return knot_add_file(c, path, k->nargs > 1 &&
		    k->type[1] != KA_FALSE && k->type[1] != KA_NIL, sandbox,
		    file, k->line, err, errlen);
	}
	if (sandbox)
		return 0;
	if (strcmp(k->name, "trust_anchors.add") == 0 && k->type[0] == KA_STR)
		return knot_add_inline(c, k->str[0], file, k->line, err,
		    errlen);
	if (strcmp(k->name, "trust_anchors.remove") == 0 && is_arg(k, 0, "."))
		knot_remove_root(c, "trust_anchors.remove('.')", file, k->line);
	else if (strcmp(k->name, "trust_anchors.set_insecure") == 0 &&
	    k->type[0] == KA_TABLE)
		return knot_nta_root(c, k->table_root[0], file, k->line, err,
		    errlen);
	else if (strcmp(k->name, "modules.unload") == 0 &&
	    is_arg(k, 0, "ta_update")) {
		c->managed = 0;         /* the file is no longer updated */
		if (c->root != NULL && c->root->kind == SRC_AUTO)
			c->root->kind = SRC_FILE;
	} else if (strcmp(k->name, "user") == 0 && k->type[0] == KA_STR)
		snprintf(c->user, sizeof(c->user), "%s", k->str[0]);
	else if (strcmp(k->name, "dofile") == 0 && k->type[0] == KA_STR) {
		if (knot_path(knot_workdir, k->str[0], path,
		    sizeof(path)) == -1) {
			snprintf(err, errlen, "%s:%u: dofile: name too long",
			    file, k->line);
			return -1;
		}
		return knot_lua_file(c, path, 0, file, k->line, err, errlen);
	}
	return 0;
}

/*
 * Walk the tokens of f: a dotted name chain followed by '(' or a string
 * or table literal is a call.
 */
static int
knot_lua_walk(struct kn_conf *c, struct textfile *f, int sandbox, char *err,
    size_t errlen)
{
	struct kn_tok *t = xcalloc(1, sizeof(*t));
	struct kn_call *k = xcalloc(1, sizeof(*k));
	char chain[KN_NAME_MAX] = "";
	int prev_dot = 0, prev_name = 0, rv = -1, root;

	for (;;) {
		if (knot_lua_tok(f, t, err, errlen) == -1)
			goto done;
		if (t->type == KT_EOF)
			break;
		if (prev_name && chain[0] != '\0' && (is_punct(t, '(') ||
		    t->type == KT_STR || is_punct(t, '{'))) {
			memset(k, 0, offsetof(struct kn_call, str));
			snprintf(k->name, sizeof(k->name), "%s", chain);
			k->line = t->line;
			k->understood = 1;
			root = 0;
			if (is_punct(t, '(') ? knot_lua_args(f, t, k, err,
			    errlen) == -1 : is_punct(t, '{') ?
			    knot_lua_table(f, t, &k->understood, &root, err,
			    errlen) == -1 : 0)
				goto done;
			if (t->type == KT_STR || is_punct(t, '}'))
				knot_lua_arg(k, t, root);
			if (knot_lua_apply(c, k, f->path, sandbox, err,
			    errlen) == -1)
				goto done;
			chain[0] = '\0';
			prev_name = prev_dot = 0;
			continue;
		}
		if (t->type == KT_NAME) {
			if (!prev_dot || chain[0] == '\0')
				chain[0] = '\0';
			if (strlen(chain) + t->len + 2 > sizeof(chain))
				chain[0] = '\0';
			else if (chain[0] != '\0')
				strcat(strcat(chain, "."), t->text);
			else
				memcpy(chain, t->text, t->len + 1);
			prev_name = 1;
			prev_dot = 0;
			continue;
		}
		prev_dot = prev_name && (is_punct(t, '.') || is_punct(t, ':'));
		if (!prev_dot)
			chain[0] = '\0';
		prev_name = 0;
	}
	rv = 0;
done:
	free(t);
	free(k);
	return rv;
}

/* Refuse path if it is already being read or nesting is too deep. */
static int
knot_push(struct kn_conf *c, const char *path, const char *from,
    unsigned line, char *err, size_t errlen)
{
	char real[PATH_MAX];
	size_t i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	if (c->depth >= KN_DEPTH_MAX || strlen(real) >= AW_PATH_MAX) {
		snprintf(err, errlen, "%s:%u: dofile nested deeper than %d",
		    from, line, KN_DEPTH_MAX);
		return -1;
	}
	for (i = 0; i < c->depth; i++) {
		if (strcmp(c->stack[i], real) == 0) {
			snprintf(err, errlen, "%s:%u: dofile loop: %s", from,
			    line, path);
			return -1;
		}
	}
	memcpy(c->stack[c->depth++], real, strlen(real) + 1);
	return 0;
}

/* Read one Lua file (from from:line when nested). */
static int
knot_lua_file(struct kn_conf *c, const char *path, int sandbox,
    const char *from, unsigned line, char *err, size_t errlen)
{
	char why[AW_ERR_MAX];
	struct textfile f;
	int rv;

	if (knot_push(c, path, from != NULL ? from : path, line, err,
	    errlen) == -1)
		return -1;
	if (fileio_open_text(path, &f, why, sizeof(why)) == -1) {
		if (from != NULL)
			snprintf(err, errlen, "%s:%u: dofile: %s", from, line,
			    why);
		else
			snprintf(err, errlen, "%s", why);
		c->depth--;
		return -1;
	}
	f.line = 1;
	rv = knot_lua_walk(c, &f, sandbox, err, errlen);
	c->depth--;
	free(f.buf);
	return rv;
}

/* ---- kresd 6.x config.yaml ---------------------------------------------- */

/* What the dnssec: section of a 6.x config says. */
struct kn_y6 {
	int off;                      /* dnssec: false or enable: false */
	unsigned off_line;
	char *ta[KN_YAML_LIST_MAX];   /* trust-anchors, malloc'd */
	unsigned ta_line[KN_YAML_LIST_MAX];
	size_t nta;
	int nta_root;
	unsigned nta_line;
	char *file[KN_YAML_LIST_MAX]; /* trust-anchors-files, malloc'd */
	int ro[KN_YAML_LIST_MAX];
	unsigned file_line[KN_YAML_LIST_MAX];
	size_t nfile;
};

struct kn_yaml {
	yaml_parser_t p;
	yaml_event_t ev;
	int have_ev;
	int depth;
	const char *path;
	char *err;
	size_t errlen;
};

/* Line (1-based) of the current event. */
static unsigned
ky_line(const struct kn_yaml *y)
{
	return (unsigned)y->ev.start_mark.line + 1;
}

/* Next event; aliases, anchors and over-deep documents are refused. */
static int
ky_next(struct kn_yaml *y)
{
	if (y->have_ev)
		yaml_event_delete(&y->ev);
	y->have_ev = 0;
	if (!yaml_parser_parse(&y->p, &y->ev)) {
		snprintf(y->err, y->errlen, "%s:%u: %s", y->path,
		    (unsigned)y->p.problem_mark.line + 1,
		    y->p.problem != NULL ? y->p.problem : "YAML error");
		return -1;
	}
	y->have_ev = 1;
	switch (y->ev.type) {
	case YAML_ALIAS_EVENT:
		snprintf(y->err, y->errlen, "%s:%u: YAML aliases are not "
		    "supported", y->path, ky_line(y));
		return -1;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (++y->depth > KN_YAML_DEPTH) {
			snprintf(y->err, y->errlen, "%s:%u: nested deeper than "
			    "%d", y->path, ky_line(y), KN_YAML_DEPTH);
			return -1;
		}
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		y->depth--;
		break;
	default:
		break;
	}
	return 0;
}

/* Skip the node that starts with the current event. */
static int
ky_skip(struct kn_yaml *y)
{
	int d = y->depth;

	if (y->ev.type != YAML_MAPPING_START_EVENT &&
	    y->ev.type != YAML_SEQUENCE_START_EVENT)
		return 0;
	while (y->depth >= d)
		if (ky_next(y) == -1)
			return -1;
	return 0;
}

static const char *
ky_scalar(const struct kn_yaml *y)
{
	return (const char *)y->ev.data.scalar.value;
}

/* The current event as a YAML 1.1 boolean (kresd's manager uses PyYAML). */
static int
ky_bool(struct kn_yaml *y, const char *key, int *v)
{
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes",
	    "YES", "on", "On", "ON" }, *no[] = { "false", "False", "FALSE",
	    "no", "No", "NO", "off", "Off", "OFF" };
	size_t i;

	if (y->ev.type == YAML_SCALAR_EVENT &&
	    y->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
			if (strcmp(ky_scalar(y), yes[i]) == 0) {
				*v = 1;
				return 0;
			}
			if (strcmp(ky_scalar(y), no[i]) == 0) {
				*v = 0;
				return 0;
			}
		}
	}
	snprintf(y->err, y->errlen, "%s:%u: %s: true or false expected",
	    y->path, ky_line(y), key);
	return -1;
}

/* The current event as a string of at most KN_STR_MAX bytes. */
static int
ky_str(struct kn_yaml *y, const char *key, char **out)
{
	if (y->ev.type != YAML_SCALAR_EVENT || y->ev.data.scalar.length >=
	    KN_STR_MAX || strlen(ky_scalar(y)) != y->ev.data.scalar.length) {
		snprintf(y->err, y->errlen, "%s:%u: %s: a string (shorter "
		    "than %d bytes, no NUL) expected", y->path, ky_line(y),
		    key, KN_STR_MAX);
		return -1;
	}
	*out = xcalloc(1, y->ev.data.scalar.length + 1);
	memcpy(*out, ky_scalar(y), y->ev.data.scalar.length);
	return 0;
}

/* Expect the start of a sequence for key. */
static int
ky_want(struct kn_yaml *y, yaml_event_type_t type, const char *key)
{
	if (y->ev.type == type)
		return 0;
	snprintf(y->err, y->errlen, "%s:%u: %s: %s expected", y->path,
	    ky_line(y), key, type == YAML_SEQUENCE_START_EVENT ? "a list" :
	    "a mapping");
	return -1;
}

/* The current event must be a mapping key (a scalar). */
static int
ky_key(struct kn_yaml *y)
{
	if (y->ev.type == YAML_SCALAR_EVENT)
		return 0;
	snprintf(y->err, y->errlen, "%s:%u: a key expected", y->path,
	    ky_line(y));
	return -1;
}

/* One {file:, read-only:} item of trust-anchors-files. */
static int
ky_taf(struct kn_yaml *y, struct kn_y6 *d)
{
	size_t i = d->nfile;
	int seen_ro = 0;

	if (ky_want(y, YAML_MAPPING_START_EVENT, "trust-anchors-files") == -1)
		return -1;
	d->file_line[i] = ky_line(y);
	d->nfile++;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ky_key(y) == -1)
			return -1;
		if (strcmp(ky_scalar(y), "file") == 0 && d->file[i] == NULL) {
			if (ky_next(y) == -1 || ky_str(y, "file",
			    &d->file[i]) == -1)
				return -1;
		} else if (strcmp(ky_scalar(y), "read-only") == 0 && !seen_ro) {
			seen_ro = 1;
			if (ky_next(y) == -1 || ky_bool(y, "read-only",
			    &d->ro[i]) == -1)
				return -1;
		} else if (strcmp(ky_scalar(y), "file") == 0 ||
		    strcmp(ky_scalar(y), "read-only") == 0) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key %s",
			    y->path, ky_line(y), ky_scalar(y));
			return -1;
		} else if (ky_next(y) == -1 || ky_skip(y) == -1)
			return -1;
	}
	if (d->file[i] == NULL) {
		snprintf(y->err, y->errlen, "%s:%u: trust-anchors-files: item "
		    "without file", y->path, d->file_line[i]);
		return -1;
	}
	return 0;
}

/* A list under key: each item read by one of the three handlers. */
static int
ky_list(struct kn_yaml *y, struct kn_y6 *d, const char *key)
{
	char *s;

	if (ky_want(y, YAML_SEQUENCE_START_EVENT, key) == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_SEQUENCE_END_EVENT)
			return 0;
		if ((strcmp(key, "trust-anchors") == 0 ? d->nta :
		    strcmp(key, "trust-anchors-files") == 0 ? d->nfile : 0) >=
		    KN_YAML_LIST_MAX) {
			snprintf(y->err, y->errlen, "%s:%u: %s: more than %d "
			    "items", y->path, ky_line(y), key,
			    KN_YAML_LIST_MAX);
			return -1;
		}
		if (strcmp(key, "trust-anchors-files") == 0) {
			if (ky_taf(y, d) == -1)
				return -1;
			continue;
		}
		if (ky_str(y, key, &s) == -1)
			return -1;
		if (strcmp(key, "trust-anchors") == 0) {
			d->ta_line[d->nta] = ky_line(y);
			d->ta[d->nta++] = s;
			continue;
		}
		if (strcmp(s, ".") == 0) {
			d->nta_root = 1;
			d->nta_line = ky_line(y);
		}
		free(s);
	}
}

/* The dnssec: value (after its key). */
static int
ky_dnssec(struct kn_yaml *y, struct kn_y6 *d)
{
	static const char *lists[] = { "trust-anchors",
	    "negative-trust-anchors", "trust-anchors-files" };
	unsigned seen = 0, bit;
	size_t i;
	int on;

	if (y->ev.type == YAML_SCALAR_EVENT) {
		d->off_line = ky_line(y);
		if (ky_bool(y, "dnssec", &on) == -1)
			return -1;
		d->off = !on;
		return 0;
	}
	if (ky_want(y, YAML_MAPPING_START_EVENT, "dnssec") == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (ky_key(y) == -1)
			return -1;
		for (i = 0; i < 3 && strcmp(ky_scalar(y), lists[i]) != 0; i++)
			;
		bit = strcmp(ky_scalar(y), "enable") == 0 ? 16 : 1U << i;
		if (bit == 8) {
			if (ky_next(y) == -1 || ky_skip(y) == -1)
				return -1;
			continue;
		}
		if (seen & bit) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key "
			    "dnssec.%s", y->path, ky_line(y), ky_scalar(y));
			return -1;
		}
		seen |= bit;
		if (ky_next(y) == -1)
			return -1;
		if (bit == 16) {
			d->off_line = ky_line(y);
			if (ky_bool(y, "dnssec.enable", &on) == -1)
				return -1;
			d->off = !on;
		} else if (ky_list(y, d, lists[i]) == -1)
			return -1;
	}
}

/* Walk the document: only the top-level dnssec: key is read. */
static int
ky_document(struct kn_yaml *y, struct kn_y6 *d)
{
	int seen = 0;

	if (ky_next(y) == -1 || ky_next(y) == -1)   /* stream, document */
		return -1;
	if (y->ev.type == YAML_STREAM_END_EVENT)
		return 0;
	if (ky_next(y) == -1)
		return -1;
	if (y->ev.type == YAML_SCALAR_EVENT && ky_scalar(y)[0] == '\0')
		return 0;                           /* empty document */
	if (ky_want(y, YAML_MAPPING_START_EVENT, "top level") == -1)
		return -1;
	for (;;) {
		if (ky_next(y) == -1)
			return -1;
		if (y->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (ky_key(y) == -1)
			return -1;
		if (strcmp(ky_scalar(y), "dnssec") != 0) {
			if (ky_next(y) == -1 || ky_skip(y) == -1)
				return -1;
			continue;
		}
		if (seen++) {
			snprintf(y->err, y->errlen, "%s:%u: duplicate key "
			    "dnssec", y->path, ky_line(y));
			return -1;
		}
		if (ky_next(y) == -1 || ky_dnssec(y, d) == -1)
			return -1;
	}
	if (ky_next(y) == -1 || ky_next(y) == -1)   /* document end, next */
		return -1;
	if (y->ev.type != YAML_STREAM_END_EVENT) {
		snprintf(y->err, y->errlen, "%s:%u: more than one YAML "
		    "document", y->path, ky_line(y));
		return -1;
	}
	return 0;
}

/* Apply what config.yaml says, in the order the 6.x manager renders it. */
static int
knot_y6_apply(struct kn_conf *c, const struct kn_y6 *d, const char *path,
    char *err, size_t errlen)
{
	char dir[AW_PATH_MAX], *slash, file[AW_PATH_MAX];
	size_t i;

	if (d->off) {
		knot_remove_root(c, "dnssec disabled", path, d->off_line);
		return 0;
	}
	for (i = 0; i < d->nta; i++)
		if (knot_add_inline(c, d->ta[i], path, d->ta_line[i], err,
		    errlen) == -1)
			return -1;
	if (knot_nta_root(c, d->nta_root, path, d->nta_line, err,
	    errlen) == -1)
		return -1;
	/* 6.x resolves relative names against the config's directory */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (i = 0; i < d->nfile; i++) {
		if (d->file[i][0] == '\0' || knot_path(dir, d->file[i], file,
		    sizeof(file)) == -1) {
			snprintf(err, errlen, "%s:%u: bad file name", path,
			    d->file_line[i]);
			return -1;
		}
		if (knot_add_file(c, file, d->ro[i], 0, path, d->file_line[i],
		    err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Read a 6.x config.yaml. */
static int
knot_yaml_file(struct kn_conf *c, const char *path, char *err,
    size_t errlen)
{
	struct kn_y6 *d = xcalloc(1, sizeof(*d));
	struct kn_yaml y;
	struct textfile f;
	size_t i;
	int rv = -1;

	if (fileio_open_text(path, &f, err, errlen) == -1) {
		free(d);
		return -1;
	}
	memset(&y, 0, sizeof(y));
	y.path = path;
	y.err = err;
	y.errlen = errlen;
	if (!yaml_parser_initialize(&y.p))
		fatalx("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&y.p, (const unsigned char *)f.buf,
	    f.len);
	if (ky_document(&y, d) == 0)
		rv = knot_y6_apply(c, d, path, err, errlen);
	if (y.have_ev)
		yaml_event_delete(&y.ev);
	yaml_parser_delete(&y.p);
	for (i = 0; i < KN_YAML_LIST_MAX; i++) {
		free(d->ta[i]);
		free(d->file[i]);
	}
	free(d);
	free(f.buf);
	return rv;
}

/* 1 if path is a 6.x YAML config: by its name, else by its first line. */
static int
is_yaml_config(const char *path)
{
	const char *ext = strrchr(path, '.'), *p;
	char buf[512];
	size_t n;
	FILE *fp;

	if (ext != NULL && (strcmp(ext, ".yaml") == 0 ||
	    strcmp(ext, ".yml") == 0))
		return 1;
	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		p = buf + strspn(buf, " \t\r\n");
		if (*p == '\0' || *p == '#' || strncmp(p, "--", 2) == 0)
			continue;
		fclose(fp);
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz-_");
		return n > 0 && p == buf && p[n] == ':' && (p[n + 1] == ' ' ||
		    p[n + 1] == '\n' || p[n + 1] == '\r' || p[n + 1] == '\0');
	}
	fclose(fp);
	return 0;
}

/* ---- the reader -------------------------------------------------------- */

/*
 * kresd's compiled-in default anchor, from the installed sandbox.lua; if
 * none is found, Debian's: /usr/share/dns/root.key, read-only.
 */
static int
knot_builtin(struct kn_conf *c, char *err, size_t errlen)
{
	static const char *pats[] = { "/usr/lib/*/knot-resolver/sandbox.lua",
	    "/usr/lib/knot-resolver/sandbox.lua",
	    "/usr/lib64/knot-resolver/sandbox.lua" };
	char path[AW_PATH_MAX] = "";
	glob_t g;
	size_t i;

	if (knot_sandbox != NULL)
		snprintf(path, sizeof(path), "%s", knot_sandbox);
	for (i = 0; knot_sandbox == NULL && path[0] == '\0' &&
	    i < sizeof(pats) / sizeof(pats[0]); i++) {
		memset(&g, 0, sizeof(g));
		if (glob(pats[i], 0, NULL, &g) == 0 && g.gl_pathc > 0)
			snprintf(path, sizeof(path), "%s", g.gl_pathv[0]);
		globfree(&g);
	}
	if (path[0] != '\0' && knot_lua_file(c, path, 1, NULL, 0, err,
	    errlen) == -1)
		return -1;
	if (c->root != NULL)
		return 0;
	return knot_add_file(c, KN_KEYFILE, 1, 1, "", 0, err, errlen);
}

/* Extra anchor files named in anchorwatch.yaml: key files of kresd's. */
static int
knot_extra(const struct resolver_conf *rc, struct resolver *r, char *err,
    size_t errlen)
{
	struct source *s;
	size_t i;

	for (i = 0; i < rc->nanchor_files && i < CFG_FILES_MAX; i++) {
		s = resolver_add_source(r);
		s->kind = SRC_FILE;
		snprintf(s->path, sizeof(s->path), "%s", rc->anchor_files[i]);
		if (knot_read_keyfile(s->path, s, err, errlen) == -1)
			return -1;
		/* state comments: a file kresd manages (RFC 5011) */
		if (s->is_stateful)
			s->kind = SRC_AUTO;
	}
	return 0;
}

/*
 * The Knot Resolver reader: the builtin default, then the config (Lua or
 * YAML), then the extra anchor files of rc.  The root keyset left at the
 * end is one source; none means validation is off.
 */
int
knot_read(const struct resolver_conf *rc, struct resolver *r, long long now,
    char *err, size_t errlen)
{
	struct kn_conf *c = xcalloc(1, sizeof(*c));
	const char *cfg = rc->config;
	struct source *s;
	int rv = -1;

	snprintf(c->user, sizeof(c->user), "%s", KN_USER);
	if (cfg[0] == '\0')
		cfg = access(KN_CONFIG5, F_OK) != 0 &&
		    access(KN_CONFIG6, F_OK) == 0 ? KN_CONFIG6 : KN_CONFIG5;
	if (knot_builtin(c, err, errlen) == -1)
		goto done;
	if (is_yaml_config(cfg) ? knot_yaml_file(c, cfg, err, errlen) == -1 :
	    knot_lua_file(c, cfg, 0, NULL, 0, err, errlen) == -1)
		goto done;
	snprintf(r->user, sizeof(r->user), "%s", c->user);
	if (c->root != NULL) {
		s = resolver_add_source(r);
		*s = *c->root;
	}
	if (c->root == NULL || c->nta_root) {
		r->dnssec = DNSSEC_OFF;
		snprintf(r->dnssec_where, sizeof(r->dnssec_where), "%s",
		    c->off_where);
	}
	if (knot_extra(rc, r, err, errlen) == -1)
		goto done;
	rv = 0;
done:
	if (rv == -1 && err != r->error)
		snprintf(r->error, sizeof(r->error), "%s", err);
	free(c->root);
	free(c);
	return rv;
}
