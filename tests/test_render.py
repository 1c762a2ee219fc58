#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""strata-render tests: python3 test_render.py STRATA_RENDER CASE.

Each CASE is one meson test (suite 'render'). LV2_PATH must point at the
built bundles. WAV files are read with a small RIFF reader (the wave module
reads no float WAV); MIDI files are written here byte by byte."""

import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

RENDER = None
TMP = None


def run(*args, code=0, contains=None, stdout_contains=None):
    """Runs strata-render; checks the exit status and message texts."""
    p = subprocess.run([RENDER, *args], capture_output=True, text=True, timeout=120)
    if p.returncode != code:
        raise AssertionError(f"{args}: exit {p.returncode}, expected {code}\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    if contains is not None and contains not in p.stderr:
        raise AssertionError(f"{args}: stderr lacks {contains!r}:\n{p.stderr}")
    if stdout_contains is not None and stdout_contains not in p.stdout:
        raise AssertionError(f"{args}: stdout lacks {stdout_contains!r}:\n{p.stdout}")
    if code != 0 and contains is not None and not p.stderr.startswith("strata-render: ") \
            and "--check" not in args:
        raise AssertionError(f"{args}: message does not start with 'strata-render: '")
    return p


def path(name):
    return os.path.join(TMP, name)


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path(name), mode) as f:
        f.write(data)
    return path(name)


def read_wav(file):
    """(rate, channels, [frames of tuples]) of a float or 16-bit PCM WAV."""
    with open(file, "rb") as f:
        data = f.read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", "not a RIFF WAVE file"
    pos, fmt, body = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        chunk = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", chunk[:16])
            if fmt[0] == 0xFFFE:  # WAVE_FORMAT_EXTENSIBLE: the subformat's tag
                fmt = (struct.unpack("<H", chunk[24:26])[0],) + fmt[1:]
        elif cid == b"data":
            body = chunk
        pos += 8 + size + (size & 1)
    tag, channels, rate, _, _, bits = fmt
    if tag == 3 and bits == 32:
        samples = struct.unpack(f"<{len(body) // 4}f", body)
    elif tag == 1 and bits == 16:
        samples = [s / 32768.0 for s in struct.unpack(f"<{len(body) // 2}h", body)]
    else:
        raise AssertionError(f"unexpected WAV format tag {tag}, {bits} bits")
    frames = [tuple(samples[i:i + channels]) for i in range(0, len(samples), channels)]
    return rate, channels, frames, tag


def check_float_stereo(file, rate, seconds):
    r, ch, frames, tag = read_wav(file)
    assert (r, ch, tag) == (rate, 2, 3), f"{file}: {r} Hz, {ch} channels, tag {tag}"
    assert len(frames) == round(rate * seconds), f"{file}: {len(frames)} frames"
    assert all(math.isfinite(x) for f in frames for x in f)
    return frames


def peak(frames):
    return max((abs(x) for f in frames for x in f), default=0.0)


# --- MIDI files, built here ---

def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.insert(0, 0x80 | (n & 0x7F))
        n >>= 7
    return bytes(out)


def chunk(cid, body):
    return cid + struct.pack(">I", len(body)) + body


def smf(tracks, ppq=480, fmt=1):
    head = chunk(b"MThd", struct.pack(">HHH", fmt, len(tracks), ppq))
    return head + b"".join(chunk(b"MTrk", t) for t in tracks)


def tempo_track(usec):
    return vlq(0) + b"\xff\x51\x03" + usec.to_bytes(3, "big") + vlq(0) + b"\xff\x2f\x00"


def note_track():
    # Running status: after the first 0x90 the status byte is left out; a
    # note-on with velocity 0 ends the note. Also a CC and a pitch bend.
    return (vlq(480) + b"\x90\x3c\x64"        # note on C4 at 1 beat
            + vlq(0) + b"\x40\x50"            # running status: note on E4
            + vlq(0) + b"\xb0\x01\x40"        # CC 1
            + vlq(0) + b"\xe0\x00\x48"        # pitch bend
            + vlq(480) + b"\x90\x3c\x00"      # note off (velocity 0) C4
            + vlq(0) + b"\x40\x00"            # running status: E4 off
            + vlq(0) + b"\xff\x2f\x00")


# --- Cases ---

def case_default_patch():
    out = path("default.wav")
    p = run("-q", "-o", out, stdout_contains="wrote " + out)
    assert "dBFS" in p.stdout and "peak" in p.stdout and "RMS" in p.stdout
    frames = check_float_stereo(out, 48000, 4.0)  # default chord 2 s + 2 s tail
    assert peak(frames) > 0.01, "the default render is silent"
    assert peak(frames[-4800:]) < 1e-3, "the tail should have died away"


SINE = """# a plain sine at 440 Hz, half scale
node osc osc wave=sine freq=440
node amp vca gain=0.5
link osc.out -> amp.in
link amp.out -> out.left
link amp.out -> out.right
"""


def case_patch_file():
    patch = write("sine.patch", SINE)
    out = path("sine.wav")
    p = run("--patch", patch, "--notes", "none", "--seconds", "1", "--rate", "44100",
            "--block", "100", "-q", "-o", out)
    assert "peak -6.0 dBFS (0.5" in p.stdout, p.stdout
    frames = check_float_stereo(out, 44100, 1.0)
    left = [f[0] for f in frames]
    assert abs(peak(frames) - 0.5) < 0.01
    crossings = sum(1 for a, b in zip(left, left[1:]) if a < 0 <= b)
    assert abs(crossings - 440) <= 2, f"{crossings} cycles in 1 s, expected 440"
    assert all(f[0] == f[1] for f in frames)


def case_preset():
    out = path("acid.wav")
    run("--preset", "ACID bass", "--notes", "C2:0:0.3,C3@1:0.5:0.3", "--seconds", "1.5",
        "-q", "-o", out)
    assert peak(check_float_stereo(out, 48000, 1.5)) > 0.01
    run("--preset", "urn:strata:preset:acid-bass", "--notes", "C2:0:0.3", "--seconds", "1",
        "-q", "-o", out)
    run("--preset", "No Such Preset", "-o", out, code=1,
        contains="strata-render: --preset 'No Such Preset': no such preset")


def case_macro():
    a, b = path("m0.wav"), path("m1.wav")
    run("--seconds", "1", "--notes", "C3:0:1", "-q", "-o", a)
    run("--seconds", "1", "--notes", "C3:0:1", "--macro", "1=1", "--macro=2=0.5", "-q", "-o", b)
    assert read_wav(a)[2] != read_wav(b)[2], "macro 1 changed nothing"


def case_blocks():
    # Output must not depend on how the host splits blocks; events land on
    # their exact frame whatever the block.
    outs = []
    for block in ("1", "7", "512", "8192"):
        out = path(f"block{block}.wav")
        run("--block", block, "--seconds", "0.5", "--notes", "C4:0.01:0.2,G4@0.3:0.1234:0.2",
            "-q", "-o", out)
        outs.append(read_wav(out)[2])
    assert all(o == outs[0] for o in outs[1:]), "block size changed the output"


def case_notes_timing():
    out = path("timing.wav")
    run("--notes", "A4:0.5:0.25", "--seconds", "1", "-q", "-o", out)
    frames = check_float_stereo(out, 48000, 1.0)
    assert peak(frames[:24000]) == 0.0, "sound before the note's start"
    assert peak(frames[24000:24000 + 2400]) > 0.001, "no sound after the note's start"


def rises(samples):
    """Frames where a signal rises through 0.5."""
    return [i for i in range(1, len(samples)) if samples[i] > 0.5 >= samples[i - 1]] + \
        ([0] if samples and samples[0] > 0.5 else [])


def case_bpm():
    # A quarter-note clock from the transport node rises on every beat of the
    # tempo given, from frame 0; without --bpm it runs at its own 100 BPM.
    patch = write("clock.patch", "node t transport bpm=100 division=quarter\n"
                                 "link t.clock -> out.left\n")
    for bpm in (120, 97.5, 180):
        beat = 48000 * 60 / bpm
        out = path(f"bpm{bpm}.wav")
        run("--patch", patch, "--notes", "none", "--bpm", str(bpm), "--seconds", "2", "-q",
            "-o", out)
        got = sorted(rises([f[0] for f in check_float_stereo(out, 48000, 2.0)]))
        want = [math.ceil(k * beat - 1e-6) for k in range(8) if k * beat < 96000]
        assert got == want, f"{bpm} BPM: clock rises at {got}, expected {want}"
    out = path("free.wav")
    run("--patch", patch, "--notes", "none", "--seconds", "2", "-q", "-o", out)
    got = sorted(rises([f[0] for f in check_float_stereo(out, 48000, 2.0)]))
    got = got[1:]  # The clock may be high at frame 0, part-way through a beat.
    assert len(got) == 3 and [b - a for a, b in zip(got, got[1:])] == [28800] * 2, got
    for bad in ("0", "1000", "fast", "nan"):
        run("--bpm", bad, "-o", path("x.wav"), code=2,
            contains=f"--bpm: bad value '{bad}' (1..999 beats per minute)")


def case_notes_errors():
    out = path("x.wav")
    bad = {
        "H4:0:1": "--notes: note 1 'H4:0:1': bad pitch 'H4'",
        "C4:0": "--notes: note 1 'C4:0': expected PITCH[@VELOCITY]:START:DURATION",
        "C4:0:1,E4:-1:1": "--notes: note 2 'E4:-1:1': bad start '-1'",
        "C4:0:0": "--notes: note 1 'C4:0:0': bad duration '0'",
        "C4@1.5:0:1": "bad velocity '1.5'",
        "128:0:1": "bad pitch '128'",
        "C4:0:1:2": "too many ':'",
        "C4:x:1": "bad start 'x'",
        "": "--notes: empty spec",
    }
    for spec, message in bad.items():
        run("--notes", spec, "-o", out, code=2, contains=message)
    good = ["C4:0:0.5,E4:0.5:0.5,G4@0.8:1:1", "60:0:1", " c#4 : 0 : 1 ", "Bb-1:0:0.1",
            "G9:0:0.1", "none"]
    for spec in good:
        run("--notes", spec, "--seconds", "0.1", "-q", "-o", out)


def case_midi():
    mid = write("song.mid", smf([tempo_track(1000000), note_track()]))  # 60 BPM: 1 beat = 1 s
    out = path("midi.wav")
    run("--midi", mid, "-q", "-o", out)
    frames = check_float_stereo(out, 48000, 2.0 + 2.0)  # end of track at 2 s, plus the tail
    assert peak(frames[:48000]) == 0.0, "sound before the first note (tempo ignored?)"
    assert peak(frames[48000:52800]) > 0.001, "the MIDI file rendered silence"
    mid0 = write("song0.mid", smf([note_track()], fmt=0))  # 120 BPM default: 0.5 s a beat
    run("--midi", mid0, "--seconds", "1.5", "-q", "-o", out)
    frames = check_float_stereo(out, 48000, 1.5)
    assert peak(frames[:24000]) == 0.0 and peak(frames[24000:28800]) > 0.001


def case_midi_errors():
    out = path("x.wav")
    good = smf([tempo_track(500000), note_track()])
    cases = {
        "garbage.mid": (b"hello, not midi at all", "not a Standard MIDI File"),
        "empty.mid": (b"", "not a Standard MIDI File"),
        "cut.mid": (good[:-9], "runs past the end of the file"),
        "format2.mid": (smf([note_track()], fmt=2), "format 2 is not supported"),
        "tracks.mid": (good[:14] + b"", "the header announces 2 tracks, the file holds 0"),
        "nostatus.mid": (smf([vlq(0) + b"\x3c\x40" + vlq(0) + b"\xff\x2f\x00"]),
                         "data byte 0x3C without a status byte"),
        "vlq.mid": (smf([b"\xff\xff\xff\xff\xff"]), "longer than 4 bytes"),
    }
    for name, (data, message) in cases.items():
        run("--midi", write(name, data), "-o", out, code=1,
            contains=f"strata-render: {path(name)}: byte ")
        run("--midi", path(name), "-o", out, code=1, contains=message)
    # Random garbage after a good header: a clear error or a render, never a crash.
    import random
    rng = random.Random(5)
    for i in range(200):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        data = smf([body])
        p = subprocess.run([RENDER, "--midi", write("fuzz.mid", data), "--seconds", "0.05",
                            "-q", "-o", out], capture_output=True, text=True, timeout=60)
        assert p.returncode in (0, 1), f"fuzz {i}: exit {p.returncode}: {p.stderr}"
        assert p.returncode == 0 or p.stderr.startswith("strata-render: "), p.stderr


def case_input():
    # A stereo 16-bit input through a patch that passes the input on.
    import wave
    rate, n = 48000, 4800
    left = [int(10000 * math.sin(2 * math.pi * 1000 * i / rate)) for i in range(n)]
    right = [-x for x in left]
    with wave.open(path("in.wav"), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<hh", a, b) for a, b in zip(left, right)))
    patch = write("thru.patch", "link in.left -> out.left\nlink in.right -> out.right\n")
    out = path("thru.wav")
    run("--patch", patch, "--in", path("in.wav"), "-q", "-o", out)
    frames = check_float_stereo(out, rate, n / rate + 2.0)  # input length plus the tail
    for i in (0, 1, 100, 4799):
        assert abs(frames[i][0] - left[i] / 32768) < 1e-6, (i, frames[i], left[i])
        assert abs(frames[i][1] - right[i] / 32768) < 1e-6
    run("--in", path("in.wav"), "--rate", "44100", "-o", out, code=1,
        contains="its sample rate is 48000 Hz, not the --rate of 44100 Hz")
    run("--in", write("text.wav", "not audio"), "-o", out, code=1,
        contains="text.wav: not a readable audio file")


def case_check():
    good = write("good.patch", SINE)
    run("--check", good, stdout_contains=f"{good}: ok (3 nodes, 3 links)")
    bad = write("bad.patch", "node osc osc wave=sine\nnode f svf cutof=100\n")
    p = run("--check", bad, code=1)
    assert p.stderr == f"{bad}:2:12: node 'f' (svf) has no parameter 'cutof' (did you mean 'cutoff'?)\n", p.stderr
    bad2 = write("bad2.patch", "node a osc\nlink a.out -> b.in\n")
    p = run("--check", bad2, code=1)
    assert p.stderr == f"{bad2}:2:15: unknown node 'b'\n", p.stderr
    run("--check", path("missing.patch"), code=1,
        contains=f"strata-render: {path('missing.patch')}: No such file or directory")
    # A broken patch given to render: the same position, after the prefix.
    run("--patch", bad, "-o", path("x.wav"), code=1,
        contains=f"strata-render: {bad}:2:12: node 'f' (svf) has no parameter 'cutof'")
    assert not os.path.exists(path("x.wav"))


def case_usage():
    out = path("x.wav")
    cases = [
        ((), "no output file: give -o OUT.wav"),
        (("--bogus", "-o", out), "unknown option '--bogus'"),
        (("--prest", "x", "-o", out), "unknown option '--prest' (did you mean --preset?)"),
        (("stray", "-o", out), "unexpected argument 'stray'"),
        (("-o",), "option -o needs a value"),
        (("--rate", "12", "-o", out), "--rate: bad value '12'"),
        (("--rate", "44.1k", "-o", out), "--rate: bad value '44.1k'"),
        (("--block", "0", "-o", out), "--block: bad value '0'"),
        (("--block", "8193", "-o", out), "--block: bad value '8193'"),
        (("--seconds", "-1", "-o", out), "--seconds: bad value '-1'"),
        (("--seconds", "nan", "-o", out), "--seconds: bad value 'nan'"),
        (("--macro", "0=0.5", "-o", out), "--macro '0=0.5': bad macro number '0'"),
        (("--macro", "17=0.5", "-o", out), "--macro '17=0.5': bad macro number '17' (1..16)"),
        (("--macro", "1=1.5", "-o", out), "--macro '1=1.5': bad value '1.5'"),
        (("--macro", "1", "-o", out), "--macro '1': expected N=VALUE"),
        (("--preset", "a", "--patch", "b", "-o", out), "--preset and --patch cannot be used together"),
        (("--notes", "C4:0:1", "--midi", "a.mid", "-o", out), "--notes and --midi cannot be used together"),
        (("--list-nodes", "--list-presets"),
         "--list-presets, --list-nodes and --check cannot be used together"),
        (("--patch", "", "-o", out), "--patch: empty value"),
    ]
    for args, message in cases:
        run(*args, code=2, contains="strata-render: " + message)
    p = run("--help")
    assert "Usage: strata-render" in p.stdout and "--notes SPEC" in p.stdout
    assert "strata-render " in run("--version").stdout


def case_missing_files():
    out = path("x.wav")
    for opt in ("--patch", "--midi", "--in"):
        missing = path("missing" + opt)
        run(opt, missing, "-o", out, code=1,
            contains=f"strata-render: {missing}: No such file or directory")
    run("-q", "-o", path("no/such/dir/x.wav"), code=1,
        contains=f"strata-render: {path('no/such/dir/x.wav')}: ")


def case_dot():
    patch = write("dot.patch", SINE + 'macro 1 amp.gain 0..1 "Level \\"x\\""\n')
    p = run("--patch", patch, "--dot")
    dot = p.stdout
    assert dot.startswith("digraph ") and dot.rstrip().endswith("}"), dot
    for needle in ('"amp" [label="amp\\n(vca)\\ngain=0.5"]', '"osc" [label="osc\\n(osc)"]', '"amp" -> "out" [label="out->left"]',
                   '"osc" -> "amp" [label="out->in"]', 'fillcolor', '"macro 1"',
                   'Level \\"x\\"'):
        assert needle in dot, f"{needle!r} not in:\n{dot}"
    assert dot.count("{") == dot.count("}")
    run("--preset", "Acid Bass", "--dot", path("acid.dot"))
    with open(path("acid.dot")) as f:
        acid = f.read()
    assert acid.startswith('digraph "Acid Bass"') and '"vcf"' in acid and '"glide"' in acid
    default = run("--dot", "-").stdout
    assert '"osc1"' in default and '"midi"' in default
    # --dot and -o together: both.
    run("--patch", patch, "--dot", path("both.dot"), "--notes", "none", "--seconds", "0.1",
        "-q", "-o", path("both.wav"))
    assert os.path.exists(path("both.dot")) and os.path.exists(path("both.wav"))


SUBPATCH = """subpatch tone
  inlet pitch
  outlet out
  node o osc
  link pitch -> o.pitch
  link o.out -> out
  param wave o.wave
