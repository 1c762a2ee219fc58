/* SPDX-License-Identifier: ISC */
/* The mirror: a Put replaces it, an Ack applies the edit sent with that
   number, an Error drops it and says what it concerns, levels and scope
   reports land on their nodes. */
#include "test_ui_support.h"

#include "gesture.h"

#include "nodes/registry.h"

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

/* The writer's text of `text`. */
static char*
written(const char* text)
{
  StGraph* g = st_graph_new(64, 256, 48000.0f);
  ck_assert_int_eq(st_patch_parse(text, strlen(text), NULL, g, NULL), ST_OK);
  char* w = st_patch_write(g);
  st_graph_free(g);
  return w;
}

static unsigned
send_floats(const char* type, const char* key, const float* v, uint32_t n, const char* probe)
{
  Reply r;
  reply_begin(&r, type);
  if (probe) {
    lv2_atom_forge_key(&r.forge, urid(STRATA_PREFIX "probe"));
    lv2_atom_forge_string(&r.forge, probe, (uint32_t)strlen(probe));
  }
  lv2_atom_forge_key(&r.forge, urid(key));
  lv2_atom_forge_vector(&r.forge, sizeof(float), urid(LV2_ATOM__Float), n, v);
  return reply_end(&r, m, answers_out());
}

START_TEST(put_replaces_the_mirror_and_the_text_view)
{
  char* w = written(SMALL);
  ck_assert_str_eq(mirror_text(m), w);
  ck_assert_str_eq(m->text.text, SMALL);
  const uint32_t version = m->mirror->version;
  // The user is typing: a new Put changes the mirror, not what they type.
  st_ui_text_insert(&m->text, "# mine\n", 7);
  ck_assert(send_put(m, "node x lfo\n", fresh_out()) & ST_UI_CHANGED_PATCH);
  ck_assert_uint_gt(m->mirror->version, version);
  ck_assert_int_ge(st_ui_mirror_find(m->mirror, "x"), 0);
  ck_assert_int_lt(st_ui_mirror_find(m->mirror, "osc"), 0);
  ck_assert_str_eq(m->text.text, "# mine\n"
                                 "node osc osc wave=saw freq=110\n"
                                 "node vcf svf cutoff=800 res=0.4\n"
                                 "node amp vca\n"
                                 "link osc.out -> vcf.in\n"
                                 "link vcf.lp -> amp.in\n"
                                 "link amp.out -> out.left\n");
  // A text the parser refuses changes nothing and is shown.
  ck_assert_uint_eq(send_put(m, "node y nosuch\n", fresh_out()), ST_UI_CHANGED_ERROR);
  ck_assert_int_ge(st_ui_mirror_find(m->mirror, "x"), 0);
  ck_assert_str_eq(m->error.text, "line 1, column 8: unknown node type 'nosuch'");
  free(w);
}
END_TEST

START_TEST(an_edit_shows_only_once_acknowledged)
{
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("lfo"), 10, 20, out));
  ck_assert_int_lt(st_ui_mirror_find(m->mirror, "lfo"), 0);  // Not confirmed yet.
  send_ack(m, prop_seq(message(out, 0)), answers_out());
  const int lfo = st_ui_mirror_find(m->mirror, "lfo");
  ck_assert_int_ge(lfo, 0);
  ck_assert(!st_ui_mirror_place(m->mirror, (uint32_t)lfo).placed);
  send_ack(m, prop_seq(message(out, 1)), answers_out());
  ck_assert(st_ui_mirror_place(m->mirror, (uint32_t)lfo).placed);
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)lfo).x, 10);
  ck_assert_float_eq(st_ui_mirror_place(m->mirror, (uint32_t)lfo).y, 20);
  ck_assert_uint_eq(m->n_pending, 0);

  // Each kind of edit lands in the mirror.
  out           = fresh_out();
  const int vcf = node_index(m, "vcf");
  ck_assert(st_ui_model_set_param(m, vcf, 0, 1234, false, out));
  ck_assert(st_ui_model_connect(m, lfo, 0, vcf, 1, out));
  ck_assert(st_ui_model_map(m, 2, vcf, 1, 0, 0.9f, ST_CURVE_LINEAR, "Res", out));
  ck_assert(st_ui_model_rename(m, node_index(m, "amp"), "vol", out));
  ack_all(m, out, answers_out());
  ck_assert_str_eq(mirror_text(m), "# Strata patch\n"
                                   "node osc osc    wave=saw freq=110\n"
                                   "node vcf svf    cutoff=1234 res=0.4\n"
                                   "node vol vca\n"
                                   "node out output\n"
                                   "node lfo lfo\n"
                                   "\n"
                                   "link osc.out -> vcf.in\n"
                                   "link lfo.out -> vcf.cutoff\n"
                                   "link vcf.lp  -> vol.in\n"
                                   "link vol.out -> out.left\n"
                                   "\n"
                                   "macro 2 vcf.res 0..0.9 \"Res\"\n"
                                   "\n"
                                   "place lfo 10 20\n");
}
END_TEST

