/* SPDX-License-Identifier: ISC */
/* Peak and RMS of the rendered output, both channels together. */
#ifndef SR_METER_H
#define SR_METER_H

#include <stdint.h>

typedef struct {
  double   peak;    ///< Largest magnitude, linear
  double   sum;     ///< Sum of squares
  uint64_t samples; ///< Samples measured
  uint64_t nonfinite; ///< NaN or infinite samples seen
} SrMeter;

void   sr_meter_add(SrMeter* meter, const float* x, uint32_t n);
double sr_meter_rms(const SrMeter* meter);
/* 20 log10(x), -inf for 0. */
double sr_dbfs(double linear);

#endif
