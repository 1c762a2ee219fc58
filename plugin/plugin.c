/* SPDX-License-Identifier: ISC */
/* The LV2 plugin: descriptor, instantiate, ports and run(). run() reads the
   macro ports, applies the edits the worker pushed, then walks the control
   sequence: MIDI splits the block at its frame, patch messages go to the
   worker, replies go out on the notify port. */
#include "instance.h"

#include "atoms.h"

#include "default_patch.h"
#include "nodes/registry.h"
#include "position.h"
#include "threads.h"

#include <lv2/core/lv2_util.h>
#include <lv2/options/options.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- Names --- */

static LV2_URID
map_prefixed(LV2_URID_Map* map, const char* prefix, const char* name)
{
  char uri[128];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  return map->map(map->handle, uri);
}

static bool
has_param_name(const StPlugin* p, const char* name)
{
  for (uint32_t i = 0; i < p->n_params; ++i) {
    if (!strcmp(p->params[i].name, name)) {
      return true;
    }
  }
  return false;
}

/* Maps the URI of every node type and parameter name, so that the worker can
   decode messages without urid:unmap. */
static bool
map_names(StPlugin* p)
{
  const size_t n_types   = st_registry_count();
  size_t       max_names = 0;
  for (size_t t = 0; t < n_types; ++t) {
    max_names += st_registry_at(t)->n_params;
  }
  p->types  = calloc(n_types ? n_types : 1, sizeof(StNamedUrid));
  p->params = calloc(max_names ? max_names : 1, sizeof(StNamedUrid));
  if (!p->types || !p->params) {
    return false;
  }
  for (size_t t = 0; t < n_types; ++t) {
    const StNodeType* type = st_registry_at(t);
    p->types[p->n_types++] =
      (StNamedUrid){map_prefixed(p->map, STRATA_TYPE_PREFIX, type->name), type->name, type};
    for (uint32_t k = 0; k < type->n_params; ++k) {
      const char* name = type->params[k].name;
      if (!has_param_name(p, name)) {
        p->params[p->n_params++] =
          (StNamedUrid){map_prefixed(p->map, STRATA_PARAM_PREFIX, name), name, NULL};
      }
    }
  }
  return true;
}

/* --- Instantiation --- */

/* The sample rate from the options, when the host gives it (it may differ
   from the one passed to instantiate). An option of the wrong type or size
   is ignored and logged. Any block length works: no block option is read
   (the thread options are read by threads.c). */
static void
read_options(StPlugin* p, const LV2_Options_Option* options)
{
  const StUris* u = &p->uris;
  for (const LV2_Options_Option* o = options; o && o->key; ++o) {
    if (o->key != u->param_sampleRate) {
      continue;
    }
    if (o->type == u->atom_Float && o->size == sizeof(float) && o->value) {
      float rate;
      memcpy(&rate, o->value, sizeof(rate));
      p->rate = rate;
    } else if (o->type == u->atom_Double && o->size == sizeof(double) && o->value) {
      double rate;
      memcpy(&rate, o->value, sizeof(rate));
      p->rate = (float)rate;
    } else {
      lv2_log_warning(&p->logger,
                      "strata: option <" LV2_PARAMETERS__sampleRate "> ignored: wrong type, "
                      "size or value (type %u, %u bytes); using %g Hz\n",
                      o->type, o->size, (double)p->rate);
    }
  }
}

/* STRATA_PARALLEL_THRESHOLD: estimated ns of work a level needs before it
   goes parallel (engine.h), when set to a positive number; else the default. */
static float
read_threshold(void)
{
  const char* env = getenv("STRATA_PARALLEL_THRESHOLD");
  char*       end = NULL;
  const float ns  = env && *env ? strtof(env, &end) : 0.0f;
  return end && !*end && ns > 0.0f ? ns : 0.0f;
}

/* The engine, created where its OpenMP team is to live. */
typedef struct {
  StEngineConfig config;
  StStatus       status;
  StEngine*      engine;
} EngineBirth;

static void
create_engine(void* data)
{
  EngineBirth* birth = data;
  birth->engine      = st_engine_new(&birth->config, &birth->status);
}

