#!/bin/sh
# A stand-in for named-checkconf that says what it was given.
echo "$2:1: argv $# $*"
exit 1
