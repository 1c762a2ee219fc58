/* SPDX-License-Identifier: ISC */
#include "engine.h"

#include "flatten.h"
#include "library.h"
#include "ring.h"
#include "timeline.h"
#include "voices.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct StEngine {
  // Fixed at creation.
  StEngineConfig config;
  StSchedConfig  sched;
  StRing         commands;        ///< Control -> audio
  StRing         retired;         ///< Audio -> control: memory to free

  // Control side.
  StGraph*       model;           ///< The patch as edited so far
  StGraph*       scratch;         ///< Where an edit is tried before it is kept
  uint32_t       retire_pending;  ///< Items the audio thread may still send back
  char           error[256];      ///< Why the last edit failed
  StFlatTarget   targets[ST_MAX_COMMANDS_PER_BLOCK * 16]; ///< Where an instance's parameter goes

  // Audio thread.
  StGraph*       live;            ///< The graph being rendered
  StGraph*       fading;          ///< The graph being faded out after a swap, or NULL
  StGraph*       pending;         ///< The newest swap, waiting for the running fade to end
  uint32_t       fade_pos;        ///< Frames of the crossfade done
  uint64_t       frames;          ///< Frames rendered since creation
  StHost         host;            ///< Host input, macros and transport for the nodes
  StTimeline     timeline;        ///< Musical time: host positions or free-running
  StParam        master;          ///< Output gain: 1, or 0 when muted
  StMonitor      monitor;         ///< Levels and probe an editor watches
  StHandle       probe;           ///< The probed node, or ST_HANDLE_NONE
  float          zeros[ST_BLOCK];
  float          in[2][ST_BLOCK]; ///< The host input, sanitised
  float          mix[2][ST_BLOCK];
  float          old_mix[2][ST_BLOCK];
};

/* --- Creation --- */

StEngine*
st_engine_new(const StEngineConfig* config, StStatus* status)
{
  StStatus  st;
  StEngine* e = aligned_alloc(64, (sizeof(StEngine) + 63) & ~(size_t)63);
  if (!e) {
    st = ST_ERR_NO_MEMORY;
    goto done;
  }
  memset(e, 0, sizeof(*e));
  e->config = *config;
  StEngineConfig* c = &e->config;
  if (!(c->rate >= ST_MIN_RATE && c->rate <= ST_MAX_RATE)) { // NaN fails too
    free(e);
    e  = NULL;
    st = ST_ERR_RATE;
    goto done;
  }
  c->max_nodes          = c->max_nodes ? c->max_nodes : ST_DEFAULT_MAX_NODES;
  c->pool_buffers       = c->pool_buffers ? c->pool_buffers : ST_DEFAULT_POOL_BUFFERS;
  c->threads            = c->threads ? c->threads : 1;
  c->parallel_threshold = c->parallel_threshold > 0 ? c->parallel_threshold
                                                    : ST_DEFAULT_PARALLEL_THRESHOLD;
  c->ring_commands      = st_ring_round_up(c->ring_commands ? c->ring_commands : 1024);
  c->memory_budget      = c->memory_budget ? c->memory_budget : ST_DEFAULT_MEMORY_BUDGET;
  e->sched              = (StSchedConfig){c->threads, c->parallel_threshold, false};

  // A clear retires every node at once, so the return ring holds a full patch
  // plus one item for every other command that may be in flight.
  const uint32_t retire_capacity = st_ring_round_up(c->max_nodes + c->ring_commands);
  e->model   = st_graph_new(c->max_nodes, c->pool_buffers, c->rate);
  e->scratch = st_graph_new(c->max_nodes, c->pool_buffers, c->rate);
  if (!e->model || !e->scratch || st_graph_plan(e->model) ||
      !(e->live = st_graph_instantiate(e->model)) ||
      st_ring_init(&e->commands, c->ring_commands, sizeof(StCommand)) ||
      st_ring_init(&e->retired, retire_capacity, sizeof(StRetired))) {
    st_engine_free(e);
    e  = NULL;
    st = ST_ERR_NO_MEMORY;
    goto done;
  }
  for (uint32_t ch = 0; ch < 2; ++ch) {
    e->host.in[ch] = e->zeros;
  }
  st_param_init(&e->master, 1.0f, ST_MUTE_SECONDS, c->rate);
  e->probe              = ST_HANDLE_NONE;
  e->monitor.probe_node = ST_NO_NODE;
  st_timeline_init(&e->timeline, c->rate);
  st_sched_warm_up(&e->sched);
  st = ST_OK;
done:
  if (status) {
    *status = st;
  }
  return e;
}

