/* SPDX-License-Identifier: ISC */
/* Engine-level benchmarks on patch files (no plugin, no file output).
   Usage:
     strata-bench-patch parallel FILE SECONDS THREADS [THRESHOLD_NS]
       renders FILE for SECONDS at 48 kHz in 64-frame blocks with THREADS engine
       threads; prints "wall_s cpu_s" (cpu: user+sys of every thread, getrusage).
     strata-bench-patch worst FILE SECONDS
       renders while, every 8th block, a parameter edit arrives and, every 2000th
       block, the whole patch is swapped for a fresh parse of FILE (edits and presets
       streaming in); times each block's begin+process with CLOCK_MONOTONIC and prints
       "median_ns p99_ns p999_ns max_ns max/median". Like a host's audio thread, it
       asks for real-time scheduling (SCHED_FIFO), so that other processes do not
       preempt it mid-block; when refused, it says so on stderr and runs as it is. */
#include "engine.h"
#include "patch.h"
#include "slurp.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define RATE 48000.0f

static double
now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double
cpu_s(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec +
         (double)u.ru_stime.tv_sec + 1e-6 * (double)u.ru_stime.tv_usec;
}

/* Parses the patch into a fresh model and swaps it in (control side). */
static void
load(StEngine* e, const char* text, size_t size)
{
  StGraph*     model = st_engine_new_model(e);
  StPatchError err;
  if (!model || st_patch_parse(text, size, NULL, model, &err) || st_engine_swap(e, model)) {
    fprintf(stderr, "strata-bench-patch: %s %s\n", err.message, st_engine_error(e));
    exit(1);
  }
}

/* Real-time priority for the calling thread, as an audio thread has. */
static void
go_real_time(void)
{
  const struct sched_param param = {.sched_priority = 70};
  const int                err   = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  if (err) {
    fprintf(stderr,
            "strata-bench-patch: no real-time priority (%s): timings include preemption\n",
            strerror(err));
  }
}

static int
cmp_double(const void* a, const void* b)
{
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int
main(int argc, char** argv)
{
  if (argc < 4 || (strcmp(argv[1], "parallel") && strcmp(argv[1], "worst"))) {
    fprintf(stderr, "usage: strata-bench-patch parallel|worst FILE SECONDS [THREADS [THRESHOLD_NS]]\n");
    return 2;
  }
  const bool     worst     = !strcmp(argv[1], "worst");
  const double   seconds   = atof(argv[3]);
  const uint32_t threads   = argc > 4 ? (uint32_t)atoi(argv[4]) : 1;
  const float    threshold = argc > 5 ? (float)atof(argv[5]) : 0.0f;
  size_t         size;
  char*          text = bench_slurp(argv[2], &size);
  const StEngineConfig config = {.rate = RATE, .threads = threads, .parallel_threshold = threshold};
  StStatus  st;
  StEngine* e = st_engine_new(&config, &st);
  if (!e) {
    fprintf(stderr, "strata-bench-patch: %s\n", st_status_string(st));
    return 1;
  }
  load(e, text, size);
  static float   left[ST_BLOCK], right[ST_BLOCK];
  float* const   out[2] = {left, right};
  const uint32_t blocks = (uint32_t)(seconds * RATE / ST_BLOCK);
  for (int b = 0; b < 64; ++b) { // apply the patch and finish the crossfade
    st_engine_begin(e);
    st_engine_process(e, NULL, out, ST_BLOCK);
  }
  double* times = worst ? calloc(blocks, sizeof(double)) : NULL;
  const StGraph* model = st_engine_model(e);
  StHandle       first = {0};  // the first node with a continuous parameter: edited
  uint32_t       param = 0;
  bool           have  = false;
  for (uint32_t n = 0; n < model->arena.capacity && !have; ++n) {
    const StNodeType* t = st_arena_live(&model->arena, n) ? model->slots[n].type : NULL;
    for (uint32_t k = 0; t && k < t->n_params && !have; ++k) {
      if (!(t->params[k].flags & (ST_PARAM_CHOICE | ST_PARAM_FIXED | ST_PARAM_INT))) {
        first = st_arena_handle(&model->arena, n);
        param = k;
        have  = true;
      }
    }
  }
  if (worst) {
    go_real_time();
  }
  const double c0 = cpu_s(), w0 = now_s();
  for (uint32_t b = 0; b < blocks; ++b) {
    if (worst && b % 8 == 0 && have) {
      st_engine_collect(e);
      const StGraph*     now  = st_engine_model(e);
      const StParamSpec* spec = &now->slots[first.index].type->params[param];
      (void)st_engine_set_param(e, first, param, (b / 8) % 2 ? 0.5f * (spec->def + spec->max) : spec->def);
    }
    if (worst && b % 2000 == 1000) {
      st_engine_collect(e);
      load(e, text, size);
      first = st_arena_handle(&st_engine_model(e)->arena, first.index);
    }
    const double t0 = worst ? now_s() : 0.0;
    st_engine_begin(e);
    st_engine_process(e, NULL, out, ST_BLOCK);
    if (worst) {
      times[b] = (now_s() - t0) * 1e9;
    }
  }
  const double wall = now_s() - w0, cpu = cpu_s() - c0;
  if (worst) {
    qsort(times, blocks, sizeof(double), cmp_double);
    const double med = times[blocks / 2];
    printf("%.0f %.0f %.0f %.0f %.2f\n", med, times[(size_t)(blocks * 0.99)],
           times[(size_t)(blocks * 0.999)], times[blocks - 1], times[blocks - 1] / med);
  } else {
    printf("%.3f %.3f\n", wall, cpu);
  }
  free(times);
  st_engine_free(e);
  free(text);
  return 0;
}
