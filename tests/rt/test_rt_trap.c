/* SPDX-License-Identifier: ISC */
/* The real-time trap (trap.c) around the plugin's audio-thread calls:
   100 000 blocks of 64 frames with random valid and invalid edits, macro
   automation, MIDI storms and state restores through the worker must make
   no allocation, lock, wait, sleep or file call in run() (nor in
   work_response() and end_run(), which hosts call on the audio thread).
   Then the same with parallel levels (STRATA_THREADS), run() on the
   instantiating thread, and from a thread that has no OpenMP team: the
   plugin's own thread enters the parallel regions (plugin/conductor.h).
   tests/rt/test_rt_threads.c calls run() from many threads. */
#include "edits.h"
#include "inline_display.h"
#include "trap.h"

#include <check.h>
#include <lilv/lilv.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK  64
#define BLOCKS 100000

/* Voluntary context switches of the audio thread inside the trapped calls:
   each is a time the thread blocked (a futex wait, I/O). */
static long rt_voluntary;
static long rt_mark;

static void
rt_hook(bool entering)
{
  if (entering) {
    rt_mark = trap_voluntary_switches();
    trap_arm(true);
  } else {
    trap_arm(false);
    rt_voluntary += trap_voluntary_switches() - rt_mark;
  }
}

/* A preset-like state whose patch text is garbage: restore() refuses it. */
static LilvState*
garbage_state(void)
{
  static const char ttl[] =
    "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
    "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
    "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
    "<urn:strata:test:garbage> a pset:Preset ;\n"
    "  lv2:appliesTo <" STRATA_URI "> ;\n"
    "  state:state [ <" STRATA__patch "> \"node x nonsense\\nlink ->\\n\" ] .\n";
  return lilv_state_new_from_string(ph_world(), ph_map(), ttl);
}

typedef struct {
  uint64_t blocks;
  uint64_t midi;
  uint64_t restores;
  uint64_t bad_restores;
} Drive;

/* A storm of MIDI: notes, controllers, bends, clock, in frame order. */
static uint64_t
midi_storm(PhHost* host, SkRng* rng)
{
  const uint32_t n = 16 + sk_below(rng, 240);
  for (uint32_t i = 0; i < n; ++i) {
    static const uint8_t kinds[] = {0x90, 0x80, 0xB0, 0xE0, 0xD0, 0xA0, 0xC0};
    ph_midi(host, i * BLOCK / n, (uint8_t)(kinds[sk_below(rng, 7)] | sk_below(rng, 16)),
            (uint8_t)sk_below(rng, 128), (uint8_t)sk_below(rng, 128));
  }
  return n;
}

static void
drive(PhHost* host, SkDriver* driver, SkRng* rng, uint64_t blocks, bool edits, Drive* d)
{
  LilvState* bad = garbage_state();
  ck_assert_ptr_nonnull(bad);
  for (uint64_t b = 0; b < blocks; ++b) {
    sk_driver_before(driver, edits && sk_below(rng, 2) == 0);
    if (sk_below(rng, 16) == 0) {
      d->midi += midi_storm(host, rng);
    }
    for (uint32_t m = 0; m < PH_MACROS; ++m) { // Automation on every lane
      if (sk_below(rng, 4) == 0) {
        ph_set_macro(host, m, sk_unit(rng));
      }
    }
    ph_run(host, BLOCK);
    sk_driver_after(driver);
    if (b % 2500 == 1250 && sk_driver_idle(driver)) {
      LilvState* state = ph_save(host); // Off the audio thread, as a host does
      ph_restore(host, state, true);    // through the worker
      lilv_state_free(state);
      ++d->restores;
    } else if (b % 5000 == 2000) {
      ph_restore(host, bad, sk_below(rng, 2) == 0);
      ++d->bad_restores;
    }
    ++d->blocks;
  }
  lilv_state_free(bad);
}

