/* SPDX-License-Identifier: ISC */
/* Editing a patch's sub-patch definitions (library.h) one at a time: add or
   change one from its text, remove one. A library never changes once built,
   so each edit writes the model's patch text, splices the definition in or
   out, and reads the whole text into a new model: instances follow a changed
   definition exactly as they would in a patch written that way, and whatever
   no longer fits is refused as the parser says it. */
#ifndef ST_PATCH_DEFINE_H
#define ST_PATCH_DEFINE_H

#include "graph.h"
#include "patch.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The name in the `subpatch NAME` statement that starts `text` (comments and
   blank lines may come first) into `name`; false when there is none. */
bool st_patch_definition_name(const char* text, size_t length, char name[ST_NAME_MAX]);

/* Fills `out` (an empty model, e.g. from st_engine_new_model) with the
   patch of `model` where the one definition `text` holds (`subpatch NAME`
   ... `end`, comments and blank lines around it) is added after the
   existing ones or, when one of that name exists, replaces it in place.
   `model` never changes; `out` is unchanged on failure and `error` (may be
   NULL) says why:
   - a parse error inside the definition as a plain parse of `text` says it
     ("line 3, column 5: ..."), with `line` and `column` in `text`;
   - an error elsewhere, where the patch no longer fits the definition, as
     "sub-patch 'voice': the patch no longer reads with it: line 40,
     column 12: node 'pad' (voice) has no input 'cutoff'", lines counted in
     st_patch_write(model), with `line` 0. */
StStatus st_patch_define(const StGraph* model, const char* text, size_t length, StGraph* out,
                         StPatchError* error);

/* Fills `out` (an empty model) with the patch of `model` without the
   definition `name`. Refused when there is none ("no sub-patch 'voic' (did
   you mean 'voice'?)") or when a node uses it ("cannot remove sub-patch
   'voice': node 'pad' uses it", or "...: sub-patch 'chord' uses it" for a
   node in another definition). `model` never changes; `out` is unchanged on
   failure. */
StStatus st_patch_undefine(const StGraph* model, const char* name, StGraph* out,
                           StPatchError* error);

/* Nodes whose type is the definition `name` (one copy or a voice group):
   the model's own and those in the bodies of other definitions. */
uint32_t st_patch_subpatch_uses(const StGraph* model, const char* name);

#endif
