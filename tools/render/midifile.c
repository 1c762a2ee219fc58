/* SPDX-License-Identifier: ISC */
#include "midifile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TEMPO 500000u    ///< Microseconds per quarter note: 120 BPM
#define MAX_EVENTS    (1u << 24) ///< Most channel events taken from one file

/* An event at its tick, before the tempo map turns ticks into seconds. */
typedef struct {
  uint64_t tick;
  uint64_t order;   ///< Position in the file: keeps ties in file order
  uint32_t value;   ///< Tempo: microseconds per quarter note
  uint8_t  msg[3];
  uint8_t  size;    ///< 0 for a tempo change
} Timed;

typedef struct {
  Timed* items;
  size_t count;
  size_t capacity;
} TimedList;

typedef struct {
  const uint8_t* data;
  size_t         size;
  size_t         pos;
  char*          why;
  size_t         why_size;
  TimedList      events;
  TimedList      tempos;
  uint64_t       order;
  uint64_t       end_tick; ///< Latest end of track
} Reader;

__attribute__((format(printf, 3, 4))) static bool
fail(Reader* r, size_t at, const char* format, ...)
{
  const int n = snprintf(r->why, r->why_size, "byte %zu: ", at);
  va_list   args;
  va_start(args, format);
  if (n > 0 && (size_t)n < r->why_size) {
    vsnprintf(r->why + n, r->why_size - (size_t)n, format, args);
  }
  va_end(args);
  return false;
}

static bool
push(Reader* r, TimedList* list, const Timed* t)
{
  if (list->count == list->capacity) {
    const size_t cap   = list->capacity ? list->capacity * 2 : 256;
    Timed*       items = realloc(list->items, cap * sizeof(Timed));
    if (!items) {
      return fail(r, r->pos, "out of memory");
    }
    list->items    = items;
    list->capacity = cap;
  }
  list->items[list->count]       = *t;
  list->items[list->count].order = r->order++;
  ++list->count;
  return true;
}

static uint32_t
be(const uint8_t* p, int bytes)
{
  uint32_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | p[i];
  }
  return v;
}

/* A variable-length quantity (at most 4 bytes) before `end`. */
static bool
read_vlq(Reader* r, size_t end, uint32_t* value)
{
  const size_t start = r->pos;
  uint32_t     v     = 0;
  for (int i = 0; i < 4; ++i) {
    if (r->pos >= end) {
      return fail(r, start, "variable-length number runs past the end of the track");
    }
    const uint8_t b = r->data[r->pos++];
    v               = (v << 7) | (b & 0x7fu);
    if (!(b & 0x80)) {
      *value = v;
      return true;
    }
  }
  return fail(r, start, "variable-length number longer than 4 bytes");
}

/* Bytes of data after a channel status byte. */
static int
data_bytes(uint8_t status)
{
  const uint8_t kind = status & 0xf0;
  return kind == 0xc0 || kind == 0xd0 ? 1 : 2;
}

static bool
read_meta(Reader* r, size_t end, uint64_t tick, bool* done)
{
  const size_t at = r->pos - 1;
  if (r->pos >= end) {
    return fail(r, at, "meta event cut off by the end of the track");
  }
  const uint8_t type = r->data[r->pos++];
  uint32_t      len  = 0;
  if (!read_vlq(r, end, &len)) {
    return false;
  }
  if (len > end - r->pos) {
    return fail(r, at, "meta event of %u bytes runs past the end of the track", len);
  }
  if (type == 0x51) {
    if (len != 3) {
      return fail(r, at, "tempo event of %u bytes (must be 3)", len);
    }
    const uint32_t usec = be(r->data + r->pos, 3);
    if (!usec) {
      return fail(r, at, "tempo of 0 microseconds per quarter note");
    }
    const Timed t = {.tick = tick, .value = usec};
    if (!push(r, &r->tempos, &t)) {
      return false;
    }
  } else if (type == 0x2f) {
    *done = true;
  }
  r->pos += len;
  return true;
}

