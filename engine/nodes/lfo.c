/* SPDX-License-Identifier: ISC */
/* Low-frequency oscillator for modulation (not band-limited on purpose:
   corners and steps are wanted at control rates). */
#include "division.h"
#include "dsp.h"
#include "types.h"

enum { P_WAVE, P_RATE, P_DEPTH, P_SEED, P_SYNC, P_DIVISION };
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

/* Synced: the phase is the song position in cycles of the division, so it
   follows tempo changes and relocations at once and starts on the bar. */
static void
synced(Lfo* l, const StProcess* p, int wave)
{
  const StTransport* t     = &p->host->transport;
  const double       cycle = st_division_beats((uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT),
                                               t->beat_unit);
  const double       step  = st_transport_step(t, p->rate) / cycle;
  const double       start = t->beat / cycle;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  depth = st_param_next(&p->params[P_DEPTH]);
    const double x     = start + i * step + 1e-9; // a frame on the beat counts as on it
    const double t1    = x - floor(x);
    if (t1 < l->phase) {
      l->held = st_random(&l->rng);
    }
    l->phase     = t1;
    p->out[0][i] = depth * shape(l, wave);
  }
}

static void
lfo_process(void* state, const StProcess* p)
{
  Lfo*      l    = state;
  const int wave = st_choice(&p->params[P_WAVE], N_WAVES);
  if (st_choice(&p->params[P_SYNC], 2) == ST_SYNC_ON) {
    synced(l, p, wave);
    return;
  }
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
  {"sync", "", "on: one cycle per division, phase locked to the song position (rate and "
   "reset unused)", 0, 1, 0, 0, ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "Cycle length as a note division when synced", 0,
   ST_DIV_COUNT - 1, ST_DIV_1_4, 0, ST_PARAM_CHOICE, st_division_names},
};

const StNodeType st_lfo_type = {
  .name       = "lfo",
  .family     = "Sources",
  .doc        = "Low-frequency oscillator: sine, triangle, saw, square or sample-and-hold "
                "random, output -1..1 times depth. With sync on, one cycle lasts a note "
                "division of the host's tempo and the phase follows the song position: "
                "cycle 0 starts at beat 0, so a division that fills a bar starts on every "
                "bar, through tempo changes and relocations.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 6,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 8.0f,
  .state_size = lfo_size,
  .init       = lfo_init,
  .process    = lfo_process,
};
