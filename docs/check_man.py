#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Fails when the man page leaves out an option that `PROGRAM --help` prints.

Usage: check_man.py PROGRAM MANPAGE
"""
import re
import subprocess
import sys


def help_options(program):
    text = subprocess.run([program, "--help"], check=True, capture_output=True,
                          text=True).stdout
    longs = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text))
    shorts = set(re.findall(r"^\s+(-[a-zA-Z]),", text, re.MULTILINE))
    return sorted(longs | shorts)


def main():
    program, manpage = sys.argv[1:3]
    options = help_options(program)
    if len(options) < 2:
        sys.exit(f"{program} --help lists no options: cannot check {manpage}")
    # roff writes a dash as \- ; read it back as one.
    with open(manpage, encoding="utf-8") as f:
        man = f.read().replace("\\-", "-")
    missing = [o for o in options
               if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", man)]
    if missing:
        sys.exit(f"{manpage} does not mention: {', '.join(missing)}")
    print(f"{manpage}: all {len(options)} options of --help are there")


if __name__ == "__main__":
    main()
