/* SPDX-License-Identifier: ISC */
/* Voice groups timed on the engine, as a host drives it: st_engine_begin()
   and st_engine_process() per 64-frame block on one thread, notes through
   st_engine_event(), edits on the same thread between blocks. Times are the
   thread's CPU time, so that other processes on a busy machine (preempting
   this one) do not count; each reading costs a system call, a few hundred
   ns, which the per-block times include. */
#include "micro_voices.h"

#include "engine.h"
#include "patch.h"
#include "slurp.h"
#include "voices.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RATE       48000.0f
#define FIRST_NOTE 69 // Voice v of P3_group.patch plays note 69 + v
#define REPEATS    5
#define HELD       4  // Keys held while the count changes: every count keeps them sounding

static float left[ST_BLOCK], right[ST_BLOCK];

static double
now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void* a, const void* b)
{
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* One host block: commands, then ST_BLOCK frames. */
static void
block(StEngine* e)
{
  float* const out[2] = {left, right};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, ST_BLOCK);
}

/* An engine playing `text` with its group "v" at `count` voices (count 0:
   the patch without the group), settled (crossfade and smoothing done). */
static StEngine*
engine_with(const char* text, uint32_t count, StHandle* group)
{
  const StEngineConfig config = {.rate = RATE, .threads = 1};
  StStatus             st;
  StEngine*            e = st_engine_new(&config, &st);
  StGraph*             model = e ? st_engine_new_model(e) : NULL;
  StPatchError         err   = {0};
  if (!model || st_patch_parse(text, strlen(text), NULL, model, &err)) {
    fprintf(stderr, "strata-bench-micro: %s\n", e ? err.message : st_status_string(st));
    exit(1);
  }
  const StHandle v = st_graph_find(model, "v");
  if (v.index == ST_HANDLE_NONE.index ||
      (count ? st_graph_set_param(model, v, ST_GROUP_COUNT, (float)count)
             : st_graph_remove(model, v)) ||
      st_engine_swap(e, model)) {
    fprintf(stderr, "strata-bench-micro: no voice group \"v\" of %u voices: %s\n", count,
            st_engine_error(e));
    exit(1);
  }
  for (int b = 0; b < 64; ++b) {
    block(e);
  }
  *group = v;
  return e;
}

/* Holds keys FIRST_NOTE.. FIRST_NOTE + n - 1 from the next block on. */
static void
hold(StEngine* e, uint32_t n)
{
  float* const out[2] = {left, right};
  st_engine_begin(e);
  for (uint32_t k = 0; k < n; ++k) {
    const uint8_t on[3] = {0x90, (uint8_t)(FIRST_NOTE + k), 100};
    st_engine_event(e, on, 3);
  }
  st_engine_process(e, NULL, out, ST_BLOCK);
}

static uint32_t
awake(StEngine* e, StHandle group)
{
  return st_voice_awake_count(st_engine_running(e)->slots[group.index].state);
}

/* Median ns per block over REPEATS runs of `blocks` blocks. */
static double
time_blocks(StEngine* e, uint32_t blocks)
{
  double runs[REPEATS];
  for (uint32_t b = 0; b < blocks / 4 + 1; ++b) {
    block(e);
  }
  for (int r = 0; r < REPEATS; ++r) {
    const double t0 = now_ns();
    for (uint32_t b = 0; b < blocks; ++b) {
      block(e);
    }
    runs[r] = (now_ns() - t0) / blocks;
  }
  qsort(runs, REPEATS, sizeof(double), cmp_double);
  return runs[REPEATS / 2];
}

/* ns per block of the patch with its group at `count` voices, `held` keys down. */
static double
time_group(const char* text, uint32_t count, uint32_t held, uint32_t blocks, uint32_t* awake_out)
{
  StHandle  v;
  StEngine* e = engine_with(text, count, &v);
  hold(e, held);
  const double t = time_blocks(e, blocks);
  *awake_out     = count ? awake(e, v) : 0;
  st_engine_free(e);
  return t;
}

