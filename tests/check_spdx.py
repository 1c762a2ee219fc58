#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Every source file of the repository names its license with an SPDX line
(the license is ISC, LICENSE). Usage: check_spdx.py ROOT"""

import os
import sys

SOURCES = (".c", ".h", ".py", ".sh", ".lua", ".ttl", ".in", ".build", ".txt")
SKIP_DIRS = {".git", "corpus", "regressions"}
TAG = "SPDX-License-Identifier: ISC"


def sources(root):
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")]
        for f in files:
            if f.endswith(SOURCES) or f == "run":
                yield os.path.join(top, f)


def main():
    root = sys.argv[1]
    missing = []
    for path in sorted(sources(root)):
        with open(path, errors="replace") as f:
            head = f.read(400)
        if TAG not in head:
            missing.append(os.path.relpath(path, root))
    for m in missing:
        print(f"{m}: no '{TAG}' line near its top")
    print(f"{len(missing)} source files without an SPDX line")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
