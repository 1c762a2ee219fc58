#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The Strata editor in Ardour 7's GUI, on Xvfb and a private JACK dummy server.

editor_session.lua (run headless by ardour7-lua) makes a session with one
MIDI track playing Strata with its preset Mono Synth. Ardour's GUI then
opens it with a user configuration written here: no first-run wizard (the
.a7 marker), the engine started on the running JACK server without the
Audio/MIDI dialog (try-autostart-engine and a JACK engine state); the
session marks the plugin's own editor window open for that track and
processor (the window state Ardour keeps per plugin in the session,
"P-ROUTE-PROCESSOR"), so Ardour opens it as the session loads. Checked:
  - the editor embeds in Ardour's plugin window (through suil's X11-in-GTK2
    wrapper): it draws in a window whose parent is not the root;
  - it shows the preset's patch: every node of Mono Synth is on its canvas,
    and the pixel in the "vcf" box's title row has its family's colour;
  - an edit made with synthesized clicks (select osc1, "square" on its wave
    control) marks the session modified (the plugin's state:StateChanged:
    Ardour's title gets its "*"), and after ctrl+s the plugin state Ardour
    saved with the session has osc1 wave=square (the preset has saw).

Exit 77 (skip) only when Xvfb is not installed; ardour, ardour7-lua, jackd,
xdotool and ImageMagick's import and convert are required.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jackserver import SKIP, JackServer, Procs, clean_up, log, make_home, verdict  # noqa: E402
from editor_gui import SHAPERS, Xvfb, click, find, last_frame, pixel, wait_for, xdo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NODES = ["midi", "osc1", "osc2", "mix", "vcf", "fenv", "famt", "drv", "env", "amp", "out"]
ATTEMPTS = 6  # only for the JACK server losing its protocol (jackserver.py)
CORE_LV2 = ["/usr/lib/lv2/core.lv2", "/usr/local/lib/lv2/core.lv2",
            "/usr/lib/x86_64-linux-gnu/lv2/core.lv2"]

USER_CONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<Ardour>
  <Config>
    <Option name="try-autostart-engine" value="1"/>
  </Config>
  <Extra>
    <AudioMIDISetup>
      <EngineStates>
        <State backend="JACK" driver="" device="" input-device="" output-device="" sample-rate="48000" buffer-size="256" n-periods="0" input-latency="0" output-latency="0" lm-input="" lm-output="" active="1" use-buffered-io="0" midi-option="" lru="1">
          <MIDIDevices/>
        </State>
      </EngineStates>
    </AudioMIDISetup>
  </Extra>
</Ardour>
"""


def lv2_path(top):
    """The build's bundles and core.lv2 (Ardour needs it to see an instrument)."""
    d = os.path.join(top, "lv2")
    os.makedirs(d)
    for entry in os.environ.get("LV2_PATH", "").split(":"):
        for b in sorted(glob.glob(os.path.join(entry, "*.lv2"))) if entry else []:
            os.symlink(os.path.realpath(b), os.path.join(d, os.path.basename(b)))
    for core in CORE_LV2:
        if os.path.isdir(core):
            os.symlink(core, os.path.join(d, "core.lv2"))
            break
    return d


def open_editor_window(session_file):
    """Marks Strata's editor window open in the session (the GUI state Ardour
    keeps in the session's <Extra><UI>, as "P-ROUTE-PROCESSOR"), so that
    Ardour opens it as the session loads."""
    tree = ET.parse(session_file)
    root = tree.getroot()
    ids = [(route.get("id"), proc.get("id")) for route in root.iter("Route")
           for proc in route.iter("Processor") if proc.get("unique-id") == "urn:strata:modular"]
    if not ids:
        raise RuntimeError("the session has no Strata processor")
    extra = root.find("Extra")
    extra = extra if extra is not None else ET.SubElement(root, "Extra")
    ui = extra.find("UI")
    ui = ui if ui is not None else ET.SubElement(extra, "UI")
    ET.SubElement(ui, "Window", {"name": f"P-{ids[0][0]}-{ids[0][1]}", "visible": "1",
                                 "x-off": "0", "y-off": "0", "x-size": "-1", "y-size": "-1",
                                 "custom-ui": "1"})
    tree.write(session_file, encoding="UTF-8", xml_declaration=True)


def window_names(env):
    out = subprocess.run(["xdotool", "search", "--name", "Ardour"], env=env,
                         capture_output=True, text=True).stdout.split()
    names = {}
    for w in out:
        names[w] = subprocess.run(["xdotool", "getwindowname", w], env=env,
                                  capture_output=True, text=True).stdout.strip()
    return names


def newest_state(session_dir):
    """The plugin state Ardour saved last (plugins/ID/stateN/state.ttl)."""
    states = glob.glob(os.path.join(session_dir, "plugins", "*", "state*", "state.ttl"))
    if not states:
        return ""
    path = max(states, key=lambda p: int(re.sub(r"\D", "", os.path.basename(os.path.dirname(p)))))
    with open(path) as f:
        return f.read()


def run_once(procs, top, env, attempt):
    """One try on a JACK server of its own; the errors, and whether jackd
    lost its protocol (jackserver.py) rather than anything of Strata's."""
    trace = os.path.join(top, f"trace-{attempt}.txt")
    session_dir = os.path.join(top, f"session-{attempt}")
    errors = []
    jack = JackServer(procs, top, tag=f"-{attempt}")
    try:
        jack.start(env)
        env = jack.env(env)

        # 1. The session, made headless.
        lenv = dict(env, STRATA_SESSION_DIR=session_dir)
        r = subprocess.run(["ardour7-lua", os.path.join(HERE, "editor_session.lua")], env=lenv,
                           capture_output=True, text=True, timeout=120)
        if "STRATA saved" not in r.stdout:
            raise RuntimeError("ardour7-lua did not make the session:\n" + r.stdout + r.stderr)
        session_file = os.path.join(session_dir, "strata.ardour")
        open_editor_window(session_file)

        # 2. Ardour's GUI on it; it opens the plugin's editor window.
        env["STRATA_UI_TRACE"] = trace
        argv = ["ardour", "-n", "-a", session_file]
        log("$", " ".join(argv))
        ardour_log = open(os.path.join(top, f"ardour-{attempt}.log"), "w")
        ardour = procs.start(argv, env, stdout=ardour_log, stderr=subprocess.STDOUT,
                             restore_signals=False)
        frame = wait_for("the editor to show Mono Synth in Ardour",
                         lambda: (lambda f: f if all(find(f, "node", n) for n in NODES) else "")(
                             last_frame(trace)) or jack.protocol_broke(), timeout=90)
        if jack.protocol_broke():
            raise RuntimeError("jackd lost its protocol")
        if "embedded 1" not in frame:
            errors.append("the editor's window is not inside Ardour's plugin window")
        time.sleep(1.0)
        png = os.path.join(top, "ardour.png")
        subprocess.run(["import", "-window", "root", png], env=env, check=True)
        frame = last_frame(trace)
        vx, vy, vw, _ = find(frame, "node", "vcf")
        got = pixel(env, png, vx + vw // 3, vy + 4)
        log(f"pixel in vcf's title row: {got}")
        if not got or max(abs(a - b) for a, b in zip(got, SHAPERS)) > 12:
            errors.append(f"the vcf box's title row is {got}, not the Shapers colour {SHAPERS}")

        # 3. An edit by synthesized clicks; Ardour marks the session modified.
        ox, oy, ow, _ = find(frame, "node", "osc1")
        click(env, ox + ow // 2, oy + 6)
        frame = wait_for("osc1's controls", lambda: (lambda f: f if find(f, "param", "wave") else "")(
            last_frame(trace)))
        wx, wy, ww, wh = find(frame, "param", "wave")
        click(env, wx + ww * 5 // 8, wy + wh // 2)  # choices: sine, saw, square, triangle
        main_window = wait_for("Ardour to mark the session modified", lambda: [
            w for w, n in window_names(env).items() if n.startswith("*") and "Ardour" in n])[0]

        # 4. Save (ctrl+s in Ardour's main window): the plugin's saved state has the edit.
        xdo(env, "windowfocus", "--sync", main_window)
        xdo(env, "key", "ctrl+s")
        wait_for("Ardour to save", lambda: not window_names(env).get(main_window, "*").startswith("*"))
        patch = re.sub(r"[ \t]+", " ", newest_state(session_dir))
        if "node osc1 osc wave=square" not in patch:
            errors.append("the plugin state saved with the session does not have osc1 "
                          "wave=square:\n" + patch)
        else:
            log("Ardour saved the edit with the session: node osc1 osc wave=square")
        procs.stop(ardour)
    except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired, TypeError,
            ET.ParseError, OSError) as e:
        errors.append(str(e))
        subprocess.run(["import", "-window", "root", os.path.join(top, f"failed-{attempt}.png")],
                       env=env)
    broke = jack.protocol_broke()
    jack.stop()
    return errors, broke


def main():
    if not shutil.which("Xvfb"):
        log("SKIP: Xvfb is not installed (Debian: apt-get install xvfb)")
        return SKIP
    for tool in ("ardour", "ardour7-lua", "jackd", "xdotool", "import", "convert"):
        if not shutil.which(tool):
            log(f"FAIL: {tool} is not installed (Debian: ardour, jackd2, xdotool, imagemagick)")
            return 1

    procs = Procs()
    top, home, env = make_home("strata-ardour-editor-")
    errors = []
    try:
        x = Xvfb(procs, env)
        env["DISPLAY"] = x.display
        env["LV2_PATH"] = lv2_path(top)
        conf = os.path.join(env["XDG_CONFIG_HOME"], "ardour7")
        os.makedirs(conf, exist_ok=True)
        open(os.path.join(conf, ".a7"), "w").close()
        with open(os.path.join(conf, "config"), "w") as f:
            f.write(USER_CONFIG)
        for attempt in range(1, ATTEMPTS + 1):
            errors, broke = run_once(procs, top, dict(env), attempt)
            if not broke:
                break
            log(f"attempt {attempt}: jackd lost its protocol (not Strata's doing): again")
    except RuntimeError as e:
        errors.append(str(e))
    finally:
        clean_up(procs, top, errors)
    return verdict(errors, "PASS: Ardour 7 embeds the editor, it shows Mono Synth, and a clicked edit is saved "
        "with the session")


if __name__ == "__main__":
    sys.exit(main())
