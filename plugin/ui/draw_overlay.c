/* SPDX-License-Identifier: ISC */
/* What floats above the editor: the palette, error bubbles and the scope. */
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void
st_ui_draw_palette(StUiEditor* v, cairo_t* cr)
{
  const StUiRect r = st_ui_palette_rect(v);
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.4);
  st_ui_round_rect(cr, (StUiRect){r.x + 3, r.y + 5, r.w, r.h}, 8.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_round_rect(cr, r, 8.0);
  cairo_fill_preserve(cr);
  st_ui_set(cr, ST_UI_EDGE, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
  const StUiRect field = {r.x + 10, r.y + 8, r.w - 20, 28};
  st_ui_set(cr, ST_UI_BG, 1.0);
  st_ui_round_rect(cr, field, 4.0);
  cairo_fill(cr);
  char query[48];
  snprintf(query, sizeof(query), "%s|", v->palette_query);
  st_ui_set(cr, v->palette_query[0] ? ST_UI_TEXT : ST_UI_DIM, 1.0);
  st_ui_text(v, cr, v->font_ui, (StUiRect){field.x + 8, field.y, field.w - 16, field.h},
             ST_UI_ALIGN_LEFT, v->palette_query[0] ? query : "Type to find a node type...");
  for (size_t i = 0; i < v->palette_count && i < ST_UI_PALETTE_ROWS; ++i) {
    const StUiPaletteItem* it  = &v->palette_items[i];
    const StUiRect         row = st_ui_palette_row(v, (int)i);
    if ((int)i == v->palette_pick) {
      st_ui_set(cr, ST_UI_ACCENT, 0.25);
      st_ui_round_rect(cr, row, 4.0);
      cairo_fill(cr);
    }
    st_ui_set(cr, st_ui_family_color(it->type->family), 1.0);
    st_ui_fill_rect(cr, (StUiRect){row.x + 4, row.y + 7, 4, 14});
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_ui, (StUiRect){row.x + 14, row.y, 80, row.h}, ST_UI_ALIGN_LEFT,
               it->type->name);
    char doc[160];
    snprintf(doc, sizeof(doc), "%.*s", (int)(it->doc_length < 159 ? it->doc_length : 159),
             it->doc);
    st_ui_set(cr, ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_small, (StUiRect){row.x + 96, row.y, row.w - 100, row.h},
               ST_UI_ALIGN_LEFT, doc);
  }
}

/* A refused edit's reason, next to what it concerns: the node (or its
   port) it names, the text view for a text error, else where the gesture was. */
void
st_ui_draw_error(StUiEditor* v, cairo_t* cr)
{
  const StUiError* err = &v->model->error;
  if (!err->shown || !err->text[0]) {
    return;
  }
  const StUiRect c = v->model->frame.canvas;
  StUiPoint      at;
  if (err->line && v->model->text_shown) {
    at = (StUiPoint){v->model->frame.text.x + 12,
                     v->model->frame.text.y + v->model->frame.text.h - 40};
  } else if (err->node >= 0 && st_ui_mirror_node(v->model->mirror, (uint32_t)err->node)) {
    const StUiRect r = st_ui_node_box(v, (uint32_t)err->node);
    at               = (StUiPoint){r.x, r.y + r.h + 8};
    if (err->port >= 0 && err->port_kind != 'p') {
      at = st_ui_port_point(v, (uint32_t)err->node, err->port_kind == 'o', (uint32_t)err->port);
      at.x += 8, at.y += 10;
    }
  } else {
    at = st_ui_view_window(&v->model->view, err->at);
    at.x += 12, at.y += 12;
  }
  const float limit =
    (v->model->text_shown ? v->model->frame.text.x + v->model->frame.text.w : c.x + c.w) - 16;
  const float w =
    fminf((float)st_ui_text_width(v, cr, v->font_small, err->text) + 20, limit - c.x);
  at.x             = fmaxf(c.x + 8, fminf(at.x, limit - w));
  at.y             = fmaxf(c.y + 8, fminf(at.y, c.y + c.h - 34));
  const StUiRect b = {at.x, at.y, w, 26};
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.4);
  st_ui_round_rect(cr, (StUiRect){b.x + 2, b.y + 3, b.w, b.h}, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_ERROR, 1.0);
  st_ui_round_rect(cr, b, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, (StUiColor){1, 1, 1}, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){b.x + 10, b.y, b.w - 20, b.h}, ST_UI_ALIGN_LEFT,
             err->text);
}

void
st_ui_draw_scope(StUiEditor* v, cairo_t* cr)
{
  const StUiMirror* m = v->model->mirror;
  if (!m->probe[0]) {
    return;
  }
  const StUiRect c = v->model->frame.canvas;
  const StUiRect r = {c.x + 10, c.y + c.h - 100, 230, 90};
  st_ui_set(cr, ST_UI_PANEL, 0.95);
  st_ui_round_rect(cr, r, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){r.x + 8, r.y + 2, r.w - 16, 16}, ST_UI_ALIGN_LEFT,
             m->probe);
  st_ui_set(cr, ST_UI_GRID, 1.0);
  st_ui_fill_rect(cr, (StUiRect){r.x + 8, r.y + 20 + (r.h - 28) * 0.5f, r.w - 16, 1});
  float peak = 1e-6f;
  for (int i = 0; i < ST_UI_SCOPE_SAMPLES; ++i) {
    peak = fmaxf(peak, fabsf(m->scope[i]));
  }
  const double gain = peak > 1.0f ? 1.0 / peak : 1.0;
  st_ui_set(cr, ST_UI_SELECT, 1.0);
  cairo_set_line_width(cr, 1.2);
  for (int i = 0; i < ST_UI_SCOPE_SAMPLES; ++i) {
    double x = r.x + 8 + (r.w - 16) * i / (ST_UI_SCOPE_SAMPLES - 1.0);
    double y = r.y + 20 + (r.h - 28) * (0.5 - 0.5 * gain * m->scope[i]);
    (i ? cairo_line_to : cairo_move_to)(cr, x, y);
  }
  cairo_stroke(cr);
}
