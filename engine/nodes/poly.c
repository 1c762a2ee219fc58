/* SPDX-License-Identifier: ISC */
/* Polyphonic voice allocator: MIDI notes to a gate, pitch and velocity per
   voice. New notes take free voices in round-robin order (so release tails
   ring on); with none free, the oldest note is stolen. */
#include "midi_msg.h"
#include "types.h"

#define VOICES 8

enum { P_VOICES, P_CHANNEL, P_BEND_RANGE };

typedef struct {
  uint8_t  note;     ///< Note number (kept after release for the tail)
  bool     on;       ///< Key held
  bool     restart;  ///< Stolen or replayed: the gate drops for one sample
  float    vel;      ///< Velocity, 0..1
  uint32_t age;      ///< Allocation clock at note-on
} Voice;

typedef struct {
  Voice    v[VOICES];
  uint32_t voices;   ///< Voices in use, 1..8
  uint32_t next;     ///< Where the round-robin search starts
  uint32_t clock;    ///< Counts note-ons
  uint32_t channel;  ///< 1..16, or 0 for any
  float    bend;     ///< Pitch bend, -1..1
} Poly;

/* The voice for a new note: the one holding it already, else the next free
   one in round-robin order, else the oldest. */
static uint32_t
choose(const Poly* s, uint8_t note)
{
  uint32_t oldest = 0;
  for (uint32_t i = 0; i < s->voices; ++i) {
    if (s->v[i].on && s->v[i].note == note) {
      return i;
    }
  }
  for (uint32_t k = 0; k < s->voices; ++k) {
    const uint32_t i = (s->next + k) % s->voices;
    if (!s->v[i].on) {
      return i;
    }
  }
  for (uint32_t i = 1; i < s->voices; ++i) {
    oldest = s->v[i].age < s->v[oldest].age ? i : oldest;
  }
  return oldest;
}

static void
note_on(Poly* s, uint8_t note, float vel)
{
  const uint32_t i = choose(s, note);
  Voice*         v = &s->v[i];
  v->restart       = v->on;
  v->on            = true;
  v->note          = note;
  v->vel           = vel;
  v->age           = ++s->clock;
  s->next          = (i + 1) % s->voices;
}

static void
release(Poly* s, int note)
{
  for (uint32_t i = 0; i < VOICES; ++i) {
    if (note < 0 || s->v[i].note == note) {
      s->v[i].on = false;
    }
  }
}

static void
poly_event(void* state, const uint8_t* msg, uint32_t size)
{
  Poly*           s = state;
  const StMidiMsg e = st_midi_decode(msg, size, s->channel);
  if (e.kind == ST_MIDI_NOTE_ON) {
    note_on(s, e.a, e.b / 127.0f);
  } else if (e.kind == ST_MIDI_NOTE_OFF) {
    release(s, e.a);
  } else if (e.kind == ST_MIDI_BEND) {
    s->bend = e.bend;
  } else if (e.kind == ST_MIDI_CC &&
             (e.a == ST_MIDI_ALL_NOTES_OFF || e.a == ST_MIDI_ALL_SOUND_OFF)) {
    release(s, -1);
  }
}

static size_t
poly_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Poly);
}

static void
poly_init(void* state, const float* params, float rate)
{
  Poly* s = state;
  (void)rate;
  const float n = params[P_VOICES];
  s->voices     = n < 1.0f ? 1 : (n > VOICES ? VOICES : (uint32_t)n);
  s->channel    = (uint32_t)params[P_CHANNEL];
  for (uint32_t i = 0; i < VOICES; ++i) {
    s->v[i].note = 69;
  }
}

static void
poly_process(void* state, const StProcess* p)
{
  Poly*       s     = state;
  const float shift = s->bend * p->params[P_BEND_RANGE].value;
  for (uint32_t i = 0; i < VOICES; ++i) {
    Voice*      v     = &s->v[i];
    const float gate  = v->on ? 1.0f : 0.0f;
    const float pitch = ((float)v->note - 69.0f + shift) / 12.0f;
    for (uint32_t f = 0; f < p->frames; ++f) {
      p->out[3 * i][f]     = gate;
      p->out[3 * i + 1][f] = pitch;
      p->out[3 * i + 2][f] = v->vel;
    }
    if (v->restart) {
      p->out[3 * i][0] = 0.0f;
      v->restart       = false;
    }
  }
}

#define VOICE_PORTS(n)                                                   \
  {"gate" #n, "Voice " #n ": 1 while its key is held"},                  \
  {"pitch" #n, "Voice " #n ": octaves from A4, with pitch bend"},        \
  {"vel" #n, "Voice " #n ": velocity, 0..1"}

static const StPortSpec outputs[] = {
  VOICE_PORTS(1), VOICE_PORTS(2), VOICE_PORTS(3), VOICE_PORTS(4),
  VOICE_PORTS(5), VOICE_PORTS(6), VOICE_PORTS(7), VOICE_PORTS(8),
};

static const StParamSpec params[] = {
  {"voices", "", "Voices to allocate (the others stay silent)", 1, 8, 8, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"channel", "", "MIDI channel 1..16, or 0 for all", 0, 16, 0, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"bend_range", "st", "Pitch bend range in semitones", 0, 24, 2, 0, 0, NULL},
};

const StNodeType st_poly_type = {
  .name       = "poly",
  .family     = "I/O",
  .doc        = "Polyphonic MIDI voice allocator with outputs gateN, pitchN, velN for 8 "
                "voices (pitch as for `midi`). A note takes the next free voice in "
                "round-robin order; with all voices held it steals the oldest note. "
                "Note-off releases the voice playing that note. When a held voice is "
                "stolen (or its note is played again) its gate drops for one sample so "
                "that envelopes restart.",
  .n_outputs  = 3 * VOICES,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .flags      = ST_NODE_EVENTS | ST_NODE_BOUNDED,
  .cost       = 2.0f,
  .state_size = poly_size,
  .init       = poly_init,
  .process    = poly_process,
  .event      = poly_event,
};
