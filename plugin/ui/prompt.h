/* SPDX-License-Identifier: ISC */
/* The one-line prompt under the toolbar: a node's new name (F2), the path
   of a .strata file to load or to save the patch to, or a new macro map's
   range, curve and label in the patch format's syntax (`80..12000 exp
   "cutoff"`). Typing edits it, Return does it (an entry that does not read
   keeps it open with the reason), Escape closes it. */
#ifndef ST_UI_PROMPT_H
#define ST_UI_PROMPT_H

#include "editor.h"

#include <X11/Xlib.h>

/* Opens the prompt for `what`, its text `initial`. */
void st_ui_prompt_open(StUiEditor* e, StUiPromptKind what, const char* initial);

/* A key while the prompt is open. */
void st_ui_prompt_key(StUiEditor* e, KeySym sym, const char* chars);

/* Draws it (in the model's window, at the top of the canvas). */
void st_ui_prompt_draw(StUiEditor* e, cairo_t* cr);

#endif
