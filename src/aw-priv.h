/*
 * aw-priv.h: fewer privileges for the rest of a run (priv.c).
 */
#ifndef AW_AW_PRIV_H
#define AW_AW_PRIV_H

#include <stddef.h>

#define PRIV_DIRS_MAX 8

struct priv_plan {
	const char *state_dir;
	int write;                    /* fix --apply, run with fix.auto */
	int raw;                      /* traffic.interface: CAP_NET_RAW */
	int setgid;                   /* traffic.dnstap_group: CAP_SETGID */
	/* Files or directories the run writes (their directories are
	 * allowed by Landlock): the anchor file, the textfile, ... */
	const char *writes[PRIV_DIRS_MAX];
	size_t nwrite;
};

/* no_new_privs; started as root, the user and capabilities of the plan;
 * Landlock where the kernel has it.  -1 with err. */
int priv_drop(const struct priv_plan *p, char *err, size_t errlen);
/* priv_drop for a run of cfg: it writes in state_dir and the
 * directories of the anchor file, the textfile, the dnstap socket. */
struct config;
int priv_drop_config(const struct config *cfg, int write, int raw,
    char *err, size_t errlen);
/* In a process that opens what state_dir's owner may swap (the root
 * query: libunbound reads and replaces the anchor file by name): no
 * capabilities left, so a planted link reaches only what that owner
 * could read anyway.  Root (fix --apply) keeps its own.  -1 with err. */
int priv_shed(char *err, size_t errlen);
/* Restrict writing to beneath dirs (and /dev/null).  1 applied, 0 no
 * Landlock in this kernel, -1 with err. */
int priv_landlock(const char *const *dirs, size_t n, char *err,
    size_t errlen);

#endif /* AW_AW_PRIV_H */
