/* SPDX-License-Identifier: ISC */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

StStatus
st_ring_init(StRing* ring, uint32_t capacity, uint32_t item_size)
{
  memset(ring, 0, sizeof(*ring));
  if (capacity < 2 || (capacity & (capacity - 1)) || capacity > (1u << 30) || !item_size) {
    return ST_ERR_BAD_ARG;
  }
  ring->items = calloc(capacity, item_size);
  if (!ring->items) {
    return ST_ERR_NO_MEMORY;
  }
  ring->mask      = capacity - 1;
  ring->item_size = item_size;
  atomic_init(&ring->head, 0);
  atomic_init(&ring->tail, 0);
  return ST_OK;
}

void
st_ring_destroy(StRing* ring)
{
  free(ring->items);
  ring->items = NULL;
}

uint32_t
st_ring_space(StRing* ring)
{
  const uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  const uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  return ring->mask + 1 - (head - tail);
}

bool
st_ring_push(StRing* ring, const void* item)
{
  const uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
  const uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
  if (head - tail > ring->mask) {
    return false;
  }
  memcpy(ring->items + (size_t)(head & ring->mask) * ring->item_size, item, ring->item_size);
  atomic_store_explicit(&ring->head, head + 1, memory_order_release);
  return true;
}

bool
st_ring_pop(StRing* ring, void* item)
{
  const uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
  const uint32_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
  if (head == tail) {
    return false;
  }
  memcpy(item, ring->items + (size_t)(tail & ring->mask) * ring->item_size, ring->item_size);
  // Release: the producer may reuse the slot only after our copy is done.
  atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
  return true;
}

uint32_t
st_ring_round_up(uint32_t n)
{
  uint32_t p = 1;
  while (p < n && p < (1u << 30)) {
    p <<= 1;
  }
  return p;
}
