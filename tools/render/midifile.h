/* SPDX-License-Identifier: ISC */
/* A Standard MIDI File reader: formats 0 and 1, running status, tempo
   changes (and SMPTE time division), channel messages (note on and off,
   control change, pitch bend, program change, pressure); system exclusive
   and other meta events are skipped. Any bytes are safe: a broken file is
   refused with the byte offset and what is wrong, never read out of bounds. */
#ifndef SR_MIDIFILE_H
#define SR_MIDIFILE_H

#include "events.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SR_MIDI_MAX_BYTES (64u << 20) ///< Largest file read

/* Reads the file's events (times in seconds) into `events`, sorted, and
   the time of its last end of track into *length. False with the reason in
   `why` (without the path). */
bool sr_midi_read(const char* path, SrEvents* events, double* length, char* why,
                  size_t why_size);

/* The same from bytes in memory. */
bool sr_midi_parse(const uint8_t* data, size_t size, SrEvents* events, double* length,
                   char* why, size_t why_size);

#endif
