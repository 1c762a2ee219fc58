/* SPDX-License-Identifier: ISC */
#include "graph.h"

#include "library.h"
#include "pages.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#ifdef __GNUC__
__attribute__((format(printf, 3, 4)))
#endif
static StStatus
fail(StGraph* graph, StStatus status, const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  vsnprintf(graph->error, sizeof(graph->error), fmt, args);
  va_end(args);
  return status;
}

static void
clear_slot(StNodeSlot* slot)
{
  memset(slot, 0, sizeof(*slot));
  for (uint32_t i = 0; i < ST_MAX_INPUTS; ++i) {
    slot->src[i].node = ST_NO_NODE;
  }
  slot->group = ST_NO_NODE;
}

static const char*
slot_name(const void* graph, uint32_t slot)
{
  return ((const StGraph*)graph)->slots[slot].name;
}

static StGraph*
graph_alloc(uint32_t capacity, uint32_t pool_buffers, float rate, bool with_data)
{
  StGraph* graph = calloc(1, sizeof(StGraph));
  if (!graph) {
    return NULL;
  }
  // Slots are cleared when a node takes them, so the zeroed pages of slots
  // never used stay unmapped; likewise the store's pages beyond what nodes use.
  graph->store_size = with_data ? 0 : capacity * ST_MAX_PARAMS;
  if (st_arena_init(&graph->arena, capacity) ||
      !(graph->slots = st_pages_alloc(capacity * sizeof(StNodeSlot))) ||
      (!with_data && !(graph->store = st_pages_alloc(graph->store_size * sizeof(StParam)))) ||
      (!with_data && st_name_index_init(&graph->names, capacity, slot_name, graph)) ||
      st_plan_init(&graph->plan, capacity, pool_buffers, with_data)) {
    st_graph_free(graph);
    return NULL;
  }
  graph->rate    = rate;
  graph->taps[0] = graph->taps[1] = (StSource){ST_NO_NODE, 0};
  graph->dirty   = true;
  return graph;
}

StGraph*
st_graph_new(uint32_t capacity, uint32_t pool_buffers, float rate)
{
  return graph_alloc(capacity, pool_buffers, rate, false);
}

void
st_graph_free(StGraph* graph)
{
  if (!graph) {
    return;
  }
  for (uint32_t i = 0; graph->slots && i < graph->span; ++i) { // None beyond the span.
    if (graph->slots[i].state) {
      st_graph_state_free(graph->slots[i].state);
    }
  }
  st_library_unref(graph->library);
  st_pages_free(graph->slots, graph->arena.capacity * sizeof(StNodeSlot));
  st_pages_free(graph->store, graph->store_size * sizeof(StParam));
  st_name_index_destroy(&graph->names);
  st_arena_destroy(&graph->arena);
  st_plan_destroy(&graph->plan);
  free(graph);
}

/* n parameters at the end of a model's store (the caller made room). */
static StParam*
store_take(StGraph* graph, uint32_t n)
{
  StParam* params = graph->store + graph->store_used;
  graph->store_used += n;
  return params;
}

/* Copies the live slots' parameters of `src` into `dst`'s store, packed. */
static void
store_fill(StGraph* dst, const StGraph* src)
{
  dst->store_used = 0;
  for (uint32_t i = 0; i < src->span; ++i) {
    if (st_arena_live(&src->arena, i)) {
      const uint32_t n    = src->slots[i].type->n_params;
      const StParam* from = src->slots[i].params; // Read first: src may be dst.
      dst->slots[i].params = store_take(dst, n);
      memcpy(dst->slots[i].params, from, n * sizeof(StParam));
    }
  }
}

/* Makes room for n more parameters in a model's store, packing it when
   removed nodes left holes. */
static StStatus
store_reserve(StGraph* graph, uint32_t n)
{
  if (graph->store_used + n <= graph->store_size) {
    return ST_OK;
  }
  StParam* old = graph->store;
  if (!(graph->store = st_pages_alloc(graph->store_size * sizeof(StParam)))) {
    graph->store = old;
    return fail(graph, ST_ERR_NO_MEMORY, "out of memory for the parameters of a new node");
  }
  store_fill(graph, graph); // Reads each slot's old parameters before repointing it.
  st_pages_free(old, graph->store_size * sizeof(StParam));
  return ST_OK;
}

