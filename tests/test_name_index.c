/* SPDX-License-Identifier: ISC */
/* The name index against a plain search: random adds, removes and renames
   on a small table (so that probes collide and wrap around), checking every
   name, present and absent, after each step. */
#include "name_index.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 64
#define NAMES 24 ///< Names drawn from, so that removed names come back

typedef struct {
  char name[SLOTS][16];
  bool live[SLOTS];
} Owner;

static const char*
name_of(const void* owner, uint32_t slot)
{
  return ((const Owner*)owner)->name[slot];
}

static uint32_t
linear_find(const Owner* o, const char* name)
{
  for (uint32_t i = 0; i < SLOTS; ++i) {
    if (o->live[i] && !strcmp(o->name[i], name)) {
      return i;
    }
  }
  return UINT32_MAX;
}

static uint32_t
next_random(uint32_t* s)
{
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

static void
check_all(const StNameIndex* index, const Owner* o)
{
  for (uint32_t n = 0; n < NAMES; ++n) {
    char name[16];
    snprintf(name, sizeof(name), "n%u", n);
    ck_assert_uint_eq(st_name_index_find(index, name), linear_find(o, name));
  }
}

/* A name that no live slot holds, or NULL when all are taken. */
static const char*
free_name(const Owner* o, uint32_t* seed, char* out)
{
  for (uint32_t tries = 0; tries < 100; ++tries) {
    snprintf(out, 16, "n%u", next_random(seed) % NAMES);
    if (linear_find(o, out) == UINT32_MAX) {
      return out;
    }
  }
  return NULL;
}

START_TEST(test_matches_a_linear_search)
{
  static Owner o;
  memset(&o, 0, sizeof(o));
  StNameIndex index;
  ck_assert_int_eq(st_name_index_init(&index, SLOTS / 4, name_of, &o), 0); // 32 entries
  uint32_t seed = 12345, live = 0;
  for (uint32_t step = 0; step < 20000; ++step) {
    const uint32_t slot = next_random(&seed) % 16; // At most 16 live: half the table
    const uint32_t what = next_random(&seed) % 3;
    char           name[16];
    if (!o.live[slot]) {
      if (free_name(&o, &seed, name)) {
        snprintf(o.name[slot], sizeof(o.name[slot]), "%s", name);
        o.live[slot] = true;
        st_name_index_insert(&index, slot);
        ++live;
      }
    } else if (what == 0) {
      st_name_index_remove(&index, slot);
      o.live[slot] = false;
      --live;
    } else if (what == 1 && free_name(&o, &seed, name)) { // A rename
      st_name_index_remove(&index, slot);
      snprintf(o.name[slot], sizeof(o.name[slot]), "%s", name);
      st_name_index_insert(&index, slot);
    }
    check_all(&index, &o);
  }
  ck_assert_uint_gt(live, 0);
  // A copy over an index of the same size finds the same slots.
  StNameIndex copy;
  ck_assert_int_eq(st_name_index_init(&copy, SLOTS / 4, name_of, &o), 0);
  st_name_index_copy(&copy, &index);
  check_all(&copy, &o);
  st_name_index_destroy(&copy);
  st_name_index_clear(&index);
  ck_assert_uint_eq(st_name_index_find(&index, o.name[0]), UINT32_MAX);
  st_name_index_destroy(&index);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("name_index");
  TCase* t = tcase_create("index");
  tcase_add_test(t, test_matches_a_linear_search);
  suite_add_tcase(s, t);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}
