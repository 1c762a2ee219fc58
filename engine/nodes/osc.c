/* SPDX-License-Identifier: ISC */
/* Band-limited oscillator: sine, saw, pulse and triangle, with exponential
   pitch, linear FM and hard sync. Steps are band-limited with BLEPs and the
   triangle's corners with BLAMPs (see blep.h). */
#include "blep.h"
#include "dsp.h"
#include "types.h"

#include <string.h>

enum { P_WAVE, P_FREQ, P_PW, P_FM };
enum { I_PITCH, I_FM, I_SYNC };
enum { SINE, SAW, SQUARE, TRIANGLE, N_WAVES };

#define CYCLE 4294967296.0             // phase units per cycle
#define UNIT (1.0 / CYCLE)             // one phase unit, in cycles

#define FRAME 64                       // samples per sine frame (SineFrame)
#define QUARTER 0x40000000u            // a quarter cycle: sin(x + QUARTER) = cos(x)

/* The sine by frames. Every FRAME samples of the oscillator's life a frame
   starts at the phase b of its first sample; while the increment d stays what
   it was there, sample k of the frame is sin(b + kd) = sin b cos kd + cos b sin kd:
   two products with a table of cos kd and sin kd that depends on d alone,
   instead of a polynomial per sample. The value of every sample follows from
   the frame alone, so any path and any split of the blocks give the same bits. */
typedef struct {
  float    sin_b;          ///< sin of the frame's first phase
  float    cos_b;          ///< cos of the frame's first phase
  uint32_t inc;            ///< Increment of the frame's first sample
  uint32_t left;           ///< Samples left in the frame: 0 starts a frame at the next
  uint32_t steady;         ///< 1 while every sample of the frame had increment `inc`
  uint32_t table_inc;      ///< Increment the table's entries were made for
  uint32_t table_len;      ///< Entries 0..table_len-1 are made
  float    cos_k[FRAME];   ///< cos(k table_inc)
  float    sin_k[FRAME];   ///< sin(k table_inc)
} SineFrame;

typedef struct {
  StBlep    blep;   ///< Band-limiting corrections and the output delay
  uint32_t  phase;  ///< Position in the cycle, in 2^-32 cycles: exact, wraps by itself
  float     sync;   ///< Previous sample of the sync input
  double    units;  ///< Phase units per Hz at the engine's rate
  float     key[4]; ///< freq, fm_depth, pitch and fm that `steady` was made for...
  uint32_t  steady; ///< ...the increment they give (zeroed: 0 Hz, right)
  SineFrame frame;  ///< The sine's frame (unused by the other waves)
} Osc;

/* Integer phase: n increments of `inc` give the same phase whether they are
   added one by one or all at once, so a vectorised block equals the
   per-sample path bit for bit. */

/* sin(2 pi phase): the phase folded to a quarter cycle and a degree-11 Taylor
   polynomial (truncation below 6e-8; 1.8e-7 from sin after float rounding,
   measured; harmonics below -140 dB). Plain float
   arithmetic without FMA, so every machine and vector width gives the same bits. */
static inline float
sine_of(uint32_t phase)
{
  // Exact integer folding (branch-free, so that the block loop vectorises):
  // u is the phase plus a quarter cycle as a signed fraction of 2^32 (-1/2..1/2);
  // |u| - 1/4 is then the phase folded to -1/4..1/4 with the same sine (the
  // wrap of |-2^31| lands on +1/4, which is right).
  const int32_t u    = (int32_t)(phase + 0x40000000u);
  const int32_t sign = u >> 31;
  const int32_t a    = (int32_t)((uint32_t)(u ^ sign) - (uint32_t)sign - 0x40000000u);
  const float   r    = (float)a * (1.0f / 4294967296.0f); // -1/4..1/4
  const float   x    = r * r;
  return r * (6.28318530717958648f +
              x * (-41.3417022403997250f +
                   x * (81.6052492760750300f +
                        x * (-76.7058597530612500f +
                             x * (42.0586939448477000f + x * -15.0946425768229800f)))));
}

