/* SPDX-License-Identifier: ISC */
/* Engine micro-benchmarks: time per internal block for graphs of 16 to 4096
   nodes in three shapes, against the same arithmetic as one hand-fused loop,
   and the per-node cost of scheduling with nodes that do nothing; or, with
   `threads`, the same graphs with one engine thread against two; or, with
   `voices` and `count`, a voice group's idle and awake voices and its voice
   count changed while playing (micro_voices.h).
   Usage: strata-bench-micro [blocks]           (prints a Markdown table)
          strata-bench-micro threads [blocks]   (1 against 2 threads)
          strata-bench-micro voices PATCH [blocks]
          strata-bench-micro count PATCH [changes] */
#include "engine.h"
#include "micro_voices.h"
#include "registry.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GAIN 0.999f
#define REPEATS 5

static const uint32_t sizes[] = {16, 64, 256, 1024, 4096};

static double
now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void* a, const void* b)
{
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static void
noop_process(void* state, const StProcess* p)
{
  (void)state;
  (void)p;
}

static const StPortSpec noop_ports[] = {{"in", "Ignored"}};
static const StPortSpec noop_outs[]  = {{"out", "Left as it is"}};

/* A node that does nothing: what remains is the scheduler's own cost. */
static const StNodeType noop_type = {
  .name = "noop", .family = "Bench", .doc = "Does nothing.",
  .n_inputs = 1, .inputs = noop_ports, .n_outputs = 1, .outputs = noop_outs,
  .cost = 0.0f, .process = noop_process,
};

typedef enum { SHAPE_CHAIN, SHAPE_WIDE, SHAPE_RANDOM } Shape;

static const char* const shape_names[] = {"chain", "wide", "random"};

static void
must(StStatus st, StEngine* e, const char* what)
{
  if (st) {
    fprintf(stderr, "strata-bench-micro: %s: %s\n", what, st_engine_error(e));
    exit(1);
  }
}

/* Builds `n` nodes: a constant source, then n-1 nodes of `type` shaped as asked. */
static void
build(StEngine* e, Shape shape, uint32_t n, const StNodeType* type, uint32_t seed)
{
  const StNodeType* src_type = st_registry_find("const");
  StHandle*         h        = calloc(n, sizeof(StHandle));
  char              name[32];
  const float       one[1] = {0.5f};
  must(st_engine_add(e, src_type, "src", one, &h[0]), e, "add source");
  float gain[ST_MAX_PARAMS] = {GAIN};
  for (uint32_t i = 1; i < n; ++i) {
    snprintf(name, sizeof(name), "n%u", i);
    must(st_engine_add(e, type, name, type->n_params ? gain : NULL, &h[i]), e, "add");
    uint32_t from = 0;
    if (shape == SHAPE_CHAIN) {
      from = i - 1;
    } else if (shape == SHAPE_RANDOM) {
      seed = seed * 1664525u + 1013904223u;
      from = i - 1 - (seed >> 8) % (i < 8 ? i : 8);
    }
    must(st_engine_connect(e, h[from], 0, h[i], 0), e, "connect");
    st_engine_begin(e); // Keep the command ring short while building.
  }
  st_engine_begin(e);
  st_engine_begin(e);
  free(h);
}

static float left[ST_BLOCK], right[ST_BLOCK];

/* Runs `blocks` blocks; returns ns per block. */
static double
run_blocks(StEngine* e, uint32_t blocks)
{
  float* const out[2] = {left, right};
  const double t0     = now_ns();
  for (uint32_t b = 0; b < blocks; ++b) {
    st_engine_process(e, NULL, out, ST_BLOCK);
  }
  return (now_ns() - t0) / blocks;
}

/* Median ns per block over REPEATS runs of `blocks` blocks. */
static double
time_engine(StEngine* e, uint32_t blocks)
{
  double runs[REPEATS];
  (void)run_blocks(e, blocks / 4 + 1);
  for (int r = 0; r < REPEATS; ++r) {
    runs[r] = run_blocks(e, blocks);
  }
  qsort(runs, REPEATS, sizeof(double), cmp_double);
  return runs[REPEATS / 2];
}

#define PAIR_REPEATS 9

/* The best ns per block of engines `a` and `b` over runs timed in turn, so
   that the machine's load falls on both alike and a run that the system
   preempted counts for neither. Both first run long enough for the
   scheduler to have measured its graph (a few probe rounds). */
static void
time_pair(StEngine* a, StEngine* b, uint32_t blocks, double* ta, double* tb)
{
  const uint32_t warm = blocks / 4 > 400 ? blocks / 4 : 400;
  (void)run_blocks(a, warm);
  (void)run_blocks(b, warm);
  *ta = *tb = 1e30;
  for (int r = 0; r < PAIR_REPEATS; ++r) {
    const double x = run_blocks(a, blocks), y = run_blocks(b, blocks);
    *ta            = x < *ta ? x : *ta;
    *tb            = y < *tb ? y : *tb;
  }
}

/* The chain's arithmetic as one loop: a source, then n-1 gains in series. */
static double
time_fused_chain(uint32_t n, uint32_t blocks)
{
  static float buf[ST_BLOCK];
  double       runs[REPEATS];
  volatile float sink = 0.0f;
  for (int r = 0; r < REPEATS; ++r) {
    const double t0 = now_ns();
    for (uint32_t b = 0; b < blocks; ++b) {
      for (uint32_t i = 0; i < ST_BLOCK; ++i) {
        buf[i] = 0.5f;
      }
      for (uint32_t k = 1; k < n; ++k) {
        for (uint32_t i = 0; i < ST_BLOCK; ++i) {
          buf[i] *= GAIN;
        }
      }
      sink = sink + buf[0];
    }
    runs[r] = (now_ns() - t0) / blocks;
  }
  qsort(runs, REPEATS, sizeof(double), cmp_double);
  return runs[REPEATS / 2];
}

/* The wide level's arithmetic as one loop: n-1 gains of one source into n-1 buffers. */
static double
time_fused_wide(uint32_t n, uint32_t blocks)
{
  float*         bufs = aligned_alloc(64, (size_t)n * ST_BLOCK * sizeof(float));
  static float   src[ST_BLOCK];
  double         runs[REPEATS];
  volatile float sink = 0.0f;
  for (int r = 0; r < REPEATS; ++r) {
    const double t0 = now_ns();
    for (uint32_t b = 0; b < blocks; ++b) {
      for (uint32_t i = 0; i < ST_BLOCK; ++i) {
        src[i] = 0.5f;
      }
      for (uint32_t k = 1; k < n; ++k) {
        float* dst = bufs + (size_t)k * ST_BLOCK;
        for (uint32_t i = 0; i < ST_BLOCK; ++i) {
          dst[i] = src[i] * GAIN;
        }
      }
      sink = sink + bufs[ST_BLOCK];
    }
    runs[r] = (now_ns() - t0) / blocks;
  }
  free(bufs);
  qsort(runs, REPEATS, sizeof(double), cmp_double);
  return runs[REPEATS / 2];
}

static StEngine*
new_engine(uint32_t threads)
{
  const StEngineConfig config = {.rate = 48000.0f, .max_nodes = 8192, .pool_buffers = 8192,
                                 .threads = threads, .ring_commands = 16384};
  StStatus  st;
  StEngine* e = st_engine_new(&config, &st);
  if (!e) {
    fprintf(stderr, "strata-bench-micro: cannot create engine: %s\n", st_status_string(st));
    exit(1);
  }
  return e;
}

/* Every shape and size with one engine thread and with two (the scheduler
   measuring which segments to share out). */
static void
threads_table(const StNodeType* vca, uint32_t blocks)
{
  printf("| shape | nodes | 1 thread ns/block | 2 threads ns/block | speedup |\n");
  printf("|---|---:|---:|---:|---:|\n");
  for (int s = SHAPE_CHAIN; s <= SHAPE_RANDOM; ++s) {
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); ++k) {
      const uint32_t n  = sizes[k];
      const uint32_t bl = blocks * 64 / n + 50;
      StEngine*      e1 = new_engine(1);
      StEngine*      e2 = new_engine(2);
      build(e1, (Shape)s, n, vca, 12345u);
      build(e2, (Shape)s, n, vca, 12345u);
      double t1, t2;
      time_pair(e1, e2, bl, &t1, &t2);
      printf("| %s | %u | %.0f | %.0f | %.2fx |\n", shape_names[s], n, t1, t2, t1 / t2);
      fflush(stdout);
      st_engine_free(e1);
      st_engine_free(e2);
    }
  }
}

