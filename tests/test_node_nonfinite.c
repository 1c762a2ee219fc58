/* SPDX-License-Identifier: ISC */
/* Bad samples do not latch. Every registered node type, with its parameters
   at their defaults, all at their minimum and all at their maximum, gets
   bursts of NaN, +-infinity, +-1e30 and subnormals on each input in turn (and
   on the host input), between stretches of a clean signal on every input, and is
   compared with a twin that got, instead of the burst, what the engine
   hands a node in place of such samples (st_sane(): NaN as 0, anything
   beyond +-ST_SIGNAL_LIMIT as that limit; subnormals as 0, which the engine's
   flush-to-zero mode makes of them).

   Asserted: every output sample of the node that got the burst is finite and
   within +-ST_SIGNAL_LIMIT, during the burst and after it; and from 100 ms
   after the burst on, its output matches the twin's within TOLERANCE. Nodes
   that remember their input (filters, delay lines, held values, envelopes,
   edge detectors) keep only sane values, so in fact the output is the twin's
   exactly from the burst's last sample on (the test prints any case that is
   not); a node whose state goes bad anyway is reset by the guard, tested on
   its own below. For a huge burst "correct" thus means: what the node does
   with a signal at the limit, e.g. a delay echoes it at the limit and lets
   its feedback decay it, as the engine's clamped upstream would make it. */
#include "bad_samples.h"
#include "engine.h"
#include "guard.h"
#include "node_harness.h"
#include "registry.h"
#include "scheduler.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE      48000.0f
#define PI        3.14159265358979323846
#define BEFORE    9600  // 200 ms of clean signal, so that every state is busy
#define BURST     480   // 10 ms of bad samples
#define RECOVERY  4800  // 100 ms allowed to recover
#define COMPARED  9600  // 200 ms compared with the twin
#define TOTAL     (BEFORE + BURST + RECOVERY + COMPARED)
#define TOLERANCE 1e-5f // Measured: 0 (the test prints every case above 0)

/* What the twin gets in place of a bad sample. */
static float
twin_sample(int kind, size_t i)
{
  return kind == SUBNORMAL ? 0.0f : st_sane(bad_sample(kind, i));
}

/* The clean signal of input `port`: a tone over a gate-like square wave
   (0 or 0.9, a few Hz), so that filters ring, envelopes and sample-and-hold
   trigger, and sync and reset inputs see edges. */
static float
clean_sample(uint32_t port, size_t i)
{
  const double t    = (double)i / RATE;
  const double tone = 0.3 * sin(2.0 * PI * (110.0 + 37.0 * port) * t);
  const double gate = fmod(t * (4.0 + port), 1.0) < 0.5 ? 0.9 : 0.0;
  return (float)(tone + gate);
}

// Inputs (per port, plus the host input as the last) and outputs of both rigs.
static float* clean[ST_MAX_INPUTS + 1];
static float* burst;
static float* twin;
static float* out_a[ST_MAX_OUTPUTS];
static float* out_b[ST_MAX_OUTPUTS];

static void
make_buffers(void)
{
  for (uint32_t p = 0; p <= ST_MAX_INPUTS; ++p) {
    clean[p] = rig_buffer(TOTAL);
    for (size_t i = 0; i < TOTAL; ++i) {
      clean[p][i] = clean_sample(p, i);
    }
  }
  burst = rig_buffer(TOTAL);
  twin  = rig_buffer(TOTAL);
  for (uint32_t o = 0; o < ST_MAX_OUTPUTS; ++o) {
    out_a[o] = rig_buffer(TOTAL);
    out_b[o] = rig_buffer(TOTAL);
  }
}

enum { DEFAULTS, MINIMUM, MAXIMUM, N_SETS };

static const char* const set_names[] = {"defaults", "minimum", "maximum"};

static void
param_set(const StNodeType* t, int set, float* values)
{
  for (uint32_t i = 0; i < t->n_params; ++i) {
    const StParamSpec* s = &t->params[i];
    values[i]            = set == MINIMUM ? s->min : (set == MAXIMUM ? s->max : s->def);
  }
}

/* A note held from the start, so that MIDI nodes play too. */
static NodeRig*
new_rig(const StNodeType* t, const float* values)
{
  NodeRig* rig = rig_new(t, RATE, values);
  if (t->event) {
    const uint8_t on[] = {0x90, 60, 100};
    rig_event(rig, on, 3);
  }
  return rig;
}

/* Runs a rig with the clean signal on every input but `port`, which gets
   `signal` (port == n_inputs: the host input). */
static void
run(NodeRig* rig, uint32_t port, const float* signal, float* const* out)
{
  const float* in[ST_MAX_INPUTS];
  for (uint32_t p = 0; p < rig->type->n_inputs; ++p) {
    in[p] = p == port ? signal : clean[p];
  }
  const bool host = port == rig->type->n_inputs;
  rig->host_in[0] = host ? signal : clean[ST_MAX_INPUTS];
  rig->host_in[1] = host ? signal : clean[ST_MAX_INPUTS];
  rig_run(rig, in, out, TOTAL, NULL, NULL);
}

