/* SPDX-License-Identifier: ISC */
/* Copy and paste of a selection as patch text. A paste is sent as single
   edits (add each node, place it, link it) in one gesture rather than as a
   replacement of the whole patch: a replacement crossfades to a new graph
   and restarts every node (envelopes, delay lines, voices), while single
   edits leave what plays untouched; and one undo step removes the paste. */
#ifndef ST_UI_CLIPBOARD_H
#define ST_UI_CLIPBOARD_H

#include "model.h"

/* The selected nodes and the links between them as patch text (the
   writer's syntax), each node placed where it is shown; malloc'd, NULL
   when nothing is selected. */
char* st_ui_model_copy(StUiModel* m);

/* Adds the nodes and links of copied patch text, names that clash renumbered
   (osc1 -> osc3 when osc2 exists), placed ST_UI_PASTE_OFFSET right of and
   below their positions (nodes without one in rows from the pointer), as
   one gesture of single edits (one undo step). The pasted nodes become the
   selection. */
bool st_ui_model_paste(StUiModel* m, const char* text, StUiOut* out);

#endif