static void
free_retired(const StRetired* item)
{
  if (item->kind == ST_RETIRE_STATE) {
    st_graph_state_free(item->ptr);
  } else {
    st_graph_free(item->ptr);
  }
}

/* Frees what a command still in the ring would have handed over. */
static void
free_unapplied(const StCommand* cmd)
{
  if (cmd->kind == ST_CMD_ADD) {
    st_graph_state_free(cmd->u.add.state);
  } else if (cmd->kind == ST_CMD_SWAP) {
    st_graph_free(cmd->u.swap.graph);
  }
}

void
st_engine_free(StEngine* engine)
{
  if (!engine) {
    return;
  }
  if (engine->commands.items) {
    StCommand cmd;
    while (st_ring_pop(&engine->commands, &cmd)) {
      free_unapplied(&cmd);
    }
  }
  if (engine->retired.items) {
    st_engine_collect(engine);
  }
  st_graph_free(engine->live);
  st_graph_free(engine->fading);
  st_graph_free(engine->pending);
  st_graph_free(engine->model);
  st_graph_free(engine->scratch);
  st_ring_destroy(&engine->commands);
  st_ring_destroy(&engine->retired);
  free(engine);
}

/* --- Control side --- */

void
st_engine_collect(StEngine* engine)
{
  StRetired item;
  while (st_ring_pop(&engine->retired, &item)) {
    free_retired(&item);
    --engine->retire_pending;
  }
}

const char*
st_engine_error(const StEngine* engine)
{
  return engine->error;
}

const StGraph*
st_engine_model(const StEngine* engine)
{
  return engine->model;
}

StGraph*
st_engine_new_model(const StEngine* engine)
{
  StGraph* model =
    st_graph_new(engine->config.max_nodes, engine->config.pool_buffers, engine->config.rate);
  if (model) {
    st_arena_renew(&model->arena, &engine->model->arena);
  }
  return model;
}

static StStatus
refuse(StEngine* engine, StStatus status, const char* message)
{
  snprintf(engine->error, sizeof(engine->error), "%s", message);
  return status;
}

/* The running graph of `model`: the model itself instantiated, or, when it
   has sub-patch instances, its flat graph (flatten.h) bound to its voice
   allocators. Checks the buffers and the memory budget first; NULL with
   the reason in the engine's error. */
static StGraph*
make_running(StEngine* engine, StGraph* model, StStatus* status)
{
  const bool flat = st_graph_has_instances(model);
  StGraph*   from = model;
  if (flat && !(from = st_flatten(model, status, engine->error, sizeof(engine->error)))) {
    return NULL;
  }
  StGraph* running = NULL;
  if ((*status = st_graph_plan(from)) ||
      (*status = st_graph_check_budget(from, engine->config.memory_budget))) {
    (void)refuse(engine, *status, st_graph_error(from));
  } else if (!(running = st_graph_instantiate(from))) {
    *status = refuse(engine, ST_ERR_NO_MEMORY, st_graph_error(from));
  } else if (flat) {
    st_flatten_bind(running);
    (void)st_graph_plan(running); // Planned as the flat model was, now with the sleep flags
  }
  if (flat) {
    st_graph_free(from);
  }
  return running;
}

/* True when the patch has (or had, before the edit being tried) sub-patch
   instances: its running graph is flat (flatten.h). */
static bool
runs_flat(const StEngine* engine)
{
  return st_graph_has_instances(engine->scratch) || st_graph_has_instances(engine->model);
}

static bool
is_instance(const StGraph* graph, StHandle node)
{
  const StNodeSlot* slot = st_graph_node(graph, node);
  return slot && (slot->type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP));
}

/* True when a command cannot be replayed on a flat running graph: it names
   an instance, whose copies' nodes it does not know, or clears the patch.
   Every other edit names top-level nodes, which keep their handles there. */
static bool
names_instances(const StEngine* engine, const StCommand* cmd)
{
  const StGraph* before = engine->model;
  const StGraph* after  = engine->scratch;
  switch (cmd->kind) {
  case ST_CMD_ADD:
    return is_instance(after, cmd->u.add.node);
  case ST_CMD_REMOVE:
    return is_instance(before, cmd->u.remove.node);
  case ST_CMD_CONNECT:
  case ST_CMD_DISCONNECT:
    return is_instance(before, cmd->u.link.src) || is_instance(before, cmd->u.link.dst);
  case ST_CMD_SET_OUTPUT:
    return is_instance(before, cmd->u.output.src);
  case ST_CMD_MAP:
  case ST_CMD_UNMAP:
    return is_instance(before, cmd->u.map.node);
  case ST_CMD_RENAME:
    return is_instance(before, cmd->u.rename.node);
  case ST_CMD_SET_PARAM:
  case ST_CMD_MUTE:
  case ST_CMD_PROBE:
    return false;
  case ST_CMD_CLEAR:
  case ST_CMD_SWAP:
    break;
  }
  return true;
}

