/* SPDX-License-Identifier: ISC */
/* A host's time:Position read into the engine's transport. */
#ifndef ST_POSITION_H
#define ST_POSITION_H

#include "node.h"
#include "uris.h"

#include <lv2/atom/atom.h>

#include <stdbool.h>

/* Updates `transport` (the position now) from a valid time:Position object:
   the properties it has replace what they describe, the rest keeps running.
   The song position is time:beat, else time:bar * beatsPerBar + barBeat (the
   form Ardour sends); playing is speed > 0. False, with `transport`
   unchanged, when a property is there but not a finite number. */
bool st_position_read(const StUris* u, const LV2_Atom_Object* position, StTransport* transport);

#endif
