/* SPDX-License-Identifier: ISC */
/* ADSR envelope with analog-style segments: each stage is a one-pole (RC)
   curve aimed past its goal, so the attack is convex like a charging
   capacitor and decay and release fall exponentially, yet every stage still
   ends in its set time. */
#include "dsp.h"
#include "types.h"

enum { P_A, P_D, P_S, P_R, P_SHAPE };
enum { ANALOG, LINEAR, N_SHAPES };
enum { I_GATE, I_RETRIG };
enum { IDLE, ATTACK, DECAY, SUSTAIN, RELEASE };

#define ATTACK_AIM 0.3f   // attack aims at 1 + this: a gentle analog curve
#define FALL_AIM 0.001f   // decay and release aim this far below their goal

typedef struct {
  int      stage;    ///< IDLE..RELEASE
  float    y;        ///< Current level, 0..1
  float    gate;     ///< Previous gate sample
  float    retrig;   ///< Previous retrig sample
  float    time[3];  ///< a, d, r the coefficients were made for
  float    coef[3];  ///< One-pole coefficients of attack, decay, release
  float    rise[3];  ///< Linear shape: full-scale change per sample of a, d, r
  float    fall;     ///< Linear release: level lost per sample (level at gate-off / r)
  float    base;     ///< Linear shape: level the current ramp started from...
  float    slope;    ///< ...its change per sample...
  uint32_t n;        ///< ...and the samples taken on it: y = base + n slope
} Adsr;

/* Coefficient that covers the distance from 0 to 1 in `seconds` when aiming
   `aim` beyond it. */
static float
coefficient(float seconds, float aim, float rate)
{
  return expf(-logf((1.0f + aim) / aim) / (seconds * rate));
}

static void
update(Adsr* e, int which, float seconds, float aim, float rate)
{
  if (seconds != e->time[which]) {
    e->time[which] = seconds;
    e->coef[which] = coefficient(seconds, aim, rate);
    e->rise[which] = 1.0f / (seconds * rate);
  }
}

/* Gates and triggers compare as "above 0.5" or not, so that a NaN reads as
   low, like 0, and cannot hide the next edge. */
/* Enters a stage at level y; a linear ramp starts from there. */
static void
enter(Adsr* e, int stage, float y)
{
  e->stage = stage;
  e->y     = y;
  e->base  = y;
  e->n     = 0;
}

static void
gate(Adsr* e, float g, float retrig)
{
  const bool on = g > 0.5f;
  if ((on && !(e->gate > 0.5f)) || (on && retrig > 0.5f && !(e->retrig > 0.5f))) {
    enter(e, ATTACK, e->y);
  } else if (!on && e->gate > 0.5f) {
    enter(e, RELEASE, e->y);
    e->fall = e->y * e->rise[2];
  }
  e->gate   = g;
  e->retrig = retrig;
}

/* Linear shape: straight segments, 0 to 1 in a, 1 to s in d, and from the
   level at gate-off to 0 in r. Sample n of a ramp is base + n slope (not a
   running sum), so that a block of it vectorises; a ramp starts afresh from
   the current level when its slope changes (a moving parameter). The block
   path below and this per-sample one follow the same rule, bit for bit. */

/* The slope of the current linear stage for sustain level s (0 if none). */
static float
linear_slope(const Adsr* e, float s)
{
  switch (e->stage) {
  case ATTACK:  return e->rise[0];
  case DECAY:   return -((1.0f - s) * e->rise[1]);
  case RELEASE: return -e->fall;
  default:      return 0.0f;
  }
}

/* Takes the ramp on with `slope`, restarting it from the current level when
   the slope changed. */
static void
ramp_from(Adsr* e, float slope)
{
  if (slope != e->slope) {
    e->base  = e->y;
    e->n     = 0;
    e->slope = slope;
  }
}

static void
step_linear(Adsr* e, float s)
{
  if (e->stage == SUSTAIN) {
    e->y = s;
    return;
  }
  if (e->stage == IDLE) {
    return;
  }
  ramp_from(e, linear_slope(e, s));
  e->n += 1;
  const float y = e->base + (float)(int32_t)e->n * e->slope; // as in ramp_block()
  if (e->stage == ATTACK && y >= 1.0f) {
    enter(e, DECAY, 1.0f);
  } else if (e->stage == DECAY && y <= s) {
    enter(e, SUSTAIN, s);
  } else if (e->stage == RELEASE && y <= 0.0f) {
    enter(e, IDLE, 0.0f);
  } else {
    e->y = y;
  }
}

/* out[j] = base + (n + 1 + j) slope for j < len; returns how many of them
   are below `top` (rising) or above it (falling): the ramp is monotonic, so
   that is the index of the first sample that reaches `top`. */
