/*
 * lazy-json.h: json-c: JSON out (status --json, traffic --json, the run's
 * record) and in (--merge of records, counts); loaded at its first call
 * (lazy.h).
 */
#ifndef AW_LAZY_JSON_H
#define AW_LAZY_JSON_H

#include <json-c/json.h>

#include "lazy.h"

#ifndef AW_JSONC_SONAME
/* Debian's; the Makefile finds it */
#define AW_JSONC_SONAME "libjson-c.so.5"
#endif

#define AW_JSON_FUNCS(X) \
	X(json_object_array_add) \
	X(json_object_array_get_idx) \
	X(json_object_array_length) \
	X(json_object_get_boolean) \
	X(json_object_get_double) \
	X(json_object_get_int64) \
	X(json_object_get_string) \
	X(json_object_get_string_len) \
	X(json_object_is_type) \
	X(json_object_new_array) \
	X(json_object_new_boolean) \
	X(json_object_new_double) \
	X(json_object_new_int) \
	X(json_object_new_int64) \
	X(json_object_new_object) \
	X(json_object_new_string) \
	X(json_object_object_add) \
	X(json_object_object_get_ex) \
	X(json_object_put) \
	X(json_object_to_json_string_ext) \
	X(json_tokener_error_desc) \
	X(json_tokener_free) \
	X(json_tokener_get_error) \
	X(json_tokener_get_parse_end) \
	X(json_tokener_new_ex) \
	X(json_tokener_parse_ex) \
	X(json_tokener_set_flags)

enum {
#define X(f) AW_LAZY_json_##f,
	AW_JSON_FUNCS(X)
#undef X
	AW_LAZY_json_N
};
extern struct lazylib aw_lazy_json;

#define json_object_array_add AW_LAZY(json, json_object_array_add)
#define json_object_array_get_idx AW_LAZY(json, json_object_array_get_idx)
#define json_object_array_length AW_LAZY(json, json_object_array_length)
#define json_object_get_boolean AW_LAZY(json, json_object_get_boolean)
#define json_object_get_double AW_LAZY(json, json_object_get_double)
#define json_object_get_int64 AW_LAZY(json, json_object_get_int64)
#define json_object_get_string AW_LAZY(json, json_object_get_string)
#define json_object_get_string_len AW_LAZY(json, json_object_get_string_len)
#define json_object_is_type AW_LAZY(json, json_object_is_type)
#define json_object_new_array AW_LAZY(json, json_object_new_array)
#define json_object_new_boolean AW_LAZY(json, json_object_new_boolean)
#define json_object_new_double AW_LAZY(json, json_object_new_double)
#define json_object_new_int AW_LAZY(json, json_object_new_int)
#define json_object_new_int64 AW_LAZY(json, json_object_new_int64)
#define json_object_new_object AW_LAZY(json, json_object_new_object)
#define json_object_new_string AW_LAZY(json, json_object_new_string)
#define json_object_object_add AW_LAZY(json, json_object_object_add)
#define json_object_object_get_ex AW_LAZY(json, json_object_object_get_ex)
#define json_object_put AW_LAZY(json, json_object_put)
#define json_object_to_json_string_ext \
	AW_LAZY(json, json_object_to_json_string_ext)
#define json_tokener_error_desc AW_LAZY(json, json_tokener_error_desc)
#define json_tokener_free AW_LAZY(json, json_tokener_free)
#define json_tokener_get_error AW_LAZY(json, json_tokener_get_error)
#define json_tokener_get_parse_end AW_LAZY(json, json_tokener_get_parse_end)
#define json_tokener_new_ex AW_LAZY(json, json_tokener_new_ex)
#define json_tokener_parse_ex AW_LAZY(json, json_tokener_parse_ex)
#define json_tokener_set_flags AW_LAZY(json, json_tokener_set_flags)

#endif /* AW_LAZY_JSON_H */
