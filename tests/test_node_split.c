/* SPDX-License-Identifier: ISC */
/* Every registered type gives bit-identical output whatever the split of the
   run into sub-blocks, with parameters moving and MIDI arriving mid-run. */
#include "node_harness.h"
#include "registry.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define N 24000   // long enough for every smoothed parameter to settle after MOVE
#define MOVE 1000    // frame at which every free parameter gets a new target
#define EVENTS 2500  // frame at which MIDI arrives

/* New targets: 30 % of the way from each default toward its maximum. */
static void
move(NodeRig* rig)
{
  for (uint32_t i = 0; i < rig->type->n_params; ++i) {
    const StParamSpec* s = &rig->type->params[i];
    if (!(s->flags & (ST_PARAM_FIXED | ST_PARAM_CHOICE | ST_PARAM_INT))) {
      st_param_set(&rig->params[i], s->def + 0.3f * (s->max - s->def), false);
    }
  }
}

static void
play(NodeRig* rig)
{
  static const uint8_t msgs[][3] = {
    {0x90, 60, 100}, {0x90, 67, 80}, {0xE0, 0x00, 0x50}, {0x80, 60, 0}, {0xB0, 1, 64}};
  for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); ++i) {
    rig_event(rig, msgs[i], 3);
  }
}

/* Renders the type's outputs, one after the other, into `out`. */
static void
render(const StNodeType* t, float* const* in, float* out, uint32_t seed, bool linked)
{
  NodeRig* rig = rig_new(t, RATE, NULL);
  float*   outs[ST_MAX_OUTPUTS];
  for (uint32_t o = 0; o < t->n_outputs; ++o) {
    outs[o] = out + o * N;
  }
  for (int m = 0; m < ST_MACRO_SLOTS; ++m) {
    rig->host.macros[m] = 0.25f;
  }
  const RigSplit split  = seed ? rig_random_split : NULL;
  const size_t   cuts[] = {0, MOVE, EVENTS, N};
  for (int c = 0; c < 3; ++c) {
    const float* ins[ST_MAX_INPUTS];
    float*       o[ST_MAX_OUTPUTS];
    for (uint32_t i = 0; i < t->n_inputs; ++i) {
      ins[i] = linked ? in[i] + cuts[c] : NULL;
    }
    for (uint32_t k = 0; k < t->n_outputs; ++k) {
      o[k] = outs[k] + cuts[c];
    }
    rig->host_in[0] = in[ST_MAX_INPUTS - 2] + cuts[c];
    rig->host_in[1] = in[ST_MAX_INPUTS - 1] + cuts[c];
    if (cuts[c] == MOVE) {
      move(rig);
    } else if (cuts[c] == EVENTS && t->event) {
      play(rig);
    }
    rig_run(rig, ins, o, cuts[c + 1] - cuts[c], split, &seed);
  }
  rig_free(rig);
}

/* Inputs linked (`linked`) or all unlinked: the second case takes the fast
   paths that nodes use when nothing modulates them, once parameters settle. */
static void
check_split(const StNodeType* t, bool linked)
{
  float*            in[ST_MAX_INPUTS];
  uint32_t          s = 12345;
  for (uint32_t i = 0; i < ST_MAX_INPUTS; ++i) {
    in[i] = rig_buffer(N);
    for (size_t k = 0; k < N; ++k) {
      in[i][k] = (float)rig_random_split(&s) / ST_BLOCK * 2.0f - 1.0f;
    }
  }
  const size_t size = (t->n_outputs ? t->n_outputs : 1) * N;
  float*       ref  = rig_buffer(size);
  float*       got  = rig_buffer(size);
  render(t, in, ref, 0, linked);
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    render(t, in, got, seed * 7919u, linked);
    ck_assert_msg(!memcmp(ref, got, size * sizeof(float)), "%s (%s) differs with split seed %u",
                  t->name, linked ? "linked" : "unlinked", seed);
  }
  free(ref);
  free(got);
  for (uint32_t i = 0; i < ST_MAX_INPUTS; ++i) {
    free(in[i]);
  }
}

START_TEST(test_split_invariance)
{
  check_split(st_registry_at((size_t)_i), true);
}
END_TEST

START_TEST(test_split_invariance_unlinked)
{
  check_split(st_registry_at((size_t)_i), false);
}
END_TEST

static Suite*
split_suite(void)
{
  Suite* s = suite_create("node_split");
  TCase* t = tcase_create("registry");
  tcase_add_loop_test(t, test_split_invariance, 0, (int)st_registry_count());
  tcase_add_loop_test(t, test_split_invariance_unlinked, 0, (int)st_registry_count());
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(split_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
