/*
 * pdns-daemon.c: what the installed PowerDNS Recursor itself says.
 *
 * Three questions only the daemon's own binaries answer, each run with
 * an argument vector (spawn_read, no shell) and a time limit:
 *  - `pdns_recursor --version`: which root DS set is built in (20326 only
 *    up to 5.0.9 and 5.1.3, 20326 and 38696 from 5.0.10, 5.1.4, 5.2.0;
 *    pdns/root-dnssec.hh);
 *  - `pdns_recursor --config=check`: whether it knows every setting of a
 *    recursor.conf (it exits at start on one it does not);
 *  - `rec_control get-tas`: the anchors the running daemon has loaded.
 * Output is untrusted: bounded, parsed strictly.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchorwatch.h"

#define PD_RUN_TIMEOUT 5        /* seconds for a command */
#define PD_OUT_MAX 65536        /* output kept from a command */
/* The installed daemon; a test hook (not in anchorwatch.h) points it
 * elsewhere to stand for a host without it. */
const char *pdns_daemon_binary = "/usr/sbin/pdns_recursor";
#define PD_REC_CONTROL "/usr/bin/rec_control"

/* The root DS records compiled into the daemon (pdns/root-dnssec.hh). */
static const char *const pd_root_ds[] = {
	". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC6834"
	    "57104237C7F8EC8D",
	". IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C48"
	    "3AF444A4C0FB2B16",
};

/*
 * Parse "PowerDNS Recursor X.Y.Z" in out into v; 0, or -1 (v all 0) if no
 * version is found.
 */
int
pdns_daemon_version(const char *out, unsigned v[3])
{
	unsigned long n;
	const char *p;
	char *end;
	int i;

	v[0] = v[1] = v[2] = 0;
	if ((p = strstr(out, "PowerDNS Recursor ")) == NULL)
		return -1;
	p += 18;
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*p))
			break;
		errno = 0;
		n = strtoul(p, &end, 10);
		if (errno != 0 || n > 1000)
			break;
		v[i] = (unsigned)n;
		p = end;
		if (i < 2 && *p++ != '.')
			break;
	}
	if (i == 3)
		return 0;
	v[0] = v[1] = v[2] = 0;
	return -1;
}

/* 1 if the version named in out has KSK-2024 (38696) built in, 0 if not
 * or if no version is found. */
int
pdns_daemon_has_38696(const char *out)
{
	unsigned v[3];

	if (pdns_daemon_version(out, v) == -1)
		return 0;
	if (v[0] != 5)
		return v[0] > 5;
	if (v[1] == 0)
		return v[2] >= 10;
	if (v[1] == 1)
		return v[2] >= 4;
	return 1;
}

/*
 * The built-in root DS set of the installed daemon, as one source of r;
 * its version into v (all 0: no daemon, or no version said).
 */
void
pdns_daemon_builtin(struct resolver *r, unsigned v[3])
{
	char *argv[] = { (char *)pdns_daemon_binary, "--version", NULL };
	char *out, why[AW_ERR_MAX];
	struct source *s;
	struct anchor a;
	size_t i, n = 1, len;
	int st;

	/* it prints its version on stderr */
	v[0] = v[1] = v[2] = 0;
	if (spawn_read(argv, PD_RUN_TIMEOUT, PD_OUT_MAX, 1, &out, &len, &st,
	    why, sizeof(why)) == 0) {
		(void)pdns_daemon_version(out, v);
		if (pdns_daemon_has_38696(out))
			n = 2;
	}
	free(out);
	s = resolver_add_source(r);
	s->kind = SRC_BUILTIN;
	snprintf(s->path, sizeof(s->path), "%s (built-in)", pdns_daemon_binary);
	for (i = 0; i < n; i++)
		if (keyset_parse_rr(pd_root_ds[i], &a, why, sizeof(why)) == 1)
			*source_add_anchor(s) = a;
}

/*
 * The --config-dir and --config-name that make the daemon read config:
 * 1 if it is named recursor.conf or recursor-NAME.conf (or .yml), with
 * its directory in dir and NAME (or "") in name; 0 for another name.
 */
int
pdns_daemon_name(const char *config, char *dir, size_t dirlen, char *name,
    size_t namelen)
{
	const char *base = strrchr(config, '/'), *ext;
	size_t bl;

	if (base == NULL || strncmp(++base, "recursor", 8) != 0 ||
	    (ext = strrchr(base, '.')) == NULL || (strcmp(ext, ".conf") != 0 &&
	    strcmp(ext, ".yml") != 0) || (ext != base + 8 && (base[8] != '-' ||
	    ext == base + 9)))
		return 0;
	bl = (size_t)(ext - base);
	snprintf(dir, dirlen, "%.*s", base - config > 1 ? (int)(base - config -
	    1) : 1, config);
	snprintf(name, namelen, "%.*s", bl > 8 ? (int)(bl - 9) : 0, base + 9);
	return 1;
}