void
st_graph_copy(StGraph* dst, const StGraph* src)
{
  st_arena_copy(&dst->arena, &src->arena);
  // Slots past both spans are clear in both graphs: copy only what differs.
  const uint32_t span = src->span > dst->span ? src->span : dst->span;
  memcpy(dst->slots, src->slots, span * sizeof(StNodeSlot));
  dst->span = src->span;
  if (dst->store) {
    store_fill(dst, src);
    if (src->names.entries && src->names.mask == dst->names.mask) {
      st_name_index_copy(&dst->names, &src->names); // Same names in the same slots
    } else {
      st_name_index_clear(&dst->names);
      for (uint32_t i = 0; i < dst->span; ++i) {
        if (st_arena_live(&dst->arena, i)) {
          st_name_index_insert(&dst->names, i);
        }
      }
    }
  }
  if (dst->library != src->library) { // Shared: definitions never change once read.
    StLibrary* old = dst->library;
    dst->library   = st_library_ref(src->library);
    st_library_unref(old);
  }
  memcpy(dst->maps, src->maps, src->n_maps * sizeof(StMacroMap));
  dst->n_maps  = src->n_maps;
  dst->taps[0] = src->taps[0];
  dst->taps[1] = src->taps[1];
  dst->rate    = src->rate;
  memcpy(dst->name, src->name, sizeof(dst->name));
  dst->dirty   = true;
}

/* Bytes of a node's state block before its creation values: the header and
   the type's state, rounded up to 64; SIZE_MAX when too big. */
static size_t
state_part(const StNodeType* type, const float* params, float rate)
{
  const size_t size = type->state_size ? type->state_size(params, rate) : 0;
  if (size > SIZE_MAX / 2) {
    return SIZE_MAX;
  }
  return ST_STATE_OFFSET + ((size + 63) & ~(size_t)63);
}

size_t
st_graph_state_bytes(const StNodeType* type, const float* params, float rate)
{
  const size_t part = state_part(type, params, rate);
  if (part == SIZE_MAX) {
    return SIZE_MAX;
  }
  const size_t tail = type->n_params * (sizeof(float) + sizeof(StParam));
  return (part + tail + 63) & ~(size_t)63;
}

void
st_graph_targets(const StNodeSlot* slot, float* values)
{
  for (uint32_t p = 0; p < slot->type->n_params; ++p) {
    values[p] = slot->params[p].target;
  }
}

/* "1.9 GiB", "512 MiB", "3.5 KiB", "200 B". */
static void
format_bytes(char* text, size_t size, uint64_t bytes)
{
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double                   v       = (double)bytes;
  unsigned                 u       = 0;
  while (v >= 1024.0 && u + 1 < sizeof(units) / sizeof(units[0])) {
    v /= 1024.0;
    ++u;
  }
  snprintf(text, size, v == (double)(uint64_t)v ? "%.0f %s" : "%.1f %s", v, units[u]);
}

#define BUDGET_NAMED 3 ///< Consumers an over-budget message names

StStatus
st_graph_check_budget(StGraph* graph, uint64_t budget)
{
  uint64_t total = 0;
  uint32_t top[BUDGET_NAMED];
  uint64_t top_bytes[BUDGET_NAMED] = {0};
  uint32_t n_top = 0;
  for (uint32_t i = 0; i < graph->span; ++i) {
    if (!st_arena_live(&graph->arena, i)) {
      continue;
    }
    float values[ST_MAX_PARAMS];
    st_graph_targets(&graph->slots[i], values);
    const uint64_t bytes = st_graph_state_bytes(graph->slots[i].type, values, graph->rate);
    total                = bytes > UINT64_MAX - total ? UINT64_MAX : total + bytes;
    // Insertion into the short list of the largest, first come first kept on ties.
    uint32_t at = n_top;
    while (at > 0 && top_bytes[at - 1] < bytes) {
      --at;
    }
    if (at < BUDGET_NAMED) {
      const uint32_t last = n_top < BUDGET_NAMED ? n_top : BUDGET_NAMED - 1;
      for (uint32_t k = last; k > at; --k) {
        top[k]       = top[k - 1];
        top_bytes[k] = top_bytes[k - 1];
      }
      top[at]       = i;
      top_bytes[at] = bytes;
      n_top += n_top < BUDGET_NAMED;
    }
  }
  if (total <= budget) {
    return ST_OK;
  }
  char need[32], limit[32];
  format_bytes(need, sizeof(need), total);
  format_bytes(limit, sizeof(limit), budget);
  int len = snprintf(graph->error, sizeof(graph->error),
                     "patch needs %s of node state, over the %s budget:", need, limit);
  for (uint32_t k = 0; k < n_top && len > 0 && (size_t)len < sizeof(graph->error); ++k) {
    const StNodeSlot* slot = &graph->slots[top[k]];
    char              size[32];
    format_bytes(size, sizeof(size), top_bytes[k]);
    len += snprintf(graph->error + len, sizeof(graph->error) - (size_t)len, "%s %s (%s, %s)",
                    k ? "," : "", slot->name, slot->type->name, size);
  }
  const uint32_t rest = graph->arena.count - n_top;
  if (rest && len > 0 && (size_t)len < sizeof(graph->error)) {
    snprintf(graph->error + len, sizeof(graph->error) - (size_t)len, " and %u more", rest);
  }
  return ST_ERR_BUDGET;
}

