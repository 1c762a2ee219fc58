/* SPDX-License-Identifier: ISC */
/* Auto layout: the presets laid out by levels, readable (no overlaps,
   cables left to right, few crossings), and positions from the patch kept. */
#include "test_ui_support.h"

#include "gesture.h"

/* Crossings allowed, measured with the fixed-width measure of the tests
   (cable paths taken as straight pieces): the layout reaches 11 and 2; the
   same columns stacked in the patch's order, without the sweeps, cross 34
   and 4 times. With lanes for long cables, no cable of any preset passes
   through a box it does not join. */
#define POLY_PAD_CROSSINGS 11
#define MONO_SYNTH_CROSSINGS 2

/* The column of the first node that `node` feeds. */
static uint32_t
first_reader(const StUiModel* m, uint32_t node)
{
  uint32_t first = UINT32_MAX;
  for (uint32_t j = 0; j < st_graph_capacity(m->mirror->graph); ++j) {
    const StNodeSlot* n = st_graph_node_at(m->mirror->graph, j);
    for (uint32_t i = 0; n && i < n->type->n_inputs; ++i) {
      if (n->src[i].node == node && m->layout.column[j] < first) {
        first = m->layout.column[j];
      }
    }
  }
  return first;
}

static void
check_readable(StUiModel* m, const char* name, uint32_t max_crossings, uint32_t max_through)
{
  st_ui_model_update_layout(m);
  const StUiLayout* l       = &m->layout;
  const StGraph*    g       = m->mirror->graph;
  uint32_t          nodes   = 0;
  uint32_t          columns = 0;
  for (uint32_t a = 0; a < st_graph_capacity(g); ++a) {
    const StNodeSlot* n = st_graph_node_at(g, a);
    if (!n) {
      continue;
    }
    ++nodes;
    columns = l->column[a] + 1 > columns ? l->column[a] + 1 : columns;
    ck_assert_float_gt(l->boxes[a].w, 0);
    ck_assert_float_gt(l->boxes[a].h, 0);
    for (uint32_t b = a + 1; b < st_graph_capacity(g); ++b) {
      if (st_graph_node_at(g, b)) {
        ck_assert_msg(!st_ui_rect_overlap(l->boxes[a], l->boxes[b]), "%s: %s overlaps %s", name,
                      n->name, st_graph_node_at(g, b)->name);
      }
    }
    // Columns by level: a node sits in its engine level's column, or later
    // when it only feeds a later node (an LFO and its scaling); every cable
    // runs left to right, out of one column into a later one.
    ck_assert_uint_ge(l->column[a], n->level);
    if (l->column[a] > n->level) {
      ck_assert_uint_eq(l->column[a] + 1, first_reader(m, a));
    }
    for (uint32_t i = 0; i < n->type->n_inputs; ++i) {
      const uint32_t src = n->src[i].node;
      if (src != ST_NO_NODE) {
        ck_assert_uint_lt(l->column[src], l->column[a]);
        ck_assert_float_lt(l->boxes[src].x + l->boxes[src].w, l->boxes[a].x);
      }
    }
    // The same column is one x.
    for (uint32_t b = 0; b < st_graph_capacity(g); ++b) {
      if (st_graph_node_at(g, b) && l->column[b] == l->column[a]) {
        ck_assert_float_eq(l->boxes[b].x, l->boxes[a].x);
      }
    }
  }
  printf("%s: %u nodes in %u columns, %.0f x %.0f canvas units, %u crossings, %u cables "
         "through a box\n",
         name, nodes, columns, (double)l->bounds.w, (double)l->bounds.h, l->crossings,
         l->through);
  ck_assert_uint_eq(l->crossings, st_ui_layout_crossings(l, m->mirror));
  ck_assert_uint_le(l->crossings, max_crossings);
  ck_assert_uint_eq(l->through, st_ui_layout_through(l, m->mirror));
  ck_assert_uint_le(l->through, max_through);
  // Lanes of long cables are free of boxes, and every path runs left to right.
  for (uint32_t k = 0; k < l->n_lanes; ++k) {
    for (uint32_t a = 0; a < st_graph_capacity(g); ++a) {
      if (st_graph_node_at(g, a)) {
        ck_assert(!st_ui_rect_overlap(l->lanes[k].r, l->boxes[a]));
      }
    }
  }
  for (uint32_t a = 0; a < st_graph_capacity(g); ++a) {
    const StNodeSlot* n = st_graph_node_at(g, a);
    for (uint32_t i = 0; n && i < n->type->n_inputs; ++i) {
      StUiPoint    path[ST_UI_PATH_MAX];
      const size_t count = st_ui_layout_cable_path(l, m->mirror, a, i, path, ST_UI_PATH_MAX);
      ck_assert_uint_eq(count ? 2 + 2 * (l->column[a] - l->column[n->src[i].node] - 1) : 0,
                        count);
      for (size_t k = 1; k < count; ++k) {
        ck_assert_float_le(path[k - 1].x, path[k].x);
      }
    }
  }
}

