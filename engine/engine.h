/* SPDX-License-Identifier: ISC */
/* The engine: a running graph on the audio thread, a model of it on the
   control side, and the two lock-free rings between them.

   Control side (one thread at a time: the producer): every st_engine_* edit
   validates against the model, plans the schedule to prove the buffers
   suffice, allocates what the node needs, and pushes one command. It returns
   an StStatus; on failure nothing changed and st_engine_error() says why.

   Audio thread: st_engine_begin() once per host block applies at most
   ST_MAX_COMMANDS_PER_BLOCK commands and re-plans at most once;
   st_engine_event() and st_engine_macro() between sub-blocks;
   st_engine_process() renders. None of these allocate, lock or block. */
#ifndef ST_ENGINE_H
#define ST_ENGINE_H

#include "command.h"
#include "graph.h"
#include "monitor.h"
#include "scheduler.h"
#include "status.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_XFADE_FRAMES 1024  ///< Length of the crossfade when a whole graph is swapped
#define ST_MUTE_SECONDS 0.005f ///< Time constant of the mute fade

/* Sample rates an engine accepts, in Hz. Every size computed from the rate
   (delay lines above all) is bounded by the top one; st_engine_new refuses
   others with ST_ERR_RATE. */
#define ST_MIN_RATE 8000.0f
#define ST_MAX_RATE 768000.0f

/* Largest magnitude the engine hands to the host; it also clamps the host's
   audio input to it (about +36 dBFS). Non-finite samples become 0 both ways. */
#define ST_IO_LIMIT 64.0f

typedef struct {
  float    rate;               ///< Sample rate in Hz
  uint32_t max_nodes;          ///< Node capacity; 0 = ST_DEFAULT_MAX_NODES
  uint32_t pool_buffers;       ///< Buffers per graph; 0 = ST_DEFAULT_POOL_BUFFERS
  uint32_t threads;            ///< Threads for parallel levels; 0 or 1 = sequential
  float    parallel_threshold; ///< 0: measured (the default); else estimated ns of work a
                               ///< segment needs to go parallel, without measuring (tests)
  uint32_t ring_commands;      ///< Command ring capacity (rounded up to a power of two); 0 = 1024
  uint64_t memory_budget;      ///< Bytes of node state a patch may use; 0 = ST_DEFAULT_MEMORY_BUDGET
} StEngineConfig;

/* 0: each graph measures whether a segment runs faster shared out or on one
   thread (scheduler.h), instead of a fixed threshold on estimated costs. */
#define ST_DEFAULT_PARALLEL_THRESHOLD 0.0f

typedef struct StEngine StEngine;

/* Creates an engine with an empty patch and starts its thread team. A rate
   outside ST_MIN_RATE..ST_MAX_RATE (or not finite) is refused with
   ST_ERR_RATE, whose st_status_string() names the accepted range. */
StEngine* st_engine_new(const StEngineConfig* config, StStatus* status);

/* Frees everything, including what is still in flight (no thread may be using it). */
void st_engine_free(StEngine* engine);

/* --- Control side --- */

StStatus st_engine_add(StEngine* engine, const StNodeType* type, const char* name,
                       const float* params, StHandle* handle);
StStatus st_engine_remove(StEngine* engine, StHandle node);
StStatus st_engine_connect(StEngine* engine, StHandle src, uint32_t src_port, StHandle dst,
                           uint32_t dst_port);
/* Links like st_engine_connect, replacing the input's link if it has one:
   one command, so the audio thread switches from the old source to the new
   one between two blocks, never hearing both or neither. */
StStatus st_engine_relink(StEngine* engine, StHandle src, uint32_t src_port, StHandle dst,
                          uint32_t dst_port);
StStatus st_engine_disconnect(StEngine* engine, StHandle dst, uint32_t dst_port);
/* Renames a node, keeping everything else it has (st_graph_rename). */
StStatus st_engine_rename(StEngine* engine, StHandle node, const char* name);
/* The node's position and the patch name: in the model only, since the
   audio thread never needs them (no command is pushed). */
StStatus st_engine_place(StEngine* engine, StHandle node, float x, float y);
StStatus st_engine_set_name(StEngine* engine, const char* name);
/* Records output `port` of `node` into the probe ring (ST_HANDLE_NONE
   stops). The probe stops by itself when its node is removed or the whole
   patch replaced. */
