/* SPDX-License-Identifier: ISC */
/* The editor's mirror of the patch: what the plugin confirmed, never what
   was merely clicked. A patch:Put (patch text) replaces it; an edit the
   editor sent is applied to it when its Ack comes; the plugin's level and
   scope reports update the per-node levels and the probe buffer. This file
   also reads the incoming atoms (notify) into StUiIncoming. */
#ifndef ST_UI_MIRROR_H
#define ST_UI_MIRROR_H

#include "edit.h"
#include "ui_uris.h"

#include "graph.h"
#include "patch.h"

#include <lv2/atom/atom.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_UI_SCOPE_SAMPLES 256  ///< Samples a strata:Scope report carries

typedef struct {
  float x, y;    ///< Top-left corner of the node's box, canvas units
  bool  placed;  ///< The patch gives a position (else the layout chooses one)
} StUiPlace;

typedef struct {
  StGraph*  graph;                 ///< The confirmed patch, a model (node slots by index)
  float*    levels;                ///< Per node slot: last reported peak, linear
  uint32_t* put_order;             ///< Node slot of each node of the last Put's text, in order
  uint32_t  n_put;                 ///< Nodes in put_order
  char      probe[ST_UI_REF_MAX];  ///< Output the scope shows, "" when none
  float     scope[ST_UI_SCOPE_SAMPLES];  ///< The probe's latest samples
  uint32_t  version;  ///< Bumped by every change of nodes, links, maps or places (relayout)
  uint32_t  values_version;  ///< Bumped by every parameter value set (redraw only)
  uint32_t  meter_version;   ///< Bumped by every level or scope report (redraw meters)
} StUiMirror;

/* An empty mirror; NULL when out of memory. */
StUiMirror* st_ui_mirror_new(void);
void        st_ui_mirror_free(StUiMirror* m);

/* Replaces the mirror with patch text (a patch:Put). On a parse error the
   mirror is unchanged and `error` says why. */
StStatus st_ui_mirror_load(StUiMirror* m, const char* text, size_t length, StPatchError* error);

/* Applies a confirmed edit. Not ST_OK (with the reason in
   st_graph_error(m->graph)) when the mirror cannot: it no longer matches the
   plugin and should be fetched again. */
StStatus st_ui_mirror_apply(StUiMirror* m, const StUiEdit* edit);

/* The patch text of the mirror (the engine writer's), malloc'd; NULL when out of memory. */
char* st_ui_mirror_text(const StUiMirror* m);

/* The patch's name (its `name` statement), "" when it has none. */
const char* st_ui_mirror_name(const StUiMirror* m);

/* Where the patch places node slot `index` (placed false when it does not). */
StUiPlace st_ui_mirror_place(const StUiMirror* m, uint32_t index);

/* The node of this name: its slot index, or -1. */
int st_ui_mirror_find(const StUiMirror* m, const char* name);

/* The live node at slot `index`, or NULL. */
const StNodeSlot* st_ui_mirror_node(const StUiMirror* m, uint32_t index);

/* The label the patch gives macro `slot` (0..15): the first non-empty label
   of its maps, "" when none. */
const char* st_ui_mirror_macro_label(const StUiMirror* m, uint32_t slot);

/* What the plugin sends on notify, read. Pointers point into the atom. */
typedef enum {
  ST_UI_IN_OTHER,   ///< Something the editor does not use (StateChanged...)
  ST_UI_IN_PUT,     ///< patch:Put of the plugin with strata:patch `text`
  ST_UI_IN_ACK,     ///< patch:Ack of `seq`
  ST_UI_IN_ERROR,   ///< patch:Error of `seq` with `text`
  ST_UI_IN_LEVELS,  ///< strata:Levels: `n` peaks in `values`
  ST_UI_IN_SCOPE,   ///< strata:Scope of `text` ("node.output"): `n` samples in `values`
} StUiInKind;

typedef struct {
  StUiInKind   kind;
  bool         has_seq;  ///< A patch:sequenceNumber came with it
  int32_t      seq;      ///< The sequence number
  const char*  text;     ///< Patch text, error text or probe name (zero-terminated)
  size_t       length;   ///< Bytes of text
  const float* values;   ///< Levels or samples
  uint32_t     n;        ///< Number of values
} StUiIncoming;

/* Reads one atom from the notify port; ST_UI_IN_OTHER when it is none of the above
   or malformed. */
StUiIncoming st_ui_mirror_read(const StUiUris* u, const LV2_Atom* atom);

/* Takes a level report: value i is the node at put_order[i]. */
void st_ui_mirror_levels(StUiMirror* m, const float* values, uint32_t n);

/* Takes a scope report of `probe`; ignored when it is not the probe shown. */
void st_ui_mirror_scope(StUiMirror* m, const char* probe, const float* values, uint32_t n);

#endif
