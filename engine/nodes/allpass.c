/* SPDX-License-Identifier: ISC */
/* Schroeder allpass: a delay with feedback g around it and -g across it, so
   every frequency passes at unit gain while the phase (and the time
   structure) is smeared: the diffuser of reverbs, the dispersion of strings. */
#include "line.h"
#include "types.h"

enum { P_TIME, P_GAIN, P_MAX };
enum { I_IN, I_TIME };

static size_t
allpass_size(const float* params, float rate)
{
  return st_max_line_size(params[P_MAX], rate);
}

static void
allpass_init(void* state, const float* params, float rate)
{
  st_max_line_init(state, params[P_MAX], rate);
}

static void
allpass_process(void* state, const StProcess* p)
{
  StMaxLine* a = state;  // the line: history of v = x + g v(t - time)
  float      in[ST_BLOCK], mod[ST_BLOCK];
  st_sane_block(in, p->in[I_IN], p->frames);
  st_sane_block(mod, p->in[I_TIME], p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float time = st_param_next(&p->params[P_TIME]) + mod[i];
    const float g    = st_param_next(&p->params[P_GAIN]);
    const float late = st_max_line_read(a, time, p->rate);
    const float v    = in[i] + g * late;
    st_line_push(&a->line, v);
    p->out[0][i] = late - g * v;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"time", "Added to the time parameter, in seconds"},
};

static const StPortSpec outputs[] = {
  {"out", "The input at unit gain, its phase smeared"},
};

static const StParamSpec params[] = {
  {"time", "s", "Delay time (clamped to 2 samples..max)", 0, 10, 0.005f, 0.05f, 0, NULL},
  {"gain", "", "Feedback g: the impulse response is -g, then (1 - g^2) g^(k-1) every time",
   -0.999f, 0.999f, 0.5f, 0.01f, 0, NULL},
  {"max", "s", "Longest delay time: sizes the line", 0.01f, 10, 1, 0, ST_PARAM_FIXED, NULL},
};

const StNodeType st_allpass_type = {
  .name       = "allpass",
  .family     = "Space",
  .doc        = "Schroeder allpass filter: v = x + g v(t - time), y = v(t - time) - g v. "
                "Its magnitude is 1 at every frequency (exactly so at whole-sample times; "
                "between samples the cubic Hermite read rolls off the top octave a little); "
                "the impulse response is -g, then (1 - g^2) g^(k-1) at k times `time`. "
                "The line holds `max` seconds, fixed at creation.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 10.0f,
  .state_size = allpass_size,
  .init       = allpass_init,
  .process    = allpass_process,
};
