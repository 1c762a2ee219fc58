/* SPDX-License-Identifier: ISC */
/* Bad host audio never reaches the host's output and never latches. Every
   preset, with notes playing, gets a burst of NaN, +-infinity, +-1e30 or
   subnormals on both audio inputs; a twin instance gets, instead of the
   burst, what the engine makes of such samples at its input (0 for NaN,
   infinities and subnormals, +-ST_IO_LIMIT = 64 for larger finite values).
   The output is always
   finite and within +-64, and it is the twin's, sample for sample. */
#include "bad_samples.h"
#include "plugin_host.h"

#include <check.h>
#include <lv2/presets/presets.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE     48000
#define BEFORE   (RATE / 2)   // clean input first, so that delays and reverbs are full
#define BURST    (RATE / 100) // 10 ms of bad samples
#define AFTER    RATE         // then a second of clean input
#define FRAMES   (BEFORE + BURST + AFTER)
#define BLOCK    256
#define IO_LIMIT 64.0f        // ST_IO_LIMIT of the engine
#define PI       3.14159265358979323846

static char     uris[32][256];
static uint32_t n_presets;

static int
by_name(const void* a, const void* b)
{
  return strcmp((const char*)a, (const char*)b);
}

static void
find_presets(void)
{
  if (n_presets) {
    return;
  }
  LilvWorld* world = ph_world();
  ck_assert_ptr_nonnull(ph_plugin());
  LilvNode*  type    = lilv_new_uri(world, LV2_PRESETS__Preset);
  LilvNodes* related = lilv_plugin_get_related(ph_plugin(), type);
  LILV_FOREACH (nodes, i, related) {
    const char* uri = lilv_node_as_uri(lilv_nodes_get(related, i));
    bool        dup = false;
    for (uint32_t k = 0; k < n_presets; ++k) {
      dup |= !strcmp(uris[k], uri);
    }
    if (!dup && n_presets < 32) {
      snprintf(uris[n_presets++], sizeof(uris[0]), "%s", uri);
    }
  }
  qsort(uris, n_presets, sizeof(uris[0]), by_name);
  lilv_nodes_free(related);
  lilv_node_free(type);
}

static float
twin_sample(int kind, uint32_t i)
{
  const float x = bad_sample(kind, i);
  return isfinite(x) && fabsf(x) > IO_LIMIT ? copysignf(IO_LIMIT, x) : 0.0f;
}

static float in_bad[2][FRAMES], in_twin[2][FRAMES];
static float out_bad[2][FRAMES], out_twin[2][FRAMES];

/* Tones with a little noise, about -6 dBFS, the burst in the middle. */
static void
make_inputs(int kind)
{
  uint32_t seed = 5;
  for (uint32_t i = 0; i < FRAMES; ++i) {
    seed               = seed * 1664525u + 1013904223u;
    const double noise = (double)((int32_t)seed >> 8) / 16777216.0;
    for (uint32_t c = 0; c < 2; ++c) {
      const float clean = (float)(0.45 * sin(2 * PI * (220.0 + 110.0 * c) * i / RATE) +
                                  0.02 * noise);
      const bool  burst = i >= BEFORE && i < BEFORE + BURST;
      in_bad[c][i]      = burst ? bad_sample(kind, i) : clean;
      in_twin[c][i]     = burst ? twin_sample(kind, i) : clean;
    }
  }
}

/* The preset, a chord held from the start, the input given. */
static void
render(const char* uri, float (*in)[FRAMES], float (*out)[FRAMES])
{
  PhHost* host = ph_new(NULL);
  ck_assert_msg(ph_load_preset(host, uri, false), "%s: cannot load", uri);
  ph_render(host, BLOCK, BLOCK, NULL, NULL);
  static const uint8_t chord[] = {48, 55, 60, 63};
  for (size_t k = 0; k < sizeof(chord); ++k) {
    ph_midi(host, 0, 0x90, chord[k], 100);
  }
  ph_set_input(host, in[0], in[1], FRAMES);
  ph_render(host, FRAMES, BLOCK, out[0], out[1]);
  ph_free(host);
}

START_TEST(test_preset_survives_bad_input)
{
  find_presets();
  ck_assert_uint_ge(n_presets, 8);
  if ((uint32_t)_i >= n_presets) {
    return;
  }
  const char* uri = uris[_i];
  for (int kind = 0; kind < N_KINDS; ++kind) {
    make_inputs(kind);
    render(uri, in_bad, out_bad);
    render(uri, in_twin, out_twin);
    float    peak  = 0.0f;
    uint32_t first = FRAMES; // First frame that differs from the twin
    for (uint32_t c = 0; c < 2; ++c) {
      for (uint32_t i = 0; i < FRAMES; ++i) {
        const float y = out_bad[c][i];
        if (!(isfinite(y) && fabsf(y) <= IO_LIMIT)) { // (no Check assertion per sample: slow)
          ck_abort_msg("%s, %s burst: channel %u frame %u is %g", uri, bad_kind_name(kind), c,
                       i, (double)y);
        }
        peak  = fmaxf(peak, fabsf(y));
        first = y != out_twin[c][i] && i < first ? i : first;
      }
    }
    printf("%-48s %-9s peak %8.3g, %s\n", uri, bad_kind_name(kind), (double)peak,
           first == FRAMES ? "the twin's output exactly" : "differs from the twin");
    ck_assert_msg(first == FRAMES, "%s, %s burst: differs from the twin from frame %u on", uri,
                  bad_kind_name(kind), first);
  }
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("plugin_nonfinite");
  TCase* t = tcase_create("bursts");
  tcase_set_timeout(t, 300);
  tcase_add_loop_test(t, test_preset_survives_bad_input, 0, 32);
  suite_add_tcase(s, t);
  SRunner* r = srunner_create(s);
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
