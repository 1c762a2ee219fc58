/* Two-pole filter with the responses of Robert Bristow-Johnson's Audio EQ
   Cookbook. It is realised as Andrew Simper's trapezoidal state-variable
   filter with mixed outputs ("SvfLinearTrapOptimised2"): the same bilinear
   transform of the same analog prototypes, so the same response as the
   cookbook's direct form, but it stays stable when its settings move every
   sample, where a direct form can blow up. */
#include "dsp.h"
#include "types.h"

enum { P_MODE, P_FREQ, P_Q, P_GAIN };
enum { I_IN, I_FREQ };
enum { LOWPASS, HIGHPASS, BANDPASS, NOTCH, PEAK, LOWSHELF, HIGHSHELF, N_MODES };

typedef struct {
  float ic1, ic2;         ///< Integrator states
  float a1, a2, a3;       ///< Filter coefficients
  float m0, m1, m2;       ///< Mix of input, band and low outputs
  float freq, q, gain;    ///< Settings the coefficients were made for
  int   mode;
} Biquad;

/* Integrator gain g, damping k and output mix for one cookbook response
   (A = 10^(gain/40) as in the cookbook). */
static void
design(Biquad* f, int mode, float freq, float q, float gain, float rate)
{
  const double A = pow(10.0, gain / 40.0);
  const double t = tan(ST_PI * freq / rate);
  double       g = t, k = 1.0 / q, m0 = 0.0, m1 = 0.0, m2 = 0.0;
  switch (mode) {
  case LOWPASS:   m2 = 1.0; break;
  case HIGHPASS:  m0 = 1.0; m1 = -k; m2 = -1.0; break;
  case BANDPASS:  m1 = k; break;
  case NOTCH:     m0 = 1.0; m1 = -k; break;
  case PEAK:      k = 1.0 / (q * A); m0 = 1.0; m1 = k * (A * A - 1.0); break;
  case LOWSHELF:  g = t / sqrt(A); m0 = 1.0; m1 = k * (A - 1.0); m2 = A * A - 1.0; break;
  default:        g = t * sqrt(A); m0 = A * A; m1 = k * (1.0 - A) * A; m2 = 1.0 - A * A; break;
  }
  const double a1 = 1.0 / (1.0 + g * (g + k));
  f->a1   = (float)a1;
  f->a2   = (float)(g * a1);
  f->a3   = (float)(g * g * a1);
  f->m0   = (float)m0;
  f->m1   = (float)m1;
  f->m2   = (float)m2;
  f->mode = mode;
  f->freq = freq;
  f->q    = q;
  f->gain = gain;
}

static size_t
biquad_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Biquad);
}

static void
biquad_init(void* state, const float* params, float rate)
{
  (void)params;
  design(state, LOWPASS, 1000.0f, 0.7071f, 0.0f, rate);
}

static void
biquad_process(void* state, const StProcess* p)
{
  Biquad*     f    = state;
  const int   mode = st_choice(&p->params[P_MODE], N_MODES);
  const float top  = 0.49f * p->rate;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float base = st_param_next(&p->params[P_FREQ]);
    const float q    = st_param_next(&p->params[P_Q]);
    const float gain = st_param_next(&p->params[P_GAIN]);
    const float freq = st_clampf(st_octaves(base, p->in[I_FREQ][i]), 1.0f, top);
    if (freq != f->freq || q != f->q || gain != f->gain || mode != f->mode) {
      design(f, mode, freq, q, gain, p->rate);
    }
    const float v0 = p->in[I_IN][i];
    const float v3 = v0 - f->ic2;
    const float v1 = f->a1 * f->ic1 + f->a2 * v3;
    const float v2 = f->ic2 + f->a2 * f->ic1 + f->a3 * v3;
    f->ic1 = st_flush(2.0f * v1 - f->ic1);
    f->ic2 = st_flush(2.0f * v2 - f->ic2);
    p->out[0][i] = f->m0 * v0 + f->m1 * v1 + f->m2 * v2;
  }
}

static const char* const modes[] = {"lowpass", "highpass", "bandpass", "notch",
                                    "peak", "lowshelf", "highshelf", NULL};

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"freq", "Frequency modulation in octaves: f = freq * 2^input"},
};

static const StPortSpec outputs[] = {
  {"out", "Filtered signal"},
};

static const StParamSpec params[] = {
  {"mode", "", "Response", 0, 6, 0, 0, ST_PARAM_CHOICE, modes},
  {"freq", "Hz", "Cutoff, centre or shelf midpoint frequency", 20, 20000, 1000, 0.01f, 0, NULL},
  {"q", "", "Quality factor (shelves: Q form of the cookbook slope)", 0.1f, 20, 0.7071f, 0.01f,
   0, NULL},
  {"gain", "dB", "Gain of the peak and shelf modes", -24, 24, 0, 0.01f, 0, NULL},
};

const StNodeType st_biquad_type = {
  .name       = "biquad",
  .family     = "Shapers",
  .doc        = "Biquad filter with the RBJ Audio EQ Cookbook responses (bandpass: 0 dB "
                "peak gain), realised as a trapezoidal state-variable filter so that it "
                "stays stable under audio-rate modulation. Coefficients are recomputed "
                "each sample while a setting moves.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 4,
  .params     = params,
  .cost       = 8.0f,
  .state_size = biquad_size,
  .init       = biquad_init,
  .process    = biquad_process,
};
