#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Strata in jalv (console), on a private JACK dummy server.

Drives jalv through its stdin commands and checks what it prints:
  - `presets` lists the Strata factory presets (urn:strata:preset:*);
  - `preset URI`, for every listed preset in one run, loads its patch: the
    plugin traces "state restored: a patch of N nodes" once per preset (jalv
    runs with -t) and logs no error, and never "state has no <...#patch>"
    after startup; jalv prints the preset's macro port values;
  - `controls` lists each macro once (its port) and no patch-text control;
  - `macroN = V` is accepted and echoed back by jalv (`macroN = V`), and
    `controls` reports the new value;
  - jalv exits cleanly at the end of its input (no crash).

jalv 1.6.6 (Debian 12) does not call lilv_world_load_resource() before
loading a preset: the preset bundle's manifest.ttl holds every preset whole
(presets/manifest.ttl.in). It reads the URI with scanf("%[a-zA-Z0-9_:/-.#]"):
"/-." is a reversed range, which glibc takes as three literal characters, so
URIs with '-' (urn:strata:preset:ping-pong-delay) load too.

Usage: test_jalv.py [--preset URI] [--macro N]
Exit 77 (skip) only when jalv or jackd is not installed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ardour"))
from jackserver import SKIP, JackServer, Procs, clean_up, log, make_home, verdict  # noqa: E402

URI = "urn:strata:modular"


def session(procs, env, commands, timeout=60, settle=1.0):
    """Run jalv, feed it `commands` (one per line, `settle` s apart), return its output."""
    argv = ["jalv", "-t", "-n", f"strata-jalv-{os.getpid()}", "-x", URI]
    log("$", " ".join(argv))
    p = procs.start(argv, env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, errors="replace")
    out = ""
    try:
        time.sleep(2.0)  # let jalv connect to JACK and instantiate the plugin
        for c in commands:
            log(">", c)
            p.stdin.write(c + "\n")
            p.stdin.flush()
            time.sleep(settle)
        out, _ = p.communicate(timeout=timeout)  # closes stdin: EOF makes jalv quit
    except (subprocess.TimeoutExpired, BrokenPipeError):
        procs.stop(p)
        rest, _ = p.communicate()
        out += (rest or "") + "\n(jalv stopped by the test)"
    procs.stop(p)
    return out, p.returncode


def check_controls(out):
    """`controls` (after the first prompt; jalv prints the port values once
    before it) must list each macro once, as its port, and no patch text."""
    listed = out[out.find("> "):] if "> " in out else ""
    errors = []
    for m in range(1, 17):
        n = len(re.findall(rf"^(?:> )*macro{m} = ", listed, re.M))
        if n != 1:
            errors.append(f"jalv's `controls` lists macro{m} {n} times (expected once)")
    if re.search(r"^(?:> )*patch = ", listed, re.M):
        errors.append("jalv's `controls` lists the patch text as a control")
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default=os.environ.get("STRATA_TEST_JALV_PRESET", ""),
                    help="preset URI to load (default: every listed preset)")
    ap.add_argument("--macro", type=int, default=1)
    args = ap.parse_args()

    for tool in ("jalv", "jackd"):
        if not shutil.which(tool):
            log(f"SKIP: {tool} is not installed (Debian: apt-get install jalv jackd2)")
            return SKIP

    procs = Procs()
    top, home, env = make_home("strata-jalv-")
    errors = []
    try:
        jack = JackServer(procs, top)
        jack.start(env)
        env = jack.env(env)

        # 1. List the presets and the controls jalv offers.
        out, rc = session(procs, env, ["presets", "controls"])
        log(out)
        presets = re.findall(r"^(?:> )*(urn:strata:preset:\S+) \((.*)\)$", out, re.M)
        log(f"jalv lists {len(presets)} Strata presets")
        if not presets:
            errors.append("jalv lists no urn:strata:preset:* presets")
        if rc != 0:
            errors.append(f"jalv exit status {rc} (listing presets)")
        startup_errors = [l for l in out.splitlines() if l.startswith("error:")]
        startup_missing = [l for l in out.splitlines() if "state has no" in l]
        if startup_errors:
            errors.append("the plugin logged errors at startup (jalv restores its default "
                          "state, port values only): " + "; ".join(startup_errors))

        errors += check_controls(out)

        # 2. Load every preset (or the one asked for), set a macro, read the
        #    controls back.
        uris = [args.preset] if args.preset else [u for u, _ in presets]
        sym = f"macro{args.macro}"
        if uris:
            cmds = [f"preset {u}" for u in uris] + [f"{sym} = 0.25", f"set {sym} 0.75", "controls"]
            out, rc = session(procs, env, cmds, settle=0.7)
            log(out)
            if rc != 0:
                errors.append(f"jalv exit status {rc} (presets + macro)")
            if not jack.alive():
                errors.append("the JACK server died during the jalv run")
            # jalv restores the plugin's default state at startup (run 1 shows
            # what that logs); any error beyond those came from the presets.
            errs = [l for l in out.splitlines() if l.startswith("error:")]
            for l in errs[len(startup_errors):]:
                errors.append(f"plugin/jalv error while loading presets: {l}")
            missing = [l for l in out.splitlines() if "state has no" in l]
            if len(missing) > len(startup_missing):
                errors.append(f"{len(missing) - len(startup_missing)} preset(s) reached the plugin "
                              "without their patch (state has no <...#patch>)")
            restored = re.findall(r"strata: state restored: a patch of (\d+) nodes", out)
            log(f"the plugin restored {len(restored)} patches for {len(uris)} presets: "
                + ", ".join(restored))
            if len(restored) != len(uris):
                errors.append(f"{len(uris)} presets loaded but the plugin restored {len(restored)} "
                              "patches")
            if "Failed to find preset" in out:
                errors.append("jalv could not find a preset")
            for v in ("0.250000", "0.750000"):
                if not re.search(rf"^(?:> )*{sym} = {v}$", out, re.M):
                    errors.append(f"jalv did not echo {sym} = {v}")
            # `controls` (last command) must show the last value.
            tail = out[out.rfind(f"set {sym}") if f"set {sym}" in out else 0:]
            if not re.search(rf"{sym} = 0\.750000", tail):
                errors.append(f"`controls` does not report {sym} = 0.75")
        for l in startup_errors:
            log(f"note: at startup (jalv restores the plugin's default state): {l}")
    finally:
        clean_up(procs, top, errors)
    return verdict(errors, "PASS: jalv lists and loads every Strata preset (patch included) and sets macros")


if __name__ == "__main__":
    sys.exit(main())
