#include "plugin_host.h"

#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRATA "urn:strata:modular#"

/* --- The process-wide URID map and world --- */

static char**   uris;
static uint32_t n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char* uri)
{
  (void)handle;
  for (uint32_t i = 0; i < n_uris; ++i) {
    if (!strcmp(uris[i], uri)) {
      return i + 1;
    }
  }
  uris             = realloc(uris, (n_uris + 1) * sizeof(char*));
  uris[n_uris]     = malloc(strlen(uri) + 1);
  strcpy(uris[n_uris], uri);
  return ++n_uris;
}

static const char*
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
  (void)handle;
  return urid >= 1 && urid <= n_uris ? uris[urid - 1] : NULL;
}

static LV2_URID_Map   the_map   = {NULL, map_uri};
static LV2_URID_Unmap the_unmap = {NULL, unmap_uri};
static LilvWorld*     world;
static const LilvPlugin* plugin;

static void
free_world(void)
{
  lilv_world_free(world);
  for (uint32_t i = 0; i < n_uris; ++i) {
    free(uris[i]);
  }
  free(uris);
}

LV2_URID_Map*
ph_map(void)
{
  return &the_map;
}

LV2_URID_Unmap*
ph_unmap(void)
{
  return &the_unmap;
}

LV2_URID
ph_urid(const char* uri)
{
  return map_uri(NULL, uri);
}

LilvWorld*
ph_world(void)
{
  if (!world) {
    world = lilv_world_new();
    lilv_world_load_all(world);
    LilvNode* uri = lilv_new_uri(world, PH_PLUGIN_URI);
    plugin        = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
    lilv_node_free(uri);
    atexit(free_world);
  }
  return world;
}

const LilvPlugin*
ph_plugin(void)
{
  ph_world();
  return plugin;
}

/* --- The host --- */

typedef struct {
  uint32_t size;
  uint8_t* data;
} Blob;

typedef struct {
  Blob*    items;
  uint32_t count;
} BlobList;

struct PhHost {
  PhConfig                    config;
  LilvInstance*               instance;
  const LV2_Worker_Interface* worker;
  LV2_Worker_Schedule         schedule;
  LV2_Log_Log                 log;
  LV2_Options_Option          options[4];
  int32_t                     min_block;
  int32_t                     max_block;
  float                       rate;
  LV2_Feature                 f_map, f_unmap, f_schedule, f_options, f_log;
  const LV2_Feature*          features[8];
  const LV2_Feature*          restore_features[8];
  float                       in[2][PH_MAX_BLOCK];
  float                       out[2][PH_MAX_BLOCK];
  float                       macros[PH_MACROS];
  uint64_t                    control[PH_ATOM_BYTES / 8];
  uint64_t*                   notify;     ///< config.notify_bytes, allocated at ph_new
  uint64_t                    pending[PH_ATOM_BYTES / 8]; ///< Queued events: a sequence body
  uint32_t                    pending_used;
  uint64_t                    scratch[PH_ATOM_BYTES / 8];
  LV2_Atom_Forge              forge;
  uint8_t*                    queue;      ///< Work requests: records of a size and the data
  uint32_t                    queue_used; ///< (allocated at ph_new: schedule_work is real-time)
  BlobList                    responses;
  bool                        in_work;
  PhReply*                    replies;
  uint32_t                    n_replies;
  float*                      input[2];
  uint32_t                    input_frames;
  uint32_t                    input_pos;
  char                        last_log[1024];
};

static void
blob_push(BlobList* list, uint32_t size, const void* data)
{
  list->items                     = realloc(list->items, (list->count + 1) * sizeof(Blob));
  list->items[list->count].size   = size;
  list->items[list->count].data   = malloc(size ? size : 1);
  memcpy(list->items[list->count].data, data, size);
  ++list->count;
}

static void
blob_clear(BlobList* list)
{
  for (uint32_t i = 0; i < list->count; ++i) {
    free(list->items[i].data);
  }
  free(list->items);
  list->items = NULL;
  list->count = 0;
}

