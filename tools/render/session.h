/* SPDX-License-Identifier: ISC */
/* A render session: the plugin loaded through the host library, its patch
   set from a preset, a patch text or left at its default, macros set, the
   patch settled, then the render itself into a WAV file. */
#ifndef SR_SESSION_H
#define SR_SESSION_H

#include "args.h"
#include "events.h"
#include "meter.h"
#include "wav.h"

#include "strata_host.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
  ShWorld* world;
  ShHost*  host;
  uint32_t rate;
  uint32_t block;
  int32_t  seq;          ///< Next patch:sequenceNumber
  double   bpm;          ///< Tempo the host rolls at, 0 for no time:Position
} SrSession;

/* Loads the world (the plugin from the LV2 path) alone, for --list-presets. */
int sr_session_world(SrSession* session);

/* Instantiates the plugin at `rate` with `block`-frame blocks and gives it
   its patch: the preset `preset` (label or URI), or the patch text `patch`
   (`length` bytes, from the file `patch_path`), or neither. SR_EXIT_OK, or
   an exit code after printing why. */
int sr_session_open(SrSession* session, uint32_t rate, uint32_t block, const char* preset,
                    const char* patch, size_t length, const char* patch_path);

/* The plugin's current patch text (asked with patch:Get), malloc'd; NULL
   after printing why. */
char* sr_session_patch_text(SrSession* session);

/* Sets the macro ports given on the command line, then runs the plugin on
   silence until the patch swap's crossfade and the smoothing have settled. */
void sr_session_settle(SrSession* session, const SrArgs* args);

/* Renders `frames` frames: a time:Position at the start of every block when
   the session has a tempo, `events` (sorted) at their frames, `input` (may
   be NULL) into the audio inputs, the output into `wav` and `meter`, with
   progress on stderr unless `quiet`. SR_EXIT_OK or SR_EXIT_FAIL after
   printing why. */
int sr_session_render(SrSession* session, const SrEvents* events, const SrAudio* input,
                      uint64_t frames, SrWavWriter* wav, const char* out_path, SrMeter* meter,
                      bool quiet);

void sr_session_close(SrSession* session);

#endif
