/* SPDX-License-Identifier: ISC */
#include "plan.h"

#include "graph.h"
#include "pages.h"

#include <stdlib.h>
#include <string.h>

#define NEVER UINT32_MAX ///< last_use of an output read by the host: never released

/* One array of the plan's tables: where its pointer is, how many elements. */
typedef struct {
  void** at;
  size_t count;
  size_t size;
} Table;

#define TABLE(field, n) {(void**)&plan->field, (n), sizeof(*plan->field)}

StStatus
st_plan_init(StPlan* plan, uint32_t capacity, uint32_t pool_buffers, bool with_data)
{
  memset(plan, 0, sizeof(*plan));
  const size_t outputs  = (size_t)capacity * ST_MAX_OUTPUTS;
  const size_t edges    = (size_t)capacity * ST_MAX_INPUTS;
  const Table  tables[] = {
    TABLE(level_start, capacity + 1), TABLE(order, capacity),
    TABLE(level_cost, capacity),      TABLE(sinks, capacity),
    TABLE(listeners, capacity),       TABLE(pending, capacity),
    TABLE(edge_start, capacity + 1),  TABLE(edges, edges),
    TABLE(buffer, outputs),           TABLE(last_use, outputs),
    TABLE(release_head, capacity),    TABLE(release_next, outputs),
    TABLE(segment_start, capacity + 1), TABLE(segment_cost, capacity),
    TABLE(unit_start, capacity + 1),  TABLE(run_order, capacity),
    TABLE(step, capacity),            TABLE(candidates, capacity),
    TABLE(root, capacity),            TABLE(unit_size, capacity),
    TABLE(unit_weight, capacity),     TABLE(unit_of, capacity),
    TABLE(undo, capacity),            TABLE(tune, with_data ? capacity : 0),
    TABLE(tasks, with_data ? capacity : 0),
    TABLE(in_ports, with_data ? edges : 0),
    TABLE(out_ports, with_data ? outputs : 0),
  };
  const size_t n_tables = sizeof(tables) / sizeof(tables[0]);
  size_t       bytes    = 0;
  for (size_t t = 0; t < n_tables; ++t) {
    bytes += (tables[t].count * tables[t].size + 63) & ~(size_t)63;
  }
  // One block for all: lazily mapped for a model; for a running graph
  // mapped now, on the control side, so that the audio thread's plans and
  // blocks never wait on the kernel.
  unsigned char* block = with_data ? st_pages_alloc_mapped(bytes) : st_pages_alloc(bytes);
  if (!block) {
    return ST_ERR_NO_MEMORY;
  }
  plan->tables       = block;
  plan->tables_bytes = bytes;
  for (size_t t = 0; t < n_tables; ++t) {
    *tables[t].at = tables[t].count ? block : NULL;
    block += (tables[t].count * tables[t].size + 63) & ~(size_t)63;
  }
  const StStatus st = st_pool_init(&plan->pool, pool_buffers, with_data);
  if (st) {
    st_plan_destroy(plan);
    return st;
  }
  return ST_OK;
}

void
st_plan_destroy(StPlan* plan)
{
  st_pages_free(plan->tables, plan->tables_bytes);
  st_pool_destroy(&plan->pool);
  memset(plan, 0, sizeof(*plan));
}

/* Groups the readers of every node (a counting sort over links) and counts
   each node's linked inputs. */
