/* SPDX-License-Identifier: ISC */
/* Bad input: each kind of malformed or wrong message, file or state gets a
   clear error (on the notify port for messages, in the host's log for
   state) and leaves the running sound bit-identical to an untouched twin
   instance that received nothing. */
#include "plugin_exchange.h"

#include <check.h>
#include <lv2/atom/forge.h>
#include <lv2/patch/patch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ST_PLUGIN_MAX_NODES
#define ST_PLUGIN_MAX_NODES 4096 ///< The plugin's node capacity (meson option max_nodes)
#endif

#define BLOCK  64
#define FRAMES 8192

static const char test_patch[] =
  "node osc osc wave=saw freq=220\n"
  "node lfo lfo rate=3\n"
  "node vcf svf cutoff=1000 res=0.3\n"
  "node amp vca gain=0.5\n"
  "link osc.out -> vcf.in\n"
  "link lfo.out -> vcf.cutoff\n"
  "link vcf.lp -> amp.in\n"
  "link amp.out -> out.left\n"
  "link amp.out -> out.right\n"
  "macro 1 vcf.cutoff 200..4000 exp \"Cutoff\"\n";

static PhHost* victim;
static PhHost* twin;
static float   vl[FRAMES], vr[FRAMES], tl[FRAMES], tr[FRAMES];

static PhHost*
patched(void)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_set_macro(host, 0, 0.3f);
  return host;
}

static void
setup(void)
{
  victim = patched();
  twin   = patched();
}

static void
teardown(void)
{
  ph_free(victim);
  ph_free(twin);
}

/* Renders both, and requires the victim's output to equal the twin's. */
static void
expect_untouched(void)
{
  ph_render(victim, FRAMES, BLOCK, vl, vr);
  ph_render(twin, FRAMES, BLOCK, tl, tr);
  ck_assert_msg(!memcmp(vl, tl, sizeof(vl)) && !memcmp(vr, tr, sizeof(vr)),
                "the bad input changed the sound");
  ck_assert(ph_rms(vl, FRAMES) > 1e-3f);
}

/* The one error on notify (with `seq`, or without a number when seq < 0)
   contains `text`. */
static void
expect_error(int32_t seq, const char* text)
{
  const PhReply* r = NULL;
  for (uint32_t i = 0; i < ph_reply_count(victim); ++i) {
    const PhReply* x = ph_reply_at(victim, i);
    if (ph_is_error(x) && (seq < 0 ? !x->has_seq : (x->has_seq && x->seq == seq))) {
      ck_assert_msg(!r, "two errors for one input");
      r = x;
    }
  }
  ck_assert_msg(r != NULL, "no error on the notify port");
  ck_assert_msg(r->message && strstr(r->message, text), "error '%s' does not say '%s'",
                r->message ? r->message : "", text);
  ph_clear_replies(victim);
}

/* Sends what the forge built, renders a little, checks the error and the sound. */
static void
exchange(int32_t seq, const char* text)
{
  ph_render(victim, 4 * BLOCK, BLOCK, NULL, NULL);
  ph_render(twin, 4 * BLOCK, BLOCK, NULL, NULL);
  expect_error(seq, text);
  expect_untouched();
}

START_TEST(test_malformed_object)
{
  const uint32_t words[] = {0, 0, 24, ph_urid(LV2_ATOM__Object), 0, ph_urid(LV2_PATCH__Set),
                            ph_urid(LV2_PATCH__sequenceNumber), 0, 4000, ph_urid(LV2_ATOM__Int)};
  ph_send_raw(victim, words, sizeof(words));
  exchange(-1, "malformed atom:Object");
}
END_TEST

START_TEST(test_truncated_event)
{
  ph_midi(victim, 0, 0x90, 60, 100); // Before it: still played
  ph_midi(twin, 0, 0x90, 60, 100);
  const uint32_t words[] = {8, 0, 4096, ph_urid(LV2_ATOM__Object), 0, ph_urid(LV2_PATCH__Get)};
  ph_send_raw(victim, words, sizeof(words));
  exchange(-1, "truncated event");
}
END_TEST