/* Proves that the flat graph of the edited patch plans and fits the memory
   budget, as the audio thread will replay the command on it. */
static StStatus
check_flat(StEngine* engine)
{
  StStatus st;
  StGraph* flat = st_flatten(engine->scratch, &st, engine->error, sizeof(engine->error));
  if (!flat) {
    return st;
  }
  if ((st = st_graph_plan(flat)) ||
      (st = st_graph_check_budget(flat, engine->config.memory_budget))) {
    (void)refuse(engine, st, st_graph_error(flat));
  }
  st_graph_free(flat);
  return st;
}

/* Keeps an edit of a patch with sub-patch instances: the running graph is
   made anew and swapped in (crossfading, held notes carried over). */
static StStatus
rebuild_commit(StEngine* engine)
{
  if (st_ring_space(&engine->commands) == 0 ||
      engine->retire_pending + 1 > engine->retired.mask + 1) {
    return refuse(engine, ST_ERR_BUSY,
                  "the audio thread has not caught up with earlier edits; retry");
  }
  StStatus st;
  StGraph* running = make_running(engine, engine->scratch, &st);
  if (!running) {
    return st;
  }
  const StCommand cmd = {.kind = ST_CMD_SWAP, .u.swap = {running}};
  st_ring_push(&engine->commands, &cmd);
  engine->retire_pending += 1;
  StGraph* kept   = engine->scratch;
  engine->scratch = engine->model;
  engine->model   = kept;
  return ST_OK;
}

/* Starts an edit: the scratch graph becomes a copy of the model to try it on. */
static StGraph*
edit_begin(StEngine* engine)
{
  st_engine_collect(engine);
  engine->error[0] = '\0';
  st_graph_copy(engine->scratch, engine->model);
  return engine->scratch;
}

/* Keeps an edit tried on the scratch graph: checks that it plans within the
   pool and that both rings have room, then pushes the command. */
static StStatus
edit_commit(StEngine* engine, StStatus edit, const StCommand* cmd, uint32_t retires)
{
  if (edit) {
    return refuse(engine, edit, st_graph_error(engine->scratch));
  }
  const bool flat = runs_flat(engine);
  if (flat && names_instances(engine, cmd)) {
    return rebuild_commit(engine);
  }
  StStatus st = st_graph_plan(engine->scratch);
  if (st) {
    return refuse(engine, st, st_graph_error(engine->scratch));
  }
  const bool reshapes = cmd->kind == ST_CMD_ADD || cmd->kind == ST_CMD_REMOVE ||
                        cmd->kind == ST_CMD_CONNECT || cmd->kind == ST_CMD_DISCONNECT ||
                        cmd->kind == ST_CMD_SET_OUTPUT;
  if (flat && reshapes && (st = check_flat(engine))) {
    return st;
  }
  if (engine->retire_pending + retires > engine->retired.mask + 1 ||
      !st_ring_push(&engine->commands, cmd)) {
    return refuse(engine, ST_ERR_BUSY,
                  "the audio thread has not caught up with earlier edits; retry");
  }
  engine->retire_pending += retires;
  StGraph* kept   = engine->scratch;
  engine->scratch = engine->model;
  engine->model   = kept;
  return ST_OK;
}

StStatus
st_engine_add(StEngine* engine, const StNodeType* type, const char* name, const float* params,
              StHandle* handle)
{
  StGraph* g = edit_begin(engine);
  StHandle h = ST_HANDLE_NONE;
  StStatus st = st_graph_add(g, type, name, params, &h);
  if (st) {
    return refuse(engine, st, st_graph_error(g));
  }
  if (runs_flat(engine) && is_instance(g, h)) {
    if ((st = rebuild_commit(engine)) == ST_OK && handle) {
      *handle = h;
    }
    return st;
  }
  if ((st = st_graph_check_budget(g, engine->config.memory_budget))) {
    return refuse(engine, st, st_graph_error(g));
  }
  float values[ST_MAX_PARAMS];
  st_graph_targets(&g->slots[h.index], values);
  void* state = st_graph_state_new(type, values, name, engine->config.rate);
  if (!state) {
    return refuse(engine, ST_ERR_NO_MEMORY, "out of memory for the node's state");
  }
  StCommand cmd = {.kind = ST_CMD_ADD, .u.add = {h, type, state}};
  if ((st = edit_commit(engine, ST_OK, &cmd, 0))) {
    st_graph_state_free(state);
    return st;
  }
  if (handle) {
    *handle = h;
  }
  return ST_OK;
}

