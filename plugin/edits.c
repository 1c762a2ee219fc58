/* SPDX-License-Identifier: ISC */
/* Patch messages into engine edits, on the control side (the worker thread,
   or the host's main thread when it guarantees no concurrency). Every edit
   validates what the message says first, then makes exactly one atomic
   engine call: an edit is applied whole or changes nothing. */
#include "instance.h"

#include "atoms.h"
#include "patch_file.h"

#include "library.h"
#include "nodes/registry.h"
#include "patch.h"
#include "patch_define.h"
#include "suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The URI a URID names: from the maps made at instantiate, or urid:unmap. */
static const char*
unmapped(const StPlugin* p, LV2_URID urid, char* buf, size_t size)
{
  for (uint32_t i = 0; i < p->n_params; ++i) {
    if (p->params[i].urid == urid) {
      snprintf(buf, size, "%s%s", STRATA_PARAM_PREFIX, p->params[i].name);
      return buf;
    }
  }
  for (uint32_t i = 0; i < p->n_types; ++i) {
    if (p->types[i].urid == urid) {
      snprintf(buf, size, "%s%s", STRATA_TYPE_PREFIX, p->types[i].name);
      return buf;
    }
  }
  const char* uri = p->unmap ? p->unmap->unmap(p->unmap->handle, urid) : NULL;
  return uri ? uri : "";
}

/* The URI or string an atom holds (URID, URI, String). */
static const char*
atom_uri(const StPlugin* p, const LV2_Atom* a, char* buf, size_t size)
{
  LV2_URID urid = 0;
  if (st_atom_urid(&p->uris, a, &urid)) {
    return unmapped(p, urid, buf, size);
  }
  return st_atom_string(&p->uris, a);
}

static const char*
strip(const char* s, const char* prefix)
{
  const size_t n = strlen(prefix);
  return strncmp(s, prefix, n) ? NULL : s + n;
}

typedef enum {
  ST_SUBJECT_NONE,     ///< No patch:subject
  ST_SUBJECT_PLUGIN,   ///< The plugin itself
  ST_SUBJECT_NODE,     ///< A node: name in the subject's `name`
  ST_SUBJECT_MACRO,    ///< Macro slot `slot`
  ST_SUBJECT_SUBPATCH, ///< A sub-patch definition: name in `name`
  ST_SUBJECT_OTHER,    ///< Something Strata does not know
} StSubjectKind;

typedef struct {
  StSubjectKind kind;
  int           slot;
  char          name[ST_NAME_MAX * 4];
  char          uri[256];
} StSubject;

/* Reads patch:subject: <urn:strata:modular>, <urn:strata:modular#macroN>,
   <urn:strata:node:NAME>, <urn:strata:subpatch:NAME>, or a bare node name. */
static StSubject
read_subject(const StPlugin* p, const LV2_Atom* a)
{
  StSubject s = {.kind = a ? ST_SUBJECT_OTHER : ST_SUBJECT_NONE};
  if (!a) {
    return s;
  }
  LV2_URID urid = 0;
  if (st_atom_urid(&p->uris, a, &urid) && urid == p->uris.strata_plugin) {
    s.kind = ST_SUBJECT_PLUGIN;
    return s;
  }
  char        buf[256];
  const char* uri = atom_uri(p, a, buf, sizeof(buf));
  if (!uri) {
    return s;
  }
  snprintf(s.uri, sizeof(s.uri), "%s", uri);
  const char* rest;
  if (!strcmp(uri, STRATA_URI)) {
    s.kind = ST_SUBJECT_PLUGIN;
  } else if ((rest = strip(uri, STRATA__macro))) {
    char*      end  = NULL;
    const long slot = strtol(rest, &end, 10);
    if (*rest && !*end && slot >= 1 && slot <= ST_PLUGIN_MACROS) {
      s.kind = ST_SUBJECT_MACRO;
      s.slot = (int)slot - 1;
    }
  } else if ((rest = strip(uri, STRATA_SUBPATCH_PREFIX))) {
    s.kind = ST_SUBJECT_SUBPATCH;
    snprintf(s.name, sizeof(s.name), "%s", rest);
  } else if ((rest = strip(uri, STRATA_NODE_PREFIX)) || !strchr(uri, ':')) {
    s.kind = ST_SUBJECT_NODE;
    snprintf(s.name, sizeof(s.name), "%s", rest ? rest : uri);
  }
  return s;
}

/* --- Names and suggestions --- */

static const char*
type_name_at(const void* source, size_t index)
{
  (void)source;
  return st_registry_at(index)->name;
}

