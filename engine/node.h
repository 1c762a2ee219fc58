/* SPDX-License-Identifier: ISC */
/* The node type table: everything the engine, the patch format and the
   documentation know about a kind of module. Adding one takes a file under
   nodes/ with its StNodeType, its declaration in nodes/types.h, a line in
   nodes/registry.c and in nodes/meson.build, and a regenerated docs/nodes.md
   (docs/nodes.md, "Adding a node type"). */
#ifndef ST_NODE_H
#define ST_NODE_H

#include "param.h"
#include "st_config.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_MAX_INPUTS 32   ///< Most input ports a node type may have (a voice mix: one per voice)
#define ST_MAX_OUTPUTS 32  ///< Most output ports a node type may have
#define ST_MAX_PARAMS 324  ///< Most parameters a node type may have (seq: 4 + 64 steps x 5)
#define ST_MACRO_SLOTS 16  ///< Macro controls the host sees (slots 1..16)

/* Largest magnitude of a signal between nodes. The engine clamps every node
   output to it (NaN becomes 0), so no input ever carries more; nodes clamp
   what they keep in long memories (delay lines, held values) to it as well. */
#define ST_SIGNAL_LIMIT 1e6f

/* Parameter flags. */
enum {
  ST_PARAM_FIXED  = 1u << 0, ///< Only set at creation (sizes memory, e.g. max delay)
  ST_PARAM_CHOICE = 1u << 1, ///< Integer index into `choices` (a waveform, a mode)
  ST_PARAM_INT    = 1u << 2, ///< Integer count or index (voices, slot)
};

typedef struct {
  const char*        name;     ///< Identifier in patches: "cutoff"
  const char*        unit;     ///< "Hz", "s", "dB", "oct", "" for none
  const char*        doc;      ///< One line for the node reference
  float              min;      ///< Smallest allowed value
  float              max;      ///< Largest allowed value
  float              def;      ///< Default value
  float              smooth;   ///< Smoothing time constant in seconds (0 = step)
  uint32_t           flags;    ///< ST_PARAM_* flags
  const char* const* choices;  ///< Names of choice values, NULL-terminated, or NULL
} StParamSpec;

typedef struct {
  const char* name;  ///< Identifier in patches: "in", "cutoff", "lp"
  const char* doc;   ///< One line for the node reference
} StPortSpec;

/* The host's musical time at the first frame of a sub-block. Frame i of the
   sub-block is at beat + i * bpm / 60 / rate while playing. */
typedef struct {
  double   beat;          ///< Position in beats from the song start (beat units of the time signature)
  double   bar_beat;      ///< Position in beats from the start of the current bar, 0 <= bar_beat < beats_per_bar
  float    bpm;           ///< Tempo in beats per minute (> 0)
  float    beats_per_bar; ///< Time signature numerator (> 0)
  float    beat_unit;     ///< Time signature denominator: 4 = a beat is a quarter note
  uint32_t playing;       ///< 1 while the transport rolls, 0 when stopped
  uint32_t from_host;     ///< 1 when the host sends positions, 0 when free-running
} StTransport;

/* What the host gives every node for one sub-block. */
typedef struct {
  const float* in[2];                  ///< Host audio input, left and right
  float        macros[ST_MACRO_SLOTS]; ///< Macro control values, 0..1
  StTransport  transport;              ///< Musical time at the sub-block's first frame
  uint64_t     frame;                  ///< Frames the engine rendered before this sub-block;
                                       ///< sub-blocks never cross a multiple of ST_BLOCK
} StHost;

/* Everything process() sees for one sub-block of `frames` samples. */
typedef struct {
  uint32_t            frames;  ///< 1..ST_BLOCK
  float               rate;    ///< Sample rate in Hz
  const float* const* in;      ///< One buffer per input port; an unlinked input reads zeros
  uint32_t            linked;  ///< Bit i set when input i is linked
  float* const*       out;     ///< One buffer per output port, never aliasing an input
  StParam*            params;  ///< The node's parameters, smoothed per sample
  const StHost*       host;    ///< Host audio input, macros and transport
} StProcess;

/* Node type flags. */
enum {
  ST_NODE_SINK   = 1u << 0, ///< Inputs are summed into the host output (left, right)
  ST_NODE_EVENTS = 1u << 1, ///< Receives MIDI through `event`
  ST_NODE_BOUNDED = 1u << 2, ///< Outputs finite and within ST_SIGNAL_LIMIT whatever the
                             ///< inputs (sources): the guard need not check them
  ST_NODE_SUBPATCH = 1u << 3, ///< A sub-patch used as a node (library.h); models only
  ST_NODE_GROUP    = 1u << 4, ///< A sub-patch played as a voice group (library.h); models only
  ST_NODE_HOLDS    = 1u << 5, ///< Holds sound it may give out after silence (a reverb) and
                              ///< has no `quiet` to tell: a voice holding one never sleeps
  ST_NODE_BARRIER  = 1u << 6, ///< Every later level runs after it (it writes what other
                              ///< nodes read outside links): its level ends its segment
};

typedef struct StNodeType {
  const char*        name;       ///< Type name in patches: "osc", "svf"
  const char*        family;     ///< Section of the node reference: "Sources"...
  const char*        doc;        ///< One paragraph for the node reference
  uint32_t           n_inputs;   ///< Number of input ports
  const StPortSpec*  inputs;     ///< Input port descriptions
  uint32_t           n_outputs;  ///< Number of output ports
  const StPortSpec*  outputs;    ///< Output port descriptions
  uint32_t           n_params;   ///< Number of parameters
  const StParamSpec* params;     ///< Parameter descriptions
  uint32_t           flags;      ///< ST_NODE_* flags
  float              cost;       ///< Estimated ns per frame, for the parallel threshold

  /* Bytes of state for these creation-time parameter values (control side). */
  size_t (*state_size)(const float* params, float rate);
  /* Sets up zeroed state of that size (control side, may not fail). */
  void (*init)(void* state, const float* params, float rate);
  /* Computes one sub-block (audio thread: no allocation, no locks, no I/O). */
  void (*process)(void* state, const StProcess* p);
  /* Takes one MIDI message between sub-blocks (audio thread), or NULL. */
  void (*event)(void* state, const uint8_t* msg, uint32_t size);
  /* For a node that holds sound or a stage (a delay line, an envelope):
     true when what it holds is below ST_QUIET_LEVEL, so that a voice it is in
     may sleep (audio thread); NULL when it holds nothing beyond its output. */
  bool (*quiet)(const void* state);
} StNodeType;

/* Level below which a sleeping voice's output counts as silence (-90 dBFS):
   stopping it there is a step no one hears. */
#define ST_QUIET_LEVEL 3.1623e-5f

/* A sample as it may pass between nodes: NaN is 0, anything beyond
   +-ST_SIGNAL_LIMIT (an infinity too) is clamped to it; the same bits otherwise. */
static inline float
st_sane(float x)
{
  return fabsf(x) <= ST_SIGNAL_LIMIT ? x : (x != x ? 0.0f : copysignf(ST_SIGNAL_LIMIT, x));
}

/* Index of the named input, output or parameter, or -1. */
int st_node_input_index(const StNodeType* type, const char* name);
int st_node_output_index(const StNodeType* type, const char* name);
int st_node_param_index(const StNodeType* type, const char* name);

#endif
