/* SPDX-License-Identifier: ISC */
#include "name_index.h"

#include "pages.h"

#include <stdbool.h>
#include <string.h>

static uint32_t
hash(const char* name)
{
  uint32_t h = 2166136261u; // FNV-1a
  for (const unsigned char* c = (const unsigned char*)name; *c; ++c) {
    h = (h ^ *c) * 16777619u;
  }
  return h;
}

static size_t
table_bytes(const StNameIndex* index)
{
  return ((size_t)index->mask + 1) * sizeof(uint32_t);
}

int
st_name_index_init(StNameIndex* index, uint32_t slots, StNameOf name_of, const void* owner)
{
  uint32_t size = 16;
  while (size < 2 * (uint64_t)slots && size < (1u << 31)) {
    size *= 2;
  }
  *index = (StNameIndex){.mask = size - 1, .name_of = name_of, .owner = owner};
  index->entries = st_pages_alloc(table_bytes(index));
  return index->entries ? 0 : -1;
}

void
st_name_index_destroy(StNameIndex* index)
{
  if (index->entries) {
    st_pages_free(index->entries, table_bytes(index));
  }
  index->entries = NULL;
}

void
st_name_index_clear(StNameIndex* index)
{
  memset(index->entries, 0, table_bytes(index));
}

void
st_name_index_copy(StNameIndex* dst, const StNameIndex* src)
{
  memcpy(dst->entries, src->entries, table_bytes(src));
}

void
st_name_index_insert(StNameIndex* index, uint32_t slot)
{
  uint32_t at = hash(index->name_of(index->owner, slot)) & index->mask;
  while (index->entries[at]) {
    at = (at + 1) & index->mask;
  }
  index->entries[at] = slot + 1;
}

/* The entry holding `name`, or the empty entry where its probe ends. */
static uint32_t
probe(const StNameIndex* index, const char* name)
{
  uint32_t at = hash(name) & index->mask;
  while (index->entries[at] &&
         strcmp(index->name_of(index->owner, index->entries[at] - 1), name)) {
    at = (at + 1) & index->mask;
  }
  return at;
}

void
st_name_index_remove(StNameIndex* index, uint32_t slot)
{
  uint32_t hole = probe(index, index->name_of(index->owner, slot));
  if (!index->entries[hole]) {
    return;
  }
  index->entries[hole] = 0;
  // Move back every later entry of the run that its home no longer reaches.
  for (uint32_t at = (hole + 1) & index->mask; index->entries[at]; at = (at + 1) & index->mask) {
    const uint32_t home =
      hash(index->name_of(index->owner, index->entries[at] - 1)) & index->mask;
    // The entry may move to the hole when home is not cyclically within (hole, at].
    const bool stays = hole <= at ? (hole < home && home <= at) : (hole < home || home <= at);
    if (!stays) {
      index->entries[hole] = index->entries[at];
      index->entries[at]   = 0;
      hole                 = at;
    }
  }
}

uint32_t
st_name_index_find(const StNameIndex* index, const char* name)
{
  const uint32_t entry = index->entries[probe(index, name)];
  return entry ? entry - 1 : UINT32_MAX;
}
