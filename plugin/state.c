/* SPDX-License-Identifier: ISC */
/* State: the whole patch as one readable property, the text st_patch_write
   gives. restore() parses and builds off the audio thread; with
   threadSafeRestore the host passes a worker, which swaps the new graph in
   as the engine's one producer; without it, restore() swaps it in itself. A
   broken state is refused (logged as an error) and the current patch keeps
   playing; a state without the patch property keeps it quietly. */
#include "instance.h"

#include "patch.h"

#include <lv2/core/lv2_util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static LV2_State_Status
save(LV2_Handle instance, LV2_State_Store_Function store, LV2_State_Handle handle,
     uint32_t flags, const LV2_Feature* const* features)
{
  (void)flags;
  (void)features;
  StPlugin* p = instance;
  pthread_mutex_lock(&p->control);
  char* text = st_patch_write(st_engine_model(p->engine));
  pthread_mutex_unlock(&p->control);
  if (!text) {
    return LV2_STATE_ERR_UNKNOWN;
  }
  const LV2_State_Status st = store(handle, p->uris.strata_patch, text, strlen(text) + 1,
                                    p->uris.atom_String,
                                    LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
  free(text);
  return st;
}

/* Logs why a state was refused and leaves the reason for run() to report on
   the notify port (a notice still waiting there is kept: the first tells). */
static LV2_State_Status
refuse(StPlugin* p, LV2_State_Status result, StStatus status, const char* why)
{
  lv2_log_error(&p->logger, "strata: state refused, the current patch keeps playing: %s\n",
                why);
  StStateNotice* notice = &p->refused_state;
  if (!atomic_load_explicit(&notice->full, memory_order_acquire)) {
    notice->status = status;
    snprintf(notice->text, sizeof(notice->text),
             "state refused, the current patch keeps playing: %.400s", why);
    atomic_store_explicit(&notice->full, true, memory_order_release);
  }
  return result;
}

/* Parses into a new model and hands it to the worker (threadSafeRestore). */
static LV2_State_Status
restore_through_worker(StPlugin* p, LV2_Worker_Schedule* schedule, const char* text,
                       size_t length)
{
  // The worker may be editing the engine's model meanwhile: read it locked.
  pthread_mutex_lock(&p->control);
  StGraph* graph = st_engine_new_model(p->engine);
  pthread_mutex_unlock(&p->control);
  StPatchError err = {0};
  if (!graph) {
    return refuse(p, LV2_STATE_ERR_UNKNOWN, ST_ERR_NO_MEMORY, "out of memory");
  }
  if (st_patch_parse(text, length, NULL, graph, &err)) {
    st_graph_free(graph);
    return refuse(p, LV2_STATE_ERR_UNKNOWN, err.status, err.message);
  }
  // The graph waits in `restored` until work() swaps it in, so that cleanup
  // frees it if the host never runs the work; a newer restore replaces it.
  st_graph_free(atomic_exchange_explicit(&p->restored, graph, memory_order_acq_rel));
  const StWorkHeader req = {ST_WORK_SWAP, 0};
  if (schedule->schedule_work(schedule->handle, sizeof(req), &req) != LV2_WORKER_SUCCESS) {
    st_graph_free(atomic_exchange_explicit(&p->restored, NULL, memory_order_acq_rel));
    return refuse(p, LV2_STATE_ERR_UNKNOWN, ST_ERR_BUSY, "the host's worker queue is full");
  }
  return LV2_STATE_SUCCESS;
}

static LV2_State_Status
restore(LV2_Handle instance, LV2_State_Retrieve_Function retrieve, LV2_State_Handle handle,
        uint32_t flags, const LV2_Feature* const* features)
{
  (void)flags;
  StPlugin*   p     = instance;
  size_t      size  = 0;
  uint32_t    type  = 0;
  uint32_t    vflag = 0;
  const char* text  = retrieve(handle, p->uris.strata_patch, &size, &type, &vflag);
  if (!text) {
    // A state of port values only (a host's default state, which jalv
    // restores at startup, or a preset that sets only the macros): nothing
    // is wrong, the current patch stays. Trace level, so hosts stay quiet.
    lv2_log_trace(&p->logger, "strata: state has no <%s>; the current patch stays\n",
                  STRATA__patch);
    return LV2_STATE_SUCCESS;
  }
  if (type != p->uris.atom_String) {
    return refuse(p, LV2_STATE_ERR_BAD_TYPE, ST_ERR_BAD_ARG,
                  "the <" STRATA__patch "> property is not an atom:String");
  }
  const size_t length = strnlen(text, size);

  LV2_Worker_Schedule* schedule = lv2_features_data(features, LV2_WORKER__schedule);
  if (schedule) {
    return restore_through_worker(p, schedule, text, length);
  }
  char why[ST_REPLY_MESSAGE];
  pthread_mutex_lock(&p->control);
  const StStatus st    = st_edit_replace(p, text, length, NULL, why, sizeof(why));
  const uint32_t nodes = st ? 0 : st_graph_count(st_engine_model(p->engine));
  pthread_mutex_unlock(&p->control);
  if (st) {
    return refuse(p, LV2_STATE_ERR_UNKNOWN, st, why);
  }
  lv2_log_trace(&p->logger, "strata: state restored: a patch of %u nodes\n", nodes);
  atomic_store_explicit(&p->announce, true, memory_order_release); // run() asks the worker
  atomic_store_explicit(&p->display.name_changed, true, memory_order_relaxed);
  return LV2_STATE_SUCCESS;
}

static const LV2_State_Interface state_interface = {save, restore};

const void*
st_state_interface(void)
{
  return &state_interface;
}
