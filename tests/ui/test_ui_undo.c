/* SPDX-License-Identifier: ISC */
/* Undo and redo: each confirmed edit undone gives back the patch as it was
   (the engine writer's text, byte for byte), and redone gives the edit again. */
#include "test_ui_support.h"

#include "clipboard.h"
#include "gesture.h"

#include "nodes/registry.h"

static StUiModel* m;
static char       before[1 << 16];
static char       after[1 << 16];

static void
setup(void)
{
  char* text = preset_patch("mono-synth.ttl");
  m          = model_with(text);
  free(text);
  snprintf(before, sizeof(before), "%s", mirror_text(m));
}

static void
teardown(void)
{
  st_ui_model_free(m);
}

/* Acks what `out` holds, then checks undo, redo and undo again. */
static void
round_trip(StUiOut* out)
{
  ck_assert_uint_gt(st_ui_out_count(out), 0);
  ack_all(m, out, answers_out());
  ck_assert_uint_eq(m->n_pending, 0);
  snprintf(after, sizeof(after), "%s", mirror_text(m));
  ck_assert_str_ne(after, before);
  ck_assert_uint_eq(m->undo.n_undo, 1);

  out = fresh_out();
  ck_assert(st_ui_model_undo(m, false, out));
  ck_assert_uint_eq(m->undo.n_undo, 0);
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), before);
  ck_assert_uint_eq(m->undo.n_redo, 1);

  out = fresh_out();
  ck_assert(st_ui_model_undo(m, true, out));
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), after);
  ck_assert_uint_eq(m->undo.n_undo, 1);
  ck_assert_uint_eq(m->undo.n_redo, 0);

  out = fresh_out();
  ck_assert(st_ui_model_undo(m, false, out));
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), before);
  ck_assert(!st_ui_model_undo(m, false, fresh_out()));
}

static int
param(const char* node, const char* name)
{
  return st_node_param_index(st_ui_mirror_node(m->mirror, (uint32_t)node_index(m, node))->type,
                             name);
}

START_TEST(add_node)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("noise"), 40, 40, out));
  round_trip(out);
}
END_TEST

START_TEST(delete_a_node_with_links_and_params)
{
  // drv: linked in (vcf.lp) and out (amp.in), parameters off their defaults.
  st_ui_model_select(m, node_index(m, "drv"), false);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_delete_selection(m, out));
  ack_all(m, out, answers_out());
  // The undo puts it back with every parameter, then its links.
  out = fresh_out();
  ck_assert(st_ui_model_undo(m, false, out));
  const LV2_Atom_Object* put = message(out, 0);
  ck_assert_str_eq(otype(put), LV2_PATCH__Put);
  ck_assert_str_eq(prop_uri(put, LV2_PATCH__subject), STRATA_NODE_PREFIX "drv");
  const LV2_Atom_Object* body = prop_object(put, LV2_PATCH__body);
  ck_assert_float_eq(prop_float(body, STRATA_PARAM_PREFIX "drive"), 2);
  ck_assert_float_eq(prop_float(body, STRATA_PARAM_PREFIX "level"), 0.8f);
  ck_assert_uint_eq(st_ui_out_count(out), 4);  // And its links in and out, and its macro.
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), before);
}
END_TEST

START_TEST(delete_several_nodes_with_maps_between_others)
{
  // vcf has macros 1 and 2 with others after them, osc1 and mix link to each other.
  st_ui_model_select(m, node_index(m, "vcf"), false);
  st_ui_model_select(m, node_index(m, "osc1"), true);
  st_ui_model_select(m, node_index(m, "mix"), true);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_delete_selection(m, out));
  ck_assert_uint_eq(st_ui_out_count(out), 3);
  round_trip(out);
}
END_TEST

START_TEST(connect_disconnect_and_replace)
{
  StUiOut* out = fresh_out();
  // A free input.
  ck_assert(st_ui_model_connect(m, node_index(m, "env"), 0, node_index(m, "osc1"),
                                st_node_input_index(st_registry_find("osc"), "fm"), out));
  round_trip(out);
  // An occupied input: vcf.in takes osc1.out instead of mix.out, and back.
  out = fresh_out();
  ck_assert(st_ui_model_connect(m, node_index(m, "osc1"), 0, node_index(m, "vcf"), 0, out));
  st_ui_undo_free(&m->undo);
  round_trip(out);
  st_ui_undo_free(&m->undo);
  out = fresh_out();
  ck_assert(st_ui_model_disconnect(m, node_index(m, "amp"), 1, out));
  round_trip(out);
}
END_TEST

