/* SPDX-License-Identifier: ISC */
#include "gesture.h"

#include "forge.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_MAX (1u << 20)  ///< Largest patch file, as the plugin reads them

static const StNodeSlot*
node_at(const StUiModel* m, int node)
{
  return node >= 0 ? st_ui_mirror_node(m->mirror, (uint32_t)node) : NULL;
}

static bool
no_node(StUiModel* m)
{
  return st_ui_model_fail(m, "no such node");
}

/* Ends a one-edit gesture. */
static bool
send_edit(StUiModel* m, StUiOut* out, const StUiEdit* e, bool undoable)
{
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, undoable);
  return st_ui_model_commit(m, out, mark, st_ui_model_send(m, out, e));
}

static bool
is_taken(const StUiModel* m, const char* name, const char* const* taken, size_t n_taken)
{
  if (st_ui_mirror_find(m->mirror, name) >= 0) {
    return true;
  }
  for (size_t i = 0; i < n_taken; ++i) {
    if (!strcmp(taken[i], name)) {
      return true;
    }
  }
  return false;
}

void
st_ui_unique_name(const StUiModel* m, const char* base, const char* const* taken,
                  size_t n_taken, char* name)
{
  st_ui_copy_name(name, base, ST_NAME_MAX);
  if (!is_taken(m, name, taken, n_taken)) {
    return;
  }
  size_t stem = strlen(base);
  while (stem > 1 && isdigit((unsigned char)base[stem - 1])) {
    --stem;
  }
  for (unsigned n = 2;; ++n) {
    char number[16];
    snprintf(number, sizeof(number), "%u", n);
    const size_t keep = stem + strlen(number) < ST_NAME_MAX ? stem
                                                            : ST_NAME_MAX - 1 - strlen(number);
    memcpy(name, base, keep);
    strcpy(name + keep, number);
    if (!is_taken(m, name, taken, n_taken)) {
      return;
    }
  }
}

bool
st_ui_model_add_node(StUiModel* m, const StNodeType* type, float x, float y, StUiOut* out)
{
  StUiEdit add = st_ui_edit(ST_UI_EDIT_ADD);
  add.type     = type;
  st_ui_unique_name(m, type->name, NULL, 0, add.node);
  for (uint32_t p = 0; p < type->n_params; ++p) {
    add.params[p] = type->params[p].def;
  }
  StUiEdit place = st_ui_edit(ST_UI_EDIT_PLACE);
  st_ui_copy_name(place.node, add.node, sizeof(place.node));
  place.x             = x;
  place.y             = y;
  m->pointer          = (StUiPoint){x, y};
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
  return st_ui_model_commit(m, out, mark,
                            st_ui_model_send(m, out, &add) && st_ui_model_send(m, out, &place));
}

bool
st_ui_model_move_node(StUiModel* m, int node, float x, float y, StUiOut* out)
{
  const StNodeSlot* n = node_at(m, node);
  if (!n) {
    return no_node(m);
  }
  StUiEdit e = st_ui_edit(ST_UI_EDIT_PLACE);
  st_ui_copy_name(e.node, n->name, sizeof(e.node));
  e.x = x;
  e.y = y;
  return send_edit(m, out, &e, true);
}

bool
st_ui_model_connect(StUiModel* m, int src, int out_port, int dst, int in_port, StUiOut* out)
{
  const StNodeSlot* s = node_at(m, src);
  const StNodeSlot* d = node_at(m, dst);
  if (!s || !d || out_port < 0 || (uint32_t)out_port >= s->type->n_outputs || in_port < 0 ||
      (uint32_t)in_port >= d->type->n_inputs) {
    return st_ui_model_fail(m, "no such port");
  }
  StUiEdit e = st_ui_edit(ST_UI_EDIT_CONNECT);
  st_ui_ref_join(e.tail, s->name, s->type->outputs[out_port].name);
  st_ui_ref_join(e.head, d->name, d->type->inputs[in_port].name);
  const StSource was = d->src[in_port];
  if (was.node == (uint32_t)src && was.port == (uint32_t)out_port) {
    return true;  // Already so: nothing to send.
  }
  e.flag = was.node != ST_NO_NODE;
  return send_edit(m, out, &e, true);
}

/* The disconnect edit of the link into input `in_port` of `dst`. */
static bool
unlink_edit(StUiModel* m, int dst, int in_port, StUiEdit* e)
{
  const StNodeSlot* d = node_at(m, dst);
  if (!d || in_port < 0 || (uint32_t)in_port >= d->type->n_inputs ||
      d->src[in_port].node == ST_NO_NODE) {
    return st_ui_model_fail(m, "no such link");
  }
  const StNodeSlot* s = st_ui_mirror_node(m->mirror, d->src[in_port].node);
  *e                  = st_ui_edit(ST_UI_EDIT_DISCONNECT);
  st_ui_ref_join(e->tail, s->name, s->type->outputs[d->src[in_port].port].name);
  st_ui_ref_join(e->head, d->name, d->type->inputs[in_port].name);
  return true;
}

