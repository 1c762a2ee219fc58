/* SPDX-License-Identifier: ISC */
/* Feed-forward compressor with a soft knee and an optional sidechain: a peak
   level detector (instant attack, `release` decay), the static curve in dB,
   and the gain reduction smoothed by `attack` while it grows. */
#include "dsp.h"
#include "types.h"

enum { P_THRESHOLD, P_RATIO, P_KNEE, P_ATTACK, P_RELEASE, P_MAKEUP };
enum { I_IN, I_SIDE };
enum { O_OUT, O_GAIN };

#define FLOOR_DB -200.0f               // level of silence, far below any threshold
#define DB_TO_LN 0.11512925464970229f  // ln(10) / 20: 10^(dB / 20) = e^(dB DB_TO_LN)

typedef struct {
  float level;            ///< Peak detector, linear
  float reduction;        ///< Smoothed gain reduction in dB (>= 0)
  float attack, release;  ///< Times the coefficients were made for
  float up, down;         ///< Attack one-pole coefficient, release decay per sample
} Compressor;

/* The static curve: gain reduction in dB for a level in dB (a quadratic knee
   `knee` dB wide centred on the threshold, then 1/ratio above it). */
static float
curve(float level, float threshold, float ratio, float knee)
{
  const float over  = level - threshold;
  const float slope = 1.0f - 1.0f / ratio;
  if (2.0f * over <= -knee) {
    return 0.0f;
  }
  if (2.0f * over < knee) {
    const float d = over + 0.5f * knee;
    return slope * d * d / (2.0f * knee);
  }
  return slope * over;
}

static size_t
compressor_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Compressor);
}

static void
compressor_init(void* state, const float* params, float rate)
{
  Compressor* c = state;
  (void)params;
  (void)rate;
  c->attack = c->release = -1.0f;
}

static void
compressor_process(void* state, const StProcess* p)
{
  Compressor* c = state;
  // The detector remembers: only sane samples reach it (NaN as 0).
  float in[ST_BLOCK], key[ST_BLOCK];
  st_sane_block(in, p->in[I_IN], p->frames);
  st_sane_block(key, p->in[(p->linked & (1u << I_SIDE)) ? I_SIDE : I_IN], p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float threshold = st_param_next(&p->params[P_THRESHOLD]);
    const float ratio     = st_param_next(&p->params[P_RATIO]);
    const float knee      = st_param_next(&p->params[P_KNEE]);
    const float attack    = st_param_next(&p->params[P_ATTACK]);
    const float release   = st_param_next(&p->params[P_RELEASE]);
    const float makeup    = st_param_next(&p->params[P_MAKEUP]);
    if (attack != c->attack || release != c->release) {
      c->attack  = attack;
      c->release = release;
      c->up      = st_pole(attack, p->rate);
      c->down    = expf(-1.0f / (release * p->rate));
    }
    const float x  = fabsf(key[i]);
    c->level       = st_flush(x > c->level * c->down ? x : c->level * c->down);
    const float db = c->level > 1e-10f ? 20.0f * log10f(c->level) : FLOOR_DB;
    const float gr = curve(db, threshold, ratio, knee);
    // Rising reduction follows the attack; falling, it follows the detector,
    // whose decay is the release.
    c->reduction      = gr > c->reduction ? c->reduction + (gr - c->reduction) * c->up : gr;
    const float gain  = expf(-DB_TO_LN * c->reduction);
    p->out[O_OUT][i]  = in[i] * gain * expf(DB_TO_LN * makeup);
    p->out[O_GAIN][i] = gain;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"side", "Sidechain: when linked, its level sets the gain instead of the input's"},
};

static const StPortSpec outputs[] = {
  {"out", "The input times the gain and the makeup"},
  {"gain", "The gain applied before makeup, 0..1 (1: no reduction)"},
};

static const StParamSpec params[] = {
  {"threshold", "dB", "Level (peak, dBFS) where reduction starts, at the knee's centre", -60, 0,
   -18, 0.01f, 0, NULL},
  {"ratio", "", "Input dB per output dB above the knee", 1, 20, 4, 0.01f, 0, NULL},
  {"knee", "dB", "Width of the soft knee around the threshold (0: hard)", 0, 24, 6, 0.01f, 0,
   NULL},
  {"attack", "s", "Time constant of growing gain reduction", 0.0001f, 1, 0.005f, 0, 0, NULL},
  {"release", "s", "Time constant of the peak detector's decay", 0.005f, 5, 0.15f, 0, 0, NULL},
  {"makeup", "dB", "Gain after the reduction", 0, 24, 0, 0.01f, 0, NULL},
};

const StNodeType st_compressor_type = {
  .name       = "compressor",
  .family     = "Shapers",
  .doc        = "Feed-forward compressor. A peak detector follows |in| (or |side| when "
                "linked) with an instant attack and an exponential decay of time constant "
                "`release`; its level in dB goes through the static curve (no reduction "
                "below threshold - knee/2, a quadratic knee, then 1 - 1/ratio dB of reduction "
                "per dB above), and the reduction grows with the `attack` time constant and "
                "falls as the detector decays. On a steady sine of peak level L the gain is "
                "the static curve's at L. No latency: use `limiter` for hard peaks.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = 6,
  .params     = params,
  .cost       = 25.0f,
  .state_size = compressor_size,
  .init       = compressor_init,
  .process    = compressor_process,
};
