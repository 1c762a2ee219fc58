/* SPDX-License-Identifier: ISC */
/* The wavetable oscillator's built-in tables: single cycles made by additive
   synthesis, each kept at several band limits (one per octave of pitch), so
   that a note reads a version with no harmonic above the Nyquist frequency. */
#ifndef ST_WAVETABLE_DATA_H
#define ST_WAVETABLE_DATA_H

#include <stdint.h>

#define ST_WT_BITS 11                  ///< log2 of the samples per cycle
#define ST_WT_SIZE (1u << ST_WT_BITS)  ///< Samples per cycle
#define ST_WT_LEVELS 10                ///< Band limits: level j holds harmonics 1..2^j
#define ST_WT_GUARD 3                  ///< Extra samples around a cycle for interpolation

enum { ST_WT_SINE, ST_WT_SAW, ST_WT_SQUARE, ST_WT_VOCAL, ST_WT_BELL, ST_WT_TABLES };

/* Builds the tables once (control side, thread-safe). */
void st_wavetable_prepare(void);

/* Table `table` at band-limit level `level`: ST_WT_SIZE + ST_WT_GUARD samples,
   where element 1 + i is sample i of the cycle (element 0 is sample -1). */
const float* st_wavetable_cycle(int table, int level);

#endif