StStatus
st_engine_remove(StEngine* engine, StHandle node)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_REMOVE, .u.remove = {node}};
  return edit_commit(engine, st_graph_remove(g, node), &cmd, 1);
}

StStatus
st_engine_connect(StEngine* engine, StHandle src, uint32_t src_port, StHandle dst,
                  uint32_t dst_port)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_CONNECT, .u.link = {src, src_port, dst, dst_port}};
  return edit_commit(engine, st_graph_connect(g, src, src_port, dst, dst_port), &cmd, 0);
}

StStatus
st_engine_relink(StEngine* engine, StHandle src, uint32_t src_port, StHandle dst,
                 uint32_t dst_port)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_CONNECT, .u.link = {src, src_port, dst, dst_port}};
  return edit_commit(engine, st_graph_relink(g, src, src_port, dst, dst_port), &cmd, 0);
}

StStatus
st_engine_rename(StEngine* engine, StHandle node, const char* name)
{
  StGraph*  g   = edit_begin(engine);
  StCommand cmd = {.kind = ST_CMD_RENAME, .u.rename = {.node = node}};
  const StStatus st = st_graph_rename(g, node, name);
  if (!st) {
    snprintf(cmd.u.rename.name, sizeof(cmd.u.rename.name), "%s", name);
  }
  return edit_commit(engine, st, &cmd, 0);
}

StStatus
st_engine_place(StEngine* engine, StHandle node, float x, float y)
{
  st_engine_collect(engine);
  const StStatus st = st_graph_place(engine->model, node, x, y);
  return st ? refuse(engine, st, st_graph_error(engine->model)) : ST_OK;
}

StStatus
st_engine_set_name(StEngine* engine, const char* name)
{
  st_engine_collect(engine);
  const StStatus st = st_graph_set_name(engine->model, name);
  return st ? refuse(engine, st, st_graph_error(engine->model)) : ST_OK;
}

StStatus
st_engine_probe(StEngine* engine, StHandle node, uint32_t port)
{
  StGraph*          g    = edit_begin(engine);
  const StNodeSlot* slot = st_graph_node(g, node);
  if (node.index != ST_HANDLE_NONE.index && !slot) {
    return refuse(engine, ST_ERR_STALE, "probe: the node does not exist");
  }
  if (slot && port >= slot->type->n_outputs) {
    return refuse(engine, ST_ERR_PORT, "probe: the node has no such output");
  }
  // The running graph of a patch with sub-patches has an instance's output
  // where its outlet comes from.
  const StFlatTarget at  = slot ? st_flatten_source(g, node, port) : (StFlatTarget){node, port};
  const StCommand    cmd = {.kind = ST_CMD_PROBE, .u.probe = {at.node, at.param}};
  if (!runs_flat(engine)) {
    return edit_commit(engine, ST_OK, &cmd, 0);
  }
  if (!st_ring_push(&engine->commands, &cmd)) {
    return refuse(engine, ST_ERR_BUSY,
                  "the audio thread has not caught up with earlier edits; retry");
  }
  return ST_OK;
}

StStatus
st_engine_disconnect(StEngine* engine, StHandle dst, uint32_t dst_port)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_DISCONNECT, .u.link = {ST_HANDLE_NONE, 0, dst, dst_port}};
  return edit_commit(engine, st_graph_disconnect(g, dst, dst_port), &cmd, 0);
}

