/* SPDX-License-Identifier: ISC */
#include "flatten.h"

#include "library.h"
#include "voices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A node of a copy: flat slots are new, so every handle has generation 1. */
static StHandle
fresh(uint32_t index)
{
  return (StHandle){index, 1};
}

static const StSubpatch*
instance_of(const StNodeType* type)
{
  return type->flags & ST_NODE_SUBPATCH ? st_subpatch_of(type) : NULL;
}

/* --- Where things are --- */

/* Flat slots before body slot `j` of a copy of `def`: one per node, a nested
   instance's expansion for each instance. */
static uint32_t
body_offset(const StSubpatch* def, uint32_t j)
{
  uint32_t off = 0;
  for (uint32_t k = 0; k < j; ++k) {
    if (st_arena_live(&def->body->arena, k)) {
      const StSubpatch* inner = instance_of(def->body->slots[k].type);
      off += inner ? inner->flat_nodes : 1;
    }
  }
  return off;
}

static uint32_t
group_count(const StNodeSlot* slot)
{
  return (uint32_t)slot->params[ST_GROUP_COUNT].target;
}

/* Flat slots a top-level node adds beyond the model's own. */
static uint32_t
extra_nodes(const StNodeSlot* slot)
{
  const StSubpatch* def = st_subpatch_of(slot->type);
  if (!def) {
    return 0;
  }
  if (slot->type->flags & ST_NODE_GROUP) {
    return group_count(slot) * (def->flat_nodes + 1) + def->n_outlets;
  }
  return def->flat_nodes;
}

/* Outputs one copy of `def` has, nested copies included. */
static uint32_t
copy_outputs(const StSubpatch* def)
{
  uint32_t n = 0;
  for (uint32_t k = 0; k < def->body->span; ++k) {
    if (st_arena_live(&def->body->arena, k)) {
      const StSubpatch* inner = instance_of(def->body->slots[k].type);
      n += inner ? copy_outputs(inner) : def->body->slots[k].type->n_outputs;
    }
  }
  return n;
}

/* First flat slot of each top-level node's expansion (`base`, per slot), and
   how many slots the flat graph needs. */
static uint64_t
lay_out(const StGraph* model, uint32_t* base, uint32_t end)
{
  uint64_t next = model->arena.capacity;
  for (uint32_t i = 0; i < end && i < model->span; ++i) {
    if (st_arena_live(&model->arena, i)) {
      if (base) {
        base[i] = (uint32_t)next;
      }
      next += extra_nodes(&model->slots[i]);
    }
  }
  return next;
}

/* Voice v of a group laid out at `base`: its voice input, then its copy. */
static uint32_t
voice_base(const StSubpatch* def, uint32_t base, uint32_t v)
{
  return base + v * (def->flat_nodes + 1);
}

static uint32_t
mix_index(const StSubpatch* def, const StNodeSlot* group, uint32_t base, uint32_t outlet)
{
  return base + group_count(group) * (def->flat_nodes + 1) + outlet;
}

/* The flat output that output `port` of body node `j` (of a copy at `base`)
   is; node ST_NO_NODE when it is an outlet no node feeds. */
static StSource
resolve(const StSubpatch* def, uint32_t base, uint32_t j, uint32_t port)
{
  const StSubpatch* inner = instance_of(def->body->slots[j].type);
  const uint32_t    at    = base + body_offset(def, j);
  if (!inner) {
    return (StSource){at, port};
  }
  const StSource src = inner->outlet_src[port];
  return src.node == ST_NO_NODE ? src : resolve(inner, at, src.node, src.port);
}

static StSource
resolve_outlet(const StSubpatch* def, uint32_t base, uint32_t outlet)
{
  const StSource src = def->outlet_src[outlet];
  return src.node == ST_NO_NODE ? src : resolve(def, base, src.node, src.port);
}

/* Flat parameters that parameter `param` of body node `j` (of a copy at
   `base`) reaches: itself, or what a nested instance exposes under it. */
