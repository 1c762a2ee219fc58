/* SPDX-License-Identifier: ISC */
/* The voice allocator of a voice group (voices.h): MIDI to notes on voices,
   the values each voice input writes, and when voices sleep. */
#include "dsp.h"
#include "midi_msg.h"
#include "voice_state.h"

#include <string.h>

/* --- Specs --- */

static const char* const modes[]      = {"poly", "mono", NULL};
static const char* const steals[]     = {"oldest", "quietest", NULL};
static const char* const retriggers[] = {"legato", "retrigger", NULL};
static const char* const switches[]   = {"off", "on", NULL};

const StParamSpec st_voice_group_params[ST_GROUP_PARAMS] = {
  {"count", "", "Copies of the voice (changing it rebuilds the group, crossfading)", 1, 32, 8,
   0, ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"mode", "", "poly: a note per voice; mono: one note, the newest held", 0, 1, 0, 0,
   ST_PARAM_CHOICE, modes},
  {"steal", "", "Poly: the note a new one replaces when every voice is held", 0, 1, 0, 0,
   ST_PARAM_CHOICE, steals},
  {"retrigger", "", "Mono: a new note while one is held changes pitch only, or gates again", 0,
   1, 1, 0, ST_PARAM_CHOICE, retriggers},
  {"unison", "", "Voices per note", 1, 8, 1, 0, ST_PARAM_INT, NULL},
  {"detune", "ct", "Pitch between the outermost unison voices, in cents", 0, 100, 10, 0, 0,
   NULL},
  {"spread", "", "Pan of the outermost unison voices, -spread and +spread", 0, 1, 0.5f, 0, 0,
   NULL},
  {"channel", "", "MIDI channel 1..16, or 0 for all (ignored with MPE)", 0, 16, 0, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"bend_range", "st", "Pitch bend range in semitones (MPE: the master channel's)", 0, 48, 2, 0,
   0, NULL},
  {"mpe", "", "MPE lower zone: master channel 1, one note per channel on 2..16", 0, 1, 0, 0,
   ST_PARAM_CHOICE, switches},
  {"mpe_bend", "st", "MPE: range of a note's own channel bend in semitones", 0, 96, 48, 0, 0,
   NULL},
};

const char* const st_voice_inlets[] = {"gate",       "pitch",    "velocity", "release",
                                       "aftertouch", "pressure", "bend",     "modwheel",
                                       "timbre",     "pan",      NULL};

_Static_assert(sizeof(st_voice_inlets) / sizeof(st_voice_inlets[0]) == ST_VI_COUNT + 1,
               "a voice input writes one output per inlet name");

int
st_voice_inlet_index(const char* name)
{
  for (int i = 0; st_voice_inlets[i]; ++i) {
    if (!strcmp(st_voice_inlets[i], name)) {
      return i;
    }
  }
  return -1;
}

/* --- MIDI --- */

static void
control(StVoiceAlloc* s, StVoiceChannel* ch, uint8_t cc, uint8_t value)
{
  if (cc == ST_MIDI_MOD_WHEEL) {
    ch->mod = value / 127.0f;
  } else if (cc == ST_MIDI_TIMBRE) {
    ch->timbre = value / 127.0f;
  } else if (cc == ST_MIDI_ALL_NOTES_OFF || cc == ST_MIDI_ALL_SOUND_OFF) {
    st_voice_release_all(s);
  }
}

/* Without MPE, the channel filter applies and every channel's controllers
   are channel 0's; with MPE each channel keeps its own, and a note follows
   its channel's (channel 0, the master, is every voice's bend and wheel). */
static void
alloc_event(void* state, const uint8_t* msg, uint32_t size)
{
  StVoiceAlloc*    s   = state;
  const StMidiMsg  e   = st_midi_decode(msg, size, s->mpe ? 0 : s->filter);
  const StVoiceKey key = {e.a, s->mpe ? e.channel : 0, e.b / 127.0f};
  StVoiceChannel*  ch  = &s->channel[key.channel];
  switch (e.kind) {
  case ST_MIDI_NOTE_ON:
    st_voice_note_on(s, &key);
    break;
  case ST_MIDI_NOTE_OFF:
    st_voice_note_off(s, &key, key.velocity);
    break;
  case ST_MIDI_CC:
    control(s, ch, e.a, e.b);
    break;
  case ST_MIDI_PRESSURE:
    if (e.key) {
      st_voice_key_pressure(s, &key, key.velocity);
    } else {
      ch->pressure = key.velocity;
    }
    break;
  case ST_MIDI_BEND:
    ch->bend = e.bend;
    break;
  default:
    break;
  }
}

