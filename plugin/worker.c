/* SPDX-License-Identifier: ISC */
/* The LV2 worker: the control side of the engine. work() decodes and applies
   what run() scheduled and answers through respond(); work_response() runs
   in the audio thread and queues the answer for the notify port. Every
   refused edit is also logged (log:log), since most hosts never show the
   notify port. */
#include "instance.h"

#include "patch.h"

#include <stdlib.h>
#include <string.h>

/* Largest reply passed back through the host by value; a longer patch text
   goes through the outbox. */
#define ST_INLINE_RESPONSE 4096

/* The host could not take a reply back: run() is told, so that the message
   still gets an answer; an announcement is asked for again. */
static void
not_taken(StPlugin* p, const StReply* reply)
{
  lv2_log_error(&p->logger, "strata: the host's worker could not take a reply\n");
  if (!reply->answers) {
    atomic_store_explicit(&p->announce, true, memory_order_release);
  } else if (!st_unanswered_push(&p->unanswered, reply->seq, reply->has_seq)) {
    lv2_log_error(&p->logger, "strata: a reply was lost: the host's worker is full\n");
  }
}

static void
respond_reply(StPlugin* p, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
              const StReply* reply)
{
  if (respond(handle, sizeof(*reply), reply) != LV2_WORKER_SUCCESS) {
    not_taken(p, reply);
  }
}

/* Sends a patch text reply: by value when it fits, else through the outbox.
   An announcement that cannot go now is asked for again by run(). */
static void
respond_patch(StPlugin* p, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
              StReply* reply, const char* text)
{
  const uint32_t total = (uint32_t)sizeof(StReply) + reply->text_size;
  if (total <= ST_INLINE_RESPONSE) {
    uint8_t buf[ST_INLINE_RESPONSE];
    memcpy(buf, reply, sizeof(StReply));
    memcpy(buf + sizeof(StReply), text, reply->text_size);
    if (respond(handle, total, buf) == LV2_WORKER_SUCCESS) {
      return;
    }
  }
  if (reply->text_size > ST_MAILBOX_BYTES) {
    st_reply_set(reply, ST_REPLY_ERROR, ST_ERR_NO_MEMORY,
                 "%s: the patch text (%u bytes) is larger than the notify port's 64 KiB",
                 reply->answers ? "get" : "announce", reply->text_size);
    if (!reply->answers) {
      lv2_log_warning(&p->logger, "strata: %s\n", reply->message);
    }
  } else if (atomic_load_explicit(&p->outbox.full, memory_order_acquire) && !reply->answers) {
    atomic_store_explicit(&p->announce, true, memory_order_release);
    return;
  } else if (atomic_load_explicit(&p->outbox.full, memory_order_acquire)) {
    st_reply_set(reply, ST_REPLY_ERROR, ST_ERR_BUSY,
                 "busy: the previous patch text is still on its way: ask again later");
  } else {
    memcpy(p->outbox.data, text, reply->text_size);
    p->outbox.size = reply->text_size;
    reply->boxed   = 1;
    atomic_store_explicit(&p->outbox.full, true, memory_order_release);
    if (respond(handle, sizeof(StReply), reply) != LV2_WORKER_SUCCESS) {
      atomic_store_explicit(&p->outbox.full, false, memory_order_release);
      not_taken(p, reply);
    }
    return;
  }
  respond_reply(p, respond, handle, reply);
}

/* Announces the patch now playing: a patch:Put without a number, as a
   patch:Get answers, so that an open editor follows restores and loads. */
static void
announce(StPlugin* p, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle)
{
  pthread_mutex_lock(&p->control);
  char*          text  = st_patch_write(st_engine_model(p->engine));
  const uint32_t order = text ? st_reports_publish(&p->reports, st_engine_model(p->engine)) : 0;
  pthread_mutex_unlock(&p->control);
  if (!text) {
    lv2_log_error(&p->logger, "strata: cannot announce the patch: out of memory\n");
    return;
  }
  StReply reply = {
    .kind = ST_REPLY_PATCH, .text_size = (uint32_t)strlen(text) + 1, .order = order};
  respond_patch(p, respond, handle, &reply, text);
  free(text);
}

/* Completes a restore() made with threadSafeRestore: the graph was parsed
   and built there; here, as the engine's one producer, it is swapped in. */
