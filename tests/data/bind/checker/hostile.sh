#!/bin/sh
# A stand-in for named-checkconf: warnings first (in its own words, with
# FILE:LINE like its errors), then an error carrying terminal escapes and
# a message longer than any kept; exit 1 as named-checkconf on an error.
echo "named.conf:3: option 'glue-cache' is deprecated"
echo "named.conf:9: static entry for the root zone WILL FAIL after key rollover - use trust-anchors with initial-key or initial-ds instead."
echo "not a located line: 12: at all"
printf 'named.conf\033[2J:14: unknown option \033]0;owned\007%s\n' \
    "$(head -c 2000 /dev/zero | tr '\0' x)"
echo "named.conf:15: a second error"
exit 1
