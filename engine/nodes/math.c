/* SPDX-License-Identifier: ISC */
/* Arithmetic on two signals, then scale and offset. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { P_OP, P_SCALE, P_OFFSET };
enum { I_A, I_B };
enum { ADD, SUBTRACT, MULTIPLY, SCALE, MIN, MAX, N_OPS };

/* op(a, b) * scale + offset for a block, one loop per op so that each
   vectorises; returns st_fits() of every sample ANDed (-1: all fit). */
static int32_t
compute(int op, const float* restrict a, const float* restrict b, const float* restrict scale,
        const float* restrict offset, float* restrict out, uint32_t frames)
{
  int32_t ok = -1;
  switch (op) {
  case ADD:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = (a[i] + b[i]) * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  case SUBTRACT:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = (a[i] - b[i]) * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  case MULTIPLY:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = st_flush(a[i] * b[i]) * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  case MIN:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = (a[i] < b[i] ? a[i] : b[i]) * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  case MAX:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = (a[i] > b[i] ? a[i] : b[i]) * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  default:
    for (uint32_t i = 0; i < frames; ++i) {
      out[i] = a[i] * scale[i] + offset[i];
      ok &= st_fits(out[i]);
    }
    break;
  }
  return ok;
}

static void
math_process(void* state, const StProcess* p)
{
  (void)state;
  float scale[ST_BLOCK];
  float offset[ST_BLOCK];
  st_param_block(&p->params[P_SCALE], scale, p->frames);
  st_param_block(&p->params[P_OFFSET], offset, p->frames);
  if (!compute(st_choice(&p->params[P_OP], N_OPS), p->in[I_A], p->in[I_B], scale, offset,
               p->out[0], p->frames)) {
    st_bound_block(p->out[0], p->frames); // bounded here: the type is ST_NODE_BOUNDED
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
  .flags      = ST_NODE_BOUNDED,
  .cost       = 3.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = math_process,
};
