/* SPDX-License-Identifier: ISC */
/* The canvas: node boxes with their named ports, cables as curves, the
   cable being dragged, the selection and each node's sounding light. */
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SOUNDING 1e-4f  ///< Peak above which a node counts as sounding (-80 dBFS)

/* Canvas units: the cairo transform is the view's (zoom and pan), so boxes,
   lines and text all scale together. */
static StUiRect
box(const StUiEditor* v, uint32_t node)
{
  return v->model->layout.boxes[node];
}

static StUiPoint
port(const StUiEditor* v, uint32_t node, bool output, uint32_t p)
{
  return st_ui_layout_port(&v->model->layout, v->model->mirror, node, output, p);
}

static void
draw_grid(StUiEditor* v, cairo_t* cr, StUiRect c)
{
  st_ui_set(cr, ST_UI_CANVAS, 1.0);
  st_ui_fill_rect(cr, c);
  const double step = 24.0 * v->model->view.zoom;
  if (step < 8.0) {
    return;
  }
  st_ui_set(cr, ST_UI_GRID, 1.0);
  const double x0 = c.x + fmod(v->model->view.x - c.x, step) - step;
  const double y0 = c.y + fmod(v->model->view.y - c.y, step) - step;
  for (double x = x0; x < c.x + c.w; x += step) {
    for (double y = y0; y < c.y + c.h; y += step) {
      cairo_rectangle(cr, floor(x), floor(y), 1.0, 1.0);
    }
  }
  cairo_fill(cr);
}

static void
curve(cairo_t* cr, StUiPoint from, StUiPoint to)
{
  StUiPoint c[4];
  st_ui_cable_curve(from, to, c);
  cairo_move_to(cr, c[0].x, c[0].y);
  cairo_curve_to(cr, c[1].x, c[1].y, c[2].x, c[2].y, c[3].x, c[3].y);
}

static void
ref_of(const StNodeSlot* s, bool output, uint32_t port, char* ref)
{
  st_ui_ref_join(ref, s->name,
                 output ? s->type->outputs[port].name : s->type->inputs[port].name);
}

/* A cable along the path the layout gives it: curves between columns,
   straight through the lanes it takes past other boxes. */
static void
draw_path(StUiEditor* v, cairo_t* cr, uint32_t dst, uint32_t in)
{
  StUiPoint    points[ST_UI_PATH_MAX];
  StUiPoint    pieces[ST_UI_PATH_MAX][4];
  const size_t n = st_ui_layout_cable_path(&v->model->layout, v->model->mirror, dst, in, points,
                                           ST_UI_PATH_MAX);
  const size_t k = n >= 2 ? st_ui_path_pieces(points, n, pieces) : 0;
  for (size_t i = 0; i < k; ++i) {
    if (i == 0) {
      cairo_move_to(cr, pieces[i][0].x, pieces[i][0].y);
    }
    cairo_curve_to(cr, pieces[i][1].x, pieces[i][1].y, pieces[i][2].x, pieces[i][2].y,
                   pieces[i][3].x, pieces[i][3].y);
  }
  cairo_stroke(cr);
}

static void
draw_cables(StUiEditor* v, cairo_t* cr)
{
  const StUiMirror* m = v->model->mirror;
  cairo_set_line_width(cr, fmax(2.0, 1.2 / v->model->view.zoom));
  for (uint32_t i = 0; i < m->graph->span; ++i) {
    const StNodeSlot* s = st_ui_mirror_node(m, i);
    for (uint32_t p = 0; s && p < s->type->n_inputs; ++p) {
      const StNodeSlot* src =
        s->src[p].node != ST_NO_NODE ? st_ui_mirror_node(m, s->src[p].node) : NULL;
      char in[ST_UI_REF_MAX], out[ST_UI_REF_MAX];
      if (!src) {
        continue;
      }
      ref_of(s, false, p, in);
      ref_of(src, true, s->src[p].port, out);
      if (v->drag == ST_UI_DRAG_CABLE && v->drag_unlinked_node == (int)i &&
          v->drag_unlinked_port == (int)p) {
        continue;  // Picked up: it follows the pointer
      }
      st_ui_set(cr, !strcmp(out, m->probe) ? ST_UI_SELECT : ST_UI_ACCENT, 0.85);
      draw_path(v, cr, i, p);
    }
  }
}

