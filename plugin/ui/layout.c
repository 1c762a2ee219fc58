/* SPDX-License-Identifier: ISC */
#include "layout.h"

#include "inside.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SWEEPS 8        ///< Barycentre sweeps tried of each kind
#define THROUGH_COST 4  ///< Crossings a cable through a box is worth
#define LANE_H 8.0f     ///< Height a lane takes in its column (with a row gap each side)

bool
st_ui_layout_init(StUiLayout* l, uint32_t capacity)
{
  memset(l, 0, sizeof(*l));
  l->boxes    = calloc(capacity, sizeof(*l->boxes));
  l->column   = calloc(capacity, sizeof(*l->column));
  l->capacity = capacity;
  l->version  = UINT32_MAX;
  if (!l->boxes || !l->column) {
    st_ui_layout_free(l);
    return false;
  }
  return true;
}

void
st_ui_layout_free(StUiLayout* l)
{
  free(l->boxes);
  free(l->column);
  free(l->lanes);
  memset(l, 0, sizeof(*l));
}

bool
st_ui_rect_overlap(StUiRect a, StUiRect b)
{
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static float
text_width(StUiMeasure measure, void* data, const char* text)
{
  return measure(data, text, strlen(text));
}

/* A box wide enough for its title (name and type) and for each row's input and output names. */
static StUiRect
box_size(const StNodeSlot* slot, StUiMeasure measure, void* data)
{
  const StNodeType* t = slot->type;
  char              type[ST_UI_CRUMB_MAX];
  st_ui_type_label(slot, type, sizeof(type));
  float title =
    text_width(measure, data, slot->name) + ST_UI_PORT_GAP + text_width(measure, data, type);
  float in  = 0;
  float out = 0;
  for (uint32_t i = 0; i < t->n_inputs; ++i) {
    const float w = text_width(measure, data, t->inputs[i].name);
    in            = w > in ? w : in;
  }
  for (uint32_t i = 0; i < t->n_outputs; ++i) {
    const float w = text_width(measure, data, t->outputs[i].name);
    out           = w > out ? w : out;
  }
  float w             = in + out + ST_UI_PORT_GAP;
  w                   = (title > w ? title : w) + 2 * ST_UI_PAD;
  const uint32_t rows = t->n_inputs > t->n_outputs ? t->n_inputs : t->n_outputs;
  return (StUiRect){0, 0, w > ST_UI_MIN_BOX_W ? w : ST_UI_MIN_BOX_W,
                    ST_UI_TITLE_H + (float)rows * ST_UI_PORT_H + ST_UI_PAD / 2};
}

StUiPoint
st_ui_layout_port(const StUiLayout* l, const StUiMirror* m, uint32_t index, bool output,
                  uint32_t port)
{
  (void)m;
  const StUiRect b = l->boxes[index];
  return (StUiPoint){output ? b.x + b.w : b.x,
                     b.y + ST_UI_TITLE_H + ((float)port + 0.5f) * ST_UI_PORT_H};
}

/* One cable, by the node slots and ports at its ends. */
typedef struct {
  uint32_t src, out, dst, in;
} Cable;

static size_t
cables(const StUiMirror* m, Cable** list)
{
  size_t n = 0;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    const StNodeSlot* s = st_graph_node_at(m->graph, j);
    for (uint32_t i = 0; s && i < s->type->n_inputs; ++i) {
      n += s->src[i].node != ST_NO_NODE;
    }
  }
  *list = malloc((n ? n : 1) * sizeof(**list));
  if (!*list) {
    return 0;
  }
  size_t k = 0;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    const StNodeSlot* s = st_graph_node_at(m->graph, j);
    for (uint32_t i = 0; s && i < s->type->n_inputs; ++i) {
      if (s->src[i].node != ST_NO_NODE) {
        (*list)[k++] = (Cable){s->src[i].node, s->src[i].port, j, i};
      }
    }
  }
  return n;
}

/* --- Paths, and what makes them hard to read --- */

