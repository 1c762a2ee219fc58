/* SPDX-License-Identifier: ISC */
/* Generational arena: handles, generations, capacity, free-list reuse. */
#include "arena.h"

#include <check.h>
#include <stdlib.h>

START_TEST(test_new_arena_hands_out_in_order)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 8), ST_OK);
  ck_assert_uint_eq(a.capacity, 8);
  ck_assert_uint_eq(a.count, 0);
  for (uint32_t i = 0; i < 8; ++i) {
    StHandle h;
    ck_assert_int_eq(st_arena_alloc(&a, &h), ST_OK);
    ck_assert_uint_eq(h.index, i);
    ck_assert_uint_eq(h.generation, 1);
    ck_assert(st_arena_valid(&a, h));
    ck_assert(st_arena_live(&a, i));
  }
  ck_assert_uint_eq(a.count, 8);
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_bad_capacity)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 0), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_arena_init(&a, UINT32_MAX), ST_ERR_BAD_ARG);
}
END_TEST

START_TEST(test_null_handles_never_valid)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 4), ST_OK);
  ck_assert(!st_arena_valid(&a, (StHandle){0, 0}));
  ck_assert(!st_arena_valid(&a, ST_HANDLE_NONE));
  StHandle h;
  ck_assert_int_eq(st_arena_alloc(&a, &h), ST_OK);
  ck_assert_uint_eq(h.index, 0);
  // Slot 0 is live now, and {0, 0} is still not a handle to it.
  ck_assert(!st_arena_valid(&a, (StHandle){0, 0}));
  ck_assert(!st_arena_valid(&a, ST_HANDLE_NONE));
  // An even generation never names a live slot, nor an index past the end.
  ck_assert(!st_arena_valid(&a, (StHandle){0, 2}));
  ck_assert(!st_arena_valid(&a, (StHandle){4, 1}));
  ck_assert(!st_arena_valid(&a, (StHandle){1000, 1}));
  ck_assert_int_eq(st_arena_release(&a, (StHandle){0, 0}), ST_ERR_STALE);
  ck_assert_int_eq(st_arena_release(&a, ST_HANDLE_NONE), ST_ERR_STALE);
  ck_assert_int_eq(st_arena_release(&a, (StHandle){4, 1}), ST_ERR_STALE);
  ck_assert_uint_eq(a.count, 1);
  ck_assert(st_arena_valid(&a, h));
  // Handles of free slots read back as NONE.
  ck_assert_uint_eq(st_arena_handle(&a, 1).index, ST_HANDLE_NONE.index);
  ck_assert_uint_eq(st_arena_handle(&a, 99).index, ST_HANDLE_NONE.index);
  ck_assert(!st_arena_live(&a, 99));
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_generation_bumps_and_stale_refused)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 4), ST_OK);
  StHandle h1, h2;
  ck_assert_int_eq(st_arena_alloc(&a, &h1), ST_OK);
  ck_assert_int_eq(st_arena_release(&a, h1), ST_OK);
  ck_assert(!st_arena_valid(&a, h1));
  ck_assert(!st_arena_live(&a, h1.index));
  ck_assert_int_eq(st_arena_release(&a, h1), ST_ERR_STALE); // Double free
  ck_assert_int_eq(st_arena_alloc(&a, &h2), ST_OK);
  ck_assert_uint_eq(h2.index, h1.index);
  ck_assert_uint_eq(h2.generation, h1.generation + 2);
  ck_assert(h2.generation & 1u);
  // The old handle names the same slot but is refused: never dereferenced.
  ck_assert(!st_arena_valid(&a, h1));
  ck_assert(st_arena_valid(&a, h2));
  ck_assert_int_eq(st_arena_release(&a, h1), ST_ERR_STALE);
  ck_assert(st_arena_valid(&a, h2));
  StHandle now = st_arena_handle(&a, h2.index);
  ck_assert_uint_eq(now.index, h2.index);
  ck_assert_uint_eq(now.generation, h2.generation);
  ck_assert_uint_eq(a.count, 1);
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_full_is_clear_error)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 3), ST_OK);
  StHandle h[3], extra = {77, 77};
  for (int i = 0; i < 3; ++i) {
    ck_assert_int_eq(st_arena_alloc(&a, &h[i]), ST_OK);
  }
  ck_assert_int_eq(st_arena_peek(&a, &extra), ST_ERR_FULL);
  ck_assert_int_eq(st_arena_alloc(&a, &extra), ST_ERR_FULL);
  ck_assert_uint_eq(extra.index, 77); // Untouched on failure
  ck_assert_uint_eq(a.count, 3);
  ck_assert_str_eq(st_status_string(ST_ERR_FULL), "node capacity reached");
  // Freeing one makes room for exactly one.
  ck_assert_int_eq(st_arena_release(&a, h[1]), ST_OK);
  ck_assert_int_eq(st_arena_alloc(&a, &extra), ST_OK);
  ck_assert_uint_eq(extra.index, 1);
  ck_assert_int_eq(st_arena_alloc(&a, &extra), ST_ERR_FULL);
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_peek_matches_alloc)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 4), ST_OK);
  StHandle h[4];
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 4; ++i) {
      StHandle p;
      ck_assert_int_eq(st_arena_peek(&a, &p), ST_OK);
      ck_assert_uint_eq(a.count, (uint32_t)i); // Peek takes nothing
      ck_assert(!st_arena_valid(&a, p));
      ck_assert_int_eq(st_arena_alloc(&a, &h[i]), ST_OK);
      ck_assert_uint_eq(p.index, h[i].index);
      ck_assert_uint_eq(p.generation, h[i].generation);
    }
    for (int i = 0; i < 4; ++i) {
      ck_assert_int_eq(st_arena_release(&a, h[(i * 3 + round) % 4]), ST_OK);
    }
  }
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_free_list_is_lifo)
{
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, 8), ST_OK);
  StHandle h[8];
  for (int i = 0; i < 8; ++i) {
    ck_assert_int_eq(st_arena_alloc(&a, &h[i]), ST_OK);
  }
  ck_assert_int_eq(st_arena_release(&a, h[2]), ST_OK);
  ck_assert_int_eq(st_arena_release(&a, h[6]), ST_OK);
  ck_assert_int_eq(st_arena_release(&a, h[4]), ST_OK);
  const uint32_t expect[] = {4, 6, 2};
  for (int i = 0; i < 3; ++i) {
    StHandle n;
    ck_assert_int_eq(st_arena_alloc(&a, &n), ST_OK);
    ck_assert_uint_eq(n.index, expect[i]);
    ck_assert_uint_eq(n.generation, 3);
  }
  StHandle n;
  ck_assert_int_eq(st_arena_alloc(&a, &n), ST_ERR_FULL);
  st_arena_destroy(&a);
}
END_TEST

