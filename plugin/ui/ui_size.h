/* SPDX-License-Identifier: ISC */
/* The editor remembers its window size per user: a small file
   $XDG_CONFIG_HOME/strata/ui-size (else ~/.config/strata/ui-size) holding
   "WIDTH HEIGHT" in logical pixels. Not in the patch: the size is about the
   user's screen, not the sound, and saving it in the patch would mark the
   session modified whenever the window is resized. */
#ifndef ST_UI_SIZE_H
#define ST_UI_SIZE_H

#include <stdbool.h>

/* Reads the remembered size; false (and w, h unchanged) when there is none. */
bool st_ui_size_load(int* w, int* h);

/* Remembers a size; silently does nothing when the file cannot be written. */
void st_ui_size_save(int w, int h);

#endif
