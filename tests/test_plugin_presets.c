/* SPDX-License-Identifier: ISC */
/* Every preset loads through lilv and sounds: a synth preset played by MIDI
   renders finite, non-silent audio without clipping; an effect preset passes
   its input through. Each names its macros. Prints a level table. */
#include "plugin_host.h"

#include <check.h>
#include <lv2/presets/presets.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE   48000
#define FRAMES (RATE * 4)
#define BLOCK  256
#define PI     3.14159265358979323846

static float out[2][FRAMES];
static float in[2][FRAMES];

typedef struct {
  char uri[256];
  char label[128];
} Preset;

static Preset   presets[32];
static uint32_t n_presets;

static int
by_uri(const void* a, const void* b)
{
  return strcmp(((const Preset*)a)->uri, ((const Preset*)b)->uri);
}

static void
find_presets(void)
{
  LilvWorld* world = ph_world();
  ck_assert_ptr_nonnull(ph_plugin());
  LilvNode*  type    = lilv_new_uri(world, LV2_PRESETS__Preset);
  LilvNode*  label   = lilv_new_uri(world, "http://www.w3.org/2000/01/rdf-schema#label");
  LilvNodes* related = lilv_plugin_get_related(ph_plugin(), type);
  n_presets          = 0;
  LILV_FOREACH (nodes, i, related) {
    const LilvNode* p   = lilv_nodes_get(related, i);
    bool            dup = false;
    for (uint32_t k = 0; k < n_presets; ++k) {
      dup |= !strcmp(presets[k].uri, lilv_node_as_uri(p));
    }
    if (dup) {
      continue;
    }
    lilv_world_load_resource(world, p);
    LilvNode* l = lilv_world_get(world, p, label, NULL);
    snprintf(presets[n_presets].uri, sizeof(presets[0].uri), "%s", lilv_node_as_uri(p));
    snprintf(presets[n_presets].label, sizeof(presets[0].label), "%s",
             l ? lilv_node_as_string(l) : "?");
    lilv_node_free(l);
    if (++n_presets == 32) {
      break;
    }
  }
  qsort(presets, n_presets, sizeof(Preset), by_uri);
  lilv_nodes_free(related);
  lilv_node_free(label);
  lilv_node_free(type);
}

/* A test input: plucked tones with a little noise, about -6 dBFS. */
static void
make_input(void)
{
  uint32_t seed = 5;
  for (uint32_t i = 0; i < FRAMES; ++i) {
    const uint32_t n   = i % (RATE / 2);
    const double   f   = (i / (RATE / 2)) % 2 ? 330.0 : 220.0;
    const double   env = exp(-(double)n / (0.15 * RATE));
    seed               = seed * 1664525u + 1013904223u;
    const double noise = (double)((int32_t)seed >> 8) / 16777216.0;
    in[0][i] = (float)(0.45 * env * sin(2 * PI * f * n / RATE) + 0.02 * noise);
    in[1][i] = (float)(0.45 * env * sin(2 * PI * f * 1.5 * n / RATE) + 0.02 * noise);
  }
}

static char*
get_patch(PhHost* host)
{
  ph_msg_get(host, 99);
  ph_render(host, 4 * 64, 64, NULL, NULL);
  const PhReply* r = ph_reply(host, 99);
  ck_assert_ptr_nonnull(r);
  char* text = strdup(r->patch);
  ph_clear_replies(host);
  return text;
}

static bool
is_effect(const char* text)
{
  return strstr(text, "in.left") || strstr(text, "in.right");
}

/* Notes at 0.5 s spacing: a chord for the first second, then a line. */
static void
play(PhHost* host)
{
  static const uint8_t chord[] = {48, 55, 60, 63};
  static const uint8_t line[]  = {45, 52, 57, 60, 64, 57};
  uint32_t             done    = 0;
  for (uint32_t b = 0; done < FRAMES; ++b) {
    const uint32_t t = done;
    if (t == 0) {
      for (size_t k = 0; k < sizeof(chord); ++k) {
        ph_midi(host, 0, 0x90, chord[k], 100);
      }
    } else if (t == RATE) {
      for (size_t k = 0; k < sizeof(chord); ++k) {
        ph_midi(host, 0, 0x80, chord[k], 0);
      }
    } else if (t > RATE && (t - RATE) % (RATE / 4) == 0) {
      const uint32_t k = (t - RATE) / (RATE / 4);
      if (k % 2 == 0 && k / 2 < sizeof(line)) {
        ph_midi(host, 0, 0x90, line[k / 2], 110);
      } else if (k % 2 == 1 && k / 2 < sizeof(line)) {
        ph_midi(host, 0, 0x80, line[k / 2], 0);
      }
    }
    ph_render(host, 1000, 1000, out[0] + done, out[1] + done);
    done += 1000;
    (void)b;
  }
}

static double
db(double x)
{
  return x > 0 ? 20.0 * log10(x) : -INFINITY;
}

/* The bundle's presets, all of them: the 17 first ones and the three that
   show voice groups (Unison Supersaw, MPE Lead, Percussion Kit 32). */
START_TEST(test_every_preset_found)
{
  static const char* const voice_groups[] = {"Unison Supersaw", "MPE Lead", "Percussion Kit 32"};
  find_presets();
  ck_assert_uint_eq(n_presets, 20);
  for (size_t k = 0; k < sizeof(voice_groups) / sizeof(voice_groups[0]); ++k) {
    bool found = false;
    for (uint32_t i = 0; i < n_presets; ++i) {
      found |= !strcmp(presets[i].label, voice_groups[k]);
    }
    ck_assert_msg(found, "no preset '%s'", voice_groups[k]);
  }
}
END_TEST

