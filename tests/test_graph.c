/* SPDX-License-Identifier: ISC */
/* Graph edits: every validated call refuses bad input with a precise message
   and changes nothing; removal drops links, maps and taps; copy; instantiate. */
#include "core_nodes.h"
#include "graph.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static StGraph* g;
static StGraph* before;

static void
setup(void)
{
  g      = st_graph_new(8, 32, 48000.0f);
  before = st_graph_new(8, 32, 48000.0f);
  ck_assert_ptr_nonnull(g);
  ck_assert_ptr_nonnull(before);
}

static void
teardown(void)
{
  st_graph_free(g);
  st_graph_free(before);
}

static StHandle
add(const StNodeType* type, const char* name)
{
  StHandle h = ST_HANDLE_NONE;
  ck_assert_msg(st_graph_add(g, type, name, NULL, &h) == ST_OK, "%s", st_graph_error(g));
  return h;
}

static void
wire(StHandle src, uint32_t src_port, StHandle dst, uint32_t dst_port)
{
  ck_assert_msg(st_graph_connect(g, src, src_port, dst, dst_port) == ST_OK, "%s",
                st_graph_error(g));
}

/* True when slots `x` and `y` hold the same node: every field, and the
   parameters they point to (each graph has its own). */
static bool
same_slot(const StNodeSlot* x, const StNodeSlot* y)
{
  StNodeSlot a = *x, b = *y;
  a.params = b.params = NULL;
  return !memcmp(&a, &b, sizeof(a)) &&
         (!x->type || !memcmp(x->params, y->params, x->type->n_params * sizeof(StParam)));
}

/* True when `a` and `b` hold the same nodes, links, parameters, maps and taps. */
static bool
same_graph(const StGraph* a, const StGraph* b)
{
  const uint32_t cap   = a->arena.capacity;
  bool           slots = true;
  for (uint32_t i = 0; i < cap; ++i) {
    slots &= same_slot(&a->slots[i], &b->slots[i]);
  }
  return a->arena.count == b->arena.count && a->arena.free_head == b->arena.free_head &&
         !memcmp(a->arena.generation, b->arena.generation, cap * sizeof(uint32_t)) && slots &&
         a->n_maps == b->n_maps &&
         !memcmp(a->maps, b->maps, a->n_maps * sizeof(StMacroMap)) &&
         !memcmp(a->taps, b->taps, sizeof(a->taps));
}

/* Runs a failing edit: checks its status and message, and that nothing changed. */
#define REFUSED(call, status, message)                                              \
  do {                                                                              \
    st_graph_copy(before, g);                                                       \
    ck_assert_int_eq((call), (status));                                             \
    ck_assert_str_eq(st_graph_error(g), (message));                                 \
    ck_assert_msg(same_graph(g, before), "a refused edit changed the graph");       \
  } while (0)

/* --- add --- */

START_TEST(test_add_defaults_and_find)
{
  const StHandle a = add(&ct_gain, "amp_1");
  ck_assert_uint_eq(st_graph_count(g), 1);
  const StNodeSlot* s = st_graph_node(g, a);
  ck_assert_ptr_nonnull(s);
  ck_assert_ptr_eq(s->type, &ct_gain);
  ck_assert_str_eq(s->name, "amp_1");
  ck_assert_ptr_null(s->state); // A model holds no node state
  ck_assert(s->params[CT_GAIN_GAIN].target == 1.0f);
  ck_assert(s->params[CT_GAIN_SIZE].target == 8.0f);
  ck_assert(s->params[CT_GAIN_COUNT].target == 1.0f);
  ck_assert_uint_eq(s->src[0].node, ST_NO_NODE);
  const StHandle f = st_graph_find(g, "amp_1");
  ck_assert_uint_eq(f.index, a.index);
  ck_assert_uint_eq(f.generation, a.generation);
  ck_assert_uint_eq(st_graph_find(g, "amp_2").index, ST_HANDLE_NONE.index);
  const float params[] = {-2.0f, 64.0f, 2.0f, 8.0f};
  StHandle    b;
  ck_assert_int_eq(st_graph_add(g, &ct_gain, "_b", params, &b), ST_OK);
  for (int p = 0; p < 4; ++p) {
    ck_assert(st_graph_node(g, b)->params[p].target == params[p]);
    ck_assert(st_graph_node(g, b)->params[p].value == params[p]);
  }
  ck_assert_int_eq(st_graph_add(g, &ct_src, "no_handle_wanted", NULL, NULL), ST_OK);
  ck_assert_uint_eq(st_graph_count(g), 3);
}
END_TEST

