/* SPDX-License-Identifier: ISC */
/* The engine end to end: edits on the control side reach the audio side
   through the ring (this thread plays both roles), bounded per block, and the
   output is exactly what the edits ask for. */
#include "core_nodes.h"
#include "engine.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define MAX_FRAMES 8192

static float left[MAX_FRAMES];
static float right[MAX_FRAMES];

static StEngine*
new_engine(uint32_t threads, uint32_t ring)
{
  const StEngineConfig config = {.rate               = RATE,
                                 .max_nodes          = 64,
                                 .pool_buffers       = 256,
                                 .threads            = threads,
                                 .parallel_threshold = 1.0f,
                                 .ring_commands      = ring};
  StStatus             st = ST_ERR_BAD_ARG;
  StEngine*            e  = st_engine_new(&config, &st);
  ck_assert_int_eq(st, ST_OK);
  ck_assert_ptr_nonnull(e);
  return e;
}

/* One host block: apply pending commands, then render. */
static void
block(StEngine* e, uint32_t frames)
{
  ck_assert_uint_le(frames, MAX_FRAMES);
  float* const out[2] = {left, right};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, frames);
}

/* Every sample of both channels equals `l` and `r` exactly. */
static void
assert_constant(uint32_t frames, float l, float r)
{
  for (uint32_t i = 0; i < frames; ++i) {
    ck_assert_msg(left[i] == l && right[i] == r, "frame %u: %g %g, expected %g %g", i,
                  (double)left[i], (double)right[i], (double)l, (double)r);
  }
}

#define OK(e, call) ck_assert_msg((call) == ST_OK, "%s", st_engine_error(e))

/* A constant node `c` (output = step) linked to an output node `out`. */
static void
const_to_out(StEngine* e, float step, StHandle* c, StHandle* out)
{
  const float p[] = {0.0f, step};
  OK(e, st_engine_add(e, &ct_const, "c", p, c));
  OK(e, st_engine_add(e, &ct_sink, "out", NULL, out));
  OK(e, st_engine_connect(e, *c, 0, *out, 0));
}

START_TEST(test_new_refuses_bad_config)
{
  StStatus             st = ST_OK;
  const StEngineConfig bad = {.rate = 0.0f};
  ck_assert_ptr_null(st_engine_new(&bad, &st));
  ck_assert_int_eq(st, ST_ERR_RATE);
  const StEngineConfig nan_rate = {.rate = NAN};
  ck_assert_ptr_null(st_engine_new(&nan_rate, &st));
  ck_assert_int_eq(st, ST_ERR_RATE);
  st_engine_free(NULL);
}
END_TEST

START_TEST(test_empty_graph_is_silent)
{
  StEngine* e = new_engine(1, 0);
  memset(left, 0x7f, sizeof(left));
  memset(right, 0x7f, sizeof(right));
  block(e, 1000);
  assert_constant(1000, 0.0f, 0.0f);
  // Host input does not leak through an empty patch.
  float        in_l[100], in_r[100];
  float* const out[2] = {left, right};
  for (int i = 0; i < 100; ++i) {
    in_l[i] = in_r[i] = 1.0f;
  }
  const float* const in[2] = {in_l, in_r};
  st_engine_process(e, in, out, 100);
  assert_constant(100, 0.0f, 0.0f);
  st_engine_free(e);
}
END_TEST

START_TEST(test_edits_take_effect_after_begin)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  // The model has them at once; the audio side only after begin().
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 2);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 0);
  float* const io[2] = {left, right};
  st_engine_process(e, NULL, io, 64);
  assert_constant(64, 0.0f, 0.0f);
  block(e, 100);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 2);
  assert_constant(100, 0.5f, 0.0f);

  // An unsmoothed parameter changes at the next block.
  OK(e, st_engine_set_param(e, c, CT_CONST_STEP, 0.25f));
  block(e, 70);
  assert_constant(70, 0.25f, 0.0f);

  // A smoothed one glides there without a jump and lands exactly.
  OK(e, st_engine_set_param(e, c, CT_CONST_VALUE, 1.0f));
  block(e, 4000);
  ck_assert_float_gt(left[0], 0.25f);
  ck_assert_float_lt(left[0], 0.3f);
  for (uint32_t i = 1; i < 4000; ++i) {
    ck_assert_float_ge(left[i], left[i - 1]);
    ck_assert_float_le(left[i] - left[i - 1], 1.0f * (1.0f - expf(-1.0f / 48.0f)) + 1e-6f);
  }
  block(e, 64);
  assert_constant(64, 1.25f, 0.0f);

  // A tap sends an output straight to a channel, in addition to output nodes.
  OK(e, st_engine_set_output(e, 1, c, 0));
  block(e, 64);
  assert_constant(64, 1.25f, 1.25f);
  OK(e, st_engine_set_output(e, 1, ST_HANDLE_NONE, 0));
  block(e, 64);
  assert_constant(64, 1.25f, 0.0f);

  // Disconnect, reconnect to the other channel.
  OK(e, st_engine_disconnect(e, out, 0));
  block(e, 64);
  assert_constant(64, 0.0f, 0.0f);
  OK(e, st_engine_connect(e, c, 0, out, 1));
  block(e, 64);
  assert_constant(64, 0.0f, 1.25f);

  // Remove: silence, and the link is gone on both sides.
  OK(e, st_engine_remove(e, c));
  block(e, 64);
  assert_constant(64, 0.0f, 0.0f);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 1);
  ck_assert_uint_eq(st_graph_node(st_engine_running(e), out)->src[1].node, ST_NO_NODE);
  ck_assert_uint_eq(st_graph_node(st_engine_model(e), out)->src[1].node, ST_NO_NODE);
  st_engine_collect(e);
  st_engine_free(e);
}
END_TEST

