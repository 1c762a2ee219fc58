/* SPDX-License-Identifier: ISC */
/* Stereo reverb: a feedback delay network of 16 lines mixed through a
   Hadamard matrix (lossless), each line followed by a one-pole absorption
   filter whose gains at 0 Hz and at Nyquist give exactly the decay times set
   (Jot's construction: a line of d samples gets 10^(-3 d / (T rate))). The
   input passes a pre-delay and a short allpass diffuser per side first; the
   line lengths scale with `size` and swing slowly for `mod`, read through
   allpass interpolators, whose flat magnitude keeps the decay exact. */
#include "line.h"
#include "stereo.h"
#include "types.h"

enum { P_SIZE, P_DECAY, P_DAMPING, P_PREDELAY, P_MOD, P_DIFFUSION, P_MIX };

#define LINES 16
#define DIFFUSERS 4
#define MAX_SIZE 2.0f
#define MAX_PREDELAY 0.5f
#define MOD_DEPTH 0.0005  ///< Seconds each line swings either way at mod = 1

/* Line lengths at size 1, in seconds: primes in samples at 48 kHz, spaced
   about evenly on a log scale from 21 to 94 ms. */
static const double lengths[LINES] = {
  1009 / 48000.0, 1153 / 48000.0, 1297 / 48000.0, 1447 / 48000.0,
  1613 / 48000.0, 1787 / 48000.0, 1973 / 48000.0, 2179 / 48000.0,
  2399 / 48000.0, 2633 / 48000.0, 2887 / 48000.0, 3163 / 48000.0,
  3461 / 48000.0, 3779 / 48000.0, 4127 / 48000.0, 4507 / 48000.0,
};

/* Diffuser allpass lengths in seconds, left side (the right's are 7 % longer). */
static const double diffuser_lengths[DIFFUSERS] = {0.00477, 0.00360, 0.01273, 0.00931};
#define RIGHT_STRETCH 1.07

/* Sweep rates of the lines' modulation in Hz, spread so no two beat together. */
#define MOD_LOW 0.21
#define MOD_STEP 0.047

/* Sign patterns for feeding the inputs in and taking the outputs: bent
   functions of the line's index bits, whose Walsh spectrum is flat, so that
   through the matrix a pattern spreads evenly over every line. (A Hadamard
   row would go through the matrix into a single line: the tail then
   correlated with itself by 0.3 at line lengths, against 0.12 with these,
   both without modulation.) The right side's are the left's times a Walsh
   row, so left and right are orthogonal and a mono input gives two
   uncorrelated tails. */
#define WALSH_ROW 5u

static float
bent_sign(unsigned k, bool second)
{
  const unsigned b0 = k & 1u, b1 = (k >> 1) & 1u, b2 = (k >> 2) & 1u, b3 = (k >> 3) & 1u;
  return ((second ? (b0 & b2) ^ (b1 & b3) : (b0 & b1) ^ (b2 & b3)) ? -1.0f : 1.0f);
}

#define ALL_LINES (LINES + 2 * (1 + DIFFUSERS))

typedef struct {
  StLine   line[LINES];                   ///< The network's delay lines
  StLine   pre[2];                        ///< Pre-delay, left and right
  StLine   diffuser[2][DIFFUSERS];        ///< Input allpasses, left and right
  uint32_t diffuser_len[2][DIFFUSERS];    ///< Their lengths in samples
  float    in_sign[2][LINES];             ///< Left and right input patterns
  float    out_sign[2][LINES];            ///< Left and right output patterns
  float    interp[LINES];                 ///< Allpass interpolator states
  float    absorb[LINES];                 ///< Absorption filter states
  float    gain[LINES];                   ///< Absorption filters' input gains g (1 - p)
  float    pole[LINES];                   ///< Absorption filters' poles p
  uint32_t whole[LINES];                  ///< Line lengths at this size: whole samples
  float    part[LINES];                   ///< and the fraction, 0..1
  float    osc_c[LINES], osc_s[LINES];    ///< Modulation oscillators (rotating unit vectors)
  float    turn_c[LINES], turn_s[LINES];  ///< Their rotation per sample
  float    size, decay, damping;          ///< Settings the filters were made for (0: none yet)
  float    memory[];                      ///< Every line's samples
} Reverb;

