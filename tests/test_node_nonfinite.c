/* Bad samples do not latch. Every registered node type gets bursts of NaN,
   +-infinity, +-1e30 and subnormals on each input in turn (and on the host
   input), between stretches of a clean signal on every input, and is
   compared with a twin that got, instead of the burst, what the engine
   hands a node in place of such samples (st_sane(): NaN as 0, anything
   beyond +-ST_SIGNAL_LIMIT as that limit; subnormals as 0, which the engine's
   flush-to-zero mode makes of them).

   Asserted: every output sample of the node that got the burst is finite and
   within +-ST_SIGNAL_LIMIT, during the burst and after it; and from 100 ms
   after the burst on, its output matches the twin's within TOLERANCE. A node
   whose state went bad was reset by the guard (a fresh state) and has
   converged on the twin by then; one that kept its state (delay lines, held
   values) matches it exactly. */
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
#define TOLERANCE 1e-5f // Measured worst case: see the table the test prints

enum { NAN_BURST, PLUS_INF, MINUS_INF, PLUS_HUGE, MINUS_HUGE, SUBNORMAL, N_KINDS };

static const char* const kind_names[] = {"NaN", "+inf", "-inf", "+1e30", "-1e30", "subnormal"};

/* The bad sample, and what the twin gets in its place. */
static float
bad_sample(int kind, size_t i)
{
  switch (kind) {
  case NAN_BURST: return NAN;
  case PLUS_INF: return INFINITY;
  case MINUS_INF: return -INFINITY;
  case PLUS_HUGE: return 1e30f;
  case MINUS_HUGE: return -1e30f;
  default: return (i & 1u) ? 1e-40f : -3e-42f;
  }
}

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

/* A note held from the start, so that MIDI nodes play too. */
static NodeRig*
new_rig(const StNodeType* t)
{
  NodeRig* rig = rig_new(t, RATE, NULL);
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
drive(const StNodeType* t, uint32_t port, int kind)
{
  const float* source = clean[port < t->n_inputs ? port : ST_MAX_INPUTS];
  for (size_t i = 0; i < TOTAL; ++i) {
    const bool in_burst = i >= BEFORE && i < BEFORE + BURST;
    burst[i]            = in_burst ? bad_sample(kind, i) : source[i];
    twin[i]             = in_burst ? twin_sample(kind, i) : source[i];
  }
  NodeRig* a = new_rig(t);
  NodeRig* b = new_rig(t);
  run(a, port, burst, out_a);
  run(b, port, twin, out_b);
  Outcome r       = {0.0f, 0, a->resets};
  size_t  settled = BEFORE + BURST;
  for (uint32_t o = 0; o < t->n_outputs; ++o) {
    for (size_t i = 0; i < TOTAL; ++i) {
      const float y = out_a[o][i];
      if (!(isfinite(y) && fabsf(y) <= ST_SIGNAL_LIMIT)) { // (a Check assertion per sample is slow)
        ck_abort_msg("%s.%s, %s burst on input %u: frame %zu is %g", t->name,
                     t->outputs[o].name, kind_names[kind], port, i, (double)y);
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

START_TEST(test_every_type_recovers_from_bad_input)
{
  // The floating-point mode the engine processes in (flush-to-zero), under
  // which a subnormal reads as the 0 the twin gets.
  const uint32_t saved = st_sched_flush_denormals();
  make_buffers();
  float    worst      = 0.0f;
  uint32_t slowest    = 0;
  char     worst_case[128] = "", slowest_case[128] = "";
  for (size_t k = 0; k < st_registry_count(); ++k) {
    const StNodeType* t = st_registry_at(k);
    for (uint32_t port = 0; port <= t->n_inputs; ++port) {
      for (int kind = 0; kind < N_KINDS; ++kind) {
        const Outcome r    = drive(t, port, kind);
        const char*   name = port < t->n_inputs ? t->inputs[port].name : "host input";
        char          what[128];
        snprintf(what, sizeof(what), "%s.%s, %s", t->name, name, kind_names[kind]);
        if (r.max_diff > 0.0f || r.recovered > 0) {
          printf("%-32s differs by %.3g from the twin 100 ms on; settled after %.2f ms, "
                 "%u resets\n",
                 what, (double)r.max_diff, 1000.0 * r.recovered / RATE, r.resets);
        }
        if (r.max_diff >= worst) {
          worst = r.max_diff;
          snprintf(worst_case, sizeof(worst_case), "%s", what);
        }
        if (r.recovered >= slowest) {
          slowest = r.recovered;
          snprintf(slowest_case, sizeof(slowest_case), "%s", what);
        }
        ck_assert_msg(r.max_diff <= TOLERANCE,
                      "%s: 100 ms after the burst the output still differs from the twin's "
                      "by %g",
                      what, (double)r.max_diff);
      }
    }
  }
  printf("worst difference 100 ms after a burst: %.3g (%s)\n", (double)worst, worst_case);
  printf("slowest recovery to within %g: %.2f ms (%s)\n", (double)TOLERANCE,
         1000.0 * slowest / RATE, slowest_case);
  st_sched_restore_fp(saved);
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
  SRunner* runner = srunner_create(s);
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