START_TEST(moving_a_cable_end_is_one_step)
{
  // env.out goes from amp.cv to drv.in (occupied by vcf.lp): replaced, and amp.cv freed.
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_move_link(m, node_index(m, "amp"), 1, node_index(m, "drv"), 0, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);
  const LV2_Atom_Object* link = prop_object(message(out, 0), LV2_PATCH__body);
  ck_assert_str_eq(prop_string(link, STRATA__tail), "env.out");
  ck_assert_str_eq(prop_string(link, STRATA__head), "drv.in");
  ck_assert(prop_bool(link, STRATA_PREFIX "replace"));
  ck_assert_str_eq(otype(message(out, 1)), LV2_PATCH__Delete);
  link = prop_object(message(out, 1), LV2_PATCH__body);
  ck_assert_str_eq(prop_string(link, STRATA__head), "amp.cv");
  round_trip(out);
}
END_TEST

START_TEST(a_drag_of_a_parameter_is_one_step)
{
  StUiOut*  out = fresh_out();
  const int vcf = node_index(m, "vcf");
  for (int i = 1; i <= 5; ++i) {
    ck_assert(st_ui_model_set_param(m, vcf, param("vcf", "cutoff"), 500.0f + 120.0f * (float)i,
                                    true, out));
    if (i == 3) {
      ack_all(m, out, answers_out());  // Answers come while the drag goes on.
      out = fresh_out();
    }
  }
  st_ui_model_end_drag(m);
  ack_all(m, out, answers_out());
  ck_assert_uint_eq(m->undo.n_undo, 1);
  snprintf(after, sizeof(after), "%s", mirror_text(m));
  ck_assert_msg(strstr(after, "cutoff=1100") != NULL, "%s", after);
  out = fresh_out();
  ck_assert(st_ui_model_undo(m, false, out));
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), before);
  // A choice parameter, typed.
  out = fresh_out();
  ck_assert(
    st_ui_model_set_param(m, node_index(m, "osc2"), param("osc2", "wave"), 0, false, out));
  round_trip(out);
}
END_TEST

START_TEST(rename_a_node)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_rename(m, node_index(m, "famt"), "depth", out));
  round_trip(out);
}
END_TEST

START_TEST(map_remap_and_unmap)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_map(m, 6, node_index(m, "amp"), param("amp", "gain"), 0, 1,
                            ST_CURVE_LINEAR, "Volume", out));
  round_trip(out);
  st_ui_undo_free(&m->undo);
  out = fresh_out();  // The same slot and parameter again: the old range comes back.
  ck_assert(st_ui_model_map(m, 1, node_index(m, "vcf"), param("vcf", "cutoff"), 200, 900,
                            ST_CURVE_LINEAR, "Cut", out));
  round_trip(out);
  st_ui_undo_free(&m->undo);
  out = fresh_out();  // Unmapping a map that others follow.
  ck_assert(st_ui_model_unmap(m, 2, node_index(m, "vcf"), param("vcf", "res"), out));
  round_trip(out);
  st_ui_undo_free(&m->undo);
  out = fresh_out();  // Unmapping the last map.
  ck_assert(st_ui_model_unmap(m, 5, node_index(m, "drv"), param("drv", "drive"), out));
  round_trip(out);
}
END_TEST

