/*
 * discover.c: which resolvers does this host have?
 *
 * A new user should go from "apt install anchorwatch" to a first useful
 * check in one step.  For every resolver type anchorwatch can read, look
 * for the configuration file where Debian's package puts it and for a
 * running daemon (its process name in /proc/PID/comm), and find where that
 * daemon answers: the UDP sockets among its file descriptors, looked up in
 * /proc/PID/net/udp and udp6 (its own network namespace), port 53 first.
 * The files it reads come from its command line (/proc/PID/cmdline, or,
 * when it does not run, the ExecStart of its systemd unit: units.c), read
 * as the daemon reads its options: every -c of kresd in order,
 * pdns_recursor's --config-dir= and --config-name=, the config flag of
 * the others.  Everything is read under a root prefix so that tests can
 * point it at a fixture tree.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define DISC_INODES 64

/* prefix + path into out. */
static int
disc_path(const char *prefix, const char *path, char *out, size_t len)
{
	return (size_t)snprintf(out, len, "%s%s", prefix, path) < len ? 0 : -1;
}

/* 1 if the process pid is called name (its comm). */
static int
is_process(const char *prefix, const char *pid, const char *name)
{
	char p[AW_PATH_MAX], comm[32];
	FILE *f;
	size_t n;

	if (disc_path(prefix, "/proc/", p, sizeof(p)) == -1 ||
	    strlen(p) + strlen(pid) + 6 >= sizeof(p))
		return 0;
	strcat(p, pid);
	strcat(p, "/comm");
	if ((f = fopen(p, "re")) == NULL)
		return 0;
	n = fread(comm, 1, sizeof(comm) - 1, f);
	fclose(f);
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, name) == 0;
}

/* Socket inodes among the descriptors of pid, into inodes (at most max). */
static size_t
disc_inodes(const char *prefix, const char *pid, unsigned long *inodes,
    size_t max)
{
	char dir[AW_PATH_MAX], link[AW_PATH_MAX + 300], target[64];
	struct dirent *de;
	unsigned long ino;
	size_t n = 0;
	ssize_t len;
	DIR *d;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/proc/%s/fd", prefix, pid) >=
	    sizeof(dir) || (d = opendir(dir)) == NULL)
		return 0;
	while (n < max && (de = readdir(d)) != NULL) {
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		if ((len = readlink(link, target, sizeof(target) - 1)) <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) == 1)
			inodes[n++] = ino;
	}
	closedir(d);
	return n;
}

/* One line of /proc/net/udp{,6}: its local address and inode. */
static int
disc_udp_line(const char *line, int v6, char *addr, size_t addrlen,
    unsigned *port, unsigned long *inode)
{
	char hex[40];
	unsigned char a[16];
	unsigned int w[4];
	int i;

	if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %*s %*s %*s %*s %*s %*s "
	    "%*s %lu", hex, port, inode) != 3)
		return -1;
	if (strlen(hex) != (v6 ? 32u : 8u))
		return -1;
	for (i = 0; i < (v6 ? 4 : 1); i++)
		if (sscanf(hex + i * 8, "%8x", &w[i]) != 1)
			return -1;
	/* the kernel prints each 32-bit word in host (little endian) order */
	for (i = 0; i < (v6 ? 4 : 1); i++) {
		a[i * 4] = (unsigned char)w[i];
		a[i * 4 + 1] = (unsigned char)(w[i] >> 8);
		a[i * 4 + 2] = (unsigned char)(w[i] >> 16);
		a[i * 4 + 3] = (unsigned char)(w[i] >> 24);
	}
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, addr,
	    (socklen_t)addrlen) == NULL)
		return -1;
	return 0;
}

/* Where the daemon with these socket inodes answers: "ip@port", port 53
 * first; a wildcard address becomes loopback. */
