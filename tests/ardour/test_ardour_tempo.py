#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The Tempo Arp preset follows Ardour's tempo: ardour7-lua on a private JACK
dummy server.

tempo_session.lua plays Strata's Tempo Arp preset (echo off, shortest gate)
on a MIDI track with a chord held, under a tempo map of 120 BPM for two bars
then 60 BPM, and records the track's output on an audio track. This script
counts the notes in the recording (onsets of the level envelope) and checks:

  - 8 notes a second (sixteenths at 120 BPM) before the tempo change and 4
    after it (60 BPM), each within NOTE_TOL;
  - Ardour exits cleanly.

Exit 77 (skip) only when ardour7-lua or jackd is not installed.
"""

import glob
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jackserver import SKIP, JackServer, Procs, clean_up, log, make_home, verdict  # noqa: E402
from onsets import onsets, rate_between, read_wav  # noqa: E402
from test_ardour import CRASH_MARKERS, parse, private_lv2_path  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "tempo_session.lua")
NOTE_TOL = 0.5        # notes per second
ATTEMPTS = 3          # only for the JACK server losing its protocol (jackserver.py)
TIMEOUT = 120


def run_once(procs, env, top, attempt):
    jack = JackServer(procs, top, tag=f"-{attempt}")
    jack.start(env)
    session_dir = os.path.join(top, f"session-{attempt}")
    lenv = jack.env(env)
    lenv["STRATA_SESSION_DIR"] = session_dir
    lenv["LV2_PATH"] = private_lv2_path(top)
    argv = ["ardour7-lua", LUA]
    log("$", " ".join(argv), f"(JACK server {jack.name}, session {session_dir})")
    p = procs.start(argv, lenv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, errors="replace",
                    restore_signals=False)
    try:
        out, _ = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        procs.stop(p)
        out, _ = p.communicate()
        out += f"\n(ardour7-lua killed after {TIMEOUT} s)"
    procs.stop(p)
    broke = jack.protocol_broke() or not jack.alive() or "JACK HALTED" in out
    jack.stop()
    return out, p.returncode, broke, session_dir


def check_recording(vals, session_dir, errors):
    files = vals.get("recorded") or sorted(
        glob.glob(os.path.join(session_dir, "interchange", "*", "audiofiles", "*.wav")))
    if not files:
        errors.append("no recording of the track's output")
        return
    rate, samples = read_wav(files[0])
    times = onsets(samples, rate)
    before, after = rate_between(times, 0.5, 3.5), rate_between(times, 4.5, 7.5)
    log(f"recording {os.path.basename(files[0])}: {len(samples) / rate:.2f} s, "
        f"{before:.2f} notes/s at 120 BPM, {after:.2f} notes/s at 60 BPM")
    log("onsets (s): " + " ".join(f"{t:.3f}" for t in times))
    if abs(before - 8.0) > NOTE_TOL:
        errors.append(f"{before:.2f} notes a second at 120 BPM, expected 8 (sixteenths)")
    if abs(after - 4.0) > NOTE_TOL:
        errors.append(f"{after:.2f} notes a second after the change to 60 BPM, expected 4")


def main():
    for tool in ("ardour7-lua", "jackd"):
        if not shutil.which(tool):
            log(f"SKIP: {tool} is not installed (Debian: apt-get install ardour jackd2)")
            return SKIP
    procs = Procs()
    top, home, env = make_home("strata-ardour-tempo-")
    errors = []
    try:
        for attempt in range(1, ATTEMPTS + 1):
            t0 = time.monotonic()
            out, rc, broke, session_dir = run_once(procs, env, top, attempt)
            log(f"ardour7-lua exited {rc} after {time.monotonic() - t0:.1f} s")
            log("---- ardour7-lua output ----\n" + out.rstrip() + "\n----")
            vals, fails, done = parse(out)
            crash = rc < 0 or rc >= 128 or any(m in out for m in CRASH_MARKERS)
            if broke and not crash and (fails or not done) and attempt < ATTEMPTS:
                log(f"attempt {attempt}: the JACK server broke; again")
                continue
            break
        errors += fails
        if not done:
            errors.append("the Lua script did not reach its end")
        if rc != 0:
            errors.append(f"ardour7-lua exit status {rc}")
        errors += [f"'{m}' in Ardour's output" for m in CRASH_MARKERS if m in out]
        if not fails:
            check_recording(vals, session_dir, errors)
    finally:
        clean_up(procs, top, errors)
    return verdict(errors, "PASS: the Tempo Arp preset plays sixteenths of Ardour's tempo, through a tempo change")


if __name__ == "__main__":
    sys.exit(main())