static const char*
node_name_at(const void* source, size_t index)
{
  const StNodeSlot* slot = st_graph_node_at(source, (uint32_t)index);
  return slot ? slot->name : NULL;
}

static const char*
port_name_at(const void* source, size_t index)
{
  return ((const StPortSpec*)source)[index].name;
}

static const char*
param_name_at(const void* source, size_t index)
{
  return ((const StParamSpec*)source)[index].name;
}

/* " (did you mean 'x'?)" or "". */
static const char*
hint(char* buf, size_t size, const char* word, const void* source, size_t count,
     StNameAt name_at)
{
  const char* best = st_suggest(word, source, count, name_at);
  snprintf(buf, size, best ? " (did you mean '%s'?)" : "%s", best ? best : "");
  return buf;
}

static const StGraph*
model(const StPlugin* p)
{
  return st_engine_model(p->engine);
}

/* The node of this name in the model, or an error reply. */
static bool
find_node(StPlugin* p, const char* what, const char* name, StHandle* node, StReply* r)
{
  *node = st_graph_find(model(p), name);
  if (!st_graph_node(model(p), *node)) {
    char h[64];
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN, "%s: there is no node '%s'%s", what, name,
                 hint(h, sizeof(h), name, model(p), st_graph_capacity(model(p)), node_name_at));
    return false;
  }
  return true;
}

typedef enum { ST_REF_INPUT, ST_REF_OUTPUT, ST_REF_PARAM } StRefKind;

/* Resolves "node.port" or "node.param" against the model. */
static bool
resolve(StPlugin* p, const char* what, const char* ref, StRefKind kind, StHandle* node,
        uint32_t* index, StReply* r)
{
  const char* dot = ref ? strchr(ref, '.') : NULL;
  if (!dot || dot == ref || (size_t)(dot - ref) >= ST_NAME_MAX) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: '%s' is not of the form node.%s", what,
                 ref ? ref : "", kind == ST_REF_PARAM ? "param" : "port");
    return false;
  }
  char name[ST_NAME_MAX];
  memcpy(name, ref, (size_t)(dot - ref));
  name[dot - ref] = '\0';
  if (!find_node(p, what, name, node, r)) {
    return false;
  }
  const StNodeType* t    = st_graph_node(model(p), *node)->type;
  const char*       port = dot + 1;
  int               i    = -1;
  char              h[64];
  switch (kind) {
  case ST_REF_INPUT:
    if ((i = st_node_input_index(t, port)) < 0) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN, "%s: node '%s' (%s) has no input '%s'%s",
                   what, name, t->name, port,
                   hint(h, sizeof(h), port, t->inputs, t->n_inputs, port_name_at));
    }
    break;
  case ST_REF_OUTPUT:
    if ((i = st_node_output_index(t, port)) < 0) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN, "%s: node '%s' (%s) has no output '%s'%s",
                   what, name, t->name, port,
                   hint(h, sizeof(h), port, t->outputs, t->n_outputs, port_name_at));
    }
    break;
  case ST_REF_PARAM:
    if ((i = st_node_param_index(t, port)) < 0) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN,
                   "%s: node '%s' (%s) has no parameter '%s'%s", what, name, t->name, port,
                   hint(h, sizeof(h), port, t->params, t->n_params, param_name_at));
    }
    break;
  }
  *index = (uint32_t)i;
  return i >= 0;
}

/* Ends an edit with the engine's verdict. */
static void
engine_result(StPlugin* p, StStatus st, const char* what, StReply* r)
{
  if (st) {
    // Every refusal that asks to send again starts with "busy".
    st_reply_set(r, ST_REPLY_ERROR, (int32_t)st, "%s%s: %s", st == ST_ERR_BUSY ? "busy: " : "",
                 what, st_engine_error(p->engine));
  } else {
    st_reply_set(r, ST_REPLY_ACK, ST_OK, "%s", what);
    r->changed = 1;
  }
}

/* --- Edits --- */

static const StNodeType*
read_type(const StPlugin* p, const LV2_Atom* a, char* name, size_t size)
{
  LV2_URID urid = 0;
  if (st_atom_urid(&p->uris, a, &urid)) {
    for (uint32_t i = 0; i < p->n_types; ++i) {
      if (p->types[i].urid == urid) {
        snprintf(name, size, "%s", p->types[i].name);
        return p->types[i].type;
      }
    }
  }
  char        buf[256];
  const char* uri    = atom_uri(p, a, buf, sizeof(buf));
  const char* group  = uri ? strip(uri, STRATA_VOICES_PREFIX) : NULL;
  const char* rest   = group ? group : uri ? strip(uri, STRATA_TYPE_PREFIX) : NULL;
  snprintf(name, size, "%s", rest ? rest : uri ? uri : "");
  const StNodeType* t = group ? NULL : st_registry_find(name);
  // Else a sub-patch the patch defines: one copy, or played as a voice group.
  const StSubpatch* def = t ? NULL : st_library_find(model(p)->library, name);
  return def ? (group ? &def->group : &def->type) : t;
}

