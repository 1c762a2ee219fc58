/* SPDX-License-Identifier: ISC */
/* Gestures into patch messages: the exact atoms each gesture sends, read
   back field by field, with their sequence numbers. */
#include "gesture.h"
#include "test_ui_support.h"

#include "nodes/registry.h"

#include <unistd.h>

#define NODE(name) STRATA_NODE_PREFIX name
#define PARAM(name) STRATA_PARAM_PREFIX name

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
}

static void
teardown(void)
{
  st_ui_model_free(m);
}

START_TEST(add_node_is_a_put_and_a_position_set)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("svf"), 100, -50, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);
  const LV2_Atom_Object* put = message(out, 0);
  ck_assert_str_eq(otype(put), LV2_PATCH__Put);
  ck_assert_int_eq(prop_seq(put), 1);
  ck_assert_str_eq(prop_uri(put, LV2_PATCH__subject), NODE("svf"));
  ck_assert_int_eq(n_props(put), 3);
  const LV2_Atom_Object* body = prop_object(put, LV2_PATCH__body);
  ck_assert_str_eq(prop_uri(body, RDF__type), STRATA_TYPE_PREFIX "svf");
  ck_assert_int_eq(n_props(body), 1);  // Defaults are not sent.

  const LV2_Atom_Object* set = message(out, 1);
  ck_assert_str_eq(otype(set), LV2_PATCH__Set);
  ck_assert_int_eq(prop_seq(set), 2);
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__subject), NODE("svf"));
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__property), STRATA_PREFIX "position");
  const LV2_Atom* v = prop(set, LV2_PATCH__value);
  ck_assert_uint_eq(v->type, urid(LV2_ATOM__Vector));
  const LV2_Atom_Vector* vec = (const LV2_Atom_Vector*)(const void*)v;
  ck_assert_uint_eq(vec->body.child_type, urid(LV2_ATOM__Float));
  ck_assert_uint_eq(vec->body.child_size, 4);
  ck_assert_uint_eq((v->size - sizeof(vec->body)) / 4, 2);
  const float* xy = (const float*)(const void*)(&vec->body + 1);
  ck_assert_float_eq(xy[0], 100);
  ck_assert_float_eq(xy[1], -50);
  ck_assert_uint_eq(m->n_pending, 2);

  // A taken name is numbered.
  out = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("osc"), 0, 0, out));
  ck_assert_str_eq(prop_uri(message(out, 0), LV2_PATCH__subject), NODE("osc2"));
  ck_assert_int_eq(prop_seq(message(out, 0)), 3);
}
END_TEST

START_TEST(move_is_a_position_set)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_move_node(m, node_index(m, "amp"), 320.5f, 48, out));
  ck_assert_uint_eq(st_ui_out_count(out), 1);
  const LV2_Atom_Object* set = message(out, 0);
  ck_assert_str_eq(otype(set), LV2_PATCH__Set);
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__subject), NODE("amp"));
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__property), STRATA_PREFIX "position");
  ck_assert_int_eq(n_props(set), 4);
}
END_TEST

START_TEST(connect_a_free_input_and_replace_an_occupied_one)
{
  StUiOut*  out = fresh_out();
  const int osc = node_index(m, "osc");
  const int vcf = node_index(m, "vcf");
  const int amp = node_index(m, "amp");
  // osc.out -> vcf.cutoff: free input, no strata:replace.
  ck_assert(st_ui_model_connect(m, osc, 0, vcf,
                                st_node_input_index(st_registry_find("svf"), "cutoff"), out));
  const LV2_Atom_Object* put = message(out, 0);
  ck_assert_str_eq(otype(put), LV2_PATCH__Put);
  ck_assert_ptr_null(prop(put, LV2_PATCH__subject));
  const LV2_Atom_Object* link = prop_object(put, LV2_PATCH__body);
  ck_assert_str_eq(otype(link), STRATA__Link);
  ck_assert_str_eq(prop_string(link, STRATA__tail), "osc.out");
  ck_assert_str_eq(prop_string(link, STRATA__head), "vcf.cutoff");
  ck_assert_int_eq(n_props(link), 2);

  // osc.out -> amp.in: amp.in takes vcf.lp now, so the link is replaced in one edit.
  out = fresh_out();
  ck_assert(st_ui_model_connect(m, osc, 0, amp, 0, out));
  link = prop_object(message(out, 0), LV2_PATCH__body);
  ck_assert_str_eq(prop_string(link, STRATA__head), "amp.in");
  ck_assert(prop_bool(link, STRATA_PREFIX "replace"));
  ck_assert_int_eq(n_props(link), 3);

  // Fan out: one output to a second input is a plain connect.
  out = fresh_out();
  ck_assert(st_ui_model_connect(m, amp, 0, node_index(m, "out"), 1, out));
  link = prop_object(message(out, 0), LV2_PATCH__body);
  ck_assert_str_eq(prop_string(link, STRATA__tail), "amp.out");
  ck_assert_str_eq(prop_string(link, STRATA__head), "out.right");
  ck_assert_ptr_null(prop(link, STRATA_PREFIX "replace"));

  // A link that is already there sends nothing.
  out = fresh_out();
  ck_assert(st_ui_model_connect(m, osc, 0, vcf, 0, out));
  ck_assert_uint_eq(st_ui_out_count(out), 0);
}
END_TEST

