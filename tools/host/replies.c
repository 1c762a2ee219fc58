/* SPDX-License-Identifier: ISC */
/* Replies read from the notify port. The plugin is the code under test, so
   nothing it writes is trusted: every event must lie inside the sequence,
   and a field is read only when its atom has the type and size it needs. */
#include "host_private.h"

#include <lv2/atom/util.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A copy of a string atom's text (it need not be zero-terminated), or NULL. */
static char*
copy_string(const StUris* u, const LV2_Atom* a)
{
  if (!a || a->size == 0 || (a->type != u->atom_String && a->type != u->atom_Path)) {
    return NULL;
  }
  const char*  body = (const char*)LV2_ATOM_BODY_CONST(a);
  const size_t len  = strnlen(body, a->size);
  char*        text = malloc(len + 1);
  if (text) {
    memcpy(text, body, len);
    text[len] = '\0';
  }
  return text;
}

static bool
read_int(const StUris* u, const LV2_Atom* a, int32_t* value)
{
  if (!a || a->type != u->atom_Int || a->size < sizeof(int32_t)) {
    return false;
  }
  *value = ((const LV2_Atom_Int*)a)->body;
  return true;
}

static float
read_float(const StUris* u, const LV2_Atom* a)
{
  if (!a || a->type != u->atom_Float || a->size < sizeof(float)) {
    return NAN;
  }
  return ((const LV2_Atom_Float*)a)->body;
}

static bool
is_object(const StUris* u, const LV2_Atom* a)
{
  return a && (a->type == u->atom_Object || a->type == u->atom_Blank) &&
         a->size >= sizeof(LV2_Atom_Object_Body);
}

/* Every property of the object lies inside it. */
static bool
object_sane(const LV2_Atom_Object* obj)
{
  const uint8_t* end = (const uint8_t*)LV2_ATOM_BODY_CONST(&obj->atom) + obj->atom.size;
  LV2_ATOM_OBJECT_FOREACH (obj, p) {
    if ((const uint8_t*)(p + 1) > end ||
        p->value.size > (uint32_t)(end - (const uint8_t*)(p + 1))) {
      return false;
    }
  }
  return true;
}

static void
read_body(const StUris* u, const LV2_Atom_Object* body, ShReply* r)
{
  if (!object_sane(body)) {
    return;
  }
  const LV2_Atom* text = NULL;
  lv2_atom_object_get(body, u->strata_patch, &text, 0);
  r->patch = copy_string(u, text);
  for (uint32_t k = 0; k < ST_PLUGIN_MACROS; ++k) {
    const LV2_Atom* value = NULL;
    lv2_atom_object_get(body, u->strata_macro[k], &value, 0);
    r->macros[k] = read_float(u, value);
  }
}

/* A copy of a Float vector's values (NULL when `a` is not one). */
static float*
copy_floats(const StUris* u, const LV2_Atom* a, uint32_t* n)
{
  *n = 0;
  if (!a || a->type != u->atom_Vector || a->size < sizeof(LV2_Atom_Vector_Body)) {
    return NULL;
  }
  const LV2_Atom_Vector_Body* v = (const LV2_Atom_Vector_Body*)LV2_ATOM_BODY_CONST(a);
  if (v->child_type != u->atom_Float || v->child_size != sizeof(float)) {
    return NULL;
  }
  const uint32_t count  = (a->size - (uint32_t)sizeof(*v)) / (uint32_t)sizeof(float);
  float*         values = malloc(count ? count * sizeof(float) : 1);
  if (values) {
    memcpy(values, v + 1, count * sizeof(float));
    *n = count;
  }
  return values;
}

