/* SPDX-License-Identifier: ISC */
/* Patch edits as atoms through lilv: each edit kind and its reply, the
   fallbacks, and every invalid edit kind answered with an error while the
   output stays bit-identical to an untouched instance. */
#include "plugin_exchange.h"

#include <check.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK  64
#define FRAMES 4096

static const char test_patch[] =
  "node osc osc wave=saw freq=220\n"
  "node vcf svf cutoff=1000 res=0.3\n"
  "node amp vca gain=0.5\n"
  "link osc.out -> vcf.in\n"
  "link vcf.lp -> amp.in\n"
  "link amp.out -> out.left\n"
  "link amp.out -> out.right\n";

static float left[FRAMES];
static float right[FRAMES];
static float ref_left[FRAMES];
static float ref_right[FRAMES];

static bool
contains(const char* text, const char* line)
{
  return strstr(text, line) != NULL;
}

START_TEST(test_default_patch_plays_midi)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  ph_render(host, FRAMES, BLOCK, left, right);
  ck_assert_float_eq(ph_peak(left, FRAMES), 0.0f); // No note, no sound.
  ph_midi(host, 0, 0x90, 60, 100);
  ph_render(host, FRAMES, BLOCK, left, right);
  ck_assert_float_gt(ph_rms(left, FRAMES), 0.01f);
  ck_assert(ph_finite(left, FRAMES));
  ck_assert_float_lt(ph_peak(left, FRAMES), 1.0f);
  ph_free(host);
}
END_TEST

START_TEST(test_add_and_remove_node)
{
  PhHost*            host     = ph_new_playing(NULL, test_patch);
  const char* const  params[] = {"rate", "depth"};
  const float        values[] = {2.0f, 0.5f};
  ph_msg_add(host, 1, "wobble", "lfo", 2, params, values);
  ph_expect_ack(host, 1);
  char* text = ph_get_patch(host);
  ck_assert_msg(contains(text, "node wobble lfo"), "%s", text);
  ck_assert_msg(contains(text, "rate=2"), "%s", text);
  free(text);

  ph_msg_remove(host, 2, "wobble");
  ph_expect_ack(host, 2);
  text = ph_get_patch(host);
  ck_assert(!contains(text, "wobble"));
  free(text);
  ph_free(host);
}
END_TEST

START_TEST(test_state_changed_follows_an_edit)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_msg_set_param(host, 1, "vcf", "cutoff", 500.0f);
  ph_expect_ack(host, 1);
  bool changed = false;
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    changed |= ph_reply_at(host, i)->type == ph_urid(LV2_STATE__StateChanged);
  }
  ck_assert(changed);
  ph_free(host);
}
END_TEST

START_TEST(test_connect_and_disconnect)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_msg_disconnect(host, 1, "osc.out", "vcf.in");
  ph_expect_ack(host, 1);
  ph_render(host, FRAMES, BLOCK, NULL, NULL); // Let the filter ring out.
  ph_render(host, FRAMES, BLOCK, left, NULL);
  ck_assert_float_lt(ph_peak(left, FRAMES), 1e-6f);
  char* text = ph_get_patch(host);
  ck_assert(!contains(text, "link osc.out -> vcf.in"));
  free(text);

  ph_msg_connect(host, 2, "osc.out", "vcf.in");
  ph_expect_ack(host, 2);
  ph_render(host, FRAMES, BLOCK, left, NULL);
  ck_assert_float_gt(ph_rms(left, FRAMES), 0.05f);
  text = ph_get_patch(host);
  ck_assert(contains(text, "link osc.out -> vcf.in"));
  free(text);

  // Disconnect naming only the input.
  ph_msg_disconnect(host, 3, NULL, "vcf.in");
  ph_expect_ack(host, 3);
  ph_free(host);
}
END_TEST

START_TEST(test_set_param_changes_sound)
{
  PhHost* ref  = ph_new_playing(NULL, test_patch);
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_msg_set_param(host, 1, "vcf", "cutoff", 60.0f);
  ph_render(ref, 4 * BLOCK, BLOCK, NULL, NULL);
  ph_expect_ack(host, 1);
  ph_render(ref, FRAMES, BLOCK, ref_left, NULL);
  ph_render(host, FRAMES, BLOCK, left, NULL);
  ck_assert_float_lt(ph_rms(left, FRAMES), 0.8f * ph_rms(ref_left, FRAMES));
  char* text = ph_get_patch(host);
  ck_assert_msg(contains(text, "cutoff=60"), "%s", text);
  free(text);
  ph_free(ref);
  ph_free(host);
}
END_TEST

