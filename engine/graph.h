/* SPDX-License-Identifier: ISC */
/* A patch graph: nodes in an arena, links from output ports to input ports,
   macro mappings and output taps, plus the schedule planned from them.

   The same structure serves three roles:
   - the control side's model of the running patch (no buffers, no node state),
     edited and validated by the st_graph_* calls below;
   - a replacement patch being built before a swap (also a model);
   - the audio thread's running graph (buffers and node state allocated),
     made from a model by st_graph_instantiate() and then changed only by
     commands applied in the audio thread.
   Every edit call validates first and changes nothing when it fails; the
   reason is then in st_graph_error(). */
#ifndef ST_GRAPH_H
#define ST_GRAPH_H

#include "arena.h"
#include "name_index.h"
#include "node.h"
#include "plan.h"
#include "status.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_NAME_MAX 32        ///< Bytes of a node name, with the terminating zero
#define ST_MAX_MACRO_MAPS 64  ///< Macro mappings a patch may hold
#define ST_MAX_FLAT_MAPS 1024 ///< Macro mappings a flat graph may hold: a patch's maps of
                              ///< parameters that voices and sub-patch copies expose, one each
#define ST_NO_NODE UINT32_MAX ///< Source index of an unlinked input
#define ST_PATCH_NAME_MAX 64  ///< Bytes of a patch name, with the terminating zero

typedef enum {
  ST_CURVE_LINEAR,      ///< min + (max - min) * v
  ST_CURVE_EXPONENTIAL, ///< min * (max / min)^v; min and max of one sign, not 0
} StCurve;

/* Where an input takes its signal from. */
typedef struct {
  uint32_t node;  ///< Source node index, or ST_NO_NODE
  uint32_t port;  ///< Source output port
} StSource;

/* One macro slot driving one node parameter. */
typedef struct {
  uint32_t slot;   ///< Macro slot, 0..ST_MACRO_SLOTS-1
  StHandle node;   ///< Node whose parameter follows the macro
  uint32_t param;  ///< Parameter index
  float    min;    ///< Value at macro 0
  float    max;    ///< Value at macro 1
  StCurve  curve;  ///< How the macro's 0..1 spreads over min..max
  char     label[ST_NAME_MAX]; ///< Name shown for the macro, may be empty
} StMacroMap;

/* One node slot. (The scheduler runs a running graph's nodes from the
   plan's packed tasks, not from here.) */
typedef struct {
  const StNodeType* type;                   ///< Type, NULL when the slot is free
  void*             state;                  ///< Node state (running graph only)
  StParam*          params;                 ///< type->n_params parameters: targets, and smoothed
                                            ///< values when running (in the graph's parameter
                                            ///< store for a model, in the node's state block
                                            ///< when running)
  uint32_t          linked;                 ///< Bit i set when input i is linked
  uint32_t          level;                  ///< Planned level
  const float*      in[ST_MAX_INPUTS];      ///< Planned input buffers (running graph)
  float*            out[ST_MAX_OUTPUTS];    ///< Planned output buffers (running graph)
  StSource          src[ST_MAX_INPUTS];     ///< Source of each input
  char              name[ST_NAME_MAX];      ///< Unique name in the patch
  float             x, y;                   ///< Position on the editor's canvas, when placed
  bool              placed;                 ///< The node has a position (a `place` statement)
  float             peak;                   ///< Running graph, while levels are on: max |output| since taken
  uint32_t          group;                  ///< Flat graph: slot of the voice group's allocator this
                                            ///< node is a voice's part of, else ST_NO_NODE
  uint32_t          voice;                  ///< Flat graph: which voice of that group
  const uint8_t*    asleep;                 ///< Running flat graph: that voice's sleep flag
                                            ///< (set when the graph is bound), else NULL
} StNodeSlot;

struct StLibrary;

