/* SPDX-License-Identifier: ISC */
/* Gestures into patch messages: each call makes the edits a gesture means,
   forges them into `out` (forge.h) with fresh sequence numbers and keeps
   them as pending until the plugin answers. Each returns false, sending
   nothing, when the gesture is not possible or a message does not fit, with
   the reason in the model's `error`. The messages of one call are one
   gesture: one undo step. */
#ifndef ST_UI_GESTURE_H
#define ST_UI_GESTURE_H

#include "model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `base` when no node (nor any of `taken`) has that name, else base2,
   base3... (a trailing number of base replaced: a1 -> a2). */
void st_ui_unique_name(const StUiModel* m, const char* base, const char* const* taken,
                       size_t n_taken, char* name);

/* A node of `type` at canvas point (x, y) (top-left of its box): Put and a position Set.
   Its name is the type's, numbered when taken ("osc", "osc2", ...). */
bool st_ui_model_add_node(StUiModel* m, const StNodeType* type, float x, float y, StUiOut* out);

/* Moves node slot `node` to (x, y), on release of the drag. */
bool st_ui_model_move_node(StUiModel* m, int node, float x, float y, StUiOut* out);

/* Links output `out_port` of `src` to input `in_port` of `dst`; an occupied input is
   replaced in one edit (strata:replace). */
bool st_ui_model_connect(StUiModel* m, int src, int out_port, int dst, int in_port,
                         StUiOut* out);

/* Removes the link into input `in_port` of `dst`. */
bool st_ui_model_disconnect(StUiModel* m, int dst, int in_port, StUiOut* out);

/* Moves the cable into input `in_port` of `dst` to input `to_port` of `to`
   (its end picked up and dropped elsewhere): the new link (replacing one
   there) and the removal of the old, one gesture. */
bool st_ui_model_move_link(StUiModel* m, int dst, int in_port, int to, int to_port,
                           StUiOut* out);

/* Sets parameter `param` of `node`, clamped to its range (whole for integer
   and choice parameters). While `continues` (a drag), the sets join one undo step. */
bool st_ui_model_set_param(StUiModel* m, int node, int param, float value, bool continues,
                           StUiOut* out);

/* Maps macro `slot` (1..16) onto parameter `param` of `node`. */
bool st_ui_model_map(StUiModel* m, uint32_t slot, int node, int param, float min, float max,
                     StCurve curve, const char* label, StUiOut* out);

/* Removes macro `slot`'s map onto that parameter. */
bool st_ui_model_unmap(StUiModel* m, uint32_t slot, int node, int param, StUiOut* out);

/* Removes every selected node. */
bool st_ui_model_delete_selection(StUiModel* m, StUiOut* out);

/* Renames `node` (patch:Move). */
bool st_ui_model_rename(StUiModel* m, int node, const char* name, StUiOut* out);

/* Applies the text view: parsed here first; a parse error is kept in `error`
   (line, column) with the cursor put there, and nothing is sent. */
bool st_ui_model_apply_text(StUiModel* m, StUiOut* out);

/* Replaces the patch with a .strata file's text (read here, parsed first). */
bool st_ui_model_load_file(StUiModel* m, const char* path, StUiOut* out);

/* Writes the mirror's patch text to a file. */
bool st_ui_model_save_file(StUiModel* m, const char* path);

/* Shows output `port` of `node` in the scope (`node` -1 stops). */
bool st_ui_model_probe(StUiModel* m, int node, int port, StUiOut* out);

/* Sends the newest undo (or redo) step as a new gesture; false when there is none. */
bool st_ui_model_undo(StUiModel* m, bool redo, StUiOut* out);

#endif
