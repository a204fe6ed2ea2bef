"""Print generated nodes as a NodeList: python3 -m fakeapi.nodegen --linux N --windows M [--seed S]."""

import argparse
import json
import sys

from fakeapi.nodegen import generate


def main() -> int:
    parser = argparse.ArgumentParser(prog="python3 -m fakeapi.nodegen", description=__doc__)
    parser.add_argument("--linux", type=int, default=0)
    parser.add_argument("--windows", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    items = generate(args.linux, args.windows, args.seed)
    json.dump({"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": ""}, "items": items}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