START_TEST(test_truncated_property_value)
{
  // A message whose string value claims more bytes than the object holds.
  LV2_Atom_Forge*      f = ph_build(victim);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 5);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__patch));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  LV2_Atom* value = (LV2_Atom*)lv2_atom_forge_deref(f, lv2_atom_forge_string(f, "node", 4));
  lv2_atom_forge_pop(f, &frame);
  value->size = 9000;
  ph_send_built(victim, 0);
  exchange(-1, "malformed");
}
END_TEST

START_TEST(test_unknown_message)
{
  LV2_Atom_Forge*      f = ph_build(victim);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid("http://example.org/ns#Teleport"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 6);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(victim, 0);
  exchange(6, "unsupported message <http://example.org/ns#Teleport>");
}
END_TEST

START_TEST(test_unknown_property)
{
  LV2_Atom_Forge*      f = ph_build(victim);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 7);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid("http://example.org/ns#volume"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, 1.0f);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(victim, 0);
  exchange(7, "no writable property <http://example.org/ns#volume>");
}
END_TEST

START_TEST(test_unknown_type)
{
  ph_msg_add(victim, 8, "x", "oscilator", 0, NULL, NULL);
  exchange(8, "unknown node type 'oscilator'");
}
END_TEST

START_TEST(test_missing_file)
{
  ph_msg_load(victim, 9, "/nonexistent/strata/bass.strata");
  exchange(9, "'/nonexistent/strata/bass.strata': No such file or directory");
}
END_TEST

START_TEST(test_not_text_file)
{
  char path[64];
  snprintf(path, sizeof(path), "/tmp/strata-badinput-%ld.bin", (long)getpid());
  FILE*                      out   = fopen(path, "wb");
  static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0xff, 0xfe};
  fwrite(elf, 1, sizeof(elf), out);
  fclose(out);
  ph_msg_load(victim, 10, path);
  exchange(10, ".bin:1:1: expected a statement");
  unlink(path);
}
END_TEST

START_TEST(test_directory_as_file)
{
  ph_msg_load(victim, 11, "/");
  exchange(11, "load patch file '/'");
}
END_TEST

/* One node more than the plugin's engine holds, loaded as a file (the text
   is too long for one control message). */
START_TEST(test_over_capacity)
{
  // One node more than the engine holds: too big for a message, so a file.
  char path[64];
  snprintf(path, sizeof(path), "/tmp/strata-badinput-%ld.strata", (long)getpid());
  FILE* f = fopen(path, "w");
  for (int i = 0; i <= ST_PLUGIN_MAX_NODES; ++i) {
    fprintf(f, "node c%d const\n", i);
  }
  fclose(f);
  ph_msg_load(victim, 12, path);
  exchange(12, "full");
  unlink(path);
}
END_TEST

START_TEST(test_add_when_full)
{
  char path[64];
  snprintf(path, sizeof(path), "/tmp/strata-badinput-%ld.strata", (long)getpid());
  FILE* f = fopen(path, "w");
  for (int i = 0; i < ST_PLUGIN_MAX_NODES; ++i) {
    fprintf(f, "node c%d const\n", i);
  }
  fclose(f);
  ph_msg_load(victim, 12, path);
  ph_render(victim, 4 * BLOCK, BLOCK, NULL, NULL);
  unlink(path);
  ck_assert(ph_is_ack(ph_reply(victim, 12)));
  ph_clear_replies(victim);
  ph_msg_add(victim, 13, "one_more", "osc", 0, NULL, NULL);
  ph_render(victim, 4 * BLOCK, BLOCK, NULL, NULL);
  expect_error(13, "full");
}
END_TEST