#define PH_QUEUE_BYTES (4u << 20) ///< Work requests waiting for the worker

/* Called by run() on the audio thread: copies into the queue allocated at
   ph_new, as a real host's lock-free ring would; never allocates. */
static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size, const void* data)
{
  PhHost*        host   = handle;
  const uint32_t record = 8u + ((size + 7u) & ~7u);
  if (size > host->config.worker_capacity || record > PH_QUEUE_BYTES - host->queue_used) {
    return LV2_WORKER_ERR_NO_SPACE;
  }
  memcpy(host->queue + host->queue_used, &size, sizeof(size));
  memcpy(host->queue + host->queue_used + 8u, data, size);
  host->queue_used += record;
  return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void* data)
{
  PhHost* host = handle;
  if (size > host->config.worker_capacity) {
    return LV2_WORKER_ERR_NO_SPACE;
  }
  blob_push(&host->responses, size, data);
  return LV2_WORKER_SUCCESS;
}

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, va_list ap)
{
  (void)type;
  PhHost* host = handle;
  return vsnprintf(host->last_log, sizeof(host->last_log), fmt, ap);
}

static int
log_printf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  const int n = log_vprintf(handle, type, fmt, ap);
  va_end(ap);
  return n;
}

static void
set_features(PhHost* host)
{
  const LV2_URID atom_Int   = ph_urid(LV2_ATOM__Int);
  const LV2_URID atom_Float = ph_urid(LV2_ATOM__Float);
  host->options[0] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          ph_urid(LV2_PARAMETERS__sampleRate), sizeof(float),
                                          atom_Float, &host->rate};
  host->options[1] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          ph_urid(LV2_BUF_SIZE__minBlockLength), sizeof(int32_t),
                                          atom_Int, &host->min_block};
  host->options[2] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          ph_urid(LV2_BUF_SIZE__maxBlockLength), sizeof(int32_t),
                                          atom_Int, &host->max_block};
  host->options[3] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  host->schedule   = (LV2_Worker_Schedule){host, schedule_work};
  host->log        = (LV2_Log_Log){host, log_printf, log_vprintf};
  host->f_map      = (LV2_Feature){LV2_URID__map, &the_map};
  host->f_unmap    = (LV2_Feature){LV2_URID__unmap, &the_unmap};
  host->f_schedule = (LV2_Feature){LV2_WORKER__schedule, &host->schedule};
  host->f_options  = (LV2_Feature){LV2_OPTIONS__options, host->options};
  host->f_log      = (LV2_Feature){LV2_LOG__log, &host->log};
  uint32_t n = 0;
  host->features[n++] = &host->f_map;
  host->features[n++] = &host->f_unmap;
  host->features[n++] = &host->f_log;
  if (!host->config.no_worker) {
    host->features[n++] = &host->f_schedule;
  }
  if (!host->config.no_options) {
    host->features[n++] = &host->f_options;
  }
  host->features[n] = NULL;
}