static StUiPoint
lane_point(const StUiRect* r, bool right)
{
  return (StUiPoint){right ? r->x + r->w : r->x, r->y + r->h / 2};
}

size_t
st_ui_layout_cable_path(const StUiLayout* l, const StUiMirror* m, uint32_t dst, uint32_t in,
                        StUiPoint* points, size_t max)
{
  const StNodeSlot* s = st_ui_mirror_node(m, dst);
  if (!s || in >= s->type->n_inputs || s->src[in].node == ST_NO_NODE || max < 2) {
    return 0;
  }
  size_t n    = 0;
  points[n++] = st_ui_layout_port(l, m, s->src[in].node, true, s->src[in].port);
  for (uint32_t k = 0; k < l->n_lanes && n + 3 <= max; ++k) {
    if (l->lanes[k].dst == dst && l->lanes[k].in == in) {
      points[n++] = lane_point(&l->lanes[k].r, false);
      points[n++] = lane_point(&l->lanes[k].r, true);
    }
  }
  points[n++] = st_ui_layout_port(l, m, dst, false, in);
  return n;
}

static float
cross(StUiPoint o, StUiPoint a, StUiPoint b)
{
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Proper crossing of segments ab and cd (touching ends do not count). */
static bool
segments_cross(StUiPoint a, StUiPoint b, StUiPoint c, StUiPoint d)
{
  // Most pairs lie apart: their bounding boxes settle it at once.
  if (fmaxf(a.x, b.x) < fminf(c.x, d.x) || fmaxf(c.x, d.x) < fminf(a.x, b.x) ||
      fmaxf(a.y, b.y) < fminf(c.y, d.y) || fmaxf(c.y, d.y) < fminf(a.y, b.y)) {
    return false;
  }
  const float d1 = cross(c, d, a);
  const float d2 = cross(c, d, b);
  const float d3 = cross(a, b, c);
  const float d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
         ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* True when segment ab passes through the inside of r (Liang-Barsky clipping). */
static bool
segment_through(StUiPoint a, StUiPoint b, StUiRect r)
{
  const float dx    = b.x - a.x;
  const float dy    = b.y - a.y;
  const float p[4]  = {-dx, dx, -dy, dy};
  const float q[4]  = {a.x - (r.x + 1), (r.x + r.w - 1) - a.x, a.y - (r.y + 1),
                       (r.y + r.h - 1) - a.y};
  float       enter = 0;
  float       leave = 1;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) {
        return false;
      }
      continue;
    }
    const float t = q[i] / p[i];
    if (p[i] < 0) {
      enter = t > enter ? t : enter;
    } else {
      leave = t < leave ? t : leave;
    }
  }
  return enter < leave;
}

/* Every cable's path, `stride` points apart in one array. */
typedef struct {
  StUiPoint* points;
  size_t*    n;
  size_t     stride;
} Paths;

static bool
paths_make(Paths* p, const StUiLayout* l, const StUiMirror* m, const Cable* c, size_t n)
{
  p->stride = 2 + 2 * (size_t)l->n_lanes;
  p->stride = p->stride < ST_UI_PATH_MAX ? p->stride : ST_UI_PATH_MAX;
  p->points = malloc((n ? n : 1) * p->stride * sizeof(*p->points));
  p->n      = malloc((n ? n : 1) * sizeof(*p->n));
  if (!p->points || !p->n) {
    free(p->points);
    free(p->n);
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    p->n[i] =
      st_ui_layout_cable_path(l, m, c[i].dst, c[i].in, p->points + i * p->stride, p->stride);
  }
  return true;
}

static void
paths_free(Paths* p)
{
  free(p->points);
  free(p->n);
}

