/* SPDX-License-Identifier: ISC */
/* Where each node's box lies on the canvas. Nodes the patch gives a
   position keep it; the others are laid out by the engine's own levels
   (Kahn's algorithm, engine/plan.h), one column per level, left to right.
   A node without linked inputs (an LFO, a constant), and a node fed only by
   such nodes that feed nothing else (the math scaling that LFO), moves
   right to the column before its first reader. A cable that spans columns
   takes a lane through each column between its ends, kept free of boxes.
   Within a column, barycentre sweeps order the boxes and lanes, each set
   level with the ports that feed it where the column leaves room; of the
   arrangements tried, the one kept has the fewest crossings, a cable
   through a box counting as four. Box sizes come from port counts and the
   widths of names, measured by the view. Canvas units are the view's
   pixels at zoom 1. */
#ifndef ST_UI_LAYOUT_H
#define ST_UI_LAYOUT_H

#include "mirror.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_UI_TITLE_H 22.0f     ///< Height of a box's title row
#define ST_UI_PORT_H 16.0f      ///< Height of one port row
#define ST_UI_PAD 8.0f          ///< Space inside a box around its text
#define ST_UI_PORT_GAP 16.0f    ///< Space between input and output names in a row
#define ST_UI_COLUMN_GAP 72.0f  ///< Space between columns, for cables
#define ST_UI_ROW_GAP 20.0f     ///< Space between boxes of a column
#define ST_UI_MIN_BOX_W 72.0f   ///< Narrowest box

typedef struct {
  float x, y, w, h;
} StUiRect;

typedef struct {
  float x, y;
} StUiPoint;

/* Width of `length` bytes of text in canvas units, as the view draws it. */
typedef float (*StUiMeasure)(void* data, const char* text, size_t length);

/* A lane a long cable takes across a column between its ends, kept free of boxes. */
typedef struct {
  uint32_t dst, in;  ///< The cable's input end: node slot and input
  StUiRect r;        ///< Across the column: the cable runs level through its middle
} StUiLane;

#define ST_UI_PATH_MAX 64  ///< Points of a cable's path st_ui_layout_cable_path() gives at most

typedef struct {
  StUiRect* boxes;  ///< Per node slot: its box (empty for a free slot)
  StUiLane* lanes;  ///< Lanes of long cables, each cable's in column order
  uint32_t  n_lanes;
  uint32_t* column;     ///< Per node slot: its column (its level, or moved right)
  uint32_t  capacity;   ///< Node slots
  StUiRect  bounds;     ///< Smallest rectangle holding every box
  uint32_t  crossings;  ///< Crossings of cable paths (st_ui_layout_crossings)
  uint32_t  through;    ///< Cables through a box not at their ends (st_ui_layout_through)
  uint32_t  version;    ///< The mirror version laid out
} StUiLayout;

bool st_ui_layout_init(StUiLayout* l, uint32_t capacity);
void st_ui_layout_free(StUiLayout* l);

/* Lays out the mirror's nodes (plans its graph for the levels). */
void st_ui_layout_compute(StUiLayout* l, StUiMirror* m, StUiMeasure measure, void* data);

/* Where input or output `port` of node slot `index` meets its cable. */
StUiPoint st_ui_layout_port(const StUiLayout* l, const StUiMirror* m, uint32_t index,
                            bool output, uint32_t port);

/* The points the cable into input `in` of node slot `dst` passes: its
   output's point, the left and right ends of each lane it takes, its
   input's point. Drawn as a curve (st_ui_cable_curve) from each point at an
   even index to the next, and straight from each odd one to the next. The
   number of points (2 without lanes, at most `max`), 0 when the input is
   not linked. */
size_t st_ui_layout_cable_path(const StUiLayout* l, const StUiMirror* m, uint32_t dst,
                               uint32_t in, StUiPoint* points, size_t max);

/* Crossings of the cables' paths (their pieces taken as straight lines). */
uint32_t st_ui_layout_crossings(const StUiLayout* l, const StUiMirror* m);

/* Cables whose path passes through a box at neither of their ends. */
uint32_t st_ui_layout_through(const StUiLayout* l, const StUiMirror* m);

/* True when the two rectangles share any area. */
bool st_ui_rect_overlap(StUiRect a, StUiRect b);

#endif
