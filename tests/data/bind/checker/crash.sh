#!/bin/sh
# A stand-in for named-checkconf killed by a signal: no verdict.
echo "named.conf:4: unknown option 'x'"
kill -SEGV $$