static uint32_t
count_crossings(const Paths* p, size_t n)
{
  uint32_t crossings = 0;
  for (size_t a = 0; a < n; ++a) {
    const StUiPoint* pa = p->points + a * p->stride;
    for (size_t b = a + 1; b < n; ++b) {
      const StUiPoint* pb = p->points + b * p->stride;
      for (size_t i = 0; i + 1 < p->n[a]; ++i) {
        for (size_t j = 0; j + 1 < p->n[b]; ++j) {
          crossings += segments_cross(pa[i], pa[i + 1], pb[j], pb[j + 1]);
        }
      }
    }
  }
  return crossings;
}

static uint32_t
count_through(const StUiLayout* l, const StUiMirror* m, const Paths* p, const Cable* c,
              size_t n)
{
  uint32_t through = 0;
  for (size_t a = 0; a < n; ++a) {
    const StUiPoint* pa  = p->points + a * p->stride;
    bool             hit = false;
    for (uint32_t j = 0; !hit && j < m->graph->span; ++j) {
      if (j == c[a].src || j == c[a].dst || !st_graph_node_at(m->graph, j)) {
        continue;
      }
      for (size_t i = 0; !hit && i + 1 < p->n[a]; ++i) {
        hit = segment_through(pa[i], pa[i + 1], l->boxes[j]);
      }
    }
    through += hit;
  }
  return through;
}

/* Crossings and cables through boxes of the layout as it is. */
static void
measure(const StUiLayout* l, const StUiMirror* m, const Cable* c, size_t n, uint32_t* crossings,
        uint32_t* through)
{
  Paths p;
  *crossings = *through = UINT32_MAX / (THROUGH_COST + 1);
  if (paths_make(&p, l, m, c, n)) {
    *crossings = count_crossings(&p, n);
    *through   = count_through(l, m, &p, c, n);
    paths_free(&p);
  }
}

uint32_t
st_ui_layout_through(const StUiLayout* l, const StUiMirror* m)
{
  Cable*       c         = NULL;
  const size_t n         = cables(m, &c);
  uint32_t     crossings = 0;
  uint32_t     through   = 0;
  measure(l, m, c, n, &crossings, &through);
  free(c);
  return through;
}

uint32_t
st_ui_layout_crossings(const StUiLayout* l, const StUiMirror* m)
{
  Cable*       c         = NULL;
  const size_t n         = cables(m, &c);
  uint32_t     crossings = 0;
  uint32_t     through   = 0;
  measure(l, m, c, n, &crossings, &through);
  free(c);
  return crossings;
}

/* --- The work of one layout --- */

/* Boxes and lanes are vertices: node slot v below the capacity, lane
   v - capacity above. A cable is a chain of segments from vertex to vertex
   of the next column. */
typedef struct {
  uint32_t u, out;  ///< Tail vertex and its output (lanes: 0)
  uint32_t v, in;   ///< Head vertex and its input (lanes: 0)
} Segment;

typedef struct {
  StUiLayout*       l;
  const StUiMirror* m;
  const Cable*      cables;
  size_t            n_cables;
  uint32_t          capacity;  ///< Node slots: vertices from here on are lanes
  uint32_t          n_vertices;
  uint32_t*         column;  ///< Per vertex
  Segment*          segments;
  size_t            n_segments;
  uint32_t*         order;  ///< Vertices, column by column
  uint32_t*         start;  ///< Column c is order[start[c] .. start[c + 1])
  uint32_t          n_columns;
  float*            key;  ///< Per vertex: where its neighbours want it
} Work;

static StUiRect*
vbox(const Work* w, uint32_t v)
{
  return v < w->capacity ? &w->l->boxes[v] : &w->l->lanes[v - w->capacity].r;
}

static bool
live(const Work* w, uint32_t v)
{
  return v >= w->capacity || st_graph_node_at(w->m->graph, v);
}

/* The vertex after `v` that may be live: node slots up to the graph's span, then lanes. */
static uint32_t
next_vertex(const Work* w, uint32_t v)
{
  return v + 1 == w->m->graph->span && w->capacity > v + 1 ? w->capacity : v + 1;
}

static uint32_t
first_vertex(const Work* w)
{
  return w->m->graph->span ? 0 : w->capacity;
}

