/*
 * discover.c: which resolvers does this host have?
 *
 * A new user should go from "apt install anchorwatch" to a first useful
 * check in one step.  For every resolver type anchorwatch can read, look
 * for the configuration file where Debian's package puts it and for a
 * running daemon (its process name in /proc/PID/comm), and find where that
 * daemon answers: the UDP sockets among its file descriptors, looked up in
 * /proc/PID/net/udp and udp6 (its own network namespace), port 53 first.  Everything is read under a
 * root prefix so that tests can point it at a fixture tree.
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

/*
 * The config file the daemon pid was started with: the argument after
 * flag ("-c FILE") or glued to it ("-cFILE"), from /proc/PID/cmdline.
 * A relative name is left alone: it is relative to the daemon's cwd.
 */
static void
disc_cmdline_config(const char *prefix, const char *pid, const char *flag,
    char *out, size_t outlen)
{
	char p[AW_PATH_MAX], buf[4096];
	size_t n, i, fl;
	const char *arg, *next;
	FILE *f;

	if (flag == NULL || (size_t)snprintf(p, sizeof(p), "%s/proc/%s/cmdline",
	    prefix, pid) >= sizeof(p) || (f = fopen(p, "re")) == NULL)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	fl = strlen(flag);
	for (i = 0; i < n; i += strlen(buf + i) + 1) {
		arg = buf + i;
		if (strncmp(arg, flag, fl) != 0)
			continue;
		next = arg[fl] != '\0' ? arg + fl : (i + fl + 1 < n ?
		    arg + fl + 1 : NULL);
		if (next != NULL && next[0] == '/') {
			snprintf(out, outlen, "%s", next);
			return;
		}
	}
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
		disc_cmdline_config(prefix, de->d_name, f->rd->config_flag,
		    f->config, sizeof(f->config));
		n = disc_inodes(prefix, de->d_name, inodes, DISC_INODES);
		disc_address(prefix, de->d_name, inodes, n, f->address,
		    sizeof(f->address));
		break;
	}
	closedir(d);
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
		if (f->config[0] != '\0' || f->pid != 0)
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
		snprintf(rc->address, sizeof(rc->address), "%s",
		    f[i].address);
	}
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
		fprintf(out, "    config: %s%s\n", f[i].config[0] ?
		    f[i].config : f[i].rd->default_config, f[i].config[0] ?
		    "" : "   # not found: set the right path");
		if (f[i].pid != 0 && f[i].address[0] != '\0')
			fprintf(out, "    address: %s   # %s, pid %ld\n",
			    f[i].address, f[i].rd->process, (long)f[i].pid);
		else if (f[i].pid != 0)
			fprintf(out, "    # %s runs (pid %ld), no UDP socket "
			    "seen: set address\n", f[i].rd->process,
			    (long)f[i].pid);
		else
			fprintf(out, "    # %s is not running\n",
			    f[i].rd->process);
	}
}
