/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE // MAP_ANONYMOUS, MAP_POPULATE
#include "pages.h"

#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define ST_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ST_LEAK_CHECKED 1
#endif
#endif

#ifdef ST_LEAK_CHECKED
/* LeakSanitizer looks for pointers in the heap, the stacks and the globals,
   not in pages mapped like these: node slots point at node states from here,
   so it is told to look here too. */
#include <sanitizer/lsan_interface.h>
#endif

static void*
map(size_t bytes, int flags)
{
  if (!bytes) {
    return NULL;
  }
  void* p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
  if (p == MAP_FAILED) {
    return NULL;
  }
#ifdef ST_LEAK_CHECKED
  __lsan_register_root_region(p, bytes);
#endif
  return p;
}

void*
st_pages_alloc(size_t bytes)
{
  return map(bytes, 0);
}

void*
st_pages_alloc_mapped(size_t bytes)
{
  return map(bytes, MAP_POPULATE);
}

void
st_pages_free(void* p, size_t bytes)
{
  if (p) {
#ifdef ST_LEAK_CHECKED
    __lsan_unregister_root_region(p, bytes);
#endif
    munmap(p, bytes);
  }
}
