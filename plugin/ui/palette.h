/* SPDX-License-Identifier: ISC */
/* The palette: node types found by a few typed letters. A query matches a
   type's name (exactly, as a prefix, inside it, or as letters in order
   starting with its first letter), its family, or a word of its doc; name
   matches rank above family matches, which rank above doc matches. */
#ifndef ST_UI_PALETTE_H
#define ST_UI_PALETTE_H

#include "node.h"

#include <stddef.h>

typedef struct {
  const StNodeType* type;        ///< The node type
  int               score;       ///< Higher is a better match
  const char*       doc;         ///< The type's one-line doc: its first sentence...
  size_t            doc_length;  ///< ...this many bytes of it
} StUiPaletteItem;

/* Fills `items` (room for `max`) with the types matching `query` (case
   ignored, blanks around it ignored), best first, ties in reference order;
   an empty query lists every type in reference order. Returns how many. */
size_t st_ui_palette_search(const char* query, StUiPaletteItem* items, size_t max);

/* Bytes of the first sentence of `doc` (up to and including its first ". "
   or the end). */
size_t st_ui_palette_first_sentence(const char* doc);

#endif