/* Creates the engine. With more than one thread it is created on the
   conductor, whose OpenMP team the engine then starts (st_engine_new warms
   it up): the conductor is the only thread that ever enters a parallel
   region. Without a conductor the engine runs sequentially. */
static StEngine*
start_engine(StPlugin* p, StThreading* threading, StStatus* status)
{
  EngineBirth birth = {.config = {.rate = p->rate, .parallel_threshold = read_threshold()}};
  if (threading->threads > 1 && !st_conductor_start(&p->conductor, &threading->sched)) {
    lv2_log_warning(&p->logger, "strata: cannot start the engine thread: running on the host's "
                                "thread, sequentially\n");
    threading->threads = 1;
  }
  birth.config.threads = threading->threads;
  if (p->conductor.started) {
    st_conductor_call(&p->conductor, create_engine, &birth);
    if (p->conductor.sched_error) {
      lv2_log_warning(&p->logger,
                      "strata: engine threads keep the default scheduling: the host's policy %d "
                      "priority %d was refused (%s)\n",
                      threading->sched.policy, threading->sched.priority,
                      strerror(p->conductor.sched_error));
    }
  } else {
    create_engine(&birth);
  }
  *status = birth.status;
  return birth.engine;
}

static void cleanup(LV2_Handle instance);

static LV2_Handle
instantiate(const LV2_Descriptor* descriptor, double rate, const char* bundle_path,
            const LV2_Feature* const* features)
{
  (void)descriptor;
  (void)bundle_path;
  LV2_URID_Map*              map     = NULL;
  LV2_URID_Unmap*            unmap   = NULL;
  LV2_Worker_Schedule*       sched   = NULL;
  LV2_Log_Log*               log     = NULL;
  const LV2_Options_Option*  options = NULL;
  const StInlineQueue*       queue   = NULL;
  const char* missing = lv2_features_query(features,
                                           LV2_LOG__log, &log, false,
                                           LV2_URID__map, &map, true,
                                           LV2_URID__unmap, &unmap, false,
                                           LV2_WORKER__schedule, &sched, false,
                                           LV2_OPTIONS__options, &options, false,
                                           ST_INLINEDISPLAY__queue_draw, &queue, false,
                                           NULL);
  LV2_Log_Logger logger;
  lv2_log_logger_init(&logger, map, log);
  if (missing) {
    lv2_log_error(&logger, "strata: missing required feature <%s>\n", missing);
    return NULL;
  }
  StPlugin* p = calloc(1, sizeof(StPlugin));
  if (!p) {
    return NULL;
  }
  p->map      = map;
  p->unmap    = unmap;
  p->schedule = sched;
  p->logger   = logger;
  p->rate     = (float)rate;
  st_uris_init(&p->uris, map);
  read_options(p, options);
  if (!(p->rate >= ST_MIN_RATE && p->rate <= ST_MAX_RATE)) { // NaN fails too
    lv2_log_error(&p->logger,
                  "strata: sample rate %g Hz refused: Strata runs at %.0f to %.0f Hz\n",
                  (double)p->rate, (double)ST_MIN_RATE, (double)ST_MAX_RATE);
    free(p);
    return NULL;
  }
  pthread_mutex_init(&p->control, NULL);
  lv2_atom_forge_init(&p->forge, map);
  for (uint32_t m = 0; m < ST_PLUGIN_MACROS; ++m) {
    p->macro_seen[m] = NAN; // Apply every port value on the first run().
  }

  StThreading threading;
  st_threads_read(&threading, &p->uris, &p->logger, options);
  StStatus st    = ST_OK;
  p->inbox.data  = malloc(ST_MAILBOX_BYTES);
  p->outbox.data = malloc(ST_MAILBOX_BYTES);
  if (!p->inbox.data || !p->outbox.data || !map_names(p) ||
      !(p->engine = start_engine(p, &threading, &st)) ||
      !st_reports_init(&p->reports, st_graph_capacity(st_engine_model(p->engine))) ||
      !st_display_init(&p->display, queue)) {
    lv2_log_error(&p->logger, "strata: cannot create the engine (%s)\n", st_status_string(st));
    cleanup(p);
    return NULL;
  }

  char why[ST_REPLY_MESSAGE];
  if (st_edit_replace(p, st_default_patch, strlen(st_default_patch), NULL, why, sizeof(why))) {
    lv2_log_error(&p->logger, "strata: default patch refused: %s\n", why);
  }
  return p;
}

