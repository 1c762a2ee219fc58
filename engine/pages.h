/* SPDX-License-Identifier: ISC */
/* Zeroed memory straight from the kernel, for the large tables sized by a
   graph's capacity (node slots, parameters): pages nobody writes are never
   mapped, so an engine made for 4096 nodes costs what its patch uses. (calloc
   would do the same only while the allocator maps such blocks afresh; once
   it recycles freed ones it must clear every byte.) */
#ifndef ST_PAGES_H
#define ST_PAGES_H

#include <stddef.h>

/* `bytes` of zeroed memory, or NULL. Free with st_pages_free(p, bytes). */
void* st_pages_alloc(size_t bytes);

/* The same, every page mapped at once (for the audio thread's tables, which
   must never fault): one system call, not a fault per page. */
void* st_pages_alloc_mapped(size_t bytes);
void  st_pages_free(void* p, size_t bytes);

#endif
