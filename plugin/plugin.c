/* The LV2 plugin: descriptor, instantiate, ports and run(). run() reads the
   macro ports, applies the edits the worker pushed, then walks the control
   sequence: MIDI splits the block at its frame, patch messages go to the
   worker, replies go out on the notify port. */
#include "instance.h"

#include "default_patch.h"
#include "nodes/registry.h"

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

static void
read_options(StPlugin* p, const LV2_Options_Option* options)
{
  const StUris* u = &p->uris;
  for (const LV2_Options_Option* o = options; o && o->key; ++o) {
    if (o->key == u->param_sampleRate && o->type == u->atom_Float) {
      p->rate = *(const float*)o->value;
    } else if (o->key == u->param_sampleRate && o->type == u->atom_Double) {
      p->rate = (float)*(const double*)o->value;
    } else if (o->key == u->bufsz_minBlockLength && o->type == u->atom_Int) {
      p->min_block = (uint32_t)*(const int32_t*)o->value;
    } else if (o->key == u->bufsz_maxBlockLength && o->type == u->atom_Int) {
      p->max_block = (uint32_t)*(const int32_t*)o->value;
    }
  }
}

/* Engine threads for parallel levels: STRATA_THREADS (1..64) when set, else 1.
   Parallel levels use OpenMP, whose thread team belongs to the thread that
   first enters a parallel region: the engine warms it up here, on the
   instantiating thread. A host that calls run() from another thread makes
   libgomp build a team for that thread at the first parallel block (an
   allocation in run(), once), so the safe default stays sequential. */
