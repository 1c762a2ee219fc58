/* SPDX-License-Identifier: ISC */
/* Slew limiter: the output follows the input no faster than a set rate. */
#include "dsp.h"
#include "types.h"
#include "zeroed.h"

enum { P_RISE, P_FALL };

typedef struct {
  float y;  ///< Current output
} Slew;

/* Largest step per sample for a time per unit of change (0 = no limit). */
static float
limit(float seconds, float rate)
{
  return seconds > 0.0f ? 1.0f / (seconds * rate) : HUGE_VALF;
}

static size_t
slew_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Slew);
}

static void
slew_process(void* state, const StProcess* p)
{
  Slew* s = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float up   = limit(st_param_next(&p->params[P_RISE]), p->rate);
    const float down = limit(st_param_next(&p->params[P_FALL]), p->rate);
    const float x    = st_sane(p->in[0][i]); // Held in y: never NaN or beyond the limit
    const float d    = x - s->y;
    s->y             = d > up ? s->y + up : (d < -down ? s->y - down : x);
    p->out[0][i]     = s->y;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
};

static const StPortSpec outputs[] = {
  {"out", "The input with its rate of change limited"},
};

static const StParamSpec params[] = {
  {"rise", "s", "Time to rise by 1 (0: instant)", 0, 10, 0.01f, 0, 0, NULL},
  {"fall", "s", "Time to fall by 1 (0: instant)", 0, 10, 0.01f, 0, 0, NULL},
};

const StNodeType st_slew_type = {
  .name       = "slew",
  .family     = "Shapers",
  .doc        = "Linear slew limiter (portamento, smoothing of steps): the output moves "
                "toward the input by at most 1/(rise * rate) per sample upward and "
                "1/(fall * rate) downward.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .cost       = 3.0f,
  .state_size = slew_size,
  .init       = st_zeroed_init,
  .process    = slew_process,
};
