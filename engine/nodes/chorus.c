/* Stereo chorus: three voices per side read the input through delay lines
   whose times swing around `delay` by +-`depth`, a third of a cycle apart;
   the right side's sweep runs `spread` degrees behind the left's. */
#include "division.h"
#include "line.h"
#include "sweep.h"
#include "types.h"

#include <string.h>

enum { P_RATE, P_SYNC, P_DIVISION, P_DEPTH, P_DELAY, P_SPREAD, P_MIX };
enum { I_LEFT, I_RIGHT };

#define VOICES 3
#define LONGEST 0.041  ///< Seconds a line holds: the longest delay and depth, and a margin

typedef struct {
  StSweep sweep;             ///< The left side's sweep
  float   glide[P_MIX + 1];  ///< Parameters after a second smoothing (st_glide)
  float   coef;              ///< Its coefficient
  StLine  line[2];           ///< Left and right input history
  float   memory[];          ///< The lines' samples
} Chorus;

static size_t
chorus_size(const float* params, float rate)
{
  (void)params;
  size_t bytes = sizeof(Chorus);
  for (int c = 0; c < 2; ++c) {
    if (!st_line_add_bytes(&bytes, st_line_length(LONGEST, rate, 8))) {
      return SIZE_MAX;
    }
  }
  return bytes;
}

static void
chorus_init(void* state, const float* params, float rate)
{
  (void)params;
  Chorus* ch = state;
  float*  m  = ch->memory;
  for (int c = 0; c < 2; ++c) {
    st_line_place(&ch->line[c], &m, st_line_length(LONGEST, rate, 8));
  }
  memcpy(ch->glide, params, sizeof(ch->glide));
  ch->coef = st_pole(ST_GLIDE_TIME, rate);
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
  StParam*     pr    = p->params;
  const bool   sync  = st_choice(&pr[P_SYNC], 2);
  const int    div   = st_choice(&pr[P_DIVISION], ST_DIV_COUNT);
  const float* right = (p->linked & (1u << I_RIGHT)) ? p->in[I_RIGHT] : p->in[I_LEFT];
  const double ms    = p->rate / 1000.0;
  const float  k     = ch->coef;
  float        in[2][ST_BLOCK];
  st_sane_block(in[0], p->in[I_LEFT], p->frames);
  st_sane_block(in[1], right, p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float  hz    = st_param_next(&pr[P_RATE]);
    const double delay = st_glide(&ch->glide[P_DELAY], st_param_next(&pr[P_DELAY]), k) * ms;
    const double swing = st_glide(&ch->glide[P_DEPTH], st_param_next(&pr[P_DEPTH]), k) * ms;
    const float  spread =
      st_glide(&ch->glide[P_SPREAD], st_param_next(&pr[P_SPREAD]), k) * (float)(ST_PI / 180.0);
    const float mix = st_glide(&ch->glide[P_MIX], st_param_next(&pr[P_MIX]), k);
    // The swing stops short of the present (2 samples back): clamping the
    // read there instead would put corners in the sweep.
    const double depth = swing < delay - 2.0 ? swing : (delay > 2.0 ? delay - 2.0 : 0.0);
    const double phase =
      st_sweep_next(&ch->sweep, hz, sync, (uint32_t)div, &p->host->transport, i, p->rate);
    const float angle = (float)(2.0 * ST_PI * phase);
    for (int c = 0; c < 2; ++c) {
      const float a   = angle - (float)c * spread;
      const float x   = in[c][i];
      const float wet = voices(&ch->line[c], delay, depth, sinf(a), cosf(a));
      st_line_push(&ch->line[c], x);
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
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = 7,
  .params     = params,
  .cost       = 65.0f,
  .state_size = chorus_size,
  .init       = chorus_init,
  .process    = chorus_process,
};
