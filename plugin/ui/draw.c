/* SPDX-License-Identifier: ISC */
/* One frame of the editor: the toolbar, then in the model's window below
   it the canvas, the text view, the parameter controls, the macro strip
   and what floats above them. */
#include "prompt.h"
#include "theme.h"

#include <stdio.h>

static const char* const buttons[ST_UI_BUTTONS] = {"Add",  "Fit",    "Text", "Undo",
                                                   "Redo", "Delete", "Load", "Save"};

static void
draw_toolbar(StUiEditor* v, cairo_t* cr)
{
  const float w = (float)(v->width / v->scale);
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_fill_rect(cr, (StUiRect){0, 0, w, ST_UI_TOOLBAR_H});
  st_ui_set(cr, ST_UI_EDGE, 1.0);
  st_ui_fill_rect(cr, (StUiRect){0, ST_UI_TOOLBAR_H - 1, w, 1});
  for (int i = 0; i < ST_UI_BUTTONS; ++i) {
    const StUiRect b  = st_ui_button_rect(i);
    const bool     on = (i == 2 && v->model->text_shown) || (i == 0 && v->palette_open);
    st_ui_set(cr, on ? ST_UI_ACCENT : ST_UI_BOX, on ? 0.55 : 1.0);
    st_ui_round_rect(cr, b, 4.0);
    cairo_fill(cr);
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_ui, b, ST_UI_ALIGN_CENTER, buttons[i]);
  }
  char           info[96];
  const StUiRect last = st_ui_button_rect(ST_UI_BUTTONS);
  snprintf(info, sizeof(info), "Strata  ·  %u nodes", st_graph_count(v->model->mirror->graph));
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(v, cr, v->font_ui, (StUiRect){last.x, 0, w - last.x - 12, ST_UI_TOOLBAR_H},
             ST_UI_ALIGN_RIGHT, info);
}

void
st_ui_draw(StUiEditor* v, cairo_t* cr)
{
  st_ui_set(cr, ST_UI_BG, 1.0);
  cairo_paint(cr);
  draw_toolbar(v, cr);
  cairo_translate(cr, 0, ST_UI_TOOLBAR_H);  // The model's window
  st_ui_draw_canvas(v, cr);
  st_ui_draw_scope(v, cr);
  if (v->model->text_shown) {
    st_ui_draw_text_view(v, cr);
  }
  st_ui_draw_panel(v, cr);
  st_ui_draw_macros(v, cr);
  if (v->palette_open) {
    st_ui_draw_palette(v, cr);
  }
  st_ui_prompt_draw(v, cr);
  st_ui_draw_error(v, cr);
}
