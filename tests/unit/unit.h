/*
 * unit.h: what every cmocka unit test includes.  Tests run from the top of
 * the tree; fixtures live under tests/data/.
 */
#ifndef UNIT_H
#define UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "anchorwatch.h"

#define DATA(p) "tests/data/" p
#endif
