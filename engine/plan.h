/* SPDX-License-Identifier: ISC */
/* The schedule of a graph: levels from Kahn's algorithm (every node of a
   level depends only on earlier levels), the segments the scheduler runs in
   turn, and the buffer each output is given.

   A segment is one level, or consecutive levels merged while they fall into
   enough independent units of similar estimated cost: a unit is a connected
   part of the segment (an oscillator with its gain and their mixer), run in
   level order by one thread, so a node's input is still in cache and threads
   need no barrier between the merged levels. A level too narrow to share out
   is a segment of one unit. Buffers are reused once the segment of their
   last reader has run (inside a segment, units may run in any order on any
   thread). All arrays are allocated with the graph, so planning in the audio
   thread never allocates. */
#ifndef ST_PLAN_H
#define ST_PLAN_H

#include "node.h"
#include "pool.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct StGraph;

#define ST_PLAN_MIN_UNITS 4  ///< Units a merged segment keeps, each at most 1/4 of its cost
#define ST_TUNE_SAMPLES 8    ///< Blocks timed per way of running a segment in a probe round

/* What the scheduler measured of one segment (running graphs only). */
typedef struct {
  float    seq_ns[ST_TUNE_SAMPLES]; ///< Times run on the calling thread, this round
  float    seq_median;              ///< Their median, from halfway through the round
  float    par_ns[ST_TUNE_SAMPLES]; ///< Times shared out, this round (the first woke the team)
  uint32_t par_samples;             ///< Entries of par_ns taken this round
  float    excess_ns;               ///< What sharing out cost this round above running alone
  float    debt_ns;                 ///< Shared out between rounds: net cost above running alone
                                    ///< (negative: savings)
  uint64_t par_after;               ///< Block count before which it is not tried shared out
  uint32_t strikes;                 ///< Net losses between rounds in a row, less one a round kept
  bool     parallel;                ///< How it runs between probe rounds
  bool     lost;                    ///< Shared out, it lost too much this round: not tried again
  bool     hopeless;                ///< Would save less than an empty region costs: never tried
} StSegmentTune;

/* What running one node takes, packed in run order so that a block walks
   one array instead of the node slots (running graphs only). */
typedef struct {
  const StNodeType*   type;
  void*               state;
  StParam*            params;
  const float* const* in;     ///< The node's input buffers (in `in_ports`)
  float* const*       out;    ///< Its output buffers (in `out_ports`)
  uint32_t            linked; ///< Bit i set when input i is linked
  uint32_t            node;   ///< Slot index
  const uint8_t*      asleep; ///< A voice's node: its voice's sleep flag (skipped while set);
                              ///< NULL for every other node
} StTask;

typedef struct {
  uint32_t  n_levels;      ///< Levels in the schedule
  uint32_t* level_start;   ///< Level L is order[level_start[L] .. level_start[L+1])
  uint32_t* order;         ///< Node indices, level by level
  float*    level_cost;    ///< Estimated ns per frame of each level
  uint32_t  n_segments;    ///< Segments, run one after the other
  uint32_t* segment_start; ///< Segment S is units segment_start[S] .. segment_start[S+1]
  float*    segment_cost;  ///< Estimated ns per frame of each segment
  uint32_t  n_units;       ///< Units in all segments
  uint32_t* unit_start;    ///< Unit U is run_order[unit_start[U] .. unit_start[U+1])
  uint32_t* run_order;     ///< Node indices as they run: segment by segment, unit by unit
  uint32_t* step;          ///< Per node: its segment, by which its buffers are planned
  uint32_t  n_candidates;  ///< Segments of several units the scheduler still weighs
  uint32_t* candidates;    ///< Their indices, in order (running graphs drop the hopeless)
  uint32_t  n_sinks;       ///< Output nodes, summed into the host output in index order
  uint32_t* sinks;
  uint32_t  n_listeners;   ///< Nodes that take MIDI, in index order
  uint32_t* listeners;
  StPool    pool;          ///< The graph's buffers
  StTask*   tasks;         ///< Running graphs: one per node, in run_order
  const float** in_ports;  ///< Running graphs: the tasks' input buffers, task after task
  float**   out_ports;     ///< Running graphs: their output buffers, task after task
  void*     tables;        ///< One block holding every array here (st_pages_alloc)
  size_t    tables_bytes;

  // The scheduler's measurements (running graphs), reset by every plan.
  StSegmentTune* tune;     ///< Per segment
  uint32_t  probe_wait;    ///< Full blocks until the next probe round
  uint32_t  probe_block;   ///< Blocks of the current round done; 2 * ST_TUNE_SAMPLES = none running
  uint32_t  probe_period;  ///< Full blocks between probe rounds
  uint64_t  blocks;        ///< Full blocks run since the plan


  // Scratch, sized at creation.
  uint32_t* pending;       ///< Per node: linked inputs whose source is not placed yet
  uint32_t* edge_start;    ///< Per node: first reader in `edges` (capacity + 1)
  uint32_t* edges;         ///< Readers of each node, grouped by source
  uint32_t* buffer;        ///< Per output (node * ST_MAX_OUTPUTS + port): its buffer
  uint32_t* last_use;      ///< Per output: segment of its last reader
  uint32_t* release_head;  ///< Per segment: first output to release after it
  uint32_t* release_next;  ///< Per output: next output released after the same segment
  uint32_t* root;          ///< Per node: union-find parent while segments are formed
  uint32_t* unit_size;     ///< Per root: nodes in its unit (then a cursor per unit)
  uint32_t* unit_weight;   ///< Per root: estimated cost of its unit, in 1/16 ns per frame
  uint32_t* unit_of;       ///< Per node: its unit within the segment being laid out
  uint32_t* undo;          ///< Roots joined by the level being tried, to undo a refused merge
} StPlan;

/* Allocates a plan for `capacity` nodes and `pool_buffers` buffers (with
   samples when `with_data`). */
StStatus st_plan_init(StPlan* plan, uint32_t capacity, uint32_t pool_buffers, bool with_data);
void     st_plan_destroy(StPlan* plan);

/* Plans `graph`: levels, segments, buffers, and (with data) every node's in
   and out pointers. Bounded by O((nodes + links) log nodes); ST_ERR_POOL when
   out of buffers even with every level a segment of its own (merged levels
   hold more buffers at once), ST_ERR_CYCLE if the graph is not acyclic (the
   plan is then unusable). */
StStatus st_plan_build(StPlan* plan, struct StGraph* graph);

#endif
