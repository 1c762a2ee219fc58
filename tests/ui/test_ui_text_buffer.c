/* SPDX-License-Identifier: ISC */
/* The text view's buffer: typing, deleting, moving, selecting, lines. */
#include "text_buffer.h"

#include <check.h>
#include <string.h>

static StUiTextBuffer b;

static void
setup(void)
{
  st_ui_text_init(&b);
  ck_assert(st_ui_text_set(&b, "node a osc\nnode b vca\n", 22));
}

static void
teardown(void)
{
  st_ui_text_free(&b);
}

START_TEST(lines_and_positions)
{
  ck_assert_uint_eq(st_ui_text_line_count(&b), 3);
  size_t start = 0;
  size_t len   = 0;
  ck_assert(st_ui_text_line(&b, 2, &start, &len));
  ck_assert_uint_eq(start, 11);
  ck_assert_uint_eq(len, 10);
  ck_assert(st_ui_text_line(&b, 3, &start, &len));
  ck_assert_uint_eq(len, 0);
  ck_assert(!st_ui_text_line(&b, 4, &start, &len));
  unsigned line = 0;
  unsigned col  = 0;
  st_ui_text_position(&b, 16, &line, &col);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_eq(col, 6);
  st_ui_text_go_to(&b, 2, 6);
  ck_assert_uint_eq(b.cursor, 16);
  ck_assert(!b.edited);
}
END_TEST

START_TEST(typing_and_deleting)
{
  st_ui_text_go_to(&b, 1, 11);
  ck_assert(st_ui_text_insert(&b, " wave=saw", 9));
  ck_assert_str_eq(b.text, "node a osc wave=saw\nnode b vca\n");
  ck_assert(b.edited);
  st_ui_text_delete(&b, false);
  ck_assert_str_eq(b.text, "node a osc wave=sa\nnode b vca\n");
  st_ui_text_delete(&b, true);  // joins the lines
  ck_assert_str_eq(b.text, "node a osc wave=sanode b vca\n");
  st_ui_text_move(&b, ST_UI_MOVE_TEXT_START, false);
  st_ui_text_delete(&b, false);  // nothing before the start
  ck_assert_uint_eq(b.length, strlen("node a osc wave=sanode b vca\n"));
}
END_TEST

START_TEST(selection_is_replaced_by_typing)
{
  st_ui_text_go_to(&b, 1, 8);
  for (int i = 0; i < 3; ++i) {
    st_ui_text_move(&b, ST_UI_MOVE_RIGHT, true);
  }
  size_t s = 0;
  size_t e = 0;
  st_ui_text_selection(&b, &s, &e);
  ck_assert_uint_eq(s, 7);
  ck_assert_uint_eq(e, 10);
  ck_assert(st_ui_text_insert(&b, "svf", 3));
  ck_assert_str_eq(b.text, "node a svf\nnode b vca\n");
  st_ui_text_select_all(&b);
  st_ui_text_delete(&b, false);
  ck_assert_uint_eq(b.length, 0);
  ck_assert_str_eq(b.text, "");
}
END_TEST

START_TEST(up_and_down_keep_the_column)
{
  ck_assert(st_ui_text_set(&b, "long line here\nab\nanother long\n", 31));
  st_ui_text_go_to(&b, 1, 10);
  st_ui_text_move(&b, ST_UI_MOVE_DOWN, false);
  unsigned line = 0;
  unsigned col  = 0;
  st_ui_text_position(&b, b.cursor, &line, &col);
  ck_assert_uint_eq(line, 2);
  ck_assert_uint_eq(col, 3);  // end of the short line
  st_ui_text_move(&b, ST_UI_MOVE_UP, false);
  st_ui_text_position(&b, b.cursor, &line, &col);
  ck_assert_uint_eq(line, 1);
  ck_assert_uint_eq(col, 3);
  st_ui_text_move(&b, ST_UI_MOVE_LINE_END, false);
  ck_assert_uint_eq(b.cursor, 14);
  st_ui_text_move(&b, ST_UI_MOVE_TEXT_END, false);
  st_ui_text_move(&b, ST_UI_MOVE_DOWN, false);
  ck_assert_uint_eq(b.cursor, b.length);
}
END_TEST

START_TEST(utf8_characters_move_and_delete_whole)
{
  ck_assert(st_ui_text_set(&b, "\"h\xc3\xa9\"", 5));
  st_ui_text_move(&b, ST_UI_MOVE_TEXT_END, false);
  st_ui_text_move(&b, ST_UI_MOVE_LEFT, false);
  ck_assert_uint_eq(b.cursor, 4);
  st_ui_text_move(&b, ST_UI_MOVE_LEFT, false);
  ck_assert_uint_eq(b.cursor, 2);
  st_ui_text_move(&b, ST_UI_MOVE_RIGHT, false);
  st_ui_text_delete(&b, false);
  ck_assert_str_eq(b.text, "\"h\"");
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("ui_text_buffer");
  TCase* c = tcase_create("edit");
  tcase_add_checked_fixture(c, setup, teardown);
  tcase_add_test(c, lines_and_positions);
  tcase_add_test(c, typing_and_deleting);
  tcase_add_test(c, selection_is_replaced_by_typing);
  tcase_add_test(c, up_and_down_keep_the_column);
  tcase_add_test(c, utf8_characters_move_and_delete_whole);
  suite_add_tcase(s, c);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
