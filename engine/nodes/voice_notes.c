/* SPDX-License-Identifier: ISC */
/* Notes on the voices of a voice group (voices.h): which voices a note
   takes (poly round robin, stealing the oldest or the quietest; mono with
   its stack of held keys; unison copies), and letting them go. */
#include "voice_state.h"

#include <string.h>

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

void
st_voice_note_on(StVoiceAlloc* s, const StVoiceKey* key)
{
  if (s->mode == ST_VOICE_MONO) {
    mono_on(s, key);
  } else {
    poly_on(s, key);
  }
}

void
st_voice_note_off(StVoiceAlloc* s, const StVoiceKey* key, float velocity)
{
  if (s->mode == ST_VOICE_MONO) {
    mono_off(s, key, velocity);
  } else {
    poly_off(s, key, velocity);
  }
}

/* All notes off, all sound off, a change of mode: every key goes up. */
void
st_voice_release_all(StVoiceAlloc* s)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held) {
      let_go(s, &s->voice[v], 0.0f);
    }
  }
  s->stacked = 0;
}

/* Poly key pressure reaches the voices playing that key. */
void
st_voice_key_pressure(StVoiceAlloc* s, const StVoiceKey* key, float pressure)
{
  for (uint32_t v = 0; v < s->count; ++v) {
    if (s->voice[v].held && same_key(&s->voice[v], key)) {
      s->voice[v].aftertouch = pressure;
    }
  }
}
