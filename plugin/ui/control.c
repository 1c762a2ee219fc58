/* SPDX-License-Identifier: ISC */
#include "control.h"

#include "patch_lexer.h"
#include "patch_number.h"

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

/* --- Macro map entries --- */

void
st_ui_control_map_default(const StParamSpec* spec, char* text, size_t size)
{
  char min[ST_NUMBER_TEXT], max[ST_NUMBER_TEXT];
  st_number_format(spec->min, min);
  st_number_format(spec->max, max);
  snprintf(text, size, "%s..%s %s \"%s\"", min, max,
           st_ui_control_scale(spec) == ST_UI_SCALE_LOG ? "exp" : "lin", spec->name);
}

/* "expected WHAT, found 'x'" for what the lexer is at. */
static bool
expected(StLexer* lex, const char* what, char* error, size_t size)
{
  char found[64];
  st_lexer_at_end(lex);  // Skips blanks
  st_lexer_describe(lex, lex->pos, found, sizeof(found));
  snprintf(error, size, "expected %s, found %s", what, found);
  return false;
}

/* Reads one bound of the range, within the parameter's own range. */
static bool
map_bound(StLexer* lex, const StParamSpec* spec, const char* what, float* value, char* error,
          size_t size)
{
  StToken      token;
  char         text[64];
  const StScan scan = st_lexer_number(lex, &token);
  if (scan != ST_SCAN_OK) {
    if (scan == ST_SCAN_BAD) {
      char found[64];
      st_lexer_describe(lex, token.start, found, sizeof(found));
      snprintf(error, size, "bad number %s", found);
      return false;
    }
    return expected(lex, what, error, size);
  }
  if (!st_lexer_copy(lex, &token, text, sizeof(text))) {
    snprintf(error, size, "a number is too long (at most %d characters)",
             (int)sizeof(text) - 1);
    return false;
  }
  StNumberLocale locale;
  bool           read = !st_number_begin(&locale);
  if (read) {
    read = st_number_read(text, value);
    st_number_end(&locale);
  }
  if (!read || *value < spec->min || *value > spec->max) {
    const char* space = spec->unit[0] ? " " : "";
    snprintf(error, size, "%s is out of range %g..%g%s%s", text, (double)spec->min,
             (double)spec->max, space, spec->unit);
    return false;
  }
  return true;
}

/* Reads the optional lin or exp. */
static bool
map_curve(StLexer* lex, StCurve* curve, char* error, size_t size)
{
  StToken token;
  char    word[8];
  *curve = ST_CURVE_LINEAR;
  if (!st_lexer_name(lex, &token)) {
    return true;
  }
  if (!st_lexer_copy(lex, &token, word, sizeof(word)) ||
      (strcmp(word, "lin") && strcmp(word, "exp"))) {
    char found[64];
    st_lexer_describe(lex, token.start, found, sizeof(found));
    snprintf(error, size, "expected lin, exp or a \"label\", found %s", found);
    return false;
  }
  *curve = word[0] == 'e' ? ST_CURVE_EXPONENTIAL : ST_CURVE_LINEAR;
  return true;
}

/* Reads the optional label, with the patch format's escapes. */
static bool
map_label(StLexer* lex, char* label, size_t label_size, char* error, size_t size)
{
  static const char* const why[] = {
    [ST_LABEL_CONTROL] = "a label cannot hold control characters: write them as \\xHH",
    [ST_LABEL_ESCAPE]  = "bad escape in label: use \\\", \\\\ or \\xHH",
    [ST_LABEL_ZERO]    = "a label cannot hold a zero byte",
    [ST_LABEL_OPEN]    = "label has no closing '\"'",
  };
  unsigned column;
  label[0] = '\0';
  if (!st_lexer_at_label(lex)) {
    return true;
  }
  const StLabelScan scan = st_lexer_label(lex, label, label_size, &column);
  if (scan == ST_LABEL_LONG) {
    snprintf(error, size, "label is too long (at most %d bytes)", (int)label_size - 1);
  } else if (scan != ST_LABEL_OK) {
    snprintf(error, size, "%s", why[scan]);
  }
  return scan == ST_LABEL_OK;
}

bool
st_ui_control_parse_map(const StParamSpec* spec, const char* text, StUiMapEntry* entry,
                        char* error, size_t size)
{
  StLexer      lex;
  StToken      token;
  StUiMapEntry e;
  st_lexer_init(&lex, text, strlen(text));
  st_lexer_next_line(&lex);
  if (!map_bound(&lex, spec, "the minimum", &e.min, error, size)) {
    return false;
  }
  if (!st_lexer_punct(&lex, "..", &token)) {
    return expected(&lex, "'..' between min and max", error, size);
  }
  if (!map_bound(&lex, spec, "the maximum", &e.max, error, size) ||
      !map_curve(&lex, &e.curve, error, size) ||
      !map_label(&lex, e.label, sizeof(e.label), error, size)) {
    return false;
  }
  if (!st_lexer_at_end(&lex)) {
    return expected(&lex, "the end", error, size);
  }
  if (e.curve == ST_CURVE_EXPONENTIAL && !(e.min * e.max > 0.0f)) {
    snprintf(error, size, "exp needs min and max of one sign, not 0");
    return false;
  }
  *entry = e;
  return true;
}
