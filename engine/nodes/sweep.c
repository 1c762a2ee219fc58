/* SPDX-License-Identifier: ISC */
#include "sweep.h"

#include "division.h"
#include "dsp.h"

#include <math.h>
#include <string.h>

#define FALLBACK_BPM 120.0  ///< Tempo when the host gives none (or an absurd one)
#define LOCK_TIME 0.05      ///< Seconds to pull the phase onto the beat (63 %)

static double
wrap(double x)
{
  return x - floor(x);
}

double
st_sweep_next(StSweep* s, float hz, bool sync, uint32_t division, const StTransport* t,
              uint32_t frame, float rate)
{
  const double now  = s->phase;
  double       want = (double)hz / rate;  // cycles per sample
  if (sync) {
    const double bpm   = t->bpm > 0.0f && t->bpm < 1e4f ? (double)t->bpm : FALLBACK_BPM;
    const double beats = st_division_beats(division, t->beat_unit);
    want               = bpm / 60.0 / rate / beats;
    if (t->playing && isfinite(t->beat)) {
      const double at  = wrap((t->beat + frame * bpm / 60.0 / rate) / beats);
      const double err = wrap(at - now + 0.5) - 0.5;  // the shorter way round
      want += err / (LOCK_TIME * rate);
    }
  }
  s->speed +=
    (want - s->speed) / (1.0 + ST_GLIDE_TIME * rate);  // one-pole, 1 - e^(-1/(T rate)) nearly
  s->phase = wrap(now + s->speed);
  return now;
}

float
st_sweep_sine(double phase)
{
  return sinf((float)(2.0 * ST_PI * phase));
}

void
st_swept_init(StSwept* s, const float* params, uint32_t count, float rate)
{
  memcpy(s->glide, params, count * sizeof(float));
  s->coef = st_pole(ST_GLIDE_TIME, rate);
}

double
st_swept_phase(StSwept* s, const StProcess* p, uint32_t frame)
{
  StParam*   pr   = p->params;
  const bool sync = st_choice(&pr[ST_SWEEP_SYNC], 2);
  const int  div  = st_choice(&pr[ST_SWEEP_DIVISION], ST_DIV_COUNT);
  return st_sweep_next(&s->sweep, st_param_next(&pr[ST_SWEEP_RATE]), sync, (uint32_t)div,
                       &p->host->transport, frame, p->rate);
}
