/* SPDX-License-Identifier: ISC */
#include "suggest.h"

#include <ctype.h>
#include <string.h>

#define WORD_MAX 64 ///< Longer words and candidates are never suggested

static unsigned
min3(unsigned a, unsigned b, unsigned c)
{
  const unsigned m = a < b ? a : b;
  return m < c ? m : c;
}

static int
fold(char c)
{
  return tolower((unsigned char)c);
}

/* Optimal string alignment distance, case-insensitive; both lengths < WORD_MAX. */
static unsigned
distance(const char* a, size_t la, const char* b, size_t lb)
{
  unsigned rows[3][WORD_MAX + 1];
  unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (size_t j = 0; j <= lb; ++j) {
    prev[j] = (unsigned)j;
  }
  for (size_t i = 1; i <= la; ++i) {
    cur[0] = (unsigned)i;
    for (size_t j = 1; j <= lb; ++j) {
      const unsigned cost = fold(a[i - 1]) != fold(b[j - 1]);
      cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
          fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < cur[j]) {
        cur[j] = prev2[j - 2] + 1; // Swapped neighbours: "vfc" for "vcf"
      }
    }
    unsigned* const old = prev2;
    prev2 = prev;
    prev  = cur;
    cur   = old;
  }
  return prev[lb];
}

const char*
st_suggest(const char* word, const void* source, size_t count, StNameAt name_at)
{
  const size_t len = strlen(word);
  if (len == 0 || len >= WORD_MAX) {
    return NULL;
  }
  // Fewer edits than the word has characters, so "x" never turns into "a".
  const unsigned limit   = len <= 3 ? 1 : len <= 7 ? 2 : 3;
  const unsigned allowed = limit < len ? limit : (unsigned)len - 1;
  const char*    best    = NULL;
  unsigned       best_d  = allowed + 1;
  for (size_t i = 0; i < count; ++i) {
    const char* name = name_at(source, i);
    const size_t n   = name ? strlen(name) : WORD_MAX;
    if (n >= WORD_MAX || !strcmp(name, word)) {
      continue; // The word itself is no suggestion.
    }
    const unsigned d = distance(word, len, name, n);
    if (d < best_d) {
      best   = name;
      best_d = d;
    }
  }
  return best;
}

const char*
st_suggest_name_at(const void* source, size_t index)
{
  return ((const char* const*)source)[index];
}

size_t
st_suggest_count(const char* const* names)
{
  size_t n = 0;
  while (names && names[n]) {
    ++n;
  }
  return n;
}