static void
collect_edges(StPlan* plan, const StGraph* graph)
{
  const uint32_t cap = graph->span;
  memset(plan->edge_start, 0, (cap + 1) * sizeof(uint32_t));
  for (uint32_t d = 0; d < cap; ++d) {
    plan->pending[d] = 0;
    if (!st_arena_live(&graph->arena, d)) {
      continue;
    }
    const StNodeSlot* slot = &graph->slots[d];
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      if (slot->src[i].node != ST_NO_NODE) {
        ++plan->edge_start[slot->src[i].node + 1];
        ++plan->pending[d];
      }
    }
  }
  for (uint32_t n = 0; n < cap; ++n) {
    plan->edge_start[n + 1] += plan->edge_start[n];
  }
  // Fill using release_head as a per-source cursor (it is rebuilt later).
  uint32_t* cursor = plan->release_head;
  memcpy(cursor, plan->edge_start, cap * sizeof(uint32_t));
  for (uint32_t d = 0; d < cap; ++d) {
    if (!st_arena_live(&graph->arena, d)) {
      continue;
    }
    const StNodeSlot* slot = &graph->slots[d];
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      if (slot->src[i].node != ST_NO_NODE) {
        plan->edges[cursor[slot->src[i].node]++] = d;
      }
    }
  }
}

/* Kahn's algorithm, one level at a time, into `order` and `level_start`. */
static StStatus
sort_levels(StPlan* plan, StGraph* graph)
{
  const uint32_t cap    = graph->span;
  uint32_t       placed = 0;
  for (uint32_t n = 0; n < cap; ++n) {
    if (st_arena_live(&graph->arena, n) && plan->pending[n] == 0) {
      plan->order[placed++] = n;
    }
  }
  plan->n_levels = 0;
  uint32_t begin = 0;
  while (begin < placed) {
    const uint32_t end   = placed;
    const uint32_t level = plan->n_levels++;
    plan->level_start[level] = begin;
    float cost               = 0.0f;
    for (uint32_t k = begin; k < end; ++k) {
      const uint32_t n = plan->order[k];
      graph->slots[n].level = level;
      cost += graph->slots[n].type->cost;
      for (uint32_t e = plan->edge_start[n]; e < plan->edge_start[n + 1]; ++e) {
        const uint32_t reader = plan->edges[e];
        if (--plan->pending[reader] == 0) {
          plan->order[placed++] = reader;
        }
      }
    }
    plan->level_cost[level] = cost;
    begin                   = end;
  }
  plan->level_start[plan->n_levels] = placed;
  return placed == graph->arena.count ? ST_OK : ST_ERR_CYCLE;
}

/* --- Segments --- */

#define NO_UNIT UINT32_MAX

/* What a segment being formed holds, in unit weights. */
typedef struct {
  uint32_t units;  ///< Independent units
  uint32_t total;  ///< Weight of all its nodes
  uint32_t max;    ///< Weight of its heaviest unit
} SegmentShape;

/* A node's weight for balancing units: its type's estimated cost in 1/16 ns
   per frame, at least 1 (even a node that does nothing costs a call). */
static uint32_t
node_weight(const StNodeType* type)
{
  return 1u + (uint32_t)(type->cost * 16.0f);
}

/* The unit a node belongs to. Union by size without path compression keeps
   finds O(log n) and lets a refused merge be undone exactly. */
static uint32_t
find_root(const uint32_t* root, uint32_t n)
{
  while (root[n] != n) {
    n = root[n];
  }
  return n;
}

/* Adds level `l` to the segment that starts at level `first`: each of its
   nodes a unit, joined to the units of its sources inside the segment.
   Returns how many joins `undo` logged. */
