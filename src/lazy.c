/*
 * lazy.c: libraries loaded at their first use (lazy.h), and their tables.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "anchorwatch.h"
#include "lazy-crypto.h"
#include "lazy-expat.h"
#include "lazy-fstrm.h"
#include "lazy-json.h"
#include "lazy-protobuf.h"

int
lazylib_open(struct lazylib *l)
{
	void *h;
	size_t i;

	if (l->loaded)
		return 0;
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(l->err, sizeof(l->err), "cannot load %s: %s",
		    l->soname, dlerror());
		return -1;
	}
	for (i = 0; i < l->n; i++)
		if ((l->fn[i] = dlsym(h, l->names[i])) == NULL) {
			snprintf(l->err, sizeof(l->err), "%s: no %s", l->soname,
			    l->names[i]);
			dlclose(h);
			return -1;
		}
	l->loaded = 1;
	return 0;
}

void *
lazylib_fn(struct lazylib *l, size_t i)
{
	(void)pthread_once(&l->once, l->init);
	if (!l->loaded)
		fatalx("%s", l->err);
	return l->fn[i];
}

/* The table of one library: its names (the X list, not expanded by the
 * function-name macros: # takes the argument as written), pointers, and
 * the once-only loader. */
#define AW_NAME(f) #f,
#define AW_LAZY_LIB(lib, LIST, soname) \
	static const char *const aw_names_##lib[] = { LIST(AW_NAME) }; \
	static void *aw_fn_##lib[AW_LAZY_##lib##_N]; \
	static void aw_init_##lib(void); \
	struct lazylib aw_lazy_##lib = { soname, aw_names_##lib, \
	    aw_fn_##lib, AW_LAZY_##lib##_N, PTHREAD_ONCE_INIT, \
	    aw_init_##lib, 0, "" }; \
	static void \
	aw_init_##lib(void) \
	{ \
		(void)lazylib_open(&aw_lazy_##lib); \
	}

AW_LAZY_LIB(crypto, AW_CRYPTO_FUNCS, AW_CRYPTO_SONAME)
AW_LAZY_LIB(expat, AW_EXPAT_FUNCS, AW_EXPAT_SONAME)
AW_LAZY_LIB(fstrm, AW_FSTRM_FUNCS, AW_FSTRM_SONAME)
AW_LAZY_LIB(json, AW_JSON_FUNCS, AW_JSONC_SONAME)
AW_LAZY_LIB(protobuf, AW_PROTOBUF_FUNCS, AW_PROTOBUFC_SONAME)
