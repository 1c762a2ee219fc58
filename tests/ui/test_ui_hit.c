/* SPDX-License-Identifier: ISC */
/* Hit-testing under zoom and pan: boxes, titles, ports, cables, the
   selected node's controls, the macro strip, the text view, empty canvas. */
#include "test_ui_support.h"

#include <math.h>

static const char* const SMALL = "node osc osc wave=saw freq=110\n"
                                 "node vcf svf cutoff=800 res=0.4\n"
                                 "node amp vca\n"
                                 "link osc.out -> vcf.in\n"
                                 "link vcf.lp -> amp.in\n"
                                 "link amp.out -> out.left\n";

static StUiModel* m;

static void
setup(void)
{
  m = model_with(SMALL);
  st_ui_model_resize(m, 1000, 700);
  st_ui_model_update_layout(m);
  m->view = (StUiView){2.0f, 30, 40};
}

static void
teardown(void)
{
  st_ui_model_free(m);
}

static StUiHit
hit_canvas(float x, float y)
{
  const StUiPoint w = st_ui_view_window(&m->view, (StUiPoint){x, y});
  return st_ui_model_hit(m, w.x, w.y);
}

START_TEST(canvas_and_window_coordinates)
{
  const StUiPoint c = {12.5f, -7};
  const StUiPoint w = st_ui_view_window(&m->view, c);
  ck_assert_float_eq(w.x, 55);
  ck_assert_float_eq(w.y, 26);
  const StUiPoint back = st_ui_view_canvas(&m->view, w);
  ck_assert_float_eq(back.x, c.x);
  ck_assert_float_eq(back.y, c.y);
  // Zooming about a point keeps that point where it is.
  const StUiPoint at    = {400, 300};
  const StUiPoint under = st_ui_view_canvas(&m->view, at);
  st_ui_view_zoom(&m->view, 1.5f, at);
  ck_assert_float_eq(m->view.zoom, 3);
  const StUiPoint still = st_ui_view_window(&m->view, under);
  ck_assert_float_eq_tol(still.x, at.x, 1e-3f);
  ck_assert_float_eq_tol(still.y, at.y, 1e-3f);
  st_ui_view_zoom(&m->view, 100, at);
  ck_assert_float_eq(m->view.zoom, ST_UI_ZOOM_MAX);
  st_ui_view_zoom(&m->view, 1e-6f, at);
  ck_assert_float_eq(m->view.zoom, ST_UI_ZOOM_MIN);
}
END_TEST

START_TEST(fit_shows_the_whole_patch_centred)
{
  st_ui_model_fit(m);
  const StUiRect  b  = m->layout.bounds;
  const StUiRect  a  = m->frame.canvas;
  const StUiPoint tl = st_ui_view_window(&m->view, (StUiPoint){b.x, b.y});
  const StUiPoint br = st_ui_view_window(&m->view, (StUiPoint){b.x + b.w, b.y + b.h});
  ck_assert_float_ge(tl.x, a.x + 23.9f);
  ck_assert_float_ge(tl.y, a.y + 23.9f);
  ck_assert_float_le(br.x, a.x + a.w - 23.9f);
  ck_assert_float_le(br.y, a.y + a.h - 23.9f);
  ck_assert_float_eq_tol((tl.x + br.x) / 2, a.x + a.w / 2, 1e-3f);
  ck_assert_float_eq_tol((tl.y + br.y) / 2, a.y + a.h / 2, 1e-3f);
  // The patch is wide, not tall: the width decides, up to 1.5 at most.
  ck_assert(fabsf(br.x - tl.x - (a.w - 48)) < 1e-2f || m->view.zoom == 1.5f);
}
END_TEST

START_TEST(boxes_titles_and_empty_canvas)
{
  const int      vcf = node_index(m, "vcf");
  const StUiRect b   = m->layout.boxes[vcf];
  StUiHit        h   = hit_canvas(b.x + b.w / 2, b.y + ST_UI_TITLE_H / 2);
  ck_assert_int_eq(h.kind, ST_UI_HIT_TITLE);
  ck_assert_int_eq(h.node, vcf);
  h = hit_canvas(b.x + b.w / 2, b.y + b.h - 2);
  ck_assert_int_eq(h.kind, ST_UI_HIT_NODE);
  ck_assert_int_eq(h.node, vcf);
  ck_assert_float_eq_tol(h.canvas.x, b.x + b.w / 2, 1e-3f);
  h = hit_canvas(b.x + b.w / 2, b.y + b.h + 60);
  ck_assert_int_eq(h.kind, ST_UI_HIT_CANVAS);
  ck_assert_int_eq(h.node, -1);
  ck_assert_float_eq_tol(m->pointer.y, b.y + b.h + 60, 1e-3f);
}
END_TEST

START_TEST(ports_within_reach_in_window_pixels)
{
  const int       vcf = node_index(m, "vcf");
  const StUiPoint in  = st_ui_layout_port(&m->layout, m->mirror, (uint32_t)vcf, false, 1);
  const StUiPoint w   = st_ui_view_window(&m->view, in);
  StUiHit         h   = st_ui_model_hit(m, w.x - 6, w.y);
  ck_assert_int_eq(h.kind, ST_UI_HIT_INPUT);
  ck_assert_int_eq(h.node, vcf);
  ck_assert_int_eq(h.port, 1);
  // 8 window pixels away is 4 canvas units at zoom 2: out of reach, on empty canvas.
  h = st_ui_model_hit(m, w.x - 8, w.y);
  ck_assert_int_ne(h.kind, ST_UI_HIT_INPUT);
  const StUiPoint out = st_ui_view_window(
    &m->view, st_ui_layout_port(&m->layout, m->mirror, (uint32_t)vcf, true, 2));
  h = st_ui_model_hit(m, out.x + 3, out.y - 3);
  ck_assert_int_eq(h.kind, ST_UI_HIT_OUTPUT);
  ck_assert_int_eq(h.port, 2);
}
END_TEST

