/* Band-limited oscillator: sine, saw, pulse and triangle, with exponential
   pitch, linear FM and hard sync. Steps are band-limited with BLEPs and the
   triangle's corners with BLAMPs (see blep.h). */
#include "blep.h"
#include "dsp.h"
#include "types.h"

enum { P_WAVE, P_FREQ, P_PW, P_FM };
enum { I_PITCH, I_FM, I_SYNC };
enum { SINE, SAW, SQUARE, TRIANGLE, N_WAVES };

typedef struct {
  StBlep blep;   ///< Band-limiting corrections and the output delay
  double phase;  ///< Position in the cycle, 0..1
  float  sync;   ///< Previous sample of the sync input
} Osc;

static float
naive(int wave, double t, float pw)
{
  switch (wave) {
  case SAW:
    return (float)(2.0 * t - 1.0);
  case SQUARE:
    return t < pw ? 1.0f : -1.0f;
  case TRIANGLE:
    return (float)(t < 0.5 ? 4.0 * t - 1.0 : 3.0 - 4.0 * t);
  default:
    return sinf((float)(2.0 * ST_PI * t));
  }
}

/* Phase increment for sample i: freq * 2^pitch + fm * depth, in 0..0.45 rate. */
static double
increment(const StProcess* p, uint32_t i, float freq, float depth)
{
  const float f = st_octaves(freq, p->in[I_PITCH][i]) + p->in[I_FM][i] * depth;
  return (double)st_clampf(f, 0.0f, 0.45f * p->rate) / p->rate;
}

/* Restarts the cycle at a sync edge `since` samples ago, band-limiting the jump. */
static void
sync_reset(Osc* o, int wave, float pw, double dt, float since)
{
  double at = o->phase + (1.0 - since) * dt;
  at -= floor(at);
  st_blep_step(&o->blep, since, naive(wave, 0.0, pw) - naive(wave, at, pw));
  o->phase = since * dt;
}

/* Advances one sample, adding a correction for each edge or corner crossed. */
static void
advance(Osc* o, int wave, float pw, double dt)
{
  const double old = o->phase;
  double       t   = old + dt;
  if (wave == SQUARE && old < pw && t >= pw) {
    st_blep_step(&o->blep, (float)((t - pw) / dt), -2.0f);
  } else if (wave == TRIANGLE && old < 0.5 && t >= 0.5) {
    st_blep_ramp(&o->blep, (float)((t - 0.5) / dt), (float)(-8.0 * dt));
  }
  if (t >= 1.0) {
    t -= 1.0;
    const float since = (float)(t / dt);
    if (wave == SAW) {
      st_blep_step(&o->blep, since, -2.0f);
    } else if (wave == SQUARE) {
      st_blep_step(&o->blep, since, 2.0f);
      if (t >= pw) {
        st_blep_step(&o->blep, (float)((t - pw) / dt), -2.0f);
      }
    } else if (wave == TRIANGLE) {
      st_blep_ramp(&o->blep, since, (float)(8.0 * dt));
    }
  }
  o->phase = t;
}

static size_t
osc_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Osc);
}

static void
osc_init(void* state, const float* params, float rate)
{
  (void)state;
  (void)params;
  (void)rate;
  st_blep_prepare();
}

static void
osc_process(void* state, const StProcess* p)
{
  Osc*      o    = state;
  const int wave = st_choice(&p->params[P_WAVE], N_WAVES);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  freq  = st_param_next(&p->params[P_FREQ]);
    const float  pw    = st_clampf(st_param_next(&p->params[P_PW]), 0.01f, 0.99f);
    const float  depth = st_param_next(&p->params[P_FM]);
    const double dt    = increment(p, i, freq, depth);
    const float  sync  = p->in[I_SYNC][i];
    if (st_rising(o->sync, sync)) {
      sync_reset(o, wave, pw, dt, sync / (sync - o->sync));
    } else {
      advance(o, wave, pw, dt);
    }
    o->sync      = sync;
    p->out[0][i] = st_blep_out(&o->blep, naive(wave, o->phase, pw));
  }
}

static const char* const waves[] = {"sine", "saw", "square", "triangle", NULL};

static const StPortSpec inputs[] = {
  {"pitch", "Pitch offset in octaves: f = freq * 2^pitch"},
  {"fm", "Linear frequency modulation: adds fm * fm_depth Hz"},
  {"sync", "Hard sync: a rising edge through zero restarts the cycle"},
};

static const StPortSpec outputs[] = {
  {"out", "Signal, -1..1"},
};

static const StParamSpec params[] = {
  {"wave", "", "Waveform", 0, 3, 0, 0, ST_PARAM_CHOICE, waves},
  {"freq", "Hz", "Base frequency", 0, 20000, 440, 0.01f, 0, NULL},
  {"pw", "", "Pulse width of the square wave", 0.01f, 0.99f, 0.5f, 0.01f, 0, NULL},
  {"fm_depth", "Hz", "Frequency added per unit of the fm input", 0, 20000, 100, 0.01f, 0, NULL},
};

const StNodeType st_osc_type = {
  .name      = "osc",
  .family    = "Sources",
  .doc       = "Band-limited oscillator. The frequency is freq * 2^pitch + fm * fm_depth, "
               "clamped to 0..0.45 of the sample rate (no through-zero FM). Steps of the saw "
               "and square and the corners of the triangle are band-limited with 32-tap "
               "Kaiser-windowed sinc BLEP/BLAMP corrections, so the output is delayed by 16 "
               "samples. Sync resets the phase with sub-sample timing.",
  .n_inputs  = 3,
  .inputs    = inputs,
  .n_outputs = 1,
  .outputs   = outputs,
  .n_params  = 4,
  .params    = params,
  .cost      = 14.0f,
  .state_size = osc_size,
  .init      = osc_init,
  .process   = osc_process,
};