static uint32_t
ramp_block(float base, float slope, uint32_t n, float top, bool rising, float* restrict out,
           uint32_t len)
{
  uint32_t      short_of = 0;
  const int32_t first    = (int32_t)n + 1; // signed: the conversion vectorises
  if (rising) {
    for (int32_t j = 0; j < (int32_t)len; ++j) {
      out[j] = base + (float)(first + j) * slope;
      short_of += out[j] < top;
    }
  } else {
    for (int32_t j = 0; j < (int32_t)len; ++j) {
      out[j] = base + (float)(first + j) * slope;
      short_of += out[j] > top;
    }
  }
  return short_of;
}

/* The analog stage's one-pole curve over out[0..len-1], as step() takes it
   sample by sample (the same arithmetic, so the same bits); stops at the
   first sample that reaches `top` and returns how many came before it. */
static uint32_t
curve_block(const Adsr* e, float s, float top, float* restrict out, uint32_t len)
{
  const int   stage = e->stage;
  const float aim   = stage == ATTACK ? 1.0f + ATTACK_AIM
                                      : (stage == DECAY ? s - FALL_AIM : -FALL_AIM);
  const float coef  = e->coef[stage == ATTACK ? 0 : (stage == DECAY ? 1 : 2)];
  float       y     = e->y;
  for (uint32_t j = 0; j < len; ++j) {
    y = aim + (y - aim) * coef; // release: -FALL_AIM + (y + FALL_AIM) coef, exactly
    if (stage == ATTACK ? y >= top : y <= top) {
      return j;
    }
    out[j] = y;
  }
  return len;
}

/* Samples k..end-1 with no gate event among them, stage by stage: each ramp
   a vectorised line (linear) or a tight loop of the curve (analog), sustain
   and idle as fills. */
static void
block_run(Adsr* e, bool linear, float* restrict out, uint32_t k, uint32_t end, float s)
{
  static const int next[] = {IDLE, DECAY, SUSTAIN, SUSTAIN, IDLE}; // after each stage
  while (k < end) {
    if (e->stage == SUSTAIN || e->stage == IDLE) {
      const float v = e->stage == SUSTAIN ? s : e->y;
      for (; k < end; ++k) {
        out[k] = v;
      }
      e->y = v;
      return;
    }
    const float    top = e->stage == ATTACK ? 1.0f : (e->stage == DECAY ? s : 0.0f);
    const bool     up  = e->stage == ATTACK;
    const uint32_t len = end - k;
    uint32_t       m;
    if (linear) {
      ramp_from(e, linear_slope(e, s));
      m = ramp_block(e->base, e->slope, e->n, top, up, out + k, len);
    } else {
      m = curve_block(e, s, top, out + k, len);
    }
    if (m == len) {
      e->y    = out[end - 1];
      e->base = linear ? e->base : e->y; // as step() leaves them
      e->n    = linear ? e->n + len : 0;
      return;
    }
    out[k + m] = top;
    enter(e, next[e->stage], top);
    k += m + 1;
  }
}

/* True when sample (g, r) after (pg, pr) starts or ends a stage (gate()). */
static inline bool
gate_event(float g, float r, float pg, float pr)
{
  const bool on = g > 0.5f;
  return (on && !(pg > 0.5f)) || (on && r > 0.5f && !(pr > 0.5f)) || (!on && pg > 0.5f);
}

/* Settled envelope: gate events flagged (in a loop that vectorises) and
   found a word of flags at a time; between them each stage runs on its own
   (block_run()). The same values as gate() and a step per sample. */
static void
envelope_block(Adsr* e, bool linear, const float* restrict g, const float* restrict rt,
               bool retrig_linked, float* restrict out, uint32_t n, float s)
{
  uint8_t flag[ST_BLOCK];
  flag[0] = gate_event(g[0], rt[0], e->gate, e->retrig);
  if (retrig_linked) {
    for (uint32_t k = 1; k < n; ++k) { // gate_event(), vectorised
      const int on   = g[k] > 0.5f;
      const int was  = g[k - 1] > 0.5f;
      const int trig = (rt[k] > 0.5f) & !(rt[k - 1] > 0.5f);
      flag[k]        = (uint8_t)((on & !was) | (on & trig) | ((on ^ 1) & was));
    }
  } else {
    for (uint32_t k = 1; k < n; ++k) { // the same with retrig all 0: the gate changed
      flag[k] = (uint8_t)((g[k] > 0.5f) ^ (g[k - 1] > 0.5f));
    }
  }
  for (uint32_t k = n; k < ((n + 7u) & ~7u); ++k) {
    flag[k] = 0;
  }
  uint32_t i = 0;
  while (i < n) {
    if (flag[i]) {
      if (i > 0) { // what gate() compares with: the sample before
        e->gate   = g[i - 1];
        e->retrig = rt[i - 1];
      }
      gate(e, g[i], rt[i]);
    }
    const uint32_t end = st_next_flag(flag, i + 1, n);
    block_run(e, linear, out, i, end, s);
    i = end;
  }
  e->gate   = g[n - 1];
  e->retrig = rt[n - 1];
}

