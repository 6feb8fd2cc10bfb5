-- stand-in for kresd's sandbox.lua as upstream's RPMs build it
-- (keyfile_default=/var/lib/knot-resolver/root.keys, managed_ta=enabled)
trust_anchors = require('trust_anchors')
modules.load('ta_update')
trust_anchors.add_file('builtin-root.keys', false)
