/* SPDX-License-Identifier: ISC */
/* Stereo chorus: three voices per side read the input through delay lines
   whose times swing around `delay` by +-`depth`, a third of a cycle apart;
   the right side's sweep runs `spread` degrees behind the left's. */
#include "division.h"
#include "line.h"
#include "stereo.h"
#include "sweep.h"
#include "types.h"

enum { P_RATE = ST_SWEEP_RATE, P_SYNC, P_DIVISION, P_DEPTH, P_DELAY, P_SPREAD, P_MIX };

#define VOICES 3
#define LONGEST 0.041  ///< Seconds a line holds: the longest delay and depth, and a margin

typedef struct {
  StSwept swept;     ///< The sweep and the glides of the parameters up to mix
  StLine  line[2];   ///< Left and right input history
  float   memory[];  ///< The lines' samples
} Chorus;

_Static_assert(P_MIX < ST_SWEPT_GLIDES, "chorus glides more parameters than StSwept holds");

static size_t
chorus_size(const float* params, float rate)
{
  (void)params;
  return st_lines_size(sizeof(Chorus), 2, st_line_length(LONGEST, rate, 8));
}

static void
chorus_init(void* state, const float* params, float rate)
{
  Chorus* ch = state;
  st_lines_place(ch->line, 2, ch->memory, st_line_length(LONGEST, rate, 8));
  st_swept_init(&ch->swept, params, P_MIX + 1, rate);
}

/* The three voices' mean, the voices `depth` samples around `delay`, the
   first at sin(angle) and the others a third of a cycle on. */
static float
voices(const StLine* l, double delay, double depth, float s, float c)
{
  static const float sin120     = 0.8660254f;
  const float        sw[VOICES] = {s, -0.5f * s + sin120 * c, -0.5f * s - sin120 * c};
  float              sum        = 0.0f;
  for (int v = 0; v < VOICES; ++v) {
    const double at = delay + depth * sw[v];
    sum += st_line_hermite(l, at > 2.0 ? at : 2.0);
  }
  return sum * (1.0f / VOICES);
}

static void
chorus_process(void* state, const StProcess* p)
{
  Chorus*      ch    = state;
  StSwept*     sweep = &ch->swept;
  StParam*     pr    = p->params;
  const double ms    = p->rate / 1000.0;
  float        in[2][ST_BLOCK];
  st_stereo_input(p, in);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const double delay  = st_swept_param(sweep, pr, P_DELAY) * ms;
    const double swing  = st_swept_param(sweep, pr, P_DEPTH) * ms;
    const float  spread = st_swept_param(sweep, pr, P_SPREAD) * (float)(ST_PI / 180.0);
    const float  mix    = st_swept_param(sweep, pr, P_MIX);
    // The swing stops short of the present (2 samples back): clamping the
    // read there instead would put corners in the sweep.
    const double depth = swing < delay - 2.0 ? swing : (delay > 2.0 ? delay - 2.0 : 0.0);
    const double phase = st_swept_phase(sweep, p, i);
    const float  angle = (float)(2.0 * ST_PI * phase);
    for (int c = 0; c < 2; ++c) {
      const float a   = angle - (float)c * spread;
      const float x   = in[c][i];
      const float wet = voices(&ch->line[c], delay, depth, sinf(a), cosf(a));
      st_line_push(&ch->line[c], x);
      p->out[c][i] = x + mix * (wet - x);
    }
  }
}

static const StParamSpec params[] = {
  {"rate", "Hz", "Sweep rate when not synced", 0.01f, 10, 0.8f, 0.05f, 0, NULL},
  {"sync", "", "Sweep at a note division of the host's tempo, locked to its beat", 0, 1, 0, 0,
   ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "One sweep cycle per this note when synced", 0, ST_DIV_COUNT - 1, ST_DIV_1_1,
   0, ST_PARAM_CHOICE, st_division_names},
  {"depth", "ms", "How far each voice's delay swings either way (at most delay less 2 samples)",
   0, 10, 2, 0.05f, 0, NULL},
  {"delay", "ms", "Centre delay of the voices", 1, 30, 12, 0.05f, 0, NULL},
  {"spread", "deg", "Phase of the right sweep behind the left", 0, 180, 90, 0.05f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 only the voices", 0, 1, 0.5f, 0.01f, 0, NULL},
};

const StNodeType st_chorus_type = {
  .name       = "chorus",
  .family     = "Space",
  .doc        = "Stereo chorus: three voices per side, each the input delayed by `delay` "
                "+- `depth` milliseconds on a sine sweep, the voices a third of a cycle apart "
                "and the right side `spread` degrees behind the left. The sweep runs at "
                "`rate`, or with `sync` on at one cycle per `division` of the host's tempo "
                "(120 BPM without a host), pulled onto the host's beat while it plays. Delays "
                "are read with cubic Hermite interpolation; every continuous parameter is "
                "smoothed and then glides through a further 5 ms one-pole, so sweeping any "
                "of them at audio rate does not zip.",
  .n_inputs   = 2,
  .inputs     = st_stereo_inputs,
  .n_outputs  = 2,
  .outputs    = st_stereo_outputs,
  .n_params   = 7,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 65.0f,
  .state_size = chorus_size,
  .init       = chorus_init,
  .process    = chorus_process,
};