START_TEST(test_preset_sounds)
{
  find_presets();
  if ((uint32_t)_i >= n_presets) {
    return;
  }
  const Preset* p    = &presets[_i];
  PhHost*       host = ph_new(NULL);
  ck_assert_msg(ph_load_preset(host, p->uri, _i % 2 == 1), "%s: cannot load", p->uri);
  ph_render(host, 64, 64, NULL, NULL);
  char* text = get_patch(host);
  ck_assert_msg(!strstr(text, "osc1 osc   wave=saw freq=441.2"), "%s: not loaded", p->label);

  // Macros with names.
  uint32_t macros = 0;
  for (const char* at = text; (at = strstr(at, "\nmacro ")); ++at) {
    const char* eol = strchr(at + 1, '\n');
    const char* q   = strchr(at + 1, '"');
    ck_assert_msg(q && (!eol || q < eol), "%s: a macro without a name", p->label);
    ++macros;
  }
  ck_assert_msg(macros >= 3, "%s: only %u macro maps", p->label, macros);

  const bool effect = is_effect(text);
  if (effect) {
    make_input();
    ph_set_input(host, in[0], in[1], FRAMES);
    ph_render(host, FRAMES, BLOCK, out[0], out[1]);
  } else {
    play(host);
  }
  const float peak = fmaxf(ph_peak(out[0], FRAMES), ph_peak(out[1], FRAMES));
  const float rms  = 0.5f * (ph_rms(out[0], FRAMES) + ph_rms(out[1], FRAMES));
  printf("| %-18s | %-6s | %6.1f dBFS | %6.1f dBFS |\n", p->label, effect ? "effect" : "synth",
         db(peak), db(rms));
  ck_assert_msg(ph_finite(out[0], FRAMES) && ph_finite(out[1], FRAMES), "%s: not finite", p->label);
  ck_assert_msg(rms > 0.01f, "%s: silent (rms %g)", p->label, (double)rms);
  ck_assert_msg(peak < 0.97f, "%s: clips (peak %g)", p->label, (double)peak);
  if (effect) {
    // The input comes through: output and input correlate.
    double xy = 0, xx = 0, yy = 0;
    for (uint32_t i = 0; i < FRAMES; ++i) {
      xy += (double)in[0][i] * out[0][i];
      xx += (double)in[0][i] * in[0][i];
      yy += (double)out[0][i] * out[0][i];
    }
    ck_assert_msg(xy / sqrt(xx * yy) > 0.2, "%s: input does not pass (corr %g)", p->label,
                  xy / sqrt(xx * yy));
  }
  free(text);
  ph_free(host);
}
END_TEST

static void
count_port_value(const char* symbol, void* data, const void* value, uint32_t size, uint32_t type)
{
  (void)symbol;
  (void)value;
  (void)size;
  (void)type;
  ++*(uint32_t*)data;
}

/* A host that never calls lilv_world_load_resource() (jalv 1.6.6's console
   `preset URI`; Ardour loading a preset it has not listed through the
   plugin): a fresh world that has read only the bundles' manifests must
   still give each preset whole, its port values and its strata:patch. */
START_TEST(test_preset_without_load_resource)
{
  find_presets();
  if ((uint32_t)_i >= n_presets) {
    return;
  }
  const Preset* p     = &presets[_i];
  LilvWorld*    world = lilv_world_new();
  lilv_world_load_all(world);
  LilvNode*  node  = lilv_new_uri(world, p->uri);
  LilvState* state = lilv_state_new_from_world(world, ph_map(), node);
  ck_assert_msg(state != NULL, "%s: no state from the manifest alone", p->label);
  uint32_t n_values = 0;
  lilv_state_emit_port_values(state, count_port_value, &n_values);
  ck_assert_msg(n_values > 0, "%s: the manifest alone gives no port values", p->label);

  // Restored into an instance, it plays the preset's patch, not the default.
  PhHost* fresh = ph_new(NULL);
  ph_restore(fresh, state, _i % 2 == 0);
  ph_render(fresh, 64, 64, NULL, NULL);
  char* restored = get_patch(fresh);
  PhHost* ref = ph_new(NULL);
  ck_assert(ph_load_preset(ref, p->uri, false));
  ph_render(ref, 64, 64, NULL, NULL);
  char* expected = get_patch(ref);
  ck_assert_msg(!strcmp(restored, expected), "%s: restored without load_resource:\n%s\nexpected:\n%s",
                p->label, restored, expected);
  free(restored);
  free(expected);
  ph_free(ref);
  ph_free(fresh);
  lilv_state_free(state);
  lilv_node_free(node);
  lilv_world_free(world);
}
END_TEST

static Suite*
presets_suite(void)
{
  Suite* s = suite_create("plugin_presets");
  TCase* t = tcase_create("presets");
  tcase_set_timeout(t, 300);
  tcase_add_test(t, test_every_preset_found);
  // One run per slot of presets[]: a run past the presets found passes.
  tcase_add_loop_test(t, test_preset_sounds, 0, (int)(sizeof(presets) / sizeof(presets[0])));
  tcase_add_loop_test(t, test_preset_without_load_resource, 0,
                      (int)(sizeof(presets) / sizeof(presets[0])));
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  printf("| preset             | kind   | peak        | RMS         |\n");
  SRunner* r = srunner_create(presets_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
