#include "layout.h"

#include <stdlib.h>
#include <string.h>

#define SWEEPS 8        ///< Barycentre sweeps tried of each kind
#define THROUGH_COST 4  ///< Crossings a cable through a box is worth

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
  float             title =
    text_width(measure, data, slot->name) + ST_UI_PORT_GAP + text_width(measure, data, t->name);
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
  *list    = NULL;
  for (int pass = 0; pass < 2; ++pass) {
    size_t k = 0;
    for (uint32_t j = 0; j < st_graph_capacity(m->graph); ++j) {
      const StNodeSlot* s = st_graph_node_at(m->graph, j);
      for (uint32_t i = 0; s && i < s->type->n_inputs; ++i) {
        if (s->src[i].node != ST_NO_NODE) {
          if (pass) {
            (*list)[k] = (Cable){s->src[i].node, s->src[i].port, j, i};
          }
          ++k;
        }
      }
    }
    if (!pass) {
      n     = k;
      *list = malloc((n ? n : 1) * sizeof(**list));
      if (!*list) {
        return 0;
      }
    }
  }
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
  const float d1 = cross(c, d, a);
  const float d2 = cross(c, d, b);
  const float d3 = cross(a, b, c);
  const float d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
         ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

static uint32_t
count_crossings(const StUiLayout* l, const StUiMirror* m, const Cable* c, size_t n)
{
  uint32_t crossings = 0;
  for (size_t i = 0; i < n; ++i) {
    const StUiPoint a = st_ui_layout_port(l, m, c[i].src, true, c[i].out);
    const StUiPoint b = st_ui_layout_port(l, m, c[i].dst, false, c[i].in);
    for (size_t j = i + 1; j < n; ++j) {
      const StUiPoint p = st_ui_layout_port(l, m, c[j].src, true, c[j].out);
      const StUiPoint q = st_ui_layout_port(l, m, c[j].dst, false, c[j].in);
      crossings += segments_cross(a, b, p, q);
    }
  }
  return crossings;
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

/* Cables whose straight line passes through a box at neither of its ends. */
static uint32_t
count_through(const StUiLayout* l, const StUiMirror* m, const Cable* c, size_t n)
{
  uint32_t through = 0;
  for (size_t i = 0; i < n; ++i) {
    const StUiPoint a = st_ui_layout_port(l, m, c[i].src, true, c[i].out);
    const StUiPoint b = st_ui_layout_port(l, m, c[i].dst, false, c[i].in);
    for (uint32_t j = 0; j < l->capacity; ++j) {
      if (j != c[i].src && j != c[i].dst && st_graph_node_at(m->graph, j) &&
          segment_through(a, b, l->boxes[j])) {
        ++through;
        break;
      }
    }
  }
  return through;
}

/* What the sweeps minimise: a cable through a box reads worse than a crossing. */
static uint32_t
score(const StUiLayout* l, const StUiMirror* m, const Cable* c, size_t n)
{
  return count_crossings(l, m, c, n) + THROUGH_COST * count_through(l, m, c, n);
}

uint32_t
st_ui_layout_through(const StUiLayout* l, const StUiMirror* m)
{
  Cable*         c       = NULL;
  const size_t   n       = cables(m, &c);
  const uint32_t through = count_through(l, m, c, n);
  free(c);
  return through;
}

uint32_t
st_ui_layout_crossings(const StUiLayout* l, const StUiMirror* m)
{
  Cable*         c         = NULL;
  const size_t   n         = cables(m, &c);
  const uint32_t crossings = count_crossings(l, m, c, n);
  free(c);
  return crossings;
}

/* The work of one layout: columns of node slots, kept in their order. */
typedef struct {
  StUiLayout*       l;
  const StUiMirror* m;
  const Cable*      cables;
  size_t            n_cables;
  uint32_t*         order;  ///< Node slots, column by column
  uint32_t*         start;  ///< Column c is order[start[c] .. start[c + 1])
  uint32_t          n_columns;
  float*            key;  ///< Per node slot: where its neighbours want it
} Work;

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
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* s = st_graph_node_at(g, j);
    slide[j]            = s && !s->linked;
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
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
  StGraph*       g        = w->m->graph;
  const bool     planned  = st_graph_plan(g) == ST_OK;
  const uint32_t capacity = st_graph_capacity(g);
  uint32_t       levels   = 0;
  for (uint32_t j = 0; j < capacity; ++j) {
    const StNodeSlot* s = st_graph_node_at(g, j);
    w->l->column[j]     = s && planned ? s->level : 0;
    levels              = s && w->l->column[j] + 1 > levels ? w->l->column[j] + 1 : levels;
  }
  find_sliding(w, slide);
  for (uint32_t level = levels; level-- > 0;) {
    for (uint32_t j = 0; j < capacity; ++j) {
      if (!slide[j] || w->l->column[j] != level || !st_graph_node_at(g, j)) {
        continue;
      }
      uint32_t first = UINT32_MAX;
      for (size_t k = 0; k < w->n_cables; ++k) {
        if (w->cables[k].src == j && w->l->column[w->cables[k].dst] < first) {
          first = w->l->column[w->cables[k].dst];
        }
      }
      if (first != UINT32_MAX && first > level + 1) {
        w->l->column[j] = first - 1;
      }
    }
  }
}

