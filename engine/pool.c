/* SPDX-License-Identifier: ISC */
#include "pool.h"

#include "pages.h"

#include <stdlib.h>
#include <string.h>

/* Zeroed samples, every page mapped now (control side): the audio thread
   never faults on them. Pages are aligned beyond ST_POOL_ALIGN. */
static float*
alloc_samples(size_t buffers)
{
  return st_pages_alloc_mapped(buffers * ST_BLOCK * sizeof(float));
}

StStatus
st_pool_init(StPool* pool, uint32_t count, bool with_data)
{
  memset(pool, 0, sizeof(*pool));
  if (count == 0) {
    return ST_ERR_BAD_ARG;
  }
  pool->free_ids = calloc(count, sizeof(uint32_t));
  if (!pool->free_ids) {
    return ST_ERR_NO_MEMORY;
  }
  memset(pool->free_ids, 0, count * sizeof(uint32_t)); // fault in now (control side)
  pool->count = count;
  if (with_data) {
    pool->data  = alloc_samples(count);
    pool->zeros = alloc_samples(1);
    if (!pool->data || !pool->zeros) {
      st_pool_destroy(pool);
      return ST_ERR_NO_MEMORY;
    }
  }
  return ST_OK;
}

void
st_pool_destroy(StPool* pool)
{
  free(pool->free_ids);
  st_pages_free(pool->data, (size_t)pool->count * ST_BLOCK * sizeof(float));
  st_pages_free(pool->zeros, ST_BLOCK * sizeof(float));
  memset(pool, 0, sizeof(*pool));
}

void
st_pool_reset(StPool* pool)
{
  pool->n_free   = 0;
  pool->next_new = 0;
}

StStatus
st_pool_take(StPool* pool, uint32_t* id)
{
  if (pool->n_free > 0) {
    *id = pool->free_ids[--pool->n_free];
    return ST_OK;
  }
  if (pool->next_new < pool->count) {
    *id = pool->next_new++;
    return ST_OK;
  }
  return ST_ERR_POOL;
}

void
st_pool_give(StPool* pool, uint32_t id)
{
  pool->free_ids[pool->n_free++] = id;
}
