/* SPDX-License-Identifier: ISC */
/* Engine threads in a host's hands: run() called from four successive new
   threads and from two threads in turn, with 2 and 4 engine threads and
   every level parallel, makes no allocation, lock, wait, sleep or file call
   (trap.c) on the calling thread or any other, and renders the same samples
   bit for bit as one thread. When run() is no longer called, every thread
   the plugin started sleeps. The thread options (strata:threads, Ardour's
   concurrency and scheduling) are obeyed, and refused with a warning when
   malformed. */
#define _GNU_SOURCE // syscall()

#include "plugin_host.h"
#include "trap.h"

#include <check.h>
#include <lilv/lilv.h>
#include <linux/futex.h>
#include <lv2/options/options.h>

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLOCK      64
#define PER_THREAD 300  ///< Blocks each new thread runs
#define THREADS    4    ///< Successive new threads
#define FRAMES     (BLOCK * PER_THREAD * THREADS)

static void
rt_hook(bool entering)
{
  trap_arm(entering);
}

/* 24 oscillators into 24 filters, mixed by 6 then 2 mixers: every level is
   wide, and with a threshold of 1 ns every one goes parallel. */
static const char*
wide_patch(void)
{
  static char text[8192];
  size_t      used = 0;
  for (int i = 0; i < 24; ++i) {
    used += (size_t)snprintf(text + used, sizeof(text) - used,
                             "node o%d osc wave=saw freq=%d\nnode f%d svf cutoff=%d res=0.3\n"
                             "link o%d.out -> f%d.in\n",
                             i, 90 + 41 * i, i, 400 + 83 * i, i, i);
  }
  used += (size_t)snprintf(text + used, sizeof(text) - used, "node ml mixer\nnode mr mixer\n");
  for (int g = 0; g < 6; ++g) {
    used += (size_t)snprintf(text + used, sizeof(text) - used, "node m%d mixer\n", g);
    for (int k = 0; k < 4; ++k) {
      used += (size_t)snprintf(text + used, sizeof(text) - used, "link f%d.lp -> m%d.in%d\n",
                               g * 4 + k, g, k + 1);
    }
    used += (size_t)snprintf(text + used, sizeof(text) - used, "link m%d.out -> m%s.in%d\n", g,
                             g < 3 ? "l" : "r", g % 3 + 1);
  }
  snprintf(text + used, sizeof(text) - used, "link ml.out -> out.left\nlink mr.out -> out.right\n");
  return text;
}

/* An instance with `threads` engine threads (STRATA_THREADS) playing the
   wide patch, its first blocks rendered on this thread. */
static PhHost*
wide_host(const char* threads)
{
  setenv("STRATA_THREADS", threads, 1);
  setenv("STRATA_PARALLEL_THRESHOLD", "1", 1);
  PhHost* host = ph_new(NULL);
  unsetenv("STRATA_THREADS");
  unsetenv("STRATA_PARALLEL_THRESHOLD");
  ck_assert_ptr_nonnull(host);
  ph_msg_replace(host, 0, wide_patch());
  ph_render(host, 32 * BLOCK, BLOCK, NULL, NULL); // Past the crossfade from the default patch
  ck_assert(ph_is_ack(ph_reply(host, 0)));
  ph_clear_replies(host);
  return host;
}

/* The test's own threads hand over by futex, called directly: the trap
   counts the C library's waits and joins on every thread while one is
   armed, and they are not the plugin's. */
static void
await_change(atomic_uint* word, unsigned from)
{
  while (atomic_load(word) == from) {
    syscall(SYS_futex, (unsigned*)word, FUTEX_WAIT_PRIVATE, from, NULL, NULL, 0);
  }
}

static void
bump(atomic_uint* word)
{
  atomic_fetch_add(word, 1);
  syscall(SYS_futex, (unsigned*)word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
}

/* --- run() from new threads --- */

typedef struct {
  PhHost*     host;
  float*      left;
  float*      right;
  atomic_uint done;
} Slice;

static void*
render_slice(void* data)
{
  Slice* s = data;
  ph_render(s->host, BLOCK * PER_THREAD, BLOCK, s->left, s->right);
  bump(&s->done);
  return NULL;
}

/* Renders FRAMES frames, each quarter on a thread created for it (and
   joined once it has rendered). */
static void
render_on_new_threads(PhHost* host, float* left, float* right)
{
  for (int t = 0; t < THREADS; ++t) {
    Slice     s = {host, left + t * BLOCK * PER_THREAD, right + t * BLOCK * PER_THREAD, 0};
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, render_slice, &s), 0);
    await_change(&s.done, 0);
    ck_assert_int_eq(pthread_join(thread, NULL), 0);
  }
}