static void
expect_clean(const char* what, const Drive* d, const SkDriver* driver)
{
  char calls[2048];
  trap_describe(calls, sizeof(calls));
  const SkStats* st = sk_driver_stats(driver);
  printf("%s: %llu blocks of %d frames, %llu edits (%llu acked, %llu refused, %llu malformed), "
         "%llu MIDI events, %llu state restores + %llu refused; forbidden calls: %s; "
         "voluntary context switches in run(): %ld\n",
         what, (unsigned long long)d->blocks, BLOCK, (unsigned long long)st->sent,
         (unsigned long long)st->acked, (unsigned long long)st->refused,
         (unsigned long long)st->anonymous_sent, (unsigned long long)d->midi,
         (unsigned long long)d->restores, (unsigned long long)d->bad_restores, calls,
         rt_voluntary);
  ck_assert_msg(trap_count() == 0, "%s: forbidden calls on the audio thread: %s", what, calls);
  ck_assert_msg(trap_count_other() == 0, "%s: forbidden calls on other threads during run(): %s",
                what, calls);
  ck_assert_uint_eq(st->contradictions, 0);
  ck_assert_uint_eq(st->duplicates, 0);
}

/* The trap counts what it should: allocation and locks on the armed thread. */
START_TEST(test_trap_catches)
{
  trap_reset();
  trap_arm(true);
  void* volatile p = malloc(64);
  free(p);
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  trap_arm(false);
  ck_assert(trap_allocation_hooked());
  ck_assert_uint_ge(trap_count(), 3);
}
END_TEST

/* work() itself allocates: arming the trap around it proves the
   interposition reaches the plugin's code. */
START_TEST(test_trap_sees_plugin)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  ph_run(host, BLOCK);
  ph_msg_replace(host, 1, "node a osc\nlink a.out -> out.left\n");
  // Let run() hand the message over, but keep the worker for later.
  trap_reset();
  trap_arm(true);
  ph_run(host, BLOCK); // run() + work() + work_response(), all armed here
  trap_arm(false);
  char calls[2048];
  trap_describe(calls, sizeof(calls));
  printf("work() armed: %s\n", calls);
  ck_assert_msg(trap_count() > 0, "the trap saw nothing from work()");
  ph_free(host);
}
END_TEST

START_TEST(test_sequential)
{
  SkRng       rng    = {42};
  SkModel*    model  = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, 48000);
  const SkMix mix    = {.garbage = true, .big_patches = false, .patch_files = true};
  PhHost*     host   = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  char* start = sk_random_patch(&rng, 16);
  ph_msg_replace(host, 0, start);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 0)));
  ck_assert(sk_model_load(model, start));
  free(start);
  ph_clear_replies(host);

  SkDriver* driver = sk_driver_new(host, model, &rng, &mix, BLOCKS);
  Drive     d      = {0};
  trap_reset();
  rt_voluntary = 0;
  ph_set_rt_hook(rt_hook);
  drive(host, driver, &rng, BLOCKS, true, &d);
  ph_set_rt_hook(NULL);
  expect_clean("sequential", &d, driver);
  ck_assert_uint_ge(sk_driver_stats(driver)->sent, 20000);
  sk_driver_free(driver);
  sk_model_free(model);
  ph_free(host);
}
END_TEST

/* A patch with wide, heavy levels: 32 oscillators, 32 filters, mixed down
   by 8 then 2 mixers into left and right. */
static char*
wide_patch(void)
{
  const size_t cap  = 16384;
  char*        text = malloc(cap);
  size_t       used = 0;
  ck_assert_ptr_nonnull(text);
  for (int i = 0; i < 32; ++i) {
    used += (size_t)snprintf(text + used, cap - used,
                             "node o%d osc wave=saw freq=%d\nnode f%d svf cutoff=%d\n"
                             "link o%d.out -> f%d.in\n",
                             i, 100 + 37 * i, i, 300 + 91 * i, i, i);
  }
  used += (size_t)snprintf(text + used, cap - used, "node ml mixer\nnode mr mixer\n");
  for (int g = 0; g < 8; ++g) {
    used += (size_t)snprintf(text + used, cap - used, "node m%d mixer\n", g);
    for (int k = 0; k < 4; ++k) {
      used += (size_t)snprintf(text + used, cap - used, "link f%d.lp -> m%d.in%d\n", g * 4 + k,
                               g, k + 1);
    }
    used += (size_t)snprintf(text + used, cap - used, "link m%d.out -> m%s.in%d\n", g,
                             g < 4 ? "l" : "r", g % 4 + 1);
  }
  snprintf(text + used, cap - used, "link ml.out -> out.left\nlink mr.out -> out.right\n");
  return text;
}

