trust_anchors.add_file('seed.key', true)
