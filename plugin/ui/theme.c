/* SPDX-License-Identifier: ISC */
/* The editor's theme and text drawing (theme.h). */
#include "theme.h"

#include <math.h>
#include <string.h>

StUiColor
st_ui_family_color(const char* family)
{
  static const struct {
    const char* family;
    StUiColor   color;
  } families[] = {
    {"Sources", {0.235, 0.420, 0.660}},    {"Shapers", {0.540, 0.340, 0.620}},
    {"Envelopes", {0.250, 0.540, 0.420}},  {"Space", {0.650, 0.400, 0.220}},
    {"Sequencing", {0.200, 0.540, 0.560}}, {"I/O", {0.520, 0.470, 0.250}},
  };
  for (size_t i = 0; family && i < sizeof(families) / sizeof(families[0]); ++i) {
    if (!strcmp(family, families[i].family)) {
      return families[i].color;
    }
  }
  return (StUiColor){0.330, 0.370, 0.430};
}

void
st_ui_set(cairo_t* cr, StUiColor c, double alpha)
{
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void
st_ui_round_rect(cairo_t* cr, StUiRect r, double radius)
{
  const double d = ST_UI_PI / 180.0;
  cairo_new_sub_path(cr);
  cairo_arc(cr, r.x + r.w - radius, r.y + radius, radius, -90 * d, 0);
  cairo_arc(cr, r.x + r.w - radius, r.y + r.h - radius, radius, 0, 90 * d);
  cairo_arc(cr, r.x + radius, r.y + r.h - radius, radius, 90 * d, 180 * d);
  cairo_arc(cr, r.x + radius, r.y + radius, radius, 180 * d, 270 * d);
  cairo_close_path(cr);
}

static PangoLayout*
layout_for(cairo_t* cr, PangoFontDescription* font, const char* text)
{
  PangoLayout* layout = pango_cairo_create_layout(cr);
  pango_layout_set_font_description(layout, font);
  pango_layout_set_text(layout, text, -1);
  return layout;
}

void
st_ui_text(StUiEditor* v, cairo_t* cr, PangoFontDescription* font, StUiRect r, StUiAlign align,
           const char* text)
{
  (void)v;
  PangoLayout* layout = layout_for(cr, font, text);
  pango_layout_set_width(layout, (int)(r.w * PANGO_SCALE));
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment(layout, align == ST_UI_ALIGN_LEFT     ? PANGO_ALIGN_LEFT
                                     : align == ST_UI_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                                                   : PANGO_ALIGN_RIGHT);
  int w, h;
  pango_layout_get_pixel_size(layout, &w, &h);
  cairo_move_to(cr, r.x, r.y + (r.h - h) * 0.5);
  pango_cairo_show_layout(cr, layout);
  g_object_unref(layout);
}

double
st_ui_text_width(StUiEditor* v, cairo_t* cr, PangoFontDescription* font, const char* text)
{
  (void)v;
  PangoLayout* layout = layout_for(cr, font, text);
  int          w, h;
  pango_layout_get_pixel_size(layout, &w, &h);
  g_object_unref(layout);
  return w;
}

void
st_ui_fill_rect(cairo_t* cr, StUiRect r)
{
  cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  cairo_fill(cr);
}