START_TEST(test_stale_handles_refused_everywhere)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  OK(e, st_engine_map(e, 0, c, CT_CONST_STEP, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL));
  OK(e, st_engine_remove(e, c));
  StHandle c2;
  OK(e, st_engine_add(e, &ct_const, "c2", NULL, &c2)); // Reuses c's slot
  ck_assert_uint_eq(c2.index, c.index);
  OK(e, st_engine_connect(e, c2, 0, out, 0));
  block(e, 64);
  const StHandle bad[] = {c, {0, 0}, {40, 1}, {1000, 1}, {out.index, out.generation + 2}};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
    const StHandle h = bad[i];
    char           msg[256];
#define STALE(call, role)                                                                  \
  ck_assert_int_eq((call), ST_ERR_STALE);                                                  \
  snprintf(msg, sizeof(msg), "%s node %u:%u does not exist (removed or never made)", role, \
           h.index, h.generation);                                                         \
  ck_assert_str_eq(st_engine_error(e), msg)
    STALE(st_engine_remove(e, h), "cannot remove:");
    STALE(st_engine_connect(e, h, 0, out, 1), "link source:");
    STALE(st_engine_connect(e, c2, 0, h, 0), "link destination:");
    STALE(st_engine_disconnect(e, h, 0), "unlink:");
    STALE(st_engine_set_param(e, h, CT_CONST_STEP, 1.0f), "parameter of");
    STALE(st_engine_set_output(e, 0, h, 0), "output tap:");
    STALE(st_engine_map(e, 1, h, CT_CONST_STEP, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), "parameter of");
    STALE(st_engine_unmap(e, 0, h, CT_CONST_STEP), "unmap:");
#undef STALE
  }
  // Nothing reached the audio side: c2 (default 0) still plays alone, unmapped.
  st_engine_macro(e, 0, 1.0f);
  block(e, 64);
  assert_constant(64, 0.0f, 0.0f);
  ck_assert_uint_eq(st_engine_running(e)->n_maps, 0);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 2);
  st_engine_free(e);
}
END_TEST

START_TEST(test_refused_edits_change_nothing)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out, g1, g2;
  const_to_out(e, 0.5f, &c, &out);
  OK(e, st_engine_add(e, &ct_gain, "g1", NULL, &g1));
  OK(e, st_engine_add(e, &ct_gain, "g2", NULL, &g2));
  OK(e, st_engine_connect(e, g1, 0, g2, 0));
  block(e, 64);
  ck_assert_int_eq(st_engine_connect(e, g2, 0, g1, 0), ST_ERR_CYCLE);
  ck_assert_str_eq(st_engine_error(e), "link g2.out -> g1.in would close a cycle: g1 -> g2 -> g1");
  ck_assert_int_eq(st_engine_connect(e, c, 0, out, 0), ST_ERR_PORT);
  ck_assert_str_eq(st_engine_error(e),
                   "cannot link c.out -> out.left: out.left is already linked from c.out");
  ck_assert_int_eq(st_engine_add(e, &ct_gain, "g1", NULL, NULL), ST_ERR_NAME);
  ck_assert_str_eq(st_engine_error(e), "a node named 'g1' already exists");
  ck_assert_int_eq(st_engine_set_param(e, c, CT_CONST_STEP, 1e6f), ST_ERR_RANGE);
  ck_assert_str_eq(st_engine_error(e), "c.step = 1e+06 is out of range -100000..100000");
  ck_assert_int_eq(st_engine_set_param(e, g1, CT_GAIN_SIZE, 3.0f), ST_ERR_PARAM);
  ck_assert_str_eq(st_engine_error(e), "g1.size is fixed when the node is made; replace the node");
  ck_assert_int_eq(st_engine_unmap(e, 3, c, CT_CONST_STEP), ST_ERR_UNKNOWN);
  ck_assert_str_eq(st_engine_error(e), "macro 4 is not mapped to that parameter");
  // A successful edit clears the message.
  OK(e, st_engine_set_param(e, c, CT_CONST_STEP, 0.75f));
  ck_assert_str_eq(st_engine_error(e), "");
  block(e, 64);
  assert_constant(64, 0.75f, 0.0f);
  const StGraph* live = st_engine_running(e);
  ck_assert_uint_eq(st_graph_count(live), 4);
  ck_assert_uint_eq(st_graph_node(live, g1)->src[0].node, ST_NO_NODE);
  st_engine_free(e);
}
END_TEST

