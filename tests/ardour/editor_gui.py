# SPDX-License-Identifier: ISC
"""What the editor tests in real hosts share: a private Xvfb, the editor's
trace (where it draws things, written under STRATA_UI_TRACE for tests
only), pixels of a screenshot, and xdotool."""

import os
import re
import subprocess
import time

from jackserver import log

SHAPERS = (138, 87, 158)  # The editor's colour of the Shapers family (vcf is an svf)


class Xvfb:
    """A private X server: Xvfb -displayfd picks a free display."""

    def __init__(self, procs, env):
        r, w = os.pipe()
        argv = ["Xvfb", "-displayfd", str(w), "-screen", "0", "1400x900x24", "-nolisten", "tcp"]
        log("$", " ".join(argv))
        self.proc = procs.start(argv, env, pass_fds=(w,), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = ":" + number


def wait_for(what, check, timeout=30.0):
    """Polls `check` until it returns something true; fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def last_frame(trace):
    try:
        with open(trace, errors="replace") as f:
            text = f.read()
    except OSError:
        return ""
    end = text.rfind("\nend\n")
    start = text.rfind("frame ", 0, end)
    return text[start:end + 1] if end >= 0 and start >= 0 else ""


def find(frame, what, name):
    m = re.search(rf"^{what} {re.escape(name)} (-?\d+) (-?\d+)(?: (\d+) (\d+))?$", frame, re.M)
    return tuple(int(v) for v in m.groups() if v is not None) if m else None


def pixel(env, png, x, y):
    out = subprocess.run(["convert", png, "-crop", f"1x1+{x}+{y}", "-depth", "8", "txt:-"],
                         env=env, capture_output=True, text=True).stdout
    m = re.search(r"\((\d+),(\d+),(\d+)", out)
    return tuple(int(v) for v in m.groups()) if m else None


def xdo(env, *args):
    subprocess.run(["xdotool", *args], env=env, check=True)


def click(env, x, y):
    xdo(env, "mousemove", "--sync", str(x), str(y), "click", "1")
