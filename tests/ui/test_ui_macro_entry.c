/* SPDX-License-Identifier: ISC */
/* The "map to macro" entry: the range, curve and label a new map starts
   from, and how a typed entry reads, in the patch format's own syntax. */
#include "control.h"

#include "nodes/registry.h"

#include <check.h>
#include <string.h>

static const StParamSpec*
spec(const char* type, const char* name)
{
  const StNodeType* t = st_registry_find(type);
  const int         i = st_node_param_index(t, name);
  ck_assert_int_ge(i, 0);
  return &t->params[i];
}

/* Reads `text` for `p`; it must read. */
static StUiMapEntry
good(const StParamSpec* p, const char* text)
{
  StUiMapEntry e;
  char         error[128] = "";
  ck_assert_msg(st_ui_control_parse_map(p, text, &e, error, sizeof(error)), "'%s': %s", text,
                error);
  return e;
}

/* `text` must be refused with exactly `why`, leaving the entry as it was. */
static void
bad(const StParamSpec* p, const char* text, const char* why)
{
  StUiMapEntry e          = {.min = 7, .max = 8, .curve = ST_CURVE_LINEAR, .label = "kept"};
  char         error[128] = "";
  ck_assert_msg(!st_ui_control_parse_map(p, text, &e, error, sizeof(error)), "'%s' read", text);
  ck_assert_str_eq(error, why);
  ck_assert(e.min == 7 && e.max == 8 && !strcmp(e.label, "kept"));
}

START_TEST(defaults_are_the_whole_range)
{
  char text[96];
  st_ui_control_map_default(spec("svf", "cutoff"), text, sizeof(text));
  ck_assert_str_eq(text, "20..20000 exp \"cutoff\"");
  st_ui_control_map_default(spec("osc", "freq"), text, sizeof(text));
  ck_assert_str_eq(text, "0..20000 lin \"freq\"");
  st_ui_control_map_default(spec("svf", "res"), text, sizeof(text));
  const StUiMapEntry e = good(spec("svf", "res"), text);
  ck_assert(e.min == spec("svf", "res")->min && e.max == spec("svf", "res")->max);
  ck_assert_int_eq(e.curve, ST_CURVE_LINEAR);
  ck_assert_str_eq(e.label, "res");
}
END_TEST

START_TEST(good_entries)
{
  const StParamSpec* cutoff = spec("svf", "cutoff");
  StUiMapEntry       e      = good(cutoff, "80..12000 exp \"Cutoff\"");
  ck_assert(e.min == 80 && e.max == 12000);
  ck_assert_int_eq(e.curve, ST_CURVE_EXPONENTIAL);
  ck_assert_str_eq(e.label, "Cutoff");
  e = good(cutoff, "  1e2 .. 2e3 ");  // Blanks anywhere; lin and no label by default
  ck_assert(e.min == 100 && e.max == 2000);
  ck_assert_int_eq(e.curve, ST_CURVE_LINEAR);
  ck_assert_str_eq(e.label, "");
  e = good(cutoff, "12000..80 lin \"Close \\\"it\\\" \\x41\"");  // Falling, escapes
  ck_assert(e.min == 12000 && e.max == 80);
  ck_assert_str_eq(e.label, "Close \"it\" A");
  e = good(cutoff, "80..12000\"Open\"");
  ck_assert_str_eq(e.label, "Open");
}
END_TEST

START_TEST(bad_entries)
{
  const StParamSpec* cutoff = spec("svf", "cutoff");
  bad(cutoff, "", "expected the minimum, found end of line");
  bad(cutoff, "low..high", "expected the minimum, found 'low..high'");
  bad(cutoff, "80-12000", "expected '..' between min and max, found '-12000'");
  bad(cutoff, "80..", "expected the maximum, found end of line");
  bad(cutoff, "1.2.3..4", "bad number '1.2.3..4'");
  bad(cutoff, "80..12000Hz", "bad number '12000Hz'");
  bad(cutoff, "10..12000", "10 is out of range 20..20000 Hz");
  bad(cutoff, "80..5e4", "5e4 is out of range 20..20000 Hz");
  bad(cutoff, "80..12000 log", "expected lin, exp or a \"label\", found 'log'");
  bad(cutoff, "80..12000 exp \"Cutoff", "label has no closing '\"'");
  bad(cutoff, "80..12000 \"a\\qb\"", "bad escape in label: use \\\", \\\\ or \\xHH");
  bad(cutoff, "80..12000 \"\\x00\"", "a label cannot hold a zero byte");
  bad(cutoff, "80..12000 \"0123456789012345678901234567890123\"",
      "label is too long (at most 31 bytes)");
  bad(cutoff, "80..12000 exp \"A\" x", "expected the end, found 'x'");
  bad(spec("osc", "freq"), "0..1000 exp", "exp needs min and max of one sign, not 0");
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_macro_entry");
  TCase* c = tcase_create("macro_entry");
  tcase_add_test(c, defaults_are_the_whole_range);
  tcase_add_test(c, good_entries);
  tcase_add_test(c, bad_entries);
  suite_add_tcase(s, c);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