static void
connect_port(LV2_Handle instance, uint32_t port, void* data)
{
  StPlugin* p = instance;
  switch (port) {
  case ST_PORT_IN_L:    p->in[0]        = data; break;
  case ST_PORT_IN_R:    p->in[1]        = data; break;
  case ST_PORT_OUT_L:   p->out[0]       = data; break;
  case ST_PORT_OUT_R:   p->out[1]       = data; break;
  case ST_PORT_CONTROL: p->control_port = data; break;
  case ST_PORT_NOTIFY:  p->notify_port  = data; break;
  default:
    if (port >= ST_PORT_MACRO1 && port < ST_PORT_COUNT) {
      p->macro_port[port - ST_PORT_MACRO1] = data;
    }
    break;
  }
}

static void
activate(LV2_Handle instance)
{
  (void)instance; // The engine is ready from instantiate; nothing depends on activation.
}

/* --- run() --- */

/* Answers a message from run() itself, with a static text: no formatting,
   no allocation. */
static void
reply_now(StPlugin* p, const LV2_Atom_Object* msg, StStatus status, const char* why)
{
  int32_t    seq     = 0;
  const bool has_seq = msg && st_atom_sequence_number(
                                &p->uris, st_atom_property(msg, p->uris.patch_sequenceNumber), &seq);
  st_reply_refuse(&p->replies, seq, has_seq, (int32_t)status, why);
}

static void
read_macro_ports(StPlugin* p)
{
  for (uint32_t m = 0; m < ST_PLUGIN_MACROS; ++m) {
    if (p->macro_port[m] && !(*p->macro_port[m] == p->macro_seen[m])) {
      const float v    = *p->macro_port[m];
      p->macro_seen[m] = v;
      st_engine_macro(p->engine, m, v);
    }
  }
}

/* Schedules a request to the worker that carries nothing but its tag. */
static bool
schedule_tag(StPlugin* p, StWorkTag tag)
{
  const StWorkHeader head = {(uint32_t)tag, 0};
  return p->schedule &&
         p->schedule->schedule_work(p->schedule->handle, sizeof(head), &head) ==
           LV2_WORKER_SUCCESS;
}

/* Hands a patch message to the worker: by value when small, through the
   inbox when large. Never parses, never allocates. */
static void
schedule_message(StPlugin* p, const LV2_Atom_Object* msg)
{
  const uint32_t size = (uint32_t)sizeof(LV2_Atom) + msg->atom.size;
  if (!p->schedule) {
    reply_now(p, msg, ST_ERR_BAD_ARG,
              "the host offers no worker (work:schedule): patch edits are not possible");
    return;
  }
  if (!st_reply_reserve(&p->replies)) {
    reply_now(p, msg, ST_ERR_BUSY,
              "busy: too many replies are waiting for the notify port; send it again later");
    return;
  }
  if (size + sizeof(StWorkHeader) <= ST_INLINE_MESSAGE) {
    uint64_t     buf[ST_INLINE_MESSAGE / sizeof(uint64_t)];
    StWorkHeader head = {ST_WORK_MESSAGE, 0};
    memcpy(buf, &head, sizeof(head));
    memcpy((uint8_t*)buf + sizeof(head), msg, size);
    if (p->schedule->schedule_work(p->schedule->handle, (uint32_t)sizeof(head) + size, buf) ==
        LV2_WORKER_SUCCESS) {
      return;
    }
  }
  st_reply_release(&p->replies); // Reserved again below once it is sure to go.
  if (size > ST_MAILBOX_BYTES) {
    reply_now(p, msg, ST_ERR_BAD_ARG,
              "the message is larger than 64 KiB: load big patches as files (patchFile)");
    return;
  }
  if (atomic_load_explicit(&p->inbox.full, memory_order_acquire)) {
    reply_now(p, msg, ST_ERR_BUSY,
              "busy: a large message is still being processed: send this one again later");
    return;
  }
  memcpy(p->inbox.data, msg, size);
  p->inbox.size = size;
  atomic_store_explicit(&p->inbox.full, true, memory_order_release);
  st_reply_reserve(&p->replies); // Cannot fail: it was reserved a moment ago.
  if (!schedule_tag(p, ST_WORK_INBOX)) {
    atomic_store_explicit(&p->inbox.full, false, memory_order_release);
    st_reply_release(&p->replies);
    reply_now(p, msg, ST_ERR_BUSY,
              "busy: the host's worker queue is full: send this message again later");
  }
}

