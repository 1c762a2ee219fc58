/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE // sched_getaffinity, CPU_COUNT

#include "threads.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint32_t
st_threads_default(uint32_t cores)
{
  const uint32_t n = cores / 2;
  return n < 1 ? 1 : n < ST_DEFAULT_THREADS ? n : ST_DEFAULT_THREADS;
}

/* The cores this process may run on. */
static uint32_t
available_cores(void)
{
#ifdef __linux__
  cpu_set_t set;
  if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0) {
    return (uint32_t)CPU_COUNT(&set);
  }
#endif
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (uint32_t)n : 1;
}

/* An option's value as an int32, when it is an atom:Int of the right size. */
static bool
read_int(const StUris* u, const LV2_Options_Option* o, int32_t* value)
{
  if (o->type != u->atom_Int || o->size != sizeof(int32_t) || !o->value) {
    return false;
  }
  memcpy(value, o->value, sizeof(*value));
  return true;
}

static void
warn(LV2_Log_Logger* logger, const char* uri, const LV2_Options_Option* o, const char* why,
     const char* using)
{
  lv2_log_warning(logger, "strata: option <%s> ignored: %s (type %u, %u bytes); %s\n", uri, why,
                  o->type, o->size, using);
}

/* A policy the host names, or -1. */
static int
known_policy(int32_t policy)
{
  switch (policy) {
  case SCHED_OTHER: return SCHED_OTHER;
  case SCHED_FIFO:  return SCHED_FIFO;
  case SCHED_RR:    return SCHED_RR;
  default:          return -1;
  }
}

typedef struct {
  int32_t own;          ///< strata:threads, or 0
  int32_t concurrency;  ///< Ardour's DSP threads, or 0
  int32_t policy;       ///< Ardour's scheduling policy, or -1
  int32_t priority;     ///< Ardour's priority, or -1
} Given;

static void
read_one(const StUris* u, LV2_Log_Logger* logger, const LV2_Options_Option* o, Given* g)
{
  int32_t v = 0;
  if (o->key == u->strata_threads) {
    if (!read_int(u, o, &v) || v < 1 || v > ST_MAX_THREADS) {
      warn(logger, STRATA__threads, o, "not an atom:Int of 1..64", "using the default");
    } else {
      g->own = v;
    }
  } else if (o->key == u->ardour_concurrency) {
    if (!read_int(u, o, &v) || v < 1 || v > 4096) {
      warn(logger, ARDOUR_THREADS__concurrency, o, "not an atom:Int of 1..4096",
           "counting the cores");
    } else {
      g->concurrency = v;
    }
  } else if (o->key == u->ardour_schedPolicy) {
    if (!read_int(u, o, &v) || known_policy(v) < 0) {
      warn(logger, ARDOUR_THREADS__schedPolicy, o,
           "not an atom:Int naming SCHED_OTHER, SCHED_FIFO or SCHED_RR",
           "engine threads keep the default scheduling");
    } else {
      g->policy = v;
    }
  } else if (o->key == u->ardour_schedPriority) {
    if (!read_int(u, o, &v) || v < 0 || v > 99) {
      warn(logger, ARDOUR_THREADS__schedPriority, o, "not an atom:Int of 0..99",
           "engine threads keep the default scheduling");
    } else {
      g->priority = v;
    }
  }
}

/* STRATA_THREADS when set and valid, else 0. */
static uint32_t
read_env(LV2_Log_Logger* logger)
{
  const char* env = getenv("STRATA_THREADS");
  if (!env || !*env) {
    return 0;
  }
  char*      end = NULL;
  const long n   = strtol(env, &end, 10);
  if (*end || n < 1 || n > ST_MAX_THREADS) {
    lv2_log_warning(logger, "strata: STRATA_THREADS='%s' is not 1..64: ignored\n", env);
    return 0;
  }
  return (uint32_t)n;
}

/* The host's scheduling, when it gave a real-time policy with a priority
   that policy accepts; else the default (SCHED_OTHER: nothing is changed). */
static StSchedPolicy
choose_sched(LV2_Log_Logger* logger, const Given* g)
{
  const StSchedPolicy none = {SCHED_OTHER, 0};
  if (g->policy < 0 || g->policy == SCHED_OTHER) {
    return none;
  }
  const int lo = sched_get_priority_min(g->policy);
  const int hi = sched_get_priority_max(g->policy);
  if (g->priority < lo || g->priority > hi) {
    lv2_log_warning(logger,
                    "strata: option <" ARDOUR_THREADS__schedPriority "> %d is outside %d..%d "
                    "of the host's policy %d: engine threads keep the default scheduling\n",
                    g->priority, lo, hi, g->policy);
    return none;
  }
  return (StSchedPolicy){g->policy, g->priority};
}

void
st_threads_read(StThreading* t, const StUris* u, LV2_Log_Logger* logger,
                const LV2_Options_Option* options)
{
  Given g = {0, 0, -1, -1};
  for (const LV2_Options_Option* o = options; o && o->key; ++o) {
    read_one(u, logger, o, &g);
  }
  const uint32_t env   = read_env(logger);
  const uint32_t cores = g.concurrency ? (uint32_t)g.concurrency : available_cores();
  t->threads           = env ? env : g.own ? (uint32_t)g.own : st_threads_default(cores);
  t->sched             = choose_sched(logger, &g);
}
