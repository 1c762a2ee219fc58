/* SPDX-License-Identifier: ISC */
/* The keyboard: keys to actions, the actions the model carries out, and
   typing in the text view down to applying it. */
#include "test_ui_support.h"

#include "keys.h"

/* X11 keysyms the tests press. */
enum {
  XK_BackSpace = 0xff08,
  XK_Tab       = 0xff09,
  XK_Return    = 0xff0d,
  XK_Escape    = 0xff1b,
  XK_Home      = 0xff50,
  XK_Left      = 0xff51,
  XK_Right     = 0xff53,
  XK_Down      = 0xff54,
  XK_End       = 0xff57,
  XK_F2        = 0xffbf,
  XK_Delete    = 0xffff,
};

static StUiModel* m;

static void
setup(void)
{
  m =
    model_with("node osc osc\nnode vcf svf\nlink osc.out -> vcf.in\nlink vcf.lp -> out.left\n");
}

static void
teardown(void)
{
  st_ui_model_free(m);
}

START_TEST(keys_map_to_actions)
{
  ck_assert_int_eq(st_ui_keys_action(XK_Delete, 0), ST_UI_ACTION_DELETE);
  ck_assert_int_eq(st_ui_keys_action(XK_BackSpace, 0), ST_UI_ACTION_DELETE);
  ck_assert_int_eq(st_ui_keys_action('z', ST_UI_MOD_CTRL), ST_UI_ACTION_UNDO);
  ck_assert_int_eq(st_ui_keys_action('Z', ST_UI_MOD_CTRL | ST_UI_MOD_SHIFT), ST_UI_ACTION_REDO);
  ck_assert_int_eq(st_ui_keys_action('y', ST_UI_MOD_CTRL), ST_UI_ACTION_REDO);
  ck_assert_int_eq(st_ui_keys_action('c', ST_UI_MOD_CTRL), ST_UI_ACTION_COPY);
  ck_assert_int_eq(st_ui_keys_action('x', ST_UI_MOD_CTRL), ST_UI_ACTION_CUT);
  ck_assert_int_eq(st_ui_keys_action('v', ST_UI_MOD_CTRL), ST_UI_ACTION_PASTE);
  ck_assert_int_eq(st_ui_keys_action('+', 0), ST_UI_ACTION_ZOOM_IN);
  ck_assert_int_eq(st_ui_keys_action('=', 0), ST_UI_ACTION_ZOOM_IN);
  ck_assert_int_eq(st_ui_keys_action('-', 0), ST_UI_ACTION_ZOOM_OUT);
  ck_assert_int_eq(st_ui_keys_action('f', 0), ST_UI_ACTION_FIT);
  ck_assert_int_eq(st_ui_keys_action(' ', 0), ST_UI_ACTION_PALETTE);
  ck_assert_int_eq(st_ui_keys_action(XK_Tab, 0), ST_UI_ACTION_PALETTE);
  ck_assert_int_eq(st_ui_keys_action(XK_F2, 0), ST_UI_ACTION_RENAME);
  ck_assert_int_eq(st_ui_keys_action(XK_Left, 0), ST_UI_ACTION_NUDGE_LEFT);
  ck_assert_int_eq(st_ui_keys_action(XK_Escape, 0), ST_UI_ACTION_ESCAPE);
  ck_assert_int_eq(st_ui_keys_action('q', 0), ST_UI_ACTION_NONE);
  ck_assert_int_eq(st_ui_keys_action('f', ST_UI_MOD_CTRL), ST_UI_ACTION_NONE);
}
END_TEST

START_TEST(delete_undo_and_redo_from_the_keyboard)
{
  static char before[1 << 16];
  snprintf(before, sizeof(before), "%s", mirror_text(m));
  st_ui_model_select(m, node_index(m, "osc"), false);
  StUiOut* out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, XK_Delete, 0, out), ST_UI_ACTION_DELETE);
  ck_assert_str_eq(otype(message(out, 0)), LV2_PATCH__Delete);
  ack_all(m, out, answers_out());
  ck_assert_int_lt(st_ui_mirror_find(m->mirror, "osc"), 0);
  out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, 'z', ST_UI_MOD_CTRL, out), ST_UI_ACTION_UNDO);
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), before);
  out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, 'Z', ST_UI_MOD_CTRL | ST_UI_MOD_SHIFT, out),
                   ST_UI_ACTION_REDO);
  ack_all(m, out, answers_out());
  ck_assert_int_lt(st_ui_mirror_find(m->mirror, "osc"), 0);
}
END_TEST

