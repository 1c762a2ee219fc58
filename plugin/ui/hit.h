/* SPDX-License-Identifier: ISC */
/* What lies under the pointer. The window holds the canvas (nodes and
   cables under zoom and pan), the text view beside it when shown, the
   parameter controls of the selected node over the canvas's right edge and
   the macro strip along the bottom; hit-testing answers in that order of
   precedence, ports before the boxes they sit on, the node drawn last
   first. Window coordinates are the view's pixels, y down. */
#ifndef ST_UI_HIT_H
#define ST_UI_HIT_H

#include "layout.h"
#include "mirror.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_UI_STRIP_H 44.0f        ///< Height of the macro strip
#define ST_UI_INSPECTOR_W 240.0f   ///< Width of the parameter controls
#define ST_UI_INSPECTOR_ROW 26.0f  ///< Height of one parameter's row (and of the header)
#define ST_UI_LABEL_W 96.0f        ///< Width of a parameter's name before its slider
#define ST_UI_PORT_REACH 7.0f      ///< Pixels from a port's point that still hit it
#define ST_UI_CABLE_REACH 5.0f     ///< Pixels from a cable that still hit it
#define ST_UI_ZOOM_MIN 0.1f
#define ST_UI_ZOOM_MAX 4.0f

/* Canvas to window: window = canvas * zoom + (x, y). */
typedef struct {
  float zoom;  ///< Window pixels per canvas unit
  float x, y;  ///< Where the canvas origin is in the window
} StUiView;

StUiPoint st_ui_view_window(const StUiView* v, StUiPoint canvas);
StUiPoint st_ui_view_canvas(const StUiView* v, StUiPoint window);

/* Zooms by `factor` (clamped to ST_UI_ZOOM_MIN..MAX) keeping the window point `at` still. */
void st_ui_view_zoom(StUiView* v, float factor, StUiPoint at);

/* Zoom and pan that show `bounds` (canvas) whole and centred in `area`
   (window), with a margin; never magnified beyond 1.5. */
void st_ui_view_fit(StUiView* v, StUiRect bounds, StUiRect area);

/* The window's parts. */
typedef struct {
  StUiRect canvas;     ///< Nodes and cables
  StUiRect text;       ///< The patch text (w 0 when hidden)
  StUiRect inspector;  ///< The selected node's parameters (w 0 when none)
  StUiRect strip;      ///< The sixteen macros
} StUiFrame;

/* Splits a window of `width` x `height`: the strip at the bottom, the text
   view on the right 40% when shown, the controls for `n_params` parameters
   (0: none) at the canvas's top right. */
void st_ui_frame_compute(StUiFrame* f, float width, float height, bool text_shown,
                         uint32_t n_params);

/* Row `param` of the controls, and its slider. */
StUiRect st_ui_inspector_row(const StUiFrame* f, uint32_t param);
StUiRect st_ui_inspector_slider(const StUiFrame* f, uint32_t param);

/* Macro slot `slot` (0..15) of the strip. */
StUiRect st_ui_strip_slot(const StUiFrame* f, uint32_t slot);

/* A cable's cubic Bezier from an output to an input: c[0] and c[3] the
   ends, c[1] and c[2] pulled horizontally out of the ports. */
void st_ui_cable_curve(StUiPoint from, StUiPoint to, StUiPoint c[4]);

/* Distance from `p` to the curve (measured on 32 segments of it). A cable
   is drawn along its path (st_ui_layout_cable_path): these curves between
   columns, straight through the lanes it takes. */
float st_ui_cable_distance(const StUiPoint c[4], StUiPoint p);

/* The cubic pieces along a cable's path (st_ui_layout_cable_path, in
   canvas or window points alike): a curve from each even point to the
   next, a straight piece (its control points on the line) from each odd
   one. Returns the number of pieces, n - 1; `pieces` has room for that. */
size_t st_ui_path_pieces(const StUiPoint* points, size_t n, StUiPoint (*pieces)[4]);

typedef enum {
  ST_UI_HIT_NONE,    ///< Outside the window
  ST_UI_HIT_CANVAS,  ///< Empty canvas
  ST_UI_HIT_NODE,    ///< A node's box below its title
  ST_UI_HIT_TITLE,   ///< A node's title row (drag moves the node)
  ST_UI_HIT_INPUT,   ///< Input `port` of `node`
  ST_UI_HIT_OUTPUT,  ///< Output `port` of `node`
  ST_UI_HIT_CABLE,   ///< The cable into input `port` of `node`
  ST_UI_HIT_PARAM,   ///< Parameter `port` of the selected `node`; `fraction` along its slider
  ST_UI_HIT_MACRO,   ///< Macro slot `port` (0..15); `fraction` across it
  ST_UI_HIT_TEXT,    ///< The text view
} StUiHitKind;

typedef struct {
  StUiHitKind kind;
  int         node;      ///< Node slot, or -1
  int         port;      ///< Port, parameter or macro slot, or -1
  float       fraction;  ///< PARAM, MACRO: 0..1 from the left
  StUiPoint   canvas;    ///< The point in canvas units
} StUiHit;

/* What hit-testing looks at. */
typedef struct {
  const StUiMirror* mirror;
  const StUiLayout* layout;
  const StUiView*   view;
  const StUiFrame*  frame;
  int               selected;  ///< Node whose controls are shown, or -1
} StUiScene;

StUiHit st_ui_hit_test(const StUiScene* s, StUiPoint window);

#endif