/* Poly Pad as it was saved before voice groups: 50 nodes, eight voices
   written out by hand (tests/presets_before_voices). */
static char*
hand_voiced_poly_pad(void)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/tests/presets_before_voices/poly-pad.strata", ST_SOURCE_ROOT);
  FILE* f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  char*        text = malloc(1 << 16);
  const size_t n    = fread(text, 1, (1 << 16) - 1, f);
  fclose(f);
  text[n] = '\0';
  return text;
}

START_TEST(poly_pad_is_readable)
{
  char*      text = hand_voiced_poly_pad();
  StUiModel* m    = model_with(text);
  free(text);
  uint32_t links = 0;
  for (uint32_t j = 0; j < st_graph_capacity(m->mirror->graph); ++j) {
    const StNodeSlot* n = st_graph_node_at(m->mirror->graph, j);
    for (uint32_t i = 0; n && i < n->type->n_inputs; ++i) {
      links += n->src[i].node != ST_NO_NODE;
    }
  }
  ck_assert_uint_eq(links, 73);
  check_readable(m, "Poly Pad", POLY_PAD_CROSSINGS, 0);
  // The chorus LFOs and their scaling stand just before the delays they sweep.
  const StUiLayout* l = &m->layout;
  ck_assert_uint_eq(l->column[node_index(m, "mdl")] + 1, l->column[node_index(m, "chl")]);
  ck_assert_uint_eq(l->column[node_index(m, "lfl")] + 1, l->column[node_index(m, "mdl")]);
  st_ui_model_free(m);
}
END_TEST

START_TEST(mono_synth_is_readable)
{
  char*      text = preset_patch("mono-synth.ttl");
  StUiModel* m    = model_with(text);
  free(text);
  check_readable(m, "Mono Synth", MONO_SYNTH_CROSSINGS, 0);
  const StUiLayout* l = &m->layout;
  ck_assert_uint_eq(l->column[node_index(m, "midi")], 0);
  ck_assert_uint_eq(l->column[node_index(m, "out")], l->column[node_index(m, "amp")] + 1);
  st_ui_model_free(m);
}
END_TEST

START_TEST(every_preset_is_laid_out_without_overlaps)
{
  const char* presets[] = {"acid-bass.ttl",      "drone.ttl",        "ensemble.ttl",
                           "filter-sweep.ttl",   "fm-bell.ttl",      "percussion.ttl",
                           "ping-pong-delay.ttl", "poly-pad.ttl",    "wavetable-pad.ttl",
                           "unison-supersaw.ttl", "mpe-lead.ttl",    "percussion-kit.ttl"};
  for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); ++i) {
    char*      text = preset_patch(presets[i]);
    StUiModel* m    = model_with(text);
    free(text);
    check_readable(m, presets[i], 1000, 0);
    st_ui_model_free(m);
  }
}
END_TEST