static bool
read_track(Reader* r, size_t end, unsigned track)
{
  uint64_t tick    = 0;
  uint8_t  running = 0;
  bool     done    = false;
  while (!done && r->pos < end) {
    uint32_t delta = 0;
    if (!read_vlq(r, end, &delta)) {
      return false;
    }
    tick += delta;
    if (r->pos >= end) {
      return fail(r, r->pos, "track %u ends after a delta time, without an event", track);
    }
    const size_t  at = r->pos;
    const uint8_t b  = r->data[r->pos];
    if (b == 0xff) {
      ++r->pos;
      if (!read_meta(r, end, tick, &done)) {
        return false;
      }
      continue;
    }
    if (b == 0xf0 || b == 0xf7) {
      ++r->pos;
      uint32_t len = 0;
      if (!read_vlq(r, end, &len)) {
        return false;
      }
      if (len > end - r->pos) {
        return fail(r, at, "system exclusive of %u bytes runs past the end of the track", len);
      }
      r->pos += len;
      continue;
    }
    if (b >= 0xf0) {
      return fail(r, at, "status byte 0x%02X is not allowed in a MIDI file (track %u)", b, track);
    }
    if (b & 0x80) {
      running = b;
      ++r->pos;
    } else if (!running) {
      return fail(r, at, "data byte 0x%02X without a status byte (track %u)", b, track);
    }
    Timed      ev = {.tick = tick, .msg = {running}, .size = (uint8_t)(1 + data_bytes(running))};
    for (int i = 1; i < ev.size; ++i) {
      if (r->pos >= end) {
        return fail(r, at, "MIDI message cut off by the end of track %u", track);
      }
      if (r->data[r->pos] & 0x80) {
        return fail(r, r->pos, "expected a data byte, found 0x%02X (track %u)", r->data[r->pos],
                    track);
      }
      ev.msg[i] = r->data[r->pos++];
    }
    if (r->events.count >= MAX_EVENTS) {
      return fail(r, at, "more than %u MIDI events", MAX_EVENTS);
    }
    if (!push(r, &r->events, &ev)) {
      return false;
    }
  }
  r->end_tick = tick > r->end_tick ? tick : r->end_tick;
  return true;
}

