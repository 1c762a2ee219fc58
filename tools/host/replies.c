/* Replies read from the notify port. */
#include "host_private.h"

#include <lv2/atom/util.h>

#include <stdlib.h>
#include <string.h>

/* A copy of a string atom's text, or NULL. */
static char*
copy_string(const LV2_Atom* a)
{
  if (!a || a->size == 0) {
    return NULL;
  }
  const char* body = (const char*)LV2_ATOM_BODY_CONST(a);
  char*       text = malloc(a->size + 1);
  if (text) {
    memcpy(text, body, a->size);
    text[a->size] = '\0';
  }
  return text;
}

static bool
read_int(const ShUrids* u, const LV2_Atom* a, int32_t* value)
{
  if (a && a->type == u->atom_Int) {
    *value = ((const LV2_Atom_Int*)a)->body;
  } else if (a && a->type == u->atom_Long) {
    *value = (int32_t)((const LV2_Atom_Long*)a)->body;
  } else {
    return false;
  }
  return true;
}

static void
read_reply(ShHost* host, const LV2_Atom_Object* obj)
{
  const ShUrids*  u = &host->u;
  ShReply         r = {.type = obj->body.otype};
  const LV2_Atom* seq   = NULL;
  const LV2_Atom* value = NULL;
  const LV2_Atom* msg   = NULL;
  const LV2_Atom* err   = NULL;
  const LV2_Atom* body  = NULL;
  lv2_atom_object_get(obj, u->patch_sequenceNumber, &seq, u->rdf_value, &value,
                      u->strata_message, &msg, u->strata_error, &err, u->patch_body, &body, 0);
  r.has_seq = read_int(u, seq, &r.seq);
  read_int(u, value, &r.status);
  r.message = copy_string(err ? err : msg);
  if (body && (body->type == u->atom_Object || body->type == u->atom_Blank)) {
    const LV2_Atom* text = NULL;
    lv2_atom_object_get((const LV2_Atom_Object*)body, u->strata_patch, &text, 0);
    r.patch = copy_string(text);
  }
  ShReply* replies = realloc(host->replies, (host->n_replies + 1) * sizeof(ShReply));
  if (!replies) {
    free(r.message);
    free(r.patch);
    return;
  }
  host->replies                    = replies;
  host->replies[host->n_replies++] = r;
}

void
sh_host_read_notify(ShHost* host)
{
  const LV2_Atom_Sequence* seq = (const LV2_Atom_Sequence*)host->notify;
  if (!seq || seq->atom.type != host->u.atom_Sequence ||
      seq->atom.size > host->config.atom_capacity - sizeof(LV2_Atom)) {
    return; // The plugin wrote nothing (or nothing valid).
  }
  LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
    if (ev->body.type == host->u.atom_Object || ev->body.type == host->u.atom_Blank) {
      read_reply(host, (const LV2_Atom_Object*)&ev->body);
    }
  }
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
    free(host->replies[i].message);
    free(host->replies[i].patch);
  }
  free(host->replies);
  host->replies   = NULL;
  host->n_replies = 0;
}

bool
sh_reply_is_ack(ShHost* host, const ShReply* reply)
{
  return reply && reply->type == host->u.patch_Ack;
}