/* Renders frames from..to. A NULL output (a host that disconnected the
   port) stays NULL: the engine does not write it. */
static void
render(StPlugin* p, uint32_t from, uint32_t to)
{
  if (to > from) {
    const float* in[2]  = {p->in[0] ? p->in[0] + from : NULL, p->in[1] ? p->in[1] + from : NULL};
    float* const out[2] = {p->out[0] ? p->out[0] + from : NULL,
                           p->out[1] ? p->out[1] + from : NULL};
    st_engine_process(p->engine, in, out, to - from);
  }
}

/* The host's tempo and position from this frame on. */
static void
set_position(StPlugin* p, const LV2_Atom_Object* msg)
{
  StTransport t = st_engine_position(p->engine);
  if (!st_position_read(&p->uris, msg, &t) || !st_engine_locate(p->engine, &t)) {
    reply_now(p, NULL, ST_ERR_BAD_ARG,
              "control: a time:Position with a property that is not a number or out of range "
              "(bpm and meter must be > 0) was ignored");
  }
}

static void
handle_event(StPlugin* p, const LV2_Atom_Event* ev)
{
  const StUris* u         = &p->uris;
  const bool    is_object = ev->body.type == u->atom_Object || ev->body.type == u->atom_Blank;
  if (is_object && !st_atom_object_valid(u, &ev->body)) {
    reply_now(p, NULL, ST_ERR_BAD_ARG,
              "control: a malformed atom:Object (a property runs past its end) was ignored");
  } else if (ev->body.type == u->midi_MidiEvent) {
    st_engine_event(p->engine, (const uint8_t*)LV2_ATOM_BODY_CONST(&ev->body), ev->body.size);
  } else if (is_object) {
    const LV2_Atom_Object* msg = (const LV2_Atom_Object*)&ev->body;
    if (msg->body.otype == u->time_Position) {
      set_position(p, msg);
    } else {
      schedule_message(p, msg);
    }
  }
}

static void
truncated_event(StPlugin* p)
{
  reply_now(p, NULL, ST_ERR_BAD_ARG,
            "control: a truncated event (its atom runs past the end of the sequence) and the "
            "rest of the block's events were ignored");
}

static void
begin_notify(StPlugin* p, LV2_Atom_Forge_Frame* frame)
{
  if (p->notify_port) {
    lv2_atom_forge_set_buffer(&p->forge, (uint8_t*)p->notify_port, p->notify_port->atom.size);
  } else {
    lv2_atom_forge_set_buffer(&p->forge, NULL, 0);
  }
  lv2_atom_forge_sequence_head(&p->forge, frame, 0);
}

/* Reports a state that restore() refused (it cannot write to notify itself). */
static void
report_refused_state(StPlugin* p)
{
  StStateNotice* notice = &p->refused_state;
  if (atomic_load_explicit(&notice->full, memory_order_acquire)) {
    StReply reply = {.kind = ST_REPLY_ERROR, .status = (int32_t)notice->status};
    memcpy(reply.message, notice->text, sizeof(reply.message));
    if (st_reply_push(&p->replies, &reply, NULL)) { // Else it waits for room.
      atomic_store_explicit(&notice->full, false, memory_order_release);
    }
  }
}

/* Asks the worker to announce a patch that replaced the old one outside a
   message (a restore), or an announcement that found no room. */
static void
request_announcement(StPlugin* p)
{
  if (atomic_load_explicit(&p->announce, memory_order_acquire) && p->replies.used == 0 &&
      schedule_tag(p, ST_WORK_ANNOUNCE)) {
    atomic_store_explicit(&p->announce, false, memory_order_release);
  }
}

/* What every block starts with, on the host's thread: the replies waiting,
   the macro ports, the edits the worker pushed. */
static void
begin_block(StPlugin* p)
{
  begin_notify(p, &p->notify_frame);
  st_unanswered_drain(&p->unanswered, &p->replies);
  report_refused_state(p);
  request_announcement(p);
  read_macro_ports(p);
  st_engine_begin(p->engine);
}