static int
by_tick(const void* a, const void* b)
{
  const Timed* x = a;
  const Timed* y = b;
  if (x->tick != y->tick) {
    return x->tick < y->tick ? -1 : 1;
  }
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Seconds per tick: from the tempo (PPQ) or fixed (SMPTE). */
typedef struct {
  bool     smpte;
  double   seconds_per_tick; ///< SMPTE
  uint32_t ppq;              ///< Ticks per quarter note
} Division;

/* Converts ticks to seconds along the sorted tempo map. */
typedef struct {
  const Division*  div;
  const TimedList* tempos;
  size_t           next;     ///< Next tempo change to pass
  uint64_t         tick;     ///< Tick of the current segment's start
  double           seconds;  ///< Its time
  uint32_t         usec;     ///< Its tempo
} Clock;

static double
clock_at(Clock* c, uint64_t tick)
{
  if (c->div->smpte) {
    return (double)tick * c->div->seconds_per_tick;
  }
  while (c->next < c->tempos->count && c->tempos->items[c->next].tick <= tick) {
    const Timed* t = &c->tempos->items[c->next++];
    c->seconds += (double)(t->tick - c->tick) * c->usec / 1e6 / c->div->ppq;
    c->tick = t->tick;
    c->usec = t->value;
  }
  return c->seconds + (double)(tick - c->tick) * c->usec / 1e6 / c->div->ppq;
}

static bool
read_header(Reader* r, unsigned* tracks, Division* div)
{
  if (r->size < 14 || memcmp(r->data, "MThd", 4)) {
    return fail(r, 0, "not a Standard MIDI File (no MThd header)");
  }
  const uint32_t len = be(r->data + 4, 4);
  if (len < 6 || len > r->size - 8) {
    return fail(r, 4, "bad header length %u", len);
  }
  const unsigned format = be(r->data + 8, 2);
  *tracks               = be(r->data + 10, 2);
  const uint32_t d      = be(r->data + 12, 2);
  if (format > 1) {
    return fail(r, 8, "MIDI file format %u is not supported (only 0 and 1)", format);
  }
  if (*tracks == 0 || (format == 0 && *tracks != 1)) {
    return fail(r, 10, "format %u with %u tracks", format, *tracks);
  }
  if (d & 0x8000) {
    const int fps = -(int)(int8_t)(d >> 8);
    const int tpf = (int)(d & 0xff);
    if ((fps != 24 && fps != 25 && fps != 29 && fps != 30) || tpf == 0) {
      return fail(r, 12, "bad SMPTE time division 0x%04X", d);
    }
    div->smpte            = true;
    div->seconds_per_tick = 1.0 / ((fps == 29 ? 29.97 : fps) * tpf);
  } else if (d == 0) {
    return fail(r, 12, "time division of 0 ticks per quarter note");
  } else {
    div->ppq = d;
  }
  r->pos = 8 + len;
  return true;
}

static bool
read_chunks(Reader* r, unsigned tracks)
{
  unsigned found = 0;
  while (found < tracks) {
    if (r->size - r->pos < 8) {
      return fail(r, r->pos, "the header announces %u tracks, the file holds %u", tracks, found);
    }
    const size_t   at  = r->pos;
    const uint32_t len = be(r->data + at + 4, 4);
    if (len > r->size - at - 8) {
      return fail(r, at, "chunk of %u bytes runs past the end of the file", len);
    }
    r->pos = at + 8;
    if (!memcmp(r->data + at, "MTrk", 4)) {
      if (!read_track(r, at + 8 + len, ++found)) {
        return false;
      }
    }
    r->pos = at + 8 + len; // Unknown chunks are skipped, as the standard asks.
  }
  return true;
}

bool
sr_midi_parse(const uint8_t* data, size_t size, SrEvents* events, double* length, char* why,
              size_t why_size)
{
  Reader   r      = {.data = data, .size = size, .why = why, .why_size = why_size};
  unsigned tracks = 0;
  Division div    = {0};
  bool     ok     = read_header(&r, &tracks, &div) && read_chunks(&r, tracks);
  if (ok) {
    // qsort needs a valid pointer even for no items; a file may have neither.
    if (r.events.count) {
      qsort(r.events.items, r.events.count, sizeof(Timed), by_tick);
    }
    if (r.tempos.count) {
      qsort(r.tempos.items, r.tempos.count, sizeof(Timed), by_tick);
    }
    Clock clock = {.div = &div, .tempos = &r.tempos, .usec = DEFAULT_TEMPO};
    for (size_t i = 0; ok && i < r.events.count; ++i) {
      const Timed* e = &r.events.items[i];
      ok = sr_events_add(events, clock_at(&clock, e->tick), e->msg, e->size) ||
           fail(&r, 0, "out of memory");
    }
    *length = clock_at(&clock, r.end_tick);
    sr_events_sort(events);
  }
  free(r.events.items);
  free(r.tempos.items);
  return ok;
}

bool
sr_midi_read(const char* path, SrEvents* events, double* length, char* why, size_t why_size)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    snprintf(why, why_size, "%s", strerror(errno));
    return false;
  }
  uint8_t* data = malloc(SR_MIDI_MAX_BYTES + 1);
  size_t   size = data ? fread(data, 1, SR_MIDI_MAX_BYTES + 1, f) : 0;
  bool     ok   = data && !ferror(f);
  fclose(f);
  if (!ok) {
    snprintf(why, why_size, "%s", data ? "read error" : "out of memory");
  } else if (size > SR_MIDI_MAX_BYTES) {
    snprintf(why, why_size, "larger than %u MiB", SR_MIDI_MAX_BYTES >> 20);
    ok = false;
  } else {
    ok = sr_midi_parse(data, size, events, length, why, why_size);
  }
  free(data);
  return ok;
}
