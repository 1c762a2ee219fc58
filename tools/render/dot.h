/* SPDX-License-Identifier: ISC */
/* The patch graph as Graphviz DOT: one box per node (name, type, and the
   parameters that differ from their defaults), one edge per link labelled
   "output->input", the host's input and MIDI as sources and its output as
   the sink (styled apart), macro maps as dashed edges from their macro and
   output taps as edges to the host output. `dot -Tsvg` draws it.

   A sub-patch instance or voice group is one box like any node (a group's
   says how many voices and its mode), or, expanded, a cluster holding its
   definition's body with its inlets and outlets as nodes the links pass
   through (nested instances as nested clusters; a group drawn once, with a
   voice allocator node feeding the inlets it feeds). Inside a cluster, ids
   are paths: "pad/osc", "pad:in:gate", "pad:out:out". */
#ifndef SR_DOT_H
#define SR_DOT_H

#include "graph.h"

#include <stdbool.h>
#include <stdio.h>

/* Writes the graph named `title`, sub-patches as clusters when `expanded`;
   false on a write error. */
bool sr_dot_write(FILE* out, const StGraph* graph, const char* title, bool expanded);

#endif
