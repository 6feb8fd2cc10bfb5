/*
 * fix.c: the plan of a repair, and the dry run that shows it.
 *
 * A reader's repair hook (struct reader) says what its files should hold
 * under a trust set (fix-trust.c); this file keeps that as a plan of
 * whole new file contents, commands and suggested configuration lines,
 * and prints it the way an operator reviews a change: a unified diff per
 * file (what patch(1) applies), the commands, and the lines to add to the
 * main configuration by hand.  fix-apply.c carries a plan out.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define FIX_CONTEXT 3           /* lines of context in a hunk */

int
is_fix_kept(const struct fix_trust *t, const struct anchor *a)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		if (is_anchor_for(a, &t->keys[i]))
			return 1;
	for (i = 0; i < t->nkeep; i++)
		if (is_anchor_for(a, &t->keep[i]))
			return 1;
	return 0;
}

size_t
fix_missing(const struct fix_trust *t, const struct source *s,
    const struct dnskey **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < t->nkeys && n < max; i++) {
		for (j = 0; j < s->nanchors; j++)
			if (is_anchor_for(&s->anchors[j], &t->keys[i]) &&
			    s->anchors[j].state != KS_REVOKED &&
			    s->anchors[j].state != KS_REMOVED)
				break;
		if (j == s->nanchors)
			out[n++] = &t->keys[i];
	}
	return n;
}

int
is_fix_needed(const struct fix_trust *t, const struct source *s)
{
	const struct dnskey *miss[FIX_KEYS_MAX];
	size_t i;

	if (s->is_zone_revoked)
		return 1;
	for (i = 0; i < s->nanchors; i++)
		if (!is_fix_kept(t, &s->anchors[i]))
			return 1;
	return fix_missing(t, s, miss, FIX_KEYS_MAX) > 0;
}

int
fix_plan_file(struct fix_plan *p, const char *path, const char *text,
    size_t len, const char *why, char *err, size_t errlen)
{
	struct fix_edit *e;
	char *old = NULL;
	size_t oldlen = 0;
	int existed = access(path, F_OK) == 0;

	if (existed && fileio_load(path, AW_FILE_MAX, &old, &oldlen, err,
	    errlen) == -1)
		return -1;
	if (existed && oldlen == len && memcmp(old, text, len) == 0) {
		free(old);
		return 0;
	}
	if (p->nedits == FIX_EDITS_MAX) {
		snprintf(err, errlen, "%s: more than %d files to rewrite",
		    path, FIX_EDITS_MAX);
		free(old);
		return -1;
	}
	e = &p->edits[p->nedits++];
	memset(e, 0, sizeof(*e));
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->why, sizeof(e->why), "%s", why);
	e->existed = existed;
	e->old = old;
	e->oldlen = oldlen;
	if ((e->text = malloc(len + 1)) == NULL)
		fatalx("out of memory");
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	return 0;
}

int
fix_plan_command(struct fix_plan *p, const char *const *argv)
{
	struct fix_cmd *c;
	size_t i;

	if (p->ncmds == FIX_CMDS_MAX)
		return -1;
	c = &p->cmds[p->ncmds];
	memset(c, 0, sizeof(*c));
	for (i = 0; argv[i] != NULL; i++) {
		if (i == FIX_ARGV_MAX || strlen(argv[i]) >= sizeof(c->argv[i]))
			return -1;
		snprintf(c->argv[i], sizeof(c->argv[i]), "%s", argv[i]);
	}
	c->argc = i;
	p->ncmds++;
	return 0;
}

void
fix_plan_suggest(struct fix_plan *p, const char *fmt, ...)
{
	va_list ap;
	char line[AW_ERR_MAX * 2];
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	p->suggest = xreallocarray(p->suggest, p->suggestlen + n + 2, 1);
	memcpy(p->suggest + p->suggestlen, line, n);
	p->suggestlen += n;
	if (n == 0 || line[n - 1] != '\n')
		p->suggest[p->suggestlen++] = '\n';
	p->suggest[p->suggestlen] = '\0';
}

