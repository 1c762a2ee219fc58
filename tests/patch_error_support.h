/* SPDX-License-Identifier: ISC */
/* The harness the patch refusal tests share: a table row of text and the
   error it must give, and a parse that checks a failure leaves the model as
   it was and says where. */
#ifndef PATCH_ERROR_SUPPORT_H
#define PATCH_ERROR_SUPPORT_H

#include "graph.h"
#include "library.h"
#include "patch.h"
#include "test_patch_catalog.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char* text;
  StStatus    status;
  const char* message;
} ErrorCase;

/* Parses `length` bytes (copied without a terminating zero, so ASan sees any
   read past the end) and checks that a failure leaves the model and its
   library as they were, with a line and column unless no text was read. */
static inline StStatus
parse_into(StGraph* g, const char* text, size_t length, const StTypeCatalog* types,
           StPatchError* e)
{
  char*            before  = st_patch_write(g);
  const StLibrary* library = g->library;
  char*            copy    = malloc(length ? length : 1);
  memcpy(copy, text, length);
  const StStatus st = st_patch_parse(copy, length, types, g, e);
  free(copy);
  ck_assert_int_eq(e->status, st);
  if (st) {
    char* after = st_patch_write(g);
    ck_assert_str_eq(after, before);
    ck_assert_ptr_eq(g->library, library);
    ck_assert(!library || library->refs == 1);
    ck_assert(e->line >= 1 || st == ST_ERR_BAD_ARG || st == ST_ERR_NO_MEMORY);
    ck_assert(e->column >= 1 || e->line == 0);
    free(after);
  }
  free(before);
  return st;
}

/* `text` read into `g` over the test catalog fails with `status` and exactly `message`. */
static inline void
expect_error(StGraph* g, const char* text, StStatus status, const char* message)
{
  StPatchError   e;
  const StStatus st = parse_into(g, text, strlen(text), test_catalog(false), &e);
  ck_assert_msg(st == status, "status %d for %s", st, e.message);
  ck_assert_str_eq(e.message, message);
}

#endif