/* --- Sleep --- */

/* Each voice's peak over the mixes in the window that ends now, as its
   level; the mixes start the next window from 0. */
static void
take_levels(StVoiceAlloc* s)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    s->voice[v].level = 0.0f;
  }
  for (uint32_t m = 0; m < s->mixes; ++m) {
    for (uint32_t v = 0; v < s->count; ++v) {
      s->voice[v].level  = fmaxf(s->voice[v].level, s->mix[m]->peak[v]);
      s->mix[m]->peak[v] = 0.0f;
    }
  }
}

/* At a multiple of ST_BLOCK: after a whole window [frame - ST_BLOCK, frame)
   the allocator saw, an awake voice sleeps when its key was up all through
   it, every mix heard it below ST_QUIET_LEVEL, every node of it with a quiet
   hook is quiet and none holds sound. */
static void
end_window(StVoiceAlloc* s, uint64_t frame)
{
  take_levels(s);
  if (frame < s->since + ST_BLOCK || s->mixes_overflow) {
    return;
  }
  bool stays[ST_VOICES_MAX];
  for (uint32_t v = 0; v < ST_VOICES_MAX; ++v) {
    const StVoice* x = &s->voice[v];
    stays[v]         = s->asleep[v] || x->held || x->up_since > frame - ST_BLOCK || x->keep ||
               !(x->level < ST_QUIET_LEVEL);
  }
  for (uint32_t w = 0; w < s->watches; ++w) {
    const StVoiceWatch* n = &s->watch[w];
    stays[n->voice]       = stays[n->voice] || !n->type->quiet(n->state);
  }
  for (uint32_t v = 0; v < s->count; ++v) {
    s->asleep[v] = s->asleep[v] || !stays[v];
  }
}

/* --- Processing --- */

enum {
  P_COUNT      = ST_GROUP_COUNT,
  P_MODE       = ST_GROUP_MODE,
  P_STEAL      = ST_GROUP_STEAL,
  P_RETRIGGER  = ST_GROUP_RETRIGGER,
  P_UNISON     = ST_GROUP_UNISON,
  P_DETUNE     = ST_GROUP_DETUNE,
  P_SPREAD     = ST_GROUP_SPREAD,
  P_CHANNEL    = ST_GROUP_CHANNEL,
  P_BEND_RANGE = ST_GROUP_BEND_RANGE,
  P_MPE        = ST_GROUP_MPE,
  P_MPE_BEND   = ST_GROUP_MPE_BEND,
};

static uint32_t
whole(float value, float lo, float hi)
{
  return (uint32_t)st_clampf(value, lo, hi);
}

/* The settings event() goes by, from parameter values. */
static void
read_settings(StVoiceAlloc* s, const float* v)
{
  s->mode      = whole(v[P_MODE], 0, 1);
  s->steal     = whole(v[P_STEAL], 0, 1);
  s->retrigger = whole(v[P_RETRIGGER], 0, 1);
  s->unison    = whole(v[P_UNISON], 1, 8);
  s->mpe       = whole(v[P_MPE], 0, 1);
}

/* Follows the parameters; a new mode or MPE setting lets every key go,
   since notes held under the old one would never be released. */
static void
follow_params(StVoiceAlloc* s, StParam* params, uint32_t frames)
{
  float v[ST_GROUP_PARAMS];
  for (uint32_t i = 0; i < ST_GROUP_PARAMS; ++i) {
    st_param_skip(&params[i], frames);
    v[i] = params[i].value;
  }
  const uint32_t mode = s->mode;
  const bool     mpe  = s->mpe;
  read_settings(s, v);
  if (mode != s->mode || mpe != s->mpe) {
    st_voice_release_all(s);
  }
}