PhHost*
ph_new(const PhConfig* config)
{
  if (!ph_plugin()) {
    fprintf(stderr, "plugin <%s> not found: is LV2_PATH set?\n", PH_PLUGIN_URI);
    return NULL;
  }
  PhHost* host = calloc(1, sizeof(PhHost));
  host->config = config ? *config : (PhConfig){0};
  if (host->config.rate <= 0) {
    host->config.rate = 48000;
  }
  if (!host->config.worker_capacity) {
    host->config.worker_capacity = 1u << 20;
  }
  if (!host->config.notify_bytes) {
    host->config.notify_bytes = PH_ATOM_BYTES;
  } else if (host->config.notify_bytes < sizeof(LV2_Atom)) {
    host->config.notify_bytes = sizeof(LV2_Atom); // room for the header alone: capacity 0
  }
  host->notify = calloc((host->config.notify_bytes + 7u) / 8u, 8u);
  host->rate      = (float)host->config.rate;
  host->min_block = 1;
  host->max_block = PH_MAX_BLOCK;
  set_features(host);
  host->queue = malloc(PH_QUEUE_BYTES);
  lv2_atom_forge_init(&host->forge, &the_map);
  host->instance = lilv_plugin_instantiate(plugin, host->config.rate, host->features);
  if (!host->instance) {
    fprintf(stderr, "cannot instantiate <%s>\n", PH_PLUGIN_URI);
    free(host->queue);
    free(host->notify);
    free(host);
    return NULL;
  }
  host->worker = lilv_instance_get_extension_data(host->instance, LV2_WORKER__interface);
  lilv_instance_connect_port(host->instance, 0, host->in[0]);
  lilv_instance_connect_port(host->instance, 1, host->in[1]);
  lilv_instance_connect_port(host->instance, 2, host->out[0]);
  lilv_instance_connect_port(host->instance, 3, host->out[1]);
  lilv_instance_connect_port(host->instance, 4, host->control);
  lilv_instance_connect_port(host->instance, 5, host->notify);
  for (uint32_t m = 0; m < PH_MACROS; ++m) {
    lilv_instance_connect_port(host->instance, 6 + m, &host->macros[m]);
  }
  lilv_instance_activate(host->instance);
  return host;
}

static void
free_reply(PhReply* r)
{
  free(r->message);
  free(r->patch);
}

void
ph_clear_replies(PhHost* host)
{
  for (uint32_t i = 0; i < host->n_replies; ++i) {
    free_reply(&host->replies[i]);
  }
  free(host->replies);
  host->replies   = NULL;
  host->n_replies = 0;
}

void
ph_free(PhHost* host)
{
  if (!host) {
    return;
  }
  lilv_instance_deactivate(host->instance);
  lilv_instance_free(host->instance);
  free(host->queue);
  free(host->notify);
  blob_clear(&host->responses);
  ph_clear_replies(host);
  free(host->input[0]);
  free(host->input[1]);
  free(host);
}

void
ph_set_macro(PhHost* host, uint32_t slot, float value)
{
  host->macros[slot] = value;
}

float
ph_macro(const PhHost* host, uint32_t slot)
{
  return host->macros[slot];
}

void
ph_set_input(PhHost* host, const float* left, const float* right, uint32_t frames)
{
  const float* src[2] = {left, right};
  for (int c = 0; c < 2; ++c) {
    free(host->input[c]);
    host->input[c] = NULL;
    if (src[c]) {
      host->input[c] = malloc(frames * sizeof(float));
      memcpy(host->input[c], src[c], frames * sizeof(float));
    }
  }
  host->input_frames = frames;
  host->input_pos    = 0;
}

/* --- Events --- */

void
ph_send(PhHost* host, uint32_t frame, const LV2_Atom* atom)
{
  const uint32_t size = (uint32_t)(sizeof(LV2_Atom_Event) + atom->size);
  if (host->pending_used + lv2_atom_pad_size(size) > sizeof(host->pending)) {
    fprintf(stderr, "ph_send: too many queued events\n");
    return;
  }
  LV2_Atom_Event* ev = (LV2_Atom_Event*)((uint8_t*)host->pending + host->pending_used);
  ev->time.frames    = frame;
  memcpy(&ev->body, atom, sizeof(LV2_Atom) + atom->size);
  host->pending_used += lv2_atom_pad_size(size);
}

void
ph_send_raw(PhHost* host, const void* bytes, uint32_t size)
{
  if (size > sizeof(host->pending) - host->pending_used) {
    size = (uint32_t)(sizeof(host->pending) - host->pending_used);
  }
  memcpy((uint8_t*)host->pending + host->pending_used, bytes, size);
  host->pending_used += size;
}

void
ph_midi(PhHost* host, uint32_t frame, uint8_t status, uint8_t data1, uint8_t data2)
{
  struct {
    LV2_Atom atom;
    uint8_t  msg[4];
  } ev = {{3, ph_urid(LV2_MIDI__MidiEvent)}, {status, data1, data2, 0}};
  ph_send(host, frame, &ev.atom);
}

