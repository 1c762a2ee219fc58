/* SPDX-License-Identifier: ISC */
/* Progress of a render on stderr: on a terminal a one-line bar redrawn in
   place; otherwise a plain line at every 10 %. */
#ifndef SR_PROGRESS_H
#define SR_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
  FILE*    out;
  bool     tty;      ///< Redraw one line in place
  bool     quiet;    ///< Show nothing
  uint64_t total;    ///< Frames to render
  int      shown;    ///< Last permille (tty) or tenth (lines) shown, -1 before any
} SrProgress;

void sr_progress_begin(SrProgress* progress, FILE* out, uint64_t total, bool quiet);
void sr_progress_update(SrProgress* progress, uint64_t done);
/* Completes the bar (and its line) at 100 %. */
void sr_progress_end(SrProgress* progress);

#endif
