/* SPDX-License-Identifier: ISC */
/* Stereo phaser: a chain of first-order allpass filters whose break
   frequency sweeps over `depth` octaves above `freq`, mixed with the dry
   signal so that notches move through the spectrum; feedback from the end
   of the chain deepens them. */
#include "division.h"
#include "dsp.h"
#include "stereo.h"
#include "sweep.h"
#include "types.h"

enum {
  P_RATE = ST_SWEEP_RATE,
  P_SYNC,
  P_DIVISION,
  P_FREQ,
  P_DEPTH,
  P_FEEDBACK,
  P_SPREAD,
  P_MIX,
  P_STAGES
};

#define MAX_STAGES 12

typedef struct {
  StSwept  swept;             ///< The sweep and the glides of the parameters up to mix
  uint32_t stages;            ///< Allpass stages per side
  float    s[2][MAX_STAGES];  ///< Integrator state of each stage (TPT one-pole)
  float    last[2];           ///< Output of the chain a sample ago, for feedback
} Phaser;

_Static_assert(P_MIX < ST_SWEPT_GLIDES, "phaser glides more parameters than StSwept holds");

static size_t
phaser_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Phaser);
}

static void
phaser_init(void* state, const float* params, float rate)
{
  Phaser*     ph = state;
  const float n  = st_clampf(params[P_STAGES], 1.0f, MAX_STAGES);
  ph->stages     = (uint32_t)(n + 0.5f);
  st_swept_init(&ph->swept, params, P_MIX + 1, rate);
}

/* The chain of allpasses, each 2 lp - x of a zero-delay-feedback one-pole
   with gain G = g / (1 + g): a flat magnitude and a phase that turns by 180
   degrees around the break frequency, stable however fast g moves. */
static float
chain(float* s, uint32_t stages, float x, float G)
{
  for (uint32_t k = 0; k < stages; ++k) {
    const float v  = (x - s[k]) * G;
    const float lp = v + s[k];
    s[k]           = st_flush(lp + v);
    x              = 2.0f * lp - x;
  }
  return x;
}

static void
phaser_process(void* state, const StProcess* p)
{
  Phaser*     ph    = state;
  StSwept*    sweep = &ph->swept;
  StParam*    pr    = p->params;
  const float top   = 0.45f * p->rate;
  const float k     = (float)ST_PI / p->rate;
  float       in[2][ST_BLOCK];
  st_stereo_input(p, in);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  freq   = st_swept_param(sweep, pr, P_FREQ);
    const float  depth  = st_swept_param(sweep, pr, P_DEPTH);
    const float  fb     = st_swept_param(sweep, pr, P_FEEDBACK);
    const double spread = st_swept_param(sweep, pr, P_SPREAD) / 360.0;
    const float  mix    = st_swept_param(sweep, pr, P_MIX);
    const double phase  = st_swept_phase(sweep, p, i);
    for (int c = 0; c < 2; ++c) {
      // Exponential sweep from freq up depth octaves and back (0.5 - 0.5 cos).
      const float sw = 0.5f - 0.5f * st_sweep_sine(phase - c * spread + 0.25);
      const float fc = st_clampf(freq * exp2f(depth * sw), 1.0f, top);
      const float g  = tanf(k * fc);
      const float x  = in[c][i];
      // The feedback is clamped: a fed-back chain is finite but may ring up
      // towards the limit on a huge input.
      const float u   = st_clampf(x + fb * ph->last[c], -ST_SIGNAL_LIMIT, ST_SIGNAL_LIMIT);
      const float wet = chain(ph->s[c], ph->stages, u, g / (1.0f + g));
      ph->last[c]     = st_flush(wet);
      p->out[c][i]    = x + mix * (wet - x);
    }
  }
}

static const StParamSpec params[] = {
  {"rate", "Hz", "Sweep rate when not synced", 0.01f, 10, 0.3f, 0.05f, 0, NULL},
  {"sync", "", "Sweep at a note division of the host's tempo, locked to its beat", 0, 1, 0, 0,
   ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "One sweep cycle per this note when synced", 0, ST_DIV_COUNT - 1, ST_DIV_1_1,
   0, ST_PARAM_CHOICE, st_division_names},
  {"freq", "Hz", "Lowest break frequency of the allpasses", 20, 5000, 200, 0.05f, 0, NULL},
  {"depth", "oct", "How far the break frequency sweeps above freq", 0, 8, 4, 0.05f, 0, NULL},
  {"feedback", "", "Part of the chain's output fed back to its input", -0.95f, 0.95f, 0.5f,
   0.01f, 0, NULL},
  {"spread", "deg", "Phase of the right sweep behind the left", 0, 180, 90, 0.05f, 0, NULL},
  {"mix", "", "Dry/wet: 0.5 gives the deepest notches", 0, 1, 0.5f, 0.01f, 0, NULL},
  {"stages", "", "First-order allpass stages per side (two per notch)", 1, MAX_STAGES, 6, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
};

const StNodeType st_phaser_type = {
  .name       = "phaser",
  .family     = "Space",
  .doc        = "Stereo phaser: `stages` first-order allpass filters (zero-delay-feedback "
                "form, stable under any sweep) whose break frequency moves exponentially "
                "from `freq` up `depth` octaves and back on a raised-cosine sweep, mixed "
                "with the dry signal so that notches travel through the spectrum; `feedback` "
                "from the end of the chain sharpens them. The right side sweeps `spread` "
                "degrees behind the left. The sweep runs at `rate`, or with `sync` on at one "
                "cycle per `division` of the host's tempo (120 BPM without a host), pulled "
                "onto the host's beat while it plays. Every continuous parameter is "
                "smoothed and then glides through a further 5 ms one-pole, so sweeping any "
                "of them at audio rate does not zip.",
  .n_inputs   = 2,
  .inputs     = st_stereo_inputs,
  .n_outputs  = 2,
  .outputs    = st_stereo_outputs,
  .n_params   = 9,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 100.0f,
  .state_size = phaser_size,
  .init       = phaser_init,
  .process    = phaser_process,
};
