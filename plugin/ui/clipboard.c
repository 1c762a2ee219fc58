/* SPDX-License-Identifier: ISC */
#include "clipboard.h"

#include "gesture.h"

#include <stdlib.h>
#include <string.h>

#define PASTE_ROW 4  ///< Pasted nodes without positions are set out this many to a row

char*
st_ui_model_copy(StUiModel* m)
{
  const StGraph* g  = m->mirror->graph;
  StGraph*  scratch = st_graph_new(st_graph_capacity(g), ST_DEFAULT_POOL_BUFFERS, 48000.0f);
  StHandle* copied  = calloc(st_graph_capacity(g), sizeof(*copied));
  char*     text    = NULL;
  bool      any     = false;
  if (!scratch || !copied) {
    goto done;
  }
  st_ui_model_update_layout(m);
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* n = st_graph_node_at(g, j);
    copied[j]           = ST_HANDLE_NONE;
    if (n && m->selected[j]) {
      float values[ST_MAX_PARAMS];
      for (uint32_t p = 0; p < n->type->n_params; ++p) {
        values[p] = n->params[p].target;
      }
      if (!st_graph_add(scratch, n->type, n->name, values, &copied[j])) {
        // Where it is shown, placed or laid out: a paste keeps the arrangement.
        const StUiRect box = m->layout.boxes[j];
        st_graph_place(scratch, copied[j], box.x, box.y);
        any = true;
      }
    }
  }
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* n = st_graph_node_at(g, j);
    for (uint32_t i = 0; n && m->selected[j] && i < n->type->n_inputs; ++i) {
      const StSource s = n->src[i];
      if (s.node != ST_NO_NODE && m->selected[s.node]) {
        st_graph_connect(scratch, copied[s.node], s.port, copied[j], i);
      }
    }
  }
  text = any ? st_patch_write(scratch) : NULL;
done:
  if (scratch) {
    st_graph_free(scratch);
  }
  free(copied);
  return text;
}

/* The pasted nodes' edits: each added under a free name, then placed. */
static bool
send_nodes(StUiModel* m, const StGraph* g, char (*names)[ST_NAME_MAX], StUiOut* out)
{
  const char* taken[ST_DEFAULT_MAX_NODES];
  size_t      n_taken = 0;
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* n = st_graph_node_at(g, j);
    if (!n) {
      continue;
    }
    st_ui_unique_name(m, n->name, taken, n_taken, names[j]);
    taken[n_taken] = names[j];
    StUiEdit add   = st_ui_edit(ST_UI_EDIT_ADD);
    add.type       = n->type;
    st_ui_copy_name(add.node, names[j], sizeof(add.node));
    for (uint32_t p = 0; p < n->type->n_params; ++p) {
      add.params[p] = n->params[p].target;
    }
    // Copies keep their arrangement, moved right and down; text without
    // positions is set out in rows right of and below the pointer.
    StUiEdit place = st_ui_edit(ST_UI_EDIT_PLACE);
    st_ui_copy_name(place.node, names[j], sizeof(place.node));
    place.x = n->placed ? n->x : m->pointer.x + (float)(n_taken % PASTE_ROW) * 160.0f;
    place.y = n->placed ? n->y : m->pointer.y + (float)(n_taken / PASTE_ROW) * 120.0f;
    place.x += ST_UI_PASTE_OFFSET;
    place.y += ST_UI_PASTE_OFFSET;
    ++n_taken;
    if (!st_ui_model_send(m, out, &add) || !st_ui_model_send(m, out, &place)) {
      return false;
    }
  }
  return n_taken > 0 || st_ui_model_fail(m, "nothing to paste");
}

static bool
send_links(StUiModel* m, const StGraph* g, char (*names)[ST_NAME_MAX], StUiOut* out)
{
  for (uint32_t j = 0; j < st_graph_capacity(g); ++j) {
    const StNodeSlot* n = st_graph_node_at(g, j);
    for (uint32_t i = 0; n && i < n->type->n_inputs; ++i) {
      const StSource s = n->src[i];
      if (s.node == ST_NO_NODE) {
        continue;
      }
      StUiEdit e = st_ui_edit(ST_UI_EDIT_CONNECT);
      st_ui_ref_join(e.tail, names[s.node],
                     st_graph_node_at(g, s.node)->type->outputs[s.port].name);
      st_ui_ref_join(e.head, names[j], n->type->inputs[i].name);
      if (!st_ui_model_send(m, out, &e)) {
        return false;
      }
    }
  }
  return true;
}

bool
st_ui_model_paste(StUiModel* m, const char* text, StUiOut* out)
{
  const uint32_t capacity   = st_graph_capacity(m->mirror->graph);
  StGraph*       g          = st_graph_new(capacity, ST_DEFAULT_POOL_BUFFERS, 48000.0f);
  char(*names)[ST_NAME_MAX] = calloc(capacity, ST_NAME_MAX);
  bool ok                   = false;
  if (!g || !names) {
    st_ui_model_fail(m, "out of memory");
  } else {
    StPatchError error;
    if (st_patch_parse(text, strlen(text), NULL, g, &error)) {
      st_ui_model_fail(m, error.message);
    } else {
      const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
      ok                  = st_ui_model_commit(m, out, mark,
                                               send_nodes(m, g, names, out) && send_links(m, g, names, out));
      if (ok) {
        st_ui_model_select(m, -1, false);
        m->paste = mark.gesture;
      }
    }
  }
  if (g) {
    st_graph_free(g);
  }
  free(names);
  return ok;
}
