/* SPDX-License-Identifier: ISC */
/* The patch editor's model: everything the editor knows and does, with no
   display. The view draws from it and feeds it events; every gesture
   becomes exactly the patch messages of the protocol (docs/protocol.md),
   forged into the caller's StUiOut for the view to write to the plugin's
   control port, each with a fresh patch:sequenceNumber. The canvas shows
   the mirror, which changes only when the plugin confirms (Ack) or
   announces (Put): a refused edit leaves it as it was and its reason is
   kept in `error`, next to what it concerns. */
#ifndef ST_UI_MODEL_H
#define ST_UI_MODEL_H

#include "edit.h"
#include "forge.h"
#include "hit.h"
#include "inside.h"
#include "layout.h"
#include "mirror.h"
#include "text_buffer.h"
#include "ui_uris.h"
#include "undo.h"

#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_UI_PENDING_MAX 256     ///< Messages awaiting their answer at once
#define ST_UI_MONITOR_PERIOD 2.0  ///< Seconds between strata:monitor keep-alives
#define ST_UI_PASTE_OFFSET 32.0f  ///< Canvas units a paste lands right of and below the copy

/* A refused edit's reason and what it concerns. */
typedef struct {
  bool      shown;         ///< An error is waiting to be seen
  char      text[256];     ///< The plugin's strata:error (or the local parse error)
  int       node;          ///< Node slot it names, or -1
  int       port;          ///< Its input, output or parameter named, or -1
  char      port_kind;     ///< 'i', 'o' or 'p' for `port`
  StUiPoint at;            ///< Canvas point of the gesture, when no node is named
  unsigned  line, column;  ///< Text errors: where in the text view (1-based), else 0
} StUiError;

/* One message sent and not answered yet. */
typedef struct {
  int32_t    seq;      ///< Its patch:sequenceNumber
  uint32_t   gesture;  ///< The gesture it belongs to
  StUiRecord record;   ///< Where its reversal goes
  StUiPoint  at;       ///< Canvas point of the gesture
  bool       quiet;    ///< An earlier message of its gesture was refused: its error says why
  StUiEdit   edit;     ///< What it asks for
} StUiPending;

/* A gesture whose reversal is being gathered while its answers come in. */
typedef struct {
  uint32_t     gesture;
  StUiRecord   record;
  bool         open;  ///< Still going on (a drag): more messages may come
  StUiUndoStep step;
  char*        before;  ///< The patch text before its first confirmed edit
} StUiGathering;

typedef struct StUiModel {
  StUiUris       uris;
  StUiMirror*    mirror;   ///< What the canvas shows: the confirmed patch, or the body of
                           ///< a sub-patch opened (inside.h), the patch then in inside.top
  StUiInside     inside;   ///< The sub-patches opened
  StUiLayout     layout;   ///< Where its nodes are drawn
  StUiMeasure    measure;  ///< Text widths, from the view
  void*          measure_data;
  StUiView       view;           ///< Canvas zoom and pan
  StUiFrame      frame;          ///< The window's parts
  float          width, height;  ///< Window size
  bool           text_shown;     ///< The text view is open
  StUiTextBuffer text;           ///< The text view's buffer
  bool*          selected;       ///< Per node slot
  int            focus;          ///< The node whose controls are shown, or -1
  StUiUndo       undo;
  StUiPending    pending[ST_UI_PENDING_MAX];
  size_t         n_pending;
  StUiGathering  gathering[8];  ///< Gestures not finished yet
  size_t         n_gathering;
  int32_t        next_seq;  ///< Sequence number of the next message
  uint32_t       next_gesture;
  uint32_t       gesture;  ///< The gesture being sent now (0: not recorded)
  StUiRecord     record;   ///< What the gesture being sent records
  uint32_t       drag;     ///< The gesture a drag's sets join, 0 when none
  uint32_t       paste;    ///< The last paste: its nodes are selected as they come
  StUiError      error;
  StUiPoint      pointer;                 ///< Canvas point of the last pointer event
  float          macros[ST_MACRO_SLOTS];  ///< Macro port values, 0..1
  double         monitor_sent;            ///< When strata:monitor true was last sent (seconds)
  bool           monitoring;              ///< Level reports were asked for
} StUiModel;

/* A new model using the host's URID map, measuring text with `measure`. NULL when out of
 * memory. */
