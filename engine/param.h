/* SPDX-License-Identifier: ISC */
/* A node parameter: a target set by the control side and a value that
   follows it sample by sample, so that jumps never click. */
#ifndef ST_PARAM_H
#define ST_PARAM_H

#include <math.h>
#include <stdbool.h>

typedef struct {
  float value;   ///< Current smoothed value, read by process()
  float target;  ///< Value the control side asked for
  float coef;    ///< One-pole coefficient per sample; 1 = jump at once
} StParam;

/* Sets up a parameter at `value` with a smoothing time constant in seconds. */
void st_param_init(StParam* p, float value, float seconds, float rate);

/* Sets a new target; `snap` jumps there at once (used at creation). */
void st_param_set(StParam* p, float target, bool snap);

/* True when the value has reached its target, so a block can use it as a constant. */
static inline bool
st_param_settled(const StParam* p)
{
  return p->value == p->target;
}

/* Advances one sample and returns the new value. The last step lands exactly
   on the target so a settled parameter costs nothing and never goes subnormal. */
static inline float
st_param_next(StParam* p)
{
  const float d = p->target - p->value;
  float       v = p->value + d * p->coef;
  const float close = 1e-6f * (1.0f + (p->target < 0 ? -p->target : p->target));
  if (d < close && d > -close) {
    v = p->target;
  } else if (v == p->value) {
    // The step fell below float resolution: creep one ulp at a time so the
    // value still lands (and settles) instead of stalling short of the target.
    v = nextafterf(v, p->target);
  }
  p->value = v;
  return v;
}

#endif