int
fix_plan_perm(struct fix_plan *p, const char *path, uid_t uid, gid_t gid,
    mode_t mode, const char *why)
{
	struct fix_perm *f;

	if (p->nperms == FIX_PERMS_MAX)
		return -1;
	f = &p->perms[p->nperms++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->uid = uid;
	f->gid = gid;
	f->mode = mode;
	snprintf(f->why, sizeof(f->why), "%s", why);
	return 0;
}

void
fix_plan_free(struct fix_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nedits; i++) {
		free(p->edits[i].old);
		free(p->edits[i].text);
	}
	free(p->suggest);
	memset(p, 0, sizeof(*p));
}

int
is_fix_plan_empty(const struct fix_plan *p)
{
	return p->nedits == 0 && p->nperms == 0 && p->ncmds == 0;
}

/* Offsets of the lines of buf[0..len) into *lines (malloc'd, n+1 entries:
 * the last is len).  A final line without LF is a line. */
static size_t
fix_lines(const char *buf, size_t len, size_t **lines)
{
	size_t i, n = 0, cap = 16;
	size_t *l = xreallocarray(NULL, cap, sizeof(*l));

	l[n++] = 0;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n' || i + 1 == len)
			continue;
		if (n + 1 >= cap)
			l = xreallocarray(l, cap *= 2, sizeof(*l));
		l[n++] = i + 1;
	}
	if (len == 0)
		n = 0;
	if (n + 1 >= cap)
		l = xreallocarray(l, cap + 1, sizeof(*l));
	l[n] = len;
	*lines = l;
	return n;
}

/* 1 if line i of a equals line j of b. */
static int
is_same_line(const char *a, const size_t *la, size_t i, const char *b,
    const size_t *lb, size_t j)
{
	size_t na = la[i + 1] - la[i], nb = lb[j + 1] - lb[j];

	return na == nb && memcmp(a + la[i], b + lb[j], na) == 0;
}

/* Print lines [from, to) of buf with prefix c; a last line without LF
 * gets patch(1)'s marker. */
static void
fix_hunk_lines(FILE *out, char c, const char *buf, const size_t *l,
    size_t from, size_t to)
{
	size_t i, n;

	for (i = from; i < to; i++) {
		n = l[i + 1] - l[i];
		fputc(c, out);
		fwrite(buf + l[i], 1, n, out);
		if (n == 0 || buf[l[i] + n - 1] != '\n')
			fputs("\n\\ No newline at end of file\n", out);
	}
}

/* "start,count" of a hunk side the way diff -u writes it. */
static void
fix_range(FILE *out, char c, size_t start, size_t count)
{
	if (count == 0)
		fprintf(out, " %c%zu,0", c, start);
	else if (count == 1)
		fprintf(out, " %c%zu", c, start + 1);
	else
		fprintf(out, " %c%zu,%zu", c, start + 1, count);
}

/*
 * One hunk: the lines common at both ends are context (3 of them), the
 * middle is removed and added whole.  Anchor files are small and their
 * repairs local, so one exact hunk is as readable as a minimal diff, and
 * patch(1) applies it the same.
 */
void
fix_diff(FILE *out, const char *path, const char *old, size_t oldlen,
    const char *new, size_t newlen)
{
	size_t *la, *lb, na, nb, pre = 0, suf = 0, c0, a1, b1;

	na = fix_lines(old, oldlen, &la);
	nb = fix_lines(new, newlen, &lb);
	while (pre < na && pre < nb && is_same_line(old, la, pre, new, lb,
	    pre))
		pre++;
	while (suf < na - pre && suf < nb - pre && is_same_line(old, la,
	    na - 1 - suf, new, lb, nb - 1 - suf))
		suf++;
	c0 = pre > FIX_CONTEXT ? pre - FIX_CONTEXT : 0;
	a1 = na - suf + (suf > FIX_CONTEXT ? FIX_CONTEXT : suf);
	b1 = nb - suf + (suf > FIX_CONTEXT ? FIX_CONTEXT : suf);
	fprintf(out, "--- %s\n+++ %s\n@@", path, path);
	fix_range(out, '-', c0, a1 - c0);
	fix_range(out, '+', c0, b1 - c0);
	fputs(" @@\n", out);
	fix_hunk_lines(out, ' ', old, la, c0, pre);
	fix_hunk_lines(out, '-', old, la, pre, na - suf);
	fix_hunk_lines(out, '+', new, lb, pre, nb - suf);
	fix_hunk_lines(out, ' ', old, la, na - suf, a1);
	free(la);
	free(lb);
}