/* sin(2 pi phase) as sine_of(), with the polynomial in Estrin's form: fewer
   dependent steps, for the single evaluations at a frame's start where the
   latency, not the throughput, is what costs. */
static inline float
sine_soon(uint32_t phase)
{
  const int32_t u    = (int32_t)(phase + 0x40000000u);
  const int32_t sign = u >> 31;
  const int32_t a    = (int32_t)((uint32_t)(u ^ sign) - (uint32_t)sign - 0x40000000u);
  const float   r    = (float)a * (1.0f / 4294967296.0f);
  const float   x    = r * r;
  const float   x2   = x * x;
  const float   lo   = 6.28318530717958648f + x * -41.3417022403997250f;
  const float   mid  = 81.6052492760750300f + x * -76.7058597530612500f;
  const float   hi   = 42.0586939448477000f + x * -15.0946425768229800f;
  return r * ((lo + x2 * mid) + (x2 * x2) * hi);
}

/* 2 * phase - 1, exactly rounded: (phase - 1/2) as a signed integer, scaled. */
static inline float
saw_of(uint32_t phase)
{
  return (float)(int32_t)(phase ^ 0x80000000u) * (1.0f / 2147483648.0f);
}

static float
naive(int wave, uint32_t phase, float pw)
{
  const double t = phase * UNIT;
  switch (wave) {
  case SAW:
    return saw_of(phase);
  case SQUARE:
    return t < pw ? 1.0f : -1.0f;
  case TRIANGLE:
    return (float)(t < 0.5 ? 4.0 * t - 1.0 : 3.0 - 4.0 * t);
  default:
    return sine_of(phase);
  }
}

/* The exponent st_octaves() takes: NaN as 0, clamped to +-24 octaves. */
static inline float
octave_arg(float oct)
{
  return st_clampf(oct == oct ? oct : 0.0f, -24.0f, 24.0f);
}

/* 2^x for x in -24..24, in float arithmetic that vectorises (no conversions,
   no branches): adding 1.5 * 2^23 rounds x to the integer n in the low bits
   of the sum, which give 2^n as exponent bits; 2^(x - n) comes from a
   degree-6 polynomial on -1/2..1/2 (Chebyshev nodes: 2.5e-9 from exp2 before
   float rounding, 1.03e-7 after, measured; exact at whole octaves). */
static inline float
pow2(float x)
{
  union {
    float   f;
    int32_t i;
  } whole       = {x + 12582912.0f};
  const float f = x - (whole.f - 12582912.0f);
  const float p = 1.0f + f * (0.6931472067028324f +
                              f * (0.2402265092228873f +
                                   f * (0.05550327226670846f +
                                        f * (0.00961805667853236f +
                                             f * (0.0013400428177416093f +
                                                  f * 0.00015461444695632573f)))));
  whole.i       = (whole.i - 0x4b400000 + 127) * (1 << 23); // 2^n
  return p * whole.f;
}

/* hz * 2^octaves as st_octaves(): exactly hz at 0 (or NaN) octaves. */
static inline float
octaves(float hz, float oct)
{
  return hz * pow2(octave_arg(oct));
}

/* Phase increment for a frequency already clamped to 0..0.45 rate: below 2^31,
   so the conversion goes through int32_t (it vectorises; the same value). */
static inline uint32_t
increment_of(float hz, double units)
{
  return (uint32_t)(int32_t)((double)hz * units + 0.5);
}

/* Phase increment for freq * 2^pitch + fm * depth, clamped to 0..0.45 rate. */
static uint32_t
increment(float rate, double units, float freq, float pitch, float fm, float depth)
{
  return increment_of(st_clampf(octaves(freq, pitch) + fm * depth, 0.0f, 0.45f * rate), units);
}