/* Parallel levels with run() on the instantiating thread (whose OpenMP
   team the engine warmed up): nothing forbidden, and the workers did run. */
static void
parallel(const char* threads)
{
  setenv("STRATA_THREADS", threads, 1);
  setenv("STRATA_PARALLEL_THRESHOLD", "1000", 1); // Every level of the wide patch goes parallel
  const unsigned before = trap_thread_count();
  PhHost*        host   = ph_new(NULL);
  unsetenv("STRATA_THREADS");
  unsetenv("STRATA_PARALLEL_THRESHOLD");
  ck_assert_ptr_nonnull(host);
  const unsigned after = trap_thread_count();
  char*          text  = wide_patch();
  ph_msg_replace(host, 0, text);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  ck_assert_msg(ph_is_ack(ph_reply(host, 0)), "wide patch: %s",
                ph_reply(host, 0) ? ph_reply(host, 0)->message : "no reply");
  ph_clear_replies(host);
  SkRng    rng   = {7};
  SkModel* model = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, 48000);
  ck_assert(sk_model_load(model, text));
  free(text);
  // Parameter, map and macro edits keep the wide patch while exercising edits.
  const SkMix mix    = {.garbage = true};
  SkDriver*   driver = sk_driver_new(host, model, &rng, &mix, 0);
  Drive       d      = {0};
  const unsigned long long cpu = trap_other_threads_cpu_ns();
  trap_reset();
  rt_voluntary = 0;
  ph_set_rt_hook(rt_hook);
  // 8000 blocks: on 2 cores a team of 2 and the spinning host thread want
  // three, and each block waits for the scheduler to hand out a core.
  drive(host, driver, &rng, 8000, false, &d);
  ph_set_rt_hook(NULL);
  const unsigned long long worked = trap_other_threads_cpu_ns() - cpu;
  char what[64];
  snprintf(what, sizeof(what), "parallel, STRATA_THREADS=%s", threads);
  printf("%s: threads %u before instantiate, %u after; OpenMP workers ran %.1f ms of CPU\n", what,
         before, after, (double)worked / 1e6);
  expect_clean(what, &d, driver);
  ck_assert_msg(after > before, "no OpenMP team was started");
  ck_assert_msg(worked > 0, "the OpenMP workers never ran: no level went parallel");
  sk_driver_free(driver);
  sk_model_free(model);
  ph_free(host);
}

START_TEST(test_parallel_2)
{
  parallel("2");
}
END_TEST

START_TEST(test_parallel_4)
{
  parallel("4");
}
END_TEST

/* run() from a thread that never entered an OpenMP region: without the
   conductor libgomp would build that thread's team at the first parallel
   level (allocations, thread creation). With it, the first block is as
   clean as the next 2000 (docs/robustness.md, "OpenMP in run()"). */
typedef struct {
  PhHost*  host;
  uint64_t first;
  uint64_t rest;
  char     calls[2048];
} OtherThread;

static void*
other_thread(void* data)
{
  OtherThread* t = data;
  trap_reset();
  ph_set_rt_hook(rt_hook);
  ph_run(t->host, BLOCK);
  trap_describe(t->calls, sizeof(t->calls));
  t->first = trap_count();
  trap_reset();
  for (int b = 0; b < 2000; ++b) {
    ph_run(t->host, BLOCK);
  }
  t->rest = trap_count();
  ph_set_rt_hook(NULL);
  return NULL;
}

START_TEST(test_parallel_other_thread)
{
  setenv("STRATA_THREADS", "2", 1);
  setenv("STRATA_PARALLEL_THRESHOLD", "1000", 1);
  PhHost* host = ph_new(NULL);
  unsetenv("STRATA_THREADS");
  unsetenv("STRATA_PARALLEL_THRESHOLD");
  ck_assert_ptr_nonnull(host);
  char* text = wide_patch();
  ph_msg_replace(host, 0, text);
  free(text);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 0)));
  OtherThread t = {host, 0, 0, ""};
  pthread_t   thread;
  pthread_create(&thread, NULL, other_thread, &t);
  pthread_join(thread, NULL);
  printf("run() first called from a new thread with STRATA_THREADS=2: first block %llu "
         "forbidden calls (%s), next 2000 blocks %llu\n",
         (unsigned long long)t.first, t.calls, (unsigned long long)t.rest);
  ck_assert_msg(t.first == 0, "first block from a new thread: %s", t.calls);
  ck_assert_uint_eq(t.rest, 0);
  ph_free(host);
}
END_TEST