START_TEST(test_map_and_unmap_macro)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_msg_map(host, 1, 3, "vcf.cutoff", 200.0f, 4000.0f, "exp", "Cutoff");
  ph_expect_ack(host, 1);
  char* text = ph_get_patch(host);
  ck_assert_msg(contains(text, "macro 3 vcf.cutoff 200..4000 exp \"Cutoff\""), "%s", text);
  free(text);

  ph_render(host, FRAMES, BLOCK, ref_left, NULL);  // Macro 3 at 0: 200 Hz.
  ph_set_macro(host, 2, 1.0f);
  ph_render(host, FRAMES, BLOCK, NULL, NULL);
  ph_render(host, FRAMES, BLOCK, left, NULL);      // Macro 3 at 1: 4 kHz.
  ck_assert_float_gt(ph_rms(left, FRAMES), 1.5f * ph_rms(ref_left, FRAMES));

  ph_msg_unmap(host, 2, 3, "vcf.cutoff");
  ph_expect_ack(host, 2);
  text = ph_get_patch(host);
  ck_assert(!contains(text, "macro 3"));
  free(text);
  ph_free(host);
}
END_TEST

/* The macros are the control ports only: a patch:Set of macroN (a second
   copy that hosts showed beside the port) is refused and changes nothing. */
START_TEST(test_macro_is_a_port_not_a_property)
{
  PhHost* by_port     = ph_new_playing(NULL, test_patch);
  PhHost* by_property = ph_new_playing(NULL, test_patch);
  ph_msg_map(by_port, 1, 1, "vcf.cutoff", 200.0f, 4000.0f, "exp", NULL);
  ph_msg_map(by_property, 1, 1, "vcf.cutoff", 200.0f, 4000.0f, "exp", NULL);
  ph_expect_ack(by_port, 1);
  ph_expect_ack(by_property, 1);
  ph_msg_set_macro(by_property, 5, 1, 0.7f);
  ph_render(by_port, FRAMES, 100, left, NULL);
  ph_render(by_property, FRAMES, 100, ref_left, NULL);
  ck_assert_mem_eq(left, ref_left, sizeof(left));
  const PhReply* r = ph_reply(by_property, 5);
  ck_assert(ph_is_error(r));
  ck_assert_msg(strstr(r->message, "the macros are the plugin's control ports"), "%s",
                r->message);
  ph_free(by_port);
  ph_free(by_property);
}
END_TEST

START_TEST(test_replace_and_get)
{
  PhHost* host = ph_new(NULL);
  ph_msg_replace(host, 7, test_patch);
  ph_expect_ack(host, 7);
  char* text = ph_get_patch(host);
  ck_assert_msg(contains(text, "node vcf svf"), "%s", text);
  ck_assert_msg(contains(text, "vcf.lp") && contains(text, "amp.in"), "%s", text);
  ck_assert(!contains(text, "osc1")); // The default patch is gone.
  free(text);
  ph_free(host);
}
END_TEST

START_TEST(test_load_patch_file)
{
  char  path[] = "/tmp/strata_test_XXXXXX";
  const int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  const char text[] = "node tone osc freq=330\nlink tone.out -> out.left\n";
  ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (int)sizeof(text) - 1);
  close(fd);
  PhHost* host = ph_new_playing(NULL, test_patch);
  ph_msg_load(host, 3, path);
  ph_expect_ack(host, 3);
  char* got = ph_get_patch(host);
  ck_assert_msg(contains(got, "node tone osc"), "%s", got);
  free(got);
  ph_render(host, FRAMES, BLOCK, left, right);
  ck_assert_float_gt(ph_rms(left, FRAMES), 0.3f);
  ck_assert_float_eq(ph_peak(right + 2048, 2048), 0.0f); // Crossfaded out of the old patch.
  unlink(path);
  ph_free(host);
}
END_TEST

START_TEST(test_large_messages_use_mailboxes)
{
  // A host whose worker ring takes only 512 bytes: the patch text goes to
  // the worker through the inbox and comes back through the outbox.
  const PhConfig config = {.worker_capacity = 700};
  PhHost*        host   = ph_new(&config);
  char           big[8192];
  size_t         n = 0;
  n += (size_t)snprintf(big + n, sizeof(big) - n, "%s", test_patch);
  for (int i = 0; n + 64 < sizeof(big) && i < 100; ++i) {
    n += (size_t)snprintf(big + n, sizeof(big) - n, "node k%d const value=%d\n", i, i);
  }
  ph_msg_replace(host, 1, big);
  ph_expect_ack(host, 1);
  char* text = ph_get_patch(host);
  ck_assert(contains(text, "node k99 const"));
  ck_assert_uint_gt(strlen(text), 1000);
  free(text);
  ph_free(host);
}
END_TEST

