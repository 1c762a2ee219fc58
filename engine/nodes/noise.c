/* SPDX-License-Identifier: ISC */
/* Noise source: white, or pink through Paul Kellet's refined -3 dB/octave
   filter (accurate within 0.05 dB above 9 Hz at 44.1 kHz). */
#include "dsp.h"
#include "types.h"

enum { P_COLOR, P_SEED };
enum { WHITE, PINK, N_COLORS };

typedef struct {
  uint32_t rng;   ///< Generator state, never zero
  float    b[7];  ///< Pink filter states
} Noise;

static float
pink(Noise* n, float white)
{
  float* b = n->b;
  b[0]     = st_flush(0.99886f * b[0] + white * 0.0555179f);
  b[1]     = st_flush(0.99332f * b[1] + white * 0.0750759f);
  b[2]     = st_flush(0.96900f * b[2] + white * 0.1538520f);
  b[3]     = st_flush(0.86650f * b[3] + white * 0.3104856f);
  b[4]     = st_flush(0.55000f * b[4] + white * 0.5329522f);
  b[5]     = st_flush(-0.7616f * b[5] - white * 0.0168980f);
  const float y = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * 0.5362f;
  b[6]     = white * 0.115926f;
  return y * 0.11f;
}

static size_t
noise_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Noise);
}

static void
noise_init(void* state, const float* params, float rate)
{
  Noise* n = state;
  (void)rate;
  // Spread the seed so that neighbouring seeds give unrelated sequences.
  n->rng = ((uint32_t)params[P_SEED] * 2654435761u) | 1u;
}

static void
noise_process(void* state, const StProcess* p)
{
  Noise*    n     = state;
  const int color = st_choice(&p->params[P_COLOR], N_COLORS);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float white = st_random(&n->rng);
    p->out[0][i]      = color == PINK ? pink(n, white) : white;
  }
}

static const char* const colors[] = {"white", "pink", NULL};

static const StPortSpec outputs[] = {
  {"out", "Noise, about -1..1"},
};

static const StParamSpec params[] = {
  {"color", "", "Spectrum", 0, 1, 0, 0, ST_PARAM_CHOICE, colors},
  {"seed", "", "Random sequence (voices with different seeds differ)", 1, 65535, 1, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
};

const StNodeType st_noise_type = {
  .name       = "noise",
  .family     = "Sources",
  .doc        = "White or pink noise from a xorshift generator; the same seed always gives "
                "the same sequence.",
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 4.0f,
  .state_size = noise_size,
  .init       = noise_init,
  .process    = noise_process,
};
