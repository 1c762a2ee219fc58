/* SPDX-License-Identifier: ISC */
/* Parameter smoothing: a jump glides, per sample and bounded, to land exactly
   on the target without going subnormal. */
#include "param.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#define RATE 48000.0f

/* Glides from the current value to `target`, checking every step; returns
   the samples it took to settle. */
static uint32_t
glide(StParam* p, float target)
{
  const float from = p->value;
  const float jump = fabsf(target - from);
  // |jump| * coef, plus the rounding of one float step at these magnitudes.
  const float bound = jump * p->coef * (1.0f + 1e-5f) +
                      2.0f * FLT_EPSILON * fmaxf(fabsf(from), fabsf(target)) + FLT_MIN;
  st_param_set(p, target, false);
  if (p->coef < 1.0f && jump > 0.0f) {
    ck_assert(p->value == from); // No jump at set time
    ck_assert(!st_param_settled(p));
  }
  float    prev = from;
  uint32_t n    = 0;
  while (!st_param_settled(p)) {
    ck_assert_uint_lt(n, 100000);
    const float v = st_param_next(p);
    ck_assert_float_le(fabsf(v - prev), bound);             // Never a click
    ck_assert_float_le(fabsf(target - v), fabsf(target - prev)); // Always closer
    ck_assert((target - v) * (target - from) >= 0.0f);      // Never overshoots
    ck_assert_int_ne(fpclassify(v), FP_SUBNORMAL);
    ck_assert(v == p->value);
    prev = v;
    ++n;
  }
  ck_assert(p->value == target); // Exactly, not "about"
  return n;
}

START_TEST(test_step_parameter_jumps)
{
  StParam p;
  st_param_init(&p, 3.0f, 0.0f, RATE);
  ck_assert(p.coef == 1.0f);
  ck_assert(st_param_settled(&p));
  st_param_set(&p, 7.0f, false);
  ck_assert(p.value == 7.0f);
  ck_assert(st_param_settled(&p));
  ck_assert(st_param_next(&p) == 7.0f);
  // A nonsense rate or time also means a step, not a division by zero.
  st_param_init(&p, 1.0f, 0.01f, 0.0f);
  ck_assert(p.coef == 1.0f);
  st_param_init(&p, 1.0f, -1.0f, RATE);
  ck_assert(p.coef == 1.0f);
}
END_TEST

START_TEST(test_smoothing_reaches_target)
{
  StParam p;
  st_param_init(&p, 0.0f, 0.01f, RATE);
  ck_assert(p.value == 0.0f && p.target == 0.0f);
  ck_assert_float_eq_tol(p.coef, 1.0f - expf(-1.0f / 480.0f), 1e-9f);
  // 63 % of the way after one time constant.
  st_param_set(&p, 1.0f, false);
  for (int i = 0; i < 480; ++i) {
    st_param_next(&p);
  }
  ck_assert_float_eq_tol(p.value, 1.0f - expf(-1.0f), 2e-3f);
  st_param_init(&p, 0.0f, 0.01f, RATE);
  const uint32_t n = glide(&p, 1.0f);
  // About ln(1e6) time constants, then it lands exactly.
  ck_assert_uint_gt(n, 5000);
  ck_assert_uint_lt(n, 8000);
  // Once settled it stays put, at no cost.
  for (int i = 0; i < 1000; ++i) {
    ck_assert(st_param_next(&p) == 1.0f);
  }
}
END_TEST

START_TEST(test_many_jumps)
{
  StParam p;
  st_param_init(&p, 440.0f, 0.005f, RATE);
  const float targets[] = {20000.0f, 20.0f, -3.0f, 0.0f, 1e-3f, -1e4f, 0.5f, 0.5f, 0.0f};
  for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); ++i) {
    glide(&p, targets[i]);
  }
}
END_TEST

START_TEST(test_reversal_mid_glide)
{
  StParam p;
  st_param_init(&p, 0.0f, 0.01f, RATE);
  st_param_set(&p, 10.0f, false);
  for (int i = 0; i < 300; ++i) {
    st_param_next(&p);
  }
  const float mid = p.value;
  ck_assert_float_gt(mid, 0.0f);
  ck_assert_float_lt(mid, 10.0f);
  glide(&p, -10.0f); // Steps bounded by the new jump from where it was
}
END_TEST

START_TEST(test_snap)
{
  StParam p;
  st_param_init(&p, 0.0f, 0.05f, RATE);
  st_param_set(&p, 5.0f, true);
  ck_assert(p.value == 5.0f && p.target == 5.0f);
  ck_assert(st_param_settled(&p));
  st_param_set(&p, 6.0f, false);
  st_param_next(&p);
  st_param_set(&p, -2.0f, true);
  ck_assert(p.value == -2.0f);
  ck_assert(st_param_settled(&p));
}
END_TEST

START_TEST(test_no_subnormals_toward_zero)
{
  // Long time constants decay slowly through the small numbers: the landing
  // rule must cut in long before FLT_MIN.
  const float times[] = {0.0001f, 0.01f, 1.0f};
  for (int t = 0; t < 3; ++t) {
    StParam p;
    st_param_init(&p, 1.0f, times[t], RATE);
    st_param_set(&p, 0.0f, false);
    float smallest = 1.0f;
    for (uint32_t i = 0; i < 2000000 && !st_param_settled(&p); ++i) {
      const float v = st_param_next(&p);
      ck_assert_int_ne(fpclassify(v), FP_SUBNORMAL);
      if (v != 0.0f) {
        smallest = fminf(smallest, fabsf(v));
      }
    }
    ck_assert(st_param_settled(&p));
    ck_assert(p.value == 0.0f);
    ck_assert_float_gt(smallest, 1e-7f); // Landed from well above the subnormal range
  }
}
END_TEST

static Suite*
param_suite(void)
{
  Suite* s = suite_create("param");
  TCase* t = tcase_create("param");
  tcase_add_test(t, test_step_parameter_jumps);
  tcase_add_test(t, test_smoothing_reaches_target);
  tcase_add_test(t, test_many_jumps);
  tcase_add_test(t, test_reversal_mid_glide);
  tcase_add_test(t, test_snap);
  tcase_add_test(t, test_no_subnormals_toward_zero);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(param_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