static void
draw_dragged_cable(StUiEditor* v, cairo_t* cr)
{
  if (v->drag != ST_UI_DRAG_CABLE ||
      !st_ui_mirror_node(v->model->mirror, (uint32_t)v->drag_node)) {
    return;
  }
  const StUiPoint at  = port(v, (uint32_t)v->drag_node, v->drag_output, (uint32_t)v->drag_port);
  const StUiPoint ptr = st_ui_view_canvas(&v->model->view, v->ptr);
  const StUiHit   h   = st_ui_model_hit(v->model, v->ptr.x, v->ptr.y);
  const bool      ok  = v->drag_output ? h.kind == ST_UI_HIT_INPUT : h.kind == ST_UI_HIT_OUTPUT;
  st_ui_set(cr, ok ? ST_UI_SELECT : ST_UI_ACCENT, 0.95);
  cairo_set_line_width(cr, fmax(2.0, 1.2 / v->model->view.zoom));
  if (!ok) {
    cairo_set_dash(cr, (const double[]){6.0, 4.0}, 2, 0.0);
  }
  if (v->drag_output) {
    curve(cr, at, ptr);
  } else {
    curve(cr, ptr, at);
  }
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0.0);
}

static void
draw_ports(StUiEditor* v, cairo_t* cr, uint32_t i, const StNodeSlot* s, StUiRect r)
{
  const double row = ST_UI_PORT_H;
  for (uint32_t side = 0; side < 2; ++side) {
    uint32_t          n  = side ? s->type->n_outputs : s->type->n_inputs;
    const StPortSpec* ps = side ? s->type->outputs : s->type->inputs;
    for (uint32_t p = 0; p < n; ++p) {
      StUiPoint at     = port(v, i, side, p);
      bool      linked = side || s->src[p].node != ST_NO_NODE;
      cairo_new_path(cr);  // No line from where the last text ended
      cairo_arc(cr, at.x, at.y, 4.0, 0, 2 * ST_UI_PI);
      st_ui_set(cr, linked ? ST_UI_ACCENT : ST_UI_BOX, 1.0);
      cairo_fill_preserve(cr);
      st_ui_set(cr, ST_UI_ACCENT, 1.0);
      cairo_set_line_width(cr, 1.0);
      cairo_stroke(cr);
      if (v->model->view.zoom * v->scale >= 0.5) {  // Else too small to read
        // A name has the whole row when the other side has no port there.
        const uint32_t other = side ? s->type->n_inputs : s->type->n_outputs;
        const float    pad   = ST_UI_PAD;
        const float    w     = p < other ? r.w * 0.5f - pad : r.w - 2 * pad;
        StUiRect       t = {side ? r.x + r.w - pad - w : r.x + pad, at.y - (float)row * 0.5f, w,
                      (float)row};
        st_ui_set(cr, ST_UI_DIM, 1.0);
        st_ui_text(v, cr, v->font_small, t, side ? ST_UI_ALIGN_RIGHT : ST_UI_ALIGN_LEFT,
                   ps[p].name);
      }
    }
  }
}

static void
draw_node(StUiEditor* v, cairo_t* cr, uint32_t i, const StNodeSlot* s)
{
  const StUiRect r    = box(v, i);
  const float    head = ST_UI_TITLE_H;
  const bool     sel  = st_ui_model_is_selected(v->model, (int)i);
  const double   rad  = 6.0;
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.35);  // Shadow
  st_ui_round_rect(cr, (StUiRect){r.x + 2, r.y + 3, r.w, r.h}, rad);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_BOX, 1.0);
  st_ui_round_rect(cr, r, rad);
  cairo_fill(cr);
  cairo_save(cr);
  st_ui_round_rect(cr, r, rad);
  cairo_clip(cr);
  st_ui_set(cr, st_ui_family_color(s->type->family), 1.0);
  st_ui_fill_rect(cr, (StUiRect){r.x, r.y, r.w, head});
  cairo_restore(cr);
  st_ui_round_rect(cr, (StUiRect){r.x + 0.5f, r.y + 0.5f, r.w - 1, r.h - 1}, rad);
  st_ui_set(cr, sel ? ST_UI_SELECT : ST_UI_EDGE, 1.0);
  cairo_set_line_width(cr, sel ? 2.0 : 1.0);
  cairo_stroke(cr);
  if (st_subpatch_of(s->type)) {  // A second frame: the box holds a patch
    st_ui_round_rect(cr, (StUiRect){r.x - 3.5f, r.y - 3.5f, r.w + 7, r.h + 7}, rad + 3);
    st_ui_set(cr, sel ? ST_UI_SELECT : ST_UI_ACCENT, 0.8);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
  }
  // Sounding light: lit while the node's output is above -80 dBFS.
  cairo_new_path(cr);
  cairo_arc(cr, r.x + r.w - 9.0, r.y + head * 0.5, 3.5, 0, 2 * ST_UI_PI);
  st_ui_set(cr, v->model->mirror->levels[i] > SOUNDING ? ST_UI_SOUND : ST_UI_CANVAS, 1.0);
  cairo_fill(cr);
  if (v->model->view.zoom * v->scale >=
      0.35) {  // The name, and the type in a smaller dim hand before the light
    const float pad = ST_UI_PAD;
    char        label[ST_UI_CRUMB_MAX];
    st_ui_type_label(s, label, sizeof(label));
    const float type = (float)st_ui_text_width(v, cr, v->font_small, label);
    const bool  both = strcmp(s->name, label) != 0 && !st_ui_is_port_node(s);
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_ui,
               (StUiRect){r.x + pad, r.y, r.w - 2 * pad - (both ? type + 4 : 0) - 10, head},
               ST_UI_ALIGN_LEFT, s->name);
    if (both) {
      st_ui_set(cr, ST_UI_TEXT, 0.7);
      st_ui_text(v, cr, v->font_small, (StUiRect){r.x + r.w - 16 - type, r.y, type, head},
                 ST_UI_ALIGN_RIGHT, label);
    }
  }
  draw_ports(v, cr, i, s, r);
}