/* Where a segment leaves its tail and reaches its head. */
static StUiPoint
tail_point(const Work* w, uint32_t v, uint32_t out)
{
  return v < w->capacity ? st_ui_layout_port(w->l, w->m, v, true, out)
                         : lane_point(vbox(w, v), true);
}

static StUiPoint
head_point(const Work* w, uint32_t v, uint32_t in)
{
  return v < w->capacity ? st_ui_layout_port(w->l, w->m, v, false, in)
                         : lane_point(vbox(w, v), false);
}

/* The one node that `j`'s outputs feed, or -1 when they feed none or several. */
static int
only_reader(const Work* w, uint32_t j)
{
  int reader = -1;
  for (size_t k = 0; k < w->n_cables; ++k) {
    if (w->cables[k].src == j) {
      if (reader >= 0 && (uint32_t)reader != w->cables[k].dst) {
        return -1;
      }
      reader = (int)w->cables[k].dst;
    }
  }
  return reader;
}

/* Nodes that may stand later than their level: those without linked inputs
   (an LFO, a constant), and those fed only by such nodes that feed nothing
   else (the math that scales that LFO). */
static void
find_sliding(const Work* w, bool* slide)
{
  const StGraph* g = w->m->graph;
  for (uint32_t j = 0; j < w->m->graph->span; ++j) {
    const StNodeSlot* s = st_graph_node_at(g, j);
    slide[j]            = s && !s->linked;
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (uint32_t j = 0; j < w->m->graph->span; ++j) {
      const StNodeSlot* s  = st_graph_node_at(g, j);
      bool              ok = s && !slide[j];
      for (uint32_t i = 0; ok && i < s->type->n_inputs; ++i) {
        const uint32_t src = s->src[i].node;
        ok                 = src == ST_NO_NODE || (slide[src] && only_reader(w, src) == (int)j);
      }
      if (ok) {
        slide[j] = true;
        grew     = true;
      }
    }
  }
}

/* Columns: the engine's levels; a sliding node moves right to just before
   its first reader (readers placed first: the highest level first). */
static void
assign_columns(Work* w, bool* slide)
{
  StGraph*   g       = w->m->graph;
  const bool planned = st_graph_plan(g) == ST_OK;
  uint32_t   levels  = 0;
  for (uint32_t j = 0; j < w->m->graph->span; ++j) {
    const StNodeSlot* s = st_graph_node_at(g, j);
    w->column[j]        = s && planned ? s->level : 0;
    levels              = s && w->column[j] + 1 > levels ? w->column[j] + 1 : levels;
  }
  find_sliding(w, slide);
  for (uint32_t level = levels; level-- > 0;) {
    for (uint32_t j = 0; j < w->m->graph->span; ++j) {
      if (!slide[j] || w->column[j] != level || !st_graph_node_at(g, j)) {
        continue;
      }
      uint32_t first = UINT32_MAX;
      for (size_t k = 0; k < w->n_cables; ++k) {
        if (w->cables[k].src == j && w->column[w->cables[k].dst] < first) {
          first = w->column[w->cables[k].dst];
        }
      }
      if (first != UINT32_MAX && first > level + 1) {
        w->column[j] = first - 1;
      }
    }
  }
  memcpy(w->l->column, w->column, w->capacity * sizeof(*w->column));
}

/* Lanes for every column a cable crosses between its ends, and the segments
   of each cable's chain. False when out of memory. */