/* --- run() from two threads in turn --- */

typedef struct {
  PhHost*     host;
  float*      left;
  float*      right;
  atomic_uint turn;  ///< Block to run next; thread k runs the blocks of parity k; 1 + blocks = over
  atomic_uint done;  ///< Threads finished
} Turns;

typedef struct {
  Turns*   turns;
  unsigned parity;
} Player;

static void*
play_turns(void* data)
{
  const Player*  me     = data;
  Turns*         t      = me->turns;
  const unsigned blocks = FRAMES / BLOCK;
  for (unsigned b = me->parity + 1; b <= blocks; b += 2) { // turn 0: both are ready
    for (unsigned now; (now = atomic_load(&t->turn)) != b;) {
      await_change(&t->turn, now);
    }
    ph_render(t->host, BLOCK, BLOCK, t->left + (b - 1) * BLOCK, t->right + (b - 1) * BLOCK);
    bump(&t->turn);
  }
  bump(&t->done);
  for (unsigned now; (now = atomic_load(&t->done)) < 2;) { // Ends when neither renders
    await_change(&t->done, now);
  }
  return NULL;
}

static void
render_in_turns(PhHost* host, float* left, float* right)
{
  Turns     t          = {host, left, right, 0, 0};
  Player    players[2] = {{&t, 0}, {&t, 1}};
  pthread_t threads[2];
  for (int k = 0; k < 2; ++k) {
    ck_assert_int_eq(pthread_create(&threads[k], NULL, play_turns, &players[k]), 0);
  }
  bump(&t.turn); // Both exist: the first block may start.
  for (unsigned now; (now = atomic_load(&t.done)) < 2;) {
    await_change(&t.done, now);
  }
  for (int k = 0; k < 2; ++k) {
    ck_assert_int_eq(pthread_join(threads[k], NULL), 0);
  }
}

/* --- Checks --- */

static void
expect_no_forbidden_calls(const char* what)
{
  char calls[2048];
  trap_describe(calls, sizeof(calls));
  printf("%s: forbidden calls: %s\n", what, calls);
  ck_assert_msg(trap_count() == 0, "%s: forbidden calls on the calling thread: %s", what, calls);
  ck_assert_msg(trap_count_other() == 0, "%s: forbidden calls on other threads: %s", what, calls);
}

typedef void (*Renderer)(PhHost* host, float* left, float* right);

/* Renders the wide patch with `threads` from the threads `render` makes,
   trapped, and against one thread on this one, bit for bit. */
static void
expect_clean_and_identical(const char* threads, Renderer render, const char* what)
{
  float*  left   = calloc(FRAMES, sizeof(float));
  float*  right  = calloc(FRAMES, sizeof(float));
  float*  left1  = calloc(FRAMES, sizeof(float));
  float*  right1 = calloc(FRAMES, sizeof(float));
  PhHost* one    = wide_host("1");
  ph_render(one, FRAMES, BLOCK, left1, right1);
  ph_free(one);

  PhHost*                  host = wide_host(threads);
  const unsigned long long cpu  = trap_other_threads_cpu_ns();
  trap_reset();
  ph_set_rt_hook(rt_hook);
  render(host, left, right);
  ph_set_rt_hook(NULL);
  char label[128];
  snprintf(label, sizeof(label), "%s, %s engine threads", what, threads);
  printf("%s: other threads ran %.1f ms of CPU\n", label,
         (double)(trap_other_threads_cpu_ns() - cpu) / 1e6);
  expect_no_forbidden_calls(label);
  ck_assert_msg(ph_rms(left, FRAMES) > 0.01f, "%s: silence", label);
  ck_assert_msg(!memcmp(left, left1, FRAMES * sizeof(float)) &&
                  !memcmp(right, right1, FRAMES * sizeof(float)),
                "%s: the output differs from one thread's", label);
  ph_free(host);
  free(left);
  free(right);
  free(left1);
  free(right1);
}