StStatus
st_engine_set_param(StEngine* engine, StHandle node, uint32_t param, float value)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_SET_PARAM, .u.set = {node, param, value}};
  StStatus        st  = st_graph_set_param(g, node, param, value);
  if (st || !runs_flat(engine) || !is_instance(g, node)) {
    return edit_commit(engine, st, &cmd, 0);
  }
  // A sub-patch's parameter: set in every copy it reaches, or, for one that
  // sizes the copies (a voice count, a delay's length), in copies made anew.
  if (g->slots[node.index].type->params[param].flags & ST_PARAM_FIXED) {
    return rebuild_commit(engine);
  }
  StFlatTarget*  targets = engine->targets;
  const uint32_t max     = sizeof(engine->targets) / sizeof(engine->targets[0]);
  const uint32_t      n   = st_flatten_targets(g, node, param, targets, max);
  if (n > max || st_ring_space(&engine->commands) < n) {
    return refuse(engine, ST_ERR_BUSY,
                  "the audio thread has not caught up with earlier edits; retry");
  }
  for (uint32_t k = 0; k < n; ++k) {
    const StCommand set = {.kind  = ST_CMD_SET_PARAM,
                           .u.set = {targets[k].node, targets[k].param, value}};
    st_ring_push(&engine->commands, &set);
  }
  StGraph* kept   = engine->scratch;
  engine->scratch = engine->model;
  engine->model   = kept;
  return ST_OK;
}

StStatus
st_engine_set_output(StEngine* engine, uint32_t channel, StHandle src, uint32_t port)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_SET_OUTPUT, .u.output = {channel, src, port}};
  return edit_commit(engine, st_graph_set_output(g, channel, src, port), &cmd, 0);
}

StStatus
st_engine_map(StEngine* engine, uint32_t slot, StHandle node, uint32_t param, float min,
              float max, StCurve curve, const char* label)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_MAP, .u.map = {slot, node, param, min, max, curve}};
  return edit_commit(engine, st_graph_map(g, slot, node, param, min, max, curve, label), &cmd,
                     0);
}

StStatus
st_engine_unmap(StEngine* engine, uint32_t slot, StHandle node, uint32_t param)
{
  StGraph*        g   = edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_UNMAP, .u.map = {slot, node, param, 0, 0, ST_CURVE_LINEAR}};
  return edit_commit(engine, st_graph_unmap(g, slot, node, param), &cmd, 0);
}

StStatus
st_engine_mute(StEngine* engine, bool muted)
{
  edit_begin(engine);
  const StCommand cmd = {.kind = ST_CMD_MUTE, .u.mute = {muted}};
  return edit_commit(engine, ST_OK, &cmd, 0);
}

StStatus
st_engine_clear(StEngine* engine)
{
  StGraph*       g     = edit_begin(engine);
  const uint32_t nodes = st_graph_count(g);
  st_graph_clear(g);
  const StCommand cmd = {.kind = ST_CMD_CLEAR};
  return edit_commit(engine, ST_OK, &cmd, nodes);
}

StStatus
st_engine_swap(StEngine* engine, StGraph* model)
{
  st_engine_collect(engine);
  engine->error[0] = '\0';
  if (!model || model->arena.capacity != engine->config.max_nodes ||
      model->plan.pool.count != engine->config.pool_buffers ||
      model->rate != engine->config.rate) {
    return refuse(engine, ST_ERR_BAD_ARG, "a replacement patch must come from st_engine_new_model");
  }
  StStatus st;
  if (st_ring_space(&engine->commands) == 0 ||
      engine->retire_pending + 1 > engine->retired.mask + 1) {
    return refuse(engine, ST_ERR_BUSY,
                  "the audio thread has not caught up with earlier edits; retry");
  }
  StGraph* running = make_running(engine, model, &st);
  if (!running) {
    return st;
  }
  const StCommand cmd = {.kind = ST_CMD_SWAP, .u.swap = {running}};
  st_ring_push(&engine->commands, &cmd); // Room was checked above; we are the only producer.
  engine->retire_pending += 1;
  st_graph_free(engine->model);
  engine->model = model;
  return ST_OK;
}

/* --- Audio thread --- */

static void
retire(StEngine* engine, StRetireKind kind, void* ptr)
{
  const StRetired item = {kind, ptr};
  // Cannot fail: the control side only pushes what the return ring can take.
  (void)st_ring_push(&engine->retired, &item);
}

static void
retire_state(void* state, void* engine)
{
  retire(engine, ST_RETIRE_STATE, state);
}

static void watch(StEngine* engine);

/* Starts a crossfade from the live graph to `graph`. */
static void
start_fade(StEngine* engine, StGraph* graph)
{
  engine->fading   = engine->live;
  engine->live     = graph;
  engine->fade_pos = 0;
  watch(engine); // The monitor follows the live graph.
}

/* A swap during a crossfade waits for it to end (dropping the graph still
   fading would be a step in the output); a newer swap supersedes a waiting
   one, which was never heard. Each swap thus retires exactly one graph, as
   the control side counted. */
/* The graph that edits apply to: the newest one swapped in. */
static StGraph*
newest(StEngine* engine)
{
  return engine->pending ? engine->pending : engine->live;
}