static void
disc_address(const char *prefix, const char *pid, const unsigned long *inodes,
    size_t n, char *out, size_t outlen)
{
	static const char *const files[2] = { "udp", "udp6" };
	char p[AW_PATH_MAX], line[512], addr[INET6_ADDRSTRLEN];
	unsigned long ino;
	unsigned port;
	size_t i;
	int v6, best = 0;
	FILE *f;

	out[0] = '\0';
	for (v6 = 0; v6 < 2; v6++) {
		/* the daemon's own view: its network namespace's sockets */
		if ((size_t)snprintf(p, sizeof(p), "%s/proc/%s/net/%s", prefix,
		    pid, files[v6]) >= sizeof(p) || (f = fopen(p, "re")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			if (disc_udp_line(line, v6, addr, sizeof(addr), &port,
			    &ino) == -1)
				continue;
			for (i = 0; i < n && inodes[i] != ino; i++)
				;
			if (i == n || port == 0 || (best && port != 53))
				continue;
			if (strcmp(addr, "0.0.0.0") == 0)
				snprintf(addr, sizeof(addr), "127.0.0.1");
			else if (strcmp(addr, "::") == 0)
				snprintf(addr, sizeof(addr), "::1");
			if (!best || port == 53) {
				snprintf(out, outlen, "%s@%u", addr, port);
				best = port == 53;
			}
		}
		fclose(f);
	}
}

/* ---- command lines ------------------------------------------------------ */

/* The value of option opt in argv[*i] ("-c X", "-cX", "--config=X",
 * "--config X" for a long one if spaced), or NULL; *i moves past it. */
static const char *
disc_opt(char *const *argv, size_t argc, size_t *i, const char *opt,
    int spaced)
{
	size_t n = strlen(opt);
	const char *a = argv[*i];

	if (strncmp(a, opt, n) != 0)
		return NULL;
	if (a[n] == '=' && opt[1] == '-')
		return a + n + 1;
	if (a[n] != '\0')
		return opt[1] == '-' ? NULL : a + n;
	if (!spaced || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/*
 * kresd [options] [rundir]: every -c (--config) is run, in order (kresd
 * 5 daemon/main.c); the last is the operator's config, the others go
 * before it.  Relative names are taken from the rundir, which is
 * relative to dir; -a, -t and -S take a value too.  A running kresd has
 * moved into its rundir already: dir (its cwd) is the rundir.
 */
static void
disc_each(char *const *argv, size_t argc, const char *dir, int running,
    struct found *f)
{
	const char *const *valued = f->rd->cmdline_valued;
	const char *files[CFG_PRE_MAX + 1], *v;
	const char *flag = f->rd->config_flag, *lflag = f->rd->config_flag_long;
	char rundir[AW_PATH_MAX];
	size_t i, k, n = 0;

	snprintf(rundir, sizeof(rundir), "%s", dir);
	for (i = 1; i < argc; i++) {
		if ((flag != NULL &&
		    (v = disc_opt(argv, argc, &i, flag, 1)) != NULL) ||
		    (lflag != NULL &&
		    (v = disc_opt(argv, argc, &i, lflag, 1)) != NULL)) {
			if (n == CFG_PRE_MAX + 1) {
				snprintf(f->note, sizeof(f->note), "more than %d"
				    " -c options: only the last %d are read",
				    CFG_PRE_MAX + 1, CFG_PRE_MAX + 1);
				memmove(files, files + 1, sizeof(files[0]) *
				    --n);
			}
			files[n++] = v;
			continue;
		}
		for (k = 0; valued != NULL && valued[k] != NULL; k++)
			if (disc_opt(argv, argc, &i, valued[k], 1) != NULL)
				break;
		if ((valued == NULL || valued[k] == NULL) &&
		    argv[i][0] != '-' && !running)
			fileio_join(dir, argv[i], rundir, sizeof(rundir));
	}
	if (n == 0)
		return;
	for (i = 0; i + 1 < n; i++)
		fileio_join(rundir, files[i], f->config_pre[i],
		    sizeof(f->config_pre[i]));
	f->nconfig_pre = n - 1;
	fileio_join(rundir, files[n - 1], f->config, sizeof(f->config));
}

/*
 * pdns_recursor: --config-dir=DIR (default /etc/powerdns) and
 * --config-name=NAME: DIR/recursor-NAME.conf, or recursor-NAME.yml when
 * that is there (5.x reads the YAML file first).  pdns_recursor takes
 * only the "=" form: "--config-dir DIR" makes it exit at start.
 */
static void
disc_dir_name(const char *prefix, char *const *argv, size_t argc, const char *dir,
    struct found *f)
{
	char cdir[AW_PATH_MAX] = "/etc/powerdns", name[AW_NAME_MAX] = "";
	char p[AW_PATH_MAX], yml[AW_PATH_MAX * 2];
	const char *v;
	struct stat st;
	size_t i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config-dir") == 0 ||
		    strcmp(argv[i], "--config-name") == 0)
			snprintf(f->note, sizeof(f->note), "pdns_recursor "
			    "refuses to start: %s needs '=' and a value",
			    argv[i]);
		else if ((v = disc_opt(argv, argc, &i, "--config-dir", 0)) !=
		    NULL)
			fileio_join(dir, v, cdir, sizeof(cdir));
		else if ((v = disc_opt(argv, argc, &i, "--config-name", 0)) !=
		    NULL)
			snprintf(name, sizeof(name), "%s", v);
	}
	snprintf(p, sizeof(p), "%s/recursor%s%s.yml", cdir, name[0] ? "-" : "",
	    name);
	snprintf(yml, sizeof(yml), "%s%s", prefix, p);
	if (stat(yml, &st) != 0 || !S_ISREG(st.st_mode))
		snprintf(p, sizeof(p), "%s/recursor%s%s.conf", cdir,
		    name[0] ? "-" : "", name);
	snprintf(f->config, sizeof(f->config), "%s", p);
}

/*
 * The config files of f's daemon in its command line argv[0..argc),
 * relative names taken from dir, as its row of the reader table says
 * (cmdline): every config_flag (kresd's -c), --config-dir and
 * --config-name (pdns_recursor), or the last config_flag.
 */
static void
disc_args(const char *prefix, char *const *argv, size_t argc,
    const char *dir, int running, struct found *f)
{
	const char *flag = f->rd->config_flag, *v, *last = NULL;
	const char *lflag = f->rd->config_flag_long;
	size_t i;

	if (f->rd->cmdline == RC_FLAG_EACH) {
		disc_each(argv, argc, dir, running, f);
		return;
	}
	if (f->rd->cmdline == RC_DIR_NAME) {
		disc_dir_name(prefix, argv, argc, dir, f);
		return;
	}
	/* dnsmasq's -C is also --conf-file; the last one counts */
	for (i = 1; flag != NULL && i < argc; i++)
		if ((v = disc_opt(argv, argc, &i, flag, 1)) != NULL ||
		    (lflag != NULL &&
		    (v = disc_opt(argv, argc, &i, lflag, 1)) != NULL))
			last = v;
	if (last != NULL)
		fileio_join(dir, last, f->config, sizeof(f->config));
}

/* /proc/PID/cmdline of pid as argv into f (its cwd for relative names).
 * /proc files have no size: read, not fileio_load. */
static void
disc_cmdline(const char *prefix, const char *pid, struct found *f)
{
	char p[AW_PATH_MAX], cwd[AW_PATH_MAX], *argv[UNIT_ARGS_MAX + 1];
	char *buf = xcalloc(1, 65536);
	size_t n, i, argc = 0;
	ssize_t cl;
	FILE *fp;

	if ((size_t)snprintf(p, sizeof(p), "%s/proc/%s/cmdline", prefix, pid) >=
	    sizeof(p) || (fp = fopen(p, "re")) == NULL) {
		free(buf);
		return;
	}
	n = fread(buf, 1, 65535, fp);
	fclose(fp);
	for (i = 0; i < n && argc < UNIT_ARGS_MAX; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	snprintf(p, sizeof(p), "%s/proc/%s/cwd", prefix, pid);
	if ((cl = readlink(p, cwd, sizeof(cwd) - 1)) <= 0)
		cl = 0;
	cwd[cl] = '\0';
	if (argc > 0)
		disc_args(prefix, argv, argc, cwd[0] == '/' ? cwd : "", 1, f);
	free(buf);
}

/* The first running process called name: its address into f. */
static void
disc_process(const char *prefix, const char *name, struct found *f)
{
	unsigned long inodes[DISC_INODES];
	char p[AW_PATH_MAX];
	struct dirent *de;
	DIR *d;
	size_t n;

	if (disc_path(prefix, "/proc", p, sizeof(p)) == -1 ||
	    (d = opendir(p)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]) ||
		    !is_process(prefix, de->d_name, name))
			continue;
		f->pid = (pid_t)strtol(de->d_name, NULL, 10);
		disc_cmdline(prefix, de->d_name, f);
		n = disc_inodes(prefix, de->d_name, inodes, DISC_INODES);
		disc_address(prefix, de->d_name, inodes, n, f->address,
		    sizeof(f->address));
		break;
	}
	closedir(d);
}

