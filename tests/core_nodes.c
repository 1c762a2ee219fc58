/* SPDX-License-Identifier: ISC */
#include "core_nodes.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* --- Source --- */

typedef struct {
  uint32_t counter; ///< Samples produced so far
  uint32_t seed;    ///< Seed at creation
} SrcState;

static size_t
src_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(SrcState);
}

static void
src_init(void* state, const float* params, float rate)
{
  (void)rate;
  SrcState* s = state;
  s->seed     = (uint32_t)params[CT_SRC_SEED];
}

static void
src_process(void* state, const StProcess* p)
{
  SrcState*   s     = state;
  const float speed = 0.01f * (float)(s->seed % 97u + 1u);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const uint32_t n     = s->counter++;
    const uint32_t h     = (n + s->seed * 7919u) * 2654435761u;
    const float    noise = (float)(h >> 16) / 65536.0f - 0.5f;
    const float    level = st_param_next(&p->params[CT_SRC_LEVEL]);
    p->out[0][i]         = level * (0.5f * sinf((float)(n % 100000u) * speed) + 0.25f * noise);
  }
}

static const StPortSpec src_outputs[] = {{"out", "signal"}};

static const StParamSpec src_params[] = {
  {"seed", "", "pattern", 0.0f, 1000.0f, 0.0f, 0.0f, 0u, NULL},
  {"level", "", "level", 0.0f, 2.0f, 1.0f, 0.002f, 0u, NULL},
};

const StNodeType ct_src = {
  .name       = "tsrc",
  .family     = "Test",
  .doc        = "Seeded deterministic source.",
  .n_outputs  = 1,
  .outputs    = src_outputs,
  .n_params   = 2,
  .params     = src_params,
  .cost       = 20.0f,
  .state_size = src_size,
  .init       = src_init,
  .process    = src_process,
};

/* --- Combiner --- */

typedef struct {
  float leak; ///< One-pole memory
} MixState;

static size_t
mix_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(MixState);
}

static void
mix_process(void* state, const StProcess* p)
{
  MixState* s = state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float a = p->in[0][i];
    const float b = p->in[1][i];
    p->out[0][i]  = a * 0.7f + b * 0.3f + sinf(a) * 0.01f;
    s->leak       = s->leak * 0.9f + a * b * 0.1f;
    p->out[1][i]  = s->leak;
  }
}

static const StPortSpec mix_inputs[]  = {{"a", "first"}, {"b", "second"}};
static const StPortSpec mix_outputs[] = {{"sum", "weighted sum"}, {"leak", "filtered product"}};

const StNodeType ct_mix = {
  .name       = "tmix",
  .family     = "Test",
  .doc        = "Two-input combiner.",
  .n_inputs   = 2,
  .inputs     = mix_inputs,
  .n_outputs  = 2,
  .outputs    = mix_outputs,
  .cost       = 30.0f,
  .state_size = mix_size,
  .process    = mix_process,
};

/* --- Gain --- */

static void
gain_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = p->in[0][i] * st_param_next(&p->params[CT_GAIN_GAIN]);
  }
}

static const char* const gain_modes[] = {"a", "b", "c", NULL};

static const StPortSpec gain_inputs[]  = {{"in", "signal"}};
static const StPortSpec gain_outputs[] = {{"out", "signal times gain"}};

static const StParamSpec gain_params[] = {
  {"gain", "", "factor", -4.0f, 4.0f, 1.0f, 0.002f, 0u, NULL},
  {"size", "", "fixed size", 1.0f, 64.0f, 8.0f, 0.0f, ST_PARAM_FIXED | ST_PARAM_INT, NULL},
  {"mode", "", "a choice", 0.0f, 2.0f, 0.0f, 0.0f, ST_PARAM_CHOICE, gain_modes},
  {"count", "", "a count", 0.0f, 8.0f, 1.0f, 0.0f, ST_PARAM_INT, NULL},
};

const StNodeType ct_gain = {
  .name      = "tgain",
  .family    = "Test",
  .doc       = "Smoothed gain.",
  .n_inputs  = 1,
  .inputs    = gain_inputs,
  .n_outputs = 1,
  .outputs   = gain_outputs,
  .n_params  = 4,
  .params    = gain_params,
  .cost      = 10.0f,
  .process   = gain_process,
};

/* --- Constant --- */

static void
const_process(void* state, const StProcess* p)
{
  (void)state;
  const float step = st_param_next(&p->params[CT_CONST_STEP]);
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = st_param_next(&p->params[CT_CONST_VALUE]) + step;
  }
}

static const StPortSpec const_outputs[] = {{"out", "the value"}};

static const StParamSpec const_params[] = {
  {"value", "", "smoothed value", -1e5f, 1e5f, 0.0f, 0.001f, 0u, NULL},
  {"step", "", "unsmoothed value", -1e5f, 1e5f, 0.0f, 0.0f, 0u, NULL},
};

const StNodeType ct_const = {
  .name      = "tconst",
  .family    = "Test",
  .doc       = "Constant.",
  .n_outputs = 1,
  .outputs   = const_outputs,
  .n_params  = 2,
  .params    = const_params,
  .cost      = 5.0f,
  .process   = const_process,
};

/* --- Sink and no-op --- */

static const StPortSpec sink_inputs[] = {{"left", "to the left output"},
                                         {"right", "to the right output"}};

