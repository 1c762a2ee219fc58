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

/* --- Notes on voices --- */

/* Unison copies a note takes now: at most the voices there are. */
static uint32_t
copies(const StVoiceAlloc* s)
{
  return s->unison < s->count ? s->unison : s->count;
}

/* Gives voice v a key and wakes it. A voice whose gate was open in the last
   sub-block restarts (its gate drops for a sample) when `restart` says so:
   a steal, a replayed note, a retriggered mono note. */
static void
take(StVoiceAlloc* s, uint32_t v, const StVoiceKey* key, uint32_t copy, uint32_t n,
     bool restart)
{
  StVoice* x = &s->voice[v];
  x->restarts += restart && x->gate;
  x->note       = key->note;
  x->channel    = key->channel;
  x->velocity   = key->velocity;
  x->copy       = (uint8_t)copy;
  x->copies     = (uint8_t)n;
  x->held       = true;
  x->release    = 0.0f;
  x->aftertouch = 0.0f;
  x->age        = s->clock;
  s->asleep[v]  = 0;
}

/* Lets a voice's key go: from the next sub-block's frame it counts as up. */
static void
let_go(StVoiceAlloc* s, StVoice* x, float velocity)
{
  x->held     = false;
  x->release  = velocity;
  x->up_since = s->now;
}

static bool
same_key(const StVoice* x, const StVoiceKey* key)
{
  return x->note == key->note && x->channel == key->channel;
}

/* Poly notes play on slots of `k` consecutive voices, one per unison copy. */
static bool
slot_held(const StVoiceAlloc* s, uint32_t slot, uint32_t k)
{
  for (uint32_t c = 0; c < k; ++c) {
    if (s->voice[slot * k + c].held) {
      return true;
    }
  }
  return false;
}

/* Quietest: the loudest of a slot's voices in the last window. */
static float
slot_level(const StVoiceAlloc* s, uint32_t slot, uint32_t k)
{
  float level = 0.0f;
  for (uint32_t c = 0; c < k; ++c) {
    level = fmaxf(level, s->voice[slot * k + c].level);
  }
  return level;
}

/* Whether slot a is a better one to steal than slot b: the quieter (with
   steal=quietest), else the older note. */
static bool
better_victim(const StVoiceAlloc* s, uint32_t a, uint32_t b, uint32_t k)
{
  if (s->steal == ST_VOICE_STEAL_QUIETEST) {
    const float la = slot_level(s, a, k);
    const float lb = slot_level(s, b, k);
    if (la != lb) {
      return la < lb;
    }
  }
  return s->voice[a * k].age < s->voice[b * k].age;
}

/* The slot for a new key: the one holding it already, else the next one
   with no key held in round-robin order (so that tails ring on), else the
   one to steal. */
static uint32_t
choose_slot(const StVoiceAlloc* s, const StVoiceKey* key, uint32_t k, uint32_t slots)
{
  for (uint32_t j = 0; j < slots; ++j) {
    if (s->voice[j * k].held && same_key(&s->voice[j * k], key)) {
      return j;
    }
  }
  for (uint32_t i = 0; i < slots; ++i) {
    const uint32_t j = (s->next + i) % slots;
    if (!slot_held(s, j, k)) {
      return j;
    }
  }
  uint32_t victim = 0;
  for (uint32_t j = 1; j < slots; ++j) {
    victim = better_victim(s, j, victim, k) ? j : victim;
  }
  return victim;
}

static void
poly_on(StVoiceAlloc* s, const StVoiceKey* key)
{
  const uint32_t k     = copies(s);
  const uint32_t slots = s->count / k;
  const uint32_t j     = choose_slot(s, key, k, slots);
  ++s->clock;
  for (uint32_t c = 0; c < k; ++c) {
    take(s, j * k + c, key, c, k, true);
  }
  s->next = (j + 1) % slots;
}

static void
poly_off(StVoiceAlloc* s, const StVoiceKey* key, float velocity)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held && same_key(&s->voice[v], key)) {
      let_go(s, &s->voice[v], velocity);
    }
  }
}

/* Mono: removes a key from the stack; true when it was there. */
static bool
unstack(StVoiceAlloc* s, const StVoiceKey* key)
{
  for (uint32_t i = 0; i < s->stacked; ++i) {
    if (s->stack[i].note == key->note && s->stack[i].channel == key->channel) {
      memmove(s->stack + i, s->stack + i + 1, (s->stacked - i - 1) * sizeof(StVoiceKey));
      --s->stacked;
      return true;
    }
  }
  return false;
}

/* Mono: the newest held key sounds on voices 0..k-1. */
static void
mono_sound(StVoiceAlloc* s, bool restart)
{
  const uint32_t k = copies(s);
  for (uint32_t c = 0; c < k; ++c) {
    take(s, c, &s->stack[s->stacked - 1], c, k, restart);
  }
}

static void
mono_on(StVoiceAlloc* s, const StVoiceKey* key)
{
  const bool sounding = s->stacked > 0;
  unstack(s, key);
  if (s->stacked == ST_VOICE_STACK) {
    unstack(s, &s->stack[0]);
  }
  s->stack[s->stacked++] = *key;
  ++s->clock;
  mono_sound(s, !sounding || s->retrigger == ST_VOICE_RETRIGGER);
}

/* Releasing the sounding key returns to the newest one still held (gating
   again with retrigger), or lets every voice go. */
