/* SPDX-License-Identifier: ISC */
/* Tying a voice group's nodes to its allocator (control side, once a flat
   graph's states exist), what the scheduler and tests read of it, and the
   held keys a new allocator takes over at a swap. */
#include "voice_state.h"

#include <string.h>

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

bool
st_voice_keeps_awake(const StNodeType* type)
{
  return !type->quiet && (type->flags & (ST_NODE_HOLDS | ST_NODE_SINK | ST_NODE_EVENTS));
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
    st_voice_note_on(dst, &keys[i]);
  }
}
