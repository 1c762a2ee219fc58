# SPDX-License-Identifier: ISC
"""A private JACK server on the dummy driver, for the host tests.

Every process a host test starts goes through `Procs`: each runs in its own
process group, dies with the test (PR_SET_PDEATHSIG), and is stopped (TERM,
then KILL) by `Procs.stop_all`, which runs on normal exit, on exceptions and
on SIGTERM/SIGINT/SIGHUP (meson sends SIGTERM on timeout). The server has a
name of its own (strata-test-PID), so a test never talks to another server,
and clients get JACK_DEFAULT_SERVER and JACK_NO_START_SERVER.
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77


def log(*args):
    print(*args, flush=True)


def _die_with_parent():
    os.setsid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Procs:
    def __init__(self):
        self.procs = []
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        log(f"got signal {signum}: stopping the processes this test started")
        self.stop_all()
        sys.exit(1)

    def start(self, argv, env, **kw):
        p = subprocess.Popen(argv, env=env, preexec_fn=_die_with_parent, **kw)
        self.procs.append(p)
        return p

    def stop(self, p, grace=5.0):
        if p.poll() is None:
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(p.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    p.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if p in self.procs:
            self.procs.remove(p)
        return p.returncode

    def stop_all(self):
        for p in reversed(list(self.procs)):
            self.stop(p, grace=3.0)


class JackServer:
    """jackd --no-realtime -n NAME -d dummy, its log in `workdir`."""

    def __init__(self, procs, workdir, rate=48000, period=256, tag=""):
        self.procs = procs
        self.name = f"strata-test-{os.getpid()}{tag}"
        self.rate = rate
        self.period = period
        self.log_path = os.path.join(workdir, f"jackd{tag}.log")
        self.proc = None

    def env(self, base):
        env = dict(base)
        env["JACK_DEFAULT_SERVER"] = self.name
        env["JACK_NO_START_SERVER"] = "1"
        return env

    def start(self, base_env):
        self._log = open(self.log_path, "w")
        argv = ["jackd", "--no-realtime", "-n", self.name,
                "-d", "dummy", "-r", str(self.rate), "-p", str(self.period)]
        log("$", " ".join(argv))
        self.proc = self.procs.start(argv, self.env(base_env),
                                     stdout=self._log, stderr=subprocess.STDOUT)
        # jack_wait -w returns as soon as the server answers.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jackd exited ({self.proc.returncode}):\n{self.log_text()}")
            if shutil.which("jack_wait"):
                r = subprocess.run(["jack_wait", "-c"], env=self.env(base_env),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if "running" in r.stdout and "not running" not in r.stdout:
                    return
            else:
                time.sleep(2)
                return
            time.sleep(0.2)
        raise RuntimeError(f"jackd did not come up:\n{self.log_text()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def protocol_broke(self):
        """jackd 1.9.21 sometimes loses sync with a client's request stream
        (log: 'CheckSize error' / 'Unknown request'), then dies."""
        t = self.log_text()
        return "CheckSize error" in t or "Unknown request" in t

    def stop(self):
        if self.proc is not None:
            self.procs.stop(self.proc)
            self._log.close()
            self.proc = None


def make_home(prefix):
    """A temporary HOME (and XDG dirs) so nothing reaches the user's."""
    top = tempfile.mkdtemp(prefix=prefix)
    home = os.path.join(top, "home")
    os.makedirs(home)
    env = dict(os.environ)
    env["HOME"] = home
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                     ("XDG_DATA_HOME", ".local/share")):
        env[var] = os.path.join(home, sub)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return top, home, env


def clean_up(procs, top, errors, keep=False):
    """Stops every process the test started; keeps its temporary folder when
    the test failed (or when asked), else removes it."""
    procs.stop_all()
    if keep or errors:
        log(f"kept {top}")
    else:
        shutil.rmtree(top, ignore_errors=True)


def verdict(errors, passed):
    """Prints each failure, or the line saying what passed; the exit status."""
    for e in errors:
        log("FAIL:", e)
    if errors:
        return 1
    log(passed)
    return 0
