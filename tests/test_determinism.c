/* SPDX-License-Identifier: ISC */
/* Determinism: the same patch, input, MIDI, macro automation and edits give
   bit-identical output across runs, host block sizes (1, 17, 64, 1000,
   4096) and engine thread counts (1, 2, 4; STRATA_THREADS, with every level
   made parallel by STRATA_PARALLEL_THRESHOLD). Edits are sent at segment
   boundaries followed by an empty run(), so that they take effect at the
   same frame whatever the block size; MIDI and macro changes are events at
   absolute frames (sample-accurate). */
#include "edits.h"

#include <check.h>
#include <lv2/patch/patch.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE    48000
#define FRAMES  (4 * RATE)
#define SEGMENT 4800 ///< Frames between edit bursts

static const char patch[] =
  "node in input\n"
  "node lfo lfo rate=0.7\n"
  "node osc1 osc wave=saw freq=110\n"
  "node osc2 osc wave=square freq=165.5\n"
  "node nz noise\n"
  "node mix mixer g1=0.4 g2=0.3 g3=0.05 g4=0.5\n"
  "node vcf svf cutoff=1200 res=0.5\n"
  "node env adsr a=0.01 d=0.2 s=0.6 r=0.3\n"
  "node amp vca gain=0.5\n"
  "node dly delay time=0.13 feedback=0.4\n"
  "node pan pan\n"
  "link midi.pitch -> osc1.pitch\n"
  "link midi.gate -> env.gate\n"
  "link osc1.out -> mix.in1\n"
  "link osc2.out -> mix.in2\n"
  "link nz.out -> mix.in3\n"
  "link in.left -> mix.in4\n"
  "link mix.out -> vcf.in\n"
  "link lfo.out -> vcf.cutoff\n"
  "link vcf.lp -> amp.in\n"
  "link env.out -> amp.cv\n"
  "link amp.out -> dly.in\n"
  "link dly.out -> pan.in\n"
  "link pan.left -> out.left\n"
  "link pan.right -> out.right\n"
  "macro 1 vcf.cutoff 200..8000 exp \"Cutoff\"\n"
  "macro 2 vcf.res 0..0.9\n";

typedef struct {
  uint32_t frame;
  uint8_t  msg[3];
  int      macro; ///< >= 0: a macro Set of this slot (1-based) instead of MIDI
  float    value;
} Event;

static Event    events[4096];
static uint32_t n_events;
static float    input[2][FRAMES];
static float    ref[2][FRAMES];
static float    out[2][FRAMES];

static void
make_score(void)
{
  SkRng rng = {12345};
  n_events  = 0;
  for (uint32_t f = 0; f < FRAMES && n_events < 4096; f += 1 + sk_below(&rng, 900)) {
    Event* e = &events[n_events++];
    e->frame = f;
    e->macro = -1;
    switch (sk_below(&rng, 4)) {
    case 0: e->msg[0] = 0x90; e->msg[1] = (uint8_t)(36 + sk_below(&rng, 48)); e->msg[2] = 100; break;
    case 1: e->msg[0] = 0x80; e->msg[1] = (uint8_t)(36 + sk_below(&rng, 48)); e->msg[2] = 0; break;
    case 2: e->msg[0] = 0xE0; e->msg[1] = 0; e->msg[2] = (uint8_t)sk_below(&rng, 128); break;
    default:
      e->macro = 1 + (int)sk_below(&rng, 2);
      e->value = sk_unit(&rng);
      break;
    }
  }
  for (uint32_t i = 0; i < FRAMES; ++i) {
    input[0][i] = 0.3f * sinf((float)i * 0.013f);
    input[1][i] = 0.2f * sinf((float)i * 0.021f);
  }
}