START_TEST(test_new_threads_2)
{
  expect_clean_and_identical("2", render_on_new_threads, "run() from 4 new threads");
}
END_TEST

START_TEST(test_new_threads_4)
{
  expect_clean_and_identical("4", render_on_new_threads, "run() from 4 new threads");
}
END_TEST

START_TEST(test_alternating_2)
{
  expect_clean_and_identical("2", render_in_turns, "run() from 2 threads in turn");
}
END_TEST

START_TEST(test_alternating_4)
{
  expect_clean_and_identical("4", render_in_turns, "run() from 2 threads in turn");
}
END_TEST

/* --- Idle --- */

/* The state letter ('R', 'S', ...) and CPU ns of every thread but this one. */
typedef struct {
  unsigned           n;
  char               state[64];
  unsigned long long cpu_ns[64];
} Tasks;

static void
read_tasks(Tasks* t)
{
  const long self = syscall(SYS_gettid);
  DIR*       dir  = opendir("/proc/self/task");
  t->n            = 0;
  for (struct dirent* e; dir && (e = readdir(dir)) && t->n < 64;) {
    if (e->d_name[0] == '.' || atol(e->d_name) == self) {
      continue;
    }
    char path[300];
    char line[1024] = "";
    snprintf(path, sizeof(path), "/proc/self/task/%s/stat", e->d_name);
    FILE* f = fopen(path, "r");
    if (!f) {
      continue; // The thread ended.
    }
    const bool got = fgets(line, sizeof(line), f) != NULL;
    fclose(f);
    const char* close = strrchr(line, ')');
    if (!got || !close) {
      continue;
    }
    t->state[t->n] = close[2];
    snprintf(path, sizeof(path), "/proc/self/task/%s/schedstat", e->d_name);
    t->cpu_ns[t->n] = 0;
    if ((f = fopen(path, "r"))) {
      if (fscanf(f, "%llu", &t->cpu_ns[t->n]) != 1) {
        t->cpu_ns[t->n] = 0;
      }
      fclose(f);
    }
    ++t->n;
  }
  if (dir) {
    closedir(dir);
  }
}

static bool
all_asleep(const Tasks* t)
{
  for (unsigned k = 0; k < t->n; ++k) {
    if (t->state[k] == 'R') {
      return false;
    }
  }
  return true;
}

static unsigned long long
total_cpu(const Tasks* t)
{
  unsigned long long ns = 0;
  for (unsigned k = 0; k < t->n; ++k) {
    ns += t->cpu_ns[k];
  }
  return ns;
}

static void
pause_ms(long ms)
{
  const struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&t, NULL);
}

/* After run() stops, the conductor and the OpenMP workers sleep: every other
   thread is found asleep (polled for up to 30 s, however slow the machine),
   and their CPU over a quiet second is printed. */
START_TEST(test_idle_threads_sleep)
{
  PhHost* host = wide_host("2");
  ph_render(host, 200 * BLOCK, BLOCK, NULL, NULL);
  Tasks before;
  read_tasks(&before);
  ck_assert_uint_ge(before.n, 2); // The conductor and one OpenMP worker
  Tasks now   = before;
  int   waited = 0;
  for (; waited < 30000 && !all_asleep(&now); waited += 2) {
    pause_ms(2);
    read_tasks(&now);
  }
  ck_assert_msg(all_asleep(&now), "a thread of the plugin still runs without a block to play");
  printf("idle: every thread asleep %d ms (in 2 ms steps) after the last run()\n", waited);
  Tasks later;
  pause_ms(1000);
  read_tasks(&later);
  printf("idle: %u threads besides the host's, all asleep; %.3f ms of CPU over a quiet second\n",
         later.n, (double)(total_cpu(&later) - total_cpu(&now)) / 1e6);
  ck_assert_msg(all_asleep(&later), "a thread of the plugin woke up without a block to play");
  // And it plays again after its rest.
  float left[BLOCK];
  float right[BLOCK];
  ph_render(host, BLOCK, BLOCK, left, right);
  ck_assert(ph_rms(left, BLOCK) > 0.0f);
  ph_free(host);
}
END_TEST

/* --- Options --- */

typedef struct {
  float                  rate;
  int32_t                value;
  LV2_Options_Option     options[4];
  LV2_Feature            feature;
  PhConfig               config;
} Options;

