/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE // syscall()

#include "conductor.h"

#include <sched.h>
#include <string.h>
#include <time.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* A hint to the core that this is a spin loop (frees the sibling hyper-thread). */
static inline void
relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

bool
st_conductor_supported(void)
{
#ifdef __linux__
  return true;
#else
  return false;
#endif
}

/* The futex calls work on the 32-bit word behind an atomic_uint (the same
   size and representation on every platform Linux runs on). */
static void
futex_wait(atomic_uint* word, unsigned expected)
{
#ifdef __linux__
  (void)syscall(SYS_futex, (unsigned*)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
#else
  (void)word;
  (void)expected;
#endif
}

static void
futex_wake(atomic_uint* word)
{
#ifdef __linux__
  (void)syscall(SYS_futex, (unsigned*)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#else
  (void)word;
#endif
}

static uint64_t
now_ns(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Waits until a job after `seen` is posted: spins ST_CONDUCTOR_SPIN_NS, then
   sleeps. `asleep` is set before the last look at `posted` and read by the
   poster after it bumps `posted` (both sequentially consistent): either the
   poster sees the flag and wakes the thread, or the thread sees the job. The
   futex itself refuses to sleep if `posted` moved in between. */
static unsigned
await_job(StConductor* c, unsigned seen)
{
  const uint64_t until = now_ns() + ST_CONDUCTOR_SPIN_NS;
  for (unsigned k = 1;; ++k) {
    const unsigned posted = atomic_load_explicit(&c->posted, memory_order_acquire);
    if (posted != seen) {
      return posted;
    }
    if (k % 64 == 0 && now_ns() > until) {
      break;
    }
    relax();
  }
  for (;;) {
    atomic_store(&c->asleep, 1u);
    const unsigned posted = atomic_load(&c->posted);
    if (posted != seen) {
      atomic_store(&c->asleep, 0u); // The load above was sequentially consistent: an acquire
      return posted;
    }
    futex_wait(&c->posted, seen);
  }
}

static void*
conduct(void* data)
{
  StConductor* c = data;
#ifdef __linux__
  // The name a user (and the host tests) see in top; the OpenMP workers
  // this thread starts inherit it.
  (void)pthread_setname_np(pthread_self(), ST_CONDUCTOR_NAME);
#endif
  if (c->sched.policy != SCHED_OTHER) {
    const struct sched_param param = {.sched_priority = c->sched.priority};
    c->sched_error                 = pthread_setschedparam(pthread_self(), c->sched.policy, &param);
  }
  unsigned seen = 0;
  for (;;) {
    seen = await_job(c, seen);
    if (atomic_load_explicit(&c->quit, memory_order_relaxed)) {
      break;
    }
    c->job(c->data);
    atomic_store_explicit(&c->done, seen, memory_order_release);
  }
  return NULL;
}

bool
st_conductor_start(StConductor* c, const StSchedPolicy* sched)
{
  memset(c, 0, sizeof(*c));
  c->sched   = *sched;
  c->started = st_conductor_supported() && pthread_create(&c->thread, NULL, conduct, c) == 0;
  return c->started;
}

static unsigned
post(StConductor* c, StConductorJob job, void* data)
{
  c->job               = job;
  c->data              = data;
  const unsigned ticket = atomic_load_explicit(&c->posted, memory_order_relaxed) + 1u;
  atomic_store(&c->posted, ticket);
  if (atomic_load(&c->asleep)) {
    futex_wake(&c->posted);
  }
  return ticket;
}

void
st_conductor_run(StConductor* c, StConductorJob job, void* data)
{
  const unsigned ticket = post(c, job, data);
  while (atomic_load_explicit(&c->done, memory_order_acquire) != ticket) {
    relax();
  }
}

void
st_conductor_call(StConductor* c, StConductorJob job, void* data)
{
  const unsigned ticket = post(c, job, data);
  while (atomic_load_explicit(&c->done, memory_order_acquire) != ticket) {
    const struct timespec pause = {0, 200000};
    nanosleep(&pause, NULL);
  }
}

static void
nothing(void* data)
{
  (void)data;
}

void
st_conductor_stop(StConductor* c)
{
  if (c->started) {
    atomic_store_explicit(&c->quit, true, memory_order_relaxed);
    (void)post(c, nothing, NULL);
    pthread_join(c->thread, NULL);
    c->started = false;
  }
}