static void
work_swap(StPlugin* p, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle)
{
  StGraph* graph = atomic_exchange_explicit(&p->restored, NULL, memory_order_acq_rel);
  if (!graph) {
    return; // A later restore took its place and scheduled its own swap.
  }
  pthread_mutex_lock(&p->control);
  const StStatus st = st_engine_swap(p->engine, graph);
  if (st) {
    lv2_log_error(&p->logger, "strata: restored state refused: %s\n", st_engine_error(p->engine));
    st_graph_free(graph);
  } else {
    lv2_log_trace(&p->logger, "strata: state restored: a patch of %u nodes\n",
                  st_graph_count(st_engine_model(p->engine)));
  }
  pthread_mutex_unlock(&p->control);
  if (!st) {
    atomic_store_explicit(&p->display.name_changed, true, memory_order_relaxed);
    announce(p, respond, handle);
  }
}

/* A copy of the message, 64-bit aligned whatever the host's buffer, or NULL. */
static LV2_Atom_Object*
take_message(StPlugin* p, const StWorkHeader* head, const void* data, uint32_t size,
             uint32_t* msize)
{
  const bool boxed = head->tag == ST_WORK_INBOX;
  *msize           = boxed ? p->inbox.size : size - (uint32_t)sizeof(*head);
  uint64_t* msg    = malloc(*msize + sizeof(uint64_t));
  if (msg) {
    memcpy(msg, boxed ? p->inbox.data : (const uint8_t*)data + sizeof(*head), *msize);
  }
  if (boxed) {
    atomic_store_explicit(&p->inbox.full, false, memory_order_release);
  }
  return (LV2_Atom_Object*)msg;
}

static LV2_Worker_Status
work(LV2_Handle instance, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
     uint32_t size, const void* data)
{
  StPlugin*    p = instance;
  StWorkHeader head;
  if (size < sizeof(head)) {
    return LV2_WORKER_ERR_UNKNOWN;
  }
  memcpy(&head, data, sizeof(head));
  if (head.tag == ST_WORK_SWAP) {
    work_swap(p, respond, handle);
    return LV2_WORKER_SUCCESS;
  }
  if (head.tag == ST_WORK_ANNOUNCE) {
    announce(p, respond, handle);
    return LV2_WORKER_SUCCESS;
  }
  if (head.tag != ST_WORK_MESSAGE &&
      !(head.tag == ST_WORK_INBOX && atomic_load_explicit(&p->inbox.full, memory_order_acquire))) {
    return LV2_WORKER_ERR_UNKNOWN;
  }

  uint32_t         msize = 0;
  LV2_Atom_Object* msg   = take_message(p, &head, data, size, &msize);
  StEditResult     result;
  StLoadedFile     file = {0};
  if (!msg) {
    memset(&result, 0, sizeof(result));
    st_reply_set(&result.reply, ST_REPLY_ERROR, ST_ERR_NO_MEMORY, "out of memory");
  } else {
    st_edit_load_file(p, msg, msize, &file); // File I/O before the lock: never under it.
    pthread_mutex_lock(&p->control);
    st_edit_apply(p, msg, msize, &file, &result);
    pthread_mutex_unlock(&p->control);
    if (result.reply.changed) { // Perhaps the patch name: the mixer strip redraws.
      atomic_store_explicit(&p->display.name_changed, true, memory_order_relaxed);
    }
  }
  StReply* reply = &result.reply;
  reply->answers = 1;
  if (reply->kind == ST_REPLY_ERROR) {
    lv2_log_error(&p->logger, "strata: %s\n", reply->message);
  }
  if (reply->kind == ST_REPLY_PATCH) {
    respond_patch(p, respond, handle, reply, result.text);
  } else {
    respond_reply(p, respond, handle, reply);
  }
  if (result.replaced) {
    announce(p, respond, handle);
  }
  free(result.text);
  free(file.text);
  free(msg);
  return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
work_response(LV2_Handle instance, uint32_t size, const void* body)
{
  StPlugin* p = instance;
  StReply   reply;
  if (size < sizeof(reply)) {
    return LV2_WORKER_ERR_UNKNOWN;
  }
  memcpy(&reply, body, sizeof(reply));
  const bool inline_text = reply.kind == ST_REPLY_PATCH && !reply.boxed;
  if (inline_text && size - sizeof(reply) < reply.text_size) {
    return LV2_WORKER_ERR_UNKNOWN;
  }
  if (!st_reply_push(&p->replies, &reply, (const char*)body + sizeof(reply))) {
    // An announcement found no room: ask for it again once replies drained.
    if (reply.boxed) {
      atomic_store_explicit(&p->outbox.full, false, memory_order_release);
    }
    atomic_store_explicit(&p->announce, true, memory_order_release);
  }
  return LV2_WORKER_SUCCESS;
}

static const LV2_Worker_Interface worker_interface = {work, work_response, NULL};

const void*
st_worker_interface(void)
{
  return &worker_interface;
}