START_TEST(test_bounded_drain)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.0f, &c, &out);
  block(e, 1);
  enum { N = 3 * ST_MAX_COMMANDS_PER_BLOCK + 10 };
  for (uint32_t i = 1; i <= N; ++i) { // Quarters keep the output within ST_IO_LIMIT
    OK(e, st_engine_set_param(e, c, CT_CONST_STEP, 0.25f * (float)i));
  }
  // Each block applies exactly ST_MAX_COMMANDS_PER_BLOCK more, in order.
  for (uint32_t b = 1; b <= 4; ++b) {
    block(e, 3);
    const uint32_t applied = b * ST_MAX_COMMANDS_PER_BLOCK < N ? b * ST_MAX_COMMANDS_PER_BLOCK : N;
    assert_constant(3, 0.25f * (float)applied, 0.0f);
    ck_assert(st_engine_running(e)->slots[c.index].params[CT_CONST_STEP].target ==
              0.25f * (float)applied);
  }
  block(e, 3);
  assert_constant(3, 0.25f * (float)N, 0.0f);
  // Every kind of command counts: 10 parameter changes and 60 adds take two blocks.
  char name[16];
  for (uint32_t i = 0; i < 10; ++i) {
    OK(e, st_engine_set_param(e, c, CT_CONST_STEP, (float)i));
  }
  for (uint32_t i = 0; i < 60; ++i) {
    snprintf(name, sizeof(name), "n%u", i);
    OK(e, st_engine_add(e, &ct_nop, name, NULL, NULL));
  }
  block(e, 1);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 2 + ST_MAX_COMMANDS_PER_BLOCK - 10);
  block(e, 1);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 62);
  st_engine_free(e);
}
END_TEST

START_TEST(test_full_ring_is_busy_and_changes_nothing)
{
  StEngine* e = new_engine(1, 8);
  StHandle  c, out;
  const_to_out(e, 0.0f, &c, &out);
  block(e, 1);
  for (uint32_t i = 1; i <= 8; ++i) {
    OK(e, st_engine_set_param(e, c, CT_CONST_STEP, (float)i));
  }
  const char* busy = "the audio thread has not caught up with earlier edits; retry";
  ck_assert_int_eq(st_engine_set_param(e, c, CT_CONST_STEP, 9.0f), ST_ERR_BUSY);
  ck_assert_str_eq(st_engine_error(e), busy);
  ck_assert(st_graph_node(st_engine_model(e), c)->params[CT_CONST_STEP].target == 8.0f);
  ck_assert_int_eq(st_engine_add(e, &ct_const, "late", NULL, NULL), ST_ERR_BUSY);
  ck_assert_str_eq(st_engine_error(e), busy);
  ck_assert_uint_eq(st_graph_find(st_engine_model(e), "late").index, ST_HANDLE_NONE.index);
  ck_assert_int_eq(st_engine_remove(e, c), ST_ERR_BUSY);
  ck_assert_ptr_nonnull(st_graph_node(st_engine_model(e), c));
  ck_assert_int_eq(st_engine_mute(e, true), ST_ERR_BUSY);
  ck_assert_int_eq(st_engine_clear(e), ST_ERR_BUSY);
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 2);
  StGraph* model = st_engine_new_model(e);
  ck_assert_int_eq(st_engine_swap(e, model), ST_ERR_BUSY);
  ck_assert_str_eq(st_engine_error(e), busy);
  st_graph_free(model); // Still ours after a refusal
  // The audio side sees the 8 accepted edits and nothing else.
  block(e, 16);
  assert_constant(16, 8.0f, 0.0f);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 2);
  // And edits flow again.
  OK(e, st_engine_set_param(e, c, CT_CONST_STEP, 9.0f));
  block(e, 16);
  assert_constant(16, 9.0f, 0.0f);
  st_engine_free(e);
}
END_TEST

