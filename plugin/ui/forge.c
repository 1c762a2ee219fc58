/* SPDX-License-Identifier: ISC */
#include "forge.h"

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>

#include <string.h>

void
st_ui_out_init(StUiOut* out, void* buf, size_t size)
{
  out->buf  = buf;
  out->size = size;
  out->used = 0;
}

const LV2_Atom*
st_ui_out_first(const StUiOut* out)
{
  return out->used ? (const LV2_Atom*)(const void*)out->buf : NULL;
}

const LV2_Atom*
st_ui_out_next(const StUiOut* out, const LV2_Atom* atom)
{
  const uint8_t* next = (const uint8_t*)atom + lv2_atom_pad_size(sizeof(LV2_Atom) + atom->size);
  return next < out->buf + out->used ? (const LV2_Atom*)(const void*)next : NULL;
}

size_t
st_ui_out_count(const StUiOut* out)
{
  size_t n = 0;
  for (const LV2_Atom* a = st_ui_out_first(out); a; a = st_ui_out_next(out, a)) {
    ++n;
  }
  return n;
}

static void
string(LV2_Atom_Forge* f, const char* s)
{
  lv2_atom_forge_string(f, s, (uint32_t)strlen(s));
}

static void
key_string(LV2_Atom_Forge* f, LV2_URID key, const char* s)
{
  lv2_atom_forge_key(f, key);
  string(f, s);
}

static void
key_float(LV2_Atom_Forge* f, LV2_URID key, float v)
{
  lv2_atom_forge_key(f, key);
  lv2_atom_forge_float(f, v);
}

static void
key_urid(LV2_Atom_Forge* f, LV2_URID key, LV2_URID v)
{
  lv2_atom_forge_key(f, key);
  lv2_atom_forge_urid(f, v);
}

static void
subject_node(const StUiUris* u, LV2_Atom_Forge* f, const char* name)
{
  key_urid(f, u->plugin.patch_subject, st_ui_uris_named(u, STRATA_NODE_PREFIX, name));
}

/* A link body: [ a strata:Link ; strata:tail "a.out" ; strata:head "b.in" ]. */
static void
link_body(const StUiUris* u, LV2_Atom_Forge* f, const StUiEdit* e, bool replace)
{
  LV2_Atom_Forge_Frame body;
  lv2_atom_forge_key(f, u->plugin.patch_body);
  lv2_atom_forge_object(f, &body, 0, u->plugin.strata_Link);
  key_string(f, u->plugin.strata_tail, e->tail);
  key_string(f, u->plugin.strata_head, e->head);
  if (replace) {
    lv2_atom_forge_key(f, u->plugin.strata_replace);
    lv2_atom_forge_bool(f, true);
  }
  lv2_atom_forge_pop(f, &body);
}

/* [ rdf:type type:T ; param:P V ... ] with the parameters that differ from their defaults. */
static void
node_body(const StUiUris* u, LV2_Atom_Forge* f, const StUiEdit* e)
{
  LV2_Atom_Forge_Frame body;
  lv2_atom_forge_key(f, u->plugin.patch_body);
  lv2_atom_forge_object(f, &body, 0, 0);
  key_urid(f, u->plugin.rdf_type, st_ui_uris_named(u, STRATA_TYPE_PREFIX, e->type->name));
  for (uint32_t i = 0; i < e->type->n_params; ++i) {
    const StParamSpec* spec = &e->type->params[i];
    if (memcmp(&e->params[i], &spec->def, sizeof(float))) {
      key_float(f, st_ui_uris_named(u, STRATA_PARAM_PREFIX, spec->name), e->params[i]);
    }
  }
  lv2_atom_forge_pop(f, &body);
}

static void
map_body(const StUiUris* u, LV2_Atom_Forge* f, const StUiEdit* e)
{
  LV2_Atom_Forge_Frame body;
  lv2_atom_forge_key(f, u->plugin.patch_body);
  lv2_atom_forge_object(f, &body, 0, u->plugin.strata_MacroMap);
  key_string(f, u->plugin.strata_target, e->target);
  key_float(f, u->plugin.strata_minimum, e->min);
  key_float(f, u->plugin.strata_maximum, e->max);
  key_string(f, u->plugin.strata_curve, e->curve == ST_CURVE_EXPONENTIAL ? "exp" : "lin");
  if (e->label[0]) {
    key_string(f, u->plugin.rdfs_label, e->label);
  }
  lv2_atom_forge_pop(f, &body);
}

static LV2_URID
message_type(const StUiUris* u, StUiEditKind kind)
{
  switch (kind) {
  case ST_UI_EDIT_ADD:
  case ST_UI_EDIT_CONNECT:
  case ST_UI_EDIT_MAP:
    return u->plugin.patch_Put;
  case ST_UI_EDIT_REMOVE:
  case ST_UI_EDIT_DISCONNECT:
  case ST_UI_EDIT_UNMAP:
    return u->plugin.patch_Delete;
  case ST_UI_EDIT_RENAME:
    return u->plugin.patch_Move;
  case ST_UI_EDIT_GET:
    return u->plugin.patch_Get;
  default:
    return u->plugin.patch_Set;
  }
}