/* The fm input with a NaN read as 0 (as the engine passes it): otherwise the
   phase would keep the step it took. Sanitised ahead into `sane`, in a loop
   that vectorises, and only when linked (an unlinked input reads zeros). */
static const float*
fm_input(const StProcess* p, float* sane)
{
  if (!(p->linked & (1u << I_FM))) {
    return p->in[I_FM];
  }
  st_sane_block(sane, p->in[I_FM], p->frames);
  return sane;
}

/* Restarts the cycle at a sync edge `since` samples ago, band-limiting the jump. */
static void
sync_reset(Osc* o, int wave, float pw, uint32_t inc, float since)
{
  const uint32_t at = o->phase + (uint32_t)((1.0 - since) * inc);
  st_blep_step(&o->blep, since, naive(wave, 0, pw) - naive(wave, at, pw));
  o->phase = (uint32_t)(since * (double)inc);
}

/* A correction that one sample needs: a step, or a change of slope (ramp). */
typedef struct {
  float since;   ///< How long before the sample the edge or corner fell, 0..1
  float height;  ///< Height of the step, or change of slope per sample
  bool  ramp;    ///< A corner (BLAMP), not a step (BLEP)
} Edge;

/* The corrections for one sample from `phase` on by `inc`, in the order they
   are to be added (at most three). */
static uint32_t
edges(int wave, uint32_t phase, uint32_t inc, float pw, Edge* e)
{
  const double dt  = inc * UNIT;
  const double old = phase * UNIT;
  const double t   = old + dt; // exact: both hold at most 33 significant bits
  uint32_t     n   = 0;
  if (wave == SQUARE && old < pw && t >= pw) {
    e[n++] = (Edge){(float)((t - pw) / dt), -2.0f, false};
  } else if (wave == TRIANGLE && old < 0.5 && t >= 0.5) {
    e[n++] = (Edge){(float)((t - 0.5) / dt), (float)(-8.0 * dt), true};
  }
  if (t >= 1.0) {
    const double w     = t - 1.0;
    const float  since = (float)(w / dt);
    if (wave == SAW) {
      e[n++] = (Edge){since, -2.0f, false};
    } else if (wave == SQUARE) {
      e[n++] = (Edge){since, 2.0f, false};
      if (w >= pw) {
        e[n++] = (Edge){(float)((w - pw) / dt), -2.0f, false};
      }
    } else if (wave == TRIANGLE) {
      e[n++] = (Edge){since, (float)(8.0 * dt), true};
    }
  }
  return n;
}

/* Advances one sample, adding a correction for each edge or corner crossed. */
static void
advance(Osc* o, int wave, float pw, uint32_t inc)
{
  Edge           e[3];
  const uint32_t n = edges(wave, o->phase, inc, pw, e);
  for (uint32_t k = 0; k < n; ++k) {
    if (e[k].ramp) {
      st_blep_ramp(&o->blep, e[k].since, e[k].height);
    } else {
      st_blep_step(&o->blep, e[k].since, e[k].height);
    }
  }
  o->phase += inc;
}

/* Naive values of a sub-block, sample i at phase + (i + 1) inc, one loop
   per wave so that each vectorises. The square's `t < pw` is
   `phase < ceil(pw 2^32)` in integers, the same test. */
static void
naive_block(int wave, uint32_t phase, uint32_t inc, float pw, uint32_t frames,
            float* restrict wav)
{
  uint32_t ph = phase; // stepped, not multiplied: an induction the loops vectorise
  if (wave == SAW) {
    for (uint32_t i = 0; i < frames; ++i) {
      ph += inc;
      wav[i] = saw_of(ph);
    }
  } else if (wave == SQUARE) {
    const uint32_t edge = (uint32_t)ceil((double)pw * CYCLE);
    for (uint32_t i = 0; i < frames; ++i) {
      ph += inc;
      wav[i] = ph < edge ? 1.0f : -1.0f;
    }
  } else {
    for (uint32_t i = 0; i < frames; ++i) {
      ph += inc;
      const double t = ph * UNIT;
      wav[i]         = (float)(t < 0.5 ? 4.0 * t - 1.0 : 3.0 - 4.0 * t);
    }
  }
}

