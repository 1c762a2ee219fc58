/* The palette: node types found by a few letters, ranked, with one-line docs. */
#include "palette.h"

#include "nodes/registry.h"

#include <check.h>
#include <string.h>

static size_t
search(const char* query, StUiPaletteItem* items)
{
  return st_ui_palette_search(query, items, 32);
}

START_TEST(empty_query_lists_every_type_in_reference_order)
{
  StUiPaletteItem items[32];
  const size_t    n = search("  ", items);
  ck_assert_uint_eq(n, st_registry_count());
  for (size_t i = 0; i < n; ++i) {
    ck_assert_ptr_eq(items[i].type, st_registry_at(i));
  }
}
END_TEST

START_TEST(exact_name_ranks_first_then_prefixes)
{
  StUiPaletteItem items[32];
  // "osc" is exact; nothing else starts with it, "biquad" or "lfo" say oscillator in their
  // docs.
  size_t n = search("OSC", items);
  ck_assert_uint_ge(n, 2);
  ck_assert_str_eq(items[0].type->name, "osc");
  ck_assert_int_gt(items[0].score, items[1].score);
  // "s": svf, sh, slew, shaper start with s; the shortest names come first.
  n = search("s", items);
  ck_assert_str_eq(items[0].type->name, "sh");
  ck_assert_str_eq(items[1].type->name, "svf");
  ck_assert_str_eq(items[2].type->name, "slew");
  ck_assert_str_eq(items[3].type->name, "shaper");
}
END_TEST

START_TEST(letters_in_order_match_a_name)
{
  StUiPaletteItem items[32];
  // "adr" is no substring of any name but a, d, r in order in "adsr".
  const size_t n = search("adr", items);
  ck_assert_uint_ge(n, 1);
  ck_assert_str_eq(items[0].type->name, "adsr");
}
END_TEST

START_TEST(family_and_doc_words_match_below_names)
{
  StUiPaletteItem items[32];
  size_t          n = search("envel", items);
  ck_assert_uint_ge(n, 2);
  // Both envelope types by family, before any doc-only match.
  ck_assert_str_eq(items[0].type->family, "Envelopes");
  ck_assert_str_eq(items[1].type->family, "Envelopes");
  for (size_t i = 2; i < n; ++i) {
    ck_assert_int_lt(items[i].score, items[1].score);
  }
  n = search("filter", items);
  ck_assert_uint_ge(n, 2);
  int svf = -1;
  for (size_t i = 0; i < n; ++i) {
    svf = strcmp(items[i].type->name, "svf") ? svf : (int)i;
  }
  ck_assert_int_ge(svf, 0);
  ck_assert_uint_eq(search("zzzz", items), 0);
}
END_TEST

START_TEST(doc_is_the_first_sentence)
{
  StUiPaletteItem items[4];
  ck_assert_uint_eq(st_ui_palette_search("osc", items, 1), 1);
  ck_assert_int_eq((int)items[0].doc_length, (int)strlen("Band-limited oscillator."));
  ck_assert_int_eq(strncmp(items[0].doc, "Band-limited oscillator.", items[0].doc_length), 0);
  ck_assert_uint_eq(st_ui_palette_first_sentence("No full stop"), 12);
  ck_assert_uint_eq(st_ui_palette_first_sentence("A b.c d. E"), 8);
}
END_TEST

START_TEST(a_small_buffer_keeps_the_best)
{
  StUiPaletteItem items[2];
  ck_assert_uint_eq(st_ui_palette_search("s", items, 2), 2);
  ck_assert_str_eq(items[0].type->name, "sh");
  ck_assert_str_eq(items[1].type->name, "svf");
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_palette");
  TCase* c = tcase_create("search");
  tcase_add_test(c, empty_query_lists_every_type_in_reference_order);
  tcase_add_test(c, exact_name_ranks_first_then_prefixes);
  tcase_add_test(c, letters_in_order_match_a_name);
  tcase_add_test(c, family_and_doc_words_match_below_names);
  tcase_add_test(c, doc_is_the_first_sentence);
  tcase_add_test(c, a_small_buffer_keeps_the_best);
  suite_add_tcase(s, c);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
