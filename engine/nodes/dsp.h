/* SPDX-License-Identifier: ISC */
/* Small inline helpers shared by the node files. */
#ifndef ST_DSP_H
#define ST_DSP_H

#include "node.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define ST_PI 3.14159265358979323846

/* x kept within lo..hi; NaN gives lo, so that a wild input still yields a
   usable number (a float to integer conversion of NaN is undefined). */
static inline float
st_clampf(float x, float lo, float hi)
{
  const float y = x > lo ? x : lo; // maxss, min below: NaN gives lo
  return y < hi ? y : hi;
}

/* Zero for magnitudes far below audibility, so that recursive states decay to
   exactly zero instead of into subnormals (nodes must not rely on FTZ). */
static inline float
st_flush(float x)
{
  return fabsf(x) < 1e-20f ? 0.0f : x; // One compare: the sign of a signal is random
}

/* Whether a sample may pass between nodes as it is (within
   +-ST_SIGNAL_LIMIT, not NaN), as a mask: -1 if so, else 0. A node without
   state ANDs it over what it writes, from -1, in the same loop (that still
   vectorises: a mask, a compare and an AND per vector), calls
   st_bound_block() in the rare case the result is 0, and is ST_NODE_BOUNDED:
   the engine's guard then spares its own pass over the output. */
static inline int32_t
st_fits(float x)
{
  return -(int32_t)(fabsf(x) <= ST_SIGNAL_LIMIT);
}

/* st_sane() of every sample, in place: the repair after st_fits() failed. */
static inline void
st_bound_block(float* x, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    x[i] = st_sane(x[i]);
  }
}

/* st_sane() over a block, in a loop that vectorises: for nodes that keep
   their input in a recursive state or a memory. */
static inline void
st_sane_block(float* restrict dst, const float* restrict src, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    dst[i] = st_sane(src[i]);
  }
}

/* One value over a block, in a loop that vectorises. */
static inline void
st_fill(float* restrict dst, float value, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    dst[i] = value;
  }
}

/* The next `frames` values of a parameter: a fill when it has settled, else
   st_param_next() sample by sample. */
static inline void
st_param_block(StParam* p, float* restrict dst, uint32_t frames)
{
  if (st_param_settled(p)) {
    st_fill(dst, p->value, frames);
  } else {
    for (uint32_t i = 0; i < frames; ++i) {
      dst[i] = st_param_next(p);
    }
  }
}

/* Moves a parameter on by `frames` samples whose values are not needed. */
static inline void
st_param_skip(StParam* p, uint32_t frames)
{
  for (uint32_t i = 0; i < frames && !st_param_settled(p); ++i) {
    (void)st_param_next(p);
  }
}

/* Index of the first nonzero flag at or after i, or n: whole zero words of
   eight flags are skipped at once. `flags` holds a multiple of 8 bytes, those
   from n to the next multiple of 8 zero. Flags are few (edges, gate events),
   so this beats testing them one by one. */
static inline uint32_t
st_next_flag(const uint8_t* flags, uint32_t i, uint32_t n)
{
  while (i < n) {
    if ((i & 7u) == 0) {
      uint64_t word;
      memcpy(&word, flags + i, sizeof(word));
      if (!word) {
        i += 8;
        continue;
      }
    }
    if (flags[i]) {
      return i;
    }
    ++i;
  }
  return n;
}

/* True on a rising edge through zero (trigger and sync inputs). A NaN reads
   as 0 (not above zero), so one does not hide the next edge. */
static inline bool
st_rising(float prev, float cur)
{
  return !(prev > 0.0f) && cur > 0.0f;
}

/* The index of a choice parameter, kept inside 0..count-1. */
static inline int
st_choice(const StParam* p, int count)
{
  const int i = (int)(p->value + 0.5f);
  return i < 0 ? 0 : (i >= count ? count - 1 : i);
}

/* Frequency scaled by 2^octaves; the exponent is clamped so that a wild
   modulation input cannot produce infinity, and a NaN counts as 0. */
static inline float
st_octaves(float hz, float octaves)
{
  return !(octaves > 0.0f || octaves < 0.0f) ? hz
                                             : hz * exp2f(st_clampf(octaves, -24.0f, 24.0f));
}

/* (1 - mix) dry + mix wet: exactly the wet signal when fully wet, which
   dry + mix (wet - dry) is not (wet - dry rounds). */
static inline float
st_dry_wet(float dry, float wet, float mix)
{
  return (1.0f - mix) * dry + mix * wet;
}

/* Next state of a 32-bit xorshift generator (never zero from a nonzero seed). */
static inline uint32_t
st_xorshift(uint32_t* s)
{
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* Uniform random value in -1..1. */
static inline float
st_random(uint32_t* s)
{
  return (float)((int32_t)st_xorshift(s)) * (1.0f / 2147483648.0f);
}

/* One-pole coefficient that covers 63 % of a step in `seconds`. */
static inline float
st_pole(float seconds, float rate)
{
  return seconds > 0.0f ? 1.0f - expf(-1.0f / (seconds * rate)) : 1.0f;
}

#endif
