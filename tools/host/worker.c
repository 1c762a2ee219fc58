/* SPDX-License-Identifier: ISC */
/* The plugin's worker: requests scheduled by run() or restore() go to
   work(), either between blocks on the host's thread or on a thread of the
   library, and the responses go to work_response() after the next run(). */
#include "host_private.h"

#include <stdlib.h>

#define SH_QUEUE_BYTES (4u << 20)  ///< Requests, or responses, that may wait

/* Called by run() on the audio thread: copies into the ring; never allocates. */
LV2_Worker_Status
sh_worker_schedule(LV2_Worker_Schedule_Handle handle, uint32_t size, const void* data)
{
  ShHost* host = handle;
  if (size > host->config.worker_capacity ||
      !sh_ring_write(&host->worker.requests, size, data)) {
    return LV2_WORKER_ERR_NO_SPACE;
  }
  if (host->worker.threaded) {
    sem_post(&host->worker.wake);
  }
  return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void* data)
{
  ShHost* host = handle;
  if (size > host->config.worker_capacity ||
      !sh_ring_write(&host->worker.responses, size, data)) {
    return LV2_WORKER_ERR_NO_SPACE;
  }
  return LV2_WORKER_SUCCESS;
}

/* work() for each request written so far; later ones wait for the next call. */
static void
work_pending(ShHost* host)
{
  ShWorker*      w     = &host->worker;
  LV2_Handle     inst  = lilv_instance_get_handle(host->instance);
  const uint32_t until = sh_ring_head(&w->requests);
  for (int64_t n; (n = sh_ring_read(&w->requests, w->work_buf, until)) >= 0;) {
    host->iface->work(inst, respond, host, (uint32_t)n, w->work_buf);
  }
}

static void*
worker_thread(void* data)
{
  ShHost* host = data;
  while (!atomic_load(&host->worker.stop)) {
    sem_wait(&host->worker.wake);
    work_pending(host);
  }
  return NULL;
}

void
sh_host_work(ShHost* host)
{
  if (host->iface && !host->worker.threaded) {
    work_pending(host);
  }
}

uint32_t
sh_worker_drop(ShHost* host)
{
  ShWorker*      w       = &host->worker;
  const uint32_t until   = sh_ring_head(&w->requests);
  uint32_t       dropped = 0;
  while (sh_ring_read(&w->requests, w->work_buf, until) >= 0) {
    ++dropped;
  }
  return dropped;
}

void
sh_worker_deliver(ShHost* host)
{
  if (!host->iface) {
    return;
  }
  ShWorker*      w     = &host->worker;
  LV2_Handle     inst  = lilv_instance_get_handle(host->instance);
  const uint32_t until = sh_ring_head(&w->responses);
  for (int64_t n; (n = sh_ring_read(&w->responses, w->response_buf, until)) >= 0;) {
    sh_host_rt(host, true);
    host->iface->work_response(inst, (uint32_t)n, w->response_buf);
    sh_host_rt(host, false);
  }
  if (host->iface->end_run) {
    sh_host_rt(host, true);
    host->iface->end_run(inst);
    sh_host_rt(host, false);
  }
}

bool
sh_worker_init(ShHost* host)
{
  ShWorker* w     = &host->worker;
  w->work_buf     = malloc(host->config.worker_capacity);
  w->response_buf = malloc(host->config.worker_capacity);
  if (!sh_ring_init(&w->requests, SH_QUEUE_BYTES) ||
      !sh_ring_init(&w->responses, SH_QUEUE_BYTES) || !w->work_buf || !w->response_buf) {
    return false;
  }
  return true;
}

bool
sh_worker_start(ShHost* host)
{
  ShWorker* w = &host->worker;
  if (host->config.worker_thread && host->iface) {
    atomic_init(&w->stop, false);
    if (sem_init(&w->wake, 0, 0)) {
      return false;
    }
    if (pthread_create(&w->thread, NULL, worker_thread, host)) {
      sem_destroy(&w->wake);
      return false;
    }
    w->threaded = true;
  }
  return true;
}

void
sh_worker_destroy(ShHost* host)
{
  ShWorker* w = &host->worker;
  if (w->threaded) {
    atomic_store(&w->stop, true);
    sem_post(&w->wake);
    pthread_join(w->thread, NULL);
    sem_destroy(&w->wake);
    w->threaded = false;
  }
  sh_ring_destroy(&w->requests);
  sh_ring_destroy(&w->responses);
  free(w->work_buf);
  free(w->response_buf);
}
