/* SPDX-License-Identifier: ISC */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

StUiModel*
st_ui_model_new(LV2_URID_Map* map, StUiMeasure measure, void* measure_data)
{
  StUiModel* m = calloc(1, sizeof(*m));
  if (!m) {
    return NULL;
  }
  st_ui_uris_init(&m->uris, map);
  m->mirror       = st_ui_mirror_new();
  m->measure      = measure;
  m->measure_data = measure_data;
  m->view         = (StUiView){1, 0, 0};
  m->focus        = -1;
  m->next_seq     = 1;
  m->next_gesture = 1;
  m->error.node   = -1;
  m->error.port   = -1;
  st_ui_text_init(&m->text);
  st_ui_undo_init(&m->undo);
  if (!m->mirror || !st_ui_layout_init(&m->layout, st_graph_capacity(m->mirror->graph)) ||
      !(m->selected = calloc(st_graph_capacity(m->mirror->graph), sizeof(bool)))) {
    st_ui_model_free(m);
    return NULL;
  }
  st_ui_model_resize(m, 900, 600);
  return m;
}

void
st_ui_model_seed(StUiModel* m, uint32_t seed)
{
  // A multiplicative hash spreads nearby seeds (consecutive times) apart.
  m->next_seq = 1 + (int32_t)((seed * 2654435761u) % 1000000000u);
}

void
st_ui_model_free(StUiModel* m)
{
  if (!m) {
    return;
  }
  for (size_t i = 0; i < m->n_pending; ++i) {
    st_ui_edit_clear(&m->pending[i].edit);
  }
  for (size_t i = 0; i < m->n_gathering; ++i) {
    st_ui_undo_step_free(&m->gathering[i].step);
    free(m->gathering[i].before);
  }
  if (m->inside.top) {
    st_ui_mirror_free(m->mirror);
    m->mirror = m->inside.top;
  }
  st_ui_undo_free(&m->undo);
  st_ui_text_free(&m->text);
  st_ui_layout_free(&m->layout);
  st_ui_mirror_free(m->mirror);
  free(m->selected);
  free(m);
}

/* --- Sending --- */

static StUiGathering*
gathering(StUiModel* m, uint32_t gesture)
{
  for (size_t i = 0; gesture && i < m->n_gathering; ++i) {
    if (m->gathering[i].gesture == gesture) {
      return &m->gathering[i];
    }
  }
  return NULL;
}

static bool
pending_of(const StUiModel* m, uint32_t gesture)
{
  for (size_t i = 0; i < m->n_pending; ++i) {
    if (m->pending[i].gesture == gesture) {
      return true;
    }
  }
  return false;
}

/* A gesture that is over and fully answered becomes an undo (or redo) step. */
static void
settle(StUiModel* m, uint32_t gesture)
{
  StUiGathering* g = gathering(m, gesture);
  if (!g || g->open || pending_of(m, gesture)) {
    return;
  }
  if (!st_ui_undo_settle(&g->step, g->before)) {
    st_ui_undo_step_free(&g->step);
    st_ui_model_fail(m, "out of memory: this edit cannot be undone");
  }
  st_ui_undo_push(&m->undo, &g->step, g->record);
  st_ui_undo_step_free(&g->step);
  free(g->before);
  *g = m->gathering[--m->n_gathering];
}

StUiMark
st_ui_model_begin(StUiModel* m, StUiOut* out, StUiRecord record, bool undoable)
{
  StUiMark mark = {out->used, m->n_pending, m->next_seq, 0, false};
  m->gesture    = 0;
  m->record     = record;
  if (undoable) {
    if (m->drag && gathering(m, m->drag)) {
      m->gesture = m->drag;
    } else if (m->n_gathering < sizeof(m->gathering) / sizeof(m->gathering[0])) {
      m->gesture = m->next_gesture++;
      m->gathering[m->n_gathering++] =
        (StUiGathering){m->gesture, record, false, {NULL, 0, false}, NULL};
      mark.gathering = true;
    }
  }
  mark.gesture = m->gesture;
  return mark;
}

bool
st_ui_model_send(StUiModel* m, StUiOut* out, const StUiEdit* edit)
{
  if (m->inside.top && edit->kind != ST_UI_EDIT_GET && edit->kind != ST_UI_EDIT_MONITOR) {
    return st_ui_model_fail(m, "a sub-patch is shown read-only: go back up (Escape) to edit");
  }
  if (m->n_pending == ST_UI_PENDING_MAX) {
    return st_ui_model_fail(m, "too many edits are waiting for the plugin's answer");
  }
  if (!st_ui_forge_edit(&m->uris, out, edit, m->next_seq)) {
    return st_ui_model_fail(m, "the edit does not fit the message buffer");
  }
  StUiPending* p = &m->pending[m->n_pending];
  if (!st_ui_edit_copy(&p->edit, edit)) {
    out->used = out->size;  // Forged but not kept: the commit takes it back.
    return st_ui_model_fail(m, "out of memory");
  }
  p->quiet   = false;
  p->seq     = m->next_seq++;
  p->gesture = m->gesture;
  p->record  = m->record;
  p->at      = m->pointer;
  ++m->n_pending;
  return true;
}

