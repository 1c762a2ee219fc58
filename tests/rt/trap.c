/* SPDX-License-Identifier: ISC */
/* See trap.h. Built into the test executable only: the definitions below
   interpose the C library's for the whole process. */
#undef _FILE_OFFSET_BITS // Define open, fopen, mmap themselves, not their *64 aliases
#define _GNU_SOURCE

#include "trap.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TRAP_FUNCTIONS(X) \
  X(malloc) X(calloc) X(realloc) X(reallocarray) X(free) X(aligned_alloc) X(posix_memalign) \
  X(memalign) X(valloc) X(pvalloc) \
  X(pthread_mutex_lock) X(pthread_mutex_trylock) X(pthread_mutex_timedlock) \
  X(pthread_cond_wait) X(pthread_cond_timedwait) X(pthread_rwlock_rdlock) \
  X(pthread_rwlock_wrlock) X(pthread_spin_lock) X(pthread_barrier_wait) X(pthread_join) \
  X(pthread_create) X(sem_wait) X(sem_timedwait) \
  X(nanosleep) X(clock_nanosleep) X(usleep) X(sleep) X(sched_yield) \
  X(read) X(write) X(open) X(open64) X(openat) X(close) X(poll) X(select) X(mmap) X(munmap) \
  X(fopen) X(fopen64) X(fclose) X(fread) X(fwrite) X(fflush) X(fputs) X(puts) X(printf) \
  X(fprintf) X(vfprintf)

#define TRAP_ENUM(name) T_##name,
enum { TRAP_FUNCTIONS(TRAP_ENUM) T_COUNT };
#define TRAP_NAME(name) #name,
static const char* const trap_names[T_COUNT] = {TRAP_FUNCTIONS(TRAP_NAME)};

static _Thread_local bool armed;
static atomic_int         armed_threads;
static atomic_ullong      counts[T_COUNT];
static atomic_ullong      others[T_COUNT];

static void* _Atomic first_caller; ///< Return address of the first armed call

#define hit(f) hit_from((f), __builtin_return_address(0))

/* The plugin's engine threads: its conductor and the OpenMP workers it
   starts, which inherit its name. Only they work for run() while it waits;
   the test's own threads (starting and joining the threads that call run())
   and the host's worker may do as they please meanwhile. */
#define ENGINE_THREAD_NAME "strata-engine"

static _Thread_local bool engine_thread; ///< Known to be one (a name, once set, stays)

static bool
is_engine_thread(void)
{
  if (!engine_thread) {
    char name[16] = "";
    engine_thread = !prctl(PR_GET_NAME, name) && !strcmp(name, ENGINE_THREAD_NAME);
  }
  return engine_thread;
}

static inline void
hit_from(int f, void* caller)
{
  if (armed) {
    void* none = NULL;
    atomic_compare_exchange_strong(&first_caller, &none, caller);
    atomic_fetch_add_explicit(&counts[f], 1, memory_order_relaxed);
  } else if (atomic_load_explicit(&armed_threads, memory_order_relaxed) && is_engine_thread()) {
    atomic_fetch_add_explicit(&others[f], 1, memory_order_relaxed);
  }
}

void
trap_arm(bool on)
{
  if (on != armed) {
    armed = on;
    atomic_fetch_add(&armed_threads, on ? 1 : -1);
  }
}

static uint64_t
sum(atomic_ullong* c)
{
  uint64_t n = 0;
  for (int i = 0; i < T_COUNT; ++i) {
    n += atomic_load(&c[i]);
  }
  return n;
}

uint64_t
trap_count(void)
{
  return sum(counts);
}

uint64_t
trap_count_other(void)
{
  return sum(others);
}

void
trap_reset(void)
{
  for (int i = 0; i < T_COUNT; ++i) {
    atomic_store(&counts[i], 0);
    atomic_store(&others[i], 0);
  }
  atomic_store(&first_caller, NULL);
}

