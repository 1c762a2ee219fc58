/* SPDX-License-Identifier: ISC */
/* Patch equality: what the text format preserves, nothing else (not slot
   generations, free slots, smoothing state or plans). */
#include "patch.h"

#include <stdlib.h>
#include <string.h>

static bool
same_bits(float a, float b)
{
  return !memcmp(&a, &b, sizeof(float));
}

/* `to_b[i]`: the slot of b at the same position in index order as live slot i of a. */
static bool
pair_nodes(const StGraph* a, const StGraph* b, uint32_t* to_b)
{
  uint32_t j = 0;
  for (uint32_t i = 0; i < a->arena.capacity; ++i) {
    to_b[i] = ST_NO_NODE;
    if (!st_arena_live(&a->arena, i)) {
      continue;
    }
    while (j < b->arena.capacity && !st_arena_live(&b->arena, j)) {
      ++j;
    }
    if (j == b->arena.capacity) {
      return false;
    }
    to_b[i] = j++;
  }
  return true;
}

static bool
same_source(const uint32_t* to_b, StSource a, StSource b)
{
  return a.node == ST_NO_NODE ? b.node == ST_NO_NODE
                              : to_b[a.node] == b.node && a.port == b.port;
}

static bool
same_node(const StNodeSlot* a, const StNodeSlot* b, const uint32_t* to_b)
{
  if (a->type != b->type || strcmp(a->name, b->name) || a->placed != b->placed) {
    return false;
  }
  if (a->placed && !(same_bits(a->x, b->x) && same_bits(a->y, b->y))) {
    return false;
  }
  for (uint32_t p = 0; p < a->type->n_params; ++p) {
    if (!same_bits(a->params[p].target, b->params[p].target)) {
      return false;
    }
  }
  for (uint32_t i = 0; i < a->type->n_inputs; ++i) {
    if (!same_source(to_b, a->src[i], b->src[i])) {
      return false;
    }
  }
  return true;
}

static bool
same_map(const StMacroMap* a, const StMacroMap* b, const uint32_t* to_b)
{
  return a->slot == b->slot && to_b[a->node.index] == b->node.index && a->param == b->param &&
         same_bits(a->min, b->min) && same_bits(a->max, b->max) && a->curve == b->curve &&
         !strcmp(a->label, b->label);
}

static bool
same_patch(const StGraph* a, const StGraph* b, const uint32_t* to_b)
{
  for (uint32_t i = 0; i < a->arena.capacity; ++i) {
    if (st_arena_live(&a->arena, i) && !same_node(&a->slots[i], &b->slots[to_b[i]], to_b)) {
      return false;
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    if (!same_source(to_b, a->taps[c], b->taps[c])) {
      return false;
    }
  }
  for (uint32_t m = 0; m < a->n_maps; ++m) {
    if (!same_map(&a->maps[m], &b->maps[m], to_b)) {
      return false;
    }
  }
  return true;
}

bool
st_patch_equal(const StGraph* a, const StGraph* b)
{
  if (st_graph_count(a) != st_graph_count(b) || a->n_maps != b->n_maps ||
      strcmp(a->name, b->name)) {
    return false;
  }
  uint32_t* to_b = malloc(a->arena.capacity * sizeof(uint32_t));
  const bool same = to_b && pair_nodes(a, b, to_b) && same_patch(a, b, to_b);
  free(to_b);
  return same;
}
