/* SPDX-License-Identifier: ISC */
/* The guard around every node's process(): what a node hands on is always
   finite and within +-ST_SIGNAL_LIMIT, and a node whose state went bad
   (NaN or infinity from a wild input or an overflow) starts afresh.

   It costs one vectorised pass over each output of a sub-block, reading what
   the node just wrote (none for ST_NODE_BOUNDED types, whose outputs are
   sane by construction); the repair runs only when that finds a bad sample. A
   reset zeroes the state and runs the type's init() with the node's
   creation values: no allocation, bounded time. */
#ifndef ST_GUARD_H
#define ST_GUARD_H

#include "node.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
  ST_GUARD_CLEAN,   ///< Every output sample was finite and within the limit
  ST_GUARD_CLAMPED, ///< Finite samples beyond the limit were clamped to it
  ST_GUARD_RESET,   ///< A sample was not finite (now st_sane() of it): state reset
} StGuard;

/* Repairs the outputs of a sub-block that failed the check below and resets
   the node when one was not finite. */
StGuard st_guard_repair(const StNodeType* type, void* state, const float* created,
                        const StProcess* p);

/* True when every sample is within the limit (false for NaN too). Written so
   that it vectorises: no early exit. */
static inline bool
st_guard_check(const float* x, uint32_t frames)
{
  int ok = 1;
  for (uint32_t i = 0; i < frames; ++i) {
    ok &= fabsf(x[i]) <= ST_SIGNAL_LIMIT;
  }
  return ok;
}

/* Runs one sub-block of a node of `type` and checks its outputs: false when
   they need st_guard_repair(). */
static inline bool
st_guard_run(const StNodeType* type, void* state, const StProcess* p)
{
  if (!type->process) {
    return true;
  }
  type->process(state, p);
  if (type->flags & ST_NODE_BOUNDED) {
    return true;
  }
  bool ok = true;
  for (uint32_t o = 0; o < type->n_outputs; ++o) {
    ok &= st_guard_check(p->out[o], p->frames);
  }
  return ok;
}

/* Runs one sub-block of a node of `type` and guards its outputs. `created`
   holds the values its parameters had at creation (what init() was given). */
static inline StGuard
st_guard_process(const StNodeType* type, void* state, const float* created, const StProcess* p)
{
  return st_guard_run(type, state, p) ? ST_GUARD_CLEAN : st_guard_repair(type, state, created, p);
}

#endif
