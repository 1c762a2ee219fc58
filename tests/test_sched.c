/* SPDX-License-Identifier: ISC */
/* Scheduler: over thousands of seeded random DAGs, parallel levels give the
   same output as sequential ones bit for bit, and every node runs after all
   of its sources, in parallel levels too. */
#include "core_nodes.h"
#include "graph.h"
#include "scheduler.h"

#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SEEDS
#define SEEDS 2000
#endif

static const float zeros[ST_BLOCK];

/* Runs one sub-block into l and r (cleared first), as the engine does:
   with denormals flushed on the calling thread like on the worker threads. */
static void
render(StGraph* run, const StSchedConfig* config, uint32_t frames, float* l, float* r)
{
  memset(l, 0, ST_BLOCK * sizeof(float));
  memset(r, 0, ST_BLOCK * sizeof(float));
  StHost host = {.in = {zeros, zeros}};
  for (uint32_t m = 0; m < ST_MACRO_SLOTS; ++m) {
    host.macros[m] = 0.5f;
  }
  float* const   out[2] = {l, r};
  const uint32_t saved  = st_sched_flush_denormals();
  st_sched_run(run, config, &host, frames, out);
  st_sched_restore_fp(saved);
}

/* Every linked input's source sits on an earlier level; returns the number
   of segments that the threshold sends parallel for `frames`. */
static uint32_t
check_levels(const StGraph* g, const StSchedConfig* config, uint32_t frames)
{
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    if (!st_arena_live(&g->arena, n)) {
      continue;
    }
    const StNodeSlot* s = &g->slots[n];
    for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
      if (s->src[i].node != ST_NO_NODE) {
        ck_assert_uint_lt(g->slots[s->src[i].node].level, s->level);
      }
    }
  }
  uint32_t parallel = 0;
  for (uint32_t s = 0; s < g->plan.n_segments; ++s) {
    const uint32_t units = g->plan.segment_start[s + 1] - g->plan.segment_start[s];
    parallel += units > 1 && g->plan.segment_cost[s] * (float)frames >= config->threshold;
  }
  return parallel;
}

static const uint32_t block_frames[] = {64, 17, 1, 33, 63};
#define N_BLOCKS (sizeof(block_frames) / sizeof(block_frames[0]))

/* Renders `seeds` random DAGs (1..200 nodes) twice, sequentially and with
   `par`, over blocks of odd sizes, and compares the outputs bit for bit.
   Returns the number of segments that went parallel. One thread count per
   test: libgomp is very slow when team sizes alternate on few cores. */
static uint32_t
compare_over_seeds(const StSchedConfig* par, uint32_t first, uint32_t seeds)
{
  const StSchedConfig seq             = {.threads = 1, .threshold = 1.0f};
  uint32_t            parallel_levels = 0, nonzero = 0;
  float               l0[ST_BLOCK], r0[ST_BLOCK], l1[ST_BLOCK], r1[ST_BLOCK];
  st_sched_warm_up(par);
  for (uint32_t seed = first; seed < first + seeds; ++seed) {
    const uint32_t nodes = 1 + (seed * 37u) % 200u;
    StGraph*       model = st_graph_new(nodes + nodes / 10 + 1, 1024, 48000.0f);
    ck_assert_msg(ct_random_dag(model, seed, nodes) == ST_OK, "seed %u: %s", seed,
                  st_graph_error(model));
    ck_assert_int_eq(st_graph_plan(model), ST_OK);
    StGraph* a = st_graph_instantiate(model);
    StGraph* b = st_graph_instantiate(model);
    ck_assert(a && b);
    for (uint32_t k = 0; k < N_BLOCKS; ++k) {
      const uint32_t frames = block_frames[k];
      parallel_levels += check_levels(b, par, frames);
      render(a, &seq, frames, l0, r0);
      render(b, par, frames, l1, r1);
      ck_assert_msg(!memcmp(l0, l1, frames * sizeof(float)) &&
                      !memcmp(r0, r1, frames * sizeof(float)),
                    "seed %u block %u: %u threads differ from 1", seed, k, par->threads);
      for (uint32_t i = 0; i < frames; ++i) {
        nonzero += l0[i] != 0.0f || r0[i] != 0.0f;
      }
    }
    st_graph_free(a);
    st_graph_free(b);
    st_graph_free(model);
  }
  // The property was really exercised: audible output from most graphs.
  ck_assert_uint_gt(nonzero, seeds * 40);
  return parallel_levels;
}

