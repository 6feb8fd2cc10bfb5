/*
 * aw-bind.h: the named.conf grammar and BIND's own formats: the managed-
 * keys database, the statements named's trust needs, their rewriting, and
 * named-checkconf.
 * Part of aw-formats.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 */
#ifndef AW_AW_BIND_H
#define AW_AW_BIND_H

/* ---- namedconf.c: the named.conf grammar (BIND, unbound trusted-keys) -- */

#define NAMEDCONF_TOK_MAX 4096  /* one token */
#define NAMEDCONF_DEPTH 16      /* nested includes */

/* One file of the include stack and the cursor into it. */
struct namedconf_file {
	char path[AW_PATH_MAX];
	char *buf;
	size_t len, pos;
	unsigned line;
};

/* A named.conf being read: the include stack (files[0] the outermost). */
struct namedconf {
	struct namedconf_file files[NAMEDCONF_DEPTH + 1];
	size_t depth;
	char cwd[AW_PATH_MAX];   /* relative includes resolve here; "" as is */
};

/* A token and where it stands: file, line, bytes [off, end) of its file. */
struct namedconf_tok {
	char text[NAMEDCONF_TOK_MAX];
	int quoted;              /* a "string" (quotes and escapes removed) */
	int eof;                 /* no more tokens */
	unsigned line;
	size_t off, end;
	char file[AW_PATH_MAX];
};

/* One entry of a trust-anchors, managed-keys or trusted-keys clause. */
struct namedconf_entry {
	char name[256];          /* the zone, as written */
	char kind[16];           /* initial-key, ...; "" in trusted-keys */
	int is_static;           /* static-key, static-ds or trusted-keys */
	int is_root;             /* anchor holds it (the zone is ".") */
	struct anchor anchor;
	char file[AW_PATH_MAX];
	unsigned line;
	size_t off, end;         /* its bytes, up to and with its ';' */
};

/* Load path as the outermost file of c (closing what c had open). */
int namedconf_open(struct namedconf *c, const char *path, char *err,
    size_t errlen);
/* The same for text in memory, named name in messages. */
void namedconf_open_text(struct namedconf *c, const char *name,
    const char *text);
/* Free every file c holds open; c itself is the caller's. */
void namedconf_close(struct namedconf *c);
/* Next token into t: 1, 0 at the very end (t->eof), -1 with err.  At the
 * end of an included file the including file goes on. */
int namedconf_tok(struct namedconf *c, struct namedconf_tok *t, char *err,
    size_t errlen);
/* 1 if t is the unquoted punctuation ch. */
int is_namedconf_punct(const struct namedconf_tok *t, char ch);
/* Next token, which must be punctuation ch ("'ch' expected after after"). */
int namedconf_expect(struct namedconf *c, struct namedconf_tok *t, char ch,
    const char *after, char *err, size_t errlen);
/* Next token, which must be a value (no punctuation) of option name. */
int namedconf_value(struct namedconf *c, struct namedconf_tok *t,
    const char *name, char *err, size_t errlen);
/* Skip the rest of the statement whose first token is in t, up to its ';'
 * outside braces. */
int namedconf_skip_stmt(struct namedconf *c, struct namedconf_tok *t,
    char *err, size_t errlen);
/* include "file"; (the include word in t): push the file. */
int namedconf_include(struct namedconf *c, struct namedconf_tok *t,
    char *err, size_t errlen);
/* One entry of an anchor clause, its first token in t, up to its ';'; tk
 * for trusted-keys (no anchor type word).  0 or -1 with err. */
int namedconf_entry(struct namedconf *c, struct namedconf_tok *t, int tk,
    struct namedconf_entry *e, char *err, size_t errlen);
/* Strict decimal of at most max, the whole of s. */
int namedconf_num(const char *s, unsigned long long max,
    unsigned long long *v);
/* An unbound trusted-keys-file: only its trusted-keys clauses count, as
 * unbound reads it; root anchors into s (kind SRC_TRUSTED_KEYS). */
