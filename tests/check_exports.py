#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A module exports one given symbol and nothing else of its own: lists its
defined dynamic symbols (nm -D --defined-only) and fails on any other name.
Symbols every toolchain adds to a shared object are allowed.

Usage: check_exports.py MODULE SYMBOL"""
import shutil
import subprocess
import sys

TOOLCHAIN = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def main():
    if len(sys.argv) != 3:
        print("usage: check_exports.py MODULE SYMBOL")
        return 2
    module, symbol = sys.argv[1], sys.argv[2]
    nm = shutil.which("nm")
    if not nm:
        print("nm not found: cannot list the exported symbols")
        return 77
    out = subprocess.run([nm, "-D", "--defined-only", module], check=True,
                         capture_output=True, text=True).stdout
    names = [line.split()[-1] for line in out.splitlines() if line.strip()]
    allowed = TOOLCHAIN | {symbol}
    extra = sorted(n for n in names if n.split("@")[0] not in allowed)
    if symbol not in names:
        print(f"{module} does not export {symbol}")
        return 1
    if extra:
        print(f"{module} exports {len(extra)} symbols besides {symbol}: "
              + ", ".join(extra[:20]) + (" ..." if len(extra) > 20 else ""))
        return 1
    print(f"{module} exports {symbol} only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
