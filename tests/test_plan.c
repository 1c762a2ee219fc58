/* SPDX-License-Identifier: ISC */
/* Planning: Kahn levels and the segments made of them on hand-made and
   random graphs, buffer liveness and reuse, and pool exhaustion reported on
   the control side. */
#include "core_nodes.h"
#include "engine.h"
#include "graph.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static StHandle
add(StGraph* g, const StNodeType* type, const char* name)
{
  StHandle h = ST_HANDLE_NONE;
  ck_assert_int_eq(st_graph_add(g, type, name, NULL, &h), ST_OK);
  return h;
}

static void
wire(StGraph* g, StHandle src, uint32_t src_port, StHandle dst, uint32_t dst_port)
{
  ck_assert_msg(st_graph_connect(g, src, src_port, dst, dst_port) == ST_OK, "%s",
                st_graph_error(g));
}

static uint32_t
level(const StGraph* g, StHandle h)
{
  return st_graph_node(g, h)->level;
}

static uint32_t
peak(const StGraph* g)
{
  return st_pool_peak(&g->plan.pool);
}

/* Checks how the segments cut the levels and returns the segment of each
   node (the step its buffers are planned by):
   - segments cover the levels in order, each one or more whole levels, and
     their units are non-empty and hold every node once in `run_order`;
   - a segment of several levels has at least two units, and the candidates
     for sharing out are the segments of several units;
   - every link goes to a later segment, or stays inside one unit, where the
     source runs first (units of a segment may run at once on any thread). */
static void
check_segments(const StGraph* g)
{
  const StPlan*  plan  = &g->plan;
  const uint32_t cap   = g->arena.capacity;
  const uint32_t count = st_graph_count(g);
  uint32_t*      seen  = calloc(cap, sizeof(uint32_t));
  uint32_t*      unit  = calloc(cap, sizeof(uint32_t));
  uint32_t*      pos   = calloc(cap, sizeof(uint32_t));
  ck_assert_uint_eq(plan->segment_start[0], 0);
  ck_assert_uint_eq(plan->segment_start[plan->n_segments], plan->n_units);
  ck_assert_uint_eq(plan->unit_start[0], 0);
  ck_assert_uint_eq(plan->unit_start[plan->n_units], count);
  uint32_t next_level = 0;
  for (uint32_t s = 0; s < plan->n_segments; ++s) {
    const uint32_t u0 = plan->segment_start[s], u1 = plan->segment_start[s + 1];
    ck_assert_uint_lt(u0, u1);
    const uint32_t first = g->slots[plan->run_order[plan->unit_start[u0]]].level;
    ck_assert_uint_eq(first, next_level); // Levels in order, none left out
    uint32_t last = first;
    for (uint32_t u = u0; u < u1; ++u) {
      ck_assert_uint_lt(plan->unit_start[u], plan->unit_start[u + 1]);
      for (uint32_t k = plan->unit_start[u]; k < plan->unit_start[u + 1]; ++k) {
        const uint32_t n = plan->run_order[k];
        ck_assert(st_arena_live(&g->arena, n));
        ck_assert_uint_eq(seen[n]++, 0);
        ck_assert_uint_eq(plan->step[n], s);
        unit[n] = u;
        pos[n]  = k;
        last    = g->slots[n].level > last ? g->slots[n].level : last;
      }
    }
    // Whole levels: exactly the nodes of levels first..last.
    ck_assert_uint_eq(plan->unit_start[u1] - plan->unit_start[u0],
                      plan->level_start[last + 1] - plan->level_start[first]);
    ck_assert(last == first || u1 - u0 >= 2);
    next_level = last + 1;
  }
  ck_assert_uint_eq(next_level, plan->n_levels);
  // The candidates for sharing out: every segment of several units, in order.
  uint32_t c = 0;
  for (uint32_t s = 0; s < plan->n_segments; ++s) {
    if (plan->segment_start[s + 1] - plan->segment_start[s] > 1) {
      ck_assert_uint_lt(c, plan->n_candidates);
      ck_assert_uint_eq(plan->candidates[c++], s);
    }
  }
  ck_assert_uint_eq(c, plan->n_candidates);
  for (uint32_t n = 0; n < cap; ++n) {
    if (!st_arena_live(&g->arena, n)) {
      continue;
    }
    ck_assert_uint_eq(seen[n], 1);
    const StNodeSlot* d = &g->slots[n];
    for (uint32_t i = 0; i < d->type->n_inputs; ++i) {
      const uint32_t src = d->src[i].node;
      if (src != ST_NO_NODE) {
        ck_assert(plan->step[src] < plan->step[n] ||
                  (unit[src] == unit[n] && pos[src] < pos[n]));
      }
    }
  }
  free(seen);
  free(unit);
  free(pos);
}

