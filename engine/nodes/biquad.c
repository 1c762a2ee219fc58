/* SPDX-License-Identifier: ISC */
/* Two-pole filter with the responses of Robert Bristow-Johnson's Audio EQ
   Cookbook. It is realised as Andrew Simper's trapezoidal state-variable
   filter with mixed outputs ("SvfLinearTrapOptimised2"): the same bilinear
   transform of the same analog prototypes, so the same response as the
   cookbook's direct form, but it stays stable when its settings move every
   sample, where a direct form can blow up. */
#include "block_filter.h"
#include "dsp.h"
#include "types.h"

#include <stdbool.h>
#include <string.h>

enum { P_MODE, P_FREQ, P_Q, P_GAIN, P_FM };
enum { I_IN, I_FREQ, I_FM };
enum { LOWPASS, HIGHPASS, BANDPASS, NOTCH, PEAK, LOWSHELF, HIGHSHELF, N_MODES };

#define MODULATED ((1u << I_FREQ) | (1u << I_FM))

/* The SVF written as a two-state recursion s' = C s + b x, y = d s + d0 x
   (the same filter, multiplied out in design()): each state depends on the
   previous ones through one multiply and two adds, against five for the
   textbook SVF, and the loop keeps everything in registers. While the
   coefficients hold still, time is cut into steps of eight samples (counted
   from the node's first sample, so that any split into sub-blocks gives the
   same steps and the same output) and the recursion advances a step at a
   time (block_filter.h). A step starts in that form when the coefficients
   are expected to hold for it: they have held for a step already, or the
   ones before them did (a sample-and-hold); a change within it finishes the
   step sample by sample. Coefficients that change every few samples stay
   sample by sample, without the cost of step matrices. */
typedef struct {
  StBlockFilter block;    ///< The recursion a step at a time, made when first needed
  double   c[4], b[2];    ///< C and b in double, for the step matrices
  double   d[2], d0;      ///< d and d0 in double
  float    x[ST_BLOCK_FILTER_STEP]; ///< This step's inputs so far (step form)
  float    ic1, ic2;      ///< Integrator states; in step form, at the step's start
  float    c11, c12, b1;  ///< ic1' = c11 ic1 + c12 ic2 + b1 x
  float    c21, c22, b2;  ///< ic2' = c21 ic1 + c22 ic2 + b2 x
  float    d1, d2, d0f;   ///< y = d1 ic1 + d2 ic2 + d0f x
  float    freq, q, gain; ///< Settings the coefficients were made for
  int      mode;
  uint32_t phase;         ///< Samples since the current step began
  uint32_t since;         ///< Samples since the coefficients were made (at most a step)
  uint32_t lasted;        ///< Samples the previous coefficients lasted (at most a step)
  bool     built;         ///< `block` matches the coefficients
  bool     stepping;      ///< The current step runs in step form
} Biquad;

/* Filters frames [from, to) sample by sample with the current coefficients. */
static void
run(Biquad* f, const float* restrict in, float* restrict out, uint32_t from, uint32_t to)
{
  const float c11 = f->c11, c12 = f->c12, b1 = f->b1;
  const float c21 = f->c21, c22 = f->c22, b2 = f->b2;
  const float d1 = f->d1, d2 = f->d2, d0 = f->d0f;
  float       s1 = f->ic1, s2 = f->ic2;
  for (uint32_t i = from; i < to; ++i) {
    const float x = in[i];
    out[i]        = d1 * s1 + d2 * s2 + d0 * x;
    const float n1 = c11 * s1 + c12 * s2 + b1 * x;
    const float n2 = c21 * s1 + c22 * s2 + b2 * x;
    s1             = st_block_filter_flush(n1);
    s2             = st_block_filter_flush(n2);
  }
  f->ic1 = s1;
  f->ic2 = s2;
}

/* Ends the step form mid-step: the states at this sample, from the step's
   start, sample by sample over the inputs so far. */
static void
leave_step(Biquad* f)
{
  if (f->stepping && f->phase) {
    float y[ST_BLOCK_FILTER_STEP];
    run(f, f->x, y, 0, f->phase);
  }
  f->stepping = false;
}

/* Integrator gain g, damping k and output mix for one cookbook response
   (A = 10^(gain/40) as in the cookbook), multiplied out into the recursion. */
