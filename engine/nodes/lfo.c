/* Low-frequency oscillator for modulation (not band-limited on purpose:
   corners and steps are wanted at control rates). */
#include "dsp.h"
#include "types.h"

enum { P_WAVE, P_RATE, P_DEPTH, P_SEED };
enum { SINE, TRIANGLE, SAW, SQUARE, SH, N_WAVES };

typedef struct {
  double   phase;  ///< Position in the cycle, 0..1
  float    reset;  ///< Previous sample of the reset input
  float    held;   ///< Current sample-and-hold value
  uint32_t rng;    ///< Generator for sample-and-hold
} Lfo;

static float
shape(const Lfo* l, int wave)
{
  const double t = l->phase;
  switch (wave) {
  case TRIANGLE:
    return (float)(t < 0.5 ? 4.0 * t - 1.0 : 3.0 - 4.0 * t);
  case SAW:
    return (float)(2.0 * t - 1.0);
  case SQUARE:
    return t < 0.5 ? 1.0f : -1.0f;
  case SH:
    return l->held;
  default:
    return sinf((float)(2.0 * ST_PI * t));
  }
}

static size_t
lfo_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Lfo);
}

static void
lfo_init(void* state, const float* params, float rate)
{
  Lfo* l = state;
  (void)rate;
  l->rng  = ((uint32_t)params[P_SEED] * 2654435761u) | 1u;
  l->held = st_random(&l->rng);
}

static void
lfo_process(void* state, const StProcess* p)
{
  Lfo*      l    = state;
  const int wave = st_choice(&p->params[P_WAVE], N_WAVES);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float rate  = st_param_next(&p->params[P_RATE]);
    const float depth = st_param_next(&p->params[P_DEPTH]);
    const float reset = p->in[0][i];
    double      t     = l->phase + (double)rate / p->rate;
    if (st_rising(l->reset, reset)) {
      t = 0.0;
    }
    if (t >= 1.0 || t == 0.0) {
      t -= floor(t);
      l->held = st_random(&l->rng);
    }
    l->phase     = t;
    l->reset     = reset;
    p->out[0][i] = depth * shape(l, wave);
  }
}

static const char* const waves[] = {"sine", "triangle", "saw", "square", "sh", NULL};

static const StPortSpec inputs[] = {
  {"reset", "A rising edge through zero restarts the cycle"},
};

static const StPortSpec outputs[] = {
  {"out", "Modulation, -depth..depth"},
};

static const StParamSpec params[] = {
  {"wave", "", "Waveform (sh: a new random value each cycle)", 0, 4, 0, 0, ST_PARAM_CHOICE,
   waves},
  {"rate", "Hz", "Cycles per second", 0.01f, 100, 1, 0.01f, 0, NULL},
  {"depth", "", "Output amplitude", 0, 1, 1, 0.01f, 0, NULL},
  {"seed", "", "Random sequence of the sh waveform", 1, 65535, 1, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
};

const StNodeType st_lfo_type = {
  .name       = "lfo",
  .family     = "Sources",
  .doc        = "Low-frequency oscillator: sine, triangle, saw, square or sample-and-hold "
                "random, output -1..1 times depth.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 4,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 8.0f,
  .state_size = lfo_size,
  .init       = lfo_init,
  .process    = lfo_process,
};
