/* SPDX-License-Identifier: ISC */
/* Voice-group micro-benchmarks of strata-bench-micro (micro_voices.c), on a
   patch file whose voice group is the node named "v" (bench/peers/strata/
   P3_group.patch), one engine thread, 64-frame blocks. */
#ifndef MICRO_VOICES_H
#define MICRO_VOICES_H

#include <stdint.h>

/* ns per block of the group with 1, 8 and 32 voices all asleep, and with
   one and all voices held; prints a Markdown table and the cost of one
   idle and one awake voice. Returns the exit status. */
int micro_voices(const char* patch_file, uint32_t blocks);

/* The voice count changed (16, 8, 32, 4, 16 ...) while 4 keys are held:
   block times in and out of the crossfades, the control side's rebuild,
   and the crossfade's length in frames measured in the output of a steady
   level. Prints a Markdown table. Returns the exit status. */
int micro_count(const char* patch_file, uint32_t edits);

#endif
