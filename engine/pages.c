/* SPDX-License-Identifier: ISC */
#define _GNU_SOURCE // MAP_ANONYMOUS, MAP_POPULATE
#include "pages.h"

#include <sys/mman.h>

void*
st_pages_alloc(size_t bytes)
{
  if (!bytes) {
    return NULL;
  }
  void* p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void*
st_pages_alloc_mapped(size_t bytes)
{
  if (!bytes) {
    return NULL;
  }
  void* p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                 -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void
st_pages_free(void* p, size_t bytes)
{
  if (p) {
    munmap(p, bytes);
  }
}
