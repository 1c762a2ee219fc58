/* SPDX-License-Identifier: ISC */
/* A lock-free single-producer single-consumer ring of variable-sized
   records (a size, then the bytes), allocated once: the worker's request
   and response queues. The producer publishes a record with a release
   store of `head`; the consumer reads `head` with acquire, so a record's
   bytes are visible before it is. */
#ifndef SH_RECORD_RING_H
#define SH_RECORD_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint8_t*         data;  ///< `capacity` bytes
  uint32_t         capacity;
  _Atomic uint32_t head;  ///< Bytes written (producer), wraps freely
  _Atomic uint32_t tail;  ///< Bytes read (consumer), wraps freely
} ShRecordRing;

bool sh_ring_init(ShRecordRing* ring, uint32_t capacity);
void sh_ring_destroy(ShRecordRing* ring);

/* Producer: appends one record; false when there is no room. No allocation. */
bool sh_ring_write(ShRecordRing* ring, uint32_t size, const void* data);

/* Consumer: reads the oldest record written before `until` (a head read
   earlier with sh_ring_head: records written since then wait) into `buf`,
   which holds any record the producer writes; its size, or -1 when there
   is none. */
int64_t  sh_ring_read(ShRecordRing* ring, uint8_t* buf, uint32_t until);
uint32_t sh_ring_head(ShRecordRing* ring);

#endif
