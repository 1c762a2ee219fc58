#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The Strata editor in jalv.gtk3, on Xvfb and a private JACK dummy server.

jalv.gtk3 opens the plugin with its preset Mono Synth and embeds the
editor (an X11 UI, through suil) in its window. Checked:
  - the editor embeds: it draws frames in a window whose parent is not the
    root window (what the editor writes under STRATA_UI_TRACE, a file read
    only by tests);
  - it shows the preset's patch: every node of Mono Synth is on the canvas,
    and the screenshot's pixel in the "vcf" box's title row has the colour
    of its family, not the canvas;
  - an edit made with synthesized clicks (xdotool: select osc1, click
    "square" on its wave control) reaches the plugin and is saved with the
    session: jalv's File > Save writes a state whose patch has
    osc1 wave=square (the preset has saw).

Exit 77 (skip) only when Xvfb is not installed; jalv.gtk3, jackd, xdotool
and ImageMagick's import and convert are required.
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ardour"))
from jackserver import SKIP, JackServer, Procs, clean_up, log, make_home, verdict  # noqa: E402
from editor_gui import SHAPERS, Xvfb, click, find, last_frame, pixel, wait_for, xdo  # noqa: E402

URI = "urn:strata:modular"
PRESET = "urn:strata:preset:mono-synth"
NODES = ["midi", "osc1", "osc2", "mix", "vcf", "fenv", "famt", "drv", "env", "amp", "out"]


def main():
    if not shutil.which("Xvfb"):
        log("SKIP: Xvfb is not installed (Debian: apt-get install xvfb)")
        return SKIP
    for tool in ("jalv.gtk3", "jackd", "xdotool", "import", "convert"):
        if not shutil.which(tool):
            log(f"FAIL: {tool} is not installed (Debian: jalv, jackd2, xdotool, imagemagick)")
            return 1

    procs = Procs()
    top, home, env = make_home("strata-jalv-editor-")
    trace = os.path.join(top, "trace.txt")
    saved = os.path.join(home, "saved")
    errors = []
    try:
        x = Xvfb(procs, env)
        env["DISPLAY"] = x.display
        jack = JackServer(procs, top)
        jack.start(env)
        env = jack.env(env)
        env["STRATA_UI_TRACE"] = trace
        argv = ["jalv.gtk3", "-p", PRESET, URI]
        log("$", " ".join(argv))
        jalv_log = open(os.path.join(top, "jalv.log"), "w")
        procs.start(argv, env, stdout=jalv_log, stderr=subprocess.STDOUT)

        # 1. It embeds and shows the preset's patch.
        frame = wait_for("the editor to show Mono Synth",
                         lambda: (lambda f: f if all(find(f, "node", n) for n in NODES) else "")(
                             last_frame(trace)))
        if "embedded 1" not in frame:
            errors.append("the editor's window is not inside jalv's (its parent is the root)")
        png = os.path.join(top, "jalv.png")
        subprocess.run(["import", "-window", "root", png], env=env, check=True)
        vx, vy, vw, _ = find(frame, "node", "vcf")
        got = pixel(env, png, vx + vw // 3, vy + 4)
        log(f"pixel in vcf's title row: {got}")
        if not got or max(abs(a - b) for a, b in zip(got, SHAPERS)) > 12:
            errors.append(f"the vcf box's title row is {got}, not the Shapers colour {SHAPERS}")

        # 2. An edit by synthesized clicks: select osc1, then "square" on its wave control.
        ox, oy, ow, _ = find(frame, "node", "osc1")
        click(env, ox + ow // 2, oy + 6)
        frame = wait_for("osc1's controls", lambda: (lambda f: f if find(f, "param", "wave") else "")(
            last_frame(trace)))
        wx, wy, ww, wh = find(frame, "param", "wave")
        click(env, wx + ww * 5 // 8, wy + wh // 2)  # choices: sine, saw, square, triangle
        time.sleep(1.0)  # the plugin's worker applies it and answers

        # 3. Save jalv's state: File > Save (the menu grabs the keyboard once
        #    it is up), a name, Return.
        def open_save_dialog():
            xdo(env, "mousemove", "--sync", "18", "12", "click", "1")
            time.sleep(1.5)
            xdo(env, "key", "Down", "Return")
            time.sleep(1.5)
            return subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Save"], env=env,
                                  capture_output=True, text=True).stdout.split()
        dialog = wait_for("the save dialog", open_save_dialog, timeout=40)
        xdo(env, "windowfocus", "--sync", dialog[-1])
        time.sleep(0.5)
        xdo(env, "type", saved)

        def press_save():
            # Return again while the name's completion popup takes the first one.
            path = os.path.join(saved, "state.ttl")
            if not os.path.exists(path):
                xdo(env, "key", "Return")
                time.sleep(1.0)
            return os.path.exists(path) and open(path).read()
        state = wait_for("the saved state", press_save)
        patch = re.sub(r"[ \t]+", " ", state)
        if "node osc1 osc wave=square" not in patch:
            errors.append("the saved state's patch does not have osc1 wave=square:\n" + state)
        else:
            log("jalv saved the edit: node osc1 osc wave=square")
    except (RuntimeError, subprocess.CalledProcessError, TypeError) as e:
        errors.append(str(e))
        subprocess.run(["import", "-window", "root", os.path.join(top, "failed.png")], env=env)
    finally:
        clean_up(procs, top, errors)
    return verdict(errors, "PASS: jalv.gtk3 embeds the editor, it shows Mono Synth, and a clicked edit is saved")


if __name__ == "__main__":
    sys.exit(main())