START_TEST(disconnect_is_a_delete_of_the_link)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_disconnect(m, node_index(m, "amp"), 0, out));
  const LV2_Atom_Object* del = message(out, 0);
  ck_assert_str_eq(otype(del), LV2_PATCH__Delete);
  const LV2_Atom_Object* link = prop_object(del, LV2_PATCH__body);
  ck_assert_str_eq(otype(link), STRATA__Link);
  ck_assert_str_eq(prop_string(link, STRATA__tail), "vcf.lp");
  ck_assert_str_eq(prop_string(link, STRATA__head), "amp.in");
  // An unlinked input has nothing to disconnect.
  out = fresh_out();
  ck_assert(!st_ui_model_disconnect(m, node_index(m, "vcf"), 1, out));
  ck_assert_str_eq(m->error.text, "no such link");
  ck_assert_uint_eq(out->used, 0);
}
END_TEST

START_TEST(set_param_respects_range_and_whole_values)
{
  StUiOut*  out    = fresh_out();
  const int vcf    = node_index(m, "vcf");
  const int osc    = node_index(m, "osc");
  const int cutoff = st_node_param_index(st_registry_find("svf"), "cutoff");
  ck_assert(st_ui_model_set_param(m, vcf, cutoff, 1200, false, out));
  const LV2_Atom_Object* set = message(out, 0);
  ck_assert_str_eq(otype(set), LV2_PATCH__Set);
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__subject), NODE("vcf"));
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__property), PARAM("cutoff"));
  ck_assert_float_eq(prop_float(set, LV2_PATCH__value), 1200);
  ck_assert_int_eq(n_props(set), 4);

  ck_assert(st_ui_model_set_param(m, vcf, cutoff, 30000, false, out));
  ck_assert_float_eq(prop_float(message(out, 1), LV2_PATCH__value), 20000);
  const int wave = st_node_param_index(st_registry_find("osc"), "wave");
  ck_assert(st_ui_model_set_param(m, osc, wave, 1.4f, false, out));
  ck_assert_float_eq(prop_float(message(out, 2), LV2_PATCH__value), 1);
}
END_TEST

