/* SPDX-License-Identifier: ISC */
/* Gate delay: a gate or trigger signal repeated later, by a time or a note
   division at the host's tempo. Only the edges are remembered (up to
   EDGES in flight), so a long delay costs no memory per sample. */
#include "division.h"
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

#define EDGES 64  // edges in flight; beyond, the oldest lands early

enum { P_TIME, P_SYNC, P_DIVISION };

typedef struct {
  uint64_t due[EDGES];    ///< Frame at which each edge comes out
  bool     level[EDGES];  ///< The level it sets
  uint32_t head;          ///< Oldest edge in flight
  uint32_t count;         ///< Edges in flight
  uint64_t now;           ///< Frames run
  bool     in;            ///< Input level at the last frame
  bool     out;           ///< Output level
} GateDelay;

static size_t
gatedelay_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(GateDelay);
}

/* The delay in frames for this block. */
static uint64_t
delay_frames(const StProcess* p)
{
  double seconds = st_clampf(p->params[P_TIME].value, 0.0f, 10.0f);
  if (st_choice(&p->params[P_SYNC], 2) == ST_SYNC_ON) {
    const StTransport* t   = &p->host->transport;
    const uint32_t     div = (uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT);
    seconds                = st_division_beats(div, t->beat_unit) * 60.0 / st_transport_bpm(t);
  }
  return (uint64_t)llround(seconds * p->rate);
}

static void
push(GateDelay* g, uint64_t due, bool level)
{
  if (g->count == EDGES) {  // Full: the oldest comes out now.
    g->out  = g->level[g->head];
    g->head = (g->head + 1) % EDGES;
    --g->count;
  }
  const uint32_t at = (g->head + g->count) % EDGES;
  g->due[at]        = due;
  g->level[at]      = level;
  ++g->count;
}

static void
gatedelay_process(void* state, const StProcess* p)
{
  GateDelay*     g     = state;
  const uint64_t delay = delay_frames(p);
  for (uint32_t i = 0; i < p->frames; ++i, ++g->now) {
    const bool in = p->in[0][i] > 0.0f;
    if (in != g->in) {
      push(g, g->now + delay, in);
      g->in = in;
    }
    while (g->count && g->due[g->head] <= g->now) {
      g->out  = g->level[g->head];
      g->head = (g->head + 1) % EDGES;
      --g->count;
    }
    p->out[0][i] = g->out ? 1.0f : 0.0f;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Gate or trigger: high above zero"},
};

static const StPortSpec outputs[] = {
  {"out", "The input's gate (1 or 0), later by the delay"},
};

static const StParamSpec params[] = {
  {"time", "s", "Delay (a change applies to edges from then on)", 0, 10, 0.25f, 0, 0, NULL},
  {"sync", "", "on: the delay is a note division at the host's tempo (time unused)", 0, 1, 0, 0,
   ST_PARAM_CHOICE, st_sync_names},
  {"division", "", "Delay as a note division when synced", 0, ST_DIV_COUNT - 1, ST_DIV_1_8, 0,
   ST_PARAM_CHOICE, st_division_names},
};

const StNodeType st_gatedelay_type = {
  .name       = "gatedelay",
  .family     = "Sequencing",
  .doc        = "Gate delay: the input's gate, high above zero, repeated as 1 or 0 a time or "
                "a note division later, to the frame. It remembers the last 64 edges in "
                "flight, not the samples, so any delay costs the same.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .flags      = ST_NODE_BOUNDED | ST_NODE_HOLDS,
  .cost       = 1.5f,
  .state_size = gatedelay_size,
  .init       = st_zeroed_init,
  .process    = gatedelay_process,
};
