/* SPDX-License-Identifier: ISC */
/* Eight-channel mono mixer. */
#include "dsp.h"
#include "wide.h"
#include "zeroed.h"
#include "types.h"

#define CHANNELS 8
enum { P_LEVEL = CHANNELS };

/* Adds in * gain into sum (the first linked channel starts the sum at 0). */
static void
accumulate(float* restrict sum, const float* restrict in, float gain, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    sum[i] += in[i] * gain;
  }
}

/* The same with a gain per sample. */
static void
accumulate_moving(float* restrict sum, const float* restrict in, const float* restrict gain,
                  uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    sum[i] += in[i] * gain[i];
  }
}

/* All eight channels linked: the sum of each sample in registers; returns
   st_fits() of every sample ANDed (-1: all fit). */
static int32_t
mix8(const float* const* in, const float* g, float level, float* restrict out, uint32_t frames)
{
  const float* restrict i0 = in[0];
  const float* restrict i1 = in[1];
  const float* restrict i2 = in[2];
  const float* restrict i3 = in[3];
  const float* restrict i4 = in[4];
  const float* restrict i5 = in[5];
  const float* restrict i6 = in[6];
  const float* restrict i7 = in[7];
  int32_t               ok = -1;
  for (uint32_t i = 0; i < frames; ++i) {
    float sum = 0.0f;
    sum += i0[i] * g[0];
    sum += i1[i] * g[1];
    sum += i2[i] * g[2];
    sum += i3[i] * g[3];
    sum += i4[i] * g[4];
    sum += i5[i] * g[5];
    sum += i6[i] * g[6];
    sum += i7[i] * g[7];
    out[i] = sum * level;
    ok &= st_fits(out[i]);
  }
  return ok;
}

/* mix8() with every gain and the level at 1, as patches that only sum
   leave them: x * 1 is x, so the sums are the same bits without the
   products. */
static int32_t
sum8(const float* const* in, float* restrict out, uint32_t frames)
{
  const float* restrict i0 = in[0];
  const float* restrict i1 = in[1];
  const float* restrict i2 = in[2];
  const float* restrict i3 = in[3];
  const float* restrict i4 = in[4];
  const float* restrict i5 = in[5];
  const float* restrict i6 = in[6];
  const float* restrict i7 = in[7];
  int32_t               ok = -1;
  for (uint32_t i = 0; i < frames; ++i) {
    out[i] = 0.0f + i0[i] + i1[i] + i2[i] + i3[i] + i4[i] + i5[i] + i6[i] + i7[i];
    ok &= st_fits(out[i]);
  }
  return ok;
}

/* out = sum * level; returns st_fits() of every sample ANDed (-1: all fit). */
static int32_t
scale(const float* restrict sum, const float* restrict level, float* restrict out,
      uint32_t frames)
{
  int32_t ok = -1;
  for (uint32_t i = 0; i < frames; ++i) {
    out[i] = sum[i] * level[i];
    ok &= st_fits(out[i]);
  }
  return ok;
}

/* Settled gains: the sums channel by channel, vectorised. */
static int32_t
mixer_settled(const StProcess* p)
{
  float g[CHANNELS];
  bool  unity = p->params[P_LEVEL].value == 1.0f;
  for (uint32_t c = 0; c < CHANNELS; ++c) {
    g[c] = p->params[c].value;
    unity &= g[c] == 1.0f;
  }
  if ((p->linked & 0xffu) == 0xffu) {
    return unity ? sum8(p->in, p->out[0], p->frames)
                 : mix8(p->in, g, p->params[P_LEVEL].value, p->out[0], p->frames);
  }
  float sum[ST_BLOCK] = {0};
  float level[ST_BLOCK];
  for (uint32_t c = 0; c < CHANNELS; ++c) {
    if (p->linked & (1u << c)) {
      accumulate(sum, p->in[c], g[c], p->frames);
    }
  }
  st_param_block(&p->params[P_LEVEL], level, p->frames);
  return scale(sum, level, p->out[0], p->frames);
}

static bool
settled(const StProcess* p)
{
  for (uint32_t c = 0; c <= P_LEVEL; ++c) {
    if (!st_param_settled(&p->params[c])) {
      return false;
    }
  }
  return true;
}

/* Unlinked channels are skipped (not added as +0) in both paths alike, and
   each sample's sum is taken in channel order, so the paths agree bit for
   bit. */
ST_WIDE static void
mixer_process(void* state, const StProcess* p)
{
  (void)state;
  int32_t ok;
  if (settled(p)) {
    ok = mixer_settled(p);
  } else {
    float sum[ST_BLOCK] = {0};
    float g[ST_BLOCK];
    for (uint32_t c = 0; c < CHANNELS; ++c) {
      st_param_block(&p->params[c], g, p->frames);
      if (p->linked & (1u << c)) {
        accumulate_moving(sum, p->in[c], g, p->frames);
      }
    }
    st_param_block(&p->params[P_LEVEL], g, p->frames);
    ok = scale(sum, g, p->out[0], p->frames);
  }
  if (!ok) {
    st_bound_block(p->out[0], p->frames); // bounded here: the type is ST_NODE_BOUNDED
  }
}

static const StPortSpec inputs[] = {
  {"in1", "Channel 1"}, {"in2", "Channel 2"}, {"in3", "Channel 3"}, {"in4", "Channel 4"},
  {"in5", "Channel 5"}, {"in6", "Channel 6"}, {"in7", "Channel 7"}, {"in8", "Channel 8"},
};

static const StPortSpec outputs[] = {
  {"out", "level * sum of gN * inN"},
};

#define GAIN(n) {"g" #n, "", "Gain of in" #n, 0, 4, 1, 0.01f, 0, NULL}

static const StParamSpec params[] = {
  GAIN(1), GAIN(2), GAIN(3), GAIN(4), GAIN(5), GAIN(6), GAIN(7), GAIN(8),
  {"level", "", "Master gain", 0, 4, 1, 0.01f, 0, NULL},
};

const StNodeType st_mixer_type = {
  .name       = "mixer",
  .family     = "Shapers",
  .doc        = "Sums eight inputs, each with its own linear gain, then applies a master "
                "level.",
  .n_inputs   = 8,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 9,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 10.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = mixer_process,
};