static void
group_columns(Work* w)
{
  const uint32_t capacity = st_graph_capacity(w->m->graph);
  w->n_columns            = 0;
  for (uint32_t j = 0; j < capacity; ++j) {
    if (st_graph_node_at(w->m->graph, j) && w->l->column[j] + 1 > w->n_columns) {
      w->n_columns = w->l->column[j] + 1;
    }
  }
  uint32_t k = 0;
  for (uint32_t c = 0; c < w->n_columns; ++c) {
    w->start[c] = k;
    for (uint32_t j = 0; j < capacity; ++j) {
      if (st_graph_node_at(w->m->graph, j) && w->l->column[j] == c) {
        w->order[k++] = j;
      }
    }
  }
  w->start[w->n_columns] = k;
}

/* Each box of column c where its cables to the column before (forward) or
   after (backward) want it: the mean height of the far ends, less the mean
   offset of its own ends; NAN when it has no such cable. */
static void
barycentres(Work* w, uint32_t c, bool forward)
{
  for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
    const uint32_t j   = w->order[k];
    float          sum = 0;
    float          own = 0;
    uint32_t       n   = 0;
    for (size_t e = 0; e < w->n_cables; ++e) {
      const Cable* cb = &w->cables[e];
      if (forward && cb->dst == j && w->l->column[cb->src] < c) {
        sum += st_ui_layout_port(w->l, w->m, cb->src, true, cb->out).y;
        own += st_ui_layout_port(w->l, w->m, j, false, cb->in).y - w->l->boxes[j].y;
        ++n;
      } else if (!forward && cb->src == j && w->l->column[cb->dst] > c) {
        sum += st_ui_layout_port(w->l, w->m, cb->dst, false, cb->in).y;
        own += st_ui_layout_port(w->l, w->m, j, true, cb->out).y - w->l->boxes[j].y;
        ++n;
      }
    }
    w->key[j] = n ? (sum - own) / (float)n : w->l->boxes[j].y;
  }
}

/* Orders column c by key (stable), then stacks it: each box at its key,
   pushed down below the box above it. */
static void
place_column(Work* w, uint32_t c)
{
  uint32_t*      o = w->order + w->start[c];
  const uint32_t n = w->start[c + 1] - w->start[c];
  for (uint32_t i = 1; i < n; ++i) {
    const uint32_t j = o[i];
    uint32_t       k = i;
    for (; k > 0 && w->key[o[k - 1]] > w->key[j]; --k) {
      o[k] = o[k - 1];
    }
    o[k] = j;
  }
  float below = -1e30f;
  for (uint32_t i = 0; i < n; ++i) {
    StUiRect* b = &w->l->boxes[o[i]];
    b->y        = w->key[o[i]] > below ? w->key[o[i]] : below;
    below       = b->y + b->h + ST_UI_ROW_GAP;
  }
}

