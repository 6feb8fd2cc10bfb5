/*
 * aw-formats.h: the file format modules: YAML walker, named.conf grammar,
 * BIND key zone and statements, zone file records, unbound's autotrust
 * file and unbound.conf, Knot's files, the Lua-call scanner, systemd
 * units.
 * Part of anchorwatch.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 */
#ifndef AW_AW_FORMATS_H
#define AW_AW_FORMATS_H

/* ---- yamlwalk.c: the YAML schema walker ------------------------------- */

/*
 * One YAML document read whole (libyaml's document API), then walked by
 * schema.  YW_OWN: anchorwatch's own file (anchorwatch.yaml, events.yaml,
 * scenarios): aliases, anchors and tags are refused, unknown and
 * duplicate keys too.  Without it: a resolver's file, read as its daemon
 * reads it: aliases and anchors legal, unknown keys skipped.  Errors are
 * "FILE:LINE: problem".
 */
#define YW_OWN 0x1

enum yw_type { YW_SCALAR, YW_SEQUENCE, YW_MAPPING };

/* What a key of a schema is: read by its fn, or a field of the struct
 * at arg (at off) the walker fills itself. */
enum yw_field {
	YWF_FUNC,     /* fn(w, value, arg) */
	YWF_UINT,     /* unsigned, plain decimal in min..max */
	YWF_PATH,     /* char[AW_PATH_MAX], an absolute path */
};

/* One key of a mapping's schema. */
struct yamlwalk_key {
	const char *name;
	int (*fn)(struct yamlwalk *w, const struct yaml_node_s *v, void *arg);
	enum yw_field field;
	size_t off;
	unsigned min, max;
};

/* Parse buf[0..len) (path names it in errors); depth_max bounds nesting
 * (own files: the schema's deepest; resolver files: a safety cap).  NULL
 * with err on failure.  Free with yamlwalk_free. */
struct yamlwalk *yamlwalk_open(const char *path, const char *buf, size_t len,
    unsigned flags, int depth_max, char *err, size_t errlen);
void yamlwalk_free(struct yamlwalk *w);
/* The document's top node; NULL if there is none (empty input, or only
 * comments). */
