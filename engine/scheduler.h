/* SPDX-License-Identifier: ISC */
/* Runs a planned graph for one sub-block, level by level. A level whose
   estimated work passes the threshold is shared out by an OpenMP for loop;
   the others run on one thread. The levels from the first wide one to the
   last run inside one parallel region, so the team forks and joins once per
   block and each level ends at a barrier. Nodes of a level share no memory,
   so the result is the same bit for bit either way. */
#ifndef ST_SCHEDULER_H
#define ST_SCHEDULER_H

#include "graph.h"

#include <stdint.h>

typedef struct {
  uint32_t threads;    ///< Threads for a parallel level; 1 = never parallel
  float    threshold;  ///< Estimated ns of work a level needs to go parallel
} StSchedConfig;

/* Starts the OpenMP team on the calling thread so that the first parallel
   level finds its threads ready; call before the first audio block. */
void st_sched_warm_up(const StSchedConfig* config);

/* Processes every node of `graph` (planned, with buffers) for `frames`
   (1..ST_BLOCK) and adds sinks and taps into out[0] and out[1]. */
void st_sched_run(StGraph* graph, const StSchedConfig* config, const StHost* host,
                  uint32_t frames, float* const out[2]);

/* Enables flush-to-zero and denormals-are-zero on this thread; returns the
   previous state for st_sched_restore_fp(). */
uint32_t st_sched_flush_denormals(void);
void     st_sched_restore_fp(uint32_t saved);

#endif