START_TEST(move_a_node)
{
  StUiOut*  out = fresh_out();
  const int env = node_index(m, "env");
  st_ui_model_update_layout(m);
  const StUiRect shown = m->layout.boxes[env];
  ck_assert(st_ui_model_move_node(m, env, 10, 10, out));
  ack_all(m, out, answers_out());
  ck_assert(st_ui_model_move_node(m, env, 500, 20, out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).x, 500);
  ck_assert(st_ui_model_undo(m, false, out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).x, 10);
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).y, 10);
  // Undoing the first move puts it where the layout showed it: the patch
  // then places it there (no edit takes a position away), nothing else changes.
  ck_assert(st_ui_model_undo(m, false, out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).x, shown.x);
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).y, shown.y);
  char   placed[1 << 16];
  size_t n = (size_t)snprintf(placed, sizeof(placed), "%s", before);
  n += (size_t)snprintf(placed + n, sizeof(placed) - n, "\nplace env ");
  char* text = st_ui_mirror_text(m->mirror);
  ck_assert_int_eq(strncmp(text, placed, n), 0);
  free(text);
  ck_assert(st_ui_model_undo(m, true, out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)env).x, 10);
}
END_TEST

START_TEST(placed_nodes_move_and_come_back_where_they_were)
{
  // The patch places env and amp: moves and deletions undo exactly, places included.
  char* text = preset_patch("mono-synth.ttl");
  char  placed[1 << 16];
  snprintf(placed, sizeof(placed), "name \"Mono\"\n%splace env 40 -20.5\nplace amp 600 80\n",
           text);
  free(text);
  ck_assert(send_put(m, placed, fresh_out()) & ST_UI_CHANGED_PATCH);
  ck_assert_str_eq(st_ui_mirror_name(m->mirror), "Mono");
  snprintf(before, sizeof(before), "%s", mirror_text(m));
  ck_assert_ptr_nonnull(strstr(before, "place env 40 -20.5\n"));
  st_ui_model_update_layout(m);
  ck_assert_float_eq(m->layout.boxes[node_index(m, "amp")].x, 600);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_move_node(m, node_index(m, "env"), 300, 300, out));
  round_trip(out);
  st_ui_undo_free(&m->undo);
  st_ui_model_select(m, node_index(m, "amp"), false);
  ck_assert(st_ui_model_delete_selection(m, out = fresh_out()));
  round_trip(out);
}
END_TEST

START_TEST(apply_text)
{
  st_ui_text_set(&m->text, "node a osc\nlink a.out -> out.left\n", 34);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_apply_text(m, out));
  round_trip(out);
}
END_TEST

START_TEST(paste)
{
  st_ui_model_select(m, node_index(m, "osc1"), false);
  st_ui_model_select(m, node_index(m, "mix"), true);
  char* text = st_ui_model_copy(m);
  ck_assert_ptr_nonnull(text);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_paste(m, text, out));
  free(text);
  round_trip(out);
}
END_TEST

START_TEST(a_new_edit_forgets_the_redo_steps)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_rename(m, node_index(m, "famt"), "depth", out));
  ack_all(m, out, answers_out());
  ck_assert(st_ui_model_undo(m, false, out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_uint_eq(m->undo.n_redo, 1);
  ck_assert(st_ui_model_rename(m, node_index(m, "env"), "amp_env", out = fresh_out()));
  ack_all(m, out, answers_out());
  ck_assert_uint_eq(m->undo.n_redo, 0);
  ck_assert_uint_eq(m->undo.n_undo, 1);
  // A refused edit records nothing.
  ck_assert(st_ui_model_rename(m, node_index(m, "vcf"), "osc1", out = fresh_out()));
  send_error(m, prop_seq(message(out, 0)), "rename vcf -> osc1: the name 'osc1' is taken",
             answers_out());
  ck_assert_uint_eq(m->undo.n_undo, 1);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_undo");
  TCase* c = tcase_create("round trips");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, add_node);
  tcase_add_test(c, delete_a_node_with_links_and_params);
  tcase_add_test(c, delete_several_nodes_with_maps_between_others);
  tcase_add_test(c, connect_disconnect_and_replace);
  tcase_add_test(c, moving_a_cable_end_is_one_step);
  tcase_add_test(c, a_drag_of_a_parameter_is_one_step);
  tcase_add_test(c, rename_a_node);
  tcase_add_test(c, map_remap_and_unmap);
  tcase_add_test(c, move_a_node);
  tcase_add_test(c, placed_nodes_move_and_come_back_where_they_were);
  tcase_add_test(c, apply_text);
  tcase_add_test(c, paste);
  tcase_add_test(c, a_new_edit_forgets_the_redo_steps);
  suite_add_tcase(s, c);
  return run_suite(s);
}
