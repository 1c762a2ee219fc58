/* SPDX-License-Identifier: ISC */
/* Equal-power mono to stereo panner. */
#include "dsp.h"
#include "types.h"

enum { I_IN, I_PAN };
enum { O_LEFT, O_RIGHT };

typedef struct {
  float pos;          ///< Position the gains were computed for
  float left, right;  ///< Channel gains
} Pan;

static void
place(Pan* s, float pos)
{
  const float angle = (pos + 1.0f) * (float)(ST_PI / 4.0);
  s->pos   = pos;
  s->left  = cosf(angle);
  s->right = sinf(angle);
}

static size_t
pan_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Pan);
}

static void
pan_init(void* state, const float* params, float rate)
{
  (void)params;
  (void)rate;
  place(state, 0.0f);
}

static void
pan_process(void* state, const StProcess* p)
{
  Pan* s = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float pos = st_clampf(st_param_next(&p->params[0]) + p->in[I_PAN][i], -1.0f, 1.0f);
    if (pos != s->pos) {
      place(s, pos);
    }
    const float x      = p->in[I_IN][i];
    p->out[O_LEFT][i]  = x * s->left;
    p->out[O_RIGHT][i] = x * s->right;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Mono signal"},
  {"pan", "Added to the pan parameter"},
};

static const StPortSpec outputs[] = {
  {"left", "in * cos((pan + 1) * pi / 4)"},
  {"right", "in * sin((pan + 1) * pi / 4)"},
};

static const StParamSpec params[] = {
  {"pan", "", "Position: -1 left, 0 centre (-3 dB each side), 1 right", -1, 1, 0, 0.01f, 0,
   NULL},
};

const StNodeType st_pan_type = {
  .name       = "pan",
  .family     = "Shapers",
  .doc        = "Equal-power panner: the summed power of left and right is constant across "
                "the range; the position is clamped to -1..1.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = 1,
  .params     = params,
  .cost       = 4.0f,
  .state_size = pan_size,
  .init       = pan_init,
  .process    = pan_process,
};
