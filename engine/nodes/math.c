/* SPDX-License-Identifier: ISC */
/* Arithmetic on two signals, then scale and offset. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { P_OP, P_SCALE, P_OFFSET };
enum { I_A, I_B };
enum { ADD, SUBTRACT, MULTIPLY, SCALE, MIN, MAX, N_OPS };

static float
apply(int op, float a, float b)
{
  switch (op) {
  case ADD:      return a + b;
  case SUBTRACT: return a - b;
  case MULTIPLY: return st_flush(a * b);
  case MIN:      return a < b ? a : b;
  case MAX:      return a > b ? a : b;
  default:       return a;
  }
}

static void
math_process(void* state, const StProcess* p)
{
  (void)state;
  const int op = st_choice(&p->params[P_OP], N_OPS);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float scale  = st_param_next(&p->params[P_SCALE]);
    const float offset = st_param_next(&p->params[P_OFFSET]);
    p->out[0][i]       = apply(op, p->in[I_A][i], p->in[I_B][i]) * scale + offset;
  }
}

static const char* const ops[] = {"add", "subtract", "multiply", "scale", "min", "max", NULL};

static const StPortSpec inputs[] = {
  {"a", "First operand"},
  {"b", "Second operand (unused by scale)"},
};

static const StPortSpec outputs[] = {
  {"out", "op(a, b) * scale + offset"},
};

static const StParamSpec params[] = {
  {"op", "", "add a+b, subtract a-b, multiply a*b, scale a, min, max", 0, 5, 0, 0,
   ST_PARAM_CHOICE, ops},
  {"scale", "", "Factor applied to the result", -1000, 1000, 1, 0.01f, 0, NULL},
  {"offset", "", "Added after scaling", -100000, 100000, 0, 0.01f, 0, NULL},
};

const StNodeType st_math_type = {
  .name       = "math",
  .family     = "Shapers",
  .doc        = "out = op(a, b) * scale + offset, where op is a + b, a - b, a * b, a alone "
                "(scale: out = a * scale + offset), min(a, b) or max(a, b). Turns a -1..1 "
                "LFO into a 0..1 control with scale 0.5, offset 0.5.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 3.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = math_process,
};