/* The parameter name a property key names, or NULL. */
static const char*
param_key(const StPlugin* p, LV2_URID key, char* buf, size_t size)
{
  const char* uri  = unmapped(p, key, buf, size);
  const char* rest = strip(uri, STRATA_PARAM_PREFIX);
  return rest ? rest : (*uri ? uri : NULL);
}

/* patch:Put of a node: [ rdf:type <urn:strata:type:T> ; <urn:strata:param:P> V ... ] */
static void
add_node(StPlugin* p, const StSubject* s, const LV2_Atom_Object* body, StReply* r)
{
  const StUris*   u    = &p->uris;
  const LV2_Atom* type = NULL;
  char            what[96];
  char            tname[64];
  char            h[64];
  snprintf(what, sizeof(what), "add node '%.40s'", s->name);
  type = st_atom_property(body, u->rdf_type);
  if (!type) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: the body has no rdf:type", what);
    return;
  }
  const StNodeType* t = read_type(p, type, tname, sizeof(tname));
  if (!t) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN, "%s: unknown node type '%s'%s", what, tname,
                 hint(h, sizeof(h), tname, NULL, st_registry_count(), type_name_at));
    return;
  }
  float values[ST_MAX_PARAMS];
  for (uint32_t i = 0; i < t->n_params; ++i) {
    values[i] = t->params[i].def;
  }
  LV2_ATOM_OBJECT_FOREACH (body, prop) {
    if (prop->key == u->rdf_type) {
      continue;
    }
    char        buf[256];
    const char* name = param_key(p, prop->key, buf, sizeof(buf));
    const int   i    = name ? st_node_param_index(t, name) : -1;
    if (i < 0) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN, "%s: type %s has no parameter '%s'%s",
                   what, t->name, name ? name : "?",
                   hint(h, sizeof(h), name ? name : "", t->params, t->n_params, param_name_at));
      return;
    }
    if (!st_atom_number(u, &prop->value, &values[i])) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: parameter '%s' needs a number",
                   what, name);
      return;
    }
  }
  snprintf(what, sizeof(what), "add node '%.40s' (%.20s)", s->name, t->name);
  StHandle node;
  engine_result(p, st_engine_add(p->engine, t, s->name, values, &node), what, r);
}

static void
remove_node(StPlugin* p, const StSubject* s, StReply* r)
{
  char     what[96];
  StHandle node;
  snprintf(what, sizeof(what), "remove node '%.40s'", s->name);
  if (find_node(p, what, s->name, &node, r)) {
    engine_result(p, st_engine_remove(p->engine, node), what, r);
  }
}

static bool
is_link(const StUris* u, const LV2_Atom_Object* body)
{
  return body && (body->body.otype == u->strata_Link || body->body.otype == u->ingen_Arc);
}

/* The tail and head of a link body ("node.port"; strata: or ingen: keys). */
static void
link_ends(const StPlugin* p, const LV2_Atom_Object* body, const char** tail, const char** head,
          char* tbuf, char* hbuf, size_t size)
{
  const StUris*   u  = &p->uris;
  const LV2_Atom* t  = NULL;
  const LV2_Atom* h  = NULL;
  const LV2_Atom* it = NULL;
  const LV2_Atom* ih = NULL;
  t  = st_atom_property(body, u->strata_tail);
  h  = st_atom_property(body, u->strata_head);
  it = st_atom_property(body, u->ingen_tail);
  ih = st_atom_property(body, u->ingen_head);
  const char* ts = atom_uri(p, t ? t : it, tbuf, size);
  const char* hs = atom_uri(p, h ? h : ih, hbuf, size);
  const char* tr = ts ? strip(ts, STRATA_NODE_PREFIX) : NULL;
  const char* hr = hs ? strip(hs, STRATA_NODE_PREFIX) : NULL;
  *tail          = tr ? tr : ts;
  *head          = hr ? hr : hs;
}

