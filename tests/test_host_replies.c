/* SPDX-License-Identifier: ISC */
/* The host library's reply reader (tools/host/replies.c) on notify
   sequences written by hand: a field of the wrong type or size reads as
   absent, an unterminated string is not read past its atom, and an event
   that runs past the sequence stops the reading with an error. */
#include "strata_host.h"

#include <check.h>
#include <lv2/atom/forge.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BYTES 4096

static ShWorld*             world;
static const StUris*        u;
static uint64_t             buf[BYTES / 8];
static LV2_Atom_Forge       forge;
static LV2_Atom_Forge_Frame seq_frame;
static ShReply*             replies;
static uint32_t             count;

static void
setup(void)
{
  char why[512];
  world = sh_world_new(NULL, why, sizeof(why));
  ck_assert_msg(world, "%s", why);
  u = sh_world_uris(world);
  lv2_atom_forge_init(&forge, sh_world_map(world));
  memset(buf, 0, sizeof(buf));
  lv2_atom_forge_set_buffer(&forge, (uint8_t*)buf, sizeof(buf));
  lv2_atom_forge_sequence_head(&forge, &seq_frame, 0);
  replies = NULL;
  count   = 0;
}

static void
teardown(void)
{
  for (uint32_t i = 0; i < count; ++i) {
    sh_reply_free(&replies[i]);
  }
  free(replies);
  sh_world_free(world);
}

/* Starts an event holding an object of type `otype`. */
static void
begin(LV2_Atom_Forge_Frame* frame, LV2_URID otype)
{
  lv2_atom_forge_frame_time(&forge, 0);
  lv2_atom_forge_object(&forge, frame, 0, otype);
}

static bool
read_all(void)
{
  lv2_atom_forge_pop(&forge, &seq_frame);
  return sh_replies_read(u, (const LV2_Atom_Sequence*)buf, BYTES, &replies, &count);
}

START_TEST(test_sequence_number_of_wrong_type_is_absent)
{
  LV2_Atom_Forge_Frame obj;
  begin(&obj, u->patch_Ack);
  lv2_atom_forge_key(&forge, u->patch_sequenceNumber);
  lv2_atom_forge_float(&forge, 7.0f);  // A float's bits are not a number to match
  lv2_atom_forge_key(&forge, u->rdf_value);
  lv2_atom_forge_string(&forge, "0", 1);
  lv2_atom_forge_pop(&forge, &obj);
  ck_assert(read_all());
  ck_assert_uint_eq(count, 1);
  ck_assert(!replies[0].has_seq);
  ck_assert_int_eq(replies[0].status, 0);
  ck_assert_uint_eq(replies[0].type, u->patch_Ack);
}
END_TEST

START_TEST(test_sequence_number_too_short_is_absent)
{
  // An atom:Int whose size is 0: its body is the next atom's header.
  LV2_Atom_Forge_Frame obj;
  begin(&obj, u->patch_Ack);
  lv2_atom_forge_key(&forge, u->patch_sequenceNumber);
  const LV2_Atom empty = {0, u->atom_Int};
  lv2_atom_forge_raw(&forge, &empty, sizeof(empty));
  lv2_atom_forge_key(&forge, u->strata_message);
  lv2_atom_forge_string(&forge, "done", 4);
  lv2_atom_forge_pop(&forge, &obj);
  ck_assert(read_all());
  ck_assert_uint_eq(count, 1);
  ck_assert(!replies[0].has_seq);
  ck_assert_str_eq(replies[0].message, "done");
}
END_TEST

START_TEST(test_fields_of_right_type_are_read)
{
  LV2_Atom_Forge_Frame obj;
  LV2_Atom_Forge_Frame body;
  begin(&obj, u->patch_Put);
  lv2_atom_forge_key(&forge, u->patch_sequenceNumber);
  lv2_atom_forge_int(&forge, 42);
  lv2_atom_forge_key(&forge, u->rdf_value);
  lv2_atom_forge_int(&forge, 3);
  lv2_atom_forge_key(&forge, u->patch_body);
  lv2_atom_forge_object(&forge, &body, 0, 0);
  lv2_atom_forge_key(&forge, u->strata_patch);
  lv2_atom_forge_string(&forge, "node a osc\n", 11);
  lv2_atom_forge_key(&forge, u->strata_macro[0]);
  lv2_atom_forge_float(&forge, 0.25f);
  lv2_atom_forge_key(&forge, u->strata_macro[1]);
  lv2_atom_forge_int(&forge, 1);  // Wrong type: absent
  lv2_atom_forge_pop(&forge, &body);
  lv2_atom_forge_pop(&forge, &obj);
  ck_assert(read_all());
  ck_assert_uint_eq(count, 1);
  ck_assert(replies[0].has_seq);
  ck_assert_int_eq(replies[0].seq, 42);
  ck_assert_int_eq(replies[0].status, 3);
  ck_assert_str_eq(replies[0].patch, "node a osc\n");
  ck_assert(replies[0].macros[0] == 0.25f);
  ck_assert(isnan(replies[0].macros[1]));
  ck_assert(isnan(replies[0].macros[2]));
}
END_TEST

START_TEST(test_unterminated_string_is_bounded)
{
  LV2_Atom_Forge_Frame obj;
  begin(&obj, u->patch_Error);
  lv2_atom_forge_key(&forge, u->strata_error);
  const struct {
    LV2_Atom atom;
    char     text[8];
  } s = {{8, u->atom_String}, {'b', 'a', 'd', ' ', 'n', 'o', 'd', 'e'}};
  lv2_atom_forge_raw(&forge, &s, sizeof(s));
  lv2_atom_forge_key(&forge, u->strata_message);
  lv2_atom_forge_int(&forge, 5);  // A message that is not a string: absent
  lv2_atom_forge_pop(&forge, &obj);
  ck_assert(read_all());
  ck_assert_uint_eq(count, 1);
  ck_assert_str_eq(replies[0].message, "bad node");
}
END_TEST

START_TEST(test_event_past_the_sequence_is_an_error)
{
  LV2_Atom_Forge_Frame obj;
  begin(&obj, u->patch_Ack);
  lv2_atom_forge_key(&forge, u->patch_sequenceNumber);
  lv2_atom_forge_int(&forge, 1);
  lv2_atom_forge_pop(&forge, &obj);
  begin(&obj, u->patch_Ack);
  LV2_Atom* second = (LV2_Atom*)lv2_atom_forge_deref(&forge, obj.ref);
  lv2_atom_forge_key(&forge, u->patch_sequenceNumber);
  lv2_atom_forge_int(&forge, 2);
  lv2_atom_forge_pop(&forge, &obj);
  second->size += 64;  // Runs past the end of the sequence (into zeros, inside the buffer)
  ck_assert(!read_all());
  ck_assert_uint_eq(count, 1);  // The reply before it was read
  ck_assert_int_eq(replies[0].seq, 1);
}
END_TEST

int
main(void)
{
  Suite* s  = suite_create("host_replies");
  TCase* tc = tcase_create("read");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_sequence_number_of_wrong_type_is_absent);
  tcase_add_test(tc, test_sequence_number_too_short_is_absent);
  tcase_add_test(tc, test_fields_of_right_type_are_read);
  tcase_add_test(tc, test_unterminated_string_is_bounded);
  tcase_add_test(tc, test_event_past_the_sequence_is_an_error);
  suite_add_tcase(s, tc);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
