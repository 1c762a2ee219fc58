/* SPDX-License-Identifier: ISC */
/* The selected node's parameter controls and the macro strip. */
#include "control.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The value a parameter's control shows: the one being dragged or typed;
   for a parameter a macro drives, the macro's value through its map (what
   the engine plays); else what the plugin confirmed. */
static float
shown_value(const StUiEditor* v, const StNodeSlot* s, int i)
{
  if (v->drag == ST_UI_DRAG_PARAM && v->drag_param == i) {
    return v->drag_value;
  }
  const StGraph* g = v->model->mirror->graph;
  for (uint32_t k = 0; k < st_graph_map_count(g); ++k) {
    const StMacroMap* map = st_graph_map_at(g, k);
    if (st_ui_mirror_node(v->model->mirror, map->node.index) == s &&
        map->param == (uint32_t)i) {
      const float m = v->model->macros[map->slot];
      return map->curve == ST_CURVE_EXPONENTIAL ? map->min * powf(map->max / map->min, m)
                                                : map->min + (map->max - map->min) * m;
    }
  }
  return s->params[i].target;
}

static void
draw_choices(StUiEditor* v, cairo_t* cr, const StParamSpec* p, float value, StUiRect bar)
{
  int n = 0;
  while (p->choices[n]) {
    ++n;
  }
  const float w = bar.w / (float)n;
  for (int k = 0; k < n; ++k) {
    const StUiRect seg = {bar.x + (float)k * w, bar.y, w - 2, bar.h};
    const bool     on  = k == (int)lrintf(value);
    st_ui_set(cr, on ? ST_UI_ACCENT : ST_UI_BOX, 1.0);
    st_ui_round_rect(cr, seg, 3.0);
    cairo_fill(cr);
    st_ui_set(cr, on ? ST_UI_BG : ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_small, seg, ST_UI_ALIGN_CENTER, p->choices[k]);
  }
}

/* "M3" on a parameter a macro drives. */
static void
draw_macro_tags(StUiEditor* v, cairo_t* cr, const StNodeSlot* s, uint32_t i, StUiRect bar)
{
  const StGraph* g = v->model->mirror->graph;
  for (uint32_t k = 0; k < st_graph_map_count(g); ++k) {
    const StMacroMap* map = st_graph_map_at(g, k);
    if (st_ui_mirror_node(v->model->mirror, map->node.index) == s && map->param == i) {
      char tag[8];
      snprintf(tag, sizeof(tag), "M%u", map->slot + 1);
      st_ui_set(cr, ST_UI_SELECT, 1.0);
      st_ui_text(v, cr, v->font_small, (StUiRect){bar.x - 26, bar.y, 24, bar.h},
                 ST_UI_ALIGN_RIGHT, tag);
    }
  }
}

static void
draw_param(StUiEditor* v, cairo_t* cr, uint32_t i, const StNodeSlot* s)
{
  const StParamSpec* p     = &s->type->params[i];
  const float        value = shown_value(v, s, (int)i);
  const StUiRect     row   = st_ui_inspector_row(&v->model->frame, i);
  const StUiRect     bar   = st_ui_inspector_slider(&v->model->frame, i);
  st_ui_set(cr, ST_UI_TEXT, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){row.x + 10, row.y, ST_UI_LABEL_W - 34, row.h},
             ST_UI_ALIGN_LEFT, p->name);
  draw_macro_tags(v, cr, s, i, bar);
  if ((p->flags & ST_PARAM_CHOICE) && p->choices) {
    draw_choices(v, cr, p, value, bar);
    return;
  }
  st_ui_set(cr, ST_UI_BG, 1.0);
  st_ui_round_rect(cr, bar, 3.0);
  cairo_fill(cr);
  const float f = st_ui_control_fraction(p, value);
  st_ui_set(cr, (p->flags & ST_PARAM_FIXED) ? ST_UI_DIM : ST_UI_ACCENT, 0.55);
  st_ui_round_rect(cr, (StUiRect){bar.x, bar.y, fmaxf(4.0f, bar.w * f), bar.h}, 3.0);
  cairo_fill(cr);
  char text[64];
  if (v->entry_param == (int)i) {
    snprintf(text, sizeof(text), "%s|", v->entry);
  } else {
    st_ui_control_format(p, value, text, sizeof(text));
  }
  st_ui_set(cr, v->entry_param == (int)i ? ST_UI_SELECT : ST_UI_TEXT, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){bar.x + 6, bar.y, bar.w - 12, bar.h},
             ST_UI_ALIGN_RIGHT, text);
}

