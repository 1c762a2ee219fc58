/* SPDX-License-Identifier: ISC */
/* Generational arena of node slots. A handle is (index, generation); removing
   a slot bumps its generation, so a stale handle is recognised and refused,
   never dereferenced. Add and remove are O(1); capacity is fixed at creation. */
#ifndef ST_ARENA_H
#define ST_ARENA_H

#include "status.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint32_t index;       ///< Slot index, below the arena capacity
  uint32_t generation;  ///< Generation the slot had when the handle was made; never 0
} StHandle;

/* The handle of no node: never valid in any arena. */
#define ST_HANDLE_NONE ((StHandle){UINT32_MAX, 0})

typedef struct {
  uint32_t  capacity;    ///< Number of slots
  uint32_t  count;       ///< Live slots
  uint32_t  free_head;   ///< First free slot, or UINT32_MAX when full
  uint32_t* generation;  ///< Per slot: current generation (odd = live)
  uint32_t* next_free;   ///< Per free slot: the next free slot
} StArena;

/* Allocates the arena's tables (control side). */
StStatus st_arena_init(StArena* arena, uint32_t capacity);
void     st_arena_destroy(StArena* arena);

/* Empties `arena`, keeping each slot's generation past every one `prev` (of
   the same capacity) has issued, so that no handle of `prev` is valid here:
   a patch that replaces another never answers to the old patch's handles. */
void st_arena_renew(StArena* arena, const StArena* prev);

/* Copies the state of `src` into `dst`, which has the same capacity. */
void st_arena_copy(StArena* dst, const StArena* src);

/* Takes a free slot (the most recently freed first); ST_ERR_FULL when none. */
StStatus st_arena_alloc(StArena* arena, StHandle* handle);

/* The handle the next st_arena_alloc() will return, without taking it;
   ST_ERR_FULL when none. */
StStatus st_arena_peek(const StArena* arena, StHandle* handle);

/* Makes slot `handle.index` live with `handle.generation` (odd) without
   touching the free list: for building a graph whose handles must equal
   another's. st_arena_share_free() must follow before the next alloc. */
void st_arena_take(StArena* arena, StHandle handle);

/* Gives `dst` (at least as big) the free list of `src`: the same free
   slots in the same order, so that both hand out the same handles from now
   on. Slots of `dst` beyond `src`'s capacity must be live. */
void st_arena_share_free(StArena* dst, const StArena* src);

/* Frees the slot of a live handle; ST_ERR_STALE for any other handle. */
StStatus st_arena_release(StArena* arena, StHandle handle);

/* True when `handle` names a live slot of this arena. */
bool st_arena_valid(const StArena* arena, StHandle handle);

/* True when slot `index` is live, and the handle it has now. */
bool     st_arena_live(const StArena* arena, uint32_t index);
StHandle st_arena_handle(const StArena* arena, uint32_t index);

#endif