START_TEST(test_two_threads_equal_sequential)
{
  // Threshold 1: every segment of two units or more goes parallel.
  const StSchedConfig par = {.threads = 2, .threshold = 1.0f};
  ck_assert_uint_gt(compare_over_seeds(&par, 1, SEEDS), SEEDS * 10);
}
END_TEST

START_TEST(test_four_threads_equal_sequential)
{
  // More threads than most segments have units; only heavier ones go parallel.
  const StSchedConfig par = {.threads = 4, .threshold = 400.0f};
  ck_assert_uint_gt(compare_over_seeds(&par, 100000, SEEDS / 4), SEEDS / 4 * 10);
}
END_TEST

/* The same graph in three runs: mid-run parameter changes and fresh edits
   (re-planned between blocks) stay bit-identical too. */
START_TEST(test_parallel_equals_sequential_across_edits)
{
  const StSchedConfig seq = {.threads = 1, .threshold = 1.0f};
  const StSchedConfig par = {.threads = 2, .threshold = 1.0f};
  float               l0[ST_BLOCK], r0[ST_BLOCK], l1[ST_BLOCK], r1[ST_BLOCK];
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    StGraph* model = st_graph_new(160, 1024, 48000.0f);
    ck_assert_int_eq(ct_random_dag(model, seed + 5000, 120), ST_OK);
    ck_assert_int_eq(st_graph_plan(model), ST_OK);
    StGraph* a = st_graph_instantiate(model);
    StGraph* b = st_graph_instantiate(model);
    uint32_t rng = seed;
    for (uint32_t k = 0; k < 12; ++k) {
      // Same random edit on both: a new gain target, or an input unlinked.
      const uint32_t n = ct_rand(&rng) % 120u;
      if (st_arena_live(&a->arena, n)) {
        StNodeSlot* sa = &a->slots[n];
        StNodeSlot* sb = &b->slots[n];
        if (sa->type == &ct_gain) {
          const float v = (float)(ct_rand(&rng) % 400u) / 100.0f - 2.0f;
          st_param_set(&sa->params[CT_GAIN_GAIN], v, false);
          st_param_set(&sb->params[CT_GAIN_GAIN], v, false);
        } else if (sa->type->n_inputs && sa->src[0].node != ST_NO_NODE) {
          const StHandle h = st_arena_handle(&a->arena, n);
          st_graph_apply_disconnect(a, h, 0);
          st_graph_apply_disconnect(b, h, 0);
          ck_assert_int_eq(st_graph_plan(a), ST_OK);
          ck_assert_int_eq(st_graph_plan(b), ST_OK);
        }
      }
      const uint32_t frames = 1 + ct_rand(&rng) % ST_BLOCK;
      render(a, &seq, frames, l0, r0);
      render(b, &par, frames, l1, r1);
      ck_assert_msg(!memcmp(l0, l1, frames * sizeof(float)) &&
                      !memcmp(r0, r1, frames * sizeof(float)),
                    "seed %u block %u differs", seed, k);
    }
    st_graph_free(a);
    st_graph_free(b);
    st_graph_free(model);
  }
}
END_TEST

/* --- Run order --- */

static atomic_uint clock_ticks;

typedef struct {
  uint32_t tick; ///< When the node last ran
} TraceState;

static size_t
trace_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(TraceState);
}

static void
trace_process(void* state, const StProcess* p)
{
  ((TraceState*)state)->tick = atomic_fetch_add(&clock_ticks, 1u) + 1u;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = p->in[0][i] + p->in[1][i] + p->in[2][i];
  }
}

static const StPortSpec trace_inputs[]  = {{"a", ""}, {"b", ""}, {"c", ""}};
static const StPortSpec trace_outputs[] = {{"out", ""}};

static const StNodeType trace_type = {
  .name       = "trace",
  .family     = "Test",
  .doc        = "Records when it runs.",
  .n_inputs   = 3,
  .inputs     = trace_inputs,
  .n_outputs  = 1,
  .outputs    = trace_outputs,
  .cost       = 100.0f,
  .state_size = trace_size,
  .process    = trace_process,
};

/* Builds a random DAG of trace nodes for `seed`, runs two blocks and checks
   that each node ran once per block, after every one of its sources. */