/* What an open patch editor asks for, without a sequence number: levels
   (as its keep-alive every 2 s does) and a probe. */
static void
watch(PhHost* host, const char* probe)
{
  const char* props[] = {STRATA__monitor, STRATA__probe};
  for (int k = 0; k < 2; ++k) {
    LV2_Atom_Forge*      f = ph_build(host);
    LV2_Atom_Forge_Frame frame;
    lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
    lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
    lv2_atom_forge_urid(f, ph_urid(props[k]));
    lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
    if (k == 0) {
      lv2_atom_forge_bool(f, true);
    } else {
      lv2_atom_forge_string(f, probe, (uint32_t)strlen(probe));
    }
    lv2_atom_forge_pop(f, &frame);
    ph_send_built(host, 0);
  }
}

static unsigned long redraws;

static void
count_redraw(void* handle)
{
  (void)handle;
  ++redraws;
}

/* Level reports and a probe on, with random edits (that may remove the
   probed node), macro automation, MIDI and restores, and the host's inline
   display asking for redraws: still nothing forbidden in run(). */
START_TEST(test_watched)
{
  static StInlineQueue     queue   = {NULL, count_redraw};
  static const LV2_Feature feature = {ST_INLINEDISPLAY__queue_draw, &queue};
  const PhConfig           config  = {.extra_feature = &feature};
  PhHost*                  host    = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  char* text = wide_patch();
  ph_msg_replace(host, 0, text);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 0)));
  ph_clear_replies(host);
  SkRng    rng   = {11};
  SkModel* model = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, 48000);
  ck_assert(sk_model_load(model, text));
  free(text);
  const SkMix mix    = {.garbage = true};
  SkDriver*   driver = sk_driver_new(host, model, &rng, &mix, 15000);
  Drive       d      = {0};
  ph_msg_get(host, -1); // The level order an editor's mirror knows
  trap_reset();
  rt_voluntary = 0;
  ph_set_rt_hook(rt_hook);
  for (int round = 0; round < 10; ++round) {
    // The editor's requests go when no edit is in flight: the driver counts
    // answers without a sequence number against its own.
    drive(host, driver, &rng, 50, false, &d);
    watch(host, round % 2 ? "o5.out" : "f3.lp");
    drive(host, driver, &rng, 50, false, &d);
    drive(host, driver, &rng, 1500, true, &d);
  }
  ph_set_rt_hook(NULL);
  expect_clean("watched by an editor", &d, driver);
  ph_msg_add(host, -1, "watched", "osc", 0, NULL, NULL); // A node the random edits never saw
  watch(host, "watched.out");
  uint32_t levels = 0, scopes = 0;
  for (int b = 0; b < 200; ++b) {
    ph_run(host, BLOCK);
    for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
      levels += ph_reply_at(host, i)->type == ph_urid(STRATA__Levels);
      scopes += ph_reply_at(host, i)->type == ph_urid(STRATA__Scope);
    }
    ph_clear_replies(host);
  }
  ck_assert_uint_gt(levels, 0);
  ck_assert_uint_gt(scopes, 0);
  ck_assert_uint_gt(redraws, 0);
  sk_driver_free(driver);
  sk_model_free(model);
  ph_free(host);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("rt_trap");
  TCase* t = tcase_create("trap");
  tcase_set_timeout(t, 600);
  tcase_add_test(t, test_trap_catches);
  tcase_add_test(t, test_trap_sees_plugin);
  tcase_add_test(t, test_sequential);
  tcase_add_test(t, test_watched);
  tcase_add_test(t, test_parallel_2);
  tcase_add_test(t, test_parallel_4);
  tcase_add_test(t, test_parallel_other_thread);
  suite_add_tcase(s, t);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
