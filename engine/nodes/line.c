/* SPDX-License-Identifier: ISC */
#include "line.h"

uint64_t
st_line_length(double seconds, double rate, uint32_t extra)
{
  const double need = (seconds > 0.0 ? seconds : 0.0) * rate + extra;
  uint64_t     n    = 64;
  while (n < need && n <= ST_LINE_LONGEST) {
    n *= 2;
  }
  return n;
}

bool
st_line_add_bytes(size_t* bytes, uint64_t samples)
{
  if (samples > ST_LINE_LONGEST || samples > (SIZE_MAX - *bytes) / sizeof(float)) {
    return false;
  }
  *bytes += (size_t)samples * sizeof(float);
  return true;
}

void
st_line_place(StLine* line, float** memory, uint64_t length)
{
  line->buf   = *memory;
  line->mask  = (uint32_t)(length - 1);  // st_line_add_bytes refused longer lines
  line->write = 0;
  *memory += length;
}

size_t
st_lines_size(size_t head, uint32_t count, uint64_t length)
{
  size_t bytes = head;
  for (uint32_t k = 0; k < count; ++k) {
    if (!st_line_add_bytes(&bytes, length)) {
      return SIZE_MAX;
    }
  }
  return bytes;
}

void
st_lines_place(StLine* lines, uint32_t count, float* memory, uint64_t length)
{
  for (uint32_t k = 0; k < count; ++k) {
    st_line_place(&lines[k], &memory, length);
  }
}

size_t
st_max_line_size(float max, float rate)
{
  return st_lines_size(sizeof(StMaxLine), 1, st_line_length(max, rate, 8));
}

void
st_max_line_init(StMaxLine* m, float max, float rate)
{
  const double limit = (double)max * rate;
  st_lines_place(&m->line, 1, m->memory, st_line_length(max, rate, 8));
  m->limit = limit > 2.0 ? limit : 2.0;
}
