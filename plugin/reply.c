/* SPDX-License-Identifier: ISC */
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
   fits. */
#define ST_REPLY_HEAD offsetof(StReply, message)

static const char busy_get[] =
  "busy: too many replies are waiting for the notify port; ask again later";
static const char lost_answer[] =
  "the host's worker could not hand this answer back: the edit may have been applied; "
  "read the patch with patch:Get";

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

/* Bytes of the queue not yet used nor reserved for pending answers. */
static uint32_t
free_bytes(const StReplyQueue* q)
{
  const uint64_t taken = (uint64_t)q->used + (uint64_t)q->pending * ST_REPLY_RECORD_MAX;
  return taken < sizeof(q->data) ? (uint32_t)(sizeof(q->data) - taken) : 0;
}

bool
st_reply_reserve(StReplyQueue* q)
{
  if (free_bytes(q) < ST_REPLY_RECORD_MAX) {
    return false;
  }
  ++q->pending;
  return true;
}

void
st_reply_release(StReplyQueue* q)
{
  if (q->pending) {
    --q->pending;
  }
}

void
st_reply_refuse(StReplyQueue* q, int32_t seq, bool has_seq, int32_t status, const char* why)
{
  if (q->n_refused == ST_REPLY_REFUSALS) {
    ++q->flooded;
    return;
  }
  q->refused[q->n_refused++] = (StRefusal){seq, has_seq, status, why};
}

bool
st_reply_push(StReplyQueue* q, const StReply* reply, const char* text)
{
  if (reply->answers) {
    st_reply_release(q); // Its reserved room is now free for it.
  }
  const uint32_t size = record_size(reply);
  if (size > free_bytes(q)) {
    if (reply->answers) {
      // Only a patch text can outgrow the room an answer reserved.
      st_reply_refuse(q, reply->seq, reply->has_seq, ST_ERR_BUSY, busy_get);
      return true;
    }
    return false;
  }
  uint8_t*       at = q->data + q->used;
  const uint32_t m  = message_size(reply);
  memcpy(at, reply, ST_REPLY_HEAD);
  memcpy(at + ST_REPLY_HEAD, reply->message, m - 1);
  at[ST_REPLY_HEAD + m - 1] = 0;
  if (text_size(reply)) {
    memcpy(at + ST_REPLY_HEAD + m, text, text_size(reply));
  }
  q->used += size;
  return true;
}

bool
st_unanswered_push(StUnanswered* ring, int32_t seq, bool has_seq)
{
  const unsigned head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  const unsigned tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  if (head - tail >= ST_REPLY_UNANSWERED) {
    return false;
  }
  ring->items[head % ST_REPLY_UNANSWERED] = (StRefusal){seq, has_seq, ST_ERR_BUSY, lost_answer};
  atomic_store_explicit(&ring->head, head + 1, memory_order_release);
  return true;
}

void
st_unanswered_drain(StUnanswered* ring, StReplyQueue* q)
{
  const unsigned head = atomic_load_explicit(&ring->head, memory_order_acquire);
  unsigned       tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
  for (; tail != head; ++tail) {
    const StRefusal* r = &ring->items[tail % ST_REPLY_UNANSWERED];
    st_reply_release(q);
    st_reply_refuse(q, r->seq, r->has_seq, r->status, r->why);
  }
  atomic_store_explicit(&ring->tail, tail, memory_order_release);
}

/* --- Sizes on the notify port, exactly as the forge writes them --- */

static uint32_t
pad(uint32_t n)
{
  return (n + 7u) & ~7u;
}

#define EVENT_HEAD  ((uint32_t)(sizeof(int64_t) + sizeof(LV2_Atom_Object))) ///< Time + object
#define KEY         ((uint32_t)offsetof(LV2_Atom_Property_Body, value))      ///< Key + context
#define PROP_SCALAR (KEY + (uint32_t)sizeof(LV2_Atom) + 8u)                  ///< Int, URID, Float

static uint32_t
prop_string(uint32_t length)
{
  return KEY + (uint32_t)sizeof(LV2_Atom) + pad(length + 1u);
}

static uint32_t
status_bytes(const char* status, const char* message, bool has_seq, bool changed)
{
  return EVENT_HEAD + (has_seq ? PROP_SCALAR : 0u) + PROP_SCALAR +
         prop_string((uint32_t)strlen(status)) + prop_string((uint32_t)strlen(message)) +
         (changed ? EVENT_HEAD : 0u);
}

