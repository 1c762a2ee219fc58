#include "guard.h"

#include <math.h>
#include <string.h>

/* True when every sample is within the limit (false for NaN too). Written so
   that it vectorises: no early exit. */
static bool
all_sane(const float* x, uint32_t frames)
{
  int ok = 1;
  for (uint32_t i = 0; i < frames; ++i) {
    ok &= fabsf(x[i]) <= ST_SIGNAL_LIMIT;
  }
  return ok;
}

/* Repairs a block that failed all_sane(); true when a sample was not finite. */
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
st_guard_process(const StNodeType* type, void* state, const float* created, const StProcess* p)
{
  if (!type->process) {
    return ST_GUARD_CLEAN;
  }
  type->process(state, p);
  StGuard result = ST_GUARD_CLEAN;
  for (uint32_t o = 0; o < type->n_outputs; ++o) {
    if (!all_sane(p->out[o], p->frames)) {
      result = repair(p->out[o], p->frames) ? ST_GUARD_RESET
                                            : (result == ST_GUARD_RESET ? result : ST_GUARD_CLAMPED);
    }
  }
  if (result == ST_GUARD_RESET) {
    reset(type, state, created, p->rate);
  }
  return result;
}