/* A command as a shell would show it (words quoted if they need it). */
static void
fix_print_cmd(FILE *out, const char *who, const char *lead,
    const struct fix_cmd *c)
{
	size_t i;

	fprintf(out, "%s: %s", who, lead);
	for (i = 0; i < c->argc; i++)
		fprintf(out, strpbrk(c->argv[i], " \t'\"$\\;&|") ? " '%s'" :
		    " %s", c->argv[i]);
	fputc('\n', out);
}

void
fix_print(FILE *out, const struct fix_plan *p)
{
	const struct fix_edit *e;
	size_t i;

	if (p->refused[0] != '\0')
		fprintf(out, "%s: FIX_REFUSED %s\n", p->resolver, p->refused);
	for (i = 0; i < p->nedits; i++) {
		e = &p->edits[i];
		fprintf(out, "%s: %s %s: %s\n", p->resolver, e->existed ?
		    "would change" : "would create", e->path, e->why);
		fix_diff(out, e->path, e->old ? e->old : "", e->oldlen,
		    e->text, e->len);
	}
	for (i = 0; i < p->nperms; i++)
		fprintf(out, "%s: would set %s to uid %u gid %u mode %04o: "
		    "%s\n", p->resolver, p->perms[i].path,
		    (unsigned)p->perms[i].uid, (unsigned)p->perms[i].gid,
		    (unsigned)p->perms[i].mode, p->perms[i].why);
	for (i = 0; i < p->ncmds; i++)
		fix_print_cmd(out, p->resolver, "would run:", &p->cmds[i]);
	if (!is_fix_plan_empty(p) && p->reload.argc > 0)
		fix_print_cmd(out, p->resolver, "would run:", &p->reload);
	if (p->suggestlen > 0)
		fprintf(out, "%s: suggested for the main configuration "
		    "(not applied):\n%s", p->resolver, p->suggest);
}

/* Directories a repair never re-owns: shared by the whole system. */
static const char *const fix_system_dirs[] = {
	"/", "/etc", "/run", "/tmp", "/usr", "/usr/local", "/usr/share",
	"/var", "/var/cache", "/var/lib", "/var/run", NULL,
};

/*
 * ANCHOR_NOT_WRITABLE: the RFC 5011 file of s becomes the resolver user's
 * (u+rw), and its directory group-writable for that user's group, owner
 * kept.  A directory the whole system shares is left alone and the
 * change suggested instead.
 */
static void
fix_plan_writable(const struct resolver *r, const struct source *s,
    struct fix_plan *p)
{
	char why[AW_ERR_MAX], dir[AW_PATH_MAX], *sl;
	const struct passwd *pw;
	struct stat st;
	size_t i;

