#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Strata in Ardour, headless: ardour7-lua on a private JACK dummy server.

strata_session.lua creates a session in a temporary folder, adds a MIDI track
with Strata as its instrument, loads a factory preset listed by Ardour,
writes an automation lane for a macro (low for the first half of the run,
high for the second), rolls the transport with a held note and reads the
track's meters; then saves the plugin state as an Ardour (LV2) preset in
$HOME/.lv2 ($HOME is temporary), checks Ardour lists it, loads it back and
plays it again. This script starts and stops jackd and Ardour and checks:

  - Ardour lists the Strata factory presets and loads the chosen one;
  - the output is not silent, and the level moves by >= MIN_DB between the
    two macro values;
  - the saved preset is a file under $HOME/.lv2 holding the patch text, is
    listed, loads, and sounds like the state it was saved from;
  - Ardour offers each macro once (its port), the patch file, and no
    control for the patch text (read from the saved session's controls);
  - Ardour exits cleanly (no crash while closing the session).

Usage: test_ardour.py [--preset LABEL|URI] [--macro N] [--seconds S]
Exit 77 (skip) only when ardour7-lua or jackd is not installed.
"""

import argparse
import glob
import os
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jackserver import SKIP, JackServer, Procs, clean_up, log, make_home, verdict  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.environ.get("STRATA_LUA", os.path.join(HERE, "strata_session.lua"))
MIN_DB = 3.0        # the macro must move the level at least this much
SILENT_DB = -60.0   # a mean peak below this is silence
MAX_PEAK_DB = -1.0  # the synth presets peak near -5 dBFS (strata-render): more is not Strata's sound
RELOAD_TOL_DB = 2.0  # reloaded preset vs the same state before saving
ATTEMPTS = 5        # only for the JACK server losing its protocol (see jackserver.py)
CRASH_MARKERS = ("double free", "Segmentation fault", "corrupted", "Aborted", "free():",
                 "AddressSanitizer", "Invalid read", "Invalid write")


def parse(out):
    vals, fails, done = {}, [], False
    for line in out.splitlines():
        if line.startswith("STRATA-FAIL "):
            fails.append(line[len("STRATA-FAIL "):])
        elif line.startswith("STRATA-DONE"):
            done = True
        elif line.startswith("STRATA ") and "=" in line:
            k, v = line[len("STRATA "):].split("=", 1)
            vals.setdefault(k, []).append(v)
    return vals, fails, done


SPEC_DIRS = ("/usr/lib/lv2", "/usr/lib/x86_64-linux-gnu/lv2", "/usr/local/lib/lv2")


def private_lv2_path(top):
    """A folder of links for Ardour's LV2_PATH: every bundle on LV2_PATH (the
    build's strata.lv2 and strata-presets.lv2) plus the LV2 core spec bundle.

    Ardour classifies a plugin from its lv2:Plugin subclass, whose label it
    reads from lv2core.ttl (core.lv2). Without that bundle Ardour falls back
    to guessing from the ports, and a plugin with audio inputs (Strata has
    them, for its effect presets) is then no instrument: on a MIDI track with
    strict I/O Ardour maps none of its audio outputs, and the track puts out
    only MIDI. A user's system has core.lv2 (Debian: lv2-dev); LV2_PATH=build/lv2
    alone hides it. Only core.lv2 is linked, so that no other installed copy of
    Strata can shadow the one under test."""
    d = os.path.join(top, "lv2")
    os.makedirs(d, exist_ok=True)
    for entry in os.environ.get("LV2_PATH", "").split(":"):
        if entry and os.path.isdir(entry):
            for b in sorted(os.listdir(entry)):
                if b.endswith(".lv2") and not os.path.exists(os.path.join(d, b)):
                    os.symlink(os.path.realpath(os.path.join(entry, b)), os.path.join(d, b))
    if not os.path.exists(os.path.join(d, "core.lv2")):
        for s in SPEC_DIRS:
            if os.path.isfile(os.path.join(s, "core.lv2", "lv2core.ttl")):
                os.symlink(os.path.join(s, "core.lv2"), os.path.join(d, "core.lv2"))
                break
        else:
            log("note: no core.lv2 (lv2core.ttl) found: Ardour cannot tell that Strata is an instrument")
    return d


def check_controls(session_dir):
    """What Ardour offers to show and automate for Strata, read from the saved
    session: each macro once (its port), the patch file as a property, and
    nothing for the patch text."""
    path = os.path.join(session_dir, "strata.ardour")
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return [f"cannot read the saved session {path}: {e}"]
    names = []
    for proc in root.iter("Processor"):
        if proc.get("unique-id") == "urn:strata:modular":
            names += [c.get("name", "") for c in proc.iter("Controllable")]
    log("Ardour's controls for Strata: " + ", ".join(names))
    errors = []
    for m in range(1, 17):
        n = sum(1 for x in names if x == f"Macro {m}" or x.endswith(f"#macro{m}"))
        if n != 1:
            errors.append(f"Ardour shows macro {m} {n} times (expected once, as its port)")
    if any(x.endswith("#patch") for x in names):
        errors.append("Ardour shows the patch text as a control")
    if not any(x.endswith("#patchFile") for x in names):
        errors.append("Ardour does not offer the patch file")
    return errors


def run_once(procs, args, env, top, attempt):
    jack = JackServer(procs, top, tag=f"-{attempt}")
    jack.start(env)
    session_dir = os.path.join(top, f"session-{attempt}")
    lenv = jack.env(env)
    lenv["STRATA_SESSION_DIR"] = session_dir
    lenv["LV2_PATH"] = private_lv2_path(top)
    lenv["STRATA_PRESET"] = args.preset
    lenv["STRATA_MACRO"] = str(args.macro)
    lenv["STRATA_SECONDS"] = str(args.seconds)
    argv = shlex.split(args.wrap) + ["ardour7-lua", LUA]
    log("$", " ".join(argv), f"(JACK server {jack.name}, session {session_dir})")
    t0 = time.monotonic()
    # SIGPIPE stays ignored in Ardour (Python ignores it, restore_signals=False
    # keeps it so): a JACK socket that closes under load is then an error
    # Ardour reports, not a silent death of the test.
    p = procs.start(argv, lenv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, errors="replace",
                    restore_signals=False)
    try:
        out, _ = p.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        procs.stop(p)
        out, _ = p.communicate()
        out += f"\n(ardour7-lua killed after {args.timeout} s)"
    procs.stop(p)
    rc = p.returncode
    log(f"ardour7-lua exited {rc} after {time.monotonic() - t0:.1f} s")
    broke = jack.protocol_broke() or not jack.alive() or "JACK HALTED" in out
    jack.stop()
    return out, rc, broke, jack, session_dir


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default=os.environ.get("STRATA_TEST_PRESET", "Poly Pad"),
                    help="label or URI of the Strata preset to load (default: Poly Pad)")
    ap.add_argument("--macro", type=int, default=1, help="macro slot to automate (default 1)")
    ap.add_argument("--seconds", type=float, default=2.5, help="length of each macro half")
    ap.add_argument("--timeout", type=float, default=100, help="limit for one Ardour run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--wrap", default=os.environ.get("STRATA_TEST_ARDOUR_WRAP", ""),
                    help="command to run ardour7-lua under, e.g. 'valgrind --error-exitcode=99' "
                         "(raise --timeout)")
    args = ap.parse_args()

    for tool in ("ardour7-lua", "jackd"):
        if not shutil.which(tool):
            log(f"SKIP: {tool} is not installed (Debian: apt-get install ardour jackd2)")
            return SKIP
    if not os.environ.get("LV2_PATH"):
        log("note: LV2_PATH is not set; Ardour will only search the default LV2 folders")

    procs = Procs()
    top, home, env = make_home("strata-ardour-")
    log(f"temporary HOME {home}")
    errors = []
    try:
        # Retry only the JACK flake (jackserver.py), and never over a plugin
        # failure: an attempt in which Ardour crashed, or Strata logged an
        # error, ends the loop and fails the test even if JACK broke too.
        plugin_errors = []
        for attempt in range(1, ATTEMPTS + 1):
            out, rc, broke, jack, session_dir = run_once(procs, args, env, top, attempt)
            log("---- ardour7-lua output ----")
            log(out.rstrip())
            log("----")
            vals, fails, done = parse(out)
            crash = rc < 0 or rc >= 128 or any(m in out for m in CRASH_MARKERS)
            plugin_errors += [f"attempt {attempt}: {l.strip()}" for l in out.splitlines()
                              if "strata:" in l and "ERROR" in l.upper()
                              and not l.startswith("STRATA")]
            # Ardour does not survive its JACK server losing the protocol: it
            # may die of a signal after "JACK HALTED". That crash follows
            # jackd's own failure (its log says so) and is retried; a crash
            # with an intact server, or with sanitizer output, is not.
            jack_first = jack.protocol_broke() and "JACK HALTED" in out
            sanitizer = any(m in out for m in CRASH_MARKERS)
            if broke and (not crash or (jack_first and not sanitizer)) and (fails or not done):
                log(f"attempt {attempt}: the JACK server lost the client protocol or died "
                    f"(a jackd 1.9.21 flake, not a plugin check: Ardour exited {rc} after it); "
                    "jackd log tail:")
                log("\n".join(jack.log_text().splitlines()[-15:]))
                if attempt < ATTEMPTS and not plugin_errors:
                    continue
                errors.append(f"JACK server broke in {attempt} attempt(s)")
            break

        errors += plugin_errors
        errors += fails
        if not done:
            errors.append("the Lua script did not reach its end")
        if rc != 0:
            errors.append(f"ardour7-lua exit status {rc}"
                          + (" (killed by a signal: crash)" if rc < 0 else ""))
        for marker in CRASH_MARKERS:
            if marker in out:
                errors.append(f"'{marker}' in Ardour's output")

        def num(key):
            try:
                return float(vals[key][-1])
            except (KeyError, ValueError, IndexError):
                errors.append(f"no value for {key}")
                return float("nan")

        if "loaded_preset" in vals:
            log(f"preset loaded through Ardour: {vals['loaded_preset'][-1]}")
            if not vals["loaded_preset"][-1].startswith("urn:strata:preset:"):
                errors.append(f"loaded preset URI {vals['loaded_preset'][-1]} is not urn:strata:preset:*")
        low, high = num("low_mean_db"), num("high_mean_db")
        reload_ = num("reload_mean_db")
        log(f"macro{args.macro} low: mean peak {low:.2f} dBFS; high: {high:.2f} dBFS; "
            f"reloaded preset (macro high): {reload_:.2f} dBFS")
        if vals.get("instrument", ["?"])[-1] != "yes":
            errors.append("Ardour does not take Strata for an instrument")
        hi_peak = num("high_peak_db")
        if not hi_peak <= MAX_PEAK_DB:
            errors.append(f"peak {hi_peak:.2f} dBFS is above {MAX_PEAK_DB} dBFS: "
                          "the meters read something else than Strata's sound")
        if not max(low, high) > SILENT_DB:
            errors.append(f"output is silent (mean peaks {low:.1f} / {high:.1f} dBFS)")
        if not abs(high - low) >= MIN_DB:
            errors.append(f"macro{args.macro} moved the level by {abs(high - low):.2f} dB (< {MIN_DB})")
        if not abs(reload_ - high) <= RELOAD_TOL_DB:
            errors.append(f"the reloaded Ardour preset sounds different: {reload_:.2f} vs {high:.2f} dBFS")
        for key in ("low_readings", "high_readings"):
            if num(key) < 20:
                errors.append(f"too few meter readings in {key}")

        errors += check_controls(session_dir)

        # The Ardour preset on disk: an LV2 preset bundle in $HOME/.lv2.
        saved = sorted(glob.glob(os.path.join(home, ".lv2", "*", "*.ttl")))
        log("saved preset files: " + ", ".join(os.path.relpath(s, home) for s in saved))
        bodies = [open(s, errors="replace").read() for s in saved]
        if not any("pset:Preset" in b and "urn:strata:modular" in b for b in bodies):
            errors.append(f"no LV2 preset for urn:strata:modular under {home}/.lv2")
        if not any("urn:strata:modular#patch" in b and "node " in b for b in bodies):
            errors.append("the saved Ardour preset has no Strata patch text (state:state)")
        leaked = glob.glob(os.path.expanduser("~/.lv2/Strata_Strata_Ardour_Test.lv2"))
        if leaked:
            errors.append(f"preset leaked into the real HOME: {leaked}")
    finally:
        clean_up(procs, top, errors, keep=args.keep)
    return verdict(errors, "PASS: Strata loads, plays, follows macro automation and saves/loads an Ardour preset")


if __name__ == "__main__":
    sys.exit(main())