static void
connect_link(StPlugin* p, const LV2_Atom_Object* body, StReply* r)
{
  char        tbuf[256];
  char        hbuf[256];
  char        what[192];
  const char* tail = NULL;
  const char* head = NULL;
  link_ends(p, body, &tail, &head, tbuf, hbuf, sizeof(tbuf));
  snprintf(what, sizeof(what), "connect %.70s -> %.70s", tail ? tail : "?", head ? head : "?");
  StHandle src;
  StHandle dst;
  uint32_t out;
  uint32_t in;
  const LV2_Atom* replace = st_atom_property(body, p->uris.strata_replace);
  bool            relink  = false;
  if (replace && !st_atom_bool(&p->uris, replace, &relink)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: strata:replace must be an atom:Bool",
                 what);
    return;
  }
  if (relink) {
    snprintf(what, sizeof(what), "connect %.70s -> %.70s (replacing its link)", tail ? tail : "?",
             head ? head : "?");
  }
  if (resolve(p, what, tail, ST_REF_OUTPUT, &src, &out, r) &&
      resolve(p, what, head, ST_REF_INPUT, &dst, &in, r)) {
    engine_result(p,
                  relink ? st_engine_relink(p->engine, src, out, dst, in)
                         : st_engine_connect(p->engine, src, out, dst, in),
                  what, r);
  }
}

static void
disconnect_link(StPlugin* p, const LV2_Atom_Object* body, StReply* r)
{
  char        tbuf[256];
  char        hbuf[256];
  char        what[160];
  const char* tail = NULL;
  const char* head = NULL;
  link_ends(p, body, &tail, &head, tbuf, hbuf, sizeof(tbuf));
  snprintf(what, sizeof(what), "disconnect %.70s -> %.70s", tail ? tail : "?",
           head ? head : "?");
  StHandle dst;
  uint32_t in;
  if (!resolve(p, what, head, ST_REF_INPUT, &dst, &in, r)) {
    return;
  }
  const StNodeSlot* slot = st_graph_node(model(p), dst);
  if (tail && slot->src[in].node != ST_NO_NODE) {
    StHandle src;
    uint32_t out;
    if (!resolve(p, what, tail, ST_REF_OUTPUT, &src, &out, r)) {
      return;
    }
    if (slot->src[in].node != src.index || slot->src[in].port != out) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_PORT, "%s: %s is not linked from %s", what, head,
                   tail);
      return;
    }
  }
  engine_result(p, st_engine_disconnect(p->engine, dst, in), what, r);
}

static void
set_param(StPlugin* p, const StSubject* s, const LV2_Atom_Object* msg, StReply* r)
{
  const StUris*   u        = &p->uris;
  const LV2_Atom* property = NULL;
  const LV2_Atom* value    = NULL;
  property = st_atom_property(msg, u->patch_property);
  value    = st_atom_property(msg, u->patch_value);
  LV2_URID    urid = 0;
  char        kbuf[256];
  const char* key  = st_atom_urid(u, property, &urid) ? param_key(p, urid, kbuf, sizeof(kbuf))
                                                      : NULL;
  char what[160];
  snprintf(what, sizeof(what), "set %.40s.%.60s", s->name, key ? key : "?");
  if (!key) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: patch:property must be a parameter URI",
                 what);
    return;
  }
  char ref[ST_NAME_MAX * 4 + 128];
  snprintf(ref, sizeof(ref), "%s.%s", s->name, key);
  StHandle node;
  uint32_t param;
  float    v = 0.0f;
  if (!resolve(p, what, ref, ST_REF_PARAM, &node, &param, r)) {
    return;
  }
  if (!st_atom_number(u, value, &v)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: patch:value must be a finite number",
                 what);
    return;
  }
  engine_result(p, st_engine_set_param(p->engine, node, param, v), what, r);
}

/* patch:Put of macroN: [ strata:target "node.param" ; strata:minimum ; strata:maximum ;
   strata:curve "lin"|"exp" ; rdfs:label "Cutoff" ] */
static void
map_macro(StPlugin* p, const StSubject* s, const LV2_Atom_Object* body, StReply* r)
{
  const StUris*   u     = &p->uris;
  const LV2_Atom* tgt   = NULL;
  const LV2_Atom* min   = NULL;
  const LV2_Atom* max   = NULL;
  const LV2_Atom* curve = NULL;
  const LV2_Atom* label = NULL;
  tgt   = st_atom_property(body, u->strata_target);
  min   = st_atom_property(body, u->strata_minimum);
  max   = st_atom_property(body, u->strata_maximum);
  curve = st_atom_property(body, u->strata_curve);
  label = st_atom_property(body, u->rdfs_label);
  const char* target = st_atom_string(u, tgt);
  char        what[160];
  snprintf(what, sizeof(what), "map macro %d to %.100s", s->slot + 1, target ? target : "?");
  StHandle node;
  uint32_t param;
  if (!resolve(p, what, target, ST_REF_PARAM, &node, &param, r)) {
    return;
  }
  const StParamSpec* spec = &st_graph_node(model(p), node)->type->params[param];
  float              lo   = spec->min;
  float              hi   = spec->max;
  if ((min && !st_atom_number(u, min, &lo)) || (max && !st_atom_number(u, max, &hi))) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: minimum and maximum must be numbers",
                 what);
    return;
  }
  const char* c  = curve ? st_atom_string(u, curve) : "lin";
  StCurve     cv = ST_CURVE_LINEAR;
  if (c && !strcmp(c, "exp")) {
    cv = ST_CURVE_EXPONENTIAL;
  } else if (!c || strcmp(c, "lin")) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s: curve must be \"lin\" or \"exp\"",
                 what);
    return;
  }
  const char* l = label ? st_atom_string(u, label) : NULL;
  engine_result(p, st_engine_map(p->engine, (uint32_t)s->slot, node, param, lo, hi, cv, l), what,
                r);
}

