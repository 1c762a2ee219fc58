/* SPDX-License-Identifier: ISC */
/* The voice count of a group changed while keys are held and blocks render:
   st_engine_set_param() on the control side rebuilds the running graph, and
   the audio thread (st_engine_begin, st_engine_event, st_engine_process)
   swaps it in and crossfades without one allocation, lock, wait, sleep or
   file call (trap.c). Host blocks of 64 frames, and of 100, whose sub-blocks
   end on multiples of 64 and on the crossfade's last frame. */
#include "engine.h"
#include "patch.h"
#include "trap.h"
#include "voices.h"

#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE        48000
#define EDIT_EVERY  40 // Host blocks between count changes: past the crossfade at 64 frames
#define CHANGES     24
#define VOICE_NODES 6  // Per copy: the voice input and the definition's five nodes

static const char saw_voices[] =
  "subpatch voice\n"
  "  inlet gate pitch velocity\n"
  "  outlet out\n"
  "  node osc osc wave=saw\n"
  "  node vcf svf cutoff=2000 res=0.2\n"
  "  node env adsr a=0.005 d=0.1 s=0.6 r=0.05\n"
  "  node amp vca\n"
  "  node vel vca\n"
  "  link pitch -> osc.pitch\n"
  "  link gate -> env.gate\n"
  "  link osc.out -> vcf.in\n"
  "  link vcf.lp -> amp.in\n"
  "  link env.out -> amp.cv\n"
  "  link amp.out -> vel.in\n"
  "  link velocity -> vel.cv\n"
  "  link vel.out -> out\n"
  "end\n"
  "voices v voice count=16\n"
  "link v.out -> out.left\n"
  "link v.out -> out.right\n";

static const uint32_t counts[] = {8, 32, 4, 16, 1, 24};

static float left[128], right[128];

static const uint8_t chord[3][3] = {{0x90, 48, 100}, {0x90, 52, 100}, {0x90, 55, 100}};

/* One host block on the audio thread, trapped: the chord struck on block 0
   of each count, a note or two, then render. */
static void
audio_block(StEngine* e, uint32_t frames, uint32_t b)
{
  float* const out[2] = {left, right};
  trap_arm(true);
  st_engine_begin(e);
  for (int k = 0; k < 3 && b == 0; ++k) {
    st_engine_event(e, chord[k], 3);
  }
  if (b % 7 == 3) { // Keys go up and down while the chord stays held
    const uint8_t on[3]  = {0x90, (uint8_t)(72 + b % 12), 90};
    const uint8_t off[3] = {0x80, (uint8_t)(72 + (b + 5) % 12), 0};
    st_engine_event(e, on, 3);
    st_engine_event(e, off, 3);
  }
  st_engine_process(e, NULL, out, frames);
  trap_arm(false);
}

static void
change_counts_while_playing(uint32_t frames)
{
  StStatus             st;
  const StEngineConfig config = {.rate = RATE, .threads = 1};
  StEngine*            e      = st_engine_new(&config, &st);
  ck_assert_ptr_nonnull(e);
  StGraph*     model = st_engine_new_model(e);
  StPatchError err;
  ck_assert_msg(st_patch_parse(saw_voices, strlen(saw_voices), NULL, model, &err) == ST_OK,
                "%s", err.message);
  ck_assert_int_eq(st_engine_swap(e, model), ST_OK);
  const StHandle v = st_graph_find(st_engine_model(e), "v");
  for (uint32_t b = 0; b < EDIT_EVERY; ++b) {
    audio_block(e, frames, b);
  }
  const uint32_t shared = st_engine_running(e)->arena.count - 16 * VOICE_NODES;
  trap_reset();
  uint64_t blocks = 0;
  float    peak   = 0.0f;
  for (uint32_t c = 0; c < CHANGES; ++c) {
    const uint32_t count = counts[c % 6];
    st_engine_collect(e); // Control side: what the audio thread retired
    ck_assert_msg(st_engine_set_param(e, v, ST_GROUP_COUNT, (float)count) == ST_OK, "%s",
                  st_engine_error(e));
    for (uint32_t b = 0; b < EDIT_EVERY; ++b, ++blocks) {
      audio_block(e, frames, b);
      for (uint32_t i = 0; i < frames; ++i) {
        peak = fabsf(left[i]) > peak ? fabsf(left[i]) : peak;
      }
    }
    // The audio thread runs the new graph: `count` copies of the voice.
    ck_assert_uint_eq(st_engine_running(e)->arena.count, shared + count * VOICE_NODES);
  }
  char calls[2048];
  trap_describe(calls, sizeof(calls));
  printf("host blocks of %u frames: %d voice count changes, %llu blocks; forbidden calls on "
         "the audio thread: %s\n",
         frames, CHANGES, (unsigned long long)blocks, calls);
  ck_assert(trap_allocation_hooked());
  ck_assert_msg(trap_count() == 0, "forbidden calls on the audio thread: %s", calls);
  ck_assert_float_gt(peak, 0.05f); // It played throughout
  st_engine_free(e);
}

START_TEST(test_voice_count_changes_in_blocks_of_64)
{
  change_counts_while_playing(64);
}
END_TEST

START_TEST(test_voice_count_changes_in_blocks_of_100)
{
  change_counts_while_playing(100);
}
END_TEST

int
main(void)
{
  Suite* s  = suite_create("rt_voice_count");
  TCase* tc = tcase_create("core");
  tcase_add_test(tc, test_voice_count_changes_in_blocks_of_64);
  tcase_add_test(tc, test_voice_count_changes_in_blocks_of_100);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
