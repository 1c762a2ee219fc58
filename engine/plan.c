/* SPDX-License-Identifier: ISC */
#include "plan.h"

#include "graph.h"

#include <stdlib.h>
#include <string.h>

#define NEVER UINT32_MAX ///< last_use of an output read by the host: never released

StStatus
st_plan_init(StPlan* plan, uint32_t capacity, uint32_t pool_buffers, bool with_data)
{
  memset(plan, 0, sizeof(*plan));
  const size_t outputs = (size_t)capacity * ST_MAX_OUTPUTS;
  const size_t edges   = (size_t)capacity * ST_MAX_INPUTS;
  plan->level_start    = calloc(capacity + 1, sizeof(uint32_t));
  plan->order          = calloc(capacity, sizeof(uint32_t));
  plan->level_cost     = calloc(capacity, sizeof(float));
  plan->sinks          = calloc(capacity, sizeof(uint32_t));
  plan->listeners      = calloc(capacity, sizeof(uint32_t));
  plan->pending        = calloc(capacity, sizeof(uint32_t));
  plan->edge_start     = calloc(capacity + 1, sizeof(uint32_t));
  plan->edges          = calloc(edges, sizeof(uint32_t));
  plan->buffer         = calloc(outputs, sizeof(uint32_t));
  plan->last_use       = calloc(outputs, sizeof(uint32_t));
  plan->release_head   = calloc(capacity, sizeof(uint32_t));
  plan->release_next   = calloc(outputs, sizeof(uint32_t));
  if (!plan->level_start || !plan->order || !plan->level_cost || !plan->sinks ||
      !plan->listeners || !plan->pending || !plan->edge_start || !plan->edges ||
      !plan->buffer || !plan->last_use || !plan->release_head || !plan->release_next) {
    st_plan_destroy(plan);
    return ST_ERR_NO_MEMORY;
  }
  const StStatus st = st_pool_init(&plan->pool, pool_buffers, with_data);
  if (st) {
    st_plan_destroy(plan);
    return st;
  }
  if (with_data) {
    // A running graph: fault in every page now, on the control side, so that
    // the audio thread's first plan and block never wait on the kernel
    // (calloc leaves large blocks lazily mapped).
    memset(plan->level_start, 0, (capacity + 1) * sizeof(uint32_t));
    memset(plan->order, 0, capacity * sizeof(uint32_t));
    memset(plan->level_cost, 0, capacity * sizeof(float));
    memset(plan->sinks, 0, capacity * sizeof(uint32_t));
    memset(plan->listeners, 0, capacity * sizeof(uint32_t));
    memset(plan->pending, 0, capacity * sizeof(uint32_t));
    memset(plan->edge_start, 0, (capacity + 1) * sizeof(uint32_t));
    memset(plan->edges, 0, edges * sizeof(uint32_t));
    memset(plan->buffer, 0, outputs * sizeof(uint32_t));
    memset(plan->last_use, 0, outputs * sizeof(uint32_t));
    memset(plan->release_head, 0, capacity * sizeof(uint32_t));
    memset(plan->release_next, 0, outputs * sizeof(uint32_t));
  }
  return ST_OK;
}

void
st_plan_destroy(StPlan* plan)
{
  free(plan->level_start);
  free(plan->order);
  free(plan->level_cost);
  free(plan->sinks);
  free(plan->listeners);
  free(plan->pending);
  free(plan->edge_start);
  free(plan->edges);
  free(plan->buffer);
  free(plan->last_use);
  free(plan->release_head);
  free(plan->release_next);
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

/* The level after which each output's buffer can be reused. */
static void
compute_last_use(StPlan* plan, const StGraph* graph)
{
  for (uint32_t k = 0; k < graph->arena.count; ++k) {
    const uint32_t    n    = plan->order[k];
    const StNodeSlot* slot = &graph->slots[n];
    for (uint32_t p = 0; p < slot->type->n_outputs; ++p) {
      plan->last_use[n * ST_MAX_OUTPUTS + p] = slot->level;
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
        } else if (*last != NEVER && slot->level > *last) {
          *last = slot->level;
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

/* Gives every output a buffer, level by level, releasing the buffers whose
   last reader ran in the level just planned. */
static StStatus
assign_buffers(StPlan* plan, const StGraph* graph)
{
  st_pool_reset(&plan->pool);
  for (uint32_t l = 0; l < plan->n_levels; ++l) {
    plan->release_head[l] = UINT32_MAX;
  }
  for (uint32_t l = 0; l < plan->n_levels; ++l) {
    for (uint32_t k = plan->level_start[l]; k < plan->level_start[l + 1]; ++k) {
      const uint32_t n = plan->order[k];
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
    for (uint32_t out = plan->release_head[l]; out != UINT32_MAX;
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

StStatus
st_plan_build(StPlan* plan, StGraph* graph)
{
  collect_edges(plan, graph);
  StStatus st = sort_levels(plan, graph);
  if (st) {
    return st;
  }
  compute_last_use(plan, graph);
  st = assign_buffers(plan, graph);
  if (st) {
    return st;
  }
  bind_ports(plan, graph);
  return ST_OK;
}