static bool
make_lanes(Work* w)
{
  size_t n = 0;
  for (size_t k = 0; k < w->n_cables; ++k) {
    const Cable* c = &w->cables[k];
    n += w->column[c->dst] - w->column[c->src] - 1;
  }
  StUiLane* lanes = realloc(w->l->lanes, (n ? n : 1) * sizeof(*lanes));
  uint32_t* col   = realloc(w->column, (w->capacity + n) * sizeof(*col));
  Segment*  seg   = malloc((w->n_cables + n) * sizeof(*seg) + 1);
  if (lanes) {
    w->l->lanes = lanes;
  }
  if (col) {
    w->column = col;
  }
  if (!lanes || !col || !seg) {
    free(seg);
    return false;
  }
  w->segments   = seg;
  w->l->n_lanes = (uint32_t)n;
  w->n_vertices = w->capacity + (uint32_t)n;
  uint32_t lane = 0;
  for (size_t k = 0; k < w->n_cables; ++k) {
    const Cable* c    = &w->cables[k];
    uint32_t     tail = c->src;
    uint32_t     out  = c->out;
    for (uint32_t cc = w->column[c->src] + 1; cc < w->column[c->dst]; ++cc, ++lane) {
      const uint32_t v             = w->capacity + lane;
      w->l->lanes[lane]            = (StUiLane){c->dst, c->in, {0, 0, 0, LANE_H}};
      w->column[v]                 = cc;
      w->segments[w->n_segments++] = (Segment){tail, out, v, 0};
      tail                         = v;
      out                          = 0;
    }
    w->segments[w->n_segments++] = (Segment){tail, out, c->dst, c->in};
  }
  return true;
}

static void
group_columns(Work* w)
{
  w->n_columns = 0;
  for (uint32_t v = first_vertex(w); v < w->n_vertices; v = next_vertex(w, v)) {
    if (live(w, v) && w->column[v] + 1 > w->n_columns) {
      w->n_columns = w->column[v] + 1;
    }
  }
  uint32_t k = 0;
  for (uint32_t c = 0; c < w->n_columns; ++c) {
    w->start[c] = k;
    for (uint32_t v = first_vertex(w); v < w->n_vertices; v = next_vertex(w, v)) {
      if (live(w, v) && w->column[v] == c) {
        w->order[k++] = v;
      }
    }
  }
  w->start[w->n_columns] = k;
}

/* Each vertex of column c where its segments from the column before
   (forward) or to the column after (backward) want it: the mean height of
   their far ends, less the mean offset of its own ends; unmoved without any. */
static void
barycentres(Work* w, uint32_t c, bool forward)
{
  for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
    const uint32_t v   = w->order[k];
    float          sum = 0;
    float          own = 0;
    uint32_t       n   = 0;
    for (size_t e = 0; e < w->n_segments; ++e) {
      const Segment* s = &w->segments[e];
      if (forward && s->v == v) {
        sum += tail_point(w, s->u, s->out).y;
        own += head_point(w, v, s->in).y - vbox(w, v)->y;
        ++n;
      } else if (!forward && s->u == v) {
        sum += head_point(w, s->v, s->in).y;
        own += tail_point(w, v, s->out).y - vbox(w, v)->y;
        ++n;
      }
    }
    w->key[v] = n ? (sum - own) / (float)n : vbox(w, v)->y;
  }
}

/* Orders column c by key (stable), then stacks it: each box or lane at its
   key, pushed down below the one above it. */
static void
place_column(Work* w, uint32_t c)
{
  uint32_t*      o = w->order + w->start[c];
  const uint32_t n = w->start[c + 1] - w->start[c];
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t v = o[i];
    uint32_t       k = i;
    for (; k > 0 && w->key[o[k - 1]] > w->key[v]; --k) {
      o[k] = o[k - 1];
    }
    o[k] = v;
  }
  float below = -1e30f;
  for (uint32_t i = 0; i < n; ++i) {
    StUiRect* b = vbox(w, o[i]);
    b->y        = w->key[o[i]] > below ? w->key[o[i]] : below;
    below       = b->y + b->h + ST_UI_ROW_GAP;
  }
}

/* Columns side by side; a lane spans its column's width. */
static void
place_x(Work* w)
{
  float x = 0;
  for (uint32_t c = 0; c < w->n_columns; ++c) {
    float widest = 0;
    for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
      StUiRect* b = vbox(w, w->order[k]);
      b->x        = x;
      widest      = w->order[k] < w->capacity && b->w > widest ? b->w : widest;
    }
    for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
      if (w->order[k] >= w->capacity) {
        vbox(w, w->order[k])->w = widest;
      }
    }
    x += widest + ST_UI_COLUMN_GAP;
  }
}

