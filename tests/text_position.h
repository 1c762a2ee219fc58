/* SPDX-License-Identifier: ISC */
/* Where a piece of patch text stands, for tests that expect an error
   message naming its line and column. */
#ifndef TEXT_POSITION_H
#define TEXT_POSITION_H

#include <check.h>
#include <string.h>

/* The line (1-based) of `text` that holds `needle`, and the column of it. */
static inline unsigned
line_of(const char* text, const char* needle, unsigned* column)
{
  const char* at   = strstr(text, needle);
  unsigned    line = 1;
  ck_assert_ptr_nonnull(at);
  const char* start = text;
  for (const char* c = text; c < at; ++c) {
    if (*c == '\n') {
      ++line;
      start = c + 1;
    }
  }
  *column = (unsigned)(at - start) + 1;
  return line;
}

#endif