bool
st_ui_model_disconnect(StUiModel* m, int dst, int in_port, StUiOut* out)
{
  StUiEdit e;
  return unlink_edit(m, dst, in_port, &e) && send_edit(m, out, &e, true);
}

bool
st_ui_model_move_link(StUiModel* m, int dst, int in_port, int to, int to_port, StUiOut* out)
{
  StUiEdit          unlink;
  const StNodeSlot* t = node_at(m, to);
  if (!unlink_edit(m, dst, in_port, &unlink)) {
    return false;
  }
  if (!t || to_port < 0 || (uint32_t)to_port >= t->type->n_inputs) {
    return st_ui_model_fail(m, "no such port");
  }
  if (to == dst && to_port == in_port) {
    return true;  // Dropped where it was.
  }
  StUiEdit link = st_ui_edit(ST_UI_EDIT_CONNECT);
  st_ui_copy_name(link.tail, unlink.tail, sizeof(link.tail));
  st_ui_ref_join(link.head, t->name, t->type->inputs[to_port].name);
  link.flag           = t->src[to_port].node != ST_NO_NODE;
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
  return st_ui_model_commit(
    m, out, mark, st_ui_model_send(m, out, &link) && st_ui_model_send(m, out, &unlink));
}

bool
st_ui_model_set_param(StUiModel* m, int node, int param, float value, bool continues,
                      StUiOut* out)
{
  const StNodeSlot* n = node_at(m, node);
  if (!n || param < 0 || (uint32_t)param >= n->type->n_params) {
    return st_ui_model_fail(m, "no such parameter");
  }
  const StParamSpec* spec = &n->type->params[param];
  if (spec->flags & ST_PARAM_FIXED) {
    char text[128];
    snprintf(text, sizeof(text), "%s.%s is fixed when the node is made", n->name, spec->name);
    return st_ui_model_fail(m, text);
  }
  StUiEdit e = st_ui_edit(ST_UI_EDIT_SET);
  st_ui_copy_name(e.node, n->name, sizeof(e.node));
  st_ui_copy_name(e.param, spec->name, sizeof(e.param));
  value   = value < spec->min ? spec->min : value > spec->max ? spec->max : value;
  e.value = (spec->flags & (ST_PARAM_INT | ST_PARAM_CHOICE)) ? roundf(value) : value;
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
  const bool     ok   = st_ui_model_commit(m, out, mark, st_ui_model_send(m, out, &e));
  if (ok && continues && !m->drag) {
    m->drag = mark.gesture;
    for (size_t i = 0; i < m->n_gathering; ++i) {
      m->gathering[i].open = m->gathering[i].open || m->gathering[i].gesture == m->drag;
    }
  }
  return ok;
}

static bool
map_target(StUiModel* m, uint32_t slot, int node, int param, StUiEdit* e)
{
  const StNodeSlot* n = node_at(m, node);
  if (!n || param < 0 || (uint32_t)param >= n->type->n_params || slot < 1 ||
      slot > ST_MACRO_SLOTS) {
    return st_ui_model_fail(m, "no such parameter or macro");
  }
  e->slot = slot;
  st_ui_ref_join(e->target, n->name, n->type->params[param].name);
  return true;
}

bool
st_ui_model_map(StUiModel* m, uint32_t slot, int node, int param, float min, float max,
                StCurve curve, const char* label, StUiOut* out)
{
  StUiEdit e = st_ui_edit(ST_UI_EDIT_MAP);
  if (!map_target(m, slot, node, param, &e)) {
    return false;
  }
  e.min   = min;
  e.max   = max;
  e.curve = curve;
  st_ui_copy_name(e.label, label ? label : "", sizeof(e.label));
  return send_edit(m, out, &e, true);
}

bool
st_ui_model_unmap(StUiModel* m, uint32_t slot, int node, int param, StUiOut* out)
{
  StUiEdit e = st_ui_edit(ST_UI_EDIT_UNMAP);
  return map_target(m, slot, node, param, &e) && send_edit(m, out, &e, true);
}

bool
st_ui_model_delete_selection(StUiModel* m, StUiOut* out)
{
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
  bool           ok   = true;
  bool           any  = false;
  for (uint32_t j = 0; ok && j < st_graph_capacity(m->mirror->graph); ++j) {
    const StNodeSlot* n = st_ui_mirror_node(m->mirror, j);
    if (n && m->selected[j]) {
      StUiEdit e = st_ui_edit(ST_UI_EDIT_REMOVE);
      st_ui_copy_name(e.node, n->name, sizeof(e.node));
      ok  = st_ui_model_send(m, out, &e);
      any = true;
    }
  }
  return st_ui_model_commit(m, out, mark, ok && any);
}

bool
st_ui_model_rename(StUiModel* m, int node, const char* name, StUiOut* out)
{
  const StNodeSlot* n = node_at(m, node);
  if (!n) {
    return no_node(m);
  }
  StUiEdit e = st_ui_edit(ST_UI_EDIT_RENAME);
  st_ui_copy_name(e.node, n->name, sizeof(e.node));
  st_ui_copy_name(e.to, name, sizeof(e.to));
  return send_edit(m, out, &e, true);
}

