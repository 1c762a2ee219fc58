/* SPDX-License-Identifier: ISC */
/* The protocol a patch editor speaks, through lilv: node positions, links
   replaced in one edit, rename, the patch name, level reports (their order,
   their rate, their timeout) and the probe's scope, with their refusals. */
#include "plugin_exchange.h"

#include <check.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64
#define RATE 48000

static const char test_patch[] = "node c1  const value=0.25\n"
                                 "node c2  const value=-0.5\n"
                                 "node osc osc wave=saw freq=220\n"
                                 "node amp vca gain=0.5\n"
                                 "link osc.out -> amp.in\n"
                                 "link amp.out -> out.left\n"
                                 "link amp.out -> out.right\n";

static uint32_t
count_type(PhHost* host, const char* type)
{
  uint32_t n = 0;
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    n += ph_reply_at(host, i)->type == ph_urid(type);
  }
  return n;
}

/* --- Messages --- */

static LV2_Atom_Forge*
begin(PhHost* h, LV2_Atom_Forge_Frame* frame, const char* type, int32_t seq)
{
  LV2_Atom_Forge* f = ph_build(h);
  lv2_atom_forge_object(f, frame, 0, ph_urid(type));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, seq);
  return f;
}

static void
end(PhHost* h, LV2_Atom_Forge* f, LV2_Atom_Forge_Frame* frame)
{
  lv2_atom_forge_pop(f, frame);
  ph_send_built(h, 0);
}

static void
key_node(LV2_Atom_Forge* f, const char* key, const char* node)
{
  char uri[128];
  snprintf(uri, sizeof(uri), STRATA_NODE_PREFIX "%s", node);
  lv2_atom_forge_key(f, ph_urid(key));
  lv2_atom_forge_urid(f, ph_urid(uri));
}

/* patch:Set of node:NAME strata:position [x, y] (n floats). */
static void
msg_place(PhHost* h, int32_t seq, const char* node, const float* xy, uint32_t n)
{
  LV2_Atom_Forge_Frame frame;
  LV2_Atom_Forge*      f = begin(h, &frame, LV2_PATCH__Set, seq);
  key_node(f, LV2_PATCH__subject, node);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__position));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_vector(f, sizeof(float), ph_urid(LV2_ATOM__Float), n, xy);
  end(h, f, &frame);
}

/* patch:Set of the plugin's `property` with an atom built by `value`. */
typedef enum { V_BOOL, V_STRING, V_FLOAT } ValueKind;

static void
msg_set(PhHost* h, int32_t seq, const char* property, ValueKind kind, const char* s, bool b)
{
  LV2_Atom_Forge_Frame frame;
  LV2_Atom_Forge*      f = begin(h, &frame, LV2_PATCH__Set, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(property));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  if (kind == V_BOOL) {
    lv2_atom_forge_bool(f, b);
  } else if (kind == V_STRING) {
    lv2_atom_forge_string(f, s, (uint32_t)strlen(s));
  } else {
    lv2_atom_forge_float(f, 1.0f);
  }
  end(h, f, &frame);
}

static void
msg_monitor(PhHost* h, int32_t seq, bool on)
{
  msg_set(h, seq, STRATA__monitor, V_BOOL, NULL, on);
}

static void
msg_probe(PhHost* h, int32_t seq, const char* ref)
{
  msg_set(h, seq, STRATA__probe, V_STRING, ref, false);
}

/* patch:Put of a link; replace < 0 leaves strata:replace out. */
static void
msg_link(PhHost* h, int32_t seq, const char* tail, const char* head, int replace)
{
  LV2_Atom_Forge_Frame frame, body;
  LV2_Atom_Forge*      f = begin(h, &frame, LV2_PATCH__Put, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, ph_urid(STRATA__Link));
  lv2_atom_forge_key(f, ph_urid(STRATA__tail));
  lv2_atom_forge_string(f, tail, (uint32_t)strlen(tail));
  lv2_atom_forge_key(f, ph_urid(STRATA__head));
  lv2_atom_forge_string(f, head, (uint32_t)strlen(head));
  if (replace >= 0) {
    lv2_atom_forge_key(f, ph_urid(STRATA__replace));
    lv2_atom_forge_bool(f, replace);
  }
  lv2_atom_forge_pop(f, &body);
  end(h, f, &frame);
}

static void
msg_move(PhHost* h, int32_t seq, const char* from, const char* to)
{
  LV2_Atom_Forge_Frame frame;
  LV2_Atom_Forge*      f = begin(h, &frame, LV2_PATCH__Move, seq);
  key_node(f, LV2_PATCH__subject, from);
  key_node(f, LV2_PATCH__destination, to);
  end(h, f, &frame);
}

/* --- Edits --- */