	if (s->kind != SRC_AUTO || s->path[0] == '\0' ||
	    is_writable_by(s->path, r->user, why, sizeof(why)))
		return;
	if ((pw = getpwnam(r->user[0] ? r->user : "root")) == NULL) {
		snprintf(p->refused, sizeof(p->refused), "%s: user %s is "
		    "unknown here: cannot make its anchor file writable",
		    s->path, r->user);
		return;
	}
	if (stat(s->path, &st) == 0 && (st.st_uid != pw->pw_uid ||
	    (st.st_mode & 0600) != 0600))
		fix_plan_perm(p, s->path, pw->pw_uid, pw->pw_gid,
		    (st.st_mode & 07777) | 0600, "the daemon must rewrite "
		    "its RFC 5011 file");
	snprintf(dir, sizeof(dir), "%s", s->path);
	if ((sl = strrchr(dir, '/')) == NULL)
		return;
	*(sl == dir ? sl + 1 : sl) = '\0';
	for (i = 0; fix_system_dirs[i] != NULL; i++)
		if (strcmp(dir, fix_system_dirs[i]) == 0)
			break;
	if (stat(dir, &st) == -1 || is_writable_by(dir, r->user, why,
	    sizeof(why)))
		return;
	if (fix_system_dirs[i] != NULL)
		fix_plan_suggest(p, "# %s is shared by the system: give %s "
		    "a directory of its own for %s", dir, r->user, s->path);
	else
		fix_plan_perm(p, dir, st.st_uid, pw->pw_gid,
		    (st.st_mode & 07777) | 0070, "the daemon replaces its "
		    "RFC 5011 file there");
}

/* The reload command of rc: resolvers.reload, else the reader's. */
static void
fix_plan_reload(const struct resolver_conf *rc, const struct reader *rd,
    struct fix_plan *p)
{
	struct fix_cmd *c = &p->reload;
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < rc->nreload && i < FIX_ARGV_MAX; i++)
		snprintf(c->argv[i], sizeof(c->argv[i]), "%s", rc->reload[i]);
	c->argc = i;
	for (i = 0; c->argc == 0 && rd->reload != NULL &&
	    rd->reload[i] != NULL && i < FIX_ARGV_MAX; i++)
		snprintf(c->argv[i], sizeof(c->argv[i]), "%s", rd->reload[i]);
	if (c->argc == 0)
		c->argc = i;
}

/* 1 if name is one of only[0..n), or n is 0. */
static int
is_fix_chosen(const char *name, char *const *only, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, only[i]) == 0)
			return 1;
	return n == 0;
}

void
fix_plan_all(const struct config *c, const struct fix_trust *t,
    struct resolver *rs, size_t n, char *const *only, size_t nonly,
    long long now, struct fix_plan *plans)
{
	const struct reader *rd;
	struct fix_plan *p;
	char why[AW_ERR_MAX];
	size_t i, j;

	for (i = 0; i < n; i++) {
		p = &plans[i];
		why[0] = '\0';
		memset(p, 0, sizeof(*p));
		snprintf(p->resolver, sizeof(p->resolver), "%s", rs[i].name);
		snprintf(p->type, sizeof(p->type), "%s", rs[i].type);
		if (!is_fix_chosen(rs[i].name, only, nonly))
			continue;
		rd = reader_find(rs[i].type);
		if (rs[i].error[0] != '\0' || rd == NULL)
			snprintf(p->refused, sizeof(p->refused), "its "
			    "configuration cannot be read: %s", rs[i].error);
		else if (rs[i].refused[0] != '\0')
			snprintf(p->refused, sizeof(p->refused), "the daemon "
			    "refuses its configuration, so no anchor change "
			    "would be loaded: %s", rs[i].refused);
		else if (t->from == FIX_FROM_NONE)
			snprintf(p->refused, sizeof(p->refused), "%s", t->why);
		else if (rd->repair == NULL)
			snprintf(p->refused, sizeof(p->refused), "no repair "
			    "is known for type %s", rs[i].type);
		if (p->refused[0] != '\0')
			continue;
		for (j = 0; j < rs[i].nsources; j++)
			fix_plan_writable(&rs[i], &rs[i].sources[j], p);
		if (rd->repair(&c->resolvers[i], &rs[i], t, now, p,
		    why, sizeof(why)) == -1) {
			fix_plan_free(p);
			snprintf(p->resolver, sizeof(p->resolver), "%s",
			    rs[i].name);
			snprintf(p->type, sizeof(p->type), "%s", rs[i].type);
			snprintf(p->refused, sizeof(p->refused), "%s",
			    why[0] ? why : "its repair failed");
			continue;
		}
		fix_plan_reload(&c->resolvers[i], rd, p);
	}
}