START_TEST(test_mute_fades_and_unmute_restores)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  OK(e, st_engine_set_output(e, 1, c, 0));
  block(e, 64);
  assert_constant(64, 0.5f, 0.5f);
  OK(e, st_engine_mute(e, true));
  const float max_step = 0.5f * (1.0f - expf(-1.0f / (ST_MUTE_SECONDS * RATE))) + 1e-6f;
  float       prev     = 0.5f;
  for (int b = 0; b < 2; ++b) { // 8192 frames: ~34 time constants
    block(e, 4096);
    for (uint32_t i = 0; i < 4096; ++i) {
      ck_assert_float_le(left[i], prev);
      ck_assert_float_le(prev - left[i], max_step); // A fade, not a click
      ck_assert(left[i] == right[i]);
      prev = left[i];
    }
  }
  ck_assert_float_lt(left[0], 0.5f);
  block(e, 64);
  assert_constant(64, 0.0f, 0.0f); // Silence, exactly
  // Edits while muted still apply.
  OK(e, st_engine_set_param(e, c, CT_CONST_STEP, 0.25f));
  OK(e, st_engine_mute(e, false));
  block(e, 8192);
  ck_assert_float_gt(left[0], 0.0f);
  ck_assert_float_lt(left[0], 0.01f);
  for (uint32_t i = 1; i < 8192; ++i) {
    ck_assert_float_ge(left[i], left[i - 1]);
    ck_assert_float_le(left[i] - left[i - 1], max_step);
  }
  block(e, 64);
  assert_constant(64, 0.25f, 0.25f);
  st_engine_free(e);
}
END_TEST

START_TEST(test_clear)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  OK(e, st_engine_map(e, 2, c, CT_CONST_STEP, 0.0f, 1.0f, ST_CURVE_LINEAR, "m"));
  OK(e, st_engine_set_output(e, 1, c, 0));
  block(e, 64);
  OK(e, st_engine_clear(e));
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 0);
  block(e, 64);
  assert_constant(64, 0.0f, 0.0f);
  const StGraph* live = st_engine_running(e);
  ck_assert_uint_eq(st_graph_count(live), 0);
  ck_assert_uint_eq(live->n_maps, 0);
  ck_assert_uint_eq(live->taps[1].node, ST_NO_NODE);
  ck_assert_int_eq(st_engine_set_param(e, c, CT_CONST_STEP, 1.0f), ST_ERR_STALE);
  // The patch is usable again; names are free.
  StHandle c2, out2;
  const_to_out(e, -0.5f, &c2, &out2);
  ck_assert(c2.generation != c.generation || c2.index != c.index);
  block(e, 64);
  assert_constant(64, -0.5f, 0.0f);
  st_engine_free(e);
}
END_TEST

/* Add and remove far more nodes than the return ring holds: only possible
   when the control side frees what the audio thread retires. */
START_TEST(test_retired_memory_is_collected)
{
  StEngine* e = new_engine(1, 16);
  for (uint32_t i = 0; i < 5000; ++i) {
    StHandle h;
    OK(e, st_engine_add(e, &ct_src, "s", NULL, &h));
    OK(e, st_engine_remove(e, h));
    block(e, 1);
  }
  for (uint32_t i = 0; i < 100; ++i) {
    char name[16];
    for (uint32_t k = 0; k < 8; ++k) {
      snprintf(name, sizeof(name), "s%u", k);
      OK(e, st_engine_add(e, &ct_src, name, NULL, NULL));
    }
    OK(e, st_engine_clear(e));
    block(e, 1);
  }
  st_engine_collect(e);
  ck_assert_uint_eq(st_graph_count(st_engine_running(e)), 0);
  st_engine_free(e);
}
END_TEST