void
trap_describe(char* buf, size_t size)
{
  size_t used = 0;
  buf[0]      = '\0';
  for (int i = 0; i < T_COUNT; ++i) {
    const unsigned long long a = atomic_load(&counts[i]);
    const unsigned long long o = atomic_load(&others[i]);
    if ((a || o) && used < size) {
      used += (size_t)snprintf(buf + used, size - used, "%s%s %llu (audio) %llu (other)",
                               used ? ", " : "", trap_names[i], a, o);
    }
  }
  void*   caller = atomic_load(&first_caller);
  Dl_info info;
  if (!used) {
    snprintf(buf, size, "none");
  } else if (caller && used < size && dladdr(caller, &info) && info.dli_sname) {
    snprintf(buf + used, size - used, "; first from %s (%s)", info.dli_sname,
             info.dli_fname ? info.dli_fname : "?");
  } else if (caller && used < size) {
    snprintf(buf + used, size - used, "; first from %p", caller);
  }
}

long
trap_voluntary_switches(void)
{
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_nvcsw;
}

unsigned long long
trap_other_threads_cpu_ns(void)
{
  const long         self  = syscall(SYS_gettid);
  unsigned long long total = 0;
  DIR*               dir   = opendir("/proc/self/task");
  for (struct dirent* e; dir && (e = readdir(dir));) {
    if (e->d_name[0] == '.' || atol(e->d_name) == self) {
      continue;
    }
    char path[300];
    snprintf(path, sizeof(path), "/proc/self/task/%s/schedstat", e->d_name);
    FILE*              f  = fopen(path, "r");
    unsigned long long ns = 0;
    if (f && fscanf(f, "%llu", &ns) == 1) {
      total += ns;
    }
    if (f) {
      fclose(f);
    }
  }
  if (dir) {
    closedir(dir);
  }
  return total;
}

unsigned
trap_thread_count(void)
{
  unsigned n   = 0;
  DIR*     dir = opendir("/proc/self/task");
  for (struct dirent* e; dir && (e = readdir(dir));) {
    n += e->d_name[0] != '.';
  }
  if (dir) {
    closedir(dir);
  }
  return n;
}

unsigned
trap_engine_thread_count(void)
{
  unsigned n   = 0;
  DIR*     dir = opendir("/proc/self/task");
  for (struct dirent* e; dir && (e = readdir(dir));) {
    char path[300], name[32] = "";
    if (e->d_name[0] == '.') {
      continue;
    }
    snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
    FILE* f = fopen(path, "r");
    if (f && fgets(name, sizeof(name), f)) {
      name[strcspn(name, "\n")] = '\0';
      n += !strcmp(name, ENGINE_THREAD_NAME);
    }
    if (f) {
      fclose(f);
    }
  }
  if (dir) {
    closedir(dir);
  }
  return n;
}

/* The next definition of a symbol, resolved once. */
#define REAL(name) \
  static __typeof__(name)* real_##name; \
  if (!real_##name) { \
    void* sym = dlsym(RTLD_NEXT, #name); \
    memcpy(&real_##name, &sym, sizeof(sym)); \
  }

/* --- Allocation --- */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)

int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, size_t),
                                              void (*free_hook)(const volatile void*));

static void
on_malloc(const volatile void* ptr, size_t size)
{
  (void)ptr;
  (void)size;
  hit(T_malloc);
}

static void
on_free(const volatile void* ptr)
{
  if (ptr) {
    hit(T_free);
  }
}

static int hooked;

__attribute__((constructor)) static void
install_hooks(void)
{
  hooked = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

bool
trap_allocation_hooked(void)
{
  return hooked != 0;
}

#else

void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* ptr, size_t size);
void  __libc_free(void* ptr);
void* __libc_memalign(size_t align, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);

bool
trap_allocation_hooked(void)
{
  return true;
}

void*
malloc(size_t size)
{
  hit(T_malloc);
  return __libc_malloc(size);
}

void*
calloc(size_t n, size_t size)
{
  hit(T_calloc);
  return __libc_calloc(n, size);
}

void*
realloc(void* ptr, size_t size)
{
  hit(T_realloc);
  return __libc_realloc(ptr, size);
}

void*
reallocarray(void* ptr, size_t n, size_t size)
{
  hit(T_reallocarray);
  if (size && n > (size_t)-1 / size) {
    return NULL;
  }
  return __libc_realloc(ptr, n * size);
}

void
free(void* ptr)
{
  if (ptr) {
    hit(T_free);
  }
  __libc_free(ptr);
}

