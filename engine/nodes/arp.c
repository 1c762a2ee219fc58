/* SPDX-License-Identifier: ISC */
/* Arpeggiator: the notes held on MIDI played one at a time, a note division
   each (from the host's song position, or on a clock input's rising edges),
   as the gate, pitch and velocity a voice takes (like `midi`). */
#include "division.h"
#include "dsp.h"
#include "midi_msg.h"
#include "types.h"

#include <string.h>

#define HELD 16  // notes remembered; more are ignored

enum { P_MODE, P_OCTAVES, P_DIVISION, P_GATE, P_LATCH, P_CHANNEL, P_SEED };
enum { UP, DOWN, UP_DOWN, PLAYED, RANDOM, N_MODES };
enum { I_CLOCK };
enum { O_GATE, O_PITCH, O_VELOCITY, N_OUTPUTS };

typedef struct {
  uint8_t  notes[HELD];  ///< Notes in the order played
  float    vels[HELD];   ///< Their velocities, 0..1
  uint32_t count;        ///< Notes in the pattern
  uint32_t keys;         ///< Keys physically down (latch keeps notes after release)
  uint32_t channel;      ///< 1..16, or 0 for any
  uint64_t index;        ///< Steps played since the pattern started
  bool     sounding;     ///< A step's note is on
  float    pitch;        ///< Octaves from A4 of the current note
  float    velocity;     ///< Its velocity
  uint32_t rng;          ///< Generator of the random mode
  // Clock input mode
  float    clock;   ///< Previous clock sample
  uint64_t since;   ///< Frames since the last edge
  uint64_t period;  ///< Frames between the last two edges
} Arp;

static void
forget(Arp* a, uint8_t note)
{
  for (uint32_t i = 0; i < a->count; ++i) {
    if (a->notes[i] == note) {
      memmove(a->notes + i, a->notes + i + 1, a->count - i - 1);
      memmove(a->vels + i, a->vels + i + 1, (a->count - i - 1) * sizeof(float));
      --a->count;
      return;
    }
  }
}

static void
press(Arp* a, uint8_t note, float vel, bool latch)
{
  if (latch && a->keys == 0) {  // A new chord after all keys were up replaces the latched one.
    a->count = 0;
  }
  ++a->keys;
  if (a->count == 0) {
    a->index = 0;
  }
  forget(a, note);
  if (a->count < HELD) {
    a->notes[a->count] = note;
    a->vels[a->count]  = vel;
    ++a->count;
  }
}

static void
release(Arp* a, uint8_t note, bool latch)
{
  a->keys = a->keys ? a->keys - 1 : 0;
  if (!latch) {
    forget(a, note);
  }
}

/* The latch parameter is read on the audio thread between sub-blocks: the
   state keeps the value of the last process() call. */
typedef struct {
  Arp  arp;
  bool latch;
} ArpState;

static void
arp_event(void* state, const uint8_t* msg, uint32_t size)
{
  ArpState*       s = state;
  Arp*            a = &s->arp;
  const StMidiMsg e = st_midi_decode(msg, size, a->channel);
  if (e.kind == ST_MIDI_NOTE_ON) {
    press(a, e.a, e.b / 127.0f, s->latch);
  } else if (e.kind == ST_MIDI_NOTE_OFF) {
    release(a, e.a, s->latch);
  } else if (e.kind == ST_MIDI_CC &&
             (e.a == ST_MIDI_ALL_NOTES_OFF || e.a == ST_MIDI_ALL_SOUND_OFF)) {
    a->count = 0;
    a->keys  = 0;
  }
}

/* Position `j` of the ascending pattern over the octaves: note and velocity. */
static void
ascending(const Arp* a, uint32_t j, uint32_t* note, float* vel)
{
  uint8_t  sorted[HELD];
  uint32_t order[HELD];
  for (uint32_t i = 0; i < a->count; ++i) {
    uint32_t k = i;
    while (k > 0 && sorted[k - 1] > a->notes[i]) {
      sorted[k] = sorted[k - 1];
      order[k]  = order[k - 1];
      --k;
    }
    sorted[k] = a->notes[i];
    order[k]  = i;
  }
  *note = sorted[j % a->count] + 12u * (j / a->count);
  *vel  = a->vels[order[j % a->count]];
}

/* The next note of the pattern. */
static void
next_note(Arp* a, const StProcess* p)
{
  const uint32_t octaves = (uint32_t)st_clampf(p->params[P_OCTAVES].value + 0.5f, 1, 4);
  const uint32_t length  = a->count * octaves;
  const uint64_t i       = a->index++;
  uint32_t       note = 0, j = 0;
  float          vel = 0.0f;
  switch (st_choice(&p->params[P_MODE], N_MODES)) {
  case DOWN:
    j = length - 1 - (uint32_t)(i % length);
    break;
  case UP_DOWN: {
    const uint32_t cycle = length > 1 ? 2 * length - 2 : 1;
    const uint32_t k     = (uint32_t)(i % cycle);
    j                    = k < length ? k : cycle - k;
    break;
  }
  case RANDOM:
    j = st_xorshift(&a->rng) % length;
    break;
  case PLAYED: {
    const uint32_t k = (uint32_t)(i % length);
    note             = a->notes[k % a->count] + 12u * (k / a->count);
    vel              = a->vels[k % a->count];
    break;
  }
  default:
    j = (uint32_t)(i % length);
    break;
  }
  if (st_choice(&p->params[P_MODE], N_MODES) != PLAYED) {
    ascending(a, j, &note, &vel);
  }
  a->sounding = true;
  a->pitch    = ((float)note - 69.0f) / 12.0f;
  a->velocity = vel;
}