typedef struct StGraph {
  StArena     arena;                        ///< Which slots are live
  struct StLibrary* library;                ///< Model: its sub-patch definitions (library.h),
                                            ///< shared by copies; NULL when it has none
  StNodeSlot* slots;                        ///< arena.capacity slots
  StParam*    store;                        ///< Model: every node's parameters (NULL when running)
  uint32_t    store_used;                   ///< Model: entries of `store` handed out, holes included
  uint32_t    store_size;                   ///< Model: entries `store` holds
  StNameIndex names;                        ///< Model: live nodes by name (no entries when running)
  uint32_t    span;                         ///< One past the highest slot used; the rest were never
                                            ///< taken (zero) and are cleared when a node takes them
  float       rate;                         ///< Sample rate the node states were made for
  StMacroMap  maps[ST_MAX_FLAT_MAPS];       ///< Macro mappings, n_maps used (a model's at most
                                            ///< ST_MAX_MACRO_MAPS)
  uint32_t    n_maps;
  StSource    taps[2];                      ///< Node outputs sent to the host output directly
  char        name[ST_PATCH_NAME_MAX];      ///< The patch's name (a label), may be empty
  struct StMonitor* monitor;                ///< Running graph: levels and probe to record, or NULL
  StPlan      plan;                         ///< Levels and buffers, valid when !dirty
  bool        dirty;                        ///< The plan no longer matches the graph
  char        error[256];                   ///< Why the last edit failed
} StGraph;

/* A new empty model for `capacity` nodes at `rate`, planned against
   `pool_buffers` buffers. NULL when out of memory. */
StGraph* st_graph_new(uint32_t capacity, uint32_t pool_buffers, float rate);

/* Frees the graph, its buffers and every node state it owns. */
void st_graph_free(StGraph* graph);

/* Makes `dst` (same capacity) a copy of the model `src`: nodes, links, maps, taps. */
void st_graph_copy(StGraph* dst, const StGraph* src);

/* A running copy of a model: node states allocated and initialised, buffers
   allocated, schedule planned. NULL (with the reason in the model's error)
   when out of memory. */
StGraph* st_graph_instantiate(StGraph* model);

/* Adds a node. `name` must be unique, 1..31 of [A-Za-z0-9_], not starting with
   a digit. `params` (n_params values, or NULL for the defaults) are checked
   against each parameter's range. */
StStatus st_graph_add(StGraph* graph, const StNodeType* type, const char* name,
                      const float* params, StHandle* handle);

/* Removes a node with every link to and from it, its macro maps and taps. */
StStatus st_graph_remove(StGraph* graph, StHandle node);

/* Removes every node, map and tap. */
void st_graph_clear(StGraph* graph);

/* Links output `src_port` of `src` to input `dst_port` of `dst`. An input
   holds one link: linking an occupied input is refused (unlink it first; use
   a mixer to sum). A link that would close a cycle is refused, naming the path. */
StStatus st_graph_connect(StGraph* graph, StHandle src, uint32_t src_port,
                          StHandle dst, uint32_t dst_port);

/* Links `src_port` of `src` to `dst_port` of `dst` replacing the link the
   input has, if any, in one edit: there is no state with both links or
   neither. Refused like st_graph_connect, except for an occupied input. */
StStatus st_graph_relink(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst,
                         uint32_t dst_port);

/* Unlinks input `dst_port` of `dst`; refused when it is not linked. */
StStatus st_graph_disconnect(StGraph* graph, StHandle dst, uint32_t dst_port);

/* Sets a parameter's target; refused out of range or for a fixed parameter. */
StStatus st_graph_set_param(StGraph* graph, StHandle node, uint32_t param, float value);

/* Sends output `port` of `src` straight to host channel 0 (left) or 1 (right),
   in addition to output nodes; ST_HANDLE_NONE clears the channel's tap. */
StStatus st_graph_set_output(StGraph* graph, uint32_t channel, StHandle src, uint32_t port);

/* Maps a macro slot (0-based) to a parameter: replaces an existing map of the
   same slot and parameter. `label` may be NULL. */
StStatus st_graph_map(StGraph* graph, uint32_t slot, StHandle node, uint32_t param,
                      float min, float max, StCurve curve, const char* label);

/* Removes the map of `slot` to that parameter; refused when there is none. */
StStatus st_graph_unmap(StGraph* graph, uint32_t slot, StHandle node, uint32_t param);

/* Gives a node a new name (same rules as st_graph_add), keeping its links,
   parameters, macro maps, taps and position. */
StStatus st_graph_rename(StGraph* graph, StHandle node, const char* name);

/* Places a node on the editor's canvas at (x, y), finite canvas units. */
StStatus st_graph_place(StGraph* graph, StHandle node, float x, float y);

/* Names the patch: a label of at most ST_PATCH_NAME_MAX - 1 bytes without
   zero bytes ("" for none). */
StStatus st_graph_set_name(StGraph* graph, const char* name);

/* Recomputes the schedule; ST_ERR_POOL when the buffers cannot hold it. */
StStatus st_graph_plan(StGraph* graph);

