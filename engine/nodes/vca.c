/* SPDX-License-Identifier: ISC */
/* Voltage-controlled amplifier: out = in * gain * cv. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { I_IN, I_CV };

/* Settled gain: the per-sample path's arithmetic, vectorised. */
static void
vca_settled(const float* restrict in, const float* restrict cv, float* restrict out,
            float gain, bool controlled, uint32_t frames)
{
  if (controlled) {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain * cv[i];
    }
  } else {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain; // * 1.0f, exactly
    }
  }
}

static void
vca_process(void* state, const StProcess* p)
{
  (void)state;
  const float* in = p->in[I_IN];
  const float* cv = p->in[I_CV];
  float*       out = p->out[0];
  const bool   controlled = p->linked & (1u << I_CV);
  if (st_param_settled(&p->params[0])) {
    vca_settled(in, cv, out, p->params[0].value, controlled, p->frames);
    return;
  }
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float gain = st_param_next(&p->params[0]);
    out[i]           = in[i] * gain * (controlled ? cv[i] : 1.0f);
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"cv", "Gain control, multiplied in when linked (1 when not)"},
};

static const StPortSpec outputs[] = {
  {"out", "in * gain * cv"},
};

static const StParamSpec params[] = {
  {"gain", "", "Linear gain", 0, 4, 1, 0.01f, 0, NULL},
};

const StNodeType st_vca_type = {
  .name       = "vca",
  .family     = "Shapers",
  .doc        = "Amplifier: out = in * gain * (cv if linked, else 1). Link an envelope to "
                "`cv`.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 1,
  .params     = params,
  .cost       = 2.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = vca_process,
};