START_TEST(test_add_bad_names)
{
  add(&ct_src, "osc");
  REFUSED(st_graph_add(g, &ct_src, "osc", NULL, NULL), ST_ERR_NAME,
          "a node named 'osc' already exists");
  const char* bad[] = {"", "1osc", "os c", "os-c", "osc.out", "é",
                       "abcdefghijabcdefghijabcdefghijab"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
    char msg[256];
    snprintf(msg, sizeof(msg),
             "bad node name '%s': use 1 to 31 letters, digits or '_', not starting with a digit",
             bad[i]);
    REFUSED(st_graph_add(g, &ct_src, bad[i], NULL, NULL), ST_ERR_NAME, msg);
  }
  // 31 characters is the limit.
  add(&ct_src, "abcdefghijabcdefghijabcdefghija");
  REFUSED(st_graph_add(g, NULL, "x", NULL, NULL), ST_ERR_BAD_ARG, "a node needs a type and a name");
  REFUSED(st_graph_add(g, &ct_src, NULL, NULL, NULL), ST_ERR_BAD_ARG,
          "a node needs a type and a name");
}
END_TEST

START_TEST(test_add_bad_params)
{
  float p[] = {5.0f, 8.0f, 0.0f, 1.0f};
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE, "g.gain = 5 is out of range -4..4");
  p[0] = -4.5f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.gain = -4.5 is out of range -4..4");
  p[0] = NAN;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.gain = nan is out of range -4..4");
  p[0] = INFINITY;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.gain = inf is out of range -4..4");
  p[0] = 4.0f; // Bounds are inclusive
  p[1] = 0.0f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.size = 0 is out of range 1..64");
  p[1] = 2.5f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.size = 2.5 must be a whole number");
  p[1] = 2.0f;
  p[2] = 0.5f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.mode = 0.5 must be a whole number");
  p[2] = 3.0f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE, "g.mode = 3 is out of range 0..2");
  p[2] = 2.0f;
  p[3] = 7.25f;
  REFUSED(st_graph_add(g, &ct_gain, "g", p, NULL), ST_ERR_RANGE,
          "g.count = 7.25 must be a whole number");
  p[3] = 8.0f;
  StHandle h;
  ck_assert_int_eq(st_graph_add(g, &ct_gain, "g", p, &h), ST_OK);
  ck_assert(st_graph_node(g, h)->params[0].target == 4.0f);
}
END_TEST

START_TEST(test_add_full)
{
  char name[8];
  for (int i = 0; i < 8; ++i) {
    snprintf(name, sizeof(name), "n%d", i);
    add(&ct_nop, name);
  }
  REFUSED(st_graph_add(g, &ct_nop, "n8", NULL, NULL), ST_ERR_FULL,
          "cannot add 'n8': the patch is full (8 nodes)");
  // Removing one makes room again, in the same slot with a new generation.
  const StHandle old = st_graph_find(g, "n3");
  ck_assert_int_eq(st_graph_remove(g, old), ST_OK);
  StHandle h;
  ck_assert_int_eq(st_graph_add(g, &ct_nop, "n8", NULL, &h), ST_OK);
  ck_assert_uint_eq(h.index, old.index);
  ck_assert_uint_eq(h.generation, old.generation + 2);
  ck_assert_ptr_null(st_graph_node(g, old));
}
END_TEST

/* --- stale and foreign handles --- */

