/* SPDX-License-Identifier: ISC */
/* A parameter's control: where a value sits along its slider, what a drag
   or a typed value makes of it, and how it is shown, from the node type's
   parameter table (range, unit, integer and choice flags). Frequency-like
   ranges are exponential: a slider over 20..20000 Hz gives each octave the
   same length. */
#ifndef ST_UI_CONTROL_H
#define ST_UI_CONTROL_H

#include "graph.h"
#include "node.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  ST_UI_SCALE_LINEAR,  ///< Even steps of value
  ST_UI_SCALE_LOG,     ///< Even ratios: min > 0 and max at least 100 times min
  ST_UI_SCALE_CUBIC,   ///< value = max * f^3: a Hz or seconds range from 0, fine near 0
} StUiScale;

/* Pixels a drag takes over the whole range; a fine drag takes ten times more. */
#define ST_UI_DRAG_RANGE 200.0f
#define ST_UI_FINE_FACTOR 10.0f

StUiScale st_ui_control_scale(const StParamSpec* spec);

/* Where `value` sits along the control, 0..1. */
float st_ui_control_fraction(const StParamSpec* spec, float value);

/* The value at `fraction` (clamped to 0..1): whole for integer and choice parameters. */
float st_ui_control_value(const StParamSpec* spec, float fraction);

/* The value after dragging `pixels` (up or right positive) from `start`. */
float st_ui_control_drag(const StParamSpec* spec, float start, float pixels, bool fine);

/* Reads a typed value: a number (a trailing unit, or a k for thousands, is
   allowed: "1.2k", "440 Hz") or a choice's name. False with a message when it is
   no value or out of range. */
bool st_ui_control_parse(const StParamSpec* spec, const char* text, float* value, char* error,
                         size_t size);

/* The value as shown: "1.2 kHz", "440 Hz", "0.25", "saw". */
void st_ui_control_format(const StParamSpec* spec, float value, char* text, size_t size);

/* A macro map as the user types it, in the patch format's own syntax:
   `MIN..MAX [lin|exp] ["Label"]` (the tail of a macro statement). */
typedef struct {
  float   min, max;
  StCurve curve;
  char    label[ST_NAME_MAX];
} StUiMapEntry;

/* The entry a new map starts from: the whole range, exp on an exponential
   control, the parameter's name as its label: `80..12000 exp "cutoff"`. */
void st_ui_control_map_default(const StParamSpec* spec, char* text, size_t size);

/* Reads a typed map entry for `spec`. False with a message when it does not
   parse, a bound is out of range, or an exp curve's bounds are not of one sign. */
bool st_ui_control_parse_map(const StParamSpec* spec, const char* text, StUiMapEntry* entry,
                             char* error, size_t size);

#endif