static uint32_t
patch_bytes(uint32_t text_size, bool has_seq)
{
  return EVENT_HEAD + (has_seq ? PROP_SCALAR : 0u) + PROP_SCALAR + KEY +
         (uint32_t)sizeof(LV2_Atom_Object) + prop_string(text_size ? text_size - 1u : 0u);
}

/* Room left in the notify sequence being forged. */
static uint32_t
room(const LV2_Atom_Forge* forge)
{
  return forge->size > forge->offset ? (uint32_t)(forge->size - forge->offset) : 0;
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

/* Writes an ack or error if it fits now; false when it must wait. */
static bool
try_status(StPlugin* p, const StReply* reply, int64_t frame)
{
  const char* status = st_status_string((StStatus)reply->status);
  const bool  ok     = reply->kind == ST_REPLY_ACK;
  if (room(&p->forge) < status_bytes(status, reply->message, reply->has_seq, ok && reply->changed)) {
    return false;
  }
  write_status(p, reply, frame);
  return true;
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
  lv2_atom_forge_pop(forge, &body);
  lv2_atom_forge_pop(forge, &obj);
}

/* A patch text that can never fit the host's notify buffer: answered with
   a short error that says so, carrying the request's number. */
static bool
refuse_patch(StPlugin* p, const StReply* patch, uint32_t bytes, uint32_t capacity,
             int64_t frame)
{
  StReply r = {.kind = ST_REPLY_ERROR, .status = ST_ERR_NO_MEMORY, .seq = patch->seq,
               .has_seq = patch->has_seq};
  snprintf(r.message, sizeof(r.message),
           "%s: the patch text (%u bytes on the wire) does not fit the host's notify buffer "
           "(%u bytes)",
           patch->has_seq ? "get" : "announce", bytes, capacity);
  return try_status(p, &r, frame);
}

/* Writes one record if it fits; false when it must wait. */
static bool
write_record(StPlugin* p, const uint8_t* record, int64_t frame, uint32_t capacity)
{
  StReply           reply;
  const char* const inline_text = read_record(record, &reply);
  if (reply.kind != ST_REPLY_PATCH) {
    return try_status(p, &reply, frame);
  }
  const char*    text  = reply.boxed ? (const char*)p->outbox.data : inline_text;
  const uint32_t size  = reply.boxed ? p->outbox.size : reply.text_size;
  const uint32_t bytes = patch_bytes(size, reply.has_seq);
  if (bytes > capacity) {
    if (!refuse_patch(p, &reply, bytes, capacity, frame)) {
      return false;
    }
  } else if (room(&p->forge) < bytes) {
    return false;
  } else {
    write_patch(p, &reply, text, size, frame);
    st_reports_put_sent(&p->reports, reply.order);
  }
  if (reply.boxed) {
    atomic_store_explicit(&p->outbox.full, false, memory_order_release);
  }
  return true;
}

static bool
write_refusal(StPlugin* p, const StRefusal* refusal, int64_t frame)
{
  StReply r = {.kind = ST_REPLY_ERROR, .status = refusal->status, .seq = refusal->seq,
               .has_seq = refusal->has_seq};
  const size_t n = strnlen(refusal->why, ST_REPLY_MESSAGE - 1);
  memcpy(r.message, refusal->why, n);
  r.message[n] = '\0';
  return try_status(p, &r, frame);
}

void
st_reply_flush(StPlugin* p, int64_t frame)
{
  StReplyQueue*  q        = &p->replies;
  const uint32_t capacity = room(&p->forge); // The whole buffer: nothing written yet.
  uint32_t       done     = 0;
  while (done < q->used) {
    StReply reply;
    read_record(q->data + done, &reply);
    if (!write_record(p, q->data + done, frame, capacity)) {
      break;
    }
    done += record_size(&reply);
  }
  memmove(q->data, q->data + done, q->used - done);
  q->used -= done;

  uint32_t sent = 0;
  while (sent < q->n_refused && write_refusal(p, &q->refused[sent], frame)) {
    ++sent;
  }
  memmove(q->refused, q->refused + sent, (q->n_refused - sent) * sizeof(StRefusal));
  q->n_refused -= sent;

  if (q->flooded && !q->n_refused) {
    StReply r = {.kind = ST_REPLY_ERROR, .status = ST_ERR_BUSY};
    snprintf(r.message, sizeof(r.message),
             "flooded: %u messages got no answer: more than %u refusals were waiting for the "
             "notify port",
             q->flooded, ST_REPLY_REFUSALS);
    if (try_status(p, &r, frame)) {
      q->flooded = 0;
    }
  }
}
