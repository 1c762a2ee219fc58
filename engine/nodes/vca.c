/* Voltage-controlled amplifier: out = in * gain * cv. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { I_IN, I_CV };

static void
vca_process(void* state, const StProcess* p)
{
  (void)state;
  const float* in = p->in[I_IN];
  const float* cv = p->in[I_CV];
  const bool   controlled = p->linked & (1u << I_CV);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float gain = st_param_next(&p->params[0]);
    p->out[0][i]     = in[i] * gain * (controlled ? cv[i] : 1.0f);
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
