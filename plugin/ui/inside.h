/* SPDX-License-Identifier: ISC */
/* Looking inside sub-patches. A sub-patch instance or voice group is one
   box on the canvas; opening it shows its definition's body in its place:
   the body's nodes and links, and its inlets and outlets as small port
   nodes at the left and right, linked to what they feed and what feeds
   them. Instances inside open further. The view inside is read-only: the
   model refuses every edit while one is open (a definition changes as a
   whole, through its text).

   While a body is shown, the model's `mirror` is a mirror built from the
   definition (node slots of its own) and the confirmed patch waits in
   `top`; what the plugin sends goes to `top`, and the body is built again
   from it, along the same path of node names, as far as that path still
   leads. */
#ifndef ST_UI_INSIDE_H
#define ST_UI_INSIDE_H

#include "hit.h"
#include "mirror.h"

#include "library.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_UI_INSIDE_DEPTH 8  ///< Sub-patches one can open one inside another
#define ST_UI_INSIDE_PORTS (ST_SUBPATCH_MAX_INLETS + ST_SUBPATCH_MAX_OUTLETS)
#define ST_UI_CRUMB_MAX 96    ///< Bytes of one breadcrumb label

extern const char st_ui_inlet_family[];   ///< Family of an inlet's port node
extern const char st_ui_outlet_family[];  ///< Family of an outlet's port node

typedef struct {
  StUiMirror* top;    ///< The confirmed patch while a body is shown, else NULL
  uint32_t    depth;  ///< Sub-patches open, one inside the other
  char        path[ST_UI_INSIDE_DEPTH][ST_NAME_MAX];  ///< The node opened at each depth
  StUiView    views[ST_UI_INSIDE_DEPTH];  ///< Zoom and pan of the canvas each one was opened from
  StNodeType  port_types[ST_UI_INSIDE_PORTS];  ///< The port nodes' types (one port each)
  StPortSpec  port_specs[ST_UI_INSIDE_PORTS];
  uint32_t    top_version;  ///< The version of `top` the body was built from
} StUiInside;

struct StUiModel;

/* The label the box of `s` shows for its type: the type's name, or for a
   sub-patch "▣ voice", for a voice group "▣ voice ×8". */
void st_ui_type_label(const StNodeSlot* s, char* out, size_t size);

/* True for an inlet's or outlet's port node. */
bool st_ui_is_port_node(const StNodeSlot* s);

/* Shows the body of node slot `node` of what the canvas shows, when it is
   a sub-patch instance or voice group: the selection is cleared and the
   view fitted to the body. False (nothing changes) for any other node, or
   ST_UI_INSIDE_DEPTH deep already. */
bool st_ui_model_enter(struct StUiModel* m, int node);

/* Goes back out to `level` (0: the patch itself), with the zoom and pan it
   had and the node that was opened from it selected. */
void st_ui_model_leave(struct StUiModel* m, uint32_t level);

/* Sub-patches open (0: the canvas shows the patch). */
uint32_t st_ui_model_depth(const struct StUiModel* m);

/* The confirmed patch, whatever the canvas shows. */
StUiMirror* st_ui_model_patch(const struct StUiModel* m);

/* Breadcrumb `level`, 0..depth: the patch's name ("Patch" when it has
   none), then each node opened with its definition ("pad (voice ×8)"). */
void st_ui_model_crumb(const struct StUiModel* m, uint32_t level, char* out, size_t size);

/* After the plugin changed the patch: builds the body shown again from it,
   as deep along the same path as it still leads. */
void st_ui_model_refresh_inside(struct StUiModel* m);

#endif
