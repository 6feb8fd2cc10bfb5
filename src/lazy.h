/*
 * lazy.h: libraries loaded at their first use.  Only some commands need
 * libcrypto (fix's S/MIME), json-c (JSON out and in), fstrm and
 * protobuf-c (dnstap) or expat (fix's XML), and loading them cost every
 * start of `check` 1.7 ms, more than its root query's own work (issue 13
 * item 7).  So the binary does not link them: the first call of one of
 * their functions dlopens the library by its soname (from the Makefile)
 * and looks up every function the program uses, once, thread-safe.  A
 * library that cannot be loaded, or lacks a function, ends the program
 * with exit 3 naming both (fatalx).
 *
 * Each lazy-NAME.h includes the library's own header, lists its
 * functions (AW_NAME_FUNCS) and then defines each function's name as a
 * call through the table (AW_LAZY), so that the code calling them reads
 * as plain calls to the library, with the library's own prototypes.
 */
#ifndef AW_LAZY_H
#define AW_LAZY_H

#include <pthread.h>
#include <stddef.h>

struct lazylib {
	const char *soname;
	const char *const *names;     /* its functions, in table order */
	void **fn;                    /* as many pointers */
	size_t n;
	pthread_once_t once;
	void (*init)(void);           /* lazylib_open of this one */
	int loaded;
	char err[256];
};

/* Load l now (dlopen, every name): 0, or -1 with l->err. */
int lazylib_open(struct lazylib *l);
/* Function i of l, l loaded at the first call; fatalx if it cannot be. */
void *lazylib_fn(struct lazylib *l, size_t i);

/* f of lib, as a pointer of f's own type.  Used as f's name by the
 * lazy-NAME.h headers: f in the expansion is not expanded again. */
#define AW_LAZY(lib, f) \
	((__typeof__(&f))lazylib_fn(&aw_lazy_##lib, AW_LAZY_##lib##_##f))

#endif /* AW_LAZY_H */