int
main(int argc, char** argv)
{
  if (argc > 2 && !strcmp(argv[1], "voices")) {
    return micro_voices(argv[2], argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 4000);
  }
  if (argc > 2 && !strcmp(argv[1], "count")) {
    return micro_count(argv[2], argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 40);
  }
  const bool     threads = argc > 1 && !strcmp(argv[1], "threads");
  const int      arg     = threads ? 2 : 1;
  const uint32_t blocks  = argc > arg ? (uint32_t)strtoul(argv[arg], NULL, 10) : 2000;
  const StNodeType* vca = st_registry_find("vca");
  if (!vca || !st_registry_find("const")) {
    fprintf(stderr, "strata-bench-micro: needs the vca and const node types\n");
    return 1;
  }
  if (threads) {
    threads_table(vca, blocks);
    return 0;
  }
  printf("| shape | nodes | ns/block | ns/node | fused ns/block | engine/fused | noop ns/node |\n");
  printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (int s = SHAPE_CHAIN; s <= SHAPE_RANDOM; ++s) {
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); ++k) {
      const uint32_t n   = sizes[k];
      const uint32_t bl  = blocks * 64 / n + 50;
      StEngine*      e   = new_engine(1);
      build(e, (Shape)s, n, vca, 12345u);
      const double t = time_engine(e, bl);
      st_engine_free(e);
      StEngine* z = new_engine(1);
      build(z, (Shape)s, n, &noop_type, 12345u);
      const double tz = time_engine(z, bl);
      st_engine_free(z);
      const double fused = s == SHAPE_CHAIN ? time_fused_chain(n, bl)
                         : s == SHAPE_WIDE  ? time_fused_wide(n, bl)
                                            : 0.0;
      printf("| %s | %u | %.0f | %.2f | ", shape_names[s], n, t, t / n);
      if (fused > 0) {
        printf("%.0f | %.2f | %.2f |\n", fused, t / fused, tz / n);
      } else {
        printf("- | - | %.2f |\n", tz / n);
      }
    }
  }
  return 0;
}
