/*
 * lazy-protobuf.h: protobuf-c: the Dnstap messages (the generated
 * dnstap.pb-c.c is built with -include of this header); loaded at its first
 * call (lazy.h).
 */
#ifndef AW_LAZY_PROTOBUF_H
#define AW_LAZY_PROTOBUF_H

#include <protobuf-c/protobuf-c.h>

#include "lazy.h"

#ifndef AW_PROTOBUFC_SONAME
/* Debian's; the Makefile finds it */
#define AW_PROTOBUFC_SONAME "libprotobuf-c.so.1"
#endif

#define AW_PROTOBUF_FUNCS(X) \
	X(protobuf_c_message_free_unpacked) \
	X(protobuf_c_message_get_packed_size) \
	X(protobuf_c_message_pack) \
	X(protobuf_c_message_pack_to_buffer) \
	X(protobuf_c_message_unpack)

enum {
#define X(f) AW_LAZY_protobuf_##f,
	AW_PROTOBUF_FUNCS(X)
#undef X
	AW_LAZY_protobuf_N
};
extern struct lazylib aw_lazy_protobuf;

#define protobuf_c_message_free_unpacked \
	AW_LAZY(protobuf, protobuf_c_message_free_unpacked)
#define protobuf_c_message_get_packed_size \
	AW_LAZY(protobuf, protobuf_c_message_get_packed_size)
#define protobuf_c_message_pack AW_LAZY(protobuf, protobuf_c_message_pack)
#define protobuf_c_message_pack_to_buffer \
	AW_LAZY(protobuf, protobuf_c_message_pack_to_buffer)
#define protobuf_c_message_unpack AW_LAZY(protobuf, protobuf_c_message_unpack)

#endif /* AW_LAZY_PROTOBUF_H */
