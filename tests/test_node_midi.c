/* SPDX-License-Identifier: ISC */
/* MIDI nodes: mono last-note priority, and polyphonic allocation. */
#include "node_harness.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#define RATE 48000.0f
#define FRAMES 16

static float outs[3 * 8][FRAMES];

static void
send(NodeRig* rig, uint8_t status, uint8_t a, uint8_t b)
{
  const uint8_t msg[3] = {status, a, b};
  rig_event(rig, msg, 3);
}

/* Runs one sub-block; outputs land in `outs`. */
static void
step(NodeRig* rig)
{
  float* o[3 * 8];
  for (int i = 0; i < 3 * 8; ++i) {
    o[i] = outs[i];
  }
  rig_run(rig, NULL, o, FRAMES, NULL, NULL);
}

static void
expect_mono(float gate, int note, float vel)
{
  for (int i = 0; i < FRAMES; ++i) {
    ck_assert_float_eq(outs[0][i], gate);
    ck_assert_float_eq_tol(outs[1][i], (note - 69) / 12.0f, 1e-6f);
    ck_assert_float_eq_tol(outs[2][i], vel, 1e-6f);
  }
}

START_TEST(test_mono_last_note)
{
  NodeRig* m = rig_new(st_registry_find("midi"), RATE, NULL);
  step(m);
  expect_mono(0.0f, 69, 0.0f);
  send(m, 0x90, 60, 127);
  step(m);
  expect_mono(1.0f, 60, 1.0f);
  send(m, 0x90, 64, 64);
  step(m);
  expect_mono(1.0f, 64, 64 / 127.0f);
  send(m, 0x90, 67, 32);
  send(m, 0x80, 64, 0);  // a middle note leaves: 67 still sounds
  step(m);
  expect_mono(1.0f, 67, 32 / 127.0f);
  send(m, 0x90, 67, 0);  // note-on with velocity 0 is a note-off
  step(m);
  expect_mono(1.0f, 60, 1.0f);
  send(m, 0x80, 60, 0);
  step(m);
  expect_mono(0.0f, 60, 1.0f);  // the last note stays for the release
  rig_free(m);
}
END_TEST

START_TEST(test_mono_bend_and_channel)
{
  const StNodeType* t = st_registry_find("midi");
  float             v[] = {3.0f, 12.0f};  // channel 3, bend range an octave
  NodeRig*          m   = rig_new(t, RATE, v);
  send(m, 0x90, 69, 100);  // channel 1: ignored
  step(m);
  ck_assert_float_eq(outs[0][0], 0.0f);
  send(m, 0x92, 57, 100);
  send(m, 0xE2, 0x00, 0x00);  // full bend down: -1
  send(m, 0xB2, 1, 127);
  step(m);
  ck_assert_float_eq(outs[0][0], 1.0f);
  ck_assert_float_eq_tol(outs[1][0], -1.0f - 1.0f, 1e-6f);
  ck_assert_float_eq_tol(outs[3][0], -1.0f, 1e-6f);
  ck_assert_float_eq_tol(outs[4][0], 1.0f, 1e-6f);
  send(m, 0xB2, 123, 0);  // all notes off
  step(m);
  ck_assert_float_eq(outs[0][0], 0.0f);
  rig_free(m);
}
END_TEST

/* Checks voice v (0-based): gate over the block (or 0 then 1 when
   restarting) and pitch. */
static void
expect_voice(int v, int gate, int note)
{
  ck_assert_float_eq(outs[3 * v][FRAMES - 1], (float)(gate != 0));
  ck_assert_float_eq(outs[3 * v][0], (float)(gate == 1));
  ck_assert_float_eq_tol(outs[3 * v + 1][0], (note - 69) / 12.0f, 1e-6f);
}

START_TEST(test_poly_allocation)
{
  const StNodeType* t = st_registry_find("poly");
  float             v[] = {4.0f, 0.0f, 2.0f};  // 4 voices
  NodeRig*          p   = rig_new(t, RATE, v);
  send(p, 0x90, 60, 100);
  send(p, 0x90, 62, 100);
  send(p, 0x90, 64, 100);
  step(p);
  expect_voice(0, 1, 60);
  expect_voice(1, 1, 62);
  expect_voice(2, 1, 64);
  expect_voice(3, 0, 69);
  send(p, 0x80, 62, 0);
  step(p);
  expect_voice(1, 0, 62);  // released, pitch kept for the tail
  send(p, 0x90, 65, 100);  // round robin: the next voice after 2 is 3
  step(p);
  expect_voice(3, 1, 65);
  send(p, 0x90, 67, 100);  // wraps around: voice 1 is the free one
  step(p);
  expect_voice(1, 1, 67);
  send(p, 0x90, 71, 100);  // all held: steals the oldest (voice 0, note 60)
  step(p);
  expect_voice(0, 2, 71);  // gate drops for one sample, then holds
  send(p, 0x80, 60, 0);    // no voice plays 60 any more
  step(p);
  expect_voice(0, 1, 71);
  send(p, 0x80, 71, 0);
  step(p);
  expect_voice(0, 0, 71);
  for (int k = 4; k < 8; ++k) {
    expect_voice(k, 0, 69);  // beyond `voices`: silent
  }
  rig_free(p);
}
END_TEST

static Suite*
midi_suite(void)
{
  Suite* s = suite_create("node_midi");
  TCase* t = tcase_create("notes");
  tcase_add_test(t, test_mono_last_note);
  tcase_add_test(t, test_mono_bend_and_channel);
  tcase_add_test(t, test_poly_allocation);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(midi_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
