/* SPDX-License-Identifier: ISC */
/* The text view beside the canvas: the patch text, editable, monospaced,
   with the parse error marked at its line and column. */
#include "theme.h"

#include <stdio.h>
#include <string.h>

#define LINE_H ST_UI_TEXT_LINE_H  ///< Logical pixels per text line
#define GUTTER ST_UI_TEXT_GUTTER  ///< Line numbers

void
st_ui_draw_text_view(StUiEditor* v, cairo_t* cr)
{
  const StUiRect t = v->model->frame.text;
  st_ui_set(cr, ST_UI_BG, 1.0);
  st_ui_fill_rect(cr, t);
  st_ui_set(cr, v->text_focus ? ST_UI_ACCENT : ST_UI_EDGE, 1.0);
  cairo_rectangle(cr, t.x, t.y, 1.0, t.h);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){t.x + 8, t.y + 2, t.w - 16, 20}, ST_UI_ALIGN_LEFT,
             v->model->text.edited ? "Patch text, edited: ctrl+Return applies it"
                                   : "Patch text (click to edit)");
  cairo_save(cr);
  cairo_rectangle(cr, t.x, t.y + 24, t.w, t.h - 24);
  cairo_clip(cr);
  unsigned cur_line, cur_col;
  st_ui_text_position(&v->model->text, v->model->text.cursor, &cur_line, &cur_col);
  unsigned n     = st_ui_text_line_count(&v->model->text);
  unsigned rows  = (unsigned)((t.h - 30) / LINE_H);
  unsigned first = cur_line > rows ? cur_line - rows + 1 : 1;
  v->text_first  = first;
  size_t sel_from, sel_to;
  st_ui_text_selection(&v->model->text, &sel_from, &sel_to);
  for (unsigned line = first; line <= n; ++line) {
    double y = t.y + ST_UI_TEXT_TOP + (line - first) * LINE_H;
    if (y > t.y + t.h) {
      break;
    }
    size_t start, length;
    st_ui_text_line(&v->model->text, line, &start, &length);
    char num[12];
    snprintf(num, sizeof(num), "%u", line);
    st_ui_set(cr, line == v->model->error.line ? ST_UI_ERROR : ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_mono, (StUiRect){t.x + 2, (float)y, GUTTER - 8, LINE_H},
               ST_UI_ALIGN_RIGHT, num);
    char buf[512];
    snprintf(buf, sizeof(buf), "%.*s",
             (int)(length < sizeof(buf) - 1 ? length : sizeof(buf) - 1),
             v->model->text.text + start);
    const double cw = st_ui_text_width(v, cr, v->font_mono, "MMMMMMMMMM") / 10.0;
    v->text_char_w  = cw;
    if (line == v->model->error.line) {
      double ex = t.x + GUTTER + (v->model->error.column ? v->model->error.column - 1 : 0) * cw;
      st_ui_set(cr, ST_UI_ERROR, 0.25);
      cairo_rectangle(cr, t.x + GUTTER - 4, y, t.w - GUTTER, LINE_H);
      cairo_fill(cr);
      st_ui_set(cr, ST_UI_ERROR, 1.0);
      cairo_rectangle(cr, ex, y + LINE_H - 2, cw, 2);
      cairo_fill(cr);
    }
    // The part of the selection on this line (its newline too, when selected).
    const size_t a = sel_from > start ? sel_from : start;
    const size_t b = sel_to < start + length + 1 ? sel_to : start + length + 1;
    if (b > a) {
      st_ui_set(cr, ST_UI_ACCENT, 0.3);
      cairo_rectangle(cr, t.x + GUTTER + (double)(a - start) * cw, y, (double)(b - a) * cw,
                      LINE_H);
      cairo_fill(cr);
    }
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_mono,
               (StUiRect){t.x + GUTTER, (float)y, t.w - GUTTER - 4, LINE_H}, ST_UI_ALIGN_LEFT,
               buf);
    if (v->text_focus && line == cur_line) {
      st_ui_set(cr, ST_UI_SELECT, 1.0);
      cairo_rectangle(cr, t.x + GUTTER + (cur_col - 1) * cw, y + 1, 1.5, LINE_H - 2);
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);
}