/* Checks everything a plan promises and returns the most buffers live at once:
   - `order` holds every live node once, level by level;
   - each level is exactly Kahn's: 0 without linked inputs, else one more than
     its deepest source, so every link goes from an earlier level to a later one;
   - the segments are sound (check_segments);
   - an output is live from its node's segment to its last reader's segment
     (to the end when a sink reads it or a tap sends it to the host); two
     outputs live in the same segment never share a buffer;
   - the pool's peak equals the widest live set (reuse is as good as it gets);
   - sinks are listed in index order. */
static uint32_t
check_plan(const StGraph* g)
{
  const StPlan*  plan  = &g->plan;
  const uint32_t cap   = g->arena.capacity;
  const uint32_t count = st_graph_count(g);
  ck_assert(!g->dirty);
  ck_assert_uint_eq(plan->level_start[0], 0);
  ck_assert_uint_eq(plan->level_start[plan->n_levels], count);
  uint32_t* seen = calloc(cap, sizeof(uint32_t));
  for (uint32_t l = 0; l < plan->n_levels; ++l) {
    ck_assert_uint_lt(plan->level_start[l], plan->level_start[l + 1]); // No empty level
    for (uint32_t k = plan->level_start[l]; k < plan->level_start[l + 1]; ++k) {
      const uint32_t n = plan->order[k];
      ck_assert(st_arena_live(&g->arena, n));
      ck_assert_uint_eq(seen[n]++, 0);
      ck_assert_uint_eq(g->slots[n].level, l);
    }
  }
  check_segments(g);
  // Levels, and the live interval [start, end] of every output, in segments.
  const uint32_t* step  = plan->step;
  uint32_t*       start = malloc((size_t)cap * ST_MAX_OUTPUTS * sizeof(uint32_t));
  uint32_t*       end   = malloc((size_t)cap * ST_MAX_OUTPUTS * sizeof(uint32_t));
  uint32_t        sinks = 0;
  for (uint32_t n = 0; n < cap; ++n) {
    if (!st_arena_live(&g->arena, n)) {
      continue;
    }
    const StNodeSlot* s = &g->slots[n];
    ck_assert_uint_eq(seen[n], 1);
    uint32_t expect = 0;
    for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
      const StSource src = s->src[i];
      if (src.node != ST_NO_NODE) {
        ck_assert(st_arena_live(&g->arena, src.node));
        ck_assert_uint_lt(g->slots[src.node].level, s->level); // Every edge respected
        const uint32_t after = g->slots[src.node].level + 1;
        expect               = after > expect ? after : expect;
      }
    }
    ck_assert_uint_eq(s->level, expect);
    for (uint32_t p = 0; p < s->type->n_outputs; ++p) {
      start[n * ST_MAX_OUTPUTS + p] = step[n];
      end[n * ST_MAX_OUTPUTS + p]   = step[n];
    }
    if (s->type->flags & ST_NODE_SINK) {
      ck_assert_uint_lt(sinks, plan->n_sinks);
      ck_assert_uint_eq(plan->sinks[sinks++], n);
    }
  }
  ck_assert_uint_eq(sinks, plan->n_sinks);
  for (uint32_t n = 0; n < cap; ++n) {
    if (!st_arena_live(&g->arena, n)) {
      continue;
    }
    const StNodeSlot* s = &g->slots[n];
    for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
      if (s->src[i].node != ST_NO_NODE) {
        uint32_t*      e    = &end[s->src[i].node * ST_MAX_OUTPUTS + s->src[i].port];
        const uint32_t last = (s->type->flags & ST_NODE_SINK) ? plan->n_segments : step[n];
        *e                  = last > *e ? last : *e;
      }
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    if (g->taps[c].node != ST_NO_NODE) {
      end[g->taps[c].node * ST_MAX_OUTPUTS + g->taps[c].port] = plan->n_segments;
    }
  }
  // In each segment, the buffers of the outputs live then are all different.
  uint32_t  widest = 0;
  uint32_t* stamp  = calloc(plan->pool.count, sizeof(uint32_t));
  for (uint32_t l = 0; l < plan->n_segments; ++l) {
    uint32_t live = 0;
    for (uint32_t n = 0; n < cap; ++n) {
      if (!st_arena_live(&g->arena, n)) {
        continue;
      }
      for (uint32_t p = 0; p < g->slots[n].type->n_outputs; ++p) {
        const uint32_t o = n * ST_MAX_OUTPUTS + p;
        if (start[o] <= l && l <= end[o]) {
          const uint32_t b = plan->buffer[o];
          ck_assert_uint_lt(b, peak(g));
          ck_assert_msg(stamp[b] != l + 1, "buffer %u shared by two live outputs in segment %u",
                        b, l);
          stamp[b] = l + 1;
          ++live;
        }
      }
    }
    widest = live > widest ? live : widest;
  }
  ck_assert_uint_eq(peak(g), widest);
  free(stamp);
  free(start);
  free(end);
  free(seen);
  return widest;
}

