/* SPDX-License-Identifier: ISC */
#include "palette.h"

#include "nodes/registry.h"

#include <ctype.h>
#include <string.h>

/* Scores of the kinds of match, best first; a shorter name or an earlier
   position breaks ties within a kind. */
enum {
  SCORE_EXACT      = 1000,
  SCORE_PREFIX     = 900,
  SCORE_INSIDE     = 700,
  SCORE_FUZZY      = 600,
  SCORE_FAMILY     = 400,
  SCORE_DOC_WORD   = 300,
  SCORE_DOC_INSIDE = 200,
};

/* Offset of `needle` (n bytes) in `hay`, case ignored, or -1. */
static int
find(const char* hay, const char* needle, size_t n)
{
  for (size_t i = 0; hay[i]; ++i) {
    size_t k = 0;
    while (k < n && hay[i + k] && tolower((unsigned char)hay[i + k]) == needle[k]) {
      ++k;
    }
    if (k == n) {
      return (int)i;
    }
  }
  return -1;
}

/* True when the letters of `needle` appear in `name` in order, the first one first. */
static bool
fuzzy_prefix(const char* name, const char* needle, size_t n)
{
  if (tolower((unsigned char)name[0]) != needle[0]) {
    return false;
  }
  size_t k = 0;
  for (size_t i = 0; name[i] && k < n; ++i) {
    k += tolower((unsigned char)name[i]) == needle[k];
  }
  return k == n;
}

/* Offset of the first word of `doc` that starts with `needle`, or -1. */
static int
doc_word(const char* doc, const char* needle, size_t n)
{
  for (int at = find(doc, needle, n); at >= 0;) {
    if (at == 0 || !isalnum((unsigned char)doc[at - 1])) {
      return at;
    }
    const int next = find(doc + at + 1, needle, n);
    at             = next < 0 ? -1 : at + 1 + next;
  }
  return -1;
}

static int
score(const StNodeType* type, const char* q, size_t n)
{
  const int len = (int)strlen(type->name);
  const int in  = find(type->name, q, n);
  if (in == 0 && (int)n == len) {
    return SCORE_EXACT;
  }
  if (in == 0) {
    return SCORE_PREFIX - len;
  }
  if (in > 0) {
    return SCORE_INSIDE - in;
  }
  if (fuzzy_prefix(type->name, q, n)) {
    return SCORE_FUZZY - len;
  }
  if (find(type->family, q, n) >= 0) {
    return SCORE_FAMILY;
  }
  const int word = doc_word(type->doc, q, n);
  if (word >= 0) {
    return SCORE_DOC_WORD - (word < 99 ? word : 99);
  }
  const int inside = find(type->doc, q, n);
  return inside >= 0 ? SCORE_DOC_INSIDE - (inside < 99 ? inside : 99) : 0;
}

size_t
st_ui_palette_first_sentence(const char* doc)
{
  for (size_t i = 0; doc[i]; ++i) {
    if (doc[i] == '.' && (doc[i + 1] == ' ' || doc[i + 1] == '\0')) {
      return i + 1;
    }
  }
  return strlen(doc);
}

size_t
st_ui_palette_search(const char* query, StUiPaletteItem* items, size_t max)
{
  char   q[64];
  size_t n = 0;
  while (isspace((unsigned char)*query)) {
    ++query;
  }
  for (; query[n] && n < sizeof(q) - 1; ++n) {
    q[n] = (char)tolower((unsigned char)query[n]);
  }
  while (n > 0 && isspace((unsigned char)q[n - 1])) {
    --n;
  }
  q[n] = '\0';

  size_t count = 0;
  for (size_t t = 0; t < st_registry_count(); ++t) {
    const StNodeType* type = st_registry_at(t);
    const int         s    = n ? score(type, q, n) : 1;
    if (s <= 0) {
      continue;
    }
    // Insertion into the ranked list; equal scores keep reference order.
    size_t at = count;
    while (at > 0 && items[at - 1].score < s) {
      --at;
    }
    if (at >= max) {
      continue;
    }
    const size_t last = count < max ? count : max - 1;
    memmove(items + at + 1, items + at, (last - at) * sizeof(*items));
    items[at] = (StUiPaletteItem){type, s, type->doc, st_ui_palette_first_sentence(type->doc)};
    count     = count < max ? count + 1 : max;
  }
  return count;
}
