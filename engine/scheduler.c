/* SPDX-License-Identifier: ISC */
#include "scheduler.h"

#include "guard.h"
#include "monitor.h"
#include "wide.h"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define ST_HAVE_MXCSR 1
#endif

#include <omp.h>
#include <stdatomic.h>
#include <time.h>

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

static double
now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); // vDSO: no system call, no lock
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* What an empty parallel region typically costs here (the median of a few
   timed by the latest warm-up), in ns: a property of the machine and its
   load, so one for the process. */
static atomic_uint region_ns = UINT32_MAX;

#define REGIONS_TIMED 33

/* The median of n values (a few), sorted in place. */
static float
median(float* v, uint32_t n)
{
  for (uint32_t i = 1; i < n; ++i) { // Insertion sort: a few values
    const float x = v[i];
    uint32_t    j = i;
    for (; j > 0 && v[j - 1] > x; --j) {
      v[j] = v[j - 1];
    }
    v[j] = x;
  }
  return n % 2 ? v[n / 2] : 0.5f * (v[n / 2 - 1] + v[n / 2]);
}

void
st_sched_warm_up(const StSchedConfig* config)
{
  if (config->threads < 2) {
    return;
  }
#pragma omp parallel num_threads((int)config->threads)
  {
    (void)st_sched_flush_denormals();
  }
  float ns[REGIONS_TIMED];
  for (int r = 0; r < REGIONS_TIMED; ++r) {
    const double t0 = now_ns();
#pragma omp parallel num_threads((int)config->threads)
    {
      st_sched_restore_fp(st_sched_flush_denormals()); // What every region does (and not empty)
    }
    ns[r] = (float)(now_ns() - t0);
  }
  atomic_store_explicit(&region_ns, (unsigned)median(ns, REGIONS_TIMED), memory_order_relaxed);
}

static inline void
run_node(StGraph* graph, const StTask* task, const StHost* host, uint32_t frames)
{
  const StProcess p = {frames, graph->rate, task->in, task->linked, task->out, task->params,
                       host};
  if (!st_guard_run(task->type, task->state, &p)) { // The header only now: it is cold.
    (void)st_guard_repair(task->type, task->state, st_graph_state_header(task->state)->created,
                          &p);
  }
  if (graph->monitor) { // Now: a later node may reuse the output buffers.
    st_monitor_record(graph->monitor, graph, task->node, frames);
  }
}

/* --- Running segments --- */

#define CHUNKS_PER_THREAD 4 ///< Pieces a shared-out segment is cut into, per thread

/* Wide: the guard's check of each output, inlined here, reads 8 samples an
   instruction with AVX2. A sleeping voice's nodes are skipped: nothing reads
   their outputs until it wakes (voices.h). */
ST_WIDE static void
run_nodes(StGraph* graph, uint32_t begin, uint32_t end, const StHost* host, uint32_t frames)
{
  const StTask* tasks = graph->plan.tasks;
  for (uint32_t k = begin; k < end; ++k) {
    if (!tasks[k].asleep || !*tasks[k].asleep) {
      run_node(graph, &tasks[k], host, frames);
    }
  }
}

static void
run_alone(StGraph* graph, uint32_t seg, const StHost* host, uint32_t frames)
{
  const StPlan* plan = &graph->plan;
  run_nodes(graph, plan->unit_start[plan->segment_start[seg]],
            plan->unit_start[plan->segment_start[seg + 1]], host, frames);
}

/* One thread's part of a shared-out segment: the next chunk of consecutive
   units until none is left, so a thread that wakes late (or never, on a
   busy machine) leaves its share to the others. */
static void
share_units(StGraph* graph, const StSchedConfig* config, uint32_t seg, atomic_uint* next,
            const StHost* host, uint32_t frames)
{
  const StPlan*  plan   = &graph->plan;
  const uint32_t first  = plan->segment_start[seg];
  const uint32_t units  = plan->segment_start[seg + 1] - first;
  const uint32_t chunk  = 1 + units / (CHUNKS_PER_THREAD * config->threads);
  const uint32_t chunks = (units + chunk - 1) / chunk;
  for (uint32_t c; (c = atomic_fetch_add_explicit(next, 1u, memory_order_relaxed)) < chunks;) {
    const uint32_t u0 = first + c * chunk;
    const uint32_t u1 = u0 + chunk < first + units ? u0 + chunk : first + units;
    run_nodes(graph, plan->unit_start[u0], plan->unit_start[u1], host, frames);
  }
}

