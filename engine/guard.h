/* The guard around every node's process(): what a node hands on is always
   finite and within +-ST_SIGNAL_LIMIT, and a node whose state went bad
   (NaN or infinity from a wild input or an overflow) starts afresh.

   It costs one vectorised pass over each output of a sub-block, reading what
   the node just wrote; the rare repair pass runs only when that finds a bad
   sample. A reset zeroes the state and runs the type's init() with the
   node's creation values: no allocation, bounded time. */
#ifndef ST_GUARD_H
#define ST_GUARD_H

#include "node.h"

#include <stdbool.h>

typedef enum {
  ST_GUARD_CLEAN,   ///< Every output sample was finite and within the limit
  ST_GUARD_CLAMPED, ///< Finite samples beyond the limit were clamped to it
  ST_GUARD_RESET,   ///< A sample was not finite: zeroed (NaN) or clamped (infinity), state reset
} StGuard;

/* Runs one sub-block of a node of `type` and guards its outputs. `created`
   holds the values its parameters had at creation (what init() was given). */
StGuard st_guard_process(const StNodeType* type, void* state, const float* created,
                         const StProcess* p);

#endif
