/* SPDX-License-Identifier: ISC */
/* Patch equality: what the text format preserves, nothing else (not slot
   generations, free slots, smoothing state or plans). Two patches' sub-patch
   types are different pointers: they are the same type when their
   definitions are equal, so types are compared by name and kind once the
   libraries compared equal. */
#include "patch.h"

#include "library.h"

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
same_type(const StNodeType* a, const StNodeType* b)
{
  const uint32_t kinds = ST_NODE_SUBPATCH | ST_NODE_GROUP;
  return a == b || ((a->flags & kinds) && (a->flags & kinds) == (b->flags & kinds) &&
                    !strcmp(a->name, b->name));
}

static bool
same_node(const StNodeSlot* a, const StNodeSlot* b, const uint32_t* to_b)
{
  if (!same_type(a->type, b->type) || strcmp(a->name, b->name) || a->placed != b->placed) {
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

/* The graphs' nodes paired in index order into `to_b` (capacity of a), and
   everything but the library equal. */
static bool
same_graph(const StGraph* a, const StGraph* b, uint32_t* to_b)
{
  return st_graph_count(a) == st_graph_count(b) && a->n_maps == b->n_maps &&
         !strcmp(a->name, b->name) && pair_nodes(a, b, to_b) && same_patch(a, b, to_b);
}

static bool
same_names(const char (*a)[ST_NAME_MAX], const char (*b)[ST_NAME_MAX], uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (strcmp(a[i], b[i])) {
      return false;
    }
  }
  return true;
}

/* Inlet links, outlet sources and exposed parameters, bodies paired by `to_b`. */
static bool
same_interface(const StSubpatch* a, const StSubpatch* b, const uint32_t* to_b)
{
  for (uint32_t o = 0; o < a->n_outlets; ++o) {
    if (!same_source(to_b, a->outlet_src[o], b->outlet_src[o])) {
      return false;
    }
  }
  for (uint32_t k = 0; k < a->n_inlet_links; ++k) {
    const StInletLink *x = &a->inlet_links[k], *y = &b->inlet_links[k];
    if (x->inlet != y->inlet || to_b[x->node] != y->node || x->input != y->input) {
      return false;
    }
  }
  for (uint32_t e = 0; e < a->n_exposed; ++e) {
    const StExposed *x = &a->exposed[e], *y = &b->exposed[e];
    if (strcmp(x->name, y->name) || to_b[x->node] != y->node || x->param != y->param) {
      return false;
    }
  }
  return true;
}

static bool
same_def(const StSubpatch* a, const StSubpatch* b)
{
  if (strcmp(a->name, b->name) || a->n_inlets != b->n_inlets || a->n_outlets != b->n_outlets ||
      a->n_inlet_links != b->n_inlet_links || a->n_exposed != b->n_exposed ||
      !same_names(a->inlets, b->inlets, a->n_inlets) ||
      !same_names(a->outlets, b->outlets, a->n_outlets)) {
    return false;
  }
  uint32_t*  to_b = malloc(a->body->arena.capacity * sizeof(uint32_t));
  const bool same = to_b && same_graph(a->body, b->body, to_b) && same_interface(a, b, to_b);
  free(to_b);
  return same;
}

static bool
same_library(const StLibrary* a, const StLibrary* b)
{
  const uint32_t count = a ? a->count : 0;
  if (count != (b ? b->count : 0)) {
    return false;
  }
  for (uint32_t d = 0; d < count; ++d) {
    if (!same_def(a->defs[d], b->defs[d])) {
      return false;
    }
  }
  return true;
}

bool
st_patch_equal(const StGraph* a, const StGraph* b)
{
  if (!same_library(a->library, b->library)) {
    return false;
  }
  uint32_t* to_b = malloc(a->arena.capacity * sizeof(uint32_t));
  const bool same = to_b && same_graph(a, b, to_b);
  free(to_b);
  return same;
}
