/* SPDX-License-Identifier: ISC */
/* Decoding of the channel messages the MIDI nodes understand. */
#ifndef ST_MIDI_MSG_H
#define ST_MIDI_MSG_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
  ST_MIDI_OTHER,     ///< Anything the nodes ignore
  ST_MIDI_NOTE_ON,   ///< a = note, b = velocity (never 0)
  ST_MIDI_NOTE_OFF,  ///< a = note, b = release velocity (also note-on with velocity 0: b = 0)
  ST_MIDI_CC,        ///< a = controller, b = value
  ST_MIDI_PRESSURE,  ///< b = pressure (channel, or with `key` polyphonic: a = note)
  ST_MIDI_BEND,      ///< bend = -1..1
} StMidiKind;

typedef struct {
  StMidiKind kind;
  uint8_t    a, b;
  float      bend;
  uint8_t    channel; ///< 0..15
  bool       key;     ///< ST_MIDI_PRESSURE of one key (polyphonic aftertouch)
} StMidiMsg;

#define ST_MIDI_ALL_SOUND_OFF 120  ///< Controller that silences every voice
#define ST_MIDI_ALL_NOTES_OFF 123  ///< Controller that releases every voice
#define ST_MIDI_MOD_WHEEL 1        ///< Modulation wheel controller (MSB)
#define ST_MIDI_TIMBRE 74          ///< Sound controller 5: brightness, MPE's timbre

/* Decodes `msg`; messages on other channels than `channel` (1..16, 0 = any)
   come back as ST_MIDI_OTHER. */
static inline StMidiMsg
st_midi_decode(const uint8_t* msg, uint32_t size, uint32_t channel)
{
  StMidiMsg m = {ST_MIDI_OTHER, 0, 0, 0.0f, 0, false};
  if (size < 2 || (channel && (msg[0] & 0x0Fu) + 1u != channel)) {
    return m;
  }
  m.channel       = msg[0] & 0x0Fu;
  const uint8_t a = msg[1] & 0x7Fu;
  const uint8_t b = size > 2 ? (msg[2] & 0x7Fu) : 0;
  switch (msg[0] & 0xF0u) {
  case 0x90: m.kind = b ? ST_MIDI_NOTE_ON : ST_MIDI_NOTE_OFF; break;
  case 0x80: m.kind = ST_MIDI_NOTE_OFF; break;
  case 0xB0: m.kind = ST_MIDI_CC; break;
  case 0xD0: m.kind = ST_MIDI_PRESSURE; m.b = a; return m;
  case 0xA0: m.kind = ST_MIDI_PRESSURE; m.key = true; break;
  case 0xE0:
    m.kind = ST_MIDI_BEND;
    m.bend = (float)((b << 7 | a) - 8192) / 8192.0f;
    m.bend = m.bend < -1.0f ? -1.0f : m.bend;
    break;
  default: break;
  }
  m.a = a;
  m.b = b;
  return m;
}

#endif
