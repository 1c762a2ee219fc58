/* SPDX-License-Identifier: ISC */
#include "blep.h"

#include <math.h>
#include <pthread.h>

#define PI 3.14159265358979323846
#define PHASES 64      // table rows per sample of event position
#define FINE 16        // integration steps per table row
#define CUTOFF 0.45    // band edge, in cycles per sample
#define BETA 7.0       // Kaiser window shape: about -70 dB stop band
#define POINTS (ST_BLEP_TAPS * PHASES + 1)

// Row j holds the residual for an event j/PHASES samples ago, at each tap.
static float           step_table[PHASES + 1][ST_BLEP_TAPS];
static float           ramp_table[PHASES + 1][ST_BLEP_TAPS];
static pthread_once_t  once = PTHREAD_ONCE_INIT;

static double
bessel_i0(double x)
{
  double sum  = 1.0;
  double term = 1.0;
  for (int k = 1; k < 40; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

/* The band-limited impulse at time t samples from its centre. */
static double
impulse(double t)
{
  const double x    = 2.0 * CUTOFF * t;
  const double sinc = x == 0.0 ? 1.0 : sin(PI * x) / (PI * x);
  const double w    = t / ST_BLEP_HALF;
  const double win  = w * w < 1.0 ? bessel_i0(BETA * sqrt(1.0 - w * w)) / bessel_i0(BETA) : 0.0;
  return 2.0 * CUTOFF * sinc * win;
}

/* Integrates the impulse into a step (H) and the step into a ramp (G) on a
   fine grid, keeping one point per table row; returns the step's final value. */
static double
integrate(double* step, double* ramp)
{
  const double h    = 1.0 / (PHASES * FINE);
  double       prev = impulse(-ST_BLEP_HALF);
  double       H    = 0.0;
  double       G    = 0.0;
  step[0] = ramp[0] = 0.0;
  for (int i = 1; i < POINTS; ++i) {
    for (int f = 1; f <= FINE; ++f) {
      const double t   = -ST_BLEP_HALF + ((i - 1) * FINE + f) * h;
      const double cur = impulse(t);
      const double H2  = H + 0.5 * h * (prev + cur);
      G += 0.5 * h * (H + H2);
      H    = H2;
      prev = cur;
    }
    step[i] = H;
    ramp[i] = G;
  }
  return H;
}

static void
build(void)
{
  static double step[POINTS];
  static double ramp[POINTS];
  const double  total = integrate(step, ramp);
  for (int j = 0; j <= PHASES; ++j) {
    for (int k = 0; k < ST_BLEP_TAPS; ++k) {
      const int    i = k * PHASES + j;
      const double t = -ST_BLEP_HALF + (double)i / PHASES;
      // Residual = band-limited minus naive, so adding it band-limits the naive.
      step_table[j][k] = (float)(step[i] / total - (t >= 0.0 ? 1.0 : 0.0));
      ramp_table[j][k] = (float)(ramp[i] / total - (t >= 0.0 ? t : 0.0));
    }
  }
}

void
st_blep_prepare(void)
{
  pthread_once(&once, build);
}

static void
add(StBlep* b, float (*table)[ST_BLEP_TAPS], float since, float scale)
{
  const float x = since * PHASES;
  int         j = (int)x;
  j = j < 0 ? 0 : (j >= PHASES ? PHASES - 1 : j);
  const float  f = x - (float)j;
  const float* lo = table[j];
  const float* hi = table[j + 1];
  for (uint32_t k = 0; k < ST_BLEP_TAPS; ++k) {
    b->acc[(b->pos + k) & (ST_BLEP_TAPS - 1)] += scale * (lo[k] + f * (hi[k] - lo[k]));
  }
}

static void
add_line(float* line, float (*table)[ST_BLEP_TAPS], float since, float scale)
{
  const float x = since * PHASES;
  int         j = (int)x;
  j = j < 0 ? 0 : (j >= PHASES ? PHASES - 1 : j);
  const float  f  = x - (float)j;
  const float* lo = table[j];
  const float* hi = table[j + 1];
  for (uint32_t k = 0; k < ST_BLEP_TAPS; ++k) {
    line[k] += scale * (lo[k] + f * (hi[k] - lo[k]));
  }
}

void
st_blep_step_line(float* line, float since, float height)
{
  add_line(line, step_table, since, height);
}

void
st_blep_ramp_line(float* line, float since, float slope)
{
  add_line(line, ramp_table, since, slope);
}

void
st_blep_step(StBlep* b, float since, float height)
{
  add(b, step_table, since, height);
}

void
st_blep_ramp(StBlep* b, float since, float slope)
{
  add(b, ramp_table, since, slope);
}
