/* SPDX-License-Identifier: ISC */
/* Envelope follower: the rectified input through a one-pole smoother that
   rises and falls at different speeds. */
#include "dsp.h"
#include "types.h"

enum { P_ATTACK, P_RELEASE };

typedef struct {
  float env;             ///< Current envelope
  float attack, release; ///< Times the coefficients were made for
  float up, down;        ///< One-pole coefficients
} Follower;

static size_t
follower_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Follower);
}

static void
follower_init(void* state, const float* params, float rate)
{
  Follower* f = state;
  (void)params;
  (void)rate;
  f->attack = f->release = -1.0f;
}

static void
follower_process(void* state, const StProcess* p)
{
  Follower* f = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float attack  = st_param_next(&p->params[P_ATTACK]);
    const float release = st_param_next(&p->params[P_RELEASE]);
    if (attack != f->attack || release != f->release) {
      f->attack  = attack;
      f->release = release;
      f->up      = st_pole(attack, p->rate);
      f->down    = st_pole(release, p->rate);
    }
    const float x = fabsf(st_sane(p->in[0][i])); // The envelope remembers: keep it sane
    f->env += (x - f->env) * (x > f->env ? f->up : f->down);
    f->env       = st_flush(f->env);
    p->out[0][i] = f->env;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
};

static const StPortSpec outputs[] = {
  {"out", "Envelope of |in|"},
};

static const StParamSpec params[] = {
  {"attack", "s", "Time constant while the level rises", 0.0001f, 5, 0.005f, 0, 0, NULL},
  {"release", "s", "Time constant while the level falls", 0.001f, 10, 0.2f, 0, 0, NULL},
};

const StNodeType st_follower_type = {
  .name       = "follower",
  .family     = "Envelopes",
  .doc        = "Envelope follower: |in| smoothed by a one-pole filter whose time constant "
                "is `attack` while rising and `release` while falling (63 % of a step in "
                "that time).",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .cost       = 4.0f,
  .state_size = follower_size,
  .init       = follower_init,
  .process    = follower_process,
};