START_TEST(test_swap_crossfades)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  block(e, 64);
  assert_constant(64, 0.5f, 0.0f);
  StGraph* b = st_engine_new_model(e);
  StHandle bc, bout;
  const float p[] = {0.0f, -0.5f};
  ck_assert_int_eq(st_graph_add(b, &ct_const, "other", p, &bc), ST_OK);
  ck_assert_int_eq(st_graph_add(b, &ct_sink, "speaker", NULL, &bout), ST_OK);
  ck_assert_int_eq(st_graph_connect(b, bc, 0, bout, 0), ST_OK);
  ck_assert_int_eq(st_graph_connect(b, bc, 0, bout, 1), ST_OK);
  const StGraph* old_live = st_engine_running(e);
  OK(e, st_engine_swap(e, b));
  ck_assert_ptr_eq(st_engine_model(e), b); // The engine owns it now
  ck_assert_uint_eq(st_graph_find(b, "other").index, bc.index);
  block(e, ST_XFADE_FRAMES + 100);
  ck_assert_ptr_ne(st_engine_running(e), old_live);
  // Linear from the old output to the new one over ST_XFADE_FRAMES: no jump.
  float prev_l = 0.5f, prev_r = 0.0f;
  for (uint32_t i = 0; i < ST_XFADE_FRAMES; ++i) {
    const float t = (float)i / ST_XFADE_FRAMES;
    ck_assert_float_eq_tol(left[i], 0.5f * (1.0f - t) - 0.5f * t, 1e-6f);
    ck_assert_float_eq_tol(right[i], -0.5f * t, 1e-6f);
    ck_assert_float_le(fabsf(left[i] - prev_l), 1.0f / ST_XFADE_FRAMES + 1e-6f);
    ck_assert_float_le(fabsf(right[i] - prev_r), 0.5f / ST_XFADE_FRAMES + 1e-6f);
    prev_l = left[i];
    prev_r = right[i];
  }
  for (uint32_t i = ST_XFADE_FRAMES; i < ST_XFADE_FRAMES + 100; ++i) {
    ck_assert(left[i] == -0.5f && right[i] == -0.5f);
  }
  // The old patch's handles are refused, though its slots are reused.
  ck_assert_uint_eq(bc.index, c.index);
  ck_assert_int_eq(st_engine_set_param(e, c, CT_CONST_STEP, 0.25f), ST_ERR_STALE);
  // Edits now go to the new patch.
  OK(e, st_engine_set_param(e, bc, CT_CONST_STEP, 0.125f));
  block(e, 64);
  assert_constant(64, 0.125f, 0.125f);
  st_engine_collect(e); // Frees the old graph (valgrind checks that it is freed)
  st_engine_free(e);
}
END_TEST

/* Edits and a swap applied in the same block: the outgoing graph fades out
   as edited (here without the removed node), never with a stale schedule. */
START_TEST(test_edits_then_swap_in_one_block)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  block(e, 64);
  OK(e, st_engine_remove(e, c));
  StGraph*    b = st_engine_new_model(e);
  StHandle    bc, bout;
  const float p[] = {0.0f, -0.5f};
  ck_assert_int_eq(st_graph_add(b, &ct_const, "c", p, &bc), ST_OK);
  ck_assert_int_eq(st_graph_add(b, &ct_sink, "out", NULL, &bout), ST_OK);
  ck_assert_int_eq(st_graph_connect(b, bc, 0, bout, 0), ST_OK);
  OK(e, st_engine_swap(e, b));
  block(e, ST_XFADE_FRAMES);
  st_engine_collect(e); // The removed node's state is freed while the old graph fades
  for (uint32_t i = 0; i < ST_XFADE_FRAMES; ++i) {
    const float t = (float)i / ST_XFADE_FRAMES;
    ck_assert_float_eq_tol(left[i], -0.5f * t, 1e-6f);
  }
  st_engine_free(e);
}
END_TEST

START_TEST(test_swap_during_swap)
{
  StEngine* e = new_engine(1, 0);
  for (int k = 0; k < 5; ++k) {
    StGraph*    m = st_engine_new_model(e);
    StHandle    c, out;
    const float p[] = {0.0f, (float)k};
    ck_assert_int_eq(st_graph_add(m, &ct_const, "c", p, &c), ST_OK);
    ck_assert_int_eq(st_graph_add(m, &ct_sink, "out", NULL, &out), ST_OK);
    ck_assert_int_eq(st_graph_connect(m, c, 0, out, 0), ST_OK);
    OK(e, st_engine_swap(e, m));
    block(e, 100); // Shorter than a crossfade: the newest waits for it
  }
  block(e, 2 * ST_XFADE_FRAMES); // The running fade, then the one to the last swap
  block(e, 64);
  assert_constant(64, 4.0f, 0.0f);
  // A model from elsewhere is refused and stays the caller's.
  StGraph* foreign = st_graph_new(8, 256, RATE);
  ck_assert_int_eq(st_engine_swap(e, foreign), ST_ERR_BAD_ARG);
  ck_assert_str_eq(st_engine_error(e), "a replacement patch must come from st_engine_new_model");
  st_graph_free(foreign);
  ck_assert_int_eq(st_engine_swap(e, NULL), ST_ERR_BAD_ARG);
  st_engine_free(e);
}
END_TEST

