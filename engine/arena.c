/* SPDX-License-Identifier: ISC */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

StStatus
st_arena_init(StArena* arena, uint32_t capacity)
{
  memset(arena, 0, sizeof(*arena));
  if (capacity == 0 || capacity == UINT32_MAX) {
    return ST_ERR_BAD_ARG;
  }
  arena->generation = calloc(capacity, sizeof(uint32_t));
  arena->next_free  = calloc(capacity, sizeof(uint32_t));
  if (!arena->generation || !arena->next_free) {
    st_arena_destroy(arena);
    return ST_ERR_NO_MEMORY;
  }
  arena->capacity = capacity;
  // Free list in index order so a new arena hands out 0, 1, 2...
  for (uint32_t i = 0; i < capacity; ++i) {
    arena->next_free[i] = (i + 1 < capacity) ? i + 1 : UINT32_MAX;
  }
  arena->free_head = 0;
  return ST_OK;
}

void
st_arena_destroy(StArena* arena)
{
  free(arena->generation);
  free(arena->next_free);
  memset(arena, 0, sizeof(*arena));
}

void
st_arena_renew(StArena* arena, const StArena* prev)
{
  for (uint32_t i = 0; i < arena->capacity; ++i) {
    // Live (odd) generations step to the next free (even) one.
    arena->generation[i] = (prev->generation[i] + 1u) & ~1u;
    arena->next_free[i]  = (i + 1 < arena->capacity) ? i + 1 : UINT32_MAX;
  }
  arena->free_head = 0;
  arena->count     = 0;
}

void
st_arena_copy(StArena* dst, const StArena* src)
{
  dst->count     = src->count;
  dst->free_head = src->free_head;
  memcpy(dst->generation, src->generation, src->capacity * sizeof(uint32_t));
  memcpy(dst->next_free, src->next_free, src->capacity * sizeof(uint32_t));
}

StStatus
st_arena_alloc(StArena* arena, StHandle* handle)
{
  const uint32_t index = arena->free_head;
  if (index == UINT32_MAX) {
    return ST_ERR_FULL;
  }
  arena->free_head = arena->next_free[index];
  // Even -> odd marks the slot live; generations start at 1 so {0, 0} is never valid.
  arena->generation[index] += 1;
  arena->count += 1;
  *handle = (StHandle){index, arena->generation[index]};
  return ST_OK;
}

StStatus
st_arena_peek(const StArena* arena, StHandle* handle)
{
  const uint32_t index = arena->free_head;
  if (index == UINT32_MAX) {
    return ST_ERR_FULL;
  }
  *handle = (StHandle){index, arena->generation[index] + 1};
  return ST_OK;
}

void
st_arena_take(StArena* arena, StHandle handle)
{
  arena->count += !(arena->generation[handle.index] & 1u);
  arena->generation[handle.index] = handle.generation;
}

void
st_arena_share_free(StArena* dst, const StArena* src)
{
  dst->free_head = src->free_head;
  memcpy(dst->next_free, src->next_free, src->capacity * sizeof(uint32_t));
}

StStatus
st_arena_release(StArena* arena, StHandle handle)
{
  if (!st_arena_valid(arena, handle)) {
    return ST_ERR_STALE;
  }
  // Odd -> even: every handle to this slot is now stale.
  arena->generation[handle.index] += 1;
  arena->next_free[handle.index] = arena->free_head;
  arena->free_head               = handle.index;
  arena->count -= 1;
  return ST_OK;
}

bool
st_arena_valid(const StArena* arena, StHandle handle)
{
  return handle.index < arena->capacity && (handle.generation & 1u) &&
         arena->generation[handle.index] == handle.generation;
}

bool
st_arena_live(const StArena* arena, uint32_t index)
{
  return index < arena->capacity && (arena->generation[index] & 1u);
}

StHandle
st_arena_handle(const StArena* arena, uint32_t index)
{
  return st_arena_live(arena, index) ? (StHandle){index, arena->generation[index]}
                                     : ST_HANDLE_NONE;
}