static void
step(Adsr* e, float s)
{
  switch (e->stage) {
  case ATTACK:
    e->y = (1.0f + ATTACK_AIM) + (e->y - (1.0f + ATTACK_AIM)) * e->coef[0];
    if (e->y >= 1.0f) {
      e->y     = 1.0f;
      e->stage = DECAY;
    }
    break;
  case DECAY:
    e->y = (s - FALL_AIM) + (e->y - (s - FALL_AIM)) * e->coef[1];
    e->stage = e->y <= s ? SUSTAIN : DECAY;
    e->y     = e->y <= s ? s : e->y;
    break;
  case SUSTAIN:
    e->y = s;
    break;
  case RELEASE:
    e->y = -FALL_AIM + (e->y + FALL_AIM) * e->coef[2];
    e->stage = e->y <= 0.0f ? IDLE : RELEASE;
    e->y     = e->y <= 0.0f ? 0.0f : e->y;
    break;
  default:
    break;
  }
  e->base = e->y; // a switch to the linear shape ramps on from here
  e->n    = 0;
}

static size_t
adsr_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Adsr);
}

static void
adsr_init(void* state, const float* params, float rate)
{
  Adsr* e = state;
  (void)params;
  (void)rate;
  e->time[0] = e->time[1] = e->time[2] = -1.0f;
}

static void
adsr_process(void* state, const StProcess* p)
{
  Adsr*      e      = state;
  const bool linear = st_choice(&p->params[P_SHAPE], N_SHAPES) == LINEAR;
  if (st_param_settled(&p->params[P_A]) && st_param_settled(&p->params[P_D]) &&
      st_param_settled(&p->params[P_R]) && st_param_settled(&p->params[P_S])) {
    // Settled times: the per-sample updates would all be no-ops after the first.
    update(e, 0, p->params[P_A].value, ATTACK_AIM, p->rate);
    update(e, 1, p->params[P_D].value, FALL_AIM, p->rate);
    update(e, 2, p->params[P_R].value, FALL_AIM, p->rate);
    const float  s      = p->params[P_S].value;
    const float* g      = p->in[I_GATE];
    const float* retrig = p->in[I_RETRIG];
    float*       out    = p->out[0];
    envelope_block(e, linear, g, retrig, p->linked & (1u << I_RETRIG), out, p->frames, s);
    return;
  }
  for (uint32_t i = 0; i < p->frames; ++i) {
    update(e, 0, st_param_next(&p->params[P_A]), ATTACK_AIM, p->rate);
    update(e, 1, st_param_next(&p->params[P_D]), FALL_AIM, p->rate);
    update(e, 2, st_param_next(&p->params[P_R]), FALL_AIM, p->rate);
    const float s = st_param_next(&p->params[P_S]);
    gate(e, p->in[I_GATE][i], p->in[I_RETRIG][i]);
    if (linear) {
      step_linear(e, s);
    } else {
      step(e, s);
    }
    p->out[0][i] = e->y;
  }
}

static const char* const shapes[] = {"analog", "linear", NULL};

static const StPortSpec inputs[] = {
  {"gate", "Above 0.5: note held"},
  {"retrig", "A rising edge above 0.5 restarts the attack while the gate is held"},
};

static const StPortSpec outputs[] = {
  {"out", "Envelope, 0..1"},
};

static const StParamSpec params[] = {
  {"a", "s", "Attack time, 0 to 1", 0.0005f, 20, 0.01f, 0, 0, NULL},
  {"d", "s", "Decay time, 1 to sustain", 0.0005f, 20, 0.2f, 0, 0, NULL},
  {"s", "", "Sustain level", 0, 1, 0.7f, 0.01f, 0, NULL},
  {"r", "s", "Release time, sustain to 0", 0.0005f, 20, 0.3f, 0, 0, NULL},
  {"shape", "", "Segment shape: analog (RC curves) or linear (straight ramps)", 0, 1, 0, 0,
   ST_PARAM_CHOICE, shapes},
};

/* Quiet when finished, or releasing below ST_QUIET_LEVEL. */
static bool
adsr_quiet(const void* state)
{
  const Adsr* e = state;
  return e->stage == IDLE || (e->stage == RELEASE && e->y < ST_QUIET_LEVEL);
}

const StNodeType st_adsr_type = {
  .name       = "adsr",
  .family     = "Envelopes",
  .doc        = "Attack-decay-sustain-release envelope with RC-like curves. Each stage "
                "starts from the current level (no click on retrigger or early release). "
                "The attack aims at 1.3 and stops at 1; decay and release are exponential "
                "and reach their goal in about the set time. shape=linear gives straight "
                "ramps instead: 0 to 1 in a, 1 to sustain in d, and from the level at "
                "gate-off to 0 in r.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 5,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 5.0f,
  .state_size = adsr_size,
  .init       = adsr_init,
  .process    = adsr_process,
  .quiet      = adsr_quiet,
};
