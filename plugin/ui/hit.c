/* SPDX-License-Identifier: ISC */
#include "hit.h"

#include <math.h>

#define FIT_MARGIN 24.0f
#define FIT_MAX_ZOOM 1.5f
#define CABLE_SEGMENTS 32

StUiPoint
st_ui_view_window(const StUiView* v, StUiPoint c)
{
  return (StUiPoint){c.x * v->zoom + v->x, c.y * v->zoom + v->y};
}

StUiPoint
st_ui_view_canvas(const StUiView* v, StUiPoint w)
{
  return (StUiPoint){(w.x - v->x) / v->zoom, (w.y - v->y) / v->zoom};
}

void
st_ui_view_zoom(StUiView* v, float factor, StUiPoint at)
{
  const StUiPoint fixed = st_ui_view_canvas(v, at);
  float           zoom  = v->zoom * factor;
  zoom                  = zoom < ST_UI_ZOOM_MIN ? ST_UI_ZOOM_MIN : zoom;
  zoom                  = zoom > ST_UI_ZOOM_MAX ? ST_UI_ZOOM_MAX : zoom;
  v->zoom               = zoom;
  v->x                  = at.x - fixed.x * zoom;
  v->y                  = at.y - fixed.y * zoom;
}

void
st_ui_view_fit(StUiView* v, StUiRect b, StUiRect area)
{
  const float w  = area.w - 2 * FIT_MARGIN;
  const float h  = area.h - 2 * FIT_MARGIN;
  float       zx = b.w > 0 ? w / b.w : FIT_MAX_ZOOM;
  float       zy = b.h > 0 ? h / b.h : FIT_MAX_ZOOM;
  float       z  = zx < zy ? zx : zy;
  z              = z > FIT_MAX_ZOOM ? FIT_MAX_ZOOM : z;
  z              = z < ST_UI_ZOOM_MIN ? ST_UI_ZOOM_MIN : z;
  v->zoom        = z;
  v->x           = area.x + area.w / 2 - (b.x + b.w / 2) * z;
  v->y           = area.y + area.h / 2 - (b.y + b.h / 2) * z;
}

void
st_ui_frame_compute(StUiFrame* f, float width, float height, bool text_shown, uint32_t n_params)
{
  const float top = height > ST_UI_STRIP_H ? height - ST_UI_STRIP_H : 0;
  const float tw  = text_shown ? floorf(width * 0.4f) : 0;
  f->strip        = (StUiRect){0, top, width, height - top};
  f->text         = (StUiRect){width - tw, 0, tw, top};
  f->canvas       = (StUiRect){0, 0, width - tw, top};
  float ih        = n_params ? (float)(n_params + 1) * ST_UI_INSPECTOR_ROW : 0;
  ih              = ih > top ? top : ih;
  const float iw =
    n_params ? (ST_UI_INSPECTOR_W < f->canvas.w ? ST_UI_INSPECTOR_W : f->canvas.w) : 0;
  f->inspector = (StUiRect){f->canvas.w - iw, 0, iw, ih};
}

StUiRect
st_ui_inspector_row(const StUiFrame* f, uint32_t param)
{
  return (StUiRect){f->inspector.x, f->inspector.y + (float)(param + 1) * ST_UI_INSPECTOR_ROW,
                    f->inspector.w, ST_UI_INSPECTOR_ROW};
}

StUiRect
st_ui_inspector_slider(const StUiFrame* f, uint32_t param)
{
  const StUiRect row = st_ui_inspector_row(f, param);
  return (StUiRect){row.x + ST_UI_LABEL_W, row.y + 4, row.w - ST_UI_LABEL_W - 8, row.h - 8};
}

StUiRect
st_ui_strip_slot(const StUiFrame* f, uint32_t slot)
{
  const float w = f->strip.w / 16;
  return (StUiRect){f->strip.x + (float)slot * w, f->strip.y, w, f->strip.h};
}

void
st_ui_cable_curve(StUiPoint from, StUiPoint to, StUiPoint c[4])
{
  float pull = fabsf(to.x - from.x) / 2;
  pull       = pull < 40 ? 40 : pull;
  c[0]       = from;
  c[1]       = (StUiPoint){from.x + pull, from.y};
  c[2]       = (StUiPoint){to.x - pull, to.y};
  c[3]       = to;
}

static StUiPoint
bezier(const StUiPoint c[4], float t)
{
  const float u = 1 - t;
  const float a = u * u * u;
  const float b = 3 * u * u * t;
  const float d = 3 * u * t * t;
  const float e = t * t * t;
  return (StUiPoint){a * c[0].x + b * c[1].x + d * c[2].x + e * c[3].x,
                     a * c[0].y + b * c[1].y + d * c[2].y + e * c[3].y};
}