StUiModel* st_ui_model_new(LV2_URID_Map* map, StUiMeasure measure, void* measure_data);
void       st_ui_model_free(StUiModel* m);

/* Starts the sequence numbers at a number drawn from `seed` (the time, the
   process id) instead of 1, so that two editors open on one plugin (whose
   Acks both see) seldom send the same numbers. */
void st_ui_model_seed(StUiModel* m, uint32_t seed);

/* --- What the plugin says --- */

/* What an incoming atom changed, for the view to redraw. */
typedef enum {
  ST_UI_CHANGED_NOTHING = 0,
  ST_UI_CHANGED_PATCH   = 1u << 0,  ///< The mirror (relayout and redraw the canvas)
  ST_UI_CHANGED_METERS  = 1u << 1,  ///< Levels or the scope
  ST_UI_CHANGED_ERROR   = 1u << 2,  ///< A new error to show
  ST_UI_CHANGED_MACROS  = 1u << 3,  ///< Macro values
} StUiChanged;

/* Takes one atom from the notify port: Put (the new truth; also fills the
   text view unless it is being edited), Ack (applies the edit sent with that
   number; one the model did not send asks for the patch again: a patch:Get
   into `out`), Error (drops the edit, keeps the reason), Levels, Scope.
   Inside a sub-patch, each goes to the patch, and the body shown follows. */
unsigned st_ui_model_receive(StUiModel* m, const LV2_Atom* atom, StUiOut* out);

/* A macro control port's value (port event, or the host's automation). */
void st_ui_model_macro_port(StUiModel* m, uint32_t slot, float value);

/* --- Opening, closing, time --- */

/* When the editor opens: patch:Get, and strata:monitor true. */
bool st_ui_model_open(StUiModel* m, double now, StUiOut* out);

/* Called by the view's idle: re-sends strata:monitor true every 2 s while the
   window is `visible`; false once when it is hidden. */
bool st_ui_model_tick(StUiModel* m, double now, bool visible, StUiOut* out);

/* When the editor closes: monitor off, probe off. */
bool st_ui_model_close(StUiModel* m, StUiOut* out);

/* --- Sending, for the gesture, clipboard and key files --- */

/* Where a gesture started, to take it back whole when part of it fails. */
typedef struct {
  size_t   used;       ///< Bytes of `out` before it
  size_t   n_pending;  ///< Pending messages before it
  int32_t  seq;        ///< Next sequence number before it
  uint32_t gesture;    ///< Its gesture number (0: not recorded for undo)
  bool     gathering;  ///< It made a new gathering
} StUiMark;

/* Starts a gesture whose messages record `record` (or nothing, when not `undoable`). */
StUiMark st_ui_model_begin(StUiModel* m, StUiOut* out, StUiRecord record, bool undoable);

/* Forges one edit of the current gesture into `out` and keeps it pending.
   Inside a sub-patch only patch:Get and strata:monitor go: anything else is
   refused with an error saying that the view is read-only. */
bool st_ui_model_send(StUiModel* m, StUiOut* out, const StUiEdit* edit);

/* Ends the gesture; when !ok, takes back everything it sent. Returns ok. */
bool st_ui_model_commit(StUiModel* m, StUiOut* out, StUiMark mark, bool ok);

/* Ends a drag's undo step (st_ui_model_set_param's `continues`). */
void st_ui_model_end_drag(StUiModel* m);

/* Keeps `text` as the error to show, at the pointer. Returns false. */
bool st_ui_model_fail(StUiModel* m, const char* text);

/* --- Selection and view --- */

void st_ui_model_select(StUiModel* m, int node, bool add);  ///< node -1 clears
bool st_ui_model_is_selected(const StUiModel* m, int node);

/* Window size, and whether the text view is shown. */
void st_ui_model_resize(StUiModel* m, float width, float height);
void st_ui_model_show_text(StUiModel* m, bool shown);

/* Relayouts when the mirror changed since the last layout. */
void st_ui_model_update_layout(StUiModel* m);

/* Zoom and pan that show the whole patch in the canvas. */
void st_ui_model_fit(StUiModel* m);

/* What is under window point (x, y). */
StUiHit st_ui_model_hit(StUiModel* m, float x, float y);

/* The model's current scene, for drawing and hit-testing. */
StUiScene st_ui_model_scene(const StUiModel* m);

#endif
