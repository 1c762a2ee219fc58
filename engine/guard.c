/* SPDX-License-Identifier: ISC */
#include "guard.h"

#include <math.h>
#include <string.h>

/* Repairs one output; true when a sample was not finite. */
static bool
repair(float* x, uint32_t frames)
{
  bool broken = false;
  for (uint32_t i = 0; i < frames; ++i) {
    broken |= !isfinite(x[i]);
    x[i] = st_sane(x[i]);
  }
  return broken;
}

static void
reset(const StNodeType* type, void* state, const float* created, float rate)
{
  if (type->state_size) {
    memset(state, 0, type->state_size(created, rate));
  }
  if (type->init) {
    type->init(state, created, rate);
  }
}

StGuard
st_guard_repair(const StNodeType* type, void* state, const float* created, const StProcess* p)
{
  bool broken = false;
  for (uint32_t o = 0; o < type->n_outputs; ++o) {
    if (!st_guard_check(p->out[o], p->frames)) {
      broken |= repair(p->out[o], p->frames);
    }
  }
  if (!broken) {
    return ST_GUARD_CLAMPED;
  }
  reset(type, state, created, p->rate);
  return ST_GUARD_RESET;
}
