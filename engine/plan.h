/* SPDX-License-Identifier: ISC */
/* The schedule of a graph: levels from Kahn's algorithm (every node of a
   level depends only on earlier levels) and the buffer each output is given,
   with buffers reused once their last reader's level has run. All arrays are
   allocated with the graph, so planning in the audio thread never allocates. */
#ifndef ST_PLAN_H
#define ST_PLAN_H

#include "pool.h"
#include "status.h"

#include <stdbool.h>
#include <stdint.h>

struct StGraph;

typedef struct {
  uint32_t  n_levels;      ///< Levels in the schedule
  uint32_t* level_start;   ///< Level L is order[level_start[L] .. level_start[L+1])
  uint32_t* order;         ///< Node indices, level by level
  float*    level_cost;    ///< Estimated ns per frame of each level
  uint32_t  n_sinks;       ///< Output nodes, summed into the host output in index order
  uint32_t* sinks;
  uint32_t  n_listeners;   ///< Nodes that take MIDI, in index order
  uint32_t* listeners;
  StPool    pool;          ///< The graph's buffers

  // Scratch, sized at creation.
  uint32_t* pending;       ///< Per node: linked inputs whose source is not placed yet
  uint32_t* edge_start;    ///< Per node: first reader in `edges` (capacity + 1)
  uint32_t* edges;         ///< Readers of each node, grouped by source
  uint32_t* buffer;        ///< Per output (node * ST_MAX_OUTPUTS + port): its buffer
  uint32_t* last_use;      ///< Per output: level of its last reader
  uint32_t* release_head;  ///< Per level: first output to release after it
  uint32_t* release_next;  ///< Per output: next output released after the same level
} StPlan;

/* Allocates a plan for `capacity` nodes and `pool_buffers` buffers (with
   samples when `with_data`). */
StStatus st_plan_init(StPlan* plan, uint32_t capacity, uint32_t pool_buffers, bool with_data);
void     st_plan_destroy(StPlan* plan);

/* Plans `graph`: levels, buffers, and (with data) every node's in and out
   pointers. Bounded by O(nodes + links); ST_ERR_POOL when out of buffers,
   ST_ERR_CYCLE if the graph is not acyclic (the plan is then unusable). */
StStatus st_plan_build(StPlan* plan, struct StGraph* graph);

#endif
