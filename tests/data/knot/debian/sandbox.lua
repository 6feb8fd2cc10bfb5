-- stand-in for Debian's sandbox.lua: its add_file() line, naming the copy
-- of /usr/share/dns/root.key in this directory
trust_anchors.add_file('root.key', true)