void*
st_graph_state_new(const StNodeType* type, const float* params, const char* name, float rate)
{
  const size_t total = st_graph_state_bytes(type, params, rate);
  if (total == SIZE_MAX) {
    return NULL;
  }
  unsigned char* block = aligned_alloc(64, total);
  if (!block) {
    return NULL;
  }
  memset(block, 0, total);
  StNodeHeader*  header  = (StNodeHeader*)(void*)block;
  unsigned char* tail    = block + state_part(type, params, rate);
  float*         created = (float*)(void*)tail;
  header->created        = created;
  header->params = (StParam*)(void*)(tail + type->n_params * sizeof(float));
  memcpy(created, params, type->n_params * sizeof(float));
  for (uint32_t p = 0; p < type->n_params; ++p) {
    st_param_init(&header->params[p], params[p], type->params[p].smooth, rate);
  }
  snprintf(header->name, sizeof(header->name), "%s", name);
  void* state = block + ST_STATE_OFFSET;
  if (type->init) {
    type->init(state, params, rate);
  }
  return state;
}

void
st_graph_state_free(void* state)
{
  free((unsigned char*)state - ST_STATE_OFFSET);
}

StGraph*
st_graph_instantiate(StGraph* model)
{
  StGraph* graph = graph_alloc(model->arena.capacity, model->plan.pool.count, model->rate, true);
  if (!graph) {
    fail(model, ST_ERR_NO_MEMORY, "out of memory building the patch");
    return NULL;
  }
  st_graph_copy(graph, model);
  for (uint32_t i = 0; i < graph->span; ++i) {
    StNodeSlot* slot = &graph->slots[i];
    if (!st_arena_live(&graph->arena, i)) {
      continue;
    }
    float values[ST_MAX_PARAMS];
    st_graph_targets(slot, values);
    slot->params = NULL; // The model's: the running ones live in the state block.
    slot->state  = st_graph_state_new(slot->type, values, slot->name, graph->rate);
    if (!slot->state) {
      st_graph_free(graph);
      fail(model, ST_ERR_NO_MEMORY, "out of memory for the state of node '%s'", slot->name);
      return NULL;
    }
    slot->params = st_graph_state_header(slot->state)->params;
  }
  const StStatus st = st_graph_plan(graph);
  if (st) {
    fail(model, st, "%s", graph->error);
    st_graph_free(graph);
    return NULL;
  }
  return graph;
}

/* --- Lookups --- */

StHandle
st_graph_find(const StGraph* graph, const char* name)
{
  if (graph->names.entries) {
    const uint32_t i = st_name_index_find(&graph->names, name);
    return i != UINT32_MAX ? st_arena_handle(&graph->arena, i) : ST_HANDLE_NONE;
  }
  for (uint32_t i = 0; i < graph->span; ++i) {
    if (st_arena_live(&graph->arena, i) && !strcmp(graph->slots[i].name, name)) {
      return st_arena_handle(&graph->arena, i);
    }
  }
  return ST_HANDLE_NONE;
}

const StNodeSlot*
st_graph_node(const StGraph* graph, StHandle node)
{
  return st_arena_valid(&graph->arena, node) ? &graph->slots[node.index] : NULL;
}