/* --- Measuring --- */

#define PERIOD_MIN 64u    ///< Full blocks before the next probe round after a change
#define PERIOD_MAX 4096u  ///< Longest wait between rounds (about 5 s at 48 kHz)
#define ROUND (2u * ST_TUNE_SAMPLES)
#define GO_PARALLEL 0.90f ///< Shared out only when its median is this much of the other's
#define STAY_PARALLEL 0.97f
#define PROBE_SHARE 0.01f ///< Most of a segment's time that failed tries of sharing it out may cost
#define LOSS_BLOCKS 16.0f ///< Loss in a round, in blocks of the segment alone, that ends its tries
#define DEBT_BLOCKS 64.0f ///< Net loss between rounds, in blocks alone, that ends sharing it out
#define MAX_STRIKES 10u   ///< Such losses in a row that space the next try out further


/* Halfway through a round, after the blocks run alone: a segment that would
   save less than an empty parallel region costs, even shared out perfectly,
   is never tried (until the next plan). */
static void
weigh_all(StPlan* plan, const StSchedConfig* config)
{
  const float region = (float)atomic_load_explicit(&region_ns, memory_order_relaxed);
  const float share  = (float)(config->threads - 1) / (float)config->threads;
  uint32_t    kept   = 0;
  for (uint32_t c = 0; c < plan->n_candidates; ++c) {
    StSegmentTune* t = &plan->tune[plan->candidates[c]];
    t->seq_median    = median(t->seq_ns, ST_TUNE_SAMPLES);
    t->hopeless      = t->seq_median * share < region;
    if (!t->hopeless) {
      plan->candidates[kept++] = plan->candidates[c]; // The others are not looked at again
    }
  }
  plan->n_candidates = kept;
}

/* Ends a probe round for one segment: if it was tried both ways, it keeps
   the faster (a change only for a clear margin; the first shared-out time,
   which woke the team, left out). Shared out in one region with the next
   segment (`fused`), its time holds the region's start, which that segment
   pays anyway when it stays shared: half an empty region, left out too.
   When it stays alone, the next try waits until what the tries cost is a
   small share of the time it ran since. Returns true when the way changed. */
static bool
decide(StPlan* plan, StSegmentTune* t, bool fused)
{
  const bool  was = t->parallel;
  const float seq = t->seq_median;
  if (t->lost) {
    t->parallel = false;
  } else if (t->par_samples == ST_TUNE_SAMPLES) {
    const float start = fused ? 0.5f * (float)atomic_load_explicit(&region_ns, memory_order_relaxed)
                              : 0.0f;
    const float par = median(t->par_ns + 1, ST_TUNE_SAMPLES - 1) - start;
    t->parallel     = par < seq * (t->parallel ? STAY_PARALLEL : GO_PARALLEL);
  }
  if (!t->parallel && t->par_samples > 0) {
    t->par_after = plan->blocks + (uint64_t)(t->excess_ns / (PROBE_SHARE * seq));
  }
  if (was && t->parallel && t->strikes > 0) {
    --t->strikes; // A whole period shared out without a net loss
  }
  t->par_samples = 0;
  t->excess_ns   = 0.0f;
  t->debt_ns     = 0.0f;
  t->lost        = false;
  return t->parallel != was;
}

/* Decides every candidate, the last first: whether the next one stays
   shared out matters to this one. */
static bool
decide_all(StPlan* plan)
{
  bool changed   = false;
  bool next_kept = false; // The next candidate, adjacent, was tried shared out and stays so
  for (uint32_t c = plan->n_candidates; c-- > 0;) {
    const uint32_t s     = plan->candidates[c];
    StSegmentTune* t     = &plan->tune[s];
    const bool     tried = t->par_samples == ST_TUNE_SAMPLES && !t->lost;
    const bool     fused = tried && next_kept && plan->candidates[c + 1] == s + 1;
    changed |= decide(plan, t, fused);
    next_kept = tried && t->parallel;
  }
  return changed;
}

