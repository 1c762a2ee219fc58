/* SPDX-License-Identifier: ISC */
/* State-variable filter in the zero-delay-feedback (TPT) form of Andrew
   Simper and Vadim Zavalishin: trapezoidal integrators keep it stable and
   accurate when the cutoff moves at audio rate. */
#include "dsp.h"
#include "types.h"

enum { P_CUTOFF, P_RES };
enum { I_IN, I_CUTOFF };
enum { O_LP, O_BP, O_HP, O_NOTCH };

typedef struct {
  float ic1, ic2;    ///< Integrator states
  float fc, k;       ///< Cutoff and damping the coefficients were made for
  float a1, a2, a3;  ///< Coefficients
} Svf;

static void
design(Svf* s, float fc, float k, float rate)
{
  const float g = tanf((float)ST_PI * fc / rate);
  s->fc = fc;
  s->k  = k;
  s->a1 = 1.0f / (1.0f + g * (g + k));
  s->a2 = g * s->a1;
  s->a3 = g * s->a2;
}

static size_t
svf_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Svf);
}

static void
svf_init(void* state, const float* params, float rate)
{
  (void)params;
  design(state, 1000.0f, 2.0f, rate);
}

static void
svf_process(void* state, const StProcess* p)
{
  Svf*        s   = state;
  const float top = 0.49f * p->rate;
  float       in[ST_BLOCK];
  st_sane_block(in, p->in[I_IN], p->frames); // A NaN in the states would ring on
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float cutoff = st_param_next(&p->params[P_CUTOFF]);
    const float k      = 2.0f - 2.0f * st_param_next(&p->params[P_RES]);
    const float fc     = st_clampf(st_octaves(cutoff, p->in[I_CUTOFF][i]), 1.0f, top);
    if (fc != s->fc || k != s->k) {
      design(s, fc, k, p->rate);
    }
    const float v0 = in[i];
    const float v3 = v0 - s->ic2;
    const float v1 = s->a1 * s->ic1 + s->a2 * v3;
    const float v2 = s->ic2 + s->a2 * s->ic1 + s->a3 * v3;
    s->ic1 = st_flush(2.0f * v1 - s->ic1);
    s->ic2 = st_flush(2.0f * v2 - s->ic2);
    p->out[O_LP][i]    = v2;
    p->out[O_BP][i]    = v1;
    p->out[O_HP][i]    = v0 - k * v1 - v2;
    p->out[O_NOTCH][i] = v0 - k * v1;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"cutoff", "Cutoff modulation in octaves: fc = cutoff * 2^input"},
};

static const StPortSpec outputs[] = {
  {"lp", "Low-pass"},
  {"bp", "Band-pass (unity gain at the cutoff when res = 0)"},
  {"hp", "High-pass"},
  {"notch", "Notch (low-pass + high-pass)"},
};

static const StParamSpec params[] = {
  {"cutoff", "Hz", "Cutoff frequency", 20, 20000, 1000, 0.01f, 0, NULL},
  {"res", "", "Resonance: damping k = 2 - 2 res, Q = 1/k; 0.2929 is Butterworth (Q 0.7071)",
   0, 0.99f, 0.2929f, 0.01f, 0, NULL},
};

const StNodeType st_svf_type = {
  .name       = "svf",
  .family     = "Shapers",
  .doc        = "Two-pole state-variable filter (zero-delay feedback, trapezoidal "
                "integration) with low-, band-, high-pass and notch outputs at once. "
                "res = 1 - 1/sqrt(2) = 0.2929 gives a Butterworth response (-3 dB at the "
                "cutoff); res 0.99 gives Q = 50. The effective cutoff is clamped to "
                "1 Hz..0.49 of the sample rate.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 4,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .cost       = 12.0f,
  .state_size = svf_size,
  .init       = svf_init,
  .process    = svf_process,
};
