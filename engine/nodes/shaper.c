/* SPDX-License-Identifier: ISC */
/* Soft-clipping waveshaper. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { P_DRIVE, P_MIX, P_LEVEL };

static void
shaper_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float drive = st_param_next(&p->params[P_DRIVE]);
    const float mix   = st_param_next(&p->params[P_MIX]);
    const float level = st_param_next(&p->params[P_LEVEL]);
    const float x     = p->in[0][i];
    p->out[0][i]      = level * (x + mix * (tanhf(drive * x) - x));
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
};

static const StPortSpec outputs[] = {
  {"out", "level * (dry * (1 - mix) + tanh(drive * in) * mix)"},
};

static const StParamSpec params[] = {
  {"drive", "", "Gain before the tanh curve", 0.1f, 100, 1, 0.01f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 fully shaped", 0, 1, 1, 0.01f, 0, NULL},
  {"level", "", "Output gain", 0, 4, 1, 0.01f, 0, NULL},
};

const StNodeType st_shaper_type = {
  .name       = "shaper",
  .family     = "Shapers",
  .doc        = "tanh waveshaper: soft saturation whose output stays within -level..level "
                "when fully wet. Not oversampled: high drive on bright signals aliases.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 10.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = shaper_process,
};
