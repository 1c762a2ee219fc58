/* SPDX-License-Identifier: ISC */
/* Sub-patch definitions edited through the plugin: a patch:Set of
   strata:subpatch adds or changes one, a patch:Delete of
   <urn:strata:subpatch:NAME> removes one; each is answered, announces the
   new patch, and a refusal is an error, logged, with the patch unchanged. */
#include "plugin_exchange.h"
#include "text_position.h"

#include <check.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64

#define VOICE_BODY                                                                             \
  "  outlet out\n"                                                                             \
  "  node osc osc wave=saw\n"                                                                  \
  "  node env adsr\n"                                                                          \
  "  node amp vca\n"                                                                           \
  "  node vcf svf cutoff=1200\n"                                                               \
  "  link pitch -> osc.pitch\n"                                                                \
  "  link gate -> env.gate\n"                                                                  \
  "  link env.out -> amp.cv\n"                                                                 \
  "  link osc.out -> vcf.in\n"                                                                 \
  "  link vcf.lp -> amp.in\n"                                                                  \
  "  link amp.out -> out\n"                                                                    \
  "  param cutoff vcf.cutoff\n"

#define SPARE                                                                                  \
  "subpatch spare\n"                                                                           \
  "  outlet out\n"                                                                             \
  "  node n noise\n"                                                                           \
  "  link n.out -> out\n"                                                                      \
  "end\n"

static const char test_patch[] = "subpatch voice\n"
                                 "  inlet gate pitch bright\n" VOICE_BODY
                                 "  link bright -> vcf.cutoff\n"
                                 "end\n" SPARE "voices pad voice count=4 cutoff=2000\n"
                                 "node solo voice\n"
                                 "node lfo lfo\n"
                                 "link lfo.out -> pad.bright\n"
                                 "link midi.gate -> solo.gate\n"
                                 "link pad.out -> out.left\n"
                                 "link solo.out -> out.right\n";

/* patch:Set of strata:subpatch with the definition's text. */
static void
send_define(PhHost* host, int32_t seq, const char* text)
{
  LV2_Atom_Forge*      f = ph_build(host);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__subpatch));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_string(f, text, (uint32_t)strlen(text));
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(host, 0);
}

/* patch:Delete of <urn:strata:subpatch:NAME>. */
static void
send_remove(PhHost* host, int32_t seq, const char* name)
{
  char                 uri[128];
  LV2_Atom_Forge*      f = ph_build(host);
  LV2_Atom_Forge_Frame frame;
  snprintf(uri, sizeof(uri), STRATA_SUBPATCH_PREFIX "%s", name);
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Delete));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, uri, (uint32_t)strlen(uri));
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(host, 0);
}

static bool
state_changed(const PhHost* host)
{
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    if (ph_reply_at(host, i)->type == ph_urid(LV2_STATE__StateChanged)) {
      return true;
    }
  }
  return false;
}

/* An accepted edit: its Ack says `message`, the new patch is announced and
   is what patch:Get gives; returns that text. */
static char*
expect_accepted(PhHost* host, int32_t seq, const char* message)
{
  ph_expect_ack(host, seq);
  ck_assert_str_eq(ph_reply(host, seq)->message, message);
  ck_assert(state_changed(host));
  const char* text = ph_announcement(host);
  ck_assert_msg(text != NULL, "the new patch was not announced");
  char* news = strdup(text);
  ph_clear_replies(host);
  char* got = ph_get_patch(host);
  ck_assert_str_eq(got, news);
  free(got);
  return news;
}

/* A refused edit: the Error says `message`, the log too, nothing announced,
   and the patch is as it was. */
static void
expect_refused(PhHost* host, int32_t seq, const char* message, const char* before)
{
  ck_assert_str_eq(ph_expect_error(host, seq), message);
  ck_assert_ptr_null(ph_announcement(host));
  ck_assert_msg(strstr(ph_last_log(host), message), "log: %s", ph_last_log(host));
  ph_clear_replies(host);
  char* after = ph_get_patch(host);
  ck_assert_str_eq(after, before);
  free(after);
}

START_TEST(test_define_new)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  send_define(host, 1,
              "subpatch pluck\n"
              "  inlet gate\n"
              "  outlet out\n"
              "  node env adsr a=0.001 d=0.1 s=0\n"
              "  link gate -> env.gate\n"
              "  link env.out -> out\n"
              "end\n");
  char* text = expect_accepted(host, 1, "define sub-patch 'pluck'");
  ck_assert_msg(strstr(text, "subpatch pluck\n"), "%s", text);
  ck_assert_msg(strstr(text, "node env adsr a=0.001 d=0.1 s=0\n"), "%s", text);
  free(text);
  ph_free(host);
}
END_TEST