START_TEST(test_wrong_value_type)
{
  LV2_Atom_Forge*      f = ph_build(victim);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 13);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, STRATA_NODE_PREFIX "vcf", sizeof(STRATA_NODE_PREFIX "vcf") - 1);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA_PARAM_PREFIX "cutoff"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_string(f, "loud", 4);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(victim, 0);
  exchange(13, "patch:value must be a finite number");
}
END_TEST

START_TEST(test_out_of_range)
{
  ph_msg_set_param(victim, 14, "vcf", "cutoff", 1e9f);
  exchange(14, "out of range");
}
END_TEST

START_TEST(test_macro_not_a_number)
{
  LV2_Atom_Forge*      f = ph_build(victim);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 15);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__macro "1"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_string(f, "1", 1);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(victim, 0);
  exchange(15, "the macros are the plugin's control ports");
}
END_TEST

/* A preset-like state from Turtle, restored through lilv: the log says
   `text`, and so does an error on the notify port when it was `refused`. */
static void
restore_ttl(const char* body, bool through_worker, const char* text, bool refused)
{
  char ttl[4096];
  snprintf(ttl, sizeof(ttl),
           "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
           "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
           "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
           "<urn:strata:test:bad> a pset:Preset ;\n"
           "  lv2:appliesTo <urn:strata:modular> ;\n"
           "  state:state [ %s ] .\n",
           body);
  LilvState* state = lilv_state_new_from_string(ph_world(), ph_map(), ttl);
  ck_assert_ptr_nonnull(state);
  ph_restore(victim, state, through_worker);
  lilv_state_free(state);
  ck_assert_msg(strstr(ph_last_log(victim), text), "log '%s' does not say '%s'",
                ph_last_log(victim), text);
  if (refused) {
    exchange(-1, text);
  } else {
    ck_assert_uint_eq(ph_reply_count(victim), 0);
    expect_untouched();
  }
}

START_TEST(test_garbage_state)
{
  restore_ttl("<urn:strata:modular#patch> \"node vcf svf\\nlink vcf.lp -> nowhere.in\\n\"",
              _i, "the current patch keeps playing", true);
}
END_TEST

START_TEST(test_state_wrong_type)
{
  restore_ttl("<urn:strata:modular#patch> 42", _i, "is not an atom:String", true);
}
END_TEST

START_TEST(test_state_missing)
{
  restore_ttl("<urn:strata:modular#other> \"x\"", _i, "state has no", false);
}
END_TEST

START_TEST(test_state_binary)
{
  restore_ttl("<urn:strata:modular#patch> \"\\u0001\\u0002\\u0003\\u007f\"", _i, "line 1", true);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("badinput");
  TCase* m = tcase_create("messages");
  tcase_add_checked_fixture(m, setup, teardown);
  tcase_add_test(m, test_malformed_object);
  tcase_add_test(m, test_truncated_event);
  tcase_add_test(m, test_truncated_property_value);
  tcase_add_test(m, test_unknown_message);
  tcase_add_test(m, test_unknown_property);
  tcase_add_test(m, test_unknown_type);
  tcase_add_test(m, test_missing_file);
  tcase_add_test(m, test_not_text_file);
  tcase_add_test(m, test_directory_as_file);
  tcase_add_test(m, test_over_capacity);
  tcase_add_test(m, test_add_when_full);
  tcase_add_test(m, test_wrong_value_type);
  tcase_add_test(m, test_out_of_range);
  tcase_add_test(m, test_macro_not_a_number);
  suite_add_tcase(s, m);
  TCase* st = tcase_create("state");
  tcase_add_checked_fixture(st, setup, teardown);
  tcase_add_loop_test(st, test_garbage_state, 0, 2); // _i: through the worker or not
  tcase_add_loop_test(st, test_state_wrong_type, 0, 2);
  tcase_add_loop_test(st, test_state_missing, 0, 2);
  tcase_add_loop_test(st, test_state_binary, 0, 2);
  suite_add_tcase(s, st);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
