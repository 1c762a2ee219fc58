/* SPDX-License-Identifier: ISC */
/* The keyboard: keys (X11 keysym numbers, as every host passes them) and
   modifiers mapped to the editor's actions, since hosts grab many keys and
   every frequent action must work without the mouse. The model carries out
   the actions it can by itself; the others (clipboard, palette, rename,
   text view) are returned for the view. */
#ifndef ST_UI_KEYS_H
#define ST_UI_KEYS_H

#include "model.h"
#include "text_buffer.h"

#include <stdbool.h>
#include <stdint.h>

enum {
  ST_UI_MOD_SHIFT = 1u << 0,
  ST_UI_MOD_CTRL  = 1u << 1,
  ST_UI_MOD_ALT   = 1u << 2,
};

#define ST_UI_NUDGE 10.0f      ///< Canvas units an arrow key moves the selection
#define ST_UI_NUDGE_FINE 1.0f  ///< With shift
#define ST_UI_ZOOM_STEP 1.25f  ///< Zoom factor of one key press

typedef enum {
  ST_UI_ACTION_NONE,        ///< Not an editor key
  ST_UI_ACTION_DELETE,      ///< Delete, BackSpace: remove the selection
  ST_UI_ACTION_UNDO,        ///< ctrl+z
  ST_UI_ACTION_REDO,        ///< ctrl+shift+z, ctrl+y
  ST_UI_ACTION_COPY,        ///< ctrl+c (the view puts st_ui_model_copy() on the clipboard)
  ST_UI_ACTION_CUT,         ///< ctrl+x: copy, then delete
  ST_UI_ACTION_PASTE,       ///< ctrl+v (the view passes the clipboard to st_ui_model_paste())
  ST_UI_ACTION_SELECT_ALL,  ///< ctrl+a
  ST_UI_ACTION_ZOOM_IN,     ///< + or =
  ST_UI_ACTION_ZOOM_OUT,    ///< -
  ST_UI_ACTION_FIT,         ///< f: the whole patch in view
  ST_UI_ACTION_PALETTE,     ///< space or Tab: open the palette
  ST_UI_ACTION_RENAME,      ///< F2: rename the focused node
  ST_UI_ACTION_TEXT,        ///< F4: show or hide the text view
  ST_UI_ACTION_ESCAPE,      ///< Escape: close what is open, clear the error
  ST_UI_ACTION_NUDGE_LEFT,  ///< Arrows: move the selection (shift: finely)
  ST_UI_ACTION_NUDGE_RIGHT,
  ST_UI_ACTION_NUDGE_UP,
  ST_UI_ACTION_NUDGE_DOWN,
  ST_UI_ACTION_APPLY_TEXT,  ///< ctrl+Return in the text view: apply it
  ST_UI_ACTION_OPEN,        ///< Return: show the body of the focused sub-patch (inside.h)
} StUiAction;

/* The action of a key on the canvas. */
StUiAction st_ui_keys_action(uint32_t keysym, unsigned mods);

/* Carries out a canvas key: delete, undo, redo, select all, zoom, fit, nudge,
   escape and open are done here (messages into `out`); the action is
   returned either way for the view to do the rest. Inside a sub-patch,
   Escape and BackSpace (and Delete) go back up one level instead. */
StUiAction st_ui_model_key(StUiModel* m, uint32_t keysym, unsigned mods, StUiOut* out);

/* A key in the text view: cursor keys (shift extends), Home, End,
   BackSpace, Delete, Return, ctrl+a, and `utf8` (the key's text, may be
   NULL) typed. ctrl+Return applies the text (st_ui_model_apply_text()).
   Returns ST_UI_ACTION_APPLY_TEXT for that, ST_UI_ACTION_NONE otherwise. */
StUiAction st_ui_model_text_key(StUiModel* m, uint32_t keysym, unsigned mods, const char* utf8,
                                StUiOut* out);

#endif
