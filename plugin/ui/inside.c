/* SPDX-License-Identifier: ISC */
#include "inside.h"

#include "model.h"
#include "voices.h"

#include <stdio.h>
#include <string.h>

const char st_ui_inlet_family[]  = "Inlet";
const char st_ui_outlet_family[] = "Outlet";

#define MARKER "\xe2\x96\xa3 " ///< "▣ ": a box that holds a patch

/* "voice", "voice ×8" for a voice group of 8. */
static void
definition_label(const StNodeSlot* s, char* out, size_t size)
{
  if (s->type->flags & ST_NODE_GROUP) {
    snprintf(out, size, "%s \xc3\x97%g", s->type->name, (double)s->params[ST_GROUP_COUNT].target);
  } else {
    snprintf(out, size, "%s", s->type->name);
  }
}

void
st_ui_type_label(const StNodeSlot* s, char* out, size_t size)
{
  const bool holds = s->type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP);
  const int  n     = snprintf(out, size, "%s", holds ? MARKER : "");
  definition_label(s, out + n, size - (size_t)n);
}

bool
st_ui_is_port_node(const StNodeSlot* s)
{
  return s->type->family == st_ui_inlet_family || s->type->family == st_ui_outlet_family;
}

/* The definition of the node `name` of `g`, or NULL. */
static const StSubpatch*
definition(const StGraph* g, const char* name)
{
  const StNodeSlot* s = st_graph_node(g, st_graph_find(g, name));
  return s ? st_subpatch_of(s->type) : NULL;
}

/* A port node's type: an inlet has one output, an outlet one input, named
   like it. */
static const StNodeType*
port_type(StUiInside* in, uint32_t k, const char* name, bool inlet)
{
  in->port_specs[k] = (StPortSpec){name, inlet ? "Inlet" : "Outlet"};
  in->port_types[k] = (StNodeType){
    .name      = inlet ? "inlet" : "outlet",
    .family    = inlet ? st_ui_inlet_family : st_ui_outlet_family,
    .doc       = "",
    .n_inputs  = inlet ? 0 : 1,
    .inputs    = inlet ? NULL : &in->port_specs[k],
    .n_outputs = inlet ? 1 : 0,
    .outputs   = inlet ? &in->port_specs[k] : NULL,
  };
  return &in->port_types[k];
}

/* Adds a port node named like its port, or with a suffix when a body node
   has that name. */
static StHandle
add_port(StUiInside* in, StGraph* g, uint32_t k, const char* name, bool inlet)
{
  StHandle h = ST_HANDLE_NONE;
  char     alt[ST_NAME_MAX];
  snprintf(alt, sizeof(alt), "%.*s_%s", ST_NAME_MAX - 5, name, inlet ? "in" : "out");
  const StNodeType* t = port_type(in, k, name, inlet);
  if (st_graph_add(g, t, name, NULL, &h) != ST_OK && st_graph_add(g, t, alt, NULL, &h) != ST_OK) {
    return ST_HANDLE_NONE;
  }
  return h;
}

/* The body's nodes, their links and places; body slot i at handles[i]. */
static bool
copy_body(const StGraph* body, StGraph* g, StHandle* handles)
{
  float values[ST_MAX_PARAMS];
  for (uint32_t i = 0; i < body->span; ++i) {
    const StNodeSlot* s = st_graph_node_at(body, i);
    handles[i]          = ST_HANDLE_NONE;
    if (!s) {
      continue;
    }
    st_graph_targets(s, values);
    if (st_graph_add(g, s->type, s->name, values, &handles[i]) != ST_OK) {
      return false;
    }
    if (s->placed) {
      st_graph_place(g, handles[i], s->x, s->y);
    }
  }
  for (uint32_t i = 0; i < body->span; ++i) {
    const StNodeSlot* s = st_graph_node_at(body, i);
    for (uint32_t p = 0; s && p < s->type->n_inputs; ++p) {
      const StSource src = s->src[p];
      if (src.node != ST_NO_NODE) {
        st_graph_connect(g, handles[src.node], src.port, handles[i], p);
      }
    }
  }
  return true;
}

/* The inlets' and outlets' port nodes, linked to the body. */
static void
add_ports(StUiInside* in, const StSubpatch* def, StGraph* g, const StHandle* handles)
{
  for (uint32_t i = 0; i < def->n_inlets; ++i) {
    const StHandle h = add_port(in, g, i, def->inlets[i], true);
    for (uint32_t l = 0; l < def->n_inlet_links; ++l) {
      const StInletLink* link = &def->inlet_links[l];
      if (link->inlet == i) {
        st_graph_connect(g, h, 0, handles[link->node], link->input);
      }
    }
  }
  for (uint32_t o = 0; o < def->n_outlets; ++o) {
    const StHandle h   = add_port(in, g, ST_SUBPATCH_MAX_INLETS + o, def->outlets[o], false);
    const StSource src = def->outlet_src[o];
    if (src.node != ST_NO_NODE) {
      st_graph_connect(g, handles[src.node], src.port, h, 0);
    }
  }
}