const struct yaml_node_s *yamlwalk_root(const struct yamlwalk *w);
/* Line of the end of input (for "the file is empty" and the like). */
unsigned yamlwalk_end_line(const struct yamlwalk *w);
unsigned yamlwalk_line(const struct yaml_node_s *n);
enum yw_type yamlwalk_type(const struct yaml_node_s *n);
/* "a scalar", "a sequence", "a mapping": for messages. */
const char *yamlwalk_what(const struct yaml_node_s *n);
/* "FILE:LINE: message" into the walker's error buffer; returns -1. */
int yamlwalk_error(struct yamlwalk *w, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The key being read, "root.timeout", for messages; settable. */
const char *yamlwalk_key(const struct yamlwalk *w);
void yamlwalk_set_key(struct yamlwalk *w, const char *key);
/* Line of that key, until a deeper key is read. */
unsigned yamlwalk_key_line(const struct yamlwalk *w);
/* The nesting limit of own files, raised where a schema goes deeper. */
int yamlwalk_depth_max(struct yamlwalk *w, int max);
/* Untrusted text for a message: printable ASCII, cut short. */
const char *yamlwalk_show(char *out, size_t outlen, const char *s,
    size_t len);
/* Walk the mapping m by keys (prefix + name is the key path): each known
 * key's fn once.  Unknown and duplicate keys: errors in own files; in
 * resolver files skipped and the first taken.  where names m in
 * messages ("top level", "root").  0 or -1. */
int yamlwalk_map(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, const char *prefix, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg);
/* The document's top level, a mapping walked by keys ("top level" in
 * messages); nothing to do for an empty document.  0 or -1. */
int yamlwalk_top(struct yamlwalk *w, const struct yamlwalk_key *keys,
    size_t nkeys, void *arg);
/* A mapping of free keys (names the schema does not fix): fn on each
 * pair, keys must be scalars; where names m in messages.  0 or -1. */
int yamlwalk_pairs(struct yamlwalk *w, const struct yaml_node_s *m,
    const char *where, int (*fn)(struct yamlwalk *,
    const struct yaml_node_s *, const struct yaml_node_s *, void *),
    void *arg);
/* fn on each item of sequence s, in order; 0 or -1. */
int yamlwalk_seq(struct yamlwalk *w, const struct yaml_node_s *s,
    int (*fn)(struct yamlwalk *, const struct yaml_node_s *, void *),
    void *arg);
/* n must be of type t: "KEY: expected a mapping, got a scalar". */
int yamlwalk_expect(struct yamlwalk *w, const struct yaml_node_s *n,
    enum yw_type t);
/* The scalar n (any style) into buf: no NUL inside, must fit. */
int yamlwalk_string(struct yamlwalk *w, const struct yaml_node_s *n,
    char *buf, size_t buflen);
/* The raw scalar of n, its length in *len; NULL if n is no scalar. */
const char *yamlwalk_scalar(const struct yaml_node_s *n, size_t *len);
/* 1 if n is a plain (unquoted) scalar. */
int is_yamlwalk_plain(const struct yaml_node_s *n);
/* n's explicit tag ("!override"), or NULL. */
const char *yamlwalk_tag(const struct yaml_node_s *n);
/* An absolute path into buf (AW_PATH_MAX bytes). */
int yamlwalk_path(struct yamlwalk *w, const struct yaml_node_s *n, char *buf);
/* p, just read from n, must be an absolute path. */
int yamlwalk_check_path(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *p);
/* A plain decimal (no sign, no leading zero) in min..max. */
int yamlwalk_uint(struct yamlwalk *w, const struct yaml_node_s *n,
    unsigned min, unsigned max, unsigned *out);
/* s[0..len) as such a decimal, values above max as max + 1; 0 or -1. */
int yamlwalk_decimal(const char *s, size_t len, unsigned max,
    unsigned long long *out);
/* One of list[0..nlist) into *idx; what names the kind in the error. */
int yamlwalk_enum(struct yamlwalk *w, const struct yaml_node_s *n,
    const char *const *list, size_t nlist, const char *what, size_t *idx);
/* A boolean: own files true or false; resolver files YAML 1.1's words
 * (yes/no/on/off in three cases, as PyYAML reads them). */
int yamlwalk_bool(struct yamlwalk *w, const struct yaml_node_s *n, int *out);
/* Resolver files: the first duplicate key or merge key (<<) anywhere in
 * the document, whatever the schema reads: line and key into the
 * arguments, 1 if found. */
int yamlwalk_find_dup(const struct yamlwalk *w, unsigned *line, char *key,
    size_t keylen);
int yamlwalk_find_merge(const struct yamlwalk *w, unsigned *line);

#include "aw-bind.h"

/* ---- zonefile.c: DS/DNSKEY records in zone file syntax ---------------- */

#define ZF_LINE_MAX 8192    /* one physical line */
#define ZF_REC_MAX 8192     /* one record, parentheses joined */
#define ZF_NAME_MAX 1025    /* an owner name in presentation format */

enum zf_kind {
	ZF_RECORD,          /* a resource record */
	ZF_DIRECTIVE,       /* a $ line ($ORIGIN already applied) */
	ZF_COMMENT,         /* a line holding only a comment */
	ZF_PAREN,           /* with ZF_PAREN_REPORT: a ')' too many (its
	                       record dropped) or a '(' open at the end */
};

/* One item of a zone file, as zonefile_parse() hands it to its caller.
 * The strings live until the callback returns. */
struct zonefile_rec {
	enum zf_kind kind;
	const char *text;   /* record: "OWNER rest" on one line, the owner
	                       absolute, comments and parentheses removed;
	                       directive: "$NAME args"; comment: "" */
	const char *owner;  /* record: its absolute owner ("." the root) */
	int owner_omitted;  /* record: the line began with a blank */
	const char *comment; /* record: its lines' comments from each ';',
	                        joined by blanks ("" if none); comment line:
	                        the line from its ';' */
	const char *raw;    /* the file's bytes [off, end) */
	size_t rawlen;
	unsigned line, lastline; /* first and last physical line */
	size_t off, end;    /* byte offsets in the file buffer */
};

/* Called for each item; 0 to go on, -1 with why set to stop (reported as
 * "FILE:LINE: why" at the item's first line). */
typedef int (*zonefile_fn)(void *arg, const struct zonefile_rec *z,
    char *why, size_t whylen);
/* Parse f (fileio_open_text) from its position, calling fn for every
 * record, directive and comment line.  0, or -1 with err set. */
int zonefile_parse(struct textfile *f, zonefile_fn fn, void *arg, char *err,
    size_t errlen);
/* zonefile_parse with flags: ZF_SLDNS counts parentheses as unbound's
 * sldns does (a ')' too many drops its record, a '(' open at the end of
 * the file ends the record) instead of refusing them. */
#define ZF_SLDNS 0x1
/* ZF_PAREN_REPORT: hand parentheses that do not balance to the caller as
 * ZF_PAREN items instead of failing. */
#define ZF_PAREN_REPORT 0x2
int zonefile_parse_as(struct textfile *f, unsigned flags, zonefile_fn fn,
    void *arg, char *err, size_t errlen);
/* Add anchor a found at line to s; -1 (why) when s is full. */
int zonefile_add(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen);
/* Set s->kind (and s->path if empty) and load path into f; a file that
 * cannot be loaded is reported at s's declaring config line if any. */
int zonefile_open(const char *path, struct source *s, enum src_kind kind,
    struct textfile *f, char *err, size_t errlen);
/* Static anchors of f into s, as unbound reads a trust-anchor-file:
 * root DS/DNSKEY records, other records and $INCLUDE skipped. */
int zonefile_parse_static(struct textfile *f, struct source *s, char *err,
    size_t errlen);
/* zonefile_open + zonefile_parse_static of path (kind SRC_FILE). */
int zonefile_read_static(const char *path, struct source *s, char *err,
    size_t errlen);
/* rc's anchor_files, each a static anchor file, as sources of r: the extra
 * files an operator names for a resolver whose own format has no such file
 * (dnsmasq, PowerDNS, systemd-resolved). */
int zonefile_read_static_files(const struct resolver_conf *rc,
    struct resolver *r, char *err, size_t errlen);

/* ---- zonefile-write.c: a repaired anchor file, as an edit of the old --- */

struct fix_trust;

/* What becomes of a root anchor of the file. */
enum zf_fate {
	ZF_KEEP = 0,        /* its bytes stay */
	ZF_DROP,            /* its lines go */
	ZF_RENEW,           /* its record is replaced by w->line's */
};

/* The form of the records a rewrite adds. */
enum zf_form {
	ZF_FORM_DNSKEY = 0,
	ZF_FORM_DS,         /* SHA-256, RFC 4509 */
};

/* A byte range of the old text. */
struct zf_span {
	size_t off, end;
};

/*
 * One rewrite (zonefile_rewrite): the old text, how its reader parsed it
 * and what it found there, what to add; the new text comes back.
 */
struct zf_rewrite {
	const char *path;             /* for messages */
	const char *old;              /* the file as s was read from it */
	size_t oldlen;
	unsigned flags;               /* as its reader parsed it: ZF_SLDNS.. */
	const struct source *s;       /* its anchors, with their lines */
	const struct fix_trust *t;
	/* Optional: the fate of anchor a (NULL: is_fix_kept keeps, else
	 * dropped). */
	enum zf_fate (*fate)(void *arg, const struct anchor *a);
	/* Keys to add (after the last root anchor, else at the end), in
	 * form. */
	const struct dnskey *const *add;
	size_t nadd;
	enum zf_form form;
	/* Optional: the whole line (no line end) of a record for a, added or
	 * renewed, into buf; prefix is "." [TTL] [class] TYPE and blanks as
	 * the file's last root record of that form has them, else
	 * w->prefix.  NULL: prefix and the presentation rdata.  0 or -1. */
	int (*line)(void *arg, const struct anchor *a, const char *prefix,
	    char *buf, size_t len);
	void *arg;
	const char *prefix;           /* NULL: ". IN DS " or ". IN DNSKEY " */
	const struct zf_span *drop;   /* other ranges of old to remove */
	size_t ndrop;
	/* Out: */
	char *text;                   /* malloc'd, NUL-terminated */
	size_t len;
	char why[AW_ERR_MAX];         /* "add 38696, remove 20326", "" */
};
/*
 * The new text of w->old: each root anchor of w->s (found again at its
 * line by parsing w->old with w->flags, and checked to be the same record)
 * kept, dropped with its lines or renewed; w->add added; the w->drop
 * ranges removed; every other byte kept (a record that inherited a
 * dropped record's owner gets it written out).  0, or -1 with err ("FILE:
 * LINE: ...") when an anchor is no longer where it was read.
 */
int zonefile_rewrite(struct zf_rewrite *w, char *err, size_t errlen);
/*
 * zonefile_rewrite of a static anchor file, as zonefile_read_static read
 * it into w->s: the caller sets path, old, oldlen, s, t and, if it chooses
 * them, add and nadd (w->add NULL: fix_missing(t, s)); flags are unbound's
 * sldns rules, the form DS if the file holds a DS, else DNSKEY.  The
 * caller frees w->text.
 */
int zonefile_rewrite_static(struct zf_rewrite *w, char *err, size_t errlen);
/*
 * Plan (fix_plan_file) the repair of static anchor file s as
 * zonefile_read_static read it: zonefile_rewrite_static with add[0..nadd)
 * (add NULL: fix_missing(t, s)).  Nothing to change plans nothing.  0, or
 * -1 with err.
 */
struct fix_plan;
int zonefile_plan_static(struct fix_plan *p, const struct source *s,
    const struct fix_trust *t, const struct dnskey *const *add, size_t nadd,
    char *err, size_t errlen);

/* ---- autotrust.c: unbound's auto-trust-anchor-file (RFC 5011 state) --- */

/* What an autotrust file says besides its keys, for unbound's rules on
 * which anchors may be combined (validator/autotrust.c autr_read_file). */
struct autotrust_info {
	char id_zone[ZF_NAME_MAX];    /* ;;id: owner, "" if none */
	unsigned id_line;             /* its line, 0 if none */
	int revoked_first;            /* ;;REVOKED before any ;;id: */
	unsigned revoked_late;        /* line of a ;;REVOKED after ;;id: */
	size_t nkeys;                 /* DS/DNSKEY records of any owner */
	char owner[ZF_NAME_MAX];      /* the zone of ;;id: or the first key */
	unsigned mixed_line;          /* first key of another zone, 0 if none */
	unsigned unparsable;          /* first ;; header line with no number */
	unsigned paren_line;          /* first unbalanced parenthesis */
};

/* Parse f as an autotrust file into s (kind SRC_AUTO: root keys with their
 * RFC 5011 state, probe times); info (may be NULL) gets the markers.
 * 0, or -1 with err "FILE:LINE: problem". */
int autotrust_parse(struct textfile *f, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen);
/* zonefile_open + autotrust_parse of path. */
int autotrust_read(const char *path, struct source *s,
    struct autotrust_info *info, char *err, size_t errlen);
/*
 * The auto-trust-anchor-file old[0..oldlen) (read into s by
 * autotrust_parse) repaired under t, as the daemon will read it: a
 * ;;REVOKED marker and unbound's note after it cleared, each key of
 * t->keys trusted (added, or replacing the key's line in another state),
 * revoked keys and keys t does not keep removed; the header and all else
 * byte for byte.  A key is written as unbound writes a Valid one,
 * "... ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=T", T the file's
 * ;;last_success (else ;;last_queried): the text depends on nothing but
 * the file and t, so a dry run shows what --apply writes (unbound times
 * nothing from a Valid key's lastchange).  A seed file (no probe header)
 * gets a plain record, which unbound reads as Valid.  *text (malloc'd),
 * *len, why as zonefile_rewrite says.  0, or -1 with err.
 */
int autotrust_rewrite(const char *path, const char *old, size_t oldlen,
    const struct source *s, const struct fix_trust *t, char **text,
    size_t *len, char *why, size_t whylen, char *err, size_t errlen);

/* ---- unbound-conf.c: unbound.conf, for the unbound reader ------------ */

#define UB_TOK_MAX 4096        /* one config token */
#define UB_INCLUDE_DEPTH 16    /* nested include: levels */
#define UB_DECL_MAX 256        /* anchor options in one config */

/* A token of unbound.conf or of a BIND-syntax file. */
struct ub_tok {
	char text[UB_TOK_MAX];
	int quoted;
	unsigned line;
};

/* An anchor option of unbound.conf, resolved after the whole parse; the
 * reader fills what reading its file found. */
struct ub_decl {
	enum src_kind kind;
	char value[UB_TOK_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
	int insecure;                 /* domain-insecure: "." (no anchor) */
	int read;                     /* its file was read */
	size_t nroot;                 /* root anchors it gave */
	struct autotrust_info autr;   /* for an auto-trust-anchor-file */
};

enum ub_clause { CL_NONE, CL_SERVER, CL_OTHER };

/* What the config parse collects. */
struct ub_conf {
	char chroot[AW_PATH_MAX];
	char directory[AW_PATH_MAX];  /* last directory:, as written */
	char incdir[AW_PATH_MAX];     /* where relative includes resolve */
	char user[AW_NAME_MAX];
	char module[UB_TOK_MAX];      /* last module-config:, "" if none */
	char module_where[AW_PATH_MAX + 16]; /* its "file:line" */
	struct ub_decl *decl;         /* malloc'd, in declaration order */
	size_t ndecl;
	char stack[UB_INCLUDE_DEPTH + 1][AW_PATH_MAX]; /* files being read */
	size_t depth;
	enum ub_clause clause;
};

/* Parse config file path (and its includes) into c, whose directory and
 * user hold the defaults.  0, or -1 with err "FILE:LINE: problem". */
int unbound_conf_read(struct ub_conf *c, const char *path, char *err,
    size_t errlen);
/* The host path the daemon opens for anchor file name nm (chroot prefix
 * stripped, relative to directory:, inside the chroot).  0 or -1. */
int unbound_conf_path(const struct ub_conf *c, const char *nm, char *out,
    size_t outlen);

/* anchor-bind.c: BIND 9 named.conf, bind.keys, managed-keys.bind/.mkeys */
int bind_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
int bind_loaded(const struct resolver_conf *rc, struct resolver *r,
    char *err, size_t errlen);
/* bind-fix.c: the repair hook of BIND's row (aw-fix.h, struct reader). */
int bind_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p, char *err,
    size_t errlen);
/* knot-keys.c: Knot Resolver's root.keys and plain key files */
/* Read a key file into s (kresd's state comments applied); 0 or -1. */
int knot_keys_read(const char *path, struct source *s, char *err,
    size_t errlen);
/* Add a to s (from line); -1 with why when s is full. */
int knot_keys_add(struct source *s, struct anchor *a, unsigned line,
    char *why, size_t whylen);
/*
 * The new content of the root.keys at path under t (anchorwatch fix), as
 * kresd writes it: the records of keys t keeps stay byte for byte; a key
 * of t->keys kresd does not trust yet, and every key to trust it lacks,
 * is written as a Valid record (DNSKEY, or a SHA-256 DS in a DS file)
 * after the last root record; every other root record, commented out or
 * not, goes.  *out (malloc'd, NUL-terminated) and *outlen; why gets "add
 * 38696, remove 20326".  0, or -1 with err.
 */
int knot_keys_write(const char *path, const struct fix_trust *t, char **out,
    size_t *outlen, char *why, size_t whylen, char *err, size_t errlen);

/* knot-yaml.c: what the dnssec: section of a Knot 6 config.yaml says */
#define KNOT_Y6_MAX 32                /* items of one dnssec list */
struct knot_y6 {
	int off;                      /* dnssec: false or enable: false */
	unsigned off_line;
	char *ta[KNOT_Y6_MAX];        /* trust-anchors, malloc'd */
	unsigned ta_line[KNOT_Y6_MAX];
	size_t nta;
	int nta_root;
	unsigned nta_line;
	char *file[KNOT_Y6_MAX];      /* trust-anchors-files, malloc'd */
	int ro[KNOT_Y6_MAX];
	unsigned file_line[KNOT_Y6_MAX];
	size_t nfile;
};
int knot_yaml_read(const char *path, struct knot_y6 *d, char *refused,
    size_t refusedlen, char *err, size_t errlen);
void knot_yaml_free(struct knot_y6 *d);
/* 1 if path is a 6.x YAML config: by its name, else by its first line. */
int knot_yaml_is_config(const char *path);

/* anchor-knot.c: Knot Resolver 5.x kresd.conf (Lua), 6.x config.yaml,
 * root.keys */
int knot_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
/* anchor-pdns.c: PowerDNS Recursor recursor.conf / recursor.yml, Lua */
int pdns_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
int pdns_loaded(const struct resolver_conf *rc, struct resolver *r,
    char *err, size_t errlen);
/* pdns-fix.c: the PowerDNS Recursor's repair hook and default reload */
int pdns_repair(const struct resolver_conf *rc, const struct resolver *r,
    const struct fix_trust *t, long long now, struct fix_plan *p, char *err,
    size_t errlen);
extern const char *const pdns_fix_reload[];
/* pdns-daemon.c: what the installed PowerDNS Recursor says */
/* "PowerDNS Recursor X.Y.Z" in out into v; 0, or -1 (v all 0). */
int pdns_daemon_version(const char *out, unsigned v[3]);
/* 1 if `pdns_recursor --version` output out names a version whose
 * built-in root anchors include KSK-2024 (38696). */
int pdns_daemon_has_38696(const char *out);
/* The built-in root DS set of the installed daemon, as a source of r;
 * its version into v (all 0: none installed, or no version said). */
void pdns_daemon_builtin(struct resolver *r, unsigned v[3]);
/* 1 if config is DIR/recursor[-NAME].conf or .yml: DIR and NAME ("" for
 * none) as --config-dir and --config-name would give them. */
int pdns_daemon_name(const char *config, char *dir, size_t dirlen,
    char *name, size_t namelen);
/* 1 with the name of a setting of config (recursor[-NAME].conf) that the
 * installed daemon's --config=check does not know, else 0. */
int pdns_daemon_unknown(const char *config, char *name, size_t namelen);
/* `rec_control get-tas` output into r->loaded (root DS tags); 0 or -1. */
int pdns_daemon_parse_tas(const char *out, struct resolver *r);
/* Ask the running daemon (socket dir, config name; "" for defaults). */
void pdns_daemon_tas(const char *sockdir, const char *name,
    struct resolver *r);
/* pdns-conf.c: PowerDNS Recursor recursor.conf settings, for its reader */
struct pd_val {                       /* a setting and where it was made */
	char v[AW_PATH_MAX];
	char file[AW_PATH_MAX];
	unsigned line;
};
struct pd_conf {                      /* what the settings files say */
	struct pd_val dnssec, lua, user, socket_dir, include_dir, chroot;
	struct pd_val config_name, tafile;
	int have_yaml_tas;              /* dnssec.trustanchors had a root */
	struct pd_val yaml_ta;          /* where, for the mixing check */
	char want[64];                  /* a setting to find, or "" */
	struct pd_val where;            /* where it is first set (line 0:
	                                   nowhere) */
};
/* Store value v made at file:line into d; -1 if it does not fit. */
int pdns_conf_set(struct pd_val *d, const char *v, const char *file,
    unsigned line, const char *name, char *err, size_t errlen);
/* Read one recursor.conf into c (include-dir kept only from the main
 * file).  0 or -1 with "FILE:LINE: why". */
int pdns_conf_file(struct pd_conf *c, const char *path, int main_file,
    char *err, size_t errlen);
/* The files of include directory dir ending in ext, sorted as the daemon
 * does, into *names (pdns_conf_free_names); where names the setting. */
int pdns_conf_list_dir(const char *dir, const char *ext,
    const struct pd_val *where, char ***names, size_t *n, char *err,
    size_t errlen);
void pdns_conf_free_names(char **names, size_t n);
/* 1 if pdns_recursor 5.1 and later read the recursor.conf at path as
 * YAML settings (they try YAML first, then old-style), else 0. */
int is_pdns_conf_yaml(const char *path);
/* anchor-resolved.c: systemd-resolved resolved.conf, dnssec-trust-anchors.d */
int resolved_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);
/* anchor-dnsmasq.c: dnsmasq.conf, conf-file, conf-dir, trust-anchor= */
int dnsmasq_read(const struct resolver_conf *rc, struct resolver *r,
    long long now, char *err, size_t errlen);