/* dst += src, element by element. */
static void
add_block(float* restrict dst, const float* restrict src, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    dst[i] += src[i];
  }
}

/* One sub-block of a saw, square or triangle with one increment throughout
   (steady_increment()): the same arithmetic as the per-sample path, in
   vectorisable loops. The BLEP ring is unrolled into a line
   `line[0..frames+31]` (slot j = output of sample j); naive values and
   corrections go in in the same order as there. The samples that need
   corrections are found by division rather than by testing each: with
   u = o->phase + (j + 1) inc unwrapped, sample j crosses a threshold x (a
   wrap at each multiple of 2^32; the square's pw and the triangle's peak in
   between) when it is the first with u >= x. */
static void
wave_settled(Osc* o, int wave, uint32_t inc, float pw, uint32_t frames, float* restrict out)
{
  float          wav[ST_BLOCK];
  float          line[ST_BLOCK + ST_BLEP_TAPS];
  const uint32_t mask = ST_BLEP_TAPS - 1;
  naive_block(wave, o->phase, inc, pw, frames, wav);
  const uint32_t head = ST_BLEP_TAPS - o->blep.pos; // ring slots before the wrap
  memcpy(line, o->blep.acc + o->blep.pos, head * sizeof(float));
  memcpy(line + head, o->blep.acc, o->blep.pos * sizeof(float));
  for (uint32_t j = ST_BLEP_TAPS; j < frames + ST_BLEP_TAPS; ++j) {
    line[j] = 0.0f; // slots the per-sample path zeroes after reading them
  }
  const uint64_t cycle = (uint64_t)CYCLE;
  const uint64_t u0    = o->phase;
  const uint64_t mid   = wave == SQUARE ? (uint64_t)ceil((double)pw * CYCLE)
                                        : (wave == TRIANGLE ? cycle / 2 : cycle);
  uint64_t       wrap  = cycle;                          // next wrap threshold
  uint64_t       cross = u0 < mid ? mid : cycle + mid;   // next pw or peak threshold
  uint32_t       from  = 0;
  while (inc) {
    const uint64_t x = wrap < cross ? wrap : cross;
    const uint64_t next = (x - u0 + inc - 1) / inc - 1;
    if (next >= frames) {
      break;
    }
    const uint32_t j = (uint32_t)next;
    add_block(line + from + ST_BLEP_HALF, wav + from, j - from);
    from = j;
    Edge           e[3];
    const uint32_t n = edges(wave, (uint32_t)u0 + j * inc, inc, pw, e);
    for (uint32_t k = 0; k < n; ++k) {
      if (e[k].ramp) {
        st_blep_ramp_line(line + j, e[k].since, e[k].height);
      } else {
        st_blep_step_line(line + j, e[k].since, e[k].height);
      }
    }
    const uint64_t u = u0 + (uint64_t)(j + 1) * inc;
    while (wrap <= u) {
      wrap += cycle;
    }
    while (cross <= u) {
      cross += cycle;
    }
  }
  add_block(line + from + ST_BLEP_HALF, wav + from, frames - from);
  memcpy(out, line, frames * sizeof(float));
  o->blep.pos         = (o->blep.pos + frames) & mask;
  const uint32_t rest = ST_BLEP_TAPS - o->blep.pos;
  memcpy(o->blep.acc + o->blep.pos, line + frames, rest * sizeof(float));
  memcpy(o->blep.acc, line + frames + rest, o->blep.pos * sizeof(float));
  o->phase += (uint32_t)frames * inc;
  o->sync = 0.0f; // what the per-sample path reads from an unlinked input
}