START_TEST(map_and_unmap_a_macro)
{
  StUiOut*  out    = fresh_out();
  const int vcf    = node_index(m, "vcf");
  const int cutoff = st_node_param_index(st_registry_find("svf"), "cutoff");
  ck_assert(st_ui_model_map(m, 3, vcf, cutoff, 80, 12000, ST_CURVE_EXPONENTIAL, "Cutoff", out));
  const LV2_Atom_Object* put = message(out, 0);
  ck_assert_str_eq(otype(put), LV2_PATCH__Put);
  ck_assert_str_eq(prop_uri(put, LV2_PATCH__subject), STRATA_PREFIX "macro3");
  const LV2_Atom_Object* body = prop_object(put, LV2_PATCH__body);
  ck_assert_str_eq(otype(body), STRATA__MacroMap);
  ck_assert_str_eq(prop_string(body, STRATA__target), "vcf.cutoff");
  ck_assert_float_eq(prop_float(body, STRATA__minimum), 80);
  ck_assert_float_eq(prop_float(body, STRATA__maximum), 12000);
  ck_assert_str_eq(prop_string(body, STRATA__curve), "exp");
  ck_assert_str_eq(prop_string(body, RDFS__label), "Cutoff");
  ck_assert_int_eq(n_props(body), 5);

  ck_assert(st_ui_model_unmap(m, 3, vcf, cutoff, out));
  const LV2_Atom_Object* del = message(out, 1);
  ck_assert_str_eq(otype(del), LV2_PATCH__Delete);
  ck_assert_str_eq(prop_uri(del, LV2_PATCH__subject), STRATA_PREFIX "macro3");
  body = prop_object(del, LV2_PATCH__body);
  ck_assert_str_eq(prop_string(body, STRATA__target), "vcf.cutoff");
  ck_assert_int_eq(n_props(body), 1);
  ck_assert(!st_ui_model_map(m, 17, vcf, cutoff, 0, 1, ST_CURVE_LINEAR, NULL, out));
}
END_TEST

START_TEST(delete_selection_and_rename)
{
  StUiOut* out = fresh_out();
  ck_assert(!st_ui_model_delete_selection(m, out));  // Nothing selected.
  st_ui_model_select(m, node_index(m, "vcf"), false);
  st_ui_model_select(m, node_index(m, "osc"), true);
  ck_assert(st_ui_model_delete_selection(m, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);
  ck_assert_str_eq(otype(message(out, 0)), LV2_PATCH__Delete);
  ck_assert_str_eq(prop_uri(message(out, 0), LV2_PATCH__subject), NODE("osc"));
  ck_assert_str_eq(prop_uri(message(out, 1), LV2_PATCH__subject), NODE("vcf"));
  ck_assert_int_eq(n_props(message(out, 1)), 2);

  out = fresh_out();
  ck_assert(st_ui_model_rename(m, node_index(m, "vcf"), "filter", out));
  const LV2_Atom_Object* move = message(out, 0);
  ck_assert_str_eq(otype(move), LV2_PATCH__Move);
  ck_assert_str_eq(prop_uri(move, LV2_PATCH__subject), NODE("vcf"));
  ck_assert_str_eq(prop_uri(move, LV2_PATCH__destination), NODE("filter"));
}
END_TEST

START_TEST(apply_text_sends_the_text_or_shows_where_it_is_wrong)
{
  StUiOut* out = fresh_out();
  st_ui_text_set(&m->text, "node a osc\nnode b svf cutof=3\n", 31);
  ck_assert(!st_ui_model_apply_text(m, out));
  ck_assert_uint_eq(out->used, 0);
  ck_assert_uint_eq(m->n_pending, 0);
  ck_assert_uint_eq(m->error.line, 2);
  ck_assert_uint_eq(m->error.column, 12);
  ck_assert_msg(strstr(m->error.text, "has no parameter 'cutof' (did you mean 'cutoff'?)"),
                "%s", m->error.text);
  unsigned line = 0;
  unsigned col  = 0;
  st_ui_text_position(&m->text, m->text.cursor, &line, &col);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_eq(col, 12);

  st_ui_text_set(&m->text, "node a osc\n", 11);
  ck_assert(st_ui_model_apply_text(m, out));
  const LV2_Atom_Object* set = message(out, 0);
  ck_assert_str_eq(otype(set), LV2_PATCH__Set);
  ck_assert_ptr_null(prop(set, LV2_PATCH__subject));
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__property), STRATA__patch);
  ck_assert_str_eq(prop_string(set, LV2_PATCH__value), "node a osc\n");
}
END_TEST

START_TEST(load_and_save_files)
{
  char dir[] = "/tmp/strata-ui-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof(path), "%s/small.strata", dir);
  ck_assert(st_ui_model_save_file(m, path));
  FILE*        f = fopen(path, "rb");
  char         saved[4096];
  const size_t n = fread(saved, 1, sizeof(saved) - 1, f);
  fclose(f);
  saved[n] = '\0';
  ck_assert_str_eq(saved, mirror_text(m));

  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_load_file(m, path, out));
  ck_assert_str_eq(prop_string(message(out, 0), LV2_PATCH__value), saved);

  f = fopen(path, "wb");
  fputs("node a osc\nlink a.out -> b.in\n", f);
  fclose(f);
  out = fresh_out();
  ck_assert(!st_ui_model_load_file(m, path, out));
  ck_assert_uint_eq(out->used, 0);
  ck_assert_str_eq(m->error.text, "small.strata:2:15: unknown node 'b'");
  remove(path);
  ck_assert(!st_ui_model_load_file(m, path, out));
  ck_assert_msg(strstr(m->error.text, "No such file"), "%s", m->error.text);
  rmdir(dir);
}
END_TEST

