/* SPDX-License-Identifier: ISC */
/* The palette: node types found by a few letters, ranked, with one-line docs. */
#include "palette.h"

#include "nodes/registry.h"

#include <check.h>
#include <string.h>

static size_t
search(const char* query, StUiPaletteItem* items)
{
  return st_ui_palette_search(query, items, 128);
}

START_TEST(empty_query_lists_every_type_in_reference_order)
{
  StUiPaletteItem items[128];
  const size_t    n = search("  ", items);
  ck_assert_uint_eq(n, st_registry_count());
  for (size_t i = 0; i < n; ++i) {
    ck_assert_ptr_eq(items[i].type, st_registry_at(i));
  }
}
END_TEST

/* Position of the type named `name` among the results, or -1. */
static int
rank(const StUiPaletteItem* items, size_t n, const char* name)
{
  for (size_t i = 0; i < n; ++i) {
    if (!strcmp(items[i].type->name, name)) {
      return (int)i;
    }
  }
  return -1;
}

START_TEST(exact_name_ranks_first_then_prefixes)
{
  StUiPaletteItem items[128];
  // "osc" is exact; nothing else starts with it, "biquad" or "lfo" say oscillator in their
  // docs.
  size_t n = search("OSC", items);
  ck_assert_uint_ge(n, 2);
  ck_assert_str_eq(items[0].type->name, "osc");
  ck_assert_int_gt(items[0].score, items[1].score);
  // "s": every name starting with s first, shorter names first; the rest after.
  n               = search("s", items);
  size_t prefixes = 0;
  while (prefixes < n && items[prefixes].type->name[0] == 's') {
    ++prefixes;
  }
  for (size_t i = prefixes; i < n; ++i) {
    ck_assert_int_ne(items[i].type->name[0], 's');
  }
  for (size_t i = 1; i < prefixes; ++i) {
    ck_assert_uint_le(strlen(items[i - 1].type->name), strlen(items[i].type->name));
  }
  ck_assert_int_lt(rank(items, n, "sh"), rank(items, n, "svf"));
  ck_assert_int_lt(rank(items, n, "svf"), rank(items, n, "slew"));
  ck_assert_int_lt(rank(items, n, "slew"), rank(items, n, "shaper"));
  ck_assert_int_lt(rank(items, n, "shaper"), (int)prefixes);
}
END_TEST

START_TEST(letters_in_order_match_a_name)
{
  StUiPaletteItem items[128];
  // "adr" is no substring of any name but a, d, r in order in "adsr".
  const size_t n = search("adr", items);
  ck_assert_uint_ge(n, 1);
  ck_assert_str_eq(items[0].type->name, "adsr");
}
END_TEST

START_TEST(family_and_doc_words_match_below_names)
{
  StUiPaletteItem items[128];
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
  StUiPaletteItem all[128];
  StUiPaletteItem items[2];
  search("s", all);
  ck_assert_uint_eq(st_ui_palette_search("s", items, 2), 2);
  ck_assert_ptr_eq(items[0].type, all[0].type);
  ck_assert_ptr_eq(items[1].type, all[1].type);
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
