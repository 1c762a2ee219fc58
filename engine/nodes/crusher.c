/* SPDX-License-Identifier: ISC */
/* Bitcrusher and sample-rate reducer: the input rounded to a grid of
   2^(bits - 1) steps per unit and held at a lower sample rate. */
#include "dsp.h"
#include "types.h"

enum { P_BITS, P_RATE, P_MIX };

typedef struct {
  float held;   ///< Last sample taken, rounded
  float phase;  ///< Progress to the next sample taken, 0..1
} Crusher;

/* x on the grid of 1 / steps, rounded to nearest (halves up). */
static inline float
quantise(float x, float steps)
{
  return floorf(x * steps + 0.5f) / steps;
}

static size_t
crusher_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Crusher);
}

static void
crusher_init(void* state, const float* params, float rate)
{
  Crusher* c = state;
  (void)params;
  (void)rate;
  c->phase = 1.0f;  // take the first sample at once
}

static void
crusher_process(void* state, const StProcess* p)
{
  Crusher* c = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float bits = st_param_next(&p->params[P_BITS]);
    const float hold = st_param_next(&p->params[P_RATE]);
    const float mix  = st_param_next(&p->params[P_MIX]);
    const float x    = st_sane(p->in[0][i]);  // the held sample remembers: keep it sane
    if (c->phase >= 1.0f) {  // a whole period since the last one: take this sample
      c->phase -= floorf(c->phase);
      c->held = quantise(x, exp2f(bits - 1.0f));
    }
    c->phase += hold / p->rate;
    p->out[0][i] = st_dry_wet(x, c->held, mix);
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
};

static const StPortSpec outputs[] = {
  {"out", "dry * (1 - mix) + crushed * mix"},
};

static const StParamSpec params[] = {
  {"bits", "",
   "Resolution: steps of 2^(1 - bits), so 1..-1 spans 2^bits steps (fractions "
   "allowed)",
   1, 24, 8, 0.01f, 0, NULL},
  {"rate", "Hz",
   "Rate at which samples are taken and held (at or above the sample rate: "
   "every sample)",
   20, 96000, 8000, 0.01f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 fully crushed", 0, 1, 1, 0.01f, 0, NULL},
};

const StNodeType st_crusher_type = {
  .name       = "crusher",
  .family     = "Shapers",
  .doc        = "Bitcrusher and sample-rate reducer: takes a sample whenever a counter "
                "running at `rate` Hz wraps, rounds it to the nearest multiple of "
                "2^(1 - bits) and holds it until the next. No anti-aliasing: the folded "
                "images are the effect. With bits = 24 and rate at the sample rate or above, "
                "the output is the input rounded to 24 bits.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 10.0f,
  .state_size = crusher_size,
  .init       = crusher_init,
  .process    = crusher_process,
};