/* The sign of entry (row, col) of the Sylvester Hadamard matrix: the
   parity of the bits the two indices share. */
static float
hadamard_sign(unsigned row, unsigned col)
{
  unsigned bits = row & col, parity = 0;
  for (; bits; bits >>= 1) {
    parity ^= bits & 1u;
  }
  return parity ? -1.0f : 1.0f;
}

/* Every line's length in samples, in the order of line_slots(). */
static void
line_lengths(float rate, uint64_t* n)
{
  for (int k = 0; k < LINES; ++k) {
    n[k] = st_line_length(lengths[k] * MAX_SIZE + MOD_DEPTH, rate, 8);
  }
  for (int c = 0; c < 2; ++c) {
    uint64_t* side = n + LINES + c * (1 + DIFFUSERS);
    side[0]        = st_line_length(MAX_PREDELAY, rate, 8);
    for (int d = 0; d < DIFFUSERS; ++d) {
      side[1 + d] = st_line_length(diffuser_lengths[d] * RIGHT_STRETCH, rate, 2);
    }
  }
}

static void
line_slots(Reverb* r, StLine** slot)
{
  for (int k = 0; k < LINES; ++k) {
    slot[k] = &r->line[k];
  }
  for (int c = 0; c < 2; ++c) {
    StLine** side = slot + LINES + c * (1 + DIFFUSERS);
    side[0]       = &r->pre[c];
    for (int d = 0; d < DIFFUSERS; ++d) {
      side[1 + d] = &r->diffuser[c][d];
    }
  }
}

static size_t
reverb_size(const float* params, float rate)
{
  (void)params;
  uint64_t n[ALL_LINES];
  size_t   bytes = sizeof(Reverb);
  line_lengths(rate, n);
  for (int k = 0; k < ALL_LINES; ++k) {
    if (!st_line_add_bytes(&bytes, n[k])) {
      return SIZE_MAX;
    }
  }
  return bytes;
}

static void
reverb_init(void* state, const float* params, float rate)
{
  (void)params;
  Reverb*  r = state;
  uint64_t n[ALL_LINES];
  StLine*  slot[ALL_LINES];
  float*   memory = r->memory;
  line_lengths(rate, n);
  line_slots(r, slot);
  for (int k = 0; k < ALL_LINES; ++k) {
    st_line_place(slot[k], &memory, n[k]);
  }
  for (int c = 0; c < 2; ++c) {
    for (int d = 0; d < DIFFUSERS; ++d) {
      const double s        = diffuser_lengths[d] * (c ? RIGHT_STRETCH : 1.0) * rate;
      r->diffuser_len[c][d] = s > 1.0 ? (uint32_t)s : 1u;
    }
  }
  for (int k = 0; k < LINES; ++k) {
    const double w  = 2.0 * ST_PI * (MOD_LOW + MOD_STEP * k) / rate;
    const double a  = 2.0 * ST_PI * k * 0.618034;  // starting angles spread by the golden ratio
    r->osc_c[k]     = (float)cos(a);
    r->osc_s[k]     = (float)sin(a);
    r->turn_c[k]    = (float)cos(w);
    r->turn_s[k]    = (float)sin(w);
    const float in  = 0.25f * bent_sign((unsigned)k, true);
    const float out = 0.25f * bent_sign((unsigned)k, false);
    r->in_sign[0][k]  = in;
    r->in_sign[1][k]  = in * hadamard_sign(WALSH_ROW, (unsigned)k);
    r->out_sign[0][k] = out;
    r->out_sign[1][k] = out * hadamard_sign(WALSH_ROW, (unsigned)k);
  }
}

/* The absorption filters for a size, decay time and damping: line k, d
   samples long, gets gain 10^(-3 d / (T rate)) at 0 Hz and the same with
   T (1 - damping) at Nyquist, from a one-pole g (1 - p) / (1 - p z^-1). */