/* Not running: the command line of its systemd unit, if it has one. */
static void
disc_unit(const char *prefix, struct found *f)
{
	struct unit_cmd *u = xcalloc(1, sizeof(*u));

	if (units_find(prefix, f->rd->process, u)) {
		snprintf(f->unit, sizeof(f->unit), "%s", u->name);
		disc_args(prefix, u->argv, u->argc, u->workdir[0] ? u->workdir :
		    "/", 0, f);
	}
	free(u);
}

size_t
discover_run(const char *prefix, struct found *out, size_t max)
{
	const struct reader *const *rd;
	char p[AW_PATH_MAX];
	struct stat st;
	size_t i, nrd, n = 0;
	struct found *f;

	rd = reader_all(&nrd);
	for (i = 0; i < nrd && n < max; i++) {
		f = &out[n];
		memset(f, 0, sizeof(*f));
		f->rd = rd[i];
		if (disc_path(prefix, rd[i]->default_config, p, sizeof(p)) == 0 &&
		    stat(p, &st) == 0 && S_ISREG(st.st_mode))
			snprintf(f->config, sizeof(f->config), "%s",
			    rd[i]->default_config);
		disc_process(prefix, rd[i]->process, f);
		if (f->pid == 0)
			disc_unit(prefix, f);
		if (f->config[0] != '\0' || f->pid != 0 || f->unit[0] != '\0')
			n++;
	}
	return n;
}