/* A patch of one constant `value` on both channels. */
static StGraph*
constant_patch(StEngine* e, float value)
{
  StGraph*    m = st_engine_new_model(e);
  StHandle    c, out;
  const float p[] = {0.0f, value};
  ck_assert_int_eq(st_graph_add(m, &ct_const, "c", p, &c), ST_OK);
  ck_assert_int_eq(st_graph_add(m, &ct_sink, "out", NULL, &out), ST_OK);
  ck_assert_int_eq(st_graph_connect(m, c, 0, out, 0), ST_OK);
  ck_assert_int_eq(st_graph_connect(m, c, 0, out, 1), ST_OK);
  return m;
}

/* Swaps every host block between loud constant patches (+-1, 0.5...): the
   output only ever crossfades between two of them, so no sample differs from
   the one before by more than the largest distance between two patches over
   ST_XFADE_FRAMES (the signals themselves have no steps). The last patch
   swapped in is the one heard once things settle. */
static float
fastest_swaps(uint32_t frames_per_block, uint32_t swaps)
{
  static const float values[] = {1.0f, -1.0f, 0.5f, -0.75f, 1.0f, 0.0f, -1.0f};
  const uint32_t     n_values = sizeof(values) / sizeof(values[0]);
  StEngine*          e        = new_engine(1, 0);
  float              prev     = 0.0f, max_step = 0.0f;
  for (uint32_t k = 0; k < swaps + 2 * ST_XFADE_FRAMES / frames_per_block + 2; ++k) {
    if (k < swaps) {
      OK(e, st_engine_swap(e, constant_patch(e, values[k % n_values])));
    }
    block(e, frames_per_block);
    for (uint32_t i = 0; i < frames_per_block; ++i) {
      max_step = fmaxf(max_step, fabsf(left[i] - prev));
      ck_assert(left[i] == right[i]);
      prev = left[i];
    }
  }
  assert_constant(frames_per_block, values[(swaps - 1) % n_values], values[(swaps - 1) % n_values]);
  st_engine_collect(e); // Every superseded and faded graph comes back (ASan: no leak)
  st_engine_free(e);
  return max_step;
}

START_TEST(test_fast_swaps_never_step)
{
  const float bound = 2.0f / ST_XFADE_FRAMES + 1e-6f; // Largest distance: 1 - (-1)
  const uint32_t sizes[] = {64, 1, 17, 100, 1000};
  for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); ++s) {
    const float step = fastest_swaps(sizes[s], 200);
    printf("swaps every %4u frames: largest step %.6f (bound %.6f)\n", sizes[s], (double)step,
           (double)bound);
    ck_assert_msg(step <= bound, "swaps every %u frames: a step of %g (bound %g)", sizes[s],
                  (double)step, (double)bound);
  }
}
END_TEST

START_TEST(test_free_releases_unapplied_commands)
{
  // Run under valgrind: states of unapplied adds and graphs of unapplied
  // swaps are freed with the engine.
  StEngine* e = new_engine(1, 0);
  StHandle  c, out;
  const_to_out(e, 0.5f, &c, &out);
  block(e, 1);
  OK(e, st_engine_remove(e, c));
  OK(e, st_engine_add(e, &ct_src, "late", NULL, NULL));
  StGraph* m = st_engine_new_model(e);
  ck_assert_int_eq(st_graph_add(m, &ct_src, "x", NULL, NULL), ST_OK);
  OK(e, st_engine_swap(e, m));
  OK(e, st_engine_add(e, &ct_src, "later", NULL, NULL));
  st_engine_free(e);
}
END_TEST

