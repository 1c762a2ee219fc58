/* SPDX-License-Identifier: ISC */
#include "block_filter.h"

#include <string.h>

/* Four lanes: GCC and Clang map them onto the target's vectors (or scalars),
   with the same arithmetic per lane in the order written. */
typedef float Lanes __attribute__((vector_size(16)));

/* 2x2 matrix product r = a b, row-major. */
static void
mul2(double r[4], const double a[4], const double b[4])
{
  const double p[4] = {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
                       a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]};
  memcpy(r, p, sizeof(p));
}

/* Stores four values rounded to float in one vector store: st_block_filter_run
   reads them back as vectors right after, and a vector load waits long for
   data that narrower stores are still writing. */
static void
put(float* dst, double a, double b, double c, double d)
{
  const Lanes v = {(float)a, (float)b, (float)c, (float)d};
  memcpy(dst, &v, sizeof(v));
}

void
st_block_filter_design(StBlockFilter* f, const double c[4], const double b[2],
                       const double d[2], double d0)
{
  double v[8][2];  // C^k b
  double w[4][2];  // d C^m
  v[0][0] = b[0];
  v[0][1] = b[1];
  w[0][0] = d[0];
  w[0][1] = d[1];
  for (int k = 1; k < 8; ++k) {
    v[k][0] = c[0] * v[k - 1][0] + c[1] * v[k - 1][1];
    v[k][1] = c[2] * v[k - 1][0] + c[3] * v[k - 1][1];
  }
  for (int m = 1; m < 4; ++m) {
    w[m][0] = w[m - 1][0] * c[0] + w[m - 1][1] * c[2];
    w[m][1] = w[m - 1][0] * c[1] + w[m - 1][1] * c[3];
  }
  double c2[4], c4[4], c8[4];
  mul2(c2, c, c);
  mul2(c4, c2, c2);
  mul2(c8, c4, c4);
  double h[4] = {d0, 0.0, 0.0, 0.0};  // response at k to an impulse at 0
  for (int k = 1; k < 4; ++k) {
    h[k] = d[0] * v[k - 1][0] + d[1] * v[k - 1][1];
  }
  put(f->o1, w[0][0], w[1][0], w[2][0], w[3][0]);
  put(f->o2, w[0][1], w[1][1], w[2][1], w[3][1]);
  put(f->t[0], h[0], h[1], h[2], h[3]);
  put(f->t[1], 0.0, h[0], h[1], h[2]);
  put(f->t[2], 0.0, 0.0, h[0], h[1]);
  put(f->t[3], 0.0, 0.0, 0.0, h[0]);
  put(f->g1, c4[0], c4[2], c8[0], c8[2]);
  put(f->g2, c4[1], c4[3], c8[1], c8[3]);
  for (int j = 0; j < 4; ++j) {
    put(f->e[j], v[3 - j][0], v[3 - j][1], v[7 - j][0], v[7 - j][1]);
  }
  for (int j = 4; j < 8; ++j) {
    put(f->e[j], 0.0, 0.0, v[7 - j][0], v[7 - j][1]);
  }
}

static inline Lanes
lanes(const float* p)
{
  Lanes v;
  memcpy(&v, p, sizeof(v));
  return v;
}

void
st_block_filter_run(const StBlockFilter* f, float s[2], const float* restrict in,
                    float* restrict out, uint32_t steps)
{
  Lanes t[4], e[8];
  for (int j = 0; j < 4; ++j) {
    t[j] = lanes(f->t[j]);
  }
  for (int j = 0; j < 8; ++j) {
    e[j] = lanes(f->e[j]);
  }
  const Lanes o1 = lanes(f->o1), o2 = lanes(f->o2), g1 = lanes(f->g1), g2 = lanes(f->g2);
  float       s1 = s[0], s2 = s[1];
  for (uint32_t k = 0; k < steps; ++k, in += ST_BLOCK_FILTER_STEP, out += ST_BLOCK_FILTER_STEP) {
    Lanes next = e[0] * in[0];  // States at samples 4 and 8
    Lanes lo   = t[0] * in[0];
    Lanes hi   = t[0] * in[4];
    for (int j = 1; j < 4; ++j) {
      next += e[j] * in[j];
      lo += t[j] * in[j];
      hi += t[j] * in[4 + j];
    }
    for (int j = 4; j < 8; ++j) {
      next += e[j] * in[j];
    }
    // The states' terms last: only they wait for the previous step.
    next += g1 * s1 + g2 * s2;
    lo = (lo + (o1 * s1 + o2 * s2)) + 0.0f;  // + 0: a -0 becomes +0
    hi = (hi + (o1 * next[0] + o2 * next[1])) + 0.0f;
    memcpy(out, &lo, sizeof(lo));
    memcpy(out + 4, &hi, sizeof(hi));
    s1 = st_block_filter_flush(next[2]);
    s2 = st_block_filter_flush(next[3]);
  }
  s[0] = s1;
  s[1] = s2;
}