static uint32_t
param_targets(const StSubpatch* def, uint32_t base, uint32_t j, uint32_t param,
              StFlatTarget* out, uint32_t max, uint32_t n)
{
  const StSubpatch* inner = instance_of(def->body->slots[j].type);
  const uint32_t    at    = base + body_offset(def, j);
  if (!inner) {
    if (n < max) {
      out[n] = (StFlatTarget){fresh(at), param};
    }
    return n + 1;
  }
  const StExposed* e = &inner->exposed[param];
  return param_targets(inner, at, e->node, e->param, out, max, n);
}

/* --- Building --- */

typedef struct {
  StGraph*       flat;
  const StGraph* model;
  uint32_t*      base;  ///< Per top-level slot: first flat slot of its expansion
  uint32_t       group; ///< Allocator slot of the voice being laid out, or ST_NO_NODE
  uint32_t       voice;
} Builder;

static void
link_flat(StGraph* flat, StSource from, uint32_t dst, uint32_t input)
{
  st_graph_apply_connect(flat, st_arena_handle(&flat->arena, from.node), from.port,
                         st_arena_handle(&flat->arena, dst), input);
}

/* Feeds input `input` of body node `j` (a copy at `base`) from `from`,
   following a nested instance's inlet to every input it reaches. */
static void
deliver(Builder* b, const StSubpatch* def, uint32_t base, uint32_t j, uint32_t input,
        StSource from)
{
  const StSubpatch* inner = instance_of(def->body->slots[j].type);
  const uint32_t    at    = base + body_offset(def, j);
  if (!inner) {
    link_flat(b->flat, from, at, input);
    return;
  }
  for (uint32_t l = 0; l < inner->n_inlet_links; ++l) {
    const StInletLink* link = &inner->inlet_links[l];
    if (link->inlet == input) {
      deliver(b, inner, at, link->node, link->input, from);
    }
  }
}

static void
feed_inlet(Builder* b, const StSubpatch* def, uint32_t base, uint32_t inlet, StSource from)
{
  for (uint32_t l = 0; l < def->n_inlet_links; ++l) {
    if (def->inlet_links[l].inlet == inlet) {
      deliver(b, def, base, def->inlet_links[l].node, def->inlet_links[l].input, from);
    }
  }
}

static void
set_flat_param(Builder* b, StFlatTarget t, float value)
{
  StNodeSlot* slot = &b->flat->slots[t.node.index];
  st_param_init(&slot->params[t.param], value, slot->type->params[t.param].smooth,
                b->flat->rate);
}

/* Lays out one copy of `def` at `base`, its exposed parameters at `values`. */
static void
expand(Builder* b, const StSubpatch* def, uint32_t base, const char* prefix, const float* values)
{
  const StGraph* body = def->body;
  uint32_t       at   = base;
  for (uint32_t j = 0; j < body->span; ++j) {
    if (!st_arena_live(&body->arena, j)) {
      continue;
    }
    const StNodeSlot* s     = &body->slots[j];
    const StSubpatch* inner = instance_of(s->type);
    char              name[2 * ST_NAME_MAX + 8];
    snprintf(name, sizeof(name), "%s.%s", prefix, s->name);
    float v[ST_MAX_PARAMS];
    st_graph_targets(s, v);
    if (inner) {
      expand(b, inner, at, name, v);
      at += inner->flat_nodes;
    } else {
      StNodeSlot* f = st_graph_put(b->flat, fresh(at), s->type, name, v);
      f->group      = b->group;
      f->voice      = b->voice;
      at += 1;
    }
  }
  for (uint32_t j = 0; j < body->span; ++j) {
    if (!st_arena_live(&body->arena, j)) {
      continue;
    }
    for (uint32_t i = 0; i < body->slots[j].type->n_inputs; ++i) {
      const StSource src = body->slots[j].src[i];
      if (src.node == ST_NO_NODE) {
        continue;
      }
      const StSource from = resolve(def, base, src.node, src.port);
      if (from.node != ST_NO_NODE) {
        deliver(b, def, base, j, i, from);
      }
    }
  }
  for (uint32_t e = 0; e < def->n_exposed; ++e) { // After the nested copies: these win.
    StFlatTarget t[1];
    if (param_targets(def, base, def->exposed[e].node, def->exposed[e].param, t, 1, 0)) {
      set_flat_param(b, t[0], values[e]);
    }
  }
}