START_TEST(test_empty_graph)
{
  StGraph* g = st_graph_new(8, 4, 48000.0f);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(g->plan.n_levels, 0);
  ck_assert_uint_eq(g->plan.n_sinks, 0);
  ck_assert_uint_eq(check_plan(g), 0);
  st_graph_free(g);
}
END_TEST

START_TEST(test_diamond)
{
  StGraph* g = st_graph_new(16, 16, 48000.0f);
  // Added in an order unrelated to the levels.
  const StHandle out = add(g, &ct_sink, "out");
  const StHandle mix = add(g, &ct_mix, "mix");
  const StHandle g2  = add(g, &ct_gain, "g2");
  const StHandle src = add(g, &ct_src, "src");
  const StHandle g1  = add(g, &ct_gain, "g1");
  wire(g, mix, 0, out, 0);
  wire(g, g1, 0, mix, 0);
  wire(g, g2, 0, mix, 1);
  wire(g, src, 0, g1, 0);
  wire(g, src, 0, g2, 0);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(g->plan.n_levels, 4);
  ck_assert_uint_eq(level(g, src), 0);
  ck_assert_uint_eq(level(g, g1), 1);
  ck_assert_uint_eq(level(g, g2), 1);
  ck_assert_uint_eq(level(g, mix), 2);
  ck_assert_uint_eq(level(g, out), 3);
  const uint32_t starts[] = {0, 1, 3, 4, 5};
  for (int l = 0; l <= 4; ++l) {
    ck_assert_uint_eq(g->plan.level_start[l], starts[l]);
  }
  // Within a level, nodes come in index order: g2 (slot 2) before g1 (slot 4).
  ck_assert_uint_eq(g->plan.order[1], g2.index);
  ck_assert_uint_eq(g->plan.order[2], g1.index);
  ck_assert_uint_eq(g->plan.n_sinks, 1);
  ck_assert_uint_eq(g->plan.sinks[0], out.index);
  // src; g1 g2 read it; mix.sum kept for the sink, mix.leak freed at once.
  ck_assert_uint_eq(check_plan(g), 4);
  ck_assert(g->plan.level_cost[1] == 2 * ct_gain.cost);
  ck_assert(g->plan.level_cost[2] == ct_mix.cost);
  st_graph_free(g);
}
END_TEST

START_TEST(test_chain_of_1000_reuses_buffers)
{
  StGraph* g = st_graph_new(1024, 3, 48000.0f);
  StHandle prev = add(g, &ct_src, "src");
  char     name[16];
  for (int i = 0; i < 998; ++i) {
    snprintf(name, sizeof(name), "g%d", i);
    const StHandle h = add(g, &ct_gain, name);
    wire(g, prev, 0, h, 0);
    prev = h;
    if (i < 2) {
      ck_assert_int_eq(st_graph_plan(g), ST_OK);
    }
  }
  const StHandle out = add(g, &ct_sink, "out");
  wire(g, prev, 0, out, 0);
  wire(g, prev, 0, out, 1);
  ck_assert_uint_eq(st_graph_count(g), 1000);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(g->plan.n_levels, 1000);
  ck_assert_uint_eq(level(g, out), 999);
  // Each gain reads one buffer and writes another: two in turn, not 999.
  ck_assert_uint_eq(check_plan(g), 2);
  st_graph_free(g);
}
END_TEST