/* ---- dnsmasq-opt.c: dnsmasq's config lines, values, trust-anchor= ------ */

#define DNSMASQ_PIECE_MAX 1024  /* fgets into MAXDNAME (1025) bytes */
#define DNSMASQ_ANCHORS_MAX 256 /* root trust-anchor options read */

/* Whether option name takes a value: 0 never, 1 always, 2 optionally; -1
 * if dnsmasq 2.90 has no such option. */
int dnsmasq_opt_has_arg(const char *name);
/*
 * One piece l of a config file as read_file takes it, in place: quotes
 * resolved (their content hidden), the comment cut, *name and *v (after
 * '=', still hidden; NULL if none) trimmed.  1, 0 for an empty line, -1
 * with *why in dnsmasq's words ("missing \"") where it refuses the line.
 */
int dnsmasq_opt_line(char *l, char **name, char **v, const char **why);
/* Unhide the hidden bytes of s in place. */
void dnsmasq_opt_unhide(char *s);
/* option.c's split(): cut s at its first ',' (blanks around it too) and
 * return what follows, or NULL if there is none.  Hidden commas stay. */
char *dnsmasq_opt_split(char *s);
/*
 * The value v (still hidden; cut in place) of trust-anchor=, as one_opt
 * reads it: 1 and a (KS_STATIC DS, line 0) for a root anchor of class IN,
 * 0 for another domain or class, -1 with *why in dnsmasq's words ("bad
 * trust anchor", "bad HEX in trust anchor") where dnsmasq refuses it.
 */
