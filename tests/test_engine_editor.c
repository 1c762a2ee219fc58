/* SPDX-License-Identifier: ISC */
/* What the patch editor asks of the engine: a link replaced in one block,
   rename, positions and the patch name, per-node peaks and the probe, and
   nothing recorded while nobody watches. This thread plays both the control
   side and the audio thread. */
#include "core_nodes.h"
#include "engine.h"
#include "patch.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define FRAMES 64

static float left[4096];
static float right[4096];

#define OK(e, call) ck_assert_msg((call) == ST_OK, "%s", st_engine_error(e))

static StEngine*
new_engine(void)
{
  const StEngineConfig config = {.rate = RATE, .max_nodes = 64, .pool_buffers = 256};
  StStatus             st     = ST_ERR_BAD_ARG;
  StEngine*            e      = st_engine_new(&config, &st);
  ck_assert_int_eq(st, ST_OK);
  return e;
}

static void
block(StEngine* e, uint32_t frames)
{
  float* const out[2] = {left, right};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, frames);
}

/* Two constants, a (1) and b (2), and an output fed by a. */
static void
two_sources(StEngine* e, StHandle* a, StHandle* b, StHandle* out)
{
  const float one[] = {0.0f, 1.0f}, two[] = {0.0f, 2.0f};
  OK(e, st_engine_add(e, &ct_const, "a", one, a));
  OK(e, st_engine_add(e, &ct_const, "b", two, b));
  OK(e, st_engine_add(e, &ct_sink, "out", NULL, out));
  OK(e, st_engine_connect(e, *a, 0, *out, 0));
}

/* The whole block hears one source: every left sample is `a` or every one is `b`. */
static float
block_source(uint32_t frames, float a, float b)
{
  const float first = left[0];
  ck_assert_msg(first == a || first == b, "frame 0 hears %g: neither or both", (double)first);
  for (uint32_t i = 1; i < frames; ++i) {
    ck_assert_msg(left[i] == first, "frame %u: %g after %g", i, (double)left[i], (double)first);
  }
  return first;
}

/* Whatever number of commands comes before it (so that it falls on the last
   command a block applies, or the first of the next), a re-link switches
   between two blocks: no block hears neither source or both. */
START_TEST(test_relink_lands_in_one_block)
{
  for (uint32_t before = 0; before <= ST_MAX_COMMANDS_PER_BLOCK + 2; ++before) {
    StEngine* e = new_engine();
    StHandle  a, b, out;
    two_sources(e, &a, &b, &out);
    block(e, FRAMES);
    ck_assert_float_eq(block_source(FRAMES, 1.0f, 2.0f), 1.0f);
    for (uint32_t k = 0; k < before; ++k) {
      OK(e, st_engine_set_param(e, a, 1, 1.0f));  // Changes nothing audible.
    }
    OK(e, st_engine_relink(e, b, 0, out, 0));
    float heard = 1.0f;
    for (uint32_t n = 0; n < 4; ++n) {
      block(e, FRAMES);
      const float now = block_source(FRAMES, 1.0f, 2.0f);
      ck_assert(now >= heard);  // Once b, always b.
      heard = now;
    }
    ck_assert_float_eq(heard, 2.0f);
    ck_assert_uint_eq(st_graph_node(st_engine_model(e), out)->src[0].node, b.index);
    st_engine_free(e);
  }
}
END_TEST

START_TEST(test_relink_refusals)
{
  StEngine* e = new_engine();
  StHandle  a, b, out, g;
  two_sources(e, &a, &b, &out);
  // A plain connect to an occupied input is still refused.
  ck_assert_int_eq(st_engine_connect(e, b, 0, out, 0), ST_ERR_PORT);
  ck_assert_str_eq(st_engine_error(e),
                   "cannot link b.out -> out.left: out.left is already linked from a.out");
  // A re-link that would close a cycle is refused and changes nothing.
  OK(e, st_engine_add(e, &ct_gain, "g", NULL, &g));
  OK(e, st_engine_connect(e, g, 0, out, 1));
  OK(e, st_engine_relink(e, a, 0, g, 0));
  ck_assert_int_eq(st_engine_relink(e, g, 0, g, 0), ST_ERR_CYCLE);
  ck_assert_str_eq(st_engine_error(e), "link g.out -> g.in would close a cycle: g -> g");
  ck_assert_uint_eq(st_graph_node(st_engine_model(e), g)->src[0].node, a.index);
  // Re-linking a free input is a connect.
  OK(e, st_engine_disconnect(e, out, 0));
  OK(e, st_engine_relink(e, b, 0, out, 0));
  block(e, FRAMES);
  ck_assert_float_eq(block_source(FRAMES, 1.0f, 2.0f), 2.0f);
  st_engine_free(e);
}
END_TEST

