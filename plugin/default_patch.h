/* SPDX-License-Identifier: ISC */
/* The patch a fresh instance plays before any state or preset is loaded:
   a warm two-saw voice with a filter envelope, played by MIDI. Macro 1
   opens the filter and macro 2 adds resonance; at 0 they give this sound. */
#ifndef ST_DEFAULT_PATCH_H
#define ST_DEFAULT_PATCH_H

#define ST_DEFAULT_PATCH_TEXT \
  "# Strata default voice: two detuned saws, a low-pass with its own\n" \
  "# envelope, and an amplifier envelope. Play it with MIDI.\n" \
  "node osc1 osc   wave=saw freq=440\n" \
  "node osc2 osc   wave=saw freq=441.2\n" \
  "node mix  mixer g1=0.5 g2=0.5\n" \
  "node vcf  svf   cutoff=900 res=0.25\n" \
  "node fenv adsr  a=0.004 d=0.4 s=0.35 r=0.5\n" \
  "node famt math  op=scale scale=2\n" \
  "node env  adsr  a=0.008 d=0.3 s=0.75 r=0.45\n" \
  "node amp  vca   gain=0.4\n" \
  "link midi.pitch -> osc1.pitch\n" \
  "link midi.pitch -> osc2.pitch\n" \
  "link osc1.out   -> mix.in1\n" \
  "link osc2.out   -> mix.in2\n" \
  "link mix.out    -> vcf.in\n" \
  "link midi.gate  -> fenv.gate\n" \
  "link fenv.out   -> famt.a\n" \
  "link famt.out   -> vcf.cutoff\n" \
  "link midi.gate  -> env.gate\n" \
  "link vcf.lp     -> amp.in\n" \
  "link env.out    -> amp.cv\n" \
  "link amp.out    -> out.left\n" \
  "link amp.out    -> out.right\n" \
  "macro 1 vcf.cutoff 900..9000 exp \"Brightness\"\n" \
  "macro 2 vcf.res 0.25..0.9 lin \"Resonance\"\n"

#endif
