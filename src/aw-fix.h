/*
 * aw-fix.h: repairs (`anchorwatch fix`, `run` with fix.auto).
 * Part of anchorwatch.h, which includes it where it belongs: include
 * anchorwatch.h, not this file.
 *
 * The flow: fix-trust.c decides which root keys may be written at all
 * (the agent's own validated view, or a signed root-anchors.xml); each
 * reader's repair hook (struct reader) turns that into new contents of
 * its own files, written by the module that parses that format, plus
 * commands and suggested lines for the main configuration; fix.c shows
 * the plan as unified diffs, and fix-apply.c carries it out: locked,
 * atomically, with a dated backup, read back by the same reader, then the
 * reload command and a check that the resolver validates again.
 */
#ifndef AW_AW_FIX_H
#define AW_AW_FIX_H

#define FIX_KEYS_MAX 8      /* keys in a trust set */
#define FIX_EDITS_MAX 16    /* files one resolver's repair rewrites */
#define FIX_CMDS_MAX 4      /* commands one repair runs (reload aside) */
#define FIX_ARGV_MAX 12     /* words of one command (rndc -s -p -k
                               managed-keys destroy IN VIEW: 11) */
#define FIX_PERMS_MAX 4

/* Where the keys a repair may write come from. */
enum fix_from {
	FIX_FROM_NONE = 0,  /* nothing may be written: why says why */
	FIX_FROM_VIEW,      /* the agent's SECURE root DNSKEY answer */
	FIX_FROM_XML,       /* root-anchors.xml whose S/MIME signature and
	                       digests verified */
};

/*
 * The keys a repaired resolver should trust, all validated.  An anchor
 * in a resolver's file is kept when it designates (is_anchor_for) a key
 * of keys or keep; every key of keys that no anchor designates is added;
 * every other root anchor is removed (a revoked key, one gone from the
 * root, one whose validUntil passed).
 */
struct fix_trust {
	enum fix_from from;
	char how[AW_ERR_MAX];         /* said with every change it allows */
	char why[AW_ERR_MAX];         /* FIX_FROM_NONE: the FIX_REFUSED text */
	struct dnskey keys[FIX_KEYS_MAX];  /* SEP, REVOKE clear: to trust */
	size_t nkeys;
	/* Published in the validated set, REVOKE clear, but not yet to be
	 * written (inside the agent's add hold-down): kept if present. */
	struct dnskey keep[FIX_KEYS_MAX];
	size_t nkeep;
};

/* One file a repair replaces; old is read by fix_plan_file. */
struct fix_edit {
	char path[AW_PATH_MAX];
	int existed;                  /* 0: the repair creates it */
	char *old;                    /* its content when planned */
	size_t oldlen;
	char *text;                   /* the new content */
	size_t len;
	char why[AW_ERR_MAX];         /* "add 38696, remove revoked 20326" */
};

/* One command: argv[0] a full path, run with execv (spawn.c). */
struct fix_cmd {
	char argv[FIX_ARGV_MAX][AW_PATH_MAX / 4];
	size_t argc;
};

/* Owner and mode a file or directory needs (ANCHOR_NOT_WRITABLE). */
struct fix_perm {
	char path[AW_PATH_MAX];
	uid_t uid;
	gid_t gid;
	mode_t mode;                  /* permission bits wanted */
	char why[AW_ERR_MAX];
};

/* Everything fixing one resolver means. */
struct fix_plan {
	char resolver[AW_NAME_MAX];
	char type[24];
	struct fix_edit edits[FIX_EDITS_MAX];
	size_t nedits;
	struct fix_perm perms[FIX_PERMS_MAX];
	size_t nperms;
	struct fix_cmd cmds[FIX_CMDS_MAX];  /* after the files, before reload */
	size_t ncmds;
	struct fix_cmd reload;        /* argc 0: none */
	/* Lines for the main configuration, printed, never applied. */
	char *suggest;                /* malloc'd, "" or NUL-free text */
	size_t suggestlen;
	/* Set when this resolver cannot be repaired: FIX_REFUSED text. */
	char refused[AW_ERR_MAX];
};

/* ---- fix-trust.c ---- */

/*
 * The trust set from the agent's own view at now: rv must be SECURE
 * (validated by libunbound from the agent's RFC 5011 anchor); a key is
 * written if it signs the set or the agent's history saw it published
 * for the add hold-down (c->add_holddown, else 30 days).  Otherwise, if
 * c names a root-anchors.xml, from that file as fix_trust_xml reads it.
 * t->from is FIX_FROM_NONE with t->why set when neither holds.
 */
void fix_trust_build(const struct config *c, const struct rootview *rv,
    long long now, struct fix_trust *t);
/*
 * Keys from an RFC 9718 root-anchors.xml (xml) whose detached S/MIME
 * signature (p7s) verifies against the CA certificate(s) in ca: each
 * KeyDigest with a PublicKey and Flags, its digest checked, valid at now.
 * 0, or -1 with err ("FILE: why").
 */