int namedconf_read_trusted_keys(const char *path, struct source *s,
    char *err, size_t errlen);

/* ---- bind-keys.c: named's managed-keys database (KEYDATA) ------------- */

#define BIND_KEYS_MONTH (30LL * 86400) /* dns_zone_mkey_month: hold-downs */

/* The key zone file of view ("" or _default: managed-keys.bind) in dir
 * (isc_file_sanitize's names) into out.  0 or -1 if too long. */
int bind_keys_path(const char *dir, const char *view, char *out,
    size_t outlen);
/*
 * Read the key zone s->path and the transactions of its .jnl (through
 * named-journalprint).  When it holds real KEYDATA for the root, they
 * replace s->anchors, in their state at now (load_secroots' rules); else
 * s is left as it is.  A missing file is no error.  0 or -1 with err.
 */
int bind_keys_read(struct source *s, long long now, char *err,
    size_t errlen);

/* ---- bind-conf.c: the statements of named.conf that named's trust needs */

#define BIND_VIEWS_MAX 64
#define BIND_BLOCKS_MAX 64      /* anchor clauses in one config */
#define BIND_KEYS_MAX 64        /* key statements remembered */

/* dnssec-validation, BIND_VAL_UNSET when not written. */
enum bind_val { BIND_VAL_UNSET = -1, BIND_VAL_NO = 0, BIND_VAL_YES,
	BIND_VAL_AUTO };

/* The three anchor clauses (synonyms trust-anchors and managed-keys are
 * told apart: named-checkconf refuses them together). */
enum bind_clause { BIND_TA, BIND_MK, BIND_TK };

#define BIND_ENTRIES_MAX 1024    /* entries of one anchor clause */

/* An entry of an anchor clause, any zone: for named-checkconf's rules,
 * and where it stands for the writer (bind-conf-write.c). */
struct bind_entry {
	char name[256];               /* lower case, ending in a dot */
	char kind[16];                /* initial-key, ...; "" in trusted-keys */
	int is_static;                /* static-*, or in trusted-keys */
	int is_root;                  /* anchor holds it */
	struct anchor anchor;
	unsigned line;
	size_t off, end;              /* its bytes in the clause's file */
};

/* One anchor clause: where it stands, its entries, its root anchors. */
struct bind_block {
	int view;                     /* index, -1 for top level */
	enum bind_clause clause;
	char file[AW_PATH_MAX];
	unsigned line;
	size_t off, end;              /* its bytes in file, "};" included */
	size_t close;                 /* offset of its '}' */
	int is_split;                 /* some of it stands in another file */
	struct bind_entry *entries;   /* malloc'd, in file order */
	size_t nentries;
	struct source st;             /* static-key, static-ds, trusted-keys */
	struct source init;           /* initial-key, initial-ds */
};

/* A view: its name, class IN or not, its own dnssec-validation. */
struct bind_view {
	char name[AW_NAME_MAX];
	int is_in;
	enum bind_val val;
	char where[AW_PATH_MAX + 16];
};

/* A key statement: the file defining it (for rndc -k). */
struct bind_key {
	char name[AW_NAME_MAX];
	char file[AW_PATH_MAX];
};

/* What the named.conf walk keeps. */
struct bind_conf {
	const char *main;             /* the config named by the user */
	struct namedconf nc;          /* tokens, includes, working directory */
	int bindkeys_grammar;         /* a bindkeys-file: its 3 clauses only */
	char mkdir[AW_PATH_MAX];      /* managed-keys-directory, "" unset */
	char bindkeys[AW_PATH_MAX];
	enum bind_val val;
	char where[AW_PATH_MAX + 16];
	struct bind_view views[BIND_VIEWS_MAX];
	size_t nviews;
	struct bind_block *blocks;
	size_t nblocks;
	int have_controls;
	char ctl_addr[64];
	char ctl_port[8];
	char ctl_key[AW_NAME_MAX];
	struct bind_key keys[BIND_KEYS_MAX];
	size_t nkeys;
	/* The first option named 9.18 no longer has ("option 'X' no longer
	 * exists": its parser stops there), as "FILE:LINE: named refuses
	 * to start: ..."; "" if none. */
	char refused[AW_ERR_MAX];
};