uint32_t
st_graph_count(const StGraph* graph)
{
  return graph->arena.count;
}

uint32_t
st_graph_capacity(const StGraph* graph)
{
  return graph->arena.capacity;
}

const StNodeSlot*
st_graph_node_at(const StGraph* graph, uint32_t index)
{
  return index < graph->arena.capacity && st_arena_live(&graph->arena, index)
           ? &graph->slots[index]
           : NULL;
}

uint32_t
st_graph_map_count(const StGraph* graph)
{
  return graph->n_maps;
}

const StMacroMap*
st_graph_map_at(const StGraph* graph, uint32_t i)
{
  return i < graph->n_maps ? &graph->maps[i] : NULL;
}

StSource
st_graph_tap(const StGraph* graph, uint32_t channel)
{
  return channel < 2 ? graph->taps[channel] : (StSource){ST_NO_NODE, 0};
}

const char*
st_graph_error(const StGraph* graph)
{
  return graph->error;
}

/* --- Unchecked primitives --- */

/* Sets up slot `index`, just made live, for a node. */
static StNodeSlot*
occupy(StGraph* graph, uint32_t index, const StNodeType* type, const char* name,
       const float* params, void* state)
{
  StNodeSlot* slot = &graph->slots[index];
  clear_slot(slot);
  graph->span = index >= graph->span ? index + 1 : graph->span;
  slot->type  = type;
  slot->state = state;
  snprintf(slot->name, sizeof(slot->name), "%s", name);
  if (graph->store) { // A model: its store has room (st_graph_add made sure).
    st_name_index_insert(&graph->names, index);
    slot->params = store_take(graph, type->n_params);
    for (uint32_t p = 0; p < type->n_params; ++p) {
      st_param_init(&slot->params[p], params[p], type->params[p].smooth, graph->rate);
    }
  } else if (state) { // Running: set up from the creation values with the state.
    slot->params = st_graph_state_header(state)->params;
  }
  graph->dirty = true;
  return slot;
}

void
st_graph_apply_add(StGraph* graph, StHandle node, const StNodeType* type, const char* name,
                   const float* params, void* state)
{
  StHandle got;
  if (st_arena_alloc(&graph->arena, &got) || got.index != node.index ||
      got.generation != node.generation) {
    return; // Unreachable while the model and the running graph replay the same edits.
  }
  occupy(graph, node.index, type, name, params, state);
}

void
st_graph_apply_remove(StGraph* graph, StHandle node)
{
  if (st_arena_release(&graph->arena, node)) {
    return;
  }
  const uint32_t idx = node.index;
  for (uint32_t n = 0; n < graph->span; ++n) {
    if (!st_arena_live(&graph->arena, n)) {
      continue;
    }
    StNodeSlot* slot = &graph->slots[n];
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      if (slot->src[i].node == idx) {
        slot->src[i].node = ST_NO_NODE;
      }
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    if (graph->taps[c].node == idx) {
      graph->taps[c].node = ST_NO_NODE;
    }
  }
  uint32_t kept = 0;
  for (uint32_t m = 0; m < graph->n_maps; ++m) {
    if (graph->maps[m].node.index != idx) {
      graph->maps[kept++] = graph->maps[m];
    }
  }
  graph->n_maps = kept;
  if (graph->names.entries) {
    st_name_index_remove(&graph->names, idx);
  }
  clear_slot(&graph->slots[idx]);
  graph->dirty = true;
}

void
st_graph_apply_clear(StGraph* graph, void (*retire)(void* state, void* data), void* data)
{
  for (uint32_t n = 0; n < graph->span; ++n) {
    if (!st_arena_live(&graph->arena, n)) {
      continue;
    }
    if (retire && graph->slots[n].state) {
      retire(graph->slots[n].state, data);
    }
    st_arena_release(&graph->arena, st_arena_handle(&graph->arena, n));
    clear_slot(&graph->slots[n]);
  }
  graph->taps[0] = graph->taps[1] = (StSource){ST_NO_NODE, 0};
  graph->n_maps                   = 0;
  graph->name[0]                  = '\0';
  graph->store_used               = 0;
  if (graph->names.entries) {
    st_name_index_clear(&graph->names);
  }
  graph->dirty                    = true;
}