/* A changed voice: both instances follow. */
START_TEST(test_change_used)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  send_define(host, 2,
              "subpatch voice\n"
              "  inlet gate pitch bright\n" VOICE_BODY "  link bright -> vcf.cutoff\n"
              "  param width osc.pw\n"
              "end\n");
  char* text = expect_accepted(host, 2, "change sub-patch 'voice' (2 instances follow)");
  ck_assert_msg(strstr(text, "param width osc.pw\n"), "%s", text);
  ck_assert_msg(strstr(text, "count=4 cutoff=2000\n"), "%s", text);
  free(text);

  // Used once: one instance follows.
  ph_msg_replace(host, 4, SPARE "node hiss spare\nlink hiss.out -> out.left\n");
  ph_expect_ack(host, 4);
  ph_clear_replies(host);
  send_define(host, 5, SPARE);
  text = expect_accepted(host, 5, "change sub-patch 'spare' (1 instance follows)");
  free(text);
  ph_free(host);
}
END_TEST

START_TEST(test_define_refused)
{
  PhHost* host   = ph_new_playing(NULL, test_patch);
  char*   before = ph_get_patch(host);
  // Without the inlet that lfo.out feeds on pad.
  unsigned       column;
  const unsigned line = line_of(before, "pad.bright", &column);
  char           message[512];
  snprintf(message, sizeof(message),
           "change sub-patch 'voice': sub-patch 'voice': the patch no longer reads with it: "
           "line %u, column %u: node 'pad' (voice) has no input 'bright'",
           line, column + (unsigned)strlen("pad."));
  send_define(host, 6, "subpatch voice\n  inlet gate pitch\n" VOICE_BODY "end\n");
  expect_refused(host, 6, message, before);

  // An error inside the definition, at its own line.
  send_define(host, 7, "# one\nsubpatch pluck\n  node env adsr q=1\nend\n");
  expect_refused(host, 7,
                 "define sub-patch 'pluck': line 3, column 17: node 'env' (adsr) has no "
                 "parameter 'q'",
                 before);

  send_define(host, 8, "node x osc\n");
  expect_refused(host, 8,
                 "define sub-patch: line 1, column 1: a sub-patch definition is one 'subpatch "
                 "NAME' ... 'end' block",
                 before);
  free(before);
  ph_free(host);
}
END_TEST

START_TEST(test_remove)
{
  PhHost* host   = ph_new_playing(NULL, test_patch);
  char*   before = ph_get_patch(host);
  send_remove(host, 9, "voice");
  expect_refused(
    host, 9, "remove sub-patch 'voice': cannot remove sub-patch 'voice': node 'pad' uses it",
    before);
  send_remove(host, 10, "spar");
  expect_refused(
    host, 10, "remove sub-patch 'spar': no sub-patch 'spar' (did you mean 'spare'?)", before);
  free(before);

  send_remove(host, 11, "spare");
  char* text = expect_accepted(host, 11, "remove sub-patch 'spare'");
  ck_assert_msg(!strstr(text, "spare"), "%s", text);
  ck_assert_msg(strstr(text, "subpatch voice\n"), "%s", text);
  free(text);
  ph_free(host);
}
END_TEST

/* A node whose type is a sub-patch the patch defines: one copy by its type
   URI, a voice group by <urn:strata:voices:NAME>; their parameters are set
   like any node's. */
START_TEST(test_add_instances)
{
  PhHost*           host   = ph_new_playing(NULL, test_patch);
  const char* const keys[] = {"cutoff"};
  const float       cut[]  = {900.0f};
  ph_msg_add(host, 12, "solo2", "voice", 1, keys, cut);
  ph_render(host, 1024, BLOCK, NULL, NULL);
  ph_expect_ack(host, 12);

  LV2_Atom_Forge*      f = ph_build(host);
  LV2_Atom_Forge_Frame msg, body;
  const char*          node = "urn:strata:node:pad2";
  lv2_atom_forge_object(f, &msg, 0, ph_urid(LV2_PATCH__Put));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 13);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, node, (uint32_t)strlen(node));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, 0);
  lv2_atom_forge_key(f, ph_urid("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"));
  lv2_atom_forge_urid(f, ph_urid(STRATA_VOICES_PREFIX "voice"));
  lv2_atom_forge_key(f, ph_urid(STRATA_PARAM_PREFIX "count"));
  lv2_atom_forge_float(f, 2.0f);
  lv2_atom_forge_pop(f, &body);
  lv2_atom_forge_pop(f, &msg);
  ph_send_built(host, 0);
  ph_render(host, 1024, BLOCK, NULL, NULL);
  ph_expect_ack(host, 13);

  ph_msg_set_param(host, 14, "pad2", "cutoff", 3000.0f);
  ph_render(host, 1024, BLOCK, NULL, NULL);
  ph_expect_ack(host, 14);
  ph_clear_replies(host);
  char* text = ph_get_patch(host);
  ck_assert_msg(strstr(text, "\nnode   solo2 voice  cutoff=900\n"), "%s", text);
  ck_assert_msg(strstr(text, "\nvoices pad2  voice  count=2 cutoff=3000\n"), "%s", text);
  free(text);
  ph_free(host);
}
END_TEST

static Suite*
plugin_subpatch_suite(void)
{
  Suite* s = suite_create("plugin sub-patches");
  TCase* c = tcase_create("edits");
  tcase_add_test(c, test_define_new);
  tcase_add_test(c, test_change_used);
  tcase_add_test(c, test_define_refused);
  tcase_add_test(c, test_remove);
  tcase_add_test(c, test_add_instances);
  suite_add_tcase(s, c);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(plugin_subpatch_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
