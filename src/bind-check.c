/*
 * bind-check.c: named-checkconf, the referee of what named 9.18 loads.
 *
 * The BIND reader models the statements that decide named's trust and the
 * trust anchor rules of lib/bind9/check.c, not the whole named.conf
 * grammar (lib/isccfg/namedconf.c): an unknown option, a misspelt one or
 * one of a wrong type also keep named from starting.  named's own checker
 * knows them all, and it is installed wherever named is (bind9-utils), so
 * after its own reading the reader asks it: `named-checkconf -i CONFIG`
 * (-i: no warnings for deprecated options; no -z: zones are not loaded),
 * run by full path with execv, no shell, for a few seconds, its output
 * capped.  Its exit status 1 means named would refuse the config; its
 * first error line, untrusted text, is bounded and sanitised into
 * "FILE:LINE: named refuses to start: MESSAGE".
 *
 * named-checkconf prints warnings and errors alike as "FILE:LINE: text"
 * (no severity), so the warnings named 9.18 can print (lib/bind9/check.c
 * and lib/isccfg/parser.c at ISC_LOG_WARNING) are passed over by their
 * words; when only such lines are left, the last one is taken.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchorwatch.h"

#define BC_TIMEOUT 5            /* seconds: it parses, it loads no zone */
#define BC_OUT_MAX (1 << 20)    /* bytes of its output taken */
#define BC_LINE_MAX 1024        /* bytes of one line looked at */
#define BC_MSG_MAX 300          /* bytes of its message kept */

static const char *bc_path;     /* NULL: the installed one; "": none */
static unsigned bc_timeout = BC_TIMEOUT;

/* Words of named-checkconf's warnings (9.18), which are not refusals. */
static const char *const bc_warnings[] = {
	"deprecated", "is obsolete", "is experimental", "is not implemented",
	"WILL FAIL after key", "uses the 2010 key", "root zone are present",
	"not recommended", "did you want", "has a weak exponent",
	"revoke bit set", "digest-bits too small", "allows access to",
	"will be disabled for non-IN", "should either be 0", "exceeds 100%",
	"default changed", "is ignored when used together",
	"'notify' is disabled",
	"was disabled at compilation", "greater than 'nta-lifetime'",
	"key-directory: '",
};

void
bind_check_use(const char *path, unsigned timeout)
{
	bc_path = path;
	bc_timeout = timeout > 0 ? timeout : BC_TIMEOUT;
}

/* 1 if msg is one of named-checkconf's warnings. */
static int
is_bc_warning(const char *msg)
{
	size_t i;

	for (i = 0; i < sizeof(bc_warnings) / sizeof(bc_warnings[0]); i++)
		if (strstr(msg, bc_warnings[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Split line l (len bytes, copied and sanitised into buf: every byte that
 * is not printable ASCII becomes '?') at its first ":LINE: " into the
 * file (buf), *line and *msg.  Returns 1 for a "FILE:LINE: MESSAGE" line.
 */
static int
bc_split(const char *l, size_t len, char *buf, unsigned long long *line,
    const char **msg)
{
	char *p, *d;
	size_t i;

	if (len >= BC_LINE_MAX)
		len = BC_LINE_MAX - 1;
	for (i = 0; i < len; i++)
		buf[i] = l[i] >= 0x20 && l[i] < 0x7f ? l[i] : '?';
	buf[len] = '\0';
	for (p = strchr(buf, ':'); p != NULL; p = strchr(p + 1, ':')) {
		d = p + 1 + strspn(p + 1, "0123456789");
		if (p == buf || d == p + 1 || d[0] != ':' || d[1] != ' ' ||
		    d[2] == '\0')
			continue;
		*p = *d = '\0';
		if (namedconf_num(p + 1, UINT_MAX, line) == -1 || *line == 0)
			return 0;
		*msg = d + 2;
		return 1;
	}
	return 0;
}

int
bind_check_parse(const char *out, char *refused, size_t len)
{
	char buf[BC_LINE_MAX];
	const char *l, *e, *msg;
	unsigned long long line;
	int found = 0;

	for (l = out; l != NULL && *l != '\0'; l = e != NULL ? e + 1 : NULL) {
		e = strchr(l, '\n');
		if (!bc_split(l, e != NULL ? (size_t)(e - l) : strlen(l), buf,
		    &line, &msg))
			continue;
		snprintf(refused, len, "%.*s:%llu: named refuses to start: "
		    "%.*s", AW_PATH_MAX, buf, line, BC_MSG_MAX, msg);
		found = 1;
		if (!is_bc_warning(msg))
			break;
	}
	return found;
}

int
bind_check_run(const char *config, char *refused, size_t len)
{
	static const char *const installed[] = {
		"/usr/bin/named-checkconf", "/usr/sbin/named-checkconf",
		"/usr/local/sbin/named-checkconf",
	};
	const char *prog = bc_path;
	char *argv[4], *out = NULL, why[AW_ERR_MAX];
	size_t i, outlen;
	int status, rv = 0;

	for (i = 0; prog == NULL && i < 3; i++)
		if (access(installed[i], X_OK) == 0)
			prog = installed[i];
	/* no checker; or a name it would take for an option */
	if (prog == NULL || prog[0] == '\0' || config[0] == '-')
		return 0;
	argv[0] = (char *)prog;
	argv[1] = (char *)"-i";
	argv[2] = (char *)config;
	argv[3] = NULL;
	if (spawn_read(argv, bc_timeout, BC_OUT_MAX, 1, &out, &outlen,
	    &status, why, sizeof(why)) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 1)
		rv = bind_check_parse(out, refused, len);
	free(out);
	return rv;
}