static void
design(Reverb* r, float size, float decay, float damping, float rate)
{
  const double ln1000 = 6.907755278982137;
  for (int k = 0; k < LINES; ++k) {
    const double d  = lengths[k] * size * rate;
    const double lo = exp(-ln1000 * d / ((double)decay * rate));
    const double hi = exp(-ln1000 * d / ((double)decay * (1.0 - damping) * rate));
    const double p  = (lo - hi) / (lo + hi);
    r->pole[k]      = (float)p;
    r->gain[k]      = (float)(lo * (1.0 - p));
    r->whole[k]     = (uint32_t)d;
    r->part[k]      = (float)(d - floor(d));
  }
  r->size    = size;
  r->decay   = decay;
  r->damping = damping;
}

/* One sample through a side's diffuser: Schroeder allpasses in series. */
static float
diffuse(Reverb* r, int c, float x, float g)
{
  for (int d = 0; d < DIFFUSERS; ++d) {
    const float gd   = d < 2 ? g : 0.833f * g;
    const float late = st_line_at(&r->diffuser[c][d], r->diffuser_len[c][d]);
    const float v    = x + gd * late;
    st_line_push(&r->diffuser[c][d], v);
    x = late - gd * v;
  }
  return x;
}

/* The feedback matrix, in place: a fast Walsh-Hadamard transform of the 16
   values scaled by 1/4, so that it is orthogonal (energy preserving) and
   every line feeds every other equally. */
static void
feedback_matrix(float* v)
{
  for (int step = 1; step < LINES; step *= 2) {
    for (int i = 0; i < LINES; i += 2 * step) {
      for (int j = i; j < i + step; ++j) {
        const float a = v[j], b = v[j + step];
        v[j]        = a + b;
        v[j + step] = a - b;
      }
    }
  }
  for (int k = 0; k < LINES; ++k) {
    v[k] *= 0.25f;
  }
}

/* Turns each line's modulation oscillator one sample on; the renormalising
   step (one Newton iteration towards length 1) keeps it from drifting. */
static void
turn(Reverb* r)
{
  for (int k = 0; k < LINES; ++k) {
    const float c = r->osc_c[k] * r->turn_c[k] - r->osc_s[k] * r->turn_s[k];
    const float s = r->osc_s[k] * r->turn_c[k] + r->osc_c[k] * r->turn_s[k];
    const float n = 1.5f - 0.5f * (c * c + s * s);
    r->osc_c[k]   = c * n;
    r->osc_s[k]   = s * n;
  }
}

/* Reads every line through its allpass interpolator at its length (the
   whole samples and fraction of this size, swung by its oscillator) and
   passes it through its absorption filter. The fraction stays small, so
   float keeps the swing's fine steps; the positions are worked out first,
   in a loop the compiler can vectorise, and the lines read after. */
static void
read_lines(Reverb* r, float swing, float* out)
{
  uint32_t at[LINES];
  float    coef[LINES], x0[LINES], x1[LINES];
  for (int k = 0; k < LINES; ++k) {
    const float    d    = r->part[k] + swing * r->osc_s[k];  // -swing..1 + swing
    const float    back = floorf(d - 0.5f);                  // keeps the fraction in 0.5..1.5
    const float    f    = d - back;
    const uint32_t n    = (uint32_t)((int32_t)r->whole[k] + (int32_t)back);
    at[k]               = n > 1u ? n : 1u;
    coef[k]             = (1.0f - f) / (1.0f + f);
  }
  for (int k = 0; k < LINES; ++k) {
    x0[k] = st_line_at(&r->line[k], at[k]);
    x1[k] = st_line_at(&r->line[k], at[k] + 1);
  }
  for (int k = 0; k < LINES; ++k) {
    const float y = coef[k] * (x0[k] - r->interp[k]) + x1[k];
    r->interp[k]  = st_flush(y);
    r->absorb[k]  = st_flush(r->gain[k] * y + r->pole[k] * r->absorb[k]);
    out[k]        = r->absorb[k];
  }
}

