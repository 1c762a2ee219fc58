/* SPDX-License-Identifier: ISC */
/* Timed MIDI events, in seconds, from --notes or --midi: what the render
   delivers into the control sequence, sample-accurately. */
#ifndef SR_EVENTS_H
#define SR_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  double  time;    ///< Seconds from the start of the render
  uint8_t msg[3];  ///< Status and data bytes
  uint8_t size;    ///< 1..3
} SrEvent;

typedef struct {
  SrEvent* items;
  size_t   count;
  size_t   capacity;
} SrEvents;

/* Appends one event; false when out of memory. */
bool sr_events_add(SrEvents* events, double time, const uint8_t* msg, uint8_t size);

/* Sorts by time, keeping the order of events at the same time, except that
   note-offs go before note-ons there (a repeated note sounds again). */
void sr_events_sort(SrEvents* events);

/* Time of the last event, 0 when there are none. */
double sr_events_end(const SrEvents* events);

/* The frame an event falls on at `rate`. */
uint64_t sr_event_frame(const SrEvent* event, double rate);

void sr_events_free(SrEvents* events);

#endif