static void
design(Biquad* f, int mode, float freq, float q, float gain, float rate)
{
  leave_step(f);
  const bool   level = mode == PEAK || mode == LOWSHELF || mode == HIGHSHELF;
  const double A     = level ? pow(10.0, gain / 40.0) : 1.0;
  const double t     = tan(ST_PI * freq / rate);
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
  // v1 = a1 ic1 + a2 (x - ic2), v2 = ic2 + a2 ic1 + a3 (x - ic2),
  // ic1' = 2 v1 - ic1, ic2' = 2 v2 - ic2, y = m0 x + m1 v1 + m2 v2.
  const double a1 = 1.0 / (1.0 + g * (g + k));
  const double a2 = g * a1;
  const double a3 = g * a2;
  f->c[0]  = 2.0 * a1 - 1.0;
  f->c[1]  = -2.0 * a2;
  f->c[2]  = 2.0 * a2;
  f->c[3]  = 1.0 - 2.0 * a3;
  f->b[0]  = 2.0 * a2;
  f->b[1]  = 2.0 * a3;
  f->d[0]  = m1 * a1 + m2 * a2;
  f->d[1]  = m2 * (1.0 - a3) - m1 * a2;
  f->d0    = m0 + m1 * a2 + m2 * a3;
  f->c11   = (float)f->c[0];
  f->c12   = (float)f->c[1];
  f->c21   = (float)f->c[2];
  f->c22   = (float)f->c[3];
  f->b1    = (float)f->b[0];
  f->b2    = (float)f->b[1];
  f->d1    = (float)f->d[0];
  f->d2    = (float)f->d[1];
  f->d0f   = (float)f->d0;
  f->mode   = mode;
  f->freq   = freq;
  f->q      = q;
  f->gain   = gain;
  f->lasted = f->since;
  f->since  = 0;
  f->built  = false;
}

/* Filters frames [from, to) with the current coefficients: whole steps
   straight from the input, a step cut by the sub-block through `x`. */
static void
filter(Biquad* f, const float* in, float* out, uint32_t from, uint32_t to)
{
  enum { STEP = ST_BLOCK_FILTER_STEP };
  for (uint32_t i = from; i < to;) {
    if (f->phase == 0) {
      f->stepping = f->since == STEP || f->lasted == STEP;
      if (f->stepping && !f->built) {
        st_block_filter_design(&f->block, f->c, f->b, f->d, f->d0);
        f->built = true;
      }
    }
    uint32_t n = to - i < STEP - f->phase ? to - i : STEP - f->phase;
    if (!f->stepping) {
      run(f, in, out, i, i + n);
    } else if (n == STEP) {
      float s[2] = {f->ic1, f->ic2};
      n          = (to - i) / STEP * STEP;
      st_block_filter_run(&f->block, s, in + i, out + i, n / STEP);
      f->ic1 = s[0];
      f->ic2 = s[1];
    } else {
      float s[2] = {f->ic1, f->ic2}, y[STEP];
      memcpy(f->x + f->phase, in + i, n * sizeof(float));
      st_block_filter_run(&f->block, s, f->x, y, 1);
      memcpy(out + i, y + f->phase, n * sizeof(float));
      if (f->phase + n == STEP) {
        f->ic1 = s[0];
        f->ic2 = s[1];
      }
    }
    f->phase = (f->phase + n) % STEP;
    f->since = f->since + n < STEP ? f->since + n : STEP;
    i += n;
  }
}

/* Cutoff for this sample: freq * 2^oct + fm * depth, clamped to 1 Hz..0.49
   rate; a NaN modulation counts as 0. */