START_TEST(test_stale_handles_refused_everywhere)
{
  const StHandle a    = add(&ct_gain, "a");
  const StHandle dead = add(&ct_gain, "dead");
  ck_assert_int_eq(st_graph_remove(g, dead), ST_OK);
  const StHandle reborn = add(&ct_gain, "reborn"); // Same slot as `dead`
  ck_assert_uint_eq(reborn.index, dead.index);
  const StHandle bad[] = {dead, {0, 0}, ST_HANDLE_NONE, {7, 1}, {12345, 1}, {a.index, a.generation + 2}};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); ++i) {
    const StHandle h = bad[i];
    char           msg[256];
    ck_assert_ptr_null(st_graph_node(g, h));
#define STALE(call, role)                                                                  \
  snprintf(msg, sizeof(msg), "%s node %u:%u does not exist (removed or never made)", role, \
           h.index, h.generation);                                                         \
  REFUSED(call, ST_ERR_STALE, msg)
    STALE(st_graph_remove(g, h), "cannot remove:");
    STALE(st_graph_connect(g, h, 0, a, 0), "link source:");
    STALE(st_graph_connect(g, a, 0, h, 0), "link destination:");
    STALE(st_graph_disconnect(g, h, 0), "unlink:");
    STALE(st_graph_set_param(g, h, 0, 1.0f), "parameter of");
    STALE(st_graph_map(g, 0, h, 0, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), "parameter of");
    STALE(st_graph_unmap(g, 0, h, 0), "unmap:");
    if (h.index != ST_HANDLE_NONE.index) { // NONE clears a tap instead
      STALE(st_graph_set_output(g, 0, h, 0), "output tap:");
    }
#undef STALE
  }
  // The reborn node is untouched by all of that.
  ck_assert_ptr_nonnull(st_graph_node(g, reborn));
  ck_assert_uint_eq(st_graph_count(g), 2);
}
END_TEST

/* --- connect and disconnect --- */

START_TEST(test_connect_errors)
{
  const StHandle s   = add(&ct_src, "s");
  const StHandle s2  = add(&ct_src, "s2");
  const StHandle m   = add(&ct_mix, "m");
  const StHandle out = add(&ct_sink, "out");
  REFUSED(st_graph_connect(g, s, 1, m, 0), ST_ERR_PORT, "node 's' (tsrc) has no output 1");
  REFUSED(st_graph_connect(g, out, 0, m, 0), ST_ERR_PORT, "node 'out' (tout) has no output 0");
  REFUSED(st_graph_connect(g, s, 0, m, 2), ST_ERR_PORT, "node 'm' (tmix) has no input 2");
  REFUSED(st_graph_connect(g, m, 0, s, 0), ST_ERR_PORT, "node 's' (tsrc) has no input 0");
  REFUSED(st_graph_connect(g, s, UINT32_MAX, m, 0), ST_ERR_PORT,
          "node 's' (tsrc) has no output 4294967295");
  wire(s, 0, m, 1);
  wire(m, 1, out, 0);
  // One source per input: an occupied input is refused, even from the same source.
  REFUSED(st_graph_connect(g, s2, 0, m, 1), ST_ERR_PORT,
          "cannot link s2.out -> m.b: m.b is already linked from s.out");
  REFUSED(st_graph_connect(g, s, 0, m, 1), ST_ERR_PORT,
          "cannot link s.out -> m.b: m.b is already linked from s.out");
  REFUSED(st_graph_connect(g, m, 0, out, 0), ST_ERR_PORT,
          "cannot link m.sum -> out.left: out.left is already linked from m.leak");
  // One output feeds any number of inputs.
  wire(s, 0, m, 0);
  wire(s, 0, out, 1);
  // Disconnect.
  REFUSED(st_graph_disconnect(g, m, 2), ST_ERR_PORT, "node 'm' (tmix) has no input 2");
  ck_assert_int_eq(st_graph_disconnect(g, m, 1), ST_OK);
  ck_assert_uint_eq(st_graph_node(g, m)->src[1].node, ST_NO_NODE);
  REFUSED(st_graph_disconnect(g, m, 1), ST_ERR_PORT, "m.b is not linked");
  REFUSED(st_graph_disconnect(g, s, 0), ST_ERR_PORT, "node 's' (tsrc) has no input 0");
  // The freed input takes a new source.
  wire(s2, 0, m, 1);
  ck_assert_uint_eq(st_graph_node(g, m)->src[1].node, s2.index);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
}
END_TEST