/* The subject, body, property and value of each kind of message. */
static void
forge_fields(const StUiUris* u, LV2_Atom_Forge* f, const StUiEdit* e)
{
  switch (e->kind) {
  case ST_UI_EDIT_ADD:
    subject_node(u, f, e->node);
    node_body(u, f, e);
    break;
  case ST_UI_EDIT_REMOVE:
    subject_node(u, f, e->node);
    break;
  case ST_UI_EDIT_CONNECT:
  case ST_UI_EDIT_DISCONNECT:
    link_body(u, f, e, e->kind == ST_UI_EDIT_CONNECT && e->flag);
    break;
  case ST_UI_EDIT_SET:
    subject_node(u, f, e->node);
    key_urid(f, u->plugin.patch_property, st_ui_uris_named(u, STRATA_PARAM_PREFIX, e->param));
    key_float(f, u->plugin.patch_value, e->value);
    break;
  case ST_UI_EDIT_PLACE: {
    subject_node(u, f, e->node);
    key_urid(f, u->plugin.patch_property, u->plugin.strata_position);
    lv2_atom_forge_key(f, u->plugin.patch_value);
    const float xy[2] = {e->x, e->y};
    lv2_atom_forge_vector(f, sizeof(float), u->plugin.atom_Float, 2, xy);
    break;
  }
  case ST_UI_EDIT_MAP:
  case ST_UI_EDIT_UNMAP:
    key_urid(f, u->plugin.patch_subject, u->plugin.strata_macro[e->slot - 1]);
    if (e->kind == ST_UI_EDIT_MAP) {
      map_body(u, f, e);
    } else {
      LV2_Atom_Forge_Frame body;
      lv2_atom_forge_key(f, u->plugin.patch_body);
      lv2_atom_forge_object(f, &body, 0, 0);
      key_string(f, u->plugin.strata_target, e->target);
      lv2_atom_forge_pop(f, &body);
    }
    break;
  case ST_UI_EDIT_RENAME:
    subject_node(u, f, e->node);
    key_urid(f, u->plugin.patch_destination, st_ui_uris_named(u, STRATA_NODE_PREFIX, e->to));
    break;
  case ST_UI_EDIT_PATCH:
    key_urid(f, u->plugin.patch_property, u->plugin.strata_patch);
    key_string(f, u->plugin.patch_value, e->text ? e->text : "");
    break;
  case ST_UI_EDIT_PROBE:
    key_urid(f, u->plugin.patch_property, u->plugin.strata_probe);
    key_string(f, u->plugin.patch_value, e->target);
    break;
  case ST_UI_EDIT_MONITOR:
    key_urid(f, u->plugin.patch_property, u->plugin.strata_monitor);
    lv2_atom_forge_key(f, u->plugin.patch_value);
    lv2_atom_forge_bool(f, e->flag);
    break;
  case ST_UI_EDIT_GET:
    break;
  }
}

/* A forge sink into the rest of the buffer that remembers any write that
   did not fit, so that a message is appended whole or not at all. */
typedef struct {
  uint8_t* buf;
  size_t   size;
  size_t   offset;
  bool     overflow;
} Sink;

static LV2_Atom_Forge_Ref
sink_write(LV2_Atom_Forge_Sink_Handle handle, const void* data, uint32_t size)
{
  Sink* s = (Sink*)handle;
  if (s->overflow || size > s->size - s->offset) {
    s->overflow = true;
    return 0;
  }
  memcpy(s->buf + s->offset, data, size);
  s->offset += size;
  return (LV2_Atom_Forge_Ref)(s->offset - size + 1);
}

static LV2_Atom*
sink_deref(LV2_Atom_Forge_Sink_Handle handle, LV2_Atom_Forge_Ref ref)
{
  Sink* s = (Sink*)handle;
  return (LV2_Atom*)(void*)(s->buf + ref - 1);
}

bool
st_ui_forge_edit(const StUiUris* u, StUiOut* out, const StUiEdit* edit, int32_t seq)
{
  Sink           sink = {out->buf + out->used, out->size - out->used, 0, false};
  LV2_Atom_Forge forge;
  lv2_atom_forge_init(&forge, u->map);
  lv2_atom_forge_set_sink(&forge, sink_write, sink_deref, &sink);

  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(&forge, &frame, 0, message_type(u, edit->kind));
  lv2_atom_forge_key(&forge, u->plugin.patch_sequenceNumber);
  lv2_atom_forge_int(&forge, seq);
  forge_fields(u, &forge, edit);
  if (sink.overflow) {
    return false;  // Nothing popped: the frame may refer past what was written.
  }
  lv2_atom_forge_pop(&forge, &frame);
  const size_t padded = lv2_atom_pad_size(sink.offset);
  if (padded > sink.size) {
    return false;
  }
  memset(sink.buf + sink.offset, 0, padded - sink.offset);
  out->used += padded;
  return true;
}
