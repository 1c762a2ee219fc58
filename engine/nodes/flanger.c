/* Stereo flanger: the input plus itself delayed by a short time that sweeps
   from `delay` up to `delay` + `depth`, with feedback around the line; the
   right side's sweep runs `spread` degrees behind the left's. */
#include "division.h"
#include "line.h"
#include "sweep.h"
#include "types.h"

#include <string.h>

enum { P_RATE, P_SYNC, P_DIVISION, P_DELAY, P_DEPTH, P_FEEDBACK, P_SPREAD, P_MIX };
enum { I_LEFT, I_RIGHT };

#define LONGEST 0.021  ///< Seconds a line holds: the longest delay and depth, and a margin

typedef struct {
  StSweep sweep;             ///< The left side's sweep
  float   glide[P_MIX + 1];  ///< Parameters after a second smoothing (st_glide)
  float   coef;              ///< Its coefficient
  StLine  line[2];           ///< Left and right: input plus feedback
  float   memory[];          ///< The lines' samples
} Flanger;

static size_t
flanger_size(const float* params, float rate)
{
  (void)params;
  size_t bytes = sizeof(Flanger);
  for (int c = 0; c < 2; ++c) {
    if (!st_line_add_bytes(&bytes, st_line_length(LONGEST, rate, 8))) {
      return SIZE_MAX;
    }
  }
  return bytes;
}

static void
flanger_init(void* state, const float* params, float rate)
{
  Flanger* f = state;
  float*   m = f->memory;
  for (int c = 0; c < 2; ++c) {
    st_line_place(&f->line[c], &m, st_line_length(LONGEST, rate, 8));
  }
  memcpy(f->glide, params, sizeof(f->glide));
  f->coef = st_pole(ST_GLIDE_TIME, rate);
}

static void
flanger_process(void* state, const StProcess* p)
{
  Flanger*     f     = state;
  StParam*     pr    = p->params;
  const bool   sync  = st_choice(&pr[P_SYNC], 2);
  const int    div   = st_choice(&pr[P_DIVISION], ST_DIV_COUNT);
  const float* right = (p->linked & (1u << I_RIGHT)) ? p->in[I_RIGHT] : p->in[I_LEFT];
  const double ms    = p->rate / 1000.0;
  const float  k     = f->coef;
  float        in[2][ST_BLOCK];
  st_sane_block(in[0], p->in[I_LEFT], p->frames);
  st_sane_block(in[1], right, p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  hz    = st_param_next(&pr[P_RATE]);
    const double delay = st_glide(&f->glide[P_DELAY], st_param_next(&pr[P_DELAY]), k) * ms;
    const double depth = st_glide(&f->glide[P_DEPTH], st_param_next(&pr[P_DEPTH]), k) * ms;
    const float  fb    = st_glide(&f->glide[P_FEEDBACK], st_param_next(&pr[P_FEEDBACK]), k);
    const double spread =
      st_glide(&f->glide[P_SPREAD], st_param_next(&pr[P_SPREAD]), k) / 360.0;
    const float  mix = st_glide(&f->glide[P_MIX], st_param_next(&pr[P_MIX]), k);
    const double phase =
      st_sweep_next(&f->sweep, hz, sync, (uint32_t)div, &p->host->transport, i, p->rate);
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

static const StPortSpec inputs[] = {
  {"left", "Left signal"},
  {"right", "Right signal (unlinked: the left signal, for mono in, stereo out)"},
};

static const StPortSpec outputs[] = {
  {"left", "Left dry/wet mix"},
  {"right", "Right dry/wet mix"},
};

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
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = 8,
  .params     = params,
  .cost       = 60.0f,
  .state_size = flanger_size,
  .init       = flanger_init,
  .process    = flanger_process,
};
