/* SPDX-License-Identifier: ISC */
/* The patch graph as Graphviz DOT: one box per node (name, type, and the
   parameters that differ from their defaults), one edge per link labelled
   "output->input", the host's input and MIDI as sources and its output as
   the sink (styled apart), macro maps as dashed edges from their macro and
   output taps as edges to the host output. `dot -Tsvg` draws it. */
#ifndef SR_DOT_H
#define SR_DOT_H

#include "graph.h"

#include <stdbool.h>
#include <stdio.h>

/* Writes the graph named `title`; false on a write error. */
bool sr_dot_write(FILE* out, const StGraph* graph, const char* title);

#endif