LV2_Atom_Forge*
ph_build(PhHost* host)
{
  lv2_atom_forge_set_buffer(&host->forge, (uint8_t*)host->scratch, sizeof(host->scratch));
  return &host->forge;
}

void
ph_send_built(PhHost* host, uint32_t frame)
{
  ph_send(host, frame, (const LV2_Atom*)host->scratch);
}

/* --- run() and the worker --- */

static PhRtHook rt_hook;

void
ph_set_rt_hook(PhRtHook hook)
{
  rt_hook = hook;
}

static void
rt_enter(void)
{
  if (rt_hook) {
    rt_hook(true);
  }
}

static void
rt_leave(void)
{
  if (rt_hook) {
    rt_hook(false);
  }
}

static void
read_notify(PhHost* host)
{
  const LV2_URID atom_Object = ph_urid(LV2_ATOM__Object);
  const LV2_URID patch_seq   = ph_urid(LV2_PATCH__sequenceNumber);
  const LV2_URID rdf_value   = ph_urid("http://www.w3.org/1999/02/22-rdf-syntax-ns#value");
  const LV2_URID message     = ph_urid(STRATA "message");
  const LV2_URID error       = ph_urid(STRATA "error");
  const LV2_URID patch_body  = ph_urid(LV2_PATCH__body);
  const LV2_URID patch_text  = ph_urid(STRATA "patch");
  const LV2_Atom_Sequence* seq = (const LV2_Atom_Sequence*)host->notify;
  LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
    if (ev->body.type != atom_Object) {
      continue;
    }
    const LV2_Atom_Object* obj = (const LV2_Atom_Object*)&ev->body;
    PhReply                r   = {.type = obj->body.otype};
    const LV2_Atom*        s   = NULL;
    const LV2_Atom*        v   = NULL;
    const LV2_Atom*        m   = NULL;
    const LV2_Atom*        e   = NULL;
    const LV2_Atom*        b   = NULL;
    lv2_atom_object_get(obj, patch_seq, &s, rdf_value, &v, message, &m, error, &e, patch_body, &b,
                        0);
    if (s) {
      r.has_seq = true;
      r.seq     = ((const LV2_Atom_Int*)s)->body;
    }
    if (v) {
      r.status = ((const LV2_Atom_Int*)v)->body;
    }
    const LV2_Atom* text = e ? e : m;
    if (text) {
      r.message = strdup((const char*)LV2_ATOM_BODY_CONST(text));
    }
    if (b) {
      const LV2_Atom* t = NULL;
      lv2_atom_object_get((const LV2_Atom_Object*)b, patch_text, &t, 0);
      if (t) {
        r.patch = strdup((const char*)LV2_ATOM_BODY_CONST(t));
      }
      char key[64];
      for (uint32_t k = 0; k < PH_MACROS; ++k) {
        const LV2_Atom* mv = NULL;
        snprintf(key, sizeof(key), STRATA "macro%u", k + 1);
        lv2_atom_object_get((const LV2_Atom_Object*)b, ph_urid(key), &mv, 0);
        r.macros[k] = mv ? ((const LV2_Atom_Float*)mv)->body : NAN;
      }
    }
    host->replies = realloc(host->replies, (host->n_replies + 1) * sizeof(PhReply));
    host->replies[host->n_replies++] = r;
  }
}

void
ph_work(PhHost* host)
{
  if (!host->worker) {
    return;
  }
  const uint32_t end = host->queue_used;
  for (uint32_t at = 0; at < end;) {
    uint32_t size = 0;
    memcpy(&size, host->queue + at, sizeof(size));
    host->worker->work(lilv_instance_get_handle(host->instance), respond, host, size,
                       host->queue + at + 8u);
    at += 8u + ((size + 7u) & ~7u);
  }
  // Requests scheduled while working (none today) wait for the next call.
  memmove(host->queue, host->queue + end, host->queue_used - end);
  host->queue_used -= end;
}

