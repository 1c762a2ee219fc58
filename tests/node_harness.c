/* SPDX-License-Identifier: ISC */
#include "node_harness.h"

#include "guard.h"
#include "node_measure.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

NodeRig*
rig_new(const StNodeType* type, float rate, const float* values)
{
  NodeRig* rig = calloc(1, sizeof(NodeRig));
  float    v[ST_MAX_PARAMS];
  assert(rig && type->n_params <= ST_MAX_PARAMS);
  for (uint32_t i = 0; i < type->n_params; ++i) {
    v[i] = values ? values[i] : type->params[i].def;
    st_param_init(&rig->params[i], v[i], type->params[i].smooth, rate);
    rig->created[i] = v[i];
  }
  rig->type  = type;
  rig->rate  = rate;
  rig->state = calloc(1, type->state_size(v, rate));
  assert(rig->state);
  type->init(rig->state, v, rate);
  return rig;
}

void
rig_free(NodeRig* rig)
{
  free(rig->state);
  free(rig);
}

void
rig_set(NodeRig* rig, const char* name, float value)
{
  const int i = st_node_param_index(rig->type, name);
  assert(i >= 0);
  st_param_set(&rig->params[i], value, false);
}

void
rig_snap(NodeRig* rig, const char* name, float value)
{
  const int i = st_node_param_index(rig->type, name);
  assert(i >= 0);
  st_param_set(&rig->params[i], value, true);
}

void
rig_event(NodeRig* rig, const uint8_t* msg, uint32_t size)
{
  assert(rig->type->event);
  rig->type->event(rig->state, msg, size);
}

static void
run_block(NodeRig* rig, const float* const* in, float* const* out, size_t at, uint32_t frames)
{
  const float* ins[ST_MAX_INPUTS];
  float*       outs[ST_MAX_OUTPUTS];
  uint32_t     linked = 0;
  for (uint32_t i = 0; i < rig->type->n_inputs; ++i) {
    const bool on = in && in[i];
    ins[i]        = on ? in[i] + at : rig->zeros;
    linked |= on ? 1u << i : 0u;
  }
  for (uint32_t o = 0; o < rig->type->n_outputs; ++o) {
    outs[o] = (out && out[o]) ? out[o] + at : rig->scratch[o];
  }
  for (int c = 0; c < 2; ++c) {
    rig->host.in[c] = rig->host_in[c] ? rig->host_in[c] + at : rig->zeros;
  }
  const StProcess p = {frames, rig->rate, ins, linked, outs, rig->params, &rig->host};
  rig->resets += st_guard_process(rig->type, rig->state, rig->created, &p) == ST_GUARD_RESET;
}

void
rig_run(NodeRig* rig, const float* const* in, float* const* out, size_t n, RigSplit split,
        void* ctx)
{
  for (size_t at = 0; at < n;) {
    uint32_t frames = split ? split(ctx) : ST_BLOCK;
    frames          = frames < 1 ? 1 : (frames > ST_BLOCK ? ST_BLOCK : frames);
    frames          = n - at < frames ? (uint32_t)(n - at) : frames;
    run_block(rig, in, out, at, frames);
    at += frames;
  }
}

void
rig_run1(NodeRig* rig, const float* in, float* out, uint32_t port, size_t n)
{
  const float* ins[ST_MAX_INPUTS]   = {in};
  float*       outs[ST_MAX_OUTPUTS] = {NULL};
  outs[port]                        = out;
  rig_run(rig, ins, outs, n, NULL, NULL);
}

float*
rig_buffer(size_t n)
{
  float* b = calloc(n, sizeof(float));
  assert(b);
  return b;
}

uint32_t
rig_random_split(void* ctx)
{
  uint32_t* s = ctx;
  nm_xorshift(s);
  return 1 + *s % ST_BLOCK;
}
