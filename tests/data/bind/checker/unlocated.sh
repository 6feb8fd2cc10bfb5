#!/bin/sh
# A stand-in for named-checkconf that fails without saying where.
echo "loading configuration: out of memory"
exit 1
