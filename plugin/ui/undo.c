/* SPDX-License-Identifier: ISC */
#include "undo.h"

#include <stdlib.h>
#include <string.h>

void
st_ui_undo_init(StUiUndo* u)
{
  memset(u, 0, sizeof(*u));
}

void
st_ui_undo_step_free(StUiUndoStep* step)
{
  for (size_t i = 0; i < step->n; ++i) {
    st_ui_edit_clear(&step->edits[i]);
  }
  free(step->edits);
  step->edits = NULL;
  step->n     = 0;
  step->whole = false;
}

void
st_ui_undo_free(StUiUndo* u)
{
  for (size_t i = 0; i < u->n_undo; ++i) {
    st_ui_undo_step_free(&u->undo[i]);
  }
  for (size_t i = 0; i < u->n_redo; ++i) {
    st_ui_undo_step_free(&u->redo[i]);
  }
  st_ui_undo_init(u);
}

/* A growing list of reversing edits for one edit. */
typedef struct {
  StUiEdit  edits[2 + ST_MAX_INPUTS + ST_MAX_MACRO_MAPS];
  size_t    n;
  StUiEdit* more;  ///< Links out of a node: any number
  size_t    n_more;
  bool      whole;  ///< Reversed by the whole text
  bool      failed;
} List;

static StUiEdit*
add(List* l, StUiEditKind kind)
{
  if (l->n < sizeof(l->edits) / sizeof(l->edits[0])) {
    l->edits[l->n] = st_ui_edit(kind);
    return &l->edits[l->n++];
  }
  StUiEdit* more = realloc(l->more, (l->n_more + 1) * sizeof(*more));
  if (!more) {
    l->failed = true;
    return NULL;
  }
  l->more            = more;
  l->more[l->n_more] = st_ui_edit(kind);
  return &l->more[l->n_more++];
}

static void
port_ref(char* ref, const StNodeSlot* slot, bool output, uint32_t port)
{
  const StPortSpec* spec = output ? &slot->type->outputs[port] : &slot->type->inputs[port];
  st_ui_ref_join(ref, slot->name, spec->name);
}

static void
map_edit(StUiEdit* e, const StUiMirror* m, const StMacroMap* map)
{
  const StNodeSlot* slot = st_graph_node(m->graph, map->node);
  e->slot                = map->slot + 1;
  st_ui_ref_join(e->target, slot->name, slot->type->params[map->param].name);
  e->min   = map->min;
  e->max   = map->max;
  e->curve = map->curve;
  st_ui_copy_name(e->label, map->label, sizeof(e->label));
}

/* A whole-text replacement back to the mirror as it is: for what single edits cannot restore.
 */
static void
reverse_by_text(List* l, const StUiMirror* m)
{
  l->whole    = true;
  StUiEdit* e = add(l, ST_UI_EDIT_PATCH);
  if (e && !(e->text = st_ui_mirror_text(m))) {
    l->failed = true;
  }
}

/* A removed node comes back with its parameters, position, links and maps. */
static void
reverse_remove(List* l, const StUiMirror* m, uint32_t index)
{
  const StGraph*    g    = m->graph;
  const StNodeSlot* slot = st_graph_node_at(g, index);
  // Taps have no edit of their own, and a map put back goes after the
  // others: the text restores what single edits cannot.
  bool by_text = false;
  for (uint32_t c = 0; c < 2; ++c) {
    by_text = by_text || st_graph_tap(g, c).node == index;
  }
  bool mapped = false;
  for (uint32_t i = 0; i < st_graph_map_count(g); ++i) {
    const bool mine = st_graph_map_at(g, i)->node.index == index;
    by_text         = by_text || (mapped && !mine);
    mapped          = mapped || mine;
  }
  if (by_text) {
    reverse_by_text(l, m);
    return;
  }
  StUiEdit* e = add(l, ST_UI_EDIT_ADD);
  st_ui_copy_name(e->node, slot->name, sizeof(e->node));
  e->type = slot->type;
  for (uint32_t p = 0; p < slot->type->n_params; ++p) {
    e->params[p] = slot->params[p].target;
  }
  const StUiPlace place = st_ui_mirror_place(m, index);
  if (place.placed) {
    e = add(l, ST_UI_EDIT_PLACE);
    st_ui_copy_name(e->node, slot->name, sizeof(e->node));
    e->x = place.x;
    e->y = place.y;
  }
  for (uint32_t in = 0; in < slot->type->n_inputs; ++in) {
    const StNodeSlot* src =
      slot->src[in].node != ST_NO_NODE ? st_graph_node_at(g, slot->src[in].node) : NULL;
    if (src) {
      e = add(l, ST_UI_EDIT_CONNECT);
      port_ref(e->tail, src, true, slot->src[in].port);
      port_ref(e->head, slot, false, in);
    }
  }
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* dst = st_graph_node_at(g, j);
    for (uint32_t in = 0; dst && j != index && in < dst->type->n_inputs; ++in) {
      if (dst->src[in].node == index && (e = add(l, ST_UI_EDIT_CONNECT))) {
        port_ref(e->tail, slot, true, dst->src[in].port);
        port_ref(e->head, dst, false, in);
      }
    }
  }
  for (uint32_t i = 0; i < st_graph_map_count(g); ++i) {
    const StMacroMap* map = st_graph_map_at(g, i);
    if (map->node.index == index && (e = add(l, ST_UI_EDIT_MAP))) {
      map_edit(e, m, map);
    }
  }
}

