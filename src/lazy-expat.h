/*
 * lazy-expat.h: expat: IANA's root-anchors.xml (fix); loaded at its first
 * call (lazy.h).
 */
#ifndef AW_LAZY_EXPAT_H
#define AW_LAZY_EXPAT_H

#include <expat.h>

#include "lazy.h"

#ifndef AW_EXPAT_SONAME
/* Debian's; the Makefile finds it */
#define AW_EXPAT_SONAME "libexpat.so.1"
#endif

#define AW_EXPAT_FUNCS(X) \
	X(XML_ErrorString) \
	X(XML_GetCurrentLineNumber) \
	X(XML_GetErrorCode) \
	X(XML_Parse) \
	X(XML_ParserCreate) \
	X(XML_ParserFree) \
	X(XML_SetCharacterDataHandler) \
	X(XML_SetElementHandler) \
	X(XML_SetParamEntityParsing) \
	X(XML_SetStartDoctypeDeclHandler) \
	X(XML_SetUserData) \
	X(XML_StopParser)

enum {
#define X(f) AW_LAZY_expat_##f,
	AW_EXPAT_FUNCS(X)
#undef X
	AW_LAZY_expat_N
};
extern struct lazylib aw_lazy_expat;

#define XML_ErrorString AW_LAZY(expat, XML_ErrorString)
#define XML_GetCurrentLineNumber AW_LAZY(expat, XML_GetCurrentLineNumber)
#define XML_GetErrorCode AW_LAZY(expat, XML_GetErrorCode)
#define XML_Parse AW_LAZY(expat, XML_Parse)
#define XML_ParserCreate AW_LAZY(expat, XML_ParserCreate)
#define XML_ParserFree AW_LAZY(expat, XML_ParserFree)
#define XML_SetCharacterDataHandler AW_LAZY(expat, XML_SetCharacterDataHandler)
#define XML_SetElementHandler AW_LAZY(expat, XML_SetElementHandler)
#define XML_SetParamEntityParsing AW_LAZY(expat, XML_SetParamEntityParsing)
#define XML_SetStartDoctypeDeclHandler \
	AW_LAZY(expat, XML_SetStartDoctypeDeclHandler)
#define XML_SetUserData AW_LAZY(expat, XML_SetUserData)
#define XML_StopParser AW_LAZY(expat, XML_StopParser)

#endif /* AW_LAZY_EXPAT_H */
