/* SPDX-License-Identifier: ISC */
/* Parameter smoothing: a jump of the vca gain ramps without zipper steps. */
#include "node_harness.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000.0f
#define N 9600
#define JUMP 1000

/* Runs a vca with gain 0 on `in`, jumping the gain to 1 at frame JUMP. */
static void
jump(const float* in, float* out)
{
  NodeRig* rig = rig_new(st_registry_find("vca"), RATE, NULL);
  rig_snap(rig, "gain", 0.0f);
  rig_run1(rig, in, out, 0, JUMP);
  rig_set(rig, "gain", 1.0f);
  rig_run1(rig, in + JUMP, out + JUMP, 0, N - JUMP);
  rig_free(rig);
}

/* The largest step the smoother allows for a unit jump: one sample of the
   one-pole, 1 - e^(-1/(tau rate)), plus float rounding. */
static double
allowed_step(void)
{
  const StNodeType* vca = st_registry_find("vca");
  const double      tau = vca->params[st_node_param_index(vca, "gain")].smooth;
  return (1.0 - exp(-1.0 / (tau * RATE))) * (1.0 + 1e-4);
}

/* With a constant input the output is the gain itself: it must rise every
   sample (a smooth ramp, no staircase) by no more than the allowed step, and
   reach the target within 1e-3 after 7 time constants. */
START_TEST(test_gain_jump_dc)
{
  float* in  = rig_buffer(N);
  float* out = rig_buffer(N);
  for (size_t i = 0; i < N; ++i) {
    in[i] = 1.0f;
  }
  jump(in, out);
  const double bound = allowed_step();
  double       worst = 0.0;
  size_t       bad   = 0;
  for (size_t i = 1; i < N; ++i) {
    const double d    = (double)out[i] - out[i - 1];
    const bool   flat = i > JUMP && i <= JUMP + 3360 && d <= 0.0;
    worst             = d > worst ? d : worst;
    bad               = (!bad && (d > bound || d < 0.0 || flat)) ? i : bad;
  }
  ck_assert_msg(!bad, "step %g at %zu (bound %g, rising)", (double)out[bad] - out[bad - 1], bad,
                bound);
  ck_assert(fabsf(out[N - 1] - 1.0f) < 1e-3f);
  printf("MEASURE vca smoothing max step: %.6f (bound %.6f)\n", worst, bound);
  free(in);
  free(out);
}
END_TEST

/* With a full-scale 1 kHz sine the step between samples may not exceed the
   sine's own largest step plus the allowed gain step. */
START_TEST(test_gain_jump_sine)
{
  float*       in   = rig_buffer(N);
  float*       out  = rig_buffer(N);
  const double w    = 2.0 * 3.14159265358979323846 * 1000.0 / RATE;
  for (size_t i = 0; i < N; ++i) {
    in[i] = (float)sin(w * (double)i);
  }
  jump(in, out);
  const double bound = 2.0 * sin(w / 2.0) + allowed_step();
  double       worst = 0.0;
  for (size_t i = 1; i < N; ++i) {
    const double d = fabs((double)out[i] - out[i - 1]);
    worst          = d > worst ? d : worst;
  }
  ck_assert_msg(worst <= bound, "step %g exceeds %g", worst, bound);
  free(in);
  free(out);
}
END_TEST

static Suite*
smooth_suite(void)
{
  Suite* s = suite_create("node_smooth");
  TCase* t = tcase_create("zipper");
  tcase_add_test(t, test_gain_jump_dc);
  tcase_add_test(t, test_gain_jump_sine);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(smooth_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