static void
trace_seed(const StSchedConfig* config, uint32_t seed)
{
  uint32_t       rng   = seed * 7919u;
  const uint32_t nodes = 2 + ct_rand(&rng) % 120u;
  StGraph*       model = st_graph_new(nodes, 1024, 48000.0f);
  char           name[16];
  float          l[ST_BLOCK], r[ST_BLOCK];
  for (uint32_t n = 0; n < nodes; ++n) {
    snprintf(name, sizeof(name), "t%u", n);
    ck_assert_int_eq(st_graph_add(model, &trace_type, name, NULL, NULL), ST_OK);
  }
  // Random links in any direction; the ones that would close a cycle are refused.
  for (uint32_t k = 0; k < nodes * 2; ++k) {
    const uint32_t s = ct_rand(&rng) % nodes, d = ct_rand(&rng) % nodes;
    const StStatus st = st_graph_connect(model, st_arena_handle(&model->arena, s), 0,
                                         st_arena_handle(&model->arena, d), ct_rand(&rng) % 3u);
    ck_assert(st == ST_OK || st == ST_ERR_CYCLE || st == ST_ERR_PORT);
  }
  ck_assert_int_eq(st_graph_plan(model), ST_OK);
  StGraph* run = st_graph_instantiate(model);
  check_levels(run, config, 1);
  for (uint32_t block = 0; block < 2; ++block) {
    const uint32_t start = atomic_load(&clock_ticks);
    render(run, config, 1 + (seed + block) % ST_BLOCK, l, r);
    ck_assert_uint_eq(atomic_load(&clock_ticks) - start, nodes); // Each node once
    for (uint32_t d = 0; d < nodes; ++d) {
      const StNodeSlot* ds = &run->slots[d];
      const uint32_t    dt = ((TraceState*)ds->state)->tick;
      ck_assert_uint_gt(dt, start);
      for (uint32_t i = 0; i < 3; ++i) {
        if (ds->src[i].node != ST_NO_NODE) {
          const uint32_t st = ((TraceState*)run->slots[ds->src[i].node].state)->tick;
          ck_assert_msg(st < dt, "seed %u: t%u ran before its source t%u", seed, d,
                        ds->src[i].node);
        }
      }
    }
  }
  st_graph_free(run);
  st_graph_free(model);
}

START_TEST(test_every_node_runs_after_its_sources)
{
  // Thread counts outermost: libgomp is slow when team sizes alternate.
  const StSchedConfig configs[] = {{.threads = 1, .threshold = 1.0f}, {.threads = 2, .threshold = 1.0f}, {.threads = 4, .threshold = 1.0f}};
  for (uint32_t c = 0; c < 3; ++c) {
    st_sched_warm_up(&configs[c]);
    for (uint32_t seed = 1; seed <= 300; ++seed) {
      trace_seed(&configs[c], seed);
    }
  }
}
END_TEST

/* A planned model of one wide level: 32 sources of different frequencies,
   the fourth tapped to the left output. */
static StGraph*
wide_sources(void)
{
  StGraph* model = st_graph_new(64, 256, 48000.0f);
  char     name[16];
  for (uint32_t n = 0; n < 32; ++n) {
    snprintf(name, sizeof(name), "s%u", n);
    const float p[] = {(float)n, 1.0f};
    ck_assert_int_eq(st_graph_add(model, &ct_src, name, p, NULL), ST_OK);
  }
  ck_assert_int_eq(st_graph_set_output(model, 0, st_graph_find(model, "s3"), 0), ST_OK);
  ck_assert_int_eq(st_graph_plan(model), ST_OK);
  return model;
}

START_TEST(test_threshold_decides)
{
  // A wide level of cheap nodes stays sequential under the default threshold
  // and goes parallel under a tiny one; output is identical either way.
  StGraph* model = wide_sources();
  ck_assert_uint_eq(model->plan.n_levels, 1);
  ck_assert(model->plan.level_cost[0] == 32 * ct_src.cost);
  const StSchedConfig lazy  = {.threads = 2, .threshold = 20000.0f};
  const StSchedConfig eager = {.threads = 2, .threshold = 1.0f};
  ck_assert_uint_eq(check_levels(model, &lazy, ST_BLOCK), 1);  // 640 ns x 64 frames >= 20000
  ck_assert_uint_eq(check_levels(model, &lazy, 16), 0);        // 640 x 16 < 20000
  ck_assert_uint_eq(check_levels(model, &eager, 1), 1);
  StGraph* a = st_graph_instantiate(model);
  StGraph* b = st_graph_instantiate(model);
  float    l0[ST_BLOCK], r0[ST_BLOCK], l1[ST_BLOCK], r1[ST_BLOCK];
  for (int k = 0; k < 20; ++k) {
    render(a, &lazy, 16, l0, r0);
    render(b, &eager, 16, l1, r1);
    ck_assert(!memcmp(l0, l1, sizeof(l0)) && !memcmp(r0, r1, sizeof(r0)));
  }
  st_graph_free(a);
  st_graph_free(b);
  st_graph_free(model);
}
END_TEST

