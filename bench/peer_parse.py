#!/usr/bin/env python3
"""Parse every file of one language under a directory with the reference Python parser azengage is compared
against: `python-hcl2` for `.tf`, `pycep-parser` for `.bicep`. Prints one JSON line: files, bytes, errors.

    python3 bench/peer_parse.py hcl2|pycep DIR
"""

import json
import os
import sys


def files_under(root, suffix):
    for base, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".terraform", "node_modules")]
        for name in names:
            if name.endswith(suffix):
                yield os.path.join(base, name)


def main():
    kind, root = sys.argv[1], sys.argv[2]
    if kind == "hcl2":
        import hcl2

        suffix, parse = ".tf", lambda text: hcl2.loads(text)
    else:
        from pycep import BicepParser

        parser = BicepParser()
        suffix, parse = ".bicep", lambda text: parser.parse(text=text)
    files = nbytes = errors = 0
    for path in sorted(files_under(root, suffix)):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        files += 1
        nbytes += len(text.encode("utf-8"))
        try:
            parse(text)
        except Exception as e:  # noqa: BLE001 - a peer's failure is a figure, not a crash
            errors += 1
            if errors <= 3:
                print("%s: %s: %s" % (kind, path, str(e).splitlines()[0] if str(e) else type(e).__name__), file=sys.stderr)
    print(json.dumps({"parser": kind, "files": files, "bytes": nbytes, "errors": errors}))


if __name__ == "__main__":
    main()