static void
deliver_responses(PhHost* host)
{
  if (!host->worker) {
    return;
  }
  for (uint32_t i = 0; i < host->responses.count; ++i) {
    rt_enter();
    host->worker->work_response(lilv_instance_get_handle(host->instance),
                                host->responses.items[i].size, host->responses.items[i].data);
    rt_leave();
  }
  blob_clear(&host->responses);
  if (host->worker->end_run) {
    rt_enter();
    host->worker->end_run(lilv_instance_get_handle(host->instance));
    rt_leave();
  }
}

static void
fill_input(PhHost* host, uint32_t frames)
{
  for (int c = 0; c < 2; ++c) {
    for (uint32_t i = 0; i < frames; ++i) {
      const uint32_t at = host->input_pos + i;
      host->in[c][i]    = host->input[c] && at < host->input_frames ? host->input[c][at] : 0.0f;
    }
  }
  host->input_pos += frames;
}

void
ph_run(PhHost* host, uint32_t frames)
{
  LV2_Atom_Sequence* control = (LV2_Atom_Sequence*)host->control;
  control->atom.type         = ph_urid(LV2_ATOM__Sequence);
  control->atom.size         = (uint32_t)sizeof(LV2_Atom_Sequence_Body) + host->pending_used;
  control->body.unit         = 0;
  control->body.pad          = 0;
  memcpy(control + 1, host->pending, host->pending_used);
  host->pending_used = 0;
  LV2_Atom_Sequence* notify = (LV2_Atom_Sequence*)host->notify;
  notify->atom.type         = 0;
  notify->atom.size         = host->config.notify_bytes - (uint32_t)sizeof(LV2_Atom);
  fill_input(host, frames);
  rt_enter();
  lilv_instance_run(host->instance, frames);
  rt_leave();
  read_notify(host);
  ph_work(host);
  deliver_responses(host);
}

void
ph_render(PhHost* host, uint32_t frames, uint32_t block, float* left, float* right)
{
  for (uint32_t done = 0; done < frames;) {
    const uint32_t n = frames - done < block ? frames - done : block;
    ph_run(host, n);
    if (left) {
      memcpy(left + done, host->out[0], n * sizeof(float));
    }
    if (right) {
      memcpy(right + done, host->out[1], n * sizeof(float));
    }
    done += n;
  }
}

/* --- Patch messages --- */

static void
begin_message(PhHost* host, LV2_Atom_Forge_Frame* frame, const char* type, int32_t seq)
{
  LV2_Atom_Forge* f = ph_build(host);
  lv2_atom_forge_object(f, frame, 0, ph_urid(type));
  if (seq >= 0) {
    lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
    lv2_atom_forge_int(f, seq);
  }
}

static void
end_message(PhHost* host, LV2_Atom_Forge_Frame* frame)
{
  lv2_atom_forge_pop(&host->forge, frame);
  ph_send_built(host, 0);
}

static void
forge_string(LV2_Atom_Forge* f, const char* key, const char* value)
{
  lv2_atom_forge_key(f, ph_urid(key));
  lv2_atom_forge_string(f, value, (uint32_t)strlen(value));
}

static void
forge_subject(LV2_Atom_Forge* f, const char* prefix, const char* name)
{
  char uri[256];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, uri, (uint32_t)strlen(uri));
}

void
ph_msg_add(PhHost* host, int32_t seq, const char* node, const char* type, uint32_t n,
           const char* const* params, const float* values)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 uri[256];
  begin_message(host, &msg, LV2_PATCH__Put, seq);
  LV2_Atom_Forge* f = &host->forge;
  forge_subject(f, "urn:strata:node:", node);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, 0);
  lv2_atom_forge_key(f, ph_urid("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"));
  snprintf(uri, sizeof(uri), "urn:strata:type:%s", type);
  lv2_atom_forge_urid(f, ph_urid(uri));
  for (uint32_t i = 0; i < n; ++i) {
    snprintf(uri, sizeof(uri), "urn:strata:param:%s", params[i]);
    lv2_atom_forge_key(f, ph_urid(uri));
    lv2_atom_forge_float(f, values[i]);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, &msg);
}

