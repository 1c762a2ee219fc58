/* SPDX-License-Identifier: ISC */
/* Helpers the patch text tests share: models to read into, reading that must
   succeed, finding a node by name, and the round-trip and inequality checks,
   all over the test catalog. */
#ifndef PATCH_SUPPORT_H
#define PATCH_SUPPORT_H

#include "graph.h"
#include "patch.h"
#include "test_patch_catalog.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 64

static inline StGraph*
new_model(void)
{
  StGraph* g = st_graph_new(CAPACITY, 4096, 48000.0f);
  ck_assert_ptr_nonnull(g);
  return g;
}

/* Parses a copy without a terminating zero, so reading past the end shows under ASan. */
static inline StStatus
parse(const char* text, StGraph* g, StPatchError* error)
{
  const size_t length = strlen(text);
  char*        copy   = malloc(length ? length : 1);
  memcpy(copy, text, length);
  const StStatus st = st_patch_parse(copy, length, test_catalog(false), g, error);
  free(copy);
  return st;
}

static inline StGraph*
parse_ok(const char* text)
{
  StGraph*       g = new_model();
  StPatchError   e;
  const StStatus st = parse(text, g, &e);
  ck_assert_msg(st == ST_OK, "%s", e.message);
  ck_assert_int_eq(e.status, ST_OK);
  return g;
}

static inline const StNodeSlot*
node(const StGraph* g, const char* name)
{
  const StNodeSlot* slot = st_graph_node(g, st_graph_find(g, name));
  ck_assert_msg(slot != NULL, "no node '%s'", name);
  return slot;
}

/* parse(write(g)) equals g, and writing that gives the very same text. */
static inline void
check_round_trip(const StGraph* g)
{
  char* text = st_patch_write(g);
  ck_assert_ptr_nonnull(text);
  StGraph*     back = st_graph_new(g->arena.capacity, 4096, 48000.0f);
  StPatchError e;
  ck_assert_msg(parse(text, back, &e) == ST_OK, "%s\n%s", e.message, text);
  char*      again = st_patch_write(back);
  const bool same  = st_patch_equal(g, back) && !strcmp(again, text);
  if (!same) {
    fprintf(stderr, "written:\n%s\nread back and written:\n%s\n", text, again);
  }
  ck_assert(same);  // Check cannot carry messages as long as whole patches.
  free(again);
  free(text);
  st_graph_free(back);
}

/* The two texts read into patches that differ, compared either way round. */
static inline void
check_differs(const char* a_text, const char* b_text)
{
  StGraph* a = parse_ok(a_text);
  StGraph* b = parse_ok(b_text);
  ck_assert_msg(!st_patch_equal(a, b), "equal:\n%s\n%s", a_text, b_text);
  ck_assert_msg(!st_patch_equal(b, a), "equal:\n%s\n%s", b_text, a_text);
  st_graph_free(a);
  st_graph_free(b);
}

#endif
