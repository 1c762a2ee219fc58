/* SPDX-License-Identifier: ISC */
/* What an open patch editor watches while the patch plays: each node's
   output peak, and one node output recorded into a small ring (the probe).
   The audio thread records them right after each node runs, since a node's
   output buffer may be reused by a later node of the same block; nothing is
   recorded while both are off. Recording allocates nothing and costs one
   pass over the node's outputs. */
#ifndef ST_MONITOR_H
#define ST_MONITOR_H

#include "graph.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_PROBE_SAMPLES 256  ///< Samples the probe keeps
#define ST_PROBE_DECIMATE 4  ///< The probe keeps one sample in 4 (1024 frames: 21 ms at 48 kHz)

typedef struct StMonitor {
  bool     levels;                  ///< Record each node's peak (StNodeSlot.peak)
  uint32_t probe_node;              ///< Slot index of the probed node, or ST_NO_NODE
  uint32_t probe_port;              ///< Its probed output
  uint32_t phase;                   ///< Frames until the next sample kept
  uint32_t write;                   ///< Next ring position
  float    ring[ST_PROBE_SAMPLES];  ///< Kept samples, the oldest at `write`
} StMonitor;

/* Records what `m` asks for of the node in slot `index` of `graph`, which
   has just run for `frames` frames. */
void st_monitor_record(StMonitor* m, StGraph* graph, uint32_t index, uint32_t frames);

/* The probe's samples, oldest first. */
void st_monitor_probe_samples(const StMonitor* m, float out[ST_PROBE_SAMPLES]);

#endif