/* How this block runs a segment of several units: the way measured best, or
   during a probe round alone for ST_TUNE_SAMPLES blocks, then shared out for
   as many unless that is known not to pay. */
static bool
shares_out_at(const StPlan* plan, const StSchedConfig* config, uint32_t seg, uint32_t frames,
              uint32_t probe_block)
{
  if (config->threshold > 0.0f) {
    return plan->segment_cost[seg] * (float)frames >= config->threshold;
  }
  const StSegmentTune* t = &plan->tune[seg];
  if (probe_block < ROUND) {
    return probe_block >= ST_TUNE_SAMPLES && !t->hopeless && !t->lost &&
           plan->blocks >= t->par_after;
  }
  return t->parallel;
}

static bool
shares_out(const StPlan* plan, const StSchedConfig* config, uint32_t seg, uint32_t frames)
{
  return shares_out_at(plan, config, seg, frames, plan->probe_block);
}

bool
st_sched_wants_team(const StGraph* graph, const StSchedConfig* config)
{
  const StPlan* plan = &graph->plan;
  if (config->threads < 2) {
    return false;
  }
  if (config->threshold <= 0.0f && plan->n_candidates &&
      (plan->probe_block < ROUND || plan->probe_wait == 0)) {
    return true; // A probe round runs, or starts with this block: it times on the team's thread
  }
  for (uint32_t c = 0; c < plan->n_candidates; ++c) {
    if (shares_out_at(plan, config, plan->candidates[c], ST_BLOCK, plan->probe_block)) {
      return true;
    }
  }
  return false;
}

/* A time shared out, measured from the segment's start to the barrier after it. */
static void
record_shared(StPlan* plan, StSegmentTune* t, float ns)
{
  const float seq = t->seq_median;
  if (plan->probe_block < ROUND) {
    // The first time woke the team: it counts in what trying cost, but not
    // towards giving up (stalls, a busy machine), which the others decide.
    const float warm = t->par_samples ? t->par_ns[0] : 0.0f;
    t->par_ns[t->par_samples++] = ns;
    t->excess_ns += ns > seq ? ns - seq : 0.0f;
    t->lost = t->par_samples > 1 && t->excess_ns - (warm > seq ? warm - seq : 0.0f) >
                                      LOSS_BLOCKS * seq;
    return;
  }
  // Between rounds: what sharing out has cost more than running alone would
  // have, net of what it saved (the savings count up to DEBT_BLOCKS blocks
  // alone, so that a stall after a run of savings is forgiven). A net loss
  // of DEBT_BLOCKS blocks and it runs alone again, until a round tries it
  // after PERIOD_MIN blocks, doubled for each such loss in a row (a stall
  // now and then costs little; a machine that keeps stalling is left alone).
  const float debt = t->debt_ns + ns - seq;
  t->debt_ns       = debt > -DEBT_BLOCKS * seq ? debt : -DEBT_BLOCKS * seq;
  if (t->debt_ns > DEBT_BLOCKS * seq) {
    t->parallel  = false;
    t->par_after = plan->blocks + ((uint64_t)PERIOD_MIN << t->strikes);
    t->strikes   = t->strikes < MAX_STRIKES ? t->strikes + 1 : MAX_STRIKES;
    t->debt_ns   = 0.0f;
  }
}

/* Shares segments first..last out in one parallel region, so the team forks
   and joins once, with a barrier between segments. Timed by the calling
   thread when `timed` (full blocks when measuring). Two counters of chunks
   taken: the one of a segment is reset for the next but one after the
   barrier that ends it. */