const StNodeType ct_sink = {
  .name     = "tout",
  .family   = "Test",
  .doc      = "Host output.",
  .n_inputs = 2,
  .inputs   = sink_inputs,
  .flags    = ST_NODE_SINK,
};

static const StPortSpec nop_inputs[] = {{"in", "ignored"}};

const StNodeType ct_nop = {
  .name     = "tnop",
  .family   = "Test",
  .doc      = "Does nothing.",
  .n_inputs = 1,
  .inputs   = nop_inputs,
  .cost     = 1.0f,
};

/* --- Random graphs --- */

uint32_t
ct_rand(uint32_t* state)
{
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

static float
rand_unit(uint32_t* rng)
{
  return (float)(ct_rand(rng) >> 8) / 16777216.0f;
}

static const StNodeType*
random_type(uint32_t* rng)
{
  const uint32_t r = ct_rand(rng) % 100u;
  return r < 25 ? &ct_src : r < 50 ? &ct_gain : r < 80 ? &ct_mix : r < 92 ? &ct_sink : &ct_nop;
}

static StStatus
add_random_node(StGraph* graph, uint32_t* rng, uint32_t id, const StNodeType* type)
{
  char  name[ST_NAME_MAX];
  float params[ST_MAX_PARAMS];
  snprintf(name, sizeof(name), "n%u", id);
  for (uint32_t p = 0; p < type->n_params; ++p) {
    params[p] = type->params[p].def;
  }
  if (type == &ct_src) {
    params[CT_SRC_SEED]  = (float)(ct_rand(rng) % 1001u);
    params[CT_SRC_LEVEL] = 0.25f + rand_unit(rng);
  } else if (type == &ct_gain) {
    params[CT_GAIN_GAIN] = 4.0f * rand_unit(rng) - 2.0f;
  }
  return st_graph_add(graph, type, name, params, NULL);
}

/* A random live node with at least one output, preferring recent slots. */
static uint32_t
random_source(const StGraph* graph, uint32_t* rng, uint32_t newest)
{
  const uint32_t cap = graph->arena.capacity;
  for (int tries = 0; tries < 64; ++tries) {
    const uint32_t span = (ct_rand(rng) & 1u) ? 8u : cap;
    const uint32_t back = ct_rand(rng) % (span < newest + 1 ? span : newest + 1);
    const uint32_t n    = newest - back;
    if (st_arena_live(&graph->arena, n) && graph->slots[n].type->n_outputs) {
      return n;
    }
  }
  return ST_NO_NODE;
}

static StStatus
link_inputs(StGraph* graph, uint32_t* rng, uint32_t dst, uint32_t newest, uint32_t percent)
{
  const StNodeType* type = graph->slots[dst].type;
  for (uint32_t i = 0; i < type->n_inputs; ++i) {
    if (graph->slots[dst].src[i].node != ST_NO_NODE || ct_rand(rng) % 100u >= percent) {
      continue;
    }
    const uint32_t s = random_source(graph, rng, newest);
    if (s == ST_NO_NODE) {
      continue;
    }
    const uint32_t port = ct_rand(rng) % graph->slots[s].type->n_outputs;
    const StStatus st   = st_graph_connect(graph, st_arena_handle(&graph->arena, s), port,
                                         st_arena_handle(&graph->arena, dst), i);
    if (st && st != ST_ERR_CYCLE) {
      return st;
    }
  }
  return ST_OK;
}

StStatus
ct_random_dag(StGraph* graph, uint32_t seed, uint32_t nodes)
{
  uint32_t rng = seed * 2654435761u + 0x9e3779b9u;
  rng          = rng ? rng : 1u;
  uint32_t id  = 0;
  StStatus st  = ST_OK;
  // Forward links, from earlier slots (a fresh arena fills slots in order).
  for (uint32_t k = 0; k < nodes && !st; ++k) {
    const StNodeType* type = k == 0 ? &ct_src : random_type(&rng);
    if ((st = add_random_node(graph, &rng, id++, type))) {
      return st;
    }
    st = link_inputs(graph, &rng, k, k, 85);
  }
  // Remove a few and add new nodes into the freed slots, then link anything
  // to anything: cycles are refused, the rest makes slot order unrelated to
  // the links' order.
  for (uint32_t k = 0; k < nodes / 10 && !st; ++k) {
    const uint32_t n = ct_rand(&rng) % nodes;
    if (st_arena_live(&graph->arena, n)) {
      st = st_graph_remove(graph, st_arena_handle(&graph->arena, n));
    }
  }
  for (uint32_t k = 0; k < nodes / 10 && !st; ++k) {
    st = add_random_node(graph, &rng, id++, random_type(&rng));
  }
  for (uint32_t n = 0; n < nodes && !st; ++n) {
    if (st_arena_live(&graph->arena, n)) {
      st = link_inputs(graph, &rng, n, nodes - 1, 50);
    }
  }
  for (uint32_t c = 0; c < 2 && !st; ++c) {
    const uint32_t s = random_source(graph, &rng, nodes - 1);
    if (s != ST_NO_NODE && ct_rand(&rng) % 2u) {
      st = st_graph_set_output(graph, c, st_arena_handle(&graph->arena, s),
                               ct_rand(&rng) % graph->slots[s].type->n_outputs);
    }
  }
  return st;
}