/* `src` into eight gains (returned in `gains`) summed by a binary tree of
   mixers, 4, 2 and 1; returns the root mixer. */
static StHandle
gain_tree(StGraph* g, StHandle src, StHandle gains[8])
{
  StHandle layer[8];
  char     name[16];
  for (int i = 0; i < 8; ++i) {
    snprintf(name, sizeof(name), "g%d", i);
    gains[i] = layer[i] = add(g, &ct_gain, name);
    wire(g, src, 0, gains[i], 0);
  }
  for (uint32_t width = 8, depth = 2; width > 1; width /= 2, ++depth) {
    for (uint32_t i = 0; i < width / 2; ++i) {
      snprintf(name, sizeof(name), "m%u_%u", depth, i);
      const StHandle m = add(g, &ct_mix, name);
      wire(g, layer[2 * i], 0, m, 0);
      wire(g, layer[2 * i + 1], 0, m, 1);
      layer[i] = m;
    }
  }
  return layer[0];
}

START_TEST(test_fan_out_fan_in)
{
  StGraph*       g   = st_graph_new(64, 64, 48000.0f);
  StHandle       src = add(g, &ct_src, "src");
  StHandle       gains[8];
  const StHandle root = gain_tree(g, src, gains);
  const StHandle out  = add(g, &ct_sink, "out");
  wire(g, root, 0, out, 0);
  wire(g, root, 1, out, 1);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(level(g, src), 0);
  for (int i = 0; i < 8; ++i) {
    ck_assert_uint_eq(level(g, gains[i]), 1);
  }
  ck_assert_uint_eq(level(g, root), 4);
  ck_assert_uint_eq(level(g, out), 5);
  ck_assert_uint_eq(g->plan.n_levels, 6);
  ck_assert_uint_eq(g->plan.level_start[2] - g->plan.level_start[1], 8);
  // Levels 1 and 2 are one segment of four units (two gains and their
  // mixer); the tree's next level would leave two, so it stays apart.
  ck_assert_uint_eq(g->plan.n_segments, 5);
  ck_assert_uint_eq(g->plan.segment_start[2] - g->plan.segment_start[1], 4);
  // In that segment src is held while 8 gains and 4 mixers x 2 write: 17.
  ck_assert_uint_eq(check_plan(g), 17);
  st_graph_free(g);
}
END_TEST

/* The same tree on a pool of 16: merged levels would need 17 buffers, so
   every level becomes a segment of its own, which needs 16. */
START_TEST(test_merging_gives_way_to_a_small_pool)
{
  StGraph* g = st_graph_new(64, 16, 48000.0f);
  StHandle gains[8];
  (void)gain_tree(g, add(g, &ct_src, "src"), gains);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(g->plan.n_segments, g->plan.n_levels);
  ck_assert_uint_eq(check_plan(g), 16);
  st_graph_free(g);
}
END_TEST

/* Eight voices (a source into a gain) and a clock that every voice's mixer
   also reads: the sources and gains make one segment of nine units, but the
   mixers would join everything into one unit, so they start a segment. */
START_TEST(test_segment_stops_before_a_shared_source_joins_it)
{
  StGraph*       g   = st_graph_new(32, 64, 48000.0f);
  const StHandle clk = add(g, &ct_src, "clk");
  char           name[16];
  for (int i = 0; i < 8; ++i) {
    snprintf(name, sizeof(name), "v%d", i);
    const StHandle v = add(g, &ct_src, name);
    snprintf(name, sizeof(name), "g%d", i);
    const StHandle h = add(g, &ct_gain, name);
    snprintf(name, sizeof(name), "m%d", i);
    const StHandle m = add(g, &ct_mix, name);
    wire(g, v, 0, h, 0);
    wire(g, h, 0, m, 0);
    wire(g, clk, 0, m, 1);
  }
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  check_plan(g);
  ck_assert_uint_eq(g->plan.n_levels, 3);
  ck_assert_uint_eq(g->plan.n_segments, 2);
  ck_assert_uint_eq(g->plan.segment_start[1], 9);  // clk, and each voice's source and gain
  ck_assert_uint_eq(g->plan.segment_start[2], 17); // the eight mixers
  // A voice's gain runs right after its source, on the same thread.
  const uint32_t v0 = g->plan.unit_start[1];
  ck_assert_uint_eq(g->plan.unit_start[2] - v0, 2);
  ck_assert_uint_eq(g->plan.run_order[v0], st_graph_find(g, "v0").index);
  ck_assert_uint_eq(g->plan.run_order[v0 + 1], st_graph_find(g, "g0").index);
  st_graph_free(g);
}
END_TEST

