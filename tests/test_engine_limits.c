/* SPDX-License-Identifier: ISC */
/* The engine's limits. It refuses, before it allocates, sample rates
   outside ST_MIN_RATE..ST_MAX_RATE and patches whose node state would exceed
   the memory budget; at both ends of the accepted rates every node type,
   made at its largest fixed parameters, runs and stays finite. What it takes
   from and hands to the host is finite and within +-ST_IO_LIMIT. */
#include "engine.h"
#include "patch.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK(e, call) ck_assert_msg((call) == ST_OK, "%s", st_engine_error(e))

static StEngine*
new_engine(float rate, uint64_t budget)
{
  const StEngineConfig config = {.rate = rate, .memory_budget = budget};
  StStatus             st     = ST_ERR_BAD_ARG;
  StEngine*            e      = st_engine_new(&config, &st);
  ck_assert_int_eq(st, ST_OK);
  ck_assert_ptr_nonnull(e);
  return e;
}

/* --- Sample rates --- */

START_TEST(test_rates_outside_the_range_are_refused)
{
  const float bad[] = {3e8f, ST_MAX_RATE * 1.001f, nextafterf(ST_MAX_RATE, INFINITY),
                       nextafterf(ST_MIN_RATE, 0.0f), 1.0f, 0.0f, -48000.0f, NAN, INFINITY,
                       -INFINITY};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
    const StEngineConfig config = {.rate = bad[i]};
    StStatus             st     = ST_OK;
    ck_assert_ptr_null(st_engine_new(&config, &st));
    ck_assert_msg(st == ST_ERR_RATE, "rate %g: status %d", (double)bad[i], (int)st);
  }
  ck_assert_str_eq(st_status_string(ST_ERR_RATE),
                   "sample rate outside the accepted 8000..768000 Hz");
}
END_TEST

/* Every parameter at its default, fixed ones at their maximum. */
static void
largest(const StNodeType* t, float* values)
{
  for (uint32_t p = 0; p < t->n_params; ++p) {
    const StParamSpec* s = &t->params[p];
    values[p]            = (s->flags & ST_PARAM_FIXED) ? s->max : s->def;
  }
}

/* One node of every type, each input fed by noise, each output summed into
   the host output, a note playing: a second of audio. */
static void
run_every_type(float rate)
{
  StEngine* e = new_engine(rate, 0);
  StHandle  noise, sink = ST_HANDLE_NONE;
  uint32_t  nodes = 1;
  OK(e, st_engine_add(e, st_registry_find("noise"), "noise", NULL, &noise));
  for (size_t i = 0; i < st_registry_count(); ++i) {
    const StNodeType* t = st_registry_at(i);
    float             values[ST_MAX_PARAMS];
    char              name[32];
    StHandle          h;
    largest(t, values);
    snprintf(name, sizeof(name), "n_%s", t->name);
    OK(e, st_engine_add(e, t, name, values, &h));
    ++nodes;
    for (uint32_t in = 0; in < t->n_inputs; ++in) {
      OK(e, st_engine_connect(e, noise, 0, h, in));
    }
    for (uint32_t o = 0; o < t->n_outputs; ++o) {
      if (o % 2 == 0) { // An output node takes two signals
        snprintf(name, sizeof(name), "out_%s_%u", t->name, o);
        OK(e, st_engine_add(e, st_registry_find("output"), name, NULL, &sink));
        ++nodes;
      }
      OK(e, st_engine_connect(e, h, o, sink, o % 2));
    }
  }
  static float l[8192], r[8192];
  float* const out[2]  = {l, r};
  float        peak    = 0.0f;
  const uint8_t on[]   = {0x90, 60, 100};
  const uint32_t total = (uint32_t)rate;
  for (uint32_t k = 0; k < 4 * nodes / ST_MAX_COMMANDS_PER_BLOCK + 1; ++k) {
    st_engine_begin(e); // Every edit applied before the first sample
  }
  for (uint32_t done = 0; done < total; done += 8192) {
    st_engine_begin(e);
    if (done == 0) {
      st_engine_event(e, on, 3);
    }
    const uint32_t n = total - done < 8192 ? total - done : 8192;
    st_engine_process(e, NULL, out, n);
    for (uint32_t i = 0; i < n; ++i) {
      ck_assert_msg(isfinite(l[i]) && isfinite(r[i]), "rate %g: frame %u not finite",
                    (double)rate, done + i);
      ck_assert_float_le(fabsf(l[i]), ST_IO_LIMIT);
      ck_assert_float_le(fabsf(r[i]), ST_IO_LIMIT);
      peak = fmaxf(peak, fmaxf(fabsf(l[i]), fabsf(r[i])));
    }
  }
  ck_assert_float_gt(peak, 0.01f); // It played
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), nodes);
  st_engine_free(e);
}