int
micro_voices(const char* patch_file, uint32_t blocks)
{
  size_t      size;
  char*       text = bench_slurp(patch_file, &size);
  uint32_t    up;
  const double none = time_group(text, 0, 0, blocks, &up);
  printf("| patch | voices | keys held | voices awake | ns/block |\n");
  printf("|---|---:|---:|---:|---:|\n");
  printf("| without the group | - | - | - | %.0f |\n", none);
  static const uint32_t counts[] = {1, 8, 32};
  double                asleep[3];
  for (int k = 0; k < 3; ++k) {
    asleep[k] = time_group(text, counts[k], 0, blocks, &up);
    printf("| group, all asleep | %u | 0 | %u | %.0f |\n", counts[k], up, asleep[k]);
  }
  const double one = time_group(text, 1, 1, blocks, &up);
  printf("| group, one awake | 1 | 1 | %u | %.0f |\n", up, one);
  const double all = time_group(text, 32, 32, blocks, &up);
  printf("| group, all awake | 32 | 32 | %u | %.0f |\n", up, all);
  printf("\nThe group's fixed cost (allocator, mix; 1 voice asleep): %.0f ns/block. "
         "An idle voice: %.1f ns/block (slope from 1 to 32 asleep). "
         "An awake voice: %.0f ns/block (1 voice awake against asleep), "
         "%.0f ns/block (32 awake against 32 asleep, per voice).\n",
         asleep[0] - none, (asleep[2] - asleep[0]) / 31.0, one - asleep[0],
         (all - asleep[2]) / 32.0);
  free(text);
  return 0;
}

/* --- The voice count changed while keys are held --- */

static const uint32_t count_cycle[] = {8, 32, 4, 16};

#define EDIT_EVERY   200 // Blocks between count changes
#define FADE_BLOCKS  (ST_XFADE_FRAMES / ST_BLOCK)

/* Block times (begin + process) while the count of group "v" goes round
   count_cycle, one change every EDIT_EVERY blocks. */
static void
time_count_changes(const char* text, uint32_t edits)
{
  StHandle        v;
  StEngine*       e      = engine_with(text, 16, &v);
  const uint32_t  blocks = (edits + 1) * EDIT_EVERY;
  double*         steady = calloc(blocks, sizeof(double));
  double*         fade   = calloc(blocks, sizeof(double));
  double*         first  = calloc(edits, sizeof(double));
  double*         worst  = calloc(edits, sizeof(double));
  double*         edit   = calloc(edits, sizeof(double));
  uint32_t        n_steady = 0, n_fade = 0;
  hold(e, HELD);
  for (uint32_t b = 0; b < 4 * EDIT_EVERY; ++b) { // Past the probe rounds' first measurements
    block(e);
  }
  for (uint32_t b = 0; b < blocks; ++b) {
    const uint32_t k = b / EDIT_EVERY - 1, at = b % EDIT_EVERY;
    if (b >= EDIT_EVERY && at == 0) {
      const double c0 = now_ns();
      if (st_engine_set_param(e, v, ST_GROUP_COUNT, (float)count_cycle[k % 4])) {
        fprintf(stderr, "strata-bench-micro: count: %s\n", st_engine_error(e));
        exit(1);
      }
      edit[k] = now_ns() - c0;
    }
    const double t0 = now_ns();
    block(e);
    const double t = now_ns() - t0;
    if (b >= EDIT_EVERY && at < FADE_BLOCKS) {
      fade[n_fade++] = t;
      first[k]       = at == 0 ? t : first[k];
      worst[k]       = t > worst[k] ? t : worst[k];
    } else {
      steady[n_steady++] = t;
    }
  }
  qsort(steady, n_steady, sizeof(double), cmp_double);
  qsort(fade, n_fade, sizeof(double), cmp_double);
  qsort(first, edits, sizeof(double), cmp_double);
  qsort(worst, edits, sizeof(double), cmp_double);
  qsort(edit, edits, sizeof(double), cmp_double);
  const double med = steady[n_steady / 2];
  printf("| blocks | count | median ns | max ns | max/median of steady blocks |\n");
  printf("|---|---:|---:|---:|---:|\n");
  printf("| steady (no crossfade) | %u | %.0f | %.0f | %.2f |\n", n_steady, med,
         steady[n_steady - 1], steady[n_steady - 1] / med);
  printf("| in a crossfade (%u blocks after each change) | %u | %.0f | %.0f | %.2f |\n",
         FADE_BLOCKS, n_fade, fade[n_fade / 2], fade[n_fade - 1], fade[n_fade - 1] / med);
  printf("| first block after a change (the swap) | %u | %.0f | %.0f | %.2f |\n", edits,
         first[edits / 2], first[edits - 1], first[edits - 1] / med);
  printf("| worst block of each crossfade | %u | %.0f | %.0f | %.2f |\n", edits,
         worst[edits / 2], worst[edits - 1], worst[edits - 1] / med);
  printf("\nControl side: st_engine_set_param(count) rebuilds the running graph in "
         "%.0f us (median; max %.0f us) off the audio thread. %u changes "
         "(%u keys held; count 16, then %u, %u, %u, %u, ...), one every %u blocks.\n",
         edit[edits / 2] / 1e3, edit[edits - 1] / 1e3, edits, HELD, count_cycle[0],
         count_cycle[1], count_cycle[2], count_cycle[3], EDIT_EVERY);
  free(steady);
  free(fade);
  free(first);
  free(worst);
  free(edit);
  st_engine_free(e);
}