void*
aligned_alloc(size_t align, size_t size)
{
  hit(T_aligned_alloc);
  return __libc_memalign(align, size);
}

int
posix_memalign(void** out, size_t align, size_t size)
{
  hit(T_posix_memalign);
  if (align < sizeof(void*) || (align & (align - 1))) {
    return 22; // EINVAL
  }
  void* p = __libc_memalign(align, size);
  if (!p) {
    return 12; // ENOMEM
  }
  *out = p;
  return 0;
}

void*
memalign(size_t align, size_t size)
{
  hit(T_memalign);
  return __libc_memalign(align, size);
}

void*
valloc(size_t size)
{
  hit(T_valloc);
  return __libc_valloc(size);
}

void*
pvalloc(size_t size)
{
  hit(T_pvalloc);
  return __libc_pvalloc(size);
}

#endif

/* --- Locks and waits --- */

int
pthread_mutex_lock(pthread_mutex_t* m)
{
  REAL(pthread_mutex_lock);
  hit(T_pthread_mutex_lock);
  return real_pthread_mutex_lock(m);
}

int
pthread_mutex_trylock(pthread_mutex_t* m)
{
  REAL(pthread_mutex_trylock);
  hit(T_pthread_mutex_trylock);
  return real_pthread_mutex_trylock(m);
}

int
pthread_mutex_timedlock(pthread_mutex_t* restrict m, const struct timespec* restrict t)
{
  REAL(pthread_mutex_timedlock);
  hit(T_pthread_mutex_timedlock);
  return real_pthread_mutex_timedlock(m, t);
}

int
pthread_cond_wait(pthread_cond_t* restrict c, pthread_mutex_t* restrict m)
{
  REAL(pthread_cond_wait);
  hit(T_pthread_cond_wait);
  return real_pthread_cond_wait(c, m);
}

int
pthread_cond_timedwait(pthread_cond_t* restrict c, pthread_mutex_t* restrict m,
                       const struct timespec* restrict t)
{
  REAL(pthread_cond_timedwait);
  hit(T_pthread_cond_timedwait);
  return real_pthread_cond_timedwait(c, m, t);
}

int
pthread_rwlock_rdlock(pthread_rwlock_t* l)
{
  REAL(pthread_rwlock_rdlock);
  hit(T_pthread_rwlock_rdlock);
  return real_pthread_rwlock_rdlock(l);
}

int
pthread_rwlock_wrlock(pthread_rwlock_t* l)
{
  REAL(pthread_rwlock_wrlock);
  hit(T_pthread_rwlock_wrlock);
  return real_pthread_rwlock_wrlock(l);
}

int
pthread_spin_lock(pthread_spinlock_t* l)
{
  REAL(pthread_spin_lock);
  hit(T_pthread_spin_lock);
  return real_pthread_spin_lock(l);
}

int
pthread_barrier_wait(pthread_barrier_t* b)
{
  REAL(pthread_barrier_wait);
  hit(T_pthread_barrier_wait);
  return real_pthread_barrier_wait(b);
}

int
pthread_join(pthread_t t, void** result)
{
  REAL(pthread_join);
  hit(T_pthread_join);
  return real_pthread_join(t, result);
}

int
pthread_create(pthread_t* restrict t, const pthread_attr_t* restrict attr,
               void* (*start)(void*), void* restrict arg)
{
  REAL(pthread_create);
  hit(T_pthread_create);
  return real_pthread_create(t, attr, start, arg);
}

int
sem_wait(sem_t* s)
{
  REAL(sem_wait);
  hit(T_sem_wait);
  return real_sem_wait(s);
}

int
sem_timedwait(sem_t* restrict s, const struct timespec* restrict t)
{
  REAL(sem_timedwait);
  hit(T_sem_timedwait);
  return real_sem_timedwait(s, t);
}

/* --- Sleeps --- */

int
nanosleep(const struct timespec* t, struct timespec* rem)
{
  REAL(nanosleep);
  hit(T_nanosleep);
  return real_nanosleep(t, rem);
}

int
clock_nanosleep(clockid_t clock, int flags, const struct timespec* t, struct timespec* rem)
{
  REAL(clock_nanosleep);
  hit(T_clock_nanosleep);
  return real_clock_nanosleep(clock, flags, t, rem);
}

