/* SPDX-License-Identifier: ISC */
/* Replies to patch messages: how the worker describes the outcome of an
   edit, the queue where replies wait in the audio thread, and writing them
   onto the notify port without ever overflowing the host's buffer.

   Every message run() hands to the worker first reserves room for its
   answer, so that no answer is ever lost: a message that finds the queue
   full is refused "busy" at once, with its sequence number, and changes
   nothing. A reply too large for the host's notify buffer is answered with
   a short error carrying its number. */
#ifndef ST_REPLY_H
#define ST_REPLY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define ST_REPLY_MESSAGE     512    ///< Bytes of an ack or error message, with the zero
#define ST_REPLY_QUEUE_BYTES 131072 ///< Replies that may wait for the notify port (~1000 typical)
#define ST_REPLY_REFUSALS    8192   ///< Refusals from run() that may wait for the notify port
#define ST_REPLY_UNANSWERED  256    ///< Answers the host's worker could not take back
#define ST_REPLY_RECORD_MAX  (ST_REPLY_MESSAGE + 64) ///< Room reserved for one answer

typedef enum {
  ST_REPLY_ACK,    ///< patch:Ack: the edit was applied
  ST_REPLY_ERROR,  ///< patch:Error: the edit was refused, nothing changed
  ST_REPLY_PATCH,  ///< patch:Put of the plugin: the patch text
} StReplyKind;

/* One reply, as the worker hands it back through work_response. */
typedef struct {
  uint32_t kind;       ///< StReplyKind
  int32_t  status;     ///< StStatus: ST_OK for an ack or a patch
  int32_t  seq;        ///< patch:sequenceNumber of the request
  uint32_t has_seq;    ///< The request carried a sequence number
  uint32_t changed;    ///< The edit changed the patch: state:StateChanged follows
  uint32_t boxed;      ///< PATCH: the text waits in the outbox
  uint32_t text_size;  ///< PATCH not boxed: bytes of text following the reply, with the zero
  uint32_t answers;    ///< Answers a message run() scheduled (frees the room it reserved)
  uint32_t order;      ///< PATCH: the version of its node order for level reports (reports.h)
  char     message[ST_REPLY_MESSAGE]; ///< What was done, or what went wrong and why
} StReply;

/* A message answered from run() with a fixed text: refused before it
   reached the worker (busy, malformed, too large...), or its answer could not
   be handed back. Needs no room in the record queue. */
typedef struct {
  int32_t     seq;      ///< Its patch:sequenceNumber
  uint32_t    has_seq;  ///< It carried one
  int32_t     status;   ///< StStatus
  const char* why;      ///< A static text
} StRefusal;

/* Replies waiting for the notify port (audio thread only): records of a
   StReply and its text, appended by work_response and run(), removed as they
   are written; and the refusals, which need no text. */
typedef struct {
  uint32_t  used;       ///< Bytes of records in `data`
  uint32_t  pending;    ///< Messages at the worker: each has ST_REPLY_RECORD_MAX bytes reserved
  uint32_t  n_refused;  ///< Refusals waiting in `refused`
  uint32_t  flooded;    ///< Messages that found no room even for a refusal
  StRefusal refused[ST_REPLY_REFUSALS];
  uint8_t   data[ST_REPLY_QUEUE_BYTES] __attribute__((aligned(8)));
} StReplyQueue;

/* Answers the worker could not hand back (the host's response queue was
   full): the worker pushes, run() refuses them. */
typedef struct {
  atomic_uint head;                       ///< Written by the worker
  atomic_uint tail;                       ///< Written by run()
  StRefusal   items[ST_REPLY_UNANSWERED];
} StUnanswered;

typedef struct StPlugin StPlugin;

/* Fills `reply` as an ack or error with a printf-style message. */
void st_reply_set(StReply* reply, StReplyKind kind, int32_t status, const char* format, ...)
  __attribute__((format(printf, 4, 5)));

/* Reserves room for the answer of a message about to go to the worker;
   false when the queue is full (refuse the message with st_reply_refuse). */
bool st_reply_reserve(StReplyQueue* queue);

/* Gives back the room of a message that never reached the worker. */
void st_reply_release(StReplyQueue* queue);

/* Answers a message from run() with a static text. */
void st_reply_refuse(StReplyQueue* queue, int32_t seq, bool has_seq, int32_t status,
                     const char* why);

/* Appends a reply (and `text` for an inline PATCH) to the queue; an answer
   releases its reservation. A patch text that finds no room is refused
   "busy". False when an unsolicited reply (an announcement, a notice) found
   no room and was not queued. Audio thread; no allocation. */
bool st_reply_push(StReplyQueue* queue, const StReply* reply, const char* text);

/* Worker side: records that the answer to a message could not be handed back. */
bool st_unanswered_push(StUnanswered* ring, int32_t seq, bool has_seq);

/* Audio thread: turns the answers the worker could not hand back into refusals. */
void st_unanswered_drain(StUnanswered* ring, StReplyQueue* queue);

/* Writes as many queued replies as the notify sequence has room for, in
   order, at frame `frame`; the others wait for the next run(). */
void st_reply_flush(StPlugin* plugin, int64_t frame);

#endif
