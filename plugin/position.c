/* SPDX-License-Identifier: ISC */
#include "position.h"

#include "atoms.h"

#include <math.h>

/* The property `key` as a double in *value: true when absent (value left as
   it was, *found false) or a finite number; false when it is something else. */
static bool
read(const StUris* u, const LV2_Atom_Object* obj, LV2_URID key, double* value, bool* found)
{
  const LV2_Atom* a = st_atom_property(obj, key);
  *found            = a != NULL;
  return !a || st_atom_double(u, a, value);
}

bool
st_position_read(const StUris* u, const LV2_Atom_Object* position, StTransport* transport)
{
  StTransport t        = *transport;
  double      bpm      = t.bpm;
  double      per_bar  = t.beats_per_bar;
  double      unit     = t.beat_unit;
  double      speed    = t.playing ? 1.0 : 0.0;
  double      bar      = 0.0;
  double      bar_beat = t.bar_beat;
  double      beat     = t.beat;
  bool        has_bpm, has_per_bar, has_unit, has_speed, has_bar, has_bar_beat, has_beat;
  if (!read(u, position, u->time_beatsPerMinute, &bpm, &has_bpm) ||
      !read(u, position, u->time_beatsPerBar, &per_bar, &has_per_bar) ||
      !read(u, position, u->time_beatUnit, &unit, &has_unit) ||
      !read(u, position, u->time_speed, &speed, &has_speed) ||
      !read(u, position, u->time_bar, &bar, &has_bar) ||
      !read(u, position, u->time_barBeat, &bar_beat, &has_bar_beat) ||
      !read(u, position, u->time_beat, &beat, &has_beat)) {
    return false;
  }
  t.bpm           = (float)bpm;
  t.beats_per_bar = (float)per_bar;
  t.beat_unit     = (float)unit;
  t.playing       = speed > 0.0;
  t.from_host     = 1u;
  if (has_beat) {
    t.beat     = beat;
    t.bar_beat = has_bar_beat ? bar_beat : fmod(beat, per_bar);
  } else if (has_bar || has_bar_beat) {
    t.bar_beat = bar_beat;
    t.beat     = has_bar ? bar * per_bar + bar_beat : t.beat - t.bar_beat + bar_beat;
  }
  *transport = t;
  return true;
}