static size_t
osc_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Osc);
}

static void table_extend(SineFrame* f, uint32_t len);

/* Also makes, on the control side, what the first block would otherwise
   make on the audio thread: the increment of the creation settings (pitch and
   fm read 0 until linked) and, for a sine, its frame table, so that a new
   patch's first block costs what any other does. */
static void
osc_init(void* state, const float* params, float rate)
{
  Osc* o   = state;
  o->units = CYCLE / rate;
  memcpy(o->key, (const float[4]){params[P_FREQ], params[P_FM], 0.0f, 0.0f}, sizeof(o->key));
  o->steady = increment(rate, o->units, o->key[0], o->key[2], o->key[3], o->key[1]);
  if ((int)params[P_WAVE] == SINE) {
    o->frame.inc = o->steady;
    table_extend(&o->frame, FRAME);
  }
  st_blep_prepare();
}

/* Starts a frame at `phase`, the first sample's, taken with increment `inc`. */
static void
frame_start(SineFrame* f, uint32_t phase, uint32_t inc)
{
  f->sin_b  = sine_soon(phase);
  f->cos_b  = sine_soon(phase + QUARTER);
  f->inc    = inc;
  f->left   = FRAME;
  f->steady = 1;
}

/* Makes table entries up to `len` for the frame's increment. Entry 0 is exact
   (1, 0), so a frame's first sample is sin_b itself. */
static void
table_extend(SineFrame* f, uint32_t len)
{
  if (f->table_inc != f->inc) {
    f->table_inc = f->inc;
    f->table_len = 0;
  }
  if (f->table_len >= len) {
    return;
  }
  const uint32_t  inc = f->inc;
  float* restrict c   = f->cos_k;
  float* restrict s   = f->sin_k;
  for (uint32_t k = f->table_len; k < len; ++k) {
    c[k] = sine_of(k * inc + QUARTER);
    s[k] = sine_of(k * inc);
  }
  c[0]         = 1.0f;
  s[0]         = 0.0f;
  f->table_len = len;
}

/* Samples k..k+n-1 of a steady frame. */
static void
frame_render(SineFrame* f, uint32_t k, uint32_t n, float* restrict out)
{
  table_extend(f, k + n);
  const float* restrict c  = f->cos_k + k;
  const float* restrict s  = f->sin_k + k;
  const float           sb = f->sin_b;
  const float           cb = f->cos_b;
  for (uint32_t j = 0; j < n; ++j) {
    out[j] = sb * c[j] + cb * s[j];
  }
}

/* A sine with a constant increment over the sub-block (settled, unmodulated). */
static void
sine_settled(Osc* o, uint32_t inc, uint32_t frames, float* restrict out)
{
  SineFrame* f = &o->frame;
  for (uint32_t i = 0; i < frames;) {
    if (f->left == 0) {
      frame_start(f, o->phase + inc, inc);
    }
    const uint32_t n = frames - i < f->left ? frames - i : f->left;
    if (f->steady && f->inc == inc) {
      frame_render(f, FRAME - f->left, n, out + i);
    } else {
      f->steady = 0;
      for (uint32_t j = 0; j < n; ++j) {
        out[i + j] = sine_of(o->phase + (j + 1) * inc);
      }
    }
    o->phase += n * inc;
    f->left -= n;
    i += n;
  }
}

/* A sine with an increment per sample: the plain sine of every phase, in a loop
   that vectorises, then the samples of steady frames replaced by their frame's
   values. */