void
ph_msg_remove(PhHost* host, int32_t seq, const char* node)
{
  LV2_Atom_Forge_Frame msg;
  begin_message(host, &msg, LV2_PATCH__Delete, seq);
  forge_subject(&host->forge, "urn:strata:node:", node);
  end_message(host, &msg);
}

static void
link_message(PhHost* host, const char* type, int32_t seq, const char* tail, const char* head)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  begin_message(host, &msg, type, seq);
  LV2_Atom_Forge* f = &host->forge;
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, ph_urid(STRATA "Link"));
  if (tail) {
    forge_string(f, STRATA "tail", tail);
  }
  if (head) {
    forge_string(f, STRATA "head", head);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, &msg);
}

void
ph_msg_connect(PhHost* host, int32_t seq, const char* tail, const char* head)
{
  link_message(host, LV2_PATCH__Put, seq, tail, head);
}

void
ph_msg_disconnect(PhHost* host, int32_t seq, const char* tail, const char* head)
{
  link_message(host, LV2_PATCH__Delete, seq, tail, head);
}

void
ph_msg_set_param(PhHost* host, int32_t seq, const char* node, const char* param, float value)
{
  LV2_Atom_Forge_Frame msg;
  char                 uri[256];
  begin_message(host, &msg, LV2_PATCH__Set, seq);
  LV2_Atom_Forge* f = &host->forge;
  forge_subject(f, "urn:strata:node:", node);
  snprintf(uri, sizeof(uri), "urn:strata:param:%s", param);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(uri));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, value);
  end_message(host, &msg);
}

void
ph_msg_map(PhHost* host, int32_t seq, uint32_t slot, const char* target, float min, float max,
           const char* curve, const char* label)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 name[16];
  snprintf(name, sizeof(name), "%u", slot);
  begin_message(host, &msg, LV2_PATCH__Put, seq);
  LV2_Atom_Forge* f = &host->forge;
  forge_subject(f, STRATA "macro", name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, ph_urid(STRATA "MacroMap"));
  forge_string(f, STRATA "target", target);
  lv2_atom_forge_key(f, ph_urid(STRATA "minimum"));
  lv2_atom_forge_float(f, min);
  lv2_atom_forge_key(f, ph_urid(STRATA "maximum"));
  lv2_atom_forge_float(f, max);
  if (curve) {
    forge_string(f, STRATA "curve", curve);
  }
  if (label) {
    forge_string(f, "http://www.w3.org/2000/01/rdf-schema#label", label);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, &msg);
}

void
ph_msg_unmap(PhHost* host, int32_t seq, uint32_t slot, const char* target)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 name[16];
  snprintf(name, sizeof(name), "%u", slot);
  begin_message(host, &msg, LV2_PATCH__Delete, seq);
  LV2_Atom_Forge* f = &host->forge;
  forge_subject(f, STRATA "macro", name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, 0);
  forge_string(f, STRATA "target", target);
  lv2_atom_forge_pop(f, &body);
  end_message(host, &msg);
}

static void
set_property(PhHost* host, int32_t seq, const char* property, LV2_URID type, const char* value)
{
  LV2_Atom_Forge_Frame msg;
  begin_message(host, &msg, LV2_PATCH__Set, seq);
  LV2_Atom_Forge* f = &host->forge;
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(property));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_typed_string(f, type, value, (uint32_t)strlen(value));
  end_message(host, &msg);
}

void
ph_msg_replace(PhHost* host, int32_t seq, const char* text)
{
  set_property(host, seq, STRATA "patch", ph_urid(LV2_ATOM__String), text);
}

void
ph_msg_load(PhHost* host, int32_t seq, const char* path)
{
  set_property(host, seq, STRATA "patchFile", ph_urid(LV2_ATOM__Path), path);
}

void
ph_msg_get(PhHost* host, int32_t seq)
{
  LV2_Atom_Forge_Frame msg;
  begin_message(host, &msg, LV2_PATCH__Get, seq);
  end_message(host, &msg);
}

