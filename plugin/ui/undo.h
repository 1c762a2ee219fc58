/* SPDX-License-Identifier: ISC */
/* Undo and redo. Every edit the plugin confirmed is recorded as the edits
   that reverse it, worked out from the mirror just before the edit is
   applied: add <-> remove (with the node's parameters, position, links and
   maps), connect <-> disconnect, a replaced link <-> the old link, a
   parameter's old value, the old position, the old name, the old map, the
   previous patch text. A gesture's reversing edits form one step; undoing
   sends the step as a new gesture, whose own reversal becomes the redo step. */
#ifndef ST_UI_UNDO_H
#define ST_UI_UNDO_H

#include "edit.h"
#include "layout.h"
#include "mirror.h"

#include <stdbool.h>
#include <stddef.h>

#define ST_UI_UNDO_DEPTH 256  ///< Steps kept; the oldest is dropped beyond

/* The edits that reverse one gesture, in the order they are to be sent. */
typedef struct {
  StUiEdit* edits;
  size_t    n;
  bool      whole;  ///< An edit is reversed by the whole text: so is the gesture
} StUiUndoStep;

typedef struct {
  StUiUndoStep undo[ST_UI_UNDO_DEPTH];  ///< Oldest first
  size_t       n_undo;
  StUiUndoStep redo[ST_UI_UNDO_DEPTH];  ///< Oldest first
  size_t       n_redo;
} StUiUndo;

void st_ui_undo_init(StUiUndo* u);
void st_ui_undo_free(StUiUndo* u);
void st_ui_undo_step_free(StUiUndoStep* step);

/* Puts the edits that reverse `edit` on the mirror as it is now (before
   `edit` is applied) in front of `step`, so a gesture's later edits are
   reversed first. `shown` (per node slot, may be NULL) is where the canvas
   shows each node, for moving back a node the patch gave no position.
   False when out of memory. */
bool st_ui_undo_reverse(const StUiMirror* m, const StUiEdit* edit, const StUiRect* shown,
                        StUiUndoStep* step);

/* Makes `step` one replacement by `text` (the patch before the gesture)
   when some edit of it can only be reversed so: edits reversed one by one
   after a replacement would no longer land where they were. False when out of memory. */
bool st_ui_undo_settle(StUiUndoStep* step, const char* text);

/* Which stack a finished step goes to. */
typedef enum {
  ST_UI_RECORD_EDIT,  ///< A new edit: onto undo, and redo is forgotten
  ST_UI_RECORD_UNDO,  ///< The reversal of an undo: onto redo
  ST_UI_RECORD_REDO,  ///< The reversal of a redo: onto undo
} StUiRecord;

/* Takes `step` (an empty one is dropped) onto the stack `record` says. */
void st_ui_undo_push(StUiUndo* u, StUiUndoStep* step, StUiRecord record);

/* Takes the newest undo (or redo) step off its stack; false when there is none. */
bool st_ui_undo_pop(StUiUndo* u, bool redo, StUiUndoStep* step);

#endif