static float
segment_distance(StUiPoint a, StUiPoint b, StUiPoint p)
{
  const float dx = b.x - a.x;
  const float dy = b.y - a.y;
  const float ll = dx * dx + dy * dy;
  float       t  = ll > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / ll : 0;
  t              = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypotf(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

float
st_ui_cable_distance(const StUiPoint c[4], StUiPoint p)
{
  float     best = INFINITY;
  StUiPoint a    = c[0];
  for (int i = 1; i <= CABLE_SEGMENTS; ++i) {
    const StUiPoint b = bezier(c, (float)i / CABLE_SEGMENTS);
    const float     d = segment_distance(a, b, p);
    best              = d < best ? d : best;
    a                 = b;
  }
  return best;
}

static bool
inside(StUiRect r, StUiPoint p)
{
  return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h;
}

static float
along(StUiRect r, StUiPoint p)
{
  const float f = r.w > 0 ? (p.x - r.x) / r.w : 0;
  return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* A port of some node within reach (window pixels), the node drawn last first. */
static bool
hit_port(const StUiScene* s, StUiPoint w, StUiHit* hit)
{
  for (uint32_t j = st_graph_capacity(s->mirror->graph); j-- > 0;) {
    const StNodeSlot* n = st_graph_node_at(s->mirror->graph, j);
    for (uint32_t side = 0; n && side < 2; ++side) {
      const uint32_t count = side ? n->type->n_outputs : n->type->n_inputs;
      for (uint32_t p = 0; p < count; ++p) {
        const StUiPoint at =
          st_ui_view_window(s->view, st_ui_layout_port(s->layout, s->mirror, j, side, p));
        if (hypotf(at.x - w.x, at.y - w.y) <= ST_UI_PORT_REACH) {
          hit->kind = side ? ST_UI_HIT_OUTPUT : ST_UI_HIT_INPUT;
          hit->node = (int)j;
          hit->port = (int)p;
          return true;
        }
      }
    }
  }
  return false;
}

static bool
hit_box(const StUiScene* s, StUiPoint c, StUiHit* hit)
{
  for (uint32_t j = st_graph_capacity(s->mirror->graph); j-- > 0;) {
    const StUiRect b = s->layout->boxes[j];
    if (st_graph_node_at(s->mirror->graph, j) && inside(b, c)) {
      hit->kind = c.y < b.y + ST_UI_TITLE_H ? ST_UI_HIT_TITLE : ST_UI_HIT_NODE;
      hit->node = (int)j;
      return true;
    }
  }
  return false;
}

size_t
st_ui_path_pieces(const StUiPoint* points, size_t n, StUiPoint (*pieces)[4])
{
  for (size_t i = 0; i + 1 < n; ++i) {
    const StUiPoint a = points[i];
    const StUiPoint b = points[i + 1];
    if (i % 2 == 0) {
      st_ui_cable_curve(a, b, pieces[i]);
    } else {
      pieces[i][0] = a;
      pieces[i][1] = (StUiPoint){a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3};
      pieces[i][2] = (StUiPoint){a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3};
      pieces[i][3] = b;
    }
  }
  return n ? n - 1 : 0;
}

/* Distance from `p` to a cable's path, drawn in the window. */
static float
path_distance(const StUiScene* s, const StUiPoint* canvas, size_t n, StUiPoint p)
{
  StUiPoint window[ST_UI_PATH_MAX];
  StUiPoint pieces[ST_UI_PATH_MAX][4];
  for (size_t i = 0; i < n; ++i) {
    window[i] = st_ui_view_window(s->view, canvas[i]);
  }
  float        best  = INFINITY;
  const size_t count = st_ui_path_pieces(window, n, pieces);
  for (size_t i = 0; i < count; ++i) {
    const float d = st_ui_cable_distance(pieces[i], p);
    best          = d < best ? d : best;
  }
  return best;
}

/* The cable nearest to the point within reach. */
static bool
hit_cable(const StUiScene* s, StUiPoint w, StUiHit* hit)
{
  float best = ST_UI_CABLE_REACH;
  bool  any  = false;
  for (uint32_t j = 0; j < st_graph_capacity(s->mirror->graph); ++j) {
    const StNodeSlot* n = st_graph_node_at(s->mirror->graph, j);
    for (uint32_t i = 0; n && i < n->type->n_inputs; ++i) {
      StUiPoint    path[ST_UI_PATH_MAX];
      const size_t count =
        st_ui_layout_cable_path(s->layout, s->mirror, j, i, path, ST_UI_PATH_MAX);
      const float d = count ? path_distance(s, path, count, w) : INFINITY;
      if (d <= best) {
        best      = d;
        any       = true;
        hit->kind = ST_UI_HIT_CABLE;
        hit->node = (int)j;
        hit->port = (int)i;
      }
    }
  }
  return any;
}

StUiHit
st_ui_hit_test(const StUiScene* s, StUiPoint w)
{
  StUiHit          hit = {ST_UI_HIT_NONE, -1, -1, 0, st_ui_view_canvas(s->view, w)};
  const StUiFrame* f   = s->frame;
  if (inside(f->strip, w)) {
    for (uint32_t slot = 0; slot < 16; ++slot) {
      const StUiRect r = st_ui_strip_slot(f, slot);
      if (inside(r, w)) {
        hit.kind     = ST_UI_HIT_MACRO;
        hit.port     = (int)slot;
        hit.fraction = along(r, w);
      }
    }
    return hit;
  }
  const StNodeSlot* sel =
    s->selected >= 0 ? st_graph_node_at(s->mirror->graph, (uint32_t)s->selected) : NULL;
  if (sel && inside(f->inspector, w)) {
    hit.kind = ST_UI_HIT_NODE;
    hit.node = s->selected;
    for (uint32_t p = 0; p < sel->type->n_params; ++p) {
      if (inside(st_ui_inspector_row(f, p), w)) {
        hit.kind     = ST_UI_HIT_PARAM;
        hit.port     = (int)p;
        hit.fraction = along(st_ui_inspector_slider(f, p), w);
      }
    }
    return hit;
  }
  if (inside(f->text, w)) {
    hit.kind = ST_UI_HIT_TEXT;
    return hit;
  }
  if (!inside(f->canvas, w)) {
    return hit;
  }
  if (!hit_port(s, w, &hit) && !hit_box(s, hit.canvas, &hit) && !hit_cable(s, w, &hit)) {
    hit.kind = ST_UI_HIT_CANVAS;
  }
  return hit;
}