/* Hands the keys held in each voice group of `from` to the group of the same
   slot in `to`, so that a new voice count or an edited voice keeps playing. */
static void
carry_voices(StGraph* to, const StGraph* from)
{
  const StPlan* plan = &to->plan;
  for (uint32_t k = 0; k < plan->n_listeners; ++k) {
    const uint32_t n = plan->listeners[k];
    if (to->slots[n].type == &st_voice_alloc_type && st_arena_live(&from->arena, n) &&
        from->slots[n].type == &st_voice_alloc_type) {
      st_voice_carry(to->slots[n].state, from->slots[n].state);
    }
  }
}

static void
apply_swap(StEngine* engine, StGraph* graph)
{
  carry_voices(graph, newest(engine));
  if (!engine->fading) {
    start_fade(engine, graph);
    return;
  }
  if (engine->pending) {
    retire(engine, ST_RETIRE_GRAPH, engine->pending);
  }
  engine->pending = graph;
}

static void
apply(StEngine* engine, const StCommand* cmd)
{
  StGraph* g = newest(engine);
  switch (cmd->kind) {
  case ST_CMD_ADD: {
    const StNodeHeader* h = st_graph_state_header(cmd->u.add.state);
    st_graph_apply_add(g, cmd->u.add.node, cmd->u.add.type, h->name, h->created,
                       cmd->u.add.state);
    break;
  }
  case ST_CMD_REMOVE: {
    const StNodeSlot* slot = st_graph_node(g, cmd->u.remove.node);
    if (slot) {
      retire(engine, ST_RETIRE_STATE, slot->state);
      st_graph_apply_remove(g, cmd->u.remove.node);
    }
    break;
  }
  case ST_CMD_CONNECT:
    st_graph_apply_connect(g, cmd->u.link.src, cmd->u.link.src_port, cmd->u.link.dst,
                           cmd->u.link.dst_port);
    break;
  case ST_CMD_DISCONNECT:
    st_graph_apply_disconnect(g, cmd->u.link.dst, cmd->u.link.dst_port);
    break;
  case ST_CMD_SET_PARAM:
    if (st_graph_node(g, cmd->u.set.node)) {
      st_param_set(&g->slots[cmd->u.set.node.index].params[cmd->u.set.param], cmd->u.set.value,
                   false);
    }
    break;
  case ST_CMD_SET_OUTPUT:
    st_graph_apply_set_output(g, cmd->u.output.channel, cmd->u.output.src, cmd->u.output.port);
    break;
  case ST_CMD_MAP: {
    const StMacroMap map = {cmd->u.map.slot, cmd->u.map.node, cmd->u.map.param,
                            cmd->u.map.min,  cmd->u.map.max,  cmd->u.map.curve, ""};
    st_graph_apply_map(g, &map);
    break;
  }
  case ST_CMD_UNMAP:
    st_graph_apply_unmap(g, cmd->u.map.slot, cmd->u.map.node, cmd->u.map.param);
    break;
  case ST_CMD_MUTE:
    st_param_set(&engine->master, cmd->u.mute.muted ? 0.0f : 1.0f, false);
    break;
  case ST_CMD_CLEAR:
    st_graph_apply_clear(g, retire_state, engine);
    break;
  case ST_CMD_SWAP:
    apply_swap(engine, cmd->u.swap.graph);
    break;
  case ST_CMD_RENAME:
    st_graph_apply_rename(g, cmd->u.rename.node, cmd->u.rename.name);
    break;
  case ST_CMD_PROBE:
    engine->probe                = cmd->u.probe.node;
    engine->monitor.probe_port   = cmd->u.probe.port;
    engine->monitor.probe_node   = ST_NO_NODE; // Set by watch() once the live graph has it.
    break;
  }
}

/* Points the live graph at the monitor when something is watched, and keeps
   the probe on only while the live graph has its node. */
static void
watch(StEngine* engine)
{
  StMonitor*     m     = &engine->monitor;
  const uint32_t probe = st_arena_valid(&engine->live->arena, engine->probe)
                           ? engine->probe.index
                           : ST_NO_NODE;
  if (probe != m->probe_node) {
    memset(m->ring, 0, sizeof(m->ring));
    m->phase      = 0;
    m->write      = 0;
    m->probe_node = probe;
  }
  if (probe == ST_NO_NODE && engine->probe.index != ST_HANDLE_NONE.index &&
      !engine->pending) {
    engine->probe = ST_HANDLE_NONE; // Its node was removed, or the patch replaced.
  }
  engine->live->monitor = m->levels || probe != ST_NO_NODE ? m : NULL;
  if (engine->fading) {
    engine->fading->monitor = NULL;
  }
}

