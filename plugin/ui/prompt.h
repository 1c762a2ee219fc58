/* SPDX-License-Identifier: ISC */
/* The one-line prompt under the toolbar: a node's new name (F2), or the
   path of a .strata file to load or to save the patch to. Typing edits it,
   Return does it, Escape closes it. */
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
