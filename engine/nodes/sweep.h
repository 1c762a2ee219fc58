/* SPDX-License-Identifier: ISC */
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
  *state        = st_flush(y);
  return *state;
}

/* The first three parameters of every swept effect. */
enum { ST_SWEEP_RATE, ST_SWEEP_SYNC, ST_SWEEP_DIVISION };

#define ST_SWEPT_GLIDES 8  ///< Most parameters a swept effect glides

/* A swept effect's sweep and the second smoothing of its parameters. */
typedef struct {
  StSweep sweep;                   ///< The left side's sweep
  float   glide[ST_SWEPT_GLIDES];  ///< Parameters after the second smoothing (st_glide)
  float   coef;                    ///< Its coefficient
} StSwept;

/* Starts the glides of parameters 0..count-1 at their values at creation. */
void st_swept_init(StSwept* s, const float* params, uint32_t count, float rate);

/* The sweep's phase at sample `frame` of the sub-block (st_sweep_next), from
   the rate, sync and division parameters. */
double st_swept_phase(StSwept* s, const StProcess* p, uint32_t frame);

/* Parameter `index`'s next smoothed value, glided. */
static inline float
st_swept_param(StSwept* s, StParam* params, int index)
{
  return st_glide(&s->glide[index], st_param_next(&params[index]), s->coef);
}

#endif