/* A position is saved in the patch, changes state but not the sound. */
START_TEST(test_place)
{
  PhHost*     host = ph_new_playing(NULL, test_patch);
  PhHost*     ref  = ph_new_playing(NULL, test_patch);
  const float xy[] = {10.0f, -20.5f};
  msg_place(host, 1, "osc", xy, 2);
  ph_expect_ack(host, 1);
  ck_assert_str_eq(ph_reply(host, 1)->message, "place node 'osc' at 10, -20.5");
  ck_assert_uint_eq(count_type(host, LV2_STATE__StateChanged), 1);
  char* text = ph_get_patch(host);
  ck_assert_ptr_nonnull(strstr(text, "\nplace osc 10 -20.5\n"));
  free(text);
  static float l[8192], r[8192];
  ph_render(host, 8192, BLOCK, l, NULL);
  ph_render(ref, 8 * BLOCK, BLOCK, NULL, NULL);  // As many frames as the host so far.
  ph_render(ref, 8192, BLOCK, r, NULL);
  ck_assert(!memcmp(l, r, sizeof(l)));

  const float three[] = {1, 2, 3}, bad[] = {NAN, 0};
  msg_place(host, 2, "nope", xy, 2);
  ck_assert_str_eq(ph_expect_error(host, 2), "place node 'nope': there is no node 'nope'");
  msg_place(host, 3, "osc", three, 3);
  ck_assert_str_eq(ph_expect_error(host, 3),
                   "place node 'osc': patch:value must be an atom:Vector "
                   "of 2 atom:Float (x, y)");
  msg_place(host, 4, "osc", bad, 2);
  ck_assert_str_eq(ph_expect_error(host, 4),
                   "place node 'osc': patch:value must be an atom:Vector "
                   "of 2 atom:Float (x, y)");
  ph_free(host);
  ph_free(ref);
}
END_TEST

/* strata:replace true re-links an occupied input in one edit; without it the
   input is refused as before. */
START_TEST(test_replace_link)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  msg_link(host, 1, "c1.out", "amp.in", -1);
  ck_assert_str_eq(ph_expect_error(host, 1), "connect c1.out -> amp.in: cannot link c1.out -> "
                                          "amp.in: amp.in is already linked from osc.out");
  msg_link(host, 2, "c1.out", "amp.in", 0);
  ck_assert_ptr_nonnull(strstr(ph_expect_error(host, 2), "already linked from osc.out"));
  msg_link(host, 3, "c1.out", "amp.in", 1);
  ph_expect_ack(host, 3);
  ck_assert_str_eq(ph_reply(host, 3)->message, "connect c1.out -> amp.in (replacing its link)");
  char* text = ph_get_patch(host);
  ck_assert_ptr_nonnull(strstr(text, "link c1.out  -> amp.in\n"));
  ck_assert_ptr_null(strstr(text, "osc.out"));
  free(text);
  // The output is now the constant through the vca: 0.25 * 0.5.
  static float l[4096];
  ph_render(host, 4096, BLOCK, l, NULL);
  ck_assert_float_eq_tol(l[4095], 0.125f, 1e-6f);
  // A re-link that would close a cycle is refused.
  msg_link(host, 4, "amp.out", "amp.in", 1);
  ck_assert_ptr_nonnull(strstr(ph_expect_error(host, 4), "would close a cycle: amp -> amp"));
  ph_free(host);
}
END_TEST

/* Rename keeps links, parameters and position, and is not heard. */
START_TEST(test_rename)
{
  PhHost*     host = ph_new_playing(NULL, test_patch);
  PhHost*     ref  = ph_new_playing(NULL, test_patch);
  const float xy[] = {5.0f, 6.0f};
  msg_place(host, 1, "osc", xy, 2);
  ph_expect_ack(host, 1);
  msg_move(host, 2, "osc", "lead");
  ph_expect_ack(host, 2);
  ck_assert_str_eq(ph_reply(host, 2)->message, "rename node 'osc' to 'lead'");
  char* text = ph_get_patch(host);
  ck_assert_ptr_nonnull(strstr(text, "node lead osc    wave=saw freq=220\n"));
  ck_assert_ptr_nonnull(strstr(text, "link lead.out -> amp.in"));
  ck_assert_ptr_nonnull(strstr(text, "place lead 5 6"));
  ck_assert_ptr_null(strstr(text, "osc."));
  free(text);
  static float l[8192], r[8192];
  ph_render(host, 8192, BLOCK, l, NULL);
  ph_render(ref, 12 * BLOCK, BLOCK, NULL, NULL);
  ph_render(ref, 8192, BLOCK, r, NULL);
  ck_assert(!memcmp(l, r, sizeof(l)));

  msg_move(host, 3, "lead", "amp");
  ck_assert_str_eq(ph_expect_error(host, 3),
                   "rename node 'lead' to 'amp': a node named 'amp' already exists");
  msg_move(host, 4, "lead", "9x");
  ck_assert_ptr_nonnull(strstr(ph_expect_error(host, 4), "bad node name '9x'"));
  msg_move(host, 5, "laed", "x");
  ck_assert_str_eq(ph_expect_error(host, 5),
                   "rename node 'laed' to 'x': there is no node 'laed' (did you mean 'lead'?)");
  ph_free(host);
  ph_free(ref);
}
END_TEST

