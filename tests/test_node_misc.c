/* SPDX-License-Identifier: ISC */
/* Behaviour of the simpler nodes: delay timing, envelope stages, panning
   law, arithmetic. */
#include "node_harness.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

#define RATE 48000.0f

/* An impulse through a dry-less delay comes out `time` later: exactly on a
   sample for whole delays, split by the Hermite curve for fractional ones. */
START_TEST(test_delay_time)
{
  const StNodeType* t   = st_registry_find("delay");
  float             v[] = {0.015625f, 0.0f, 1.0f, 0.1f, 0.0f, 0.0f};  // 750 samples, dry-less, free
  NodeRig*          rig = rig_new(t, RATE, v);
  float*            in  = rig_buffer(2048);
  float*            out = rig_buffer(2048);
  in[100]             = 1.0f;
  rig_run1(rig, in, out, 0, 2048);
  ck_assert_float_eq_tol(out[850], 1.0f, 1e-6f);
  ck_assert_float_eq_tol(out[849], 0.0f, 1e-6f);
  ck_assert_float_eq_tol(out[851], 0.0f, 1e-6f);
  rig_free(rig);
  v[0] = 750.5f / RATE;
  rig  = rig_new(t, RATE, v);
  rig_run1(rig, in, out, 0, 2048);
  ck_assert_float_eq_tol(out[850], 0.5625f, 1e-4f);  // Hermite half-way weights
  ck_assert_float_eq_tol(out[851], 0.5625f, 1e-4f);
  ck_assert_float_eq_tol(out[849], -0.0625f, 1e-4f);
  rig_free(rig);
  free(in);
  free(out);
}
END_TEST

/* The attack reaches 1 in about `a`, the decay settles on `s`, the release
   falls to exactly 0 in about `r`. */
START_TEST(test_adsr_stages)
{
  const StNodeType* t    = st_registry_find("adsr");
  float             v[]  = {0.01f, 0.05f, 0.5f, 0.1f, 0.0f};
  NodeRig*          rig  = rig_new(t, RATE, v);
  const size_t      n    = 24000;
  float*            gate = rig_buffer(n);
  float*            out  = rig_buffer(n);
  for (size_t i = 0; i < 9600; ++i) {
    gate[i] = 1.0f;
  }
  rig_run1(rig, gate, out, 0, n);
  size_t top = 0;
  while (top < n && out[top] < 1.0f) {
    ++top;
  }
  ck_assert_msg(fabs((double)top - 480.0) < 10.0, "attack took %zu samples", top);
  ck_assert_float_eq_tol(out[9599], 0.5f, 1e-6f);
  size_t end = 9600;
  while (end < n && out[end] > 0.0f) {
    ++end;
  }
  ck_assert_msg(end - 9600 > 4000 && end - 9600 < 6000, "release took %zu samples", end - 9600);
  ck_assert_float_eq(out[n - 1], 0.0f);
  rig_free(rig);
  free(gate);
  free(out);
}
END_TEST

/* shape=linear: straight ramps, 0 to 1 in a, 1 to s in d, level to 0 in r,
   as the P3 benchmark envelope (bench/peers/spec.py) needs. */
START_TEST(test_adsr_linear)
{
  const StNodeType* t    = st_registry_find("adsr");
  float             v[]  = {0.01f, 0.1f, 0.5f, 0.15f, 1.0f};
  NodeRig*          rig  = rig_new(t, RATE, v);
  const size_t      n    = 24000;
  float*            gate = rig_buffer(n);
  float*            out  = rig_buffer(n);
  for (size_t i = 0; i < 14400; ++i) {
    gate[i] = 1.0f;
  }
  rig_run1(rig, gate, out, 0, n);
  ck_assert_float_eq_tol(out[239], 0.5f, 1e-4f);   // half way up after 5 ms
  ck_assert_float_eq(out[479], 1.0f);              // top after 10 ms
  ck_assert_float_eq_tol(out[479 + 2400], 0.75f, 1e-3f); // half way down the decay
  ck_assert_float_eq(out[479 + 4800 + 1], 0.5f);   // sustain after 100 ms more
  ck_assert_float_eq(out[14399], 0.5f);
  ck_assert_float_eq_tol(out[14399 + 3600], 0.25f, 1e-3f); // release: half way in 75 ms
  ck_assert_float_eq(out[14399 + 7200 + 1], 0.0f);          // 0 after 150 ms
  rig_free(rig);
  free(gate);
  free(out);
}
END_TEST

/* left^2 + right^2 = in^2 everywhere; the centre is -3 dB on each side. */
START_TEST(test_pan_equal_power)
{
  for (int k = 0; k <= 8; ++k) {
    NodeRig*    rig = rig_new(st_registry_find("pan"), RATE, NULL);
    const float pos = -1.0f + 0.25f * (float)k;
    float       in[4] = {1, 1, 1, 1}, l[4], r[4];
    rig_snap(rig, "pan", pos);
    const float* ins[]  = {in, NULL};
    float*       outs[] = {l, r};
    rig_run(rig, ins, outs, 4, NULL, NULL);
    ck_assert_float_eq_tol(l[3] * l[3] + r[3] * r[3], 1.0f, 1e-6f);
    if (k == 4) {
      ck_assert_float_eq_tol(l[3], sqrtf(0.5f), 1e-6f);
    }
    rig_free(rig);
  }
}
END_TEST

START_TEST(test_math_ops)
{
  static const float want[] = {5.0f, -1.0f, 6.0f, 2.0f, 2.0f, 3.0f};  // a = 2, b = 3
  for (int op = 0; op < 6; ++op) {
    NodeRig* rig = rig_new(st_registry_find("math"), RATE, NULL);
    float    a[1] = {2}, b[1] = {3}, y[1];
    rig_snap(rig, "op", (float)op);
    rig_snap(rig, "scale", 0.5f);
    rig_snap(rig, "offset", 1.0f);
    const float* ins[]  = {a, b};
    float*       outs[] = {y};
    rig_run(rig, ins, outs, 1, NULL, NULL);
    ck_assert_float_eq_tol(y[0], want[op] * 0.5f + 1.0f, 1e-6f);
    rig_free(rig);
  }
}
END_TEST

static Suite*
misc_suite(void)
{
  Suite* s = suite_create("node_misc");
  TCase* t = tcase_create("behaviour");
  tcase_add_test(t, test_delay_time);
  tcase_add_test(t, test_adsr_stages);
  tcase_add_test(t, test_adsr_linear);
  tcase_add_test(t, test_pan_equal_power);
  tcase_add_test(t, test_math_ops);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(misc_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
