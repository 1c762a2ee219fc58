/* SPDX-License-Identifier: ISC */
/* MIDI controller input: one continuous controller (7 bits, or a 14-bit
   pair of MSB and LSB) as a smoothed signal, so hardware knobs reach any
   parameter through a link. */
#include "dsp.h"
#include "midi_msg.h"
#include "types.h"

enum { P_CC, P_BITS, P_CHANNEL, P_SMOOTH, P_MIN, P_MAX };
enum { BITS_7, BITS_14 };

typedef struct {
  uint8_t  value[128];  ///< Last value of every controller on the channel
  uint32_t channel;     ///< 1..16, or 0 for any
  float    out;         ///< Smoothed output, 0..1 before scaling
  bool     seen;        ///< A value arrived: the output starts from it
} Cc;

static void
cc_event(void* state, const uint8_t* msg, uint32_t size)
{
  Cc*             c = state;
  const StMidiMsg e = st_midi_decode(msg, size, c->channel);
  if (e.kind == ST_MIDI_CC) {
    c->value[e.a] = e.b;
    if (e.a < 32) {  // A new MSB clears its LSB (the MIDI rule for pairs)
      c->value[e.a + 32] = 0;
    }
  }
}

/* The controller's value 0..1 as the parameters read it. */
static float
target(const Cc* c, const StProcess* p)
{
  const uint32_t cc = (uint32_t)st_clampf(p->params[P_CC].value + 0.5f, 0, 127);
  if (st_choice(&p->params[P_BITS], 2) == BITS_14 && cc < 32) {
    return (float)(c->value[cc] << 7 | c->value[cc + 32]) / 16383.0f;
  }
  return (float)c->value[cc] / 127.0f;
}

static size_t
cc_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Cc);
}

static void
cc_init(void* state, const float* params, float rate)
{
  Cc* c = state;
  (void)rate;
  c->channel = (uint32_t)params[P_CHANNEL];
}

static void
cc_process(void* state, const StProcess* p)
{
  Cc*         c    = state;
  const float goal = target(c, p);
  const float coef = st_pole(p->params[P_SMOOTH].value, p->rate);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float lo = st_param_next(&p->params[P_MIN]);
    const float hi = st_param_next(&p->params[P_MAX]);
    c->out         = st_flush(c->out + (goal - c->out) * coef);
    p->out[0][i]   = lo + (hi - lo) * c->out;
  }
}

static const StPortSpec outputs[] = {
  {"out", "The controller's value scaled to min..max, smoothed"},
};

static const char* const bits[] = {"7", "14", NULL};

static const StParamSpec params[] = {
  {"cc", "", "Controller number (14 bits: the MSB, 0..31; its LSB is cc + 32)", 0, 127, 1, 0,
   ST_PARAM_INT, NULL},
  {"bits", "", "7: one controller; 14: the MSB and LSB pair", 0, 1, 0, 0, ST_PARAM_CHOICE,
   bits},
  {"channel", "", "MIDI channel 1..16, or 0 for all", 0, 16, 0, 0,
   ST_PARAM_INT | ST_PARAM_FIXED, NULL},
  {"smooth", "s", "Smoothing time constant (0: steps as the controller sends them)", 0, 1,
   0.01f, 0, 0, NULL},
  {"min", "", "Output at controller value 0", -1e4f, 1e4f, 0, 0.01f, 0, NULL},
  {"max", "", "Output at the controller's top value", -1e4f, 1e4f, 1, 0.01f, 0, NULL},
};

const StNodeType st_cc_type = {
  .name       = "cc",
  .family     = "I/O",
  .doc        = "MIDI controller input: any CC as a signal from min to max, smoothed against "
                "the steps of 7-bit values; with bits=14, a controller 0..31 and its LSB "
                "(cc + 32) give 16384 steps (a new MSB clears the LSB, as MIDI says). "
                "`link knob.out -> vcf.cutoff` puts a hardware knob on any input.",
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 6,
  .params     = params,
  .flags      = ST_NODE_EVENTS | ST_NODE_BOUNDED,
  .cost       = 1.5f,
  .state_size = cc_size,
  .init       = cc_init,
  .process    = cc_process,
  .event      = cc_event,
};