/* What voice input `x` writes in this sub-block (its gate before a restart's drop). */
static void
voice_values(const StVoiceAlloc* s, const StVoice* x, const StParam* params, float* out)
{
  const uint32_t        ch     = s->mpe ? x->channel : 0;
  const StVoiceChannel* own    = &s->channel[ch];
  const StVoiceChannel* master = &s->channel[0];
  const float position = x->copies > 1 ? 2.0f * (float)x->copy / (float)(x->copies - 1) - 1.0f
                                       : 0.0f;
  const float detune = position * params[P_DETUNE].value / 200.0f;  // half of it, in semitones
  const float own_bend = ch ? own->bend * params[P_MPE_BEND].value : 0.0f;
  const float semitones =
    (float)x->note - 69.0f + master->bend * params[P_BEND_RANGE].value + own_bend + detune;
  out[ST_VI_GATE]       = x->held ? 1.0f : 0.0f;
  out[ST_VI_PITCH]      = semitones / 12.0f;
  out[ST_VI_VELOCITY]   = x->velocity;
  out[ST_VI_RELEASE]    = x->release;
  out[ST_VI_AFTERTOUCH] = x->aftertouch;
  out[ST_VI_PRESSURE]   = own->pressure;
  out[ST_VI_BEND]       = own->bend;
  out[ST_VI_MODWHEEL]   = master->mod;
  out[ST_VI_TIMBRE]     = own->timbre;
  out[ST_VI_PAN]        = position * params[P_SPREAD].value;
}

/* First in every sub-block: the sleep decision at a window's end, then
   the values of the awake voices, then how many are awake. */
static void
alloc_process(void* state, const StProcess* p)
{
  StVoiceAlloc*  s     = state;
  const uint64_t frame = p->host->frame;
  follow_params(s, p->params, p->frames);
  if (frame != s->now) {
    s->since = frame;  // It did not run just before: its windows start afresh.
  }
  if (frame % ST_BLOCK == 0) {
    end_window(s, frame);
  }
  uint32_t awake = 0;
  for (uint32_t v = 0; v < s->count; ++v) {
    if (!s->asleep[v]) {
      voice_values(s, &s->voice[v], p->params, s->value[v]);
      ++awake;
    }
    s->voice[v].gate = s->voice[v].held;
  }
  s->now = frame + p->frames;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = (float)awake;
  }
}

static size_t
alloc_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(StVoiceAlloc);
}

/* Voices start asleep, on A4. */
static void
alloc_init(void* state, const float* params, float rate)
{
  StVoiceAlloc* s = state;
  (void)rate;
  s->count  = whole(params[P_COUNT], 1, ST_VOICES_MAX);
  s->filter = whole(params[P_CHANNEL], 0, 16);
  read_settings(s, params);
  for (uint32_t v = 0; v < ST_VOICES_MAX; ++v) {
    s->voice[v].note = 69;
    s->asleep[v]     = 1;
  }
}

static const StPortSpec alloc_outputs[] = {
  {"awake", "Voices awake (every voice input reads it, so the allocator runs first)"},
};

const StNodeType st_voice_alloc_type = {
  .name       = "voice_alloc",
  .family     = "Voices",
  .doc        = "The allocator of a voice group. poly: a note takes `unison` voices, the next "
                "ones with no key held in round-robin order (release tails ring on); with "
                "every voice held it steals the oldest note or the quietest (the lowest peak "
                "its mixes heard in the last window); the same note again retriggers its "
                "voices. mono: the newest held note sounds on the first `unison` voices (16 "
                "remembered); a new note gates again (retrigger) or only moves the pitch "
                "(legato), and releasing it returns to the newest still held. Unison copies "
                "are detuned and panned evenly from -detune/2 to +detune/2 cents and -spread "
                "to +spread. MPE: channel 1 is the master (its bend and mod wheel reach every "
                "voice), a note on channels 2..16 follows its channel's bend (mpe_bend "
                "range), pressure and CC 74. A restarted voice's gate drops for a sample. All "
                "notes off and all sound off release everything; so does a change of mode "
                "or mpe. A voice sleeps from the block boundary that ends a whole block "
                "in which its key was up, its mixes heard it below -90 dBFS and its "
                "quiet hooks said quiet; a note-on wakes it. Voices start asleep.",
  .n_outputs  = 1,
  .outputs    = alloc_outputs,
  .n_params   = ST_GROUP_PARAMS,
  .params     = st_voice_group_params,
  .flags      = ST_NODE_EVENTS | ST_NODE_BOUNDED | ST_NODE_BARRIER,
  .cost       = 2.0f,
  .state_size = alloc_size,
  .init       = alloc_init,
  .process    = alloc_process,
  .event      = alloc_event,
};