START_TEST(an_error_drops_the_edit_and_names_what_it_concerns)
{
  StUiOut*  out    = fresh_out();
  const int osc    = node_index(m, "osc");
  const int amp    = node_index(m, "amp");
  const int fm     = st_node_input_index(st_registry_find("osc"), "fm");
  char*     before = strdup(mirror_text(m));
  m->pointer       = (StUiPoint){55, 66};
  ck_assert(st_ui_model_connect(m, amp, 0, osc, fm, out));
  const char* why = "connect amp.out -> osc.fm: link amp.out -> osc.fm would close a cycle: "
                    "osc -> vcf -> amp -> osc";
  ck_assert_uint_eq(send_error(m, prop_seq(message(out, 0)), why, answers_out()),
                    ST_UI_CHANGED_ERROR);
  ck_assert_uint_eq(m->n_pending, 0);
  ck_assert_str_eq(mirror_text(m), before);
  ck_assert(m->error.shown);
  ck_assert_str_eq(m->error.text, why);
  ck_assert_int_eq(m->error.node, osc);  // Where the cable was dropped.
  ck_assert_int_eq(m->error.port, fm);
  ck_assert_int_eq(m->error.port_kind, 'i');
  ck_assert_uint_eq(m->undo.n_undo, 0);

  // A node the text names, when the edit's own ends are not in it.
  out = fresh_out();
  ck_assert(st_ui_model_set_param(m, node_index(m, "vcf"), 0, 500, false, out));
  send_error(m, prop_seq(message(out, 0)), "set: node 'vcf' (svf) is busy", answers_out());
  ck_assert_int_eq(m->error.node, node_index(m, "vcf"));
  ck_assert_int_eq(m->error.port, -1);

  // The rest of a refused gesture is refused too: the first reason stays.
  out = fresh_out();
  ck_assert(st_ui_model_add_node(m, st_registry_find("lfo"), 300, 400, out));
  send_error(m, prop_seq(message(out, 0)), "add node 'lfo': the patch is full (1024 nodes)",
             answers_out());
  ck_assert_uint_eq(
    send_error(m, prop_seq(message(out, 1)), "set: unknown node 'lfo'", answers_out()),
    ST_UI_CHANGED_NOTHING);
  ck_assert_str_eq(m->error.text, "add node 'lfo': the patch is full (1024 nodes)");
  ck_assert_uint_eq(m->n_pending, 0);

  // Nothing named: the place of the gesture.
  out        = fresh_out();
  m->pointer = (StUiPoint){7, 8};
  ck_assert(st_ui_model_add_node(m, st_registry_find("lfo"), 300, 400, out));
  send_error(m, prop_seq(message(out, 0)),
             "busy: too many replies are waiting for the notify port; send it again later",
             answers_out());
  ck_assert_int_eq(m->error.node, -1);
  ck_assert_float_eq(m->error.at.x, 300);
  ck_assert_float_eq(m->error.at.y, 400);
  free(before);
}
END_TEST