static void
reverse_connect(List* l, const StUiMirror* m, const StUiEdit* edit)
{
  char name[ST_NAME_MAX];
  char port[ST_NAME_MAX];
  int  index = -1;
  if (st_ui_ref_split(edit->head, name, port)) {
    index = st_ui_mirror_find(m, name);
  }
  const StNodeSlot* dst = index >= 0 ? st_graph_node_at(m->graph, (uint32_t)index) : NULL;
  const int         in  = dst ? st_node_input_index(dst->type, port) : -1;
  const StSource    old = in >= 0 ? dst->src[in] : (StSource){ST_NO_NODE, 0};
  StUiEdit* e = add(l, old.node != ST_NO_NODE ? ST_UI_EDIT_CONNECT : ST_UI_EDIT_DISCONNECT);
  if (old.node != ST_NO_NODE) {
    port_ref(e->tail, st_graph_node_at(m->graph, old.node), true, old.port);
    e->flag = true;  // Put the old link back in place of the new one.
  } else {
    st_ui_copy_name(e->tail, edit->tail, sizeof(e->tail));
  }
  st_ui_copy_name(e->head, edit->head, sizeof(e->head));
}

/* The map of a slot onto a "node.param", or NULL. */
static const StMacroMap*
find_map(const StUiMirror* m, uint32_t slot, const char* target)
{
  char name[ST_NAME_MAX];
  char param[ST_NAME_MAX];
  if (!st_ui_ref_split(target, name, param)) {
    return NULL;
  }
  for (uint32_t i = 0; i < st_graph_map_count(m->graph); ++i) {
    const StMacroMap* map = st_graph_map_at(m->graph, i);
    const StNodeSlot* n   = st_graph_node(m->graph, map->node);
    if (map->slot + 1 == slot && !strcmp(n->name, name) &&
        !strcmp(n->type->params[map->param].name, param)) {
      return map;
    }
  }
  return NULL;
}

static void
reverse(List* l, const StUiMirror* m, const StUiEdit* edit, const StUiRect* shown)
{
  const int         index = edit->node[0] ? st_ui_mirror_find(m, edit->node) : -1;
  const StNodeSlot* slot  = index >= 0 ? st_graph_node_at(m->graph, (uint32_t)index) : NULL;
  StUiEdit*         e     = NULL;
  switch (edit->kind) {
  case ST_UI_EDIT_ADD:
    e = add(l, ST_UI_EDIT_REMOVE);
    st_ui_copy_name(e->node, edit->node, sizeof(e->node));
    break;
  case ST_UI_EDIT_REMOVE:
    if (slot) {
      reverse_remove(l, m, (uint32_t)index);
    }
    break;
  case ST_UI_EDIT_CONNECT:
    reverse_connect(l, m, edit);
    break;
  case ST_UI_EDIT_DISCONNECT:
    e = add(l, ST_UI_EDIT_CONNECT);
    st_ui_copy_name(e->tail, edit->tail, sizeof(e->tail));
    st_ui_copy_name(e->head, edit->head, sizeof(e->head));
    break;
  case ST_UI_EDIT_SET: {
    const int p = slot ? st_node_param_index(slot->type, edit->param) : -1;
    if (p >= 0) {
      e = add(l, ST_UI_EDIT_SET);
      st_ui_copy_name(e->node, edit->node, sizeof(e->node));
      st_ui_copy_name(e->param, edit->param, sizeof(e->param));
      e->value = slot->params[p].target;
    }
    break;
  }
  case ST_UI_EDIT_PLACE:
    if (slot) {
      const StUiPlace now = st_ui_mirror_place(m, (uint32_t)index);
      const StUiPlace was =
        now.placed || !shown ? now : (StUiPlace){shown[index].x, shown[index].y, true};
      e = add(l, ST_UI_EDIT_PLACE);
      st_ui_copy_name(e->node, edit->node, sizeof(e->node));
      e->x = was.x;
      e->y = was.y;
    }
    break;
  case ST_UI_EDIT_MAP:
  case ST_UI_EDIT_UNMAP: {
    const StMacroMap* old  = find_map(m, edit->slot, edit->target);
    const uint32_t    maps = st_graph_map_count(m->graph);
    if (old && edit->kind == ST_UI_EDIT_UNMAP && old != st_graph_map_at(m->graph, maps - 1)) {
      reverse_by_text(l, m);  // Mapped again, it would go after the others.
    } else if (old) {
      map_edit(add(l, ST_UI_EDIT_MAP), m, old);
    } else if (edit->kind == ST_UI_EDIT_MAP) {
      e       = add(l, ST_UI_EDIT_UNMAP);
      e->slot = edit->slot;
      st_ui_copy_name(e->target, edit->target, sizeof(e->target));
    }
    break;
  }
  case ST_UI_EDIT_RENAME:
    e = add(l, ST_UI_EDIT_RENAME);
    st_ui_copy_name(e->node, edit->to, sizeof(e->node));
    st_ui_copy_name(e->to, edit->node, sizeof(e->to));
    break;
  case ST_UI_EDIT_PATCH:
    reverse_by_text(l, m);
    break;
  case ST_UI_EDIT_PROBE:
  case ST_UI_EDIT_MONITOR:
  case ST_UI_EDIT_GET:
    break;
  }
}

