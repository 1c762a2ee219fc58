/* SPDX-License-Identifier: ISC */
/* Sub-patches: patches defined once inside a patch, by name, and used in it
   as node types, as often as wanted, one inside another. An instance is one
   copy (`node fx echo time=0.3`); a voice group (`voices pad voice count=8`)
   is 1..32 copies fed by a voice allocator and mixed (voices.h). The syntax
   is in docs/patch-format.md, "Sub-patches".

   A patch's definitions are its library. The parser builds it, and nothing
   changes it afterwards: an edit of a definition makes a new patch text and
   parses it whole. Models (graph.h) share their library by counted
   reference, on the control side only: a running graph is flat (flatten.h)
   and never points into a library.

   Each definition is also two node types, which a model's slots point to:
   - `type` (flag ST_NODE_SUBPATCH): inputs are the inlets, outputs the
     outlets, parameters the exposed ones, their defaults the values the
     definition's body gives the parameters they expose;
   - `group` (flag ST_NODE_GROUP): inputs are the inlets the allocator does
     not feed (st_voice_inlets), outputs the outlets (each the sum over the
     voices), parameters the group settings (st_voice_group_params) followed
     by the exposed ones. */
#ifndef ST_LIBRARY_H
#define ST_LIBRARY_H

#include "graph.h"
#include "node.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_SUBPATCH_MAX 64          ///< Definitions a patch may hold
#define ST_SUBPATCH_MAX_NODES 256   ///< Nodes one definition's body may hold
#define ST_SUBPATCH_MAX_INLETS 16   ///< Inlets of one definition
#define ST_SUBPATCH_MAX_OUTLETS 16  ///< Outlets of one definition
#define ST_SUBPATCH_MAX_PARAMS 32   ///< Parameters one definition exposes
#define ST_SUBPATCH_MAX_INLET_LINKS 128 ///< Links from inlets to body inputs
#define ST_SUBPATCH_MAX_FLAT 4096   ///< Nodes one copy may expand to, nested ones included

/* A link from an inlet to an input of a body node. */
typedef struct {
  uint32_t inlet;  ///< Inlet index
  uint32_t node;   ///< Body slot index
  uint32_t input;  ///< Input port of that node
} StInletLink;

/* A parameter of a body node that instances set, under their own name. */
typedef struct {
  char     name[ST_NAME_MAX];
  uint32_t node;   ///< Body slot index (the node may itself be an instance)
  uint32_t param;  ///< Parameter index in that node's type
} StExposed;

typedef struct StSubpatch {
  char        name[ST_NAME_MAX];
  StGraph*    body;          ///< A model: the nodes (instances of earlier definitions
                             ///< too), their links, places; no implicit in/out/midi
  uint32_t    n_inlets;
  char        inlets[ST_SUBPATCH_MAX_INLETS][ST_NAME_MAX];
  uint32_t    n_inlet_links; ///< In the order written
  StInletLink inlet_links[ST_SUBPATCH_MAX_INLET_LINKS];
  uint32_t    n_outlets;
  char        outlets[ST_SUBPATCH_MAX_OUTLETS][ST_NAME_MAX];
  StSource    outlet_src[ST_SUBPATCH_MAX_OUTLETS]; ///< Body node and output feeding each
                                                   ///< outlet; node ST_NO_NODE: unlinked
  uint32_t    n_exposed;
  StExposed   exposed[ST_SUBPATCH_MAX_PARAMS];
  uint32_t    flat_nodes;    ///< Nodes one copy expands to, nested instances expanded

  StNodeType  type;          ///< As one node (see above)
  StNodeType  group;         ///< As a voice group (see above)
  uint32_t    group_inlet[ST_SUBPATCH_MAX_INLETS]; ///< Group input i is inlet group_inlet[i]
  StPortSpec  type_inputs[ST_SUBPATCH_MAX_INLETS];
  StPortSpec  type_outputs[ST_SUBPATCH_MAX_OUTLETS];
  StPortSpec  group_inputs[ST_SUBPATCH_MAX_INLETS];
  StParamSpec type_params[ST_SUBPATCH_MAX_PARAMS];
  StParamSpec group_params[ST_SUBPATCH_MAX_PARAMS + 16];
} StSubpatch;

typedef struct StLibrary {
  uint32_t    refs;                 ///< Models sharing it
  uint32_t    count;                ///< Definitions, in the order written
  StSubpatch* defs[ST_SUBPATCH_MAX];
} StLibrary;

/* A new empty library with one reference; NULL when out of memory. */
StLibrary* st_library_new(void);

/* Takes one more reference (`library` may be NULL) and returns it. */
StLibrary* st_library_ref(StLibrary* library);

/* Drops a reference (NULL is fine); the last one frees every definition. */
void st_library_unref(StLibrary* library);

/* Appends a definition, which the library then owns; false when it holds
   ST_SUBPATCH_MAX already. */
bool st_library_add(StLibrary* library, StSubpatch* def);

/* The definition of this name, or NULL. */
const StSubpatch* st_library_find(const StLibrary* library, const char* name);

/* The name of definition `index` of a library (given as `const void*`, for
   st_suggest()). */
const char* st_library_name_at(const void* library, size_t index);

/* The definition a node type was made from (either of its two types), or
   NULL for a built-in type. */
const StSubpatch* st_subpatch_of(const StNodeType* type);

/* A new empty definition: no inlets, outlets or exposed parameters, an empty
   body of ST_SUBPATCH_MAX_NODES nodes planned against `pool_buffers` at
   `rate`. NULL when out of memory. */
StSubpatch* st_subpatch_new(const char* name, uint32_t pool_buffers, float rate);

/* Frees a definition that no library owns (NULL is fine). */
void st_subpatch_free(StSubpatch* def);

/* Fills `type` and `group` from the finished definition (inlets, outlets,
   exposed parameters and the body's values for them). */
void st_subpatch_make_types(StSubpatch* def);

/* True when the model has a node whose type is a sub-patch or a voice group. */
bool st_graph_has_instances(const StGraph* model);

#endif
