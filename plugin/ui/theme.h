/* SPDX-License-Identifier: ISC */
/* The editor's look: one dark theme, its colours and text helpers. */
#ifndef ST_UI_THEME_H
#define ST_UI_THEME_H

#include "editor.h"

#define ST_UI_PI 3.14159265358979323846

typedef struct {
  double r, g, b;
} StUiColor;

#define ST_UI_BG ((StUiColor){0.106, 0.118, 0.137})      ///< Window
#define ST_UI_CANVAS ((StUiColor){0.082, 0.090, 0.106})  ///< Canvas
#define ST_UI_GRID ((StUiColor){0.150, 0.165, 0.190})    ///< Canvas dots
#define ST_UI_PANEL ((StUiColor){0.130, 0.145, 0.168})   ///< Side panels
#define ST_UI_BOX ((StUiColor){0.180, 0.200, 0.232})     ///< Node body
#define ST_UI_EDGE ((StUiColor){0.290, 0.320, 0.370})    ///< Outlines
#define ST_UI_TEXT ((StUiColor){0.860, 0.880, 0.910})    ///< Text
#define ST_UI_DIM ((StUiColor){0.560, 0.600, 0.660})     ///< Secondary text
#define ST_UI_ACCENT ((StUiColor){0.380, 0.690, 0.960})  ///< Cables, values
#define ST_UI_SELECT ((StUiColor){0.960, 0.780, 0.380})  ///< Selection
#define ST_UI_ERROR ((StUiColor){0.890, 0.380, 0.400})   ///< Errors
#define ST_UI_SOUND ((StUiColor){0.500, 0.830, 0.470})   ///< Sounding

/* The header colour of a node type's family (the node reference's
   sections); grey for a family it does not know. */
StUiColor st_ui_family_color(const char* family);

void st_ui_set(cairo_t* cr, StUiColor c, double alpha);
void st_ui_round_rect(cairo_t* cr, StUiRect r, double radius);
void st_ui_fill_rect(cairo_t* cr, StUiRect r);

typedef enum {
  ST_UI_ALIGN_LEFT,
  ST_UI_ALIGN_CENTER,
  ST_UI_ALIGN_RIGHT,
} StUiAlign;

/* Draws one line of text in `r` (vertically centred), cut with an ellipsis. */
void st_ui_text(StUiEditor* v, cairo_t* cr, PangoFontDescription* font, StUiRect r,
                StUiAlign align, const char* text);
/* Width of a text in logical pixels. */
double st_ui_text_width(StUiEditor* v, cairo_t* cr, PangoFontDescription* font,
                        const char* text);

/* draw_canvas.c, draw_panel.c, draw_text.c, draw_overlay.c */
void st_ui_draw_canvas(StUiEditor* v, cairo_t* cr);
void st_ui_draw_panel(StUiEditor* v, cairo_t* cr);
void st_ui_draw_macros(StUiEditor* v, cairo_t* cr);
void st_ui_draw_text_view(StUiEditor* v, cairo_t* cr);
void st_ui_draw_palette(StUiEditor* v, cairo_t* cr);
void st_ui_draw_error(StUiEditor* v, cairo_t* cr);
void st_ui_draw_scope(StUiEditor* v, cairo_t* cr);

#endif
