/* SPDX-License-Identifier: ISC */
#include "events.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
sr_events_add(SrEvents* e, double time, const uint8_t* msg, uint8_t size)
{
  if (e->count == e->capacity) {
    const size_t cap   = e->capacity ? e->capacity * 2 : 64;
    SrEvent*     items = realloc(e->items, cap * sizeof(SrEvent));
    if (!items) {
      return false;
    }
    e->items    = items;
    e->capacity = cap;
  }
  SrEvent* ev = &e->items[e->count++];
  memset(ev, 0, sizeof(*ev));
  ev->time = time;
  ev->size = size > 3 ? 3 : size;
  memcpy(ev->msg, msg, ev->size);
  return true;
}

static bool
is_note_off(const SrEvent* e)
{
  const uint8_t kind = e->msg[0] & 0xf0;
  return kind == 0x80 || (kind == 0x90 && e->size == 3 && e->msg[2] == 0);
}

/* Index order breaks ties, so that the sort is stable (qsort is not). */
typedef struct {
  SrEvent event;
  size_t  index;
} Keyed;

static int
compare(const void* a, const void* b)
{
  const Keyed* x = a;
  const Keyed* y = b;
  if (x->event.time != y->event.time) {
    return x->event.time < y->event.time ? -1 : 1;
  }
  const int ox = is_note_off(&x->event);
  const int oy = is_note_off(&y->event);
  if (ox != oy) {
    return oy - ox;
  }
  return x->index < y->index ? -1 : x->index > y->index;
}

void
sr_events_sort(SrEvents* e)
{
  Keyed* keyed = e->count ? malloc(e->count * sizeof(Keyed)) : NULL;
  if (!keyed) {
    return;
  }
  for (size_t i = 0; i < e->count; ++i) {
    keyed[i] = (Keyed){e->items[i], i};
  }
  qsort(keyed, e->count, sizeof(Keyed), compare);
  for (size_t i = 0; i < e->count; ++i) {
    e->items[i] = keyed[i].event;
  }
  free(keyed);
}

double
sr_events_end(const SrEvents* e)
{
  double end = 0.0;
  for (size_t i = 0; i < e->count; ++i) {
    end = e->items[i].time > end ? e->items[i].time : end;
  }
  return end;
}

uint64_t
sr_event_frame(const SrEvent* event, double rate)
{
  return event->time > 0 ? (uint64_t)llround(event->time * rate) : 0;
}

void
sr_events_free(SrEvents* e)
{
  free(e->items);
  *e = (SrEvents){0};
}