/* Many add/remove cycles over a big arena: every operation touches one slot
   (the free head), so the handed-out index is predictable and a model that
   counts per-slot generations agrees with the arena at every step. */
START_TEST(test_many_cycles_consistent)
{
  enum { CAP = 4096, OPS = 400000 };
  StArena a;
  ck_assert_int_eq(st_arena_init(&a, CAP), ST_OK);
  StHandle* live  = calloc(CAP, sizeof(StHandle));
  uint32_t* gens  = calloc(CAP, sizeof(uint32_t));
  uint32_t* stack = calloc(CAP, sizeof(uint32_t)); // Model free list (LIFO)
  uint32_t  n_live = 0, n_stack = 0, next_new = 0;
  uint32_t  rng    = 12345;
  for (uint32_t op = 0; op < OPS; ++op) {
    rng = rng * 1664525u + 1013904223u;
    const bool add = n_live == 0 || (n_live < CAP && (rng >> 16) % 3 != 0);
    if (add) {
      StHandle h;
      ck_assert_int_eq(st_arena_alloc(&a, &h), ST_OK);
      const uint32_t expect = n_stack ? stack[--n_stack] : next_new++;
      ck_assert_uint_eq(h.index, expect);
      gens[h.index] += 1;
      ck_assert_uint_eq(h.generation, gens[h.index]);
      live[n_live++] = h;
    } else {
      const uint32_t k = (rng >> 8) % n_live;
      const StHandle h = live[k];
      live[k]          = live[--n_live];
      ck_assert_int_eq(st_arena_release(&a, h), ST_OK);
      ck_assert(!st_arena_valid(&a, h));
      gens[h.index] += 1;
      stack[n_stack++] = h.index;
    }
    ck_assert_uint_eq(a.count, n_live);
  }
  for (uint32_t i = 0; i < n_live; ++i) {
    ck_assert(st_arena_valid(&a, live[i]));
  }
  free(live);
  free(gens);
  free(stack);
  st_arena_destroy(&a);
}
END_TEST