START_TEST(test_largest_rate_runs_every_type)
{
  run_every_type(ST_MAX_RATE);
}
END_TEST

START_TEST(test_smallest_rate_runs_every_type)
{
  run_every_type(ST_MIN_RATE);
}
END_TEST

/* --- Host audio --- */

/* A patch that passes the host input through a resonant filter and a
   feedback delay, both of which would remember a bad sample. */
static StEngine*
through_filter_and_delay(void)
{
  StEngine*   e     = new_engine(48000.0f, 0);
  StGraph*    m     = st_engine_new_model(e);
  const char* patch = "node in input\n"
                      "node f svf cutoff=2000 res=0.9\n"
                      "node d delay time=0.1 feedback=0.9 mix=0.5\n"
                      "node out output\n"
                      "link in.left -> f.in\nlink f.bp -> d.in\n"
                      "link d.out -> out.left\nlink in.right -> out.right\n";
  ck_assert_int_eq(st_patch_parse(patch, strlen(patch), NULL, m, NULL), ST_OK);
  OK(e, st_engine_swap(e, m));
  return e;
}

enum { IO_FRAMES = 48000, IO_BURST_AT = 12000, IO_BURST = 480 };

static void
render_io(StEngine* e, const float* in, float* out_l, float* out_r)
{
  for (uint32_t done = 0; done < IO_FRAMES; done += 100) {
    const float* const ins[2]  = {in + done, in + done};
    float* const       outs[2] = {out_l + done, out_r + done};
    st_engine_begin(e);
    st_engine_process(e, ins, outs, 100);
  }
}

START_TEST(test_host_input_is_sanitised)
{
  static const float bad[]  = {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 100.0f, 1e-40f};
  static const float seen[] = {0.0f, 0.0f, 0.0f, ST_IO_LIMIT, -ST_IO_LIMIT, ST_IO_LIMIT, 0.0f};
  static float       in[IO_FRAMES], twin_in[IO_FRAMES];
  static float       l[IO_FRAMES], r[IO_FRAMES], twin_l[IO_FRAMES], twin_r[IO_FRAMES];
  for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); ++k) {
    for (uint32_t i = 0; i < IO_FRAMES; ++i) {
      const bool  burst = i >= IO_BURST_AT && i < IO_BURST_AT + IO_BURST;
      const float clean = 0.5f * sinf(0.05f * (float)i);
      in[i]             = burst ? bad[k] : clean;
      twin_in[i]        = burst ? seen[k] : clean;
    }
    StEngine* e = through_filter_and_delay();
    StEngine* t = through_filter_and_delay();
    render_io(e, in, l, r);
    render_io(t, twin_in, twin_l, twin_r);
    st_engine_free(e);
    st_engine_free(t);
    for (uint32_t i = 0; i < IO_FRAMES; ++i) {
      if (!(fabsf(l[i]) <= ST_IO_LIMIT && fabsf(r[i]) <= ST_IO_LIMIT) || l[i] != twin_l[i] ||
          r[i] != twin_r[i]) { // (no Check assertion per sample: slow)
        ck_abort_msg("input %g: frame %u is %g %g, the twin's %g %g", (double)bad[k], i,
                     (double)l[i], (double)r[i], (double)twin_l[i], (double)twin_r[i]);
      }
    }
  }
}
END_TEST

