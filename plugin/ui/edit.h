/* SPDX-License-Identifier: ISC */
/* One edit of the patch as the editor means it: what one patch message asks
   for. Gestures make edits and forge them into atoms (gesture.h); the mirror
   applies an edit once the plugin acknowledged it (mirror.h); undo keeps the
   edits that reverse confirmed ones (undo.h). */
#ifndef ST_UI_EDIT_H
#define ST_UI_EDIT_H

#include "graph.h"
#include "node.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_UI_REF_MAX (2 * ST_NAME_MAX)  ///< Bytes of a "node.port" reference, zero included

typedef enum {
  ST_UI_EDIT_ADD,         ///< patch:Put of node `node` of `type` with `params`
  ST_UI_EDIT_REMOVE,      ///< patch:Delete of node `node`
  ST_UI_EDIT_CONNECT,     ///< patch:Put of link `tail` -> `head`, `flag` = strata:replace
  ST_UI_EDIT_DISCONNECT,  ///< patch:Delete of link `tail` -> `head`
  ST_UI_EDIT_SET,         ///< patch:Set of parameter `param` of `node` to `value`
  ST_UI_EDIT_PLACE,       ///< patch:Set of strata:position of `node` to (x, y)
  ST_UI_EDIT_MAP,         ///< patch:Put of macro `slot` onto `target` (min, max, curve, label)
  ST_UI_EDIT_UNMAP,       ///< patch:Delete of macro `slot`'s map onto `target`
  ST_UI_EDIT_RENAME,      ///< patch:Move of node `node` to name `to`
  ST_UI_EDIT_PATCH,       ///< patch:Set of strata:patch to `text`
  ST_UI_EDIT_PROBE,       ///< patch:Set of strata:probe to `target` ("" stops)
  ST_UI_EDIT_MONITOR,     ///< patch:Set of strata:monitor to `flag`
  ST_UI_EDIT_GET,         ///< patch:Get of the whole patch
} StUiEditKind;

typedef struct {
  StUiEditKind      kind;
  char              node[ST_NAME_MAX];      ///< Subject node
  char              to[ST_NAME_MAX];        ///< RENAME: the new name
  const StNodeType* type;                   ///< ADD: the node's type
  float             params[ST_MAX_PARAMS];  ///< ADD: every parameter's value
  char              tail[ST_UI_REF_MAX];    ///< Link source "node.output"
  char              head[ST_UI_REF_MAX];    ///< Link destination "node.input"
  char              target[ST_UI_REF_MAX];  ///< MAP, UNMAP: "node.param"; PROBE: "node.output"
  char              param[ST_NAME_MAX];     ///< SET: parameter name
  float             value;                  ///< SET: the value
  bool              flag;                   ///< CONNECT: replace an occupied input; MONITOR: on
  float             x, y;                   ///< PLACE: the position, canvas units
  uint32_t          slot;                   ///< MAP, UNMAP: macro slot 1..16
  float             min, max;               ///< MAP: values at macro 0 and 1
  StCurve           curve;                  ///< MAP: how the macro spreads over min..max
  char              label[ST_NAME_MAX];     ///< MAP: the macro's label, may be empty
  char*             text;                   ///< PATCH: patch text, malloc'd, owned by the edit
} StUiEdit;

/* An edit of this kind with every field empty. */
StUiEdit st_ui_edit(StUiEditKind kind);

/* Frees what the edit owns (a PATCH's text) and empties it. */
void st_ui_edit_clear(StUiEdit* edit);

/* A copy of `src` that owns its own text; false when out of memory. */
bool st_ui_edit_copy(StUiEdit* dst, const StUiEdit* src);

/* Splits "node.port" into its two names; false when it has no dot or a
   part does not fit ST_NAME_MAX. */
bool st_ui_ref_split(const char* ref, char* node, char* port);

/* Writes "node.port" into `ref` (ST_UI_REF_MAX bytes). */
void st_ui_ref_join(char* ref, const char* node, const char* port);

/* Copies `src` into `dst` of `size` bytes, cut short when it does not fit. */
void st_ui_copy_name(char* dst, const char* src, size_t size);

#endif