/* The host's options: the sample rate and up to two more (key, type, size). */
static const PhConfig*
options(Options* o, const char* key, LV2_URID type, uint32_t size, int32_t value,
        const char* key2, int32_t value2)
{
  static int32_t second;
  o->rate       = 48000.0f;
  o->value      = value;
  second        = value2;
  const LV2_URID Float = ph_urid(LV2_ATOM__Float);
  const LV2_URID Int   = ph_urid(LV2_ATOM__Int);
  o->options[0] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                       ph_urid(LV2_PARAMETERS__sampleRate), sizeof(float), Float,
                                       &o->rate};
  o->options[1] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, ph_urid(key), size, type,
                                       &o->value};
  o->options[2] = key2 ? (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, ph_urid(key2),
                                              sizeof(int32_t), Int, &second}
                       : (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  o->options[3] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  o->feature    = (LV2_Feature){LV2_OPTIONS__options, o->options};
  o->config     = (PhConfig){.no_options = true, .extra_feature = &o->feature};
  return &o->config;
}

/* Threads the instance started: the conductor and its OpenMP workers, by
   the name the trap watches (counted once those of an instance freed
   before have ended). `env`: STRATA_THREADS for it, or NULL for none. */
static unsigned
threads_started_with(const PhConfig* config, const char* env, PhHost** out)
{
  unsetenv("STRATA_THREADS");
  for (int tries = 0; tries < 1000 && trap_engine_thread_count() > 0; ++tries) {
    pause_ms(10);
  }
  if (env) {
    setenv("STRATA_THREADS", env, 1);
  }
  PhHost* host = ph_new(config);
  unsetenv("STRATA_THREADS");
  ck_assert_ptr_nonnull(host);
  const unsigned n = trap_engine_thread_count();
  if (out) {
    *out = host;
  } else {
    ph_free(host);
  }
  return n;
}

static unsigned
threads_started(const PhConfig* config, PhHost** out)
{
  return threads_started_with(config, NULL, out);
}

START_TEST(test_option_threads)
{
  Options o;
  const LV2_URID Int = ph_urid(LV2_ATOM__Int);
  ck_assert_uint_eq(threads_started(options(&o, STRATA__threads, Int, 4, 3, NULL, 0), NULL), 3);
  ck_assert_uint_eq(threads_started(options(&o, STRATA__threads, Int, 4, 1, NULL, 0), NULL), 0);
  // Ardour's concurrency: half of it, the rest left to the host's threads.
  ck_assert_uint_eq(
    threads_started(options(&o, ARDOUR_THREADS__concurrency, Int, 4, 5, NULL, 0), NULL), 2);
  ck_assert_uint_eq(
    threads_started(options(&o, ARDOUR_THREADS__concurrency, Int, 4, 3, NULL, 0), NULL), 0);
  ck_assert_uint_eq(
    threads_started(options(&o, ARDOUR_THREADS__concurrency, Int, 4, 64, NULL, 0), NULL), 4);
  // The instance's own count wins over the host's.
  ck_assert_uint_eq(threads_started(options(&o, ARDOUR_THREADS__concurrency, Int, 4, 8,
                                            STRATA__threads, 2),
                                    NULL),
                    2);
  // STRATA_THREADS wins over both.
  ck_assert_uint_eq(
    threads_started_with(options(&o, STRATA__threads, Int, 4, 3, NULL, 0), "1", NULL), 0);
  ck_assert_uint_eq(
    threads_started_with(options(&o, STRATA__threads, Int, 4, 3, NULL, 0), "2", NULL), 2);
}
END_TEST

/* A malformed option: a warning naming it, and the default (on fewer than
   four cores: no engine thread). */
static void
expect_refused(const char* key, LV2_URID type, uint32_t size, int32_t value, const char* text)
{
  Options  o;
  PhHost*  host = NULL;
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  const unsigned n = threads_started(options(&o, key, type, size, value, NULL, 0), &host);
  const char* log  = ph_last_log(host);
  ck_assert_msg(log && strstr(log, key) && strstr(log, text), "%s: log '%s'", key,
                log ? log : "(none)");
  if (cores < 4 && !strstr(key, "sched")) {
    ck_assert_uint_eq(n, 0);
  }
  ph_free(host);
}

