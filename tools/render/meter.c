/* SPDX-License-Identifier: ISC */
#include "meter.h"

#include <math.h>

void
sr_meter_add(SrMeter* m, const float* x, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (!isfinite(x[i])) {
      ++m->nonfinite;
      continue;
    }
    const double v = fabs((double)x[i]);
    m->peak        = v > m->peak ? v : m->peak;
    m->sum += v * v;
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