/* Every segment of several units was timed on the calling thread in all the
   round's even blocks, and shared out at least once unless one thread was
   quicker than an empty parallel region. */
static void
check_round_timed(const StGraph* g, uint32_t seed)
{
  for (uint32_t s = 0; s < g->plan.n_segments; ++s) {
    const StSegmentTune* t = &g->plan.tune[s];
    if (g->plan.segment_start[s + 1] - g->plan.segment_start[s] < 2) {
      continue;
    }
    for (uint32_t i = 0; i < ST_TUNE_SAMPLES; ++i) {
      ck_assert_msg(t->seq_ns[i] > 0.0f, "seed %u segment %u: no time alone", seed, s);
    }
    ck_assert_msg(t->hopeless || t->par_ns[0] > 0.0f, "seed %u segment %u: not tried shared",
                  seed, s);
  }
}

/* Measured (threshold 0): probe rounds run each segment of several units both
   ways in turn and keep the faster. Whatever they find, the output is bit for
   bit the one thread's; a round takes 2 * ST_TUNE_SAMPLES full blocks, then
   the next waits 64; blocks of other sizes are neither timed nor counted. */
START_TEST(test_measured_equals_sequential)
{
  const StSchedConfig seq      = {.threads = 1, .threshold = 1.0f};
  const StSchedConfig measured = {.threads = 2, .threshold = 0.0f};
  float               l0[ST_BLOCK], r0[ST_BLOCK], l1[ST_BLOCK], r1[ST_BLOCK];
  st_sched_warm_up(&measured);
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    StGraph* model = st_graph_new(400, 1024, 48000.0f);
    ck_assert_int_eq(ct_random_dag(model, seed + 9000, 300), ST_OK);
    ck_assert_int_eq(st_graph_plan(model), ST_OK);
    StGraph* a = st_graph_instantiate(model);
    StGraph* b = st_graph_instantiate(model);
    ck_assert_uint_eq(b->plan.probe_block, 2 * ST_TUNE_SAMPLES); // None yet
    ck_assert_uint_eq(b->plan.probe_wait, 0);                    // The first starts at once
    uint32_t full = 0;
    for (uint32_t k = 0; k < 120; ++k) {
      const uint32_t frames = k % 5 == 2 ? 17 : ST_BLOCK;
      render(a, &seq, frames, l0, r0);
      render(b, &measured, frames, l1, r1);
      ck_assert_msg(!memcmp(l0, l1, frames * sizeof(float)) &&
                      !memcmp(r0, r1, frames * sizeof(float)),
                    "seed %u block %u differs", seed, k);
      full += frames == ST_BLOCK;
      if (full < 2 * ST_TUNE_SAMPLES) {
        ck_assert_uint_eq(b->plan.probe_block, full);
      } else if (full == 2 * ST_TUNE_SAMPLES) {
        ck_assert_uint_eq(b->plan.probe_block, 2 * ST_TUNE_SAMPLES);
        ck_assert_uint_eq(b->plan.probe_wait, 64);
        check_round_timed(b, seed);
      } else if (full <= 2 * ST_TUNE_SAMPLES + 64) {
        ck_assert_uint_eq(b->plan.probe_wait, 2 * ST_TUNE_SAMPLES + 64 - full);
      }
    }
    // 96 full blocks: the second round is over too; the wait doubles unless
    // a decision changed.
    ck_assert_uint_eq(full, 2 * (2 * ST_TUNE_SAMPLES) + 64);
    ck_assert_uint_eq(b->plan.probe_block, 2 * ST_TUNE_SAMPLES);
    ck_assert(b->plan.probe_wait == 64 || b->plan.probe_wait == 128);
    st_graph_free(a);
    st_graph_free(b);
    st_graph_free(model);
  }
}
END_TEST

/* Between rounds a segment shared out is watched: once sharing out has cost
   more than 64 blocks alone would have, it runs alone again and its
   next try is spaced out; while sharing out pays, it stays shared. The
   rounds' findings are set by hand here, so that no timing decides. */