/* Stacks every column in its present order from the top. */
static void
stack(Work* w)
{
  for (uint32_t c = 0; c < w->n_columns; ++c) {
    for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
      w->key[w->order[k]] = (float)(k - w->start[c]) * (ST_UI_PORT_H * 4);
    }
    place_column(w, c);
  }
}

/* What the sweeps minimise: a cable through a box reads worse than a crossing. */
static uint32_t
score(const Work* w)
{
  uint32_t crossings = 0;
  uint32_t through   = 0;
  measure(w->l, w->m, w->cables, w->n_cables, &crossings, &through);
  return crossings + THROUGH_COST * through;
}

/* The boxes and lanes of an arrangement. */
typedef struct {
  StUiRect* boxes;
  StUiLane* lanes;
} Saved;

static void
save(const Work* w, Saved* s, bool restore)
{
  StUiLayout* l = w->l;
  if (restore) {
    memcpy(l->boxes, s->boxes, w->capacity * sizeof(*s->boxes));
    memcpy(l->lanes, s->lanes, l->n_lanes * sizeof(*s->lanes));
  } else {
    memcpy(s->boxes, l->boxes, w->capacity * sizeof(*s->boxes));
    memcpy(s->lanes, l->lanes, l->n_lanes * sizeof(*s->lanes));
  }
}

/* Tries sweeps left to right only, then left to right and back, each from
   the patch's own order (usually the signal's order already), and keeps the
   arrangement with the lowest score. */
static void
sweep(Work* w)
{
  uint32_t* initial = malloc(w->n_vertices * sizeof(*initial));
  Saved     best    = {malloc(w->capacity * sizeof(StUiRect)),
                       malloc((w->l->n_lanes + 1) * sizeof(StUiLane))};
  stack(w);
  if (!initial || !best.boxes || !best.lanes || !w->n_columns) {
    goto done;
  }
  memcpy(initial, w->order, w->n_vertices * sizeof(*initial));
  uint32_t fewest = score(w);
  save(w, &best, false);
  for (int back = 0; back < 2; ++back) {
    memcpy(w->order, initial, w->n_vertices * sizeof(*initial));
    stack(w);
    for (int s = 0; s < SWEEPS; ++s) {
      for (uint32_t c = 1; c < w->n_columns; ++c) {
        barycentres(w, c, true);
        place_column(w, c);
      }
      for (uint32_t c = w->n_columns - 1; back && c-- > 0;) {
        barycentres(w, c, false);
        place_column(w, c);
      }
      const uint32_t now = score(w);
      if (now < fewest) {
        fewest = now;
        save(w, &best, false);
      }
    }
  }
  save(w, &best, true);
done:
  free(initial);
  free(best.boxes);
  free(best.lanes);
}

/* A lane of a cable with a placed end no longer lies between its ends: dropped. */
static void
drop_placed_lanes(StUiLayout* l, const StUiMirror* m)
{
  uint32_t kept = 0;
  for (uint32_t k = 0; k < l->n_lanes; ++k) {
    const StUiLane*   lane = &l->lanes[k];
    const StNodeSlot* dst  = st_ui_mirror_node(m, lane->dst);
    if (!st_ui_mirror_place(m, lane->dst).placed &&
        !st_ui_mirror_place(m, dst->src[lane->in].node).placed) {
      l->lanes[kept++] = *lane;
    }
  }
  l->n_lanes = kept;
}

/* Positions from the patch win; laid-out nodes (and lanes) go below the
   placed ones when both kinds are present, so that none overlaps. */