/* Inside a sub-patch: where the canvas is ("Poly Pad ▸ pad (voice ×8)"),
   each level a box to click to go back out to, and that it is read-only. */
static void
draw_crumbs(StUiEditor* v, cairo_t* cr)
{
  const uint32_t depth = st_ui_model_depth(v->model);
  StUiRect       r     = {0, 0, 0, 0};
  for (uint32_t level = 0; depth && level <= depth; ++level) {
    char text[ST_UI_CRUMB_MAX];
    st_ui_model_crumb(v->model, level, text, sizeof(text));
    r = st_ui_crumb_rect(v, level);
    st_ui_set(cr, ST_UI_BOX, 0.95);
    st_ui_round_rect(cr, r, 4.0);
    cairo_fill(cr);
    st_ui_set(cr, level == depth ? ST_UI_SELECT : ST_UI_EDGE, 1.0);
    cairo_set_line_width(cr, 1.0);
    st_ui_round_rect(cr, (StUiRect){r.x + 0.5f, r.y + 0.5f, r.w - 1, r.h - 1}, 4.0);
    cairo_stroke(cr);
    st_ui_set(cr, ST_UI_TEXT, 1.0);
    st_ui_text(v, cr, v->font_ui, r, ST_UI_ALIGN_CENTER, text);
    if (level < depth) {
      st_ui_set(cr, ST_UI_DIM, 1.0);
      st_ui_text(v, cr, v->font_ui, (StUiRect){r.x + r.w, r.y, 18.0f, r.h}, ST_UI_ALIGN_CENTER,
                 "\xe2\x96\xb8");
    }
  }
  if (depth) {
    st_ui_set(cr, ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_small, (StUiRect){r.x + r.w + 10, r.y, 200, r.h},
               ST_UI_ALIGN_LEFT, "read-only \xc2\xb7 Esc: back up");
  }
}

void
st_ui_draw_canvas(StUiEditor* v, cairo_t* cr)
{
  const StUiRect c = v->model->frame.canvas;
  cairo_save(cr);
  cairo_rectangle(cr, c.x, c.y, c.w, c.h);
  cairo_clip(cr);
  draw_grid(v, cr, c);
  cairo_save(cr);
  cairo_translate(cr, v->model->view.x, v->model->view.y);
  cairo_scale(cr, v->model->view.zoom, v->model->view.zoom);
  draw_cables(v, cr);
  const StUiMirror* m = v->model->mirror;
  for (uint32_t i = 0; i < m->graph->span; ++i) {
    const StNodeSlot* s = st_ui_mirror_node(m, i);
    if (s) {
      draw_node(v, cr, i, s);
    }
  }
  draw_dragged_cable(v, cr);
  cairo_restore(cr);
  draw_crumbs(v, cr);
  if (!v->fitted) {
    st_ui_set(cr, ST_UI_DIM, 1.0);
    st_ui_text(v, cr, v->font_ui, c, ST_UI_ALIGN_CENTER, "Waiting for the plugin's patch...");
  }
  cairo_restore(cr);
}