/* A voice group: its allocator in its own slot, per voice a voice input and a
   copy, then one mix per outlet. */
static void
expand_group(Builder* b, uint32_t i)
{
  const StNodeSlot* slot = &b->model->slots[i];
  const StSubpatch* def  = st_subpatch_of(slot->type);
  float             v[ST_MAX_PARAMS];
  st_graph_targets(slot, v);
  st_graph_put(b->flat, st_arena_handle(&b->model->arena, i), &st_voice_alloc_type, slot->name,
               v);
  const uint32_t base  = b->base[i];
  const uint32_t count = group_count(slot);
  const float    none[1] = {0.0f};
  for (uint32_t voice = 0; voice < count; ++voice) {
    const uint32_t at = voice_base(def, base, voice);
    char           prefix[ST_NAME_MAX + 16];
    snprintf(prefix, sizeof(prefix), "%s.%u", slot->name, voice + 1);
    char in_name[ST_NAME_MAX + 32];
    snprintf(in_name, sizeof(in_name), "%s.voice", prefix);
    b->group             = i;
    b->voice             = voice;
    StNodeSlot* in       = st_graph_put(b->flat, fresh(at), &st_voice_in_type, in_name, none);
    in->group            = i;
    in->voice            = voice;
    link_flat(b->flat, (StSource){i, 0}, at, 0);
    expand(b, def, at + 1, prefix, v + ST_GROUP_PARAMS);
    for (uint32_t k = 0; k < def->n_inlets; ++k) {
      const int fed = st_voice_inlet_index(def->inlets[k]);
      if (fed >= 0) {
        feed_inlet(b, def, at + 1, k, (StSource){at, (uint32_t)fed});
      }
    }
  }
  b->group = ST_NO_NODE;
  b->voice = 0;
  for (uint32_t o = 0; o < def->n_outlets; ++o) {
    const uint32_t at = mix_index(def, slot, base, o);
    char           name[2 * ST_NAME_MAX + 8];
    snprintf(name, sizeof(name), "%s.%s", slot->name, def->outlets[o]);
    StNodeSlot* mix = st_graph_put(b->flat, fresh(at), &st_voice_mix_type, name, none);
    mix->group      = i;
    mix->voice      = ST_NO_NODE;
    for (uint32_t voice = 0; voice < count; ++voice) {
      const StSource from = resolve_outlet(def, voice_base(def, base, voice) + 1, o);
      if (from.node != ST_NO_NODE) {
        link_flat(b->flat, from, at, voice);
      }
    }
  }
}

/* The flat output that output `port` of top-level node `s` is. */
static StSource
top_source(const Builder* b, uint32_t s, uint32_t port)
{
  const StNodeSlot* slot = &b->model->slots[s];
  const StSubpatch* def  = st_subpatch_of(slot->type);
  if (!def) {
    return (StSource){s, port};
  }
  if (slot->type->flags & ST_NODE_GROUP) {
    return (StSource){mix_index(def, slot, b->base[s], port), 0};
  }
  return resolve_outlet(def, b->base[s], port);
}

static void
top_deliver(Builder* b, uint32_t d, uint32_t input, StSource from)
{
  const StNodeSlot* slot = &b->model->slots[d];
  const StSubpatch* def  = st_subpatch_of(slot->type);
  if (!def) {
    link_flat(b->flat, from, d, input);
  } else if (slot->type->flags & ST_NODE_GROUP) {
    for (uint32_t voice = 0; voice < group_count(slot); ++voice) {
      feed_inlet(b, def, voice_base(def, b->base[d], voice) + 1, def->group_inlet[input], from);
    }
  } else {
    feed_inlet(b, def, b->base[d], input, from);
  }
}