static void
apply_places(StUiLayout* l, const StUiMirror* m)
{
  bool  any    = false;
  float bottom = -1e30f;
  float top    = 1e30f;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    if (!st_graph_node_at(m->graph, j)) {
      continue;
    }
    const StUiPlace place = st_ui_mirror_place(m, j);
    if (place.placed) {
      l->boxes[j].x = place.x;
      l->boxes[j].y = place.y;
      const float b = l->boxes[j].y + l->boxes[j].h;
      bottom        = b > bottom ? b : bottom;
      any           = true;
    } else {
      top = l->boxes[j].y < top ? l->boxes[j].y : top;
    }
  }
  if (!any) {
    return;
  }
  drop_placed_lanes(l, m);
  const float dy = bottom + 2 * ST_UI_ROW_GAP - top;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    if (st_graph_node_at(m->graph, j) && !st_ui_mirror_place(m, j).placed) {
      l->boxes[j].y += dy;
    }
  }
  for (uint32_t k = 0; k < l->n_lanes; ++k) {
    l->lanes[k].r.y += dy;
  }
}

static void
compute_bounds(StUiLayout* l, const StUiMirror* m)
{
  bool     first = true;
  StUiRect r     = {0, 0, 0, 0};
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    if (!st_graph_node_at(m->graph, j)) {
      continue;
    }
    const StUiRect b = l->boxes[j];
    if (first) {
      r     = b;
      first = false;
      continue;
    }
    const float x1 = r.x + r.w > b.x + b.w ? r.x + r.w : b.x + b.w;
    const float y1 = r.y + r.h > b.y + b.h ? r.y + r.h : b.y + b.h;
    r.x            = b.x < r.x ? b.x : r.x;
    r.y            = b.y < r.y ? b.y : r.y;
    r.w            = x1 - r.x;
    r.h            = y1 - r.y;
  }
  l->bounds = r;
}

/* Moves the laid-out nodes and lanes so the layout starts at (0, 0). */
static void
normalise(StUiLayout* l, const StUiMirror* m)
{
  float top = 1e30f;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    if (st_graph_node_at(m->graph, j) && l->boxes[j].y < top) {
      top = l->boxes[j].y;
    }
  }
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    l->boxes[j].y -= top;
  }
  for (uint32_t k = 0; k < l->n_lanes; ++k) {
    l->lanes[k].r.y -= top;
  }
}

void
st_ui_layout_compute(StUiLayout* l, StUiMirror* m, StUiMeasure measure_text, void* data)
{
  const uint32_t capacity = l->capacity;
  Work           w        = {.l = l, .m = m, .capacity = capacity, .n_vertices = capacity};
  Cable*         list     = NULL;
  w.n_cables              = cables(m, &list);
  w.cables                = list;
  w.column                = calloc(capacity, sizeof(*w.column));
  bool* slide             = calloc(capacity, sizeof(*slide));
  memset(l->boxes, 0, capacity * sizeof(*l->boxes));
  l->n_lanes = 0;
  for (uint32_t j = 0; j < m->graph->span; ++j) {
    const StNodeSlot* s = st_graph_node_at(m->graph, j);
    if (s) {
      l->boxes[j] = box_size(s, measure_text, data);
    }
  }
  if (list && w.column && slide) {
    assign_columns(&w, slide);
    if (make_lanes(&w)) {
      w.order = calloc(w.n_vertices, sizeof(*w.order));
      w.start = calloc(w.n_vertices + 1, sizeof(*w.start));
      w.key   = calloc(w.n_vertices, sizeof(*w.key));
    }
    if (w.order && w.start && w.key) {
      group_columns(&w);
      place_x(&w);
      sweep(&w);
    } else {
      l->n_lanes = 0;
    }
    normalise(l, m);
    apply_places(l, m);
  }
  compute_bounds(l, m);
  measure(l, m, w.cables, w.n_cables, &l->crossings, &l->through);
  l->version = m->version;
  free(list);
  free(slide);
  free(w.column);
  free(w.segments);
  free(w.order);
  free(w.start);
  free(w.key);
}
