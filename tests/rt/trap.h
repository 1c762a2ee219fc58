/* SPDX-License-Identifier: ISC */
/* The real-time trap: this executable defines malloc, free, the pthread
   lock and wait calls, sleeps and file I/O, so that every call the plugin
   (or lilv, libgomp, libc) makes to them lands here first and is forwarded
   to the real one. While trap_arm(true) is in effect, each call is counted:
   on the armed thread (the audio thread inside run()) and, separately, on
   any other thread (OpenMP workers running part of run()).

   Allocation goes to glibc's __libc_* entry points (no dlsym needed at
   start-up); the other calls are resolved with dlsym(RTLD_NEXT) by a
   constructor before main(). Under AddressSanitizer, which owns malloc, the
   allocation counts come from its malloc/free hooks instead. */
#ifndef TRAP_H
#define TRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Arms (or disarms) the trap on the calling thread. */
void trap_arm(bool armed);

/* Calls counted since the last trap_reset(): on the armed thread, and on
   the plugin's engine threads (named "strata-engine") while some thread
   was armed. */
uint64_t trap_count(void);
uint64_t trap_count_other(void);

/* "malloc 3, pthread_mutex_lock 1" for the calls counted, or "none". */
void trap_describe(char* buf, size_t size);

void trap_reset(void);

/* True when allocation calls are trapped (always, unless no hook exists). */
bool trap_allocation_hooked(void);

/* Voluntary context switches of the calling thread so far (each one a
   time it blocked). */
long trap_voluntary_switches(void);

/* CPU time (ns) run so far by the process's threads other than the caller
   (the OpenMP workers, in the test host). */
unsigned long long trap_other_threads_cpu_ns(void);

/* Threads of the process. */
unsigned trap_thread_count(void);

/* Threads of the process named as the engine's are (the ones whose calls
   the trap counts as other threads'). */
unsigned trap_engine_thread_count(void);

#endif
