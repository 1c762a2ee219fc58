/* SPDX-License-Identifier: ISC */
/* Band-limited step (BLEP) and ramp (BLAMP) corrections from a
   Kaiser-windowed sinc: an oscillator adds them around each discontinuity of
   its naive waveform and reads its output ST_BLEP_HALF samples late, so that
   the corrections reach before the discontinuity too (linear phase). */
#ifndef ST_BLEP_H
#define ST_BLEP_H

#include <stdint.h>

#define ST_BLEP_TAPS 32                ///< Length of a correction in samples
#define ST_BLEP_HALF (ST_BLEP_TAPS / 2) ///< Output latency in samples

typedef struct {
  float    acc[ST_BLEP_TAPS];  ///< Output samples still being corrected
  uint32_t pos;                ///< Slot of the next sample to leave
} StBlep;

/* Builds the shared correction tables once (control side, thread-safe). */
void st_blep_prepare(void);

/* Adds a step of `height` that happened `since` samples (0..1) before now. */
void st_blep_step(StBlep* b, float since, float height);

/* Adds a change of slope (per sample) that happened `since` samples ago. */
void st_blep_ramp(StBlep* b, float since, float slope);

/* st_blep_step on a ring unrolled into a line: adds the correction to
   line[0..ST_BLEP_TAPS-1], line[0] being the slot of the current sample. */
void st_blep_step_line(float* line, float since, float height);

/* st_blep_ramp on a ring unrolled into a line, as st_blep_step_line. */
void st_blep_ramp_line(float* line, float since, float slope);

/* Takes the naive value of the current sample and returns the corrected,
   delayed output. */
static inline float
st_blep_out(StBlep* b, float naive)
{
  const uint32_t mask = ST_BLEP_TAPS - 1;
  b->acc[(b->pos + ST_BLEP_HALF) & mask] += naive;
  const float y = b->acc[b->pos];
  b->acc[b->pos] = 0.0f;
  b->pos = (b->pos + 1) & mask;
  return y;
}

#endif
