/* SPDX-License-Identifier: ISC */
#include "control.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
whole(const StParamSpec* spec)
{
  return spec->flags & (ST_PARAM_INT | ST_PARAM_CHOICE);
}

StUiScale
st_ui_control_scale(const StParamSpec* spec)
{
  if (whole(spec)) {
    return ST_UI_SCALE_LINEAR;
  }
  if (spec->min > 0 && spec->max >= 100 * spec->min) {
    return ST_UI_SCALE_LOG;
  }
  const bool timely = !strcmp(spec->unit, "Hz") || !strcmp(spec->unit, "s");
  return timely && spec->min == 0 && spec->max > 0 ? ST_UI_SCALE_CUBIC : ST_UI_SCALE_LINEAR;
}

float
st_ui_control_fraction(const StParamSpec* spec, float value)
{
  const float v = value < spec->min ? spec->min : value > spec->max ? spec->max : value;
  if (spec->max <= spec->min) {
    return 0;
  }
  switch (st_ui_control_scale(spec)) {
  case ST_UI_SCALE_LOG:
    return logf(v / spec->min) / logf(spec->max / spec->min);
  case ST_UI_SCALE_CUBIC:
    return cbrtf(v / spec->max);
  case ST_UI_SCALE_LINEAR:
    break;
  }
  return (v - spec->min) / (spec->max - spec->min);
}

float
st_ui_control_value(const StParamSpec* spec, float fraction)
{
  const float f = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
  float       v = 0;
  switch (st_ui_control_scale(spec)) {
  case ST_UI_SCALE_LOG:
    v = spec->min * powf(spec->max / spec->min, f);
    break;
  case ST_UI_SCALE_CUBIC:
    v = spec->max * f * f * f;
    break;
  case ST_UI_SCALE_LINEAR:
    v = spec->min + f * (spec->max - spec->min);
    break;
  }
  v = whole(spec) ? roundf(v) : v;
  return v < spec->min ? spec->min : v > spec->max ? spec->max : v;
}

float
st_ui_control_drag(const StParamSpec* spec, float start, float pixels, bool fine)
{
  const float range = ST_UI_DRAG_RANGE * (fine ? ST_UI_FINE_FACTOR : 1.0f);
  return st_ui_control_value(spec, st_ui_control_fraction(spec, start) + pixels / range);
}

static bool
fail(char* error, size_t size, const char* text, const char* what)
{
  snprintf(error, size, "'%s' is not %s", text, what);
  return false;
}

bool
st_ui_control_parse(const StParamSpec* spec, const char* text, float* value, char* error,
                    size_t size)
{
  while (isspace((unsigned char)*text)) {
    ++text;
  }
  for (int i = 0; spec->choices && spec->choices[i]; ++i) {
    if (!strcmp(spec->choices[i], text)) {
      *value = (float)i;
      return true;
    }
  }
  char*  end = NULL;
  double v   = strtod(text, &end);
  if (end == text || !isfinite(v)) {
    return fail(error, size, text, "a number");
  }
  if (*end == 'k' || *end == 'K') {
    v *= 1000;
    ++end;
  }
  while (isspace((unsigned char)*end)) {
    ++end;
  }
  const size_t unit = strlen(spec->unit);
  if (*end && !(unit && !strncmp(end, spec->unit, unit) && !end[unit])) {
    return fail(error, size, text, "a number");
  }
  if (whole(spec) && v != floor(v)) {
    return fail(error, size, text, "a whole number");
  }
  if (v < spec->min || v > spec->max) {
    snprintf(error, size, "%g is out of range %g..%g%s%s", v, (double)spec->min,
             (double)spec->max, unit ? " " : "", spec->unit);
    return false;
  }
  *value = (float)v;
  return true;
}

void
st_ui_control_format(const StParamSpec* spec, float value, char* text, size_t size)
{
  const int i = (int)value;
  if ((spec->flags & ST_PARAM_CHOICE) && spec->choices && value == (float)i && i >= 0) {
    int n = 0;
    while (spec->choices[n]) {
      ++n;
    }
    if (i < n) {
      snprintf(text, size, "%s", spec->choices[i]);
      return;
    }
  }
  const char* space = spec->unit[0] ? " " : "";
  if (!strcmp(spec->unit, "Hz") && fabsf(value) >= 1000) {
    snprintf(text, size, "%.3g kHz", (double)value / 1000);
  } else if (whole(spec)) {
    snprintf(text, size, "%d%s%s", i, space, spec->unit);
  } else {
    snprintf(text, size, "%.3g%s%s", (double)value, space, spec->unit);
  }
}
