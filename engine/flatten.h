/* SPDX-License-Identifier: ISC */
/* Flattening: the graph that runs a model with sub-patch instances and voice
   groups (library.h). The scheduler, the nodes and the guard know nothing of
   sub-patches; they run the flat graph:

   - every top-level node that is no instance keeps its slot and handle, so
     that the model's handles name it in the running graph too;
   - an instance's slot stays free; its copy's nodes take slots from the
     model's capacity up, one after the other in slot order (nested
     instances expanded in place), named "INSTANCE.NODE";
   - a voice group's slot holds its allocator; then, per voice, a voice
     input and a copy of the body; then one voice mix per outlet. Every node
     of voice v carries the group's slot and v (StNodeSlot.group, .voice);
   - links follow inlets and outlets through every level; an input fed by an
     unlinked outlet stays unlinked; macro maps and taps of instances become
     maps and taps of the nodes they reach.

   Control side only. */
#ifndef ST_FLATTEN_H
#define ST_FLATTEN_H

#include "graph.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

#define ST_FLAT_MAX_NODES 65536 ///< Nodes a patch may expand to, copies and voices included

/* One parameter of a flat graph's node. */
typedef struct {
  StHandle node;
  uint32_t param;
} StFlatTarget;

/* The flat model of `model`, with a buffer more than the model's pool for
   each output the copies add (so that voices can run as units); NULL with the
   reason in `error` when out of memory or when it would hold more than
   ST_FLAT_MAX_NODES nodes (ST_ERR_FULL). */
StGraph* st_flatten(const StGraph* model, StStatus* status, char* error, size_t error_size);

/* The flat parameters that parameter `param` of model node `node` sets:
   itself for a node that is no instance, else every copy's (a voice
   group's settings: its allocator's). Writes at most `max`; returns how
   many there are. */
uint32_t st_flatten_targets(const StGraph* model, StHandle node, uint32_t param,
                            StFlatTarget* out, uint32_t max);

/* The flat node and output that output `port` of model node `node` comes
   from; node ST_HANDLE_NONE for an outlet no node feeds. */
StFlatTarget st_flatten_source(const StGraph* model, StHandle node, uint32_t port);

/* Ties the voice nodes of a running graph made from a flat model to their
   allocators (voices.h): voice inputs, mixes, quiet hooks, sleep flags.
   The graph must be planned again before it runs (its tasks copy the flags). */
void st_flatten_bind(StGraph* running);

#endif