static void
unmap_macro(StPlugin* p, const StSubject* s, const LV2_Atom_Object* body, StReply* r)
{
  const LV2_Atom* tgt = NULL;
  if (body) {
    tgt = st_atom_property(body, p->uris.strata_target);
  }
  const char* target = st_atom_string(&p->uris, tgt);
  char        what[160];
  snprintf(what, sizeof(what), "unmap macro %d from %.100s", s->slot + 1,
           target ? target : "?");
  StHandle node;
  uint32_t param;
  if (resolve(p, what, target, ST_REF_PARAM, &node, &param, r)) {
    engine_result(p, st_engine_unmap(p->engine, (uint32_t)s->slot, node, param), what, r);
  }
}

/* patch:Set of a node's strata:position: an atom:Vector of two atom:Float. */
static void
place_node(StPlugin* p, const StSubject* s, const LV2_Atom* value, StReply* r)
{
  char     what[96];
  StHandle node;
  float    xy[2];
  snprintf(what, sizeof(what), "place node '%.40s'", s->name);
  if (!find_node(p, what, s->name, &node, r)) {
    return;
  }
  if (!st_atom_float_vector(&p->uris, value, xy, 2)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "%s: patch:value must be an atom:Vector of 2 atom:Float (x, y)", what);
    return;
  }
  snprintf(what, sizeof(what), "place node '%.40s' at %g, %g", s->name, (double)xy[0],
           (double)xy[1]);
  engine_result(p, st_engine_place(p->engine, node, xy[0], xy[1]), what, r);
}

/* patch:Move of node:OLD to node:NEW. */
static void
rename_node(StPlugin* p, const StSubject* s, const LV2_Atom_Object* msg, StReply* r)
{
  const StSubject to = read_subject(p, st_atom_property(msg, p->uris.patch_destination));
  char            what[128];
  StHandle        node;
  snprintf(what, sizeof(what), "rename node '%.40s' to '%.40s'", s->name,
           to.kind == ST_SUBJECT_NODE ? to.name : "?");
  if (s->kind != ST_SUBJECT_NODE || to.kind != ST_SUBJECT_NODE) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "rename: patch:subject and patch:destination must be nodes "
                 "(<" STRATA_NODE_PREFIX "NAME>)");
  } else if (find_node(p, what, s->name, &node, r)) {
    engine_result(p, st_engine_rename(p->engine, node, to.name), what, r);
  }
}

/* patch:Set of strata:name: the patch's name, an atom:String. */
static void
name_patch(StPlugin* p, const LV2_Atom* value, StReply* r)
{
  const char* name = st_atom_string(&p->uris, value);
  char        what[96];
  snprintf(what, sizeof(what), "name the patch \"%.63s\"", name ? name : "");
  if (!name) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "name the patch: the value must be an atom:String");
    return;
  }
  engine_result(p, st_engine_set_name(p->engine, name), what, r);
}

/* patch:Set of strata:monitor true|false: level reports on or off (run() does it). */
static void
monitor(StPlugin* p, const LV2_Atom* value, StReply* r)
{
  bool on = false;
  if (!st_atom_bool(&p->uris, value, &on)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "monitor: the value must be an atom:Bool");
    return;
  }
  atomic_store_explicit(&p->reports.request, on ? ST_MONITOR_ON : ST_MONITOR_OFF,
                        memory_order_release);
  st_reply_set(r, ST_REPLY_ACK, ST_OK, on ? "monitor: levels on" : "monitor: levels off");
}

/* patch:Set of strata:probe "node.output", or "" to stop. */
static void
probe(StPlugin* p, const LV2_Atom* value, StReply* r)
{
  const char* ref = st_atom_string(&p->uris, value);
  char        what[96];
  StHandle    node = ST_HANDLE_NONE;
  uint32_t    port = 0;
  snprintf(what, sizeof(what), "probe %.80s", ref ? ref : "?");
  if (!ref) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "probe: the value must be an atom:String");
    return;
  }
  if (*ref && !resolve(p, what, ref, ST_REF_OUTPUT, &node, &port, r)) {
    return;
  }
  engine_result(p, st_engine_probe(p->engine, node, port), *ref ? what : "probe off", r);
  r->changed = 0; // Watching changes nothing in the patch.
}