static void
run_shared(StGraph* graph, const StSchedConfig* config, uint32_t first, uint32_t last,
           const StHost* host, uint32_t frames, bool timed)
{
  StPlan*     plan    = &graph->plan;
  atomic_uint next[2] = {0, 0};
  double      mark    = timed ? now_ns() : 0.0;
#pragma omp parallel num_threads((int)config->threads)
  {
    const uint32_t saved  = st_sched_flush_denormals();
    const bool     caller = omp_get_thread_num() == 0;
    for (uint32_t s = first; s <= last; ++s) {
      share_units(graph, config, s, &next[s & 1u], host, frames);
      if (s < last) {
#pragma omp barrier
        if (caller) {
          atomic_store_explicit(&next[s & 1u], 0u, memory_order_relaxed);
          if (timed) {
            const double now = now_ns();
            record_shared(plan, &plan->tune[s], (float)(now - mark));
            mark = now;
          }
        }
      }
    }
    st_sched_restore_fp(saved);
  }
  if (timed) {
    record_shared(plan, &plan->tune[last], (float)(now_ns() - mark));
  }
}

/* Runs a segment on the calling thread, timed in the first half of a probe
   round. */
static void
run_alone_timed(StGraph* graph, uint32_t seg, const StHost* host, uint32_t frames)
{
  StPlan*      plan = &graph->plan;
  const double t0   = now_ns();
  run_alone(graph, seg, host, frames);
  plan->tune[seg].seq_ns[plan->probe_block] = (float)(now_ns() - t0);
}

/* Counts a full block: towards the next round, or within the running one,
   which weighs the segments halfway and ends after ROUND blocks with a
   decision. */
static void
advance_probe(StPlan* plan, const StSchedConfig* config)
{
  ++plan->blocks;
  if (plan->probe_block < ROUND) {
    ++plan->probe_block;
    if (plan->probe_block == ST_TUNE_SAMPLES) {
      weigh_all(plan, config);
    } else if (plan->probe_block == ROUND) {
      const bool changed = decide_all(plan);
      plan->probe_period = changed || plan->probe_period < PERIOD_MIN ? PERIOD_MIN
                         : plan->probe_period < PERIOD_MAX      ? 2 * plan->probe_period
                                                                : PERIOD_MAX;
      plan->probe_wait = plan->probe_period;
    }
  } else if (plan->probe_wait > 0) {
    --plan->probe_wait;
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
  StPlan* plan = &graph->plan;
  if (config->alone && config->threads > 1) {
    run_nodes(graph, 0, plan->unit_start[plan->n_units], host, frames);
    if (frames == ST_BLOCK && config->threshold <= 0.0f && plan->probe_block == ROUND) {
      advance_probe(plan, config); // Counts towards the next round, as with the team
    }
    mix_output(graph, frames, out);
    return;
  }
  const bool several = config->threads > 1;
  // Measured on full blocks only, so that the samples compare.
  const bool measure = several && config->threshold <= 0.0f && frames == ST_BLOCK;
  if (measure && plan->probe_block == ROUND && plan->probe_wait == 0) {
    plan->probe_block = 0;
  }
  const bool probing = measure && plan->probe_block < ROUND;
  const uint32_t* at   = plan->unit_start;
  const uint32_t* segs = plan->segment_start;
  const uint32_t* cand = plan->candidates;
  // Nodes that run alone run in one flat loop up to the next segment shared
  // out (or timed): `alone` is where that loop starts.
  uint32_t alone = 0;
  for (uint32_t c = 0; several && c < plan->n_candidates;) {
    const uint32_t s = cand[c];
    if (!shares_out(plan, config, s, frames)) {
      if (probing && plan->probe_block < ST_TUNE_SAMPLES) {
        run_nodes(graph, alone, at[segs[s]], host, frames);
        run_alone_timed(graph, s, host, frames);
        alone = at[segs[s + 1]];
      }
      ++c;
      continue;
    }
    uint32_t last = s; // Consecutive segments shared out share one region
    while (c + 1 < plan->n_candidates && cand[c + 1] == last + 1 &&
           shares_out(plan, config, last + 1, frames)) {
      ++c;
      ++last;
    }
    run_nodes(graph, alone, at[segs[s]], host, frames);
    run_shared(graph, config, s, last, host, frames, measure);
    alone = at[segs[last + 1]];
    ++c;
  }
  run_nodes(graph, alone, at[plan->n_units], host, frames);
  if (measure) {
    advance_probe(plan, config);
  }
  mix_output(graph, frames, out);
}
