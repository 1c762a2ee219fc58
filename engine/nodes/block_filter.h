/* SPDX-License-Identifier: ISC */
/* A two-state linear recursion with constant coefficients, s' = C s + b x,
   y = d s + d0 x, advanced eight samples per step. Run sample by sample, each
   state depends on the previous one through a multiply and two adds, so a
   sample costs that latency whatever the vector width; in steps of eight the
   states go around that loop once per eight samples, and the outputs and the
   input terms of the next states are independent products that the
   processor computes in parallel, four lanes at a time. The step matrices
   (powers of C) are made in double and rounded once to float. */
#ifndef ST_BLOCK_FILTER_H
#define ST_BLOCK_FILTER_H

#include <stdint.h>

#define ST_BLOCK_FILTER_STEP 8  ///< Samples per step

/* The recursion as seen from a step's first sample (state s at sample 0):
   y[m]   = o1[m] s1 + o2[m] s2 + sum_j t[j][m] x[j]        (m, j = 0..3)
   y[4+m] = the same from the state at sample 4 and x[4..7]
   (state at 4, state at 8) = g1 s1 + g2 s2 + sum_j e[j] x[j] (j = 0..7). */
typedef struct {
  float o1[4], o2[4];  ///< d C^m: the states' share of y[m]
  float t[4][4];       ///< Impulse response: t[j][m] = response at m to x[j] (0 for m < j)
  float g1[4], g2[4];  ///< Columns of C^4 (lanes 0, 1) and C^8 (lanes 2, 3)
  float e[8][4];       ///< C^(3-j) b (lanes 0, 1; 0 for j > 3), C^(7-j) b (lanes 2, 3)
} StBlockFilter;

/* Zero for states far below audibility (1e-20), so that they decay to 0
   rather than into subnormals; a branch (almost never taken) rather than a
   select, so that it stays off the recursion's critical path. */
static inline float
st_block_filter_flush(float x)
{
  if (__builtin_expect(x < 1e-20f && x > -1e-20f, 0)) {
    return 0.0f;
  }
  return x;
}

/* Makes the step matrices for C = {c11, c12, c21, c22}, b, d and d0. */
void st_block_filter_design(StBlockFilter* f, const double c[4], const double b[2],
                            const double d[2], double d0);

/* Filters `steps` steps of eight samples from the state s = {s1, s2}, which
   is left at the end of the last step. States far below audibility become 0
   at the end of each step. Any zero output is +0, so that a step computed
   from partly unknown inputs (a sub-block that ends mid-step, the missing
   inputs made up) has exactly the outputs of the whole step up to there. */
void st_block_filter_run(const StBlockFilter* f, float s[2], const float* in, float* out,
                         uint32_t steps);

#endif
