/* SPDX-License-Identifier: ISC */
/* Delay line with feedback and a modulated, fractional time read through
   4-point cubic Hermite interpolation. The line lives inside the node's state,
   sized at creation from the `max` parameter. */
#include "division.h"
#include "dsp.h"
#include "types.h"

enum { P_TIME, P_FEEDBACK, P_MIX, P_MAX, P_SYNC, P_DIVISION };
enum { I_IN, I_TIME };

typedef struct {
  uint32_t mask;    ///< Line length - 1 (the length is a power of two)
  uint32_t write;   ///< Slot the next input goes to
  double   limit;   ///< Longest delay in samples (the `max` time)
  StParam  synced;  ///< Division length in seconds when synced, glides on tempo changes
  uint32_t hushed;  ///< Samples written since the last one at or above ST_QUIET_LEVEL
  float    line[];  ///< The delay line
} Delay;

#define LONGEST_LINE ((uint64_t)1 << 31) ///< Samples a line may hold: its mask is 32 bits

/* The power of two that holds max * rate samples and the interpolator's
   reach, computed in 64 bits; above LONGEST_LINE when it cannot be made. */
static uint64_t
line_length(const float* params, float rate)
{
  const double need = (double)params[P_MAX] * rate + 8.0;
  uint64_t     n    = 64;
  while (n < need && n <= LONGEST_LINE) {
    n *= 2;
  }
  return n;
}

static size_t
delay_size(const float* params, float rate)
{
  const uint64_t n = line_length(params, rate);
  if (n > LONGEST_LINE || n > (SIZE_MAX - sizeof(Delay)) / sizeof(float)) {
    return SIZE_MAX;
  }
  return sizeof(Delay) + (size_t)n * sizeof(float);
}

static void
delay_init(void* state, const float* params, float rate)
{
  Delay* d = state;
  d->mask  = (uint32_t)(line_length(params, rate) - 1); // state_size refused longer lines
  d->limit = (double)params[P_MAX] * rate;
  st_param_init(&d->synced, 0.0f, 0.05f, rate);
  d->hushed = UINT32_MAX; // An empty line holds nothing
}

/* The line `at` samples back, at >= 2 (the newest sample is 1 back). */
static float
tap(const Delay* d, double at)
{
  const uint32_t n  = (uint32_t)at;
  const float    t  = (float)(at - n);
  const float    x0 = d->line[(d->write - n + 1) & d->mask];
  const float    x1 = d->line[(d->write - n) & d->mask];
  const float    x2 = d->line[(d->write - n - 1) & d->mask];
  const float    x3 = d->line[(d->write - n - 2) & d->mask];
  const float    c1 = 0.5f * (x2 - x0);
  const float    c2 = x0 - 2.5f * x1 + 2.0f * x2 - 0.5f * x3;
  const float    c3 = 0.5f * (x3 - x0) + 1.5f * (x1 - x2);
  return ((c3 * t + c2) * t + c1) * t + x1;
}

/* The time base of this block: the time parameter, or when synced the
   division at the host's tempo (its StParam gliding like the parameter). */
static StParam*
time_base(Delay* d, const StProcess* p)
{
  if (st_choice(&p->params[P_SYNC], 2) != ST_SYNC_ON) {
    return &p->params[P_TIME];
  }
  const StTransport* t     = &p->host->transport;
  const uint32_t     div   = (uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT);
  const double       beats = st_division_beats(div, t->beat_unit);
  st_param_set(&d->synced, (float)(beats * 60.0 / st_transport_bpm(t)), d->synced.target == 0.0f);
  return &d->synced;
}

static void
delay_process(void* state, const StProcess* p)
{
  Delay*       d  = state;
  StParam*     base = time_base(d, p);
  const double hi = d->limit > 2.0 ? d->limit : 2.0;
  // The line remembers for seconds: only sane samples go in (NaN as 0), and
  // a NaN time reads as 0. Sanitised ahead, in loops that vectorise.
  float in[ST_BLOCK], mod[ST_BLOCK];
  st_sane_block(in, p->in[I_IN], p->frames);
  st_sane_block(mod, p->in[I_TIME], p->frames);
  uint32_t loud = 0; // One past the last sample written at or above ST_QUIET_LEVEL
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  time = st_param_next(base) + mod[i];
    const float  fb   = st_param_next(&p->params[P_FEEDBACK]);
    const float  mix  = st_param_next(&p->params[P_MIX]);
    const double at   = (double)time * p->rate;
    const float  wet  = tap(d, at > 2.0 ? (at < hi ? at : hi) : 2.0);
    const float  x    = in[i];
    // Finite (x and the line are sane), but the interpolator may overshoot
    // and feedback may build that up: keep the line within the limit.
    d->line[d->write] = st_flush(st_clampf(x + fb * wet, -ST_SIGNAL_LIMIT, ST_SIGNAL_LIMIT));
    loud              = fabsf(d->line[d->write]) >= ST_QUIET_LEVEL ? i + 1 : loud;
    d->write          = (d->write + 1) & d->mask;
    p->out[0][i]      = x + mix * (wet - x);
  }
  const uint32_t since = p->frames - loud;
  d->hushed = loud ? since : (d->hushed < UINT32_MAX - since ? d->hushed + since : UINT32_MAX);
}

/* Quiet once the whole line was written below ST_QUIET_LEVEL: nothing in it
   can come out louder. */
static bool
delay_quiet(const void* state)
{
  const Delay* d = state;
  return d->hushed > d->mask;
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"time", "Added to the time parameter, in seconds"},
};

static const StPortSpec outputs[] = {
  {"out", "Dry/wet mix of the input and the delayed signal"},
};

static const StParamSpec params[] = {
  {"time", "s", "Delay time (clamped to 2 samples..max)", 0, 10, 0.25f, 0.05f, 0, NULL},
  {"feedback", "", "Part of the delayed signal fed back (negative inverts)", -0.99f, 0.99f,
   0.3f, 0.01f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 only the delayed signal", 0, 1, 0.5f, 0.01f, 0, NULL},
  {"max", "s", "Longest delay time: sizes the line", 0.01f, 10, 1, 0, ST_PARAM_FIXED, NULL},
  {"sync", "", "on: the time is a note division at the host's tempo (time unused)", 0, 1, 0, 0,
   ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "Delay time as a note division when synced", 0,
   ST_DIV_COUNT - 1, ST_DIV_1_8D, 0, ST_PARAM_CHOICE, st_division_names},
};

const StNodeType st_delay_type = {
  .name       = "delay",
  .family     = "Shapers",
  .doc        = "Feedback delay. The read position may move every sample (chorus, "
                "flanger, vibrato) and is interpolated with a 4-point cubic Hermite "
                "curve. The line holds `max` seconds, fixed at creation. With sync on, the "
                "time is a note division (dotted, triplet) at the host's tempo, gliding "
                "over 50 ms when the tempo changes.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 6,
  .params     = params,
  .cost       = 12.0f,
  .state_size = delay_size,
  .init       = delay_init,
  .process    = delay_process,
  .quiet      = delay_quiet,
};
