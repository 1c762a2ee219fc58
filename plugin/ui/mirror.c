/* SPDX-License-Identifier: ISC */
#include "mirror.h"

#include "atoms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

StUiMirror*
st_ui_mirror_new(void)
{
  StUiMirror* m = calloc(1, sizeof(*m));
  if (!m) {
    return NULL;
  }
  m->graph = st_graph_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, 48000.0f);
  if (m->graph) {
    const uint32_t capacity = st_graph_capacity(m->graph);
    m->levels               = calloc(capacity, sizeof(*m->levels));
    m->put_order            = calloc(capacity, sizeof(*m->put_order));
  }
  if (!m->graph || !m->levels || !m->put_order) {
    st_ui_mirror_free(m);
    return NULL;
  }
  return m;
}

void
st_ui_mirror_free(StUiMirror* m)
{
  if (m) {
    if (m->graph) {
      st_graph_free(m->graph);
    }
    free(m->levels);
    free(m->put_order);
    free(m);
  }
}

const StNodeSlot*
st_ui_mirror_node(const StUiMirror* m, uint32_t index)
{
  return index < st_graph_capacity(m->graph) ? st_graph_node_at(m->graph, index) : NULL;
}

StUiPlace
st_ui_mirror_place(const StUiMirror* m, uint32_t index)
{
  const StNodeSlot* s = st_ui_mirror_node(m, index);
  return s ? (StUiPlace){s->x, s->y, s->placed} : (StUiPlace){0, 0, false};
}

const char*
st_ui_mirror_name(const StUiMirror* m)
{
  return m->graph->name;
}

int
st_ui_mirror_find(const StUiMirror* m, const char* name)
{
  const StHandle h = st_graph_find(m->graph, name);
  return st_graph_node(m->graph, h) ? (int)h.index : -1;
}

StStatus
st_ui_mirror_load(StUiMirror* m, const char* text, size_t length, StPatchError* error)
{
  const StStatus st = st_patch_parse(text, length, NULL, m->graph, error);
  if (st) {
    return st;
  }
  const uint32_t capacity = st_graph_capacity(m->graph);
  memset(m->levels, 0, capacity * sizeof(*m->levels));
  m->n_put = 0;
  for (uint32_t i = 0; i < capacity; ++i) {
    if (st_graph_node_at(m->graph, i)) {
      m->put_order[m->n_put++] = i;
    }
  }
  ++m->version;
  return ST_OK;
}

char*
st_ui_mirror_text(const StUiMirror* m)
{
  return st_patch_write(m->graph);
}

const char*
st_ui_mirror_macro_label(const StUiMirror* m, uint32_t slot)
{
  for (uint32_t i = 0; i < st_graph_map_count(m->graph); ++i) {
    const StMacroMap* map = st_graph_map_at(m->graph, i);
    if (map->slot == slot && map->label[0]) {
      return map->label;
    }
  }
  return "";
}

/* The node and port index of "node.port" among a node's inputs, outputs or
   parameters (`which` 'i', 'o' or 'p'). */
static bool
resolve(StUiMirror* m, const char* ref, char which, StHandle* node, uint32_t* port)
{
  char name[ST_NAME_MAX];
  char pname[ST_NAME_MAX];
  if (!st_ui_ref_split(ref, name, pname)) {
    return false;
  }
  *node                   = st_graph_find(m->graph, name);
  const StNodeSlot* slot  = st_graph_node(m->graph, *node);
  int               index = -1;
  if (slot) {
    index = which == 'i'   ? st_node_input_index(slot->type, pname)
            : which == 'o' ? st_node_output_index(slot->type, pname)
                           : st_node_param_index(slot->type, pname);
  }
  *port = (uint32_t)index;
  return index >= 0;
}

static StStatus
unknown(StUiMirror* m, const char* what)
{
  // A failed lookup leaves the reason in the graph like the graph's own calls.
  snprintf(m->graph->error, sizeof(m->graph->error), "the mirror has no %s", what);
  return ST_ERR_UNKNOWN;
}

static StStatus
connect(StUiMirror* m, const StUiEdit* e)
{
  StHandle src;
  StHandle dst;
  uint32_t out = 0;
  uint32_t in  = 0;
  if (!resolve(m, e->tail, 'o', &src, &out) || !resolve(m, e->head, 'i', &dst, &in)) {
    return unknown(m, "such link end");
  }
  return e->flag ? st_graph_relink(m->graph, src, out, dst, in)
                 : st_graph_connect(m->graph, src, out, dst, in);
}

static StStatus
disconnect(StUiMirror* m, const StUiEdit* e)
{
  StHandle dst;
  uint32_t in = 0;
  return resolve(m, e->head, 'i', &dst, &in) ? st_graph_disconnect(m->graph, dst, in)
                                             : unknown(m, "such link");
}

static StStatus
map(StUiMirror* m, const StUiEdit* e, bool on)
{
  StHandle node;
  uint32_t param = 0;
  if (!resolve(m, e->target, 'p', &node, &param) || e->slot < 1 || e->slot > ST_MACRO_SLOTS) {
    return unknown(m, "such macro target");
  }
  return on ? st_graph_map(m->graph, e->slot - 1, node, param, e->min, e->max, e->curve,
                           e->label)
            : st_graph_unmap(m->graph, e->slot - 1, node, param);
}