static void
flatten_links(Builder* b)
{
  const StGraph* model = b->model;
  for (uint32_t d = 0; d < model->span; ++d) {
    if (!st_arena_live(&model->arena, d)) {
      continue;
    }
    for (uint32_t i = 0; i < model->slots[d].type->n_inputs; ++i) {
      const StSource src = model->slots[d].src[i];
      if (src.node == ST_NO_NODE) {
        continue;
      }
      const StSource from = top_source(b, src.node, src.port);
      if (from.node != ST_NO_NODE) {
        top_deliver(b, d, i, from);
      }
    }
  }
  for (uint32_t c = 0; c < 2; ++c) {
    if (model->taps[c].node != ST_NO_NODE) {
      const StSource from = top_source(b, model->taps[c].node, model->taps[c].port);
      if (from.node != ST_NO_NODE) {
        st_graph_apply_set_output(b->flat, c, st_arena_handle(&b->flat->arena, from.node),
                                  from.port);
      }
    }
  }
  for (uint32_t m = 0; m < model->n_maps; ++m) {
    StFlatTarget   t[ST_MAX_FLAT_MAPS];
    const uint32_t n = st_flatten_targets(model, model->maps[m].node, model->maps[m].param, t,
                                          ST_MAX_FLAT_MAPS);
    for (uint32_t k = 0; k < n && k < ST_MAX_FLAT_MAPS; ++k) {
      StMacroMap map = model->maps[m];
      map.node       = t[k].node;
      map.param      = t[k].param;
      st_graph_apply_map(b->flat, &map);
    }
  }
}

StGraph*
st_flatten(const StGraph* model, StStatus* status, char* error, size_t error_size)
{
  uint32_t* base     = calloc(model->arena.capacity, sizeof(uint32_t));
  uint32_t  outputs  = 0;
  for (uint32_t i = 0; base && i < model->span; ++i) {
    if (st_arena_live(&model->arena, i)) {
      const StNodeSlot* slot = &model->slots[i];
      const StSubpatch* def  = st_subpatch_of(slot->type);
      if (def && (slot->type->flags & ST_NODE_GROUP)) {
        outputs += group_count(slot) * (copy_outputs(def) + st_voice_in_type.n_outputs) +
                   def->n_outlets;
      } else if (def) {
        outputs += copy_outputs(def);
      }
    }
  }
  const uint64_t capacity = base ? lay_out(model, base, model->arena.capacity) : 0;
  if (capacity - model->arena.capacity + st_graph_count(model) > ST_FLAT_MAX_NODES) {
    free(base);
    *status = ST_ERR_FULL;
    snprintf(error, error_size,
             "the patch expands to %llu nodes with its sub-patches' copies and voices, over "
             "the %d a patch may run",
             (unsigned long long)(capacity - model->arena.capacity + st_graph_count(model)),
             ST_FLAT_MAX_NODES);
    return NULL;
  }
  StGraph* flat = base ? st_graph_new((uint32_t)capacity, model->plan.pool.count + outputs,
                                      model->rate)
                       : NULL;
  if (!flat) {
    free(base);
    *status = ST_ERR_NO_MEMORY;
    snprintf(error, error_size, "out of memory laying out the patch's sub-patches");
    return NULL;
  }
  Builder b = {flat, model, base, ST_NO_NODE, 0};
  for (uint32_t i = 0; i < model->span; ++i) {
    if (!st_arena_live(&model->arena, i)) {
      continue;
    }
    const StNodeSlot* slot = &model->slots[i];
    const StSubpatch* def  = st_subpatch_of(slot->type);
    float v[ST_MAX_PARAMS];
    st_graph_targets(slot, v);
    if (!def) {
      st_graph_put(flat, st_arena_handle(&model->arena, i), slot->type, slot->name, v);
    } else if (slot->type->flags & ST_NODE_GROUP) {
      expand_group(&b, i);
    } else {
      expand(&b, def, base[i], slot->name, v);
    }
  }
  // Free top-level slots keep the model's generations, so its stale handles stay stale.
  for (uint32_t i = 0; i < model->arena.capacity; ++i) {
    if (!st_arena_live(&flat->arena, i)) {
      flat->arena.generation[i] = model->arena.generation[i] & ~1u;
    }
  }
  st_arena_share_free(&flat->arena, &model->arena); // So that adds land on the same slots
  flatten_links(&b);
  memcpy(flat->name, model->name, sizeof(flat->name));
  free(base);
  *status = ST_OK;
  return flat;
}