void
st_graph_apply_connect(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst,
                       uint32_t dst_port)
{
  if (st_arena_valid(&graph->arena, src) && st_arena_valid(&graph->arena, dst)) {
    graph->slots[dst.index].src[dst_port] = (StSource){src.index, src_port};
    graph->dirty                          = true;
  }
}

void
st_graph_apply_disconnect(StGraph* graph, StHandle dst, uint32_t dst_port)
{
  if (st_arena_valid(&graph->arena, dst)) {
    graph->slots[dst.index].src[dst_port].node = ST_NO_NODE;
    graph->dirty                               = true;
  }
}

void
st_graph_apply_set_output(StGraph* graph, uint32_t channel, StHandle src, uint32_t port)
{
  graph->taps[channel] = st_arena_valid(&graph->arena, src) ? (StSource){src.index, port}
                                                             : (StSource){ST_NO_NODE, 0};
  graph->dirty = true;
}

void
st_graph_apply_rename(StGraph* graph, StHandle node, const char* name)
{
  if (st_arena_valid(&graph->arena, node)) {
    if (graph->names.entries) {
      st_name_index_remove(&graph->names, node.index);
    }
    snprintf(graph->slots[node.index].name, ST_NAME_MAX, "%s", name);
    if (graph->names.entries) {
      st_name_index_insert(&graph->names, node.index);
    }
  }
}

static int
find_map(const StGraph* graph, uint32_t slot, StHandle node, uint32_t param)
{
  for (uint32_t m = 0; m < graph->n_maps; ++m) {
    const StMacroMap* map = &graph->maps[m];
    if (map->slot == slot && map->node.index == node.index &&
        map->node.generation == node.generation && map->param == param) {
      return (int)m;
    }
  }
  return -1;
}

StNodeSlot*
st_graph_put(StGraph* model, StHandle at, const StNodeType* type, const char* name,
             const float* values)
{
  st_arena_take(&model->arena, at);
  return occupy(model, at.index, type, name, values, NULL);
}

void
st_graph_apply_map(StGraph* graph, const StMacroMap* map)
{
  const int m = find_map(graph, map->slot, map->node, map->param);
  if (m >= 0) {
    graph->maps[m] = *map;
  } else if (graph->n_maps < ST_MAX_FLAT_MAPS) {
    graph->maps[graph->n_maps++] = *map;
  }
}

void
st_graph_apply_unmap(StGraph* graph, uint32_t slot, StHandle node, uint32_t param)
{
  const int m = find_map(graph, slot, node, param);
  if (m >= 0) {
    memmove(&graph->maps[m], &graph->maps[m + 1],
            (graph->n_maps - (uint32_t)m - 1) * sizeof(StMacroMap));
    --graph->n_maps;
  }
}

/* --- Validated edits --- */

