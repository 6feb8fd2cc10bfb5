/*
 * log.c: diagnostics on stderr and the one fatal path.
 *
 * Out of memory and other conditions that leave nothing sensible to report
 * end the program with exit 3, which a monitoring system reads as UNKNOWN:
 * a check that could not run must never look like OK, WARNING or CRITICAL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "anchorwatch.h"

static const char *log_prog = "anchorwatch";

void
log_setprog(const char *name)
{
	log_prog = name;
}

static void
log_vwarnx(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", log_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwarnx(fmt, ap);
	va_end(ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwarnx(fmt, ap);
	va_end(ap);
	exit(SEV_UNKNOWN);
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		fatalx("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("out of memory");
	if ((q = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		fatalx("out of memory");
	return q;
}
