/* SPDX-License-Identifier: ISC */
/* The fixed-size commands that carry every change of the running graph from
   the control side to the audio thread, and what the audio thread sends back
   to be freed. */
#ifndef ST_COMMAND_H
#define ST_COMMAND_H

#include "graph.h"

#include <stdbool.h>
#include <stdint.h>

/* Most commands the audio thread applies in one block; the rest wait for
   the next one, so a burst of edits cannot blow a block's time budget. */
#define ST_MAX_COMMANDS_PER_BLOCK 64

typedef enum {
  ST_CMD_ADD,         ///< Place a node whose state the control side made
  ST_CMD_REMOVE,      ///< Remove a node and its links; its state is retired
  ST_CMD_CONNECT,     ///< Link an output to an input
  ST_CMD_DISCONNECT,  ///< Unlink an input
  ST_CMD_SET_PARAM,   ///< New parameter target (smoothed)
  ST_CMD_SET_OUTPUT,  ///< Tap a node output straight to a host channel
  ST_CMD_MAP,         ///< Map a macro slot to a parameter
  ST_CMD_UNMAP,       ///< Remove a macro map
  ST_CMD_MUTE,        ///< Fade the output to silence, or back
  ST_CMD_CLEAR,       ///< Remove every node; their states are retired
  ST_CMD_SWAP,        ///< Replace the whole graph, crossfading; the old one is retired
  ST_CMD_RENAME,      ///< Give a node a new name
  ST_CMD_PROBE,       ///< Record one node output into the probe ring, or stop
} StCommandKind;

typedef struct {
  StCommandKind kind;
  union {
    struct { StHandle node; const StNodeType* type; void* state; } add;
    struct { StHandle node; } remove;
    struct { StHandle src; uint32_t src_port; StHandle dst; uint32_t dst_port; } link;
    struct { StHandle node; uint32_t param; float value; } set;
    struct { uint32_t channel; StHandle src; uint32_t port; } output;
    struct { uint32_t slot; StHandle node; uint32_t param; float min, max; StCurve curve; } map;
    struct { bool muted; } mute;
    struct { StGraph* graph; } swap;
    struct { StHandle node; char name[ST_NAME_MAX]; } rename;
    struct { StHandle node; uint32_t port; } probe;
  } u;
} StCommand;

typedef enum {
  ST_RETIRE_STATE,  ///< A node state: st_graph_state_free()
  ST_RETIRE_GRAPH,  ///< A whole running graph: st_graph_free()
} StRetireKind;

typedef struct {
  StRetireKind kind;
  void*        ptr;
} StRetired;

#endif