/* A barrier node (a voice allocator) ends its segment: nothing after it
   runs beside it, even what does not read it. */
START_TEST(test_barrier_ends_its_segment)
{
  StNodeType barrier = ct_src;
  barrier.flags |= ST_NODE_BARRIER;
  StGraph* g = st_graph_new(32, 64, 48000.0f);
  (void)add(g, &barrier, "alloc");
  char name[16];
  for (int i = 0; i < 8; ++i) {
    snprintf(name, sizeof(name), "v%d", i);
    const StHandle v = add(g, &ct_src, name);
    snprintf(name, sizeof(name), "g%d", i);
    wire(g, v, 0, add(g, &ct_gain, name), 0);
  }
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  check_plan(g);
  ck_assert_uint_eq(g->plan.n_levels, 2);
  // Without the barrier the two levels make one segment of 9 units.
  ck_assert_uint_eq(g->plan.n_segments, 2);
  ck_assert_uint_eq(g->plan.segment_start[1], 9);
  st_graph_free(g);
}
END_TEST

START_TEST(test_disconnected_parts)
{
  StGraph*       g  = st_graph_new(32, 32, 48000.0f);
  const StHandle a0 = add(g, &ct_src, "a0");
  const StHandle b0 = add(g, &ct_src, "b0");
  const StHandle a1 = add(g, &ct_gain, "a1");
  const StHandle lone = add(g, &ct_gain, "lone");
  const StHandle b1 = add(g, &ct_gain, "b1");
  const StHandle a2 = add(g, &ct_gain, "a2");
  const StHandle b2 = add(g, &ct_gain, "b2");
  const StHandle b3 = add(g, &ct_nop, "b3");
  const StHandle nop = add(g, &ct_nop, "nop");
  wire(g, a0, 0, a1, 0);
  wire(g, a1, 0, a2, 0);
  wire(g, b0, 0, b1, 0);
  wire(g, b1, 0, b2, 0);
  wire(g, b2, 0, b3, 0);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(level(g, a0), 0);
  ck_assert_uint_eq(level(g, b0), 0);
  ck_assert_uint_eq(level(g, lone), 0);
  ck_assert_uint_eq(level(g, nop), 0);
  ck_assert_uint_eq(level(g, a1), 1);
  ck_assert_uint_eq(level(g, b1), 1);
  ck_assert_uint_eq(level(g, a2), 2);
  ck_assert_uint_eq(level(g, b2), 2);
  ck_assert_uint_eq(level(g, b3), 3);
  ck_assert_uint_eq(g->plan.n_levels, 4);
  ck_assert_uint_eq(g->plan.n_sinks, 0);
  check_plan(g);
  st_graph_free(g);
}
END_TEST

START_TEST(test_taps_and_sinks_keep_outputs_alive)
{
  StGraph*       g  = st_graph_new(16, 16, 48000.0f);
  const StHandle s  = add(g, &ct_src, "s");
  const StHandle g1 = add(g, &ct_gain, "g1");
  const StHandle g2 = add(g, &ct_gain, "g2");
  const StHandle g3 = add(g, &ct_gain, "g3");
  const StHandle g4 = add(g, &ct_gain, "g4");
  wire(g, s, 0, g1, 0);
  wire(g, g1, 0, g2, 0);
  wire(g, g2, 0, g3, 0);
  wire(g, g3, 0, g4, 0);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(check_plan(g), 2);
  // A tap on s keeps its buffer out of reuse until the host has read it.
  ck_assert_int_eq(st_graph_set_output(g, 0, s, 0), ST_OK);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(check_plan(g), 3);
  const uint32_t sbuf = g->plan.buffer[s.index * ST_MAX_OUTPUTS];
  for (int i = 0; i < 4; ++i) {
    const StHandle h[] = {g1, g2, g3, g4};
    ck_assert_uint_ne(g->plan.buffer[h[i].index * ST_MAX_OUTPUTS], sbuf);
  }
  // So does a sink reading g1.
  const StHandle out = add(g, &ct_sink, "out");
  wire(g, g1, 0, out, 1);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(check_plan(g), 4);
  ck_assert_uint_eq(level(g, out), 2);
  st_graph_free(g);
}
END_TEST

