/* SPDX-License-Identifier: ISC */
/* Parameter controls: slider curves from the node tables, drags, typed
   values and how values are shown. */
#include "control.h"

#include "nodes/registry.h"

#include <check.h>
#include <math.h>

static const StParamSpec*
spec(const char* type, const char* name)
{
  const StNodeType* t = st_registry_find(type);
  const int         i = st_node_param_index(t, name);
  ck_assert_int_ge(i, 0);
  return &t->params[i];
}

START_TEST(hz_ranges_are_exponential)
{
  const StParamSpec* cutoff = spec("svf", "cutoff");  // 20..20000 Hz
  ck_assert_int_eq(st_ui_control_scale(cutoff), ST_UI_SCALE_LOG);
  const float middle = sqrtf(20.0f * 20000.0f);
  ck_assert_float_eq_tol(st_ui_control_fraction(cutoff, middle), 0.5f, 1e-5f);
  ck_assert_float_eq_tol(st_ui_control_value(cutoff, 0.5f), middle, 1e-2f);
  ck_assert_float_eq(st_ui_control_value(cutoff, 0), 20);
  ck_assert_float_eq(st_ui_control_value(cutoff, 1.5f), 20000);
  // From 0 Hz a cube: fine near 0.
  const StParamSpec* freq = spec("osc", "freq");
  ck_assert_int_eq(st_ui_control_scale(freq), ST_UI_SCALE_CUBIC);
  ck_assert_float_eq_tol(st_ui_control_value(freq, 0.5f), 2500, 1e-2f);
  ck_assert_float_eq_tol(st_ui_control_fraction(freq, 2500), 0.5f, 1e-5f);
  // No unit, no wide ratio: linear.
  const StParamSpec* res = spec("svf", "res");
  ck_assert_int_eq(st_ui_control_scale(res), ST_UI_SCALE_LINEAR);
  ck_assert_float_eq_tol(st_ui_control_value(res, 0.25f),
                         res->min + 0.25f * (res->max - res->min), 1e-6f);
}
END_TEST

START_TEST(whole_and_choice_values_snap)
{
  const StParamSpec* wave = spec("osc", "wave");
  ck_assert_float_eq(st_ui_control_value(wave, 0.3f), 1);  // 0.9 of 0..3
  ck_assert_float_eq(st_ui_control_value(wave, 0.6f), 2);
  const StParamSpec* voices = spec("poly", "voices");
  ck_assert_float_eq(st_ui_control_value(voices, 0.5f), 5);  // 4.5 rounds up
}
END_TEST

START_TEST(drag_and_fine_drag)
{
  const StParamSpec* cutoff = spec("svf", "cutoff");
  // 20 pixels are a tenth of the range: a tenth of the three decades.
  ck_assert_float_eq_tol(st_ui_control_drag(cutoff, 1000, 20, false), 1000 * powf(10, 0.3f),
                         0.05f);
  ck_assert_float_eq_tol(st_ui_control_drag(cutoff, 1000, 20, true), 1000 * powf(10, 0.03f),
                         0.01f);
  ck_assert_float_eq(st_ui_control_drag(cutoff, 1000, -1000, false), 20);
}
END_TEST

START_TEST(typed_values)
{
  char               error[128];
  float              v      = 0;
  const StParamSpec* cutoff = spec("svf", "cutoff");
  ck_assert(st_ui_control_parse(cutoff, "1.2k", &v, error, sizeof(error)));
  ck_assert_float_eq(v, 1200);
  ck_assert(st_ui_control_parse(cutoff, " 440 Hz", &v, error, sizeof(error)));
  ck_assert_float_eq(v, 440);
  ck_assert(!st_ui_control_parse(cutoff, "abc", &v, error, sizeof(error)));
  ck_assert_str_eq(error, "'abc' is not a number");
  ck_assert(!st_ui_control_parse(cutoff, "440 s", &v, error, sizeof(error)));
  ck_assert_str_eq(error, "'440 s' is not a number");
  ck_assert(!st_ui_control_parse(cutoff, "30000", &v, error, sizeof(error)));
  ck_assert_str_eq(error, "30000 is out of range 20..20000 Hz");
  const StParamSpec* wave = spec("osc", "wave");
  ck_assert(st_ui_control_parse(wave, "square", &v, error, sizeof(error)));
  ck_assert_float_eq(v, 2);
  ck_assert(!st_ui_control_parse(wave, "1.5", &v, error, sizeof(error)));
  ck_assert_str_eq(error, "'1.5' is not a whole number");
}
END_TEST

START_TEST(shown_values)
{
  char text[64];
  st_ui_control_format(spec("svf", "cutoff"), 1200, text, sizeof(text));
  ck_assert_str_eq(text, "1.2 kHz");
  st_ui_control_format(spec("svf", "cutoff"), 440, text, sizeof(text));
  ck_assert_str_eq(text, "440 Hz");
  st_ui_control_format(spec("osc", "wave"), 1, text, sizeof(text));
  ck_assert_str_eq(text, "saw");
  st_ui_control_format(spec("poly", "voices"), 8, text, sizeof(text));
  ck_assert_str_eq(text, "8");
  st_ui_control_format(spec("svf", "res"), 0.45f, text, sizeof(text));
  ck_assert_str_eq(text, "0.45");
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_control");
  TCase* c = tcase_create("control");
  tcase_add_test(c, hz_ranges_are_exponential);
  tcase_add_test(c, whole_and_choice_values_snap);
  tcase_add_test(c, drag_and_fine_drag);
  tcase_add_test(c, typed_values);
  tcase_add_test(c, shown_values);
  suite_add_tcase(s, c);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
