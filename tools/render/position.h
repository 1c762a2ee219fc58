/* SPDX-License-Identifier: ISC */
/* The host's musical time for --bpm: a time:Position like a DAW sends. */
#ifndef SR_POSITION_H
#define SR_POSITION_H

#include "strata_host.h"

#include <stdbool.h>

/* Queues a time:Position at frame 0 of the next block: rolling (speed 1) at
   `bpm` in 4/4, at `beat` beats from the start (bar, barBeat and beat).
   False when the control buffer has no room. */
bool sr_position_send(ShHost* host, const StUris* uris, double bpm, double beat);

#endif
