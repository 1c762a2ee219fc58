/* SPDX-License-Identifier: ISC */
/* Every registered type, every parameter at its minimum, maximum and
   default, with silent, noisy and huge inputs: no NaN, no infinity, no
   subnormal output (without relying on flush-to-zero). */
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000.0f
#define SHORT 4800   // frames for steady inputs
#define TAIL 96000   // frames of silence after noise, for decaying states

enum { SILENCE, NOISE, PLUS_HUGE, ALTERNATING_HUGE, NOISE_THEN_SILENCE, N_INPUTS };

static const char* const input_names[] = {"silence", "noise", "+1e6", "+-1e6",
                                          "noise then silence"};

static size_t
length(int kind)
{
  return kind == NOISE_THEN_SILENCE ? SHORT + TAIL : SHORT;
}

static float*
signal(int kind, uint32_t seed)
{
  const size_t n = length(kind);
  float*       x = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    nm_xorshift(&seed);
    const float noise = (float)((double)seed / 2147483648.0 - 1.0);
    switch (kind) {
    case NOISE: x[i] = noise; break;
    case PLUS_HUGE: x[i] = 1e6f; break;
    case ALTERNATING_HUGE: x[i] = (seed & 1u) ? 1e6f : -1e6f; break;
    case NOISE_THEN_SILENCE: x[i] = i < SHORT ? noise : 0.0f; break;
    default: break;
    }
  }
  return x;
}

/* Notes, bend, mod wheel and pressure, so MIDI nodes output something. */
static void
play(NodeRig* rig)
{
  static const uint8_t msgs[][3] = {{0x90, 60, 100}, {0x90, 64, 1}, {0xE0, 0x7F, 0x7F},
                                    {0xB0, 1, 127},  {0xD0, 90, 0}, {0x80, 64, 0}};
  for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); ++i) {
    rig_event(rig, msgs[i], 3);
  }
}

// Input signals per kind and port (the last one feeds the host input), and
// output buffers, made once: allocation would dominate the run time.
static float* signals[N_INPUTS][ST_MAX_INPUTS + 1];
static float* out[ST_MAX_OUTPUTS];

static void
make_signals(void)
{
  for (int kind = 0; kind < N_INPUTS; ++kind) {
    for (uint32_t i = 0; i <= ST_MAX_INPUTS; ++i) {
      signals[kind][i] = signal(kind, 7u + i);
    }
  }
  for (uint32_t o = 0; o < ST_MAX_OUTPUTS; ++o) {
    out[o] = rig_buffer(SHORT + TAIL);
  }
}

static void
check(const StNodeType* t, const float* values, int kind, const char* what)
{
  const size_t n    = length(kind);
  NodeRig*     rig  = rig_new(t, RATE, values);
  float* const* in  = signals[kind];
  const float* host = signals[kind][ST_MAX_INPUTS];
  for (int m = 0; m < ST_MACRO_SLOTS; ++m) {
    rig->host.macros[m] = (float)m / (ST_MACRO_SLOTS - 1);
  }
  if (t->event) {
    play(rig);
  }
  rig->host_in[0] = rig->host_in[1] = host;
  rig_run(rig, (const float* const*)in, out, n, NULL, NULL);
  // Asserting per sample would be slow: Check records every passing assertion.
  for (uint32_t o = 0; o < t->n_outputs; ++o) {
    size_t i = 0;
    while (i < n && (fpclassify(out[o][i]) == FP_ZERO || fpclassify(out[o][i]) == FP_NORMAL)) {
      ++i;
    }
    ck_assert_msg(i == n, "%s.%s = %g at %zu with %s, input %s", t->name, t->outputs[o].name,
                  (double)out[o][i < n ? i : 0], i, what, input_names[kind]);
  }
  rig_free(rig);
}

/* Each parameter in turn at min, max and default, the others at default. */
START_TEST(test_all_types)
{
  const StNodeType* t = st_registry_at((size_t)_i);
  float             values[ST_MAX_PARAMS];
  char              what[96];
  for (uint32_t p = 0; p <= t->n_params; ++p) {
    for (int which = 0; which < 3; ++which) {
      if (p == t->n_params && which) {
        break;  // all at default: once
      }
      for (uint32_t k = 0; k < t->n_params; ++k) {
        values[k] = t->params[k].def;
      }
      if (p < t->n_params) {
        const StParamSpec* s = &t->params[p];
        values[p]            = which == 0 ? s->min : (which == 1 ? s->max : s->def);
        snprintf(what, sizeof what, "%s=%g", s->name, (double)values[p]);
      } else {
        snprintf(what, sizeof what, "defaults");
      }
      for (int kind = 0; kind < N_INPUTS; ++kind) {
        check(t, values, kind, what);
      }
    }
  }
}
END_TEST

static Suite*
sanity_suite(void)
{
  Suite* s = suite_create("node_sanity");
  make_signals();
  TCase* t = tcase_create("registry");
  tcase_add_loop_test(t, test_all_types, 0, (int)st_registry_count());
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(sanity_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
