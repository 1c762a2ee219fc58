/* SPDX-License-Identifier: ISC */
#include "notes.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_VELOCITY 0.8

bool
sr_parse_number(const char* text, double* value)
{
  if (!*text || strlen(text) > 64) {
    return false;
  }
  for (const char* c = text; *c; ++c) {
    if (!isdigit((unsigned char)*c) && !strchr(".eE+-", *c)) {
      return false;
    }
  }
  char*        end = NULL;
  const double v   = strtod(text, &end);
  if (*end || !isfinite(v)) {
    return false;
  }
  *value = v;
  return true;
}

/* `text` without blanks at either end, into `out`. */
static void
trim(const char* text, size_t length, char* out, size_t size)
{
  while (length && isspace((unsigned char)*text)) {
    ++text;
    --length;
  }
  while (length && isspace((unsigned char)text[length - 1])) {
    --length;
  }
  length = length < size - 1 ? length : size - 1;
  memmove(out, text, length); // `out` may be `text` itself.
  out[length] = '\0';
}

/* MIDI note of "C4", "f#3", "Bb-1" or "60"; -1 when it is none. */
static int
parse_pitch(const char* text)
{
  double number = 0;
  if (isdigit((unsigned char)text[0])) {
    return sr_parse_number(text, &number) && number == floor(number) && number <= 127
             ? (int)number
             : -1;
  }
  static const int semitone[7] = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G
  const int        letter      = toupper((unsigned char)text[0]);
  if (letter < 'A' || letter > 'G') {
    return -1;
  }
  int         note = semitone[letter - 'A'];
  const char* rest = text + 1;
  if (*rest == '#') {
    ++note;
    ++rest;
  } else if (*rest == 'b') {
    --note;
    ++rest;
  }
  if (!*rest || (!isdigit((unsigned char)*rest) && *rest != '-')) {
    return -1;
  }
  char*      end    = NULL;
  const long octave = strtol(rest, &end, 10);
  if (*end || octave < -1 || octave > 9) {
    return -1;
  }
  const long midi = (octave + 1) * 12 + note;
  return midi >= 0 && midi <= 127 ? (int)midi : -1;
}

typedef struct {
  int    pitch;
  double velocity;
  double start;
  double duration;
} Note;

/* Splits "PITCH[@VEL]:START:DUR" (blank-trimmed) and reads each part. */
static bool
parse_note(const char* text, Note* note, char* why, size_t why_size)
{
  char        parts[3][96];
  const char* at = text;
  for (int i = 0; i < 3; ++i) {
    const char* colon = i < 2 ? strchr(at, ':') : at + strlen(at);
    if (!colon) {
      snprintf(why, why_size, "expected PITCH[@VELOCITY]:START:DURATION");
      return false;
    }
    trim(at, (size_t)(colon - at), parts[i], sizeof(parts[i]));
    at = colon + (i < 2);
  }
  if (strchr(parts[2], ':')) {
    snprintf(why, why_size, "too many ':' (expected PITCH[@VELOCITY]:START:DURATION)");
    return false;
  }
  char* vel = strchr(parts[0], '@');
  note->velocity = DEFAULT_VELOCITY;
  if (vel) {
    *vel++ = '\0';
    char v[96];
    trim(vel, strlen(vel), v, sizeof(v));
    if (!sr_parse_number(v, &note->velocity) || !(note->velocity > 0 && note->velocity <= 1)) {
      snprintf(why, why_size, "bad velocity '%s' (a number above 0, at most 1)", v);
      return false;
    }
    trim(parts[0], strlen(parts[0]), parts[0], sizeof(parts[0]));
  }
  if ((note->pitch = parse_pitch(parts[0])) < 0) {
    snprintf(why, why_size, "bad pitch '%s' (a name like C4, F#3, Bb2 or a MIDI number 0..127)",
             parts[0]);
    return false;
  }
  if (!sr_parse_number(parts[1], &note->start) || note->start < 0) {
    snprintf(why, why_size, "bad start '%s' (seconds, 0 or more)", parts[1]);
    return false;
  }
  if (!sr_parse_number(parts[2], &note->duration) || !(note->duration > 0)) {
    snprintf(why, why_size, "bad duration '%s' (seconds, more than 0)", parts[2]);
    return false;
  }
  if (note->start + note->duration > SR_NOTES_MAX_SECONDS) {
    snprintf(why, why_size, "the note ends after %.0f seconds", SR_NOTES_MAX_SECONDS);
    return false;
  }
  return true;
}

bool
sr_notes_parse(const char* spec, SrEvents* events, char* why, size_t why_size)
{
  char whole[16];
  trim(spec, strlen(spec), whole, sizeof(whole));
  if (!strcmp(whole, "none")) {
    return true;
  }
  if (!whole[0]) {
    snprintf(why, why_size, "empty spec (write notes like C4:0:1, or 'none')");
    return false;
  }
  const char* at = spec;
  for (unsigned n = 1;; ++n) {
    const char* comma = strchr(at, ',');
    const size_t len  = comma ? (size_t)(comma - at) : strlen(at);
    char         text[96];
    char         reason[256];
    Note         note;
    trim(at, len, text, sizeof(text));
    if (len >= sizeof(text)) {
      snprintf(why, why_size, "note %u '%.40s...': too long", n, text);
      return false;
    }
    if (!parse_note(text, &note, reason, sizeof(reason))) {
      snprintf(why, why_size, "note %u '%s': %s", n, text, reason);
      return false;
    }
    const long    vel = lround(note.velocity * 127.0);
    const uint8_t on[3]  = {0x90, (uint8_t)note.pitch, (uint8_t)(vel < 1 ? 1 : vel)};
    const uint8_t off[3] = {0x80, (uint8_t)note.pitch, 64};
    if (!sr_events_add(events, note.start, on, 3) ||
        !sr_events_add(events, note.start + note.duration, off, 3)) {
      snprintf(why, why_size, "out of memory");
      return false;
    }
    if (!comma) {
      return true;
    }
    at = comma + 1;
  }
}
