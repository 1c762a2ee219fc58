/* SPDX-License-Identifier: ISC */
#include "monitor.h"

#include <string.h>

#define LANES 8  ///< Running maxima kept apart, so that the loop vectorises

/* The largest |x| of a buffer and `peak`. One maximum per lane: a single
   running maximum is a reduction the compiler will not reorder. */
static float
peak_of(const float* x, uint32_t frames, float peak)
{
  float    lane[LANES] = {0};
  uint32_t i           = 0;
  for (; i + LANES <= frames; i += LANES) {
    for (uint32_t k = 0; k < LANES; ++k) {
      const float a = fabsf(x[i + k]);
      lane[k]       = a > lane[k] ? a : lane[k];
    }
  }
  for (; i < frames; ++i) {
    const float a = fabsf(x[i]);
    peak          = a > peak ? a : peak;
  }
  for (uint32_t k = 0; k < LANES; ++k) {
    peak = lane[k] > peak ? lane[k] : peak;
  }
  return peak;
}

static void
record_probe(StMonitor* m, const float* x, uint32_t frames)
{
  uint32_t i = m->phase;
  for (; i < frames; i += ST_PROBE_DECIMATE) {
    m->ring[m->write] = x[i];
    m->write          = (m->write + 1) % ST_PROBE_SAMPLES;
  }
  m->phase = i - frames;
}

void
st_monitor_record(StMonitor* m, StGraph* graph, uint32_t index, uint32_t frames)
{
  StNodeSlot* slot = &graph->slots[index];
  if (m->levels) {
    float peak = slot->peak;
    for (uint32_t o = 0; o < slot->type->n_outputs; ++o) {
      peak = peak_of(slot->out[o], frames, peak);
    }
    slot->peak = peak;
  }
  if (index == m->probe_node) {
    record_probe(m, slot->out[m->probe_port], frames);
  }
}

void
st_monitor_probe_samples(const StMonitor* m, float out[ST_PROBE_SAMPLES])
{
  const uint32_t older = ST_PROBE_SAMPLES - m->write;
  memcpy(out, m->ring + m->write, older * sizeof(float));
  memcpy(out + older, m->ring, m->write * sizeof(float));
}