bool
st_ui_model_commit(StUiModel* m, StUiOut* out, StUiMark mark, bool ok)
{
  if (!ok) {
    out->used = mark.used;
    while (m->n_pending > mark.n_pending) {
      st_ui_edit_clear(&m->pending[--m->n_pending].edit);
    }
    m->next_seq = mark.seq;
    if (mark.gathering) {
      StUiGathering* g = gathering(m, mark.gesture);
      st_ui_undo_step_free(&g->step);
      free(g->before);
      *g = m->gathering[--m->n_gathering];
    }
  }
  m->gesture = 0;
  return ok;
}

bool
st_ui_model_fail(StUiModel* m, const char* text)
{
  m->error = (StUiError){true, "", -1, -1, 0, m->pointer, 0, 0};
  snprintf(m->error.text, sizeof(m->error.text), "%s", text);
  return false;
}

void
st_ui_model_end_drag(StUiModel* m)
{
  StUiGathering* g = gathering(m, m->drag);
  const uint32_t d = m->drag;
  m->drag          = 0;
  if (g) {
    g->open = false;
    settle(m, d);
  }
}

/* --- Receiving --- */

static int
find_pending(const StUiModel* m, int32_t seq)
{
  for (size_t i = 0; i < m->n_pending; ++i) {
    if (m->pending[i].seq == seq) {
      return (int)i;
    }
  }
  return -1;
}

static void
drop_pending(StUiModel* m, int i)
{
  const uint32_t gesture = m->pending[i].gesture;
  st_ui_edit_clear(&m->pending[i].edit);
  memmove(&m->pending[i], &m->pending[i + 1],
          (m->n_pending - (size_t)i - 1) * sizeof(StUiPending));
  --m->n_pending;
  settle(m, gesture);
}

/* Sends patch:Get: the mirror missed something. */
static void
refetch(StUiModel* m, StUiOut* out)
{
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, false);
  const StUiEdit get  = st_ui_edit(ST_UI_EDIT_GET);
  st_ui_model_commit(m, out, mark, st_ui_model_send(m, out, &get));
}

static void
clear_selection(StUiModel* m)
{
  memset(m->selected, 0, st_graph_capacity(m->mirror->graph) * sizeof(bool));
  m->focus = -1;
}

static unsigned
on_ack(StUiModel* m, int32_t seq, StUiOut* out)
{
  const int i = find_pending(m, seq);
  if (i < 0) {
    refetch(m, out);  // Someone else edited: the next Put shows it.
    return ST_UI_CHANGED_NOTHING;
  }
  StUiPending*   p = &m->pending[i];
  StUiGathering* g = gathering(m, p->gesture);
  st_ui_model_update_layout(m);
  if (g && !g->before) {
    g->before = st_ui_mirror_text(m->mirror);
  }
  if (g && !st_ui_undo_reverse(m->mirror, &p->edit, m->layout.boxes, &g->step)) {
    st_ui_model_fail(m, "out of memory: this edit cannot be undone");
  }
  const int removed =
    p->edit.kind == ST_UI_EDIT_REMOVE ? st_ui_mirror_find(m->mirror, p->edit.node) : -1;
  if (st_ui_mirror_apply(m->mirror, &p->edit)) {
    refetch(m, out);
  }
  if (p->edit.kind == ST_UI_EDIT_ADD && p->gesture && p->gesture == m->paste) {
    st_ui_model_select(m, st_ui_mirror_find(m->mirror, p->edit.node), true);
  }
  if (removed >= 0) {
    m->selected[removed] = false;
    m->focus             = m->focus == removed ? -1 : m->focus;
  }
  if (p->edit.kind == ST_UI_EDIT_PATCH) {
    clear_selection(m);
  }
  drop_pending(m, i);
  return ST_UI_CHANGED_PATCH | ST_UI_CHANGED_METERS;
}

/* The node and port a "node.port" names in the mirror. */
static bool
locate_ref(StUiModel* m, const char* ref, StUiError* e)
{
  char node[ST_NAME_MAX];
  char port[ST_NAME_MAX];
  if (!st_ui_ref_split(ref, node, port) || st_ui_mirror_find(m->mirror, node) < 0) {
    return false;
  }
  e->node                  = st_ui_mirror_find(m->mirror, node);
  const StNodeType* t      = st_ui_mirror_node(m->mirror, (uint32_t)e->node)->type;
  const int         in     = st_node_input_index(t, port);
  const int         output = st_node_output_index(t, port);
  const int         param  = st_node_param_index(t, port);
  e->port                  = in >= 0 ? in : output >= 0 ? output : param;
  e->port_kind             = in >= 0 ? 'i' : output >= 0 ? 'o' : param >= 0 ? 'p' : 0;
  return true;
}