static uint32_t
read_threads(LV2_Log_Logger* logger)
{
  const char* env = getenv("STRATA_THREADS");
  if (!env || !*env) {
    return 1;
  }
  char*      end = NULL;
  const long n   = strtol(env, &end, 10);
  if (*end || n < 1 || n > 64) {
    lv2_log_warning(logger, "strata: STRATA_THREADS='%s' is not 1..64; running sequentially\n",
                    env);
    return 1;
  }
  return (uint32_t)n;
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
  const char* missing = lv2_features_query(features,
                                           LV2_LOG__log, &log, false,
                                           LV2_URID__map, &map, true,
                                           LV2_URID__unmap, &unmap, false,
                                           LV2_WORKER__schedule, &sched, false,
                                           LV2_OPTIONS__options, &options, false,
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
  pthread_mutex_init(&p->control, NULL);
  lv2_atom_forge_init(&p->forge, map);
  for (uint32_t m = 0; m < ST_PLUGIN_MACROS; ++m) {
    p->macro_seen[m] = NAN; // Apply every port value on the first run().
  }

  StStatus             st     = ST_OK;
  const StEngineConfig config = {.rate               = p->rate,
                                 .threads            = read_threads(&p->logger),
                                 .parallel_threshold = read_threshold()};
  p->inbox.data  = malloc(ST_MAILBOX_BYTES);
  p->outbox.data = malloc(ST_MAILBOX_BYTES);
  if (!p->inbox.data || !p->outbox.data || !map_names(p) ||
      !(p->engine = st_engine_new(&config, &st))) {
    lv2_log_error(&p->logger, "strata: cannot create the engine (%s)\n", st_status_string(st));
    cleanup(p);
    return NULL;
  }

  char why[ST_REPLY_MESSAGE];
  if (st_edit_replace(p, st_default_patch, strlen(st_default_patch), why, sizeof(why))) {
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

/* A reply written straight from run(): no formatting, no allocation. */
static void
reply_now(StPlugin* p, const LV2_Atom_Object* msg, StReplyKind kind, StStatus status,
          const char* message)
{
  StReply         reply = {.kind = (uint32_t)kind, .status = (int32_t)status};
  const LV2_Atom* seq   = NULL;
  lv2_atom_object_get(msg, p->uris.patch_sequenceNumber, &seq, 0);
  if (seq && seq->type == p->uris.atom_Int) {
    reply.seq     = ((const LV2_Atom_Int*)seq)->body;
    reply.has_seq = 1;
  } else if (seq && seq->type == p->uris.atom_Long) {
    reply.seq     = (int32_t)((const LV2_Atom_Long*)seq)->body;
    reply.has_seq = 1;
  }
  const size_t n = strlen(message);
  memcpy(reply.message, message, n < ST_REPLY_MESSAGE ? n + 1 : ST_REPLY_MESSAGE);
  reply.message[ST_REPLY_MESSAGE - 1] = '\0';
  st_reply_push(&p->replies, &reply, NULL);
}

static void
read_macro_ports(StPlugin* p)
{
  for (uint32_t m = 0; m < ST_PLUGIN_MACROS; ++m) {
    if (p->macro_port[m] && !(*p->macro_port[m] == p->macro_seen[m])) {
      const float v    = *p->macro_port[m];
      p->macro_seen[m] = v;
      p->macros[m]     = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
      st_engine_macro(p->engine, m, v);
    }
  }
}

static bool
read_number(const StUris* u, const LV2_Atom* a, float* value)
{
  if (!a) {
    return false;
  } else if (a->type == u->atom_Float) {
    *value = ((const LV2_Atom_Float*)a)->body;
  } else if (a->type == u->atom_Double) {
    *value = (float)((const LV2_Atom_Double*)a)->body;
  } else if (a->type == u->atom_Int) {
    *value = (float)((const LV2_Atom_Int*)a)->body;
  } else if (a->type == u->atom_Long) {
    *value = (float)((const LV2_Atom_Long*)a)->body;
  } else {
    return false;
  }
  return true;
}

/* patch:Set of macroN: a host automating a property. Applied here, at the
   event's frame, and answered only when the message asks with a sequence
   number (automation would otherwise flood the notify port). */
static bool
set_macro(StPlugin* p, const LV2_Atom_Object* msg)
{
  const StUris*   u        = &p->uris;
  const LV2_Atom* property = NULL;
  const LV2_Atom* value    = NULL;
  const LV2_Atom* seq      = NULL;
  lv2_atom_object_get(msg, u->patch_property, &property, u->patch_value, &value,
                      u->patch_sequenceNumber, &seq, 0);
  if (msg->body.otype != u->patch_Set || !property || property->type != u->atom_URID) {
    return false;
  }
  const int slot = st_uris_macro_slot(u, ((const LV2_Atom_URID*)property)->body);
  if (slot < 0) {
    return false;
  }
  float v = 0.0f;
  if (!read_number(u, value, &v) || !isfinite(v)) {
    reply_now(p, msg, ST_REPLY_ERROR, ST_ERR_BAD_ARG, "set macro: the value must be a number");
    return true;
  }
  p->macros[slot] = v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
  st_engine_macro(p->engine, (uint32_t)slot, v);
  if (seq) {
    reply_now(p, msg, ST_REPLY_ACK, ST_OK, "macro set");
  }
  return true;
}

typedef struct {
  uint32_t tag;  ///< StWorkTag
  uint32_t pad;  ///< Keeps the atom that follows 64-bit aligned
} StWorkHeader;

/* Hands a patch message to the worker: by value when small, through the
   inbox when large. Never parses, never allocates. */
static void
schedule_message(StPlugin* p, const LV2_Atom_Object* msg)
{
  const uint32_t size = (uint32_t)sizeof(LV2_Atom) + msg->atom.size;
  if (!p->schedule) {
    reply_now(p, msg, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
              "the host offers no worker (work:schedule): patch edits are not possible");
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
  if (size > ST_MAILBOX_BYTES) {
    reply_now(p, msg, ST_REPLY_ERROR, ST_ERR_BAD_ARG,
              "the message is larger than 64 KiB: load big patches as files (patchFile)");
    return;
  }
  if (atomic_load_explicit(&p->inbox.full, memory_order_acquire)) {
    reply_now(p, msg, ST_REPLY_ERROR, ST_ERR_BUSY,
              "a large message is still being processed: send this one again later");
    return;
  }
  memcpy(p->inbox.data, msg, size);
  p->inbox.size = size;
  atomic_store_explicit(&p->inbox.full, true, memory_order_release);
  const StWorkHeader head = {ST_WORK_INBOX, 0};
  if (p->schedule->schedule_work(p->schedule->handle, sizeof(head), &head) !=
      LV2_WORKER_SUCCESS) {
    atomic_store_explicit(&p->inbox.full, false, memory_order_release);
    reply_now(p, msg, ST_REPLY_ERROR, ST_ERR_BUSY,
              "the host's worker queue is full: send this message again later");
  }
}

static void
render(StPlugin* p, uint32_t from, uint32_t to)
{
  if (to > from) {
    const float* in[2]  = {p->in[0] ? p->in[0] + from : NULL, p->in[1] ? p->in[1] + from : NULL};
    float* const out[2] = {p->out[0] + from, p->out[1] + from};
    st_engine_process(p->engine, in, out, to - from);
  }
}

/* True when an object's body and every property lie inside its size: a
   truncated or malformed object is never read past its end. */
static bool
object_complete(const LV2_Atom* a)
{
  if (a->size < sizeof(LV2_Atom_Object_Body)) {
    return false;
  }
  const uint8_t* at  = (const uint8_t*)LV2_ATOM_BODY_CONST(a) + sizeof(LV2_Atom_Object_Body);
  const uint8_t* end = (const uint8_t*)LV2_ATOM_BODY_CONST(a) + a->size;
  while (at < end) {
    if ((size_t)(end - at) < sizeof(LV2_Atom_Property_Body)) {
      return false;
    }
    const uint64_t size = sizeof(LV2_Atom_Property_Body) +
                          (uint64_t)((const LV2_Atom_Property_Body*)at)->value.size;
    if (size > (uint64_t)(end - at)) {
      return false;
    }
    at += (size + 7u) & ~(uint64_t)7u;
  }
  return true;
}

static void
handle_event(StPlugin* p, const LV2_Atom_Event* ev)
{
  const StUris* u = &p->uris;
  if ((ev->body.type == u->atom_Object || ev->body.type == u->atom_Blank) &&
      !object_complete(&ev->body)) {
    StReply reply = {.kind = ST_REPLY_ERROR, .status = ST_ERR_BAD_ARG};
    static const char why[] = "control: a malformed atom:Object (a property runs past its end) "
                              "was ignored";
    memcpy(reply.message, why, sizeof(why));
    st_reply_push(&p->replies, &reply, NULL);
  } else if (ev->body.type == u->midi_MidiEvent) {
    st_engine_event(p->engine, (const uint8_t*)LV2_ATOM_BODY_CONST(&ev->body), ev->body.size);
  } else if (ev->body.type == u->atom_Object || ev->body.type == u->atom_Blank) {
    const LV2_Atom_Object* msg = (const LV2_Atom_Object*)&ev->body;
    if (!set_macro(p, msg)) {
      schedule_message(p, msg);
    }
  }
}

static void
truncated_event(StPlugin* p)
{
  StReply reply = {.kind = ST_REPLY_ERROR, .status = ST_ERR_BAD_ARG};
  static const char why[] = "control: a truncated event (its atom runs past the end of the "
                            "sequence) and the rest of the block's events were ignored";
  memcpy(reply.message, why, sizeof(why));
  st_reply_push(&p->replies, &reply, NULL);
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
    st_reply_push(&p->replies, &reply, NULL);
    atomic_store_explicit(&notice->full, false, memory_order_release);
  }
}

static void
run(LV2_Handle instance, uint32_t frames)
{
  StPlugin*            p = instance;
  LV2_Atom_Forge_Frame notify;
  begin_notify(p, &notify);
  report_refused_state(p);
  read_macro_ports(p);
  st_engine_begin(p->engine);

  uint32_t done = 0;
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

  if (p->notify_port) {
    st_reply_flush(p, 0);
    lv2_atom_forge_pop(&p->forge, &notify);
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
  st_engine_free(p->engine);
  pthread_mutex_destroy(&p->control);
  free(p->types);
  free(p->params);
  free(p->inbox.data);
  free(p->outbox.data);
  free(p);
}

static const void*
extension_data(const char* uri)
{
  if (!strcmp(uri, LV2_WORKER__interface)) {
    return st_worker_interface();
  }
  if (!strcmp(uri, LV2_STATE__interface)) {
    return st_state_interface();
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
