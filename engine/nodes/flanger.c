/* SPDX-License-Identifier: ISC */
/* Stereo flanger: the input plus itself delayed by a short time that sweeps
   from `delay` up to `delay` + `depth`, with feedback around the line; the
   right side's sweep runs `spread` degrees behind the left's. */
#include "division.h"
#include "line.h"
#include "stereo.h"
#include "sweep.h"
#include "types.h"

enum {
  P_RATE = ST_SWEEP_RATE,
  P_SYNC,
  P_DIVISION,
  P_DELAY,
  P_DEPTH,
  P_FEEDBACK,
  P_SPREAD,
  P_MIX
};

#define LONGEST 0.021  ///< Seconds a line holds: the longest delay and depth, and a margin

typedef struct {
  StSwept swept;     ///< The sweep and the glides of the parameters up to mix
  StLine  line[2];   ///< Left and right: input plus feedback
  float   memory[];  ///< The lines' samples
} Flanger;

_Static_assert(P_MIX < ST_SWEPT_GLIDES, "flanger glides more parameters than StSwept holds");

static size_t
flanger_size(const float* params, float rate)
{
  (void)params;
  return st_lines_size(sizeof(Flanger), 2, st_line_length(LONGEST, rate, 8));
}

static void
flanger_init(void* state, const float* params, float rate)
{
  Flanger* f = state;
  st_lines_place(f->line, 2, f->memory, st_line_length(LONGEST, rate, 8));
  st_swept_init(&f->swept, params, P_MIX + 1, rate);
}

static void
flanger_process(void* state, const StProcess* p)
{
  Flanger*     f     = state;
  StSwept*     sweep = &f->swept;
  StParam*     pr    = p->params;
  const double ms    = p->rate / 1000.0;
  float        in[2][ST_BLOCK];
  st_stereo_input(p, in);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const double delay  = st_swept_param(sweep, pr, P_DELAY) * ms;
    const double depth  = st_swept_param(sweep, pr, P_DEPTH) * ms;
    const float  fb     = st_swept_param(sweep, pr, P_FEEDBACK);
    const double spread = st_swept_param(sweep, pr, P_SPREAD) / 360.0;
    const float  mix    = st_swept_param(sweep, pr, P_MIX);
    const double phase  = st_swept_phase(sweep, p, i);
    for (int c = 0; c < 2; ++c) {
      // A sweep from the shortest delay up and back: 0.5 - 0.5 cos.
      const double sw  = 0.5 - 0.5 * st_sweep_sine(phase - c * spread + 0.25);
      const double at  = delay + depth * sw;
      const float  wet = st_line_hermite(&f->line[c], at > 2.0 ? at : 2.0);
      const float  x   = in[c][i];
      st_line_push(&f->line[c], x + fb * wet);
      p->out[c][i] = x + mix * (wet - x);
    }
  }
}

static const StParamSpec params[] = {
  {"rate", "Hz", "Sweep rate when not synced", 0.01f, 10, 0.25f, 0.05f, 0, NULL},
  {"sync", "", "Sweep at a note division of the host's tempo, locked to its beat", 0, 1, 0, 0,
   ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "One sweep cycle per this note when synced", 0, ST_DIV_COUNT - 1, ST_DIV_1_1,
   0, ST_PARAM_CHOICE, st_division_names},
  {"delay", "ms", "Shortest delay of the sweep", 0.1f, 10, 0.5f, 0.05f, 0, NULL},
  {"depth", "ms", "How far the delay sweeps above the shortest", 0, 10, 3, 0.05f, 0, NULL},
  {"feedback", "", "Part of the delayed signal fed back (negative: hollow, odd notches)",
   -0.95f, 0.95f, 0.5f, 0.01f, 0, NULL},
  {"spread", "deg", "Phase of the right sweep behind the left", 0, 180, 90, 0.05f, 0, NULL},
  {"mix", "", "Dry/wet: 0.5 gives the deepest notches", 0, 1, 0.5f, 0.01f, 0, NULL},
};

const StNodeType st_flanger_type = {
  .name       = "flanger",
  .family     = "Space",
  .doc        = "Stereo flanger: the input plus itself delayed by `delay` .. `delay` + "
                "`depth` milliseconds on a raised-cosine sweep, with `feedback` around the "
                "line. The right side sweeps `spread` degrees behind the left. The sweep "
                "runs at `rate`, or with `sync` on at one cycle per `division` of the "
                "host's tempo (120 BPM without a host), pulled onto the host's beat while it "
                "plays. Delays are read with cubic Hermite interpolation; every continuous "
                "parameter is smoothed and then glides through a further 5 ms one-pole, so "
                "sweeping any of them at audio rate does not zip.",
  .n_inputs   = 2,
  .inputs     = st_stereo_inputs,
  .n_outputs  = 2,
  .outputs    = st_stereo_outputs,
  .n_params   = 8,
  .params     = params,
  .flags      = ST_NODE_HOLDS,
  .cost       = 60.0f,
  .state_size = flanger_size,
  .init       = flanger_init,
  .process    = flanger_process,
};