/* Each held key sounds a steady level: the output is LEVEL times the keys
   that have a voice, so FADE_KEYS keys in 32 voices, then in 4, move the
   output from 16 to 4 levels along the crossfade. */
#define FADE_KEYS 16
#define LEVEL 0.01f
static const char steady_voices[] =
  "subpatch steady\n"
  "  inlet gate\n"
  "  outlet out\n"
  "  node c const value=0.01\n"
  "  node a vca\n"
  "  link c.out -> a.in\n"
  "  link gate -> a.cv\n"
  "  link a.out -> out\n"
  "end\n"
  "voices v steady count=32\n"
  "link v.out -> out.left\n";

#define FADE_RECORD (4 * ST_XFADE_FRAMES)

/* Frames from the count change until the output reaches, and stays at, its
   new level; and the first frame that left the old level. */
static void
measure_fade(void)
{
  StHandle       v;
  StEngine*      e = engine_with(steady_voices, 32, &v);
  static float   rec[FADE_RECORD];
  hold(e, FADE_KEYS);
  for (int b = 0; b < 16; ++b) {
    block(e);
  }
  const float old_level = left[ST_BLOCK - 1];
  if (st_engine_set_param(e, v, ST_GROUP_COUNT, 4.0f)) {
    fprintf(stderr, "strata-bench-micro: count: %s\n", st_engine_error(e));
    exit(1);
  }
  for (uint32_t f = 0; f < FADE_RECORD; f += ST_BLOCK) {
    block(e);
    memcpy(rec + f, left, sizeof(left));
  }
  const float new_level = rec[FADE_RECORD - 1];
  uint32_t    start = FADE_RECORD, end = 0;
  for (uint32_t f = 0; f < FADE_RECORD; ++f) {
    if (start == FADE_RECORD && fabsf(rec[f] - old_level) > 1e-6f) {
      start = f;
    }
    if (fabsf(rec[f] - new_level) > 1e-6f) {
      end = f + 1;
    }
  }
  const float mid = rec[ST_XFADE_FRAMES / 2];
  printf("\nCrossfade, measured in the output (%u keys held on voices of a steady level "
         "%.2f each; count 32 -> 4 between two blocks): the output leaves %.4f at frame %u "
         "after the change, is %.4f at frame %u (linear: %.4f) and %.4f from frame %u on: "
         "the fade ends %u frames after the change (ST_XFADE_FRAMES = %u).\n",
         FADE_KEYS, (double)LEVEL, (double)old_level, start, (double)mid, ST_XFADE_FRAMES / 2,
         0.5 * ((double)old_level + (double)new_level), (double)new_level, end, end,
         ST_XFADE_FRAMES);
  st_engine_free(e);
}

int
micro_count(const char* patch_file, uint32_t edits)
{
  size_t size;
  char*  text = bench_slurp(patch_file, &size);
  time_count_changes(text, edits);
  measure_fade();
  free(text);
  return 0;
}
