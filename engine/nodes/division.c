/* SPDX-License-Identifier: ISC */
#include "division.h"

#include <stddef.h>

const char* const st_division_names[] = {
  "four_wholes",      "two_wholes",       "whole",
  "half",             "dotted_half",      "half_triplet",
  "quarter",          "dotted_quarter",   "quarter_triplet",
  "eighth",           "dotted_eighth",    "eighth_triplet",
  "sixteenth",        "dotted_sixteenth", "sixteenth_triplet",
  "thirty_second",    "thirty_second_triplet", "sixty_fourth",
  NULL,
};

const char* const st_sync_names[] = {"off", "on", NULL};

// Whole notes per division: dotted is 3/2 of the plain note, triplet 2/3.
static const double wholes[ST_DIV_COUNT] = {
  4.0,        2.0,        1.0,        0.5,        0.75,        1.0 / 3.0,
  0.25,       0.375,      1.0 / 6.0,  0.125,      0.1875,      1.0 / 12.0,
  0.0625,     0.09375,    1.0 / 24.0, 0.03125,    1.0 / 48.0,  0.015625,
};

double
st_division_whole(uint32_t index)
{
  return wholes[index < ST_DIV_COUNT ? index : ST_DIV_COUNT - 1];
}

double
st_division_beats(uint32_t index, double beat_unit)
{
  return st_division_whole(index) * (beat_unit > 0.0 ? beat_unit : 4.0);
}