int dnsmasq_opt_parse(char *v, struct anchor *a, const char **why);
/* "trust-anchor=.,TAG,ALG,DIGEST-TYPE,HEX" of ds.  0, or -1 if too long. */
int dnsmasq_opt_format(const struct ds *ds, char *buf, size_t len);
/*
 * A config file's new content: old[0..oldlen) without the pieces (lines,
 * as dnsmasq counts them) of drop[0..ndrop), and a trust-anchor= line for
 * each of add[0..nadd) after piece after (0, or past the end: at the
 * end).  *out is malloc'd (NUL-terminated), freed by the caller.  0, or
 * -1 with err ("PATH:LINE: why") if a piece to drop is not a whole line.
 */
int dnsmasq_opt_rewrite(const char *path, const char *old, size_t oldlen,
    const unsigned *drop, size_t ndrop, unsigned after, const struct ds *add,
    size_t nadd, char **out, size_t *outlen, char *err, size_t errlen);
/*
 * Plan (fix_plan_file) the new content of config file path, whose root
 * trust-anchor= options are the anchors of the sources of r with that
 * path: those t does not keep removed, add[0..nadd) after the last one.
 * Nothing to change plans nothing.  0, or -1 with err.
 */
int dnsmasq_opt_plan(const struct resolver *r, const char *path,
    const struct fix_trust *t, const struct ds *add, size_t nadd,
    struct fix_plan *p, char *err, size_t errlen);

