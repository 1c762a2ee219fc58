/* The sweep of a modulation effect (chorus, flanger, phaser): a phase that
   free-runs at a rate in Hz or, synced, at a note division of the host's
   tempo, locked to the host's beat while the transport rolls. */
#ifndef ST_SWEEP_H
#define ST_SWEEP_H

#include "dsp.h"

#include <stdint.h>

#define ST_GLIDE_TIME 0.005f  ///< Seconds of the second smoothing of a swept setting

typedef struct {
  double phase;  ///< Position in the cycle, 0..1
  double speed;  ///< Cycles per sample, following the rate through a one-pole
} StSweep;

/* The phase at this sample, 0..1, and a step on to the next. `hz` is the
   free rate; with `sync` set the rate is one cycle per `division`
   (st_division_names) at the host's tempo (120 BPM without one), and while
   the host plays the phase is pulled towards the beat's position in the
   cycle (time constant 50 ms). The speed follows the rate (and the pull)
   through a one-pole of ST_GLIDE_TIME, so the phase never kinks:
   relocations, tempo and division changes, turning sync on or off, all
   glide. `frame` is the sample's index in the sub-block. */
double st_sweep_next(StSweep* s, float hz, bool sync, uint32_t division, const StTransport* t,
                     uint32_t frame, float rate);

/* sin(2 pi phase), phase in 0..1. */
float st_sweep_sine(double phase);

/* A second one-pole after a parameter's own smoothing (coefficient from
   st_pole(ST_GLIDE_TIME, rate)): a jump of the target then bends the
   setting's slope instead of kinking it, and a kink in a delay time or a
   mix is a kink in the output, heard as a tick when a setting is swept at
   audio rate. */
static inline float
st_glide(float* state, float value, float coef)
{
  const float y = *state + coef * (value - *state);
  *state        = fabsf(y) < 1e-20f ? 0.0f : y;  // st_flush(), without a branch on the sign
  return *state;
}

#endif
