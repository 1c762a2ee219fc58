/* Replies to patch messages: how the worker describes the outcome of an
   edit, the queue where replies wait in the audio thread, and writing them
   onto the notify port without ever overflowing the host's buffer. */
#ifndef ST_REPLY_H
#define ST_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#define ST_REPLY_MESSAGE     512    ///< Bytes of an ack or error message, with the zero
#define ST_REPLY_QUEUE_BYTES 131072 ///< Replies that may wait for the notify port (~1000 typical)

typedef enum {
  ST_REPLY_ACK,    ///< patch:Ack: the edit was applied
  ST_REPLY_ERROR,  ///< patch:Error: the edit was refused, nothing changed
  ST_REPLY_PATCH,  ///< patch:Put of the plugin: the patch text and the macro values
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
  char     message[ST_REPLY_MESSAGE]; ///< What was done, or what went wrong and why
} StReply;

/* Replies waiting for the notify port (audio thread only): records of a
   StReply and its text, appended by work_response and run(), removed as they
   are written. */
typedef struct {
  uint32_t used;                          ///< Bytes of records in `data`
  uint32_t lost;                          ///< Replies dropped because the queue was full
  uint8_t  data[ST_REPLY_QUEUE_BYTES] __attribute__((aligned(8)));
} StReplyQueue;

typedef struct StPlugin StPlugin;

/* Fills `reply` as an ack or error with a printf-style message. */
void st_reply_set(StReply* reply, StReplyKind kind, int32_t status, const char* format, ...)
  __attribute__((format(printf, 4, 5)));

/* Appends a reply (and `text` for an inline PATCH) to the queue; counts it
   lost when there is no room. Audio thread; no allocation. */
void st_reply_push(StReplyQueue* queue, const StReply* reply, const char* text);

/* Writes as many queued replies as the notify sequence has room for, in
   order, at frame `frame`; the others wait for the next run(). */
void st_reply_flush(StPlugin* plugin, int64_t frame);

#endif
