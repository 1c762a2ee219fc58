#!/usr/bin/env python3
"""The UI module exports lv2ui_descriptor and nothing else of its own: the
model, the engine tables and the view stay inside. Lists its defined dynamic
symbols (nm -D --defined-only) and fails on any other name."""
import shutil
import subprocess
import sys

ALLOWED = {"lv2ui_descriptor", "_init", "_fini", "_edata", "_end", "__bss_start"}


def main():
    module = sys.argv[1]
    nm = shutil.which("nm")
    if not nm:
        print("nm not found: cannot list the exported symbols")
        return 77
    out = subprocess.run([nm, "-D", "--defined-only", module], check=True,
                         capture_output=True, text=True).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    extra = sorted(n for n in names if n.split("@")[0] not in ALLOWED)
    if "lv2ui_descriptor" not in names:
        print(f"{module} does not export lv2ui_descriptor")
        return 1
    if extra:
        print(f"{module} exports {len(extra)} symbols besides lv2ui_descriptor: "
              + ", ".join(extra[:20]) + (" ..." if len(extra) > 20 else ""))
        return 1
    print(f"{module} exports lv2ui_descriptor only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
