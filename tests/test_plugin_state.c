/* SPDX-License-Identifier: ISC */
/* State through lilv: save, then restore into a fresh instance, renders
   bit-identically to the instance it came from; a broken state is refused
   with a logged error and the current patch keeps playing. */
#include "plugin_host.h"

#include <check.h>
#include <lv2/patch/patch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK  64
#define FRAMES 16384

static const char test_patch[] =
  "node osc osc wave=saw freq=110\n"
  "node lfo lfo rate=3 depth=1\n"
  "node vcf svf cutoff=800 res=0.5\n"
  "node amp vca gain=0.5\n"
  "link osc.out -> vcf.in\n"
  "link lfo.out -> vcf.cutoff\n"
  "link vcf.lp -> amp.in\n"
  "link amp.out -> out.left\n"
  "link vcf.bp -> out.right\n"
  "macro 1 amp.gain 0.1..0.8 lin \"Level\"\n";

static float a_out[2][FRAMES];
static float b_out[2][FRAMES];

static char*
get_patch(PhHost* host)
{
  ph_msg_get(host, 777);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  const PhReply* r = ph_reply(host, 777);
  ck_assert_ptr_nonnull(r);
  ck_assert_ptr_nonnull(r->patch);
  char* text = strdup(r->patch);
  ph_clear_replies(host);
  return text;
}

/* Source: gets `text` as an edit in block 1, which applies at block 2. */
static PhHost*
source(const char* text, float macro1)
{
  PhHost* a = ph_new(NULL);
  ck_assert_ptr_nonnull(a);
  ph_set_macro(a, 0, macro1);
  ph_msg_replace(a, 1, text);
  ph_render(a, BLOCK, BLOCK, NULL, NULL);
  return a;
}

/* A fresh instance that runs block 1 and then has `state` restored: the
   swap also applies at block 2. */
static PhHost*
restored(const LilvState* state, bool through_worker)
{
  PhHost* b = ph_new(NULL);
  ck_assert_ptr_nonnull(b);
  ph_render(b, BLOCK, BLOCK, NULL, NULL);
  ph_restore(b, state, through_worker);
  return b;
}

static void
check_restore_identical(bool through_worker)
{
  PhHost* a = source(test_patch, 0.6f);
  ph_render(a, FRAMES, BLOCK, a_out[0], a_out[1]);
  ck_assert(ph_is_ack(ph_reply(a, 1)));
  ck_assert_float_gt(ph_rms(a_out[0], FRAMES), 0.01f);
  LilvState* state = ph_save(a);
  ck_assert_ptr_nonnull(state);

  PhHost* b = restored(state, through_worker);
  ck_assert_float_eq(ph_macro(b, 0), 0.6f); // Port values come back too.
  ph_render(b, FRAMES, BLOCK, b_out[0], b_out[1]);
  ck_assert_mem_eq(a_out, b_out, sizeof(a_out));

  char* ta = get_patch(a);
  char* tb = get_patch(b);
  ck_assert_str_eq(ta, tb);
  free(ta);
  free(tb);
  lilv_state_free(state);
  ph_free(a);
  ph_free(b);
}

START_TEST(test_restore_renders_identically)
{
  check_restore_identical(false);
}
END_TEST

START_TEST(test_thread_safe_restore_renders_identically)
{
  check_restore_identical(true);
}
END_TEST

/* After edits, the saved state holds them: restoring it sounds exactly like
   sending its text to a fresh instance. */