void
st_engine_begin(StEngine* engine)
{
  StCommand cmd;
  for (uint32_t n = 0; n < ST_MAX_COMMANDS_PER_BLOCK && st_ring_pop(&engine->commands, &cmd);
       ++n) {
    apply(engine, &cmd);
  }
  if (engine->live->dirty) {
    (void)st_graph_plan(engine->live); // The model planned the same graph without error.
  }
  // Edits applied before a swap in the same block left the graph now fading
  // out (or waiting) with a stale plan (a removed node still scheduled):
  // re-plan those too.
  if (engine->fading && engine->fading->dirty) {
    (void)st_graph_plan(engine->fading);
  }
  if (engine->pending && engine->pending->dirty) {
    (void)st_graph_plan(engine->pending);
  }
  watch(engine);
}

void
st_engine_levels(StEngine* engine, bool on)
{
  if (on && !engine->monitor.levels) {
    StGraph* g = engine->live;
    for (uint32_t n = 0; n < g->span; ++n) {
      g->slots[n].peak = 0.0f;
    }
  }
  engine->monitor.levels = on;
  watch(engine);
}

float
st_engine_take_peak(StEngine* engine, StHandle node)
{
  StGraph* g = engine->live;
  if (!st_arena_valid(&g->arena, node)) {
    return 0.0f;
  }
  const float peak         = g->slots[node.index].peak;
  g->slots[node.index].peak = 0.0f;
  return peak;
}

const StNodeSlot*
st_engine_probed(StEngine* engine, uint32_t* port, float* samples)
{
  const StMonitor* m = &engine->monitor;
  if (m->probe_node == ST_NO_NODE) {
    return NULL;
  }
  if (port) {
    *port = m->probe_port;
  }
  if (samples) {
    st_monitor_probe_samples(m, samples);
  }
  return &engine->live->slots[m->probe_node];
}

bool
st_engine_wants_team(const StEngine* engine)
{
  return st_sched_wants_team(engine->live, &engine->sched) ||
         (engine->fading && st_sched_wants_team(engine->fading, &engine->sched));
}

void
st_engine_share(StEngine* engine, bool team)
{
  engine->sched.alone = !team;
}

void
st_engine_macro(StEngine* engine, uint32_t slot, float value)
{
  if (slot < ST_MACRO_SLOTS) {
    engine->host.macros[slot] = value > 0.0f ? (value < 1.0f ? value : 1.0f) : 0.0f;
  }
}

static void
send_event(StGraph* graph, const uint8_t* msg, uint32_t size)
{
  const StPlan* plan = &graph->plan;
  for (uint32_t k = 0; k < plan->n_listeners; ++k) {
    StNodeSlot* slot = &graph->slots[plan->listeners[k]];
    slot->type->event(slot->state, msg, size);
  }
}

void
st_engine_event(StEngine* engine, const uint8_t* msg, uint32_t size)
{
  send_event(engine->live, msg, size);
  if (engine->fading) {
    send_event(engine->fading, msg, size);
  }
  if (engine->pending) { // So that it starts with the notes held
    send_event(engine->pending, msg, size);
  }
}

bool
st_engine_locate(StEngine* engine, const StTransport* position)
{
  return st_timeline_locate(&engine->timeline, position);
}

StTransport
st_engine_position(const StEngine* engine)
{
  return st_timeline_now(&engine->timeline);
}

StGraph*
st_engine_running(StEngine* engine)
{
  return engine->live;
}

/* Points every mapped parameter at the value its macro asks for. */
static void
apply_macros(StGraph* graph, const StHost* host)
{
  for (uint32_t m = 0; m < graph->n_maps; ++m) {
    const StMacroMap* map = &graph->maps[m];
    const float       v   = host->macros[map->slot];
    const float value = map->curve == ST_CURVE_EXPONENTIAL ? map->min * powf(map->max / map->min, v)
                                                           : map->min + (map->max - map->min) * v;
    StParam* param = &graph->slots[map->node.index].params[map->param];
    st_param_set(param, value, false);
  }
}

static void
render_graph(StEngine* engine, StGraph* graph, float (*mix)[ST_BLOCK], uint32_t frames)
{
  memset(mix[0], 0, frames * sizeof(float));
  memset(mix[1], 0, frames * sizeof(float));
  apply_macros(graph, &engine->host);
  float* const out[2] = {mix[0], mix[1]};
  st_sched_run(graph, &engine->sched, &engine->host, frames, out);
}

