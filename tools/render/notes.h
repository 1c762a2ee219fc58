/* SPDX-License-Identifier: ISC */
/* The --notes spec: a short written sequence of notes.

     SPEC     = "none" | NOTE { "," NOTE }
     NOTE     = PITCH [ "@" VELOCITY ] ":" START ":" DURATION
     PITCH    = letter [ "#" | "b" ] octave   (C4 = MIDI 60, A4 = 69; octave -1..9)
              | MIDI note number 0..127
     VELOCITY = 0 < v <= 1 (default 0.8, i.e. MIDI 102)
     START    = seconds >= 0;  DURATION = seconds > 0

   e.g. "C4:0:0.5,E4:0.5:0.5,G4@0.8:1:1" or "60:0:2,64:0:2,67:0:2".
   Each note is a note-on on channel 1 at START and its note-off at
   START + DURATION. Blanks around the parts are allowed. */
#ifndef SR_NOTES_H
#define SR_NOTES_H

#include "events.h"

#include <stdbool.h>
#include <stddef.h>

#define SR_NOTES_MAX_SECONDS 86400.0 ///< Latest a note may end

/* Appends the spec's events; false with the reason in `why` (which names
   the note, by number and text, and the part that is wrong). */
bool sr_notes_parse(const char* spec, SrEvents* events, char* why, size_t why_size);

/* A decimal number (no hex, inf or nan) of the whole of `text`. */
bool sr_parse_number(const char* text, double* value);

#endif
