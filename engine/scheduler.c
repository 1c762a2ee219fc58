/* SPDX-License-Identifier: ISC */
#include "scheduler.h"

#include "guard.h"
#include "monitor.h"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define ST_HAVE_MXCSR 1
#endif

#include <omp.h>

uint32_t
st_sched_flush_denormals(void)
{
#ifdef ST_HAVE_MXCSR
  const uint32_t saved = _mm_getcsr();
  _mm_setcsr(saved | 0x8040u); // FTZ (bit 15) and DAZ (bit 6)
  return saved;
#else
  return 0;
#endif
}

void
st_sched_restore_fp(uint32_t saved)
{
#ifdef ST_HAVE_MXCSR
  _mm_setcsr(saved);
#else
  (void)saved;
#endif
}

void
st_sched_warm_up(const StSchedConfig* config)
{
  if (config->threads > 1) {
#pragma omp parallel num_threads((int)config->threads)
    {
      (void)st_sched_flush_denormals();
    }
  }
}

static inline void
run_node(StGraph* graph, uint32_t index, const StHost* host, uint32_t frames)
{
  StNodeSlot* slot = &graph->slots[index];
  if (slot->type->process) {
    const StProcess p = {frames, graph->rate, slot->in, slot->linked, slot->out, slot->params,
                         host};
    if (!st_guard_run(slot->type, slot->state, &p)) { // The header only now: it is cold.
      (void)st_guard_repair(slot->type, slot->state, st_graph_state_header(slot->state)->created,
                            &p);
    }
  }
  if (graph->monitor) { // Now: a later node may reuse the output buffers.
    st_monitor_record(graph->monitor, graph, index, frames);
  }
}

static bool
level_is_wide(const StPlan* plan, const StSchedConfig* config, uint32_t level, uint32_t frames)
{
  return plan->level_start[level + 1] - plan->level_start[level] > 1 &&
         plan->level_cost[level] * (float)frames >= config->threshold;
}

static void
run_level(StGraph* graph, uint32_t level, const StHost* host, uint32_t frames)
{
  const StPlan* plan = &graph->plan;
  for (uint32_t k = plan->level_start[level]; k < plan->level_start[level + 1]; ++k) {
    run_node(graph, plan->order[k], host, frames);
  }
}

/* Levels first..last in one parallel region, so the team forks and joins
   once per block: a wide level is shared out (its loop ends at a barrier), a
   narrow one runs on one thread while the others wait at the barrier. */
static void
run_levels_parallel(StGraph* graph, const StSchedConfig* config, uint32_t first, uint32_t last,
                    const StHost* host, uint32_t frames)
{
  const StPlan* plan = &graph->plan;
#pragma omp parallel num_threads((int)config->threads)
  {
    const uint32_t saved = st_sched_flush_denormals();
    for (uint32_t l = first; l <= last; ++l) {
      if (level_is_wide(plan, config, l, frames)) {
        const int begin = (int)plan->level_start[l];
        const int end   = (int)plan->level_start[l + 1];
#pragma omp for schedule(static)
        for (int k = begin; k < end; ++k) {
          run_node(graph, plan->order[k], host, frames);
        }
      } else {
#pragma omp single
        run_level(graph, l, host, frames);
      }
    }
    st_sched_restore_fp(saved);
  }
}

static void
add_into(float* dst, const float* src, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    dst[i] += src[i];
  }
}

/* Sums sinks (in index order) and taps into the host output. */
static void
mix_output(const StGraph* graph, uint32_t frames, float* const out[2])
{
  const StPlan* plan = &graph->plan;
  for (uint32_t s = 0; s < plan->n_sinks; ++s) {
    const StNodeSlot* slot = &graph->slots[plan->sinks[s]];
    for (uint32_t c = 0; c < 2 && c < slot->type->n_inputs; ++c) {
      if (slot->linked & (1u << c)) {
        add_into(out[c], slot->in[c], frames);
      }
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    const StSource tap = graph->taps[c];
    if (tap.node != ST_NO_NODE) {
      add_into(out[c], graph->slots[tap.node].out[tap.port], frames);
    }
  }
}

void
st_sched_run(StGraph* graph, const StSchedConfig* config, const StHost* host,
             uint32_t frames, float* const out[2])
{
  const StPlan* plan  = &graph->plan;
  uint32_t      first = plan->n_levels, last = 0;
  for (uint32_t l = 0; config->threads > 1 && l < plan->n_levels; ++l) {
    if (level_is_wide(plan, config, l, frames)) {
      first = first < l ? first : l;
      last  = l;
    }
  }
  for (uint32_t l = 0; l < plan->n_levels; ++l) {
    if (l == first) {
      run_levels_parallel(graph, config, first, last, host, frames);
      l = last;
    } else {
      run_level(graph, l, host, frames);
    }
  }
  mix_output(graph, frames, out);
}
