/* SPDX-License-Identifier: ISC */
/* Comb filter: the input plus itself `time` later, once (feedforward) or
   recirculating (feedback), the building block of resonators and early
   reverbs. The line lives inside the node's state, sized from `max`. */
#include "line.h"
#include "types.h"

enum { P_MODE, P_TIME, P_GAIN, P_MAX };
enum { I_IN, I_TIME };
enum { FEEDBACK, FEEDFORWARD, N_MODES };

static size_t
comb_size(const float* params, float rate)
{
  return st_max_line_size(params[P_MAX], rate);
}

static void
comb_init(void* state, const float* params, float rate)
{
  st_max_line_init(state, params[P_MAX], rate);
}

static void
comb_process(void* state, const StProcess* p)
{
  StMaxLine* c    = state;  // the line: output (feedback) or input (feedforward) history
  const int  mode = st_choice(&p->params[P_MODE], N_MODES);
  float      in[ST_BLOCK], mod[ST_BLOCK];
  st_sane_block(in, p->in[I_IN], p->frames);
  st_sane_block(mod, p->in[I_TIME], p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float time = st_param_next(&p->params[P_TIME]) + mod[i];
    const float g    = st_param_next(&p->params[P_GAIN]);
    const float late = st_max_line_read(c, time, p->rate);
    const float x    = in[i];
    const float y    = x + g * late;
    st_line_push(&c->line, mode == FEEDBACK ? y : x);
    p->out[0][i] = y;
  }
}

static const char* const modes[] = {"feedback", "feedforward", NULL};

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"time", "Added to the time parameter, in seconds"},
};

static const StPortSpec outputs[] = {
  {"out", "The input plus its delayed copies"},
};

static const StParamSpec params[] = {
  {"mode", "", "feedback: y = x + g y(t - time); feedforward: y = x + g x(t - time)", 0, 1, 0,
   0, ST_PARAM_CHOICE, modes},
  {"time", "s", "Delay time (clamped to 2 samples..max); 1/time is the first peak", 0, 10,
   0.01f, 0.05f, 0, NULL},
  {"gain", "", "Gain g of the delayed copy (negative: peaks at odd multiples of 1/(2 time))",
   -0.999f, 0.999f, 0.7f, 0.01f, 0, NULL},
  {"max", "s", "Longest delay time: sizes the line", 0.01f, 10, 1, 0, ST_PARAM_FIXED, NULL},
};

const StNodeType st_comb_type = {
  .name       = "comb",
  .family     = "Space",
  .doc        = "Comb filter. Feedback: y = x + g y(t - time), peaks every 1/time Hz "
                "rising to 1/(1 - |g|); feedforward: y = x + g x(t - time), notches between "
                "peaks of 1 + |g|. The time may move every sample and is read with cubic "
                "Hermite interpolation (exact at whole samples). The line holds `max` "
                "seconds, fixed at creation.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 4,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 10.0f,
  .state_size = comb_size,
  .init       = comb_init,
  .process    = comb_process,
};
