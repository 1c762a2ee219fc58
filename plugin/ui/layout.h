/* Where each node's box lies on the canvas. Nodes the patch gives a
   position keep it; the others are laid out by the engine's own levels
   (Kahn's algorithm, engine/plan.h), one column per level, left to right;
   a node without linked inputs (an LFO, a constant), and a node fed only by
   such nodes that feed nothing else (the math scaling that LFO), moves
   right to the column before its first reader. Within a column, barycentre sweeps order
   the boxes to cross few cables, and each box sits level with the ports
   that feed it where the column leaves room. Box sizes come from port
   counts and the widths of names, measured by the view. Canvas units are
   the view's pixels at zoom 1. */
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

typedef struct {
  StUiRect* boxes;      ///< Per node slot: its box (empty for a free slot)
  uint32_t* column;     ///< Per node slot: its column (its level, or moved right)
  uint32_t  capacity;   ///< Node slots
  StUiRect  bounds;     ///< Smallest rectangle holding every box
  uint32_t  crossings;  ///< Pairs of cables that cross, counted as straight lines
  uint32_t  through;    ///< Cables whose straight line passes through a box not at their ends
  uint32_t  version;    ///< The mirror version laid out
} StUiLayout;

bool st_ui_layout_init(StUiLayout* l, uint32_t capacity);
void st_ui_layout_free(StUiLayout* l);

/* Lays out the mirror's nodes (plans its graph for the levels). */
void st_ui_layout_compute(StUiLayout* l, StUiMirror* m, StUiMeasure measure, void* data);

/* Where input or output `port` of node slot `index` meets its cable. */
StUiPoint st_ui_layout_port(const StUiLayout* l, const StUiMirror* m, uint32_t index,
                            bool output, uint32_t port);

/* Pairs of cables whose straight lines between ports cross. */
uint32_t st_ui_layout_crossings(const StUiLayout* l, const StUiMirror* m);

/* Cables whose straight line passes through a box at neither of their ends. */
uint32_t st_ui_layout_through(const StUiLayout* l, const StUiMirror* m);

/* True when the two rectangles share any area. */
bool st_ui_rect_overlap(StUiRect a, StUiRect b);

#endif
