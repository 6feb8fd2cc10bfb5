#!/bin/sh
# A stand-in for named-checkconf that fails with only warnings printed:
# the last located line is taken.
echo "a.conf:2: option 'glue-cache' is deprecated"
echo "b.conf:5: both initial and static entries for the root zone are present"
exit 1