/* Parse the config file path into c (c->main, c->val set by the caller;
 * c->bindkeys_grammar for a bindkeys-file).  0 or -1 with err. */
int bind_conf_parse(struct bind_conf *c, const char *path, char *err,
    size_t errlen);
/* The same for what c->nc has open already. */
int bind_conf_parse_open(struct bind_conf *c, char *err, size_t errlen);
/* Free c and what it holds; NULL is safe. */
void bind_conf_free(struct bind_conf *c);
/* Add anchor a (at file:line) to s; -1 (err) when s is full. */
int bind_conf_add(struct source *s, const struct anchor *a, const char *file,
    unsigned line, char *err, size_t errlen);
/*
 * dnssec-validation auto: named's root anchors, parsed: those of the
 * bindkeys-file of c (bind.keys) when named can read it and it has a
 * trust-anchors clause (*file 1), else the keys compiled into named 9.18.49
 * (*file 0).  The caller frees (bind_conf_free).
 */
struct bind_conf *bind_conf_builtin(const struct bind_conf *c, int *file);
/* rndc's options to reach the named of c (the first controls inet, its
 * key's file into keyfile) after argv[0]; returns the words so far. */
size_t bind_conf_rndc_args(const struct bind_conf *c, const char **argv,
    char *keyfile, size_t keylen);

/* ---- bind-conf-write.c: trust anchor clauses rewritten (issue 10) ----- */

/*
 * Clause b of the file whose bytes are t[0..tlen) (the bytes bind-conf.c
 * read it from), its root entries made to say what ft says: kept entries
 * byte for byte, others removed, missing keys of ft->keys added in the
 * clause's kind.  The new bytes of [b->off, b->end) into *out (malloc'd,
 * NUL-terminated, the caller frees); "add 38696, remove 20326" appended
 * to why.  -1 when b holds no root entry, stands across files or does not
 * fit t.
 */
int bind_conf_write_block(const char *t, size_t tlen,
    const struct bind_block *b, const struct fix_trust *ft, char **out,
    size_t *outlen, char *why, size_t whylen);
/* The root entries of ft->keys as initial-key (initial-ds with ds), a
 * line each: what static root entries become to follow RFC 5011.  0 or
 * -1. */
int bind_conf_write_initial(const struct fix_trust *ft, int ds, char **out,
    size_t *outlen);
/* The whole new content of file (bytes t[0..tlen)): every clause of c in
 * it with root entries rewritten as bind_conf_write_block does, the rest
 * as it was; why set.  0 or -1. */
int bind_conf_write_file(const struct bind_conf *c, const char *file,
    const char *t, size_t tlen, const struct fix_trust *ft, char **out,
    size_t *outlen, char *why, size_t whylen);

/* ---- bind-check.c: named-checkconf, the referee ------------------------ */

/*
 * Run named's own checker, `named-checkconf CONFIG` (the first of
 * /usr/bin, /usr/sbin, /usr/local/sbin that has it; none: nothing), for a
 * few seconds at most.  When it refuses the config, its first error line
 * "FILE:LINE: MESSAGE" (bounded, sanitised) goes into refused as "FILE:
 * LINE: named refuses to start: MESSAGE".  Silent when it is missing,
 * cannot run, times out or accepts.  Returns 1 if refused was set.
 */
int bind_check_run(const char *config, char *refused, size_t len);
/* The refusal in checker output out (see bind_check_run); 1 if found. */
int bind_check_parse(const char *out, char *refused, size_t len);
/* For tests: the checker to run (NULL: the installed one, "": none) and
 * its time limit in seconds (0: the default). */
void bind_check_use(const char *path, unsigned timeout);

#endif /* AW_AW_BIND_H */
