/* SPDX-License-Identifier: ISC */
#include "meter.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

#define LANES 8 ///< Independent partial sums, so that the loop vectorises

/* Adds sample x to lane k's partial results. */
static inline void
lane_add(double* sum, float* peak, uint32_t* bad, float x)
{
  const float a      = fabsf(x);
  const bool  finite = a <= FLT_MAX; // False for NaN too
  const float v      = finite ? a : 0.0f;
  *bad += !finite;
  *peak = v > *peak ? v : *peak;
  *sum += (double)v * (double)v;
}

void
sr_meter_add(SrMeter* m, const float* x, uint32_t n)
{
  double   sum[LANES]  = {0};
  float    peak[LANES] = {0};
  uint32_t bad[LANES]  = {0};
  uint32_t i           = 0;
  for (; i + LANES <= n; i += LANES) {
    for (uint32_t k = 0; k < LANES; ++k) {
      lane_add(&sum[k], &peak[k], &bad[k], x[i + k]);
    }
  }
  for (; i < n; ++i) {
    lane_add(&sum[0], &peak[0], &bad[0], x[i]);
  }
  for (uint32_t k = 0; k < LANES; ++k) {
    m->nonfinite += bad[k];
    m->peak = (double)peak[k] > m->peak ? (double)peak[k] : m->peak;
    m->sum += sum[k];
  }
  m->samples += n;
}

double
sr_meter_rms(const SrMeter* m)
{
  return m->samples ? sqrt(m->sum / (double)m->samples) : 0.0;
}

double
sr_dbfs(double linear)
{
  return linear > 0 ? 20.0 * log10(linear) : -INFINITY;
}
