/* SPDX-License-Identifier: ISC */
/* Sample and hold. */
#include "dsp.h"
#include "types.h"
#include "zeroed.h"

enum { I_IN, I_TRIG };

typedef struct {
  float trig;  ///< Previous sample of the trigger input
  float held;  ///< Value output until the next trigger
} Sh;

static size_t
sh_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Sh);
}

/* Flags the rising edges (in a loop that vectorises) and fills the runs
   between them (fills vectorise too): the same values as taking each sample
   in turn. */
static void
sh_process(void* state, const StProcess* p)
{
  Sh*                   s    = state;
  const float* restrict trig = p->in[I_TRIG];
  const float* restrict in   = p->in[I_IN];
  float* restrict       out  = p->out[0];
  const uint32_t        n    = p->frames;
  float                 held = s->held;
  uint32_t              from = 0;
  uint8_t               edge[ST_BLOCK];
  edge[0] = st_rising(s->trig, trig[0]);
  for (uint32_t k = 1; k < n; ++k) {
    edge[k] = !(trig[k - 1] > 0.0f) & (trig[k] > 0.0f); // as st_rising()
  }
  for (uint32_t k = n; k < ((n + 7u) & ~7u); ++k) {
    edge[k] = 0;
  }
  for (uint32_t i = st_next_flag(edge, 0, n); i < n; i = st_next_flag(edge, i + 1, n)) {
    for (uint32_t k = from; k < i; ++k) {
      out[k] = held;
    }
    held = st_sane(in[i]); // Held indefinitely: never NaN or beyond the limit
    from = i;
  }
  for (uint32_t k = from; k < n; ++k) {
    out[k] = held;
  }
  s->trig = trig[n - 1];
  s->held = held;
}

static const StPortSpec inputs[] = {
  {"in", "Signal to sample"},
  {"trig", "A rising edge through zero takes a new sample"},
};

static const StPortSpec outputs[] = {
  {"out", "The last sample taken (0 before the first)"},
};

const StNodeType st_sh_type = {
  .name       = "sh",
  .family     = "Shapers",
  .doc        = "Sample and hold: on each rising edge of `trig` through zero, takes the "
                "current value of `in` and holds it.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .flags      = ST_NODE_BOUNDED, // holds only st_sane() values
  .cost       = 2.0f,
  .state_size = sh_size,
  .init       = st_zeroed_init,
  .process    = sh_process,
};