static void
step(Arp* a, const StProcess* p)
{
  if (a->count) {
    next_note(a, p);
  } else {
    a->sounding = false;
  }
}

static void
emit(const Arp* a, const StProcess* p, uint32_t i, double phase)
{
  const bool gate       = a->sounding && a->count && phase < p->params[P_GATE].value;
  p->out[O_GATE][i]     = gate ? 1.0f : 0.0f;
  p->out[O_PITCH][i]    = a->pitch;
  p->out[O_VELOCITY][i] = a->velocity;
}

static void
from_transport(Arp* a, const StProcess* p)
{
  const StTransport* t = &p->host->transport;
  const double       div =
    st_division_beats((uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT), t->beat_unit);
  const double per = st_transport_step(t, p->rate) / div;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const double u     = t->beat / div + i * per + 1e-9;  // a frame on the step is on it
    const double phase = u - floor(u);
    if (phase < per) {
      step(a, p);
    }
    emit(a, p, i, t->playing ? phase : 1.0);
  }
}

static void
from_clock(Arp* a, const StProcess* p)
{
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float clock = p->in[I_CLOCK][i];
    if (st_rising(a->clock, clock)) {
      a->period = a->since;
      a->since  = 0;
      step(a, p);
    }
    a->clock = clock;
    emit(a, p, i, a->period ? (double)a->since / (double)a->period : 0.0);
    ++a->since;
  }
}

static size_t
arp_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(ArpState);
}

static void
arp_init(void* state, const float* params, float rate)
{
  ArpState* s = state;
  (void)rate;
  s->arp.channel = (uint32_t)params[P_CHANNEL];
  s->arp.rng     = ((uint32_t)params[P_SEED] * 2654435761u) | 1u;
  s->arp.pitch   = 0.0f;
  s->latch       = params[P_LATCH] >= 0.5f;
}

static void
arp_process(void* state, const StProcess* p)
{
  ArpState*  s     = state;
  const bool latch = st_choice(&p->params[P_LATCH], 2) == 1;
  if (s->latch && !latch && s->arp.keys == 0) {  // Unlatched with no key down: let go.
    s->arp.count = 0;
  }
  s->latch = latch;
  if (p->linked & (1u << I_CLOCK)) {
    from_clock(&s->arp, p);
  } else {
    from_transport(&s->arp, p);
  }
}

static const StPortSpec inputs[] = {
  {"clock", "Linked: each rising edge plays the next note (else the song position does)"},
};

static const StPortSpec outputs[] = {
  {"gate", "1 for the gate length of each step while notes are held (or latched), else 0"},
  {"pitch", "Octaves from A4 of the current note: (note - 69) / 12"},
  {"velocity", "Velocity of the current note, 0..1"},
};

static const char* const modes[]   = {"up", "down", "up_down", "played", "random", NULL};
static const char* const latches[] = {"off", "on", NULL};

static const StParamSpec params[] = {
  {"mode", "", "Order: up, down, up and down, as played, random", 0, N_MODES - 1, 0, 0,
   ST_PARAM_CHOICE, modes},
  {"octaves", "", "Octaves the pattern spans, going up", 1, 4, 1, 0, ST_PARAM_INT, NULL},
  {"division", "", "Step length as a note division of the song position", 0, ST_DIV_COUNT - 1,
   ST_DIV_1_16, 0, ST_PARAM_CHOICE, st_division_names},
  {"gate", "", "Gate length as a part of the step", 0.01f, 1, 0.5f, 0, 0, NULL},
  {"latch", "", "on: notes stay after release until a new chord is played", 0, 1, 0, 0,
   ST_PARAM_CHOICE, latches},
  {"channel", "", "MIDI channel 1..16, or 0 for all", 0, 16, 0, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"seed", "", "Random sequence of the random mode", 1, 65535, 1, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
};

const StNodeType st_arp_type = {
  .name       = "arp",
  .family     = "Sequencing",
  .doc        = "Arpeggiator: the notes held on MIDI (16 remembered) played one per note "
                "division of the host's song position, or per rising edge of `clock`, up, "
                "down, up and down, in the order played or at random, over 1 to 4 octaves. "
                "Gate, pitch and velocity as `midi` gives them: `link arp.pitch -> osc.pitch`, "
                "`link arp.gate -> env.gate`. Steps start on the frame of the host's beat.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = N_OUTPUTS,
  .outputs    = outputs,
  .n_params   = 7,
  .params     = params,
  .flags      = ST_NODE_EVENTS | ST_NODE_BOUNDED | ST_NODE_HOLDS,
  .cost       = 2.0f,
  .state_size = arp_size,
  .init       = arp_init,
  .process    = arp_process,
  .event      = arp_event,
};