static void
mono_off(StVoiceAlloc* s, const StVoiceKey* key, float velocity)
{
  const bool top = s->stacked && s->stack[s->stacked - 1].note == key->note &&
                   s->stack[s->stacked - 1].channel == key->channel;
  if (!unstack(s, key) || !top) {
    return;
  }
  if (s->stacked) {
    mono_sound(s, s->retrigger == ST_VOICE_RETRIGGER);
    return;
  }
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held) {
      let_go(s, &s->voice[v], velocity);
    }
  }
}

static void
note_on(StVoiceAlloc* s, const StVoiceKey* key)
{
  if (s->mode == ST_VOICE_MONO) {
    mono_on(s, key);
  } else {
    poly_on(s, key);
  }
}

static void
note_off(StVoiceAlloc* s, const StVoiceKey* key, float velocity)
{
  if (s->mode == ST_VOICE_MONO) {
    mono_off(s, key, velocity);
  } else {
    poly_off(s, key, velocity);
  }
}

/* All notes off, all sound off, a change of mode: every key goes up. */
static void
release_all(StVoiceAlloc* s)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held) {
      let_go(s, &s->voice[v], 0.0f);
    }
  }
  s->stacked = 0;
}

/* --- MIDI --- */

static void
key_pressure(StVoiceAlloc* s, const StVoiceKey* key, float pressure)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held && same_key(&s->voice[v], key)) {
      s->voice[v].aftertouch = pressure;
    }
  }
}

static void
control(StVoiceAlloc* s, StVoiceChannel* ch, uint8_t cc, uint8_t value)
{
  if (cc == ST_MIDI_MOD_WHEEL) {
    ch->mod = value / 127.0f;
  } else if (cc == ST_MIDI_TIMBRE) {
    ch->timbre = value / 127.0f;
  } else if (cc == ST_MIDI_ALL_NOTES_OFF || cc == ST_MIDI_ALL_SOUND_OFF) {
    release_all(s);
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
    note_on(s, &key);
    break;
  case ST_MIDI_NOTE_OFF:
    note_off(s, &key, key.velocity);
    break;
  case ST_MIDI_CC:
    control(s, ch, e.a, e.b);
    break;
  case ST_MIDI_PRESSURE:
    if (e.key) {
      key_pressure(s, &key, key.velocity);
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
    release_all(s);
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

/* --- Binding (control side) --- */

void
st_voice_bind_in(void* in_state, void* alloc_state, uint32_t voice, uint32_t outputs)
{
  StVoiceIn*          in = in_state;
  const StVoiceAlloc* s  = alloc_state;
  in->alloc              = s;
  in->voice              = voice;
  in->restarts           = s->voice[voice].restarts;
  in->outputs            = outputs;
}

/* The mix follows the allocator's sleep flags even when it does not fit. */
bool
st_voice_bind_mix(void* mix_state, void* alloc_state)
{
  StVoiceAlloc* s   = alloc_state;
  StVoiceMix*   mix = mix_state;
  mix->alloc        = s;
  if (s->mixes == ST_VOICE_MIXES_MAX) {
    s->mixes_overflow = true;
    return false;
  }
  s->mix[s->mixes++] = mix;
  return true;
}

bool
st_voice_bind_quiet(void* alloc_state, uint32_t voice, const StNodeType* type,
                    const void* state)
{
  StVoiceAlloc* s = alloc_state;
  if (s->watches == ST_VOICE_QUIET_MAX) {
    s->voice[voice].keep = true;
    return false;
  }
  s->watch[s->watches++] = (StVoiceWatch){type, state, voice};
  return true;
}

void
st_voice_keep_awake(void* alloc_state, uint32_t voice)
{
  StVoiceAlloc* s      = alloc_state;
  s->voice[voice].keep = true;
}

const uint8_t*
st_voice_asleep(const void* alloc_state, uint32_t voice)
{
  const StVoiceAlloc* s = alloc_state;
  return &s->asleep[voice];
}

uint32_t
st_voice_awake_count(const void* alloc_state)
{
  const StVoiceAlloc* s     = alloc_state;
  uint32_t            awake = 0;
  for (uint32_t v = 0; v < s->count; ++v) {
    awake += !s->asleep[v];
  }
  return awake;
}

/* --- Carrying notes into a new allocator --- */

/* The keys `s` holds, oldest first: a mono stack as it is, a poly group's
   notes (unison copy 0 of each) by age. */
static uint32_t
held_keys(const StVoiceAlloc* s, StVoiceKey* keys)
{
  if (s->mode == ST_VOICE_MONO) {
    memcpy(keys, s->stack, s->stacked * sizeof(StVoiceKey));
    return s->stacked;
  }
  uint32_t ages[ST_VOICES_MAX];
  uint32_t n = 0;
  for (uint32_t v = 0; v < s->count; ++v) {
    const StVoice* x = &s->voice[v];
    if (!x->held || x->copy) {
      continue;
    }
    uint32_t i = n++;
    for (; i > 0 && ages[i - 1] > x->age; --i) {
      ages[i] = ages[i - 1];
      keys[i] = keys[i - 1];
    }
    ages[i] = x->age;
    keys[i] = (StVoiceKey){x->note, x->channel, x->velocity};
  }
  return n;
}

void
st_voice_carry(void* to, const void* from)
{
  StVoiceAlloc* dst = to;
  StVoiceKey    keys[ST_VOICES_MAX > ST_VOICE_STACK ? ST_VOICES_MAX : ST_VOICE_STACK];
  memcpy(dst->channel, ((const StVoiceAlloc*)from)->channel, sizeof(dst->channel));
  const uint32_t n = held_keys(from, keys);
  for (uint32_t i = 0; i < n; ++i) {
    note_on(dst, &keys[i]);
  }
}