static void
draw_macro_menu(StUiEditor* v, cairo_t* cr)
{
  const StUiRect a = st_ui_macro_menu_rect(v, 0), b = st_ui_macro_menu_rect(v, 15);
  const StUiRect all = {a.x - 6, a.y - 22, b.x + b.w - a.x + 12, b.y + b.h - a.y + 28};
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.4);
  st_ui_round_rect(cr, (StUiRect){all.x + 2, all.y + 4, all.w, all.h}, 5.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_round_rect(cr, all, 5.0);
  cairo_fill_preserve(cr);
  st_ui_set(cr, ST_UI_EDGE, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(v, cr, v->font_small, (StUiRect){all.x + 6, all.y + 2, all.w - 12, 18},
             ST_UI_ALIGN_LEFT, "Map to macro");
  for (int k = 0; k < ST_PLUGIN_MACROS; ++k) {
    const StUiRect r = st_ui_macro_menu_rect(v, k);
    char           n[4];
    snprintf(n, sizeof(n), "%d", k + 1);
    st_ui_set(cr, ST_UI_BOX, 1.0);
    st_ui_round_rect(cr, r, 3.0);
    cairo_fill(cr);
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_small, r, ST_UI_ALIGN_CENTER, n);
  }
}

void
st_ui_draw_panel(StUiEditor* v, cairo_t* cr)
{
  const StNodeSlot* s = v->model->focus >= 0
                          ? st_ui_mirror_node(v->model->mirror, (uint32_t)v->model->focus)
                          : NULL;
  const StUiRect    p = v->model->frame.inspector;
  if (!s || p.w <= 0) {
    return;
  }
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.35);
  st_ui_round_rect(cr, (StUiRect){p.x - 2, p.y + 4, p.w, p.h}, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_PANEL, 0.97);
  st_ui_round_rect(cr, (StUiRect){p.x, p.y, p.w + 6, p.h + 6}, 6.0);
  cairo_fill(cr);
  char title[2 * ST_NAME_MAX + 8];
  snprintf(title, sizeof(title), "%s  ·  %s", s->name, s->type->name);
  st_ui_set(cr, st_ui_family_color(s->type->family), 1.0);
  st_ui_fill_rect(cr, (StUiRect){p.x, p.y + 6, 3, ST_UI_INSPECTOR_ROW - 12});
  st_ui_set(cr, ST_UI_TEXT, 1.0);
  st_ui_text(v, cr, v->font_ui, (StUiRect){p.x + 10, p.y, p.w - 20, ST_UI_INSPECTOR_ROW},
             ST_UI_ALIGN_LEFT, title);
  cairo_save(cr);
  cairo_rectangle(cr, p.x, p.y, p.w, p.h);
  cairo_clip(cr);
  for (uint32_t i = 0; i < s->type->n_params; ++i) {
    draw_param(v, cr, i, s);
  }
  cairo_restore(cr);
  if (v->macro_menu_param >= 0) {
    draw_macro_menu(v, cr);
  }
}

/* The label of a macro slot: the patch's label, else what it drives. */
static bool
macro_label(const StUiEditor* v, int slot, char* out, size_t size)
{
  const StGraph* g = v->model->mirror->graph;
  snprintf(out, size, "Macro %d", slot + 1);
  for (uint32_t k = 0; k < st_graph_map_count(g); ++k) {
    const StMacroMap* map = st_graph_map_at(g, k);
    const StNodeSlot* s   = st_ui_mirror_node(v->model->mirror, map->node.index);
    if (map->slot == (uint32_t)slot && s) {
      if (map->label[0]) {
        snprintf(out, size, "%s", map->label);
      } else {
        snprintf(out, size, "%s.%s", s->name, s->type->params[map->param].name);
      }
      return true;
    }
  }
  return false;
}

void
st_ui_draw_macros(StUiEditor* v, cairo_t* cr)
{
  const StUiRect m = v->model->frame.strip;
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_fill_rect(cr, m);
  st_ui_set(cr, ST_UI_EDGE, 1.0);
  st_ui_fill_rect(cr, (StUiRect){m.x, m.y, m.w, 1});
  for (int k = 0; k < ST_PLUGIN_MACROS; ++k) {
    const StUiRect cell = st_ui_strip_slot(&v->model->frame, (uint32_t)k);
    const StUiRect r    = {cell.x + 3, cell.y + 5, cell.w - 6, cell.h - 10};
    char           label[ST_NAME_MAX + 16];
    const bool     mapped = macro_label(v, k, label, sizeof(label));
    st_ui_set(cr, ST_UI_BOX, mapped ? 1.0 : 0.5);
    st_ui_round_rect(cr, r, 4.0);
    cairo_fill(cr);
    const StUiRect bar = {r.x + 5, r.y + r.h - 10, r.w - 10, 5};
    st_ui_set(cr, ST_UI_BG, 1.0);
    st_ui_round_rect(cr, bar, 2.0);
    cairo_fill(cr);
    st_ui_set(cr, mapped ? ST_UI_ACCENT : ST_UI_DIM, 1.0);
    st_ui_round_rect(
      cr, (StUiRect){bar.x, bar.y, fmaxf(3.0f, bar.w * v->model->macros[k]), bar.h}, 2.0);
    cairo_fill(cr);
    st_ui_set(cr, mapped ? ST_UI_TEXT : ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_small, (StUiRect){r.x + 4, r.y + 1, r.w - 8, r.h - 12},
               ST_UI_ALIGN_CENTER, label);
  }
}
