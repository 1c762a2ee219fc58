/* SPDX-License-Identifier: ISC */
/* A voice mix of a voice group (voices.h): one outlet summed over the
   voices, sleeping ones skipped, each voice's peak kept for its allocator. */
#include "dsp.h"
#include "voice_state.h"
#include "wide.h"
#include "zeroed.h"

#include <string.h>

/* |x| as bits: for finite floats their order as integers, and an integer
   maximum vectorises where a float one (NaN rules) does not. */
static inline uint32_t
magnitude_bits(float x)
{
  uint32_t bits;
  memcpy(&bits, &x, sizeof(bits));
  return bits & 0x7fffffffu;
}

static float
bits_float(uint32_t bits)
{
  float x;
  memcpy(&x, &bits, sizeof(x));
  return x;
}

/* out = in; returns the largest |in|. */
static float
start(float* restrict out, const float* restrict in, uint32_t frames)
{
  uint32_t peak = 0;
  for (uint32_t i = 0; i < frames; ++i) {
    out[i]             = in[i];
    const uint32_t mag = magnitude_bits(in[i]);
    peak               = mag > peak ? mag : peak;
  }
  return bits_float(peak);
}

/* out += in; returns the largest |in|. */
static float
add(float* restrict out, const float* restrict in, uint32_t frames)
{
  uint32_t peak = 0;
  for (uint32_t i = 0; i < frames; ++i) {
    out[i] += in[i];
    const uint32_t mag = magnitude_bits(in[i]);
    peak               = mag > peak ? mag : peak;
  }
  return bits_float(peak);
}

/* st_fits() of every sample ANDed: -1 when all fit. */
static int32_t
fits(const float* out, uint32_t frames)
{
  int32_t ok = -1;
  for (uint32_t i = 0; i < frames; ++i) {
    ok &= st_fits(out[i]);
  }
  return ok;
}

/* Voice by voice in voice order, so that each sample's sum is the same bits
   however the voices were scheduled. Bound: voices below the allocator's
   count that are awake; unbound: every linked input. */
ST_WIDE static void
mix_process(void* state, const StProcess* p)
{
  StVoiceMix*         s     = state;
  const StVoiceAlloc* alloc = s->alloc;
  const uint32_t      n     = alloc ? alloc->count : ST_VOICES_MAX;
  float*              out   = p->out[0];
  bool                empty = true;
  for (uint32_t v = 0; v < n; ++v) {
    if (!(p->linked & (1u << v)) || (alloc && alloc->asleep[v])) {
      continue;
    }
    const float peak = empty ? start(out, p->in[v], p->frames) : add(out, p->in[v], p->frames);
    s->peak[v]       = fmaxf(s->peak[v], peak);
    empty            = false;
  }
  if (empty) {
    memset(out, 0, p->frames * sizeof(float));
  } else if (!fits(out, p->frames)) {
    st_bound_block(out, p->frames);  // bounded here: the type is ST_NODE_BOUNDED
  }
}

static size_t
mix_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(StVoiceMix);
}

#define VOICE(n) {"v" #n, "Voice " #n "'s outlet"}

static const StPortSpec mix_inputs[] = {
  VOICE(1),  VOICE(2),  VOICE(3),  VOICE(4),  VOICE(5),  VOICE(6),  VOICE(7),  VOICE(8),
  VOICE(9),  VOICE(10), VOICE(11), VOICE(12), VOICE(13), VOICE(14), VOICE(15), VOICE(16),
  VOICE(17), VOICE(18), VOICE(19), VOICE(20), VOICE(21), VOICE(22), VOICE(23), VOICE(24),
  VOICE(25), VOICE(26), VOICE(27), VOICE(28), VOICE(29), VOICE(30), VOICE(31), VOICE(32),
};

_Static_assert(sizeof(mix_inputs) / sizeof(mix_inputs[0]) == ST_VOICES_MAX,
               "one input per voice");

static const StPortSpec mix_outputs[] = {
  {"out", "Sum of the awake voices' outlets, in voice order"},
};

const StNodeType st_voice_mix_type = {
  .name       = "voice_mix",
  .family     = "Voices",
  .doc        = "Sums one outlet over a voice group's voices, skipping the sleeping ones, and "
                "keeps each voice's peak for the allocator's sleep decision and steal=quietest.",
  .n_inputs   = ST_VOICES_MAX,
  .inputs     = mix_inputs,
  .n_outputs  = 1,
  .outputs    = mix_outputs,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 8.0f,
  .state_size = mix_size,
  .init       = st_zeroed_init,  // unbound until st_voice_bind_mix()
  .process    = mix_process,
};