/* The node with this name, or ST_HANDLE_NONE. */
StHandle st_graph_find(const StGraph* graph, const char* name);

/* The slot of a live handle, or NULL. */
const StNodeSlot* st_graph_node(const StGraph* graph, StHandle node);

/* Number of live nodes. Iterate with st_graph_node_at() over
   0..st_graph_capacity()-1 for every node in index order. */
uint32_t st_graph_count(const StGraph* graph);

/* Node slots the graph has room for, and the live node at slot `index`
   (also a StSource's node), or NULL. */
uint32_t          st_graph_capacity(const StGraph* graph);
const StNodeSlot* st_graph_node_at(const StGraph* graph, uint32_t index);

/* The macro mappings: how many, and mapping `i` of them (NULL past the end). */
uint32_t          st_graph_map_count(const StGraph* graph);
const StMacroMap* st_graph_map_at(const StGraph* graph, uint32_t i);

/* The node output tapped straight into host output `channel` (0 left,
   1 right); node ST_NO_NODE when none. */
StSource st_graph_tap(const StGraph* graph, uint32_t channel);

/* Why the last failed call failed. */
const char* st_graph_error(const StGraph* graph);

/* Node state for the running graph: one block allocated on the control side,
   holding this header, then the type's state (64-byte aligned), then the
   parameters' creation values (what init() was given, and what a reset
   starts from again) and the running parameters the slot points to. NULL
   when out of memory. */
typedef struct {
  char         name[ST_NAME_MAX]; ///< Node name
  const float* created;           ///< n_params values at creation
  StParam*     params;            ///< n_params running parameters, set up from `created`
} StNodeHeader;

/* Bytes the state block of a node of `type` made with `params` at `rate`
   takes, header included; SIZE_MAX when that does not fit in memory. */
size_t st_graph_state_bytes(const StNodeType* type, const float* params, float rate);

/* Refuses (ST_ERR_BUDGET) a graph whose nodes' state blocks together exceed
   `budget` bytes, with an error naming the biggest consumers: "patch needs
   1.9 GiB of node state, over the 512 MiB budget: d1 (delay, 2.0 MiB), ...".
   Reads the model only: nothing is allocated. */
StStatus st_graph_check_budget(StGraph* graph, uint64_t budget);

#define ST_STATE_OFFSET ((sizeof(StNodeHeader) + 63) & ~(size_t)63) ///< Bytes before a node's state: the header, padded to alignment

void* st_graph_state_new(const StNodeType* type, const float* params, const char* name,
                         float rate);
void  st_graph_state_free(void* state);

static inline const StNodeHeader*
st_graph_state_header(const void* state)
{
  return (const StNodeHeader*)(const void*)((const unsigned char*)state - ST_STATE_OFFSET);
}

/* A node's parameter targets (n_params values): what a copy of it is made with. */
void st_graph_targets(const StNodeSlot* slot, float* values);

/* Puts a node of `type` named `name` (any bytes, cut to ST_NAME_MAX - 1) at
   exactly `at` in a model being built (flatten.h), parameters from `values`
   unchecked. The arena's free list is stale until st_arena_share_free(). */
StNodeSlot* st_graph_put(StGraph* model, StHandle at, const StNodeType* type, const char* name,
                         const float* values);

/* The primitives the validated calls above end with, used unchecked by the
   audio thread to replay commands the control side already validated on its
   model: no allocation, bounded time. st_graph_apply_connect replaces the
   link the input had, if any. */
void st_graph_apply_add(StGraph* graph, StHandle node, const StNodeType* type,
                        const char* name, const float* params, void* state);
void st_graph_apply_remove(StGraph* graph, StHandle node);
/* Releases every slot in index order (each state handed to `retire` first,
   when given), and drops all maps and taps. O(capacity). */
void st_graph_apply_clear(StGraph* graph, void (*retire)(void* state, void* data), void* data);
void st_graph_apply_connect(StGraph* graph, StHandle src, uint32_t src_port, StHandle dst,
                            uint32_t dst_port);
void st_graph_apply_disconnect(StGraph* graph, StHandle dst, uint32_t dst_port);
void st_graph_apply_rename(StGraph* graph, StHandle node, const char* name);
void st_graph_apply_set_output(StGraph* graph, uint32_t channel, StHandle src, uint32_t port);
void st_graph_apply_map(StGraph* graph, const StMacroMap* map);
void st_graph_apply_unmap(StGraph* graph, uint32_t slot, StHandle node, uint32_t param);

#endif
