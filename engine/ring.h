/* SPDX-License-Identifier: ISC */
/* Lock-free single-producer single-consumer ring of fixed-size items.
   The producer publishes with a release store of `head`; the consumer
   reads `head` with acquire, so an item's bytes are visible before it is. */
#ifndef ST_RING_H
#define ST_RING_H

#include "status.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  alignas(64) _Atomic uint32_t head;  ///< Items written (producer), wraps freely
  alignas(64) _Atomic uint32_t tail;  ///< Items read (consumer), wraps freely
  alignas(64) uint32_t mask;          ///< Capacity - 1 (capacity a power of two)
  uint32_t item_size;                 ///< Bytes per item
  unsigned char* items;               ///< capacity * item_size bytes
} StRing;

/* Allocates a ring of `capacity` items (a power of two) of `item_size` bytes. */
StStatus st_ring_init(StRing* ring, uint32_t capacity, uint32_t item_size);
void     st_ring_destroy(StRing* ring);

/* Producer: free slots now (a lower bound; the consumer may free more). */
uint32_t st_ring_space(StRing* ring);

/* Producer: copies one item in; false when the ring is full. */
bool st_ring_push(StRing* ring, const void* item);

/* Consumer: copies the oldest item out; false when the ring is empty. */
bool st_ring_pop(StRing* ring, void* item);

/* The smallest power of two at least `n` (n >= 1). */
uint32_t st_ring_round_up(uint32_t n);

#endif