/* What an error concerns: the port or node of its own edit when the text
   names it, else the first node (or node.port) the text names after its
   "what: " prefix, else the gesture's place. */
static void
locate(StUiModel* m, const StUiPending* p, StUiError* e)
{
  e->node = e->port = -1;
  if (p) {
    const StUiEdit* d      = &p->edit;
    const char*     refs[] = {d->head, d->target, d->tail};
    for (size_t i = 0; i < 3; ++i) {
      if (refs[i][0] && strstr(e->text, refs[i]) && locate_ref(m, refs[i], e)) {
        return;
      }
    }
    if (d->node[0] && strstr(e->text, d->node) && st_ui_mirror_find(m->mirror, d->node) >= 0) {
      e->node = st_ui_mirror_find(m->mirror, d->node);
      return;
    }
  }
  const char* colon = strstr(e->text, ": ");
  for (const char* s = colon ? colon + 2 : e->text; *s;) {
    if (!(isalpha((unsigned char)*s) || *s == '_') ||
        (s > e->text && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))) {
      ++s;
      continue;
    }
    char   ref[ST_UI_REF_MAX];
    size_t n = 0;
    while (n < sizeof(ref) - 1 &&
           (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.')) {
      ref[n] = s[n];
      ++n;
    }
    ref[n] = '\0';
    if (locate_ref(m, ref, e)) {
      return;
    }
    char* dot = strchr(ref, '.');
    if (dot) {
      *dot = '\0';
    }
    if (st_ui_mirror_find(m->mirror, ref) >= 0) {
      e->node = st_ui_mirror_find(m->mirror, ref);
      return;
    }
    s += n;
  }
}

static unsigned
on_error(StUiModel* m, const StUiIncoming* in, StUiOut* out)
{
  const int i = in->has_seq ? find_pending(m, in->seq) : -1;
  if (i >= 0 && m->pending[i].edit.kind == ST_UI_EDIT_GET && !strncmp(in->text, "busy", 4)) {
    drop_pending(m, i);  // The plugin was busy (a preset loading): ask again, show nothing.
    refetch(m, out);
    return ST_UI_CHANGED_NOTHING;
  }
  if (i >= 0 && m->pending[i].quiet) {
    drop_pending(m, i);  // Refused because an earlier part was: that error stays shown.
    return ST_UI_CHANGED_NOTHING;
  }
  for (size_t k = 0; i >= 0 && m->pending[i].gesture && k < m->n_pending; ++k) {
    m->pending[k].quiet = m->pending[k].quiet || m->pending[k].gesture == m->pending[i].gesture;
  }
  m->error = (StUiError){true, "", -1, -1, 0, i >= 0 ? m->pending[i].at : m->pointer, 0, 0};
  snprintf(m->error.text, sizeof(m->error.text), "%s", in->text);
  locate(m, i >= 0 ? &m->pending[i] : NULL, &m->error);
  if (i >= 0) {
    drop_pending(m, i);
  }
  return ST_UI_CHANGED_ERROR;
}

static unsigned
on_put(StUiModel* m, const StUiIncoming* in)
{
  StPatchError e;
  if (in->has_seq) {
    const int i = find_pending(m, in->seq);
    if (i >= 0) {
      drop_pending(m, i);
    }
  }
  if (st_ui_mirror_load(m->mirror, in->text, in->length, &e)) {
    st_ui_model_fail(m, e.message);
    return ST_UI_CHANGED_ERROR;
  }
  clear_selection(m);
  if (!m->text.edited) {
    st_ui_text_set(&m->text, in->text, in->length);
  }
  return ST_UI_CHANGED_PATCH | ST_UI_CHANGED_METERS;
}

/* Put, Ack and Error concern the patch: inside a sub-patch, they are taken
   with the patch in place of the body shown, which then follows it. */
static unsigned
receive_edit(StUiModel* m, const StUiIncoming* in, StUiOut* out)
{
  StUiMirror* shown = m->mirror;
  m->mirror         = st_ui_model_patch(m);
  const unsigned changed = in->kind == ST_UI_IN_PUT   ? on_put(m, in)
                           : in->kind == ST_UI_IN_ACK ? on_ack(m, in->seq, out)
                                                      : on_error(m, in, out);
  if (shown != m->mirror) {
    m->mirror     = shown;
    m->error.node = -1;  // Its slot is one of the patch's, not of the body shown
    st_ui_model_refresh_inside(m);
  }
  return changed;
}