/*
 * Ask the installed daemon's checker about config, which must be named
 * recursor.conf or recursor-NAME.conf (--config-dir, --config-name: the
 * only files it can be pointed at).  1 with the setting it does not know
 * in name, 0 if it knows them all, cannot be asked or says something else.
 */
int
pdns_daemon_unknown(const char *config, char *name, size_t namelen)
{
	char dir[AW_PATH_MAX], cname[AW_PATH_MAX];
	char dirarg[AW_PATH_MAX + 16], namearg[AW_PATH_MAX + 16];
	char *argv[5], *out = NULL, why[AW_ERR_MAX], *p, *q;
	size_t len;
	int st, n = 0, rv = 0;

	if (!pdns_daemon_name(config, dir, sizeof(dir), cname,
	    sizeof(cname)) || strcmp(strrchr(config, '.'), ".conf") != 0)
		return 0;
	argv[n++] = (char *)pdns_daemon_binary;
	argv[n++] = "--config=check";
	snprintf(dirarg, sizeof(dirarg), "--config-dir=%s", dir);
	argv[n++] = dirarg;
	if (cname[0] != '\0') {
		snprintf(namearg, sizeof(namearg), "--config-name=%s", cname);
		argv[n++] = namearg;
	}
	argv[n] = NULL;
	if (spawn_read(argv, PD_RUN_TIMEOUT, PD_OUT_MAX, 1, &out, &len, &st,
	    why, sizeof(why)) == 0 && WIFEXITED(st) && WEXITSTATUS(st) != 0 &&
	    (p = strstr(out, "unknown setting '")) != NULL &&
	    (q = strchr(p += 17, '\'')) != NULL && (size_t)(q - p) < namelen &&
	    q > p) {
		snprintf(name, namelen, "%.*s", (int)(q - p), p);
		rv = 1;
	}
	free(out);
	return rv;
}

/*
 * `rec_control get-tas` of the daemon whose control socket is in sockdir
 * ("" for the default) and whose config name is name ("" for none): the
 * root DS tags into r->loaded, r->have_loaded set.  Nothing when it does
 * not answer in the form pdns_daemon_parse_tas reads.
 */
void
pdns_daemon_tas(const char *sockdir, const char *name, struct resolver *r)
{
	char sock[AW_PATH_MAX * 2 + 16], nm[AW_PATH_MAX + 16], *out;
	char *argv[8], why[AW_ERR_MAX];
	size_t len;
	int st, n = 0;

	argv[n++] = PD_REC_CONTROL;
	if (sockdir[0] != '\0') {
		snprintf(sock, sizeof(sock), "--socket-dir=%s", sockdir);
		argv[n++] = sock;
	}
	if (name[0] != '\0') {
		snprintf(nm, sizeof(nm), "--config-name=%s", name);
		argv[n++] = nm;
	}
	argv[n++] = "--timeout=" "5";
	argv[n++] = "get-tas";
	argv[n] = NULL;
	if (spawn_read(argv, PD_RUN_TIMEOUT, PD_OUT_MAX, 1, &out, &len, &st,
	    why, sizeof(why)) == 0 && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0 && pdns_daemon_parse_tas(out, r) == 0) {
		r->have_loaded = 1;
		snprintf(r->loaded_how, sizeof(r->loaded_how),
		    "rec_control get-tas");
	}
	free(out);
}

/*
 * Parse `rec_control get-tas` output into r->loaded: after "Configured
 * Trust Anchors:", a zone name line, then one "\t\tTAG ALG DT DIGEST" line
 * per DS.  Returns 0, or -1 if the output is not in that form.
 */
int
pdns_daemon_parse_tas(const char *out, struct resolver *r)
{
	const char *p = out, *e;
	char line[512], *end;
	unsigned long tag;
	int root = 0, head = 0;
	size_t n;

	r->nloaded = 0;
	for (; *p != '\0'; p = *e ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n >= sizeof(line))
			return -1;
		memcpy(line, p, n);
		line[n] = '\0';
		if (strncmp(line, "Configured Trust Anchors:", 25) == 0) {
			head = 1;
			continue;
		}
		if (!head || line[0] == '\0')
			continue;
		if (line[0] != '\t' && line[0] != ' ') {
			root = strcmp(line, ".") == 0;
			continue;
		}
		if (!root)
			continue;
		errno = 0;
		tag = strtoul(line + strspn(line, " \t"), &end, 10);
		if (errno != 0 || tag > 65535 || *end != ' ')
			return -1;
		if (r->nloaded < AW_RRSET_MAX)
			r->loaded[r->nloaded++] = (uint16_t)tag;
	}
	return head ? 0 : -1;
}
