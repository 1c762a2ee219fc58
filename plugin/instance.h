/* SPDX-License-Identifier: ISC */
/* The plugin instance: what plugin.c, edits.c, worker.c, state.c and
   reply.c share. Fields are grouped by the thread that owns them. */
#ifndef ST_INSTANCE_H
#define ST_INSTANCE_H

#include "conductor.h"
#include "reply.h"
#include "reports.h"
#include "inline_display.h"
#include "uris.h"

#include "engine.h"

#include <lv2/atom/forge.h>
#include <lv2/log/logger.h>
#include <lv2/worker/worker.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Port indices, as in strata.ttl. */
typedef enum {
  ST_PORT_IN_L,     ///< Audio input, left
  ST_PORT_IN_R,     ///< Audio input, right
  ST_PORT_OUT_L,    ///< Audio output, left
  ST_PORT_OUT_R,    ///< Audio output, right
  ST_PORT_CONTROL,  ///< atom:Sequence in: MIDI and patch messages
  ST_PORT_NOTIFY,   ///< atom:Sequence out: replies
  ST_PORT_MACRO1,   ///< First of ST_PLUGIN_MACROS macro control inputs
} StPortIndex;

#define ST_PORT_COUNT (ST_PORT_MACRO1 + ST_PLUGIN_MACROS)

/* Largest message passed to the host's worker by value; bigger ones (a whole
   patch text) go through the inbox. Small enough for any host's ring. */
#define ST_INLINE_MESSAGE 1024

/* Capacity of the inbox and outbox: the largest patch message and patch text
   reply. Matches rsz:minimumSize of the atom ports in strata.ttl. */
#define ST_MAILBOX_BYTES 65536

/* A buffer allocated at instantiate that passes one large payload between the
   audio thread and the worker without allocating: whoever fills it sets
   `full` (release), whoever empties it clears `full` (release). */
typedef struct {
  atomic_bool full;   ///< Holds a payload not yet consumed
  uint32_t    size;   ///< Bytes of the payload
  uint8_t*    data;   ///< ST_MAILBOX_BYTES bytes
} StMailbox;

/* Why restore() refused a state, waiting for run() to report it on the
   notify port too: restore() fills it when it is empty, run() empties it. */
typedef struct {
  atomic_bool full;                     ///< Holds a notice not yet reported
  StStatus    status;                   ///< Why, as a status
  char        text[ST_REPLY_MESSAGE];   ///< Why, in words
} StStateNotice;

/* One node type or parameter name and the URID of its URI, mapped at
   instantiate so that decoding a message never needs urid:unmap. */
typedef struct {
  LV2_URID          urid;  ///< Mapped "urn:strata:type:NAME" or "urn:strata:param:NAME"
  const char*       name;  ///< The name after the prefix
  const StNodeType* type;  ///< The type (type table only)
} StNamedUrid;

struct StPlugin {
  // Host features (set at instantiate, then read only).
  LV2_URID_Map*        map;
  LV2_URID_Unmap*      unmap;     ///< Optional: lets subjects be URIDs
  LV2_Worker_Schedule* schedule;  ///< Optional: without it patch edits are refused
  LV2_Log_Logger       logger;    ///< Falls back to stderr without log:log
  StUris               uris;
  float                rate;      ///< From options (param:sampleRate) or instantiate
  StNamedUrid*         types;     ///< Every registered node type
  uint32_t             n_types;
  StNamedUrid*         params;    ///< Every distinct parameter name
  uint32_t             n_params;

  // The engine: control side owned by whoever holds `control`, audio side by run().
  StEngine*       engine;
  pthread_mutex_t control;        ///< Serialises work(), save() and restore()
  StConductor     conductor;      ///< Runs the blocks when the engine has threads (conductor.h)

