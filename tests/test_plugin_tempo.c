/* SPDX-License-Identifier: ISC */
/* The host's time:Position through the plugin: a transport node's quarter
   clock rises on the frame where the host puts a beat, in the form Ardour
   sends (bar, barBeat, no beat) and with time:beat, through tempo changes,
   a stop and a relocation; a position that is not numbers is refused with a
   message and changes nothing. */
#include "plugin_host.h"

#include <check.h>
#include <lv2/time/time.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define BLOCK 512
#define LEN (RATE * 2)

static float left[LEN];

/* Fields of a position; NAN leaves one out. */
typedef struct {
  double bar, bar_beat, beat, bpm, speed;
} Pos;

static void
send_position(PhHost* host, uint32_t frame, Pos p)
{
  LV2_Atom_Forge*      forge = ph_build(host);
  LV2_Atom_Forge_Frame obj;
  lv2_atom_forge_object(forge, &obj, 0, ph_urid(LV2_TIME__Position));
  if (!isnan(p.speed)) {
    lv2_atom_forge_key(forge, ph_urid(LV2_TIME__speed));
    lv2_atom_forge_float(forge, (float)p.speed);
  }
  if (!isnan(p.bpm)) {
    lv2_atom_forge_key(forge, ph_urid(LV2_TIME__beatsPerMinute));
    lv2_atom_forge_float(forge, (float)p.bpm);
  }
  lv2_atom_forge_key(forge, ph_urid(LV2_TIME__beatsPerBar));
  lv2_atom_forge_float(forge, 4.0f);
  lv2_atom_forge_key(forge, ph_urid(LV2_TIME__beatUnit));
  lv2_atom_forge_int(forge, 4);
  if (!isnan(p.bar)) {
    lv2_atom_forge_key(forge, ph_urid(LV2_TIME__bar));
    lv2_atom_forge_long(forge, (int64_t)p.bar);
  }
  if (!isnan(p.bar_beat)) {
    lv2_atom_forge_key(forge, ph_urid(LV2_TIME__barBeat));
    lv2_atom_forge_float(forge, (float)p.bar_beat);
  }
  if (!isnan(p.beat)) {
    lv2_atom_forge_key(forge, ph_urid(LV2_TIME__beat));
    lv2_atom_forge_double(forge, p.beat);
  }
  lv2_atom_forge_pop(forge, &obj);
  ph_send_built(host, frame);
}

/* A plugin running a quarter-note clock from the transport on its left output. */
static PhHost*
clock_host(void)
{
  const PhConfig config = {.rate = RATE};
  PhHost*        host   = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  ph_msg_replace(host, 1,
                 "node t transport bpm=100 division=quarter\n"
                 "link t.clock -> out.left\n");
  ph_render(host, 4096, BLOCK, NULL, NULL);  // Past the crossfade.
  ck_assert(ph_is_ack(ph_reply(host, 1)));
  ph_clear_replies(host);
  return host;
}

/* Frames where the left output rises through 0.5, after frame 0. */
static size_t
rises(size_t* at, size_t max)
{
  size_t n = 0;
  for (size_t i = 1; i < LEN; ++i) {
    if (left[i] > 0.5f && !(left[i - 1] > 0.5f) && n < max) {
      at[n++] = i;
    }
  }
  return n;
}

/* Ardour's form: bar 2, barBeat 0.5 at frame 100 of the first block, 150
   BPM (19200 frames a beat): the next beat comes 9600 frames later. */
START_TEST(test_bar_and_bar_beat)
{
  PhHost* host = clock_host();
  send_position(host, 100, (Pos){2, 0.5, NAN, 150, 1});
  ph_render(host, LEN, BLOCK, left, NULL);
  size_t at[16];
  ck_assert_uint_eq(rises(at, 16), 5);
  for (size_t k = 0; k < 5; ++k) {
    ck_assert_uint_eq(at[k], 100 + 9600 + 19200 * k);
  }
  ph_free(host);
}
END_TEST