/* A renamed node keeps its links, parameters, maps and position, and the
   sound does not change; the running graph knows the new name too. */
START_TEST(test_rename_keeps_everything)
{
  StEngine* e = new_engine();
  StHandle  a, b, out;
  two_sources(e, &a, &b, &out);
  OK(e, st_engine_map(e, 3, a, 1, 0.5f, 1.0f, ST_CURVE_LINEAR, "Step"));
  OK(e, st_engine_place(e, a, -10.0f, 20.5f));
  st_engine_macro(e, 3, 1.0f);
  block(e, FRAMES);
  const StGraph* m      = st_engine_model(e);
  char*          before = st_patch_write(m);
  OK(e, st_engine_rename(e, a, "first"));
  block(e, FRAMES);
  ck_assert_float_eq(block_source(FRAMES, 1.0f, 2.0f), 1.0f);
  m                      = st_engine_model(e);
  const StNodeSlot* slot = st_graph_node(m, a);
  ck_assert_str_eq(slot->name, "first");
  ck_assert(slot->placed && slot->x == -10.0f && slot->y == 20.5f);
  ck_assert_uint_eq(st_graph_node(m, out)->src[0].node, a.index);
  ck_assert_uint_eq(m->maps[0].node.index, a.index);
  ck_assert_str_eq(m->maps[0].label, "Step");
  ck_assert_str_eq(st_graph_node(st_engine_running(e), a)->name, "first");
  // The text names it everywhere by its new name.
  char* after = st_patch_write(m);
  ck_assert_ptr_nonnull(strstr(after, "node first"));
  ck_assert_ptr_nonnull(strstr(after, "link first.out -> out.left"));
  ck_assert_ptr_nonnull(strstr(after, "macro 4 first.step 0.5..1 \"Step\""));
  ck_assert_ptr_nonnull(strstr(after, "place first -10 20.5"));
  ck_assert_ptr_null(strstr(after, " a."));
  ck_assert_ptr_nonnull(strstr(before, "link a.out -> out.left"));
  free(before);
  free(after);
  st_engine_free(e);
}
END_TEST

START_TEST(test_rename_refusals)
{
  StEngine* e = new_engine();
  StHandle  a, b, out;
  two_sources(e, &a, &b, &out);
  ck_assert_int_eq(st_engine_rename(e, a, "b"), ST_ERR_NAME);
  ck_assert_str_eq(st_engine_error(e), "a node named 'b' already exists");
  ck_assert_int_eq(st_engine_rename(e, a, "9x"), ST_ERR_NAME);
  ck_assert_str_eq(st_engine_error(e),
                   "bad node name '9x': use 1 to 31 letters, digits or '_', "
                   "not starting with a digit");
  OK(e, st_engine_rename(e, a, "a"));  // Its own name: nothing to do, and allowed.
  OK(e, st_engine_remove(e, b));
  ck_assert_int_eq(st_engine_rename(e, b, "c"), ST_ERR_STALE);
  ck_assert_int_eq(st_engine_place(e, b, 0, 0), ST_ERR_STALE);
  ck_assert_int_eq(st_engine_place(e, a, NAN, 0), ST_ERR_RANGE);
  ck_assert_str_eq(st_engine_error(e), "place a: the position must be finite");
  char long_name[ST_PATCH_NAME_MAX + 1];
  memset(long_name, 'x', sizeof(long_name) - 1);
  long_name[ST_PATCH_NAME_MAX] = '\0';
  ck_assert_int_eq(st_engine_set_name(e, long_name), ST_ERR_NAME);
  ck_assert_str_eq(st_engine_error(e), "a patch name has at most 63 bytes");
  long_name[ST_PATCH_NAME_MAX - 1] = '\0';
  OK(e, st_engine_set_name(e, long_name));
  ck_assert_str_eq(st_engine_model(e)->name, long_name);
  st_engine_free(e);
}
END_TEST