START_TEST(test_cycles_refused_naming_the_path)
{
  const StHandle a = add(&ct_gain, "a");
  const StHandle b = add(&ct_mix, "b");
  const StHandle c = add(&ct_gain, "c");
  const StHandle d = add(&ct_gain, "d");
  wire(a, 0, b, 0);
  wire(b, 1, c, 0);
  wire(c, 0, d, 0);
  REFUSED(st_graph_connect(g, d, 0, a, 0), ST_ERR_CYCLE,
          "link d.out -> a.in would close a cycle: a -> b -> c -> d -> a");
  REFUSED(st_graph_connect(g, c, 0, b, 1), ST_ERR_CYCLE,
          "link c.out -> b.b would close a cycle: b -> c -> b");
  REFUSED(st_graph_connect(g, a, 0, a, 0), ST_ERR_CYCLE,
          "link a.out -> a.in would close a cycle: a -> a");
  REFUSED(st_graph_connect(g, b, 0, b, 1), ST_ERR_CYCLE,
          "link b.sum -> b.b would close a cycle: b -> b");
  // Not a cycle: a second path forward (a -> b.b besides a -> b.a).
  wire(a, 0, b, 1);
  // After an unlink, the same link back is fine.
  ck_assert_int_eq(st_graph_disconnect(g, c, 0), ST_OK);
  wire(d, 0, a, 0);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(st_graph_node(g, c)->level, 0); // c -> d -> a -> b
  ck_assert_uint_eq(st_graph_node(g, a)->level, 2);
  ck_assert_uint_eq(st_graph_node(g, b)->level, 3);
}
END_TEST

START_TEST(test_cycle_message_is_bounded)
{
  // A long cycle path is cut to the message buffer, never overflowing it.
  StGraph* big = st_graph_new(64, 64, 48000.0f);
  StHandle h[64];
  char     name[32];
  for (int i = 0; i < 64; ++i) {
    snprintf(name, sizeof(name), "a_rather_long_node_name_%02d", i);
    ck_assert_int_eq(st_graph_add(big, &ct_gain, name, NULL, &h[i]), ST_OK);
    if (i) {
      ck_assert_int_eq(st_graph_connect(big, h[i - 1], 0, h[i], 0), ST_OK);
    }
  }
  ck_assert_int_eq(st_graph_connect(big, h[63], 0, h[0], 0), ST_ERR_CYCLE);
  const char* e = st_graph_error(big);
  ck_assert_uint_lt(strlen(e), sizeof(big->error));
  ck_assert_ptr_eq(strstr(e, "link a_rather_long_node_name_63.out -> a_rather_long_node_name_00.in "
                             "would close a cycle: a_rather_long_node_name_00 -> "),
                   e);
  st_graph_free(big);
}
END_TEST

/* --- parameters --- */

START_TEST(test_set_param_errors)
{
  const StHandle a = add(&ct_gain, "a");
  REFUSED(st_graph_set_param(g, a, 4, 1.0f), ST_ERR_PARAM, "node 'a' (tgain) has no parameter 4");
  REFUSED(st_graph_set_param(g, a, CT_GAIN_SIZE, 4.0f), ST_ERR_PARAM,
          "a.size is fixed when the node is made; replace the node");
  REFUSED(st_graph_set_param(g, a, CT_GAIN_GAIN, 4.5f), ST_ERR_RANGE,
          "a.gain = 4.5 is out of range -4..4");
  REFUSED(st_graph_set_param(g, a, CT_GAIN_GAIN, NAN), ST_ERR_RANGE,
          "a.gain = nan is out of range -4..4");
  REFUSED(st_graph_set_param(g, a, CT_GAIN_MODE, 1.5f), ST_ERR_RANGE,
          "a.mode = 1.5 must be a whole number");
  REFUSED(st_graph_set_param(g, a, CT_GAIN_COUNT, -1.0f), ST_ERR_RANGE,
          "a.count = -1 is out of range 0..8");
  ck_assert_int_eq(st_graph_set_param(g, a, CT_GAIN_GAIN, -3.0f), ST_OK);
  ck_assert(st_graph_node(g, a)->params[CT_GAIN_GAIN].target == -3.0f);
  ck_assert_int_eq(st_graph_set_param(g, a, CT_GAIN_MODE, 2.0f), ST_OK);
  ck_assert(st_graph_node(g, a)->params[CT_GAIN_MODE].target == 2.0f);
  ck_assert(st_graph_node(g, a)->params[CT_GAIN_MODE].value == 2.0f); // Unsmoothed: at once
}
END_TEST

