/* SPDX-License-Identifier: ISC */
/* The two node types a sub-patch definition is seen as (library.h): one
   copy, and a voice group of copies. */
#include "library.h"

#include "voices.h"

#include <string.h>

#define GROUP_COST_VOICES 8.0f  ///< Voices a group's cost estimate assumes

_Static_assert(ST_GROUP_PARAMS <= 16,
               "group_params holds the group settings, then the exposed ones");

/* The body's estimated cost per frame: the sum over its nodes. */
static float
body_cost(const StGraph* body)
{
  float cost = 0.0f;
  for (uint32_t i = 0; i < body->span; ++i) {
    if (st_arena_live(&body->arena, i)) {
      cost += body->slots[i].type->cost;
    }
  }
  return cost;
}

/* The spec of exposed parameter `e`: its target's, under the exposed name,
   with the value the body gives it as the default. */
static StParamSpec
exposed_spec(const StSubpatch* def, const StExposed* e)
{
  const StNodeSlot* slot = &def->body->slots[e->node];
  StParamSpec       spec = slot->type->params[e->param];
  spec.name              = e->name;
  spec.def               = slot->params[e->param].target;
  return spec;
}

/* The type of one copy: inlets in, outlets out, exposed parameters. */
static void
make_type(StSubpatch* def, float cost)
{
  for (uint32_t i = 0; i < def->n_inlets; ++i) {
    def->type_inputs[i] = (StPortSpec){def->inlets[i], "Inlet"};
  }
  for (uint32_t o = 0; o < def->n_outlets; ++o) {
    def->type_outputs[o] = (StPortSpec){def->outlets[o], "Outlet"};
  }
  for (uint32_t e = 0; e < def->n_exposed; ++e) {
    def->type_params[e] = exposed_spec(def, &def->exposed[e]);
  }
  def->type = (StNodeType){
    .name      = def->name,
    .family    = "Sub-patches",
    .doc       = "Sub-patch defined in this patch.",
    .n_inputs  = def->n_inlets,
    .inputs    = def->type_inputs,
    .n_outputs = def->n_outlets,
    .outputs   = def->type_outputs,
    .n_params  = def->n_exposed,
    .params    = def->type_params,
    .flags     = ST_NODE_SUBPATCH,
    .cost      = cost,
  };
}

/* The type of a voice group: the inlets the allocator does not feed, the
   outlets, the group settings followed by the exposed parameters. */
static void
make_group(StSubpatch* def, float cost)
{
  uint32_t n_inputs = 0;
  for (uint32_t i = 0; i < def->n_inlets; ++i) {
    if (st_voice_inlet_index(def->inlets[i]) < 0) {
      def->group_inlet[n_inputs]  = i;
      def->group_inputs[n_inputs] = def->type_inputs[i];
      ++n_inputs;
    }
  }
  memcpy(def->group_params, st_voice_group_params, sizeof(st_voice_group_params));
  memcpy(def->group_params + ST_GROUP_PARAMS, def->type_params,
         def->n_exposed * sizeof(StParamSpec));
  def->group = (StNodeType){
    .name      = def->name,
    .family    = "Sub-patches",
    .doc       = "Sub-patch played as a voice group.",
    .n_inputs  = n_inputs,
    .inputs    = def->group_inputs,
    .n_outputs = def->n_outlets,
    .outputs   = def->type_outputs,
    .n_params  = ST_GROUP_PARAMS + def->n_exposed,
    .params    = def->group_params,
    .flags     = ST_NODE_GROUP | ST_NODE_EVENTS,
    .cost      = cost * GROUP_COST_VOICES,
  };
}

void
st_subpatch_make_types(StSubpatch* def)
{
  const float cost = body_cost(def->body);
  make_type(def, cost);
  make_group(def, cost);
}