START_TEST(an_ack_the_model_did_not_send_fetches_the_patch)
{
  StUiOut* answers = answers_out();
  ck_assert_uint_eq(send_ack(m, 4242, answers), ST_UI_CHANGED_NOTHING);
  ck_assert_uint_eq(st_ui_out_count(answers), 1);
  const LV2_Atom_Object* get = message(answers, 0);
  ck_assert_str_eq(otype(get), LV2_PATCH__Get);
  // Its Put (with the Get's number) answers it.
  const int32_t seq = prop_seq(get);
  ck_assert_uint_eq(m->n_pending, 1);
  Reply                r;
  LV2_Atom_Forge_Frame body;
  reply_begin(&r, LV2_PATCH__Put);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(&r.forge, seq);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__body));
  lv2_atom_forge_object(&r.forge, &body, 0, 0);
  lv2_atom_forge_key(&r.forge, urid(STRATA__patch));
  lv2_atom_forge_string(&r.forge, "node z noise\n", 13);
  lv2_atom_forge_pop(&r.forge, &body);
  ck_assert(reply_end(&r, m, fresh_out()) & ST_UI_CHANGED_PATCH);
  ck_assert_uint_eq(m->n_pending, 0);
  ck_assert_int_ge(st_ui_mirror_find(m->mirror, "z"), 0);
}
END_TEST

START_TEST(a_busy_get_is_asked_again_without_an_error)
{
  StUiOut* answers = answers_out();
  send_ack(m, 4242, answers);  // Makes the model send a Get.
  const int32_t first = prop_seq(message(answers, 0));
  StUiOut*      again = fresh_out();
  ck_assert_uint_eq(send_error(m, first, "busy: a large message is still being processed: send "
                                         "this one again later", again),
                    ST_UI_CHANGED_NOTHING);
  ck_assert(!m->error.shown);
  ck_assert_uint_eq(st_ui_out_count(again), 1);
  ck_assert_str_eq(otype(message(again, 0)), LV2_PATCH__Get);
  ck_assert_int_ne(prop_seq(message(again, 0)), first);
  ck_assert_uint_eq(m->n_pending, 1);
}
END_TEST

START_TEST(levels_land_on_nodes_in_the_order_of_the_last_put)
{
  // Put order: osc, vcf, amp, out. Renaming and adding since do not change it.
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_rename(m, node_index(m, "osc"), "o", out));
  ack_all(m, out, answers_out());
  const float levels[4] = {0.5f, 0.25f, 0.125f, 1};
  ck_assert_uint_eq(
    send_floats(STRATA_PREFIX "Levels", STRATA_PREFIX "levels", levels, 4, NULL),
    ST_UI_CHANGED_METERS);
  ck_assert_float_eq(m->mirror->levels[node_index(m, "o")], 0.5f);
  ck_assert_float_eq(m->mirror->levels[node_index(m, "vcf")], 0.25f);
  ck_assert_float_eq(m->mirror->levels[node_index(m, "amp")], 0.125f);
  ck_assert_float_eq(m->mirror->levels[node_index(m, "out")], 1);
}
END_TEST

START_TEST(the_scope_shows_the_probed_output)
{
  float samples[ST_UI_SCOPE_SAMPLES];
  for (int i = 0; i < ST_UI_SCOPE_SAMPLES; ++i) {
    samples[i] = (float)i / ST_UI_SCOPE_SAMPLES;
  }
  // Not probed yet: ignored.
  send_floats(STRATA_PREFIX "Scope", STRATA_PREFIX "samples", samples, ST_UI_SCOPE_SAMPLES,
              "vcf.lp");
  ck_assert_float_eq(m->mirror->scope[100], 0);
  StUiOut* out = fresh_out();
  ck_assert(st_ui_model_probe(m, node_index(m, "vcf"), 0, out));
  ack_all(m, out, answers_out());
  ck_assert_str_eq(m->mirror->probe, "vcf.lp");
  send_floats(STRATA_PREFIX "Scope", STRATA_PREFIX "samples", samples, ST_UI_SCOPE_SAMPLES,
              "vcf.lp");
  ck_assert_float_eq(m->mirror->scope[100], 100.0f / ST_UI_SCOPE_SAMPLES);
  ck_assert_uint_eq(m->undo.n_undo, 0);  // A probe is no edit of the patch.
}
END_TEST