StStatus st_engine_probe(StEngine* engine, StHandle node, uint32_t port);
StStatus st_engine_set_param(StEngine* engine, StHandle node, uint32_t param, float value);
StStatus st_engine_set_output(StEngine* engine, uint32_t channel, StHandle src, uint32_t port);
StStatus st_engine_map(StEngine* engine, uint32_t slot, StHandle node, uint32_t param, float min,
                       float max, StCurve curve, const char* label);
StStatus st_engine_unmap(StEngine* engine, uint32_t slot, StHandle node, uint32_t param);
StStatus st_engine_mute(StEngine* engine, bool muted);
StStatus st_engine_clear(StEngine* engine);

/* An empty model with the engine's capacity, pool and rate, to build a
   replacement patch with st_graph_* calls. */
StGraph* st_engine_new_model(const StEngine* engine);

/* Replaces the whole patch with `model` (from st_engine_new_model), which the
   engine takes over on success; the switch crossfades. On failure the caller
   still owns `model`. A patch whose node state exceeds the memory budget is
   refused (ST_ERR_BUDGET) before anything is allocated, naming the biggest
   consumers. Swaps closer together than a crossfade queue up: the newest
   waits for the running fade to end, superseding any older one waiting, so
   the output never jumps. */
StStatus st_engine_swap(StEngine* engine, StGraph* model);

/* The model of the patch as edited so far (what the audio thread will run
   once it has applied the pushed commands). */
const StGraph* st_engine_model(const StEngine* engine);

/* Frees what the audio thread has retired. Every edit calls it first. */
void st_engine_collect(StEngine* engine);

/* Why the last failed edit failed. */
const char* st_engine_error(const StEngine* engine);

/* --- Audio thread --- */

/* Applies pending commands (at most ST_MAX_COMMANDS_PER_BLOCK) and re-plans. */
void st_engine_begin(StEngine* engine);

/* After st_engine_begin(): true when this block's rendering would share a
   segment out (or time one), so it must run on the thread that created the
   engine, whose OpenMP team that is. When false, st_engine_share(engine,
   false) lets any thread render the block, with no parallel region. */
bool st_engine_wants_team(const StEngine* engine);

/* Whether the following st_engine_process calls may use the team (true,
   the default: the calling thread created the engine) or must run alone. */
void st_engine_share(StEngine* engine, bool team);

/* Sets macro slot `slot` (0-based) to `value` (clamped to 0..1). */
void st_engine_macro(StEngine* engine, uint32_t slot, float value);

/* Hands one MIDI message to every node that takes MIDI. */
void st_engine_event(StEngine* engine, const uint8_t* msg, uint32_t size);

/* Sets the musical time at the next frame to render (between
   st_engine_process calls, like st_engine_event): the host's tempo, meter,
   position and whether it rolls. Nodes see it from that frame on, advancing
   with the frames rendered (while playing) until the next call; before any
   call the engine free-runs at 120 BPM in 4/4 from beat 0. Refused (false,
   nothing changed) when a value is not finite or out of range: bpm and the
   meter must be > 0, beat and bar_beat within +-1e12 (a count-in may be
   negative); bar_beat is wrapped into the bar. */
bool st_engine_locate(StEngine* engine, const StTransport* position);

/* The musical time at the next frame to render. */
StTransport st_engine_position(const StEngine* engine);

/* Renders `frames` frames (any count; split into internal blocks). `in` may
   be NULL or hold NULL channels for silence; out[0] and out[1] are written,
   except one that is NULL (a disconnected port). Input samples that are not
   finite or subnormal read as 0, larger ones than ST_IO_LIMIT as the limit;
   the output is finite and within +-ST_IO_LIMIT. */
void st_engine_process(StEngine* engine, const float* const in[2], float* const out[2],
                       uint32_t frames);

/* Levels: while on, every node of the running graph keeps its output peak
   (max |sample| over its outputs) until st_engine_take_peak() reads it.
   Turning them on clears the peaks. Off, nothing is computed. */
void st_engine_levels(StEngine* engine, bool on);

/* The peak of `node` in the running graph since the last call, then
   cleared; 0 for a node the running graph does not have (yet). */
float st_engine_take_peak(StEngine* engine, StHandle node);

/* The probed node of the running graph and its output `port`, or NULL when
   no probe is on; `samples` (may be NULL) gets the ring, oldest first:
   ST_PROBE_SAMPLES samples, one in ST_PROBE_DECIMATE frames. */
const StNodeSlot* st_engine_probed(StEngine* engine, uint32_t* port, float* samples);

/* The graph the audio thread runs (for tests and benchmarks on that thread). */
StGraph* st_engine_running(StEngine* engine);

#endif