START_TEST(test_no_worker_refuses_edits)
{
  const PhConfig config = {.no_worker = true};
  PhHost*        host   = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  ph_msg_set_param(host, 1, "vcf", "cutoff", 500.0f);
  const PhReply* r = ph_exchange(host, 1);
  ck_assert(ph_is_error(r));
  ck_assert_msg(strstr(r->message, "worker"), "%s", r->message);
  // The default patch still plays.
  ph_midi(host, 0, 0x90, 57, 100);
  ph_render(host, FRAMES, BLOCK, left, NULL);
  ck_assert_float_gt(ph_rms(left, FRAMES), 0.01f);
  ph_free(host);
}
END_TEST

START_TEST(test_no_options_uses_instantiate_rate)
{
  const PhConfig config = {.no_options = true, .rate = 44100};
  PhHost*        host   = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  ph_midi(host, 0, 0x90, 69, 100);
  ph_render(host, FRAMES, BLOCK, left, NULL);
  ck_assert_float_gt(ph_rms(left, FRAMES), 0.01f);
  ph_free(host);
}
END_TEST

/* --- Invalid edits --- */

typedef void (*SendInvalid)(PhHost* host, int32_t seq);

static void bad_type(PhHost* h, int32_t s) { ph_msg_add(h, s, "vcf2", "svff", 0, NULL, NULL); }
static void dup_name(PhHost* h, int32_t s) { ph_msg_add(h, s, "osc", "osc", 0, NULL, NULL); }
static void bad_name(PhHost* h, int32_t s) { ph_msg_add(h, s, "9lives", "osc", 0, NULL, NULL); }
static void bad_add_param(PhHost* h, int32_t s)
{
  const char* const p[] = {"cutof"};
  const float       v[] = {100.0f};
  ph_msg_add(h, s, "vcf2", "svf", 1, p, v);
}
static void add_out_of_range(PhHost* h, int32_t s)
{
  const char* const p[] = {"cutoff"};
  const float       v[] = {1e6f};
  ph_msg_add(h, s, "vcf2", "svf", 1, p, v);
}
static void remove_unknown(PhHost* h, int32_t s) { ph_msg_remove(h, s, "nope"); }
static void connect_bad_port(PhHost* h, int32_t s) { ph_msg_connect(h, s, "osc.outt", "amp.cv"); }
static void connect_bad_node(PhHost* h, int32_t s) { ph_msg_connect(h, s, "osx.out", "amp.cv"); }
static void connect_taken(PhHost* h, int32_t s) { ph_msg_connect(h, s, "osc.out", "vcf.in"); }
static void connect_cycle(PhHost* h, int32_t s) { ph_msg_connect(h, s, "amp.out", "osc.fm"); }
static void connect_malformed(PhHost* h, int32_t s) { ph_msg_connect(h, s, "osc", "amp.cv"); }
static void disconnect_unlinked(PhHost* h, int32_t s) { ph_msg_disconnect(h, s, NULL, "vcf.cutoff"); }
static void disconnect_wrong_tail(PhHost* h, int32_t s) { ph_msg_disconnect(h, s, "amp.out", "vcf.in"); }
static void set_out_of_range(PhHost* h, int32_t s) { ph_msg_set_param(h, s, "vcf", "res", 5.0f); }
static void set_unknown_param(PhHost* h, int32_t s) { ph_msg_set_param(h, s, "vcf", "cutof", 5.0f); }
static void set_unknown_node(PhHost* h, int32_t s) { ph_msg_set_param(h, s, "vcx", "cutoff", 5.0f); }
static void map_bad_target(PhHost* h, int32_t s) { ph_msg_map(h, s, 1, "vcf.cutof", 1, 2, NULL, NULL); }
static void map_bad_range(PhHost* h, int32_t s) { ph_msg_map(h, s, 1, "vcf.res", 0, 0.9f, "exp", NULL); }
static void map_bad_curve(PhHost* h, int32_t s) { ph_msg_map(h, s, 1, "vcf.cutoff", 20, 2000, "log", NULL); }
static void unmap_unmapped(PhHost* h, int32_t s) { ph_msg_unmap(h, s, 2, "vcf.cutoff"); }
static void replace_syntax(PhHost* h, int32_t s) { ph_msg_replace(h, s, "node osc osc\nlink osc.out -> nowhere.in\n"); }
static void load_missing(PhHost* h, int32_t s) { ph_msg_load(h, s, "/nonexistent/strata.patch"); }
static void load_broken(PhHost* h, int32_t s)
{
  ph_msg_load(h, s, "/dev/null/broken"); // ENOTDIR
}
static void unsupported(PhHost* h, int32_t s)
{
  LV2_Atom_Forge*      f = ph_build(h);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Copy));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, s);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(h, 0);
}
static void put_without_body(PhHost* h, int32_t s)
{
  LV2_Atom_Forge*      f = ph_build(h);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Put));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, s);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, STRATA_NODE_PREFIX "x", sizeof(STRATA_NODE_PREFIX "x") - 1);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(h, 0);
}
static void set_unknown_property(PhHost* h, int32_t s)
{
  LV2_Atom_Forge*      f = ph_build(h);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, s);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA_PREFIX "tempo"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, 120.0f);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(h, 0);
}
static void macro_not_a_number(PhHost* h, int32_t s)
{
  LV2_Atom_Forge*      f = ph_build(h);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, s);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__macro "1"));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_string(f, "loud", 4);
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(h, 0);
}

