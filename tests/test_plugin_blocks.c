/* SPDX-License-Identifier: ISC */
/* Host blocks of 1, 17, 64, 1000 and 4096 frames render identically with
   fixed controls: MIDI split at its frames, audio input, macros held. */
#include "plugin_host.h"

#include <check.h>

#include <stdlib.h>
#include <string.h>

#define FRAMES 24000

static const uint32_t block_sizes[] = {1, 17, 64, 1000, 4096};

/* A MIDI event at an absolute frame. */
typedef struct {
  uint32_t frame;
  uint8_t  msg[3];
} Note;

static const Note notes[] = {
  {100, {0x90, 57, 100}}, {5003, {0x90, 64, 90}}, {5003, {0x80, 57, 0}},
  {9999, {0xE0, 0, 80}},  {14000, {0x80, 64, 0}}, {17001, {0x90, 45, 127}},
};

static const char effect_patch[] =
  "node dly delay time=0.013 feedback=0.6 mix=0.5\n"
  "node lfo lfo rate=0.7\n"
  "node vcf svf cutoff=700 res=0.6\n"
  "link in.left -> dly.in\n"
  "link dly.out -> vcf.in\n"
  "link lfo.out -> vcf.cutoff\n"
  "link vcf.lp -> out.left\n"
  "link in.right -> out.right\n"
  "macro 1 vcf.res 0.1..0.9 lin \"Res\"\n";

static float input[2][FRAMES];
static float out[5][2][FRAMES];

static void
render(PhHost* host, uint32_t block, float (*dst)[FRAMES])
{
  size_t next = 0;
  for (uint32_t done = 0; done < FRAMES; done += block) {
    const uint32_t n = FRAMES - done < block ? FRAMES - done : block;
    for (; next < sizeof(notes) / sizeof(notes[0]) && notes[next].frame < done + n; ++next) {
      const Note* e = &notes[next];
      ph_midi(host, e->frame - done, e->msg[0], e->msg[1], e->msg[2]);
    }
    ph_render(host, n, n, dst[0] + done, dst[1] + done);
  }
}

static LilvState*
effect_state(void)
{
  PhHost* host = ph_new(NULL);
  ph_msg_replace(host, 1, effect_patch);
  ph_render(host, 256, 64, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 1)));
  LilvState* state = ph_save(host);
  ph_free(host);
  return state;
}

static void
check_blocks(const LilvState* state)
{
  uint32_t seed = 1;
  for (uint32_t i = 0; i < FRAMES; ++i) {
    seed        = seed * 1664525u + 1013904223u;
    input[0][i] = (float)((int32_t)seed >> 8) / 16777216.0f;
    input[1][i] = 0.5f * input[0][i];
  }
  for (size_t b = 0; b < 5; ++b) {
    PhHost* host = ph_new(NULL);
    ck_assert_ptr_nonnull(host);
    if (state) {
      ph_restore(host, state, false);
    }
    ph_set_macro(host, 0, 0.37f);
    ph_set_macro(host, 1, 0.8f);
    ph_set_input(host, input[0], input[1], FRAMES);
    render(host, block_sizes[b], out[b]);
    ph_free(host);
  }
  ck_assert(ph_finite(out[0][0], FRAMES));
  ck_assert_float_gt(ph_rms(out[2][0], FRAMES), 0.01f);
  for (size_t b = 0; b < 5; ++b) {
    for (int c = 0; c < 2; ++c) {
      for (uint32_t i = 0; i < FRAMES; ++i) {
        if (memcmp(&out[b][c][i], &out[2][c][i], sizeof(float))) {
          ck_abort_msg("block %u differs from block 64 at channel %d frame %u: %g vs %g",
                       block_sizes[b], c, i, (double)out[b][c][i], (double)out[2][c][i]);
        }
      }
    }
  }
}

START_TEST(test_synth_blocks_identical)
{
  check_blocks(NULL);
}
END_TEST

START_TEST(test_effect_blocks_identical)
{
  LilvState* state = effect_state();
  check_blocks(state);
  lilv_state_free(state);
}
END_TEST

static Suite*
blocks_suite(void)
{
  Suite* s = suite_create("plugin_blocks");
  TCase* t = tcase_create("blocks");
  tcase_add_test(t, test_synth_blocks_identical);
  tcase_add_test(t, test_effect_blocks_identical);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(blocks_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
