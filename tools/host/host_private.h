/* SPDX-License-Identifier: ISC */
/* What the files of the host library share: the world and instance structs. */
#ifndef SH_HOST_PRIVATE_H
#define SH_HOST_PRIVATE_H

#include "record_ring.h"
#include "strata_host.h"

#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/worker/worker.h>

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>

struct ShWorld {
  LilvWorld*        lilv;     ///< Every bundle on the LV2 path loaded
  const LilvPlugin* plugin;   ///< The hosted plugin
  pthread_mutex_t   map_lock; ///< A worker thread may map while the host does
  char**            uris;     ///< URID i + 1 maps uris[i]
  uint32_t          n_uris;
  uint32_t          cap_uris;
  LV2_URID_Map      map;
  LV2_URID_Unmap    unmap;
  StUris            u;        ///< The plugin's URIDs
};

/* The worker: requests from run() and restore(), responses from work(),
   each a ring allocated at creation (schedule_work runs in run(), on the
   audio thread, and must not allocate). */
typedef struct {
  ShRecordRing requests;
  ShRecordRing responses;
  uint8_t*     work_buf;      ///< One request, read for work()
  uint8_t*     response_buf;  ///< One response, read for work_response()
  bool         threaded;      ///< work() runs on `thread`
  pthread_t    thread;
  sem_t        wake;          ///< Posted for each request, and to stop
  atomic_bool  stop;
} ShWorker;

struct ShHost {
  ShWorld*                    world;
  ShConfig                    config;     ///< With the defaults filled in
  const StUris*               u;          ///< The world's URIDs
  LilvInstance*               instance;
  LilvInstance                linked;     ///< The instance when config.descriptor is set
  const LV2_Worker_Interface* iface;      ///< The plugin's worker interface, or NULL
  bool                        active;     ///< Activated: deactivate before freeing
  ShRtHook                    rt_hook;

  // Ports.
  uint32_t  n_ports;
  float*    controls;                     ///< One value per port (control ports use theirs)
  bool*     is_control_in;                ///< Per port: a control input
  uint32_t  n_in, n_out;                  ///< Audio inputs and outputs
  float*    in[SH_MAX_AUDIO];             ///< Audio input port buffers, max_block frames
  float*    out[SH_MAX_AUDIO];            ///< Audio output port buffers
  uint32_t  out_port[SH_MAX_AUDIO];       ///< Port index of each audio output
  bool      out_unplugged[SH_MAX_AUDIO];  ///< Output connected to NULL (sh_host_unplug_output)
  uint64_t* control;                      ///< Atom input: the control sequence
  uint64_t* notify;                       ///< Atom output: the notify sequence
  uint64_t* pending;                      ///< Queued events: a sequence body
  uint32_t  pending_used;                 ///< Bytes of `pending` used
  uint64_t* scratch;                      ///< Forge buffer for one atom
  LV2_Atom_Forge forge;

  ShWorker worker;

  // Replies.
  ShReply* replies;
  uint32_t n_replies;
  bool     notify_ok;                     ///< The last notify sequence was well formed

  // Features.
  float              rate;
  int32_t            min_block, max_block, nominal_block;
  LV2_Options_Option options[5];
  LV2_Log_Log        log;
  LV2_Worker_Schedule schedule;
  LV2_Feature        f_map, f_unmap, f_schedule, f_options, f_log, f_bounded;
  const LV2_Feature* features[8];
  const LV2_Feature* restore_features[4];
  LV2_URID           log_Error;
  uint32_t           log_errors;       ///< Errors the plugin logged so far
  char               last_log[1024];
};

/* The worker (worker.c): its rings, allocated before instantiate, and its
   thread, started after (when config.worker_thread asks for one). */
bool sh_worker_init(ShHost* host);
bool sh_worker_start(ShHost* host);
void sh_worker_destroy(ShHost* host);
LV2_Worker_Status sh_worker_schedule(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                     const void* data);
void sh_worker_deliver(ShHost* host);
/* Discards the requests scheduled so far without running them; how many. */
uint32_t sh_worker_drop(ShHost* host);

/* Calls the rt hook (host.c). */
void sh_host_rt(const ShHost* host, bool entering);

#endif
