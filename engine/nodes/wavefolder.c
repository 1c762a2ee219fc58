/* Wavefolder: the driven signal reflected back whenever it passes +-1, as
   many times as it takes (a triangle-shaped transfer curve). */
#include "dsp.h"
#include "types.h"
#include "zeroed.h"

enum { P_DRIVE, P_BIAS, P_MIX };

/* x reflected at +-1 until it lies within -1..1: a triangle wave of period 4
   in x, equal to x on -1..1. Finite for every finite x. */
static inline float
fold(float x)
{
  float t = (x + 1.0f) * 0.25f;
  t -= floorf(t);
  return 1.0f - fabsf(4.0f * t - 2.0f);
}

static void
wavefolder_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float drive = st_param_next(&p->params[P_DRIVE]);
    const float bias  = st_param_next(&p->params[P_BIAS]);
    const float mix   = st_param_next(&p->params[P_MIX]);
    const float x     = st_sane(p->in[0][i]);
    // (1 - mix) x + mix wet: exactly the folded signal when fully wet.
    p->out[0][i] = (1.0f - mix) * x + mix * fold(drive * x + bias);
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
};

static const StPortSpec outputs[] = {
  {"out", "dry * (1 - mix) + fold(drive * in + bias) * mix"},
};

static const StParamSpec params[] = {
  {"drive", "", "Gain before folding: each unit above 1 adds a fold", 1, 20, 2, 0.01f, 0, NULL},
  {"bias", "", "Offset before folding: folds the two half-waves differently", -1, 1, 0, 0.01f, 0,
   NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 fully folded", 0, 1, 1, 0.01f, 0, NULL},
};

const StNodeType st_wavefolder_type = {
  .name       = "wavefolder",
  .family     = "Shapers",
  .doc        = "Wavefolder: drive * in + bias reflected at +-1 as often as needed (a "
                "triangle-shaped curve equal to its input on -1..1), so louder input adds "
                "folds and harmonics instead of clipping. The folded output stays within "
                "-1..1. Not oversampled: deep folds of bright signals alias.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 8.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = wavefolder_process,
};
