/* SPDX-License-Identifier: ISC */
/* Note divisions for tempo-synced parameters: one table of names shared by
   every node with a rate or time "as a note division", so a patch says
   `division=dotted_eighth` the same way everywhere (names, not "1/8d": a
   choice in the patch format is a name). */
#ifndef ST_DIVISION_H
#define ST_DIVISION_H

#include "node.h"

#include <stdint.h>

/* Indices into st_division_names, in the order of the choice parameter. */
enum {
  ST_DIV_4_1,   ///< Four whole notes
  ST_DIV_2_1,   ///< Two whole notes
  ST_DIV_1_1,   ///< Whole note
  ST_DIV_1_2,   ///< Half note
  ST_DIV_1_2D,  ///< Dotted half
  ST_DIV_1_2T,  ///< Half-note triplet
  ST_DIV_1_4,   ///< Quarter note
  ST_DIV_1_4D,  ///< Dotted quarter
  ST_DIV_1_4T,  ///< Quarter-note triplet
  ST_DIV_1_8,   ///< Eighth note
  ST_DIV_1_8D,  ///< Dotted eighth
  ST_DIV_1_8T,  ///< Eighth-note triplet
  ST_DIV_1_16,  ///< Sixteenth note
  ST_DIV_1_16D, ///< Dotted sixteenth
  ST_DIV_1_16T, ///< Sixteenth-note triplet
  ST_DIV_1_32,  ///< Thirty-second note
  ST_DIV_1_32T, ///< Thirty-second-note triplet
  ST_DIV_1_64,  ///< Sixty-fourth note
  ST_DIV_COUNT  ///< Number of divisions
};

/* Names of the divisions, NULL-terminated: the `choices` of a division
   parameter ("quarter", "dotted_eighth", "eighth_triplet"...). */
extern const char* const st_division_names[];

/* Length of a division as a fraction of a whole note (1/4d = 0.375). */
double st_division_whole(uint32_t index);

/* Length of a division in beats of a time signature whose beat is a
   1/beat_unit note (beat_unit 4: a quarter note is one beat). */
double st_division_beats(uint32_t index, double beat_unit);

/* Choices of a synced node's `sync` parameter: the default keeps it free. */
extern const char* const st_sync_names[];
enum { ST_SYNC_OFF, ST_SYNC_ON };

/* The transport's tempo, or 120 BPM where it holds none (a node run alone). */
static inline double
st_transport_bpm(const StTransport* t)
{
  return t->bpm > 0.0f ? (double)t->bpm : 120.0;
}

/* Beats from one frame to the next: 0 while the transport is stopped. */
static inline double
st_transport_step(const StTransport* t, float rate)
{
  return t->playing ? st_transport_bpm(t) / 60.0 / (double)rate : 0.0;
}

#endif