START_TEST(test_patch_name)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  msg_set(host, 1, STRATA__name, V_STRING, "Poly \"Pad\"", false);
  ph_expect_ack(host, 1);
  char* text = ph_get_patch(host);
  // The name is the first statement, after the header comment.
  static const char head[] = "# Strata patch\nname \"Poly \\\"Pad\\\"\"\nnode ";
  ck_assert_msg(!strncmp(text, head, strlen(head)), "%s", text);
  free(text);
  msg_set(host, 2, STRATA__name, V_STRING,
          "0123456789012345678901234567890123456789012345678901234567890123", false);
  ck_assert_str_eq(ph_expect_error(host, 2),
                   "name the patch \"012345678901234567890123456789012345"
                   "678901234567890123456789012\": a patch name has at "
                   "most 63 bytes");
  msg_set(host, 3, STRATA__name, V_FLOAT, NULL, false);
  ck_assert_str_eq(ph_expect_error(host, 3), "name the patch: the value must be an atom:String");
  ph_free(host);
}
END_TEST

/* --- Levels --- */

/* Renders `seconds` in blocks, returning the level reports' count and the last one. */
static uint32_t
levels_over(PhHost* host, double seconds, float* last, uint32_t* n_last)
{
  uint32_t count = 0;
  ph_clear_replies(host);
  for (uint32_t f = 0; f < seconds * RATE; f += BLOCK) {
    ph_render(host, BLOCK, BLOCK, NULL, NULL);
    for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
      const PhReply* r = ph_reply_at(host, i);
      if (r->type == ph_urid(STRATA__Levels)) {
        ++count;
        if (last) {
          memcpy(last, r->values, r->n_values * sizeof(float));
          *n_last = r->n_values;
        }
      }
    }
    ph_clear_replies(host);
  }
  return count;
}

/* Levels come one value per node in the order of the last Put, at most 15 a
   second, not at all before "monitor true", and they stop on "false". */
START_TEST(test_levels)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  free(ph_get_patch(host));  // The editor's mirror: c1 c2 osc amp out.
  ck_assert_uint_eq(levels_over(host, 0.5, NULL, NULL), 0);
  msg_monitor(host, 1, true);
  ph_expect_ack(host, 1);
  ck_assert_str_eq(ph_reply(host, 1)->message, "monitor: levels on");
  ck_assert_uint_eq(count_type(host, LV2_STATE__StateChanged), 0);
  float          v[16];
  uint32_t       n     = 0;
  const uint32_t in_2s = levels_over(host, 2.0, v, &n);
  ck_assert_uint_le(in_2s, 2 * 15 + 1);
  ck_assert_uint_ge(in_2s, 2 * 15 - 2);
  ck_assert_uint_eq(n, 5);
  ck_assert_float_eq(v[0], 0.25f);
  ck_assert_float_eq(v[1], 0.5f);
  ck_assert(v[2] > 0.5f && v[2] <= 1.2f);          // A saw at full scale.
  ck_assert(v[3] > 0.25f && v[3] <= v[2] * 0.5f);  // Through gain 0.5.
  ck_assert_float_eq(v[4], 0.0f);                  // The output node has no outputs.

  // Until the next Put the order stays: a removed node reads 0, a new one
  // (in the freed slot) is not reported.
  ph_msg_remove(host, 2, "c1");
  ph_expect_ack(host, 2);
  const char* c3[]  = {"value"};
  const float c3v[] = {0.75f};
  ph_msg_add(host, 3, "c3", "const", 1, c3, c3v);
  ph_expect_ack(host, 3);
  levels_over(host, 0.2, v, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_float_eq(v[0], 0.0f);
  ck_assert_float_eq(v[1], 0.5f);
  char* text = ph_get_patch(host);
  ck_assert_ptr_eq(strstr(text, "node c3"), strstr(text, "node "));
  free(text);
  levels_over(host, 0.2, v, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_float_eq(v[0], 0.75f);

  msg_monitor(host, 4, false);
  ph_expect_ack(host, 4);
  ck_assert_uint_eq(levels_over(host, 1.0, NULL, NULL), 0);
  ph_free(host);
}
END_TEST

/* Without a new "true", reports stop 5 s after the last one. */
START_TEST(test_levels_time_out)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  free(ph_get_patch(host));
  msg_monitor(host, 1, true);
  ph_expect_ack(host, 1);
  const uint32_t first = levels_over(host, 4.5, NULL, NULL);
  ck_assert_uint_ge(first, 4 * 15);
  ck_assert_uint_le(levels_over(host, 1.0, NULL, NULL), 8);
  ck_assert_uint_eq(levels_over(host, 1.0, NULL, NULL), 0);
  msg_monitor(host, 2, true);  // The editor's next keep-alive turns them on again.
  ph_expect_ack(host, 2);
  ck_assert_uint_ge(levels_over(host, 1.0, NULL, NULL), 14);
  msg_set(host, 3, STRATA__monitor, V_STRING, "yes", false);
  ck_assert_str_eq(ph_expect_error(host, 3), "monitor: the value must be an atom:Bool");
  ph_free(host);
}
END_TEST