static uint32_t
join_level(StPlan* plan, const StGraph* graph, uint32_t first, uint32_t l, SegmentShape* shape)
{
  for (uint32_t k = plan->level_start[l]; k < plan->level_start[l + 1]; ++k) {
    const uint32_t n     = plan->order[k];
    plan->root[n]        = n;
    plan->unit_size[n]   = 1;
    plan->unit_weight[n] = node_weight(graph->slots[n].type);
    shape->units += 1;
    shape->total += plan->unit_weight[n];
    shape->max = plan->unit_weight[n] > shape->max ? plan->unit_weight[n] : shape->max;
  }
  uint32_t joins = 0;
  for (uint32_t k = plan->level_start[l]; k < plan->level_start[l + 1] && l > first; ++k) {
    const StNodeSlot* slot = &graph->slots[plan->order[k]];
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      const uint32_t src = slot->src[i].node;
      if (src == ST_NO_NODE || graph->slots[src].level < first) {
        continue; // Produced by an earlier segment
      }
      uint32_t a = find_root(plan->root, plan->order[k]);
      uint32_t b = find_root(plan->root, src);
      if (a == b) {
        continue;
      }
      if (plan->unit_size[a] < plan->unit_size[b]) {
        const uint32_t t = a;
        a                = b;
        b                = t;
      }
      plan->root[b] = a;
      plan->unit_size[a] += plan->unit_size[b];
      plan->unit_weight[a] += plan->unit_weight[b];
      plan->undo[joins++] = b;
      shape->units -= 1;
      shape->max = plan->unit_weight[a] > shape->max ? plan->unit_weight[a] : shape->max;
    }
  }
  return joins;
}

static void
undo_joins(StPlan* plan, uint32_t joins)
{
  while (joins--) {
    const uint32_t b = plan->undo[joins];
    const uint32_t a = plan->root[b];
    plan->unit_size[a] -= plan->unit_size[b];
    plan->unit_weight[a] -= plan->unit_weight[b];
    plan->root[b] = b;
  }
}

/* Lays out levels first..end-1 as the next segment: its units in the order
   their first node comes, each unit's nodes in level order (a counting sort
   by unit). A segment of one unit keeps level order as it is. */
static void
lay_out_segment(StPlan* plan, uint32_t first, uint32_t end, uint32_t units)
{
  const uint32_t begin = plan->level_start[first], stop = plan->level_start[end];
  const uint32_t seg   = plan->n_segments++;
  const uint32_t u0    = plan->n_units;
  float          cost  = 0.0f;
  for (uint32_t l = first; l < end; ++l) {
    cost += plan->level_cost[l];
  }
  plan->segment_cost[seg]  = cost;
  plan->segment_start[seg] = u0;
  plan->n_units += units;
  for (uint32_t k = begin; k < stop; ++k) {
    plan->step[plan->order[k]] = seg;
  }
  if (units == 1) {
    memcpy(plan->run_order + begin, plan->order + begin, (stop - begin) * sizeof(uint32_t));
    plan->unit_start[u0] = begin;
    return;
  }
  for (uint32_t k = begin; k < stop; ++k) {
    plan->unit_of[plan->order[k]] = NO_UNIT;
  }
  uint32_t next = 0;
  for (uint32_t k = begin; k < stop; ++k) {
    const uint32_t n = plan->order[k];
    const uint32_t r = find_root(plan->root, n);
    if (plan->unit_of[r] == NO_UNIT) {
      plan->unit_of[r] = next++;
    }
    plan->unit_of[n] = plan->unit_of[r];
  }
  uint32_t* count = plan->unit_start + u0; // Sizes, then starts
  memset(count, 0, (units + 1) * sizeof(uint32_t));
  for (uint32_t k = begin; k < stop; ++k) {
    ++count[plan->unit_of[plan->order[k]] + 1];
  }
  count[0] = begin;
  for (uint32_t u = 0; u < units; ++u) {
    count[u + 1] += count[u];
    plan->unit_size[u] = count[u]; // Now a cursor per unit: the roots are done with
  }
  for (uint32_t k = begin; k < stop; ++k) {
    const uint32_t n = plan->order[k];
    plan->run_order[plan->unit_size[plan->unit_of[n]]++] = n;
  }
}

/* True when level `l` holds a node that later levels must follow (a voice
   allocator, whose sleep flags the voices' mixes read). */
static bool
has_barrier(const StPlan* plan, const StGraph* graph, uint32_t l)
{
  for (uint32_t k = plan->level_start[l]; k < plan->level_start[l + 1]; ++k) {
    if (graph->slots[plan->order[k]].type->flags & ST_NODE_BARRIER) {
      return true;
    }
  }
  return false;
}