void
ph_msg_set_macro(PhHost* host, int32_t seq, uint32_t slot, float value)
{
  LV2_Atom_Forge_Frame msg;
  char                 uri[64];
  snprintf(uri, sizeof(uri), STRATA "macro%u", slot);
  begin_message(host, &msg, LV2_PATCH__Set, seq);
  LV2_Atom_Forge* f = &host->forge;
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(uri));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, value);
  end_message(host, &msg);
}

/* --- Replies --- */

uint32_t
ph_reply_count(const PhHost* host)
{
  return host->n_replies;
}

const PhReply*
ph_reply_at(const PhHost* host, uint32_t index)
{
  return index < host->n_replies ? &host->replies[index] : NULL;
}

const PhReply*
ph_reply(const PhHost* host, int32_t seq)
{
  for (uint32_t i = 0; i < host->n_replies; ++i) {
    if (host->replies[i].has_seq && host->replies[i].seq == seq) {
      return &host->replies[i];
    }
  }
  return NULL;
}

bool
ph_is_ack(const PhReply* reply)
{
  return reply && reply->type == ph_urid(LV2_PATCH__Ack);
}

bool
ph_is_error(const PhReply* reply)
{
  return reply && reply->type == ph_urid(LV2_PATCH__Error);
}

/* --- State --- */

static const void*
get_port_value(const char* symbol, void* user_data, uint32_t* size, uint32_t* type)
{
  PhHost*  host = user_data;
  unsigned slot = 0;
  if (sscanf(symbol, "macro%u", &slot) == 1 && slot >= 1 && slot <= PH_MACROS) {
    *size = sizeof(float);
    *type = ph_urid(LV2_ATOM__Float);
    return &host->macros[slot - 1];
  }
  *size = 0;
  *type = 0;
  return NULL;
}

static void
set_port_value(const char* symbol, void* user_data, const void* value, uint32_t size,
               uint32_t type)
{
  PhHost*  host = user_data;
  unsigned slot = 0;
  if (sscanf(symbol, "macro%u", &slot) == 1 && slot >= 1 && slot <= PH_MACROS &&
      size == sizeof(float) && type == ph_urid(LV2_ATOM__Float)) {
    host->macros[slot - 1] = *(const float*)value;
  }
}

LilvState*
ph_save(PhHost* host)
{
  return lilv_state_new_from_instance(plugin, host->instance, &the_map, NULL, NULL, NULL, NULL,
                                      get_port_value, host,
                                      LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, host->features);
}

void
ph_restore(PhHost* host, const LilvState* state, bool through_worker)
{
  uint32_t n = 0;
  host->restore_features[n++] = &host->f_map;
  host->restore_features[n++] = &host->f_log;
  if (through_worker) {
    host->restore_features[n++] = &host->f_schedule;
  }
  host->restore_features[n] = NULL;
  lilv_state_restore(state, host->instance, set_port_value, host, 0, host->restore_features);
  if (through_worker) {
    ph_work(host);
  }
}

bool
ph_load_preset(PhHost* host, const char* uri, bool through_worker)
{
  LilvNode*  node  = lilv_new_uri(ph_world(), uri);
  LilvState* state = lilv_state_new_from_world(ph_world(), &the_map, node);
  lilv_node_free(node);
  if (!state) {
    return false;
  }
  ph_restore(host, state, through_worker);
  lilv_state_free(state);
  return true;
}

const char*
ph_last_log(const PhHost* host)
{
  return host->last_log;
}

/* --- Measurements --- */

float
ph_peak(const float* x, uint32_t n)
{
  float peak = 0.0f;
  for (uint32_t i = 0; i < n; ++i) {
    peak = fabsf(x[i]) > peak ? fabsf(x[i]) : peak;
  }
  return peak;
}

float
ph_rms(const float* x, uint32_t n)
{
  double sum = 0.0;
  for (uint32_t i = 0; i < n; ++i) {
    sum += (double)x[i] * x[i];
  }
  return n ? (float)sqrt(sum / n) : 0.0f;
}

bool
ph_finite(const float* x, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (!isfinite(x[i])) {
      return false;
    }
  }
  return true;
}