/* The parse error, as "FILE:LINE:COLUMN: what" when the text came from a
   file (the form editors and compilers use), else as the parser says it. */
static void
describe_error(const StPatchError* err, const char* source, char* why, size_t why_size)
{
  const char* what = err->message;
  const char* rest = err->line && !strncmp(what, "line ", 5) ? strstr(what, ": ") : NULL;
  if (source && rest) {
    snprintf(why, why_size, "%s:%u:%u: %s", source, err->line, err->column, rest + 2);
  } else {
    snprintf(why, why_size, "%s", what);
  }
}

StStatus
st_edit_replace(StPlugin* p, const char* text, size_t length, const char* source, char* why,
                size_t why_size)
{
  StGraph* next = st_engine_new_model(p->engine);
  if (!next) {
    snprintf(why, why_size, "out of memory");
    return ST_ERR_NO_MEMORY;
  }
  StPatchError err = {0};
  StStatus     st  = st_patch_parse(text, length, NULL, next, &err);
  if (st) {
    describe_error(&err, source, why, why_size);
  } else if ((st = st_engine_swap(p->engine, next))) {
    snprintf(why, why_size, "%s", st_engine_error(p->engine));
  }
  if (st) {
    st_graph_free(next);
  }
  return st;
}

static void
replace_patch(StPlugin* p, const LV2_Atom* value, StEditResult* out)
{
  StReply*    r    = &out->reply;
  const char* text = st_atom_string(&p->uris, value);
  char        why[ST_REPLY_MESSAGE - 32];
  if (!text) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "replace patch: the value must be an atom:String");
  } else if (st_edit_replace(p, text, strlen(text), NULL, why, sizeof(why))) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_SYNTAX, "replace patch: %s", why);
  } else {
    st_reply_set(r, ST_REPLY_ACK, ST_OK, "replaced the patch (%u nodes)",
                 st_graph_count(model(p)));
    r->changed    = 1;
    out->replaced = true;
  }
}

/* Swaps in `next`, a whole new patch made by st_patch_define or
   st_patch_undefine with status `st` (the reason in `why`): announced like
   any replaced patch. `what` names the edit in errors, `done` in the Ack. */
static void
swap_subpatches(StPlugin* p, StGraph* next, StStatus st, const char* why, const char* what,
                const char* done, StEditResult* out)
{
  StReply* r = &out->reply;
  if (st) {
    st_reply_set(r, ST_REPLY_ERROR, (int32_t)st, "%s: %s", what, why);
  } else if ((st = st_engine_swap(p->engine, next))) {
    engine_result(p, st, what, r);
  } else {
    st_reply_set(r, ST_REPLY_ACK, ST_OK, "%s", done);
    r->changed    = 1;
    out->replaced = true;
    return;
  }
  st_graph_free(next);
}

/* patch:Set of strata:subpatch: the text of one definition, added, or
   changing the one of its name (its instances follow). */
static void
define_subpatch(StPlugin* p, const LV2_Atom* value, StEditResult* out)
{
  const char* text = st_atom_string(&p->uris, value);
  char        name[ST_NAME_MAX];
  char        what[96];
  char        done[128];
  if (!text) {
    st_reply_set(&out->reply, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "define sub-patch: the value must be an atom:String");
    return;
  }
  const size_t   length = strlen(text);
  const bool     named  = st_patch_definition_name(text, length, name);
  const bool     exists = named && st_library_find(model(p)->library, name);
  const uint32_t uses   = exists ? st_patch_subpatch_uses(model(p), name) : 0;
  if (named) {
    snprintf(what, sizeof(what), "%s sub-patch '%s'", exists ? "change" : "define", name);
  } else {
    snprintf(what, sizeof(what), "define sub-patch");
  }
  if (uses) {
    snprintf(done, sizeof(done), "%s (%u instance%s follow%s)", what, uses, uses == 1 ? "" : "s",
             uses == 1 ? "s" : "");
  } else {
    snprintf(done, sizeof(done), "%s", what);
  }
  StGraph* next = st_engine_new_model(p->engine);
  if (!next) {
    st_reply_set(&out->reply, ST_REPLY_ERROR, ST_ERR_NO_MEMORY, "%s: out of memory", what);
    return;
  }
  StPatchError   err = {0};
  const StStatus st  = st_patch_define(model(p), text, length, next, &err);
  swap_subpatches(p, next, st, err.message, what, done, out);
}