START_TEST(test_shared_segment_that_loses_goes_back_alone)
{
  const StSchedConfig measured = {.threads = 2, .threshold = 0.0f};
  float               l[ST_BLOCK], r[ST_BLOCK];
  st_sched_warm_up(&measured);
  StGraph* model = wide_sources();
  StGraph* g = st_graph_instantiate(model);
  ck_assert_uint_eq(g->plan.n_candidates, 1); // One level of 32 units
  StSegmentTune* t = &g->plan.tune[g->plan.candidates[0]];
  g->plan.probe_block = 2 * ST_TUNE_SAMPLES; // No round for a while
  g->plan.probe_wait  = 1000;
  t->parallel         = true;
  t->seq_median       = 1e9f; // Alone it took a second: sharing out pays
  for (int k = 0; k < 10; ++k) {
    render(g, &measured, ST_BLOCK, l, r);
  }
  ck_assert(t->parallel);
  ck_assert(t->debt_ns < 0.0f); // Savings
  t->debt_ns    = 0.0f;
  t->seq_median = 1e-3f; // Alone it took a picosecond: any time shared out loses
  render(g, &measured, ST_BLOCK, l, r);
  ck_assert(!t->parallel);
  ck_assert_uint_gt(t->par_after, g->plan.blocks);
  render(g, &measured, 17, l, r); // Blocks of other sizes are not counted
  ck_assert_uint_eq(g->plan.blocks, 11);
  st_graph_free(g);
  st_graph_free(model);
}
END_TEST

/* Which blocks need the team's thread: a probe round (starting or running)
   and a segment decided shared out; the others run on any thread, alone,
   bit for bit the same, and still count towards the next round. The
   decisions are set by hand, so that no timing decides. */
START_TEST(test_team_wanted_only_to_share_out)
{
  const StSchedConfig measured = {.threads = 2, .threshold = 0.0f};
  const StSchedConfig alone    = {.threads = 2, .threshold = 0.0f, .alone = true};
  const StSchedConfig one      = {.threads = 1, .threshold = 0.0f};
  float               l0[ST_BLOCK], r0[ST_BLOCK], l1[ST_BLOCK], r1[ST_BLOCK];
  st_sched_warm_up(&measured);
  StGraph* model = wide_sources();
  StGraph* a = st_graph_instantiate(model);
  StGraph* g = st_graph_instantiate(model);
  ck_assert(st_sched_wants_team(g, &measured)); // The first round starts at once
  ck_assert(!st_sched_wants_team(g, &one));
  StSegmentTune* t = &g->plan.tune[g->plan.candidates[0]];
  g->plan.probe_block = 2 * ST_TUNE_SAMPLES; // Between rounds, decided alone
  g->plan.probe_wait  = 3;
  t->parallel         = false;
  ck_assert(!st_sched_wants_team(g, &measured));
  for (uint32_t k = 0; k < 3; ++k) {
    render(a, &one, ST_BLOCK, l0, r0);
    render(g, &alone, ST_BLOCK, l1, r1);
    ck_assert(!memcmp(l0, l1, sizeof(l0)) && !memcmp(r0, r1, sizeof(r0)));
  }
  ck_assert_uint_eq(g->plan.probe_wait, 0); // Counted: the next round is due
  ck_assert(st_sched_wants_team(g, &measured));
  g->plan.probe_wait = 5;
  t->parallel        = true; // Decided shared out
  ck_assert(st_sched_wants_team(g, &measured));
  st_graph_free(a);
  st_graph_free(g);
  st_graph_free(model);
}
END_TEST

static Suite*
sched_suite(void)
{
  Suite* s = suite_create("sched");
  TCase* t = tcase_create("threshold");
  tcase_add_test(t, test_threshold_decides);
  suite_add_tcase(s, t);
  t = tcase_create("order");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_every_node_runs_after_its_sources);
  suite_add_tcase(s, t);
  t = tcase_create("edits");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_parallel_equals_sequential_across_edits);
  suite_add_tcase(s, t);
  t = tcase_create("measured");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_measured_equals_sequential);
  tcase_add_test(t, test_shared_segment_that_loses_goes_back_alone);
  tcase_add_test(t, test_team_wanted_only_to_share_out);
  suite_add_tcase(s, t);
  t = tcase_create("two");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_two_threads_equal_sequential);
  suite_add_tcase(s, t);
  t = tcase_create("four");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_four_threads_equal_sequential);
  suite_add_tcase(s, t);
  return s;
}

int
main(int argc, char** argv)
{
  (void)argc;
  // These tests open a few hundred thousand tiny parallel regions. On a
  // shared or loaded machine libgomp's default spin-waiting makes each one
  // cost up to milliseconds (measured: 64 s against 2 s for the file), so
  // unless the caller chose a policy, re-run with sleeping workers. libgomp
  // reads the variable when it loads, hence the exec; should the exec fail we
  // go on here: the results are the same, only slower.
  if (!getenv("OMP_WAIT_POLICY")) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
  }
  SRunner* r = srunner_create(sched_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
