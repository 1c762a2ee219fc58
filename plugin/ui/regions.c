/* SPDX-License-Identifier: ISC */
/* The regions the model does not lay out (toolbar, palette, macro menu),
   and the canvas through the model's layout and view. */
#include "editor.h"

#include <string.h>

#include <math.h>

StUiRect
st_ui_button_rect(int index)
{
  return (StUiRect){8.0f + (float)index * 66.0f, 5.0f, 60.0f, 24.0f};
}

StUiRect
st_ui_palette_rect(const StUiEditor* e)
{
  const StUiRect c = e->model->frame.canvas;
  const float    w = 440.0f, h = 44.0f + ST_UI_PALETTE_ROWS * 30.0f;
  return (StUiRect){c.x + floorf((c.w - w) * 0.5f), c.y + 16.0f, w, h};
}

StUiRect
st_ui_palette_row(const StUiEditor* e, int row)
{
  const StUiRect r = st_ui_palette_rect(e);
  return (StUiRect){r.x + 6, r.y + 42 + (float)row * 30.0f, r.w - 12, 28};
}

StUiRect
st_ui_macro_menu_rect(const StUiEditor* e, int slot)
{
  const StUiRect row = st_ui_inspector_row(&e->model->frame, (uint32_t)e->macro_menu_param);
  const float    w   = 30.0f;
  return (StUiRect){row.x - 4 * w - 12 + (float)(slot % 4) * w,
                    row.y + 20 + (float)(slot / 4) * 24, w - 2, 22};
}

StUiRect
st_ui_node_box(const StUiEditor* e, uint32_t node)
{
  const StUiRect  b  = e->model->layout.boxes[node];
  const StUiPoint at = st_ui_view_window(&e->model->view, (StUiPoint){b.x, b.y});
  return (StUiRect){at.x, at.y, b.w * e->model->view.zoom, b.h * e->model->view.zoom};
}

StUiPoint
st_ui_port_point(const StUiEditor* e, uint32_t node, bool output, uint32_t port)
{
  return st_ui_view_window(
    &e->model->view,
    st_ui_layout_port(&e->model->layout, e->model->mirror, node, output, port));
}

float
st_ui_measure(void* editor, const char* text, size_t length)
{
  StUiEditor*  e      = editor;
  PangoLayout* layout = pango_layout_new(e->measure);
  pango_layout_set_font_description(layout, e->font_ui);
  pango_layout_set_text(layout, text, (int)length);
  int w, h;
  pango_layout_get_pixel_size(layout, &w, &h);
  g_object_unref(layout);
  return (float)w;
}

/* The breadcrumbs run along the canvas's top left, one box each, a gap
   with an arrow between them. */
#define CRUMB_INSET 8.0f
#define CRUMB_H 24.0f
#define CRUMB_GAP 18.0f

StUiRect
st_ui_crumb_rect(const StUiEditor* e, uint32_t level)
{
  const StUiRect c = e->model->frame.canvas;
  float          x = c.x + CRUMB_INSET;
  for (uint32_t l = 0;; ++l) {
    char text[ST_UI_CRUMB_MAX];
    st_ui_model_crumb(e->model, l, text, sizeof(text));
    const float w = st_ui_measure((void*)e, text, strlen(text)) + 2 * ST_UI_PAD;
    if (l >= level) {
      return (StUiRect){x, c.y + CRUMB_INSET, w, CRUMB_H};
    }
    x += w + CRUMB_GAP;
  }
}