static void
render(const char* threads, uint32_t block, float (*dst)[FRAMES])
{
  if (threads) {
    setenv("STRATA_THREADS", threads, 1);
    setenv("STRATA_PARALLEL_THRESHOLD", "1", 1);
  }
  PhHost* host = ph_new(NULL);
  unsetenv("STRATA_THREADS");
  unsetenv("STRATA_PARALLEL_THRESHOLD");
  ck_assert_ptr_nonnull(host);
  ph_msg_replace(host, 0, patch);
  ph_run(host, 0);
  ph_run(host, 0);
  ph_run(host, 0);
  ck_assert_msg(ph_is_ack(ph_reply(host, 0)), "patch refused: %s",
                ph_reply(host, 0) ? ph_reply(host, 0)->message : "no reply");
  ph_clear_replies(host);
  ph_set_input(host, input[0], input[1], FRAMES);

  SkRng       rng    = {99};
  SkModel*    model  = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, RATE);
  const SkMix mix    = {.garbage = false};
  ck_assert(sk_model_load(model, patch));
  SkDriver*   driver = sk_driver_new(host, model, &rng, &mix, 1000);
  uint32_t    next   = 0;
  for (uint32_t pos = 0; pos < FRAMES;) {
    if (pos % SEGMENT == 0 && pos) {
      sk_driver_before(driver, true);
      ph_run(host, 0); // Hands the edits to the worker: in effect from this frame.
      sk_driver_after(driver);
    }
    const uint32_t seg_end = (pos / SEGMENT + 1) * SEGMENT;
    uint32_t       n       = block < seg_end - pos ? block : seg_end - pos;
    for (; next < n_events && events[next].frame < pos + n; ++next) {
      const Event* e = &events[next];
      if (e->macro >= 0) {
        // A macro Set at its frame (no sequence number: no reply).
        LV2_Atom_Forge*      f = ph_build(host);
        LV2_Atom_Forge_Frame frame;
        char                 uri[64];
        snprintf(uri, sizeof(uri), "%s%d", STRATA__macro, e->macro);
        lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
        lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
        lv2_atom_forge_urid(f, ph_urid(uri));
        lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
        lv2_atom_forge_float(f, e->value);
        lv2_atom_forge_pop(f, &frame);
        ph_send_built(host, e->frame - pos);
      } else {
        ph_midi(host, e->frame - pos, e->msg[0], e->msg[1], e->msg[2]);
      }
    }
    ph_render(host, n, n, dst[0] + pos, dst[1] + pos);
    sk_driver_after(driver);
    pos += n;
  }
  ck_assert_uint_eq(sk_driver_stats(driver)->contradictions, 0);
  ck_assert_uint_gt(sk_driver_stats(driver)->acked, 10);
  sk_driver_free(driver);
  sk_model_free(model);
  ph_free(host);
}

static void
expect_same(const char* what)
{
  for (int c = 0; c < 2; ++c) {
    for (uint32_t i = 0; i < FRAMES; ++i) {
      if (memcmp(&out[c][i], &ref[c][i], sizeof(float))) {
        ck_abort_msg("%s: channel %d differs first at frame %u (%.9g, reference %.9g)", what, c,
                     i, (double)out[c][i], (double)ref[c][i]);
      }
    }
  }
  ck_assert(ph_finite(ref[0], FRAMES) && ph_rms(ref[0], FRAMES) > 1e-4f);
}

START_TEST(test_blocks_and_threads)
{
  static const uint32_t blocks[]  = {17, 1, 1000, 4096};
  static const char*    threads[] = {"2", "4"};
  make_score();
  render(NULL, 64, ref);
  render(NULL, 64, out);
  expect_same("second run");
  for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); ++b) {
    char what[64];
    snprintf(what, sizeof(what), "block %u", blocks[b]);
    render(NULL, blocks[b], out);
    expect_same(what);
  }
  for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); ++t) {
    for (uint32_t b = 64; b <= 1000; b += 936) {
      char what[64];
      snprintf(what, sizeof(what), "%s threads, block %u", threads[t], b);
      render(threads[t], b, out);
      expect_same(what);
    }
  }
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("determinism");
  TCase* t = tcase_create("determinism");
  tcase_set_timeout(t, 600);
  tcase_add_test(t, test_blocks_and_threads);
  suite_add_tcase(s, t);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