START_TEST(cables_by_distance_to_the_curve)
{
  const int       osc = node_index(m, "osc");
  const int       vcf = node_index(m, "vcf");
  const StUiPoint a   = st_ui_view_window(
      &m->view, st_ui_layout_port(&m->layout, m->mirror, (uint32_t)osc, true, 0));
  const StUiPoint b = st_ui_view_window(
    &m->view, st_ui_layout_port(&m->layout, m->mirror, (uint32_t)vcf, false, 0));
  StUiPoint c[4];
  st_ui_cable_curve(a, b, c);
  // The curve's middle: (c0 + 3 c1 + 3 c2 + c3) / 8.
  const StUiPoint mid = {(c[0].x + 3 * c[1].x + 3 * c[2].x + c[3].x) / 8,
                         (c[0].y + 3 * c[1].y + 3 * c[2].y + c[3].y) / 8};
  ck_assert_float_lt(st_ui_cable_distance(c, mid), 0.5f);
  StUiHit h = st_ui_model_hit(m, mid.x, mid.y + 4);
  ck_assert_int_eq(h.kind, ST_UI_HIT_CABLE);
  ck_assert_int_eq(h.node, vcf);
  ck_assert_int_eq(h.port, 0);
  h = st_ui_model_hit(m, mid.x, mid.y + 12);
  ck_assert_int_ne(h.kind, ST_UI_HIT_CABLE);
}
END_TEST

START_TEST(a_long_cable_is_hit_along_its_lane)
{
  // Mono Synth's env.out -> amp.cv crosses three columns through lanes.
  char* text = preset_patch("mono-synth.ttl");
  ck_assert(send_put(m, text, fresh_out()) & ST_UI_CHANGED_PATCH);
  free(text);
  st_ui_model_update_layout(m);
  const int    amp = node_index(m, "amp");
  StUiPoint    path[ST_UI_PATH_MAX];
  const size_t n =
    st_ui_layout_cable_path(&m->layout, m->mirror, (uint32_t)amp, 1, path, ST_UI_PATH_MAX);
  ck_assert_uint_ge(n, 4);
  // The middle of the first lane, straight across its column.
  const StUiPoint mid =
    st_ui_view_window(&m->view, (StUiPoint){(path[1].x + path[2].x) / 2, path[1].y});
  const StUiHit h = st_ui_model_hit(m, mid.x, mid.y + 3);
  ck_assert_int_eq(h.kind, ST_UI_HIT_CABLE);
  ck_assert_int_eq(h.node, amp);
  ck_assert_int_eq(h.port, 1);
}
END_TEST

START_TEST(controls_strip_and_text)
{
  // No node selected: no controls.
  StUiHit h = st_ui_model_hit(m, 999, 60);
  ck_assert_int_ne(h.kind, ST_UI_HIT_PARAM);
  const int vcf = node_index(m, "vcf");
  st_ui_model_select(m, vcf, false);
  const StUiRect row = (st_ui_model_hit(m, 0, 0), st_ui_inspector_slider(&m->frame, 1));
  h                  = st_ui_model_hit(m, row.x + row.w / 4, row.y + row.h / 2);
  ck_assert_int_eq(h.kind, ST_UI_HIT_PARAM);
  ck_assert_int_eq(h.node, vcf);
  ck_assert_int_eq(h.port, 1);
  ck_assert_float_eq_tol(h.fraction, 0.25f, 1e-3f);
  ck_assert_float_eq(m->frame.inspector.x + m->frame.inspector.w, m->frame.canvas.w);

  h = st_ui_model_hit(m, 1000.0f * 5.5f / 16, 700 - 10);
  ck_assert_int_eq(h.kind, ST_UI_HIT_MACRO);
  ck_assert_int_eq(h.port, 5);
  ck_assert_float_eq_tol(h.fraction, 0.5f, 1e-3f);

  st_ui_model_show_text(m, true);
  h = st_ui_model_hit(m, 990, 650);
  ck_assert_int_eq(h.kind, ST_UI_HIT_TEXT);
  ck_assert_float_eq(m->frame.text.w, 400);
  ck_assert_float_eq(m->frame.canvas.w, 600);
  h = st_ui_model_hit(m, 500, 800);
  ck_assert_int_eq(h.kind, ST_UI_HIT_NONE);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_hit");
  TCase* c = tcase_create("hit");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, canvas_and_window_coordinates);
  tcase_add_test(c, fit_shows_the_whole_patch_centred);
  tcase_add_test(c, boxes_titles_and_empty_canvas);
  tcase_add_test(c, ports_within_reach_in_window_pixels);
  tcase_add_test(c, cables_by_distance_to_the_curve);
  tcase_add_test(c, a_long_cable_is_hit_along_its_lane);
  tcase_add_test(c, controls_strip_and_text);
  suite_add_tcase(s, c);
  return run_suite(s);
}
