/* SPDX-License-Identifier: ISC */
/* The editor window: one X11 child window drawn with cairo and pango over
   the editor's model (model.h). The model holds the patch, layout, view,
   selection, text and errors and turns gestures into patch messages; the
   window adds what only a screen has: the toolbar, the palette popup, the
   value being typed, the macro menu, the drag in progress, fonts and
   frames. Coordinates are logical pixels (device pixels / scale); below the
   toolbar they are the model's window coordinates, shifted down by the
   toolbar's height. */
#ifndef ST_UI_EDITOR_H
#define ST_UI_EDITOR_H

#include "model.h"
#include "palette.h"

#include <lv2/ui/ui.h>

#include <X11/Xlib.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The plugin's port indices (ttl/strata.ttl). */
#define ST_UI_PORT_CONTROL 4
#define ST_UI_PORT_NOTIFY 5
#define ST_UI_PORT_MACRO1 6

#define ST_UI_TOOLBAR_H 34.0f    ///< Logical pixels above the model's window
#define ST_UI_PALETTE_ROWS 10    ///< Palette entries shown
#define ST_UI_BUTTONS 8          ///< Toolbar buttons
#define ST_UI_TEXT_LINE_H 16.0f  ///< Text view line height
#define ST_UI_TEXT_GUTTER 36.0f  ///< Text view line number column
#define ST_UI_TEXT_TOP 26.0f     ///< Text view first line below its top

/* What the prompt asks for. */
typedef enum {
  ST_UI_PROMPT_NONE,    ///< Closed
  ST_UI_PROMPT_RENAME,  ///< A new name for the focused node
  ST_UI_PROMPT_LOAD,    ///< A .strata file to load
  ST_UI_PROMPT_SAVE,    ///< A .strata file to save the patch to
  ST_UI_PROMPT_MACRO,   ///< The range, curve and label of a new macro map
} StUiPromptKind;

/* What a press started. */
typedef enum {
  ST_UI_DRAG_NONE,
  ST_UI_DRAG_PAN,    ///< Moving the canvas
  ST_UI_DRAG_NODE,   ///< Moving a node box
  ST_UI_DRAG_CABLE,  ///< A cable end following the pointer
  ST_UI_DRAG_PARAM,  ///< Turning a parameter
  ST_UI_DRAG_MACRO,  ///< Moving a macro
} StUiDrag;

typedef struct {
  /* Host and X */
  Display*             dpy;
  Window               win;
  bool                 mapped;    ///< Our window is mapped
  bool                 viewable;  ///< ...and every window above it too (the host shows it)
  bool                 obscured;  ///< ...but wholly covered by other windows
  double               last_view_check;  ///< When `viewable` was last asked of the server
  int                  width, height;    ///< Device pixels
  double               scale;            ///< Device pixels per logical pixel (HiDPI)
  cairo_surface_t*     surface;
  Atom                 wm_delete;
  LV2UI_Write_Function write;
  LV2UI_Controller     controller;
  /* Frames */
  bool          dirty;       ///< Something changed since the last frame
  double        last_frame;  ///< When the last frame was drawn (s, monotonic)
  unsigned long frames;      ///< Frames drawn
  /* The model, and the messages a gesture makes */
  StUiModel* model;
  StUiOut    out;
  uint8_t    out_buf[128 * 1024];
  bool       fitted;  ///< Fitted to the first patch
  uint64_t   lit;     ///< Which nodes' sounding lights are on (a hash)
  /* Gesture in progress */
  StUiDrag  drag;
  StUiPoint press;  ///< Pointer at the press (model window coordinates)
  StUiPoint ptr;    ///< Pointer now
  int       drag_node;
  int       drag_port;           ///< Cable: the fixed end's port
  bool      drag_output;         ///< Cable: the fixed end is an output
  int       drag_unlinked_node;  ///< Cable picked up from this input, -1 for none
  int       drag_unlinked_port;
  int       drag_param;
  float     drag_start;  ///< Value when the parameter drag (re)started
  float     drag_value;  ///< Value sent last
  int       drag_macro;
  Time      last_click_time;
  StUiPoint last_click;
  /* Palette */
  bool            palette_open;
  char            palette_query[32];
  StUiPaletteItem palette_items[64];
  size_t          palette_count;
  int             palette_pick;
  StUiPoint       palette_at;  ///< Canvas point where the node goes
  /* Typing a parameter value */
  int  entry_param;  ///< Parameter being typed, -1 for none
  char entry[32];
  /* The prompt */
  StUiPromptKind prompt;
  char           prompt_text[512];
  int            prompt_node;        ///< RENAME, MACRO: the node
  int            prompt_param;       ///< MACRO: the parameter
  int            prompt_slot;        ///< MACRO: the macro, 0-based
  char           prompt_error[128];  ///< Why the entry was refused, "" when not
  /* "Map to macro" menu of a parameter, -1 when closed */
  int macro_menu_param;
  /* Text view */
  bool     text_focus;
  unsigned text_first;   ///< First line shown
  double   text_char_w;  ///< Width of a monospaced character
  char*    clipboard;    ///< Copied patch text
  /* Fonts */
  PangoFontDescription* font_ui;
  PangoFontDescription* font_small;
  PangoFontDescription* font_mono;
  PangoContext*         measure;  ///< For the layout's text widths
  /* Tests: where things are, written to STRATA_UI_TRACE */
  FILE* trace;
} StUiEditor;

/* window.c */
bool   st_ui_window_open(StUiEditor* e, Window parent, int width, int height);
void   st_ui_window_close(StUiEditor* e);
int    st_ui_window_idle(StUiEditor* e);  ///< Reads events, draws when due; 1 when closed
void   st_ui_window_resize(StUiEditor* e, int width, int height);
double st_ui_now(void);

/* Writes the messages gathered in e->out to the plugin's control port. */
void st_ui_editor_flush(StUiEditor* e);

/* regions.c: what the model does not lay out */
StUiRect  st_ui_button_rect(int index);  ///< Toolbar button (logical window coordinates)
StUiRect  st_ui_palette_rect(const StUiEditor* e);
StUiRect  st_ui_palette_row(const StUiEditor* e, int row);
StUiRect  st_ui_macro_menu_rect(const StUiEditor* e, int slot);
StUiRect  st_ui_node_box(const StUiEditor* e, uint32_t node);  ///< Model window coordinates
StUiRect  st_ui_crumb_rect(const StUiEditor* e, uint32_t level);  ///< Breadcrumb inside a sub-patch
StUiPoint st_ui_port_point(const StUiEditor* e, uint32_t node, bool output, uint32_t port);
float     st_ui_measure(void* editor, const char* text, size_t length);

/* draw.c: one frame */
void st_ui_draw(StUiEditor* e, cairo_t* cr);

/* input.c */
void st_ui_input(StUiEditor* e, XEvent* ev);

/* trace.c: the layout, for tests */
void st_ui_trace_frame(StUiEditor* e);

#endif
