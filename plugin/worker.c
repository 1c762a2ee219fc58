/* The LV2 worker: the control side of the engine. work() decodes and applies
   what run() scheduled and answers through respond(); work_response() runs
   in the audio thread and queues the answer for the notify port. */
#include "instance.h"

#include <stdlib.h>
#include <string.h>

/* Largest reply passed back through the host by value; a longer patch text
   goes through the outbox. */
#define ST_INLINE_RESPONSE 4096

typedef struct {
  uint32_t tag;  ///< StWorkTag
  uint32_t pad;  ///< Keeps what follows 64-bit aligned
} StWorkHeader;

/* Completes a restore() made with threadSafeRestore: the graph was parsed
   and built there; here, as the engine's one producer, it is swapped in. */
static void
work_swap(StPlugin* p, const void* data, uint32_t size)
{
  StGraph* graph = NULL;
  if (size < sizeof(StWorkHeader) + sizeof(graph)) {
    return;
  }
  memcpy(&graph, (const uint8_t*)data + sizeof(StWorkHeader), sizeof(graph));
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
}

/* Sends a patch text reply: by value when it fits, else through the outbox. */
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
                 "get: the patch text (%u bytes) is larger than the notify port's 64 KiB",
                 reply->text_size);
  } else if (atomic_load_explicit(&p->outbox.full, memory_order_acquire)) {
    st_reply_set(reply, ST_REPLY_ERROR, ST_ERR_BUSY,
                 "get: the previous patch text is still on its way: ask again later");
  } else {
    memcpy(p->outbox.data, text, reply->text_size);
    p->outbox.size = reply->text_size;
    reply->boxed   = 1;
    atomic_store_explicit(&p->outbox.full, true, memory_order_release);
    if (respond(handle, sizeof(StReply), reply) != LV2_WORKER_SUCCESS) {
      atomic_store_explicit(&p->outbox.full, false, memory_order_release);
      lv2_log_error(&p->logger, "strata: the host's worker could not take a reply\n");
    }
    return;
  }
  if (respond(handle, sizeof(StReply), reply) != LV2_WORKER_SUCCESS) {
    lv2_log_error(&p->logger, "strata: the host's worker could not take a reply\n");
  }
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
    work_swap(p, data, size);
    return LV2_WORKER_SUCCESS;
  }

  // Copy the message so that the atom is aligned whatever the host's buffer.
  const bool     boxed = head.tag == ST_WORK_INBOX;
  const uint32_t msize = boxed ? p->inbox.size : size - (uint32_t)sizeof(head);
  if ((head.tag != ST_WORK_MESSAGE && !boxed) ||
      (boxed && !atomic_load_explicit(&p->inbox.full, memory_order_acquire))) {
    return LV2_WORKER_ERR_UNKNOWN;
  }
  uint64_t* msg = malloc(msize + sizeof(uint64_t));
  if (msg) {
    memcpy(msg, boxed ? p->inbox.data : (const uint8_t*)data + sizeof(head), msize);
  }
  if (boxed) {
    atomic_store_explicit(&p->inbox.full, false, memory_order_release);
  }

  StReply reply;
  char*   text = NULL;
  if (!msg) {
    memset(&reply, 0, sizeof(reply));
    st_reply_set(&reply, ST_REPLY_ERROR, ST_ERR_NO_MEMORY, "out of memory");
  } else {
    pthread_mutex_lock(&p->control);
    st_edit_apply(p, (const LV2_Atom_Object*)msg, msize, &reply, &text);
    pthread_mutex_unlock(&p->control);
  }
  if (reply.kind == ST_REPLY_PATCH) {
    respond_patch(p, respond, handle, &reply, text);
  } else if (respond(handle, sizeof(reply), &reply) != LV2_WORKER_SUCCESS) {
    lv2_log_error(&p->logger, "strata: the host's worker could not take a reply\n");
  }
  free(text);
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
  st_reply_push(&p->replies, &reply, (const char*)body + sizeof(reply));
  return LV2_WORKER_SUCCESS;
}

static const LV2_Worker_Interface worker_interface = {work, work_response, NULL};

const void*
st_worker_interface(void)
{
  return &worker_interface;
}