/* N sources each read by a gain: at level 1 the N sources are still held
   while the N gains write, so the graph needs exactly 2N buffers. */
static StGraph*
wide_graph(uint32_t n, uint32_t pool)
{
  StGraph* g = st_graph_new(2 * n + 1, pool, 48000.0f);
  char     name[16];
  for (uint32_t i = 0; i < n; ++i) {
    snprintf(name, sizeof(name), "s%u", i);
    const StHandle s = add(g, &ct_src, name);
    snprintf(name, sizeof(name), "g%u", i);
    const StHandle h = add(g, &ct_gain, name);
    wire(g, s, 0, h, 0);
  }
  return g;
}

START_TEST(test_wide_graph_needs_widest_live_set)
{
  StGraph* g = wide_graph(40, 80);
  ck_assert_int_eq(st_graph_plan(g), ST_OK);
  ck_assert_uint_eq(check_plan(g), 80);
  st_graph_free(g);

  g = wide_graph(40, 79);
  ck_assert_int_eq(st_graph_plan(g), ST_ERR_POOL);
  ck_assert_str_eq(st_graph_error(g), "the patch needs more than the 79 audio buffers of the pool");
  ck_assert(g->dirty);
  st_graph_free(g);
}
END_TEST

START_TEST(test_cycle_found_by_planner)
{
  // The validated calls never make a cycle; the planner still refuses one.
  StGraph*       g = st_graph_new(8, 8, 48000.0f);
  const StHandle a = add(g, &ct_gain, "a");
  const StHandle b = add(g, &ct_gain, "b");
  const StHandle c = add(g, &ct_gain, "c");
  wire(g, a, 0, b, 0);
  wire(g, b, 0, c, 0);
  st_graph_apply_connect(g, c, 0, a, 0);
  ck_assert_int_eq(st_graph_plan(g), ST_ERR_CYCLE);
  ck_assert_str_eq(st_graph_error(g), "the patch has a cycle");
  ck_assert(g->dirty);
  st_graph_free(g);
}
END_TEST

START_TEST(test_random_dags)
{
  uint32_t max_levels = 0, max_peak = 0;
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    const uint32_t nodes = 1 + seed % 200;
    StGraph*       g     = st_graph_new(nodes + nodes / 10 + 1, 1024, 48000.0f);
    ck_assert_msg(ct_random_dag(g, seed, nodes) == ST_OK, "seed %u: %s", seed, st_graph_error(g));
    ck_assert_msg(st_graph_plan(g) == ST_OK, "seed %u: %s", seed, st_graph_error(g));
    const uint32_t widest = check_plan(g);
    max_peak              = widest > max_peak ? widest : max_peak;
    max_levels = g->plan.n_levels > max_levels ? g->plan.n_levels : max_levels;
    st_graph_free(g);
  }
  ck_assert_uint_ge(max_levels, 10); // The generator makes deep graphs too
  ck_assert_uint_ge(max_peak, 20);
}
END_TEST

/* A running graph's tasks are its nodes in run order, each with the slot's
   type, state, parameters and ports: the scheduler walks them, not the slots. */
START_TEST(test_tasks_mirror_the_slots)
{
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    const uint32_t nodes = 1 + seed % 150;
    StGraph*       model = st_graph_new(nodes + nodes / 10 + 1, 1024, 48000.0f);
    ck_assert_int_eq(ct_random_dag(model, seed, nodes), ST_OK);
    ck_assert_int_eq(st_graph_plan(model), ST_OK);
    ck_assert_ptr_null(model->plan.tasks); // A model has none
    StGraph* run = st_graph_instantiate(model);
    ck_assert_ptr_nonnull(run);
    for (uint32_t k = 0; k < run->arena.count; ++k) {
      const StTask*     t    = &run->plan.tasks[k];
      const StNodeSlot* slot = &run->slots[run->plan.run_order[k]];
      ck_assert_uint_eq(t->node, run->plan.run_order[k]);
      ck_assert(t->type == slot->type && t->state == slot->state && t->params == slot->params);
      ck_assert_uint_eq(t->linked, slot->linked);
      for (uint32_t i = 0; i < slot->type->n_inputs; ++i) {
        ck_assert_ptr_eq(t->in[i], slot->in[i]);
      }
      for (uint32_t o = 0; o < slot->type->n_outputs; ++o) {
        ck_assert_ptr_eq(t->out[o], slot->out[o]);
      }
    }
    st_graph_free(run);
    st_graph_free(model);
  }
}
END_TEST