START_TEST(test_macros_drive_mapped_params)
{
  StEngine* e = new_engine(1, 0);
  StHandle  c, out, d;
  const_to_out(e, 0.0f, &c, &out);
  OK(e, st_engine_add(e, &ct_const, "d", NULL, &d));
  OK(e, st_engine_connect(e, d, 0, out, 1));
  OK(e, st_engine_map(e, 0, c, CT_CONST_STEP, -1.0f, 3.0f, ST_CURVE_LINEAR, "lin"));
  // 1/16 .. 62.5: a span of 1000 that stays within ST_IO_LIMIT at the output.
  OK(e, st_engine_map(e, 5, d, CT_CONST_STEP, 0.0625f, 62.5f, ST_CURVE_EXPONENTIAL, "exp"));
  const float values[] = {0.0f, 0.25f, 0.5f, 0.9f, 1.0f};
  for (int i = 0; i < 5; ++i) {
    const float v = values[i];
    st_engine_macro(e, 0, v);
    st_engine_macro(e, 5, v);
    block(e, 64);
    assert_constant(64, -1.0f + 4.0f * v, 0.0625f * powf(1000.0f, v));
  }
  ck_assert(right[0] == 62.5f); // The ends are exact
  // Out-of-range macro values are clamped.
  st_engine_macro(e, 0, 7.0f);
  st_engine_macro(e, 5, -3.0f);
  block(e, 64);
  assert_constant(64, 3.0f, 0.0625f);
  st_engine_macro(e, 99, 0.5f); // No such slot: ignored
  // A mapped smoothed parameter glides to the macro's value.
  OK(e, st_engine_map(e, 1, c, CT_CONST_VALUE, 0.0f, 50.0f, ST_CURVE_LINEAR, NULL));
  st_engine_macro(e, 1, 1.0f);
  block(e, 64);
  ck_assert_float_gt(left[1], left[0]);
  ck_assert_float_lt(left[63], 3.0f + 50.0f);
  block(e, 8192);
  block(e, 64);
  assert_constant(64, 53.0f, 0.0625f);
  // Unmapped: the macro no longer moves it; the last value stays.
  OK(e, st_engine_unmap(e, 0, c, CT_CONST_STEP));
  st_engine_macro(e, 0, 0.0f);
  block(e, 64);
  assert_constant(64, 53.0f, 0.0625f);
  // Removing a node drops its maps.
  OK(e, st_engine_remove(e, d));
  block(e, 64);
  ck_assert_uint_eq(st_engine_running(e)->n_maps, 1);
  ck_assert_uint_eq(st_engine_model(e)->n_maps, 1);
  st_engine_free(e);
}
END_TEST

/* --- Block split and threads --- */

/* A small patch with state, smoothing, several sinks and a tap, with fixed
   controls: every source's pattern depends on its sample counter. */
static StEngine*
busy_engine(uint32_t threads)
{
  StEngine* e = new_engine(threads, 0);
  StHandle  s[4], m1, m2, g, out1, out2;
  char      name[8];
  for (int i = 0; i < 4; ++i) {
    const float p[] = {(float)(i * 13 + 1), 0.9f};
    snprintf(name, sizeof(name), "s%d", i);
    OK(e, st_engine_add(e, &ct_src, name, p, &s[i]));
  }
  const float gp[] = {-1.5f, 8.0f, 0.0f, 1.0f};
  OK(e, st_engine_add(e, &ct_mix, "m1", NULL, &m1));
  OK(e, st_engine_add(e, &ct_mix, "m2", NULL, &m2));
  OK(e, st_engine_add(e, &ct_gain, "g", gp, &g));
  OK(e, st_engine_add(e, &ct_sink, "out1", NULL, &out1));
  OK(e, st_engine_add(e, &ct_sink, "out2", NULL, &out2));
  OK(e, st_engine_connect(e, s[0], 0, m1, 0));
  OK(e, st_engine_connect(e, s[1], 0, m1, 1));
  OK(e, st_engine_connect(e, s[2], 0, m2, 0));
  OK(e, st_engine_connect(e, m1, 1, m2, 1));
  OK(e, st_engine_connect(e, m2, 0, g, 0));
  OK(e, st_engine_connect(e, g, 0, out1, 0));
  OK(e, st_engine_connect(e, m1, 0, out1, 1));
  OK(e, st_engine_connect(e, s[3], 0, out2, 0));
  OK(e, st_engine_set_output(e, 1, m2, 1));
  OK(e, st_engine_map(e, 3, s[3], CT_SRC_LEVEL, 0.0f, 2.0f, ST_CURVE_LINEAR, NULL));
  st_engine_macro(e, 3, 0.3f);
  return e;
}

/* Renders `total` frames split into host blocks of the given sizes (cycled). */
static void
render_split(StEngine* e, const uint32_t* sizes, uint32_t n_sizes, uint32_t total, float* l,
             float* r)
{
  for (uint32_t done = 0, k = 0; done < total; ++k) {
    uint32_t n = sizes[k % n_sizes];
    n          = n < total - done ? n : total - done;
    float* const out[2] = {l + done, r + done};
    st_engine_begin(e);
    st_engine_process(e, NULL, out, n);
    done += n;
  }
}