end
subpatch voice
  inlet gate pitch
  outlet out
  node t tone wave=saw
  node env adsr
  node amp vca
  link pitch -> t.pitch
  link gate -> env.gate
  link t.out -> amp.in
  link env.out -> amp.cv
  link amp.out -> out
  param shape t.wave
end
voices pad voice count=8 shape=square
node fx voice
link pad.out -> out.left
link fx.out -> out.right
link midi.gate -> fx.gate
macro 1 fx.shape 0..1
"""


def node_lines(dot, name):
    """The lines of `dot` that declare node `name`."""
    return [line for line in dot.splitlines() if line.startswith(f'  "{name}" [')]


def check_svg(dot, what):
    """`dot -Tsvg` must accept the text, when Graphviz is installed."""
    if not shutil.which("dot"):
        print(f"{what}: not drawn with dot -Tsvg: Graphviz's dot is not installed")
        return
    p = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "<svg" in p.stdout, f"{what}: dot -Tsvg failed: {p.stderr}"


def case_dot_subpatch():
    patch = write("sub.patch", SUBPATCH)
    dot = run("--patch", patch, "--dot").stdout
    assert node_lines(dot, "pad") == [
        '  "pad" [label="pad\\nvoice \u00d78 (poly)\\nshape=square", style="rounded,filled", '
        'fillcolor="#dbe4f3", peripheries=2];'], dot
    assert node_lines(dot, "fx") == [
        '  "fx" [label="fx\\n(voice)", style="rounded,filled", fillcolor="#dbe4f3", '
        'peripheries=2];'], dot
    for inside in ("subgraph", '"pad/', '"fx/', ":in:", ":out:", ":voices"):
        assert inside not in dot, f"{inside!r} in:\n{dot}"
    for needle in ('"midi" -> "fx" [label="gate->gate"]', '"pad" -> "out" [label="out->left"]',
                   '"macro 1" -> "fx" [label="shape 0..1"'):
        assert needle in dot, f"{needle!r} not in:\n{dot}"
    check_svg(dot, "--dot")


def case_dot_expanded():
    patch = write("sub.patch", SUBPATCH)
    dot = run("--patch", patch, "--dot-expanded").stdout
    lines = dot.splitlines()
    for cluster in ("pad", "fx", "pad/t", "fx/t"):
        assert lines.count(f'  subgraph "cluster {cluster}" {{') == 1, f"{cluster}:\n{dot}"
    assert '  label="pad\\nvoice \u00d78 (poly)\\nshape=square";' in lines, dot
    assert '  label="fx\\n(voice)";' in lines, dot
    # The group's body once, not a copy per voice.
    for name in ("pad/env", "pad/amp", "pad/t/o", "fx/env", "fx/amp", "fx/t/o"):
        assert len(node_lines(dot, name)) == 1, f"{name}:\n{dot}"
    assert node_lines(dot, "pad") == [] and node_lines(dot, "fx") == [], dot
    for needle in ('"pad:in:gate" [label="gate", shape=cds',
                   '"fx:out:out" [label="out", shape=cds',
                   '"pad:voices" [label="voice allocator"',
                   '"pad:voices" -> "pad:in:gate";',
                   '"pad:in:pitch" -> "pad/t:in:pitch" [label="->pitch"];',
                   '"pad/t:in:pitch" -> "pad/t/o" [label="->pitch"];',
                   '"pad/t/o" -> "pad/t:out:out" [label="out->"];',
                   '"pad/t:out:out" -> "pad/amp" [label="out->in"];',
                   '"pad/amp" -> "pad:out:out" [label="out->"];',
                   '"midi" -> "fx:in:gate" [label="gate->gate"];',
                   '"pad:out:out" -> "out" [label="out->left"];',
                   '"macro 1" -> "fx/t/o" [label="shape 0..1"'):
        assert needle in dot, f"{needle!r} not in:\n{dot}"
    assert '"fx:voices"' not in dot, dot
    assert dot.count("{") == dot.count("}")
    check_svg(dot, "--dot-expanded")
    run("--patch", patch, "--dot-expanded", path("expanded.dot"))
    with open(path("expanded.dot")) as f:
        assert f.read() == dot
    run("--patch", patch, "--dot", "--dot-expanded", code=2,
        contains="strata-render: --dot and --dot-expanded cannot be used together")


def case_lists():
    p = run("--list-presets")
    lines = p.stdout.splitlines()
    assert "Acid Bass\turn:strata:preset:acid-bass" in lines, p.stdout
    assert all("\t" in line for line in lines) and len(lines) >= 5
    p = run("--list-nodes")
    assert "## Node reference" in p.stdout and "osc" in p.stdout and "svf" in p.stdout


def case_progress():
    # Not a terminal: plain lines every 10 %, on stderr; the summary on stdout.
    p = run("--seconds", "1", "-o", path("p.wav"))
    lines = [l for l in p.stderr.splitlines() if l.startswith("rendering: ")]
    assert lines[-1] == "rendering: 100 %" and 10 <= len(lines) <= 11, p.stderr
    assert p.stdout.startswith("peak ")


def case_plugin_missing():
    env = dict(os.environ, LV2_PATH=path("empty-lv2"))
    p = subprocess.run([RENDER, "-o", path("x.wav")], capture_output=True, text=True, env=env)
    assert p.returncode == 1 and "plugin <urn:strata:modular> not found" in p.stderr, p.stderr


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    global RENDER, TMP
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print(f"usage: {sys.argv[0]} STRATA_RENDER CASE\ncases: {' '.join(CASES)}")
        return 2
    RENDER = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="strata-render-") as tmp:
        TMP = tmp
        CASES[sys.argv[2]]()
    print(f"{sys.argv[2]}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