START_TEST(test_host_output_is_bounded)
{
  StEngine*   e     = new_engine(48000.0f, 0);
  StGraph*    m     = st_engine_new_model(e);
  const char* patch = "node c const value=1000\nnode n const value=-70\nnode out output\n"
                      "link c.out -> out.left\nlink n.out -> out.right\n";
  ck_assert_int_eq(st_patch_parse(patch, strlen(patch), NULL, m, NULL), ST_OK);
  OK(e, st_engine_swap(e, m));
  static float l[4096], r[4096];
  float* const out[2] = {l, r};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, 4096);
  // Past the crossfade from the empty patch: clamped, exactly.
  ck_assert(l[4095] == ST_IO_LIMIT && r[4095] == -ST_IO_LIMIT);
  for (uint32_t i = 0; i < 4096; ++i) {
    ck_assert(fabsf(l[i]) <= ST_IO_LIMIT && fabsf(r[i]) <= ST_IO_LIMIT);
  }
  // A disconnected (NULL) output is skipped; the other is still written.
  float* const left_only[2] = {l, NULL};
  float* const none[2]      = {NULL, NULL};
  memset(l, 0, sizeof(l));
  st_engine_process(e, NULL, left_only, 100);
  ck_assert(l[0] == ST_IO_LIMIT && l[99] == ST_IO_LIMIT && l[100] == 0.0f);
  st_engine_process(e, NULL, none, 100);
  st_engine_free(e);
}
END_TEST

/* --- Memory budget --- */

/* Patch text of `n` nodes `delay max=10`, named d0, d1... */
static char*
delays(uint32_t n)
{
  char*  text = malloc((size_t)n * 32 + 1);
  size_t len  = 0;
  ck_assert_ptr_nonnull(text);
  text[0] = '\0';
  for (uint32_t i = 0; i < n; ++i) {
    len += (size_t)snprintf(text + len, 32, "node d%u delay max=10\n", i);
  }
  return text;
}

START_TEST(test_patch_over_budget_is_refused_before_allocation)
{
  // 1000 lines of 2 MiB each at 48 kHz (2^19 samples): 2 GB if allocated.
  StEngine*   e     = new_engine(48000.0f, 0);
  const char* small = "node keep delay max=1\n";
  StGraph*    first = st_engine_new_model(e);
  ck_assert_int_eq(st_patch_parse(small, strlen(small), NULL, first, NULL), ST_OK);
  OK(e, st_engine_swap(e, first));
  st_engine_begin(e);
  StGraph* running = st_engine_running(e);

  StGraph* model = st_engine_new_model(e);
  char*    text  = delays(1000);
  ck_assert_int_eq(st_patch_parse(text, strlen(text), NULL, model, NULL), ST_OK);
  free(text);
  ck_assert_int_eq(st_engine_swap(e, model), ST_ERR_BUDGET);
  ck_assert_str_eq(st_engine_error(e),
                   "patch needs 2.0 GiB of node state, over the 512 MiB budget: "
                   "d0 (delay, 2.0 MiB), d1 (delay, 2.0 MiB), d2 (delay, 2.0 MiB) and 997 more");
  // Nothing changed: the model and the running graph are the first patch,
  // no swap is in flight, and the refused model is still ours.
  ck_assert_ptr_eq(st_engine_model(e), first);
  st_engine_begin(e);
  ck_assert_ptr_eq(st_engine_running(e), running);
  ck_assert_uint_eq(st_graph_count(running), 1);
  ck_assert_uint_eq(st_graph_count(model), 1000);
  st_graph_free(model);
  st_engine_free(e);
}
END_TEST