/* ---- luascan.c: the calls of a Lua file (kresd.conf, PowerDNS Lua) ---- */

#define LUASCAN_ARGS_MAX 4      /* arguments kept of one call */
#define LUASCAN_STR_MAX 16384   /* one string literal */
#define LUASCAN_NAME_MAX 256    /* one name, or a dotted chain */
#define LUASCAN_DEPTH_MAX 8     /* nested dofile() */

/* What an argument is; LA_OTHER: an expression (call not literal). */
enum luascan_arg { LA_STR, LA_NUM, LA_TRUE, LA_FALSE, LA_NIL, LA_TABLE,
	LA_OTHER };

/* One call "a.b:c(args)", "f 'str'" or "f {table}". */
struct luascan_call {
	char name[LUASCAN_NAME_MAX];  /* the chain as written: "a.b:c" */
	unsigned line;
	int literal;                  /* every argument is a literal */
	size_t nargs;
	enum luascan_arg type[LUASCAN_ARGS_MAX];
	size_t len[LUASCAN_ARGS_MAX];    /* of an LA_STR */
	size_t nitems[LUASCAN_ARGS_MAX]; /* strings of an LA_TABLE */
	/* Its bytes [off, end) in the file, from the name to the closing
	 * parenthesis (its last argument's end for "f 'str'"); of a literal
	 * call only. */
	size_t off, end;
	/* Last: LA_STR and LA_NUM text; an LA_TABLE's string items, each
	 * NUL-terminated, one after the other. */
	char str[LUASCAN_ARGS_MAX][LUASCAN_STR_MAX];
};

