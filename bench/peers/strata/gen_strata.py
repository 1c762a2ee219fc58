#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Writes the benchmark patches P0..P4 (specified in ../spec.py) as
Strata patch text files, P*.patch, next to this script.

Strata's idiom where it differs from the peers':
* osc is band-limited (BLEP, 16 samples of latency); its saw is +-1, so P2 scales it by 0.5.
* P3's cutoff is updated once per 64-sample block, as the spec says (SC and Csound do the
  same): each voice's sine LFO is sampled by a sample-and-hold clocked by a 750 Hz saw, into
  the biquad's linear `fm` input (fc = 1200 + 800 * lfo). The gate is a 2 Hz square with
  pw 0.6 (300 ms on, 200 ms off); the envelope is adsr shape=linear, the 1/64 voice gain a vca.
* P4 is literal, as the spec says: 1024 separate vca nodes (gain 0.5/1024) summed by a
  tree of 147 eight-input mixers (1173 nodes; the engine holds 4096 by default).
* Sums are trees of eight-input mixers.
* P3_held32 and P3_held4 share P3_group.patch: P3's voice written once as a sub-patch and
  played by `voices ... count=32`. Voice v is MIDI note 69+v, whose pitch inlet is v/12
  octaves: the saw's and the LFO's linear `fm` inputs turn it into P3's exact 55*(1+0.37v)
  and 0.1+0.013v Hz. The clock and the 2 Hz gate stay outside, shared, fed into the group's
  own inlets, so the envelopes retrigger as in P3 while the keys are held.
  `gen_strata.py --notes PATCH` prints the notes a patch plays (strata-render --notes).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import spec  # noqa: E402