/* patch:Delete of <urn:strata:subpatch:NAME>: a definition nothing uses. */
static void
undefine_subpatch(StPlugin* p, const StSubject* s, StEditResult* out)
{
  char what[96];
  snprintf(what, sizeof(what), "remove sub-patch '%.40s'", s->name);
  StGraph* next = st_engine_new_model(p->engine);
  if (!next) {
    st_reply_set(&out->reply, ST_REPLY_ERROR, ST_ERR_NO_MEMORY, "%s: out of memory", what);
    return;
  }
  StPatchError   err = {0};
  const StStatus st  = st_patch_undefine(model(p), s->name, next, &err);
  swap_subpatches(p, next, st, err.message, what, what, out);
}

/* The file name without its directories, for messages. */
static const char*
base_name(const char* path)
{
  const char* slash = strrchr(path, '/');
  return slash && slash[1] ? slash + 1 : path;
}

static void
load_file(StPlugin* p, const StLoadedFile* file, StEditResult* out)
{
  StReply* r = &out->reply;
  char     why[ST_REPLY_MESSAGE - 64];
  if (!file || !file->wanted) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "load patch file: the file was not read");
  } else if (!file->text) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "%s", file->why);
  } else if (st_edit_replace(p, file->text, file->length, base_name(file->path), why,
                             sizeof(why))) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_SYNTAX, "load patch file '%.120s': %s", file->path,
                 why);
  } else {
    st_reply_set(r, ST_REPLY_ACK, ST_OK, "loaded patch file '%.200s'", file->path);
    r->changed    = 1;
    out->replaced = true;
  }
}

static void
get_patch(StPlugin* p, StEditResult* out)
{
  StReply* r = &out->reply;
  out->text  = st_patch_write(model(p));
  if (!out->text) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_NO_MEMORY, "get: out of memory");
    return;
  }
  r->kind      = ST_REPLY_PATCH;
  r->status    = ST_OK;
  r->text_size = (uint32_t)strlen(out->text) + 1;
  r->order     = st_reports_publish(&p->reports, model(p));
}

/* --- Messages --- */

static const LV2_Atom_Object*
body_of(const StUris* u, const LV2_Atom* body)
{
  return st_atom_object_valid(u, body) ? (const LV2_Atom_Object*)body : NULL;
}

/* The property a patch:Set of the plugin names, or 0. */
static LV2_URID
set_key(const StUris* u, const LV2_Atom_Object* msg)
{
  LV2_URID key = 0;
  return st_atom_urid(u, st_atom_property(msg, u->patch_property), &key) ? key : 0;
}

static bool
is_macro_key(const StPlugin* p, LV2_URID key)
{
  char        buf[256];
  const char* rest = strip(unmapped(p, key, buf, sizeof(buf)), STRATA__macro);
  return rest && *rest;
}

static void
on_set(StPlugin* p, const StSubject* s, const LV2_Atom_Object* msg, const StLoadedFile* file,
       StEditResult* out)
{
  StReply*        r     = &out->reply;
  const StUris*   u     = &p->uris;
  const LV2_URID  key   = set_key(u, msg);
  const LV2_Atom* value = st_atom_property(msg, u->patch_value);
  char            buf[256];
  if (s->kind == ST_SUBJECT_NODE && key == u->strata_position) {
    place_node(p, s, value, r);
  } else if (s->kind == ST_SUBJECT_NODE) {
    set_param(p, s, msg, r);
  } else if (s->kind != ST_SUBJECT_NONE && s->kind != ST_SUBJECT_PLUGIN) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "set: unknown subject <%s>", s->uri);
  } else if (key == u->strata_monitor) {
    monitor(p, value, r);
  } else if (key == u->strata_probe) {
    probe(p, value, r);
  } else if (key == u->strata_name) {
    name_patch(p, value, r);
  } else if (key == u->strata_patch) {
    replace_patch(p, value, out);
  } else if (key == u->strata_patchFile) {
    load_file(p, file, out);
  } else if (key == u->strata_subpatch) {
    define_subpatch(p, value, out);
  } else if (key && is_macro_key(p, key)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN,
                 "set: <%s> is not a property: the macros are the plugin's control ports "
                 "(macro1..macro%d)",
                 unmapped(p, key, buf, sizeof(buf)), ST_PLUGIN_MACROS);
  } else {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_UNKNOWN,
                 "set: the plugin has no writable property <%s>",
                 key ? unmapped(p, key, buf, sizeof(buf)) : "?");
  }
}