START_TEST(test_state_holds_edits)
{
  PhHost* a = source(test_patch, 0.0f);
  ph_render(a, 1024, BLOCK, NULL, NULL);
  ph_msg_set_param(a, 2, "vcf", "res", 0.8f);
  ph_msg_map(a, 3, 2, "lfo.rate", 0.5f, 8.0f, "exp", "Speed");
  ph_render(a, 1024, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(a, 2)));
  ck_assert(ph_is_ack(ph_reply(a, 3)));
  LilvState* state = ph_save(a);
  char*      text  = get_patch(a);
  ck_assert_msg(strstr(text, "res=0.8") && strstr(text, "\"Speed\""), "%s", text);

  char* ttl = lilv_state_to_string(ph_world(), ph_map(), ph_unmap(), state, "urn:strata:test:state", NULL);
  ck_assert_msg(strstr(ttl, STRATA__patch) && strstr(ttl, "macro 2 lfo.rate"), "%s",
                ttl);
  lilv_free(ttl);

  PhHost* b = restored(state, false);
  PhHost* c = source(text, 0.0f);
  ph_render(b, FRAMES, BLOCK, b_out[0], b_out[1]);
  ph_render(c, FRAMES, BLOCK, a_out[0], a_out[1]);
  ck_assert_mem_eq(a_out, b_out, sizeof(a_out));
  free(text);
  lilv_state_free(state);
  ph_free(a);
  ph_free(b);
  ph_free(c);
}
END_TEST

static LilvState*
state_from_turtle(const char* object)
{
  char ttl[2048];
  snprintf(ttl, sizeof(ttl),
           "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
           "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
           "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
           "<urn:strata:test:broken> a pset:Preset ;\n"
           "  lv2:appliesTo <urn:strata:modular> ;\n"
           "  state:state [ %s ] .\n",
           object);
  return lilv_state_new_from_string(ph_world(), ph_map(), ttl);
}

static void
check_refused(const char* object, const char* logged, bool through_worker)
{
  PhHost* ref = source(test_patch, 0.0f);
  PhHost* b   = source(test_patch, 0.0f);
  ph_render(ref, 4096, BLOCK, NULL, NULL);
  ph_render(b, 4096, BLOCK, NULL, NULL);
  LilvState* state = state_from_turtle(object);
  ck_assert_ptr_nonnull(state);
  ph_restore(b, state, through_worker);
  ck_assert_msg(strstr(ph_last_log(b), logged), "log: '%s' lacks '%s'", ph_last_log(b), logged);
  ph_render(ref, FRAMES, BLOCK, a_out[0], a_out[1]);
  ph_render(b, FRAMES, BLOCK, b_out[0], b_out[1]);
  ck_assert_mem_eq(a_out, b_out, sizeof(a_out));
  ck_assert_float_gt(ph_rms(b_out[0], FRAMES), 0.01f);
  lilv_state_free(state);
  ph_free(ref);
  ph_free(b);
}

START_TEST(test_broken_state_refused)
{
  check_refused("<urn:strata:modular#patch> \"node x oscc\\nlink x.out -> out.left\\n\"",
                "line 1", false);
  check_refused("<urn:strata:modular#patch> \"node x oscc\\n\"", "did you mean 'osc'", true);
}
END_TEST

START_TEST(test_wrong_type_and_missing_property_refused)
{
  check_refused("<urn:strata:modular#patch> 42", "not an atom:String", false);
  check_refused("<urn:strata:modular#other> \"node x osc\\n\"", "has no", false);
}
END_TEST

START_TEST(test_default_patch_without_state)
{
  PhHost* host = ph_new(NULL);
  char*   text = get_patch(host);
  ck_assert_msg(strstr(text, "node osc1 osc") && strstr(text, "\"Brightness\""), "%s", text);
  free(text);
  ph_free(host);
}
END_TEST

static Suite*
state_suite(void)
{
  Suite* s = suite_create("plugin_state");
  TCase* t = tcase_create("state");
  tcase_add_test(t, test_restore_renders_identically);
  tcase_add_test(t, test_thread_safe_restore_renders_identically);
  tcase_add_test(t, test_state_holds_edits);
  tcase_add_test(t, test_broken_state_refused);
  tcase_add_test(t, test_wrong_type_and_missing_property_refused);
  tcase_add_test(t, test_default_patch_without_state);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(state_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