from spec import fmt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class Patch:
    def __init__(self, title):
        self.lines = ["# " + title]
        self.n = 0

    def node(self, name, typ, **params):
        self.lines.append("node %s %s %s" % (name, typ, " ".join(
            "%s=%s" % (k, v if isinstance(v, str) else fmt(v)) for k, v in params.items())))
        self.n += 1
        return name

    def link(self, src, dst):
        self.lines.append("link %s -> %s" % (src, dst))

    def tree(self, prefix, sources, **gains):
        """Sums `sources` (node.port strings) with a tree of 8-input mixers; returns the root."""
        level = 0
        while len(sources) > 1 or level == 0 and gains:
            nxt = []
            for m in range(0, len(sources), 8):
                name = self.node("%s%d_%d" % (prefix, level, m // 8), "mixer",
                                 **(gains if level == 0 else {}))
                for c, s in enumerate(sources[m:m + 8]):
                    self.link(s, "%s.in%d" % (name, c + 1))
                nxt.append(name + ".out")
            sources, level = nxt, level + 1
        return sources[0]

    def out(self, src):
        self.link(src, "out.left")
        self.link(src, "out.right")

    def text(self):
        return "\n".join(self.lines) + "\n"


def p0():
    p = Patch("P0 baseline: sine 440 Hz * 0.5")
    p.node("osc", "osc", wave="sine", freq=spec.P0_FREQ)
    p.node("amp", "vca", gain=spec.P0_GAIN)
    p.link("osc.out", "amp.in")
    p.out("amp.out")
    return p


def p1():
    p = Patch("P1 osc bank: 256 sines * 0.001, summed")
    outs = []
    for i in range(spec.P1_N):
        p.node("o%d" % i, "osc", wave="sine", freq=spec.p1_freq(i))
        p.node("g%d" % i, "vca", gain=spec.P1_GAIN)
        p.link("o%d.out" % i, "g%d.in" % i)
        outs.append("g%d.out" % i)
    p.out(p.tree("m", outs))
    return p


def p2():
    p = Patch("P2 filter chain: saw 110 Hz +-0.5 into 128 RBJ lowpass biquads")
    p.node("saw", "osc", wave="saw", freq=spec.P2_SAW_FREQ)
    p.node("half", "vca", gain=0.5)
    p.link("saw.out", "half.in")
    prev = "half.out"
    for i in range(spec.P2_N):
        p.node("b%d" % i, "biquad", mode="lowpass", freq=spec.P2_FC, q=spec.P2_Q)
        p.link(prev, "b%d.in" % i)
        prev = "b%d.out" % i
    p.out(prev)
    return p


def p3():
    p = Patch("P3 synth voices: 32 x saw -> resonant lowpass swept by an LFO -> linear ADSR")
    p.node("clock", "osc", wave="saw", freq=spec.SR / spec.BLOCK)  # 750 Hz: once per block
    p.node("gate", "osc", wave="square", freq=1.0 / spec.P3_PERIOD,
           pw=spec.P3_GATE_ON / spec.P3_PERIOD)
    outs = []
    for v in range(spec.P3_N):
        p.node("s%d" % v, "osc", wave="saw", freq=spec.p3_freq(v))
        p.node("l%d" % v, "osc", wave="sine", freq=spec.p3_lfo(v))
        p.node("h%d" % v, "sh")
        p.node("f%d" % v, "biquad", mode="lowpass", freq=spec.P3_FC_CENTER, q=spec.P3_Q,
               fm_depth=spec.P3_FC_DEPTH)
        p.node("e%d" % v, "adsr", shape="linear", a=spec.P3_ATTACK, d=spec.P3_DECAY,
               s=spec.P3_SUSTAIN, r=spec.P3_RELEASE)
        p.node("v%d" % v, "vca", gain=spec.P3_PEAK)
        p.link("l%d.out" % v, "h%d.in" % v)
        p.link("clock.out", "h%d.trig" % v)
        p.link("s%d.out" % v, "f%d.in" % v)
        p.link("h%d.out" % v, "f%d.fm" % v)
        p.link("gate.out", "e%d.gate" % v)
        p.link("f%d.out" % v, "v%d.in" % v)
        p.link("e%d.out" % v, "v%d.cv" % v)
        outs.append("v%d.out" % v)
    p.out(p.tree("m", outs))
    return p


def p4():
    p = Patch("P4 wide gains: sine 440 Hz into 1024 gains of 0.5/1024, summed")
    p.node("osc", "osc", wave="sine", freq=spec.P4_FREQ)
    outs = []
    for i in range(spec.P4_N):
        p.node("g%d" % i, "vca", gain=spec.P4_GAIN)
        p.link("osc.out", "g%d.in" % i)
        outs.append("g%d.out" % i)
    p.out(p.tree("m", outs))
    return p


def p3_group():
    p = Patch("P3 synth voices as a voice group: the voice once, played by held keys")
    # Pitch in octaves from A4 (note 69): v/12 for voice v, times 12 times the spec's step.
    saw_step = (spec.p3_freq(1) - spec.p3_freq(0)) * 12
    lfo_step = (spec.p3_lfo(1) - spec.p3_lfo(0)) * 12
    p.lines += [
        "subpatch p3voice",
        "  inlet pitch clock beat",
        "  outlet out",
        "  node s osc wave=saw freq=%s fm_depth=%s" % (fmt(spec.p3_freq(0)), fmt(saw_step)),
        "  node l osc wave=sine freq=%s fm_depth=%s" % (fmt(spec.p3_lfo(0)), fmt(lfo_step)),
        "  node h sh",
        "  node f biquad mode=lowpass freq=%s q=%s fm_depth=%s" % (
            fmt(spec.P3_FC_CENTER), fmt(spec.P3_Q), fmt(spec.P3_FC_DEPTH)),
        "  node e adsr shape=linear a=%s d=%s s=%s r=%s" % (
            fmt(spec.P3_ATTACK), fmt(spec.P3_DECAY), fmt(spec.P3_SUSTAIN), fmt(spec.P3_RELEASE)),
        "  node v vca gain=%s" % fmt(spec.P3_PEAK),
        "  link pitch -> s.fm",
        "  link pitch -> l.fm",
        "  link l.out -> h.in",
        "  link clock -> h.trig",
        "  link s.out -> f.in",
        "  link h.out -> f.fm",
        "  link beat -> e.gate",
        "  link f.out -> v.in",
        "  link e.out -> v.cv",
        "  link v.out -> out",
        "end",
    ]
    p.node("clock", "osc", wave="saw", freq=spec.SR / spec.BLOCK)
    p.node("gate", "osc", wave="square", freq=1.0 / spec.P3_PERIOD,
           pw=spec.P3_GATE_ON / spec.P3_PERIOD)
    p.lines.append("voices v p3voice count=%d" % spec.P3_N)
    p.link("clock.out", "v.clock")
    p.link("gate.out", "v.beat")
    p.out("v.out")
    return p


def held_notes(n):
    """strata-render --notes: voices 0..n-1 (notes 69..) held from 0 to past the end."""
    return ",".join("%d:0:%s" % (69 + v, fmt(spec.DUR + 1)) for v in range(n))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--notes":  # the notes a patch plays
        print(held_notes(spec.P3_HELD[sys.argv[2]]) if sys.argv[2] in spec.P3_HELD else "none")
        sys.exit(0)
    for name, build in zip(spec.PATCHES, (p0, p1, p2, p3, p4)):
        with open(os.path.join(HERE, name + ".patch"), "w") as f:
            f.write(build().text())
    with open(os.path.join(HERE, "P3_group.patch"), "w") as f:
        f.write(p3_group().text())