static void
on_put(StPlugin* p, const StSubject* s, const LV2_Atom_Object* body, StReply* r)
{
  if (!body) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "put: patch:body must be an object");
  } else if (is_link(&p->uris, body)) {
    connect_link(p, body, r);
  } else if (s->kind == ST_SUBJECT_MACRO || body->body.otype == p->uris.strata_MacroMap) {
    if (s->kind != ST_SUBJECT_MACRO) {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                   "map macro: the subject must be macro1..macro16");
    } else {
      map_macro(p, s, body, r);
    }
  } else if (s->kind == ST_SUBJECT_NODE) {
    add_node(p, s, body, r);
  } else {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "put: the subject must be a node (<" STRATA_NODE_PREFIX "NAME>) or a macro, "
                 "or the body a link");
  }
}

static void
on_delete(StPlugin* p, const StSubject* s, const LV2_Atom_Object* body, StEditResult* out)
{
  StReply* r = &out->reply;
  if (is_link(&p->uris, body)) {
    disconnect_link(p, body, r);
  } else if (s->kind == ST_SUBJECT_MACRO) {
    unmap_macro(p, s, body, r);
  } else if (s->kind == ST_SUBJECT_NODE) {
    remove_node(p, s, r);
  } else if (s->kind == ST_SUBJECT_SUBPATCH) {
    undefine_subpatch(p, s, out);
  } else {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "delete: the subject must be a node, a macro or a sub-patch, or the body a "
                 "link");
  }
}

/* A message is read only when it lies inside what was received. */
static bool
message_valid(const StUris* u, const LV2_Atom_Object* msg, uint32_t size)
{
  return size >= sizeof(LV2_Atom) && msg->atom.size <= size - sizeof(LV2_Atom) &&
         st_atom_object_valid(u, &msg->atom);
}

void
st_edit_load_file(StPlugin* p, const LV2_Atom_Object* msg, uint32_t size, StLoadedFile* file)
{
  const StUris* u = &p->uris;
  memset(file, 0, sizeof(*file));
  if (!message_valid(u, msg, size) || msg->body.otype != u->patch_Set ||
      set_key(u, msg) != u->strata_patchFile) {
    return;
  }
  const StSubject s = read_subject(p, st_atom_property(msg, u->patch_subject));
  if (s.kind != ST_SUBJECT_NONE && s.kind != ST_SUBJECT_PLUGIN) {
    return;
  }
  file->wanted     = true;
  const char* path = st_atom_string(u, st_atom_property(msg, u->patch_value));
  if (!path || !*path) {
    snprintf(file->why, sizeof(file->why),
             "load patch file: the value must be an atom:Path");
    return;
  }
  snprintf(file->path, sizeof(file->path), "%s", path);
  char why[ST_REPLY_MESSAGE - 256];
  file->text = st_patch_file_read(path, &file->length, why, sizeof(why));
  if (!file->text) {
    snprintf(file->why, sizeof(file->why), "load patch file '%.200s': %s", path, why);
  }
}

void
st_edit_apply(StPlugin* p, const LV2_Atom_Object* msg, uint32_t size, const StLoadedFile* file,
              StEditResult* out)
{
  const StUris* u = &p->uris;
  StReply*      r = &out->reply;
  memset(out, 0, sizeof(*out));
  if (!message_valid(u, msg, size)) {
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "the message is not a well-formed atom:Object");
    return;
  }
  // A number that cannot be echoed as an Int: the reply has no number.
  r->has_seq = st_atom_sequence_number(u, st_atom_property(msg, u->patch_sequenceNumber),
                                       &r->seq);
  st_engine_collect(p->engine);
  const StSubject        s     = read_subject(p, st_atom_property(msg, u->patch_subject));
  const LV2_Atom_Object* b     = body_of(u, st_atom_property(msg, u->patch_body));
  const LV2_URID         otype = msg->body.otype;
  if (otype == u->patch_Get) {
    if (s.kind == ST_SUBJECT_NONE || s.kind == ST_SUBJECT_PLUGIN) {
      get_patch(p, out);
    } else {
      st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "get: only the plugin can be read");
    }
  } else if (otype == u->patch_Set) {
    on_set(p, &s, msg, file, out);
  } else if (otype == u->patch_Put || otype == u->patch_Post) {
    on_put(p, &s, b, r);
  } else if (otype == u->patch_Delete) {
    on_delete(p, &s, b, out);
  } else if (otype == u->patch_Move) {
    rename_node(p, &s, msg, r);
  } else {
    char buf[256];
    st_reply_set(r, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
                 "unsupported message <%s>: use patch:Get, Set, Put, Post, Delete or Move",
                 unmapped(p, otype, buf, sizeof(buf)));
  }
}
