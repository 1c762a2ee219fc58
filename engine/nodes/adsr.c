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
  int   stage;    ///< IDLE..RELEASE
  float y;        ///< Current level, 0..1
  float gate;     ///< Previous gate sample
  float retrig;   ///< Previous retrig sample
  float time[3];  ///< a, d, r the coefficients were made for
  float coef[3];  ///< One-pole coefficients of attack, decay, release
  float rise[3];  ///< Linear shape: full-scale change per sample of a, d, r
  float fall;     ///< Linear release: level lost per sample (level at gate-off / r)
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
static void
gate(Adsr* e, float g, float retrig)
{
  const bool on = g > 0.5f;
  if ((on && !(e->gate > 0.5f)) || (on && retrig > 0.5f && !(e->retrig > 0.5f))) {
    e->stage = ATTACK;
  } else if (!on && e->gate > 0.5f) {
    e->stage = RELEASE;
    e->fall  = e->y * e->rise[2];
  }
  e->gate   = g;
  e->retrig = retrig;
}

/* Linear shape: straight segments, 0 to 1 in a, 1 to s in d, and from the
   level at gate-off to 0 in r. */
static void
step_linear(Adsr* e, float s)
{
  switch (e->stage) {
  case ATTACK:
    e->y += e->rise[0];
    if (e->y >= 1.0f) {
      e->y     = 1.0f;
      e->stage = DECAY;
    }
    break;
  case DECAY:
    e->y -= (1.0f - s) * e->rise[1];
    e->stage = e->y <= s ? SUSTAIN : DECAY;
    e->y     = e->y <= s ? s : e->y;
    break;
  case SUSTAIN:
    e->y = s;
    break;
  case RELEASE:
    e->y -= e->fall;
    e->stage = e->y <= 0.0f ? IDLE : RELEASE;
    e->y     = e->y <= 0.0f ? 0.0f : e->y;
    break;
  default:
    break;
  }
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
}

/* True when sample (g, r) after (pg, pr) starts or ends a stage (gate()). */
static inline bool
gate_event(float g, float r, float pg, float pr)
{
  const bool on = g > 0.5f;
  return (on && !(pg > 0.5f)) || (on && r > 0.5f && !(pr > 0.5f)) || (!on && pg > 0.5f);
}

/* First j in [i, n) with an event flag, or n. */
static inline uint32_t
next_event(const int32_t* ev, uint32_t i, uint32_t n)
{
  while (i < n && !ev[i]) {
    ++i;
  }
  return i;
}

/* Settled linear envelope: gate() and step_linear() with the state in
   registers. Gate events are found by a scan; between them each stage runs
   as its own tight loop (sustain and idle as fills). The same arithmetic,
   sample by sample, as the generic path. */
static void
linear_block(Adsr* e, const float* restrict g, const float* restrict rt, float* restrict out,
             uint32_t n, float s)
{
  int         stage = e->stage;
  float       y = e->y, pg = e->gate, pr = e->retrig, fall = e->fall;
  const float r0 = e->rise[0], dr = (1.0f - s) * e->rise[1], r2 = e->rise[2];
  int32_t     flag[ST_BLOCK];
  flag[0] = gate_event(g[0], rt[0], pg, pr);
  for (uint32_t k = 1; k < n; ++k) { // vectorised gate_event()
    const int32_t on = g[k] > 0.5f;
    flag[k] = (on & !(g[k - 1] > 0.5f)) | (on & (rt[k] > 0.5f) & !(rt[k - 1] > 0.5f)) |
              ((on ^ 1) & (g[k - 1] > 0.5f));
  }
  uint32_t i = 0;
  while (i < n) {
    const uint32_t ev = next_event(flag, i, n);
    if (ev == i) {
      const bool on = g[i] > 0.5f;
      if ((on && !(pg > 0.5f)) || (on && rt[i] > 0.5f && !(pr > 0.5f))) {
        stage = ATTACK;
      } else {
        stage = RELEASE;
        fall  = y * r2;
      }
    }
    // Samples i..end-1: no further event.
    const uint32_t end = ev == i ? next_event(flag, i + 1, n) : ev;
    uint32_t       k   = i;
    while (k < end) {
      switch (stage) {
      case ATTACK:
        for (; k < end; ++k) {
          y += r0;
          if (y >= 1.0f) {
            y        = 1.0f;
            stage    = DECAY;
            out[k++] = y;
            break;
          }
          out[k] = y;
        }
        break;
      case DECAY:
        for (; k < end; ++k) {
          y -= dr;
          if (y <= s) {
            y        = s;
            stage    = SUSTAIN;
            out[k++] = y;
            break;
          }
          out[k] = y;
        }
        break;
      case RELEASE:
        for (; k < end; ++k) {
          y -= fall;
          if (y <= 0.0f) {
            y        = 0.0f;
            stage    = IDLE;
            out[k++] = y;
            break;
          }
          out[k] = y;
        }
        break;
      default: {
        const float v = stage == SUSTAIN ? s : y;
        for (; k < end; ++k) {
          out[k] = v;
        }
        y = v;
        break;
      }
      }
    }
    pg = g[end - 1];
    pr = rt[end - 1];
    i  = end;
  }
  e->stage  = stage;
  e->y      = y;
  e->gate   = pg;
  e->retrig = pr;
  e->fall   = fall;
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
    if (linear) {
      linear_block(e, g, retrig, out, p->frames, s);
      return;
    }
    for (uint32_t i = 0; i < p->frames; ++i) {
      gate(e, g[i], retrig[i]);
      if (linear) {
        step_linear(e, s);
      } else {
        step(e, s);
      }
      out[i] = e->y;
    }
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
};
