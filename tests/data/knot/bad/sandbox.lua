-- stand-in sandbox.lua for the hostile fixtures
trust_anchors.add_file('../good/builtin-root.key', true)