static void
place_x(Work* w)
{
  float x = 0;
  for (uint32_t c = 0; c < w->n_columns; ++c) {
    float widest = 0;
    for (uint32_t k = w->start[c]; k < w->start[c + 1]; ++k) {
      StUiRect* b = &w->l->boxes[w->order[k]];
      b->x        = x;
      widest      = b->w > widest ? b->w : widest;
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

/* Tries sweeps left to right only, then left to right and back, each from
   the patch's own order (usually the signal's order already), and keeps the
   arrangement with the fewest crossings. */
static void
sweep(Work* w, StUiRect* best)
{
  const uint32_t capacity = w->l->capacity;
  uint32_t*      initial  = malloc(capacity * sizeof(*initial));
  if (!initial) {
    stack(w);
    return;
  }
  memcpy(initial, w->order, capacity * sizeof(*initial));
  stack(w);
  uint32_t fewest = score(w->l, w->m, w->cables, w->n_cables);
  memcpy(best, w->l->boxes, capacity * sizeof(*best));
  for (int back = 0; back < 2; ++back) {
    memcpy(w->order, initial, capacity * sizeof(*initial));
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
      const uint32_t crossings = score(w->l, w->m, w->cables, w->n_cables);
      if (crossings < fewest) {
        fewest = crossings;
        memcpy(best, w->l->boxes, capacity * sizeof(*best));
      }
    }
  }
  memcpy(w->l->boxes, best, capacity * sizeof(*best));
  free(initial);
}

/* Positions from the patch win; laid-out nodes go below the placed ones when
   both kinds are present, so that none overlaps. */
static void
apply_places(StUiLayout* l, const StUiMirror* m)
{
  const uint32_t capacity = l->capacity;
  bool           any      = false;
  float          bottom   = -1e30f;
  float          top      = 1e30f;
  for (uint32_t j = 0; j < capacity; ++j) {
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
  for (uint32_t j = 0; any && j < capacity; ++j) {
    if (st_graph_node_at(m->graph, j) && !st_ui_mirror_place(m, j).placed) {
      l->boxes[j].y += bottom + 2 * ST_UI_ROW_GAP - top;
    }
  }
}

static void
compute_bounds(StUiLayout* l, const StUiMirror* m)
{
  bool     first = true;
  StUiRect r     = {0, 0, 0, 0};
  for (uint32_t j = 0; j < l->capacity; ++j) {
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

/* Moves the laid-out nodes so the layout starts at (0, 0). */
static void
normalise(StUiLayout* l, const StUiMirror* m)
{
  float top = 1e30f;
  for (uint32_t j = 0; j < l->capacity; ++j) {
    if (st_graph_node_at(m->graph, j) && l->boxes[j].y < top) {
      top = l->boxes[j].y;
    }
  }
  for (uint32_t j = 0; j < l->capacity; ++j) {
    l->boxes[j].y -= top;
  }
}

void
st_ui_layout_compute(StUiLayout* l, StUiMirror* m, StUiMeasure measure, void* data)
{
  const uint32_t capacity = l->capacity;
  Work           w        = {.l = l, .m = m};
  Cable*         list     = NULL;
  w.n_cables              = cables(m, &list);
  w.cables                = list;
  w.order                 = calloc(capacity, sizeof(*w.order));
  w.start                 = calloc(capacity + 1, sizeof(*w.start));
  w.key                   = calloc(capacity, sizeof(*w.key));
  StUiRect* best          = calloc(capacity, sizeof(*best));
  bool*     slide         = calloc(capacity, sizeof(*slide));
  memset(l->boxes, 0, capacity * sizeof(*l->boxes));
  if (list && w.order && w.start && w.key && best && slide) {
    for (uint32_t j = 0; j < capacity; ++j) {
      const StNodeSlot* s = st_graph_node_at(m->graph, j);
      if (s) {
        l->boxes[j] = box_size(s, measure, data);
      }
    }
    assign_columns(&w, slide);
    group_columns(&w);
    place_x(&w);
    if (w.n_columns) {
      sweep(&w, best);
    }
    normalise(l, m);
    apply_places(l, m);
  }
  compute_bounds(l, m);
  l->crossings = count_crossings(l, m, w.cables, w.n_cables);
  l->through   = count_through(l, m, w.cables, w.n_cables);
  l->version   = m->version;
  free(list);
  free(w.order);
  free(w.start);
  free(w.key);
  free(best);
  free(slide);
}
