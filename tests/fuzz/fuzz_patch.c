/* SPDX-License-Identifier: ISC */
/* Fuzz target: the patch text parser. Any bytes: a parse that fails leaves
   the model unchanged and says why; one that succeeds writes a text that
   reads back into an equal graph and writes the very same text. */
#include "fuzz.h"

#include "graph.h"
#include "patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  static StGraph* model;
  static StGraph* back;
  if (!model) {
    model = st_graph_new(32, 256, 48000.0f); // Small: capacity errors are reachable
    back  = st_graph_new(32, 256, 48000.0f);
  }
  StPatchError   err    = {0};
  char*          before = st_patch_write(model);
  const StStatus st     = st_patch_parse((const char*)data, size, NULL, model, &err);
  if (st) {
    char* after = st_patch_write(model);
    if (strcmp(before, after) || !err.message[0] || err.status != st) {
      abort(); // A failed parse changed the model, or did not say why.
    }
    free(after);
  } else {
    char* text = st_patch_write(model);
    if (st_patch_parse(text, strlen(text), NULL, back, &err) || !st_patch_equal(model, back)) {
      abort(); // The writer's text does not read back.
    }
    char* again = st_patch_write(back);
    if (strcmp(text, again)) {
      abort(); // Writing is not stable.
    }
    free(text);
    free(again);
  }
  free(before);
  return 0;
}

void
fuzz_make_seeds(const char* dir)
{
  static const char* const seeds[] = {
    "node osc osc wave=saw freq=220\nlink osc.out -> out.left\n",
    "# comment\nnode a osc\nnode f svf cutoff=800 res=0.4\nlink a.out -> f.in\n"
    "link f.lp -> out.left\nlink f.hp -> out.right\n",
    "node l lfo rate=2\nnode o osc\nlink l.out -> o.pitch\ntap left o.out\n",
    "node v svf\nmacro 1 v.cutoff 80..12000 exp \"Cutoff\"\nmacro 16 v.res 0..1 lin\n",
    "node p poly\nnode m mixer g1=0.5\nlink midi.pitch -> p.pitch\nlink p.out1 -> m.in1\n",
    "node d delay time=0.25 feedback=0.5\nlink in.left -> d.in\nlink d.out -> out.right\n",
    "node a osc\nlink a.out -> a.pitch\n",
    "node x nosuch\n",
    "# Strata patch\nname \"Poly \\\"Pad\\\" \\x09\"\nnode osc osc wave=saw\nnode vcf svf cutoff=800\n\n"
    "link osc.out -> vcf.in\nlink vcf.lp  -> out.left\n\n"
    "place osc -120.5 40\nplace vcf 1e-45 -0\nplace out 3.4028235e+38 7\n",
    "subpatch v\n  inlet gate pitch\n  outlet out\n  node o osc\n  node e adsr\n  node a vca\n"
    "  link pitch -> o.pitch\n  link gate -> e.gate\n  link o.out -> a.in\n  link e.out -> a.cv\n"
    "  link a.out -> out\n  param shape o.wave\n  place o 10 20\nend\n"
    "voices p v count=4 mode=mono unison=2 shape=square\nlink p.out -> out.left\n"
    "macro 2 p.detune 0..50 \"Detune\"\n",
    "subpatch s\n  inlet in\n  outlet out\n  node f svf\n  link in -> f.in\n  link f.lp -> out\n"
    "  param cut f.cutoff\nend\nsubpatch t\n  inlet in\n  outlet out\n  node a s\n  node b s cut=300\n"
    "  link in -> a.in\n  link a.out -> b.in\n  link b.out -> out\n  param c b.cut\nend\n"
    "node x t c=900\nlink in.left -> x.in\nlink x.out -> out.right\n",
  };
  for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); ++i) {
    char name[32];
    snprintf(name, sizeof(name), "seed%zu.strata", i);
    fuzz_write_seed(dir, name, seeds[i], strlen(seeds[i]));
  }
}