/* Peaks: nothing recorded while levels are off; with them on, each node's
   max |output| since it was last taken. */
START_TEST(test_levels)
{
  StEngine* e = new_engine();
  StHandle  a, b, out;
  two_sources(e, &a, &b, &out);
  OK(e, st_engine_set_param(e, b, 1, -3.0f));
  block(e, FRAMES);
  ck_assert_ptr_null(st_engine_running(e)->monitor);
  ck_assert_float_eq(st_engine_take_peak(e, a), 0.0f);
  ck_assert_float_eq(st_engine_take_peak(e, b), 0.0f);
  st_engine_levels(e, true);
  block(e, FRAMES);
  ck_assert_float_eq(st_engine_take_peak(e, a), 1.0f);
  ck_assert_float_eq(st_engine_take_peak(e, b), 3.0f);
  ck_assert_float_eq(st_engine_take_peak(e, b), 0.0f);    // Taken: cleared.
  ck_assert_float_eq(st_engine_take_peak(e, out), 0.0f);  // No outputs.
  st_engine_levels(e, false);
  OK(e, st_engine_set_param(e, b, 1, -5.0f));
  block(e, FRAMES);
  ck_assert_ptr_null(st_engine_running(e)->monitor);
  ck_assert_float_eq(st_engine_take_peak(e, b), 0.0f);
  // A node that is gone reads 0.
  st_engine_levels(e, true);
  OK(e, st_engine_remove(e, b));
  block(e, FRAMES);
  ck_assert_float_eq(st_engine_take_peak(e, b), 0.0f);
  st_engine_free(e);
}
END_TEST

/* The probe keeps one sample in ST_PROBE_DECIMATE of the node's output,
   the last ST_PROBE_SAMPLES of them, exactly; it stops with its node. */
START_TEST(test_probe)
{
  StEngine*   e = new_engine();
  StHandle    s, out;
  const float seed[] = {7.0f, 1.0f};
  OK(e, st_engine_add(e, &ct_src, "s", seed, &s));
  OK(e, st_engine_add(e, &ct_sink, "out", NULL, &out));
  OK(e, st_engine_connect(e, s, 0, out, 0));
  ck_assert_ptr_null(st_engine_probed(e, NULL, NULL));
  ck_assert_int_eq(st_engine_probe(e, s, 1), ST_ERR_PORT);
  OK(e, st_engine_probe(e, s, 0));
  static float   heard[4096];
  const uint32_t total = 2048;
  for (uint32_t done = 0; done < total; done += 32) {
    block(e, 32);
    memcpy(heard + done, left, 32 * sizeof(float));
  }
  uint32_t          port = 9;
  float             samples[ST_PROBE_SAMPLES];
  const StNodeSlot* probed = st_engine_probed(e, &port, samples);
  ck_assert_ptr_nonnull(probed);
  ck_assert_str_eq(probed->name, "s");
  ck_assert_uint_eq(port, 0);
  for (uint32_t i = 0; i < ST_PROBE_SAMPLES; ++i) {
    const float expected =
      heard[total - ST_PROBE_SAMPLES * ST_PROBE_DECIMATE + i * ST_PROBE_DECIMATE];
    ck_assert_msg(samples[i] == expected, "sample %u: %g, expected %g", i, (double)samples[i],
                  (double)expected);
  }
  OK(e, st_engine_remove(e, s));
  block(e, 32);
  ck_assert_ptr_null(st_engine_probed(e, NULL, NULL));
  ck_assert_ptr_null(st_engine_running(e)->monitor);
  st_engine_free(e);
}
END_TEST

static Suite*
engine_editor_suite(void)
{
  Suite* s = suite_create("engine editor");
  TCase* t = tcase_create("editor");
  tcase_add_test(t, test_relink_lands_in_one_block);
  tcase_add_test(t, test_relink_refusals);
  tcase_add_test(t, test_rename_keeps_everything);
  tcase_add_test(t, test_rename_refusals);
  tcase_add_test(t, test_levels);
  tcase_add_test(t, test_probe);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(engine_editor_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