/* Groups the levels into segments: a level of two nodes or more starts a
   segment of units that takes in the following levels for as long as it
   keeps min(ST_PLAN_MIN_UNITS, units before) units, none heavier than that
   share of the whole, and holds no barrier node but in its last level.
   Without `merge`, every level is a segment. */
static void
form_segments(StPlan* plan, const StGraph* graph, bool merge)
{
  plan->n_segments   = 0;
  plan->n_units      = 0;
  plan->n_candidates = 0;
  for (uint32_t l = 0; l < plan->n_levels;) {
    const uint32_t first = l;
    SegmentShape   shape = {0, 0, 0};
    (void)join_level(plan, graph, first, l++, &shape);
    while (merge && shape.units >= 2 && l < plan->n_levels && !has_barrier(plan, graph, l - 1)) {
      const SegmentShape before = shape;
      const uint32_t     joins  = join_level(plan, graph, first, l, &shape);
      const uint32_t keep = before.units < ST_PLAN_MIN_UNITS ? before.units : ST_PLAN_MIN_UNITS;
      if (shape.units < keep || (uint64_t)shape.max * keep > shape.total) {
        undo_joins(plan, joins);
        shape = before;
        break;
      }
      ++l;
    }
    if (shape.units > 1) {
      plan->candidates[plan->n_candidates++] = plan->n_segments;
    }
    lay_out_segment(plan, first, l, shape.units);
  }
  plan->segment_start[plan->n_segments] = plan->n_units;
  plan->unit_start[plan->n_units]       = plan->level_start[plan->n_levels];
}

/* --- Buffers --- */

/* The segment after which each output's buffer can be reused. */
static void
compute_last_use(StPlan* plan, const StGraph* graph)
{
  for (uint32_t k = 0; k < graph->arena.count; ++k) {
    const uint32_t    n    = plan->order[k];
    const StNodeSlot* slot = &graph->slots[n];
    for (uint32_t p = 0; p < slot->type->n_outputs; ++p) {
      plan->last_use[n * ST_MAX_OUTPUTS + p] = plan->step[n];
    }
  }
  for (uint32_t k = 0; k < graph->arena.count; ++k) {
    const uint32_t    d    = plan->order[k];
    const StNodeSlot* slot = &graph->slots[d];
    const bool        sink = slot->type->flags & ST_NODE_SINK;
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      const StSource s = slot->src[i];
      if (s.node != ST_NO_NODE) {
        uint32_t* last = &plan->last_use[s.node * ST_MAX_OUTPUTS + s.port];
        if (sink) {
          *last = NEVER;
        } else if (*last != NEVER && plan->step[d] > *last) {
          *last = plan->step[d];
        }
      }
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    if (graph->taps[c].node != ST_NO_NODE) {
      plan->last_use[graph->taps[c].node * ST_MAX_OUTPUTS + graph->taps[c].port] = NEVER;
    }
  }
}

/* Gives every output a buffer, segment by segment, releasing the buffers
   whose last reader ran in the segment just planned. */
static StStatus
assign_buffers(StPlan* plan, const StGraph* graph)
{
  st_pool_reset(&plan->pool);
  for (uint32_t s = 0; s < plan->n_segments; ++s) {
    plan->release_head[s] = UINT32_MAX;
  }
  for (uint32_t s = 0; s < plan->n_segments; ++s) {
    const uint32_t begin = plan->unit_start[plan->segment_start[s]];
    const uint32_t end   = plan->unit_start[plan->segment_start[s + 1]];
    for (uint32_t k = begin; k < end; ++k) {
      const uint32_t n = plan->run_order[k];
      for (uint32_t p = 0; p < graph->slots[n].type->n_outputs; ++p) {
        const uint32_t out = n * ST_MAX_OUTPUTS + p;
        if (st_pool_take(&plan->pool, &plan->buffer[out])) {
          return ST_ERR_POOL;
        }
        const uint32_t last = plan->last_use[out];
        if (last != NEVER) {
          plan->release_next[out] = plan->release_head[last];
          plan->release_head[last] = out;
        }
      }
    }
    for (uint32_t out = plan->release_head[s]; out != UINT32_MAX;
         out           = plan->release_next[out]) {
      st_pool_give(&plan->pool, plan->buffer[out]);
    }
  }
  return ST_OK;
}

