/* SPDX-License-Identifier: ISC */
/* Runs a planned graph for one sub-block, segment by segment (plan.h). A
   segment of several units runs either on the calling thread or shared out
   to the OpenMP team, whichever this graph measured faster: every so often
   (at once after a plan, then less and less often while nothing changes) a
   probe round times a few full blocks alone, then, for the segments that
   could gain more than an empty parallel region costs, as many shared out;
   the faster way is kept, a change only for a clear margin. Tries that lose
   are spaced out so that they cost at most 1% of the segment's time. Units
   share no memory, so the result is the same bit for bit either way. */
#ifndef ST_SCHEDULER_H
#define ST_SCHEDULER_H

#include "graph.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint32_t threads;    ///< Threads for a shared-out segment; 1 = never shared out
  float    threshold;  ///< 0: measured; else a fixed rule for tests and experiments: a segment
                       ///< goes parallel when its estimated ns (segment_cost * frames) reaches it
  bool     alone;      ///< This call runs on a thread without the team: share nothing out (the
                       ///< blocks still count towards the next probe round)
} StSchedConfig;

/* Starts the OpenMP team on the calling thread so that the first parallel
   segment finds its threads ready, and times empty regions: a segment whose
   time on one thread, perfectly shared out, would save less than the median
   of them is never tried shared out. Call before the first audio block. */
void st_sched_warm_up(const StSchedConfig* config);

/* Processes every node of `graph` (planned, with buffers) for `frames`
   (1..ST_BLOCK) and adds sinks and taps into out[0] and out[1]. */
void st_sched_run(StGraph* graph, const StSchedConfig* config, const StHost* host,
                  uint32_t frames, float* const out[2]);

/* True when the next block of `graph` would share a segment out, or time
   one in a probe round: only then does it need the thread that owns the
   team (st_sched_warm_up's); otherwise any thread can run it with `alone`. */
bool st_sched_wants_team(const StGraph* graph, const StSchedConfig* config);

/* Enables flush-to-zero and denormals-are-zero on this thread; returns the
   previous state for st_sched_restore_fp(). */
uint32_t st_sched_flush_denormals(void);
void     st_sched_restore_fp(uint32_t saved);

#endif
