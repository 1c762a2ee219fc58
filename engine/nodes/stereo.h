/* SPDX-License-Identifier: ISC */
/* The stereo effects' ports (chorus, flanger, phaser, reverb): left and
   right in and out, the right input falling back to the left one when it is
   unlinked, so that a mono source gives a stereo effect. */
#ifndef ST_STEREO_H
#define ST_STEREO_H

#include "dsp.h"

enum { ST_STEREO_LEFT, ST_STEREO_RIGHT };

extern const StPortSpec st_stereo_inputs[2];   ///< "left", "right" (unlinked: the left)
extern const StPortSpec st_stereo_outputs[2];  ///< "left", "right": the dry/wet mix

/* Both inputs of a sub-block, made sane (st_sane_block); the right one is
   the left signal when its port is unlinked. */
static inline void
st_stereo_input(const StProcess* p, float in[2][ST_BLOCK])
{
  const bool right = p->linked & (1u << ST_STEREO_RIGHT);
  st_sane_block(in[0], p->in[ST_STEREO_LEFT], p->frames);
  st_sane_block(in[1], p->in[right ? ST_STEREO_RIGHT : ST_STEREO_LEFT], p->frames);
}

#endif