int
usleep(useconds_t us)
{
  REAL(usleep);
  hit(T_usleep);
  return real_usleep(us);
}

unsigned int
sleep(unsigned int s)
{
  REAL(sleep);
  hit(T_sleep);
  return real_sleep(s);
}

int
sched_yield(void)
{
  REAL(sched_yield);
  hit(T_sched_yield);
  return real_sched_yield();
}

/* --- Files and the console --- */

ssize_t
read(int fd, void* buf, size_t n)
{
  REAL(read);
  hit(T_read);
  return real_read(fd, buf, n);
}

ssize_t
write(int fd, const void* buf, size_t n)
{
  REAL(write);
  hit(T_write);
  return real_write(fd, buf, n);
}

static mode_t
open_mode(int flags, va_list ap)
{
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int
open(const char* path, int flags, ...)
{
  REAL(open);
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = open_mode(flags, ap);
  va_end(ap);
  hit(T_open);
  return real_open(path, flags, mode);
}

int
open64(const char* path, int flags, ...)
{
  REAL(open64);
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = open_mode(flags, ap);
  va_end(ap);
  hit(T_open64);
  return real_open64(path, flags, mode);
}

int
openat(int dir, const char* path, int flags, ...)
{
  REAL(openat);
  va_list ap;
  va_start(ap, flags);
  const mode_t mode = open_mode(flags, ap);
  va_end(ap);
  hit(T_openat);
  return real_openat(dir, path, flags, mode);
}

int
close(int fd)
{
  REAL(close);
  hit(T_close);
  return real_close(fd);
}

int
poll(struct pollfd* fds, nfds_t n, int timeout)
{
  REAL(poll);
  hit(T_poll);
  return real_poll(fds, n, timeout);
}

int
select(int n, fd_set* restrict r, fd_set* restrict w, fd_set* restrict e,
       struct timeval* restrict t)
{
  REAL(select);
  hit(T_select);
  return real_select(n, r, w, e, t);
}

void*
mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off)
{
  REAL(mmap);
  hit(T_mmap);
  return real_mmap(addr, len, prot, flags, fd, off);
}

int
munmap(void* addr, size_t len)
{
  REAL(munmap);
  hit(T_munmap);
  return real_munmap(addr, len);
}

FILE*
fopen(const char* restrict path, const char* restrict mode)
{
  REAL(fopen);
  hit(T_fopen);
  return real_fopen(path, mode);
}

FILE*
fopen64(const char* restrict path, const char* restrict mode)
{
  REAL(fopen64);
  hit(T_fopen64);
  return real_fopen64(path, mode);
}

int
fclose(FILE* f)
{
  REAL(fclose);
  hit(T_fclose);
  return real_fclose(f);
}

size_t
fread(void* restrict buf, size_t size, size_t n, FILE* restrict f)
{
  REAL(fread);
  hit(T_fread);
  return real_fread(buf, size, n, f);
}

size_t
fwrite(const void* restrict buf, size_t size, size_t n, FILE* restrict f)
{
  REAL(fwrite);
  hit(T_fwrite);
  return real_fwrite(buf, size, n, f);
}

int
fflush(FILE* f)
{
  REAL(fflush);
  hit(T_fflush);
  return real_fflush(f);
}

int
fputs(const char* restrict s, FILE* restrict f)
{
  REAL(fputs);
  hit(T_fputs);
  return real_fputs(s, f);
}

int
puts(const char* s)
{
  REAL(puts);
  hit(T_puts);
  return real_puts(s);
}

int
vfprintf(FILE* restrict f, const char* restrict format, va_list ap)
{
  REAL(vfprintf);
  hit(T_vfprintf);
  return real_vfprintf(f, format, ap);
}

int
printf(const char* restrict format, ...)
{
  REAL(vfprintf);
  hit(T_printf);
  va_list ap;
  va_start(ap, format);
  const int n = real_vfprintf(stdout, format, ap);
  va_end(ap);
  return n;
}

int
fprintf(FILE* restrict f, const char* restrict format, ...)
{
  REAL(vfprintf);
  hit(T_fprintf);
  va_list ap;
  va_start(ap, format);
  const int n = real_vfprintf(f, format, ap);
  va_end(ap);
  return n;
}