  // Ports (connect_port).
  const float*              in[2];
  float*                    out[2];
  const LV2_Atom_Sequence*  control_port;
  LV2_Atom_Sequence*        notify_port;
  const float*              macro_port[ST_PLUGIN_MACROS];

  // Audio thread (the host's, or the conductor running its block).
  uint32_t      frames;                        ///< Frames of the block being run
  float         macro_seen[ST_PLUGIN_MACROS];  ///< Port values last applied
  LV2_Atom_Forge forge;
  LV2_Atom_Forge_Frame notify_frame;           ///< The notify sequence of the block being run
  StReplyQueue  replies;                       ///< Replies waiting for the notify port

  // Between the worker and the audio thread: what an open editor watches.
  StReports     reports;                       ///< Level and probe reports (reports.h)

  // Between run(), the worker and the host's GUI thread.
  StDisplay     display;                       ///< The mixer strip's picture (inline_display.h)

  // Between the audio thread and the worker.
  StMailbox inbox;   ///< A large message for the worker
  StMailbox outbox;  ///< A large reply (patch text) for the audio thread

  // Between restore() and the audio thread.
  StStateNotice refused_state;  ///< A refused state, for the notify port

  // Between restore(), the worker and the audio thread.
  _Atomic(StGraph*) restored;   ///< A graph restore() built, waiting for work() to swap it in
  atomic_bool       announce;   ///< The patch was replaced: run() asks the worker to announce it
  StUnanswered      unanswered; ///< Answers the worker could not hand back
};

/* Work request tags: the first word of every message scheduled to the worker. */
typedef enum {
  ST_WORK_MESSAGE = 1, ///< A patch message atom follows
  ST_WORK_INBOX,       ///< The patch message waits in the inbox
  ST_WORK_SWAP,        ///< Swap in the graph waiting in `restored`
  ST_WORK_ANNOUNCE,    ///< Announce the patch on notify (a patch:Put without a number)
} StWorkTag;

/* The head of every work request (the wire format between run() or
   restore() and work()). */
typedef struct {
  uint32_t tag;  ///< StWorkTag
  uint32_t pad;  ///< Keeps the atom that follows 64-bit aligned
} StWorkHeader;

/* A patch file read before the control lock is taken (edits.c). */
typedef struct {
  bool   wanted;  ///< The message asks to load a patch file
  char*  text;    ///< Its text (malloc'd), or NULL when it was refused
  size_t length;  ///< Bytes of text
  char   path[256];             ///< The file, for messages
  char   why[ST_REPLY_MESSAGE]; ///< Why it was refused
} StLoadedFile;

/* The outcome of one patch message. */
typedef struct {
  StReply reply;    ///< Ack or error, or PATCH for patch:Get
  char*   text;     ///< PATCH: the patch text (malloc'd; the caller frees it)
  bool    replaced; ///< The whole patch was replaced: announce it
} StEditResult;

/* Reads the patch file a message names, if it names one: without the control
   lock, so that a slow or hostile file never blocks save() or restore(). */
void st_edit_load_file(StPlugin* plugin, const LV2_Atom_Object* message, uint32_t size,
                       StLoadedFile* file);

/* Decodes and applies one patch message on the control side (the caller
   holds `control`). `file` is what st_edit_load_file read for it. */
void st_edit_apply(StPlugin* plugin, const LV2_Atom_Object* message, uint32_t size,
                   const StLoadedFile* file, StEditResult* result);

/* Replaces the whole patch with `text` (control side): parse, build, swap.
   ST_OK or an error with the reason in `why`, which starts with
   "SOURCE:LINE:COLUMN: " when `source` (a file name) is given. */
StStatus st_edit_replace(StPlugin* plugin, const char* text, size_t length, const char* source,
                         char* why, size_t why_size);

/* The worker and state interfaces (worker.c, state.c). */
const void* st_worker_interface(void);
const void* st_state_interface(void);

/* The text of the built-in default patch (default_patch.h). */
extern const char st_default_patch[];

#endif
