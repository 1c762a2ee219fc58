/* SPDX-License-Identifier: ISC */
/* A hash index from node names to slot indices, so that finding a node by
   name costs the same in a patch of 4 nodes as of 4000 (the parser looks up
   both ends of every link, and every add checks that its name is new).
   Open addressing with linear probing, at most half full, and deletion by
   moving later entries back, so no tombstones build up. The names live in
   the caller's slots: the index holds slot indices and asks for a slot's
   name through `name_of`. */
#ifndef ST_NAME_INDEX_H
#define ST_NAME_INDEX_H

#include <stdint.h>

typedef const char* (*StNameOf)(const void* owner, uint32_t slot);

typedef struct {
  uint32_t* entries; ///< Slot index + 1, or 0 for an empty entry
  uint32_t  mask;    ///< Entries - 1 (a power of two, at least twice the slots)
  StNameOf  name_of; ///< The name of a slot
  const void* owner; ///< What name_of reads
} StNameIndex;

/* An empty index for `slots` slots; nonzero when out of memory. */
int  st_name_index_init(StNameIndex* index, uint32_t slots, StNameOf name_of,
                        const void* owner);
void st_name_index_destroy(StNameIndex* index);

/* Forgets every entry. */
void st_name_index_clear(StNameIndex* index);

/* Makes `dst` hold the entries of `src`, an index of the same size whose
   owner has the same names in the same slots. */
void st_name_index_copy(StNameIndex* dst, const StNameIndex* src);

/* Adds `slot` under its current name (not already in the index). */
void st_name_index_insert(StNameIndex* index, uint32_t slot);

/* Removes `slot`, found under its current name; nothing when absent. */
void st_name_index_remove(StNameIndex* index, uint32_t slot);

/* The slot named `name`, or UINT32_MAX. */
uint32_t st_name_index_find(const StNameIndex* index, const char* name);

#endif
