#include "reply.h"

#include "instance.h"

#include <lv2/atom/forge.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A queue record is compact: the reply's fields, its message up to the
   zero (not the whole ST_REPLY_MESSAGE bytes), then the inline patch text,
   padded to 8; so that a burst of replies from a worker that fell behind
   fits instead of being lost. */
#define ST_REPLY_HEAD offsetof(StReply, message)

static uint32_t
message_size(const StReply* reply)
{
  return (uint32_t)strnlen(reply->message, ST_REPLY_MESSAGE - 1) + 1u;
}

static uint32_t
text_size(const StReply* reply)
{
  return reply->kind == ST_REPLY_PATCH && !reply->boxed ? reply->text_size : 0;
}

/* Bytes of the queue record of a reply. */
static uint32_t
record_size(const StReply* reply)
{
  return (uint32_t)((ST_REPLY_HEAD + message_size(reply) + text_size(reply) + 7u) & ~7u);
}

/* The reply a record holds, and its inline text. */
static const char*
read_record(const uint8_t* record, StReply* reply)
{
  memcpy(reply, record, ST_REPLY_HEAD);
  const char*    message = (const char*)record + ST_REPLY_HEAD;
  const uint32_t n       = (uint32_t)strnlen(message, ST_REPLY_MESSAGE - 1);
  memcpy(reply->message, message, n);
  reply->message[n] = '\0';
  return message + n + 1;
}

void
st_reply_set(StReply* reply, StReplyKind kind, int32_t status, const char* format, ...)
{
  reply->kind   = (uint32_t)kind;
  reply->status = status;
  va_list args;
  va_start(args, format);
  vsnprintf(reply->message, sizeof(reply->message), format, args);
  va_end(args);
}

void
st_reply_push(StReplyQueue* queue, const StReply* reply, const char* text)
{
  const uint32_t size = record_size(reply);
  if (size > sizeof(queue->data) - queue->used) {
    ++queue->lost;
    return;
  }
  uint8_t*       at = queue->data + queue->used;
  const uint32_t m  = message_size(reply);
  memcpy(at, reply, ST_REPLY_HEAD);
  memcpy(at + ST_REPLY_HEAD, reply->message, m - 1);
  at[ST_REPLY_HEAD + m - 1] = 0;
  if (text_size(reply)) {
    memcpy(at + ST_REPLY_HEAD + m, text, text_size(reply));
  }
  queue->used += size;
}

/* Room left in the notify sequence being forged. */
static uint32_t
room(const LV2_Atom_Forge* forge)
{
  return forge->size > forge->offset ? forge->size - forge->offset : 0;
}

/* Generous bound of an object with a few small properties and strings. */
static uint32_t
bound(uint32_t strings)
{
  return 256u + strings;
}

static void
write_status(StPlugin* p, const StReply* reply, int64_t frame)
{
  const StUris*         u     = &p->uris;
  LV2_Atom_Forge*       forge = &p->forge;
  LV2_Atom_Forge_Frame  obj;
  const bool            ok     = reply->kind == ST_REPLY_ACK;
  const char*           status = st_status_string((StStatus)reply->status);
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &obj, 0, ok ? u->patch_Ack : u->patch_Error);
  if (reply->has_seq) {
    lv2_atom_forge_key(forge, u->patch_sequenceNumber);
    lv2_atom_forge_int(forge, reply->seq);
  }
  lv2_atom_forge_key(forge, u->rdf_value);
  lv2_atom_forge_int(forge, reply->status);
  lv2_atom_forge_key(forge, u->strata_status);
  lv2_atom_forge_string(forge, status, (uint32_t)strlen(status));
  lv2_atom_forge_key(forge, ok ? u->strata_message : u->strata_error);
  lv2_atom_forge_string(forge, reply->message, (uint32_t)strlen(reply->message));
  lv2_atom_forge_pop(forge, &obj);
  if (ok && reply->changed) {
    lv2_atom_forge_frame_time(forge, frame);
    lv2_atom_forge_object(forge, &obj, 0, u->state_StateChanged);
    lv2_atom_forge_pop(forge, &obj);
  }
}

static void
write_patch(StPlugin* p, const StReply* reply, const char* text, uint32_t size, int64_t frame)
{
  const StUris*        u     = &p->uris;
  LV2_Atom_Forge*      forge = &p->forge;
  LV2_Atom_Forge_Frame obj;
  LV2_Atom_Forge_Frame body;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &obj, 0, u->patch_Put);
  if (reply->has_seq) {
    lv2_atom_forge_key(forge, u->patch_sequenceNumber);
    lv2_atom_forge_int(forge, reply->seq);
  }
  lv2_atom_forge_key(forge, u->patch_subject);
  lv2_atom_forge_urid(forge, u->strata_plugin);
  lv2_atom_forge_key(forge, u->patch_body);
  lv2_atom_forge_object(forge, &body, 0, 0);
  lv2_atom_forge_key(forge, u->strata_patch);
  lv2_atom_forge_string(forge, text, size ? size - 1 : 0);
  for (uint32_t m = 0; m < ST_PLUGIN_MACROS; ++m) {
    lv2_atom_forge_key(forge, u->strata_macro[m]);
    lv2_atom_forge_float(forge, p->macros[m]);
  }
  lv2_atom_forge_pop(forge, &body);
  lv2_atom_forge_pop(forge, &obj);
}

/* Writes one record if it fits; false when it must wait. */
static bool
write_record(StPlugin* p, const uint8_t* record, int64_t frame)
{
  StReply           reply;
  const char* const inline_text = read_record(record, &reply);
  if (reply.kind != ST_REPLY_PATCH) {
    if (room(&p->forge) < bound((uint32_t)strlen(reply.message) + 64u)) {
      return false;
    }
    write_status(p, &reply, frame);
    return true;
  }
  const char* text = reply.boxed ? (const char*)p->outbox.data : inline_text;
  const uint32_t size = reply.boxed ? p->outbox.size : reply.text_size;
  if (room(&p->forge) < bound(size + ST_PLUGIN_MACROS * 32u)) {
    return false;
  }
  write_patch(p, &reply, text, size, frame);
  if (reply.boxed) {
    atomic_store_explicit(&p->outbox.full, false, memory_order_release);
  }
  return true;
}

void
st_reply_flush(StPlugin* p, int64_t frame)
{
  StReplyQueue* q    = &p->replies;
  uint32_t      done = 0;
  while (done < q->used) {
    StReply reply;
    read_record(q->data + done, &reply);
    if (!write_record(p, q->data + done, frame)) {
      break;
    }
    done += record_size(&reply);
  }
  memmove(q->data, q->data + done, q->used - done);
  q->used -= done;
  if (q->lost && room(&p->forge) >= bound(ST_REPLY_MESSAGE)) {
    static const char why[] = "replies were lost: the notify port was too small or not read";
    StReply           lost  = {.kind = ST_REPLY_ERROR, .status = ST_ERR_BUSY};
    memcpy(lost.message, why, sizeof(why));
    write_status(p, &lost, frame);
    q->lost = 0;
  }
}
