/* SPDX-License-Identifier: ISC */
/* The musical time the engine hands its nodes: a position the host set (or
   the free-running default) and the frames rendered since, so that a long
   render adds no rounding error from block to block. Audio thread only. */
#ifndef ST_TIMELINE_H
#define ST_TIMELINE_H

#include "node.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_FREE_BPM 120.0f  ///< Tempo before any host position: 4/4, rolling

typedef struct {
  StTransport anchor;  ///< Position last set, at frame `since` frames ago
  uint64_t    since;   ///< Frames rendered since the anchor
  float       rate;    ///< Sample rate in Hz
} StTimeline;

/* Starts free-running at ST_FREE_BPM in 4/4 from beat 0, playing. */
void st_timeline_init(StTimeline* timeline, float rate);

/* Sets the position at the next frame. Refused (false, nothing changed) when
   a value is not finite or out of range: bpm and the meter must be > 0,
   beat and bar_beat
   within +-1e12 (a count-in may be negative). bar_beat is wrapped into the bar. */
bool st_timeline_locate(StTimeline* timeline, const StTransport* position);

/* The position at the next frame. */
StTransport st_timeline_now(const StTimeline* timeline);

/* Moves on by `frames` rendered frames. */
void st_timeline_advance(StTimeline* timeline, uint32_t frames);

#endif