START_TEST(test_option_refused)
{
  const LV2_URID Int   = ph_urid(LV2_ATOM__Int);
  const LV2_URID Float = ph_urid(LV2_ATOM__Float);
  expect_refused(STRATA__threads, Float, 4, 3, "not an atom:Int of 1..64");
  expect_refused(STRATA__threads, Int, 8, 3, "not an atom:Int of 1..64");
  expect_refused(STRATA__threads, Int, 4, 0, "not an atom:Int of 1..64");
  expect_refused(STRATA__threads, Int, 4, 65, "not an atom:Int of 1..64");
  expect_refused(ARDOUR_THREADS__concurrency, Int, 4, -2, "not an atom:Int of 1..4096");
  expect_refused(ARDOUR_THREADS__concurrency, Float, 4, 4, "not an atom:Int of 1..4096");
  expect_refused(ARDOUR_THREADS__schedPolicy, Int, 4, 77, "naming SCHED_OTHER, SCHED_FIFO");
  expect_refused(ARDOUR_THREADS__schedPriority, Int, 2, 10, "not an atom:Int of 0..99");
}
END_TEST

/* The policy and real-time priority of a thread (/proc's stat fields 40, 41). */
static void
thread_sched(const char* tid, int* priority, int* policy)
{
  char path[300];
  char line[1024] = "";
  snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
  FILE* f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
  fclose(f);
  const char* p = strrchr(line, ')') + 2; // Field 3
  for (int field = 3; field < 40; ++field) {
    p = strchr(p, ' ') + 1;
  }
  ck_assert_int_eq(sscanf(p, "%d %d", priority, policy), 2);
}

/* The host's real-time scheduling reaches the conductor and the OpenMP
   workers it started, or the refusal is logged. */
START_TEST(test_option_sched)
{
  Options        o;
  const LV2_URID Int = ph_urid(LV2_ATOM__Int);
  const pid_t    pid = getpid();
  PhHost*        host = NULL;
  // A policy without a priority is refused: the default scheduling.
  (void)threads_started(
    options(&o, STRATA__threads, Int, 4, 3, ARDOUR_THREADS__schedPolicy, SCHED_FIFO), &host);
  const char* refusal = ph_last_log(host);
  ck_assert_msg(refusal && strstr(refusal, "-1 is outside"), "log '%s'",
                refusal ? refusal : "(none)");
  ph_free(host);
  // Policy and priority, as Ardour gives them.
  Options two;
  options(&two, STRATA__threads, Int, 4, 3, ARDOUR_THREADS__schedPolicy, SCHED_FIFO);
  LV2_Options_Option all[5] = {two.options[0], two.options[1], two.options[2]};
  const int32_t      prio   = 7;
  all[3] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, ph_urid(ARDOUR_THREADS__schedPriority),
                                sizeof(int32_t), Int, &prio};
  all[4] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  two.feature.data = all;
  Tasks before;
  read_tasks(&before);
  host = ph_new(&two.config);
  ck_assert_ptr_nonnull(host);
  const char* log = ph_last_log(host);
  if (log && strstr(log, "refused")) {
    printf("real-time scheduling refused here: %s", log);
  } else {
    unsigned       fifo = 0;
    DIR*           dir  = opendir("/proc/self/task");
    for (struct dirent* e; dir && (e = readdir(dir));) {
      int priority = 0, policy = 0;
      if (e->d_name[0] != '.' && atol(e->d_name) != pid) {
        thread_sched(e->d_name, &priority, &policy);
        fifo += policy == SCHED_FIFO && priority == prio;
      }
    }
    closedir(dir);
    printf("threads at SCHED_FIFO %d: %u\n", prio, fifo);
    ck_assert_uint_eq(fifo, 3); // The conductor and its two workers
  }
  ph_free(host);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("rt_threads");
  TCase* t = tcase_create("threads");
  tcase_set_timeout(t, 600);
  tcase_add_test(t, test_option_threads);
  tcase_add_test(t, test_option_refused);
  tcase_add_test(t, test_option_sched);
  tcase_add_test(t, test_new_threads_2);
  tcase_add_test(t, test_new_threads_4);
  tcase_add_test(t, test_alternating_2);
  tcase_add_test(t, test_alternating_4);
  tcase_add_test(t, test_idle_threads_sleep);
  suite_add_tcase(s, t);
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