uint32_t
st_flatten_targets(const StGraph* model, StHandle node, uint32_t param, StFlatTarget* out,
                   uint32_t max)
{
  const StNodeSlot* slot = st_graph_node(model, node);
  const StSubpatch* def  = slot ? st_subpatch_of(slot->type) : NULL;
  if (!slot) {
    return 0;
  }
  if (!def || ((slot->type->flags & ST_NODE_GROUP) && param < ST_GROUP_PARAMS)) {
    if (max) {
      out[0] = (StFlatTarget){node, param};
    }
    return 1;
  }
  const uint32_t base = (uint32_t)lay_out(model, NULL, node.index);
  if (!(slot->type->flags & ST_NODE_GROUP)) {
    const StExposed* e = &def->exposed[param];
    return param_targets(def, base, e->node, e->param, out, max, 0);
  }
  const StExposed* e = &def->exposed[param - ST_GROUP_PARAMS];
  uint32_t         n = 0;
  for (uint32_t voice = 0; voice < group_count(slot); ++voice) {
    n = param_targets(def, voice_base(def, base, voice) + 1, e->node, e->param, out, max, n);
  }
  return n;
}

StFlatTarget
st_flatten_source(const StGraph* model, StHandle node, uint32_t port)
{
  const StNodeSlot* slot = st_graph_node(model, node);
  const StSubpatch* def  = slot ? st_subpatch_of(slot->type) : NULL;
  if (!def) {
    return (StFlatTarget){slot ? node : ST_HANDLE_NONE, port};
  }
  const uint32_t base = (uint32_t)lay_out(model, NULL, node.index);
  if (slot->type->flags & ST_NODE_GROUP) {
    return (StFlatTarget){fresh(mix_index(def, slot, base, port)), 0};
  }
  const StSource src = resolve_outlet(def, base, port);
  return src.node == ST_NO_NODE ? (StFlatTarget){ST_HANDLE_NONE, 0}
                                 : (StFlatTarget){fresh(src.node), src.port};
}

/* Per slot, bit o set when its output o feeds some input (calloc'd, NULL
   when out of memory). */
static uint32_t*
read_outputs(const StGraph* graph)
{
  uint32_t* read = calloc(graph->span + 1, sizeof(uint32_t));
  for (uint32_t d = 0; read && d < graph->span; ++d) {
    if (st_arena_live(&graph->arena, d)) {
      for (uint32_t i = 0; i < graph->slots[d].type->n_inputs; ++i) {
        const StSource src = graph->slots[d].src[i];
        if (src.node != ST_NO_NODE) {
          read[src.node] |= 1u << src.port;
        }
      }
    }
  }
  return read;
}

void
st_flatten_bind(StGraph* running)
{
  uint32_t* read = read_outputs(running);
  for (uint32_t i = 0; i < running->span; ++i) {
    StNodeSlot* slot = &running->slots[i];
    if (!st_arena_live(&running->arena, i) || slot->group == ST_NO_NODE) {
      continue;
    }
    void* alloc = running->slots[slot->group].state;
    if (slot->voice == ST_NO_NODE) {
      (void)st_voice_bind_mix(slot->state, alloc); // Past the limit, no voice sleeps
      continue;
    }
    slot->asleep = st_voice_asleep(alloc, slot->voice);
    if (slot->type == &st_voice_in_type) {
      st_voice_bind_in(slot->state, alloc, slot->voice, read ? read[i] : UINT32_MAX);
    } else if (slot->type->quiet) {
      (void)st_voice_bind_quiet(alloc, slot->voice, slot->type, slot->state); // Or never sleeps
    } else if (st_voice_keeps_awake(slot->type)) {
      st_voice_keep_awake(alloc, slot->voice);
    }
  }
  free(read);
  running->dirty = true; // The tasks take the sleep flags when planned again
}
