/* SPDX-License-Identifier: ISC */
/* Drives one node through its type table, as the engine would: state from
   state_size and init, smoothed parameters, sub-blocks of 1..ST_BLOCK frames,
   each through the engine's guard (guard.h). */
#ifndef NODE_HARNESS_H
#define NODE_HARNESS_H

#include "node.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
  const StNodeType* type;
  void*             state;
  float             rate;
  StParam           params[ST_MAX_PARAMS];
  float             created[ST_MAX_PARAMS]; // parameter values at creation
  uint32_t          resets;   // sub-blocks after which the guard reset the node
  StHost            host;     // macros as given; in[] follows host_in
  const float*      host_in[2];  // whole host input signals, NULL for silence
  float             zeros[ST_BLOCK];
  float             scratch[ST_MAX_OUTPUTS][ST_BLOCK];
} NodeRig;

/* Creates a node; `values` holds one value per parameter, or NULL for the
   defaults. */
NodeRig* rig_new(const StNodeType* type, float rate, const float* values);

/* Frees the node. */
void rig_free(NodeRig* rig);

/* Sets a parameter's target by name (smoothed as the engine would). */
void rig_set(NodeRig* rig, const char* name, float value);

/* Jumps a parameter to a value at once, as at creation. */
void rig_snap(NodeRig* rig, const char* name, float value);

/* Sends one MIDI message. */
void rig_event(NodeRig* rig, const uint8_t* msg, uint32_t size);

/* Chooses the length of the next sub-block. */
typedef uint32_t (*RigSplit)(void* ctx);

/* A RigSplit of random sizes 1..ST_BLOCK: `ctx` is a uint32_t xorshift
   state (never 0). */
uint32_t rig_random_split(void* ctx);

/* Runs `n` frames in sub-blocks chosen by `split` (NULL: ST_BLOCK). `in` has
   one signal per input port, NULL for unlinked (or in itself NULL); `out`
   has one buffer per output port, NULL to discard (or out itself NULL). */
void rig_run(NodeRig* rig, const float* const* in, float* const* out, size_t n,
             RigSplit split, void* ctx);

/* Runs a node with one input signal on port 0 into one output buffer from
   port `port`. */
void rig_run1(NodeRig* rig, const float* in, float* out, uint32_t port, size_t n);

/* Allocates n floats, zeroed. */
float* rig_buffer(size_t n);

#endif
