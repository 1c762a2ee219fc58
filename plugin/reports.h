/* SPDX-License-Identifier: ISC */
/* What run() reports to an open patch editor besides the replies: node
   levels (strata:Levels, at most ST_LEVELS_PER_SECOND a second while an
   editor keeps asking for them) and the probe's samples (strata:Scope, at
   most ST_SCOPE_PER_SECOND a second while a probe is on).

   Levels come in the node order of the last patch:Put the plugin sent, the
   order the editor's mirror knows: the worker publishes that order (through
   a sequence lock, so run() never waits) when it writes a Put, and run()
   reports only once that Put went out on notify. */
#ifndef ST_REPORTS_H
#define ST_REPORTS_H

#include "uris.h"

#include "arena.h"
#include "engine.h"

#include <lv2/atom/forge.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define ST_LEVELS_PER_SECOND 15  ///< Most level reports a second
#define ST_SCOPE_PER_SECOND 30   ///< Most probe reports a second
#define ST_MONITOR_SECONDS 5     ///< Levels stop this long after the last "on"

/* What a strata:monitor Set asks run() to do. */
typedef enum {
  ST_MONITOR_NONE,  ///< Nothing new
  ST_MONITOR_ON,    ///< Report levels (again) for ST_MONITOR_SECONDS
  ST_MONITOR_OFF,   ///< Stop now
} StMonitorRequest;

typedef struct {
  // Worker -> audio thread.
  atomic_uint       seq;           ///< Odd while the worker writes the order
  atomic_uint       version;       ///< The Put the order belongs to (1, 2, ...)
  atomic_uint       count;         ///< Nodes in the order
  _Atomic uint64_t* order;         ///< Handles (index << 32 | generation), `capacity` of them
  atomic_int        request;       ///< StMonitorRequest, taken by run()
  uint32_t          last_version;  ///< Version published last (worker only)

  // Audio thread.
  uint32_t  capacity;      ///< Node capacity of the engine
  StHandle* nodes;         ///< The order as last read
  float*    values;        ///< Peaks being reported
  uint32_t  sent;          ///< Version of the last Put written on notify
  uint64_t  monitor_left;  ///< Frames of level reports left, 0 when off
  uint64_t  levels_wait;   ///< Frames until a level report may go
  uint64_t  scope_wait;    ///< Frames until a probe report may go
} StReports;

/* Allocates the tables for `capacity` nodes (instantiate); false when out of memory. */
bool st_reports_init(StReports* r, uint32_t capacity);
void st_reports_free(StReports* r);

/* Worker: publishes the node order of `model`, whose text is about to go
   out as a patch:Put; returns its version, for StReply.order. */
uint32_t st_reports_publish(StReports* r, const StGraph* model);

/* Audio thread: a patch:Put of order `version` was written on notify. */
void st_reports_put_sent(StReports* r, uint32_t version);

/* Audio thread, once per run() after the audio: turns levels on or off as
   asked, and writes the reports that are due into the notify sequence at
   frame `frame` when there is room (a report that does not fit is dropped). */
void st_reports_run(StReports* r, StEngine* engine, const StUris* uris, LV2_Atom_Forge* forge,
                    float rate, uint32_t frames, int64_t frame);

#endif