/* Builds into `shown` the body at the end of the first `depth` names of
   the path, read from `top`; false when the path no longer leads to a
   sub-patch. */
static bool
build_body(StUiInside* in, StUiMirror* shown, const StUiMirror* top, uint32_t depth)
{
  const StGraph*    g   = top->graph;
  const StSubpatch* def = NULL;
  for (uint32_t d = 0; d < depth; ++d) {
    if (!(def = definition(g, in->path[d]))) {
      return false;
    }
    g = def->body;
  }
  if (!def) {
    return false;
  }
  StHandle handles[ST_SUBPATCH_MAX_NODES];
  StGraph* out = shown->graph;
  st_graph_clear(out);
  if (out->library != top->graph->library) {
    st_library_unref(out->library);  // Keeps the nested definitions' types alive
    out->library = st_library_ref(top->graph->library);
  }
  if (!copy_body(def->body, out, handles)) {
    return false;
  }
  add_ports(in, def, out, handles);
  ++shown->version;
  return true;
}

/* --- The model's canvas going in and out --- */

/* Forgets the layout: the canvas shows another graph. */
static void
shown_changed(StUiModel* m)
{
  m->layout.version = m->mirror->version + 1;
  memset(m->selected, 0, st_graph_capacity(m->mirror->graph) * sizeof(bool));
  m->focus = -1;
}

bool
st_ui_model_enter(StUiModel* m, int node)
{
  StUiInside*       in = &m->inside;
  const StNodeSlot* s  = node >= 0 ? st_ui_mirror_node(m->mirror, (uint32_t)node) : NULL;
  if (!s || !st_subpatch_of(s->type) || in->depth == ST_UI_INSIDE_DEPTH) {
    return false;
  }
  StUiMirror* top   = in->top ? in->top : m->mirror;
  StUiMirror* shown = in->top ? m->mirror : st_ui_mirror_new();
  if (!shown) {
    return st_ui_model_fail(m, "out of memory");
  }
  st_ui_copy_name(in->path[in->depth], s->name, ST_NAME_MAX);
  in->views[in->depth] = m->view;
  if (!build_body(in, shown, top, in->depth + 1)) {
    if (!in->top) {
      st_ui_mirror_free(shown);
    } else {
      build_body(in, shown, top, in->depth);
    }
    return st_ui_model_fail(m, "this sub-patch cannot be shown");
  }
  ++in->depth;
  in->top          = top;
  in->top_version  = top->version;
  m->mirror        = shown;
  m->error.shown   = false;
  shown_changed(m);
  st_ui_model_fit(m);
  return true;
}

void
st_ui_model_leave(StUiModel* m, uint32_t level)
{
  StUiInside* in = &m->inside;
  if (level >= in->depth) {
    return;
  }
  if (level == 0) {
    st_ui_mirror_free(m->mirror);
    m->mirror = in->top;
    in->top   = NULL;
  } else if (!build_body(in, m->mirror, in->top, level)) {
    st_ui_model_leave(m, level - 1);
    return;
  }
  in->depth = level;
  m->view   = in->views[level];
  shown_changed(m);
  st_ui_model_update_layout(m);
  st_ui_model_select(m, st_ui_mirror_find(m->mirror, in->path[level]), false);
}

uint32_t
st_ui_model_depth(const StUiModel* m)
{
  return m->inside.depth;
}

StUiMirror*
st_ui_model_patch(const StUiModel* m)
{
  return m->inside.top ? m->inside.top : m->mirror;
}

void
st_ui_model_refresh_inside(StUiModel* m)
{
  StUiInside* in = &m->inside;
  if (!in->top || in->top->version == in->top_version) {
    return;
  }
  in->top_version = in->top->version;
  uint32_t depth  = in->depth;
  while (depth > 0 && !build_body(in, m->mirror, in->top, depth)) {
    --depth;
  }
  if (depth < in->depth) {
    st_ui_model_leave(m, depth);
  } else {
    shown_changed(m);
  }
}

void
st_ui_model_crumb(const StUiModel* m, uint32_t level, char* out, size_t size)
{
  const StUiInside* in  = &m->inside;
  const StUiMirror* top = st_ui_model_patch(m);
  if (level == 0) {
    snprintf(out, size, "%s", st_ui_mirror_name(top)[0] ? st_ui_mirror_name(top) : "Patch");
    return;
  }
  const StGraph* g = top->graph;
  for (uint32_t d = 0; d + 1 < level && g; ++d) {
    const StSubpatch* def = definition(g, in->path[d]);
    g                     = def ? def->body : NULL;
  }
  const StNodeSlot* s = g ? st_graph_node(g, st_graph_find(g, in->path[level - 1])) : NULL;
  char              type[ST_UI_CRUMB_MAX] = "";
  if (s) {
    definition_label(s, type, sizeof(type));
  }
  snprintf(out, size, "%s (%s)", in->path[level - 1], type);
}