/* --- Probe --- */

/* Scope reports carry the probe's name and the output's latest 1024 frames,
   one sample in 4, exactly; at most 30 a second; "" stops them. */
START_TEST(test_probe)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  msg_probe(host, 1, "amp.out");
  ph_expect_ack(host, 1);
  ck_assert_str_eq(ph_reply(host, 1)->message, "probe amp.out");
  ck_assert_uint_eq(count_type(host, LV2_STATE__StateChanged), 0);
  static float heard[RATE + BLOCK];
  uint32_t     scopes = 0, checked = 0;
  ph_clear_replies(host);
  for (uint32_t at = 0; at + BLOCK <= RATE; at += BLOCK) {
    ph_render(host, BLOCK, BLOCK, heard + at, NULL);
    for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
      const PhReply* r = ph_reply_at(host, i);
      if (r->type != ph_urid(STRATA__Scope)) {
        continue;
      }
      ++scopes;
      ck_assert_str_eq(r->probe, "amp.out");
      ck_assert_uint_eq(r->n_values, 256);
      const uint32_t end = at + BLOCK;
      if (end >= 1024) {
        for (uint32_t k = 0; k < 256; ++k) {
          ck_assert_msg(r->values[k] == heard[end - 1024 + 4 * k], "scope %u sample %u", scopes,
                        k);
        }
        ++checked;
      }
    }
    ph_clear_replies(host);
  }
  ck_assert_uint_le(scopes, 31);
  ck_assert_uint_ge(scopes, 28);
  ck_assert_uint_ge(checked, 25);

  msg_probe(host, 2, "");
  ph_expect_ack(host, 2);
  ck_assert_str_eq(ph_reply(host, 2)->message, "probe off");
  ph_clear_replies(host);
  ph_render(host, RATE / 2, BLOCK, NULL, NULL);
  ck_assert_uint_eq(count_type(host, STRATA__Scope), 0);

  msg_probe(host, 3, "amp.outt");
  ck_assert_str_eq(
    ph_expect_error(host, 3),
    "probe amp.outt: node 'amp' (vca) has no output 'outt' (did you mean 'out'?)");
  msg_probe(host, 4, "nope.out");
  ck_assert_ptr_nonnull(strstr(ph_expect_error(host, 4), "there is no node 'nope'"));
  msg_set(host, 5, STRATA__probe, V_BOOL, NULL, true);
  ck_assert_str_eq(ph_expect_error(host, 5), "probe: the value must be an atom:String");
  ph_free(host);
}
END_TEST

/* A probe stops with its node. */
START_TEST(test_probe_node_removed)
{
  PhHost* host = ph_new_playing(NULL, test_patch);
  msg_probe(host, 1, "osc.out");
  ph_expect_ack(host, 1);
  ph_render(host, RATE / 10, BLOCK, NULL, NULL);
  ck_assert_uint_gt(count_type(host, STRATA__Scope), 0);
  ph_msg_remove(host, 2, "osc");
  ph_expect_ack(host, 2);
  ph_clear_replies(host);
  ph_render(host, RATE / 2, BLOCK, NULL, NULL);
  ck_assert_uint_eq(count_type(host, STRATA__Scope), 0);
  ph_free(host);
}
END_TEST

static Suite*
editor_protocol_suite(void)
{
  Suite* s     = suite_create("plugin editor protocol");
  TCase* edits = tcase_create("edits");
  tcase_add_test(edits, test_place);
  tcase_add_test(edits, test_replace_link);
  tcase_add_test(edits, test_rename);
  tcase_add_test(edits, test_patch_name);
  suite_add_tcase(s, edits);
  TCase* watch = tcase_create("watch");
  tcase_add_test(watch, test_levels);
  tcase_add_test(watch, test_levels_time_out);
  tcase_add_test(watch, test_probe);
  tcase_add_test(watch, test_probe_node_removed);
  suite_add_tcase(s, watch);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(editor_protocol_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
