#!/usr/bin/env python3
# kresctl-load.py FILE: load a Knot Resolver 6 config.yaml the way kresctl
# and the 6.x manager load it, and print what the loader says: "ok",
# "duplicate" (a key given twice in a mapping), "merge" (a << key, which
# the loader cannot construct) or "error" (anything else it refuses).
#
# The loader is PyYAML's SafeLoader with its mapping constructor replaced
# by one that raises on a duplicate key (knot-resolver master 4f4788cf,
# python/knot_resolver/utils/modeling/parsing.py, _RaiseDuplicatesLoader);
# it is written here from that description, not copied.  Exit 2 without
# PyYAML.  test_knot compares the reader's verdict on every fixture with
# this one.
import sys

try:
    import yaml
    from yaml.nodes import MappingNode
except ImportError:
    sys.exit(2)


class Duplicate(Exception):
    pass


class KresctlLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "not a mapping", node.start_mark)
        out = {}
        for knode, vnode in node.value:
            key = self.construct_object(knode, deep=deep)
            hash(key)
            if key in out:
                raise Duplicate(str(knode.start_mark))
            out[key] = self.construct_object(vnode, deep=deep)
        return out


def verdict(text):
    try:
        yaml.load(text, Loader=KresctlLoader)
    except Duplicate:
        return "duplicate"
    except yaml.constructor.ConstructorError as e:
        return "merge" if "yaml.org,2002:merge" in str(e) else "error"
    except (yaml.YAMLError, TypeError, RecursionError):
        return "error"
    return "ok"


with open(sys.argv[1], encoding="utf-8", errors="strict") as f:
    try:
        text = f.read()
    except UnicodeDecodeError:
        print("error")
        sys.exit(0)
print(verdict(text))
