/*
 * lazy-fstrm.h: fstrm: Frame Streams, the framing of dnstap files and
 * sockets; loaded at its first call (lazy.h).
 */
#ifndef AW_LAZY_FSTRM_H
#define AW_LAZY_FSTRM_H

#include <fstrm.h>

#include "lazy.h"

#ifndef AW_FSTRM_SONAME
/* Debian's; the Makefile finds it */
#define AW_FSTRM_SONAME "libfstrm.so.0"
#endif

#define AW_FSTRM_FUNCS(X) \
	X(fstrm_control_get_field_content_type) \
	X(fstrm_control_get_num_field_content_type) \
	X(fstrm_rdwr_destroy) \
	X(fstrm_rdwr_init) \
	X(fstrm_rdwr_set_close) \
	X(fstrm_rdwr_set_open) \
	X(fstrm_rdwr_set_read) \
	X(fstrm_rdwr_set_write) \
	X(fstrm_reader_destroy) \
	X(fstrm_reader_get_control) \
	X(fstrm_reader_init) \
	X(fstrm_reader_open) \
	X(fstrm_reader_options_add_content_type) \
	X(fstrm_reader_options_destroy) \
	X(fstrm_reader_options_init) \
	X(fstrm_reader_options_set_max_frame_size) \
	X(fstrm_reader_read)

enum {
#define X(f) AW_LAZY_fstrm_##f,
	AW_FSTRM_FUNCS(X)
#undef X
	AW_LAZY_fstrm_N
};
extern struct lazylib aw_lazy_fstrm;

#define fstrm_control_get_field_content_type \
	AW_LAZY(fstrm, fstrm_control_get_field_content_type)
#define fstrm_control_get_num_field_content_type \
	AW_LAZY(fstrm, fstrm_control_get_num_field_content_type)
#define fstrm_rdwr_destroy AW_LAZY(fstrm, fstrm_rdwr_destroy)
#define fstrm_rdwr_init AW_LAZY(fstrm, fstrm_rdwr_init)
#define fstrm_rdwr_set_close AW_LAZY(fstrm, fstrm_rdwr_set_close)
#define fstrm_rdwr_set_open AW_LAZY(fstrm, fstrm_rdwr_set_open)
#define fstrm_rdwr_set_read AW_LAZY(fstrm, fstrm_rdwr_set_read)
#define fstrm_rdwr_set_write AW_LAZY(fstrm, fstrm_rdwr_set_write)
#define fstrm_reader_destroy AW_LAZY(fstrm, fstrm_reader_destroy)
#define fstrm_reader_get_control AW_LAZY(fstrm, fstrm_reader_get_control)
#define fstrm_reader_init AW_LAZY(fstrm, fstrm_reader_init)
#define fstrm_reader_open AW_LAZY(fstrm, fstrm_reader_open)
#define fstrm_reader_options_add_content_type \
	AW_LAZY(fstrm, fstrm_reader_options_add_content_type)
#define fstrm_reader_options_destroy \
	AW_LAZY(fstrm, fstrm_reader_options_destroy)
#define fstrm_reader_options_init AW_LAZY(fstrm, fstrm_reader_options_init)
#define fstrm_reader_options_set_max_frame_size \
	AW_LAZY(fstrm, fstrm_reader_options_set_max_frame_size)
#define fstrm_reader_read AW_LAZY(fstrm, fstrm_reader_read)

#endif /* AW_LAZY_FSTRM_H */
