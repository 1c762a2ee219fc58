/* SPDX-License-Identifier: ISC */
/* How many engine threads an instance runs, and at which scheduling: from
   the STRATA_THREADS variable (an override for every instance), the
   instance's own option (strata:threads), the host's DSP concurrency
   (Ardour's threads:concurrency), else a default from the cores; the
   scheduling from the host's threads:schedPolicy and schedPriority. */
#ifndef ST_THREADS_H
#define ST_THREADS_H

#include "conductor.h"
#include "uris.h"

#include <lv2/log/logger.h>
#include <lv2/options/options.h>

#include <stdint.h>

#define ST_MAX_THREADS     64  ///< Largest thread count accepted
#define ST_DEFAULT_THREADS 4   ///< Most threads the default gives

typedef struct {
  uint32_t      threads;  ///< Engine threads: 1 = sequential on the host's thread
  StSchedPolicy sched;    ///< For the conductor and its OpenMP workers
} StThreading;

/* The default thread count for `cores` cores (the host's DSP threads, or
   the cores the process may use): half of them, at least 1 and at most
   ST_DEFAULT_THREADS. While the team works, the host's thread spins in
   run(): a team of N holds N + 1 cores, and the host's other DSP threads
   need the rest (a team as large as the cores waits for cores its own
   caller and the host hold: measured many times slower). */
uint32_t st_threads_default(uint32_t cores);

/* Reads the options and the environment. Every value of the wrong type,
   size or range is logged and ignored. */
void st_threads_read(StThreading* threading, const StUris* uris, LV2_Log_Logger* logger,
                     const LV2_Options_Option* options);

#endif
