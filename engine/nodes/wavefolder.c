/* SPDX-License-Identifier: ISC */
/* Wavefolder: the driven signal reflected back whenever it passes +-1, as
   many times as it takes (a triangle-shaped transfer curve), with
   first-order antiderivative anti-aliasing. */
#include "dsp.h"
#include "types.h"

enum { P_DRIVE, P_BIAS, P_MIX };

typedef struct {
  double u;  ///< Previous input to the fold: drive * in + bias
  double F;  ///< The fold's antiderivative there
} Folder;

/* u reflected at +-1 until it lies within -1..1: a triangle wave of period 4
   in u, equal to u on -1..1. */
static double
fold(double u)
{
  const double t = 0.25 * (u + 1.0);
  return 1.0 - fabs(4.0 * (t - floor(t)) - 2.0);
}

/* The fold's antiderivative, zero at u = -1 and periodic (the fold has no
   mean): v^2/2 - v on the rising half of a period, -v^2/2 + 3v - 4 on the
   falling half, v = u + 1 taken modulo 4. */
static double
antiderivative(double u)
{
  const double t = 0.25 * (u + 1.0);
  const double v = 4.0 * (t - floor(t));
  return v < 2.0 ? v * (0.5 * v - 1.0) : v * (3.0 - 0.5 * v) - 4.0;
}

static size_t
wavefolder_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Folder);
}

static void
wavefolder_init(void* state, const float* params, float rate)
{
  Folder* f = state;
  (void)rate;
  f->u = params[P_BIAS];  // as if the input had been silent
  f->F = antiderivative(f->u);
}

static void
wavefolder_process(void* state, const StProcess* p)
{
  Folder* f = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  drive = st_param_next(&p->params[P_DRIVE]);
    const float  bias  = st_param_next(&p->params[P_BIAS]);
    const float  mix   = st_param_next(&p->params[P_MIX]);
    const float  x     = st_sane(p->in[0][i]);  // the previous sample is kept: keep it sane
    const double u     = (double)drive * x + bias;
    const double F     = antiderivative(u);
    const double du    = u - f->u;
    // The mean of the fold between the last two inputs, which is the fold
    // itself for a steady input. Where they are too close for the quotient
    // to be accurate, the fold at their midpoint (within 1e-9 of the mean).
    const double wet = fabs(du) > 1e-4 ? (F - f->F) / du : fold(0.5 * (u + f->u));
    f->u             = u;
    f->F             = F;
    p->out[0][i]     = st_dry_wet(x, (float)wet, mix);
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
  {"bias", "", "Offset before folding: folds the two half-waves differently", -1, 1, 0, 0.01f,
   0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 fully folded", 0, 1, 1, 0.01f, 0, NULL},
};

const StNodeType st_wavefolder_type = {
  .name       = "wavefolder",
  .family     = "Shapers",
  .doc        = "Wavefolder: drive * in + bias reflected at +-1 as often as needed (a "
                "triangle-shaped curve equal to its input on -1..1), so louder input adds "
                "folds and harmonics instead of clipping; the folded output stays within "
                "-1..1. Anti-aliased to first order: each output is the fold's mean between "
                "the last two inputs (from its antiderivative), which is exactly the fold for "
                "a steady input and lowers the aliases of bright, deep folds; the folded "
                "signal is therefore half a sample late (against the dry part of the mix).",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 12.0f,
  .state_size = wavefolder_size,
  .init       = wavefolder_init,
  .process    = wavefolder_process,
};
