/* The sweep of a modulation effect (chorus, flanger, phaser): a phase that
   free-runs at a rate in Hz or, synced, at a note division of the host's
   tempo, locked to the host's beat while the transport rolls. */
#ifndef ST_SWEEP_H
#define ST_SWEEP_H

#include "node.h"

#include <stdint.h>

typedef struct {
  double phase;  ///< Position in the cycle, 0..1
} StSweep;

/* Advances one sample and returns the phase, 0..1. `hz` is the free rate;
   with `sync` set the rate is one cycle per `division` (st_division_names)
   at the host's tempo, and while the host plays the phase is pulled towards
   the beat's position in the cycle (time constant 50 ms), so relocations,
   tempo and division changes glide instead of jumping. `frame` is the
   sample's index in the sub-block. */
double st_sweep_next(StSweep* s, float hz, bool sync, uint32_t division,
                     const StTransport* t, uint32_t frame, float rate);

/* sin(2 pi phase), phase in 0..1. */
float st_sweep_sine(double phase);

#endif
