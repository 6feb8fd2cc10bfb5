-- run before the config, as a first -c
trust_anchors.add_file('seed.key', true)