static StStatus
apply(StUiMirror* m, const StUiEdit* e)
{
  const int      index = e->node[0] ? st_ui_mirror_find(m, e->node) : -1;
  const StHandle node  = index >= 0 ? st_arena_handle(&m->graph->arena, (uint32_t)index)
                                    : ST_HANDLE_NONE;
  switch (e->kind) {
  case ST_UI_EDIT_ADD: {
    StHandle       added;
    const StStatus st = st_graph_add(m->graph, e->type, e->node, e->params, &added);
    if (!st) {
      m->levels[added.index] = 0;
    }
    return st;
  }
  case ST_UI_EDIT_REMOVE:
    return st_graph_remove(m->graph, node);
  case ST_UI_EDIT_CONNECT:
    return connect(m, e);
  case ST_UI_EDIT_DISCONNECT:
    return disconnect(m, e);
  case ST_UI_EDIT_SET: {
    const StNodeSlot* slot = st_graph_node(m->graph, node);
    const int         p    = slot ? st_node_param_index(slot->type, e->param) : -1;
    return p < 0 ? unknown(m, "such parameter")
                 : st_graph_set_param(m->graph, node, (uint32_t)p, e->value);
  }
  case ST_UI_EDIT_PLACE:
    return st_graph_place(m->graph, node, e->x, e->y);
  case ST_UI_EDIT_MAP:
  case ST_UI_EDIT_UNMAP:
    return map(m, e, e->kind == ST_UI_EDIT_MAP);
  case ST_UI_EDIT_RENAME:
    return st_graph_rename(m->graph, node, e->to);
  case ST_UI_EDIT_PATCH:
    return st_ui_mirror_load(m, e->text ? e->text : "", e->text ? strlen(e->text) : 0, NULL);
  case ST_UI_EDIT_PROBE:
    st_ui_copy_name(m->probe, e->target, sizeof(m->probe));
    memset(m->scope, 0, sizeof(m->scope));
    ++m->meter_version;
    return ST_OK;
  case ST_UI_EDIT_MONITOR:
  case ST_UI_EDIT_GET:
    return ST_OK;
  }
  return ST_ERR_BAD_ARG;
}

StStatus
st_ui_mirror_apply(StUiMirror* m, const StUiEdit* edit)
{
  const StStatus st = apply(m, edit);
  // A parameter's value changes no box: the layout stays (values_version says redraw).
  if (!st && edit->kind == ST_UI_EDIT_SET) {
    ++m->values_version;
  } else if (!st && edit->kind != ST_UI_EDIT_PROBE && edit->kind != ST_UI_EDIT_MONITOR &&
             edit->kind != ST_UI_EDIT_GET && edit->kind != ST_UI_EDIT_PATCH) {
    ++m->version;
  }
  return st;
}

void
st_ui_mirror_levels(StUiMirror* m, const float* values, uint32_t n)
{
  for (uint32_t i = 0; i < n && i < m->n_put; ++i) {
    m->levels[m->put_order[i]] = values[i];
  }
  ++m->meter_version;
}

void
st_ui_mirror_scope(StUiMirror* m, const char* probe, const float* values, uint32_t n)
{
  if (strcmp(probe, m->probe)) {
    return;
  }
  n = n < ST_UI_SCOPE_SAMPLES ? n : ST_UI_SCOPE_SAMPLES;
  memcpy(m->scope, values, n * sizeof(float));
  ++m->meter_version;
}

/* The floats of an atom:Vector of atom:Float. */
static const float*
float_vector(const StUiUris* u, const LV2_Atom* a, uint32_t* n)
{
  if (!a || a->type != u->plugin.atom_Vector || a->size < sizeof(LV2_Atom_Vector_Body)) {
    return NULL;
  }
  const LV2_Atom_Vector* v = (const LV2_Atom_Vector*)(const void*)a;
  if (v->body.child_type != u->plugin.atom_Float || v->body.child_size != sizeof(float)) {
    return NULL;
  }
  *n = (a->size - (uint32_t)sizeof(LV2_Atom_Vector_Body)) / (uint32_t)sizeof(float);
  return (const float*)(const void*)(&v->body + 1);
}

StUiIncoming
st_ui_mirror_read(const StUiUris* u, const LV2_Atom* atom)
{
  const StUris* p  = &u->plugin;
  StUiIncoming  in = {.kind = ST_UI_IN_OTHER};
  if (!st_atom_object_valid(p, atom)) {
    return in;
  }
  const LV2_Atom_Object* obj = (const LV2_Atom_Object*)(const void*)atom;
  in.has_seq =
    st_atom_sequence_number(p, st_atom_property(obj, p->patch_sequenceNumber), &in.seq);
  const LV2_URID otype = obj->body.otype;
  if (otype == p->patch_Put) {
    const LV2_Atom* body = st_atom_property(obj, p->patch_body);
    if (st_atom_object_valid(p, body)) {
      in.text = st_atom_string(
        p, st_atom_property((const LV2_Atom_Object*)(const void*)body, p->strata_patch));
    }
    in.kind = in.text ? ST_UI_IN_PUT : ST_UI_IN_OTHER;
  } else if (otype == p->patch_Ack && in.has_seq) {
    in.kind = ST_UI_IN_ACK;
  } else if (otype == p->patch_Error) {
    in.text = st_atom_string(p, st_atom_property(obj, p->strata_error));
    in.text = in.text ? in.text : "the plugin refused the edit";
    in.kind = ST_UI_IN_ERROR;
  } else if (otype == u->plugin.strata_Levels) {
    in.values = float_vector(u, st_atom_property(obj, u->plugin.strata_levels), &in.n);
    in.kind   = in.values ? ST_UI_IN_LEVELS : ST_UI_IN_OTHER;
  } else if (otype == u->plugin.strata_Scope) {
    in.text   = st_atom_string(p, st_atom_property(obj, u->plugin.strata_probe));
    in.values = float_vector(u, st_atom_property(obj, u->plugin.strata_samples), &in.n);
    in.kind   = in.text && in.values ? ST_UI_IN_SCOPE : ST_UI_IN_OTHER;
  }
  in.length = in.text ? strlen(in.text) : 0;
  return in;
}
