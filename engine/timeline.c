/* SPDX-License-Identifier: ISC */
#include "timeline.h"

#include <math.h>

void
st_timeline_init(StTimeline* timeline, float rate)
{
  timeline->anchor = (StTransport){0.0, 0.0, ST_FREE_BPM, 4.0f, 4.0f, 1u, 0u};
  timeline->since  = 0;
  timeline->rate   = rate;
}

static bool
positive(float x)
{
  return x > 0.0f && x <= 1e6f;  // NaN fails
}

/* x in 0 <= x < bar (a count-in before the song start has negative beats). */
static double
wrap(double x, float bar)
{
  const double w = fmod(x, (double)bar);
  return w < 0.0 ? (w + bar < bar ? w + bar : 0.0) : w;
}

bool
st_timeline_locate(StTimeline* timeline, const StTransport* position)
{
  const StTransport* p = position;
  if (!positive(p->bpm) || !positive(p->beats_per_bar) || !positive(p->beat_unit) ||
      !(fabs(p->beat) < 1e12) || !(fabs(p->bar_beat) < 1e12)) {
    return false;
  }
  timeline->anchor          = *p;
  timeline->anchor.bar_beat = wrap(p->bar_beat, p->beats_per_bar);
  timeline->anchor.playing  = p->playing ? 1u : 0u;
  timeline->since           = 0;
  return true;
}

StTransport
st_timeline_now(const StTimeline* timeline)
{
  StTransport now = timeline->anchor;
  if (now.playing && timeline->since) {
    const double beats = (double)timeline->since * now.bpm / 60.0 / timeline->rate;
    now.beat += beats;
    now.bar_beat = wrap(now.bar_beat + beats, now.beats_per_bar);
  }
  return now;
}

void
st_timeline_advance(StTimeline* timeline, uint32_t frames)
{
  timeline->since += frames;
}
