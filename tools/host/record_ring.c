/* SPDX-License-Identifier: ISC */
#include "record_ring.h"

#include <stdlib.h>
#include <string.h>

bool
sh_ring_init(ShRecordRing* ring, uint32_t capacity)
{
  ring->data     = malloc(capacity);
  ring->capacity = capacity;
  atomic_init(&ring->head, 0);
  atomic_init(&ring->tail, 0);
  return ring->data != NULL;
}

void
sh_ring_destroy(ShRecordRing* ring)
{
  free(ring->data);
  ring->data = NULL;
}

/* Copies `size` bytes in at byte position `at`, wrapping at the end. */
static void
put(ShRecordRing* ring, uint32_t at, const void* bytes, uint32_t size)
{
  const uint32_t start = at % ring->capacity;
  const uint32_t first = size < ring->capacity - start ? size : ring->capacity - start;
  memcpy(ring->data + start, bytes, first);
  memcpy(ring->data, (const uint8_t*)bytes + first, size - first);
}

static void
get(const ShRecordRing* ring, uint32_t at, void* bytes, uint32_t size)
{
  const uint32_t start = at % ring->capacity;
  const uint32_t first = size < ring->capacity - start ? size : ring->capacity - start;
  memcpy(bytes, ring->data + start, first);
  memcpy((uint8_t*)bytes + first, ring->data, size - first);
}

bool
sh_ring_write(ShRecordRing* ring, uint32_t size, const void* data)
{
  const uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  const uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  const uint32_t room = ring->capacity - (head - tail);
  if (room < sizeof(size) || size > room - sizeof(size)) {
    return false;
  }
  put(ring, head, &size, sizeof(size));
  put(ring, head + (uint32_t)sizeof(size), data, size);
  atomic_store_explicit(&ring->head, head + (uint32_t)sizeof(size) + size,
                        memory_order_release);
  return true;
}

uint32_t
sh_ring_head(ShRecordRing* ring)
{
  return atomic_load_explicit(&ring->head, memory_order_acquire);
}

int64_t
sh_ring_read(ShRecordRing* ring, uint8_t* buf, uint32_t until)
{
  const uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
  if (until == tail) {
    return -1;
  }
  uint32_t size = 0;
  get(ring, tail, &size, sizeof(size));
  get(ring, tail + (uint32_t)sizeof(size), buf, size);
  atomic_store_explicit(&ring->tail, tail + (uint32_t)sizeof(size) + size,
                        memory_order_release);
  return size;
}