START_TEST(test_any_block_split_is_bit_identical)
{
  enum { TOTAL = 6000 };
  static float ref_l[TOTAL], ref_r[TOTAL], l[TOTAL], r[TOTAL];
  const uint32_t sixty_four[] = {ST_BLOCK};
  StEngine*      e            = busy_engine(1);
  render_split(e, sixty_four, 1, TOTAL, ref_l, ref_r);
  st_engine_free(e);
  float energy = 0.0f;
  for (uint32_t i = 0; i < TOTAL; ++i) {
    energy += ref_l[i] * ref_l[i] + ref_r[i] * ref_r[i];
  }
  ck_assert_float_gt(energy, 100.0f); // Not a comparison of silences
  const uint32_t splits[][5] = {
    {1, 1, 1, 1, 1}, {17, 17, 17, 17, 17}, {1000, 1000, 1000, 1000, 1000},
    {TOTAL, TOTAL, TOTAL, TOTAL, TOTAL}, {63, 65, 1, 128, 7}, {4096, 1, 2, 3, 5}};
  for (size_t s = 0; s < sizeof(splits) / sizeof(splits[0]); ++s) {
    e = busy_engine(1);
    render_split(e, splits[s], 5, TOTAL, l, r);
    st_engine_free(e);
    ck_assert_msg(!memcmp(l, ref_l, sizeof(l)) && !memcmp(r, ref_r, sizeof(r)),
                  "split %zu differs from 64-frame blocks", s);
  }
  // With parallel levels too (every level of two nodes or more goes parallel).
  e = busy_engine(2);
  render_split(e, splits[4], 5, TOTAL, l, r);
  st_engine_free(e);
  ck_assert_msg(!memcmp(l, ref_l, sizeof(l)) && !memcmp(r, ref_r, sizeof(r)),
                "2 threads with odd splits differ from 1 thread with 64-frame blocks");
}
END_TEST

/* Random DAGs swapped into a sequential and a parallel engine, rendered with
   random host splits: bit for bit the same. */
START_TEST(test_parallel_engine_equals_sequential)
{
  enum { TOTAL = 2000 };
  static float l0[TOTAL], r0[TOTAL], l1[TOTAL], r1[TOTAL];
  StEngine*    seq = new_engine(1, 0);
  StEngine*    par = new_engine(2, 0);
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    StGraph* a = st_engine_new_model(seq);
    StGraph* b = st_engine_new_model(par);
    ck_assert_int_eq(ct_random_dag(a, seed, 50), ST_OK);
    ck_assert_int_eq(ct_random_dag(b, seed, 50), ST_OK);
    OK(seq, st_engine_swap(seq, a));
    OK(par, st_engine_swap(par, b));
    uint32_t sizes[7];
    uint32_t rng = seed;
    for (int k = 0; k < 7; ++k) {
      sizes[k] = 1 + ct_rand(&rng) % 300u;
    }
    const uint32_t sixty_four[] = {ST_BLOCK};
    render_split(seq, sixty_four, 1, TOTAL, l0, r0);
    render_split(par, sizes, 7, TOTAL, l1, r1);
    ck_assert_msg(!memcmp(l0, l1, sizeof(l0)) && !memcmp(r0, r1, sizeof(r0)), "seed %u differs",
                  seed);
  }
  st_engine_free(seq);
  st_engine_free(par);
}
END_TEST

static Suite*
engine_suite(void)
{
  Suite* s = suite_create("engine");
  TCase* t = tcase_create("edits");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, test_new_refuses_bad_config);
  tcase_add_test(t, test_empty_graph_is_silent);
  tcase_add_test(t, test_edits_take_effect_after_begin);
  tcase_add_test(t, test_stale_handles_refused_everywhere);
  tcase_add_test(t, test_refused_edits_change_nothing);
  tcase_add_test(t, test_bounded_drain);
  tcase_add_test(t, test_full_ring_is_busy_and_changes_nothing);
  tcase_add_test(t, test_mute_fades_and_unmute_restores);
  tcase_add_test(t, test_clear);
  tcase_add_test(t, test_retired_memory_is_collected);
  tcase_add_test(t, test_swap_crossfades);
  tcase_add_test(t, test_edits_then_swap_in_one_block);
  tcase_add_test(t, test_swap_during_swap);
  tcase_add_test(t, test_fast_swaps_never_step);
  tcase_add_test(t, test_free_releases_unapplied_commands);
  tcase_add_test(t, test_macros_drive_mapped_params);
  suite_add_tcase(s, t);
  TCase* o = tcase_create("output");
  tcase_set_timeout(o, 300);
  tcase_add_test(o, test_any_block_split_is_bit_identical);
  tcase_add_test(o, test_parallel_engine_equals_sequential);
  suite_add_tcase(s, o);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(engine_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