/* Points every node's ports at their buffers, and lists sinks and listeners. */
static void
bind_ports(StPlan* plan, StGraph* graph)
{
  const bool     data = plan->pool.data != NULL;
  const uint32_t cap  = graph->span;
  plan->n_sinks       = 0;
  plan->n_listeners   = 0;
  for (uint32_t n = 0; n < cap; ++n) {
    if (!st_arena_live(&graph->arena, n)) {
      continue;
    }
    StNodeSlot* slot = &graph->slots[n];
    if (slot->type->flags & ST_NODE_SINK) {
      plan->sinks[plan->n_sinks++] = n;
    }
    if (slot->type->flags & ST_NODE_EVENTS) {
      plan->listeners[plan->n_listeners++] = n;
    }
    slot->linked = 0;
    for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
      const StSource s = slot->src[i];
      if (s.node != ST_NO_NODE) {
        slot->linked |= 1u << i;
      }
      if (data) {
        slot->in[i] = s.node == ST_NO_NODE
                        ? plan->pool.zeros
                        : st_pool_buffer(&plan->pool,
                                         plan->buffer[s.node * ST_MAX_OUTPUTS + s.port]);
      }
    }
    for (uint32_t p = 0; data && p < slot->type->n_outputs; ++p) {
      slot->out[p] = st_pool_buffer(&plan->pool, plan->buffer[n * ST_MAX_OUTPUTS + p]);
    }
  }
}

/* Packs what running each node takes into the tasks, in run order. */
static void
pack_tasks(StPlan* plan, const StGraph* graph)
{
  const float** in  = plan->in_ports;
  float**       out = plan->out_ports;
  for (uint32_t k = 0; k < graph->arena.count; ++k) {
    const uint32_t    n    = plan->run_order[k];
    const StNodeSlot* slot = &graph->slots[n];
    memcpy(in, slot->in, slot->type->n_inputs * sizeof(*in));
    memcpy(out, slot->out, slot->type->n_outputs * sizeof(*out));
    plan->tasks[k] = (StTask){slot->type, slot->state,  slot->params, in,
                              out,        slot->linked, n,            slot->asleep};
    in += slot->type->n_inputs;
    out += slot->type->n_outputs;
  }
}

/* Forgets what the scheduler measured: the segments are new. */
static void
reset_tuning(StPlan* plan)
{
  if (plan->tune) {
    memset(plan->tune, 0, plan->n_segments * sizeof(StSegmentTune));
  }
  plan->probe_wait   = 0;
  plan->probe_block  = 2 * ST_TUNE_SAMPLES;
  plan->probe_period = 0;
  plan->blocks       = 0;
}

StStatus
st_plan_build(StPlan* plan, StGraph* graph)
{
  collect_edges(plan, graph);
  StStatus st = sort_levels(plan, graph);
  if (st) {
    return st;
  }
  // Merged levels hold their buffers to the end of the segment: when the
  // pool cannot take that, every level runs as a segment of its own.
  for (int merge = 1; merge >= 0; --merge) {
    form_segments(plan, graph, merge);
    compute_last_use(plan, graph);
    st = assign_buffers(plan, graph);
    if (st != ST_ERR_POOL) {
      break;
    }
  }
  if (st) {
    return st;
  }
  bind_ports(plan, graph);
  if (plan->tasks) {
    pack_tasks(plan, graph);
  }
  reset_tuning(plan);
  return ST_OK;
}
