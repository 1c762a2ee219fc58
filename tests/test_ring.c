/* SPDX-License-Identifier: ISC */
/* SPSC ring: order, full and empty, wrap-around, and a two-thread stress test. */
#include "ring.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

START_TEST(test_bad_capacities_refused)
{
  StRing r;
  ck_assert_int_eq(st_ring_init(&r, 0, 4), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 1, 4), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 3, 4), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 1000, 4), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 1u << 31, 4), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 8, 0), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_ring_init(&r, 2, 4), ST_OK);
  st_ring_destroy(&r);
}
END_TEST

START_TEST(test_round_up)
{
  ck_assert_uint_eq(st_ring_round_up(1), 1);
  ck_assert_uint_eq(st_ring_round_up(2), 2);
  ck_assert_uint_eq(st_ring_round_up(3), 4);
  ck_assert_uint_eq(st_ring_round_up(1000), 1024);
  ck_assert_uint_eq(st_ring_round_up(1024), 1024);
  ck_assert_uint_eq(st_ring_round_up(1025), 2048);
}
END_TEST

START_TEST(test_order_full_empty)
{
  StRing r;
  ck_assert_int_eq(st_ring_init(&r, 8, sizeof(uint64_t)), ST_OK);
  uint64_t v = 99;
  ck_assert(!st_ring_pop(&r, &v));
  ck_assert_uint_eq(v, 99); // Untouched when empty
  ck_assert_uint_eq(st_ring_space(&r), 8);
  for (uint64_t i = 0; i < 8; ++i) {
    ck_assert(st_ring_push(&r, &i));
    ck_assert_uint_eq(st_ring_space(&r), 7 - i);
  }
  const uint64_t extra = 1234;
  ck_assert(!st_ring_push(&r, &extra)); // Full
  ck_assert_uint_eq(st_ring_space(&r), 0);
  for (uint64_t i = 0; i < 8; ++i) {
    ck_assert(st_ring_pop(&r, &v));
    ck_assert_uint_eq(v, i);
  }
  ck_assert(!st_ring_pop(&r, &v));
  ck_assert_uint_eq(st_ring_space(&r), 8);
  st_ring_destroy(&r);
}
END_TEST

/* Odd item size and fill levels that drift across the end of the buffer,
   for thousands of laps, including past the wrap of the 32-bit counters. */
static void
wrap_laps(uint32_t start)
{
  enum { SIZE = 13 };
  StRing r;
  ck_assert_int_eq(st_ring_init(&r, 16, SIZE), ST_OK);
  atomic_store(&r.head, start);
  atomic_store(&r.tail, start);
  unsigned char item[SIZE], got[SIZE];
  uint32_t      pushed = 0, popped = 0;
  for (uint32_t round = 0; round < 20000; ++round) {
    const uint32_t n_push = (round * 7u) % 17u; // 0..16
    for (uint32_t k = 0; k < n_push; ++k) {
      memset(item, (int)(pushed & 0xff), SIZE);
      item[0] = (unsigned char)(pushed >> 8);
      const bool room = st_ring_space(&r) > 0;
      ck_assert_int_eq(st_ring_push(&r, item), room);
      if (room) {
        ++pushed;
      }
    }
    const uint32_t n_pop = (round * 5u) % 17u;
    for (uint32_t k = 0; k < n_pop; ++k) {
      const bool any = popped < pushed;
      ck_assert_int_eq(st_ring_pop(&r, got), any);
      if (any) {
        ck_assert_uint_eq(got[0], (unsigned char)(popped >> 8));
        for (int b = 1; b < SIZE; ++b) {
          ck_assert_uint_eq(got[b], popped & 0xff);
        }
        ++popped;
      }
    }
    ck_assert_uint_eq(st_ring_space(&r), 16 - (pushed - popped));
  }
  ck_assert_uint_gt(pushed, 16 * 1000); // Many laps
  st_ring_destroy(&r);
}

START_TEST(test_wrap_around)
{
  wrap_laps(0);
}
END_TEST

START_TEST(test_wrap_around_counter_overflow)
{
  wrap_laps(UINT32_MAX - 1000);
}
END_TEST

/* --- Two threads --- */

#define STRESS_ITEMS 1000000u

/* Lets the other thread run. */
static void
pause_briefly(void)
{
  const struct timespec t = {0, 1000};
  nanosleep(&t, NULL);
}

typedef struct {
  uint32_t seq;
  uint32_t payload[4];
  uint32_t check;
} Item;

static uint32_t
payload_word(uint32_t seq, uint32_t k)
{
  return (seq + k * 0x9e3779b9u) * 2654435761u;
}

static uint32_t
checksum(const Item* it)
{
  uint32_t c = it->seq * 31u;
  for (int k = 0; k < 4; ++k) {
    c = (c ^ it->payload[k]) * 16777619u;
  }
  return c;
}

static void*
producer(void* arg)
{
  StRing* r = arg;
  for (uint32_t seq = 0; seq < STRESS_ITEMS;) {
    Item it = {seq, {0, 0, 0, 0}, 0};
    for (uint32_t k = 0; k < 4; ++k) {
      it.payload[k] = payload_word(seq, k);
    }
    it.check = checksum(&it);
    if (st_ring_push(r, &it)) {
      ++seq;
    } else {
      pause_briefly();
    }
  }
  return NULL;
}

typedef struct {
  StRing*  ring;
  uint32_t received;  ///< Items popped
  uint32_t bad;       ///< Items out of order, duplicated or corrupted
} Consumer;

static void*
consumer(void* arg)
{
  Consumer* c = arg;
  Item      it;
  while (c->received < STRESS_ITEMS) {
    if (!st_ring_pop(c->ring, &it)) {
      pause_briefly();
      continue;
    }
    bool ok = it.seq == c->received && it.check == checksum(&it);
    for (uint32_t k = 0; k < 4; ++k) {
      ok = ok && it.payload[k] == payload_word(it.seq, k);
    }
    c->bad += !ok;
    ++c->received;
  }
  return NULL;
}

START_TEST(test_two_thread_stress)
{
  StRing r;
  ck_assert_int_eq(st_ring_init(&r, 64, sizeof(Item)), ST_OK);
  Consumer  c = {&r, 0, 0};
  pthread_t pt, ct;
  ck_assert_int_eq(pthread_create(&ct, NULL, consumer, &c), 0);
  ck_assert_int_eq(pthread_create(&pt, NULL, producer, &r), 0);
  ck_assert_int_eq(pthread_join(pt, NULL), 0);
  ck_assert_int_eq(pthread_join(ct, NULL), 0);
  // None lost (all received), none duplicated or reordered (seq == count), intact.
  ck_assert_uint_eq(c.received, STRESS_ITEMS);
  ck_assert_uint_eq(c.bad, 0);
  Item extra;
  ck_assert(!st_ring_pop(&r, &extra)); // Nothing more than was sent
  ck_assert_uint_eq(st_ring_space(&r), 64);
  st_ring_destroy(&r);
}
END_TEST

static Suite*
ring_suite(void)
{
  Suite* s = suite_create("ring");
  TCase* t = tcase_create("ring");
  tcase_add_test(t, test_bad_capacities_refused);
  tcase_add_test(t, test_round_up);
  tcase_add_test(t, test_order_full_empty);
  tcase_add_test(t, test_wrap_around);
  tcase_add_test(t, test_wrap_around_counter_overflow);
  suite_add_tcase(s, t);
  TCase* threads = tcase_create("threads");
  tcase_set_timeout(threads, 120);
  tcase_add_test(threads, test_two_thread_stress);
  suite_add_tcase(s, threads);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(ring_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
