/* SPDX-License-Identifier: ISC */
/* Wavetable oscillator: morphs between the built-in single cycles of
   wavetable_data.h, reading two band limits of each and crossfading them by
   pitch, so that no harmonic ever reaches the Nyquist frequency. */
#include "dsp.h"
#include "types.h"
#include "wavetable_data.h"

enum { P_FREQ, P_POSITION };
enum { I_PITCH, I_POSITION };

#define CYCLE 4294967296.0                  // phase units per cycle
#define TOP 0.45f                           // highest harmonic kept, in cycles per sample
#define FRACTION (1u << (32 - ST_WT_BITS))  // phase units per table sample

typedef struct {
  uint32_t phase;  ///< Position in the cycle, in 2^-32 cycles
} Wavetable;

/* Four-point cubic Hermite read between c[i + 1] and c[i + 2]. */
static inline float
hermite(const float* c, uint32_t i, float t)
{
  const float x0 = c[i], x1 = c[i + 1], x2 = c[i + 2], x3 = c[i + 3];
  const float c1 = 0.5f * (x2 - x0);
  const float c2 = x0 - 2.5f * x1 + 2.0f * x2 - 0.5f * x3;
  const float c3 = 0.5f * (x3 - x0) + 1.5f * (x1 - x2);
  return ((c3 * t + c2) * t + c1) * t + x1;
}

/* Table `table` at phase (k, t), crossfaded from band limit `lo` to `hi` by w. */
static inline float
band(int table, int lo, int hi, float w, uint32_t k, float t)
{
  const float y = hermite(st_wavetable_cycle(table, lo), k, t);
  return y + w * (hermite(st_wavetable_cycle(table, hi), k, t) - y);
}

/* The band limits to read for frequency f and how much of the fuller one:
   with l = log2(TOP rate / f), levels floor(l) - 1 and floor(l) (harmonics up
   to 2^floor(l), all below TOP), crossfaded by the fraction of l, so that
   the mix changes continuously with pitch. */
static void
levels(float f, float rate, int* lo, int* hi, float* w)
{
  const float l = f > 0.0f ? st_clampf(log2f(TOP * rate / f), 0.0f, (float)ST_WT_LEVELS)
                           : (float)ST_WT_LEVELS;
  const int   j = (int)l;
  *w            = l - (float)j;
  *hi           = j < ST_WT_LEVELS ? j : ST_WT_LEVELS - 1;
  *lo           = j > 0 ? (j - 1 < ST_WT_LEVELS - 1 ? j - 1 : ST_WT_LEVELS - 1) : 0;
}

static size_t
wavetable_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Wavetable);
}

static void
wavetable_init(void* state, const float* params, float rate)
{
  (void)state;
  (void)params;
  (void)rate;
  st_wavetable_prepare();
}

static void
wavetable_process(void* state, const StProcess* p)
{
  Wavetable* o = state;
  float      pos_in[ST_BLOCK];
  st_sane_block(pos_in, p->in[I_POSITION], p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float freq = st_param_next(&p->params[P_FREQ]);
    const float pos  = st_clampf(st_param_next(&p->params[P_POSITION]) + pos_in[i], 0.0f, 1.0f);
    const float f    = st_clampf(st_octaves(freq, p->in[I_PITCH][i]), 0.0f, TOP * p->rate);
    o->phase += (uint32_t)((double)f * (CYCLE / p->rate) + 0.5);
    int   lo, hi;
    float w;
    levels(f, p->rate, &lo, &hi, &w);
    const float    x  = pos * (ST_WT_TABLES - 1);
    const int      a  = (int)x < ST_WT_TABLES - 1 ? (int)x : ST_WT_TABLES - 2;
    const float    m  = x - (float)a;
    const uint32_t k  = o->phase >> (32 - ST_WT_BITS);
    const float    t  = (float)(o->phase & (FRACTION - 1)) * (1.0f / FRACTION);
    const float    ya = band(a, lo, hi, w, k, t);
    const float    yb = band(a + 1, lo, hi, w, k, t);
    p->out[0][i]      = ya + m * (yb - ya);
  }
}

static const StPortSpec inputs[] = {
  {"pitch", "Pitch offset in octaves: f = freq * 2^pitch"},
  {"position", "Added to the position parameter"},
};

static const StPortSpec outputs[] = {
  {"out", "Signal, -1..1"},
};

static const StParamSpec params[] = {
  {"freq", "Hz", "Base frequency", 0, 20000, 220, 0.01f, 0, NULL},
  {"position", "",
   "Place among the tables: 0 sine, 0.25 saw, 0.5 square, 0.75 vocal, 1 bell; "
   "between two, a crossfade of both",
   0, 1, 0, 0.02f, 0, NULL},
};

const StNodeType st_wavetable_type = {
  .name       = "wavetable",
  .family     = "Sources",
  .doc        = "Wavetable oscillator morphing through five built-in single cycles (sine, "
                "saw, square, a vocal \"ah\" and a bell), made by additive synthesis. Each "
                "table is kept at ten band limits (1, 2, 4 .. 512 harmonics); a note reads "
                "the two whose harmonics all lie below 0.45 of the sample rate and "
                "crossfades them by pitch, so it does not alias and its tone changes "
                "smoothly as it glides. The position crossfades the two neighbouring "
                "tables, and follows its input sample by sample. The frequency is "
                "freq * 2^pitch, clamped to 0..0.45 of the sample rate; no latency.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 30.0f,
  .state_size = wavetable_size,
  .init       = wavetable_init,
  .process    = wavetable_process,
};