static void
sine_modulated(Osc* o, const uint32_t* inc, uint32_t frames, float* restrict out)
{
  SineFrame* f = &o->frame;
  uint32_t   ph[ST_BLOCK];
  uint32_t   phase = o->phase;
  for (uint32_t i = 0; i < frames; ++i) {
    phase += inc[i];
    ph[i] = phase;
  }
  o->phase = phase;
  for (uint32_t i = 0; i < frames; ++i) {
    out[i] = sine_of(ph[i]);
  }
  for (uint32_t i = 0; i < frames;) {
    if (f->left == 0) {
      frame_start(f, ph[i], inc[i]);
    }
    const uint32_t k = FRAME - f->left;
    uint32_t       n = frames - i < f->left ? frames - i : f->left;
    f->left -= n;
    if (f->steady) {
      uint32_t m = 0;
      while (m < n && inc[i + m] == f->inc) {
        ++m;
      }
      f->steady = m == n;
      frame_render(f, k, m, out + i);
    }
    i += n;
  }
}

/* Per-sample increments (smoothed parameters, pitch and fm as linked) and
   pulse widths (clamped; NULL: not needed, the parameter only moves on), in
   loops that vectorise. */
static void
increments(const Osc* o, const StProcess* p, uint32_t* restrict inc, float* restrict pw)
{
  float        hz[ST_BLOCK];
  float        depth[ST_BLOCK];
  float        sane[ST_BLOCK];
  const float* fm    = fm_input(p, sane);
  const float* pitch = p->in[I_PITCH];
  const float  top   = 0.45f * p->rate;
  const double units = o->units;
  st_param_block(&p->params[P_FREQ], hz, p->frames);
  st_param_block(&p->params[P_FM], depth, p->frames);
  if (pw) {
    st_param_block(&p->params[P_PW], pw, p->frames);
    for (uint32_t i = 0; i < p->frames; ++i) {
      pw[i] = st_clampf(pw[i], 0.01f, 0.99f);
    }
  } else {
    st_param_skip(&p->params[P_PW], p->frames);
  }
  if (p->linked & (1u << I_PITCH)) {
    float x[ST_BLOCK]; // octaves() in two loops, each of which vectorises
    for (uint32_t i = 0; i < p->frames; ++i) {
      x[i] = octave_arg(pitch[i]);
    }
    for (uint32_t i = 0; i < p->frames; ++i) {
      hz[i] *= pow2(x[i]);
    }
  }
  for (uint32_t i = 0; i < p->frames; ++i) {
    inc[i] = increment_of(st_clampf(hz[i] + fm[i] * depth[i], 0.0f, top), units);
  }
}

/* True when x holds one value through the sub-block (a NaN never does). */
static bool
held(const float* x, uint32_t frames)
{
  int same = 1;
  for (uint32_t i = 0; i < frames; ++i) {
    same &= x[i] == x[0];
  }
  return same;
}

/* The increment of a sub-block that takes the same one at every sample:
   parameters settled, no sync, and pitch and fm (where linked) holding one
   value, as they do between the notes of a MIDI voice. False otherwise. */
static bool
steady_increment(Osc* o, const StProcess* p, uint32_t* inc)
{
  const float* pitch = p->in[I_PITCH];
  const float* fm    = p->in[I_FM];
  if ((p->linked & (1u << I_SYNC)) || !st_param_settled(&p->params[P_FREQ]) ||
      !st_param_settled(&p->params[P_FM]) || !st_param_settled(&p->params[P_PW]) ||
      ((p->linked & (1u << I_PITCH)) && !held(pitch, p->frames)) ||
      ((p->linked & (1u << I_FM)) && !held(fm, p->frames))) {
    return false;
  }
  const float key[4] = {p->params[P_FREQ].value, p->params[P_FM].value, pitch[0],
                        st_sane(fm[0])};
  if (!(key[0] == o->key[0] && key[1] == o->key[1] && key[2] == o->key[2] &&
        key[3] == o->key[3])) { // the same values give the same increment: kept
    o->steady = increment(p->rate, o->units, key[0], key[2], key[3], key[1]);
    memcpy(o->key, key, sizeof(key));
  }
  *inc = o->steady;
  return true;
}

/* A sine needs no band-limiting: without sync it never touches the BLEP line
   and has no latency. */