static bool
valid_name(const char* name)
{
  const size_t len = strlen(name);
  if (len == 0 || len >= ST_NAME_MAX || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  for (size_t i = 0; i < len; ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

static StStatus
check_value(StGraph* graph, const char* node, const StParamSpec* spec, float value)
{
  if (!isfinite(value) || value < spec->min || value > spec->max) {
    return fail(graph, ST_ERR_RANGE, "%s.%s = %g is out of range %g..%g", node, spec->name,
                (double)value, (double)spec->min, (double)spec->max);
  }
  if ((spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) && value != floorf(value)) {
    return fail(graph, ST_ERR_RANGE, "%s.%s = %g must be a whole number", node, spec->name,
                (double)value);
  }
  return ST_OK;
}

static StStatus
check_node(StGraph* graph, StHandle node, const char* role)
{
  if (!st_arena_valid(&graph->arena, node)) {
    return fail(graph, ST_ERR_STALE, "%s node %u:%u does not exist (removed or never made)",
                role, node.index, node.generation);
  }
  return ST_OK;
}

StStatus
st_graph_add(StGraph* graph, const StNodeType* type, const char* name, const float* params,
             StHandle* handle)
{
  if (!type || !name) {
    return fail(graph, ST_ERR_BAD_ARG, "a node needs a type and a name");
  }
  if (!valid_name(name)) {
    return fail(graph, ST_ERR_NAME,
                "bad node name '%s': use 1 to %d letters, digits or '_', not starting with a digit",
                name, ST_NAME_MAX - 1);
  }
  if (st_arena_valid(&graph->arena, st_graph_find(graph, name))) {
    return fail(graph, ST_ERR_NAME, "a node named '%s' already exists", name);
  }
  float values[ST_MAX_PARAMS];
  for (uint32_t p = 0; p < type->n_params; ++p) {
    values[p] = params ? params[p] : type->params[p].def;
    const StStatus st = check_value(graph, name, &type->params[p], values[p]);
    if (st) {
      return st;
    }
  }
  StHandle h;
  // Peek, not alloc: the primitive takes the slot, as the audio thread's copy will.
  if (st_arena_peek(&graph->arena, &h)) {
    return fail(graph, ST_ERR_FULL, "cannot add '%s': the patch is full (%u nodes)", name,
                graph->arena.capacity);
  }
  if (graph->store) {
    const StStatus st = store_reserve(graph, type->n_params);
    if (st) {
      return st;
    }
  }
  st_graph_apply_add(graph, h, type, name, values, NULL);
  if (handle) {
    *handle = h;
  }
  return ST_OK;
}

StStatus
st_graph_remove(StGraph* graph, StHandle node)
{
  const StStatus st = check_node(graph, node, "cannot remove:");
  if (!st) {
    st_graph_apply_remove(graph, node);
  }
  return st;
}

void
st_graph_clear(StGraph* graph)
{
  st_graph_apply_clear(graph, NULL, NULL);
}

/* Appends " -> name" for each node from `from` following `next` until `to`. */
static void
append_path(StGraph* graph, char* text, size_t size, const uint32_t* next, uint32_t from,
            uint32_t to)
{
  size_t len = strlen(text);
  for (uint32_t n = from;; n = next[n]) {
    len += (size_t)snprintf(text + len, len < size ? size - len : 0, "%s%s",
                            n == from ? "" : " -> ", graph->slots[n].name);
    if (n == to || len >= size) {
      break;
    }
  }
}

/* True when `dst` already feeds `src`, so src -> dst would close a cycle;
   `feeds[n]` then leads from dst to src. Walks inputs backwards from src. */
static bool
reaches(StGraph* graph, uint32_t src, uint32_t dst, uint32_t* feeds, uint32_t* queue)
{
  for (uint32_t n = 0; n < graph->span; ++n) {
    feeds[n] = UINT32_MAX;
  }
  uint32_t head = 0, tail = 0;
  queue[tail++] = src;
  feeds[src]    = src;
  while (head < tail) {
    const uint32_t    n    = queue[head++];
    const StNodeSlot* slot = &graph->slots[n];
    if (n == dst) {
      return true;
    }
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      const uint32_t s = slot->src[i].node;
      if (s != ST_NO_NODE && feeds[s] == UINT32_MAX) {
        feeds[s]      = n;
        queue[tail++] = s;
      }
    }
  }
  return false;
}

static StStatus
check_acyclic(StGraph* graph, StHandle src, StHandle dst, const char* link)
{
  const uint32_t cap   = graph->arena.capacity;
  uint32_t*      feeds = malloc(2 * (size_t)cap * sizeof(uint32_t));
  if (!feeds) {
    return fail(graph, ST_ERR_NO_MEMORY, "out of memory checking %s", link);
  }
  StStatus st = ST_OK;
  if (reaches(graph, src.index, dst.index, feeds, feeds + cap)) {
    char path[200] = "";
    append_path(graph, path, sizeof(path), feeds, dst.index, src.index);
    st = fail(graph, ST_ERR_CYCLE, "link %s would close a cycle: %s -> %s", link, path,
              graph->slots[dst.index].name);
  }
  free(feeds);
  return st;
}

/* Links src -> dst after every check; an occupied input is refused unless `replace`. */
static StStatus
link_ports(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst, uint32_t dst_port,
           bool replace)
{
  StStatus st = check_node(graph, src, "link source:");
  if (st || (st = check_node(graph, dst, "link destination:"))) {
    return st;
  }
  const StNodeSlot* s = &graph->slots[src.index];
  const StNodeSlot* d = &graph->slots[dst.index];
  if (src_port >= s->type->n_outputs) {
    return fail(graph, ST_ERR_PORT, "node '%s' (%s) has no output %u", s->name, s->type->name,
                src_port);
  }
  if (dst_port >= d->type->n_inputs) {
    return fail(graph, ST_ERR_PORT, "node '%s' (%s) has no input %u", d->name, d->type->name,
                dst_port);
  }
  char link[128];
  snprintf(link, sizeof(link), "%s.%s -> %s.%s", s->name, s->type->outputs[src_port].name,
           d->name, d->type->inputs[dst_port].name);
  const StSource old = d->src[dst_port];
  if (old.node != ST_NO_NODE && !replace) {
    const StNodeSlot* o = &graph->slots[old.node];
    return fail(graph, ST_ERR_PORT, "cannot link %s: %s.%s is already linked from %s.%s", link,
                d->name, d->type->inputs[dst_port].name, o->name, o->type->outputs[old.port].name);
  }
  // The old link ends at dst, so it lies on no path from dst back to src:
  // the check is the same with or without it.
  if ((st = check_acyclic(graph, src, dst, link))) {
    return st;
  }
  st_graph_apply_connect(graph, src, src_port, dst, dst_port);
  return ST_OK;
}

StStatus
st_graph_connect(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst,
                 uint32_t dst_port)
{
  return link_ports(graph, src, src_port, dst, dst_port, false);
}

StStatus
st_graph_relink(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst,
                uint32_t dst_port)
{
  return link_ports(graph, src, src_port, dst, dst_port, true);
}

StStatus
st_graph_disconnect(StGraph* graph, StHandle dst, uint32_t dst_port)
{
  const StStatus st = check_node(graph, dst, "unlink:");
  if (st) {
    return st;
  }
  const StNodeSlot* d = &graph->slots[dst.index];
  if (dst_port >= d->type->n_inputs) {
    return fail(graph, ST_ERR_PORT, "node '%s' (%s) has no input %u", d->name, d->type->name,
                dst_port);
  }
  if (d->src[dst_port].node == ST_NO_NODE) {
    return fail(graph, ST_ERR_PORT, "%s.%s is not linked", d->name,
                d->type->inputs[dst_port].name);
  }
  st_graph_apply_disconnect(graph, dst, dst_port);
  return ST_OK;
}

static StStatus
check_param(StGraph* graph, StHandle node, uint32_t param)
{
  const StStatus st = check_node(graph, node, "parameter of");
  if (st) {
    return st;
  }
  const StNodeSlot* slot = &graph->slots[node.index];
  if (param >= slot->type->n_params) {
    return fail(graph, ST_ERR_PARAM, "node '%s' (%s) has no parameter %u", slot->name,
                slot->type->name, param);
  }
  // A sub-patch's copies are made anew when one changes (the engine swaps them in).
  if ((slot->type->params[param].flags & ST_PARAM_FIXED) &&
      !(slot->type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP))) {
    return fail(graph, ST_ERR_PARAM, "%s.%s is fixed when the node is made; replace the node",
                slot->name, slot->type->params[param].name);
  }
  return ST_OK;
}

StStatus
st_graph_set_param(StGraph* graph, StHandle node, uint32_t param, float value)
{
  StStatus st = check_param(graph, node, param);
  if (st) {
    return st;
  }
  StNodeSlot* slot = &graph->slots[node.index];
  if ((st = check_value(graph, slot->name, &slot->type->params[param], value))) {
    return st;
  }
  st_param_set(&slot->params[param], value, false);
  return ST_OK;
}

StStatus
st_graph_set_output(StGraph* graph, uint32_t channel, StHandle src, uint32_t port)
{
  if (channel > 1) {
    return fail(graph, ST_ERR_PORT, "output channel %u does not exist (0 = left, 1 = right)",
                channel);
  }
  if (src.index != ST_HANDLE_NONE.index) {
    const StStatus st = check_node(graph, src, "output tap:");
    if (st) {
      return st;
    }
    const StNodeSlot* s = &graph->slots[src.index];
    if (port >= s->type->n_outputs) {
      return fail(graph, ST_ERR_PORT, "node '%s' (%s) has no output %u", s->name,
                  s->type->name, port);
    }
  }
  st_graph_apply_set_output(graph, channel, src, port);
  return ST_OK;
}

StStatus
st_graph_map(StGraph* graph, uint32_t slot, StHandle node, uint32_t param, float min,
             float max, StCurve curve, const char* label)
{
  if (slot >= ST_MACRO_SLOTS) {
    return fail(graph, ST_ERR_RANGE, "macro %u does not exist (1..%d)", slot + 1, ST_MACRO_SLOTS);
  }
  StStatus st = check_param(graph, node, param);
  if (st) {
    return st;
  }
  const StNodeSlot*  n    = &graph->slots[node.index];
  const StParamSpec* spec = &n->type->params[param];
  if (spec->flags & ST_PARAM_FIXED) { // A sub-patch's: set when its copies are made
    return fail(graph, ST_ERR_PARAM, "%s.%s is fixed when the node is made; a macro cannot move it",
                n->name, spec->name);
  }
  if ((st = check_value(graph, n->name, spec, min)) || (st = check_value(graph, n->name, spec, max))) {
    return st;
  }
  if (curve == ST_CURVE_EXPONENTIAL && !(min * max > 0.0f)) {
    return fail(graph, ST_ERR_RANGE, "exp curve on %s.%s needs min and max of one sign, not 0",
                n->name, spec->name);
  }
  if (curve != ST_CURVE_LINEAR && curve != ST_CURVE_EXPONENTIAL) {
    return fail(graph, ST_ERR_BAD_ARG, "unknown macro curve %d", (int)curve);
  }
  if (find_map(graph, slot, node, param) < 0 && graph->n_maps == ST_MAX_MACRO_MAPS) {
    return fail(graph, ST_ERR_FULL, "a patch holds at most %d macro maps", ST_MAX_MACRO_MAPS);
  }
  StMacroMap map = {slot, node, param, min, max, curve, ""};
  snprintf(map.label, sizeof(map.label), "%s", label ? label : "");
  st_graph_apply_map(graph, &map);
  return ST_OK;
}

StStatus
st_graph_unmap(StGraph* graph, uint32_t slot, StHandle node, uint32_t param)
{
  const StStatus st = check_node(graph, node, "unmap:");
  if (st) {
    return st;
  }
  if (find_map(graph, slot, node, param) < 0) {
    return fail(graph, ST_ERR_UNKNOWN, "macro %u is not mapped to that parameter", slot + 1);
  }
  st_graph_apply_unmap(graph, slot, node, param);
  return ST_OK;
}

StStatus
st_graph_rename(StGraph* graph, StHandle node, const char* name)
{
  StStatus st = check_node(graph, node, "rename:");
  if (st) {
    return st;
  }
  if (!name || !valid_name(name)) {
    return fail(graph, ST_ERR_NAME,
                "bad node name '%s': use 1 to %d letters, digits or '_', not starting with a digit",
                name ? name : "", ST_NAME_MAX - 1);
  }
  const StHandle other = st_graph_find(graph, name);
  if (st_arena_valid(&graph->arena, other) && other.index != node.index) {
    return fail(graph, ST_ERR_NAME, "a node named '%s' already exists", name);
  }
  st_graph_apply_rename(graph, node, name);
  return ST_OK;
}

StStatus
st_graph_place(StGraph* graph, StHandle node, float x, float y)
{
  const StStatus st = check_node(graph, node, "place:");
  if (st) {
    return st;
  }
  if (!isfinite(x) || !isfinite(y)) {
    return fail(graph, ST_ERR_RANGE, "place %s: the position must be finite",
                graph->slots[node.index].name);
  }
  StNodeSlot* slot = &graph->slots[node.index];
  slot->x          = x;
  slot->y          = y;
  slot->placed     = true;
  return ST_OK;
}

StStatus
st_graph_set_name(StGraph* graph, const char* name)
{
  if (!name) {
    return fail(graph, ST_ERR_BAD_ARG, "a patch name must be a string");
  }
  if (strlen(name) >= sizeof(graph->name)) {
    return fail(graph, ST_ERR_NAME, "a patch name has at most %d bytes",
                (int)sizeof(graph->name) - 1);
  }
  memcpy(graph->name, name, strlen(name) + 1);
  return ST_OK;
}

StStatus
st_graph_plan(StGraph* graph)
{
  const StStatus st = st_plan_build(&graph->plan, graph);
  if (st == ST_ERR_POOL) {
    return fail(graph, st, "the patch needs more than the %u audio buffers of the pool",
                graph->plan.pool.count);
  }
  if (st == ST_ERR_CYCLE) {
    return fail(graph, st, "the patch has a cycle");
  }
  graph->dirty = false;
  return ST_OK;
}
