/* SPDX-License-Identifier: ISC */
/* The built-in single-cycle tables, from their harmonic amplitudes. */
#include "wavetable_data.h"

#include <math.h>
#include <pthread.h>

#define PI 3.14159265358979323846
#define STRIDE (ST_WT_SIZE + ST_WT_GUARD)

static float          cycles[ST_WT_TABLES][ST_WT_LEVELS][STRIDE];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A resonance of the vocal table, centred on harmonic `at`. */
static double
formant(double h, double at, double width)
{
  const double d = (h - at) / width;
  return exp(-0.5 * d * d);
}

/* Amplitude of harmonic h (sine phase) in each table. */
static double
amplitude(int table, int h)
{
  switch (table) {
  case ST_WT_SINE:
    return h == 1 ? 1.0 : 0.0;
  case ST_WT_SAW:
    return (h % 2 ? 2.0 : -2.0) / (PI * h);
  case ST_WT_SQUARE:
    return h % 2 ? 4.0 / (PI * h) : 0.0;
  case ST_WT_VOCAL:  // an open "ah": formants near harmonics 7, 11 and 24 of a low voice
    return (formant(h, 7, 1.5) + 0.6 * formant(h, 11, 2.0) + 0.25 * formant(h, 24, 3.0) +
            0.3 / h) /
           sqrt(h);
  default: {  // a bell: a sparse, bright set of partials, the later ones weaker
    static const int    partial[] = {1, 2, 3, 5, 7, 9, 12, 16, 21, 27};
    static const double level[]   = {1.0, 0.55, 0.3, 0.6, 0.45, 0.3, 0.35, 0.25, 0.15, 0.1};
    for (unsigned k = 0; k < sizeof(partial) / sizeof(partial[0]); ++k) {
      if (partial[k] == h) {
        return level[k];
      }
    }
    return 0.0;
  }
  }
}

static void
build(void)
{
  static double sines[ST_WT_SIZE];  // sin(2 pi k / SIZE), so a harmonic is a stride through it
  static double sum[ST_WT_SIZE];
  for (uint32_t k = 0; k < ST_WT_SIZE; ++k) {
    sines[k] = sin(2.0 * PI * k / ST_WT_SIZE);
  }
  for (int t = 0; t < ST_WT_TABLES; ++t) {
    for (uint32_t k = 0; k < ST_WT_SIZE; ++k) {
      sum[k] = 0.0;
    }
    double peak = 0.0;  // the largest magnitude over every level: one scale for all
    int    h    = 1;
    for (int level = 0; level < ST_WT_LEVELS; ++level) {
      for (; h <= (1 << level); ++h) {
        const double a = amplitude(t, h);
        for (uint32_t k = 0; a != 0.0 && k < ST_WT_SIZE; ++k) {
          sum[k] += a * sines[(k * (uint32_t)h) & (ST_WT_SIZE - 1)];
        }
      }
      float* c = cycles[t][level];
      for (uint32_t k = 0; k < ST_WT_SIZE; ++k) {
        c[k + 1] = (float)sum[k];
        peak     = fabs(sum[k]) > peak ? fabs(sum[k]) : peak;
      }
    }
    for (int level = 0; level < ST_WT_LEVELS; ++level) {
      float* c = cycles[t][level];
      for (uint32_t k = 1; k <= ST_WT_SIZE; ++k) {
        c[k] = (float)(c[k] / peak);
      }
      c[0]              = c[ST_WT_SIZE];
      c[ST_WT_SIZE + 1] = c[1];
      c[ST_WT_SIZE + 2] = c[2];
    }
  }
}

void
st_wavetable_prepare(void)
{
  pthread_once(&once, build);
}

const float*
st_wavetable_cycle(int table, int level)
{
  return cycles[table][level];
}
