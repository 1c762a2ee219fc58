/* SPDX-License-Identifier: ISC */
/* The conductor: a thread the plugin owns and the only one that enters the
   engine's OpenMP parallel regions. libgomp builds a thread team (it
   allocates and creates threads) for each thread the first time it enters a
   region; hosts call run() from threads of their own, new ones or several in
   turn. So run() hands the block to the conductor, whose team was built at
   instantiate, and waits for it by spinning on an atomic: no allocation, lock
   or blocking call on the host's thread, whichever it is.

   Between blocks the conductor spins for a short while (a block that follows
   at once is taken without a wake-up), then sleeps on a futex; run() wakes it
   with FUTEX_WAKE, a system call that never blocks the caller. */
#ifndef ST_CONDUCTOR_H
#define ST_CONDUCTOR_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* How long the conductor spins for the next block before it sleeps, in ns:
   longer than the gap between sub-blocks and back-to-back calls (offline
   renders, several plugins on one host thread), far shorter than a host
   period, so a stopped or idle host costs no CPU after it. */
#define ST_CONDUCTOR_SPIN_NS 100000

/* The name of the conductor and of its OpenMP workers (15 bytes at most). */
#define ST_CONDUCTOR_NAME "strata-engine"

/* What the conductor runs: one block, or a set-up step. */
typedef void (*StConductorJob)(void* data);

/* The scheduling the conductor (and the OpenMP workers it starts, which
   inherit it) asks for; policy SCHED_OTHER keeps the creating thread's. */
typedef struct {
  int policy;    ///< SCHED_OTHER, SCHED_FIFO or SCHED_RR
  int priority;  ///< Within sched_get_priority_min/max(policy)
} StSchedPolicy;

typedef struct {
  pthread_t      thread;
  bool           started;       ///< The thread exists (join it)
  atomic_uint    posted;        ///< Jobs posted so far (the futex word the conductor sleeps on)
  atomic_uint    done;          ///< Jobs finished so far
  atomic_uint    asleep;        ///< The conductor sleeps (or is about to) on `posted`
  atomic_bool    quit;          ///< Leave the loop at the next wake-up
  StConductorJob job;           ///< The job posted (written before `posted`)
  void*          data;
  StSchedPolicy  sched;         ///< Asked for at start
  int            sched_error;   ///< What pthread_setschedparam answered (0 = applied)
} StConductor;

/* Starts the thread (off the audio thread: it allocates). False when it
   cannot be created; `sched` is applied by the thread to itself, and
   sched_error then says whether it could be. */
bool st_conductor_start(StConductor* conductor, const StSchedPolicy* sched);

/* Runs `job` on the conductor and returns when it is done, spinning:
   real-time safe, for run(). One caller at a time. */
void st_conductor_run(StConductor* conductor, StConductorJob job, void* data);

/* Runs `job` on the conductor and returns when it is done, sleeping while
   it waits: for set-up steps off the audio thread (never with run()). */
void st_conductor_call(StConductor* conductor, StConductorJob job, void* data);

/* Ends the thread (its OpenMP team ends with it) and joins it. */
void st_conductor_stop(StConductor* conductor);

/* True when this platform has what the conductor needs (Linux futexes). */
bool st_conductor_supported(void);

#endif
