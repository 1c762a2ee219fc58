/* SPDX-License-Identifier: ISC */
/* A host macro control as a signal, smoothed so automation never zips. */
#include "dsp.h"
#include "types.h"

#define SMOOTHING 0.01f  // seconds: the host updates macros once per block

typedef struct {
  float y;       ///< Current output
  float coef;    ///< One-pole coefficient
  bool  primed;  ///< False until the first sample, which starts at the value
} Macro;

static size_t
macro_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Macro);
}

static void
macro_init(void* state, const float* params, float rate)
{
  Macro* m = state;
  (void)params;
  m->coef = st_pole(SMOOTHING, rate);
}

static void
macro_process(void* state, const StProcess* p)
{
  Macro*    m      = state;
  const int slot   = (int)st_clampf(p->params[0].value, 1.0f, ST_MACRO_SLOTS);
  const float goal = p->host ? p->host->macros[slot - 1] : 0.0f;
  if (!m->primed) {
    m->y      = goal;
    m->primed = true;
  }
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float d = goal - m->y;
    m->y         = (d < 1e-7f && d > -1e-7f) ? goal : m->y + d * m->coef;
    p->out[0][i] = m->y;
  }
}

static const StPortSpec outputs[] = {
  {"out", "The macro value, 0..1"},
};

static const StParamSpec params[] = {
  {"slot", "", "Macro control of the plugin, 1..16", 1, 16, 1, 0, ST_PARAM_INT, NULL},
};

const StNodeType st_macro_type = {
  .name       = "macro",
  .family     = "I/O",
  .doc        = "Outputs one of the plugin's 16 macro controls, smoothed with a 10 ms time "
                "constant. (Macros can also be mapped straight onto parameters with the "
                "patch's `macro` statement.)",
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 1,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 1.0f,
  .state_size = macro_size,
  .init       = macro_init,
  .process    = macro_process,
};