static inline float
cutoff(float base, float oct, float fm, float depth, float top)
{
  return st_clampf(st_octaves(base, oct) + st_sane(fm) * depth, 1.0f, top);
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

/* Settled settings: a run per stretch of constant cutoff (all the block when
   nothing modulates it). The same decisions as the per-sample path. */
static void
biquad_settled(Biquad* f, const StProcess* p, const float* in, int mode, float top)
{
  const float base  = p->params[P_FREQ].value;
  const float q     = p->params[P_Q].value;
  const float gain  = p->params[P_GAIN].value;
  const float depth = p->params[P_FM].value;
  if (!(p->linked & MODULATED)) {
    const float freq = cutoff(base, 0.0f, 0.0f, depth, top);
    if (freq != f->freq || q != f->q || gain != f->gain || mode != f->mode) {
      design(f, mode, freq, q, gain, p->rate);
    }
    filter(f, in, p->out[0], 0, p->frames);
    return;
  }
  // Stepped modulation (a sample-and-hold, a control-rate source): the cutoff
  // is recomputed only where an input changes value, so a held value costs
  // one vectorised compare per sample, and eight flags are skipped at once.
  // Same decisions as computing it each sample: equal inputs give an equal
  // cutoff.
  const float* fo = p->in[I_FREQ];
  const float* fm = p->in[I_FM];
  uint8_t      chg[ST_BLOCK + 7];
  chg[0] = 1;
  for (uint32_t k = 1; k < p->frames; ++k) { // vectorised change flags
    chg[k] = (fo[k] != fo[k - 1]) | (fm[k] != fm[k - 1]);
  }
  memset(chg + p->frames, 0, 7);
  uint32_t from = 0;
  for (uint32_t w = 0; w < p->frames; w += 8) {
    uint64_t any;
    memcpy(&any, chg + w, sizeof(any));
    for (uint32_t i = w; any && i < w + 8; ++i) {
      if (!chg[i]) {
        continue;
      }
      const float freq = cutoff(base, fo[i], fm[i], depth, top);
      if (freq != f->freq || q != f->q || gain != f->gain || mode != f->mode) {
        filter(f, in, p->out[0], from, i);
        design(f, mode, freq, q, gain, p->rate);
        from = i;
      }
    }
  }
  filter(f, in, p->out[0], from, p->frames);
}

/* The input as it is, or sanitised into `copy` when a sample is NaN,
   infinite or beyond the signal limit (a NaN in the states would ring on).
   Checking is one vectorised pass that writes nothing. */
static const float*
sane_input(const float* x, float* copy, uint32_t frames)
{
  int bad = 0;
  for (uint32_t i = 0; i < frames; ++i) {
    bad |= !(fabsf(x[i]) <= ST_SIGNAL_LIMIT);
  }
  if (!bad) {
    return x;
  }
  st_sane_block(copy, x, frames);
  return copy;
}

static bool
settled(const StProcess* p)
{
  return st_param_settled(&p->params[P_FREQ]) && st_param_settled(&p->params[P_Q]) &&
         st_param_settled(&p->params[P_GAIN]) && st_param_settled(&p->params[P_FM]);
}

static void
biquad_process(void* state, const StProcess* p)
{
  Biquad*     f    = state;
  const int   mode = st_choice(&p->params[P_MODE], N_MODES);
  const float top  = 0.49f * p->rate;
  float       copy[ST_BLOCK];
  const float* in  = sane_input(p->in[I_IN], copy, p->frames);
  if (settled(p)) {
    biquad_settled(f, p, in, mode, top);
    return;
  }
  uint32_t from = 0;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float base  = st_param_next(&p->params[P_FREQ]);
    const float q     = st_param_next(&p->params[P_Q]);
    const float gain  = st_param_next(&p->params[P_GAIN]);
    const float depth = st_param_next(&p->params[P_FM]);
    const float freq  = cutoff(base, p->in[I_FREQ][i], p->in[I_FM][i], depth, top);
    if (freq != f->freq || q != f->q || gain != f->gain || mode != f->mode) {
      filter(f, in, p->out[0], from, i);
      design(f, mode, freq, q, gain, p->rate);
      from = i;
    }
  }
  filter(f, in, p->out[0], from, p->frames);
}

static const char* const modes[] = {"lowpass", "highpass", "bandpass", "notch",
                                    "peak", "lowshelf", "highshelf", NULL};

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"freq", "Frequency modulation in octaves: f = freq * 2^input + fm * fm_depth"},
  {"fm", "Linear frequency modulation: adds fm * fm_depth Hz (an LFO sweeping around freq)"},
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
  {"fm_depth", "Hz", "Frequency added per unit of the fm input", 0, 20000, 1000, 0.01f, 0, NULL},
};

const StNodeType st_biquad_type = {
  .name       = "biquad",
  .family     = "Shapers",
  .doc        = "Biquad filter with the RBJ Audio EQ Cookbook responses (bandpass: 0 dB "
                "peak gain), realised as a trapezoidal state-variable filter so that it "
                "stays stable under audio-rate modulation. Coefficients are recomputed "
                "each sample while a setting moves, once per step of a stepped modulation "
                "(a sample-and-hold into `fm` updates them once per held value). The "
                "cutoff is freq * 2^freq-input + fm * fm_depth, clamped to 1 Hz..0.49 of "
                "the sample rate.",
  .n_inputs   = 3,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 5,
  .params     = params,
  .cost       = 8.0f,
  .state_size = biquad_size,
  .init       = biquad_init,
  .process    = biquad_process,
};
