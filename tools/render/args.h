/* SPDX-License-Identifier: ISC */
/* strata-render's command line: options into SrArgs, checked as far as
   they can be without opening anything; the --help text. */
#ifndef SR_ARGS_H
#define SR_ARGS_H

#include "events.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SR_MACROS         16
#define SR_DEFAULT_RATE   48000u
#define SR_DEFAULT_BLOCK  512u
#define SR_MAX_BLOCK      8192u
#define SR_MIN_RATE       1000u
#define SR_MAX_RATE       768000u
#define SR_MAX_SECONDS    86400.0
#define SR_MIN_BPM        1.0
#define SR_MAX_BPM        999.0
#define SR_DEFAULT_SECONDS 4.0   ///< Length with nothing to play
#define SR_TAIL_SECONDS   2.0    ///< Added after the last note, MIDI event or input
#define SR_DEFAULT_NOTES  "C4:0:2,E4:0:2,G4:0:2" ///< Played with no --notes, --midi or --in

typedef struct {
  const char* preset;            ///< --preset NAME|URI
  const char* patch;             ///< --patch FILE
  const char* in;                ///< --in FILE
  const char* notes;             ///< --notes SPEC (already parsed into `events`)
  const char* midi;              ///< --midi FILE
  const char* out;               ///< -o FILE
  const char* check;             ///< --check FILE
  const char* dot_file;          ///< --dot or --dot-expanded FILE; NULL or "-" for stdout
  bool        dot;               ///< --dot or --dot-expanded given
  bool        dot_expanded;      ///< --dot-expanded: sub-patches drawn with their bodies
  bool        list_presets;      ///< --list-presets
  bool        list_nodes;        ///< --list-nodes
  bool        help;              ///< -h, --help
  bool        version;           ///< --version
  bool        quiet;             ///< -q, --quiet: no progress
  bool        macro_set[SR_MACROS];
  float       macro[SR_MACROS];  ///< --macro N=VALUE, 0..1
  double      seconds;           ///< --seconds, 0 when not given
  uint32_t    rate;              ///< --rate, 0 when not given
  uint32_t    block;             ///< --block
  double      bpm;               ///< --bpm, 0 when not given
  SrEvents    events;            ///< From --notes (--midi is read later)
} SrArgs;

/* Parses argv. SR_EXIT_OK, or SR_EXIT_USAGE after printing why. */
int sr_args_parse(int argc, char** argv, SrArgs* args);
void sr_args_free(SrArgs* args);

void sr_args_usage(FILE* out);

#endif