START_TEST(test_budget_names_the_biggest_consumers)
{
  StEngine*   e     = new_engine(48000.0f, 3u << 20);
  StGraph*    model = st_engine_new_model(e);
  const char* text  = "node a osc\n"
                      "node small delay max=0.5\n" // 2^15 samples: 128 KiB
                      "node big delay max=10\n"    // 2^19 samples: 2 MiB
                      "node mid delay max=2\n";    // 2^17 samples: 512 KiB
  ck_assert_int_eq(st_patch_parse(text, strlen(text), NULL, model, NULL), ST_OK);
  OK(e, st_engine_swap(e, model)); // 2.6 MiB: within 3 MiB
  StGraph* over = st_engine_new_model(e);
  text          = "node a osc\nnode small delay max=0.5\nnode big delay max=10\n"
                  "node mid delay max=2\nnode more delay max=2\n";
  ck_assert_int_eq(st_patch_parse(text, strlen(text), NULL, over, NULL), ST_OK);
  ck_assert_int_eq(st_engine_swap(e, over), ST_ERR_BUDGET);
  ck_assert_str_eq(st_engine_error(e),
                   "patch needs 3.1 MiB of node state, over the 3 MiB budget: "
                   "big (delay, 2.0 MiB), mid (delay, 512.2 KiB), more (delay, 512.2 KiB) "
                   "and 2 more");
  st_graph_free(over);
  st_engine_free(e);
}
END_TEST

START_TEST(test_single_adds_keep_to_the_budget)
{
  StEngine*         e     = new_engine(48000.0f, 5u << 20);
  const StNodeType* delay = st_registry_find("delay");
  const float       max10[] = {0.25f, 0.3f, 0.5f, 10.0f, 0.0f, 0.0f}; // time..max, sync, division
  OK(e, st_engine_add(e, delay, "d1", max10, NULL));
  OK(e, st_engine_add(e, delay, "d2", max10, NULL));
  ck_assert_int_eq(st_engine_add(e, delay, "d3", max10, NULL), ST_ERR_BUDGET);
  ck_assert_str_eq(st_engine_error(e),
                   "patch needs 6.0 MiB of node state, over the 5 MiB budget: "
                   "d1 (delay, 2.0 MiB), d2 (delay, 2.0 MiB), d3 (delay, 2.0 MiB)");
  // Nothing reached the model or the audio side.
  ck_assert_uint_eq(st_graph_find(st_engine_model(e), "d3").index, ST_HANDLE_NONE.index);
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 2);
  st_engine_begin(e);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 2);
  // A smaller node still fits.
  const float max1[] = {0.25f, 0.3f, 0.5f, 1.0f, 0.0f, 0.0f};
  OK(e, st_engine_add(e, delay, "d3", max1, NULL));
  st_engine_free(e);
}
END_TEST

START_TEST(test_default_budget_is_the_build_option)
{
  ck_assert_uint_eq(ST_DEFAULT_MEMORY_BUDGET, (uint64_t)ST_DEFAULT_MEMORY_BUDGET_MB << 20);
  // The default rate's largest line fits many times over.
  const float max10[] = {0.25f, 0.3f, 0.5f, 10.0f, 0.0f, 0.0f};
  ck_assert_uint_lt(st_graph_state_bytes(st_registry_find("delay"), max10, ST_MAX_RATE),
                    ST_DEFAULT_MEMORY_BUDGET / 8);
  // Far beyond (rate x max past 2^31 samples, where sizes once looped
  // forever): a size that no budget or allocation accepts, at once.
  ck_assert_uint_eq(st_graph_state_bytes(st_registry_find("delay"), max10, 3e8f), SIZE_MAX);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("engine_limits");
  TCase* r = tcase_create("rates");
  tcase_add_test(r, test_rates_outside_the_range_are_refused);
  tcase_add_test(r, test_largest_rate_runs_every_type);
  tcase_add_test(r, test_smallest_rate_runs_every_type);
  suite_add_tcase(s, r);
  TCase* io = tcase_create("host audio");
  tcase_add_test(io, test_host_input_is_sanitised);
  tcase_add_test(io, test_host_output_is_bounded);
  suite_add_tcase(s, io);
  TCase* b = tcase_create("budget");
  tcase_add_test(b, test_patch_over_budget_is_refused_before_allocation);
  tcase_add_test(b, test_budget_names_the_biggest_consumers);
  tcase_add_test(b, test_single_adds_keep_to_the_budget);
  tcase_add_test(b, test_default_budget_is_the_build_option);
  suite_add_tcase(s, b);
  SRunner* runner = srunner_create(s);
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
