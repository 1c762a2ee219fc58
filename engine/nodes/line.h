/* SPDX-License-Identifier: ISC */
/* Delay lines for the space effects (reverb, chorus, flanger, comb,
   allpass): a power-of-two ring of samples inside the node's state, its
   length computed in 64 bits from a time and the sample rate, with integer
   and cubic Hermite reads. */
#ifndef ST_LINE_H
#define ST_LINE_H

#include "dsp.h"

#include <stddef.h>
#include <stdint.h>

/* Most samples a line may hold: its mask is 32 bits. */
#define ST_LINE_LONGEST ((uint64_t)1 << 31)

typedef struct {
  float*   buf;    ///< The samples (inside the node's state)
  uint32_t mask;   ///< Length - 1 (the length is a power of two)
  uint32_t write;  ///< Slot the next sample goes to
} StLine;

/* The power of two holding `seconds` * rate samples plus `extra` (the
   readers' reach), in 64 bits; above ST_LINE_LONGEST when it cannot be made
   (a NaN or negative time counts as 0). */
uint64_t st_line_length(double seconds, double rate, uint32_t extra);

/* Adds `samples` floats to a byte count; false (the count unchanged) when
   the line is too long or the sum would overflow size_t. */
bool st_line_add_bytes(size_t* bytes, uint64_t samples);

/* Points a line at `length` zeroed floats from *memory and moves *memory past them. */
void st_line_place(StLine* line, float** memory, uint64_t length);

/* Bytes of a node's state: `head` bytes, then `count` lines of `length`
   samples each; SIZE_MAX when that cannot be made. */
size_t st_lines_size(size_t head, uint32_t count, uint64_t length);

/* Places `count` lines of `length` samples one after another from `memory`. */
void st_lines_place(StLine* lines, uint32_t count, float* memory, uint64_t length);

/* Writes the next sample: clamped to the signal limit (feedback through an
   interpolator may overshoot) and flushed, so the line never holds a
   subnormal or more than the engine lets pass. */
static inline void
st_line_push(StLine* l, float x)
{
  l->buf[l->write] = st_flush(st_clampf(x, -ST_SIGNAL_LIMIT, ST_SIGNAL_LIMIT));
  l->write         = (l->write + 1) & l->mask;
}

/* The sample `n` pushes back (n >= 1: the newest is 1 back). */
static inline float
st_line_at(const StLine* l, uint32_t n)
{
  return l->buf[(l->write - n) & l->mask];
}

/* The line `at` samples back (at >= 2), 4-point cubic Hermite: exact at
   whole samples. */
static inline float
st_line_hermite(const StLine* l, double at)
{
  const uint32_t n  = (uint32_t)at;
  const float    t  = (float)(at - n);
  const float    x0 = st_line_at(l, n - 1);
  const float    x1 = st_line_at(l, n);
  const float    x2 = st_line_at(l, n + 1);
  const float    x3 = st_line_at(l, n + 2);
  const float    c1 = 0.5f * (x2 - x0);
  const float    c2 = x0 - 2.5f * x1 + 2.0f * x2 - 0.5f * x3;
  const float    c3 = 0.5f * (x3 - x0) + 1.5f * (x1 - x2);
  return ((c3 * t + c2) * t + c1) * t + x1;
}

/* st_line_hermite() `at` samples back held within 2..hi (hi >= 2); a NaN
   reads 2 back. */
static inline float
st_line_read(const StLine* l, double at, double hi)
{
  return st_line_hermite(l, at > 2.0 ? (at < hi ? at : hi) : 2.0);
}

/* The state of a node built on one line sized by its `max` setting in
   seconds (comb, allpass): the line, then its samples. */
typedef struct {
  StLine line;      ///< The node's history
  double limit;     ///< Longest delay in samples (the `max` time, at least 2)
  float  memory[];  ///< The line's samples
} StMaxLine;

/* Bytes of a max line's state for `max` seconds at `rate` (st_lines_size). */
size_t st_max_line_size(float max, float rate);

/* Sets up a zeroed state of st_max_line_size() bytes. */
void st_max_line_init(StMaxLine* m, float max, float rate);

/* The line `seconds` back: st_line_read() within 2 samples..the limit. */
static inline float
st_max_line_read(const StMaxLine* m, float seconds, float rate)
{
  return st_line_read(&m->line, (double)seconds * rate, m->limit);
}

#endif