static void
sine_process(Osc* o, const StProcess* p)
{
  uint32_t inc[ST_BLOCK];
  if (steady_increment(o, p, &inc[0])) {
    sine_settled(o, inc[0], p->frames, p->out[0]);
  } else {
    increments(o, p, inc, NULL);
    sine_modulated(o, inc, p->frames, p->out[0]);
  }
  o->sync = 0.0f; // what the sync path reads from an unlinked input
}

static void
osc_process(void* state, const StProcess* p)
{
  Osc*      o    = state;
  const int wave = st_choice(&p->params[P_WAVE], N_WAVES);
  if (wave == SINE && !(p->linked & (1u << I_SYNC))) {
    sine_process(o, p);
    return;
  }
  o->frame.steady = 0; // the phase moves on without the frame: it must not resume
  uint32_t steady;
  if (steady_increment(o, p, &steady)) { // a sine with sync never comes here
    const float pw = st_clampf(p->params[P_PW].value, 0.01f, 0.99f);
    wave_settled(o, wave, steady, pw, p->frames, p->out[0]);
    return;
  }
  uint32_t incs[ST_BLOCK];
  float    pws[ST_BLOCK];
  increments(o, p, incs, pws);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const uint32_t inc  = incs[i];
    const float    pw   = pws[i];
    const float    sync = p->in[I_SYNC][i];
    if (st_rising(o->sync, sync)) {
      // Where between the samples the edge fell; 0..1 even for infinite or NaN
      // inputs (the one before read as the engine would pass it: sane).
      const float prev = st_sane(o->sync);
      sync_reset(o, wave, pw, inc, st_clampf(sync / (sync - prev), 0.0f, 1.0f));
    } else {
      advance(o, wave, pw, inc);
    }
    o->sync      = sync;
    p->out[0][i] = st_blep_out(&o->blep, naive(wave, o->phase, pw));
  }
}

static const char* const waves[] = {"sine", "saw", "square", "triangle", NULL};

static const StPortSpec inputs[] = {
  {"pitch", "Pitch offset in octaves: f = freq * 2^pitch"},
  {"fm", "Linear frequency modulation: adds fm * fm_depth Hz"},
  {"sync", "Hard sync: a rising edge through zero restarts the cycle"},
};

static const StPortSpec outputs[] = {
  {"out", "Signal, -1..1"},
};

static const StParamSpec params[] = {
  {"wave", "", "Waveform", 0, 3, 0, 0, ST_PARAM_CHOICE, waves},
  {"freq", "Hz", "Base frequency", 0, 20000, 440, 0.01f, 0, NULL},
  {"pw", "", "Pulse width of the square wave", 0.01f, 0.99f, 0.5f, 0.01f, 0, NULL},
  {"fm_depth", "Hz", "Frequency added per unit of the fm input", 0, 20000, 100, 0.01f, 0, NULL},
};

const StNodeType st_osc_type = {
  .name      = "osc",
  .family    = "Sources",
  .doc       = "Band-limited oscillator. The frequency is freq * 2^pitch + fm * fm_depth, "
               "clamped to 0..0.45 of the sample rate (no through-zero FM). Steps of the saw "
               "and square and the corners of the triangle are band-limited with 32-tap "
               "Kaiser-windowed sinc BLEP/BLAMP corrections, so their output is delayed by 16 "
               "samples. The sine needs no correction and has no latency, except with "
               "`sync` linked (its reset is band-limited, 16 samples late like the others). "
               "Sync resets the phase with sub-sample timing.",
  .n_inputs  = 3,
  .inputs    = inputs,
  .n_outputs = 1,
  .outputs   = outputs,
  .n_params  = 4,
  .params    = params,
  .flags     = ST_NODE_BOUNDED,
  .cost      = 14.0f,
  .state_size = osc_size,
  .init      = osc_init,
  .process   = osc_process,
};