/* --- output taps --- */

START_TEST(test_set_output)
{
  const StHandle s = add(&ct_src, "s");
  const StHandle m = add(&ct_mix, "m");
  REFUSED(st_graph_set_output(g, 2, s, 0), ST_ERR_PORT,
          "output channel 2 does not exist (0 = left, 1 = right)");
  REFUSED(st_graph_set_output(g, 0, s, 1), ST_ERR_PORT, "node 's' (tsrc) has no output 1");
  ck_assert_int_eq(st_graph_set_output(g, 0, s, 0), ST_OK);
  ck_assert_int_eq(st_graph_set_output(g, 1, m, 1), ST_OK);
  ck_assert_uint_eq(g->taps[0].node, s.index);
  ck_assert_uint_eq(g->taps[1].node, m.index);
  ck_assert_uint_eq(g->taps[1].port, 1);
  ck_assert_int_eq(st_graph_set_output(g, 1, ST_HANDLE_NONE, 0), ST_OK);
  ck_assert_uint_eq(g->taps[1].node, ST_NO_NODE);
  ck_assert_uint_eq(g->taps[0].node, s.index);
}
END_TEST

/* --- macro maps --- */

START_TEST(test_map_errors_and_replace)
{
  const StHandle a = add(&ct_gain, "a");
  const StHandle c = add(&ct_const, "c");
  REFUSED(st_graph_map(g, 16, a, 0, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_ERR_RANGE,
          "macro 17 does not exist (1..16)");
  REFUSED(st_graph_map(g, 0, a, 9, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_ERR_PARAM,
          "node 'a' (tgain) has no parameter 9");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_SIZE, 1.0f, 2.0f, ST_CURVE_LINEAR, NULL), ST_ERR_PARAM,
          "a.size is fixed when the node is made; replace the node");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_GAIN, -5.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_ERR_RANGE,
          "a.gain = -5 is out of range -4..4");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_GAIN, 0.0f, 9.0f, ST_CURVE_LINEAR, NULL), ST_ERR_RANGE,
          "a.gain = 9 is out of range -4..4");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_MODE, 0.0f, 1.5f, ST_CURVE_LINEAR, NULL), ST_ERR_RANGE,
          "a.mode = 1.5 must be a whole number");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_GAIN, 0.0f, 2.0f, ST_CURVE_EXPONENTIAL, NULL),
          ST_ERR_RANGE, "exp curve on a.gain needs min and max of one sign, not 0");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_GAIN, -1.0f, 2.0f, ST_CURVE_EXPONENTIAL, NULL),
          ST_ERR_RANGE, "exp curve on a.gain needs min and max of one sign, not 0");
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_GAIN, 0.0f, 2.0f, (StCurve)7, NULL), ST_ERR_BAD_ARG,
          "unknown macro curve 7");
  // Inverted ranges are allowed (a macro that closes as it turns up).
  ck_assert_int_eq(st_graph_map(g, 0, a, CT_GAIN_GAIN, 2.0f, -2.0f, ST_CURVE_LINEAR, "Gain"), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 0, c, CT_CONST_STEP, -20.0f, -20000.0f, ST_CURVE_EXPONENTIAL,
                                "a label that is much longer than thirty-one bytes"),
                   ST_OK);
  ck_assert_uint_eq(g->n_maps, 2);
  ck_assert_str_eq(g->maps[0].label, "Gain");
  ck_assert_str_eq(g->maps[1].label, "a label that is much longer tha");
  // Same slot and parameter: replaced, not added.
  ck_assert_int_eq(st_graph_map(g, 0, a, CT_GAIN_GAIN, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  ck_assert_uint_eq(g->n_maps, 2);
  ck_assert(g->maps[0].min == 0.0f && g->maps[0].max == 1.0f);
  ck_assert_str_eq(g->maps[0].label, "");
  // One slot drives several parameters; one parameter may follow several slots.
  ck_assert_int_eq(st_graph_map(g, 0, c, CT_CONST_VALUE, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 5, a, CT_GAIN_GAIN, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  ck_assert_uint_eq(g->n_maps, 4);
  // Unmap.
  REFUSED(st_graph_unmap(g, 1, a, CT_GAIN_GAIN), ST_ERR_UNKNOWN,
          "macro 2 is not mapped to that parameter");
  REFUSED(st_graph_unmap(g, 0, a, CT_GAIN_COUNT), ST_ERR_UNKNOWN,
          "macro 1 is not mapped to that parameter");
  ck_assert_int_eq(st_graph_unmap(g, 0, a, CT_GAIN_GAIN), ST_OK);
  ck_assert_uint_eq(g->n_maps, 3);
  ck_assert_uint_eq(g->maps[0].node.index, c.index); // Order of the others kept
  ck_assert_uint_eq(g->maps[0].param, CT_CONST_STEP);
  ck_assert_uint_eq(g->maps[2].slot, 5);
}
END_TEST

START_TEST(test_map_table_full)
{
  const StHandle c = add(&ct_const, "c");
  const StHandle a = add(&ct_gain, "a");
  for (uint32_t m = 0; m < ST_MAX_MACRO_MAPS; ++m) {
    const StHandle h = m % 2 ? c : a;
    ck_assert_int_eq(st_graph_map(g, m / 4, h, m % 4 < 2 ? 0 : (h.index == c.index ? 1 : 3),
                                  0.0f, 1.0f, ST_CURVE_LINEAR, NULL),
                     ST_OK);
  }
  ck_assert_uint_eq(g->n_maps, ST_MAX_MACRO_MAPS);
  REFUSED(st_graph_map(g, 0, a, CT_GAIN_MODE, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_ERR_FULL,
          "a patch holds at most 64 macro maps");
  // Replacing an existing map still works when full.
  ck_assert_int_eq(st_graph_map(g, 0, a, 0, 0.5f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
}
END_TEST

/* --- remove and clear --- */

START_TEST(test_remove_drops_links_maps_taps)
{
  const StHandle s   = add(&ct_src, "s");
  const StHandle m   = add(&ct_mix, "m");
  const StHandle a   = add(&ct_gain, "a");
  const StHandle out = add(&ct_sink, "out");
  wire(s, 0, m, 0);
  wire(s, 0, m, 1);
  wire(m, 0, a, 0);
  wire(a, 0, out, 0);
  wire(m, 1, out, 1);
  ck_assert_int_eq(st_graph_set_output(g, 0, m, 1), ST_OK);
  ck_assert_int_eq(st_graph_set_output(g, 1, a, 0), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 0, a, 0, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 1, s, CT_SRC_LEVEL, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  ck_assert_int_eq(st_graph_remove(g, m), ST_OK);
  ck_assert_ptr_null(st_graph_node(g, m));
  ck_assert_uint_eq(st_graph_count(g), 3);
  ck_assert_uint_eq(st_graph_node(g, a)->src[0].node, ST_NO_NODE);
  ck_assert_uint_eq(st_graph_node(g, out)->src[1].node, ST_NO_NODE);
  ck_assert_uint_eq(st_graph_node(g, out)->src[0].node, a.index); // Other links kept
  ck_assert_uint_eq(g->taps[0].node, ST_NO_NODE);
  ck_assert_uint_eq(g->taps[1].node, a.index);
  ck_assert_uint_eq(g->n_maps, 2);
  ck_assert_int_eq(st_graph_remove(g, a), ST_OK);
  ck_assert_uint_eq(g->taps[1].node, ST_NO_NODE);
  ck_assert_uint_eq(g->n_maps, 1);
  ck_assert_uint_eq(g->maps[0].node.index, s.index);
  ck_assert_uint_eq(st_graph_node(g, out)->src[0].node, ST_NO_NODE);
  // A new node in the freed slot starts unlinked and unmapped.
  const StHandle n = add(&ct_mix, "m");
  ck_assert_uint_eq(n.index, a.index);
  ck_assert_uint_eq(st_graph_node(g, n)->src[0].node, ST_NO_NODE);
  ck_assert_uint_eq(g->n_maps, 1);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  // Clear removes everything.
  st_graph_clear(g);
  ck_assert_uint_eq(st_graph_count(g), 0);
  ck_assert_uint_eq(g->n_maps, 0);
  ck_assert_ptr_null(st_graph_node(g, s));
  ck_assert_ptr_null(st_graph_node(g, n));
  ck_assert_uint_eq(st_graph_find(g, "s").index, ST_HANDLE_NONE.index);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(g->plan.n_levels, 0);
}
END_TEST

/* --- copy and instantiate --- */

START_TEST(test_copy_is_independent)
{
  const StHandle s = add(&ct_src, "s");
  const StHandle a = add(&ct_gain, "a");
  wire(s, 0, a, 0);
  ck_assert_int_eq(st_graph_map(g, 3, a, 0, 0.0f, 1.0f, ST_CURVE_LINEAR, "x"), ST_OK);
  ck_assert_int_eq(st_graph_set_output(g, 1, a, 0), ST_OK);
  StGraph* c = st_graph_new(8, 32, 48000.0f);
  st_graph_copy(c, g);
  ck_assert(same_graph(c, g));
  ck_assert(c->dirty);
  ck_assert_int_eq(st_graph_remove(c, s), ST_OK);
  ck_assert_int_eq(st_graph_add(c, &ct_nop, "z", NULL, NULL), ST_OK);
  ck_assert_ptr_nonnull(st_graph_node(g, s));
  ck_assert_uint_eq(st_graph_node(g, a)->src[0].node, s.index);
  ck_assert_uint_eq(st_graph_count(g), 2);
  ck_assert_uint_eq(st_graph_find(g, "z").index, ST_HANDLE_NONE.index);
  // Handles are shared: the same edits on both give the same handles.
  StHandle x, y;
  st_graph_copy(c, g);
  ck_assert_int_eq(st_graph_add(g, &ct_nop, "n", NULL, &x), ST_OK);
  ck_assert_int_eq(st_graph_add(c, &ct_nop, "n", NULL, &y), ST_OK);
  ck_assert_uint_eq(x.index, y.index);
  ck_assert_uint_eq(x.generation, y.generation);
  st_graph_free(c);
}
END_TEST

/* Removed nodes leave holes in a model's parameter store; adding past its end
   packs it, and every live node keeps its values. */
START_TEST(test_parameter_store_packs)
{
  const float    kept_p[] = {17.0f, 0.5f};
  StHandle       kept;
  ck_assert_int_eq(st_graph_add(g, &ct_src, "kept", kept_p, &kept), ST_OK);
  ck_assert_int_eq(st_graph_set_param(g, kept, 1, 0.25f), ST_OK);
  const uint32_t rounds = 2 * g->store_size / ct_gain.n_params;
  for (uint32_t r = 0; r < rounds; ++r) {
    StHandle h;
    char     name[16];
    snprintf(name, sizeof(name), "g%u", r);
    ck_assert_int_eq(st_graph_add(g, &ct_gain, name, NULL, &h), ST_OK);
    ck_assert_int_eq(st_graph_set_param(g, h, 0, 0.5f), ST_OK);
    ck_assert_int_eq(st_graph_remove(g, h), ST_OK);
  }
  ck_assert_uint_le(g->store_used, g->store_size);
  const StNodeSlot* s = st_graph_node(g, kept);
  ck_assert(s->params[0].target == 17.0f && s->params[1].target == 0.25f);
  ck_assert(s->params >= g->store && s->params < g->store + g->store_size);
}
END_TEST

START_TEST(test_instantiate)
{
  const float    sp[] = {17.0f, 0.5f};
  StHandle       s;
  ck_assert_int_eq(st_graph_add(g, &ct_src, "s", sp, &s), ST_OK);
  const StHandle a   = add(&ct_gain, "a");
  const StHandle out = add(&ct_sink, "out");
  wire(s, 0, a, 0);
  wire(a, 0, out, 0);
  ck_assert_int_eq(st_graph_set_param(g, a, CT_GAIN_GAIN, 3.0f), ST_OK);
  ck_assert(st_graph_node(g, a)->params[0].value == 1.0f); // Model: target set, value smoothing
  ck_assert_int_eq(st_graph_set_output(g, 1, s, 0), ST_OK);
  StGraph* run = st_graph_instantiate(g);
  ck_assert_ptr_nonnull(run);
  ck_assert(!run->dirty);
  ck_assert_ptr_nonnull(run->plan.pool.data);
  ck_assert_uint_eq(st_graph_count(run), 3);
  const StNodeSlot* rs = st_graph_node(run, s);
  const StNodeSlot* ra = st_graph_node(run, a);
  ck_assert_ptr_nonnull(rs->state);
  ck_assert_ptr_nonnull(ra->state);
  ck_assert_ptr_null(st_graph_node(g, s)->state); // The model still has none
  // A new graph starts at its targets: nothing to glide from.
  ck_assert(ra->params[0].value == 3.0f && ra->params[0].target == 3.0f);
  const StNodeHeader* h = st_graph_state_header(rs->state);
  ck_assert_str_eq(h->name, "s");
  ck_assert(h->created[0] == 17.0f && h->created[1] == 0.5f);
  ck_assert_ptr_eq(rs->params, h->params); // The running parameters live in the block
  ck_assert(rs->params[0].value == 17.0f && rs->params[1].target == 0.5f);
  ck_assert_uint_eq((uintptr_t)rs->state % 64, 0);
  // Ports point into the pool; unlinked inputs read zeros.
  ck_assert_ptr_eq(ra->in[0], rs->out[0]);
  ck_assert_ptr_eq(st_graph_node(run, out)->in[0], ra->out[0]);
  ck_assert_ptr_eq(st_graph_node(run, out)->in[1], run->plan.pool.zeros);
  ck_assert_uint_eq(st_graph_node(run, out)->linked, 1u);
  ck_assert_uint_eq(run->taps[1].node, s.index);
  st_graph_free(run);
  // A model whose plan needs more buffers than the pool cannot be made.
  StGraph* small = st_graph_new(8, 1, 48000.0f);
  ck_assert_int_eq(st_graph_add(small, &ct_src, "x", NULL, NULL), ST_OK);
  ck_assert_int_eq(st_graph_add(small, &ct_src, "y", NULL, NULL), ST_OK);
  ck_assert_ptr_null(st_graph_instantiate(small));
  ck_assert_str_eq(st_graph_error(small), "the patch needs more than the 1 audio buffers of the pool");
  st_graph_free(small);
}
END_TEST

static Suite*
graph_suite(void)
{
  Suite* s = suite_create("graph");
  TCase* t = tcase_create("graph");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_add_test(t, test_add_defaults_and_find);
  tcase_add_test(t, test_add_bad_names);
  tcase_add_test(t, test_add_bad_params);
  tcase_add_test(t, test_add_full);
  tcase_add_test(t, test_stale_handles_refused_everywhere);
  tcase_add_test(t, test_connect_errors);
  tcase_add_test(t, test_cycles_refused_naming_the_path);
  tcase_add_test(t, test_cycle_message_is_bounded);
  tcase_add_test(t, test_set_param_errors);
  tcase_add_test(t, test_set_output);
  tcase_add_test(t, test_map_errors_and_replace);
  tcase_add_test(t, test_map_table_full);
  tcase_add_test(t, test_remove_drops_links_maps_taps);
  tcase_add_test(t, test_copy_is_independent);
  tcase_add_test(t, test_parameter_store_packs);
  tcase_add_test(t, test_instantiate);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(graph_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