typedef struct {
  float    max_diff;   ///< Largest |burst - twin| over the compared stretch
  uint32_t recovered;  ///< Frames after the burst until the output stays within TOLERANCE
  uint32_t resets;     ///< Sub-blocks the guard reset the node after
} Outcome;

static Outcome
drive(const StNodeType* t, const float* values, uint32_t port, int kind)
{
  const float* source = clean[port < t->n_inputs ? port : ST_MAX_INPUTS];
  for (size_t i = 0; i < TOTAL; ++i) {
    const bool in_burst = i >= BEFORE && i < BEFORE + BURST;
    burst[i]            = in_burst ? bad_sample(kind, i) : source[i];
    twin[i]             = in_burst ? twin_sample(kind, i) : source[i];
  }
  NodeRig* a = new_rig(t, values);
  NodeRig* b = new_rig(t, values);
  run(a, port, burst, out_a);
  run(b, port, twin, out_b);
  Outcome r       = {0.0f, 0, a->resets};
  size_t  settled = BEFORE + BURST;
  for (uint32_t o = 0; o < t->n_outputs; ++o) {
    for (size_t i = 0; i < TOTAL; ++i) {
      const float y = out_a[o][i];
      if (!(isfinite(y) && fabsf(y) <= ST_SIGNAL_LIMIT)) { // (a Check assertion per sample is slow)
        ck_abort_msg("%s.%s, %s burst on input %u: frame %zu is %g", t->name,
                     t->outputs[o].name, bad_kind_name(kind), port, i, (double)y);
      }
      const float d = fabsf(y - out_b[o][i]);
      if (i >= BEFORE + BURST && d > TOLERANCE && i + 1 > settled) {
        settled = i + 1;
      }
      if (i >= BEFORE + BURST + RECOVERY && d > r.max_diff) {
        r.max_diff = d;
      }
    }
  }
  r.recovered = (uint32_t)(settled - (BEFORE + BURST));
  rig_free(a);
  rig_free(b);
  return r;
}

/* The worst case seen, for the table the test prints. */
typedef struct {
  float    worst;
  uint32_t slowest;
  char     worst_case[128];
  char     slowest_case[128];
} Record;

/* Every input of one type with one parameter set, every kind of burst. */
static void
drive_type(const StNodeType* t, int set, Record* rec)
{
  float values[ST_MAX_PARAMS];
  param_set(t, set, values);
  for (uint32_t port = 0; port <= t->n_inputs; ++port) {
    for (int kind = 0; kind < N_KINDS; ++kind) {
      const Outcome r    = drive(t, values, port, kind);
      const char*   name = port < t->n_inputs ? t->inputs[port].name : "host input";
      char          what[128];
      snprintf(what, sizeof(what), "%s.%s, %s, %s", t->name, name, bad_kind_name(kind),
               set_names[set]);
      if (r.max_diff > 0.0f || r.recovered > 0) {
        printf("%-44s differs by %.3g from the twin 100 ms on; settled after %.2f ms, "
               "%u resets\n",
               what, (double)r.max_diff, 1000.0 * r.recovered / RATE, r.resets);
      }
      if (r.max_diff >= rec->worst) {
        rec->worst = r.max_diff;
        snprintf(rec->worst_case, sizeof(rec->worst_case), "%s", what);
      }
      if (r.recovered >= rec->slowest) {
        rec->slowest = r.recovered;
        snprintf(rec->slowest_case, sizeof(rec->slowest_case), "%s", what);
      }
      ck_assert_msg(r.max_diff <= TOLERANCE,
                    "%s: 100 ms after the burst the output still differs from the twin's by %g",
                    what, (double)r.max_diff);
    }
  }
}

START_TEST(test_every_type_recovers_from_bad_input)
{
  // The floating-point mode the engine processes in (flush-to-zero), under
  // which a subnormal reads as the 0 the twin gets.
  const uint32_t saved = st_sched_flush_denormals();
  make_buffers();
  Record rec = {0.0f, 0, "", ""};
  for (size_t k = 0; k < st_registry_count(); ++k) {
    for (int set = 0; set < N_SETS; ++set) {
      drive_type(st_registry_at(k), set, &rec);
    }
  }
  printf("worst difference 100 ms after a burst: %.3g (%s)\n", (double)rec.worst,
         rec.worst_case);
  printf("slowest recovery to within %g: %.2f ms (%s)\n", (double)TOLERANCE,
         1000.0 * rec.slowest / RATE, rec.slowest_case);
  st_sched_restore_fp(saved);
}
END_TEST

/* --- The guard itself, on nodes made to go bad --- */

#define FUSE (ST_BLOCK / 2) ///< Where the bomb's count turns into NaN

