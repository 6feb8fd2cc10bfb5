/*
 * fuzz.h: what the fuzz targets (tests/fuzz/fuzz_NAME.c) share.
 *
 * Each target defines LLVMFuzzerTestOneInput over one parser's real entry
 * point.  The same object links either with libFuzzer (`make fuzz`, clang,
 * build-fuzz/) or with replay.c (`make check`, ASan + UBSan, build-san/),
 * which runs it on every file of its corpus, tests/fuzz/corpus/NAME/.
 *
 * Targets are deterministic: no network, no clock (FUZZ_NOW stands for
 * now), no state carried from one input to the next.  Parsers that take a
 * path get the input written to a file of a private directory made once
 * per process (fuzz.c); those that take a buffer get it as it is.
 */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "anchorwatch.h"

/* 2026-12-04T12:00:00Z: inside the validity of the test CA of
 * tests/data/fixxml and after every event of the shipped calendar. */
#define FUZZ_NOW 1796385600LL

/* The top of the source tree (the Makefile defines it), for fixtures. */
#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Make the private directory if it is not made yet; its path.  The
 * process that made it removes it at exit. */
const char *fuzz_dir(void);
/* Write data[0..size) to the file name of the private directory
 * (replacing it) and return its path (static storage, valid until the
 * next call).  Failure to write is fatal: the target cannot run. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);
/* Empty the private directory: what an input finds there is what it
 * wrote itself. */
void fuzz_clear(void);
/* The path of name in the private directory (without writing it). */
const char *fuzz_path(const char *name);
/* data[0..size) as a NUL-terminated string (malloc'd; the caller frees). */
char *fuzz_text(const uint8_t *data, size_t size);
/* A stream on /dev/null for reports that are written and thrown away. */
FILE *fuzz_null(void);
/* t's counts reported every way `traffic` reports them (text, JSON,
 * CSV), with the defaults of its options and the root's signers of
 * 2026 given, into fuzz_null(): hostile names and addresses written. */
struct traffic;
void fuzz_report(struct traffic *t);
/* A fixture of the tree (FUZZ_SRCDIR/rel) loaded whole, once per name by
 * the caller; fatal if missing.  *len gets its size; the caller keeps it. */
char *fuzz_fixture(const char *rel, size_t *len);

#endif /* FUZZ_H */
