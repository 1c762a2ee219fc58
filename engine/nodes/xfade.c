/* SPDX-License-Identifier: ISC */
/* Linear crossfade between two signals. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { I_A, I_B, I_MIX };

static void
xfade_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float m = st_clampf(st_param_next(&p->params[0]) + p->in[I_MIX][i], 0.0f, 1.0f);
    const float a = p->in[I_A][i];
    p->out[0][i]  = a + (p->in[I_B][i] - a) * m;
  }
}

static const StPortSpec inputs[] = {
  {"a", "Signal heard at mix 0"},
  {"b", "Signal heard at mix 1"},
  {"mix", "Added to the mix parameter"},
};

static const StPortSpec outputs[] = {
  {"out", "a * (1 - m) + b * m"},
};

static const StParamSpec params[] = {
  {"mix", "", "Position from a (0) to b (1)", 0, 1, 0.5f, 0.01f, 0, NULL},
};

const StNodeType st_xfade_type = {
  .name       = "xfade",
  .family     = "Shapers",
  .doc        = "Linear crossfade: m = clamp(mix + mix input, 0, 1), out = a * (1 - m) + "
                "b * m (constant amplitude for correlated signals).",
  .n_inputs   = 3,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 1,
  .params     = params,
  .cost       = 2.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = xfade_process,
};