/* Counts up from its `start` parameter, one per sample; past FUSE its state
   turns NaN and stays NaN (NaN + 1 is NaN) until something resets it. */
typedef struct {
  float y;
} Bomb;

static size_t
bomb_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Bomb);
}

static void
bomb_init(void* state, const float* params, float rate)
{
  (void)rate;
  ((Bomb*)state)->y = params[0];
}

static void
bomb_process(void* state, const StProcess* p)
{
  Bomb* b = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = b->y;
    b->y         = b->y >= (float)FUSE ? NAN : b->y + 1.0f;
  }
}

static const StPortSpec  bomb_out[]    = {{"out", "The count"}};
static const StParamSpec bomb_params[] = {{"start", "", "First value", 0, 10, 0, 0, 0, NULL}};

static const StNodeType bomb_type = {
  .name = "bomb", .family = "Test", .doc = "Goes NaN.", .n_outputs = 1, .outputs = bomb_out,
  .n_params = 1, .params = bomb_params, .cost = 1.0f, .state_size = bomb_size,
  .init = bomb_init, .process = bomb_process,
};

/* What the guard makes of the bomb in each block: the count up to FUSE,
   zeros where it was NaN, then (reset to `start`) the same again. */
static float
bomb_expected(uint32_t frame, float start)
{
  const float k = start + (float)(frame % ST_BLOCK);
  return k <= (float)FUSE ? k : 0.0f;
}

START_TEST(test_guard_resets_a_node_gone_bad)
{
  const float start[] = {3.0f};
  NodeRig*    rig     = rig_new(&bomb_type, RATE, start);
  float*      out     = rig_buffer(4 * ST_BLOCK);
  rig_run1(rig, NULL, out, 0, 4 * ST_BLOCK);
  for (uint32_t i = 0; i < 4 * ST_BLOCK; ++i) {
    ck_assert_msg(out[i] == bomb_expected(i, 3.0f), "frame %u: %g", i, (double)out[i]);
  }
  ck_assert_uint_eq(rig->resets, 4); // Once a block, init() given the creation values
  rig_free(rig);
  free(out);
}
END_TEST

START_TEST(test_engine_runs_every_node_through_the_guard)
{
  const StEngineConfig config = {.rate = RATE};
  StEngine*            e      = st_engine_new(&config, NULL);
  StHandle             bomb;
  const float          start[] = {1.0f};
  ck_assert_int_eq(st_engine_add(e, &bomb_type, "bomb", start, &bomb), ST_OK);
  ck_assert_int_eq(st_engine_set_output(e, 0, bomb, 0), ST_OK);
  static float l[8 * ST_BLOCK], r[8 * ST_BLOCK];
  float* const out[2] = {l, r};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, 8 * ST_BLOCK);
  for (uint32_t i = 0; i < 8 * ST_BLOCK; ++i) {
    ck_assert_msg(l[i] == bomb_expected(i, 1.0f), "frame %u: %g", i, (double)l[i]);
  }
  st_engine_free(e);
}
END_TEST

/* Finite samples beyond the limit are clamped, and the node keeps its state. */
static void
loud_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = (i % 2 ? -1e9f : 1e9f) + p->in[0][i];
  }
}

static const StPortSpec loud_ports[] = {{"x", "Signal"}};

static const StNodeType loud_type = {
  .name = "loud", .family = "Test", .doc = "Too loud.", .n_inputs = 1, .inputs = loud_ports,
  .n_outputs = 1, .outputs = loud_ports, .cost = 1.0f, .state_size = bomb_size,
  .init = bomb_init, .process = loud_process,
};

START_TEST(test_guard_clamps_without_reset)
{
  NodeRig* rig = rig_new(&loud_type, RATE, NULL);
  float    in[ST_BLOCK], out[ST_BLOCK];
  for (uint32_t i = 0; i < ST_BLOCK; ++i) {
    in[i] = (float)i;
  }
  rig_run1(rig, in, out, 0, ST_BLOCK);
  for (uint32_t i = 0; i < ST_BLOCK; ++i) {
    ck_assert(out[i] == (i % 2 ? -ST_SIGNAL_LIMIT : ST_SIGNAL_LIMIT));
  }
  ck_assert_uint_eq(rig->resets, 0);
  rig_free(rig);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("node_nonfinite");
  TCase* t = tcase_create("bursts");
  tcase_set_timeout(t, 300);
  tcase_add_test(t, test_every_type_recovers_from_bad_input);
  suite_add_tcase(s, t);
  TCase* g = tcase_create("guard");
  tcase_add_test(g, test_guard_resets_a_node_gone_bad);
  tcase_add_test(g, test_engine_runs_every_node_through_the_guard);
  tcase_add_test(g, test_guard_clamps_without_reset);
  suite_add_tcase(s, g);
  SRunner* runner = srunner_create(s);
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