static ShReply
read_reply(const StUris* u, const LV2_Atom_Object* obj)
{
  ShReply r = {.type = obj->body.otype};
  for (uint32_t k = 0; k < ST_PLUGIN_MACROS; ++k) {
    r.macros[k] = NAN;
  }
  const LV2_Atom* seq   = NULL;
  const LV2_Atom* value = NULL;
  const LV2_Atom* msg   = NULL;
  const LV2_Atom* err   = NULL;
  const LV2_Atom* body  = NULL;
  lv2_atom_object_get(obj, u->patch_sequenceNumber, &seq, u->rdf_value, &value,
                      u->strata_message, &msg, u->strata_error, &err, u->patch_body, &body, 0);
  r.has_seq = read_int(u, seq, &r.seq);
  read_int(u, value, &r.status);
  r.message = copy_string(u, err ? err : msg);
  const LV2_Atom* levels  = NULL;
  const LV2_Atom* samples = NULL;
  const LV2_Atom* probe   = NULL;
  lv2_atom_object_get(obj, u->strata_levels, &levels, u->strata_samples, &samples,
                      u->strata_probe, &probe, 0);
  r.values = copy_floats(u, levels ? levels : samples, &r.n_values);
  r.probe  = copy_string(u, probe);
  if (is_object(u, body)) {
    read_body(u, (const LV2_Atom_Object*)body, &r);
  }
  return r;
}

static bool
append(ShReply** replies, uint32_t* count, ShReply* r)
{
  ShReply* grown = realloc(*replies, (*count + 1) * sizeof(ShReply));
  if (!grown) {
    sh_reply_free(r);
    return false;
  }
  *replies               = grown;
  (*replies)[(*count)++] = *r;
  return true;
}

bool
sh_replies_read(const StUris* u, const LV2_Atom_Sequence* seq, uint32_t capacity,
                ShReply** replies, uint32_t* count)
{
  if (capacity < sizeof(LV2_Atom)) {
    return false;
  }
  if (seq->atom.type == 0 && seq->atom.size == capacity - sizeof(LV2_Atom)) {
    return true;  // Untouched: the plugin wrote nothing (allowed when it has no replies).
  }
  if (seq->atom.type != u->atom_Sequence || seq->atom.size < sizeof(LV2_Atom_Sequence_Body) ||
      seq->atom.size > capacity - sizeof(LV2_Atom)) {
    return false;
  }
  const uint8_t* end = (const uint8_t*)&seq->body + seq->atom.size;
  LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
    if ((const uint8_t*)(ev + 1) > end ||
        ev->body.size > (uint32_t)(end - (const uint8_t*)(ev + 1))) {
      return false;
    }
    if (is_object(u, &ev->body)) {
      const LV2_Atom_Object* obj = (const LV2_Atom_Object*)&ev->body;
      if (!object_sane(obj)) {
        return false;
      }
      ShReply r = read_reply(u, obj);
      if (!append(replies, count, &r)) {
        return false;
      }
    }
  }
  return true;
}

void
sh_reply_free(ShReply* r)
{
  free(r->message);
  free(r->patch);
  free(r->values);
  free(r->probe);
  r->message = NULL;
  r->patch   = NULL;
  r->values  = NULL;
  r->probe   = NULL;
}

uint32_t
sh_host_reply_count(const ShHost* host)
{
  return host->n_replies;
}

const ShReply*
sh_host_reply_at(const ShHost* host, uint32_t index)
{
  return index < host->n_replies ? &host->replies[index] : NULL;
}

const ShReply*
sh_host_reply(const ShHost* host, int32_t seq)
{
  for (uint32_t i = 0; i < host->n_replies; ++i) {
    if (host->replies[i].has_seq && host->replies[i].seq == seq) {
      return &host->replies[i];
    }
  }
  return NULL;
}

void
sh_host_clear_replies(ShHost* host)
{
  for (uint32_t i = 0; i < host->n_replies; ++i) {
    sh_reply_free(&host->replies[i]);
  }
  free(host->replies);
  host->replies   = NULL;
  host->n_replies = 0;
}

bool
sh_reply_is_ack(const ShHost* host, const ShReply* reply)
{
  return reply && reply->type == host->u->patch_Ack;
}

bool
sh_reply_is_error(const ShHost* host, const ShReply* reply)
{
  return reply && reply->type == host->u->patch_Error;
}

bool
sh_host_notify_ok(const ShHost* host)
{
  return host->notify_ok;
}

const LV2_Atom_Sequence*
sh_host_notify(const ShHost* host)
{
  return (const LV2_Atom_Sequence*)host->notify;
}
