/* SPDX-License-Identifier: ISC */
/* Buffer pool: LIFO reuse, peak count, exhaustion, aligned samples. */
#include "pool.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

START_TEST(test_bad_count)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 0, false), ST_ERR_BAD_ARG);
}
END_TEST

START_TEST(test_take_in_order_then_exhausted)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 4, false), ST_OK);
  ck_assert_ptr_null(p.data); // A model has no samples
  for (uint32_t i = 0; i < 4; ++i) {
    uint32_t id = 99;
    ck_assert_int_eq(st_pool_take(&p, &id), ST_OK);
    ck_assert_uint_eq(id, i);
    ck_assert_uint_eq(st_pool_peak(&p), i + 1);
  }
  uint32_t id = 99;
  ck_assert_int_eq(st_pool_take(&p, &id), ST_ERR_POOL);
  ck_assert_uint_eq(id, 99);
  ck_assert_str_eq(st_status_string(ST_ERR_POOL), "buffer pool exhausted");
  st_pool_destroy(&p);
}
END_TEST

START_TEST(test_give_is_lifo_and_reused_before_new)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 8, false), ST_OK);
  uint32_t id[4];
  for (int i = 0; i < 4; ++i) {
    ck_assert_int_eq(st_pool_take(&p, &id[i]), ST_OK);
  }
  st_pool_give(&p, id[1]);
  st_pool_give(&p, id[3]);
  uint32_t a, b, c;
  ck_assert_int_eq(st_pool_take(&p, &a), ST_OK);
  ck_assert_int_eq(st_pool_take(&p, &b), ST_OK);
  ck_assert_int_eq(st_pool_take(&p, &c), ST_OK);
  ck_assert_uint_eq(a, 3); // The most recently freed: still hot in cache
  ck_assert_uint_eq(b, 1);
  ck_assert_uint_eq(c, 4); // Only then a buffer never used
  ck_assert_uint_eq(st_pool_peak(&p), 5);
  st_pool_destroy(&p);
}
END_TEST

/* Take and give in a steady state: the peak never grows past what is held. */
START_TEST(test_steady_state_reuses)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 3, false), ST_OK);
  uint32_t held, next;
  ck_assert_int_eq(st_pool_take(&p, &held), ST_OK);
  for (int i = 0; i < 100000; ++i) {
    ck_assert_int_eq(st_pool_take(&p, &next), ST_OK);
    ck_assert_uint_ne(next, held);
    st_pool_give(&p, held);
    held = next;
  }
  ck_assert_uint_eq(st_pool_peak(&p), 2);
  st_pool_destroy(&p);
}
END_TEST

START_TEST(test_reset_frees_all)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 2, false), ST_OK);
  uint32_t id;
  ck_assert_int_eq(st_pool_take(&p, &id), ST_OK);
  ck_assert_int_eq(st_pool_take(&p, &id), ST_OK);
  ck_assert_int_eq(st_pool_take(&p, &id), ST_ERR_POOL);
  st_pool_reset(&p);
  ck_assert_uint_eq(st_pool_peak(&p), 0);
  ck_assert_int_eq(st_pool_take(&p, &id), ST_OK);
  ck_assert_uint_eq(id, 0);
  ck_assert_int_eq(st_pool_take(&p, &id), ST_OK);
  ck_assert_uint_eq(id, 1);
  st_pool_destroy(&p);
}
END_TEST

START_TEST(test_samples_aligned_distinct_zeroed)
{
  StPool p;
  ck_assert_int_eq(st_pool_init(&p, 5, true), ST_OK);
  ck_assert_ptr_nonnull(p.data);
  ck_assert_ptr_nonnull(p.zeros);
  for (uint32_t i = 0; i < 5; ++i) {
    float* b = st_pool_buffer(&p, i);
    ck_assert_uint_eq((uintptr_t)b % ST_POOL_ALIGN, 0);
    for (uint32_t k = 0; k < ST_BLOCK; ++k) {
      ck_assert(b[k] == 0.0f);
      b[k] = (float)(i + 1); // Writing one buffer must not touch another
    }
  }
  for (uint32_t i = 0; i < 5; ++i) {
    const float* b = st_pool_buffer(&p, i);
    for (uint32_t k = 0; k < ST_BLOCK; ++k) {
      ck_assert(b[k] == (float)(i + 1));
    }
  }
  ck_assert_uint_eq((uintptr_t)p.zeros % ST_POOL_ALIGN, 0);
  for (uint32_t k = 0; k < ST_BLOCK; ++k) {
    ck_assert(p.zeros[k] == 0.0f);
  }
  st_pool_destroy(&p);
  ck_assert_ptr_null(p.data);
}
END_TEST

static Suite*
pool_suite(void)
{
  Suite* s = suite_create("pool");
  TCase* t = tcase_create("pool");
  tcase_add_test(t, test_bad_count);
  tcase_add_test(t, test_take_in_order_then_exhausted);
  tcase_add_test(t, test_give_is_lifo_and_reused_before_new);
  tcase_add_test(t, test_steady_state_reuses);
  tcase_add_test(t, test_reset_frees_all);
  tcase_add_test(t, test_samples_aligned_distinct_zeroed);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(pool_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