static void
reverb_process(void* state, const StProcess* p)
{
  Reverb*      r      = state;
  StParam*     pr     = p->params;
  const double pre_hi = (double)MAX_PREDELAY * p->rate;
  float        in[2][ST_BLOCK];
  st_stereo_input(p, in);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float size     = st_param_next(&pr[P_SIZE]);
    const float decay    = st_param_next(&pr[P_DECAY]);
    const float damping  = st_param_next(&pr[P_DAMPING]);
    const float predelay = st_param_next(&pr[P_PREDELAY]);
    const float mod      = st_param_next(&pr[P_MOD]);
    const float diff     = st_param_next(&pr[P_DIFFUSION]);
    const float mix      = st_param_next(&pr[P_MIX]);
    if (size != r->size || decay != r->decay || damping != r->damping) {
      design(r, size, decay, damping, p->rate);
    }
    // Each side through its pre-delay (at least 2 samples) and diffuser.
    const double at = (double)predelay * p->rate;
    float        fed[2];
    for (int c = 0; c < 2; ++c) {
      const float late = st_line_read(&r->pre[c], at, pre_hi);
      st_line_push(&r->pre[c], in[c][i]);
      fed[c] = diffuse(r, c, late, 0.75f * diff);
    }
    // Read and absorb every line, and take the outputs.
    float       v[LINES];
    float       wet[2] = {0.0f, 0.0f};
    const float swing  = mod * (float)(MOD_DEPTH * p->rate);
    read_lines(r, swing, v);
    for (int k = 0; k < LINES; ++k) {
      wet[0] += r->out_sign[0][k] * v[k];
      wet[1] += r->out_sign[1][k] * v[k];
    }
    turn(r);
    // Mix through the matrix and feed the input in.
    feedback_matrix(v);
    for (int k = 0; k < LINES; ++k) {
      st_line_push(&r->line[k], v[k] + r->in_sign[0][k] * fed[0] + r->in_sign[1][k] * fed[1]);
    }
    for (int c = 0; c < 2; ++c) {
      p->out[c][i] = in[c][i] + mix * (wet[c] - in[c][i]);
    }
  }
}

static const StPortSpec inputs[] = {
  {"left", "Left signal"},
  {"right", "Right signal (unlinked: the left signal)"},
};

static const StParamSpec params[] = {
  {"size", "",
   "Scales every line's length (1: 21..94 ms); larger is sparser and slower to build", 0.1f,
   MAX_SIZE, 1, 0.2f, 0, NULL},
  {"decay", "s", "Time for the tail to fall 60 dB (RT60) at low frequencies", 0.1f, 20, 2,
   0.05f, 0, NULL},
  {"damping", "", "Treble decays faster: the RT60 at Nyquist is decay * (1 - damping)", 0,
   0.95f, 0.5f, 0.05f, 0, NULL},
  {"predelay", "s", "Time before the reverb starts (at least 2 samples)", 0, MAX_PREDELAY,
   0.02f, 0.05f, 0, NULL},
  {"mod", "", "Slow swing of the line lengths (0.5 ms at 1), against metallic ringing", 0, 1,
   0.3f, 0.05f, 0, NULL},
  {"diffusion", "", "Smearing of the input by allpasses before the network (plate-like at 1)",
   0, 1, 0.7f, 0.05f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 only the reverb", 0, 1, 0.3f, 0.01f, 0, NULL},
};

const StNodeType st_reverb_type = {
  .name       = "reverb",
  .family     = "Space",
  .doc        = "Stereo reverb: a 16-line feedback delay network with an orthogonal "
                "(Hadamard) mixing matrix and, in each line, a one-pole absorption filter "
                "whose gains give exactly the RT60 `decay` at low frequencies and "
                "`decay` * (1 - `damping`) at Nyquist. The input passes a `predelay` and "
                "four allpass diffusers per side; left and right enter and leave the network "
                "through orthogonal sign patterns, so even a mono input gives a decorrelated "
                "stereo tail. `size` scales the line lengths (21..94 ms at 1); `mod` swings "
                "each a little on its own slow sine, read through allpass interpolation "
                "(flat magnitude: the decay stays exact). Moving `size` bends the pitch of "
                "the tail while it glides, like a tape. Small sizes with full diffusion make "
                "a dense, bright plate; large sizes a hall.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = st_stereo_outputs,
  .n_params   = 7,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 130.0f,
  .state_size = reverb_size,
  .init       = reverb_init,
  .process    = reverb_process,
};
