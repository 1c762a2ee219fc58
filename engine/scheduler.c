#include "scheduler.h"

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
run_node(StNodeSlot* slot, const StHost* host, uint32_t frames, float rate)
{
  if (slot->type->process) {
    const StProcess p = {frames, rate, slot->in, slot->linked, slot->out, slot->params, host};
    slot->type->process(slot->state, &p);
  }
}

static void
run_level_parallel(StGraph* graph, const uint32_t* nodes, int count, const StHost* host,
                   uint32_t frames, int threads)
{
  StNodeSlot* slots = graph->slots;
  const float rate  = graph->rate;
#pragma omp parallel num_threads(threads)
  {
    const uint32_t saved = st_sched_flush_denormals();
#pragma omp for schedule(static)
    for (int k = 0; k < count; ++k) {
      run_node(&slots[nodes[k]], host, frames, rate);
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
  const StPlan* plan = &graph->plan;
  for (uint32_t l = 0; l < plan->n_levels; ++l) {
    const uint32_t  begin = plan->level_start[l];
    const uint32_t  count = plan->level_start[l + 1] - begin;
    const uint32_t* nodes = plan->order + begin;
    if (config->threads > 1 && count > 1 &&
        plan->level_cost[l] * (float)frames >= config->threshold) {
      run_level_parallel(graph, nodes, (int)count, host, frames, (int)config->threads);
      continue;
    }
    for (uint32_t k = 0; k < count; ++k) {
      run_node(&graph->slots[nodes[k]], host, frames, graph->rate);
    }
  }
  mix_output(graph, frames, out);
}
