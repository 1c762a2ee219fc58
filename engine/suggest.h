/* SPDX-License-Identifier: ISC */
/* "Did you mean" for misspelled names: the candidate nearest to a word by
   edit distance, when it is near enough to be worth suggesting. Candidates
   come from a callback, so any list can be searched without copying it:
   node types, node names, ports, parameters, choices, keywords. */
#ifndef ST_SUGGEST_H
#define ST_SUGGEST_H

#include <stddef.h>

/* The name at `index` of `source`, or NULL to skip that index (a free slot). */
typedef const char* (*StNameAt)(const void* source, size_t index);

/* The candidate among `count` that is nearest to `word`, or NULL when none is
   near. Distance counts inserted, deleted, replaced and swapped neighbouring
   characters, ignoring case; "near" allows 1 edit for words up to 3
   characters, 2 up to 7, 3 beyond, and always fewer edits than the word has
   characters. Ties go to the lowest index. */
const char* st_suggest(const char* word, const void* source, size_t count, StNameAt name_at);

/* Adapter for NULL-terminated arrays of names (`source` is `const char* const*`). */
const char* st_suggest_name_at(const void* source, size_t index);

/* Number of names in a NULL-terminated array, for st_suggest's `count`. */
size_t st_suggest_count(const char* const* names);

#endif