/* time:beat on its own, then a tempo change alone (60 BPM) at a frame inside
   a block: the beat phase goes on from where it was, at the new rate. */
START_TEST(test_beat_and_tempo_change)
{
  PhHost* host = clock_host();
  send_position(host, 0, (Pos){NAN, NAN, 7.0, 120, 1});  // Beats every 24000
  // 30000 frames (the last block 304 long): beat 8.25.
  ph_render(host, 30000, BLOCK, left, NULL);
  send_position(host, 0, (Pos){NAN, NAN, NAN, 60, NAN});  // Now 48000 a beat
  ph_render(host, LEN, BLOCK, left, NULL);
  size_t at[16];
  // 0.75 beats to go to beat 9: 36000 frames.
  ck_assert_uint_eq(rises(at, 16), 2);
  ck_assert_uint_eq(at[0], 36000);
  ck_assert_uint_eq(at[1], 84000);
  ph_free(host);
}
END_TEST

/* Speed 0 stops the clock; a relocation while rolling starts the beat grid
   from the new position at the frame it arrives. */
START_TEST(test_stop_and_relocate)
{
  PhHost* host = clock_host();
  send_position(host, 0, (Pos){0, 0, NAN, 120, 0});
  ph_render(host, LEN, BLOCK, left, NULL);
  for (size_t i = 0; i < LEN; ++i) {
    ck_assert_float_eq(left[i], 0.0f);
  }
  send_position(host, 0, (Pos){10, 3.75, NAN, 120, 1});  // A quarter beat before bar 11
  ph_render(host, LEN, BLOCK, left, NULL);
  size_t at[16];
  ck_assert_uint_eq(rises(at, 16), 4);
  ck_assert_uint_eq(at[0], 6000);
  ck_assert_uint_eq(at[3], 6000 + 3 * 24000);
  ph_free(host);
}
END_TEST

/* A tempo that is a string: refused with a message, the clock runs on. */
START_TEST(test_bad_position_is_refused)
{
  PhHost* host = clock_host();
  send_position(host, 0, (Pos){0, 0, NAN, 120, 1});
  ph_render(host, 1000, BLOCK, NULL, NULL);
  LV2_Atom_Forge*      forge = ph_build(host);
  LV2_Atom_Forge_Frame obj;
  lv2_atom_forge_object(forge, &obj, 0, ph_urid(LV2_TIME__Position));
  lv2_atom_forge_key(forge, ph_urid(LV2_TIME__beatsPerMinute));
  lv2_atom_forge_string(forge, "fast", 4);
  lv2_atom_forge_pop(forge, &obj);
  ph_send_built(host, 0);
  send_position(host, 1, (Pos){NAN, NAN, NAN, -5, NAN});
  ph_render(host, 22000, BLOCK, left, NULL);
  ck_assert_uint_eq(ph_reply_count(host), 2);
  for (uint32_t r = 0; r < 2; ++r) {
    const PhReply* reply = ph_reply_at(host, r);
    ck_assert(ph_is_error(reply));
    ck_assert_str_eq(reply->message, "control: a time:Position with a property that is not a "
                                     "number or out of range (bpm and meter must be > 0) was "
                                     "ignored");
  }
  // Still 120 BPM from beat 0: the next beat at 24000, 1000 frames on.
  ph_render(host, LEN, BLOCK, left, NULL);
  size_t at[16];
  ck_assert_uint_ge(rises(at, 16), 1);
  ck_assert_uint_eq(at[0], 1000);
  ph_free(host);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("plugin_tempo");
  TCase* t = tcase_create("position");
  tcase_add_test(t, test_bar_and_bar_beat);
  tcase_add_test(t, test_beat_and_tempo_change);
  tcase_add_test(t, test_stop_and_relocate);
  tcase_add_test(t, test_bad_position_is_refused);
  suite_add_tcase(s, t);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
