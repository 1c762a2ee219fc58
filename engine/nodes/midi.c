/* SPDX-License-Identifier: ISC */
/* Monophonic MIDI to control signals, with last-note priority: a note stack
   remembers held notes so that releasing the newest returns to the one before. */
#include "dsp.h"
#include "midi_msg.h"
#include "types.h"

#include <string.h>

#define STACK 16  // held notes remembered; the oldest is forgotten beyond

enum { P_CHANNEL, P_BEND_RANGE };
enum { O_GATE, O_PITCH, O_VELOCITY, O_BEND, O_MOD, O_AFTERTOUCH, N_OUTPUTS };

typedef struct {
  uint8_t  notes[STACK];  ///< Held notes, newest last
  float    vels[STACK];   ///< Their velocities, 0..1
  uint32_t count;         ///< Number of held notes
  uint32_t channel;       ///< 1..16, or 0 for any
  float    note;          ///< Sounding (or last) note number
  float    velocity;      ///< Its velocity, 0..1
  float    bend;          ///< Pitch bend, -1..1
  float    mod;           ///< Modulation wheel, 0..1
  float    pressure;      ///< Aftertouch, 0..1
} Midi;

static void
forget(Midi* m, uint8_t note)
{
  for (uint32_t i = 0; i < m->count; ++i) {
    if (m->notes[i] == note) {
      memmove(m->notes + i, m->notes + i + 1, m->count - i - 1);
      memmove(m->vels + i, m->vels + i + 1, (m->count - i - 1) * sizeof(float));
      --m->count;
      return;
    }
  }
}

static void
press(Midi* m, uint8_t note, float velocity)
{
  forget(m, note);
  if (m->count == STACK) {
    forget(m, m->notes[0]);
  }
  m->notes[m->count] = note;
  m->vels[m->count]  = velocity;
  ++m->count;
}

/* The newest held note sounds; with none held the last one stays for release. */
static void
follow_top(Midi* m)
{
  if (m->count) {
    m->note     = m->notes[m->count - 1];
    m->velocity = m->vels[m->count - 1];
  }
}

static void
control(Midi* m, uint8_t cc, uint8_t value)
{
  if (cc == ST_MIDI_MOD_WHEEL) {
    m->mod = value / 127.0f;
  } else if (cc == ST_MIDI_ALL_NOTES_OFF || cc == ST_MIDI_ALL_SOUND_OFF) {
    m->count = 0;
  }
}

static void
midi_event(void* state, const uint8_t* msg, uint32_t size)
{
  Midi*           m = state;
  const StMidiMsg e = st_midi_decode(msg, size, m->channel);
  switch (e.kind) {
  case ST_MIDI_NOTE_ON: press(m, e.a, e.b / 127.0f); break;
  case ST_MIDI_NOTE_OFF: forget(m, e.a); break;
  case ST_MIDI_CC: control(m, e.a, e.b); break;
  case ST_MIDI_PRESSURE: m->pressure = e.b / 127.0f; break;
  case ST_MIDI_BEND: m->bend = e.bend; break;
  default: break;
  }
  follow_top(m);
}

static size_t
midi_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Midi);
}

static void
midi_init(void* state, const float* params, float rate)
{
  Midi* m = state;
  (void)rate;
  m->channel = (uint32_t)params[P_CHANNEL];
  m->note    = 69.0f;
}

static void
midi_process(void* state, const StProcess* p)
{
  const Midi* m     = state;
  const float range = p->params[P_BEND_RANGE].value;
  st_fill(p->out[O_GATE], m->count ? 1.0f : 0.0f, p->frames);
  st_fill(p->out[O_PITCH], (m->note - 69.0f + m->bend * range) / 12.0f, p->frames);
  st_fill(p->out[O_VELOCITY], m->velocity, p->frames);
  st_fill(p->out[O_BEND], m->bend, p->frames);
  st_fill(p->out[O_MOD], m->mod, p->frames);
  st_fill(p->out[O_AFTERTOUCH], m->pressure, p->frames);
}

static const StPortSpec outputs[] = {
  {"gate", "1 while any note is held, else 0 (stays 1 when playing legato)"},
  {"pitch", "Octaves from A4: (note - 69 + bend * bend_range) / 12"},
  {"velocity", "Velocity of the sounding note, 0..1"},
  {"bend", "Pitch bend wheel, -1..1"},
  {"mod", "Modulation wheel (CC 1), 0..1"},
  {"aftertouch", "Channel or key pressure, 0..1"},
};

static const StParamSpec params[] = {
  {"channel", "", "MIDI channel 1..16, or 0 for all", 0, 16, 0, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"bend_range", "st", "Pitch bend range in semitones", 0, 24, 2, 0, 0, NULL},
};

const StNodeType st_midi_type = {
  .name       = "midi",
  .family     = "I/O",
  .doc        = "Monophonic MIDI input with last-note priority: a new note takes over, and "
                "releasing it returns to the newest note still held (16 remembered). "
                "`link midi.pitch -> osc.pitch` with `osc freq=440` plays the right note. "
                "All notes off and all sound off (CC 123, 120) release everything.",
  .n_outputs  = N_OUTPUTS,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .flags      = ST_NODE_EVENTS | ST_NODE_BOUNDED,
  .cost       = 1.0f,
  .state_size = midi_size,
  .init       = midi_init,
  .process    = midi_process,
  .event      = midi_event,
};