unsigned
st_ui_model_receive(StUiModel* m, const LV2_Atom* atom, StUiOut* out)
{
  const StUiIncoming in = st_ui_mirror_read(&m->uris, atom);
  switch (in.kind) {
  case ST_UI_IN_PUT:
  case ST_UI_IN_ACK:
  case ST_UI_IN_ERROR:
    return receive_edit(m, &in, out);
  case ST_UI_IN_LEVELS:
    st_ui_mirror_levels(st_ui_model_patch(m), in.values, in.n);
    return ST_UI_CHANGED_METERS;
  case ST_UI_IN_SCOPE:
    st_ui_mirror_scope(st_ui_model_patch(m), in.text, in.values, in.n);
    return ST_UI_CHANGED_METERS;
  case ST_UI_IN_OTHER:
    break;
  }
  return ST_UI_CHANGED_NOTHING;
}

void
st_ui_model_macro_port(StUiModel* m, uint32_t slot, float value)
{
  if (slot < ST_MACRO_SLOTS) {
    m->macros[slot] = value < 0 ? 0 : value > 1 ? 1 : value;
  }
}

/* --- Opening, closing, keep-alive --- */

static bool
send_one(StUiModel* m, StUiOut* out, const StUiEdit* edit)
{
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, false);
  return st_ui_model_commit(m, out, mark, st_ui_model_send(m, out, edit));
}

static bool
monitor(StUiModel* m, bool on, double now, StUiOut* out)
{
  StUiEdit e = st_ui_edit(ST_UI_EDIT_MONITOR);
  e.flag     = on;
  if (!send_one(m, out, &e)) {
    return false;
  }
  m->monitoring   = on;
  m->monitor_sent = now;
  return true;
}

bool
st_ui_model_open(StUiModel* m, double now, StUiOut* out)
{
  const StUiEdit get = st_ui_edit(ST_UI_EDIT_GET);
  return send_one(m, out, &get) && monitor(m, true, now, out);
}

bool
st_ui_model_tick(StUiModel* m, double now, bool visible, StUiOut* out)
{
  if (visible && (!m->monitoring || now - m->monitor_sent >= ST_UI_MONITOR_PERIOD)) {
    return monitor(m, true, now, out);
  }
  if (!visible && m->monitoring) {
    return monitor(m, false, now, out);
  }
  return true;
}

bool
st_ui_model_close(StUiModel* m, StUiOut* out)
{
  StUiEdit probe = st_ui_edit(ST_UI_EDIT_PROBE);
  bool     ok    = !m->mirror->probe[0] || send_one(m, out, &probe);
  return monitor(m, false, m->monitor_sent, out) && ok;
}

/* --- Selection and view --- */

void
st_ui_model_select(StUiModel* m, int node, bool add)
{
  if (!add) {
    clear_selection(m);
  }
  if (node >= 0 && st_ui_mirror_node(m->mirror, (uint32_t)node)) {
    m->selected[node] = true;
    m->focus          = node;
  }
}

bool
st_ui_model_is_selected(const StUiModel* m, int node)
{
  return node >= 0 && (uint32_t)node < st_graph_capacity(m->mirror->graph) && m->selected[node];
}

static void
reframe(StUiModel* m)
{
  const StNodeSlot* f = m->focus >= 0 ? st_ui_mirror_node(m->mirror, (uint32_t)m->focus) : NULL;
  st_ui_frame_compute(&m->frame, m->width, m->height, m->text_shown, f ? f->type->n_params : 0);
}

void
st_ui_model_resize(StUiModel* m, float width, float height)
{
  m->width  = width;
  m->height = height;
  reframe(m);
}

void
st_ui_model_show_text(StUiModel* m, bool shown)
{
  m->text_shown = shown;
  reframe(m);
}

void
st_ui_model_update_layout(StUiModel* m)
{
  if (m->layout.version != m->mirror->version) {
    st_ui_layout_compute(&m->layout, m->mirror, m->measure, m->measure_data);
  }
}

void
st_ui_model_fit(StUiModel* m)
{
  st_ui_model_update_layout(m);
  st_ui_view_fit(&m->view, m->layout.bounds, m->frame.canvas);
}

StUiScene
st_ui_model_scene(const StUiModel* m)
{
  return (StUiScene){m->mirror, &m->layout, &m->view, &m->frame, m->focus};
}

StUiHit
st_ui_model_hit(StUiModel* m, float x, float y)
{
  st_ui_model_update_layout(m);
  reframe(m);
  const StUiScene scene = st_ui_model_scene(m);
  const StUiHit   hit   = st_ui_hit_test(&scene, (StUiPoint){x, y});
  if (hit.kind != ST_UI_HIT_NONE && hit.kind != ST_UI_HIT_TEXT && hit.kind != ST_UI_HIT_MACRO) {
    m->pointer = hit.canvas;
  }
  return hit;
}