static const struct {
  const char* name;
  SendInvalid send;
  const char* says; ///< A word the error message must contain
} invalid[] = {
  {"add: unknown type", bad_type, "did you mean 'svf'"},
  {"add: name taken", dup_name, "osc"},
  {"add: bad name", bad_name, "9lives"},
  {"add: unknown parameter", bad_add_param, "did you mean 'cutoff'"},
  {"add: value out of range", add_out_of_range, "cutoff"},
  {"remove: unknown node", remove_unknown, "nope"},
  {"connect: unknown port", connect_bad_port, "did you mean 'out'"},
  {"connect: unknown node", connect_bad_node, "did you mean 'osc'"},
  {"connect: input taken", connect_taken, "vcf"},
  {"connect: cycle", connect_cycle, "cycle"},
  {"connect: malformed end", connect_malformed, "node.port"},
  {"disconnect: not linked", disconnect_unlinked, "cutoff"},
  {"disconnect: other source", disconnect_wrong_tail, "not linked from"},
  {"set: out of range", set_out_of_range, "res"},
  {"set: unknown parameter", set_unknown_param, "did you mean 'cutoff'"},
  {"set: unknown node", set_unknown_node, "did you mean 'vcf'"},
  {"map: unknown parameter", map_bad_target, "cutof"},
  {"map: exp range through 0", map_bad_range, "exp"},
  {"map: unknown curve", map_bad_curve, "curve"},
  {"unmap: not mapped", unmap_unmapped, "macro 2"},
  {"replace: parse error", replace_syntax, "line 2"},
  {"load: missing file", load_missing, "No such file"},
  {"load: unreadable path", load_broken, "/dev/null/broken"},
  {"unsupported message", unsupported, "unsupported"},
  {"put: no body", put_without_body, "body"},
  {"set: unknown property", set_unknown_property, "tempo"},
  {"set macro: not a property", macro_not_a_number, "control ports"},
};

#define N_INVALID (sizeof(invalid) / sizeof(invalid[0]))

START_TEST(test_invalid_edit_changes_nothing)
{
  PhHost* ref  = ph_new_playing(NULL, test_patch);
  PhHost* host = ph_new_playing(NULL, test_patch);
  char*   before = ph_get_patch(host);
  free(ph_get_patch(ref));
  invalid[_i].send(host, 42);
  ph_render(ref, FRAMES, BLOCK, ref_left, ref_right);
  ph_render(host, FRAMES, BLOCK, left, right);
  const PhReply* r = ph_reply(host, 42);
  ck_assert_msg(r != NULL, "%s: no reply", invalid[_i].name);
  ck_assert_msg(ph_is_error(r), "%s: not refused", invalid[_i].name);
  ck_assert_int_ne(r->status, 0);
  ck_assert_msg(r->message && strstr(r->message, invalid[_i].says), "%s: message '%s' lacks '%s'",
                invalid[_i].name, r->message ? r->message : "", invalid[_i].says);
  ck_assert_msg(!memcmp(left, ref_left, sizeof(left)) && !memcmp(right, ref_right, sizeof(right)),
                "%s: output changed", invalid[_i].name);
  char* after = ph_get_patch(host);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  ph_free(ref);
  ph_free(host);
}
END_TEST

static Suite*
edits_suite(void)
{
  Suite* s     = suite_create("plugin_edits");
  TCase* edits = tcase_create("edits");
  tcase_add_test(edits, test_default_patch_plays_midi);
  tcase_add_test(edits, test_add_and_remove_node);
  tcase_add_test(edits, test_state_changed_follows_an_edit);
  tcase_add_test(edits, test_connect_and_disconnect);
  tcase_add_test(edits, test_set_param_changes_sound);
  tcase_add_test(edits, test_map_and_unmap_macro);
  tcase_add_test(edits, test_macro_is_a_port_not_a_property);
  tcase_add_test(edits, test_replace_and_get);
  tcase_add_test(edits, test_load_patch_file);
  tcase_add_test(edits, test_large_messages_use_mailboxes);
  tcase_add_test(edits, test_no_worker_refuses_edits);
  tcase_add_test(edits, test_no_options_uses_instantiate_rate);
  suite_add_tcase(s, edits);
  TCase* bad = tcase_create("invalid");
  tcase_add_loop_test(bad, test_invalid_edit_changes_nothing, 0, (int)N_INVALID);
  suite_add_tcase(s, bad);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(edits_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
