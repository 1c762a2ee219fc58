/* SPDX-License-Identifier: ISC */
/* Copy and paste: the selection as patch text, pasted under free names as
   single edits of one gesture. */
#include "test_ui_support.h"

#include "clipboard.h"

static StUiModel* m;

static void
setup(void)
{
  char* text = preset_patch("mono-synth.ttl");
  m          = model_with(text);
  free(text);
}

static void
teardown(void)
{
  st_ui_model_free(m);
}

START_TEST(copy_writes_the_selected_nodes_and_the_links_between_them)
{
  ck_assert_ptr_null(st_ui_model_copy(m));
  st_ui_model_select(m, node_index(m, "osc1"), false);
  st_ui_model_select(m, node_index(m, "mix"), true);
  st_ui_model_select(m, node_index(m, "vcf"), true);
  char* text = st_ui_model_copy(m);
  // Each node placed where it is shown, so a paste keeps the arrangement.
  const StUiRect* box = m->layout.boxes;
  char            places[256];
  snprintf(places, sizeof(places), "\nplace osc1 %g %g\nplace mix %g %g\nplace vcf %g %g\n",
           (double)box[node_index(m, "osc1")].x, (double)box[node_index(m, "osc1")].y,
           (double)box[node_index(m, "mix")].x, (double)box[node_index(m, "mix")].y,
           (double)box[node_index(m, "vcf")].x, (double)box[node_index(m, "vcf")].y);
  char expected[1024];
  snprintf(expected, sizeof(expected), "%s%s",
           "# Strata patch\n"
           "node osc1 osc   wave=saw\n"
           "node mix  mixer g1=0.45 g2=0.3\n"
           "node vcf  svf   cutoff=500 res=0.45\n"
           "\n"
           "link osc1.out -> mix.in1\n"
           "link mix.out  -> vcf.in\n",
           places);
  ck_assert_str_eq(text, expected);
  free(text);
}
END_TEST

START_TEST(paste_renames_clashing_names_and_links_the_copies)
{
  st_ui_model_select(m, node_index(m, "osc1"), false);
  st_ui_model_select(m, node_index(m, "mix"), true);
  char*          text = st_ui_model_copy(m);
  const StUiRect osc1 = m->layout.boxes[node_index(m, "osc1")];
  m->pointer          = (StUiPoint){100, 200};
  StUiOut* out        = fresh_out();
  ck_assert(st_ui_model_paste(m, text, out));
  free(text);
  ck_assert_uint_eq(st_ui_out_count(out), 5);
  // osc1 -> osc3 (osc2 is taken), mix -> mix2.
  const LV2_Atom_Object* put = message(out, 0);
  ck_assert_str_eq(otype(put), LV2_PATCH__Put);
  ck_assert_str_eq(prop_uri(put, LV2_PATCH__subject), STRATA_NODE_PREFIX "osc3");
  ck_assert_float_eq(prop_float(prop_object(put, LV2_PATCH__body), STRATA_PARAM_PREFIX "wave"),
                     1);
  ck_assert_str_eq(prop_uri(message(out, 1), LV2_PATCH__property), STRATA_PREFIX "position");
  ck_assert_str_eq(prop_uri(message(out, 2), LV2_PATCH__subject), STRATA_NODE_PREFIX "mix2");
  const LV2_Atom_Object* link = prop_object(message(out, 4), LV2_PATCH__body);
  ck_assert_str_eq(prop_string(link, STRATA__tail), "osc3.out");
  ck_assert_str_eq(prop_string(link, STRATA__head), "mix2.in1");
  ack_all(m, out, answers_out());
  // The pasted nodes are the selection, placed right of and below the copies.
  ck_assert(st_ui_model_is_selected(m, node_index(m, "osc3")));
  ck_assert(st_ui_model_is_selected(m, node_index(m, "mix2")));
  ck_assert(!st_ui_model_is_selected(m, node_index(m, "osc1")));
  const StUiPlace p = st_ui_mirror_place(m->mirror, (uint32_t)node_index(m, "osc3"));
  ck_assert_float_eq(p.x, osc1.x + ST_UI_PASTE_OFFSET);
  ck_assert_float_eq(p.y, osc1.y + ST_UI_PASTE_OFFSET);
  // Text without positions is set out from the pointer.
  out = fresh_out();
  ck_assert(st_ui_model_paste(m, "node n noise\n", out));
  ack_all(m, out, answers_out());
  const StUiPlace q = st_ui_mirror_place(m->mirror, (uint32_t)node_index(m, "n"));
  ck_assert_float_eq(q.x, 100 + ST_UI_PASTE_OFFSET);
  ck_assert_float_eq(q.y, 200 + ST_UI_PASTE_OFFSET);
  ck_assert_uint_eq(m->undo.n_undo, 2);  // One step a paste.
}
END_TEST

START_TEST(paste_of_bad_text_sends_nothing)
{
  StUiOut* out = fresh_out();
  ck_assert(!st_ui_model_paste(m, "node x nosuchtype\n", out));
  ck_assert_uint_eq(out->used, 0);
  ck_assert_str_eq(m->error.text, "line 1, column 8: unknown node type 'nosuchtype'");
  ck_assert(!st_ui_model_paste(m, "# nothing\n", out));
  ck_assert_str_eq(m->error.text, "nothing to paste");
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_clipboard");
  TCase* c = tcase_create("clipboard");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, copy_writes_the_selected_nodes_and_the_links_between_them);
  tcase_add_test(c, paste_renames_clashing_names_and_links_the_copies);
  tcase_add_test(c, paste_of_bad_text_sends_nothing);
  suite_add_tcase(s, c);
  return run_suite(s);
}