/* The files being read, for dofile() loops and depth. */
struct luascan_stack {
	char path[LUASCAN_DEPTH_MAX][AW_PATH_MAX];
	size_t depth;
	int loop;                     /* push failed on a loop: the daemon
	                                 overflows its stack and exits */
};

struct luascan;
/* Load path for scanning; NULL with err.  Freed by luascan_close. */
struct luascan *luascan_open(const char *path, char *err, size_t errlen);
void luascan_close(struct luascan *ls);
/* The next call into *c: 1, 0 at the end of the file, -1 with "FILE:LINE:
 * why" in err (then luascan_syntax says whether Lua refuses the file). */
int luascan_next(struct luascan *ls, struct luascan_call *c, char *err,
    size_t errlen);
/* 1 if the last error of ls is a Lua syntax error (the daemon will not
 * load the file), 0 if it is one of the scanner's limits. */
int luascan_syntax(const struct luascan *ls);
/* 1 if argument i of c is the string s, or a table holding it. */
int is_luascan_item(const struct luascan_call *c, size_t i, const char *s);
/* Enter path on st (loops and depth refused: "from:line: ..."); pop. */
int luascan_push(struct luascan_stack *st, const char *path,
    const char *from, unsigned line, char *err, size_t errlen);
void luascan_pop(struct luascan_stack *st);
/* err "FILE:LINE: why" into "FILE:LINE: DAEMON refuses to start: why". */
void luascan_refuse(char *err, size_t errlen, const char *daemon);

