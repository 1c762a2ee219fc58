/* SPDX-License-Identifier: ISC */
/* Ring modulator: the input times a carrier, either the `carrier` input or,
   when that is not linked, a built-in sine. */
#include "dsp.h"
#include "types.h"
#include "zeroed.h"

enum { P_FREQ, P_OFFSET, P_MIX };
enum { I_IN, I_CARRIER };

#define CYCLE 4294967296.0  // phase units per cycle

typedef struct {
  uint32_t phase;  ///< Built-in sine's position in the cycle, in 2^-32 cycles
} Ringmod;

static size_t
ringmod_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Ringmod);
}

static void
ringmod_process(void* state, const StProcess* p)
{
  Ringmod*   r        = state;
  const bool external = p->linked & (1u << I_CARRIER);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float freq   = st_clampf(st_param_next(&p->params[P_FREQ]), 0.0f, 0.5f * p->rate);
    const float offset = st_param_next(&p->params[P_OFFSET]);
    const float mix    = st_param_next(&p->params[P_MIX]);
    r->phase += (uint32_t)((double)freq * (CYCLE / p->rate) + 0.5);
    // The phase as a signed fraction of the cycle, -1/2..1/2: sin is exact there.
    const float sine    = sinf((float)(int32_t)r->phase * (float)(2.0 * ST_PI / CYCLE));
    const float carrier = external ? st_sane(p->in[I_CARRIER][i]) : sine;
    const float x       = st_sane(p->in[I_IN][i]);
    p->out[0][i]        = st_dry_wet(x, x * (carrier + offset), mix);
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"carrier", "Carrier; when not linked, a sine at `freq`"},
};

static const StPortSpec outputs[] = {
  {"out", "dry * (1 - mix) + in * (carrier + offset) * mix"},
};

static const StParamSpec params[] = {
  {"freq", "Hz", "Frequency of the built-in sine carrier", 0, 20000, 300, 0.01f, 0, NULL},
  {"offset", "", "Added to the carrier: 0 ring modulation, 1 amplitude modulation", 0, 1, 0,
   0.01f, 0, NULL},
  {"mix", "", "Dry/wet: 0 dry, 1 fully modulated", 0, 1, 1, 0.01f, 0, NULL},
};

const StNodeType st_ringmod_type = {
  .name       = "ringmod",
  .family     = "Shapers",
  .doc        = "Ring modulator: the input times (carrier + offset). The carrier is the "
                "`carrier` input when linked, else a sine at `freq`. With offset 0 a sine "
                "input at f gives the sum and difference frequencies f +- freq and no f; "
                "with offset 1 it is amplitude modulation, keeping f.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .cost       = 14.0f,
  .state_size = ringmod_size,
  .init       = st_zeroed_init,  // a phase of 0 is ready
  .process    = ringmod_process,
};