bool
st_ui_undo_reverse(const StUiMirror* m, const StUiEdit* edit, const StUiRect* shown,
                   StUiUndoStep* step)
{
  List l;
  l.n      = 0;
  l.more   = NULL;
  l.n_more = 0;
  l.whole  = false;
  l.failed = false;
  reverse(&l, m, edit, shown);
  const size_t n     = l.n + l.n_more;
  StUiEdit*    edits = l.failed ? NULL : malloc((n + step->n) * sizeof(*edits) + 1);
  if (!edits) {
    for (size_t i = 0; i < l.n; ++i) {
      st_ui_edit_clear(&l.edits[i]);
    }
    free(l.more);
    return false;
  }
  memcpy(edits, l.edits, l.n * sizeof(*edits));
  if (l.n_more) {
    memcpy(edits + l.n, l.more, l.n_more * sizeof(*edits));
  }
  if (step->n) {
    memcpy(edits + n, step->edits, step->n * sizeof(*edits));
  }
  free(l.more);
  free(step->edits);
  step->edits = edits;
  step->n += n;
  step->whole = step->whole || l.whole;
  return true;
}

bool
st_ui_undo_settle(StUiUndoStep* step, const char* text)
{
  if (!step->whole || !text) {
    return !step->whole;
  }
  StUiEdit patch = st_ui_edit(ST_UI_EDIT_PATCH);
  if (!(patch.text = strdup(text))) {
    return false;
  }
  st_ui_undo_step_free(step);
  step->edits = malloc(sizeof(*step->edits));
  if (!step->edits) {
    st_ui_edit_clear(&patch);
    return false;
  }
  step->edits[0] = patch;
  step->n        = 1;
  return true;
}

static void
push(StUiUndoStep* stack, size_t* n, StUiUndoStep* step)
{
  if (*n == ST_UI_UNDO_DEPTH) {
    st_ui_undo_step_free(&stack[0]);
    memmove(stack, stack + 1, (ST_UI_UNDO_DEPTH - 1) * sizeof(*stack));
    --*n;
  }
  stack[(*n)++] = *step;
  step->edits   = NULL;
  step->n       = 0;
}

void
st_ui_undo_push(StUiUndo* u, StUiUndoStep* step, StUiRecord record)
{
  if (!step->n) {
    st_ui_undo_step_free(step);
    return;
  }
  if (record == ST_UI_RECORD_UNDO) {
    push(u->redo, &u->n_redo, step);
    return;
  }
  if (record == ST_UI_RECORD_EDIT) {
    for (size_t i = 0; i < u->n_redo; ++i) {
      st_ui_undo_step_free(&u->redo[i]);
    }
    u->n_redo = 0;
  }
  push(u->undo, &u->n_undo, step);
}

bool
st_ui_undo_pop(StUiUndo* u, bool redo, StUiUndoStep* step)
{
  size_t* n = redo ? &u->n_redo : &u->n_undo;
  if (!*n) {
    return false;
  }
  *step = (redo ? u->redo : u->undo)[--*n];
  return true;
}
