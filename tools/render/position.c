/* SPDX-License-Identifier: ISC */
#include "position.h"

#include <lv2/atom/forge.h>

#include <math.h>

#define BEATS_PER_BAR 4

bool
sr_position_send(ShHost* host, const StUris* u, double bpm, double beat)
{
  LV2_Atom_Forge*      forge = sh_host_forge(host);
  LV2_Atom_Forge_Frame frame;
  const double         bar = floor(beat / BEATS_PER_BAR);
  lv2_atom_forge_object(forge, &frame, 0, u->time_Position);
  lv2_atom_forge_key(forge, u->time_speed);
  lv2_atom_forge_float(forge, 1.0f);
  lv2_atom_forge_key(forge, u->time_beatsPerMinute);
  lv2_atom_forge_float(forge, (float)bpm);
  lv2_atom_forge_key(forge, u->time_beatsPerBar);
  lv2_atom_forge_float(forge, BEATS_PER_BAR);
  lv2_atom_forge_key(forge, u->time_beatUnit);
  lv2_atom_forge_int(forge, 4);
  lv2_atom_forge_key(forge, u->time_bar);
  lv2_atom_forge_long(forge, (int64_t)bar);
  lv2_atom_forge_key(forge, u->time_barBeat);
  lv2_atom_forge_float(forge, (float)(beat - bar * BEATS_PER_BAR));
  lv2_atom_forge_key(forge, u->time_beat);
  lv2_atom_forge_double(forge, beat);
  lv2_atom_forge_pop(forge, &frame);
  return sh_host_send_forged(host, 0);
}
