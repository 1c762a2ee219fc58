/* SPDX-License-Identifier: ISC */
/* Voltage-controlled amplifier: out = in * gain * cv. */
#include "dsp.h"
#include "wide.h"
#include "zeroed.h"
#include "types.h"

enum { I_IN, I_CV };

/* out = in * gain * cv; returns st_fits() of every sample ANDed (-1: all fit). */
static int32_t
vca_settled(const float* restrict in, const float* restrict cv, float* restrict out,
            float gain, bool controlled, uint32_t frames)
{
  int32_t ok = -1;
  if (controlled) {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain * cv[i];
      ok &= st_fits(out[i]);
    }
  } else {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain; // * 1.0f, exactly
      ok &= st_fits(out[i]);
    }
  }
  return ok;
}

/* The same with a gain per sample. */
static int32_t
vca_moving(const float* restrict in, const float* restrict cv, float* restrict out,
           const float* restrict gain, bool controlled, uint32_t frames)
{
  int32_t ok = -1;
  if (controlled) {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain[i] * cv[i];
      ok &= st_fits(out[i]);
    }
  } else {
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = in[i] * gain[i];
      ok &= st_fits(out[i]);
    }
  }
  return ok;
}

ST_WIDE static void
vca_process(void* state, const StProcess* p)
{
  (void)state;
  const float* in         = p->in[I_IN];
  const float* cv         = p->in[I_CV];
  float*       out        = p->out[0];
  const bool   controlled = p->linked & (1u << I_CV);
  int32_t      ok;
  if (st_param_settled(&p->params[0])) {
    ok = vca_settled(in, cv, out, p->params[0].value, controlled, p->frames);
  } else {
    float gain[ST_BLOCK];
    st_param_block(&p->params[0], gain, p->frames);
    ok = vca_moving(in, cv, out, gain, controlled, p->frames);
  }
  if (!ok) {
    st_bound_block(out, p->frames); // bounded here: the type is ST_NODE_BOUNDED
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
  .flags      = ST_NODE_BOUNDED,
  .cost       = 2.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = vca_process,
};