/* --- Exhaustion through the engine: refused on the control side, nothing changed --- */

START_TEST(test_engine_reports_pool_exhaustion)
{
  const StEngineConfig config = {.rate = 48000.0f, .max_nodes = 16, .pool_buffers = 3};
  StStatus             st;
  StEngine*            e = st_engine_new(&config, &st);
  ck_assert_int_eq(st, ST_OK);
  StHandle s0, g0, g1, g2, out, extra;
  ck_assert_int_eq(st_engine_add(e, &ct_src, "s0", NULL, &s0), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_gain, "g0", NULL, &g0), ST_OK);
  ck_assert_int_eq(st_engine_connect(e, s0, 0, g0, 0), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_sink, "out", NULL, &out), ST_OK);
  ck_assert_int_eq(st_engine_connect(e, s0, 0, out, 0), ST_OK);
  ck_assert_int_eq(st_engine_connect(e, g0, 0, out, 1), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_gain, "g1", NULL, &g1), ST_OK);
  ck_assert_int_eq(st_engine_connect(e, g0, 0, g1, 0), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_gain, "g2", NULL, &g2), ST_OK);
  // Level 3 would hold s0 and g0 (read by the sink), g1 (read) and g2: 4 > 3.
  ck_assert_int_eq(st_engine_connect(e, g1, 0, g2, 0), ST_ERR_POOL);
  ck_assert_str_eq(st_engine_error(e), "the patch needs more than the 3 audio buffers of the pool");
  const StGraph* model = st_engine_model(e);
  ck_assert_uint_eq(st_graph_node(model, g2)->src[0].node, ST_NO_NODE);
  ck_assert_uint_eq(st_graph_count(model), 5);
  // Three unlinked outputs at level 0 plus s0 also need 4.
  ck_assert_int_eq(st_engine_add(e, &ct_src, "s1", NULL, &extra), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_src, "s2", NULL, &extra), ST_ERR_POOL);
  ck_assert_str_eq(st_engine_error(e), "the patch needs more than the 3 audio buffers of the pool");
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 6);
  ck_assert(!st_arena_valid(&st_engine_model(e)->arena, st_graph_find(st_engine_model(e), "s2")));
  // The audio side runs what was accepted, with the pool it has.
  st_engine_begin(e);
  const StGraph* live = st_engine_running(e);
  ck_assert_uint_eq(st_graph_count(live), 6);
  ck_assert_uint_le(st_pool_peak(&live->plan.pool), 3);
  float        l[100], r[100];
  float* const io[2] = {l, r};
  st_engine_process(e, NULL, io, 100);
  // A failed edit left no trace: the next accepted one lands where expected.
  ck_assert_int_eq(st_engine_remove(e, extra), ST_OK);
  ck_assert_int_eq(st_engine_add(e, &ct_src, "s2", NULL, &extra), ST_OK);
  st_engine_begin(e);
  ck_assert_ptr_nonnull(st_graph_node(st_engine_running(e), extra));
  st_engine_free(e);
}
END_TEST

static Suite*
plan_suite(void)
{
  Suite* s = suite_create("plan");
  TCase* t = tcase_create("hand-made");
  tcase_add_test(t, test_empty_graph);
  tcase_add_test(t, test_diamond);
  tcase_add_test(t, test_chain_of_1000_reuses_buffers);
  tcase_add_test(t, test_fan_out_fan_in);
  tcase_add_test(t, test_merging_gives_way_to_a_small_pool);
  tcase_add_test(t, test_segment_stops_before_a_shared_source_joins_it);
  tcase_add_test(t, test_barrier_ends_its_segment);
  tcase_add_test(t, test_disconnected_parts);
  tcase_add_test(t, test_taps_and_sinks_keep_outputs_alive);
  tcase_add_test(t, test_wide_graph_needs_widest_live_set);
  tcase_add_test(t, test_cycle_found_by_planner);
  tcase_add_test(t, test_tasks_mirror_the_slots);
  tcase_add_test(t, test_engine_reports_pool_exhaustion);
  suite_add_tcase(s, t);
  TCase* r = tcase_create("random");
  tcase_set_timeout(r, 120);
  tcase_add_test(r, test_random_dags);
  suite_add_tcase(s, r);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(plan_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
