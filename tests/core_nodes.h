/* SPDX-License-Identifier: ISC */
/* Deterministic node types for the engine core tests. Each one is small, but
   its output depends on its state and its inputs so that a node processed
   twice, out of order, or with a wrong buffer shows up in the output. */
#ifndef CORE_NODES_H
#define CORE_NODES_H

#include "graph.h"
#include "node.h"

/* Source: no inputs, output "out". Depends on its "seed" parameter and a
   running sample counter. Params: seed (0..1000), level (0..2, smoothed). */
extern const StNodeType ct_src;

/* Combiner: inputs "a", "b"; outputs "sum" = a*0.7 + b*0.3 + sin(a)*0.01 and
   "leak", a one-pole filter of a*b (state). No params. */
extern const StNodeType ct_mix;

/* Gain: input "in", output "out" = in * gain, gain smoothed per sample.
   Also carries parameters of every kind for validation tests:
   gain (-4..4, def 1, 2 ms), size (FIXED 1..64, def 8),
   mode (CHOICE 0..2: "a" "b" "c"), count (INT 0..8). */
extern const StNodeType ct_gain;

/* Constant: output "out" = value + step per sample. value (-1e5..1e5, def 0,
   smoothed 1 ms), step (-1e5..1e5, def 0, not smoothed). */
extern const StNodeType ct_const;

/* Output: ST_NODE_SINK, inputs "left" and "right", no process. */
extern const StNodeType ct_sink;

/* No-op: one input "in", no output, no process. */
extern const StNodeType ct_nop;

enum { CT_GAIN_GAIN, CT_GAIN_SIZE, CT_GAIN_MODE, CT_GAIN_COUNT };
enum { CT_CONST_VALUE, CT_CONST_STEP };
enum { CT_SRC_SEED, CT_SRC_LEVEL };

/* A small deterministic generator (xorshift32); `state` must not be 0. */
uint32_t ct_rand(uint32_t* state);

/* Fills the empty model `graph` with a random DAG of about `nodes` nodes of the
   types above, named n0, n1...: random parameters, links from random outputs
   (many to recent nodes for depth, others anywhere, some added backwards in
   index order), several sinks, taps on some seeds, and a few nodes removed
   and re-added so that slot order differs from the links' order. Links that
   would close a cycle are refused and skipped; returns ST_OK, or the first
   other failure. */
StStatus ct_random_dag(StGraph* graph, uint32_t seed, uint32_t nodes);

#endif