START_TEST(malformed_answers_change_nothing)
{
  char* before = strdup(mirror_text(m));
  Reply r;
  // A Put whose body is no object, Levels of ints, a Scope without its probe.
  reply_begin(&r, LV2_PATCH__Put);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__body));
  lv2_atom_forge_string(&r.forge, "node x osc", 10);
  ck_assert_uint_eq(reply_end(&r, m, answers_out()), ST_UI_CHANGED_NOTHING);
  const int32_t ints[2] = {1, 2};
  reply_begin(&r, STRATA_PREFIX "Levels");
  lv2_atom_forge_key(&r.forge, urid(STRATA_PREFIX "levels"));
  lv2_atom_forge_vector(&r.forge, sizeof(int32_t), urid(LV2_ATOM__Int), 2, ints);
  ck_assert_uint_eq(reply_end(&r, m, answers_out()), ST_UI_CHANGED_NOTHING);
  const float samples[4] = {1, 2, 3, 4};
  reply_begin(&r, STRATA_PREFIX "Scope");
  lv2_atom_forge_key(&r.forge, urid(STRATA_PREFIX "samples"));
  lv2_atom_forge_vector(&r.forge, sizeof(float), urid(LV2_ATOM__Float), 4, samples);
  ck_assert_uint_eq(reply_end(&r, m, answers_out()), ST_UI_CHANGED_NOTHING);
  // An object whose size runs past its properties' end is not read.
  reply_begin(&r, LV2_PATCH__Ack);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(&r.forge, 77);
  lv2_atom_forge_pop(&r.forge, &r.frame);
  LV2_Atom* atom = (LV2_Atom*)(void*)test_in_buf;
  atom->size -= 8;
  StUiOut* answers = answers_out();
  ck_assert_uint_eq(st_ui_model_receive(m, atom, answers), ST_UI_CHANGED_NOTHING);
  ck_assert_uint_eq(answers->used, 0);
  // An Error without text still says something.
  reply_begin(&r, LV2_PATCH__Error);
  ck_assert_uint_eq(reply_end(&r, m, answers_out()), ST_UI_CHANGED_ERROR);
  ck_assert_str_eq(m->error.text, "the plugin refused the edit");
  ck_assert_str_eq(mirror_text(m), before);
  free(before);
}
END_TEST

START_TEST(macro_ports_move_the_strip)
{
  char* text = preset_patch("mono-synth.ttl");
  send_put(m, text, fresh_out());
  free(text);
  ck_assert_str_eq(st_ui_mirror_macro_label(m->mirror, 0), "Cutoff");
  ck_assert_str_eq(st_ui_mirror_macro_label(m->mirror, 4), "Drive");
  ck_assert_str_eq(st_ui_mirror_macro_label(m->mirror, 5), "");
  st_ui_model_macro_port(m, 3, 0.75f);
  st_ui_model_macro_port(m, 4, 7);
  st_ui_model_macro_port(m, 99, 1);
  ck_assert_float_eq(m->macros[3], 0.75f);
  ck_assert_float_eq(m->macros[4], 1);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_mirror");
  TCase* c = tcase_create("mirror");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, put_replaces_the_mirror_and_the_text_view);
  tcase_add_test(c, an_edit_shows_only_once_acknowledged);
  tcase_add_test(c, an_error_drops_the_edit_and_names_what_it_concerns);
  tcase_add_test(c, an_ack_the_model_did_not_send_fetches_the_patch);
  tcase_add_test(c, a_busy_get_is_asked_again_without_an_error);
  tcase_add_test(c, levels_land_on_nodes_in_the_order_of_the_last_put);
  tcase_add_test(c, the_scope_shows_the_probed_output);
  tcase_add_test(c, malformed_answers_change_nothing);
  tcase_add_test(c, macro_ports_move_the_strip);
  suite_add_tcase(s, c);
  return run_suite(s);
}