START_TEST(arrows_nudge_the_selection)
{
  st_ui_model_update_layout(m);
  const int      vcf = node_index(m, "vcf");
  const StUiRect b   = m->layout.boxes[vcf];
  st_ui_model_select(m, vcf, false);
  StUiOut* out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, XK_Right, 0, out), ST_UI_ACTION_NUDGE_RIGHT);
  ack_all(m, out, answers_out());
  out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, XK_Down, ST_UI_MOD_SHIFT, out), ST_UI_ACTION_NUDGE_DOWN);
  ack_all(m, out, answers_out());
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)vcf).x, b.x + ST_UI_NUDGE);
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)vcf).y, b.y + ST_UI_NUDGE_FINE);
  ck_assert_uint_eq(m->undo.n_undo, 2);
}
END_TEST

START_TEST(zoom_and_fit_keys)
{
  const float zoom = m->view.zoom;
  ck_assert_int_eq(st_ui_model_key(m, '+', 0, fresh_out()), ST_UI_ACTION_ZOOM_IN);
  ck_assert_float_eq_tol(m->view.zoom, zoom * ST_UI_ZOOM_STEP, 1e-6f);
  ck_assert_int_eq(st_ui_model_key(m, '-', 0, fresh_out()), ST_UI_ACTION_ZOOM_OUT);
  ck_assert_float_eq_tol(m->view.zoom, zoom, 1e-6f);
  ck_assert_int_eq(st_ui_model_key(m, 'f', 0, fresh_out()), ST_UI_ACTION_FIT);
  ck_assert_float_eq(m->view.zoom, 1.5f);  // A small patch is shown at most 1.5 times.
  // What the view does itself comes back untouched, sending nothing.
  StUiOut* out = fresh_out();
  ck_assert_int_eq(st_ui_model_key(m, ' ', 0, out), ST_UI_ACTION_PALETTE);
  ck_assert_int_eq(st_ui_model_key(m, 'c', ST_UI_MOD_CTRL, out), ST_UI_ACTION_COPY);
  ck_assert_uint_eq(out->used, 0);
}
END_TEST

static void
type(const char* text)
{
  for (const char* c = text; *c; ++c) {
    const char key[2] = {*c, 0};
    if (*c == '\n') {
      st_ui_model_text_key(m, XK_Return, 0, NULL, fresh_out());
    } else {
      st_ui_model_text_key(m, (uint32_t)(unsigned char)*c, 0, key, fresh_out());
    }
  }
}

START_TEST(typing_a_broken_line_shows_where_and_sends_nothing)
{
  st_ui_model_text_key(m, XK_End, ST_UI_MOD_CTRL, NULL, fresh_out());
  type("link osc.out -> vcf.cutof\n");
  StUiOut* out = fresh_out();
  ck_assert_int_eq(st_ui_model_text_key(m, XK_Return, ST_UI_MOD_CTRL, NULL, out),
                   ST_UI_ACTION_APPLY_TEXT);
  ck_assert_uint_eq(out->used, 0);
  ck_assert_uint_eq(m->error.line, 5);
  ck_assert_uint_eq(m->error.column, 21);
  ck_assert_str_eq(
    m->error.text,
    "line 5, column 21: node 'vcf' (svf) has no input 'cutof' (did you mean 'cutoff'?)");
  // The cursor is at the error; fix the word there and apply.
  st_ui_model_text_key(m, XK_End, 0, NULL, fresh_out());
  type("f");
  out = fresh_out();
  ck_assert_int_eq(st_ui_model_text_key(m, XK_Return, ST_UI_MOD_CTRL, NULL, out),
                   ST_UI_ACTION_APPLY_TEXT);
  ck_assert_uint_eq(st_ui_out_count(out), 1);
  ck_assert_ptr_nonnull(
    strstr(prop_string(message(out, 0), LV2_PATCH__value), "link osc.out -> vcf.cutoff\n"));
  // Home, selection and delete.
  st_ui_model_text_key(m, XK_Home, ST_UI_MOD_CTRL, NULL, fresh_out());
  st_ui_model_text_key(m, XK_Right, ST_UI_MOD_SHIFT, NULL, fresh_out());
  st_ui_model_text_key(m, XK_Delete, 0, NULL, fresh_out());
  ck_assert_int_eq(m->text.text[0], 'o');
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_keys");
  TCase* c = tcase_create("keys");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, keys_map_to_actions);
  tcase_add_test(c, delete_undo_and_redo_from_the_keyboard);
  tcase_add_test(c, arrows_nudge_the_selection);
  tcase_add_test(c, zoom_and_fit_keys);
  tcase_add_test(c, typing_a_broken_line_shows_where_and_sends_nothing);
  suite_add_tcase(s, c);
  return run_suite(s);
}