START_TEST(test_copy)
{
  StArena a, b;
  ck_assert_int_eq(st_arena_init(&a, 16), ST_OK);
  ck_assert_int_eq(st_arena_init(&b, 16), ST_OK);
  StHandle h[5];
  for (int i = 0; i < 5; ++i) {
    ck_assert_int_eq(st_arena_alloc(&a, &h[i]), ST_OK);
  }
  ck_assert_int_eq(st_arena_release(&a, h[1]), ST_OK);
  ck_assert_int_eq(st_arena_release(&a, h[3]), ST_OK);
  st_arena_copy(&b, &a);
  ck_assert_uint_eq(b.count, 3);
  for (int i = 0; i < 5; ++i) {
    ck_assert_int_eq(st_arena_valid(&b, h[i]), st_arena_valid(&a, h[i]));
  }
  // Both hand out the same next handles: the copy is a full replica.
  StHandle x, y;
  for (int i = 0; i < 13; ++i) {
    ck_assert_int_eq(st_arena_alloc(&a, &x), ST_OK);
    ck_assert_int_eq(st_arena_alloc(&b, &y), ST_OK);
    ck_assert_uint_eq(x.index, y.index);
    ck_assert_uint_eq(x.generation, y.generation);
  }
  ck_assert_int_eq(st_arena_alloc(&a, &x), ST_ERR_FULL);
  ck_assert_int_eq(st_arena_alloc(&b, &y), ST_ERR_FULL);
  // And they are independent afterwards.
  ck_assert_int_eq(st_arena_release(&a, h[0]), ST_OK);
  ck_assert(st_arena_valid(&b, h[0]));
  st_arena_destroy(&a);
  st_arena_destroy(&b);
}
END_TEST

/* A renewed arena hands out slots from 0 again, and no handle the old arena
   issued (live or already stale) is valid in it. */
START_TEST(test_renew_refuses_old_handles)
{
  StArena old, fresh;
  ck_assert_int_eq(st_arena_init(&old, 4), ST_OK);
  ck_assert_int_eq(st_arena_init(&fresh, 4), ST_OK);
  StHandle h[4];
  for (uint32_t i = 0; i < 4; ++i) {
    ck_assert_int_eq(st_arena_alloc(&old, &h[i]), ST_OK);
  }
  ck_assert_int_eq(st_arena_release(&old, h[1]), ST_OK);
  st_arena_renew(&fresh, &old);
  ck_assert_uint_eq(fresh.count, 0);
  for (uint32_t i = 0; i < 4; ++i) {
    StHandle n;
    ck_assert_int_eq(st_arena_alloc(&fresh, &n), ST_OK);
    ck_assert_uint_eq(n.index, i);
    ck_assert_uint_gt(n.generation, h[i].generation);
    ck_assert(!st_arena_valid(&fresh, h[i]));
    ck_assert(st_arena_valid(&fresh, n));
  }
  st_arena_destroy(&old);
  st_arena_destroy(&fresh);
}
END_TEST

static Suite*
arena_suite(void)
{
  Suite* s = suite_create("arena");
  TCase* t = tcase_create("arena");
  tcase_add_test(t, test_new_arena_hands_out_in_order);
  tcase_add_test(t, test_bad_capacity);
  tcase_add_test(t, test_null_handles_never_valid);
  tcase_add_test(t, test_generation_bumps_and_stale_refused);
  tcase_add_test(t, test_full_is_clear_error);
  tcase_add_test(t, test_peek_matches_alloc);
  tcase_add_test(t, test_free_list_is_lifo);
  tcase_add_test(t, test_many_cycles_consistent);
  tcase_add_test(t, test_copy);
  tcase_add_test(t, test_renew_refuses_old_handles);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(arena_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