START_TEST(probe_monitor_and_keep_alive)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_open(m, 100.0, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);
  ck_assert_str_eq(otype(message(out, 0)), LV2_PATCH__Get);
  ck_assert_int_eq(n_props(message(out, 0)), 1);
  ck_assert_str_eq(prop_uri(message(out, 1), LV2_PATCH__property), STRATA_PREFIX "monitor");
  ck_assert(prop_bool(message(out, 1), LV2_PATCH__value));

  out = fresh_out();
  ck_assert(st_ui_model_tick(m, 101.9, true, out));
  ck_assert_uint_eq(st_ui_out_count(out), 0);
  ck_assert(st_ui_model_tick(m, 102.0, true, out));
  ck_assert_uint_eq(st_ui_out_count(out), 1);
  ck_assert(prop_bool(message(out, 0), LV2_PATCH__value));
  ck_assert(st_ui_model_tick(m, 102.5, false, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);
  ck_assert(!prop_bool(message(out, 1), LV2_PATCH__value));
  ck_assert(st_ui_model_tick(m, 110, false, out));
  ck_assert_uint_eq(st_ui_out_count(out), 2);  // Hidden: nothing more.

  out = fresh_out();
  ck_assert(st_ui_model_probe(m, node_index(m, "vcf"), 0, out));
  const LV2_Atom_Object* set = message(out, 0);
  ck_assert_str_eq(prop_uri(set, LV2_PATCH__property), STRATA_PREFIX "probe");
  ck_assert_str_eq(prop_string(set, LV2_PATCH__value), "vcf.lp");
  ck_assert(st_ui_model_probe(m, -1, 0, out));
  ck_assert_str_eq(prop_string(message(out, 1), LV2_PATCH__value), "");
}
END_TEST

START_TEST(a_gesture_that_does_not_fit_sends_nothing)
{
  uint64_t small[8];
  StUiOut  out;
  st_ui_out_init(&out, small, sizeof(small));
  ck_assert(!st_ui_model_add_node(m, st_registry_find("svf"), 0, 0, &out));
  ck_assert_uint_eq(out.used, 0);
  ck_assert_uint_eq(m->n_pending, 0);
  ck_assert_uint_eq(m->n_gathering, 0);
  ck_assert_str_eq(m->error.text, "the edit does not fit the message buffer");
  // The numbers it did not use are used by the next gesture; a seed moves them.
  st_ui_model_seed(m, 12345);
  const int32_t first = m->next_seq;
  ck_assert_int_gt(first, 1);
  st_ui_model_seed(m, 12346);
  ck_assert_int_ne(m->next_seq, first);
  st_ui_model_seed(m, 0);
  StUiOut* big = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("svf"), 0, 0, big));
  ck_assert_int_eq(prop_seq(message(big, 0)), 1);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_gesture");
  TCase* c = tcase_create("atoms");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, add_node_is_a_put_and_a_position_set);
  tcase_add_test(c, move_is_a_position_set);
  tcase_add_test(c, connect_a_free_input_and_replace_an_occupied_one);
  tcase_add_test(c, disconnect_is_a_delete_of_the_link);
  tcase_add_test(c, set_param_respects_range_and_whole_values);
  tcase_add_test(c, map_and_unmap_a_macro);
  tcase_add_test(c, delete_selection_and_rename);
  tcase_add_test(c, apply_text_sends_the_text_or_shows_where_it_is_wrong);
  tcase_add_test(c, load_and_save_files);
  tcase_add_test(c, probe_monitor_and_keep_alive);
  tcase_add_test(c, a_gesture_that_does_not_fit_sends_nothing);
  suite_add_tcase(s, c);
  return run_suite(s);
}
