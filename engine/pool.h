/* SPDX-License-Identifier: ISC */
/* Buffer pool: every audio buffer a graph may use, allocated at once on the
   control side, aligned for SIMD. The planner hands buffers out to node
   outputs and takes them back once their last reader has run, so a long
   chain reuses a few hot buffers instead of touching one per node. */
#ifndef ST_POOL_H
#define ST_POOL_H

#include "st_config.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_POOL_ALIGN 64 ///< Byte alignment of every buffer

typedef struct {
  float*    data;       ///< count * ST_BLOCK samples, or NULL for a model
  float*    zeros;      ///< One buffer of silence read by unlinked inputs
  uint32_t  count;      ///< Buffers in the pool
  uint32_t* free_ids;   ///< Stack of free buffer ids (the last freed on top)
  uint32_t  n_free;     ///< Entries on the stack
  uint32_t  next_new;   ///< Buffers never handed out yet start here
} StPool;

/* Allocates the pool's bookkeeping, and its samples when `with_data`. */
StStatus st_pool_init(StPool* pool, uint32_t count, bool with_data);
void     st_pool_destroy(StPool* pool);

/* Starts a new plan: every buffer free again. */
void st_pool_reset(StPool* pool);

/* Takes a free buffer, the most recently freed first; ST_ERR_POOL when none. */
StStatus st_pool_take(StPool* pool, uint32_t* id);

/* Gives a buffer back. */
void st_pool_give(StPool* pool, uint32_t id);

/* Buffers handed out at least once since the reset: the plan's peak use. */
static inline uint32_t
st_pool_peak(const StPool* pool)
{
  return pool->next_new;
}

/* The samples of buffer `id` (pools with data only). */
static inline float*
st_pool_buffer(const StPool* pool, uint32_t id)
{
  return pool->data + (size_t)id * ST_BLOCK;
}

#endif