int fix_trust_xml(const char *xml, const char *p7s, const char *ca,
    long long now, struct fix_trust *t, char *err, size_t errlen);

/* ---- fix-smime.c ---- */

/*
 * Verify the detached S/MIME signature p7s (CMS, DER or PEM) of file xml,
 * whose bytes are buf[0..len), against the certificate(s) of ca at now;
 * every signer must be dnssec@iana.org.  0 with who (the signer's
 * subject), or -1 with err.
 */
int fix_smime_verify(const char *xml, const char *buf, size_t len,
    const char *p7s, const char *ca, long long now, char *who,
    size_t wholen, char *err, size_t errlen);

/* ---- fix.c: what readers call from their repair hook ---- */

/* 1 if anchor a is to stay (it designates a key of t->keys or t->keep). */
int is_fix_kept(const struct fix_trust *t, const struct anchor *a);
/* The keys of t->keys no anchor of s designates, into out (at most max);
 * returns how many. */
size_t fix_missing(const struct fix_trust *t, const struct source *s,
    const struct dnskey **out, size_t max);
/* 1 if s holds a root anchor to remove or lacks a key to add. */
int is_fix_needed(const struct fix_trust *t, const struct source *s);
/*
 * Plan path's new content text[0..len) (copied).  The old content is read
 * now (a missing file is planned as created).  A content equal to the old
 * one plans nothing.  0, or -1 with err.
 */
int fix_plan_file(struct fix_plan *p, const char *path, const char *text,
    size_t len, const char *why, char *err, size_t errlen);
/* A command to run after the files are written; argv NULL-terminated. */
int fix_plan_command(struct fix_plan *p, const char *const *argv);
/* A line (or lines) for the main configuration, printed, not applied. */
void fix_plan_suggest(struct fix_plan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Owner and mode for path. */
int fix_plan_perm(struct fix_plan *p, const char *path, uid_t uid, gid_t gid,
    mode_t mode, const char *why);
void fix_plan_free(struct fix_plan *p);

/* Plan the repair of every resolver of rs (n) under t: plans[i] for
 * rs[i]; resolvers not named in only (NULL: all) get an empty plan. */
void fix_plan_all(const struct config *c, const struct fix_trust *t,
    struct resolver *rs, size_t n, char *const *only, size_t nonly,
    long long now, struct fix_plan *plans);
/* 1 if p changes or runs anything. */
int is_fix_plan_empty(const struct fix_plan *p);
/* The dry run: unified diffs, commands, suggestions, refusals. */
void fix_print(FILE *out, const struct fix_plan *p);
/* A unified diff (3 lines of context) of old into new, labelled path. */
void fix_diff(FILE *out, const char *path, const char *old, size_t oldlen,
    const char *new, size_t newlen);

/* ---- fix-apply.c ---- */

/* What applying one plan did. */
struct fix_result {
	int applied;                  /* files written, commands run */
	int failed;                   /* something failed: why; files back */
	int validates;                /* the re-check saw AD (1), none (0),
	                                 or could not ask (-1) */
	char why[AW_ERR_MAX];
	char recheck[AW_ERR_MAX];     /* what the re-check saw */
};

/*
 * Carry out p for resolver rc (r as read before): under the caller's
 * lock; each file checked unchanged since planned, backed up beside
 * itself (".NAME.anchorwatch-YYYYmmddTHHMMSSZ"), replaced atomically and
 * read back through the reader, which must then trust what t says; on
 * any failure every file already written is put back.  Then the
 * commands, the reload, and a new read and probe of the resolver.
 */
void fix_apply(const struct config *c, const struct resolver_conf *rc,
    const struct fix_trust *t, const struct rootview *rv, long long now,
    const struct fix_plan *p, struct fix_result *res);

/* One `fix` (or `run` with fix.auto) over the resolvers. */
struct fix_run {
	const struct config *cfg;
	const struct rootview *rv;
	struct resolver *rs;          /* as read, cfg->resolvers order */
	size_t n;
	char *const *only;            /* names given, or NULL: all */
	size_t nonly;
	int apply;                    /* 0: the dry run */
	int quiet;                    /* run: refusals only where a repair
	                                 was wanted (findings in rep) */
	long long now;
};

/*
 * Plan every resolver, then print the dry run to out (NULL: none) or
 * apply; FIX_APPLIED, FIX_FAILED and FIX_REFUSED findings go to rep.
 * Returns the exit code: OK nothing to do or all done and validating,
 * WARNING changes pending (dry run) or applied without a validating
 * re-check, CRITICAL a refusal or a failure.
 */
enum severity fix_resolvers(const struct fix_run *fr, struct report *rep,
    FILE *out);

#endif /* AW_AW_FIX_H */