/* Mixes the outgoing graph into `mix` along a linear crossfade. */
static void
crossfade(StEngine* engine, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    const uint32_t pos = engine->fade_pos + i;
    const float    t   = pos < ST_XFADE_FRAMES ? (float)pos / ST_XFADE_FRAMES : 1.0f;
    for (uint32_t c = 0; c < 2; ++c) {
      engine->mix[c][i] = engine->mix[c][i] * t + engine->old_mix[c][i] * (1.0f - t);
    }
  }
  engine->fade_pos += frames;
  if (engine->fade_pos >= ST_XFADE_FRAMES) {
    retire(engine, ST_RETIRE_GRAPH, engine->fading);
    engine->fading = NULL;
    if (engine->pending) {
      start_fade(engine, engine->pending);
      engine->pending = NULL;
    }
  }
}

/* A host sample as the patch sees it: 0 when not finite or subnormal,
   clamped to +-ST_IO_LIMIT. The same bits for every other sample. */
static inline float
sane_io(float x)
{
  const float a = fabsf(x);
  if (a <= ST_IO_LIMIT && a >= FLT_MIN) {
    return x;
  }
  return a > ST_IO_LIMIT && a <= FLT_MAX ? copysignf(ST_IO_LIMIT, x) : 0.0f;
}

/* Host audio in or out through sane_io(), in a loop that vectorises. */
static void
sanitise_io(float* restrict dst, const float* restrict src, uint32_t frames)
{
  for (uint32_t i = 0; i < frames; ++i) {
    dst[i] = sane_io(src[i]);
  }
}

/* The master gain (mutes and unmutes): nothing to do at unity, one
   vectorised pass when settled, per sample while it moves. */
static void
apply_master(StEngine* engine, uint32_t frames)
{
  float* restrict left  = engine->mix[0];
  float* restrict right = engine->mix[1];
  if (!st_param_settled(&engine->master)) {
    for (uint32_t i = 0; i < frames; ++i) {
      const float gain = st_param_next(&engine->master);
      left[i] *= gain;
      right[i] *= gain;
    }
  } else if (engine->master.value != 1.0f) {
    const float gain = engine->master.value;
    for (uint32_t i = 0; i < frames; ++i) {
      left[i] *= gain;
      right[i] *= gain;
    }
  }
}

static void
process_block(StEngine* engine, const float* const in[2], float* const out[2], uint32_t frames)
{
  for (uint32_t c = 0; c < 2; ++c) {
    if (in && in[c]) {
      sanitise_io(engine->in[c], in[c], frames);
      engine->host.in[c] = engine->in[c];
    } else {
      engine->host.in[c] = engine->zeros;
    }
  }
  engine->host.transport = st_timeline_now(&engine->timeline);
  engine->host.frame     = engine->frames;
  st_timeline_advance(&engine->timeline, frames);
  render_graph(engine, engine->live, engine->mix, frames);
  if (engine->fading) {
    render_graph(engine, engine->fading, engine->old_mix, frames);
    crossfade(engine, frames);
  }
  apply_master(engine, frames);
  for (uint32_t c = 0; c < 2; ++c) {
    if (out[c]) {
      sanitise_io(out[c], engine->mix[c], frames);
    }
  }
  engine->frames += frames;
}

void
st_engine_process(StEngine* engine, const float* const in[2], float* const out[2],
                  uint32_t frames)
{
  const uint32_t saved = st_sched_flush_denormals();
  for (uint32_t done = 0; done < frames;) {
    // Sub-blocks end on multiples of ST_BLOCK frames, whatever the host's
    // blocks, so that voices fall asleep on the same frame (voices.h).
    const uint32_t to_edge = ST_BLOCK - (uint32_t)(engine->frames % ST_BLOCK);
    uint32_t       n       = frames - done < to_edge ? frames - done : to_edge;
    if (engine->fading && ST_XFADE_FRAMES - engine->fade_pos < n) {
      // End the fade on its exact frame, so that a swap waiting for it starts
      // there whatever the host's block sizes.
      n = ST_XFADE_FRAMES - engine->fade_pos;
    }
    const float*   sub_in[2] = {in && in[0] ? in[0] + done : NULL, in && in[1] ? in[1] + done : NULL};
    float* const   sub_out[2] = {out[0] ? out[0] + done : NULL, out[1] ? out[1] + done : NULL};
    process_block(engine, sub_in, sub_out, n);
    done += n;
  }
  st_sched_restore_fp(saved);
}
