/* SPDX-License-Identifier: ISC */
/* A voice input of a voice group (voices.h): one voice's gate, pitch and
   controllers, as its allocator worked them out for this sub-block. It only
   reads the allocator, since voices run in parallel: it sees a restart by
   the voice's restart count moving past its own copy. */
#include "dsp.h"
#include "voice_state.h"
#include "zeroed.h"

/* Constant outputs, but for the gate's drop at the first sample after a
   restart (so that envelopes start again). */
static void
in_process(void* state, const StProcess* p)
{
  StVoiceIn* s = state;
  if (!s->alloc) {
    for (uint32_t o = 0; o < ST_VI_COUNT; ++o) {
      st_fill(p->out[o], 0.0f, p->frames);
    }
    return;
  }
  const float* value = s->alloc->value[s->voice];
  for (uint32_t o = 0; o < ST_VI_COUNT; ++o) {
    if (s->outputs & 1u << o) { // A voice reads two or three of them, typically
      st_fill(p->out[o], value[o], p->frames);
    }
  }
  const uint32_t restarts = s->alloc->voice[s->voice].restarts;
  if (restarts != s->restarts) {
    s->restarts           = restarts;
    p->out[ST_VI_GATE][0] = 0.0f;
  }
}

static size_t
in_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(StVoiceIn);
}

static const StPortSpec in_inputs[] = {
  {"awake", "The allocator's output: orders the allocator first"},
};

static const StPortSpec in_outputs[] = {
  {"gate", "1 while the voice's key is held; 0 for a sample after a restart"},
  {"pitch", "Octaves from A4, with bend, the note's own MPE bend and unison detune"},
  {"velocity", "Note-on velocity, 0..1"},
  {"release", "Note-off velocity, 0..1 (0 while held)"},
  {"aftertouch", "Key pressure of the voice's note, 0..1"},
  {"pressure", "Channel pressure (MPE: of the note's channel), 0..1"},
  {"bend", "Pitch bend (MPE: of the note's channel), -1..1"},
  {"modwheel", "Mod wheel (CC 1; MPE: the master channel's), 0..1"},
  {"timbre", "CC 74 (MPE: of the note's channel), 0..1"},
  {"pan", "Unison position, -spread..+spread (0 without unison)"},
};

_Static_assert(sizeof(in_outputs) / sizeof(in_outputs[0]) == ST_VI_COUNT,
               "one output per voice inlet name");

const StNodeType st_voice_in_type = {
  .name       = "voice_in",
  .family     = "Voices",
  .doc        = "One voice's values from its group's allocator: what the voice's inlets "
                "named gate, pitch, velocity, release, aftertouch, pressure, bend, modwheel, "
                "timbre and pan read.",
  .n_inputs   = 1,
  .inputs     = in_inputs,
  .n_outputs  = ST_VI_COUNT,
  .outputs    = in_outputs,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 1.0f,
  .state_size = in_size,
  .init       = st_zeroed_init,  // unbound until st_voice_bind_in()
  .process    = in_process,
};
