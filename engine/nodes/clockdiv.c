/* SPDX-License-Identifier: ISC */
/* Clock divider: passes every Nth clock pulse, so one clock drives parts at
   several rates. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { P_DIVIDE, P_OFFSET };
enum { I_CLOCK, I_RESET };

typedef struct {
  float    clock;  ///< Previous clock sample
  float    reset;  ///< Previous reset sample
  uint32_t count;  ///< Rising edges since the last reset
  bool     open;   ///< The current pulse passes
} ClockDiv;

static size_t
clockdiv_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(ClockDiv);
}

static void
clockdiv_process(void* state, const StProcess* p)
{
  ClockDiv*      c      = state;
  const uint32_t divide = (uint32_t)st_clampf(p->params[P_DIVIDE].value + 0.5f, 1, 64);
  const uint32_t offset = (uint32_t)st_clampf(p->params[P_OFFSET].value + 0.5f, 0, 63) % divide;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float clock = p->in[I_CLOCK][i];
    const float reset = p->in[I_RESET][i];
    if (st_rising(c->reset, reset)) {
      c->count = 0;
    }
    if (st_rising(c->clock, clock)) {
      c->open = c->count % divide == offset;
      ++c->count;
    }
    if (!(clock > 0.0f)) {
      c->open = false;
    }
    c->clock     = clock;
    c->reset     = reset;
    p->out[0][i] = c->open ? 1.0f : 0.0f;
  }
}

static const StPortSpec inputs[] = {
  {"clock", "Pulses to divide: a rising edge through zero starts one"},
  {"reset", "A rising edge makes the next clock pulse the first"},
};

static const StPortSpec outputs[] = {
  {"out", "1 during every `divide`th clock pulse (the first after a reset, moved by offset)"},
};

static const StParamSpec params[] = {
  {"divide", "", "Pass one clock pulse in this many", 1, 64, 2, 0, ST_PARAM_INT, NULL},
  {"offset", "", "Which pulse of each group passes, 0 = the first", 0, 63, 0, 0, ST_PARAM_INT,
   NULL},
};

const StNodeType st_clockdiv_type = {
  .name       = "clockdiv",
  .family     = "Sequencing",
  .doc        = "Clock divider: passes one clock pulse in `divide` (the pulse as it came, "
                "high for as long as the input), counting from the first pulse after a "
                "reset. `link transport.clock -> div.clock` with divide=4 makes quarter notes "
                "of sixteenths.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 2,
  .params     = params,
  .flags      = ST_NODE_BOUNDED | ST_NODE_HOLDS,
  .cost       = 1.5f,
  .state_size = clockdiv_size,
  .init       = st_zeroed_init,
  .process    = clockdiv_process,
};
