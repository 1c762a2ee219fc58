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

static void
sh_process(void* state, const StProcess* p)
{
  Sh* s = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float trig = p->in[I_TRIG][i];
    if (st_rising(s->trig, trig)) {
      s->held = p->in[I_IN][i];
    }
    s->trig      = trig;
    p->out[0][i] = s->held;
  }
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
  .cost       = 2.0f,
  .state_size = sh_size,
  .init       = st_zeroed_init,
  .process    = sh_process,
};
