#!/bin/sh
# A stand-in for named-checkconf that never answers.
echo "named.conf:4: unknown option 'x'"
exec sleep 30