/* The text of the file ls scans, and its length (owned by ls). */
const char *luascan_text(const struct luascan *ls, size_t *len);

/* ---- luascan-write.c: a Lua file rewritten call by call (fix) ---------- */

/* What becomes of a call in a rewrite. */
enum luascan_fate {
	LUASCAN_OTHER = 0,      /* not the rewrite's business: it stays */
	LUASCAN_KEEP,           /* stays; new lines go after the last such */
	LUASCAN_DROP,           /* goes, with its line if alone there */
};

struct luascan_rewrite {
	const char *path;
	/* The fate of each call (a call that is not OTHER must be literal). */
	enum luascan_fate (*fate)(void *arg, const struct luascan_call *c);
	void *arg;
	/* Lines to add (each ending in LF) after the line of the last call
	 * that was not OTHER, else at the end of the file; NULL: none. */
	const char *add;
	/* Out: the new text, malloc'd and NUL-terminated. */
	char *text;
	size_t len;
};

/* Rewrite w->path as w says; every byte outside the dropped calls and
 * their lines stays.  0, or -1 with err (then w->text is NULL). */
int luascan_rewrite(struct luascan_rewrite *w, char *err, size_t errlen);

/* ---- units.c: the command line of a systemd unit ---------------------- */

#define UNIT_ARGS_MAX 64

struct unit_cmd {
	char name[256];               /* "kresd@1.service" */
	char path[AW_PATH_MAX];       /* its fragment, without the prefix */
	char workdir[AW_PATH_MAX];    /* WorkingDirectory=, "" if none */
	char *argv[UNIT_ARGS_MAX + 1];  /* into buf; argv[0] the program */
	size_t argc, used;
	char buf[8192];
};

/* The unit under prefix ("" for this host) that runs the program named
 * process: an enabled one first, then a plain unit, then a template that
 * needs no instance.  1 with *u filled, 0 if there is none. */
int units_find(const char *prefix, const char *process, struct unit_cmd *u);

#endif /* AW_AW_FORMATS_H */