/* The rest of the block (p->frames frames): the events, split at their
   frames, rendering and the replies. On the host's thread, or on the
   conductor while the host's thread waits for it. */
static void
render_block(void* data)
{
  StPlugin*      p      = data;
  const uint32_t frames = p->frames;
  uint32_t       done   = 0;
  if (p->control_port && p->control_port->atom.type == p->uris.atom_Sequence) {
    const uint8_t* end = (const uint8_t*)&p->control_port->body + p->control_port->atom.size;
    LV2_ATOM_SEQUENCE_FOREACH (p->control_port, ev) {
      if ((size_t)(end - (const uint8_t*)ev) < sizeof(LV2_Atom_Event) ||
          ev->body.size > (size_t)(end - (const uint8_t*)(ev + 1))) {
        truncated_event(p); // The rest of the sequence cannot be trusted.
        break;
      }
      const int64_t  t  = ev->time.frames;
      const uint32_t at = t < (int64_t)done ? done : (t > (int64_t)frames ? frames : (uint32_t)t);
      render(p, done, at);
      done = at;
      handle_event(p, ev);
    }
  }
  render(p, done, frames);
  const float* const out[2] = {p->out[0], p->out[1]};
  st_display_run(&p->display, out, frames, p->rate);

  if (p->notify_port) {
    st_reply_flush(p, 0);
  }
  st_reports_run(&p->reports, p->engine, &p->uris, &p->forge, p->rate, frames, 0);
  if (p->notify_port) {
    lv2_atom_forge_pop(&p->forge, &p->notify_frame);
  }
}

/* A block that shares work out goes to the conductor, whose OpenMP team
   that is (whatever thread the host calls from: see conductor.h); any other
   block runs here, alone, without paying for the hand-off. */
static void
run(LV2_Handle instance, uint32_t frames)
{
  StPlugin* p = instance;
  p->frames   = frames;
  begin_block(p);
  const bool team = p->conductor.started && st_engine_wants_team(p->engine);
  st_engine_share(p->engine, team);
  if (team) {
    st_conductor_run(&p->conductor, render_block, p);
  } else {
    render_block(p);
  }
}

static void
deactivate(LV2_Handle instance)
{
  (void)instance;
}

static void
cleanup(LV2_Handle instance)
{
  StPlugin* p = instance;
  st_graph_free(atomic_load(&p->restored)); // A restore whose swap the host never ran.
  st_engine_free(p->engine);
  st_conductor_stop(&p->conductor);
  st_reports_free(&p->reports);
  st_display_free(&p->display);
  pthread_mutex_destroy(&p->control);
  free(p->types);
  free(p->params);
  free(p->inbox.data);
  free(p->outbox.data);
  free(p);
}

/* The inline display's render(): the patch name is read from the model
   when the control side is free (never waiting for it), else the last one
   read is drawn again. */
static StInlineSurface*
render_display(LV2_Handle instance, uint32_t width, uint32_t max_height)
{
  StPlugin*   p     = instance;
  char        name[ST_PATCH_NAME_MAX];
  const char* shown = NULL;
  if (!pthread_mutex_trylock(&p->control)) {
    memcpy(name, st_engine_model(p->engine)->name, sizeof(name));
    pthread_mutex_unlock(&p->control);
    shown = name;
  }
  return st_display_render(&p->display, shown, width, max_height);
}

static const StInlineInterface display_interface = {render_display};

static const void*
extension_data(const char* uri)
{
  if (!strcmp(uri, LV2_WORKER__interface)) {
    return st_worker_interface();
  }
  if (!strcmp(uri, LV2_STATE__interface)) {
    return st_state_interface();
  }
  if (!strcmp(uri, ST_INLINEDISPLAY__interface)) {
    return &display_interface;
  }
  return NULL;
}

static const LV2_Descriptor descriptor = {
  STRATA_URI, instantiate, connect_port, activate, run, deactivate, cleanup, extension_data,
};

LV2_SYMBOL_EXPORT const LV2_Descriptor*
lv2_descriptor(uint32_t index)
{
  return index == 0 ? &descriptor : NULL;
}

const char st_default_patch[] = ST_DEFAULT_PATCH_TEXT;