/* The found resolvers as entries of c (which has none). */
void
discover_to_config(struct config *c, const struct found *f, size_t n)
{
	struct resolver_conf *rc;
	size_t i;

	for (i = 0; i < n && c->nresolvers < CFG_RESOLVERS_MAX; i++) {
		rc = &c->resolvers[c->nresolvers++];
		memset(rc, 0, sizeof(*rc));
		snprintf(rc->name, sizeof(rc->name), "%s", f[i].rd->type);
		snprintf(rc->type, sizeof(rc->type), "%s", f[i].rd->type);
		snprintf(rc->config, sizeof(rc->config), "%s",
		    f[i].config[0] ? f[i].config : f[i].rd->default_config);
		memcpy(rc->config_pre, f[i].config_pre,
		    sizeof(rc->config_pre));
		rc->nconfig_pre = f[i].nconfig_pre;
		snprintf(rc->address, sizeof(rc->address), "%s",
		    f[i].address);
	}
}

/* s as a YAML scalar: plain when it is a simple path, else quoted. */
static void
disc_yaml(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s[0] != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789/._@+-") == strlen(s) && s[0] != '-') {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* The config: line of f: a list when files come before the config. */
static void
disc_print_config(FILE *out, const struct found *f)
{
	size_t i;

	fprintf(out, "    config: %s", f->nconfig_pre ? "[" : "");
	for (i = 0; i < f->nconfig_pre; i++) {
		disc_yaml(out, f->config_pre[i]);
		fputs(", ", out);
	}
	disc_yaml(out, f->config[0] ? f->config : f->rd->default_config);
	fprintf(out, "%s%s\n", f->nconfig_pre ? "]" : "", f->config[0] ? "" :
	    "   # not found: set the right path");
}

void
discover_print(FILE *out, const struct found *f, size_t n)
{
	size_t i;

	if (n == 0) {
		fprintf(out, "# no resolver found on this host\n"
		    "resolvers: []\n");
		return;
	}
	fprintf(out, "# found on this host by anchorwatch discover\n"
	    "resolvers:\n");
	for (i = 0; i < n; i++) {
		fprintf(out, "  - name: %s\n    type: %s\n", f[i].rd->type,
		    f[i].rd->type);
		disc_print_config(out, &f[i]);
		if (f[i].pid != 0 && f[i].address[0] != '\0')
			fprintf(out, "    address: %s   # %s, pid %ld\n",
			    f[i].address, f[i].rd->process, (long)f[i].pid);
		else if (f[i].pid != 0)
			fprintf(out, "    # %s runs (pid %ld), no UDP socket "
			    "seen: set address\n", f[i].rd->process,
			    (long)f[i].pid);
		else if (f[i].unit[0] != '\0')
			fprintf(out, "    # %s is not running; config from the "
			    "command line of %s\n", f[i].rd->process,
			    f[i].unit);
		else
			fprintf(out, "    # %s is not running\n",
			    f[i].rd->process);
		if (f[i].note[0] != '\0')
			fprintf(out, "    # warning: %s\n", f[i].note);
	}
}