START_TEST(an_unlinked_source_sits_before_its_reader)
{
  StUiModel* m = model_with("node osc osc\nnode vcf svf\nnode amp vca\nnode lfo lfo\n"
                            "link osc.out -> vcf.in\nlink vcf.lp -> amp.in\n"
                            "link lfo.out -> amp.cv\nlink amp.out -> out.left\n");
  st_ui_model_update_layout(m);
  // lfo's level is 0, but it feeds amp (column 2) only: it stands in column 1.
  ck_assert_uint_eq(m->layout.column[node_index(m, "lfo")], 1);
  check_readable(m, "lfo", 0, 0);
  st_ui_model_free(m);
}
END_TEST

START_TEST(positions_from_the_patch_are_kept)
{
  StUiModel* m   = model_with("node osc osc\nnode vcf svf\nlink osc.out -> vcf.in\n");
  StUiOut*   out = fresh_out();
  ck_assert(st_ui_model_move_node(m, node_index(m, "vcf"), -300, 40, out));
  ack_all(m, out, answers_out());
  st_ui_model_update_layout(m);
  const StUiRect vcf = m->layout.boxes[node_index(m, "vcf")];
  ck_assert_float_eq(vcf.x, -300);
  ck_assert_float_eq(vcf.y, 40);
  // The node without a position is laid out below the placed one, not over it.
  const StUiRect osc = m->layout.boxes[node_index(m, "osc")];
  ck_assert(!st_ui_rect_overlap(osc, vcf));
  ck_assert_float_ge(osc.y, vcf.y + vcf.h);
  st_ui_model_free(m);
}
END_TEST

START_TEST(an_empty_patch_lays_out_to_nothing)
{
  // Before the first Put, and after a Put of an empty patch.
  StUiModel* m = st_ui_model_new(&test_map, test_measure, NULL);
  st_ui_model_update_layout(m);
  ck_assert_uint_eq(m->layout.n_lanes, 0);
  ck_assert_float_eq(m->layout.bounds.w, 0);
  ck_assert(send_put(m, "# nothing\n", fresh_out()) & ST_UI_CHANGED_PATCH);
  st_ui_model_update_layout(m);
  st_ui_model_fit(m);
  ck_assert_uint_eq(m->layout.crossings, 0);
  st_ui_model_free(m);
}
END_TEST

START_TEST(box_sizes_follow_ports_and_names)
{
  StUiModel* m = model_with("node a_rather_long_node_name vca\nnode p poly\n");
  st_ui_model_update_layout(m);
  const StUiRect a = m->layout.boxes[node_index(m, "a_rather_long_node_name")];
  const StUiRect p = m->layout.boxes[node_index(m, "p")];
  // Title: 23 + 3 bytes at 7 units, the gap between them and padding on both sides.
  ck_assert_float_eq(a.w, 7.0f * 26 + ST_UI_PORT_GAP + 2 * ST_UI_PAD);
  // poly has 24 outputs: one row each below the title.
  ck_assert_float_eq(p.h, ST_UI_TITLE_H + 24 * ST_UI_PORT_H + ST_UI_PAD / 2);
  const StUiPoint port =
    st_ui_layout_port(&m->layout, m->mirror, (uint32_t)node_index(m, "p"), true, 2);
  ck_assert_float_eq(port.x, p.x + p.w);
  ck_assert_float_eq(port.y, p.y + ST_UI_TITLE_H + 2.5f * ST_UI_PORT_H);
  st_ui_model_free(m);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_layout");
  TCase* c = tcase_create("layout");
  tcase_add_test(c, poly_pad_is_readable);
  tcase_add_test(c, mono_synth_is_readable);
  tcase_add_test(c, every_preset_is_laid_out_without_overlaps);
  tcase_add_test(c, an_unlinked_source_sits_before_its_reader);
  tcase_add_test(c, positions_from_the_patch_are_kept);
  tcase_add_test(c, an_empty_patch_lays_out_to_nothing);
  tcase_add_test(c, box_sizes_follow_ports_and_names);
  suite_add_tcase(s, c);
  return run_suite(s);
}