/* Parses `text` here first: a bad text is shown, not sent. */
static bool
send_text(StUiModel* m, const char* text, size_t length, const char* file, StUiOut* out)
{
  StGraph* scratch =
    st_graph_new(st_graph_capacity(m->mirror->graph), ST_DEFAULT_POOL_BUFFERS, 48000.0f);
  if (!scratch) {
    return st_ui_model_fail(m, "out of memory");
  }
  StPatchError   error;
  const StStatus st = st_patch_parse(text, length, NULL, scratch, &error);
  st_graph_free(scratch);
  if (st) {
    st_ui_model_fail(m, error.message);
    const char* reason = error.line ? strstr(error.message, ": ") : NULL;
    if (file) {
      // As the plugin logs a bad file: "bass.strata:1:14: node 'vcf' ...".
      snprintf(m->error.text, sizeof(m->error.text), "%.100s:%u:%u: %.140s", file, error.line,
               error.column, reason ? reason + 2 : error.message);
    }
    m->error.line   = error.line;
    m->error.column = error.column;
    return false;
  }
  StUiEdit e = st_ui_edit(ST_UI_EDIT_PATCH);
  e.text     = malloc(length + 1);
  if (!e.text) {
    return st_ui_model_fail(m, "out of memory");
  }
  memcpy(e.text, text, length);
  e.text[length] = '\0';
  const bool ok  = send_edit(m, out, &e, true);
  st_ui_edit_clear(&e);
  return ok;
}

bool
st_ui_model_apply_text(StUiModel* m, StUiOut* out)
{
  if (!send_text(m, m->text.text ? m->text.text : "", m->text.length, NULL, out)) {
    if (m->error.line) {
      st_ui_text_go_to(&m->text, m->error.line, m->error.column);
    }
    return false;
  }
  m->text.edited = false;  // The next Put shows what the plugin made of it.
  return true;
}

bool
st_ui_model_load_file(StUiModel* m, const char* path, StUiOut* out)
{
  char  message[300];
  FILE* f = fopen(path, "rb");
  if (!f) {
    snprintf(message, sizeof(message), "cannot open '%.200s': %s", path, strerror(errno));
    return st_ui_model_fail(m, message);
  }
  char*      text   = malloc(FILE_MAX + 1);
  size_t     length = text ? fread(text, 1, FILE_MAX + 1, f) : 0;
  const bool bad    = !text || ferror(f) || length > FILE_MAX;
  fclose(f);
  if (bad) {
    free(text);
    snprintf(message, sizeof(message), "cannot read '%.200s': %s", path,
             length > FILE_MAX ? "larger than 1 MiB" : "read error");
    return st_ui_model_fail(m, message);
  }
  const char* slash = strrchr(path, '/');
  const bool  ok    = send_text(m, text, length, slash ? slash + 1 : path, out);
  if (ok) {
    st_ui_text_set(&m->text, text, length);
  }
  free(text);
  return ok;
}

bool
st_ui_model_save_file(StUiModel* m, const char* path)
{
  char* text = st_ui_mirror_text(m->mirror);
  if (!text) {
    return st_ui_model_fail(m, "out of memory");
  }
  FILE*        f      = fopen(path, "wb");
  const size_t length = strlen(text);
  const bool   ok     = f && fwrite(text, 1, length, f) == length;
  const bool   closed = f && !fclose(f);
  free(text);
  if (!ok || !closed) {
    char message[300];
    snprintf(message, sizeof(message), "cannot write '%.200s': %s", path, strerror(errno));
    return st_ui_model_fail(m, message);
  }
  return true;
}

bool
st_ui_model_probe(StUiModel* m, int node, int port, StUiOut* out)
{
  StUiEdit e = st_ui_edit(ST_UI_EDIT_PROBE);
  if (node >= 0) {
    const StNodeSlot* n = node_at(m, node);
    if (!n || port < 0 || (uint32_t)port >= n->type->n_outputs) {
      return st_ui_model_fail(m, "no such output");
    }
    st_ui_ref_join(e.target, n->name, n->type->outputs[port].name);
  }
  return send_edit(m, out, &e, false);
}

bool
st_ui_model_undo(StUiModel* m, bool redo, StUiOut* out)
{
  StUiUndoStep step;
  if (!st_ui_undo_pop(&m->undo, redo, &step)) {
    return false;
  }
  const StUiMark mark =
    st_ui_model_begin(m, out, redo ? ST_UI_RECORD_REDO : ST_UI_RECORD_UNDO, true);
  bool ok = true;
  for (size_t i = 0; ok && i < step.n; ++i) {
    ok = st_ui_model_send(m, out, &step.edits[i]);
  }
  if (!st_ui_model_commit(m, out, mark, ok)) {
    st_ui_undo_push(&m->undo, &step, redo ? ST_UI_RECORD_UNDO : ST_UI_RECORD_REDO);
    return false;
  }
  st_ui_undo_step_free(&step);
  return true;
}
